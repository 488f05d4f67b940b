/* Scenes: the scene file (format vitrine/1, a restricted YAML profile read with libyaml's event
 * API) parsed with every value's line:col, validated as a whole, and the resulting vt_scene. */
#ifndef VT_SCENE_H
#define VT_SCENE_H

#include "core/vt_core.h"
#include "hours/vt_hours.h"
#include "scene/vt_ease.h"
#include "text/vt_text.h"

typedef enum vt_layer_type {
    VT_LAYER_IMAGE,
    VT_LAYER_RECT,
    VT_LAYER_TEXT,     /* typeset text (issue #5) */
    VT_LAYER_CAPTIONS, /* the WebVTT cue active at its timeline's time, styled like text */
    VT_LAYER_VIDEO,    /* a film (issue #14): its picture at the film's time */
} vt_layer_type;
typedef enum vt_fit { VT_FIT_FILL, VT_FIT_CONTAIN, VT_FIT_COVER, VT_FIT_NONE } vt_fit;
typedef enum vt_filter { VT_FILTER_LINEAR, VT_FILTER_NEAREST } vt_filter;
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
} vt_layer_props;

/* ---- Text and captions layers ---- */

/* How a text or captions layer is set. Every field is filled with its default by the loader. */
typedef struct vt_text_style {
    char *font;            /* fontconfig family name ("DejaVu Serif"); default "DejaVu Sans" */
    char *font_path;       /* when `font` names a .ttf/.otf/.ttc file: resolved and confined to
                              the scene's folder (then `font` is the path as written); else NULL */
    int weight;            /* 100..900; `regular` 400 (default), `bold` 700 */
    bool italic;           /* default false */
    double size;           /* em size in canvas pixels, 1..2000 (default 48) */
    vt_text_align align;   /* default start */
    double line_height;    /* times size, 0.5..5 (default 1.25) */
    double letter_spacing; /* canvas pixels added between letters, -100..1000 (default 0) */
    int max_lines;         /* 0: no limit; overflow ends with an ellipsis */
    bool hyphenate;        /* hyphenate justified text (fr: Debian's patterns); default false */
    vt_color plate;        /* captions: a contrast plate behind the text (default #000000b3);
                              alpha 0: none. Text layers: default none */
    double plate_padding;  /* canvas pixels around the text on the plate (default 0.4 x size) */
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
                          video: the timeline the film follows; UINT32_MAX: scene time */
    /* Video layers (zero for the others). */
    bool loop;     /* plays again from its start after its end, seamlessly (default false) */
    vt_ticks at;   /* with a timeline: where in the timeline the film starts (default 0) */
    int line, col; /* where the layer's mapping starts in the scene file */
} vt_layer;

/* ---- Motion and interaction: timelines, triggers, states ---- */

/* The animatable layer properties ("title.opacity"). */
typedef enum vt_prop {
    VT_PROP_POSITION, /* v[0..1] */
    VT_PROP_SIZE,     /* v[0..1] */
    VT_PROP_ANCHOR,   /* v[0..1] */
    VT_PROP_SCALE,    /* v[0..1] (a single number n is written [n, n]) */
    VT_PROP_ROTATION, /* v[0] */
    VT_PROP_OPACITY,  /* v[0] */
    VT_PROP_COLOR,    /* v[0..3]: r, g, b, a as sRGB-encoded 0..255 (straight alpha) */
    VT_PROP_VISIBLE,  /* v[0]: 0 or 1; always a step (hold) */
    VT_PROP_COUNT,    /* the layer properties end here (also: a target that did not resolve) */
    /* Sound properties ("sea.gain"), on tracks whose `sound` is true; no layer has them. */
    VT_PROP_GAIN,      /* v[0]: 0..4, multiplies the sound's gain */
    VT_PROP_PITCH,     /* v[0]: 0.25..4, multiplies the sound's pitch */
    VT_PROP_POSITION3, /* v[0..2]: metres, replaces the sound's position */
} vt_prop;

typedef struct vt_key {
    vt_ticks t;   /* from the timeline's start, within [0, duration] */
    double v[4];  /* the value, by the property's layout above */
    vt_ease ease; /* applied on the segment that ends at this key (ignored on the first) */
    int line, col;
} vt_key;

typedef struct vt_track {
    uint32_t layer; /* index into scene->layers (scene->sounds when `sound`) */
    vt_prop prop;
    bool sound;   /* the target is a sound ("sea.gain"): prop is a sound property */
    vt_key *keys; /* at least one, in increasing t */
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
} vt_states;

typedef enum vt_when_kind {
    VT_WHEN_KEY,          /* name: a key name, lower case */
    VT_WHEN_TOUCH,        /* index: the layer (touch or click on it, hit-tested) */
    VT_WHEN_ENTER,        /* index: a state */
    VT_WHEN_LEAVE,        /* index: a state */
    VT_WHEN_TIMELINE_END, /* index: a timeline (at the end of its last play) */
    VT_WHEN_IDLE,         /* idle: this long without visitor input (fires once per silence) */
    VT_WHEN_START,        /* when the scene starts */
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
    int line, col;
} vt_sound;

typedef struct vt_scene {
    char *path;  /* the scene file as named by the user */
    char *dir;   /* its folder: assets resolve against it */
    char *title; /* may be NULL */
    int width, height;
    vt_color background;
    int fps;
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

/* Parses "#rrggbb" or "#rrggbbaa" (case-insensitive). */

/* For each layer, the first image layer that shows the same file (its own index when none),
 * so a file is decoded once and its texture shared; free() the array. */
size_t *vt_scene_image_first_users(const vt_scene *scene);

#endif
