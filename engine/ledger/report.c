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
#include <time.h>
#include <unistd.h>

#define LINE_MAX_BYTES 4096
#define DIAGS_PER_FILE 50
#define FIELDS 11    /* since the `seconds` column */
#define FIELDS_V1 10 /* before it: still read */
/* The bytes one read() asks for: a year of logs is gigabytes, read in large chunks; the first
 * read of a file, for its header and first row only, is small. */
#define READ_CHUNK_MAX (256 * 1024)
#define PEEK_CHUNK 4096

bool report_test_slow_parse;
size_t report_test_read_chunk;
size_t report_test_summed;

static size_t read_chunk(size_t want) {
    return report_test_read_chunk > 0 && report_test_read_chunk < want ? report_test_read_chunk
                                                                       : want;
}

/* What parse_row keeps from one row to the next: the day of the last date read, and the text
 * of the last good row from its sensor field on (plain: no '"') with what it said. */
#define TAIL_FIELD 7 /* the sensor: the fields from here on mostly repeat row after row */
typedef struct report_parser {
    bool have_day, day_ok;
    int y, mo, d;
    int32_t days;
    bool tail_ok; /* tail holds the last good row's text, and row the text fields it gave */
    size_t tail_len;
    char tail[LINE_MAX_BYTES];
    int tail_fields, tail_measured, tail_col9; /* col9: field 9's column in the tail, 0-based */
    bool tail_has_seconds;
    double tail_seconds;
} report_parser;

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

/* The time's fields, checked as the ledger writes them: UTC seconds into *out. */
/* The commas of a line without any '"' (the ledger quotes only text holding one or a comma),
 * found eight bytes at a time without changing the line: their offsets go to at[] from
 * at[*n] on, scanning from *i, until `stop` commas are found (*i is then just past the last) or
 * the end. Returns SCAN_QUOTE when a '"' is seen (split_csv then reads the line: the quote may
 * even lie past the stop), SCAN_MANY at the max-th comma (a line of more than max fields, as
 * split_csv says too: it reads fields in order and stops there), else SCAN_STOP or SCAN_END. */
enum { SCAN_END, SCAN_STOP, SCAN_QUOTE, SCAN_MANY };

static int scan_commas(const char *s, size_t len, size_t *i, int *n, size_t *at, int max,
                       int stop) {
    size_t k = *i;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t low7 = 0x7F7F7F7F7F7F7F7FULL, ones = 0x0101010101010101ULL;
    for (; k + 8 <= len; k += 8) {
        uint64_t w;
        memcpy(&w, s + k, 8);
        uint64_t c = w ^ (ones * ','), q = w ^ (ones * '"');
        /* The high bit of each byte that is 0 (no carry across bytes: exact). */
        uint64_t at_c = ~(((c & low7) + low7) | c | low7);
        if (~(((q & low7) + low7) | q | low7)) {
            return SCAN_QUOTE;
        }
        for (; at_c; at_c &= at_c - 1) {
            size_t pos = k + ((size_t)__builtin_ctzll(at_c) >> 3);
            if (*n + 1 == max) {
                return SCAN_MANY;
            }
            at[(*n)++] = pos;
            if (*n == stop) {
                *i = pos + 1;
                return SCAN_STOP;
            }
        }
    }
#endif
    for (; k < len; k++) {
        if (s[k] == '"') {
            return SCAN_QUOTE;
        }
        if (s[k] == ',') {
            if (*n + 1 == max) {
                return SCAN_MANY;
            }
            at[(*n)++] = k;
            if (*n == stop) {
                *i = k + 1;
                return SCAN_STOP;
            }
        }
    }
    *i = len;
    return SCAN_END;
}

/* Cuts the line at the n commas at[] into fields, as split_csv would; returns n + 1. */
static int cut_fields(char *s, const size_t *at, int n, char **field, int *col) {
    field[0] = s;
    col[0] = 1;
    for (int k = 0; k < n; k++) {
        s[at[k]] = '\0';
        field[k + 1] = s + at[k] + 1;
        col[k + 1] = (int)at[k] + 2;
    }
    return n + 1;
}

