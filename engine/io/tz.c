/* Time zones of the tz database, in one place for every module: names checked against the
 * database's files (TZDIR honoured, as the C library does), near-miss suggestions, and the one
 * place that sets TZ around the C library's conversions. */
#include "io/vt_io.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char *vt_tz_dir(void) {
    const char *dir = getenv("TZDIR");
    return dir && dir[0] ? dir : "/usr/share/zoneinfo";
}

bool vt_tz_name_ok(const char *s, size_t len) {
    if (len == 0 || len >= VT_TZ_NAME_MAX || s[0] == '/') {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        /* No '.': no "..", so a name never leaves the database's folder. */
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '+' || ch == '/';
        if (!ok || (ch == '/' && (i + 1 == len || s[i + 1] == '/'))) {
            return false;
        }
    }
    return true;
}

bool vt_tz_exists(const char *name) {
    if (!vt_tz_name_ok(name, strlen(name))) {
        return false;
    }
    char *path = vt_xasprintf("%s/%s", vt_tz_dir(), name);
    /* Opened without waiting and only if it is a regular file: a FIFO planted in TZDIR never
     * blocks the show. */
    int fd = -1;
    char magic[4] = {0};
    bool ok = vt_file_open_input(path, &fd, NULL) == VT_OK && read(fd, magic, 4) == 4 &&
              memcmp(magic, "TZif", 4) == 0;
    if (fd >= 0) {
        close(fd);
    }
    free(path);
    return ok;
}

bool vt_tz_database_present(void) {
    struct stat st;
    return stat(vt_tz_dir(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool vt_tz_suggest(const char *name, char *out, size_t cap) {
    const char *slash = strrchr(name, '/');
    char area[VT_TZ_NAME_MAX] = "";
    if (slash) {
        snprintf(area, sizeof area, "%.*s/", (int)(slash - name), name);
    }
    char *dir = vt_xasprintf("%s/%s", vt_tz_dir(), area);
    DIR *d = opendir(dir);
    free(dir);
    if (!d) {
        return false;
    }
    char names[256][64];
    const char *ptrs[256];
    size_t count = 0;
    for (struct dirent *e = readdir(d); e && count < 256; e = readdir(d)) {
        if (e->d_name[0] != '.' && strlen(e->d_name) < 64 && !strchr(e->d_name, '.')) {
            memcpy(names[count], e->d_name, strlen(e->d_name) + 1);
            ptrs[count] = names[count];
            count++;
        }
    }
    closedir(d);
    const char *near = vt_did_you_mean(slash ? slash + 1 : name, ptrs, count);
    if (!near) {
        return false;
    }
    snprintf(out, cap, "%s%s", area, near);
    return vt_tz_exists(out);
}

void vt_tz_enter(vt_tz_scope *z, const char *name) {
    *z = (vt_tz_scope){0};
    size_t n = name ? strnlen(name, VT_TZ_NAME_MAX) : 0;
    if (n == 0 || n >= VT_TZ_NAME_MAX) {
        tzset(); /* the machine's zone (or whatever TZ the process runs under) */
        return;
    }
    const char *old = getenv("TZ");
    z->old = old ? vt_xstrdup(old) : NULL;
    char value[VT_TZ_NAME_MAX + 2];
    snprintf(value, sizeof value, ":%.*s", (int)n, name); /* ':' : always a zone file */
    setenv("TZ", value, 1);
    tzset();
    z->changed = true;
}

void vt_tz_leave(vt_tz_scope *z) {
    if (!z->changed) {
        return;
    }
    if (z->old) {
        setenv("TZ", z->old, 1);
    } else {
        unsetenv("TZ");
    }
    free(z->old);
    *z = (vt_tz_scope){0};
    tzset();
}
