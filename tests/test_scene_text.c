/* Tests of text and captions layers in scene files: defaults, translations and the scene's
 * languages, font files confined to the scene's folder, weights, captions files parsed at load,
 * the language action, and every refusal with its exact "path:line:col" message. */
#include "io/vt_io.h"
#include "scene/scene_internal.h"
#include "vt_test.h"
#include "diag_util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Inline scenes live "in" tests/vtt, so the WebVTT fixtures resolve. */
#define PATH "vtt/t.yaml"
#define E(line, col, msg) PATH ":" #line ":" #col ": error: " msg "\n"
#define W(line, col, msg) PATH ":" #line ":" #col ": warning: " msg "\n"
#define HEAD "format: vitrine/1\ncanvas:\n  size: [640, 480]\n"
#define STRICT VT_SCENE_STRICT_ASSETS
#define TEXT_KEYS                                                                                \
    "id, type, position, anchor, size, color, opacity, rotation, scale, blend, visible, hit, "   \
    "text, lang, font, weight, italic, box, align, line_height, letter_spacing, max_lines, "     \
    "hyphenate, typography, plate, plate_padding, drag, scroll, pinch, pressed, selected, mask, reveal, reveal_by, reveal_ease"

static vt_scene *load(const char *yaml, unsigned flags, char **messages) {
    vt_diags d = {0};
    vt_scene *scene = NULL;
    vt_status st = vt_scene_load_string(yaml, strlen(yaml), PATH, flags, &scene, &d);
    *messages = diags_text(&d);
    if (st != VT_OK) {
        fprintf(stderr, "unexpected refusal:\n%s", *messages);
    }
    vt_diags_free(&d);
    return scene;
}

static void test_text_defaults(void) {
    char *msgs;
    vt_scene *s = load(HEAD "layers:\n  - {id: title, type: text, text: \"Les marées\"}\n", 0,
                       &msgs);
    VT_CHECK_STR(msgs, "");
    free(msgs);
    VT_CHECK(s != NULL);
    if (!s) {
        return;
    }
    const vt_layer *l = &s->layers[0];
    VT_CHECK_INT(l->type, VT_LAYER_TEXT);
    VT_CHECK_STR(l->text.font, "DejaVu Sans");
    VT_CHECK(l->text.font_path == NULL);
    VT_CHECK_INT(l->text.weight, 400);
    VT_CHECK(!l->text.italic);
    VT_CHECK_NEAR(l->text.size, 48, 0);
    VT_CHECK_INT(l->text.align, VT_ALIGN_START);
    VT_CHECK_NEAR(l->text.line_height, 1.25, 0);
    VT_CHECK_NEAR(l->text.letter_spacing, 0, 0);
    VT_CHECK_INT(l->text.max_lines, 0);
    VT_CHECK(!l->text.hyphenate);
    VT_CHECK_INT(l->text.plate.a, 0);
    VT_CHECK_NEAR(l->text.plate_padding, 19.2, 1e-12);
    VT_CHECK(l->props.color.r == 255 && l->props.color.g == 255 && l->props.color.b == 255 &&
             l->props.color.a == 255);
    VT_CHECK(!l->has_size);
    VT_CHECK(l->lang == NULL);
    VT_CHECK_INT(l->timeline, UINT32_MAX);
    VT_CHECK_INT(l->variant_count, 1);
    VT_CHECK_STR(l->variants[0].text, "Les marées");
    VT_CHECK_INT(l->variants[0].lang, 0);
    VT_CHECK_INT(l->variants[0].line, 5);
    VT_CHECK_INT(l->variants[0].col, 35);
    VT_CHECK_INT(s->language_count, 0);
    vt_scene_destroy(s);
}

