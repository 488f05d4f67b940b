/* Scenes: the scene file (format vitrine/1, a restricted YAML profile read with libyaml's event
 * API) parsed with every value's line:col, validated as a whole, and the resulting vt_scene. */
#ifndef VT_SCENE_H
#define VT_SCENE_H

#include "core/vt_core.h"
#include "hours/vt_hours.h"
#include "isf/vt_isf.h"
#include "scene/vt_ease.h"
#include "scene/vt_output.h"
#include "text/vt_text.h"

typedef enum vt_layer_type {
    VT_LAYER_IMAGE,
    VT_LAYER_RECT,
    VT_LAYER_TEXT,      /* typeset text (issue #5) */
    VT_LAYER_CAPTIONS,  /* the WebVTT cue active at its timeline's time, styled like text */
    VT_LAYER_SHADER,    /* an ISF or Shadertoy-style fragment shader (issue #16) */
    VT_LAYER_VIDEO,     /* a film (issue #14): its picture at the film's time */
    VT_LAYER_SLIDESHOW, /* only while loading: made into image layers and a timeline */
} vt_layer_type;
typedef enum vt_fit { VT_FIT_FILL, VT_FIT_CONTAIN, VT_FIT_COVER, VT_FIT_NONE } vt_fit;
typedef enum vt_filter { VT_FILTER_LINEAR, VT_FILTER_NEAREST } vt_filter;
/* canvas.depth: the bits a channel the frame is composited in; auto: 16 for a scene that shows a
 * 16-bit picture (with dither on), else 8. */
typedef enum vt_depth { VT_DEPTH_AUTO, VT_DEPTH_8, VT_DEPTH_16 } vt_depth;
typedef enum vt_blend {
    VT_BLEND_NORMAL,
    VT_BLEND_ADD,
    VT_BLEND_MULTIPLY,
    VT_BLEND_SCREEN
} vt_blend;

/* The properties a timeline may animate (later issue); the draw list carries these. */
typedef struct vt_layer_props {
    vt_vec2 position; /* canvas pixels of the anchor point */
    vt_vec2 anchor;   /* 0..1 within the layer's box */
    vt_vec2 size;     /* box size in canvas pixels (image: its own size when not given) */
    vt_vec2 scale;
    double rotation; /* degrees, clockwise, about the anchor */
    double opacity;  /* 0..1 */
    vt_color color;  /* rect fill; multiplies an image */
    bool visible;
    double radius; /* rounded corners, canvas pixels (rect, image; 0: square) */
    /* Text layers (the loader copies the style's `size` and `letter_spacing` here, so tracks
     * move them; the text is laid out again when they change). */
    double reveal;         /* 0..1: how much of the text shows, unit by unit (default 1) */
    double text_size;      /* em size, 1..2000; 0: the style's */
    double letter_spacing; /* canvas pixels, -100..1000 */
} vt_layer_props;

/* ---- Shapes (scene_shape.c): borders, gradients and shadows of rects and images ---- */

#define VT_GRADIENT_MAX_STOPS 8
typedef enum vt_gradient_kind {
    VT_GRADIENT_NONE, /* the rect is filled with `color` */
    VT_GRADIENT_LINEAR,
    VT_GRADIENT_RADIAL,
} vt_gradient_kind;

typedef struct vt_gradient_stop {
    double at; /* 0..1 along the gradient, non-decreasing */
    vt_color color;
} vt_gradient_stop;

/* `fill: {linear: {angle, stops}}` or `fill: {radial: {center, stops}}` (rects); `color` tints it.
 */
typedef struct vt_gradient {
    vt_gradient_kind kind;
    double angle;   /* linear: degrees clockwise from "to the top" (CSS); default 180 */
    vt_vec2 center; /* radial: 0..1 within the box; default [0.5, 0.5] */
    vt_gradient_stop stops[VT_GRADIENT_MAX_STOPS];
    size_t stop_count; /* 2.. when kind != NONE */
} vt_gradient;

typedef struct vt_border {
    double width; /* canvas pixels, inside the box; 0: none */
    vt_color color;
} vt_border;

typedef enum vt_mask_mode { VT_MASK_ALPHA, VT_MASK_LUMINANCE } vt_mask_mode;
/* `wrap` (images): the picture repeats beyond its box along these axes, across the canvas. */
typedef enum vt_wrap { VT_WRAP_NONE, VT_WRAP_X, VT_WRAP_Y, VT_WRAP_BOTH } vt_wrap;

