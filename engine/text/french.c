/* French typographic spacing: no-break spaces before high punctuation and inside guillemets,
 * leaving URLs, times and text already spaced alone (rules in vt_text.h). */
#include "text/vt_text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The output never grows by more than 3 bytes per input code point (one no-break space put in
 * before or after it), so it is allocated once at 4 * len + 1. */
typedef struct out_buf {
    char *p;
    size_t len;
} out_buf;

static void out_bytes(out_buf *o, const char *s, size_t n) {
    memcpy(o->p + o->len, s, n);
    o->len += n;
}

static void out_cp(out_buf *o, uint32_t cp) {
    o->len += vt_text_utf8_encode(cp, o->p + o->len);
}

static bool is_line_break(uint32_t cp) {
    return cp == '\n' || cp == '\r' || cp == 0x85u || cp == 0x2028u || cp == 0x2029u ||
           cp == '\v' || cp == '\f';
}

/* Spaces other than U+0020: the author chose them, so they are kept as typed. */
static bool is_other_space(uint32_t cp) {
    return cp == '\t' || cp == 0x00A0u || cp == 0x1680u || (cp >= 0x2000u && cp <= 0x200Au) ||
           cp == 0x202Fu || cp == 0x205Fu || cp == 0x3000u;
}

static bool is_space(uint32_t cp) {
    return cp == ' ' || is_other_space(cp) || is_line_break(cp);
}

static bool is_high_punct(uint32_t cp) {
    return cp == ';' || cp == ':' || cp == '!' || cp == '?';
}

