/* Validation machinery shared by every kind of mapping: strict numbers, typed field parsers,
 * table-driven key lookup with suggestions. */
#include "doc/vt_doc.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void vt_vctx_error(vt_vctx *c, const vt_ynode *at, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vt_diags_addv(c->diags, VT_DIAG_ERROR, c->path, at->line, at->col, fmt, ap);
    va_end(ap);
}

void vt_vctx_warning(vt_vctx *c, const vt_ynode *at, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vt_diags_addv(c->diags, VT_DIAG_WARNING, c->path, at->line, at->col, fmt, ap);
    va_end(ap);
}

/* ---- numbers ---- */

/* YAML's spellings of infinity and not-a-number: numbers, but never usable ones. */
static bool is_inf_or_nan(const char *s, size_t len) {
    if (len > 0 && (s[0] == '+' || s[0] == '-')) {
        s++;
        len--;
    }
    if (len > 0 && s[0] == '.') {
        s++;
        len--;
    }
    return (len == 3 && (strncasecmp(s, "inf", 3) == 0 || strncasecmp(s, "nan", 3) == 0)) ||
           (len == 8 && strncasecmp(s, "infinity", 8) == 0);
}

static size_t skip_digits(const char *s, size_t i, size_t len) {
    while (i < len && s[i] >= '0' && s[i] <= '9') {
        i++;
    }
    return i;
}

/* Does s[0..len) follow the strict grammar? */
static bool number_syntax(const char *s, size_t len) {
    size_t i = 0;
    if (i < len && (s[i] == '+' || s[i] == '-')) {
        i++;
    }
    size_t int_start = i;
    i = skip_digits(s, i, len);
    size_t int_digits = i - int_start, frac_digits = 0;
    if (int_digits > 1 && s[int_start] == '0') {
        return false; /* 010 is octal in YAML 1.1: refuse rather than guess */
    }
    if (i < len && s[i] == '.') {
        size_t frac_start = ++i;
        i = skip_digits(s, i, len);
        frac_digits = i - frac_start;
        if (frac_digits == 0) {
            return false;
        }
    }
    if (int_digits == 0 && frac_digits == 0) {
        return false;
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-')) {
            i++;
        }
        size_t exp_start = i;
        i = skip_digits(s, i, len);
        if (i == exp_start) {
            return false;
        }
    }
    return i == len;
}

int vt_number_parse(const char *s, size_t len, double *out) {
    if (is_inf_or_nan(s, len)) {
        return -1;
    }
    if (!number_syntax(s, len)) {
        return 0;
    }
    /* The grammar holds no NUL, so a copy gives strtod a terminated string. */
    char *copy = vt_xstrndup(s, len);
    double v = strtod(copy, NULL);
    free(copy);
    if (!isfinite(v)) {
        return -1;
    }
    *out = v;
    return 1;
}

/* Bounds as people write them: 16384, not 1.6384e+04. */
static const char *show_bound(double v, char *buf, size_t cap) {
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(buf, cap, "%.0f", v);
    } else {
        snprintf(buf, cap, "%g", v);
    }
    return buf;
}

void vt_type_error(vt_vctx *c, const char *key, const vt_ynode *v, const char *expected,
                   const char *fix) {
    char shown[64];
    const char *sep = fix ? "; " : "";
    fix = fix ? fix : "";
    if (v->kind == VT_YNODE_BAD) {
        return; /* an alias: reported while parsing */
    }
    if (vt_ynode_is_null(v)) {
        if (*fix) {
            vt_vctx_error(c, v, "'%s' has no value; %s", key, fix);
        } else {
            vt_vctx_error(c, v, "'%s' has no value; expected %s", key, expected);
        }
    } else if (v->kind == VT_YNODE_SCALAR && v->plain &&
               strcmp(vt_ynode_describe(v), "a string") == 0) {
        vt_vctx_error(c, v, "'%s' must be %s, got '%s'%s%s", key, expected,
                      vt_yshow(v->text, v->len, shown, sizeof shown), sep, fix);
    } else {
        vt_vctx_error(c, v, "'%s' must be %s, not %s%s%s", key, expected, vt_ynode_describe(v), sep,
                      fix);
    }
}

