/* Text layers, the parts in plain C: UTF-8 checks, French typographic spacing and WebVTT
 * subtitles (parsing, active-cue look-up). Shaping and rendering live elsewhere. */
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

#endif
