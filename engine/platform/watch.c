/* The file watcher behind hot reload: inotify watches on the folders of the watched files, the
 * settling that waits for a save or copy to finish, and the mtime-polling fallback. */
#include "platform/vt_watch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

/* Editors save through a temporary file renamed over the original (IN_MOVED_TO), or truncate and
 * rewrite it (IN_CLOSE_WRITE); deletions and renames away matter too, since the scene then shows
 * placeholders. IN_MODIFY is left out: it fires on every write of a copy in progress, and the
 * settling looks at sizes anyway. The *_SELF events say the folder itself went away. */
#define WATCH_MASK                                                                                 \
    (IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_ATTRIB |            \
     IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

/* What one stat() said about a file: enough to tell a copy in progress from a finished one, and
 * a file replaced by another (new inode) even when size and mtime were preserved (cp -p). */
typedef struct watch_look {
    bool exists;
    ino_t ino;
    off_t size;
    int64_t mtime_ns, ctime_ns;
} watch_look;

typedef struct watch_file {
    char *path;
    const char *name; /* the last component, inside path: what inotify events name */
    size_t dir;       /* index into vt_watch.dirs */
    watch_look seen;  /* the latest look */
} watch_file;

typedef enum watch_dir_state {
    DIR_WATCHED, /* wd is an inotify watch on the folder */
    DIR_MISSING, /* the folder is not there (deleted, renamed away): retried on each poll */
    DIR_REFUSED, /* inotify refused it (watch limit...): covered by the mtime fallback */
} watch_dir_state;

typedef struct watch_dir {
    char *path;
    int wd;
    watch_dir_state state;
} watch_dir;

struct vt_watch {
    int fd; /* inotify, non-blocking; -1 when unavailable */
    watch_file *files;
    size_t file_count;
    watch_dir *dirs;
    size_t dir_count;
    int64_t quiet_ns;
    bool pending;          /* a change is settling */
    int64_t settle_ns;     /* when pending: when the next settling look is due */
    bool scanning;         /* the fallback: mtimes are looked at every VT_WATCH_RESCAN_NS */
    int64_t next_check_ns; /* the next fallback look and retry of missing folders */
    bool warned;           /* the fallback warning is given once per watcher */
};

static void warn_fallback(vt_watch *w, const char *what, const char *path, int error) {
    w->scanning = true;
    if (w->warned) {
        return;
    }
    w->warned = true;
    const char *hint = "";
    if (error == ENOSPC) {
        hint = " (the per-user inotify watch limit is reached; raise it with "
               "`sysctl fs.inotify.max_user_watches=524288`)";
    } else if (error == EMFILE) {
        hint = " (the per-user inotify instance limit is reached; raise it with "
               "`sysctl fs.inotify.max_user_instances=512`)";
    }
    vt_log(VT_LOG_WARN, "watch", "cannot %s%s: %s%s; checking the files every second instead", what,
           path, strerror(error), hint);
}

vt_status vt_watch_create(vt_watch **out, vt_error *err) {
    (void)err; /* every failure has a fallback: the show must play on without hot reload */
    vt_watch *w = vt_xcalloc(1, sizeof *w);
    w->quiet_ns = VT_WATCH_QUIET_NS;
    w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w->fd < 0) {
        warn_fallback(w, "watch files for changes", "", errno);
    }
    *out = w;
    return VT_OK;
}

static void free_sets(watch_file *files, size_t file_count, watch_dir *dirs, size_t dir_count) {
    for (size_t i = 0; i < file_count; i++) {
        free(files[i].path);
    }
    for (size_t i = 0; i < dir_count; i++) {
        free(dirs[i].path);
    }
    free(files);
    free(dirs);
}

void vt_watch_destroy(vt_watch *w) {
    if (!w) {
        return;
    }
    if (w->fd >= 0) {
        close(w->fd); /* drops every watch with it */
    }
    free_sets(w->files, w->file_count, w->dirs, w->dir_count);
    free(w);
}

void vt_watch_set_quiet(vt_watch *w, int64_t quiet_ns) {
    if (quiet_ns > 0) {
        w->quiet_ns = quiet_ns;
    }
}

