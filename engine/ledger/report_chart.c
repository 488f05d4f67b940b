/* The report's chart, drawn in memory by Vitrine and written as a PNG: one local day's power by
 * minute (an area coloured by the state the exhibit was in, hour and watt axes, a legend, the
 * day's totals), or a period's energy by day (a bar per day stacked by state, the period's
 * totals and per visitor, each state's total in the legend). */
#include "ledger/report_internal.h"

#include "hours/vt_hours.h"
#include "io/vt_io.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define W 960
#define H 540
#define PLOT_L 72
#define PLOT_R 936
#define PLOT_T 64
#define PLOT_B 464

static const uint8_t ink[3] = {40, 40, 40};
static const uint8_t grey[3] = {110, 110, 110};

typedef struct canvas {
    vt_image *img;
    report_font *font;
} canvas;

static void fill(vt_image *img, int x0, int y0, int x1, int y1, const uint8_t rgb[3]) {
    x0 = x0 < 0 ? 0 : x0;
    y0 = y0 < 0 ? 0 : y0;
    x1 = x1 > img->width ? img->width : x1;
    y1 = y1 > img->height ? img->height : y1;
    for (int y = y0; y < y1; y++) {
        uint8_t *row = img->pixels + (size_t)y * img->width * 4;
        for (int x = x0; x < x1; x++) {
            memcpy(row + x * 4, rgb, 3);
            row[x * 4 + 3] = 255;
        }
    }
}

/* Colours that stay apart for the usual colour-vision deficiencies (Okabe-Ito). */
static void state_colour(const char *name, size_t index, uint8_t out[3]) {
    static const uint8_t palette[][3] = {{0, 114, 178},   {230, 159, 0},  {0, 158, 115},
                                         {204, 121, 167}, {86, 180, 233}, {213, 94, 0},
                                         {240, 228, 66}};
    const uint8_t *c = strcmp(name, "attract") == 0  ? palette[0]
                       : strcmp(name, "active") == 0 ? palette[1]
                       : strcmp(name, "closed") == 0 ? (const uint8_t[3]){160, 160, 160}
                                                     : palette[2 + index % 5];
    memcpy(out, c, 3);
}

