/* Text layers: UTF-8 checks, French typographic spacing, WebVTT subtitles (parsing, active-cue
 * look-up), and typesetting: fonts through fontconfig, bidi (FriBidi), line breaking
 * (libunibreak), shaping (HarfBuzz), rasterisation (FreeType) into a glyph atlas. The libraries
 * stay behind opaque types: this header includes none of them. Drawing is the renderer's. */
#ifndef VT_TEXT_H
#define VT_TEXT_H

#include "core/vt_core.h"

/* ---- UTF-8 ---- */

/* Decodes the code point at s[0..len). Returns the length of the sequence (1 to 4) and sets
 * *cp; returns 0 (and sets *cp to U+FFFD) for an invalid or truncated sequence: a stray
 * continuation byte, an overlong form, a surrogate (U+D800..U+DFFF), a value above U+10FFFF,
 * or len == 0. Thread-safe (no state). */
size_t vt_text_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Encodes cp into out (at least 4 bytes) and returns the number of bytes written; returns 0 for
 * surrogates and values above U+10FFFF. */
size_t vt_text_utf8_encode(uint32_t cp, char *out);

/* True when s[0..len) is valid UTF-8 (U+0000 is valid). Otherwise false, and *bad_offset (when
 * not NULL) is the byte offset of the first invalid sequence. On success *bad_offset is len. */
bool vt_text_utf8_validate(const char *s, size_t len, size_t *bad_offset);

/* ---- French typography ---- */

#define VT_TEXT_NBSP 0x00A0u  /* NO-BREAK SPACE: before ':' and inside guillemets */
#define VT_TEXT_NNBSP 0x202Fu /* NARROW NO-BREAK SPACE: before ';', '!' and '?' */

/* Turns author text into French typeset text (the rules as commonly applied on screens, after
 * the Imprimerie nationale):
 *   - U+202F before ';' '!' '?', U+00A0 before ':' and '»' and after '«';
 *   - put in where the author typed nothing, replacing a run of plain spaces (U+0020) typed
 *     there; any other space typed there (U+00A0, U+202F, U+2009, tab...) is kept as typed;
 *   - one space before a group such as "?!" or "!!!", not inside it;
 *   - nothing at the start of a line, nor after '«' at the end of one;
 *   - ':' only gets a space when followed by a space, the end of the line or text, a quote,
 *     a bracket or punctuation, so times and ratios ("12:30", "1:2"), "http://", "mailto:x",
 *     "C:\" and ":-)" are left alone;
 *   - URLs ("scheme://..." and "www...." up to the next space, '<', '>', '"', '«' or '»') are
 *     copied verbatim, whatever punctuation they hold;
 *   - everything else, "..." included, is copied unchanged.
 * Applying it twice gives the same text as applying it once. The spaces it puts in are no-break
 * spaces, so a line breaker following UAX #14 never breaks there (punctuation never starts a
 * line). On VT_OK, *out is a new NUL-terminated UTF-8 string (free() it) of *out_len bytes.
 * Fails with VT_E_DATAERR, *out NULL, when utf8 is not valid UTF-8 (the message names the byte
 * offset). Thread-safe. */
vt_status vt_text_french_spacing(const char *utf8, size_t len, char **out, size_t *out_len,
                                 vt_error *err);

/* Smart punctuation for French and English, as typed on a keyboard:
 *   - '"' becomes « or » in French, “ or ” in English: opening at the start, after a space,
 *     a line break, an opening bracket, quote or dash; closing elsewhere;
 *   - '\'' becomes ’ (the apostrophe, and the closing single quote), or ‘ where an English
 *     quote opens;
 *   - exactly three dots "..." become … (four or more are left as typed);
 *   - URLs are copied verbatim (as for French spacing); everything else is unchanged.
 * Run before vt_text_french_spacing, which then spaces the guillemets. Applying it twice gives
 * the same text as applying it once. On VT_OK, *out is a new NUL-terminated UTF-8 string
 * (free() it) of *out_len bytes; VT_E_DATAERR, *out NULL, when utf8 is not valid UTF-8. */
vt_status vt_text_smart_punctuation(const char *utf8, size_t len, bool french, char **out,
                                    size_t *out_len, vt_error *err);

/* ---- WebVTT subtitles ---- */

