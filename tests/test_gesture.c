/* Gestures and feedback in the player, on scenes loaded from text and driven by pointer events
 * as event scripts replay them: swipes (direction, layer, thresholds, one finger only), drag
 * within bounds and along an axis, pinch within its limits about the fingers' middle, scroll by
 * finger and wheel, pressed (eased) and selected styles, the pointer state for shaders, and the
 * positioned errors of the new keys. */
#include "player/vt_player.h"
#include "vt_test.h"
#include "diag_util.h"

#define PATH "g.yaml"
#define HEAD "format: vitrine/1\ncanvas:\n  size: [1000, 1000]\n"
#define MS(x) ((vt_ticks)(x) * (VT_TICKS_PER_SEC / 1000))
#define SEC(x) ((vt_ticks)(x)*VT_TICKS_PER_SEC)

static vt_scene *load(const char *yaml) {
    vt_diags d = {0};
    vt_scene *scene = NULL;
    vt_status st = vt_scene_load_string(yaml, strlen(yaml), PATH, 0, &scene, &d);
    VT_CHECK_INT(st, VT_OK);
    if (st != VT_OK) {
        vt_diags_print(&d, stderr);
    }
    vt_diags_free(&d);
    return scene;
}

static void ptr(vt_player *p, vt_event_type type, double x, double y, int64_t id, vt_ticks t) {
    vt_event ev = {.type = type, .x = x, .y = y, .pointer = id};
    vt_player_input(p, &ev, t);
}

static void wheel(vt_player *p, double x, double y, double dy, vt_ticks t) {
    vt_event ev = {.type = VT_EVENT_SCROLL, .x = x, .y = y, .dy = dy};
    vt_player_input(p, &ev, t);
}

/* One finger from (x0, y0) to (x1, y1) in `ms`, through the middle. */
static void stroke(vt_player *p, double x0, double y0, double x1, double y1, vt_ticks t,
                   int ms) {
    ptr(p, VT_EVENT_TOUCH, x0, y0, 0, t);
    ptr(p, VT_EVENT_MOVE, (x0 + x1) / 2, (y0 + y1) / 2, 0, t + MS(ms / 2));
    ptr(p, VT_EVENT_UP, x1, y1, 0, t + MS(ms));
}

static vt_layer_props at(vt_player *p, vt_ticks t, size_t layer) {
    vt_layer_props buf[8];
    vt_player_update(p, t, buf);
    return buf[layer];
}

/* ---- swipe ---- */

static const char swipe_scene[] =
    HEAD "layers:\n"
         "  - {id: slides, type: rect, size: [1000, 500], color: '#202020'}\n"
         "  - {id: mark, type: rect, size: [10, 10], position: [0, 900]}\n"
         "triggers:\n"
         "  - {when: {swipe: left, on: slides}, do: {set: {mark.rotation: 1}}}\n"
         "  - {when: {swipe: right}, do: {set: {mark.rotation: 2}}}\n"
         "  - {when: {swipe: up}, do: {set: {mark.rotation: 3}}}\n"
         "  - {when: {swipe: down, on: mark}, do: {set: {mark.rotation: 4}}}\n";

/* The mark's rotation after one stroke on a fresh player (0: no swipe fired). */
static double after_stroke(const vt_scene *sc, double x0, double y0, double x1, double y1,
                           int ms) {
    vt_player *p = vt_player_create(sc, 0);
    at(p, 0, 1);
    stroke(p, x0, y0, x1, y1, SEC(1), ms);
    double r = at(p, SEC(3), 1).rotation;
    vt_player_destroy(p);
    return r;
}