static double nice_step(double max) {
    double raw = max / 5, p = pow(10, floor(log10(raw)));
    double m = raw / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/* Mean power and main state over the minutes [m0, m1); false when nothing is known there. */
static bool column(const vt_report_chart *c, size_t states, int m0, int m1, double *watts,
                   int *state) {
    double j = 0, s = 0, best = 0;
    *state = -1;
    for (int m = m0; m < m1; m++) {
        j += c->energy_j[m];
        s += c->seconds[m];
        for (size_t k = 0; k < states; k++) {
            if (c->state_s[m][k] > best) {
                best = c->state_s[m][k];
                *state = (int)k;
            }
        }
    }
    *watts = s > 0 ? j / s : 0;
    return s > 0 && *state >= 0;
}

static double peak_watts(const vt_report_chart *c) {
    double peak = 0;
    for (int m = 0; m < VT_REPORT_MINUTES; m++) {
        double w = c->seconds[m] > 0 ? c->energy_j[m] / c->seconds[m] : 0;
        peak = w > peak ? w : peak;
    }
    return peak;
}

static void draw_axes(canvas *cv, double top_w, double step, const char *tz) {
    const uint8_t rule[3] = {225, 225, 225};
    char label[32];
    for (double w = 0; w <= top_w + step / 2; w += step) {
        int y = PLOT_B - (int)lround((PLOT_B - PLOT_T) * w / top_w);
        fill(cv->img, PLOT_L, y, PLOT_R, y + 1, rule);
        snprintf(label, sizeof label, step < 1 ? "%.1f W" : "%.0f W", w);
        report_font_draw(cv->font, cv->img, PLOT_L - 8, y + 5, 13, grey, label, 2);
    }
    for (int h = 0; h <= 24; h++) {
        int x = PLOT_L + (PLOT_R - PLOT_L) * h / 24;
        fill(cv->img, x, PLOT_B, x + 1, PLOT_B + (h % 3 ? 4 : 8), ink);
        if (h % 3 == 0) {
            snprintf(label, sizeof label, "%02d:00", h);
            report_font_draw(cv->font, cv->img, x, PLOT_B + 24, 13, grey, label, 1);
        }
    }
    fill(cv->img, PLOT_L, PLOT_B, PLOT_R, PLOT_B + 1, ink);
    fill(cv->img, PLOT_L - 1, PLOT_T, PLOT_L, PLOT_B + 1, ink);
    char zone[96];
    snprintf(zone, sizeof zone, "local time (%.64s)", tz);
    report_font_draw(cv->font, cv->img, PLOT_R, PLOT_B + 44, 13, grey, zone, 2);
}

static void draw_power(canvas *cv, const vt_report *r, double top_w) {
    const vt_report_chart *c = r->chart;
    int prev_y = -1;
    for (int x = PLOT_L; x < PLOT_R; x++) {
        int m0 = (x - PLOT_L) * VT_REPORT_MINUTES / (PLOT_R - PLOT_L);
        int m1 = (x + 1 - PLOT_L) * VT_REPORT_MINUTES / (PLOT_R - PLOT_L);
        double watts;
        int state;
        if (!column(c, r->state_count, m0, m1 > m0 ? m1 : m0 + 1, &watts, &state)) {
            prev_y = -1;
            continue;
        }
        uint8_t rgb[3], line[3];
        state_colour(r->states[state].name, (size_t)state, rgb);
        for (int k = 0; k < 3; k++) {
            line[k] = (uint8_t)(rgb[k] * 3 / 5);
        }
        int y = PLOT_B - (int)lround((PLOT_B - PLOT_T) * watts / top_w);
        fill(cv->img, x, y, x + 1, PLOT_B, rgb);
        int a = prev_y < 0   ? y
                : prev_y < y ? prev_y
                             : y,
            b = prev_y < 0   ? y
                : prev_y > y ? prev_y
                             : y;
        fill(cv->img, x, a - 1, x + 1, b + 1, line);
        prev_y = y;
    }
}

static void draw_legend(canvas *cv, const vt_report *r) {
    int x = PLOT_L;
    for (size_t k = 0; k < r->state_count; k++) {
        bool present = false;
        for (int m = 0; m < VT_REPORT_MINUTES && !present; m++) {
            present = r->chart->state_s[m][k] > 0;
        }
        if (!present) {
            continue;
        }
        uint8_t rgb[3];
        state_colour(r->states[k].name, k, rgb);
        fill(cv->img, x, H - 30, x + 12, H - 18, rgb);
        x +=
            18 + report_font_draw(cv->font, cv->img, x + 18, H - 19, 13, ink, r->states[k].name, 0);
        x += 20;
    }
}

static void draw_titles(canvas *cv, const vt_report *r) {
    char date[16], text[160];
    int y, m, d;
    vt_schedule_civil(r->chart->day, &y, &m, &d);
    snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
    snprintf(text, sizeof text, "Power on %s", date);
    report_font_draw(cv->font, cv->img, PLOT_L, 36, 20, ink, text, 0);
    double wh = r->chart->energy_wh;
    snprintf(text, sizeof text,
             "%.1f Wh \xC2\xB7 %.2f gCO\xE2\x82\x82"
             "e (%g g/kWh)",
             wh, wh * r->carbon_g_per_kwh / 1000, r->carbon_g_per_kwh);
    report_font_draw(cv->font, cv->img, PLOT_R, 36, 16, ink, text, 2);
}

/* ---- a period: a bar per day ---- */

#define PERIOD_T 76 /* the plot's top: two lines of header above it */

const char *const vt_report_period_names[5] = {"day", "week", "month", "year", "all"};

bool vt_report_period_parse(const char *name, vt_report_period *out) {
    for (int i = 0; i < 5; i++) {
        if (name && strcmp(name, vt_report_period_names[i]) == 0) {
            *out = (vt_report_period)i;
            return true;
        }
    }
    return false;
}

/* Energy with a unit that keeps a year's total short: Wh below 10 kWh. */
static void fmt_wh(double wh, char *buf, size_t cap) {
    snprintf(buf, cap, wh < 10000 ? "%.1f Wh" : "%.2f kWh", wh < 10000 ? wh : wh / 1000);
}

static void fmt_co2(double g, char *buf, size_t cap) {
    snprintf(buf, cap,
             g < 1000 ? "%.2f gCO\xE2\x82\x82"
                        "e"
                      : "%.2f kgCO\xE2\x82\x82"
                        "e",
             g < 1000 ? g : g / 1000);
}

/* The states in the order the bars stack them, bottom up: attract, active, closed, then the
 * scene's own states as they came; returns how many. */
static size_t stack_order(const vt_report *r, size_t order[VT_REPORT_MAX_STATES]) {
    static const char *const first[] = {"attract", "active", "closed"};
    size_t n = 0;
    for (size_t f = 0; f < 3; f++) {
        for (size_t k = 0; k < r->state_count; k++) {
            if (strcmp(r->states[k].name, first[f]) == 0) {
                order[n++] = k;
            }
        }
    }
    for (size_t k = 0; k < r->state_count; k++) {
        bool listed = false;
        for (size_t f = 0; f < 3; f++) {
            listed |= strcmp(r->states[k].name, first[f]) == 0;
        }
        if (!listed) {
            order[n++] = k;
        }
    }
    return n;
}

/* The period's days as an array of `n` (one a local day from r->period.first; a day not logged
 * is all zero), and its sums by state. */
typedef struct period_sums {
    size_t n;
    const vt_report_day **day; /* NULL: not logged */
    double state_wh[VT_REPORT_MAX_STATES], state_s[VT_REPORT_MAX_STATES];
    double energy_wh, seconds, peak_wh;
    size_t logged;
    uint64_t sessions;
} period_sums;

static void period_sum(const vt_report *r, period_sums *p) {
    *p = (period_sums){.n = (size_t)(r->period.last - r->period.first + 1)};
    p->day = vt_xcalloc(p->n, sizeof *p->day);
    for (size_t i = 0; i < r->day_count; i++) {
        const vt_report_day *d = &r->days[i];
        if (d->day < r->period.first || d->day > r->period.last) {
            continue;
        }
        p->day[d->day - r->period.first] = d;
        p->logged++;
        p->energy_wh += d->energy_wh;
        p->seconds += d->seconds;
        p->sessions += d->sessions;
        p->peak_wh = d->energy_wh > p->peak_wh ? d->energy_wh : p->peak_wh;
        for (size_t k = 0; k < r->state_count; k++) {
            p->state_wh[k] += d->state_wh[k];
            p->state_s[k] += d->state_seconds[k];
        }
    }
}

/* One bar over the columns [x0, x1): wh[k] per state, stacked in `order`. */
static void draw_stack(canvas *cv, const vt_report *r, const size_t *order, size_t states, int x0,
                       int x1, const double *wh, double top_wh) {
    double cum = 0;
    int y_prev = PLOT_B;
    for (size_t i = 0; i < states; i++) {
        size_t k = order[i];
        if (wh[k] <= 0) {
            continue;
        }
        cum += wh[k];
        int y = PLOT_B - (int)lround((PLOT_B - PERIOD_T) * cum / top_wh);
        uint8_t rgb[3];
        state_colour(r->states[k].name, k, rgb);
        fill(cv->img, x0, y, x1, y_prev, rgb);
        y_prev = y;
    }
}

static void draw_bars(canvas *cv, const vt_report *r, const period_sums *p, double top_wh) {
    size_t order[VT_REPORT_MAX_STATES];
    size_t states = stack_order(r, order);
    int pw = PLOT_R - PLOT_L;
    double wh[VT_REPORT_MAX_STATES];
    if (p->n <= (size_t)pw) { /* a bar of one pixel or more a day, with a gap when it is wide */
        for (size_t i = 0; i < p->n; i++) {
            if (!p->day[i]) {
                continue;
            }
            int x0 = PLOT_L + (int)(i * (size_t)pw / p->n);
            int x1 = PLOT_L + (int)((i + 1) * (size_t)pw / p->n);
            int inset = x1 - x0 >= 6 ? (x1 - x0) / 8 + (x1 - x0 < 16) : 0;
            draw_stack(cv, r, order, states, x0 + inset, x1 - inset, p->day[i]->state_wh, top_wh);
        }
        return;
    }
    /* More days than pixels: each column shows the mean day of the days it holds. */
    for (int c = 0; c < pw; c++) {
        size_t d0 = (size_t)c * p->n / (size_t)pw, d1 = (size_t)(c + 1) * p->n / (size_t)pw;
        memset(wh, 0, sizeof wh);
        for (size_t i = d0; i < d1; i++) {
            for (size_t k = 0; p->day[i] && k < r->state_count; k++) {
                wh[k] += p->day[i]->state_wh[k] / (double)(d1 - d0);
            }
        }
        draw_stack(cv, r, order, states, PLOT_L + c, PLOT_L + c + 1, wh, top_wh);
    }
}

static const char *const month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* The day axis: each day named when there is room (a week, two), every seventh day counting
 * back from the last (a month), else the months, or the years when months are too narrow. */
static void draw_day_axis(canvas *cv, const vt_report *r, size_t n) {
    static const char *const weekday[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    int pw = PLOT_R - PLOT_L;
    double per_day = (double)pw / (double)n;
    char label[32];
    for (size_t i = 0; i < n; i++) {
        int32_t day = r->period.first + (int32_t)i;
        int y, m, d;
        vt_schedule_civil(day, &y, &m, &d);
        int x = PLOT_L + (int)lround((double)i * per_day);
        int mid = PLOT_L + (int)lround(((double)i + 0.5) * per_day);
        if (n <= 14) {
            snprintf(label, sizeof label, "%s %d", weekday[((day % 7) + 11) % 7], d);
            fill(cv->img, x, PLOT_B, x + 1, PLOT_B + 4, ink);
            report_font_draw(cv->font, cv->img, mid, PLOT_B + 24, 13, grey, label, 1);
        } else if (n <= 62) {
            if ((n - 1 - i) % 7 == 0) {
                snprintf(label, sizeof label, "%s %d", month_names[m - 1], d);
                fill(cv->img, mid, PLOT_B, mid + 1, PLOT_B + 8, ink);
                report_font_draw(cv->font, cv->img, mid, PLOT_B + 24, 13, grey, label, 1);
            }
        } else if (d == 1 && per_day * 30 >= 34) {
            fill(cv->img, x, PLOT_B, x + 1, PLOT_B + 8, ink);
            snprintf(label, sizeof label, m == 1 || i < 31 ? "%s %d" : "%s", month_names[m - 1], y);
            if (per_day * 30 >= 46 || m == 1) {
                report_font_draw(cv->font, cv->img, x + 3, PLOT_B + 24, 13, grey, label, 0);
            }
        } else if (d == 1 && (m == 1 || per_day * 30 >= 4)) {
            fill(cv->img, x, PLOT_B, x + 1, PLOT_B + (m == 1 ? 8 : 4), ink);
            if (m == 1 && per_day * 365 >= 40) {
                snprintf(label, sizeof label, "%d", y);
                report_font_draw(cv->font, cv->img, x + 3, PLOT_B + 24, 13, grey, label, 0);
            }
        }
    }
    fill(cv->img, PLOT_L, PLOT_B, PLOT_R, PLOT_B + 1, ink);
    fill(cv->img, PLOT_L - 1, PERIOD_T, PLOT_L, PLOT_B + 1, ink);
    char zone[96];
    snprintf(zone, sizeof zone, "local days (%.64s)", r->timezone);
    report_font_draw(cv->font, cv->img, PLOT_R, PLOT_B + 44, 13, grey, zone, 2);
}

static void draw_wh_axis(canvas *cv, double top_wh, double step) {
    const uint8_t rule[3] = {225, 225, 225};
    char label[32];
    bool kwh = top_wh >= 10000;
    for (double w = 0; w <= top_wh + step / 2; w += step) {
        int y = PLOT_B - (int)lround((PLOT_B - PERIOD_T) * w / top_wh);
        fill(cv->img, PLOT_L, y, PLOT_R, y + 1, rule);
        double v = kwh ? w / 1000 : w;
        snprintf(label, sizeof label, (kwh ? step < 1000 : step < 1) ? "%.1f %s" : "%.0f %s", v,
                 kwh ? "kWh" : "Wh");
        report_font_draw(cv->font, cv->img, PLOT_L - 8, y + 5, 13, grey, label, 2);
    }
}

static void draw_period_legend(canvas *cv, const vt_report *r, const period_sums *p) {
    size_t order[VT_REPORT_MAX_STATES];
    size_t states = stack_order(r, order);
    int x = PLOT_L;
    for (size_t i = 0; i < states; i++) {
        size_t k = order[i];
        if (p->state_s[k] <= 0) {
            continue;
        }
        uint8_t rgb[3];
        char text[VT_LEDGER_STATE_MAX + 40], wh[32];
        state_colour(r->states[k].name, k, rgb);
        fmt_wh(p->state_wh[k], wh, sizeof wh);
        snprintf(text, sizeof text, "%s %s", r->states[k].name, wh);
        fill(cv->img, x, H - 30, x + 12, H - 18, rgb);
        x += 18 + report_font_draw(cv->font, cv->img, x + 18, H - 19, 13, ink, text, 0);
        x += 20;
    }
}

static void draw_period_titles(canvas *cv, const vt_report *r, const period_sums *p) {
    char from[16], to[16], text[200], wh[32], co2[48];
    int y, m, d;
    vt_schedule_civil(r->period.first, &y, &m, &d);
    snprintf(from, sizeof from, "%04d-%02d-%02d", y, m, d);
    vt_schedule_civil(r->period.last, &y, &m, &d);
    snprintf(to, sizeof to, "%04d-%02d-%02d", y, m, d);
    snprintf(text, sizeof text, "Energy by day, %s to %s", from, to);
    report_font_draw(cv->font, cv->img, PLOT_L, 32, 20, ink, text, 0);
    double g_per_wh = r->carbon_g_per_kwh / 1000;
    fmt_wh(p->energy_wh, wh, sizeof wh);
    fmt_co2(p->energy_wh * g_per_wh, co2, sizeof co2);
    snprintf(text, sizeof text, "%s \xC2\xB7 %s (%g g/kWh)", wh, co2, r->carbon_g_per_kwh);
    report_font_draw(cv->font, cv->img, PLOT_R, 32, 16, ink, text, 2);
    snprintf(text, sizeof text, "%zu of %zu days logged \xC2\xB7 %llu interaction sessions",
             p->logged, p->n, (unsigned long long)p->sessions);
    report_font_draw(cv->font, cv->img, PLOT_L, 56, 13, grey, text, 0);
    /* Per visitor only when the chart holds every day logged: --visitors counts the visitors
     * of the logs given, and a part of the energy over all of them would mislead. */
    if (r->visitors > 0 && r->day_count > 0 && r->period.first <= r->days[0].day) {
        double v = (double)r->visitors;
        fmt_wh(p->energy_wh / v, wh, sizeof wh);
        fmt_co2(p->energy_wh * g_per_wh / v, co2, sizeof co2);
        snprintf(text, sizeof text, "%s \xC2\xB7 %s per visitor (%ld visitors)", wh, co2,
                 r->visitors);
        report_font_draw(cv->font, cv->img, PLOT_R, 56, 13, ink, text, 2);
    } else if (r->visitors > 0) {
        report_font_draw(cv->font, cv->img, PLOT_R, 56, 13, grey,
                         "per visitor: the logs hold days before the chart's", 2);
    }
}

static vt_status draw_period(canvas *cv, const vt_report *r, vt_error *err) {
    period_sums p;
    period_sum(r, &p);
    if (p.seconds <= 0) {
        free(p.day);
        return VT_FAIL(err, VT_E_DATAERR, "no logged time in the chart's period: nothing to draw");
    }
    double peak = p.peak_wh > 1 ? p.peak_wh * 1.05 : 1;
    double step = nice_step(peak);
    double top_wh = ceil(peak / step) * step;
    draw_wh_axis(cv, top_wh, step);
    draw_bars(cv, r, &p, top_wh);
    draw_day_axis(cv, r, p.n);
    draw_period_legend(cv, r, &p);
    draw_period_titles(cv, r, &p);
    free(p.day);
    return VT_OK;
}

/* ---- both ---- */

vt_status vt_report_chart_draw(const vt_report *r, vt_image *out, char *warning, size_t warning_cap,
                               vt_error *err) {
    *out = (vt_image){0};
    if (warning && warning_cap) {
        warning[0] = '\0';
    }
    bool period = r->period.kind != VT_REPORT_PERIOD_DAY;
    if (period ? r->day_count == 0
               : !r->chart || r->chart->day == VT_REPORT_NO_DAY || r->chart->seconds_total <= 0) {
        return VT_FAIL(err, VT_E_DATAERR, "no logged time on the chart's day: nothing to draw");
    }
    char why[256] = "";
    canvas cv = {.font = report_font_open("DejaVu Sans", why, sizeof why)};
    if (!cv.font && warning && warning_cap) {
        snprintf(warning, warning_cap, "the chart has no labels: %s", why);
    }
    out->width = W;
    out->height = H;
    out->pixels = vt_xmalloc((size_t)W * H * 4);
    cv.img = out;
    fill(out, 0, 0, W, H, (const uint8_t[3]){255, 255, 255});
    if (period) {
        vt_status st = draw_period(&cv, r, err);
        report_font_close(cv.font);
        if (st != VT_OK) {
            vt_image_free(out);
        }
        return st;
    }
    double peak = peak_watts(r->chart);
    double step = nice_step(peak > 1 ? peak * 1.05 : 1);
    double top_w = ceil((peak > 1 ? peak * 1.05 : 1) / step) * step;
    draw_axes(&cv, top_w, step, r->timezone);
    draw_power(&cv, r, top_w);
    draw_legend(&cv, r);
    draw_titles(&cv, r);
    report_font_close(cv.font);
    return VT_OK;
}

vt_status vt_report_chart_write(const vt_report *r, const char *path, vt_error *err) {
    vt_image img;
    char warning[300];
    vt_status st = vt_report_chart_draw(r, &img, warning, sizeof warning, err);
    if (st != VT_OK) {
        return st;
    }
    if (warning[0]) {
        vt_log(VT_LOG_WARN, "report", "%s", warning);
    }
    uint8_t *png = NULL;
    size_t len = 0;
    st = vt_png_encode(img.pixels, img.width, img.height, (size_t)img.width * 4, false, 6, &png,
                       &len, err);
    if (st == VT_OK) {
        st = vt_file_write_atomic(path, png, len, VT_WRITE_SYNC, err);
    }
    free(png);
    vt_image_free(&img);
    return st;
}
