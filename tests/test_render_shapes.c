/* Shapes: `radius`, `border`, `fill` gradients and `shadow` read from scene text (each refusal
 * as its exact "path:line:col" line), then drawn headless (SDL offscreen, Mesa llvmpipe):
 * sampled pixels (corners cut, border colour, gradient ends and middle, radial centre, the
 * shadow outside the box only), a golden with a tolerance, dithered gradients without bands,
 * repeatable renders, the shadow's pixels in the energy count, and `radius` animatable. */
#include "platform/vt_platform.h"
#include "render/render_internal.h"
#include "vt_test.h"
#include "diag_util.h"
#include "render_util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PATH "scenes/t.yaml"
#define E(line, col, msg) PATH ":" #line ":" #col ": error: " msg "\n"
#define HEAD "format: vitrine/1\ncanvas: {size: [64, 48]}\nlayers:\n"
/* Line 4: the layer. */
#define RECT(s) HEAD "  - {id: card, type: rect, size: [10, 10]" s "}\n"

typedef struct bad_case {
    const char *name;
    const char *yaml;
    const char *expected;
} bad_case;

static const bad_case bad_cases[] = {
    {"negative radius", RECT(", radius: -2"),
     E(4, 52, "'radius' must be between 0 and 1000000, got -2")},
    {"radius on text", HEAD "  - {id: t, type: text, text: Hi, radius: 4}\n",
     E(4, 35, "'radius' is not allowed in a text layer")},
    {"border not a mapping", RECT(", border: 4"),
     E(4, 52,
       "'border' must be a mapping, not a number; write 'border: {width: 4, color: \"#ffffff\"}'")},
    {"border without width", RECT(", border: {color: \"#ff0000\"}"),
     E(4, 52, "missing required key 'width' in layer 'card' ('border')")},
    {"border colour unquoted", RECT(", border: {width: 2, colour: \"#ff0000\"}"),
     E(4, 63, "unknown key 'colour' in layer 'card' ('border'); did you mean 'color'?")},
    {"fill on an image",
     HEAD "  - {id: i, type: image, src: img/dot.png, fill: {linear: {stops: "
          "[\"#000000\", \"#ffffff\"]}}}\n",
     E(4, 44, "'fill' is not allowed in an image layer")},
    {"fill kind unknown", RECT(", fill: {conic: {stops: [\"#000000\", \"#ffffff\"]}}"),
     E(4, 51,
       "'fill' takes one gradient, 'linear' or 'radial', not conic; write 'fill: {linear: "
       "{angle: 90, stops: [\"#000000\", \"#ffffff\"]}}' (or 'radial:' instead of 'linear:')")},
    {"one stop", RECT(", fill: {linear: {stops: [\"#000000\"]}}"),
     E(4, 67,
       "'stops' must be a sequence of 2 to 8 colours, like [\"#000000\", \"#ffffff\"] (or {at: "
       "0.3, color: \"#ff8800\"} to place one)")},
    {"stops out of order",
     RECT(", fill: {linear: {stops: [{at: 0.6, color: \"#000000\"}, {at: 0.2, color: "
          "\"#ffffff\"}]}}"),
     E(4, 97,
       "gradient stops must be in order: stop 2 is at 0.2, before stop 1 at 0.6; list the stops "
       "from 'at: 0' to 'at: 1'")},
    {"stop past 1", RECT(", fill: {radial: {stops: [\"#000000\", {at: 1.5, color: \"#fff\"}]}}"),
     E(4, 84, "'at' must be between 0 and 1, got 1.5")
         E(4, 96, "'color' must be a colour like \"#ff8800\" or \"#ff8800cc\", got '#fff'")},
    {"radial centre outside",
     RECT(", fill: {radial: {center: [2, 0.5], stops: [\"#000000\", "
          "\"#ffffff\"]}}"),
     E(4, 69, "'center' must be between 0 and 1, got 2")},
    {"shadow blur negative", RECT(", shadow: {blur: -1}"),
     E(4, 59, "'blur' must be between 0 and 1000, got -1")},
    {"mask names no layer",
     HEAD "  - {id: a, type: rect, size: [1, 1], mask: wpie}\n"
          "  - {id: wipe, type: rect, size: [1, 1]}\n",
     E(4, 45, "unknown layer 'wpie' in 'mask'; did you mean 'wipe'?")},
    {"mask of itself", HEAD "  - {id: a, type: rect, size: [1, 1], mask: a}\n",
     E(4, 45, "a layer cannot mask itself; name another layer in 'mask'")},
    {"mask with a mask",
     HEAD "  - {id: a, type: rect, size: [1, 1], mask: b}\n"
          "  - {id: b, type: rect, size: [1, 1], mask: c}\n"
          "  - {id: c, type: rect, size: [1, 1]}\n",
     E(5, 45,
       "layer 'b' masks another layer, so it cannot have a mask itself; draw both masks into one "
       "layer, or mask the other layer directly")},
    {"mask mode unknown",
     HEAD "  - {id: a, type: rect, size: [1, 1], mask: {layer: b, mode: luma}}\n"
          "  - {id: b, type: rect, size: [1, 1]}\n",
     E(4, 62, "unknown mask mode 'luma'; valid modes: alpha, luminance")},
    {"mask without layer", HEAD "  - {id: a, type: rect, size: [1, 1], mask: {invert: true}}\n",
     E(4, 45, "missing required key 'layer' in layer 'a' ('mask')")},
    {"wrap on a rect", RECT(", wrap: x"), E(4, 44, "'wrap' is not allowed in a rect layer")},
    {"wrap unknown", HEAD "  - {id: i, type: image, src: img/dot.png, wrap: xy}\n",
     E(4, 50, "unknown wrap 'xy'; did you mean 'x'?")},
    {"wrap with cover",
     HEAD "  - {id: i, type: image, src: img/dot.png, wrap: x, fit: cover, "
          "radius: 3}\n",
     E(4, 53,
       "'fit' does not go with 'wrap': the picture repeats whole, edge to edge; remove "
       "'fit', or 'wrap'")
         E(4, 65,
           "'radius' does not go with 'wrap': the picture repeats whole, edge to edge; "
           "remove 'radius', or 'wrap'")},
    {"shadow on a film", HEAD "  - {id: f, type: video, src: none.mp4, shadow: {blur: 2}}\n",
     E(4, 41, "'shadow' is not allowed in a video layer")},
};

