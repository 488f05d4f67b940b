/* Drawing a frame: the canvas letterboxed into the target, each layer's box placed, rotated and
 * fitted (object-fit), composited with premultiplied alpha in its blend mode. */
#include "render/render_internal.h"

#include <math.h>
#include <string.h>

/* A quad in canvas pixels: a corner and the two edges leaving it, and what it shows. */
typedef vt_render_quad quad;

/* The part of the box (normalized 0..1) an image covers, and the texture part it shows. */
typedef struct fit_span {
    double q0, q1; /* in the box */
    double t0, t1; /* in the texture */
} fit_span;

/* Along one axis: the image is `len` long once fitted, centered in a box `box` long; what is
 * outside the box is cropped. False when nothing is left. */
static bool fit_axis(double box, double len, fit_span *s) {
    double d0 = (box - len) / 2.0;
    double v0 = fmax(0.0, d0), v1 = fmin(box, d0 + len);
    if (!(v1 > v0)) {
        return false;
    }
    *s = (fit_span){v0 / box, v1 / box, (v0 - d0) / len, (v1 - d0) / len};
    return true;
}

/* CSS object-fit: how large the image is drawn in a box of bw x bh. */
static void fit_size(vt_fit fit, double bw, double bh, double iw, double ih, double *w, double *h) {
    double s = 1.0;
    switch (fit) {
    case VT_FIT_FILL:
        *w = bw;
        *h = bh;
        return;
    case VT_FIT_CONTAIN:
        s = fmin(bw / iw, bh / ih);
        break;
    case VT_FIT_COVER:
        s = fmax(bw / iw, bh / ih);
        break;
    case VT_FIT_NONE:
        s = 1.0;
        break;
    }
    *w = iw * s;
    *h = ih * s;
}

/* The point at normalized (nx, ny) of the box, in canvas pixels: the box is size * scale with
 * its anchor at position, turned clockwise (y points down) about the anchor. */
static void box_point(const vt_layer_props *p, double nx, double ny, double *x, double *y) {
    double w = p->size.x * p->scale.x, h = p->size.y * p->scale.y;
    double dx = (nx - p->anchor.x) * w, dy = (ny - p->anchor.y) * h;
    double rad = p->rotation * (M_PI / 180.0);
    double c = cos(rad), s = sin(rad);
    *x = p->position.x + dx * c - dy * s;
    *y = p->position.y + dx * s + dy * c;
}

/* Where a layer draws; false when it draws nothing (empty box, image cropped away). */
static bool layer_quad(const vt_layer *layer, const vt_render_texture *t, const vt_layer_props *p,
                       quad *q) {
    double bw = fabs(p->size.x * p->scale.x), bh = fabs(p->size.y * p->scale.y);
    if (!(bw > 0.0) || !(bh > 0.0)) {
        return false;
    }
    fit_span sx = {0, 1, 0, 1}, sy = {0, 1, 0, 1};
    if (t) {
        /* A placeholder fills its box: it must be seen, whatever the fit. */
        vt_fit fit = t->placeholder ? VT_FIT_FILL : layer->fit;
        double w, h;
        fit_size(fit, bw, bh, t->natural_w, t->natural_h, &w, &h);
        if (!fit_axis(bw, w, &sx) || !fit_axis(bh, h, &sy)) {
            return false;
        }
    }
    double x1, y1, x2, y2;
    box_point(p, sx.q0, sy.q0, &q->ox, &q->oy);
    box_point(p, sx.q1, sy.q0, &x1, &y1);
    box_point(p, sx.q0, sy.q1, &x2, &y2);
    q->xx = x1 - q->ox;
    q->xy = y1 - q->oy;
    q->yx = x2 - q->ox;
    q->yy = y2 - q->oy;
    q->u0 = sx.t0;
    q->v0 = sy.t0;
    q->u1 = sx.t1;
    q->v1 = sy.t1;
    return true;
}

