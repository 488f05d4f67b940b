/* The reader: one film file read through a descriptor (regular files only, no protocol, no other
 * file opened on the film's behalf), its first video stream found and checked, and its pictures
 * decoded in presentation order, each with its interval [start, end): end is the next picture's
 * start, or the film's end for the last one. Software decoding; a hardware decoder would be
 * chosen in open_decoder. */
#include "io/vt_io.h"
#include "video/video_internal.h"

#include <errno.h>
#include <libavutil/hwcontext.h>
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define AVIO_BUFFER 65536
/* Containers of films, by libavformat's demuxer names: playlists and other demuxers that open
 * further files or URLs are not among them. */
#define FORMATS                                                                                    \
    "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,mpegts,mpeg,ogg,mxf,ivf,nut,flv,h264,hevc,m4v,"     \
    "yuv4mpegpipe,obu"
/* Packets the decoder may refuse in a row before the film counts as broken. */
#define MAX_BAD_PACKETS 64
/* Packets read while looking for the length of a film whose container does not say it. */
#define MAX_SCAN_PACKETS 2000000

#define REENCODE VT_VIDEO_REENCODE

static const AVRational ticks_tb = {1, (int)VT_TICKS_PER_SEC};

/* FFmpeg's own messages go to the debug log: the engine says what matters, once. */
static void av_log_to_vt(void *avcl, int level, const char *fmt, va_list vl) {
    if (level > AV_LOG_WARNING) {
        return;
    }
    char line[512];
    int prefix = 1;
    av_log_format_line(avcl, level, fmt, vl, line, sizeof line, &prefix);
    size_t n = strlen(line);
    if (n > 0 && line[n - 1] == '\n') {
        line[n - 1] = '\0';
    }
    vt_log(VT_LOG_DEBUG, "video", "ffmpeg: %s", line);
}

static void init_once(void) {
    av_log_set_callback(av_log_to_vt);
}

static pthread_once_t once = PTHREAD_ONCE_INIT;

static const char *av_err(int code, char *buf, size_t n) {
    av_strerror(code, buf, n);
    return buf;
}

/* ---- reading through the descriptor ---- */

static int io_read(void *opaque, uint8_t *buf, int size) {
    int fd = *(int *)opaque;
    ssize_t n;
    do {
        n = read(fd, buf, (size_t)size);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        return AVERROR(errno);
    }
    return n == 0 ? AVERROR_EOF : (int)n;
}

static int64_t io_seek(void *opaque, int64_t offset, int whence) {
    int fd = *(int *)opaque;
    if (whence & AVSEEK_SIZE) {
        struct stat st;
        return fstat(fd, &st) == 0 ? (int64_t)st.st_size : AVERROR(errno);
    }
    off_t r = lseek(fd, (off_t)offset, whence & ~AVSEEK_FORCE);
    return r < 0 ? AVERROR(errno) : (int64_t)r;
}

/* The AVIOContext's opaque: the descriptor, freed with it. */
static void close_io(AVFormatContext *fmt, AVIOContext **pb) {
    if (!*pb) {
        return;
    }
    int *fd = (*pb)->opaque;
    if (fmt) {
        avformat_close_input(&fmt);
    }
    av_freep(&(*pb)->buffer);
    avio_context_free(pb);
    if (fd) {
        close(*fd);
        free(fd);
    }
}

/* ---- probing ---- */

static vt_video_matrix guess_matrix(enum AVColorSpace cs, int width, int height) {
    switch (cs) {
    case AVCOL_SPC_BT709:
        return VT_VIDEO_BT709;
    case AVCOL_SPC_BT470BG:
    case AVCOL_SPC_SMPTE170M:
    case AVCOL_SPC_FCC:
    case AVCOL_SPC_SMPTE240M:
        return VT_VIDEO_BT601;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL:
        return VT_VIDEO_BT2020;
    default:
        /* Untagged: high definition is 709, standard definition 601 (as players guess). */
        return width >= 1280 || height > 576 ? VT_VIDEO_BT709 : VT_VIDEO_BT601;
    }
}

static bool full_range_of(enum AVColorRange range, enum AVPixelFormat pf) {
    return range == AVCOL_RANGE_JPEG || pf == AV_PIX_FMT_YUVJ420P || pf == AV_PIX_FMT_YUVJ422P ||
           pf == AV_PIX_FMT_YUVJ444P || pf == AV_PIX_FMT_YUVJ440P;
}

/* The film's length when the container does not say it: the end of its last video packet,
 * demuxed (not decoded) once, then back to the start. */
