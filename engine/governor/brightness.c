/* Display brightness for the energy governor: a backlight's sysfs files written directly, or
 * DDC/CI through the `ddcutil` program run in its own process; writes only on change, rate
 * limited, backing off after failures, and the brightness found at open restored at close. */
#define _GNU_SOURCE /* pipe2 */
#include "governor/vt_brightness.h"
#include "io/vt_io.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NS_PER_S 1000000000.0
#define MAX_BACKOFF_S 60.0
#define DDC_WAIT_NS INT64_C(5000000000) /* open and close wait this long for ddcutil */
#define UDEV_FIX                                                                                   \
    "let the video group write it with the udev rule in docs/operations.md (Display control) "     \
    "and add this user to that group (usermod -aG video USER), or run as root"

struct vt_brightness {
    vt_brightness_kind kind;
    int fd; /* backlight: the brightness file, open for writing */
    char path[860];
    const char *prog;   /* ddcutil */
    char prog_buf[512]; /* desc's program, kept past open */
    int ddc_display;
    double min;
    int64_t interval_ns, backoff_ns, next_write_ns;
    int max, original, current; /* raw values; current -1: unknown (a write failed) */
    int full;                   /* the raw value of brightness 1: the original, unless 0 */
    int want;                   /* raw value waiting for the rate limit; -1: none */
    pid_t child;                /* a running ddcutil setvcp; 0: none */
    uint64_t writes, failures;
    bool warned;
    char last_error[512];
    char description[960];
};

/* ---- small helpers ---- */

static int open_with(const vt_brightness_desc *desc, const char *path, int flags) {
    return desc->open_file ? desc->open_file(path, flags) : open(path, flags | O_CLOEXEC);
}

/* Reads a whole small file holding one non-negative integer. errno is set on failure (EINVAL:
 * not an integer). */
static bool read_int_file(const vt_brightness_desc *desc, const char *path, int *out) {
    int fd = open_with(desc, path, O_RDONLY);
    if (fd < 0) {
        return false;
    }
    char buf[64];
    ssize_t n;
    do {
        n = read(fd, buf, sizeof buf - 1);
    } while (n < 0 && errno == EINTR);
    int saved = errno;
    close(fd);
    if (n < 0) {
        errno = saved;
        return false;
    }
    buf[n] = '\0';
    char *end;
    errno = 0;
    long v = strtol(buf, &end, 10);
    while (*end == '\n' || *end == ' ') {
        end++;
    }
    if (end == buf || *end != '\0' || errno || v < 0 || v > 1000000000) {
        errno = EINVAL;
        return false;
    }
    *out = (int)v;
    return true;
}

