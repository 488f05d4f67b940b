/* The energy report from synthetic ledgers with known answers: constant power, states and
 * sessions, days of 23 and 25 hours in Europe/Paris, rotated and overlapping files, gaps and
 * restarts, savings measured and estimated, hostile lines (file:line:col), the JSON keys, and
 * the charts (a day, a year of days) against golden images. */
#include "vt_test.h"

#include "hours/vt_hours.h"
#include "io/vt_io.h"
#include "ledger/report_internal.h"
#include "ledger/vt_ledger.h"
#include "ledger/vt_report.h"
#include "render_util.h"
#include "text/vt_text.h"

#include <jansson.h>
#include <unistd.h>

static char dir[256];

static int64_t utc(int y, int mo, int d, int h, int mi, int s) {
    return (int64_t)vt_schedule_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

/* A stretch of the show: `seconds` long, a row every `step` seconds. */
typedef struct segment {
    int seconds, step;
    const char *state;
    int target_fps;
    double fps, scale, watts;
} segment;

typedef struct log_writer {
    FILE *f;
    int64_t t;
    double joules;
} log_writer;

static char *log_path(const char *name) {
    return vt_xasprintf("%s/%s", dir, name);
}

static log_writer log_start(const char *path, int64_t t0, const char *state) {
    log_writer w = {fopen(path, "wb"), t0, 0};
    fprintf(w.f, "%s\n", VT_LEDGER_HEADER);
    vt_ledger_row r = {.utc = t0,
                       .state = state,
                       .target_fps = 60,
                       .fps = 0,
                       .scale = 1,
                       .has_energy = true,
                       .sensor = "file:/run/power",
                       .covers = "power file /run/power"};
    char buf[VT_LEDGER_ROW_MAX];
    vt_ledger_format(&r, buf, sizeof buf);
    fputs(buf, w.f);
    return w;
}

static void log_add(log_writer *w, const segment *s) {
    char buf[VT_LEDGER_ROW_MAX];
    for (int done = 0; done < s->seconds; done += s->step) {
        w->t += s->step;
        w->joules += s->watts * s->step;
        vt_ledger_row r = {.utc = w->t,
                           .state = s->state,
                           .target_fps = s->target_fps,
                           .fps = s->fps,
                           .scale = s->scale,
                           .power_w = s->watts,
                           .has_power = true,
                           .energy_j = w->joules,
                           .has_energy = true,
                           .sensor = "file:/run/power",
                           .covers = "power file /run/power"};
        vt_ledger_format(&r, buf, sizeof buf);
        fputs(buf, w->f);
    }
}

static void log_end(log_writer *w) {
    fclose(w->f);
}

static vt_status build1(const char *path, const vt_report_desc *desc, vt_report *r, vt_diags *d) {
    const char *paths[] = {path};
    return vt_report_build(paths, 1, desc, r, d);
}

static const vt_report_state *state(const vt_report *r, const char *name) {
    for (size_t i = 0; i < r->state_count; i++) {
        if (strcmp(r->states[i].name, name) == 0) {
            return &r->states[i];
        }
    }
    static const vt_report_state none = {"(none)", -1, -1};
    return &none;
}

/* 20 W for an hour: 20 Wh and 1 g at the default 50 g/kWh. */
static void test_constant(void) {
    char *p = log_path("constant.csv");
    log_writer w = log_start(p, utc(2026, 11, 24, 9, 0, 0), "attract");
    log_add(&w, &(segment){3600, 1, "attract", 15, 15, 0.75, 20});
    log_end(&w);
    vt_report r;
    vt_diags d = {0};
    VT_CHECK_INT(build1(p, NULL, &r, &d), VT_OK);
    VT_CHECK_INT(d.count, 0);
    VT_CHECK_NEAR(r.energy_wh, 20, 1e-6);
    VT_CHECK_NEAR(r.co2e_g, 1, 1e-9);
    VT_CHECK_NEAR(r.carbon_g_per_kwh, 50, 0);
    VT_CHECK_NEAR(r.seconds, 3600, 0);
    VT_CHECK_INT(r.rows, 3601);
    VT_CHECK_INT(r.state_count, 1);
    VT_CHECK_NEAR(state(&r, "attract")->seconds, 3600, 0);
    VT_CHECK_NEAR(state(&r, "attract")->energy_wh, 20, 1e-6);
    VT_CHECK_INT(r.day_count, 1);
    VT_CHECK_NEAR(r.days[0].energy_wh, 20, 1e-6);
    VT_CHECK_INT(r.sessions, 0);
    VT_CHECK(isnan(r.wh_per_session));
    VT_CHECK_STR(r.method.sensor, "file:/run/power");
    VT_CHECK_STR(r.method.covers, "power file /run/power");
    VT_CHECK(r.method.measured);
    VT_CHECK(strstr(r.method.error, "as accurate as the meter") != NULL);
    /* Capped all along and never uncapped, at one rate: no baseline to compare with. */
    VT_CHECK_STR(r.savings.basis, "unknown");
    vt_report_free(&r);
    /* Another carbon factor. */
    VT_CHECK_INT(build1(p, &(vt_report_desc){.carbon_g_per_kwh = 400}, &r, &d), VT_OK);
    VT_CHECK_NEAR(r.co2e_g, 8, 1e-9);
    vt_report_free(&r);
    vt_diags_free(&d);
    free(p);
}

/* A row without a power figure (no new reading since the previous row) repeats the energy
 * total and says neither measured nor estimated; its interval is of the sensor's kind. Run 1: 10 s
 * measured by a meter; run 2: 10 s estimated by the model, every other row without power. */
static void test_energy_without_power(void) {
    char *p = log_path("unlabelled.csv");
    FILE *f = fopen(p, "wb");
    fprintf(f, "%s\n", VT_LEDGER_HEADER);
    int64_t t = utc(2026, 11, 24, 9, 0, 0);
    char buf[VT_LEDGER_ROW_MAX];
    for (int run = 0; run < 2; run++, t += 100) {
        for (int i = 0; i <= 10; i++) {
            bool power = i > 0 && (run == 0 || i % 2 == 0);
            vt_ledger_row r = {.utc = t + i,
                               .state = "attract",
                               .target_fps = 15,
                               .fps = 15,
                               .scale = 0.75,
                               .power_w = 20,
                               .has_power = power,
                               .energy_j = 20.0 * (power || i == 0 ? i : i - 1),
                               .has_energy = true,
                               .sensor = run ? "model" : "file:/run/power",
                               .covers = run ? "model" : "power file /run/power",
                               .estimated = run == 1};
            vt_ledger_format(&r, buf, sizeof buf);
            VT_CHECK(power || strstr(buf, "measured") == NULL);
            fputs(buf, f);
        }
    }
    fclose(f);
    vt_report r;
    vt_diags d = {0};
    VT_CHECK_INT(build1(p, NULL, &r, &d), VT_OK);
    VT_CHECK_INT(d.count, 0);
    VT_CHECK_INT(r.rows, 22);
    VT_CHECK_NEAR(r.seconds, 20, 0);
    VT_CHECK_NEAR(r.energy_wh, 400 / 3600.0, 1e-9);
    VT_CHECK_NEAR(r.unmeasured_seconds, 0, 0);
    /* Run 2's first second follows a row of no kind yet: 10 s measured, 9 s estimated. */
    VT_CHECK_NEAR(r.method.measured_fraction, 10 / 19.0, 1e-9);
    vt_report_free(&r);
    vt_diags_free(&d);
    free(p);
}

static void expect_diag(const vt_diags *d, int line, int col, const char *text);

/* The clock set back 16 s after 8 s of a 24 s run at 30 W: with the marker `play` writes, the
 * 24 s and 0.2 Wh are all counted (8 s and 0.07 Wh before); a copy of the file overlapping it
 * adds nothing; an older file without the marker loses only the second of the step. A step back
 * across midnight keeps the days in order. */
static void test_clock_step(void) {
    char buf[VT_LEDGER_ROW_MAX];
    int64_t t0 = utc(2026, 11, 24, 0, 0, 4);
    char *p = log_path("stepped.csv"), *old = log_path("stepped-old.csv");
    for (int marked = 1; marked >= 0; marked--) {
        FILE *f = fopen(marked ? p : old, "wb");
        fprintf(f, "%s\n", VT_LEDGER_HEADER);
        for (int i = 0; i <= 24; i++) {
            int64_t t = t0 + i - (i > 8 ? 16 : 0);
            if (i == 9 && marked) {
                vt_ledger_row m = {.utc = t - 1, .state = VT_LEDGER_CLOCK_STEP, .covers = "x"};
                vt_ledger_format(&m, buf, sizeof buf);
                fputs(buf, f);
            }
            vt_ledger_row r = {.utc = t,
                               .state = "attract",
                               .target_fps = 15,
                               .fps = 15,
                               .scale = 0.75,
                               .power_w = 30,
                               .has_power = i > 0,
                               .energy_j = 30.0 * i,
                               .has_energy = true,
                               .sensor = "file:/run/power",
                               .covers = "power file /run/power"};
            vt_ledger_format(&r, buf, sizeof buf);
            fputs(buf, f);
        }
        fclose(f);
    }
    vt_report r;
    vt_diags d = {0};
    VT_CHECK_INT(build1(p, NULL, &r, &d), VT_OK);
    VT_CHECK_INT(d.count, 0);
    VT_CHECK_INT(r.rows, 25);
    VT_CHECK_NEAR(r.seconds, 24, 0);
    VT_CHECK_NEAR(r.energy_wh, 720 / 3600.0, 1e-9);
    VT_CHECK_INT(r.first_utc, t0 - 7);
    VT_CHECK_INT(r.last_utc, t0 + 8);
    /* Set back across midnight UTC: the day before comes first. */
    VT_CHECK_INT(r.day_count, 2);
    VT_CHECK(r.day_count == 2 && r.days[0].day < r.days[1].day);
    VT_CHECK(r.day_count == 2 && r.days[0].seconds == 4 && r.days[1].seconds == 20);
    vt_report_free(&r);
    vt_diags_free(&d);
    /* A copy read after it: every row overlaps, the marker lets none in again. */
    char *copy = log_path("stepped-copy.csv"), *text = NULL;
    size_t len = 0;
    VT_CHECK_INT(vt_file_read(p, 1 << 20, &text, &len, NULL), VT_OK);
    FILE *cf = fopen(copy, "wb");
    fwrite(text, 1, len, cf);
    fclose(cf);
    free(text);
    const char *twice[] = {p, copy};
    VT_CHECK_INT(vt_report_build(twice, 2, NULL, &r, &d), VT_OK);
    VT_CHECK_NEAR(r.seconds, 24, 0);
    VT_CHECK_INT(r.rows, 25);
    vt_report_free(&r);
    vt_diags_free(&d);
    /* Without the marker: one warning, and the second of the step is not counted. */
    VT_CHECK_INT(build1(old, NULL, &r, &d), VT_OK);
    VT_CHECK_INT(d.count, 1);
    VT_CHECK_INT(d.warnings, 1);
    expect_diag(&d, 11, 0,
                "time goes back (2026-11-23T23:59:57Z after 2026-11-24T00:00:12Z): the clock "
                "was set back? counted from here, the second before it is not");
    VT_CHECK_INT(r.rows, 25);
    VT_CHECK_NEAR(r.seconds, 23, 0);
    vt_report_free(&r);
    vt_diags_free(&d);
    free(p);
    free(old);
    free(copy);
}

/* Sessions are entries from attract into a state other than attract and closed. */
static void test_states_sessions(void) {
    char *p = log_path("states.csv");
    log_writer w = log_start(p, utc(2026, 11, 24, 9, 0, 0), "attract");
    log_add(&w, &(segment){600, 1, "attract", 15, 15, 0.75, 10});
    log_add(&w, &(segment){300, 1, "active", 60, 60, 1, 30});
    log_add(&w, &(segment){600, 1, "attract", 15, 15, 0.75, 10});
    log_add(&w, &(segment){200, 2, "story", 60, 60, 1, 30});
    log_add(&w, &(segment){100, 1, "attract", 15, 15, 0.75, 10});
    log_add(&w, &(segment){1000, 5, "closed", 0, 0, 0, 6});
    log_add(&w, &(segment){100, 1, "attract", 15, 15, 0.75, 10});
    log_end(&w);
    vt_report r;
    vt_diags d = {0};
    VT_CHECK_INT(build1(p, &(vt_report_desc){.visitors = 4}, &r, &d), VT_OK);
    VT_CHECK_INT(r.sessions, 2);
    VT_CHECK_NEAR(state(&r, "attract")->seconds, 1400, 0);
    VT_CHECK_NEAR(state(&r, "active")->seconds, 300, 0);
    VT_CHECK_NEAR(state(&r, "story")->seconds, 200, 0);
    VT_CHECK_NEAR(state(&r, "closed")->seconds, 1000, 0);
    double wh = (1400 * 10 + 500 * 30 + 1000 * 6) / 3600.0;
    VT_CHECK_NEAR(r.energy_wh, wh, 1e-6);
    VT_CHECK_NEAR(state(&r, "closed")->energy_wh, 6000 / 3600.0, 1e-6);
    VT_CHECK_NEAR(r.wh_per_session, wh / 2, 1e-6);
    VT_CHECK_INT(r.visitors, 4);
    VT_CHECK_NEAR(r.wh_per_visitor, wh / 4, 1e-6);
    VT_CHECK_NEAR(r.co2e_g_per_visitor, wh / 4 * 0.05, 1e-9);
    VT_CHECK_INT(r.days[0].sessions, 2);
    /* Measured savings: attract ran capped at 10 W, never uncapped; active and story ran at
     * full rate. The baseline for attract comes from the model fitted to the rows (10 W at 15
     * x 0.75^2, 30 W at 60 x 1): 30 W at 60 frames a second, scale 1. */
    VT_CHECK_STR(r.savings.basis, "estimated");
    VT_CHECK_NEAR(r.savings.wh, 1400 * 20 / 3600.0, 1e-6);
    vt_report_free(&r);
    vt_diags_free(&d);
    free(p);
}

/* Days of 23 and 25 hours in Europe/Paris; in UTC the same rows straddle two days. */
static void test_dst(void) {
    char *spring = log_path("spring.csv"), *autumn = log_path("autumn.csv");
    log_writer w = log_start(spring, utc(2026, 3, 28, 23, 0, 0), "attract");
    log_add(&w, &(segment){23 * 3600, 5, "attract", 15, 15, 0.75, 20});
    log_end(&w);
    w = log_start(autumn, utc(2026, 10, 24, 22, 0, 0), "attract");
    log_add(&w, &(segment){25 * 3600, 5, "attract", 15, 15, 0.75, 20});
    log_end(&w);
    const char *paths[] = {autumn, spring};
    vt_report r;
    vt_diags d = {0};
    vt_report_desc desc = {.timezone = "Europe/Paris"};
    VT_CHECK_INT(vt_report_build(paths, 2, &desc, &r, &d), VT_OK);
    VT_CHECK_INT(d.count, 0);
    VT_CHECK_INT(r.day_count, 2);
    VT_CHECK_INT(r.days[0].day, vt_schedule_days(2026, 3, 29));
    VT_CHECK_NEAR(r.days[0].seconds, 82800, 0);
    VT_CHECK_NEAR(r.days[0].energy_wh, 460, 1e-6);
    VT_CHECK_INT(r.days[1].day, vt_schedule_days(2026, 10, 25));
    VT_CHECK_NEAR(r.days[1].seconds, 90000, 0);
    VT_CHECK_NEAR(r.days[1].energy_wh, 500, 1e-6);
    /* The time between the two logs is a gap, not energy. */
    VT_CHECK_NEAR(r.energy_wh, 960, 1e-6);
    VT_CHECK_NEAR(r.gap_seconds, (double)(utc(2026, 10, 24, 22, 0, 0) - utc(2026, 3, 29, 22, 0, 0)),
                  0);
    VT_CHECK_STR(r.timezone, "Europe/Paris");
    vt_report_free(&r);
    /* UTC: 03-28 gets the first hour. */
    VT_CHECK_INT(build1(spring, NULL, &r, &d), VT_OK);
    VT_CHECK_INT(r.day_count, 2);
    VT_CHECK_NEAR(r.days[0].seconds, 3600, 0);
    VT_CHECK_NEAR(r.days[1].seconds, 79200, 0);
    vt_report_free(&r);
    /* An unknown zone is refused, not taken as UTC. */
    VT_CHECK_INT(build1(spring, &(vt_report_desc){.timezone = "Europe/Pariss"}, &r, &d),
                 VT_E_USAGE);
    VT_CHECK(d.count > 0 && strstr(d.items[d.count - 1].message, "unknown time zone") != NULL);
    VT_CHECK_INT(build1(spring, &(vt_report_desc){.timezone = "../../etc/passwd"}, &r, &d),
                 VT_E_USAGE);
    VT_CHECK_INT(build1(spring, &(vt_report_desc){.chart_day = "2026-3-29"}, &r, &d), VT_E_USAGE);
    vt_diags_free(&d);
    free(spring);
    free(autumn);
}

/* Rotated files in any order give the totals of one file; an overlapping copy counts once. */
static void test_rotated(void) {
    char *whole = log_path("whole.csv");
    char *parts[3] = {log_path("part-2026-11-23.csv"), log_path("part-2026-11-24.csv"),
                      log_path("part.csv")};
    int64_t t0 = utc(2026, 11, 23, 22, 0, 0);
    log_writer w = log_start(whole, t0, "attract");
    segment seg = {10800, 1, "attract", 15, 15, 0.75, 12};
    log_add(&w, &seg);
    log_end(&w);
    /* The same rows cut at the two midnights (as the ledger rotates), each file with a header. */
    char *text = NULL;
    size_t len = 0;
    vt_file_read(whole, 1 << 24, &text, &len, NULL);
    char *rows = strchr(text, '\n') + 1;
    char *cut1 = strstr(rows, "2026-11-24T00:00:00Z");
    char *cut2 = strstr(rows, "2026-11-24T00:30:00Z"); /* as if the show was restarted */
    FILE *f;
    const char *from[3] = {rows, cut1, cut2}, *to[3] = {cut1, cut2, text + len};
    for (int i = 0; i < 3; i++) {
        f = fopen(parts[i], "wb");
        fprintf(f, "%s\n%.*s", VT_LEDGER_HEADER, (int)(to[i] - from[i]), from[i]);
        fclose(f);
    }
    vt_report a, b;
    vt_diags d = {0};
    VT_CHECK_INT(build1(whole, NULL, &a, &d), VT_OK);
    const char *shuffled[] = {parts[2], parts[0], parts[1]};
    VT_CHECK_INT(vt_report_build(shuffled, 3, NULL, &b, &d), VT_OK);
    VT_CHECK_INT(d.count, 0);
    VT_CHECK_NEAR(a.energy_wh, 36, 1e-6);
    VT_CHECK_NEAR(b.energy_wh, a.energy_wh, 1e-9);
    VT_CHECK_NEAR(b.seconds, 10800, 0);
    VT_CHECK_INT(b.rows, a.rows);
    vt_report_free(&b);
    /* The whole log beside its parts: every part's rows overlap it and are skipped, with a
     * warning naming both files. */
    const char *overlapping[] = {parts[1], whole, parts[0], parts[2]};
    VT_CHECK_INT(vt_report_build(overlapping, 4, NULL, &b, &d), VT_OK);
    VT_CHECK_NEAR(b.energy_wh, 36, 1e-6);
    /* One warning per file at its first overlapping row, then a count. */
    VT_CHECK(d.count >= 3 && d.count <= 6 && d.errors == 0);
    VT_CHECK(d.count > 0 && strstr(d.items[0].message, "overlap") != NULL);
    vt_report_free(&a);
    vt_report_free(&b);
    vt_diags_free(&d);
    free(text);
    free(whole);
    for (int i = 0; i < 3; i++) {
        free(parts[i]);
    }
}

/* Gaps (the show stopped) and restarts (the energy column starts again) count no energy. */
static void test_gaps(void) {
    char *p = log_path("gaps.csv");
    FILE *f = fopen(p, "wb");
    fprintf(f, "%s\n", VT_LEDGER_HEADER);
    const char *rows[] = {
        "2026-11-24T10:00:00Z,attract,15,15.0,0.75,10.00,0.0,s,c,measured",
        "2026-11-24T10:00:01Z,attract,15,15.0,0.75,10.00,10.0,s,c,measured",
        "2026-11-24T10:00:02Z,attract,15,15.0,0.75,10.00,20.0,s,c,measured",
        /* stopped for an hour */
        "2026-11-24T11:00:02Z,attract,15,15.0,0.75,,0.0,s,c,measured",
        "2026-11-24T11:00:03Z,attract,15,15.0,0.75,10.00,10.0,s,c,measured",
        /* restarted two seconds later: the counter starts again */
        "2026-11-24T11:00:05Z,attract,15,15.0,0.75,,0.0,s,c,measured",
        "2026-11-24T11:00:06Z,attract,15,15.0,0.75,10.00,10.0,s,c,measured",
        /* no figure at all: time counted, energy not */
        "2026-11-24T11:00:07Z,attract,15,15.0,0.75,,,none,,",
        "2026-11-24T11:00:08Z,attract,15,15.0,0.75,,,none,,",
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        fprintf(f, "%s\n", rows[i]);
    }
    fclose(f);
    vt_report r;
    vt_diags d = {0};
    VT_CHECK_INT(build1(p, NULL, &r, &d), VT_OK);
    VT_CHECK_INT(d.count, 0);
    VT_CHECK_NEAR(r.energy_wh, 40 / 3600.0, 1e-9);
    VT_CHECK_NEAR(r.gap_seconds, 3602, 0);
    VT_CHECK_NEAR(r.seconds, 6, 0);
    VT_CHECK_NEAR(r.unmeasured_seconds, 2, 0);
    vt_report_free(&r);
    vt_diags_free(&d);
    free(p);
}

/* Savings against uncapped periods of the same state in the logs: measured. */
static void test_savings_measured(void) {
    char *p = log_path("savings.csv");
    log_writer w = log_start(p, utc(2026, 11, 24, 9, 0, 0), "attract");
    log_add(&w, &(segment){1000, 1, "attract", 60, 60, 1, 30});
    log_add(&w, &(segment){1000, 1, "attract", 15, 15, 0.75, 10});
    log_add(&w, &(segment){500, 1, "active", 60, 60, 1, 35});
    log_end(&w);
    vt_report r;
    vt_diags d = {0};
    VT_CHECK_INT(build1(p, NULL, &r, &d), VT_OK);
    VT_CHECK_STR(r.savings.basis, "measured");
    VT_CHECK(r.savings.known);
    VT_CHECK_NEAR(r.savings.wh, 20000 / 3600.0, 1e-6);
    /* of a baseline of 30 kJ + 30 kJ + 17.5 kJ */
    VT_CHECK_NEAR(r.savings.percent, 100 * 20000 / 77500.0, 1e-6);
    vt_report_free(&r);
    vt_diags_free(&d);
    free(p);
}

/* Rows 1 s apart whose readings were not: uncapped rows (25 W) covering 1.5 s each, capped
 * ones (15 W) 0.5 s, alternating, as a loop late every other second writes them. With the
 * `seconds` column the uncapped power is 25 W and the capped time 50 s: 500 J saved (counted
 * per row's second, 37.5 W and 100 s: 3000 J). A V1 file (no column) is read as before. */
static void test_row_seconds(void) {
    char *p = log_path("seconds.csv");
    FILE *f = fopen(p, "wb");
    fprintf(f, "%s\n", VT_LEDGER_HEADER);
    int64_t t0 = utc(2026, 11, 24, 9, 0, 0);
    char buf[VT_LEDGER_ROW_MAX];
    double joules = 0;
    for (int i = 0; i <= 200; i++) {
        bool uncapped = i % 2 == 1;
        double watts = uncapped ? 25 : 15, seconds = uncapped ? 1.5 : 0.5;
        joules += i > 0 ? watts * seconds : 0;
        vt_ledger_row r = {.utc = t0 + i,
                           .state = "attract",
                           .target_fps = uncapped ? 30 : 10,
                           .fps = uncapped ? 30 : 10,
                           .scale = 1,
                           .power_w = watts,
                           .has_power = i > 0,
                           .energy_j = joules,
                           .has_energy = true,
                           .sensor = "file:/run/power",
                           .covers = "power file /run/power",
                           .seconds = seconds};
        vt_ledger_format(&r, buf, sizeof buf);
        fputs(buf, f);
    }
    fclose(f);
    vt_report r;
    vt_diags d = {0};
    VT_CHECK_INT(build1(p, NULL, &r, &d), VT_OK);
    VT_CHECK_INT(d.count, 0);
    VT_CHECK_INT(r.bad_rows, 0);
    VT_CHECK_NEAR(r.seconds, 200, 0);
    VT_CHECK_NEAR(r.energy_wh, 4500 / 3600.0, 1e-9);
    VT_CHECK_STR(r.savings.basis, "measured");
    VT_CHECK_NEAR(r.savings.wh, 500 / 3600.0, 1e-9);
    VT_CHECK_NEAR(r.savings.percent, 10, 1e-9);
    vt_report_free(&r);
    vt_diags_free(&d);
    free(p);

    /* A file from before the column: its header and rows are read, each row's second its own. */
    p = log_path("v1.csv");
    f = fopen(p, "wb");
    fprintf(f,
            "%s\n2026-11-24T09:00:00Z,attract,15,15.0,0.75,,0.0,s,\"a, b\",\n"
            "2026-11-24T09:00:01Z,attract,15,15.0,0.75,20.00,20.0,s,\"a, b\",measured\n"
            "2026-11-24T09:00:02Z,attract,15,15.0,0.75,20.00,40.0,s,\"a, b\",measured\n",
            VT_LEDGER_HEADER_V1);
    fclose(f);
    VT_CHECK_INT(build1(p, NULL, &r, &d), VT_OK);
    VT_CHECK_INT(d.count, 0);
    VT_CHECK_INT(r.rows, 3);
    VT_CHECK_NEAR(r.energy_wh, 40 / 3600.0, 1e-9);
    VT_CHECK_STR(r.method.covers, "a, b");
    vt_report_free(&r);
    vt_diags_free(&d);
    free(p);
}

static void expect_diag(const vt_diags *d, int line, int col, const char *text) {
    for (size_t i = 0; i < d->count; i++) {
        if (d->items[i].line == line && d->items[i].col == col &&
            strcmp(d->items[i].message, text) == 0) {
            vt_test_passed++;
            return;
        }
    }
    vt_test_failed++;
    fprintf(stderr, "missing diagnostic %d:%d: %s; got:\n", line, col, text);
    vt_diags_print(d, stderr);
}

/* Every bad line is reported with its place and skipped; the good ones still count. */
static void test_hostile(void) {
    char *p = log_path("hostile.csv");
    FILE *f = fopen(p, "wb");
    fprintf(f, "%s\n", VT_LEDGER_HEADER);
    fprintf(f, "2026-11-24T10:00:00Z,attract,15,15.0,0.75,10.00,0.0,s,c,measured\n"    /* 2 */
               "2026-11-24T10:00:01Z,attract,15,15.0,0.75,10.00,10.0,s,c,measured\n"   /* 3 */
               "2026-13-24T10:00:02Z,attract,15,15.0,0.75,10.00,20.0,s,c,measured\n"   /* 4 */
               "2026-11-24T10:00:02Z,at tract,15,15.0,0.75,10.00,20.0,s,c,measured\n"  /* 5 */
               "2026-11-24T10:00:02Z,attract,15\n"                                     /* 6 */
               "2026-11-24T10:00:02Z,attract,15,15.0,0.75,10.00,20.0,s,\"c,measured\n" /* 7 */
               "2026-11-24T10:00:02Z,attract,15,15.0,0.75,-3,20.0,s,c,measured\n"      /* 8 */
               "2026-11-24T10:00:02Z,attract,15,15.0,0.75,10.00,20.0,s,c,\n"           /* 9 */
               "2026-11-24T10:00:02Z,attract,15,15.0,1.5,10.00,20.0,s,c,measured\n"    /* 10 */
               "\n"                                                                    /* 11 */
               "2026-11-24T10:00:02Z,attract,15,15.0,0.75,10.00,20.0,s,c,measured\n"   /* 12 */
               "2026-11-24T10:00:01Z,attract,15,15.0,0.75,10.00,20.0,s,c,measured\n"   /* 13 */
               "2026-11-24T10:00:03Z,attract,15,15.0,0.75,nan,30.0,s,c,measured\n"     /* 14 */
               "2026-11-24T10:00:03Z,attract,15,15.0,0.75,10,30.0,s,\"c\"\"d\",measured\n"
               "2026-11-24T10:00:04Z,attr"); /* 16 */
    fclose(f);
    vt_report r;
    vt_diags d = {0};
    VT_CHECK_INT(build1(p, NULL, &r, &d), VT_OK);
    expect_diag(&d, 4, 1,
                "bad time '2026-13-24T10:00:02Z': expected UTC like "
                "2026-11-25T08:00:01Z");
    expect_diag(&d, 5, 22, "bad state 'at tract': expected a name of letters, digits, '_' and '-'");
    expect_diag(&d, 6, 0,
                "expected 11 comma-separated fields (10 before the seconds column), found 3");
    expect_diag(&d, 7, 0, "a quoted field is not closed properly");
    expect_diag(&d, 8, 43, "bad power_w '-3': expected watts from 0 to 100000, or nothing");
    expect_diag(&d, 9, 58, "a power figure needs 'measured' or 'estimated'");
    expect_diag(&d, 10, 38, "bad scale '1.5': expected a number from 0 to 1");
    /* Back in time within the file (no clock-step marker): a new stretch, not dropped. */
    expect_diag(&d, 13, 0,
                "time goes back (2026-11-24T10:00:01Z after 2026-11-24T10:00:02Z): the clock "
                "was set back? counted from here, the second before it is not");
    expect_diag(&d, 14, 43, "bad power_w 'nan': expected watts from 0 to 100000, or nothing");
    expect_diag(&d, 16, 0, "incomplete last row (the show stopped while writing it); ignored");
    VT_CHECK_INT(d.count, 10);
    VT_CHECK_INT(d.warnings, 2);
    VT_CHECK_STR(d.items[0].path, p);
    VT_CHECK_INT(r.rows, 5);
    VT_CHECK_INT(r.bad_rows, 8);
    VT_CHECK_NEAR(r.energy_wh, 30 / 3600.0, 1e-9);
    VT_CHECK_STR(r.method.covers, "c"); /* most of the time */
    vt_report_free(&r);
    vt_diags_free(&d);

    /* Nothing usable: DATAERR; no readable file: NOINPUT; not a ledger: said at line 1. */
    char *junk = log_path("junk.csv");
    f = fopen(junk, "wb");
    fprintf(f, "%s\nnot,a,row\n", VT_LEDGER_HEADER);
    fclose(f);
    VT_CHECK_INT(build1(junk, NULL, &r, &d), VT_E_DATAERR);
    vt_diags_free(&d);
    char *missing = log_path("missing.csv");
    VT_CHECK_INT(build1(missing, NULL, &r, &d), VT_E_NOINPUT);
    VT_CHECK(d.count == 1 && strstr(d.items[0].message, "cannot open") != NULL);
    vt_diags_free(&d);
    f = fopen(junk, "wb");
    fprintf(f, "time,watts\n");
    fclose(f);
    const char *two[] = {junk, p};
    VT_CHECK_INT(vt_report_build(two, 2, NULL, &r, &d), VT_OK);
    expect_diag(&d, 1, 0,
                "not a Vitrine energy log: the first line should be '" VT_LEDGER_HEADER "'");
    vt_report_free(&r);
    vt_diags_free(&d);
    free(junk);
    free(missing);
    free(p);
}

static double jnum(json_t *root, const char *path) {
    json_t *v = root;
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *k = strtok(buf, "."); k && v; k = strtok(NULL, ".")) {
        v = json_object_get(v, k);
    }
    return v && json_is_number(v) ? json_number_value(v) : NAN;
}

