/* The shortcuts of a frame that must not change its pixels (engine/render/draw.c): an image that
 * is not minified drawn with the plain bilinear sampler instead of its trilinear filter; an
 * opaque image drawn without blending, the clear and the layers under it skipped when it covers
 * what is drawn; a frame drawn whole at the window's size drawn straight into the window instead
 * of the target and a copy. Each frame is compared byte for byte with the same frame drawn by a
 * renderer with the shortcuts off (vt_renderer_set_fast), both as read back and as presented in
 * the window, and the shortcuts are counted to show they were taken where they should be and
 * nowhere else. Headless (SDL offscreen, Mesa llvmpipe). */
#include "platform/vt_platform.h"
#include "render/render_internal.h"
#include "vt_test.h"
#include "render_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmp_dir[] = "/tmp/vt-fast-XXXXXX";

#define W 320
#define H 180
#define SCENE                                                                                      \
    "format: vitrine/1\ncanvas: {size: [320, 180], background: \"#203040\"}\nlayers:\n"            \
    "  - {id: under, type: image, src: sky.png, position: [0, 0], size: [320, 180]}\n"             \
    "  - {id: box, type: rect, position: [20, 20], size: [40, 40], color: \"#ff8000\"}\n"          \
    "  - {id: top, type: image, src: sky2.png, position: [0, 0], size: [320, 180], opacity: 0}\n"  \
    "  - {id: glass, type: image, src: glass.png, position: [200, 100], size: [40, 20]}\n"         \
    "  - {id: small, type: image, src: picture.png, position: [30, 120], size: [48, 27], fit: "    \
    "fill}\n"                                                                                      \
    "  - {id: spin, type: image, src: checker.png, position: [250, 60], anchor: [0.5, 0.5], "      \
    "size: [96, 96], rotation: 30}\n"                                                              \
    "  - {id: label, type: text, text: \"Bonjour\", size: 18, color: \"#ffffff\", position: [10, " \
    "140]}\n"                                                                                      \
    "  - {id: button, type: rect, position: [150, 30], size: [20, 20], color: \"#40c0ff\"}\n"

/* kind 0: gradients and a checker (detail everywhere); 1: another picture; 2: translucent
 * texels; 3: a checker of single pixels (minified, only mipmaps average it). */
static void write_png(const char *name, int w, int h, int kind) {
    uint8_t *px = vt_xmalloc((size_t)w * h * 4);
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            uint8_t *p = px + ((size_t)y * w + x) * 4;
            bool odd = (x + y) % 2, cell = (x / 8 + y / 8) % 2;
            p[0] = kind == 3 ? (odd ? 255 : 0) : (uint8_t)(x * 255 / w);
            p[1] = kind == 3 ? (odd ? 255 : 0)
                             : (uint8_t)(kind == 1 ? 255 - y * 255 / h : y * 255 / h);
            p[2] = kind == 3 ? (odd ? 255 : 0) : cell ? 200 : 40;
            p[3] = kind == 2 ? (uint8_t)(60 + x * 190 / w) : 255;
        }
    }
    char *path = vt_xasprintf("%s/%s", tmp_dir, name);
    VT_CHECK(vt_test_write_png(path, px, w, h) == VT_OK);
    free(path);
    free(px);
}

static vt_scene *load(void) {
    vt_diags d = {0};
    vt_scene *s = NULL;
    char *path = vt_xasprintf("%s/s.yaml", tmp_dir);
    VT_CHECK_INT(vt_scene_load_string(SCENE, strlen(SCENE), path, 0, &s, &d), VT_OK);
    free(path);
    vt_diags_free(&d);
    return s;
}

static vt_renderer *make_renderer(vt_scene *s) {
    vt_renderer *r = NULL;
    vt_error err = {0};
    vt_renderer_desc desc = {W, H};
    if (vt_renderer_create(&desc, &r, &err) != VT_OK ||
        vt_renderer_load_scene(r, s, &err) != VT_OK) {
        fprintf(stderr, "renderer: %s\n", err.message);
        exit(1);
    }
    return r;
}

static size_t layer_of(const vt_scene *s, const char *id) {
    for (size_t i = 0; i < s->layer_count; i++) {
        if (strcmp(s->layers[i].id, id) == 0) {
            return i;
        }
    }
    fprintf(stderr, "no layer %s\n", id);
    exit(1);
}

static void read_frame(vt_renderer *r, vt_frame_pixels *px) {
    vt_error err = {0};
    vt_renderer_read_start(r, 0);
    VT_CHECK_INT(vt_renderer_read_finish(r, 0, px, &err), VT_OK);
}

static bool same_pixels(const vt_frame_pixels *a, const vt_frame_pixels *b, const char *what,
                        int f) {
    bool same = a->width == b->width && a->height == b->height &&
                memcmp(a->rgba, b->rgba, (size_t)a->width * a->height * 4) == 0;
    if (!same) {
        long px = 0;
        for (size_t i = 0; a->width == b->width && i < (size_t)a->width * a->height; i++) {
            px += memcmp(a->rgba + i * 4, b->rgba + i * 4, 4) != 0;
        }
        fprintf(stderr, "  %s %d: %ld pixels differ with the shortcuts off\n", what, f, px);
        vt_dir_create("out", NULL);
        vt_test_write_png("out/fast_on.png", a->rgba, a->width, a->height);
        vt_test_write_png("out/fast_off.png", b->rgba, b->width, b->height);
    }
    return same;
}

