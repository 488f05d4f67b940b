/* The show: a loaded scene in motion (its player), its GPU side and its scripted input, stepped
 * frame by frame. What `play` and `render` share, so that an offline preview is what visitors
 * see. */
#include "app/app_internal.h"
#include "app/remote_internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void attach_scene(vt_show *show, vt_scene *scene) {
    show->scene = scene;
    show->player = vt_player_create(scene, 0);
    show->props = vt_xcalloc(scene->layer_count, sizeof *show->props);
    show->items = vt_xcalloc(scene->layer_count, sizeof *show->items);
    show->item_count = 0;
    show->sounds = vt_xcalloc(scene->sound_count + 1, sizeof *show->sounds);
}

static void detach_scene(vt_show *show) {
    if (show->player) {
        vt_player_destroy(show->player);
    }
    vt_scene_destroy(show->scene);
    free(show->props);
    free(show->items);
    free(show->sounds);
    show->sounds = NULL;
    show->player = NULL;
    show->scene = NULL;
    show->props = NULL;
    show->items = NULL;
}

/* What a text layer shows now: its version in the current language; captions, the cue of that
 * language's file active at its timeline's time. The pointers live as long as the scene. */
static void text_of(const vt_show *show, uint32_t layer, vt_draw_item *item) {
    const vt_scene *sc = show->scene;
    const vt_layer *l = &sc->layers[layer];
    if (l->type != VT_LAYER_TEXT && l->type != VT_LAYER_CAPTIONS) {
        return;
    }
    const vt_text_variant *v = vt_player_text_variant(show->player, layer);
    if (!v) {
        return;
    }
    item->lang = v->lang < sc->language_count ? sc->languages[v->lang] : l->lang;
    if (l->type == VT_LAYER_TEXT) {
        item->text = v->text;
    } else {
        const vt_vtt_cue *cue = vt_player_caption(show->player, layer);
        item->text = cue ? cue->text : NULL;
    }
}

/* An error message without the path it starts with: the diagnostic names the layer and the
 * file as the scene writes it. */
static const char *without_path(const char *msg, const char *path) {
    size_t n = strlen(path);
    return strncmp(msg, path, n) == 0 && strncmp(msg + n, ": ", 2) == 0 ? msg + n + 2 : msg;
}

static void image_error(vt_diags *diags, const vt_scene *scene, const vt_layer *l,
                        const char *message) {
    vt_diags_add(diags, VT_DIAG_ERROR, scene->path, l->line, l->col, "layer '%s': image '%s': %s",
                 l->id, l->src, without_path(message, l->src_path));
}

/* A shader layer's time, frame and date for this frame (vt_draw_item). */
static void shader_of(const vt_show *show, uint32_t layer, vt_ticks now, vt_draw_item *item) {
    const vt_scene *sc = show->scene;
    const vt_layer *l = &sc->layers[layer];
    if (l->type != VT_LAYER_SHADER) {
        return;
    }
    item->inputs = vt_player_shader_inputs(show->player, layer);
    item->shader_time =
        l->timeline != UINT32_MAX ? vt_player_timeline_time(show->player, l->timeline, NULL) : now;
    item->frame = now > 0 ? now * sc->fps / VT_TICKS_PER_SEC : 0;
    double secs = vt_ticks_to_seconds(now), frac = 0;
    time_t t;
    struct tm tm;
    if (show->fixed_date) {
        t = (time_t)(show->date_origin + (int64_t)floor(secs));
        frac = secs - floor(secs);
        gmtime_r(&t, &tm);
    } else {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        t = ts.tv_sec;
        frac = ts.tv_nsec / 1e9;
        localtime_r(&t, &tm);
    }
    item->date[0] = tm.tm_year + 1900;
    item->date[1] = tm.tm_mon + 1;
    item->date[2] = tm.tm_mday;
    item->date[3] = tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec + frac;
    /* iMouse: the pointer in the layer's box (as drawn unrotated), y up, as fractions. */
    vt_pointer_state ptr = vt_player_pointer(show->player);
    const vt_layer_props *lp = &item->props;
    double bw = lp->size.x * lp->scale.x, bh = lp->size.y * lp->scale.y;
    if (fabs(bw) > 0 && fabs(bh) > 0 && (ptr.down || ptr.x != 0 || ptr.y != 0)) {
        double x0 = lp->position.x - lp->anchor.x * bw, y0 = lp->position.y - lp->anchor.y * bh;
        item->mouse[0] = (ptr.x - x0) / bw;
        item->mouse[1] = 1.0 - (ptr.y - y0) / bh;
        item->mouse[2] = (ptr.down_x - x0) / bw;
        item->mouse[3] = 1.0 - (ptr.down_y - y0) / bh;
        item->mouse_down = ptr.down;
    }
}

