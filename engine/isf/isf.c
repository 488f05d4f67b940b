/* An ISF file as a whole: finding the JSON header comment, blanking it out of the GLSL body,
 * the #version line, and what the body reads (TIME, the date, the pointer, mainImage). */
#include "isf_internal.h"

#include "io/vt_io.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static bool is_ident_char(char ch) {
    return isalnum((unsigned char)ch) || ch == '_';
}

static bool word_is(const char *w, size_t n, const char *s) {
    return strlen(s) == n && strncmp(w, s, n) == 0;
}

static void blank(char *s, size_t from, size_t to) {
    for (size_t i = from; i < to; i++) {
        if (s[i] != '\n') {
            s[i] = ' ';
        }
    }
}

/* What one identifier of the body says about the shader. */
static void note_word(vt_isf *isf, const char *w, size_t n, const char *prev, size_t prev_n,
                      const char *after, bool *has_main, bool *has_main_image) {
    static const char *const TIME_WORDS[] = {"TIME", "TIMEDELTA", "iTime", "iTimeDelta",
                                             "iGlobalTime"};
    for (size_t i = 0; i < sizeof TIME_WORDS / sizeof TIME_WORDS[0]; i++) {
        if (word_is(w, n, TIME_WORDS[i])) {
            isf->uses |= VT_ISF_USES_TIME;
        }
    }
    if (word_is(w, n, "FRAMEINDEX") || word_is(w, n, "iFrame")) {
        isf->uses |= VT_ISF_USES_FRAME;
    }
    if (word_is(w, n, "DATE") || word_is(w, n, "iDate")) {
        isf->uses |= VT_ISF_USES_DATE;
    }
    if (word_is(w, n, "iMouse")) {
        isf->uses |= VT_ISF_USES_POINTER;
    }
    while (*after == ' ' || *after == '\t' || *after == '\n' || *after == '\r') {
        after++;
    }
    if (*after == '(' && prev && word_is(prev, prev_n, "void")) {
        *has_main = *has_main || word_is(w, n, "main");
        *has_main_image = *has_main_image || word_is(w, n, "mainImage");
    }
}

/* Blanks the #version line (kept in isf->version) and notes the words the body uses. */
static void scan_body(vt_isf *isf, bool *has_main, bool *has_main_image) {
    char *s = isf->glsl;
    const char *prev = NULL;
    size_t prev_n = 0;
    bool line_start = true;
    for (size_t i = 0; s[i];) {
        if (s[i] == '/' && s[i + 1] == '/') {
            while (s[i] && s[i] != '\n') {
                i++;
            }
        } else if (s[i] == '/' && s[i + 1] == '*') {
            char *end = strstr(s + i + 2, "*/");
            i = end ? (size_t)(end - s) + 2 : strlen(s);
        } else if (s[i] == '#' && line_start) {
            size_t j = i + 1;
            while (s[j] == ' ' || s[j] == '\t') {
                j++;
            }
            size_t eol = j;
            while (s[eol] && s[eol] != '\n') {
                eol++;
            }
            if (strncmp(s + j, "version", 7) == 0 && !isf->version[0]) {
                size_t v = j + 7, n = 0;
                while (s[v] == ' ' || s[v] == '\t') {
                    v++;
                }
                while (v + n < eol && n + 1 < sizeof isf->version && s[v + n] != '\r' &&
                       !(s[v + n] == '/' && (s[v + n + 1] == '/' || s[v + n + 1] == '*'))) {
                    n++;
                }
                while (n > 0 && isspace((unsigned char)s[v + n - 1])) {
                    n--;
                }
                memcpy(isf->version, s + v, n);
                isf->version[n] = '\0';
                blank(s, i, eol);
                i = eol;
            } else {
                i++;
            }
        } else if (isalpha((unsigned char)s[i]) || s[i] == '_') {
            size_t j = i;
            while (is_ident_char(s[j])) {
                j++;
            }
            note_word(isf, s + i, j - i, prev, prev_n, s + j, has_main, has_main_image);
            prev = s + i;
            prev_n = j - i;
            i = j;
        } else if (isdigit((unsigned char)s[i])) {
            while (is_ident_char(s[i]) || s[i] == '.') {
                i++;
            }
        } else {
            if (s[i] == '\n') {
                line_start = true;
            } else if (!isspace((unsigned char)s[i])) {
                line_start = false;
            }
            i++;
            continue;
        }
        line_start = false;
    }
}

/* The header is the first comment, after blank lines and // comments, when it holds a JSON
 * object. Sets [*json_start, *json_end) and [*cstart, *cend) (the comment with its marks). */
