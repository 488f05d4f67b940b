/* Tests of engine/text's typesetting: widths against HarfBuzz's own shaping, kerning,
 * ligatures, combining marks, Arabic joining, bidi order, French no-break spaces, line breaking,
 * justification, ellipsis, hyphenation, bad input, font look-up and fallback; and the atlas. */
#include "scene/vt_scene.h"
#include "text/vt_text.h"
#include "vt_test.h"

#include <harfbuzz/hb.h>
#include <unistd.h>

static vt_text_ctx *ctx;

static vt_text_layout_desc desc_of(const char *text, const char *family, double size,
                                   double width) {
    return (vt_text_layout_desc){.text = text,
                                 .len = strlen(text),
                                 .font = {.family = family},
                                 .size = size,
                                 .line_height = 1.25,
                                 .width = width};
}

static vt_text_layout *lay_out(const vt_text_layout_desc *d) {
    vt_text_layout *lo = NULL;
    vt_error err = {0};
    vt_status st = vt_text_layout_create(ctx, d, &lo, &err);
    VT_CHECK_INT(st, VT_OK);
    if (st != VT_OK) {
        fprintf(stderr, "layout of '%s': %s\n", d->text, err.message);
        exit(1);
    }
    return lo;
}

/* Width of a one-line text with no box. */
static double width_of(const char *text, const char *family, double size) {
    vt_text_layout_desc d = desc_of(text, family, size, 0);
    vt_text_layout *lo = lay_out(&d);
    double w = lo->line_count == 1 ? lo->lines[0].width : -1;
    vt_text_layout_destroy(lo);
    return w;
}

/* HarfBuzz on its own: the face file fontconfig gives the layout, the same size in 26.6. */
static hb_font_t *hb_font_of(uint32_t font, double size) {
    const char *file = NULL;
    int index = 0;
    VT_CHECK(vt_text_font_info(ctx, font, &file, &index, NULL));
    hb_blob_t *blob = hb_blob_create_from_file(file);
    hb_face_t *face = hb_face_create(blob, (unsigned)index);
    hb_font_t *f = hb_font_create(face);
    int s = (int)lround(size * 64);
    hb_font_set_scale(f, s, s);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return f;
}

static double hb_width(hb_font_t *f, const char *text, size_t len, const char *lang) {
    hb_buffer_t *b = hb_buffer_create();
    hb_buffer_add_utf8(b, text, (int)len, 0, (int)len);
    if (lang) {
        hb_buffer_set_language(b, hb_language_from_string(lang, -1));
    }
    hb_buffer_guess_segment_properties(b);
    hb_shape(f, b, NULL, 0);
    unsigned n = 0;
    hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(b, &n);
    double w = 0;
    for (unsigned i = 0; i < n; i++) {
        w += pos[i].x_advance / 64.0;
    }
    hb_buffer_destroy(b);
    return w;
}

static void test_widths_match_harfbuzz(void) {
    const char *para = "Typography is the craft of endowing human language with a durable visual "
                       "form. Waves, tides and AVA WAVE Toffee offices.";
    vt_text_layout_desc d = desc_of(para, "DejaVu Serif", 37.5, 420);
    vt_text_layout *lo = lay_out(&d);
    VT_CHECK(lo->line_count >= 4);
    hb_font_t *f = hb_font_of(lo->glyphs[0].font, 37.5);
    for (size_t i = 0; i < lo->line_count; i++) {
        const vt_text_line *l = &lo->lines[i];
        double hw = hb_width(f, lo->text + l->start, l->end - l->start, NULL);
        VT_CHECK_NEAR(l->width, hw, 0); /* exact: the same advances, summed in the same order */
        VT_CHECK(l->width <= 420);
    }
    hb_font_destroy(f);
    vt_text_layout_destroy(lo);
}

static void test_kerning_ligature_marks(void) {
    double av = width_of("AV", "DejaVu Sans", 40), a = width_of("A", "DejaVu Sans", 40),
           v = width_of("V", "DejaVu Sans", 40);
    VT_CHECK(av < a + v - 1);

    vt_text_layout_desc d = desc_of("fi", "DejaVu Serif", 40, 0);
    vt_text_layout *lo = lay_out(&d);
    VT_CHECK_INT(lo->glyph_count, 1);
    vt_text_layout_destroy(lo);
    /* Letter spacing turns the ligature off: the letters must be apart. */
    d.letter_spacing = 5;
    lo = lay_out(&d);
    VT_CHECK_INT(lo->glyph_count, 2);
    vt_text_layout_destroy(lo);

    d = desc_of("e\xcc\x81t\xc3\xa9", "DejaVu Sans", 40, 0); /* e + U+0301, t, é */
    lo = lay_out(&d);
    VT_CHECK(lo->glyph_count >= 3);
    /* e + combining acute is one cluster (byte 0), whatever glyphs the font uses. */
    size_t clusters = 0;
    for (size_t i = 0; i < lo->glyph_count; i++) {
        clusters += i == 0 || lo->glyphs[i].cluster != lo->glyphs[i - 1].cluster;
    }
    VT_CHECK_INT(clusters, 3);
    VT_CHECK_INT(lo->glyphs[1].cluster == 0 || lo->glyph_count == 3, 1);
    vt_text_layout_destroy(lo);
}

