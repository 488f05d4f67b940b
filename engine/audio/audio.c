/* The audio object: the scene's clips, the device's life (missing, lost, rebuilt), the per-frame
 * update and the offline render. */
#include "audio/audio_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Without a device: try again after 1, 2, 4 s, then every 5 s; after a minute without one,
 * every 30 s (each failed attempt makes ALSA print several lines: months of them fill a log). */
#define RETRY_FIRST (VT_TICKS_PER_SEC)
#define RETRY_MAX (5 * VT_TICKS_PER_SEC)
#define RETRY_PATIENT (30 * VT_TICKS_PER_SEC)
#define RETRY_PATIENT_AFTER (60 * VT_TICKS_PER_SEC)
/* Offline renders are mixed in blocks of at most this many frames, streams refilled between. */
#define RENDER_BLOCK 4800

/* ---- clips: the scene's sounds, decoded or opened for streaming ---- */

static void clip_free(vt_clip *c) {
    free(c->id);
    free(c->path);
    free(c->pcm);
    *c = (vt_clip){0};
}

static void file_identity(const char *path, int64_t *size, int64_t *mtime_ns) {
    struct stat sb;
    if (stat(path, &sb) != 0) {
        *size = *mtime_ns = -1;
        return;
    }
    *size = (int64_t)sb.st_size;
    *mtime_ns = (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec;
}

static void clip_load(vt_audio *a, vt_clip *c, const vt_sound *snd, double stream_seconds) {
    *c = (vt_clip){
        .id = vt_xstrdup(snd->id), .loop = snd->loop, .spatial = snd->spatial, .film = snd->film};
    c->path = vt_xstrdup(snd->src_path ? snd->src_path : snd->src ? snd->src : "");
    file_identity(c->path, &c->file_size, &c->file_mtime_ns);
    vt_error err = {0};
    vt_decoder *d = NULL;
    vt_audio_info info;
    /* OpenAL only spatialises mono: a spatial sound from a stereo file is downmixed. */
    int want = snd->spatial ? 1 : 2;
    vt_status (*open)(const char *, int, vt_decoder **, vt_audio_info *, vt_error *) =
        c->film ? vt_decoder_open_film : vt_decoder_open;
    if (open(c->path, want, &d, &info, &err) != VT_OK) {
        vt_log(VT_LOG_WARN, "audio", "%s; sound '%s' stays silent", err.message, snd->id);
        a->stats.sound_warnings++;
        return;
    }
    c->channels = info.channels == 1 ? 1 : want;
    vt_decoder_close(d);
    if (open(c->path, c->channels, &d, &info, &err) != VT_OK) {
        vt_log(VT_LOG_WARN, "audio", "%s; sound '%s' stays silent", err.message, snd->id);
        a->stats.sound_warnings++;
        return;
    }
    c->rate = info.rate;
    c->frames = info.frames;
    c->streamed = (double)info.frames > stream_seconds * info.rate;
    if (!c->streamed) {
        c->pcm = vt_xmalloc((size_t)info.frames * (size_t)c->channels * sizeof *c->pcm);
        int64_t got = (int64_t)vt_decoder_read(d, c->pcm, (size_t)info.frames);
        if (got < info.frames) {
            vt_log(VT_LOG_WARN, "audio", "%s: truncated: %lld of %lld frames decoded", c->path,
                   (long long)got, (long long)info.frames);
            c->frames = got;
        }
    }
    vt_decoder_close(d);
    c->ok = c->frames > 0;
}

/* Same id, file and settings that shape the source: a hot reload keeps it playing. */
static bool clip_same(const vt_clip *c, const vt_sound *snd) {
    const char *path = snd->src_path ? snd->src_path : snd->src ? snd->src : "";
    int64_t size = 0, mtime = 0;
    file_identity(path, &size, &mtime);
    return c->ok && strcmp(c->id, snd->id) == 0 && strcmp(c->path, path) == 0 &&
           c->loop == snd->loop && c->spatial == snd->spatial && size == c->file_size &&
           mtime == c->file_mtime_ns;
}

static void operator_levels(vt_audio *a) {
    free(a->operator_bus);
    a->operator_bus = vt_xcalloc(a->scene->bus_count + 1, sizeof *a->operator_bus);
    for (size_t b = 0; b < a->scene->bus_count; b++) {
        a->operator_bus[b] = 1.0;
        for (size_t k = 0; k < a->bus_level_count; k++) {
            if (strcmp(a->bus_levels[k].name, a->scene->buses[b].name) == 0) {
                a->operator_bus[b] = a->bus_levels[k].gain;
            }
        }
    }
}

/* The listener at the scene's listener position, facing -z with +y up: +x is to its right. */
static void set_listener(const vt_scene *scene) {
    alListener3f(AL_POSITION, (ALfloat)scene->listener[0], (ALfloat)scene->listener[1],
                 (ALfloat)scene->listener[2]);
    const ALfloat orient[6] = {0, 0, -1, 0, 1, 0};
    alListenerfv(AL_ORIENTATION, orient);
}

/* Builds the clips and voices of `scene`, moving over those of the previous one that match. */
static void set_scene(vt_audio *a, const vt_scene *scene) {
    size_t n = scene->sound_count;
    vt_clip *clips = vt_xcalloc(n + 1, sizeof *clips);
    vt_voice *voices = vt_xcalloc(n + 1, sizeof *voices);
    for (size_t i = 0; i < n; i++) {
        voices[i].nudge = 1.0;
        for (size_t j = 0; j < a->count; j++) {
            if (a->clips[j].id && clip_same(&a->clips[j], &scene->sounds[i])) {
                clips[i] = a->clips[j];
                voices[i] = a->voices[j];
                a->clips[j] = (vt_clip){0};
                a->voices[j] = (vt_voice){0};
                break;
            }
        }
        if (!clips[i].id && scene->sounds[i].spoken) {
            /* One file per language: only those visitors choose are decoded (when first heard). */
            const vt_sound *snd = &scene->sounds[i];
            clips[i] = (vt_clip){.id = vt_xstrdup(snd->id),
                                 .path = vt_xstrdup(snd->src_path ? snd->src_path : ""),
                                 .pending = true,
                                 .film = snd->film};
        } else if (!clips[i].id) {
            clip_load(a, &clips[i], &scene->sounds[i], a->stream_seconds);
            if (a->device) {
                vt_clip_upload(a, &clips[i]);
            }
        }
    }
    for (size_t j = 0; j < a->count; j++) {
        vt_voice_release(a, &a->voices[j]);
        if (a->clips[j].buffer) {
            alDeleteBuffers(1, &a->clips[j].buffer);
            a->stats.buffers--;
        }
        clip_free(&a->clips[j]);
    }
    free(a->clips);
    free(a->voices);
    a->clips = clips;
    a->voices = voices;
    a->count = n;
    a->scene = scene;
    operator_levels(a);
    if (a->device) {
        set_listener(scene);
        for (size_t i = 0; i < n; i++) {
            vt_voice_setup(a, i); /* kept sources take the new scene's rolloff */
        }
    }
}

/* ---- the device's life ---- */

static bool try_open(vt_audio *a, vt_ticks now) {
    vt_error err = {0};
    if (vt_audio_device_open(a, &err)) {
        a->retry_delay = RETRY_FIRST;
        a->missing = false;
        if (a->scene) {
            set_listener(a->scene);
        }
        if (a->tried_once) {
            vt_log(VT_LOG_INFO, "audio", "audio device open: sound is back");
        }
        a->tried_once = true;
        return true;
    }
    if (a->stats.device_warnings == 0) {
        vt_log(VT_LOG_WARN, "audio", "%s; the show runs silent and tries again every few seconds",
               err.message);
        a->stats.device_warnings++;
    }
    a->tried_once = true;
    if (!a->missing) {
        a->missing = true;
        a->missing_since = now;
    }
    a->next_try = now + a->retry_delay;
    a->retry_delay = now - a->missing_since >= RETRY_PATIENT_AFTER ? RETRY_PATIENT
                     : a->retry_delay * 2 > RETRY_MAX              ? RETRY_MAX
                                                                   : a->retry_delay * 2;
    return false;
}

/* A lost device takes its buffers with it: close everything; the next update reopens it and
 * every active sound resumes at its offset (its voice starts over with a jump). */
static void check_device(vt_audio *a, vt_ticks now) {
    if (a->device && !a->backend->is_connected(a->backend->user, a->device)) {
        vt_log(VT_LOG_WARN, "audio", "the audio device was lost; reopening it");
        a->stats.device_warnings++;
        vt_audio_device_close(a);
        a->stats.rebuilds++;
        a->next_try = now;
        a->retry_delay = RETRY_FIRST;
    }
    if (!a->device && now >= a->next_try) {
        try_open(a, now);
    }
}

vt_status vt_audio_create(const vt_audio_desc *desc, const vt_scene *scene, vt_audio **out,
                          vt_error *err) {
    vt_audio *a = vt_xcalloc(1, sizeof *a);
    a->mode = desc->mode;
    a->backend = desc->backend                    ? desc->backend
                 : desc->mode == VT_AUDIO_OFFLINE ? vt_audio_backend_loopback()
                                                  : vt_audio_backend_device();
    a->device_name = desc->device ? vt_xstrdup(desc->device) : NULL;
    a->master = desc->mute ? 0.0 : desc->master_gain > 0 ? desc->master_gain : 1.0;
    a->stream_seconds = desc->stream_seconds > 0 ? desc->stream_seconds : VT_AUDIO_STREAM_SECONDS;
    a->bus_level_count = desc->bus_count;
    a->bus_levels = vt_xcalloc(desc->bus_count + 1, sizeof *a->bus_levels);
    for (size_t i = 0; i < desc->bus_count; i++) {
        a->bus_levels[i].name = vt_xstrdup(desc->buses[i].name);
        a->bus_levels[i].gain = desc->buses[i].gain;
    }
    a->retry_delay = RETRY_FIRST;
    pthread_mutex_init(&a->lock, NULL);
    /* The worker's timed waits count on the monotonic clock: a wall-clock step back would
     * stall every stream for as long. */
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&a->wake, &attr);
    pthread_condattr_destroy(&attr);
    if (a->mode == VT_AUDIO_OFFLINE && (!a->backend->loopback || !vt_audio_device_open(a, err))) {
        if (!a->backend->loopback) {
            (void)VT_FAIL(err, VT_E_USAGE, "offline audio needs a loopback backend");
        }
        vt_audio_destroy(a);
        *out = NULL;
        return err ? err->status : VT_E_SOFTWARE;
    }
    if (a->mode == VT_AUDIO_LIVE) {
        try_open(a, 0);
    }
    set_scene(a, scene);
    vt_audio_worker_start(a);
    *out = a;
    return VT_OK;
}