static void test_text_every_key(void) {
    char *msgs;
    vt_scene *s = load(HEAD "layers:\n"
                            "  - id: title\n"
                            "    type: text\n"
                            "    text: \"Les marées : quand la mer se retire…\"\n"
                            "    lang: fr\n"
                            "    font: \"DejaVu Serif\"\n"
                            "    weight: bold\n"
                            "    italic: true\n"
                            "    size: 64\n"
                            "    color: \"#f4efe6\"\n"
                            "    position: [120, 300]\n"
                            "    anchor: [0.5, 0]\n"
                            "    box: [400, 120]\n"
                            "    align: justify\n"
                            "    line_height: 1.5\n"
                            "    letter_spacing: -2.5\n"
                            "    max_lines: 3\n"
                            "    hyphenate: true\n"
                            "    typography: off\n"
                            "    plate: \"#00000080\"\n"
                            "    plate_padding: 12\n"
                            "    opacity: 0.5\n"
                            "    rotation: -3\n"
                            "    blend: screen\n"
                            "    hit: false\n",
                       0, &msgs);
    VT_CHECK_STR(msgs, "");
    free(msgs);
    if (!s) {
        VT_CHECK(s != NULL);
        return;
    }
    const vt_layer *l = &s->layers[0];
    VT_CHECK_STR(l->lang, "fr");
    VT_CHECK_STR(l->text.font, "DejaVu Serif");
    VT_CHECK(l->text.font_path == NULL);
    VT_CHECK_INT(l->text.weight, 700);
    VT_CHECK(l->text.italic);
    VT_CHECK_NEAR(l->text.size, 64, 0);
    VT_CHECK(l->props.color.r == 0xf4 && l->props.color.g == 0xef && l->props.color.b == 0xe6);
    VT_CHECK_NEAR(l->props.position.x, 120, 0);
    VT_CHECK_NEAR(l->props.anchor.x, 0.5, 0);
    VT_CHECK_NEAR(l->props.size.x, 400, 0);
    VT_CHECK_NEAR(l->props.size.y, 120, 0);
    VT_CHECK(l->has_size);
    VT_CHECK_INT(l->text.align, VT_ALIGN_JUSTIFY);
    VT_CHECK_NEAR(l->text.line_height, 1.5, 0);
    VT_CHECK_NEAR(l->text.letter_spacing, -2.5, 0);
    VT_CHECK_INT(l->text.max_lines, 3);
    VT_CHECK(l->text.hyphenate);
    VT_CHECK_INT(l->text.typography, VT_TYPOGRAPHY_OFF);
    VT_CHECK_INT(l->text.plate.a, 0x80);
    VT_CHECK_NEAR(l->text.plate_padding, 12, 0);
    VT_CHECK_NEAR(l->props.opacity, 0.5, 0);
    VT_CHECK_NEAR(l->props.rotation, -3, 0);
    VT_CHECK_INT(l->blend, VT_BLEND_SCREEN);
    VT_CHECK(!l->hit);
    VT_CHECK_INT(s->language_count, 1);
    VT_CHECK_STR(s->languages[0], "fr");
    VT_CHECK_INT(l->variants[0].lang, 0);
    vt_scene_destroy(s);
}

/* Languages: every tag met, in file order, the top-level `language` first wherever it is
 * written; tags compare without case and keep their first spelling. */
static void test_translations(void) {
    char *msgs;
    vt_scene *s = load(HEAD "layers:\n"
                            "  - {id: a, type: text, lang: de, text: Hallo}\n"
                            "  - id: b\n"
                            "    type: text\n"
                            "    text: {pt-BR: Olá, EN: Hello, fr: Bonjour}\n"
                            "  - {id: c, type: text, text: sans langue}\n"
                            "language: en\n",
                       0, &msgs);
    VT_CHECK_STR(msgs, "");
    free(msgs);
    if (!s) {
        VT_CHECK(s != NULL);
        return;
    }
    VT_CHECK_INT(s->language_count, 4);
    if (s->language_count == 4) {
        VT_CHECK_STR(s->languages[0], "EN"); /* `language: en` names the one written EN */
        VT_CHECK_STR(s->languages[1], "de");
        VT_CHECK_STR(s->languages[2], "pt-BR");
        VT_CHECK_STR(s->languages[3], "fr");
    }
    const vt_layer *a = &s->layers[0], *b = &s->layers[1], *c = &s->layers[2];
    VT_CHECK_INT(a->variant_count, 1);
    VT_CHECK_INT(a->variants[0].lang, 1);
    VT_CHECK_INT(b->variant_count, 3);
    if (b->variant_count == 3) {
        VT_CHECK_STR(b->variants[0].text, "Olá");
        VT_CHECK_INT(b->variants[0].lang, 2);
        VT_CHECK_STR(b->variants[1].text, "Hello");
        VT_CHECK_INT(b->variants[1].lang, 0);
        VT_CHECK_INT(b->variants[1].line, 8);
        VT_CHECK_INT(b->variants[1].col, 28);
        VT_CHECK_INT(b->variants[2].lang, 3);
    }
    VT_CHECK_INT(c->variants[0].lang, 0); /* no lang: the scene's default */
    vt_scene_destroy(s);

    /* No `language`: the first language met is the default. */
    s = load(HEAD "layers:\n  - {id: t, type: text, text: {it: Ciao, fr: Salut}}\n", 0, &msgs);
    VT_CHECK_STR(msgs, "");
    free(msgs);
    if (s) {
        VT_CHECK_INT(s->language_count, 2);
        VT_CHECK_STR(s->languages[0], "it");
        VT_CHECK_INT(s->layers[0].variants[1].lang, 1);
    }
    vt_scene_destroy(s);

    /* A translation map without the layer's or the scene's language shows another: a warning. */
    s = load(HEAD "language: fr\nlayers:\n"
                  "  - {id: title, type: text, text: {en: Tides, de: Gezeiten}}\n"
                  "  - {id: sub, type: text, lang: it, text: {fr: Marées, en: Tides}}\n"
                  "  - {id: cc, type: captions, src: {en: story-en.vtt}}\n",
             0, &msgs);
    VT_CHECK_STR(msgs, W(6, 35, "no 'fr' text in layer 'title'; showing 'en'")
                       W(7, 43, "no 'it' text in layer 'sub'; showing 'fr'")
                       W(8, 35, "no 'fr' captions in layer 'cc'; showing 'en'"));
    free(msgs);
    VT_CHECK(s != NULL);
    vt_scene_destroy(s);
}