/* The shadow of the layer's box, as CSS box-shadow: offset (turning with the layer), blurred,
 * drawn outside the box only. */
typedef struct vt_shadow {
    bool on;
    vt_vec2 offset; /* canvas pixels; default [0, 8] */
    double blur;    /* canvas pixels, twice the Gaussian's sigma (CSS); default 16 */
    vt_color color; /* default #00000080 */
} vt_shadow;

/* ---- Text and captions layers ---- */

/* How a text or captions layer is set. Every field is filled with its default by the loader. */
typedef enum vt_typography { VT_TYPOGRAPHY_ON, VT_TYPOGRAPHY_OFF } vt_typography;
/* The units a text's `reveal` shows one after the other, in reading order. */
typedef enum vt_reveal_by { VT_REVEAL_CHARACTER, VT_REVEAL_WORD, VT_REVEAL_LINE } vt_reveal_by;

/* A font for one language (`font: {ar: "Noto Naskh Arabic", fr: fonts/Marianne.otf}`). */
typedef struct vt_lang_font {
    char *lang;      /* BCP 47 tag, as written */
    char *font;      /* a family, or a font file as written */
    char *font_path; /* a font file: resolved and confined to the scene's folder; else NULL */
} vt_lang_font;

typedef struct vt_text_style {
    char *font;               /* fontconfig family name ("DejaVu Serif"); default "DejaVu Sans" */
    vt_lang_font *lang_fonts; /* `font` written per language: the shown text's language picks
                                 its font; languages not listed keep `font` (the default) */
    size_t lang_font_count;
    char *font_path;          /* when `font` names a .ttf/.otf/.ttc file: resolved and confined to
                                 the scene's folder (then `font` is the path as written); else NULL */
    int weight;               /* 100..900; `regular` 400 (default), `bold` 700 */
    bool italic;              /* default false */
    double size;              /* em size in canvas pixels, 1..2000 (default 48) */
    vt_text_align align;      /* default start */
    double line_height;       /* times size, 0.5..5 (default 1.25) */
    double letter_spacing;    /* canvas pixels added between letters, -100..1000 (default 0) */
    int max_lines;            /* 0: no limit; overflow ends with an ellipsis */
    bool hyphenate;           /* hyphenate justified text (fr: Debian's patterns); default false */
    vt_typography typography; /* smart punctuation (fr, en), French spacing; default on */
    vt_color plate;           /* captions: a contrast plate behind the text (default #000000b3);
                                 alpha 0: none. Text layers: default none */
    double plate_padding;     /* canvas pixels around the text on the plate (default 0.4 x size) */
    vt_reveal_by reveal_by;   /* text: the unit `reveal` counts (default character) */
    vt_ease reveal_ease;      /* text: how each unit fades in over its share (default linear) */
} vt_text_style;

/* One language version of a text (`text: "..."` or `text: {fr: "...", en: "..."}`) or of a
 * captions layer (`src: file.vtt` or `src: {fr: a.vtt, en: b.vtt}`). */
typedef struct vt_text_variant {
    uint32_t lang;  /* index into scene->languages */
    char *text;     /* text layers: the text as written (valid UTF-8, checked at load) */
    char *src;      /* captions: the WebVTT file as written */
    char *src_path; /*   resolved and confined to the scene's folder */
    vt_vtt vtt;     /*   its cues, parsed at load (empty when the file is missing/broken) */
    int line, col;  /* where the value is written */
} vt_text_variant;

/* ---- Shader layers (scene_shader.c) ---- */

/* What an image input of a shader shows. */
typedef enum vt_shader_image {
    VT_SHADER_IMAGE_NONE,  /* transparent black */
    VT_SHADER_IMAGE_BELOW, /* what the layers beneath it drew (default for `inputImage`) */
    VT_SHADER_IMAGE_LAYER, /* another layer's picture: `layer` */
    VT_SHADER_IMAGE_FILE,  /* an image file: `path` as written, `file` resolved and confined */
} vt_shader_image;

/* One input of a shader layer: the ISF header's default unless the scene's `inputs:` gives it.
 * Values use the layout of the layer property of the same shape, so tracks and `set` move them
 * like any property: float, long, bool and event in v[0]; point2D in v[0..1] as fractions of
 * the layer's box, y down (like `anchor`); color in v[0..3] as sRGB-encoded 0..255, straight
 * alpha (like `color`). */