static bool find_header(const char *t, size_t len, const char *path, vt_diags *diags,
                        size_t *json_start, size_t *json_end, size_t *cstart, size_t *cend) {
    size_t i = len >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    for (;;) {
        while (i < len && isspace((unsigned char)t[i])) {
            i++;
        }
        if (i + 1 < len && t[i] == '/' && t[i + 1] == '/') {
            while (i < len && t[i] != '\n') {
                i++;
            }
            continue;
        }
        break;
    }
    if (!(i + 1 < len && t[i] == '/' && t[i + 1] == '*')) {
        return false;
    }
    const char *end = strstr(t + i + 2, "*/");
    size_t j = i + 2;
    while (j < len && isspace((unsigned char)t[j])) {
        j++;
    }
    if (j >= len || t[j] != '{') {
        return false;
    }
    if (!end) {
        int line, col;
        vt_isf_position(t, i, &line, &col);
        vt_diags_add(diags, VT_DIAG_ERROR, path, line, col,
                     "the ISF header comment is not closed; end it with */");
        *json_start = *json_end = *cstart = *cend = 0;
        return true;
    }
    *cstart = i;
    *cend = (size_t)(end - t) + 2;
    *json_start = j;
    *json_end = (size_t)(end - t);
    return true;
}

vt_status vt_isf_parse(const char *text, size_t len, const char *path, vt_isf **out,
                       vt_diags *diags) {
    *out = NULL;
    size_t errors0 = diags->errors;
    if (memchr(text, '\0', len)) {
        vt_diags_add(diags, VT_DIAG_ERROR, path, 0, 0,
                     "the file holds a NUL byte: an ISF shader is a text file");
        return VT_E_DATAERR;
    }
    vt_isf *isf = vt_xcalloc(1, sizeof *isf);
    isf->isf_version = 2;
    isf->glsl = vt_xstrndup(text, len);
    size_t js = 0, je = 0, cs = 0, ce = 0;
    isf->has_header = find_header(isf->glsl, len, path, diags, &js, &je, &cs, &ce);
    if (isf->has_header && je > js) {
        vt_isf_header_parse(isf->glsl, len, js, je, path, isf, diags);
        blank(isf->glsl, cs, ce);
    }
    if (!isf->passes) {
        isf->passes = vt_xcalloc(1, sizeof *isf->passes);
        isf->n_passes = 1;
    }
    bool has_main = false, has_main_image = false;
    scan_body(isf, &has_main, &has_main_image);
    isf->shadertoy = has_main_image && !has_main;
    /* Shadertoy-style code without a header reads its channels as image inputs of that name */
    for (int k = 0; k < 4 && !isf->has_header && isf->shadertoy; k++) {
        char name[16];
        snprintf(name, sizeof name, "iChannel%d", k);
        if (strstr(isf->glsl, name)) {
            VT_GROW(isf->inputs, isf->n_inputs, isf->inputs_cap, 4);
            isf->inputs[isf->n_inputs++] =
                (vt_isf_input){.name = vt_xstrdup(name), .type = VT_ISF_IMAGE};
        }
    }
    if (!isf->has_header && !isf->shadertoy) {
        vt_diags_add(diags, VT_DIAG_ERROR, path, 1, 1,
                     "no ISF header: an ISF shader opens with a JSON comment such as "
                     "/*{ \"ISFVSN\": \"2\", \"INPUTS\": [] }*/ (a Shadertoy-style shader "
                     "defines void mainImage(out vec4, in vec2) instead)");
    } else if (!has_main && !has_main_image) {
        vt_diags_add(diags, VT_DIAG_ERROR, path, 0, 0,
                     "the shader defines neither void main() nor void mainImage(out vec4 "
                     "fragColor, in vec2 fragCoord)");
    }
    for (size_t i = 0; i < isf->n_passes; i++) {
        if (isf->passes[i].persistent) {
            isf->uses |= VT_ISF_USES_FEEDBACK;
        }
    }
    if (diags->errors > errors0) {
        vt_isf_free(isf);
        return VT_E_DATAERR;
    }
    *out = isf;
    return VT_OK;
}

vt_status vt_isf_load(const char *path, const char *shown_path, vt_isf **out, vt_diags *diags) {
    char *data = NULL;
    size_t len = 0;
    *out = NULL;
    vt_status st = vt_file_read_diags(path, VT_ISF_MAX_BYTES, "shader", &data, &len, diags);
    if (st != VT_OK) {
        return st;
    }
    st = vt_isf_parse(data, len, shown_path ? shown_path : path, out, diags);
    free(data);
    return st;
}

void vt_isf_free(vt_isf *isf) {
    if (!isf) {
        return;
    }
    for (size_t i = 0; i < isf->n_inputs; i++) {
        vt_isf_input *in = &isf->inputs[i];
        free(in->name);
        free(in->label);
        for (size_t k = 0; k < in->n_values; k++) {
            free(in->labels[k]);
        }
        free(in->values);
        free(in->labels);
    }
    for (size_t i = 0; i < isf->n_passes; i++) {
        free(isf->passes[i].target);
        free(isf->passes[i].width_expr);
        free(isf->passes[i].height_expr);
    }
    for (size_t i = 0; i < isf->n_imported; i++) {
        free(isf->imported[i].name);
        free(isf->imported[i].path);
    }
    for (size_t i = 0; i < isf->n_categories; i++) {
        free(isf->categories[i]);
    }
    free(isf->categories);
    free(isf->inputs);
    free(isf->passes);
    free(isf->imported);
    free(isf->description);
    free(isf->credit);
    free(isf->glsl);
    free(isf);
}
