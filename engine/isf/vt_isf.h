/* Interactive Shader Format (ISF) files without GL: the JSON header (INPUTS, PASSES, IMPORTED,
 * CATEGORIES, v1 and v2), the GLSL body with the header blanked out, what the body reads (TIME,
 * the date, the pointer...), and the small expression language of a pass's WIDTH and HEIGHT.
 * Shadertoy-style files (a mainImage function, no header) are read here too. */
#ifndef VT_ISF_H
#define VT_ISF_H

#include "core/vt_core.h"

/* The largest ISF file read (header and GLSL together). */
#define VT_ISF_MAX_BYTES (1u << 20)
/* The most inputs, passes and imported images one file may declare. */
#define VT_ISF_MAX_ITEMS 64
/* Pass sizes are clamped to [1, VT_ISF_MAX_SIZE] pixels. */
#define VT_ISF_MAX_SIZE 16384

typedef enum vt_isf_type {
    VT_ISF_EVENT,
    VT_ISF_BOOL,
    VT_ISF_LONG,
    VT_ISF_FLOAT,
    VT_ISF_POINT2D,
    VT_ISF_COLOR,
    VT_ISF_IMAGE,
    VT_ISF_AUDIO,
    VT_ISF_AUDIOFFT,
} vt_isf_type;

/* The spelling of the type in ISF files ("float", "point2D"...). */
const char *vt_isf_type_name(vt_isf_type t);
/* How many numbers a value of this type holds: 1, 2 for point2D, 4 for color, 0 for images. */
int vt_isf_type_arity(vt_isf_type t);

typedef struct vt_isf_input {
    char *name;
    char *label; /* LABEL, or NULL */
    vt_isf_type type;
    /* DEFAULT, MIN, MAX, IDENTITY as numbers (bool: 0 or 1; point2D: x, y; color: r, g, b, a in
     * 0..1); has_* says whether the header gave them. The default is filled in either way
     * (0, or MIN when only that is given; colors default to opaque black). */
    double def[4], min[4], max[4], identity[4];
    bool has_min, has_max, has_identity;
    /* long: VALUES and LABELS (same count; labels default to the values' digits). */
    long *values;
    char **labels;
    size_t n_values;
    int line; /* where its NAME is in the file (1-based), 0 when not found */
} vt_isf_input;

typedef struct vt_isf_pass {
    char *target;     /* TARGET, or NULL for a pass drawn straight into the layer */
    bool persistent;  /* PERSISTENT (or named in a v1 PERSISTENT_BUFFERS) */
    bool is_float;    /* FLOAT: a 32-bit float buffer */
    char *width_expr; /* WIDTH / HEIGHT expressions as written, NULL for $WIDTH / $HEIGHT */
    char *height_expr;
} vt_isf_pass;

typedef struct vt_isf_imported {
    char *name;
    char *path; /* PATH as written, relative to the ISF file's folder */
} vt_isf_imported;

/* What the GLSL body reads, so the player knows whether the layer animates. */
enum {
    VT_ISF_USES_TIME = 1 << 0,     /* TIME, TIMEDELTA, iTime, iTimeDelta, iGlobalTime */
    VT_ISF_USES_FRAME = 1 << 1,    /* FRAMEINDEX, iFrame */
    VT_ISF_USES_DATE = 1 << 2,     /* DATE, iDate */
    VT_ISF_USES_POINTER = 1 << 3,  /* iMouse */
    VT_ISF_USES_FEEDBACK = 1 << 4, /* a persistent buffer: the picture changes every frame */
};

typedef struct vt_isf {
    int isf_version; /* 1 or 2 */
    char *description, *credit;
    char **categories;
    size_t n_categories;
    bool transition;      /* CATEGORIES holds "Transition" */
    bool shadertoy;       /* the body defines mainImage(out vec4, in vec2) */
    bool has_header;      /* a JSON header was found (Shadertoy files may have none) */
    vt_isf_input *inputs; /* Shadertoy-style files without a header: iChannel0..3 they read */
    size_t n_inputs;
    vt_isf_pass *passes; /* at least one: a file without PASSES has one implicit pass */
    size_t n_passes;
    vt_isf_imported *imported;
    size_t n_imported;
    /* The GLSL body: the whole file with the header comment and the #version line replaced by
     * spaces (newlines kept), so a line of `glsl` is the same line of the file. */
    char *glsl;
    char version[32]; /* what followed "#version" ("120", "330 core"), "" when none */
    unsigned uses;    /* VT_ISF_USES_* */
    size_t inputs_cap, imported_cap; /* private: room in inputs and imported */
} vt_isf;

/* Parses an ISF (or Shadertoy-style) file's text. `path` names it in diagnostics. Problems go
 * to `diags` as path:line:col errors (every one found); returns VT_OK, or VT_E_DATAERR when
 * there was an error, in which case *out is left NULL. */
vt_status vt_isf_parse(const char *text, size_t len, const char *path, vt_isf **out,
                       vt_diags *diags);
/* Reads and parses a file (bounded by VT_ISF_MAX_BYTES). */
vt_status vt_isf_load(const char *path, const char *shown_path, vt_isf **out, vt_diags *diags);
void vt_isf_free(vt_isf *isf);

/* ---- built-in effects (shaders/builtin/, embedded at build time) ---- */

/* The text of the built-in ISF effect `name` (as in `builtin:NAME`), or NULL. */
const char *vt_isf_builtin(const char *name);
/* The i-th built-in's name, in alphabetical order; NULL past the last. */
const char *vt_isf_builtin_name(size_t i);

/* Whether a point2D input is in pixels (a MAX, or without one a DEFAULT, beyond 1) rather than
 * normalised 0..1; either way y up, as ISF has it. */
bool vt_isf_point_in_pixels(const vt_isf_input *in);

/* The input called `name`, or NULL. */
const vt_isf_input *vt_isf_find_input(const vt_isf *isf, const char *name);

/* ---- WIDTH / HEIGHT expressions ---- */

/* Looks a $variable up (name without the $); returns false when there is no such variable. */
typedef bool (*vt_isf_lookup)(void *user, const char *name, size_t len, double *out);

/* Evaluates `expr`: numbers, $variables, + - * / %, unary - and +, parentheses, comparisons,
 * && ||, ?:, and the functions floor ceil round trunc abs sign sqrt exp log pow min max clamp
 * mod sin cos tan. On failure returns false and writes why (with the 1-based column) to `why`. */
bool vt_isf_expr_eval(const char *expr, vt_isf_lookup lookup, void *user, double *out, char *why,
                      size_t why_size);

/* The size of pass `index` for a layer of w x h pixels, with the current values of the
 * layer's inputs given by `lookup` ($WIDTH and $HEIGHT are answered here). Clamped to
 * [1, VT_ISF_MAX_SIZE]; an expression that fails or gives no finite number gives w or h. */
void vt_isf_pass_size(const vt_isf *isf, size_t index, int w, int h, vt_isf_lookup lookup,
                      void *user, int *out_w, int *out_h);

#endif
