/* Shader layers (format vitrine/1, issue #16): `src` (an ISF or Shadertoy-style file in the
 * scene's folder, its header read here without GL), `inputs` typed by that header, `resolution`,
 * `timeline`, and the input targets of tracks and `set` ("waves.inputs.speed"). */
#include "io/vt_io.h"
#include "scene/scene_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define BUILTIN_PREFIX "builtin:"

static bool has_shader_extension(const char *path) {
    const char *dot = strrchr(path, '.');
    return dot && !strchr(dot, '/') &&
           (strcasecmp(dot, ".fs") == 0 || strcasecmp(dot, ".frag") == 0 ||
            strcasecmp(dot, ".glsl") == 0);
}

static bool has_image_extension(const char *path) {
    const char *dot = strrchr(path, '.');
    return dot && !strchr(dot, '/') &&
           (strcasecmp(dot, ".png") == 0 || strcasecmp(dot, ".jpg") == 0 ||
            strcasecmp(dot, ".jpeg") == 0);
}

void vt_shader_layer_begin(vt_layer *layer) {
    layer->shader = vt_xcalloc(1, sizeof *layer->shader);
    layer->shader->resolution = 1;
    layer->timeline = UINT32_MAX;
    layer->hit = false; /* a full-canvas filter must not swallow touches */
}

/* " (layer 'waves' at scene.yaml:10:5)": appended to the messages about the shader file. */
static void add_layer_context(vt_vctx *c, const vt_layer *layer, size_t from) {
    for (size_t i = from; i < c->diags->count; i++) {
        vt_diag *d = &c->diags->items[i];
        char *m = layer->id ? vt_xasprintf("%s (layer '%s' at %s:%d:%d)", d->message, layer->id,
                                           c->path, layer->line, layer->col)
                            : vt_xasprintf("%s (layer at %s:%d:%d)", d->message, c->path,
                                           layer->line, layer->col);
        free(d->message);
        d->message = m;
    }
}

/* A missing asset: an error in strict mode (check), else a warning (a placeholder is drawn). */
static bool missing(vt_vctx *c, const vt_ynode *v, const char *what, const char *shown,
                    const char *message) {
    vt_diag_level level = c->flags & VT_SCENE_STRICT_ASSETS ? VT_DIAG_ERROR : VT_DIAG_WARNING;
    if (message) {
        vt_diags_add(c->diags, level, c->path, v->line, v->col, "%s", message);
    } else {
        vt_diags_add(c->diags, level, c->path, v->line, v->col, "%s '%s' not found (looked in %s)",
                     what, shown, c->dir);
    }
    return level != VT_DIAG_ERROR;
}

/* An ISF file's own vertex shader: the same name with .vs, beside it, when there is one. */
static void read_vertex(vt_vctx *c, const vt_ynode *at, vt_layer *layer) {
    vt_shader *sh = layer->shader;
    const char *dot = strrchr(layer->src, '.');
    char *rel = vt_xasprintf("%.*s.vs", (int)(dot - layer->src), layer->src);
    char *path = NULL, *text = NULL;
    size_t len = 0;
    vt_error err = {0};
    if (vt_path_confine(c->dir, rel, &path, &err) == VT_OK) {
        if (vt_file_read(path, VT_ISF_MAX_BYTES, &text, &len, &err) != VT_OK ||
            memchr(text, '\0', len)) {
            vt_vctx_error(c, at, "the vertex shader '%s': %s", rel,
                          text ? "holds a NUL byte: a shader is a text file" : err.message);
            free(text);
        } else {
            sh->vertex = text;
            sh->vertex_shown = strcmp(c->dir, ".") == 0 ? vt_xstrdup(rel) : vt_xstrdup(path);
            sh->vertex_path = path;
            path = NULL;
        }
    }
    free(path);
    free(rel);
}

