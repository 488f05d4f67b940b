/* Labels for the report's chart: a font found through fontconfig ("DejaVu Sans" on Debian,
 * package fonts-dejavu-core) rasterised with FreeType and blended into the chart's pixels. Kept
 * apart from engine/text so the chart depends on nothing but the two libraries. */
#include "governor/report_internal.h"

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H

#include <stdlib.h>
#include <string.h>

struct report_font {
    FT_Library lib;
    FT_Face face;
};

/* The file fontconfig picks for `family`, or NULL. */
static char *match_file(const char *family, int *index) {
    FcConfig *cfg = FcInitLoadConfigAndFonts();
    if (!cfg) {
        return NULL;
    }
    FcPattern *pat = FcNameParse((const FcChar8 *)family);
    char *path = NULL;
    if (pat) {
        FcConfigSubstitute(cfg, pat, FcMatchPattern);
        FcDefaultSubstitute(pat);
        FcResult res = FcResultNoMatch;
        FcPattern *m = FcFontMatch(cfg, pat, &res);
        FcChar8 *file = NULL;
        if (m && FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch) {
            path = vt_xstrdup((const char *)file);
            if (FcPatternGetInteger(m, FC_INDEX, 0, index) != FcResultMatch) {
                *index = 0;
            }
        }
        if (m) {
            FcPatternDestroy(m);
        }
        FcPatternDestroy(pat);
    }
    FcConfigDestroy(cfg);
    return path;
}

report_font *report_font_open(const char *family, char *why, size_t cap) {
    int index = 0;
    char *path = match_file(family, &index);
    if (!path) {
        snprintf(why, cap, "fontconfig found no font for '%s'", family);
        return NULL;
    }
    report_font *f = vt_xcalloc(1, sizeof *f);
    if (FT_Init_FreeType(&f->lib) != 0) {
        snprintf(why, cap, "FreeType could not start");
        free(f);
        free(path);
        return NULL;
    }
    if (FT_New_Face(f->lib, path, index, &f->face) != 0) {
        snprintf(why, cap, "FreeType cannot read %s", path);
        FT_Done_FreeType(f->lib);
        free(f);
        free(path);
        return NULL;
    }
    free(path);
    return f;
}

void report_font_close(report_font *f) {
    if (!f) {
        return;
    }
    FT_Done_Face(f->face);
    FT_Done_FreeType(f->lib);
    free(f);
}

/* The next code point of UTF-8 text (U+FFFD for a bad byte). */
static uint32_t next_cp(const char **s) {
    const unsigned char *p = (const unsigned char *)*s;
    uint32_t cp = *p;
    int extra = cp < 0x80 ? 0 : (cp & 0xE0) == 0xC0 ? 1 : (cp & 0xF0) == 0xE0 ? 2 : 3;
    cp = extra == 0 ? cp : extra == 1 ? cp & 0x1F : extra == 2 ? cp & 0x0F : cp & 0x07;
    for (int i = 1; i <= extra; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *s += i;
            return 0xFFFD;
        }
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    *s += extra + 1;
    return cp;
}

static void blend(vt_image *img, const FT_Bitmap *bm, int left, int top, const uint8_t rgb[3]) {
    for (unsigned r = 0; r < bm->rows; r++) {
        int y = top + (int)r;
        for (unsigned c = 0; c < bm->width; c++) {
            int x = left + (int)c;
            if (x < 0 || y < 0 || x >= img->width || y >= img->height) {
                continue;
            }
            unsigned a = bm->buffer[r * (unsigned)bm->pitch + c];
            uint8_t *px = img->pixels + ((size_t)y * img->width + x) * 4;
            for (int k = 0; k < 3; k++) {
                px[k] = (uint8_t)((px[k] * (255 - a) + rgb[k] * a + 127) / 255);
            }
        }
    }
}

/* Draws (img != NULL) or measures the text; returns its advance in pixels. */
static int run(report_font *f, vt_image *img, int x, int y, const uint8_t rgb[3],
               const char *text) {
    int pen = 0;
    for (const char *s = text; *s;) {
        uint32_t cp = next_cp(&s);
        if (FT_Load_Char(f->face, cp, img ? FT_LOAD_RENDER : FT_LOAD_DEFAULT) != 0) {
            continue;
        }
        FT_GlyphSlot g = f->face->glyph;
        if (img) {
            blend(img, &g->bitmap, x + pen + g->bitmap_left, y - g->bitmap_top, rgb);
        }
        pen += (int)((g->advance.x + 32) >> 6);
    }
    return pen;
}

int report_font_draw(report_font *f, vt_image *img, int x, int y, int px, const uint8_t rgb[3],
                     const char *text, int align) {
    if (!f || FT_Set_Pixel_Sizes(f->face, 0, (FT_UInt)px) != 0) {
        return 0;
    }
    int w = run(f, NULL, 0, 0, rgb, text);
    x -= align == 1 ? w / 2 : align == 2 ? w : 0;
    return run(f, img, x, y, rgb, text);
}
