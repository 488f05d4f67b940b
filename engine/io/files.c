/* Files: bounded whole-file reads, confinement of asset paths to a scene's folder, atomic writes
 * and folder creation. */
#include "io/vt_io.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *vt_file_kind(mode_t mode) {
    return S_ISDIR(mode)    ? "a folder"
           : S_ISFIFO(mode) ? "a named pipe (FIFO)"
           : S_ISCHR(mode)  ? "a character device"
           : S_ISBLK(mode)  ? "a block device"
           : S_ISSOCK(mode) ? "a socket"
                            : "not a regular file";
}

vt_status vt_file_open_input(const char *path, int *out_fd, vt_error *err) {
    *out_fd = -1;
    /* O_NONBLOCK: opening a FIFO with no writer, or a device, must not wait; a regular file
     * ignores it. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        return VT_FAIL(err, VT_E_NOINPUT, "%s: cannot open: %s", path, strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int saved = errno;
        close(fd);
        return VT_FAIL(err, VT_E_NOINPUT, "%s: cannot read: %s", path, strerror(saved));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        if (S_ISDIR(st.st_mode)) {
            return VT_FAIL(err, VT_E_NOINPUT, "%s: cannot read: it is a folder, not a file", path);
        }
        return VT_FAIL(err, VT_E_NOINPUT,
                       "%s: cannot read: it is %s, not a regular file; give the path of a file",
                       path, vt_file_kind(st.st_mode));
    }
    *out_fd = fd;
    return VT_OK;
}

vt_status vt_file_read(const char *path, size_t max_bytes, char **out_data, size_t *out_len,
                       vt_error *err) {
    *out_data = NULL;
    *out_len = 0;
    int fd;
    vt_status s = vt_file_open_input(path, &fd, err);
    if (s != VT_OK) {
        return s;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || (uint64_t)st.st_size > max_bytes) {
        close(fd);
        return VT_FAIL(err, VT_E_DATAERR, "%s: file too large (%lld bytes; the limit is %zu)", path,
                       (long long)st.st_size, max_bytes);
    }
    /* Bounded by max_bytes + 1 whatever the size said: the file may grow while it is read. */
    size_t cap = (size_t)st.st_size + 1, len = 0;
    char *buf = vt_xmalloc(cap);
    for (;;) {
        if (len + 1 >= cap) {
            cap = cap > max_bytes / 2 ? max_bytes + 2 : cap * 2;
            buf = vt_xrealloc(buf, cap);
        }
        ssize_t n = read(fd, buf + len, cap - len - 1);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            int saved = errno;
            free(buf);
            close(fd);
            return VT_FAIL(err, VT_E_NOINPUT, "%s: read error: %s", path, strerror(saved));
        }
        len += (size_t)n;
        if (len > max_bytes) {
            free(buf);
            close(fd);
            return VT_FAIL(err, VT_E_DATAERR, "%s: file too large (the limit is %zu bytes)", path,
                           max_bytes);
        }
        if (n == 0) {
            break;
        }
    }
    close(fd);
    buf[len] = '\0';
    *out_data = buf;
    *out_len = len;
    return VT_OK;
}

vt_status vt_file_read_diags(const char *path, size_t max_bytes, const char *what, char **out_data,
                             size_t *out_len, vt_diags *diags) {
    vt_error err = {0};
    vt_status st = vt_file_read(path, max_bytes, out_data, out_len, &err);
    if (st == VT_E_DATAERR && what) {
        vt_diags_add(diags, VT_DIAG_ERROR, path, 1, 1,
                     "the file is larger than %zu bytes (%zu MiB), the most a%s %s may be; make "
                     "it smaller",
                     max_bytes, max_bytes >> 20, strchr("aeiou", what[0]) ? "n" : "", what);
    } else if (st != VT_OK) {
        /* vt_file_read's message starts with the path, which the diagnostic prints already. */
        size_t n = strlen(path);
        const char *msg = err.message;
        if (strncmp(msg, path, n) == 0 && strncmp(msg + n, ": ", 2) == 0) {
            msg += n + 2;
        }
        vt_diags_add(diags, VT_DIAG_ERROR, path, 0, 0, "%s", msg);
    }
    return st;
}

char *vt_path_dirname(const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash) {
        return vt_xstrdup(".");
    }
    if (slash == path) {
        return vt_xstrdup("/");
    }
    return vt_xstrndup(path, (size_t)(slash - path));
}

/* Lexical check: walking the components of `rel`, ".." may never climb above the start. */
static bool climbs_out(const char *rel) {
    int depth = 0;
    const char *p = rel;
    while (*p) {
        const char *end = strchr(p, '/');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            if (--depth < 0) {
                return true;
            }
        } else if (n > 0 && !(n == 1 && p[0] == '.')) {
            depth++;
        }
        p += n;
        while (*p == '/') {
            p++;
        }
    }
    return false;
}

