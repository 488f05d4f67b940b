/* The show: a loaded scene in motion (its player), its GPU side and its scripted input, stepped
 * frame by frame. What `play` and `render` share, so that an offline preview is what visitors
 * see. */
#include "app/app_internal.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

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

vt_status vt_show_check_images(const vt_scene *scene, unsigned flags, vt_diags *diags,
                               uint64_t *total_pixels) {
    uint64_t total = 0;
    bool over = false, strict = flags & VT_SHOW_IMAGES_STRICT;
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
        total += pixels;
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
                         "once); make the images smaller or use fewer of them",
                         l->id, l->src, info.width, info.height, (double)total / 1048576.0,
                         (double)VT_IMAGE_SCENE_MAX_PIXELS / 1048576.0);
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

vt_status vt_show_build(vt_show *show, int target_w, int target_h, vt_error *err) {
    vt_renderer_desc desc = {.target_width = target_w, .target_height = target_h};
    vt_status st = vt_renderer_create(&desc, &show->renderer, err);
    if (st != VT_OK) {
        return st;
    }
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

bool vt_show_update(vt_show *show, vt_ticks now) {
    while (show->next_event < show->event_count && show->events[show->next_event].time <= now) {
        vt_player_input(show->player, &show->events[show->next_event++], now);
    }
    bool changed = vt_player_update(show->player, now, show->props);
    const vt_scene *sc = show->scene;
    size_t n = 0;
    for (size_t i = 0; i < sc->layer_count; i++) {
        if (show->props[i].visible && show->props[i].opacity > 0) {
            show->items[n] = (vt_draw_item){.layer = (uint32_t)i, .props = show->props[i]};
            text_of(show, (uint32_t)i, &show->items[n]);
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
