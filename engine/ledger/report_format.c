/* The report for people (text) and for programs (JSON with stable keys, docs/energy.md). */
#include "ledger/report_internal.h"

#include "hours/vt_hours.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void date_text(int32_t day, char *buf, size_t cap) {
    int y, m, d;
    vt_schedule_civil(day, &y, &m, &d);
    snprintf(buf, cap, "%04d-%02d-%02d", y, m, d);
}

static void utc_text(int64_t t, char *buf, size_t cap) {
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void duration_text(double s, char *buf, size_t cap) {
    long t = (long)llround(s);
    snprintf(buf, cap, "%ldh%02ldm%02lds", t / 3600, t / 60 % 60, t % 60);
}

static void print_states(const vt_report *r, FILE *out) {
    fprintf(out, "\nBy state:\n");
    for (size_t i = 0; i < r->state_count; i++) {
        char d[32];
        duration_text(r->states[i].seconds, d, sizeof d);
        fprintf(out, "  %-12s %12s  %10.2f Wh\n", r->states[i].name, d, r->states[i].energy_wh);
    }
}

static void print_days(const vt_report *r, FILE *out) {
    fprintf(out, "\nBy day (%s):\n", r->timezone);
    for (size_t i = 0; i < r->day_count; i++) {
        char date[16], d[32];
        date_text(r->days[i].day, date, sizeof date);
        duration_text(r->days[i].seconds, d, sizeof d);
        fprintf(out, "  %s %12s  %10.2f Wh  %9.2f gCO2e  %u sessions\n", date, d,
                r->days[i].energy_wh, r->days[i].co2e_g, r->days[i].sessions);
    }
}

static void print_savings(const vt_report *r, FILE *out) {
    const char *b = r->savings.basis;
    fprintf(out, "\nSavings of the frugal modes against running uncapped: ");
    if (!r->savings.known) {
        fprintf(out, "unknown (no uncapped period in the logs and too little variety to "
                     "estimate one)\n");
    } else if (strcmp(b, "none") == 0) {
        fprintf(out, "none (the show never ran capped)\n");
    } else {
        fprintf(out, "%.2f Wh (%.1f %%), %s\n", r->savings.wh, r->savings.percent,
                strcmp(b, "measured") == 0
                    ? "measured against uncapped periods of the same states in the logs"
                : strcmp(b, "estimated") == 0
                    ? "estimated from a power model fitted to the logs"
                    : "partly measured against uncapped periods, partly estimated");
    }
}

void vt_report_print_text(const vt_report *r, FILE *out) {
    char from[32], to[32], run[32], gap[32];
    utc_text(r->first_utc, from, sizeof from);
    utc_text(r->last_utc, to, sizeof to);
    duration_text(r->seconds, run, sizeof run);
    duration_text(r->gap_seconds, gap, sizeof gap);
    fprintf(out, "Energy report, %s to %s\n", from, to);
    fprintf(out, "  running %s (not running %s: not counted)\n", run, gap);
    fprintf(out, "  energy  %.2f Wh\n", r->energy_wh);
    fprintf(out, "  CO2e    %.2f g (at %g gCO2e/kWh)\n", r->co2e_g, r->carbon_g_per_kwh);
    if (r->unmeasured_seconds > 0) {
        duration_text(r->unmeasured_seconds, run, sizeof run);
        fprintf(out, "  without a power figure: %s (no energy counted for it)\n", run);
    }
    fprintf(out, "  interaction sessions: %llu", (unsigned long long)r->sessions);
    if (r->sessions) {
        fprintf(out, ", %.3f Wh per session", r->wh_per_session);
    }
    fprintf(out, "\n");
    if (r->visitors) {
        fprintf(out, "  per visitor (%ld visitors): %.4f Wh, %.4f gCO2e\n", r->visitors,
                r->wh_per_visitor, r->co2e_g_per_visitor);
    }
    print_states(r, out);
    print_days(r, out);
    print_savings(r, out);
    fprintf(out, "\nMethod: sensor %s%s%s; %s (%.0f %% of the time measured).\n  %s\n",
            r->method.sensor, r->method.covers[0] ? ", covering " : "", r->method.covers,
            r->method.measured ? "measured" : "not all measured", 100 * r->method.measured_fraction,
            r->method.error);
    if (r->bad_rows) {
        fprintf(out, "\n%llu %s skipped (see the messages above).\n",
                (unsigned long long)r->bad_rows, r->bad_rows == 1 ? "row was" : "rows were");
    }
}

/* Numbers rounded to 4 decimals so the JSON reads cleanly; NaN becomes null. */
static json_t *num(double v) {
    return isfinite(v) ? json_real(round(v * 1e4) / 1e4) : json_null();
}

static json_t *states_json(const vt_report *r) {
    json_t *o = json_object();
    for (size_t i = 0; i < r->state_count; i++) {
        json_object_set_new(o, r->states[i].name,
                            json_pack("{s:o,s:o}", "seconds", num(r->states[i].seconds),
                                      "energy_wh", num(r->states[i].energy_wh)));
    }
    return o;
}

static json_t *days_json(const vt_report *r) {
    json_t *a = json_array();
    for (size_t i = 0; i < r->day_count; i++) {
        const vt_report_day *d = &r->days[i];
        char date[16];
        date_text(d->day, date, sizeof date);
        json_array_append_new(a,
                              json_pack("{s:s,s:o,s:o,s:o,s:I}", "date", date, "seconds",
                                        num(d->seconds), "energy_wh", num(d->energy_wh), "co2e_g",
                                        num(d->co2e_g), "sessions", (json_int_t)d->sessions));
    }
    return a;
}

char *vt_report_json(const vt_report *r) {
    char from[32], to[32];
    utc_text(r->first_utc, from, sizeof from);
    utc_text(r->last_utc, to, sizeof to);
    json_t *root = json_pack("{s:o,s:o,s:o,s:s,s:{s:s,s:s},s:o,s:o,s:o,s:I,s:I}", "energy_wh",
                             num(r->energy_wh), "co2e_g", num(r->co2e_g), "carbon_g_per_kwh",
                             num(r->carbon_g_per_kwh), "timezone", r->timezone, "period", "from",
                             from, "to", to, "seconds", num(r->seconds), "gap_seconds",
                             num(r->gap_seconds), "unmeasured_seconds", num(r->unmeasured_seconds),
                             "rows", (json_int_t)r->rows, "bad_rows", (json_int_t)r->bad_rows);
    json_object_set_new(root, "states", states_json(r));
    json_object_set_new(root, "sessions", json_integer((json_int_t)r->sessions));
    json_object_set_new(root, "wh_per_session", num(r->wh_per_session));
    json_object_set_new(root, "visitors",
                        r->visitors ? json_integer((json_int_t)r->visitors) : json_null());
    json_object_set_new(root, "wh_per_visitor", num(r->wh_per_visitor));
    json_object_set_new(root, "co2e_g_per_visitor", num(r->co2e_g_per_visitor));
    json_object_set_new(root, "days", days_json(r));
    json_object_set_new(root, "savings",
                        json_pack("{s:o,s:o,s:s}", "wh", num(r->savings.wh), "percent",
                                  num(r->savings.percent), "basis", r->savings.basis));
    json_object_set_new(root, "method",
                        json_pack("{s:s,s:s,s:b,s:o,s:s}", "sensor", r->method.sensor, "covers",
                                  r->method.covers, "measured", r->method.measured,
                                  "measured_fraction", num(r->method.measured_fraction), "error",
                                  r->method.error));
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
    json_decref(root);
    char *out = vt_xasprintf("%s\n", text ? text : "{}");
    free(text);
    return out;
}
