/* The report's sums: each row's interval (since the previous row of the same run) counted into
 * its state, its local day and the chart, the sessions, the figures the savings need, and at the
 * end the totals, the savings against an uncapped baseline and the method. */
#include "ledger/report_internal.h"

#include "hours/vt_hours.h"
#include "io/vt_io.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FPS_SLOTS 241       /* target frame rates 0..240 */
#define UNCAPPED_MIN_S 60.0 /* uncapped time a state needs to serve as a measured baseline */
#define FULL_SCALE 0.995

struct report_acc {
    vt_report *r;
    int32_t chart_day; /* VT_REPORT_NO_DAY: follow the last day */
    bool chart_fixed;
    bool have_prev;
    bool last_ok; /* the latest row given was counted (a clock-step marker may follow it) */
    log_row prev;
    const char *prev_path; /* the file prev came from ("" before the first) */
    /* The local day and minute of the UTC seconds [minute_lo, minute_hi]: one local minute. */
    int64_t minute_lo, minute_hi;
    int32_t minute_day;
    int minute_of_day;
    int prev_state; /* prev's index in r->states */
    int last_state; /* the latest state_index answer */
    bool attract[VT_REPORT_MAX_STATES], closed[VT_REPORT_MAX_STATES]; /* by state index */
    size_t day_cap;
    /* Seconds and joules by state, target frame rate and full scale (1) or not (0). */
    double stat_s[VT_REPORT_MAX_STATES][FPS_SLOTS][2];
    double stat_j[VT_REPORT_MAX_STATES][FPS_SLOTS][2];
    /* Weighted least squares of power against load (frames a second x scale^2). */
    double reg_w, reg_x, reg_y, reg_xx, reg_xy;
    double measured_s, estimated_s;
    struct {
        char sensor[sizeof((log_row *)0)->sensor], covers[sizeof((log_row *)0)->covers];
        double seconds;
        bool estimated;
    } sensors[VT_REPORT_MAX_SENSORS];
    size_t sensor_count;
};

report_acc *report_acc_create(vt_report *r, const vt_report_desc *desc, int32_t chart_day) {
    report_acc *acc = vt_xcalloc(1, sizeof *acc);
    acc->r = r;
    r->carbon_g_per_kwh =
        desc->carbon_g_per_kwh > 0 ? desc->carbon_g_per_kwh : VT_REPORT_DEFAULT_CARBON;
    r->visitors = desc->visitors > 0 ? desc->visitors : 0;
    r->chart = vt_xcalloc(1, sizeof *r->chart);
    r->chart->day = chart_day;
    r->period.kind = desc->period;
    acc->chart_day = chart_day;
    acc->chart_fixed = chart_day != VT_REPORT_NO_DAY;
    acc->prev_path = "";
    acc->minute_lo = 1;
    acc->minute_hi = 0;
    return acc;
}

static int state_index(report_acc *acc, const char *name) {
    vt_report *r = acc->r;
    if ((size_t)acc->last_state < r->state_count &&
        strcmp(r->states[acc->last_state].name, name) == 0) {
        return acc->last_state; /* rows mostly repeat the state of the row before */
    }
    for (size_t i = 0; i < r->state_count; i++) {
        if (strcmp(r->states[i].name, name) == 0) {
            return acc->last_state = (int)i;
        }
    }
    if (r->state_count == VT_REPORT_MAX_STATES) {
        return -1;
    }
    size_t i = r->state_count++;
    snprintf(r->states[i].name, sizeof r->states[0].name, "%s", name);
    acc->attract[i] = strcmp(name, "attract") == 0;
    acc->closed[i] = strcmp(name, "closed") == 0;
    return acc->last_state = (int)i;
}

/* The day's entry, kept in order: rows come in time order, except after the clock was set back
 * (then an earlier day may come again, or come first). */
static vt_report_day *day_of(report_acc *acc, int32_t day) {
    vt_report *r = acc->r;
    size_t at = r->day_count;
    while (at > 0 && r->days[at - 1].day > day) {
        at--;
    }
    if (at > 0 && r->days[at - 1].day == day) {
        return &r->days[at - 1];
    }
    if (r->day_count == VT_REPORT_MAX_DAYS) {
        return &r->days[at > 0 ? at - 1 : 0];
    }
    VT_GROW(r->days, r->day_count, acc->day_cap, 64);
    memmove(&r->days[at + 1], &r->days[at], (r->day_count - at) * sizeof *r->days);
    r->days[at] = (vt_report_day){.day = day};
    r->day_count++;
    return &r->days[at];
}