static void test_bad_cases(void) {
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        const bad_case *bc = &bad_cases[i];
        vt_diags d = {0};
        vt_scene *s = NULL;
        vt_status st = vt_scene_load_string(bc->yaml, strlen(bc->yaml), PATH, 0, &s, &d);
        char *got = diags_text(&d);
        /* a missing film or picture is a warning here: only the errors are compared */
        char *errors = vt_xcalloc(strlen(got) + 1, 1);
        for (char *line = strtok(got, "\n"); line; line = strtok(NULL, "\n")) {
            if (strstr(line, ": error: ")) {
                strcat(strcat(errors, line), "\n");
            }
        }
        if (strcmp(errors, bc->expected) != 0) {
            fprintf(stderr, "case '%s':\n", bc->name);
        }
        VT_CHECK_STR(errors, bc->expected);
        VT_CHECK_INT(st, VT_E_DATAERR);
        free(errors);
        free(got);
        vt_scene_destroy(s);
        vt_diags_free(&d);
    }
}

static vt_scene *load(const char *yaml) {
    vt_diags d = {0};
    vt_scene *s = NULL;
    vt_status st = vt_scene_load_string(yaml, strlen(yaml), PATH, 0, &s, &d);
    VT_CHECK_INT(st, VT_OK);
    if (st != VT_OK) {
        char *got = diags_text(&d);
        fprintf(stderr, "%s", got);
        free(got);
    }
    vt_diags_free(&d);
    return s;
}

