/* The show's films: each video layer's film (its current language's when it has one per
 * language) opened for the way the show runs (play: decoded ahead on a worker thread; render:
 * frame-exact, decoded forward or after a seek), the film time each frame asks for (the scene's
 * time, or its timeline's from `at`; wrapped when it loops), and when the next picture is due, so
 * that `play` draws a film at its own frame rate and sleeps over a paused or ended one. */
#include "app/app_internal.h"

#include <stdlib.h>

/* How long a live film just opened may make the frame wait for its first picture. */
#define FIRST_PICTURE_WAIT_MS 250

static const vt_video_info *info_of(const vt_show_film *f) {
    return f->live ? vt_video_live_info(f->live) : f->film ? vt_video_info_of(f->film) : NULL;
}

/* The film layer `i` shows now: its `src`, or the current language's (like translations). */
static const char *path_of(const vt_show *show, size_t i) {
    const vt_layer *l = &show->scene->layers[i];
    if (l->variant_count == 0) {
        return l->src_path;
    }
    const vt_text_variant *v = vt_player_text_variant(show->player, (uint32_t)i);
    return v ? v->src_path : NULL;
}

/* (Re)opens layer i's film for `path` (NULL: none). A film that cannot be opened is one warning
 * and a placeholder (its box 256 x 256 without a size, as a broken image's). */
static void open_film(vt_show *show, size_t i, const char *path) {
    vt_layer *l = &show->scene->layers[i];
    vt_show_film *f = &show->films[i];
    vt_video_close(f->film);
    vt_video_live_close(f->live);
    *f = (vt_show_film){.path = path, .opened = true};
    vt_error err = {0};
    vt_status st = VT_E_NOINPUT;
    if (path) {
        st = show->live_films ? vt_video_live_open(path, l->loop, &f->live, &err)
                              : vt_video_open(path, &f->film, &err);
    }
    if (st != VT_OK) {
        if (path) {
            vt_log(VT_LOG_WARN, "video", "layer '%s': %s; a placeholder is shown", l->id,
                   err.message);
        }
        if (!l->has_size) {
            l->props.size = (vt_vec2){256, 256};
        }
        return;
    }
    const vt_video_info *info = info_of(f);
    vt_log(VT_LOG_DEBUG, "video", "layer '%s': %s, %s %s %dx%d, %d/%d fps, %s decoding", l->id,
           path, info->container, info->codec, info->width, info->height, info->fps_num,
           info->fps_den, info->decoding);
    if (!l->has_size) {
        l->props.size = (vt_vec2){info->display_width, info->height};
    }
}

void vt_show_films_open(vt_show *show) {
    vt_scene *scene = show->scene;
    show->films = vt_xcalloc(scene->layer_count + 1, sizeof *show->films);
    for (size_t i = 0; i < scene->layer_count; i++) {
        if (scene->layers[i].type == VT_LAYER_VIDEO) {
            open_film(show, i, path_of(show, i));
        }
    }
}

void vt_show_films_close(vt_show_film *films, size_t count) {
    for (size_t i = 0; films && i < count; i++) {
        vt_video_close(films[i].film);
        vt_video_live_close(films[i].live);
    }
    free(films);
}

/* The film time layer `l` shows at scene time `now`, and whether the film is running (its
 * pictures change with time). Before its timeline reaches `at` (or before the timeline ever
 * started) a film shows its first picture, still. Live looping films are not wrapped here. */
static vt_ticks film_time(const vt_show *show, const vt_layer *l, const vt_video_info *info,
                          bool live, vt_ticks now, bool *running) {
    vt_ticks t = now;
    *running = true;
    if (l->timeline != UINT32_MAX) {
        bool playing = false;
        t = vt_player_timeline_time(show->player, l->timeline, &playing) - l->at;
        *running = playing && t >= 0;
    }
    t = t < 0 ? 0 : t;
    if (l->loop && !live) {
        t %= info->duration;
    }
    return t;
}

/* A live film's picture for film time t. While it has none yet (just opened: the show's start,
 * a language switch, a reload) its first one is waited for, briefly, rather than drawing the
 * placeholder for a frame. */
static const vt_video_frame *live_frame(vt_video_live *live, vt_ticks t, bool *failed) {
    const vt_video_frame *frame = vt_video_live_frame(live, t, failed);
    for (int i = 0; !frame && !*failed && i < FIRST_PICTURE_WAIT_MS; i++) {
        vt_sleep_until_ns(vt_now_ns() + 1000000);
        frame = vt_video_live_frame(live, t, failed);
    }
    return frame;
}

bool vt_show_films_update(vt_show *show, vt_ticks now) {
    bool changed = false;
    for (size_t n = 0; n < show->item_count; n++) {
        vt_draw_item *item = &show->items[n];
        const vt_layer *l = &show->scene->layers[item->layer];
        vt_show_film *f = &show->films[item->layer];
        if (l->type != VT_LAYER_VIDEO) {
            continue;
        }
        const char *path = path_of(show, item->layer);
        if (f->opened && path != f->path) {
            open_film(show, item->layer, path); /* the language changed */
            changed = true;
        }
        const vt_video_info *info = info_of(f);
        if (!info) {
            continue;
        }
        bool running;
        vt_ticks t = film_time(show, l, info, f->live != NULL, now, &running);
        const vt_video_frame *frame = NULL;
        if (f->live) {
            vt_video_live_set_drawn_rate(f->live, show->drawn_fps);
            frame = live_frame(f->live, t, &f->failed);
        } else {
            vt_error err = {0};
            if (vt_video_frame_at(f->film, t, &frame, &err) != VT_OK && !f->warned) {
                f->warned = true;
                vt_log(VT_LOG_WARN, "video", "layer '%s': %s", l->id, err.message);
            }
        }
        item->video = frame;
        uint64_t serial = frame ? frame->serial : 0;
        if (frame != f->shown || serial != f->serial) {
            changed = true;
            f->shown = frame;
            f->serial = serial;
        }
    }
    return changed;
}

vt_ticks vt_show_films_next_change(const vt_show *show, vt_ticks now) {
    vt_ticks next = INT64_MAX;
    for (size_t n = 0; n < show->item_count; n++) {
        const vt_draw_item *item = &show->items[n];
        const vt_layer *l = &show->scene->layers[item->layer];
        const vt_show_film *f = &show->films[item->layer];
        const vt_video_info *info = info_of(f);
        if (l->type != VT_LAYER_VIDEO || !info || (f->failed && !f->shown)) {
            continue; /* no film, or one without a picture: nothing will change */
        }
        bool running;
        vt_ticks t = film_time(show, l, info, f->live != NULL, now, &running);
        vt_ticks c = INT64_MAX;
        if (running) {
            vt_ticks ft = vt_video_next_change(info, t, l->loop);
            c = ft == INT64_MAX ? INT64_MAX : now + (ft - t);
        } else if (l->timeline != UINT32_MAX) {
            bool playing = false;
            vt_ticks tl = vt_player_timeline_time(show->player, l->timeline, &playing);
            c = playing && tl < l->at ? now + (l->at - tl) : INT64_MAX; /* the film starts */
        }
        next = c < next ? c : next;
    }
    return next;
}