static void add_sensor(report_acc *acc, const log_row *row, double dt) {
    for (size_t i = 0; i < acc->sensor_count; i++) {
        if (strcmp(acc->sensors[i].sensor, row->sensor) == 0 &&
            strcmp(acc->sensors[i].covers, row->covers) == 0) {
            acc->sensors[i].seconds += dt;
            return;
        }
    }
    if (acc->sensor_count < VT_REPORT_MAX_SENSORS) {
        size_t i = acc->sensor_count++;
        snprintf(acc->sensors[i].sensor, sizeof acc->sensors[i].sensor, "%s", row->sensor);
        snprintf(acc->sensors[i].covers, sizeof acc->sensors[i].covers, "%s", row->covers);
        acc->sensors[i].seconds = dt;
        acc->sensors[i].estimated = row->measured == 2;
    }
}

static void add_chart(report_acc *acc, int32_t day, int minute, double dt, double joules,
                      bool figure, int state) {
    vt_report_chart *c = acc->r->chart;
    if (!acc->chart_fixed && day > c->day) {
        memset(c, 0, sizeof *c);
        c->day = day;
    }
    if (day != c->day || minute < 0 || minute >= VT_REPORT_MINUTES) {
        return;
    }
    if (figure) {
        c->energy_j[minute] += (float)joules;
        c->seconds[minute] += (float)dt;
        c->energy_wh += joules / 3600;
    }
    c->state_s[minute][state] += (float)dt;
    c->seconds_total += dt;
}

