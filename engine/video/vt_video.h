/* Films: a video file opened with FFmpeg's libraries (libavformat, libavcodec, libswscale,
 * private to this module), probed without decoding it all, and its pictures decoded two ways:
 * offline, frame-exact ("the picture whose presentation interval contains film time t", with a
 * decode-forward cache and frame-exact seeking), and live (demux and decode on a worker thread
 * into a small bounded queue). Pictures stay in the film's own planes (YUV 8 or 10-bit, with
 * alpha where the codec carries it): the renderer converts them in a shader. Software decoding;
 * hardware decoding will be chosen in open_decoder (video.c). */
#ifndef VT_VIDEO_H
#define VT_VIDEO_H

#include "core/vt_core.h"

/* The largest picture side accepted: every GL 3.3 driver we target holds 8192-texel textures,
 * and a hostile header cannot make the decoder allocate more than 8192 x 8192 per picture. */
#define VT_VIDEO_MAX_SIDE 8192
/* Pictures the live queue holds at most (a hostile file cannot grow it). */
#define VT_VIDEO_QUEUE 4

typedef enum vt_video_matrix {
    VT_VIDEO_BT601,
    VT_VIDEO_BT709,
    VT_VIDEO_BT2020,
} vt_video_matrix;

typedef struct vt_video_info {
    char container[48];    /* libavformat's short name ("mov,mp4,m4a,3gp,3g2,mj2") */
    char codec[32];        /* "h264", "vp9", "prores"... */
    char pixel_format[32]; /* as decoded ("yuv420p", "yuva420p", "yuv422p10le"...) */
    int width, height;     /* the coded picture, in pixels */
    int display_width;     /* width after the sample aspect ratio (non-square pixels) */
    vt_ticks duration;     /* the film's length (end of its last picture); > 0 */
    int fps_num, fps_den;  /* nominal frame rate (0/1: unknown) */
    int streams, video_streams, audio_streams;
    int bit_depth; /* of the luma samples: 8, 10, 12 */
    bool has_alpha;
    vt_video_matrix matrix; /* as tagged, else guessed from the height like players do */
    bool full_range;        /* JPEG range (0..255) rather than limited (16..235) */
    uint64_t file_bytes;
    char decoding[16]; /* opened for decoding: "software", "VA-API" or "NVDEC"; else "" */
} vt_video_info;

/* Hardware decoding of live films (play): on by default, VA-API then NVDEC, tried once per
 * process; without either (or for a codec or profile the hardware lacks) films decode in
 * software, which one line of the log says. Offline films (render) always decode in software,
 * so renders are the same on every machine. Off: never tried (the config's
 * `video: {hwaccel: off}`). */
void vt_video_set_hwaccel(bool enabled);
/* FFmpeg's libraries are loaded when a film is first opened, not when the program starts (they
 * and what they pull in cost about 0.1 s of CPU to load). vt_video_preload() starts loading them
 * on a thread of its own, so that a film opened later finds them ready: `play` and `render` call
 * it as soon as they know the scene has films. It never fails: a film's opening reports what is
 * missing. vt_video_loaded() says whether they are loaded (tests). */
void vt_video_preload(void);
bool vt_video_loaded(void);

typedef enum vt_video_layout {
    VT_VIDEO_YUV,    /* planes 0..2: Y, Cb, Cr (3: alpha when `planes` is 4) */
    VT_VIDEO_RGBA,   /* plane 0: RGBA8, straight alpha (formats converted on the CPU: rare) */
    VT_VIDEO_BLOCKS, /* HAP: plane 0 the colour's compressed blocks (`blocks`), plane 1 RGTC1
                      * alpha blocks when `planes` is 2 (HAP Q Alpha); rows of 4x4 blocks */
} vt_video_layout;

/* The block formats of GPU-compressed pictures (HAP): S3TC DXT1 (RGB), DXT5 (RGBA, straight
 * alpha), DXT5 holding scaled YCoCg (HAP Q: converted in the shader), RGTC1 (one channel). */
