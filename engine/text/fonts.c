/* Fonts: the text context (FreeType library, fontconfig configuration), faces opened once per
 * file and index, family look-up with a warning naming the fallback, and per-character
 * fallback through fontconfig's sorted list. */
#include "io/vt_io.h"
#include "text/text_internal.h"

#include <harfbuzz/hb-ft.h>
#include <hyphen.h>
#include <linebreak.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_FAMILY "DejaVu Sans"
/* Faces a context may hold: each fallback search adds at most one, so this bounds memory on a
 * text that mixes every script. */
#define MAX_FACES 256
#define MAX_MISSING 256
/* A font file is read whole into memory: CJK collections are about 20 MiB. */
#define MAX_FONT_BYTES ((size_t)64 << 20)

#if defined(__SANITIZE_ADDRESS__) /* gcc */
#define VT_ASAN 1
#elif defined(__has_feature) /* clang */
#if __has_feature(address_sanitizer)
#define VT_ASAN 1
#endif
#endif
#ifdef VT_ASAN
/* libhyphen 2.8 leaks a few bytes of each dictionary it loads (hnj_hyphen_load_line's
 * replacement strings, freed by no function): bounded, once per language and context. Said to
 * LeakSanitizer here so that every sanitized program using text (tests, vitrine) stays clean
 * without hiding leaks of our own. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) {
    return "leak:libhyphen.so\n";
}
#endif

vt_status vt_text_ctx_create(vt_text_ctx **out, vt_error *err) {
    *out = NULL;
    vt_text_ctx *ctx = vt_xcalloc(1, sizeof *ctx);
    if (FT_Init_FreeType(&ctx->ft) != 0) {
        free(ctx);
        return VT_FAIL(err, VT_E_SOFTWARE, "cannot start FreeType");
    }
    /* A configuration of our own (not fontconfig's process-wide one), released with the
     * context; it reads the same system configuration and caches. */
    ctx->fc = FcInitLoadConfigAndFonts();
    if (!ctx->fc) {
        FT_Done_FreeType(ctx->ft);
        free(ctx);
        return VT_FAIL(err, VT_E_SOFTWARE,
                       "cannot load the fontconfig configuration; is fontconfig installed?");
    }
    init_linebreak();
    *out = ctx;
    return VT_OK;
}

void vt_text_ctx_destroy(vt_text_ctx *ctx) {
    if (!ctx) {
        return;
    }
    for (size_t i = 0; i < ctx->face_count; i++) {
        text_face *f = &ctx->faces[i];
        hb_face_destroy(f->hb);
        FT_Done_Face(f->ft);
        free(f->data);
        free(f->file);
        free(f->family);
    }
    for (size_t i = 0; i < ctx->hyph_count; i++) {
        if (ctx->hyph[i].dict) {
            hnj_hyphen_free(ctx->hyph[i].dict);
        }
    }
    free(ctx->hyph);
    free(ctx->faces);
    free(ctx->served);
    free(ctx->missing);
    if (ctx->coverage) {
        FcCharSetDestroy(ctx->coverage);
    }
    FcConfigDestroy(ctx->fc);
    FT_Done_FreeType(ctx->ft);
    free(ctx);
}

const text_face *vt_text_face(const vt_text_ctx *ctx, uint32_t font) {
    return font < ctx->face_count ? &ctx->faces[font] : NULL;
}

/* The handle of file:index as it is now, opened on first use. A face is keyed on the file's
 * size, modification time and inode too, so a font changed on disk (an author saving over it
 * during a hot reload) gets a new handle, while layouts made before keep the old one. */
