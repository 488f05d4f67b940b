/* Tests of event scripts: valid scripts read and sorted (stably), and each error with its exact
 * path:line:col message. */
#include "platform/vt_platform.h"
#include "vt_test.h"
#include "diag_util.h"

#define PATH "t.events"
#define E(line, col, msg) PATH ":" #line ":" #col ": error: " msg "\n"
#define XY_NEEDED "needs X and Y canvas coordinates, like '2.5 "

typedef struct bad_case {
    const char *script;
    const char *expected;
} bad_case;

static const bad_case bad_cases[] = {
    {"abc key a\n", E(1, 1, "expected a time in seconds, got 'abc'")},
    {"  -1 key a\n", E(1, 3, "the time must be 0 or more, got '-1'")},
    {"1e3 key a\n", E(1, 1, "expected a time in seconds, got '1e3'")},
    {"nan key a\n", E(1, 1, "expected a time in seconds, got 'nan'")},
    {"1.5.2 key a\n", E(1, 1, "expected a time in seconds, got '1.5.2'")},
    {".5 key a\n", E(1, 1, "expected a time in seconds, got '.5'")},
    {"1000000001 key a\n", E(1, 1, "the time must be at most 1000000000 seconds, got "
                                   "'1000000001'")},
    {"2\n", E(1, 2, "expected an event after the time: key, click, touch, down, move, up, "
                    "scroll or osc")},
    {"1 tap 3 4\n", E(1, 3, "unknown event 'tap'; did you mean 'touch'?")},
    {"1 swipe 3 4\n", E(1, 3, "unknown event 'swipe'; valid events: key, click, touch, down, "
                              "move, up, scroll, osc")},
    {"1 dwn 3 4\n", E(1, 3, "unknown event 'dwn'; did you mean 'down'?")},
    {"1 down 3\n", E(1, 9, "'down' " XY_NEEDED "down 960 540 1'")},
    {"1 up 3 4 x\n", E(1, 10, "expected a finger id (a whole number from 0 to 1000000), got 'x'")},
    {"1 move 3 4 -1\n", E(1, 12, "expected a finger id (a whole number from 0 to 1000000), got "
                                 "'-1'")},
    {"1 move 3 4 1.5\n", E(1, 12, "expected a finger id (a whole number from 0 to 1000000), "
                                  "got '1.5'")},
    {"1 down 3 4 1000001\n", E(1, 12, "expected a finger id (a whole number from 0 to 1000000), "
                                      "got '1000001'")},
    {"1 down 3 4 1 2\n", E(1, 14, "unexpected '2' after the event; write one event a line")},
    {"1 scroll 3 4\n", E(1, 13, "'scroll' needs X and Y canvas coordinates and the wheel notches "
                                "(positive: the content moves up), like '2.5 scroll 960 540 3'")},
    {"1 scroll 3 4 1e4\n", E(1, 14, "expected the wheel notches, -1000 to 1000, got '1e4'")},
    {"1 scroll 3 4 1 2\n", E(1, 16, "unexpected '2' after the event; write one event a line")},
    {"1 clik 3 4\n", E(1, 3, "unknown event 'clik'; did you mean 'click'?")},
    {"1 KEY a\n", E(1, 3, "unknown event 'KEY'; did you mean 'key'?")},
    {"1 click 3\n", E(1, 10, "'click' " XY_NEEDED "click 960 540'")},
    {"1 touch\n", E(1, 8, "'touch' " XY_NEEDED "touch 960 540'")},
    {"1 touch x 4\n", E(1, 9, "expected a number for X, got 'x'")},
    {"1 click 1 .inf\n", E(1, 11, "expected a number for Y, got '.inf'")},
    {"1 click 0x1 1e999\n", E(1, 9, "expected a number for X, got '0x1'")
                            E(1, 13, "expected a number for Y, got '1e999'")},
    {"1 click 1 2 3\n", E(1, 13, "unexpected '3' after the event; write one event a line")},
    {"1 key\n", E(1, 6, "'key' needs a key name, like '2.5 key space'")},
    {"1 key   \n", E(1, 9, "'key' needs a key name, like '2.5 key space'")},
    {"1 key aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
     E(1, 7, "key name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' is too long; key names have at most 31 "
             "bytes")},
    {"1 key left\tshift\n", E(1, 7, "key name 'left?shift' holds a tab or a control character; "
                                    "write it as SDL names it, like 'left shift'")},
    {"x key\n", E(1, 1, "expected a time in seconds, got 'x'")
                E(1, 6, "'key' needs a key name, like '2.5 key space'")},
    {"1 osc\n", E(1, 6, "'osc' needs an address, like '2.5 osc /room/door'")},
    {"1 osc room/door\n", E(1, 7, "'room/door' is not an OSC address; write '/' and up to 30 "
                                   "printable characters, like /room/door")},
    {"1 osc /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
     E(1, 7, "'/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' is not an OSC address; write '/' and up to 30 "
             "printable characters, like /room/door")},
    {"1 osc /a \x01\n", E(1, 7, "the arguments of '/a' hold a control character")},
    /* Every error of a script, in order, with the lines around them read fine. */
    {"# intro\n0 key a\n\nabc click 1 2\n1 tap\n   2 click 1\n3 key space\n",
     E(4, 1, "expected a time in seconds, got 'abc'")
     E(5, 3, "unknown event 'tap'; did you mean 'touch'?")
     E(6, 13, "'click' " XY_NEEDED "click 960 540'")},
};

