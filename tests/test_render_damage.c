/* Damage tracking (engine/render/damage.c): the damage rectangle's rounding to target pixels, the
 * boxes of layers (rotated, with a shadow), and frames drawn in part byte-identical to the same
 * frames drawn whole: two renderers draw the same draw lists, one with damage tracking and one
 * without, over a full-canvas picture under a pulsing button, a rotating rect, a moving text that
 * changes, a layer that comes and goes, a tint that changes colour, a frame without change and a
 * scale change; the frames with a small change redraw a small part only. Headless (SDL offscreen,
 * Mesa llvmpipe). */
#include "platform/vt_platform.h"
#include "render/render_internal.h"
#include "vt_test.h"
#include "render_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmp_dir[] = "/tmp/vt-damage-XXXXXX";

/* ---- the rectangle (pure) ---- */

static bool same_rect(vt_render_rect a, int x, int y, int w, int h) {
    bool ok = a.x == x && a.y == y && a.w == w && a.h == h;
    if (!ok) {
        fprintf(stderr, "  rect %d,%d %dx%d; expected %d,%d %dx%d\n", a.x, a.y, a.w, a.h, x, y, w,
                h);
    }
    return ok;
}

static void test_rect(void) {
    vt_render_rect canvas = {0, 0, 100, 50};
    vt_render_box b = vt_render_box_none();
    VT_CHECK(vt_render_box_is_empty(b));
    /* nothing: no pixel */
    vt_render_rect r = vt_render_damage_rect(b, canvas, 100, 50);
    VT_CHECK(r.w == 0 || r.h == 0);
    /* rounded out to whole pixels, y up from the canvas's bottom */
    vt_render_box_add_quad(&b, 10.2, 20.7, 20.3, 0, 0, 19.3); /* x 10.2..30.5, y 20.7..40 */
    VT_CHECK(same_rect(vt_render_damage_rect(b, canvas, 100, 50), 10 - VT_RENDER_DAMAGE_MARGIN,
                       10 - VT_RENDER_DAMAGE_MARGIN, 21 + 2 * VT_RENDER_DAMAGE_MARGIN,
                       20 + 2 * VT_RENDER_DAMAGE_MARGIN));
    /* whole pixels stay whole: a box on pixel edges is those pixels */
    vt_render_box e = vt_render_box_none();
    vt_render_box_add_quad(&e, 10, 20, 5, 0, 0, 4);
    VT_CHECK(same_rect(vt_render_damage_rect(e, canvas, 100, 50), 10 - VT_RENDER_DAMAGE_MARGIN,
                       26 - VT_RENDER_DAMAGE_MARGIN, 5 + 2 * VT_RENDER_DAMAGE_MARGIN,
                       4 + 2 * VT_RENDER_DAMAGE_MARGIN));
    /* at half scale, in a letterboxed canvas (bars at x 7, y 3) */
    vt_render_rect half = {7, 3, 50, 25};
    VT_CHECK(same_rect(vt_render_damage_rect(e, half, 100, 50), 7 + 5 - VT_RENDER_DAMAGE_MARGIN,
                       3 + 13 - VT_RENDER_DAMAGE_MARGIN, 3 + 2 * VT_RENDER_DAMAGE_MARGIN,
                       2 + 2 * VT_RENDER_DAMAGE_MARGIN));
    /* a rotated quad: the box of its four corners */
    vt_render_box rot = vt_render_box_none();
    vt_render_box_add_quad(&rot, 50, 10, 10, 10, -10, 10); /* a diamond: x 40..60, y 10..30 */
    VT_CHECK(rot.x0 == 40 && rot.x1 == 60 && rot.y0 == 10 && rot.y1 == 30);
    /* clipped to the canvas; outside it: nothing */
    vt_render_box big = vt_render_box_none();
    vt_render_box_add_quad(&big, -1e300, -5, 2e300, 0, 0, 1e9);
    VT_CHECK(same_rect(vt_render_damage_rect(big, half, 100, 50), 7, 3, 50, 25));
    vt_render_box out = vt_render_box_none();
    vt_render_box_add_quad(&out, 200, 10, 10, 0, 0, 10);
    r = vt_render_damage_rect(out, canvas, 100, 50);
    VT_CHECK(r.w == 0 || r.h == 0);
    /* a coordinate that is not finite cannot be bounded: the whole canvas */
    vt_render_box nan = vt_render_box_none();
    vt_render_box_add_quad(&nan, NAN, 0, 1, 0, 0, 1);
    VT_CHECK(nan.all && !vt_render_box_is_empty(nan));
    VT_CHECK(same_rect(vt_render_damage_rect(nan, half, 100, 50), 7, 3, 50, 25));
    /* union: an `all` wins, an empty one adds nothing */
    vt_render_box u = vt_render_box_none();
    vt_render_box_add(&u, vt_render_box_none());
    VT_CHECK(vt_render_box_is_empty(u));
    vt_render_box_add(&u, e);
    vt_render_box_add(&u, rot);
    VT_CHECK(u.x0 == 10 && u.x1 == 60 && u.y0 == 10 && u.y1 == 30 && !u.all);
    vt_render_box_add(&u, nan);
    VT_CHECK(u.all);
}

