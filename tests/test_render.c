/* Tests of engine/platform and engine/render, headless (SDL offscreen driver, Mesa llvmpipe):
 * exact composited pixels, geometry, image fits and filters, placeholders, goldens, GPU rebuild,
 * letterboxed present, and the platform's event translation and real sleeping. */
#include "platform/vt_platform.h"
#include "render/render_internal.h"
#include "vt_test.h"
#include "render_util.h"

#include <SDL.h>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#define MAX_LAYERS 8

/* A hand-built scene (the scene parser is tested elsewhere). */
typedef struct test_scene {
    vt_scene scene;
    vt_layer layers[MAX_LAYERS];
} test_scene;

static char tmp_dir[] = "/tmp/vt-render-XXXXXX";

static vt_color rgba(int r, int g, int b, int a) {
    return (vt_color){(uint8_t)r, (uint8_t)g, (uint8_t)b, (uint8_t)a};
}

static void scene_init(test_scene *t, int w, int h, vt_color bg) {
    memset(t, 0, sizeof *t);
    t->scene.path = "test.yaml";
    t->scene.width = w;
    t->scene.height = h;
    t->scene.background = bg;
    t->scene.fps = 30;
    t->scene.layers = t->layers;
}

static vt_layer *add_layer(test_scene *t, vt_layer_type type, double x, double y, double w,
                           double h) {
    vt_layer *l = &t->layers[t->scene.layer_count++];
    l->id = "layer";
    l->type = type;
    l->has_size = w > 0;
    l->props = (vt_layer_props){.position = {x, y},
                                .size = {w, h},
                                .scale = {1, 1},
                                .opacity = 1,
                                .color = rgba(255, 255, 255, 255),
                                .visible = true};
    return l;
}

static vt_layer *add_rect(test_scene *t, double x, double y, double w, double h, vt_color c) {
    vt_layer *l = add_layer(t, VT_LAYER_RECT, x, y, w, h);
    l->props.color = c;
    return l;
}

/* An image layer on a file in the temporary folder; w = 0 takes the image's own size. */
static vt_layer *add_image(test_scene *t, const char *file, double x, double y, double w, double h,
                           vt_fit fit, vt_filter filter) {
    vt_layer *l = add_layer(t, VT_LAYER_IMAGE, x, y, w, h);
    l->src = (char *)file;
    l->src_path = vt_xasprintf("%s/%s", tmp_dir, file);
    l->fit = fit;
    l->filter = filter;
    return l;
}

static void scene_free(test_scene *t) {
    for (size_t i = 0; i < t->scene.layer_count; i++) {
        free(t->layers[i].src_path);
    }
}

static vt_renderer *make_renderer(int w, int h) {
    vt_renderer *r = NULL;
    vt_error err = {0};
    vt_renderer_desc desc = {w, h};
    if (vt_renderer_create(&desc, &r, &err) != VT_OK) {
        fprintf(stderr, "vt_renderer_create: %s\n", err.message);
        exit(1);
    }
    return r;
}

/* Draws the scene's layers with their own props at `scale` and reads the frame back. */
static void render(vt_renderer *r, test_scene *t, double scale, vt_frame_pixels *out) {
    vt_draw_item items[MAX_LAYERS];
    for (size_t i = 0; i < t->scene.layer_count; i++) {
        items[i] = (vt_draw_item){.layer = (uint32_t)i, .props = t->layers[i].props};
    }
    vt_renderer_draw(r, &t->scene, items, t->scene.layer_count, scale);
    vt_renderer_read_start(r, 1);
    vt_error err = {0};
    vt_status st = vt_renderer_read_finish(r, 1, out, &err);
    VT_CHECK_INT(st, VT_OK);
    if (st != VT_OK) {
        fprintf(stderr, "read_finish: %s\n", err.message);
    }
}

static void load(vt_renderer *r, test_scene *t) {
    vt_error err = {0};
    vt_status st = vt_renderer_load_scene(r, &t->scene, &err);
    VT_CHECK_INT(st, VT_OK);
    if (st != VT_OK) {
        fprintf(stderr, "load_scene: %s\n", err.message);
    }
}

/* Checks one pixel against r, g, b, a within tol, naming it on failure. */
/* Through CHECK_PX so that colour macros (R, G...) expand into their four values first. */
#define CHECK_PX(...) CHECK_PX_(__VA_ARGS__)
#define CHECK_PX_(f, x, y, r_, g_, b_, a_, tol)                                                    \
    do {                                                                                           \
        const uint8_t *p_ = vt_px((f), (x), (y));                                                  \
        bool ok_ = abs(p_[0] - (r_)) <= (tol) && abs(p_[1] - (g_)) <= (tol) &&                     \
                   abs(p_[2] - (b_)) <= (tol) && abs(p_[3] - (a_)) <= (tol);                       \
        VT_CHECK(ok_);                                                                             \
        if (!ok_) {                                                                                \
            fprintf(stderr, "  pixel (%d,%d) is %d,%d,%d,%d; expected %d,%d,%d,%d (+-%d)\n", (x),  \
                    (y), p_[0], p_[1], p_[2], p_[3], (int)(r_), (int)(g_), (int)(b_), (int)(a_),   \
                    (int)(tol));                                                                   \
        }                                                                                          \
    } while (0)

static void write_image(const char *file, int w, int h, const uint8_t *px) {
    char *path = vt_xasprintf("%s/%s", tmp_dir, file);
    VT_CHECK_INT(vt_test_write_png(path, px, w, h), VT_OK);
    free(path);
}

/* ======== compositing ======== */