static void test_swipe(void) {
    vt_scene *sc = load(swipe_scene);
    if (!sc) {
        return;
    }
    VT_CHECK_NEAR(after_stroke(sc, 800, 200, 500, 220, 200), 1, 0); /* left, on slides */
    VT_CHECK_NEAR(after_stroke(sc, 800, 700, 500, 700, 200), 0, 0); /* left, not on slides */
    VT_CHECK_NEAR(after_stroke(sc, 200, 700, 500, 700, 200), 2, 0); /* right, anywhere */
    VT_CHECK_NEAR(after_stroke(sc, 200, 200, 500, 200, 200), 2, 0); /* right, on slides too */
    VT_CHECK_NEAR(after_stroke(sc, 500, 800, 500, 600, 200), 3, 0); /* up */
    /* thresholds: 6 % of 1000 = 60 px, within 1 s, the main direction twice the other */
    VT_CHECK_NEAR(after_stroke(sc, 500, 700, 561, 700, 200), 2, 0);
    VT_CHECK_NEAR(after_stroke(sc, 500, 700, 559, 700, 200), 0, 0);
    VT_CHECK_NEAR(after_stroke(sc, 200, 700, 500, 700, 1000), 2, 0);
    VT_CHECK_NEAR(after_stroke(sc, 200, 700, 500, 700, 1002), 0, 0);
    VT_CHECK_NEAR(after_stroke(sc, 200, 700, 500, 849, 200), 2, 0);
    VT_CHECK_NEAR(after_stroke(sc, 200, 700, 500, 851, 200), 0, 0); /* diagonal */
    /* the layer is where the finger lands: a swipe down that starts on the mark */
    VT_CHECK_NEAR(after_stroke(sc, 5, 905, 5, 990, 100), 4, 0);
    /* two fingers at once are not a swipe (nor two swipes) */
    vt_player *p = vt_player_create(sc, 0);
    ptr(p, VT_EVENT_TOUCH, 200, 700, 1, SEC(1));
    ptr(p, VT_EVENT_TOUCH, 200, 800, 2, SEC(1));
    ptr(p, VT_EVENT_UP, 500, 700, 1, MS(1200));
    ptr(p, VT_EVENT_UP, 500, 800, 2, MS(1200));
    VT_CHECK_NEAR(at(p, SEC(2), 1).rotation, 0, 0);
    /* a tap (a script's touch line) is never a swipe, and an unknown finger's up is ignored */
    vt_event tap = {.type = VT_EVENT_TOUCH, .x = 200, .y = 700, .tap = true};
    vt_player_input(p, &tap, SEC(3));
    ptr(p, VT_EVENT_UP, 500, 700, 0, MS(3100));
    VT_CHECK_NEAR(at(p, SEC(4), 1).rotation, 0, 0);
    vt_player_destroy(p);
    vt_scene_destroy(sc);
}

/* ---- drag, scroll, pinch ---- */

static const char move_scene[] =
    HEAD "layers:\n"
         "  - {id: puck, type: rect, size: [100, 100], position: [100, 100],\n"
         "     drag: {bounds: [0, 0, 500, 500]}}\n"
         "  - {id: rail, type: rect, size: [100, 100], position: [600, 100], drag: {axis: x}}\n"
         "  - {id: page, type: rect, size: [300, 100], position: [0, 600],\n"
         "     scroll: {bounds: [0, 300, 0, 600], step: 50}}\n"
         "  - {id: art, type: rect, size: [200, 200], anchor: [0.5, 0.5], position: [700, 700],\n"
         "     pinch: {min: 1, max: 3}, drag: true}\n";

static void test_drag(void) {
    vt_scene *sc = load(move_scene);
    if (!sc) {
        return;
    }
    vt_player *p = vt_player_create(sc, 0);
    at(p, 0, 0);
    /* grabbed at (150, 150): the puck keeps its offset to the finger */
    ptr(p, VT_EVENT_TOUCH, 150, 150, 0, SEC(1));
    ptr(p, VT_EVENT_MOVE, 450, 350, 0, MS(1100));
    vt_layer_props lp = at(p, MS(1100), 0);
    VT_CHECK_NEAR(lp.position.x, 400, 0);
    VT_CHECK_NEAR(lp.position.y, 300, 0);
    ptr(p, VT_EVENT_MOVE, 900, -50, 0, MS(1200)); /* within its bounds */
    lp = at(p, MS(1200), 0);
    VT_CHECK_NEAR(lp.position.x, 500, 0);
    VT_CHECK_NEAR(lp.position.y, 0, 0);
    ptr(p, VT_EVENT_UP, 900, -50, 0, MS(1300));
    ptr(p, VT_EVENT_MOVE, 100, 100, 0, MS(1400)); /* up: no longer follows */
    lp = at(p, SEC(2), 0);
    VT_CHECK_NEAR(lp.position.x, 500, 0);
    /* axis x: only across; default bounds: the canvas */
    ptr(p, VT_EVENT_TOUCH, 650, 150, 3, SEC(3));
    ptr(p, VT_EVENT_MOVE, 1500, 400, 3, MS(3100));
    lp = at(p, MS(3100), 1);
    VT_CHECK_NEAR(lp.position.x, 1000, 0);
    VT_CHECK_NEAR(lp.position.y, 100, 0);
    ptr(p, VT_EVENT_UP, 1500, 400, 3, MS(3200));
    /* scroll: a finger along y only, the wheel `step` pixels a notch, within bounds */
    ptr(p, VT_EVENT_TOUCH, 50, 650, 0, SEC(4));
    ptr(p, VT_EVENT_MOVE, 250, 550, 0, MS(4100));
    ptr(p, VT_EVENT_UP, 250, 550, 0, MS(4100));
    lp = at(p, MS(4100), 2);
    VT_CHECK_NEAR(lp.position.x, 0, 0);
    VT_CHECK_NEAR(lp.position.y, 500, 0);
    wheel(p, 50, 550, 2, SEC(5)); /* toward the visitor: the content moves up */
    VT_CHECK_NEAR(at(p, SEC(5), 2).position.y, 400, 0);
    wheel(p, 50, 450, 10, SEC(6));
    VT_CHECK_NEAR(at(p, SEC(6), 2).position.y, 300, 0);
    wheel(p, 50, 850, -1, SEC(7)); /* not on the page: nothing */
    VT_CHECK_NEAR(at(p, SEC(7), 2).position.y, 300, 0);
    vt_player_destroy(p);
    vt_scene_destroy(sc);
}

