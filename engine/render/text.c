/* Text and captions layers: the layout of the text a draw item carries (made again only when the
 * text, language or box width changes), glyphs rasterised at the size they are drawn into the
 * glyph atlas, the atlas's dirty part uploaded to an R8 texture, and one textured quad per glyph
 * placed by the layer's transform. Captions get a plate behind their text, at the bottom centre
 * of their box. */
#include "render/render_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ATLAS_INITIAL 512
#define ATLAS_MAX 4096
/* Glyphs drawn larger are rasterised at this em size and magnified: a few giant letters must
 * not fill the atlas (or be rasterised again every frame because they cannot fit). */
#define MAX_RASTER_EM 512.0

void vt_render_text_init(vt_renderer *r) {
    r->frame = 1;
}

/* The text context and atlas, made for the first scene with text: fontconfig's configuration
 * costs tens of milliseconds that scenes without text need not pay. */
static bool text_start(vt_renderer *r) {
    if (r->text_ctx || r->text_failed) {
        return r->text_ctx != NULL;
    }
    vt_error err = {0};
    if (vt_text_ctx_create(&r->text_ctx, &err) != VT_OK) {
        vt_log(VT_LOG_WARN, "render", "text layers will not be drawn: %s", err.message);
        r->text_ctx = NULL;
        r->text_failed = true;
        return false;
    }
    int max = r->gl_max_texture_size > 0 && r->gl_max_texture_size < ATLAS_MAX
                  ? r->gl_max_texture_size
                  : ATLAS_MAX;
    r->atlas = vt_text_atlas_create(ATLAS_INITIAL, max);
    return true;
}

/* Forgets the text and its layout; keeps what was last said about the layer. */
static void text_reset(vt_render_text *t) {
    vt_text_layout_destroy(t->layout);
    free(t->text);
    free(t->lang);
    free(t->units);
    *t = (vt_render_text){.warned = t->warned, .units_by = -1};
}

/* A layout's warnings (fonts not found, characters no font has), said once per layer with the
 * scene position of the layer; a new text saying the same thing says nothing more. */
static void log_warnings(vt_render_text *t, const vt_scene *scene, const vt_layer *layer,
                         const char *warnings) {
    if (!warnings || (t->warned && strcmp(t->warned, warnings) == 0)) {
        return;
    }
    free(t->warned);
    t->warned = vt_xstrdup(warnings);
    for (const char *w = warnings; *w;) {
        size_t n = strcspn(w, "\n");
        vt_log(VT_LOG_WARN, "text", "%s:%d:%d: layer '%s': %.*s",
               scene->path ? scene->path : "scene", layer->line, layer->col,
               layer->id ? layer->id : "?", (int)n, w);
        w += n + (w[n] == '\n');
    }
}

static void texts_free(vt_renderer *r) {
    for (size_t i = 0; i < r->text_count; i++) {
        text_reset(&r->texts[i]);
        free(r->texts[i].warned);
    }
    free(r->texts);
    r->texts = NULL;
    r->text_count = 0;
}

void vt_render_text_free(vt_renderer *r) {
    texts_free(r);
    text_reset(&r->banner_text);
    vt_text_atlas_destroy(r->atlas);
    vt_text_ctx_destroy(r->text_ctx);
    free(r->glyph_scratch);
    free(r->text_verts);
    r->text_verts = NULL;
    r->text_verts_cap = 0;
    r->atlas = NULL;
    r->text_ctx = NULL;
    r->glyph_scratch = NULL;
    r->glyph_scratch_cap = 0;
}

vt_status vt_render_text_create_gpu(vt_renderer *r, vt_error *err) {
    vt_status st = vt_render_text_program_create(&r->text_program, err);
    if (st != VT_OK) {
        return st;
    }
    glGenVertexArrays(1, &r->text_vao);
    glBindVertexArray(r->text_vao);
    glGenBuffers(1, &r->text_vbo);
    glBindBuffer(GL_ARRAY_BUFFER, r->text_vbo);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 4 * sizeof(float), (const void *)0);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, 4 * sizeof(float),
                          (const void *)(2 * sizeof(float)));
    glBindVertexArray(0);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    return VT_OK;
}

