/* The file watcher behind hot reload: which files a running show depends on, and when a change
 * to them has settled enough to be loaded (Linux inotify, with an mtime-polling fallback). */
#ifndef VT_WATCH_H
#define VT_WATCH_H

#include "core/vt_core.h"

typedef struct vt_watch vt_watch;

/* Default quiet period: a change is reported once the files have been still this long. */
#define VT_WATCH_QUIET_NS INT64_C(300000000)
/* How often the fallback looks at mtimes, and retries folders that have disappeared. */
#define VT_WATCH_RESCAN_NS INT64_C(1000000000)

/* Creates a watcher that watches nothing yet. When inotify is unavailable (instance limit), it
 * still succeeds, logs a warning and polls mtimes every VT_WATCH_RESCAN_NS instead.
 * Not thread-safe: one thread (the play loop) uses a watcher. */
vt_status vt_watch_create(vt_watch **out, vt_error *err);
/* Closes the inotify descriptor: unregister it first (vt_platform_wait_fd(-1)). NULL is fine. */
void vt_watch_destroy(vt_watch *w);

/* The files to watch (the scene file and every asset it uses), replacing the previous set. Their
 * folders are watched, since editors save through a temporary file and a rename; only events
 * about these names count. The paths are copied. A change already pending stays pending. */
void vt_watch_set_files(vt_watch *w, const char *const *paths, size_t count);
/* The quiet period in nanoseconds (> 0; others are ignored). */
void vt_watch_set_quiet(vt_watch *w, int64_t quiet_ns);

/* Reads pending inotify events without blocking and advances the settling; true once per
 * settled change: no event about a watched file for the quiet period, and every watched file
 * had the same size and mtime (or was missing) at two looks a quiet period apart. now_ns is the
 * monotonic clock (vt_now_ns). */
bool vt_watch_poll(vt_watch *w, int64_t now_ns);
/* When vt_watch_poll next has work to do without an event: the end of the current quiet period,
 * or the next fallback look (mtime polling, a vanished folder to re-add); INT64_MAX when only an
 * event can bring news. The play loop sleeps until the earliest of its deadlines and this. */
int64_t vt_watch_deadline(const vt_watch *w);
/* The inotify descriptor, readable when events are pending (for vt_platform_wait_fd); -1 when
 * inotify is unavailable. */
int vt_watch_fd(const vt_watch *w);

#endif
