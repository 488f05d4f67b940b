/* The governor against simulated installations (tests/governor_plant.h): the targets on
 * an H100-like and a kiosk-like plant, with a load step, a budget change and visitors. Prints
 * the measured figures quoted in docs/energy.md. */
#include <stdio.h>

#include "governor_plant.h"
#include "vt_test.h"

#ifndef SEEDS
#define SEEDS 3
#endif

static vt_governor *make_ordered(double budget, double idle, bool scale_first) {
    vt_governor_desc d = {.budget_watts = budget, .idle_watts = idle};
    if (scale_first) { /* the render scale, in its 0.05 steps, does the work */
        d.degrade[0] = VT_ACT_SCALE;
        d.degrade[1] = VT_ACT_FPS;
        d.degrade_count = 2;
    }
    vt_governor *g = NULL;
    vt_error err;
    if (vt_governor_create(&d, &g, &err) != VT_OK) {
        fprintf(stderr, "vt_governor_create: %s\n", err.message);
        exit(1);
    }
    return g;
}

static vt_governor *make(double budget, double idle) {
    return make_ordered(budget, idle, false);
}

/* Target 1: regulation. Budget b1 from the start, the scene twice as heavy at 30 s, budget b2
 * at 60 s; 10 s means within 5 %, settled within 3 s, overshoot at most 10 %. */
static void regulation(const plant_desc *p, double b1, double b2, bool idle_known, bool scale_first,
                       uint64_t seed, sim_trace *tr) {
    vt_governor *g = make_ordered(b1, idle_known ? p->idle_w : 0, scale_first);
    sim_event ev[] = {{30, SIM_LOAD, 2}, {60, SIM_BUDGET, b2}, {90, SIM_END, 0}};
    sim_run(p, g, ev, seed, 0, tr);
    double m1 = sim_mean(tr, 20, 30), m2 = sim_mean(tr, 40, 50), m3 = sim_mean(tr, 80, 90);
    double s_load = sim_settle(tr, 30, 45, b1, 0.05), o_load = sim_overshoot(tr, 30, 45, b1);
    double s_budget = sim_settle(tr, 60, 75, b2, 0.05);
    double o_budget = sim_overshoot(tr, 60, 75, b2);
    vt_governor_status st;
    vt_governor_status_get(g, &st);
    printf("%-5s seed %2llu idle %-7s%s  means %.1f/%.1f/%.1f W (budgets %g, %g)  load step: "
           "settle %.1f s, overshoot %.1f %%  budget change: settle %.1f s, overshoot %.1f %%"
           "  steps caught %llu  scale changes %d, last %.2f\n",
           p->name, (unsigned long long)seed, idle_known ? "given" : "learnt",
           scale_first ? " scale first" : "", m1, m2, m3, b1, b2, s_load, 100 * o_load, s_budget,
           100 * o_budget, (unsigned long long)st.steps_caught, tr->scale_changes,
           st.setting.scale);
    VT_CHECK_NEAR(m1, b1, 0.05 * b1);
    VT_CHECK_NEAR(m2, b1, 0.05 * b1);
    VT_CHECK_NEAR(m3, b2, 0.05 * b2);
    if (idle_known) { /* without the floor it still converges, more slowly (printed) */
        VT_CHECK(s_load <= 3.0);
        VT_CHECK(o_load <= 0.10);
        VT_CHECK(s_budget <= 3.0);
        VT_CHECK(o_budget <= 0.10);
    }
    VT_CHECK(!st.impossible);
    vt_governor_destroy(g);
}

/* Target 1 with the display as the third actuator: behind a wall meter the screen draws 15 W of
 * the 20 W floor, and the budget (17 W, then 16 W) is only reachable by dimming once the frame
 * rate and the render scale are at their minimum. The governor is not told the display's watts:
 * it learns them from how the meter follows the brightness. */
