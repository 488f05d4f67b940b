/* The energy governor's controller: from measured power and the scene's state to the frame rate,
 * render scale and display brightness of the next frame, so the installation stays on budget. */
#ifndef VT_GOVERNOR_H
#define VT_GOVERNOR_H

#include <stdbool.h>
#include <stdint.h>

#include "core/vt_core.h"

/* What the governor may turn down, in the order the scene's `energy.degrade` lists them. */
typedef enum vt_actuator {
    VT_ACT_FPS,        /* frame pacing (sleeping between frames), whole frames a second */
    VT_ACT_SCALE,      /* render scale: the offscreen target's size relative to the canvas */
    VT_ACT_BRIGHTNESS, /* display brightness, 0..1 (only when listed in degrade) */
} vt_actuator;

#define VT_GOVERNOR_MAX_ACTUATORS 3
/* The render scale's step: each change reallocates the renderer's offscreen target. */
#define VT_GOVERNOR_SCALE_STEP 0.05

/* Creation parameters; zero means "default" for every field. */
typedef struct vt_governor_desc {
    double budget_watts;   /* 0: no budget (only the attract caps apply) */
    int fps_max;           /* 0: 60 (the app passes the canvas fps) */
    int fps_min;           /* 0: 10 */
    double scale_min;      /* 0: 0.5 */
    double brightness_min; /* 0: 0.6; used only when brightness is listed in degrade */
    vt_actuator degrade[VT_GOVERNOR_MAX_ACTUATORS];
    int degrade_count;         /* 0: {fps, scale}; no actuator twice */
    bool attract_full;         /* `attract: full`: no frugal caps in attract */
    int attract_fps;           /* 0: 12 */
    double attract_scale;      /* 0: 0.6 */
    double attract_brightness; /* 0: 1.0 (no cap) */
    double control_hz;         /* how often the loop acts; 0: 4 */
    /* The power floor with nothing drawn, at full brightness (W); 0: measured by the governor
     * itself from readings taken while nothing is drawn (see vt_governor_observe), and until
     * then assumed to be half the lowest power seen (slower to settle). */
    double idle_watts;
    /* Power the display draws at full brightness (W); 0: learnt from how the measured power
     * follows the brightness (only a wall meter sees it), a fifth of the floor until then. */
    double display_watts;
    /* The meter's averaging window (s): most power meters report a moving average; 0: 1.0. */
    double sensor_window_s;
    /* Hysteresis: no correction while the measured power is within this fraction of the
     * budget; 0: 0.02. */
    double deadband;
} vt_governor_desc;

/* What the next frame should use. */
typedef struct vt_governor_setting {
    int fps;           /* frames a second to pace at, in [fps_min, fps_max] */
    double scale;      /* render scale in [scale_min, 1]: multiples of VT_GOVERNOR_SCALE_STEP,
                          scale_min itself, or the attract cap */
    double brightness; /* display brightness in [brightness_min, 1] (steps of 0.01) */
} vt_governor_setting;

typedef struct vt_governor_status {
    double budget_watts;   /* 0: no budget */
    double last_watts;     /* the latest measurement (W); 0 before the first */
    double idle_watts;     /* the floor the controller assumes (W), at full brightness */
    bool idle_measured;    /* ... measured while nothing was drawn (not given, not guessed) */
    double display_watts;  /* the display's W at full brightness the controller assumes */
    double watts_per_load; /* learnt W per (frame/s x scale^2): the feed-forward model's slope */
    double level;          /* 0: everything at full .. degrade_count: every actuator at minimum */
    vt_governor_setting setting; /* the latest decision */
    uint64_t observations;       /* measurements accepted */
    uint64_t rejected;           /* measurements ignored (NaN, negative, time going back) */
    uint64_t steps_caught;       /* sudden load rises acted on before the next tick */
    bool impossible; /* the budget is below what minimum settings draw: running at minimum */
    bool capped;     /* the attract caps are in force */
} vt_governor_status;

typedef struct vt_governor vt_governor;

/* Checks *desc (NULL: every default) and creates a governor; on a bad field returns
 * VT_E_DATAERR and says which and how to fix it in *err. The only allocation it makes. */
vt_status vt_governor_create(const vt_governor_desc *desc, vt_governor **out, vt_error *err);
/* NULL does nothing. */
void vt_governor_destroy(vt_governor *g);

/* A power measurement (W) read at now_ns (monotonic clock), with the frames drawn since the
 * previous measurement. NaN, infinite or negative watts and times that go back are ignored
 * (counted in status.rejected). Call it whenever the sensor has a new reading, and keep
 * calling it (about once a second) while a still scene draws nothing: a reading whose meter
 * window holds no frame measures the idle floor, when desc.idle_watts was not given. The
 * start-up (shaders compiled, first uploads) does not count: readings before the first that
 * counts a frame, or whose meter window reaches into the 2.5 s after it, neither degrade nor
 * measure the floor. */
void vt_governor_observe(vt_governor *g, int64_t now_ns, double watts, uint32_t frames_drawn);

/* The attract state's index: the scene format numbers its states the same way (VT_STATE_ATTRACT,
 * checked where the two meet, in engine/app/energy.c). */
#define VT_GOVERNOR_ATTRACT 0u

/* The setting for the frame about to be drawn at now_ns. state: VT_GOVERNOR_ATTRACT applies
 * the attract caps, any other index counts as active; input: a visitor acted this frame, which
 * counts as active at once. Entering active sets, on this very frame, the level the active
 * state's model predicts for the budget (full quality where it allows, and before any active
 * period), never what attract was degraded to. The control law runs here at control_hz;
 * between its ticks this is a few comparisons. NULL g gives {60, 1, 1}. */
vt_governor_setting vt_governor_decide(vt_governor *g, int64_t now_ns, uint32_t state, bool input);

/* Changes the budget (the operator's config or schedule); 0 removes it. Negative or NaN
 * values are ignored. Takes effect at the next control tick. */
void vt_governor_set_budget(vt_governor *g, double watts);

void vt_governor_status_get(const vt_governor *g, vt_governor_status *out);

#endif
