/* Slideshow layers (`type: slideshow`): read once everything else is, then made into what the
 * engine already draws and plays: one image layer per picture, in the slideshow's place and
 * with its keys, one shader layer per shader transition (wipe, dissolve, an ISF file) and one
 * text layer per caption above them, and a timeline (autoplay, looping by default) whose
 * opacity tracks crossfade them (or cut them under a running transition, whose progress it
 * moves) and whose scale and position tracks move them for Ken Burns. Which picture shows at
 * a frame is then a pure function of the time, and play sleeps during holds without motion. */
#include "io/vt_io.h"
#include "scene/scene_internal.h"

#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_SLIDES 10000
#define DEFAULT_DURATION 5.0
#define DEFAULT_FADE 1.0

typedef struct slide {
    char *src;      /* as written (or folder/name) */
    vt_ynode at;    /* where it is written (a copy, text pointing at src) */
    double seconds; /* how long it is shown, its crossfade into the next included */
    bool framed;    /* from/to given */
    double from[3], to[3];
    vt_layer cap; /* `caption`: its text variants (variant_count 0: none) */
} slide;

typedef struct show {
    slide *slides;
    size_t count;
    double fade; /* seconds */
    bool ken_burns;
    bool loop;
    uint64_t seed;
    /* A shader transition (`transition: wipe`, `builtin:NAME`, a .fs file); else a crossfade. */
    bool shader;
    const vt_ynode *trans_map; /* the `transition` mapping (its `inputs`), or the name */
    vt_ynode trans_src;        /* the ISF source's name, as vt_field_shader_src reads it */
    char *trans_text;          /*   its text */
    const vt_ynode *style;     /* `caption_style`, or NULL */
    const vt_layer *layer;     /* the slideshow layer, as read */
    size_t captions;           /* items with a caption */
} show;

