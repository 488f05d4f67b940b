/* Private to the scene module: the scene loader's reading state (its id namespace, the keys
 * read late) and the parsers of each part of the format, on top of the document kit. */
#ifndef VT_SCENE_INTERNAL_H
#define VT_SCENE_INTERNAL_H

#include "doc/vt_doc.h"
#include "scene/vt_scene.h"

/* What an id of the scene's one namespace names. */
typedef enum vt_id_kind { VT_ID_LAYER, VT_ID_TIMELINE, VT_ID_SOUND } vt_id_kind;

typedef struct vt_id_entry {
    const char *id;
    int line, col;
    vt_id_kind kind;
    uint32_t index; /* into scene->layers or scene->timelines */
} vt_id_entry;

/* What the scene loader keeps while it reads a file: vt_vctx.format points at it. */
/* One file of a sound spoken in several languages, while the sounds are read. */
typedef struct vt_spoken {
    uint32_t sound, lang;
    char *src, *src_path;
    const vt_ynode *at, *map; /* its language tag; the `src` mapping */
} vt_spoken;

typedef struct vt_scene_read {
    vt_scene *scene;
    vt_id_entry *ids; /* the scene's id namespace: open addressing, power-of-two size */
    size_t id_cap, id_count;
    /* Read after the layers and timelines whatever their place in the file, because they
     * refer to them: the values of the top-level keys states, timelines and triggers. */
    const vt_ynode *states, *timelines, *triggers;
    size_t captions_bytes; /* the captions files read so far (VT_SCENE_MAX_CAPTIONS_BYTES) */
    /* Sounds name buses and timelines: read after both (scene_sound.c). */
    const vt_ynode *sounds, *buses;
    vt_spoken *spoken; /* the files of `src: {fr: ..., en: ...}`, in file order */
    size_t spoken_count;
} vt_scene_read;

/* The scene loader's state behind a validation context. */
static inline vt_scene_read *vt_sread(const vt_vctx *c) {
    return (vt_scene_read *)c->format;
}

/* Registers a scene-wide id naming scene->layers[index] or scene->timelines[index]; reports a
 * duplicate at `at`. Returns false on a duplicate. */
bool vt_vctx_claim_id(vt_vctx *c, const char *id, const vt_ynode *at, vt_id_kind kind,
                      uint32_t index);
/* The entry of a claimed id, or NULL. */
const vt_id_entry *vt_vctx_find_id(const vt_vctx *c, const char *id);
void vt_vctx_free(vt_vctx *c);
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
/* A value for property `prop` of `layer` (a key's v, a `set` value) into out[4], checked like
 * the layer key (a shader input: by its type); `label` names it in messages ("title.opacity");
 * `in_set` for a `set` action. */
bool vt_prop_value(vt_vctx *c, const vt_ynode *v, uint32_t layer, vt_prop prop, const char *label,
                   bool in_set, double out[4]);

/* A property by the name a target gives it on `layer` (NULL: any layer): on text and captions
 * layers `size` is the em size and `box` the box. False when unknown, or (with *why set) when
 * the layer has no such property. */
bool vt_prop_find(const vt_layer *layer, const char *name, vt_prop *prop, const char **why);
/* An easing: a name ("out-cubic", "steps(4)") or a cubic-bezier [x1, y1, x2, y2]. */
bool vt_ease_read(vt_vctx *c, const vt_ynode *v, vt_ease *out);

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
/* `reveal_ease`: how each unit of a text's reveal fades in (an easing, as in a key). */
bool vt_field_reveal_ease(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj);
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
/* Reads the language tag at `v` (for `key`) and registers it: its index, or UINT32_MAX
 * (reported) when it is not a tag or one too many. */
uint32_t vt_lang_read(vt_vctx *c, const char *key, const vt_ynode *v);
/* A language of the scene by tag (case-insensitive), reported with a "did you mean". */
bool vt_ref_language(vt_vctx *c, const vt_ynode *v, const char *tag, uint32_t *out);
/* What a layer's text parts and the scene's languages hold (any layer type). */
void vt_text_layer_free(vt_layer *layer);
void vt_languages_free(vt_scene *scene);
/* ---- Gestures and feedback (scene_gesture.c) ---- */

/* Once the triggers are read: each layer's drag, scroll, pinch, pressed and selected. */
void vt_gestures_parse(vt_vctx *c, const vt_ynode *root);
void vt_gesture_layer_free(vt_layer *layer);

/* ---- Sound (scene_sound.c) ---- */

/* The top-level `sounds` sequence, in two steps like the timelines: claiming the ids (in file
 * order with the layers and timelines), then, once the timelines and `buses` are known,
 * reading the sounds themselves. `listener` and `buses` are read by their table fields. */