static void test_weights(void) {
    static const struct {
        const char *written;
        int weight;
    } ok[] = {{"regular", 400}, {"bold", 700}, {"100", 100}, {"900", 900}, {"300", 300}};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        char yaml[256], *msgs;
        snprintf(yaml, sizeof yaml, HEAD "layers:\n  - {id: t, type: text, text: a, weight: %s}\n",
                 ok[i].written);
        vt_scene *s = load(yaml, 0, &msgs);
        VT_CHECK_STR(msgs, "");
        free(msgs);
        VT_CHECK_INT(s ? s->layers[0].text.weight : -1, ok[i].weight);
        vt_scene_destroy(s);
    }
}

/* Captions: one file per language, parsed at load; the timeline is looked up by id. */
static void test_captions(void) {
    char *msgs;
    vt_scene *s = load(HEAD "language: fr\n"
                            "timelines:\n  story: {duration: 10}\n"
                            "layers:\n"
                            "  - id: subs\n"
                            "    type: captions\n"
                            "    src: {fr: story-fr.vtt, en: story-en.vtt}\n"
                            "    timeline: story\n"
                            "    size: 32\n"
                            "  - {id: plain, type: captions, src: story-fr.vtt, plate: false}\n",
                       STRICT, &msgs);
    VT_CHECK_STR(msgs, "");
    free(msgs);
    if (!s) {
        VT_CHECK(s != NULL);
        return;
    }
    const vt_layer *l = &s->layers[0];
    VT_CHECK_INT(l->type, VT_LAYER_CAPTIONS);
    VT_CHECK_INT(l->timeline, 0);
    VT_CHECK(l->text.plate.r == 0 && l->text.plate.a == 0xb3);
    VT_CHECK_NEAR(l->text.plate_padding, 12.8, 1e-12);
    VT_CHECK_NEAR(l->text.size, 32, 0);
    VT_CHECK_INT(l->variant_count, 2);
    if (l->variant_count == 2) {
        VT_CHECK_STR(l->variants[0].src, "story-fr.vtt");
        VT_CHECK_STR(l->variants[0].src_path, "vtt/story-fr.vtt");
        VT_CHECK_INT(l->variants[0].lang, 0);
        VT_CHECK_INT(l->variants[0].vtt.count, 2);
        VT_CHECK_INT(l->variants[1].lang, 1);
        VT_CHECK_INT(l->variants[1].vtt.count, 2);
        VT_CHECK_STR(l->variants[1].vtt.count ? l->variants[1].vtt.cues[0].text : "", "One");
    }
    const vt_layer *p = &s->layers[1];
    VT_CHECK_INT(p->timeline, UINT32_MAX);
    VT_CHECK_INT(p->text.plate.a, 0);
    VT_CHECK_INT(p->variants[0].lang, 0);
    vt_scene_destroy(s);
}

/* A broken captions file: its own file:line errors, which refuse the scene in check; in play
 * and render they are warnings and the layer shows nothing from it. */
static void test_broken_captions(void) {
    static const char yaml[] = HEAD "layers:\n  - {id: subs, type: captions, src: broken.vtt}\n";
    static const char vtt_error[] =
        "vtt/broken.vtt:6: %s: bad cue timing \"00:03.000 -> 00:04.000\": the start and end "
        "times are separated by -->; expected a time like 00:01.500 --> 00:04.000\n";
    char strict[512], lenient[512];
    snprintf(strict, sizeof strict, vtt_error, "error");
    snprintf(lenient, sizeof lenient, vtt_error, "warning");
    strcat(lenient, W(5, 37, "captions file 'broken.vtt' has errors; it shows nothing until "
                             "they are fixed"));
    check_bad_scene("broken captions, strict", yaml, PATH, STRICT, strict, NULL);
    char *msgs;
    vt_scene *s = load(yaml, 0, &msgs);
    VT_CHECK_STR(msgs, lenient);
    free(msgs);
    VT_CHECK(s != NULL);
    if (s) {
        VT_CHECK_INT(s->layers[0].variant_count, 1);
        VT_CHECK_INT(s->layers[0].variants[0].vtt.count, 0);
    }
    vt_scene_destroy(s);
}

