/* A simulated installation for the governor's tests: a GPU whose power follows the frame load,
 * a meter that samples every 100 ms and reports a 1 s moving average with noise, and scripts of
 * load steps, budget changes and visitors. Header-only; include once per test. */
#ifndef GOVERNOR_PLANT_H
#define GOVERNOR_PLANT_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "governor/vt_governor.h"
#include "scene/vt_scene.h"

/* Power = idle - display x (1 - brightness) + dyn_w x (1 - exp(-(u / u0)^shape)), where the
 * GPU's utilisation u = fps x scale^2 x load / capacity_fps (<= 1: the GPU can't do more).
 * The curve is flat near idle (clocks stay low), steep in the middle, and saturates. */
typedef struct plant_desc {
    const char *name;
    double idle_w, dyn_w, capacity_fps, u0, shape, display_w;
    double noise_w;  /* standard deviation of one sample */
    double sample_s; /* the meter samples this often */
    int window;      /* and reports the mean of this many samples */
} plant_desc;

/* Fitted to an H100: idle 71 W; 30 fps 81 W; 60 fps 110 W; uncapped (190 fps) 124 W. */
static const plant_desc plant_h100 = {"h100", 71, 53, 190, 0.2818, 2.5, 0, 1.5, 0.1, 10};
/* A kiosk (small PC + display): idle 8 W (3 W of it the display), uncapped 35 W. */
static const plant_desc plant_kiosk = {"kiosk", 8, 27, 75, 0.5, 1.5, 3, 0.25, 0.1, 10};
/* The same small PC behind a wall meter with a large screen: 15 W of the 20 W idle floor is the
 * display at full brightness, linear in brightness. */
static const plant_desc plant_screen = {"screen", 20, 27, 75, 0.5, 1.5, 15, 0.25, 0.1, 10};
/* A desktop PC behind a wall meter, as in the report of a 68 W budget (assumed, not measured):
 * idle 45 W, 60 fps 73.8 W, uncapped (150 fps) 84.9 W; 68 W is 48 fps at scale 1. */
static const plant_desc plant_desktop = {"desktop", 45, 40, 150, 0.35, 1.8, 0, 0.5, 0.1, 10};

/* SIM_SPIKE: a transient the frames do not explain (shader compilation, first uploads): the
 * machine draws at least `value` W from then on; 0 ends it. */
enum { SIM_BUDGET, SIM_LOAD, SIM_ATTRACT, SIM_ACTIVE, SIM_INPUT, SIM_SPIKE, SIM_END };

typedef struct sim_event {
    double t; /* s */
    int kind;
    double value; /* budget (W), load factor or spike (W) */
} sim_event;

#define SIM_MAX_SAMPLES 4096
#define SIM_MAX_INPUTS 16

/* What a run recorded: the meter every sample, and the setting each visitor's frame got. */
typedef struct sim_trace {
    int n;
    double t[SIM_MAX_SAMPLES], meter[SIM_MAX_SAMPLES], truth[SIM_MAX_SAMPLES];
    double budget[SIM_MAX_SAMPLES];
    int fps[SIM_MAX_SAMPLES];
    double scale[SIM_MAX_SAMPLES], bright[SIM_MAX_SAMPLES];
    double min_bright; /* the lowest brightness any frame got */
    int scale_changes; /* how often the render scale changed (each reallocates a target) */
    int inputs;
    vt_governor_setting input_setting[SIM_MAX_INPUTS];
    double energy_above_idle; /* J, over the whole run */
} sim_trace;

static uint64_t plant_rng_next(uint64_t *s) {
    *s ^= *s >> 12; /* xorshift64* */
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * UINT64_C(2685821657736338717);
}