/* ---- frames ---- */

#define W 320
#define H 180
/* depth: "auto" (the 8-bit canvas), or "16": the deep canvas, dithered by a final pass over the
 * part drawn again. */
#define SCENE(depth)                                                                               \
    "format: vitrine/1\ncanvas: {size: [320, 180], background: \"#203040\", depth: " depth         \
    "}\nlayers:\n"                                                                                 \
    "  - {id: picture, type: image, src: picture.png, position: [0, 0], size: [320, 180], fit: "   \
    "fill}\n"                                                                                      \
    "  - {id: button, type: rect, position: [250, 130], anchor: [0.5, 0.5], size: [40, 40], "      \
    "radius: 8, color: \"#e8a860\", border: {width: 2, color: \"#ffffff\"}, shadow: {offset: [3, " \
    "4], blur: 6}}\n"                                                                              \
    "  - {id: spin, type: rect, position: [80, 60], anchor: [0.5, 0.5], size: [50, 12], color: "   \
    "\"#40c0ff\"}\n"                                                                               \
    "  - {id: label, type: text, text: \"Bonjour\", size: 18, color: \"#ffffff\", position: [10, " \
    "140]}\n"                                                                                      \
    "  - {id: blink, type: rect, position: [200, 20], size: [30, 30], color: \"#ff000080\"}\n"     \
    "  - {id: tint, type: image, src: picture.png, position: [140, 90], size: [60, 40], blend: "   \
    "multiply}\n"

/* A picture with detail everywhere (gradients and a checker), so a stale pixel shows. */
static void write_picture(void) {
    int w = 160, h = 90;
    uint8_t *px = vt_xmalloc((size_t)w * h * 4);
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            uint8_t *p = px + ((size_t)y * w + x) * 4;
            p[0] = (uint8_t)(x * 255 / w);
            p[1] = (uint8_t)(y * 255 / h);
            p[2] = ((x / 8 + y / 8) % 2) ? 200 : 40;
            p[3] = 255;
        }
    }
    char *path = vt_xasprintf("%s/picture.png", tmp_dir);
    VT_CHECK(vt_test_write_png(path, px, w, h) == VT_OK);
    free(path);
    free(px);
}

static vt_scene *load(bool deep) {
    vt_diags d = {0};
    vt_scene *s = NULL;
    char *path = vt_xasprintf("%s/s.yaml", tmp_dir);
    const char *text = deep ? SCENE("16") : SCENE("auto");
    vt_status st = vt_scene_load_string(text, strlen(text), path, 0, &s, &d);
    VT_CHECK_INT(st, VT_OK);
    free(path);
    vt_diags_free(&d);
    return s;
}

static vt_renderer *make_renderer(vt_scene *s) {
    vt_renderer *r = NULL;
    vt_error err = {0};
    /* a target wider than the canvas: letterboxed, the canvas not at the origin */
    vt_renderer_desc desc = {W + 20, H + 9};
    if (vt_renderer_create(&desc, &r, &err) != VT_OK ||
        vt_renderer_load_scene(r, s, &err) != VT_OK) {
        fprintf(stderr, "renderer: %s\n", err.message);
        exit(1);
    }
    return r;
}

/* Frame f's draw list: what each layer does at f (its items in layer order). One change at a
 * time: the button pulses (frames 1 to 8), the rect turns (9 to 14), the text moves (15 to 21)
 * and changes alone (23), the tint changes colour (22 to 24), `blink` goes (12, 13, 23, 24); then
 * all of them at once (28 to 30), back to the scene's values (31) and nothing (32 to 35); the
 * text's reveal, letter spacing and size (36 to 39). */