void vt_render_text_free_gpu(vt_renderer *r) {
    vt_render_text_program_destroy(&r->text_program);
    if (r->text_vao) {
        glDeleteVertexArrays(1, &r->text_vao);
    }
    if (r->text_vbo) {
        glDeleteBuffers(1, &r->text_vbo);
    }
    r->text_vao = r->text_vbo = 0;
    if (r->atlas_tex) {
        glDeleteTextures(1, &r->atlas_tex);
        r->atlas_tex = 0;
    }
    if (r->atlas) {
        vt_text_atlas_touch_all(r->atlas);
    }
}

/* Captions always have room for a plate (they get one by default); a text layer only when it
 * asks for one (`plate: COLOUR`). */
static bool plated(const vt_layer *layer) {
    return layer->type == VT_LAYER_CAPTIONS || layer->text.plate.a > 0;
}

/* The width lines wrap to: the box less the plate's padding; 0 (no wrapping) without a box. */
static double wrap_width(const vt_layer *layer, const vt_layer_props *p) {
    if (!layer->has_size) {
        return 0;
    }
    double pad = plated(layer) ? layer->text.plate_padding : 0;
    return fmax(1.0, p->size.x - 2 * pad);
}

/* The em size a layer is set at this frame: tracks move it (props), else the style's. */
static double em_size(const vt_layer *layer, const vt_layer_props *p) {
    return p->text_size > 0 ? p->text_size : layer->text.size;
}

static vt_text_layout_desc layout_desc(const vt_layer *layer, const vt_layer_props *p,
                                       const char *text, const char *lang, double width) {
    const vt_text_style *st = &layer->text;
    const char *family = st->font, *path = st->font_path;
    for (size_t i = 0; lang && i < st->lang_font_count; i++) {
        if (strcasecmp(st->lang_fonts[i].lang, lang) == 0) {
            family = st->lang_fonts[i].font; /* the font written for this language */
            path = st->lang_fonts[i].font_path;
            break;
        }
    }
    vt_text_layout_desc d = {
        .text = text,
        .len = strlen(text),
        .lang = lang,
        .font = {.family = family, .path = path, .weight = st->weight, .italic = st->italic},
        .size = em_size(layer, p),
        .align = (int)st->align,
        .line_height = st->line_height,
        .letter_spacing = p->letter_spacing,
        .max_lines = st->max_lines,
        .hyphenate = st->hyphenate,
        .as_typed = st->typography == VT_TYPOGRAPHY_OFF,
        .width = width};
    /* Subtitles read best centred: start means the centre of the plate. */
    if (layer->type == VT_LAYER_CAPTIONS && st->align == VT_ALIGN_START) {
        d.align = VT_ALIGN_CENTER;
    }
    return d;
}