bool vt_read_number(vt_vctx *c, const char *key, const vt_ynode *v, double min, double max,
                    bool integer, double *out) {
    const char *expected = integer ? "an integer" : "a number";
    double x = 0;
    int r = v->kind == VT_YNODE_SCALAR && v->plain ? vt_number_parse(v->text, v->len, &x) : 0;
    char shown[64], lo[32], hi[32];
    if (r == 0) {
        vt_type_error(c, key, v, expected, NULL);
        return false;
    }
    vt_yshow(v->text, v->len, shown, sizeof shown);
    if (r < 0) {
        vt_vctx_error(c, v, "'%s' must be a finite number, got %s", key, shown);
        return false;
    }
    if (integer && x != floor(x)) {
        vt_vctx_error(c, v, "'%s' must be an integer, got %s", key, shown);
        return false;
    }
    if (x < min || x > max) {
        vt_vctx_error(c, v, "'%s' must be between %s and %s, got %s", key,
                      show_bound(min, lo, sizeof lo), show_bound(max, hi, sizeof hi), shown);
        return false;
    }
    *out = x;
    return true;
}

bool vt_read_seconds(vt_vctx *c, const char *key, const vt_ynode *v, double min, double max,
                     vt_ticks *out) {
    double x;
    if (!vt_read_number(c, key, v, min, max, false, &x)) {
        return false;
    }
    *out = vt_ticks_from_seconds(x);
    return true;
}

bool vt_read_string(vt_vctx *c, const char *key, const vt_ynode *v) {
    if (v->kind != VT_YNODE_SCALAR || vt_ynode_is_null(v)) {
        vt_type_error(c, key, v, "a string", NULL);
        return false;
    }
    if (memchr(v->text, '\0', v->len)) {
        vt_vctx_error(c, v, "'%s' contains a NUL character (\\0); remove it", key);
        return false;
    }
    return true;
}

/* ---- field parsers: the `parse` column of the tables ---- */

static void *field_at(void *obj, const vt_field *f) {
    return (char *)obj + f->offset;
}

bool vt_field_string(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    if (!vt_read_string(c, f->key, v)) {
        return false;
    }
    char **dst = field_at(obj, f);
    free(*dst);
    *dst = vt_xstrdup(v->text);
    return true;
}

bool vt_field_int(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    double x;
    if (!vt_read_number(c, f->key, v, f->min, f->max, true, &x)) {
        return false;
    }
    *(int *)field_at(obj, f) = (int)x;
    return true;
}

bool vt_field_number(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    double x;
    if (!vt_read_number(c, f->key, v, f->min, f->max, false, &x)) {
        return false;
    }
    *(double *)field_at(obj, f) = x;
    return true;
}

/* [x, y]: `noun` holds the example shown when the shape is wrong. */
static bool read_pair(vt_vctx *c, const vt_field *f, const vt_ynode *v, bool integer,
                      double out[2]) {
    if (v->kind != VT_YNODE_SEQ || v->count != 2) {
        if (v->kind != VT_YNODE_BAD) {
            vt_vctx_error(c, v, "'%s' must be a sequence of 2 %s, like %s", f->key,
                          integer ? "integers" : "numbers", f->noun);
        }
        return false;
    }
    bool ok = vt_read_number(c, f->key, v->items[0], f->min, f->max, integer, &out[0]);
    ok = vt_read_number(c, f->key, v->items[1], f->min, f->max, integer, &out[1]) && ok;
    return ok;
}

bool vt_field_vec2(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    double xy[2];
    if (!read_pair(c, f, v, false, xy)) {
        return false;
    }
    *(vt_vec2 *)field_at(obj, f) = (vt_vec2){xy[0], xy[1]};
    return true;
}

bool vt_field_int_pair(vt_vctx *c, const vt_field *f, const vt_ynode *v, int out[2]) {
    double xy[2];
    if (!read_pair(c, f, v, true, xy)) {
        return false;
    }
    out[0] = (int)xy[0];
    out[1] = (int)xy[1];
    return true;
}

bool vt_field_scale(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    vt_vec2 *dst = field_at(obj, f);
    if (v->kind == VT_YNODE_SEQ && v->count == 2) {
        return vt_field_vec2(c, f, v, obj);
    }
    double s;
    if (v->kind != VT_YNODE_SCALAR) {
        if (v->kind != VT_YNODE_BAD) {
            vt_vctx_error(c, v, "'%s' must be a number or a sequence of 2 numbers, like %s", f->key,
                          f->noun);
        }
        return false;
    }
    if (!vt_read_number(c, f->key, v, f->min, f->max, false, &s)) {
        return false;
    }
    *dst = (vt_vec2){s, s};
    return true;
}

