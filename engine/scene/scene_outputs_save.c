/* Saving a calibration: the outputs' new corners, grid points, edge blends, black level and trim
 * spliced into the file they came from at the byte offsets its values were read from, so every
 * comment and the layout stay; written atomically (a temporary file, then a rename). Values the
 * file does not give yet are not added: they keep their defaults until written there. */
#include "io/vt_io.h"
#include "scene/vt_output.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAVE_MAX_EDITS (VT_OUTPUT_MAX * 12)

typedef struct save_ctx {
    vt_doc_edit edits[SAVE_MAX_EDITS];
    char *texts[SAVE_MAX_EDITS];
    size_t count;
} save_ctx;

static void add_edit(save_ctx *s, const vt_ynode *n, char *text) {
    if (!n || s->count == SAVE_MAX_EDITS) {
        free(text);
        return;
    }
    s->edits[s->count] = (vt_doc_edit){n->start, n->end, text};
    s->texts[s->count++] = text;
}

static const vt_ynode *child(const vt_ynode *map, const char *key) {
    const vt_ypair *p = map && map->kind == VT_YNODE_MAP ? vt_ymap_find(map, key) : NULL;
    return p ? p->value : NULL;
}

/* A flow list of n points, like [[0, 0], [1, 0.02]]. */
static char *points_text(const double *xy, size_t n) {
    size_t cap = n * 64 + 8, len = 0;
    char *t = vt_xmalloc(cap);
    len += (size_t)snprintf(t + len, cap - len, "[");
    for (size_t i = 0; i < n; i++) {
        len += (size_t)snprintf(t + len, cap - len, "%s[%.6g, %.6g]", i ? ", " : "", xy[i * 2],
                                xy[i * 2 + 1]);
    }
    snprintf(t + len, cap - len, "]");
    return t;
}

static void edit_output(save_ctx *s, const vt_ynode *item, const vt_output *o) {
    static const char *const edges[VT_EDGE_COUNT] = {"left", "right", "top", "bottom"};
    const vt_ynode *warp = child(item, "warp");
    if (o->warp == VT_WARP_CORNERS) {
        add_edit(s, child(warp, "corners"), points_text(&o->corners[0][0], 4));
    } else if (o->warp == VT_WARP_GRID) {
        add_edit(s, child(child(warp, "grid"), "points"),
                 points_text(o->grid, (size_t)o->grid_cols * o->grid_rows));
    }
    const vt_ynode *blend = child(item, "edge_blend");
    for (int e = 0; e < VT_EDGE_COUNT; e++) {
        add_edit(s, child(blend, edges[e]), vt_xasprintf("%.6g", o->blend[e]));
    }
    add_edit(s, child(blend, "gamma"), vt_xasprintf("%.6g", o->gamma));
    add_edit(s, child(item, "black_level"), vt_xasprintf("%.6g", o->black_level));
    add_edit(s, child(item, "trim"),
             vt_xasprintf("[%.6g, %.6g, %.6g]", o->trim[0], o->trim[1], o->trim[2]));
}

static int by_start(const void *a, const void *b) {
    const vt_doc_edit *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

vt_status vt_outputs_save(const char *path, const vt_outputs *o, vt_error *err) {
    static const vt_ytree_limits lim = {8u * 1024u * 1024u, 32, 200000, "file"};
    char *text = NULL;
    size_t len = 0;
    vt_status st = vt_file_read(path, lim.max_bytes, &text, &len, err);
    if (st != VT_OK) {
        return st;
    }
    vt_diags d = {0};
    vt_ynode *root = NULL;
    bool fatal = false;
    vt_ytree_parse(text, len, path, &lim, &root, &fatal, &d);
    const vt_ynode *list = child(root, "outputs");
    save_ctx s = {0};
    if (fatal || d.errors > 0 || !list || list->kind != VT_YNODE_SEQ) {
        st = VT_FAIL(err, VT_E_DATAERR,
                     "cannot save the calibration: %s no longer has a readable 'outputs' list "
                     "(edited meanwhile?); nothing was written",
                     path);
    }
    for (size_t i = 0; st == VT_OK && i < list->count; i++) {
        const vt_ynode *id = child(list->items[i], "id");
        const vt_output *out =
            id && id->kind == VT_YNODE_SCALAR ? vt_outputs_find(o, id->text) : NULL;
        if (out) {
            edit_output(&s, list->items[i], out);
        }
    }
    qsort(s.edits, s.count, sizeof *s.edits, by_start);
    size_t new_len = 0;
    char *edited = st == VT_OK ? vt_doc_splice(text, len, s.edits, s.count, &new_len) : NULL;
    if (st == VT_OK && !edited) {
        st = VT_FAIL(err, VT_E_SOFTWARE, "cannot save the calibration into %s: overlapping values",
                     path);
    }
    if (st == VT_OK) {
        st = vt_file_write_atomic(path, edited, new_len, VT_WRITE_SYNC, err);
    }
    free(edited);
    for (size_t i = 0; i < s.count; i++) {
        free(s.texts[i]);
    }
    vt_ytree_free(root);
    vt_diags_free(&d);
    free(text);
    return st;
}
