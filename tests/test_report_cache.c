/* The report's summaries (".NAME.sum" beside each ledger): the same text, JSON and chart PNG
 * bytes with and without them (a period, the last day, a given day, two time zones); a ledger
 * appended to, cut or rewritten is read again; a damaged or hostile summary (every byte
 * flipped, cut, lengthened, a folder in its place) is ignored; a summary made in one time zone
 * is not used in another; a file still being written is not summarised. */
#include "vt_test.h"

#include "hours/vt_hours.h"
#include "io/vt_io.h"
#include "ledger/report_internal.h"
#include "ledger/vt_ledger.h"
#include "ledger/vt_report.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define DAYS 4
#define STEP 2

static char dir[256];
static char *paths[DAYS];

static int64_t utc(int y, int mo, int d, int h, int mi, int s) {
    return (int64_t)vt_schedule_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

/* Files of a year's show in little: one per UTC day (as rotation writes them, continuing each
 * other), closed at night, attract with a visitor every 7 minutes, power that is no binary
 * fraction (sums round), a stop of ten minutes and a restart on the second day, and the last
 * file a stub of six hours. */
static void write_logs(void) {
    int64_t t0 = utc(2026, 3, 27, 0, 0, 0); /* Paris changes to summer time on the 29th */
    double joules = 0;
    char buf[VT_LEDGER_ROW_MAX];
    for (int day = 0; day < DAYS; day++) {
        paths[day] = vt_xasprintf("%s/energy-2026-03-%02d.csv", dir, 27 + day);
        FILE *f = fopen(paths[day], "wb");
        fprintf(f, "%s\n", VT_LEDGER_HEADER);
        int64_t end = day == DAYS - 1 ? 6 * 3600 : 86400;
        for (int64_t s = STEP; s <= end; s += STEP) {
            int64_t t = t0 + day * 86400 + s;
            int hour = (int)(s / 3600);
            if (day == 1 && hour == 13 && s % 3600 < 600) {
                continue; /* stopped for ten minutes */
            }
            if (day == 1 && hour == 13 && s % 3600 == 600) {
                joules = 0; /* restarted */
            }
            bool closed = hour < 8 || hour >= 22;
            bool active = !closed && (t / 60) % 7 == 0;
            double watts = (closed ? 9.1 : active ? 61.7 : 31.3) + 3.7 * sin((double)t / 97.0);
            joules += watts * STEP;
            vt_ledger_row r = {.utc = t,
                               .state = closed   ? "closed"
                                        : active ? "active"
                                                 : "attract",
                               .target_fps = closed   ? 0
                                             : active ? 60
                                                      : 12,
                               .fps = closed   ? 0
                                      : active ? 59.5
                                               : 12,
                               .scale = closed   ? 0
                                        : active ? 1
                                                 : 0.6,
                               .power_w = watts,
                               .has_power = true,
                               .energy_j = joules,
                               .has_energy = true,
                               .sensor = "file:/run/power",
                               .covers = "power file /run/power",
                               .seconds = STEP};
            vt_ledger_format(&r, buf, sizeof buf);
            fputs(buf, f);
        }
        fclose(f);
    }
}

/* Sets a file's time of change an hour back (settled: it may be summarised). */
static void settle(const char *path, int64_t at) {
    struct timespec ts[2] = {{.tv_sec = (time_t)at}, {.tv_sec = (time_t)at}};
    VT_CHECK_INT(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static void settle_all(void) {
    for (int i = 0; i < DAYS; i++) {
        settle(paths[i], (int64_t)time(NULL) - 3600);
    }
}

static char *sum_of(const char *path) {
    const char *base = strrchr(path, '/') + 1;
    return vt_xasprintf("%.*s.%s.sum", (int)(base - path), path, base);
}

static void remove_sums(void) {
    for (int i = 0; i < DAYS; i++) {
        char *s = sum_of(paths[i]);
        unlink(s);
        free(s);
    }
}

static int sums_present(void) {
    int n = 0;
    for (int i = 0; i < DAYS; i++) {
        char *s = sum_of(paths[i]);
        n += access(s, F_OK) == 0;
        free(s);
    }
    return n;
}

/* Everything the report says: text, JSON, diagnostics and the chart's PNG bytes. */
typedef struct outcome {
    vt_status status;
    char *text, *json, *diags;
    char *png;
    size_t png_len;
} outcome;

static outcome report(const char *zone, vt_report_period period, const char *day, bool no_cache) {
    outcome o = {0};
    vt_report_desc desc = {.timezone = zone,
                           .visitors = 123,
                           .period = period,
                           .chart_day = day,
                           .no_cache = no_cache};
    vt_report r;
    vt_diags d = {0};
    o.status = vt_report_build((const char *const *)paths, DAYS, &desc, &r, &d);
    size_t len;
    FILE *f = open_memstream(&o.diags, &len);
    vt_diags_print(&d, f);
    fclose(f);
    vt_diags_free(&d);
    if (o.status != VT_OK) {
        return o;
    }
    f = open_memstream(&o.text, &len);
    vt_report_print_text(&r, f);
    fclose(f);
    o.json = vt_report_json(&r);
    char *png = vt_xasprintf("%s/chart.png", dir);
    vt_error err = {0};
    if (vt_report_chart_write(&r, png, &err) == VT_OK) {
        vt_file_read(png, 64 << 20, &o.png, &o.png_len, &err);
        unlink(png);
    }
    free(png);
    vt_report_free(&r);
    return o;
}

static bool same(const outcome *a, const outcome *b) {
    return a->status == b->status && a->status == VT_OK && strcmp(a->text, b->text) == 0 &&
           strcmp(a->json, b->json) == 0 && strcmp(a->diags, b->diags) == 0 && a->png && b->png &&
           a->png_len == b->png_len && memcmp(a->png, b->png, a->png_len) == 0;
}

static void outcome_free(outcome *o) {
    free(o->text);
    free(o->json);
    free(o->diags);
    free(o->png);
}

/* Without summaries, then writing them, then reading them: the same outcome three times. */
static void expect_same(const char *zone, vt_report_period period, const char *day,
                        size_t min_summed) {
    remove_sums();
    outcome plain = report(zone, period, day, true);
    VT_CHECK_INT(sums_present(), 0);
    VT_CHECK_INT(plain.status, VT_OK);
    outcome first = report(zone, period, day, false);
    VT_CHECK_INT(sums_present(), DAYS);
    report_test_summed = 0;
    outcome second = report(zone, period, day, false);
    VT_CHECK(report_test_summed >= min_summed);
    VT_CHECK(same(&plain, &first));
    VT_CHECK(same(&plain, &second));
    outcome_free(&plain);
    outcome_free(&first);
    outcome_free(&second);
}

static void test_same(void) {
    settle_all();
    /* The last day's chart reads the files that count into it: in Paris the last two. */
    expect_same("Europe/Paris", VT_REPORT_PERIOD_YEAR, NULL, DAYS - 2);
    expect_same("UTC", VT_REPORT_PERIOD_YEAR, NULL, DAYS - 1);
    expect_same("Europe/Paris", VT_REPORT_PERIOD_DAY, NULL, DAYS - 2);
    expect_same("Europe/Paris", VT_REPORT_PERIOD_WEEK, "2026-03-28", 1);
    expect_same("America/New_York", VT_REPORT_PERIOD_ALL, NULL, DAYS - 2);
}

/* A changed file: its summary no longer holds, the file is read (the first run after the
 * change: it summarises the file anew). */
static void expect_reread(const char *what, outcome *out) {
    report_test_summed = 0;
    outcome cached = report("Europe/Paris", VT_REPORT_PERIOD_YEAR, NULL, false);
    VT_CHECK_INT(report_test_summed, 1); /* the other file not changed nor charted */
    outcome plain = report("Europe/Paris", VT_REPORT_PERIOD_YEAR, NULL, true);
    if (!same(&plain, &cached)) {
        fprintf(stderr, "after %s: not the same report\n", what);
    }
    VT_CHECK(same(&plain, &cached));
    outcome_free(&plain);
    if (out) {
        *out = cached;
    } else {
        outcome_free(&cached);
    }
}

static void test_changed(void) {
    settle_all();
    remove_sums();
    outcome before = report("Europe/Paris", VT_REPORT_PERIOD_YEAR, NULL, false);
    VT_CHECK_INT(sums_present(), DAYS);
    struct stat st;
    VT_CHECK_INT(stat(paths[0], &st), 0);
    int64_t mtime = (int64_t)st.st_mtime;

    /* Appended to (a row at the same time as the next file's first: no overlap), its time of
     * change put back: the size tells. */
    FILE *f = fopen(paths[0], "ab");
    char buf[VT_LEDGER_ROW_MAX];
    vt_ledger_row row = {.utc = utc(2026, 3, 28, 0, 0, 1),
                         .state = "closed",
                         .power_w = 5000,
                         .has_power = true,
                         .sensor = "file:/run/power",
                         .covers = "power file /run/power",
                         .seconds = 1};
    vt_ledger_format(&row, buf, sizeof buf);
    fputs(buf, f);
    fclose(f);
    settle(paths[0], mtime);
    outcome after;
    expect_reread("appending", &after);
    VT_CHECK(!same(&before, &after)); /* 5 kW for a second shows */

    /* Cut (the size tells). */
    VT_CHECK_INT(stat(paths[0], &st), 0);
    VT_CHECK_INT(truncate(paths[0], st.st_size - 4000), 0);
    settle(paths[0], mtime);
    expect_reread("cutting", NULL);

    /* The same size, another time of change. */
    VT_CHECK_INT(stat(paths[0], &st), 0);
    char *data = NULL;
    size_t len = 0;
    vt_error err = {0};
    VT_CHECK_INT(vt_file_read(paths[0], 64 << 20, &data, &len, &err), VT_OK);
    char *at = data ? strstr(data + len / 2, ",attract,") : NULL;
    VT_CHECK(at != NULL);
    if (at) {
        memcpy(at, ",abstract", 9); /* another state for a row */
        f = fopen(paths[0], "wb");
        fwrite(data, 1, len, f);
        fclose(f);
        settle(paths[0], mtime - 60);
        expect_reread("rewriting", NULL);
    }
    free(data);
    outcome_free(&before);
    outcome_free(&after);
}

/* Damaged summaries, one byte at a time on a small file, and cut or lengthened: never used
 * (the report is the one without summaries) and never a crash. */
static void test_hostile(void) {
    char *one = vt_xasprintf("%s/small.csv", dir);
    FILE *f = fopen(one, "wb");
    fprintf(f, "%s\n", VT_LEDGER_HEADER);
    char buf[VT_LEDGER_ROW_MAX];
    for (int s = 1; s <= 40; s++) {
        vt_ledger_row r = {.utc = utc(2026, 3, 27, 10, 0, s),
                           .state = s % 10 < 3 ? "active" : "attract",
                           .target_fps = s % 10 < 3 ? 60 : 12,
                           .fps = 59.5,
                           .scale = s % 10 < 3 ? 1 : 0.6,
                           .power_w = 40.0 + s * 0.37,
                           .has_power = true,
                           .energy_j = s * 41.1,
                           .has_energy = true,
                           .sensor = "file:/run/power",
                           .covers = "power file /run/power",
                           .seconds = 1};
        vt_ledger_format(&r, buf, sizeof buf);
        fputs(buf, f);
    }
    fclose(f);
    settle(one, (int64_t)time(NULL) - 3600);
    const char *list[] = {one};
    vt_report_desc desc = {.timezone = "Europe/Paris", .no_cache = true};
    vt_report plain, r;
    vt_diags d = {0};
    VT_CHECK_INT(vt_report_build(list, 1, &desc, &plain, &d), VT_OK);
    char *plain_json = vt_report_json(&plain);
    vt_report_free(&plain);
    desc.no_cache = false;
    VT_CHECK_INT(vt_report_build(list, 1, &desc, &r, &d), VT_OK); /* writes the summary */
    vt_report_free(&r);
    char *sp = sum_of(one), *good = NULL;
    size_t len = 0;
    vt_error err = {0};
    VT_CHECK_INT(vt_file_read(sp, 1 << 20, &good, &len, &err), VT_OK);
    VT_CHECK(len > 100);
    /* A day that is not the chart's: the summary is used as it is. */
    desc.period = VT_REPORT_PERIOD_WEEK;
    desc.chart_day = "2026-01-01";
    report_test_summed = 0;
    VT_CHECK_INT(vt_report_build(list, 1, &desc, &r, &d), VT_OK);
    VT_CHECK_INT(report_test_summed, 1);
    vt_report_free(&r);
    desc.no_cache = true;
    VT_CHECK_INT(vt_report_build(list, 1, &desc, &plain, &d), VT_OK);
    free(plain_json);
    plain_json = vt_report_json(&plain);
    vt_report_free(&plain);
    desc.no_cache = false;
    size_t used = 0, differ = 0;
    char *bad = vt_xmalloc(len + 16);
    for (size_t i = 0; good && i < len + 3; i++) {
        size_t n = len;
        memcpy(bad, good, len);
        if (i < len) {
            bad[i] ^= (char)(1 << (i % 8)); /* one bit */
        } else if (i == len) {
            n = len / 2; /* cut */
        } else if (i == len + 1) {
            memset(bad + len, 0, 16); /* lengthened */
            n = len + 16;
        } else {
            memset(bad + 8, 0xff, len - 8); /* all counts at their largest */
        }
        VT_CHECK_INT(vt_file_write_atomic(sp, bad, n, 0, &err), VT_OK);
        report_test_summed = 0;
        vt_diags_free(&d);
        vt_status st = vt_report_build(list, 1, &desc, &r, &d);
        used += report_test_summed;
        if (st == VT_OK) {
            char *json = vt_report_json(&r);
            differ += strcmp(json, plain_json) != 0;
            free(json);
            vt_report_free(&r);
        } else {
            differ++;
        }
    }
    VT_CHECK_INT(used, 0);
    VT_CHECK_INT(differ, 0);
    /* A folder where the summary would go: the report still works, without one. */
    unlink(sp);
    VT_CHECK_INT(mkdir(sp, 0755), 0);
    VT_CHECK_INT(vt_report_build(list, 1, &desc, &r, &d), VT_OK);
    char *json = vt_report_json(&r);
    VT_CHECK_STR(json, plain_json);
    free(json);
    vt_report_free(&r);
    rmdir(sp);
    /* A file changed a moment ago (still being written) is not summarised. */
    settle(one, (int64_t)time(NULL));
    VT_CHECK_INT(vt_report_build(list, 1, &desc, &r, &d), VT_OK);
    vt_report_free(&r);
    VT_CHECK(access(sp, F_OK) != 0);
    vt_diags_free(&d);
    free(bad);
    free(good);
    free(sp);
    free(plain_json);
    free(one);
}

/* Summaries made in Paris are not used for New York's days, nor for UTC's. */
static void test_zone(void) {
    settle_all();
    remove_sums();
    outcome paris = report("Europe/Paris", VT_REPORT_PERIOD_YEAR, NULL, false);
    VT_CHECK_INT(sums_present(), DAYS);
    const char *zones[] = {"America/New_York", "UTC"};
    for (int z = 0; z < 2; z++) {
        outcome plain = report(zones[z], VT_REPORT_PERIOD_YEAR, NULL, true);
        report_test_summed = 0;
        outcome other = report(zones[z], VT_REPORT_PERIOD_YEAR, NULL, false);
        VT_CHECK_INT(report_test_summed, 0);
        VT_CHECK(same(&plain, &other));
        VT_CHECK(!same(&plain, &paris));
        outcome_free(&plain);
        outcome_free(&other);
    }
    outcome_free(&paris);
}

int main(void) {
    snprintf(dir, sizeof dir, "/tmp/vt-test-report-cache-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    vt_log_set_level(VT_LOG_ERROR);
    write_logs();
    test_same();
    test_zone();
    test_hostile();
    test_changed();
    char *cmd = vt_xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0) {
        fprintf(stderr, "could not remove %s\n", dir);
    }
    free(cmd);
    for (int i = 0; i < DAYS; i++) {
        free(paths[i]);
    }
    return vt_test_finish("test_report_cache");
}
