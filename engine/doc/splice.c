/* Editing a YAML file in place: new values spliced at the byte offsets its nodes were read from,
 * so every comment and the layout stay as the person wrote them (calibration saves). */
#include "doc/vt_doc.h"

#include <stdlib.h>
#include <string.h>

char *vt_doc_splice(const char *text, size_t len, const vt_doc_edit *edits, size_t count,
                    size_t *out_len) {
    size_t total = len, at = 0;
    for (size_t i = 0; i < count; i++) {
        const vt_doc_edit *e = &edits[i];
        if (e->start < at || e->end < e->start || e->end > len || !e->text) {
            return NULL;
        }
        total = total - (e->end - e->start) + strlen(e->text);
        at = e->end;
    }
    char *out = vt_xmalloc(total + 1);
    size_t n = 0;
    at = 0;
    for (size_t i = 0; i < count; i++) {
        memcpy(out + n, text + at, edits[i].start - at);
        n += edits[i].start - at;
        size_t tl = strlen(edits[i].text);
        memcpy(out + n, edits[i].text, tl);
        n += tl;
        at = edits[i].end;
    }
    memcpy(out + n, text + at, len - at);
    n += len - at;
    out[n] = '\0';
    *out_len = n;
    return out;
}
