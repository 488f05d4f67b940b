/* Scenes: the scene file (format vitrine/1, a restricted YAML profile read with libyaml's event
 * API) parsed with every value's line:col, validated as a whole, and the resulting vt_scene. */
#ifndef VT_SCENE_H
#define VT_SCENE_H

#include "core/vt_core.h"

typedef struct vt_vec2 {
    double x, y;
} vt_vec2;

/* 8-bit sRGB-encoded colour, straight alpha. */
typedef struct vt_color {
    uint8_t r, g, b, a;
} vt_color;

typedef enum vt_layer_type { VT_LAYER_IMAGE, VT_LAYER_RECT } vt_layer_type;
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

typedef struct vt_layer {
    char *id;
    vt_layer_type type;
    char *src;      /* image: the path as written in the scene (NULL for rect) */
    char *src_path; /* image: resolved path (scene folder + src), confined to the folder */
    bool has_size;  /* size given in the scene (else the image's own size, set at build) */
    vt_fit fit;
    vt_filter filter;
    vt_blend blend;
    vt_layer_props props; /* the values the scene file gives */
    int line, col;        /* where the layer's mapping starts in the scene file */
} vt_layer;

typedef struct vt_scene {
    char *path;  /* the scene file as named by the user */
    char *dir;   /* its folder: assets resolve against it */
    char *title; /* may be NULL */
    int width, height;
    vt_color background;
    int fps;
    vt_layer *layers; /* back to front */
    size_t layer_count;
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
bool vt_color_parse(const char *text, vt_color *out);

#endif