static void test_json(void) {
    char *p = log_path("states.csv"); /* written by test_states_sessions */
    vt_report r;
    vt_diags d = {0};
    VT_CHECK_INT(build1(p, &(vt_report_desc){.visitors = 4}, &r, &d), VT_OK);
    char *text = vt_report_json(&r);
    json_error_t je;
    json_t *root = json_loads(text, 0, &je);
    VT_CHECK(root != NULL);
    VT_CHECK_NEAR(jnum(root, "energy_wh"), r.energy_wh, 1e-4);
    VT_CHECK_NEAR(jnum(root, "co2e_g"), r.co2e_g, 1e-4);
    VT_CHECK_NEAR(jnum(root, "carbon_g_per_kwh"), 50, 0);
    VT_CHECK_NEAR(jnum(root, "states.attract.seconds"), 1400, 0);
    VT_CHECK_NEAR(jnum(root, "states.closed.energy_wh"), 1.6667, 1e-9);
    VT_CHECK_NEAR(jnum(root, "sessions"), 2, 0);
    VT_CHECK_NEAR(jnum(root, "wh_per_session"), r.wh_per_session, 1e-4);
    VT_CHECK_NEAR(jnum(root, "visitors"), 4, 0);
    VT_CHECK_NEAR(jnum(root, "wh_per_visitor"), r.wh_per_visitor, 1e-4);
    VT_CHECK_NEAR(jnum(root, "savings.wh"), r.savings.wh, 1e-4);
    VT_CHECK(json_is_number(json_object_get(json_object_get(root, "savings"), "percent")));
    VT_CHECK_STR(json_string_value(json_object_get(json_object_get(root, "savings"), "basis")),
                 "estimated");
    json_t *m = json_object_get(root, "method");
    VT_CHECK_STR(json_string_value(json_object_get(m, "sensor")), "file:/run/power");
    VT_CHECK_STR(json_string_value(json_object_get(m, "covers")), "power file /run/power");
    VT_CHECK(json_is_true(json_object_get(m, "measured")));
    VT_CHECK(json_is_string(json_object_get(m, "error")));
    json_t *days = json_object_get(root, "days");
    VT_CHECK_INT(json_array_size(days), 1);
    VT_CHECK_STR(json_string_value(json_object_get(json_array_get(days, 0), "date")), "2026-11-24");
    json_decref(root);
    free(text);
    vt_report_free(&r);
    /* Without sessions or visitors those figures are null, not 0 or NaN. */
    char *c = log_path("constant.csv");
    VT_CHECK_INT(build1(c, NULL, &r, &d), VT_OK);
    text = vt_report_json(&r);
    root = json_loads(text, 0, &je);
    VT_CHECK(json_is_null(json_object_get(root, "wh_per_session")));
    VT_CHECK(json_is_null(json_object_get(root, "visitors")));
    VT_CHECK(json_is_null(json_object_get(root, "wh_per_visitor")));
    VT_CHECK(json_is_null(json_object_get(json_object_get(root, "savings"), "wh")));
    json_decref(root);
    free(text);
    vt_report_free(&r);
    vt_diags_free(&d);
    free(c);
    free(p);
}