static void test_arabic_and_bidi(void) {
    /* سلام: lam + alef join into one ligature; visual order runs right to left, so the
     * leftmost glyph is the last letter (byte 6) and the rightmost the first. */
    const char *salam = "\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85";
    vt_text_layout_desc d = desc_of(salam, "DejaVu Sans", 40, 0);
    d.lang = "ar";
    vt_text_layout *lo = lay_out(&d);
    VT_CHECK(lo->rtl);
    VT_CHECK(lo->lines[0].rtl);
    VT_CHECK_INT(lo->glyph_count, 3);
    VT_CHECK_INT(lo->glyphs[0].cluster, 6);
    VT_CHECK_INT(lo->glyphs[1].cluster, 2);
    VT_CHECK_INT(lo->glyphs[2].cluster, 0);
    vt_text_layout_destroy(lo);
    /* بيت: initial, medial and final forms, each unlike the letter set alone. */
    const char *bayt = "\xd8\xa8\xd9\x8a\xd8\xaa";
    d = desc_of(bayt, "DejaVu Sans", 40, 0);
    lo = lay_out(&d);
    VT_CHECK_INT(lo->glyph_count, 3);
    size_t differ = 0;
    for (size_t i = 0; i < lo->glyph_count; i++) {
        uint32_t c = lo->glyphs[i].cluster;
        char one[3] = {bayt[c], bayt[c + 1], 0};
        vt_text_layout_desc di = desc_of(one, "DejaVu Sans", 40, 0);
        vt_text_layout *iso = lay_out(&di);
        differ += iso->glyphs[0].glyph != lo->glyphs[i].glyph;
        vt_text_layout_destroy(iso);
    }
    VT_CHECK_INT(differ, 3);
    vt_text_layout_destroy(lo);

    /* "Hello עולם": Hello first at the left, then the Hebrew word reversed. */
    const char *mixed = "Hello \xd7\xa2\xd7\x95\xd7\x9c\xd7\x9d";
    d = desc_of(mixed, "DejaVu Sans", 40, 0);
    lo = lay_out(&d);
    VT_CHECK(!lo->rtl);
    VT_CHECK_INT(lo->glyph_count, 10);
    static const uint32_t expect[] = {0, 1, 2, 3, 4, 5, 12, 10, 8, 6};
    for (size_t i = 0; i < 10 && i < lo->glyph_count; i++) {
        VT_CHECK_INT(lo->glyphs[i].cluster, expect[i]);
        VT_CHECK(i == 0 || lo->glyphs[i].x > lo->glyphs[i - 1].x);
    }
    vt_text_layout_destroy(lo);

    /* A right-to-left paragraph aligned to start sits at the right of its box. */
    d = desc_of("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d", "DejaVu Sans", 40, 600);
    lo = lay_out(&d);
    VT_CHECK(lo->rtl);
    VT_CHECK_NEAR(lo->lines[0].x + lo->lines[0].width, 600, 1e-9);
    vt_text_layout_destroy(lo);
}

static void test_french(void) {
    /* Typed with plain spaces: French spacing puts U+202F before '?' and '!', U+00A0 before
     * ':'; no line may start or end at them, however narrow the box. */
    const char *text = "Vraiment ? Les mar\xc3\xa9"
                       "es : oui ! Pourquoi ?";
    double narrow = width_of("Vraiment", "DejaVu Sans", 32) + 2;
    vt_text_layout_desc d = desc_of(text, "DejaVu Sans", 32, narrow);
    d.lang = "fr-CA";
    vt_text_layout *lo = lay_out(&d);
    VT_CHECK(strstr(lo->text, "Vraiment\xe2\x80\xaf?") != NULL);
    VT_CHECK(strstr(lo->text, "es\xc2\xa0:") != NULL);
    VT_CHECK(lo->line_count >= 4);
    for (size_t i = 0; i < lo->line_count; i++) {
        const char *s = lo->text + lo->lines[i].start, *e = lo->text + lo->lines[i].end;
        VT_CHECK(*s != '?' && *s != '!' && *s != ':');
        VT_CHECK(strncmp(s, "\xe2\x80\xaf", 3) != 0 && strncmp(s, "\xc2\xa0", 2) != 0);
        VT_CHECK(e - s < 3 || strncmp(e - 3, "\xe2\x80\xaf", 3) != 0);
        VT_CHECK(e - s < 2 || strncmp(e - 2, "\xc2\xa0", 2) != 0);
    }
    vt_text_layout_destroy(lo);
    /* English: no spacing is added. */
    d.lang = "en";
    lo = lay_out(&d);
    VT_CHECK(strcmp(lo->text, text) == 0);
    vt_text_layout_destroy(lo);
}

/* Greedy breaking on a known paragraph: each line as long as fits, the next word would not. */
static void test_line_breaking(void) {
    const char *text = "The quick brown fox jumps over the lazy dog and keeps running far away.";
    double w = width_of("The quick brown fox", "DejaVu Sans", 30) + 0.5;
    vt_text_layout_desc d = desc_of(text, "DejaVu Sans", 30, w);
    vt_text_layout *lo = lay_out(&d);
    static const char *const expect[] = {"The quick brown fox", "jumps over the lazy",
                                         "dog and keeps", "running far away."};
    VT_CHECK_INT(lo->line_count, 4);
    for (size_t i = 0; i < lo->line_count && i < 4; i++) {
        char line[128];
        snprintf(line, sizeof line, "%.*s", (int)(lo->lines[i].end - lo->lines[i].start),
                 lo->text + lo->lines[i].start);
        VT_CHECK_STR(line, expect[i]);
        VT_CHECK(lo->lines[i].width <= w);
        VT_CHECK_NEAR(lo->lines[i].baseline - (i ? lo->lines[i - 1].baseline : 0),
                      i ? 30 * 1.25 : lo->lines[0].baseline, 1e-9);
    }
    VT_CHECK_NEAR(lo->height, 4 * 30 * 1.25, 1e-9);
    vt_text_layout_destroy(lo);

    /* Alignment in a left-to-right paragraph; letter spacing after every cluster. */
    double hello = width_of("Hello", "DejaVu Sans", 30);
    static const struct {
        int align;
        double x;
    } aligns[] = {{VT_ALIGN_START, 0}, {VT_ALIGN_LEFT, 0},     {VT_ALIGN_END, 1},
                  {VT_ALIGN_RIGHT, 1}, {VT_ALIGN_CENTER, 0.5}, {VT_ALIGN_JUSTIFY, 0}};
    for (size_t i = 0; i < sizeof aligns / sizeof *aligns; i++) {
        d = desc_of("Hello", "DejaVu Sans", 30, 500);
        d.align = aligns[i].align;
        lo = lay_out(&d);
        VT_CHECK_NEAR(lo->lines[0].x, (500 - hello) * aligns[i].x, 1e-9);
        VT_CHECK_NEAR(lo->glyphs[0].x, lo->lines[0].x, 1e-6);
        vt_text_layout_destroy(lo);
    }
    d = desc_of("Hello", "DejaVu Sans", 30, 0);
    d.letter_spacing = 3;
    lo = lay_out(&d);
    VT_CHECK_NEAR(lo->lines[0].width, hello + 5 * 3, 1e-9);
    VT_CHECK_NEAR(lo->glyphs[1].x - lo->glyphs[0].x, width_of("H", "DejaVu Sans", 30) + 3, 1e-5);
    vt_text_layout_destroy(lo);

    /* A mandatory break: two paragraphs, even with no box. */
    d = desc_of("one\ntwo\r\n\nthree", "DejaVu Sans", 30, 0);
    lo = lay_out(&d);
    VT_CHECK_INT(lo->line_count, 4);
    VT_CHECK_INT(lo->lines[2].glyph_count, 0);
    vt_text_layout_destroy(lo);
}