static int64_t scan_length(vt_video_reader *rd) {
    int64_t end = AV_NOPTS_VALUE;
    for (long i = 0; i < MAX_SCAN_PACKETS && av_read_frame(rd->fmt, rd->pkt) >= 0; i++) {
        if (rd->pkt->stream_index == rd->stream) {
            int64_t t = rd->pkt->pts != AV_NOPTS_VALUE ? rd->pkt->pts : rd->pkt->dts;
            if (t != AV_NOPTS_VALUE) {
                t += rd->pkt->duration > 0 ? rd->pkt->duration : 0;
                end = end == AV_NOPTS_VALUE || t > end ? t : end;
            }
        }
        av_packet_unref(rd->pkt);
    }
    av_seek_frame(rd->fmt, rd->stream, rd->start_pts, AVSEEK_FLAG_BACKWARD);
    return end;
}

static vt_status fill_info(vt_video_reader *rd, const AVCodec *codec, vt_error *err) {
    AVStream *st = rd->fmt->streams[rd->stream];
    AVCodecParameters *par = st->codecpar;
    vt_video_info *in = &rd->info;
    snprintf(in->container, sizeof in->container, "%s", rd->fmt->iformat->name);
    snprintf(in->codec, sizeof in->codec, "%s", codec->name);
    const char *pf = av_get_pix_fmt_name((enum AVPixelFormat)par->format);
    snprintf(in->pixel_format, sizeof in->pixel_format, "%s", pf ? pf : "unknown");
    in->width = par->width;
    in->height = par->height;
    for (unsigned i = 0; i < rd->fmt->nb_streams; i++) {
        enum AVMediaType t = rd->fmt->streams[i]->codecpar->codec_type;
        in->video_streams += t == AVMEDIA_TYPE_VIDEO;
        in->audio_streams += t == AVMEDIA_TYPE_AUDIO;
    }
    in->streams = (int)rd->fmt->nb_streams;
    if (par->width <= 0 || par->height <= 0) {
        return VT_FAIL(err, VT_E_DATAERR, "%s: the video stream gives no picture size; " REENCODE,
                       rd->path);
    }
    if (par->width > VT_VIDEO_MAX_SIDE || par->height > VT_VIDEO_MAX_SIDE) {
        return VT_FAIL(err, VT_E_DATAERR,
                       "%s: the film is %dx%d, larger than %d pixels on a side (the texture "
                       "limit); scale it down, e.g. ffmpeg -i IN -vf scale=3840:-2 -c:v libx264 "
                       "-pix_fmt yuv420p -crf 18 OUT.mp4",
                       rd->path, par->width, par->height, VT_VIDEO_MAX_SIDE);
    }
    AVRational sar =
        st->sample_aspect_ratio.num > 0 ? st->sample_aspect_ratio : par->sample_aspect_ratio;
    in->display_width = par->width;
    if (sar.num > 0 && sar.den > 0) {
        int64_t w = av_rescale(par->width, sar.num, sar.den);
        in->display_width = w > 0 && w <= VT_VIDEO_MAX_SIDE ? (int)w : par->width;
    }
    AVRational fr = st->avg_frame_rate.num > 0 && st->avg_frame_rate.den > 0 ? st->avg_frame_rate
                                                                             : st->r_frame_rate;
    if (fr.num > 0 && fr.den > 0 && av_q2d(fr) >= 0.01 && av_q2d(fr) <= 1000) {
        in->fps_num = fr.num;
        in->fps_den = fr.den;
        rd->nominal = av_rescale(VT_TICKS_PER_SEC, fr.den, fr.num);
    } else {
        in->fps_den = 1;
        rd->nominal = VT_TICKS_PER_SEC / 25;
    }
    const AVPixFmtDescriptor *d = av_pix_fmt_desc_get((enum AVPixelFormat)par->format);
    in->bit_depth = d ? d->comp[0].depth : 8;
    in->has_alpha = (d && (d->flags & AV_PIX_FMT_FLAG_ALPHA)) || rd->vp9_alpha;
    if (rd->vp9_alpha && par->format == AV_PIX_FMT_YUV420P) {
        snprintf(in->pixel_format, sizeof in->pixel_format, "yuva420p");
    }
    in->matrix = guess_matrix(par->color_space, par->width, par->height);
    in->full_range = full_range_of(par->color_range, (enum AVPixelFormat)par->format);
    rd->tb = st->time_base;
    rd->start_pts = st->start_time != AV_NOPTS_VALUE ? st->start_time : 0;
    int64_t len = AV_NOPTS_VALUE;
    if (st->duration != AV_NOPTS_VALUE && st->duration > 0) {
        len = av_rescale_q(st->duration, st->time_base, ticks_tb);
    } else if (rd->fmt->duration != AV_NOPTS_VALUE && rd->fmt->duration > 0) {
        len = av_rescale_q(rd->fmt->duration, AV_TIME_BASE_Q, ticks_tb);
    } else {
        int64_t end = scan_length(rd);
        if (end != AV_NOPTS_VALUE && end > rd->start_pts) {
            len = av_rescale_q(end - rd->start_pts, st->time_base, ticks_tb);
        }
    }
    in->duration = len != AV_NOPTS_VALUE && len > 0 ? len : rd->nominal;
    return VT_OK;
}

