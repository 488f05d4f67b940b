/* `vitrine play`: the scene in a window, in real time. The loop draws only when the picture
 * changes, paces animation at the scene's frame rate by sleeping, and otherwise sleeps until the
 * next deadline (a key of a timeline, a timeout, a scripted event, --quit-after), input or a
 * file change: a still scene costs next to nothing. Saving the scene or one of its images
 * reloads it (hot reload); a broken edit keeps the running scene and prints every problem. */
#include "app/app_internal.h"
#include "app/energy_log_internal.h"
#include "app/play_internal.h"
#include "platform/vt_watch.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

typedef struct play_loop {
    const vt_options *opts;
    vt_show show;
    vt_window *win;
    vt_watch *watch; /* NULL when hot reload is unavailable */
    vt_config config;
    vt_settings settings; /* flag, else config, else scene: resolved at start and each reload */
    vt_energy_session energy;
    vt_energy_log log;              /* --energy-log: one row a second */
    vt_display_power display_power; /* outside_hours: display-off */
    bool input;                     /* a visitor acted since the last frame */
    bool closed;                    /* outside opening hours: nothing is drawn */
    int64_t reopen_ns;      /* monotonic time of the next opening-hours change; INT64_MAX: none */
    int64_t woken_until_ns; /* wake_on_input: open until then although outside hours */
    int64_t start_ns;
    int64_t quit_ns;       /* INT64_MAX: never */
    int64_t next_frame_ns; /* pacing while animating */
    int64_t next_sound_ns; /* the sound needs an update then, even without a frame */
    bool audio_opened;     /* open_audio has run (just after the first frame) */
    bool dirty;            /* the window must be redrawn */
    bool quit;
    uint64_t frames_drawn, reloads;
    int64_t retry_ns; /* an image could not be decoded at reload: try again then (INT64_MAX) */
    int retries;      /* tries since the last change of the files */
} play_loop;

/* How many times a reload refused for an image is tried again without a new change. */
#define RELOAD_RETRIES 3

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

static vt_ticks ns_to_ticks(int64_t ns) {
    /* Whole seconds apart so that months of uptime cannot overflow. */
    return (ns / 1000000000) * VT_TICKS_PER_SEC +
           (ns % 1000000000) * (VT_TICKS_PER_SEC / 100000) / 10000;
}

static int64_t ticks_to_ns(vt_ticks t) {
    return (t / VT_TICKS_PER_SEC) * 1000000000 +
           (t % VT_TICKS_PER_SEC) * 10000 / (VT_TICKS_PER_SEC / 100000);
}

static vt_ticks scene_now(const play_loop *p) {
    return ns_to_ticks(vt_now_ns() - p->start_ns);
}

/* The opening hours in force: the operator's config wins over the scene. */
static const vt_schedule *schedule_of(const play_loop *p) {
    return p->settings.schedule;
}

/* Every operator setting from the flags, else the config, else the (current) scene. */
static void resolve_settings(play_loop *p) {
    const vt_options *o = p->opts;
    p->settings = (vt_settings){.power_sensor = o->power_sensor,
                                .budget_watts = o->budget_watts > 0 ? o->budget_watts : 0,
                                .energy_log = o->energy_log,
                                .audio_device = o->audio_device};
    vt_settings_resolve(&p->settings, &p->config, p->show.scene);
}

/* Outside opening hours the window goes black and the loop sleeps until the next opening (or a
 * visitor, with wake_on_input). Re-evaluated at each change, so DST nights and closed days
 * follow the time-zone database. */
