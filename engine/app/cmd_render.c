/* `vitrine render`: headless, deterministic rendering to a PNG sequence. Frame k is at scene
 * time start + k/fps exactly (integer ticks), so any split of a render gives the same frames.
 * Readback (pixel-buffer objects) and PNG encoding (worker threads) overlap the rendering.
 * With --audio, the sound is mixed in lock-step: 48000/fps samples after each frame's update.
 * With --governed, the frames are what a kiosk shows: the governor's caps in simulated time. */
#include "app/app_internal.h"
#include "io/vt_image.h"
#include "io/vt_io.h"
#include "ledger/vt_report.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <nettle/sha2.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The signal (SIGINT, SIGTERM) that asked the render to stop, or 0: the loops look at it before
 * each frame. */
static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig) {
    if (!stop_signal) {
        stop_signal = sig;
    }
}

static const int stop_signals[] = {SIGINT, SIGTERM};
#define STOP_SIGNAL_COUNT (sizeof stop_signals / sizeof stop_signals[0])

/* Installed before SDL starts, which then leaves SIGINT and SIGTERM alone (it only takes a
 * signal whose action is the default, to turn it into a quit event that render would never
 * read). A signal ignored when the render started (nohup) stays ignored. */
static void stop_signals_catch(struct sigaction old[STOP_SIGNAL_COUNT]) {
    stop_signal = 0;
    for (size_t i = 0; i < STOP_SIGNAL_COUNT; i++) {
        sigaction(stop_signals[i], NULL, &old[i]);
        if (old[i].sa_handler == SIG_IGN) {
            continue;
        }
        struct sigaction sa = {.sa_handler = on_stop_signal, .sa_flags = SA_RESTART};
        sigemptyset(&sa.sa_mask);
        sigaction(stop_signals[i], &sa, NULL);
    }
}

static void stop_signals_restore(const struct sigaction old[STOP_SIGNAL_COUNT]) {
    for (size_t i = 0; i < STOP_SIGNAL_COUNT; i++) {
        sigaction(stop_signals[i], &old[i], NULL);
    }
}

typedef struct render_plan {
    int fps;
    int width, height;             /* the frames written */
    int canvas_w, canvas_h;        /* the canvas drawn (with --output: at the outputs' density) */
    const vt_output *output;       /* --output: the output drawn from the canvas; NULL: none */
    const vt_app_outputs *outputs; /* where it comes from */
    int64_t first;  /* global frame index of frame 0 when start is on the fps grid, else -1 */
    vt_ticks start; /* scene time of frame 0 */
    int64_t frames;
    int64_t from, to; /* the frames this process renders: [from, to), all but with --part */
    long part, parts; /* --part K/N; 0: the whole render */
    int spf;          /* audio samples a frame (--audio) */
} render_plan;

/* --part K/N: the K-th of N consecutive ranges of as equal length as whole frames allow. */
static vt_status plan_part(const vt_options *opts, render_plan *p) {
    p->from = 0;
    p->to = p->frames;
    p->part = opts->part_index;
    p->parts = opts->part_count;
    if (opts->part_index == 0) {
        return VT_OK;
    }
    if (opts->part_count > p->frames) {
        fprintf(stderr,
                "vitrine: --part %s: %lld frame%s cannot be shared by %ld parts; use at most %lld "
                "parts\n",
                opts->part, (long long)p->frames, p->frames == 1 ? "" : "s", opts->part_count,
                (long long)p->frames);
        return VT_E_USAGE;
    }
    p->from = vt_render_part_first(p->frames, opts->part_index - 1, opts->part_count);
    p->to = vt_render_part_first(p->frames, opts->part_index, opts->part_count);
    return VT_OK;
}

static vt_status plan_render(const vt_options *opts, const vt_scene *sc, render_plan *p) {
    p->fps = opts->fps > 0 ? (int)opts->fps : sc->fps;
    if (opts->audio && VT_AUDIO_RATE % p->fps != 0) {
        fprintf(stderr,
                "vitrine: --audio needs a frame rate that divides 48000 (24, 25, 30, 48, 50, 60, "
                "120...), so that each frame holds a whole number of samples; %d fps does not: "
                "choose one with --fps\n",
                p->fps);
        return VT_E_USAGE;
    }
    p->spf = VT_AUDIO_RATE / p->fps;
    p->width = opts->width > 0 ? opts->width : sc->width;
    p->height = opts->height > 0 ? opts->height : sc->height;
    p->canvas_w = p->width;
    p->canvas_h = p->height;
    p->start = vt_ticks_from_seconds(opts->start);
    double grid = opts->start * p->fps;
    p->first = fabs(grid - round(grid)) < 1e-6 ? (int64_t)llround(grid) : -1;
    if (opts->frames >= 0) {
        p->frames = opts->frames;
    } else if (opts->duration >= 0) {
        double n = opts->duration * p->fps;
        p->frames = (int64_t)llround(n);
        if (fabs(n - (double)p->frames) > 1e-6) {
            vt_log(VT_LOG_WARN, "render",
                   "%g s at %d fps is not a whole number of frames; "
                   "rendering %lld",
                   opts->duration, p->fps, (long long)p->frames);
        }
        if (p->frames == 0) {
            fprintf(stderr, "vitrine: --duration %g is shorter than one frame at %d fps\n",
                    opts->duration, p->fps);
            return VT_E_USAGE;
        }
    } else {
        p->frames = 1;
        vt_log(VT_LOG_INFO, "render",
               "rendering one frame; give --duration or --frames for "
               "a sequence");
    }
    /* A WAV's sizes are 32-bit: refuse up front rather than fail hours into the render. */
    int64_t frame_bytes = (int64_t)p->spf * VT_AUDIO_CHANNELS * 2;
    if (opts->audio && p->frames > (int64_t)(UINT32_MAX - 36u) / frame_bytes) {
        fprintf(stderr,
                "vitrine: --audio: %lld frames at %d fps is more than a WAV file holds "
                "(4 GiB, %.0f s of 48 kHz stereo); render it in parts with --start and "
                "--duration\n",
                (long long)p->frames, p->fps,
                (double)((UINT32_MAX - 36u) / (uint64_t)frame_bytes) / p->fps);
        return VT_E_USAGE;
    }
    return plan_part(opts, p);
}

