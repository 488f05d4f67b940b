/* `outputs:`: the projectors of a room, read from the operator config or, as the artist's
 * default for previews, from a scene. Every problem is a positioned error saying how to fix it;
 * the warps are checked here (a crossing corner pin, a folding grid, an OBJ without texture
 * coordinates) so that play and render only ever draw sound geometry. */
#include "io/vt_io.h"
#include "scene/vt_output.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GRID_SUB 8 /* triangles' steps per grid cell */

static const vt_field output_fields[] = {
    VT_FIELD_LATER("id"),          VT_FIELD_LATER("display"), VT_FIELD_LATER("source"),
    VT_FIELD_LATER("size"),        VT_FIELD_LATER("warp"),    VT_FIELD_LATER("edge_blend"),
    VT_FIELD_LATER("black_level"), VT_FIELD_LATER("trim")};
static const vt_table output_table = {output_fields, 8, NULL, "output"};
static const vt_field warp_fields[] = {VT_FIELD_LATER("corners"), VT_FIELD_LATER("grid"),
                                       VT_FIELD_LATER("mesh")};
static const vt_table warp_table = {warp_fields, 3, NULL, "warp"};
static const vt_field grid_fields[] = {VT_FIELD_LATER("cols"), VT_FIELD_LATER("rows"),
                                       VT_FIELD_LATER("points")};
static const vt_table grid_table = {grid_fields, 3, NULL, "grid"};
static const vt_field blend_fields[] = {VT_FIELD_LATER("left"), VT_FIELD_LATER("right"),
                                        VT_FIELD_LATER("top"), VT_FIELD_LATER("bottom"),
                                        VT_FIELD_LATER("gamma")};
static const vt_table blend_table = {blend_fields, 5, NULL, "edge_blend"};
static const vt_field display_fields[] = {VT_FIELD_LATER("name"), VT_FIELD_LATER("index")};
static const vt_table display_table = {display_fields, 2, NULL, "display"};

static const char *const edge_names[VT_EDGE_COUNT] = {"left", "right", "top", "bottom"};

/* A list of exactly n numbers in [min, max]. */
static bool read_numbers(vt_vctx *c, const char *key, const vt_ynode *v, size_t n, double min,
                         double max, double *out, const char *example) {
    char fix[96];
    snprintf(fix, sizeof fix, "write it like %s", example);
    if (v->kind != VT_YNODE_SEQ) {
        vt_type_error(c, key, v, "a list of numbers", fix);
        return false;
    }
    if (v->count != n) {
        vt_vctx_error(c, v, "'%s' needs %zu numbers, got %zu; %s", key, n, v->count, fix);
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        ok = vt_read_number(c, key, v->items[i], min, max, false, &out[i]) && ok;
    }
    return ok;
}

static void read_display(vt_vctx *c, const vt_ynode *v, vt_output *o) {
    double d = 0;
    if (v->kind == VT_YNODE_SCALAR) {
        if (vt_read_number(c, "display", v, 0, 63, true, &d)) {
            o->display = (int)d;
        }
        return;
    }
    if (v->kind != VT_YNODE_MAP) {
        vt_type_error(c, "display", v, "a display index or a mapping",
                      "write 'display: 1' (SDL's display index) or 'display: {name: \"EPSON "
                      "PJ\"}' (the monitor's name)");
        return;
    }
    vt_table_apply(c, &display_table, 1, v, NULL, NULL);
    const vt_ypair *name = vt_ymap_find(v, "name");
    const vt_ypair *index = vt_ymap_find(v, "index");
    if (!name) {
        vt_vctx_error(c, v,
                      "'display' as a mapping needs 'name' (the monitor's name, as "
                      "'vitrine play --verbose' lists them); or write 'display: 1'");
        return;
    }
    if (vt_read_string(c, "name", name->value)) {
        if (name->value->len == 0 || name->value->len > 200) {
            vt_vctx_error(c, name->value, "'name' must be a monitor's name of 1 to 200 bytes");
        } else {
            o->display_name = vt_xstrdup(name->value->text);
        }
    }
    if (index && vt_read_number(c, "index", index->value, 0, 63, true, &d)) {
        o->display = (int)d;
    }
}