/* ---- hardware decoding (live films only: renders stay software, so they are the same on
 * every machine) ---- */

static pthread_mutex_t hw_mu = PTHREAD_MUTEX_INITIALIZER;
static bool hw_enabled = true, hw_tried;
static AVBufferRef *hw_device; /* the first of VA-API, NVDEC that opened; NULL: none */
static enum AVHWDeviceType hw_type;
static int hw_attempts;

void vt_video_set_hwaccel(bool enabled) {
    pthread_mutex_lock(&hw_mu);
    hw_enabled = enabled;
    pthread_mutex_unlock(&hw_mu);
}

int vt_video_hw_attempts(void) {
    pthread_mutex_lock(&hw_mu);
    int n = hw_attempts;
    pthread_mutex_unlock(&hw_mu);
    return n;
}

/* The machine's hardware decoding device, opened once (a new reference), or NULL: VA-API, then
 * NVDEC (CUDA). Which one is used, or that there is none, is said once. */
static AVBufferRef *hw_device_ref(enum AVHWDeviceType *type) {
    pthread_mutex_lock(&hw_mu);
    if (hw_enabled && !hw_tried) {
        hw_tried = true;
        static const enum AVHWDeviceType types[] = {AV_HWDEVICE_TYPE_VAAPI, AV_HWDEVICE_TYPE_CUDA};
        char why[256] = "";
        for (size_t i = 0; i < sizeof types / sizeof *types && !hw_device; i++) {
            char e[96];
            hw_attempts++;
            int r = av_hwdevice_ctx_create(&hw_device, types[i], NULL, NULL, 0);
            if (r >= 0) {
                hw_type = types[i];
            } else {
                size_t n = strlen(why);
                snprintf(why + n, sizeof why - n, "%s%s: %s", n ? "; " : "",
                         types[i] == AV_HWDEVICE_TYPE_VAAPI ? "VA-API" : "NVDEC",
                         av_err(r, e, sizeof e));
                hw_device = NULL;
            }
        }
        if (hw_device) {
            vt_log(VT_LOG_INFO, "video", "films are decoded by %s where the codec allows",
                   hw_type == AV_HWDEVICE_TYPE_VAAPI ? "VA-API" : "NVDEC");
        } else {
            vt_log(VT_LOG_INFO, "video", "software decoding: no hardware decoder (%s)", why);
        }
    }
    AVBufferRef *ref = hw_enabled && hw_device ? av_buffer_ref(hw_device) : NULL;
    *type = hw_type;
    pthread_mutex_unlock(&hw_mu);
    return ref;
}

/* ---- HAP's compressed blocks ---- */

static bool compressed_textures;                                              /* under hw_mu */
static const char *compressed_why_not = "no renderer has said it takes them"; /* under hw_mu */
static bool blocks_said[2]; /* under hw_mu: which way HAP films go was said (off, on) */

void vt_video_set_compressed_textures(bool enabled, const char *why_not) {
    pthread_mutex_lock(&hw_mu);
    compressed_textures = enabled;
    compressed_why_not = why_not ? why_not : "off";
    pthread_mutex_unlock(&hw_mu);
}

/* Whether this HAP stream's frames go to the GPU as blocks: HAP, HAP Alpha, HAP Q and HAP Q
 * Alpha (not alpha-only HAP), a size of whole blocks, a renderer that takes them. Which way
 * HAP films go is said once a process for each way. */
static bool use_blocks(const vt_video_reader *rd, const AVCodecParameters *par) {
    uint32_t tag = par->codec_tag;
    bool kind = tag == MKTAG('H', 'a', 'p', '1') || tag == MKTAG('H', 'a', 'p', '5') ||
                tag == MKTAG('H', 'a', 'p', 'Y') || tag == MKTAG('H', 'a', 'p', 'M');
    bool whole = par->width % 4 == 0 && par->height % 4 == 0;
    pthread_mutex_lock(&hw_mu);
    bool driver = compressed_textures, on = driver && kind && whole;
    const char *why_not = compressed_why_not;
    bool say = !blocks_said[on];
    blocks_said[on] = true;
    pthread_mutex_unlock(&hw_mu);
    if (say && on) {
        vt_log(VT_LOG_INFO, "video",
               "HAP films: their DXT frames are uploaded as compressed textures (S3TC)");
    } else if (say) {
        vt_log(VT_LOG_INFO, "video", "%s: HAP decoded to RGBA by libavcodec (%s)", rd->path,
               !driver ? why_not
               : !kind ? "alpha-only HAP"
                       : "its size is not a multiple of 4");
    }
    return on;
}

#define BLOCKS_BASE 0x4800 /* AVFrame.opaque of a frame of blocks: BLOCKS_BASE + format */