static vt_ticks frame_time(const render_plan *p, int64_t k) {
    /* On the grid, count from frame 0 of the scene so that split renders agree exactly. */
    return p->first >= 0 ? vt_ticks_of_frame(p->first + k, p->fps)
                         : p->start + vt_ticks_of_frame(k, p->fps);
}

/* ---- --governed: what a kiosk shows ---- */

/* A kiosk simulated on the render's frame grid. The governor decides at each frame from the
 * player's state and the scripted input, in simulated time (the frame's scene time), so two
 * renders give the same frames. The picture changes only where the kiosk would draw a new one
 * at the governed frame rate (paced as play paces it); the frames between hold the last
 * picture. A picture drawn below full scale is enlarged to the output size, as play presents
 * it. With the model sensor, its estimate is read in simulated time too (pixels drawn and its
 * idle figure: the engine's CPU time is not simulated); with a recorded ledger
 * (ledger:FILE), its power figures are replayed at the same times from its start: the figure
 * of the row whose interval holds the ledger's first instant plus the scene time. */
typedef struct render_governed {
    vt_governor *gov;        /* NULL: not governed */
    vt_sensor *sensor;       /* --power-sensor model; NULL: no measurement (only the caps) */
    const char *ledger;      /* --power-sensor ledger:FILE: the file */
    vt_report_power *replay; /* its power figures */
    size_t replay_count, replay_at;
    int64_t replay_start;  /* the ledger's first instant (UTC s): scene time 0 */
    bool replay_ended;     /* read past its last figure */
    vt_governor_desc desc; /* the control law in use, for render.json */
    vt_draw_item *held;    /* the kiosk's picture: the draw list at its last draw */
    size_t held_count;
    double held_scale;
    bool has_picture;
    vt_ticks next_draw;   /* the kiosk's next frame */
    int64_t next_read_ns; /* the model sensor's next reading (4 Hz, as in play) */
    uint32_t frames_since_read;
    double pixels_since_read;
    int64_t pictures;      /* frames of the render that show a new picture */
    int lowest_fps;        /* the lowest setting used over the render's frames */
    double lowest_scale;   /* ... */
    vt_frame_pixels small; /* a frame read back below full scale, before it is enlarged */
    double slot_scale[VT_RENDER_READ_SLOTS]; /* the scale each readback slot was drawn at */
} render_governed;

#define GOVERNED_READ_NS INT64_C(250000000)

/* The kiosk's monotonic clock at scene time t: one second in, so it never reads 0. */
static int64_t simulated_ns(vt_ticks t) {
    return INT64_C(1000000000) + (t / VT_TICKS_PER_SEC) * INT64_C(1000000000) +
           (t % VT_TICKS_PER_SEC) * INT64_C(1000000000) / VT_TICKS_PER_SEC;
}

/* No display control in a render: brightness is neither degraded nor capped (as play without
 * one), so the governor turns down what the frames can show. */
static void without_brightness(vt_governor_desc *d) {
    int n = 0;
    for (int i = 0; i < d->degrade_count; i++) {
        if (d->degrade[i] != VT_ACT_BRIGHTNESS) {
            d->degrade[n++] = d->degrade[i];
        }
    }
    if (n == 0 && d->degrade_count > 0) {
        d->degrade[n++] = VT_ACT_FPS; /* only brightness listed: the frame rate instead */
    }
    d->degrade_count = n;
    d->attract_brightness = 1.0;
}

static vt_status governed_start(render_governed *g, const vt_options *opts, const vt_show *show,
                                vt_error *err) {
    *g = (render_governed){.lowest_fps = INT32_MAX, .lowest_scale = 1.0};
    if (!opts->governed) {
        return VT_OK;
    }
    vt_config cfg = {0};
    if (opts->config) {
        vt_diags diags = {0};
        vt_status st = vt_config_load(opts->config, &cfg, &diags);
        vt_diags_sort(&diags);
        vt_diags_print(&diags, stderr);
        bool said = diags.errors > 0;
        vt_diags_free(&diags);
        if (st != VT_OK) {
            vt_config_free(&cfg);
            return said ? st : VT_FAIL(err, st, "cannot read '%s'", opts->config);
        }
    }
    vt_settings set = {.budget_watts = opts->budget_watts > 0 ? opts->budget_watts : 0};
    vt_settings_resolve(&set, &cfg, show->scene);
    vt_energy_desc ed;
    vt_settings_energy_room room;
    vt_settings_energy_desc(&set, NULL, show->scene, &ed, &room);
    vt_config_free(&cfg);
    g->desc = ed.governor;
    without_brightness(&g->desc);
    if (g->desc.budget_watts > 0 && !opts->power_sensor) {
        vt_log(VT_LOG_WARN, "render",
               "a budget of %.1f W is set, but nothing measures power in a render: only the "
               "caps are shown; add --power-sensor model for the model's decisions",
               g->desc.budget_watts);
    }
    vt_status st = vt_governor_create(&g->desc, &g->gov, err);
    if (st == VT_OK && opts->power_sensor && strncmp(opts->power_sensor, "ledger:", 7) == 0) {
        g->ledger = opts->power_sensor + 7;
        vt_diags diags = {0};
        st = vt_report_power_read(g->ledger, &g->replay, &g->replay_count, &diags);
        vt_diags_sort(&diags);
        vt_diags_print(&diags, stderr);
        vt_diags_free(&diags);
        if (st != VT_OK) {
            st = VT_FAIL(err, st, "cannot replay the energy log '%s' (see above)", g->ledger);
        } else {
            g->replay_start = g->replay[0].utc - (int64_t)ceil(g->replay[0].seconds);
        }
    } else if (st == VT_OK && opts->power_sensor) {
        vt_sensor_desc sd = {.spec = opts->power_sensor};
        st = vt_sensor_open(&sd, &g->sensor, err);
    }
    g->held = vt_xcalloc(show->scene->layer_count + 1, sizeof *g->held);
    return st;
}

static void governed_stop(render_governed *g) {
    if (g->replay_ended) {
        vt_log(VT_LOG_WARN, "render",
               "the energy log %s ends %.0f s into the render: no readings after that", g->ledger,
               (double)(g->replay[g->replay_count - 1].utc - g->replay_start));
    }
    free(g->replay);
    vt_governor_destroy(g->gov);
    vt_sensor_close(g->sensor);
    free(g->held);
    free(g->small.rgba);
    *g = (render_governed){0};
}

