/* Projection outputs (`outputs:` in the operator config, or in a scene as the artist's default):
 * what part of the canvas each projector shows, how it is warped onto the wall (corner pin, grid,
 * OBJ mesh), its edge blends, black level and trim. Parsing and validation with positioned
 * errors, and the warp's geometry as pure functions (no GL): the renderer draws it, play maps
 * touches back through it. */
#ifndef VT_OUTPUT_H
#define VT_OUTPUT_H

#include "core/vt_core.h"
#include "doc/vt_doc.h"

typedef enum vt_warp_kind { VT_WARP_CORNERS, VT_WARP_GRID, VT_WARP_MESH } vt_warp_kind;

/* A vertex of a warp's triangles: where it lands as fractions of the output (x right, y down)
 * and what it shows as fractions of the output's source rectangle (u right, v down). */
typedef struct vt_warp_vertex {
    float x, y, u, v;
} vt_warp_vertex;

enum { VT_EDGE_LEFT, VT_EDGE_RIGHT, VT_EDGE_TOP, VT_EDGE_BOTTOM, VT_EDGE_COUNT };

/* The most outputs, grid points per side, and the bounds of an OBJ mesh. */
#define VT_OUTPUT_MAX 16
#define VT_OUTPUT_GRID_MAX 33
#define VT_OBJ_MAX_BYTES (16u * 1024u * 1024u)
#define VT_OBJ_MAX_VERTICES 1000000u
#define VT_OBJ_MAX_TRIANGLES 2000000u

typedef struct vt_output {
    char *id;
    int display;        /* SDL display index; -1: not given (the output's place in the list) */
    char *display_name; /* `display: {name: ...}`: the monitor's EDID name; NULL: by index */
    double source[4];   /* canvas rectangle x, y, width, height */
    int width, height;  /* `size`; 0: the display's mode when fullscreen, else the source's */
    vt_warp_kind warp;
    double corners[4][2]; /* top-left, top-right, bottom-right, bottom-left: output fractions */
    int grid_cols, grid_rows;
    double *grid;    /* grid_cols * grid_rows points (x, y), row by row, output fractions */
    char *mesh_path; /* the OBJ file, resolved against the file's folder */
    /* Grid and mesh: the triangles drawn (the grid tessellated through its points), 3 vertices
     * each; corners: none (the homography is exact). */
    vt_warp_vertex *tris;
    size_t vertex_count;
    uint32_t serial; /* counts changes of `tris` (a renderer keeps them while it is unchanged) */
    double blend[VT_EDGE_COUNT]; /* ramp widths in output pixels; 0: none */
    double gamma;                /* the projector's gamma (default 2.2) */
    double black_level;          /* signal lift outside the overlaps, 0..0.5 */
    double trim[3];              /* colour gains (default 1) */
    int line, col;               /* the item */
    int source_line, source_col; /* the `source` value */
} vt_output;

typedef struct vt_outputs {
    vt_output *items;
    size_t count;
    int line, col; /* the `outputs` key; 0 when absent */
} vt_outputs;

/* Reads `outputs:` (pair: the key and its list) into out: every problem (types, ranges, bad
 * display, degenerate warp, blend wider than the output, duplicate ids, an OBJ without texture
 * coordinates) goes to the context's diags, positioned. The OBJ path resolves against c->dir. */
void vt_outputs_parse(vt_vctx *c, const vt_ypair *pair, vt_outputs *out);
/* A source rectangle that does not lie inside a canvas of w x h: one error each, at `source`. */
void vt_outputs_check_canvas(const vt_outputs *o, const char *path, int canvas_w, int canvas_h,
                             vt_diags *diags);
void vt_outputs_free(vt_outputs *o);
/* A deep copy of `from` into `to` (free it with vt_outputs_free). */
void vt_outputs_copy(const vt_outputs *from, vt_outputs *to);
/* Saves a calibration: each output's corners or grid points, edge blend widths and gamma,
 * black level and trim spliced into `path` (the file the outputs came from) where it gives
 * them, matched by id; comments and layout stay; written atomically. A corner pin, black level
 * or trim the file does not give, and that differs from its default, is added to its output
 * (a line in a block mapping, a pair in a flow one). VT_OK, or the read, parse or write error. */
vt_status vt_outputs_save(const char *path, const vt_outputs *o, vt_error *err);
/* The output with this id, or NULL. */
const vt_output *vt_outputs_find(const vt_outputs *o, const char *id);

/* Tessellates a grid output's triangles again after its points moved; false (and the old
 * triangles kept) when the grid now folds. */
bool vt_output_grid_retessellate(vt_output *o);

/* The output's size in pixels: `size`, else the source's size (rounded, at least 1). */
void vt_output_size(const vt_output *o, int *w, int *h);

/* The size to draw a canvas of canvas_w x canvas_h at so that the densest output (the most
 * output pixels per canvas pixel) samples it at one texel per pixel: the canvas times that
 * density (never below 1), at most 16384 on a side, keeping the canvas's aspect. */
void vt_outputs_canvas_target(const vt_outputs *o, int canvas_w, int canvas_h, int *w, int *h);

/* The homography taking the unit square's corners (0,0), (1,0), (1,1), (0,1) to `corners`
 * (row-major 3x3: [x y w] = H [u v 1]); false when the quad is degenerate. */
bool vt_warp_homography(const double corners[4][2], double h[9]);
/* Inverts a 3x3 matrix; false when it is singular. */
bool vt_mat3_invert(const double m[9], double out[9]);
/* Why four corners cannot be a wall's quad ("the corners cross", "three corners are on one
 * line"), or NULL when they can: a convex quad, either winding. */
const char *vt_warp_corners_problem(const double corners[4][2]);
/* The grid's surface at grid coordinates (s, t) (s in [0, cols-1], t in [0, rows-1]):
 * Catmull-Rom through the points in both directions, so the surface passes through each one. */
void vt_warp_grid_eval(const double *grid, int cols, int rows, double s, double t, double *x,
                       double *y);

/* The mapping a renderer draws: triangles (vt_warp_vertex, 3 each) and the matrix taking each
 * triangle's interpolated (u, v, 1) to the source fraction (projectively: divide by the third
 * component). Corners: one quad over the whole output with (u, v) = (x, y) and the inverse
 * homography; grid and mesh: their triangles and the identity. *tris points into o or into
 * static storage: do not free it. */
void vt_output_geometry(const vt_output *o, const vt_warp_vertex **tris, size_t *count,
                        double m[9]);

/* Where an output pixel (x, y: output pixels from the top-left) shows the canvas: false when
 * the warp puts nothing there. The inverse of the warp, for touches and clicks. */
bool vt_output_to_canvas(const vt_output *o, double x, double y, double *cx, double *cy);

/* Reads a Wavefront OBJ mesh (`v x y [z]`, `vt u v`, `f v/vt ...`; positions as fractions of
 * the output with y up, texture coordinates as fractions of the source with v up, OBJ's own
 * convention) into triangles in vt_warp_vertex's convention (y and v down). Hostile input:
 * bounded (VT_OBJ_MAX_*), every index checked, numbers finite. Problems go to diags at
 * path:line:col; a face without texture coordinates is an error. VT_OK or VT_E_DATAERR. */
vt_status vt_obj_parse(const char *text, size_t len, const char *path, vt_warp_vertex **tris,
                       size_t *vertex_count, vt_diags *diags);

#endif
