/* Video layers (`type: video`): the film's path, and its timing read once the timelines are
 * known: `timeline` (the film follows that timeline's time) with `at` (where in the timeline
 * it starts), and `loop`. The film itself is probed and decoded by the video module. */
#include "io/vt_io.h"
#include "scene/scene_internal.h"

#include <string.h>
#include <strings.h>

static bool has_extension(const char *path, const char *const *exts) {
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/')) {
        return false;
    }
    for (size_t i = 0; exts[i]; i++) {
        if (strcasecmp(dot, exts[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* A film path: confined to the scene's folder; a missing file is an error only in strict mode
 * (play and render draw a placeholder and the show goes on). An image or sound file given to a
 * video layer is a mistake said with its fix. False when refused (or missing in strict mode). */
static bool film_path(vt_vctx *c, const vt_ynode *v, char **src, char **src_path) {
    static const char *const images[] = {".png", ".jpg", ".jpeg", NULL};
    static const char *const sounds[] = {".wav", ".flac", ".ogg", ".opus", ".mp3", NULL};
    char shown[64];
    if (!vt_read_string(c, "src", v)) {
        return false;
    }
    vt_yshow(v->text, v->len, shown, sizeof shown);
    if (has_extension(v->text, images)) {
        vt_vctx_error(c, v, "'%s' is an image; show it with 'type: image', or give a film", shown);
        return false;
    }
    if (has_extension(v->text, sounds)) {
        vt_vctx_error(c, v, "'%s' is a sound; play it from 'sounds:', or give a film", shown);
        return false;
    }
    *src = vt_xstrdup(v->text);
    vt_error err = {0};
    vt_status st = vt_path_confine(c->dir, v->text, src_path, &err);
    if (st != VT_OK && st != VT_E_NOINPUT) {
        vt_vctx_error(c, v, "%s", err.message);
        return false;
    }
    if (st == VT_E_NOINPUT) {
        vt_diag_level level = c->flags & VT_SCENE_STRICT_ASSETS ? VT_DIAG_ERROR : VT_DIAG_WARNING;
        if (*src_path) {
            vt_diags_add(c->diags, level, c->path, v->line, v->col,
                         "film file '%s' not found (looked in %s)", shown, c->dir);
        } else {
            vt_diags_add(c->diags, level, c->path, v->line, v->col, "%s", err.message);
        }
        return level != VT_DIAG_ERROR;
    }
    return true;
}

/* One language's film of `src: {fr: films/lsf.mp4, en: films/bsl.mp4}`. */
static void film_variant(vt_vctx *c, vt_layer *layer, const vt_ynode *v, uint32_t lang) {
    char *src = NULL, *src_path = NULL;
    film_path(c, v, &src, &src_path);
    vt_text_variant *var = vt_layer_push_variant(layer, v, lang);
    var->src = src;
    var->src_path = src_path;
}

/* `src: films/a.mp4`, or one film per language (the layer shows the current language's, like
 * translations and captions). */
bool vt_field_video_src(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    vt_layer *layer = obj;
    if (v->kind == VT_YNODE_MAP) {
        size_t errors = c->diags->errors;
        vt_read_layer_variants(c, f, v, layer, film_variant, "{fr: lsf.mp4, en: bsl.mp4}");
        return c->diags->errors == errors;
    }
    return film_path(c, v, &layer->src, &layer->src_path);
}

static void finish_video(vt_vctx *c, vt_layer *layer, const vt_ynode *map) {
    const vt_ypair *tl = vt_ymap_find(map, "timeline");
    const vt_ypair *at = vt_ymap_find(map, "at");
    if (tl && vt_read_string(c, "timeline", tl->value)) {
        uint32_t index;
        if (vt_ref_timeline(c, tl->value, tl->value->text, &index)) {
            layer->timeline = index;
        }
    }
    if (at && !tl) {
        vt_vctx_error(c, at->key,
                      "'at' goes with 'timeline': it is where in the timeline the film starts; "
                      "add 'timeline: ID' or remove 'at'");
    } else if (at && layer->timeline != UINT32_MAX) {
        vt_read_time_in(c, "at", at->value, &vt_sread(c)->scene->timelines[layer->timeline],
                        &layer->at);
    }
}

void vt_video_layers_finish(vt_vctx *c, const vt_ynode *root) {
    vt_scene *s = vt_sread(c)->scene;
    const vt_ypair *layers = vt_ymap_find(root, "layers");
    if (!layers || layers->value->kind != VT_YNODE_SEQ || layers->value->count != s->layer_count) {
        return;
    }
    for (size_t i = 0; i < s->layer_count; i++) {
        const vt_ynode *map = layers->value->items[i];
        if (map->kind == VT_YNODE_MAP && s->layers[i].type == VT_LAYER_VIDEO) {
            snprintf(c->where, sizeof c->where, " in layer '%s'",
                     s->layers[i].id ? s->layers[i].id : "?");
            finish_video(c, &s->layers[i], map);
            c->where[0] = '\0';
        }
    }
}

void vt_video_sounds_finish(vt_vctx *c, const vt_ynode *root) {
    vt_scene *s = vt_sread(c)->scene;
    const vt_ypair *layers = vt_ymap_find(root, "layers");
    if (!layers || layers->value->kind != VT_YNODE_SEQ || layers->value->count != s->layer_count) {
        return;
    }
    for (size_t i = 0; i < s->layer_count; i++) {
        const vt_ynode *map = layers->value->items[i];
        const vt_ypair *sound = map->kind == VT_YNODE_MAP ? vt_ymap_find(map, "sound") : NULL;
        if (sound && s->layers[i].type == VT_LAYER_VIDEO) {
            snprintf(c->where, sizeof c->where, " in layer '%s'",
                     s->layers[i].id ? s->layers[i].id : "?");
            vt_film_sound_add(c, sound->value, (uint32_t)i);
            c->where[0] = '\0';
        }
    }
}
