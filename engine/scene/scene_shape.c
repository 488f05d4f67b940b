/* Shapes and masks (format vitrine/1): a layer's `border`, `fill` (linear and radial gradients
 * with their stops) and `shadow`, each a small mapping read with its own table so unknown keys,
 * types and ranges get the same positioned messages as the layer's own keys; `radius` is a
 * plain number of the layer table (animatable: props.radius). `mask` names another layer, so
 * it is read once every layer is known. */
#include "scene/scene_internal.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static bool read_map(vt_vctx *c, const vt_field *f, const vt_ynode *v, const char *example) {
    if (v->kind != VT_YNODE_MAP) {
        vt_type_error(c, f->key, v, "a mapping", example);
        return false;
    }
    return true;
}

/* Runs `table` on mapping `v` inside the layer's messages: " in layer 'card' ('border')". */
static uint64_t apply_in(vt_vctx *c, const vt_table *table, const vt_ynode *v, void *obj) {
    char where[sizeof c->where];
    memcpy(where, c->where, sizeof where);
    size_t n = strlen(c->where);
    snprintf(c->where + n, sizeof c->where - n, " ('%s')", table->kind);
    uint64_t given = vt_table_apply(c, table, 1, v, obj, NULL);
    memcpy(c->where, where, sizeof where);
    return given;
}

/* ---- border ---- */

static const vt_field border_fields[] = {
    {"width", vt_field_number, offsetof(vt_border, width), 0, 10000, .allowed = 1, .required = 1},
    {"color", vt_field_color, offsetof(vt_border, color), .allowed = 1},
};
static const vt_table border_table = {border_fields, 2, NULL, "border"};

bool vt_field_border(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    vt_layer *layer = obj;
    if (!read_map(c, f, v, "write 'border: {width: 4, color: \"#ffffff\"}'")) {
        return false;
    }
    vt_border b = {.width = 0, .color = {255, 255, 255, 255}};
    size_t errors = c->diags->errors;
    apply_in(c, &border_table, v, &b);
    layer->border = b;
    return c->diags->errors == errors;
}

/* ---- shadow ---- */

static const vt_field shadow_fields[] = {
    {"offset", vt_field_vec2, offsetof(vt_shadow, offset), -10000, 10000, .noun = "[0, 8]",
     .allowed = 1},
    {"blur", vt_field_number, offsetof(vt_shadow, blur), 0, 1000, .allowed = 1},
    {"color", vt_field_color, offsetof(vt_shadow, color), .allowed = 1},
};
static const vt_table shadow_table = {shadow_fields, 3, NULL, "shadow"};

bool vt_field_shadow(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    vt_layer *layer = obj;
    if (!read_map(c, f, v, "write 'shadow: {offset: [0, 8], blur: 16, color: \"#00000080\"}'")) {
        return false;
    }
    vt_shadow s = {.on = true, .offset = {0, 8}, .blur = 16, .color = {0, 0, 0, 128}};
    size_t errors = c->diags->errors;
    apply_in(c, &shadow_table, v, &s);
    layer->shadow = s;
    return c->diags->errors == errors;
}

/* ---- fill: gradients ---- */

/* One stop: a colour (placed evenly between its neighbours, as CSS does) or {at, color}. */
static bool read_stop(vt_vctx *c, const vt_ynode *v, vt_gradient_stop *s, bool *has_at) {
    static const vt_field color = {"stops", vt_field_color, offsetof(vt_gradient_stop, color),
                                   .allowed = 1};
    static const vt_field fields[] = {
        {"at", vt_field_number, offsetof(vt_gradient_stop, at), 0, 1, .allowed = 1},
        {"color", vt_field_color, offsetof(vt_gradient_stop, color), .allowed = 1, .required = 1},
    };
    static const vt_table table = {fields, 2, NULL, "stop"};
    if (v->kind == VT_YNODE_MAP) {
        size_t errors = c->diags->errors;
        *has_at = apply_in(c, &table, v, s) & 1;
        return c->diags->errors == errors;
    }
    *has_at = false;
    return vt_field_color(c, &color, v, s);
}