static void check_hours(play_loop *p, int64_t now_ns) {
    if (now_ns < p->reopen_ns) {
        return;
    }
    const vt_schedule *s = schedule_of(p);
    time_t now = time(NULL), next = VT_SCHEDULE_NEVER;
    bool open = vt_schedule_open_at(s, now, &next) || s->outside_hours == VT_OUTSIDE_RUN ||
                now_ns < p->woken_until_ns;
    int64_t until = next == VT_SCHEDULE_NEVER || next - now > INT64_C(9000000000)
                        ? INT64_MAX
                        : now_ns + (int64_t)(next - now) * 1000000000;
    if (now_ns < p->woken_until_ns && p->woken_until_ns < until) {
        until = p->woken_until_ns;
    }
    p->reopen_ns = until;
    if (!open && !p->closed) {
        if (s->outside_hours == VT_OUTSIDE_DISPLAY_OFF) {
            vt_display_power_set(&p->display_power, true, now_ns);
        }
        vt_log(VT_LOG_INFO, "play", "outside opening hours: blank until %s",
               next == VT_SCHEDULE_NEVER ? "the schedule changes" : "the next opening");
        p->closed = true;
    } else if (open && p->closed) {
        vt_log(VT_LOG_INFO, "play", "%s",
               now_ns < p->woken_until_ns ? "a visitor woke the exhibit outside opening hours: "
                                            "playing until idleness sends it back to sleep"
                                          : "opening hours: playing");
        if (p->display_power.off) {
            vt_display_power_set(&p->display_power, false, now_ns);
        }
        p->closed = false;
        p->dirty = true;
    }
}

/* The brightness control's next look at its ddcutil child (reaped then): while closed, nothing
 * else wakes the loop for it, with or without --energy-log. */
static int64_t brightness_due_ns(const play_loop *p) {
    return p->energy.brightness ? p->energy.brightness_due_ns : INT64_MAX;
}

/* The ledger's row and the display commands' reaping, when due. */
static void chores(play_loop *p, int64_t now_ns) {
    vt_display_power_poll(&p->display_power, now_ns);
    if (now_ns >= vt_energy_log_deadline(&p->log) || now_ns >= brightness_due_ns(p)) {
        vt_energy_session_tick(&p->energy, now_ns);
        const vt_states *st = &p->show.scene->states;
        uint32_t i = vt_player_state(p->show.player);
        const char *state = p->closed ? "closed" : i < st->count ? st->names[i] : "active";
        vt_energy_log_tick(&p->log, &p->energy, now_ns, state, p->frames_drawn);
    }
}

static int64_t chores_deadline(const play_loop *p) {
    int64_t a = vt_energy_log_deadline(&p->log), b = vt_display_power_deadline(&p->display_power);
    int64_t c = brightness_due_ns(p);
    return a < b ? (a < c ? a : c) : (b < c ? b : c);
}