static void test_pinch(void) {
    vt_scene *sc = load(move_scene);
    if (!sc) {
        return;
    }
    vt_player *p = vt_player_create(sc, 0);
    at(p, 0, 3);
    /* two fingers 100 px apart about the middle (700, 700), then 200 apart: twice the size */
    ptr(p, VT_EVENT_TOUCH, 650, 700, 1, SEC(1));
    ptr(p, VT_EVENT_TOUCH, 750, 700, 2, SEC(1));
    ptr(p, VT_EVENT_MOVE, 600, 700, 1, MS(1100));
    ptr(p, VT_EVENT_MOVE, 800, 700, 2, MS(1100));
    vt_layer_props lp = at(p, MS(1100), 3);
    VT_CHECK_NEAR(lp.scale.x, 2, 1e-12);
    VT_CHECK_NEAR(lp.scale.y, 2, 1e-12);
    VT_CHECK_NEAR(lp.position.x, 700, 1e-9);
    VT_CHECK_NEAR(lp.position.y, 700, 1e-9);
    /* wider than max: 3; the middle moved 50 px down: the layer follows it */
    ptr(p, VT_EVENT_MOVE, 450, 750, 1, MS(1200));
    ptr(p, VT_EVENT_MOVE, 950, 750, 2, MS(1200));
    lp = at(p, MS(1200), 3);
    VT_CHECK_NEAR(lp.scale.x, 3, 1e-12);
    VT_CHECK_NEAR(lp.position.y, 750, 1e-9);
    /* closer than min: 1 */
    ptr(p, VT_EVENT_MOVE, 690, 750, 1, MS(1300));
    ptr(p, VT_EVENT_MOVE, 710, 750, 2, MS(1300));
    VT_CHECK_NEAR(at(p, MS(1300), 3).scale.x, 1, 1e-12);
    /* one finger leaves: the other drags on from there */
    ptr(p, VT_EVENT_UP, 690, 750, 1, MS(1400));
    ptr(p, VT_EVENT_MOVE, 810, 850, 2, MS(1500));
    lp = at(p, MS(1500), 3);
    VT_CHECK_NEAR(lp.position.x, 800, 1e-9);
    VT_CHECK_NEAR(lp.position.y, 850, 1e-9);
    ptr(p, VT_EVENT_UP, 810, 850, 2, MS(1600));
    /* the wheel zooms about the pointer: toward the visitor zooms out, within the limits */
    wheel(p, 800, 850, -1, SEC(2));
    lp = at(p, SEC(2), 3);
    VT_CHECK_NEAR(lp.scale.x, 1.1, 1e-12);
    VT_CHECK_NEAR(lp.position.x, 800, 1e-9);
    wheel(p, 800, 850, 3, SEC(3));
    VT_CHECK_NEAR(at(p, SEC(3), 3).scale.x, 1, 1e-12);
    vt_player_destroy(p);
    vt_scene_destroy(sc);
}

/* ---- feedback ---- */

static const char feedback_scene[] =
    HEAD "language: fr\n"
         "layers:\n"
         "  - {id: fr, type: rect, size: [100, 100], position: [0, 0],\n"
         "     pressed: {scale: 0.9, opacity: 0.5}, selected: {color: '#ff0000'}}\n"
         "  - {id: en, type: rect, size: [100, 100], position: [200, 0],\n"
         "     selected: {color: '#ff0000'}}\n"
         "  - {id: title, type: text, text: {fr: Bonjour, en: Hello}, position: [0, 500]}\n"
         "  - {id: quiz, type: rect, size: [10, 10], position: [0, 900],\n"
         "     selected: {state: quiz, opacity: 0.25}}\n"
         "states: {custom: [quiz]}\n"
         "triggers:\n"
         "  - {when: {touch: fr}, do: {language: fr}}\n"
         "  - {when: {touch: en}, do: {language: en}}\n"
         "  - {when: {key: q}, do: {state: quiz}}\n";