vt_status vt_show_check_images(const vt_scene *scene, unsigned flags, vt_diags *diags,
                               uint64_t *total_pixels) {
    uint64_t total = 0;
    bool over = false, strict = flags & VT_SHOW_IMAGES_STRICT, wide = false;
    size_t errors = diags->errors;
    bool *readable = vt_xcalloc(scene->layer_count + 1, sizeof *readable);
    size_t *first = vt_scene_image_first_users(scene);
    /* The headers first: the total is known before anything is decoded. */
    for (size_t i = 0; i < scene->layer_count; i++) {
        const vt_layer *l = &scene->layers[i];
        if (l->type != VT_LAYER_IMAGE || !l->src_path || first[i] != i) {
            continue;
        }
        vt_image_info info;
        vt_error err = {0};
        if (vt_image_probe(l->src_path, NULL, &info, &err) != VT_OK) {
            if (strict) {
                image_error(diags, scene, l, err.message);
            }
            continue;
        }
        readable[i] = true;
        uint64_t pixels = (uint64_t)info.width * (uint64_t)info.height;
        total += vt_image_cost((uint64_t)info.width, (uint64_t)info.height, info.wide);
        wide |= info.wide;
        if (vt_image_implausible(&info)) {
            vt_diags_add(diags, VT_DIAG_WARNING, scene->path, l->line, l->col,
                         "layer '%s': image '%s' is a %" PRIu64 "-byte file that decodes to "
                         "%dx%d pixels (%.1f MiB): far more than such a file holds (a damaged "
                         "file, or one made to exhaust memory?); export it again",
                         l->id, l->src, info.file_bytes, info.width, info.height,
                         (double)pixels * 4 / (1024.0 * 1024.0));
        }
        if (total > VT_IMAGE_SCENE_MAX_PIXELS && !over) {
            over = true;
            vt_diags_add(diags, VT_DIAG_ERROR, scene->path, l->line, l->col,
                         "layer '%s': with image '%s' (%dx%d), the scene's images decode to "
                         "%.1f Mpx, over the bound of %.0f Mpx for a scene (each file counted "
                         "once%s); make the images smaller or use fewer of them",
                         l->id, l->src, info.width, info.height, (double)total / 1048576.0,
                         (double)VT_IMAGE_SCENE_MAX_PIXELS / 1048576.0,
                         wide ? ", 16-bit ones twice: they are kept at 16 bits for dithering" : "");
        }
    }
    /* Then every file in full, one at a time, unless the total is already refused: a damaged
     * file is found as the renderer would find it. */
    for (size_t i = 0; i < scene->layer_count && (flags & VT_SHOW_IMAGES_DECODE) && !over; i++) {
        vt_image img = {0};
        vt_error err = {0};
        if (readable[i] && vt_image_load(scene->layers[i].src_path, NULL, &img, &err) != VT_OK) {
            image_error(diags, scene, &scene->layers[i], err.message);
        }
        vt_image_free(&img);
    }
    free(readable);
    free(first);
    if (total_pixels) {
        *total_pixels = total;
    }
    return diags->errors > errors ? VT_E_DATAERR : VT_OK;
}

