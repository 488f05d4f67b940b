/* libFuzzer target for typesetting: the first bytes pick the box, size, alignment, line limit,
 * letter spacing, hyphenation and language, the rest is the text. Any bytes must be set or
 * refused (invalid UTF-8, out-of-range size) without crashing, hanging or leaking, and every
 * layout keeps its invariants: lines and glyphs point into the text, widths are finite. */
#include "scene/vt_scene.h"
#include "text/vt_text.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static vt_text_ctx *ctx; /* one for the run: fontconfig's set-up is the slow part */

static void check(const vt_text_layout *lo) {
    size_t len = lo->text_len;
    if (!isfinite(lo->width) || !isfinite(lo->height)) {
        abort();
    }
    for (size_t i = 0; i < lo->line_count; i++) {
        const vt_text_line *l = &lo->lines[i];
        if (l->start > l->end || l->end > len ||
            l->first_glyph + l->glyph_count > lo->glyph_count || !isfinite(l->x) ||
            !isfinite(l->width)) {
            abort();
        }
    }
    for (size_t g = 0; g < lo->glyph_count; g++) {
        if (lo->glyphs[g].cluster > len || !isfinite(lo->glyphs[g].x)) {
            abort();
        }
    }
}

/* fontconfig refers to some of its blocks by offsets LeakSanitizer cannot follow: the context
 * is destroyed at exit, before the leak check, rather than left reachable. */
static void destroy_ctx(void) {
    vt_text_ctx_destroy(ctx);
    ctx = NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    if (vt_text_ctx_create(&ctx, NULL) != VT_OK) {
        abort();
    }
    atexit(destroy_ctx);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const char *const langs[] = {NULL, "fr", "en", "ar", "he", "ja", "zh-CN", "fr-CA"};
    static const char *const families[] = {"DejaVu Sans", "DejaVu Serif", "Noto Sans", "Nope"};
    if (size < 6) {
        return 0;
    }
    vt_text_layout_desc d = {.text = (const char *)data + 6,
                             .len = size - 6,
                             .lang = langs[data[0] % 8],
                             .font = {.family = families[(data[0] >> 3) % 4]},
                             .size = 1 + data[1] % 64,
                             .align = data[2] % 6,
                             .line_height = 0.5 + (data[2] >> 3) / 8.0,
                             .letter_spacing = (int8_t)data[3] / 16.0,
                             .max_lines = data[4] % 5,
                             .hyphenate = data[4] & 0x80,
                             .width = data[5] * 2.0};
    vt_text_layout *lo = NULL;
    if (vt_text_layout_create(ctx, &d, &lo, NULL) == VT_OK) {
        check(lo);
        vt_text_layout_destroy(lo);
    }
    return 0;
}
