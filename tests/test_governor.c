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
    VT_CHECK_INT(s.fps, 15);
    VT_CHECK_NEAR(s.scale, 0.75, 0);
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

/* Degrading: scale moves only once fps is at its minimum; brightness only once scale is at its
 * minimum. Restoring: the reverse. */
static void check_order(void *ctx, vt_governor_setting s) {
    order *o = ctx;
    vt_governor_setting p = o->prev;
    if (s.fps != p.fps || s.scale != p.scale || s.brightness != p.brightness) {
        o->changes++;
    }
    if (!o->restoring) {
        o->violations +=
            (s.scale < p.scale && s.fps > 10) + (s.brightness < p.brightness && s.scale > 0.5);
        o->violations += s.fps > p.fps || s.scale > p.scale || s.brightness > p.brightness;
    } else {
        o->violations +=
            (s.fps > p.fps && s.scale < 1.0) + (s.scale > p.scale && s.brightness < 1.0);
        o->violations += s.fps < p.fps || s.scale < p.scale || s.brightness < p.brightness;
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
     * on that very frame; attract: full opts out; caps never leave the bounds. */
    vt_governor_desc d = {.budget_watts = 200,
                          .idle_watts = 50,
                          .attract_fps = 12,
                          .attract_scale = 0.6,
                          .sensor_window_s = 0.1};
    toy p = {make(d), 1000 * MS, 1.0, {60, 1, 1}, VT_STATE_ATTRACT, 0};
    toy_run(&p, 5, NULL, NULL);
    VT_CHECK_INT(p.s.fps, 12);
    VT_CHECK_NEAR(p.s.scale, 0.6, 0);
    vt_governor_status st;
    vt_governor_status_get(p.g, &st);
    VT_CHECK(st.capped);
    vt_governor_setting s = vt_governor_decide(p.g, p.t, VT_STATE_ATTRACT, true);
    VT_CHECK_INT(s.fps, 60);
    VT_CHECK_NEAR(s.scale, 1.0, 0);
    s = vt_governor_decide(p.g, p.t + MS, 5, false); /* a scene's own state counts as active */
    VT_CHECK_INT(s.fps, 60);
    vt_governor_destroy(p.g);

    d.attract_full = true;
    p = (toy){make(d), 1000 * MS, 1.0, {60, 1, 1}, VT_STATE_ATTRACT, 0};
    toy_run(&p, 5, NULL, NULL);
    VT_CHECK_INT(p.s.fps, 60);
    VT_CHECK_NEAR(p.s.scale, 1.0, 0);
    vt_governor_destroy(p.g);

    vt_governor_desc low = {.fps_min = 20, .scale_min = 0.8, .attract_fps = 5};
    vt_governor *g = make(low);
    s = vt_governor_decide(g, 0, VT_STATE_ATTRACT, false);
    VT_CHECK_INT(s.fps, 20);
    VT_CHECK_NEAR(s.scale, 0.8, 0);
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

int main(void) {
    test_desc();
    test_order();
    test_hysteresis();
    test_attract();
    test_hostile();
    return vt_test_finish("test_governor");
}
