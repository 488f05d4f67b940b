/* Private to the report: one parsed ledger row, the accumulator that sums rows in time order
 * (report_sum.c), the time zone set around local-day conversions, and the chart's font
 * (report_font.c). */
#ifndef VT_REPORT_INTERNAL_H
#define VT_REPORT_INTERNAL_H

#include "io/vt_io.h"
#include "ledger/vt_report.h"

typedef struct log_row {
    int64_t t; /* UTC seconds: the end of the interval the row covers */
    /* Text fields longer than these are cut (on a UTF-8 boundary). */
    char state[VT_LEDGER_STATE_MAX + 1];
    int target_fps;
    double fps, scale, power, energy;
    bool has_power, has_energy;
    char sensor[VT_LEDGER_TEXT_MAX + 1];
    char covers[VT_LEDGER_TEXT_MAX + 1];
    int measured;    /* 0: no figure, 1: measured, 2: estimated */
    bool clock_step; /* a VT_LEDGER_CLOCK_STEP marker: the clock moved, t is on the new one */
    bool remote;     /* the state was written VT_LEDGER_REMOTE "name": entered remotely */
    /* The time power and the energy step cover (the `seconds` column, has_seconds); files
     * with the column (seconds_column) leave it empty on rows without a new reading. */
    double seconds;
    bool has_seconds, seconds_column;
} log_row;

/* Test hooks of report.c's reading (false and 0 otherwise): parse every time and number with
 * the C library's sscanf and strtod instead of the fast parsers that give the same results, and
 * ask read() for at most this many bytes at a time (to put line ends across reads). */
extern bool report_test_slow_parse;
extern size_t report_test_read_chunk;
/* Files added from their summary instead of their rows (counted for the tests). */
extern size_t report_test_summed;

/* Copies src into dst, cut to fit cap bytes without splitting a UTF-8 character. */
void report_copy_text(char *dst, size_t cap, const char *src);

typedef struct report_acc report_acc;

report_acc *report_acc_create(vt_report *r, const vt_report_desc *desc, int32_t chart_day);
/* Adds a row read from `path` (kept: it must outlive the accumulator; rows come in time order, file
 * after file, except after a clock step). false when it is skipped (time repeating or going back
 * across files, too many states): msg says why, at *level. true with msg set (a warning) when it is
 * counted but worth saying (time going back in a file without a clock-step marker, from an older
 * version). */
bool report_acc_row(report_acc *acc, const log_row *row, const char *path, vt_diag_level *level,
                    char *msg, size_t cap);
/* Works out the totals, savings and method into the report, and frees the accumulator. */
void report_acc_finish(report_acc *acc);

/* One file at a time (report.c's read): its first row counts as any, the rows after it are
 * summed apart and added at its end, as a summary read back would be. */
void report_acc_file_begin(report_acc *acc);
void report_acc_file_end(report_acc *acc);

/* ---- summaries (rollups): what a file's rows after its first add, saved beside it ---- */

#define REPORT_SUM_MAX_DAYS 64 /* a file that spans more local days is not summarised */
#define REPORT_SUM_MAX_BYTES (1024 * 1024)
typedef struct report_sum report_sum;
/* The summary of the file that report_acc_file_end just added, behind a magic and `key`
 * (malloc'ed into *out); 0 when it has none (a file that cannot be summarised). */
size_t report_acc_file_summary(const report_acc *acc, const void *key, size_t key_len,
                               uint8_t **out);
/* A summary read back: NULL unless it holds `key` and every field is well-formed. */
report_sum *report_sum_parse(const uint8_t *data, size_t len, const void *key, size_t key_len);
void report_sum_free(report_sum *sum);
int64_t report_sum_first_t(const report_sum *sum);
/* Whether the summarised rows count into a local day in [first, last] that holds `day`. */
bool report_sum_has_day(const report_sum *sum, int32_t day);
int32_t report_sum_last_day(const report_sum *sum);
/* Adds the file as a summary instead of its rows (the same sums); false, adding nothing, when
 * it cannot be used where the file comes (it overlaps the rows before it, too many states):
 * then the file must be read. */
bool report_acc_file_cached(report_acc *acc, const report_sum *sum, const char *path);

/* The zone local days are evaluated in: TZ set while the report is built, then restored. */
typedef vt_tz_scope report_zone;
bool report_zone_enter(report_zone *z, const char *name, vt_diags *diags);
void report_zone_exit(report_zone *z);

/* ---- report_font.c: labels set by the text module, blended into the chart's pixels ---- */

typedef struct report_font report_font;
/* NULL (with the reason in why) when the text module cannot start or no font is installed; a
 * family that is not installed is replaced by the closest one that is. */
report_font *report_font_open(const char *family, char *why, size_t cap);
void report_font_close(report_font *f);
/* Draws UTF-8 text with its baseline's left end at (x, y), px pixels high, in rgb, blended
 * into img; returns the advance width in pixels. align: 0 left, 1 centre, 2 right of x. */
int report_font_draw(report_font *f, vt_image *img, int x, int y, int px, const uint8_t rgb[3],
                     const char *text, int align);

#endif