static void test_read_values(void) {
    vt_scene *s = load(HEAD "  - id: card\n    type: rect\n    size: [40, 20]\n    radius: 6\n"
                            "    border: {width: 2, color: \"#ff000080\"}\n"
                            "    shadow: {blur: 4}\n"
                            "    fill:\n      linear:\n        stops: [\"#000000\", {at: 0.8, "
                            "color: \"#ffffff\"}, \"#ff0000\", \"#00ff00\"]\n");
    if (!s) {
        return;
    }
    const vt_layer *l = &s->layers[0];
    VT_CHECK(l->props.radius == 6);
    VT_CHECK(l->border.width == 2 && l->border.color.r == 255 && l->border.color.a == 128);
    /* shadow defaults: offset [0, 8], #00000080 */
    VT_CHECK(l->shadow.on && l->shadow.blur == 4 && l->shadow.offset.x == 0 &&
             l->shadow.offset.y == 8 && l->shadow.color.a == 128);
    VT_CHECK_INT(l->fill.kind, VT_GRADIENT_LINEAR);
    VT_CHECK(l->fill.angle == 180); /* CSS: top to bottom */
    VT_CHECK_INT((int)l->fill.stop_count, 4);
    /* unplaced stops share the space between placed ones: 0, 0.8, 0.9, 1 */
    VT_CHECK(l->fill.stops[0].at == 0 && l->fill.stops[1].at == 0.8);
    VT_CHECK(fabs(l->fill.stops[2].at - 0.9) < 1e-12 && l->fill.stops[3].at == 1);
    /* `radius` is animatable: a `set` from outside reaches it */
    vt_action a;
    vt_error err = {0};
    VT_CHECK_INT(vt_scene_set_action(s, "card.radius", "12", &a, &err), VT_OK);
    VT_CHECK_INT(a.prop, VT_PROP_RADIUS);
    VT_CHECK(a.v[0] == 12);
    VT_CHECK_INT(vt_scene_set_action(s, "card.radius", "-1", &a, &err), VT_E_DATAERR);
    vt_scene_destroy(s);
}

/* ---- drawn ---- */

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

/* Draws the scene's layers with their own props (or `props` for layer 0) and reads it back. */
static void draw(vt_renderer *r, vt_scene *s, const vt_layer_props *props0, vt_frame_pixels *out) {
    vt_error err = {0};
    vt_draw_item items[8];
    for (size_t i = 0; i < s->layer_count && i < 8; i++) {
        items[i] = (vt_draw_item){.layer = (uint32_t)i, .props = s->layers[i].props};
    }
    if (props0) {
        items[0].props = *props0;
    }
    vt_renderer_draw(r, s, items, s->layer_count, 1.0);
    vt_renderer_read_start(r, 0);
    VT_CHECK_INT(vt_renderer_read_finish(r, 0, out, &err), VT_OK);
}

#define CHECK_PX(f, x, y, r_, g_, b_, tol)                                                         \
    do {                                                                                           \
        const uint8_t *p_ = vt_px((f), (x), (y));                                                  \
        bool ok_ = abs(p_[0] - (r_)) <= (tol) && abs(p_[1] - (g_)) <= (tol) &&                     \
                   abs(p_[2] - (b_)) <= (tol);                                                     \
        VT_CHECK(ok_);                                                                             \
        if (!ok_) {                                                                                \
            fprintf(stderr, "  pixel (%d,%d) is %d,%d,%d; expected %d,%d,%d (+-%d)\n", (x), (y),   \
                    p_[0], p_[1], p_[2], (int)(r_), (int)(g_), (int)(b_), (int)(tol));             \
        }                                                                                          \
    } while (0)

