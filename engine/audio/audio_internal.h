/* Private parts of the audio module: the decoder, clips (a sound's decoded or streamed data),
 * voices (a sound's source), the stream ring and the device state. */
#ifndef VT_AUDIO_INTERNAL_H
#define VT_AUDIO_INTERNAL_H

#include "audio/vt_audio.h"

#include <AL/al.h>
#include <AL/alc.h>
#include <AL/alext.h>
#include <pthread.h>

/* ---- decode.c: libsndfile, from a file or from memory ---- */

typedef struct vt_decoder vt_decoder;

/* Channel counts and rates outside these are refused as implausible (hostile headers). */
#define VT_AUDIO_MAX_CHANNELS 16
#define VT_AUDIO_MIN_RATE 1000
#define VT_AUDIO_MAX_RATE 384000

/* Opens a file; `out_channels` is what reads produce (1 or 2): more channels are downmixed. */
vt_status vt_decoder_open(const char *path, int out_channels, vt_decoder **out, vt_audio_info *info,
                          vt_error *err);
/* A film's sound (its first audio stream, on the film's clock, as long as its pictures), decoded
 * by the video module. A mono stream reads as mono whatever `out_channels` says. */
vt_status vt_decoder_open_film(const char *path, int out_channels, vt_decoder **out,
                               vt_audio_info *info, vt_error *err);
/* Same over bytes in memory (fuzzing); `name` names them in messages. Bytes must outlive it. */
vt_status vt_decoder_open_memory(const void *data, size_t len, const char *name, int out_channels,
                                 vt_decoder **out, vt_audio_info *info, vt_error *err);
/* Reads up to `frames` frames as int16 (out_channels interleaved); returns the count (0 at the
 * end or on a decoding error). */
size_t vt_decoder_read(vt_decoder *d, int16_t *out, size_t frames);
bool vt_decoder_seek(vt_decoder *d, int64_t frame);
void vt_decoder_close(vt_decoder *d);
/* Validates what a decoder found and decodes its first block: the checks vt_audio_probe makes. */
vt_status vt_decoder_check(vt_decoder *d, const char *name, vt_error *err);

/* ---- the module's state ---- */

#define VT_STREAM_BUFFERS 4
#define VT_STREAM_BLOCK_MS 250

/* A sound's data, built from the scene: decoded whole (pcm) or streamed from the file. */
typedef struct vt_clip {
    char *id, *path;
    int64_t file_size, file_mtime_ns; /* a replaced file is a new clip at a hot reload */
    bool loop, spatial, ok;
    bool film;    /* a film's sound (vt_decoder_open_film) */
    bool pending; /* a spoken language's file: decoded the first time it plays */
    bool streamed;
    int channels; /* as played: 1 (spatial, or mono file) or 2 */
    int rate;
    int64_t frames;
    int16_t *pcm;  /* whole clips: frames x channels, kept to rebuild after a device loss */
    ALuint buffer; /* whole clips, while a device is open; 0 otherwise */
} vt_clip;

typedef struct vt_stream {
    vt_decoder *dec;
    ALuint buffers[VT_STREAM_BUFFERS];
    int64_t starts[VT_STREAM_BUFFERS]; /* file frame at the start of each queued buffer, FIFO */
    uint32_t queued, head;             /* head: index in `buffers` of the oldest queued one */
    int64_t next_frame;                /* where the decoder is */
    bool eof;                          /* non-looping stream decoded to its end */
    int16_t *block;                    /* one block of decoded samples */
    size_t block_frames;
} vt_stream;

/* Live drift measurements kept to see through the device's mixing period. */
#define VT_DRIFT_WINDOW 8

typedef struct vt_voice {
    ALuint source; /* 0: none */
    vt_stream *stream;
    uint64_t epoch;
    bool started, paused, ended;
    double nudge;
    double position, drift;
    double recent[VT_DRIFT_WINDOW]; /* live: the last drift measurements, seconds */
    uint32_t recent_next, recent_count;
    uint64_t jumps;
} vt_voice;

struct vt_audio {
    vt_audio_mode mode;
    const vt_audio_backend *backend;
    char *device_name;
    double master;
    double stream_seconds;
    double *operator_bus; /* per scene bus: the operator's level */
    vt_audio_bus_level *bus_levels;
    size_t bus_level_count;

    void *device; /* ALCdevice, NULL while none */
    ALCcontext *context;
    bool device_paused;
    bool per_source_model; /* AL_EXT_source_distance_model */
    vt_ticks next_try;     /* no device: when to try again */
    vt_ticks retry_delay;
    bool missing; /* no device since missing_since */
    vt_ticks missing_since;
    bool tried_once;

    const vt_scene *scene;
    vt_clip *clips;
    vt_voice *voices;
    size_t count;

    vt_audio_stats stats;

    /* Live streams are refilled by a worker; offline ones by vt_audio_render itself. */
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t worker;
    bool worker_running, worker_quit;
};

/* ---- device.c ---- */

/* Opens the backend's device and a context on it (48 kHz stereo int16, limiter off, for
 * loopback). Returns false with *err set. */
bool vt_audio_device_open(vt_audio *a, vt_error *err);
/* Deletes every source and buffer, the context and the device. */
void vt_audio_device_close(vt_audio *a);
/* A whole clip's AL buffer (nothing for streams, failed clips, or one already there). */
void vt_clip_upload(vt_audio *a, vt_clip *c);
/* Live: pauses the device while no source plays, resumes it when one does. */
void vt_audio_device_idle(vt_audio *a, bool idle);

/* ---- stream.c ---- */

vt_stream *vt_stream_create(const vt_clip *clip, vt_error *err);
void vt_stream_destroy(vt_stream *s); /* deletes its AL buffers when it has any */
/* Stops the source, empties its queue and refills from `frame`. */
void vt_stream_seek(vt_stream *s, const vt_clip *clip, ALuint source, int64_t frame);
/* Unqueues played buffers and refills them; restarts a source starved by a late refill. */
void vt_stream_service(vt_stream *s, const vt_clip *clip, ALuint source, bool want_playing);
/* The file frame being played (wrapped for loops). */
int64_t vt_stream_position(const vt_stream *s, const vt_clip *clip, ALuint source);
void vt_audio_worker_start(vt_audio *a);
void vt_audio_worker_stop(vt_audio *a);
/* Services every stream (holding a->lock). */
void vt_audio_service_streams(vt_audio *a);

/* ---- voice.c ---- */

void vt_voice_apply(vt_audio *a, size_t i, const vt_sound_state *st);
void vt_voice_release(vt_audio *a, vt_voice *v);
/* Sets a source's fixed settings (distance model, rolloff) from a->scene: a hot reload's new
 * values reach the sources it keeps. */
void vt_voice_setup(vt_audio *a, size_t i);

/* Frames of `rate` in `t` ticks, exact for rates dividing VT_TICKS_PER_SEC, without overflow. */
int64_t vt_audio_frames_of(vt_ticks t, int rate);

#endif
