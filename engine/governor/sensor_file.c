/* The `file:/path` sensor: a text file holding the current power in watts, written by a
 * smart-plug or wall-meter poller, re-read at each read and distrusted once it goes stale. */
#include "governor/sensor_internal.h"

#include "io/vt_io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FILE_MAX_WATTS 100000.0
#define FILE_MAX_DIGITS 15 /* below 2^53: the digits convert exactly */
#define FILE_MAX_BYTES 64

static bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* What was found, quoted for a message: printable ASCII kept, the rest as \xNN, cut at 24. */
static void quote_found(const char *text, size_t len, char *out, size_t cap) {
    size_t o = 0;
    for (size_t i = 0; i < len && o + 8 < cap; i++) {
        unsigned char c = (unsigned char)text[i];
        if (i == 24) {
            o += (size_t)snprintf(out + o, cap - o, "...");
            break;
        }
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            out[o++] = (char)c;
        } else {
            o += (size_t)snprintf(out + o, cap - o, "\\x%02x", c);
        }
    }
    out[o] = '\0';
}

static vt_status not_watts(const char *text, size_t len, const char *name, vt_error *err) {
    char found[128];
    quote_found(text, len, found, sizeof found);
    return VT_FAIL(err, VT_E_DATAERR,
                   "%s: not a power reading: found \"%s\"; expected one number of watts, such as "
                   "\"12.5\" or \"12.5 W\"",
                   name, found);
}

vt_status vt_sensor_parse_watts(const char *text, size_t len, const char *name, double *watts,
                                vt_error *err) {
    *watts = 0;
    size_t i = 0;
    while (i < len && is_blank(text[i])) {
        i++;
    }
    if (i == len) {
        return VT_FAIL(err, VT_E_DATAERR,
                       "%s: the file is empty; expected one number of watts, such as \"12.5\"",
                       name);
    }
    if (text[i] == '-' && i + 1 < len &&
        (text[i + 1] == '.' || (text[i + 1] >= '0' && text[i + 1] <= '9'))) {
        char found[128];
        quote_found(text + i, len - i, found, sizeof found);
        return VT_FAIL(err, VT_E_DATAERR,
                       "%s: negative power: found \"%s\"; a power reading is 0 W or more", name,
                       found);
    }
    uint64_t mantissa = 0;
    int digits = 0, decimals = 0;
    bool point = false;
    size_t start = i;
    for (; i < len && ((text[i] >= '0' && text[i] <= '9') || (text[i] == '.' && !point)); i++) {
        if (text[i] == '.') {
            point = true;
            continue;
        }
        if (digits == FILE_MAX_DIGITS) {
            return not_watts(text, len, name, err);
        }
        mantissa = mantissa * 10 + (uint64_t)(text[i] - '0');
        digits++;
        decimals += point;
    }
    bool has_digit_first = i > start && (text[start] != '.' || i > start + 1);
    if (digits == 0 || !has_digit_first) {
        return not_watts(text, len, name, err);
    }
    while (i < len && (text[i] == ' ' || text[i] == '\t')) {
        i++;
    }
    i += i < len && text[i] == 'W';
    while (i < len && is_blank(text[i])) {
        i++;
    }
    if (i != len) {
        return not_watts(text, len, name, err);
    }
    /* One division of two exact values: the nearest double to the decimal written. */
    double scale = 1;
    for (int d = 0; d < decimals; d++) {
        scale *= 10.0;
    }
    double value = (double)mantissa / scale;
    if (value >= FILE_MAX_WATTS) {
        return VT_FAIL(err, VT_E_DATAERR,
                       "%s: %.0f W is beyond what one installation draws (the limit is 100000 "
                       "W); is the value in milliwatts?",
                       name, value);
    }
    *watts = value;
    return VT_OK;
}

/* A FIFO or a device would block the show or never end: the poller must write a file. */
static vt_status not_regular(vt_error *err, const char *path, mode_t mode) {
    return VT_FAIL(err, VT_E_NOINPUT,
                   "%s: cannot read the power file: it is %s, not a regular file; have the "
                   "program that polls the meter write the reading to a file (then rename it "
                   "into place)",
                   path, vt_file_kind(mode));
}