/* Is `inner` (a canonical path) `outer` itself or below it? */
static bool path_within(const char *outer, const char *inner) {
    size_t n = strlen(outer);
    if (strncmp(outer, inner, n) != 0) {
        return false;
    }
    return inner[n] == '\0' || inner[n] == '/' || (n == 1 && outer[0] == '/');
}

vt_status vt_path_confine(const char *base_dir, const char *rel, char **out_path, vt_error *err) {
    *out_path = NULL;
    if (rel[0] == '\0') {
        return VT_FAIL(err, VT_E_DATAERR,
                       "the path is empty; give a file path relative to the "
                       "scene's folder, like img/photo.png");
    }
    if (rel[0] == '/') {
        return VT_FAIL(err, VT_E_DATAERR,
                       "'%s' is an absolute path; assets must be given relative to the scene's "
                       "folder and stay inside it (copy the file next to the scene)",
                       rel);
    }
    if (strchr(rel, '\\')) {
        return VT_FAIL(err, VT_E_DATAERR, "'%s' contains a backslash; use '/' to separate folders",
                       rel);
    }
    if (climbs_out(rel)) {
        return VT_FAIL(err, VT_E_DATAERR,
                       "'%s' leaves the scene's folder; assets must stay inside it (copy the "
                       "file next to the scene)",
                       rel);
    }
    char *full = vt_xasprintf("%s/%s", base_dir, rel);
    char base_real[PATH_MAX], full_real[PATH_MAX];
    if (!realpath(base_dir, base_real)) {
        free(full);
        return VT_FAIL(err, VT_E_NOINPUT, "cannot resolve the scene's folder '%s': %s", base_dir,
                       strerror(errno));
    }
    if (!realpath(full, full_real)) {
        /* Missing: still refuse a dangling symbolic link that points out of the folder. */
        *out_path = full;
        return VT_FAIL(err, VT_E_NOINPUT, "'%s' not found (looked in %s)", rel, base_dir);
    }
    if (!path_within(base_real, full_real)) {
        free(full);
        return VT_FAIL(err, VT_E_DATAERR,
                       "'%s' leads out of the scene's folder through a symbolic link; assets "
                       "must stay inside it (copy the file instead of linking it)",
                       rel);
    }
    struct stat st = {0};
    if (stat(full_real, &st) != 0 || !S_ISREG(st.st_mode)) {
        free(full);
        return VT_FAIL(err, VT_E_DATAERR, "'%s' is not a regular file%s", rel,
                       S_ISDIR(st.st_mode) ? " (it is a folder)" : "");
    }
    *out_path = full;
    return VT_OK;
}

vt_status vt_dir_create(const char *path, vt_error *err) {
    char *p = vt_xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s == '/') {
            *s = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                vt_status st = VT_FAIL(err, VT_E_CANTCREAT, "cannot create folder '%s': %s", p,
                                       strerror(errno));
                free(p);
                return st;
            }
            *s = '/';
        }
    }
    struct stat st;
    if (mkdir(p, 0777) != 0 && (errno != EEXIST || stat(p, &st) != 0 || !S_ISDIR(st.st_mode))) {
        vt_status s = VT_FAIL(err, VT_E_CANTCREAT, "cannot create folder '%s': %s", p,
                              errno == EEXIST ? "a file of that name exists" : strerror(errno));
        free(p);
        return s;
    }
    free(p);
    return VT_OK;
}

vt_status vt_file_write_atomic(const char *path, const void *data, size_t len, unsigned flags,
                               vt_error *err) {
    char *tmp = vt_xasprintf("%s.tmp-%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        vt_status st =
            VT_FAIL(err, VT_E_CANTCREAT, "cannot create '%s': %s", path, strerror(errno));
        free(tmp);
        return st;
    }
    const char *p = data;
    size_t left = len;
    int saved = 0;
    while (left > 0) {
        ssize_t n = write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            saved = errno;
            break;
        }
        p += n;
        left -= (size_t)n;
    }
    /* Errors of delayed allocation (disk full on some file systems) surface at fsync/close. */
    if (!saved && (flags & VT_WRITE_SYNC) && fdatasync(fd) != 0 && errno != EINVAL) {
        saved = errno;
    }
    if (close(fd) != 0 && !saved) {
        saved = errno;
    }
    if (!saved && rename(tmp, path) != 0) {
        saved = errno;
    }
    if (saved) {
        unlink(tmp);
        free(tmp);
        return VT_FAIL(err, VT_E_IOERR, "cannot write '%s': %s", path, strerror(saved));
    }
    free(tmp);
    return VT_OK;
}