void vt_audio_destroy(vt_audio *a) {
    if (!a) {
        return;
    }
    vt_audio_worker_stop(a);
    vt_audio_device_close(a);
    for (size_t i = 0; i < a->count; i++) {
        clip_free(&a->clips[i]);
    }
    for (size_t i = 0; i < a->bus_level_count; i++) {
        free((char *)a->bus_levels[i].name);
    }
    free(a->bus_levels);
    free(a->operator_bus);
    free(a->clips);
    free(a->voices);
    free(a->device_name);
    pthread_cond_destroy(&a->wake);
    pthread_mutex_destroy(&a->lock);
    free(a);
}

void vt_audio_update(vt_audio *a, const vt_scene *scene, const vt_sound_state *states,
                     vt_ticks now) {
    pthread_mutex_lock(&a->lock);
    /* The new scene first: a device opened by check_device sets the listener from a->scene, and
     * the old scene may already be freed (the caller swaps, then updates). */
    if (scene != a->scene) {
        set_scene(a, scene);
    }
    check_device(a, now);
    bool any = false, streaming = false;
    for (size_t i = 0; i < a->count; i++) {
        if (a->clips[i].pending && states[i].active) {
            clip_free(&a->clips[i]);
            clip_load(a, &a->clips[i], &a->scene->sounds[i], a->stream_seconds);
            if (a->device) {
                vt_clip_upload(a, &a->clips[i]);
            }
        }
        vt_voice_apply(a, i, &states[i]);
        const vt_voice *v = &a->voices[i];
        any = any || (v->source && !v->paused);
        streaming = streaming || (v->source && v->stream && !v->paused && !v->ended);
    }
    vt_audio_device_idle(a, !any);
    if (streaming) {
        /* The worker sleeps while nothing streams; whole clips need no refills. */
        pthread_cond_signal(&a->wake);
    }
    pthread_mutex_unlock(&a->lock);
}