static int32_t local_minute(time_t at, int *minute, int *second) {
    struct tm tm;
    if (!localtime_r(&at, &tm)) {
        tm = (struct tm){.tm_year = 70, .tm_mday = 1};
    }
    *minute = tm.tm_hour * 60 + tm.tm_min;
    *second = tm.tm_sec;
    return vt_schedule_days(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* The local day and minute of the UTC second `at`. localtime_r for every row of a year of logs
 * costs more than reading them: its answer holds for the whole local minute around `at`, which
 * is kept. That minute is [at - tm_sec, at - tm_sec + 59], checked at both ends (a change of UTC
 * offset inside it would show there: zones change offset at most once in a minute). */
static int32_t day_minute(report_acc *acc, int64_t at, int *minute) {
    if (at >= acc->minute_lo && at <= acc->minute_hi) {
        *minute = acc->minute_of_day;
        return acc->minute_day;
    }
    int sec, m_lo, m_hi, s_lo, s_hi;
    int32_t day = local_minute((time_t)at, minute, &sec);
    acc->minute_lo = acc->minute_hi = at;
    if (sec <= 59 && local_minute((time_t)(at - sec), &m_lo, &s_lo) == day && m_lo == *minute &&
        s_lo == 0 && local_minute((time_t)(at - sec + 59), &m_hi, &s_hi) == day &&
        m_hi == *minute && s_hi == 59) {
        acc->minute_lo = at - sec;
        acc->minute_hi = at - sec + 59;
    }
    acc->minute_day = day;
    acc->minute_of_day = *minute;
    return day;
}

/* The interval (prev, row] of one run, in state `si`. */
static void count_interval(report_acc *acc, const log_row *prev, const log_row *row, double dt,
                           int si) {
    vt_report *r = acc->r;
    /* The seconds the row's power and energy step cover: its `seconds` column; none for a row
     * of such a file without a power figure (no new reading: no time); else (older files) the
     * row's interval. Time itself is dt. */
    double fig_s = row->has_seconds                         ? row->seconds
                   : row->seconds_column && !row->has_power ? 0
                                                            : dt;
    double joules = 0;
    bool figure = true;
    if (row->has_energy && prev->has_energy) {
        joules = row->energy - prev->energy;
    } else if (row->has_power) {
        joules = row->power * fig_s;
    } else {
        figure = false;
        r->unmeasured_seconds += dt;
    }
    r->seconds += dt;
    r->states[si].seconds += dt;
    r->states[si].energy_wh += joules / 3600;
    int minute;
    int32_t day = day_minute(acc, row->t - 1, &minute);
    vt_report_day *d = day_of(acc, day);
    d->seconds += dt;
    d->energy_wh += joules / 3600;
    d->state_seconds[si] += dt;
    d->state_wh[si] += joules / 3600;
    if (acc->attract[acc->prev_state] && !acc->attract[si] && !acc->closed[si]) {
        r->sessions++;
        d->sessions++;
    }
    add_chart(acc, day, minute, dt, joules, figure, si);
    if (!figure) {
        return;
    }
    acc->measured_s += row->measured == 1 ? dt : 0;
    acc->estimated_s += row->measured == 2 ? dt : 0;
    add_sensor(acc, row, dt);
    if (!acc->closed[si]) {
        int fps = row->target_fps < FPS_SLOTS ? row->target_fps : FPS_SLOTS - 1;
        int full = row->scale >= FULL_SCALE;
        acc->stat_s[si][fps][full] += fig_s;
        acc->stat_j[si][fps][full] += joules;
        if (fig_s > 0) {
            double x = row->fps * row->scale * row->scale, y = joules / fig_s;
            acc->reg_w += fig_s;
            acc->reg_x += fig_s * x;
            acc->reg_y += fig_s * y;
            acc->reg_xx += fig_s * x * x;
            acc->reg_xy += fig_s * x * y;
        }
    }
}

static void fmt_time(int64_t t, char *buf, size_t cap) {
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

bool report_acc_row(report_acc *acc, const log_row *in, const char *path, vt_diag_level *level,
                    char *msg, size_t cap) {
    vt_report *r = acc->r;
    if (in->clock_step) {
        /* The clock moved: the previous row's instant is now in->t, so the next row's interval
         * is measured from there. Only right after a row that counted: a marker in a copy of
         * a file already read must not let its rows in again. */
        if (acc->have_prev && acc->last_ok && strcmp(path, acc->prev_path) == 0) {
            acc->prev.t = in->t;
        }
        return true;
    }
    log_row labelled;
    const log_row *row = in;
    if (in->measured == 0 && in->has_energy && acc->have_prev && acc->prev.has_energy &&
        strcmp(in->sensor, acc->prev.sensor) == 0) {
        labelled = *in; /* an energy total without a power figure: the sensor's kind of figure */
        labelled.measured = acc->prev.measured;
        row = &labelled;
    }
    bool same_file = path == acc->prev_path || strcmp(path, acc->prev_path) == 0;
    bool new_stretch = false;
    if (acc->have_prev && row->t < acc->prev.t && same_file && acc->last_ok) {
        /* Back in time inside one file, without a marker (a version before the markers, a
         * clock set back): counted from here as a new stretch, not dropped. */
        char a[32], b[32];
        fmt_time(row->t, a, sizeof a);
        fmt_time(acc->prev.t, b, sizeof b);
        *level = VT_DIAG_WARNING;
        snprintf(msg, cap,
                 "time goes back (%s after %s): the clock was set back? counted from here, "
                 "the second before it is not",
                 a, b);
        new_stretch = true;
    } else if (acc->have_prev && row->t <= acc->prev.t) {
        char a[32], b[32];
        fmt_time(row->t, a, sizeof a);
        fmt_time(acc->prev.t, b, sizeof b);
        acc->last_ok = false;
        if (!same_file) {
            *level = VT_DIAG_WARNING;
            snprintf(msg, cap,
                     "overlaps %.300s: the row at %s comes before %s, already counted "
                     "from it; skipped",
                     acc->prev_path, a, b);
        } else {
            snprintf(msg, cap, "time goes back or repeats (%s after %s); row skipped", a, b);
        }
        r->bad_rows++;
        return false;
    }
    int si = state_index(acc, row->state);
    if (si < 0) {
        snprintf(msg, cap, "more than %d state names in the logs; row skipped",
                 VT_REPORT_MAX_STATES);
        r->bad_rows++;
        acc->last_ok = false;
        return false;
    }
    if (r->rows++ == 0 || row->t < r->first_utc) {
        r->first_utc = row->t;
    }
    r->last_utc = r->rows == 1 || row->t > r->last_utc ? row->t : r->last_utc;
    if (acc->have_prev && !new_stretch) {
        const log_row *prev = &acc->prev;
        int64_t dt = row->t - prev->t;
        bool restarted = row->has_energy && prev->has_energy && row->energy < prev->energy;
        if (dt <= VT_REPORT_GAP_S && !restarted) {
            count_interval(acc, prev, row, (double)dt, si);
        } else {
            r->gap_seconds += (double)dt;
        }
    }
    acc->prev = *row;
    acc->prev_state = si;
    acc->have_prev = true;
    acc->last_ok = true;
    acc->prev_path = path;
    return true;
}

/* ---- the end: savings and method ---- */

/* Power at full frame rate and scale 1 from the fit of power against load; NAN when the logs do
 * not vary enough to fit it. */
static double model_power(const report_acc *acc, int full_fps) {
    if (acc->reg_w <= 0) {
        return NAN;
    }
    double mx = acc->reg_x / acc->reg_w, my = acc->reg_y / acc->reg_w;
    double var = acc->reg_xx / acc->reg_w - mx * mx;
    double cov = acc->reg_xy / acc->reg_w - mx * my;
    if (var < 1.0) { /* under one frame a second of spread: no slope to learn */
        return NAN;
    }
    double b = cov / var, a = my - b * mx;
    return b < 0 || a + b * full_fps < 0 ? NAN : a + b * full_fps;
}

static void work_out_savings(report_acc *acc) {
    vt_report *r = acc->r;
    int full = 0;
    double running_j = 0;
    for (size_t s = 0; s < r->state_count; s++) {
        for (int f = 0; f < FPS_SLOTS; f++) {
            if (acc->stat_s[s][f][0] + acc->stat_s[s][f][1] > 0 && f > full) {
                full = f;
            }
            running_j += acc->stat_j[s][f][0] + acc->stat_j[s][f][1];
        }
    }
    double saved = 0, model = model_power(acc, full);
    bool measured = false, estimated = false, unknown = false;
    for (size_t s = 0; s < r->state_count; s++) {
        double tot_s = 0, tot_j = 0;
        for (int f = 0; f < FPS_SLOTS; f++) {
            tot_s += acc->stat_s[s][f][0] + acc->stat_s[s][f][1];
            tot_j += acc->stat_j[s][f][0] + acc->stat_j[s][f][1];
        }
        double unc_s = acc->stat_s[s][full][1], unc_j = acc->stat_j[s][full][1];
        double cap_s = tot_s - unc_s, cap_j = tot_j - unc_j;
        if (cap_s <= 0) {
            continue;
        }
        double p = unc_s >= UNCAPPED_MIN_S ? unc_j / unc_s : model;
        if (isnan(p)) {
            unknown = true;
            continue;
        }
        measured |= unc_s >= UNCAPPED_MIN_S;
        estimated |= unc_s < UNCAPPED_MIN_S;
        saved += p * cap_s - cap_j;
    }
    const char *basis = unknown                 ? "unknown"
                        : measured && estimated ? "mixed"
                        : measured              ? "measured"
                        : estimated             ? "estimated"
                                                : "none";
    snprintf(r->savings.basis, sizeof r->savings.basis, "%s", basis);
    r->savings.known = !unknown;
    r->savings.wh = unknown ? NAN : saved / 3600;
    double baseline = running_j + saved;
    r->savings.percent = unknown ? NAN : baseline > 0 ? 100 * saved / baseline : 0;
}

static void describe_error(vt_report *r, bool estimated) {
    const char *c = r->method.covers;
    char *e = r->method.error;
    size_t cap = sizeof r->method.error, n = 0;
#define SAY(text) (n += (size_t)snprintf(e + n, n < cap ? cap - n : 0, "%s%s", n ? " " : "", text))
    if (estimated) {
        SAY("Estimated by the power model from the engine's CPU time and pixels drawn, not "
            "measured: with the default coefficients expect 30 % error or more; calibrate the "
            "model against a wall meter for better.");
    }
    if (strstr(c, "RAPL")) {
        SAY("RAPL counts the CPU package (and DRAM when listed) only: the GPU, the screen and "
            "the rest of the machine are not included.");
    }
    if (strstr(c, "NVML")) {
        SAY("NVML reports the NVIDIA board's own power: the rest of the machine and the screen "
            "are not included.");
    }
    if (strstr(c, "power file")) {
        SAY("A meter's readings through a file: as accurate as the meter and covering what is "
            "plugged into it (a wall meter includes the screen when it feeds it).");
    }
    if (!estimated && n == 0 && c[0]) {
        SAY("A hardware monitor chip: its accuracy depends on the chip; it covers only what the "
            "chip measures.");
    }
    if (n == 0) {
        SAY("No power figure in the logs: energy cannot be reported.");
    }
#undef SAY
}

static void work_out_method(report_acc *acc) {
    vt_report *r = acc->r;
    size_t top = 0;
    double total = 0;
    for (size_t i = 0; i < acc->sensor_count; i++) {
        total += acc->sensors[i].seconds;
        top = acc->sensors[i].seconds > acc->sensors[top].seconds ? i : top;
    }
    bool several = false;
    for (size_t i = 0; i < acc->sensor_count; i++) {
        several |= i != top && acc->sensors[i].seconds > 0.05 * total;
    }
    if (acc->sensor_count > 0) {
        char sensor[sizeof r->method.sensor + 16];
        snprintf(sensor, sizeof sensor, "%s%s", several ? "several, mostly " : "",
                 acc->sensors[top].sensor);
        report_copy_text(r->method.sensor, sizeof r->method.sensor, sensor);
        report_copy_text(r->method.covers, sizeof r->method.covers, acc->sensors[top].covers);
    } else {
        snprintf(r->method.sensor, sizeof r->method.sensor, "none");
    }
    double figures = acc->measured_s + acc->estimated_s;
    r->method.measured = acc->measured_s > 0 && acc->estimated_s == 0;
    r->method.measured_fraction = figures > 0 ? acc->measured_s / figures : 0;
    describe_error(r, acc->estimated_s > 0);
}

void report_acc_finish(report_acc *acc) {
    vt_report *r = acc->r;
    r->energy_wh = 0;
    for (size_t i = 0; i < r->state_count; i++) {
        r->energy_wh += r->states[i].energy_wh;
    }
    double g_per_wh = r->carbon_g_per_kwh / 1000;
    r->co2e_g = r->energy_wh * g_per_wh;
    for (size_t i = 0; i < r->day_count; i++) {
        r->days[i].co2e_g = r->days[i].energy_wh * g_per_wh;
    }
    r->wh_per_session = r->sessions ? r->energy_wh / (double)r->sessions : NAN;
    r->wh_per_visitor = r->visitors ? r->energy_wh / (double)r->visitors : NAN;
    r->co2e_g_per_visitor = r->visitors ? r->co2e_g / (double)r->visitors : NAN;
    work_out_savings(acc);
    work_out_method(acc);
    /* The period chart counts back from the last day logged. */
    static const int32_t span[] = {
        [VT_REPORT_PERIOD_WEEK] = 7, [VT_REPORT_PERIOD_MONTH] = 31, [VT_REPORT_PERIOD_YEAR] = 366};
    if (r->day_count > 0) {
        r->period.last = r->days[r->day_count - 1].day;
        r->period.first = r->period.kind == VT_REPORT_PERIOD_ALL ? r->days[0].day
                          : r->period.kind == VT_REPORT_PERIOD_DAY
                              ? r->period.last
                              : r->period.last - span[r->period.kind] + 1;
    }
    free(acc);
}

/* ---- the zone ---- */

bool report_zone_enter(report_zone *z, const char *name, vt_diags *diags) {
    const char *zone = name && name[0] ? name : "UTC";
    if (!vt_tz_exists(zone)) {
        vt_diags_add(diags, VT_DIAG_ERROR, "--timezone", 0, 0,
                     "unknown time zone '%.60s'; use a name of the zone database like "
                     "Europe/Paris or UTC",
                     zone);
        return false;
    }
    vt_tz_enter(z, zone);
    return true;
}

void report_zone_exit(report_zone *z) {
    vt_tz_leave(z);
}
