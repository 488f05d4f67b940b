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

static int64_t (*wall_clock)(void) = realtime_ns;

void vt_energy_log_set_wall_clock(int64_t (*wall_ns)(void)) {
    wall_clock = wall_ns ? wall_ns : realtime_ns;
}

/* Just past the next second of the rows' clock, on the monotonic clock. */
static int64_t next_second(const vt_energy_log *lg, int64_t now_ns) {
    int64_t into = (now_ns + lg->clock.offset_ns) % NS;
    into += into < 0 ? NS : 0;
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
    int64_t now_ns = vt_now_ns(), step_ns;
    vt_ledger_clock_place(&lg->clock, now_ns, wall_clock(), &step_ns);
    lg->next_ns = next_second(lg, now_ns);
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
        row->seconds = (double)(e->read_ns - lg->read_ns_at_row) / 1e9;
        row->power_w = (e->joules - lg->joules_at_row) / row->seconds;
    }
}

void vt_energy_log_tick(vt_energy_log *lg, vt_energy_session *e, int64_t now_ns, const char *state,
                        uint64_t frames_drawn) {
    if (!lg->ledger || now_ns < lg->next_ns) {
        return;
    }
    /* Rows are timed by the monotonic clock placed on the wall clock: a step of the wall clock
     * (NTP after boot, a dead RTC battery) is marked with a row, never written as time going
     * back or a gap (docs/energy.md). */
    int64_t step_ns;
    int64_t utc = vt_ledger_clock_place(&lg->clock, now_ns, wall_clock(), &step_ns) / NS;
    lg->next_ns = next_second(lg, now_ns);
    if (step_ns != 0 && lg->rows > 0) {
        vt_error err = {0};
        if (vt_ledger_write_step(lg->ledger, (lg->row_ns + lg->clock.offset_ns) / NS, step_ns,
                                 &err) != VT_OK) {
            vt_log(VT_LOG_WARN, "energy", "%s", err.message);
        }
        vt_log(VT_LOG_INFO, "energy", "the wall clock moved by %.1f s; the energy log follows it",
               (double)step_ns / 1e9);
    } else if (utc == lg->last_utc) {
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
                         .covers = e->sensor ? vt_sensor_covers(e->sensor) : ""};
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
    lg->rows++;
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
