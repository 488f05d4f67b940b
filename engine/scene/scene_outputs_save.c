/* Saving a calibration: the outputs' new corners, grid points, edge blends, black level and trim
 * spliced into the file they came from at the byte offsets its values were read from, so every
 * comment and the layout stay; written atomically (a temporary file, then a rename). A corner
 * pin, black level or trim the file does not give yet, and that now differs from its default,
 * is added to its output as a new line (or, in a flow mapping, a new pair), the rest of the
 * file byte for byte. */
#include "io/vt_io.h"
#include "scene/vt_output.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAVE_MAX_EDITS (VT_OUTPUT_MAX * 12)

typedef struct save_ctx {
    const char *text; /* the file */
    size_t len;
    vt_doc_edit edits[SAVE_MAX_EDITS];
    char *texts[SAVE_MAX_EDITS];
    size_t count;
} save_ctx;

static void add_at(save_ctx *s, size_t start, size_t end, char *text) {
    if (s->count == SAVE_MAX_EDITS) {
        free(text);
        return;
    }
    s->edits[s->count] = (vt_doc_edit){start, end, text};
    s->texts[s->count++] = text;
}

static void add_edit(save_ctx *s, const vt_ynode *n, char *text) {
    if (!n) {
        free(text);
        return;
    }
    add_at(s, n->start, n->end, text);
}

/* Whether node n's bytes end exactly where its value does (a scalar on its line, or a flow
 * collection), so that what follows it on its line is a comment at most. */
static bool ends_exactly(const save_ctx *s, const vt_ynode *n) {
    if (n->start >= s->len) {
        return false;
    }
    char c = s->text[n->start];
    return n->kind == VT_YNODE_SCALAR ? c != '|' && c != '>' : c == '[' || c == '{';
}

/* Adds `key: value` (value: allocated, taken) to mapping `map`: in a flow mapping as a last
 * pair; in a block mapping as a line of its own, at the keys' indentation, after the last of
 * the keys named in `after` (else after the first key: an output's id). */
static void insert_pair(save_ctx *s, const vt_ynode *map, const char *key, char *value,
                        const char *const *after) {
    if (!map || map->kind != VT_YNODE_MAP || map->count == 0) {
        free(value);
        return;
    }
    const vt_ypair *last = &map->pairs[map->count - 1];
    if (s->text[map->start] == '{') {
        add_at(s, last->value->end, last->value->end, vt_xasprintf(", %s: %s", key, value));
        free(value);
        return;
    }
    const vt_ypair *anchor = &map->pairs[0];
    for (size_t i = 0; i < map->count; i++) {
        for (size_t k = 0; after[k]; k++) {
            if (vt_ynode_is(map->pairs[i].key, after[k]) && ends_exactly(s, map->pairs[i].value)) {
                anchor = &map->pairs[i];
            }
        }
    }
    size_t at = anchor->value->end;
    while (at < s->len && s->text[at] != '\n') {
        at++;
    }
    int indent = anchor->key->col - 1;
    bool eof = at >= s->len; /* the file ends on that line: a line break first */
    add_at(s, eof ? s->len : at + 1, eof ? s->len : at + 1,
           vt_xasprintf("%s%*s%s: %s\n", eof ? "\n" : "", indent, "", key, value));
    free(value);
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
    static const char *const before_warp[] = {"id", "display", "source", "size", NULL};
    static const char *const before_black[] = {"id",   "display",    "source", "size",
                                               "warp", "edge_blend", NULL};
    static const char *const before_trim[] = {"id",   "display",    "source",      "size",
                                              "warp", "edge_blend", "black_level", NULL};
    static const double unit[4][2] = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};
    const vt_ynode *warp = child(item, "warp");
    if (!warp && o->warp == VT_WARP_CORNERS && memcmp(o->corners, unit, sizeof unit) != 0) {
        char *pts = points_text(&o->corners[0][0], 4);
        insert_pair(s, item, "warp", vt_xasprintf("{corners: %s}", pts), before_warp);
        free(pts);
    }
    if (!child(item, "black_level") && o->black_level != 0) {
        insert_pair(s, item, "black_level", vt_xasprintf("%.6g", o->black_level), before_black);
    }
    if (!child(item, "trim") && (o->trim[0] != 1 || o->trim[1] != 1 || o->trim[2] != 1)) {
        insert_pair(s, item, "trim",
                    vt_xasprintf("[%.6g, %.6g, %.6g]", o->trim[0], o->trim[1], o->trim[2]),
                    before_trim);
    }
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

/* By position, stably: insertions at one position stay in the order they were added (a
 * replacement ending there, whose start is earlier, comes before them). */
static void sort_edits(vt_doc_edit *e, size_t n) {
    for (size_t i = 1; i < n; i++) {
        vt_doc_edit x = e[i];
        size_t j = i;
        for (; j > 0 && e[j - 1].start > x.start; j--) {
            e[j] = e[j - 1];
        }
        e[j] = x;
    }
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
    save_ctx s = {.text = text, .len = len};
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
    sort_edits(s.edits, s.count);
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
