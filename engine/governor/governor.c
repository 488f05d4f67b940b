/* The governor's control law: a learnt power model (floor + watts per unit of frame load) as
 * feed-forward, corrected each tick from the meter, a dead band, and degrade/restore in order. */
#include "governor/vt_governor.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SLICES 64 /* measurements kept; covers the meter window at up to 64 readings */
#define NS 1e9
/* The start-up (shaders compiled, images uploaded: power the frames do not explain) lasts this
 * long after the first reading that counted a frame (s). */
#define STARTUP_S 2.5

/* One interval between two measurements: what the governor drew during it. */
typedef struct slice {
    int64_t end_ns;
    double dt;      /* s */
    double load;    /* sum over its frames of scale^2 (frame load, integrated) */
    double bright;  /* brightness integrated over dt */
    double cmd;     /* frame load it asked for: mean decided fps x scale^2, times dt */
    double p_model; /* W the model expected during it (to undo the meter's average) */
} slice;

struct vt_governor {
    vt_governor_desc d; /* with the defaults filled in */
    double budget;
    double level; /* 0..degrade_count: how far down the degrade path */
    double k;     /* W per (frame/s x scale^2), learnt */
    double min_seen;
    slice slices[SLICES];
    int head, count;
    bool have_obs, fresh, tick_due, impossible, capped, over, high;
    int64_t last_obs_ns, last_tick_ns, over_since_ns;
    double meter;
    double noise; /* RMS scatter of the recovered instantaneous power (W) */
    int64_t hold_until_ns;
    double hold_k, hold_p; /* after a step: sum of recovered slopes, and the power they imply */
    int hold_n;
    uint64_t steps_caught;
    double acc_s2, acc_b, acc_cmd; /* per-decide sums since the last measurement */
    uint64_t acc_n;
    uint64_t observations, rejected;
    vt_governor_setting last;
    /* The idle floor measured while nothing was drawn (still scenes, in play). */
    int64_t frames_seen_ns; /* the latest reading that counted frames */
    int64_t idle_period_ns; /* frames_seen_ns of the still period being averaged */
    double idle_sum, idle_measured, idle_before; /* before: the floor before this period */
    int idle_n;
    bool have_idle;
    /* W the display draws at full brightness, learnt from the meter's response to dimming. */
    double display_learnt;
    bool have_display, have_prev;
    double prev_meter, prev_load, prev_bright; /* the previous tick's window */
    double scale_q;    /* the quantised render scale (the uncapped level's), with hysteresis */
    int64_t switch_ns; /* the latest change between capped (attract) and uncapped decisions */
    bool switched;
    /* The start-up: readings count once the meter's window is past it (see counts()). */
    bool started; /* a reading counted a frame: the start-up ends STARTUP_S after it */
    int64_t startup_end_ns;
    /* The active state's latest tick clear of attract's frames, for the next visitor: the
     * meter, the window's frame load and brightness, and the level the law left. */
    bool have_active;
    double active_p, active_load, active_bright, active_level;
};

static bool bad(double v, double lo, double hi) {
    return !(v >= lo && v <= hi); /* also catches NaN */
}

static vt_status check_actuators(const vt_governor_desc *d, vt_error *err) {
    if (d->degrade_count < 0 || d->degrade_count > VT_GOVERNOR_MAX_ACTUATORS) {
        return VT_FAIL(err, VT_E_DATAERR,
                       "energy: degrade lists %d actuators; list at most 3 of fps, scale, "
                       "brightness",
                       d->degrade_count);
    }
    bool seen[VT_GOVERNOR_MAX_ACTUATORS] = {false};
    for (int i = 0; i < d->degrade_count; i++) {
        unsigned a = (unsigned)d->degrade[i];
        if (a >= VT_GOVERNOR_MAX_ACTUATORS) {
            return VT_FAIL(err, VT_E_DATAERR,
                           "energy: degrade[%d] is not an actuator (%u); use fps, scale or "
                           "brightness",
                           i, a);
        }
        if (seen[a]) {
            return VT_FAIL(err, VT_E_DATAERR,
                           "energy: degrade lists the same actuator twice (at %d); list each "
                           "once",
                           i);
        }
        seen[a] = true;
    }
    return VT_OK;
}