static void test_justify_and_ellipsis(void) {
    const char *text = "Museum screens are full of text: titles, labels, quotations, captions in "
                       "several languages and subtitles for the hard of hearing.";
    vt_text_layout_desc d = desc_of(text, "DejaVu Serif", 28, 400);
    d.align = VT_ALIGN_JUSTIFY;
    vt_text_layout *lo = lay_out(&d);
    VT_CHECK(lo->line_count >= 3);
    for (size_t i = 0; i + 1 < lo->line_count; i++) {
        const vt_text_line *l = &lo->lines[i];
        VT_CHECK_NEAR(l->width, 400, 1e-9);
        VT_CHECK_NEAR(l->x, 0, 1e-9);
        /* The last glyph's right side reaches the box edge (its advance from the pen). */
        const vt_text_glyph *g = &lo->glyphs[l->first_glyph + l->glyph_count - 1];
        VT_CHECK(g->x > 400 - 28 && g->x < 400);
    }
    const vt_text_line *last = &lo->lines[lo->line_count - 1];
    VT_CHECK(last->width < 400);
    VT_CHECK_NEAR(last->x, 0, 1e-9);
    vt_text_layout_destroy(lo);

    d.align = VT_ALIGN_START;
    d.max_lines = 2;
    lo = lay_out(&d);
    VT_CHECK_INT(lo->line_count, 2);
    VT_CHECK(lo->truncated);
    VT_CHECK(lo->lines[1].ellipsis && !lo->lines[0].ellipsis);
    VT_CHECK(lo->lines[1].width <= 400);
    /* The last glyph is U+2026 of the face. */
    hb_font_t *f = hb_font_of(lo->glyphs[0].font, 28);
    hb_codepoint_t ell = 0;
    VT_CHECK(hb_font_get_nominal_glyph(f, 0x2026, &ell));
    VT_CHECK_INT(lo->glyphs[lo->glyph_count - 1].glyph, ell);
    /* Line and ellipsis measure what HarfBuzz measures for the same text. */
    char buf[512];
    snprintf(buf, sizeof buf, "%.*s\xe2\x80\xa6", (int)(lo->lines[1].end - lo->lines[1].start),
             lo->text + lo->lines[1].start);
    VT_CHECK_NEAR(lo->lines[1].width, hb_width(f, buf, strlen(buf), NULL), 0);
    hb_font_destroy(f);
    vt_text_layout_destroy(lo);
}

/* A line cut for the ellipsis after 20,000 zero-width spaces: it ends with "…" and fits
 * (cutting used to reshape the whole line per cluster removed: quadratic, tens of seconds). */
static void test_long_ellipsis(void) {
    size_t n = 20000, len = 0;
    char *text = malloc(n * 3 + 32);
    len += (size_t)sprintf(text, "AAAAAAAAAA");
    for (size_t i = 0; i < n; i++) {
        memcpy(text + len, "\xE2\x80\x8B", 3);
        len += 3;
    }
    len += (size_t)sprintf(text + len, " BBBBBBBBBB");
    double box = width_of("AAAAAAAAAA", "DejaVu Sans", 20) + 1;
    vt_text_layout_desc d = desc_of("", "DejaVu Sans", 20, box);
    d.text = text;
    d.len = len;
    d.max_lines = 1;
    vt_text_layout *lo = lay_out(&d);
    VT_CHECK_INT(lo->line_count, 1);
    VT_CHECK(lo->truncated && lo->lines[0].ellipsis);
    VT_CHECK(lo->lines[0].width <= box);
    /* As many A as fit beside the ellipsis (one more would not), then "…". */
    size_t kept = lo->lines[0].end - lo->lines[0].start;
    VT_CHECK(kept >= 5 && kept < 10);
    hb_font_t *f = hb_font_of(lo->glyphs[0].font, 20);
    hb_codepoint_t ell = 0;
    VT_CHECK(hb_font_get_nominal_glyph(f, 0x2026, &ell));
    VT_CHECK_INT(lo->glyphs[lo->glyph_count - 1].glyph, ell);
    char buf[32];
    snprintf(buf, sizeof buf, "%.*s\xe2\x80\xa6", (int)kept, "AAAAAAAAAA");
    VT_CHECK_NEAR(lo->lines[0].width, hb_width(f, buf, strlen(buf), NULL), 0);
    snprintf(buf, sizeof buf, "%.*s\xe2\x80\xa6", (int)kept + 1, "AAAAAAAAAA");
    VT_CHECK(hb_width(f, buf, strlen(buf), NULL) > box);
    hb_font_destroy(f);
    vt_text_layout_destroy(lo);
    free(text);
}