static double plant_gauss(uint64_t *s) {
    double u1 = ((plant_rng_next(s) >> 11) + 1.0) / 9007199254740993.0;
    double u2 = (plant_rng_next(s) >> 11) / 9007199254740992.0;
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

static double plant_max_fps(const plant_desc *p, double load, double scale) {
    return p->capacity_fps / (load * scale * scale);
}

static double plant_watts(const plant_desc *p, double load, double fps, double scale,
                          double bright) {
    double u = fmin(fps * scale * scale * load / p->capacity_fps, 1.0);
    return p->idle_w - p->display_w * (1.0 - bright) +
           p->dyn_w * (1.0 - exp(-pow(u / p->u0, p->shape)));
}

/* Runs `events` (sorted by time, ending with SIM_END at the run's end) in 1 ms steps from
 * start_s: frames are paced at the governor's fps (or as fast as the GPU manages), decided one
 * by one. The scene starts active, at load 1, and the meter starts empty. */
static void sim_run(const plant_desc *p, vt_governor *g, const sim_event *events, uint64_t seed,
                    double start_s, sim_trace *tr) {
    uint64_t rng = seed * 2 + 1; /* odd: never the zero state */
    double load = 1.0, budget = 0, samples[64] = {0}, energy = 0, spike = 0;
    int head = 0, have = 0, ev = 0;
    uint32_t state = VT_STATE_ACTIVE, frames = 0;
    bool input = false;
    vt_governor_status st;
    vt_governor_status_get(g, &st);
    budget = st.budget_watts;
    vt_governor_setting s = {1, 1.0, 1.0};
    double rate = 1, sample_energy = 0;
    int64_t step = 1000000, sample_ns = (int64_t)(p->sample_s * 1e9 + 0.5);
    int64_t t0 = (int64_t)(start_s * 1e3) * step, next_frame = t0;
    memset(tr, 0, sizeof *tr);
    tr->min_bright = 1.0;
    for (int64_t t = t0;; t += step) {
        for (; events[ev].kind != SIM_END && events[ev].t * 1e9 <= (double)t; ev++) {
            const sim_event *e = &events[ev];
            if (e->kind == SIM_BUDGET) {
                budget = e->value;
                vt_governor_set_budget(g, budget);
            } else if (e->kind == SIM_LOAD) {
                load = e->value;
            } else if (e->kind == SIM_ATTRACT || e->kind == SIM_ACTIVE) {
                state = e->kind == SIM_ATTRACT ? VT_STATE_ATTRACT : VT_STATE_ACTIVE;
            } else if (e->kind == SIM_INPUT) {
                input = true;
                state = VT_STATE_ACTIVE;
            } else if (e->kind == SIM_SPIKE) {
                spike = e->value;
            }
        }
        if (events[ev].kind == SIM_END && events[ev].t * 1e9 <= (double)t) {
            break;
        }
        if (t >= next_frame) {
            double prev_scale = s.scale;
            s = vt_governor_decide(g, t, state, input);
            tr->min_bright = fmin(tr->min_bright, s.brightness);
            tr->scale_changes += s.scale != prev_scale && t > t0;
            if (input && tr->inputs < SIM_MAX_INPUTS) {
                tr->input_setting[tr->inputs++] = s;
            }
            input = false;
            rate = fmin(s.fps, plant_max_fps(p, load, s.scale));
            next_frame = t + (int64_t)(1e9 / rate);
            frames++;
        }
        double w = fmax(plant_watts(p, load, rate, s.scale, s.brightness), spike);
        sample_energy += w * (double)step / 1e9;
        energy += (w - p->idle_w) * (double)step / 1e9;
        if ((t + step) % sample_ns == 0) {
            samples[head] = sample_energy / p->sample_s + p->noise_w * plant_gauss(&rng);
            head = (head + 1) % p->window;
            have += have < p->window;
            sample_energy = 0;
            double sum = 0;
            for (int i = 0; i < have; i++) {
                sum += samples[i];
            }
            vt_governor_observe(g, t + step, sum / have, frames);
            frames = 0;
            if (tr->n < SIM_MAX_SAMPLES) {
                int n = tr->n++;
                tr->t[n] = (double)(t + step) / 1e9;
                tr->meter[n] = sum / have;
                tr->truth[n] = w;
                tr->budget[n] = budget;
                tr->fps[n] = s.fps;
                tr->scale[n] = s.scale;
                tr->bright[n] = s.brightness;
            }
        }
    }
    tr->energy_above_idle = energy;
}

/* Mean of the meter over [from, to) s. */
static double sim_mean(const sim_trace *tr, double from, double to) {
    double sum = 0;
    int n = 0;
    for (int i = 0; i < tr->n; i++) {
        if (tr->t[i] >= from && tr->t[i] < to) {
            sum += tr->meter[i];
            n++;
        }
    }
    return n ? sum / n : NAN;
}

/* Seconds after `from` until the meter stays within +-tol of `target` up to `to`. */
static double sim_settle(const sim_trace *tr, double from, double to, double target, double tol) {
    double last_out = from;
    for (int i = 0; i < tr->n; i++) {
        if (tr->t[i] >= from && tr->t[i] < to && fabs(tr->meter[i] - target) > tol * target) {
            last_out = tr->t[i];
        }
    }
    return last_out - from;
}

/* The meter's highest excess over `target` in [from, to), as a fraction of the target. */
static double sim_overshoot(const sim_trace *tr, double from, double to, double target) {
    double peak = 0;
    for (int i = 0; i < tr->n; i++) {
        if (tr->t[i] >= from && tr->t[i] < to) {
            peak = fmax(peak, (tr->meter[i] - target) / target);
        }
    }
    return peak;
}

#endif
