/* The energy ledger: CSV rows appended one write(2) each on an O_APPEND descriptor (a process
 * crash loses nothing already written; a power cut loses at most `sync_every` rows), rotation at
 * UTC midnight into dated files, and a bound on the total size that deletes the oldest days. */
#include "ledger/vt_ledger.h"

#include "hours/vt_hours.h"
#include "io/vt_io.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define NO_DAY INT32_MIN
#define RETRY_SECONDS 10 /* a failed file is re-opened at most this often */
#define MAX_ROTATED 4096 /* dated files considered when pruning */

struct vt_ledger {
    char *path;
    char *header; /* the first line (without its newline) */
    char *what;   /* "energy log": what messages call it */
    uint64_t max_bytes;
    unsigned sync_every, unsynced;
    int fd;            /* -1 while failing to open */
    uint64_t size;     /* bytes in the current file */
    uint64_t rotated;  /* bytes in the dated files, as last counted */
    int32_t day;       /* UTC day of the current file's rows; NO_DAY before the first */
    bool failing;      /* the latest write failed */
    bool torn;         /* a short write could not be truncated back: no appending until it is */
    int64_t retry_utc; /* no re-open before this time */
};

static int32_t utc_day(int64_t t) {
    return (int32_t)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
}

/* ---- names ---- */

static size_t base_len(const char *path) {
    size_t n = strlen(path);
    return n > 4 && strcmp(path + n - 4, ".csv") == 0 ? n - 4 : n;
}

static char *dated_name(const char *path, int32_t day, int n) {
    int y, m, d;
    vt_schedule_civil(day, &y, &m, &d);
    size_t b = base_len(path);
    char suffix[16] = "";
    if (n > 1) {
        snprintf(suffix, sizeof suffix, "-%d", n);
    }
    return vt_xasprintf("%.*s-%04d-%02d-%02d%s%s", (int)b, path, y, m, d, suffix, path + b);
}

char *vt_ledger_dated_path(const char *path, int32_t day) {
    return dated_name(path, day, 1);
}