static uint64_t splitmix(uint64_t *s) {
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static double unit(uint64_t *s) {
    return (double)(splitmix(s) >> 11) / 9007199254740992.0;
}

static slide *push(show *sh, const char *src, const vt_ynode *at, double seconds) {
    sh->slides = vt_xrealloc(sh->slides, (sh->count + 1) * sizeof *sh->slides);
    slide *s = &sh->slides[sh->count++];
    *s = (slide){.src = vt_xstrdup(src), .at = *at, .seconds = seconds};
    s->at.text = s->src;
    s->at.len = strlen(s->src);
    s->at.kind = VT_YNODE_SCALAR;
    return s;
}

/* `from`/`to`: [x, y, zoom]: the point of the picture at the box's centre (0..1 each) and the
 * zoom (1..10). */
static bool read_frame(vt_vctx *c, const char *key, const vt_ynode *v, double out[3]) {
    if (v->kind != VT_YNODE_SEQ || v->count != 3) {
        vt_type_error(c, key, v, "[x, y, zoom], like [0.5, 0.5, 1.2]",
                      "x and y (0 to 1) the point of the picture at the centre, zoom 1 to 10");
        return false;
    }
    bool ok = true;
    for (int i = 0; i < 3; i++) {
        ok = vt_read_number(c, key, v->items[i], i < 2 ? 0 : 1, i < 2 ? 1 : 10, false, &out[i]) &&
             ok;
    }
    return ok;
}

static void read_item(vt_vctx *c, show *sh, const vt_ynode *v, double seconds) {
    if (v->kind == VT_YNODE_SCALAR) {
        if (vt_read_string(c, "items", v)) {
            push(sh, v->text, v, seconds);
        }
        return;
    }
    if (v->kind != VT_YNODE_MAP) {
        vt_type_error(c, "items", v, "an image path or {src, duration, from, to}", NULL);
        return;
    }
    const vt_ypair *src = vt_ymap_find(v, "src");
    if (!src || !vt_read_string(c, "src", src->value)) {
        if (!src) {
            vt_vctx_error(c, v, "a slideshow item needs 'src', the image file");
        }
        return;
    }
    slide *s = push(sh, src->value->text, src->value, seconds);
    for (size_t i = 0; i < v->count; i++) {
        const vt_ypair *p = &v->pairs[i];
        char key[32];
        vt_yshow(p->key->text, p->key->len, key, sizeof key);
        if (strcmp(key, "src") == 0 || strncmp(key, "x-", 2) == 0) {
            continue;
        } else if (strcmp(key, "duration") == 0) {
            vt_read_number(c, "duration", p->value, 0.001, VT_SCENE_MAX_SECONDS, false,
                           &s->seconds);
        } else if (strcmp(key, "from") == 0) {
            s->framed = read_frame(c, "from", p->value, s->from) || s->framed;
        } else if (strcmp(key, "to") == 0) {
            s->framed = read_frame(c, "to", p->value, s->to) || s->framed;
        } else if (strcmp(key, "caption") == 0) {
            /* a string or {fr: ..., en: ...}, as a text layer's `text` */
            static const vt_field caption = {.key = "caption"};
            s->cap.type = VT_LAYER_TEXT;
            vt_field_text(c, &caption, p->value, &s->cap);
        } else {
            vt_vctx_error(c, p->key,
                          "unknown key '%s' in a slideshow item; valid keys: src, duration, "
                          "caption, from, to",
                          key);
        }
    }
    if (s->framed && (!vt_ymap_find(v, "from") || !vt_ymap_find(v, "to"))) {
        vt_vctx_error(c, v, "a slideshow item's framing needs both 'from' and 'to'");
    }
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool image_name(const char *name) {
    const char *dot = strrchr(name, '.');
    static const char *const exts[] = {".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff"};
    for (size_t i = 0; dot && i < sizeof exts / sizeof *exts; i++) {
        if (strcasecmp(dot, exts[i]) == 0) {
            return name[0] != '.';
        }
    }
    return false;
}

/* `folder`: its images (by extension), sorted by name (bytes). */
static void read_folder(vt_vctx *c, show *sh, const vt_ynode *v, double seconds) {
    if (!vt_read_string(c, "folder", v)) {
        return;
    }
    /* Confined like a file: resolved, it must stay inside the scene's folder. */
    size_t cap = strlen(c->dir) + v->len + 2;
    char *joined = vt_xmalloc(cap), *dir = NULL, *base = realpath(c->dir, NULL);
    snprintf(joined, cap, "%s/%s", c->dir, v->text);
    dir = realpath(joined, NULL);
    free(joined);
    size_t blen = base ? strlen(base) : 0;
    if (dir && (!base || strncmp(dir, base, blen) != 0 || (dir[blen] && dir[blen] != '/'))) {
        char shown[64];
        vt_vctx_error(c, v,
                      "folder '%s' is outside the scene's folder; keep the pictures beside "
                      "the scene",
                      vt_yshow(v->text, v->len, shown, sizeof shown));
        free(dir);
        free(base);
        return;
    }
    free(base);
    DIR *d = dir ? opendir(dir) : NULL;
    char **names = NULL;
    size_t n = 0;
    for (struct dirent *e; d && (e = readdir(d)) && n < MAX_SLIDES;) {
        if (image_name(e->d_name)) {
            names = vt_xrealloc(names, (n + 1) * sizeof *names);
            names[n++] = vt_xstrdup(e->d_name);
        }
    }
    if (d) {
        closedir(d);
    }
    char shown[64];
    vt_yshow(v->text, v->len, shown, sizeof shown);
    if (!d) {
        vt_vctx_error(c, v, "cannot open folder '%s' (looked in %s); give a folder of images",
                      shown, c->dir);
    } else if (n == 0) {
        vt_vctx_error(c, v,
                      "folder '%s' holds no .png, .jpg, .jpeg, .webp, .tif or .tiff image; add "
                      "pictures or use 'items'",
                      shown);
    }
    if (n > 1) {
        qsort(names, n, sizeof *names, cmp_str);
    }
    for (size_t i = 0; i < n; i++) {
        size_t len = v->len + strlen(names[i]) + 2;
        char *path = vt_xmalloc(len);
        snprintf(path, len, "%s/%s", v->text, names[i]);
        push(sh, path, v, seconds);
        free(path);
        free(names[i]);
    }
    free(names);
    free(dir);
}

static bool has_fs_extension(const char *name) {
    const char *dot = strrchr(name, '.');
    return dot && !strchr(dot, '/') && strcasecmp(dot, ".fs") == 0;
}

/* `type`: crossfade (drawn with the pictures' opacity), wipe or dissolve (the built-in ISF
 * transitions), `builtin:NAME` or an ISF transition file: read once here to check that it is
 * a transition (startImage, endImage, progress); each transition layer reads it again. */
static void read_transition_type(vt_vctx *c, show *sh, const vt_ynode *v) {
    char shown[64];
    if (!vt_read_string(c, "type", v)) {
        return;
    }
    vt_yshow(v->text, v->len, shown, sizeof shown);
    if (vt_ynode_is(v, "crossfade")) {
        return;
    }
    if (vt_ynode_is(v, "wipe") || vt_ynode_is(v, "dissolve")) {
        sh->trans_text = vt_xasprintf("builtin:%s", v->text);
    } else if (strncmp(v->text, "builtin:", 8) == 0 || has_fs_extension(v->text)) {
        sh->trans_text = vt_xstrdup(v->text);
    } else {
        vt_vctx_error(c, v,
                      "unknown transition '%s'; a slideshow takes crossfade (the default), wipe, "
                      "dissolve, builtin:NAME or an ISF transition file (.fs)",
                      shown);
        return;
    }
    sh->trans_src = *v;
    sh->trans_src.text = sh->trans_text;
    sh->trans_src.len = strlen(sh->trans_text);
    vt_layer probe = {.id = sh->layer->id, .line = sh->layer->line, .col = sh->layer->col};
    vt_shader_layer_begin(&probe);
    static const vt_field type = {.key = "type"};
    bool ok = vt_field_shader_src(c, &type, &sh->trans_src, &probe);
    const vt_isf *isf = probe.shader->isf;
    if (ok && isf) {
        const vt_isf_input *a = vt_isf_find_input(isf, "startImage"),
                           *b = vt_isf_find_input(isf, "endImage"),
                           *t = vt_isf_find_input(isf, "progress");
        if (!a || a->type != VT_ISF_IMAGE || !b || b->type != VT_ISF_IMAGE || !t ||
            t->type != VT_ISF_FLOAT) {
            vt_vctx_error(c, v,
                          "'%s' is not a transition: a slideshow's transition needs the inputs "
                          "startImage and endImage (images) and progress (a float)",
                          shown);
        } else {
            sh->shader = true;
        }
    } /* a missing file (a warning outside `check`): the slideshow crossfades */
    vt_shader_layer_free(&probe);
    free(probe.src);
}

static void read_transition(vt_vctx *c, show *sh, const vt_ynode *v) {
    if (v->kind == VT_YNODE_SCALAR) { /* `transition: wipe` */
        sh->trans_map = v;
        read_transition_type(c, sh, v);
        return;
    }
    if (v->kind != VT_YNODE_MAP) {
        vt_type_error(c, "transition", v, "a mapping like {type: wipe, duration: 1}", NULL);
        return;
    }
    sh->trans_map = v;
    const vt_ypair *inputs = NULL;
    for (size_t i = 0; i < v->count; i++) {
        const vt_ypair *p = &v->pairs[i];
        if (vt_ynode_is(p->key, "type")) {
            read_transition_type(c, sh, p->value);
        } else if (vt_ynode_is(p->key, "duration")) {
            vt_read_number(c, "duration", p->value, 0, 3600, false, &sh->fade);
        } else if (vt_ynode_is(p->key, "inputs")) {
            inputs = p;
        } else {
            char key[32];
            vt_yshow(p->key->text, p->key->len, key, sizeof key);
            vt_vctx_error(c, p->key,
                          "unknown key '%s' in 'transition'; valid keys: type, duration, inputs",
                          key);
        }
    }
    if (inputs && !sh->shader && !sh->trans_text) {
        vt_vctx_error(c, inputs->key,
                      "a crossfade takes no 'inputs'; they set a shader transition's own inputs "
                      "(type: wipe, dissolve, builtin:NAME or a .fs file)");
    }
    if (inputs && inputs->value->kind == VT_YNODE_MAP) {
        static const char *const own[] = {"startImage", "endImage", "progress"};
        for (size_t i = 0; i < inputs->value->count; i++) {
            const vt_ynode *key = inputs->value->pairs[i].key;
            for (size_t k = 0; k < 3; k++) {
                if (vt_ynode_is(key, own[k])) {
                    vt_vctx_error(c, key,
                                  "'%s' is set by the slideshow (the pictures and the time); "
                                  "leave it out of the transition's 'inputs'",
                                  own[k]);
                }
            }
        }
    }
}

/* ---- captions ---- */

/* The text layer keys `caption_style` takes. */
static const char *const style_keys[] = {
    "font",           "size",      "color",         "weight",
    "italic",         "align",     "box",           "position",
    "anchor",         "plate",     "plate_padding", "line_height",
    "letter_spacing", "max_lines", "typography",    "hyphenate",
    "lang",           NULL};

/* A caption's text layer, as `caption_style` sets it: by default white, 48 px, centred at the
 * bottom of the slideshow's box (the canvas without a `size`) on a dark plate. Its text is
 * added by the caller. */
static void caption_layer(vt_vctx *c, const vt_scene *sc, const vt_layer *l, const show *sh,
                          vt_layer *out) {
    *out = (vt_layer){.type = VT_LAYER_TEXT,
                      .hit = false,
                      .line = l->line,
                      .col = l->col,
                      .props = {.scale = {1, 1},
                                .opacity = 1,
                                .color = {255, 255, 255, 255},
                                .visible = l->props.visible,
                                .reveal = 1}};
    vt_text_layer_begin(out);
    out->text.align = VT_ALIGN_CENTER;
    out->text.plate = (vt_color){0, 0, 0, 0xb3};
    const vt_layer_props *p = &l->props;
    double w = l->has_size ? p->size.x : sc->width, h = l->has_size ? p->size.y : sc->height;
    double x0 = l->has_size ? p->position.x - p->anchor.x * w : 0;
    double y0 = l->has_size ? p->position.y - p->anchor.y * h : 0;
    out->props.anchor = (vt_vec2){0.5, 1};
    out->props.position = (vt_vec2){x0 + 0.5 * w, y0 + 0.95 * h};
    bool has_box = false;
    const vt_ynode *v = sh->style;
    if (v && v->kind != VT_YNODE_MAP) {
        vt_type_error(c, "caption_style", v, "a mapping of text keys",
                      "like {size: 36, color: \"#ffffff\", position: [960, 1040]}");
        v = NULL;
    }
    for (size_t i = 0; v && i < v->count; i++) {
        const vt_ypair *pr = &v->pairs[i];
        char key[32];
        vt_yshow(pr->key->text, pr->key->len, key, sizeof key);
        size_t k = 0;
        while (style_keys[k] && strcmp(style_keys[k], key) != 0) {
            k++;
        }
        if (!style_keys[k]) {
            char list[256];
            vt_join_names(style_keys, sizeof style_keys / sizeof *style_keys - 1, list,
                          sizeof list);
            vt_vctx_error(c, pr->key, "unknown key '%s' in 'caption_style'; valid keys: %s", key,
                          list);
            continue;
        }
        const vt_field *f = vt_layer_field(key);
        f->parse(c, f, pr->value, out);
        has_box = has_box || strcmp(key, "box") == 0;
    }
    vt_text_layer_end(c, out, has_box);
}

/* The pictures of slideshow `map`, its durations and transition; false when it has errors. */
static bool read_show(vt_vctx *c, const vt_ynode *map, show *sh) {
    size_t errors = c->diags->errors;
    double seconds = DEFAULT_DURATION, seed = 0;
    sh->fade = DEFAULT_FADE;
    const vt_ypair *p;
    if ((p = vt_ymap_find(map, "duration"))) {
        vt_read_number(c, "duration", p->value, 0.001, VT_SCENE_MAX_SECONDS, false, &seconds);
    }
    if ((p = vt_ymap_find(map, "transition"))) {
        read_transition(c, sh, p->value);
    }
    if ((p = vt_ymap_find(map, "ken_burns"))) {
        vt_field f = {.key = "ken_burns", .offset = 0};
        vt_field_bool(c, &f, p->value, &sh->ken_burns);
    }
    const vt_ypair *shuffle = vt_ymap_find(map, "shuffle");
    if (shuffle) {
        vt_read_number(c, "shuffle", shuffle->value, 0, 4294967295.0, true, &seed);
    }
    const vt_ypair *items = vt_ymap_find(map, "items"), *folder = vt_ymap_find(map, "folder");
    if (items && folder) {
        vt_vctx_error(c, folder->key, "a slideshow takes 'items' or 'folder', not both");
    } else if (items && items->value->kind != VT_YNODE_SEQ) {
        vt_type_error(c, "items", items->value, "a list of image paths", NULL);
    } else if (items) {
        for (size_t i = 0; i < items->value->count && sh->count < MAX_SLIDES; i++) {
            read_item(c, sh, items->value->items[i], seconds);
        }
    } else if (folder) {
        read_folder(c, sh, folder->value, seconds);
    } else {
        vt_vctx_error(c, map, "a slideshow needs 'items' (a list of images) or 'folder'");
    }
    if (shuffle && sh->count > 1) { /* `shuffle: SEED`: the same order every run */
        uint64_t s = (uint64_t)seed;
        for (size_t i = sh->count - 1; i > 0; i--) {
            size_t j = (size_t)(splitmix(&s) % (i + 1));
            slide t = sh->slides[i];
            sh->slides[i] = sh->slides[j];
            sh->slides[j] = t;
        }
    }
    sh->seed = (uint64_t)seed;
    const vt_ypair *style = vt_ymap_find(map, "caption_style");
    sh->style = style ? style->value : NULL;
    for (size_t i = 0; i < sh->count; i++) {
        sh->captions += sh->slides[i].cap.variant_count > 0;
    }
    if (sh->style || sh->captions) { /* its mistakes said once, here */
        vt_layer probe;
        caption_layer(c, vt_sread(c)->scene, sh->layer, sh, &probe);
        vt_text_layer_free(&probe);
    }
    if (sh->shader && !sh->layer->has_size) {
        vt_vctx_error(c, sh->trans_map,
                      "a slideshow with a shader transition needs 'size': the box the pictures "
                      "fill while it runs");
    }
    for (size_t i = 0; sh->shader && i < sh->count; i++) {
        if (sh->ken_burns || sh->slides[i].framed) {
            vt_vctx_error(c,
                          sh->ken_burns ? vt_ymap_find(map, "ken_burns")->key : &sh->slides[i].at,
                          "Ken Burns framing moves the pictures, which a shader transition "
                          "does not follow; use 'transition: crossfade' with it");
            break;
        }
    }
    for (size_t i = 0; i < sh->count; i++) {
        if (sh->slides[i].seconds <= sh->fade) {
            vt_vctx_error(c, &sh->slides[i].at,
                          "slide '%s' lasts %.10g s, not more than its %.10g s %s; give "
                          "it a longer 'duration' or a shorter transition",
                          sh->slides[i].src, sh->slides[i].seconds, sh->fade,
                          sh->trans_text ? "transition" : "crossfade");
        }
    }
    return c->diags->errors == errors && sh->count > 0;
}

static void show_free(show *sh) {
    for (size_t i = 0; i < sh->count; i++) {
        free(sh->slides[i].src);
        vt_text_layer_free(&sh->slides[i].cap);
    }
    free(sh->slides);
    free(sh->trans_text);
}

/* ---- the timeline ---- */

typedef struct keys {
    vt_key *k;
    size_t n;
} keys;

static void key_add(keys *ks, vt_ticks t, const double *v, size_t arity, vt_ease_kind ease) {
    ks->k = vt_xrealloc(ks->k, (ks->n + 1) * sizeof *ks->k);
    vt_key *k = &ks->k[ks->n++];
    *k = (vt_key){.t = t, .ease = {.kind = ease}};
    memcpy(k->v, v, arity * sizeof *v);
}

static void track_add(vt_timeline *tl, uint32_t layer, vt_prop prop, keys *ks, int line, int col) {
    tl->tracks = vt_xrealloc(tl->tracks, (tl->track_count + 1) * sizeof *tl->tracks);
    tl->tracks[tl->track_count++] = (vt_track){.layer = layer,
                                               .prop = prop,
                                               .shape = prop,
                                               .keys = ks->k,
                                               .key_count = ks->n,
                                               .line = line,
                                               .col = col};
    *ks = (keys){0};
}

/* Ken Burns: `frame` [x, y, zoom] as the layer's position and scale: the picture's point (x, y)
 * at the box's centre, zoomed about it. */
static void framing(const vt_layer *l, const double f[3], double pos[2], double scale[2]) {
    const vt_layer_props *p = &l->props;
    pos[0] = p->position.x + p->size.x * ((0.5 - p->anchor.x) - (f[0] - p->anchor.x) * f[2]);
    pos[1] = p->position.y + p->size.y * ((0.5 - p->anchor.y) - (f[1] - p->anchor.y) * f[2]);
    scale[0] = p->scale.x * f[2];
    scale[1] = p->scale.y * f[2];
}

/* A gentle framing from the seed: zoom 1 to 1.15, the point kept where the picture still fills
 * the box. */
static void gentle(uint64_t *s, double f[3], bool in) {
    f[2] = in ? 1.0 + 0.03 * unit(s) : 1.1 + 0.05 * unit(s);
    double m = 0.5 / f[2];
    f[0] = m + (1 - 2 * m) * unit(s);
    f[1] = m + (1 - 2 * m) * unit(s);
}

/* A caption fades in while its picture comes in and out while the next one does (both at
 * once, so two captions never stand at full strength together). */
static void caption_track(vt_timeline *tl, const vt_layer *first, uint32_t layer, size_t i,
                          const vt_ticks *start, size_t n, vt_ticks fade, bool loop) {
    keys ks = {0};
    const double one = 1, zero = 0;
    vt_ticks total = start[n];
    bool last = i + 1 == n;
    if (i == 0) {
        key_add(&ks, 0, &one, 1, VT_EASE_LINEAR);
    } else {
        key_add(&ks, 0, &zero, 1, VT_EASE_LINEAR);
        key_add(&ks, start[i] - fade, &zero, 1, VT_EASE_LINEAR);
        key_add(&ks, start[i], &one, 1, VT_EASE_LINEAR);
    }
    if (!last) {
        key_add(&ks, start[i + 1] - fade, &one, 1, VT_EASE_LINEAR);
        key_add(&ks, start[i + 1], &zero, 1, VT_EASE_LINEAR);
    } else if (loop && n > 1) {
        key_add(&ks, total - fade, &one, 1, VT_EASE_LINEAR);
        key_add(&ks, total, &zero, 1, VT_EASE_LINEAR);
    }
    if (i == 0 && loop && n > 1) { /* back in as the last picture hands over to the first */
        key_add(&ks, total - fade, &zero, 1, VT_EASE_LINEAR);
        key_add(&ks, total, &one, 1, VT_EASE_LINEAR);
    }
    track_add(tl, layer, VT_PROP_OPACITY, &ks, first->line, first->col);
}

/* A shader transition from picture j to the next: drawn (opacity 1) only while it runs, from
 * a = T_{j+1} - fade to b = T_{j+1}, its progress going 0 to 1 then; still otherwise. */
static void transition_tracks(vt_timeline *tl, const vt_scene *sc, const vt_layer *first,
                              uint32_t layer, vt_ticks a, vt_ticks b) {
    keys op = {0}, pr = {0};
    const double one = 1, zero = 0;
    key_add(&op, 0, &zero, 1, VT_EASE_LINEAR);
    key_add(&op, a, &zero, 1, VT_EASE_LINEAR);
    key_add(&op, a, &one, 1, VT_EASE_LINEAR);
    key_add(&op, b, &one, 1, VT_EASE_LINEAR);
    key_add(&op, b, &zero, 1, VT_EASE_LINEAR);
    track_add(tl, layer, VT_PROP_OPACITY, &op, first->line, first->col);
    const vt_shader *sh = sc->layers[layer].shader;
    const vt_isf_input *in = vt_isf_find_input(sh->isf, "progress");
    vt_prop prop = (vt_prop)(VT_PROP_INPUT + (in - sh->isf->inputs));
    key_add(&pr, 0, &zero, 1, VT_EASE_LINEAR);
    key_add(&pr, a, &zero, 1, VT_EASE_LINEAR);
    key_add(&pr, b, &one, 1, VT_EASE_LINEAR);
    track_add(tl, layer, prop, &pr, first->line, first->col);
    tl->tracks[tl->track_count - 1].shape = vt_input_shape(in);
}

/* Where a slideshow's layers are: its pictures from `base`, its transition layers (shader
 * transitions) from `trans`, each item's caption (`caption[i]`, UINT32_MAX: none). */
typedef struct placed {
    uint32_t base, trans;
    uint32_t *caption;
} placed;

/* Slide i shows fully from its start T_i to T_{i+1} - fade, while the next fades in over it;
 * it goes at T_{i+1}. Looping, the last fades out over the first during the last `fade`. A
 * shader transition draws over both while it runs: picture i then shows until T_{i+1}. */
static void build_timeline(vt_timeline *tl, const vt_scene *sc, const placed *at, const show *sh,
                           bool loop) {
    const vt_layer *first = &sc->layers[at->base];
    uint32_t base = at->base;
    size_t n = sh->count;
    vt_ticks fade = vt_ticks_from_seconds(sh->fade), total = 0;
    vt_ticks *start = vt_xcalloc(n + 1, sizeof *start);
    for (size_t i = 0; i < n; i++) {
        start[i] = total;
        total += vt_ticks_from_seconds(sh->slides[i].seconds);
    }
    start[n] = total;
    tl->duration = total;
    tl->plays = loop ? 0 : 1;
    tl->autoplay = true;
    uint64_t seed = sh->seed ^ 0x5eed5eedull;
    for (size_t i = 0; i < n; i++) {
        keys ks = {0};
        const double one = 1, zero = 0;
        bool last = i + 1 == n;
        vt_ticks in = i == 0 ? 0 : start[i] - fade; /* when it starts to show */
        vt_ticks out = last && !loop ? total : start[i + 1];
        if (at->caption[i] != UINT32_MAX) {
            caption_track(tl, first, at->caption[i], i, start, n, fade, loop);
        }
        if (sh->shader) { /* a cut under the transition layer */
            if (i > 0) {
                key_add(&ks, 0, &zero, 1, VT_EASE_LINEAR);
                key_add(&ks, start[i], &zero, 1, VT_EASE_LINEAR);
            }
            key_add(&ks, start[i], &one, 1, VT_EASE_LINEAR);
            if (!last) {
                key_add(&ks, start[i + 1], &one, 1, VT_EASE_LINEAR);
                key_add(&ks, start[i + 1], &zero, 1, VT_EASE_LINEAR);
            }
            track_add(tl, base + (uint32_t)i, VT_PROP_OPACITY, &ks, first->line, first->col);
            if (!last || (loop && n > 1)) {
                transition_tracks(tl, sc, first, at->trans + (uint32_t)i, start[i + 1] - fade,
                                  start[i + 1]);
            }
            continue;
        }
        if (i == 0) {
            key_add(&ks, 0, &one, 1, VT_EASE_LINEAR);
        } else {
            key_add(&ks, 0, &zero, 1, VT_EASE_LINEAR);
            key_add(&ks, in, &zero, 1, VT_EASE_LINEAR);
            key_add(&ks, start[i], &one, 1, VT_EASE_LINEAR);
        }
        if (last && loop) { /* fades out over the first */
            key_add(&ks, total - fade, &one, 1, VT_EASE_LINEAR);
            key_add(&ks, total, &zero, 1, VT_EASE_LINEAR);
        } else if (!last) {
            key_add(&ks, start[i + 1], &one, 1, VT_EASE_LINEAR);
            key_add(&ks, start[i + 1], &zero, 1, VT_EASE_LINEAR);
        }
        if (i == 0 && loop && n > 1) { /* under the last one's fade-out */
            key_add(&ks, total - fade, &one, 1, VT_EASE_HOLD);
            key_add(&ks, total, &one, 1, VT_EASE_LINEAR);
        }
        uint32_t layer = base + (uint32_t)i;
        track_add(tl, layer, VT_PROP_OPACITY, &ks, first->line, first->col);
        const slide *s = &sh->slides[i];
        if (!sh->ken_burns && !s->framed) {
            continue;
        }
        double a[3], b[3], pa[2], sa[2], pb[2], sb[2];
        if (s->framed) {
            memcpy(a, s->from, sizeof a);
            memcpy(b, s->to, sizeof b);
        } else {
            gentle(&seed, a, i % 2 == 0);
            gentle(&seed, b, i % 2 != 0);
        }
        framing(first, a, pa, sa);
        framing(first, b, pb, sb);
        keys pos = {0}, scale = {0};
        key_add(&pos, in, pa, 2, VT_EASE_LINEAR);
        key_add(&pos, out, pb, 2, VT_EASE_LINEAR);
        key_add(&scale, in, sa, 2, VT_EASE_LINEAR);
        key_add(&scale, out, sb, 2, VT_EASE_LINEAR);
        if (i == 0 && loop && n > 1 && out < total - fade) { /* back to its start, unseen */
            key_add(&pos, total - fade, pa, 2, VT_EASE_HOLD);
            key_add(&scale, total - fade, sa, 2, VT_EASE_HOLD);
        }
        track_add(tl, layer, VT_PROP_POSITION, &pos, first->line, first->col);
        track_add(tl, layer, VT_PROP_SCALE, &scale, first->line, first->col);
    }
    free(start);
}

/* ---- renumbering ---- */

static void renumber(vt_scene *sc, const uint32_t *to) {
    for (size_t t = 0; t < sc->timeline_count; t++) {
        for (size_t k = 0; k < sc->timelines[t].track_count; k++) {
            vt_track *tr = &sc->timelines[t].tracks[k];
            if (!tr->sound && tr->prop != VT_PROP_COUNT) {
                tr->layer = to[tr->layer];
            }
        }
    }
    for (size_t t = 0; t < sc->trigger_count; t++) {
        vt_trigger *tg = &sc->triggers[t];
        if ((tg->when.kind == VT_WHEN_TOUCH || tg->when.kind == VT_WHEN_SWIPE) &&
            tg->when.index != VT_WHEN_ANYWHERE) {
            tg->when.index = to[tg->when.index];
        }
        for (size_t a = 0; a < tg->action_count; a++) {
            if (tg->actions[a].kind == VT_DO_SET) {
                tg->actions[a].target = to[tg->actions[a].target];
            }
        }
    }
    for (size_t l = 0; l < sc->layer_count; l++) {
        vt_layer *layer = &sc->layers[l];
        if (layer->masked) {
            layer->mask = to[layer->mask];
        }
        for (size_t i = 0; layer->shader && i < layer->shader->input_count; i++) {
            if (layer->shader->inputs[i].image == VT_SHADER_IMAGE_LAYER) {
                layer->shader->inputs[i].layer = to[layer->shader->inputs[i].layer];
            }
        }
    }
    for (size_t s = 0; s < sc->sound_count; s++) {
        if (sc->sounds[s].film) {
            sc->sounds[s].layer = to[sc->sounds[s].layer];
        }
    }
}

/* Points the context's messages at `scratch` when `on`: copies of what was read once (and
 * said then) say nothing again. Returns the diags to put back. */
static vt_diags *quiet(vt_vctx *c, vt_diags *scratch, bool on) {
    vt_diags *saved = c->diags;
    if (on) {
        c->diags = scratch;
    }
    return saved;
}

/* Picture k's caption layer: the style, then the item's text moved in. */
static void make_caption(vt_vctx *c, const vt_scene *sc, const vt_layer *l, show *sh, size_t k,
                         vt_layer *out) {
    vt_diags scratch = {0};
    vt_diags *saved = quiet(c, &scratch, true);
    caption_layer(c, sc, l, sh, out);
    c->diags = saved;
    vt_diags_free(&scratch);
    size_t len = strlen(l->id) + 32;
    out->id = vt_xmalloc(len);
    snprintf(out->id, len, "%s[%zu]-caption", l->id, k + 1);
    out->masked = l->masked; /* a mask on the slideshow masks its captions too */
    out->mask = l->mask;
    out->mask_mode = l->mask_mode;
    out->mask_invert = l->mask_invert;
    out->blend = l->blend;
    vt_layer *cap = &sh->slides[k].cap;
    out->variants = cap->variants;
    out->variant_count = cap->variant_count;
    cap->variants = NULL;
    cap->variant_count = 0;
    uint32_t own = UINT32_MAX;
    for (size_t i = 0; out->lang && i < sc->language_count; i++) {
        own = strcasecmp(sc->languages[i], out->lang) == 0 ? (uint32_t)i : own;
    }
    for (size_t i = 0; i < out->variant_count; i++) {
        if (out->variants[i].lang == UINT32_MAX) { /* a plain string: the scene's language */
            out->variants[i].lang = own != UINT32_MAX ? own : 0;
        }
    }
}

/* The shader transition from picture `from` to `to` (layers of the new list), as layer `index`:
 * the slideshow's box, the transition's file and inputs. */
static void make_transition(vt_vctx *c, const vt_layer *l, show *sh, size_t k, uint32_t index,
                            uint32_t from, uint32_t to, const uint32_t *renum, vt_layer *out) {
    *out = *l;
    out->type = VT_LAYER_SHADER;
    out->loop = false;
    out->gesture = NULL;
    out->pressed = out->selected = NULL;
    size_t len = strlen(l->id) + 32;
    out->id = vt_xmalloc(len);
    snprintf(out->id, len, "%s[%zu]-transition", l->id, k + 1);
    vt_diags scratch = {0};
    vt_diags *saved = quiet(c, &scratch, k > 0);
    vt_shader_layer_begin(out);
    static const vt_field type = {.key = "type"};
    vt_field_shader_src(c, &type, &sh->trans_src, out);
    vt_shader_layer_finish(c, sh->trans_map->kind == VT_YNODE_MAP ? sh->trans_map : &sh->trans_src,
                           index, out);
    c->diags = saved;
    vt_diags_free(&scratch);
    vt_shader *shd = out->shader;
    for (size_t i = 0; shd->isf && i < shd->input_count; i++) {
        vt_shader_input *si = &shd->inputs[i];
        const char *name = shd->isf->inputs[i].name;
        if (strcmp(name, "startImage") == 0 || strcmp(name, "endImage") == 0) {
            si->image = VT_SHADER_IMAGE_LAYER;
            si->layer = name[0] == 's' ? from : to;
        } else if (si->image == VT_SHADER_IMAGE_LAYER) {
            si->layer = renum[si->layer]; /* another layer the scene names */
        }
    }
}

/* How many transition layers a slideshow has: one between each two pictures, and looping one
 * from the last back to the first (none for a crossfade or a single picture). */
static size_t transitions(const show *sh, bool loop) {
    return sh->shader && sh->count > 1 ? sh->count - !loop : 0;
}

/* What names a slideshow by its id and would reach only its first picture: a track or a `set`
 * of a layer property (its timeline drives the pictures' opacity and framing) and `mask:` (a
 * mask is one layer). Touches (`touch: ID`) and a mask on the slideshow itself cover it all. */
static void refuse_partial(vt_vctx *c, const vt_scene *sc, size_t i) {
    const char *id = sc->layers[i].id, *fix = "to fade, hide or move the whole slideshow, give "
                                              "it a 'mask' (a rect) and animate the mask";
    for (size_t t = 0; t < sc->timeline_count; t++) {
        for (size_t k = 0; k < sc->timelines[t].track_count; k++) {
            const vt_track *tr = &sc->timelines[t].tracks[k];
            if (!tr->sound && tr->prop < VT_PROP_COUNT && tr->layer == i) {
                vt_diags_add(c->diags, VT_DIAG_ERROR, c->path, tr->line, tr->col,
                             "'%s.%s' names a slideshow, whose pictures its timeline '%s[slides]' "
                             "drives; %s",
                             id, vt_prop_names[tr->prop], id, fix);
            }
        }
    }
    for (size_t t = 0; t < sc->trigger_count; t++) {
        for (size_t a = 0; a < sc->triggers[t].action_count; a++) {
            const vt_action *ac = &sc->triggers[t].actions[a];
            if (ac->kind == VT_DO_SET && ac->target == i && ac->prop < VT_PROP_COUNT) {
                vt_diags_add(c->diags, VT_DIAG_ERROR, c->path, ac->line, ac->col,
                             "'set' of '%s.%s' names a slideshow, whose pictures its timeline "
                             "'%s[slides]' drives; %s",
                             id, vt_prop_names[ac->prop], id, fix);
            }
        }
    }
    for (size_t l = 0; l < sc->layer_count; l++) {
        if (sc->layers[l].masked && sc->layers[l].mask == i) {
            vt_diags_add(c->diags, VT_DIAG_ERROR, c->path, sc->layers[l].line, sc->layers[l].col,
                         "layer '%s' is masked by slideshow '%s'; a mask is one layer: mask it "
                         "by an image or a rect",
                         sc->layers[l].id ? sc->layers[l].id : "?", id);
        }
    }
}

void vt_slideshows_expand(vt_vctx *c, const vt_ynode *root) {
    vt_scene *sc = vt_sread(c)->scene;
    const vt_ypair *seq = vt_ymap_find(root, "layers");
    size_t n = sc->layer_count, shows = 0;
    for (size_t i = 0; i < n; i++) {
        shows += sc->layers[i].type == VT_LAYER_SLIDESHOW;
    }
    if (!shows || !seq || seq->value->kind != VT_YNODE_SEQ || seq->value->count != n) {
        return;
    }
    show *all = vt_xcalloc(n, sizeof *all);
    bool ok = c->diags->errors == 0;
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        if (sc->layers[i].type == VT_LAYER_SLIDESHOW) {
            all[i].layer = &sc->layers[i];
            size_t before = c->diags->errors;
            refuse_partial(c, sc, i);
            ok = ok && c->diags->errors == before;
            snprintf(c->where, sizeof c->where, " in layer '%s'",
                     sc->layers[i].id ? sc->layers[i].id : "?");
            ok = read_show(c, seq->value->items[i], &all[i]) && ok;
            c->where[0] = '\0';
            total += all[i].count + all[i].captions;
            total += transitions(&all[i], sc->layers[i].loop);
        } else {
            total++;
        }
    }
    if (!ok) { /* the scene is refused: nothing to make (its layers are freed as they are) */
        for (size_t i = 0; i < n; i++) {
            show_free(&all[i]);
            if (sc->layers[i].type == VT_LAYER_SLIDESHOW) {
                sc->layers[i].type = VT_LAYER_IMAGE;
            }
        }
        free(all);
        return;
    }
    uint32_t *to = vt_xcalloc(n, sizeof *to);
    placed *where = vt_xcalloc(n, sizeof *where);
    size_t at = 0;
    for (size_t i = 0; i < n; i++) { /* where each layer goes */
        to[i] = (uint32_t)at;
        const show *sh = &all[i];
        if (sc->layers[i].type != VT_LAYER_SLIDESHOW) {
            at++;
            continue;
        }
        where[i].base = (uint32_t)at;
        at += sh->count;
        where[i].trans = (uint32_t)at;
        at += transitions(sh, sc->layers[i].loop);
        where[i].caption = vt_xmalloc(sh->count * sizeof *where[i].caption);
        for (size_t k = 0; k < sh->count; k++) {
            where[i].caption[k] = sh->slides[k].cap.variant_count ? (uint32_t)at++ : UINT32_MAX;
        }
    }
    renumber(sc, to); /* before the layers are copied: masks are kept in them */
    vt_layer *layers = vt_xcalloc(total, sizeof *layers), *old = sc->layers;
    sc->layers = layers; /* the transitions' inputs are read on their new layers */
    sc->layer_count = total;
    for (size_t i = 0; i < n; i++) {
        vt_layer *l = &old[i];
        if (l->type != VT_LAYER_SLIDESHOW) {
            layers[to[i]] = *l;
            continue;
        }
        show *sh = &all[i];
        sh->loop = l->loop;
        snprintf(c->where, sizeof c->where, " in layer '%s'", l->id);
        for (size_t k = 0; k < sh->count; k++) {
            vt_layer *item = &layers[where[i].base + k];
            *item = *l;
            item->type = VT_LAYER_IMAGE;
            item->loop = false;
            if (k > 0) { /* the first keeps the id, gestures and styles */
                size_t len = strlen(l->id) + 24;
                item->id = vt_xmalloc(len);
                snprintf(item->id, len, "%s[%zu]", l->id, k + 1);
                item->gesture = NULL;
                item->pressed = item->selected = NULL;
                item->hit = false; /* the first, beneath them, takes the touches */
            }
            vt_field_image_src(c, &sh->slides[k].at, item);
        }
        size_t made = transitions(sh, sh->loop);
        for (size_t k = 0; k < made; k++) {
            uint32_t index = where[i].trans + (uint32_t)k;
            make_transition(c, l, sh, k, index, where[i].base + (uint32_t)k,
                            where[i].base + (uint32_t)((k + 1) % sh->count), to, &layers[index]);
        }
        for (size_t k = 0; k < sh->count; k++) {
            if (where[i].caption[k] != UINT32_MAX) {
                make_caption(c, sc, l, sh, k, &layers[where[i].caption[k]]);
            }
        }
        c->where[0] = '\0';
    }
    free(old);
    sc->timelines =
        vt_xrealloc(sc->timelines, (sc->timeline_count + shows) * sizeof *sc->timelines);
    for (size_t i = 0; i < n; i++) {
        if (all[i].count == 0) {
            continue;
        }
        const vt_layer *first = &layers[to[i]];
        vt_timeline *tl = &sc->timelines[sc->timeline_count++];
        size_t len = strlen(first->id) + 16;
        *tl = (vt_timeline){.id = vt_xmalloc(len), .line = first->line, .col = first->col};
        snprintf(tl->id, len, "%s[slides]", first->id);
        build_timeline(tl, sc, &where[i], &all[i], all[i].loop);
        show_free(&all[i]);
        free(where[i].caption);
    }
    free(where);
    free(all);
    free(to);
}