static bool same_str(const char *a, const char *b) {
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

const vt_text_layout *vt_render_text_layout(vt_renderer *r, const vt_scene *scene,
                                            const vt_draw_item *item) {
    if (!r->text_ctx || !item->text || item->layer >= r->text_count ||
        item->layer >= scene->layer_count) {
        return NULL;
    }
    const vt_layer *layer = &scene->layers[item->layer];
    vt_render_text *t = &r->texts[item->layer];
    const char *lang = item->lang ? item->lang : layer->lang;
    double width = wrap_width(layer, &item->props), size = em_size(layer, &item->props);
    double spacing = item->props.letter_spacing;
    if (t->text && strcmp(t->text, item->text) == 0 && same_str(t->lang, lang) &&
        t->width == width && t->size == size && t->letter_spacing == spacing) {
        return t->layout; /* NULL when this very input failed: it was said once */
    }
    text_reset(t);
    t->text = vt_xstrdup(item->text);
    t->lang = lang ? vt_xstrdup(lang) : NULL;
    t->width = width;
    t->size = size;
    t->letter_spacing = spacing;
    vt_text_layout_desc d = layout_desc(layer, &item->props, item->text, lang, width);
    vt_error err = {0};
    if (vt_text_layout_create(r->text_ctx, &d, &t->layout, &err) != VT_OK) {
        vt_log(VT_LOG_WARN, "text", "%s:%d:%d: layer '%s': %s", scene->path ? scene->path : "scene",
               layer->line, layer->col, layer->id ? layer->id : "?", err.message);
        t->layout = NULL;
    } else {
        log_warnings(t, scene, layer, t->layout->warnings);
    }
    return t->layout;
}

void vt_render_text_load_scene(vt_renderer *r, vt_scene *scene) {
    texts_free(r);
    r->texts = vt_xcalloc(scene->layer_count + 1, sizeof *r->texts);
    r->text_count = scene->layer_count;
    bool any = false;
    for (size_t i = 0; i < scene->layer_count; i++) {
        any |= scene->layers[i].type == VT_LAYER_TEXT || scene->layers[i].type == VT_LAYER_CAPTIONS;
    }
    if (!any || !text_start(r)) {
        return;
    }
    for (size_t i = 0; i < scene->layer_count; i++) {
        vt_layer *layer = &scene->layers[i];
        if (layer->type != VT_LAYER_TEXT || layer->has_size || !layer->variant_count ||
            !layer->variants[0].text) {
            continue;
        }
        /* Like an image's own size: the box of the text it shows first. */
        vt_draw_item item = {.layer = (uint32_t)i,
                             .props = layer->props,
                             .text = layer->variants[0].text,
                             .lang = layer->lang};
        const vt_text_layout *lo = vt_render_text_layout(r, scene, &item);
        if (lo) {
            layer->props.size = (vt_vec2){lo->width, lo->height};
        }
    }
}

/* ---- drawing ---- */

/* A layer's box in canvas pixels: local box coordinates (unscaled) to the canvas. */
typedef struct box_xform {
    const vt_layer_props *p;
    double bw, bh, c, s;
} box_xform;

static void to_canvas(const box_xform *xf, double lx, double ly, double *x, double *y) {
    const vt_layer_props *p = xf->p;
    double dx = (lx - p->anchor.x * xf->bw) * p->scale.x;
    double dy = (ly - p->anchor.y * xf->bh) * p->scale.y;
    *x = p->position.x + dx * xf->c - dy * xf->s;
    *y = p->position.y + dx * xf->s + dy * xf->c;
}

typedef struct quad_uv {
    double u0, v0, u1, v1;
} quad_uv;

/* A quad from a canvas corner and its two edges, through the one program every layer uses. */
static void draw_quad(vt_renderer *r, const vt_scene *scene, const double q[6], quad_uv uv,
                      const float color[4], bool textured) {
    double sx = 2.0 / scene->width, sy = -2.0 / scene->height;
    const vt_render_program *pg = &r->program;
    glUniform2f(pg->origin, (float)(q[0] * sx - 1.0), (float)(q[1] * sy + 1.0));
    glUniform2f(pg->axis_x, (float)(q[2] * sx), (float)(q[3] * sy));
    glUniform2f(pg->axis_y, (float)(q[4] * sx), (float)(q[5] * sy));
    glUniform2f(pg->uv0, (float)uv.u0, (float)uv.v0);
    glUniform2f(pg->uv1, (float)uv.u1, (float)uv.v1);
    glUniform4f(pg->color, color[0], color[1], color[2], color[3]);
    glUniform1i(pg->textured, textured ? 1 : 0);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
}

/* A rectangle of the box (local coordinates) on the canvas. */
static void local_quad(const box_xform *xf, double x, double y, double w, double h, double q[6]) {
    double x1, y1, x2, y2;
    to_canvas(xf, x, y, &q[0], &q[1]);
    to_canvas(xf, x + w, y, &x1, &y1);
    to_canvas(xf, x, y + h, &x2, &y2);
    q[2] = x1 - q[0];
    q[3] = y1 - q[1];
    q[4] = x2 - q[0];
    q[5] = y2 - q[1];
}

static void premultiplied(vt_color c, double opacity, float out[4]) {
    double a = c.a / 255.0 * opacity;
    out[0] = (float)(c.r / 255.0 * a);
    out[1] = (float)(c.g / 255.0 * a);
    out[2] = (float)(c.b / 255.0 * a);
    out[3] = (float)a;
}

static void upload_atlas(vt_renderer *r) {
    if (!r->atlas_tex) {
        glGenTextures(1, &r->atlas_tex);
        glBindTexture(GL_TEXTURE_2D, r->atlas_tex);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        /* Coverage in every channel: the shader's colour * texel is premultiplied text. */
        static const GLint swizzle[4] = {GL_RED, GL_RED, GL_RED, GL_RED};
        glTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_RGBA, swizzle);
        vt_text_atlas_touch_all(r->atlas);
    }
    int x, y, w, h, side = 0;
    bool resized = false;
    if (!vt_text_atlas_take_dirty(r->atlas, &x, &y, &w, &h, &resized)) {
        return;
    }
    const uint8_t *px = vt_text_atlas_pixels(r->atlas, &side);
    glBindTexture(GL_TEXTURE_2D, r->atlas_tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    if (resized) {
        glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, side, side, 0, GL_RED, GL_UNSIGNED_BYTE, px);
    } else {
        glPixelStorei(GL_UNPACK_ROW_LENGTH, side);
        glTexSubImage2D(GL_TEXTURE_2D, 0, x, y, w, h, GL_RED, GL_UNSIGNED_BYTE,
                        px + (size_t)y * side + x);
        glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    }
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
}