static void test_hyphenation(void) {
    const char *text = "Les extraordinaires transformations contemporaines des littoraux "
                       "m\xc3\xa9"
                       "diterran\xc3\xa9"
                       "ens.";
    vt_text_layout_desc d = desc_of(text, "DejaVu Serif", 30, 330);
    d.lang = "fr";
    d.align = VT_ALIGN_JUSTIFY;
    vt_text_layout *plain = lay_out(&d);
    d.hyphenate = true;
    vt_text_layout *lo = lay_out(&d);
    size_t hyphens = 0;
    for (size_t i = 0; i < lo->line_count; i++) {
        const vt_text_line *l = &lo->lines[i];
        if (l->hyphen) {
            hyphens++;
            /* Cut inside a word: the next character is a letter. */
            char next = lo->text[l->end];
            VT_CHECK(next != ' ' && next != '\0');
        }
        if (i + 1 < lo->line_count && memchr(lo->text + l->start, ' ', l->end - l->start)) {
            VT_CHECK_NEAR(l->width, 330, 1e-9);
        }
    }
    VT_CHECK(hyphens >= 1);
    /* mé-di-ter-ra-néens: cut at the last allowed point that fits. */
    VT_CHECK(lo->line_count >= 5 && lo->lines[3].hyphen &&
             strncmp(lo->text + lo->lines[3].start,
                     "littoraux m\xc3\xa9"
                     "diterra",
                     lo->lines[3].end - lo->lines[3].start) == 0);
    for (size_t i = 0; i < plain->line_count; i++) {
        VT_CHECK(!plain->lines[i].hyphen);
    }
    vt_text_layout_destroy(plain);
    vt_text_layout_destroy(lo);
    /* English: no dictionary installed, no hyphen. */
    d.lang = "en";
    lo = lay_out(&d);
    for (size_t i = 0; i < lo->line_count; i++) {
        VT_CHECK(!lo->lines[i].hyphen);
    }
    vt_text_layout_destroy(lo);
}

static void test_bad_input(void) {
    vt_text_layout *lo = NULL;
    vt_error err = {0};
    vt_text_layout_desc d = desc_of("ab\xc3\xa9z\xff", "DejaVu Sans", 20, 0);
    VT_CHECK_INT(vt_text_layout_create(ctx, &d, &lo, &err), VT_E_DATAERR);
    VT_CHECK_STR(err.message, "text is not valid UTF-8 at byte 5");
    VT_CHECK(lo == NULL);
    d = desc_of("ok", "DejaVu Sans", 0.5, 0);
    VT_CHECK_INT(vt_text_layout_create(ctx, &d, &lo, &err), VT_E_DATAERR);
    VT_CHECK_STR(err.message, "text size 0.5 px is out of range (1..2000)");
    d.size = 2001;
    VT_CHECK_INT(vt_text_layout_create(ctx, &d, &lo, &err), VT_E_DATAERR);
    d.size = 20;
    /* A font file missing or not a font: the default family, with one warning saying why. */
    d.font.path = "/nonexistent/font.ttf";
    VT_CHECK_INT(vt_text_layout_create(ctx, &d, &lo, &err), VT_OK);
    VT_CHECK(lo && lo->glyph_count == 2);
    VT_CHECK_STR(lo ? lo->warnings : "",
                 "cannot read font file '/nonexistent/font.ttf'; using 'DejaVu Sans'");
    vt_text_layout_destroy(lo);
    lo = NULL;
    d.font.path = "/etc/hostname";
    VT_CHECK_INT(vt_text_layout_create(ctx, &d, &lo, &err), VT_OK);
    VT_CHECK(lo && lo->glyph_count == 2);
    const char *w = lo && lo->warnings ? lo->warnings : "";
    VT_CHECK(strncmp(w, "'/etc/hostname' is not a font FreeType can read (error ", 55) == 0);
    VT_CHECK(strstr(w, "); using 'DejaVu Sans'") != NULL);
    vt_text_layout_destroy(lo);
}

/* Hostile text: code points from every plane, marks on nothing, bidi controls, tabs, no-break
 * spaces and breaks, in a narrow box: it is set (quickly: 48 KiB), every glyph and line points
 * into the text, and the tofu warnings stay few. */
static void test_hostile_text(void) {
    size_t cap = 48 << 10, len = 0;
    char *text = malloc(cap + 8);
    uint32_t seed = 12345;
    while (len < cap) {
        seed = seed * 1103515245u + 12345u;
        uint32_t r = seed >> 8, cp;
        switch (r % 8) {
        case 0:
            cp = 0x20 + r % 0x60;
            break;
        case 1:
            cp = 0x300 + r % 0x70;
            break; /* combining marks */
        case 2:
            cp = 0x590 + r % 0x200;
            break; /* Hebrew, Arabic */
        case 3:
            cp = 0x4E00 + r % 0x5000;
            break; /* CJK */
        case 4:
            cp = 0x2000 + r % 0x70;
            break; /* spaces, bidi controls, punctuation */
        case 5:
            cp = 0xF0000 + r % 0x100;
            break; /* private use: no font */
        case 6:
            cp = "\n\t \xa0"[r % 4] & 0xFF;
            break;
        default:
            cp = 0x61 + r % 26;
            break;
        }
        if (cp >= 0xD800 && cp < 0xE000) {
            continue;
        }
        len += vt_text_utf8_encode(cp, text + len);
    }
    vt_text_layout_desc d = desc_of("", "DejaVu Sans", 14, 120);
    d.text = text;
    d.len = len;
    d.lang = "ar";
    vt_text_layout *lo = lay_out(&d);
    VT_CHECK(lo->line_count > 100);
    size_t bad = 0;
    for (size_t i = 0; i < lo->line_count; i++) {
        const vt_text_line *l = &lo->lines[i];
        bad += l->end < l->start || l->end > lo->text_len;
    }
    for (size_t g = 0; g < lo->glyph_count; g++) {
        bad += lo->glyphs[g].cluster > lo->text_len;
    }
    VT_CHECK_INT(bad, 0);
    size_t warnings = 0;
    for (const char *w = lo->warnings; w && *w; w++) {
        warnings += *w == '\n';
    }
    VT_CHECK(lo->warnings && warnings == 8); /* 8 named, then one "more" line */
    vt_text_layout_destroy(lo);
    free(text);

    /* Over 256 KiB: refused. */
    char *big = malloc((256 << 10) + 2);
    memset(big, 'a', (256 << 10) + 1);
    d = desc_of("", "DejaVu Sans", 14, 120);
    d.text = big;
    d.len = (256 << 10) + 1;
    vt_error err = {0};
    VT_CHECK_INT(vt_text_layout_create(ctx, &d, &lo, &err), VT_E_DATAERR);
    VT_CHECK_STR(err.message, "text of 262145 bytes is too long (at most 262144)");
    free(big);
}

