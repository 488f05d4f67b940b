/* Tests for the text module's UTF-8 helpers and French typographic spacing: each rule, what
 * must be left alone, idempotence (also over generated strings). */
#include "text/vt_text.h"
#include "vt_test.h"

#define NB "\xC2\xA0"     /* U+00A0 NO-BREAK SPACE */
#define NN "\xE2\x80\xAF" /* U+202F NARROW NO-BREAK SPACE */
#define TH "\xE2\x80\x89" /* U+2009 THIN SPACE */
#define ACUTE "\xCC\x81"  /* U+0301 COMBINING ACUTE ACCENT */

typedef struct fr_case {
    const char *in, *want;
} fr_case;

static const fr_case fr_cases[] = {
    /* each rule, with nothing typed and with a plain space typed */
    {"Bonjour!", "Bonjour" NN "!"},
    {"Bonjour !", "Bonjour" NN "!"},
    {"Quoi?", "Quoi" NN "?"},
    {"Quoi ?", "Quoi" NN "?"},
    {"un; deux", "un" NN "; deux"},
    {"un ; deux", "un" NN "; deux"},
    {"Note: voir", "Note" NB ": voir"},
    {"Note : voir", "Note" NB ": voir"},
    {"Attention:", "Attention" NB ":"},
    {"«Bonjour»", "«" NB "Bonjour" NB "»"},
    {"« Bonjour »", "«" NB "Bonjour" NB "»"},
    {"«   trois espaces   »", "«" NB "trois espaces" NB "»"},
    {"a   !", "a" NN "!"},
    /* spaces the author chose are kept as typed */
    {"Bonjour" NB "!", "Bonjour" NB "!"},
    {"Bonjour" NN "!", "Bonjour" NN "!"},
    {"Bonjour" TH "!", "Bonjour" TH "!"},
    {"«" NN "x" NN "»", "«" NN "x" NN "»"},
    {"a\t!", "a\t!"},
    /* groups of punctuation: one space before the group */
    {"Quoi?!", "Quoi" NN "?!"},
    {"Quoi ?!", "Quoi" NN "?!"},
    {"Non!!!", "Non" NN "!!!"},
    {"Vraiment ? !", "Vraiment" NN "?" NN "!"},
    {"« Quoi ? »", "«" NB "Quoi" NN "?" NB "»"},
    {"il dit:«oui»", "il dit" NB ":«" NB "oui" NB "»"},
    {"(!)", "(!)"},
    /* URLs, times, ratios and other colons are left alone */
    {"Voir http://exemple.fr/a?b=1;c=2!", "Voir http://exemple.fr/a?b=1;c=2!"},
    {"Voir https://exemple.fr !", "Voir https://exemple.fr" NN "!"},
    {"www.exemple.fr?x=1", "www.exemple.fr?x=1"},
    {"«http://a.fr»", "«" NB "http://a.fr" NB "»"},
    {"Ouvert à 12:30 !", "Ouvert à 12:30" NN "!"},
    {"ratio 1:2", "ratio 1:2"},
    {"mailto:a@b.fr", "mailto:a@b.fr"},
    {"std::vector", "std::vector"},
    {"Salut :-)", "Salut :-)"},
    /* start of a line */
    {"!", "!"},
    {"? non", "? non"},
    {"  !", "  !"},
    {"a\n!b", "a\n!b"},
    {"a\r\n: b", "a\r\n: b"},
    {"» suite", "» suite"},
    {"a !\r\nb ?", "a" NN "!\r\nb" NN "?"},
    /* combining characters stay with their base letter */
    {"cafe" ACUTE "?", "cafe" ACUTE NN "?"},
    {"cafe" ACUTE " ?", "cafe" ACUTE NN "?"},
    /* everything else unchanged */
    {"", ""},
    {"Eh bien...", "Eh bien..."},
    {"Et alors... ?", "Et alors..." NN "?"},
    {"«»", "«»"},
    {"«", "«"},
    {"fin « ", "fin « "},
    {"« \nsuite", "« \nsuite"},
    {"Déjà vu, 3.5 %", "Déjà vu, 3.5 %"},
};