#define SHAPES                                                                                     \
    "format: vitrine/1\ncanvas: {size: [160, 90], background: \"#204060\"}\nlayers:\n"             \
    "  - {id: card, type: rect, position: [10, 10], size: [60, 40], color: \"#ffffff\", "          \
    "radius: 12, border: {width: 3, color: \"#ff0000\"}}\n"                                        \
    "  - {id: ramp, type: rect, position: [80, 10], size: [64, 20], fill: {linear: {angle: 90, "   \
    "stops: [\"#ff0000\", \"#0000ff\"]}}}\n"                                                       \
    "  - {id: glow, type: rect, position: [80, 40], size: [40, 40], fill: {radial: {stops: "       \
    "[\"#ffff00\", \"#000000\"]}}}\n"                                                              \
    "  - {id: pane, type: rect, position: [20, 60], size: [30, 20], color: \"#ffffff40\", "        \
    "shadow: {offset: [6, 4], blur: 0, color: \"#000000\"}}\n"

static void test_drawn(void) {
    vt_scene *s = load(SHAPES);
    if (!s) {
        return;
    }
    vt_renderer *r = make_renderer(160, 90);
    vt_error err = {0};
    VT_CHECK_INT(vt_renderer_load_scene(r, s, &err), VT_OK);
    vt_frame_pixels f = {0}, g = {0};
    draw(r, s, NULL, &f);
    /* rounded corners: the box's corner pixel shows the background, the middle the fill, the
     * middle of an edge the border */
    CHECK_PX(&f, 10, 10, 0x20, 0x40, 0x60, 1);
    CHECK_PX(&f, 69, 49, 0x20, 0x40, 0x60, 1);
    CHECK_PX(&f, 40, 30, 255, 255, 255, 0);
    CHECK_PX(&f, 11, 30, 255, 0, 0, 0);
    CHECK_PX(&f, 40, 48, 255, 0, 0, 0);
    CHECK_PX(&f, 40, 14, 255, 255, 255, 0); /* inside the border */
    /* the corner's arc is antialiased: a pixel on it is between border and background */
    const uint8_t *arc = vt_px(&f, 13, 13);
    VT_CHECK(arc[0] > 0x20 && arc[0] < 255);
    /* linear gradient at 90 degrees: red on the left, blue on the right, the mix between (in
     * sRGB-encoded values, as CSS) */
    CHECK_PX(&f, 80, 20, 253, 0, 2, 3);
    CHECK_PX(&f, 143, 20, 2, 0, 253, 3);
    CHECK_PX(&f, 111, 20, 130, 0, 125, 4);
    /* radial: yellow at the centre, black at the corners' ellipse */
    CHECK_PX(&f, 100, 60, 255, 255, 0, 8);
    const uint8_t *mid = vt_px(&f, 100, 45);
    VT_CHECK(mid[0] > 80 && mid[0] < 230 && mid[2] < 3);
    /* shadow: sharp, offset (6, 4), outside the box only: under the translucent pane the
     * background shows through untouched */
    CHECK_PX(&f, 53, 82, 0, 0, 0, 0);          /* shadow, right of and below the pane */
    CHECK_PX(&f, 22, 62, 0x58, 0x70, 0x88, 1); /* the pane (25 % white over the background) */
    CHECK_PX(&f, 48, 78, 0x58, 0x70, 0x88, 1); /* the pane over where the shadow would be */
    CHECK_PX(&f, 22, 82, 0x20, 0x40, 0x60, 0); /* left of the shadow */
    VT_CHECK(vt_golden_check("shapes", &f, 3, 40));
    /* the shadow is a pass of its own: its quad's pixels are counted for the energy model */
    double extra = vt_renderer_shader_pixels(r);
    VT_CHECK(extra >= 30 * 20 && extra < 40 * 30);
    /* the same frame again, and after the GPU is rebuilt */
    VT_CHECK_INT(vt_renderer_rebuild_gpu(r, &err), VT_OK);
    draw(r, s, NULL, &g);
    VT_CHECK(memcmp(f.rgba, g.rgba, (size_t)f.width * f.height * 4) == 0);
    /* radius as the player animates it: 0 makes the corner square (border red) */
    vt_layer_props p = s->layers[0].props;
    p.radius = 0;
    draw(r, s, &p, &g);
    CHECK_PX(&g, 10, 10, 255, 0, 0, 0);
    free(f.rgba);
    free(g.rgba);
    vt_renderer_destroy(r);
    vt_scene_destroy(s);
}

