/* The report's core: ledger files read line by line (bounded lines, every bad one reported and
 * skipped), merged in time order, and summed into energy per state, per local day and per
 * session, with the savings against an uncapped baseline and the method. */
#include "ledger/report_internal.h"

#include "hours/vt_hours.h"
#include "io/vt_io.h"
#include "ledger/vt_ledger.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LINE_MAX_BYTES 4096
#define DIAGS_PER_FILE 50
#define FIELDS 11    /* since the `seconds` column */
#define FIELDS_V1 10 /* before it: still read */

/* ---- one line ---- */

/* Splits a CSV line in place (RFC 4180 quoting); col[i] is the 1-based column of field i.
 * Returns the number of fields, or -1 for a quote left open or text after a closing quote. */
static int split_csv(char *s, char **field, int *col, int max) {
    int n = 0;
    char *p = s;
    for (;;) {
        if (n == max) {
            return max + 1;
        }
        col[n] = (int)(p - s) + 1;
        if (*p == '"') {
            char *out = p, *in = p + 1;
            field[n++] = out;
            for (;;) {
                if (*in == '\0') {
                    return -1;
                }
                if (*in == '"' && in[1] == '"') {
                    *out++ = '"';
                    in += 2;
                } else if (*in == '"') {
                    in++;
                    break;
                } else {
                    *out++ = *in++;
                }
            }
            if (*in != ',' && *in != '\0') {
                return -1;
            }
            char end = *in;
            *out = '\0';
            p = in + 1;
            if (end == '\0') {
                return n;
            }
            continue;
        }
        field[n++] = p;
        char *c = strchr(p, ',');
        if (!c) {
            return n;
        }
        *c = '\0';
        p = c + 1;
    }
}

static bool parse_time(const char *s, int64_t *out) {
    int y, mo, d, h, mi, se, used = 0;
    if (strlen(s) != 20 ||
        sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &se, &used) != 6 ||
        used != 20 || y < VT_SCHEDULE_MIN_YEAR || y > VT_SCHEDULE_MAX_YEAR || mo < 1 || mo > 12 ||
        d < 1 || d > 31 || h > 23 || mi > 59 || se > 60 || h < 0 || mi < 0 || se < 0) {
        return false;
    }
    int32_t days = vt_schedule_days(y, mo, d);
    int yy, mm, dd;
    vt_schedule_civil(days, &yy, &mm, &dd);
    if (mm != mo) {
        return false; /* 31 April */
    }
    *out = (int64_t)days * 86400 + h * 3600 + mi * 60 + (se > 59 ? 59 : se);
    return true;
}

static bool parse_num(const char *s, double min, double max, bool integer, double *out) {
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || errno != 0 || !isfinite(v) || v < min || v > max ||
        (integer && v != floor(v))) {
        return false;
    }
    *out = v;
    return true;
}

/* A state name's syntax (the scene's ids); any length: a long one is cut where it is stored. */
static bool state_ok(const char *s) {
    size_t n = strlen(s);
    if (n == 0 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_')) {
        return false;
    }
    for (size_t i = 1; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-')) {
            return false;
        }
    }
    return true;
}

/* Valid UTF-8 without control characters (the JSON output carries these fields). */
static bool text_ok(const char *s) {
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int extra = *p < 0x80             ? 0
                    : (*p & 0xE0) == 0xC0 ? 1
                    : (*p & 0xF0) == 0xE0 ? 2
                    : (*p & 0xF8) == 0xF0 ? 3
                                          : -1;
        if (extra < 0 || *p < 0x20 || *p == 0x7F || (extra == 1 && *p < 0xC2) ||
            (extra == 3 && *p > 0xF4)) {
            return false;
        }
        for (int i = 1; i <= extra; i++) {
            if ((p[i] & 0xC0) != 0x80) {
                return false;
            }
        }
        p += extra + 1;
    }
    return true;
}

