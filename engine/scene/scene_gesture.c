/* Gestures and feedback (format vitrine/1): a layer's `drag`, `scroll` and `pinch` (what
 * fingers and the wheel do to it), its `pressed` and `selected` styles. Read after the triggers:
 * a `selected` style without `language` or `state` takes the choice its touch trigger makes. */
#include "scene/scene_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const axes[] = {"both", "x", "y", NULL};

static bool read_axis(vt_vctx *c, const char *key, const vt_ynode *v, bool both_ok, vt_axis *out) {
    for (int i = both_ok ? 0 : 1; axes[i]; i++) {
        if (v->kind == VT_YNODE_SCALAR && vt_ynode_is(v, axes[i])) {
            *out = (vt_axis)i;
            return true;
        }
    }
    char shown[64];
    vt_vctx_error(c, v, "'%s.axis' must be %s, not '%s'", key, both_ok ? "both, x or y" : "x or y",
                  v->kind == VT_YNODE_SCALAR ? vt_yshow(v->text, v->len, shown, sizeof shown)
                                             : vt_ynode_describe(v));
    return false;
}

/* bounds: [x0, y0, x1, y1], the rectangle the layer's position stays in. */
static bool read_bounds(vt_vctx *c, const char *key, const vt_ynode *v, double out[4]) {
    char label[32];
    snprintf(label, sizeof label, "%s.bounds", key);
    if (v->kind != VT_YNODE_SEQ || v->count != 4) {
        vt_type_error(c, label, v, "a sequence of 4 numbers",
                      "write the rectangle the layer's position stays in, [x0, y0, x1, y1], like "
                      "[0, 0, 1920, 1080]");
        return false;
    }
    for (size_t i = 0; i < 4; i++) {
        if (!vt_read_number(c, label, v->items[i], -1e6, 1e6, false, &out[i])) {
            return false;
        }
    }
    if (out[0] > out[2] || out[1] > out[3]) {
        vt_vctx_error(c, v,
                      "'%s' is [x0, y0, x1, y1] with x0 <= x1 and y0 <= y1; swap the corners, "
                      "like [%g, %g, %g, %g]",
                      label, fmin(out[0], out[2]), fmin(out[1], out[3]), fmax(out[0], out[2]),
                      fmax(out[1], out[3]));
        return false;
    }
    return true;
}

static vt_gesture *gesture_of(vt_vctx *c, vt_layer *layer) {
    if (!layer->gesture) {
        const vt_scene *sc = vt_sread(c)->scene;
        layer->gesture = vt_xcalloc(1, sizeof *layer->gesture);
        *layer->gesture = (vt_gesture){
            .bounds = {0, 0, sc->width, sc->height}, .step = 60, .scale_min = 1, .scale_max = 4};
    }
    return layer->gesture;
}

/* `drag: true`, or a mapping of its options; `false` (or no value) turns it off. */
static bool gesture_on(vt_vctx *c, const char *key, const vt_ynode *v, const char *example) {
    if (v->kind == VT_YNODE_MAP) {
        return true;
    }
    if (v->kind == VT_YNODE_SCALAR && v->plain && vt_ynode_is(v, "true")) {
        return true;
    }
    if (v->kind == VT_YNODE_SCALAR && v->plain && vt_ynode_is(v, "false")) {
        return false;
    }
    vt_type_error(c, key, v, "true or a mapping", example);
    return false;
}

static void parse_move(vt_vctx *c, const vt_ypair *pair, vt_layer *layer, bool scroll) {
    const char *key = scroll ? "scroll" : "drag";
    const vt_ynode *v = pair->value;
    if (!gesture_on(c, key, v,
                    scroll ? "write 'scroll: {axis: y, bounds: [960, -600, 960, 540]}'"
                           : "write 'drag: {bounds: [0, 0, 1920, 1080]}'")) {
        return;
    }
    vt_gesture *g = gesture_of(c, layer);
    g->drag = g->drag || !scroll;
    g->scroll = g->scroll || scroll;
    g->axis = scroll ? VT_AXIS_Y : VT_AXIS_BOTH;
    for (size_t i = 0; v->kind == VT_YNODE_MAP && i < v->count; i++) {
        const vt_ypair *p = &v->pairs[i];
        if (vt_ynode_is(p->key, "axis")) {
            read_axis(c, key, p->value, !scroll, &g->axis);
        } else if (vt_ynode_is(p->key, "bounds")) {
            read_bounds(c, key, p->value, g->bounds);
        } else if (scroll && vt_ynode_is(p->key, "step")) {
            vt_read_number(c, "scroll.step", p->value, 0, 10000, false, &g->step);
        } else if (p->key->len < 2 || memcmp(p->key->text, "x-", 2) != 0) {
            char shown[64];
            vt_vctx_error(c, p->key, "unknown key '%s' in '%s'; valid keys: axis, bounds%s",
                          vt_yshow(p->key->text, p->key->len, shown, sizeof shown), key,
                          scroll ? ", step" : "");
        }
    }
}