static char *typeset(const char *in, size_t *out_len) {
    char *out = NULL;
    vt_error err = {0};
    vt_status st = vt_text_french_spacing(in, strlen(in), &out, out_len, &err);
    VT_CHECK_INT(st, VT_OK);
    return out;
}

static void test_rules(void) {
    for (size_t i = 0; i < sizeof fr_cases / sizeof fr_cases[0]; i++) {
        size_t n = 0, n2 = 0;
        char *once = typeset(fr_cases[i].in, &n);
        VT_CHECK_STR(once, fr_cases[i].want);
        VT_CHECK_INT(n, strlen(fr_cases[i].want));
        char *twice = typeset(once, &n2);
        VT_CHECK_STR(twice, once); /* idempotence */
        free(once);
        free(twice);
    }
}

static void test_french_invalid(void) {
    char *out = (char *)"unchanged";
    vt_error err = {0};
    vt_status st = vt_text_french_spacing("ab\xFF !", 5, &out, NULL, &err);
    VT_CHECK_INT(st, VT_E_DATAERR);
    VT_CHECK(out == NULL);
    VT_CHECK_STR(err.message, "text is not valid UTF-8 (byte offset 2); save it as UTF-8");
}

/* Strings drawn from the pieces the rules care about: the output is valid UTF-8, and applying
 * the rules again changes nothing. */
static void test_generated(void) {
    static const char *const pieces[] = {
        " ", "  ", "a",  "é",  "1", "2", ":", ";",           "!",    "?",   "«", "»", NB,
        NN,  TH,   "\n", "\t", ".", "/", "(", "http://x.fr", "www.", ACUTE, "-", "'", "\""};
    uint32_t seed = 12345;
    size_t count = sizeof pieces / sizeof pieces[0];
    int bad = 0;
    for (int round = 0; round < 20000; round++) {
        char in[256] = "";
        size_t len = 0;
        int n = 1 + (int)((seed >> 16) % 12);
        for (int k = 0; k < n; k++) {
            seed = seed * 1103515245u + 12345u;
            const char *piece = pieces[(seed >> 16) % count];
            size_t pl = strlen(piece);
            memcpy(in + len, piece, pl + 1);
            len += pl;
        }
        size_t n1, n2;
        char *once = NULL, *twice = NULL;
        vt_text_french_spacing(in, len, &once, &n1, NULL);
        vt_text_french_spacing(once, n1, &twice, &n2, NULL);
        if (!vt_text_utf8_validate(once, n1, NULL) || strcmp(once, twice) != 0) {
            if (bad++ < 5) {
                fprintf(stderr, "not idempotent: \"%s\" -> \"%s\" -> \"%s\"\n", in, once, twice);
            }
        }
        free(once);
        free(twice);
    }
    VT_CHECK_INT(bad, 0);
}

typedef struct utf8_case {
    const char *s;
    size_t len;
    bool valid;
    size_t offset;
} utf8_case;

#define U8(lit, valid, offset)                                                                     \
    { lit, sizeof(lit) - 1, valid, offset }

static const utf8_case utf8_cases[] = {
    U8("abc", true, 3),
    U8("", true, 0),
    U8("a\0b", true, 3),                     /* U+0000 is valid */
    U8("\xE2\x82\xAC", true, 3),             /* € */
    U8("\xF4\x8F\xBF\xBF", true, 4),         /* U+10FFFF */
    U8("\xED\x9F\xBF\xEE\x80\x80", true, 6), /* U+D7FF, U+E000: around the surrogates */
    U8("a\xC0\x80", false, 1),               /* overlong NUL */
    U8("a\xC1\xBF", false, 1),               /* overlong 2-byte */
    U8("ab\xE0\x80\x80", false, 2),          /* overlong 3-byte */
    U8("\xF0\x80\x80\x80", false, 0),        /* overlong 4-byte */
    U8("x\xED\xA0\x80", false, 1),           /* U+D800 */
    U8("xy\xED\xBF\xBF", false, 2),          /* U+DFFF */
    U8("\xF4\x90\x80\x80", false, 0),        /* U+110000 */
    U8("\xF5\x80\x80\x80", false, 0),
    U8("\xFF", false, 0),
    U8("ab\xE2\x82", false, 2), /* truncated at the end */
    U8("\xC2", false, 0),
    U8("\xE2\x28\xA1", false, 0), /* bad continuation */
    U8("a\x80", false, 1),        /* stray continuation */
    U8("\xE2\x82\xAC\xF0\x9F\x98", false, 3),
};

