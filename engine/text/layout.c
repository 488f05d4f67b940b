/* Layout: a UTF-8 text set in a box. French spacing, then per paragraph: FriBidi levels, a face
 * per character, HarfBuzz shaping of runs (face, script, direction) to measure, greedy line
 * breaking at libunibreak's opportunities, then each line shaped anew (so ligatures and joining
 * never straddle a break), its runs put in visual order (UAX #9 L2), aligned or justified. */
#include "text/vt_text.h"
#include "text/text_internal.h"

#include <fribidi.h>
#include <hyphen.h>
#include <linebreak.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_TEXT_BYTES ((size_t)256 << 10) /* a wall of text; far above any label */
#define MAX_TOFU_WARNINGS 8
#define ELLIPSIS 0x2026u
#define HYPHEN '-'
#define NO_INDEX UINT32_MAX

/* A glyph of a shaped line before placement, in visual order. */
typedef struct shaped {
    uint32_t font, glyph;
    double adv, dx, dy;
    uint32_t src;     /* index into the text's code points (NO_INDEX: added hyphen/ellipsis) */
    bool cluster_end; /* last glyph of its cluster: letter spacing goes after it */
    bool space;       /* an inter-word space (U+0020): justification stretches it; no-break
                         spaces (French spacing, ties) keep their width */
} shaped;

/* One line as the breaker leaves it: code points [a, b) (trailing spaces out), maybe a
 * suffix (hyphen or ellipsis). */
typedef struct brk_line {
    size_t a, b;
    uint32_t suffix; /* 0: none */
    bool para_end;   /* last line of its paragraph: never justified */
    bool rtl;
    bool justified; /* set when the line is placed */
} brk_line;

typedef struct lay {
    vt_text_ctx *ctx;
    const vt_text_layout_desc *d;
    const char *lang;
    hb_language_t hb_lang;
    uint32_t primary;
    double size, lh, ls, W;
    bool no_liga;
    /* per code point of the text */
    uint32_t *cps;
    size_t *offs; /* byte offset; offs[n] = text length */
    size_t n;
    uint32_t *font;
    hb_script_t *script;
    FriBidiLevel *level;
    char *brks;
    double *adv; /* measured advance of the cluster starting here (0 inside clusters) */
    bool *cstart;
    /* hb fonts at this size, by face handle */
    hb_font_t **hbf;
    size_t hbf_count;
    hb_buffer_t *buf;
    /* lines */
    brk_line *lines;
    size_t line_count, line_cap;
    shaped *tmp;
    size_t tmp_count, tmp_cap;
    /* warnings */
    size_t tofu;
    char *warn;
    size_t warn_len;
} lay;

static void add_warning(lay *L, const char *msg) {
    size_t m = strlen(msg);
    if (L->warn_len > 4096) {
        return;
    }
    L->warn = vt_xrealloc(L->warn, L->warn_len + m + 2);
    if (L->warn_len) {
        L->warn[L->warn_len++] = '\n';
    }
    memcpy(L->warn + L->warn_len, msg, m + 1);
    L->warn_len += m;
}

static hb_font_t *hb_font_for(lay *L, uint32_t font) {
    if (font >= L->hbf_count) {
        size_t n = L->ctx->face_count;
        L->hbf = vt_xrealloc(L->hbf, n * sizeof *L->hbf);
        memset(L->hbf + L->hbf_count, 0, (n - L->hbf_count) * sizeof *L->hbf);
        L->hbf_count = n;
    }
    if (!L->hbf[font]) {
        /* HarfBuzz's own OpenType functions on the face's tables: unhinted advances in 26.6,
         * what hb-shape gives at this size. */
        hb_font_t *f = hb_font_create(vt_text_face(L->ctx, font)->hb);
        int s = (int)lround(L->size * 64.0);
        hb_font_set_scale(f, s, s);
        L->hbf[font] = f;
    }
    return L->hbf[font];
}

static bool is_lang(const char *lang, const char *ll) {
    size_t n = strlen(ll);
    return lang && strncasecmp(lang, ll, n) == 0 && (lang[n] == '\0' || lang[n] == '-');
}

static bool is_mandatory_break(uint32_t cp) {
    return cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' || cp == 0x85u || cp == 0x2028u ||
           cp == 0x2029u;
}