/* A NUL byte in a line makes that line one bad row; the lines after it still count. */
static void test_nul(void) {
    char *p = log_path("nul.csv");
    FILE *f = fopen(p, "wb");
    static const char text[] =
        VT_LEDGER_HEADER "\n"
                         "2026-11-24T10:00:00Z,attract,15,15.0,0.75,10.00,0.0,s,c,measured\n"
                         "2026-11-24T10:00:01Z,attract,15,15.0,0.75,10.00,10.0,s,c\0,measured\n"
                         "2026-11-24T10:00:02Z,attract,15,15.0,0.75,10.00,20.0,s,c,measured\n"
                         "2026-11-24T10:00:03Z,attract,15,15.0,0.75,10.00,30.0,s,c,measured\n";
    fwrite(text, 1, sizeof text - 1, f);
    fclose(f);
    vt_report r;
    vt_diags d = {0};
    VT_CHECK_INT(build1(p, NULL, &r, &d), VT_OK);
    expect_diag(&d, 3, 0, "line holds a NUL byte (a damaged file?); skipped");
    VT_CHECK_INT(d.count, 1);
    VT_CHECK_INT(r.rows, 3);
    VT_CHECK_INT(r.bad_rows, 1);
    vt_report_free(&r);
    vt_diags_free(&d);
    free(p);
}