static void test_half_white(void) {
    vt_renderer *r = make_renderer(64, 64);
    test_scene t;
    scene_init(&t, 64, 64, rgba(0, 0, 0, 255));
    add_rect(&t, 0, 0, 64, 64, rgba(255, 255, 255, 255))->props.opacity = 0.5;
    vt_frame_pixels f = {0};
    render(r, &t, 1.0, &f);
    VT_CHECK_INT(f.width, 64);
    VT_CHECK_INT(f.height, 64);
    CHECK_PX(&f, 0, 0, 128, 128, 128, 255, 0);
    CHECK_PX(&f, 32, 32, 128, 128, 128, 255, 0);
    CHECK_PX(&f, 63, 63, 128, 128, 128, 255, 0);
    free(f.rgba);
    vt_renderer_destroy(r);
}

/* The blend equations on premultiplied encoded values, computed here independently. */
static double blend_expect(vt_blend mode, double s, double sa, double d) {
    switch (mode) {
    case VT_BLEND_NORMAL:
        return s + d * (1 - sa);
    case VT_BLEND_ADD:
        return fmin(1.0, s + d);
    case VT_BLEND_MULTIPLY:
        return s * d + d * (1 - sa);
    case VT_BLEND_SCREEN:
        return s + d * (1 - s);
    }
    return -1;
}

static void test_blend_modes(void) {
    static const vt_blend modes[] = {VT_BLEND_NORMAL, VT_BLEND_ADD, VT_BLEND_MULTIPLY,
                                     VT_BLEND_SCREEN};
    vt_color dst = rgba(100, 150, 200, 255), src = rgba(200, 100, 50, 204);
    double opacity = 0.75;
    vt_renderer *r = make_renderer(16, 16);
    for (size_t m = 0; m < sizeof modes / sizeof *modes; m++) {
        test_scene t;
        scene_init(&t, 16, 16, dst);
        vt_layer *l = add_rect(&t, 4, 4, 8, 8, src);
        l->blend = modes[m];
        l->props.opacity = opacity;
        vt_frame_pixels f = {0};
        render(r, &t, 1.0, &f);
        double sa = src.a / 255.0 * opacity;
        const uint8_t sc[3] = {src.r, src.g, src.b}, dc[3] = {dst.r, dst.g, dst.b};
        int want[3];
        for (int c = 0; c < 3; c++) {
            double v = blend_expect(modes[m], sc[c] / 255.0 * sa, sa, dc[c] / 255.0);
            want[c] = (int)lround(v * 255.0);
        }
        printf("blend %zu: want %d,%d,%d\n", m, want[0], want[1], want[2]);
        CHECK_PX(&f, 8, 8, want[0], want[1], want[2], 255, 1);
        CHECK_PX(&f, 1, 1, dst.r, dst.g, dst.b, 255, 0);
        free(f.rgba);
    }
    vt_renderer_destroy(r);
}

static void test_colors_and_hiding(void) {
    vt_renderer *r = make_renderer(32, 32);
    test_scene t;
    scene_init(&t, 32, 32, rgba(12, 34, 56, 255));
    add_rect(&t, 0, 0, 8, 8, rgba(255, 0, 0, 128)); /* alpha 128 over the bg */
    add_rect(&t, 8, 0, 8, 8, rgba(0, 255, 0, 255))->props.opacity = 0.0;
    add_rect(&t, 16, 0, 8, 8, rgba(0, 255, 0, 255))->props.visible = false;
    add_rect(&t, 24, 0, 8, 8, rgba(10, 20, 30, 255));
    vt_frame_pixels f = {0};
    render(r, &t, 1.0, &f);
    double a = 128 / 255.0;
    CHECK_PX(&f, 4, 4, (int)lround(255 * a + 12 * (1 - a)), (int)lround(34 * (1 - a)),
             (int)lround(56 * (1 - a)), 255, 1);
    CHECK_PX(&f, 12, 4, 12, 34, 56, 255, 0);
    CHECK_PX(&f, 20, 4, 12, 34, 56, 255, 0);
    CHECK_PX(&f, 28, 4, 10, 20, 30, 255, 0);
    CHECK_PX(&f, 16, 20, 12, 34, 56, 255, 0);
    free(f.rgba);
    vt_renderer_destroy(r);
}

/* ======== geometry ======== */

/* Checks that colour c covers exactly [x0, x1) x [y0, y1): the pixels on each inner edge are c
 * and the ones just outside are not. */
static void check_box(const vt_frame_pixels *f, int x0, int y0, int x1, int y1, vt_color c) {
    int mx = (x0 + x1) / 2, my = (y0 + y1) / 2;
    CHECK_PX(f, x0, my, c.r, c.g, c.b, 255, 0);
    CHECK_PX(f, x1 - 1, my, c.r, c.g, c.b, 255, 0);
    CHECK_PX(f, mx, y0, c.r, c.g, c.b, 255, 0);
    CHECK_PX(f, mx, y1 - 1, c.r, c.g, c.b, 255, 0);
    const int outside[4][2] = {{x0 - 1, my}, {x1, my}, {mx, y0 - 1}, {mx, y1}};
    for (int i = 0; i < 4; i++) {
        const uint8_t *p = vt_px(f, outside[i][0], outside[i][1]);
        bool differs = p[0] != c.r || p[1] != c.g || p[2] != c.b;
        VT_CHECK(differs);
        if (!differs) {
            fprintf(stderr, "  pixel (%d,%d) should be outside [%d,%d)x[%d,%d)\n", outside[i][0],
                    outside[i][1], x0, x1, y0, y1);
        }
    }
}

