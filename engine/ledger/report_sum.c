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
    /* A file's rows after its first are counted apart, in `file` (its r: file_r), then added
     * at its end: a summary of a file read back (report_acc_file_cached) is added the same way,
     * so the sums are the same to the last bit with or without summaries. */
    bool in_file, file_active, file_cacheable, file_done;
    report_acc *file;
    vt_report file_r;
    log_row file_first;
    /* (in `file`) the states of the file's rows, in the order they first came */
    bool seen[VT_REPORT_MAX_STATES];
    int order[VT_REPORT_MAX_STATES];
    size_t order_n;
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
    if (acc->attract[acc->prev_state] && !acc->attract[si] && !acc->closed[si] && !row->remote) {
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

static void file_start(report_acc *acc, const log_row *first);

bool report_acc_row(report_acc *acc, const log_row *in, const char *path, vt_diag_level *level,
                    char *msg, size_t cap) {
    if (acc->file_active) {
        return report_acc_row(acc->file, in, path, level, msg, cap);
    }
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
    if (!acc->seen[si]) {
        acc->seen[si] = true;
        acc->order[acc->order_n++] = si;
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
    if (acc->in_file) {
        file_start(acc, in);
    }
    return true;
}

/* ---- one file at a time ---- */

void report_acc_file_begin(report_acc *acc) {
    acc->in_file = true;
    acc->file_done = false;
    acc->file_active = false;
}

/* The file's first row was counted: the next ones go into acc->file, which starts where acc is. */
static void file_start(report_acc *acc, const log_row *first) {
    report_acc *s = acc->file;
    if (!s) {
        s = acc->file = vt_xcalloc(1, sizeof *s);
    }
    vt_report_day *days = acc->file_r.days;
    size_t day_cap = s->day_cap;
    memset(s, 0, sizeof *s);
    acc->file_r = (vt_report){.days = days, .chart = acc->r->chart};
    s->day_cap = day_cap;
    s->r = &acc->file_r;
    s->chart_day = acc->chart_day;
    s->chart_fixed = acc->chart_fixed;
    s->minute_lo = 1;
    s->minute_hi = 0;
    for (size_t i = 0; i < acc->r->state_count; i++) {
        snprintf(s->r->states[i].name, sizeof s->r->states[i].name, "%s", acc->r->states[i].name);
    }
    s->r->state_count = acc->r->state_count;
    memcpy(s->attract, acc->attract, sizeof s->attract);
    memcpy(s->closed, acc->closed, sizeof s->closed);
    s->prev = acc->prev;
    s->prev_state = acc->prev_state;
    s->last_state = acc->prev_state;
    s->have_prev = true;
    s->last_ok = true;
    s->prev_path = acc->prev_path;
    acc->file_first = *first;
    /* An energy total without a power figure takes its kind from the row before it, which may
     * be another file's: such a file is not summarised. */
    acc->file_cacheable = !(first->measured == 0 && first->has_energy);
    acc->file_active = true;
}

/* Adds the file's rows after its first (acc->file) into acc. */
void report_acc_file_end(report_acc *acc) {
    acc->in_file = false;
    if (!acc->file_active) {
        return;
    }
    acc->file_active = false;
    report_acc *s = acc->file;
    vt_report *sr = s->r, *r = acc->r;
    for (size_t i = r->state_count; i < sr->state_count; i++) {
        r->states[i] = (vt_report_state){0};
        snprintf(r->states[i].name, sizeof r->states[i].name, "%s", sr->states[i].name);
        acc->attract[i] = s->attract[i];
        acc->closed[i] = s->closed[i];
    }
    r->state_count = sr->state_count;
    for (size_t i = 0; i < sr->state_count; i++) {
        r->states[i].seconds += sr->states[i].seconds;
        r->states[i].energy_wh += sr->states[i].energy_wh;
    }
    r->seconds += sr->seconds;
    r->gap_seconds += sr->gap_seconds;
    r->unmeasured_seconds += sr->unmeasured_seconds;
    r->sessions += sr->sessions;
    r->bad_rows += sr->bad_rows;
    if (sr->rows > 0) {
        r->first_utc = r->rows == 0 || sr->first_utc < r->first_utc ? sr->first_utc : r->first_utc;
        r->last_utc = r->rows == 0 || sr->last_utc > r->last_utc ? sr->last_utc : r->last_utc;
        r->rows += sr->rows;
    }
    for (size_t k = 0; k < sr->day_count; k++) {
        const vt_report_day *fd = &sr->days[k];
        vt_report_day *d = day_of(acc, fd->day);
        d->seconds += fd->seconds;
        d->energy_wh += fd->energy_wh;
        d->sessions += fd->sessions;
        for (size_t i = 0; i < sr->state_count; i++) {
            d->state_seconds[i] += fd->state_seconds[i];
            d->state_wh[i] += fd->state_wh[i];
        }
    }
    for (size_t i = 0; i < sr->state_count; i++) {
        for (int f = 0; f < FPS_SLOTS; f++) {
            for (int k = 0; k < 2; k++) {
                acc->stat_s[i][f][k] += s->stat_s[i][f][k];
                acc->stat_j[i][f][k] += s->stat_j[i][f][k];
            }
        }
    }
    acc->reg_w += s->reg_w;
    acc->reg_x += s->reg_x;
    acc->reg_y += s->reg_y;
    acc->reg_xx += s->reg_xx;
    acc->reg_xy += s->reg_xy;
    acc->measured_s += s->measured_s;
    acc->estimated_s += s->estimated_s;
    for (size_t k = 0; k < s->sensor_count; k++) {
        size_t i = 0;
        while (i < acc->sensor_count &&
               (strcmp(acc->sensors[i].sensor, s->sensors[k].sensor) != 0 ||
                strcmp(acc->sensors[i].covers, s->sensors[k].covers) != 0)) {
            i++;
        }
        if (i < acc->sensor_count) {
            acc->sensors[i].seconds += s->sensors[k].seconds;
        } else if (acc->sensor_count < VT_REPORT_MAX_SENSORS) {
            acc->sensors[acc->sensor_count++] = s->sensors[k];
        }
    }
    acc->prev = s->prev;
    acc->prev_state = s->prev_state;
    acc->have_prev = s->have_prev;
    acc->last_ok = s->last_ok;
    acc->prev_path = s->prev_path;
    acc->file_done = true;
}

/* ---- summaries: a file's rows after its first, saved and read back ---- */

#define SUM_MAGIC "VTRSUM\r\n"
#define SUM_NAME (VT_LEDGER_STATE_MAX + 1)
#define SUM_TEXT (VT_LEDGER_TEXT_MAX + 1)
#define SUM_STATS (VT_REPORT_MAX_STATES * FPS_SLOTS * 2)

typedef struct sum_day {
    int32_t day;
    uint32_t sessions;
    double seconds, energy_wh;
    double state_s[VT_REPORT_MAX_STATES], state_wh[VT_REPORT_MAX_STATES];
} sum_day;

typedef struct sum_stat {
    uint8_t state, full;
    uint16_t fps;
    double s, j;
} sum_stat;

struct report_sum {
    log_row first, last;
    size_t n; /* states, in the order the file's rows after the first brought them */
    char names[VT_REPORT_MAX_STATES][SUM_NAME];
    double state_s[VT_REPORT_MAX_STATES], state_wh[VT_REPORT_MAX_STATES];
    double seconds, gap_s, unmeasured_s, measured_s, estimated_s, reg[5];
    uint64_t rows, sessions, bad_rows;
    int64_t first_utc, last_utc;
    size_t day_count, sensor_count, stat_count;
    sum_day *days;
    struct sum_sensor {
        char sensor[SUM_TEXT], covers[SUM_TEXT];
        double seconds;
        bool estimated;
    } sensors[VT_REPORT_MAX_SENSORS];
    sum_stat *stats;
};

typedef struct sum_buf {
    uint8_t *p;
    size_t n, cap;
} sum_buf;

static void put(sum_buf *b, const void *v, size_t len) {
    if (b->n + len > b->cap) {
        b->cap = (b->n + len) * 2;
        b->p = vt_xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, v, len);
    b->n += len;
}
#define PUT(b, type, v)                                                                            \
    do {                                                                                           \
        type put_v = (v);                                                                          \
        put(b, &put_v, sizeof put_v);                                                              \
    } while (0)

static void put_text(sum_buf *b, const char *s, size_t cap) {
    char t[SUM_TEXT] = {0};
    snprintf(t, cap, "%s", s);
    put(b, t, cap);
}

static void put_row(sum_buf *b, const log_row *w) {
    PUT(b, int64_t, w->t);
    put_text(b, w->state, SUM_NAME);
    PUT(b, int32_t, w->target_fps);
    double d[] = {w->fps, w->scale, w->power, w->energy, w->seconds};
    put(b, d, sizeof d);
    PUT(b, uint8_t,
        (uint8_t)(w->has_power | w->has_energy << 1 | w->has_seconds << 2 | w->seconds_column << 3 |
                  w->remote << 4));
    PUT(b, uint8_t, (uint8_t)w->measured);
    put_text(b, w->sensor, SUM_TEXT);
    put_text(b, w->covers, SUM_TEXT);
}

/* FNV-1a: a damaged summary (a bit flipped, a block zeroed) is not used. */
static uint64_t sum_hash(const uint8_t *p, size_t n) {
    uint64_t h = UINT64_C(14695981039346656037);
    for (size_t i = 0; i < n; i++) {
        h = (h ^ p[i]) * UINT64_C(1099511628211);
    }
    return h;
}

size_t report_acc_file_summary(const report_acc *acc, const void *key, size_t key_len,
                               uint8_t **out) {
    *out = NULL;
    const report_acc *s = acc->file;
    if (!acc->file_done || !acc->file_cacheable || !s || s->r->day_count > REPORT_SUM_MAX_DAYS ||
        !s->have_prev || !s->last_ok) {
        return 0;
    }
    const vt_report *sr = s->r;
    sum_buf b = {0};
    put(&b, SUM_MAGIC, 8);
    put(&b, key, key_len);
    put_row(&b, &acc->file_first);
    put_row(&b, &s->prev);
    PUT(&b, uint32_t, (uint32_t)s->order_n);
    for (size_t j = 0; j < s->order_n; j++) {
        put_text(&b, sr->states[s->order[j]].name, SUM_NAME);
    }
    for (size_t j = 0; j < s->order_n; j++) {
        double v[] = {sr->states[s->order[j]].seconds, sr->states[s->order[j]].energy_wh};
        put(&b, v, sizeof v);
    }
    double v[] = {sr->seconds,   sr->gap_seconds, sr->unmeasured_seconds,
                  s->measured_s, s->estimated_s,  s->reg_w,
                  s->reg_x,      s->reg_y,        s->reg_xx,
                  s->reg_xy};
    put(&b, v, sizeof v);
    uint64_t u[] = {sr->rows, sr->sessions, sr->bad_rows};
    put(&b, u, sizeof u);
    int64_t t[] = {sr->first_utc, sr->last_utc};
    put(&b, t, sizeof t);
    PUT(&b, uint32_t, (uint32_t)sr->day_count);
    for (size_t k = 0; k < sr->day_count; k++) {
        const vt_report_day *d = &sr->days[k];
        PUT(&b, int32_t, d->day);
        PUT(&b, uint32_t, d->sessions);
        double dv[] = {d->seconds, d->energy_wh};
        put(&b, dv, sizeof dv);
        for (size_t j = 0; j < s->order_n; j++) {
            double sv[] = {d->state_seconds[s->order[j]], d->state_wh[s->order[j]]};
            put(&b, sv, sizeof sv);
        }
    }
    PUT(&b, uint32_t, (uint32_t)s->sensor_count);
    for (size_t k = 0; k < s->sensor_count; k++) {
        put_text(&b, s->sensors[k].sensor, SUM_TEXT);
        put_text(&b, s->sensors[k].covers, SUM_TEXT);
        PUT(&b, double, s->sensors[k].seconds);
        PUT(&b, uint8_t, s->sensors[k].estimated);
    }
    uint32_t stats = 0;
    for (size_t j = 0; j < s->order_n; j++) {
        for (int f = 0; f < FPS_SLOTS; f++) {
            for (int k = 0; k < 2; k++) {
                stats += s->stat_s[s->order[j]][f][k] != 0 || s->stat_j[s->order[j]][f][k] != 0;
            }
        }
    }
    PUT(&b, uint32_t, stats);
    for (size_t j = 0; j < s->order_n; j++) {
        for (int f = 0; f < FPS_SLOTS; f++) {
            for (int k = 0; k < 2; k++) {
                int si = s->order[j];
                if (s->stat_s[si][f][k] != 0 || s->stat_j[si][f][k] != 0) {
                    sum_stat st = {.state = (uint8_t)j,
                                   .full = (uint8_t)k,
                                   .fps = (uint16_t)f,
                                   .s = s->stat_s[si][f][k],
                                   .j = s->stat_j[si][f][k]};
                    put(&b, &st.state, 1);
                    put(&b, &st.full, 1);
                    put(&b, &st.fps, 2);
                    put(&b, &st.s, 8);
                    put(&b, &st.j, 8);
                }
            }
        }
    }
    PUT(&b, uint64_t, sum_hash(b.p, b.n));
    *out = b.p;
    return b.n;
}

typedef struct sum_in {
    const uint8_t *p;
    size_t n, at;
    bool ok;
} sum_in;

static void get(sum_in *in, void *v, size_t len) {
    if (!in->ok || in->n - in->at < len) {
        in->ok = false;
        memset(v, 0, len);
        return;
    }
    memcpy(v, in->p + in->at, len);
    in->at += len;
}

/* A finite number, >= 0 when `positive`. */
static double get_num(sum_in *in, bool positive) {
    double v;
    get(in, &v, sizeof v);
    if (!isfinite(v) || (positive && v < 0)) {
        in->ok = false;
    }
    return v;
}

static void get_text(sum_in *in, char *dst, size_t cap) {
    get(in, dst, cap);
    if (!memchr(dst, '\0', cap)) {
        in->ok = false;
        dst[0] = '\0';
    }
}

static void get_row(sum_in *in, log_row *w) {
    *w = (log_row){0};
    get(in, &w->t, sizeof w->t);
    get_text(in, w->state, SUM_NAME);
    int32_t fps;
    get(in, &fps, sizeof fps);
    w->target_fps = fps;
    w->fps = get_num(in, true);
    w->scale = get_num(in, true);
    w->power = get_num(in, false);
    w->energy = get_num(in, false);
    w->seconds = get_num(in, true);
    uint8_t flags, measured;
    get(in, &flags, 1);
    get(in, &measured, 1);
    w->has_power = flags & 1;
    w->has_energy = flags & 2;
    w->has_seconds = flags & 4;
    w->seconds_column = flags & 8;
    w->remote = flags & 16;
    w->measured = measured;
    get_text(in, w->sensor, SUM_TEXT);
    get_text(in, w->covers, SUM_TEXT);
    if (fps < 0 || fps > 100000 || flags > 31 || measured > 2 || !w->state[0] ||
        w->t < INT64_MIN / 2 || w->t > INT64_MAX / 2) {
        in->ok = false;
    }
}

static int sum_name(const report_sum *sum, const char *name) {
    for (size_t j = 0; j < sum->n; j++) {
        if (strcmp(sum->names[j], name) == 0) {
            return (int)j;
        }
    }
    return -1;
}

report_sum *report_sum_parse(const uint8_t *data, size_t len, const void *key, size_t key_len) {
    uint64_t hash;
    if (len < 16 + key_len || memcmp(data, SUM_MAGIC, 8) != 0 ||
        memcmp(data + 8, key, key_len) != 0) {
        return NULL;
    }
    len -= 8;
    memcpy(&hash, data + len, 8);
    if (hash != sum_hash(data, len)) {
        return NULL;
    }
    sum_in in = {.p = data, .n = len, .at = 8 + key_len, .ok = true};
    report_sum *sum = vt_xcalloc(1, sizeof *sum);
    get_row(&in, &sum->first);
    get_row(&in, &sum->last);
    uint32_t n;
    get(&in, &n, sizeof n);
    if (n > VT_REPORT_MAX_STATES) {
        in.ok = false;
    }
    for (uint32_t j = 0; in.ok && j < n; j++) {
        get_text(&in, sum->names[j], SUM_NAME);
        sum->n = j + 1;
        in.ok &= sum->names[j][0] != '\0' && sum_name(sum, sum->names[j]) == (int)j;
    }
    for (size_t j = 0; in.ok && j < sum->n; j++) {
        sum->state_s[j] = get_num(&in, true);
        sum->state_wh[j] = get_num(&in, false);
    }
    sum->seconds = get_num(&in, true);
    sum->gap_s = get_num(&in, true);
    sum->unmeasured_s = get_num(&in, true);
    sum->measured_s = get_num(&in, true);
    sum->estimated_s = get_num(&in, true);
    for (int k = 0; k < 5; k++) {
        sum->reg[k] = get_num(&in, false);
    }
    get(&in, &sum->rows, sizeof sum->rows);
    get(&in, &sum->sessions, sizeof sum->sessions);
    get(&in, &sum->bad_rows, sizeof sum->bad_rows);
    get(&in, &sum->first_utc, sizeof sum->first_utc);
    get(&in, &sum->last_utc, sizeof sum->last_utc);
    uint32_t days = 0;
    get(&in, &days, sizeof days);
    /* The last row's state is one of the file's, and its first row is not an energy total
     * without a power figure (see file_start). */
    in.ok &= days <= REPORT_SUM_MAX_DAYS && sum->rows > 0 && sum->rows < (uint64_t)1 << 40 &&
             sum->first_utc <= sum->last_utc && sum_name(sum, sum->last.state) >= 0 &&
             sum->first.t < sum->last.t && !(sum->first.measured == 0 && sum->first.has_energy);
    if (in.ok && days > 0) {
        sum->days = vt_xcalloc(days, sizeof *sum->days);
    }
    for (uint32_t k = 0; in.ok && k < days; k++) {
        sum_day *d = &sum->days[k];
        get(&in, &d->day, sizeof d->day);
        get(&in, &d->sessions, sizeof d->sessions);
        d->seconds = get_num(&in, true);
        d->energy_wh = get_num(&in, false);
        for (size_t j = 0; j < sum->n; j++) {
            d->state_s[j] = get_num(&in, true);
            d->state_wh[j] = get_num(&in, false);
        }
        in.ok &= (k == 0 || d->day > sum->days[k - 1].day) && d->day > INT32_MIN / 2 &&
                 d->day < INT32_MAX / 2;
        sum->day_count = k + 1;
    }
    uint32_t sensors = 0;
    get(&in, &sensors, sizeof sensors);
    in.ok &= sensors <= VT_REPORT_MAX_SENSORS;
    for (uint32_t k = 0; in.ok && k < sensors; k++) {
        struct sum_sensor *ss = &sum->sensors[k];
        get_text(&in, ss->sensor, SUM_TEXT);
        get_text(&in, ss->covers, SUM_TEXT);
        ss->seconds = get_num(&in, true);
        uint8_t e;
        get(&in, &e, 1);
        ss->estimated = e == 1;
        in.ok &= e <= 1;
        sum->sensor_count = k + 1;
    }
    uint32_t stats = 0;
    get(&in, &stats, sizeof stats);
    in.ok &= stats <= SUM_STATS && in.n - in.at == (size_t)stats * 20;
    if (in.ok && stats > 0) {
        sum->stats = vt_xcalloc(stats, sizeof *sum->stats);
    }
    for (uint32_t k = 0; in.ok && k < stats; k++) {
        sum_stat *st = &sum->stats[k];
        get(&in, &st->state, 1);
        get(&in, &st->full, 1);
        get(&in, &st->fps, 2);
        st->s = get_num(&in, true);
        st->j = get_num(&in, false);
        in.ok &= st->state < sum->n && st->full <= 1 && st->fps < FPS_SLOTS;
        sum->stat_count = k + 1;
    }
    if (!in.ok || in.at != in.n) {
        report_sum_free(sum);
        return NULL;
    }
    return sum;
}

void report_sum_free(report_sum *sum) {
    if (sum) {
        free(sum->days);
        free(sum->stats);
        free(sum);
    }
}

int64_t report_sum_first_t(const report_sum *sum) {
    return sum->first.t;
}

bool report_sum_has_day(const report_sum *sum, int32_t day) {
    return sum->day_count > 0 && day >= sum->days[0].day &&
           day <= sum->days[sum->day_count - 1].day;
}

int32_t report_sum_last_day(const report_sum *sum) {
    return sum->day_count > 0 ? sum->days[sum->day_count - 1].day : VT_REPORT_NO_DAY;
}

bool report_acc_file_cached(report_acc *acc, const report_sum *sum, const char *path) {
    vt_report *r = acc->r;
    if (acc->have_prev && sum->first.t <= acc->prev.t) {
        return false; /* overlaps what was read: the file is read to say so */
    }
    size_t fresh = 0;
    for (size_t j = 0; j <= sum->n; j++) {
        const char *name = j == 0 ? sum->first.state : sum->names[j - 1];
        bool known = j > 0 && strcmp(name, sum->first.state) == 0;
        for (size_t i = 0; !known && i < r->state_count; i++) {
            known = strcmp(r->states[i].name, name) == 0;
        }
        fresh += !known;
    }
    if (r->state_count + fresh > VT_REPORT_MAX_STATES) {
        return false;
    }
    report_acc_file_begin(acc);
    vt_diag_level level = VT_DIAG_ERROR;
    char msg[200] = "";
    if (!report_acc_row(acc, &sum->first, path, &level, msg, sizeof msg) || !acc->file_active) {
        acc->in_file = false; /* not reached: checked above */
        return true;
    }
    report_acc *s = acc->file;
    vt_report *sr = s->r;
    int map[VT_REPORT_MAX_STATES];
    for (size_t j = 0; j < sum->n; j++) {
        map[j] = state_index(s, sum->names[j]);
        sr->states[map[j]].seconds = sum->state_s[j];
        sr->states[map[j]].energy_wh = sum->state_wh[j];
    }
    sr->seconds = sum->seconds;
    sr->gap_seconds = sum->gap_s;
    sr->unmeasured_seconds = sum->unmeasured_s;
    sr->rows = sum->rows;
    sr->sessions = sum->sessions;
    sr->bad_rows = sum->bad_rows;
    sr->first_utc = sum->first_utc;
    sr->last_utc = sum->last_utc;
    for (size_t k = 0; k < sum->day_count; k++) {
        const sum_day *fd = &sum->days[k];
        vt_report_day *d = day_of(s, fd->day);
        d->seconds = fd->seconds;
        d->energy_wh = fd->energy_wh;
        d->sessions = fd->sessions;
        for (size_t j = 0; j < sum->n; j++) {
            d->state_seconds[map[j]] = fd->state_s[j];
            d->state_wh[map[j]] = fd->state_wh[j];
        }
    }
    for (size_t k = 0; k < sum->stat_count; k++) {
        const sum_stat *st = &sum->stats[k];
        s->stat_s[map[st->state]][st->fps][st->full] = st->s;
        s->stat_j[map[st->state]][st->fps][st->full] = st->j;
    }
    s->reg_w = sum->reg[0];
    s->reg_x = sum->reg[1];
    s->reg_y = sum->reg[2];
    s->reg_xx = sum->reg[3];
    s->reg_xy = sum->reg[4];
    s->measured_s = sum->measured_s;
    s->estimated_s = sum->estimated_s;
    s->sensor_count = sum->sensor_count;
    for (size_t k = 0; k < sum->sensor_count; k++) {
        snprintf(s->sensors[k].sensor, sizeof s->sensors[k].sensor, "%s", sum->sensors[k].sensor);
        snprintf(s->sensors[k].covers, sizeof s->sensors[k].covers, "%s", sum->sensors[k].covers);
        s->sensors[k].seconds = sum->sensors[k].seconds;
        s->sensors[k].estimated = sum->sensors[k].estimated;
    }
    s->prev = sum->last;
    s->prev_state = state_index(s, sum->last.state);
    s->have_prev = true;
    s->last_ok = true;
    s->prev_path = path;
    report_acc_file_end(acc);
    report_test_summed++;
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
    if (acc->file) {
        free(acc->file_r.days);
        free(acc->file);
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
