/* `vitrine report`: the energy ledger's files (vt_ledger.h) read back into the figures a museum
 * reports: energy in Wh, CO2e, per day, per state, per interaction session and per visitor,
 * savings against an uncapped baseline, and how the figures were obtained; as text, JSON or a
 * chart of one day's power. */
#ifndef VT_REPORT_H
#define VT_REPORT_H

#include "core/vt_core.h"
#include "ledger/vt_ledger.h"
#include "io/vt_image.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* What the chart shows: one day's power by minute (the default), or a bar per local day over
 * the last 7, 31 or 366 days of the logs, or every day logged. */
typedef enum vt_report_period {
    VT_REPORT_PERIOD_DAY,
    VT_REPORT_PERIOD_WEEK,
    VT_REPORT_PERIOD_MONTH,
    VT_REPORT_PERIOD_YEAR,
    VT_REPORT_PERIOD_ALL
} vt_report_period;

/* The French grid's life-cycle factor (ADEME Base Empreinte, electricity mix, about 50-60 g/kWh
 * depending on the year and method): check it against the current edition (docs/energy.md). */
#define VT_REPORT_DEFAULT_CARBON 50.0
#define VT_REPORT_MAX_STATES 32
#define VT_REPORT_MAX_DAYS 4000
#define VT_REPORT_MAX_SENSORS 8
/* Rows further apart than this (s) are not one run: the show was stopped between them, and the
 * interval counts as a gap, not as energy. */
#define VT_REPORT_GAP_S 5
#define VT_REPORT_MINUTES 1440
#define VT_REPORT_NO_DAY INT32_MIN

typedef struct vt_report_desc {
    const char *timezone;    /* days are local days of this IANA zone; NULL or "": UTC */
    double carbon_g_per_kwh; /* gCO2e per kWh; 0: VT_REPORT_DEFAULT_CARBON */
    long visitors;           /* <= 0: not given */
    const char *chart_day;   /* "YYYY-MM-DD" (local): the chart's day; NULL: the last one */
    vt_report_period period; /* the chart: DAY (chart_day) or a bar per day over a period */
    /* Summaries (rollups) of the files: unless no_cache, a file summarised earlier (in a file
     * ".NAME.sum" beside it, for the same size, time of change, time zone and reader) is not
     * read again, and a complete file read without a fault is summarised for the next time. */
    bool no_cache;
} vt_report_desc;

/* The period's name ("day", "week", "month", "year", "all") into *out; false when unknown. */
bool vt_report_period_parse(const char *name, vt_report_period *out);
/* The names vt_report_period_parse knows, in the enum's order. */
extern const char *const vt_report_period_names[5];

typedef struct vt_report_state {
    char name[VT_LEDGER_STATE_MAX + 1]; /* a longer name in the file is cut to this */
    double seconds, energy_wh;
} vt_report_state;

typedef struct vt_report_day {
    int32_t day; /* local days since 1970-01-01 */
    double seconds, energy_wh, co2e_g;
    uint32_t sessions;
    /* The day by state, indexed as vt_report.states. */
    double state_seconds[VT_REPORT_MAX_STATES], state_wh[VT_REPORT_MAX_STATES];
} vt_report_day;

/* One local day's power by wall-clock minute (a fall-back night's repeated hour is summed into
 * the same minutes; a spring-forward night's missing hour stays empty). */
typedef struct vt_report_chart {
    int32_t day; /* VT_REPORT_NO_DAY: nothing to chart */
    float energy_j[VT_REPORT_MINUTES];
    float seconds[VT_REPORT_MINUTES]; /* seconds with a power figure */
    float state_s[VT_REPORT_MINUTES][VT_REPORT_MAX_STATES];
    double energy_wh, seconds_total;
} vt_report_chart;