bool vt_color_parse(const char *text, vt_color *out) {
    if (!text || text[0] != '#') {
        return false;
    }
    size_t n = strlen(text + 1);
    if (n != 6 && n != 8) {
        return false;
    }
    uint8_t b[4] = {0, 0, 0, 255};
    for (size_t i = 0; i < n; i++) {
        int ch = tolower((unsigned char)text[1 + i]);
        int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
        if (d < 0) {
            return false;
        }
        b[i / 2] = (uint8_t)(i % 2 == 0 ? d << 4 : b[i / 2] | d);
    }
    *out = (vt_color){b[0], b[1], b[2], b[3]};
    return true;
}

bool vt_field_color(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    /* An unquoted #rrggbb is a comment in YAML: the value silently disappears. */
    static const char fix[] =
        "write a colour in quotes, like \"#ff8800\" (unquoted, # starts a comment)";
    char shown[64];
    if (v->kind != VT_YNODE_SCALAR || vt_ynode_is_null(v)) {
        vt_type_error(c, f->key, v, "a colour", fix);
        return false;
    }
    if (memchr(v->text, '\0', v->len) || !vt_color_parse(v->text, field_at(obj, f))) {
        vt_vctx_error(c, v, "'%s' must be a colour like \"#ff8800\" or \"#ff8800cc\", got '%s'",
                      f->key, vt_yshow(v->text, v->len, shown, sizeof shown));
        return false;
    }
    return true;
}

bool vt_field_bool(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    /* Only plain true/false: YAML 1.1's yes/no/on/off surprise people (the Norway problem). */
    bool *dst = field_at(obj, f);
    if (v->kind == VT_YNODE_SCALAR && v->plain && vt_ynode_is(v, "true")) {
        *dst = true;
        return true;
    }
    if (v->kind == VT_YNODE_SCALAR && v->plain && vt_ynode_is(v, "false")) {
        *dst = false;
        return true;
    }
    vt_type_error(c, f->key, v, "a boolean", "expected true or false");
    return false;
}

void vt_join_names(const char *const *names, size_t count, char *buf, size_t cap) {
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        int n = snprintf(buf + used, cap - used, "%s%s", i ? ", " : "", names[i]);
        if (n < 0 || (size_t)n >= cap - used) {
            break;
        }
        used += (size_t)n;
    }
}

/* The key in the plural, for "valid typographies: ...": English's regular rules are enough for
 * the keys the formats have (typography, language_switch, fit); "reveal_by values". */
static void plural(const char *key, char *out, size_t cap) {
    size_t n = strlen(key);
    if (n > 3 && strcmp(key + n - 3, "_by") == 0) { /* reveal_by: not a noun */
        snprintf(out, cap, "%s values", key);
        return;
    }
    bool consonant_y = n >= 2 && key[n - 1] == 'y' && !strchr("aeiou", key[n - 2]);
    bool sibilant = n >= 1 && (strchr("sxz", key[n - 1]) ||
                               (n >= 2 && (key[n - 1] == 'h' && strchr("cs", key[n - 2]))));
    if (consonant_y) {
        snprintf(out, cap, "%.*sies", (int)(n - 1), key);
    } else {
        snprintf(out, cap, "%s%s", key, sibilant ? "es" : "s");
    }
}

bool vt_field_enum(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    if (v->kind != VT_YNODE_SCALAR || vt_ynode_is_null(v)) {
        vt_type_error(c, f->key, v, "a string", NULL);
        return false;
    }
    size_t count = 0;
    while (f->names[count]) {
        if (vt_ynode_is(v, f->names[count])) {
            int value = (int)count;
            memcpy(field_at(obj, f), &value, sizeof value);
            return true;
        }
        count++;
    }
    char shown[64], list[256];
    vt_yshow(v->text, v->len, shown, sizeof shown);
    const char *near = vt_did_you_mean(v->text, f->names, count);
    if (near) {
        vt_vctx_error(c, v, "unknown %s '%s'; did you mean '%s'?", f->noun, shown, near);
    } else {
        char keys[64];
        vt_join_names(f->names, count, list, sizeof list);
        plural(f->key, keys, sizeof keys);
        vt_vctx_error(c, v, "unknown %s '%s'; valid %s: %s", f->noun, shown, keys, list);
    }
    return false;
}

/* ---- tables ---- */

static bool field_allowed(const vt_field *f, unsigned variant) {
    return variant == 0 || (f->allowed & variant) != 0;
}

/* Unknown variant (0, e.g. a layer whose type is wrong): only keys required everywhere. */
static bool field_required(const vt_field *f, unsigned variant) {
    return variant == 0 ? f->required == VT_VARIANT_ALL : (f->required & variant) != 0;
}

