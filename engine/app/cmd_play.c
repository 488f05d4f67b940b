/* `vitrine play`: the scene in a window, in real time. The loop draws only when the picture
 * changes, paces animation at the scene's frame rate by sleeping, and otherwise sleeps until the
 * next deadline (a key of a timeline, a timeout, a scripted event, --quit-after), input or a
 * file change: a still scene costs next to nothing. Saving the scene or one of its images
 * reloads it (hot reload); a broken edit keeps the running scene and prints every problem. */
#include "app/play_internal.h"
#include "app/play_loop_internal.h"
#include "io/vt_image.h"
#include "io/vt_io.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* SIGHUP: reload the scene and the operator config at the next wake-up. The handler also
 * writes a byte into a pipe the loop waits on, so a sleeping loop wakes at once (whatever the
 * video driver's wait). */
static volatile sig_atomic_t reload_requested;
static int reload_pipe[2] = {-1, -1};

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

vt_ticks vt_play_scene_now(const play_loop *p) {
    return ns_to_ticks(vt_now_ns() - p->scene0_ns);
}

/* The opening hours in force: the operator's config wins over the scene. */
const vt_schedule *vt_play_schedule(const play_loop *p) {
    return p->settings.schedule;
}

/* Every operator setting from the flags, else the config, else the (current) scene. */
void vt_play_resolve_settings(play_loop *p) {
    const vt_options *o = p->opts;
    p->settings = (vt_settings){.power_sensor = o->power_sensor,
                                .budget_watts = o->budget_watts > 0 ? o->budget_watts : 0,
                                .energy_log = o->energy_log,
                                .audio_device = o->audio_device,
                                .osc_port = o->osc_port == 0  ? -1 /* --osc-port 0: off */
                                            : o->osc_port > 0 ? (double)o->osc_port
                                                              : 0,
                                .osc_bind = o->osc_bind};
    if (p->remote_budget > 0) {
        p->settings.budget_watts = p->remote_budget; /* /vitrine/budget, until a restart */
    }
    vt_settings_resolve(&p->settings, &p->config, p->show.scene);
    vt_play_outputs_update(&p->outputs, p->settings.outputs);
}

/* Outside opening hours the window goes black and the loop sleeps until the next opening (or a
 * visitor, with wake_on_input). Re-evaluated at each change, so DST nights and closed days
 * follow the time-zone database. */
static void check_hours(play_loop *p, int64_t now_ns) {
    if (now_ns < p->reopen_ns) {
        return;
    }
    const vt_schedule *s = vt_play_schedule(p);
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
    if (!p->hours_seen && open) {
        /* A start during opening hours: projectors left off (a power cut, a closing while
         * Vitrine was stopped) are switched on, after asking them where they are. */
        vt_projectors_power(p->display_power.projectors, true, true);
    }
    p->hours_seen = true;
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

/* The state's name, or "closed" outside opening hours. */
const char *vt_play_state_name(const play_loop *p) {
    const vt_states *st = &p->show.scene->states;
    uint32_t i = vt_player_state(p->show.player);
    return p->closed ? "closed" : i < st->count ? st->names[i] : "active";
}

/* The metrics file (metrics.file), when due or (force) as play stops. */
static void write_metrics(play_loop *p, int64_t now_ns, bool force) {
    if (!force && now_ns < vt_metrics_deadline(&p->metrics, p->settings.metrics_file)) {
        return;
    }
    bool has_power = false;
    vt_remote_status st = vt_play_status_now(p, now_ns, &has_power);
    vt_metrics_figures f = {
        .status = &st, .has_power = has_power, .reloads = p->reloads, .up = !force};
    f.has_sync = vt_play_sync_offset(p->sync, &f.sync_leader, &f.sync_offset);
    vt_metrics_tick(&p->metrics, p->settings.metrics_file, p->settings.metrics_interval, now_ns,
                    force, &f);
}

static void follow_display(play_loop *p);

/* A state entered by /vitrine/state stays marked until the show leaves it. */
static void follow_remote_state(play_loop *p) {
    if (p->remote_state != UINT32_MAX &&
        (p->closed || vt_player_state(p->show.player) != p->remote_state)) {
        p->remote_state = UINT32_MAX;
    }
}

/* The ledger's row, the metrics file and the display commands' reaping, when due. A state a remote
 * command entered is written "remote:NAME": the report does not count it as a visitor's session. */
static void chores(play_loop *p, int64_t now_ns) {
    vt_display_power_poll(&p->display_power, now_ns);
    if (now_ns >= p->unplug_ns || now_ns >= p->replug_ns) { /* the test hook */
        bool out = now_ns >= p->unplug_ns;
        *(out ? &p->unplug_ns : &p->replug_ns) = INT64_MAX;
        vt_log(VT_LOG_DEBUG, "play", "test: the last display %s", out ? "unplugged" : "is back");
        vt_platform_pretend_unplugged(out ? 1 : 0);
    }
    vt_play_outputs_retry(&p->outputs);
    follow_display(p);
    if (now_ns >= vt_energy_log_deadline(&p->log) || now_ns >= brightness_due_ns(p)) {
        follow_remote_state(p);
        char state[VT_LEDGER_STATE_MAX + 1];
        snprintf(state, sizeof state, "%s%s", p->remote_state != UINT32_MAX ? VT_LEDGER_REMOTE : "",
                 vt_play_state_name(p));
        if (now_ns >= vt_energy_log_deadline(&p->log) && p->energy.read_ns < now_ns &&
            p->energy.next_read_ns > now_ns) {
            /* Each row gets its own reading: still, the sensor is read once a second, and a
             * read due a few ms after the row would leave the row without power. */
            p->energy.next_read_ns = now_ns;
        }
        vt_energy_session_tick(&p->energy, now_ns);
        vt_energy_log_tick(&p->log, &p->energy, now_ns, state, p->frames_drawn);
    }
    write_metrics(p, now_ns, false);
    vt_notify_status(&p->notify, p->opts->inputs[0], vt_play_state_name(p));
}

static int64_t chores_deadline(const play_loop *p) {
    int64_t a = vt_energy_log_deadline(&p->log), b = vt_display_power_deadline(&p->display_power);
    int64_t c = brightness_due_ns(p);
    c = p->gl_reset_ns < c ? p->gl_reset_ns : c; /* the test hook's pretended GPU reset */
    c = p->unplug_ns < c ? p->unplug_ns : c;     /* the test hook's pretended unplugging */
    c = p->replug_ns < c ? p->replug_ns : c;
    return a < b ? (a < c ? a : c) : (b < c ? b : c);
}

static void draw_closed(play_loop *p) {
    if (p->outputs.list) { /* black on every output */
        vt_play_outputs_present(&p->outputs, p->show.renderer, p->show.scene, true, &p->calib);
        p->dirty = false;
        return;
    }
    int ww = 0, wh = 0;
    vt_window_drawable_size(p->win, &ww, &wh);
    vt_renderer_present_black(p->show.renderer, ww, wh);
    vt_window_swap(p->win);
    p->dirty = false;
}

/* Window pixels -> canvas pixels through the letterbox the renderer presents with. */
static void to_canvas(const play_loop *p, vt_event *ev) {
    int ww = 0, wh = 0, dw = 0, dh = 0;
    vt_window_size(p->win, &ww, &wh);
    vt_window_drawable_size(p->win, &dw, &dh);
    vt_play_window_to_canvas(&ev->x, &ev->y, ww, wh, dw, dh, p->show.scene->width,
                             p->show.scene->height);
}

/* A visitor in a closed room wakes the exhibit, with wake_on_input, for as long as idleness
 * allows. */
void vt_play_wake_for_visitor(play_loop *p) {
    if (!p->closed || !vt_play_schedule(p)->wake_on_input) {
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
    if (p->sync) {
        return p->script_next < p->script_count
                   ? p->start_ns + ticks_to_ns(p->script[p->script_next].time)
                   : INT64_MAX;
    }
    if (s->next_event >= s->event_count) {
        return INT64_MAX;
    }
    return p->scene0_ns + ticks_to_ns(s->events[s->next_event].time);
}

/* A key while calibrating: true when calibration took it. */
static bool calibration_key(play_loop *p, const char *key) {
    vt_calib_result r = vt_calib_key(&p->calib, &p->outputs.own, key, vt_platform_shift_down());
    if (r == VT_CALIB_NOT_MINE) {
        return false;
    }
    if (r == VT_CALIB_SAVE) {
        vt_error err = {0};
        const char *path = p->settings.outputs_path;
        if (path && vt_outputs_save(path, &p->outputs.own, &err) == VT_OK) {
            vt_log(VT_LOG_INFO, "play", "calibration saved into %s", path);
            p->calib.dirty = false;
        } else {
            vt_log(VT_LOG_WARN, "play", "calibration not saved: %s",
                   path ? err.message : "the outputs come from no file");
        }
    }
    if (r == VT_CALIB_LEFT) {
        vt_renderer_set_banner(p->show.renderer, (vt_color){0, 0, 0, 0}, NULL);
    }
    p->dirty = true;
    return true;
}

/* A pointer while calibrating: true when it grabbed, dragged or let go of a point. A script's
 * pointer (window 0, `scripted`) is in the pixels of the output being edited. */
static bool calibration_pointer(play_loop *p, const vt_event *ev, bool scripted) {
    size_t i = SIZE_MAX;
    double fx = 0, fy = 0;
    int w = 1, h = 1;
    if (!p->calib.on || !p->outputs.list || p->outputs.own.count == 0) {
        return false;
    }
    if (scripted) {
        i = p->calib.output % p->outputs.own.count;
        vt_output_size(&p->outputs.own.items[i], &w, &h);
        fx = ev->x / w;
        fy = ev->y / h;
    } else if (vt_play_outputs_locate(&p->outputs, vt_platform_event_window(),
                                      p->calib.dragging ? p->calib.output : SIZE_MAX, ev, p->win,
                                      &i, &fx, &fy)) {
        vt_output_size(&p->outputs.own.items[i], &w, &h);
    } else {
        return false;
    }
    if (vt_calib_pointer(&p->calib, &p->outputs.own, i, ev, fx, fy, w, h) == VT_CALIB_NOT_MINE) {
        return false;
    }
    p->dirty = true;
    return true;
}

/* While calibrating, the script's keys and pointers (--events) due by `now` are the
 * technician's: calibration takes its own, the rest go to the show. */
static void calibration_script(play_loop *p, vt_ticks now) {
    vt_show *s = &p->show;
    while (p->calib.on && s->next_event < s->event_count && s->events[s->next_event].time <= now &&
           s->events[s->next_event].type != VT_EVENT_OSC) {
        vt_event ev = s->events[s->next_event++];
        bool mine = ev.type == VT_EVENT_KEY ? calibration_key(p, ev.name)
                                            : calibration_pointer(p, &ev, true);
        if (!mine) {
            vt_show_input(s, &ev, now);
        }
    }
}

static void handle_input(play_loop *p, vt_event *ev) {
    switch (ev->type) {
    case VT_EVENT_QUIT:
        p->quit = true;
        return;
    case VT_EVENT_KEY:
        if (calibration_key(p, ev->name)) {
            return; /* calibration keys never reach the scene's triggers */
        }
        if (strcmp(ev->name, "escape") == 0 && !p->opts->fullscreen && !p->opts->kiosk) {
            p->quit = true;
            return;
        }
        break;
    case VT_EVENT_CLICK:
    case VT_EVENT_TOUCH:
    case VT_EVENT_MOVE:
    case VT_EVENT_UP:
    case VT_EVENT_SCROLL:
        if (ev->type != VT_EVENT_SCROLL && calibration_pointer(p, ev, false)) {
            return; /* a calibration handle grabbed, dragged or let go */
        }
        if (!p->outputs.list) {
            to_canvas(p, ev);
        } else if (!vt_play_outputs_to_canvas(&p->outputs, vt_platform_event_window(), ev,
                                              p->win)) {
            return; /* outside every output's picture */
        }
        break;
    case VT_EVENT_RESIZE:
    case VT_EVENT_EXPOSE:
        p->dirty = true;
        return;
    case VT_EVENT_NONE:
    case VT_EVENT_OSC: /* scripted only: show.c */
        return;
    }
    p->input = true;
    vt_play_wake_for_visitor(p);
    if (p->sync) {
        uint8_t msg[VT_SYNC_MSG_MAX];
        vt_play_sync_submit(p->sync, msg, vt_play_sync_event_msg(ev, msg, sizeof msg));
        return; /* applied when the leader's entry is due, here and everywhere */
    }
    vt_show_input(&p->show, ev, vt_play_scene_now(p));
}

/* Render at the window's resolution when it is smaller than the canvas: the picture on screen
 * is the same, and the pixels not drawn cost neither time nor energy. */
static double window_scale(const play_loop *p, int ww, int wh) {
    const vt_scene *sc = p->show.scene;
    double sx = (double)ww / sc->width, sy = (double)wh / sc->height;
    double s = sx < sy ? sx : sy;
    return s > 1.0 ? 1.0 : s < 0.01 ? 0.01 : s;
}

/* A lost GL context (a GPU reset): a new context, every GL object made again from the CPU side,
 * and the picture drawn again; the show goes on without a restart. One that cannot be made ends
 * play with 70, for systemd to restart it. */
static void recover_gpu(play_loop *p, const char *why) {
    vt_log(VT_LOG_WARN, "play", "%s", why);
    vt_error err = {0};
    if (vt_window_renew_context(p->win, &err) != VT_OK ||
        vt_renderer_recover(p->show.renderer, &err) != VT_OK) {
        vt_log(VT_LOG_ERROR, "play", "%s; stopping", err.message);
        snprintf(p->last_error, sizeof p->last_error, "%s", err.message);
        p->quit = true;
        p->gpu_failed = true;
        return;
    }
    vt_log(VT_LOG_INFO, "play", "the OpenGL context is back; the show goes on");
    p->dirty = true;
    p->next_frame_ns = vt_now_ns();
}

/* A single fullscreen window (no outputs: those follow their displays in play_outputs.c):
 * its display gone, the show runs on unseen (the loss in the log and the status's last_error);
 * back, the window goes on it again and the GPU side is rebuilt as after a GPU reset. */
static void follow_display(play_loop *p) {
    if (p->outputs.list || !(p->opts->fullscreen || p->opts->kiosk) || p->fallback) {
        return;
    }
    int monitor = p->opts->monitor < 0 ? 0 : (int)p->opts->monitor;
    bool there = monitor < vt_platform_display_count();
    if (!there && !p->display_lost) {
        p->display_lost = true;
        snprintf(p->last_error, sizeof p->last_error,
                 "display %d is gone: the show runs on unseen until it comes back", monitor);
        vt_log(VT_LOG_WARN, "play", "%s", p->last_error);
        vt_window_place(p->win, -1);
    } else if (there && p->display_lost) {
        p->display_lost = false;
        if (strncmp(p->last_error, "display ", 8) == 0) {
            p->last_error[0] = '\0'; /* ours: no longer true */
        }
        vt_window_place(p->win, monitor);
        recover_gpu(p, "the display is back: putting the window on it and rebuilding the OpenGL "
                       "context");
    }
}

static void draw(play_loop *p, double governed_scale, vt_ticks now) {
    int ww = 0, wh = 0;
    vt_window_drawable_size(p->win, &ww, &wh);
    /* With outputs the canvas is drawn at their density (the target's size), only governed. */
    double scale = (p->outputs.list ? 1.0 : window_scale(p, ww, wh)) * governed_scale;
    /* The target keeps the last frame: only what changed since is drawn again. */
    vt_renderer_set_damage(p->show.renderer, !p->full_redraw);
    /* a frame drawn whole at the window's size goes straight into it (not with outputs) */
    vt_renderer_set_direct(p->show.renderer, p->outputs.list ? 0 : ww, p->outputs.list ? 0 : wh);
    vt_renderer_draw(p->show.renderer, p->show.scene, p->show.items, p->show.item_count, scale);
    if (p->capture_dir) {
        vt_play_capture(p, now, governed_scale);
    }
    if (p->outputs.list) {
        vt_play_outputs_present(&p->outputs, p->show.renderer, p->show.scene, false, &p->calib);
    } else {
        vt_renderer_present(p->show.renderer, ww, wh);
        vt_window_swap(p->win);
    }
    /* the canvas's pixels drawn: with damage tracking, only the part that changed */
    vt_energy_session_drew(&p->energy, vt_renderer_drawn_pixels(p->show.renderer) +
                                           vt_renderer_shader_pixels(p->show.renderer) +
                                           vt_renderer_output_pixels(p->show.renderer));
    if (p->frame_log) {
        struct timespec rt;
        clock_gettime(CLOCK_REALTIME, &rt);
        fprintf(p->frame_log, "%lld %s %lld\n", (long long)now, vt_play_state_name(p),
                (long long)(p->sync ? vt_play_sync_now(p->sync)
                                    : (int64_t)rt.tv_sec * 1000000000 + rt.tv_nsec));
        fflush(p->frame_log);
    }
    if (p->frames_drawn++ == 0) {
        if (p->gl_reset_after_ns >= 0) {
            p->gl_reset_ns = vt_now_ns() + p->gl_reset_after_ns;
        }
        if (p->unplug_after_s >= 0) {
            p->unplug_ns = vt_now_ns() + (int64_t)(p->unplug_after_s * 1e9);
            p->replug_ns = vt_now_ns() + (int64_t)(p->replug_after_s * 1e9);
        }
        int64_t first_ns = vt_now_ns();
        /* the monotonic clock's reading lets a benchmark count from before the program's
         * libraries were loaded, which the time since main() leaves out */
        vt_log(VT_LOG_DEBUG, "play",
               "first frame presented %.1f ms after start (monotonic clock %lld ns)",
               (double)(first_ns - p->opts->start_ns) / 1e6, (long long)first_ns);
        vt_notify_ready(&p->notify);
    }
    int64_t now_ns = vt_now_ns();
    if (now_ns - p->fps_t0_ns >= 1000000000) {
        p->fps = (double)(p->frames_drawn - p->fps_frames0) * 1e9 / (double)(now_ns - p->fps_t0_ns);
        p->fps_t0_ns = now_ns;
        p->fps_frames0 = p->frames_drawn;
    }
    p->dirty = false;
}

/* Sync: the frame grid, at the governor's frame rate (the same caps give the same grid on every
 * machine), else the scene's. */
static int grid_fps(const play_loop *p) {
    int fps = p->energy.setting.fps;
    return fps > 0 && fps < p->show.scene->fps ? fps : p->show.scene->fps;
}

/* The show advanced to `now`; in step with other machines, the leader hears of each tick
 * evaluated (a return to attract starts the show over everywhere). */
static bool show_update(play_loop *p, vt_ticks now) {
    calibration_script(p, now);
    bool changed = vt_show_update(&p->show, now);
    if (p->sync) {
        vt_play_sync_evaluated(p->sync, now, vt_player_state(p->show.player));
    }
    return changed;
}

/* When the next frame is due: one period after the last while animating (at the governor's
 * frame rate), else the scene's next change; INT64_MAX when nothing will change. Other wake-ups
 * (input, file events, the meter's poller writing beside the scene) never draw extra frames. */
static void schedule_next_frame(play_loop *p, vt_ticks now, int64_t now_ns) {
    vt_ticks next = vt_show_next_change(&p->show, now);
    if (next <= now && p->sync) {
        /* the shared clock's frame grid: every machine draws the same ticks */
        vt_ticks t = vt_sync_grid_ceil(now + 1, grid_fps(p));
        p->next_frame_ns = p->scene0_ns + vt_sync_ns_of_tick(0, t);
    } else if (next <= now) {
        int fps = p->energy.setting.fps > 0 ? p->energy.setting.fps : p->show.scene->fps;
        int64_t period = 1000000000 / fps;
        p->next_frame_ns += period;
        if (p->next_frame_ns < now_ns - period) {
            p->next_frame_ns = now_ns; /* fell behind: do not try to catch up */
        }
    } else {
        p->next_frame_ns = next == INT64_MAX ? INT64_MAX : p->scene0_ns + ticks_to_ns(next);
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
    if (!frame && now_ns >= p->next_sound_ns && show_update(p, now)) {
        p->dirty = true;
    }
    if (frame || now_ns >= p->next_sound_ns) {
        vt_show_audio_update(&p->show, now, false);
        vt_ticks next = vt_show_audio_deadline(&p->show, now);
        p->next_sound_ns = next == INT64_MAX ? INT64_MAX : p->scene0_ns + ticks_to_ns(next);
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

/* The group's next deadline (shared clock) on the monotonic clock. */
static int64_t sync_deadline(const play_loop *p, int64_t now_ns) {
    int64_t t = p->sync ? vt_play_sync_deadline(p->sync) : INT64_MAX;
    if (t == INT64_MAX) {
        return INT64_MAX;
    }
    int64_t ahead = t - vt_play_sync_now(p->sync);
    return ahead <= 0 ? now_ns : now_ns + ahead;
}

/* What the loop knows at this wake-up, for the decisions of play_decide.c. */
static vt_play_state loop_state(const play_loop *p, int64_t now_ns, bool was_closed) {
    return (vt_play_state){
        .now_ns = now_ns,
        .closed = p->closed,
        .was_closed = was_closed,
        .dirty = p->dirty,
        .input = p->input,
        .wake_on_input = vt_play_schedule(p)->wake_on_input,
        .quit_ns = p->quit_ns,
        .next_frame_ns = p->next_frame_ns,
        .next_sound_ns = p->next_sound_ns,
        .energy_ns = vt_energy_session_deadline(&p->energy),
        .watch_ns = watch_deadline(p),
        .chores_ns = chores_deadline(p),
        .reopen_ns = p->reopen_ns,
        .scripted_ns = next_scripted_ns(p),
        .remote_ns = vt_osc_deadline(p->osc),
        .sync_ns = sync_deadline(p, now_ns),
        .watchdog_ns = vt_notify_deadline(&p->notify),
        .metrics_ns = vt_metrics_deadline(&p->metrics, p->settings.metrics_file),
    };
}

/* Open: the show advanced to `now`, drawn when its picture changed, and its sound. */
static void frame(play_loop *p, vt_ticks now, int64_t now_ns) {
    uint32_t state = vt_player_state(p->show.player);
    vt_governor_setting set = vt_energy_session_decide(&p->energy, now_ns, state, p->input);
    p->input = false;
    size_t events_before = p->show.next_event;
    p->show.drawn_fps = p->energy.setting.fps; /* films skip what this rate cannot show */
    bool changed = show_update(p, now);
    /* A scripted event (--events) or the timeline changed the state in the update: the governor
     * decides again, so that a visitor's first frame is drawn at full quality, as in render
     * --governed (it was one frame late, drawn at attract's caps). */
    bool scripted = p->show.next_event > events_before;
    if (scripted || vt_player_state(p->show.player) != state) {
        set =
            vt_energy_session_decide(&p->energy, now_ns, vt_player_state(p->show.player), scripted);
    }
    if (changed || p->dirty) {
        draw(p, set.scale, now);
        if (p->frame_delay_ns > 0) {
            struct timespec ts = {p->frame_delay_ns / 1000000000, p->frame_delay_ns % 1000000000};
            nanosleep(&ts, NULL);
        }
    }
    if (!p->audio_opened) {
        open_audio(p); /* after the first frame: the picture does not wait for it */
    }
    update_sound(p, now, now_ns, true);
    schedule_next_frame(p, now, now_ns);
}

/* In step with the room (`sync:` in the operator config). Not being able to open the group's
 * socket is an error: a machine of a room playing alone would show another picture. */
static vt_status start_sync(play_loop *p, vt_error *err) {
    const vt_sync_desc *d = p->config.sync;
    if (!d) {
        return VT_OK;
    }
    vt_status st = vt_play_sync_start(d, p->show.scene->fps, &p->sync, err);
    if (st != VT_OK) {
        return st;
    }
    /* The script's events are input of this machine: the leader orders them. */
    p->script = p->show.events;
    p->script_count = p->show.event_count;
    p->show.events = NULL;
    p->show.event_count = p->show.next_event = 0;
    vt_log(VT_LOG_INFO, "sync", "%s of the room, %s, on %u.%u.%u.%u",
           d->role == VT_SYNC_LEADER ? "leader" : "follower",
           d->multicast ? "multicast group" : "peers", d->iface[0], d->iface[1], d->iface[2],
           d->iface[3]);
    return VT_OK;
}

/* The descriptors the loop wakes for besides input: the file watcher's and the OSC socket.
 * Registering the same set again costs a comparison. */
static void wait_fds(const play_loop *p) {
    int fds[VT_PLATFORM_MAX_FDS];
    size_t n = 0;
    if (p->watch) {
        fds[n++] = vt_watch_fd(p->watch);
    }
    if (p->osc) {
        fds[n++] = vt_osc_fd(p->osc);
    }
    if (reload_pipe[0] >= 0) {
        fds[n++] = reload_pipe[0];
    }
    if (p->sync) {
        fds[n++] = vt_play_sync_fd(p->sync);
    }
    vt_platform_wait_fds(fds, n);
}

/* Test hook: VITRINE_TEST_STALL=S makes the loop hang S seconds after the start (until
 * --quit-after), as a deadlocked loop would: the watchdog's pings must stop. */
static bool stalled(const play_loop *p, int64_t now_ns) {
    const char *v = getenv("VITRINE_TEST_STALL");
    if (!v || now_ns - p->start_ns < (int64_t)(atof(v) * 1e9)) {
        return false;
    }
    while (vt_now_ns() < p->quit_ns) {
        vt_sleep_until_ns(p->quit_ns);
    }
    return true;
}

/* In step with other machines: the group read and answered, scene tick 0 put at the epoch's
 * instant (again at each pass: the shared clock is slewed by chrony or linuxptp, the monotonic
 * one is not), the script's events due sent to the leader. */
static void sync_step(play_loop *p) {
    if (!p->sync) {
        return;
    }
    vt_play_sync_poll(p->sync);
    int64_t epoch = 0;
    if (vt_play_sync_epoch(p->sync, &epoch)) {
        int64_t real = vt_play_sync_now(p->sync), mono = vt_now_ns();
        p->scene0_ns = mono - (real - epoch);
    }
    int64_t now_ns = vt_now_ns();
    while (p->script_next < p->script_count &&
           p->start_ns + ticks_to_ns(p->script[p->script_next].time) <= now_ns) {
        vt_event ev = p->script[p->script_next++];
        uint8_t msg[VT_SYNC_MSG_MAX];
        size_t n = 0;
        if (ev.type == VT_EVENT_OSC) {
            n = vt_show_script_osc(&ev, msg, sizeof msg);
        } else {
            n = vt_play_sync_event_msg(&ev, msg, sizeof msg);
        }
        vt_play_sync_submit(p->sync, msg, n);
    }
}

/* Sync: the leader's entries due at `now`, in order, each at its own tick. */
static void apply_sync(play_loop *p, vt_ticks now) {
    bool rewind = false;
    const vt_sync_entry *e;
    while (p->sync && (e = vt_play_sync_due(p->sync, now, &rewind)) != NULL) {
        if (e->restart) {
            vt_show_restart(&p->show, e->tick);
        } else {
            vt_osc_msg m;
            vt_error err = {0};
            show_update(p, e->tick);
            if (vt_osc_parse(e->msg, e->len, &m, &err) == VT_OK &&
                vt_show_apply_input(&p->show, &m, e->tick)) {
                p->input = true;
                vt_play_wake_for_visitor(p);
            }
        }
        p->dirty = true;
        vt_play_sync_applied(p->sync);
    }
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
        if (reload_requested) {
            reload_requested = 0;
            char drain[64];
            while (reload_pipe[0] >= 0 && read(reload_pipe[0], drain, sizeof drain) > 0) {
            }
            vt_play_reload_all(p, "SIGHUP");
        }
        vt_play_remote_poll(p);
        sync_step(p);
        if (p->watch && vt_watch_poll(p->watch, vt_now_ns())) {
            p->retries = 0;
            p->retry_ns = INT64_MAX;
            vt_play_reload(p);
        } else if (vt_now_ns() >= p->retry_ns) {
            p->retry_ns = INT64_MAX;
            vt_play_reload(p);
        }
        vt_ticks now = vt_play_scene_now(p);
        if (p->sync) {
            now = vt_sync_grid_floor(now, grid_fps(p)); /* the tick every machine draws */
            apply_sync(p, now);
        }
        int64_t now_ns = vt_now_ns();
        bool was_closed = p->closed;
        if (stalled(p, now_ns)) {
            return;
        }
        vt_notify_tick(&p->notify, now_ns); /* here only: a hung loop stops the pings */
        check_hours(p, now_ns);
        chores(p, now_ns);
        if (vt_renderer_context_lost(p->show.renderer) || now_ns >= p->gl_reset_ns) {
            p->gl_reset_ns = INT64_MAX;
            recover_gpu(p, "the OpenGL context was lost (a GPU reset): rebuilding it");
            if (p->quit) {
                break;
            }
        }
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
            vt_play_wake_for_visitor(p); /* the event itself is applied once open */
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
        follow_remote_state(p);
        vt_proof_of_play_look(&p->record, &p->show, p->closed);
        state = loop_state(p, now_ns, p->closed);
        wait_fds(p);
        vt_platform_wait(p->win, vt_play_next_wake(&state));
    }
}

/* ---- termination signals ---- */

/* SDL turns SIGINT and SIGTERM into a quit event: the loop ends and everything is put back (the
 * display's brightness first). SIGQUIT killed the process instead and left the display dimmed:
 * it is passed on as SIGTERM (unless started ignored). SIGHUP reloads the scene and the
 * operator config (systemctl reload), unless started ignored (nohup): then it stays ignored.
 * SIGPIPE (a log reader gone) is ignored: the show goes on. */
enum { PLAY_SIGNALS = 3 };
static const int play_signals[PLAY_SIGNALS] = {SIGHUP, SIGQUIT, SIGPIPE};

static void pass_on_as_term(int sig) {
    (void)sig;
    raise(SIGTERM); /* async-signal-safe; SDL's handler only marks a quit as pending */
}

static void ask_reload(int sig) {
    (void)sig;
    int saved = errno;
    reload_requested = 1;
    if (reload_pipe[1] >= 0 && write(reload_pipe[1], "", 1) < 0) {
        /* full: a wake-up is pending already */
    }
    errno = saved;
}

static void signals_take(struct sigaction old[PLAY_SIGNALS]) {
    if (reload_pipe[0] < 0 && pipe(reload_pipe) == 0) {
        for (int i = 0; i < 2; i++) {
            fcntl(reload_pipe[i], F_SETFL, O_NONBLOCK);
            fcntl(reload_pipe[i], F_SETFD, FD_CLOEXEC);
        }
    }
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
            sa.sa_handler = play_signals[i] == SIGHUP ? ask_reload : pass_on_as_term;
        }
        sigaction(play_signals[i], &sa, &old[i]);
    }
}

static void signals_give_back(const struct sigaction old[PLAY_SIGNALS]) {
    for (int i = 0; i < PLAY_SIGNALS; i++) {
        sigaction(play_signals[i], &old[i], NULL);
    }
    for (int i = 0; i < 2; i++) {
        if (reload_pipe[i] >= 0) {
            close(reload_pipe[i]);
            reload_pipe[i] = -1;
        }
    }
}

/* The scene cannot be loaded at start (its problems are printed): the operator's fallback_image
 * is shown instead, and the scene file watched, so that the fixed scene starts by itself. The
 * scene's status when the image cannot be shown either. */
static vt_status start_fallback(play_loop *p, vt_status scene_st) {
    vt_error err = {0};
    if (vt_show_load_fallback(&p->show, p->config.fallback_image, &err) != VT_OK) {
        vt_log(VT_LOG_ERROR, "play", "%s", err.message);
        return scene_st;
    }
    vt_log(VT_LOG_WARN, "play",
           "%s cannot be %s: showing the fallback image %s until the scene is fixed",
           p->opts->inputs[0], scene_st == VT_E_NOINPUT ? "read" : "loaded",
           p->config.fallback_image);
    snprintf(p->last_error, sizeof p->last_error, "%s cannot be %s; the fallback image is shown",
             vt_path_basename(p->opts->inputs[0]),
             scene_st == VT_E_NOINPUT ? "read" : "loaded (see the log)");
    p->fallback = true;
    return VT_OK;
}

int vt_cmd_play(const vt_options *opts) {
    play_loop p = {.opts = opts,
                   .quit_ns = INT64_MAX,
                   .reopen_ns = 0,
                   .retry_ns = INT64_MAX,
                   .remote_state = UINT32_MAX,
                   .gl_reset_ns = INT64_MAX,
                   .gl_reset_after_ns = -1,
                   .unplug_ns = INT64_MAX,
                   .replug_ns = INT64_MAX,
                   .unplug_after_s = -1,
                   .replug_after_s = -1};
    /* Under systemd the journal reads each line's priority ("<4>" a warning); `check` and the
     * other commands print for people only. */
    vt_log_set_priorities(vt_notify_journal_stderr());
    p.display_power.cfg = &p.config;
    p.log.next_ns = INT64_MAX;
    vt_status st = vt_play_load_config(&p);
    if (st != VT_OK) {
        vt_config_free(&p.config);
        return st;
    }
    st = vt_show_load(&p.show, opts->inputs[0], opts->events);
    if (st != VT_OK && p.config.fallback_image) {
        st = start_fallback(&p, st);
    }
    if (st != VT_OK) {
        vt_config_free(&p.config);
        return st;
    }
    vt_play_resolve_settings(&p);
    vt_error err = {0};
    const vt_outputs *outputs =
        p.settings.outputs && p.settings.outputs->count > 0 ? p.settings.outputs : NULL;
    if (outputs && opts->monitor >= 0) {
        fprintf(stderr,
                "vitrine: --display does not go with outputs: each output names its display in "
                "'outputs' (%s); remove --display\n",
                p.settings.outputs_path ? p.settings.outputs_path : "the config");
        vt_show_unload(&p.show);
        vt_config_free(&p.config);
        return VT_E_USAGE;
    }
    vt_window_desc wd = {.title = p.show.scene->title ? p.show.scene->title : "Vitrine",
                         .fullscreen = opts->fullscreen || opts->kiosk,
                         .monitor = opts->monitor < 0 ? 0 : (int)opts->monitor};
    window_size_for(opts, p.show.scene, &wd.width, &wd.height);
    p.target_w = p.show.scene->width;
    p.target_h = p.show.scene->height;
    if (outputs) {
        vt_outputs_canvas_target(outputs, p.show.scene->width, p.show.scene->height, &p.target_w,
                                 &p.target_h);
    }
    st = vt_platform_init(false, &err);
    struct sigaction old_signals[PLAY_SIGNALS];
    bool signals_taken = st == VT_OK;
    if (signals_taken) {
        signals_take(old_signals);
        if (outputs) {
            st = vt_play_outputs_open(&p.outputs, outputs, wd.fullscreen, &err);
            p.win = p.outputs.main;
            p.calib.on = opts->calibrate;
            p.calib.pattern = VT_OUTPUT_PATTERN_OVER;
        } else {
            st = vt_window_create(&wd, &p.win, &err);
        }
        vt_log(VT_LOG_DEBUG, "play", "window and GL context ready %.1f ms after start",
               (double)(vt_now_ns() - opts->start_ns) / 1e6);
    }
    if (st == VT_OK) {
        p.show.live_films = true; /* films decode ahead on threads */
        vt_video_set_hwaccel(!p.config.video.hwaccel_off);
        p.show.max_texture = (int)opts->max_texture;
        st = vt_show_build(&p.show, p.target_w, p.target_h, &err);
        if (st == VT_OK) {
            /* the show goes on: a shader that does not compile draws nothing */
            vt_diags_print(vt_renderer_shader_problems(p.show.renderer), stderr);
            vt_log(VT_LOG_DEBUG, "play",
                   "scene built (renderer, images, films) %.1f ms after start",
                   (double)(vt_now_ns() - opts->start_ns) / 1e6);
        }
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
        st = vt_proof_of_play_start(&p.record, &p.config, &err);
    }
    if (st == VT_OK) {
        st = start_sync(&p, &err);
    }
    if (st == VT_OK) {
        vt_play_test_hooks_start(&p);
        vt_play_start_watching(&p);
        vt_play_start_remote(&p);
        vt_play_start_projectors(&p);
        p.start_ns = vt_now_ns();
        p.scene0_ns = p.start_ns;
        p.fps_t0_ns = p.start_ns;
        p.day = vt_schedule_local_day(vt_play_schedule(&p), time(NULL));
        vt_notify_start(&p.notify, p.start_ns);
        if (opts->quit_after >= 0) {
            p.quit_ns = p.start_ns + (int64_t)(opts->quit_after * 1e9);
        }
        p.dirty = true;
        vt_proof_of_play_scene(&p.record, &p.show, p.fallback ? "fallback" : "start");
        run(&p);
        write_metrics(&p, vt_now_ns(), true); /* vitrine_up 0: stopped, not stale */
        vt_log(VT_LOG_DEBUG, "play", "%llu frames drawn, %llu reloads",
               (unsigned long long)p.frames_drawn, (unsigned long long)p.reloads);
        vt_render_damage_stats ds = {0};
        if (p.show.renderer) {
            ds = vt_renderer_damage_stats(p.show.renderer);
        }
        if (!p.full_redraw && ds.part + ds.unchanged > 0) {
            vt_log(VT_LOG_DEBUG, "render",
                   "damage: %llu of %llu frames drawn in part (%.1f %% of the picture on "
                   "average), %llu unchanged",
                   (unsigned long long)ds.part,
                   (unsigned long long)(ds.part + ds.whole + ds.unchanged),
                   100.0 * ds.part_fraction / (double)(ds.part ? ds.part : 1),
                   (unsigned long long)ds.unchanged);
        }
        if (ds.direct > 0) {
            vt_log(VT_LOG_DEBUG, "render", "%llu frames drawn straight into the window",
                   (unsigned long long)ds.direct);
        }
    } else {
        fprintf(stderr, "vitrine: %s\n", err.message);
    }
    if (p.capture_list) {
        fclose(p.capture_list);
    }
    if (p.frame_log) {
        fclose(p.frame_log);
    }
    vt_play_sync_stop(p.sync);
    free(p.script);
    free(p.capture.rgba);
    vt_platform_wait_fds(NULL, 0);
    vt_watch_destroy(p.watch);
    vt_osc_close(p.osc);
    vt_display_power_stop(&p.display_power);
    vt_projectors_stop(p.display_power.projectors);
    vt_energy_log_stop(&p.log);
    vt_proof_of_play_stop(&p.record);
    vt_energy_session_stop(&p.energy); /* the display's brightness comes back */
    if (signals_taken) {
        signals_give_back(old_signals);
    }
    vt_config_free(&p.config);
    vt_show_unload(&p.show);
    if (p.outputs.main) {
        vt_play_outputs_close(&p.outputs);
    } else {
        vt_window_destroy(p.win);
    }
    vt_platform_quit();
    return p.gpu_failed ? VT_E_SOFTWARE : st;
}