vt_status vt_show_check_tiles(const vt_scene *scene, int max_texture, vt_diags *diags) {
    size_t errors = diags->errors;
    size_t *first = vt_scene_image_first_users(scene);
    for (size_t i = 0; i < scene->layer_count; i++) {
        const vt_layer *l = &scene->layers[i];
        vt_image_info info;
        vt_image_tiling plan;
        vt_error err = {0};
        if (l->type != VT_LAYER_IMAGE || !l->src_path || first[i] != i ||
            vt_image_probe(l->src_path, NULL, &info, &err) != VT_OK) {
            continue; /* vt_show_check_images said what is wrong with it */
        }
        char warning[512];
        if (vt_image_tiling_plan(l->src_path, info.width, info.height, max_texture, &plan, &err) !=
            VT_OK) {
            image_error(diags, scene, l, err.message);
        } else if (vt_render_tiled_shape_warning(l, &plan, max_texture, warning, sizeof warning)) {
            vt_diags_add(diags, VT_DIAG_WARNING, scene->path, l->line, l->col, "%s", warning);
        }
    }
    free(first);
    return diags->errors > errors ? VT_E_DATAERR : VT_OK;
}

/* Decoding the scene's images on a thread, each file once (layer i's result at i). */
static vt_image_batch *start_images(const vt_scene *scene) {
    const char **paths = vt_xcalloc(scene->layer_count + 1, sizeof *paths);
    size_t *first = vt_scene_image_first_users(scene);
    for (size_t i = 0; i < scene->layer_count; i++) {
        const vt_layer *l = &scene->layers[i];
        bool image = l->type == VT_LAYER_IMAGE && l->src_path;
        paths[i] = image && first[i] == i ? l->src_path : NULL; /* each file once */
    }
    vt_image_batch *b = vt_image_batch_start(paths, scene->layer_count);
    free(first);
    free(paths);
    return b;
}

vt_status vt_show_load(vt_show *show, const char *scene_path, const char *events_path) {
    *show = (vt_show){0};
    vt_diags diags = {0};
    vt_scene *scene = NULL;
    vt_status st = vt_scene_load(scene_path, 0, &scene, &diags);
    if (st == VT_OK) {
        st = vt_show_check_images(scene, 0, &diags, NULL);
    }
    if (st == VT_OK && events_path) {
        st = vt_events_load(events_path, &show->events, &show->event_count, &diags);
    }
    vt_diags_sort(&diags);
    vt_diags_print(&diags, stderr);
    if (st == VT_E_NOINPUT && diags.errors == 0) {
        fprintf(stderr, "vitrine: cannot read '%s'\n", scene ? events_path : scene_path);
    }
    vt_diags_free(&diags);
    if (st != VT_OK) {
        vt_scene_destroy(scene);
        vt_show_unload(show);
        return st;
    }
    attach_scene(show, scene);
    show->images = start_images(scene);
    return VT_OK;
}

/* The fallback scene: the image alone, filling a canvas of its own size (at most 3840 px wide
 * or 2160 high, keeping its shape), on black. Its path is the image's, so the image is in the
 * scene's folder. */
vt_status vt_show_load_fallback(vt_show *show, const char *image_path, vt_error *err) {
    *show = (vt_show){0};
    vt_image_info info = {0};
    vt_status st = vt_image_probe(image_path, NULL, &info, err);
    if (st != VT_OK) {
        return st;
    }
    double s = fmin(1.0, fmin(3840.0 / info.width, 2160.0 / info.height));
    int w = (int)fmax(1, lround(info.width * s)), h = (int)fmax(1, lround(info.height * s));
    const char *slash = strrchr(image_path, '/');
    const char *name = slash ? slash + 1 : image_path;
    char quoted[2 * 256 + 1];
    size_t q = 0;
    for (size_t i = 0; name[i] && q + 2 < sizeof quoted; i++) {
        if (name[i] == '"' || name[i] == '\\') {
            quoted[q++] = '\\';
        }
        quoted[q++] = name[i];
    }
    quoted[q] = '\0';
    char *text = vt_xasprintf("format: vitrine/1\ntitle: Vitrine\ncanvas:\n  size: [%d, %d]\n"
                              "  background: \"#000000\"\nlayers:\n  - id: fallback\n"
                              "    type: image\n    src: \"%s\"\n    size: [%d, %d]\n"
                              "    fit: contain\n",
                              w, h, quoted, w, h);
    vt_diags diags = {0};
    vt_scene *scene = NULL;
    st = vt_scene_load_string(text, strlen(text), image_path, 0, &scene, &diags);
    free(text);
    if (st == VT_OK) {
        st = vt_show_check_images(scene, VT_SHOW_IMAGES_STRICT, &diags, NULL);
    }
    if (st != VT_OK) {
        vt_diags_sort(&diags);
        const vt_diag *d = diags.count ? &diags.items[0] : NULL;
        (void)VT_FAIL(err, st, "the fallback image %s cannot be shown%s%s", image_path,
                      d ? ": " : "", d ? d->message : "");
        vt_diags_free(&diags);
        vt_scene_destroy(scene);
        return st;
    }
    vt_diags_free(&diags);
    attach_scene(show, scene);
    show->images = start_images(scene);
    return VT_OK;
}

