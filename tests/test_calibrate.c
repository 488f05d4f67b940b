/* Tests of play --calibrate's keys (engine/app/play_calibrate.c), without a window: Tab walks
 * the points then the outputs, arrows move the selected point (Shift: finer), a move that would
 * fold the warp is refused, [ ] and - = change blends and black level, s asks for a save,
 * Escape leaves calibration, and any other key is left to the scene. */
#include "app/app_internal.h"
#include "vt_test.h"

#include <string.h>

static const char yaml[] = "outputs:\n"
                           "  - id: left\n    source: [0, 0, 200, 100]\n"
                           "    edge_blend: {right: 20}\n"
                           "  - id: curved\n    source: [180, 0, 200, 100]\n"
                           "    warp: {grid: {cols: 2, rows: 2, points: [[0, 0], [1, 0], [0, 1], "
                           "[1, 1]]}}\n";

int main(void) {
    vt_config cfg;
    vt_diags d = {0};
    VT_CHECK_INT(vt_config_load_string(yaml, strlen(yaml), "t.yaml", &cfg, &d), VT_OK);
    vt_outputs *o = &cfg.outputs;
    vt_calib c = {0};
    VT_CHECK_INT(vt_calib_key(&c, o, "tab", false), VT_CALIB_NOT_MINE); /* not calibrating */
    c.on = true;
    VT_CHECK_INT(vt_calib_key(&c, o, "a", false), VT_CALIB_NOT_MINE); /* the scene's key */
    VT_CHECK_INT(vt_calib_key(&c, o, "space", false), VT_CALIB_NOT_MINE);
    /* Arrows move the top-left corner. */
    VT_CHECK_INT(vt_calib_key(&c, o, "right", false), VT_CALIB_CHANGED);
    VT_CHECK_NEAR(o->items[0].corners[0][0], 0.005, 1e-12);
    VT_CHECK_INT(vt_calib_key(&c, o, "down", true), VT_CALIB_CHANGED);
    VT_CHECK_NEAR(o->items[0].corners[0][1], 0.0005, 1e-12);
    VT_CHECK(c.dirty);
    /* Tab: the top-right corner; pushing it past the top-left would cross: refused. */
    VT_CHECK_INT(vt_calib_key(&c, o, "tab", false), VT_CALIB_CHANGED);
    VT_CHECK_INT((long)c.point, 1);
    for (int i = 0; i < 400; i++) {
        vt_calib_key(&c, o, "left", false);
    }
    VT_CHECK(vt_warp_corners_problem(o->items[0].corners) == NULL);
    VT_CHECK(o->items[0].corners[1][0] > o->items[0].corners[0][0]);
    /* Blend and black level. */
    VT_CHECK_INT(vt_calib_key(&c, o, "]", false), VT_CALIB_CHANGED);
    VT_CHECK_NEAR(o->items[0].blend[VT_EDGE_RIGHT], 28, 0);
    VT_CHECK_NEAR(o->items[0].blend[VT_EDGE_LEFT], 0, 0); /* a side without blend keeps none */
    VT_CHECK_INT(vt_calib_key(&c, o, "[", true), VT_CALIB_CHANGED);
    VT_CHECK_NEAR(o->items[0].blend[VT_EDGE_RIGHT], 27, 0);
    VT_CHECK_INT(vt_calib_key(&c, o, "=", false), VT_CALIB_CHANGED);
    VT_CHECK_NEAR(o->items[0].black_level, 0.005, 1e-12);
    VT_CHECK_INT(vt_calib_key(&c, o, "-", false), VT_CALIB_CHANGED);
    VT_CHECK_INT(vt_calib_key(&c, o, "-", false), VT_CALIB_CHANGED);
    VT_CHECK_NEAR(o->items[0].black_level, 0, 0); /* never below 0 */
    /* Past the last corner: the next output's first grid point; moving it re-tessellates. */
    vt_calib_key(&c, o, "tab", false);
    vt_calib_key(&c, o, "tab", false);
    VT_CHECK_INT(vt_calib_key(&c, o, "tab", false), VT_CALIB_CHANGED);
    VT_CHECK_INT((long)c.output, 1);
    VT_CHECK_INT((long)c.point, 0);
    uint32_t serial = o->items[1].serial;
    VT_CHECK_INT(vt_calib_key(&c, o, "right", false), VT_CALIB_CHANGED);
    VT_CHECK_NEAR(o->items[1].grid[0], 0.005, 1e-12);
    VT_CHECK(o->items[1].serial != serial);
    double cx, cy;
    VT_CHECK(vt_output_to_canvas(&o->items[1], 100, 50, &cx, &cy)); /* the new triangles */
    char line[400];
    vt_calib_banner(&c, o, 1, line, sizeof line);
    VT_CHECK(strstr(line, "output 'curved'  point 1 of 4") != NULL);
    VT_CHECK(strstr(line, "p: pattern  s: save  Esc: leave") != NULL);
    vt_calib_banner(&c, o, 0, line, sizeof line); /* the other output names itself */
    VT_CHECK(strstr(line, "output 'left'  |  editing 'curved'") != NULL);
    /* p: the pattern over the show, alone, off, over again. */
    c.pattern = VT_OUTPUT_PATTERN_OVER;
    VT_CHECK_INT(vt_calib_key(&c, o, "p", false), VT_CALIB_CHANGED);
    VT_CHECK_INT(c.pattern, VT_OUTPUT_PATTERN_ALONE);
    vt_calib_key(&c, o, "p", false);
    VT_CHECK_INT(c.pattern, VT_OUTPUT_PATTERN_NONE);
    vt_calib_key(&c, o, "p", false);
    VT_CHECK_INT(c.pattern, VT_OUTPUT_PATTERN_OVER);
    /* The pointer, in the left output (200 x 100 px): a press far from any corner is the
     * scene's; one 4 px from the bottom-right corner grabs it, selects it, and drags it keeping
     * the offset; a fold is refused; up lets go, and a move then is the scene's again. */
    vt_event down = {.type = VT_EVENT_CLICK, .pointer = VT_POINTER_MOUSE};
    vt_event mv = {.type = VT_EVENT_MOVE, .pointer = VT_POINTER_MOUSE};
    vt_event up = {.type = VT_EVENT_UP, .pointer = VT_POINTER_MOUSE};
    VT_CHECK_INT(vt_calib_pointer(&c, o, 0, &down, 0.5, 0.5, 200, 100), VT_CALIB_NOT_MINE);
    VT_CHECK_INT(vt_calib_pointer(&c, o, 0, &down, 0.98, 1.0, 200, 100), VT_CALIB_CHANGED);
    VT_CHECK_INT((long)c.output, 0);
    VT_CHECK_INT((long)c.point, 2);
    VT_CHECK_INT(vt_calib_pointer(&c, o, 0, &mv, 0.88, 0.9, 200, 100), VT_CALIB_CHANGED);
    VT_CHECK_NEAR(o->items[0].corners[2][0], 0.9, 1e-12);
    VT_CHECK_NEAR(o->items[0].corners[2][1], 0.9, 1e-12);
    VT_CHECK_INT(vt_calib_pointer(&c, o, 0, &mv, -0.5, -0.5, 200, 100), VT_CALIB_CHANGED);
    VT_CHECK(vt_warp_corners_problem(o->items[0].corners) == NULL); /* refused: no fold */
    VT_CHECK_INT(vt_calib_pointer(&c, o, 0, &up, 0.83, 0.95, 200, 100), VT_CALIB_CHANGED);
    VT_CHECK_NEAR(o->items[0].corners[2][0], 0.85, 1e-12);
    VT_CHECK_NEAR(o->items[0].corners[2][1], 0.95, 1e-12);
    VT_CHECK(!c.dragging);
    VT_CHECK_INT(vt_calib_pointer(&c, o, 0, &mv, 0.5, 0.5, 200, 100), VT_CALIB_NOT_MINE);
    /* A grid point of the other output, by finger. */
    vt_event touch = {.type = VT_EVENT_TOUCH, .pointer = 3};
    VT_CHECK_INT(vt_calib_pointer(&c, o, 1, &touch, 0.99, 0.01, 200, 100), VT_CALIB_CHANGED);
    VT_CHECK_INT((long)c.output, 1);
    VT_CHECK_INT((long)c.point, 1);
    VT_CHECK_INT(vt_calib_pointer(&c, o, 1, &mv, 0.5, 0.5, 200, 100), VT_CALIB_NOT_MINE);
    VT_CHECK_INT(vt_calib_key(&c, o, "s", false), VT_CALIB_SAVE);
    VT_CHECK_INT(vt_calib_key(&c, o, "escape", false), VT_CALIB_LEFT);
    VT_CHECK(!c.on);
    VT_CHECK_INT(vt_calib_key(&c, o, "escape", false), VT_CALIB_NOT_MINE); /* the show's again */
    vt_config_free(&cfg);
    vt_diags_free(&d);
    return vt_test_finish("test_calibrate");
}
