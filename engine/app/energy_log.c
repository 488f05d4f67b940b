/* The energy ledger in `play`: one row a second, just after each UTC second, whether the show
 * draws, idles or sleeps outside opening hours. Waking once a second while logging costs a few
 * microseconds of CPU; it keeps "a crash loses at most the last second" true during the night
 * and gives the sensor a reading each second (instant-power meters would otherwise be sampled
 * only at the wake-ups, and a closed night would appear as one row at opening). */
#include "app/energy_log_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NS INT64_C(1000000000)

static int64_t realtime_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * NS + ts.tv_nsec;
}

/* Just past the next UTC second, on the monotonic clock. */
static int64_t next_second(int64_t now_ns) {
    int64_t into = realtime_ns() % NS;
    return now_ns + (NS - into) + NS / 1000;
}

vt_status vt_energy_log_start(vt_energy_log *lg, const vt_settings *set, vt_error *err) {
    *lg = (vt_energy_log){.next_ns = INT64_MAX};
    const char *path = set->energy_log;
    if (!path) {
        return VT_OK;
    }
    vt_ledger_desc d = {.path = path,
                        .max_bytes = (uint64_t)(set->energy_log_max_mb * 1024 * 1024)};
    vt_status st = vt_ledger_open(&d, &lg->ledger, err);
    if (st != VT_OK) {
        return st;
    }
    lg->sensor_spec = set->power_sensor ? set->power_sensor : "auto";
    lg->next_ns = next_second(vt_now_ns());
    vt_log(VT_LOG_INFO, "energy", "energy log: %s (one row a second)", path);
    return VT_OK;
}

int64_t vt_energy_log_deadline(const vt_energy_log *lg) {
    return lg->ledger ? lg->next_ns : INT64_MAX;
}

/* The row's power and energy from the energy session's running total. */
static void fill_energy(vt_energy_log *lg, const vt_energy_session *e, vt_ledger_row *row) {
    if (!e->sensor || e->read_ns == 0) {
        return;
    }
    if (!lg->started) {
        lg->joules_base = e->joules;
    }
    row->has_energy = true;
    row->energy_j = e->joules - lg->joules_base;
    row->estimated = e->estimated;
    if (lg->started && e->read_ns > lg->read_ns_at_row && e->joules >= lg->joules_at_row) {
        row->has_power = true;
        row->power_w =
            (e->joules - lg->joules_at_row) / ((double)(e->read_ns - lg->read_ns_at_row) / 1e9);
    }
}

void vt_energy_log_tick(vt_energy_log *lg, vt_energy_session *e, int64_t now_ns, const char *state,
                        uint64_t frames_drawn) {
    if (!lg->ledger || now_ns < lg->next_ns) {
        return;
    }
    lg->next_ns = next_second(now_ns);
    int64_t utc = realtime_ns() / NS;
    if (utc == lg->last_utc) {
        return;
    }
    bool closed = strcmp(state, "closed") == 0;
    double dt = lg->started ? (double)(now_ns - lg->row_ns) / 1e9 : 0;
    vt_ledger_row row = {.utc = utc,
                         .state = state,
                         .target_fps = closed ? 0 : e->setting.fps,
                         .fps = dt > 0 ? (double)(frames_drawn - lg->frames_at_row) / dt : 0,
                         .scale = closed ? 0 : e->setting.scale,
                         .sensor = e->sensor ? lg->sensor_spec : "none",
                         .covers = e->sensor ? vt_sensor_describe(e->sensor) : ""};
    fill_energy(lg, e, &row);
    vt_error err = {0};
    bool was_failing = vt_ledger_failing(lg->ledger);
    if (vt_ledger_write(lg->ledger, &row, &err) != VT_OK) {
        if (!was_failing) {
            vt_log(VT_LOG_WARN, "energy", "%s; the show goes on, the log will try again",
                   err.message);
        }
    } else if (was_failing) {
        vt_log(VT_LOG_INFO, "energy", "the energy log is written again");
    }
    lg->started = lg->started || row.has_energy;
    lg->last_utc = utc;
    lg->row_ns = now_ns;
    lg->frames_at_row = frames_drawn;
    lg->joules_at_row = e->joules;
    lg->read_ns_at_row = e->read_ns;
}

void vt_energy_log_stop(vt_energy_log *lg) {
    vt_ledger_close(lg->ledger);
    *lg = (vt_energy_log){.next_ns = INT64_MAX};
}