static vt_status fail_at(vt_error *err, vt_status st, const vt_brightness_desc *desc,
                         const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Fails with the message prefixed by where the control was named (the config's line:col). */
static vt_status fail_at(vt_error *err, vt_status st, const vt_brightness_desc *desc,
                         const char *fmt, ...) {
    char text[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (desc->where && desc->where[0]) {
        return VT_FAIL(err, st, "%s: %s", desc->where, text);
    }
    return VT_FAIL(err, st, "%s", text);
}

/* "intel_backlight, acpi_video0" or "none", the backlights the kernel lists under root. */
static void list_backlights(const char *root, char *buf, size_t cap) {
    char dir[512];
    snprintf(dir, sizeof dir, "%s/class/backlight", root);
    snprintf(buf, cap, "none");
    DIR *d = opendir(dir);
    if (!d) {
        return;
    }
    size_t len = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && len + 4 < cap) {
        if (e->d_name[0] == '.') {
            continue;
        }
        int n = snprintf(buf + len, cap - len, "%s%s", len ? ", " : "", e->d_name);
        len += n > 0 ? (size_t)n : 0;
    }
    closedir(d);
    buf[cap - 1] = '\0';
}

static void set_error(vt_brightness *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void set_error(vt_brightness *d, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->last_error, sizeof d->last_error, fmt, ap);
    va_end(ap);
}

/* ---- backlight ---- */

static vt_status open_backlight(const vt_brightness_desc *desc, vt_brightness *d, vt_error *err) {
    const char *name = desc->backlight;
    const char *root = desc->sysfs_root && desc->sysfs_root[0] ? desc->sysfs_root : "/sys";
    if (!name || !name[0]) {
        return fail_at(err, VT_E_USAGE, desc, "a backlight needs a name or a folder");
    }
    char folder[840], file[860], found[256];
    if (strlen(name) + strlen(root) > 400) {
        return fail_at(err, VT_E_USAGE, desc, "the backlight's name or folder is too long");
    }
    if (strchr(name, '/')) {
        snprintf(folder, sizeof folder, "%s", name);
    } else if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
        return fail_at(err, VT_E_USAGE, desc, "'%s' is not a backlight name", name);
    } else {
        snprintf(folder, sizeof folder, "%s/class/backlight/%s", root, name);
    }
    snprintf(file, sizeof file, "%s/max_brightness", folder);
    if (!read_int_file(desc, file, &d->max) || d->max <= 0) {
        if (errno == ENOENT || errno == ENOTDIR) {
            list_backlights(root, found, sizeof found);
            return fail_at(err, VT_E_NOINPUT, desc,
                           "backlight '%s' not found (no %s); backlights on this machine: %s", name,
                           file, found);
        }
        return fail_at(err, VT_E_NOINPUT, desc, "cannot read %s: %s", file,
                       errno == EINVAL || d->max <= 0 ? "not a positive whole number"
                                                      : strerror(errno));
    }
    snprintf(d->path, sizeof d->path, "%s/brightness", folder);
    if (!read_int_file(desc, d->path, &d->original)) {
        return fail_at(err, VT_E_NOINPUT, desc, "cannot read %s: %s", d->path,
                       errno == EINVAL ? "not a whole number" : strerror(errno));
    }
    d->fd = open_with(desc, d->path, O_WRONLY);
    if (d->fd < 0 && (errno == EACCES || errno == EPERM || errno == EROFS)) {
        return fail_at(err, VT_E_NOINPUT, desc, "cannot write %s: permission denied; %s", d->path,
                       UDEV_FIX);
    }
    if (d->fd < 0) {
        return fail_at(err, VT_E_NOINPUT, desc, "cannot open %s for writing: %s", d->path,
                       strerror(errno));
    }
    d->original = d->original > d->max ? d->max : d->original;
    snprintf(d->description, sizeof d->description, "backlight %s (max %d, at start %d)", folder,
             d->max, d->original);
    return VT_OK;
}

static bool write_backlight(vt_brightness *d, int raw) {
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%d\n", raw);
    ssize_t w;
    do {
        w = pwrite(d->fd, buf, (size_t)n, 0);
    } while (w < 0 && errno == EINTR);
    if (w != n) {
        set_error(d, "cannot write %s: %s", d->path, w < 0 ? strerror(errno) : "short write");
        return false;
    }
    /* A regular file (a test's fake folder) keeps a longer old value's tail otherwise; sysfs
     * ignores the size. */
    if (ftruncate(d->fd, n) != 0) {
        errno = 0;
    }
    return true;
}

/* ---- DDC/CI: ddcutil in its own process ---- */

/* Starts `prog args...` with stdin and stderr on /dev/null and stdout on out_fd (or /dev/null
 * when -1). Returns the pid, or -1 with errno set. */
static pid_t spawn(char *const argv[], int out_fd) {
    vt_spawn_desc sd = {
        .argv = argv, .stdout_fd = out_fd >= 0 ? out_fd : VT_SPAWN_NULL, .quiet_stderr = true};
    pid_t pid;
    int rc = vt_spawn(&sd, &pid);
    if (rc != 0) {
        errno = rc;
        return -1;
    }
    return pid;
}

/* Waits for pid until deadline_ns, then kills it. Returns its exit status, -1 when it died of
 * a signal, -2 when it was killed for taking too long. */
static int wait_until(pid_t pid, int64_t deadline_ns) {
    for (;;) {
        int status;
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) {
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        if (r < 0 && errno != EINTR) {
            return -1;
        }
        if (vt_now_ns() >= deadline_ns) {
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
            return -2;
        }
        struct timespec pause = {0, 10000000};
        nanosleep(&pause, NULL);
    }
}

static void ddc_argv(const vt_brightness *d, const char *verb, const char *value, char *num,
                     char *argv[8]) {
    snprintf(num, 16, "%d", d->ddc_display);
    int i = 0;
    argv[i++] = (char *)d->prog;
    argv[i++] = (char *)verb;
    argv[i++] = (char *)"10";
    if (value) {
        argv[i++] = (char *)value;
    } else {
        argv[i++] = (char *)"--brief";
    }
    argv[i++] = (char *)"--display";
    argv[i++] = num;
    argv[i] = NULL;
}

/* Runs `ddcutil getvcp 10 --brief --display N` and reads "VCP 10 C <current> <max>". */
static vt_status ddc_read(const vt_brightness_desc *desc, vt_brightness *d, vt_error *err) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        return fail_at(err, VT_E_SOFTWARE, desc, "cannot create a pipe: %s", strerror(errno));
    }
    char num[16], *argv[8];
    ddc_argv(d, "getvcp", NULL, num, argv);
    pid_t pid = spawn(argv, fds[1]);
    int spawn_errno = errno;
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        return fail_at(err, VT_E_NOINPUT, desc, "cannot run %s: %s (Debian package ddcutil)",
                       d->prog, strerror(spawn_errno));
    }
    char out[256];
    size_t len = 0;
    int64_t deadline = vt_now_ns() + DDC_WAIT_NS;
    for (;;) {
        int left_ms = (int)((deadline - vt_now_ns()) / 1000000);
        struct pollfd p = {fds[0], POLLIN, 0};
        if (left_ms <= 0 || poll(&p, 1, left_ms) <= 0) {
            break;
        }
        ssize_t n = read(fds[0], out + len, sizeof out - 1 - len);
        if (n <= 0 || (len += (size_t)n) >= sizeof out - 1) {
            break;
        }
    }
    close(fds[0]);
    out[len] = '\0';
    int status = wait_until(pid, deadline);
    int cur = -1, max = -1;
    if (status != 0 || sscanf(out, "VCP 10 C %d %d", &cur, &max) != 2 || max <= 0 || cur < 0) {
        char why[64] = "unexpected output";
        if (status == -2) {
            snprintf(why, sizeof why, "no answer within %d s", (int)(DDC_WAIT_NS / 1000000000));
        } else if (status != 0) {
            snprintf(why, sizeof why, "exit status %d", status);
        }
        return fail_at(err, VT_E_NOINPUT, desc,
                       "ddcutil getvcp 10 failed (%s): is DDC/CI on in the monitor's menu, and "
                       "may this user open /dev/i2c-* (the i2c group)?",
                       why);
    }
    d->max = max;
    d->original = cur > max ? max : cur;
    snprintf(d->description, sizeof d->description,
             "DDC/CI display %d via %s (max %d, at start %d)", d->ddc_display, d->prog, d->max,
             d->original);
    return VT_OK;
}

