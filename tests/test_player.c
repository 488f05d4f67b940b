/* The player: track evaluation, timeline clocks, triggers, states, idle, hit-testing,
 * next_change, determinism and hot-reload carry-over, on scenes built by hand. */
#include "player/vt_player.h"
#include "vt_test.h"

/* ---- Scenes by hand: fixed arrays in one block, so a test frees one pointer ---- */

enum { FX_LAYERS = 16, FX_TLS = 8, FX_TRACKS = 8, FX_KEYS = 8, FX_TRIGS = 32, FX_ACTS = 8 };

typedef struct fixture {
    vt_scene sc;
    vt_layer layers[FX_LAYERS];
    char layer_ids[FX_LAYERS][16];
    vt_timeline tls[FX_TLS];
    char tl_ids[FX_TLS][16];
    vt_track tracks[FX_TLS][FX_TRACKS];
    vt_key keys[FX_TLS][FX_TRACKS][FX_KEYS];
    vt_trigger trigs[FX_TRIGS];
    vt_action acts[FX_TRIGS][FX_ACTS];
    char *state_names[8];
    char state_store[8][16];
} fixture;

#define MS(x) ((vt_ticks)(x) * (VT_TICKS_PER_SEC / 1000))
#define SEC(x) ((vt_ticks)(x)*VT_TICKS_PER_SEC)

/* Layers l0..l(n-1): 100x100 at the origin, anchor top-left, opaque white, visible, hit. */
static fixture *fx_new(size_t layers) {
    fixture *f = calloc(1, sizeof *f);
    f->sc.width = 1000;
    f->sc.height = 1000;
    f->sc.fps = 60;
    f->sc.layers = f->layers;
    f->sc.layer_count = layers;
    for (size_t i = 0; i < layers; i++) {
        snprintf(f->layer_ids[i], sizeof f->layer_ids[i], "l%u", (unsigned)(i % 100));
        f->layers[i].id = f->layer_ids[i];
        f->layers[i].type = VT_LAYER_RECT;
        f->layers[i].hit = true;
        f->layers[i].props = (vt_layer_props){.size = {100, 100},
                                              .scale = {1, 1},
                                              .opacity = 1.0,
                                              .color = {255, 255, 255, 255},
                                              .visible = true};
    }
    f->sc.timelines = f->tls;
    f->sc.triggers = f->trigs;
    f->sc.states.names = f->state_names;
    f->state_names[0] = strcpy(f->state_store[0], "attract");
    f->state_names[1] = strcpy(f->state_store[1], "active");
    f->sc.states.count = 2;
    return f;
}

static uint32_t fx_state(fixture *f, const char *name) {
    size_t i = f->sc.states.count++;
    f->state_names[i] = strcpy(f->state_store[i], name);
    return (uint32_t)i;
}

static size_t fx_timeline(fixture *f, const char *id, vt_ticks duration, int plays, bool autoplay) {
    size_t i = f->sc.timeline_count++;
    strcpy(f->tl_ids[i], id);
    f->tls[i] = (vt_timeline){.id = f->tl_ids[i],
                              .duration = duration,
                              .plays = plays,
                              .autoplay = autoplay,
                              .tracks = f->tracks[i]};
    return i;
}

static size_t fx_track(fixture *f, size_t tl, uint32_t layer, vt_prop prop) {
    size_t j = f->tls[tl].track_count++;
    f->tracks[tl][j] = (vt_track){.layer = layer, .prop = prop, .keys = f->keys[tl][j]};
    return j;
}

static vt_ease ease(const char *name) {
    vt_ease e = {0};
    if (!vt_ease_from_name(name, &e)) {
        fprintf(stderr, "unknown easing %s\n", name);
        abort();
    }
    return e;
}

static void fx_key4(fixture *f, size_t tl, size_t tr, vt_ticks t, const char *e, double v0,
                    double v1, double v2, double v3) {
    vt_track *track = &f->tracks[tl][tr];
    track->keys[track->key_count++] = (vt_key){.t = t, .v = {v0, v1, v2, v3}, .ease = ease(e)};
}

static void fx_key(fixture *f, size_t tl, size_t tr, vt_ticks t, const char *e, double v) {
    fx_key4(f, tl, tr, t, e, v, v, 0, 0);
}

/* A one-track timeline driving layer.prop from a to b over [0, duration] (linear). */
static size_t fx_ramp(fixture *f, const char *id, vt_ticks duration, int plays, bool autoplay,
                      uint32_t layer, vt_prop prop, double a, double b) {
    size_t tl = fx_timeline(f, id, duration, plays, autoplay);
    size_t tr = fx_track(f, tl, layer, prop);
    fx_key(f, tl, tr, 0, "linear", a);
    fx_key(f, tl, tr, duration, "linear", b);
    return tl;
}

static size_t fx_trigger(fixture *f, vt_when when) {
    size_t i = f->sc.trigger_count++;
    f->trigs[i] = (vt_trigger){.when = when, .actions = f->acts[i]};
    return i;
}

static void fx_do(fixture *f, size_t trig, vt_action a) {
    f->trigs[trig].actions[f->trigs[trig].action_count++] = a;
}

static vt_when when_key(const char *name) {
    vt_when w = {.kind = VT_WHEN_KEY};
    snprintf(w.name, sizeof w.name, "%s", name);
    return w;
}

static vt_when when_of(vt_when_kind kind, size_t index) {
    return (vt_when){.kind = kind, .index = (uint32_t)index};
}

static vt_when when_idle(vt_ticks idle) {
    return (vt_when){.kind = VT_WHEN_IDLE, .idle = idle};
}

static vt_action act(vt_action_kind kind, size_t target) {
    return (vt_action){.kind = kind, .target = (uint32_t)target};
}

static vt_action act_at(vt_action_kind kind, size_t target, vt_ticks at) {
    return (vt_action){.kind = kind, .target = (uint32_t)target, .has_at = true, .at = at};
}

static vt_action act_set(size_t layer, vt_prop prop, double v0, double v1) {
    return (vt_action){
        .kind = VT_DO_SET, .target = (uint32_t)layer, .prop = prop, .v = {v0, v1, 0, 0}};
}

/* ---- Driving a player ---- */

static void key(vt_player *p, const char *name, vt_ticks t) {
    vt_event ev = {.type = VT_EVENT_KEY};
    snprintf(ev.name, sizeof ev.name, "%s", name);
    vt_player_input(p, &ev, t);
}

static void touch(vt_player *p, vt_event_type type, double x, double y, vt_ticks t) {
    vt_event ev = {.type = type, .x = x, .y = y};
    vt_player_input(p, &ev, t);
}

/* The layer's properties at t, from a fresh player updated once (a direct jump). */
static vt_layer_props props_at(const fixture *f, vt_ticks t, size_t layer) {
    vt_layer_props buf[FX_LAYERS];
    vt_player *p = vt_player_create(&f->sc, 0);
    vt_player_update(p, t, buf);
    vt_player_destroy(p);
    return buf[layer];
}

static vt_layer_props step(vt_player *p, vt_ticks t, size_t layer) {
    vt_layer_props buf[FX_LAYERS];
    vt_player_update(p, t, buf);
    return buf[layer];
}