static bool is_break_space(uint32_t cp) {
    return cp == ' ' || cp == '\t' || cp == 0x3000u ||
           (cp >= 0x2000u && cp <= 0x200Au && cp != 0x2007u) || is_mandatory_break(cp);
}

/* Characters that draw nothing or attach to what precedes: they take the previous face so
 * they neither split a run nor trigger a fallback search. */
static bool follows_previous(uint32_t cp) {
    hb_unicode_general_category_t gc =
        hb_unicode_general_category(hb_unicode_funcs_get_default(), cp);
    return gc == HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK ||
           gc == HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK ||
           gc == HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK ||
           gc == HB_UNICODE_GENERAL_CATEGORY_FORMAT || gc == HB_UNICODE_GENERAL_CATEGORY_CONTROL ||
           (cp >= 0xFE00u && cp <= 0xFE0Fu) || (cp >= 0xE0100u && cp <= 0xE01EFu);
}

/* ---- preparation ---- */

static vt_status decode(lay *L, const char *text, size_t len) {
    L->cps = vt_xmalloc((len + 1) * sizeof *L->cps);
    L->offs = vt_xmalloc((len + 1) * sizeof *L->offs);
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp = 0;
        size_t k = vt_text_utf8_decode(text + i, len - i, &cp);
        L->offs[n] = i;
        /* A tab is set as a space; other C0 controls are left to HarfBuzz (invisible). */
        L->cps[n++] = cp == '\t' ? ' ' : cp;
        i += k;
    }
    L->offs[n] = len;
    L->n = n;
    return VT_OK;
}

static void choose_fonts(lay *L) {
    L->font = vt_xmalloc((L->n + 1) * sizeof *L->font);
    for (size_t i = 0; i < L->n; i++) {
        uint32_t cp = L->cps[i];
        if (is_mandatory_break(cp) ||
            (i > 0 && follows_previous(cp) &&
             FT_Get_Char_Index(vt_text_face(L->ctx, L->font[i - 1])->ft, cp) != 0)) {
            L->font[i] = i > 0 ? L->font[i - 1] : L->primary;
            continue;
        }
        if (follows_previous(cp) && (cp < 0x300u || cp >= 0x370u)) {
            /* Format and control characters (ZWJ, bidi marks...) draw nothing: no search. */
            L->font[i] = i > 0 ? L->font[i - 1] : L->primary;
            continue;
        }
        bool missing = false;
        L->font[i] = vt_text_font_for(L->ctx, L->primary, cp, L->lang, &missing);
        if (missing && ++L->tofu > MAX_TOFU_WARNINGS) {
            if (L->tofu == MAX_TOFU_WARNINGS + 1) {
                add_warning(L, "more characters no installed font has");
            }
        } else if (missing) {
            char msg[128];
            snprintf(msg, sizeof msg, "no installed font has U+%04X; it shows as a box",
                     (unsigned)cp);
            add_warning(L, msg);
        }
    }
}

/* Common and inherited characters take the script of what precedes them (or follows, at the
 * start), so punctuation does not split a run. */
static void resolve_scripts(lay *L) {
    hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
    L->script = vt_xmalloc((L->n + 1) * sizeof *L->script);
    hb_script_t prev = HB_SCRIPT_INVALID;
    size_t pending = 0;
    for (size_t i = 0; i < L->n; i++) {
        hb_script_t s = hb_unicode_script(uf, L->cps[i]);
        bool weak = s == HB_SCRIPT_COMMON || s == HB_SCRIPT_INHERITED || s == HB_SCRIPT_UNKNOWN;
        if (weak && prev != HB_SCRIPT_INVALID) {
            s = prev;
        } else if (!weak) {
            for (; pending < i; pending++) {
                L->script[pending] = s;
            }
            prev = s;
        }
        L->script[i] = s;
        if (!weak) {
            pending = i + 1;
        }
    }
}

/* Levels per paragraph [p0, p1); returns whether it runs right to left. */
static bool bidi_levels(lay *L, size_t p0, size_t p1) {
    size_t n = p1 - p0;
    if (n == 0) {
        return false;
    }
    FriBidiCharType *types = vt_xmalloc(n * sizeof *types);
    FriBidiBracketType *brackets = vt_xmalloc(n * sizeof *brackets);
    fribidi_get_bidi_types(L->cps + p0, (FriBidiStrIndex)n, types);
    fribidi_get_bracket_types(L->cps + p0, (FriBidiStrIndex)n, types, brackets);
    FriBidiParType dir = FRIBIDI_PAR_ON;
    if (!fribidi_get_par_embedding_levels_ex(types, brackets, (FriBidiStrIndex)n, &dir,
                                             L->level + p0)) {
        memset(L->level + p0, 0, n * sizeof *L->level);
        dir = FRIBIDI_PAR_LTR;
    }
    free(types);
    free(brackets);
    return FRIBIDI_IS_RTL(dir);
}