/* `builtin:NAME`: one of the effects embedded in the binary (shaders/builtin/NAME.fs). */
static bool read_builtin(vt_vctx *c, const vt_ynode *v, vt_layer *layer) {
    vt_shader *sh = layer->shader;
    const char *name = v->text + strlen(BUILTIN_PREFIX);
    while (*name == ' ') {
        name++;
    }
    const char *text = vt_isf_builtin(name);
    if (!text) {
        const char *names[64];
        size_t n = 0;
        while (n < 64 && (names[n] = vt_isf_builtin_name(n))) {
            n++;
        }
        char list[512], shown[64];
        vt_yshow(v->text, v->len, shown, sizeof shown);
        vt_join_names(names, n, list, sizeof list);
        const char *near = vt_did_you_mean(name, names, n);
        if (near) {
            vt_vctx_error(c, v, "'%s' is not a built-in effect; did you mean 'builtin:%s'? (%s)",
                          shown, near, list);
        } else {
            vt_vctx_error(c, v, "'%s' is not a built-in effect; the built-in effects: %s", shown,
                          list);
        }
        return false;
    }
    sh->shown_path = vt_xasprintf(BUILTIN_PREFIX "%s", name);
    size_t before = c->diags->count;
    vt_status st = vt_isf_parse(text, strlen(text), sh->shown_path, &sh->isf, c->diags);
    add_layer_context(c, layer, before);
    return st == VT_OK;
}

bool vt_field_shader_src(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    vt_layer *layer = obj;
    vt_shader *sh = layer->shader;
    char shown[64];
    if (!sh || !vt_read_string(c, f->key, v)) {
        return false;
    }
    layer->src = vt_xstrdup(v->text);
    vt_yshow(v->text, v->len, shown, sizeof shown);
    if (strncmp(v->text, BUILTIN_PREFIX, strlen(BUILTIN_PREFIX)) == 0) {
        return read_builtin(c, v, layer);
    }
    if (!has_shader_extension(layer->src)) {
        vt_vctx_error(c, v,
                      "'%s' is not a shader file name; 'src' takes an ISF file (.fs) or a "
                      "Shadertoy-style .frag or .glsl file",
                      shown);
        return false;
    }
    vt_error err = {0};
    vt_status st = vt_path_confine(c->dir, v->text, &sh->src_path, &err);
    if (st != VT_OK && st != VT_E_NOINPUT) {
        vt_vctx_error(c, v, "%s", err.message);
        return false;
    }
    sh->shown_path = vt_xstrdup(strcmp(c->dir, ".") == 0 ? layer->src : sh->src_path);
    if (st == VT_E_NOINPUT) {
        return missing(c, v, "shader file", shown, sh->src_path ? NULL : err.message);
    }
    size_t before = c->diags->count;
    vt_status pst = vt_isf_load(sh->src_path, sh->shown_path, &sh->isf, c->diags);
    add_layer_context(c, layer, before);
    if (pst == VT_OK) {
        read_vertex(c, v, layer);
    }
    return pst == VT_OK;
}

bool vt_field_shader_resolution(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    vt_layer *layer = obj;
    return layer->shader &&
           vt_read_number(c, f->key, v, f->min, f->max, false, &layer->shader->resolution);
}

/* ---- input values ---- */

static const vt_isf_input *input_of(const vt_scene *s, uint32_t layer, vt_prop prop) {
    const vt_shader *sh = layer < s->layer_count ? s->layers[layer].shader : NULL;
    size_t i = (size_t)prop - VT_PROP_INPUT;
    return sh && sh->isf && VT_PROP_IS_INPUT(prop) && i < sh->isf->n_inputs ? &sh->isf->inputs[i]
                                                                            : NULL;
}

vt_prop vt_input_shape(const vt_isf_input *in) {
    switch (in->type) {
    case VT_ISF_FLOAT:
        return VT_PROP_OPACITY;
    case VT_ISF_POINT2D:
        return VT_PROP_ANCHOR;
    case VT_ISF_COLOR:
        return VT_PROP_COLOR;
    default:
        return VT_PROP_VISIBLE;
    }
}