static bool ddc_start(vt_brightness *d, int raw) {
    char value[16], num[16], *argv[8];
    snprintf(value, sizeof value, "%d", raw);
    ddc_argv(d, "setvcp", value, num, argv);
    d->child = spawn(argv, -1);
    if (d->child < 0) {
        d->child = 0;
        set_error(d, "cannot run %s: %s", d->prog, strerror(errno));
        return false;
    }
    return true;
}

/* ---- rate limit, backoff and the pending value ---- */

static void failed(vt_brightness *d, int64_t now_ns) {
    d->failures++;
    d->current = -1;
    d->backoff_ns = d->backoff_ns ? d->backoff_ns * 2 : d->interval_ns * 2;
    if (d->backoff_ns > (int64_t)(MAX_BACKOFF_S * NS_PER_S)) {
        d->backoff_ns = (int64_t)(MAX_BACKOFF_S * NS_PER_S);
    }
    d->next_write_ns = now_ns + d->backoff_ns;
    if (!d->warned) {
        d->warned = true;
        vt_log(VT_LOG_WARN, "display", "%s; retrying less and less often", d->last_error);
    }
}

static void succeeded(vt_brightness *d) {
    if (d->warned) {
        vt_log(VT_LOG_INFO, "display", "brightness control works again");
    }
    d->warned = false;
    d->backoff_ns = 0;
    d->last_error[0] = '\0';
}