typedef struct vt_shader_input {
    double v[4];
    vt_shader_image image;
    uint32_t layer; /* VT_SHADER_IMAGE_LAYER */
    char *path;     /* VT_SHADER_IMAGE_FILE, as written */
    char *file;     /*   resolved (confined to the scene's folder) */
    int line, col;  /* where the scene gives it; 0 for a default */
} vt_shader_input;

typedef struct vt_shader {
    char *src_path;          /* the .fs file, resolved (layer->src is the path as written) */
    char *shown_path;        /* the path messages name: src from the scene's folder */
    vt_isf *isf;             /* the parsed header and body; NULL when missing or broken */
    vt_shader_input *inputs; /* isf->n_inputs (none without isf) */
    size_t input_count;
    char **imported_files; /* isf->n_imported IMPORTED images, resolved beside the .fs */
    char *vertex;          /* the ISF vertex shader beside the .fs (same name, .vs), or NULL */
    char *vertex_path;     /*   resolved */
    char *vertex_shown;    /*   as messages name it */
    double resolution;     /* pixels relative to the render scale, 0.05..4 (default 1) */
} vt_shader;

/* ---- Gestures and feedback (scene_gesture.c) ---- */

typedef enum vt_axis { VT_AXIS_BOTH, VT_AXIS_X, VT_AXIS_Y } vt_axis;

/* What fingers and the wheel do to a layer (`drag`, `scroll`, `pinch`): they set its position
 * and scale as a `set` action would (a timeline started later takes them over). */
typedef struct vt_gesture {
    bool drag;        /* one finger moves it */
    bool scroll;      /* one finger or the wheel moves it along `axis` */
    bool pinch;       /* two fingers zoom it about their middle (and move it); the wheel too */
    vt_axis axis;     /* drag: both (default), x or y; scroll: y (default) or x */
    double bounds[4]; /* x0, y0, x1, y1: its position (anchor point) stays inside; default:
                         the canvas */
    double step;      /* scroll: canvas pixels one wheel notch moves it (default 60) */
    double scale_min; /* pinch: the scale it zooms between (default 1 and 4) */
    double scale_max;
} vt_gesture;

typedef struct vt_style vt_style; /* below, after the properties */

typedef struct vt_layer {
    char *id;
    vt_layer_type type;
    char *src;      /* image, video: the path as written in the scene (NULL for rect) */
    char *src_path; /* image, video: resolved path (scene folder + src), confined to the folder */
    bool has_size;  /* size given in the scene (else the image's or film's own size, at build) */
    vt_fit fit;
    vt_filter filter;
    vt_blend blend;
    bool hit;             /* catches touches and clicks (default true; `hit: false`) */
    vt_layer_props props; /* the values the scene file gives; text: `box` is props.size and
                             `color` props.color (default #ffffff) */
    /* Text and captions layers (zero for the others). */
    char *lang; /* the layer's own `lang` (BCP 47) as written, or NULL */
    vt_text_style text;
    vt_text_variant *variants; /* at least one; the layer shows the one of the current language,
                                  else the one in the layer's `lang`, else the first */
    size_t variant_count;
    uint32_t timeline; /* captions: the timeline whose time picks the cue (`timeline: story`);
                          shader: TIME counts from its start; video: the timeline the film
                          follows; UINT32_MAX: scene time */
    vt_shader *shader; /* shader layers; NULL for the others */
    /* Video layers (zero for the others). */
    bool loop;   /* plays again from its start after its end, seamlessly (default false) */
    vt_ticks at; /* with a timeline: where in the timeline the film starts (default 0) */
    /* Gestures and feedback: NULL when not given. */
    vt_gesture *gesture;
    vt_style *pressed;  /* while a finger that landed on it is down (eased in and out) */
    vt_style *selected; /* while its choice (a language, a state) is the current one */
    int line, col;      /* where the layer's mapping starts in the scene file */
    /* Shapes (rect, image; zero: none): `radius` is props.radius. */
    vt_gradient fill;
    vt_border border;
    vt_shadow shadow;
    /* Masks (scene_shape.c): `mask: LAYER` draws this layer through that layer's alpha (or
     * luminance), inverted or not; a layer that masks others is not drawn by itself. */
    bool masked;
    uint32_t mask; /* masked: the masking layer */
    vt_mask_mode mask_mode;
    bool mask_invert;
    bool is_mask; /* some layer's mask */
    vt_wrap wrap; /* images: tiles of the picture fill the canvas along x, y or both */
} vt_layer;

/* ---- Motion and interaction: timelines, triggers, states ---- */

