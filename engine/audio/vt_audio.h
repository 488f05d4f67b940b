/* Audio: makes heard what the player decides. Decodes sound files (libsndfile), keeps one OpenAL
 * source per active sound in step with its vt_sound_state, survives a missing or lost device,
 * and renders offline through a loopback device in lock-step with the frames. Knows nothing of
 * timelines or triggers. Only engine/audio includes AL or sndfile headers. */
#ifndef VT_AUDIO_H
#define VT_AUDIO_H

#include "core/vt_core.h"
#include "player/vt_player.h"
#include "scene/vt_scene.h"

/* The offline render format: 48 kHz, stereo, signed 16-bit, interleaved. */
#define VT_AUDIO_RATE 48000
#define VT_AUDIO_CHANNELS 2

/* Files longer than this are streamed by default; shorter ones are decoded whole. */
#define VT_AUDIO_STREAM_SECONDS 10

/* ---- Decoding ---- */

typedef struct vt_audio_info {
    int channels;   /* in the file */
    int rate;       /* frames a second */
    int64_t frames; /* as the header says */
} vt_audio_info;

/* Opens a sound file (WAV, FLAC, Ogg Vorbis, Opus...) and decodes its first block to make sure
 * it is playable. Returns VT_OK with *info filled; VT_E_NOINPUT when the file is missing or
 * unreadable; VT_E_DATAERR when it is not a sound libsndfile can decode, is empty, truncated
 * before its first samples, or has an implausible rate or channel count. Messages name the file.
 * Thread-safe. */
vt_status vt_audio_probe(const char *path, vt_audio_info *info, vt_error *err);

/* ---- Devices ---- */

/* How the audio reaches a device: a table so tests can inject one that fails or "disconnects".
 * `open` returns an ALCdevice (as void *) or NULL with *err set; `is_connected` says whether it
 * is still usable. A loopback backend's devices are rendered by vt_audio_render. */
typedef struct vt_audio_backend {
    const char *name;
    bool loopback;
    void *(*open)(void *user, const char *device_name, vt_error *err);
    void (*close)(void *user, void *device);
    bool (*is_connected)(void *user, void *device);
    void *user;
} vt_audio_backend;

/* alcOpenDevice (ALSOFT_DRIVERS=null gives a silent device) and ALC_SOFT_loopback. */
const vt_audio_backend *vt_audio_backend_device(void);
const vt_audio_backend *vt_audio_backend_loopback(void);

typedef enum vt_audio_mode {
    VT_AUDIO_LIVE,    /* a device plays in real time (play); a missing device is not an error */
    VT_AUDIO_OFFLINE, /* loopback, rendered by vt_audio_render (render, tests) */
} vt_audio_mode;

/* An operator's level for a scene bus (named as in the scene's `buses`). */
typedef struct vt_audio_bus_level {
    const char *name;
    double gain; /* 0..4 */
} vt_audio_bus_level;

typedef struct vt_audio_desc {
    vt_audio_mode mode;
    const vt_audio_backend *backend; /* NULL: the device (live) or loopback (offline) backend */
    const char *device;              /* device name; NULL: the default device */
    double master_gain;              /* 0: 1.0; use `mute` for silence */
    bool mute;
    const vt_audio_bus_level *buses; /* operator levels; buses not named stay at 1 */
    size_t bus_count;
    double stream_seconds; /* files longer than this are streamed; 0: VT_AUDIO_STREAM_SECONDS */
} vt_audio_desc;

typedef struct vt_audio vt_audio;

/* Opens the device and prepares the scene's sounds (a sound whose file cannot be decoded is
 * a warning and stays silent). Live: no device is one warning, and the show runs silent while
 * vt_audio_update retries with backoff. Offline: a loopback device that cannot be opened is an
 * error (VT_E_SOFTWARE). The scene must stay alive until the next vt_audio_update with another
 * scene, or vt_audio_destroy. Not thread-safe: one thread calls every function but the worker
 * it starts for streams. */
