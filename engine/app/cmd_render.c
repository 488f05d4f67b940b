/* `vitrine render`: headless, deterministic rendering to a PNG sequence. Frame k is at scene
 * time start + k/fps exactly (integer ticks), so any split of a render gives the same frames.
 * Readback (pixel-buffer objects) and PNG encoding (worker threads) overlap the rendering.
 * With --audio, the sound is mixed in lock-step: 48000/fps samples after each frame's update. */
#include "app/app_internal.h"
#include "io/vt_image.h"
#include "io/vt_io.h"

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
    int width, height;
    int64_t first;  /* global frame index of frame 0 when start is on the fps grid, else -1 */
    vt_ticks start; /* scene time of frame 0 */
    int64_t frames;
    int spf; /* audio samples a frame (--audio) */
} render_plan;

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
    return VT_OK;
}

static vt_ticks frame_time(const render_plan *p, int64_t k) {
    /* On the grid, count from frame 0 of the scene so that split renders agree exactly. */
    return p->first >= 0 ? vt_ticks_of_frame(p->first + k, p->fps)
                         : p->start + vt_ticks_of_frame(k, p->fps);
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

static vt_status write_manifest(const vt_options *opts, const render_plan *p, vt_error *err) {
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
    if (opts->audio) {
        json_object_set_new(root, "audio_samples", json_integer(p->frames * p->spf));
        json_object_set_new(root, "audio_rate", json_integer(VT_AUDIO_RATE));
        json_object_set_new(root, "audio_channels", json_integer(VT_AUDIO_CHANNELS));
    }
    json_object_set_new(root, "vitrine_version", json_string(VT_VERSION));
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    char *path = vt_xasprintf("%s/render.json", opts->out_dir);
    size_t len = strlen(text);
    text[len] = '\n'; /* json_dumps leaves room: replace the NUL, write len + 1 bytes */
    vt_status st = vt_file_write_atomic(path, text, len + 1, VT_WRITE_SYNC, err);
    free(path);
    free(text);
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

/* The frames before the first one are stepped through (not drawn), on the same frame grid, so
 * that the scene reaches `start` exactly as a render from 0 would: scripted input, triggers and
 * timeouts on the way give the same state, and split renders agree. Their sound is mixed and
 * dropped, up to `start`, so the mixer's state (fades, loops, streams) is the same too. */
static vt_status warm_up(vt_show *show, const render_plan *p, render_audio *ra, vt_error *err) {
    int64_t before = p->first >= 0 ? p->first : 0;
    if (p->first < 0) {
        while (vt_ticks_of_frame(before, p->fps) < p->start) {
            before++;
        }
    }
    vt_status st = VT_OK;
    for (int64_t g = 0; g < before && st == VT_OK && !stop_signal; g++) {
        vt_ticks t = vt_ticks_of_frame(g, p->fps), next = vt_ticks_of_frame(g + 1, p->fps);
        vt_show_update(show, t);
        next = next < p->start ? next : p->start;
        st = audio_frame(ra, show, t, sample_at(next) - sample_at(t), false, err);
    }
    return st;
}

/* Draws every frame; frame k's pixels are collected two frames later so the GPU copy overlaps. */
static vt_status render_frames(vt_show *show, const render_plan *p, vt_encoder *enc,
                               render_audio *ra, vt_error *err) {
    const int lag = VT_RENDER_READ_SLOTS - 1;
    vt_status st = warm_up(show, p, ra, err);
    for (int64_t k = 0; k < p->frames + lag && st == VT_OK; k++) {
        if (stop_signal) {
            vt_encoder_cancel(enc); /* the frames being written are finished, no others */
            break;
        }
        if (k < p->frames) {
            vt_show_update(show, frame_time(p, k));
            if ((st = audio_frame(ra, show, frame_time(p, k), p->spf, true, err)) != VT_OK) {
                break;
            }
            vt_renderer_draw(show->renderer, show->scene, show->items, show->item_count, 1.0);
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
        st = vt_renderer_read_finish(show->renderer, slot, px, err);
        if (st != VT_OK) {
            return st;
        }
        vt_encoder_submit(enc, px, done);
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
                                      render_audio *ra, vt_error *err) {
    vt_frame_pixels px = {0};
    vt_status st = warm_up(show, p, ra, err);
    for (int64_t k = 0; k < p->frames && st == VT_OK && !stop_signal; k++) {
        vt_show_update(show, frame_time(p, k));
        if ((st = audio_frame(ra, show, frame_time(p, k), p->spf, true, err)) != VT_OK) {
            break;
        }
        vt_renderer_draw(show->renderer, show->scene, show->items, show->item_count, 1.0);
        vt_renderer_read_start(show->renderer, 0);
        st = vt_renderer_read_finish(show->renderer, 0, &px, err);
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

/* Temporary files of render's outputs: frames and render.json (vt_file_tmp_sweep). */
static bool is_render_output(const char *name, size_t len, void *ctx) {
    (void)ctx;
    static const char json[] = "render.json";
    if (len == sizeof json - 1 && memcmp(name, json, len) == 0) {
        return true;
    }
    return len > 10 && memcmp(name, "frame_", 6) == 0 && memcmp(name + len - 4, ".png", 4) == 0;
}

/* The temporary files of the WAV's own name (it may be in any folder). */
static bool is_wav_output(const char *name, size_t len, void *ctx) {
    const char *base = ctx;
    return strlen(base) == len && memcmp(name, base, len) == 0;
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

/* Before the first frame, the folder stops describing an earlier render: its render.json goes
 * (a new one is written once every frame is), and so do its frames numbered beyond this
 * render's count and the temporary files that killed renders left. */
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
    vt_file_tmp_sweep(opts->out_dir, is_render_output, NULL);
    if (opts->audio) {
        char *dir = vt_path_dirname(opts->audio);
        const char *slash = strrchr(opts->audio, '/');
        vt_file_tmp_sweep(dir, is_wav_output, (void *)(slash ? slash + 1 : opts->audio));
        free(dir);
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
        if (k < p->frames || fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 ||
            S_ISDIR(sb.st_mode)) {
            continue;
        }
        if (unlinkat(dirfd(d), e->d_name, 0) != 0) {
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
        st = vt_audio_wav_create(opts->audio, VT_AUDIO_RATE, VT_AUDIO_CHANNELS, &ra->wav, err);
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

/* The render; vt_cmd_render catches SIGINT and SIGTERM around it. */
static int render(const vt_options *opts) {
    vt_show show;
    vt_status st = vt_show_load(&show, opts->inputs[0], opts->events);
    if (st != VT_OK) {
        return st;
    }
    render_plan plan;
    vt_error err = {0};
    st = plan_render(opts, show.scene, &plan);
    if (st == VT_OK && (st = vt_dir_create(opts->out_dir, &err)) != VT_OK) {
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
            st = vt_show_build(&show, plan.width, plan.height, &err);
        }
        if (st != VT_OK) {
            st = report(st, &err);
        }
    }
    render_audio ra = {0};
    if (st == VT_OK && (st = audio_start(&show, opts, &plan, &ra, &err)) != VT_OK) {
        st = report(st, &err);
    }
    if (st == VT_OK && !stop_signal && (st = prepare_folder(opts, &plan, &err)) != VT_OK) {
        st = report(st, &err);
    }
    if (st == VT_OK && !stop_signal) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        int threads = cpus < 1 ? 1 : cpus > 8 ? 8 : (int)cpus;
        vt_encoder_desc ed = {opts->out_dir, threads, threads + VT_RENDER_READ_SLOTS,
                              (int)opts->png_level};
        int64_t t0 = vt_now_ns();
        const char *serial = getenv("VT_RENDER_SERIAL");
        if (serial && strcmp(serial, "1") == 0) {
            st = render_frames_serial(&show, &plan, opts, &ra, &err);
        } else {
            vt_encoder *enc = vt_encoder_create(&ed);
            st = render_frames(&show, &plan, enc, &ra, &err);
            vt_encoder_destroy(enc);
        }
        if (stop_signal) {
            audio_finish(&ra, VT_E_SOFTWARE, NULL); /* an incomplete render: no WAV either */
        } else {
            st = audio_finish(&ra, st, &err);
        }
        if (st == VT_OK && !stop_signal) {
            st = write_manifest(opts, &plan, &err);
        }
        if (st != VT_OK) {
            st = report(st, &err);
        } else if (!stop_signal) {
            double secs = (double)(vt_now_ns() - t0) / 1e9;
            vt_log(VT_LOG_INFO, "render",
                   "%lld frame%s of %dx%d at %d fps written to %s in "
                   "%.2f s (%.1f frames/s)",
                   (long long)plan.frames, plan.frames == 1 ? "" : "s", plan.width, plan.height,
                   plan.fps, opts->out_dir, secs, secs > 0 ? (double)plan.frames / secs : 0.0);
        }
    }
    audio_finish(&ra, VT_E_SOFTWARE, NULL); /* a failed start: nothing to keep */
    vt_show_unload(&show); /* before the context goes away: GL objects are freed here */
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