typedef struct vt_report {
    double carbon_g_per_kwh;
    char timezone[64];
    double energy_wh, co2e_g;
    double seconds;            /* running time counted (rows of a run) */
    double gap_seconds;        /* between runs: not counted */
    double unmeasured_seconds; /* running without any power figure: no energy counted */
    int64_t first_utc, last_utc;
    uint64_t rows, bad_rows;
    vt_report_state states[VT_REPORT_MAX_STATES];
    size_t state_count;
    vt_report_day *days;
    size_t day_count;
    uint64_t sessions;     /* entries from attract into a state other than attract or closed */
    double wh_per_session; /* NAN without sessions */
    long visitors;         /* 0: not given */
    double wh_per_visitor, co2e_g_per_visitor; /* NAN without visitors */
    struct {
        bool known;     /* false: could not be worked out (basis "unknown") */
        double wh;      /* energy the frugal modes avoided */
        double percent; /* of the uncapped baseline of the same running time */
        char basis[16]; /* "measured", "estimated", "mixed", "none" (never capped), "unknown" */
    } savings;
    struct {
        /* the sensor that covered most of the time ("several, mostly ..." when mixed) */
        char sensor[sizeof "several, mostly " + VT_LEDGER_TEXT_MAX];
        /* what it covers */
        char covers[VT_LEDGER_TEXT_MAX + 1];
        bool measured;            /* every figure is a measurement (none is the model's estimate) */
        double measured_fraction; /* of the seconds with a figure */
        char error[512];          /* the expected error, for people */
    } method;
    vt_report_chart *chart;
    /* The period chart's days, [first, last] (local days): the last day logged and the days
     * before it; kind VT_REPORT_PERIOD_DAY: the one-day chart above. */
    struct {
        vt_report_period kind;
        int32_t first, last;
    } period;
} vt_report;

/* Reads the log files (any order: they are merged by time; rotated days, restarts, overlaps),
 * skipping every bad line with a diagnostic "file:line:col: what is wrong" in diags, and
 * computes the report. VT_OK when at least one row was usable; VT_E_NOINPUT when no file could
 * be read; VT_E_DATAERR when nothing usable was found; VT_E_USAGE for a bad desc (unknown time
 * zone, malformed chart day, unknown period), said in diags. Evaluates local days by setting
 * TZ around the C library's conversions: main thread only. Memory does not grow with the length
 * of the logs (beyond a record per day). */
vt_status vt_report_build(const char *const *paths, size_t count, const vt_report_desc *desc,
                          vt_report *out, vt_diags *diags);
void vt_report_free(vt_report *r);

/* One power figure of a ledger, for replaying it (render --governed --power-sensor ledger:FILE):
 * the watts over the `seconds` before `utc`. */
typedef struct vt_report_power {
    int64_t utc; /* the end of the interval the figure covers */
    double seconds;
    double watts;
} vt_report_power;

#define VT_REPORT_POWER_MAX 4000000 /* figures read from one file: 46 days at one a second */

/* The power figures of one ledger file, in the file's order, as the report reads them: rows
 * without one and clock-step markers left out, bad lines skipped with the report's diagnostics
 * in diags, a row not after the one before skipped (counted in one warning). *out is
 * malloc'ed. VT_E_NOINPUT when the file cannot be read, VT_E_DATAERR when it is not a ledger or
 * holds no power figure (said in diags). */
vt_status vt_report_power_read(const char *path, vt_report_power **out, size_t *count,
                               vt_diags *diags);

/* For people: a few paragraphs, the figures with their units and method. */
void vt_report_print_text(const vt_report *r, FILE *out);
/* The figures with stable keys (docs/energy.md); malloc'ed, NUL-terminated, ends with "\n". */
char *vt_report_json(const vt_report *r);

/* The chart of r->chart's day: power by minute as an area coloured by state, a legend, hour and
 * watt axes, and the day's totals; or, for a period, a bar per day (Wh, stacked by state:
 * attract, active, closed, then the others), the period's totals, Wh and gCO2e per visitor
 * (when the period holds every day logged) and each state's total in the legend. Labels are
 * set by the text module in "DejaVu Sans" (or the closest installed font); with no font at all
 * the chart has no text (and says so in *warning, which may be NULL). VT_E_DATAERR when there
 * is no day to chart. */
vt_status vt_report_chart_draw(const vt_report *r, vt_image *out, char *warning, size_t warning_cap,
                               vt_error *err);
/* Draws and writes the chart to `path` as a PNG (atomic write). */
vt_status vt_report_chart_write(const vt_report *r, const char *path, vt_error *err);

#endif
