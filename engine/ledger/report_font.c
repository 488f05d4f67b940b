/* Labels for the report's chart, set by the text module (engine/text: HarfBuzz shaping, FriBidi,
 * fallback fonts) and rasterised into an atlas of this font's own, then blended into the
 * chart's pixels on the CPU: the chart is drawn without a GPU. */
#include "ledger/report_internal.h"

#include "text/vt_text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A chart has a few dozen distinct glyphs at three sizes: a small atlas holds them all. */
#define ATLAS_INITIAL 256
#define ATLAS_MAX 1024

struct report_font {
    vt_text_ctx *ctx;
    vt_text_atlas *atlas;
    char *family;
    uint64_t label; /* the atlas's "frame": one per label, so a full atlas evicts older labels */
};

report_font *report_font_open(const char *family, char *why, size_t cap) {
    vt_error err = {0};
    vt_text_ctx *ctx = NULL;
    if (vt_text_ctx_create(&ctx, &err) != VT_OK) {
        snprintf(why, cap, "%s", err.message);
        return NULL;
    }
    /* Found now so that a machine without fonts says so once; a family it lacks is replaced by
     * the closest installed one, which draws labels as readable, so its warning is not kept. */
    uint32_t font = 0;
    vt_text_font_desc fd = {.family = family};
    if (vt_text_font_find(ctx, &fd, &font, NULL, 0, &err) != VT_OK) {
        snprintf(why, cap, "%s", err.message);
        vt_text_ctx_destroy(ctx);
        return NULL;
    }
    report_font *f = vt_xcalloc(1, sizeof *f);
    f->ctx = ctx;
    f->atlas = vt_text_atlas_create(ATLAS_INITIAL, ATLAS_MAX);
    f->family = vt_xstrdup(family);
    return f;
}

void report_font_close(report_font *f) {
    if (!f) {
        return;
    }
    vt_text_atlas_destroy(f->atlas);
    vt_text_ctx_destroy(f->ctx);
    free(f->family);
    free(f);
}

/* Coverage `e` from the atlas over img at (left, top), straight alpha on sRGB-encoded values
 * (the chart is opaque, so its alpha stays 255). */
static void blend(vt_image *img, const report_font *f, const vt_text_atlas_entry *e, int left,
                  int top, const uint8_t rgb[3]) {
    int side = 0;
    const uint8_t *cov = vt_text_atlas_pixels(f->atlas, &side);
    for (int r = 0; r < e->h; r++) {
        int y = top + r;
        for (int c = 0; c < e->w; c++) {
            int x = left + c;
            if (x < 0 || y < 0 || x >= img->width || y >= img->height) {
                continue;
            }
            unsigned a = cov[(size_t)(e->y + r) * side + e->x + c];
            uint8_t *px = img->pixels + ((size_t)y * img->width + x) * 4;
            for (int k = 0; k < 3; k++) {
                px[k] = (uint8_t)((px[k] * (255 - a) + rgb[k] * a + 127) / 255);
            }
        }
    }
}

/* One glyph with its pen at (x, y): x split into a whole pixel and a quarter-pixel phase (the
 * glyph rasterised shifted by it), so shaped advances keep their fractional spacing. */
static void draw_glyph(report_font *f, vt_image *img, const vt_text_glyph *g, double x, double y,
                       uint32_t size_q, const uint8_t rgb[3]) {
    double ix = floor(x);
    int phase = (int)floor((x - ix) * 4.0 + 0.5);
    vt_text_atlas_key key = {g->font, g->glyph, size_q, (uint32_t)(phase & 3)};
    vt_text_atlas_entry e;
    vt_error err = {0};
    /* A glyph that cannot be rasterised leaves a gap; the rest of the label still reads. */
    if (vt_text_glyph_raster(f->ctx, f->atlas, key, f->label, &e, &err) != VT_OK) {
        return;
    }
    int left = (int)ix + (phase == 4) + e.left, top = (int)lround(y) - e.top;
    blend(img, f, &e, left, top, rgb);
}

int report_font_draw(report_font *f, vt_image *img, int x, int y, int px, const uint8_t rgb[3],
                     const char *text, int align) {
    if (!f) {
        return 0;
    }
    /* The chart's labels are English; one line, with no box to wrap to. */
    vt_text_layout_desc d = {.text = text,
                             .len = strlen(text),
                             .lang = "en",
                             .font = {.family = f->family},
                             .size = px,
                             .max_lines = 1};
    vt_text_layout *lo = NULL;
    vt_error err = {0};
    /* Only text that is not UTF-8 fails here: the label is left out rather than the chart. */
    if (vt_text_layout_create(f->ctx, &d, &lo, &err) != VT_OK) {
        return 0;
    }
    double left = x - (align == 1 ? lo->width / 2 : align == 2 ? lo->width : 0);
    double base = lo->line_count ? lo->lines[0].baseline : 0;
    uint32_t size_q = vt_text_size_quantize(px);
    f->label++;
    for (size_t i = 0; img && i < lo->glyph_count; i++) {
        const vt_text_glyph *g = &lo->glyphs[i];
        draw_glyph(f, img, g, left + g->x, y + g->y - base, size_q, rgb);
    }
    int advance = (int)lround(lo->width);
    vt_text_layout_destroy(lo);
    return advance;
}