static bool props_same(const vt_layer_props *a, const vt_layer_props *b, size_t n) {
    for (size_t i = 0; i < n; i++) {
        const vt_layer_props *x = &a[i], *y = &b[i];
        if (x->position.x != y->position.x || x->position.y != y->position.y ||
            x->size.x != y->size.x || x->size.y != y->size.y || x->anchor.x != y->anchor.x ||
            x->anchor.y != y->anchor.y || x->scale.x != y->scale.x || x->scale.y != y->scale.y ||
            x->rotation != y->rotation || x->opacity != y->opacity ||
            memcmp(&x->color, &y->color, sizeof x->color) != 0 || x->visible != y->visible) {
            return false;
        }
    }
    return true;
}

/* ---- Track evaluation ---- */

static void test_track_eval(void) {
    fixture *f = fx_new(1);
    size_t tl = fx_timeline(f, "t", SEC(4), 1, true);
    size_t op = fx_track(f, tl, 0, VT_PROP_OPACITY);
    fx_key(f, tl, op, SEC(1), "linear", 0.2);
    fx_key(f, tl, op, SEC(2), "linear", 0.8);
    fx_key(f, tl, op, SEC(3), "in-out-cubic", 0.4);
    size_t pos = fx_track(f, tl, 0, VT_PROP_POSITION);
    fx_key4(f, tl, pos, 0, "linear", 10, 20, 0, 0);
    fx_key4(f, tl, pos, SEC(4), "out-bounce", 410, -180, 0, 0);

    VT_CHECK(props_at(f, 0, 0).opacity == 0.2); /* before the first key */
    VT_CHECK(props_at(f, MS(500), 0).opacity == 0.2);
    VT_CHECK(props_at(f, SEC(1), 0).opacity == 0.2); /* exactly at keys */
    VT_CHECK(props_at(f, SEC(2), 0).opacity == 0.8);
    VT_CHECK(props_at(f, SEC(3), 0).opacity == 0.4);
    VT_CHECK(props_at(f, MS(3500), 0).opacity == 0.4); /* after the last */
    VT_CHECK(props_at(f, SEC(9), 0).opacity == 0.4);   /* and after the end */
    VT_CHECK_NEAR(props_at(f, MS(1500), 0).opacity, 0.5, 1e-12);
    VT_CHECK_NEAR(props_at(f, MS(1250), 0).opacity, 0.35, 1e-12);
    vt_ease cubic = ease("in-out-cubic");
    VT_CHECK_NEAR(props_at(f, MS(2250), 0).opacity, 0.8 + (0.4 - 0.8) * vt_ease_eval(&cubic, 0.25),
                  1e-12);
    VT_CHECK_NEAR(props_at(f, MS(2900), 0).opacity, 0.8 + (0.4 - 0.8) * vt_ease_eval(&cubic, 0.9),
                  1e-12);

    vt_ease bounce = ease("out-bounce");
    vt_layer_props q = props_at(f, MS(1000), 0);
    VT_CHECK_NEAR(q.position.x, 10 + 400 * vt_ease_eval(&bounce, 0.25), 1e-9);
    VT_CHECK_NEAR(q.position.y, 20 - 200 * vt_ease_eval(&bounce, 0.25), 1e-9);
    VT_CHECK(props_at(f, 0, 0).position.x == 10);
    VT_CHECK(props_at(f, SEC(4), 0).position.y == -180);
    free(f);
}

/* Back and elastic overshoot: opacity stays within 0..1, size at 0 or more. */
static void test_clamps(void) {
    fixture *f = fx_new(1);
    size_t tl = fx_timeline(f, "t", SEC(1), 1, true);
    size_t op = fx_track(f, tl, 0, VT_PROP_OPACITY);
    fx_key(f, tl, op, 0, "linear", 0);
    fx_key(f, tl, op, SEC(1), "out-back", 1);
    size_t sz = fx_track(f, tl, 0, VT_PROP_SIZE);
    fx_key(f, tl, sz, 0, "linear", 0);
    fx_key(f, tl, sz, SEC(1), "in-back", 100);
    vt_ease out_back = ease("out-back"), in_back = ease("in-back");
    VT_CHECK(vt_ease_eval(&out_back, 0.8) > 1.0); /* the test means something */
    VT_CHECK(vt_ease_eval(&in_back, 0.2) < 0.0);
    VT_CHECK(props_at(f, MS(800), 0).opacity == 1.0);
    VT_CHECK(props_at(f, MS(200), 0).size.x == 0.0);
    VT_CHECK_NEAR(props_at(f, MS(900), 0).size.x, 100 * vt_ease_eval(&in_back, 0.9), 1e-9);
    free(f);
}

static void test_hold_and_visible(void) {
    fixture *f = fx_new(1);
    size_t tl = fx_timeline(f, "t", SEC(3), 1, true);
    size_t op = fx_track(f, tl, 0, VT_PROP_OPACITY);
    fx_key(f, tl, op, 0, "linear", 0.25);
    fx_key(f, tl, op, SEC(2), "hold", 0.75);
    size_t vis = fx_track(f, tl, 0, VT_PROP_VISIBLE);
    fx_key(f, tl, vis, 0, "linear", 1);
    fx_key(f, tl, vis, SEC(1), "linear", 0); /* linear, yet a step: visible never blends */
    fx_key(f, tl, vis, SEC(2), "linear", 1);
    VT_CHECK(props_at(f, MS(1999), 0).opacity == 0.25);
    VT_CHECK(props_at(f, SEC(2), 0).opacity == 0.75);
    VT_CHECK(props_at(f, MS(500), 0).visible);
    VT_CHECK(props_at(f, MS(999), 0).visible);
    VT_CHECK(!props_at(f, SEC(1), 0).visible);
    VT_CHECK(!props_at(f, MS(1999), 0).visible);
    VT_CHECK(props_at(f, SEC(2), 0).visible);

    /* During holds the player sleeps until the next key. */
    vt_player *p = vt_player_create(&f->sc, 0);
    step(p, MS(500), 0);
    VT_CHECK_INT(vt_player_next_change(p, MS(500)), SEC(1));
    step(p, MS(1500), 0);
    VT_CHECK_INT(vt_player_next_change(p, MS(1500)), SEC(2));
    step(p, MS(2500), 0);
    VT_CHECK_INT(vt_player_next_change(p, MS(2500)), SEC(3)); /* its end */
    vt_player_destroy(p);
    free(f);
}

static void test_color_linear_light(void) {
    fixture *f = fx_new(1);
    size_t tl = fx_timeline(f, "t", SEC(2), 1, true);
    size_t c = fx_track(f, tl, 0, VT_PROP_COLOR);
    fx_key4(f, tl, c, 0, "linear", 0, 0, 90, 255);
    fx_key4(f, tl, c, SEC(2), "linear", 255, 255, 90, 0);
    vt_color mid = props_at(f, SEC(1), 0).color;
    VT_CHECK_INT(mid.r, 188); /* linear light: 128 would be the sRGB-encoded midpoint */
    VT_CHECK_INT(mid.g, 188);
    VT_CHECK_INT(mid.b, 90);  /* equal ends stay exact through the round trip */
    VT_CHECK_INT(mid.a, 128); /* alpha as is: 127.5 rounds up */
    vt_color start = props_at(f, 0, 0).color, end = props_at(f, SEC(2), 0).color;
    VT_CHECK_INT(start.r, 0);
    VT_CHECK_INT(start.a, 255);
    VT_CHECK_INT(end.r, 255);
    VT_CHECK_INT(end.a, 0);
    /* A quarter of the way: linear 0.25 is sRGB 137 (exact transfer function). */
    VT_CHECK_INT(props_at(f, MS(500), 0).color.r, 137);
    free(f);
}