typedef enum vt_video_blocks {
    VT_VIDEO_DXT1,
    VT_VIDEO_DXT5,
    VT_VIDEO_YCOCG_DXT5,
    VT_VIDEO_RGTC1,
} vt_video_blocks;

/* HAP films whose size is a multiple of 4 give their DXT blocks as they are (VT_VIDEO_BLOCKS,
 * decompressed from Snappy only) when the renderer uploads them as compressed textures (it says
 * so when it is created: a GPU with GL_EXT_texture_compression_s3tc); otherwise libavcodec
 * decodes them to RGBA, and `why_not` (kept, a static string) says why in the log line. For
 * films opened from then on; off until a renderer says. */
void vt_video_set_compressed_textures(bool enabled, const char *why_not);

/* A decoded picture. The planes are owned by the film and stay valid until its next call. */
typedef struct vt_video_frame {
    vt_video_layout layout;
    vt_video_blocks blocks; /* VT_VIDEO_BLOCKS: plane 0's format */
    int width, height;      /* plane 0 (and 3), in samples */
    int display_width;      /* width after the sample aspect ratio (for fitting) */
    int chroma_w, chroma_h; /* planes 1 and 2 */
    int planes;             /* 3 or 4 (YUV), 1 (RGBA), 1 or 2 (BLOCKS) */
    int bytes;              /* per sample: 1, or 2 (little-endian, `depth` low bits used) */
    int depth;              /* significant bits per sample */
    const uint8_t *data[4]; /* top row first */
    int stride[4];          /* bytes per row (BLOCKS: per row of blocks), > 0 */
    vt_video_matrix matrix;
    bool full_range;
    vt_ticks start, end; /* its presentation interval in film time (0 = the first picture) */
    uint64_t serial;     /* differs whenever the picture differs */
} vt_video_frame;

typedef struct vt_video vt_video;

/* Reads the container and the first video stream's parameters (no picture is decoded; a film
 * whose container gives no length is demuxed once, packets only, to find it). Errors name the
 * file and say how to re-encode it: VT_E_NOINPUT (cannot be read), VT_E_DATAERR (not a film
 * this FFmpeg decodes, no video stream, larger than VT_VIDEO_MAX_SIDE). */
vt_status vt_video_probe(const char *path, vt_video_info *info, vt_error *err);

/* Opens a film for decoding (probe included). */
vt_status vt_video_open(const char *path, vt_video **out, vt_error *err);
void vt_video_close(vt_video *v);
const vt_video_info *vt_video_info_of(const vt_video *v);

/* Offline, frame-exact: the picture whose presentation interval contains film time t (before
 * the first: the first; after the last: the last). Consecutive times decode forward without
 * seeking; an earlier time, or one far ahead, seeks to the key frame before it and decodes
 * forward from there. *out stays valid until the next call. A damaged stretch: the error, and
 * the last good picture stays in *out when there is one. */
vt_status vt_video_frame_at(vt_video *v, vt_ticks t, const vt_video_frame **out, vt_error *err);

/* Live: a worker thread demuxes and decodes ahead into a queue of at most VT_VIDEO_QUEUE
 * pictures; `loop` plays the film again from its start after its end, seamlessly (film times
 * then run on past the duration: picture k of the second play is at duration + its time). */
typedef struct vt_video_live vt_video_live;
vt_status vt_video_live_open(const char *path, bool loop, vt_video_live **out, vt_error *err);
void vt_video_live_close(vt_video_live *l);
const vt_video_info *vt_video_live_info(const vt_video_live *l);
/* The picture for film time t (looping: not wrapped), never waiting: the newest queued
 * picture that has started by t (older ones are dropped), else the one shown last (NULL before
 * the first). A time behind the shown picture or far past the queue makes the worker seek
 * there. True in *failed (may be NULL) once the worker has met an error or the film ended
 * without a picture (said once in the log: the last good picture holds). */
const vt_video_frame *vt_video_live_frame(vt_video_live *l, vt_ticks t, bool *failed);

