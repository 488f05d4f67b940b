/* Files: bounded whole-file reads, confinement of asset paths to a scene's folder, atomic writes
 * and folder creation. */
#include "io/vt_io.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

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

const char *vt_file_kind(mode_t mode) {
    return S_ISREG(mode)    ? "a regular file"
           : S_ISDIR(mode)  ? "a folder"
           : S_ISLNK(mode)  ? "a symbolic link"
           : S_ISFIFO(mode) ? "a named pipe (FIFO)"
           : S_ISCHR(mode)  ? "a character device"
           : S_ISBLK(mode)  ? "a block device"
           : S_ISSOCK(mode) ? "a socket"
                            : "a special file";
}

vt_status vt_file_check_target(const char *path, vt_error *err) {
    struct stat st;
    if (lstat(path, &st) != 0 || S_ISREG(st.st_mode)) {
        return VT_OK; /* missing (created), or a file that is replaced: creating says the rest */
    }
    return VT_FAIL(err, VT_E_CANTCREAT,
                   "cannot write '%s': not a regular file (it is %s); outputs only replace "
                   "regular files: remove it or choose another path",
                   path, vt_file_kind(st.st_mode));
}

/* Characters of the random part of temporary names. */
static const char tmp_chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
enum { TMP_RANDOM = 10 };

int vt_file_tmp_create(const char *path, char **out_tmp) {
    *out_tmp = NULL;
    static _Atomic unsigned long counter;
    for (int attempt = 0; attempt < 100; attempt++) {
        unsigned char r[TMP_RANDOM];
        if (getrandom(r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
            /* No entropy yet (early boot): still unique, if guessable; O_EXCL keeps it safe. */
            uint64_t x = (uint64_t)vt_now_ns() ^ ((uint64_t)++counter << 40) ^ (uintptr_t)r;
            for (size_t i = 0; i < sizeof r; i++, x = x * 6364136223846793005u + 1) {
                r[i] = (unsigned char)(x >> 56);
            }
        }
        char name[TMP_RANDOM + 1];
        for (size_t i = 0; i < TMP_RANDOM; i++) {
            name[i] = tmp_chars[r[i] % (sizeof tmp_chars - 1)];
        }
        name[TMP_RANDOM] = '\0';
        char *tmp = vt_xasprintf("%s" VT_TMP_MARK "%ld-%s", path, (long)getpid(), name);
        /* O_EXCL: never opens what is already there, a planted symbolic link included. */
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd >= 0) {
            *out_tmp = tmp;
            return fd;
        }
        int e = errno;
        free(tmp);
        if (e != EEXIST) {
            errno = e;
            return -1;
        }
    }
    errno = EEXIST;
    return -1;
}

vt_status vt_file_tmp_commit(const char *tmp, const char *path, vt_error *err) {
    vt_status st = vt_file_check_target(path, err); /* again: it may have appeared meanwhile */
    if (st == VT_OK && rename(tmp, path) != 0) {
        st = VT_FAIL(err, VT_E_IOERR, "cannot write '%s': %s", path, strerror(errno));
    }
    if (st != VT_OK) {
        unlink(tmp);
    }
    return st;
}

bool vt_file_tmp_parse(const char *name, size_t *target_len, long *pid) {
    const char *mark = NULL;
    for (const char *p = strstr(name, VT_TMP_MARK); p; p = strstr(p + 1, VT_TMP_MARK)) {
        mark = p;
    }
    if (!mark || mark == name) {
        return false;
    }
    const char *p = mark + strlen(VT_TMP_MARK);
    long n = 0;
    const char *digits = p;
    for (; *p >= '0' && *p <= '9' && p - digits < 10; p++) {
        n = n * 10 + (*p - '0');
    }
    if (p == digits || n <= 0 || n > INT_MAX) {
        return false;
    }
    if (*p == '-') { /* "-<random>"; without it, the "<target>.tmp-<pid>" of earlier versions */
        const char *r = ++p;
        while (*p && strchr(tmp_chars, *p)) {
            p++;
        }
        if (p == r) {
            return false;
        }
    }
    if (*p != '\0') {
        return false;
    }
    *target_len = (size_t)(mark - name);
    *pid = n;
    return true;
}

int vt_file_tmp_sweep(const char *dir, bool (*accept)(const char *target, size_t len, void *ctx),
                      void *ctx) {
    DIR *d = opendir(dir);
    if (!d) {
        return 0;
    }
    int removed = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t target_len = 0;
        long pid = 0;
        struct stat st;
        if (!vt_file_tmp_parse(e->d_name, &target_len, &pid) ||
            !accept(e->d_name, target_len, ctx) || pid == (long)getpid() ||
            kill((pid_t)pid, 0) == 0 || errno != ESRCH ||
            fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) {
            continue; /* not one of ours, its process is alive (or not ours to ask), or odd */
        }
        if (unlinkat(dirfd(d), e->d_name, 0) == 0) {
            vt_log(VT_LOG_INFO, "files",
                   "%s/%s: removed a temporary file left by process %ld, which is gone", dir,
                   e->d_name, pid);
            removed++;
        }
    }
    closedir(d);
    return removed;
}

vt_status vt_file_write_atomic(const char *path, const void *data, size_t len, unsigned flags,
                               vt_error *err) {
    vt_status st = vt_file_check_target(path, err);
    if (st != VT_OK) {
        return st;
    }
    char *tmp = NULL;
    int fd = vt_file_tmp_create(path, &tmp);
    if (fd < 0) {
        return VT_FAIL(err, VT_E_CANTCREAT, "cannot create '%s': %s", path, strerror(errno));
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
    if (saved) {
        unlink(tmp);
        free(tmp);
        return VT_FAIL(err, VT_E_IOERR, "cannot write '%s': %s", path, strerror(saved));
    }
    st = vt_file_tmp_commit(tmp, path, err);
    free(tmp);
    return st;
}

const char *vt_path_basename(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}