static void check_bad(const bad_case *bc) {
    vt_diags d = {0};
    vt_event *ev = (vt_event *)&d;
    size_t n = 99;
    vt_status st = vt_events_parse(bc->script, strlen(bc->script), PATH, &ev, &n, &d);
    char *got = diags_text(&d);
    VT_CHECK_INT(st, VT_E_DATAERR);
    VT_CHECK(ev == NULL);
    VT_CHECK_INT(n, 0);
    VT_CHECK_STR(got, bc->expected);
    free(got);
    vt_diags_free(&d);
}

static void test_valid_sorted(void) {
    static const char text[] = "# a visit\r\n"
                               "2.5 key Space\r\n"
                               "0 click 960 540\n"
                               "1\ttouch  -10.5 2e2\n"
                               "2.5 key Left Shift  \n"
                               "   \n"
                               "1 key a\n"
                               "0.000001 click 0 0";
    vt_diags d = {0};
    vt_event *ev = NULL;
    size_t n = 0;
    VT_CHECK_INT(vt_events_parse(text, sizeof text - 1, PATH, &ev, &n, &d), VT_OK);
    VT_CHECK_INT(d.count, 0);
    VT_CHECK_INT(n, 6);
    if (n != 6) {
        free(ev);
        return;
    }
    static const struct {
        vt_event_type type;
        double seconds;
        int line;
        const char *name;
        double x, y;
    } want[] = {
        {VT_EVENT_CLICK, 0, 3, "", 960, 540},     {VT_EVENT_CLICK, 1e-6, 8, "", 0, 0},
        {VT_EVENT_TOUCH, 1, 4, "", -10.5, 200},   {VT_EVENT_KEY, 1, 7, "a", 0, 0},
        {VT_EVENT_KEY, 2.5, 2, "space", 0, 0},    {VT_EVENT_KEY, 2.5, 5, "left shift", 0, 0},
    };
    for (size_t i = 0; i < 6; i++) {
        VT_CHECK_INT(ev[i].type, want[i].type);
        VT_CHECK_INT(ev[i].time, vt_ticks_from_seconds(want[i].seconds));
        VT_CHECK_INT(ev[i].line, want[i].line);
        VT_CHECK_STR(ev[i].name, want[i].name);
        VT_CHECK_NEAR(ev[i].x, want[i].x, 0);
        VT_CHECK_NEAR(ev[i].y, want[i].y, 0);
    }
    VT_CHECK_INT(ev[4].time, VT_TICKS_PER_SEC * 5 / 2);
    free(ev);
    vt_diags_free(&d);
}

static void test_empty_and_comments(void) {
    const char *texts[] = {"", "\n\n", "# only a comment\n", "\xEF\xBB\xBF# with a BOM\n"};
    for (size_t i = 0; i < 4; i++) {
        vt_diags d = {0};
        vt_event *ev = NULL;
        size_t n = 7;
        VT_CHECK_INT(vt_events_parse(texts[i], strlen(texts[i]), PATH, &ev, &n, &d), VT_OK);
        VT_CHECK_INT(n, 0);
        VT_CHECK_INT(d.count, 0);
        free(ev);
    }
}

static void test_limits(void) {
    /* 100,000 events are fine; the next one is refused at its line. */
    size_t lines = 100001;
    char *t = vt_xmalloc(lines * 8 + 1);
    for (size_t i = 0; i < lines; i++) {
        memcpy(t + i * 8, "9 key a\n", 8);
    }
    vt_diags d = {0};
    vt_event *ev = NULL;
    size_t n = 0;
    VT_CHECK_INT(vt_events_parse(t, (lines - 1) * 8, PATH, &ev, &n, &d), VT_OK);
    VT_CHECK_INT(n, 100000);
    free(ev);
    VT_CHECK_INT(vt_events_parse(t, lines * 8, PATH, &ev, &n, &d), VT_E_DATAERR);
    char *got = diags_text(&d);
    VT_CHECK_STR(got, E(100001, 1, "more than 100000 events; split the script"));
    free(got);
    vt_diags_free(&d);
    free(t);
    /* Over 1 MiB: refused before reading a line. */
    size_t big = (1u << 20) + 1;
    t = vt_xmalloc(big);
    memset(t, '\n', big);
    VT_CHECK_INT(vt_events_parse(t, big, PATH, &ev, &n, &d), VT_E_DATAERR);
    got = diags_text(&d);
    VT_CHECK_STR(got, E(1, 1, "the file is larger than 1048576 bytes (1 MiB), the most an event "
                              "script may be; make it smaller"));
    free(got);
    vt_diags_free(&d);
    free(t);
}