#define VT_VTT_MAX_FILE_BYTES ((size_t)16 << 20) /* 16 MiB */
#define VT_VTT_MAX_CUES 100000
#define VT_VTT_MAX_LINE_BYTES ((size_t)64 << 10) /* 64 KiB */

typedef struct vt_vtt_cue {
    char *id;       /* the cue identifier; "" when there is none */
    vt_ticks start; /* inclusive */
    vt_ticks end;   /* exclusive; always > start */
    char *settings; /* cue settings as written after the end time ("" when none) */
    char *payload;  /* cue text as written, tags kept; lines joined with '\n' */
    char *text;     /* plain text: tags stripped, <rt> annotations left out, entities decoded */
    int line;       /* line of the timing line in the file (1-based) */
} vt_vtt_cue;

typedef struct vt_vtt {
    vt_vtt_cue *cues; /* sorted by start; cues starting together keep their file order */
    size_t count;
    vt_ticks *ends;  /* every cue's end, sorted: for vt_vtt_next_change */
    vt_ticks *reach; /* reach[i]: the latest end among cues[0..i], for the look-ups */
} vt_vtt;

/* Parses a WebVTT file held in memory (W3C WebVTT: optional BOM, "WEBVTT" header, NOTE, STYLE
 * and REGION blocks skipped, optional cue identifiers, [hh:]mm:ss.ttt timings, LF, CRLF or CR
 * line ends). `path` only names the file in messages. Every problem is added to diags as
 * "path:line: error: what; how to fix": a bad cue is skipped and parsing goes on. Fatal
 * problems (no WEBVTT header, invalid UTF-8, a NUL byte, a file above 16 MiB) leave *out empty.
 * After 1,000 errors parsing stops (one more error says so); warnings past 1,000 are left out.
 * Returns VT_OK when no error was found, VT_E_DATAERR otherwise; in both cases *out holds the
 * cues that parsed and must be released with vt_vtt_free. */
vt_status vt_vtt_parse(const char *text, size_t len, const char *path, vt_vtt *out,
                       vt_diags *diags);

/* Reads the file at path (at most 16 MiB) and parses it as vt_vtt_parse does. A file that
 * cannot be read gives VT_E_NOINPUT and a diagnostic. */
vt_status vt_vtt_load(const char *path, vt_vtt *out, vt_diags *diags);

/* The cue shown at time t, i.e. with start <= t < end. When several overlap, the one that
 * started last (and, among those starting together, the last in the file); NULL when none.
 * O(log n) plus the cues that started before t since the earliest still-active one. No
 * allocation: safe per frame. */
const vt_vtt_cue *vt_vtt_active(const vt_vtt *v, vt_ticks t);

/* Every cue active at t in start order (as in v->cues), up to max of them written to out;
 * returns how many are active (which may exceed max). No allocation. */
size_t vt_vtt_active_all(const vt_vtt *v, vt_ticks t, const vt_vtt_cue **out, size_t max);

/* The first time after t at which a cue starts or ends (so the active set may change), or -1
 * when nothing changes after t. Lets a still subtitle cost no frames. O(log n). */
vt_ticks vt_vtt_next_change(const vt_vtt *v, vt_ticks t);

/* Releases everything v holds and empties it; a zeroed or freed v does nothing. */
void vt_vtt_free(vt_vtt *v);

/* ---- Fonts ---- */

/* A text context: one FreeType library, one fontconfig configuration, the faces opened so far
 * (each file + face index once), the fallbacks found and the hyphenation dictionaries loaded.
 * Not thread-safe: one thread uses a context (the renderer has its own). */
typedef struct vt_text_ctx vt_text_ctx;

vt_status vt_text_ctx_create(vt_text_ctx **out, vt_error *err);
/* Closes every face and releases the layouts' fonts; NULL does nothing. */
void vt_text_ctx_destroy(vt_text_ctx *ctx);

/* Which face to use: a font file (path, face 0) or else a fontconfig family with a weight
 * (100..900, 0 = 400) and slant. */
typedef struct vt_text_font_desc {
    const char *family; /* NULL: "DejaVu Sans" */
    const char *path;   /* a .ttf/.otf/.ttc file; when set, family is ignored */
    int weight;
    bool italic;
} vt_text_font_desc;

