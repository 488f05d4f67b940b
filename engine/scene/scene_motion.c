/* Timelines (format vitrine/1): targets ("title.opacity"), key values checked like the layer
 * keys they animate, easings, keys, tracks and the `timelines` mapping itself. */
#include "scene/scene_internal.h"

#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

const char *const vt_prop_names[VT_PROP_COUNT + 1] = {
    "position", "size",   "anchor", "scale",          "rotation",  "opacity", "color",
    "visible",  "radius", "reveal", "letter_spacing", "text_size", NULL,
};

bool vt_prop_find(const vt_layer *layer, const char *name, vt_prop *prop, const char **why) {
    bool texts = layer && (layer->type == VT_LAYER_TEXT || layer->type == VT_LAYER_CAPTIONS);
    *why = NULL;
    if (texts && strcmp(name, "size") == 0) {
        *prop = VT_PROP_TEXT_SIZE; /* the em size, as the key `size` of a text layer */
        return true;
    }
    if (texts && strcmp(name, "box") == 0) {
        *prop = VT_PROP_SIZE;
        return true;
    }
    for (int i = 0; i < VT_PROP_COUNT; i++) {
        if (i != VT_PROP_TEXT_SIZE && strcmp(vt_prop_names[i], name) == 0) {
            *prop = (vt_prop)i;
            if (layer && i == VT_PROP_REVEAL && layer->type != VT_LAYER_TEXT) {
                *why = "'reveal' is a property of text layers";
                return false;
            }
            if (layer && i == VT_PROP_LETTER_SPACING && !texts) {
                *why = "'letter_spacing' is a property of text and captions layers";
                return false;
            }
            return true;
        }
    }
    return false;
}

static const char *show(const vt_ynode *v, char *buf, size_t cap) {
    return vt_yshow(v->text, v->len, buf, cap);
}

/* ---- targets and values ---- */

static bool prop_parse(vt_vctx *c, const vt_ynode *v, const vt_layer *layer, const char *name,
                       vt_prop *prop) {
    char shown[64], target[64], list[256];
    const char *why = NULL;
    if (vt_prop_find(layer, name, prop, &why)) {
        return true;
    }
    vt_yshow(name, strlen(name), shown, sizeof shown);
    show(v, target, sizeof target);
    if (why) {
        vt_vctx_error(c, v, "%s; target '%s' names another kind of layer", why, target);
        return false;
    }
    const char *near = vt_did_you_mean(name, vt_prop_names, VT_PROP_TEXT_SIZE);
    if (near) {
        vt_vctx_error(c, v, "unknown property '%s' in target '%s'; did you mean '%s'?", shown,
                      target, near);
    } else {
        vt_join_names(vt_prop_names, VT_PROP_TEXT_SIZE, list, sizeof list);
        vt_vctx_error(c, v, "unknown property '%s' in target '%s'; properties: %s", shown, target,
                      list);
    }
    return false;
}

bool vt_target_parse(vt_vctx *c, const vt_ynode *v, uint32_t *layer, vt_prop *prop) {
    char shown[64], ctx[96];
    if (!vt_read_string(c, "target", v)) {
        return false;
    }
    show(v, shown, sizeof shown);
    const char *dot = strchr(v->text, '.');
    /* a shader's input: LAYER.inputs.NAME */
    const char *input = dot && strncmp(dot + 1, "inputs.", 7) == 0 ? dot + 8 : NULL;
    if (!dot || dot == v->text || !dot[1] ||
        (input ? !*input || strchr(input, '.') : strchr(dot + 1, '.') != NULL)) {
        vt_vctx_error(c, v,
                      "target '%s' must be LAYER.PROPERTY, like title.opacity (or "
                      "LAYER.inputs.NAME for a shader's input)",
                      shown);
        return false;
    }
    char *id = vt_xstrndup(v->text, (size_t)(dot - v->text));
    snprintf(ctx, sizeof ctx, " in target '%s'", shown);
    bool ok = vt_ref_layer(c, v, id, ctx, layer);
    free(id);
    if (input) {
        return ok && vt_input_target_parse(c, v, *layer, input, prop);
    }
    const vt_scene *sc = vt_sread(c)->scene;
    const vt_layer *l = ok && *layer < sc->layer_count ? &sc->layers[*layer] : NULL;
    return prop_parse(c, v, l, dot + 1, prop) && ok;
}