static void shape_buffer(lay *L, const uint32_t *cps, size_t len, size_t start, size_t count,
                         uint32_t font, hb_script_t script, bool rtl) {
    hb_buffer_t *b = L->buf;
    hb_buffer_clear_contents(b);
    hb_buffer_add_utf32(b, cps, (int)len, (unsigned)start, (int)count);
    hb_buffer_set_direction(b, rtl ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
    hb_buffer_set_script(b, script);
    hb_buffer_set_language(b, L->hb_lang);
    /* Letter spacing would pull a ligature's letters apart: CSS turns ligatures off then. */
    static const hb_feature_t no_liga[] = {
        {HB_TAG('l', 'i', 'g', 'a'), 0, 0, (unsigned)-1},
        {HB_TAG('c', 'l', 'i', 'g'), 0, 0, (unsigned)-1},
    };
    hb_shape(hb_font_for(L, font), b, L->no_liga ? no_liga : NULL, L->no_liga ? 2 : 0);
}

/* Measures a paragraph: each cluster's advance at its first code point. */
static void measure(lay *L, size_t p0, size_t p1) {
    size_t i = p0;
    while (i < p1) {
        size_t j = i + 1;
        while (j < p1 && L->font[j] == L->font[i] && L->script[j] == L->script[i] &&
               L->level[j] == L->level[i]) {
            j++;
        }
        shape_buffer(L, L->cps + p0, p1 - p0, i - p0, j - i, L->font[i], L->script[i],
                     L->level[i] & 1);
        unsigned count = 0;
        hb_glyph_info_t *info = hb_buffer_get_glyph_infos(L->buf, &count);
        hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(L->buf, &count);
        for (unsigned g = 0; g < count; g++) {
            size_t c = p0 + info[g].cluster;
            if (!L->cstart[c]) {
                L->cstart[c] = true;
                L->adv[c] += L->ls;
            }
            L->adv[c] += pos[g].x_advance / 64.0;
        }
        i = j;
    }
}

/* ---- line breaking ---- */

static double width_of(const lay *L, size_t a, size_t b) {
    while (b > a && is_break_space(L->cps[b - 1])) {
        b--;
    }
    double w = 0;
    for (size_t i = a; i < b; i++) {
        w += L->adv[i];
    }
    return w;
}

static size_t trim_end(const lay *L, size_t a, size_t b) {
    while (b > a && is_break_space(L->cps[b - 1])) {
        b--;
    }
    return b;
}

static void push_line(lay *L, size_t a, size_t b, uint32_t suffix, bool para_end, bool rtl) {
    VT_GROW(L->lines, L->line_count, L->line_cap, 16);
    L->lines[L->line_count++] = (brk_line){
        .a = a, .b = trim_end(L, a, b), .suffix = suffix, .para_end = para_end, .rtl = rtl};
}

static bool allowed_after(const lay *L, size_t i) {
    return L->brks[i] == LINEBREAK_ALLOWBREAK;
}

static bool is_letter(uint32_t cp) {
    hb_unicode_general_category_t gc =
        hb_unicode_general_category(hb_unicode_funcs_get_default(), cp);
    return gc <= HB_UNICODE_GENERAL_CATEGORY_UPPERCASE_LETTER &&
           gc >= HB_UNICODE_GENERAL_CATEGORY_LOWERCASE_LETTER;
}

static double hyphen_width(lay *L, uint32_t font) {
    hb_font_t *f = hb_font_for(L, font);
    hb_codepoint_t gid = 0;
    hb_font_get_nominal_glyph(f, HYPHEN, &gid);
    return hb_font_get_glyph_h_advance(f, gid) / 64.0 + L->ls;
}

/* Hyphenates the word starting in [a, e) so that [line_a, cut) + "-" fits in room; 0 when no
 * allowed point fits. libhyphen works on lower-case UTF-8 and, for a UTF-8 dictionary, marks
 * an odd value after each character where a hyphen may go. */
static size_t hyphen_point(lay *L, size_t line_a, size_t a, size_t e) {
    void *dict = vt_text_hyph_dict(L->ctx, L->lang);
    while (a < e && !is_letter(L->cps[a])) {
        a++;
    }
    size_t we = a;
    while (we < e && is_letter(L->cps[we])) {
        we++;
    }
    if (!dict || we - a < 4 || we - a > 60) {
        return 0;
    }
    char word[256];
    size_t bytes = 0;
    for (size_t i = a; i < we; i++) {
        uint32_t cp = L->cps[i];
        if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0u && cp <= 0xDEu && cp != 0xD7u)) {
            cp += 32;
        }
        bytes += vt_text_utf8_encode(cp, word + bytes);
    }
    char hyphens[256 + 5];
    char **rep = NULL;
    int *pos = NULL, *cut = NULL;
    size_t best = 0;
    if (hnj_hyphen_hyphenate2(dict, word, (int)bytes, hyphens, NULL, &rep, &pos, &cut) == 0) {
        double hyw = hyphen_width(L, L->font[a]);
        for (size_t k = we - a - 2; k >= 2 && !best; k--) {
            bool plain = !rep || !rep[k - 1];
            if ((hyphens[k - 1] & 1) && plain && width_of(L, line_a, a + k) + hyw <= L->W) {
                best = a + k;
            }
        }
    }
    if (rep) {
        for (size_t i = 0; i < bytes; i++) {
            free(rep[i]);
        }
        free(rep);
    }
    free(pos);
    free(cut);
    return best;
}