/* ---- Clocks ---- */

static void test_loops(void) {
    fixture *f = fx_new(3);
    size_t a = fx_ramp(f, "a", SEC(1), 3, true, 0, VT_PROP_OPACITY, 0, 1);
    /* c counts seconds on l1's rotation from whenever it is (re)started. */
    size_t c = fx_ramp(f, "c", SEC(100), 1, false, 1, VT_PROP_ROTATION, 0, 100);
    size_t end = fx_trigger(f, when_of(VT_WHEN_TIMELINE_END, a));
    fx_do(f, end, act_at(VT_DO_PLAY, c, 0));
    fx_do(f, end, act_set(2, VT_PROP_VISIBLE, 0, 0));
    fx_ramp(f, "forever", SEC(1), 0, true, 2, VT_PROP_ROTATION, 0, 360);

    VT_CHECK(props_at(f, SEC(1), 0).opacity == 0.0); /* exact wrap: play 2 starts */
    VT_CHECK(props_at(f, MS(1250), 0).opacity == 0.25);
    VT_CHECK(props_at(f, SEC(2), 0).opacity == 0.0);
    VT_CHECK(props_at(f, MS(2999), 0).opacity > 0.99);
    VT_CHECK(props_at(f, SEC(3), 0).opacity == 1.0); /* over: held at its end */
    VT_CHECK(props_at(f, SEC(50), 0).opacity == 1.0);
    VT_CHECK(props_at(f, SEC(1000), 2).rotation == 0.0);
    VT_CHECK(props_at(f, MS(1000500), 2).rotation == 180.0);

    /* Frame by frame (the frames miss the end by a bit): timeline_end fires once, at 3 s. */
    vt_player *p = vt_player_create(&f->sc, 0);
    for (vt_ticks t = 0; t <= SEC(8); t += MS(70)) {
        vt_layer_props l1 = step(p, t, 1), l2 = step(p, t, 2);
        if (t < SEC(3)) {
            VT_CHECK(l1.rotation == 0.0 && l2.visible);
        } else {
            VT_CHECK_NEAR(l1.rotation, vt_ticks_to_seconds(t - SEC(3)), 1e-9);
            VT_CHECK(!l2.visible);
        }
    }
    vt_player_destroy(p);
    free(f);
}

/* Keys drive one timeline: p play, r play at 1 s, s stop, z pause, u resume, k seek 3 s,
 * K seek far past the end; its rotation reads its local time in seconds. */
static fixture *fx_remote(size_t *tl_out) {
    fixture *f = fx_new(2);
    f->layers[0].props.rotation = 45; /* the scene's value, until the timeline first runs */
    size_t tl = fx_ramp(f, "t", SEC(4), 1, false, 0, VT_PROP_ROTATION, 0, 4);
    static const struct {
        const char *key;
        vt_action_kind kind;
        bool has_at;
        vt_ticks at;
    } remote[] = {{"p", VT_DO_PLAY, false, 0},      {"r", VT_DO_PLAY, true, SEC(1)},
                  {"s", VT_DO_STOP, false, 0},      {"z", VT_DO_PAUSE, false, 0},
                  {"u", VT_DO_RESUME, false, 0},    {"k", VT_DO_SEEK, true, SEC(3)},
                  {"K", VT_DO_SEEK, true, SEC(100)}};
    for (size_t i = 0; i < sizeof remote / sizeof remote[0]; i++) {
        size_t tr = fx_trigger(f, when_key(remote[i].key));
        vt_action a = act(remote[i].kind, tl);
        a.has_at = remote[i].has_at;
        a.at = remote[i].at;
        fx_do(f, tr, a);
    }
    size_t end = fx_trigger(f, when_of(VT_WHEN_TIMELINE_END, tl));
    fx_do(f, end, act_set(1, VT_PROP_ROTATION, 7, 0));
    *tl_out = tl;
    return f;
}

static void test_play_semantics(void) {
    size_t tl;
    fixture *f = fx_remote(&tl);
    vt_player *p = vt_player_create(&f->sc, 0);
    static const struct {
        int ms;
        const char *key; /* pressed at ms, before the update */
        double rotation; /* then, at ms */
    } script[] = {
        {500, NULL, 45},   {1000, "p", 0},    {1500, NULL, 0.5},  {2000, "p", 1},
        {2500, NULL, 1.5}, /* play without `at` does not restart a running timeline */
        {2500, "r", 1},    {3000, NULL, 1.5}, /* with `at` it does */
        {3000, "z", 1.5},  {4000, NULL, 1.5}, {4000, "k", 3},     {5000, NULL, 3},
        {5000, "u", 3},    {5500, NULL, 3.5}, {6000, NULL, 4},    {7000, NULL, 4},
        {7000, "p", 0},    {7500, NULL, 0.5}, {8000, "s", 1},     {9000, NULL, 1},
        {9000, "k", 3},    {10000, NULL, 3}, /* a stopped timeline stays stopped */
        {10000, "u", 3},   {11000, "z", 3},   {11500, NULL, 3},   {11500, "p", 0},
        {12000, "z", 0.5}, {12500, "p", 0.5}, {13000, NULL, 1},   /* play resumes */
        {13000, "z", 1},   {13500, "r", 1},   {14000, NULL, 1.5}, /* play at: restart */
    };
    for (size_t i = 0; i < sizeof script / sizeof script[0]; i++) {
        vt_ticks t = MS(script[i].ms);
        if (script[i].key) {
            key(p, script[i].key, t);
        }
        double got = step(p, t, 0).rotation;
        if (fabs(got - script[i].rotation) > 1e-9) {
            fprintf(stderr, "step %zu (%d ms, key %s):\n", i, script[i].ms,
                    script[i].key ? script[i].key : "-");
        }
        VT_CHECK_NEAR(got, script[i].rotation, 1e-9);
    }
    /* The end at 6 s fired timeline_end once (7 s set on l1); seeking a playing timeline to
     * its end ends it at once, firing timeline_end again in the same update. */
    VT_CHECK(step(p, MS(14000), 1).rotation == 7.0);
    vt_player_destroy(p);

    p = vt_player_create(&f->sc, 0);
    key(p, "p", SEC(1));
    VT_CHECK(step(p, SEC(2), 1).rotation == 0.0);
    key(p, "K", SEC(2)); /* clamped to the end */
    vt_layer_props l0 = step(p, SEC(2), 0), l1 = step(p, SEC(2), 1);
    VT_CHECK(l0.rotation == 4.0);
    VT_CHECK(l1.rotation == 7.0);
    VT_CHECK(step(p, SEC(30), 0).rotation == 4.0);
    vt_player_destroy(p);
    free(f);
}