/* ---- font files: confined to the scene's folder, like images ---- */

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    VT_CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void test_font_files(void) {
    char dir[] = "/tmp/vt-test-text-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        VT_CHECK(false);
        return;
    }
    char scene_path[256], fonts[256], font[256], expected[1024];
    snprintf(scene_path, sizeof scene_path, "%s/s.yaml", dir);
    snprintf(fonts, sizeof fonts, "%s/fonts", dir);
    snprintf(font, sizeof font, "%s/fonts/Serif.TTF", dir);
    VT_CHECK_INT(mkdir(fonts, 0700), 0);
    write_file(font, "not really a font: the renderer reads it, the loader only finds it");
    write_file(scene_path, HEAD "layers:\n"
                                "  - {id: a, type: text, text: a, font: fonts/Serif.TTF}\n"
                                "  - {id: b, type: text, text: b, font: fonts/Missing.otf}\n");
    vt_diags d = {0};
    vt_scene *s = NULL;
    VT_CHECK_INT(vt_scene_load(scene_path, 0, &s, &d), VT_OK);
    char *msgs = diags_text(&d);
    /* Not strict (play, render): the missing file is said once, by the renderer, with the
     * family it draws instead (tests/test_text_cli.sh); the path is resolved for it. */
    VT_CHECK_STR(msgs, "");
    free(msgs);
    vt_diags_free(&d);
    if (s) {
        VT_CHECK_STR(s->layers[0].text.font, "fonts/Serif.TTF");
        VT_CHECK_STR(s->layers[0].text.font_path, font);
        VT_CHECK_STR(s->layers[1].text.font, "fonts/Missing.otf");
    }
    vt_scene_destroy(s);
    s = NULL;
    VT_CHECK_INT(vt_scene_load(scene_path, STRICT, &s, &d), VT_E_DATAERR);
    msgs = diags_text(&d);
    snprintf(expected, sizeof expected,
             "%s:6:40: error: font file 'fonts/Missing.otf' not found (looked in %s)\n",
             scene_path, dir);
    VT_CHECK_STR(msgs, expected);
    free(msgs);
    vt_diags_free(&d);
    VT_CHECK(s == NULL);
    unlink(font);
    rmdir(fonts);
    unlink(scene_path);
    rmdir(dir);
}

/* ---- refusals ---- */

typedef struct bad_case {
    const char *name;
    const char *yaml;
    const char *expected; /* every diagnostic, in order */
    unsigned flags;
} bad_case;