/* Everything the ledger writes is read back: a state name and a sensor spec longer than the
 * report keeps are cut (UTF-8 whole), not rejected, and "several, mostly " before the longest
 * sensor still gives valid UTF-8, so the JSON keeps its "method". */
static void test_long_fields(void) {
    char *p = log_path("long.csv");
    char sensor[301] = "file:/x", state[61];
    for (size_t i = strlen(sensor); i + 2 < sizeof sensor; i += 2) {
        memcpy(sensor + i, "\xc3\xa9", 3); /* U+00E9, two bytes each */
    }
    memset(state, 'a', sizeof state - 1);
    state[sizeof state - 1] = '\0';
    vt_ledger *l = NULL;
    vt_error err = {0};
    VT_CHECK_INT(vt_ledger_open(&(vt_ledger_desc){.path = p}, &l, &err), VT_OK);
    int64_t t0 = utc(2026, 11, 24, 10, 0, 0);
    for (int i = 0; i < 100 && l; i++) {
        vt_ledger_row row = {.utc = t0 + i,
                             .state = state,
                             .target_fps = 30,
                             .fps = 30,
                             .scale = 1,
                             .power_w = 20,
                             .has_power = true,
                             .energy_j = 20.0 * i,
                             .has_energy = true,
                             .sensor = i < 80 ? sensor : "rapl",
                             .covers = "power file"};
        VT_CHECK_INT(vt_ledger_write(l, &row, &err), VT_OK);
    }
    vt_ledger_close(l);
    vt_report r;
    vt_diags d = {0};
    VT_CHECK_INT(build1(p, NULL, &r, &d), VT_OK);
    VT_CHECK_INT(d.count, 0);
    VT_CHECK_INT(r.bad_rows, 0);
    VT_CHECK_INT(r.state_count, 1);
    VT_CHECK_INT(strlen(r.states[0].name), VT_LEDGER_STATE_MAX);
    VT_CHECK(strncmp(r.method.sensor, "several, mostly file:/x\xc3\xa9", 25) == 0);
    VT_CHECK(vt_text_utf8_validate(r.method.sensor, strlen(r.method.sensor), NULL));
    char *text = vt_report_json(&r);
    json_t *root = json_loads(text, 0, NULL);
    json_t *m = json_object_get(root, "method");
    VT_CHECK(json_is_string(json_object_get(m, "sensor")));
    json_decref(root);
    free(text);
    vt_report_free(&r);
    vt_diags_free(&d);
    free(p);
}