static void test_pressed(void) {
    vt_scene *sc = load(feedback_scene);
    if (!sc) {
        return;
    }
    vt_player *p = vt_player_create(sc, 0);
    at(p, 0, 0);
    ptr(p, VT_EVENT_TOUCH, 50, 50, 0, SEC(1));
    VT_CHECK(vt_player_next_change(p, SEC(1)) == SEC(1)); /* easing in: every frame */
    vt_layer_props lp = at(p, SEC(1), 0);
    VT_CHECK_NEAR(lp.scale.x, 1, 0);
    lp = at(p, MS(1050), 0); /* halfway in time, ease out: 0.75 of the way */
    VT_CHECK_NEAR(lp.scale.x, 1 - 0.1 * 0.75, 1e-12);
    VT_CHECK_NEAR(lp.opacity, 1 - 0.5 * 0.75, 1e-12);
    lp = at(p, MS(1100), 0);
    VT_CHECK_NEAR(lp.scale.x, 0.9, 1e-12);
    VT_CHECK_NEAR(lp.opacity, 0.5, 1e-12);
    VT_CHECK(vt_player_next_change(p, SEC(2)) > SEC(2)); /* held still: no frames */
    VT_CHECK_NEAR(at(p, SEC(5), 0).scale.x, 0.9, 1e-12);
    ptr(p, VT_EVENT_UP, 50, 50, 0, SEC(6));
    VT_CHECK_NEAR(at(p, MS(6050), 0).scale.x, 0.9 + 0.1 * 0.75, 1e-12);
    VT_CHECK_NEAR(at(p, MS(6100), 0).scale.x, 1, 1e-12);
    /* a tap shows no pressed state */
    vt_event tap = {.type = VT_EVENT_TOUCH, .x = 50, .y = 50, .tap = true};
    vt_player_input(p, &tap, SEC(7));
    VT_CHECK_NEAR(at(p, MS(7050), 0).scale.x, 1, 0);
    vt_player_destroy(p);
    vt_scene_destroy(sc);
}

static void test_selected(void) {
    vt_scene *sc = load(feedback_scene);
    if (!sc) {
        return;
    }
    vt_player *p = vt_player_create(sc, 0);
    vt_layer_props buf[4];
    vt_player_update(p, 0, buf);
    VT_CHECK_INT(buf[0].color.g, 0); /* fr is the current language */
    VT_CHECK_INT(buf[1].color.g, 255);
    VT_CHECK_NEAR(buf[3].opacity, 1, 0);
    vt_event tap = {.type = VT_EVENT_TOUCH, .x = 250, .y = 50, .tap = true};
    vt_player_input(p, &tap, SEC(1));
    VT_CHECK(vt_player_update(p, SEC(1), buf));
    VT_CHECK_INT(buf[0].color.g, 255);
    VT_CHECK_INT(buf[1].color.r, 255);
    VT_CHECK_INT(buf[1].color.g, 0);
    vt_event q = {.type = VT_EVENT_KEY, .name = "q"};
    vt_player_input(p, &q, SEC(2));
    vt_player_update(p, SEC(2), buf);
    VT_CHECK_NEAR(buf[3].opacity, 0.25, 0);
    vt_player_destroy(p);
    vt_scene_destroy(sc);
}

/* The pointer shaders read: the first finger down, else where the last one was. */
static void test_pointer_state(void) {
    vt_scene *sc = load(swipe_scene);
    if (!sc) {
        return;
    }
    vt_player *p = vt_player_create(sc, 0);
    vt_pointer_state st = vt_player_pointer(p);
    VT_CHECK(!st.down && st.x == 0 && st.count == 0);
    ptr(p, VT_EVENT_TOUCH, 10, 20, 5, SEC(1));
    ptr(p, VT_EVENT_TOUCH, 30, 40, 6, SEC(1));
    ptr(p, VT_EVENT_MOVE, 15, 25, 5, SEC(2));
    st = vt_player_pointer(p);
    VT_CHECK(st.down);
    VT_CHECK_INT(st.count, 2);
    VT_CHECK_NEAR(st.x, 15, 0);
    VT_CHECK_NEAR(st.down_x, 10, 0);
    ptr(p, VT_EVENT_UP, 16, 26, 5, SEC(3));
    st = vt_player_pointer(p);
    VT_CHECK_INT(st.count, 1);
    VT_CHECK_NEAR(st.x, 30, 0); /* finger 6 now */
    ptr(p, VT_EVENT_UP, 31, 41, 6, SEC(3));
    st = vt_player_pointer(p);
    VT_CHECK(!st.down);
    VT_CHECK_NEAR(st.x, 31, 0);
    VT_CHECK_NEAR(st.y, 41, 0);
    vt_player_destroy(p);
    vt_scene_destroy(sc);
}

