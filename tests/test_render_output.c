/* Tests of the projection output pass (engine/render/output.c, shaders/output.*.glsl), headless:
 * known patterns drawn through warps and blends, and pixels sampled. The corners land where
 * asked, straight lines stay straight under a corner pin and perspective is right (equal steps
 * on a receding edge shrink as x = 2u / (1 + u)), the two ramps of an overlap add up to full
 * light at the projector's gamma (and to 0.5 signal each at gamma 1), a grid warp puts each
 * control point where it says, black level lifts only outside the overlap, trim scales. */
#include "platform/vt_platform.h"
#include "render/vt_render.h"
#include "scene/vt_scene.h"
#include "vt_test.h"
#include "render_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Loads the scene, draws its canvas once at the outputs' density, then output `id`. */
static bool render_output(const char *yaml, const char *id, vt_frame_pixels *f) {
    vt_scene *sc = NULL;
    vt_diags d = {0};
    vt_status st = vt_scene_load_string(yaml, strlen(yaml), "outputs/t.yaml", 0, &sc, &d);
    VT_CHECK_INT(st, VT_OK);
    if (st != VT_OK) {
        vt_diags_print(&d, stderr);
        vt_diags_free(&d);
        return false;
    }
    vt_diags_free(&d);
    const vt_output *o = vt_outputs_find(&sc->outputs, id);
    VT_CHECK(o != NULL);
    int tw, th;
    vt_outputs_canvas_target(&sc->outputs, sc->width, sc->height, &tw, &th);
    vt_renderer *r = NULL;
    vt_error err = {0};
    vt_renderer_desc desc = {tw, th};
    bool ok = o && vt_renderer_create(&desc, &r, &err) == VT_OK &&
              vt_renderer_load_scene(r, sc, &err) == VT_OK;
    if (ok) {
        vt_draw_item items[16];
        for (size_t i = 0; i < sc->layer_count && i < 16; i++) {
            items[i] = (vt_draw_item){.layer = (uint32_t)i, .props = sc->layers[i].props};
        }
        vt_renderer_draw(r, sc, items, sc->layer_count, 1.0);
        vt_renderer_draw_output(r, sc, o);
        int w, h;
        vt_output_size(o, &w, &h);
        /* The output pass's pixels count in what the energy model charges for a frame. */
        VT_CHECK_NEAR(vt_renderer_output_pixels(r), (double)w * h, 0);
        vt_renderer_read_start(r, 0);
        ok = vt_renderer_read_finish(r, 0, f, &err) == VT_OK;
        VT_CHECK_INT(f->width, w);
        VT_CHECK_INT(f->height, h);
    }
    if (err.message[0]) {
        fprintf(stderr, "render_output: %s\n", err.message);
    }
    VT_CHECK(ok);
    vt_renderer_destroy(r);
    vt_scene_destroy(sc);
    return ok;
}

static int red(const vt_frame_pixels *f, int x, int y) {
    return vt_px(f, x, y)[0];
}

#define RECT(id, x, y, w, h, c)                                                                    \
    "  - {id: " #id ", type: rect, position: [" #x ", " #y "], anchor: [0, 0], size: [" #w ", " #h \
    "], color: \"" c "\"}\n"

/* The pixel of colour (r, g, b) nearest to (ex, ey): how far it is. */
static double nearest(const vt_frame_pixels *f, int r, int g, int b, double ex, double ey) {
    double best = 1e9;
    for (int y = 0; y < f->height; y++) {
        for (int x = 0; x < f->width; x++) {
            const uint8_t *p = vt_px(f, x, y);
            if (abs(p[0] - r) < 40 && abs(p[1] - g) < 40 && abs(p[2] - b) < 40) {
                /* the pixel's outer corner toward the expected point */
                double dx = fmax(0, fmax(x - ex, ex - (x + 1))),
                       dy = fmax(0, fmax(y - ey, ey - (y + 1)));
                best = fmin(best, hypot(dx, dy));
            }
        }
    }
    return best;
}

