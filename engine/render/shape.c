/* Shapes: rects and images with rounded corners, a border or a gradient fill, and the shadow of
 * any of them, drawn with shaders/shape.*.glsl in the same compositing as every layer. Layers
 * without any of these keep the plain layer program (and their exact pixels). */
#include "render/render_internal.h"

#include <math.h>

#include "render/shaders_glsl.h"

/* A shape's edges are antialiased over one target pixel: its quad grows by this much on each
 * side so the outer half of the edge is drawn too. */
#define EDGE_PX 1.0

static vt_status program_create(vt_render_shape_program *p, vt_error *err) {
    GLuint prog = 0;
    vt_status st = vt_render_build_program(vt_glsl_shape_vert, vt_glsl_shape_frag, &prog, err);
    if (st != VT_OK) {
        return st;
    }
    *p = (vt_render_shape_program){.id = prog};
#define LOC(field, name) p->field = glGetUniformLocation(prog, name)
    LOC(origin, "u_origin");
    LOC(axis_x, "u_axis_x");
    LOC(axis_y, "u_axis_y");
    LOC(uv0, "u_uv0");
    LOC(uv1, "u_uv1");
    LOC(local0, "u_local0");
    LOC(local1, "u_local1");
    LOC(color, "u_color");
    LOC(textured, "u_textured");
    LOC(dither, "u_dither");
    LOC(half, "u_half");
    LOC(radius, "u_radius");
    LOC(border, "u_border");
    LOC(border_color, "u_border_color");
    LOC(shadow, "u_shadow");
    LOC(offset, "u_offset");
    LOC(sigma, "u_sigma");
    LOC(gradient, "u_gradient");
    LOC(g0, "u_g0");
    LOC(g1, "u_g1");
    LOC(stop_count, "u_stop_count");
    LOC(stop_at, "u_stop_at");
    LOC(stop_color, "u_stop_color");
#undef LOC
    glUseProgram(prog);
    glUniform1i(glGetUniformLocation(prog, "u_tex"), 0);
    return VT_OK;
}

void vt_render_shape_free_gpu(vt_renderer *r) {
    if (r->shape_program.id) {
        glDeleteProgram(r->shape_program.id);
    }
    r->shape_program = (vt_render_shape_program){0};
}

static bool has_shadow(const vt_layer *layer) {
    return layer->shadow.on && layer->shadow.color.a > 0;
}

bool vt_render_shape_used(const vt_layer *layer, const vt_layer_props *p) {
    if (layer->type != VT_LAYER_RECT && layer->type != VT_LAYER_IMAGE) {
        return false;
    }
    return p->radius > 0.0 || layer->border.width > 0.0 || layer->fill.kind != VT_GRADIENT_NONE ||
           has_shadow(layer);
}

bool vt_render_tiled_shape_warning(const vt_layer *layer, const vt_image_tiling *plan, int max_side,
                                   char *out, size_t size) {
    if (plan->levels == 0 || !vt_render_shape_used(layer, &layer->props)) {
        return false;
    }
    snprintf(out, size,
             "layer '%s': image '%s' is drawn in tiles (over the GPU's texture limit of %d pixels "
             "a side), but its rounded corners, border and shadow are drawn from one texture: "
             "the picture shows reduced to %dx%d; draw them on a rect beneath it instead",
             layer->id ? layer->id : "?", layer->src ? layer->src : "?", max_side, plan->overview_w,
             plan->overview_h);
    return true;
}

/* A colour premultiplied by its alpha and `a` (the layer's opacity and colour alpha). */
static void set_color(GLint loc, vt_color c, double a) {
    double k = c.a / 255.0 * a;
    glUniform4f(loc, (float)(c.r / 255.0 * k), (float)(c.g / 255.0 * k), (float)(c.b / 255.0 * k),
                (float)k);
}

/* Places a quad: the box's corner moved by (-grow0 + shift) along its unit edges ex, ey, its
 * edges grown by grow0 + grow1 (all in canvas pixels), in clip space. */
typedef struct placement {
    double ox, oy, ex[2], ey[2], w, h; /* the box: corner, unit edges, lengths (canvas px) */
    double sx, sy;                     /* canvas pixels to clip space */
} placement;