/* As test_dither.sh measures a ramp: the red channel summed over rows 0-7 and 8 columns (what
 * the eye averages), the widest run of equal sums (a band), and the worst gap between a 120 px
 * strip's mean and the ramp's own there (0 to `top` across the width), in 8-bit steps. */
static void ramp_stats(const vt_frame_pixels *f, int top, int *band, double *bias) {
    int w = f->width, run = 1;
    int *col = vt_xcalloc((size_t)w, sizeof *col);
    for (int x = 0; x < w; x++) {
        for (int y = 0; y < 8; y++) {
            col[x] += vt_px(f, x, y)[0];
        }
    }
    *band = 1;
    *bias = 0;
    for (int x = 0, prev = -1; x + 8 <= w; x++, run++) {
        int sum = 0;
        for (int i = 0; i < 8; i++) {
            sum += col[x + i];
        }
        run = sum == prev ? run : 1;
        *band = run > *band ? run : *band;
        prev = sum;
    }
    for (int x0 = 0; x0 + 120 <= w; x0 += 120) {
        double got = 0, want = 0;
        for (int x = x0; x < x0 + 120; x++) {
            got += col[x] / 8.0;
            want += top * (x + 0.5) / w;
        }
        *bias = fmax(*bias, fabs(got - want) / 120);
    }
    free(col);
}

/* A dark ramp over 1920 px has 24 steps: 80 px bands unless dithered. */
#define RAMP(dither)                                                                               \
    "format: vitrine/1\ncanvas: {size: [1920, 16], dither: " dither "}\nlayers:\n"                 \
    "  - {id: ramp, type: rect, size: [1920, 16], fill: {linear: {angle: 90, stops: "              \
    "[\"#000000\", \"#181818\"]}}}\n"

static void test_dither(void) {
    vt_scene *on = load(RAMP("true")), *off = load(RAMP("false"));
    if (!on || !off) {
        vt_scene_destroy(on);
        vt_scene_destroy(off);
        return;
    }
    vt_renderer *r = make_renderer(1920, 16);
    vt_error err = {0};
    vt_frame_pixels a = {0}, b = {0}, c = {0};
    VT_CHECK_INT(vt_renderer_load_scene(r, on, &err), VT_OK);
    draw(r, on, NULL, &a);
    draw(r, on, NULL, &c);
    VT_CHECK_INT(vt_renderer_load_scene(r, off, &err), VT_OK);
    draw(r, off, NULL, &b);
    int band_on, band_off;
    double bias_on, bias_off;
    ramp_stats(&a, 0x18, &band_on, &bias_on);
    ramp_stats(&b, 0x18, &band_off, &bias_off);
    printf("widest band: dithered %d px, not dithered %d px; worst strip bias %.3f / %.3f\n",
           band_on, band_off, bias_on, bias_off);
    VT_CHECK(band_on <= 6);
    VT_CHECK(band_off >= 60);
    VT_CHECK(bias_on <= 0.1);
    /* deterministic: the same frame twice */
    VT_CHECK(memcmp(a.rgba, c.rgba, (size_t)a.width * a.height * 4) == 0);
    free(a.rgba);
    free(b.rgba);
    free(c.rgba);
    vt_renderer_destroy(r);
    vt_scene_destroy(on);
    vt_scene_destroy(off);
}