static void test_corners_land(void) {
    const char *yaml = "format: vitrine/1\ncanvas: {size: [200, 200], background: \"#000000\"}\n"
                       "layers:\n" RECT(r1, 0, 0, 8, 8, "#ff0000") RECT(r2, 192, 0, 8, 8, "#00ff00")
                           RECT(r3, 192, 192, 8, 8, "#0000ff")
                               RECT(r4, 0, 192, 8, 8,
                                    "#ffff00") "outputs:\n  - id: o\n    source: [0, 0, 200, 200]\n"
                                               "    warp: {corners: [[0.1, 0.2], [0.8, 0.1], [0.9, "
                                               "0.9], [0.2, 0.7]]}\n";
    vt_frame_pixels f = {0};
    if (render_output(yaml, "o", &f)) {
        VT_CHECK(nearest(&f, 255, 0, 0, 20, 40) <= 1.5);
        VT_CHECK(nearest(&f, 0, 255, 0, 160, 20) <= 1.5);
        VT_CHECK(nearest(&f, 0, 0, 255, 180, 180) <= 1.5);
        VT_CHECK(nearest(&f, 255, 255, 0, 40, 140) <= 1.5);
        /* Outside the quad: black. */
        VT_CHECK_INT(red(&f, 2, 2), 0);
        VT_CHECK_INT(red(&f, 197, 100), 0);
    }
    free(f.rgba);
}

/* The intensity-weighted centre of column x's (or row y's) bright pixels between lo and hi. */
static double centre(const vt_frame_pixels *f, int fixed, bool column, int lo, int hi) {
    double sum = 0, wsum = 0;
    for (int k = lo; k < hi; k++) {
        int v = column ? red(f, fixed, k) : red(f, k, fixed);
        sum += v * (k + 0.5);
        wsum += v;
    }
    return wsum > 0 ? sum / wsum : -1;
}

static void test_straight_lines(void) {
    const char *yaml =
        "format: vitrine/1\ncanvas: {size: [200, 200], background: \"#000000\"}\n"
        "layers:\n" RECT(
            r5, 0, 60, 200, 3,
            "#ffffff") "outputs:\n  - id: o\n    source: [0, 0, 200, 200]\n"
                       "    warp: {corners: [[0.1, 0.2], [0.8, 0.1], [0.9, 0.9], [0.2, 0.7]]}\n";
    vt_frame_pixels f = {0};
    if (render_output(yaml, "o", &f)) {
        /* The line's centre in each column it crosses lies on the chord of its ends. */
        int x0 = 40, x1 = 155;
        double y0 = centre(&f, x0, true, 0, 200), y1 = centre(&f, x1, true, 0, 200);
        VT_CHECK(y0 > 0 && y1 > 0);
        double worst = 0;
        for (int x = x0; x <= x1; x += 5) {
            double y = centre(&f, x, true, 0, 200);
            double on_chord = y0 + (y1 - y0) * (x - x0) / (double)(x1 - x0);
            worst = fmax(worst, fabs(y - on_chord));
        }
        VT_CHECK(worst < 0.5);
        if (worst >= 0.5) {
            fprintf(stderr, "  the line bends by %.2f px\n", worst);
        }
    }
    free(f.rgba);
}

static void test_perspective(void) {
    const char *yaml =
        "format: vitrine/1\ncanvas: {size: [200, 200], background: \"#000000\"}\n"
        "layers:\n" RECT(r6, 49, 0, 2, 200, "#ffffff") RECT(r7, 99, 0, 2, 200, "#ffffff")
            RECT(r8, 149, 0, 2, 200,
                 "#ffffff") "outputs:\n  - id: o\n    source: [0, 0, 200, 200]\n"
                            "    warp: {corners: [[0, 0], [1, 0.25], [1, 0.75], [0, 1]]}\n";
    vt_frame_pixels f = {0};
    if (render_output(yaml, "o", &f)) {
        /* Along the middle row, stripes at u = 0.25, 0.5, 0.75 land at 200 * 2u / (1 + u). */
        double at[3];
        int lo[3] = {60, 115, 155}, hi[3] = {100, 150, 190};
        for (int i = 0; i < 3; i++) {
            double u = 0.25 * (i + 1);
            at[i] = centre(&f, 100, false, lo[i], hi[i]);
            VT_CHECK_NEAR(at[i], 200 * 2 * u / (1 + u), 1.0);
        }
        VT_CHECK(at[1] - at[0] > at[2] - at[1] + 10); /* equal steps shrink as they recede */
    }
    free(f.rgba);
}