typedef struct text_pass {
    const box_xform *xf;
    double ox, oy;   /* the text block's top-left in the box */
    double cts;      /* target pixels per canvas pixel */
    double em_ratio; /* layout pixels per bitmap pixel */
    bool snap;       /* upright, unflipped, drawn at raster size: texels on target pixels */
    uint32_t size_q; /* raster em size in quarter pixels */
    /* What the viewport spans in the units quads are placed in: the canvas, or the window. */
    double space_w, space_h;
    float color[4];
} text_pass;

/* Where each glyph lands and its bitmap: with `snap`, the pen in target pixels, x split into a
 * whole pixel and a quarter-pixel phase (its own bitmap), so glyphs keep their advances' spacing
 * and texels still fall on pixels. False when no glyph can be drawn. */
static bool place_glyphs(vt_renderer *r, vt_render_text *t, const vt_text_layout *lo,
                         const text_pass *tp) {
    if (r->glyph_scratch_cap < lo->glyph_count) {
        r->glyph_scratch_cap = lo->glyph_count;
        r->glyph_scratch =
            vt_xrealloc(r->glyph_scratch, lo->glyph_count * sizeof *r->glyph_scratch);
    }
    size_t failed = 0;
    vt_error err = {0}, later = {0};
    for (size_t i = 0; i < lo->glyph_count; i++) {
        const vt_text_glyph *g = &lo->glyphs[i];
        vt_render_glyph *rg = &r->glyph_scratch[i];
        vt_text_atlas_key key = {g->font, g->glyph, tp->size_q, 0};
        if (tp->snap) {
            double cx, cy;
            to_canvas(tp->xf, tp->ox + g->x, tp->oy + g->y, &cx, &cy);
            double tx = cx * tp->cts, ix = floor(tx);
            int phase = (int)floor((tx - ix) * 4.0 + 0.5);
            rg->x = ix + (phase == 4);
            rg->y = floor(cy * tp->cts + 0.5);
            key.phase = (uint32_t)(phase & 3);
        }
        /* The first failure's message: later ones may only say it already failed. */
        if (vt_text_glyph_raster(r->text_ctx, r->atlas, key, r->frame, &rg->e,
                                 failed ? &later : &err) != VT_OK) {
            rg->e = (vt_text_atlas_entry){0};
            failed++;
        }
    }
    if (failed && !t->failed) {
        vt_log(VT_LOG_WARN, "render", "%zu glyphs not drawn: %s", failed, err.message);
        t->failed = true; /* said once for this text */
    }
    return failed < lo->glyph_count;
}

/* Two triangles of a glyph quad (corner + edges, origin top-left, y down) into v, in clip space
 * with uvs. */