/* A long: one of VALUES (or its label), else a whole number within MIN..MAX. */
static bool long_value(vt_vctx *c, const vt_ynode *v, const vt_isf_input *in, const char *label,
                       double *out) {
    char shown[64], list[256];
    if (in->n_values == 0) {
        return vt_read_number(c, label, v, in->has_min ? in->min[0] : -2e9,
                              in->has_max ? in->max[0] : 2e9, true, out);
    }
    for (size_t i = 0; v->kind == VT_YNODE_SCALAR && i < in->n_values; i++) {
        char digits[24];
        snprintf(digits, sizeof digits, "%ld", in->values[i]);
        if (vt_ynode_is(v, digits) || vt_ynode_is(v, in->labels[i])) {
            *out = (double)in->values[i];
            return true;
        }
    }
    size_t used = 0;
    list[0] = '\0';
    for (size_t i = 0; i < in->n_values && used + 1 < sizeof list; i++) {
        int n = snprintf(list + used, sizeof list - used, "%s%ld (%s)", i ? ", " : "",
                         in->values[i], in->labels[i]);
        used += n > 0 ? (size_t)n : 0;
    }
    vt_vctx_error(c, v, "'%s' must be one of %s, got %s", label, list,
                  v->kind == VT_YNODE_SCALAR ? vt_yshow(v->text, v->len, shown, sizeof shown)
                                             : vt_ynode_describe(v));
    return false;
}

/* A point: [x, y] as fractions of the layer's box, y down (like `anchor`). */
static bool point_value(vt_vctx *c, const vt_ynode *v, const char *label, double out[4]) {
    if (v->kind != VT_YNODE_SEQ || v->count != 2) {
        vt_type_error(c, label, v, "a point [x, y]",
                      "fractions of the layer's box, y down: [0.5, 0.5] is its centre");
        return false;
    }
    /* Both read, so that both are reported when both are wrong. */
    bool x = vt_read_number(c, label, v->items[0], -100, 100, false, &out[0]);
    bool y = vt_read_number(c, label, v->items[1], -100, 100, false, &out[1]);
    return x && y;
}

bool vt_input_value(vt_vctx *c, const vt_ynode *v, uint32_t layer, vt_prop prop, const char *label,
                    bool in_set, double out[4]) {
    const vt_isf_input *in = input_of(vt_sread(c)->scene, layer, prop);
    memset(out, 0, 4 * sizeof *out);
    if (!in) {
        return false;
    }
    switch (in->type) {
    case VT_ISF_FLOAT:
        return vt_read_number(c, label, v, in->has_min ? in->min[0] : -1e9,
                              in->has_max ? in->max[0] : 1e9, false, &out[0]);
    case VT_ISF_LONG:
        return long_value(c, v, in, label, &out[0]);
    case VT_ISF_BOOL:
    case VT_ISF_EVENT: {
        if (in->type == VT_ISF_EVENT && !in_set) {
            vt_vctx_error(c, v,
                          "'%s' is an event input: it fires for one frame with a trigger's "
                          "'set: {%s: true}', it has no value to give or animate",
                          label, label);
            return false;
        }
        bool b = false;
        vt_field f = {.key = label};
        if (!vt_field_bool(c, &f, v, &b)) {
            return false;
        }
        out[0] = b;
        return true;
    }
    case VT_ISF_COLOR: {
        vt_color col;
        vt_field f = {.key = label};
        if (!vt_field_color(c, &f, v, &col)) {
            return false;
        }
        out[0] = col.r;
        out[1] = col.g;
        out[2] = col.b;
        out[3] = col.a;
        return true;
    }
    case VT_ISF_POINT2D:
        return point_value(c, v, label, out);
    default:
        vt_vctx_error(c, v,
                      "'%s' is an image input: give it in the layer's 'inputs' (below, a layer "
                      "id or an image file); it cannot be animated or set",
                      label);
        return false;
    }
}

