/* libFuzzer target for ISF files: any bytes must be accepted or refused with diagnostics, never
 * crash, hang or leak; every pass size of what parsed stays within bounds, and every WIDTH or
 * HEIGHT expression, fed the file's own text, evaluates or fails cleanly. */
#include "isf/vt_isf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool any_var(void *user, const char *name, size_t len, double *out) {
    (void)user;
    *out = (double)len - (name[0] == 'W' ? 0.5 : 2.0);
    return len > 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    vt_diags diags = {0};
    vt_isf *isf = NULL;
    vt_status st = vt_isf_parse((const char *)data, size, "fuzz.fs", &isf, &diags);
    if ((st == VT_OK) != (isf != NULL) || (st == VT_OK) != (diags.errors == 0)) {
        abort();
    }
    for (size_t i = 0; isf && i < isf->n_passes; i++) {
        int w = 0, h = 0;
        vt_isf_pass_size(isf, i, 1920, 1080, any_var, NULL, &w, &h);
        if (w < 1 || h < 1 || w > VT_ISF_MAX_SIZE || h > VT_ISF_MAX_SIZE) {
            abort();
        }
    }
    if (isf && strlen(isf->glsl) != size) {
        abort(); /* the body keeps every byte's place */
    }
    /* the raw bytes as an expression */
    char *e = malloc(size + 1);
    memcpy(e, data, size);
    e[size] = '\0';
    double v;
    char why[128];
    vt_isf_expr_eval(e, any_var, NULL, &v, why, sizeof why);
    free(e);
    vt_isf_free(isf);
    vt_diags_free(&diags);
    return 0;
}