static vt_status check_desc(const vt_governor_desc *d, vt_error *err) {
    if (bad(d->budget_watts, 0, 1e6)) {
        return VT_FAIL(err, VT_E_DATAERR,
                       "energy: budget_watts (%g) is out of range; give "
                       "watts between 0 (no budget) and 1000000",
                       d->budget_watts);
    }
    if (d->fps_max < 1 || d->fps_max > 1000 || d->fps_min < 1 || d->fps_min > d->fps_max) {
        return VT_FAIL(err, VT_E_DATAERR,
                       "energy: fps.min (%d) and fps.max (%d) must satisfy "
                       "1 <= min <= max <= 1000; lower fps.min or raise fps.max",
                       d->fps_min, d->fps_max);
    }
    if (bad(d->scale_min, 0.05, 1) || bad(d->brightness_min, 0.05, 1)) {
        return VT_FAIL(err, VT_E_DATAERR,
                       "energy: scale.min (%g) and brightness.min (%g) "
                       "must be between 0.05 and 1",
                       d->scale_min, d->brightness_min);
    }
    if (d->attract_fps < 1 || bad(d->attract_scale, 0.05, 1) ||
        bad(d->attract_brightness, 0.05, 1)) {
        return VT_FAIL(err, VT_E_DATAERR,
                       "energy: attract fps (%d), scale (%g), brightness "
                       "(%g) are out of range; fps >= 1, scale and brightness in 0.05..1",
                       d->attract_fps, d->attract_scale, d->attract_brightness);
    }
    if (bad(d->control_hz, 0.1, 100) || bad(d->sensor_window_s, 0.01, 60) ||
        bad(d->deadband, 0.001, 0.5)) {
        return VT_FAIL(err, VT_E_DATAERR,
                       "energy: control_hz (%g), sensor_window_s (%g) or "
                       "deadband (%g) is out of range (0.1..100 Hz, 0.01..60 s, 0.001..0.5)",
                       d->control_hz, d->sensor_window_s, d->deadband);
    }
    if (bad(d->idle_watts, 0, 1e6) || bad(d->display_watts, 0, 1e6)) {
        return VT_FAIL(err, VT_E_DATAERR,
                       "energy: idle_watts (%g) and display_watts (%g) "
                       "must be between 0 and 1000000",
                       d->idle_watts, d->display_watts);
    }
    return check_actuators(d, err);
}

static vt_governor_desc with_defaults(const vt_governor_desc *in) {
    vt_governor_desc d = in ? *in : (vt_governor_desc){0};
    d.fps_max = d.fps_max ? d.fps_max : 60;
    d.fps_min = d.fps_min ? d.fps_min : (d.fps_max < 10 ? d.fps_max : 10);
    d.scale_min = d.scale_min > 0 ? d.scale_min : 0.5;
    d.brightness_min = d.brightness_min > 0 ? d.brightness_min : 0.6;
    if (d.degrade_count == 0) {
        d.degrade[0] = VT_ACT_FPS;
        d.degrade[1] = VT_ACT_SCALE;
        d.degrade_count = 2;
    }
    d.attract_fps = d.attract_fps ? d.attract_fps : 12;
    d.attract_scale = d.attract_scale > 0 ? d.attract_scale : 0.6;
    d.attract_brightness = d.attract_brightness > 0 ? d.attract_brightness : 1.0;
    d.control_hz = d.control_hz > 0 ? d.control_hz : 4;
    d.sensor_window_s = d.sensor_window_s > 0 ? d.sensor_window_s : 1.0;
    d.deadband = d.deadband > 0 ? d.deadband : 0.02;
    return d;
}

vt_status vt_governor_create(const vt_governor_desc *desc, vt_governor **out, vt_error *err) {
    if (!out) {
        return VT_FAIL(err, VT_E_SOFTWARE, "vt_governor_create: out is NULL");
    }
    *out = NULL;
    vt_governor_desc d = with_defaults(desc);
    vt_status st = check_desc(&d, err);
    if (st != VT_OK) {
        return st;
    }
    vt_governor *g = vt_xcalloc(1, sizeof *g);
    g->d = d;
    g->budget = d.budget_watts;
    g->min_seen = INFINITY;
    g->last = (vt_governor_setting){d.fps_max, 1.0, 1.0};
    g->scale_q = 1.0;
    *out = g;
    return VT_OK;
}

void vt_governor_destroy(vt_governor *g) {
    free(g);
}

void vt_governor_set_budget(vt_governor *g, double watts) {
    if (g && !bad(watts, 0, 1e6)) {
        g->budget = watts;
        g->tick_due = true; /* act at the next decision, not a tick later */
    }
}