/* The animatable layer properties ("title.opacity"). */
typedef enum vt_prop {
    VT_PROP_POSITION,       /* v[0..1] */
    VT_PROP_SIZE,           /* v[0..1] */
    VT_PROP_ANCHOR,         /* v[0..1] */
    VT_PROP_SCALE,          /* v[0..1] (a single number n is written [n, n]) */
    VT_PROP_ROTATION,       /* v[0] */
    VT_PROP_OPACITY,        /* v[0] */
    VT_PROP_COLOR,          /* v[0..3]: r, g, b, a as sRGB-encoded 0..255 (straight alpha) */
    VT_PROP_VISIBLE,        /* v[0]: 0 or 1; always a step (hold) */
    VT_PROP_RADIUS,         /* v[0]: canvas pixels, 0 or more */
    VT_PROP_REVEAL,         /* v[0]: 0..1 (text) */
    VT_PROP_LETTER_SPACING, /* v[0]: canvas pixels (text, captions) */
    VT_PROP_TEXT_SIZE,      /* v[0]: em size (text, captions: written `size`, their box `box`) */
    VT_PROP_COUNT, /* the layer properties end here (also: a target that did not resolve) */
    /* Sound properties ("sea.gain"), on tracks whose `sound` is true; no layer has them. */
    VT_PROP_GAIN,      /* v[0]: 0..4, multiplies the sound's gain */
    VT_PROP_PITCH,     /* v[0]: 0.25..4, multiplies the sound's pitch */
    VT_PROP_POSITION3, /* v[0..2]: metres, replaces the sound's position */
    /* Shader inputs ("waves.inputs.speed"): VT_PROP_INPUT + the input's index in the layer's
     * shader (vt_shader.inputs), values laid out as vt_shader_input.v. */
    VT_PROP_INPUT = 256,
} vt_prop;
#define VT_PROP_IS_INPUT(p) ((p) >= VT_PROP_INPUT && (p) < VT_PROP_INPUT + VT_ISF_MAX_ITEMS)

/* `pressed:` or `selected:`: property values that replace the layer's while it applies. */
struct vt_style {
    uint32_t props;             /* bit 1 << prop for each property given */
    double v[VT_PROP_COUNT][4]; /* by the layout of vt_key.v */
    bool by_state;              /* selected: while the state is `index`, else the language */
    uint32_t index;
};

typedef struct vt_key {
    vt_ticks t;   /* from the timeline's start, within [0, duration] */
    double v[4];  /* the value, by the property's layout above */
    vt_ease ease; /* applied on the segment that ends at this key (ignored on the first) */
    int line, col;
} vt_key;

typedef struct vt_track {
    uint32_t layer; /* index into scene->layers (scene->sounds when `sound`) */
    vt_prop prop;
    vt_prop shape; /* how its values move between keys: prop itself, or for a shader input the
                      layer property of its shape (opacity: a number; anchor: a point; color:
                      a colour, in linear light; visible: a step, for bool, long and event) */
    bool sound;    /* the target is a sound ("sea.gain"): prop is a sound property */
    vt_key *keys;  /* at least one, in increasing t */
    size_t key_count;
    int line, col;
} vt_track;

typedef struct vt_timeline {
    char *id;
    vt_ticks duration; /* > 0 */
    int plays;         /* how many times it plays in all: 1 (loop: false), N, 0 = forever */
    bool autoplay;
    vt_track *tracks; /* may be empty: a timeline can carry time for sounds and cues */
    size_t track_count;
    int line, col;
} vt_timeline;

/* Built-in states are attract (index 0) and active (1); a scene may add its own after them. */
#define VT_STATE_ATTRACT 0u
#define VT_STATE_ACTIVE 1u

typedef struct vt_states {
    char **names; /* names[0] = "attract", names[1] = "active", then the scene's own */
    size_t count;
    uint32_t initial;    /* default attract */
    vt_ticks idle_after; /* visitor input silence that sends the show back to attract; 0: never
                            (default 60 s) */
    bool idle_during_playback; /* false (default): the silence counts from the end of the
                                  stories started for the visitor, not from their last input */
} vt_states;

/* `touch: anywhere`: a touch or click wherever it lands, on a layer or not. */
#define VT_WHEN_ANYWHERE UINT32_MAX

