/* Writing a film (render --out x.mp4): RGBA frames converted to YUV 4:2:0 (BT.709, limited
 * range, swscale) and encoded with libx264 (VP9 through libvpx for .webm), the render's sound
 * (48 kHz stereo int16) with AAC (Opus for .webm), muxed by libavformat into a temporary file
 * beside the target, renamed over it once complete: nothing half-written is ever at the name. */
#include "io/vt_io.h"
#include "video/video_internal.h"

#include <errno.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define AVIO_BUFFER 65536

struct vt_video_writer {
    char *path, *tmp;
    int fd;
    AVFormatContext *oc;
    AVCodecContext *venc, *aenc;
    AVStream *vs, *as;
    struct SwsContext *sws;
    AVFrame *vf, *af;
    AVPacket *pkt;
    int64_t frames;
    int16_t *pending; /* audio samples waiting for a whole encoder frame (interleaved stereo) */
    size_t pending_len, pending_cap;
    int64_t samples; /* audio samples sent to the encoder */
    int channels;
    bool header;
};

static int io_write(void *opaque, uint8_t *buf, int size) {
    int fd = *(int *)opaque;
    int done = 0;
    while (done < size) {
        ssize_t n = write(fd, buf + done, (size_t)(size - done));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return AVERROR(errno ? errno : EIO);
        }
        done += (int)n;
    }
    return done;
}

static int64_t io_seek(void *opaque, int64_t offset, int whence) {
    int fd = *(int *)opaque;
    if (whence & AVSEEK_SIZE) {
        return -1;
    }
    off_t r = lseek(fd, (off_t)offset, whence & ~AVSEEK_FORCE);
    return r < 0 ? AVERROR(errno) : (int64_t)r;
}

static const char *ext_of(const char *path) {
    const char *dot = strrchr(path, '.');
    return dot && !strchr(dot, '/') ? dot + 1 : "";
}

bool vt_video_writer_handles(const char *path) {
    static const char *const exts[] = {"mp4", "mov", "mkv", "webm", NULL};
    for (size_t i = 0; exts[i]; i++) {
        if (strcasecmp(ext_of(path), exts[i]) == 0) {
            return true;
        }
    }
    return false;
}

static vt_status encoder_error(vt_video_writer *w, const char *what, int r, vt_error *err) {
    char e[128];
    av_strerror(r, e, sizeof e);
    return VT_FAIL(err, VT_E_SOFTWARE, "%s: %s (%s)", w->path, what, e);
}

static vt_status open_video(vt_video_writer *w, bool webm, int width, int height, int fps,
                            vt_error *err) {
    const char *name = webm ? "libvpx-vp9" : "libx264";
    const AVCodec *codec = avcodec_find_encoder_by_name(name);
    if (!codec) {
        return VT_FAIL(err, VT_E_SOFTWARE,
                       "%s: this FFmpeg has no %s encoder; install an FFmpeg built with it "
                       "(Debian's libavcodec59 is), or render to PNG frames (--out FOLDER)",
                       w->path, name);
    }
    if (width % 2 || height % 2) {
        return VT_FAIL(err, VT_E_USAGE,
                       "%s: a film needs an even width and height, the render is %dx%d; give "
                       "--size with even numbers",
                       w->path, width, height);
    }
    w->venc = avcodec_alloc_context3(codec);
    w->vs = avformat_new_stream(w->oc, NULL);
    if (!w->venc || !w->vs) {
        return VT_FAIL(err, VT_E_SOFTWARE, "%s: out of memory", w->path);
    }
    AVCodecContext *c = w->venc;
    c->width = width;
    c->height = height;
    c->time_base = (AVRational){1, fps};
    c->framerate = (AVRational){fps, 1};
    c->pix_fmt = AV_PIX_FMT_YUV420P;
    c->gop_size = 2 * fps;
    /* No B pictures: without reordering, the container's edit list cannot cut the last frame
     * (MP4's, with x264's B pictures, ended a frame early), and every frame is a whole one. */
    c->max_b_frames = 0;
    c->colorspace = AVCOL_SPC_BT709;
    c->color_primaries = AVCOL_PRI_BT709;
    c->color_trc = AVCOL_TRC_BT709;
    c->color_range = AVCOL_RANGE_MPEG;
    if (w->oc->oformat->flags & AVFMT_GLOBALHEADER) {
        c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    }
    /* A preview to send: good pictures, quickly. */
    if (webm) {
        av_opt_set(c->priv_data, "deadline", "realtime", 0);
        av_opt_set_int(c->priv_data, "cpu-used", 8, 0);
        av_opt_set_int(c->priv_data, "crf", 32, 0);
        c->bit_rate = 0;
    } else {
        av_opt_set(c->priv_data, "preset", "veryfast", 0);
        av_opt_set(c->priv_data, "crf", "18", 0);
    }
    int r = avcodec_open2(c, codec, NULL);
    if (r < 0) {
        return encoder_error(w, "the video encoder does not open", r, err);
    }
    avcodec_parameters_from_context(w->vs->codecpar, c);
    w->vs->time_base = c->time_base;
    w->vf = av_frame_alloc();
    if (!w->vf) {
        return VT_FAIL(err, VT_E_SOFTWARE, "%s: out of memory", w->path);
    }
    w->vf->format = c->pix_fmt;
    w->vf->width = width;
    w->vf->height = height;
    if (av_frame_get_buffer(w->vf, 0) < 0) {
        return VT_FAIL(err, VT_E_SOFTWARE, "%s: out of memory", w->path);
    }
    w->sws = sws_getContext(width, height, AV_PIX_FMT_RGBA, width, height, c->pix_fmt,
                            SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, NULL, NULL, NULL);
    if (!w->sws) {
        return VT_FAIL(err, VT_E_SOFTWARE, "%s: no colour conversion to %s", w->path,
                       av_get_pix_fmt_name(c->pix_fmt));
    }
    const int *coefs = sws_getCoefficients(SWS_CS_ITU709);
    sws_setColorspaceDetails(w->sws, coefs, 1, coefs, 0, 0, 1 << 16, 1 << 16);
    return VT_OK;
}