vt_status vt_show_build(vt_show *show, int target_w, int target_h, vt_error *err) {
    /* FFmpeg's libraries load on another core while the renderer compiles its programs. Not
     * earlier: the loader's lock would hold back the GL driver's own loading, as the window opens
     */
    for (size_t i = 0; i < show->scene->layer_count; i++) {
        if (show->scene->layers[i].type == VT_LAYER_VIDEO) {
            vt_video_preload();
            break;
        }
    }
    vt_renderer_desc desc = {.target_width = target_w, .target_height = target_h};
    vt_status st = vt_renderer_create(&desc, &show->renderer, err);
    if (st != VT_OK) {
        return st;
    }
    vt_renderer_set_max_texture_size(show->renderer, show->max_texture);
    int64_t t0 = vt_now_ns();
    vt_show_films_open(show);
    vt_log(VT_LOG_DEBUG, "render", "%s", vt_renderer_describe(show->renderer));
    vt_image_result *images = vt_image_batch_wait(show->images);
    vt_log(VT_LOG_DEBUG, "render", "images decoded %.1f ms after start of the upload",
           (double)(vt_now_ns() - t0) / 1e6);
    st = vt_renderer_load_scene_decoded(show->renderer, show->scene, images, err);
    vt_image_batch_free(show->images);
    show->images = NULL;
    vt_log(VT_LOG_DEBUG, "render", "images uploaded in %.1f ms", (double)(vt_now_ns() - t0) / 1e6);
    return st;
}

void vt_show_input(vt_show *show, const vt_event *ev, vt_ticks now) {
    vt_player_input(show->player, ev, now);
}

/* One argument of a scripted OSC message: true/false, a number, else a string ("s:" forces a
 * string), as tests/osc_client.py sends them. */
static vt_osc_arg script_arg(char *word) {
    char *end = NULL;
    double v = strtod(word, &end);
    if (strcmp(word, "true") == 0 || strcmp(word, "false") == 0) {
        bool t = word[0] == 't';
        return (vt_osc_arg){.type = t ? 'T' : 'F', .i = t, .f = t};
    }
    if (strncmp(word, "s:", 2) != 0 && end != word && *end == '\0' && isfinite(v)) {
        bool whole = v == floor(v) && fabs(v) < 2147483648.0;
        return (vt_osc_arg){.type = whole ? 'i' : 'f', .i = whole ? (int64_t)v : 0, .f = v};
    }
    word += strncmp(word, "s:", 2) == 0 ? 2 : 0;
    return (vt_osc_arg){.type = 's', .s = word, .len = strlen(word)};
}

/* A scripted OSC message (`SECONDS osc ADDRESS [ARGS]`), applied as play applies a live one:
 * a /vitrine/ command, a visitor, or the scene's osc triggers, so render replays a show
 * controller exactly. Operator commands (budget, reload, status) are play's only. */