/* The recorded figure at the kiosk's clock now_ns: the row whose interval (utc - seconds, utc]
 * holds the ledger's instant replay_start + scene time; false in a gap between runs or past the
 * end. Scene time only moves forward (a split render steps the kiosk up to its start). */
static bool replay_watts(render_governed *g, int64_t now_ns, double *watts) {
    double at = (double)g->replay_start + (double)(now_ns - simulated_ns(0)) / 1e9;
    while (g->replay_at < g->replay_count && (double)g->replay[g->replay_at].utc < at) {
        g->replay_at++;
    }
    if (g->replay_at == g->replay_count) {
        g->replay_ended = true;
        return false;
    }
    const vt_report_power *p = &g->replay[g->replay_at];
    if ((double)p->utc - p->seconds > at) {
        return false;
    }
    *watts = p->watts;
    return true;
}

/* The model sensor or the recorded ledger, read at 4 Hz of simulated time, tells the
 * governor. */
static void governed_read(render_governed *g, int64_t now_ns) {
    if ((!g->sensor && !g->replay) || now_ns < g->next_read_ns) {
        return;
    }
    if (g->replay) {
        double watts;
        if (replay_watts(g, now_ns, &watts)) {
            vt_governor_observe(g->gov, now_ns, watts, g->frames_since_read);
        }
        g->frames_since_read = 0;
        g->pixels_since_read = 0;
        g->next_read_ns = now_ns + GOVERNED_READ_NS;
        return;
    }
    vt_sensor_model_feed(g->sensor, 0.0, g->pixels_since_read, 0.0);
    vt_power_reading r;
    vt_error err = {0};
    if (vt_sensor_read(g->sensor, now_ns, &r, &err) == VT_OK && r.has_watts) {
        vt_governor_observe(g->gov, now_ns, r.watts, g->frames_since_read);
    }
    g->frames_since_read = 0;
    g->pixels_since_read = 0;
    g->next_read_ns = now_ns + GOVERNED_READ_NS;
}

/* Advances the show to t; governed, also the kiosk: true when it draws a new picture then. */
static bool show_step(render_governed *g, vt_show *show, const render_plan *p, vt_ticks t) {
    size_t before = show->next_event;
    vt_show_update(show, t);
    if (!g->gov) {
        return true;
    }
    bool input = show->next_event > before;
    int64_t now_ns = simulated_ns(t);
    governed_read(g, now_ns);
    vt_governor_setting s =
        vt_governor_decide(g->gov, now_ns, vt_player_state(show->player), input);
    if (g->has_picture && !input && t < g->next_draw) {
        return false; /* the kiosk still shows its last picture */
    }
    /* Paced as play paces: one period after the last, never catching up a backlog. */
    vt_ticks period = VT_TICKS_PER_SEC / (s.fps > 0 ? s.fps : p->fps);
    g->next_draw = g->has_picture ? g->next_draw + period : t + period;
    if (g->next_draw < t - period) {
        g->next_draw = t;
    }
    memcpy(g->held, show->items, show->item_count * sizeof *show->items);
    g->held_count = show->item_count;
    g->held_scale = s.scale;
    g->has_picture = true;
    g->frames_since_read++;
    g->pixels_since_read += (double)p->canvas_w * s.scale * p->canvas_h * s.scale;
    return true;
}

/* Draws frame k into readback slot `slot`: the show's picture, or the kiosk's. */
static void draw_frame(render_governed *g, vt_show *show, const render_plan *p, int slot,
                       bool picture) {
    if (!g->gov) {
        vt_renderer_draw(show->renderer, show->scene, show->items, show->item_count, 1.0);
        if (p->output) {
            vt_renderer_draw_output(show->renderer, show->scene, p->output);
        }
        return;
    }
    if (picture) {
        g->pictures++;
    }
    vt_governor_status gs;
    vt_governor_status_get(g->gov, &gs);
    if (gs.setting.fps < g->lowest_fps) {
        g->lowest_fps = gs.setting.fps;
    }
    if (g->held_scale < g->lowest_scale) {
        g->lowest_scale = g->held_scale;
    }
    g->slot_scale[slot] = g->held_scale;
    vt_renderer_draw(show->renderer, show->scene, g->held, g->held_count, g->held_scale);
    if (p->output) { /* the output pass samples the smaller canvas: its frame keeps its size */
        vt_renderer_draw_output(show->renderer, show->scene, p->output);
        g->slot_scale[slot] = 1.0;
    }
    g->pixels_since_read += vt_renderer_shader_pixels(show->renderer); /* shader passes */
    g->pixels_since_read += vt_renderer_output_pixels(show->renderer);
}

/* Where a w x h picture lies fitted into bw x bh, centred (as the renderer fits it), with y
 * counted from the top row. */
typedef struct fit_rect {
    int x, y, w, h;
} fit_rect;

static fit_rect fit_into(double w, double h, int bw, int bh) {
    double s = fmin(bw / w, bh / h);
    int fw = (int)lround(w * s), fh = (int)lround(h * s);
    fw = fw < 1 ? 1 : fw > bw ? bw : fw;
    fh = fh < 1 ? 1 : fh > bh ? bh : fh;
    return (fit_rect){(bw - fw) / 2, (bh - fh) / 2, fw, fh};
}

/* One axis of a bilinear sample: the first source index and the weight of the next. */
static void bilinear_at(int i, int src_n, int dst_n, int *i0, int *i1, double *f) {
    double v = ((double)i + 0.5) * src_n / dst_n - 0.5;
    v = v < 0 ? 0 : v > src_n - 1 ? src_n - 1 : v;
    *i0 = (int)v;
    *i1 = *i0 + 1 < src_n ? *i0 + 1 : *i0;
    *f = v - *i0;
}

/* The canvas of a frame drawn below full scale, enlarged with bilinear filtering into the
 * output size and letterboxed in black: what play's present does on the screen. */