/* The header's default in the scene's layout (see vt_shader_input). */
static void default_value(const vt_isf_input *in, const vt_layer *layer, double out[4]) {
    memset(out, 0, 4 * sizeof *out);
    switch (in->type) {
    case VT_ISF_COLOR:
        for (int k = 0; k < 4; k++) {
            double x = in->def[k] < 0 ? 0 : in->def[k] > 1 ? 1 : in->def[k];
            out[k] = round(x * 255);
        }
        break;
    case VT_ISF_POINT2D: {
        /* ISF points are y up, normalised or (with a MAX beyond 1) in pixels */
        double w = layer->props.size.x > 0 ? layer->props.size.x : 1;
        double h = layer->props.size.y > 0 ? layer->props.size.y : 1;
        bool px = vt_isf_point_in_pixels(in);
        out[0] = px ? in->def[0] / w : in->def[0];
        out[1] = 1 - (px ? in->def[1] / h : in->def[1]);
        break;
    }
    case VT_ISF_EVENT:
        break;
    default:
        out[0] = in->def[0];
    }
}

/* An image input: `below`, a layer id, or an image file (a path with a dot). */
static void image_value(vt_vctx *c, const vt_ynode *v, uint32_t self, vt_shader_input *si,
                        const char *label) {
    char shown[64];
    if (!vt_read_string(c, label, v)) {
        return;
    }
    vt_yshow(v->text, v->len, shown, sizeof shown);
    if (vt_ynode_is(v, "below")) {
        si->image = VT_SHADER_IMAGE_BELOW;
        return;
    }
    if (!strchr(v->text, '.')) {
        uint32_t index;
        if (vt_ref_layer(c, v, v->text, "", &index)) {
            if (index == self) {
                vt_vctx_error(c, v,
                              "'%s' names its own layer; a shader cannot read itself "
                              "(use a PERSISTENT pass for feedback)",
                              label);
                return;
            }
            si->image = VT_SHADER_IMAGE_LAYER;
            si->layer = index;
        }
        return;
    }
    if (!has_image_extension(v->text)) {
        vt_vctx_error(c, v,
                      "'%s': '%s' is not a PNG or JPEG file name; an image input takes below, "
                      "a layer id or a .png/.jpg image",
                      label, shown);
        return;
    }
    vt_error err = {0};
    si->path = vt_xstrdup(v->text);
    vt_status st = vt_path_confine(c->dir, v->text, &si->file, &err);
    if (st == VT_OK || st == VT_E_NOINPUT) {
        si->image = VT_SHADER_IMAGE_FILE;
    }
    if (st == VT_E_NOINPUT) {
        missing(c, v, "image file", shown, si->file ? NULL : err.message);
    } else if (st != VT_OK) {
        vt_vctx_error(c, v, "%s", err.message);
    }
}

static void read_inputs(vt_vctx *c, const vt_ynode *map, uint32_t index, vt_layer *layer) {
    vt_shader *sh = layer->shader;
    const vt_isf *isf = sh->isf;
    if (!map || vt_ynode_is_null(map)) {
        return;
    }
    if (map->kind != VT_YNODE_MAP) {
        vt_type_error(c, "inputs", map, "a mapping of the shader's input names to values",
                      "like {speed: 0.4, tint: \"#3a7bd5\"}");
        return;
    }
    const char **names = vt_xcalloc(isf ? isf->n_inputs + 1 : 1, sizeof *names);
    for (size_t i = 0; isf && i < isf->n_inputs; i++) {
        names[i] = isf->inputs[i].name;
    }
    for (size_t i = 0; i < map->count; i++) {
        const vt_ynode *key = map->pairs[i].key, *v = map->pairs[i].value;
        char shown[64], label[96], list[256];
        vt_yshow(key->text, key->len, shown, sizeof shown);
        const vt_isf_input *in = isf ? vt_isf_find_input(isf, key->text) : NULL;
        if (!isf) {
            continue; /* the file is missing: said once already */
        }
        if (!in) {
            const char *near = vt_did_you_mean(key->text, names, isf->n_inputs);
            vt_join_names(names, isf->n_inputs, list, sizeof list);
            if (near) {
                vt_vctx_error(c, key, "'%s' has no input '%s'; did you mean '%s'?", sh->shown_path,
                              shown, near);
            } else {
                vt_vctx_error(c, key, "'%s' has no input '%s'; its inputs: %s", sh->shown_path,
                              shown, isf->n_inputs ? list : "none");
            }
            continue;
        }
        size_t k = (size_t)(in - isf->inputs);
        vt_shader_input *si = &sh->inputs[k];
        snprintf(label, sizeof label, "%s.inputs.%s", layer->id ? layer->id : "?", in->name);
        si->line = v->line;
        si->col = v->col;
        if (in->type == VT_ISF_IMAGE) {
            image_value(c, v, index, si, label);
        } else {
            double out[4];
            if (vt_input_value(c, v, index, (vt_prop)(VT_PROP_INPUT + k), label, false, out)) {
                memcpy(si->v, out, sizeof out);
            }
        }
    }
    free(names);
}