bool vt_prop_value(vt_vctx *c, const vt_ynode *v, uint32_t layer, vt_prop prop, const char *label,
                   bool in_set, double out[4]) {
    if (VT_PROP_IS_INPUT(prop)) {
        return vt_input_value(c, v, layer, prop, label, in_set, out);
    }
    if (prop > VT_PROP_COUNT) {
        return vt_sound_prop_value(c, v, prop, label, out);
    }
    bool text_size = prop == VT_PROP_TEXT_SIZE;
    vt_field f = *vt_layer_field(text_size ? "size" : vt_prop_names[prop]);
    f.key = label;
    vt_layer tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.type = text_size ? VT_LAYER_TEXT : VT_LAYER_IMAGE;
    if (!f.parse(c, &f, v, &tmp)) {
        return false;
    }
    const vt_layer_props *p = &tmp.props;
    const vt_vec2 *pair = prop == VT_PROP_POSITION ? &p->position
                          : prop == VT_PROP_SIZE   ? &p->size
                          : prop == VT_PROP_ANCHOR ? &p->anchor
                                                   : &p->scale;
    memset(out, 0, 4 * sizeof *out);
    if (prop == VT_PROP_ROTATION || prop == VT_PROP_OPACITY || prop == VT_PROP_RADIUS) {
        out[0] = prop == VT_PROP_ROTATION  ? p->rotation
                 : prop == VT_PROP_OPACITY ? p->opacity
                                           : p->radius;
    } else if (prop == VT_PROP_COLOR) {
        out[0] = p->color.r;
        out[1] = p->color.g;
        out[2] = p->color.b;
        out[3] = p->color.a;
    } else if (prop == VT_PROP_VISIBLE) {
        out[0] = p->visible ? 1 : 0;
    } else if (prop == VT_PROP_REVEAL) {
        out[0] = p->reveal;
    } else if (prop == VT_PROP_LETTER_SPACING || text_size) {
        out[0] = text_size ? tmp.text.size : tmp.text.letter_spacing;
    } else {
        out[0] = pair->x;
        out[1] = pair->y;
    }
    return true;
}

bool vt_read_time_in(vt_vctx *c, const char *key, const vt_ynode *v, const vt_timeline *tl,
                     vt_ticks *out) {
    double x;
    char shown[64], id[64];
    if (!vt_read_number(c, key, v, -DBL_MAX, DBL_MAX, false, &x)) {
        return false;
    }
    vt_ticks t = vt_ticks_from_seconds(x);
    bool known = tl && tl->duration > 0;
    if (x < 0 || (known && t > tl->duration) || (!known && x > VT_SCENE_MAX_SECONDS)) {
        show(v, shown, sizeof shown);
        if (known) {
            vt_vctx_error(c, v,
                          "'%s' must be between 0 and %.10g, the duration of timeline "
                          "'%s', got %s",
                          key, vt_ticks_to_seconds(tl->duration),
                          tl->id ? vt_yshow(tl->id, strlen(tl->id), id, sizeof id) : "?", shown);
        } else {
            vt_vctx_error(c, v, "'%s' must be between 0 and 1000000, got %s", key, shown);
        }
        return false;
    }
    *out = t;
    return true;
}

/* ---- easing ---- */

static bool ease_bezier(vt_vctx *c, const vt_ynode *v, vt_ease *out) {
    double p[4];
    bool ok = true, ok_x[2];
    for (int i = 0; i < 4; i++) {
        bool read = vt_read_number(c, "ease", v->items[i], -1e6, 1e6, false, &p[i]);
        ok = read && ok;
        if (i % 2 == 0) {
            ok_x[i / 2] = read;
        }
    }
    for (int i = 0; i < 4; i += 2) {
        if (ok_x[i / 2] && (p[i] < 0 || p[i] > 1)) {
            char shown[64];
            vt_vctx_error(c, v->items[i],
                          "in a cubic-bezier ease [x1, y1, x2, y2], x%d must be "
                          "between 0 and 1 (it is a time), got %s",
                          i / 2 + 1, show(v->items[i], shown, sizeof shown));
            ok = false;
        }
    }
    if (ok && !vt_ease_from_bezier(p[0], p[1], p[2], p[3], out)) {
        vt_vctx_error(c, v,
                      "invalid cubic-bezier ease; give [x1, y1, x2, y2], x1 and x2 "
                      "between 0 and 1");
        ok = false;
    }
    return ok;
}