/* One image at a size and turn: the plain sampler where it is not minified, the same pixels. */
static void test_sampler(void) {
    vt_scene *sa = load(), *sb = load();
    if (!sa || !sb) {
        return;
    }
    vt_renderer *a = make_renderer(sa), *b = make_renderer(sb);
    vt_renderer_set_fast(b, false);
    vt_frame_pixels pa = {0}, pb = {0};
    size_t pic = layer_of(sa, "small"), spin = layer_of(sa, "spin");
    /* picture.png is 160x90, checker.png 64x64 */
    struct {
        size_t layer;
        double w, h, rotation;
        bool linear;
    } cases[] = {
        {pic, 160, 90, 0, true},   /* 1:1 */
        {pic, 320, 180, 0, true},  /* magnified */
        {pic, 240, 135, 30, true}, /* magnified, turned */
        {pic, 200, 80, 0, false},  /* magnified across, minified down */
        {pic, 48, 27, 0, false},   /* minified */
        {spin, 96, 96, 30, true},  /* turned, 1.5x */
        {spin, 20, 20, 30, false}, /* single-pixel checker at 0.31x: mipmaps grey it */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vt_draw_item it = {.layer = (uint32_t)cases[i].layer,
                           .props = sa->layers[cases[i].layer].props};
        it.props.position = (vt_vec2){40, 30};
        it.props.anchor = (vt_vec2){0, 0};
        it.props.size = (vt_vec2){cases[i].w, cases[i].h};
        it.props.rotation = cases[i].rotation;
        it.props.opacity = 0.9; /* blended: only the sampler is under test here */
        uint64_t before = a->fast.linear;
        vt_renderer_draw(a, sa, &it, 1, 1.0);
        vt_renderer_draw(b, sb, &it, 1, 1.0);
        read_frame(a, &pa);
        read_frame(b, &pb);
        VT_CHECK(same_pixels(&pa, &pb, "sampler case", (int)i));
        if ((a->fast.linear > before) != cases[i].linear) {
            fprintf(stderr, "  sampler case %zu: plain sampler %s\n", i,
                    cases[i].linear ? "not used" : "used on a minified image");
            VT_CHECK(false);
        }
    }
    VT_CHECK_INT((int)b->fast.linear, 0);
    free(pa.rgba);
    free(pb.rgba);
    vt_renderer_destroy(a);
    vt_renderer_destroy(b);
    vt_scene_destroy(sa);
    vt_scene_destroy(sb);
}

/* Frame f's draw list: `top` fades in over `under` (frames 1 to 5: the whole canvas changes,
 * opaque from 5), the button moves (6 to 8: a small part), nothing (9), `top` half again (10),
 * nothing (11), `top` gone and `under` moved down, so it no longer covers the canvas (12); then
 * a fade with a turned and a minified image shown (13): they may not go straight to the window.
 * Those two are hidden before. */
static size_t frame_items(const vt_scene *s, int f, vt_draw_item *items) {
    size_t n = 0;
    for (uint32_t i = 0; i < s->layer_count; i++) {
        const vt_layer *l = &s->layers[i];
        vt_draw_item it = {.layer = i, .props = l->props};
        vt_layer_props *p = &it.props;
        if (strcmp(l->id, "top") == 0) {
            p->opacity = f <= 4 ? f * 0.2 : f <= 9 ? 1.0 : f <= 11 ? 0.5 : f == 12 ? 0.0 : 0.3;
        } else if (strcmp(l->id, "button") == 0) {
            p->position.x += (f >= 6 ? (f <= 8 ? f : 8) - 5 : 0) * 7.0;
        } else if (strcmp(l->id, "under") == 0 && f >= 12) {
            p->position.y = 10;
        } else if (strcmp(l->id, "spin") == 0 || strcmp(l->id, "small") == 0) {
            p->visible = f == 13;
        } else if (strcmp(l->id, "label") == 0) {
            it.text = "Bonjour";
            it.lang = "fr";
        }
        items[n++] = it;
    }
    return n;
}

/* Damage tracking on and the window given, as play draws: against whole redraws with every
 * shortcut off, presented into the same window in turn. */