/* The chart's titles drawn alone on white where the chart draws them (the day at the plot's
 * left, 20 px; the figures right-aligned at its right, 16 px) must be the band above the plot,
 * pixel for pixel: a chart printing other figures fails here, not only in its area. */
static void expect_titles(const vt_image *chart, const char *title, const char *figures) {
    enum { BAND = 52 }; /* above the top axis label (baseline 69, 13 px) and the plot (64) */
    static const uint8_t ink[3] = {40, 40, 40};
    size_t stride = (size_t)chart->width * 4;
    vt_image want = {.width = chart->width, .height = BAND, .pixels = vt_xmalloc(stride * BAND)};
    memset(want.pixels, 255, stride * BAND);
    char why[256] = "";
    report_font *font = report_font_open("DejaVu Sans", why, sizeof why);
    VT_CHECK(font != NULL);
    report_font_draw(font, &want, 72, 36, 20, ink, title, 0);
    report_font_draw(font, &want, 936, 36, 16, ink, figures, 2);
    report_font_close(font);
    long inked = 0, differing = 0;
    for (size_t i = 0; i < stride * BAND; i += 4) {
        inked += want.pixels[i] != 255;
        differing += memcmp(want.pixels + i, chart->pixels + i, 4) != 0;
    }
    VT_CHECK(inked > 500); /* the titles were drawn */
    VT_CHECK_INT(differing, 0);
    if (differing) {
        fprintf(stderr, "  the chart's titles are not \"%s\" and \"%s\"\n", title, figures);
    }
    vt_image_free(&want);
}