static bool ease_named(vt_vctx *c, const vt_ynode *v, vt_ease *out) {
    char shown[64];
    if (!vt_read_string(c, "ease", v)) {
        return false;
    }
    if (vt_ease_from_name(v->text, out)) {
        return true;
    }
    show(v, shown, sizeof shown);
    if (strncmp(v->text, "steps(", 6) == 0) {
        vt_vctx_error(c, v,
                      "invalid easing '%s'; steps take a whole number of 1 or more, like "
                      "steps(4)",
                      shown);
        return false;
    }
    const char *const *names = vt_ease_names();
    size_t count = 0;
    while (names[count]) {
        count++;
    }
    const char *near = vt_did_you_mean(v->text, names, count);
    if (near) {
        vt_vctx_error(c, v, "unknown easing '%s'; did you mean '%s'?", shown, near);
    } else {
        vt_vctx_error(c, v,
                      "unknown easing '%s'; use linear, hold, steps(N), in-, out- or "
                      "in-out- followed by sine, quad, cubic, quart, quint, expo, circ, back, "
                      "elastic or bounce, or [x1, y1, x2, y2]",
                      shown);
    }
    return false;
}

bool vt_ease_read(vt_vctx *c, const vt_ynode *v, vt_ease *out) {
    if (v->kind == VT_YNODE_SEQ && v->count == 4) {
        return ease_bezier(c, v, out);
    }
    if (v->kind == VT_YNODE_SEQ) {
        vt_vctx_error(c, v,
                      "'ease' must be 4 numbers [x1, y1, x2, y2] for a cubic-bezier, "
                      "not %zu",
                      v->count);
        return false;
    }
    if (v->kind == VT_YNODE_MAP) {
        vt_type_error(c, "ease", v, "an easing name like out-cubic or [x1, y1, x2, y2]", NULL);
        return false;
    }
    return ease_named(c, v, out);
}

/* ---- keys and tracks ---- */

typedef struct track_read {
    const vt_timeline *tl;
    bool prop_ok; /* the target resolved: values can be checked */
    vt_prop prop;
    uint32_t layer;
    char label[64];         /* the target as written, for value messages */
    const vt_ynode *prev_t; /* the previous key's t, for the order check */
    vt_ticks prev;
} track_read;

static const vt_field key_fields[] = {
    {"t", vt_field_later, 0, .allowed = VT_VARIANT_ALL, .required = VT_VARIANT_ALL},
    {"v", vt_field_later, 0, .allowed = VT_VARIANT_ALL, .required = VT_VARIANT_ALL},
    {"ease", vt_field_later, 0, .allowed = VT_VARIANT_ALL},
};
static const vt_table key_table = {key_fields, 3, NULL, "key"};

static void key_time(vt_vctx *c, const vt_ynode *t, track_read *tr, vt_key *key) {
    if (!vt_read_time_in(c, "t", t, tr->tl, &key->t)) {
        return;
    }
    if (tr->prev_t && key->t <= tr->prev) {
        char now[64], before[64];
        vt_vctx_error(c, t, "keys must be in increasing time: t %s comes after t %s (line %d)",
                      show(t, now, sizeof now), show(tr->prev_t, before, sizeof before),
                      tr->prev_t->line);
    }
    tr->prev_t = t;
    tr->prev = key->t;
}

static void key_ease(vt_vctx *c, const vt_ynode *e, track_read *tr, vt_key *key) {
    if (e && !vt_ease_read(c, e, &key->ease)) {
        return;
    }
    if (tr->prop_ok && tr->prop == VT_PROP_VISIBLE) {
        if (e && key->ease.kind != VT_EASE_HOLD) {
            char shown[64], what[80];
            if (e->kind == VT_YNODE_SCALAR) {
                snprintf(what, sizeof what, "'%s'", show(e, shown, sizeof shown));
            } else {
                snprintf(what, sizeof what, "a cubic-bezier");
            }
            vt_vctx_error(c, e,
                          "'visible' jumps from one key to the next: its 'ease' must be "
                          "hold or left out, not %s",
                          what);
        }
        key->ease = (vt_ease){.kind = VT_EASE_HOLD};
    }
}

static void parse_key(vt_vctx *c, const vt_ynode *map, track_read *tr, vt_key *key) {
    *key = (vt_key){.line = map->line, .col = map->col};
    vt_table_apply(c, &key_table, 1, map, key, NULL);
    const vt_ypair *t = vt_ymap_find(map, "t");
    const vt_ypair *v = vt_ymap_find(map, "v");
    const vt_ypair *e = vt_ymap_find(map, "ease");
    if (t) {
        key_time(c, t->value, tr, key);
    }
    if (v && tr->prop_ok) {
        vt_prop_value(c, v->value, tr->layer, tr->prop, tr->label, false, key->v);
    }
    key_ease(c, e ? e->value : NULL, tr, key);
}