static void reap(vt_brightness *d, int64_t now_ns) {
    int status;
    pid_t r = d->child ? waitpid(d->child, &status, WNOHANG) : 0;
    if (r == 0 || (r < 0 && errno == EINTR)) {
        return;
    }
    d->child = 0;
    if (r > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        succeeded(d);
        return;
    }
    int code = r > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    set_error(d, "%s setvcp 10 failed with exit status %d", d->prog, code);
    failed(d, now_ns);
}

static void write_due(vt_brightness *d, int64_t now_ns) {
    if (d->want < 0 || d->child || now_ns < d->next_write_ns) {
        return;
    }
    int raw = d->want;
    d->want = -1;
    if (raw == d->current) {
        return;
    }
    d->next_write_ns = now_ns + d->interval_ns;
    d->writes++;
    bool ok = d->kind == VT_BRIGHTNESS_BACKLIGHT ? write_backlight(d, raw) : ddc_start(d, raw);
    if (!ok) {
        failed(d, now_ns);
        d->want = raw; /* tried again after the backoff */
        return;
    }
    d->current = raw;
    if (d->kind == VT_BRIGHTNESS_BACKLIGHT) {
        succeeded(d);
    }
}

/* ---- public ---- */

vt_status vt_brightness_open(const vt_brightness_desc *desc, vt_brightness **out, vt_error *err) {
    if (!desc || !out) {
        return VT_FAIL(err, VT_E_SOFTWARE, "vt_brightness_open: desc or out is NULL");
    }
    *out = NULL;
    bool bad_min = !(desc->min >= 0 && desc->min <= 1);
    bool bad_interval = !(desc->min_interval_s >= 0 && desc->min_interval_s <= 3600);
    if (bad_min || bad_interval || desc->ddc_display < 0 || desc->ddc_display > 100) {
        return VT_FAIL(err, VT_E_USAGE,
                       "display: min (%g) must be in 0..1, min_interval_s (%g) in 0..3600 s, "
                       "ddcutil display (%d) in 1..100",
                       desc->min, desc->min_interval_s, desc->ddc_display);
    }
    vt_brightness *d = vt_xcalloc(1, sizeof *d);
    d->kind = desc->kind;
    d->fd = -1;
    d->want = -1;
    d->min = desc->min > 0 ? desc->min : 0.05;
    double interval = desc->min_interval_s > 0              ? desc->min_interval_s
                      : desc->kind == VT_BRIGHTNESS_DDCUTIL ? 2.0
                                                            : 0.25;
    d->interval_ns = (int64_t)(interval * NS_PER_S);
    d->ddc_display = desc->ddc_display > 0 ? desc->ddc_display : 1;
    snprintf(d->prog_buf, sizeof d->prog_buf, "%s",
             desc->ddcutil && desc->ddcutil[0] ? desc->ddcutil : "ddcutil");
    d->prog = d->prog_buf;
    vt_status st = desc->kind == VT_BRIGHTNESS_DDCUTIL ? ddc_read(desc, d, err)
                   : desc->kind == VT_BRIGHTNESS_BACKLIGHT
                       ? open_backlight(desc, d, err)
                       : VT_FAIL(err, VT_E_USAGE, "display: unknown kind %d", (int)desc->kind);
    if (st != VT_OK) {
        if (d->fd >= 0) {
            close(d->fd);
        }
        free(d);
        return st;
    }
    d->current = d->original;
    /* Full brightness is what the display was set to (the room's choice): the governor only
     * ever dims from there. A display found at 0 (off) counts its maximum as full. */
    d->full = d->original > 0 ? d->original : d->max;
    *out = d;
    return VT_OK;
}

void vt_brightness_set(vt_brightness *d, int64_t now_ns, double brightness) {
    if (!d || isnan(brightness)) {
        return;
    }
    double b = brightness < d->min ? d->min : brightness > 1.0 ? 1.0 : brightness;
    int raw = (int)lround(b * d->full);
    raw = raw < 1 ? 1 : raw; /* 0 switches some backlights off altogether */
    d->want = raw == d->current && !d->child ? -1 : raw;
    reap(d, now_ns);
    write_due(d, now_ns);
}

int64_t vt_brightness_poll(vt_brightness *d, int64_t now_ns) {
    if (!d) {
        return INT64_MAX;
    }
    reap(d, now_ns);
    write_due(d, now_ns);
    if (d->child) {
        return now_ns + d->interval_ns / 8; /* look for the command's end now and then */
    }
    return d->want >= 0 ? d->next_write_ns : INT64_MAX;
}