static const bad_case bad_cases[] = {
    {"text keys on other layers",
     HEAD "layers:\n  - {id: i, type: image, src: none.png, font: Serif}\n"
          "  - {id: r, type: rect, size: [1, 1], text: hi, lang: fr}\n",
     W(5, 31, "image file 'none.png' not found (looked in vtt)")
     E(5, 41, "'font' is not allowed in an image layer")
     E(6, 39, "'text' is not allowed in a rect layer")
     E(6, 49, "'lang' is not allowed in a rect layer"), 0},
    {"src in a text layer, text in captions",
     HEAD "layers:\n  - {id: t, type: text, text: a, src: a.vtt}\n"
          "  - {id: c, type: captions, src: story-fr.vtt, text: a}\n",
     E(5, 34, "'src' is not allowed in a text layer")
     E(6, 48, "'text' is not allowed in a captions layer"), 0},
    {"a font per language: a tag twice, not a tag, not a string",
     HEAD "layers:\n  - {id: t, type: text, text: a, font: {fr: Serif, FR: Sans, x_y: Mono, "
          "en: [1]}}\n",
     E(5, 52, "language 'FR' is given twice in 'font'; keep one of them")
     E(5, 62, "invalid language tag 'x_y'; write a BCP 47 language tag like fr, en or pt-BR")
     E(5, 77, "'font' must be a string, not a sequence"), 0},
    {"timeline in a text layer", HEAD "layers:\n  - {id: t, type: text, text: a, timeline: x}\n",
     E(5, 34, "'timeline' is not allowed in a text layer"), 0},
    {"missing text and src", HEAD "layers:\n  - {id: t, type: text}\n  - {id: c, type: captions}\n",
     E(5, 5, "missing required key 'text' in layer 't'")
     E(6, 5, "missing required key 'src' in layer 'c'"), 0},
    {"unknown text key", HEAD "layers:\n  - {id: t, type: text, text: a, wieght: 3}\n",
     E(5, 34, "unknown key 'wieght' in layer 't'; did you mean 'weight'?"), 0},
    {"unknown text key, list", HEAD "layers:\n  - {id: t, type: text, text: a, zorder: 3}\n",
     E(5, 34, "unknown key 'zorder' in layer 't'; valid keys: " TEXT_KEYS), 0},
    {"text shapes",
     HEAD "layers:\n  - {id: a, type: text, text: [a]}\n  - {id: b, type: text, text: {}}\n"
          "  - {id: c, type: text, text: ~}\n  - {id: d, type: text, text: {fr: [x], en: \"\"}}\n",
     E(5, 31, "'text' must be a string or a mapping of languages, not a sequence; write one, or "
              "one per language like {fr: \"Bonjour\", en: \"Hello\"}")
     E(6, 31, "'text' must be a string or a mapping of languages, not a mapping; write one, or "
              "one per language like {fr: \"Bonjour\", en: \"Hello\"}")
     E(7, 31, "'text' has no value; write one, or one per language like {fr: \"Bonjour\", en: "
              "\"Hello\"}")
     W(8, 31, "no 'fr' text in layer 'd'; showing 'en'")
     E(8, 36, "'text' must be a string, not a sequence"), 0},
    /* an enum's valid values name the key in the plural, English-style */
    {"unknown typography", HEAD "layers:\n  - {id: t, type: text, text: a, typography: xx}\n",
     E(5, 46, "unknown typography 'xx'; valid typographies: on, off"), 0},
    {"text NUL", HEAD "layers:\n  - {id: t, type: text, text: \"a\\0b\"}\n",
     E(5, 31, "'text' contains a NUL character (\\0); remove it"), 0},
    /* The whole file is refused at the first byte of the broken sequence, with its offset. */
    {"invalid UTF-8 in a text", HEAD "layers:\n  - {id: t, type: text, text: \"caf\xe9s\"}\n",
     E(5, 35, "invalid UTF-8 at byte 87 (0xE9); the file must be UTF-8 text: save it as UTF-8 "
              "in your editor"), 0},
    {"truncated UTF-8 in a text", HEAD "layers:\n  - {id: t, type: text, text: caf\xc3",
     E(5, 34, "invalid UTF-8 at byte 86 (0xC3); the file must be UTF-8 text: save it as UTF-8 "
              "in your editor"), 0},
    {"language tags",
     HEAD "language: francais\nlayers:\n  - {id: t, type: text, lang: f, text: a}\n"
          "  - {id: u, type: text, text: {fr_FR: a, en-: b, x-klingon: c, de-CH-1901: d}}\n",
     E(4, 11, "invalid language tag 'francais'; write a BCP 47 language tag like fr, en or pt-BR")
     E(6, 31, "invalid language tag 'f'; write a BCP 47 language tag like fr, en or pt-BR")
     E(7, 32, "invalid language tag 'fr_FR'; write a BCP 47 language tag like fr, en or pt-BR")
     E(7, 42, "invalid language tag 'en-'; write a BCP 47 language tag like fr, en or pt-BR")
     E(7, 50, "invalid language tag 'x-klingon'; write a BCP 47 language tag like fr, en or "
              "pt-BR"), 0},
    {"language twice in a map", HEAD "layers:\n  - {id: t, type: text, text: {fr: a, FR: b}}\n",
     E(5, 39, "language 'FR' is given twice in 'text'; keep one of them"), 0},
    {"weights",
     HEAD "layers:\n  - {id: a, type: text, text: a, weight: 450}\n"
          "  - {id: b, type: text, text: a, weight: 1000}\n"
          "  - {id: c, type: text, text: a, weight: bolt}\n"
          "  - {id: d, type: text, text: a, weight: heavy}\n"
          "  - {id: e, type: text, text: a, weight: [700]}\n",
     E(5, 42, "'weight' must be regular, bold or 100, 200 ... 900 (steps of 100), got 450")
     E(6, 42, "'weight' must be regular, bold or 100, 200 ... 900 (steps of 100), got 1000")
     E(7, 42, "unknown weight 'bolt'; did you mean 'bold'?")
     E(8, 42, "'weight' must be regular, bold or 100, 200 ... 900 (steps of 100), got 'heavy'")
     E(9, 42, "'weight' must be regular, bold or a number, not a sequence; write regular, bold "
              "or 100..900"), 0},
    {"absurd sizes",
     HEAD "layers:\n  - {id: a, type: text, text: a, size: 5000}\n"
          "  - {id: b, type: captions, src: story-fr.vtt, size: 0}\n"
          "  - {id: c, type: text, text: a, size: [10, 10]}\n"
          "  - {id: d, type: text, text: a, size: 1e999}\n",
     E(5, 40, "'size' must be between 1 and 2000, got 5000")
     E(6, 54, "'size' must be between 1 and 2000, got 0")
     E(7, 40, "'size' of a text layer is the em size in pixels, a number like 48; the wrapping "
              "box is 'box: [w, h]'")
     E(8, 40, "'size' must be a finite number, got 1e999"), 0},
    {"style ranges",
     HEAD "layers:\n  - id: t\n    type: text\n    text: a\n    line_height: 0\n"
          "    letter_spacing: 5000\n    max_lines: 2.5\n    align: centre\n    italic: yes\n"
          "    plate: true\n    plate_padding: -1\n    box: [10]\n",
     E(8, 18, "'line_height' must be between 0.5 and 5, got 0")
     E(9, 21, "'letter_spacing' must be between -100 and 1000, got 5000")
     E(10, 16, "'max_lines' must be an integer, got 2.5")
     E(11, 12, "unknown align 'centre'; did you mean 'center'?")
     E(12, 13, "'italic' must be a boolean, got 'yes'; expected true or false")
     E(13, 12, "'plate' must be a colour like \"#ff8800\" or \"#ff8800cc\", got 'true'")
     E(14, 20, "'plate_padding' must be between 0 and 10000, got -1")
     E(15, 10, "'box' must be a sequence of 2 numbers, like [1200, 300]"), 0},
    {"font path leaves the folder",
     HEAD "layers:\n  - {id: t, type: text, text: a, font: ../../x.ttf}\n",
     E(5, 40, "'../../x.ttf' leaves the scene's folder; assets must stay inside it (copy the "
              "file next to the scene)"), 0},
    {"captions sources",
     HEAD "layers:\n  - {id: a, type: captions, src: subs.srt}\n"
          "  - {id: b, type: captions, src: missing.vtt}\n"
          "  - {id: c, type: captions, src: {fr: story-fr.vtt, en: [x]}}\n",
     E(5, 34, "'subs.srt' is not a WebVTT file name; captions take a .vtt file (convert other "
              "subtitle formats to WebVTT)")
     E(6, 34, "captions file 'missing.vtt' not found (looked in vtt)")
     E(7, 57, "'src' must be a string, not a sequence"), STRICT},
    {"captions timeline",
     HEAD "timelines:\n  story: {duration: 3}\nlayers:\n"
          "  - {id: a, type: captions, src: story-fr.vtt, timeline: stroy}\n"
          "  - {id: b, type: captions, src: story-fr.vtt, timeline: a}\n"
          "  - {id: c, type: captions, src: story-fr.vtt, timeline: [story]}\n",
     E(7, 58, "unknown timeline 'stroy'; did you mean 'story'?")
     E(8, 58, "'a' is a layer, not a timeline; give the id of a timeline")
     E(9, 58, "'timeline' must be a string, not a sequence"), 0},
    {"language action",
     HEAD "layers:\n  - {id: t, type: text, text: {fr: a, en: b}}\n"
          "triggers:\n  - {when: {key: a}, do: {language: FR}}\n"
          "  - {when: {key: b}, do: {language: ne}}\n"
          "  - {when: {key: c}, do: {language: de}}\n"
          "  - {when: {key: d}, do: {language: [fr]}}\n"
          "  - {when: {key: e}, do: {language: fr, state: active}}\n",
     E(8, 37, "unknown language 'ne'; did you mean 'en'?")
     E(9, 37, "unknown language 'de'; the scene's languages: fr, en")
     E(10, 37, "'language' must be a string, not a sequence")
     E(11, 41, "one action per mapping: 'language' and 'state' are two; write them as two items, "
               "like [{language: ...}, {state: ...}]"), 0},
    {"language action without languages",
     HEAD "triggers:\n  - {when: {key: a}, do: {language: fr}}\n",
     E(5, 37, "unknown language 'fr'; the scene has no languages (give a text layer 'lang: fr' "
              "or translations like text: {fr: ...})"), 0},
};