/* IMPORTED images live beside the .fs file, inside the scene's folder. */
static void resolve_imported(vt_vctx *c, const vt_ynode *at, vt_layer *layer) {
    vt_shader *sh = layer->shader;
    if (!sh->isf || !sh->isf->n_imported) {
        return;
    }
    const char *slash = strrchr(layer->src, '/');
    size_t dir_len = slash ? (size_t)(slash - layer->src) + 1 : 0;
    sh->imported_files = vt_xcalloc(sh->isf->n_imported, sizeof *sh->imported_files);
    for (size_t i = 0; i < sh->isf->n_imported; i++) {
        const vt_isf_imported *im = &sh->isf->imported[i];
        char *rel = vt_xasprintf("%.*s%s", (int)dir_len, layer->src, im->path);
        vt_error err = {0};
        vt_status st = vt_path_confine(c->dir, rel, &sh->imported_files[i], &err);
        if (st == VT_E_NOINPUT && sh->imported_files[i]) {
            missing(c, at, "IMPORTED image", rel, NULL);
        } else if (st != VT_OK) {
            vt_vctx_error(c, at, "IMPORTED image '%s' of '%s': %s", im->name, sh->shown_path,
                          err.message);
        }
        free(rel);
    }
}

static void finish_layer(vt_vctx *c, const vt_ynode *map, uint32_t index, vt_layer *layer) {
    vt_scene *s = vt_sread(c)->scene;
    vt_shader *sh = layer->shader;
    if (!layer->has_size) {
        layer->props.size = (vt_vec2){s->width, s->height};
    }
    const vt_ypair *tl = vt_ymap_find(map, "timeline");
    if (tl && vt_read_string(c, "timeline", tl->value)) {
        uint32_t t;
        if (vt_ref_timeline(c, tl->value, tl->value->text, &t)) {
            layer->timeline = t;
        }
    }
    if (sh->isf) {
        sh->input_count = sh->isf->n_inputs;
        sh->inputs = vt_xcalloc(sh->input_count ? sh->input_count : 1, sizeof *sh->inputs);
        for (size_t i = 0; i < sh->input_count; i++) {
            const vt_isf_input *in = &sh->isf->inputs[i];
            default_value(in, layer, sh->inputs[i].v);
            if (in->type == VT_ISF_IMAGE && strcmp(in->name, "inputImage") == 0) {
                sh->inputs[i].image = VT_SHADER_IMAGE_BELOW;
            }
        }
    }
    const vt_ypair *inputs = vt_ymap_find(map, "inputs");
    read_inputs(c, inputs ? inputs->value : NULL, index, layer);
    const vt_ypair *src = vt_ymap_find(map, "src");
    resolve_imported(c, src ? src->value : map, layer);
}

