/* Private to the app module: fleet metrics (metrics.c). play writes its figures every 10 s (the
 * config's metrics.interval) as a Prometheus text file for node_exporter's textfile collector,
 * atomically (a temporary file beside it, renamed), so the collector never reads half a file. */
#ifndef VT_METRICS_INTERNAL_H
#define VT_METRICS_INTERNAL_H

#include "app/remote_internal.h"

#include <stdbool.h>
#include <stdint.h>

/* What the file says: the status /vitrine/status replies, and a few more figures. */
typedef struct vt_metrics_figures {
    const vt_remote_status *status;
    bool has_power;     /* status->power_w is a reading */
    uint64_t reloads;   /* hot reloads done */
    bool has_sync;      /* in step with other machines: the offset is written, else left out */
    bool sync_leader;   /* this machine leads the group (its offset is 0) */
    double sync_offset; /* this machine's shared clock minus the leader's, in seconds (NaN: not
                           measured yet) */
    bool up;            /* false in the last file, written as play stops */
} vt_metrics_figures;

/* The figures in the Prometheus text exposition format (0.0.4): HELP and TYPE lines, label
 * values escaped, one family each. Returns a malloc'd string. */
char *vt_metrics_text(const vt_metrics_figures *f);

typedef struct vt_metrics {
    int64_t next_ns; /* the next write (monotonic ns) */
    bool failing;    /* the last write failed (said once until one succeeds) */
} vt_metrics;

/* When the next write is due: INT64_MAX without a file. */
int64_t vt_metrics_deadline(const vt_metrics *m, const char *path);
/* Writes the file when due (or `force`, as play stops), then schedules the next write
 * `interval` seconds (0: 10) later. A failure is one warning, and the next write tries again. */
void vt_metrics_tick(vt_metrics *m, const char *path, double interval, int64_t now_ns, bool force,
                     const vt_metrics_figures *f);

#endif