/* ---- The degrade path: level 0 is full, level i+1 has actuator degrade[i] at its minimum ---- */

static double clamp(double v, double lo, double hi) {
    return v < lo ? lo : (v > hi ? hi : v);
}

typedef struct cont_setting {
    double fps, scale, bright;
} cont_setting;

static cont_setting at_level(const vt_governor *g, double level, bool capped) {
    const vt_governor_desc *d = &g->d;
    cont_setting s = {d->fps_max, 1.0, 1.0};
    for (int i = 0; i < d->degrade_count; i++) {
        double t = clamp(level - i, 0, 1);
        switch (d->degrade[i]) {
        case VT_ACT_FPS:
            s.fps = d->fps_max - t * (d->fps_max - d->fps_min);
            break;
        case VT_ACT_SCALE:
            s.scale = 1.0 - t * (1.0 - d->scale_min);
            break;
        case VT_ACT_BRIGHTNESS:
            s.bright = 1.0 - t * (1.0 - d->brightness_min);
            break;
        }
    }
    if (capped) {
        /* The scene's own caps: fps.min and scale.min bound only what the budget takes away
         * (as brightness.min bounds only its dimming), so attract may go below them. */
        s.fps = fmin(s.fps, clamp(d->attract_fps, 1, d->fps_max));
        s.scale = fmin(s.scale, clamp(d->attract_scale, 0.05, 1.0));
        /* brightness.min bounds the dimming that saves power, not the scene's own attract cap */
        s.bright = fmin(s.bright, d->attract_brightness);
    }
    return s;
}

/* The floor at full brightness: given, else measured while still, else a guess. */
static double idle_floor(const vt_governor *g) {
    if (g->d.idle_watts > 0) {
        return g->d.idle_watts;
    }
    if (g->have_idle) {
        return g->idle_measured;
    }
    return isfinite(g->min_seen) ? 0.5 * g->min_seen : 0.0;
}

/* The display's share of the floor: given, else learnt from dimming, else a guess. */
static double display_w(const vt_governor *g) {
    if (g->d.display_watts > 0) {
        return g->d.display_watts;
    }
    return g->have_display ? g->display_learnt : 0.2 * idle_floor(g);
}

/* The feed-forward model: floor, less what dimming saves, plus k per unit of frame load. */
static double model_watts(const vt_governor *g, cont_setting s) {
    return idle_floor(g) - display_w(g) * (1.0 - s.bright) + g->k * s.fps * s.scale * s.scale;
}