typedef struct file_source {
    sensor_source base;
    char *path;
    int64_t stale_after_ns;
    sensor_open_fn open_file;
    bool seen;
    struct timespec mtime; /* of the last reading seen */
    int64_t changed_at;    /* when it was written, on the caller's clock */
} file_source;

/* The reading's age on the caller's clock: a new modification time is placed on that clock
 * by its wall-clock age, so a file already old at the first read counts as old, and a file
 * the poller stopped updating ages with the caller's (monotonic) time, not the wall clock. */
static int64_t file_age(file_source *f, const struct stat *st, int64_t now_ns) {
    if (!f->seen || st->st_mtim.tv_sec != f->mtime.tv_sec ||
        st->st_mtim.tv_nsec != f->mtime.tv_nsec) {
        struct timespec wall;
        clock_gettime(CLOCK_REALTIME, &wall);
        int64_t age = ((int64_t)wall.tv_sec - (int64_t)st->st_mtim.tv_sec) * 1000000000 +
                      ((int64_t)wall.tv_nsec - (int64_t)st->st_mtim.tv_nsec);
        f->changed_at = now_ns - (age > 0 ? age : 0);
        f->mtime = st->st_mtim;
        f->seen = true;
    }
    return now_ns - f->changed_at;
}

static vt_status file_sample(sensor_source *src, int64_t now_ns, int64_t dt_ns, sensor_sample *out,
                             vt_error *err) {
    (void)dt_ns;
    file_source *f = (file_source *)src;
    int fd = f->open_file ? f->open_file(f->path)
                          : open(f->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        int saved = errno;
        if (fd >= 0) {
            close(fd);
        }
        return sensor_fail_read(err, f->path, saved, false);
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return not_regular(err, f->path, st.st_mode);
    }
    char buf[FILE_MAX_BYTES + 1];
    long len = sensor_read_fd(fd, buf, sizeof buf);
    if (len < 0) {
        return sensor_fail_read(err, f->path, errno, false);
    }
    int64_t age = file_age(f, &st, now_ns);
    if (age > f->stale_after_ns) {
        return VT_FAIL(err, VT_E_DATAERR,
                       "%s: stale: last updated %.0f s ago (readings older than %.0f s are not "
                       "trusted); check that the program writing it is running, or raise "
                       "stale_after",
                       f->path, (double)age * 1e-9, (double)f->stale_after_ns * 1e-9);
    }
    double watts;
    vt_status status = vt_sensor_parse_watts(buf, (size_t)len, f->path, &watts, err);
    if (status != VT_OK) {
        return status;
    }
    *out = (sensor_sample){.watts = watts, .has_power = true};
    return VT_OK;
}

static void file_close(sensor_source *src) {
    file_source *f = (file_source *)src;
    free(f->path);
    free(f->base.label);
    free(f);
}

static const sensor_source_ops file_ops = {file_sample, file_close};

vt_status sensor_file_open(const sensor_env *env, const char *path, sensor_source **out,
                           vt_error *err) {
    *out = NULL;
    int fd = env->open_file ? env->open_file(path)
                            : open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        return VT_FAIL(err, VT_E_NOINPUT,
                       "%s: cannot open the power file: %s; check the path, and that the "
                       "program writing it has started",
                       path, strerror(errno));
    }
    struct stat st = {0};
    bool regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    close(fd);
    if (!regular) {
        return not_regular(err, path, st.st_mode);
    }
    file_source *f = vt_xcalloc(1, sizeof *f);
    f->base.ops = &file_ops;
    f->base.label = vt_xasprintf("power file %s", path);
    f->path = vt_xstrdup(path);
    f->stale_after_ns = (int64_t)(env->stale_after * 1e9);
    f->open_file = env->open_file;
    *out = &f->base;
    return VT_OK;
}
