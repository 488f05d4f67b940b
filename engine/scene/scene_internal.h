/* Private to the scene module: the YAML tree (libyaml events turned into nodes that keep their
 * line:col, under the restricted profile) and the table-driven validation of mappings. */
#ifndef VT_SCENE_INTERNAL_H
#define VT_SCENE_INTERNAL_H

#include "scene/vt_scene.h"

/* ---- The YAML tree: reusable for any file that follows the restricted profile ---- */

typedef enum vt_ynode_kind {
    VT_YNODE_SCALAR,
    VT_YNODE_MAP,
    VT_YNODE_SEQ,
    VT_YNODE_BAD, /* stands in for a refused node (an alias): already reported, skip it */
} vt_ynode_kind;

typedef struct vt_ynode vt_ynode;

typedef struct vt_ypair {
    vt_ynode *key; /* always a scalar: other keys are refused while parsing */
    vt_ynode *value;
} vt_ypair;

struct vt_ynode {
    vt_ynode_kind kind;
    int line, col; /* 1-based */
    /* Scalar: the text (NUL-terminated, but may hold NULs: use len) and whether it was plain,
     * i.e. unquoted, which is what makes `60` a number and `true` a boolean. */
    char *text;
    size_t len;
    bool plain;
    vt_ynode **items; /* sequence items */
    vt_ypair *pairs;  /* mapping pairs, in file order, duplicate keys removed */
    size_t count;     /* items or pairs */
    size_t cap;
};

typedef struct vt_ytree_limits {
    size_t max_bytes;
    int max_depth; /* the top collection is at depth 1 */
    size_t max_nodes;
    const char *what; /* "scene": names the file in the size message */
} vt_ytree_limits;

/* Parses `text` into a tree. Profile breaches (anchors, aliases, tags, merge keys, duplicate or
 * non-scalar keys, a second document) are added to diags and parsing goes on; a syntax error or
 * a limit (size, depth, nodes) is added and stops it: *fatal is then true. *out is the root
 * (NULL for an empty file or after a fatal error); free it with vt_ytree_free. */
void vt_ytree_parse(const char *text, size_t len, const char *path, const vt_ytree_limits *lim,
                    vt_ynode **out, bool *fatal, vt_diags *diags);
void vt_ytree_free(vt_ynode *node);
/* The diagnostic for a file over lim->max_bytes, at 1:1 (also used when reading from disk). */
void vt_ytree_too_large(const char *path, const vt_ytree_limits *lim, vt_diags *diags);

/* Reads a file for parsing under lim->max_bytes; problems (missing, unreadable, too large)
 * become one diagnostic naming the file. VT_OK, VT_E_NOINPUT or VT_E_DATAERR. */
vt_status vt_ytree_read_file(const char *path, const vt_ytree_limits *lim, char **text,
                             size_t *len, vt_diags *diags);

/* Does scalar `n` hold exactly the text `s`? */
bool vt_ynode_is(const vt_ynode *n, const char *s);
/* Is `n` a plain empty scalar, `~` or `null`: a key written without a value? */
bool vt_ynode_is_null(const vt_ynode *n);
/* A short, printable rendering of user text for messages: control characters become '?', long
 * text is cut (at a UTF-8 boundary) and ends with "...". Returns buf. */
const char *vt_yshow(const char *s, size_t len, char *buf, size_t cap);
/* What a node is, for "must be X, not Y": "a string", "a number", "a sequence", "empty"... */
const char *vt_ynode_describe(const vt_ynode *n);

/* ---- Validation: one table per kind of mapping (at most 64 fields each) ---- */

typedef struct vt_vctx vt_vctx;
typedef struct vt_field vt_field;

/* Reads node `v`, the value of field `f`, into `obj` (at f->offset, or as it sees fit). Problems
 * go to the context's diags; returns false when the value was refused. */
typedef bool (*vt_field_fn)(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj);

struct vt_field {
    const char *key;
    vt_field_fn parse;
    size_t offset;
    double min, max;          /* numbers: the accepted range */
    const char *const *names; /* enums: valid names, NULL-terminated; index = enum value */
    const char *noun;         /* enums: "layer type"; shapes: an example, "[1920, 1080]" */
    unsigned allowed;         /* variants (e.g. 1 << layer type) where the key may appear */
    unsigned required;        /* variants where it must appear */
};