static void dimming(uint64_t seed, sim_trace *tr) {
    const plant_desc *p = &plant_screen;
    vt_governor_desc d = {.budget_watts = 17,
                          .idle_watts = p->idle_w,
                          .brightness_min = 0.6,
                          .degrade = {VT_ACT_FPS, VT_ACT_SCALE, VT_ACT_BRIGHTNESS},
                          .degrade_count = 3};
    vt_governor *g = NULL;
    vt_error err;
    VT_CHECK_INT(vt_governor_create(&d, &g, &err), VT_OK);
    sim_event ev[] = {{30, SIM_LOAD, 2}, {60, SIM_BUDGET, 16}, {90, SIM_END, 0}};
    sim_run(p, g, ev, seed, 0, tr);
    double m1 = sim_mean(tr, 20, 30), m2 = sim_mean(tr, 40, 50), m3 = sim_mean(tr, 80, 90);
    double s_load = sim_settle(tr, 30, 45, 17, 0.05), o_load = sim_overshoot(tr, 30, 45, 17);
    double s_budget = sim_settle(tr, 60, 75, 16, 0.05);
    double o_budget = sim_overshoot(tr, 60, 75, 16);
    vt_governor_status st;
    vt_governor_status_get(g, &st);
    printf("%-6s seed %2llu dimming  means %.2f/%.2f/%.2f W (budgets 17, 16)  load step: settle "
           "%.1f s, overshoot %.1f %%  budget change: settle %.1f s, overshoot %.1f %%  "
           "brightness %.2f (lowest %.2f)  display learnt %.1f W\n",
           p->name, (unsigned long long)seed, m1, m2, m3, s_load, 100 * o_load, s_budget,
           100 * o_budget, st.setting.brightness, tr->min_bright, st.display_watts);
    VT_CHECK_NEAR(m1, 17, 0.05 * 17);
    VT_CHECK_NEAR(m2, 17, 0.05 * 17);
    VT_CHECK_NEAR(m3, 16, 0.05 * 16);
    VT_CHECK(s_load <= 3.0);
    VT_CHECK(o_load <= 0.10);
    VT_CHECK(s_budget <= 3.0);
    VT_CHECK(o_budget <= 0.10);
    VT_CHECK(tr->min_bright >= 0.6);
    /* Only dimming can do it: frame rate and scale are at their minimum, brightness is not. */
    VT_CHECK_INT(st.setting.fps, 10);
    VT_CHECK_NEAR(st.setting.scale, 0.5, 1e-12);
    VT_CHECK(st.setting.brightness > 0.6 && st.setting.brightness < 0.75);
    VT_CHECK_NEAR(st.display_watts, 15, 3);
    VT_CHECK(!st.impossible);
    vt_governor_destroy(g);
}

/* Target 2: attract draws at least 60 % less energy above the floor than the same scene
 * uncapped (no budget, active). */
static void attract_savings(const plant_desc *p, sim_trace *tr) {
    vt_governor *g = make(0, p->idle_w);
    sim_event full[] = {{0, SIM_ACTIVE, 0}, {30, SIM_END, 0}};
    sim_run(p, g, full, 3, 0, tr);
    double e_full = tr->energy_above_idle;
    vt_governor_destroy(g);
    g = make(0, p->idle_w);
    sim_event frugal[] = {{0, SIM_ATTRACT, 0}, {30, SIM_END, 0}};
    sim_run(p, g, frugal, 3, 0, tr);
    double e_attract = tr->energy_above_idle;
    vt_governor_destroy(g);
    double saving = 1.0 - e_attract / e_full;
    printf("%-5s attract: %.1f W above the floor against %.1f W uncapped: %.0f %% less\n", p->name,
           e_attract / 30, e_full / 30, 100 * saving);
    VT_CHECK(saving >= 0.60);
}

/* Target 3: a visitor's input gets full rate on that very frame when the budget allows it, and
 * otherwise what the budget allowed before the attract loop. */
static void visitors(const plant_desc *p, double roomy, double tight, sim_trace *tr) {
    vt_governor *g = make(roomy, p->idle_w);
    sim_event ev[] = {{0, SIM_ATTRACT, 0}, {10, SIM_INPUT, 0}, {20, SIM_ATTRACT, 0},
                      {32, SIM_INPUT, 0},  {33, SIM_INPUT, 0}, {40, SIM_END, 0}};
    sim_run(p, g, ev, 5, 0, tr);
    VT_CHECK_INT(tr->inputs, 3);
    for (int i = 0; i < tr->inputs; i++) {
        VT_CHECK_INT(tr->input_setting[i].fps, 60);
        VT_CHECK_NEAR(tr->input_setting[i].scale, 1.0, 1e-12);
    }
    vt_governor_destroy(g);

    g = make(tight, p->idle_w);
    sim_event ev2[] = {
        {0, SIM_ACTIVE, 0}, {15, SIM_ATTRACT, 0}, {30, SIM_INPUT, 0}, {31, SIM_END, 0}};
    sim_run(p, g, ev2, 6, 0, tr);
    int before = tr->fps[149]; /* the last sample before the attract loop (t = 15 s) */
    VT_CHECK_INT(tr->inputs, 1);
    VT_CHECK(before < 60);
    VT_CHECK_INT(tr->input_setting[0].fps, before);
    VT_CHECK_INT(tr->fps[200], 12); /* attract's cap */
    printf("%-5s visitors: full rate on the input frame (budget %g W); under %g W back to the "
           "budget's %d fps at once\n",
           p->name, roomy, tight, before);
    vt_governor_destroy(g);
}