static void scripted_osc(vt_show *show, const vt_event *ev, vt_ticks now) {
    char args[sizeof ev->args];
    memcpy(args, ev->args, sizeof args);
    args[sizeof args - 1] = '\0';
    vt_osc_msg m = {.address = ev->name};
    char *save = NULL;
    for (char *w = strtok_r(args, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
        if (m.argc == VT_OSC_MAX_ARGS) {
            vt_log(VT_LOG_WARN, "events",
                   "line %d: %s: more than %d arguments; the rest are left "
                   "out",
                   ev->line, ev->name, VT_OSC_MAX_ARGS);
            break;
        }
        m.args[m.argc++] = script_arg(w);
    }
    vt_remote_cmd cmd;
    switch (vt_remote_decode(show->scene, &m, &cmd)) {
    case VT_REMOTE_ACTION:
        vt_player_action(show->player, &cmd.action, now);
        break;
    case VT_REMOTE_INPUT:
        vt_player_visitor(show->player, now);
        break;
    case VT_REMOTE_FOREIGN:
        vt_player_osc(show->player, ev->name, now);
        break;
    case VT_REMOTE_REFUSED:
        vt_log(VT_LOG_WARN, "events", "line %d: %s", ev->line, cmd.error);
        break;
    default:
        vt_log(VT_LOG_INFO, "events", "line %d: %s is for play only; the script's is left out",
               ev->line, ev->name);
        break;
    }
}

void vt_show_restart(vt_show *show, vt_ticks start) {
    vt_player_destroy(show->player);
    show->player = vt_player_create(show->scene, start);
}

bool vt_show_apply_input(vt_show *show, const vt_osc_msg *m, vt_ticks now) {
    vt_event ev = {.type = VT_EVENT_KEY};
    if (strcmp(m->address, "/vitrine/sync/key") == 0 && m->argc == 1 && m->args[0].type == 's') {
        snprintf(ev.name, sizeof ev.name, "%s", m->args[0].s);
        vt_player_input(show->player, &ev, now);
        return true;
    }
    bool click = strcmp(m->address, "/vitrine/sync/click") == 0;
    if ((click || strcmp(m->address, "/vitrine/sync/touch") == 0) && m->argc == 2) {
        ev = (vt_event){
            .type = click ? VT_EVENT_CLICK : VT_EVENT_TOUCH, .x = m->args[0].f, .y = m->args[1].f};
        vt_player_input(show->player, &ev, now);
        return true;
    }
    vt_remote_cmd cmd;
    switch (vt_remote_decode(show->scene, m, &cmd)) {
    case VT_REMOTE_ACTION:
        vt_player_action(show->player, &cmd.action, now);
        return false;
    case VT_REMOTE_INPUT:
        vt_player_visitor(show->player, now);
        return true;
    case VT_REMOTE_FOREIGN:
        vt_player_osc(show->player, m->address, now);
        return false;
    case VT_REMOTE_REFUSED:
        vt_log(VT_LOG_WARN, "sync", "%s", cmd.error);
        return false;
    default:
        return false;
    }
}

size_t vt_show_script_osc(const vt_event *ev, uint8_t *out, size_t cap) {
    char args[sizeof ev->args];
    memcpy(args, ev->args, sizeof args);
    args[sizeof args - 1] = '\0';
    vt_osc_arg a[VT_OSC_MAX_ARGS];
    size_t n = 0;
    char *save = NULL;
    for (char *w = strtok_r(args, " \t", &save); w && n < VT_OSC_MAX_ARGS;
         w = strtok_r(NULL, " \t", &save)) {
        a[n++] = script_arg(w);
    }
    return vt_osc_encode(out, cap, ev->name, a, n);
}

bool vt_show_update(vt_show *show, vt_ticks now) {
    while (show->next_event < show->event_count && show->events[show->next_event].time <= now) {
        const vt_event *ev = &show->events[show->next_event++];
        if (ev->type == VT_EVENT_OSC) {
            scripted_osc(show, ev, now);
        } else {
            vt_player_input(show->player, ev, now);
        }
    }
    bool changed = vt_player_update(show->player, now, show->props);
    const vt_scene *sc = show->scene;
    size_t n = 0;
    for (size_t i = 0; i < sc->layer_count; i++) {
        if (show->props[i].visible && show->props[i].opacity > 0) {
            show->items[n] = (vt_draw_item){.layer = (uint32_t)i, .props = show->props[i]};
            text_of(show, (uint32_t)i, &show->items[n]);
            shader_of(show, (uint32_t)i, now, &show->items[n]);
            n++;
        }
    }
    show->item_count = n;
    if (show->films && !show->films_idle && vt_show_films_update(show, now)) {
        changed = true;
    }
    return changed;
}

vt_ticks vt_show_next_change(const vt_show *show, vt_ticks now) {
    vt_ticks t = vt_player_next_change(show->player, now);
    if (show->next_event < show->event_count && show->events[show->next_event].time < t) {
        t = show->events[show->next_event].time;
    }
    if (show->films) {
        vt_ticks f = vt_show_films_next_change(show, now);
        t = f < t ? f : t;
    }
    return t;
}

/* Every image of the new version decoded, or an error at each layer whose file cannot be: a
 * reload never swaps a checkerboard in for a file caught half-written. */
static vt_status decode_strict(const vt_scene *next, vt_image_batch **out, vt_diags *diags) {
    *out = NULL;
    vt_status st = vt_show_check_images(next, VT_SHOW_IMAGES_STRICT, diags, NULL);
    if (st != VT_OK) {
        return st;
    }
    vt_image_batch *b = start_images(next);
    vt_image_result *res = vt_image_batch_wait(b);
    for (size_t i = 0; i < next->layer_count; i++) {
        const vt_layer *l = &next->layers[i];
        if (l->type == VT_LAYER_IMAGE && res[i].status != VT_OK) {
            image_error(diags, next, l, res[i].error.message);
            st = VT_E_DATAERR;
        }
    }
    if (st != VT_OK) {
        vt_image_batch_free(b);
        return st;
    }
    *out = b;
    return VT_OK;
}

vt_status vt_show_swap(vt_show *show, vt_scene *next, vt_ticks now, vt_diags *diags,
                       vt_error *err) {
    vt_image_batch *images = NULL;
    size_t errors = diags->errors;
    vt_renderer_check_shaders(show->renderer, next, diags);
    if (diags->errors > errors) {
        /* the running version keeps playing until its shaders compile */
        vt_diags_sort(diags);
        vt_scene_destroy(next);
        return VT_FAIL(err, VT_E_DATAERR, "a shader of the new version does not compile");
    }
    vt_status st = decode_strict(next, &images, diags);
    if (st != VT_OK) {
        vt_diags_sort(diags);
        vt_scene_destroy(next);
        return VT_FAIL(err, st, "an image of the new version cannot be used");
    }
    st = vt_renderer_load_scene_decoded(show->renderer, next, vt_image_batch_wait(images), err);
    vt_image_batch_free(images);
    if (st != VT_OK) {
        vt_scene_destroy(next);
        return st;
    }
    vt_show_films_close(show->films, show->scene->layer_count);
    show->films = NULL;
    vt_player *old_player = show->player;
    vt_scene *old_scene = show->scene;
    free(show->props);
    free(show->items);
    free(show->sounds); /* the audio rebuilds at its next update, keeping sounds still there */
    attach_scene(show, next);
    vt_player_carry_over(show->player, old_player, now);
    vt_show_films_open(show); /* in the language carried over */
    vt_player_destroy(old_player);
    vt_scene_destroy(old_scene);
    return VT_OK;
}

vt_status vt_show_audio_open(vt_show *show, const vt_audio_desc *desc, vt_error *err) {
    return vt_audio_create(desc, show->scene, &show->audio, err);
}

void vt_show_audio_update(vt_show *show, vt_ticks now, bool silent) {
    if (!show->audio) {
        return;
    }
    if (silent) {
        memset(show->sounds, 0, show->scene->sound_count * sizeof *show->sounds);
    } else {
        vt_player_sounds(show->player, show->sounds);
    }
    vt_audio_update(show->audio, show->scene, show->sounds, now);
}

vt_ticks vt_show_audio_deadline(const vt_show *show, vt_ticks now) {
    if (!show->audio) {
        return INT64_MAX;
    }
    vt_ticks a = vt_audio_next_deadline(show->audio, now);
    vt_ticks p = vt_player_next_sound_change(show->player, now);
    return a < p ? a : p;
}

void vt_show_unload(vt_show *show) {
    vt_show_films_close(show->films, show->scene ? show->scene->layer_count : 0);
    vt_audio_destroy(show->audio);
    vt_image_batch_free(show->images);
    vt_renderer_destroy(show->renderer);
    detach_scene(show);
    free(show->events);
    *show = (vt_show){0};
}