static void test_geometry(void) {
    vt_renderer *r = make_renderer(100, 80);
    vt_color white = rgba(255, 255, 255, 255), bg = rgba(0, 0, 64, 255);
    struct {
        vt_vec2 pos, anchor, size, scale;
        double rotation;
        int x0, y0, x1, y1;
    } cases[] = {
        {{30, 20}, {0, 0}, {20, 10}, {1, 1}, 0, 30, 20, 50, 30},
        {{50, 40}, {0.5, 0.5}, {20, 10}, {1, 1}, 0, 40, 35, 60, 45},
        {{50, 40}, {1, 1}, {20, 10}, {1, 1}, 0, 30, 30, 50, 40},
        /* 90 degrees clockwise about the top-left anchor: width goes down, height goes left */
        {{50, 40}, {0, 0}, {20, 10}, {1, 1}, 90, 40, 40, 50, 60},
        {{50, 40}, {0.5, 0.5}, {20, 10}, {1, 1}, 90, 45, 30, 55, 50},
        {{50, 40}, {0.5, 0.5}, {10, 10}, {2, 1}, 0, 40, 35, 60, 45},
        {{50, 40}, {0, 0}, {10, 10}, {-2, 1}, 0, 30, 40, 50, 50},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        test_scene t;
        scene_init(&t, 100, 80, bg);
        vt_layer *l =
            add_rect(&t, cases[i].pos.x, cases[i].pos.y, cases[i].size.x, cases[i].size.y, white);
        l->props.anchor = cases[i].anchor;
        l->props.scale = cases[i].scale;
        l->props.rotation = cases[i].rotation;
        vt_frame_pixels f = {0};
        render(r, &t, 1.0, &f);
        check_box(&f, cases[i].x0, cases[i].y0, cases[i].x1, cases[i].y1, white);
        free(f.rgba);
    }
    vt_renderer_destroy(r);
}

static void test_render_scale(void) {
    vt_renderer *r = make_renderer(100, 80);
    test_scene t;
    scene_init(&t, 100, 80, rgba(0, 0, 64, 255));
    add_rect(&t, 30, 20, 20, 10, rgba(255, 255, 0, 255));
    vt_frame_pixels f = {0};
    render(r, &t, 0.5, &f);
    VT_CHECK_INT(f.width, 50);
    VT_CHECK_INT(f.height, 40);
    check_box(&f, 15, 10, 25, 15, rgba(255, 255, 0, 255));
    render(r, &t, 1.0, &f); /* back to full size: the target is made again */
    VT_CHECK_INT(f.width, 100);
    check_box(&f, 30, 20, 50, 30, rgba(255, 255, 0, 255));
    free(f.rgba);
    vt_renderer_destroy(r);
}

static void test_letterbox(void) {
    vt_color red = rgba(255, 0, 0, 255), white = rgba(255, 255, 255, 255);
    /* A square canvas in a wide target: bars left and right. */
    vt_renderer *r = make_renderer(200, 100);
    test_scene t;
    scene_init(&t, 100, 100, red);
    add_rect(&t, 0, 0, 50, 50, white);
    add_rect(&t, -20, 60, 200, 10, white); /* reaches past the canvas: clipped to it */
    vt_frame_pixels f = {0};
    render(r, &t, 1.0, &f);
    CHECK_PX(&f, 49, 80, 0, 0, 0, 255, 0);
    CHECK_PX(&f, 50, 80, 255, 0, 0, 255, 0);
    CHECK_PX(&f, 149, 80, 255, 0, 0, 255, 0);
    CHECK_PX(&f, 150, 80, 0, 0, 0, 255, 0);
    CHECK_PX(&f, 49, 65, 0, 0, 0, 255, 0);
    CHECK_PX(&f, 150, 65, 0, 0, 0, 255, 0);
    check_box(&f, 50, 0, 100, 50, white);
    vt_renderer_destroy(r);
    /* A wide canvas in a square target: bars above and below. */
    r = make_renderer(100, 100);
    scene_init(&t, 200, 100, red);
    render(r, &t, 1.0, &f);
    CHECK_PX(&f, 50, 24, 0, 0, 0, 255, 0);
    CHECK_PX(&f, 50, 25, 255, 0, 0, 255, 0);
    CHECK_PX(&f, 50, 74, 255, 0, 0, 255, 0);
    CHECK_PX(&f, 50, 75, 0, 0, 0, 255, 0);
    free(f.rgba);
    vt_renderer_destroy(r);
}

/* ======== images ======== */

#define Y 255, 255, 0, 255
#define R 255, 0, 0, 255
#define G 0, 255, 0, 255
#define B 0, 0, 255, 255
#define W 255, 255, 255, 255

/* 2 x 4: yellow row, red|green, blue|white, yellow row. */
static const uint8_t tall_px[] = {Y, Y, R, G, B, W, Y, Y};

static void test_fit_fill_contain(void) {
    write_image("tall.png", 2, 4, tall_px);
    vt_renderer *r = make_renderer(100, 80);
    test_scene t;
    scene_init(&t, 100, 80, rgba(0, 0, 0, 255));
    add_image(&t, "tall.png", 0, 0, 40, 40, VT_FIT_FILL, VT_FILTER_NEAREST);
    add_image(&t, "tall.png", 50, 0, 40, 40, VT_FIT_CONTAIN, VT_FILTER_NEAREST);
    load(r, &t);
    vt_frame_pixels f = {0};
    render(r, &t, 1.0, &f);
    /* fill: each image row is 10 px, each column 20 px */
    CHECK_PX(&f, 5, 5, Y, 0);
    CHECK_PX(&f, 5, 15, R, 0);
    CHECK_PX(&f, 35, 15, G, 0);
    CHECK_PX(&f, 5, 25, B, 0);
    CHECK_PX(&f, 35, 25, W, 0);
    CHECK_PX(&f, 35, 35, Y, 0);
    /* contain: 20 x 40 centered, transparent margins of 10 px left and right */
    CHECK_PX(&f, 59, 20, 0, 0, 0, 255, 0);
    CHECK_PX(&f, 60, 5, Y, 0);
    CHECK_PX(&f, 60, 15, R, 0);
    CHECK_PX(&f, 79, 15, G, 0);
    CHECK_PX(&f, 79, 25, W, 0);
    CHECK_PX(&f, 80, 20, 0, 0, 0, 255, 0);
    free(f.rgba);
    scene_free(&t);
    vt_renderer_destroy(r);
}