/* A museum day: closed at night, attract with visits during opening hours. */
static void test_chart(void) {
    char *p = log_path("day.csv");
    log_writer w = log_start(p, utc(2026, 11, 23, 23, 0, 0), "closed");
    log_add(&w, &(segment){9 * 3600, 5, "closed", 0, 0, 0, 8});
    for (int i = 0; i < 8; i++) {
        log_add(&w, &(segment){2700, 1, "attract", 15, 15, 0.75, 22});
        log_add(&w, &(segment){900, 1, "active", 60, 60, 1, 41});
    }
    log_add(&w, &(segment){6 * 3600 - 5, 5, "closed", 0, 0, 0, 8});
    log_end(&w);
    vt_report r;
    vt_diags d = {0};
    VT_CHECK_INT(build1(p, &(vt_report_desc){.timezone = "Europe/Paris"}, &r, &d), VT_OK);
    VT_CHECK_INT(r.chart->day, vt_schedule_days(2026, 11, 24));
    vt_image img;
    char warning[300];
    vt_error err = {0};
    VT_CHECK_INT(vt_report_chart_draw(&r, &img, warning, sizeof warning, &err), VT_OK);
    VT_CHECK_STR(warning, "");
    /* The local day, worked by hand: 9 h closed at 8 W (72 Wh), 8 x (45 min attract at 22 W +
     * 15 min active at 41 W) (214 Wh), 6 h less 5 s closed at 8 W (47.99 Wh): 333.99 Wh, and
     * 16.70 g at 50 g/kWh. */
    VT_CHECK_NEAR(r.chart->energy_wh, 72 + 214 + 8 * (6 * 3600 - 5) / 3600.0, 1e-6);
    expect_titles(&img, "Power on 2026-11-24",
                  "334.0 Wh \xC2\xB7 16.70 gCO\xE2\x82\x82"
                  "e (50 g/kWh)");
    vt_frame_pixels px = {img.width, img.height, img.pixels};
    VT_CHECK(vt_golden_check("report-chart", &px, 40, 600));
    /* The area's colours where known: attract blue at 10:00, active orange at 10:50, closed grey
     * at 03:00 (just above the axis). */
    int plot_w = 936 - 72;
    const uint8_t *a = vt_px(&px, 72 + plot_w * 600 / 1440, 460);
    const uint8_t *b = vt_px(&px, 72 + plot_w * 650 / 1440, 460);
    const uint8_t *c = vt_px(&px, 72 + plot_w * 180 / 1440, 460);
    VT_CHECK(a[0] == 0 && a[1] == 114 && a[2] == 178);
    VT_CHECK(b[0] == 230 && b[1] == 159 && b[2] == 0);
    VT_CHECK(c[0] == 160 && c[1] == 160 && c[2] == 160);
    vt_image_free(&img);
    char *png = log_path("chart.png");
    VT_CHECK_INT(vt_report_chart_write(&r, png, &err), VT_OK);
    vt_image back;
    VT_CHECK_INT(vt_image_load(png, NULL, &back, &err), VT_OK);
    VT_CHECK_INT(back.width, 960);
    vt_image_free(&back);
    vt_report_free(&r);
    /* A day without rows: nothing to draw. */
    VT_CHECK_INT(build1(p, &(vt_report_desc){.chart_day = "2027-01-01"}, &r, &d), VT_OK);
    VT_CHECK_INT(vt_report_chart_draw(&r, &img, NULL, 0, &err), VT_E_DATAERR);
    vt_report_free(&r);
    vt_diags_free(&d);
    free(png);
    free(p);
}

