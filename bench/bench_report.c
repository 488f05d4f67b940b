/* `vitrine report --period year` over a year of energy ledgers, as `play` writes them: one row a
 * second (VT_BENCH_ROW_STEP seconds: 5 is the sparsest the report still counts), day and night,
 * one file a UTC day, 366 days. The files are generated into a temporary folder first (not
 * timed, removed at the end), then timed VT_BENCH_RUNS times (default 1): reading and summing
 * them (vt_report_build), drawing the period chart and writing it as a PNG. Target: the whole
 * under 2 s. Exit status 1 when a run is over it (of the runs reading summaries, below). With
 * VT_BENCH_DIR set, the files are written into that folder and kept, and a later run with the same
 * row step reads them again without writing them (to compare builds on the same files, or to
 * profile the reading alone). Summaries: the files are dated an hour back (closed days, as a show's
 * past ledgers are) and their summaries (".NAME.sum") removed first; run 1 reads the ledgers
 * without summaries, run 2 reads them and writes the summaries, the runs after it read the
 * summaries (VT_BENCH_RUNS: 3 or more to see the three side by side). */
#include "hours/vt_hours.h"
#include "io/vt_io.h"
#include "ledger/vt_ledger.h"
#include "ledger/vt_report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#define DAYS 366

static double now_s(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A museum day in UTC: closed until 09:00 and from 17:00 (8 W), open between (45 min attract
 * at 22 W, 15 min active at 41 W, every hour). */
static void state_at(int second, const char **state, int *fps, double *scale, double *watts) {
    int h = second / 3600;
    bool open = h >= 9 && h < 17, active = second % 3600 >= 2700;
    *state = !open ? "closed" : active ? "active" : "attract";
    *fps = !open ? 0 : active ? 60 : 12;
    *scale = !open ? 0 : active ? 1 : 0.6;
    *watts = !open ? 8 : active ? 41 : 22;
}

static bool write_year(const char *dir, int step, char **paths, uint64_t *rows, uint64_t *bytes) {
    int32_t first = vt_schedule_days(2025, 12, 31);
    double joules = 0;
    char buf[VT_LEDGER_ROW_MAX];
    for (int i = 0; i < DAYS; i++) {
        int y, m, d;
        vt_schedule_civil(first + i, &y, &m, &d);
        paths[i] = vt_xasprintf("%s/energy-%04d-%02d-%02d.csv", dir, y, m, d);
        FILE *f = fopen(paths[i], "wb");
        if (!f) {
            perror(paths[i]);
            return false;
        }
        *bytes += (uint64_t)fprintf(f, "%s\n", VT_LEDGER_HEADER);
        for (int s = step; s <= 86400; s += step) {
            vt_ledger_row r = {.utc = (int64_t)(first + i) * 86400 + s,
                               .has_power = true,
                               .has_energy = true,
                               .sensor = "file:/run/power",
                               .covers = "power file /run/power"};
            state_at(s - 1, &r.state, &r.target_fps, &r.scale, &r.power_w);
            r.fps = r.target_fps;
            joules += r.power_w * step;
            r.energy_j = joules;
            size_t n = vt_ledger_format(&r, buf, sizeof buf);
            fwrite(buf, 1, n, f);
            *bytes += n;
            (*rows)++;
        }
        if (fclose(f) != 0) {
            perror(paths[i]);
            return false;
        }
    }
    return true;
}

/* The files write_year wrote earlier into dir (VT_BENCH_DIR). */
static bool read_year(const char *dir, int step, char **paths, uint64_t *rows, uint64_t *bytes) {
    int32_t first = vt_schedule_days(2025, 12, 31);
    for (int i = 0; i < DAYS; i++) {
        int y, m, d;
        vt_schedule_civil(first + i, &y, &m, &d);
        paths[i] = vt_xasprintf("%s/energy-%04d-%02d-%02d.csv", dir, y, m, d);
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            perror(paths[i]);
            return false;
        }
        *bytes += (uint64_t)st.st_size;
        *rows += (uint64_t)(86400 / step);
    }
    return true;
}