/* The placed quad in canvas pixels: its corner and its two edges. */
static vt_render_quad placed(const placement *pl, double grow, double shift_x, double shift_y) {
    double dx = shift_x - grow, dy = shift_y - grow;
    double w = pl->w + 2 * grow, h = pl->h + 2 * grow;
    return (vt_render_quad){.ox = pl->ox + dx * pl->ex[0] + dy * pl->ey[0],
                            .oy = pl->oy + dx * pl->ex[1] + dy * pl->ey[1],
                            .xx = pl->ex[0] * w,
                            .xy = pl->ex[1] * w,
                            .yx = pl->ey[0] * h,
                            .yy = pl->ey[1] * h};
}

static void place(const vt_render_shape_program *pg, const placement *pl, double grow,
                  double shift_x, double shift_y) {
    vt_render_quad q = placed(pl, grow, shift_x, shift_y);
    glUniform2f(pg->origin, (float)(q.ox * pl->sx - 1.0), (float)(q.oy * pl->sy + 1.0));
    glUniform2f(pg->axis_x, (float)(q.xx * pl->sx), (float)(q.xy * pl->sy));
    glUniform2f(pg->axis_y, (float)(q.yx * pl->sx), (float)(q.yy * pl->sy));
}

static void box_add(vt_render_box *b, vt_render_quad q) {
    vt_render_box_add_quad(b, q.ox, q.oy, q.xx, q.xy, q.yx, q.yy);
}

static void set_gradient(const vt_render_shape_program *pg, const vt_gradient *g, double bw,
                         double bh) {
    glUniform1i(pg->gradient, (int)g->kind);
    if (g->kind == VT_GRADIENT_NONE) {
        return;
    }
    if (g->kind == VT_GRADIENT_LINEAR) {
        /* CSS: the gradient line crosses the centre at `angle` (0: upwards, 90: to the right),
         * as long as the box's extent along it, so the corners get the end colours. */
        double rad = g->angle * (M_PI / 180.0), dx = sin(rad), dy = -cos(rad);
        double len = fabs(bw * dx) + fabs(bh * dy);
        glUniform2f(pg->g0, (float)(dx / len), (float)(dy / len));
    } else {
        /* An ellipse from `center` that reaches the farthest corner's side on each axis, times
         * sqrt(2): a centred one passes through the corners. */
        double cx = g->center.x * bw, cy = g->center.y * bh;
        double rx = fmax(fmax(cx, bw - cx), 1e-6) * M_SQRT2;
        double ry = fmax(fmax(cy, bh - cy), 1e-6) * M_SQRT2;
        glUniform2f(pg->g0, (float)cx, (float)cy);
        glUniform2f(pg->g1, (float)rx, (float)ry);
    }
    float at[VT_GRADIENT_MAX_STOPS], col[VT_GRADIENT_MAX_STOPS * 4];
    for (size_t i = 0; i < g->stop_count; i++) {
        const vt_color *c = &g->stops[i].color;
        double k = c->a / 255.0;
        at[i] = (float)g->stops[i].at;
        col[i * 4 + 0] = (float)(c->r / 255.0 * k);
        col[i * 4 + 1] = (float)(c->g / 255.0 * k);
        col[i * 4 + 2] = (float)(c->b / 255.0 * k);
        col[i * 4 + 3] = (float)k;
    }
    glUniform1i(pg->stop_count, (int)g->stop_count);
    glUniform1fv(pg->stop_at, (GLsizei)g->stop_count, at);
    glUniform4fv(pg->stop_color, (GLsizei)g->stop_count, col);
}

/* How far the shadow's quad reaches past the box: three sigmas and the edge. */
static double shadow_grow(const vt_shadow *s, double k) {
    return 3.0 * (s->blur / 2.0) + EDGE_PX / k;
}

/* The shadow's quad: the box moved by the offset and grown by three sigmas and the edge. */
static void draw_shadow(vt_renderer *r, const vt_scene *scene, const vt_layer *layer,
                        const placement *pl, double k, double opacity) {
    const vt_render_shape_program *pg = &r->shape_program;
    const vt_shadow *s = &layer->shadow;
    double sigma = s->blur / 2.0; /* CSS: the blur radius is twice the standard deviation */
    double grow = shadow_grow(s, k);
    place(pg, pl, grow, s->offset.x, s->offset.y);
    double x0 = (s->offset.x - grow) * k, y0 = (s->offset.y - grow) * k;
    double x1 = (s->offset.x + pl->w + grow) * k, y1 = (s->offset.y + pl->h + grow) * k;
    glUniform2f(pg->local0, (float)x0, (float)y0);
    glUniform2f(pg->local1, (float)x1, (float)y1);
    glUniform2f(pg->offset, (float)(s->offset.x * k), (float)(s->offset.y * k));
    glUniform1f(pg->sigma, (float)(sigma * k));
    glUniform1i(pg->shadow, 1);
    glUniform1i(pg->textured, 0);
    glUniform1i(pg->gradient, 0);
    glUniform1f(pg->border, 0.0f);
    glUniform1i(pg->dither, vt_render_layer_dither(r, scene) && sigma > 0.0 ? 1 : 0);
    set_color(pg->color, s->color, opacity);
    vt_render_set_blend(VT_BLEND_NORMAL);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    /* a pass of its own: the energy model counts its pixels like a shader's */
    r->shader_pixels += (x1 - x0) * (y1 - y0);
}

