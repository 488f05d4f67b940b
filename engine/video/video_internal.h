/* The video module's private parts: the reader (one demuxer and one decoder over a file, giving
 * pictures in presentation order with their intervals), shared by the offline film (video.c)
 * and the live worker (live.c). Includes FFmpeg: only this module and its tests include it. */
#ifndef VT_VIDEO_INTERNAL_H
#define VT_VIDEO_INTERNAL_H

#include "video/ffmpeg.h"
#include "video/vt_video.h"

/* The fix every message about an unusable film ends with. */
#define VT_VIDEO_REENCODE                                                                          \
    "re-encode it, e.g. ffmpeg -i IN -c:v libx264 -pix_fmt yuv420p -crf 18 -movflags +faststart "  \
    "OUT.mp4"

typedef struct vt_video_reader {
    char *path;
    AVFormatContext *fmt;
    AVCodecContext *dec; /* NULL when only probed */
    int stream;
    AVRational tb;
    int64_t start_pts; /* the stream's first time (its film time 0), in tb */
    AVPacket *pkt;
    AVFrame *raw;   /* scratch for the decoder's output */
    AVFrame *ahead; /* decoded, waiting for its end: the next picture's start */
    bool have_ahead;
    vt_ticks ahead_start;
    bool flushing; /* the demuxer is at its end and the decoder is being drained */
    int bad_packets;
    int read_error; /* the demuxer's error that ended the film early (0: none) */
    struct SwsContext *sws;
    vt_ticks nominal; /* one picture's duration at the nominal frame rate */
    int seeks;        /* how many times it sought (tests: consecutive times never seek) */
    bool hardware;    /* live: decode on the GPU when the machine and the codec allow */
    bool vp9_alpha;   /* VP9 with alpha (WebM): decoded by libvpx-vp9 */
    int hw_format;    /* the decoder's hardware pixel format (-1: software) */
    AVFrame *soft;    /* a hardware picture brought back to memory */
    bool hap_blocks;  /* HAP: packets taken apart here (hap.c), blocks kept for the GPU */
    bool hap_warned;  /* a damaged HAP frame was said (once) */
    vt_video_info info;
} vt_video_reader;

/* Opens and probes `path`; with `decode`, also opens the decoder. */
vt_status vt_video_reader_open(vt_video_reader *rd, const char *path, bool decode, vt_error *err);
/* Same, with `hardware`: the decoder uses VA-API or NVDEC where it can (live films). */
vt_status vt_video_reader_open_as(vt_video_reader *rd, const char *path, bool decode, bool hardware,
                                  vt_error *err);
void vt_video_reader_close(vt_video_reader *rd);
/* Test hook: how many hardware devices this process tried to open (once each at most). */
int vt_video_hw_attempts(void);
/* The next picture in presentation order, moved into `out` with its interval; *got false at
 * the end of the film. */
vt_status vt_video_reader_next(vt_video_reader *rd, AVFrame *out, vt_ticks *start, vt_ticks *end,
                               bool *got, vt_error *err);
/* VT_OK, or the error that ended the film early (a damaged or truncated file), named. */
vt_status vt_video_reader_read_error(vt_video_reader *rd, vt_error *err);
/* Goes to the key frame at or before film time t: the next pictures are from there. */
vt_status vt_video_reader_seek(vt_video_reader *rd, vt_ticks t, vt_error *err);
/* A picture's serial: unique in the process, so that a film closed and another opened at the
 * same address (a language switch, a reload) never give the renderer a picture it takes for the
 * one it already holds. */
uint64_t vt_video_next_serial(void);
/* Whether `f` holds a HAP frame's compressed blocks (from a reader with hap_blocks). */
bool vt_video_is_blocks(const AVFrame *f);
/* Whether a picture's planes are not what the renderer takes as they are (planar YUV, 8 to 16
 * bits, little-endian): packed, semi-planar, RGB, grey and palette pictures. */
bool vt_video_needs_conversion(const AVFrame *f);
/* Converts such a picture into `conv` (swscale, cached in *sws): planar YUV 4:4:4 of its
 * depth class (with alpha when it has alpha), or RGBA for RGB, grey and palette pictures. */
vt_status vt_video_convert(const char *path, struct SwsContext **sws, const AVFrame *src,
                           AVFrame *conv, vt_error *err);
/* Describes `src` as planes the renderer takes, converting it into `conv` first when needed;
 * untagged pictures take the matrix and range of `info`. */
vt_status vt_video_describe(const char *path, const vt_video_info *info, struct SwsContext **sws,
                            AVFrame *src, AVFrame *conv, vt_video_frame *out, vt_error *err);

/* ---- HAP frames taken apart (hap.c) ---- */
/* Chunks a chunked HAP texture may have (FFmpeg's encoder makes at most 64). */
#define VT_HAP_MAX_CHUNKS 1024
typedef struct vt_video_hap {
    int count;                 /* textures: 1, or 2 (HAP Q Alpha: colour, then RGTC1 alpha) */
    vt_video_blocks format[2]; /* of each */
    AVBufferRef *buf[2];       /* each exactly vt_video_hap_texture_bytes */
} vt_video_hap;
/* The bytes of a width x height picture's blocks in `format` (4x4 texels a block). */
size_t vt_video_hap_texture_bytes(vt_video_blocks format, int width, int height);
/* The textures of one HAP frame (a packet) for a width x height picture, decompressed; errors
 * (VT_E_DATAERR) say what is wrong with the frame, "HAP frame: ...". */
vt_status vt_video_hap_unpack(const uint8_t *data, size_t size, int width, int height,
                              vt_video_hap *out, vt_error *err);
void vt_video_hap_free(vt_video_hap *h);

/* Test hook: how many times an offline film sought. */
int vt_video_seek_count(const vt_video *v);
/* Test hook: how many pictures the live queue holds now. */
size_t vt_video_live_queued(vt_video_live *l);
/* Test and benchmark hook: how many pictures the live film's worker has decoded. */
uint64_t vt_video_live_decoded(vt_video_live *l);
/* Test hook: how many seeks the live film's consumer has asked for. */
uint64_t vt_video_live_seeks(vt_video_live *l);

#endif