#define TWO_OUTPUTS(gamma, black)                                                                  \
    "outputs:\n  - id: left\n    source: [0, 0, 240, 200]\n    edge_blend: {right: 80, "           \
    "gamma: " gamma                                                                                \
    "}\n  - id: right\n    source: [160, 0, 240, 200]\n    edge_blend: {left: 80, gamma: " gamma   \
    "}\n    black_level: " black "\n"

static void test_blend_sums(void) {
    const char *white = "format: vitrine/1\ncanvas: {size: [400, 200]}\nlayers:\n" RECT(
        r9, 0, 0, 400, 200, "#ffffff") TWO_OUTPUTS("2.2", "0");
    vt_frame_pixels l = {0}, r = {0};
    if (render_output(white, "left", &l) && render_output(white, "right", &r)) {
        double worst = 0;
        for (int x = 160; x < 240; x++) { /* canvas x: left's pixel x, right's x - 160 */
            double a = pow(red(&l, x, 100) / 255.0, 2.2),
                   b = pow(red(&r, x - 160, 100) / 255.0, 2.2);
            worst = fmax(worst, fabs(a + b - 1.0));
        }
        VT_CHECK(worst < 0.03);
        if (worst >= 0.03) {
            fprintf(stderr, "  the overlap's light is off by %.3f\n", worst);
        }
        VT_CHECK_INT(red(&l, 100, 100), 255); /* outside the overlap, full */
        VT_CHECK_INT(red(&r, 150, 100), 255);
        VT_CHECK(red(&l, 200, 100) > 160); /* at gamma 2.2 the middle's signal is 0.5^(1/2.2) */
    }
    free(l.rgba);
    free(r.rgba);
    l = (vt_frame_pixels){0};
    r = (vt_frame_pixels){0};
    const char *linear = "format: vitrine/1\ncanvas: {size: [400, 200]}\nlayers:\n" RECT(
        r10, 0, 0, 400, 200, "#ffffff") TWO_OUTPUTS("1.0", "0");
    if (render_output(linear, "left", &l) && render_output(linear, "right", &r)) {
        for (int x = 160; x < 240; x += 7) {
            VT_CHECK_NEAR(red(&l, x, 100) + red(&r, x - 160, 100), 255, 2);
        }
        VT_CHECK_NEAR(red(&l, 199, 100), 128, 4); /* the middle of the overlap: 0.5 signal */
        VT_CHECK_NEAR(red(&r, 40, 100), 128, 4);
    }
    free(l.rgba);
    free(r.rgba);
}

static void test_black_level_and_trim(void) {
    const char *black = "format: vitrine/1\ncanvas: {size: [400, 200], background: "
                        "\"#000000\"}\n" TWO_OUTPUTS("2.2", "0.1");
    vt_frame_pixels f = {0};
    if (render_output(black, "right", &f)) {
        VT_CHECK_NEAR(red(&f, 150, 100), 26, 1); /* outside the overlap: lifted */
        VT_CHECK_NEAR(red(&f, 40, 100), 0, 1);   /* inside: the other projector's black adds */
        VT_CHECK_NEAR(red(&f, 5, 100), 0, 1);
    }
    free(f.rgba);
    f = (vt_frame_pixels){0};
    const char *trim = "format: vitrine/1\ncanvas: {size: [100, 100]}\nlayers:\n" RECT(
        r11, 0, 0, 100, 100, "#ffffff") "outputs:\n  - {id: o, source: [0, 0, 100, 100], trim: [1, "
                                        "0.5, 0.25], size: [50, 40]}\n";
    if (render_output(trim, "o", &f)) {
        const uint8_t *p = vt_px(&f, 25, 20);
        VT_CHECK_NEAR(p[0], 255, 1);
        VT_CHECK_NEAR(p[1], 128, 1);
        VT_CHECK_NEAR(p[2], 64, 1);
    }
    free(f.rgba);
}