/* Who gives a property its value: the playing timeline started last; a set until a timeline
 * next drives the property; held timelines freeze. */
static void test_set_and_priority(void) {
    fixture *f = fx_new(1);
    f->layers[0].props.opacity = 0.5;
    size_t a = fx_ramp(f, "a", SEC(2), 1, false, 0, VT_PROP_OPACITY, 0.2, 0.2);
    size_t b = fx_ramp(f, "b", SEC(4), 1, false, 0, VT_PROP_OPACITY, 0.8, 0.8);
    const char *keys[] = {"a", "b", "A", "1", "2", "S"};
    vt_action acts[] = {act(VT_DO_PLAY, a),
                        act(VT_DO_PLAY, b),
                        act_at(VT_DO_PLAY, a, 0),
                        act_set(0, VT_PROP_OPACITY, 0.1, 0),
                        act_set(0, VT_PROP_OPACITY, 0.9, 0),
                        act(VT_DO_STOP, a)};
    for (size_t i = 0; i < 6; i++) {
        fx_do(f, fx_trigger(f, when_key(keys[i])), acts[i]);
    }
    vt_player *p = vt_player_create(&f->sc, 0);
    VT_CHECK(step(p, 0, 0).opacity == 0.5);
    key(p, "1", MS(100));
    VT_CHECK(step(p, MS(100), 0).opacity == 0.1); /* set over the scene's value */
    key(p, "a", MS(200));
    VT_CHECK(step(p, MS(200), 0).opacity == 0.2); /* a timeline drives it again */
    key(p, "b", MS(300));
    VT_CHECK(step(p, MS(300), 0).opacity == 0.8); /* started last wins */
    key(p, "A", MS(400));
    VT_CHECK(step(p, MS(400), 0).opacity == 0.2); /* restarted: now a is the latest */
    key(p, "2", MS(500));
    VT_CHECK(step(p, MS(500), 0).opacity == 0.2); /* a playing timeline keeps driving */
    key(p, "S", MS(600));
    VT_CHECK(step(p, MS(600), 0).opacity == 0.8); /* a stopped; b still plays */
    VT_CHECK(step(p, SEC(5), 0).opacity == 0.8);  /* b ended: frozen (it stopped last) */
    key(p, "1", SEC(6));
    VT_CHECK(step(p, SEC(6), 0).opacity == 0.1); /* a set after every timeline stopped */
    VT_CHECK(step(p, SEC(60), 0).opacity == 0.1);
    vt_player_destroy(p);
    free(f);
}

/* ---- Triggers and states ---- */

static void test_trigger_order(void) {
    fixture *f = fx_new(1);
    uint32_t show = fx_state(f, "show");
    size_t t0 = fx_trigger(f, when_key("a"));
    fx_do(f, t0, act_set(0, VT_PROP_ROTATION, 1, 0));
    fx_do(f, t0, act(VT_DO_STATE, show));
    fx_do(f, t0, act_set(0, VT_PROP_SCALE, 4, 4)); /* runs before the enter/leave it caused */
    size_t t1 = fx_trigger(f, when_key("a"));
    fx_do(f, t1, act_set(0, VT_PROP_ROTATION, 2, 0)); /* after t0's cascade: last word */
    size_t t2 = fx_trigger(f, when_of(VT_WHEN_LEAVE, VT_STATE_ACTIVE));
    fx_do(f, t2, act_set(0, VT_PROP_OPACITY, 0.3, 0));
    size_t t3 = fx_trigger(f, when_of(VT_WHEN_ENTER, show));
    fx_do(f, t3, act_set(0, VT_PROP_ROTATION, 3, 0));
    fx_do(f, t3, act_set(0, VT_PROP_SCALE, 5, 5));
    size_t t4 = fx_trigger(f, when_of(VT_WHEN_ENTER, VT_STATE_ACTIVE));
    fx_do(f, t4, act_set(0, VT_PROP_POSITION, 5, 5));
    fx_do(f, t4, act_set(0, VT_PROP_ANCHOR, 0.5, 0.5));
    size_t t5 = fx_trigger(f, when_key("a"));
    fx_do(f, t5, act_set(0, VT_PROP_POSITION, 7, 7)); /* after enter active */
    /* start fires first, then the initial state's enter */
    fx_do(f, fx_trigger(f, when_of(VT_WHEN_ENTER, VT_STATE_ATTRACT)),
          act_set(0, VT_PROP_SIZE, 20, 20));
    fx_do(f, fx_trigger(f, (vt_when){.kind = VT_WHEN_START}), act_set(0, VT_PROP_SIZE, 10, 10));

    vt_player *p = vt_player_create(&f->sc, 0);
    VT_CHECK_INT(vt_player_state(p), VT_STATE_ATTRACT);
    VT_CHECK(step(p, 0, 0).size.x == 20.0);
    key(p, "a", SEC(1));
    vt_layer_props l = step(p, SEC(1), 0);
    VT_CHECK_INT(vt_player_state(p), show);
    VT_CHECK(l.rotation == 2.0);
    VT_CHECK(l.scale.x == 5.0);
    VT_CHECK(l.opacity == 0.3);
    VT_CHECK(l.position.x == 7.0);
    VT_CHECK(l.anchor.x == 0.5); /* attract -> active happened, before the key's triggers */
    VT_CHECK(l.size.x == 20.0);  /* start did not fire again */
    vt_player_destroy(p);
    free(f);
}

static void test_trigger_loop_guard(void) {
    fixture *f = fx_new(1);
    uint32_t ping = fx_state(f, "ping"), pong = fx_state(f, "pong");
    fx_do(f, fx_trigger(f, when_key("l")), act(VT_DO_STATE, ping));
    fx_do(f, fx_trigger(f, when_of(VT_WHEN_ENTER, ping)), act(VT_DO_STATE, pong));
    fx_do(f, fx_trigger(f, when_of(VT_WHEN_ENTER, pong)), act(VT_DO_STATE, ping));
    fx_do(f, fx_trigger(f, when_key("x")), act_set(0, VT_PROP_ROTATION, 9, 0));
    /* a timeline that restarts itself at its own end, at the same instant, forever */
    size_t tl = fx_ramp(f, "t", SEC(1), 1, false, 0, VT_PROP_OPACITY, 0, 1);
    size_t loop = fx_trigger(f, when_of(VT_WHEN_TIMELINE_END, tl));
    fx_do(f, loop, act_at(VT_DO_PLAY, tl, SEC(1)));
    fx_do(f, fx_trigger(f, when_key("t")), act_at(VT_DO_PLAY, tl, SEC(1)));
    vt_log_level level = vt_log_get_level();
    vt_log_set_level(VT_LOG_ERROR); /* the guard's warning is expected */
    vt_player *p = vt_player_create(&f->sc, 0);
    key(p, "l", SEC(1));
    uint32_t s = vt_player_state(p);
    VT_CHECK(s == ping || s == pong);
    key(p, "t", SEC(2));
    VT_CHECK(step(p, SEC(2), 0).opacity == 1.0);
    key(p, "x", SEC(3)); /* still alive */
    VT_CHECK(step(p, SEC(3), 0).rotation == 9.0);
    vt_player_destroy(p);
    vt_log_set_level(level);
    free(f);
}