/* Lines that start inside a pair of regional indicators (half a flag); 0 when none. */
static size_t split_flags(const vt_text_layout *lo) {
    size_t split = 0;
    for (size_t l = 1; l < lo->line_count; l++) {
        size_t run = 0, at = 0;
        while (at < lo->lines[l].start) {
            uint32_t cp;
            size_t n = vt_text_utf8_decode(lo->text + at, lo->text_len - at, &cp);
            run = cp >= 0x1F1E6 && cp <= 0x1F1FF ? run + 1 : 0;
            at += n ? n : 1;
        }
        split += run % 2;
    }
    return split;
}

/* Flags (pairs of regional indicators): libunibreak 1.1 used to abort on them. They lay out,
 * in a narrow box, never broken inside a pair, with breaks between flags allowed. */
static void test_flags(void) {
    vt_text_layout_desc d =
        desc_of("Drapeau \xF0\x9F\x87\xAB\xF0\x9F\x87\xB7 !", "DejaVu Sans", 24, 10);
    d.lang = "fr";
    vt_text_layout *lo = lay_out(&d);
    VT_CHECK(lo->line_count >= 2);
    VT_CHECK_INT(split_flags(lo), 0);
    vt_text_layout_destroy(lo);
    char text[40 * 8 + 1] = "";
    for (int i = 0; i < 40; i++) {
        strcat(text,
               i % 2 ? "\xF0\x9F\x87\xA9\xF0\x9F\x87\xAA" : "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7");
    }
    d = desc_of(text, "DejaVu Sans", 24, 10);
    lo = lay_out(&d);
    VT_CHECK_INT(lo->line_count, 40); /* one flag a line: breaks between them */
    VT_CHECK_INT(split_flags(lo), 0);
    vt_text_layout_destroy(lo);
    /* An odd one out: the pairs are counted from the start of the run. */
    d = desc_of("\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7\xF0\x9F\x87\xA9", "DejaVu Sans", 24, 10);
    lo = lay_out(&d);
    VT_CHECK_INT(lo->line_count, 2);
    VT_CHECK_INT(split_flags(lo), 0);
    vt_text_layout_destroy(lo);
}

static void test_fonts(void) {
    vt_text_layout_desc d = desc_of("Hello", "Helvtica", 20, 0);
    vt_text_layout *lo = lay_out(&d);
    const char *family = NULL;
    VT_CHECK(vt_text_font_info(ctx, lo->glyphs[0].font, NULL, NULL, &family));
    char expect[256];
    snprintf(expect, sizeof expect, "font 'Helvtica' not found; using '%s'", family);
    VT_CHECK_STR(lo->warnings, expect);
    vt_text_layout_destroy(lo);

    d = desc_of("Hello", "dejavu serif", 20, 0);
    d.font.weight = 700;
    lo = lay_out(&d);
    VT_CHECK(lo->warnings == NULL);
    const char *file = NULL;
    VT_CHECK(vt_text_font_info(ctx, lo->glyphs[0].font, &file, NULL, &family));
    VT_CHECK_STR(family, "DejaVu Serif");
    VT_CHECK(strstr(file, "DejaVuSerif-Bold") != NULL);
    vt_text_layout_destroy(lo);

    /* CJK falls back to a Noto CJK face; Latin stays in DejaVu. */
    d = desc_of("A\xe6\xbc\xa2\xe5\xad\x97", "DejaVu Sans", 20, 0); /* A漢字 */
    d.lang = "ja";
    lo = lay_out(&d);
    VT_CHECK_INT(lo->glyph_count, 3);
    VT_CHECK(vt_text_font_info(ctx, lo->glyphs[0].font, NULL, NULL, &family));
    VT_CHECK_STR(family, "DejaVu Sans");
    VT_CHECK(vt_text_font_info(ctx, lo->glyphs[1].font, NULL, NULL, &family));
    VT_CHECK(strncmp(family, "Noto Sans CJK", 13) == 0 ||
             strncmp(family, "Noto Serif CJK", 14) == 0);
    VT_CHECK(lo->glyphs[1].glyph != 0);
    VT_CHECK(lo->warnings == NULL);

    /* The same Han character in Chinese: the Chinese face, not the Japanese one found above. */
    const char *ja_family = NULL;
    VT_CHECK(vt_text_font_info(ctx, lo->glyphs[1].font, NULL, NULL, &ja_family));
    vt_text_layout_destroy(lo);
    d.lang = "zh-CN";
    lo = lay_out(&d);
    VT_CHECK(vt_text_font_info(ctx, lo->glyphs[1].font, NULL, NULL, &family));
    VT_CHECK_STR(ja_family, "Noto Sans CJK JP");
    VT_CHECK_STR(family, "Noto Sans CJK SC");
    vt_text_layout_destroy(lo);

    /* Hebrew in DejaVu Serif (which has none) falls back to a font that has it. */
    d = desc_of("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d", "DejaVu Serif", 20, 0);
    lo = lay_out(&d);
    VT_CHECK(lo->glyphs[0].glyph != 0);
    VT_CHECK(vt_text_font_info(ctx, lo->glyphs[0].font, NULL, NULL, &family));
    VT_CHECK(strcmp(family, "DejaVu Serif") != 0);
    vt_text_layout_destroy(lo);

    /* A private-use code point no font has: tofu and a warning naming it. */
    d = desc_of("a\xf3\xb0\x80\x80", "DejaVu Sans", 20, 0); /* U+F0000 */
    lo = lay_out(&d);
    VT_CHECK_STR(lo->warnings, "no installed font has U+F0000; it shows as a box");
    vt_text_layout_destroy(lo);
}