/* Target 4: a budget under the floor runs at minimum settings and says so; no budget runs the
 * active state uncapped. */
static void limits(const plant_desc *p, sim_trace *tr) {
    vt_governor *g = make(p->idle_w * 0.8, p->idle_w);
    sim_event ev[] = {{0, SIM_ACTIVE, 0}, {10, SIM_END, 0}};
    sim_run(p, g, ev, 8, 0, tr);
    vt_governor_status st;
    vt_governor_status_get(g, &st);
    VT_CHECK(st.impossible);
    VT_CHECK_INT(st.setting.fps, 10);
    VT_CHECK_NEAR(st.setting.scale, 0.5, 1e-12);
    VT_CHECK_NEAR(st.level, 2.0, 1e-9);
    /* Raising the budget clears the flag. */
    vt_governor_set_budget(g, p->idle_w + 0.7 * p->dyn_w);
    sim_event more[] = {{10, SIM_ACTIVE, 0}, {20, SIM_END, 0}};
    sim_run(p, g, more, 9, 10, tr);
    vt_governor_status_get(g, &st);
    VT_CHECK(!st.impossible);
    vt_governor_destroy(g);

    g = make(0, p->idle_w);
    sim_run(p, g, ev, 10, 0, tr);
    vt_governor_status_get(g, &st);
    VT_CHECK(!st.impossible);
    VT_CHECK_INT(st.setting.fps, 60);
    VT_CHECK_NEAR(st.setting.scale, 1.0, 1e-12);
    vt_governor_destroy(g);
}

/* The frame rate at scale 1 at which the plant draws `watts` (bisection). */
static double plant_fps_for(const plant_desc *p, double watts) {
    double lo = 0, hi = 1000;
    for (int i = 0; i < 60; i++) {
        double mid = 0.5 * (lo + hi);
        *(plant_watts(p, 1, mid, 1, 1) <= watts ? &lo : &hi) = mid;
    }
    return lo;
}

/* Issue 22: a visitor never pays for the governor's history, and a start-up transient does not
 * degrade. The desktop plant behind a wall meter, a 68 W budget, the idle floor not given (as
 * `play` with a file: sensor); the show starts in attract and the machine draws 67.4 W from 1.2
 * to 2.7 s (shaders compiled, images uploaded: power the frames do not explain). An earlier law
 * took that rise for a load step, degraded attract to 10 fps for good, and the first visitor
 * (at 20 s) got 10 fps too, for seconds. Now attract stays at its caps, and the first visitor
 * gets full quality on the input frame and a control tick later (no active period yet: the
 * model's best is full quality), then the budget's level without the render scale falling. */
static void startup_spike(double budget, uint64_t seed, sim_trace *tr) {
    const plant_desc *p = &plant_desktop;
    vt_governor *g = make(budget, 0);
    sim_event ev[] = {{0, SIM_ATTRACT, 0},
                      {1.2, SIM_SPIKE, 67.4},
                      {2.7, SIM_SPIKE, 0},
                      {20, SIM_INPUT, 0},
                      {40, SIM_ATTRACT, 0},
                      {55, SIM_INPUT, 0},
                      {60, SIM_END, 0}};
    sim_run(p, g, ev, seed, 0, tr);
    int attract_off = 0, tick_off = 0, visit_fps = 60;
    double visit_scale = 1.0;
    for (int i = 0; i < tr->n; i++) {
        if (tr->t[i] < 20.05) { /* the sample at 20.0 s still covers attract's frames */
            attract_off += tr->fps[i] != 12 || tr->scale[i] != 0.6;
        } else if (tr->t[i] <= 20.25) { /* one control tick (4 Hz) after the visitor came */
            tick_off += tr->fps[i] != 60 || tr->scale[i] != 1.0;
        } else if (tr->t[i] < 40.05) {
            visit_fps = tr->fps[i] < visit_fps ? tr->fps[i] : visit_fps;
            visit_scale = fmin(visit_scale, tr->scale[i]);
        }
    }
    double fits = plant_fps_for(p, budget), mean = sim_mean(tr, 30, 40);
    /* The visitor's full quality over the budget is a load step: the same targets. */
    double over = sim_overshoot(tr, 20, 40, budget), settle = sim_settle(tr, 20, 40, budget, 0.05);
    char binds[96] = "full quality fits";
    if (fits < 60) {
        snprintf(binds, sizeof binds, "meter at most %.1f %% over, within 5 %% after %.1f s",
                 100 * over, settle);
    }
    printf("%-7s start-up spike (67.4 W, 1.2 to 2.7 s), budget %g W, seed %llu: %d samples of "
           "attract off its caps; the visitor: %d fps scale %.2f on the input frame, lowest %d "
           "fps (%.0f fit) and scale %.2f, %s, %.1f W over the last 10 s\n",
           p->name, budget, (unsigned long long)seed, attract_off, tr->input_setting[0].fps,
           tr->input_setting[0].scale, visit_fps, fits, visit_scale, binds, mean);
    VT_CHECK_INT(attract_off, 0);
    VT_CHECK_INT(tr->input_setting[0].fps, 60);
    VT_CHECK_NEAR(tr->input_setting[0].scale, 1.0, 0);
    VT_CHECK_INT(tick_off, 0);
    VT_CHECK_NEAR(visit_scale, 1.0, 0); /* the frame rate is degraded first */
    if (fits >= 60) {                   /* the budget allows full quality: it stays */
        VT_CHECK_INT(visit_fps, 60);
    } else {
        VT_CHECK(visit_fps >= 0.85 * fits);
        VT_CHECK_NEAR(mean, budget, 0.05 * budget);
        VT_CHECK(over <= 0.10);
        VT_CHECK(settle <= 3.0);
    }
    /* The next visitor, after 15 s of attract: the level the active model puts at the budget,
     * the one the law held at 40 s (within the dead band), at once. */
    VT_CHECK_INT(tr->inputs, 2);
    VT_CHECK_INT(tr->input_setting[1].fps, tr->fps[398]);
    VT_CHECK_NEAR(tr->input_setting[1].scale, 1.0, 0);
    vt_governor_destroy(g);
}