static void test_utf8(void) {
    for (size_t i = 0; i < sizeof utf8_cases / sizeof utf8_cases[0]; i++) {
        const utf8_case *c = &utf8_cases[i];
        size_t off = 999;
        bool ok = vt_text_utf8_validate(c->s, c->len, &off);
        if (ok != c->valid || off != c->offset) {
            fprintf(stderr, "utf8 case %zu: valid %d offset %zu\n", i, ok, off);
        }
        VT_CHECK_INT(ok, c->valid);
        VT_CHECK_INT(off, c->offset);
    }
    uint32_t cp = 0;
    VT_CHECK_INT(vt_text_utf8_decode("\xF0\x9F\x98\x80", 4, &cp), 4);
    VT_CHECK_INT(cp, 0x1F600);
    VT_CHECK_INT(vt_text_utf8_decode("\xF0\x9F\x98\x80", 3, &cp), 0);
    VT_CHECK_INT(cp, 0xFFFD);
    VT_CHECK_INT(vt_text_utf8_decode("", 0, &cp), 0);
    char buf[4];
    VT_CHECK_INT(vt_text_utf8_encode(0xD800, buf), 0);
    VT_CHECK_INT(vt_text_utf8_encode(0x110000, buf), 0);
    /* every scalar value round-trips */
    int bad = 0;
    for (uint32_t c = 0; c <= 0x10FFFF; c++) {
        if (c == 0xD800) {
            c = 0xE000;
        }
        size_t n = vt_text_utf8_encode(c, buf);
        uint32_t back = 0;
        bad += vt_text_utf8_decode(buf, n, &back) != n || back != c;
    }
    VT_CHECK_INT(bad, 0);
}

/* Smart punctuation: quotes by language, apostrophes, three dots, URLs left alone. */
static void test_smart(void) {
    static const struct {
        bool fr;
        const char *in, *want;
    } cases[] = {
        {false, "\"Hi\"", "\u201cHi\u201d"},
        {false, "it's 'fine'", "it\u2019s \u2018fine\u2019"},
        {false, "(\"a\") [\"b\"]", "(\u201ca\u201d) [\u201cb\u201d]"},
        {false, "Wait...", "Wait\u2026"},
        {false, "Wait....", "Wait...."}, /* four dots: as typed */
        {false, "see https://x.org/it's...x 'now'", "see https://x.org/it's...x \u2018now\u2019"},
        {false, "\u201calready\u201d", "\u201calready\u201d"},
        {true, "\"Bonjour\"", "\u00abBonjour\u00bb"},
        {true, "l'\u00e9t\u00e9", "l\u2019\u00e9t\u00e9"},
        {true, "'quote'", "\u2019quote\u2019"}, /* French: an apostrophe, always */
        {true, "Et...", "Et\u2026"},
        {true, "", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *once = NULL, *twice = NULL;
        size_t n = 0, n2 = 0;
        vt_error err = {0};
        VT_CHECK_INT(vt_text_smart_punctuation(cases[i].in, strlen(cases[i].in), cases[i].fr,
                                               &once, &n, &err),
                     VT_OK);
        VT_CHECK_STR(once, cases[i].want);
        VT_CHECK_INT(n, strlen(cases[i].want));
        VT_CHECK_INT(vt_text_smart_punctuation(once, n, cases[i].fr, &twice, &n2, &err), VT_OK);
        VT_CHECK_STR(twice, once); /* idempotence */
        free(once);
        free(twice);
    }
    char *out = (char *)"unchanged";
    vt_error err = {0};
    VT_CHECK_INT(vt_text_smart_punctuation("ab\xFF\"", 4, true, &out, NULL, &err), VT_E_DATAERR);
    VT_CHECK(out == NULL);
}

int main(void) {
    test_rules();
    test_french_invalid();
    test_generated();
    test_utf8();
    test_smart();
    return vt_test_finish("test_french");
}
