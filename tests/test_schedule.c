/* Tests of opening hours: the `schedule:` block read from a scene and a config (values and one
 * case per rule with exact messages), and evaluation at UTC instants with exact next changes,
 * around openings, midnight, closed and late dates and DST nights (Europe/Paris,
 * America/New_York); a property check on random instants and a small fuzz of the parser. */
#include "hours/vt_hours.h"
#include "config/vt_config.h"
#include "scene/vt_scene.h"
#include "vt_test.h"
#include "diag_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PATH "scenes/t.yaml"
#define E(line, col, msg) PATH ":" #line ":" #col ": error: " msg "\n"
/* The schedule's keys start on line 4. */
#define HEAD "format: vitrine/1\ncanvas: {size: [64, 48]}\nschedule:\n"
#define PARIS "  timezone: Europe/Paris\n"
#define WEEK "  open: {mon-fri: \"09:00-18:00\", sat-sun: \"10:00-19:00\"}\n"
#define DAYS_FIX                                                                                   \
    "is not a day or days; write mon tue wed thu fri sat sun, a range like mon-fri or a list "     \
    "like mon,wed"
#define HOURS_FIX "write hours like \"09:00-18:00\" or \"10:00-12:30, 14:00-19:00\""

/* "2026-11-25T08:00:00" (UTC) -> time_t. */
static time_t utc(const char *s) {
    int y, mo, d, h, mi, se;
    if (sscanf(s, "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &se) != 6) {
        abort();
    }
    return (time_t)vt_schedule_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
}

static vt_scene *load(const char *text) {
    vt_diags d = {0};
    vt_scene *scene = NULL;
    VT_CHECK_INT(vt_scene_load_string(text, strlen(text), PATH, 0, &scene, &d), VT_OK);
    char *got = diags_text(&d);
    VT_CHECK_STR(got, "");
    free(got);
    vt_diags_free(&d);
    return scene;
}

/* At `at`: open or not, and the next change (NULL: never). */
static void expect(const vt_schedule *s, const char *at, bool open, const char *next) {
    time_t n = 0;
    bool got = vt_schedule_open_at(s, utc(at), &n);
    time_t want = next ? utc(next) : VT_SCHEDULE_NEVER;
    if (got != open || n != want) {
        fprintf(stderr, "at %s (%s): got %s, next %lld; want %s, next %lld\n", at, s->timezone,
                got ? "open" : "closed", (long long)n, open ? "open" : "closed", (long long)want);
    }
    VT_CHECK_INT(got, open);
    VT_CHECK_INT(n, want);
}

static void test_days(void) {
    VT_CHECK_INT(vt_schedule_days(1970, 1, 1), 0);
    VT_CHECK_INT(vt_schedule_days(2026, 1, 1), 20454);
    VT_CHECK_INT(vt_schedule_days(2000, 3, 1), 11017);
    int y, m, d;
    vt_schedule_civil(vt_schedule_days(2028, 2, 29), &y, &m, &d);
    VT_CHECK(y == 2028 && m == 2 && d == 29);
    for (int32_t day = 0; day < 90000; day += 7) {
        vt_schedule_civil(day, &y, &m, &d);
        VT_CHECK_INT(vt_schedule_days(y, m, d), day);
    }
}

static void test_values(void) {
    vt_scene *scene =
        load(HEAD PARIS WEEK "  closed: [2027-01-01, 2026-12-25]\n"
                             "  late: {2026-12-18: \"09:00-22:00\", 2026-12-11: \"09:00-12:00, "
                             "12:00-13:00,14:00-23:00\"}\n"
                             "  outside_hours: display-off\n"
                             "  wake_on_input: true\n");
    const vt_schedule *s = &scene->schedule;
    VT_CHECK(s->present && s->wake_on_input);
    VT_CHECK_STR(s->timezone, "Europe/Paris");
    VT_CHECK_INT(s->outside_hours, VT_OUTSIDE_DISPLAY_OFF);
    VT_CHECK_INT(s->line, 3);
    VT_CHECK_INT(s->col, 1);
    VT_CHECK_INT(s->week[0].count, 1);
    VT_CHECK_INT(s->week[4].ranges[0].start, 540);
    VT_CHECK_INT(s->week[4].ranges[0].end, 1080);
    VT_CHECK_INT(s->week[6].ranges[0].start, 600);
    VT_CHECK_INT(s->closed_count, 2);
    VT_CHECK_INT(s->closed[0], vt_schedule_days(2026, 12, 25)); /* sorted */
    VT_CHECK_INT(s->late_count, 2);
    VT_CHECK_INT(s->late[0].day, vt_schedule_days(2026, 12, 11));
    VT_CHECK_INT(s->late[0].hours.count, 2); /* 09:00-12:00 and 12:00-13:00 merged */
    VT_CHECK_INT(s->late[0].hours.ranges[0].end, 780);
    VT_CHECK_INT(s->late[0].hours.ranges[1].start, 840);
    vt_scene_destroy(scene);

    scene = load(
        HEAD "  open:\n    wed,fri: \"10:00-12:00\"\n    sat-mon: closed\n    tue: 00:00-24:00\n");
    s = &scene->schedule;
    VT_CHECK_STR(s->timezone, "");
    VT_CHECK_INT(s->outside_hours, VT_OUTSIDE_BLANK);
    VT_CHECK(!s->wake_on_input);
    VT_CHECK_INT(s->week[0].count, 0); /* sat-mon wraps past Sunday */
    VT_CHECK_INT(s->week[1].ranges[0].end, 1440);
    VT_CHECK_INT(s->week[2].ranges[0].start, 600);
    VT_CHECK_INT(s->week[3].count, 0);
    VT_CHECK_INT(s->week[4].ranges[0].start, 600);
    vt_scene_destroy(scene);

    scene = load("format: vitrine/1\ncanvas: {size: [64, 48]}\n");
    VT_CHECK(!scene->schedule.present);
    expect(&scene->schedule, "2026-11-25T03:00:00", true, NULL);
    vt_scene_destroy(scene);
}

/* Europe/Paris in winter (UTC+1): Wednesday 2026-11-25 onwards. */
static void test_paris_week(void) {
    vt_scene *scene = load(HEAD PARIS WEEK "  closed: [2026-12-25, 2027-01-01]\n"
                                           "  late: {2026-12-18: \"09:00-22:00\"}\n");
    const vt_schedule *s = &scene->schedule;
    expect(s, "2026-11-25T07:59:59", false, "2026-11-25T08:00:00");
    expect(s, "2026-11-25T08:00:00", true, "2026-11-25T17:00:00");
    expect(s, "2026-11-25T16:59:59", true, "2026-11-25T17:00:00");
    expect(s, "2026-11-25T17:00:00", false, "2026-11-26T08:00:00");
    expect(s, "2026-11-25T23:30:00", false, "2026-11-26T08:00:00"); /* local midnight passed */
    expect(s, "2026-11-27T17:00:00", false, "2026-11-28T09:00:00"); /* Friday -> Saturday 10:00 */
    expect(s, "2026-11-29T18:00:00", false, "2026-11-30T08:00:00"); /* Sunday -> Monday 09:00 */
    /* Closed on Friday 25 December: from Thursday's closing to Saturday's opening. */
    expect(s, "2026-12-24T17:00:00", false, "2026-12-26T09:00:00");
    expect(s, "2026-12-25T10:00:00", false, "2026-12-26T09:00:00");
    /* Late on Friday 18 December: until 22:00 local. */
    expect(s, "2026-12-18T17:00:00", true, "2026-12-18T21:00:00");
    expect(s, "2026-12-18T21:00:00", false, "2026-12-19T09:00:00");
    /* Closed on Friday 1 January 2027. */
    expect(s, "2026-12-31T17:00:00", false, "2027-01-02T09:00:00");
    /* Summer (UTC+2): Monday 2026-06-01. */
    expect(s, "2026-06-01T06:59:59", false, "2026-06-01T07:00:00");
    expect(s, "2026-06-01T07:00:00", true, "2026-06-01T16:00:00");
    vt_scene_destroy(scene);
}

/* Ranges that meet at midnight make one opening; always and never open. */
static void test_midnight(void) {
    vt_scene *scene = load(HEAD PARIS "  open: {fri: \"20:00-24:00\", sat: \"00:00-02:00\"}\n");
    const vt_schedule *s = &scene->schedule;
    expect(s, "2026-11-27T18:59:59", false, "2026-11-27T19:00:00");
    expect(s, "2026-11-27T19:00:00", true, "2026-11-28T01:00:00");
    expect(s, "2026-11-27T23:00:00", true, "2026-11-28T01:00:00"); /* local midnight */
    expect(s, "2026-11-28T01:00:00", false, "2026-12-04T19:00:00");
    vt_scene_destroy(scene);

    scene = load(HEAD PARIS "  open: {mon-sun: \"00:00-24:00\"}\n  closed: [2026-12-25]\n");
    s = &scene->schedule;
    expect(s, "2026-11-25T12:00:00", true, "2026-12-24T23:00:00");
    expect(s, "2026-12-25T12:00:00", false, "2026-12-25T23:00:00");
    expect(s, "2026-12-26T12:00:00", true, NULL);
    vt_scene_destroy(scene);

    scene = load(HEAD PARIS "  open: {mon-sun: closed}\n  late: {2027-06-21: \"18:00-24:00\"}\n");
    s = &scene->schedule;
    expect(s, "2026-11-25T12:00:00", false, "2027-06-21T16:00:00");
    expect(s, "2027-06-21T16:00:00", true, "2027-06-21T22:00:00");
    expect(s, "2027-06-21T22:00:00", false, NULL);
    vt_scene_destroy(scene);
}

/* Europe/Paris DST nights. Spring forward, Sunday 2026-03-29: 02:00 CET becomes 03:00 CEST at
 * 01:00 UTC; an opening at 02:30 (a time that does not exist) happens at the jump. Fall back,
 * Sunday 2026-10-25: 03:00 CEST becomes 02:00 CET at 01:00 UTC; 02:30 happens twice and a
 * boundary at 02:30 happens at the first one only. */
static void test_paris_dst(void) {
    vt_scene *scene = load(HEAD PARIS "  open: {mon-sun: \"10:00-18:00\"}\n"
                                      "  late: {2026-03-29: \"02:30-05:00\", 2026-10-25: "
                                      "\"00:00-02:30\", 2026-10-26: \"02:30-04:00\"}\n");
    const vt_schedule *s = &scene->schedule;
    expect(s, "2026-03-28T23:30:00", false, "2026-03-29T01:00:00"); /* 00:30 CET */
    expect(s, "2026-03-29T00:59:59", false, "2026-03-29T01:00:00"); /* 01:59:59 CET */
    expect(s, "2026-03-29T01:00:00", true, "2026-03-29T03:00:00");  /* 03:00 CEST */
    expect(s, "2026-03-29T03:00:00", false, "2026-03-30T08:00:00"); /* Monday 10:00 CEST */
    expect(s, "2026-10-24T22:30:00", true, "2026-10-25T00:30:00");  /* 00:30 CEST */
    expect(s, "2026-10-25T00:30:00", false, "2026-10-26T01:30:00"); /* first 02:30 CEST */
    expect(s, "2026-10-25T01:15:00", false, "2026-10-26T01:30:00"); /* 02:15 CET, again */
    expect(s, "2026-10-25T01:30:00", false, "2026-10-26T01:30:00"); /* second 02:30 */
    expect(s, "2026-10-26T01:30:00", true, "2026-10-26T03:00:00");  /* an ordinary night */
    vt_scene_destroy(scene);

    /* An opening at 02:30 on the fall-back night: at the first 02:30 (CEST). */
    scene = load(HEAD PARIS "  open: {mon-sun: closed}\n  late: {2026-10-25: \"02:30-04:00\"}\n");
    s = &scene->schedule;
    expect(s, "2026-10-25T00:00:00", false, "2026-10-25T00:30:00");
    expect(s, "2026-10-25T00:30:00", true, "2026-10-25T03:00:00"); /* until 04:00 CET */
    vt_scene_destroy(scene);

    /* A range swallowed by the gap (02:00-02:45 does not exist): never opens. */
    scene = load(HEAD PARIS "  open: {mon-sun: closed}\n  late: {2026-03-29: \"02:00-02:45\"}\n");
    expect(&scene->schedule, "2026-03-29T00:00:00", false, NULL);
    vt_scene_destroy(scene);
}

/* America/New_York (UTC-5 in winter, -4 in summer; spring forward 2026-03-08 at 07:00 UTC). */
static void test_new_york(void) {
    vt_scene *scene = load(HEAD "  timezone: America/New_York\n"
                                "  open: {mon-fri: \"09:00-17:00\", sun: \"01:00-03:00\"}\n");
    const vt_schedule *s = &scene->schedule;
    expect(s, "2026-11-25T13:59:59", false, "2026-11-25T14:00:00");
    expect(s, "2026-11-25T14:00:00", true, "2026-11-25T22:00:00");
    expect(s, "2026-11-27T22:00:00", false, "2026-11-29T06:00:00"); /* Sunday 01:00 EST */
    expect(s, "2026-03-08T06:30:00", true, "2026-03-08T07:00:00");  /* 03:00 comes at once */
    expect(s, "2026-07-01T12:59:59", false, "2026-07-01T13:00:00"); /* EDT */
    vt_scene_destroy(scene);
}

/* The local date (energy_wh_today's day): in the schedule's zone, UTC without a schedule. */
static void test_local_day(void) {
    vt_scene *scene = load(HEAD "  timezone: America/New_York\n" WEEK);
    time_t t = utc("2026-12-07T03:00:00"); /* 22:00 on the 6th in New York */
    VT_CHECK_INT(vt_schedule_local_day(&scene->schedule, t), vt_schedule_days(2026, 12, 6));
    VT_CHECK_INT(vt_schedule_local_day(NULL, t), vt_schedule_days(2026, 12, 7));
    vt_schedule none = {0};
    VT_CHECK_INT(vt_schedule_local_day(&none, t), vt_schedule_days(2026, 12, 7));
    vt_scene_destroy(scene);
}

/* Evaluation leaves the process's TZ as it was, set or not. */
static void test_tz_restored(void) {
    vt_scene *scene = load(HEAD PARIS WEEK);
    setenv("TZ", "Asia/Tokyo", 1);
    vt_schedule_open_at(&scene->schedule, utc("2026-11-25T08:00:00"), NULL);
    VT_CHECK_STR(getenv("TZ"), "Asia/Tokyo");
    unsetenv("TZ");
    VT_CHECK(vt_schedule_open_at(&scene->schedule, utc("2026-11-25T08:00:00"), NULL));
    VT_CHECK(getenv("TZ") == NULL);
    vt_scene_destroy(scene);
}

/* For random instants: the state holds until the next change, and flips there. */
static void test_property(void) {
    static const char *const scenes[] = {
        HEAD PARIS WEEK "  closed: [2026-12-25]\n  late: {2026-03-29: \"01:30-02:30, 03:30-24:00\","
                        " 2026-10-25: \"02:00-02:59\"}\n",
        HEAD "  timezone: America/New_York\n  open: {mon-sat: \"00:00-02:30, 22:00-24:00\"}\n",
        HEAD "  timezone: Australia/Lord_Howe\n  open: {mon-sun: \"01:45-02:15, 02:20-02:25\"}\n",
    };
    unsigned seed = 12345;
    for (size_t k = 0; k < sizeof scenes / sizeof *scenes; k++) {
        vt_scene *scene = load(scenes[k]);
        for (int i = 0; i < 3000; i++) {
            seed = seed * 1103515245u + 12345u;
            time_t t = utc("2026-01-01T00:00:00") + (time_t)(seed % (366u * 86400u));
            time_t n, n2;
            bool open = vt_schedule_open_at(&scene->schedule, t, &n);
            if (n == VT_SCHEDULE_NEVER) {
                continue;
            }
            VT_CHECK(n > t);
            VT_CHECK_INT(vt_schedule_open_at(&scene->schedule, n - 1, &n2), open);
            VT_CHECK_INT(n2, n);
            VT_CHECK_INT(vt_schedule_open_at(&scene->schedule, n, NULL), !open);
        }
        vt_scene_destroy(scene);
    }
}

static void test_config(void) {
    static const char text[] = "format: vitrine-config/1\nschedule:\n  timezone: UTC\n"
                               "  open: {mon-fri: \"08:00-20:00\"}\n  outside_hours: run\n";
    vt_config cfg;
    vt_diags d = {0};
    VT_CHECK_INT(vt_config_load_string(text, sizeof text - 1, "c.yaml", &cfg, &d), VT_OK);
    VT_CHECK(cfg.schedule.present);
    VT_CHECK_INT(cfg.schedule.outside_hours, VT_OUTSIDE_RUN);
    expect(&cfg.schedule, "2026-11-25T20:00:00", false, "2026-11-26T08:00:00");
    vt_config_free(&cfg);
    static const char bad[] = "schedule: {open: {mon: \"9-5\"}}\n";
    VT_CHECK_INT(vt_config_load_string(bad, sizeof bad - 1, "c.yaml", &cfg, &d), VT_E_DATAERR);
    char *got = diags_text(&d);
    VT_CHECK_STR(got, "c.yaml:1:24: error: '9-5' is not a range of hours; " HOURS_FIX "\n");
    free(got);
    vt_diags_free(&d);
}

typedef struct bad_case {
    const char *name;
    const char *yaml;
    const char *expected; /* every diagnostic, in order */
} bad_case;

static const bad_case bad_cases[] = {
    {"not a mapping", HEAD "  - open\n",
     E(4, 3,
       "'schedule' must be a mapping, not a sequence; write 'open: {mon-sun: "
       "\"10:00-18:00\"}' on the next line, indented")},
    {"open missing", HEAD PARIS, E(4, 3, "missing required key 'open' in 'schedule'")},
    {"unknown key", HEAD WEEK "  closd: []\n",
     E(5, 3, "unknown key 'closd' in 'schedule'; did you mean 'closed'?")},
    {"zone misspelt", HEAD "  timezone: Europe/Pari\n" WEEK,
     E(4, 13, "unknown time zone 'Europe/Pari'; did you mean 'Europe/Paris'?")},
    {"zone unknown", HEAD "  timezone: Mars/Olympus_Mons\n" WEEK,
     E(4, 13,
       "unknown time zone 'Mars/Olympus_Mons'; write a tz database name like "
       "Europe/Paris (list them with 'timedatectl list-timezones')")},
    {"zone escaping", HEAD "  timezone: ../../etc/passwd\n" WEEK,
     E(4, 13,
       "unknown time zone '../../etc/passwd'; write a tz database name like "
       "Europe/Paris (list them with 'timedatectl list-timezones')")},
    {"zone not a zone file", HEAD "  timezone: zone.tab\n" WEEK,
     E(4, 13,
       "unknown time zone 'zone.tab'; write a tz database name like "
       "Europe/Paris (list them with 'timedatectl list-timezones')")},
    {"open not a mapping", HEAD "  open: \"09:00-18:00\"\n",
     E(4, 9,
       "'open' must be a mapping, not a string; write it like {mon-fri: \"09:00-18:00\", "
       "sat-sun: \"10:00-19:00\"}")},
    {"bad day", HEAD "  open: {monday: \"09:00-18:00\", mon-fry: closed}\n",
     E(4, 10, "'monday' " DAYS_FIX) E(4, 33, "'mon-fry' " DAYS_FIX)},
    {"day twice", HEAD "  open: {mon-fri: \"09:00-18:00\", \"wed,sat\": closed}\n",
     E(4, 34, "'wed' is given hours twice in 'schedule.open'; give each day once")},
    {"bad hours", HEAD "  open: {mon: \"9:00-18:00\", tue: \"09:00-25:00\", wed: 9}\n",
     E(4, 15, "'9:00-18:00' is not a range of hours; " HOURS_FIX)
         E(4, 34, "'09:00-25:00' is not a range of hours; " HOURS_FIX)
             E(4, 54, "'9' is not a range of hours; " HOURS_FIX)},
    {"crossing midnight", HEAD "  open: {fri: \"20:00-02:00\"}\n",
     E(4, 15,
       "range '20:00-02:00' ends before it starts; ranges may not cross midnight: end "
       "this day at 24:00 and start the next at 00:00")},
    {"overlap, too many, trailing comma",
     HEAD "  open: {mon: \"09:00-13:00, 12:00-18:00\", tue: \"01:00-02:00,03:00-04:00,"
          "05:00-06:00,07:00-08:00,09:00-10:00\", wed: \"09:00-10:00,\"}\n",
     E(4, 15, "ranges of hours overlap in '09:00-13:00, 12:00-18:00'; give each time once")
         E(4, 48,
           "more than 4 ranges of hours in '01:00-02:00,03:00-04:00,05:00-06:00,"
           "07:00-08:00,09:00-10:00'; merge some")
             E(4, 116, "'' is not a range of hours; " HOURS_FIX)},
    {"hours not a string", HEAD "  open: {mon: [\"09:00-18:00\"]}\n",
     E(4, 15, "'hours' must be a string, not a sequence; " HOURS_FIX)},
    {"bad dates", HEAD WEEK "  closed: [2026-02-29, 2026-13-01, 25/12/2026, 1999-12-31]\n",
     E(5, 12, "'2026-02-29' is not a real date; check the month and the day")
         E(5, 24, "'2026-13-01' is not a real date; check the month and the day")
             E(5, 36, "'25/12/2026' is not a date; write it as YYYY-MM-DD, like 2026-12-25")
                 E(5, 48, "date '1999-12-31' is out of range; years go from 2000 to 2199")},
    {"closed twice, not a sequence", HEAD WEEK "  closed: [2026-12-25, 2026-12-25]\n",
     E(5, 24, "date 2026-12-25 is listed twice in 'closed'; remove one")},
    {"closed scalar", HEAD WEEK "  closed: 2026-12-25\n",
     E(5, 11,
       "'closed' must be a sequence of dates, got '2026-12-25'; write it like "
       "[2026-12-25]")},
    {"late and closed", HEAD WEEK "  closed: [2026-12-25]\n  late: {2026-12-25: \"10:00-12:00\"}\n",
     E(6, 10, "date 2026-12-25 is both closed and late; remove it from one")},
    {"late not a mapping", HEAD WEEK "  late: [2026-12-18]\n",
     E(5, 9,
       "'late' must be a mapping of dates to hours, not a sequence; write it like "
       "{2026-12-18: \"09:00-22:00\"}")},
    {"outside_hours", HEAD WEEK "  outside_hours: blnk\n",
     E(5, 18, "unknown 'outside_hours' value 'blnk'; did you mean 'blank'?")},
    {"outside_hours far", HEAD WEEK "  outside_hours: sleep\n",
     E(5, 18, "unknown 'outside_hours' value 'sleep'; write blank, display-off or run")},
    {"wake_on_input", HEAD WEEK "  wake_on_input: yes\n",
     E(5, 18, "'wake_on_input' must be a boolean, got 'yes'; expected true or false")},
};

static void check_bad_case(const bad_case *bc) {
    check_bad_scene(bc->name, bc->yaml, PATH, 0, bc->expected, NULL);
}

/* Every byte of a complete block flipped, cut or doubled: no crash, no leak, no hang. */
static void test_fuzz(void) {
    static const char base[] = HEAD PARIS WEEK "  closed: [2026-12-25, 2027-01-01]\n"
                                               "  late: {2026-12-18: \"09:00-22:00\"}\n"
                                               "  outside_hours: blank\n";
    static const char bytes[] = "-:,0 9\"2x";
    size_t len = sizeof base - 1, start = sizeof HEAD - 1;
    char buf[sizeof base + 1];
    for (size_t i = start; i < len; i++) {
        for (size_t k = 0; k < sizeof bytes; k++) {
            memcpy(buf, base, len + 1);
            buf[i] = k + 1 < sizeof bytes ? bytes[k] : '\0';
            size_t n = k + 1 < sizeof bytes ? len : i;
            vt_diags d = {0};
            vt_scene *scene = NULL;
            if (vt_scene_load_string(buf, n, PATH, 0, &scene, &d) == VT_OK) {
                VT_CHECK(scene != NULL);
                vt_schedule_open_at(&scene->schedule, utc("2026-12-18T20:00:00"), NULL);
            }
            vt_scene_destroy(scene);
            vt_diags_free(&d);
        }
    }
    vt_schedule s = {.present = true, .closed_count = 999, .late_count = 999};
    memset(s.timezone, 'A', sizeof s.timezone); /* not terminated: the machine's zone */
    vt_schedule_open_at(&s, -5, NULL);
    vt_schedule_open_at(&s, (time_t)INT64_MAX, NULL);
    VT_CHECK(!vt_schedule_open_at(&s, utc("2026-01-01T00:00:00"), NULL));
}

static void load_doc_scene(const char *text, int line) {
    vt_diags d = {0};
    vt_scene *s = NULL;
    if (vt_scene_load_string(text, strlen(text), "docs/scene-format.md", 0, &s, &d) != VT_OK) {
        fprintf(stderr, "docs/scene-format.md: the example at line %d does not load:\n", line);
        vt_diags_print(&d, stderr);
    }
    VT_CHECK(s != NULL && s->schedule.present);
    vt_scene_destroy(s);
    vt_diags_free(&d);
}

static void load_doc_config(const char *text, int line) {
    vt_diags d = {0};
    vt_config cfg;
    if (vt_config_load_string(text, strlen(text), "docs/operations.md", &cfg, &d) != VT_OK) {
        fprintf(stderr, "docs/operations.md: the example at line %d does not load:\n", line);
        vt_diags_print(&d, stderr);
    }
    VT_CHECK(cfg.schedule.present);
    vt_config_free(&cfg);
    vt_diags_free(&d);
}

/* The documented examples and the schema's fixtures read as the docs say. */
static void test_docs_and_fixtures(void) {
    VT_CHECK_INT(doc_examples("../docs/scene-format.md", "format: vitrine/1\n",
                              "\nschedule:", load_doc_scene),
                 1);
    VT_CHECK_INT(doc_examples("../docs/operations.md", "format: vitrine-config/1\n",
                              "\nschedule:", load_doc_config),
                 1);
    vt_diags d = {0};
    vt_scene *scene = NULL;
    VT_CHECK_INT(vt_scene_load("schema/valid-schedule.yaml", 0, &scene, &d), VT_OK);
    VT_CHECK(scene && scene->schedule.week[1].count == 2);
    vt_scene_destroy(scene);
    VT_CHECK_INT(vt_scene_load("schema/invalid-schedule-day.yaml", 0, &scene, &d), VT_E_DATAERR);
    VT_CHECK_INT(vt_scene_load("schema/invalid-schedule-hours.yaml", 0, &scene, &d), VT_E_DATAERR);
    VT_CHECK_INT(d.errors, 2);
    vt_diags_free(&d);
}

int main(void) {
    test_days();
    test_values();
    test_paris_week();
    test_midnight();
    test_paris_dst();
    test_new_york();
    test_local_day();
    test_tz_restored();
    test_property();
    test_config();
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        check_bad_case(&bad_cases[i]);
    }
    test_fuzz();
    test_docs_and_fixtures();
    return vt_test_finish("test_schedule");
}