/* Source factors for premultiplied colour; alpha always accumulates as "over". */
void vt_render_set_blend(vt_blend blend) {
    GLenum src = GL_ONE, dst = GL_ONE_MINUS_SRC_ALPHA;
    switch (blend) {
    case VT_BLEND_NORMAL:
        break;
    case VT_BLEND_ADD:
        dst = GL_ONE;
        break;
    case VT_BLEND_MULTIPLY:
        src = GL_DST_COLOR;
        break;
    case VT_BLEND_SCREEN:
        dst = GL_ONE_MINUS_SRC_COLOR;
        break;
    }
    glBlendFuncSeparate(src, dst, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
}

void vt_render_layer_blend(const vt_renderer *r, const vt_layer *layer) {
    vt_render_set_blend(r->isolating ? VT_BLEND_NORMAL : layer->blend);
}

/* Whether t, drawn in quad q, is not minified anywhere: each edge of the quad spans at least
 * as many target pixels as the texels it shows (a rotation keeps every derivative within the
 * larger of the two), so GL's level of detail is at most 0 and GL_LINEAR_MIPMAP_LINEAR
 * magnifies with GL_LINEAR: the plain sampler draws the same pixels for less. */
static bool not_minified(const vt_renderer *r, const vt_scene *scene, const vt_render_texture *t,
                         const quad *q) {
    double kx = (double)r->canvas.w / scene->width, ky = (double)r->canvas.h / scene->height;
    double lx = hypot(q->xx * kx, q->xy * ky), ly = hypot(q->yx * kx, q->yy * ky);
    return lx >= fabs(q->u1 - q->u0) * t->width && ly >= fabs(q->v1 - q->v0) * t->height;
}

static void draw_item(vt_renderer *r, const vt_scene *scene, const vt_draw_item *item) {
    if (item->layer >= scene->layer_count) {
        return;
    }
    const vt_layer *layer = &scene->layers[item->layer];
    const vt_layer_props *p = &item->props;
    double opacity = fmin(fmax(p->opacity, 0.0), 1.0);
    double a = p->color.a / 255.0 * opacity;
    if (!p->visible || !(a > 0.0)) {
        return;
    }
    if (layer->type == VT_LAYER_TEXT || layer->type == VT_LAYER_CAPTIONS) {
        vt_render_text_draw(r, scene, item);
        return;
    }
    const vt_render_texture *t = NULL;
    const vt_render_program *pg = &r->program;
    vt_render_texture film = {0};
    vt_color color = p->color;
    bool shader = layer->type == VT_LAYER_SHADER;
    if (shader && !vt_render_shader_draw(r, scene, item, (double)r->canvas.w / scene->width)) {
        /* a shader whose file is missing or that never compiled shows the placeholder */
        shader = false;
        t = vt_render_texture_of(r, item->layer);
        if (!t || !t->id) {
            return;
        }
    }
    if (layer->type == VT_LAYER_IMAGE) {
        t = vt_render_texture_of(r, item->layer);
        if (!t || !t->id) {
            return; /* the scene was not loaded into this renderer */
        }
    } else if (layer->type == VT_LAYER_VIDEO) {
        const vt_render_program *vp = vt_render_video_bind(r, scene, item, &film);
        if (vp) {
            pg = vp;
            t = &film;
        } else {
            color = (vt_color){255, 0, 255, color.a}; /* no picture: a magenta placeholder */
        }
    }
    quad q;
    if (!layer_quad(layer, t, p, &q)) {
        if (pg != &r->program) {
            glUseProgram(r->program.id);
        }
        return;
    }
    quad fitted = q; /* before any wrap: what tiles are drawn from */
    bool wrap = layer->type == VT_LAYER_IMAGE && layer->wrap != VT_WRAP_NONE && t;
    if (wrap) {
        vt_render_wrap_quad(scene, layer->wrap, &q);
    }
    if (pg == &r->program && !shader && !wrap && vt_render_shape_used(layer, p) &&
        vt_render_shape_draw(r, scene, layer, p, &q, t, color, opacity)) {
        return;
    }
    /* Canvas pixels (y down) to clip space (y up); the viewport is the canvas. */
    double sx = 2.0 / scene->width, sy = -2.0 / scene->height;
    glUniform2f(pg->origin, (float)(q.ox * sx - 1.0), (float)(q.oy * sy + 1.0));
    glUniform2f(pg->axis_x, (float)(q.xx * sx), (float)(q.xy * sy));
    glUniform2f(pg->axis_y, (float)(q.yx * sx), (float)(q.yy * sy));
    /* a shader's picture has its first row at the bottom */
    glUniform2f(pg->uv0, (float)q.u0, (float)(shader ? 1.0 - q.v0 : q.v0));
    glUniform2f(pg->uv1, (float)q.u1, (float)(shader ? 1.0 - q.v1 : q.v1));
    glUniform4f(pg->color, (float)(color.r / 255.0 * a), (float)(color.g / 255.0 * a),
                (float)(color.b / 255.0 * a), (float)a);
    if (pg == &r->program) {
        glUniform1i(pg->textured, t || shader ? 1 : 0);
        glUniform1i(pg->straight, shader ? 1 : 0);
        glUniform1i(pg->dither, t && t->pixels16 && vt_render_layer_dither(r, scene) ? 1 : 0);
        if (!shader) {
            glBindTexture(GL_TEXTURE_2D, t ? t->id : 0);
        }
    }
    vt_render_layer_blend(r, layer);
    if (t && t->tiles && pg == &r->program && vt_render_tiles_draw(r, scene, layer, t, &fitted)) {
        return; /* an image over the texture limit, drawn from its tiles */
    }
    if (wrap) {
        vt_render_wrap_texture(layer->wrap, true);
    }
    bool linear = pg == &r->program && t && !shader && !wrap && !r->fast.off &&
                  t->filter != VT_FILTER_NEAREST && r->sampler_linear &&
                  not_minified(r, scene, t, &q);
    if (linear) {
        glBindSampler(0, r->sampler_linear);
        r->fast.linear++;
    }
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    if (linear) {
        glBindSampler(0, 0);
    }
    if (wrap) {
        vt_render_wrap_texture(layer->wrap, false);
    }
    if (pg != &r->program) {
        glUseProgram(r->program.id); /* a film's program was bound for this layer only */
    }
}

void vt_render_draw_item(vt_renderer *r, const vt_scene *scene, const vt_draw_item *item) {
    draw_item(r, scene, item);
}

/* Sets the canvas viewport and clears `part` of the target to the background (unless `covered`:
 * an opaque layer draws every pixel of it), the scissor left on it. */
static void clear_canvas(vt_renderer *r, const vt_scene *scene, vt_render_rect part, bool covered) {
    const vt_render_rect *c = &r->canvas;
    glViewport(c->x, c->y, c->w, c->h);
    glScissor(part.x, part.y, part.w, part.h);
    glEnable(GL_SCISSOR_TEST);
    if (covered) {
        return;
    }
    double a = scene->background.a / 255.0;
    glClearColor((float)(scene->background.r / 255.0 * a), (float)(scene->background.g / 255.0 * a),
                 (float)(scene->background.b / 255.0 * a), (float)a);
    glClear(GL_COLOR_BUFFER_BIT);
}

/* Clears the target to black (the bars) and the canvas to the background; with the canvas
 * `covered` by an opaque layer and no bars, nothing. */
static void clear_target(vt_renderer *r, const vt_scene *scene, bool covered) {
    const vt_render_rect *c = &r->canvas;
    if (!covered || c->x != 0 || c->y != 0 || c->w != r->fbo_w || c->h != r->fbo_h) {
        covered = false;
        glDisable(GL_SCISSOR_TEST);
        glViewport(0, 0, r->fbo_w, r->fbo_h);
        glClearColor(0.0f, 0.0f, 0.0f, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
    }
    /* Layers that reach past the canvas stay inside it (and out of the bars). */
    clear_canvas(r, scene, *c, covered);
}

/* Whether every texel of the layer's texture is opaque (looked at once, at its first draw). */
static bool texture_opaque(vt_renderer *r, size_t layer) {
    if (layer >= r->texture_count || !r->textures[layer].used) {
        return false;
    }
    vt_render_texture *t = &r->textures[layer];
    t = t->alias ? &r->textures[t->source] : t;
    if (t->opaque == 0) {
        bool all = t->pixels16 || t->pixels;
        size_t n = (size_t)t->width * t->height;
        for (size_t i = 0; all && i < n; i++) {
            all = t->pixels16 ? t->pixels16[i * 4 + 3] == 65535 : t->pixels[i * 4 + 3] == 255;
        }
        t->opaque = all ? 1 : -1;
    }
    return t->opaque > 0;
}

/* Whether draw_item draws the item through the layer program with an alpha of exactly 1 at
 * every pixel it covers, in the normal blend: the blend then writes the source as it is (the
 * destination times 1 - 1), so it may be off; *q gets its quad. */
static bool opaque_item(vt_renderer *r, const vt_scene *scene, const vt_draw_item *item, quad *q) {
    if (r->fast.off || r->isolating || item->layer >= scene->layer_count) {
        return false;
    }
    const vt_layer *layer = &scene->layers[item->layer];
    const vt_layer_props *p = &item->props;
    if (layer->type != VT_LAYER_IMAGE || layer->masked || layer->is_mask ||
        layer->wrap != VT_WRAP_NONE || layer->blend != VT_BLEND_NORMAL || !p->visible ||
        !(p->opacity >= 1.0) || p->color.a != 255 || vt_render_shape_used(layer, p)) {
        return false;
    }
    const vt_render_texture *t = vt_render_texture_of(r, item->layer);
    return t && t->id && texture_opaque(r, item->layer) && layer_quad(layer, t, p, q);
}

/* Whether the (axis-aligned) quad holds the centre of every target pixel of `area`: GL draws a
 * pixel when its centre is inside (a quarter pixel to spare against rounding). */
static bool covers(const vt_renderer *r, const vt_scene *scene, const quad *q,
                   vt_render_rect area) {
    if (q->xy != 0.0 || q->yx != 0.0) {
        return false;
    }
    const vt_render_rect *c = &r->canvas;
    double kx = (double)c->w / scene->width, ky = (double)c->h / scene->height;
    double x0 = c->x + fmin(q->ox, q->ox + q->xx) * kx, x1 = c->x + fmax(q->ox, q->ox + q->xx) * kx;
    double y0 = c->y + c->h - fmax(q->oy, q->oy + q->yy) * ky;
    double y1 = c->y + c->h - fmin(q->oy, q->oy + q->yy) * ky;
    return x0 <= area.x + 0.25 && x1 >= area.x + area.w - 0.25 && y0 <= area.y + 0.25 &&
           y1 >= area.y + area.h - 0.25;
}

/* The first item to draw into `area`: the topmost opaque image that covers it (the items under
 * it would be painted over), or 0. Items are skipped only when drawing them changes nothing
 * but pixels: images and rects, not films, texts, shaders or masks (their state moves on). */
static size_t first_drawn(vt_renderer *r, const vt_scene *scene, const vt_draw_item *items,
                          size_t count, vt_render_rect area) {
    size_t first = 0;
    for (size_t i = 0; i < count; i++) {
        quad q;
        if (opaque_item(r, scene, &items[i], &q) && covers(r, scene, &q, area)) {
            first = i + 1; /* 1 + the item */
        }
    }
    for (size_t i = 0; first > 1 && i < first - 1; i++) {
        const vt_layer *l =
            items[i].layer < scene->layer_count ? &scene->layers[items[i].layer] : NULL;
        if (l &&
            ((l->type != VT_LAYER_IMAGE && l->type != VT_LAYER_RECT) || l->masked || l->is_mask)) {
            return 0;
        }
    }
    return first;
}

/* Whether the item, as recorded this frame, may draw into `area`. */
static bool touches(const vt_renderer *r, const vt_scene *scene, const vt_draw_item *item,
                    vt_render_rect area) {
    if (item->layer >= r->damage.count) {
        return false;
    }
    vt_render_rect b = vt_render_damage_rect(r->damage.layers[item->layer].box, r->canvas,
                                             scene->width, scene->height);
    return b.w > 0 && b.h > 0 && b.x < area.x + area.w && area.x < b.x + b.w &&
           b.y < area.y + area.h && area.y < b.y + b.h;
}

vt_render_box vt_render_item_box(vt_renderer *r, const vt_scene *scene, const vt_draw_item *item) {
    vt_render_box b = vt_render_box_none();
    if (item->layer >= scene->layer_count) {
        return b;
    }
    const vt_layer *layer = &scene->layers[item->layer];
    /* Masks draw through targets of the frame's size; shaders' pictures animate on their own
     * and may read what lies beneath them. */
    if (layer->masked || layer->is_mask || layer->type == VT_LAYER_SHADER) {
        b.all = true;
        return b;
    }
    /* From here as draw_item decides what it draws. */
    const vt_layer_props *p = &item->props;
    double a = p->color.a / 255.0 * fmin(fmax(p->opacity, 0.0), 1.0);
    if (!p->visible || !(a > 0.0)) {
        return b;
    }
    if (layer->type == VT_LAYER_TEXT || layer->type == VT_LAYER_CAPTIONS) {
        return vt_render_text_box(r, scene, item);
    }
    const vt_render_texture *t = NULL;
    if (layer->type == VT_LAYER_IMAGE) {
        t = vt_render_texture_of(r, item->layer);
        if (!t || !t->id) {
            return b;
        }
        if (layer->wrap != VT_WRAP_NONE) {
            b.all = true; /* tiles across the canvas */
            return b;
        }
    }
    /* A film's picture is fitted inside its box (cropped to it): the box bounds it. */
    quad q;
    if (!layer_quad(layer, t, p, &q)) {
        return b;
    }
    if (vt_render_shape_used(layer, p)) {
        return vt_render_shape_box(layer, &q, scene, (double)r->canvas.w / scene->width);
    }
    vt_render_box_add_quad(&b, q.ox, q.oy, q.xx, q.xy, q.yx, q.yy);
    return b;
}

void vt_renderer_set_direct(vt_renderer *r, int window_w, int window_h) {
    r->direct.w = window_w > 0 && window_h > 0 ? window_w : 0;
    r->direct.h = window_w > 0 && window_h > 0 ? window_h : 0;
}

/* Whether the window's framebuffer stores what the target does (8 bits a channel, unsigned
 * normalized, one sample), so that drawing there gives the pixels the present's 1:1 copy
 * would. Asked once per context; the target stays bound. */
static bool window_like_target(vt_renderer *r) {
    if (r->direct.fb_ok == 0) {
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
        GLint bits[3] = {0}, type = 0, samples = -1;
        static const GLenum names[3] = {GL_FRAMEBUFFER_ATTACHMENT_RED_SIZE,
                                        GL_FRAMEBUFFER_ATTACHMENT_GREEN_SIZE,
                                        GL_FRAMEBUFFER_ATTACHMENT_BLUE_SIZE};
        for (int i = 0; i < 3; i++) {
            glGetFramebufferAttachmentParameteriv(GL_FRAMEBUFFER, GL_BACK_LEFT, names[i], &bits[i]);
        }
        glGetFramebufferAttachmentParameteriv(GL_FRAMEBUFFER, GL_BACK_LEFT,
                                              GL_FRAMEBUFFER_ATTACHMENT_COMPONENT_TYPE, &type);
        glGetIntegerv(GL_SAMPLES, &samples);
        bool ok = bits[0] == 8 && bits[1] == 8 && bits[2] == 8 && type == GL_UNSIGNED_NORMALIZED &&
                  samples == 0 && glGetError() == GL_NO_ERROR;
        r->direct.fb_ok = ok ? 1 : -1;
        glBindFramebuffer(GL_FRAMEBUFFER, r->fbo);
    }
    return r->direct.fb_ok > 0;
}

static bool whole(double v) {
    return fabs(v - round(v)) < 1e-6;
}

/* Whether the item draws the same pixels in the window as in the target. On llvmpipe the
 * window's rows run the other way in memory: a varying is interpolated from other corners and
 * may round the other way, which moves a bilinear weight by a step where a texel is read
 * between texels (a turned or scaled image: edge pixels one level apart, test_render_fast).
 * So: images at 1:1 on whole target pixels (every read at a texel's centre), flat rects on
 * whole pixels (coverage only), text unturned and unscaled at a whole position at canvas scale
 * 1 (its glyphs are placed on whole pixels at 1:1), or nothing drawn. Not films, shader layers,
 * masks, shapes (rounded corners, borders, shadows) or wrapped images. */
static bool exact_item(const vt_renderer *r, const vt_scene *scene, const vt_draw_item *item) {
    if (item->layer >= scene->layer_count) {
        return true;
    }
    const vt_layer *layer = &scene->layers[item->layer];
    const vt_layer_props *p = &item->props;
    if (!p->visible || !(p->color.a / 255.0 * fmin(fmax(p->opacity, 0.0), 1.0) > 0.0)) {
        return !layer->masked && !layer->is_mask && layer->type != VT_LAYER_SHADER;
    }
    if (layer->masked || layer->is_mask) {
        return false;
    }
    const vt_render_rect *c = &r->canvas;
    double kx = (double)c->w / scene->width, ky = (double)c->h / scene->height;
    if (layer->type == VT_LAYER_TEXT || layer->type == VT_LAYER_CAPTIONS) {
        return p->rotation == 0.0 && p->scale.x == 1.0 && p->scale.y == 1.0 && kx == 1.0 &&
               ky == 1.0 && whole(p->position.x) && whole(p->position.y) &&
               whole(p->anchor.x * p->size.x) && whole(p->anchor.y * p->size.y);
    }
    if ((layer->type != VT_LAYER_IMAGE && layer->type != VT_LAYER_RECT) ||
        layer->wrap != VT_WRAP_NONE || vt_render_shape_used(layer, p)) {
        return false;
    }
    const vt_render_texture *t = NULL;
    if (layer->type == VT_LAYER_IMAGE) {
        t = vt_render_texture_of(r, item->layer);
        if (!t || !t->id) {
            return true; /* draws nothing */
        }
        if (t->tiles) {
            return false; /* drawn from its tiles (tiles.c): not compared in the window */
        }
    }
    quad q;
    if (!layer_quad(layer, t, p, &q)) {
        return true;
    }
    double w = q.xx * kx, h = q.yy * ky;
    return q.xy == 0.0 && q.yx == 0.0 && whole(q.ox * kx) && whole(q.oy * ky) && whole(w) &&
           whole(h) &&
           (!t || (fabs(fabs(w) - (q.u1 - q.u0) * t->width) < 1e-6 &&
                   fabs(fabs(h) - (q.v1 - q.v0) * t->height) < 1e-6));
}

/* Whether this frame is drawn straight into the window: it is drawn whole (`full`) or half of
 * it changed, the target is the window's size and presented 1:1 (the canvas where the present
 * puts it), and every item draws there what it draws in the target. */
static bool direct_frame(vt_renderer *r, const vt_scene *scene, const vt_draw_item *items,
                         size_t count, bool full, vt_render_rect area) {
    /* a deep canvas goes through its final dithered pass (dither.c): never straight to 8 bits */
    if (r->fast.off || r->deep || r->deep_target || r->direct.w != r->fbo_w ||
        r->direct.h != r->fbo_h || r->fbo_w <= 0 ||
        (!full && (double)area.w * area.h < 0.5 * r->fbo_w * r->fbo_h)) {
        return false;
    }
    vt_render_rect d = vt_render_fit(r->canvas.w, r->canvas.h, r->direct.w, r->direct.h);
    if (memcmp(&d, &r->canvas, sizeof d) != 0) {
        return false;
    }
    for (size_t i = 0; i < count; i++) {
        if (!exact_item(r, scene, &items[i])) {
            return false;
        }
    }
    return window_like_target(r);
}

void vt_renderer_set_fast(vt_renderer *r, bool on) {
    r->fast.off = !on;
}

void vt_renderer_set_damage(vt_renderer *r, bool on) {
    if (r->damage.on != on) {
        r->damage.on = on;
        r->damage.full = true;
    }
}

vt_render_damage_stats vt_renderer_damage_stats(const vt_renderer *r) {
    vt_render_damage_stats s = r->damage.stats;
    s.direct = r->direct.frames;
    return s;
}

double vt_renderer_drawn_pixels(const vt_renderer *r) {
    return (double)r->damage.last.w * r->damage.last.h;
}

bool vt_renderer_damage_last(const vt_renderer *r, vt_render_rect *area) {
    *area = r->damage.last;
    return r->damage.last_full;
}

void vt_renderer_draw(vt_renderer *r, const vt_scene *scene, const vt_draw_item *items,
                      size_t count, double scale) {
    if (scene->width <= 0 || scene->height <= 0 || !vt_render_target_begin(r, scale)) {
        return;
    }
    vt_render_rect canvas = vt_render_fit(scene->width, scene->height, r->fbo_w, r->fbo_h);
    /* Only a target that holds the last frame, drawn the same way, can be drawn in part. */
    bool full = !r->drawn || r->damage.full || memcmp(&canvas, &r->canvas, sizeof canvas) != 0;
    r->canvas = canvas;
    r->shader_pixels = 0;
    r->out.pixels = 0;
    r->out.reading = false;
    vt_render_rect area = {0};
    if (r->damage.on) {
        full = !vt_render_damage_update(r, scene, items, count, full, &area);
        r->damage.full = false;
    } else {
        full = true;
    }
    /* Into the window whole; or, after a frame drawn there, into the target whole (it does not
     * hold that frame). */
    bool direct = direct_frame(r, scene, items, count, full, area);
    full = full || direct || r->direct.last;
    r->direct.last = direct;
    if (direct) {
        r->direct.frames++;
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
    }
    r->damage.last_full = full;
    r->damage.last = full ? (vt_render_rect){0, 0, r->fbo_w, r->fbo_h} : area;
    /* 1 + the item under which nothing shows, or 0 */
    size_t first = full || (area.w > 0 && area.h > 0)
                       ? first_drawn(r, scene, items, count, full ? canvas : area)
                       : 0;
    if (full) {
        r->damage.stats.whole++;
        clear_target(r, scene, first > 0);
    } else if (area.w > 0 && area.h > 0) {
        r->damage.stats.part++;
        r->damage.stats.part_fraction += (double)area.w * area.h / ((double)r->fbo_w * r->fbo_h);
        clear_canvas(r, scene, area, first > 0); /* only this part is drawn again */
    } else {
        /* Nothing changed: the target holds this frame already. */
        r->damage.stats.unchanged++;
        r->frame++;
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
        return;
    }
    glUseProgram(r->program.id);
    glBindVertexArray(r->vao);
    glActiveTexture(GL_TEXTURE0);
    glEnable(GL_BLEND);
    if (first > 0) {
        r->fast.noclear++;
        r->fast.covered += first - 1;
    }
    for (size_t i = first > 0 ? first - 1 : 0; i < count; i++) {
        if (!full && !touches(r, scene, &items[i], area)) {
            continue; /* all it draws is outside the area, which keeps its pixels */
        }
        quad q;
        if (opaque_item(r, scene, &items[i], &q)) {
            r->fast.opaque++;
            glDisable(GL_BLEND);
            draw_item(r, scene, &items[i]);
            glEnable(GL_BLEND);
        } else if (!vt_render_mask_item(r, scene, items, count, i)) {
            draw_item(r, scene, &items[i]);
        }
    }
    glDisable(GL_BLEND);
    glDisable(GL_SCISSOR_TEST);
    r->frame++;
    glBindVertexArray(0);
    glBindTexture(GL_TEXTURE_2D, 0);
    vt_render_dither_pass(r, r->damage.last); /* a deep canvas to 8 bits (dither.c) */
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    r->drawn = true;
}