int vt_watch_fd(const vt_watch *w) {
    return w->fd;
}

static int64_t timespec_ns(struct timespec ts) {
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static watch_look look_file(const char *path) {
    watch_look look = {0};
    struct stat st;
    if (stat(path, &st) == 0) {
        look = (watch_look){true, st.st_ino, st.st_size, timespec_ns(st.st_mtim),
                            timespec_ns(st.st_ctim)};
    }
    return look;
}

static bool looks_equal(const watch_look *a, const watch_look *b) {
    if (a->exists != b->exists) {
        return false;
    }
    return !a->exists || (a->ino == b->ino && a->size == b->size && a->mtime_ns == b->mtime_ns &&
                          a->ctime_ns == b->ctime_ns);
}

/* Looks at every watched file again; true when any differs from the previous look. */
static bool look_all(vt_watch *w) {
    bool changed = false;
    for (size_t i = 0; i < w->file_count; i++) {
        watch_look now = look_file(w->files[i].path);
        if (!looks_equal(&now, &w->files[i].seen)) {
            changed = true;
            w->files[i].seen = now;
        }
    }
    return changed;
}

/* Starts watching a folder, or records why it cannot be watched. */
static void watch_dir_add(vt_watch *w, watch_dir *d) {
    d->wd = -1;
    d->state = DIR_REFUSED;
    if (w->fd < 0) {
        return;
    }
    d->wd = inotify_add_watch(w->fd, d->path, WATCH_MASK);
    if (d->wd >= 0) {
        d->state = DIR_WATCHED;
    } else if (errno == ENOENT || errno == ENOTDIR) {
        d->state = DIR_MISSING;
    } else {
        warn_fallback(w, "watch folder ", d->path, errno);
    }
}

/* The folder part of a path ("." when none), and where its last component starts. */
static char *split_path(const char *path, size_t *name_at) {
    const char *slash = strrchr(path, '/');
    if (!slash) {
        *name_at = 0;
        return vt_xstrdup(".");
    }
    *name_at = (size_t)(slash - path) + 1;
    return slash == path ? vt_xstrdup("/") : vt_xstrndup(path, (size_t)(slash - path));
}

static size_t find_or_add_dir(watch_dir **dirs, size_t *count, char *path) {
    for (size_t i = 0; i < *count; i++) {
        if (strcmp((*dirs)[i].path, path) == 0) {
            free(path);
            return i;
        }
    }
    (*dirs)[*count] = (watch_dir){path, -1, DIR_MISSING};
    return (*count)++;
}

/* The previous look at a file still watched, so that the fallback still sees a change made
 * before the set was replaced. */
static bool previous_look(const vt_watch *w, const char *path, watch_look *out) {
    for (size_t i = 0; i < w->file_count; i++) {
        if (strcmp(w->files[i].path, path) == 0) {
            *out = w->files[i].seen;
            return true;
        }
    }
    return false;
}

static bool wd_in_use(const watch_dir *dirs, size_t count, int wd) {
    for (size_t i = 0; i < count; i++) {
        if (dirs[i].wd == wd) {
            return true;
        }
    }
    return false;
}

void vt_watch_set_files(vt_watch *w, const char *const *paths, size_t count) {
    watch_file *files = vt_xcalloc(count ? count : 1, sizeof *files);
    watch_dir *dirs = vt_xcalloc(count ? count : 1, sizeof *dirs);
    size_t dir_count = 0;
    for (size_t i = 0; i < count; i++) {
        size_t name_at = 0;
        char *dir = split_path(paths[i], &name_at);
        files[i].path = vt_xstrdup(paths[i]);
        files[i].name = files[i].path + name_at;
        files[i].dir = find_or_add_dir(&dirs, &dir_count, dir);
        if (!previous_look(w, paths[i], &files[i].seen)) {
            files[i].seen = look_file(paths[i]);
        }
    }
    w->scanning = w->fd < 0;
    /* Adding a watch on a folder already watched returns the same descriptor (inotify keys
     * watches by inode), so kept folders lose no event; only watches no longer used go. */
    for (size_t i = 0; i < dir_count; i++) {
        watch_dir_add(w, &dirs[i]);
    }
    for (size_t i = 0; i < w->dir_count; i++) {
        int wd = w->dirs[i].wd;
        if (wd >= 0 && !wd_in_use(dirs, dir_count, wd)) {
            inotify_rm_watch(w->fd, wd);
        }
    }
    free_sets(w->files, w->file_count, w->dirs, w->dir_count);
    w->files = files;
    w->file_count = count;
    w->dirs = dirs;
    w->dir_count = dir_count;
}

static bool names_watched_file(const vt_watch *w, size_t dir, const char *name) {
    for (size_t i = 0; i < w->file_count; i++) {
        if (w->files[i].dir == dir && strcmp(w->files[i].name, name) == 0) {
            return true;
        }
    }
    return false;
}

/* True when the event is news about a watched file or folder. */
static bool handle_event(vt_watch *w, const struct inotify_event *ev) {
    if (ev->mask & IN_Q_OVERFLOW) {
        return true; /* events were lost: assume one was about us */
    }
    bool news = false;
    for (size_t i = 0; i < w->dir_count; i++) {
        watch_dir *d = &w->dirs[i];
        if (d->state != DIR_WATCHED || d->wd != ev->wd) {
            continue;
        }
        if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) {
            /* The folder is gone, or the watch now follows it to another name (new content
             * deployed by renaming folders): drop it and watch the path when it reappears. */
            if (ev->mask & IN_MOVE_SELF) {
                inotify_rm_watch(w->fd, d->wd);
            }
            d->wd = -1;
            d->state = DIR_MISSING;
            news = true;
        } else if (ev->len > 0 && names_watched_file(w, i, ev->name)) {
            news = true;
        }
    }
    return news;
}

