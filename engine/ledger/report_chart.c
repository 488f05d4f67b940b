/* The report's chart: one local day's power by minute, drawn in memory by Vitrine (an area
 * coloured by the state the exhibit was in, hour and watt axes, a legend, the day's totals) and
 * written as a PNG. */
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

vt_status vt_report_chart_draw(const vt_report *r, vt_image *out, char *warning, size_t warning_cap,
                               vt_error *err) {
    *out = (vt_image){0};
    if (warning && warning_cap) {
        warning[0] = '\0';
    }
    if (!r->chart || r->chart->day == VT_REPORT_NO_DAY || r->chart->seconds_total <= 0) {
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