static vt_status open_face(vt_text_ctx *ctx, const char *file, int index, const char *family,
                           uint32_t *font, vt_error *err) {
    struct stat st;
    if (access(file, R_OK) != 0 || stat(file, &st) != 0) {
        return VT_FAIL(err, VT_E_NOINPUT, "cannot read font file '%s'", file);
    }
    for (size_t i = 0; i < ctx->face_count; i++) {
        const text_face *f = &ctx->faces[i];
        if (f->index == index && f->size == (int64_t)st.st_size && f->ino == (uint64_t)st.st_ino &&
            f->mtime_s == (int64_t)st.st_mtim.tv_sec &&
            f->mtime_ns == (int64_t)st.st_mtim.tv_nsec && strcmp(f->file, file) == 0) {
            *font = (uint32_t)i;
            return VT_OK;
        }
    }
    if (ctx->face_count >= MAX_FACES) {
        return VT_FAIL(err, VT_E_SOFTWARE, "more than %d fonts in use; '%s' is not opened",
                       MAX_FACES, file);
    }
    /* Read into memory the face owns rather than mapped by FreeType: a file overwritten in
     * place under a mapping kills the process with SIGBUS. */
    char *data = NULL;
    size_t len = 0;
    vt_status rs = vt_file_read(file, MAX_FONT_BYTES, &data, &len, err);
    if (rs != VT_OK) {
        return rs;
    }
    FT_Face ft = NULL;
    FT_Error fe = FT_New_Memory_Face(ctx->ft, (const FT_Byte *)data, (FT_Long)len, index, &ft);
    if (fe != 0) {
        free(data);
        return VT_FAIL(err, VT_E_DATAERR, "'%s' is not a font FreeType can read (error %d)", file,
                       fe);
    }
    if (!FT_IS_SCALABLE(ft)) {
        FT_Done_Face(ft);
        free(data);
        return VT_FAIL(err, VT_E_DATAERR, "'%s' is a bitmap font; use a TrueType or OpenType font",
                       file);
    }
    VT_GROW(ctx->faces, ctx->face_count, ctx->face_cap, 8);
    text_face *f = &ctx->faces[ctx->face_count];
    *f = (text_face){.file = vt_xstrdup(file),
                     .index = index,
                     .ft = ft,
                     .data = data,
                     .size = (int64_t)st.st_size,
                     .ino = (uint64_t)st.st_ino,
                     .mtime_s = (int64_t)st.st_mtim.tv_sec,
                     .mtime_ns = (int64_t)st.st_mtim.tv_nsec};
    f->family = vt_xstrdup(family ? family : (ft->family_name ? ft->family_name : file));
    f->hb = hb_ft_face_create_referenced(ft);
    *font = (uint32_t)ctx->face_count++;
    return VT_OK;
}

/* Family names CSS and fontconfig treat as generic: whatever they map to is what was asked. */
static bool is_generic(const char *family) {
    static const char *const generic[] = {"sans-serif", "sans",      "serif",   "monospace",
                                          "mono",       "system-ui", "cursive", "fantasy"};
    for (size_t i = 0; i < sizeof generic / sizeof *generic; i++) {
        if (strcasecmp(family, generic[i]) == 0) {
            return true;
        }
    }
    return false;
}

static FcPattern *style_pattern(const char *family, int weight, bool italic, const char *lang) {
    FcPattern *pat = FcPatternCreate();
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
    FcPatternAddDouble(pat, FC_WEIGHT, FcWeightFromOpenTypeDouble(weight > 0 ? weight : 400));
    FcPatternAddInteger(pat, FC_SLANT, italic ? FC_SLANT_ITALIC : FC_SLANT_ROMAN);
    FcPatternAddBool(pat, FC_SCALABLE, FcTrue);
    if (lang && *lang) {
        FcPatternAddString(pat, FC_LANG, (const FcChar8 *)lang);
    }
    return pat;
}

/* Whether a matched font carries the family asked for (any of its localised names). */
static bool has_family(FcPattern *font, const char *family) {
    FcChar8 *name = NULL;
    for (int i = 0; FcPatternGetString(font, FC_FAMILY, i, &name) == FcResultMatch; i++) {
        if (FcStrCmpIgnoreCase(name, (const FcChar8 *)family) == 0) {
            return true;
        }
    }
    return false;
}