/* The end of the word after a (the next break opportunity), looked for over a word's length
 * at most: hyphenation takes words of up to 60 letters. */
static size_t next_opportunity(const lay *L, size_t a, size_t p1) {
    size_t b = a + 1;
    while (b < p1 && b - a < 64 && !allowed_after(L, b - 1)) {
        b++;
    }
    return b > p1 ? p1 : b;
}

/* No-break spaces and joiners hold their neighbours together even when a word is cut. */
static bool glued(uint32_t cp) {
    return cp == 0x00A0u || cp == 0x202Fu || cp == 0x2007u || cp == 0x2060u || cp == 0xFEFFu;
}

static void break_paragraph(lay *L, size_t p0, size_t p1, bool rtl) {
    bool hyph = L->d->hyphenate && L->d->align == VT_ALIGN_JUSTIFY;
    if (p0 == p1 || L->W <= 0) {
        push_line(L, p0, p1, 0, true, rtl);
        return;
    }
    size_t a = p0;
    while (a < p1) {
        /* Widths grow with b (trailing spaces aside), so the scan stops at the first overflow:
         * linear in the line's length whatever the text. */
        size_t best = 0, fit = 0;
        double acc = 0, content = 0;
        for (size_t b = a + 1; b <= p1; b++) {
            acc += L->adv[b - 1];
            if (!is_break_space(L->cps[b - 1])) {
                content = acc;
            }
            if (content > L->W) {
                break;
            }
            if (b == p1 || (L->cstart[b] && !glued(L->cps[b - 1]) && !glued(L->cps[b]))) {
                fit = b;
            }
            if (b == p1 || allowed_after(L, b - 1)) {
                best = b;
            }
        }
        if (best == p1) {
            push_line(L, a, p1, 0, true, rtl);
            return;
        }
        uint32_t suffix = 0;
        size_t from = best ? best : a;
        size_t h = hyph ? hyphen_point(L, a, from, next_opportunity(L, from, p1)) : 0;
        if (h) {
            best = h;
            suffix = HYPHEN;
        } else if (!best) {
            /* A word wider than the box: cut between clusters, at least one per line. */
            best = fit;
            if (!best) {
                best = a + 1;
                while (best < p1 &&
                       (!L->cstart[best] || glued(L->cps[best - 1]) || glued(L->cps[best]))) {
                    best++;
                }
            }
        }
        push_line(L, a, best, suffix, false, rtl);
        a = best;
    }
}

/* ---- shaping a line ---- */

static void tmp_push(lay *L, shaped g) {
    VT_GROW(L->tmp, L->tmp_count, L->tmp_cap, 64);
    L->tmp[L->tmp_count++] = g;
}

typedef struct run {
    size_t a, b; /* in the line's arrays */
    uint8_t level;
} run;