static float *put_quad(float *v, const text_pass *tp, const double q[6], quad_uv uv) {
    double sx = 2.0 / tp->space_w, sy = -2.0 / tp->space_h;
    const double corner[4][4] = {
        {0, 0, uv.u0, uv.v0}, {1, 0, uv.u1, uv.v0}, {0, 1, uv.u0, uv.v1}, {1, 1, uv.u1, uv.v1}};
    static const int order[6] = {0, 1, 2, 2, 1, 3};
    for (int i = 0; i < 6; i++) {
        const double *c = corner[order[i]];
        double x = q[0] + c[0] * q[2] + c[1] * q[4], y = q[1] + c[0] * q[3] + c[1] * q[5];
        *v++ = (float)(x * sx - 1.0);
        *v++ = (float)(y * sy + 1.0);
        *v++ = (float)c[2];
        *v++ = (float)c[3];
    }
    return v;
}

/* Where a placed glyph is drawn (a corner and two edges); false when it has no pixels. */
static bool glyph_quad(const text_pass *tp, const vt_text_glyph *g, const vt_render_glyph *rg,
                       double q[6]) {
    const vt_text_atlas_entry *e = &rg->e;
    if (e->w <= 0 || e->h <= 0) {
        return false;
    }
    if (tp->snap) {
        q[0] = (rg->x + e->left) / tp->cts;
        q[1] = (rg->y - e->top) / tp->cts;
        q[2] = e->w / tp->cts;
        q[3] = 0;
        q[4] = 0;
        q[5] = e->h / tp->cts;
    } else {
        double k = tp->em_ratio;
        local_quad(tp->xf, tp->ox + g->x + e->left * k, tp->oy + g->y - e->top * k, e->w * k,
                   e->h * k, q);
    }
    return true;
}

/* The glyphs of the layout whose reveal unit is in [from, to) (units NULL: every glyph) in one
 * draw call. */
static void draw_glyphs(vt_renderer *r, const vt_text_layout *lo, const text_pass *tp,
                        const uint32_t *units, uint32_t from, uint32_t to) {
    int side = 0;
    vt_text_atlas_pixels(r->atlas, &side);
    size_t need = lo->glyph_count * 24;
    if (r->text_verts_cap < need) {
        r->text_verts_cap = need;
        r->text_verts = vt_xrealloc(r->text_verts, need * sizeof *r->text_verts);
    }
    float *v = r->text_verts;
    for (size_t i = 0; i < lo->glyph_count; i++) {
        const vt_render_glyph *rg = &r->glyph_scratch[i];
        const vt_text_atlas_entry *e = &rg->e;
        if (units && (units[i] < from || units[i] >= to)) {
            continue;
        }
        double q[6];
        if (!glyph_quad(tp, &lo->glyphs[i], rg, q)) {
            continue;
        }
        quad_uv uv = {(double)e->x / side, (double)e->y / side, (double)(e->x + e->w) / side,
                      (double)(e->y + e->h) / side};
        v = put_quad(v, tp, q, uv);
    }
    size_t floats = (size_t)(v - r->text_verts);
    if (!floats) {
        return;
    }
    glUseProgram(r->text_program.id);
    glUniform4f(r->text_program.color, tp->color[0], tp->color[1], tp->color[2], tp->color[3]);
    glBindVertexArray(r->text_vao);
    glBindBuffer(GL_ARRAY_BUFFER, r->text_vbo);
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)(floats * sizeof(float)), r->text_verts,
                 GL_STREAM_DRAW);
    glBindTexture(GL_TEXTURE_2D, r->atlas_tex);
    glDrawArrays(GL_TRIANGLES, 0, (GLsizei)(floats / 4));
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    /* Back to the program and quad every other layer draws with. */
    glUseProgram(r->program.id);
    glBindVertexArray(r->vao);
}

/* One glyph path for every text: rasterise what is missing, upload, draw. */
static void draw_text(vt_renderer *r, vt_render_text *t, const vt_text_layout *lo,
                      const text_pass *tp) {
    if (!place_glyphs(r, t, lo, tp)) {
        return;
    }
    upload_atlas(r);
    draw_glyphs(r, lo, tp, NULL, 0, 0);
}

/* ---- reveal: units in reading order ---- */