static void test_fit_cover_none(void) {
    write_image("tall.png", 2, 4, tall_px);
    uint8_t ramp[8 * 8 * 4];
    for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
            uint8_t *p = ramp + (y * 8 + x) * 4;
            p[0] = (uint8_t)(x * 30);
            p[1] = (uint8_t)(y * 30);
            p[2] = 0;
            p[3] = 255;
        }
    }
    write_image("ramp.png", 8, 8, ramp);
    vt_renderer *r = make_renderer(100, 80);
    test_scene t;
    scene_init(&t, 100, 80, rgba(0, 0, 64, 255));
    add_image(&t, "tall.png", 0, 0, 40, 40, VT_FIT_COVER, VT_FILTER_NEAREST);
    add_image(&t, "tall.png", 50, 0, 40, 40, VT_FIT_NONE, VT_FILTER_NEAREST);
    add_image(&t, "ramp.png", 10, 50, 4, 4, VT_FIT_NONE, VT_FILTER_NEAREST);
    load(r, &t);
    vt_frame_pixels f = {0};
    render(r, &t, 1.0, &f);
    /* cover: 40 x 80, the middle 40 rows shown: red|green over blue|white, no yellow */
    CHECK_PX(&f, 5, 0, R, 0);
    CHECK_PX(&f, 35, 19, G, 0);
    CHECK_PX(&f, 5, 20, B, 0);
    CHECK_PX(&f, 35, 39, W, 0);
    /* none: 2 x 4 pixels at the box centre (69..70, 18..21) */
    CHECK_PX(&f, 69, 18, Y, 0);
    CHECK_PX(&f, 69, 19, R, 0);
    CHECK_PX(&f, 70, 19, G, 0);
    CHECK_PX(&f, 69, 20, B, 0);
    CHECK_PX(&f, 70, 20, W, 0);
    CHECK_PX(&f, 70, 21, Y, 0);
    CHECK_PX(&f, 68, 19, 0, 0, 64, 255, 0);
    CHECK_PX(&f, 69, 22, 0, 0, 64, 255, 0);
    /* none, cropped: an 8 x 8 image in a 4 x 4 box shows its middle, pixels 2..5 */
    CHECK_PX(&f, 10, 50, 60, 60, 0, 255, 0);
    CHECK_PX(&f, 13, 53, 150, 150, 0, 255, 0);
    CHECK_PX(&f, 14, 53, 0, 0, 64, 255, 0);
    free(f.rgba);
    scene_free(&t);
    vt_renderer_destroy(r);
}

static void test_filters(void) {
    static const uint8_t bw[] = {0, 0, 0, 255, 255, 255, 255, 255};
    write_image("bw.png", 2, 1, bw);
    /* 1-pixel checkerboard: minified 8 times it must average to grey through the mipmaps. */
    uint8_t checker[64 * 64 * 4];
    for (int i = 0; i < 64 * 64; i++) {
        uint8_t v = ((i % 64) + (i / 64)) % 2 ? 255 : 0;
        memset(checker + i * 4, v, 3);
        checker[i * 4 + 3] = 255;
    }
    write_image("checker.png", 64, 64, checker);
    vt_renderer *r = make_renderer(64, 32);
    test_scene t;
    scene_init(&t, 64, 32, rgba(0, 0, 0, 255));
    add_image(&t, "bw.png", 0, 0, 64, 8, VT_FIT_FILL, VT_FILTER_NEAREST);
    add_image(&t, "bw.png", 0, 8, 64, 8, VT_FIT_FILL, VT_FILTER_LINEAR);
    add_image(&t, "checker.png", 0, 16, 8, 8, VT_FIT_FILL, VT_FILTER_LINEAR);
    add_image(&t, "checker.png", 16, 16, 8, 8, VT_FIT_FILL, VT_FILTER_NEAREST);
    load(r, &t);
    vt_frame_pixels f = {0};
    render(r, &t, 1.0, &f);
    CHECK_PX(&f, 31, 4, 0, 0, 0, 255, 0);
    CHECK_PX(&f, 32, 4, 255, 255, 255, 255, 0);
    /* linear: texel centres at u = 0.25 and 0.75, pixel 32's centre at u = 32.5 / 64 */
    int mid = (int)lround(255 * (32.5 / 64 - 0.25) / 0.5);
    CHECK_PX(&f, 32, 12, mid, mid, mid, 255, 2);
    CHECK_PX(&f, 31, 12, 255 - mid, 255 - mid, 255 - mid, 255, 2);
    CHECK_PX(&f, 0, 12, 0, 0, 0, 255, 0);
    CHECK_PX(&f, 63, 12, 255, 255, 255, 255, 0);
    for (int x = 0; x < 8; x++) {
        CHECK_PX(&f, x, 20, 128, 128, 128, 255, 3);
        const uint8_t *p = vt_px(&f, 16 + x, 20);
        VT_CHECK(p[0] == 0 || p[0] == 255);
    }
    free(f.rgba);
    scene_free(&t);
    vt_renderer_destroy(r);
}