static void parse_keys(vt_vctx *c, const vt_ynode *v, track_read *tr, vt_track *track) {
    if (vt_ynode_is_null(v) || (v->kind == VT_YNODE_SEQ && v->count == 0)) {
        vt_vctx_error(c, v, "a track needs at least one key, like {t: 0, v: 1}");
        return;
    }
    if (v->kind != VT_YNODE_SEQ) {
        vt_type_error(c, "keys", v, "a sequence", "write each key as '- {t: 0, v: 1}'");
        return;
    }
    track->keys = vt_xcalloc(v->count, sizeof *track->keys);
    track->key_count = v->count;
    for (size_t i = 0; i < v->count; i++) {
        const vt_ynode *item = v->items[i];
        if (item->kind == VT_YNODE_MAP) {
            parse_key(c, item, tr, &track->keys[i]);
        } else if (item->kind != VT_YNODE_BAD) {
            vt_vctx_error(c, item, "each key must be a mapping like {t: 0, v: 1}, not %s",
                          vt_ynode_describe(item));
        }
    }
}

static const vt_field track_fields[] = {
    {"target", vt_field_later, 0, .allowed = VT_VARIANT_ALL, .required = VT_VARIANT_ALL},
    {"keys", vt_field_later, 0, .allowed = VT_VARIANT_ALL, .required = VT_VARIANT_ALL},
};
static const vt_table track_table = {track_fields, 2, NULL, "track"};

/* Two tracks of one timeline on one target would fight: the first is named. */
static void check_twice(vt_vctx *c, const vt_timeline *tl, size_t index, const vt_ynode *at) {
    const vt_track *t = &tl->tracks[index];
    for (size_t i = 0; i < index; i++) {
        const vt_track *o = &tl->tracks[i];
        if (o->prop != VT_PROP_COUNT && o->sound == t->sound && o->layer == t->layer &&
            o->prop == t->prop) {
            char shown[64];
            vt_vctx_error(c, at,
                          "target '%s' already has a track in this timeline (line %d, "
                          "column %d); put all its keys in one track",
                          show(at, shown, sizeof shown), o->line, o->col);
            return;
        }
    }
}

static void parse_track(vt_vctx *c, const vt_ynode *map, vt_timeline *tl, size_t index) {
    vt_track *track = &tl->tracks[index];
    /* VT_PROP_COUNT marks a target that did not resolve (the scene is refused anyway). */
    *track = (vt_track){.prop = VT_PROP_COUNT, .line = map->line, .col = map->col};
    vt_table_apply(c, &track_table, 1, map, track, NULL);
    const vt_ypair *target = vt_ymap_find(map, "target");
    const vt_ypair *keys = vt_ymap_find(map, "keys");
    track_read tr = {.tl = tl};
    if (target &&
        vt_track_target_parse(c, target->value, &track->layer, &track->prop, &track->sound)) {
        tr.prop_ok = true;
        tr.prop = track->prop;
        tr.layer = track->layer;
        track->shape = track->sound ? track->prop
                                    : vt_prop_shape(vt_sread(c)->scene, track->layer, track->prop);
        show(target->value, tr.label, sizeof tr.label);
        check_twice(c, tl, index, target->value);
    } else {
        track->prop = VT_PROP_COUNT;
    }
    if (keys) {
        parse_keys(c, keys->value, &tr, track);
    }
}

/* ---- timelines ---- */

static bool parse_loop(vt_vctx *c, const vt_ynode *v, int *plays) {
    double n = 0;
    bool plain = v->kind == VT_YNODE_SCALAR && v->plain;
    if (plain && vt_ynode_is(v, "true")) {
        *plays = 0;
        return true;
    }
    if (plain && vt_ynode_is(v, "false")) {
        *plays = 1;
        return true;
    }
    if (plain && vt_number_parse(v->text, v->len, &n) == 1 && n == floor(n) && n >= 1 && n <= 1e6) {
        *plays = (int)n;
        return true;
    }
    static const char fix[] = "write true (forever), false (once) or how many times to play, "
                              "from 1 to 1000000";
    char shown[64];
    if (v->kind == VT_YNODE_SCALAR && !vt_ynode_is_null(v)) {
        vt_vctx_error(c, v, "invalid 'loop' %s%s%s; %s", v->plain ? "" : "\"",
                      show(v, shown, sizeof shown), v->plain ? "" : "\"", fix);
    } else {
        vt_type_error(c, "loop", v, "true, false or a number of plays", fix);
    }
    return false;
}