static bool field_stops(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    vt_gradient *g = obj;
    if (v->kind != VT_YNODE_SEQ || v->count < 2 || v->count > VT_GRADIENT_MAX_STOPS) {
        if (v->kind != VT_YNODE_BAD) {
            vt_vctx_error(c, v,
                          "'%s' must be a sequence of 2 to %d colours, like [\"#000000\", "
                          "\"#ffffff\"] (or {at: 0.3, color: \"#ff8800\"} to place one)",
                          f->key, VT_GRADIENT_MAX_STOPS);
        }
        return false;
    }
    bool ok = true, has_at[VT_GRADIENT_MAX_STOPS];
    for (size_t i = 0; i < v->count; i++) {
        ok = read_stop(c, v->items[i], &g->stops[i], &has_at[i]) && ok;
    }
    if (!ok) {
        return false;
    }
    size_t n = v->count;
    if (!has_at[0]) {
        g->stops[0].at = 0;
    }
    if (!has_at[n - 1]) {
        g->stops[n - 1].at = 1;
    }
    has_at[0] = has_at[n - 1] = true;
    /* CSS: stops without a position share the space between the placed ones around them. */
    for (size_t i = 1, last = 0; i < n; i++) {
        if (!has_at[i]) {
            continue;
        }
        if (g->stops[i].at < g->stops[last].at) {
            vt_vctx_error(c, v->items[i],
                          "gradient stops must be in order: stop %zu is at %g, before stop %zu "
                          "at %g; list the stops from 'at: 0' to 'at: 1'",
                          i + 1, g->stops[i].at, last + 1, g->stops[last].at);
            return false;
        }
        for (size_t j = last + 1; j < i; j++) {
            double t = (double)(j - last) / (double)(i - last);
            g->stops[j].at = g->stops[last].at + (g->stops[i].at - g->stops[last].at) * t;
        }
        last = i;
    }
    g->stop_count = n;
    return true;
}

static const vt_field linear_fields[] = {
    {"angle", vt_field_number, offsetof(vt_gradient, angle), -360000, 360000, .allowed = 1},
    {"stops", field_stops, 0, .allowed = 1, .required = 1},
};
static const vt_table linear_table = {linear_fields, 2, NULL, "linear"};

static const vt_field radial_fields[] = {
    {"center", vt_field_vec2, offsetof(vt_gradient, center), 0, 1, .noun = "[0.5, 0.5]",
     .allowed = 1},
    {"stops", field_stops, 0, .allowed = 1, .required = 1},
};
static const vt_table radial_table = {radial_fields, 2, NULL, "radial"};

bool vt_field_fill(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    static const char example[] =
        "write 'fill: {linear: {angle: 90, stops: [\"#000000\", \"#ffffff\"]}}' "
        "(or 'radial:' instead of 'linear:')";
    vt_layer *layer = obj;
    if (!read_map(c, f, v, example)) {
        return false;
    }
    if (v->count != 1 ||
        (!vt_ynode_is(v->pairs[0].key, "linear") && !vt_ynode_is(v->pairs[0].key, "radial"))) {
        char shown[64];
        const vt_ynode *at = v->count ? v->pairs[0].key : v;
        vt_vctx_error(c, at, "'%s' takes one gradient, 'linear' or 'radial'%s%s; %s", f->key,
                      v->count ? ", not " : "",
                      v->count ? vt_yshow(at->text, at->len, shown, sizeof shown) : "", example);
        return false;
    }
    bool linear = vt_ynode_is(v->pairs[0].key, "linear");
    const vt_ynode *g = v->pairs[0].value;
    vt_field sub = {.key = linear ? "linear" : "radial"};
    if (!read_map(c, &sub, g, example)) {
        return false;
    }
    vt_gradient grad = {.kind = linear ? VT_GRADIENT_LINEAR : VT_GRADIENT_RADIAL,
                        .angle = 180,
                        .center = {0.5, 0.5}};
    size_t errors = c->diags->errors;
    apply_in(c, linear ? &linear_table : &radial_table, g, &grad);
    if (c->diags->errors != errors || grad.stop_count < 2) {
        return false;
    }
    layer->fill = grad;
    return true;
}

/* ---- masks ---- */

static const char *const mask_modes[] = {"alpha", "luminance", NULL};

typedef struct mask_spec {
    char *layer;
    int mode;
    bool invert;
} mask_spec;

static bool field_mask_layer(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    if (!vt_read_string(c, f->key, v)) {
        return false;
    }
    ((mask_spec *)obj)->layer = v->text;
    return true;
}