static void parse_pinch(vt_vctx *c, const vt_ynode *v, vt_layer *layer) {
    if (!gesture_on(c, "pinch", v, "write 'pinch: {min: 1, max: 4}'")) {
        return;
    }
    vt_gesture *g = gesture_of(c, layer);
    g->pinch = true;
    for (size_t i = 0; v->kind == VT_YNODE_MAP && i < v->count; i++) {
        const vt_ypair *p = &v->pairs[i];
        if (vt_ynode_is(p->key, "min")) {
            vt_read_number(c, "pinch.min", p->value, 0.01, 100, false, &g->scale_min);
        } else if (vt_ynode_is(p->key, "max")) {
            vt_read_number(c, "pinch.max", p->value, 0.01, 100, false, &g->scale_max);
        } else if (vt_ynode_is(p->key, "bounds")) {
            read_bounds(c, "pinch", p->value, g->bounds);
        } else if (p->key->len < 2 || memcmp(p->key->text, "x-", 2) != 0) {
            char shown[64];
            vt_vctx_error(c, p->key, "unknown key '%s' in 'pinch'; valid keys: min, max, bounds",
                          vt_yshow(p->key->text, p->key->len, shown, sizeof shown));
        }
    }
    if (g->scale_min > g->scale_max) {
        vt_vctx_error(c, v, "'pinch.min' (%g) is more than 'pinch.max' (%g); swap them",
                      g->scale_min, g->scale_max);
    }
}

/* The choice a layer's touch triggers make: a language, else a state. */
static bool inferred_choice(const vt_scene *sc, uint32_t layer, vt_style *st) {
    bool found = false;
    for (size_t i = 0; i < sc->trigger_count; i++) {
        const vt_trigger *t = &sc->triggers[i];
        if (t->when.kind != VT_WHEN_TOUCH || t->when.index != layer) {
            continue;
        }
        for (size_t j = 0; j < t->action_count; j++) {
            const vt_action *a = &t->actions[j];
            if (a->kind == VT_DO_LANGUAGE) {
                st->by_state = false;
                st->index = a->target;
                return true;
            }
            if (a->kind == VT_DO_STATE && !found) {
                st->by_state = true;
                st->index = a->target;
                found = true;
            }
        }
    }
    return found;
}

/* A key of `selected` that says when it applies: `language: fr` or `state: quiz`. */
static bool selected_when(vt_vctx *c, const vt_ypair *p, vt_style *st, const vt_ypair **when) {
    bool lang = vt_ynode_is(p->key, "language");
    if (!lang && !vt_ynode_is(p->key, "state")) {
        return false;
    }
    if (*when) {
        vt_vctx_error(c, p->key,
                      "'selected' holds both '%s' and '%s'; a style follows one choice: keep "
                      "one of them",
                      (*when)->key->text, p->key->text);
        return true;
    }
    *when = p;
    if (vt_read_string(c, p->key->text, p->value)) {
        st->by_state = !lang;
        if (lang) {
            vt_ref_language(c, p->value, p->value->text, &st->index);
        } else {
            vt_ref_state(c, p->value, p->value->text, &st->index);
        }
    }
    return true;
}