/* A row at the writer's time with the run's energy so far and no power: a run's first row. */
static void log_mark(log_writer *w, const char *state) {
    char buf[VT_LEDGER_ROW_MAX];
    vt_ledger_row r = {.utc = w->t,
                       .state = state,
                       .target_fps = 60,
                       .scale = 1,
                       .energy_j = w->joules,
                       .has_energy = true,
                       .sensor = "file:/run/power",
                       .covers = "power file /run/power"};
    vt_ledger_format(&r, buf, sizeof buf);
    fputs(buf, w->f);
}

/* The period chart's header drawn alone on white where the chart draws it (the title at the
 * plot's left, 20 px, the totals right-aligned, 16 px; below them, 13 px, the days logged and
 * the sessions, and the figures per visitor) must be the band above the plot, pixel for pixel. */
static void expect_period_header(const vt_image *chart, const char *title, const char *totals,
                                 const char *days, const char *per_visitor) {
    enum { BAND = 64 }; /* above the top axis label (baseline 81, 13 px) and the plot (76) */
    static const uint8_t ink[3] = {40, 40, 40}, grey[3] = {110, 110, 110};
    size_t stride = (size_t)chart->width * 4;
    vt_image want = {.width = chart->width, .height = BAND, .pixels = vt_xmalloc(stride * BAND)};
    memset(want.pixels, 255, stride * BAND);
    char why[256] = "";
    report_font *font = report_font_open("DejaVu Sans", why, sizeof why);
    VT_CHECK(font != NULL);
    report_font_draw(font, &want, 72, 32, 20, ink, title, 0);
    report_font_draw(font, &want, 936, 32, 16, ink, totals, 2);
    report_font_draw(font, &want, 72, 56, 13, grey, days, 0);
    report_font_draw(font, &want, 936, 56, 13, ink, per_visitor, 2);
    report_font_close(font);
    long inked = 0, differing = 0;
    for (size_t i = 0; i < stride * BAND; i += 4) {
        inked += want.pixels[i] != 255;
        differing += memcmp(want.pixels + i, chart->pixels + i, 4) != 0;
    }
    VT_CHECK(inked > 1000); /* the header was drawn */
    VT_CHECK_INT(differing, 0);
    if (differing) {
        fprintf(stderr, "  the chart's header is not \"%s\", \"%s\", \"%s\", \"%s\"\n", title,
                totals, days, per_visitor);
    }
    vt_image_free(&want);
}

/* A museum's year, 2026, one file a day as the ledger rotates them: closed on Mondays (the
 * program not running: no file), otherwise from 10:00 UTC (11:00 or 12:00 in Paris) 20 min
 * closed at 8 W, 30 min attract at 22 W, then active for 5 min per month of the year at 36 W
 * (3 Wh a month: 3 Wh in January, 36 Wh in December) and on weekends 10 min of the scene's own
 * state "quiz" at 30 W. Rows every 5 s. Worked by hand: 313 days logged (52 Mondays), 104 of
 * them weekends; closed 313 x 8/3 = 834.67 Wh, attract 313 x 11 = 3443 Wh, active 3 x (the sum
 * over the logged days of their month: 2042) = 6126 Wh, quiz 104 x 5 = 520 Wh; in all
 * 10923.67 Wh, 546.18 g at 50 g/kWh; with 2000 visitors 5.46 Wh and 0.27 g each. */