/* A rotated file's key (day * 1000 + n) from its name, or -1 when the name is not one. */
static int64_t rotated_key(const char *name, const char *base, size_t blen, const char *ext) {
    if (strncmp(name, base, blen) != 0) {
        return -1;
    }
    int y = 0, m = 0, d = 0, used = 0, n = 1, used2 = 0;
    const char *rest = name + blen;
    if (sscanf(rest, "-%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || used != 11) {
        return -1;
    }
    rest += used;
    if (rest[0] == '-' && (sscanf(rest, "-%3d%n", &n, &used2) != 1 || n < 2)) {
        return -1;
    }
    rest += rest[0] == '-' ? used2 : 0;
    if (strcmp(rest, ext) != 0 || m < 1 || m > 12 || d < 1 || d > 31) {
        return -1;
    }
    return (int64_t)vt_schedule_days(y, m, d) * 1000 + n;
}

/* ---- the size bound ---- */

typedef struct rotated_file {
    int64_t key;
    uint64_t bytes;
    char *path;
} rotated_file;

static int by_key(const void *a, const void *b) {
    int64_t ka = ((const rotated_file *)a)->key, kb = ((const rotated_file *)b)->key;
    return ka < kb ? -1 : ka > kb;
}

/* The dated files beside the ledger, oldest first. */
static size_t list_rotated(const vt_ledger *l, rotated_file **out) {
    char *dir = vt_path_dirname(l->path);
    const char *slash = strrchr(l->path, '/');
    const char *name = slash ? slash + 1 : l->path;
    size_t blen = base_len(name);
    char *base = vt_xstrndup(name, blen);
    DIR *dh = opendir(dir);
    rotated_file *files = NULL;
    size_t count = 0;
    struct dirent *de;
    while (dh && count < MAX_ROTATED && (de = readdir(dh)) != NULL) {
        int64_t key = rotated_key(de->d_name, base, blen, name + blen);
        struct stat st;
        char *p = vt_xasprintf("%s/%s", dir, de->d_name);
        if (key < 0 || stat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(p);
            continue;
        }
        files = vt_xrealloc(files, (count + 1) * sizeof *files);
        files[count++] = (rotated_file){key, (uint64_t)st.st_size, p};
    }
    if (dh) {
        closedir(dh);
    }
    free(base);
    free(dir);
    if (count > 1) {
        qsort(files, count, sizeof *files, by_key);
    }
    *out = files;
    return count;
}

/* Deletes the oldest dated files until the total, with `extra` bytes about to be written, fits. */
static void prune(vt_ledger *l, uint64_t extra) {
    rotated_file *files = NULL;
    size_t count = list_rotated(l, &files);
    uint64_t total = 0;
    for (size_t i = 0; i < count; i++) {
        total += files[i].bytes;
    }
    for (size_t i = 0; i < count; i++) {
        if (l->size + total + extra > l->max_bytes && unlink(files[i].path) == 0) {
            vt_log(VT_LOG_INFO, "ledger", "deleted %s: the %s is kept under %llu bytes",
                   files[i].path, l->what, (unsigned long long)l->max_bytes);
            total -= files[i].bytes;
        }
        free(files[i].path);
    }
    free(files);
    l->rotated = total;
}

/* ---- the current file ---- */

/* The UTC day of the first row after the header, or NO_DAY. */
static int32_t first_row_day(const vt_ledger *l, const char *head, size_t len) {
    size_t h = strlen(l->header) + 1;
    int y, m, d;
    if (len < h + 10 || sscanf(head + h, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 ||
        d < 1 || d > 31) {
        return NO_DAY;
    }
    return vt_schedule_days(y, m, d);
}

/* Cuts a last row left without its newline by a crash. false when the file makes no sense. */
static bool drop_torn_tail(vt_ledger *l) {
    char tail[2 * VT_LEDGER_ROW_MAX];
    size_t want = l->size < sizeof tail ? (size_t)l->size : sizeof tail;
    ssize_t n = pread(l->fd, tail, want, (off_t)(l->size - want));
    if (n != (ssize_t)want) {
        return false;
    }
    if (tail[want - 1] == '\n') {
        return true;
    }
    size_t keep = want;
    while (keep > 0 && tail[keep - 1] != '\n') {
        keep--;
    }
    if (keep == 0 || ftruncate(l->fd, (off_t)(l->size - (want - keep))) != 0) {
        return false;
    }
    vt_log(VT_LOG_WARN, "ledger",
           "%s: removed an incomplete last row (the show stopped while "
           "writing it)",
           l->path);
    l->size -= want - keep;
    return true;
}

/* Cuts the NUL bytes a power cut can leave at the end (the file's size reached the disk, its
 * data did not): the rows before them are kept. false when the file cannot be read or cut. */
static bool trim_nul_tail(vt_ledger *l) {
    char block[4096];
    uint64_t end = l->size;
    while (end > 0) {
        size_t want = end < sizeof block ? (size_t)end : sizeof block;
        if (pread(l->fd, block, want, (off_t)(end - want)) != (ssize_t)want) {
            return false;
        }
        size_t keep = want;
        while (keep > 0 && block[keep - 1] == '\0') {
            keep--;
        }
        end -= want - keep;
        if (keep > 0) {
            break;
        }
    }
    if (end == l->size) {
        return true;
    }
    if (ftruncate(l->fd, (off_t)end) != 0) {
        return false;
    }
    vt_log(VT_LOG_WARN, "ledger", "%s: removed %llu zero bytes at the end (a power cut)", l->path,
           (unsigned long long)(l->size - end));
    l->size = end;
    return true;
}

/* Moves the current file to the first free dated name of `day`. */
static bool move_aside(vt_ledger *l, int32_t day, vt_error *err) {
    for (int n = 1; n < 1000; n++) {
        char *to = dated_name(l->path, day, n);
        struct stat st;
        if (lstat(to, &st) == 0) {
            free(to);
            continue;
        }
        bool ok = rename(l->path, to) == 0;
        if (!ok) {
            (void)VT_FAIL(err, VT_E_IOERR, "cannot rotate %s to %s: %s", l->path, to,
                          strerror(errno));
        }
        free(to);
        return ok;
    }
    (void)VT_FAIL(err, VT_E_IOERR, "cannot rotate %s: 999 files of that day already", l->path);
    return false;
}

static void close_fd(vt_ledger *l) {
    if (l->fd >= 0) {
        if (l->unsynced) {
            fdatasync(l->fd);
        }
        close(l->fd);
    }
    l->fd = -1;
    l->unsynced = 0;
}

/* Opens the current file and checks what it holds. */
static vt_status open_current(vt_ledger *l, int32_t today, vt_error *err) {
    for (int attempt = 0; attempt < 2; attempt++) {
        /* Not through a symbolic link; O_NONBLOCK: opening a device or FIFO never waits. */
        l->fd =
            open(l->path, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
        if (l->fd < 0 && errno == ENOENT) {
            /* The folder is missing (a first start, a log folder cleaned away): made as render
             * makes --out's, then opened again. */
            char *dir = vt_path_dirname(l->path);
            vt_error why = {0};
            vt_status made = vt_dir_create(dir, &why);
            free(dir);
            if (made != VT_OK) {
                return VT_FAIL(err, made, "cannot open the %s %s: %s", l->what, l->path,
                               why.message);
            }
            l->fd = open(l->path, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC,
                         0644);
        }
        struct stat st;
        if (l->fd < 0 || fstat(l->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            vt_status s =
                VT_FAIL(err, VT_E_CANTCREAT, "cannot open the %s %s: %s", l->what, l->path,
                        l->fd >= 0       ? "not a regular file"
                        : errno == ELOOP ? "not a regular file (a symbolic link)"
                                         : strerror(errno));
            close_fd(l);
            return s;
        }
        l->size = (uint64_t)st.st_size;
        l->day = NO_DAY;
        if (l->size == 0) {
            return VT_OK;
        }
        char head[256];
        ssize_t n = pread(l->fd, head, sizeof head, 0);
        size_t hlen = strlen(l->header);
        bool ours = n > (ssize_t)hlen && memcmp(head, l->header, hlen) == 0 && head[hlen] == '\n';
        if (ours && trim_nul_tail(l) && drop_torn_tail(l)) {
            l->day = first_row_day(l, head, (size_t)n);
            return VT_OK;
        }
        bool v1 = strcmp(l->header, VT_LEDGER_HEADER) == 0 &&
                  n >= (ssize_t)sizeof VT_LEDGER_HEADER_V1 &&
                  memcmp(head, VT_LEDGER_HEADER_V1 "\n", sizeof VT_LEDGER_HEADER_V1) == 0;
        bool vowel = strchr("aeiou", l->what[0]) != NULL;
        vt_log(v1 ? VT_LOG_INFO : VT_LOG_WARN, "ledger", "%s %s%s%s; moving it aside", l->path,
               v1      ? "was written by an earlier version (without the seconds column)"
               : vowel ? "is not an "
                       : "is not a ",
               v1 ? "" : l->what, v1 ? "" : " of this version");
        close_fd(l);
        if (!move_aside(l, today, err)) {
            return VT_E_CANTCREAT;
        }
    }
    return VT_FAIL(err, VT_E_CANTCREAT, "cannot start the %s %s", l->what, l->path);
}

/* ---- rows ---- */

/* The length of s cut to at most max bytes without splitting a UTF-8 character. */
static size_t utf8_cut(const char *s, size_t max) {
    size_t n = strnlen(s, max + 1);
    if (n <= max) {
        return n;
    }
    n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) {
        n--; /* s[n] continues a character that starts before the cut */
    }
    return n;
}

#define ELLIPSIS "\xe2\x80\xa6" /* U+2026, 3 bytes */

/* The length of s to write in at most max bytes: all of it when it fits, else up to the end of
 * the last whole word that leaves room for an ellipsis (*cut set), else (one long word) up to a
 * UTF-8 character boundary. */
static size_t text_cut(const char *s, size_t max, bool *cut) {
    *cut = false;
    size_t n = utf8_cut(s, max);
    if (s[n] == '\0' || max <= sizeof ELLIPSIS) {
        return n;
    }
    for (size_t i = max - (sizeof ELLIPSIS - 1); i > 0; i--) {
        if (s[i] == ' ') {
            while (i > 0 && strchr(" ,;:", s[i - 1])) {
                i--;
            }
            *cut = i > 0;
            return i > 0 ? i : n;
        }
    }
    return n;
}

/* A text field, quoted as RFC 4180 says when it holds a comma or a quote (quotes doubled); a
 * line break becomes a space, so that a row is always one line. */
static void put_text(char *buf, size_t cap, size_t *len, const char *s, size_t max) {
    s = s ? s : "";
    bool cut;
    size_t n = text_cut(s, max, &cut);
    bool quote = strcspn(s, ",\"\r\n") < n;
    if (quote && *len < cap) {
        buf[(*len)++] = '"';
    }
    for (size_t i = 0; i < n && *len + 2 < cap; i++) {
        char ch = s[i] == '\r' || s[i] == '\n' ? ' ' : s[i];
        if (ch == '"') {
            buf[(*len)++] = '"';
        }
        buf[(*len)++] = ch;
    }
    for (size_t i = 0; cut && i < sizeof ELLIPSIS - 1 && *len + 2 < cap; i++) {
        buf[(*len)++] = ELLIPSIS[i];
    }
    if (quote && *len < cap) {
        buf[(*len)++] = '"';
    }
}

static void put_fmt(char *buf, size_t cap, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void put_fmt(char *buf, size_t cap, size_t *len, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *len, cap - *len, fmt, ap);
    va_end(ap);
    if (n > 0) {
        *len += (size_t)n < cap - *len ? (size_t)n : cap - *len - 1;
    }
}

size_t vt_ledger_format(const vt_ledger_row *r, char *buf, size_t cap) {
    if (cap < 64) {
        return 0;
    }
    cap = cap > VT_LEDGER_ROW_MAX ? VT_LEDGER_ROW_MAX : cap;
    struct tm tm;
    time_t t = (time_t)r->utc;
    if (!gmtime_r(&t, &tm)) {
        tm = (struct tm){.tm_year = 70, .tm_mday = 1};
    }
    size_t len = 0;
    put_fmt(buf, cap, &len, "%04d-%02d-%02dT%02d:%02d:%02dZ,", tm.tm_year + 1900, tm.tm_mon + 1,
            tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    put_text(buf, cap, &len, r->state, VT_LEDGER_STATE_MAX);
    put_fmt(buf, cap, &len, ",%d,%.1f,%.2f,", r->target_fps, r->fps, r->scale);
    if (r->has_power) {
        put_fmt(buf, cap, &len, "%.2f", r->power_w);
    }
    put_fmt(buf, cap, &len, ",");
    if (r->has_energy) {
        put_fmt(buf, cap, &len, "%.1f", r->energy_j);
    }
    put_fmt(buf, cap, &len, ",");
    put_text(buf, cap, &len, r->sensor, VT_LEDGER_TEXT_MAX);
    put_fmt(buf, cap, &len, ",");
    put_text(buf, cap, &len, r->covers, VT_LEDGER_TEXT_MAX);
    /* What the row's power figure is: a row without one (the first of a run, no new reading
     * since the previous row) claims nothing, even when it repeats the running energy total. */
    put_fmt(buf, cap, &len, ",%s", !r->has_power ? "" : r->estimated ? "estimated" : "measured");
    put_fmt(buf, cap, &len, ",");
    if (r->has_power && r->seconds > 0) {
        put_fmt(buf, cap, &len, "%.3f", r->seconds);
    }
    if (len + 1 >= cap) {
        len = cap - 2;
    }
    buf[len++] = '\n';
    buf[len] = '\0';
    return len;
}

/* ---- public ---- */

vt_status vt_ledger_open(const vt_ledger_desc *desc, vt_ledger **out, vt_error *err) {
    *out = NULL;
    const char *what = desc && desc->what ? desc->what : "energy log";
    if (!desc || !desc->path || !desc->path[0]) {
        return VT_FAIL(err, VT_E_USAGE, "the %s needs a file name", what);
    }
    if (desc->max_bytes && desc->max_bytes < VT_LEDGER_MIN_MAX_BYTES) {
        return VT_FAIL(err, VT_E_USAGE, "the %s's size bound must be at least %llu bytes", what,
                       (unsigned long long)VT_LEDGER_MIN_MAX_BYTES);
    }
    const char *header = desc->header ? desc->header : VT_LEDGER_HEADER;
    if (strlen(header) > VT_LEDGER_ROW_MAX || strchr(header, '\n')) {
        return VT_FAIL(err, VT_E_USAGE, "the %s's header must be one line", what);
    }
    vt_ledger *l = vt_xcalloc(1, sizeof *l);
    l->path = vt_xstrdup(desc->path);
    l->header = vt_xstrdup(header);
    l->what = vt_xstrdup(what);
    l->max_bytes = desc->max_bytes ? desc->max_bytes : VT_LEDGER_DEFAULT_MAX_BYTES;
    l->sync_every = desc->sync_every ? desc->sync_every : 60;
    l->fd = -1;
    vt_status st = open_current(l, utc_day((int64_t)time(NULL)), err);
    if (st != VT_OK) {
        vt_ledger_close(l);
        return st;
    }
    prune(l, 0);
    *out = l;
    return VT_OK;
}

/* Starts a new current file for `day`, the previous one going to its dated name. */
static vt_status rotate(vt_ledger *l, int32_t day, vt_error *err) {
    int32_t old = l->day;
    close_fd(l);
    if (!move_aside(l, old, err)) {
        l->retry_utc = 0;
        return VT_E_IOERR;
    }
    vt_status st = open_current(l, day, err);
    if (st == VT_OK) {
        prune(l, 0);
    }
    return st;
}

static vt_status fail(vt_ledger *l, int64_t now, vt_status st) {
    l->failing = true;
    l->retry_utc = now + RETRY_SECONDS;
    return st;
}

/* Makes sure the file is open, on the row's day, with nothing torn at its end. */
static vt_status ready(vt_ledger *l, int64_t utc, vt_error *err) {
    if (l->fd < 0) {
        if (utc < l->retry_utc) {
            return VT_FAIL(err, VT_E_IOERR, "the %s %s is still not writable", l->what, l->path);
        }
        vt_status st = open_current(l, utc_day(utc), err);
        if (st != VT_OK) {
            return fail(l, utc, VT_E_IOERR);
        }
    }
    if (l->torn) {
        if (ftruncate(l->fd, (off_t)l->size) != 0) {
            return fail(l, utc,
                        VT_FAIL(err, VT_E_IOERR, "cannot repair %s: %s", l->path, strerror(errno)));
        }
        l->torn = false;
    }
    if (l->day != NO_DAY && utc_day(utc) > l->day && l->size > 0) {
        vt_status st = rotate(l, utc_day(utc), err);
        if (st != VT_OK) {
            return fail(l, utc, VT_E_IOERR);
        }
    }
    return VT_OK;
}

vt_status vt_ledger_write(vt_ledger *l, const vt_ledger_row *row, vt_error *err) {
    char line[VT_LEDGER_ROW_MAX + 1];
    size_t n = vt_ledger_format(row, line, sizeof line);
    return vt_ledger_write_line(l, row->utc, line, n, err);
}

vt_status vt_ledger_write_line(vt_ledger *l, int64_t utc, const char *line, size_t line_len,
                               vt_error *err) {
    if (line_len == 0 || line_len > VT_LEDGER_ROW_MAX || line[line_len - 1] != '\n' ||
        memchr(line, '\n', line_len - 1)) {
        return VT_FAIL(err, VT_E_SOFTWARE, "a %s line must be one line of at most %d bytes",
                       l->what, VT_LEDGER_ROW_MAX);
    }
    vt_status st = ready(l, utc, err);
    if (st != VT_OK) {
        return st;
    }
    char buf[2 * VT_LEDGER_ROW_MAX + 2];
    size_t len = 0;
    if (l->size == 0) {
        len = (size_t)snprintf(buf, sizeof buf, "%s\n", l->header);
    }
    memcpy(buf + len, line, line_len);
    len += line_len;
    if (l->size > 0 && l->size + len > l->max_bytes / 2) {
        /* Today alone fills half the bound: a new file of the same day. At half, the file just
         * closed and the new one fit the bound together, so pruning (oldest first) keeps it. */
        if (l->day == NO_DAY) {
            l->day = utc_day(utc);
        }
        st = rotate(l, utc_day(utc), err);
        if (st != VT_OK) {
            return fail(l, utc, VT_E_IOERR);
        }
        return vt_ledger_write_line(l, utc, line, line_len, err);
    }
    if (l->size + l->rotated + len > l->max_bytes) {
        prune(l, len);
    }
    ssize_t n;
    do {
        n = write(l->fd, buf, len);
    } while (n < 0 && errno == EINTR);
    if (n != (ssize_t)len) {
        int e = n < 0 ? errno : ENOSPC;
        if (n > 0 && ftruncate(l->fd, (off_t)l->size) != 0) {
            l->torn = true;
        }
        return fail(l, utc,
                    VT_FAIL(err, VT_E_IOERR, "cannot write to the %s %s: %s", l->what, l->path,
                            strerror(e)));
    }
    l->size += len;
    if (l->day == NO_DAY) {
        l->day = utc_day(utc);
    }
    if (++l->unsynced >= l->sync_every) {
        /* A failed sync (delayed allocation on a full disk) is the next write's error. */
        fdatasync(l->fd);
        l->unsynced = 0;
    }
    l->failing = false;
    return VT_OK;
}

vt_status vt_ledger_write_step(vt_ledger *l, int64_t utc, int64_t step_ns, vt_error *err) {
    char covers[96];
    snprintf(covers, sizeof covers, "the wall clock was set %s by %.1f s; later rows follow it",
             step_ns < 0 ? "back" : "forward", (double)(step_ns < 0 ? -step_ns : step_ns) / 1e9);
    vt_ledger_row row = {.utc = utc, .state = VT_LEDGER_CLOCK_STEP, .sensor = "", .covers = covers};
    return vt_ledger_write(l, &row, err);
}

int64_t vt_ledger_clock_place(vt_ledger_clock *c, int64_t mono_ns, int64_t wall_ns,
                              int64_t *step_ns) {
    *step_ns = 0;
    int64_t placed = mono_ns + c->offset_ns;
    if (!c->anchored) {
        c->anchored = true;
    } else if (wall_ns - placed <= VT_LEDGER_STEP_NS && placed - wall_ns <= VT_LEDGER_STEP_NS) {
        return placed;
    } else {
        *step_ns = wall_ns - placed;
    }
    c->offset_ns = wall_ns - mono_ns;
    return wall_ns;
}

bool vt_ledger_failing(const vt_ledger *l) {
    return l && l->failing;
}

void vt_ledger_close(vt_ledger *l) {
    if (!l) {
        return;
    }
    close_fd(l);
    free(l->path);
    free(l->header);
    free(l->what);
    free(l);
}