static vt_style *parse_style(vt_vctx *c, const vt_ypair *pair, uint32_t index, bool selected) {
    const char *key = selected ? "selected" : "pressed";
    const vt_ynode *v = pair->value;
    char fix[96];
    snprintf(fix, sizeof fix, "write the values it shows, like '%s: %s'", key,
             selected ? "{color: '#ffcc00'}" : "{scale: 0.96, opacity: 0.8}");
    if (v->kind != VT_YNODE_MAP || v->count == 0) {
        vt_type_error(c, key, v, "a mapping of layer properties", fix);
        return NULL;
    }
    vt_style *st = vt_xcalloc(1, sizeof *st);
    const vt_ypair *when = NULL;
    for (size_t i = 0; i < v->count; i++) {
        const vt_ypair *p = &v->pairs[i];
        if ((selected && selected_when(c, p, st, &when)) ||
            (p->key->len >= 2 && memcmp(p->key->text, "x-", 2) == 0)) {
            continue;
        }
        int prop = -1;
        for (int k = 0; k < VT_PROP_COUNT; k++) {
            prop = vt_ynode_is(p->key, vt_prop_names[k]) ? k : prop;
        }
        char label[80], shown[64];
        vt_yshow(p->key->text, p->key->len, shown, sizeof shown);
        if (prop < 0) {
            const char *near = vt_did_you_mean(shown, vt_prop_names, VT_PROP_COUNT);
            if (near) {
                vt_vctx_error(c, p->key, "unknown property '%s' in '%s'; did you mean '%s'?", shown,
                              key, near);
            } else {
                vt_vctx_error(c, p->key,
                              "unknown property '%s' in '%s'; valid: position, size, anchor, "
                              "scale, rotation, opacity, color, visible%s",
                              shown, key, selected ? " (and language or state)" : "");
            }
            continue;
        }
        snprintf(label, sizeof label, "%s.%s", key, shown);
        if (vt_prop_value(c, p->value, index, (vt_prop)prop, label, false, st->v[prop])) {
            st->props |= 1u << prop;
        }
    }
    if (selected && !when && !inferred_choice(vt_sread(c)->scene, index, st)) {
        vt_vctx_error(c, pair->key,
                      "'selected' does not know when the layer is the current choice: no touch "
                      "trigger of it sets a language or a state; add 'language: fr' or "
                      "'state: NAME' to it");
    }
    return st;
}

static void parse_layer_keys(vt_vctx *c, const vt_ynode *map, uint32_t index, vt_layer *layer) {
    const vt_ypair *drag = vt_ymap_find(map, "drag"), *scroll = vt_ymap_find(map, "scroll");
    const vt_ypair *pinch = vt_ymap_find(map, "pinch");
    if (drag) {
        parse_move(c, drag, layer, false);
    }
    if (scroll && drag && layer->gesture && layer->gesture->drag) {
        vt_vctx_error(c, scroll->key,
                      "a layer moves under one finger by 'drag' or by 'scroll', not both; keep "
                      "'drag' (any direction) or 'scroll' (one axis, and the wheel)");
    } else if (scroll) {
        parse_move(c, scroll, layer, true);
    }
    if (pinch) {
        parse_pinch(c, pinch->value, layer);
    }
    const vt_ypair *pressed = vt_ymap_find(map, "pressed");
    const vt_ypair *selected = vt_ymap_find(map, "selected");
    if (pressed) {
        layer->pressed = parse_style(c, pressed, index, false);
    }
    if (selected) {
        layer->selected = parse_style(c, selected, index, true);
    }
    bool touched = layer->gesture || layer->pressed;
    if (touched && !layer->hit) {
        vt_vctx_warning(c,
                        drag     ? drag->key
                        : scroll ? scroll->key
                        : pinch  ? pinch->key
                                 : pressed->key,
                        "the layer has 'hit: false', so fingers go through it and this never "
                        "applies; remove 'hit: false'");
    }
}

void vt_gestures_parse(vt_vctx *c, const vt_ynode *root) {
    vt_scene *s = vt_sread(c)->scene;
    const vt_ypair *layers = vt_ymap_find(root, "layers");
    if (!layers || layers->value->kind != VT_YNODE_SEQ || layers->value->count != s->layer_count) {
        return;
    }
    for (size_t i = 0; i < s->layer_count; i++) {
        const vt_ynode *map = layers->value->items[i];
        if (map->kind == VT_YNODE_MAP) {
            snprintf(c->where, sizeof c->where, " in layer '%s'",
                     s->layers[i].id ? s->layers[i].id : "?");
            parse_layer_keys(c, map, (uint32_t)i, &s->layers[i]);
            c->where[0] = '\0';
        }
    }
}

void vt_gesture_layer_free(vt_layer *layer) {
    free(layer->gesture);
    free(layer->pressed);
    free(layer->selected);
    layer->gesture = NULL;
    layer->pressed = layer->selected = NULL;
}
