/* References by name inside a scene: layer, timeline and sound ids (the one id namespace) and
 * state names (their own), resolved to indices or reported with a "did you mean"; and which
 * image layers show the same file. */
#include "io/vt_image.h"
#include "scene/scene_internal.h"

#include <stdlib.h>
#include <string.h>

/* What a reference may name: one kind of id, or (actions) a timeline or a sound. */
typedef enum ref_kind { REF_LAYER, REF_TIMELINE, REF_PLAYABLE } ref_kind;

static const char *const id_nouns[] = {"layer", "timeline", "sound"}; /* by vt_id_kind */

static bool ref_accepts(ref_kind kind, vt_id_kind id) {
    return kind == REF_LAYER      ? id == VT_ID_LAYER
           : kind == REF_TIMELINE ? id == VT_ID_TIMELINE
                                  : id == VT_ID_TIMELINE || id == VT_ID_SOUND;
}

/* The ids of one kind, for suggestions; the caller frees the array (not the strings). */
static const char **ids_of(const vt_scene *s, ref_kind kind, size_t *count) {
    size_t n = kind == REF_LAYER ? s->layer_count : s->timeline_count;
    n += kind == REF_PLAYABLE ? s->sound_count : 0;
    const char **ids = vt_xcalloc(n + 1, sizeof *ids);
    *count = 0;
    for (size_t i = 0; i < n; i++) {
        const char *id = kind == REF_LAYER       ? s->layers[i].id
                         : i < s->timeline_count ? s->timelines[i].id
                                                 : s->sounds[i - s->timeline_count].id;
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
                   uint32_t *out, vt_id_kind *found) {
    char shown[64], tail[320];
    /* With sounds in the scene, actions name "a timeline or a sound"; without, as before. */
    bool sounds = kind == REF_PLAYABLE && vt_sread(c)->scene->sound_count > 0;
    const char *noun = kind == REF_LAYER ? "layer" : sounds ? "timeline or sound" : "timeline";
    const char *plural = kind == REF_LAYER ? "layers"
                         : sounds          ? "timelines or sounds"
                                           : "timelines";
    vt_yshow(id, strlen(id), shown, sizeof shown);
    const vt_id_entry *e = vt_vctx_find_id(c, id);
    if (e && ref_accepts(kind, e->kind)) {
        *out = e->index;
        if (found) {
            *found = e->kind;
        }
        return true;
    }
    if (e) {
        const char *want = kind == REF_LAYER ? "a layer"
                           : sounds          ? "a timeline or a sound"
                                             : "a timeline";
        vt_vctx_error(c, v, "'%s'%s is a %s, not %s; give the id of %s", shown, ctx,
                      id_nouns[e->kind], want, want);
        return false;
    }
    size_t count;
    const char **ids = ids_of(vt_sread(c)->scene, kind, &count);
    hint(id, ids, count, plural, tail, sizeof tail);
    free(ids);
    vt_vctx_error(c, v, "unknown %s '%s'%s%s", noun, shown, ctx, tail);
    return false;
}

bool vt_ref_layer(vt_vctx *c, const vt_ynode *v, const char *id, const char *ctx, uint32_t *out) {
    return ref_id(c, v, id, ctx, REF_LAYER, out, NULL);
}

bool vt_ref_timeline(vt_vctx *c, const vt_ynode *v, const char *id, uint32_t *out) {
    return ref_id(c, v, id, "", REF_TIMELINE, out, NULL);
}

bool vt_ref_timeline_or_sound(vt_vctx *c, const vt_ynode *v, const char *id, uint32_t *out,
                              vt_id_kind *kind) {
    return ref_id(c, v, id, "", REF_PLAYABLE, out, kind);
}

bool vt_ref_state(vt_vctx *c, const vt_ynode *v, const char *name, uint32_t *out) {
    const vt_states *st = &vt_sread(c)->scene->states;
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

size_t *vt_scene_image_first_users(const vt_scene *scene) {
    const char **paths = vt_xcalloc(scene->layer_count + 1, sizeof *paths);
    for (size_t i = 0; i < scene->layer_count; i++) {
        const vt_layer *l = &scene->layers[i];
        paths[i] = l->type == VT_LAYER_IMAGE ? l->src_path : NULL;
    }
    size_t *first = vt_xcalloc(scene->layer_count + 1, sizeof *first);
    vt_image_first_users(paths, scene->layer_count, first);
    free(paths);
    return first;
}