static void read_corners(vt_vctx *c, const vt_ynode *v, vt_output *o) {
#define CORNERS_FIX                                                                                \
    "write it like [[0, 0], [1, 0], [1, 1], [0, 1]]: top-left, top-right, bottom-right, "          \
    "bottom-left as fractions of the output"
    if (v->kind != VT_YNODE_SEQ) {
        vt_type_error(c, "corners", v, "a list of 4 points", CORNERS_FIX);
        return;
    }
    if (v->count != 4) {
        vt_vctx_error(c, v, "'corners' needs 4 points, got %zu; " CORNERS_FIX, v->count);
        return;
    }
    bool ok = true;
    for (int i = 0; i < 4; i++) {
        ok = read_numbers(c, "corners", v->items[i], 2, -4, 5, o->corners[i], "[0.1, 0.05]") && ok;
    }
    const char *why = ok ? vt_warp_corners_problem(o->corners) : NULL;
    if (why) {
        vt_vctx_error(c, v,
                      "the corner pin cannot be drawn: %s; give top-left, top-right, "
                      "bottom-right and bottom-left in that order, as a convex quad",
                      why);
    }
    o->warp = VT_WARP_CORNERS;
}

/* The grid's points must run left to right along each row and top to bottom down each column,
 * or the surface folds over itself. */
static bool grid_monotonic(vt_vctx *c, const vt_ynode *pts, const vt_output *o) {
    int cols = o->grid_cols, rows = o->grid_rows;
    for (int j = 0; j < rows; j++) {
        for (int i = 0; i < cols; i++) {
            const double *p = &o->grid[((size_t)j * cols + i) * 2];
            const char *bad = NULL;
            if (i > 0 && !(p[0] > p[-2])) {
                bad = "is not to the right of the point before it in its row";
            } else if (j > 0 && !(p[1] > p[1 - (ptrdiff_t)cols * 2])) {
                bad = "is not below the point above it in its column";
            }
            if (bad) {
                vt_vctx_error(c, pts->items[(size_t)j * cols + i],
                              "grid point %d (row %d, column %d) %s; a grid must not fold: "
                              "x grows along rows, y down columns",
                              j * cols + i, j, i, bad);
                return false;
            }
        }
    }
    return true;
}

static void tessellate_grid(vt_output *o) {
    int cols = o->grid_cols, rows = o->grid_rows;
    int nx = (cols - 1) * GRID_SUB + 1, ny = (rows - 1) * GRID_SUB + 1;
    vt_warp_vertex *p = vt_xmalloc((size_t)nx * ny * sizeof *p);
    for (int j = 0; j < ny; j++) {
        for (int i = 0; i < nx; i++) {
            double s = (double)i / GRID_SUB, t = (double)j / GRID_SUB, x, y;
            vt_warp_grid_eval(o->grid, cols, rows, s, t, &x, &y);
            p[(size_t)j * nx + i] = (vt_warp_vertex){(float)x, (float)y, (float)(s / (cols - 1)),
                                                     (float)(t / (rows - 1))};
        }
    }
    o->vertex_count = (size_t)(nx - 1) * (ny - 1) * 6;
    o->tris = vt_xmalloc(o->vertex_count * sizeof *o->tris);
    size_t k = 0;
    for (int j = 0; j + 1 < ny; j++) {
        for (int i = 0; i + 1 < nx; i++) {
            const vt_warp_vertex *a = &p[(size_t)j * nx + i], *b = a + 1, *d = a + nx, *e = d + 1;
            vt_warp_vertex q[6] = {*a, *b, *e, *a, *e, *d};
            memcpy(&o->tris[k], q, sizeof q);
            k += 6;
        }
    }
    free(p);
}

bool vt_output_grid_retessellate(vt_output *o) {
    int cols = o->grid_cols, rows = o->grid_rows;
    for (int j = 0; j < rows; j++) {
        for (int i = 0; i < cols; i++) {
            const double *p = &o->grid[((size_t)j * cols + i) * 2];
            if ((i > 0 && !(p[0] > p[-2])) || (j > 0 && !(p[1] > p[1 - (ptrdiff_t)cols * 2]))) {
                return false;
            }
        }
    }
    free(o->tris);
    o->tris = NULL;
    tessellate_grid(o);
    o->serial++;
    return true;
}

