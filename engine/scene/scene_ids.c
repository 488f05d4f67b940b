/* The scene's one id namespace (layers, timelines, sounds), and the scene's limits on spans of
 * time, on top of the document kit's readers. */
#include "scene/scene_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(vt_layer_type) == sizeof(int) && sizeof(vt_fit) == sizeof(int) &&
                   sizeof(vt_filter) == sizeof(int) && sizeof(vt_blend) == sizeof(int),
               "enum fields are stored as int");

bool vt_read_span(vt_vctx *c, const char *key, const vt_ynode *v, vt_ticks *out) {
    double x;
    char shown[64];
    if (!vt_read_number(c, key, v, -HUGE_VAL, HUGE_VAL, false, &x)) {
        return false;
    }
    vt_yshow(v->text, v->len, shown, sizeof shown);
    vt_ticks t = vt_ticks_from_seconds(x);
    if (x > VT_SCENE_MAX_SECONDS) {
        vt_vctx_error(c, v, "'%s' must be at most 1000000 seconds, got %s", key, shown);
        return false;
    }
    if (t <= 0) {
        /* A positive number under half a tick (0.7 ns) rounds to nothing too. */
        vt_vctx_error(c, v, "'%s' must be more than 0 seconds, got %s", key, shown);
        return false;
    }
    *out = t;
    return true;
}

/* ---- the id namespace ---- */

static size_t id_hash(const char *s) {
    uint64_t h = UINT64_C(14695981039346656037);
    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
    }
    return (size_t)h;
}

static vt_id_entry *id_slot(vt_id_entry *ids, size_t cap, const char *id) {
    size_t i = id_hash(id) & (cap - 1);
    while (ids[i].id && strcmp(ids[i].id, id) != 0) {
        i = (i + 1) & (cap - 1);
    }
    return &ids[i];
}

static void id_grow(vt_scene_read *c) {
    size_t cap = c->id_cap ? c->id_cap * 2 : 64;
    vt_id_entry *ids = vt_xcalloc(cap, sizeof *ids);
    for (size_t i = 0; i < c->id_cap; i++) {
        if (c->ids[i].id) {
            *id_slot(ids, cap, c->ids[i].id) = c->ids[i];
        }
    }
    free(c->ids);
    c->ids = ids;
    c->id_cap = cap;
}

bool vt_vctx_claim_id(vt_vctx *vc, const char *id, const vt_ynode *at, vt_id_kind kind,
                      uint32_t index) {
    vt_scene_read *c = vt_sread(vc);
    if ((c->id_count + 1) * 2 > c->id_cap) {
        id_grow(c);
    }
    vt_id_entry *slot = id_slot(c->ids, c->id_cap, id);
    if (slot->id) {
        char shown[64];
        vt_vctx_error(vc, at,
                      "duplicate id '%s' (first used at line %d, column %d); ids must be "
                      "unique in a scene",
                      vt_yshow(id, strlen(id), shown, sizeof shown), slot->line, slot->col);
        return false;
    }
    *slot = (vt_id_entry){id, at->line, at->col, kind, index};
    c->id_count++;
    return true;
}

const vt_id_entry *vt_vctx_find_id(const vt_vctx *vc, const char *id) {
    const vt_scene_read *c = vt_sread(vc);
    if (c->id_cap == 0) {
        return NULL;
    }
    const vt_id_entry *slot = id_slot(c->ids, c->id_cap, id);
    return slot->id ? slot : NULL;
}
void vt_vctx_free(vt_vctx *vc) {
    vt_scene_read *c = vt_sread(vc);
    free(c->ids);
    c->ids = NULL;
    c->id_cap = c->id_count = 0;
    for (size_t i = 0; i < c->spoken_count; i++) {
        free(c->spoken[i].src);
        free(c->spoken[i].src_path);
    }
    free(c->spoken);
    c->spoken = NULL;
    c->spoken_count = 0;
}