/* Each diagnostic under the line it points at, with a caret at its column. */
static void explain(const char *yaml, const vt_diags *d) {
    for (size_t i = 0; i < d->count; i++) {
        const char *line = yaml;
        for (int n = 1; n < d->items[i].line && line; n++) {
            line = strchr(line, '\n');
            line = line ? line + 1 : NULL;
        }
        int len = line ? (int)strcspn(line, "\n") : 0;
        char at[32];
        int width = snprintf(at, sizeof at, "%d:%d: ", d->items[i].line, d->items[i].col);
        fprintf(stderr, "  %s%.*s\n  %*s^ %s\n", at, len, line ? line : "",
                width + d->items[i].col - 1, "", d->items[i].message);
    }
}

static void test_refusals(void) {
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        const bad_case *bc = &bad_cases[i];
        check_bad_scene(bc->name, bc->yaml, PATH, bc->flags, bc->expected, explain);
    }
}

/* The language action: the index of the language among the scene's. */
static void test_language_action(void) {
    char *msgs;
    vt_scene *s = load(HEAD "language: fr\n"
                            "layers:\n  - {id: t, type: text, text: {en: a, fr: b}}\n"
                            "triggers:\n"
                            "  - {when: {key: e}, do: [{language: EN}, {language: fr}]}\n",
                       0, &msgs);
    VT_CHECK_STR(msgs, "");
    free(msgs);
    if (s) {
        VT_CHECK_INT(s->triggers[0].action_count, 2);
        VT_CHECK_INT(s->triggers[0].actions[0].kind, VT_DO_LANGUAGE);
        VT_CHECK_INT(s->triggers[0].actions[0].target, 1);
        VT_CHECK_INT(s->triggers[0].actions[1].target, 0);
    }
    vt_scene_destroy(s);
}