static void unknown_key(vt_vctx *c, const vt_table *t, unsigned variant, const vt_ynode *key) {
    const char *names[64];
    size_t count = 0;
    for (size_t i = 0; i < t->count && count < 64; i++) {
        if (field_allowed(&t->fields[i], variant)) {
            names[count++] = t->fields[i].key;
        }
    }
    char shown[64], list[512];
    vt_yshow(key->text, key->len, shown, sizeof shown);
    const char *near = vt_did_you_mean(key->text, names, count);
    if (near) {
        vt_vctx_error(c, key, "unknown key '%s'%s; did you mean '%s'?", shown, c->where, near);
    } else {
        vt_join_names(names, count, list, sizeof list);
        vt_vctx_error(c, key, "unknown key '%s'%s; valid keys: %s", shown, c->where, list);
    }
}

/* "'src' is not allowed in a rect layer". */
static void not_allowed(vt_vctx *c, const vt_table *t, unsigned variant, const vt_field *f,
                        const vt_ynode *key) {
    size_t bit = 0;
    while (bit < 31 && !(variant & (1u << bit))) {
        bit++;
    }
    const char *name = t->variant_names ? t->variant_names[bit] : "";
    const char *article = strchr("aeiou", name[0]) && name[0] ? "an" : "a";
    vt_vctx_error(c, key, "'%s' is not allowed in %s %s %s", f->key, article, name, t->kind);
}

static bool in_list(const vt_ynode *key, const char *const *list) {
    for (size_t i = 0; list && list[i]; i++) {
        if (vt_ynode_is(key, list[i])) {
            return true;
        }
    }
    return false;
}

uint64_t vt_table_apply(vt_vctx *c, const vt_table *t, unsigned variant, const vt_ynode *map,
                        void *obj, const char *const *skip) {
    uint64_t given = 0;
    if (t->count > 64) {
        abort(); /* broken invariant: `given` has one bit per field */
    }
    for (size_t i = 0; i < map->count; i++) {
        const vt_ynode *key = map->pairs[i].key;
        if (key->len >= 2 && memcmp(key->text, "x-", 2) == 0) {
            continue; /* free for tools */
        }
        size_t idx = 0;
        while (idx < t->count && !vt_ynode_is(key, t->fields[idx].key)) {
            idx++;
        }
        if (idx == t->count) {
            unknown_key(c, t, variant, key);
            continue;
        }
        const vt_field *f = &t->fields[idx];
        given |= UINT64_C(1) << idx;
        if (in_list(key, skip)) {
            continue;
        }
        if (!field_allowed(f, variant)) {
            not_allowed(c, t, variant, f, key);
            continue;
        }
        f->parse(c, f, map->pairs[i].value, obj);
    }
    for (size_t i = 0; i < t->count; i++) {
        if (field_required(&t->fields[i], variant) && !(given & (UINT64_C(1) << i))) {
            vt_vctx_error(c, map, "missing required key '%s'%s", t->fields[i].key, c->where);
        }
    }
    return given;
}

bool vt_id_syntax_ok(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        bool letter = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
        bool later = (ch >= '0' && ch <= '9') || ch == '-';
        if (!letter && !(i > 0 && later)) {
            return false;
        }
    }
    return len > 0;
}

bool vt_read_id(vt_vctx *c, const char *key, const vt_ynode *v, const char *noun) {
    char shown[64];
    if (!vt_read_string(c, key, v)) {
        return false;
    }
    if (!vt_id_syntax_ok(v->text, v->len)) {
        const char *article = strchr("aeiou", noun[0]) ? "an" : "a";
        vt_vctx_error(c, v,
                      "invalid %s '%s'; %s %s starts with a letter or '_' and holds only "
                      "letters, digits, '_' and '-'",
                      noun, vt_yshow(v->text, v->len, shown, sizeof shown), article, noun);
        return false;
    }
    return true;
}

bool vt_field_later(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    (void)c;
    (void)f;
    (void)v;
    (void)obj;
    return true;
}

bool vt_read_watts(vt_vctx *c, const char *key, const vt_ynode *v, double *out) {
    double x;
    char shown[64];
    if (!vt_read_number(c, key, v, -HUGE_VAL, HUGE_VAL, false, &x)) {
        return false;
    }
    vt_yshow(v->text, v->len, shown, sizeof shown);
    if (x <= 0) {
        vt_vctx_error(c, v, "'%s' must be more than 0 watts, got %s; leave it out for no budget",
                      key, shown);
        return false;
    }
    if (x > VT_ENERGY_MAX_WATTS) {
        vt_vctx_error(c, v, "'%s' must be at most 100000 watts, got %s", key, shown);
        return false;
    }
    *out = x;
    return true;
}