static void draw_closed(play_loop *p) {
    int ww = 0, wh = 0;
    vt_window_drawable_size(p->win, &ww, &wh);
    vt_renderer_present_black(p->show.renderer, ww, wh);
    vt_window_swap(p->win);
    p->dirty = false;
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

/* A visitor in a closed room wakes the exhibit, with wake_on_input, for as long as idleness
 * allows. */
static void wake_for_visitor(play_loop *p) {
    if (!p->closed || !schedule_of(p)->wake_on_input) {
        return;
    }
    vt_ticks idle = p->show.scene->states.idle_after;
    p->woken_until_ns = vt_now_ns() + (idle > 0 ? ticks_to_ns(idle) : INT64_C(60000000000));
    p->reopen_ns = vt_now_ns();
}

/* When the next scripted visitor (--events) acts, in monotonic ns; INT64_MAX: none. A script
 * replays visitors, so one wakes a closed exhibit as a live one would. */
static int64_t next_scripted_ns(const play_loop *p) {
    const vt_show *s = &p->show;
    if (s->next_event >= s->event_count) {
        return INT64_MAX;
    }
    return p->start_ns + ticks_to_ns(s->events[s->next_event].time);
}

static void handle_input(play_loop *p, vt_event *ev) {
    switch (ev->type) {
    case VT_EVENT_QUIT:
        p->quit = true;
        return;
    case VT_EVENT_KEY:
        if (strcmp(ev->name, "escape") == 0 && !p->opts->fullscreen) {
            p->quit = true;
            return;
        }
        break;
    case VT_EVENT_CLICK:
    case VT_EVENT_TOUCH:
        to_canvas(p, ev);
        break;
    case VT_EVENT_RESIZE:
    case VT_EVENT_EXPOSE:
        p->dirty = true;
        return;
    case VT_EVENT_NONE:
        return;
    }
    p->input = true;
    wake_for_visitor(p);
    vt_show_input(&p->show, ev, scene_now(p));
}

/* Render at the window's resolution when it is smaller than the canvas: the picture on screen
 * is the same, and the pixels not drawn cost neither time nor energy. */
static double window_scale(const play_loop *p, int ww, int wh) {
    const vt_scene *sc = p->show.scene;
    double sx = (double)ww / sc->width, sy = (double)wh / sc->height;
    double s = sx < sy ? sx : sy;
    return s > 1.0 ? 1.0 : s < 0.01 ? 0.01 : s;
}

static void draw(play_loop *p, double governed_scale) {
    int ww = 0, wh = 0;
    vt_window_drawable_size(p->win, &ww, &wh);
    double scale = window_scale(p, ww, wh) * governed_scale;
    vt_renderer_draw(p->show.renderer, p->show.scene, p->show.items, p->show.item_count, scale);
    const vt_scene *sc = p->show.scene;
    vt_energy_session_drew(&p->energy, sc->width * scale * sc->height * scale);
    vt_renderer_present(p->show.renderer, ww, wh);
    vt_window_swap(p->win);
    if (p->frames_drawn++ == 0) {
        vt_log(VT_LOG_DEBUG, "play", "first frame presented %.1f ms after start",
               (double)(vt_now_ns() - p->opts->start_ns) / 1e6);
    }
    p->dirty = false;
}

/* The files whose change reloads the scene: the scene file and every image and sound it uses. */
static void watch_scene_files(play_loop *p) {
    if (!p->watch) {
        return;
    }
    /* The scene and every file it names: images, font files, captions and sounds. */
    const vt_scene *sc = p->show.scene;
    size_t cap = 1 + sc->sound_count;
    for (size_t i = 0; i < sc->layer_count; i++) {
        cap += 2 + sc->layers[i].variant_count;
    }
    const char **paths = vt_xcalloc(cap, sizeof *paths);
    size_t n = 0;
    paths[n++] = sc->path;
    for (size_t i = 0; i < sc->layer_count; i++) {
        const vt_layer *l = &sc->layers[i];
        if (l->src_path) {
            paths[n++] = l->src_path;
        }
        if (l->text.font_path) {
            paths[n++] = l->text.font_path;
        }
        for (size_t v = 0; v < l->variant_count; v++) {
            if (l->variants[v].src_path) {
                paths[n++] = l->variants[v].src_path;
            }
        }
    }
    for (size_t i = 0; i < sc->sound_count; i++) {
        if (sc->sounds[i].src_path) {
            paths[n++] = sc->sounds[i].src_path;
        }
    }
    vt_watch_set_files(p->watch, paths, n);
    free(paths);
}

/* The file's base name: the banner has one line, read from across the room. */
static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* The banner's line: the first error as "scene.yaml:12:7: what is wrong" (diags sorted), and
 * how many more there are; `fallback` when no error has a position (a failed swap). */
static void banner_message(const vt_diags *d, const char *path, const char *fallback, char *out,
                           size_t size) {
    const vt_diag *g = NULL;
    for (size_t i = 0; i < d->count && !g; i++) {
        g = d->items[i].level == VT_DIAG_ERROR ? &d->items[i] : NULL;
    }
    if (!g) {
        snprintf(out, size, "%s: %s", base_name(path), fallback);
        return;
    }
    char at[32] = ""; /* ":line:col", ":line" or nothing, as vt_diags_print writes them */
    if (g->line > 0 && g->col > 0) {
        snprintf(at, sizeof at, ":%d:%d", g->line, g->col);
    } else if (g->line > 0) {
        snprintf(at, sizeof at, ":%d", g->line);
    }
    int n = snprintf(out, size, "%s%s: %s", base_name(g->path), at, g->message);
    if (d->errors > 1 && n >= 0 && (size_t)n < size) {
        snprintf(out + n, size - (size_t)n, " (and %zu more problem%s: see the log)", d->errors - 1,
                 d->errors > 2 ? "s" : "");
    }
}

/* A red strip across the top of the window says what is wrong until a good version is saved. */
static void show_failure(play_loop *p, const vt_diags *d, const char *fallback) {
    char msg[1024];
    banner_message(d, p->opts->inputs[0], fallback, msg, sizeof msg);
    vt_log(VT_LOG_DEBUG, "play", "the window shows: %s", msg);
    vt_renderer_set_banner(p->show.renderer, (vt_color){200, 40, 40, 255}, msg);
    p->dirty = true;
}

static void reload(play_loop *p) {
    vt_diags diags = {0};
    vt_scene *next = NULL;
    vt_status st = vt_scene_load(p->opts->inputs[0], 0, &next, &diags);
    vt_diags_sort(&diags);
    vt_diags_print(&diags, stderr);
    if (st != VT_OK) {
        vt_log(VT_LOG_WARN, "play",
               "%s was not reloaded: %s; the previous version keeps "
               "playing",
               p->opts->inputs[0],
               st == VT_E_NOINPUT ? "it cannot be read" : "fix the errors above and save again");
        show_failure(p, &diags, st == VT_E_NOINPUT ? "it cannot be read" : "see the log");
        vt_diags_free(&diags);
        return;
    }
    vt_diags_free(&diags);
    vt_error err = {0};
    if (vt_show_swap(&p->show, next, scene_now(p), &diags, &err) != VT_OK) {
        vt_diags_print(&diags, stderr);
        /* An image caught half-written is tried again once the quiet period has passed,
         * a few times, even if no further change of the file is seen. */
        bool retry = diags.errors > 0 && p->retries < RELOAD_RETRIES;
        vt_log(VT_LOG_WARN, "play", "%s was not reloaded: %s; the previous version keeps playing%s",
               p->opts->inputs[0], err.message, retry ? " (trying again shortly)" : "");
        show_failure(p, &diags, err.message);
        vt_diags_free(&diags);
        if (retry) {
            p->retries++;
            p->retry_ns = vt_now_ns() + VT_WATCH_QUIET_NS;
        }
        return;
    }
    vt_diags_print(&diags, stderr); /* warnings about the new version's images */
    vt_diags_free(&diags);
    p->retries = 0;
    resolve_settings(p); /* the schedule and budget may be the new scene's (and the old is gone) */
    p->reopen_ns = 0;    /* new hours are looked at now, not at the old ones' next change */
    vt_renderer_set_banner(p->show.renderer, (vt_color){0, 0, 0, 0}, NULL);
    /* The new version's energy block takes effect too (the governor learns again). */
    vt_energy_desc ed;
    vt_settings_energy_room room;
    vt_settings_energy_desc(&p->settings, &p->config, p->show.scene, &ed, &room);
    if (vt_energy_session_reload(&p->energy, &ed, &err) != VT_OK) {
        vt_log(VT_LOG_WARN, "energy", "%s; keeping the previous energy settings", err.message);
    }
    p->reloads++;
    p->dirty = true;
#ifdef __GLIBC__
    malloc_trim(0); /* hand the old scene's memory back: a show reloads for months */
#endif
    watch_scene_files(p);
    vt_log(VT_LOG_INFO, "play", "reloaded %s", p->opts->inputs[0]);
}

/* When the next frame is due: one period after the last while animating (at the governor's
 * frame rate), else the scene's next change; INT64_MAX when nothing will change. Other wake-ups
 * (input, file events, the meter's poller writing beside the scene) never draw extra frames. */
static void schedule_next_frame(play_loop *p, vt_ticks now, int64_t now_ns) {
    vt_ticks next = vt_show_next_change(&p->show, now);
    if (next <= now) {
        int fps = p->energy.setting.fps > 0 ? p->energy.setting.fps : p->show.scene->fps;
        int64_t period = 1000000000 / fps;
        p->next_frame_ns += period;
        if (p->next_frame_ns < now_ns - period) {
            p->next_frame_ns = now_ns; /* fell behind: do not try to catch up */
        }
    } else {
        p->next_frame_ns = next == INT64_MAX ? INT64_MAX : p->start_ns + ticks_to_ns(next);
    }
}

/* Sound on the device the operator names (--audio-device, else the config's), at the config's
 * bus levels; no device is a warning: the show runs silent and retries. */
static void open_audio(play_loop *p) {
    const vt_config *c = &p->config;
    p->audio_opened = true;
    if (c->audio.disabled) {
        vt_log(VT_LOG_INFO, "audio", "sound is off (audio.enabled: false in the operator config)");
        return;
    }
    vt_audio_bus_level *levels = vt_xcalloc(c->audio.bus_count + 1, sizeof *levels);
    for (size_t i = 0; i < c->audio.bus_count; i++) {
        levels[i] = (vt_audio_bus_level){c->audio.buses[i].name, c->audio.buses[i].level};
    }
    vt_audio_desc ad = {.mode = VT_AUDIO_LIVE,
                        .device = p->settings.audio_device,
                        .buses = levels,
                        .bus_count = c->audio.bus_count};
    vt_error err = {0};
    if (vt_show_audio_open(&p->show, &ad, &err) != VT_OK) {
        vt_log(VT_LOG_WARN, "audio", "%s; the show runs silent", err.message);
    }
    free(levels);
}

#define SOUND_STEP_NS INT64_C(20000000)

/* Sound between frames: a cue, a device retry, a drift check. The player is advanced without
 * drawing; a picture change it finds is drawn at once. */
static void update_sound(play_loop *p, vt_ticks now, int64_t now_ns, bool frame) {
    if (!frame && now_ns >= p->next_sound_ns && vt_show_update(&p->show, now)) {
        p->dirty = true;
    }
    if (frame || now_ns >= p->next_sound_ns) {
        vt_show_audio_update(&p->show, now, false);
        vt_ticks next = vt_show_audio_deadline(&p->show, now);
        p->next_sound_ns = next == INT64_MAX ? INT64_MAX : p->start_ns + ticks_to_ns(next);
        /* A fade or a moving sound changes all the time: 50 updates a second are smooth (OpenAL
         * ramps gains within each mix) and the loop never spins. A cue is met on time. */
        if (p->next_sound_ns <= now_ns) {
            p->next_sound_ns = now_ns + SOUND_STEP_NS;
        }
    }
}

/* When the file watcher's quiet period ends, or a reload refused for an image caught
 * half-written is tried again. */
static int64_t watch_deadline(const play_loop *p) {
    int64_t w = p->watch ? vt_watch_deadline(p->watch) : INT64_MAX;
    return p->retry_ns < w ? p->retry_ns : w;
}

/* What the loop knows at this wake-up, for the decisions of play_decide.c. */
static vt_play_state loop_state(const play_loop *p, int64_t now_ns, bool was_closed) {
    return (vt_play_state){
        .now_ns = now_ns,
        .closed = p->closed,
        .was_closed = was_closed,
        .dirty = p->dirty,
        .input = p->input,
        .wake_on_input = schedule_of(p)->wake_on_input,
        .quit_ns = p->quit_ns,
        .next_frame_ns = p->next_frame_ns,
        .next_sound_ns = p->next_sound_ns,
        .energy_ns = vt_energy_session_deadline(&p->energy),
        .watch_ns = watch_deadline(p),
        .chores_ns = chores_deadline(p),
        .reopen_ns = p->reopen_ns,
        .scripted_ns = next_scripted_ns(p),
    };
}

/* Open: the show advanced to `now`, drawn when its picture changed, and its sound. */
static void frame(play_loop *p, vt_ticks now, int64_t now_ns) {
    vt_governor_setting set =
        vt_energy_session_decide(&p->energy, now_ns, vt_player_state(p->show.player), p->input);
    p->input = false;
    if (vt_show_update(&p->show, now) || p->dirty) {
        draw(p, set.scale);
    }
    if (!p->audio_opened) {
        open_audio(p); /* after the first frame: the picture does not wait for it */
    }
    update_sound(p, now, now_ns, true);
    schedule_next_frame(p, now, now_ns);
}

/* The descriptors the loop wakes for besides input: the file watcher's (and, to come, the
 * OSC and sync sockets). Registering the same set again costs a comparison. */
static void wait_fds(const play_loop *p) {
    int fds[VT_PLATFORM_MAX_FDS];
    size_t n = 0;
    if (p->watch) {
        fds[n++] = vt_watch_fd(p->watch);
    }
    vt_platform_wait_fds(fds, n);
}

/* The loop as a flat list of steps: input, reload, hours, chores, then what vt_play_decide
 * says, and a sleep until vt_play_next_wake (or input, or the watcher's descriptor). */
static void run(play_loop *p) {
    p->next_frame_ns = vt_now_ns();
    while (!p->quit) {
        vt_event ev;
        while (vt_platform_poll(p->win, &ev)) {
            handle_input(p, &ev);
        }
        if (p->quit) {
            break;
        }
        if (p->watch && vt_watch_poll(p->watch, vt_now_ns())) {
            p->retries = 0;
            p->retry_ns = INT64_MAX;
            reload(p);
        } else if (vt_now_ns() >= p->retry_ns) {
            p->retry_ns = INT64_MAX;
            reload(p);
        }
        vt_ticks now = scene_now(p);
        int64_t now_ns = vt_now_ns();
        bool was_closed = p->closed;
        check_hours(p, now_ns);
        chores(p, now_ns);
        vt_play_state state = loop_state(p, now_ns, was_closed);
        vt_play_step step = vt_play_decide(&state);
        if (step.paint_closed) {
            draw_closed(p);
            vt_show_audio_update(&p->show, now, true); /* closed rooms are silent */
            state.now_ns = vt_now_ns(); /* a swap may wait a refresh: quit on a fresh clock */
            step.action = vt_play_decide(&state).action;
        }
        switch (step.action) {
        case VT_PLAY_QUIT:
            return;
        case VT_PLAY_WAKE:
            wake_for_visitor(p); /* the event itself is applied once open */
            continue;
        case VT_PLAY_SLEEP:
            break;
        case VT_PLAY_FRAME:
        case VT_PLAY_SOUND:
            if (step.action == VT_PLAY_FRAME) {
                frame(p, now, now_ns);
            } else {
                update_sound(p, now, now_ns, false);
            }
            vt_energy_session_tick(&p->energy, now_ns);
            /* After drawing: even --quit-after 0 shows (and times) the first frame. */
            state.now_ns = vt_now_ns();
            if (vt_play_quit_after_frame(&state)) {
                return;
            }
            break;
        }
        state = loop_state(p, now_ns, p->closed);
        wait_fds(p);
        vt_platform_wait(p->win, vt_play_next_wake(&state));
    }
}

static void start_watching(play_loop *p) {
    vt_error err = {0};
    if (vt_watch_create(&p->watch, &err) != VT_OK) {
        vt_log(VT_LOG_WARN, "play", "hot reload is off: %s", err.message);
        p->watch = NULL;
        return;
    }
    watch_scene_files(p);
}

static vt_status load_config(play_loop *p) {
    if (!p->opts->config) {
        return VT_OK;
    }
    vt_diags diags = {0};
    vt_status st = vt_config_load(p->opts->config, &p->config, &diags);
    vt_diags_sort(&diags);
    vt_diags_print(&diags, stderr);
    if (st == VT_E_NOINPUT && diags.errors == 0) {
        fprintf(stderr, "vitrine: cannot read '%s'\n", p->opts->config);
    }
    vt_diags_free(&diags);
    return st;
}

/* ---- termination signals ---- */

/* SDL turns SIGINT and SIGTERM into a quit event: the loop ends and everything is put back (the
 * display's brightness first). SIGHUP and SIGQUIT killed the process instead and left the
 * display dimmed: they are passed on as SIGTERM (unless started ignored, as nohup does).
 * SIGPIPE (a log reader gone) is ignored: the show goes on. */
enum { PLAY_SIGNALS = 3 };
static const int play_signals[PLAY_SIGNALS] = {SIGHUP, SIGQUIT, SIGPIPE};

static void pass_on_as_term(int sig) {
    (void)sig;
    raise(SIGTERM); /* async-signal-safe; SDL's handler only marks a quit as pending */
}

static void signals_take(struct sigaction old[PLAY_SIGNALS]) {
    struct sigaction term;
    bool sdl_handles = sigaction(SIGTERM, NULL, &term) == 0 && term.sa_handler != SIG_DFL &&
                       term.sa_handler != SIG_IGN;
    for (int i = 0; i < PLAY_SIGNALS; i++) {
        struct sigaction sa = {.sa_handler = SIG_IGN};
        sigemptyset(&sa.sa_mask);
        if (play_signals[i] != SIGPIPE) {
            sigaction(play_signals[i], NULL, &old[i]);
            if (!sdl_handles || old[i].sa_handler == SIG_IGN) {
                continue; /* nothing to pass on to, or ignored on purpose (nohup): as it was */
            }
            sa.sa_handler = pass_on_as_term;
        }
        sigaction(play_signals[i], &sa, &old[i]);
    }
}

static void signals_give_back(const struct sigaction old[PLAY_SIGNALS]) {
    for (int i = 0; i < PLAY_SIGNALS; i++) {
        sigaction(play_signals[i], &old[i], NULL);
    }
}

int vt_cmd_play(const vt_options *opts) {
    play_loop p = {.opts = opts, .quit_ns = INT64_MAX, .reopen_ns = 0, .retry_ns = INT64_MAX};
    p.display_power.cfg = &p.config;
    p.log.next_ns = INT64_MAX;
    vt_status st = load_config(&p);
    if (st != VT_OK) {
        vt_config_free(&p.config);
        return st;
    }
    st = vt_show_load(&p.show, opts->inputs[0], opts->events);
    if (st != VT_OK) {
        vt_config_free(&p.config);
        return st;
    }
    resolve_settings(&p);
    vt_error err = {0};
    vt_window_desc wd = {.title = p.show.scene->title ? p.show.scene->title : "Vitrine",
                         .fullscreen = opts->fullscreen,
                         .monitor = (int)opts->monitor};
    window_size_for(opts, p.show.scene, &wd.width, &wd.height);
    st = vt_platform_init(false, &err);
    struct sigaction old_signals[PLAY_SIGNALS];
    bool signals_taken = st == VT_OK;
    if (signals_taken) {
        signals_take(old_signals);
        st = vt_window_create(&wd, &p.win, &err);
    }
    if (st == VT_OK) {
        p.show.live_films = true; /* films decode ahead on threads */
        st = vt_show_build(&p.show, p.show.scene->width, p.show.scene->height, &err);
    }
    if (st == VT_OK) {
        vt_energy_desc ed;
        vt_settings_energy_room room;
        vt_settings_energy_desc(&p.settings, &p.config, p.show.scene, &ed, &room);
        st = vt_energy_session_start(&p.energy, &ed, &err);
    }
    if (st == VT_OK) {
        st = vt_energy_log_start(&p.log, &p.settings, &err);
    }
    if (st == VT_OK) {
        start_watching(&p);
        p.start_ns = vt_now_ns();
        if (opts->quit_after >= 0) {
            p.quit_ns = p.start_ns + (int64_t)(opts->quit_after * 1e9);
        }
        p.dirty = true;
        run(&p);
        vt_log(VT_LOG_DEBUG, "play", "%llu frames drawn, %llu reloads",
               (unsigned long long)p.frames_drawn, (unsigned long long)p.reloads);
    } else {
        fprintf(stderr, "vitrine: %s\n", err.message);
    }
    vt_platform_wait_fds(NULL, 0);
    vt_watch_destroy(p.watch);
    vt_display_power_stop(&p.display_power);
    vt_energy_log_stop(&p.log);
    vt_energy_session_stop(&p.energy); /* the display's brightness comes back */
    if (signals_taken) {
        signals_give_back(old_signals);
    }
    vt_config_free(&p.config);
    vt_show_unload(&p.show);
    vt_window_destroy(p.win);
    vt_platform_quit();
    return st;
}