static void test_idle(void) {
    fixture *f = fx_new(2);
    f->sc.states.idle_after = SEC(10);
    f->layers[0].props.opacity = 0.5;
    size_t c = fx_ramp(f, "c", SEC(100), 1, false, 1, VT_PROP_ROTATION, 0, 100);
    fx_do(f, fx_trigger(f, when_of(VT_WHEN_ENTER, VT_STATE_ACTIVE)),
          act_set(0, VT_PROP_OPACITY, 1, 0));
    fx_do(f, fx_trigger(f, when_of(VT_WHEN_ENTER, VT_STATE_ATTRACT)),
          act_set(0, VT_PROP_OPACITY, 0, 0));
    fx_do(f, fx_trigger(f, when_of(VT_WHEN_LEAVE, VT_STATE_ATTRACT)),
          act_set(0, VT_PROP_ROTATION, 1, 0));
    fx_do(f, fx_trigger(f, when_of(VT_WHEN_LEAVE, VT_STATE_ACTIVE)),
          act_set(0, VT_PROP_ROTATION, 2, 0));
    fx_do(f, fx_trigger(f, when_idle(SEC(5))), act_at(VT_DO_PLAY, c, 0));

    vt_player *p = vt_player_create(&f->sc, 0);
    VT_CHECK(step(p, 0, 0).opacity == 0.0);                /* the initial attract was entered */
    VT_CHECK_NEAR(step(p, SEC(7), 1).rotation, 2.0, 1e-9); /* idle 5 s from the start */
    key(p, "space", SEC(7));
    vt_layer_props l0 = step(p, SEC(7), 0);
    VT_CHECK_INT(vt_player_state(p), VT_STATE_ACTIVE);
    VT_CHECK(l0.opacity == 1.0 && l0.rotation == 1.0);
    key(p, "space", SEC(8)); /* input in active: no enter/leave */
    VT_CHECK(step(p, SEC(8), 0).rotation == 1.0);
    VT_CHECK_NEAR(step(p, SEC(9), 1).rotation, 4.0, 1e-9); /* input did not fire idle */
    VT_CHECK_NEAR(step(p, MS(12999), 1).rotation, 7.999, 1e-9);
    VT_CHECK_NEAR(step(p, SEC(14), 1).rotation, 1.0, 1e-9); /* idle again at 8 + 5 s */
    step(p, MS(17999), 0);
    VT_CHECK_INT(vt_player_state(p), VT_STATE_ACTIVE);
    l0 = step(p, SEC(18), 0);
    VT_CHECK_INT(vt_player_state(p), VT_STATE_ATTRACT); /* 10 s after the last input */
    VT_CHECK(l0.opacity == 0.0 && l0.rotation == 2.0);
    VT_CHECK_NEAR(step(p, SEC(40), 1).rotation, 27.0, 1e-9); /* once per silence */
    VT_CHECK_INT(vt_player_state(p), VT_STATE_ATTRACT);
    vt_player_destroy(p);

    /* Touching leaves attract just as keys do; jumping over the timeout gives the same. */
    p = vt_player_create(&f->sc, 0);
    touch(p, VT_EVENT_TOUCH, -50, -50, SEC(1)); /* on no layer: still visitor input */
    VT_CHECK_INT(vt_player_state(p), VT_STATE_ACTIVE);
    l0 = step(p, SEC(100), 0);
    VT_CHECK_INT(vt_player_state(p), VT_STATE_ATTRACT);
    VT_CHECK(l0.opacity == 0.0 && l0.rotation == 2.0);
    VT_CHECK_NEAR(step(p, SEC(100), 1).rotation, 94.0, 1e-9); /* idle fired at 1 + 5 s */
    vt_player_destroy(p);
    free(f);
}

/* ---- Hit-testing ---- */

/* Layers 0..7 catch touches; markers 8..15 (off-canvas, hit=false) show which fired. */
static fixture *fx_hits(void) {
    fixture *f = fx_new(16);
    f->layers[0].props.size = (vt_vec2){1000, 1000}; /* the background */
    /* 100x50 scaled 2x1 about its centre at (500, 500), turned 90 degrees: x 475..525,
     * y 400..600 */
    f->layers[1].props.size = (vt_vec2){100, 50};
    f->layers[1].props.scale = (vt_vec2){2, 1};
    f->layers[1].props.anchor = (vt_vec2){0.5, 0.5};
    f->layers[1].props.position = (vt_vec2){500, 500};
    f->layers[1].props.rotation = 90;
    /* 100x20 from its top-left anchor at (200, 200), turned 90 clockwise: hangs down and
     * to the left, x 180..200, y 200..300 */
    f->layers[2].props.size = (vt_vec2){100, 20};
    f->layers[2].props.position = (vt_vec2){200, 200};
    f->layers[2].props.rotation = 90;
    f->layers[3].props.visible = false;              /* 0..100 x 0..100 */
    f->layers[4].props.position = (vt_vec2){100, 0}; /* hit=false */
    f->layers[4].hit = false;
    f->layers[5].props.position = (vt_vec2){0, 100}; /* opacity 0 still catches */
    f->layers[5].props.opacity = 0;
    f->layers[6].props.position = (vt_vec2){300, 0}; /* 6 and 7 overlap: 7 is on top */
    f->layers[7].props.position = (vt_vec2){350, 0};
    for (size_t i = 0; i < 8; i++) {
        f->layers[8 + i].hit = false;
        f->layers[8 + i].props.position = (vt_vec2){-500, -500};
        fx_do(f, fx_trigger(f, when_of(VT_WHEN_TOUCH, i)), act_set(8 + i, VT_PROP_OPACITY, 0, 0));
    }
    /* layer 6 slides right from 300 to 700 over 4 s */
    size_t tl = fx_timeline(f, "slide", SEC(4), 1, true);
    size_t tr = fx_track(f, tl, 6, VT_PROP_POSITION);
    fx_key4(f, tl, tr, 0, "linear", 300, 0, 0, 0);
    fx_key4(f, tl, tr, SEC(4), "linear", 700, 0, 0, 0);
    return f;
}

/* Which layer's touch trigger fired for a touch at (x, y) at time t: -1 none, -2 several. */
static int probe(const fixture *f, vt_event_type type, double x, double y, vt_ticks t) {
    vt_layer_props buf[FX_LAYERS];
    vt_player *p = vt_player_create(&f->sc, 0);
    touch(p, type, x, y, t);
    vt_player_update(p, t, buf);
    vt_player_destroy(p);
    int fired = -1;
    for (int i = 0; i < 8; i++) {
        if (buf[8 + i].opacity == 0.0) {
            fired = fired == -1 ? i : -2;
        }
    }
    return fired;
}

/* The state at t of a fresh player given key `k` at 1 s (and `k2` at t2 when given). */
static uint32_t state_after(const fixture *f, const char *k, const char *k2, vt_ticks t2,
                            vt_ticks t) {
    vt_player *p = vt_player_create(&f->sc, 0);
    key(p, k, SEC(1));
    if (k2) {
        key(p, k2, t2);
    }
    step(p, t, 0);
    uint32_t s = vt_player_state(p);
    vt_player_destroy(p);
    return s;
}