static void enlarge(const vt_frame_pixels *src, const vt_scene *sc, vt_frame_pixels *dst, int w,
                    int h) {
    size_t size = (size_t)w * h * 4;
    if (!dst->rgba || dst->width != w || dst->height != h) {
        dst->rgba = vt_xrealloc(dst->rgba, size);
        dst->width = w;
        dst->height = h;
    }
    for (size_t i = 0; i < size; i += 4) {
        dst->rgba[i] = dst->rgba[i + 1] = dst->rgba[i + 2] = 0;
        dst->rgba[i + 3] = 255;
    }
    fit_rect c = fit_into(sc->width, sc->height, src->width, src->height);
    fit_rect d = fit_into(c.w, c.h, w, h);
    size_t stride = (size_t)src->width * 4;
    for (int y = 0; y < d.h; y++) {
        int y0, y1;
        double fy;
        bilinear_at(y, c.h, d.h, &y0, &y1, &fy);
        const uint8_t *r0 = src->rgba + (size_t)(c.y + y0) * stride;
        const uint8_t *r1 = src->rgba + (size_t)(c.y + y1) * stride;
        uint8_t *out = dst->rgba + ((size_t)(d.y + y) * w + d.x) * 4;
        for (int x = 0; x < d.w; x++) {
            int x0, x1;
            double fx;
            bilinear_at(x, c.w, d.w, &x0, &x1, &fx);
            size_t a = (size_t)(c.x + x0) * 4, b = (size_t)(c.x + x1) * 4;
            for (int ch = 0; ch < 4; ch++) {
                double top = r0[a + ch] + (r0[b + ch] - r0[a + ch]) * fx;
                double bottom = r1[a + ch] + (r1[b + ch] - r1[a + ch]) * fx;
                out[x * 4 + ch] = (uint8_t)(top + (bottom - top) * fy + 0.5);
            }
        }
    }
}

/* The pixels of the frame in readback slot `slot`, at the output size. */
static vt_status fetch_frame(render_governed *g, vt_show *show, const render_plan *p, int slot,
                             vt_frame_pixels *px, vt_error *err) {
    if (!g->gov || g->slot_scale[slot] >= 1.0 || p->output) {
        return vt_renderer_read_finish(show->renderer, slot, px, err);
    }
    vt_status st = vt_renderer_read_finish(show->renderer, slot, &g->small, err);
    if (st == VT_OK) {
        enlarge(&g->small, show->scene, px, p->width, p->height);
    }
    return st;
}

static bool sha256_file(const char *path, char hex[65]) {
    char *data = NULL;
    size_t len = 0;
    if (vt_file_read(path, VT_SCENE_MAX_BYTES, &data, &len, NULL) != VT_OK) {
        return false;
    }
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, len, (const uint8_t *)data);
    sha256_digest(&ctx, sizeof digest, digest);
    for (size_t i = 0; i < sizeof digest; i++) {
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    }
    free(data);
    return true;
}

/* What render.json says of a governed render: the caps and budget it ran under, what it saw. */
static json_t *governor_json(const render_governed *g, const render_plan *p) {
    const vt_governor_desc *d = &g->desc;
    json_t *o = json_object();
    if (d->attract_full) {
        json_object_set_new(o, "attract", json_string("full"));
    } else {
        json_t *a = json_object();
        json_object_set_new(a, "fps", json_integer(d->attract_fps > 0 ? d->attract_fps : 12));
        json_object_set_new(a, "scale", json_real(d->attract_scale > 0 ? d->attract_scale : 0.6));
        json_object_set_new(o, "attract", a);
    }
    json_t *act = json_object();
    json_object_set_new(act, "fps", json_integer(d->fps_max > 0 ? d->fps_max : 60));
    json_object_set_new(act, "scale", json_real(1.0));
    json_object_set_new(o, "active", act);
    json_object_set_new(o, "budget_watts",
                        d->budget_watts > 0 ? json_real(d->budget_watts) : json_null());
    char *ledger = g->ledger ? vt_xasprintf("ledger:%s", g->ledger) : NULL;
    json_object_set_new(o, "power_sensor",
                        g->sensor ? json_string("model")
                        : ledger  ? json_string(ledger)
                                  : json_null());
    free(ledger);
    json_object_set_new(o, "pictures", json_integer(g->pictures));
    json_object_set_new(o, "held_frames", json_integer(p->to - p->from - g->pictures));
    json_t *low = json_object();
    json_object_set_new(low, "fps", json_integer(g->lowest_fps));
    json_object_set_new(low, "scale", json_real(g->lowest_scale));
    json_object_set_new(o, "lowest", low);
    return o;
}

/* What render.json says of --output: which output, from which file, and how it is drawn. */
static json_t *output_json(const render_plan *p) {
    static const char *const warps[] = {"corners", "grid", "mesh"};
    const vt_output *o = p->output;
    json_t *j = json_object();
    json_object_set_new(j, "id", json_string(o->id));
    json_object_set_new(j, "from", p->outputs->path ? json_string(p->outputs->path) : json_null());
    json_t *src = json_array();
    for (int i = 0; i < 4; i++) {
        json_array_append_new(src, json_real(o->source[i]));
    }
    json_object_set_new(j, "source", src);
    json_object_set_new(j, "warp", json_string(warps[o->warp]));
    json_t *blend = json_object();
    static const char *const edges[] = {"left", "right", "top", "bottom"};
    for (int i = 0; i < VT_EDGE_COUNT; i++) {
        json_object_set_new(blend, edges[i], json_real(o->blend[i]));
    }
    json_object_set_new(blend, "gamma", json_real(o->gamma));
    json_object_set_new(j, "edge_blend", blend);
    json_object_set_new(j, "black_level", json_real(o->black_level));
    json_t *trim = json_array();
    for (int i = 0; i < 3; i++) {
        json_array_append_new(trim, json_real(o->trim[i]));
    }
    json_object_set_new(j, "trim", trim);
    json_t *canvas = json_array();
    json_array_append_new(canvas, json_integer(p->canvas_w));
    json_array_append_new(canvas, json_integer(p->canvas_h));
    json_object_set_new(j, "canvas_drawn", canvas);
    return j;
}

