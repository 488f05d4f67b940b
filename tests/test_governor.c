/* The governor's controller, unit by unit: desc checks, degrade and restore order, hysteresis,
 * bounds, attract caps, `attract: full`, hostile measurements. */
#include "governor/vt_governor.h"
#include "scene/vt_scene.h"
#include "vt_test.h"

#define MS INT64_C(1000000)

static vt_governor *make(vt_governor_desc d) {
    vt_governor *g = NULL;
    vt_error err;
    if (vt_governor_create(&d, &g, &err) != VT_OK) {
        fprintf(stderr, "vt_governor_create: %s\n", err.message);
        exit(1);
    }
    return g;
}

static void test_desc(void) {
    static const struct {
        vt_governor_desc d;
        const char *message;
    } bad[] = {
        {{.fps_min = 70},
         "energy: fps.min (70) and fps.max (60) must satisfy 1 <= min <= max "
         "<= 1000; lower fps.min or raise fps.max"},
        {{.budget_watts = -1},
         "energy: budget_watts (-1) is out of range; give watts between 0 "
         "(no budget) and 1000000"},
        {{.budget_watts = NAN},
         "energy: budget_watts (nan) is out of range; give watts between "
         "0 (no budget) and 1000000"},
        {{.scale_min = 1.5},
         "energy: scale.min (1.5) and brightness.min (0.6) must be between "
         "0.05 and 1"},
        {{.degrade = {VT_ACT_FPS, VT_ACT_FPS}, .degrade_count = 2},
         "energy: degrade lists the same actuator twice (at 1); list each once"},
        {{.degrade = {(vt_actuator)7}, .degrade_count = 1},
         "energy: degrade[0] is not an actuator (7); use fps, scale or brightness"},
        {{.degrade_count = 4},
         "energy: degrade lists 4 actuators; list at most 3 of fps, scale, "
         "brightness"},
        {{.control_hz = 1000},
         "energy: control_hz (1000), sensor_window_s (1) or deadband "
         "(0.02) is out of range (0.1..100 Hz, 0.01..60 s, 0.001..0.5)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        vt_governor *g = (vt_governor *)&bad[i]; /* must come back NULL */
        vt_error err = {0};
        VT_CHECK_INT(vt_governor_create(&bad[i].d, &g, &err), VT_E_DATAERR);
        VT_CHECK(g == NULL);
        VT_CHECK_STR(err.message, bad[i].message);
    }
    vt_governor *g = NULL;
    VT_CHECK_INT(vt_governor_create(NULL, &g, NULL), VT_OK); /* every default */
    VT_CHECK_INT(vt_governor_create(NULL, NULL, NULL), VT_E_SOFTWARE);
    vt_governor_setting s = vt_governor_decide(g, 0, VT_STATE_ACTIVE, false);
    VT_CHECK_INT(s.fps, 60);
    VT_CHECK_NEAR(s.scale, 1.0, 0);
    VT_CHECK_NEAR(s.brightness, 1.0, 0);
    s = vt_governor_decide(g, 1, VT_STATE_ATTRACT, false);
    VT_CHECK_INT(s.fps, 12);
    VT_CHECK_NEAR(s.scale, 0.6, 0);
    vt_governor_destroy(g);
    vt_governor_destroy(NULL);
    s = vt_governor_decide(NULL, 0, 0, false);
    VT_CHECK_INT(s.fps, 60);
    vt_governor_observe(NULL, 0, 1, 1);
    vt_governor_set_budget(NULL, 1);
    vt_governor_status st = {.impossible = true};
    vt_governor_status_get(NULL, &st);
    VT_CHECK(!st.impossible);
}

/* A plant with an instant meter: watts = 50 + watts_per_load x fps x scale^2 + 10 x
 * brightness. Runs `secs` of frames at the decided rate, measuring every 100 ms, and calls
 * `seen` with each decision. */
typedef struct toy {
    vt_governor *g;
    int64_t t;
    double per_load;
    vt_governor_setting s;
    uint32_t state;
    double noise; /* W, a fixed saw-tooth pattern: meters jitter */
} toy;

static void toy_run(toy *p, double secs, void (*seen)(void *, vt_governor_setting), void *ctx) {
    int64_t end = p->t + (int64_t)(secs * 1000) * MS, next_obs = p->t + 100 * MS;
    uint32_t frames = 0;
    while (p->t < end) {
        p->s = vt_governor_decide(p->g, p->t, p->state, false);
        if (seen) {
            seen(ctx, p->s);
        }
        frames++;
        p->t += 1000 * MS / p->s.fps;
        if (p->t >= next_obs) {
            double w = 50 + p->per_load * p->s.fps * p->s.scale * p->s.scale + 10 * p->s.brightness;
            w += p->noise * (double)(p->t / (100 * MS) % 7 - 3) / 3.0;
            vt_governor_observe(p->g, p->t, w, frames);
            frames = 0;
            next_obs = p->t + 100 * MS;
        }
    }
}

typedef struct order {
    vt_governor_setting prev;
    int violations, changes;
    bool restoring;
} order;

/* Degrading: scale moves only once fps is at its minimum (give or take the frames that make up
 * for the scale's 0.05 steps); brightness only once scale is at its minimum; the pixels drawn a
 * second never rise (by more than whole-frame rounding). Restoring: the reverse. */
static void check_order(void *ctx, vt_governor_setting s) {
    order *o = ctx;
    vt_governor_setting p = o->prev;
    if (s.fps != p.fps || s.scale != p.scale || s.brightness != p.brightness) {
        o->changes++;
    }
    double pix = s.fps * s.scale * s.scale, prev_pix = p.fps * p.scale * p.scale;
    if (!o->restoring) {
        o->violations +=
            (s.scale < p.scale && s.fps > 12) + (s.brightness < p.brightness && s.scale > 0.5);
        o->violations += pix > prev_pix * 1.12 || s.scale > p.scale || s.brightness > p.brightness;
    } else {
        o->violations += (s.fps > p.fps && s.scale < 1.0 && s.fps > 12) +
                         (s.scale > p.scale && s.brightness < 1.0);
        o->violations += pix < prev_pix / 1.12 || s.scale < p.scale || s.brightness < p.brightness;
    }
    /* Bounds, always. */
    o->violations += s.fps < 10 || s.fps > 60 || s.scale < 0.5 || s.scale > 1.0 ||
                     s.brightness < 0.6 || s.brightness > 1.0;
    o->prev = s;
}

static void test_order(void) {
    vt_governor_desc d = {.budget_watts = 60,
                          .idle_watts = 60,
                          .display_watts = 10,
                          .sensor_window_s = 0.1,
                          .degrade = {VT_ACT_FPS, VT_ACT_SCALE, VT_ACT_BRIGHTNESS},
                          .degrade_count = 3};
    toy p = {make(d), 1000 * MS, 1.0, {60, 1, 1}, VT_STATE_ACTIVE, 0};
    order o = {{60, 1.0, 1.0}, 0, 0, false};
    toy_run(&p, 20, check_order, &o);
    VT_CHECK_INT(o.violations, 0);
    /* At minimum fps and scale the plant still draws 62.5 W at full brightness: only dimming
     * (to 0.75) meets the 60 W budget. */
    VT_CHECK_INT(p.s.fps, 10);
    VT_CHECK_NEAR(p.s.scale, 0.5, 0);
    VT_CHECK(p.s.brightness < 1.0);
    vt_governor_status st;
    vt_governor_status_get(p.g, &st);
    VT_CHECK(!st.impossible);
    VT_CHECK(st.level > 2.0);
    /* Now the budget allows everything: restore, brightness first, fps last. */
    vt_governor_set_budget(p.g, 200);
    o.restoring = true;
    o.violations = 0;
    toy_run(&p, 20, check_order, &o);
    VT_CHECK_INT(o.violations, 0);
    VT_CHECK_INT(p.s.fps, 60);
    VT_CHECK_NEAR(p.s.scale, 1.0, 0);
    VT_CHECK_NEAR(p.s.brightness, 1.0, 0);
    vt_governor_destroy(p.g);
}

/* Under a constant load the settings stop moving: the dead band holds them. */
static void test_hysteresis(void) {
    vt_governor_desc d = {.budget_watts = 80, .idle_watts = 50, .sensor_window_s = 0.1};
    toy p = {make(d), 1000 * MS, 0.9, {60, 1, 1}, VT_STATE_ACTIVE, 1.0};
    toy_run(&p, 10, NULL, NULL);
    order o = {p.s, 0, 0, false};
    toy_run(&p, 60, check_order, &o);
    VT_CHECK_INT(o.changes, 0);
    double w = 50 + 0.9 * p.s.fps * p.s.scale * p.s.scale + 10;
    VT_CHECK_NEAR(w, 80, 80 * 0.02 + 1); /* within the dead band (+ a whole fps) */
    vt_governor_destroy(p.g);
}

static void test_attract(void) {
    /* Caps apply in attract; a budget that allows full keeps them as they are; input lifts them
     * on that very frame; attract: full opts out; caps may go below fps.min and scale.min. */
    vt_governor_desc d = {.budget_watts = 200,
                          .idle_watts = 50,
                          .attract_fps = 12,
                          .attract_scale = 0.6,
                          .attract_brightness = 0.7,
                          .sensor_window_s = 0.1};
    toy p = {make(d), 1000 * MS, 1.0, {60, 1, 1}, VT_STATE_ATTRACT, 0};
    toy_run(&p, 5, NULL, NULL);
    VT_CHECK_INT(p.s.fps, 12);
    VT_CHECK_NEAR(p.s.scale, 0.6, 0);
    VT_CHECK_NEAR(p.s.brightness, 0.7, 1e-12);
    vt_governor_status st;
    vt_governor_status_get(p.g, &st);
    VT_CHECK(st.capped);
    vt_governor_setting s = vt_governor_decide(p.g, p.t, VT_STATE_ATTRACT, true);
    VT_CHECK_INT(s.fps, 60);
    VT_CHECK_NEAR(s.scale, 1.0, 0);
    VT_CHECK_NEAR(s.brightness, 1.0, 0);             /* full brightness on the visitor's frame */
    s = vt_governor_decide(p.g, p.t + MS, 5, false); /* a scene's own state counts as active */
    VT_CHECK_INT(s.fps, 60);
    vt_governor_destroy(p.g);

    d.attract_full = true;
    p = (toy){make(d), 1000 * MS, 1.0, {60, 1, 1}, VT_STATE_ATTRACT, 0};
    toy_run(&p, 5, NULL, NULL);
    VT_CHECK_INT(p.s.fps, 60);
    VT_CHECK_NEAR(p.s.scale, 1.0, 0);
    vt_governor_destroy(p.g);

    /* The attract caps are the scene's own: they may go below fps.min and scale.min, which
     * bound only what the budget takes away (5 fps and 0.6, not 20 and 0.8); a visitor gets
     * full quality. */
    vt_governor_desc low = {.fps_min = 20, .scale_min = 0.8, .attract_fps = 5};
    vt_governor *g = make(low);
    s = vt_governor_decide(g, 0, VT_STATE_ATTRACT, false);
    VT_CHECK_INT(s.fps, 5);
    VT_CHECK_NEAR(s.scale, 0.6, 0);
    s = vt_governor_decide(g, MS, VT_STATE_ATTRACT, true);
    VT_CHECK_INT(s.fps, 60);
    VT_CHECK_NEAR(s.scale, 1.0, 0);
    vt_governor_destroy(g);

    /* The attract brightness may go below brightness.min (0.6 by default), which bounds only
     * the dimming done to save power: 0.5 gives 0.5, not 0.6. */
    vt_governor_desc dim = {.attract_brightness = 0.5};
    g = make(dim);
    s = vt_governor_decide(g, 0, VT_STATE_ATTRACT, false);
    VT_CHECK_NEAR(s.brightness, 0.5, 1e-12);
    s = vt_governor_decide(g, MS, VT_STATE_ATTRACT, true); /* a visitor: full brightness */
    VT_CHECK_NEAR(s.brightness, 1.0, 0);
    vt_governor_destroy(g);
}

static void test_hostile(void) {
    vt_governor_desc d = {.budget_watts = 80, .idle_watts = 50};
    vt_governor *g = make(d);
    vt_governor_observe(g, 1000 * MS, 70, 6);
    vt_governor_observe(g, 900 * MS, 70, 6); /* time going back */
    vt_governor_observe(g, 1100 * MS, NAN, 6);
    vt_governor_observe(g, 1200 * MS, -3, 6);
    vt_governor_observe(g, 1300 * MS, INFINITY, 6);
    vt_governor_observe(g, 1400 * MS, 70, UINT32_MAX); /* absurd frame count: no crash */
    vt_governor_set_budget(g, NAN);
    vt_governor_set_budget(g, -5);
    vt_governor_status st;
    vt_governor_status_get(g, &st);
    VT_CHECK_INT(st.observations, 2);
    VT_CHECK_INT(st.rejected, 4);
    VT_CHECK_NEAR(st.budget_watts, 80, 0);
    for (int64_t t = 0; t < 100; t++) { /* and time going back in decide */
        vt_governor_setting s = vt_governor_decide(g, (t % 2 ? 5000 : 100) * MS, 0, t % 3 == 0);
        VT_CHECK(s.fps >= 10 && s.fps <= 60 && s.scale >= 0.5 && s.scale <= 1.0);
    }
    vt_governor_destroy(g);
}

/* A still scene's readings (no frame in the meter's window) measure the idle floor: the mean of
 * each still period, the lowest period winning; readings soon after a frame do not count; a
 * given idle_watts wins; a dimmed display's share is added back (the floor is at full
 * brightness). */
static void test_idle_floor(void) {
    vt_governor_desc d = {.budget_watts = 40, .display_watts = 10, .attract_brightness = 0.7};
    vt_governor *g = make(d);
    int64_t t = 0;
    for (int i = 0; i < 20; i++) { /* drawing: 30 W */
        vt_governor_decide(g, t, VT_STATE_ACTIVE, false);
        vt_governor_observe(g, t += 100 * MS, 30, 6);
    }
    vt_governor_status st;
    vt_governor_status_get(g, &st);
    VT_CHECK(!st.idle_measured);
    VT_CHECK_NEAR(st.idle_watts, 15, 1e-9);        /* the guess: half the lowest reading */
    vt_governor_observe(g, t += 1000 * MS, 25, 0); /* still for 1 s: the window held frames */
    vt_governor_status_get(g, &st);
    VT_CHECK(!st.idle_measured);
    vt_governor_observe(g, t += 1000 * MS, 12, 0);
    vt_governor_observe(g, t += 1000 * MS, 12.2, 0);
    vt_governor_status_get(g, &st);
    VT_CHECK(st.idle_measured);
    VT_CHECK_NEAR(st.idle_watts, 12.1, 1e-9);
    /* Drawing again, then a still period with lower readings: the floor follows it down... */
    vt_governor_observe(g, t += 250 * MS, 30, 6);
    vt_governor_observe(g, t += 1000 * MS, 20, 0);
    vt_governor_observe(g, t += 1000 * MS, 11, 0);
    vt_governor_status_get(g, &st);
    VT_CHECK_NEAR(st.idle_watts, 11, 1e-9);
    /* ... but not up with a higher one. */
    vt_governor_observe(g, t += 250 * MS, 30, 6);
    vt_governor_observe(g, t += 2000 * MS, 13, 0);
    vt_governor_status_get(g, &st);
    VT_CHECK_NEAR(st.idle_watts, 11, 1e-9);
    /* Still in attract with the display dimmed to 0.7: 10 W x 0.3 is added back. */
    vt_governor_setting s = vt_governor_decide(g, t, VT_STATE_ATTRACT, false);
    VT_CHECK_NEAR(s.brightness, 0.7, 1e-12);
    vt_governor_observe(g, t += 250 * MS, 30, 1);
    vt_governor_observe(g, t += 2000 * MS, 7, 0);
    vt_governor_status_get(g, &st);
    VT_CHECK_NEAR(st.idle_watts, 10, 1e-9);
    vt_governor_destroy(g);

    d.idle_watts = 14; /* given: wins */
    g = make(d);
    vt_governor_observe(g, 0, 30, 6);
    vt_governor_observe(g, 3000 * MS, 9, 0);
    vt_governor_status_get(g, &st);
    VT_CHECK(!st.idle_measured);
    VT_CHECK_NEAR(st.idle_watts, 14, 0);
    vt_governor_destroy(g);
}

/* A start-up transient (shaders compiled, images uploaded: power the frames do not explain) does
 * not count: from the first reading that counts a frame, 2.5 s and the meter's window. Still
 * readings then are not the idle floor, and readings over the budget then degrade nothing; the
 * same readings afterwards do. */
static void test_startup(void) {
    vt_governor_desc d = {.budget_watts = 40};
    vt_governor *g = make(d);
    int64_t t = 0;
    vt_governor_decide(g, t, VT_STATE_ACTIVE, false);
    vt_governor_observe(g, t += 250 * MS, 30, 1); /* the first frame, then nothing drawn */
    while (t < 3250 * MS) {                       /* 60 W while the start-up lasts */
        vt_governor_observe(g, t += 250 * MS, 60, 0);
    }
    while (t < 6000 * MS) { /* then the machine at rest */
        vt_governor_observe(g, t += 250 * MS, 20, 0);
    }
    vt_governor_status st;
    vt_governor_status_get(g, &st);
    VT_CHECK(st.idle_measured);
    VT_CHECK_NEAR(st.idle_watts, 20, 1e-9);
    vt_governor_destroy(g);

    g = make(d); /* drawing at 60 W against 40 W */
    t = 0;
    int during = 0;
    vt_governor_setting s = {60, 1.0, 1.0};
    while (t < 8000 * MS) {
        s = vt_governor_decide(g, t, VT_STATE_ACTIVE, false);
        during += t < 3300 * MS && (s.fps != 60 || s.scale != 1.0); /* 0.1 + 2.5 + 0.7 s */
        vt_governor_observe(g, t += 100 * MS, 60, 6);
    }
    VT_CHECK_INT(during, 0);
    VT_CHECK(s.fps < 60); /* and afterwards the budget binds */
    vt_governor_destroy(g);
}

/* The render scale moves in steps of 0.05 (each change reallocates the offscreen target), the
 * frame rate making up the difference, and holds a step as long as it can: no dithering. */
typedef struct scales {
    double seen[64];
    int n, off_grid;
} scales;

static void record_scale(void *ctx, vt_governor_setting s) {
    scales *sc = ctx;
    if (sc->n == 0 || sc->seen[sc->n - 1] != s.scale) {
        sc->seen[sc->n < 63 ? sc->n++ : 63] = s.scale;
    }
    double q = s.scale / VT_GOVERNOR_SCALE_STEP;
    sc->off_grid += fabs(q - round(q)) > 1e-9 && s.scale != 0.33;
}

static void test_scale_steps(void) {
    vt_governor_desc d = {.budget_watts = 75,
                          .idle_watts = 50,
                          .scale_min = 0.33,
                          .sensor_window_s = 0.1,
                          .degrade = {VT_ACT_SCALE, VT_ACT_FPS},
                          .degrade_count = 2};
    toy p = {make(d), 1000 * MS, 0.9, {60, 1, 1}, VT_STATE_ACTIVE, 1.0};
    scales sc = {{0}, 0, 0};
    toy_run(&p, 30, record_scale, &sc);
    VT_CHECK_INT(sc.off_grid, 0);
    /* 50 + 0.9 x fps x s^2 + 10 = 75 at fps x s^2 = 16.7 (s = 0.527 at 60 fps): a few steps
     * down, the frame rate making up for the step. */
    VT_CHECK(sc.n >= 2 && sc.n <= 10);
    VT_CHECK_NEAR(p.s.scale, 0.55, 0.051);
    VT_CHECK(p.s.fps >= 50);
    VT_CHECK_NEAR(p.s.fps * p.s.scale * p.s.scale, 16.7, 0.8);
    int before = sc.n;
    toy_run(&p, 60, record_scale, &sc);
    VT_CHECK_INT(sc.n, before); /* steady: no change at all */
    /* The bottom is scale.min itself, off the grid; the top is 1. */
    vt_governor_set_budget(p.g, 52);
    toy_run(&p, 20, record_scale, &sc);
    VT_CHECK_NEAR(p.s.scale, 0.33, 0);
    vt_governor_set_budget(p.g, 500);
    toy_run(&p, 20, record_scale, &sc);
    VT_CHECK_NEAR(p.s.scale, 1.0, 0);
    VT_CHECK_INT(sc.off_grid, 0);
    vt_governor_destroy(p.g);
}

int main(void) {
    test_desc();
    test_order();
    test_hysteresis();
    test_attract();
    test_hostile();
    test_idle_floor();
    test_startup();
    test_scale_steps();
    return vt_test_finish("test_governor");
}