/* ---- errors ---- */

typedef struct bad_case {
    const char *yaml; /* after HEAD and a `layers:` line with a rect b */
    const char *expected;
} bad_case;

#define LAYER "layers:\n  - {id: b, type: rect, size: [10, 10], "
#define E(line, col, msg) PATH ":" #line ":" #col ": error: " msg "\n"
static const bad_case bad_cases[] = {
    {LAYER "}\ntriggers:\n  - {when: {swipe: lft}, do: {set: {b.opacity: 0}}}\n",
     E(7, 20, "'swipe' must be left, right, up or down, not 'lft'; did you mean 'left'?")},
    {LAYER "}\ntriggers:\n  - {when: {swipe: up, on: c}, do: {set: {b.opacity: 0}}}\n",
     E(7, 28, "unknown layer 'c'; did you mean 'b'?")},
    {LAYER "}\ntriggers:\n  - {when: {key: a, on: b}, do: {set: {b.opacity: 0}}}\n",
     E(7, 21, "'on' goes with 'swipe' (where the finger lands), like {swipe: left, on: slides}; "
              "a 'key' trigger has no 'on'")},
    {LAYER "drag: {axis: z}}\n", E(5, 54, "'drag.axis' must be both, x or y, not 'z'")},
    {LAYER "scroll: {axis: both}}\n",
     E(5, 56, "'scroll.axis' must be x or y, not 'both'")},
    {LAYER "drag: {bounds: [10, 0, 0, 10]}}\n",
     E(5, 56, "'drag.bounds' is [x0, y0, x1, y1] with x0 <= x1 and y0 <= y1; swap the corners, "
              "like [0, 0, 10, 10]")},
    {LAYER "drag: {speed: 2}}\n",
     E(5, 48, "unknown key 'speed' in 'drag'; valid keys: axis, bounds")},
    {LAYER "drag: true, scroll: true}\n",
     E(5, 53, "a layer moves under one finger by 'drag' or by 'scroll', not both; keep 'drag' "
              "(any direction) or 'scroll' (one axis, and the wheel)")},
    {LAYER "pinch: {min: 3, max: 2}}\n",
     E(5, 48, "'pinch.min' (3) is more than 'pinch.max' (2); swap them")},
    {LAYER "pressed: {scael: 0.9}}\n",
     E(5, 51, "unknown property 'scael' in 'pressed'; did you mean 'scale'?")},
    {LAYER "pressed: {opacity: 2}}\n",
     E(5, 60, "'pressed.opacity' must be between 0 and 1, got 2")},
    {LAYER "selected: {color: '#ff0000'}}\n",
     E(5, 41, "'selected' does not know when the layer is the current choice: no touch trigger "
              "of it sets a language or a state; add 'language: fr' or 'state: NAME' to it")},
    {LAYER "selected: {state: quizz, opacity: 0}}\n",
     E(5, 59, "unknown state 'quizz'; states: attract, active")},
};

static void test_errors(void) {
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        char *yaml = vt_xasprintf(HEAD "%s", bad_cases[i].yaml);
        vt_diags d = {0};
        vt_scene *sc = NULL;
        VT_CHECK_INT(vt_scene_load_string(yaml, strlen(yaml), PATH, 0, &sc, &d), VT_E_DATAERR);
        char *got = diags_text(&d);
        if (!strstr(got, bad_cases[i].expected)) {
            fprintf(stderr, "case %zu:\nwant %sgot  %s", i, bad_cases[i].expected, got);
            VT_CHECK(false);
        }
        free(got);
        vt_diags_free(&d);
        free(yaml);
    }
}

int main(void) {
    test_swipe();
    test_drag();
    test_pinch();
    test_pressed();
    test_selected();
    test_pointer_state();
    test_errors();
    return vt_test_finish("test_gesture");
}
