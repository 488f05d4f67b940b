/* `play` under systemd (Type=notify): READY=1 once the first frame is on screen, STATUS= with
 * the scene and its state, WATCHDOG=1 every half WATCHDOG_USEC, sent from the play loop only so
 * that a hung loop stops the pings and systemd restarts the show; and the journal's priority
 * prefixes when stderr is the journal. Without NOTIFY_SOCKET all of it costs nothing. */
#include "app/notify_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

void vt_notify_start(vt_notify *n, int64_t now_ns) {
    *n = (vt_notify){.next_ping_ns = INT64_MAX};
    n->enabled = getenv("NOTIFY_SOCKET") != NULL;
    uint64_t usec = 0;
    if (n->enabled && sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
        n->period_ns = (int64_t)(usec / 2) * 1000;
        n->next_ping_ns = now_ns; /* the first ping at once: start-up may have been slow */
    }
}

void vt_notify_ready(vt_notify *n) {
    if (n->enabled && !n->ready) {
        sd_notify(0, "READY=1");
        n->ready = true;
    }
}

void vt_notify_status(vt_notify *n, const char *scene, const char *state) {
    if (!n->enabled) {
        return;
    }
    const char *base = strrchr(scene, '/');
    char text[512];
    snprintf(text, sizeof text, "STATUS=%s: %s", base ? base + 1 : scene, state);
    if (strcmp(text, n->status) != 0) {
        snprintf(n->status, sizeof n->status, "%s", text);
        sd_notify(0, text);
    }
}

void vt_notify_reloading(vt_notify *n, bool done) {
    if (n->enabled) {
        sd_notify(0, done ? "READY=1" : "RELOADING=1");
    }
}

void vt_notify_tick(vt_notify *n, int64_t now_ns) {
    if (n->period_ns <= 0 || now_ns < n->next_ping_ns) {
        return;
    }
    sd_notify(0, "WATCHDOG=1");
    n->pings++;
    n->next_ping_ns = now_ns + n->period_ns;
}

int64_t vt_notify_deadline(const vt_notify *n) {
    return n->period_ns > 0 ? n->next_ping_ns : INT64_MAX;
}

bool vt_notify_journal_stderr(void) {
    const char *js = getenv("JOURNAL_STREAM");
    struct stat st;
    unsigned long long dev = 0, ino = 0;
    if (!js || sscanf(js, "%llu:%llu", &dev, &ino) != 2 || fstat(STDERR_FILENO, &st) != 0) {
        return false;
    }
    return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}