vt_status vt_audio_create(const vt_audio_desc *desc, const vt_scene *scene, vt_audio **out,
                          vt_error *err);
void vt_audio_destroy(vt_audio *a);

/* Applies states[scene->sound_count] (from vt_player_sounds at scene time `now`): starts, stops,
 * pauses sources; sets gain, pitch, position; jumps on a new epoch or when more than 250 ms off,
 * and nudges the pitch (2 %) when more than 20 ms off until back within 5 ms. `offset` is read as a
 * position in the file; a sound at a pitch other than 1 runs ahead of or behind it on purpose, so
 * it is only placed there on a new epoch and ends when the file has played out. A `scene` other
 * than the last one (hot reload) rebuilds the sounds, keeping the playing sources of sounds whose
 * id, file and loop/spatial settings did not change (their distances and rolloff follow the new
 * scene). Also checks the device: a lost one is rebuilt and every active sound resumes at its
 * offset; a missing one is retried (1, 2, 4 s, then every 5 s, after a minute every 30 s). */
void vt_audio_update(vt_audio *a, const vt_scene *scene, const vt_sound_state *states,
                     vt_ticks now);

/* When vt_audio_update should be called next without a frame: soon while a pitch nudge is on,
 * every second while sounds play (device checks, drift), at the next retry without a device;
 * INT64_MAX when idle. */
vt_ticks vt_audio_next_deadline(const vt_audio *a, vt_ticks now);

/* Offline: mixes the next `frames` sample frames (48 kHz stereo int16, interleaved) into out.
 * Zeros while no device is open (a simulated loss). VT_E_USAGE in live mode. */
vt_status vt_audio_render(vt_audio *a, size_t frames, int16_t *out, vt_error *err);

/* ---- Inspection (tests, benchmarks, --verbose) ---- */

typedef struct vt_audio_stats {
    bool device_open;
    bool device_paused; /* live: paused while no sound plays (ALC_SOFT_pause_device) */
    uint32_t device_warnings;
    uint32_t open_attempts;
    uint32_t rebuilds;       /* device lost and rebuilt */
    uint32_t sources;        /* AL sources alive */
    uint32_t buffers;        /* AL buffers alive (clips + stream rings) */
    uint32_t sound_warnings; /* sounds gone silent: file unreadable (one warning each) */
} vt_audio_stats;

void vt_audio_get_stats(const vt_audio *a, vt_audio_stats *out);

typedef struct vt_audio_voice_info {
    bool playing; /* a source exists and is not paused */
    bool streamed;
    double position; /* seconds into the file, as last measured */
    double drift;    /* measured - expected at the last update, seconds */
    double nudge;    /* pitch factor applied to correct drift (1: none) */
    uint64_t jumps;  /* seeks, starts included */
    uint32_t queued; /* streams: AL buffers queued */
} vt_audio_voice_info;

/* False when `sound` is out of range. */
bool vt_audio_voice_get(const vt_audio *a, size_t sound, vt_audio_voice_info *out);

/* ---- WAV output (RIFF, WAVE_FORMAT_PCM, 16-bit) ---- */

typedef struct vt_wav_writer vt_wav_writer;

/* Writes to a temporary file beside `path`; vt_audio_wav_finish renames it over `path`.
 * VT_E_CANTCREAT when it cannot be created. */
vt_status vt_audio_wav_create(const char *path, int rate, int channels, vt_wav_writer **out,
                              vt_error *err);
/* Appends `frames` interleaved frames. VT_E_IOERR on a write failure. */
vt_status vt_audio_wav_write(vt_wav_writer *w, const int16_t *samples, size_t frames,
                             vt_error *err);
/* Fills in the sizes, flushes and renames; frees w either way (the temp file is removed on
 * failure). */
vt_status vt_audio_wav_finish(vt_wav_writer *w, vt_error *err);
/* Abandons the file (removes the temporary file) and frees w. */
void vt_audio_wav_discard(vt_wav_writer *w);

#endif
