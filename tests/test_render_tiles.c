/* Images over the GPU's texture limit drawn from tiles (the limit lowered to 256 here): the same
 * picture drawn tiled and as one texture (the real limit) must match pixel for pixel within a
 * small tolerance, tile seams included, at scale 1, magnified, minified (trilinear across tiles,
 * and past the levels tiles hold), rotated, wrapped at the loop join, faded and with
 * `filter: nearest`. The image is noise, so a texel read from the wrong place shows. */
#include "platform/vt_platform.h"
#include "render/render_internal.h"
#include "vt_test.h"
#include "render_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define IMG_W 1024
#define IMG_H 320
#define LIMIT 256

static char tmp_dir[] = "/tmp/vt-tiles-XXXXXX";
static char *img_path;

/* Noise over a gradient, and a few one-pixel lines on the tile seams (x = 248, y = 248). */
static void write_noise(void) {
    uint8_t *px = vt_xmalloc((size_t)IMG_W * IMG_H * 4);
    uint32_t s = 12345;
    for (int y = 0; y < IMG_H; y++) {
        for (int x = 0; x < IMG_W; x++) {
            uint8_t *p = px + ((size_t)y * IMG_W + x) * 4;
            for (int c = 0; c < 3; c++) {
                s = s * 1103515245u + 12345u;
                p[c] = (uint8_t)((x * 255 / IMG_W + (s >> 16) % 128) / 2 + (c == 2 ? y / 3 : 0));
            }
            p[3] = 255;
            if (x == 248 || y == 248 || x == 247 || x == 2 * 248) {
                p[0] = 255;
                p[1] = p[2] = 0;
            }
        }
    }
    img_path = vt_xasprintf("%s/noise.png", tmp_dir);
    VT_CHECK_INT(vt_test_write_png(img_path, px, IMG_W, IMG_H), VT_OK);
    free(px);
}

typedef struct view {
    const char *name;
    double x, y, w, h, rotation, opacity;
    vt_wrap wrap;
    vt_filter filter;
} view;

/* Renders one view of the image at 400 x 250 with the texture limit `limit` (0: the GPU's). */
static void draw_view(const view *v, int limit, vt_frame_pixels *out, int *tiles) {
    vt_renderer *r = NULL;
    vt_error err = {0};
    vt_renderer_desc desc = {400, 250};
    if (vt_renderer_create(&desc, &r, &err) != VT_OK) {
        fprintf(stderr, "vt_renderer_create: %s\n", err.message);
        exit(1);
    }
    vt_renderer_set_max_texture_size(r, limit);
    vt_layer layer = {.id = "pano",
                      .type = VT_LAYER_IMAGE,
                      .src = "noise.png",
                      .src_path = img_path,
                      .has_size = true,
                      .fit = VT_FIT_FILL,
                      .filter = v->filter,
                      .wrap = v->wrap};
    layer.props = (vt_layer_props){.position = {v->x, v->y},
                                   .size = {v->w, v->h},
                                   .scale = {1, 1},
                                   .anchor = {0.5, 0.5},
                                   .rotation = v->rotation,
                                   .opacity = v->opacity,
                                   .color = {255, 255, 255, 255},
                                   .visible = true};
    vt_scene scene = {.path = "tiles.yaml",
                      .width = 400,
                      .height = 250,
                      .fps = 30,
                      .background = {10, 20, 30, 255},
                      .layers = &layer,
                      .layer_count = 1};
    VT_CHECK_INT(vt_renderer_load_scene(r, &scene, &err), VT_OK);
    *tiles = r->textures[0].tiles ? r->textures[0].tiling.cols * r->textures[0].tiling.rows : 0;
    vt_draw_item item = {.layer = 0, .props = layer.props};
    vt_renderer_draw(r, &scene, &item, 1, 1.0);
    vt_renderer_read_start(r, 1);
    VT_CHECK_INT(vt_renderer_read_finish(r, 1, out, &err), VT_OK);
    vt_renderer_destroy(r);
}

/* Whether pixel (x, y)'s centre is within half a pixel of the layer's outline (unwrapped): one
 * texture and tiles round the outline's corners apart by a ten-thousandth of a pixel, and a
 * centre that close to it may fall on either side. Seams are inside the outline. */
static bool on_outline(const view *v, int x, int y) {
    if (v->wrap != VT_WRAP_NONE) {
        return false;
    }
    double rad = v->rotation * M_PI / 180.0, dx = x + 0.5 - v->x, dy = y + 0.5 - v->y;
    double lx = fabs(dx * cos(rad) + dy * sin(rad)), ly = fabs(-dx * sin(rad) + dy * cos(rad));
    return (fabs(lx - v->w / 2) < 0.5 && ly < v->h / 2 + 0.5) ||
           (fabs(ly - v->h / 2) < 0.5 && lx < v->w / 2 + 0.5);
}