/* The rate the show draws at now (the governor's or attract mode's cap; 0: the film's own).
 * At most half the film's nominal rate, the worker stops decoding non-reference pictures
 * (AVDISCARD_NONREF: no other picture is predicted from them, so the others decode exactly as
 * before): the show could not have shown most of them. Pictures are still chosen by time, so
 * a picture stays up until the next one decoded. Above half, every picture is decoded. */
void vt_video_live_set_drawn_rate(vt_video_live *l, double fps);

/* The film time of the next picture change after film time t for a film playing at normal
 * speed (looping: wraps; not looping: INT64_MAX past the last picture), from the nominal
 * frame grid: for pacing `play`, which then asks for the exact picture. */
vt_ticks vt_video_next_change(const vt_video_info *info, vt_ticks t, bool loop);

/* A film's sound: its first audio stream, decoded to interleaved int16 at the stream's own rate,
 * 1 or 2 channels (more are downmixed), on the film's clock: sample 0 plays with the first
 * picture, and the sound lasts exactly as long as the pictures (cut, or padded with silence
 * where the stream starts late or ends early), so a looping film's sound loops with them. For
 * the audio module, which plays it like a sound file. Errors name the file and say the fix:
 * VT_E_NOINPUT, VT_E_DATAERR (not a film, no sound, a codec this FFmpeg lacks, an implausible
 * rate or channel count). */
typedef struct vt_video_sound vt_video_sound;
typedef struct vt_video_sound_info {
    int channels;   /* in the stream */
    int rate;       /* samples a second */
    int64_t frames; /* the film's length in samples of `rate` */
} vt_video_sound_info;
/* `out_channels`: 1 or 2, what reads produce (a mono stream stays mono: see
 * vt_video_sound_channels). */
vt_status vt_video_sound_open(const char *path, int out_channels, vt_video_sound **out,
                              vt_video_sound_info *info, vt_error *err);
void vt_video_sound_close(vt_video_sound *s);
/* Channels a read produces: 1 or 2. */
int vt_video_sound_channels(const vt_video_sound *s);
/* Up to `frames` frames from the current position; fewer only at the film's end. A damaged
 * stretch reads as silence. */
size_t vt_video_sound_read(vt_video_sound *s, int16_t *out, size_t frames);
/* The next read starts at sample `frame` exactly (decoding from a little before it). */
bool vt_video_sound_seek(vt_video_sound *s, int64_t frame);

/* Writing a film (render --out preview.mp4): frames of RGBA, encoded with libx264 (.mp4, .mov,
 * .mkv) or VP9 (.webm), YUV 4:2:0 BT.709 limited range, with the sound (48 kHz int16
 * interleaved) in AAC (Opus in .webm) when audio_channels > 0. Written to a temporary file
 * beside `path`, renamed over it by vt_video_writer_finish: nothing half-written is left at the
 * name. Errors: VT_E_USAGE (not a film name, odd size), VT_E_CANTCREAT, VT_E_IOERR,
 * VT_E_SOFTWARE (this FFmpeg lacks the encoder: the message says so). */
typedef struct vt_video_writer vt_video_writer;
/* Whether `path` names a film the writer makes (.mp4, .mov, .mkv, .webm). */
bool vt_video_writer_handles(const char *path);
vt_status vt_video_writer_create(const char *path, int width, int height, int fps, int audio_rate,
                                 int audio_channels, vt_video_writer **out, vt_error *err);
/* The next frame, top row first, `stride` bytes a row. */
vt_status vt_video_writer_frame(vt_video_writer *w, const uint8_t *rgba, size_t stride,
                                vt_error *err);
vt_status vt_video_writer_audio(vt_video_writer *w, const int16_t *pcm, size_t frames,
                                vt_error *err);
/* Flushes, finishes the container and renames it into place; frees w either way. */
vt_status vt_video_writer_finish(vt_video_writer *w, vt_error *err);
/* Abandons it (the temporary file is removed) and frees w. */
void vt_video_writer_discard(vt_video_writer *w);

#endif