/* The bytes of a file, whole (free() them). */
static char *slurp(const char *path, size_t *len) {
    FILE *fp = fopen(path, "rb");
    VT_CHECK(fp != NULL);
    fseek(fp, 0, SEEK_END);
    *len = (size_t)ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *data = malloc(*len);
    VT_CHECK_INT(fread(data, 1, *len, fp), *len);
    fclose(fp);
    return data;
}

static uint32_t font_of_family(const char *family, const char **file) {
    uint32_t font = 0;
    vt_error err = {0};
    vt_text_font_desc fd = {.family = family};
    VT_CHECK_INT(vt_text_font_find(ctx, &fd, &font, NULL, 0, &err), VT_OK);
    VT_CHECK(vt_text_font_info(ctx, font, file, NULL, NULL));
    return font;
}

/* A font file overwritten in place (an author saving over it while the exhibit plays) neither
 * crashes the faces opened from it (they own a copy, not a mapping: SIGBUS before) nor stays
 * cached: a fresh look-up opens the new file under a new handle. */
static void test_font_file_changed(void) {
    const char *sans = NULL, *serif = NULL;
    font_of_family("DejaVu Sans", &sans);
    font_of_family("DejaVu Serif", &serif);
    size_t sans_len = 0, serif_len = 0;
    char *sans_data = slurp(sans, &sans_len), *serif_data = slurp(serif, &serif_len);
    VT_CHECK(serif_len < sans_len); /* overwriting shortens the file under the old face */
    char path[] = "/tmp/vt_font_XXXXXX";
    int fd = mkstemp(path);
    VT_CHECK(fd >= 0);
    VT_CHECK_INT(write(fd, sans_data, sans_len), (ssize_t)sans_len);
    close(fd);
    vt_text_font_desc d = {.path = path};
    vt_error err = {0};
    uint32_t before = 0, after = 0, again = 0;
    VT_CHECK_INT(vt_text_font_find(ctx, &d, &before, NULL, 0, &err), VT_OK);
    VT_CHECK_INT(vt_text_font_find(ctx, &d, &again, NULL, 0, &err), VT_OK);
    VT_CHECK_INT(again, before); /* unchanged: the same handle */
    vt_text_atlas *a = vt_text_atlas_create(256, 1024);
    vt_text_atlas_entry e;
    VT_CHECK_INT(vt_text_glyph_raster(ctx, a, (vt_text_atlas_key){before, 36, 80, 0}, 1, &e, &err),
                 VT_OK);
    FILE *fp = fopen(path, "r+b"); /* in place: same inode, truncated, rewritten */
    VT_CHECK(fp != NULL);
    VT_CHECK(ftruncate(fileno(fp), 0) == 0);
    VT_CHECK_INT(fwrite(serif_data, 1, serif_len, fp), serif_len);
    fclose(fp);
    /* The old face still draws, its last glyphs included (their outlines lay past the new end). */
    for (uint32_t g = 3000; g < 5000; g += 97) {
        VT_CHECK_INT(
            vt_text_glyph_raster(ctx, a, (vt_text_atlas_key){before, g, 80, 0}, 2, &e, &err),
            VT_OK);
    }
    VT_CHECK_INT(vt_text_font_find(ctx, &d, &after, NULL, 0, &err), VT_OK);
    VT_CHECK(after != before);
    VT_CHECK_INT(vt_text_glyph_raster(ctx, a, (vt_text_atlas_key){after, 36, 80, 0}, 3, &e, &err),
                 VT_OK);
    vt_text_atlas_destroy(a);
    unlink(path);
    free(sans_data);
    free(serif_data);
}

static vt_status add(vt_text_atlas *a, uint32_t font, uint32_t glyph, const uint8_t *px,
                     uint64_t frame, vt_text_atlas_entry *e) {
    vt_error err = {0};
    return vt_text_atlas_add(a, (vt_text_atlas_key){font, glyph, 80, 0}, 30, 20, px, 30, 2, 18,
                             frame, e, &err);
}

static bool has(vt_text_atlas *a, uint32_t font, uint32_t glyph, uint64_t frame) {
    vt_text_atlas_entry e;
    return vt_text_atlas_find(a, (vt_text_atlas_key){font, glyph, 80, 0}, frame, &e);
}