static vt_status open_audio(vt_video_writer *w, bool webm, int rate, int channels, vt_error *err) {
    const char *name = webm ? "libopus" : "aac";
    const AVCodec *codec = avcodec_find_encoder_by_name(name);
    if (!codec) {
        return VT_FAIL(err, VT_E_SOFTWARE, "%s: this FFmpeg has no %s encoder for the sound",
                       w->path, name);
    }
    w->aenc = avcodec_alloc_context3(codec);
    w->as = avformat_new_stream(w->oc, NULL);
    if (!w->aenc || !w->as) {
        return VT_FAIL(err, VT_E_SOFTWARE, "%s: out of memory", w->path);
    }
    AVCodecContext *c = w->aenc;
    c->sample_rate = rate;
    av_channel_layout_default(&c->ch_layout, channels);
    c->sample_fmt = codec->sample_fmts ? codec->sample_fmts[0] : AV_SAMPLE_FMT_S16;
    c->bit_rate = webm ? 128000 : 192000;
    c->time_base = (AVRational){1, rate};
    if (w->oc->oformat->flags & AVFMT_GLOBALHEADER) {
        c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    }
    if (c->sample_fmt != AV_SAMPLE_FMT_FLTP && c->sample_fmt != AV_SAMPLE_FMT_S16) {
        return VT_FAIL(err, VT_E_SOFTWARE, "%s: the %s encoder takes no 16-bit or float sound",
                       w->path, name);
    }
    int r = avcodec_open2(c, codec, NULL);
    if (r < 0) {
        return encoder_error(w, "the sound encoder does not open", r, err);
    }
    avcodec_parameters_from_context(w->as->codecpar, c);
    w->as->time_base = c->time_base;
    w->af = av_frame_alloc();
    if (!w->af) {
        return VT_FAIL(err, VT_E_SOFTWARE, "%s: out of memory", w->path);
    }
    w->channels = channels;
    return VT_OK;
}