/* The least degraded level the model expects to meet the budget (power falls as level grows). */
static double solve_level(const vt_governor *g, double budget, bool capped) {
    double hi = g->d.degrade_count, lo = 0;
    if (model_watts(g, at_level(g, 0, capped)) <= budget) {
        return 0;
    }
    if (model_watts(g, at_level(g, hi, capped)) > budget) {
        return hi;
    }
    for (int i = 0; i < 40; i++) {
        double mid = 0.5 * (lo + hi);
        if (model_watts(g, at_level(g, mid, capped)) <= budget) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    return hi;
}

/* ---- Measurements ---- */

/* Whether a reading taken at now_ns counts toward the control law: not while the meter's window
 * still holds any of the start-up, nor before the first frame. */
static bool counts(const vt_governor *g, int64_t now_ns) {
    return g->started && (double)(now_ns - g->startup_end_ns) / NS >= g->d.sensor_window_s;
}

typedef struct window {
    double load;    /* frame load a second (frames/s x scale^2), averaged */
    double bright;  /* brightness, averaged */
    double covered; /* s */
} window;

/* Averages the slices over [end_s - window, end_s], the meter's own window, so the learnt slope
 * compares like with like: the meter reports a moving average, and so does this. */
static bool window_avg(const vt_governor *g, double end_s, window *w) {
    double start = end_s - g->d.sensor_window_s;
    double load = 0, bright = 0, covered = 0;
    for (int i = 0; i < g->count; i++) {
        const slice *s = &g->slices[(g->head - i + SLICES) % SLICES];
        double end = (double)s->end_ns / NS, begin = end - s->dt;
        if (end <= start) {
            break;
        }
        double part = begin >= start ? 1.0 : (end - start) / s->dt;
        load += s->load * part;
        bright += s->bright * part;
        covered += s->dt * part;
    }
    if (covered <= 0) {
        return false;
    }
    *w = (window){load / covered, bright / covered, covered};
    return true;
}

/* Energy (J) the model put in [from_s, to_s]: what left the meter's window since last time. */
static double model_energy(const vt_governor *g, double from_s, double to_s) {
    double e = 0;
    for (int i = 0; i < g->count; i++) {
        const slice *s = &g->slices[(g->head - i + SLICES) % SLICES];
        double end = (double)s->end_ns / NS, begin = end - s->dt;
        if (end <= from_s) {
            break;
        }
        double overlap = fmin(end, to_s) - fmax(begin, from_s);
        e += overlap > 0 ? overlap * s->p_model : 0;
    }
    return e;
}

static double floor_at(const vt_governor *g, double bright) {
    return idle_floor(g) - display_w(g) * (1.0 - bright);
}

/* The frame load a second during slice s: what was asked for (free of the jitter of counting
 * whole frames in a short interval), scaled down by the share of it actually drawn lately (a
 * GPU that can't keep up, or a still scene drawing nothing). *steady: that share hasn't moved. */
static double slice_rate(const vt_governor *g, const slice *s, bool *steady) {
    double ach = s->load, cmd = s->cmd, span = s->dt;
    for (int i = 0; i < g->count && span < 0.5; i++) {
        const slice *o = &g->slices[(g->head - i + SLICES) % SLICES];
        ach += o->load;
        cmd += o->cmd;
        span += o->dt;
    }
    double share = cmd > 0 ? fmin(ach / cmd, 1.0) : 0;
    double own = s->cmd > 0 ? fmin(s->load / s->cmd, 1.0) : 0;
    /* Steady: drawing its usual share, at the rate the previous slice asked for (a change the
     * governor made itself is the normal law's business, not a step in the scene). */
    const slice *prev = &g->slices[g->head];
    double prev_rate = g->count ? prev->cmd / prev->dt : 0, rate = s->cmd / s->dt;
    *steady = fabs(own - share) < 0.3 && fabs(rate - prev_rate) <= 0.1 * prev_rate;
    return rate * share;
}

/* The fast path for a sudden load step: the meter's moving average reveals it only a tenth a
 * sample at a time, so the power drawn during the newest interval is recovered from the change
 * of the average and what left its window. A jump far above the noise is acted on at once. */
static void catch_step(vt_governor *g, int64_t now_ns, double watts, slice *s) {
    double now = (double)now_ns / NS, prev = (double)g->last_obs_ns / NS, T = g->d.sensor_window_s;
    bool steady;
    double rate = slice_rate(g, s, &steady), floor = floor_at(g, s->bright / s->dt);
    s->p_model = floor + g->k * rate;
    window w;
    /* The share drawn is known from half a second of frames on this side of a switch. */
    bool settled = !g->switched || (double)(now_ns - g->switch_ns) / NS >= 0.5;
    if (!counts(g, now_ns) || !settled || !steady || rate <= 0 || g->k <= 0 ||
        !window_avg(g, prev, &w) || w.covered < 0.99 * T) {
        return; /* the start-up, a switch's first half second, nothing steady to compare
                 * with, or the meter's window isn't full yet */
    }
    double p_now = (T * (watts - g->meter) + model_energy(g, prev - T, now - T)) / s->dt;
    double dev = p_now - s->p_model;
    /* A single slice 5 sigma high, or two in a row 3 sigma high, is a step, not noise; and only
     * a rise that breaks the budget needs the fast path. */
    bool big = dev > fmax(5.0 * g->noise, 0.03 * g->budget);
    bool again = dev > fmax(3.0 * g->noise, 0.02 * g->budget);
    bool tripped = big || (again && g->high);
    g->high = again;
    bool hold = now_ns < g->hold_until_ns;
    if (g->budget > 0 && tripped && p_now > g->budget * (1 + 2 * g->d.deadband)) {
        g->high = false;
        g->k = fmax(g->k, (p_now - floor) / rate);
        g->level = fmax(g->level, solve_level(g, g->budget, g->capped));
        g->hold_until_ns = now_ns + (int64_t)(1.1 * T * NS);
        g->hold_k = g->hold_n = 0;
        g->steps_caught++;
    } else if (hold) { /* the meter still mixes before and after: trust the recovered power */
        g->hold_k += (p_now - floor) / rate;
        g->hold_n++;
        g->hold_p = floor + g->hold_k / g->hold_n * rate;
        g->tick_due = true; /* these estimates are current: act on each */
    } else {
        double d = fmin(fabs(dev), 4.0 * g->noise); /* an outlier must not teach the scale */
        g->noise = sqrt(g->noise * g->noise + 0.05 * (d * d - g->noise * g->noise));
    }
}

/* A reading whose meter window holds no frame at all (a still scene) measures the floor: the
 * mean of each still period's readings, the lowest period winning (a fan or a background task
 * only ever adds). The display's dimming at the time is added back: the floor is at full
 * brightness. */
static void observe_idle(vt_governor *g, int64_t now_ns, double watts, uint32_t frames_drawn) {
    if (frames_drawn > 0 || !g->have_obs) {
        g->frames_seen_ns = now_ns;
        return;
    }
    /* The meter's window, a quarter more for its own lag, and one 100 ms sample. */
    double still_s = (double)(now_ns - g->frames_seen_ns) / NS;
    if (still_s < 1.25 * g->d.sensor_window_s + 0.1 || !counts(g, now_ns)) {
        return; /* a start-up's power is not the floor's */
    }
    if (g->idle_period_ns != g->frames_seen_ns) {
        g->idle_period_ns = g->frames_seen_ns;
        g->idle_sum = 0;
        g->idle_n = 0;
        g->idle_before = g->have_idle ? g->idle_measured : INFINITY;
    }
    g->idle_sum += watts + display_w(g) * (1.0 - g->last.brightness);
    g->idle_n++;
    double mean = g->idle_sum / g->idle_n;
    g->idle_measured = fmin(g->idle_before, mean);
    g->have_idle = true;
}

void vt_governor_observe(vt_governor *g, int64_t now_ns, double watts, uint32_t frames_drawn) {
    if (!g) {
        return;
    }
    if (bad(watts, 0, 1e7) || (g->have_obs && now_ns <= g->last_obs_ns)) {
        g->rejected++;
        return;
    }
    if (frames_drawn > 0 && !g->started) {
        g->started = true;
        g->startup_end_ns = now_ns + (int64_t)(STARTUP_S * NS);
    }
    if (!g->have_obs) {
        g->noise = 0.02 * watts; /* a first guess; learnt from the readings' scatter */
    } else {
        /* The frames of this interval were drawn at the scales decided since the last reading. */
        double s2 = g->acc_n ? g->acc_s2 / (double)g->acc_n : g->last.scale * g->last.scale;
        double b = g->acc_n ? g->acc_b / (double)g->acc_n : g->last.brightness;
        double dt = (double)(now_ns - g->last_obs_ns) / NS;
        double cmd = g->acc_n ? g->acc_cmd / (double)g->acc_n : g->last.fps * s2;
        slice s = {now_ns, dt, frames_drawn * s2, b * dt, cmd * dt, 0};
        catch_step(g, now_ns, watts, &s);
        g->head = (g->head + 1) % SLICES;
        g->slices[g->head] = s;
        g->count += g->count < SLICES;
        g->fresh = true;
    }
    observe_idle(g, now_ns, watts, frames_drawn);
    g->have_obs = true;
    g->last_obs_ns = now_ns;
    g->meter = watts;
    g->min_seen = fmin(g->min_seen, watts);
    g->acc_s2 = g->acc_b = g->acc_cmd = 0;
    g->acc_n = 0;
    g->observations++;
}

/* ---- The control law ---- */

/* Share of the model's correction taken per tick: less than all of it, because the plant is
 * not linear and the meter lags; restoring is slower than degrading, the budget binds. */
#define GAIN_DOWN 0.7
#define GAIN_UP 0.5
#define MAX_UP 0.25 /* levels per tick */

static void track_impossible(vt_governor *g, int64_t now, bool over) {
    bool at_min = g->level >= g->d.degrade_count - 1e-9;
    if (!(at_min && over)) {
        g->over = false;
        g->impossible = false;
        return;
    }
    if (!g->over) {
        g->over = true;
        g->over_since_ns = now;
    }
    /* Wait for the meter to see the minimum settings before saying the budget can't be met. */
    if ((double)(now - g->over_since_ns) / NS >= 1.5 * g->d.sensor_window_s) {
        g->impossible = true;
    }
}

/* Feed-forward for brightness: the watts the display draws at full brightness, from how the
 * meter moved when the window's mean brightness did, less what the frame load explains. Only a
 * meter that sees the display (a wall meter) shows it; others teach 0, and dimming then saves
 * nothing in the model. Small moves are mostly noise: they weigh less. */
static void learn_display(vt_governor *g, const window *w) {
    double db = w->bright - g->prev_bright;
    if (g->have_prev && fabs(db) >= 0.02 && g->d.display_watts <= 0) {
        double est = (g->meter - g->prev_meter - g->k * (w->load - g->prev_load)) / db;
        est = clamp(est, 0, idle_floor(g)); /* the display is part of the floor */
        double gain = 0.5 * fmin(1.0, fabs(db) / 0.1);
        g->display_learnt =
            g->have_display ? g->display_learnt + gain * (est - g->display_learnt) : est;
        g->have_display = true;
    }
    g->have_prev = true;
    g->prev_meter = g->meter;
    g->prev_load = w->load;
    g->prev_bright = w->bright;
}

static void control(vt_governor *g, int64_t now, bool capped) {
    g->fresh = g->tick_due = false;
    g->last_tick_ns = now;
    double budget = g->budget;
    window w;
    if (budget <= 0) {
        g->level = 0;
        g->impossible = false;
        return;
    }
    if (!counts(g, g->last_obs_ns) || !window_avg(g, (double)g->last_obs_ns / NS, &w)) {
        return; /* the start-up does not count toward degrading */
    }
    learn_display(g, &w);
    bool hold = now < g->hold_until_ns; /* after a step: the window still mixes old and new */
    /* The meter's window still holds frames of the other side of a visitor's coming or going. */
    bool mixed = g->switched && (double)(now - g->switch_ns) / NS < 1.25 * g->d.sensor_window_s;
    double watts = g->meter;
    if (hold && g->hold_n >= 1) {
        g->k = g->hold_k / g->hold_n;
        watts = g->hold_p;
    } else if (w.load > 1e-9 && !hold && !(mixed && !capped)) {
        /* Not from attract's frames for a visitor's: the slope set on entering stays. */
        g->k = fmax((g->meter - floor_at(g, w.bright)) / w.load, 1e-9);
    }
    double err = (watts - budget) / budget;
    double target = solve_level(g, budget, capped);
    if (err > g->d.deadband && target > g->level) {
        g->level += (hold ? 1.0 : GAIN_DOWN) * (target - g->level);
        if (target - g->level < 0.01) { /* the rest of the way: a minimum is then exact */
            g->level = target;
        }
    } else if (err < -g->d.deadband && !hold && !mixed && target < g->level) {
        /* Not while the window mixes both sides: the measurement is of neither. */
        g->level -= fmin(GAIN_UP * (g->level - target), MAX_UP);
    }
    if (!capped && !mixed && !hold && w.load > 1e-9) {
        g->have_active = true;
        g->active_p = g->meter;
        g->active_load = w.load;
        g->active_bright = w.bright;
        g->active_level = g->level;
    }
    track_impossible(g, now, err > g->d.deadband);
}

/* A visitor: the level the active state's model predicts for the budget, never attract's (in
 * attract the frames are capped and the slope learnt there says little of a visitor's frames).
 * The model is the active state's latest measurement, its slope learnt again over the floor now
 * assumed; the level the law left then stays if that measurement is within the dead band of the
 * budget (the law would not move it either). Before any active period, the model assumes full
 * quality meets the budget: the visitor gets full quality, and the meter tells within its
 * window. */
static void enter_active(vt_governor *g) {
    g->hold_until_ns = 0;
    g->high = false;
    if (g->budget <= 0) {
        g->level = 0;
        return;
    }
    if (g->have_active) {
        g->k = fmax((g->active_p - floor_at(g, g->active_bright)) / g->active_load, 1e-9);
        if (fabs(g->active_p - g->budget) <= g->d.deadband * g->budget) {
            g->level = g->active_level;
            return;
        }
    } else {
        cont_setting full = at_level(g, 0, false);
        double load = full.fps * full.scale * full.scale;
        g->k = fmax((g->budget - floor_at(g, full.bright)) / load, 1e-9);
    }
    g->level = solve_level(g, g->budget, false);
}

static double step01(double v, double lo) {
    return clamp(round(v * 100.0) / 100.0, lo, 1.0);
}

/* Each change of the render scale reallocates the offscreen target, so the scale moves in steps
 * of VT_GOVERNOR_SCALE_STEP (and to scale.min and 1 exactly), and the frame rate makes up the
 * difference: the frames drawn a second x scale^2 stay those of the continuous setting u, so the
 * power follows the controller as if the scale were continuous. A step is kept as long as the
 * frame rate can make up for it (within fps bounds, less than a step away): no dithering. */
static void quantise_scale(vt_governor *g, cont_setting *u) {
    const double step = VT_GOVERNOR_SCALE_STEP, lo = g->d.scale_min;
    double v = u->scale, pix = u->fps * v * v;
    if (v >= 1.0 - 1e-9 || v <= lo + 1e-9) {
        g->scale_q = v >= 1.0 - 1e-9 ? 1.0 : lo;
        u->scale = g->scale_q;
        return;
    }
    /* Half a frame of room either way: the frame rate is rounded to whole frames after this. */
    double fps_lo = g->d.fps_min - 0.5, fps_hi = g->d.fps_max + 0.5, q = g->scale_q;
    bool keep = fabs(q - v) < step && pix / (q * q) >= fps_lo && pix / (q * q) <= fps_hi;
    if (!keep) {
        double k = floor(v / step + 1e-9);
        double dn = fmax(lo, k * step), up = fmin(1.0, (k + 1) * step);
        bool dn_ok = pix / (dn * dn) <= fps_hi, up_ok = pix / (up * up) >= fps_lo;
        bool nearer_dn = v - dn <= up - v;
        q = dn_ok && (!up_ok || nearer_dn) ? dn : up_ok ? up : nearer_dn ? dn : up;
    }
    g->scale_q = q;
    u->scale = q;
    u->fps = clamp(pix / (q * q), g->d.fps_min, g->d.fps_max);
}

vt_governor_setting vt_governor_decide(vt_governor *g, int64_t now_ns, uint32_t state, bool input) {
    if (!g) {
        return (vt_governor_setting){60, 1.0, 1.0};
    }
    bool capped = !g->d.attract_full && state == VT_GOVERNOR_ATTRACT && !input;
    if (capped != g->capped) {
        g->switch_ns = now_ns;
        g->switched = true;
        if (!capped) {
            enter_active(g);
        }
    }
    g->capped = capped;
    double period_ns = NS / g->d.control_hz;
    if (g->fresh && (g->tick_due || (double)(now_ns - g->last_tick_ns) >= period_ns ||
                     now_ns < g->last_tick_ns)) {
        control(g, now_ns, capped);
    }
    /* The level's own setting, its scale in steps, then the attract caps (exact). */
    cont_setting s = at_level(g, g->level, false);
    quantise_scale(g, &s);
    double cap_fps = g->d.fps_max, cap_scale = 1.0, bright = s.bright, fps_floor = g->d.fps_min;
    if (capped) { /* below fps.min and scale.min when the scene asks (at_level) */
        cap_fps = clamp(g->d.attract_fps, 1, g->d.fps_max);
        cap_scale = clamp(g->d.attract_scale, 0.05, 1.0);
        fps_floor = fmin(fps_floor, cap_fps);
        bright = at_level(g, g->level, true).bright;
    }
    vt_governor_setting out;
    out.fps = (int)clamp(lround(fmin(s.fps, cap_fps)), fps_floor, g->d.fps_max);
    out.scale = fmin(s.scale, cap_scale);
    out.brightness = step01(bright, capped ? fmin(g->d.brightness_min, g->d.attract_brightness)
                                           : g->d.brightness_min);
    g->acc_s2 += out.scale * out.scale;
    g->acc_b += out.brightness;
    g->acc_cmd += out.fps * out.scale * out.scale;
    g->acc_n++;
    g->last = out;
    return out;
}

void vt_governor_status_get(const vt_governor *g, vt_governor_status *out) {
    if (!out) {
        return;
    }
    memset(out, 0, sizeof *out);
    if (!g) {
        return;
    }
    out->budget_watts = g->budget;
    out->last_watts = g->have_obs ? g->meter : 0;
    out->idle_watts = idle_floor(g);
    out->idle_measured = g->have_idle && g->d.idle_watts <= 0;
    out->display_watts = display_w(g);
    out->watts_per_load = g->k;
    out->level = g->level;
    out->setting = g->last;
    out->observations = g->observations;
    out->rejected = g->rejected;
    out->impossible = g->impossible;
    out->capped = g->capped;
    out->steps_caught = g->steps_caught;
}