static vt_status find_family(vt_text_ctx *ctx, const vt_text_font_desc *desc, uint32_t *font,
                             char *warning, size_t size, vt_error *err) {
    const char *family = desc->family && *desc->family ? desc->family : DEFAULT_FAMILY;
    FcPattern *pat = style_pattern(family, desc->weight, desc->italic, NULL);
    FcConfigSubstitute(ctx->fc, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res = FcResultNoMatch;
    FcPattern *match = FcFontMatch(ctx->fc, pat, &res);
    FcPatternDestroy(pat);
    FcChar8 *file = NULL, *found = NULL;
    int index = 0;
    if (!match || FcPatternGetString(match, FC_FILE, 0, &file) != FcResultMatch) {
        if (match) {
            FcPatternDestroy(match);
        }
        return VT_FAIL(err, VT_E_SOFTWARE,
                       "no font is installed for '%s'; install fonts-dejavu-core", family);
    }
    FcPatternGetInteger(match, FC_INDEX, 0, &index);
    FcPatternGetString(match, FC_FAMILY, 0, &found);
    if (!has_family(match, family) && !is_generic(family)) {
        char msg[512];
        snprintf(msg, sizeof msg, "font '%s' not found; using '%s'", family,
                 found ? (const char *)found : (const char *)file);
        if (warning && size) {
            snprintf(warning, size, "%s", msg);
        }
    }
    vt_status st = open_face(ctx, (const char *)file, index, (const char *)found, font, err);
    FcPatternDestroy(match);
    return st;
}

vt_status vt_text_font_find(vt_text_ctx *ctx, const vt_text_font_desc *desc, uint32_t *font,
                            char *warning, size_t size, vt_error *err) {
    if (warning && size) {
        warning[0] = '\0';
    }
    if (desc->path && *desc->path) {
        vt_error why = {0};
        vt_status st = open_face(ctx, desc->path, 0, NULL, font, &why);
        if (st != VT_E_NOINPUT && st != VT_E_DATAERR) {
            if (st != VT_OK && err) {
                *err = why;
            }
            return st;
        }
        /* A missing, unreadable or broken file: the default family, as for a family that is
         * not installed, rather than no text at all. */
        vt_text_font_desc fallback = *desc;
        fallback.path = NULL;
        fallback.family = DEFAULT_FAMILY;
        st = find_family(ctx, &fallback, font, NULL, 0, err);
        if (st == VT_OK && warning && size) {
            snprintf(warning, size, "%s; using '%s'", why.message, ctx->faces[*font].family);
        }
        return st;
    }
    return find_family(ctx, desc, font, warning, size, err);
}

bool vt_text_font_info(const vt_text_ctx *ctx, uint32_t font, const char **file, int *index,
                       const char **family) {
    const text_face *f = vt_text_face(ctx, font);
    if (!f) {
        return false;
    }
    if (file) {
        *file = f->file;
    }
    if (index) {
        *index = f->index;
    }
    if (family) {
        *family = f->family;
    }
    return true;
}

static bool face_has(const vt_text_ctx *ctx, uint32_t font, uint32_t cp) {
    return FT_Get_Char_Index(ctx->faces[font].ft, cp) != 0;
}

static bool known_missing(const vt_text_ctx *ctx, uint32_t cp) {
    for (size_t i = 0; i < ctx->missing_count; i++) {
        if (ctx->missing[i] == cp) {
            return true;
        }
    }
    return false;
}

/* The union of the installed outline fonts' character sets, so that a text full of code points
 * no font has costs one look-up each, not one fontconfig sort each. */
static const FcCharSet *coverage(vt_text_ctx *ctx) {
    if (ctx->coverage) {
        return ctx->coverage;
    }
    ctx->coverage = FcCharSetCreate();
    FcPattern *pat = FcPatternCreate();
    FcPatternAddBool(pat, FC_SCALABLE, FcTrue);
    FcObjectSet *os = FcObjectSetBuild(FC_CHARSET, FC_COLOR, (char *)NULL);
    FcFontSet *set = FcFontList(ctx->fc, pat, os);
    for (int i = 0; set && i < set->nfont; i++) {
        FcCharSet *cs = NULL;
        FcBool color = FcFalse;
        FcPatternGetBool(set->fonts[i], FC_COLOR, 0, &color);
        if (!color && FcPatternGetCharSet(set->fonts[i], FC_CHARSET, 0, &cs) == FcResultMatch) {
            FcCharSetMerge(ctx->coverage, cs, NULL);
        }
    }
    if (set) {
        FcFontSetDestroy(set);
    }
    FcObjectSetDestroy(os);
    FcPatternDestroy(pat);
    return ctx->coverage;
}

/* Asks fontconfig for the fonts closest to `base`'s family and style that cover cp. */
static bool search_fallback(vt_text_ctx *ctx, uint32_t base, uint32_t cp, const char *lang,
                            uint32_t *out) {
    const text_face *bf = &ctx->faces[base];
    FcPattern *pat =
        style_pattern(bf->family, (bf->ft->style_flags & FT_STYLE_FLAG_BOLD) ? 700 : 400,
                      (bf->ft->style_flags & FT_STYLE_FLAG_ITALIC) != 0, lang);
    FcCharSet *cs = FcCharSetCreate();
    FcCharSetAddChar(cs, cp);
    FcPatternAddCharSet(pat, FC_CHARSET, cs);
    FcCharSetDestroy(cs);
    FcConfigSubstitute(ctx->fc, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res = FcResultNoMatch;
    FcFontSet *set = FcFontSort(ctx->fc, pat, FcFalse, NULL, &res);
    FcPatternDestroy(pat);
    bool found = false;
    for (int i = 0; set && i < set->nfont && !found; i++) {
        FcPattern *f = set->fonts[i];
        FcCharSet *fcs = NULL;
        FcBool color = FcFalse, scalable = FcFalse;
        FcPatternGetBool(f, FC_COLOR, 0, &color);
        FcPatternGetBool(f, FC_SCALABLE, 0, &scalable);
        if (color || !scalable || FcPatternGetCharSet(f, FC_CHARSET, 0, &fcs) != FcResultMatch ||
            !FcCharSetHasChar(fcs, cp)) {
            continue;
        }
        FcChar8 *file = NULL, *family = NULL;
        int index = 0;
        FcPatternGetInteger(f, FC_INDEX, 0, &index);
        FcPatternGetString(f, FC_FAMILY, 0, &family);
        vt_error err = {0};
        if (FcPatternGetString(f, FC_FILE, 0, &file) == FcResultMatch &&
            open_face(ctx, (const char *)file, index, (const char *)family, out, &err) == VT_OK &&
            face_has(ctx, *out, cp)) {
            found = true;
        }
    }
    if (set) {
        FcFontSetDestroy(set);
    }
    return found;
}

static bool is_cjk(uint32_t cp) {
    hb_script_t s = hb_unicode_script(hb_unicode_funcs_get_default(), cp);
    return s == HB_SCRIPT_HAN || s == HB_SCRIPT_HIRAGANA || s == HB_SCRIPT_KATAKANA ||
           s == HB_SCRIPT_HANGUL || s == HB_SCRIPT_BOPOMOFO;
}

static void add_served(vt_text_ctx *ctx, uint32_t face, const char *lang) {
    if (ctx->served_count >= MAX_FACES * 4) {
        return;
    }
    ctx->served = vt_xrealloc(ctx->served, (ctx->served_count + 1) * sizeof *ctx->served);
    text_served *sv = &ctx->served[ctx->served_count++];
    sv->face = face;
    snprintf(sv->lang, sizeof sv->lang, "%s", lang ? lang : "");
}

uint32_t vt_text_font_for(vt_text_ctx *ctx, uint32_t font, uint32_t cp, const char *lang,
                          bool *missing) {
    if (missing) {
        *missing = false;
    }
    if (font >= ctx->face_count || face_has(ctx, font, cp)) {
        return font;
    }
    /* Fallbacks found before first: a paragraph of Arabic asks fontconfig once. Han, kana and
     * hangul take only those found for the same language: the same character is drawn
     * differently in Japanese, Chinese and Korean, and fontconfig knows which face is which. */
    bool cjk = is_cjk(cp);
    for (size_t i = 0; i < ctx->served_count; i++) {
        const text_served *sv = &ctx->served[i];
        if ((!cjk || strcmp(sv->lang, lang ? lang : "") == 0) && face_has(ctx, sv->face, cp)) {
            return sv->face;
        }
    }
    uint32_t found = font;
    if (!FcCharSetHasChar(coverage(ctx), cp) || known_missing(ctx, cp)) {
        if (missing) {
            *missing = true;
        }
        return font;
    }
    if (search_fallback(ctx, font, cp, lang, &found)) {
        add_served(ctx, found, lang);
        return found;
    }
    /* Covered by a font that cannot be used (it failed to open): remember, search once. */
    if (ctx->missing_count < MAX_MISSING) {
        VT_GROW(ctx->missing, ctx->missing_count, ctx->missing_cap, 16);
        ctx->missing[ctx->missing_count++] = cp;
    }
    if (missing) {
        *missing = true;
    }
    return font;
}

/* Debian's hyphen-* packages: /usr/share/hyphen/hyph_<ll>.dic (or hyph_<ll>_<CC>.dic). */
void *vt_text_hyph_dict(vt_text_ctx *ctx, const char *lang) {
    char ll[16] = "";
    for (size_t i = 0; lang && lang[i] && lang[i] != '-' && lang[i] != '_' && i < 8; i++) {
        ll[i] = (char)((lang[i] >= 'A' && lang[i] <= 'Z') ? lang[i] + 32 : lang[i]);
        ll[i + 1] = '\0';
        if (!((ll[i] >= 'a' && ll[i] <= 'z'))) {
            return NULL;
        }
    }
    if (!ll[0]) {
        return NULL;
    }
    for (size_t i = 0; i < ctx->hyph_count; i++) {
        if (strcmp(ctx->hyph[i].lang, ll) == 0) {
            return ctx->hyph[i].dict;
        }
    }
    char path[64];
    snprintf(path, sizeof path, "/usr/share/hyphen/hyph_%s.dic", ll);
    void *dict = access(path, R_OK) == 0 ? hnj_hyphen_load(path) : NULL;
    ctx->hyph = vt_xrealloc(ctx->hyph, (ctx->hyph_count + 1) * sizeof *ctx->hyph);
    text_hyph *h = &ctx->hyph[ctx->hyph_count++];
    snprintf(h->lang, sizeof h->lang, "%s", ll);
    h->dict = dict;
    return dict;
}
