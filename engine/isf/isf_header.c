/* The ISF JSON header (jansson), v1 and v2: INPUTS, PASSES, IMPORTED, PERSISTENT_BUFFERS,
 * CATEGORIES. Errors are positioned in the ISF file: jansson's line and column are moved to where
 * the header starts, and problems with a value are put on the line that names it. */
#include "isf_internal.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct ctx {
    const char *text; /* the whole file */
    size_t len;
    size_t hdr_start, hdr_end; /* the JSON text: [hdr_start, hdr_end) */
    const char *path;
    vt_diags *diags;
    vt_isf *isf;
} ctx;

static const char *const TYPE_NAMES[] = {"event", "bool",  "long",  "float",   "point2D",
                                         "color", "image", "audio", "audioFFT"};

const char *vt_isf_type_name(vt_isf_type t) {
    return (size_t)t < sizeof TYPE_NAMES / sizeof TYPE_NAMES[0] ? TYPE_NAMES[t] : "?";
}

int vt_isf_type_arity(vt_isf_type t) {
    switch (t) {
    case VT_ISF_POINT2D:
        return 2;
    case VT_ISF_COLOR:
        return 4;
    case VT_ISF_IMAGE:
    case VT_ISF_AUDIO:
    case VT_ISF_AUDIOFFT:
        return 0;
    default:
        return 1;
    }
}

