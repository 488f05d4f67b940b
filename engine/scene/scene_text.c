/* Text and captions layers (format vitrine/1): their keys (text and its translations, lang,
 * font, weight, size, plate, captions files), the scene's languages (top-level `language`,
 * every tag met, the default first) and the references to them (`{language: en}`). */
#include "io/vt_io.h"
#include "scene/scene_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* A variant whose language is not written: the layer's `lang`, else the scene's default. */
#define LANG_PENDING UINT32_MAX
#define DEFAULT_FONT "DejaVu Sans"
#define TAG_FIX "write a BCP 47 language tag like fr, en or pt-BR"

static bool is_text_layer(const vt_layer *layer) {
    return layer->type == VT_LAYER_TEXT || layer->type == VT_LAYER_CAPTIONS;
}

/* ---- languages ---- */

static bool is_alpha(char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static bool is_alnum(char ch) {
    return is_alpha(ch) || (ch >= '0' && ch <= '9');
}

/* BCP 47 syntax only (RFC 5646): a primary subtag of 2 or 3 letters, then subtags of 1 to 8
 * letters or digits, separated by hyphens. Whether the registry knows them is not checked:
 * a museum may well need a language the machine's tables do not have yet. */
bool vt_lang_tag_ok(const char *s, size_t len) {
    size_t i = 0, start = 0;
    while (i < len && is_alpha(s[i])) {
        i++;
    }
    if (i < 2 || i > 3 || (i < len && s[i] != '-')) {
        return false;
    }
    while (i < len) {
        start = ++i; /* past the hyphen */
        while (i < len && is_alnum(s[i])) {
            i++;
        }
        if (i - start < 1 || i - start > 8 || (i < len && s[i] != '-')) {
            return false;
        }
    }
    return true;
}

/* Reads a language tag written for `key`; reports and returns false when it is not one. */
static bool read_tag(vt_vctx *c, const char *key, const vt_ynode *v) {
    char shown[64];
    if (!vt_read_string(c, key, v)) {
        return false;
    }
    if (!vt_lang_tag_ok(v->text, v->len)) {
        vt_vctx_error(c, v, "invalid language tag '%s'; " TAG_FIX,
                      vt_yshow(v->text, v->len, shown, sizeof shown));
        return false;
    }
    return true;
}

/* Tags compare without case (BCP 47): the first spelling met is the one kept. */
static uint32_t lang_find(const vt_scene *s, const char *tag) {
    for (size_t i = 0; i < s->language_count; i++) {
        if (strcasecmp(s->languages[i], tag) == 0) {
            return (uint32_t)i;
        }
    }
    return LANG_PENDING;
}

/* Registers the tag written at `v`; LANG_PENDING (reported) past VT_SCENE_MAX_LANGUAGES,
 * which also keeps the linear look-ups cheap on hostile input. */
static uint32_t lang_add(vt_vctx *c, const vt_ynode *v) {
    vt_scene *s = vt_sread(c)->scene;
    const char *tag = v->text;
    uint32_t i = lang_find(s, tag);
    if (i != LANG_PENDING) {
        return i;
    }
    if (s->language_count >= VT_SCENE_MAX_LANGUAGES) {
        char shown[64];
        vt_vctx_error(c, v, "language '%s' is one too many: a scene holds at most %d languages",
                      vt_yshow(v->text, v->len, shown, sizeof shown), VT_SCENE_MAX_LANGUAGES);
        return LANG_PENDING;
    }
    s->languages = vt_xrealloc(s->languages, (s->language_count + 1) * sizeof *s->languages);
    s->languages[s->language_count] = vt_xstrdup(tag);
    return (uint32_t)s->language_count++;
}

uint32_t vt_lang_read(vt_vctx *c, const char *key, const vt_ynode *v) {
    return read_tag(c, key, v) ? lang_add(c, v) : LANG_PENDING;
}

bool vt_ref_language(vt_vctx *c, const vt_ynode *v, const char *tag, uint32_t *out) {
    const vt_scene *s = vt_sread(c)->scene;
    char shown[64], list[256];
    *out = lang_find(s, tag);
    if (*out != LANG_PENDING) {
        return true;
    }
    vt_yshow(tag, strlen(tag), shown, sizeof shown);
    const char *near = vt_did_you_mean(tag, (const char *const *)s->languages, s->language_count);
    if (near) {
        vt_vctx_error(c, v, "unknown language '%s'; did you mean '%s'?", shown, near);
    } else if (s->language_count == 0) {
        vt_vctx_error(c, v,
                      "unknown language '%s'; the scene has no languages (give a text layer "
                      "'lang: %s' or translations like text: {%s: ...})",
                      shown, shown, shown);
    } else {
        vt_join_names((const char *const *)s->languages, s->language_count, list, sizeof list);
        vt_vctx_error(c, v, "unknown language '%s'; the scene's languages: %s", shown, list);
    }
    return false;
}

/* ---- text ---- */

static vt_text_variant *push_variant(vt_layer *layer, const vt_ynode *at, uint32_t lang) {
    layer->variants =
        vt_xrealloc(layer->variants, (layer->variant_count + 1) * sizeof *layer->variants);
    vt_text_variant *var = &layer->variants[layer->variant_count++];
    *var = (vt_text_variant){.lang = lang, .line = at->line, .col = at->col};
    return var;
}

/* libyaml refuses files that are not UTF-8, so this guards what comes from elsewhere (and
 * anything libyaml lets through): the position of the bad byte when the scalar is plain and on
 * one line, where columns map to characters; else the scalar's own. */
static bool check_utf8(vt_vctx *c, const char *key, const vt_ynode *v) {
    size_t bad = 0;
    if (vt_text_utf8_validate(v->text, v->len, &bad)) {
        return true;
    }
    int col = v->col;
    if (v->plain && !memchr(v->text, '\n', bad)) {
        for (size_t i = 0; i < bad; i++) {
            col += ((unsigned char)v->text[i] & 0xc0) != 0x80;
        }
    }
    vt_diags_add(c->diags, VT_DIAG_ERROR, c->path, v->line, col,
                 "'%s' is not valid UTF-8 text (bad byte at offset %zu); save the scene as "
                 "UTF-8",
                 key, bad);
    return false;
}

static void text_variant(vt_vctx *c, vt_layer *layer, const vt_ynode *v, uint32_t lang) {
    if (!vt_read_string(c, "text", v) || !check_utf8(c, "text", v)) {
        return;
    }
    push_variant(layer, v, lang)->text = vt_xstrdup(v->text);
}

/* `src: a.vtt` or `text: "..."`, or a mapping from language tags to them: for each pair, the
 * tag is checked and registered, the value handed to `one`. */
typedef void (*variant_fn)(vt_vctx *c, vt_layer *layer, const vt_ynode *v, uint32_t lang);

static bool read_variants(vt_vctx *c, const vt_field *f, const vt_ynode *v, vt_layer *layer,
                          variant_fn one, const char *example) {
    if (v->kind == VT_YNODE_SCALAR && !vt_ynode_is_null(v)) {
        one(c, layer, v, LANG_PENDING);
        return true;
    }
    if (v->kind != VT_YNODE_MAP || v->count == 0) {
        char fix[128];
        snprintf(fix, sizeof fix, "write one, or one per language like %s", example);
        vt_type_error(c, f->key, v, "a string or a mapping of languages", fix);
        return false;
    }
    for (size_t i = 0; i < v->count; i++) {
        const vt_ynode *key = v->pairs[i].key;
        if (!read_tag(c, "language", key)) {
            continue;
        }
        uint32_t lang = lang_add(c, key);
        if (lang == LANG_PENDING) {
            continue;
        }
        bool twice = false;
        for (size_t j = 0; j < layer->variant_count; j++) {
            twice = twice || layer->variants[j].lang == lang;
        }
        if (twice) {
            char shown[64];
            vt_vctx_error(c, key, "language '%s' is given twice in '%s'; keep one of them",
                          vt_yshow(key->text, key->len, shown, sizeof shown), f->key);
            continue;
        }
        one(c, layer, v->pairs[i].value, lang);
    }
    return true;
}

bool vt_field_text(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    return read_variants(c, f, v, obj, text_variant, "{fr: \"Bonjour\", en: \"Hello\"}");
}

bool vt_field_lang(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    vt_layer *layer = obj;
    if (!read_tag(c, f->key, v)) {
        return false;
    }
    layer->lang = vt_xstrdup(v->text);
    return lang_add(c, v) != LANG_PENDING;
}

/* ---- files: fonts and captions ---- */

static bool has_extension(const char *path, const char *const *exts) {
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && !strchr(dot, '/') && exts[i]; i++) {
        if (strcasecmp(dot, exts[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* A file the scene names: confined to the scene's folder; a missing one is an error only in
 * strict mode (check), because play and render go on without it. Returns false when refused
 * or missing; *out holds the resolved path whenever there is one. */
static bool scene_file(vt_vctx *c, const vt_ynode *v, const char *what, char **out) {
    char shown[64];
    vt_error err = {0};
    vt_status st = vt_path_confine(c->dir, v->text, out, &err);
    if (st == VT_OK) {
        return true;
    }
    if (st != VT_E_NOINPUT) {
        vt_vctx_error(c, v, "%s", err.message);
        return false;
    }
    vt_diag_level level = c->flags & VT_SCENE_STRICT_ASSETS ? VT_DIAG_ERROR : VT_DIAG_WARNING;
    if (*out) {
        vt_diags_add(c->diags, level, c->path, v->line, v->col, "%s '%s' not found (looked in %s)",
                     what, vt_yshow(v->text, v->len, shown, sizeof shown), c->dir);
    } else {
        vt_diags_add(c->diags, level, c->path, v->line, v->col, "%s", err.message);
    }
    return false;
}

/* One font: a family, or a font file confined to the scene's folder. */
static bool font_one(vt_vctx *c, const char *key, const vt_ynode *v, char **font, char **path) {
    static const char *const font_exts[] = {".ttf", ".otf", ".ttc", NULL};
    if (!vt_read_string(c, key, v)) {
        return false;
    }
    free(*font);
    *font = vt_xstrdup(v->text);
    if (!has_extension(v->text, font_exts)) {
        return true; /* a family name, for fontconfig (the renderer reports an unknown one) */
    }
    if (!(c->flags & VT_SCENE_STRICT_ASSETS)) {
        /* play and render: a missing file is said once, by the renderer, which names the
         * family it draws instead. */
        vt_error err = {0};
        vt_status st = vt_path_confine(c->dir, v->text, path, &err);
        if (st != VT_OK && st != VT_E_NOINPUT) {
            vt_vctx_error(c, v, "%s", err.message);
        }
        return st == VT_OK;
    }
    return scene_file(c, v, "font file", path);
}

/* `font: FAMILY_OR_FILE`, or one per language: `font: {ar: "Noto Naskh Arabic", fr: ...}`. */
bool vt_field_font(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    vt_layer *layer = obj;
    vt_text_style *st = &layer->text;
    if (v->kind != VT_YNODE_MAP) {
        return font_one(c, f->key, v, &st->font, &st->font_path);
    }
    if (v->count == 0) {
        vt_type_error(c, f->key, v, "a font or a mapping of languages",
                      "write one, or one per language like {ar: \"Noto Naskh Arabic\", "
                      "fr: \"DejaVu Serif\"}");
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < v->count; i++) {
        const vt_ynode *key = v->pairs[i].key;
        if (!read_tag(c, "language", key)) {
            ok = false;
            continue;
        }
        bool twice = false;
        for (size_t j = 0; j < st->lang_font_count; j++) {
            twice = twice || strcasecmp(st->lang_fonts[j].lang, key->text) == 0;
        }
        if (twice) {
            char shown[64];
            vt_vctx_error(c, key, "language '%s' is given twice in 'font'; keep one of them",
                          vt_yshow(key->text, key->len, shown, sizeof shown));
            ok = false;
            continue;
        }
        st->lang_fonts =
            vt_xrealloc(st->lang_fonts, (st->lang_font_count + 1) * sizeof *st->lang_fonts);
        vt_lang_font *lf = &st->lang_fonts[st->lang_font_count++];
        *lf = (vt_lang_font){.lang = vt_xstrdup(key->text)};
        ok = font_one(c, "font", v->pairs[i].value, &lf->font, &lf->font_path) && ok;
    }
    return ok;
}

/* Diagnostics of a captions file: errors stay errors in strict mode; elsewhere they are
 * warnings, and the layer shows nothing from that file rather than half of it. */
static void captions_load(vt_vctx *c, const vt_ynode *v, vt_text_variant *var) {
    struct stat sb;
    if (stat(var->src_path, &sb) == 0 && sb.st_size > 0) {
        vt_sread(c)->captions_bytes += (size_t)sb.st_size;
    }
    if (vt_sread(c)->captions_bytes > VT_SCENE_MAX_CAPTIONS_BYTES) {
        vt_vctx_error(c, v,
                      "the scene's captions files pass %d MiB in all; split the show into "
                      "several scenes or shorten the files",
                      (int)(VT_SCENE_MAX_CAPTIONS_BYTES >> 20));
        return;
    }
    vt_diags got = {0};
    vt_status st = vt_vtt_load(var->src_path, &var->vtt, &got);
    bool strict = c->flags & VT_SCENE_STRICT_ASSETS;
    for (size_t i = 0; i < got.count; i++) {
        const vt_diag *g = &got.items[i];
        vt_diags_add(c->diags, strict ? g->level : VT_DIAG_WARNING, g->path, g->line, g->col, "%s",
                     g->message);
    }
    vt_diags_free(&got);
    if (st != VT_OK && !strict) {
        char shown[64];
        vt_vtt_free(&var->vtt);
        vt_vctx_warning(c, v,
                        "captions file '%s' has errors; it shows nothing until they are "
                        "fixed",
                        vt_yshow(v->text, v->len, shown, sizeof shown));
    }
}

static void captions_variant(vt_vctx *c, vt_layer *layer, const vt_ynode *v, uint32_t lang) {
    static const char *const vtt_exts[] = {".vtt", NULL};
    char shown[64];
    if (!vt_read_string(c, "src", v)) {
        return;
    }
    vt_text_variant *var = push_variant(layer, v, lang);
    var->src = vt_xstrdup(v->text);
    if (!has_extension(v->text, vtt_exts)) {
        vt_vctx_error(c, v,
                      "'%s' is not a WebVTT file name; captions take a .vtt file (convert "
                      "other subtitle formats to WebVTT)",
                      vt_yshow(v->text, v->len, shown, sizeof shown));
        return;
    }
    if (scene_file(c, v, "captions file", &var->src_path)) {
        captions_load(c, v, var);
    }
}

bool vt_field_captions_src(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    return read_variants(c, f, v, obj, captions_variant, "{fr: fr.vtt, en: en.vtt}");
}

/* ---- style ---- */

bool vt_field_weight(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    vt_layer *layer = obj;
    double x = 0;
    char shown[64];
    if (v->kind == VT_YNODE_SCALAR && vt_ynode_is(v, "regular")) {
        layer->text.weight = 400;
        return true;
    }
    if (v->kind == VT_YNODE_SCALAR && vt_ynode_is(v, "bold")) {
        layer->text.weight = 700;
        return true;
    }
    bool number =
        v->kind == VT_YNODE_SCALAR && v->plain && vt_number_parse(v->text, v->len, &x) > 0;
    if (number && x >= 100 && x <= 900 && x == (double)(100 * (int)(x / 100))) {
        layer->text.weight = (int)x;
        return true;
    }
    if (v->kind != VT_YNODE_SCALAR || vt_ynode_is_null(v)) {
        vt_type_error(c, f->key, v, "regular, bold or a number", "write regular, bold or 100..900");
        return false;
    }
    vt_yshow(v->text, v->len, shown, sizeof shown);
    const char *names[] = {"regular", "bold"};
    const char *near = number ? NULL : vt_did_you_mean(v->text, names, 2);
    if (near) {
        vt_vctx_error(c, v, "unknown weight '%s'; did you mean '%s'?", shown, near);
    } else {
        /* Numbers as written, words quoted: "got 450", "got 'heavy'". */
        const char *q = number ? "" : "'";
        vt_vctx_error(c, v,
                      "'%s' must be regular, bold or 100, 200 ... 900 (steps of 100), got %s%s%s",
                      f->key, q, shown, q);
    }
    return false;
}

bool vt_field_text_size(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    vt_layer *layer = obj;
    if (v->kind == VT_YNODE_SEQ) {
        vt_vctx_error(c, v,
                      "'%s' of a %s layer is the em size in pixels, a number like 48; the "
                      "wrapping box is 'box: [w, h]'",
                      f->key, layer->type == VT_LAYER_TEXT ? "text" : "captions");
        return false;
    }
    return vt_read_number(c, f->key, v, 1, 2000, false, &layer->text.size);
}

bool vt_field_plate(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    vt_layer *layer = obj;
    if (v->kind == VT_YNODE_SCALAR && v->plain && vt_ynode_is(v, "false")) {
        layer->text.plate = (vt_color){0, 0, 0, 0};
        return true;
    }
    return vt_field_color(c, f, v, obj);
}

bool vt_field_reveal_ease(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    vt_layer *layer = obj;
    (void)f;
    return vt_ease_read(c, v, &layer->text.reveal_ease);
}

/* Read once every timeline id is known (vt_text_finish). */
bool vt_field_text_later(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    (void)c;
    (void)f;
    (void)v;
    (void)obj;
    return true;
}

/* ---- a layer's beginning and end ---- */

void vt_text_layer_begin(vt_layer *layer) {
    bool captions = layer->type == VT_LAYER_CAPTIONS;
    layer->text = (vt_text_style){
        .weight = 400,
        .size = 48,
        .align = VT_ALIGN_START,
        .line_height = 1.25,
        .plate = captions ? (vt_color){0, 0, 0, 0xb3} : (vt_color){0, 0, 0, 0},
        .plate_padding = -1, /* 0.4 x size, once the size is known */
    };
    layer->timeline = UINT32_MAX;
}

void vt_text_layer_end(vt_vctx *c, vt_layer *layer, bool has_box) {
    if (!layer->text.font) {
        layer->text.font = vt_xstrdup(DEFAULT_FONT);
    }
    if (layer->text.plate_padding < 0) {
        layer->text.plate_padding = 0.4 * layer->text.size;
    }
    layer->has_size = has_box;
    layer->props.text_size = layer->text.size; /* what tracks move */
    layer->props.letter_spacing = layer->text.letter_spacing;
    uint32_t own = layer->lang ? lang_find(vt_sread(c)->scene, layer->lang) : LANG_PENDING;
    for (size_t i = 0; i < layer->variant_count; i++) {
        if (layer->variants[i].lang == LANG_PENDING) {
            layer->variants[i].lang = own;
        }
    }
}

/* ---- the whole scene ---- */

/* Puts language `first` at index 0 and renumbers every variant; pending ones get the default. */
static void languages_reorder(vt_scene *s, uint32_t first) {
    if (first != LANG_PENDING && first > 0) {
        char *tag = s->languages[first];
        memmove(&s->languages[1], &s->languages[0], first * sizeof *s->languages);
        s->languages[0] = tag;
    }
    for (size_t l = 0; l < s->layer_count; l++) {
        for (size_t i = 0; i < s->layers[l].variant_count; i++) {
            uint32_t *lang = &s->layers[l].variants[i].lang;
            if (*lang == LANG_PENDING) {
                *lang = 0;
            } else if (first != LANG_PENDING && *lang == first) {
                *lang = 0;
            } else if (first != LANG_PENDING && *lang < first) {
                *lang += 1;
            }
        }
    }
}

static const vt_text_variant *variant_in(const vt_layer *layer, uint32_t lang) {
    for (size_t i = 0; i < layer->variant_count; i++) {
        if (layer->variants[i].lang == lang) {
            return &layer->variants[i];
        }
    }
    return NULL;
}

/* A translation map without the language the layer is meant to show in. */
static void check_translations(vt_vctx *c, const vt_layer *layer, const vt_ynode *v) {
    const vt_scene *s = vt_sread(c)->scene;
    if (!v || v->kind != VT_YNODE_MAP || layer->variant_count == 0) {
        return;
    }
    uint32_t own = layer->lang ? lang_find(s, layer->lang) : LANG_PENDING;
    const vt_text_variant *shown = variant_in(layer, 0);
    shown = shown ? shown : (own != LANG_PENDING ? variant_in(layer, own) : NULL);
    shown = shown ? shown : &layer->variants[0];
    uint32_t wanted[2] = {own, s->language_count > 0 ? 0 : LANG_PENDING};
    for (int k = 0; k < 2; k++) {
        uint32_t w = wanted[k];
        if (w == LANG_PENDING || (k == 1 && w == own) || variant_in(layer, w)) {
            continue;
        }
        vt_vctx_warning(c, v, "no '%s' %s in layer '%s'; showing '%s'", s->languages[w],
                        layer->type == VT_LAYER_CAPTIONS ? "captions" : "text",
                        layer->id ? layer->id : "?", s->languages[shown->lang]);
    }
}

static void finish_layer(vt_vctx *c, vt_layer *layer, const vt_ynode *map) {
    const vt_ypair *tl = vt_ymap_find(map, "timeline");
    if (layer->type == VT_LAYER_CAPTIONS && tl && vt_read_string(c, "timeline", tl->value)) {
        uint32_t index;
        if (vt_ref_timeline(c, tl->value, tl->value->text, &index)) {
            layer->timeline = index;
        }
    }
    const vt_ypair *values = vt_ymap_find(map, layer->type == VT_LAYER_TEXT ? "text" : "src");
    check_translations(c, layer, values ? values->value : NULL);
}

void vt_text_finish(vt_vctx *c, const vt_ynode *root) {
    vt_scene *s = vt_sread(c)->scene;
    const vt_ypair *language = vt_ymap_find(root, "language");
    uint32_t first = LANG_PENDING;
    if (language && read_tag(c, "language", language->value)) {
        first = lang_add(c, language->value);
    }
    languages_reorder(s, first);
    const vt_ypair *layers = vt_ymap_find(root, "layers");
    if (!layers || layers->value->kind != VT_YNODE_SEQ || layers->value->count != s->layer_count) {
        return;
    }
    for (size_t i = 0; i < s->layer_count; i++) {
        const vt_ynode *map = layers->value->items[i];
        if (map->kind == VT_YNODE_MAP && is_text_layer(&s->layers[i])) {
            finish_layer(c, &s->layers[i], map);
        }
    }
}

/* Video layers' `src: {fr: a.mp4, en: b.mp4}` (scene_video.c checks each film). */
bool vt_read_layer_variants(vt_vctx *c, const vt_field *f, const vt_ynode *v, vt_layer *layer,
                            vt_variant_fn one, const char *example) {
    return read_variants(c, f, v, layer, one, example);
}

vt_text_variant *vt_layer_push_variant(vt_layer *layer, const vt_ynode *at, uint32_t lang) {
    return push_variant(layer, at, lang);
}

void vt_text_layer_free(vt_layer *layer) {
    free(layer->lang);
    free(layer->text.font);
    free(layer->text.font_path);
    for (size_t i = 0; i < layer->text.lang_font_count; i++) {
        free(layer->text.lang_fonts[i].lang);
        free(layer->text.lang_fonts[i].font);
        free(layer->text.lang_fonts[i].font_path);
    }
    free(layer->text.lang_fonts);
    for (size_t i = 0; i < layer->variant_count; i++) {
        free(layer->variants[i].text);
        free(layer->variants[i].src);
        free(layer->variants[i].src_path);
        vt_vtt_free(&layer->variants[i].vtt);
    }
    free(layer->variants);
}

void vt_languages_free(vt_scene *scene) {
    for (size_t i = 0; i < scene->language_count; i++) {
        free(scene->languages[i]);
    }
    free(scene->languages);
}