/* A story a visitor started holds the session: the silence counts from its end. */
static void test_idle_waits_for_story(void) {
    fixture *f = fx_new(1);
    f->sc.states.idle_after = SEC(10);
    size_t story = fx_ramp(f, "story", SEC(20), 1, false, 0, VT_PROP_ROTATION, 0, 20);
    size_t amb = fx_ramp(f, "amb", SEC(3), 0, false, 0, VT_PROP_OPACITY, 0, 1); /* forever */
    size_t again = fx_ramp(f, "again", SEC(20), 1, false, 0, VT_PROP_ROTATION, 0, 20);
    fx_do(f, fx_trigger(f, when_key("s")), act_at(VT_DO_PLAY, story, 0));
    fx_do(f, fx_trigger(f, when_key("x")), act(VT_DO_STOP, story));
    fx_do(f, fx_trigger(f, when_key("p")), act(VT_DO_PAUSE, story));
    fx_do(f, fx_trigger(f, when_key("l")), act_at(VT_DO_PLAY, amb, 0));
    fx_do(f, fx_trigger(f, when_key("a")), act_at(VT_DO_PLAY, again, 0));
    /* "again" restarts itself on its end: a loop made of triggers holds the session once. */
    fx_do(f, fx_trigger(f, when_of(VT_WHEN_TIMELINE_END, again)), act_at(VT_DO_PLAY, again, 0));

    /* Started at 1 s, ends at 21 s: back to attract 10 s later, not 10 s after the input. */
    VT_CHECK_INT(state_after(f, "s", NULL, 0, SEC(15)), VT_STATE_ACTIVE);
    VT_CHECK_INT(state_after(f, "s", NULL, 0, MS(30999)), VT_STATE_ACTIVE);
    VT_CHECK_INT(state_after(f, "s", NULL, 0, SEC(31)), VT_STATE_ATTRACT);
    vt_player *p = vt_player_create(&f->sc, 0);
    key(p, "s", SEC(1));
    vt_layer_props buf[FX_LAYERS];
    vt_player_update(p, SEC(22), buf);
    VT_CHECK_INT(vt_player_next_change(p, SEC(22)), SEC(31)); /* play sleeps to the timeout */
    vt_player_destroy(p);
    /* Stopped (or paused) early: the silence starts there. */
    VT_CHECK_INT(state_after(f, "s", "x", SEC(5), MS(14999)), VT_STATE_ACTIVE);
    VT_CHECK_INT(state_after(f, "s", "x", SEC(5), SEC(15)), VT_STATE_ATTRACT);
    VT_CHECK_INT(state_after(f, "s", "p", SEC(6), SEC(16)), VT_STATE_ATTRACT);
    /* A loop without end never holds it; a chain of ends holds it once per timeline. */
    VT_CHECK_INT(state_after(f, "l", NULL, 0, SEC(11)), VT_STATE_ATTRACT);
    VT_CHECK_INT(state_after(f, "a", NULL, 0, MS(30999)), VT_STATE_ACTIVE);
    VT_CHECK_INT(state_after(f, "a", NULL, 0, SEC(31)), VT_STATE_ATTRACT);
    /* idle_during_playback: true restores the input-only timer. */
    f->sc.states.idle_during_playback = true;
    VT_CHECK_INT(state_after(f, "s", NULL, 0, MS(10999)), VT_STATE_ACTIVE);
    VT_CHECK_INT(state_after(f, "s", NULL, 0, SEC(11)), VT_STATE_ATTRACT);
    free(f);
}

/* `touch: anywhere` fires on a touch or click wherever it lands, in file order with the layer's
 * own triggers; keys do not fire it. */
static void test_touch_anywhere(void) {
    fixture *f = fx_new(2); /* l0 at the origin, l1 at (500, 500), 100x100 */
    f->layers[1].props.position = (vt_vec2){500, 500};
    fx_do(f, fx_trigger(f, when_of(VT_WHEN_TOUCH, 1)), act_set(0, VT_PROP_ROTATION, 2, 0));
    fx_do(f, fx_trigger(f, (vt_when){.kind = VT_WHEN_TOUCH, .index = VT_WHEN_ANYWHERE}),
          act_set(0, VT_PROP_ROTATION, 1, 0));
    fx_do(f, fx_trigger(f, when_key("r")), act_set(0, VT_PROP_ROTATION, 0, 0));
    vt_player *p = vt_player_create(&f->sc, 0);
    key(p, "a", SEC(1));
    VT_CHECK(step(p, SEC(1), 0).rotation == 0.0); /* a key is not a touch */
    touch(p, VT_EVENT_TOUCH, 900, 900, SEC(2));   /* on no layer */
    VT_CHECK(step(p, SEC(2), 0).rotation == 1.0);
    key(p, "r", MS(2500));
    VT_CHECK(step(p, MS(2500), 0).rotation == 0.0);
    touch(p, VT_EVENT_CLICK, 550, 550, SEC(3)); /* on l1: l1's trigger, then anywhere's */
    VT_CHECK(step(p, SEC(3), 0).rotation == 1.0);
    vt_player_destroy(p);
    free(f);
}

static void test_hit(void) {
    fixture *f = fx_hits();
    VT_CHECK_INT(probe(f, VT_EVENT_TOUCH, 500, 590, 0), 1); /* inside only when turned */
    VT_CHECK_INT(probe(f, VT_EVENT_TOUCH, 500, 410, 0), 1);
    VT_CHECK_INT(probe(f, VT_EVENT_TOUCH, 590, 500, 0), 0); /* inside only if not turned */
    VT_CHECK_INT(probe(f, VT_EVENT_TOUCH, 520, 500, 0), 1);
    VT_CHECK_INT(probe(f, VT_EVENT_TOUCH, 190, 250, 0), 2); /* clockwise, y down */
    VT_CHECK_INT(probe(f, VT_EVENT_TOUCH, 210, 250, 0), 0);
    VT_CHECK_INT(probe(f, VT_EVENT_TOUCH, 250, 210, 0), 0);
    VT_CHECK_INT(probe(f, VT_EVENT_CLICK, 190, 299, 0), 2);
    VT_CHECK_INT(probe(f, VT_EVENT_CLICK, 50, 50, 0), 0);  /* invisible: skipped */
    VT_CHECK_INT(probe(f, VT_EVENT_TOUCH, 150, 50, 0), 0); /* hit=false: skipped */
    VT_CHECK_INT(probe(f, VT_EVENT_TOUCH, 50, 150, 0), 5); /* opacity 0: catches */
    VT_CHECK_INT(probe(f, VT_EVENT_TOUCH, 375, 50, 0), 7); /* topmost wins, alone */
    VT_CHECK_INT(probe(f, VT_EVENT_TOUCH, 325, 50, 0), 6);
    VT_CHECK_INT(probe(f, VT_EVENT_TOUCH, -5, 50, 0), -1); /* on nothing */
    /* through the animated transform: at 2 s layer 6 spans x 500..600 */
    VT_CHECK_INT(probe(f, VT_EVENT_TOUCH, 325, 50, SEC(2)), 0);
    VT_CHECK_INT(probe(f, VT_EVENT_TOUCH, 550, 50, SEC(2)), 6);
    /* a mask is never drawn itself: it catches nothing, the layer under it does */
    f->layers[7].is_mask = true;
    VT_CHECK_INT(probe(f, VT_EVENT_TOUCH, 375, 50, 0), 6);
    free(f);
}

