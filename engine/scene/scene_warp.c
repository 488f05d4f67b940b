/* The geometry of projection warps, pure functions: the corner pin's homography, the grid's
 * Catmull-Rom surface and its tessellation, the inverse mapping from an output pixel back to the
 * canvas (touches on a warped wall), and Wavefront OBJ meshes read as hostile input. */
#include "scene/vt_output.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

bool vt_mat3_invert(const double m[9], double out[9]) {
    double c0 = m[4] * m[8] - m[5] * m[7];
    double c1 = m[5] * m[6] - m[3] * m[8];
    double c2 = m[3] * m[7] - m[4] * m[6];
    double det = m[0] * c0 + m[1] * c1 + m[2] * c2;
    if (!isfinite(det) || fabs(det) < 1e-12) {
        return false;
    }
    double k = 1.0 / det;
    out[0] = c0 * k;
    out[1] = (m[2] * m[7] - m[1] * m[8]) * k;
    out[2] = (m[1] * m[5] - m[2] * m[4]) * k;
    out[3] = c1 * k;
    out[4] = (m[0] * m[8] - m[2] * m[6]) * k;
    out[5] = (m[2] * m[3] - m[0] * m[5]) * k;
    out[6] = c2 * k;
    out[7] = (m[1] * m[6] - m[0] * m[7]) * k;
    out[8] = (m[0] * m[4] - m[1] * m[3]) * k;
    return true;
}

/* Heckbert's square-to-quad mapping. */
bool vt_warp_homography(const double p[4][2], double h[9]) {
    double dx1 = p[1][0] - p[2][0], dx2 = p[3][0] - p[2][0];
    double dy1 = p[1][1] - p[2][1], dy2 = p[3][1] - p[2][1];
    double dx3 = p[0][0] - p[1][0] + p[2][0] - p[3][0];
    double dy3 = p[0][1] - p[1][1] + p[2][1] - p[3][1];
    double den = dx1 * dy2 - dx2 * dy1;
    if (fabs(den) < 1e-12) {
        return false;
    }
    double g = (dx3 * dy2 - dx2 * dy3) / den;
    double hh = (dx1 * dy3 - dx3 * dy1) / den;
    h[0] = p[1][0] - p[0][0] + g * p[1][0];
    h[1] = p[3][0] - p[0][0] + hh * p[3][0];
    h[2] = p[0][0];
    h[3] = p[1][1] - p[0][1] + g * p[1][1];
    h[4] = p[3][1] - p[0][1] + hh * p[3][1];
    h[5] = p[0][1];
    h[6] = g;
    h[7] = hh;
    h[8] = 1.0;
    double inv[9];
    return vt_mat3_invert(h, inv);
}

const char *vt_warp_corners_problem(const double p[4][2]) {
    int sign = 0;
    for (int i = 0; i < 4; i++) {
        const double *a = p[i], *b = p[(i + 1) % 4], *c = p[(i + 2) % 4];
        double z = (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]);
        if (fabs(z) < 1e-9) {
            return "three of the corners are on one line (or two are the same point)";
        }
        int s = z > 0 ? 1 : -1;
        if (sign != 0 && s != sign) {
            return "the corners cross or fold inward (the quad is not convex)";
        }
        sign = s;
    }
    return NULL;
}

static double catmull_rom(double p0, double p1, double p2, double p3, double f) {
    return 0.5 * (2.0 * p1 + (p2 - p0) * f + (2.0 * p0 - 5.0 * p1 + 4.0 * p2 - p3) * f * f +
                  (3.0 * p1 - p0 - 3.0 * p2 + p3) * f * f * f);
}

/* Point k of a line of n points (stride apart), extended linearly past both ends. */
static double line_at(const double *pts, int n, size_t stride, int k) {
    if (k < 0) {
        return 2.0 * pts[0] - pts[stride];
    }
    if (k >= n) {
        return 2.0 * pts[(size_t)(n - 1) * stride] - pts[(size_t)(n - 2) * stride];
    }
    return pts[(size_t)k * stride];
}

static void cell_of(double s, int n, int *i, double *f) {
    int k = (int)floor(s);
    k = k < 0 ? 0 : k > n - 2 ? n - 2 : k;
    *i = k;
    *f = s - k;
}

