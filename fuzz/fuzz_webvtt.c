/* libFuzzer target for WebVTT files: any bytes must be accepted or refused with diagnostics,
 * never crash, hang or leak; the look-ups and the French spacing run on whatever parsed. */
#include "text/vt_text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Invariants every parsed file keeps: sorted cues, end after start, valid UTF-8 text. */
static void check_cues(const vt_vtt *v) {
    for (size_t i = 0; i < v->count; i++) {
        const vt_vtt_cue *c = &v->cues[i];
        if (c->end <= c->start || (i > 0 && v->cues[i - 1].start > c->start) ||
            !vt_text_utf8_validate(c->text, strlen(c->text), NULL)) {
            abort();
        }
    }
}

/* The French spacing on the raw bytes: refused when not UTF-8, else idempotent. */
static void check_french(const char *s, size_t len) {
    char *fr = NULL, *fr2 = NULL;
    size_t n = 0, n2 = 0;
    if (vt_text_french_spacing(s, len, &fr, &n, NULL) == VT_OK) {
        vt_text_french_spacing(fr, n, &fr2, &n2, NULL);
        if (!fr2 || n2 != n || memcmp(fr, fr2, n) != 0) {
            abort();
        }
    }
    free(fr);
    free(fr2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    check_french((const char *)data, size);
    vt_diags diags = {0};
    vt_vtt v = {0};
    vt_vtt_parse((const char *)data, size, "fuzz.vtt", &v, &diags);
    check_cues(&v);
    for (size_t i = 0; i < v.count && i < 64; i++) {
        const vt_vtt_cue *c = &v.cues[i];
        const vt_vtt_cue *all[4];
        const vt_vtt_cue *a = vt_vtt_active(&v, c->start);
        size_t n = vt_vtt_active_all(&v, c->start, all, 4);
        vt_ticks next = vt_vtt_next_change(&v, c->start);
        /* c is active at its start, so something is, and the set changes by its end */
        if (!a || a->start < c->start || n == 0 || next <= c->start || next > c->end) {
            abort();
        }
        check_french(c->text, strlen(c->text));
    }
    vt_vtt_free(&v);
    vt_diags_free(&diags);
    return 0;
}