/* Separators between words (UAX #14's spaces and breaks); no-break spaces join. */
static bool is_space(uint32_t cp) {
    return cp == 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp == 0x85 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200a && cp != 0x2007) || cp == 0x2028 || cp == 0x2029 ||
           cp == 0x205f || cp == 0x3000;
}

static bool space_at(const vt_text_layout *lo, size_t at) {
    uint32_t cp = 0;
    return at < lo->text_len && vt_text_utf8_decode(lo->text + at, lo->text_len - at, &cp) > 0 &&
           is_space(cp);
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* How many of sorted keys[0..n) are <= x. */
static size_t count_le(const uint32_t *keys, size_t n, uint32_t x) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (keys[mid] <= x) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* Each glyph's unit: the layout's glyphs are in visual order, their clusters (byte offsets in
 * the text) in logical, i.e. reading, order, whatever the direction. A character is a cluster
 * that is not a space; a word, a run of them; a line, a line that shows glyphs. */
static void reveal_units(vt_render_text *t, const vt_text_layout *lo, vt_reveal_by by) {
    size_t n = lo->glyph_count;
    free(t->units);
    t->units = vt_xcalloc(n + 1, sizeof *t->units);
    t->units_by = (int)by;
    t->unit_count = 0;
    if (by == VT_REVEAL_LINE) {
        for (size_t l = 0; l < lo->line_count; l++) {
            const vt_text_line *line = &lo->lines[l];
            for (size_t g = 0; g < line->glyph_count && line->first_glyph + g < n; g++) {
                t->units[line->first_glyph + g] = t->unit_count;
            }
            t->unit_count += line->glyph_count > 0;
        }
        return;
    }
    uint32_t *keys = vt_xcalloc(n > lo->text_len ? n + 1 : lo->text_len + 1, sizeof *keys);
    size_t k = 0;
    if (by == VT_REVEAL_WORD) { /* where each word starts */
        bool after_space = true;
        for (size_t at = 0; at < lo->text_len;) {
            uint32_t cp = 0;
            size_t len = vt_text_utf8_decode(lo->text + at, lo->text_len - at, &cp);
            bool space = is_space(cp);
            if (!space && after_space) {
                keys[k++] = (uint32_t)at;
            }
            after_space = space;
            at += len ? len : 1;
        }
    } else { /* the clusters that are not spaces, once each */
        for (size_t g = 0; g < n; g++) {
            if (!space_at(lo, lo->glyphs[g].cluster)) {
                keys[k++] = lo->glyphs[g].cluster;
            }
        }
        qsort(keys, k, sizeof *keys, cmp_u32);
        size_t u = 0;
        for (size_t i = 0; i < k; i++) {
            if (u == 0 || keys[u - 1] != keys[i]) {
                keys[u++] = keys[i];
            }
        }
        k = u;
    }
    for (size_t g = 0; g < n; g++) {
        size_t c = count_le(keys, k, lo->glyphs[g].cluster);
        t->units[g] = c > 0 ? (uint32_t)(c - 1) : 0;
    }
    t->unit_count = (uint32_t)k;
    free(keys);
}

/* A text partly revealed: the units before the one being revealed at full strength, that one
 * faded in by the layer's easing over its share of 0..1, the rest not drawn. */
static void draw_revealed(vt_renderer *r, vt_render_text *t, const vt_layer *layer,
                          const vt_text_layout *lo, text_pass *tp, double reveal) {
    if (!t->units || t->units_by != (int)layer->text.reveal_by) {
        reveal_units(t, lo, layer->text.reveal_by);
    }
    if (!place_glyphs(r, t, lo, tp)) {
        return;
    }
    upload_atlas(r);
    double at = fmax(reveal, 0.0) * t->unit_count;
    uint32_t full = (uint32_t)fmin(floor(at), (double)t->unit_count);
    draw_glyphs(r, lo, tp, t->units, 0, full);
    double a = full < t->unit_count ? vt_ease_eval(&layer->text.reveal_ease, at - full) : 0.0;
    a = fmin(fmax(a, 0.0), 1.0); /* back and elastic overshoot: coverage cannot */
    if (a > 0) {
        for (int i = 0; i < 4; i++) {
            tp->color[i] = (float)(tp->color[i] * a);
        }
        draw_glyphs(r, lo, tp, t->units, full, full + 1);
    }
}

/* The plate behind captions or a text that asks for one: around the lines' advance, padded. */
static bool plate_quad(const vt_layer *layer, const vt_text_layout *lo, const text_pass *tp,
                       double q[6]) {
    double x0 = INFINITY, x1 = -INFINITY, pad = layer->text.plate_padding;
    for (size_t i = 0; i < lo->line_count; i++) {
        if (lo->lines[i].glyph_count) {
            x0 = fmin(x0, lo->lines[i].x);
            x1 = fmax(x1, lo->lines[i].x + lo->lines[i].width);
        }
    }
    if (!(x1 > x0) || layer->text.plate.a == 0) {
        return false;
    }
    local_quad(tp->xf, tp->ox + x0 - pad, tp->oy - pad, x1 - x0 + 2 * pad, lo->height + 2 * pad, q);
    return true;
}

static void draw_plate(vt_renderer *r, const vt_scene *scene, const vt_layer *layer,
                       const vt_text_layout *lo, const text_pass *tp, double opacity) {
    double q[6];
    if (!plate_quad(layer, lo, tp, q)) {
        return;
    }
    float color[4];
    premultiplied(layer->text.plate, opacity, color);
    glBindTexture(GL_TEXTURE_2D, 0);
    draw_quad(r, scene, q, (quad_uv){0, 0, 1, 1}, color, false);
}

/* How an item's text is placed this frame; false when it draws nothing. */
typedef struct text_setup {
    const vt_text_layout *lo;
    const vt_layer *layer;
    box_xform xf;
    text_pass tp;
    double opacity;
} text_setup;

static bool setup(vt_renderer *r, const vt_scene *scene, const vt_draw_item *item, text_setup *ts) {
    const vt_text_layout *lo = vt_render_text_layout(r, scene, item);
    if (!lo || lo->glyph_count == 0) {
        return false;
    }
    const vt_layer *layer = &scene->layers[item->layer];
    const vt_layer_props *p = &item->props;
    bool captions = layer->type == VT_LAYER_CAPTIONS;
    double pad = plated(layer) ? layer->text.plate_padding : 0;
    double rad = p->rotation * (M_PI / 180.0);
    ts->lo = lo;
    ts->layer = layer;
    ts->xf = (box_xform){.p = p,
                         .bw = layer->has_size ? p->size.x : lo->width + 2 * pad,
                         .bh = layer->has_size ? p->size.y : lo->height + 2 * pad,
                         .c = cos(rad),
                         .s = sin(rad)};
    double cts = (double)r->canvas.w / scene->width;
    double s = sqrt(fabs(p->scale.x * p->scale.y));
    if (!(s > 0) || !(cts > 0)) {
        return false;
    }
    double drawn_em = lo->size * s * cts;
    uint32_t size_q = vt_text_size_quantize(fmin(drawn_em, MAX_RASTER_EM));
    ts->opacity = fmin(fmax(p->opacity, 0.0), 1.0);
    ts->tp = (text_pass){.xf = &ts->xf,
                         .ox = pad,
                         /* Captions sit at the bottom of their box; text starts at its top. */
                         .oy = captions ? ts->xf.bh - pad - lo->height : pad,
                         .cts = cts,
                         .em_ratio = lo->size / (size_q / 4.0),
                         /* Upright, unflipped and drawn at its raster size: texel on pixel. */
                         .snap = fmod(fabs(p->rotation), 360.0) == 0 && p->scale.x > 0 &&
                                 p->scale.y > 0 && fabs(p->scale.x - p->scale.y) < 1e-9 &&
                                 drawn_em <= MAX_RASTER_EM,
                         .size_q = size_q,
                         .space_w = scene->width,
                         .space_h = scene->height};
    premultiplied(p->color, ts->opacity, ts->tp.color);
    return true;
}

void vt_render_text_draw(vt_renderer *r, const vt_scene *scene, const vt_draw_item *item) {
    text_setup ts;
    if (!setup(r, scene, item, &ts)) {
        return;
    }
    vt_render_layer_blend(r, ts.layer);
    if (plated(ts.layer)) {
        draw_plate(r, scene, ts.layer, ts.lo, &ts.tp, ts.opacity);
    }
    if (ts.layer->type == VT_LAYER_TEXT && item->props.reveal < 1) {
        draw_revealed(r, &r->texts[item->layer], ts.layer, ts.lo, &ts.tp, item->props.reveal);
        return;
    }
    draw_text(r, &r->texts[item->layer], ts.lo, &ts.tp);
}

vt_render_box vt_render_text_box(vt_renderer *r, const vt_scene *scene, const vt_draw_item *item) {
    vt_render_box b = vt_render_box_none();
    text_setup ts;
    if (!setup(r, scene, item, &ts)) {
        return b;
    }
    double q[6];
    if (plated(ts.layer) && plate_quad(ts.layer, ts.lo, &ts.tp, q)) {
        vt_render_box_add_quad(&b, q[0], q[1], q[2], q[3], q[4], q[5]);
    }
    /* The glyphs as draw_text places them (rasterised now if new: the draw finds them). */
    if (!place_glyphs(r, &r->texts[item->layer], ts.lo, &ts.tp)) {
        return b;
    }
    for (size_t i = 0; i < ts.lo->glyph_count; i++) {
        if (glyph_quad(&ts.tp, &ts.lo->glyphs[i], &r->glyph_scratch[i], q)) {
            vt_render_box_add_quad(&b, q[0], q[1], q[2], q[3], q[4], q[5]);
        }
    }
    return b;
}

/* ---- the banner's message ---- */

void vt_render_banner_text(vt_renderer *r, const char *message) {
    vt_render_text *t = &r->banner_text;
    if (same_str(t->text, message)) {
        return;
    }
    text_reset(t);
    if (message && *message && text_start(r)) {
        t->text = vt_xstrdup(message);
    }
}

/* One line in DejaVu Sans at `size` window pixels, cut with "…" to `width`; laid out again only
 * when the window's size changes it. */
static const vt_text_layout *banner_layout(vt_renderer *r, double size, double width) {
    vt_render_text *t = &r->banner_text;
    if (!t->text || (t->width == width && t->size == size)) {
        return t->layout; /* NULL when this very input failed: it was said once */
    }
    vt_text_layout_destroy(t->layout);
    t->layout = NULL;
    t->width = width;
    t->size = size;
    t->failed = false;
    vt_text_layout_desc d = {.text = t->text,
                             .len = strlen(t->text),
                             .font = {.family = "DejaVu Sans"},
                             .size = size,
                             .max_lines = 1,
                             .width = width};
    vt_error err = {0};
    if (vt_text_layout_create(r->text_ctx, &d, &t->layout, &err) != VT_OK) {
        vt_log(VT_LOG_WARN, "render", "the banner's message cannot be shown: %s", err.message);
        t->layout = NULL;
    }
    return t->layout;
}

void vt_render_banner_draw(vt_renderer *r, int window_w, int window_h, int strip_h, double size) {
    double margin = round(size * 0.6);
    const vt_text_layout *lo = banner_layout(r, size, fmax(1.0, window_w - 2 * margin));
    if (!lo || lo->glyph_count == 0) {
        return;
    }
    /* Upright at scale 1 in window pixels: the layer path's snapped case, texel on pixel. */
    vt_layer_props p = {.position = {margin, round((strip_h - lo->height) / 2)}, .scale = {1, 1}};
    box_xform xf = {.p = &p, .c = 1, .s = 0};
    uint32_t size_q = vt_text_size_quantize(size);
    text_pass tp = {.xf = &xf,
                    .cts = 1,
                    .em_ratio = size / (size_q / 4.0),
                    .snap = true,
                    .size_q = size_q,
                    .space_w = window_w,
                    .space_h = window_h};
    premultiplied((vt_color){255, 255, 255, 255}, 1.0, tp.color);
    glEnable(GL_BLEND);
    vt_render_set_blend(VT_BLEND_NORMAL);
    draw_text(r, &r->banner_text, lo, &tp);
    glDisable(GL_BLEND);
}