typedef enum vt_when_kind {
    VT_WHEN_KEY,          /* name: a key name, lower case */
    VT_WHEN_TOUCH,        /* index: the layer (touch or click on it, hit-tested), or
                             VT_WHEN_ANYWHERE */
    VT_WHEN_ENTER,        /* index: a state */
    VT_WHEN_LEAVE,        /* index: a state */
    VT_WHEN_TIMELINE_END, /* index: a timeline (at the end of its last play) */
    VT_WHEN_IDLE,         /* idle: this long without visitor input (fires once per silence) */
    VT_WHEN_START,        /* when the scene starts */
    VT_WHEN_OSC,          /* name: an OSC address ("/room/door"), remote or scripted */
    VT_WHEN_SWIPE,        /* name: left, right, up or down; index: the layer the finger landed
                             on (`on: LAYER`), or VT_WHEN_ANYWHERE */
} vt_when_kind;

typedef struct vt_when {
    vt_when_kind kind;
    char name[32];
    uint32_t index;
    vt_ticks idle;
} vt_when;

typedef enum vt_action_kind {
    VT_DO_PLAY,     /* target: timeline; from: restart at `at` when has_at, else resume/start */
    VT_DO_STOP,     /* target: timeline */
    VT_DO_PAUSE,    /* target: timeline */
    VT_DO_RESUME,   /* target: timeline */
    VT_DO_SEEK,     /* target: timeline; at */
    VT_DO_STATE,    /* target: state */
    VT_DO_SET,      /* target: layer; prop; v */
    VT_DO_LANGUAGE, /* target: index into scene->languages (`{language: en}`) */
    /* Sounds share the id namespace: play/stop/pause/resume/seek name a timeline or a sound;
     * `sound` tells which (target then indexes scene->sounds). */
} vt_action_kind;

typedef struct vt_action {
    vt_action_kind kind;
    uint32_t target;
    bool sound; /* play/stop/pause/resume: target is a sound, not a timeline */
    bool has_at;
    vt_ticks at;
    vt_prop prop;
    double v[4];
    int line, col;
} vt_action;

typedef struct vt_trigger {
    vt_when when;
    vt_action *actions; /* run in order, within the same frame */
    size_t action_count;
    int line, col;
} vt_trigger;

/* ---- Energy: the curatorial side of the energy governor (the scene's `energy:` block) ---- */

typedef enum vt_energy_actuator {
    VT_ENERGY_FPS,
    VT_ENERGY_SCALE,
    VT_ENERGY_BRIGHTNESS
} vt_energy_actuator;

/* Every field is filled by the loader with its default when the scene does not give it. */
typedef struct vt_energy {
    double budget_watts;   /* 0: none (default) */
    int fps_max, fps_min;  /* default: canvas fps, 10 */
    double scale_min;      /* default 0.5 */
    double brightness_min; /* default 0.6 */
    vt_energy_actuator degrade[3];
    size_t degrade_count;      /* default 2: fps, scale */
    bool attract_full;         /* `attract: full`: no frugal caps in attract */
    int attract_fps;           /* default 12 */
    double attract_scale;      /* default 0.6 */
    double attract_brightness; /* default 1.0 (no cap) */
    int line, col;             /* the `energy` key; 0 when absent */
} vt_energy;

/* ---- Sound (issue #6) ---- */

typedef enum vt_rolloff {
    VT_ROLLOFF_INVERSE, /* OpenAL's inverse distance clamped (default) */
    VT_ROLLOFF_LINEAR,
    VT_ROLLOFF_EXPONENTIAL,
    VT_ROLLOFF_NONE,
} vt_rolloff;

typedef struct vt_bus {
    char *name;
    double gain; /* 0..4 (the scene's level; the operator config may lower it further) */
    int line, col;
} vt_bus;

typedef enum vt_language_switch {
    VT_SWITCH_CROSSFADE, /* the other file takes over at the same position (0.25 s crossfade) */
    VT_SWITCH_RESTART,   /* the other file starts from its beginning (sounds without timeline) */
} vt_language_switch;