static void parse_tracks(vt_vctx *c, const vt_ynode *v, vt_timeline *tl) {
    if (vt_ynode_is_null(v)) {
        return; /* a timeline may carry only time */
    }
    if (v->kind != VT_YNODE_SEQ) {
        vt_type_error(c, "tracks", v, "a sequence",
                      "write each track as '- target: LAYER.PROPERTY' with its 'keys'");
        return;
    }
    tl->tracks = vt_xcalloc(v->count, sizeof *tl->tracks);
    tl->track_count = v->count;
    for (size_t i = 0; i < v->count; i++) {
        const vt_ynode *item = v->items[i];
        if (item->kind == VT_YNODE_MAP) {
            parse_track(c, item, tl, i);
        } else {
            tl->tracks[i].prop = VT_PROP_COUNT;
            if (item->kind != VT_YNODE_BAD) {
                vt_vctx_error(c, item,
                              "each track must be a mapping with a target and keys, "
                              "not %s",
                              vt_ynode_describe(item));
            }
        }
    }
}

static const vt_field timeline_fields[] = {
    {"duration", vt_field_later, 0, .allowed = VT_VARIANT_ALL, .required = VT_VARIANT_ALL},
    {"loop", vt_field_later, 0, .allowed = VT_VARIANT_ALL},
    {"autoplay", vt_field_bool, offsetof(vt_timeline, autoplay), .allowed = VT_VARIANT_ALL},
    {"tracks", vt_field_later, 0, .allowed = VT_VARIANT_ALL},
};
static const vt_table timeline_table = {timeline_fields, 4, NULL, "timeline"};

static void parse_timeline(vt_vctx *c, const vt_ynode *key, const vt_ynode *map, vt_timeline *tl) {
    char shown[64];
    show(key, shown, sizeof shown);
    if (map->kind != VT_YNODE_MAP) {
        vt_type_error(c, shown, map, "a mapping",
                      "write 'duration: 10' (seconds) on the next "
                      "line, indented");
        return;
    }
    snprintf(c->where, sizeof c->where, " in timeline '%s'", shown);
    vt_table_apply(c, &timeline_table, 1, map, tl, NULL);
    const vt_ypair *duration = vt_ymap_find(map, "duration");
    const vt_ypair *loop = vt_ymap_find(map, "loop");
    const vt_ypair *tracks = vt_ymap_find(map, "tracks");
    if (duration) {
        vt_read_span(c, "duration", duration->value, &tl->duration);
    }
    if (loop) {
        parse_loop(c, loop->value, &tl->plays);
    }
    if (tracks) {
        parse_tracks(c, tracks->value, tl);
    }
    c->where[0] = '\0';
}

void vt_timelines_claim(vt_vctx *c, const vt_ynode *map) {
    vt_scene *s = vt_sread(c)->scene;
    s->timelines = vt_xcalloc(map->count, sizeof *s->timelines);
    s->timeline_count = map->count;
    for (size_t i = 0; i < map->count; i++) {
        const vt_ynode *key = map->pairs[i].key;
        vt_timeline *tl = &s->timelines[i];
        *tl = (vt_timeline){.plays = 1, .line = key->line, .col = key->col};
        if (vt_read_id(c, "timeline id", key, "id")) {
            tl->id = vt_xstrdup(key->text);
            vt_vctx_claim_id(c, tl->id, key, VT_ID_TIMELINE, (uint32_t)i);
        }
    }
}

void vt_timelines_parse(vt_vctx *c) {
    const vt_ynode *map = vt_sread(c)->timelines;
    for (size_t i = 0; map && i < map->count; i++) {
        parse_timeline(c, map->pairs[i].key, map->pairs[i].value,
                       &vt_sread(c)->scene->timelines[i]);
    }
}

void vt_motion_free(vt_scene *scene) {
    for (size_t i = 0; i < scene->timeline_count; i++) {
        vt_timeline *tl = &scene->timelines[i];
        for (size_t j = 0; j < tl->track_count; j++) {
            free(tl->tracks[j].keys);
        }
        free(tl->tracks);
        free(tl->id);
    }
    free(scene->timelines);
    for (size_t i = 0; i < scene->trigger_count; i++) {
        free(scene->triggers[i].actions);
    }
    free(scene->triggers);
    for (size_t i = 0; i < scene->states.count; i++) {
        free(scene->states.names[i]);
    }
    free(scene->states.names);
}
