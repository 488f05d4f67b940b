/* Tests for the WebVTT parser: every feature of a valid file, each error with its exact
 * path:line message, BOM and line endings, limits, and active-cue look-ups at exact ticks. */
#include "text/vt_text.h"
#include "vt_test.h"

#define MS(ms) ((vt_ticks)(ms) * (VT_TICKS_PER_SEC / 1000))
#define NB "\xC2\xA0"

/* The diagnostics, sorted, as `vitrine check` prints them (free() the result). */
static char *diags_text(vt_diags *d) {
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    vt_diags_sort(d);
    vt_diags_print(d, f);
    fclose(f);
    return buf;
}

static vt_status parse_str(const char *s, vt_vtt *v, char **messages) {
    vt_diags d = {0};
    vt_status st = vt_vtt_parse(s, strlen(s), "mem.vtt", v, &d);
    *messages = diags_text(&d);
    vt_diags_free(&d);
    return st;
}

static void test_features(void) {
    vt_vtt v = {0};
    vt_diags d = {0};
    VT_CHECK_INT(vt_vtt_load("vtt/features.vtt", &v, &d), VT_OK);
    char *msgs = diags_text(&d);
    VT_CHECK_STR(msgs, "");
    free(msgs);
    vt_diags_free(&d);
    VT_CHECK_INT(v.count, 6);
    if (v.count != 6) {
        vt_vtt_free(&v);
        return;
    }
    /* sorted by start; the two cues at 1 s keep their file order */
    const vt_vtt_cue *c = v.cues;
    VT_CHECK_STR(c[0].id, "intro");
    VT_CHECK_INT(c[0].start, MS(1000));
    VT_CHECK_INT(c[0].end, MS(4000));
    VT_CHECK_INT(c[0].line, 16);
    VT_CHECK_STR(c[0].settings, "align:center line:90%");
    VT_CHECK_STR(c[0].payload, "<v Guide>Bienvenue</v> dans la <b>salle</b> <i>trois</i> !\n"
                               "<c.jaune>Deuxième</c> <u>ligne</u>");
    VT_CHECK_STR(c[0].text, "Bienvenue dans la salle trois !\nDeuxième ligne");
    VT_CHECK_STR(c[1].id, "");
    VT_CHECK_INT(c[1].line, 30);
    VT_CHECK_STR(c[1].text, "même début, après dans le fichier");
    VT_CHECK_STR(c[2].id, "karaoke");
    VT_CHECK_STR(c[2].text, "un deux trois");
    VT_CHECK_STR(c[2].settings, "");
    VT_CHECK_INT(c[3].start, MS(3500));
    VT_CHECK_STR(c[3].text, "Tom & Jerry <3 > " NB "fin\xE2\x80\x8E\xE2\x80\x8F &copy; éA&#0;"
                            "&#xD800;");
    VT_CHECK_INT(c[4].start, MS(6000));
    VT_CHECK_STR(c[4].payload, "");
    VT_CHECK_STR(c[4].text, "");
    VT_CHECK_INT(c[5].start, MS(3600000));
    VT_CHECK_INT(c[5].end, MS(3602250));
    VT_CHECK_STR(c[5].text, "漢字 hello");
    vt_vtt_free(&v);
    vt_vtt_free(&v); /* a freed vt_vtt frees nothing */
}

