/* References by name inside a scene: layer and timeline ids (the one id namespace) and state
 * names (their own), resolved to indices or reported with a "did you mean". */
#include "scene/scene_internal.h"

#include <stdlib.h>
#include <string.h>

typedef enum ref_kind { REF_LAYER, REF_TIMELINE } ref_kind;

static const char *const ref_nouns[] = {"layer", "timeline"};

/* The ids of one kind, for suggestions; the caller frees the array (not the strings). */
static const char **ids_of(const vt_scene *s, ref_kind kind, size_t *count) {
    size_t n = kind == REF_LAYER ? s->layer_count : s->timeline_count;
    const char **ids = vt_xcalloc(n, sizeof *ids);
    *count = 0;
    for (size_t i = 0; i < n; i++) {
        const char *id = kind == REF_LAYER ? s->layers[i].id : s->timelines[i].id;
        if (id) {
            ids[(*count)++] = id;
        }
    }
    return ids;
}

/* "; did you mean 'title'?", "; layers: a, b" or "; the scene has no layers". */
static void hint(const char *word, const char *const *names, size_t count, const char *plural,
                 char *buf, size_t cap) {
    const char *near = vt_did_you_mean(word, names, count);
    char list[256];
    if (near) {
        snprintf(buf, cap, "; did you mean '%s'?", near);
    } else if (count == 0) {
        snprintf(buf, cap, "; the scene has no %s", plural);
    } else {
        vt_join_names(names, count, list, sizeof list);
        snprintf(buf, cap, "; %s: %s", plural, list);
    }
}

static bool ref_id(vt_vctx *c, const vt_ynode *v, const char *id, const char *ctx, ref_kind kind,
                   uint32_t *out) {
    char shown[64], tail[320];
    vt_yshow(id, strlen(id), shown, sizeof shown);
    const vt_id_entry *e = vt_vctx_find_id(c, id);
    vt_id_kind want = kind == REF_LAYER ? VT_ID_LAYER : VT_ID_TIMELINE;
    if (e && e->kind == want) {
        *out = e->index;
        return true;
    }
    if (e) {
        vt_vctx_error(c, v, "'%s'%s is a %s, not a %s; give the id of a %s", shown, ctx,
                      ref_nouns[1 - kind], ref_nouns[kind], ref_nouns[kind]);
        return false;
    }
    size_t count;
    const char **ids = ids_of(c->scene, kind, &count);
    hint(id, ids, count, kind == REF_LAYER ? "layers" : "timelines", tail, sizeof tail);
    free(ids);
    vt_vctx_error(c, v, "unknown %s '%s'%s%s", ref_nouns[kind], shown, ctx, tail);
    return false;
}

bool vt_ref_layer(vt_vctx *c, const vt_ynode *v, const char *id, const char *ctx, uint32_t *out) {
    return ref_id(c, v, id, ctx, REF_LAYER, out);
}

bool vt_ref_timeline(vt_vctx *c, const vt_ynode *v, const char *id, uint32_t *out) {
    return ref_id(c, v, id, "", REF_TIMELINE, out);
}

bool vt_ref_state(vt_vctx *c, const vt_ynode *v, const char *name, uint32_t *out) {
    const vt_states *st = &c->scene->states;
    for (size_t i = 0; i < st->count; i++) {
        if (strcmp(st->names[i], name) == 0) {
            *out = (uint32_t)i;
            return true;
        }
    }
    char shown[64], tail[320];
    hint(name, (const char *const *)st->names, st->count, "states", tail, sizeof tail);
    vt_vctx_error(c, v, "unknown state '%s'%s", vt_yshow(name, strlen(name), shown, sizeof shown),
                  tail);
    return false;
}