static bool read_events(vt_watch *w) {
    if (w->fd < 0) {
        return false;
    }
    _Alignas(struct inotify_event) char buf[4096];
    bool news = false;
    for (;;) {
        ssize_t n = read(w->fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return news; /* EAGAIN: drained */
        }
        /* The kernel pads each name so that the next event stays aligned. */
        for (ssize_t at = 0; at + (ssize_t)sizeof(struct inotify_event) <= n;) {
            const struct inotify_event *ev = (const struct inotify_event *)(buf + at);
            news |= handle_event(w, ev);
            at += (ssize_t)(sizeof *ev + ev->len);
        }
    }
}

/* Tries again the folders that had disappeared; true when one is back (a change). */
static bool retry_missing(vt_watch *w, bool *still_missing) {
    bool back = false;
    *still_missing = false;
    for (size_t i = 0; i < w->dir_count; i++) {
        if (w->dirs[i].state != DIR_MISSING) {
            continue;
        }
        watch_dir_add(w, &w->dirs[i]);
        if (w->dirs[i].state == DIR_MISSING) {
            *still_missing = true;
        } else {
            back = true;
        }
    }
    return back;
}

bool vt_watch_poll(vt_watch *w, int64_t now_ns) {
    bool news = read_events(w);
    bool missing = false;
    news |= retry_missing(w, &missing);
    if ((w->scanning || missing) && now_ns >= w->next_check_ns) {
        w->next_check_ns = now_ns + VT_WATCH_RESCAN_NS;
        news |= w->scanning && look_all(w);
    }
    if (news) {
        /* Restart the quiet period from this look. */
        look_all(w);
        w->pending = true;
        w->settle_ns = now_ns + w->quiet_ns;
        return false;
    }
    if (!w->pending || now_ns < w->settle_ns) {
        return false;
    }
    if (look_all(w)) {
        /* Still changing without telling (a slow copy between two events): look again. */
        w->settle_ns = now_ns + w->quiet_ns;
        return false;
    }
    w->pending = false;
    return true;
}

int64_t vt_watch_deadline(const vt_watch *w) {
    int64_t deadline = w->pending ? w->settle_ns : INT64_MAX;
    bool missing = false;
    for (size_t i = 0; i < w->dir_count; i++) {
        missing |= w->dirs[i].state == DIR_MISSING;
    }
    if (w->file_count > 0 && (w->scanning || missing) && w->next_check_ns < deadline) {
        deadline = w->next_check_ns;
    }
    return deadline;
}