bool vt_video_is_blocks(const AVFrame *f) {
    intptr_t k = (intptr_t)f->opaque;
    return f->format == AV_PIX_FMT_NONE && k >= BLOCKS_BASE && k <= BLOCKS_BASE + VT_VIDEO_RGTC1;
}

/* The next HAP frame's blocks in `f`: 0, AVERROR_EOF at the end, or an error after too many
 * damaged frames in a row. A damaged frame is skipped (the picture before holds), said once. */
static int hap_next(vt_video_reader *rd, AVFrame *f) {
    for (;;) {
        if (rd->flushing) {
            return AVERROR_EOF;
        }
        int r = av_read_frame(rd->fmt, rd->pkt);
        if (r < 0) {
            if (r != AVERROR_EOF && !avio_feof(rd->fmt->pb)) {
                rd->read_error = r;
            }
            rd->flushing = true;
            return AVERROR_EOF;
        }
        if (rd->pkt->stream_index != rd->stream) {
            av_packet_unref(rd->pkt);
            continue;
        }
        int w = rd->info.width, h = rd->info.height;
        vt_video_hap hap;
        vt_error e = {0};
        vt_status s = vt_video_hap_unpack(rd->pkt->data, (size_t)rd->pkt->size, w, h, &hap, &e);
        int64_t pts = rd->pkt->pts != AV_NOPTS_VALUE ? rd->pkt->pts : rd->pkt->dts;
        av_packet_unref(rd->pkt);
        if (s != VT_OK) {
            if (!rd->hap_warned) {
                rd->hap_warned = true;
                vt_log(VT_LOG_WARN, "video", "%s: %s; the last good picture holds", rd->path,
                       e.message);
            }
            if (++rd->bad_packets > MAX_BAD_PACKETS) {
                return AVERROR_INVALIDDATA;
            }
            continue;
        }
        rd->bad_packets = 0;
        av_frame_unref(f);
        f->format = AV_PIX_FMT_NONE;
        f->width = w;
        f->height = h;
        for (int i = 0; i < hap.count; i++) {
            f->buf[i] = hap.buf[i];
            f->data[i] = hap.buf[i]->data;
            f->linesize[i] = (int)(vt_video_hap_texture_bytes(hap.format[i], w, 4));
        }
        f->opaque = (void *)(intptr_t)(BLOCKS_BASE + hap.format[0]);
        f->pts = f->best_effort_timestamp = pts;
        return 0;
    }
}

static enum AVPixelFormat pick_format(AVCodecContext *ctx, const enum AVPixelFormat *fmts) {
    const vt_video_reader *rd = ctx->opaque;
    enum AVPixelFormat soft = AV_PIX_FMT_NONE;
    for (const enum AVPixelFormat *p = fmts; *p != AV_PIX_FMT_NONE; p++) {
        if (*p == rd->hw_format) {
            return *p;
        }
        const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(*p);
        if (soft == AV_PIX_FMT_NONE && d && !(d->flags & AV_PIX_FMT_FLAG_HWACCEL)) {
            soft = *p; /* this stream's profile is not one the hardware takes */
        }
    }
    return soft;
}

/* Sets the decoder up for the hardware device when the codec has a way to use it. */
static void use_hardware(vt_video_reader *rd, const AVCodec *codec) {
    enum AVHWDeviceType type;
    AVBufferRef *dev = hw_device_ref(&type);
    if (!dev) {
        return;
    }
    for (int i = 0;; i++) {
        const AVCodecHWConfig *hc = avcodec_get_hw_config(codec, i);
        if (!hc) {
            break;
        }
        if ((hc->methods & AV_CODEC_HW_CONFIG_METHOD_HW_DEVICE_CTX) && hc->device_type == type) {
            rd->hw_format = hc->pix_fmt;
            rd->dec->hw_device_ctx = dev;
            rd->dec->opaque = rd;
            rd->dec->get_format = pick_format;
            snprintf(rd->info.decoding, sizeof rd->info.decoding, "%s",
                     type == AV_HWDEVICE_TYPE_VAAPI ? "VA-API" : "NVDEC");
            return;
        }
    }
    av_buffer_unref(&dev);
}

