/* Calibration in play (`play --calibrate`): the keys that move an output's corners or grid
 * points, change its edge blends and black level, and save; a pure function of the outputs and
 * the key, so it is tested without a window. Calibration keys never reach the scene. */
#include "app/app_internal.h"

#include <math.h>
#include <string.h>

static size_t point_count(const vt_output *o) {
    return o->warp == VT_WARP_CORNERS ? 4
           : o->warp == VT_WARP_GRID  ? (size_t)o->grid_cols * o->grid_rows
                                      : 0;
}

static double *point_of(vt_output *o, size_t k) {
    return o->warp == VT_WARP_CORNERS ? o->corners[k] : &o->grid[k * 2];
}

/* Moves the selected point by (dx, dy) output fractions unless the warp would fold. */
static void move(vt_calib *c, vt_output *o, double dx, double dy) {
    if (point_count(o) == 0) {
        return;
    }
    double *p = point_of(o, c->point);
    double old[2] = {p[0], p[1]};
    p[0] = fmin(5, fmax(-4, p[0] + dx));
    p[1] = fmin(5, fmax(-4, p[1] + dy));
    bool ok = o->warp == VT_WARP_CORNERS ? vt_warp_corners_problem(o->corners) == NULL
                                         : vt_output_grid_retessellate(o);
    if (!ok) { /* a fold is refused: the point stays */
        p[0] = old[0];
        p[1] = old[1];
        if (o->warp == VT_WARP_GRID) {
            vt_output_grid_retessellate(o);
        }
        return;
    }
    c->dirty = true;
}

vt_calib_result vt_calib_key(vt_calib *c, vt_outputs *outs, const char *key, bool shift) {
    if (!c->on || !outs || outs->count == 0) {
        return VT_CALIB_NOT_MINE;
    }
    vt_output *o = &outs->items[c->output % outs->count];
    double step = shift ? 0.0005 : 0.005;
    if (strcmp(key, "escape") == 0) {
        c->on = false;
        return VT_CALIB_LEFT;
    }
    if (strcmp(key, "tab") == 0) {
        if (++c->point >= point_count(o)) { /* past the last point: the next output's first */
            c->point = 0;
            c->output = (c->output + 1) % outs->count;
        }
    } else if (strcmp(key, "left") == 0 || strcmp(key, "right") == 0) {
        move(c, o, strcmp(key, "left") == 0 ? -step : step, 0);
    } else if (strcmp(key, "up") == 0 || strcmp(key, "down") == 0) {
        move(c, o, 0, strcmp(key, "up") == 0 ? -step : step);
    } else if (strcmp(key, "[") == 0 || strcmp(key, "]") == 0) {
        int w, h;
        vt_output_size(o, &w, &h);
        double d = (strcmp(key, "]") == 0 ? 1 : -1) * (shift ? 1 : 8);
        for (int e = 0; e < VT_EDGE_COUNT; e++) {
            double side = e < VT_EDGE_TOP ? w : h;
            if (o->blend[e] > 0 || d > 0) {
                o->blend[e] = o->blend[e] > 0 ? fmin(side / 2, fmax(1, o->blend[e] + d)) : 0;
            }
        }
        c->dirty = true;
    } else if (strcmp(key, "-") == 0 || strcmp(key, "=") == 0) {
        double d = (strcmp(key, "=") == 0 ? 1 : -1) * (shift ? 0.001 : 0.005);
        o->black_level = fmin(0.5, fmax(0, o->black_level + d));
        c->dirty = true;
    } else if (strcmp(key, "p") == 0) { /* over the show, alone, off, over again */
        c->pattern = c->pattern == VT_OUTPUT_PATTERN_OVER    ? VT_OUTPUT_PATTERN_ALONE
                     : c->pattern == VT_OUTPUT_PATTERN_ALONE ? VT_OUTPUT_PATTERN_NONE
                                                             : VT_OUTPUT_PATTERN_OVER;
    } else if (strcmp(key, "s") == 0) {
        return VT_CALIB_SAVE;
    } else {
        return VT_CALIB_NOT_MINE;
    }
    return VT_CALIB_CHANGED;
}

vt_calib_result vt_calib_pointer(vt_calib *c, vt_outputs *outs, size_t i, const vt_event *ev,
                                 double fx, double fy, int w, int h) {
    if (!c->on || !outs || i >= outs->count) {
        return VT_CALIB_NOT_MINE;
    }
    vt_output *o = &outs->items[i];
    if (ev->type == VT_EVENT_CLICK || ev->type == VT_EVENT_TOUCH) {
        /* The nearest point within reach, in output pixels. */
        double best = 0.03 * hypot(w, h);
        size_t found = SIZE_MAX;
        for (size_t k = 0; k < point_count(o); k++) {
            const double *p = point_of(o, k);
            double d = hypot((p[0] - fx) * w, (p[1] - fy) * h);
            if (d <= best) {
                best = d;
                found = k;
            }
        }
        if (found == SIZE_MAX) {
            return VT_CALIB_NOT_MINE;
        }
        c->output = i;
        c->point = found;
        c->dragging = true;
        c->drag_pointer = ev->pointer;
        c->grab[0] = point_of(o, found)[0] - fx;
        c->grab[1] = point_of(o, found)[1] - fy;
        return VT_CALIB_CHANGED;
    }
    if (!c->dragging || ev->pointer != c->drag_pointer || i != c->output) {
        return VT_CALIB_NOT_MINE;
    }
    if (ev->type == VT_EVENT_MOVE || ev->type == VT_EVENT_UP) {
        const double *p = point_of(o, c->point);
        move(c, o, fx + c->grab[0] - p[0], fy + c->grab[1] - p[1]);
        c->dragging = ev->type == VT_EVENT_MOVE;
        return VT_CALIB_CHANGED;
    }
    return VT_CALIB_NOT_MINE;
}

void vt_calib_banner(const vt_calib *c, const vt_outputs *outs, size_t i, char *out, size_t cap) {
    const vt_output *o = &outs->items[c->output % outs->count];
    size_t n = point_count(o);
    if (i % outs->count != c->output % outs->count) {
        snprintf(out, cap,
                 "CALIBRATION  output '%s'  |  editing '%s': Tab, or drag a square here, to edit "
                 "this one",
                 outs->items[i % outs->count].id, o->id);
        return;
    }
    snprintf(out, cap,
             "CALIBRATION  output '%s'  point %zu of %zu  blend L%g R%g T%g B%g  black %.3f  |  "
             "Tab: next point  drag or arrows: move (Shift: fine)  [ ]: blend  - =: black level  "
             "p: pattern  s: save  Esc: leave%s",
             o->id, n ? c->point + 1 : 0, n, o->blend[0], o->blend[1], o->blend[2], o->blend[3],
             o->black_level, c->dirty ? "  (not saved)" : "");
}
