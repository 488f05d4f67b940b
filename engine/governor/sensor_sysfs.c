/* Small-file reads, directory listings and energy-counter arithmetic shared by the sysfs
 * backends (RAPL, hwmon) and the power file. */
#include "governor/sensor_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void sensor_env_from_desc(const vt_sensor_desc *desc, sensor_env *env) {
    static const vt_sensor_desc zero = {0};
    if (!desc) {
        desc = &zero;
    }
    env->sysfs_root = desc->sysfs_root && desc->sysfs_root[0] ? desc->sysfs_root : "/sys";
    env->nvml_library =
        desc->nvml_library && desc->nvml_library[0] ? desc->nvml_library : SENSOR_NVML_DEFAULT;
    /* NaN and negatives mean the default; the cap keeps the nanosecond count in range. */
    env->stale_after = desc->stale_after > 0 ? desc->stale_after : 30.0;
    env->stale_after = env->stale_after < 1e9 ? env->stale_after : 1e9;
    env->profile = desc->profile;
    env->open_file = desc->open_file;
}

long sensor_read_small(sensor_open_fn open_file, const char *path, char *buf, size_t cap) {
    int fd = open_file ? open_file(path) : open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    return fd < 0 ? -1 : sensor_read_fd(fd, buf, cap);
}

long sensor_read_fd(int fd, char *buf, size_t cap) {
    /* sysfs attributes are regular files; a FIFO or a device there would block or never end. */
    struct stat st;
    if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        close(fd);
        errno = ESPIPE;
        return -1;
    }
    size_t len = 0;
    /* One byte more than the buffer keeps, to tell "exactly full" from "too long". */
    char extra;
    for (;;) {
        ssize_t n = len < cap - 1 ? read(fd, buf + len, cap - 1 - len) : read(fd, &extra, 1);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            int saved = errno;
            close(fd);
            errno = saved;
            return -1;
        }
        if (n == 0) {
            break;
        }
        if (len == cap - 1) {
            close(fd);
            errno = EFBIG;
            return -1;
        }
        len += (size_t)n;
    }
    close(fd);
    buf[len] = '\0';
    return (long)len;
}

static bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool sensor_parse_u64(const char *text, uint64_t *value) {
    const char *p = text;
    while (is_space(*p)) {
        p++;
    }
    if (*p < '0' || *p > '9') {
        return false;
    }
    uint64_t v = 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        uint64_t digit = (uint64_t)(*p - '0');
        if (v > (UINT64_MAX - digit) / 10) {
            return false;
        }
        v = v * 10 + digit;
    }
    while (is_space(*p)) {
        p++;
    }
    if (*p != '\0') {
        return false;
    }
    *value = v;
    return true;
}

static int compare_names(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

char **sensor_list_dir(const char *dir, const char *prefix, size_t *count) {
    *count = 0;
    DIR *d = opendir(dir);
    if (!d) {
        return NULL;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    size_t plen = strlen(prefix);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, plen) != 0 || e->d_name[0] == '.') {
            continue;
        }
        VT_GROW(names, n, cap, 8);
        names[n++] = vt_xstrdup(e->d_name);
    }
    closedir(d);
    if (n > 1) {
        qsort(names, n, sizeof *names, compare_names);
    }
    *count = n;
    return names;
}

void sensor_names_free(char **names, size_t count) {
    for (size_t i = 0; i < count; i++) {
        free(names[i]);
    }
    free(names);
}

bool sensor_counter_step(sensor_counter *c, uint64_t value, uint64_t *delta) {
    bool was_primed = c->primed;
    uint64_t last = c->last;
    c->last = value;
    c->primed = true;
    if (!was_primed) {
        return false;
    }
    if (value >= last) {
        *delta = value - last;
        return true;
    }
    /* Went down: a wrap when the range is known and both values lie in it, else a reset. */
    if (c->max == 0 || last > c->max || value > c->max) {
        return false;
    }
    *delta = (c->max - last) + value;
    return true;
}

char *sensor_append(char *acc, const char *sep, const char *part) {
    if (!acc) {
        return vt_xstrdup(part);
    }
    char *joined = vt_xasprintf("%s%s%s", acc, sep, part);
    free(acc);
    return joined;
}

vt_status sensor_fail_read(vt_error *err, const char *path, int errnum, bool rapl) {
    if (rapl && (errnum == EACCES || errnum == EPERM)) {
        /* Linux 5.10 made energy_uj root-only (the PLATYPUS side channel, CVE-2020-8694). */
        return VT_FAIL(err, VT_E_NOINPUT,
                       "%s: permission denied: since Linux 5.10 only root may read the RAPL "
                       "energy counters; to let vitrine read them, put the udev rule "
                       "'SUBSYSTEM==\"powercap\", ACTION==\"add\", "
                       "RUN+=\"/bin/chmod a+r /sys%%p/energy_uj\"' in "
                       "/etc/udev/rules.d/60-vitrine-powercap.rules, then run "
                       "'udevadm trigger --action=add --subsystem-match=powercap' as root "
                       "(or reboot)",
                       path);
    }
    if (errnum == EFBIG) {
        return VT_FAIL(err, VT_E_DATAERR, "%s: cannot read: the file is too long for a reading",
                       path);
    }
    if (errnum == ESPIPE) {
        return VT_FAIL(err, VT_E_NOINPUT,
                       "%s: cannot read: it is a named pipe, a device or a socket, not a "
                       "regular file",
                       path);
    }
    if (errnum == EISDIR) {
        return VT_FAIL(err, VT_E_NOINPUT, "%s: cannot read: it is a folder, not a file", path);
    }
    return VT_FAIL(err, VT_E_NOINPUT, "%s: cannot read: %s", path, strerror(errnum));
}

void sensor_list_push(sensor_list *list, sensor_source *src) {
    list->items = vt_xrealloc(list->items, (list->count + 1) * sizeof *list->items);
    list->items[list->count++] = src;
}

void sensor_list_close(sensor_list *list) {
    for (size_t i = 0; i < list->count; i++) {
        list->items[i]->ops->close(list->items[i]);
    }
    free(list->items);
    *list = (sensor_list){0};
}