static void test_frames(void) {
    vt_scene *sa = load(), *sb = load();
    if (!sa || !sb) {
        return;
    }
    vt_renderer *a = make_renderer(sa), *b = make_renderer(sb);
    vt_renderer_set_damage(a, true);
    vt_renderer_set_direct(a, W, H);
    vt_renderer_set_fast(b, false);
    vt_frame_pixels pa = {0}, pb = {0};
    vt_frame_pixels wa = {W, H, vt_xmalloc((size_t)W * H * 4)};
    vt_frame_pixels wb = {W, H, vt_xmalloc((size_t)W * H * 4)};
    vt_draw_item ia[10], ib[10];
    int differing = 0;
    bool direct[14] = {0}, whole[14] = {0};
    uint64_t covered[14] = {0}, noclear[14] = {0};
    for (int f = 0; f < 14; f++) {
        uint64_t c0 = a->fast.covered, n0 = a->fast.noclear, d0 = a->direct.frames;
        vt_renderer_draw(a, sa, ia, frame_items(sa, f, ia), 1.0);
        direct[f] = a->direct.frames > d0;
        covered[f] = a->fast.covered - c0;
        noclear[f] = a->fast.noclear - n0;
        vt_render_rect area;
        whole[f] = vt_renderer_damage_last(a, &area);
        read_frame(a, &pa); /* what play's VT_TEST_CAPTURE reads */
        vt_renderer_present(a, W, H);
        vt_renderer_read_window(a, W, H, wa.rgba);
        vt_renderer_draw(b, sb, ib, frame_items(sb, f, ib), 1.0);
        read_frame(b, &pb);
        vt_renderer_present(b, W, H);
        vt_renderer_read_window(b, W, H, wb.rgba);
        differing += !same_pixels(&pa, &pb, "frame read back", f);
        differing += !same_pixels(&wa, &wb, "window at frame", f);
    }
    VT_CHECK_INT(differing, 0);
    /* straight into the window: the first frame, the fade, the half fade, frame 12 */
    static const bool want_direct[14] = {1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 1, 0};
    /* into the target whole after a frame in the window (6, 11, 13); in part 7, 8; nothing 9 */
    static const bool want_whole[14] = {1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1};
    for (int f = 0; f < 14; f++) {
        if (direct[f] != want_direct[f] || whole[f] != want_whole[f]) {
            fprintf(stderr, "  frame %d: %s, %s; expected %s, %s\n", f,
                    direct[f] ? "in the window" : "in the target", whole[f] ? "whole" : "in part",
                    want_direct[f] ? "in the window" : "in the target",
                    want_whole[f] ? "whole" : "in part");
            VT_CHECK(false);
        }
    }
    /* `under` covers the canvas: no clear (0 to 4, 10, 11); `top`, opaque from 5 to 9, covers
     * `under` and `box` too (the button's part in 7 and 8 as well); nothing drawn in 9; `under`
     * moved down no longer covers (12, 13) */
    static const int want_covered[14] = {0, 0, 0, 0, 0, 2, 2, 2, 2, 0, 0, 0, 0, 0};
    static const int want_noclear[14] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0};
    for (int f = 0; f < 14; f++) {
        if ((int)covered[f] != want_covered[f] || (int)noclear[f] != want_noclear[f]) {
            fprintf(stderr, "  frame %d: %d layers covered, clear %s; expected %d, %s\n", f,
                    (int)covered[f], noclear[f] ? "skipped" : "done", want_covered[f],
                    want_noclear[f] ? "skipped" : "done");
            VT_CHECK(false);
        }
    }
    VT_CHECK(a->fast.opaque > 0 && a->fast.linear > 0);
    VT_CHECK(b->fast.opaque == 0 && b->fast.covered == 0 && b->direct.frames == 0);
    /* a window of another size than the target: never straight into it */
    vt_renderer_set_direct(a, W + 1, H);
    uint64_t d0 = a->direct.frames;
    vt_renderer_draw(a, sa, ia, frame_items(sa, 3, ia), 1.0);
    VT_CHECK(a->direct.frames == d0);
    free(pa.rgba);
    free(pb.rgba);
    free(wa.rgba);
    free(wb.rgba);
    vt_renderer_destroy(a);
    vt_renderer_destroy(b);
    vt_scene_destroy(sa);
    vt_scene_destroy(sb);
}

int main(void) {
    vt_error err = {0};
    if (!mkdtemp(tmp_dir)) {
        perror("mkdtemp");
        return 1;
    }
    write_png("picture.png", 160, 90, 0);
    write_png("sky.png", 320, 180, 0);
    write_png("sky2.png", 320, 180, 1);
    write_png("glass.png", 40, 20, 2);
    write_png("checker.png", 64, 64, 3);
    if (vt_platform_init(true, &err) != VT_OK) {
        fprintf(stderr, "vt_platform_init: %s\n", err.message);
        return 1;
    }
    vt_window *win = NULL;
    vt_window_desc wd = {.title = "test_render_fast", .width = W, .height = H, .hidden = true};
    if (vt_window_create(&wd, &win, &err) != VT_OK) {
        fprintf(stderr, "vt_window_create: %s\n", err.message);
        return 1;
    }
    int ww = 0, wh = 0;
    vt_window_drawable_size(win, &ww, &wh);
    VT_CHECK(ww == W && wh == H);
    test_sampler();
    test_frames();
    vt_window_destroy(win);
    vt_platform_quit();
    static const char *files[] = {"picture.png", "sky.png", "sky2.png", "glass.png", "checker.png"};
    for (int i = 0; i < 5; i++) {
        char *p = vt_xasprintf("%s/%s", tmp_dir, files[i]);
        unlink(p);
        free(p);
    }
    rmdir(tmp_dir);
    return vt_test_finish("test_render_fast");
}