static void read_grid(vt_vctx *c, const vt_ynode *v, vt_output *o) {
    o->warp = VT_WARP_GRID;
    if (v->kind != VT_YNODE_MAP) {
        vt_type_error(c, "grid", v, "a mapping",
                      "write it like {cols: 3, rows: 2, points: [[0, 0], [0.5, 0], ...]}");
        return;
    }
    vt_table_apply(c, &grid_table, 1, v, NULL, NULL);
    const vt_ypair *cp = vt_ymap_find(v, "cols"), *rp = vt_ymap_find(v, "rows");
    const vt_ypair *pp = vt_ymap_find(v, "points");
    double cols = 0, rows = 0;
    bool ok = true;
    if (!cp || !rp || !pp) {
        vt_vctx_error(c, v,
                      "'grid' needs 'cols', 'rows' and 'points' (cols x rows points, "
                      "row by row, as fractions of the output)");
        return;
    }
    ok = vt_read_number(c, "cols", cp->value, 2, VT_OUTPUT_GRID_MAX, true, &cols) && ok;
    ok = vt_read_number(c, "rows", rp->value, 2, VT_OUTPUT_GRID_MAX, true, &rows) && ok;
    if (!ok) {
        return;
    }
    const vt_ynode *pts = pp->value;
    size_t n = (size_t)cols * (size_t)rows;
    if (pts->kind != VT_YNODE_SEQ || pts->count != n) {
        vt_vctx_error(c, pts,
                      "'points' must list cols x rows = %zu points [x, y], row by row, got %s", n,
                      pts->kind == VT_YNODE_SEQ ? "another count" : vt_ynode_describe(pts));
        return;
    }
    o->grid = vt_xcalloc(n * 2, sizeof *o->grid);
    for (size_t i = 0; i < n; i++) {
        ok = read_numbers(c, "points", pts->items[i], 2, -4, 5, &o->grid[i * 2], "[0.5, 0.25]") &&
             ok;
    }
    o->grid_cols = (int)cols;
    o->grid_rows = (int)rows;
    if (ok && grid_monotonic(c, pts, o)) {
        tessellate_grid(o);
    }
}

static void read_mesh(vt_vctx *c, const vt_ynode *v, vt_output *o) {
    o->warp = VT_WARP_MESH;
    if (!vt_read_string(c, "mesh", v)) {
        return;
    }
    vt_error err = {0};
    char *path = NULL;
    vt_status st = vt_path_confine(c->dir ? c->dir : ".", v->text, &path, &err);
    if (st == VT_E_NOINPUT) {
        vt_vctx_error(c, v, "mesh file '%s' not found; give the OBJ's path relative to this file",
                      v->text);
    } else if (st != VT_OK) {
        vt_vctx_error(c, v, "%s", err.message);
    }
    char *text = NULL;
    size_t len = 0;
    if (st == VT_OK &&
        vt_file_read_diags(path, VT_OBJ_MAX_BYTES, "mesh", &text, &len, c->diags) == VT_OK) {
        if (vt_obj_parse(text, len, path, &o->tris, &o->vertex_count, c->diags) != VT_OK) {
            vt_vctx_error(c, v, "the mesh '%s' cannot be used (its errors are listed)", v->text);
        }
        o->mesh_path = path;
        path = NULL;
    }
    free(text);
    free(path);
}

static void read_warp(vt_vctx *c, const vt_ynode *v, vt_output *o) {
    if (v->kind != VT_YNODE_MAP || v->count != 1) {
        vt_type_error(c, "warp", v, "a mapping with one of corners, grid or mesh",
                      "write it like {corners: [[0, 0], [1, 0], [1, 1], [0, 1]]}");
        return;
    }
    vt_table_apply(c, &warp_table, 1, v, NULL, NULL);
    const vt_ypair *p;
    if ((p = vt_ymap_find(v, "corners"))) {
        read_corners(c, p->value, o);
    } else if ((p = vt_ymap_find(v, "grid"))) {
        read_grid(c, p->value, o);
    } else if ((p = vt_ymap_find(v, "mesh"))) {
        read_mesh(c, p->value, o);
    }
}