static bool time_fields(report_parser *ps, int y, int mo, int d, int h, int mi, int se,
                        int64_t *out) {
    if (y < VT_SCHEDULE_MIN_YEAR || y > VT_SCHEDULE_MAX_YEAR || mo < 1 || mo > 12 || d < 1 ||
        d > 31 || h > 23 || mi > 59 || se > 60 || h < 0 || mi < 0 || se < 0) {
        return false;
    }
    /* Rows come a second apart: the day of the row before is almost always the row's. */
    if (!ps->have_day || y != ps->y || mo != ps->mo || d != ps->d) {
        int32_t days = vt_schedule_days(y, mo, d);
        int yy, mm, dd;
        vt_schedule_civil(days, &yy, &mm, &dd);
        ps->have_day = true;
        ps->y = y;
        ps->mo = mo;
        ps->d = d;
        ps->days = days;
        ps->day_ok = mm == mo;
    }
    if (!ps->day_ok) {
        return false; /* 31 April */
    }
    *out = (int64_t)ps->days * 86400 + h * 3600 + mi * 60 + (se > 59 ? 59 : se);
    return true;
}

/* n digits at s into *v; false when one is not a digit. */
static bool digits(const char *s, int n, int *v) {
    *v = 0;
    for (int i = 0; i < n; i++) {
        unsigned c = (unsigned)(s[i] - '0');
        if (c > 9) {
            return false;
        }
        *v = *v * 10 + (int)c;
    }
    return true;
}

static bool parse_time(report_parser *ps, const char *s, int64_t *out) {
    int y, mo, d, h, mi, se, used = 0;
    /* The form the ledger writes, digit by digit; anything else (which sscanf's %d may still
     * read: a sign, a space) goes through sscanf as it always did. */
    if (!report_test_slow_parse && s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' &&
        s[16] == ':' && s[19] == 'Z' && s[20] == '\0' && digits(s, 4, &y) &&
        digits(s + 5, 2, &mo) && digits(s + 8, 2, &d) && digits(s + 11, 2, &h) &&
        digits(s + 14, 2, &mi) && digits(s + 17, 2, &se)) {
        return time_fields(ps, y, mo, d, h, mi, se, out);
    }
    if (strlen(s) != 20 ||
        sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &se, &used) != 6 ||
        used != 20) {
        return false;
    }
    return time_fields(ps, y, mo, d, h, mi, se, out);
}

/* A plain decimal (digits, then '.' and digits) of at most 15 digits into *out, rounded exactly
 * as strtod rounds it: the digits as an integer and the power of ten are both exact doubles
 * (below 2^53 and 1e22), and one division of exact operands is correctly rounded. false for
 * any other form, which strtod then reads. */
static bool plain_decimal(const char *s, double *out) {
    static const double pow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    uint64_t m = 0;
    int n = 0, frac = 0;
    const char *p = s;
    for (; (unsigned)(*p - '0') <= 9; p++, n++) {
        m = m * 10 + (uint64_t)(*p - '0');
        if (n >= 16) {
            return false; /* stop before m can overflow */
        }
    }
    if (n == 0) {
        return false;
    }
    if (*p == '.') {
        for (p++; (unsigned)(*p - '0') <= 9; p++, n++, frac++) {
            m = m * 10 + (uint64_t)(*p - '0');
            if (n >= 16) {
                return false; /* stop before m can overflow */
            }
        }
    }
    if (*p != '\0' || n > 15) {
        return false;
    }
    *out = frac ? (double)m / pow10[frac] : (double)m;
    return true;
}

