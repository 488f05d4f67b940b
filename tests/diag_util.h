/* Test helpers shared by the parser tests: diagnostics as text, and the complete YAML examples
 * of a Markdown document. Include after vt_test.h. */
#ifndef VT_DIAG_UTIL_H
#define VT_DIAG_UTIL_H

#include "core/vt_core.h"
#include "io/vt_io.h"
#include "scene/vt_scene.h"

/* Every diagnostic as vt_diags_print writes it (free() the text). */
static inline char *diags_text(const vt_diags *d) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    vt_diags_print(d, f);
    fclose(f);
    /* a copy: GCC 12 at -O2 takes the text for a pointer into `buf` itself (its address went to
     * open_memstream) and warns of a dangling pointer in the callers */
    char *text = strdup(buf ? buf : "");
    free(buf);
    return text;
}

/* Each ```yaml block of a Markdown file that starts with `start` and holds `holding`, as
 * (text, line) pairs handed to `fn`; returns how many were found. */
static inline int doc_examples(const char *path, const char *start, const char *holding,
                               void (*fn)(const char *text, int line)) {
    char *md = NULL;
    size_t len = 0;
    VT_CHECK_INT(vt_file_read(path, 1u << 22, &md, &len, NULL), VT_OK);
    int found = 0, line = 1;
    for (char *p = md; p && *p;) {
        char *eol = strchr(p, '\n');
        if (strncmp(p, "```yaml\n", 8) == 0 && eol) {
            char *body = eol + 1, *end = strstr(body, "\n```");
            if (!end) {
                break;
            }
            char *text = vt_xstrndup(body, (size_t)(end - body) + 1);
            if (strncmp(text, start, strlen(start)) == 0 && strstr(text, holding)) {
                fn(text, line + 1);
                found++;
            }
            for (char *q = p; q < end + 1; q++) {
                line += *q == '\n';
            }
            free(text);
            p = end + 1;
            continue;
        }
        line++;
        p = eol ? eol + 1 : NULL;
    }
    free(md);
    return found;
}

/* Loads `yaml` as a scene that must be refused with exactly `expected` (every diagnostic, in
 * order); on a mismatch names the case (and calls `explain`, when given, with what was found). */
static inline void check_bad_scene(const char *name, const char *yaml, const char *path,
                                   unsigned flags, const char *expected,
                                   void (*explain)(const char *yaml, const vt_diags *d)) {
    vt_diags d = {0};
    vt_scene *scene = NULL;
    vt_status st = vt_scene_load_string(yaml, strlen(yaml), path, flags, &scene, &d);
    char *got = diags_text(&d);
    if (st != VT_E_DATAERR || strcmp(got, expected) != 0) {
        fprintf(stderr, "case '%s':\n", name);
        if (explain) {
            explain(yaml, &d);
        }
    }
    VT_CHECK_INT(st, VT_E_DATAERR);
    VT_CHECK(scene == NULL);
    VT_CHECK_STR(got, expected);
    free(got);
    vt_diags_free(&d);
    vt_scene_destroy(scene);
}

#endif