/* ---- next_change ---- */

/* A 60 s show: a 3 s fade in every 20 s, held in between. */
static void test_next_change(void) {
    fixture *f = fx_new(1);
    size_t tl = fx_timeline(f, "fade", SEC(20), 3, true);
    size_t op = fx_track(f, tl, 0, VT_PROP_OPACITY);
    fx_key(f, tl, op, 0, "linear", 0);
    fx_key(f, tl, op, SEC(3), "in-out-sine", 1);
    fx_key(f, tl, op, SEC(20), "linear", 1);
    vt_player *p = vt_player_create(&f->sc, 0);
    vt_layer_props buf[1];
    VT_CHECK_INT(vt_player_next_change(p, 0), 0); /* never updated: draw now */
    int wakes = 0;
    for (vt_ticks t = 0; t <= SEC(70); t += MS(100)) {
        bool changed = vt_player_update(p, t, buf);
        vt_ticks next = vt_player_next_change(p, t);
        vt_ticks u = t % SEC(20);
        bool fading = t < SEC(60) && u < SEC(3);
        if (t >= SEC(60)) {
            VT_CHECK(next == INT64_MAX);
        } else if (fading) {
            VT_CHECK_INT(next, t);
        } else {
            VT_CHECK_INT(next, t - u + SEC(20));
        }
        /* the picture changes during fades and at the frame that lands on the fade's end or
         * the wrap, never during holds */
        bool expect = t == 0 || (t < SEC(60) && u <= SEC(3));
        if (t % SEC(20) == 0 && t > 0) {
            expect = t < SEC(60); /* wraps to 0; the end at 60 s holds 1, as before */
        }
        VT_CHECK_INT(changed, expect);
        wakes += next == t;
    }
    VT_CHECK_INT(wakes, 3 * 30); /* 30 frames of fade per cycle */
    vt_player_destroy(p);

    /* Paused: nothing will change. The idle timeout and idle triggers are deadlines. */
    f->tls[tl].autoplay = false;
    f->sc.states.idle_after = SEC(10);
    size_t idle = fx_trigger(f, when_idle(SEC(5)));
    fx_do(f, idle, act_set(0, VT_PROP_ROTATION, 1, 0));
    p = vt_player_create(&f->sc, 0);
    vt_player_update(p, 0, buf);
    VT_CHECK_INT(vt_player_next_change(p, SEC(1)), SEC(5)); /* attract: no timeout */
    vt_player_update(p, SEC(6), buf);
    VT_CHECK(vt_player_next_change(p, SEC(6)) == INT64_MAX);
    key(p, "a", SEC(7));
    vt_player_update(p, SEC(7), buf);
    VT_CHECK_INT(vt_player_next_change(p, SEC(7)), SEC(12));
    vt_player_update(p, SEC(12), buf);
    VT_CHECK_INT(vt_player_next_change(p, SEC(12)), SEC(17));
    vt_player_update(p, SEC(17), buf);
    VT_CHECK(vt_player_next_change(p, SEC(17)) == INT64_MAX);
    VT_CHECK_INT(vt_player_state(p), VT_STATE_ATTRACT);
    vt_player_destroy(p);
    free(f);
}

/* ---- Determinism ---- */

/* Timelines that chain on their ends at odd times, loops, keys, touches and idleness. */
static fixture *fx_show(void) {
    fixture *f = fx_new(4);
    f->sc.states.idle_after = MS(4321);
    uint32_t tour = fx_state(f, "tour");
    size_t a = fx_ramp(f, "a", MS(1370), 3, true, 0, VT_PROP_ROTATION, 0, 90);
    size_t b = fx_timeline(f, "b", MS(2230), 2, false);
    size_t tr = fx_track(f, b, 0, VT_PROP_POSITION);
    fx_key4(f, b, tr, 0, "linear", 0, 0, 0, 0);
    fx_key4(f, b, tr, MS(1117), "out-elastic", 300, 100, 0, 0);
    fx_key4(f, b, tr, MS(2230), "in-out-expo", 10, 500, 0, 0);
    tr = fx_track(f, b, 1, VT_PROP_COLOR);
    fx_key4(f, b, tr, 0, "linear", 10, 200, 30, 255);
    fx_key4(f, b, tr, MS(2230), "in-quad", 250, 0, 130, 40);
    size_t c = fx_ramp(f, "c", MS(777), 0, false, 2, VT_PROP_OPACITY, 1, 0);
    fx_ramp(f, "d", MS(3001), 1, false, 3, VT_PROP_SCALE, 1, 3);
    size_t t = fx_trigger(f, when_of(VT_WHEN_TIMELINE_END, a));
    fx_do(f, t, act_at(VT_DO_PLAY, b, MS(100)));
    fx_do(f, t, act(VT_DO_STATE, tour));
    t = fx_trigger(f, when_of(VT_WHEN_TIMELINE_END, b));
    fx_do(f, t, act_at(VT_DO_PLAY, a, 0));
    fx_do(f, fx_trigger(f, when_of(VT_WHEN_ENTER, tour)), act(VT_DO_PLAY, c));
    fx_do(f, fx_trigger(f, when_of(VT_WHEN_ENTER, VT_STATE_ATTRACT)), act(VT_DO_PAUSE, c));
    fx_do(f, fx_trigger(f, when_key("space")), act(VT_DO_PLAY, 3));
    fx_do(f, fx_trigger(f, when_of(VT_WHEN_TOUCH, 3)), act_at(VT_DO_SEEK, b, MS(2000)));
    fx_do(f, fx_trigger(f, when_idle(MS(2500))), act_set(3, VT_PROP_ROTATION, 33, 0));
    return f;
}

typedef struct show_input {
    int ms;
    vt_event_type type;
} show_input;

static const show_input show_inputs[] = {
    {1234, VT_EVENT_KEY},
    {5000, VT_EVENT_TOUCH},
    {5001, VT_EVENT_KEY},
    {13000, VT_EVENT_TOUCH},
};

/* Feeds the show's inputs and updates every `frame` ticks up to `end`, or only at the inputs
 * and at `end` when frame is 0; returns the properties at `end`. */
static void run_show(const fixture *f, vt_ticks frame, vt_ticks end, vt_layer_props *out) {
    vt_player *p = vt_player_create(&f->sc, 0);
    size_t next = 0, n = sizeof show_inputs / sizeof show_inputs[0];
    vt_ticks t = 0;
    for (;;) {
        while (next < n && MS(show_inputs[next].ms) <= t) {
            vt_event ev = {.type = show_inputs[next].type, .x = 50, .y = 50};
            strcpy(ev.name, "space");
            vt_player_input(p, &ev, MS(show_inputs[next].ms));
            next++;
        }
        vt_player_update(p, t, out);
        if (t == end) {
            break;
        }
        vt_ticks step_to = frame ? t + frame : end;
        if (!frame && next < n && MS(show_inputs[next].ms) < end) {
            step_to = MS(show_inputs[next].ms);
        }
        t = step_to < end ? step_to : end;
    }
    vt_player_destroy(p);
}