vt_status vt_video_writer_create(const char *path, int width, int height, int fps, int audio_rate,
                                 int audio_channels, vt_video_writer **out, vt_error *err) {
    *out = NULL;
    vt_status loaded = vt_ffmpeg_load(err);
    if (loaded != VT_OK) {
        return loaded;
    }
    vt_video_writer *w = vt_xcalloc(1, sizeof *w);
    w->path = vt_xstrdup(path);
    w->fd = -1;
    bool webm = strcasecmp(ext_of(path), "webm") == 0;
    vt_status st = VT_OK;
    if (avformat_alloc_output_context2(&w->oc, NULL, NULL, path) < 0 || !w->oc) {
        st = VT_FAIL(err, VT_E_USAGE,
                     "%s: no container for this name; end it in .mp4, .mov, "
                     ".mkv or .webm",
                     path);
    }
    if (st == VT_OK) {
        st = open_video(w, webm, width, height, fps, err);
    }
    if (st == VT_OK && audio_channels > 0) {
        st = open_audio(w, webm, audio_rate, audio_channels, err);
    }
    if (st == VT_OK) {
        w->fd = vt_file_tmp_create(path, &w->tmp);
        if (w->fd < 0) {
            st = VT_FAIL(err, VT_E_CANTCREAT, "cannot create %s: %s", path, strerror(errno));
        }
    }
    if (st == VT_OK) {
        int *opaque = malloc(sizeof *opaque);
        uint8_t *buf = av_malloc(AVIO_BUFFER);
        w->oc->pb = opaque && buf
                        ? avio_alloc_context(buf, AVIO_BUFFER, 1, opaque, NULL, io_write, io_seek)
                        : NULL;
        if (!w->oc->pb) {
            free(opaque);
            av_free(buf);
            st = VT_FAIL(err, VT_E_SOFTWARE, "%s: out of memory", path);
        } else {
            *opaque = w->fd;
            /* +faststart reads the file back by its name to move the index to the front */
            av_freep(&w->oc->url);
            w->oc->url = av_strdup(w->tmp);
        }
    }
    w->pkt = av_packet_alloc();
    if (st == VT_OK) {
        AVDictionary *opts = NULL;
        av_dict_set(&opts, "movflags", "+faststart", 0);
        int r = avformat_write_header(w->oc, &opts);
        av_dict_free(&opts);
        st = r < 0 ? encoder_error(w, "the container header cannot be written", r, err) : VT_OK;
        w->header = r >= 0;
    }
    if (st != VT_OK) {
        vt_video_writer_discard(w);
        return st;
    }
    *out = w;
    return VT_OK;
}

/* Sends `frame` (NULL: the end) to `enc` and writes what comes out. */
static vt_status drain(vt_video_writer *w, AVCodecContext *enc, AVStream *st, AVFrame *frame,
                       vt_error *err) {
    int r = avcodec_send_frame(enc, frame);
    while (r >= 0) {
        r = avcodec_receive_packet(enc, w->pkt);
        if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) {
            return VT_OK;
        }
        if (r < 0) {
            break;
        }
        if (w->pkt->duration <= 0 && enc == w->venc) {
            w->pkt->duration = 1; /* one frame: the container counts the last one whole */
        }
        av_packet_rescale_ts(w->pkt, enc->time_base, st->time_base);
        w->pkt->stream_index = st->index;
        r = av_interleaved_write_frame(w->oc, w->pkt);
        if (r < 0) {
            return VT_FAIL(err, VT_E_IOERR, "%s: cannot write the film: %s", w->path,
                           av_err2str(r));
        }
    }
    return r == AVERROR_EOF ? VT_OK : encoder_error(w, "encoding failed", r, err);
}

vt_status vt_video_writer_frame(vt_video_writer *w, const uint8_t *rgba, size_t stride,
                                vt_error *err) {
    if (av_frame_make_writable(w->vf) < 0) {
        return VT_FAIL(err, VT_E_SOFTWARE, "%s: out of memory", w->path);
    }
    const uint8_t *src[1] = {rgba};
    int src_stride[1] = {(int)stride};
    sws_scale(w->sws, src, src_stride, 0, w->venc->height, w->vf->data, w->vf->linesize);
    w->vf->pts = w->frames++;
    return drain(w, w->venc, w->vs, w->vf, err);
}

/* Encodes `n` samples from the start of pending. */
static vt_status encode_audio(vt_video_writer *w, int n, vt_error *err) {
    AVFrame *f = w->af;
    av_frame_unref(f);
    f->nb_samples = n;
    f->format = w->aenc->sample_fmt;
    f->sample_rate = w->aenc->sample_rate;
    av_channel_layout_copy(&f->ch_layout, &w->aenc->ch_layout);
    if (av_frame_get_buffer(f, 0) < 0) {
        return VT_FAIL(err, VT_E_SOFTWARE, "%s: out of memory", w->path);
    }
    size_t ch = (size_t)w->channels;
    if (f->format == AV_SAMPLE_FMT_S16) {
        memcpy(f->data[0], w->pending, (size_t)n * ch * sizeof *w->pending);
    } else {
        for (size_t c = 0; c < ch; c++) {
            float *d = (float *)f->extended_data[c];
            for (int i = 0; i < n; i++) {
                d[i] = (float)w->pending[(size_t)i * ch + c] / 32768.0f;
            }
        }
    }
    f->pts = w->samples;
    w->samples += n;
    memmove(w->pending, w->pending + (size_t)n * ch,
            (w->pending_len - (size_t)n) * ch * sizeof *w->pending);
    w->pending_len -= (size_t)n;
    return drain(w, w->aenc, w->as, f, err);
}