/* UAX #9 L2 on runs (each of one level): from the highest level down to the lowest odd one,
 * every sequence of runs at that level or above is reversed. */
static void reorder_runs(run *r, size_t n) {
    uint8_t hi = 0, lo_odd = 255;
    for (size_t i = 0; i < n; i++) {
        hi = r[i].level > hi ? r[i].level : hi;
        if ((r[i].level & 1) && r[i].level < lo_odd) {
            lo_odd = r[i].level;
        }
    }
    for (int lev = hi; lev >= lo_odd && lev > 0; lev--) {
        for (size_t i = 0; i < n;) {
            if (r[i].level < lev) {
                i++;
                continue;
            }
            size_t j = i;
            while (j < n && r[j].level >= lev) {
                j++;
            }
            for (size_t x = i, y = j - 1; x < y; x++, y--) {
                run t = r[x];
                r[x] = r[y];
                r[y] = t;
            }
            i = j;
        }
    }
}

/* Shapes [a, b) + suffix into L->tmp in visual order; returns the natural width. */
static double shape_line(lay *L, size_t a, size_t b, uint32_t suffix, bool rtl) {
    L->tmp_count = 0;
    size_t n = b - a + (suffix ? 1 : 0);
    if (n == 0) {
        return 0;
    }
    uint32_t *cps = vt_xmalloc(n * sizeof *cps), *font = vt_xmalloc(n * sizeof *font);
    hb_script_t *script = vt_xmalloc(n * sizeof *script);
    uint8_t *level = vt_xmalloc(n);
    for (size_t i = a; i < b; i++) {
        cps[i - a] = L->cps[i];
        font[i - a] = L->font[i];
        script[i - a] = L->script[i];
        level[i - a] = L->level[i];
    }
    if (suffix) {
        size_t k = n - 1;
        cps[k] = suffix;
        font[k] =
            vt_text_font_for(L->ctx, b > a ? L->font[b - 1] : L->primary, suffix, L->lang, NULL);
        script[k] = b > a ? L->script[b - 1] : HB_SCRIPT_COMMON;
        /* A hyphen belongs to its word; an ellipsis is neutral at the line's end: the
         * paragraph's level (UAX #9 L1). */
        level[k] = suffix == HYPHEN && b > a ? level[k - 1] : (rtl ? 1 : 0);
    }
    run *runs = vt_xmalloc(n * sizeof *runs);
    size_t rc = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && font[j] == font[i] && script[j] == script[i] && level[j] == level[i]) {
            j++;
        }
        runs[rc++] = (run){i, j, level[i]};
        i = j;
    }
    reorder_runs(runs, rc);
    double w = 0;
    for (size_t r = 0; r < rc; r++) {
        shape_buffer(L, cps, n, runs[r].a, runs[r].b - runs[r].a, font[runs[r].a],
                     script[runs[r].a], runs[r].level & 1);
        unsigned count = 0;
        hb_glyph_info_t *info = hb_buffer_get_glyph_infos(L->buf, &count);
        hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(L->buf, &count);
        for (unsigned g = 0; g < count; g++) {
            uint32_t c = info[g].cluster;
            bool end = g + 1 == count || info[g + 1].cluster != c;
            size_t src = a + c < b ? a + c : NO_INDEX;
            shaped s = {.font = font[runs[r].a],
                        .glyph = info[g].codepoint,
                        .adv = pos[g].x_advance / 64.0 + (end ? L->ls : 0),
                        .dx = pos[g].x_offset / 64.0,
                        .dy = pos[g].y_offset / 64.0,
                        .src = (uint32_t)src,
                        .cluster_end = end,
                        .space = end && cps[c] == ' '};
            w += s.adv;
            tmp_push(L, s);
        }
    }
    free(cps);
    free(font);
    free(script);
    free(level);
    free(runs);
    return w;
}

/* ---- building the layout ---- */

static void check_desc(const vt_text_layout_desc *d, lay *L) {
    L->size = d->size;
    L->lh = (d->line_height > 0 ? d->line_height : 1.25) * d->size;
    L->ls = isfinite(d->letter_spacing) ? d->letter_spacing : 0;
    L->W = isfinite(d->width) && d->width > 0 ? d->width : 0;
    L->no_liga = L->ls != 0;
}

static bool is_regional_indicator(uint32_t cp) {
    return cp >= 0x1F1E6 && cp <= 0x1F1FF;
}