static void test_load_file(void) {
    vt_diags d = {0};
    vt_event *ev = NULL;
    size_t n = 0;
    VT_CHECK_INT(vt_events_load("scenes/visit.events", &ev, &n, &d), VT_OK);
    VT_CHECK_INT(n, 4);
    if (n == 4) {
        VT_CHECK_STR(ev[0].name, "return");
        VT_CHECK_INT(ev[0].line, 3);
        VT_CHECK_INT(ev[1].type, VT_EVENT_TOUCH);
        VT_CHECK_INT(ev[2].type, VT_EVENT_CLICK);
        VT_CHECK_NEAR(ev[2].y, 1000, 0);
        VT_CHECK_INT(ev[2].time, VT_TICKS_PER_SEC * 5 / 4);
        VT_CHECK_STR(ev[3].name, "space");
    }
    free(ev);
    VT_CHECK_INT(vt_events_load("scenes/none.events", &ev, &n, &d), VT_E_NOINPUT);
    char *got = diags_text(&d);
    VT_CHECK_STR(got, "scenes/none.events: error: cannot open: No such file or directory\n");
    free(got);
    vt_diags_free(&d);
}

/* OSC lines: the address, and the rest of the line as its arguments. */
static void test_osc(void) {
    const char *text = "2 osc /vitrine/set box.color s:#ff8800\n1 osc /room/door\n"
                       "3 osc   /vitrine/seek\tgo 1.5  \n";
    vt_diags d = {0};
    vt_event *ev = NULL;
    size_t n = 0;
    VT_CHECK_INT(vt_events_parse(text, strlen(text), PATH, &ev, &n, &d), VT_OK);
    VT_CHECK_INT(n, 3);
    if (n == 3) {
        VT_CHECK_INT(ev[0].type, VT_EVENT_OSC);
        VT_CHECK_STR(ev[0].name, "/room/door");
        VT_CHECK_STR(ev[0].args, "");
        VT_CHECK_STR(ev[1].name, "/vitrine/set");
        VT_CHECK_STR(ev[1].args, "box.color s:#ff8800");
        VT_CHECK_STR(ev[2].args, "go 1.5");
    }
    free(ev);
    vt_diags_free(&d);
}

/* Pointer lines: a finger id (0 when not given) on down, move and up; touch and click are
 * taps; scroll carries its notches. */
static void test_pointer(void) {
    const char *text = "1 down 10 20\n1.5 move 30 40 7\n2 up 50 60.5 7\n2 scroll 5 6 -2.5\n"
                       "3 touch 1 2\n3 click 3 4\n";
    vt_diags d = {0};
    vt_event *ev = NULL;
    size_t n = 0;
    VT_CHECK_INT(vt_events_parse(text, strlen(text), PATH, &ev, &n, &d), VT_OK);
    VT_CHECK_INT(d.count, 0);
    VT_CHECK_INT(n, 6);
    if (n == 6) {
        static const struct {
            vt_event_type type;
            int64_t pointer;
            bool tap;
            double x, y, dy;
        } want[] = {{VT_EVENT_TOUCH, 0, false, 10, 20, 0}, {VT_EVENT_MOVE, 7, false, 30, 40, 0},
                    {VT_EVENT_UP, 7, false, 50, 60.5, 0},  {VT_EVENT_SCROLL, 0, false, 5, 6, -2.5},
                    {VT_EVENT_TOUCH, 0, true, 1, 2, 0},    {VT_EVENT_CLICK, 0, true, 3, 4, 0}};
        for (size_t i = 0; i < 6; i++) {
            VT_CHECK_INT(ev[i].type, want[i].type);
            VT_CHECK_INT(ev[i].pointer, want[i].pointer);
            VT_CHECK_INT(ev[i].tap, want[i].tap);
            VT_CHECK_NEAR(ev[i].x, want[i].x, 0);
            VT_CHECK_NEAR(ev[i].y, want[i].y, 0);
            VT_CHECK_NEAR(ev[i].dy, want[i].dy, 0);
        }
    }
    free(ev);
    vt_diags_free(&d);
}

int main(void) {
    test_pointer();
    test_osc();
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        check_bad(&bad_cases[i]);
    }
    test_valid_sorted();
    test_empty_and_comments();
    test_limits();
    test_load_file();
    return vt_test_finish("test_events");
}