/* The box of quad q with its unit edges; false when it is too thin to be seen. */
static bool placement_of(const vt_render_quad *q, double k, const vt_scene *scene, placement *pl) {
    double w = hypot(q->xx, q->xy), h = hypot(q->yx, q->yy);
    if (!(w * k > 1e-3) || !(h * k > 1e-3)) {
        return false;
    }
    *pl = (placement){q->ox, q->oy, {q->xx / w, q->xy / w}, {q->yx / h, q->yy / h},
                      w,     h,     2.0 / scene->width,     -2.0 / scene->height};
    return true;
}

vt_render_box vt_render_shape_box(const vt_layer *layer, const vt_render_quad *q,
                                  const vt_scene *scene, double k) {
    vt_render_box b = vt_render_box_none();
    box_add(&b, *q); /* drawn plain when the program cannot be made */
    placement pl;
    if (!(k > 0) || !placement_of(q, k, scene, &pl)) {
        return b;
    }
    if (has_shadow(layer)) {
        box_add(&b, placed(&pl, shadow_grow(&layer->shadow, k), layer->shadow.offset.x,
                           layer->shadow.offset.y));
    }
    box_add(&b, placed(&pl, EDGE_PX / k, 0, 0)); /* the shape, grown by its edge's outer half */
    return b;
}

bool vt_render_shape_draw(vt_renderer *r, const vt_scene *scene, const vt_layer *layer,
                          const vt_layer_props *p, const vt_render_quad *q,
                          const vt_render_texture *t, vt_color color, double opacity) {
    vt_render_shape_program *pg = &r->shape_program;
    if (!pg->id) {
        vt_error err = {0};
        if (program_create(pg, &err) != VT_OK) {
            vt_log(VT_LOG_ERROR, "render", "shapes drawn plain: %s", err.message);
            return false;
        }
    }
    double k = (double)r->canvas.w / scene->width; /* target pixels per canvas pixel */
    placement pl;
    if (!placement_of(q, k, scene, &pl)) {
        return true; /* nothing to see */
    }
    double w = pl.w, h = pl.h;
    glUseProgram(pg->id);
    double bw = w * k, bh = h * k;
    glUniform2f(pg->half, (float)(bw / 2), (float)(bh / 2));
    glUniform1f(pg->radius, (float)fmin(fmax(p->radius, 0.0) * k, fmin(bw, bh) / 2));
    if (has_shadow(layer)) {
        draw_shadow(r, scene, layer, &pl, k, opacity);
    }
    /* the shape, grown by the edge's outer half; the texture coordinates follow */
    double grow = EDGE_PX / k, du = (q->u1 - q->u0) / w * grow, dv = (q->v1 - q->v0) / h * grow;
    place(pg, &pl, grow, 0, 0);
    glUniform2f(pg->local0, (float)-EDGE_PX, (float)-EDGE_PX);
    glUniform2f(pg->local1, (float)(bw + EDGE_PX), (float)(bh + EDGE_PX));
    glUniform2f(pg->uv0, (float)(q->u0 - du), (float)(q->v0 - dv));
    glUniform2f(pg->uv1, (float)(q->u1 + du), (float)(q->v1 + dv));
    glUniform1i(pg->shadow, 0);
    glUniform1i(pg->textured, t ? 1 : 0);
    glBindTexture(GL_TEXTURE_2D, t ? t->id : 0);
    bool gradient = !t && layer->fill.kind != VT_GRADIENT_NONE;
    set_gradient(pg, gradient ? &layer->fill : &(vt_gradient){0}, bw, bh);
    glUniform1f(pg->border, (float)(fmax(layer->border.width, 0.0) * k));
    set_color(pg->border_color, layer->border.color, opacity);
    glUniform1i(pg->dither,
                vt_render_layer_dither(r, scene) && (gradient || (t && t->pixels16)) ? 1 : 0);
    set_color(pg->color, color, opacity);
    vt_render_layer_blend(r, layer);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    glUseProgram(r->program.id);
    return true;
}