void vt_shader_layer_finish(vt_vctx *c, const vt_ynode *map, uint32_t index, vt_layer *layer) {
    finish_layer(c, map, index, layer);
}

void vt_shaders_finish(vt_vctx *c, const vt_ynode *root) {
    vt_scene *s = vt_sread(c)->scene;
    const vt_ypair *layers = vt_ymap_find(root, "layers");
    if (!layers || layers->value->kind != VT_YNODE_SEQ || layers->value->count != s->layer_count) {
        return;
    }
    for (size_t i = 0; i < s->layer_count; i++) {
        const vt_ynode *map = layers->value->items[i];
        vt_layer *layer = &s->layers[i];
        if (map->kind == VT_YNODE_MAP && layer->shader) {
            snprintf(c->where, sizeof c->where, " in layer '%s'", layer->id ? layer->id : "?");
            finish_layer(c, map, (uint32_t)i, layer);
            c->where[0] = '\0';
        }
    }
}

/* "waves.inputs.speed": the input's property, reported with a "did you mean". A shader whose
 * file is missing (a warning outside `check`) knows no inputs: the target is dropped with a
 * warning. */
bool vt_input_target_parse(vt_vctx *c, const vt_ynode *v, uint32_t layer, const char *name,
                           vt_prop *prop) {
    const vt_scene *s = vt_sread(c)->scene;
    const vt_layer *l = &s->layers[layer];
    char shown[64], list[256];
    vt_yshow(v->text, v->len, shown, sizeof shown);
    if (!l->shader) {
        vt_vctx_error(c, v,
                      "target '%s': layer '%s' is not a shader layer; only shader "
                      "layers have inputs",
                      shown, l->id ? l->id : "?");
        return false;
    }
    const vt_isf *isf = l->shader->isf;
    if (!isf) {
        vt_vctx_warning(c, v, "target '%s' is ignored: the shader of layer '%s' could not be read",
                        shown, l->id ? l->id : "?");
        return false;
    }
    for (size_t i = 0; i < isf->n_inputs; i++) {
        if (strcmp(isf->inputs[i].name, name) == 0) {
            *prop = (vt_prop)(VT_PROP_INPUT + i);
            return true;
        }
    }
    const char **names = vt_xcalloc(isf->n_inputs + 1, sizeof *names);
    for (size_t i = 0; i < isf->n_inputs; i++) {
        names[i] = isf->inputs[i].name;
    }
    const char *near = vt_did_you_mean(name, names, isf->n_inputs);
    vt_join_names(names, isf->n_inputs, list, sizeof list);
    if (near) {
        vt_vctx_error(c, v, "target '%s': '%s' has no input '%s'; did you mean '%s'?", shown,
                      l->shader->shown_path, name, near);
    } else {
        vt_vctx_error(c, v, "target '%s': '%s' has no input '%s'; its inputs: %s", shown,
                      l->shader->shown_path, name, isf->n_inputs ? list : "none");
    }
    free(names);
    return false;
}

vt_prop vt_prop_shape(const vt_scene *s, uint32_t layer, vt_prop prop) {
    const vt_isf_input *in = input_of(s, layer, prop);
    return VT_PROP_IS_INPUT(prop) ? (in ? vt_input_shape(in) : VT_PROP_COUNT) : prop;
}

void vt_shader_layer_free(vt_layer *layer) {
    vt_shader *sh = layer->shader;
    if (!sh) {
        return;
    }
    for (size_t i = 0; i < sh->input_count; i++) {
        free(sh->inputs[i].path);
        free(sh->inputs[i].file);
    }
    for (size_t i = 0; sh->imported_files && i < sh->isf->n_imported; i++) {
        free(sh->imported_files[i]);
    }
    free(sh->imported_files);
    free(sh->vertex);
    free(sh->vertex_path);
    free(sh->vertex_shown);
    free(sh->inputs);
    free(sh->src_path);
    free(sh->shown_path);
    vt_isf_free(sh->isf);
    free(sh);
    layer->shader = NULL;
}
