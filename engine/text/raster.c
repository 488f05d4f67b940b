/* Rasterisation: a glyph's 8-bit coverage by FreeType at the size it is drawn (quantised to a
 * quarter pixel so that zooming does not fill the atlas with near-identical copies), unhinted
 * like the advances the layout uses, kept in the atlas. */
#include "text/text_internal.h"

#include FT_OUTLINE_H
#include <math.h>

#define MAX_SIZE_Q (4u * 4096u)

uint32_t vt_text_size_quantize(double px) {
    if (!(px > 0.25)) {
        return 1;
    }
    double q = floor(px * 4.0 + 0.5);
    return q > MAX_SIZE_Q ? MAX_SIZE_Q : (uint32_t)q;
}

vt_status vt_text_glyph_raster(vt_text_ctx *ctx, vt_text_atlas *atlas, vt_text_atlas_key key,
                               uint64_t frame, vt_text_atlas_entry *out, vt_error *err) {
    uint32_t font = key.font, glyph = key.glyph, size_q = key.size_q;
    key.phase &= 3;
    if (vt_text_atlas_find(atlas, key, frame, out)) {
        return VT_OK;
    }
    if (vt_text_atlas_failed(atlas, key, frame)) {
        return VT_FAIL(err, VT_E_SOFTWARE,
                       "glyph %u of font %u at %.2f px already failed in this frame; tried again "
                       "in the next",
                       (unsigned)glyph, (unsigned)font, size_q / 4.0);
    }
    const text_face *f = vt_text_face(ctx, font);
    if (!f) {
        return VT_FAIL(err, VT_E_SOFTWARE, "unknown font handle %u", (unsigned)font);
    }
    /* 26.6 at 72 dpi: size_q / 4 pixels is size_q * 16 in 1/64 points. */
    FT_Error fe = FT_Set_Char_Size(f->ft, 0, (FT_F26Dot6)size_q * 16, 72, 72);
    if (fe == 0) {
        fe = FT_Load_Glyph(f->ft, glyph, FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP);
    }
    if (fe == 0 && f->ft->glyph->format == FT_GLYPH_FORMAT_OUTLINE) {
        /* The pen's quarter-pixel phase, in 26.6. */
        FT_Outline_Translate(&f->ft->glyph->outline, (FT_Pos)key.phase * 16, 0);
    }
    if (fe == 0) {
        fe = FT_Render_Glyph(f->ft->glyph, FT_RENDER_MODE_NORMAL);
    }
    if (fe != 0) {
        vt_text_atlas_note_failure(atlas, key, frame);
        return VT_FAIL(err, VT_E_DATAERR, "FreeType cannot render glyph %u of '%s' (error %d)",
                       (unsigned)glyph, f->file, fe);
    }
    const FT_GlyphSlot g = f->ft->glyph;
    const FT_Bitmap *bm = &g->bitmap;
    if (bm->pixel_mode != FT_PIXEL_MODE_GRAY && bm->rows && bm->width) {
        vt_text_atlas_note_failure(atlas, key, frame);
        return VT_FAIL(err, VT_E_DATAERR, "glyph %u of '%s' is not a grey bitmap", (unsigned)glyph,
                       f->file);
    }
    /* A bitmap stored bottom-up has a negative pitch: start at its last row. */
    const uint8_t *px = bm->buffer;
    if (bm->pitch < 0 && px) {
        px += (size_t)(-bm->pitch) * (bm->rows - 1);
    }
    return vt_text_atlas_add(atlas, key, (int)bm->width, (int)bm->rows, px, bm->pitch,
                             g->bitmap_left, g->bitmap_top, frame, out, err);
}