static void read_blend(vt_vctx *c, const vt_ynode *v, vt_output *o) {
    if (v->kind != VT_YNODE_MAP) {
        vt_type_error(c, "edge_blend", v, "a mapping",
                      "write it like {right: 192, gamma: 2.2}: ramp widths in output pixels");
        return;
    }
    vt_table_apply(c, &blend_table, 1, v, NULL, NULL);
    for (int e = 0; e < VT_EDGE_COUNT; e++) {
        const vt_ypair *p = vt_ymap_find(v, edge_names[e]);
        if (p) {
            vt_read_number(c, edge_names[e], p->value, 0, 16384, false, &o->blend[e]);
        }
    }
    const vt_ypair *g = vt_ymap_find(v, "gamma");
    if (g) {
        vt_read_number(c, "gamma", g->value, 0.5, 5, false, &o->gamma);
    }
}

/* Ramps wider than the output leave no room for the picture between them. */
static void check_blend(vt_vctx *c, const vt_ynode *at, const vt_output *o) {
    int w, h;
    vt_output_size(o, &w, &h);
    double across[2] = {o->blend[VT_EDGE_LEFT] + o->blend[VT_EDGE_RIGHT],
                        o->blend[VT_EDGE_TOP] + o->blend[VT_EDGE_BOTTOM]};
    int side[2] = {w, h};
    for (int k = 0; k < 2; k++) {
        if (across[k] > side[k]) {
            vt_vctx_error(c, at,
                          "the edge blend is wider than the output: %s ramps of %g px in an "
                          "output %d px %s; narrow them to the overlap",
                          k == 0 ? "left and right" : "top and bottom", across[k], side[k],
                          k == 0 ? "wide" : "high");
        }
    }
}

static void read_output(vt_vctx *c, const vt_ynode *v, vt_output *o) {
    o->display = -1;
    o->gamma = 2.2;
    o->trim[0] = o->trim[1] = o->trim[2] = 1.0;
    o->warp = VT_WARP_CORNERS;
    const double unit[4][2] = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};
    memcpy(o->corners, unit, sizeof unit);
    o->line = v->line;
    o->col = v->col;
    const vt_ypair *id = vt_ymap_find(v, "id");
    if (id && vt_read_id(c, "id", id->value, "output id")) {
        o->id = vt_xstrdup(id->value->text);
        snprintf(c->where, sizeof c->where, " in output '%.40s'", o->id);
    }
    vt_table_apply(c, &output_table, 1, v, NULL, NULL);
    if (!id) {
        vt_vctx_error(c, v,
                      "an output needs an 'id' (like 'id: left'): calibration and "
                      "'render --output' name it");
    }
    const vt_ypair *p = vt_ymap_find(v, "source");
    if (!p) {
        vt_vctx_error(c, v,
                      "an output needs a 'source': the canvas rectangle it shows, like "
                      "[0, 0, 1920, 1080]");
    } else if (read_numbers(c, "source", p->value, 4, -1e6, 1e6, o->source,
                            "[0, 0, 1920, 1080] (x, y, width, height)")) {
        o->source_line = p->value->line;
        o->source_col = p->value->col;
        if (!(o->source[2] >= 1) || !(o->source[3] >= 1)) {
            vt_vctx_error(c, p->value, "the source's width and height must be at least 1 px");
        }
    }
    if ((p = vt_ymap_find(v, "display"))) {
        read_display(c, p->value, o);
    }
    if ((p = vt_ymap_find(v, "size"))) {
        vt_field f = {.key = "size", .min = 1, .max = 16384, .noun = "[1920, 1080]"};
        int wh[2];
        if (vt_field_int_pair(c, &f, p->value, wh)) {
            o->width = wh[0];
            o->height = wh[1];
        }
    }
    if ((p = vt_ymap_find(v, "warp"))) {
        read_warp(c, p->value, o);
    }
    if ((p = vt_ymap_find(v, "edge_blend"))) {
        read_blend(c, p->value, o);
        check_blend(c, p->value, o);
    }
    if ((p = vt_ymap_find(v, "black_level"))) {
        vt_read_number(c, "black_level", p->value, 0, 0.5, false, &o->black_level);
    }
    if ((p = vt_ymap_find(v, "trim"))) {
        read_numbers(c, "trim", p->value, 3, 0, 4, o->trim, "[1.0, 0.97, 0.95]");
    }
    c->where[0] = '\0';
}