void vt_brightness_info_get(const vt_brightness *d, vt_brightness_info *out) {
    if (!out) {
        return;
    }
    memset(out, 0, sizeof *out);
    if (!d) {
        return;
    }
    out->kind = d->kind;
    out->max = d->max;
    out->full = d->full;
    out->original = d->original;
    out->current = d->current;
    out->writes = d->writes;
    out->failures = d->failures;
    out->busy = d->child != 0;
    snprintf(out->last_error, sizeof out->last_error, "%s", d->last_error);
}

const char *vt_brightness_describe(const vt_brightness *d) {
    return d ? d->description : "no display control";
}

void vt_brightness_close(vt_brightness *d) {
    if (!d) {
        return;
    }
    if (d->child) {
        wait_until(d->child, vt_now_ns() + DDC_WAIT_NS);
        d->child = 0;
        d->current = -1; /* whatever it did, the original goes back */
    }
    if (d->current != d->original) {
        if (d->kind == VT_BRIGHTNESS_BACKLIGHT) {
            if (!write_backlight(d, d->original)) {
                vt_log(VT_LOG_WARN, "display", "%s; the brightness was not restored",
                       d->last_error);
            }
        } else if (ddc_start(d, d->original) &&
                   wait_until(d->child, vt_now_ns() + DDC_WAIT_NS) != 0) { /* its own wait */
            vt_log(VT_LOG_WARN, "display",
                   "%s setvcp 10 %d failed: the brightness was not "
                   "restored",
                   d->prog, d->original);
        }
    }
    if (d->fd >= 0) {
        close(d->fd);
    }
    free(d);
}

/* ---- `vitrine sensors` ---- */

/* Is `prog` an executable file in one of PATH's folders? */
static bool in_path(const char *prog, char *found, size_t cap) {
    const char *path = getenv("PATH");
    path = path && path[0] ? path : "/usr/local/bin:/usr/bin:/bin";
    while (*path) {
        size_t len = strcspn(path, ":");
        snprintf(found, cap, "%.*s/%s", (int)len, path, prog);
        if (len > 0 && access(found, X_OK) == 0) {
            return true;
        }
        path += len + (path[len] == ':');
    }
    return false;
}

static void report_backlight(const char *root, const char *name, FILE *out) {
    vt_brightness_desc desc = {.sysfs_root = root};
    char dir[512], file[600];
    snprintf(dir, sizeof dir, "%s/class/backlight/%s", root, name);
    int max = 0, now = 0;
    snprintf(file, sizeof file, "%s/max_brightness", dir);
    bool ok = read_int_file(&desc, file, &max) && max > 0;
    snprintf(file, sizeof file, "%s/brightness", dir);
    ok = ok && read_int_file(&desc, file, &now);
    if (!ok) {
        fprintf(out, "  backlight %s: unreadable (%s)\n", name, strerror(errno));
        return;
    }
    bool writable = access(file, W_OK) == 0;
    fprintf(out, "  backlight %s: max %d, now %d (%.0f %%), %s\n", name, max, now,
            100.0 * now / max, writable ? "writable" : "not writable by this user: " UDEV_FIX);
}

void vt_brightness_report(const char *sysfs_root, FILE *out) {
    const char *root = sysfs_root && sysfs_root[0] ? sysfs_root : "/sys";
    char dir[512];
    snprintf(dir, sizeof dir, "%s/class/backlight", root);
    fprintf(out, "Display controls (the operator config's display: names one):\n");
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.') {
            report_backlight(root, e->d_name, out);
            n++;
        }
    }
    if (d) {
        closedir(d);
    }
    if (n == 0) {
        fprintf(out, "  backlight: none in %s (external monitors have none: use DDC/CI)\n", dir);
    }
    char found[600];
    if (in_path("ddcutil", found, sizeof found)) {
        fprintf(out, "  ddcutil: %s (DDC/CI; `ddcutil detect` lists the monitors that answer)\n",
                found);
    } else {
        fprintf(out, "  ddcutil: not installed (Debian package ddcutil, for DDC/CI monitors)\n");
    }
}