/* 1-based line and column of a byte offset of the file. */
void vt_isf_position(const char *text, size_t off, int *line, int *col) {
    int l = 1, c = 1;
    for (size_t i = 0; i < off && text[i]; i++) {
        if (text[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

static void err_at(ctx *c, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void err_at(ctx *c, size_t off, const char *fmt, ...) {
    int line, col;
    vt_isf_position(c->text, off, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    vt_diags_addv(c->diags, VT_DIAG_ERROR, c->path, line, col, fmt, ap);
    va_end(ap);
}

/* Where the string literal "s" first appears in the header after `from` (a good place for a
 * message about the item it names); the header's start when it is not found. */
static size_t find_literal(const ctx *c, size_t from, const char *s) {
    size_t n = strlen(s);
    for (size_t i = from; i + n + 2 <= c->hdr_end; i++) {
        if (c->text[i] == '"' && strncmp(c->text + i + 1, s, n) == 0 && c->text[i + n + 1] == '"') {
            return i;
        }
    }
    return c->hdr_start;
}

static bool is_identifier(const char *s) {
    if (!s || !(isalpha((unsigned char)*s) || *s == '_')) {
        return false;
    }
    for (; *s; s++) {
        if (!isalnum((unsigned char)*s) && *s != '_') {
            return false;
        }
    }
    return true;
}

static const char *str_of(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A flag written as true/false, a number or a string ("true", "1"). */
static bool flag_of(json_t *v) {
    if (json_is_boolean(v)) {
        return json_is_true(v);
    }
    if (json_is_number(v)) {
        return json_number_value(v) != 0;
    }
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        return strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0 || atof(s) != 0;
    }
    return false;
}

/* Reads a value of the input's type into out[]; false when it does not have that shape. */
static bool read_value(json_t *v, vt_isf_type t, double out[4]) {
    int n = vt_isf_type_arity(t);
    if (n == 1) {
        if (json_is_number(v)) {
            out[0] = json_number_value(v);
        } else if (json_is_boolean(v) && (t == VT_ISF_BOOL || t == VT_ISF_EVENT)) {
            out[0] = json_is_true(v);
        } else {
            return false;
        }
        if (t == VT_ISF_LONG) {
            out[0] = round(out[0]);
        }
        return isfinite(out[0]);
    }
    if (!json_is_array(v)) {
        return false;
    }
    size_t got = json_array_size(v);
    if (!(got == (size_t)n || (t == VT_ISF_COLOR && got == 3))) {
        return false;
    }
    out[3] = 1;
    for (size_t i = 0; i < got; i++) {
        json_t *e = json_array_get(v, i);
        if (!json_is_number(e) || !isfinite(json_number_value(e))) {
            return false;
        }
        out[i] = json_number_value(e);
    }
    return true;
}

static const char *shape_of(vt_isf_type t) {
    switch (t) {
    case VT_ISF_POINT2D:
        return "an array of 2 numbers [x, y]";
    case VT_ISF_COLOR:
        return "an array of 4 numbers [r, g, b, a] from 0 to 1";
    case VT_ISF_BOOL:
    case VT_ISF_EVENT:
        return "true or false";
    case VT_ISF_LONG:
        return "a whole number";
    default:
        return "a number";
    }
}

static void read_values(ctx *c, json_t *o, vt_isf_input *in, size_t at) {
    json_t *vals = json_object_get(o, "VALUES"), *labels = json_object_get(o, "LABELS");
    if (!vals) {
        return;
    }
    if (!json_is_array(vals) || json_array_size(vals) == 0 ||
        json_array_size(vals) > VT_ISF_MAX_ITEMS) {
        err_at(c, at, "input '%s': VALUES must be an array of 1 to %d whole numbers", in->name,
               VT_ISF_MAX_ITEMS);
        return;
    }
    size_t n = json_array_size(vals);
    if (labels && (!json_is_array(labels) || json_array_size(labels) != n)) {
        err_at(c, at, "input '%s': LABELS must be an array of %zu strings, one per VALUES entry",
               in->name, n);
        return;
    }
    in->values = vt_xcalloc(n, sizeof *in->values);
    in->labels = vt_xcalloc(n, sizeof *in->labels);
    in->n_values = n;
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(vals, i), *l = labels ? json_array_get(labels, i) : NULL;
        if (!json_is_number(v) || !isfinite(json_number_value(v)) ||
            fabs(json_number_value(v)) > 2e9) {
            err_at(c, at, "input '%s': VALUES[%zu] is not a whole number", in->name, i);
        } else {
            in->values[i] = lround(json_number_value(v));
        }
        in->labels[i] = json_is_string(l) ? vt_xstrdup(json_string_value(l))
                                          : vt_xasprintf("%ld", in->values[i]);
    }
}

static bool name_taken(const vt_isf *isf, const char *name) {
    for (size_t i = 0; i < isf->n_inputs; i++) {
        if (strcmp(isf->inputs[i].name, name) == 0) {
            return true;
        }
    }
    for (size_t i = 0; i < isf->n_imported; i++) {
        if (strcmp(isf->imported[i].name, name) == 0) {
            return true;
        }
    }
    return false;
}

static void read_input(ctx *c, json_t *o, size_t index, size_t *search_from) {
    vt_isf *isf = c->isf;
    const char *name = str_of(o, "NAME"), *type = str_of(o, "TYPE");
    size_t at = name ? find_literal(c, *search_from, name) : c->hdr_start;
    if (name && at != c->hdr_start) {
        *search_from = at + 1;
    }
    if (!json_is_object(o)) {
        err_at(c, at, "INPUTS[%zu] must be an object with NAME and TYPE", index);
        return;
    }
    if (!is_identifier(name)) {
        err_at(c, at, "INPUTS[%zu]: NAME must be a GLSL name (letters, digits, _), got %s", index,
               name ? name : "none");
        return;
    }
    if (name_taken(isf, name)) {
        err_at(c, at, "input '%s' is declared twice; rename one of them", name);
        return;
    }
    int t = -1;
    for (size_t i = 0; type && i < sizeof TYPE_NAMES / sizeof TYPE_NAMES[0]; i++) {
        if (strcmp(type, TYPE_NAMES[i]) == 0) {
            t = (int)i;
        }
    }
    if (t < 0) {
        const char *near = type ? vt_did_you_mean(type, TYPE_NAMES, 9) : NULL;
        err_at(c, at, "input '%s': TYPE %s%s%s is not an ISF type%s%s%s", name, type ? "'" : "",
               type ? type : "(missing)", type ? "'" : "", near ? " (did you mean '" : "",
               near ? near : "",
               near ? "'?)"
                    : "; use float, bool, long, color, point2D, "
                      "image or event");
        return;
    }
    if (t == VT_ISF_AUDIO || t == VT_ISF_AUDIOFFT) {
        err_at(c, at,
               "input '%s' is of type %s: Vitrine does not feed sound to shaders; remove the "
               "input or use a shader without audio",
               name, type);
        return;
    }
    VT_GROW(isf->inputs, isf->n_inputs, isf->inputs_cap, 4);
    vt_isf_input *in = &isf->inputs[isf->n_inputs++];
    memset(in, 0, sizeof *in);
    in->name = vt_xstrdup(name);
    in->type = (vt_isf_type)t;
    vt_isf_position(c->text, at, &in->line, &(int){0});
    const char *label = str_of(o, "LABEL");
    in->label = label ? vt_xstrdup(label) : NULL;
    if (vt_isf_type_arity(in->type) == 0) {
        return;
    }
    in->def[3] = 1;
    static const char *const KEYS[] = {"MIN", "MAX", "IDENTITY", "DEFAULT"};
    double *dst[] = {in->min, in->max, in->identity, in->def};
    bool *has[] = {&in->has_min, &in->has_max, &in->has_identity, NULL};
    for (int k = 0; k < 4; k++) {
        json_t *v = json_object_get(o, KEYS[k]);
        if (!v || json_is_null(v)) {
            continue;
        }
        double tmp[4] = {0, 0, 0, 1};
        if (!read_value(v, in->type, tmp)) {
            err_at(c, at, "input '%s' (%s): %s must be %s", name, type, KEYS[k],
                   shape_of(in->type));
            continue;
        }
        memcpy(dst[k], tmp, sizeof tmp);
        if (has[k]) {
            *has[k] = true;
        }
    }
    if (!json_object_get(o, "DEFAULT") && in->has_min) {
        memcpy(in->def, in->min, sizeof in->def);
    }
    if (in->type == VT_ISF_LONG) {
        read_values(c, o, in, at);
        if (in->n_values && !json_object_get(o, "DEFAULT")) {
            in->def[0] = (double)in->values[0];
        }
    }
}

static void read_inputs(ctx *c, json_t *root) {
    json_t *inputs = json_object_get(root, "INPUTS");
    if (!inputs) {
        return;
    }
    size_t at = find_literal(c, c->hdr_start, "INPUTS");
    if (!json_is_array(inputs) || json_array_size(inputs) > VT_ISF_MAX_ITEMS) {
        err_at(c, at, "INPUTS must be an array of at most %d objects", VT_ISF_MAX_ITEMS);
        return;
    }
    size_t from = at;
    for (size_t i = 0; i < json_array_size(inputs); i++) {
        read_input(c, json_array_get(inputs, i), i, &from);
    }
}

static void add_imported(ctx *c, const char *name, const char *path, size_t at) {
    vt_isf *isf = c->isf;
    if (!is_identifier(name)) {
        err_at(c, at, "IMPORTED: '%s' is not a GLSL name (letters, digits, _)", name);
        return;
    }
    if (!path || !*path) {
        err_at(c, at, "IMPORTED image '%s' has no PATH; give the image file's path", name);
        return;
    }
    if (name_taken(isf, name)) {
        err_at(c, at, "IMPORTED image '%s' has the name of another input; rename it", name);
        return;
    }
    if (isf->n_imported >= VT_ISF_MAX_ITEMS) {
        err_at(c, at, "IMPORTED holds more than %d images", VT_ISF_MAX_ITEMS);
        return;
    }
    VT_GROW(isf->imported, isf->n_imported, isf->imported_cap, 4);
    isf->imported[isf->n_imported].name = vt_xstrdup(name);
    isf->imported[isf->n_imported].path = vt_xstrdup(path);
    isf->n_imported++;
}

/* v2: {"name": {"PATH": "file.png"}}; v1: [{"NAME": "name", "PATH": "file.png"}]. */
static void read_imported(ctx *c, json_t *root) {
    json_t *imp = json_object_get(root, "IMPORTED");
    if (!imp) {
        return;
    }
    size_t at = find_literal(c, c->hdr_start, "IMPORTED");
    if (json_is_object(imp)) {
        const char *key;
        json_t *v;
        json_object_foreach(imp, key, v) {
            const char *path = json_is_string(v) ? json_string_value(v) : str_of(v, "PATH");
            add_imported(c, key, path, find_literal(c, at, key));
        }
    } else if (json_is_array(imp)) {
        for (size_t i = 0; i < json_array_size(imp); i++) {
            json_t *v = json_array_get(imp, i);
            const char *name = str_of(v, "NAME");
            add_imported(c, name ? name : "", str_of(v, "PATH"),
                         name ? find_literal(c, at, name) : at);
        }
    } else {
        err_at(c, at, "IMPORTED must be an object: {\"name\": {\"PATH\": \"image.png\"}}");
    }
}

/* Accepts $WIDTH, $HEIGHT and every input, to check an expression's shape before any value. */
static bool check_lookup(void *user, const char *name, size_t len, double *out) {
    const vt_isf *isf = user;
    *out = 1;
    if ((len == 5 && strncmp(name, "WIDTH", 5) == 0) ||
        (len == 6 && strncmp(name, "HEIGHT", 6) == 0)) {
        return true;
    }
    for (size_t i = 0; i < isf->n_inputs; i++) {
        if (strlen(isf->inputs[i].name) == len && strncmp(isf->inputs[i].name, name, len) == 0) {
            return vt_isf_type_arity(isf->inputs[i].type) == 1;
        }
    }
    return false;
}

static char *read_size_expr(ctx *c, json_t *v, const char *key, size_t index, size_t at) {
    if (!v || json_is_null(v)) {
        return NULL;
    }
    char *e = NULL;
    if (json_is_number(v)) {
        e = vt_xasprintf("%.17g", json_number_value(v));
    } else if (json_is_string(v)) {
        e = vt_xstrdup(json_string_value(v));
    } else {
        err_at(c, at, "PASSES[%zu]: %s must be a number or an expression such as \"$WIDTH/2\"",
               index, key);
        return NULL;
    }
    char why[160];
    double x;
    if (!vt_isf_expr_eval(e, check_lookup, c->isf, &x, why, sizeof why)) {
        size_t eat = json_is_string(v) ? find_literal(c, at, e) : at;
        err_at(c, eat, "PASSES[%zu]: %s \"%s\": %s", index, key, e, why);
        free(e);
        return NULL;
    }
    return e;
}

static void read_passes(ctx *c, json_t *root) {
    vt_isf *isf = c->isf;
    json_t *passes = json_object_get(root, "PASSES");
    size_t at = passes ? find_literal(c, c->hdr_start, "PASSES") : c->hdr_start;
    if (passes && (!json_is_array(passes) || json_array_size(passes) > VT_ISF_MAX_ITEMS)) {
        err_at(c, at, "PASSES must be an array of at most %d objects", VT_ISF_MAX_ITEMS);
        passes = NULL;
    }
    size_t n = passes ? json_array_size(passes) : 0;
    isf->passes = vt_xcalloc(n ? n : 1, sizeof *isf->passes);
    isf->n_passes = n ? n : 1;
    size_t from = at;
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(passes, i);
        vt_isf_pass *p = &isf->passes[i];
        if (!json_is_object(o)) {
            err_at(c, at, "PASSES[%zu] must be an object ({} for a plain pass)", i);
            continue;
        }
        const char *target = str_of(o, "TARGET");
        size_t pat = target ? find_literal(c, from, target) : from;
        if (target && *target) {
            from = pat + 1;
            if (!is_identifier(target)) {
                err_at(c, pat, "PASSES[%zu]: TARGET '%s' is not a GLSL name", i, target);
            } else if (name_taken(isf, target)) {
                err_at(c, pat, "PASSES[%zu]: TARGET '%s' has the name of an input; rename it", i,
                       target);
            } else {
                p->target = vt_xstrdup(target);
            }
        }
        p->persistent = flag_of(json_object_get(o, "PERSISTENT"));
        p->is_float = flag_of(json_object_get(o, "FLOAT"));
        p->width_expr = read_size_expr(c, json_object_get(o, "WIDTH"), "WIDTH", i, pat);
        p->height_expr = read_size_expr(c, json_object_get(o, "HEIGHT"), "HEIGHT", i, pat);
    }
}

/* v1: PERSISTENT_BUFFERS names the targets that persist (an array, or an object of them). */
static void read_persistent_v1(ctx *c, json_t *root) {
    json_t *pb = json_object_get(root, "PERSISTENT_BUFFERS");
    const char *key;
    json_t *v;
    if (json_is_array(pb)) {
        size_t i;
        json_array_foreach(pb, i, v) {
            for (size_t k = 0; json_is_string(v) && k < c->isf->n_passes; k++) {
                vt_isf_pass *p = &c->isf->passes[k];
                if (p->target && strcmp(p->target, json_string_value(v)) == 0) {
                    p->persistent = true;
                }
            }
        }
    } else if (json_is_object(pb)) {
        json_object_foreach(pb, key, v) {
            for (size_t k = 0; k < c->isf->n_passes; k++) {
                vt_isf_pass *p = &c->isf->passes[k];
                if (p->target && strcmp(p->target, key) == 0) {
                    p->persistent = true;
                    p->is_float = p->is_float || flag_of(json_object_get(v, "FLOAT"));
                }
            }
        }
    }
}

static void read_categories(ctx *c, json_t *root) {
    vt_isf *isf = c->isf;
    json_t *cats = json_object_get(root, "CATEGORIES");
    if (!json_is_array(cats)) {
        return;
    }
    size_t n = json_array_size(cats) < VT_ISF_MAX_ITEMS ? json_array_size(cats) : VT_ISF_MAX_ITEMS;
    isf->categories = vt_xcalloc(n ? n : 1, sizeof *isf->categories);
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(cats, i);
        if (json_is_string(v)) {
            isf->categories[isf->n_categories++] = vt_xstrdup(json_string_value(v));
            isf->transition =
                isf->transition || strcasecmp(json_string_value(v), "Transition") == 0;
        }
    }
    if (isf->transition) {
        static const char *const NEED[] = {"startImage", "endImage", "progress"};
        static const vt_isf_type TYPES[] = {VT_ISF_IMAGE, VT_ISF_IMAGE, VT_ISF_FLOAT};
        for (int k = 0; k < 3; k++) {
            const vt_isf_input *in = vt_isf_find_input(isf, NEED[k]);
            if (!in || in->type != TYPES[k]) {
                err_at(c, find_literal(c, c->hdr_start, "CATEGORIES"),
                       "a Transition needs an input '%s' of type %s; add it to INPUTS", NEED[k],
                       vt_isf_type_name(TYPES[k]));
            }
        }
    }
}

static void read_root(ctx *c, json_t *root) {
    vt_isf *isf = c->isf;
    json_t *vsn = json_object_get(root, "ISFVSN");
    isf->isf_version = 1;
    if ((json_is_string(vsn) && atof(json_string_value(vsn)) >= 2) ||
        (json_is_number(vsn) && json_number_value(vsn) >= 2)) {
        isf->isf_version = 2;
    }
    const char *d = str_of(root, "DESCRIPTION"), *cr = str_of(root, "CREDIT");
    isf->description = d ? vt_xstrdup(d) : NULL;
    isf->credit = cr ? vt_xstrdup(cr) : NULL;
    read_inputs(c, root);
    read_imported(c, root);
    read_passes(c, root);
    read_persistent_v1(c, root);
    read_categories(c, root);
}

void vt_isf_header_parse(const char *text, size_t len, size_t hdr_start, size_t hdr_end,
                         const char *path, vt_isf *isf, vt_diags *diags) {
    ctx c = {text, len, hdr_start, hdr_end, path, diags, isf};
    json_error_t je;
    json_t *root = json_loadb(text + hdr_start, hdr_end - hdr_start, JSON_DECODE_ANY, &je);
    if (!root) {
        /* jansson counts from the header's first character: move to the file's lines */
        int line, col;
        vt_isf_position(text, hdr_start, &line, &col);
        int jl = je.line > 0 ? je.line : 1, jc = je.column > 0 ? je.column : 1;
        /* jansson's column is the token's last character: point at its first */
        const char *near = strstr(je.text, "near '");
        size_t tok = near ? strlen(near + 6) : 0;
        if (tok > 1 && (int)tok - 1 < jc) {
            jc -= (int)tok - 2;
        }
        vt_diags_add(diags, VT_DIAG_ERROR, path, line + jl - 1, jl == 1 ? col + jc - 1 : jc,
                     "the ISF header is not valid JSON: %s", je.text);
        return;
    }
    if (!json_is_object(root)) {
        err_at(&c, hdr_start, "the ISF header must be a JSON object: /*{ \"INPUTS\": [...] }*/");
    } else {
        read_root(&c, root);
    }
    json_decref(root);
}

bool vt_isf_point_in_pixels(const vt_isf_input *in) {
    const double *p = in->has_max ? in->max : in->def;
    return in->type == VT_ISF_POINT2D && (p[0] > 1 || p[1] > 1);
}

const vt_isf_input *vt_isf_find_input(const vt_isf *isf, const char *name) {
    for (size_t i = 0; isf && i < isf->n_inputs; i++) {
        if (strcmp(isf->inputs[i].name, name) == 0) {
            return &isf->inputs[i];
        }
    }
    return NULL;
}