static void test_placeholder_and_small(void) {
    static const uint8_t one[] = {10, 200, 30, 255};
    static const uint8_t half_red[] = {255, 0, 0, 128};
    write_image("one.png", 1, 1, one);
    write_image("half.png", 1, 1, half_red);
    char *broken = vt_xasprintf("%s/broken.png", tmp_dir);
    vt_error err = {0};
    vt_file_write_atomic(broken, "not a png at all", 16, 0, &err);
    free(broken);
    vt_renderer *r = make_renderer(300, 300);
    test_scene t;
    scene_init(&t, 300, 300, rgba(0, 0, 64, 255));
    vt_layer *missing = add_image(&t, "nope.png", 0, 0, 0, 0, VT_FIT_CONTAIN, VT_FILTER_LINEAR);
    add_image(&t, "broken.png", 260, 0, 32, 32, VT_FIT_NONE, VT_FILTER_NEAREST);
    add_image(&t, "one.png", 260, 40, 16, 16, VT_FIT_FILL, VT_FILTER_LINEAR);
    vt_layer *tinted = add_image(&t, "one.png", 280, 40, 16, 16, VT_FIT_FILL, VT_FILTER_LINEAR);
    tinted->props.color = rgba(255, 128, 255, 255);
    add_image(&t, "half.png", 260, 60, 16, 16, VT_FIT_FILL, VT_FILTER_LINEAR);
    add_rect(&t, 260, 100, 10, 10, rgba(0, 255, 0, 255)); /* drawing goes on after them */
    load(r, &t);
    VT_CHECK_NEAR(missing->props.size.x, 256, 0);
    VT_CHECK_NEAR(missing->props.size.y, 256, 0);
    int w, h;
    VT_CHECK(vt_renderer_texture_info(r, 0, &w, &h));
    VT_CHECK(vt_renderer_texture_info(r, 1, &w, &h));
    VT_CHECK(!vt_renderer_texture_info(r, 2, &w, &h));
    VT_CHECK_INT(w, 1);
    vt_frame_pixels f = {0};
    render(r, &t, 1.0, &f);
    CHECK_PX(&f, 4, 4, 255, 0, 255, 255, 0);
    CHECK_PX(&f, 12, 4, 0, 0, 0, 255, 0);
    CHECK_PX(&f, 4, 12, 0, 0, 0, 255, 0);
    CHECK_PX(&f, 252, 252, 255, 0, 255, 255, 0);
    CHECK_PX(&f, 258, 20, 0, 0, 64, 255, 0);
    /* broken: a placeholder stretched over its box (fit ignored), 1 px a cell here */
    CHECK_PX(&f, 260, 0, 255, 0, 255, 255, 0);
    CHECK_PX(&f, 261, 0, 0, 0, 0, 255, 0);
    CHECK_PX(&f, 291, 31, 255, 0, 255, 255, 0);
    CHECK_PX(&f, 268, 48, 10, 200, 30, 255, 0); /* 1 x 1 image fills its box */
    CHECK_PX(&f, 288, 48, 10, 100, 30, 255, 1); /* tinted by the layer colour */
    CHECK_PX(&f, 268, 68, 128, 0, 32, 255, 1);  /* premultiplied: 255 * 128/255 + 64 * 127/255 */
    CHECK_PX(&f, 265, 105, 0, 255, 0, 255, 0);
    free(f.rgba);
    scene_free(&t);
    vt_renderer_destroy(r);
}

static void test_downscale(void) {
    uint8_t px[64 * 32 * 4];
    for (int i = 0; i < 64 * 32; i++) {
        bool left = i % 64 < 32;
        px[i * 4] = left ? 255 : 0;
        px[i * 4 + 1] = 0;
        px[i * 4 + 2] = left ? 0 : 255;
        px[i * 4 + 3] = 255;
    }
    write_image("big.png", 64, 32, px);
    vt_renderer *r = make_renderer(80, 40);
    vt_renderer_set_max_texture_size(r, 16);
    test_scene t;
    scene_init(&t, 80, 40, rgba(0, 0, 0, 255));
    vt_layer *l = add_image(&t, "big.png", 0, 0, 0, 0, VT_FIT_FILL, VT_FILTER_LINEAR);
    load(r, &t);
    int w, h;
    VT_CHECK(!vt_renderer_texture_info(r, 0, &w, &h));
    VT_CHECK_INT(w, 16);
    VT_CHECK_INT(h, 8);
    VT_CHECK_NEAR(l->props.size.x, 64, 0); /* layout keeps the image's own size */
    VT_CHECK_NEAR(l->props.size.y, 32, 0);
    vt_frame_pixels f = {0};
    render(r, &t, 1.0, &f);
    CHECK_PX(&f, 10, 10, 255, 0, 0, 255, 0);
    CHECK_PX(&f, 50, 20, 0, 0, 255, 255, 0);
    CHECK_PX(&f, 70, 20, 0, 0, 0, 255, 0);
    free(f.rgba);
    scene_free(&t);
    vt_renderer_destroy(r);
}

/* ======== goldens, rebuild, present ======== */

static void golden_scene(test_scene *t) {
    static const uint8_t quad[] = {R, G, B, W};
    write_image("quad.png", 2, 2, quad);
    scene_init(t, 160, 90, rgba(30, 30, 40, 255));
    add_rect(t, 10, 10, 60, 40, rgba(230, 120, 20, 255));
    vt_layer *l = add_rect(t, 80, 45, 50, 30, rgba(40, 160, 255, 200));
    l->props.anchor = (vt_vec2){0.5, 0.5};
    l->props.rotation = 30;
    l = add_rect(t, 40, 30, 60, 40, rgba(255, 255, 255, 255));
    l->blend = VT_BLEND_MULTIPLY;
    l->props.color = rgba(128, 255, 128, 255);
    l = add_rect(t, 100, 10, 50, 70, rgba(90, 0, 90, 255));
    l->blend = VT_BLEND_ADD;
    l = add_image(t, "quad.png", 120, 60, 30, 20, VT_FIT_CONTAIN, VT_FILTER_LINEAR);
    l->props.opacity = 0.8;
    l = add_image(t, "quad.png", 20, 60, 24, 24, VT_FIT_FILL, VT_FILTER_NEAREST);
    l->blend = VT_BLEND_SCREEN;
    l->props.rotation = -15;
}