/* Debian 12's libunibreak 1.1 aborts on a regional indicator (an assertion, lbcNew <= LBP_JT:
 * it has no RI class). It is given a copy where each one is U+4E00, an ideograph (class ID):
 * like a flag, it may break before and after it in ordinary text, and keeps the same
 * no-break rules around punctuation (LB13, LB18...). A letter (class AL) would forbid breaks
 * between adjacent flags. The pairs are then kept whole here (UAX #14 LB30a). */
static void set_breaks(lay *L) {
    const uint32_t *cps = L->cps;
    uint32_t *copy = NULL;
    for (size_t i = 0; i < L->n; i++) {
        if (is_regional_indicator(L->cps[i])) {
            if (!copy) {
                copy = vt_xcalloc(L->n, sizeof *copy);
                memcpy(copy, L->cps, L->n * sizeof *copy);
                cps = copy;
            }
            copy[i] = 0x4E00;
        }
    }
    set_linebreaks_utf32(cps, L->n, L->lang, L->brks);
    free(copy);
    /* LB30a: no break between the two of a pair, counted from the start of each run. */
    size_t ri_run = 0;
    for (size_t i = 0; i < L->n; i++) {
        ri_run = is_regional_indicator(L->cps[i]) ? ri_run + 1 : 0;
        if (ri_run % 2 == 1 && i + 1 < L->n && is_regional_indicator(L->cps[i + 1])) {
            L->brks[i] = LINEBREAK_NOBREAK;
        }
    }
}

static vt_status prepare(lay *L, vt_text_layout *out, vt_error *err) {
    const vt_text_layout_desc *d = L->d;
    if (!(d->size >= 1 && d->size <= 2000)) {
        return VT_FAIL(err, VT_E_DATAERR, "text size %g px is out of range (1..2000)", d->size);
    }
    if (d->len > MAX_TEXT_BYTES) {
        return VT_FAIL(err, VT_E_DATAERR, "text of %zu bytes is too long (at most %zu)", d->len,
                       MAX_TEXT_BYTES);
    }
    size_t bad = 0;
    if (d->len && !vt_text_utf8_validate(d->text, d->len, &bad)) {
        return VT_FAIL(err, VT_E_DATAERR, "text is not valid UTF-8 at byte %zu", bad);
    }
    bool fr = is_lang(L->lang, "fr"), en = is_lang(L->lang, "en");
    if (!d->as_typed && (fr || en)) {
        size_t n = 0;
        char *smart = NULL;
        vt_status st =
            vt_text_smart_punctuation(d->text ? d->text : "", d->len, fr, &smart, &n, err);
        if (st == VT_OK && fr) {
            st = vt_text_french_spacing(smart, n, &out->text, &n, err);
            free(smart);
        } else {
            out->text = smart;
        }
        if (st != VT_OK) {
            return st;
        }
        out->text_len = n;
        decode(L, out->text, n);
    } else {
        out->text = vt_xstrndup(d->text ? d->text : "", d->len);
        out->text_len = d->len;
        decode(L, out->text, d->len);
    }
    char warning[512];
    vt_status st = vt_text_font_find(L->ctx, &d->font, &L->primary, warning, sizeof warning, err);
    if (st != VT_OK) {
        return st;
    }
    if (warning[0]) {
        add_warning(L, warning);
    }
    choose_fonts(L);
    resolve_scripts(L);
    L->level = vt_xcalloc(L->n + 1, sizeof *L->level);
    L->adv = vt_xcalloc(L->n + 1, sizeof *L->adv);
    L->cstart = vt_xcalloc(L->n + 1, sizeof *L->cstart);
    L->brks = vt_xcalloc(L->n + 1, 1);
    if (L->n) {
        set_breaks(L);
    }
    return VT_OK;
}

/* Paragraphs end at mandatory breaks; their break characters are not set. */
static void break_all(lay *L, bool *first_rtl) {
    size_t p0 = 0;
    bool first = true;
    for (size_t i = 0; i <= L->n; i++) {
        if (i < L->n && !(L->brks[i] == LINEBREAK_MUSTBREAK && is_mandatory_break(L->cps[i]))) {
            continue;
        }
        size_t p1 = i;
        while (p1 > p0 && is_mandatory_break(L->cps[p1 - 1])) {
            p1--;
        }
        bool rtl = bidi_levels(L, p0, p1);
        if (first) {
            *first_rtl = p1 > p0 ? rtl : is_lang(L->lang, "ar") || is_lang(L->lang, "he");
            first = false;
        }
        measure(L, p0, p1);
        break_paragraph(L, p0, p1, rtl);
        if (i == L->n) {
            break;
        }
        p0 = i + 1;
    }
}

