/* `wrap`: an image layer's picture repeated beyond its box, along x, y or both, as far as the
 * canvas reaches. The quad grows by whole tiles to cover the canvas and the texture repeats
 * (GL_REPEAT, set for the draw only), so moving the layer by one tile loops without a join. */
#include "render/render_internal.h"

#include <math.h>

/* At most this many tiles along an axis (a tiny tile on a big canvas draws this many). */
#define MAX_TILES 4096.0

void vt_render_wrap_quad(const vt_scene *scene, vt_wrap wrap, vt_render_quad *q) {
    /* the canvas corners in tile units: p = o + a * X + b * Y */
    double det = q->xx * q->yy - q->xy * q->yx;
    if (!(fabs(det) > 1e-12)) {
        return;
    }
    double amin = INFINITY, amax = -INFINITY, bmin = INFINITY, bmax = -INFINITY;
    for (int i = 0; i < 4; i++) {
        double px = (i & 1 ? scene->width : 0) - q->ox, py = (i & 2 ? scene->height : 0) - q->oy;
        double a = (px * q->yy - py * q->yx) / det, b = (q->xx * py - q->xy * px) / det;
        amin = fmin(amin, a);
        amax = fmax(amax, a);
        bmin = fmin(bmin, b);
        bmax = fmax(bmax, b);
    }
    double a0 = 0, a1 = 1, b0 = 0, b1 = 1;
    if (wrap == VT_WRAP_X || wrap == VT_WRAP_BOTH) {
        a0 = fmax(floor(amin), -MAX_TILES / 2);
        a1 = fmin(ceil(amax), a0 + MAX_TILES);
    }
    if (wrap == VT_WRAP_Y || wrap == VT_WRAP_BOTH) {
        b0 = fmax(floor(bmin), -MAX_TILES / 2);
        b1 = fmin(ceil(bmax), b0 + MAX_TILES);
    }
    if (!(a1 > a0) || !(b1 > b0)) {
        return; /* the canvas is beyond the tiles we would draw: leave the box alone */
    }
    q->ox += a0 * q->xx + b0 * q->yx;
    q->oy += a0 * q->xy + b0 * q->yy;
    q->xx *= a1 - a0;
    q->xy *= a1 - a0;
    q->yx *= b1 - b0;
    q->yy *= b1 - b0;
    /* `wrap` goes with `fit: fill`: one tile shows the texture from 0 to 1 */
    q->u0 = a0;
    q->u1 = a1;
    q->v0 = b0;
    q->v1 = b1;
}

void vt_render_wrap_texture(vt_wrap wrap, bool on) {
    GLint x = on && (wrap == VT_WRAP_X || wrap == VT_WRAP_BOTH) ? GL_REPEAT : GL_CLAMP_TO_EDGE;
    GLint y = on && (wrap == VT_WRAP_Y || wrap == VT_WRAP_BOTH) ? GL_REPEAT : GL_CLAMP_TO_EDGE;
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, x);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, y);
}