#define VT_VARIANT_ALL 0xffffffffu

typedef struct vt_table {
    const vt_field *fields;
    size_t count;
    const char *const *variant_names; /* "image", "rect": for "not allowed in a rect layer" */
    const char *kind;                 /* "layer": for "... in a rect layer" */
} vt_table;

/* What an id of the scene's one namespace names. */
typedef enum vt_id_kind { VT_ID_LAYER, VT_ID_TIMELINE, VT_ID_SOUND } vt_id_kind;

typedef struct vt_id_entry {
    const char *id;
    int line, col;
    vt_id_kind kind;
    uint32_t index; /* into scene->layers or scene->timelines */
} vt_id_entry;

struct vt_vctx {
    const char *path; /* as named by the user, for diagnostics */
    const char *dir;  /* the scene's folder: assets resolve against it */
    unsigned flags;   /* vt_scene_flags */
    vt_diags *diags;
    vt_scene *scene;
    char where[96];   /* " in layer 'sea'", " in 'canvas'" or "": appended to messages */
    vt_id_entry *ids; /* the scene's id namespace: open addressing, power-of-two size */
    size_t id_cap, id_count;
    /* Read after the layers and timelines whatever their place in the file, because they
     * refer to them: the values of the top-level keys states, timelines and triggers. */
    const vt_ynode *states, *timelines, *triggers;
    size_t captions_bytes; /* the captions files read so far (VT_SCENE_MAX_CAPTIONS_BYTES) */
    /* Sounds name buses and timelines: read after both (scene_sound.c). */
    const vt_ynode *sounds, *buses;
};