static void test_golden_and_rebuild(void) {
    vt_renderer *r = make_renderer(160, 90);
    test_scene t;
    golden_scene(&t);
    load(r, &t);
    vt_frame_pixels a = {0}, b = {0};
    render(r, &t, 1.0, &a);
    VT_CHECK(vt_golden_check("composite", &a, 2, 20));
    vt_error err = {0};
    VT_CHECK_INT(vt_renderer_rebuild_gpu(r, &err), VT_OK);
    render(r, &t, 1.0, &b);
    VT_CHECK(a.width == b.width && a.height == b.height &&
             memcmp(a.rgba, b.rgba, (size_t)a.width * a.height * 4) == 0);
    render(r, &t, 0.5, &b);
    VT_CHECK(vt_golden_check("composite-half", &b, 2, 20));
    free(a.rgba);
    free(b.rgba);
    scene_free(&t);
    vt_renderer_destroy(r);
}

static void test_present(vt_window *win) {
    int ww = 0, wh = 0;
    vt_window_drawable_size(win, &ww, &wh);
    VT_CHECK_INT(ww, 160);
    VT_CHECK_INT(wh, 90);
    vt_renderer *r = make_renderer(100, 100);
    test_scene t;
    scene_init(&t, 100, 100, rgba(255, 0, 0, 255));
    add_rect(&t, 50, 0, 50, 100, rgba(0, 0, 255, 255));
    vt_frame_pixels f = {0};
    render(r, &t, 1.0, &f);
    vt_renderer_present(r, ww, wh);
    uint8_t *px = vt_xmalloc((size_t)ww * wh * 4);
    vt_renderer_read_window(r, ww, wh, px);
    vt_frame_pixels win_px = {ww, wh, px};
    /* 100 x 100 into 160 x 90: 90 x 90 at x = 35..124, black bars beside it */
    CHECK_PX(&win_px, 34, 45, 0, 0, 0, 255, 0);
    CHECK_PX(&win_px, 36, 45, 255, 0, 0, 255, 0);
    CHECK_PX(&win_px, 60, 0, 255, 0, 0, 255, 0);
    CHECK_PX(&win_px, 60, 89, 255, 0, 0, 255, 0);
    CHECK_PX(&win_px, 123, 45, 0, 0, 255, 255, 0);
    CHECK_PX(&win_px, 125, 45, 0, 0, 0, 255, 0);
    VT_CHECK(vt_golden_check("present", &win_px, 2, 10));
    vt_window_swap(win);
    free(px);
    free(f.rgba);
    vt_renderer_destroy(r);
}

/* Pixels of the banner's white text (green high: the strip is (200, 40, 40), the scene blue) in
 * x0..x1 x y0..y1 (exclusive). */
static int text_pixels(const vt_frame_pixels *f, int x0, int y0, int x1, int y1) {
    int n = 0;
    for (int y = y0; y < y1; y++) {
        for (int x = x0; x < x1; x++) {
            n += vt_px(f, x, y)[1] >= 200;
        }
    }
    return n;
}

static void present_and_read(vt_renderer *r, vt_frame_pixels *win_px) {
    vt_renderer_present(r, win_px->width, win_px->height);
    vt_renderer_read_window(r, win_px->width, win_px->height, win_px->rgba);
}

/* The hot-reload error banner: a red strip over the top of the window, strip_h pixels tall at
 * this window's height (1.6 x a text size of 2.5 % of it, at least 14 px), with its message in
 * white, never in the frames read back, kept through a GPU rebuild. */