static void test_tags(void) {
    static const char *const good[] = {"fr", "en", "pt-BR", "zh-Hant-TW", "de-CH-1901", "ast",
                                       "sr-Latn", "es-419", "EN-gb"};
    static const char *const bad[] = {"", "f", "fran", "fr-", "-fr", "fr--CA", "fr_CA", "12",
                                      "fr-abcdefghi", "fr CA"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        VT_CHECK(vt_lang_tag_ok(good[i], strlen(good[i])));
    }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        VT_CHECK(!vt_lang_tag_ok(bad[i], strlen(bad[i])));
    }
}

/* At most VT_SCENE_MAX_LANGUAGES: the one past it is refused where it is written. */
static void test_language_limit(void) {
    size_t cap = 128 + VT_SCENE_MAX_LANGUAGES * 16;
    char *yaml = malloc(cap);
    size_t used = (size_t)snprintf(yaml, cap, HEAD "layers:\n  - {id: t, type: text, text:\n");
    used -= 1; /* the mapping continues on the same line */
    used += (size_t)snprintf(yaml + used, cap - used, " {");
    for (int i = 0; i <= VT_SCENE_MAX_LANGUAGES; i++) {
        used += (size_t)snprintf(yaml + used, cap - used, "x%c%c: a, ", 'a' + i / 26, 'a' + i % 26);
    }
    snprintf(yaml + used, cap - used, "}}\n");
    char expected[256];
    snprintf(expected, sizeof expected,
             "%s:5:%d: error: language 'xdw' is one too many: a scene holds at most %d "
             "languages\n",
             PATH, 32 + 8 * VT_SCENE_MAX_LANGUAGES, VT_SCENE_MAX_LANGUAGES);
    check_bad_scene("101 languages", yaml, PATH, 0, expected, NULL);
    free(yaml);
}

/* The loader agrees with the schema fixtures: the valid text fixture loads cleanly in strict
 * mode (its captions files exist), and the loader refuses every invalid text fixture too. */
static void test_schema_fixtures(void) {
    static const char *const invalid[] = {
        "captions-srt", "captions-text", "font-dotdot", "font-on-image",
        "language-action-tag", "plate-true", "text-lang-tag", "text-no-text",
        "text-size-absurd", "text-size-box", "text-src", "text-weight",
    };
    vt_diags d = {0};
    vt_scene *s = NULL;
    VT_CHECK_INT(vt_scene_load("schema/valid-text.yaml", STRICT, &s, &d), VT_OK);
    char *msgs = diags_text(&d);
    VT_CHECK_STR(msgs, "");
    free(msgs);
    if (s) {
        VT_CHECK_INT(s->language_count, 2);
        VT_CHECK_STR(s->languages[0], "fr");
        VT_CHECK_INT(s->layers[2].variants[1].vtt.count, 2);
    }
    vt_scene_destroy(s);
    for (size_t i = 0; i < sizeof invalid / sizeof *invalid; i++) {
        char *path = vt_xasprintf("schema/invalid-%s.yaml", invalid[i]);
        vt_diags_free(&d);
        s = NULL;
        vt_status st = vt_scene_load(path, 0, &s, &d);
        if (st != VT_E_DATAERR) {
            fprintf(stderr, "%s: loaded, but the schema refuses it\n", path);
        }
        VT_CHECK_INT(st, VT_E_DATAERR);
        vt_scene_destroy(s);
        free(path);
    }
    vt_diags_free(&d);
}

/* Every complete example of docs/scene-format.md with a text or captions layer loads without
 * errors (missing pictures and captions files are warnings outside strict mode). */
