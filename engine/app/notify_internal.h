/* Private to the app module: the service manager's notifications (notify.c). */
#ifndef VT_NOTIFY_INTERNAL_H
#define VT_NOTIFY_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

typedef struct vt_notify {
    bool enabled;         /* NOTIFY_SOCKET is set */
    bool ready;           /* READY=1 sent */
    int64_t period_ns;    /* half of WATCHDOG_USEC; 0: no watchdog */
    int64_t next_ping_ns; /* monotonic; INT64_MAX: none */
    uint64_t pings;
    char status[512]; /* the last STATUS= sent: sent again only when it changes */
} vt_notify;

/* Reads NOTIFY_SOCKET and WATCHDOG_USEC (for this process only: WATCHDOG_PID). */
void vt_notify_start(vt_notify *n, int64_t now_ns);
/* READY=1, once: after the first frame was presented. */
void vt_notify_ready(vt_notify *n);
/* STATUS=scene.yaml: state, when it changed. */
void vt_notify_status(vt_notify *n, const char *scene, const char *state);
/* RELOADING=1 before a reload (SIGHUP), READY=1 after it. */
void vt_notify_reloading(vt_notify *n, bool done);
/* WATCHDOG=1 when due; call from the play loop only, at every wake-up. */
void vt_notify_tick(vt_notify *n, int64_t now_ns);
/* When the next ping is due (monotonic ns); INT64_MAX without a watchdog. */
int64_t vt_notify_deadline(const vt_notify *n);
/* Is stderr the journal (JOURNAL_STREAM names its device and inode)? */
bool vt_notify_journal_stderr(void);

#endif