vt_ticks vt_audio_next_deadline(const vt_audio *a, vt_ticks now) {
    if (!a->device) {
        return a->next_try > now ? a->next_try : now + 1;
    }
    vt_ticks next = INT64_MAX;
    for (size_t i = 0; i < a->count; i++) {
        const vt_voice *v = &a->voices[i];
        if (!v->source || v->paused) {
            continue;
        }
        vt_ticks t = now + (v->nudge != 1.0 ? VT_TICKS_PER_SEC / 20 : VT_TICKS_PER_SEC);
        next = t < next ? t : next;
    }
    return next;
}

/* Full scale is 32768 so that 16-bit sources pass through unchanged; clipped, not wrapped. */
static int16_t to_int16(float x) {
    float s = x * 32768.0f;
    if (!(s > -32768.0f)) {
        return s != s ? 0 : -32768;
    }
    return s >= 32767.0f ? 32767 : (int16_t)lrintf(s);
}

vt_status vt_audio_render(vt_audio *a, size_t frames, int16_t *out, vt_error *err) {
    if (a->mode != VT_AUDIO_OFFLINE) {
        return VT_FAIL(err, VT_E_USAGE, "vt_audio_render needs an offline (loopback) audio");
    }
    if (!a->device) {
        memset(out, 0, frames * VT_AUDIO_CHANNELS * sizeof *out);
        return VT_OK;
    }
    LPALCRENDERSAMPLESSOFT render_samples =
        (LPALCRENDERSAMPLESSOFT)alcGetProcAddress(a->device, "alcRenderSamplesSOFT");
    if (!render_samples) {
        return VT_FAIL(err, VT_E_SOFTWARE, "OpenAL has no alcRenderSamplesSOFT");
    }
    float mix[RENDER_BLOCK * VT_AUDIO_CHANNELS];
    for (size_t done = 0; done < frames;) {
        size_t n = frames - done < RENDER_BLOCK ? frames - done : RENDER_BLOCK;
        vt_audio_service_streams(a);
        render_samples(a->device, mix, (ALCsizei)n);
        for (size_t i = 0; i < n * VT_AUDIO_CHANNELS; i++) {
            out[done * VT_AUDIO_CHANNELS + i] = to_int16(mix[i]);
        }
        done += n;
    }
    return VT_OK;
}

/* The streaming worker changes queues and counts: readers take the lock too. */
static pthread_mutex_t *lock_of(const vt_audio *a) {
    return (pthread_mutex_t *)&a->lock;
}

void vt_audio_get_stats(const vt_audio *a, vt_audio_stats *out) {
    pthread_mutex_lock(lock_of(a));
    *out = a->stats;
    pthread_mutex_unlock(lock_of(a));
}

bool vt_audio_voice_get(const vt_audio *a, size_t sound, vt_audio_voice_info *out) {
    if (sound >= a->count) {
        return false;
    }
    pthread_mutex_lock(lock_of(a));
    const vt_voice *v = &a->voices[sound];
    *out = (vt_audio_voice_info){
        .playing = v->source && !v->paused,
        .streamed = a->clips[sound].streamed,
        .position = v->position,
        .drift = v->drift,
        .nudge = v->nudge,
        .jumps = v->jumps,
        .queued = v->stream ? v->stream->queued : 0,
    };
    pthread_mutex_unlock(lock_of(a));
    return true;
}