static vt_status open_decoder(vt_video_reader *rd, const AVCodec *codec, vt_error *err) {
    char e[128];
    rd->dec = avcodec_alloc_context3(codec);
    if (!rd->dec) {
        return VT_FAIL(err, VT_E_SOFTWARE, "%s: out of memory for the decoder", rd->path);
    }
    int r = avcodec_parameters_to_context(rd->dec, rd->fmt->streams[rd->stream]->codecpar);
    if (r >= 0) {
        /* Bounded whatever the stream claims later: no picture over the texture limit. */
        rd->dec->max_pixels = (int64_t)VT_VIDEO_MAX_SIDE * VT_VIDEO_MAX_SIDE;
        rd->dec->thread_count = 0; /* as many as the machine has, chosen by libavcodec */
        rd->dec->pkt_timebase = rd->tb;
        snprintf(rd->info.decoding, sizeof rd->info.decoding, "software");
        if (rd->hardware) {
            use_hardware(rd, codec);
        }
        r = avcodec_open2(rd->dec, codec, NULL);
    }
    if (r < 0) {
        return VT_FAIL(err, VT_E_DATAERR, "%s: the %s decoder does not open (%s); " REENCODE,
                       rd->path, codec->name, av_err(r, e, sizeof e));
    }
    rd->raw = av_frame_alloc();
    rd->ahead = av_frame_alloc();
    rd->soft = av_frame_alloc();
    if (!rd->raw || !rd->ahead || !rd->soft) {
        return VT_FAIL(err, VT_E_SOFTWARE, "%s: out of memory for the decoder", rd->path);
    }
    return VT_OK;
}

static vt_status open_format(vt_video_reader *rd, int fd, vt_error *err) {
    char e[128];
    int *opaque = malloc(sizeof *opaque);
    uint8_t *buf = av_malloc(AVIO_BUFFER);
    AVIOContext *pb = opaque && buf
                          ? avio_alloc_context(buf, AVIO_BUFFER, 0, opaque, io_read, NULL, io_seek)
                          : NULL;
    rd->fmt = avformat_alloc_context();
    if (!pb || !rd->fmt) {
        free(opaque);
        av_free(buf);
        close(fd);
        avformat_free_context(rd->fmt);
        rd->fmt = NULL;
        return VT_FAIL(err, VT_E_SOFTWARE, "%s: out of memory opening the film", rd->path);
    }
    *opaque = fd;
    rd->fmt->pb = pb;
    rd->fmt->flags |= AVFMT_FLAG_CUSTOM_IO;
    AVDictionary *opts = NULL;
    av_dict_set(&opts, "format_whitelist", FORMATS, 0);
    av_dict_set(&opts, "protocol_whitelist", "none", 0);
    int r = avformat_open_input(&rd->fmt, NULL, NULL, &opts);
    av_dict_free(&opts);
    if (r < 0) {
        /* avformat_open_input freed the context on failure, not our I/O. */
        rd->fmt = NULL;
        close_io(NULL, &pb);
        return VT_FAIL(err, VT_E_DATAERR,
                       "%s: not a film this FFmpeg reads (%s); the containers are MP4, MOV, MKV, "
                       "WebM...; " REENCODE,
                       rd->path, av_err(r, e, sizeof e));
    }
    r = avformat_find_stream_info(rd->fmt, NULL);
    if (r < 0) {
        return VT_FAIL(err, VT_E_DATAERR, "%s: the film's streams cannot be read (%s); " REENCODE,
                       rd->path, av_err(r, e, sizeof e));
    }
    return VT_OK;
}

vt_status vt_video_reader_open(vt_video_reader *rd, const char *path, bool decode, vt_error *err) {
    return vt_video_reader_open_as(rd, path, decode, false, err);
}