static void test_determinism(void) {
    fixture *f = fx_show();
    vt_player *p1 = vt_player_create(&f->sc, 0), *p2 = vt_player_create(&f->sc, 0);
    vt_layer_props a[4], b[4];
    size_t n = sizeof show_inputs / sizeof show_inputs[0], next = 0;
    bool same = true;
    for (vt_ticks t = 0; t <= SEC(20); t += vt_ticks_of_frame(1, 60)) {
        while (next < n && MS(show_inputs[next].ms) <= t) {
            vt_event ev = {.type = show_inputs[next].type, .x = 50, .y = 50};
            strcpy(ev.name, "space");
            vt_player_input(p1, &ev, t);
            vt_player_input(p2, &ev, t);
            next++;
        }
        bool c1 = vt_player_update(p1, t, a), c2 = vt_player_update(p2, t, b);
        same = same && c1 == c2 && props_same(a, b, 4) &&
               vt_player_next_change(p1, t) == vt_player_next_change(p2, t) &&
               vt_player_state(p1) == vt_player_state(p2);
    }
    VT_CHECK(same);
    vt_player_destroy(p1);
    vt_player_destroy(p2);

    /* Any split of time into updates gives the same show: events happen at their own time. */
    static const int checkpoints_ms[] = {700, 4110, 5001, 6543, 9999, 13000, 17777, 30000};
    for (size_t i = 0; i < sizeof checkpoints_ms / sizeof checkpoints_ms[0]; i++) {
        vt_ticks end = MS(checkpoints_ms[i]);
        vt_layer_props direct[4], fps60[4], fps7[4];
        run_show(f, 0, end, direct);
        run_show(f, vt_ticks_of_frame(1, 60), end, fps60);
        run_show(f, vt_ticks_of_frame(1, 7), end, fps7);
        if (!props_same(direct, fps60, 4) || !props_same(direct, fps7, 4)) {
            fprintf(stderr, "checkpoint %d ms differs\n", checkpoints_ms[i]);
        }
        VT_CHECK(props_same(direct, fps60, 4));
        VT_CHECK(props_same(direct, fps7, 4));
    }
    free(f);
}

/* ---- Hot reload ---- */

/* The edited scene: "a" twice as long, "gone" gone, a new timeline, states in another order;
 * its "show" state is returned in *show. */
static fixture *fx_edited(uint32_t *show) {
    fixture *f2 = fx_new(3);
    f2->sc.states.idle_after = SEC(10);
    fx_state(f2, "other");
    *show = fx_state(f2, "show");
    fx_ramp(f2, "fresh", SEC(10), 1, true, 1, VT_PROP_ROTATION, 100, 110);
    fx_ramp(f2, "a", SEC(20), 1, true, 0, VT_PROP_ROTATION, 0, 20);
    fx_ramp(f2, "paused", SEC(10), 1, true, 1, VT_PROP_OPACITY, 0, 1);
    size_t loop = fx_ramp(f2, "loop", SEC(1), 5, true, 2, VT_PROP_ROTATION, 0, 1);
    fx_do(f2, fx_trigger(f2, when_of(VT_WHEN_ENTER, *show)),
          act_set(0, VT_PROP_SCALE, 9, 9)); /* must not fire: no enter on reload */
    fx_do(f2, fx_trigger(f2, (vt_when){.kind = VT_WHEN_START}),
          act_set(0, VT_PROP_POSITION, 9, 9)); /* nor start */
    fx_do(f2, fx_trigger(f2, when_of(VT_WHEN_TIMELINE_END, loop)),
          act_set(0, VT_PROP_ANCHOR, 1, 1));
    return f2;
}

static void test_carry_over(void) {
    fixture *f1 = fx_new(3);
    f1->sc.states.idle_after = SEC(10);
    uint32_t show1 = fx_state(f1, "show");
    fx_ramp(f1, "a", SEC(10), 1, true, 0, VT_PROP_ROTATION, 0, 10);
    fx_ramp(f1, "gone", SEC(10), 1, true, 1, VT_PROP_ROTATION, 0, 10);
    size_t p1tl = fx_ramp(f1, "paused", SEC(10), 1, true, 1, VT_PROP_OPACITY, 0, 1);
    fx_ramp(f1, "loop", SEC(1), 5, true, 2, VT_PROP_ROTATION, 0, 1);
    size_t k = fx_trigger(f1, when_key("s"));
    fx_do(f1, k, act(VT_DO_STATE, show1));
    fx_do(f1, k, act(VT_DO_PAUSE, p1tl));
    fx_do(f1, k, act_set(2, VT_PROP_OPACITY, 0.25, 0));

    uint32_t show2;
    fixture *f2 = fx_edited(&show2);

    vt_player *old = vt_player_create(&f1->sc, 0);
    vt_layer_props buf[3];
    vt_player_update(old, SEC(1), buf);
    key(old, "s", SEC(2));
    vt_player_update(old, MS(3500), buf);

    vt_player *p = vt_player_create(&f2->sc, MS(3500));
    vt_player_carry_over(p, old, MS(3500));
    vt_player_destroy(old);
    VT_CHECK_INT(vt_player_state(p), show2);
    VT_CHECK(vt_player_update(p, MS(3500), buf)); /* a new player: first update draws */
    VT_CHECK(buf[0].rotation == 3.5);             /* the clock went on */
    VT_CHECK(buf[0].scale.x == 1.0 && buf[0].position.x == 0.0);
    VT_CHECK(buf[1].opacity == 0.2);    /* paused at 2 s, still paused */
    VT_CHECK(buf[1].rotation == 100.0); /* a new autoplay timeline starts at the reload */
    VT_CHECK(buf[2].opacity == 0.25);   /* set values stay */
    VT_CHECK(buf[2].rotation == 0.5);   /* play 4 of 5 */
    vt_player_update(p, MS(4900), buf);
    VT_CHECK(buf[0].anchor.x == 0.0);
    vt_player_update(p, SEC(5), buf);
    VT_CHECK(buf[0].anchor.x == 1.0); /* plays done carried: the loop ended at 5 s */
    VT_CHECK(buf[0].rotation == 5.0);
    VT_CHECK(buf[1].opacity == 0.2);
    VT_CHECK_NEAR(buf[1].rotation, 101.5, 1e-9);
    vt_player_update(p, MS(11999), buf);
    VT_CHECK_INT(vt_player_state(p), show2);
    vt_player_update(p, SEC(12), buf); /* idle timer carried: 10 s after the key at 2 s */
    VT_CHECK_INT(vt_player_state(p), VT_STATE_ATTRACT);
    vt_player_destroy(p);
    free(f1);
    free(f2);
}

int main(void) {
    test_track_eval();
    test_clamps();
    test_hold_and_visible();
    test_color_linear_light();
    test_loops();
    test_play_semantics();
    test_set_and_priority();
    test_trigger_order();
    test_trigger_loop_guard();
    test_idle();
    test_idle_waits_for_story();
    test_hit();
    test_touch_anywhere();
    test_next_change();
    test_determinism();
    test_carry_over();
    return vt_test_finish("test_player");
}