static void test_period_chart(void) {
    char *paths[366];
    size_t count = 0;
    log_writer w = {0};
    for (int32_t day = vt_schedule_days(2026, 1, 1); day <= vt_schedule_days(2026, 12, 31); day++) {
        int y, m, d;
        vt_schedule_civil(day, &y, &m, &d);
        int weekday = ((day % 7) + 11) % 7; /* 0 Sunday; 1970-01-01 was a Thursday */
        if (weekday == 1) {
            continue;
        }
        char name[64];
        snprintf(name, sizeof name, "energy-%04d-%02d-%02d.csv", y, m, d);
        paths[count] = log_path(name);
        w.f = fopen(paths[count++], "wb");
        fprintf(w.f, "%s\n", VT_LEDGER_HEADER);
        w.t = (int64_t)day * 86400 + 10 * 3600;
        log_mark(&w, "closed");
        log_add(&w, &(segment){20 * 60, 5, "closed", 0, 0, 0, 8});
        log_add(&w, &(segment){30 * 60, 5, "attract", 15, 15, 0.75, 22});
        log_add(&w, &(segment){m * 5 * 60, 5, "active", 60, 60, 1, 36});
        if (weekday == 0 || weekday == 6) {
            log_add(&w, &(segment){10 * 60, 5, "quiz", 60, 60, 1, 30});
        }
        log_end(&w);
    }
    VT_CHECK_INT(count, 313);
    vt_report r;
    vt_diags d = {0};
    vt_report_desc desc = {.timezone = "Europe/Paris",
                           .visitors = 2000,
                           .period = VT_REPORT_PERIOD_YEAR};
    VT_CHECK_INT(vt_report_build((const char *const *)paths, count, &desc, &r, &d), VT_OK);
    VT_CHECK_INT(d.count, 0);
    VT_CHECK_INT(r.day_count, 313);
    VT_CHECK_INT(r.period.last, vt_schedule_days(2026, 12, 31));
    VT_CHECK_INT(r.period.first, vt_schedule_days(2025, 12, 31)); /* 366 days back */
    VT_CHECK_NEAR(r.energy_wh, 313 * (8 / 3.0 + 11) + 3 * 2042 + 104 * 5, 1e-6);
    /* The days by state: a December Sunday, the 27th, and the states' sums over the days. */
    const vt_report_day *dec27 = NULL;
    double attract = 0;
    for (size_t i = 0; i < r.day_count; i++) {
        dec27 = r.days[i].day == vt_schedule_days(2026, 12, 27) ? &r.days[i] : dec27;
        for (size_t k = 0; k < r.state_count; k++) {
            attract += strcmp(r.states[k].name, "attract") == 0 ? r.days[i].state_wh[k] : 0;
        }
    }
    VT_CHECK(dec27 != NULL);
    for (size_t k = 0; dec27 && k < r.state_count; k++) {
        const char *n = r.states[k].name;
        double want = strcmp(n, "closed") == 0 ? 8 / 3.0 : strcmp(n, "attract") == 0 ? 11 : 0;
        want += strcmp(n, "active") == 0 ? 36 : strcmp(n, "quiz") == 0 ? 5 : 0;
        VT_CHECK_NEAR(dec27->state_wh[k], want, 1e-6);
        double secs = want == 36 ? 3600 : want == 11 ? 1800 : want == 5 ? 600 : 1200;
        VT_CHECK_NEAR(dec27->state_seconds[k], secs, 0);
    }
    VT_CHECK_NEAR(attract, 3443, 1e-6);
    vt_image img;
    char warning[300];
    vt_error err = {0};
    VT_CHECK_INT(vt_report_chart_draw(&r, &img, warning, sizeof warning, &err), VT_OK);
    VT_CHECK_STR(warning, "");
    expect_period_header(&img, "Energy by day, 2025-12-31 to 2026-12-31",
                         "10.92 kWh \xC2\xB7 546.18 gCO\xE2\x82\x82"
                         "e (50 g/kWh)",
                         "313 of 366 days logged \xC2\xB7 313 interaction sessions",
                         "5.5 Wh \xC2\xB7 0.27 gCO\xE2\x82\x82"
                         "e per visitor (2000 visitors)");
    vt_frame_pixels px = {img.width, img.height, img.pixels};
    VT_CHECK(vt_golden_check("report-year", &px, 40, 600));
    /* The bars, bottom up: 2026-12-27 (a Sunday, the 362nd of 366 columns of 864 / 366 px) is
     * attract blue, active orange, closed grey and quiz vermilion (the scene's own state, the
     * fourth seen); 2026-12-28, a Monday, is empty.
     * 60 Wh is the top of the plot (388 px): the stack's tops are at 11, 47, 49.67 and 54.67 Wh,
     * 71, 304, 321 and 354 px above the axis. */
    int x = 72 + (int)((361 + 0.5) * 864 / 366), y0 = 464;
    const uint8_t *a = vt_px(&px, x, y0 - 36), *b = vt_px(&px, x, y0 - 150);
    const uint8_t *c = vt_px(&px, x, y0 - 312), *q = vt_px(&px, x, y0 - 338);
    const uint8_t *monday = vt_px(&px, 72 + (int)((362 + 0.5) * 864 / 366), y0 - 36);
    VT_CHECK(a[0] == 0 && a[1] == 114 && a[2] == 178);
    VT_CHECK(b[0] == 230 && b[1] == 159 && b[2] == 0);
    VT_CHECK(c[0] == 160 && c[1] == 160 && c[2] == 160);
    VT_CHECK(q[0] == 213 && q[1] == 94 && q[2] == 0);
    VT_CHECK(monday[0] == 255 && monday[1] == 255 && monday[2] == 255);
    vt_image_free(&img);
    vt_report_free(&r);
    /* A week and every day: the last 7 days, the first day logged. */
    desc.period = VT_REPORT_PERIOD_WEEK;
    VT_CHECK_INT(vt_report_build((const char *const *)paths, count, &desc, &r, &d), VT_OK);
    VT_CHECK_INT(r.period.first, vt_schedule_days(2026, 12, 25));
    vt_report_free(&r);
    desc.period = VT_REPORT_PERIOD_ALL;
    VT_CHECK_INT(vt_report_build((const char *const *)paths, count, &desc, &r, &d), VT_OK);
    VT_CHECK_INT(r.period.first, vt_schedule_days(2026, 1, 1));
    vt_report_free(&r);
    desc.period = (vt_report_period)99;
    VT_CHECK_INT(vt_report_build((const char *const *)paths, count, &desc, &r, &d), VT_E_USAGE);
    vt_diags_free(&d);
    for (size_t i = 0; i < count; i++) {
        free(paths[i]);
    }
}

int main(void) {
    snprintf(dir, sizeof dir, "/tmp/vt-test-report-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    vt_log_set_level(VT_LOG_ERROR);
    test_constant();
    test_energy_without_power();
    test_clock_step();
    test_states_sessions();
    test_dst();
    test_rotated();
    test_gaps();
    test_savings_measured();
    test_row_seconds();
    test_hostile();
    test_json();
    test_long_fields();
    test_nul();
    test_chart();
    test_period_chart();
    char *cmd = vt_xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0) {
        fprintf(stderr, "could not remove %s\n", dir);
    }
    free(cmd);
    return vt_test_finish("test_report");
}