void vt_outputs_parse(vt_vctx *c, const vt_ypair *pair, vt_outputs *out) {
    *out = (vt_outputs){.line = pair->key->line, .col = pair->key->col};
    const vt_ynode *v = pair->value;
    if (v->kind != VT_YNODE_SEQ || v->count == 0) {
        vt_type_error(c, "outputs", v, "a list of outputs",
                      "write '- id: left' on the next line, indented, for each projector");
        return;
    }
    if (v->count > VT_OUTPUT_MAX) {
        vt_vctx_error(c, v, "%zu outputs; at most %d are supported", v->count, VT_OUTPUT_MAX);
        return;
    }
    out->items = vt_xcalloc(v->count, sizeof *out->items);
    for (size_t i = 0; i < v->count; i++) {
        const vt_ynode *item = v->items[i];
        if (item->kind != VT_YNODE_MAP) {
            vt_type_error(c, "outputs", item, "a mapping for each output",
                          "write it like '- id: left' with 'source:' below it");
            continue;
        }
        vt_output *o = &out->items[out->count++];
        read_output(c, item, o);
        for (size_t k = 0; o->id && k + 1 < out->count; k++) {
            if (out->items[k].id && strcmp(out->items[k].id, o->id) == 0) {
                vt_vctx_error(c, vt_ymap_find(item, "id")->value,
                              "duplicate output id '%s' (first at line %d); give each output "
                              "its own id",
                              o->id, out->items[k].line);
            }
        }
    }
}

void vt_outputs_check_canvas(const vt_outputs *o, const char *path, int canvas_w, int canvas_h,
                             vt_diags *diags) {
    for (size_t i = 0; o && i < o->count; i++) {
        const double *s = o->items[i].source;
        if (o->items[i].source_line == 0) {
            continue;
        }
        if (s[0] < 0 || s[1] < 0 || s[0] + s[2] > canvas_w + 1e-9 ||
            s[1] + s[3] > canvas_h + 1e-9) {
            vt_diags_add(diags, VT_DIAG_ERROR, path, o->items[i].source_line,
                         o->items[i].source_col,
                         "output '%s' shows [%g, %g, %g, %g], which is not inside the %dx%d "
                         "canvas; keep x + width <= %d and y + height <= %d",
                         o->items[i].id ? o->items[i].id : "?", s[0], s[1], s[2], s[3], canvas_w,
                         canvas_h, canvas_w, canvas_h);
        }
    }
}

void vt_outputs_free(vt_outputs *o) {
    if (!o) {
        return;
    }
    for (size_t i = 0; i < o->count; i++) {
        vt_output *p = &o->items[i];
        free(p->id);
        free(p->display_name);
        free(p->grid);
        free(p->mesh_path);
        free(p->tris);
    }
    free(o->items);
    *o = (vt_outputs){0};
}

static void *dup_bytes(const void *p, size_t n) {
    if (!p || n == 0) {
        return NULL;
    }
    void *q = vt_xmalloc(n);
    memcpy(q, p, n);
    return q;
}

void vt_outputs_copy(const vt_outputs *from, vt_outputs *to) {
    *to = *from;
    to->items = dup_bytes(from->items, from->count * sizeof *from->items);
    for (size_t i = 0; i < to->count; i++) {
        vt_output *o = &to->items[i];
        const vt_output *f = &from->items[i];
        o->id = f->id ? vt_xstrdup(f->id) : NULL;
        o->display_name = f->display_name ? vt_xstrdup(f->display_name) : NULL;
        o->mesh_path = f->mesh_path ? vt_xstrdup(f->mesh_path) : NULL;
        o->grid = dup_bytes(f->grid, (size_t)f->grid_cols * f->grid_rows * 2 * sizeof *f->grid);
        o->tris = dup_bytes(f->tris, f->vertex_count * sizeof *f->tris);
    }
}

const vt_output *vt_outputs_find(const vt_outputs *o, const char *id) {
    for (size_t i = 0; o && id && i < o->count; i++) {
        if (o->items[i].id && strcmp(o->items[i].id, id) == 0) {
            return &o->items[i];
        }
    }
    return NULL;
}