static void test_banner(vt_window *win, int strip_h) {
    int ww = 0, wh = 0;
    vt_window_drawable_size(win, &ww, &wh);
    vt_renderer *r = make_renderer(ww, wh);
    test_scene t;
    scene_init(&t, ww, wh, rgba(0, 0, 255, 255));
    vt_frame_pixels f = {0}, win_px = {ww, wh, vt_xmalloc((size_t)ww * wh * 4)};
    render(r, &t, 1.0, &f);
    vt_renderer_set_banner(r, rgba(200, 40, 40, 255), NULL);
    present_and_read(r, &win_px);
    CHECK_PX(&win_px, 0, 0, 200, 40, 40, 255, 0);
    CHECK_PX(&win_px, ww / 2, strip_h - 1, 200, 40, 40, 255, 0);
    CHECK_PX(&win_px, ww / 2, strip_h, 0, 0, 255, 255, 0);
    VT_CHECK_INT(text_pixels(&win_px, 0, 0, ww, wh), 0);

    vt_renderer_set_banner(r, rgba(200, 40, 40, 255),
                           "scene.yaml:12:7: 'opacity' must be between 0 and 1, got 2");
    present_and_read(r, &win_px);
    int n = text_pixels(&win_px, 0, 0, ww, strip_h);
    VT_CHECK(n > 20);
    VT_CHECK_INT(text_pixels(&win_px, 0, strip_h, ww, wh), 0);
    VT_CHECK_INT(text_pixels(&win_px, 0, 0, 4, strip_h), 0); /* a left margin */
    CHECK_PX(&win_px, ww / 2, strip_h, 0, 0, 255, 255, 0);
    vt_renderer_read_start(r, 1);
    vt_error err = {0};
    VT_CHECK_INT(vt_renderer_read_finish(r, 1, &f, &err), VT_OK);
    CHECK_PX(&f, 1, 1, 0, 0, 255, 255, 0);
    VT_CHECK_INT(text_pixels(&f, 0, 0, f.width, f.height), 0);

    /* Nothing of it lives only on the GPU. */
    VT_CHECK_INT(vt_renderer_rebuild_gpu(r, &err), VT_OK);
    render(r, &t, 1.0, &f);
    present_and_read(r, &win_px);
    VT_CHECK_INT(text_pixels(&win_px, 0, 0, ww, strip_h), n);

    /* Wider than the window: one line, cut with an ellipsis, inside the margins. */
    char msg[800] = "scene.yaml:3:1: ";
    for (int i = 0; i < 60; i++) {
        strcat(msg, "wordy ");
    }
    vt_renderer_set_banner(r, rgba(200, 40, 40, 255), msg);
    present_and_read(r, &win_px);
    const vt_text_layout *lo = r->banner_text.layout;
    VT_CHECK(lo && lo->line_count == 1 && lo->lines[0].ellipsis);
    VT_CHECK(text_pixels(&win_px, 0, 0, ww, strip_h) > 20);
    VT_CHECK_INT(text_pixels(&win_px, ww - 4, 0, ww, strip_h), 0);
    VT_CHECK_INT(text_pixels(&win_px, 0, strip_h, ww, wh), 0);

    /* Cleared: the strip goes and the message is freed. */
    vt_renderer_set_banner(r, rgba(0, 0, 0, 0), msg);
    VT_CHECK(r->banner_text.text == NULL && r->banner_text.layout == NULL);
    present_and_read(r, &win_px);
    CHECK_PX(&win_px, 0, 0, 0, 0, 255, 255, 0);
    VT_CHECK_INT(text_pixels(&win_px, 0, 0, ww, wh), 0);
    vt_window_swap(win);
    free(win_px.rgba);
    free(f.rgba);
    scene_free(&t);
    vt_renderer_destroy(r);
}

static void test_misc(void) {
    vt_renderer *r = make_renderer(8, 8);
    const char *d = vt_renderer_describe(r);
    printf("renderer: %s\n", d);
    VT_CHECK(strstr(d, ", ") != NULL);
    vt_frame_pixels f = {0};
    vt_error err = {0};
    VT_CHECK_INT(vt_renderer_read_finish(r, 0, &f, &err), VT_E_SOFTWARE);
    VT_CHECK_INT(vt_renderer_read_finish(r, 7, &f, &err), VT_E_SOFTWARE);
    vt_renderer_destroy(r);
    vt_renderer_destroy(NULL);
    vt_renderer_desc bad = {0, 10};
    VT_CHECK_INT(vt_renderer_create(&bad, &r, &err), VT_E_SOFTWARE);
    VT_CHECK(r == NULL);
}

/* ======== platform ======== */

static void push(SDL_Event e) {
    VT_CHECK_INT(SDL_PushEvent(&e), 1);
}

/* Pointer motion and release, fingers told apart by id, the wheel; a mouse moving without a
 * button, or one synthesized from a touch, is no event. */
static void test_pointer_events(vt_window *win) {
    vt_event ev;
    SDL_Event e = {0};
    e.type = SDL_MOUSEMOTION; /* no button held: hovering */
    e.motion.x = 5;
    push(e);
    e.motion.state = SDL_BUTTON_LMASK;
    e.motion.which = SDL_TOUCH_MOUSEID;
    push(e);
    e.motion.which = 0;
    e.motion.x = 7;
    e.motion.y = 9;
    e.motion.windowID = 41; /* each event names its window: outputs map it through theirs */
    push(e);
    memset(&e, 0, sizeof e);
    e.type = SDL_MOUSEBUTTONUP;
    e.button.windowID = 42;
    e.button.x = 8;
    e.button.y = 10;
    push(e);
    memset(&e, 0, sizeof e);
    e.type = SDL_FINGERMOTION;
    e.tfinger.fingerId = 3;
    e.tfinger.windowID = 43;
    e.tfinger.x = 0.25f;
    e.tfinger.y = 0.5f;
    push(e);
    e.type = SDL_FINGERUP;
    e.tfinger.fingerId = 4;
    e.tfinger.windowID = 44;
    push(e);
    memset(&e, 0, sizeof e);
    e.type = SDL_MOUSEWHEEL;
    e.wheel.preciseY = 2; /* away from the visitor: the content moves down */
    e.wheel.mouseX = 11;
    e.wheel.mouseY = 12;
    e.wheel.windowID = 45;
    push(e);
    VT_CHECK(vt_platform_poll(win, &ev) && ev.type == VT_EVENT_MOVE);
    VT_CHECK_INT(vt_platform_event_window(), 41);
    VT_CHECK_INT(ev.pointer, VT_POINTER_MOUSE);
    VT_CHECK_NEAR(ev.x, 7, 0);
    VT_CHECK_NEAR(ev.y, 9, 0);
    VT_CHECK(vt_platform_poll(win, &ev) && ev.type == VT_EVENT_UP);
    VT_CHECK_INT(vt_platform_event_window(), 42);
    VT_CHECK_INT(ev.pointer, VT_POINTER_MOUSE);
    VT_CHECK_NEAR(ev.x, 8, 0);
    VT_CHECK(vt_platform_poll(win, &ev) && ev.type == VT_EVENT_MOVE);
    VT_CHECK_INT(vt_platform_event_window(), 43);
    VT_CHECK_INT(ev.pointer, 3);
    VT_CHECK_NEAR(ev.x, 40, 1e-6);
    VT_CHECK_NEAR(ev.y, 45, 1e-6);
    VT_CHECK(vt_platform_poll(win, &ev) && ev.type == VT_EVENT_UP);
    VT_CHECK_INT(vt_platform_event_window(), 44);
    VT_CHECK_INT(ev.pointer, 4);
    VT_CHECK(vt_platform_poll(win, &ev) && ev.type == VT_EVENT_SCROLL);
    VT_CHECK_INT(vt_platform_event_window(), 45);
    VT_CHECK_NEAR(ev.dy, -2, 0);
    VT_CHECK_NEAR(ev.x, 11, 0);
    VT_CHECK_NEAR(ev.y, 12, 0);
    VT_CHECK(!vt_platform_poll(win, &ev));
}