void report_copy_text(char *dst, size_t cap, const char *src) {
    size_t n = strnlen(src, cap);
    if (n == cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80) {
            n--; /* src[n] continues a character that starts before the cut */
        }
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* Checks one data line into *row; on a problem says which field and why in msg. */
static bool parse_row(char *line, log_row *row, int *bad_col, char *msg, size_t cap) {
    char *f[FIELDS + 1];
    int col[FIELDS + 1];
    int n = split_csv(line, f, col, FIELDS);
    *bad_col = 0;
    /* A row without the last column (an earlier version's) is read as one. */
    if (n != FIELDS && n != FIELDS_V1) {
        snprintf(msg, cap,
                 n < 0 ? "a quoted field is not closed properly"
                       : "expected %d comma-separated fields (%d before the seconds column), "
                         "found %s%d",
                 FIELDS, FIELDS_V1, n > FIELDS ? "more than " : "", n > FIELDS ? FIELDS : n);
        return false;
    }
    *row = (log_row){0};
    double v = 0;
#define BAD(i, ...) (*bad_col = col[i], snprintf(msg, cap, __VA_ARGS__), false)
    if (!parse_time(f[0], &row->t)) {
        return BAD(0, "bad time '%.40s': expected UTC like 2026-11-25T08:00:01Z", f[0]);
    }
    row->clock_step = strcmp(f[1], VT_LEDGER_CLOCK_STEP) == 0;
    if (!row->clock_step && !state_ok(f[1])) {
        return BAD(1, "bad state '%.40s': expected a name of letters, digits, '_' and '-'", f[1]);
    }
    report_copy_text(row->state, sizeof row->state, f[1]);
    if (!parse_num(f[2], 0, 1000, true, &v)) {
        return BAD(2, "bad target_fps '%.40s': expected a whole number from 0 to 1000", f[2]);
    }
    row->target_fps = (int)v;
    if (!parse_num(f[3], 0, 10000, false, &row->fps)) {
        return BAD(3, "bad fps '%.40s': expected a number from 0 to 10000", f[3]);
    }
    if (!parse_num(f[4], 0, 1, false, &row->scale)) {
        return BAD(4, "bad scale '%.40s': expected a number from 0 to 1", f[4]);
    }
    row->has_power = f[5][0] != '\0';
    if (row->has_power && !parse_num(f[5], 0, 100000, false, &row->power)) {
        return BAD(5, "bad power_w '%.40s': expected watts from 0 to 100000, or nothing", f[5]);
    }
    row->has_energy = f[6][0] != '\0';
    if (row->has_energy && !parse_num(f[6], 0, 1e13, false, &row->energy)) {
        return BAD(6, "bad energy_j '%.40s': expected joules from 0 to 1e13, or nothing", f[6]);
    }
    if (!text_ok(f[7])) {
        return BAD(7, "bad sensor: expected UTF-8 text without control characters");
    }
    if (!text_ok(f[8])) {
        return BAD(8, "bad covers: expected UTF-8 text without control characters");
    }
    report_copy_text(row->sensor, sizeof row->sensor, f[7]);
    report_copy_text(row->covers, sizeof row->covers, f[8]);
    row->measured = strcmp(f[9], "measured") == 0 ? 1 : strcmp(f[9], "estimated") == 0 ? 2 : 0;
    if (row->measured == 0 && f[9][0] != '\0') {
        return BAD(9, "bad measured '%.40s': expected measured, estimated or nothing", f[9]);
    }
    /* An energy total alone may come without (rows written since the column says what the
     * power figure is); it then takes the kind of the run's previous rows. */
    if (row->measured == 0 && row->has_power) {
        return BAD(9, "a power figure needs 'measured' or 'estimated'");
    }
    row->seconds_column = n == FIELDS;
    row->has_seconds = row->seconds_column && f[10][0] != '\0';
    if (row->has_seconds &&
        (!parse_num(f[10], 0, 1e6, false, &row->seconds) || row->seconds == 0)) {
        return BAD(10, "bad seconds '%.40s': expected more than 0 and at most 1e6, or nothing",
                   f[10]);
    }
#undef BAD
    return true;
}

/* ---- files ---- */

typedef struct log_file {
    const char *path;
    size_t order;      /* its place on the command line: ties keep it */
    uint64_t overlaps; /* rows skipped because another file had their time */
    bool is_log;       /* opened, with a ledger's header */
    FILE *f;
    int line;
    size_t shown; /* diagnostics given for this file */
    uint64_t hidden;
    int64_t first_t;
} log_file;

static void file_diag(log_file *lf, vt_diags *d, vt_diag_level level, int line, int col,
                      const char *msg) {
    if (level == VT_DIAG_WARNING && lf->overlaps++ > 0) {
        return; /* the first overlapping row says it; the rest are counted */
    }
    if (level == VT_DIAG_ERROR && lf->shown >= DIAGS_PER_FILE) {
        lf->hidden++;
        return;
    }
    lf->shown += level == VT_DIAG_ERROR;
    vt_diags_add(d, level, lf->path, line, col, "%s", msg);
}

typedef enum line_kind { LINE_OK, LINE_EOF, LINE_TORN, LINE_LONG, LINE_NUL } line_kind;

/* The next line without its newline (and a '\r' before it). Read byte by byte rather than with
 * fgets, which cannot tell a NUL byte (a power cut's zeroed block) from the end of the data and
 * made the rest of the file look like a torn last line; a long line costs no more than buf. */
static line_kind next_line(log_file *lf, char *buf, size_t cap) {
    size_t n = 0;
    bool newline = false, nul = false;
    int ch;
    while ((ch = getc_unlocked(lf->f)) != EOF) {
        if (ch == '\n') {
            newline = true;
            break;
        }
        nul |= ch == '\0';
        if (n + 1 < cap) {
            buf[n] = (char)ch;
        }
        n++;
    }
    if (n == 0 && !newline) {
        return LINE_EOF;
    }
    lf->line++;
    buf[n + 1 < cap ? n : cap - 1] = '\0';
    if (!newline) {
        return LINE_TORN; /* the end of the file without a newline */
    }
    if (n + 1 > cap) {
        return LINE_LONG;
    }
    if (nul) {
        return LINE_NUL;
    }
    if (n > 0 && buf[n - 1] == '\r') {
        buf[--n] = '\0';
    }
    return LINE_OK;
}

/* Opens the file and checks its header; false (with a diagnostic) when it is not a ledger. */
static bool open_log(log_file *lf, vt_diags *d, bool quiet) {
    /* A FIFO or a device (/dev/zero) would block or never end: regular files only. */
    int fd = -1;
    vt_error err = {0};
    lf->line = 0;
    lf->f = vt_file_open_input(lf->path, &fd, &err) == VT_OK ? fdopen(fd, "rb") : NULL;
    if (!lf->f) {
        if (fd >= 0) {
            close(fd);
        }
        if (!quiet) {
            /* The message starts with the path, which the diagnostic shows already. */
            size_t n = strlen(lf->path);
            const char *msg = err.message;
            msg += strncmp(msg, lf->path, n) == 0 && msg[n] == ':' ? n + 2 : 0;
            vt_diags_add(d, VT_DIAG_ERROR, lf->path, 0, 0, "%s", msg);
        }
        return false;
    }
    char buf[LINE_MAX_BYTES];
    line_kind k = next_line(lf, buf, sizeof buf);
    if (k != LINE_OK ||
        (strcmp(buf, VT_LEDGER_HEADER) != 0 && strcmp(buf, VT_LEDGER_HEADER_V1) != 0)) {
        if (!quiet) {
            vt_diags_add(d, VT_DIAG_ERROR, lf->path, k == LINE_EOF ? 0 : 1, 0,
                         k == LINE_EOF ? "empty file: not a Vitrine energy log"
                                       : "not a Vitrine energy log: the first line should be "
                                         "'" VT_LEDGER_HEADER "'");
        }
        fclose(lf->f);
        lf->f = NULL;
        return false;
    }
    return true;
}

/* The time of the file's first good row (to order the files), INT64_MAX when none. */
static void peek_first(log_file *lf, vt_diags *d) {
    lf->first_t = INT64_MAX;
    if (!open_log(lf, d, false)) {
        return;
    }
    lf->is_log = true;
    char buf[LINE_MAX_BYTES], msg[160];
    log_row row;
    int col;
    line_kind k;
    while ((k = next_line(lf, buf, sizeof buf)) != LINE_EOF) {
        if (k == LINE_OK && parse_row(buf, &row, &col, msg, sizeof msg)) {
            lf->first_t = row.t;
            break;
        }
    }
    fclose(lf->f);
    lf->f = NULL;
}

static int by_first_time(const void *a, const void *b) {
    const log_file *fa = a, *fb = b;
    if (fa->first_t != fb->first_t) {
        return fa->first_t < fb->first_t ? -1 : 1;
    }
    return fa->order < fb->order ? -1 : fa->order > fb->order;
}

/* Every line of one file into the accumulator. */
static void read_file(log_file *lf, report_acc *acc, vt_report *r, vt_diags *d) {
    if (!open_log(lf, d, true)) {
        return;
    }
    char buf[LINE_MAX_BYTES], msg[200];
    line_kind k;
    vt_diag_level level = VT_DIAG_ERROR;
    while ((k = next_line(lf, buf, sizeof buf)) != LINE_EOF) {
        log_row row;
        int col = 0;
        msg[0] = '\0';
        if (k == LINE_TORN) {
            vt_diags_add(d, VT_DIAG_WARNING, lf->path, lf->line, 0,
                         "incomplete last row (the show stopped while writing it); ignored");
            break;
        }
        if (k == LINE_LONG) {
            snprintf(msg, sizeof msg, "line longer than %d bytes; skipped", LINE_MAX_BYTES - 1);
            r->bad_rows++;
        } else if (k == LINE_NUL) {
            snprintf(msg, sizeof msg, "line holds a NUL byte (a damaged file?); skipped");
            r->bad_rows++;
        } else if (buf[0] == '\0') {
            continue;
        } else if (!parse_row(buf, &row, &col, msg, sizeof msg)) {
            r->bad_rows++;
        } else if (report_acc_row(acc, &row, lf->path, &level, msg, sizeof msg)) {
            if (msg[0]) {
                vt_diags_add(d, VT_DIAG_WARNING, lf->path, lf->line, 0, "%s", msg);
            }
            level = VT_DIAG_ERROR;
            continue;
        }
        file_diag(lf, d, level, lf->line, col, msg);
        level = VT_DIAG_ERROR;
    }
    if (lf->overlaps > 1) {
        vt_diags_add(d, VT_DIAG_WARNING, lf->path, 0, 0,
                     "%llu rows in all overlap files read before it and were skipped",
                     (unsigned long long)lf->overlaps);
    }
    if (lf->hidden) {
        vt_diags_add(d, VT_DIAG_ERROR, lf->path, 0, 0, "%llu more bad lines not shown",
                     (unsigned long long)lf->hidden);
    }
    fclose(lf->f);
    lf->f = NULL;
}

/* ---- public ---- */

static bool parse_day(const char *s, int32_t *out) {
    int y, m, d, used = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || used != 10 || s[10] != '\0' ||
        m < 1 || m > 12 || d < 1 || d > 31) {
        return false;
    }
    *out = vt_schedule_days(y, m, d);
    return true;
}