static void check_doc_example(const char *text, int line) {
    vt_diags d = {0};
    vt_scene *s = NULL;
    vt_status st = vt_scene_load_string(text, strlen(text), "../docs/scene-format.md", 0, &s, &d);
    if (st != VT_OK || d.errors > 0) {
        fprintf(stderr, "docs/scene-format.md: the example at line %d does not load:\n", line);
        vt_diags_print(&d, stderr);
    }
    VT_CHECK_INT(st, VT_OK);
    VT_CHECK_INT(d.errors, 0);
    vt_diags_free(&d);
    vt_scene_destroy(s);
}

static void test_doc_examples(void) {
    const char *md = "../docs/scene-format.md";
    VT_CHECK(doc_examples(md, "format: vitrine/1", "type: text", check_doc_example) >= 3);
    VT_CHECK(doc_examples(md, "format: vitrine/1", "type: captions", check_doc_example) >= 2);
    VT_CHECK(doc_examples(md, "format: vitrine/1", "language:", check_doc_example) >= 3);
}

/* A scene file that `vitrine check` (strict) refuses with exactly `expected`. */
static void check_bad_scene_file(const char *path, const char *expected) {
    vt_diags d = {0};
    vt_scene *s = NULL;
    VT_CHECK_INT(vt_scene_load(path, STRICT, &s, &d), VT_E_DATAERR);
    VT_CHECK(s == NULL);
    char *msgs = diags_text(&d);
    VT_CHECK_STR(msgs, expected);
    free(msgs);
    vt_diags_free(&d);
    vt_scene_destroy(s);
}

/* The fixtures of tests/scenes, read from disk as `vitrine play` and `vitrine check` do. */
static void test_scene_files(void) {
    vt_diags d = {0};
    vt_scene *s = NULL;
    static const char missing_font[] =
        "scenes/text.yaml:31:11: %s: font file 'fonts/Absente.otf' not found (looked in scenes)\n";
    char expected[256];
    VT_CHECK_INT(vt_scene_load("scenes/text.yaml", 0, &s, &d), VT_OK);
    char *msgs = diags_text(&d);
    VT_CHECK_STR(msgs, ""); /* the renderer says it, naming the fallback */
    free(msgs);
    vt_diags_free(&d);
    if (s) {
        VT_CHECK_INT(s->language_count, 3);
        VT_CHECK_STR(s->languages[2], "ar");
        VT_CHECK_STR(s->layers[1].text.font_path, "scenes/fonts/Absente.otf");
        VT_CHECK_INT(s->layers[2].timeline, 0);
        VT_CHECK_INT(s->triggers[1].actions[0].kind, VT_DO_LANGUAGE);
        VT_CHECK_INT(s->triggers[1].actions[0].target, 1);
    }
    vt_scene_destroy(s);
    snprintf(expected, sizeof expected, missing_font, "error");
    check_bad_scene_file("scenes/text.yaml", expected);
    check_bad_scene_file(
        "scenes/text-broken.yaml",
        "scenes/subs/broken.vtt:6: error: bad cue timing \"00:03.000 -> 00:04.000\": the start "
        "and end times are separated by -->; expected a time like 00:01.500 --> 00:04.000\n"
        "scenes/text-broken.yaml:3:11: error: invalid language tag 'fr_FR'; write a BCP 47 "
        "language tag like fr, en or pt-BR\n"
        "scenes/text-broken.yaml:12:11: error: 'size' must be between 1 and 2000, got 5000\n"
        "scenes/text-broken.yaml:13:13: error: 'weight' must be regular, bold or 100, 200 ... 900 "
        "(steps of 100), got 'heavy'\n"
        "scenes/text-broken.yaml:14:5: error: 'src' is not allowed in a text layer\n"
        "scenes/text-broken.yaml:17:36: error: 'subs/salle2-en.srt' is not a WebVTT file name; "
        "captions take a .vtt file (convert other subtitle formats to WebVTT)\n"
        "scenes/text-broken.yaml:18:15: error: unknown timeline 'stroy'; did you mean 'story'?\n"
        "scenes/text-broken.yaml:19:5: error: 'text' is not allowed in a captions layer\n"
        "scenes/text-broken.yaml:23:5: error: 'font' is not allowed in a rect layer\n"
        "scenes/text-broken.yaml:26:20: error: unknown language 'de'; the scene's languages: fr, "
        "en\n");
}

int main(void) {
    test_text_defaults();
    test_text_every_key();
    test_translations();
    test_weights();
    test_captions();
    test_broken_captions();
    test_font_files();
    test_refusals();
    test_language_action();
    test_tags();
    test_language_limit();
    test_schema_fixtures();
    test_doc_examples();
    test_scene_files();
    return vt_test_finish("test_scene_text");
}
