/* Images over the GPU's texture limit, drawn from their tiles (textures.c made them): each tile
 * draws the part of the layer's quad its texels cover, sampled inside its borders, so filtering
 * reads across tile edges as one texture would. A layer minified past the levels the tiles hold
 * is drawn from the overview instead (the caller's texture): for an affine quad the GPU picks
 * one mipmap level for the whole layer, worked out here the same way. */
#include "render/render_internal.h"

#include <math.h>

/* At most this many tile draws a layer (repeats of a wrapped layer times its tiles); more is
 * drawn from the overview. */
#define MAX_DRAWS 65536.0

/* The largest scale factor from target pixels to image texels (GL's rho): log2 of it is the
 * mipmap level the GPU samples. */
static double texels_per_pixel(const vt_render_quad *q, double k, double tw, double th) {
    double det = (q->xx * q->yy - q->xy * q->yx) * k * k;
    if (!(fabs(det) > 1e-12)) {
        return INFINITY;
    }
    double du = (q->u1 - q->u0) * tw, dv = (q->v1 - q->v0) * th;
    /* texel coordinates = diag(du, dv) * inverse([axis_x axis_y] * k) * screen */
    double ux = du * q->yy * k / det, uy = -du * q->yx * k / det;
    double vx = -dv * q->xy * k / det, vy = dv * q->xx * k / det;
    return fmax(hypot(ux, vx), hypot(uy, vy));
}

/* Where the tiles' corners go: the layer's quad (for cell 0 of a wrap) in clip space, and the
 * grid its coordinates are rounded to. Tiles meet at shared corners, and the GPU computes each
 * corner as origin + axis_x + axis_y in floats: rounded to a grid fine enough (and coarse
 * enough for 24-bit mantissas) every sum is exact, so a shared corner is the same float in
 * every tile that has it and no pixel along a seam is missed or drawn twice. */
typedef struct tile_frame {
    double ox, oy, xx, xy, yx, yy; /* clip space */
    double grid;
} tile_frame;

static double snap(const tile_frame *f, double v) {
    return nearbyint(v / f->grid) * f->grid;
}

/* The corner at (s, r) along the quad's axes (whole units: cells of a wrap), snapped: the sum of
 * snapped terms, each a multiple of the grid. */
static void corner(const tile_frame *f, double s, double r, double *x, double *y) {
    *x = snap(f, f->ox) + snap(f, s * f->xx) + snap(f, r * f->yx);
    *y = snap(f, f->oy) + snap(f, s * f->xy) + snap(f, r * f->yy);
}

/* Draws the image part [u0, u1] x [v0, v1] that quad q shows, in cell (a, b) of frame f, from
 * the tiles that hold it. */
static void draw_quad(const vt_renderer *r, const vt_render_texture *t, const vt_render_quad *q,
                      const tile_frame *f, double a, double b) {
    const vt_render_program *pg = &r->program;
    const vt_image_tiling *p = &t->tiling;
    double w = t->natural_w, h = t->natural_h;
    double x0 = q->u0 * w, x1 = q->u1 * w, y0 = q->v0 * h, y1 = q->v1 * h;
    for (int row = 0; row < p->rows; row++) {
        double ty0 = fmax(y0, (double)row * p->step);
        double ty1 = fmin(y1, fmin((double)(row + 1) * p->step, h));
        if (!(ty1 > ty0)) {
            continue;
        }
        for (int col = 0; col < p->cols; col++) {
            double tx0 = fmax(x0, (double)col * p->step);
            double tx1 = fmin(x1, fmin((double)(col + 1) * p->step, w));
            if (!(tx1 > tx0)) {
                continue;
            }
            const vt_render_tile *tile = &t->tiles[(size_t)row * p->cols + col];
            /* the part of the quad this tile covers */
            double s0 = a + (tx0 - x0) / (x1 - x0), s1 = a + (tx1 - x0) / (x1 - x0);
            double r0 = b + (ty0 - y0) / (y1 - y0), r1 = b + (ty1 - y0) / (y1 - y0);
            double c00x, c00y, c10x, c10y, c01x, c01y;
            corner(f, s0, r0, &c00x, &c00y);
            corner(f, s1, r0, &c10x, &c10y);
            corner(f, s0, r1, &c01x, &c01y);
            glUniform2f(pg->origin, (float)c00x, (float)c00y);
            glUniform2f(pg->axis_x, (float)(c10x - c00x), (float)(c10y - c00y));
            glUniform2f(pg->axis_y, (float)(c01x - c00x), (float)(c01y - c00y));
            glUniform2f(pg->uv0, (float)((tx0 - tile->x) / tile->w),
                        (float)((ty0 - tile->y) / tile->h));
            glUniform2f(pg->uv1, (float)((tx1 - tile->x) / tile->w),
                        (float)((ty1 - tile->y) / tile->h));
            glBindTexture(GL_TEXTURE_2D, tile->id);
            glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
        }
    }
}

bool vt_render_tiles_draw(vt_renderer *r, const vt_scene *scene, const vt_layer *layer,
                          const vt_render_texture *t, const vt_render_quad *q) {
    if (!t->tiles || !(q->u1 > q->u0) || !(q->v1 > q->v0)) {
        return false;
    }
    const vt_image_tiling *p = &t->tiling;
    double k = (double)r->canvas.w / scene->width; /* target pixels per canvas pixel */
    double rho = texels_per_pixel(q, k, t->natural_w, t->natural_h);
    /* The tiles hold levels 0 to K: past level K the overview holds the same texels. */
    if (t->filter != VT_FILTER_NEAREST && !(rho < (double)p->border)) {
        return false;
    }
    vt_render_quad one = *q;
    double a0 = 0, a1 = 1, b0 = 0, b1 = 1;
    if (layer->wrap != VT_WRAP_NONE) {
        /* whole repeats of the picture (0 to 1 each) over the canvas, as wrap.c draws them */
        vt_render_quad all = *q;
        vt_render_wrap_quad(scene, layer->wrap, &all);
        a0 = all.u0;
        a1 = all.u1;
        b0 = all.v0;
        b1 = all.v1;
        one.u0 = one.v0 = 0;
        one.u1 = one.v1 = 1;
    }
    if ((a1 - a0) * (b1 - b0) * p->cols * p->rows > MAX_DRAWS) {
        return false;
    }
    /* Canvas pixels (y down) to clip space (y up); the viewport is the canvas. */
    double sx = 2.0 / scene->width, sy = -2.0 / scene->height;
    tile_frame f = {q->ox * sx - 1.0, q->oy * sy + 1.0, q->xx * sx, q->xy * sy,
                    q->yx * sx,       q->yy * sy,       0};
    double reach_a = fmax(fabs(a0), fabs(a1)) + 1, reach_b = fmax(fabs(b0), fabs(b1)) + 1;
    double most = fmax(fabs(f.ox) + reach_a * fabs(f.xx) + reach_b * fabs(f.yx),
                       fabs(f.oy) + reach_a * fabs(f.xy) + reach_b * fabs(f.yy));
    /* the largest sum of three terms within 23 bits: every sum and difference exact in a float */
    f.grid = ldexp(1.0, (int)ceil(log2(fmax(most, 1e-6))) - 23);
    for (double b = b0; b < b1; b++) {
        for (double a = a0; a < a1; a++) {
            draw_quad(r, t, &one, &f, a, b);
        }
    }
    return true;
}