/* The same ramp under a black layer at 75 %: 6 steps left, 320 px bands where the gradient was
 * rounded to 8 bits before the fade (its own dither scaled down to a quarter step by it). With
 * canvas.depth 16 the frame is composited at 16 bits and dithered once at the end. */
#define FADED(depth)                                                                               \
    "format: vitrine/1\ncanvas: {size: [1920, 16], depth: " depth "}\nlayers:\n"                   \
    "  - {id: ramp, type: rect, size: [1920, 16], fill: {linear: {angle: 90, stops: "              \
    "[\"#000000\", \"#181818\"]}}}\n"                                                              \
    "  - {id: dim, type: rect, size: [1920, 16], color: \"#000000\", opacity: 0.75}\n"

static void test_depth(void) {
    vt_scene *deep = load(FADED("16")), *flat = load(FADED("auto"));
    if (!deep || !flat) {
        vt_scene_destroy(deep);
        vt_scene_destroy(flat);
        return;
    }
    vt_renderer *r = make_renderer(1920, 16);
    vt_error err = {0};
    vt_frame_pixels a = {0}, b = {0}, c = {0};
    VT_CHECK_INT(vt_renderer_load_scene(r, flat, &err), VT_OK);
    draw(r, flat, NULL, &b);
    VT_CHECK(!vt_renderer_deep(r)); /* no 16-bit picture: the 8-bit canvas */
    VT_CHECK_INT(vt_renderer_load_scene(r, deep, &err), VT_OK);
    draw(r, deep, NULL, &a);
    VT_CHECK(vt_renderer_deep(r));
    draw(r, deep, NULL, &c);
    int band_deep, band_flat;
    double bias_deep, bias_flat;
    ramp_stats(&a, 6, &band_deep, &bias_deep);
    ramp_stats(&b, 6, &band_flat, &bias_flat);
    printf("faded ramp: widest band %d px at depth 16, %d px at 8; worst strip bias %.3f / %.3f\n",
           band_deep, band_flat, bias_deep, bias_flat);
    /* 6 steps over 1920 px: the 8x8 pattern's 64 levels move every 5 px */
    VT_CHECK(band_deep <= 16);
    VT_CHECK(band_flat >= 200);
    VT_CHECK(bias_deep <= 0.1);
    VT_CHECK(memcmp(a.rgba, c.rgba, (size_t)a.width * a.height * 4) == 0);
    free(a.rgba);
    free(b.rgba);
    free(c.rgba);
    vt_renderer_destroy(r);
    vt_scene_destroy(deep);
    vt_scene_destroy(flat);
}

/* ---- masks ---- */

#define MASKS                                                                                      \
    "format: vitrine/1\ncanvas: {size: [160, 90], background: \"#000040\"}\nlayers:\n"             \
    "  - {id: photo, type: rect, size: [160, 90], color: \"#ff8000\", mask: wipe}\n"               \
    "  - {id: glow, type: rect, size: [160, 30], color: \"#ffffff\", blend: add, "                 \
    "mask: {layer: grey, mode: luminance}}\n"                                                      \
    "  - {id: hole, type: rect, position: [0, 60], size: [160, 30], color: \"#00ff00\", "          \
    "mask: {layer: dot, invert: true}}\n"                                                          \
    "  - {id: wipe, type: rect, size: [80, 60], color: \"#ff000080\"}\n"                           \
    "  - {id: grey, type: rect, size: [40, 30], color: \"#808080\"}\n"                             \
    "  - {id: dot, type: rect, position: [100, 60], size: [20, 30]}\n"