/* A 4x4 grid with its inner points moved: each inner point shows its canvas point. */
static void test_grid_points(void) {
    const char *yaml =
        "format: vitrine/1\ncanvas: {size: [300, 300], background: \"#000000\"}\n"
        "layers:\n" RECT(r12, 97, 97, 6, 6, "#ffffff") RECT(r13, 197, 97, 6, 6, "#ffffff")
            RECT(r14, 97, 197, 6, 6, "#ffffff")
                RECT(r15, 197, 197, 6, 6,
                     "#ffffff") "outputs:\n  - id: g\n    source: [0, 0, 300, 300]\n   "
                                " warp: {grid: {cols: 4, rows: 4, "
                                "points: [[0, 0], [0.333, 0], [0.667, 0], [1, 0],"
                                " [0, 0.333], [0.36, 0.31], [0.64, 0.35], [1, 0.333],"
                                " [0, 0.667], [0.31, 0.7], [0.69, 0.64], [1, 0.667],"
                                " [0, 1], [0.333, 1], [0.667, 1], [1, 1]]}}\n";
    const double want[4][2] = {{0.36, 0.31}, {0.64, 0.35}, {0.31, 0.7}, {0.69, 0.64}};
    vt_frame_pixels f = {0};
    if (render_output(yaml, "g", &f)) {
        for (int i = 0; i < 4; i++) {
            double ex = want[i][0] * 300, ey = want[i][1] * 300, sx = 0, sy = 0, sw = 0;
            for (int y = (int)ey - 15; y < (int)ey + 15; y++) {
                for (int x = (int)ex - 15; x < (int)ex + 15; x++) {
                    int v = red(&f, x, y);
                    sx += v * (x + 0.5);
                    sy += v * (y + 0.5);
                    sw += v;
                }
            }
            VT_CHECK(sw > 0);
            if (sw > 0) {
                VT_CHECK_NEAR(sx / sw, ex, 1.0);
                VT_CHECK_NEAR(sy / sw, ey, 1.0);
            }
        }
    }
    free(f.rgba);
}

/* An OBJ mesh over the whole output shows its source as it is. */
static void test_mesh(void) {
    const char *yaml =
        "format: vitrine/1\ncanvas: {size: [200, 100], background: \"#000000\"}\n"
        "layers:\n" RECT(
            r16, 0, 0, 100, 50,
            "#ffffff") "outputs:\n  - {id: m, source: [0, 0, 200, 100], warp: {mesh: wall.obj}}\n";
    vt_frame_pixels f = {0};
    if (render_output(yaml, "m", &f)) {
        VT_CHECK_INT(red(&f, 10, 10), 255); /* top-left stays top-left */
        VT_CHECK_INT(red(&f, 150, 10), 0);
        VT_CHECK_INT(red(&f, 10, 80), 0);
    }
    free(f.rgba);
}

int main(void) {
    vt_error err = {0};
    if (vt_platform_init(true, &err) != VT_OK) {
        fprintf(stderr, "vt_platform_init: %s\n", err.message);
        return 1;
    }
    vt_window *win = NULL;
    vt_window_desc wd = {.title = "test_render_output", .width = 64, .height = 64, .hidden = true};
    if (vt_window_create(&wd, &win, &err) != VT_OK) {
        fprintf(stderr, "vt_window_create: %s\n", err.message);
        return 1;
    }
    test_corners_land();
    test_straight_lines();
    test_perspective();
    test_blend_sums();
    test_black_level_and_trim();
    test_grid_points();
    test_mesh();
    vt_window_destroy(win);
    vt_platform_quit();
    return vt_test_finish("test_render_output");
}