static void test_active(void) {
    vt_vtt v = {0};
    vt_diags d = {0};
    vt_vtt_load("vtt/features.vtt", &v, &d);
    vt_diags_free(&d);
    static const struct {
        vt_ticks t;
        int line; /* the timing line of the cue expected, 0 for none */
    } cases[] = {
        {-1, 0},
        {0, 0},
        {MS(1000) - 1, 0},
        {MS(1000), 30}, /* two start together: the later in the file */
        {MS(2000) - 1, 30},
        {MS(2000), 27}, /* 30 ended (end exclusive); karaoke starts */
        {MS(3000), 16},
        {MS(3500), 20},
        {MS(4000), 20},
        {MS(5000) - 1, 20},
        {MS(5000), 0},
        {MS(6000), 33},
        {MS(7000), 0},
        {MS(3600000), 23},
        {MS(3602250) - 1, 23},
        {MS(3602250), 0},
        {INT64_MAX, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const vt_vtt_cue *c = vt_vtt_active(&v, cases[i].t);
        VT_CHECK_INT(c ? c->line : 0, cases[i].line);
    }
    const vt_vtt_cue *all[4];
    VT_CHECK_INT(vt_vtt_active_all(&v, MS(1000), all, 4), 2);
    VT_CHECK_INT(all[0]->line, 16);
    VT_CHECK_INT(all[1]->line, 30);
    VT_CHECK_INT(vt_vtt_active_all(&v, MS(3500), all, 1), 2);
    VT_CHECK_INT(all[0]->line, 16);
    VT_CHECK_INT(vt_vtt_active_all(&v, MS(5500), all, 4), 0);
    VT_CHECK_INT(vt_vtt_next_change(&v, 0), MS(1000));
    VT_CHECK_INT(vt_vtt_next_change(&v, MS(1000)), MS(2000));
    VT_CHECK_INT(vt_vtt_next_change(&v, MS(3000)), MS(3500));
    VT_CHECK_INT(vt_vtt_next_change(&v, MS(4500)), MS(5000));
    VT_CHECK_INT(vt_vtt_next_change(&v, MS(7000)), MS(3600000));
    VT_CHECK_INT(vt_vtt_next_change(&v, MS(3602250)), -1);
    vt_vtt_free(&v);
    VT_CHECK(vt_vtt_active(&v, 0) == NULL);
    VT_CHECK_INT(vt_vtt_next_change(&v, 0), -1);
}

static void test_errors(void) {
    vt_vtt v = {0};
    vt_diags d = {0};
    VT_CHECK_INT(vt_vtt_load("vtt/errors.vtt", &v, &d), VT_E_DATAERR);
    char *msgs = diags_text(&d);
    const char *ex = "expected a time like 00:01.500 --> 00:04.000";
    char *want = vt_xasprintf(
        "vtt/errors.vtt:3: error: bad cue timing \"00:01,000 --> 00:02.000\": use a dot before "
        "the milliseconds, not a comma; %s\n"
        "vtt/errors.vtt:6: error: cue ends (00:02.000) before it starts (00:03.000); swap the "
        "times or fix the end time\n"
        "vtt/errors.vtt:9: error: cue ends when it starts (00:04.000), so it would never show; "
        "give it an end time after its start\n"
        "vtt/errors.vtt:13: error: \"juste du texte\" is not a cue timing; %s (a cue is an "
        "optional identifier line, its timing, then its text)\n"
        "vtt/errors.vtt:15: error: bad cue timing \"00:05.000 -> 00:06.000\": the start and end "
        "times are separated by -->; %s\n"
        "vtt/errors.vtt:18: error: bad cue timing \"00:61.000 --> 00:62.000\": minutes and "
        "seconds go from 00 to 59; %s\n"
        "vtt/errors.vtt:21: warning: unknown cue setting \"alignn\" (ignored); did you mean "
        "\"align\"?\n"
        "vtt/errors.vtt:21: warning: cue setting \"vertical\" has no value; write it as "
        "name:value, like align:center\n"
        "vtt/errors.vtt:23: warning: a blank line is missing before this cue (cue text cannot "
        "contain -->); add an empty line above it\n"
        "vtt/errors.vtt:26: error: \"seul\" is not a cue: a cue needs a timing line (%s); add one "
        "after it or remove the line\n"
        "vtt/errors.vtt:28: error: bad cue timing \"1:02.000 --> 00:03.000\": minutes and "
        "seconds take two digits each; %s\n"
        "vtt/errors.vtt:31: error: bad cue timing \"00:11.000 --> 00:12.000x\": put a space "
        "between the end time and the cue settings; %s\n"
        "vtt/errors.vtt:34: error: bad cue timing \"00:13.000 --> 00:14.00\": milliseconds take "
        "three digits after a dot; %s\n",
        ex, ex, ex, ex, ex, ex, ex, ex);
    VT_CHECK_STR(msgs, want);
    free(want);
    free(msgs);
    vt_diags_free(&d);
    /* the good cues around the bad ones are kept */
    VT_CHECK_INT(v.count, 2);
    if (v.count == 2) {
        VT_CHECK_STR(v.cues[0].text, "réglages");
        VT_CHECK_STR(v.cues[0].settings, "alignn:center vertical");
        VT_CHECK_INT(v.cues[1].start, MS(9000));
        VT_CHECK_STR(v.cues[1].text, "collé");
    }
    vt_vtt_free(&v);
}

static void test_crlf_bom(void) {
    vt_vtt v = {0};
    vt_diags d = {0};
    VT_CHECK_INT(vt_vtt_load("vtt/crlf_bom.vtt", &v, &d), VT_E_DATAERR);
    char *msgs = diags_text(&d);
    VT_CHECK_STR(msgs, "vtt/crlf_bom.vtt:8: error: cue ends (00:01.000) before it starts "
                       "(00:02.000); swap the times or fix the end time\n");
    free(msgs);
    vt_diags_free(&d);
    VT_CHECK_INT(v.count, 2);
    if (v.count == 2) {
        VT_CHECK_STR(v.cues[0].id, "un");
        VT_CHECK_INT(v.cues[0].start, MS(500));
        VT_CHECK_STR(v.cues[0].text, "ligne A\nligne B");
        VT_CHECK_INT(v.cues[1].line, 11);
        VT_CHECK_STR(v.cues[1].text, "fin");
    }
    vt_vtt_free(&v);
}

typedef struct str_case {
    const char *text;
    vt_status status;
    size_t cues;
    const char *messages;
} str_case;

static const str_case str_cases[] = {
    {"", VT_E_DATAERR, 0, "mem.vtt:1: error: the file is empty; the file must start with WEBVTT\n"},
    {"WEBVTTX\n\n00:01.000 --> 00:02.000\na\n", VT_E_DATAERR, 0,
     "mem.vtt:1: error: the file must start with WEBVTT (found \"WEBVTTX\"); add a first line "
     "reading WEBVTT\n"},
    {"webvtt\n", VT_E_DATAERR, 0,
     "mem.vtt:1: error: the file must start with WEBVTT (found \"webvtt\"); write it in "
     "capitals\n"},
    {"1\n00:00:01,000 --> 00:00:02,000\nSRT\n", VT_E_DATAERR, 0,
     "mem.vtt:1: error: the file must start with WEBVTT (found \"1\"); add a first line reading "
     "WEBVTT\n"},
    {"WEBVTT\n00:01.000 --> 00:02.000\nhi\n", VT_E_DATAERR, 1,
     "mem.vtt:2: error: a blank line is missing between the header and this cue; add an empty "
     "line above it\n"},
    {"WEBVTT\tfoo\n\n00:01.000 --> 00:02.000\nhi", VT_OK, 1, ""},
    {"WEBVTT", VT_OK, 0, ""},
    {"\xEF\xBB\xBFWEBVTT\n\n\n\nNOTE -->\n\n00:01.000 --> 00:02.000 region:r\nhi\n\n\n", VT_OK, 1,
     ""},
    {"WEBVTT\r\r00:01.000 --> 00:02.000\rA\rB\r\r", VT_OK, 1, ""},
    {"WEBVTT\n\n00:01.000 --> 00:02.000\nh\xC3(\n", VT_E_DATAERR, 0,
     "mem.vtt:4: error: invalid UTF-8 at byte offset 33; save the file as UTF-8\n"},
    {"WEBVTT\r\n\r\n\xC3", VT_E_DATAERR, 0,
     "mem.vtt:3: error: invalid UTF-8 at byte offset 10; save the file as UTF-8\n"},
    {"WEBVTT\n\n1234567:00:00.000 --> 1234567:00:01.000\nx\n", VT_E_DATAERR, 0,
     "mem.vtt:3: error: bad cue timing \"1234567:00:00.000 --> 1234567:00:01.000\": the hours "
     "are too large; expected a time like 00:01.500 --> 00:04.000\n"},
    {"WEBVTT\n\n00:00:00.000 --> 00:00:00.001\nx\n", VT_OK, 1, ""},
    {"WEBVTT\n\nid\n", VT_E_DATAERR, 0,
     "mem.vtt:3: error: \"id\" is not a cue: a cue needs a timing line (expected a time like "
     "00:01.500 --> 00:04.000); add one after it or remove the line\n"},
    {"WEBVTT\n\n<b>x</b> --> \n", VT_E_DATAERR, 0,
     "mem.vtt:3: error: bad cue timing \"<b>x</b> --> \": a time must start with digits; "
     "expected a time like 00:01.500 --> 00:04.000\n"},
};

static void test_strings(void) {
    for (size_t i = 0; i < sizeof str_cases / sizeof str_cases[0]; i++) {
        vt_vtt v = {0};
        char *msgs = NULL;
        vt_status st = parse_str(str_cases[i].text, &v, &msgs);
        if (st != str_cases[i].status || v.count != str_cases[i].cues) {
            fprintf(stderr, "string case %zu\n", i);
        }
        VT_CHECK_INT(st, str_cases[i].status);
        VT_CHECK_INT(v.count, str_cases[i].cues);
        VT_CHECK_STR(msgs, str_cases[i].messages);
        free(msgs);
        vt_vtt_free(&v);
    }
    /* CR line ends, and times with and without hours */
    vt_vtt v = {0};
    char *msgs = NULL;
    parse_str("WEBVTT\r\r00:01.000 --> 00:00:02.000\rA\rB\r\r12:34:56.789 --> 100:00:00.000\rC", &v,
              &msgs);
    free(msgs);
    VT_CHECK_INT(v.count, 2);
    if (v.count == 2) {
        VT_CHECK_STR(v.cues[0].text, "A\nB");
        VT_CHECK_INT(v.cues[0].end, MS(2000));
        VT_CHECK_INT(v.cues[1].start, MS(45296789));
        VT_CHECK_INT(v.cues[1].end, INT64_C(100) * 3600 * VT_TICKS_PER_SEC);
        VT_CHECK_INT(v.cues[1].line, 7);
    }
    vt_vtt_free(&v);
    /* a NUL byte cannot go through strlen: give the length */
    vt_diags d = {0};
    VT_CHECK_INT(vt_vtt_parse("WEBVTT\n\0", 8, "nul.vtt", &v, &d), VT_E_DATAERR);
    msgs = diags_text(&d);
    VT_CHECK_STR(msgs, "nul.vtt:2: error: NUL byte at byte offset 7; a WebVTT file is plain "
                       "text\n");
    free(msgs);
    vt_diags_free(&d);
    vt_vtt_free(&v);
}

/* Appends s to a growing buffer. */
static void append(char **buf, size_t *len, size_t *cap, const char *s) {
    size_t n = strlen(s);
    if (*len + n + 1 > *cap) {
        *cap = (*len + n + 1) * 2;
        *buf = vt_xrealloc(*buf, *cap);
    }
    memcpy(*buf + *len, s, n + 1);
    *len += n;
}

/* A line above 64 KiB: its cue is skipped, the next one kept. */
static void test_long_lines(void) {
    size_t len = 0, cap = 0;
    char *buf = NULL;
    append(&buf, &len, &cap, "WEBVTT\n\n00:01.000 --> 00:02.000\n");
    char *longline = vt_xmalloc(70001);
    memset(longline, 'a', 70000);
    longline[70000] = '\0';
    append(&buf, &len, &cap, longline);
    append(&buf, &len, &cap, "\n\n00:03.000 --> 00:04.000\nok\n");
    free(longline);
    vt_vtt v = {0};
    char *msgs = NULL;
    VT_CHECK_INT(parse_str(buf, &v, &msgs), VT_E_DATAERR);
    VT_CHECK_STR(msgs, "mem.vtt:4: error: line too long (70000 bytes; the limit is 65536); "
                       "break it up\n");
    VT_CHECK_INT(v.count, 1);
    free(msgs);
    vt_vtt_free(&v);
    /* a long timing line, and a long line holding --> in cue text: one message each */
    len = 0;
    append(&buf, &len, &cap, "WEBVTT\n\n00:01.000 --> 00:02.000 ");
    size_t at = len;
    for (int i = 0; i < 17000; i++) {
        append(&buf, &len, &cap, "a:b ");
    }
    append(&buf, &len, &cap, "\ntext\n\n00:03.000 --> 00:04.000\nok\n");
    memcpy(buf + at + 40000, "-->", 3);
    char *again = vt_xstrdup(buf + 8); /* the same again, the long line now cue text */
    append(&buf, &len, &cap, again);
    free(again);
    VT_CHECK_INT(parse_str(buf, &v, &msgs), VT_E_DATAERR);
    VT_CHECK_STR(msgs, "mem.vtt:3: error: line too long (68024 bytes; the limit is 65536); "
                       "break it up\n"
                       "mem.vtt:8: error: line too long (68024 bytes; the limit is 65536); "
                       "break it up\n");
    VT_CHECK_INT(v.count, 1);
    free(msgs);
    vt_vtt_free(&v);
    free(buf);
}

/* More than 100,000 cues, in reverse order to exercise the sort. */
static void test_many_cues(void) {
    size_t len = 0, cap = 0;
    char *buf = NULL, *msgs = NULL;
    vt_vtt v = {0};
    append(&buf, &len, &cap, "WEBVTT\n");
    for (int i = VT_VTT_MAX_CUES; i >= 0; i--) {
        char cue[64];
        snprintf(cue, sizeof cue, "\n%02d:%02d.%03d --> 99:00:00.000\nc\n", i / 60000,
                 i / 1000 % 60, i % 1000);
        append(&buf, &len, &cap, cue);
    }
    VT_CHECK_INT(parse_str(buf, &v, &msgs), VT_E_DATAERR);
    VT_CHECK_STR(msgs, "mem.vtt:300003: error: too many cues (the limit is 100000); split the "
                       "file\n");
    VT_CHECK_INT(v.count, VT_VTT_MAX_CUES);
    VT_CHECK_INT(v.cues[0].start, MS(1));
    VT_CHECK_INT(vt_vtt_active(&v, MS(50000))->start, MS(50000));
    free(msgs);
    vt_vtt_free(&v);
    free(buf);
}

static void test_big_file(void) {
    vt_vtt v = {0};
    char *buf, *msgs;
    size_t big = VT_VTT_MAX_FILE_BYTES + 1;
    buf = vt_xmalloc(big);
    memset(buf, '\n', big);
    memcpy(buf, "WEBVTT", 6);
    vt_diags d = {0};
    VT_CHECK_INT(vt_vtt_parse(buf, big, "big.vtt", &v, &d), VT_E_DATAERR);
    msgs = diags_text(&d);
    VT_CHECK_STR(msgs, "big.vtt: error: file too large (16777217 bytes; the limit is 16777216); "
                       "split it into several files\n");
    free(msgs);
    vt_diags_free(&d);
    free(buf);
    VT_CHECK_INT(vt_vtt_load("vtt/missing.vtt", &v, &d), VT_E_NOINPUT);
    msgs = diags_text(&d);
    VT_CHECK_STR(msgs, "vtt/missing.vtt: error: cannot open: No such file or directory\n");
    free(msgs);
    vt_diags_free(&d);
}

/* Hostile files cannot produce unbounded messages. */
static void test_message_caps(void) {
    size_t len = 0, cap = 0;
    char *buf = NULL;
    append(&buf, &len, &cap, "WEBVTT\n");
    for (int i = 0; i < 1500; i++) {
        append(&buf, &len, &cap, "\nx\n");
    }
    vt_diags d = {0};
    vt_vtt v = {0};
    VT_CHECK_INT(vt_vtt_parse(buf, len, "cap.vtt", &v, &d), VT_E_DATAERR);
    VT_CHECK_INT(d.errors, 1001);
    if (d.count == 1001) {
        VT_CHECK_INT(d.items[1000].line, 2003);
        VT_CHECK_STR(d.items[1000].message,
                     "too many errors (more than 1000); stopping here: fix these first");
    }
    vt_diags_free(&d);
    vt_vtt_free(&v);
    len = 0;
    append(&buf, &len, &cap, "WEBVTT\n\n00:01.000 --> 00:02.000");
    for (int i = 0; i < 1500; i++) {
        append(&buf, &len, &cap, " a:1");
    }
    append(&buf, &len, &cap, "\ntext\n");
    VT_CHECK_INT(vt_vtt_parse(buf, len, "cap.vtt", &v, &d), VT_OK);
    VT_CHECK_INT(d.warnings, 1001);
    VT_CHECK_INT(v.count, 1);
    if (d.count == 1001) {
        VT_CHECK_STR(d.items[0].message, "unknown cue setting \"a\" (ignored)");
        VT_CHECK_STR(d.items[1000].message,
                     "too many warnings (more than 1000); the rest are left out");
    }
    vt_diags_free(&d);
    vt_vtt_free(&v);
    free(buf);
}

int main(void) {
    test_features();
    test_active();
    test_errors();
    test_crlf_bom();
    test_strings();
    test_long_lines();
    test_many_cues();
    test_big_file();
    test_message_caps();
    return vt_test_finish("test_webvtt");
}
