/* Slideshow layers (`type: slideshow`): read once everything else is, then made into what the
 * engine already draws and plays: one image layer per picture, in the slideshow's place and
 * with its keys, and a timeline (autoplay, looping by default) whose opacity tracks crossfade
 * them and whose scale and position tracks move them for Ken Burns. Which picture shows at a
 * frame is then a pure function of the time, and play sleeps during holds without motion. */
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
} slide;

typedef struct show {
    slide *slides;
    size_t count;
    double fade; /* seconds */
    bool ken_burns;
    bool loop;
    uint64_t seed;
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
        } else {
            vt_vctx_error(c, p->key,
                          "unknown key '%s' in a slideshow item; valid keys: src, duration, from, "
                          "to",
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

static void read_transition(vt_vctx *c, show *sh, const vt_ynode *v) {
    if (v->kind != VT_YNODE_MAP) {
        vt_type_error(c, "transition", v, "a mapping like {type: crossfade, duration: 1}", NULL);
        return;
    }
    for (size_t i = 0; i < v->count; i++) {
        const vt_ypair *p = &v->pairs[i];
        if (vt_ynode_is(p->key, "type")) {
            if (p->value->kind != VT_YNODE_SCALAR || !vt_ynode_is(p->value, "crossfade")) {
                vt_vctx_error(c, p->value,
                              "unknown transition; slideshows crossfade: "
                              "'type: crossfade' (or leave it out)");
            }
        } else if (vt_ynode_is(p->key, "duration")) {
            vt_read_number(c, "duration", p->value, 0, 3600, false, &sh->fade);
        } else {
            char key[32];
            vt_yshow(p->key->text, p->key->len, key, sizeof key);
            vt_vctx_error(c, p->key, "unknown key '%s' in 'transition'; valid keys: type, duration",
                          key);
        }
    }
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
    for (size_t i = 0; i < sh->count; i++) {
        if (sh->slides[i].seconds <= sh->fade) {
            vt_vctx_error(c, &sh->slides[i].at,
                          "slide '%s' lasts %.10g s, not more than its %.10g s crossfade; give "
                          "it a longer 'duration' or a shorter transition",
                          sh->slides[i].src, sh->slides[i].seconds, sh->fade);
        }
    }
    return c->diags->errors == errors && sh->count > 0;
}

static void show_free(show *sh) {
    for (size_t i = 0; i < sh->count; i++) {
        free(sh->slides[i].src);
    }
    free(sh->slides);
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

/* Slide i shows fully from its start T_i to T_{i+1} - fade, while the next fades in over it;
 * it goes at T_{i+1}. Looping, the last fades out over the first during the last `fade`. */
static void build_timeline(vt_timeline *tl, const vt_layer *first, uint32_t base, const show *sh,
                           bool loop) {
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
            ok = read_show(c, seq->value->items[i], &all[i]) && ok;
            total += all[i].count;
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
    vt_layer *layers = vt_xcalloc(total, sizeof *layers);
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        to[i] = (uint32_t)at;
        vt_layer *l = &sc->layers[i];
        if (l->type != VT_LAYER_SLIDESHOW) {
            layers[at++] = *l;
            continue;
        }
        all[i].loop = l->loop;
        for (size_t k = 0; k < all[i].count; k++) {
            vt_layer *item = &layers[at++];
            *item = *l;
            item->type = VT_LAYER_IMAGE;
            item->loop = false;
            if (k > 0) { /* the first keeps the id, gestures and styles */
                size_t len = strlen(l->id) + 24;
                item->id = vt_xmalloc(len);
                snprintf(item->id, len, "%s[%zu]", l->id, k + 1);
                item->gesture = NULL;
                item->pressed = item->selected = NULL;
            }
            vt_field_image_src(c, &all[i].slides[k].at, item);
        }
    }
    renumber(sc, to);
    free(sc->layers);
    sc->layers = layers;
    sc->layer_count = total;
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
        build_timeline(tl, first, to[i], &all[i], all[i].loop);
        show_free(&all[i]);
    }
    free(all);
    free(to);
}