/* Opens (or finds in the cache) the face the desc names and sets *font to its handle, valid for
 * the context's life. A family fontconfig does not know is not an error: the closest installed
 * font is used and *warning (when not NULL, size bytes) says so, e.g. "font 'Helvtica' not
 * found; using 'Noto Sans'" ("" when there is nothing to say); nothing is logged: the caller
 * knows where the family was written. A font file that cannot be opened or that FreeType cannot
 * read is not an error either: the default family is used and *warning says why, e.g. "cannot
 * read font file 'f/a.ttf'; using 'DejaVu Sans'", so a label never vanishes. Fails only when no
 * font at all can be opened. */
vt_status vt_text_font_find(vt_text_ctx *ctx, const vt_text_font_desc *desc, uint32_t *font,
                            char *warning, size_t size, vt_error *err);

/* The face behind a handle: its file, face index and family name (as fontconfig or the file
 * says). False for an unknown handle. */
bool vt_text_font_info(const vt_text_ctx *ctx, uint32_t font, const char **file, int *index,
                       const char **family);

/* The face that draws cp: `font` when it has a glyph for it, else an installed font that has
 * (fontconfig's sorted list for the font's family, style and `lang`, first with cp in its
 * charset). When none has it, `font` (whose .notdef box is drawn) and *missing is set. */
uint32_t vt_text_font_for(vt_text_ctx *ctx, uint32_t font, uint32_t cp, const char *lang,
                          bool *missing);

/* ---- Layout: shaping, bidi, line breaking ---- */

/* How the lines of a paragraph sit in their box. */
typedef enum vt_text_align {
    VT_ALIGN_START, /* left in a left-to-right paragraph, right in a right-to-left one (default) */
    VT_ALIGN_END,
    VT_ALIGN_LEFT,
    VT_ALIGN_CENTER,
    VT_ALIGN_RIGHT,
    VT_ALIGN_JUSTIFY,
} vt_text_align;

typedef struct vt_text_layout_desc {
    const char *text; /* UTF-8; checked */
    size_t len;
    const char *lang; /* BCP 47 or NULL: HarfBuzz language, line-breaking rules, French spacing
                         for "fr" and "fr-*", hyphenation dictionary */
    vt_text_font_desc font;
    double size;           /* em size in canvas pixels, 1..2000 */
    vt_text_align align;   /* start, end, left, center, right, justify */
    double line_height;    /* times size between baselines (0: 1.25) */
    double letter_spacing; /* canvas pixels added after each grapheme cluster */
    int max_lines;         /* 0: no limit; else the last kept line ends with U+2026 */
    bool hyphenate;        /* justified text: hyphenate words that do not fit, when a
                              dictionary for lang is installed (/usr/share/hyphen) */
    bool as_typed;         /* no typography: neither smart punctuation (fr, en) nor French
                              spacing */
    double width;          /* the box width that lines wrap to; <= 0: no wrapping */
} vt_text_layout_desc;

/* One positioned glyph, in canvas pixels from the box's top-left at scale 1, on its baseline. */
typedef struct vt_text_glyph {
    uint32_t font;    /* vt_text_font_find / vt_text_font_for handle */
    uint32_t glyph;   /* glyph index in that face */
    float x, y;       /* pen position (bearings are the rasteriser's) */
    uint32_t cluster; /* byte offset of the glyph's cluster in layout->text */
} vt_text_glyph;

typedef struct vt_text_line {
    size_t first_glyph, glyph_count; /* in visual order, left to right */
    double x;                        /* left edge of the line's ink advance in the box */
    double width;                    /* sum of the advances (justified: the box width) */
    double baseline;                 /* y of the baseline from the box top */
    size_t start, end;               /* byte range of layout->text shown (trailing spaces out) */
    bool rtl;                        /* its paragraph runs right to left */
    bool hyphen, ellipsis;           /* ends with an added hyphen / "…" */
} vt_text_line;

typedef struct vt_text_layout {
    char *text;      /* the text as set (after French spacing), NUL-terminated */
    size_t text_len; /* its length in bytes (it may hold U+0000) */
    vt_text_glyph *glyphs;
    size_t glyph_count;
    vt_text_line *lines;
    size_t line_count;
    double width;   /* the widest line's advance */
    double height;  /* line_count * line_height * size */
    double size;    /* em size it was set at */
    bool rtl;       /* the first paragraph's direction */
    bool truncated; /* max_lines cut lines off */
    char *warnings; /* fonts not found, characters no font has: lines joined by '\n'; NULL
                       when none. Not logged: the caller says where the text comes from. */
} vt_text_layout;

