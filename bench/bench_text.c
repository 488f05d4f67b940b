/* Typesetting costs, CPU time: laying out a French paragraph of 882 characters justified in a
 * box (fonts cached, as after the first frame), and rasterising its glyphs into an empty atlas at a
 * new drawn size (what a render-scale change costs once), each at its pen's quarter-pixel phase
 * as the renderer draws it at scale 1. Unchanged text costs neither: the renderer keeps the
 * layout and the atlas keeps the glyphs. Target: at most 5 ms a layout. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "scene/vt_scene.h"
#include "text/vt_text.h"

static double cpu_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char para[] =
    "Les marées : quand la mer se retire, elle découvre des estrans immenses où vivent des "
    "milliers d'espèces ; certaines ne supportent que quelques heures hors de l'eau ! Pourquoi "
    "la mer monte-t-elle deux fois par jour ? La Lune et le Soleil attirent les océans, et la "
    "rotation de la Terre fait passer chaque rivage sous ces bourrelets d'eau. « Le marnage » "
    "dépasse treize mètres dans la baie du Mont-Saint-Michel, l'un des plus forts du monde. ";

int main(void) {
    vt_text_ctx *ctx = NULL;
    vt_error err = {0};
    if (vt_text_ctx_create(&ctx, &err) != VT_OK) {
        fprintf(stderr, "bench_text: %s\n", err.message);
        return 70;
    }
    char text[1100] = "";
    while (strlen(text) + sizeof para < sizeof text) {
        strcat(text, para);
    }
    vt_text_layout_desc d = {.text = text,
                             .len = strlen(text),
                             .lang = "fr",
                             .font = {.family = "DejaVu Serif"},
                             .size = 32,
                             .align = VT_ALIGN_JUSTIFY,
                             .line_height = 1.25,
                             .hyphenate = true,
                             .width = 1200};
    vt_text_layout *lo = NULL;
    vt_text_layout_create(ctx, &d, &lo, &err); /* warm-up: fonts, fallbacks, dictionary */
    vt_text_layout_destroy(lo);
    const int runs = 50;
    double t0 = cpu_s();
    for (int i = 0; i < runs; i++) {
        if (vt_text_layout_create(ctx, &d, &lo, &err) != VT_OK) {
            fprintf(stderr, "bench_text: %s\n", err.message);
            return 70;
        }
        if (i + 1 < runs) {
            vt_text_layout_destroy(lo);
        }
    }
    double per_layout = (cpu_s() - t0) / runs;
    t0 = cpu_s();
    vt_text_atlas *atlas = vt_text_atlas_create(512, 4096);
    for (size_t g = 0; g < lo->glyph_count; g++) {
        vt_text_atlas_entry e;
        /* The pen's quarter-pixel phase, as engine/render/text.c keys it at scale 1. */
        double x = lo->glyphs[g].x;
        uint32_t phase = (uint32_t)((int)floor((x - floor(x)) * 4.0 + 0.5) & 3);
        vt_text_atlas_key key = {lo->glyphs[g].font, lo->glyphs[g].glyph, vt_text_size_quantize(32),
                                 phase};
        vt_text_glyph_raster(ctx, atlas, key, 1, &e, &err);
    }
    double raster = cpu_s() - t0;
    /* Distinct glyphs (font, glyph index), whatever their pen phase. */
    size_t distinct = 0;
    for (size_t g = 0; g < lo->glyph_count; g++) {
        size_t h = 0;
        while (h < g && (lo->glyphs[h].font != lo->glyphs[g].font ||
                         lo->glyphs[h].glyph != lo->glyphs[g].glyph)) {
            h++;
        }
        distinct += h == g;
    }
    size_t chars = 0; /* UTF-8: every byte but the continuation bytes starts a character */
    for (size_t i = 0; i < d.len; i++) {
        chars += ((unsigned char)text[i] & 0xC0) != 0x80;
    }
    printf("bench_text: layout of %zu characters (%zu bytes) in %zu lines: %.2f ms CPU "
           "(target <= 5 ms); rasterising its %zu glyphs (%zu distinct, %zu bitmaps with their "
           "pen phases) at a new size: %.2f ms\n",
           chars, d.len, lo->line_count, per_layout * 1e3, lo->glyph_count, distinct,
           vt_text_atlas_count(atlas), raster * 1e3);
    vt_text_atlas_destroy(atlas);
    vt_text_layout_destroy(lo);
    vt_text_ctx_destroy(ctx);
    return per_layout <= 0.005 ? 0 : 1;
}