void vt_vctx_error(vt_vctx *c, const vt_ynode *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void vt_vctx_warning(vt_vctx *c, const vt_ynode *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Walks mapping `map` with `table` for variant bit `variant`: each key is looked up, x- keys
 * skipped, unknown keys reported with a suggestion, values handed to their field's parser;
 * then missing required keys are reported at the mapping. Keys named in `skip` (NULL-terminated,
 * may be NULL) were handled by the caller. Returns the bit set of the fields given (by index). */
uint64_t vt_table_apply(vt_vctx *c, const vt_table *table, unsigned variant, const vt_ynode *map,
                        void *obj, const char *const *skip);
/* The pair of `map` whose key is `key`, or NULL. */
const vt_ypair *vt_ymap_find(const vt_ynode *map, const char *key);

/* Registers a scene-wide id naming scene->layers[index] or scene->timelines[index]; reports a
 * duplicate at `at`. Returns false on a duplicate. */
bool vt_vctx_claim_id(vt_vctx *c, const char *id, const vt_ynode *at, vt_id_kind kind,
                      uint32_t index);
/* The entry of a claimed id, or NULL. */
const vt_id_entry *vt_vctx_find_id(const vt_vctx *c, const char *id);
void vt_vctx_free(vt_vctx *c);

/* Does s[0..len) follow the id syntax: a letter or '_', then letters, digits, '_' and '-'? */
bool vt_id_syntax_ok(const char *s, size_t len);
/* Reads a string value that must follow the id syntax; `noun` names it in the message ("id",
 * "state name"). Reports and returns false otherwise. */
bool vt_read_id(vt_vctx *c, const char *key, const vt_ynode *v, const char *noun);
/* "a, b, c" into buf (cut short when it does not fit). */
void vt_join_names(const char *const *names, size_t count, char *buf, size_t cap);

/* Generic field parsers (scene_fields.c). */
bool vt_field_string(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj); /* char* */
bool vt_field_int(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj);    /* int */
bool vt_field_number(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj); /* double */
bool vt_field_vec2(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj);   /* vt_vec2 */
bool vt_field_scale(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj);  /* vt_vec2 */
bool vt_field_color(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj);  /* vt_color */
bool vt_field_bool(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj);   /* bool */
/* [w, h] of integers in [f->min, f->max] into out (not a table parser: the caller stores). */
bool vt_field_int_pair(vt_vctx *c, const vt_field *f, const vt_ynode *v, int out[2]);
bool vt_field_enum(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj); /* int enum */
/* Accepts any value and reads nothing: the key is known to the table (so unknown keys and
 * suggestions stay right) but its value is read afterwards, by code that needs other keys. */
bool vt_field_later(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj);
#define VT_FIELD_LATER(name) {name, vt_field_later, 0, .allowed = VT_VARIANT_ALL}

/* Reads one number from `v` for field `key`, checking it is finite, in [min, max] and, when
 * `integer`, whole. Reports and returns false otherwise. */
bool vt_read_number(vt_vctx *c, const char *key, const vt_ynode *v, double min, double max,
                    bool integer, double *out);
/* "'fps' must be an integer, not a string" (or "got 'text'", or "has no value"); `fix`, when
 * not NULL, is appended after "; ". Nothing for an alias, which was reported already. */
void vt_type_error(vt_vctx *c, const char *key, const vt_ynode *v, const char *expected,
                   const char *fix);
/* Reads the value of a string field: any non-empty scalar without NUL bytes. */
bool vt_read_string(vt_vctx *c, const char *key, const vt_ynode *v);

/* Reads seconds from `v` for `key` in [min, max] into ticks (rounded to the nearest tick). */
bool vt_read_seconds(vt_vctx *c, const char *key, const vt_ynode *v, double min, double max,
                     vt_ticks *out);

/* ---- Layers, motion and interaction (scene_load.c, scene_refs.c, scene_motion.c,
 * scene_triggers.c) ---- */

/* The layer table's field for `key` ("opacity"), or NULL: timelines and `set` validate values
 * exactly like the layer keys they animate. */
const vt_field *vt_layer_field(const char *key);
extern const char *const vt_prop_names[VT_PROP_COUNT + 1]; /* "position"..., NULL */

/* References by name, reported at `v` with a "did you mean" when they do not resolve. `ctx`
 * (may be "") is appended to the "unknown ..." message: " in target 'titel.opacity'". */
bool vt_ref_layer(vt_vctx *c, const vt_ynode *v, const char *id, const char *ctx, uint32_t *out);
bool vt_ref_timeline(vt_vctx *c, const vt_ynode *v, const char *id, uint32_t *out);
bool vt_ref_state(vt_vctx *c, const vt_ynode *v, const char *name, uint32_t *out);
/* A timeline or a sound (the ids actions name); *kind tells which. */
bool vt_ref_timeline_or_sound(vt_vctx *c, const vt_ynode *v, const char *id, uint32_t *out,
                              vt_id_kind *kind);

/* The target written in scalar `v` ("title.opacity") -> layer index and property. */
bool vt_target_parse(vt_vctx *c, const vt_ynode *v, uint32_t *layer, vt_prop *prop);
/* A value for property `prop` (a key's v, a `set` value) into out[4], checked like the layer
 * key; `label` names it in messages ("title.opacity"). */
bool vt_prop_value(vt_vctx *c, const vt_ynode *v, vt_prop prop, const char *label, double out[4]);

/* The top-level `timelines` mapping, in two steps: claiming the ids (in file order with the
 * layers, so the later of two equal ids is the duplicate), then, once every layer is known,
 * reading the timelines themselves. */
void vt_timelines_claim(vt_vctx *c, const vt_ynode *map);
void vt_timelines_parse(vt_vctx *c);
/* Fills scene->states (defaults when `states` is not given), then scene->triggers. */
void vt_states_parse(vt_vctx *c);
void vt_triggers_parse(vt_vctx *c);
/* Frees what the motion parts of a scene hold (timelines, triggers, states). */
void vt_motion_free(vt_scene *scene);

/* ---- Text and captions layers, languages (scene_text.c) ---- */

/* Limits that keep a hostile scene from costing unbounded time or memory. */
#define VT_SCENE_MAX_LANGUAGES 100
#define VT_SCENE_MAX_CAPTIONS_BYTES ((size_t)64 << 20)

/* Layer-table parsers of the text keys (obj is the vt_layer): `text` (a string or a mapping of
 * language tags to strings), `lang`, `font` (a family, or a font file confined to the scene's
 * folder), `weight`, the em `size`, `plate` (a colour or false), captions' `src` (a .vtt file or
 * one per language, parsed at load) and `timeline` (resolved by vt_text_finish). */
bool vt_field_text(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj);
bool vt_field_lang(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj);
bool vt_field_font(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj);
bool vt_field_weight(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj);
bool vt_field_text_size(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj);
bool vt_field_plate(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj);
bool vt_field_captions_src(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj);
bool vt_field_text_later(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj);
/* Before a text or captions layer's keys are read: the style's defaults. */
void vt_text_layer_begin(vt_layer *layer);
/* After them: defaults that depend on other keys (plate padding, font), variants' languages. */
void vt_text_layer_end(vt_vctx *c, vt_layer *layer, bool has_box);
/* Once every layer and timeline id is known, before the triggers: the top-level `language`
 * (put first in scene->languages), captions' timelines, missing translations (warnings). */
void vt_text_finish(vt_vctx *c, const vt_ynode *root);
/* BCP 47 syntax: 2-3 letter primary subtag, then 1-8 letters or digits per subtag. */
bool vt_lang_tag_ok(const char *s, size_t len);
/* A language of the scene by tag (case-insensitive), reported with a "did you mean". */
bool vt_ref_language(vt_vctx *c, const vt_ynode *v, const char *tag, uint32_t *out);
/* What a layer's text parts and the scene's languages hold (any layer type). */
void vt_text_layer_free(vt_layer *layer);
void vt_languages_free(vt_scene *scene);
/* ---- Sound (scene_sound.c) ---- */

/* The top-level `sounds` sequence, in two steps like the timelines: claiming the ids (in file
 * order with the layers and timelines), then, once the timelines and `buses` are known,
 * reading the sounds themselves. `listener` and `buses` are read by their table fields. */
void vt_sounds_claim(vt_vctx *c, const vt_ynode *seq);
void vt_sounds_parse(vt_vctx *c);
bool vt_field_listener(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj);
void vt_sound_free(vt_scene *scene);
/* A timeline or a sound (play, stop, pause, resume, seek name either): *is_sound tells which.
 * A sound that follows a timeline is refused: actions move its timeline instead. */
bool vt_ref_playable(vt_vctx *c, const vt_ynode *v, const char *id, uint32_t *out, bool *is_sound);
/* A track's target: "sea.gain" on a sound (*sound set true), else as vt_target_parse. */
bool vt_track_target_parse(vt_vctx *c, const vt_ynode *v, uint32_t *index, vt_prop *prop,
                           bool *sound);
/* A key value for a sound property into out[4]; `label` names it ("sea.gain"). */
bool vt_sound_prop_value(vt_vctx *c, const vt_ynode *v, vt_prop prop, const char *label,
                         double out[4]);
/* The farthest a sound or the listener may be placed, in metres. */
#define VT_SOUND_MAX_METRES 10000.0

/* ---- Energy (scene_energy.c) ---- */

/* Fills scene->energy from the top-level `energy` pair (NULL when absent: every default), once
 * the canvas is read, because fps.max defaults to and may not exceed the canvas fps. */
void vt_energy_parse(vt_vctx *c, const vt_ypair *energy);
/* The most watts a budget may name (scene and operator config alike). */
#define VT_ENERGY_MAX_WATTS 100000.0
/* Reads a power budget in watts: more than 0, at most VT_ENERGY_MAX_WATTS. */
bool vt_read_watts(vt_vctx *c, const char *key, const vt_ynode *v, double *out);

/* The longest time a scene may name (timeline durations, idle times): about 11.5 days. */
#define VT_SCENE_MAX_SECONDS 1e6
/* Reads a length of time in seconds, more than 0 and at most VT_SCENE_MAX_SECONDS. */
bool vt_read_span(vt_vctx *c, const char *key, const vt_ynode *v, vt_ticks *out);
/* Reads a time within timeline `tl` (NULL or without a duration: within 0..1e6 s). */
bool vt_read_time_in(vt_vctx *c, const char *key, const vt_ynode *v, const vt_timeline *tl,
                     vt_ticks *out);

/* Strict number syntax: [+-]digits[.digits][e[+-]digits] (or [+-].digits...), no leading
 * zeros, no hex, no underscores. Returns 1 for a finite number, 0 when not a number,
 * -1 when it looks like one but is not finite (1e999, .inf, .nan). */
int vt_number_parse(const char *s, size_t len, double *out);

#endif