static void test_masks(void) {
    vt_scene *s = load(MASKS);
    if (!s) {
        return;
    }
    VT_CHECK(s->layers[0].masked && s->layers[0].mask == 3 && s->layers[3].is_mask);
    VT_CHECK(s->layers[1].mask_mode == VT_MASK_LUMINANCE && !s->layers[1].mask_invert);
    VT_CHECK(s->layers[2].mask_invert && s->layers[5].is_mask && !s->layers[0].is_mask);
    vt_renderer *r = make_renderer(160, 90);
    vt_error err = {0};
    VT_CHECK_INT(vt_renderer_load_scene(r, s, &err), VT_OK);
    vt_frame_pixels f = {0}, g = {0};
    draw(r, s, NULL, &f);
    /* alpha mask: the photo shows at half strength where the wipe lies (its alpha is 128),
     * not at all outside; the wipe itself (red) is never drawn */
    CHECK_PX(&f, 60, 45, 128, 64, 32, 2);
    CHECK_PX(&f, 120, 45, 0, 0, 64, 0);
    /* luminance mask, the masked layer in its own blend (add): 50 % white added where the grey
     * lies, over the half-shown photo */
    CHECK_PX(&f, 20, 15, 255, 192, 160, 2);
    CHECK_PX(&f, 60, 15, 128, 64, 32, 2);
    /* inverted: the green band everywhere but where the dot is */
    CHECK_PX(&f, 50, 75, 0, 255, 0, 0);
    CHECK_PX(&f, 110, 75, 0, 0, 64, 0);
    VT_CHECK(vt_golden_check("masks", &f, 2, 20));
    /* three more canvas-sized passes for each of the three masked layers */
    VT_CHECK(vt_renderer_shader_pixels(r) == 3 * 3 * 160.0 * 90.0);
    /* a mask moves like any layer: the wipe slid right reveals the photo there */
    vt_draw_item items[6];
    for (size_t i = 0; i < 6; i++) {
        items[i] = (vt_draw_item){.layer = (uint32_t)i, .props = s->layers[i].props};
    }
    items[3].props.position.x = 80;
    items[3].props.color.a = 255;
    vt_renderer_draw(r, s, items, 6, 1.0);
    vt_renderer_read_start(r, 1);
    VT_CHECK_INT(vt_renderer_read_finish(r, 1, &g, &err), VT_OK);
    CHECK_PX(&g, 120, 45, 255, 128, 0, 0);
    CHECK_PX(&g, 60, 45, 0, 0, 64, 0);
    /* a mask left out of the list (not shown) hides the whole layer; inverted, shows it all */
    items[3] = items[5]; /* the wipe's slot now holds the dot again: no wipe in the list */
    vt_renderer_draw(r, s, items, 5, 1.0);
    vt_renderer_read_start(r, 1);
    VT_CHECK_INT(vt_renderer_read_finish(r, 1, &g, &err), VT_OK);
    CHECK_PX(&g, 120, 45, 0, 0, 64, 0);
    CHECK_PX(&g, 110, 75, 0, 0, 64, 0);
    free(f.rgba);
    free(g.rgba);
    vt_renderer_destroy(r);
    vt_scene_destroy(s);
}

/* ---- wrap ---- */

