/* Values from outside the scene file (a remote `set` over OSC): read as YAML and checked by the
 * same field readers as the scene's own `set` action, so "[10, 20]", "'#ff8800'" and "true"
 * mean what they mean in a scene file. */
#include "scene/scene_internal.h"

#include <string.h>

static const vt_ytree_limits value_limits = {4096, 4, 64, "value"};

static bool layer_of(const vt_scene *sc, const char *id, size_t len, uint32_t *out) {
    for (size_t i = 0; i < sc->layer_count; i++) {
        const char *lid = sc->layers[i].id;
        if (lid && strlen(lid) == len && memcmp(lid, id, len) == 0) {
            *out = (uint32_t)i;
            return true;
        }
    }
    return false;
}

vt_status vt_scene_set_action(const vt_scene *sc, const char *target, const char *value,
                              vt_action *out, vt_error *err) {
    const char *dot = strchr(target, '.');
    uint32_t layer = 0;
    /* LAYER.PROPERTY, or a shader's input: LAYER.inputs.NAME */
    const char *input = dot && strncmp(dot + 1, "inputs.", 7) == 0 ? dot + 8 : NULL;
    if (!dot || dot == target || !dot[1] || (!input && strchr(dot + 1, '.')) ||
        (input && (!*input || strchr(input, '.')))) {
        return VT_FAIL(err, VT_E_DATAERR,
                       "target '%.64s' must be LAYER.PROPERTY, like "
                       "title.opacity, or LAYER.inputs.NAME",
                       target);
    }
    if (!layer_of(sc, target, (size_t)(dot - target), &layer)) {
        return VT_FAIL(err, VT_E_DATAERR, "no layer '%.*s' in the scene", (int)(dot - target),
                       target);
    }
    int prop = 0;
    const vt_isf *isf = sc->layers[layer].shader ? sc->layers[layer].shader->isf : NULL;
    if (input) {
        size_t n = isf ? isf->n_inputs : 0, i = 0;
        while (i < n && strcmp(isf->inputs[i].name, input) != 0) {
            i++;
        }
        if (i == n) {
            return VT_FAIL(err, VT_E_DATAERR, "layer '%.*s' has no shader input '%.32s'",
                           (int)(dot - target), target, input);
        }
        prop = VT_PROP_INPUT + (int)i;
    } else {
        vt_prop found = VT_PROP_COUNT;
        const char *why = NULL;
        if (!vt_prop_find(&sc->layers[layer], dot + 1, &found, &why)) {
            if (why) {
                return VT_FAIL(err, VT_E_DATAERR, "%s; '%.64s' names another kind of layer", why,
                               target);
            }
            return VT_FAIL(err, VT_E_DATAERR, "unknown property '%.32s' in target '%.64s'", dot + 1,
                           target);
        }
        prop = (int)found;
    }
    vt_diags diags = {0};
    vt_ynode *root = NULL;
    bool fatal = false;
    vt_ytree_parse(value, strlen(value), "osc", &value_limits, &root, &fatal, &diags);
    *out = (vt_action){.kind = VT_DO_SET, .target = layer, .prop = (vt_prop)prop};
    if (!fatal && root) {
        vt_scene_read rd = {.scene = (vt_scene *)sc}; /* read only: the inputs' types */
        vt_vctx c = {.path = "osc", .diags = &diags, .format = &rd};
        vt_prop_value(&c, root, layer, (vt_prop)prop, target, true, out->v);
    }
    vt_status st = VT_OK;
    if (fatal || !root || diags.errors > 0) {
        st = VT_FAIL(err, VT_E_DATAERR, "%s",
                     diags.count ? diags.items[0].message : "a value is needed");
    }
    vt_ytree_free(root);
    vt_diags_free(&diags);
    return st;
}