/* One coordinate (comp 0: x, 1: y) of the surface. */
static double grid_coord(const double *grid, int cols, int rows, double s, double t, int comp) {
    int i, j;
    double fs, ft;
    cell_of(s, cols, &i, &fs);
    cell_of(t, rows, &j, &ft);
    double col[4];
    for (int r = 0; r < 4; r++) {
        /* Row j-1+r along s; rows past the ends are extended linearly too. */
        double v[4];
        for (int q = 0; q < 4; q++) {
            int ci = i - 1 + q;
            int rj = j - 1 + r;
            if (rj < 0 || rj >= rows) {
                int a = rj < 0 ? 0 : rows - 1, b = rj < 0 ? 1 : rows - 2;
                const double *ra = grid + (size_t)a * cols * 2 + comp;
                const double *rb = grid + (size_t)b * cols * 2 + comp;
                v[q] = 2.0 * line_at(ra, cols, 2, ci) - line_at(rb, cols, 2, ci);
            } else {
                v[q] = line_at(grid + (size_t)rj * cols * 2 + comp, cols, 2, ci);
            }
        }
        col[r] = catmull_rom(v[0], v[1], v[2], v[3], fs);
    }
    return catmull_rom(col[0], col[1], col[2], col[3], ft);
}

void vt_warp_grid_eval(const double *grid, int cols, int rows, double s, double t, double *x,
                       double *y) {
    *x = grid_coord(grid, cols, rows, s, t, 0);
    *y = grid_coord(grid, cols, rows, s, t, 1);
}

void vt_output_size(const vt_output *o, int *w, int *h) {
    int sw = (int)lround(o->source[2]), sh = (int)lround(o->source[3]);
    *w = o->width > 0 ? o->width : sw < 1 ? 1 : sw;
    *h = o->height > 0 ? o->height : sh < 1 ? 1 : sh;
}

void vt_outputs_canvas_target(const vt_outputs *o, int canvas_w, int canvas_h, int *w, int *h) {
    double density = 1.0;
    for (size_t i = 0; o && i < o->count; i++) {
        int ow, oh;
        vt_output_size(&o->items[i], &ow, &oh);
        density = fmax(density, fmax(ow / o->items[i].source[2], oh / o->items[i].source[3]));
    }
    double side = fmax(canvas_w, canvas_h) * density;
    if (side > 16384.0) {
        density *= 16384.0 / side;
    }
    *w = (int)fmax(1.0, ceil(canvas_w * density - 1e-9));
    *h = (int)fmax(1.0, ceil(canvas_h * density - 1e-9));
}

static const vt_warp_vertex full_quad[6] = {{0, 0, 0, 0}, {1, 0, 1, 0}, {1, 1, 1, 1},
                                            {0, 0, 0, 0}, {1, 1, 1, 1}, {0, 1, 0, 1}};