static size_t frame_items(const vt_scene *s, int f, vt_draw_item *items) {
    size_t n = 0;
    bool all = f >= 28 && f <= 30;
    for (uint32_t i = 0; i < s->layer_count; i++) {
        const vt_layer *l = &s->layers[i];
        vt_draw_item it = {.layer = i, .props = l->props};
        vt_layer_props *p = &it.props;
        if (strcmp(l->id, "button") == 0 && ((f >= 1 && f <= 8) || all)) {
            double k = 0.5 + 0.5 * sin(f * 0.7);
            p->scale = (vt_vec2){0.8 + 0.2 * k, 0.8 + 0.2 * k};
            p->opacity = 0.6 + 0.4 * k;
        } else if (strcmp(l->id, "spin") == 0 && ((f >= 9 && f <= 14) || all)) {
            p->rotation = f * 13.0;
            p->position.x += f * 0.37;
        } else if (strcmp(l->id, "label") == 0) {
            it.text = f < 23 ? "Bonjour" : "Au revoir";
            it.lang = "fr";
            if ((f >= 15 && f <= 21) || all) {
                p->position.x += (f - 14) * 3.3;
                p->position.y -= (f - 14) * 1.25;
            }
            /* then revealed in part (36, 37), spaced out (38), set larger (39) */
            p->reveal = f == 36 ? 0.3 : f == 37 ? 0.6 : p->reveal;
            p->letter_spacing += f >= 38 ? 2.0 : 0.0;
            p->text_size = f >= 39 ? 22.0 : p->text_size;
        } else if (strcmp(l->id, "blink") == 0 && (f == 12 || f == 13 || f == 23 || f == 24)) {
            continue; /* gone from the list: faded out */
        } else if (strcmp(l->id, "tint") == 0 && f >= 22 && f <= 24) {
            p->color = (vt_color){255, (uint8_t)(100 + f), 80, 255};
        }
        items[n++] = it;
    }
    return n;
}

static void read_frame(vt_renderer *r, vt_frame_pixels *px) {
    vt_error err = {0};
    vt_renderer_read_start(r, 0);
    VT_CHECK_INT(vt_renderer_read_finish(r, 0, px, &err), VT_OK);
}

static void test_frames(bool deep) {
    vt_scene *sa = load(deep), *sb = load(deep);
    if (!sa || !sb) {
        return;
    }
    vt_renderer *a = make_renderer(sa), *b = make_renderer(sb);
    vt_renderer_set_damage(a, true);
    printf("damage on the %s canvas\n", deep ? "16-bit" : "8-bit");
    vt_frame_pixels pa = {0}, pb = {0};
    vt_draw_item ia[8], ib[8];
    int differing = 0, partial = 0, small = 0, empty = 0;
    for (int f = 0; f < 40; f++) {
        /* frame 26 at another scale: drawn whole, and the one after it too */
        double scale = f == 26 ? 0.5 : 1.0;
        size_t na = frame_items(sa, f, ia), nb = frame_items(sb, f, ib);
        vt_renderer_draw(a, sa, ia, na, scale);
        vt_renderer_draw(b, sb, ib, nb, scale);
        read_frame(a, &pa);
        read_frame(b, &pb);
        vt_render_rect area;
        bool full = vt_renderer_damage_last(a, &area);
        bool same = pa.width == pb.width && pa.height == pb.height &&
                    memcmp(pa.rgba, pb.rgba, (size_t)pa.width * pa.height * 4) == 0;
        if (!same) {
            differing++;
            long px = 0;
            for (size_t i = 0; pa.width == pb.width && i < (size_t)pa.width * pa.height; i++) {
                px += memcmp(pa.rgba + i * 4, pb.rgba + i * 4, 4) != 0;
            }
            fprintf(stderr, "  frame %d (%s %d,%d %dx%d): %ld pixels differ from a whole redraw\n",
                    f, full ? "whole" : "part", area.x, area.y, area.w, area.h, px);
            if (differing == 1) {
                vt_dir_create("out", NULL);
                vt_test_write_png("out/damage_part.png", pa.rgba, pa.width, pa.height);
                vt_test_write_png("out/damage_whole.png", pb.rgba, pb.width, pb.height);
            }
        }
        /* what the energy model charges: the pixels this frame wrote */
        VT_CHECK_NEAR(vt_renderer_drawn_pixels(a),
                      full ? (double)pa.width * pa.height : (double)area.w * area.h, 0);
        VT_CHECK_NEAR(vt_renderer_drawn_pixels(b), (double)pb.width * pb.height, 0);
        if (!full) {
            partial++;
            small += area.w * area.h < W * H / 4;
            empty += area.w == 0 || area.h == 0;
        }
        VT_CHECK(vt_renderer_damage_last(b, &area)); /* without tracking: always whole */
        if (f == 0 || f == 26 || f == 27) {
            VT_CHECK(full); /* the first frame; a new scale; back to the old */
        }
    }
    VT_CHECK_INT(differing, 0);
    /* the tracking did work: most frames in part, small, and frames after 30 without change */
    VT_CHECK_INT(partial, 37);
    VT_CHECK(small >= 20);
    VT_CHECK_INT(empty, 4); /* frames 32 to 35: nothing changed */
    /* a new scene in the same renderer is drawn whole */
    VT_CHECK_INT(vt_renderer_load_scene(a, sa, &(vt_error){0}), VT_OK);
    vt_renderer_draw(a, sa, ia, frame_items(sa, 35, ia), 1.0);
    vt_render_rect area;
    VT_CHECK(vt_renderer_damage_last(a, &area));
    VT_CHECK(vt_renderer_deep(a) == deep);
    free(pa.rgba);
    free(pb.rgba);
    vt_renderer_destroy(a);
    vt_renderer_destroy(b);
    vt_scene_destroy(sa);
    vt_scene_destroy(sb);
}

