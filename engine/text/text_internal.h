/* The text module's private state: the context's FreeType library, fontconfig configuration and
 * face cache, shared by fonts.c, layout.c and raster.c. Includes the libraries. */
#ifndef VT_TEXT_INTERNAL_H
#define VT_TEXT_INTERNAL_H

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <harfbuzz/hb.h>

#include "text/vt_text.h"

/* A face opened once per file (as it was when read: size, inode, modification time) and face
 * index, from a copy of the file it owns. */
typedef struct text_face {
    char *file;
    int index;
    char *family;
    FT_Face ft;
    hb_face_t *hb;
    char *data; /* the file's bytes, which FreeType reads from */
    int64_t size, mtime_s, mtime_ns;
    uint64_t ino;
} text_face;

/* A hyphenation dictionary per language ("fr"); dict NULL when none is installed. */
typedef struct text_hyph {
    char lang[16];
    void *dict; /* HyphenDict */
} text_hyph;

/* A fallback face fontconfig chose for a language ("" for none). */
typedef struct text_served {
    uint32_t face;
    char lang[36];
} text_served;

struct vt_text_ctx {
    FT_Library ft;
    FcConfig *fc;
    text_face *faces;
    size_t face_count, face_cap;
    text_served *served; /* fallbacks found so far, tried before asking fontconfig */
    size_t served_count;
    FcCharSet *coverage; /* every code point some installed outline font has (made on the
                            first fallback): what it lacks is tofu without a search */
    uint32_t *missing;   /* code points no installed font has (searched once) */
    size_t missing_count, missing_cap;
    text_hyph *hyph;
    size_t hyph_count;
};

const text_face *vt_text_face(const vt_text_ctx *ctx, uint32_t font);
/* The hyphenation dictionary for a language (NULL: none installed). */
void *vt_text_hyph_dict(vt_text_ctx *ctx, const char *lang);

#endif