/* One timed report of the files: 0 within the target, 1 over it, 70 when it failed. */
static int time_once(char **paths, const char *dir, uint64_t rows, uint64_t bytes, int run) {
    vt_report_desc desc = {.timezone = "Europe/Paris",
                           .visitors = 41000,
                           .period = VT_REPORT_PERIOD_YEAR,
                           .no_cache = run == 1};
    const char *mode = run == 1 ? "no summaries" : run == 2 ? "writing summaries" : "summaries";
    vt_report r;
    vt_diags diags = {0};
    char *png = vt_xasprintf("%s/year.png", dir);
    vt_error err = {0};
    double w0 = now_s(CLOCK_MONOTONIC), c0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
    vt_status st = vt_report_build((const char *const *)paths, DAYS, &desc, &r, &diags);
    double w1 = now_s(CLOCK_MONOTONIC), c1 = now_s(CLOCK_PROCESS_CPUTIME_ID);
    vt_image img = {0};
    if (st == VT_OK) {
        st = vt_report_chart_draw(&r, &img, NULL, 0, &err);
    }
    double w2 = now_s(CLOCK_MONOTONIC);
    if (st == VT_OK) {
        vt_image_free(&img);
        st = vt_report_chart_write(&r, png, &err); /* draws again, then encodes and writes */
    }
    double w3 = now_s(CLOCK_MONOTONIC);
    int rc = 70;
    if (st != VT_OK) {
        vt_diags_print(&diags, stderr);
        fprintf(stderr, "bench_report: %s\n", err.message);
    } else {
        double read = w1 - w0, draw = w2 - w1, write = (w3 - w2) - draw;
        printf("bench_report: run %d (%s): read and summed in %.3f s (%.3f s CPU, %.2f M rows/s, "
               "%.0f MB/s, %.1f kWh over %zu local days); chart drawn in %.1f ms, encoded and "
               "written in %.1f ms; total %.3f s (target < 2 s)\n",
               run, mode, read, c1 - c0, (double)rows / read / 1e6, (double)bytes / read / 1e6,
               r.energy_wh / 1000, r.day_count, draw * 1e3, write * 1e3, read + draw + write);
        rc = read + draw + write < 2 ? 0 : 1;
    }
    vt_report_free(&r);
    vt_diags_free(&diags);
    unlink(png);
    free(png);
    return rc;
}

int main(void) {
    const char *env = getenv("VT_BENCH_ROW_STEP"), *runs_env = getenv("VT_BENCH_RUNS");
    int step = env ? atoi(env) : 1, runs = runs_env ? atoi(runs_env) : 1;
    if (step < 1 || step > VT_REPORT_GAP_S) {
        fprintf(stderr, "bench_report: VT_BENCH_ROW_STEP must be 1 to %d\n", VT_REPORT_GAP_S);
        return 64;
    }
    const char *tmp = getenv("TMPDIR"), *keep = getenv("VT_BENCH_DIR");
    char *dir = keep && keep[0]
                    ? vt_xstrdup(keep)
                    : vt_xasprintf("%s/vt-bench-report-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (keep && keep[0] ? mkdir(dir, 0777) != 0 && errno != EEXIST : !mkdtemp(dir)) {
        perror(dir);
        return 73;
    }
    vt_log_set_level(VT_LOG_ERROR);
    char *paths[DAYS] = {0};
    uint64_t rows = 0, bytes = 0;
    double t0 = now_s(CLOCK_MONOTONIC);
    char *stamp = vt_xasprintf("%s/.written-step-%d", dir, step);
    bool reuse = keep && keep[0] && access(stamp, F_OK) == 0;
    bool ok = reuse ? read_year(dir, step, paths, &rows, &bytes)
                    : write_year(dir, step, paths, &rows, &bytes);
    if (ok && keep && keep[0]) {
        FILE *f = fopen(stamp, "w");
        ok = f && fclose(f) == 0;
    }
    free(stamp);
    for (int i = 0; ok && i < DAYS; i++) {
        struct timespec ts[2] = {{.tv_sec = time(NULL) - 3600}, {.tv_sec = time(NULL) - 3600}};
        const char *base = strrchr(paths[i], '/') + 1;
        char *sum = vt_xasprintf("%.*s.%s.sum", (int)(base - paths[i]), paths[i], base);
        unlink(sum);
        free(sum);
        ok = utimensat(AT_FDCWD, paths[i], ts, 0) == 0;
    }
    double generated = now_s(CLOCK_MONOTONIC) - t0;
    int rc = ok ? 0 : 74;
    if (ok) {
        printf("bench_report: a year of ledgers, %d files, %llu rows (one every %d s), %.0f MB, "
               "%s %.1f s\n",
               DAYS, (unsigned long long)rows, step, (double)bytes / 1e6,
               reuse ? "already in VT_BENCH_DIR, listed in" : "generated in", generated);
    }
    for (int run = 1; ok && rc != 70 && run <= (runs > 0 ? runs : 1); run++) {
        int once = time_once(paths, dir, rows, bytes, run);
        /* The target is for the runs that read the summaries (all runs when fewer than 3). */
        rc = once > rc && (once == 70 || run >= 3 || runs < 3) ? once : rc;
    }
    for (int i = 0; i < DAYS; i++) {
        if (paths[i] && !(keep && keep[0])) {
            const char *base = strrchr(paths[i], '/') + 1;
            char *sum = vt_xasprintf("%.*s.%s.sum", (int)(base - paths[i]), paths[i], base);
            unlink(sum);
            free(sum);
            unlink(paths[i]);
        }
        free(paths[i]);
    }
    if (!(keep && keep[0])) {
        rmdir(dir);
    }
    free(dir);
    return rc;
}