static json_t *manifest_json(const vt_options *opts, const render_plan *p,
                             const render_governed *g) {
    char hex[65] = "";
    json_t *root = json_object();
    json_object_set_new(root, "scene", json_string(opts->inputs[0]));
    json_object_set_new(root, "scene_sha256",
                        sha256_file(opts->inputs[0], hex) ? json_string(hex) : json_null());
    json_object_set_new(root, "width", json_integer(p->width));
    json_object_set_new(root, "height", json_integer(p->height));
    json_object_set_new(root, "fps", json_integer(p->fps));
    json_object_set_new(root, "start", json_real(opts->start));
    json_object_set_new(root, "frames", json_integer(p->frames));
    json_object_set_new(root, "first_frame", json_string("frame_00000.png"));
    json_object_set_new(root, "events", opts->events ? json_string(opts->events) : json_null());
    json_object_set_new(root, "audio", opts->audio ? json_string(opts->audio) : json_null());
    json_object_set_new(root, "date", opts->date ? json_string(opts->date) : json_null());
    if (opts->audio) {
        json_object_set_new(root, "audio_samples", json_integer(p->frames * p->spf));
        json_object_set_new(root, "audio_rate", json_integer(VT_AUDIO_RATE));
        json_object_set_new(root, "audio_channels", json_integer(VT_AUDIO_CHANNELS));
    }
    json_object_set_new(root, "output", p->output ? output_json(p) : json_null());
    json_object_set_new(root, "governed", json_boolean(g->gov != NULL));
    if (g->gov) {
        json_object_set_new(root, "governor", governor_json(g, p));
    }
    json_object_set_new(root, "vitrine_version", json_string(VT_VERSION));
    return root;
}

/* render.json, or with --part the part's render.partK.json: what the one-piece render's
 * render.json says ("render", the governor's figures over the part's frames only) and the part's
 * frame and sample ranges, for vitrine merge. */
static vt_status write_manifest(const vt_options *opts, const render_plan *p,
                                const render_governed *g, vt_error *err) {
    json_t *root = manifest_json(opts, p, g);
    if (opts->part_index > 0) {
        json_t *part = json_object();
        json_object_set_new(part, "part", json_integer(opts->part_index));
        json_object_set_new(part, "parts", json_integer(opts->part_count));
        json_object_set_new(part, "frame_range",
                            json_pack("[II]", (json_int_t)p->from, (json_int_t)p->to));
        json_object_set_new(part, "frame_count", json_integer(p->to - p->from));
        json_object_set_new(part, "sample_range",
                            opts->audio ? json_pack("[II]", (json_int_t)(p->from * p->spf),
                                                    (json_int_t)(p->to * p->spf))
                                        : json_null());
        json_object_set_new(part, "render", root);
        root = part;
    }
    char *path = opts->part_index > 0
                     ? vt_xasprintf("%s/render.part%ld.json", opts->out_dir, opts->part_index)
                     : vt_xasprintf("%s/render.json", opts->out_dir);
    vt_status st = vt_render_json_write(path, root, err);
    json_decref(root);
    free(path);
    return st;
}

/* The sound of a render (--audio): mixed after each frame's update, written to the WAV. */
typedef struct render_audio {
    vt_wav_writer *wav; /* NULL: no --audio */
    int16_t *buf;       /* one frame's samples */
} render_audio;

static int64_t sample_at(vt_ticks t) {
    return t / (VT_TICKS_PER_SEC / VT_AUDIO_RATE);
}

/* The sound from `now` for `samples` samples; written unless it is warm-up. */
static vt_status audio_frame(render_audio *ra, vt_show *show, vt_ticks now, int64_t samples,
                             bool write, vt_error *err) {
    if (!ra->wav || samples <= 0) {
        return VT_OK;
    }
    vt_show_audio_update(show, now, false);
    vt_status st = vt_audio_render(show->audio, (size_t)samples, ra->buf, err);
    return st == VT_OK && write ? vt_audio_wav_write(ra->wav, ra->buf, (size_t)samples, err) : st;
}

/* Whether a frame depends on the frames drawn before it: a shader with a persistent buffer. */
static bool has_history(const vt_scene *sc) {
    for (size_t i = 0; i < sc->layer_count; i++) {
        const vt_shader *sh = sc->layers[i].shader;
        if (sh && sh->isf && (sh->isf->uses & VT_ISF_USES_FEEDBACK)) {
            return true;
        }
    }
    return false;
}

/* The frames before the first one are stepped through (not drawn), on the same frame grid, so
 * that the scene reaches `start` (and a part its first frame) exactly as a render from 0 would:
 * scripted input, triggers and timeouts on the way give the same state, and split renders agree.
 * Their sound is mixed and dropped, up to `start`, so the mixer's state (fades, loops, streams) is
 * the same too. A scene whose shaders keep persistent buffers has them drawn as well (not read
 * back): what those buffers hold at `start` is what the frames before it drew. */
static vt_status warm_up(vt_show *show, const render_plan *p, render_audio *ra, render_governed *gv,
                         vt_error *err) {
    int64_t before = p->first >= 0 ? p->first : 0;
    if (p->first < 0) {
        while (vt_ticks_of_frame(before, p->fps) < p->start) {
            before++;
        }
    }
    vt_status st = VT_OK;
    bool draw = has_history(show->scene);
    /* Frames stepped through and not drawn: films only seek to the first frame's time. */
    show->films_idle = !draw;
    for (int64_t g = 0; g < before && st == VT_OK && !stop_signal; g++) {
        vt_ticks t = vt_ticks_of_frame(g, p->fps), next = vt_ticks_of_frame(g + 1, p->fps);
        bool picture = show_step(gv, show, p, t);
        if (draw && picture) {
            draw_frame(gv, show, p, 0, false);
        }
        next = next < p->start ? next : p->start;
        st = audio_frame(ra, show, t, sample_at(next) - sample_at(t), false, err);
    }
    /* A part (--part) goes on through the whole render's frames before its own, as they are. */
    for (int64_t k = 0; k < p->from && st == VT_OK && !stop_signal; k++) {
        bool picture = show_step(gv, show, p, frame_time(p, k));
        if (draw && picture) {
            draw_frame(gv, show, p, 0, false);
        }
        st = audio_frame(ra, show, frame_time(p, k), p->spf, false, err);
    }
    show->films_idle = false;
    /* render.json's governor figures are those of the frames written */
    gv->lowest_fps = INT32_MAX;
    gv->lowest_scale = 1.0;
    return st;
}