static const vt_field mask_fields[] = {
    {"layer", field_mask_layer, 0, .allowed = 1, .required = 1},
    {"mode", vt_field_enum, offsetof(mask_spec, mode), .names = mask_modes, .noun = "mask mode",
     .allowed = 1},
    {"invert", vt_field_bool, offsetof(mask_spec, invert), .allowed = 1},
};
static const vt_table mask_table = {mask_fields, 3, NULL, "mask"};

/* `mask: LAYER` or `mask: {layer, mode, invert}`; `at` is where the layer is named. */
static void read_mask(vt_vctx *c, vt_scene *s, size_t index, const vt_ynode *v) {
    mask_spec spec = {0};
    const vt_ynode *at = v;
    if (v->kind == VT_YNODE_MAP) {
        size_t errors = c->diags->errors;
        apply_in(c, &mask_table, v, &spec);
        const vt_ypair *l = vt_ymap_find(v, "layer");
        if (c->diags->errors != errors || !l) {
            return;
        }
        at = l->value;
    } else if (v->kind != VT_YNODE_SCALAR || vt_ynode_is_null(v)) {
        vt_type_error(c, "mask", v, "a layer id or a mapping",
                      "write 'mask: wipe' or 'mask: {layer: wipe, mode: luminance, invert: true}'");
        return;
    } else if (!vt_read_string(c, "mask", v)) {
        return;
    } else {
        spec.layer = v->text;
    }
    uint32_t m;
    if (!vt_ref_layer(c, at, spec.layer, " in 'mask'", &m)) {
        return;
    }
    vt_layer *layer = &s->layers[index];
    if (m == index) {
        vt_vctx_error(c, at, "a layer cannot mask itself; name another layer in 'mask'");
        return;
    }
    layer->masked = true;
    layer->mask = m;
    layer->mask_mode = (vt_mask_mode)spec.mode;
    layer->mask_invert = spec.invert;
    s->layers[m].is_mask = true;
}

void vt_masks_finish(vt_vctx *c, const vt_ynode *root) {
    vt_scene *s = vt_sread(c)->scene;
    const vt_ypair *layers = vt_ymap_find(root, "layers");
    if (!layers || layers->value->kind != VT_YNODE_SEQ || layers->value->count != s->layer_count) {
        return;
    }
    const vt_ynode **at = vt_xcalloc(s->layer_count + 1, sizeof *at);
    for (size_t i = 0; i < s->layer_count; i++) {
        const vt_ynode *map = layers->value->items[i];
        const vt_ypair *mask = map->kind == VT_YNODE_MAP ? vt_ymap_find(map, "mask") : NULL;
        if (mask) {
            snprintf(c->where, sizeof c->where, " in layer '%s'",
                     s->layers[i].id ? s->layers[i].id : "?");
            read_mask(c, s, i, mask->value);
            c->where[0] = '\0';
            at[i] = mask->value;
        }
    }
    /* A wrapped picture repeats whole, as a strip: a crop or a shape would break the join. */
    for (size_t i = 0; i < s->layer_count; i++) {
        const vt_layer *l = &s->layers[i];
        const vt_ynode *map = layers->value->items[i];
        const vt_ypair *w = map->kind == VT_YNODE_MAP ? vt_ymap_find(map, "wrap") : NULL;
        if (!w || l->wrap == VT_WRAP_NONE) {
            continue;
        }
        static const char *const breaking[] = {"fit", "radius", "border", "shadow"};
        for (size_t k = 0; k < sizeof breaking / sizeof *breaking; k++) {
            const vt_ypair *b = vt_ymap_find(map, breaking[k]);
            if (b && !(k == 0 && l->fit == VT_FIT_FILL) && !(k == 1 && l->props.radius == 0)) {
                vt_vctx_error(c, b->key,
                              "'%s' does not go with 'wrap': the picture repeats whole, edge to "
                              "edge; remove '%s', or 'wrap'",
                              breaking[k], breaking[k]);
            }
        }
    }
    /* A mask is drawn on its own into the matte: it cannot be masked in turn. */
    for (size_t i = 0; i < s->layer_count; i++) {
        const vt_layer *l = &s->layers[i];
        if (l->masked && l->is_mask) {
            char id[64];
            vt_yshow(l->id ? l->id : "?", l->id ? strlen(l->id) : 1, id, sizeof id);
            vt_vctx_error(c, at[i],
                          "layer '%s' masks another layer, so it cannot have a mask itself; "
                          "draw both masks into one layer, or mask the other layer directly",
                          id);
        }
    }
    free(at);
}
