/* Private to the app module: the energy ledger fed by `play` once a second (energy_log.c) and
 * the operator's display power commands around closing hours (display_power.c). */
#ifndef VT_ENERGY_LOG_INTERNAL_H
#define VT_ENERGY_LOG_INTERNAL_H

#include "app/app_internal.h"
#include "ledger/vt_ledger.h"
#include "remote/vt_pjlink.h"

#include <sys/types.h>

typedef struct vt_energy_log {
    vt_ledger *ledger; /* NULL: not logging */
    const char *sensor_spec;
    vt_ledger_clock clock; /* the rows' time: monotonic, anchored to the wall clock */
    uint64_t rows;         /* written (or tried) since the start */
    int64_t next_ns;       /* monotonic deadline of the next row */
    int64_t last_utc;      /* the latest row's second */
    int64_t row_ns;        /* monotonic time of the latest row */
    uint64_t frames_at_row;
    double joules_at_row; /* the energy session's total at the latest row */
    int64_t read_ns_at_row;
    double joules_base; /* the total at the first row: the column counts from there */
    bool started;
} vt_energy_log;

/* The settings' energy log (--energy-log FILE, else the config's energy.log); nothing to do
 * when neither is given. A file that cannot be opened is an error (VT_E_CANTCREAT): the operator
 * asked for a record. */
vt_status vt_energy_log_start(vt_energy_log *lg, const vt_settings *set, vt_error *err);
/* When the next row is due (INT64_MAX when not logging): just after the next UTC second. */
int64_t vt_energy_log_deadline(const vt_energy_log *lg);
/* Reads the sensor and writes the row when due. `state`: the scene's state name or "closed";
 * frames_drawn: the total since play started. Disk full or unwritable: one warning, the show
 * goes on, and the ledger tries again. */
void vt_energy_log_tick(vt_energy_log *lg, vt_energy_session *e, int64_t now_ns, const char *state,
                        uint64_t frames_drawn);
void vt_energy_log_stop(vt_energy_log *lg);
/* Tests: the wall clock the rows are anchored to (NULL: CLOCK_REALTIME). */
void vt_energy_log_set_wall_clock(int64_t (*wall_ns)(void));

/* ---- display_power.c: display_off_command / display_on_command ---- */

typedef struct vt_display_power {
    const vt_config *cfg;
    pid_t pid;          /* the command running, 0: none */
    int64_t started_ns; /* when it started */
    const char *what;   /* "display_off_command" or "display_on_command" */
    bool off;           /* the display was switched off (closing) and not yet back on */
    pid_t dying[4];     /* killed, reaped by later polls: the frame loop never waits on them */
    vt_projectors *projectors; /* the config's PJLink projectors, switched at the same moments;
                                  NULL: none */
} vt_display_power;

/* At closing (off = true) or opening: lets the screen saver act (off) or inhibits it again
 * (on), and starts the config's command when there is one, without waiting for it. A command
 * still running from the previous change is killed first. The projectors are asked to power
 * off or on (their thread does it). */
void vt_display_power_set(vt_display_power *dp, bool off, int64_t now_ns);
/* Reaps the command when it has ended (one warning if it failed) and kills it past its time. */
void vt_display_power_poll(vt_display_power *dp, int64_t now_ns);
/* When to poll again: INT64_MAX when no command runs. */
int64_t vt_display_power_deadline(const vt_display_power *dp);
/* Kills a command still running and reaps what has died (without waiting: the rest is left to
 * the end of the process). */
void vt_display_power_stop(vt_display_power *dp);

#endif