vt_status vt_video_reader_open_as(vt_video_reader *rd, const char *path, bool decode, bool hardware,
                                  vt_error *err) {
    *rd = (vt_video_reader){
        .path = vt_xstrdup(path), .stream = -1, .hardware = hardware, .hw_format = -1};
    vt_status loaded = vt_ffmpeg_load(err);
    if (loaded != VT_OK) {
        return loaded;
    }
    pthread_once(&once, init_once);
    int fd = -1;
    vt_status s = vt_file_open_input(path, &fd, err);
    if (s != VT_OK) {
        return s;
    }
    struct stat st;
    rd->info.file_bytes = fstat(fd, &st) == 0 ? (uint64_t)st.st_size : 0;
    s = open_format(rd, fd, err);
    if (s != VT_OK) {
        return s;
    }
    const AVCodec *codec = NULL;
    int idx = av_find_best_stream(rd->fmt, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    if (idx == AVERROR_STREAM_NOT_FOUND || (idx < 0 && idx != AVERROR_DECODER_NOT_FOUND)) {
        return VT_FAIL(err, VT_E_DATAERR, "%s: the file has no video stream; " REENCODE, path);
    }
    if (idx == AVERROR_DECODER_NOT_FOUND || !codec) {
        int any = av_find_best_stream(rd->fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
        enum AVCodecID id = any >= 0 ? rd->fmt->streams[any]->codecpar->codec_id : AV_CODEC_ID_NONE;
        return VT_FAIL(err, VT_E_DATAERR,
                       "%s: its video codec (%s) is not one this FFmpeg decodes; " REENCODE, path,
                       avcodec_get_name(id));
    }
    rd->stream = idx;
    /* VP9 with alpha (WebM's alpha_mode): FFmpeg's own VP9 decoder drops the alpha, which
     * rides beside each picture; libvpx's decodes it (yuva420p). */
    AVStream *vst = rd->fmt->streams[idx];
    const AVDictionaryEntry *am = av_dict_get(vst->metadata, "alpha_mode", NULL, 0);
    if (codec->id == AV_CODEC_ID_VP9 && am && strcmp(am->value, "1") == 0) {
        const AVCodec *vpx = avcodec_find_decoder_by_name("libvpx-vp9");
        if (vpx) {
            codec = vpx;
            rd->vp9_alpha = true;
        } else {
            vt_log(VT_LOG_WARN, "video",
                   "%s: VP9 with alpha needs FFmpeg's libvpx-vp9 decoder, which this FFmpeg "
                   "lacks: the film is shown opaque",
                   path);
        }
    }
    if (!rd->pkt && !(rd->pkt = av_packet_alloc())) {
        return VT_FAIL(err, VT_E_SOFTWARE, "%s: out of memory", path);
    }
    s = fill_info(rd, codec, err);
    if (s == VT_OK && decode) {
        s = open_decoder(rd, codec, err);
    }
    if (s == VT_OK && decode && codec->id == AV_CODEC_ID_HAP) {
        rd->hap_blocks = use_blocks(rd, vst->codecpar);
    }
    return s;
}

void vt_video_reader_close(vt_video_reader *rd) {
    if (!rd) {
        return;
    }
    if (!vt_video_loaded()) { /* FFmpeg could not be loaded: nothing of it was made */
        free(rd->path);
        *rd = (vt_video_reader){.stream = -1};
        return;
    }
    AVIOContext *pb = rd->fmt ? rd->fmt->pb : NULL;
    if (pb) {
        close_io(rd->fmt, &pb);
    } else if (rd->fmt) {
        avformat_close_input(&rd->fmt);
    }
    avcodec_free_context(&rd->dec);
    av_packet_free(&rd->pkt);
    av_frame_free(&rd->raw);
    av_frame_free(&rd->ahead);
    av_frame_free(&rd->soft);
    sws_freeContext(rd->sws);
    free(rd->path);
    *rd = (vt_video_reader){.stream = -1};
}

/* ---- decoding ---- */

/* One decoded picture in `f`: 0, AVERROR_EOF at the end, or an error. A packet the decoder
 * refuses is skipped (a damaged stretch), unless too many come in a row. */
static int decode_one(vt_video_reader *rd, AVFrame *f) {
    if (rd->hap_blocks) {
        return hap_next(rd, f);
    }
    for (;;) {
        int r = avcodec_receive_frame(rd->dec, f);
        if (r == 0 && f->format == rd->hw_format) {
            /* A picture in the GPU's memory: brought back into planes the renderer takes. */
            av_frame_unref(rd->soft);
            r = av_hwframe_transfer_data(rd->soft, f, 0);
            if (r >= 0) {
                av_frame_copy_props(rd->soft, f);
                av_frame_unref(f);
                av_frame_move_ref(f, rd->soft);
            }
        }
        if (r == 0 || r == AVERROR_EOF) {
            return r;
        }
        if (r != AVERROR(EAGAIN)) {
            if (++rd->bad_packets > MAX_BAD_PACKETS) {
                return r;
            }
            continue; /* a picture lost in a damaged stretch: on to the next */
        }
        if (rd->flushing) {
            return AVERROR_EOF;
        }
        r = av_read_frame(rd->fmt, rd->pkt);
        if (r < 0) {
            /* A damaged or truncated container ends the film there: the pictures already
             * in the decoder are drained, and the error is kept for the caller to say. */
            if (r != AVERROR_EOF && !avio_feof(rd->fmt->pb)) {
                rd->read_error = r;
            }
            rd->flushing = true;
            avcodec_send_packet(rd->dec, NULL);
            continue;
        }
        if (rd->pkt->stream_index == rd->stream) {
            r = avcodec_send_packet(rd->dec, rd->pkt);
            if (r < 0 && r != AVERROR(EAGAIN)) {
                if (++rd->bad_packets > MAX_BAD_PACKETS) {
                    av_packet_unref(rd->pkt);
                    return r;
                }
            } else {
                rd->bad_packets = 0;
            }
        }
        av_packet_unref(rd->pkt);
    }
}

static vt_ticks time_of(const vt_video_reader *rd, const AVFrame *f, vt_ticks fallback) {
    int64_t pts = f->best_effort_timestamp != AV_NOPTS_VALUE ? f->best_effort_timestamp : f->pts;
    if (pts == AV_NOPTS_VALUE) {
        return fallback;
    }
    return av_rescale_q(pts - rd->start_pts, rd->tb, ticks_tb);
}

vt_status vt_video_reader_read_error(vt_video_reader *rd, vt_error *err) {
    char e[128];
    if (!rd->read_error) {
        return VT_OK;
    }
    return VT_FAIL(err, VT_E_DATAERR, "%s: the film is damaged or cut short (%s); " REENCODE,
                   rd->path, av_err(rd->read_error, e, sizeof e));
}

static vt_status decode_error(vt_video_reader *rd, int r, vt_error *err) {
    char e[128];
    return VT_FAIL(err, VT_E_DATAERR, "%s: the film cannot be decoded here (%s); " REENCODE,
                   rd->path, av_err(r, e, sizeof e));
}

vt_status vt_video_reader_next(vt_video_reader *rd, AVFrame *out, vt_ticks *start, vt_ticks *end,
                               bool *got, vt_error *err) {
    *got = false;
    if (!rd->have_ahead) {
        int r = decode_one(rd, rd->ahead);
        if (r == AVERROR_EOF) {
            return VT_OK;
        }
        if (r < 0) {
            return decode_error(rd, r, err);
        }
        rd->ahead_start = time_of(rd, rd->ahead, 0);
        rd->have_ahead = true;
    }
    int r = decode_one(rd, rd->raw);
    if (r < 0 && r != AVERROR_EOF) {
        return decode_error(rd, r, err);
    }
    *start = rd->ahead_start;
    if (r == AVERROR_EOF) {
        vt_ticks last = rd->ahead_start + rd->nominal;
        *end = rd->info.duration > last ? rd->info.duration : last;
        if (last + rd->nominal < rd->info.duration && !rd->read_error) {
            rd->read_error = AVERROR_INVALIDDATA; /* shorter than the container says: cut */
        }
    } else {
        vt_ticks next = time_of(rd, rd->raw, rd->ahead_start + rd->nominal);
        *end = next > rd->ahead_start ? next : rd->ahead_start + 1;
    }
    av_frame_unref(out);
    av_frame_move_ref(out, rd->ahead);
    if (r == AVERROR_EOF) {
        rd->have_ahead = false;
    } else {
        av_frame_move_ref(rd->ahead, rd->raw);
        rd->ahead_start = *end;
    }
    *got = true;
    return VT_OK;
}

vt_status vt_video_reader_seek(vt_video_reader *rd, vt_ticks t, vt_error *err) {
    char e[128];
    int64_t ts = av_rescale_q(t < 0 ? 0 : t, ticks_tb, rd->tb) + rd->start_pts;
    int r = av_seek_frame(rd->fmt, rd->stream, ts, AVSEEK_FLAG_BACKWARD);
    if (r < 0) {
        r = avformat_seek_file(rd->fmt, rd->stream, INT64_MIN, ts, ts, 0);
    }
    if (r < 0) {
        return VT_FAIL(err, VT_E_DATAERR, "%s: cannot seek in the film (%s); " REENCODE, rd->path,
                       av_err(r, e, sizeof e));
    }
    rd->seeks++;
    avcodec_flush_buffers(rd->dec);
    av_frame_unref(rd->ahead);
    rd->have_ahead = false;
    rd->flushing = false;
    rd->read_error = 0;
    rd->bad_packets = 0;
    return VT_OK;
}

/* ---- the planes the renderer takes ---- */

/* Planar YUV (with or without alpha), one component per plane, little-endian, up to 16 bits. */
static bool direct_format(const AVPixFmtDescriptor *d) {
    unsigned refused = AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_BITSTREAM |
                       AV_PIX_FMT_FLAG_HWACCEL | AV_PIX_FMT_FLAG_BE | AV_PIX_FMT_FLAG_FLOAT;
    if (!d || (d->flags & refused) || !(d->flags & AV_PIX_FMT_FLAG_PLANAR) ||
        d->nb_components < 3) {
        return false;
    }
    for (int c = 0; c < d->nb_components; c++) {
        int bytes = d->comp[0].depth > 8 ? 2 : 1;
        if (d->comp[c].plane != c || d->comp[c].shift != 0 || d->comp[c].offset != 0 ||
            d->comp[c].step != bytes || d->comp[c].depth != d->comp[0].depth) {
            return false;
        }
    }
    return d->comp[0].depth <= 16;
}

static enum AVPixelFormat conversion_target(const AVPixFmtDescriptor *d) {
    bool alpha = d && (d->flags & AV_PIX_FMT_FLAG_ALPHA);
    if (!d || (d->flags & AV_PIX_FMT_FLAG_RGB) || d->nb_components < 3) {
        return AV_PIX_FMT_RGBA; /* RGB, grey and palette pictures */
    }
    if (d->comp[0].depth > 8) {
        return alpha ? AV_PIX_FMT_YUVA444P16LE : AV_PIX_FMT_YUV444P16LE;
    }
    return alpha ? AV_PIX_FMT_YUVA444P : AV_PIX_FMT_YUV444P;
}

bool vt_video_needs_conversion(const AVFrame *f) {
    if (vt_video_is_blocks(f) || (f->format == AV_PIX_FMT_RGBA && f->linesize[0] > 0)) {
        return false; /* blocks, or RGBA already (a live picture converted by the worker) */
    }
    return !direct_format(av_pix_fmt_desc_get(f->format)) || f->linesize[0] < 0 ||
           f->linesize[1] < 0 || f->linesize[2] < 0;
}

vt_status vt_video_convert(const char *path, struct SwsContext **sws, const AVFrame *src,
                           AVFrame *conv, vt_error *err) {
    enum AVPixelFormat to = conversion_target(av_pix_fmt_desc_get(src->format));
    *sws = sws_getCachedContext(*sws, src->width, src->height, src->format, src->width, src->height,
                                to, SWS_POINT, NULL, NULL, NULL);
    if (conv->format != to || conv->width != src->width || conv->height != src->height) {
        av_frame_unref(conv);
        conv->format = to;
        conv->width = src->width;
        conv->height = src->height;
        if (av_frame_get_buffer(conv, 0) < 0) {
            return VT_FAIL(err, VT_E_SOFTWARE, "%s: out of memory for a picture", path);
        }
    }
    if (!*sws || av_frame_make_writable(conv) < 0 ||
        sws_scale(*sws, (const uint8_t *const *)src->data, src->linesize, 0, src->height,
                  conv->data, conv->linesize) < 0) {
        return VT_FAIL(err, VT_E_DATAERR, "%s: pictures in %s cannot be converted; " REENCODE, path,
                       av_get_pix_fmt_name(src->format));
    }
    conv->colorspace = src->colorspace;
    conv->color_range = src->color_range;
    conv->pts = src->pts;
    conv->best_effort_timestamp = src->best_effort_timestamp;
    return VT_OK;
}

vt_status vt_video_describe(const char *path, const vt_video_info *info, struct SwsContext **sws,
                            AVFrame *src, AVFrame *conv, vt_video_frame *out, vt_error *err) {
    if (src->width <= 0 || src->height <= 0 || src->width > VT_VIDEO_MAX_SIDE ||
        src->height > VT_VIDEO_MAX_SIDE) {
        return VT_FAIL(err, VT_E_DATAERR, "%s: a picture of %dx%d; " REENCODE, path, src->width,
                       src->height);
    }
    if (vt_video_is_blocks(src)) {
        *out = (vt_video_frame){
            .layout = VT_VIDEO_BLOCKS,
            .blocks = (vt_video_blocks)((intptr_t)src->opaque - BLOCKS_BASE),
            .width = src->width,
            .height = src->height,
            .display_width = src->width == info->width ? info->display_width : src->width,
            .chroma_w = src->width,
            .chroma_h = src->height,
            .planes = src->buf[1] ? 2 : 1,
            .bytes = 1,
            .depth = 8,
            .data = {src->data[0], src->data[1]},
            .stride = {src->linesize[0], src->linesize[1]},
            .matrix = info->matrix,
            .full_range = true,
        };
        return VT_OK;
    }
    const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(src->format);
    const AVFrame *f = src;
    if (vt_video_needs_conversion(src)) {
        vt_status s = vt_video_convert(path, sws, src, conv, err);
        if (s != VT_OK) {
            return s;
        }
        f = conv;
        d = av_pix_fmt_desc_get(conv->format);
    }
    vt_video_frame fr = {
        .width = f->width,
        .height = f->height,
        .display_width = f->width == info->width ? info->display_width : f->width,
        .matrix = f->colorspace != AVCOL_SPC_UNSPECIFIED
                      ? guess_matrix(f->colorspace, f->width, f->height)
                      : info->matrix,
        .full_range = f->color_range != AVCOL_RANGE_UNSPECIFIED
                          ? full_range_of(f->color_range, src->format)
                          : info->full_range || full_range_of(f->color_range, src->format),
    };
    if (f->format == AV_PIX_FMT_RGBA) {
        fr.layout = VT_VIDEO_RGBA;
        fr.planes = 1;
        fr.bytes = 1;
        fr.depth = 8;
        fr.chroma_w = fr.width;
        fr.chroma_h = fr.height;
    } else {
        fr.layout = VT_VIDEO_YUV;
        fr.planes = d->nb_components;
        fr.depth = d->comp[0].depth;
        fr.bytes = fr.depth > 8 ? 2 : 1;
        fr.chroma_w = AV_CEIL_RSHIFT(f->width, d->log2_chroma_w);
        fr.chroma_h = AV_CEIL_RSHIFT(f->height, d->log2_chroma_h);
    }
    for (int i = 0; i < fr.planes; i++) {
        fr.data[i] = f->data[i];
        fr.stride[i] = f->linesize[i];
    }
    *out = fr;
    return VT_OK;
}
