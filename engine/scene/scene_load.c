/* Scene files, format vitrine/1: the tables that describe each mapping (scene, canvas, layer),
 * their special fields (format, ids, asset paths), and loading a file into a vt_scene. The
 * motion and interaction parts are read by scene_motion.c and scene_triggers.c, the energy
 * block by scene_energy.c. */
#include "io/vt_io.h"
#include "scene/scene_internal.h"
#include "hours/vt_hours.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FORMAT_V1 "vitrine/1"
#define ANY VT_VARIANT_ALL
#define IMAGE (1u << VT_LAYER_IMAGE)
#define RECT (1u << VT_LAYER_RECT)
#define TEXT (1u << VT_LAYER_TEXT)
#define CAPTIONS (1u << VT_LAYER_CAPTIONS)
#define VIDEO (1u << VT_LAYER_VIDEO)
#define TEXTS (TEXT | CAPTIONS)
#define SHADER (1u << VT_LAYER_SHADER)
#define SLIDESHOW (1u << VT_LAYER_SLIDESHOW)

static const vt_ytree_limits scene_limits = {VT_SCENE_MAX_BYTES, VT_SCENE_MAX_DEPTH,
                                             VT_SCENE_MAX_NODES, "scene"};

/* ---- special fields ---- */

static bool field_id(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    char **dst = (char **)((char *)obj + f->offset);
    if (!vt_read_id(c, f->key, v, "id")) {
        return false;
    }
    *dst = vt_xstrdup(v->text);
    uint32_t index = (uint32_t)((vt_layer *)obj - vt_sread(c)->scene->layers);
    return vt_vctx_claim_id(c, *dst, v, VT_ID_LAYER, index);
}