static void test_events(vt_window *win) {
    vt_event ev;
    while (vt_platform_poll(win, &ev)) {
        /* drop what window creation queued */
    }
    SDL_Event e = {0};
    e.type = SDL_KEYDOWN;
    e.key.keysym.sym = SDLK_SPACE;
    push(e);
    e.key.keysym.sym = SDLK_a;
    e.key.repeat = 1; /* auto-repeat: not a new press */
    push(e);
    memset(&e, 0, sizeof e);
    e.type = SDL_MOUSEBUTTONDOWN;
    e.button.which = SDL_TOUCH_MOUSEID; /* synthesized from a touch: dropped */
    push(e);
    e.button.which = 0;
    e.button.x = 10;
    e.button.y = 20;
    push(e);
    memset(&e, 0, sizeof e);
    e.type = SDL_FINGERDOWN;
    e.tfinger.x = 0.5f;
    e.tfinger.y = 0.25f;
    push(e);
    VT_CHECK(vt_platform_wait(win, vt_now_ns() + INT64_C(5000000000)));
    VT_CHECK(vt_platform_poll(win, &ev) && ev.type == VT_EVENT_KEY);
    VT_CHECK_STR(ev.name, "space");
    VT_CHECK(vt_platform_poll(win, &ev) && ev.type == VT_EVENT_CLICK);
    VT_CHECK_NEAR(ev.x, 10, 0);
    VT_CHECK_NEAR(ev.y, 20, 0);
    VT_CHECK(vt_platform_poll(win, &ev) && ev.type == VT_EVENT_TOUCH);
    VT_CHECK_NEAR(ev.x, 80, 1e-6);
    VT_CHECK_NEAR(ev.y, 22.5, 1e-6);
    VT_CHECK(!vt_platform_poll(win, &ev));
    test_pointer_events(win);
}

static double cpu_seconds(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
           (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void *raise_later(void *arg) {
    (void)arg;
    struct timespec ts = {0, 150000000};
    nanosleep(&ts, NULL);
    kill(getpid(), SIGTERM);
    return NULL;
}

static void test_wait(vt_window *win) {
    /* An idle wait sleeps: almost no CPU over 300 ms, and it ends at the deadline. */
    int64_t start = vt_now_ns();
    double cpu0 = cpu_seconds();
    VT_CHECK(!vt_platform_wait(win, start + 300000000));
    double cpu = cpu_seconds() - cpu0;
    int64_t took = vt_now_ns() - start;
    printf("wait 300 ms: took %.1f ms, %.2f ms of CPU\n", took / 1e6, cpu * 1e3);
    VT_CHECK(took >= 300000000 && took < 450000000);
    VT_CHECK(cpu < 0.015);
    /* SIGTERM (SDL turns it into SDL_QUIT) interrupts a long wait at once. */
    pthread_t th;
    start = vt_now_ns();
    pthread_create(&th, NULL, raise_later, NULL);
    VT_CHECK(vt_platform_wait(win, start + INT64_C(5000000000)));
    took = vt_now_ns() - start;
    pthread_join(th, NULL);
    printf("SIGTERM seen after %.1f ms\n", took / 1e6);
    VT_CHECK(took >= 150000000 && took < 400000000);
    vt_event ev;
    VT_CHECK(vt_platform_poll(win, &ev) && ev.type == VT_EVENT_QUIT);
}

int main(void) {
    if (!mkdtemp(tmp_dir)) {
        perror("mkdtemp");
        return 1;
    }
    vt_error err = {0};
    if (vt_platform_init(true, &err) != VT_OK) {
        fprintf(stderr, "vt_platform_init: %s\n", err.message);
        return 1;
    }
    vt_window *win = NULL;
    vt_window_desc wd = {.title = "test_render", .width = 160, .height = 90, .hidden = true};
    if (vt_window_create(&wd, &win, &err) != VT_OK) {
        fprintf(stderr, "vt_window_create: %s\n", err.message);
        return 1;
    }
    test_half_white();
    test_blend_modes();
    test_colors_and_hiding();
    test_geometry();
    test_render_scale();
    test_letterbox();
    test_fit_fill_contain();
    test_fit_cover_none();
    test_filters();
    test_placeholder_and_small();
    test_downscale();
    test_golden_and_rebuild();
    test_present(win);
    test_banner(win, 22); /* 90 px high: 14 px text (the least) */
    test_misc();
    test_events(win);
    test_wait(win);
    vt_window_destroy(win);
    /* A taller window: 800 px high, 20 px text. */
    wd.width = 200;
    wd.height = 800;
    if (vt_window_create(&wd, &win, &err) != VT_OK) {
        fprintf(stderr, "vt_window_create: %s\n", err.message);
        return 1;
    }
    test_banner(win, 32);
    vt_window_destroy(win);
    vt_platform_quit();
    char *cmd = vt_xasprintf("rm -rf '%s'", tmp_dir);
    VT_CHECK_INT(system(cmd), 0);
    free(cmd);
    return vt_test_finish("test_render");
}
