/* The document kit: YAML files under a restricted profile turned into nodes that keep their
 * line:col (libyaml stays private to it), and table-driven validation of mappings that collects
 * every problem as a positioned diagnostic. Used by the scene format, the operator config and
 * opening hours; it knows none of them. */
#ifndef VT_DOC_H
#define VT_DOC_H

#include "core/vt_core.h"

/* ---- The YAML tree ---- */

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
    int line, col;     /* 1-based */
    size_t start, end; /* the node's bytes in the file, [start, end) (flow collections and
                          scalars exactly; a block collection's end may take what follows) */
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
vt_status vt_ytree_read_file(const char *path, const vt_ytree_limits *lim, char **text, size_t *len,
                             vt_diags *diags);

/* Does scalar `n` hold exactly the text `s`? */
bool vt_ynode_is(const vt_ynode *n, const char *s);
/* Is `n` a plain empty scalar, `~` or `null`: a key written without a value? */
bool vt_ynode_is_null(const vt_ynode *n);
/* A short, printable rendering of user text for messages: control characters become '?', long
 * text is cut (at a UTF-8 boundary) and ends with "...". Returns buf. */
const char *vt_yshow(const char *s, size_t len, char *buf, size_t cap);
/* What a node is, for "must be X, not Y": "a string", "a number", "a sequence", "empty"... */
const char *vt_ynode_describe(const vt_ynode *n);

/* ---- Editing a file in place ---- */

/* One replacement: bytes [start, end) of the file become `text`. */
typedef struct vt_doc_edit {
    size_t start, end;
    const char *text;
} vt_doc_edit;

/* The file with each edit applied, everything else (comments, layout) byte for byte; edits in
 * increasing order, not overlapping, inside the text (else NULL). *out_len gets the length;
 * free() the result. */
char *vt_doc_splice(const char *text, size_t len, const vt_doc_edit *edits, size_t count,
                    size_t *out_len);

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

struct vt_vctx {
    const char *path; /* as named by the user, for diagnostics */
    const char *dir;  /* the file's folder: assets resolve against it */
    unsigned flags;   /* the format's own flags (vt_scene_flags) */
    vt_diags *diags;
    char where[96]; /* " in layer 'sea'", " in 'canvas'" or "": appended to messages */
    void *format;   /* what the format reading the file keeps while it reads (the scene's ids...) */
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
#define VT_FIELD_LATER(name)                                                                       \
    { name, vt_field_later, 0, .allowed = VT_VARIANT_ALL }

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

/* "#rrggbb" or "#rrggbbaa" into *out; false when it is not one. */
bool vt_color_parse(const char *text, vt_color *out);

/* Strict number syntax: [+-]digits[.digits][e[+-]digits] (or [+-].digits...), no leading
 * zeros, no hex, no underscores. Returns 1 for a finite number, 0 when not a number,
 * -1 when it looks like one but is not finite (1e999, .inf, .nan). */
int vt_number_parse(const char *s, size_t len, double *out);

/* The most watts a budget may name (scene and operator config alike). */
#define VT_ENERGY_MAX_WATTS 100000.0
/* Reads a power budget in watts: more than 0, at most VT_ENERGY_MAX_WATTS. */
bool vt_read_watts(vt_vctx *c, const char *key, const vt_ynode *v, double *out);

#endif
