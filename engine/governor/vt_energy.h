/* The energy session: the governor at work in `play` (never in render). A power sensor read a
 * few times a second (once a second while the show is still: the idle floor), the controller's
 * decision for each frame (frame rate, render scale, brightness through the operator's
 * brightness control), and the engine's own work fed to the model sensor. What it runs with
 * comes resolved in a vt_energy_desc (engine/config builds it from the flags, config and
 * scene). */
#ifndef VT_ENERGY_H
#define VT_ENERGY_H

#include "governor/vt_brightness.h"
#include "governor/vt_governor.h"
#include "governor/vt_sensor.h"

typedef struct vt_energy_desc {
    vt_sensor_desc sensor;                /* spec NULL: auto */
    vt_governor_desc governor;            /* the control law: caps, budget, what degrades */
    const vt_brightness_desc *brightness; /* the operator's brightness control; NULL: none */
    int fps;                              /* the frame rate before the first decision */
} vt_energy_desc;

typedef struct vt_energy_session {
    vt_sensor *sensor;
    vt_governor *governor;
    vt_governor_setting setting; /* the current decision */
    int64_t next_read_ns;        /* sensors are read at the governor's pace, not per frame */
    uint32_t frames_since_read;
    double pixels_since_read;
    double cpu_at_read; /* process CPU seconds at the last read (model sensor) */
    uint64_t reads_failed;
    /* For the energy ledger: energy integrated from the readings (W x interval, which for an
     * energy counter is the counter's own increase), as of the latest read at read_ns. */
    double joules;
    int64_t read_ns;           /* 0 before the first successful read */
    bool estimated;            /* the sensor's figures are the model's: no idle-floor reads */
    vt_brightness *brightness; /* the brightness control the config names; NULL: none */
    int64_t brightness_due_ns; /* a rate-limited brightness write waits until then */
} vt_energy_session;

/* Opens the sensor and the brightness control and creates the governor. A sensor or a
 * brightness control that cannot be opened is a warning: the show runs on without it (the
 * attract caps still apply). Fails only when the governor cannot be created. */
vt_status vt_energy_session_start(vt_energy_session *e, const vt_energy_desc *desc, vt_error *err);
/* Hot reload: a governor from desc->governor (the new scene's energy block); the sensor and the
 * brightness control stay open (the brightness to restore at exit stays the one found at start). On
 * failure the previous governor stays. */
vt_status vt_energy_session_reload(vt_energy_session *e, const vt_energy_desc *desc, vt_error *err);
/* The setting for the frame about to be drawn. */
vt_governor_setting vt_energy_session_decide(vt_energy_session *e, int64_t now_ns, uint32_t state,
                                             bool input);
/* A frame of `pixels` pixels was drawn. */
void vt_energy_session_drew(vt_energy_session *e, double pixels);
/* Reads the sensor when due and tells the governor: a few times a second while frames are
 * drawn, once a second while the show is still (the governor's idle-floor readings); writes a
 * rate-limited brightness change when due. Call it at every wake-up. */
void vt_energy_session_tick(vt_energy_session *e, int64_t now_ns);
/* When vt_energy_session_tick next has something to do (monotonic ns); INT64_MAX: never. */
int64_t vt_energy_session_deadline(const vt_energy_session *e);
void vt_energy_session_stop(vt_energy_session *e);

#endif