static void test_atlas(void) {
    vt_text_atlas *a = vt_text_atlas_create(32, 64);
    uint8_t px[30 * 20];
    for (size_t i = 0; i < sizeof px; i++) {
        px[i] = (uint8_t)(i * 7 + 1);
    }
    vt_error err = {0};
    vt_text_atlas_entry e;
    int side = 0, x, y, w, h;
    bool resized = false;
    VT_CHECK(vt_text_atlas_take_dirty(a, &x, &y, &w, &h, &resized) && resized && w == 32);
    VT_CHECK(!vt_text_atlas_take_dirty(a, &x, &y, &w, &h, &resized));
    /* Fill: one 30x20 glyph (31x21 with its padding) fits 32 px; the next needs more room. */
    VT_CHECK_INT(add(a, 1, 1, px, 1, &e), VT_OK);
    const uint8_t *p = vt_text_atlas_pixels(a, &side);
    VT_CHECK_INT(side, 32);
    VT_CHECK_INT(p[(size_t)(e.y + 3) * side + e.x + 5], px[3 * 30 + 5]);
    VT_CHECK(vt_text_atlas_take_dirty(a, &x, &y, &w, &h, &resized) && !resized);
    VT_CHECK(x == e.x && y == e.y && w == 30 && h == 20);
    VT_CHECK_INT(add(a, 1, 2, px, 1, &e), VT_OK);
    p = vt_text_atlas_pixels(a, &side);
    VT_CHECK_INT(side, 64); /* grew */
    VT_CHECK(vt_text_atlas_take_dirty(a, &x, &y, &w, &h, &resized) && resized);
    /* The first glyph survived the growth, at the same place. */
    VT_CHECK(vt_text_atlas_find(a, (vt_text_atlas_key){1, 1, 80, 0}, 2, &e));
    VT_CHECK(e.x == 0 && e.y == 0 && e.left == 2 && e.top == 18);
    VT_CHECK_INT(p[(size_t)(e.y + 19) * side + e.x + 29], px[19 * 30 + 29]);
    /* 64 px: three shelves of two glyphs. Glyphs 3..6 fill them in frame 2. */
    for (uint32_t g = 3; g <= 6; g++) {
        VT_CHECK_INT(add(a, 1, g, px, 2, &e), VT_OK);
    }
    VT_CHECK_INT(vt_text_atlas_count(a), 6);
    /* Frame 3 uses glyph 1 (shelf 0) and 5 (shelf 2): a new glyph evicts shelf 1 (3 and 4). */
    VT_CHECK(has(a, 1, 1, 3) && has(a, 1, 5, 3));
    VT_CHECK_INT(add(a, 2, 7, px, 3, &e), VT_OK);
    VT_CHECK(has(a, 1, 1, 3) && has(a, 1, 2, 3) && has(a, 1, 5, 3) && has(a, 1, 6, 3));
    VT_CHECK(!has(a, 1, 3, 3) && !has(a, 1, 4, 3));
    VT_CHECK(has(a, 2, 7, 3));
    VT_CHECK_INT(vt_text_atlas_count(a), 5);
    /* The evicted shelf's pixels were cleared, then glyph 7 drawn in its first place. */
    p = vt_text_atlas_pixels(a, &side);
    VT_CHECK(e.y == 21 && e.x == 0);
    VT_CHECK_INT(p[(size_t)(e.y + 1) * side + 31 + 1], 0);
    /* One more fits beside it; then every shelf is in use this frame: refused. */
    VT_CHECK_INT(add(a, 2, 8, px, 3, &e), VT_OK);
    VT_CHECK_INT(add(a, 2, 9, px, 3, &e), VT_E_SOFTWARE);
    /* Re-adding an evicted glyph in a later frame works (evicting again). */
    VT_CHECK_INT(add(a, 1, 3, px, 4, &e), VT_OK);
    VT_CHECK(has(a, 1, 3, 4));
    VT_CHECK_INT(p[(size_t)(e.y + 2) * side + e.x + 7], px[2 * 30 + 7]);
    /* Empty glyphs (spaces) take no room; oversized ones are refused. */
    VT_CHECK_INT(
        vt_text_atlas_add(a, (vt_text_atlas_key){3, 1, 80, 0}, 0, 0, NULL, 0, 0, 0, 5, &e, &err),
        VT_OK);
    VT_CHECK(e.w == 0 && has(a, 3, 1, 5));
    VT_CHECK_INT(
        vt_text_atlas_add(a, (vt_text_atlas_key){3, 2, 80, 0}, 100, 10, px, 100, 0, 0, 5, &e, &err),
        VT_E_SOFTWARE);
    vt_text_atlas_destroy(a);
}

/* At its largest, an atlas full of small glyphs still takes a glyph taller than every shelf
 * once the frame has moved on (adjacent shelves merged), and remembers a refusal for the rest
 * of the frame. */
static void test_atlas_tall_glyph(void) {
    vt_text_atlas *a = vt_text_atlas_create(128, 128);
    static uint8_t px[100 * 90];
    memset(px, 200, sizeof px);
    vt_error err = {0};
    vt_text_atlas_entry e;
    uint32_t n = 0;
    vt_status st = VT_OK;
    while (st == VT_OK && n < 10000) {
        st = vt_text_atlas_add(a, (vt_text_atlas_key){1, n++, 40, 0}, 9, 7, px, 9, 0, 7, 1, &e,
                               &err);
    }
    VT_CHECK_INT(st, VT_E_SOFTWARE); /* full of glyphs used in frame 1 */
    VT_CHECK(vt_text_atlas_count(a) > 100);
    vt_text_atlas_key tall = {1, 99999, 400, 0};
    VT_CHECK_INT(vt_text_atlas_add(a, tall, 100, 90, px, 100, 0, 90, 1, &e, &err), VT_E_SOFTWARE);
    VT_CHECK(strstr(err.message, "no room for a 100x90 glyph") != NULL);
    VT_CHECK(vt_text_atlas_failed(a, tall, 1));
    VT_CHECK(!vt_text_atlas_failed(a, tall, 2));
    int x, y, w, h, side = 0;
    bool resized;
    vt_text_atlas_take_dirty(a, &x, &y, &w, &h, &resized);
    /* Frame 2 draws one small glyph and the tall one. */
    VT_CHECK(vt_text_atlas_find(a, (vt_text_atlas_key){1, 0, 40, 0}, 2, &e));
    VT_CHECK_INT(vt_text_atlas_add(a, tall, 100, 90, px, 100, 0, 90, 2, &e, &err), VT_OK);
    VT_CHECK(e.w == 100 && e.h == 90 && e.y + 90 <= 128);
    VT_CHECK(vt_text_atlas_find(a, (vt_text_atlas_key){1, 0, 40, 0}, 2, &e));
    VT_CHECK(vt_text_atlas_find(a, tall, 2, &e));
    const uint8_t *p = vt_text_atlas_pixels(a, &side);
    VT_CHECK_INT(side, 128);
    VT_CHECK_INT(p[(size_t)(e.y + 89) * side + e.x + 99], 200);
    /* What the renderer uploads covers the glyph. */
    VT_CHECK(vt_text_atlas_take_dirty(a, &x, &y, &w, &h, &resized));
    VT_CHECK(x <= e.x && y <= e.y && x + w >= e.x + 100 && y + h >= e.y + 90);
    /* Small glyphs come back beside it, in the next frames. */
    for (uint32_t g = 1; g < 200; g++) {
        VT_CHECK_INT(vt_text_atlas_add(a, (vt_text_atlas_key){1, g, 40, 0}, 9, 7, px, 9, 0, 7,
                                       3 + g / 50, &e, &err),
                     VT_OK);
    }
    vt_text_atlas_destroy(a);
}

static vt_text_atlas_key key(const vt_text_layout *lo, uint32_t size_q, uint32_t phase) {
    return (vt_text_atlas_key){lo->glyphs[0].font, lo->glyphs[0].glyph, size_q, phase};
}