typedef struct vt_sound {
    char *id;
    char *src;          /* as written */
    char *src_path;     /* resolved, confined to the scene's folder */
    double gain;        /* linear 0..4, default 1 */
    double pitch;       /* 0.25..4, default 1 */
    bool loop;          /* default false */
    bool autoplay;      /* default false (a sound with a timeline follows the timeline instead) */
    bool spatial;       /* `position` given: placed in 3-D; else played as is (not spatialised) */
    double position[3]; /* metres; listener at the origin facing -z, +x to its right */
    vt_rolloff rolloff;
    double ref_distance, max_distance, rolloff_factor; /* defaults 1, 20, 1 */
    vt_ticks fade_in, fade_out;                        /* default 0 */
    uint32_t bus;      /* index into scene->buses; UINT32_MAX: none */
    uint32_t timeline; /* starts, seeks, pauses and stops with it; UINT32_MAX: free-running */
    vt_ticks at;       /* with a timeline: where in the timeline the sound starts */
    /* Spoken languages (`src: {fr: a.ogg, en: b.ogg}`): the scene holds one sound per file.
     * The one written keeps its index and id and speaks the default language (else the first
     * listed); the others are appended after the scene's own sounds, with ids like
     * "narration[en]" that nothing can name, and follow it in everything (actions, tracks,
     * timeline): the player gives the current language's file the sound's gain. */
    bool spoken;                  /* one of the files of a sound with one per language */
    uint32_t variant_of;          /* spoken: the sound written in the file (maybe itself) */
    uint32_t lang;                /* spoken: the language, an index into scene->languages */
    vt_language_switch on_switch; /* what a language switch does to the playing file */
    /* A video layer's `sound`: the film's own sound track, appended after the scene's sounds
     * (and their languages' files) with the id "LAYER[film]"; src_path is the film, and its
     * timeline, `at`, loop and language follow the layer's, so it plays with the pictures. */
    bool film;
    uint32_t layer; /* film: the video layer */
    int line, col;
} vt_sound;

typedef struct vt_scene {
    char *path;  /* the scene file as named by the user */
    char *dir;   /* its folder: assets resolve against it */
    char *title; /* may be NULL */
    int width, height;
    vt_color background;
    int fps;
    bool dither;      /* canvas.dither (default true): 16-bit images dithered to the 8-bit output */
    vt_depth depth;   /* canvas.depth (default auto) */
    vt_layer *layers; /* back to front */
    size_t layer_count;
    vt_timeline *timelines;
    size_t timeline_count;
    vt_trigger *triggers; /* in file order: triggers firing on the same frame run in this order */
    size_t trigger_count;
    vt_states states;
    vt_energy energy;
    vt_schedule schedule; /* opening hours; !present when the scene has none */
    /* Languages met in the scene (top-level `language:`, layers' `lang`, translations' keys),
     * as written (BCP 47); languages[0] is the scene's default: `language:`, else the first
     * met. Empty when the scene has no text. */
    char **languages;
    size_t language_count;
    vt_sound *sounds;
    size_t sound_count;
    vt_bus *buses;
    size_t bus_count;
    double listener[3]; /* `listener: {position: [x, y, z]}`; default origin */
    vt_outputs outputs; /* `outputs:`, the artist's default projectors; count 0: none */
} vt_scene;

typedef enum vt_scene_flags {
    /* A missing asset is an error (vitrine check) rather than a warning (play, render: a
     * placeholder is drawn and the show goes on). */
    VT_SCENE_STRICT_ASSETS = 1 << 0,
} vt_scene_flags;

/* Limits of the restricted YAML profile. */
#define VT_SCENE_MAX_BYTES (8u * 1024u * 1024u)
#define VT_SCENE_MAX_DEPTH 32
#define VT_SCENE_MAX_NODES 200000

/* Reads, parses and validates a scene file. Every problem found is added to `diags` (all of
 * them, not only the first, as "path:line:col" diagnostics). Returns VT_OK with *out set when
 * the scene has no errors (warnings allowed); VT_E_NOINPUT when the file cannot be read;
 * VT_E_DATAERR when it has errors (*out is NULL). */
vt_status vt_scene_load(const char *path, unsigned flags, vt_scene **out, vt_diags *diags);

/* Same from text in memory; `path` names it in messages and its folder is the asset base. */
vt_status vt_scene_load_string(const char *text, size_t len, const char *path, unsigned flags,
                               vt_scene **out, vt_diags *diags);

void vt_scene_destroy(vt_scene *scene);

/* A `set` action from outside the scene file (remote control): `target` is LAYER.PROPERTY
 * ("title.opacity"), `value` a YAML value ("0.5", "[10, 20]", "'#ff8800'", "true") checked as
 * the scene's own `set` checks it. VT_OK, or VT_E_DATAERR with what is wrong in err. */
vt_status vt_scene_set_action(const vt_scene *sc, const char *target, const char *value,
                              vt_action *out, vt_error *err);

/* Parses "#rrggbb" or "#rrggbbaa" (case-insensitive). */

/* For each layer, the first image layer that shows the same file (its own index when none),
 * so a file is decoded once and its texture shared; free() the array. */
size_t *vt_scene_image_first_users(const vt_scene *scene);

#endif