/* Typesets a text: French spacing (lang fr), paragraphs at mandatory breaks, FriBidi levels per
 * paragraph, a face per character (fallback), HarfBuzz shaping of runs split by face, script
 * and direction (advances unhinted: a line is exactly as wide as hb_shape sets it), line
 * breaking at libunibreak's opportunities to `width`, visual reordering per line, alignment,
 * justification, max_lines with "…". Fails with VT_E_DATAERR for invalid UTF-8 (the message
 * names the byte offset), a size outside 1..2000 or a text above 256 KiB. Characters no
 * installed font has are drawn as boxes and named in warnings (the first 8). */
vt_status vt_text_layout_create(vt_text_ctx *ctx, const vt_text_layout_desc *desc,
                                vt_text_layout **out, vt_error *err);
void vt_text_layout_destroy(vt_text_layout *layout);

/* ---- Glyph atlas ---- */

/* A CPU-side 8-bit coverage atlas packed in shelves. It starts at `initial` pixels square,
 * doubles up to `max` when full, then evicts the least recently used run of adjacent shelves
 * (their glyphs) tall enough for the new glyph, none used in the current frame. What changed since
 * the last upload is a dirty rectangle. */
typedef struct vt_text_atlas vt_text_atlas;

typedef struct vt_text_atlas_key {
    uint32_t font, glyph;
    uint32_t size_q; /* drawn em size in quarter pixels */
    uint32_t phase;  /* horizontal offset of the pen in quarter pixels (0..3): glyphs keep their
                        fractional positions on screen, not rounded to whole pixels */
} vt_text_atlas_key;

typedef struct vt_text_atlas_entry {
    int x, y, w, h; /* in the atlas (w or h 0: nothing to draw, e.g. a space) */
    int left, top;  /* bitmap offset from the pen: right, up (FreeType's bitmap_left/top) */
} vt_text_atlas_entry;

vt_text_atlas *vt_text_atlas_create(int initial, int max);
void vt_text_atlas_destroy(vt_text_atlas *a);
/* Looks a glyph up and marks it used in `frame`. */
bool vt_text_atlas_find(vt_text_atlas *a, vt_text_atlas_key key, uint64_t frame,
                        vt_text_atlas_entry *out);
/* Adds a w x h coverage bitmap (rows `pitch` bytes apart). Fails with VT_E_SOFTWARE when it
 * cannot fit even after growing and evicting (a glyph larger than the atlas, or the glyphs
 * used in this frame leave no room); the key is then noted as failed in this frame. */
vt_status vt_text_atlas_add(vt_text_atlas *a, vt_text_atlas_key key, int w, int h,
                            const uint8_t *pixels, int pitch, int left, int top, uint64_t frame,
                            vt_text_atlas_entry *out, vt_error *err);
/* The pixels (side x side, one byte each) and how many glyphs are in. */
const uint8_t *vt_text_atlas_pixels(const vt_text_atlas *a, int *side);
size_t vt_text_atlas_count(const vt_text_atlas *a);
/* The region changed since the last call (false: none) and whether the atlas grew (the texture
 * must be made anew at the new side); clears it. */
bool vt_text_atlas_take_dirty(vt_text_atlas *a, int *x, int *y, int *w, int *h, bool *resized);
/* Marks everything dirty and resized (after the texture was lost). */
void vt_text_atlas_touch_all(vt_text_atlas *a);
/* Notes that a glyph failed in `frame`, and asks whether it did: a glyph that cannot be drawn
 * is not rasterised again in the same frame (the 64 first failures of a frame are kept). */
void vt_text_atlas_note_failure(vt_text_atlas *a, vt_text_atlas_key key, uint64_t frame);
bool vt_text_atlas_failed(const vt_text_atlas *a, vt_text_atlas_key key, uint64_t frame);

/* ---- Rasterisation ---- */

/* The drawn em size in quarter pixels for an em of `px` target pixels (at least 1). */
uint32_t vt_text_size_quantize(double px);
/* The glyph's coverage at key.size_q / 4 pixels per em, shifted right by key.phase / 4 pixel
 * (FreeType, unhinted, 8-bit), from the atlas or rasterised into it. */
vt_status vt_text_glyph_raster(vt_text_ctx *ctx, vt_text_atlas *atlas, vt_text_atlas_key key,
                               uint64_t frame, vt_text_atlas_entry *out, vt_error *err);

#endif