/* The start of the cluster that ends at b (a at most). */
static size_t cluster_before(const lay *L, size_t a, size_t b) {
    b--;
    while (b > a && !L->cstart[b]) {
        b--;
    }
    return b;
}

static double ellipsis_width(lay *L, uint32_t font) {
    hb_font_t *f = hb_font_for(L, vt_text_font_for(L->ctx, font, ELLIPSIS, L->lang, NULL));
    hb_codepoint_t gid = 0;
    hb_font_get_nominal_glyph(f, ELLIPSIS, &gid);
    return hb_font_get_glyph_h_advance(f, gid) / 64.0 + L->ls;
}

/* Keeps max_lines lines; the last ends with "…". The cut is found on the measured advances
 * (linear: reshaping the line after each cluster removed was quadratic, seconds for a long
 * line), then the line is shaped to check it, stepping back a cluster while it does not fit
 * (shaping across the cut can differ from the measure by a kerning pair) or on by one while the
 * next still fits. */
static void apply_max_lines(lay *L, vt_text_layout *out) {
    int max = L->d->max_lines;
    if (max <= 0 || L->line_count <= (size_t)max) {
        return;
    }
    out->truncated = true;
    L->line_count = (size_t)max;
    brk_line *ln = &L->lines[max - 1];
    ln->suffix = ELLIPSIS;
    ln->para_end = true;
    if (!(L->W > 0) || shape_line(L, ln->a, ln->b, ELLIPSIS, ln->rtl) <= L->W) {
        return;
    }
    size_t a = ln->a, b = ln->b, full = ln->b;
    double ell = ellipsis_width(L, b > a ? L->font[b - 1] : L->primary), w = 0;
    for (size_t i = a; i < b; i++) {
        w += L->adv[i];
    }
    /* Trailing spaces are counted here though the line drops them: where they tip the
     * balance, the next step removes them and the trimmed line is the same. */
    while (b > a && w + ell > L->W) {
        size_t c = cluster_before(L, a, b);
        for (size_t i = c; i < b; i++) {
            w -= L->adv[i];
        }
        b = c;
    }
    ln->b = trim_end(L, a, b);
    bool shortened = false;
    while (ln->b > ln->a && shape_line(L, ln->a, ln->b, ELLIPSIS, ln->rtl) > L->W) {
        ln->b = trim_end(L, ln->a, cluster_before(L, ln->a, ln->b));
        shortened = true;
    }
    while (!shortened && b < full) {
        size_t next = b + 1;
        while (next < full && !L->cstart[next]) {
            next++;
        }
        b = next;
        if (is_break_space(L->cps[next - 1])) {
            continue; /* dropped at the line's end: the same line */
        }
        if (shape_line(L, a, next, ELLIPSIS, ln->rtl) > L->W) {
            break;
        }
        ln->b = next;
    }
}

static double line_x(const lay *L, double W, double w, bool rtl, bool justified) {
    int al = L->d->align;
    if (al == VT_ALIGN_JUSTIFY) {
        al = justified ? VT_ALIGN_LEFT : VT_ALIGN_START;
    }
    if (al == VT_ALIGN_START) {
        al = rtl ? VT_ALIGN_RIGHT : VT_ALIGN_LEFT;
    } else if (al == VT_ALIGN_END) {
        al = rtl ? VT_ALIGN_LEFT : VT_ALIGN_RIGHT;
    }
    return al == VT_ALIGN_RIGHT ? W - w : al == VT_ALIGN_CENTER ? (W - w) / 2 : 0;
}