static bool has_image_extension(const char *path) {
    const char *dot = strrchr(path, '.');
    static const char *const exts[] = {".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff"};
    for (size_t i = 0; dot && !strchr(dot, '/') && i < sizeof exts / sizeof *exts; i++) {
        if (strcasecmp(dot, exts[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* An image path: confined to the scene's folder; a missing file is an error only in strict
 * mode, because play and render draw a placeholder and the show goes on. */
static bool field_src(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    vt_layer *layer = obj;
    char shown[64];
    if (layer->type == VT_LAYER_CAPTIONS) {
        return vt_field_captions_src(c, f, v, obj);
    }
    if (layer->type == VT_LAYER_SHADER) {
        return vt_field_shader_src(c, f, v, obj);
    }
    if (layer->type == VT_LAYER_VIDEO) {
        return vt_field_video_src(c, f, v, obj);
    }
    if (!vt_read_string(c, f->key, v)) {
        return false;
    }
    layer->src = vt_xstrdup(v->text);
    vt_yshow(v->text, v->len, shown, sizeof shown);
    vt_error err = {0};
    vt_status st = vt_path_confine(c->dir, v->text, &layer->src_path, &err);
    if (st != VT_OK && st != VT_E_NOINPUT) {
        vt_vctx_error(c, v, "%s", err.message);
        return false;
    }
    bool ok = true;
    if (st == VT_E_NOINPUT) {
        vt_diag_level level = c->flags & VT_SCENE_STRICT_ASSETS ? VT_DIAG_ERROR : VT_DIAG_WARNING;
        ok = level != VT_DIAG_ERROR;
        if (layer->src_path) {
            vt_diags_add(c->diags, level, c->path, v->line, v->col,
                         "image file '%s' not found (looked in %s)", shown, c->dir);
        } else {
            vt_diags_add(c->diags, level, c->path, v->line, v->col, "%s", err.message);
        }
    }
    if (!has_image_extension(layer->src)) {
        vt_vctx_error(c, v,
                      "'%s' is not an image file name Vitrine reads; 'src' takes a .png, "
                      ".jpg, .jpeg, .webp, .tif or .tiff image",
                      shown);
        ok = false;
    }
    return ok;
}

/* Text and captions layers: `size` is the em size; their box is `box`. */
static bool field_size(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    const vt_layer *layer = obj;
    if (layer->type == VT_LAYER_TEXT || layer->type == VT_LAYER_CAPTIONS) {
        return vt_field_text_size(c, f, v, obj);
    }
    return vt_field_vec2(c, f, v, obj);
}

/* ---- layers ---- */

static const char *const layer_types[] = {"image",  "rect",  "text",      "captions",
                                          "shader", "video", "slideshow", NULL};
static const char *const fits[] = {"fill", "contain", "cover", "none", NULL};
static const char *const filters[] = {"linear", "nearest", NULL};
static const char *const depths[] = {"auto", "8", "16", NULL};
static const char *const blends[] = {"normal", "add", "multiply", "screen", NULL};
static const char *const typographies[] = {"on", "off", NULL};
static const char *const aligns[] = {"start", "end", "left", "center", "right", "justify", NULL};
static const char *const wraps[] = {"none", "x", "y", "both", NULL};
static const char *const reveal_units[] = {"character", "word", "line", NULL};

#define LP(member) offsetof(vt_layer, props.member)
#define TS(member) offsetof(vt_layer, text.member)
static const vt_field layer_fields[] = {
    {"id", field_id, offsetof(vt_layer, id), .allowed = ANY, .required = ANY},
    {"type", vt_field_enum, offsetof(vt_layer, type), .names = layer_types, .noun = "layer type",
     .allowed = ANY, .required = ANY},
    {"src", field_src, 0, .allowed = IMAGE | CAPTIONS | SHADER | VIDEO,
     .required = IMAGE | CAPTIONS | SHADER | VIDEO},
    {"position", vt_field_vec2, LP(position), -1e6, 1e6, .noun = "[960, 540]", .allowed = ANY},
    {"anchor", vt_field_vec2, LP(anchor), 0, 1, .noun = "[0.5, 0.5]", .allowed = ANY},
    {"size", field_size, LP(size), 0, 1e6, .noun = "[1920, 1080]", .allowed = ANY,
     .required = RECT},
    {"fit", vt_field_enum, offsetof(vt_layer, fit), .names = fits, .noun = "fit",
     .allowed = IMAGE | VIDEO | SLIDESHOW},
    {"filter", vt_field_enum, offsetof(vt_layer, filter), .names = filters, .noun = "filter",
     .allowed = IMAGE | VIDEO | SLIDESHOW},
    {"color", vt_field_color, LP(color), .allowed = ANY},
    {"opacity", vt_field_number, LP(opacity), 0, 1, .allowed = ANY},
    {"rotation", vt_field_number, LP(rotation), -1e6, 1e6, .allowed = ANY},
    {"scale", vt_field_scale, LP(scale), -1e4, 1e4, .noun = "1.5 or [-1, 1]", .allowed = ANY},
    {"blend", vt_field_enum, offsetof(vt_layer, blend), .names = blends, .noun = "blend",
     .allowed = ANY},
    {"visible", vt_field_bool, LP(visible), .allowed = ANY},
    {"hit", vt_field_bool, offsetof(vt_layer, hit), .allowed = ANY},
    /* text and captions (scene_text.c) */
    {"text", vt_field_text, 0, .allowed = TEXT, .required = TEXT},
    {"lang", vt_field_lang, 0, .allowed = TEXTS},
    {"font", vt_field_font, TS(font), .allowed = TEXTS},
    {"weight", vt_field_weight, 0, .allowed = TEXTS},
    {"italic", vt_field_bool, TS(italic), .allowed = TEXTS},
    {"box", vt_field_vec2, LP(size), 0, 1e6, .noun = "[1200, 300]", .allowed = TEXTS},
    {"align", vt_field_enum, TS(align), .names = aligns, .noun = "align", .allowed = TEXTS},
    {"line_height", vt_field_number, TS(line_height), 0.5, 5, .allowed = TEXTS},
    {"letter_spacing", vt_field_number, TS(letter_spacing), -100, 1000, .allowed = TEXTS},
    {"max_lines", vt_field_int, TS(max_lines), 0, 10000, .allowed = TEXTS},
    {"hyphenate", vt_field_bool, TS(hyphenate), .allowed = TEXTS},
    {"typography", vt_field_enum, TS(typography), .names = typographies, .noun = "typography",
     .allowed = TEXTS},
    {"plate", vt_field_plate, TS(plate), .allowed = TEXTS},
    {"plate_padding", vt_field_number, TS(plate_padding), 0, 10000, .allowed = TEXTS},
    {"timeline", vt_field_text_later, 0, .allowed = CAPTIONS | SHADER | VIDEO},
    /* shader (scene_shader.c) */
    {"inputs", vt_field_later, 0, .allowed = SHADER},
    {"resolution", vt_field_shader_resolution, 0, 0.05, 4, .allowed = SHADER},
    /* video (scene_video.c; `timeline` and `at` are read once the timelines are known) */
    {"loop", vt_field_bool, offsetof(vt_layer, loop), .allowed = VIDEO | SLIDESHOW},
    {"at", vt_field_later, 0, .allowed = VIDEO},
    /* gestures and feedback (scene_gesture.c, after the triggers) */
    VT_FIELD_LATER("drag"),
    VT_FIELD_LATER("scroll"),
    VT_FIELD_LATER("pinch"),
    VT_FIELD_LATER("pressed"),
    VT_FIELD_LATER("selected"),
    {"sound", vt_field_later, 0, .allowed = VIDEO}, /* read once the buses are known */
    /* shapes (scene_shape.c) */
    {"radius", vt_field_number, LP(radius), 0, 1e6, .allowed = IMAGE | RECT},
    {"border", vt_field_border, 0, .allowed = IMAGE | RECT},
    {"fill", vt_field_fill, 0, .allowed = RECT},
    {"shadow", vt_field_shadow, 0, .allowed = IMAGE | RECT},
    {"mask", vt_field_later, 0, .allowed = ANY}, /* names a layer: read by vt_masks_finish */
    {"wrap", vt_field_enum, offsetof(vt_layer, wrap), .names = wraps, .noun = "wrap",
     .allowed = IMAGE},
    /* text reveal (scene_text.c) */
    {"reveal", vt_field_number, LP(reveal), 0, 1, .allowed = TEXT},
    {"reveal_by", vt_field_enum, TS(reveal_by), .names = reveal_units, .noun = "reveal unit",
     .allowed = TEXT},
    {"reveal_ease", vt_field_reveal_ease, TS(reveal_ease), .allowed = TEXT},
    /* slideshows (scene_slideshow.c: made into image layers once everything is read) */
    {"items", vt_field_later, 0, .allowed = SLIDESHOW},
    {"folder", vt_field_later, 0, .allowed = SLIDESHOW},
    {"shuffle", vt_field_later, 0, .allowed = SLIDESHOW},
    {"duration", vt_field_later, 0, .allowed = SLIDESHOW},
    {"transition", vt_field_later, 0, .allowed = SLIDESHOW},
    {"ken_burns", vt_field_later, 0, .allowed = SLIDESHOW},
    {"caption_style", vt_field_later, 0, .allowed = SLIDESHOW},
};
#undef LP
#undef TS
enum { LAYER_TYPE_FIELD = 1, LAYER_SIZE_FIELD = 5, LAYER_BOX_FIELD = 20 };
static const vt_table layer_table = {layer_fields, sizeof layer_fields / sizeof *layer_fields,
                                     layer_types, "layer"};

bool vt_field_image_src(vt_vctx *c, const vt_ynode *v, vt_layer *layer) {
    return field_src(c, &layer_fields[2], v, layer);
}

const vt_field *vt_layer_field(const char *key) {
    for (size_t i = 0; i < layer_table.count; i++) {
        if (strcmp(layer_fields[i].key, key) == 0) {
            return &layer_fields[i];
        }
    }
    return NULL;
}

static void layer_defaults(vt_layer *layer, const vt_ynode *map) {
    *layer = (vt_layer){
        .type = VT_LAYER_IMAGE,
        .fit = VT_FIT_FILL,
        .filter = VT_FILTER_LINEAR,
        .blend = VT_BLEND_NORMAL,
        .hit = true,
        .timeline = UINT32_MAX,
        .props = {.scale = {1, 1},
                  .opacity = 1,
                  .color = {255, 255, 255, 255},
                  .visible = true,
                  .reveal = 1},
        .line = map->line,
        .col = map->col,
    };
}

/* Messages about a layer name it by its id when it has a usable one, else by its number. */
static void layer_where(vt_vctx *c, const vt_ynode *map, size_t index) {
    const vt_ypair *id = vt_ymap_find(map, "id");
    char shown[64];
    if (id && id->value->kind == VT_YNODE_SCALAR && !vt_ynode_is_null(id->value)) {
        vt_yshow(id->value->text, id->value->len, shown, sizeof shown);
        snprintf(c->where, sizeof c->where, " in layer '%s'", shown);
    } else {
        snprintf(c->where, sizeof c->where, " in layer #%zu", index + 1);
    }
}

static void parse_layer(vt_vctx *c, const vt_ynode *map, size_t index, vt_layer *layer) {
    static const char *const handled[] = {"type", NULL};
    layer_defaults(layer, map);
    layer_where(c, map, index);
    /* The type decides which keys are allowed and required, so it is read first. */
    unsigned variant = 0;
    const vt_ypair *type = vt_ymap_find(map, "type");
    if (type && vt_field_enum(c, &layer_fields[LAYER_TYPE_FIELD], type->value, layer)) {
        variant = 1u << layer->type;
    }
    bool text = variant & TEXTS;
    if (text) {
        vt_text_layer_begin(layer);
    }
    if (variant & SHADER) {
        vt_shader_layer_begin(layer);
    }
    if (variant & SLIDESHOW) {
        layer->loop = true; /* an attract slideshow goes round */
    }
    uint64_t given = vt_table_apply(c, &layer_table, variant, map, layer, handled);
    layer->has_size = (given >> LAYER_SIZE_FIELD) & 1;
    if (text) {
        vt_text_layer_end(c, layer, (given >> LAYER_BOX_FIELD) & 1);
    }
    c->where[0] = '\0';
}

static bool field_layers(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    vt_scene *scene = obj;
    if (vt_ynode_is_null(v)) {
        return true; /* `layers:` with every entry commented out */
    }
    if (v->kind != VT_YNODE_SEQ) {
        vt_type_error(c, f->key, v, "a sequence", NULL);
        return false;
    }
    scene->layers = vt_xcalloc(v->count, sizeof *scene->layers);
    scene->layer_count = v->count;
    for (size_t i = 0; i < v->count; i++) {
        const vt_ynode *item = v->items[i];
        if (item->kind == VT_YNODE_MAP) {
            parse_layer(c, item, i, &scene->layers[i]);
        } else if (item->kind != VT_YNODE_BAD) {
            vt_vctx_error(c, item, "each layer must be a mapping with an id and a type, not %s",
                          vt_ynode_describe(item));
        }
    }
    return true;
}

/* ---- canvas and the scene ---- */

static bool field_canvas_size(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    vt_scene *scene = obj;
    int wh[2];
    if (!vt_field_int_pair(c, f, v, wh)) {
        return false;
    }
    scene->width = wh[0];
    scene->height = wh[1];
    return true;
}

static const vt_field canvas_fields[] = {
    {"size", field_canvas_size, 0, 1, 16384, .noun = "[1920, 1080]", .allowed = ANY,
     .required = ANY},
    {"background", vt_field_color, offsetof(vt_scene, background), .allowed = ANY},
    {"fps", vt_field_int, offsetof(vt_scene, fps), 1, 240, .allowed = ANY},
    {"dither", vt_field_bool, offsetof(vt_scene, dither), .allowed = ANY},
    {"depth", vt_field_enum, offsetof(vt_scene, depth), .names = depths, .noun = "canvas depth",
     .allowed = ANY},
};
static const vt_table canvas_table = {canvas_fields, 5, NULL, "canvas"};

static bool field_canvas(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    if (v->kind != VT_YNODE_MAP) {
        vt_type_error(c, f->key, v, "a mapping",
                      "write 'size: [1920, 1080]' on the next line, "
                      "indented");
        return false;
    }
    snprintf(c->where, sizeof c->where, " in 'canvas'");
    vt_table_apply(c, &canvas_table, 1, v, obj, NULL);
    c->where[0] = '\0';
    return true;
}

static bool field_format(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    (void)obj;
    char shown[64];
    if (!vt_read_string(c, f->key, v)) {
        return false;
    }
    if (!vt_ynode_is(v, FORMAT_V1)) {
        vt_vctx_error(c, v, "unsupported format '%s'; this version of Vitrine reads " FORMAT_V1,
                      vt_yshow(v->text, v->len, shown, sizeof shown));
        return false;
    }
    return true;
}

/* Timelines, states and triggers refer to layers and to each other: their values are kept and
 * read once every layer is known (see validate_root); timeline ids are claimed here, in file
 * order with the layers' ids. */
static bool field_timelines(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    (void)obj;
    if (vt_ynode_is_null(v)) {
        return true;
    }
    if (v->kind != VT_YNODE_MAP) {
        vt_type_error(c, f->key, v, "a mapping of timeline ids to timelines",
                      "write 'intro:' on the next line, indented, then its 'duration'");
        return false;
    }
    vt_sread(c)->timelines = v;
    vt_timelines_claim(c, v);
    return true;
}

static bool field_states(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    (void)f;
    (void)obj;
    vt_sread(c)->states = v;
    return true;
}

static bool field_triggers(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    (void)f;
    (void)obj;
    vt_sread(c)->triggers = v;
    return true;
}

/* Read after the table (see validate_root): fps.max defaults to the canvas fps. */
static bool field_energy(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    (void)c;
    (void)f;
    (void)v;
    (void)obj;
    return true;
}

/* Sound ids are claimed here, in file order; the sounds are read after the timelines and
 * buses they name (see validate_root). */
static bool field_sounds(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    (void)f;
    (void)obj;
    vt_sounds_claim(c, v);
    return true;
}

static bool field_buses(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    (void)f;
    (void)obj;
    vt_sread(c)->buses = v;
    return true;
}

static const vt_field scene_fields[] = {
    {"format", field_format, 0, .allowed = ANY},
    {"title", vt_field_string, offsetof(vt_scene, title), .allowed = ANY},
    {"canvas", field_canvas, 0, .allowed = ANY, .required = ANY},
    {"layers", field_layers, 0, .allowed = ANY},
    {"timelines", field_timelines, 0, .allowed = ANY},
    {"states", field_states, 0, .allowed = ANY},
    {"triggers", field_triggers, 0, .allowed = ANY},
    {"energy", field_energy, 0, .allowed = ANY},
    {"schedule", field_energy, 0, .allowed = ANY}, /* read after the table too */
    {"language", field_energy, 0, .allowed = ANY}, /* read by vt_text_finish */
    {"sounds", field_sounds, 0, .allowed = ANY},
    {"listener", vt_field_listener, 0, .allowed = ANY},
    {"buses", field_buses, 0, .allowed = ANY},
    {"outputs", field_energy, 0, .allowed = ANY}, /* read after the table (the canvas) */
};
static const vt_table scene_table = {scene_fields, sizeof scene_fields / sizeof *scene_fields, NULL,
                                     "scene"};

static void validate_root(vt_vctx *c, const vt_ynode *root) {
    static const char *const handled[] = {"format", NULL};
    const vt_ypair *format = vt_ymap_find(root, "format");
    if (!format) {
        vt_vctx_error(c, root,
                      "missing required key 'format'; add 'format: " FORMAT_V1
                      "' as the first line");
    } else if (!field_format(c, &scene_fields[0], format->value, NULL)) {
        return; /* another format's keys would only add noise */
    }
    vt_table_apply(c, &scene_table, 1, root, vt_sread(c)->scene, handled);
    vt_states_parse(c);
    vt_shaders_finish(c, root); /* the inputs, before tracks and `set` name them */
    vt_timelines_parse(c);
    vt_text_finish(c, root); /* the languages, before `{language: ...}` actions refer to them */
    vt_video_layers_finish(c, root);
    vt_masks_finish(c, root);
    vt_sounds_parse(c);
    vt_video_sounds_finish(c, root);
    vt_triggers_parse(c);
    vt_gestures_parse(c, root);
    vt_slideshows_expand(c, root); /* last: it renumbers the layers */
    vt_energy_parse(c, vt_ymap_find(root, "energy"));
    const vt_ypair *schedule = vt_ymap_find(root, "schedule");
    if (schedule) {
        vt_schedule_parse(c, schedule, &vt_sread(c)->scene->schedule);
    }
    const vt_ypair *outputs = vt_ymap_find(root, "outputs");
    if (outputs) {
        vt_scene *sc = vt_sread(c)->scene;
        vt_outputs_parse(c, outputs, &sc->outputs);
        if (sc->width > 0 && sc->height > 0) {
            vt_outputs_check_canvas(&sc->outputs, c->path, sc->width, sc->height, c->diags);
        }
    }
}

static vt_scene *build_scene(const vt_ynode *root, const char *path, unsigned flags,
                             vt_diags *diags) {
    vt_scene *scene = vt_xcalloc(1, sizeof *scene);
    scene->path = vt_xstrdup(path);
    scene->dir = vt_path_dirname(path);
    scene->background = (vt_color){0, 0, 0, 255};
    scene->fps = 60;
    scene->dither = true;
    vt_scene_read rd = {.scene = scene};
    vt_vctx c = {.path = path, .dir = scene->dir, .flags = flags, .diags = diags, .format = &rd};
    if (!root) {
        vt_diags_add(diags, VT_DIAG_ERROR, path, 1, 1,
                     "the file is empty; a scene starts with 'format: " FORMAT_V1 "'");
    } else if (root->kind != VT_YNODE_MAP) {
        vt_vctx_error(&c, root,
                      "a scene must be a mapping of keys like "
                      "'format: " FORMAT_V1 "', not %s",
                      vt_ynode_describe(root));
    } else {
        validate_root(&c, root);
    }
    vt_vctx_free(&c);
    return scene;
}

/* ---- public ---- */

vt_status vt_scene_load_string(const char *text, size_t len, const char *path, unsigned flags,
                               vt_scene **out, vt_diags *diags) {
    *out = NULL;
    size_t errors_before = diags->errors;
    vt_ynode *root = NULL;
    bool fatal = false;
    vt_ytree_parse(text ? text : "", text ? len : 0, path, &scene_limits, &root, &fatal, diags);
    vt_scene *scene = fatal ? NULL : build_scene(root, path, flags, diags);
    vt_ytree_free(root);
    vt_diags_sort(diags);
    if (fatal || diags->errors > errors_before) {
        vt_scene_destroy(scene);
        return VT_E_DATAERR;
    }
    *out = scene;
    return VT_OK;
}

vt_status vt_scene_load(const char *path, unsigned flags, vt_scene **out, vt_diags *diags) {
    *out = NULL;
    char *text = NULL;
    size_t len = 0;
    vt_status st = vt_ytree_read_file(path, &scene_limits, &text, &len, diags);
    if (st != VT_OK) {
        return st;
    }
    st = vt_scene_load_string(text, len, path, flags, out, diags);
    free(text);
    return st;
}

void vt_scene_destroy(vt_scene *scene) {
    if (!scene) {
        return;
    }
    for (size_t i = 0; i < scene->layer_count; i++) {
        free(scene->layers[i].id);
        free(scene->layers[i].src);
        free(scene->layers[i].src_path);
        vt_text_layer_free(&scene->layers[i]);
        vt_shader_layer_free(&scene->layers[i]);
        vt_gesture_layer_free(&scene->layers[i]);
    }
    free(scene->layers);
    vt_languages_free(scene);
    vt_motion_free(scene);
    vt_sound_free(scene);
    vt_outputs_free(&scene->outputs);
    free(scene->title);
    free(scene->dir);
    free(scene->path);
    free(scene);
}