vt_status vt_video_writer_audio(vt_video_writer *w, const int16_t *pcm, size_t frames,
                                vt_error *err) {
    if (!w->aenc) {
        return VT_OK;
    }
    size_t ch = (size_t)w->channels;
    if (w->pending_len + frames > w->pending_cap) {
        w->pending_cap = (w->pending_len + frames) * 2;
        w->pending = vt_xrealloc(w->pending, w->pending_cap * ch * sizeof *w->pending);
    }
    memcpy(w->pending + w->pending_len * ch, pcm, frames * ch * sizeof *pcm);
    w->pending_len += frames;
    int size = w->aenc->frame_size > 0 ? w->aenc->frame_size : 1024;
    vt_status st = VT_OK;
    while (st == VT_OK && w->pending_len >= (size_t)size) {
        st = encode_audio(w, size, err);
    }
    return st;
}

vt_status vt_video_writer_finish(vt_video_writer *w, vt_error *err) {
    vt_status st = drain(w, w->venc, w->vs, NULL, err);
    if (st == VT_OK && w->aenc) {
        int size = w->aenc->frame_size > 0 ? w->aenc->frame_size : 1024;
        if (w->pending_len > 0 && w->pending_len < (size_t)size &&
            !(w->aenc->codec->capabilities & AV_CODEC_CAP_VARIABLE_FRAME_SIZE)) {
            /* the last frame padded with silence to the encoder's size */
            size_t ch = (size_t)w->channels;
            if ((size_t)size > w->pending_cap) {
                w->pending_cap = (size_t)size;
                w->pending = vt_xrealloc(w->pending, w->pending_cap * ch * sizeof *w->pending);
            }
            memset(w->pending + w->pending_len * ch, 0,
                   ((size_t)size - w->pending_len) * ch * sizeof *w->pending);
            w->pending_len = (size_t)size;
        }
        if (w->pending_len > 0) {
            st = encode_audio(w, (int)w->pending_len, err);
        }
        if (st == VT_OK) {
            st = drain(w, w->aenc, w->as, NULL, err);
        }
    }
    if (st == VT_OK) {
        int r = av_write_trailer(w->oc);
        avio_flush(w->oc->pb);
        if (r < 0 || w->oc->pb->error < 0) {
            st = VT_FAIL(err, VT_E_IOERR, "%s: cannot finish the film: %s", w->path,
                         av_err2str(r < 0 ? r : w->oc->pb->error));
        }
    }
    if (st == VT_OK && (fsync(w->fd) != 0 || close(w->fd) != 0)) {
        st = VT_FAIL(err, VT_E_IOERR, "%s: cannot write the film: %s", w->path, strerror(errno));
    }
    if (st == VT_OK) {
        w->fd = -1;
        st = vt_file_tmp_commit(w->tmp, w->path, err);
        free(w->tmp);
        w->tmp = NULL; /* renamed, or removed by the commit */
    }
    vt_video_writer_discard(w);
    return st;
}

void vt_video_writer_discard(vt_video_writer *w) {
    if (!w) {
        return;
    }
    if (w->oc && w->oc->pb) {
        free(w->oc->pb->opaque);
        av_freep(&w->oc->pb->buffer);
        avio_context_free(&w->oc->pb);
    }
    avformat_free_context(w->oc);
    avcodec_free_context(&w->venc);
    avcodec_free_context(&w->aenc);
    sws_freeContext(w->sws);
    av_frame_free(&w->vf);
    av_frame_free(&w->af);
    av_packet_free(&w->pkt);
    if (w->fd >= 0) {
        close(w->fd);
    }
    if (w->tmp) {
        unlink(w->tmp);
    }
    free(w->tmp);
    free(w->pending);
    free(w->path);
    free(w);
}