static void test_wrap(void) {
    /* an 8 x 2 picture: each column its own colour, so a tile's place can be read */
    char dir[] = "/tmp/vt-wrap-XXXXXX";
    VT_CHECK(mkdtemp(dir) != NULL);
    uint8_t px[8 * 2 * 4];
    for (int i = 0; i < 16; i++) {
        int x = i % 8;
        uint8_t *p = &px[i * 4];
        p[0] = (uint8_t)(x * 30);
        p[1] = (uint8_t)(i < 8 ? 200 : 100);
        p[2] = (uint8_t)(255 - x * 30);
        p[3] = 255;
    }
    char *png = vt_xasprintf("%s/strip.png", dir);
    VT_CHECK_INT(vt_test_write_png(png, px, 8, 2), VT_OK);
    char *yaml = vt_xasprintf("format: vitrine/1\ncanvas: {size: [160, 90]}\nlayers:\n"
                              "  - {id: pano, type: image, src: strip.png, position: [-13, 20], "
                              "size: [40, 10], filter: nearest, wrap: x}\n"
                              "  - {id: col, type: image, src: strip.png, position: [100, 0], "
                              "size: [8, 4], filter: nearest, wrap: y}\n");
    char *path = vt_xasprintf("%s/wrap.yaml", dir);
    VT_CHECK_INT(vt_file_write_atomic(path, yaml, strlen(yaml), 0, NULL), VT_OK);
    vt_diags d = {0};
    vt_scene *s = NULL;
    VT_CHECK_INT(vt_scene_load(path, 0, &s, &d), VT_OK);
    vt_diags_free(&d);
    if (!s) {
        return;
    }
    VT_CHECK_INT(s->layers[0].wrap, VT_WRAP_X);
    vt_renderer *r = make_renderer(160, 90);
    vt_error err = {0};
    VT_CHECK_INT(vt_renderer_load_scene(r, s, &err), VT_OK);
    vt_frame_pixels f = {0}, g = {0};
    draw(r, s, NULL, &f);
    /* the strip fills the canvas's width: every 40 px the same column, left of the box too */
    for (int x = 0; x + 40 < 100; x++) { /* the column layer lies at 100..108 */
        const uint8_t *a = vt_px(&f, x, 22), *b = vt_px(&f, x + 40, 22);
        bool same = memcmp(a, b, 4) == 0 && a[1] == 200;
        VT_CHECK(same);
        if (!same) {
            fprintf(stderr, "  x %d: %d,%d,%d vs x %d: %d,%d,%d\n", x, a[0], a[1], a[2], x + 40,
                    b[0], b[1], b[2]);
            break;
        }
    }
    /* the box starts at -13: x = 27 is the first column of a tile (5 px a column) */
    CHECK_PX(&f, 27, 22, 0, 200, 255, 0);
    CHECK_PX(&f, 26, 22, 210, 200, 45, 0);
    /* only along x: nothing above or below the strip */
    CHECK_PX(&f, 50, 19, 0, 0, 0, 0);
    CHECK_PX(&f, 50, 30, 0, 0, 0, 0);
    /* along y: the column repeats down the canvas, and not to the side */
    CHECK_PX(&f, 100, 1, 0, 200, 255, 0);
    CHECK_PX(&f, 100, 3, 0, 100, 255, 0);
    CHECK_PX(&f, 100, 87, 0, 100, 255, 0);
    CHECK_PX(&f, 107, 84, 210, 200, 45, 0);
    CHECK_PX(&f, 110, 60, 0, 0, 0, 0);
    /* the loop's join: moved by one tile, the frame is the same */
    vt_layer_props p = s->layers[0].props;
    p.position.x -= 40;
    draw(r, s, &p, &g);
    VT_CHECK(memcmp(f.rgba, g.rgba, (size_t)f.width * f.height * 4) == 0);
    free(f.rgba);
    free(g.rgba);
    vt_renderer_destroy(r);
    vt_scene_destroy(s);
    unlink(path);
    unlink(png);
    rmdir(dir);
    free(path);
    free(png);
    free(yaml);
}

int main(void) {
    test_bad_cases();
    test_read_values();
    vt_error err = {0};
    if (vt_platform_init(true, &err) != VT_OK) {
        fprintf(stderr, "vt_platform_init: %s\n", err.message);
        return 1;
    }
    vt_window *win = NULL;
    vt_window_desc wd = {.title = "test_render_shapes", .width = 160, .height = 90, .hidden = true};
    if (vt_window_create(&wd, &win, &err) != VT_OK) {
        fprintf(stderr, "vt_window_create: %s\n", err.message);
        return 1;
    }
    test_drawn();
    test_dither();
    test_depth();
    test_masks();
    test_wrap();
    vt_window_destroy(win);
    vt_platform_quit();
    return vt_test_finish("test_render_shapes");
}