/* Draws every frame; frame k's pixels are collected two frames later so the GPU copy overlaps. */
static vt_status render_frames(vt_show *show, const render_plan *p, vt_encoder *enc,
                               render_audio *ra, render_governed *g, vt_error *err) {
    const int lag = VT_RENDER_READ_SLOTS - 1;
    const int64_t count = p->to - p->from;
    vt_status st = warm_up(show, p, ra, g, err);
    for (int64_t k = 0; k < count + lag && st == VT_OK; k++) {
        if (stop_signal) {
            vt_encoder_cancel(enc); /* the frames being written are finished, no others */
            break;
        }
        if (k < count) {
            vt_ticks t = frame_time(p, p->from + k);
            bool picture = show_step(g, show, p, t);
            if ((st = audio_frame(ra, show, t, p->spf, true, err)) != VT_OK) {
                break;
            }
            draw_frame(g, show, p, (int)(k % VT_RENDER_READ_SLOTS), picture);
            vt_renderer_read_start(show->renderer, (int)(k % VT_RENDER_READ_SLOTS));
        }
        int64_t done = k - lag;
        if (done < 0) {
            continue;
        }
        vt_frame_pixels *px = vt_encoder_acquire(enc);
        if (!px) {
            return vt_encoder_finish(enc, err);
        }
        int slot = (int)(done % VT_RENDER_READ_SLOTS);
        st = fetch_frame(g, show, p, slot, px, err);
        if (st != VT_OK) {
            return st;
        }
        vt_encoder_submit(enc, px, p->from + done);
    }
    vt_error enc_err = {0};
    vt_status enc_st = vt_encoder_finish(enc, &enc_err);
    if (st == VT_OK && enc_st != VT_OK) {
        *err = enc_err;
        st = enc_st;
    }
    return st;
}

/* The naive loop the pipelined one is measured against (bench/): draw, wait for the pixels,
 * encode and write, one frame at a time. Chosen with VT_RENDER_SERIAL=1. */
static vt_status render_frames_serial(vt_show *show, const render_plan *p, const vt_options *opts,
                                      render_audio *ra, render_governed *g, vt_error *err) {
    vt_frame_pixels px = {0};
    vt_status st = warm_up(show, p, ra, g, err);
    for (int64_t k = p->from; k < p->to && st == VT_OK && !stop_signal; k++) {
        bool picture = show_step(g, show, p, frame_time(p, k));
        if ((st = audio_frame(ra, show, frame_time(p, k), p->spf, true, err)) != VT_OK) {
            break;
        }
        draw_frame(g, show, p, 0, picture);
        vt_renderer_read_start(show->renderer, 0);
        st = fetch_frame(g, show, p, 0, &px, err);
        uint8_t *png = NULL;
        size_t len = 0;
        if (st == VT_OK) {
            st = vt_png_encode(px.rgba, px.width, px.height, (size_t)px.width * 4, false,
                               (int)opts->png_level, &png, &len, err);
        }
        if (st == VT_OK) {
            char *path = vt_xasprintf("%s/frame_%05lld.png", opts->out_dir, (long long)k);
            st = vt_file_write_atomic(path, png, len, 0, err);
            free(path);
        }
        free(png);
    }
    free(px.rgba);
    return st;
}

/* The WAV this process writes: --audio FILE, or a part's FILE.partK. */
static char *wav_path(const vt_options *opts) {
    return opts->part_index > 0 ? vt_xasprintf("%s.part%ld", opts->audio, opts->part_index)
                                : vt_xstrdup(opts->audio);
}

/* `--out preview.mp4`: the frames encoded into a film (engine/video's writer), with the sound
 * when --audio is given; the lag of VT_RENDER_READ_SLOTS - 1 frames keeps the readback
 * asynchronous, as for PNG frames. Renamed into place only when complete. */
static vt_status render_film(vt_show *show, const render_plan *p, const vt_options *opts,
                             render_audio *ra, render_governed *g, vt_error *err) {
    vt_video_writer *w = NULL;
    vt_status st = vt_video_writer_create(opts->out_dir, p->width, p->height, p->fps, VT_AUDIO_RATE,
                                          ra->wav ? VT_AUDIO_CHANNELS : 0, &w, err);
    if (st != VT_OK) {
        return st;
    }
    const int lag = VT_RENDER_READ_SLOTS - 1;
    vt_frame_pixels px = {0};
    st = warm_up(show, p, ra, g, err);
    for (int64_t k = 0; k < p->frames + lag && st == VT_OK && !stop_signal; k++) {
        if (k < p->frames) {
            bool picture = show_step(g, show, p, frame_time(p, k));
            if ((st = audio_frame(ra, show, frame_time(p, k), p->spf, true, err)) != VT_OK) {
                break;
            }
            if (ra->wav && (st = vt_video_writer_audio(w, ra->buf, (size_t)p->spf, err)) != VT_OK) {
                break;
            }
            draw_frame(g, show, p, (int)(k % VT_RENDER_READ_SLOTS), picture);
            vt_renderer_read_start(show->renderer, (int)(k % VT_RENDER_READ_SLOTS));
        }
        int64_t done = k - lag;
        if (done >= 0) {
            st = fetch_frame(g, show, p, (int)(done % VT_RENDER_READ_SLOTS), &px, err);
            if (st == VT_OK) {
                st = vt_video_writer_frame(w, px.rgba, (size_t)px.width * 4, err);
            }
        }
    }
    free(px.rgba);
    if (st != VT_OK || stop_signal) {
        vt_video_writer_discard(w);
        return st;
    }
    return vt_video_writer_finish(w, err);
}

/* The index of a frame file name as render writes it ("frame_%05lld.png"), or -1. */
static int64_t frame_index(const char *name) {
    if (strncmp(name, "frame_", 6) != 0) {
        return -1;
    }
    char *end = NULL;
    errno = 0;
    long long k = strtoll(name + 6, &end, 10);
    char canonical[64];
    snprintf(canonical, sizeof canonical, "frame_%05lld.png", k);
    return errno == 0 && k >= 0 && strcmp(canonical, name) == 0 ? (int64_t)k : -1;
}

/* Temporary files of render's outputs: frames and render.json (vt_file_tmp_sweep). A part's
 * are only those of its own frames and render.partK.json: the other parts may be writing theirs
 * into the same folder from other machines, where their process ids mean nothing here. */
static bool is_render_output(const char *name, size_t len, void *ctx) {
    const render_plan *p = ctx;
    char target[64];
    if (len >= sizeof target) {
        return false;
    }
    memcpy(target, name, len);
    target[len] = '\0';
    if (p->part > 0) {
        char json[64];
        snprintf(json, sizeof json, "render.part%ld.json", p->part);
        int64_t k = frame_index(target);
        return strcmp(target, json) == 0 || (k >= p->from && k < p->to);
    }
    return strcmp(target, "render.json") == 0 || frame_index(target) >= 0;
}