/* A start-up transient while a visitor is already there (the show starts active) does not
 * degrade either: 90 W for 2 s against an 80 W budget that full quality meets. */
static void startup_active(uint64_t seed, sim_trace *tr) {
    const plant_desc *p = &plant_desktop;
    vt_governor *g = make(80, 0);
    sim_event ev[] = {{0.5, SIM_SPIKE, 90}, {2.5, SIM_SPIKE, 0}, {15, SIM_END, 0}};
    sim_run(p, g, ev, seed, 0, tr);
    int off = 0;
    for (int i = 0; i < tr->n; i++) {
        off += tr->fps[i] != 60 || tr->scale[i] != 1.0;
    }
    VT_CHECK_INT(off, 0);
    vt_governor_destroy(g);
}

/* The budget binds in attract too (a background job drawing 80 W from 8 to 12 s against 68 W
 * degrades it below its caps), and attract comes back to its caps once the power allows: no
 * degradation kept for good. A visitor then gets full quality on the input frame. */
static void attract_restores(uint64_t seed, sim_trace *tr) {
    const plant_desc *p = &plant_desktop;
    vt_governor *g = make(68, 0);
    sim_event ev[] = {{0, SIM_ATTRACT, 0},
                      {8, SIM_SPIKE, 80},
                      {12, SIM_SPIKE, 0},
                      {25, SIM_INPUT, 0},
                      {26, SIM_END, 0}};
    sim_run(p, g, ev, seed, 0, tr);
    int lowest = 12, off_after = 0;
    for (int i = 0; i < tr->n; i++) {
        if (tr->t[i] >= 8 && tr->t[i] < 13) {
            lowest = tr->fps[i] < lowest ? tr->fps[i] : lowest;
        } else if (tr->t[i] >= 20 && tr->t[i] < 25) {
            off_after += tr->fps[i] != 12 || tr->scale[i] != 0.6;
        }
    }
    VT_CHECK(lowest < 12);
    VT_CHECK_INT(off_after, 0);
    VT_CHECK_INT(tr->inputs, 1);
    VT_CHECK_INT(tr->input_setting[0].fps, 60);
    VT_CHECK_NEAR(tr->input_setting[0].scale, 1.0, 0);
    vt_governor_destroy(g);
}

int main(void) {
    sim_trace *tr = vt_xcalloc(1, sizeof *tr);
    for (uint64_t seed = 1; seed <= SEEDS; seed++) {
        regulation(&plant_h100, 95, 105, true, false, seed, tr);
        regulation(&plant_kiosk, 20, 24, true, false, seed, tr);
        regulation(&plant_kiosk, 20, 24, true, true, seed, tr);
        dimming(seed, tr);
        startup_spike(68, seed, tr);
        startup_spike(80, seed, tr);
        startup_active(seed, tr);
        attract_restores(seed, tr);
    }
    regulation(&plant_h100, 95, 105, false, false, 1, tr);
    regulation(&plant_kiosk, 20, 24, false, false, 1, tr);
    attract_savings(&plant_h100, tr);
    attract_savings(&plant_kiosk, tr);
    visitors(&plant_h100, 115, 95, tr);
    visitors(&plant_kiosk, 33, 20, tr);
    limits(&plant_h100, tr);
    limits(&plant_kiosk, tr);
    free(tr);
    return vt_test_finish("test_governor_sim");
}