void vt_output_geometry(const vt_output *o, const vt_warp_vertex **tris, size_t *count,
                        double m[9]) {
    static const double identity[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    memcpy(m, identity, sizeof identity);
    if (o->warp != VT_WARP_CORNERS) {
        *tris = o->tris;
        *count = o->vertex_count;
        return;
    }
    double h[9];
    *tris = full_quad;
    *count = 6;
    if (!vt_warp_homography(o->corners, h) || !vt_mat3_invert(h, m)) {
        *count = 0; /* refused when read: nothing to draw */
    }
}

/* Barycentric lookup of (x, y) in the triangles; the first that holds it wins. */
static bool tris_lookup(const vt_warp_vertex *t, size_t n, double x, double y, double *u,
                        double *v) {
    for (size_t i = 0; i + 2 < n; i += 3) {
        const vt_warp_vertex *a = &t[i], *b = &t[i + 1], *c = &t[i + 2];
        double d = (b->y - c->y) * (a->x - c->x) + (c->x - b->x) * (a->y - c->y);
        if (fabs(d) < 1e-15) {
            continue;
        }
        double l0 = ((b->y - c->y) * (x - c->x) + (c->x - b->x) * (y - c->y)) / d;
        double l1 = ((c->y - a->y) * (x - c->x) + (a->x - c->x) * (y - c->y)) / d;
        double l2 = 1.0 - l0 - l1;
        const double eps = -1e-9;
        if (l0 >= eps && l1 >= eps && l2 >= eps) {
            *u = l0 * a->u + l1 * b->u + l2 * c->u;
            *v = l0 * a->v + l1 * b->v + l2 * c->v;
            return true;
        }
    }
    return false;
}

bool vt_output_to_canvas(const vt_output *o, double x, double y, double *cx, double *cy) {
    int w, h;
    vt_output_size(o, &w, &h);
    double fx = x / w, fy = y / h, u, v;
    if (o->warp == VT_WARP_CORNERS) {
        const vt_warp_vertex *t;
        size_t n;
        double m[9];
        vt_output_geometry(o, &t, &n, m);
        double q = m[6] * fx + m[7] * fy + m[8];
        if (n == 0 || fabs(q) < 1e-15) {
            return false;
        }
        u = (m[0] * fx + m[1] * fy + m[2]) / q;
        v = (m[3] * fx + m[4] * fy + m[5]) / q;
        if (u < 0 || u > 1 || v < 0 || v > 1) {
            return false;
        }
    } else if (!tris_lookup(o->tris, o->vertex_count, fx, fy, &u, &v)) {
        return false;
    }
    *cx = o->source[0] + u * o->source[2];
    *cy = o->source[1] + v * o->source[3];
    return true;
}

/* ---- Wavefront OBJ ---- */

#define OBJ_LINE_MAX 4096
#define OBJ_FACE_MAX 64
#define OBJ_ERRORS_MAX 20

typedef struct obj_reader {
    const char *path;
    vt_diags *diags;
    int line;
    size_t errors;
    float *pos, *tex; /* 2 each */
    size_t pos_count, pos_cap, tex_count, tex_cap;
    vt_warp_vertex *tris;
    size_t vertex_count, vertex_cap;
} obj_reader;

static void obj_error(obj_reader *r, int col, const char *fmt, const char *arg) {
    if (r->errors++ < OBJ_ERRORS_MAX) {
        vt_diags_add(r->diags, VT_DIAG_ERROR, r->path, r->line, col, fmt, arg);
    }
}

/* Splits a NUL-terminated line at blanks; tokens keep their columns. */
static int obj_tokens(char *line, char **tok, int *cols, int max) {
    int n = 0;
    for (char *p = line; *p;) {
        while (*p == ' ' || *p == '\t' || *p == '\r') {
            p++;
        }
        if (!*p || *p == '#') {
            break;
        }
        if (n == max) {
            return max + 1;
        }
        tok[n] = p;
        cols[n] = (int)(p - line) + 1;
        n++;
        while (*p && *p != ' ' && *p != '\t' && *p != '\r') {
            p++;
        }
        if (*p) {
            *p++ = '\0';
        }
    }
    return n;
}

static bool obj_number(obj_reader *r, const char *tok, int col, float *out) {
    double d;
    char *end = NULL;
    d = strtod(tok, &end);
    if (end == tok || *end != '\0' || !isfinite(d) || fabs(d) > 1e6) {
        obj_error(r, col, "'%s' is not a number (OBJ coordinates are decimal numbers)", tok);
        return false;
    }
    *out = (float)d;
    return true;
}

static bool obj_push2(obj_reader *r, float **arr, size_t *count, size_t *cap, float a, float b) {
    if (*count >= VT_OBJ_MAX_VERTICES) {
        obj_error(r, 1, "%s", "more vertices than a mesh may have (1,000,000); simplify it");
        return false;
    }
    if (*count == *cap) {
        *cap = *cap ? *cap * 2 : 256;
        *arr = vt_xrealloc(*arr, *cap * 2 * sizeof **arr);
    }
    (*arr)[*count * 2] = a;
    (*arr)[*count * 2 + 1] = b;
    (*count)++;
    return true;
}

/* "7", "7/3", "7/3/1", "-1/-1": the position and texture indices (0-based) of a face vertex. */
static bool obj_face_vertex(obj_reader *r, const char *tok, int col, size_t *pi, size_t *ti) {
    long idx[2] = {0, 0};
    const char *p = tok;
    for (int k = 0; k < 2; k++) {
        char *end = NULL;
        if (k == 1) {
            if (*p != '/' || p[1] == '/' || p[1] == '\0') {
                obj_error(r, col,
                          "face vertex '%s' has no texture coordinate; a projection mesh needs "
                          "one per vertex (v/vt): export it with UVs",
                          tok);
                return false;
            }
            p++;
        }
        idx[k] = strtol(p, &end, 10);
        if (end == p || idx[k] == 0 || labs(idx[k]) > (long)VT_OBJ_MAX_VERTICES) {
            obj_error(r, col, "face vertex '%s' is not a valid index (1-based, or negative)", tok);
            return false;
        }
        p = end;
    }
    if (*p != '\0' && *p != '/') {
        obj_error(r, col, "face vertex '%s' is not v/vt or v/vt/vn", tok);
        return false;
    }
    size_t counts[2] = {r->pos_count, r->tex_count};
    size_t out[2];
    for (int k = 0; k < 2; k++) {
        long i = idx[k] > 0 ? idx[k] - 1 : (long)counts[k] + idx[k];
        if (i < 0 || (size_t)i >= counts[k]) {
            obj_error(r, col, "face vertex '%s' refers to a vertex not defined before it", tok);
            return false;
        }
        out[k] = (size_t)i;
    }
    *pi = out[0];
    *ti = out[1];
    return true;
}

static vt_warp_vertex obj_vertex(const obj_reader *r, size_t pi, size_t ti) {
    return (vt_warp_vertex){r->pos[pi * 2], 1.0f - r->pos[pi * 2 + 1], r->tex[ti * 2],
                            1.0f - r->tex[ti * 2 + 1]};
}

static void obj_face(obj_reader *r, char **tok, int *cols, int n) {
    if (n < 4) {
        obj_error(r, cols[0], "%s", "a face needs at least 3 vertices");
        return;
    }
    size_t pi[OBJ_FACE_MAX], ti[OBJ_FACE_MAX];
    for (int k = 1; k < n; k++) {
        if (!obj_face_vertex(r, tok[k], cols[k], &pi[k - 1], &ti[k - 1])) {
            return;
        }
    }
    size_t tris = (size_t)(n - 3);
    if (r->vertex_count / 3 + tris > VT_OBJ_MAX_TRIANGLES) {
        obj_error(r, 1, "%s", "more triangles than a mesh may have (2,000,000); simplify it");
        return;
    }
    if (r->vertex_count + tris * 3 > r->vertex_cap) {
        r->vertex_cap = (r->vertex_cap ? r->vertex_cap * 2 : 768) + tris * 3;
        r->tris = vt_xrealloc(r->tris, r->vertex_cap * sizeof *r->tris);
    }
    for (size_t k = 1; k + 1 < (size_t)(n - 1); k++) { /* a fan from the first vertex */
        r->tris[r->vertex_count++] = obj_vertex(r, pi[0], ti[0]);
        r->tris[r->vertex_count++] = obj_vertex(r, pi[k], ti[k]);
        r->tris[r->vertex_count++] = obj_vertex(r, pi[k + 1], ti[k + 1]);
    }
}

static void obj_line(obj_reader *r, char *line) {
    char *tok[OBJ_FACE_MAX + 2];
    int cols[OBJ_FACE_MAX + 2];
    int n = obj_tokens(line, tok, cols, OBJ_FACE_MAX + 1);
    if (n == 0) {
        return;
    }
    if (n > OBJ_FACE_MAX + 1) {
        obj_error(r, 1, "%s", "more than 64 vertices in one face; triangulate the mesh");
        return;
    }
    float a = 0, b = 0;
    if (strcmp(tok[0], "v") == 0 || strcmp(tok[0], "vt") == 0) {
        bool vt = tok[0][1] == 't';
        if (n < (vt ? 2 : 3) || n > 5) {
            obj_error(r, cols[0], "'%s' needs 2 or 3 numbers", tok[0]);
            return;
        }
        if (!obj_number(r, tok[1], cols[1], &a) || (n > 2 && !obj_number(r, tok[2], cols[2], &b))) {
            return;
        }
        if (vt) {
            obj_push2(r, &r->tex, &r->tex_count, &r->tex_cap, a, b);
        } else {
            obj_push2(r, &r->pos, &r->pos_count, &r->pos_cap, a, b);
        }
    } else if (strcmp(tok[0], "f") == 0) {
        obj_face(r, tok, cols, n);
    }
    /* Normals, groups, objects, smoothing and materials say nothing a projection needs. */
}

vt_status vt_obj_parse(const char *text, size_t len, const char *path, vt_warp_vertex **tris,
                       size_t *vertex_count, vt_diags *diags) {
    *tris = NULL;
    *vertex_count = 0;
    obj_reader r = {.path = path, .diags = diags};
    char buf[OBJ_LINE_MAX + 1];
    size_t i = 0;
    while (i < len && r.errors < OBJ_ERRORS_MAX) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
        r.line++;
        if (n > OBJ_LINE_MAX) {
            obj_error(&r, 1, "%s", "a line longer than 4096 bytes; this is not a usable OBJ");
        } else if (memchr(text + i, '\0', n)) {
            obj_error(&r, 1, "%s", "a NUL byte: this is not a text OBJ file");
        } else {
            memcpy(buf, text + i, n);
            buf[n] = '\0';
            obj_line(&r, buf);
        }
        i += n + 1;
    }
    if (r.errors == 0 && r.vertex_count == 0) {
        vt_diags_add(diags, VT_DIAG_ERROR, path, 0, 0,
                     "the mesh has no faces; export the surface with faces and UVs (f v/vt)");
        r.errors++;
    }
    free(r.pos);
    free(r.tex);
    if (r.errors > 0) {
        free(r.tris);
        return VT_E_DATAERR;
    }
    *tris = r.tris;
    *vertex_count = r.vertex_count;
    return VT_OK;
}