void vt_sounds_claim(vt_vctx *c, const vt_ynode *seq);
void vt_sounds_parse(vt_vctx *c);
bool vt_field_listener(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj);
void vt_sound_free(vt_scene *scene);
/* A video layer's `sound: true | false | {gain, bus, position, rolloff, fade_in, fade_out}`:
 * appends the film's sound (one per language for a film per language) to the scene's sounds. */
void vt_film_sound_add(vt_vctx *c, const vt_ynode *v, uint32_t layer_index);
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

/* ---- Shader layers (scene_shader.c) ---- */

/* Before a shader layer's keys are read: its vt_shader with defaults (and `hit: false`). */
void vt_shader_layer_begin(vt_layer *layer);
/* Layer-table parsers: `src` (the file, its ISF header read and checked) and `resolution`. */
bool vt_field_shader_src(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj);
bool vt_field_shader_resolution(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj);
/* Once every id is known, before timelines and triggers: each shader layer's size (default:
 * the canvas), `timeline`, input defaults from the header, `inputs`, IMPORTED images. */
void vt_shaders_finish(vt_vctx *c, const vt_ynode *root);
/* The same for one shader layer made while loading (a slideshow's transition): `map` gives its
 * `inputs`, `timeline` and where IMPORTED images are reported; `index` is the layer's own. */
void vt_shader_layer_finish(vt_vctx *c, const vt_ynode *map, uint32_t index, vt_layer *layer);
/* "LAYER.inputs.NAME" once the layer is resolved: the input's property. */
bool vt_input_target_parse(vt_vctx *c, const vt_ynode *v, uint32_t layer, const char *name,
                           vt_prop *prop);
/* A value for input property `prop` of `layer`, typed by its header (`in_set`: for a `set`
 * action, where event inputs may be given). */
bool vt_input_value(vt_vctx *c, const vt_ynode *v, uint32_t layer, vt_prop prop, const char *label,
                    bool in_set, double out[4]);
/* The layer property whose layout and motion an input of this type follows. */
vt_prop vt_input_shape(const vt_isf_input *in);
/* A track's shape (vt_track.shape) for `prop` of `layer`; VT_PROP_COUNT when unknown. */
vt_prop vt_prop_shape(const vt_scene *s, uint32_t layer, vt_prop prop);
void vt_shader_layer_free(vt_layer *layer);

/* ---- Energy (scene_energy.c) ---- */

/* Fills scene->energy from the top-level `energy` pair (NULL when absent: every default), once
 * the canvas is read, because fps.max defaults to and may not exceed the canvas fps. */
void vt_energy_parse(vt_vctx *c, const vt_ypair *energy);

/* The longest time a scene may name (timeline durations, idle times): about 11.5 days. */
#define VT_SCENE_MAX_SECONDS 1e6
/* Reads a length of time in seconds, more than 0 and at most VT_SCENE_MAX_SECONDS. */
bool vt_read_span(vt_vctx *c, const char *key, const vt_ynode *v, vt_ticks *out);
/* Reads a time within timeline `tl` (NULL or without a duration: within 0..1e6 s). */
bool vt_read_time_in(vt_vctx *c, const char *key, const vt_ynode *v, const vt_timeline *tl,
                     vt_ticks *out);

/* One value of `src` or `text` (`lang`: its language, or pending when not given by language). */
typedef void (*vt_variant_fn)(vt_vctx *c, vt_layer *layer, const vt_ynode *v, uint32_t lang);
/* A value, or a mapping of language tags to values (each tag registered as a language), each
 * handed to `one` (scene_text.c). */
bool vt_read_layer_variants(vt_vctx *c, const vt_field *f, const vt_ynode *v, vt_layer *layer,
                            vt_variant_fn one, const char *example);
vt_text_variant *vt_layer_push_variant(vt_layer *layer, const vt_ynode *at, uint32_t lang);

/* An image layer's `src` at `v` (a scalar): confined, a missing file a warning (an error in
 * strict mode), the extension checked. */
bool vt_field_image_src(vt_vctx *c, const vt_ynode *v, vt_layer *layer);
/* scene_slideshow.c: each slideshow layer made into one image layer per picture and a
 * timeline that shows them in turn; every reference to a layer renumbered. Run last. */
void vt_slideshows_expand(vt_vctx *c, const vt_ynode *root);

/* scene_video.c: video layers. */
bool vt_field_video_src(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj);
/* Reads each video layer's `timeline` and `at` (after the timelines). */
void vt_video_layers_finish(vt_vctx *c, const vt_ynode *root);
/* Each video layer's `sound`, once the buses are read (after vt_sounds_parse). */
void vt_video_sounds_finish(vt_vctx *c, const vt_ynode *root);

/* scene_shape.c: a layer's `border`, `fill` and `shadow`. */
bool vt_field_border(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj);
bool vt_field_fill(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj);
bool vt_field_shadow(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj);
/* Reads each layer's `mask` (once every layer is known). */
void vt_masks_finish(vt_vctx *c, const vt_ynode *root);

#endif