vt_status vt_report_build(const char *const *paths, size_t count, const vt_report_desc *desc,
                          vt_report *out, vt_diags *diags) {
    *out = (vt_report){0};
    vt_report_desc dflt = {0};
    desc = desc ? desc : &dflt;
    int32_t chart_day = VT_REPORT_NO_DAY;
    if (desc->chart_day && !parse_day(desc->chart_day, &chart_day)) {
        vt_diags_add(diags, VT_DIAG_ERROR, "--day", 0, 0,
                     "expected a date like 2026-11-25, got '%.40s'", desc->chart_day);
        return VT_E_USAGE;
    }
    if ((unsigned)desc->period > VT_REPORT_PERIOD_ALL) {
        vt_diags_add(diags, VT_DIAG_ERROR, "--period", 0, 0, "unknown period %d", desc->period);
        return VT_E_USAGE;
    }
    report_zone zone;
    if (!report_zone_enter(&zone, desc->timezone, diags)) {
        return VT_E_USAGE;
    }
    report_acc *acc = report_acc_create(out, desc, chart_day);
    snprintf(out->timezone, sizeof out->timezone, "%s",
             desc->timezone && desc->timezone[0] ? desc->timezone : "UTC");
    log_file *files = vt_xcalloc(count ? count : 1, sizeof *files);
    size_t readable = 0;
    for (size_t i = 0; i < count; i++) {
        files[i].path = paths[i];
        files[i].order = i;
        peek_first(&files[i], diags);
        struct stat st;
        readable += stat(paths[i], &st) == 0 && S_ISREG(st.st_mode) && access(paths[i], R_OK) == 0;
    }
    qsort(files, count, sizeof *files, by_first_time);
    for (size_t i = 0; i < count; i++) {
        if (files[i].is_log) { /* without a good row too: its bad lines are reported */
            read_file(&files[i], acc, out, diags);
        }
    }
    free(files);
    report_acc_finish(acc);
    report_zone_exit(&zone);
    vt_diags_sort(diags);
    if (out->rows == 0) {
        vt_status st = readable == 0 ? VT_E_NOINPUT : VT_E_DATAERR;
        vt_report_free(out);
        return st;
    }
    return VT_OK;
}

void vt_report_free(vt_report *r) {
    if (!r) {
        return;
    }
    free(r->days);
    free(r->chart);
    *r = (vt_report){0};
}