static void test_raster(void) {
    vt_text_layout_desc d = desc_of("H", "DejaVu Sans", 40, 0);
    vt_text_layout *lo = lay_out(&d);
    vt_text_atlas *a = vt_text_atlas_create(64, 1024);
    vt_error err = {0};
    vt_text_atlas_entry e40, e20, again;
    VT_CHECK_INT(vt_text_size_quantize(40.1), 160);
    VT_CHECK_INT(vt_text_glyph_raster(ctx, a, key(lo, 160, 0), 1, &e40, &err), VT_OK);
    VT_CHECK_INT(vt_text_glyph_raster(ctx, a, key(lo, 80, 0), 1, &e20, &err), VT_OK);
    /* DejaVu's H is 0.729 em tall: 29 px at 40 px, half at 20; drawn at the size asked. */
    VT_CHECK(e40.h >= 29 && e40.h <= 31);
    VT_CHECK(e20.h >= 14 && e20.h <= 16);
    VT_CHECK_NEAR(e40.top, 29, 1);
    VT_CHECK_INT(vt_text_atlas_count(a), 2);
    VT_CHECK_INT(vt_text_glyph_raster(ctx, a, key(lo, 160, 0), 2, &again, &err), VT_OK);
    VT_CHECK(again.x == e40.x && again.y == e40.y);
    VT_CHECK_INT(vt_text_atlas_count(a), 2);
    /* A half-pixel phase is another bitmap: the stem's left edge moves half a pixel right, so
     * its first column's coverage drops by about half. */
    vt_text_atlas_entry half;
    VT_CHECK_INT(vt_text_glyph_raster(ctx, a, key(lo, 160, 2), 2, &half, &err), VT_OK);
    VT_CHECK_INT(vt_text_atlas_count(a), 3);
    int side0 = 0;
    const uint8_t *p0 = vt_text_atlas_pixels(a, &side0);
    int mid = e40.h / 2;
    int c0 = p0[(size_t)(e40.y + mid) * side0 + e40.x];
    /* half.left may step by one pixel; find the first lit column of each row. */
    int c2 = half.left == e40.left ? p0[(size_t)(half.y + mid) * side0 + half.x] : 255;
    VT_CHECK(c2 < c0 - 60 || half.left > e40.left);
    /* Solid stem: full coverage inside. */
    int side = 0;
    const uint8_t *p = vt_text_atlas_pixels(a, &side);
    VT_CHECK_INT(p[(size_t)(e40.y + e40.h / 2) * side + e40.x + 2], 255);
    vt_text_atlas_destroy(a);
    vt_text_layout_destroy(lo);
}

/* Typography: smart punctuation for en and fr (then French spacing), none with as_typed; in a
 * justified French line the no-break spaces keep their width, only the word spaces stretch. */
static void test_typography(void) {
    vt_text_layout_desc d = desc_of("\"Hello\" it's 'here'...", "DejaVu Sans", 20, 0);
    d.lang = "en";
    vt_text_layout *lo = lay_out(&d);
    VT_CHECK_STR(lo->text, "\u201cHello\u201d it\u2019s \u2018here\u2019\u2026");
    vt_text_layout_destroy(lo);
    d.as_typed = true;
    lo = lay_out(&d);
    VT_CHECK_STR(lo->text, "\"Hello\" it's 'here'...");
    vt_text_layout_destroy(lo);
    d = desc_of("Il a dit \"l'art\"...", "DejaVu Sans", 20, 0);
    d.lang = "fr";
    lo = lay_out(&d);
    VT_CHECK_STR(lo->text, "Il a dit \u00ab\u00a0l\u2019art\u00a0\u00bb\u2026");
    vt_text_layout_destroy(lo);

    const char *text = "Les salles : peintures, sculptures ; dessins et gravures : tout le "
                       "mus\u00e9e ! Les visiteurs : enfants, adultes et chercheurs : tous "
                       "bienvenus ; venez !";
    d = desc_of(text, "DejaVu Serif", 28, 420);
    d.lang = "fr";
    d.align = VT_ALIGN_JUSTIFY;
    lo = lay_out(&d);
    VT_CHECK(lo->line_count >= 3);
    hb_font_t *f = hb_font_of(lo->glyphs[0].font, 28);
    double nb = hb_width(f, "\u00a0", 2, "fr"), nn = hb_width(f, "\u202f", 3, "fr");
    int checked = 0, stretched = 0;
    for (size_t i = 0; i + 1 < lo->line_count; i++) {
        const vt_text_line *l = &lo->lines[i];
        VT_CHECK_NEAR(l->width, 420, 1e-9);
        for (size_t k = l->first_glyph; k + 1 < l->first_glyph + l->glyph_count; k++) {
            const vt_text_glyph *g = &lo->glyphs[k];
            double gap = lo->glyphs[k + 1].x - g->x;
            const char *c = lo->text + g->cluster;
            if (strncmp(c, "\u00a0", 2) == 0) {
                VT_CHECK_NEAR(gap, nb, 1e-6);
                checked++;
            } else if (strncmp(c, "\u202f", 3) == 0) {
                VT_CHECK_NEAR(gap, nn, 1e-6);
                checked++;
            } else if (*c == ' ') {
                stretched += gap > hb_width(f, " ", 1, "fr") + 0.5;
            }
        }
    }
    VT_CHECK(checked >= 2);  /* no-break spaces met in justified lines */
    VT_CHECK(stretched >= 2); /* while word spaces did stretch */
    hb_font_destroy(f);
    vt_text_layout_destroy(lo);
}

int main(void) {
    vt_error err = {0};
    if (vt_text_ctx_create(&ctx, &err) != VT_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    test_widths_match_harfbuzz();
    test_kerning_ligature_marks();
    test_arabic_and_bidi();
    test_french();
    test_line_breaking();
    test_justify_and_ellipsis();
    test_typography();
    test_long_ellipsis();
    test_hyphenation();
    test_bad_input();
    test_fonts();
    test_font_file_changed();
    test_hostile_text();
    test_flags();
    test_atlas();
    test_atlas_tall_glyph();
    test_raster();
    vt_text_ctx_destroy(ctx);
    return vt_test_finish("test_text_layout");
}