/* A layer's box: a rotated rect's corners, a shape's shadow beyond it. */
static void test_boxes(void) {
    vt_scene *s = load(false);
    if (!s) {
        return;
    }
    vt_renderer *r = make_renderer(s);
    vt_draw_item items[8];
    size_t n = frame_items(s, 35, items); /* every layer as the scene has it */
    vt_renderer_draw(r, s, items, n, 1.0);
    vt_draw_item spin = items[2];
    VT_CHECK(strcmp(s->layers[spin.layer].id, "spin") == 0);
    spin.props.rotation = 90; /* 50x12 about its centre (80, 60): 12x50 */
    vt_render_box b = vt_render_item_box(r, s, &spin);
    VT_CHECK_NEAR(b.x0, 74, 1e-9);
    VT_CHECK_NEAR(b.x1, 86, 1e-9);
    VT_CHECK_NEAR(b.y0, 35, 1e-9);
    VT_CHECK_NEAR(b.y1, 85, 1e-9);
    /* the button (40x40 about (250, 130)) and its shadow, offset [3, 4], blur 6: three sigmas
     * and the edge (a target pixel: 1 / 1.05 canvas pixel) around the offset box */
    double edge = 1 / 1.05, reach = 9 + edge;
    vt_render_box bb = vt_render_item_box(r, s, &items[1]);
    VT_CHECK_NEAR(bb.x0, 230 + 3 - reach, 1e-9);
    VT_CHECK_NEAR(bb.y0, 110 + 4 - reach, 1e-9);
    VT_CHECK_NEAR(bb.x1, 270 + 3 + reach, 1e-9);
    VT_CHECK_NEAR(bb.y1, 150 + 4 + reach, 1e-9);
    /* without a shadow: the shape grown by its edge */
    s->layers[items[1].layer].shadow.on = false;
    bb = vt_render_item_box(r, s, &items[1]);
    VT_CHECK_NEAR(bb.x0, 230 - edge, 1e-9);
    VT_CHECK_NEAR(bb.y1, 150 + edge, 1e-9);
    /* invisible: nothing */
    vt_draw_item off = items[1];
    off.props.opacity = 0;
    VT_CHECK(vt_render_box_is_empty(vt_render_item_box(r, s, &off)));
    /* a text: where its glyphs are, near its position */
    vt_render_box t = vt_render_item_box(r, s, &items[3]);
    VT_CHECK(!t.all && t.x0 >= 9 && t.x0 < 14 && t.x1 > 60 && t.x1 < 110 && t.y0 >= 140 &&
             t.y1 < 170);
    vt_renderer_destroy(r);
    vt_scene_destroy(s);
}

int main(void) {
    test_rect();
    vt_error err = {0};
    if (!mkdtemp(tmp_dir)) {
        perror("mkdtemp");
        return 1;
    }
    write_picture();
    if (vt_platform_init(true, &err) != VT_OK) {
        fprintf(stderr, "vt_platform_init: %s\n", err.message);
        return 1;
    }
    vt_window *win = NULL;
    vt_window_desc wd = {.title = "test_render_damage", .width = W, .height = H, .hidden = true};
    if (vt_window_create(&wd, &win, &err) != VT_OK) {
        fprintf(stderr, "vt_window_create: %s\n", err.message);
        return 1;
    }
    test_boxes();
    test_frames(false);
    test_frames(true);
    vt_window_destroy(win);
    vt_platform_quit();
    char *pic = vt_xasprintf("%s/picture.png", tmp_dir);
    unlink(pic);
    free(pic);
    rmdir(tmp_dir);
    return vt_test_finish("test_render_damage");
}