/* The temporary files of the WAV's own name (it may be in any folder). */
static bool is_wav_output(const char *name, size_t len, void *ctx) {
    const char *base = ctx;
    return strlen(base) == len && memcmp(name, base, len) == 0;
}

/* An earlier render's part manifest (render.partK.json) that this render makes stale: every
 * one for a whole render; for part K of N, its own and those numbered beyond N. */
static bool stale_part(const char *name, const render_plan *p) {
    long k = vt_render_part_of_name(name);
    return k > 0 && (p->part == 0 || k == p->part || k > p->parts);
}

/* Before the first frame, the folder stops describing an earlier render: its render.json goes
 * (a new one is written once every frame is, or by vitrine merge), and so do its frames numbered
 * beyond this render's count, the part manifests it makes stale, and the temporary files that
 * killed renders left. */
static vt_status prepare_folder(const vt_options *opts, const render_plan *p, vt_error *err) {
    char *json = vt_xasprintf("%s/render.json", opts->out_dir);
    vt_status st = vt_file_check_target(json, err);
    if (st == VT_OK && unlink(json) != 0 && errno != ENOENT) {
        st = VT_FAIL(err, VT_E_CANTCREAT, "cannot remove the earlier render's %s: %s", json,
                     strerror(errno));
    }
    free(json);
    if (st != VT_OK) {
        return st;
    }
    vt_file_tmp_sweep(opts->out_dir, is_render_output, (void *)p);
    if (opts->audio) {
        char *wav = wav_path(opts);
        char *dir = vt_path_dirname(wav);
        const char *slash = strrchr(wav, '/');
        vt_file_tmp_sweep(dir, is_wav_output, (void *)(slash ? slash + 1 : wav));
        free(dir);
        free(wav);
    }
    DIR *d = opendir(opts->out_dir);
    if (!d) {
        return VT_FAIL(err, VT_E_CANTCREAT, "cannot read the folder %s: %s", opts->out_dir,
                       strerror(errno));
    }
    int64_t removed = 0, first = -1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        int64_t k = frame_index(e->d_name);
        struct stat sb;
        if (stale_part(e->d_name, p) && unlinkat(dirfd(d), e->d_name, 0) != 0 && errno != ENOENT) {
            st = VT_FAIL(err, VT_E_CANTCREAT, "cannot remove %s/%s of an earlier render: %s",
                         opts->out_dir, e->d_name, strerror(errno));
            break;
        }
        if (k < p->frames || fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 ||
            S_ISDIR(sb.st_mode)) {
            continue;
        }
        /* parts of one render remove the same frames: one may find another's gone */
        if (unlinkat(dirfd(d), e->d_name, 0) != 0 && errno != ENOENT) {
            st = VT_FAIL(err, VT_E_CANTCREAT, "cannot remove %s/%s of an earlier render: %s",
                         opts->out_dir, e->d_name, strerror(errno));
            break;
        }
        removed++;
        first = first < 0 || k < first ? k : first;
    }
    closedir(d);
    if (removed > 0) {
        vt_log(VT_LOG_INFO, "render",
               "removed %lld frame%s of an earlier, longer render from %s (frame_%05lld.png "
               "and after)",
               (long long)removed, removed == 1 ? "" : "s", opts->out_dir, (long long)first);
    }
    return st;
}

static int report(vt_status st, const vt_error *err) {
    fprintf(stderr, "vitrine: %s\n", err->message);
    return st;
}

static vt_status audio_start(vt_show *show, const vt_options *opts, const render_plan *p,
                             render_audio *ra, vt_error *err) {
    *ra = (render_audio){0};
    if (!opts->audio) {
        return VT_OK;
    }
    vt_audio_desc desc = {.mode = VT_AUDIO_OFFLINE};
    vt_status st = vt_show_audio_open(show, &desc, err);
    if (st == VT_OK) {
        char *wav = wav_path(opts);
        st = vt_audio_wav_create(wav, VT_AUDIO_RATE, VT_AUDIO_CHANNELS, &ra->wav, err);
        free(wav);
    }
    ra->buf = vt_xcalloc((size_t)p->spf * VT_AUDIO_CHANNELS, sizeof *ra->buf);
    return st;
}

/* Renames the finished WAV into place (st == VT_OK), or drops it. */
static vt_status audio_finish(render_audio *ra, vt_status st, vt_error *err) {
    if (ra->wav) {
        if (st == VT_OK) {
            st = vt_audio_wav_finish(ra->wav, err);
        } else {
            vt_audio_wav_discard(ra->wav);
        }
    }
    free(ra->buf);
    *ra = (render_audio){0};
    return st;
}

/* render --calibrate: output o's test pattern over the show, its first point selected, and the
 * banner play --calibrate shows on it. */
static void calibration_pattern(vt_show *show, const vt_app_outputs *outputs, const vt_output *o) {
    size_t i = (size_t)(o - outputs->list->items);
    vt_calib c = {.on = true, .output = i, .pattern = VT_OUTPUT_PATTERN_OVER};
    char line[400];
    vt_calib_banner(&c, outputs->list, i, line, sizeof line);
    vt_renderer_set_banner(show->renderer, (vt_color){20, 60, 160, 255}, line);
    vt_renderer_output_pattern(show->renderer, VT_OUTPUT_PATTERN_OVER, 0);
}