/* Pixels further apart than tol in any channel, and the largest difference. */
static long differing(const view *v, const vt_frame_pixels *a, const vt_frame_pixels *b, int tol,
                      int *worst) {
    long n = 0;
    *worst = 0;
    for (int y = 0; y < a->height; y++) {
        for (int x = 0; x < a->width; x++) {
            if (on_outline(v, x, y)) {
                continue;
            }
            const uint8_t *p = vt_px(a, x, y), *q = vt_px(b, x, y);
            int d = 0;
            for (int c = 0; c < 4; c++) {
                d = abs(p[c] - q[c]) > d ? abs(p[c] - q[c]) : d;
            }
            *worst = d > *worst ? d : *worst;
            if (d > tol && n < 5) {
                fprintf(stderr, "  (%d,%d): %d,%d,%d,%d tiled, %d,%d,%d,%d as one texture\n", x, y,
                        q[0], q[1], q[2], q[3], p[0], p[1], p[2], p[3]);
            }
            n += d > tol;
        }
    }
    return n;
}

static void test_views(void) {
    /* The image's centre at the canvas centre unless said; seams at x = 248, 496, 744 and
     * y = 248 of the image. */
    const view views[] = {
        /* scale 1: the seams at x = 248 - 512 + 200 = -64 (off), 184 (on the canvas) */
        {"scale 1", 200, 125, IMG_W, IMG_H, 0, 1, VT_WRAP_NONE, VT_FILTER_LINEAR},
        {"scale 1, half pixel", 200.5, 125.5, IMG_W, IMG_H, 0, 1, VT_WRAP_NONE, VT_FILTER_LINEAR},
        /* magnified 3.3x about the seam at (248, 248) */
        {"magnified", 200 + (512 - 248) * 3.3, 125 + (160 - 248) * 3.3, IMG_W * 3.3, IMG_H * 3.3,
         0, 1, VT_WRAP_NONE, VT_FILTER_LINEAR},
        /* (no texel edge on a pixel centre, where either texel would be right) */
        {"magnified, nearest", 200.37 + (512 - 248) * 3.1723, 125.29 + (160 - 248) * 3.1723,
         IMG_W * 3.1723, IMG_H * 3.1723, 0, 1, VT_WRAP_NONE, VT_FILTER_NEAREST},
        /* minified: level 0.7 (levels 0 and 1 blended), level 1.6, then past level 2 (the
         * overview) */
        {"minified 0.6", 200, 125, IMG_W * 0.6, IMG_H * 0.6, 0, 1, VT_WRAP_NONE, VT_FILTER_LINEAR},
        {"minified 0.33", 200, 125, IMG_W * 0.33, IMG_H * 0.33, 0, 1, VT_WRAP_NONE,
         VT_FILTER_LINEAR},
        {"minified 0.2", 200, 125, IMG_W * 0.2, IMG_H * 0.2, 0, 1, VT_WRAP_NONE, VT_FILTER_LINEAR},
        {"rotated, faded", 180.3, 130.2, IMG_W * 0.7, IMG_H * 0.7, 17, 0.6, VT_WRAP_NONE,
         VT_FILTER_LINEAR},
        /* wrapped along x at 0.45: the loop join (x = 0 / 1024) at canvas x 430.4 - 230.4 = 200 */
        {"wrapped x", 430.4, 125, IMG_W * 0.45, IMG_H * 0.45, 0, 1, VT_WRAP_X, VT_FILTER_LINEAR},
        {"wrapped both, magnified", 200 + 512 * 1.5, 125 + 160 * 1.5, IMG_W * 1.5, IMG_H * 1.5, 0,
         1, VT_WRAP_BOTH, VT_FILTER_LINEAR},
    };
    for (size_t i = 0; i < sizeof views / sizeof views[0]; i++) {
        vt_frame_pixels one = {0}, tiled = {0};
        int tiles_one = 0, tiles = 0;
        draw_view(&views[i], 0, &one, &tiles_one);
        draw_view(&views[i], LIMIT, &tiled, &tiles);
        VT_CHECK_INT(tiles_one, 0);
        VT_CHECK_INT(tiles, 10); /* 5 x 2 tiles of 248 + 2 x 4 border */
        int worst = 0;
        long n = differing(&views[i], &one, &tiled, 2, &worst);
        VT_CHECK(n == 0);
        if (n != 0) {
            fprintf(stderr, "  %s: %ld pixels differ by more than 2 (at most %d)\n",
                    views[i].name, n, worst);
        }
        free(one.rgba);
        free(tiled.rgba);
    }
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
    vt_window_desc wd = {.title = "test_render_tiles", .width = 160, .height = 90, .hidden = true};
    if (vt_window_create(&wd, &win, &err) != VT_OK) {
        fprintf(stderr, "vt_window_create: %s\n", err.message);
        return 1;
    }
    write_noise();
    test_views();
    vt_window_destroy(win);
    vt_platform_quit();
    unlink(img_path);
    rmdir(tmp_dir);
    free(img_path);
    return vt_test_finish("test_render_tiles");
}