static bool is_ascii_alpha(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_scheme_char(unsigned char c) {
    return is_ascii_alpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

/* The code point ending at s[end-1] (s is valid UTF-8); 0 when end is 0. */
static uint32_t cp_before(const char *s, size_t end) {
    if (end == 0) {
        return 0;
    }
    size_t k = end - 1;
    while (k > 0 && end - k < 4 && ((unsigned char)s[k] & 0xC0) == 0x80) {
        k--;
    }
    uint32_t cp;
    vt_text_utf8_decode(s + k, end - k, &cp);
    return cp;
}

static uint32_t cp_at(const char *s, size_t len, size_t i) {
    uint32_t cp = 0;
    if (i < len) {
        vt_text_utf8_decode(s + i, len - i, &cp);
    }
    return cp;
}

static bool is_url_end(uint32_t cp) {
    return is_space(cp) || cp == '<' || cp == '>' || cp == '"' || cp == 0xABu || cp == 0xBBu;
}

/* Length of the URL starting at s[i], or 0 when none starts there: "scheme://..." where the
 * scheme begins at i, or "www." at the start of a word; it runs up to is_url_end. */
static size_t url_length(const char *s, size_t len, size_t i) {
    unsigned char c = (unsigned char)s[i];
    if (!is_ascii_alpha(c) || (i > 0 && is_scheme_char((unsigned char)s[i - 1]))) {
        return 0;
    }
    size_t j = i;
    while (j < len && is_scheme_char((unsigned char)s[j])) {
        j++;
    }
    bool scheme = len - j >= 3 && memcmp(s + j, "://", 3) == 0;
    bool www = len - i >= 4 && (memcmp(s + i, "www.", 4) == 0 || memcmp(s + i, "WWW.", 4) == 0);
    if (www) {
        uint32_t prev = cp_before(s, i);
        www =
            i == 0 || is_space(prev) || prev == 0xABu || prev == '(' || prev == '"' || prev == '<';
    }
    if (!scheme && !www) {
        return 0;
    }
    j = i;
    while (j < len) {
        uint32_t cp;
        size_t n = vt_text_utf8_decode(s + j, len - j, &cp);
        if (is_url_end(cp)) {
            break;
        }
        j += n;
    }
    return j - i;
}

/* A colon is high punctuation only when it ends something: followed by a space, the end, a
 * closing quote or bracket or other punctuation. "12:30", "1:2", "http:", "std::" are not. */
static bool colon_wants_space(const char *s, size_t len, size_t next) {
    if (next >= len) {
        return true;
    }
    uint32_t cp = cp_at(s, len, next);
    return is_space(cp) || cp == 0xABu || cp == 0xBBu || cp == '"' || cp == '\'' || cp == 0x2019u ||
           cp == 0x201Du || cp == ')' || cp == ']' || cp == '}' || cp == '.' || cp == ',' ||
           cp == ';' || cp == '!' || cp == '?';
}

/* Puts the no-break space `space` before the punctuation about to be written, unless it is at
 * the start of a line, already spaced, or follows punctuation of its group. */
static void space_before(out_buf *o, uint32_t punct, uint32_t space) {
    size_t k = o->len;
    while (k > 0 && o->p[k - 1] == ' ') {
        k--;
    }
    uint32_t prev = cp_before(o->p, k);
    if (k == 0 || is_line_break(prev) || is_other_space(prev)) {
        return; /* start of a line (indented or not), or a space the author chose */
    }
    if (k == o->len) {
        bool grouped = is_high_punct(punct) && is_high_punct(prev);
        bool opening = prev == '(' || prev == '[' || prev == '{' || prev == 0xABu;
        if (grouped || opening) {
            return;
        }
    }
    o->len = k; /* the plain spaces typed there are replaced */
    out_cp(o, space);
}

/* After '«': a no-break space, replacing plain spaces, unless the line or text ends there,
 * another space was typed or the guillemets are empty. Returns where to go on reading. */
static size_t space_after_guillemet(out_buf *o, const char *s, size_t len, size_t next) {
    size_t k = next;
    while (k < len && s[k] == ' ') {
        k++;
    }
    if (k >= len) {
        return next;
    }
    uint32_t cp = cp_at(s, len, k);
    if (is_line_break(cp) || is_other_space(cp) || (cp == 0xBBu && k == next)) {
        return next;
    }
    out_cp(o, VT_TEXT_NBSP);
    return k;
}

static void typeset(const char *s, size_t len, out_buf *o) {
    size_t i = 0;
    while (i < len) {
        size_t url = url_length(s, len, i);
        if (url > 0) {
            out_bytes(o, s + i, url);
            i += url;
            continue;
        }
        uint32_t cp;
        size_t n = vt_text_utf8_decode(s + i, len - i, &cp);
        if (cp == ';' || cp == '!' || cp == '?') {
            space_before(o, cp, VT_TEXT_NNBSP);
        } else if (cp == ':' && colon_wants_space(s, len, i + n)) {
            space_before(o, cp, VT_TEXT_NBSP);
        } else if (cp == 0xBBu) {
            space_before(o, cp, VT_TEXT_NBSP);
        }
        out_bytes(o, s + i, n);
        i += n;
        if (cp == 0xABu) {
            i = space_after_guillemet(o, s, len, i);
        }
    }
}

vt_status vt_text_french_spacing(const char *utf8, size_t len, char **out, size_t *out_len,
                                 vt_error *err) {
    *out = NULL;
    if (out_len) {
        *out_len = 0;
    }
    size_t bad;
    if (!vt_text_utf8_validate(utf8, len, &bad)) {
        return VT_FAIL(err, VT_E_DATAERR,
                       "text is not valid UTF-8 (byte offset %zu); save it as UTF-8", bad);
    }
    if (len > (SIZE_MAX - 1) / 4) {
        return VT_FAIL(err, VT_E_DATAERR, "text too large (%zu bytes)", len);
    }
    out_buf o = {vt_xmalloc(4 * len + 1), 0};
    typeset(utf8, len, &o);
    o.p[o.len] = '\0';
    *out = o.p;
    if (out_len) {
        *out_len = o.len;
    }
    return VT_OK;
}

/* ---- Smart punctuation (fr, en) ---- */

/* A quote here opens: at the start, after a space or a line break, or after an opening
 * bracket, quote or dash. */
static bool opens_after(uint32_t prev) {
    return prev == 0 || is_space(prev) || prev == '(' || prev == '[' || prev == '{' ||
           prev == 0xABu || prev == 0x2018u || prev == 0x201Cu || prev == 0x2013u ||
           prev == 0x2014u || prev == '/' || prev == '-';
}

static void smarten(const char *s, size_t len, bool french, out_buf *o) {
    size_t i = 0;
    while (i < len) {
        size_t url = url_length(s, len, i);
        if (url > 0) {
            out_bytes(o, s + i, url);
            i += url;
            continue;
        }
        uint32_t cp;
        size_t n = vt_text_utf8_decode(s + i, len - i, &cp);
        bool opening = opens_after(cp_before(s, i));
        if (cp == '"') {
            out_cp(o, french ? (opening ? 0xABu : 0xBBu) : (opening ? 0x201Cu : 0x201Du));
        } else if (cp == '\'') {
            /* French quotes with « »: its straight single quote is always an apostrophe. */
            out_cp(o, !french && opening ? 0x2018u : 0x2019u);
        } else if (cp == '.' && len - i >= 3 && s[i + 1] == '.' && s[i + 2] == '.' &&
                   (i == 0 || s[i - 1] != '.') && (len - i == 3 || s[i + 3] != '.')) {
            out_cp(o, 0x2026u); /* exactly three dots: four or more are left as typed */
            n = 3;
        } else {
            out_bytes(o, s + i, n);
        }
        i += n;
    }
}

vt_status vt_text_smart_punctuation(const char *utf8, size_t len, bool french, char **out,
                                    size_t *out_len, vt_error *err) {
    *out = NULL;
    if (out_len) {
        *out_len = 0;
    }
    size_t bad;
    if (!vt_text_utf8_validate(utf8, len, &bad)) {
        return VT_FAIL(err, VT_E_DATAERR,
                       "text is not valid UTF-8 (byte offset %zu); save it as UTF-8", bad);
    }
    if (len > (SIZE_MAX - 1) / 3) {
        return VT_FAIL(err, VT_E_DATAERR, "text too large (%zu bytes)", len);
    }
    out_buf o = {vt_xmalloc(3 * len + 1), 0}; /* one byte becomes at most three */
    smarten(utf8, len, french, &o);
    o.p[o.len] = '\0';
    *out = o.p;
    if (out_len) {
        *out_len = o.len;
    }
    return VT_OK;
}