static bool parse_num(const char *s, double min, double max, bool integer, double *out) {
    double v = 0;
    if (report_test_slow_parse || !plain_decimal(s, &v)) {
        char *end = NULL;
        errno = 0;
        v = strtod(s, &end);
        if (end == s || *end != '\0' || errno != 0 || !isfinite(v)) {
            return false;
        }
    }
    if (v < min || v > max || (integer && v != floor(v))) {
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

/* Checks one data line (len bytes) into *row; on a problem says which field and why in msg.
 * The caller keeps *row from line to line: text equal to the previous row's (checked then) is
 * not checked again. */
static bool parse_row(report_parser *ps, char *line, size_t len, log_row *row, int *bad_col,
                      char *msg, size_t cap) {
    char *f[FIELDS + 1];
    int col[FIELDS + 1];
    size_t at[FIELDS], i = 0;
    int commas = 0, n = -1;
    /* The fields before the sensor; when the rest repeats the last good row's, so does what it
     * says, and it is not read again. */
    int scan = report_test_slow_parse ? SCAN_QUOTE
                                      : scan_commas(line, len, &i, &commas, at, FIELDS, TAIL_FIELD);
    bool tail_same = scan == SCAN_STOP && ps->tail_ok && len - i == ps->tail_len &&
                     memcmp(line + i, ps->tail, ps->tail_len) == 0;
    size_t tail_at = i;
    if (tail_same) {
        cut_fields(line, at, commas, f, col);
        n = ps->tail_fields;
    } else {
        ps->tail_ok = false; /* the fields below may change row's text */
        if (scan == SCAN_STOP) {
            scan = scan_commas(line, len, &i, &commas, at, FIELDS, FIELDS + 1);
        }
        if (scan == SCAN_END) {
            if (commas >= TAIL_FIELD && len - tail_at < sizeof ps->tail) {
                memcpy(ps->tail, line + tail_at, len - tail_at);
                ps->tail_len = len - tail_at;
            } else {
                ps->tail_len = SIZE_MAX; /* not to be kept */
            }
            n = cut_fields(line, at, commas, f, col);
        } else if (scan == SCAN_MANY) {
            n = FIELDS + 1;
        } else {
            ps->tail_len = SIZE_MAX;
            n = split_csv(line, f, col, FIELDS);
        }
    }
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
    double v = 0;
    row->power = row->energy = row->seconds = 0;
#define BAD(i, ...) (*bad_col = col[i], snprintf(msg, cap, __VA_ARGS__), false)
    if (!parse_time(ps, f[0], &row->t)) {
        return BAD(0, "bad time '%.40s': expected UTC like 2026-11-25T08:00:01Z", f[0]);
    }
    row->clock_step = f[1][0] == VT_LEDGER_CLOCK_STEP[0] && strcmp(f[1], VT_LEDGER_CLOCK_STEP) == 0;
    size_t rl = sizeof VT_LEDGER_REMOTE - 1;
    row->remote = strncmp(f[1], VT_LEDGER_REMOTE, rl) == 0;
    f[1] += row->remote ? rl : 0; /* the state's own name */
    /* row->state holds a checked name (or the marker, when clock_step says so). */
    bool same = !report_test_slow_parse && row->state[0] && strcmp(f[1], row->state) == 0;
    if (!row->clock_step && !same && !state_ok(f[1])) {
        return BAD(1, "bad state '%.40s': expected a name of letters, digits, '_' and '-'", f[1]);
    }
    if (!same) {
        report_copy_text(row->state, sizeof row->state, f[1]);
    }
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
    if (tail_same) {
        row->measured = ps->tail_measured;
        if (row->measured == 0 && row->has_power) {
            *bad_col = (int)tail_at + 1 + ps->tail_col9;
            snprintf(msg, cap, "a power figure needs 'measured' or 'estimated'");
            return false;
        }
        row->seconds_column = n == FIELDS;
        row->has_seconds = ps->tail_has_seconds;
        row->seconds = ps->tail_seconds;
        return true;
    }
    /* row->sensor and row->covers hold checked text. */
    bool same_sensor = !report_test_slow_parse && strcmp(f[7], row->sensor) == 0;
    bool same_covers = !report_test_slow_parse && strcmp(f[8], row->covers) == 0;
    if (!same_sensor && !text_ok(f[7])) {
        return BAD(7, "bad sensor: expected UTF-8 text without control characters");
    }
    if (!same_covers && !text_ok(f[8])) {
        return BAD(8, "bad covers: expected UTF-8 text without control characters");
    }
    if (!same_sensor) {
        report_copy_text(row->sensor, sizeof row->sensor, f[7]);
    }
    if (!same_covers) {
        report_copy_text(row->covers, sizeof row->covers, f[8]);
    }
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
    if (ps->tail_len != SIZE_MAX) {
        ps->tail_ok = true;
        ps->tail_fields = n;
        ps->tail_measured = row->measured;
        ps->tail_col9 = col[9] - 1 - (int)tail_at;
        ps->tail_has_seconds = row->has_seconds;
        ps->tail_seconds = row->seconds;
    }
    return true;
}

/* ---- files ---- */

/* A file's bytes, read a chunk at a time into one buffer shared by the files (read in turn). */
typedef struct line_reader {
    char *buf; /* READ_CHUNK_MAX + LINE_MAX_BYTES bytes */
    size_t pos, end, chunk;
    uint64_t total; /* bytes read from the file */
    bool eof;
} line_reader;

typedef struct log_file {
    const char *path;
    size_t order;      /* its place on the command line: ties keep it */
    uint64_t overlaps; /* rows skipped because another file had their time */
    bool is_log;       /* opened, with a ledger's header */
    int fd;
    line_reader *rd;
    int line;
    size_t shown; /* diagnostics given for this file */
    uint64_t hidden;
    int64_t first_t;
    report_sum *sum; /* its summary, when one holds for the file as it is */
    bool summed;     /* added from the summary */
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

/* The next line, without its newline (and a '\r' before it), NUL-terminated in the reader's
 * buffer (*out, LINE_OK only). A NUL byte inside a line (a power cut's zeroed block) makes it
 * LINE_NUL rather than ending it early; a line of LINE_MAX_BYTES or more is LINE_LONG, skipped
 * to its newline without being kept; the end of the file without a newline is LINE_TORN. A
 * read error ends the file as the end of the data would. */
static line_kind next_line(log_file *lf, char **out, size_t *len) {
    line_reader *rd = lf->rd;
    bool long_line = false;
    for (;;) {
        char *start = rd->buf + rd->pos;
        size_t avail = rd->end - rd->pos;
        char *nl = memchr(start, '\n', avail);
        if (nl) {
            size_t n = (size_t)(nl - start);
            rd->pos += n + 1;
            lf->line++;
            if (long_line || n >= LINE_MAX_BYTES) {
                return LINE_LONG;
            }
            *nl = '\0';
            if (memchr(start, '\0', n)) {
                return LINE_NUL;
            }
            if (n > 0 && start[n - 1] == '\r') {
                start[--n] = '\0';
            }
            *out = start;
            *len = n;
            return LINE_OK;
        }
        if (rd->eof) {
            rd->pos = rd->end;
            if (avail == 0 && !long_line) {
                return LINE_EOF;
            }
            lf->line++;
            return LINE_TORN;
        }
        if (avail >= LINE_MAX_BYTES) {
            long_line = true; /* its bytes so far are not needed: the buffer starts over */
            avail = 0;
        } else if (rd->pos > 0) {
            memmove(rd->buf, start, avail);
        }
        rd->pos = 0;
        rd->end = avail;
        ssize_t got;
        do {
            got = read(lf->fd, rd->buf + rd->end, rd->chunk);
        } while (got < 0 && errno == EINTR);
        if (got <= 0) {
            rd->eof = true;
        } else {
            rd->end += (size_t)got;
            rd->total += (uint64_t)got;
        }
    }
}

/* ---- summaries ---- */

/* Bump when the reading or the sums change: summaries of another version are not used. */
#define SUM_VERSION "vitrine-report 2"
/* A file changed this recently may still be written: not summarised (no harm if it was). */
#define SUM_SETTLED_S 60

typedef struct sum_key {
    char version[24];
    int64_t size, mtime_s, mtime_ns;
    uint64_t dev, ino;
    char zone[64];
} sum_key;

typedef struct sum_ctx {
    bool on;
    const char *zone;
    bool noted; /* said once that summaries cannot be written */
} sum_ctx;

static void sum_key_of(sum_key *k, const struct stat *st, const char *zone) {
    memset(k, 0, sizeof *k);
    snprintf(k->version, sizeof k->version, "%s", SUM_VERSION);
    k->size = (int64_t)st->st_size;
    k->mtime_s = (int64_t)st->st_mtim.tv_sec;
    k->mtime_ns = (int64_t)st->st_mtim.tv_nsec;
    k->dev = (uint64_t)st->st_dev;
    k->ino = (uint64_t)st->st_ino;
    snprintf(k->zone, sizeof k->zone, "%s", zone);
}

/* ".NAME.sum" beside the file NAME (malloc'ed). */
static char *sum_path(const char *path) {
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    return vt_xasprintf("%.*s.%s.sum", (int)(base - path), path, base);
}

/* The file's summary when one holds for it as it is now, else NULL (missing, stale, damaged:
 * the file is read). */
static report_sum *sum_load(const char *path, const sum_ctx *ctx) {
    struct stat st;
    if (!ctx->on || stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        return NULL;
    }
    sum_key key;
    sum_key_of(&key, &st, ctx->zone);
    char *sp = sum_path(path), *data = NULL;
    size_t len = 0;
    vt_error err = {0};
    report_sum *sum = NULL;
    if (vt_file_read(sp, REPORT_SUM_MAX_BYTES, &data, &len, &err) == VT_OK) {
        sum = report_sum_parse((const uint8_t *)data, len, &key, sizeof key);
        if (!sum) {
            vt_log(VT_LOG_DEBUG, "report", "%s: not a summary of %s as it is now; reading it", sp,
                   path);
        }
    }
    free(data);
    free(sp);
    return sum;
}

/* Summarises the file just read (lf, still open), when it was read whole without a fault and
 * has not changed for a while. */
static void sum_save(log_file *lf, report_acc *acc, const struct stat *before, sum_ctx *ctx) {
    struct stat after;
    if (!ctx->on || fstat(lf->fd, &after) != 0 || !S_ISREG(after.st_mode) ||
        after.st_size != before->st_size || after.st_mtim.tv_sec != before->st_mtim.tv_sec ||
        after.st_mtim.tv_nsec != before->st_mtim.tv_nsec ||
        lf->rd->total != (uint64_t)after.st_size || time(NULL) - after.st_mtime < SUM_SETTLED_S) {
        return;
    }
    sum_key key;
    sum_key_of(&key, &after, ctx->zone);
    uint8_t *data = NULL;
    size_t len = report_acc_file_summary(acc, &key, sizeof key, &data);
    if (len == 0 || len > REPORT_SUM_MAX_BYTES) {
        free(data);
        return;
    }
    char *sp = sum_path(lf->path);
    vt_error err = {0};
    if (vt_file_write_atomic(sp, data, len, 0, &err) != VT_OK && !ctx->noted) {
        ctx->noted = true;
        vt_log(VT_LOG_DEBUG, "report",
               "no summaries written (%s): the ledgers are read in full every time", err.message);
    }
    free(sp);
    free(data);
}

static void close_log(log_file *lf) {
    if (lf->fd >= 0) {
        close(lf->fd);
    }
    lf->fd = -1;
}

/* Opens the file and checks its header; false (with a diagnostic) when it is not a ledger. */
static bool open_log(log_file *lf, line_reader *rd, size_t chunk, vt_diags *d, bool quiet) {
    /* A FIFO or a device (/dev/zero) would block or never end: regular files only. */
    vt_error err = {0};
    lf->line = 0;
    lf->fd = -1;
    if (vt_file_open_input(lf->path, &lf->fd, &err) != VT_OK) {
        close_log(lf);
        if (!quiet) {
            /* The message starts with the path, which the diagnostic shows already. */
            size_t n = strlen(lf->path);
            const char *msg = err.message;
            msg += strncmp(msg, lf->path, n) == 0 && msg[n] == ':' ? n + 2 : 0;
            vt_diags_add(d, VT_DIAG_ERROR, lf->path, 0, 0, "%s", msg);
        }
        return false;
    }
    lf->rd = rd;
    *rd = (line_reader){.buf = rd->buf, .chunk = chunk, .total = 0};
    char *buf = NULL;
    size_t len = 0;
    line_kind k = next_line(lf, &buf, &len);
    if (k != LINE_OK ||
        (strcmp(buf, VT_LEDGER_HEADER) != 0 && strcmp(buf, VT_LEDGER_HEADER_V1) != 0)) {
        if (!quiet) {
            vt_diags_add(d, VT_DIAG_ERROR, lf->path, k == LINE_EOF ? 0 : 1, 0,
                         k == LINE_EOF ? "empty file: not a Vitrine energy log"
                                       : "not a Vitrine energy log: the first line should be "
                                         "'" VT_LEDGER_HEADER "'");
        }
        close_log(lf);
        return false;
    }
    return true;
}

/* The time of the file's first good row (to order the files), INT64_MAX when none. */
static void peek_first(log_file *lf, line_reader *rd, vt_diags *d) {
    lf->first_t = INT64_MAX;
    /* A small first read: the first row is near the start. */
    if (!open_log(lf, rd, read_chunk(PEEK_CHUNK), d, false)) {
        return;
    }
    lf->is_log = true;
    char *buf = NULL, msg[160];
    size_t len = 0;
    log_row row = {0};
    report_parser ps = {0};
    int col;
    line_kind k;
    while ((k = next_line(lf, &buf, &len)) != LINE_EOF) {
        if (k == LINE_OK && parse_row(&ps, buf, len, &row, &col, msg, sizeof msg)) {
            lf->first_t = row.t;
            break;
        }
        lf->rd->chunk = read_chunk(READ_CHUNK_MAX);
    }
    close_log(lf);
}

static int by_first_time(const void *a, const void *b) {
    const log_file *fa = a, *fb = b;
    if (fa->first_t != fb->first_t) {
        return fa->first_t < fb->first_t ? -1 : 1;
    }
    return fa->order < fb->order ? -1 : fa->order > fb->order;
}

/* Every line of one file into the accumulator. */
static void read_file(log_file *lf, line_reader *rd, report_acc *acc, vt_report *r, vt_diags *d,
                      sum_ctx *ctx) {
    if (!open_log(lf, rd, read_chunk(READ_CHUNK_MAX), d, true)) {
        return;
    }
    struct stat before;
    bool clean = fstat(lf->fd, &before) == 0; /* no fault: the file can be summarised */
    report_acc_file_begin(acc);
    char *buf = NULL, msg[200];
    size_t len = 0;
    line_kind k;
    report_parser ps = {0};
    log_row row = {0};
    vt_diag_level level = VT_DIAG_ERROR;
    while ((k = next_line(lf, &buf, &len)) != LINE_EOF) {
        int col = 0;
        msg[0] = '\0';
        if (k == LINE_TORN) {
            vt_diags_add(d, VT_DIAG_WARNING, lf->path, lf->line, 0,
                         "incomplete last row (the show stopped while writing it); ignored");
            clean = false;
            break;
        }
        clean &= k == LINE_OK;
        if (k == LINE_LONG) {
            snprintf(msg, sizeof msg, "line longer than %d bytes; skipped", LINE_MAX_BYTES - 1);
            r->bad_rows++;
        } else if (k == LINE_NUL) {
            snprintf(msg, sizeof msg, "line holds a NUL byte (a damaged file?); skipped");
            r->bad_rows++;
        } else if (buf[0] == '\0') {
            continue;
        } else if (!parse_row(&ps, buf, len, &row, &col, msg, sizeof msg)) {
            r->bad_rows++;
        } else if (report_acc_row(acc, &row, lf->path, &level, msg, sizeof msg)) {
            if (msg[0]) {
                vt_diags_add(d, VT_DIAG_WARNING, lf->path, lf->line, 0, "%s", msg);
            }
            clean &= !msg[0] && !row.clock_step;
            level = VT_DIAG_ERROR;
            continue;
        }
        clean = false;
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
    report_acc_file_end(acc);
    if (clean) {
        sum_save(lf, acc, &before, ctx);
    }
    close_log(lf);
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

/* One pass; *redo when a summary was used for a file that holds the chart's day (the chart
 * needs that day's rows): then the caller builds again without summaries. */
static vt_status build(const char *const *paths, size_t count, const vt_report_desc *desc,
                       vt_report *out, vt_diags *diags, bool *redo) {
    *out = (vt_report){0};
    *redo = false;
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
    sum_ctx ctx = {.on = !desc->no_cache, .zone = out->timezone};
    log_file *files = vt_xcalloc(count ? count : 1, sizeof *files);
    line_reader rd = {.buf = vt_xmalloc(READ_CHUNK_MAX + LINE_MAX_BYTES)};
    size_t readable = 0;
    for (size_t i = 0; i < count; i++) {
        files[i].path = paths[i];
        files[i].order = i;
        files[i].fd = -1;
        files[i].sum = sum_load(paths[i], &ctx);
        if (files[i].sum) {
            files[i].is_log = true;
            files[i].first_t = report_sum_first_t(files[i].sum);
        } else {
            peek_first(&files[i], &rd, diags);
        }
        struct stat st;
        readable += stat(paths[i], &st) == 0 && S_ISREG(st.st_mode) && access(paths[i], R_OK) == 0;
    }
    /* The chart's day (given, or the last one) is drawn from its rows: the files that count
     * into it are read. */
    int32_t chart = chart_day;
    for (size_t i = 0; chart_day == VT_REPORT_NO_DAY && i < count; i++) {
        if (files[i].sum && report_sum_last_day(files[i].sum) > chart) {
            chart = report_sum_last_day(files[i].sum);
        }
    }
    for (size_t i = 0; i < count; i++) {
        if (files[i].sum && report_sum_has_day(files[i].sum, chart)) {
            report_sum_free(files[i].sum);
            files[i].sum = NULL;
        }
    }
    qsort(files, count, sizeof *files, by_first_time);
    for (size_t i = 0; i < count; i++) {
        if (files[i].sum && report_acc_file_cached(acc, files[i].sum, files[i].path)) {
            files[i].summed = true;
        } else if (files[i].is_log) { /* without a good row too: its bad lines are reported */
            read_file(&files[i], &rd, acc, out, diags, &ctx);
        }
    }
    free(rd.buf);
    report_acc_finish(acc);
    for (size_t i = 0; i < count; i++) {
        /* A file that overlapped another and was read could leave the chart on a day that a
         * summary counted into (without its minutes). */
        *redo |= files[i].summed && report_sum_has_day(files[i].sum, out->chart->day);
        report_sum_free(files[i].sum);
    }
    free(files);
    report_zone_exit(&zone);
    if (out->rows == 0) {
        vt_status st = readable == 0 ? VT_E_NOINPUT : VT_E_DATAERR;
        vt_report_free(out);
        return st;
    }
    return VT_OK;
}

vt_status vt_report_build(const char *const *paths, size_t count, const vt_report_desc *desc,
                          vt_report *out, vt_diags *diags) {
    vt_report_desc dflt = {0};
    desc = desc ? desc : &dflt;
    vt_diags first = {0};
    bool redo = false;
    vt_status st = build(paths, count, desc, out, &first, &redo);
    if (redo) {
        vt_report_desc again = *desc;
        again.no_cache = true;
        vt_report_free(out);
        st = build(paths, count, &again, out, diags, &redo);
    } else {
        for (size_t i = 0; i < first.count; i++) {
            const vt_diag *g = &first.items[i];
            vt_diags_add(diags, g->level, g->path, g->line, g->col, "%s", g->message);
        }
    }
    vt_diags_free(&first);
    vt_diags_sort(diags);
    return st;
}

vt_status vt_report_power_read(const char *path, vt_report_power **out, size_t *count,
                               vt_diags *diags) {
    *out = NULL;
    *count = 0;
    struct stat st;
    bool readable = stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, R_OK) == 0;
    log_file lf = {.path = path, .fd = -1};
    line_reader rd = {.buf = vt_xmalloc(READ_CHUNK_MAX + LINE_MAX_BYTES)};
    if (!open_log(&lf, &rd, read_chunk(READ_CHUNK_MAX), diags, false)) {
        free(rd.buf);
        return readable ? VT_E_DATAERR : VT_E_NOINPUT;
    }
    vt_report_power *pw = NULL;
    size_t n = 0, cap = 0;
    uint64_t back = 0;
    char *buf = NULL, msg[200];
    size_t len = 0;
    line_kind k;
    report_parser ps = {0};
    log_row row = {0};
    vt_status status = VT_OK;
    while ((k = next_line(&lf, &buf, &len)) != LINE_EOF) {
        int col = 0;
        if (k == LINE_TORN) {
            vt_diags_add(diags, VT_DIAG_WARNING, path, lf.line, 0,
                         "incomplete last row (the show stopped while writing it); ignored");
            break;
        }
        if (k == LINE_LONG) {
            snprintf(msg, sizeof msg, "line longer than %d bytes; skipped", LINE_MAX_BYTES - 1);
        } else if (k == LINE_NUL) {
            snprintf(msg, sizeof msg, "line holds a NUL byte (a damaged file?); skipped");
        } else if (buf[0] == '\0') {
            continue;
        } else if (parse_row(&ps, buf, len, &row, &col, msg, sizeof msg)) {
            if (row.clock_step || !row.has_power) {
                continue;
            }
            if (n > 0 && row.t <= pw[n - 1].utc) {
                back++;
                continue;
            }
            if (n == VT_REPORT_POWER_MAX) {
                vt_diags_add(diags, VT_DIAG_ERROR, path, lf.line, 0,
                             "more than %d power figures in one file: split it",
                             VT_REPORT_POWER_MAX);
                status = VT_E_DATAERR;
                break;
            }
            VT_GROW(pw, n, cap, 4096);
            /* Without the seconds column, a row covers the second before it (one a second). */
            pw[n++] = (vt_report_power){
                .utc = row.t, .seconds = row.has_seconds ? row.seconds : 1.0, .watts = row.power};
            continue;
        }
        file_diag(&lf, diags, VT_DIAG_ERROR, lf.line, col, msg);
    }
    close_log(&lf);
    free(rd.buf);
    if (back > 0) {
        vt_diags_add(diags, VT_DIAG_WARNING, path, 0, 0,
                     "%llu rows not after the row before (the clock set back?) skipped",
                     (unsigned long long)back);
    }
    if (lf.hidden) {
        vt_diags_add(diags, VT_DIAG_ERROR, path, 0, 0, "%llu more bad lines not shown",
                     (unsigned long long)lf.hidden);
    }
    if (status == VT_OK && n == 0) {
        vt_diags_add(diags, VT_DIAG_ERROR, path, 0, 0,
                     "no power figure in the log (power_w is empty in every row)");
        status = VT_E_DATAERR;
    }
    if (status != VT_OK) {
        free(pw);
        return status;
    }
    *out = pw;
    *count = n;
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