/* The render; vt_cmd_render catches SIGINT and SIGTERM around it. */
static int render(const vt_options *opts) {
    vt_show show;
    vt_status st = vt_show_load(&show, opts->inputs[0], opts->events);
    if (st != VT_OK) {
        return st;
    }
    render_plan plan = {0};
    vt_error err = {0};
    vt_app_outputs outputs = {0};
    st = plan_render(opts, show.scene, &plan);
    if (st == VT_OK && (opts->config || opts->output)) {
        st = vt_app_outputs_load(&outputs, opts->config, show.scene);
        plan.outputs = &outputs;
    }
    if (st == VT_OK && opts->output) {
        plan.output = vt_app_outputs_find(&outputs, opts->output);
        st = plan.output ? VT_OK : VT_E_USAGE;
    }
    if (st == VT_OK && plan.output) {
        vt_output_size(plan.output, &plan.width, &plan.height);
        vt_outputs_canvas_target(outputs.list, show.scene->width, show.scene->height,
                                 &plan.canvas_w, &plan.canvas_h);
    }
    bool film = vt_video_writer_handles(opts->out_dir); /* --out preview.mp4 */
    if (st == VT_OK && !film && (st = vt_dir_create(opts->out_dir, &err)) != VT_OK) {
        st = report(st, &err);
    }
    vt_window *win = NULL;
    if (st == VT_OK) {
        vt_window_desc wd = {.title = "vitrine render", .width = 64, .height = 64, .hidden = true};
        st = vt_platform_init(true, &err);
        if (st == VT_OK) {
            st = vt_window_create(&wd, &win, &err);
        }
        if (st == VT_OK) {
            show.fixed_date = true;
            show.date_origin = opts->date ? opts->date_epoch : VT_SHOW_RENDER_DATE;
            show.max_texture = (int)opts->max_texture;
            st = vt_show_build(&show, plan.canvas_w, plan.canvas_h, &err);
        }
        if (st != VT_OK) {
            st = report(st, &err);
        } else if (vt_renderer_shader_problems(show.renderer)->errors > 0) {
            /* a render never shows a silent placeholder for a shader that cannot compile */
            vt_diags_print(vt_renderer_shader_problems(show.renderer), stderr);
            st = VT_E_DATAERR;
        } else if (opts->calibrate) { /* what play --calibrate shows while editing this output */
            calibration_pattern(&show, &outputs, plan.output);
        }
    }
    render_audio ra = {0};
    if (st == VT_OK && (st = audio_start(&show, opts, &plan, &ra, &err)) != VT_OK) {
        st = report(st, &err);
    }
    render_governed gov = {0};
    if (st == VT_OK && (st = governed_start(&gov, opts, &show, &err)) != VT_OK) {
        st = err.message[0] ? (vt_status)report(st, &err) : st;
    }
    if (st == VT_OK && !film && !stop_signal && (st = prepare_folder(opts, &plan, &err)) != VT_OK) {
        st = report(st, &err);
    }
    if (st == VT_OK && !stop_signal) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        int threads = cpus < 1 ? 1 : cpus > 8 ? 8 : (int)cpus;
        vt_encoder_desc ed = {opts->out_dir, threads, threads + VT_RENDER_READ_SLOTS,
                              (int)opts->png_level};
        /* A frame that changes nothing of the one before is not drawn again, and one that
         * changes a part redraws that part: the renderer's damage tracking, as in play (the
         * holds of a slideshow cost a readback, not a drawing). VT_TEST_FULL_REDRAW=1 draws
         * every frame whole, the reference the tests compare with. */
        const char *full = getenv("VT_TEST_FULL_REDRAW");
        bool damage = !(full && strcmp(full, "1") == 0);
        vt_renderer_set_damage(show.renderer, damage);
        int64_t t0 = vt_now_ns();
        const char *serial = getenv("VT_RENDER_SERIAL");
        if (film) {
            st = render_film(&show, &plan, opts, &ra, &gov, &err);
        } else if (serial && strcmp(serial, "1") == 0) {
            st = render_frames_serial(&show, &plan, opts, &ra, &gov, &err);
        } else {
            vt_encoder *enc = vt_encoder_create(&ed);
            st = render_frames(&show, &plan, enc, &ra, &gov, &err);
            vt_encoder_destroy(enc);
        }
        vt_render_damage_stats ds = vt_renderer_damage_stats(show.renderer);
        if (damage) {
            vt_log(VT_LOG_DEBUG, "render",
                   "damage: %llu frames drawn whole, %llu in part, %llu unchanged",
                   (unsigned long long)ds.whole, (unsigned long long)ds.part,
                   (unsigned long long)ds.unchanged);
        }
        if (stop_signal) {
            audio_finish(&ra, VT_E_SOFTWARE, NULL); /* an incomplete render: no WAV either */
        } else {
            st = audio_finish(&ra, st, &err);
        }
        if (st == VT_OK && !stop_signal && !film) {
            st = write_manifest(opts, &plan, &gov, &err);
        }
        if (st != VT_OK) {
            st = report(st, &err);
        } else if (!stop_signal) {
            double secs = (double)(vt_now_ns() - t0) / 1e9;
            int64_t n = plan.to - plan.from;
            vt_log(VT_LOG_INFO, "render",
                   "%lld frame%s of %dx%d at %d fps written to %s in "
                   "%.2f s (%.1f frames/s)",
                   (long long)n, n == 1 ? "" : "s", plan.width, plan.height, plan.fps,
                   opts->out_dir, secs, secs > 0 ? (double)n / secs : 0.0);
            if (plan.part > 0) {
                vt_log(VT_LOG_INFO, "render",
                       "part %ld of %ld: frames %lld to %lld of %lld; vitrine merge %s joins the "
                       "parts once all are done",
                       plan.part, plan.parts, (long long)plan.from, (long long)plan.to - 1,
                       (long long)plan.frames, opts->out_dir);
            }
            if (gov.gov) {
                vt_log(VT_LOG_INFO, "render",
                       "governed: %lld of the frames show a new picture, %lld hold the last "
                       "(render.json's governor says the caps)",
                       (long long)gov.pictures, (long long)(n - gov.pictures));
            }
        }
    }
    audio_finish(&ra, VT_E_SOFTWARE, NULL); /* a failed start: nothing to keep */
    governed_stop(&gov);
    vt_show_unload(&show); /* before the context goes away: GL objects are freed here */
    vt_app_outputs_free(&outputs);
    vt_window_destroy(win);
    vt_platform_quit();
    if (stop_signal && st == VT_OK) { /* the shell's code for a death by that signal */
        fprintf(stderr,
                "vitrine: render stopped by %s: %s holds an incomplete render (no render.json; "
                "every frame written is whole)\n",
                stop_signal == SIGINT ? "SIGINT" : "SIGTERM", opts->out_dir);
        return 128 + stop_signal;
    }
    return st;
}

int vt_cmd_render(const vt_options *opts) {
    struct sigaction old_actions[STOP_SIGNAL_COUNT];
    stop_signals_catch(old_actions);
    int rc = render(opts);
    stop_signals_restore(old_actions);
    return rc;
}