static void emit_lines(lay *L, vt_text_layout *out) {
    const text_face *pf = vt_text_face(L->ctx, L->primary);
    double upem = pf->ft->units_per_EM ? pf->ft->units_per_EM : 1000;
    double asc = pf->ft->ascender * L->size / upem, desc = -pf->ft->descender * L->size / upem;
    double lead = (L->lh - (asc + desc)) / 2;
    size_t cap = 0;
    out->lines = vt_xcalloc(L->line_count + 1, sizeof *out->lines);
    /* Each line shaped once, its glyphs placed from 0; aligned when the widest is known. */
    for (size_t i = 0; i < L->line_count; i++) {
        const brk_line *ln = &L->lines[i];
        double w = shape_line(L, ln->a, ln->b, ln->suffix, ln->rtl);
        out->width = fmax(out->width, w);
        size_t spaces = 0;
        for (size_t g = 0; g < L->tmp_count; g++) {
            spaces += L->tmp[g].space;
        }
        bool justify =
            L->d->align == VT_ALIGN_JUSTIFY && !ln->para_end && L->W > 0 && spaces > 0 && w < L->W;
        double extra = justify ? (L->W - w) / (double)spaces : 0;
        L->lines[i].justified = justify;
        vt_text_line *ol = &out->lines[out->line_count++];
        *ol = (vt_text_line){.first_glyph = out->glyph_count,
                             .glyph_count = L->tmp_count,
                             .width = justify ? L->W : w,
                             .baseline = (double)i * L->lh + lead + asc,
                             .start = L->offs[ln->a],
                             .end = L->offs[ln->b],
                             .rtl = ln->rtl,
                             .hyphen = ln->suffix == HYPHEN,
                             .ellipsis = ln->suffix == ELLIPSIS};
        if (out->glyph_count + L->tmp_count > cap) {
            cap = (out->glyph_count + L->tmp_count) * 2;
            out->glyphs = vt_xrealloc(out->glyphs, cap * sizeof *out->glyphs);
        }
        double pen = 0;
        for (size_t g = 0; g < L->tmp_count; g++) {
            const shaped *s = &L->tmp[g];
            out->glyphs[out->glyph_count++] = (vt_text_glyph){
                .font = s->font,
                .glyph = s->glyph,
                .x = (float)(pen + s->dx),
                .y = (float)(ol->baseline - s->dy),
                .cluster = (uint32_t)(s->src == NO_INDEX ? L->offs[ln->b] : L->offs[s->src])};
            pen += s->adv + (s->space ? extra : 0);
        }
    }
    double W = L->W > 0 ? L->W : out->width;
    for (size_t i = 0; i < out->line_count; i++) {
        vt_text_line *ol = &out->lines[i];
        ol->x = line_x(L, W, ol->width, ol->rtl, L->lines[i].justified);
        for (size_t g = ol->first_glyph; g < ol->first_glyph + ol->glyph_count; g++) {
            out->glyphs[g].x += (float)ol->x;
        }
    }
    out->height = (double)L->line_count * L->lh;
}

static void lay_free(lay *L) {
    for (size_t i = 0; i < L->hbf_count; i++) {
        if (L->hbf[i]) {
            hb_font_destroy(L->hbf[i]);
        }
    }
    free(L->hbf);
    if (L->buf) {
        hb_buffer_destroy(L->buf);
    }
    free(L->cps);
    free(L->offs);
    free(L->font);
    free(L->script);
    free(L->level);
    free(L->brks);
    free(L->adv);
    free(L->cstart);
    free(L->lines);
    free(L->tmp);
    free(L->warn);
}

vt_status vt_text_layout_create(vt_text_ctx *ctx, const vt_text_layout_desc *desc,
                                vt_text_layout **out, vt_error *err) {
    *out = NULL;
    lay L = {.ctx = ctx, .d = desc, .lang = desc->lang && *desc->lang ? desc->lang : NULL};
    L.hb_lang = L.lang ? hb_language_from_string(L.lang, -1) : HB_LANGUAGE_INVALID;
    check_desc(desc, &L);
    vt_text_layout *lo = vt_xcalloc(1, sizeof *lo);
    lo->size = desc->size;
    vt_status st = prepare(&L, lo, err);
    if (st != VT_OK) {
        lay_free(&L);
        vt_text_layout_destroy(lo);
        return st;
    }
    L.buf = hb_buffer_create();
    break_all(&L, &lo->rtl);
    apply_max_lines(&L, lo);
    emit_lines(&L, lo);
    lo->warnings = L.warn;
    L.warn = NULL;
    lay_free(&L);
    *out = lo;
    return VT_OK;
}

void vt_text_layout_destroy(vt_text_layout *layout) {
    if (!layout) {
        return;
    }
    free(layout->text);
    free(layout->glyphs);
    free(layout->lines);
    free(layout->warnings);
    free(layout);
}
