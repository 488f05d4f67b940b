/* `vitrine play`: the scene in a window, in real time. The loop draws only when the picture
 * changes and otherwise sleeps until the next deadline (scripted event, --quit-after) or input:
 * a still scene costs next to nothing. */
#include "app/app_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct play_loop {
    const vt_options *opts;
    vt_show show;
    vt_window *win;
    int64_t start_ns;
    int64_t quit_ns; /* INT64_MAX: never */
    bool dirty;      /* the window must be redrawn */
    bool quit;
    uint64_t frames_drawn;
} play_loop;

static void window_size_for(const vt_options *opts, const vt_scene *sc, int *w, int *h) {
    if (opts->width > 0) {
        *w = opts->width;
        *h = opts->height;
        return;
    }
    /* The canvas, shrunk to fit a 1280x720 window when larger. */
    double s = 1.0;
    if (sc->width > 1280 || sc->height > 720) {
        double sx = 1280.0 / sc->width, sy = 720.0 / sc->height;
        s = sx < sy ? sx : sy;
    }
    *w = (int)(sc->width * s + 0.5);
    *h = (int)(sc->height * s + 0.5);
}

static vt_ticks scene_now(const play_loop *p) {
    int64_t ns = vt_now_ns() - p->start_ns;
    /* Whole seconds apart so that months of uptime cannot overflow. */
    return (ns / 1000000000) * VT_TICKS_PER_SEC +
           (ns % 1000000000) * (VT_TICKS_PER_SEC / 100000) / 10000;
}

/* Window pixels -> canvas pixels through the letterbox the renderer presents with. */
static void to_canvas(const play_loop *p, vt_event *ev) {
    int ww = 1, wh = 1;
    vt_window_drawable_size(p->win, &ww, &wh);
    const vt_scene *sc = p->show.scene;
    double sx = (double)ww / sc->width, sy = (double)wh / sc->height;
    double s = sx < sy ? sx : sy;
    ev->x = (ev->x - (ww - sc->width * s) / 2) / s;
    ev->y = (ev->y - (wh - sc->height * s) / 2) / s;
}

static void handle_input(play_loop *p, vt_event *ev) {
    switch (ev->type) {
    case VT_EVENT_QUIT:
        p->quit = true;
        break;
    case VT_EVENT_KEY:
        if (strcmp(ev->name, "escape") == 0 && !p->opts->fullscreen) {
            p->quit = true;
        }
        vt_log(VT_LOG_DEBUG, "input", "key %s", ev->name);
        break;
    case VT_EVENT_CLICK:
    case VT_EVENT_TOUCH:
        to_canvas(p, ev);
        vt_log(VT_LOG_DEBUG, "input", "%s at %.0f, %.0f", ev->type == VT_EVENT_CLICK ? "click"
               : "touch", ev->x, ev->y);
        break;
    case VT_EVENT_RESIZE:
    case VT_EVENT_EXPOSE:
        p->dirty = true;
        break;
    case VT_EVENT_NONE:
        break;
    }
}

/* Render at the window's resolution when it is smaller than the canvas: the picture on screen
 * is the same, and the pixels not drawn cost neither time nor energy. */
static double window_scale(const play_loop *p, int ww, int wh) {
    const vt_scene *sc = p->show.scene;
    double sx = (double)ww / sc->width, sy = (double)wh / sc->height;
    double s = sx < sy ? sx : sy;
    return s > 1.0 ? 1.0 : s < 0.01 ? 0.01 : s;
}

static void draw(play_loop *p) {
    int ww = 0, wh = 0;
    vt_window_drawable_size(p->win, &ww, &wh);
    vt_renderer_draw(p->show.renderer, p->show.scene, p->show.items, p->show.item_count,
                     window_scale(p, ww, wh));
    vt_renderer_present(p->show.renderer, ww, wh);
    vt_window_swap(p->win);
    if (p->frames_drawn++ == 0) {
        vt_log(VT_LOG_DEBUG, "play", "first frame presented %.1f ms after start",
               (double)(vt_now_ns() - p->opts->start_ns) / 1e6);
    }
    p->dirty = false;
}

static int64_t next_deadline_ns(const play_loop *p) {
    vt_ticks t = vt_show_next_deadline(&p->show);
    int64_t d = p->quit_ns;
    if (t != INT64_MAX) {
        int64_t ns = p->start_ns + (int64_t)(vt_ticks_to_seconds(t) * 1e9);
        d = ns < d ? ns : d;
    }
    return d;
}

static void run(play_loop *p) {
    while (!p->quit) {
        vt_event ev;
        while (vt_platform_poll(p->win, &ev)) {
            handle_input(p, &ev);
        }
        if (p->quit) {
            break;
        }
        if (vt_show_update(&p->show, scene_now(p))) {
            p->dirty = true;
        }
        if (p->dirty) {
            draw(p);
        }
        /* After drawing: even --quit-after 0 shows (and times) the first frame. */
        if (vt_now_ns() >= p->quit_ns) {
            break;
        }
        vt_platform_wait(p->win, next_deadline_ns(p));
    }
}

int vt_cmd_play(const vt_options *opts) {
    play_loop p = {.opts = opts, .quit_ns = INT64_MAX};
    vt_status st = vt_show_load(&p.show, opts->inputs[0], opts->events);
    if (st != VT_OK) {
        return st;
    }
    vt_error err = {0};
    vt_window_desc wd = {.title = p.show.scene->title ? p.show.scene->title : "Vitrine",
                         .fullscreen = opts->fullscreen, .display = (int)opts->display};
    window_size_for(opts, p.show.scene, &wd.width, &wd.height);
    st = vt_platform_init(false, &err);
    if (st == VT_OK) {
        st = vt_window_create(&wd, &p.win, &err);
        vt_log(VT_LOG_DEBUG, "play", "window and GL context ready at %.1f ms",
               (double)(vt_now_ns() - opts->start_ns) / 1e6);
    }
    if (st == VT_OK) {
        st = vt_show_build(&p.show, p.show.scene->width, p.show.scene->height, &err);
        vt_log(VT_LOG_DEBUG, "play", "scene built (images decoded, textures made) at %.1f ms",
               (double)(vt_now_ns() - opts->start_ns) / 1e6);
    }
    if (st == VT_OK) {
        p.start_ns = vt_now_ns();
        if (opts->quit_after >= 0) {
            p.quit_ns = p.start_ns + (int64_t)(opts->quit_after * 1e9);
        }
        p.dirty = true;
        run(&p);
        vt_log(VT_LOG_DEBUG, "play", "%llu frames drawn", (unsigned long long)p.frames_drawn);
    } else {
        fprintf(stderr, "vitrine: %s\n", err.message);
    }
    vt_show_unload(&p.show);
    vt_window_destroy(p.win);
    vt_platform_quit();
    return st;
}
