/* A film's sound: the first audio stream of a film, decoded (libavcodec) and converted to
 * interleaved int16 at its own rate, 1 or 2 channels (libswresample: format and downmix only, no
 * resampling, so no delay), on the film's clock: sample 0 is at film time 0 (the first picture's
 * time), a sound starting later is preceded by silence, samples before the first picture are
 * dropped, and the sound lasts exactly as long as the pictures (cut or padded with silence), so a
 * looping film's sound loops with its pictures. The audio module plays it like a sound file. */
#include "video/video_internal.h"

#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>
#include <stdlib.h>
#include <string.h>

/* Channel counts and rates outside these are refused as implausible (hostile headers). */
#define MAX_CHANNELS 16
#define MIN_RATE 1000
#define MAX_RATE 384000
/* Packets the decoder may refuse in a row before the sound counts as ended. */
#define MAX_BAD 64
/* A seek lands this far before the wanted sample: codecs like AAC need the previous frame to
 * decode a frame right (the overlap of their transform). */
#define PREROLL_SECONDS 0.2
/* Decoded samples whose time is within this many samples of where the previous block ended are
 * taken as following on (timestamps rounded by the container), not as a gap or an overlap. */
#define JITTER 2

struct vt_video_sound {
    vt_video_reader rd; /* the container, and the video stream's first time (film time 0) */
    int stream;
    AVRational tb;
    int64_t origin; /* film time 0 in samples of `rate` (the video stream's first time) */
    AVCodecContext *dec;
    SwrContext *swr;
    AVFrame *frame;
    int channels, rate;
    int64_t frames; /* the film's length in samples */
    int64_t pos;    /* the next sample read returns */
    int16_t *buf;   /* decoded samples waiting: [buf_start, buf_start + buf_len) */
    size_t buf_cap, buf_off, buf_len;
    int64_t buf_start;
    int64_t next_start; /* where the next decoded block should start (continuity) */
    bool eof;
    int bad;
};

static vt_status open_stream(vt_video_sound *s, int out_channels, vt_error *err) {
    const char *path = s->rd.path;
    const AVCodec *codec = NULL;
    int idx = av_find_best_stream(s->rd.fmt, AVMEDIA_TYPE_AUDIO, -1, s->rd.stream, &codec, 0);
    if (idx < 0 || !codec) {
        return VT_FAIL(err, VT_E_DATAERR,
                       idx == AVERROR_DECODER_NOT_FOUND
                           ? "%s: the film's sound is in a codec this FFmpeg does not decode; "
                             "re-encode it, e.g. ffmpeg -i IN -c:v copy -c:a aac OUT.mp4"
                           : "%s: the film has no sound; add one, e.g. ffmpeg -i IN -i SOUND.wav "
                             "-c:v copy -c:a aac OUT.mp4, or remove 'sound' from its layer",
                       path);
    }
    AVStream *st = s->rd.fmt->streams[idx];
    AVCodecParameters *par = st->codecpar;
    if (par->ch_layout.nb_channels < 1 || par->ch_layout.nb_channels > MAX_CHANNELS ||
        par->sample_rate < MIN_RATE || par->sample_rate > MAX_RATE) {
        return VT_FAIL(err, VT_E_DATAERR,
                       "%s: the film's sound has %d channels at %d Hz (1 to %d channels, %d to "
                       "%d Hz are played); re-encode it, e.g. ffmpeg -i IN -c:v copy -c:a aac "
                       "-ac 2 -ar 48000 OUT.mp4",
                       path, par->ch_layout.nb_channels, par->sample_rate, MAX_CHANNELS, MIN_RATE,
                       MAX_RATE);
    }
    for (unsigned i = 0; i < s->rd.fmt->nb_streams; i++) {
        s->rd.fmt->streams[i]->discard = (int)i == idx ? AVDISCARD_DEFAULT : AVDISCARD_ALL;
    }
    s->stream = idx;
    s->tb = st->time_base;
    s->rate = par->sample_rate;
    s->channels = out_channels == 1 || par->ch_layout.nb_channels == 1 ? 1 : 2;
    s->dec = avcodec_alloc_context3(codec);
    s->frame = av_frame_alloc();
    int r = s->dec && s->frame ? avcodec_parameters_to_context(s->dec, par) : AVERROR(ENOMEM);
    if (r >= 0) {
        s->dec->pkt_timebase = s->tb;
        r = avcodec_open2(s->dec, codec, NULL);
    }
    if (r < 0) {
        return VT_FAIL(err, VT_E_DATAERR,
                       "%s: the film's sound (%s) does not decode; re-encode it, e.g. ffmpeg -i "
                       "IN -c:v copy -c:a aac OUT.mp4",
                       path, codec->name);
    }
    s->origin = av_rescale_q(s->rd.start_pts, s->rd.tb, (AVRational){1, s->rate});
    s->frames = av_rescale(s->rd.info.duration, s->rate, VT_TICKS_PER_SEC);
    return VT_OK;
}

vt_status vt_video_sound_open(const char *path, int out_channels, vt_video_sound **out,
                              vt_video_sound_info *info, vt_error *err) {
    *out = NULL;
    vt_status loaded = vt_ffmpeg_load(err);
    if (loaded != VT_OK) {
        return loaded;
    }
    vt_video_sound *s = vt_xcalloc(1, sizeof *s);
    vt_status st = vt_video_reader_open(&s->rd, path, false, err);
    if (st == VT_OK) {
        st = open_stream(s, out_channels, err);
    }
    if (st == VT_OK && s->frames <= 0) {
        st = VT_FAIL(err, VT_E_DATAERR, "%s: the film is too short to have a sound", path);
    }
    if (st != VT_OK) {
        vt_video_sound_close(s);
        return st;
    }
    if (info) {
        *info = (vt_video_sound_info){
            .channels = s->rd.fmt->streams[s->stream]->codecpar->ch_layout.nb_channels,
            .rate = s->rate,
            .frames = s->frames,
        };
    }
    *out = s;
    return VT_OK;
}

void vt_video_sound_close(vt_video_sound *s) {
    if (!s) {
        return;
    }
    avcodec_free_context(&s->dec);
    swr_free(&s->swr);
    av_frame_free(&s->frame);
    vt_video_reader_close(&s->rd);
    free(s->buf);
    free(s);
}

/* Converts the decoded frame into buf (replacing what it held). False when it cannot. */
static bool convert(vt_video_sound *s) {
    AVFrame *f = s->frame;
    if (f->ch_layout.nb_channels < 1 || f->ch_layout.nb_channels > MAX_CHANNELS ||
        f->sample_rate != s->rate || f->nb_samples <= 0) {
        return false; /* a stream that changes its rate midway: not followed */
    }
    AVChannelLayout to;
    av_channel_layout_default(&to, s->channels);
    if (!s->swr) {
        if (swr_alloc_set_opts2(&s->swr, &to, AV_SAMPLE_FMT_S16, s->rate, &f->ch_layout,
                                (enum AVSampleFormat)f->format, s->rate, 0, NULL) < 0 ||
            swr_init(s->swr) < 0) {
            swr_free(&s->swr);
            return false;
        }
    }
    size_t need = (size_t)f->nb_samples * (size_t)s->channels;
    if (need > s->buf_cap) {
        s->buf = vt_xrealloc(s->buf, need * sizeof *s->buf);
        s->buf_cap = need;
    }
    uint8_t *dst = (uint8_t *)s->buf;
    int n =
        swr_convert(s->swr, &dst, f->nb_samples, (const uint8_t **)f->extended_data, f->nb_samples);
    if (n < 0) {
        /* The layout changed (another channel count midway): start a converter for it. */
        swr_free(&s->swr);
        return false;
    }
    s->buf_off = 0;
    s->buf_len = (size_t)n;
    return true;
}

/* Decodes the next block into buf with its start in film samples; false at the end. */
static bool decode_block(vt_video_sound *s) {
    AVPacket *pkt = s->rd.pkt;
    while (!s->eof) {
        int r = avcodec_receive_frame(s->dec, s->frame);
        if (r == 0) {
            int64_t pts = s->frame->best_effort_timestamp != AV_NOPTS_VALUE
                              ? s->frame->best_effort_timestamp
                              : s->frame->pts;
            int64_t start = pts == AV_NOPTS_VALUE
                                ? s->next_start
                                : av_rescale_q(pts, s->tb, (AVRational){1, s->rate}) - s->origin;
            if (llabs(start - s->next_start) <= JITTER) {
                start = s->next_start;
            }
            bool ok = convert(s);
            av_frame_unref(s->frame);
            if (!ok) {
                if (++s->bad > MAX_BAD) {
                    s->eof = true;
                }
                continue;
            }
            s->bad = 0;
            s->buf_start = start;
            s->next_start = start + (int64_t)s->buf_len;
            return true;
        }
        if (r == AVERROR_EOF) {
            s->eof = true;
            break;
        }
        if (r != AVERROR(EAGAIN)) {
            if (++s->bad > MAX_BAD) {
                s->eof = true;
            }
            continue;
        }
        r = av_read_frame(s->rd.fmt, pkt);
        if (r < 0) {
            avcodec_send_packet(s->dec, NULL); /* the end, or a damaged tail: drain */
            continue;
        }
        if (pkt->stream_index == s->stream && avcodec_send_packet(s->dec, pkt) < 0 &&
            ++s->bad > MAX_BAD) {
            s->eof = true;
        }
        av_packet_unref(pkt);
    }
    return false;
}

size_t vt_video_sound_read(vt_video_sound *s, int16_t *out, size_t frames) {
    size_t done = 0, ch = (size_t)s->channels;
    while (done < frames && s->pos < s->frames) {
        size_t want = frames - done;
        if ((int64_t)want > s->frames - s->pos) {
            want = (size_t)(s->frames - s->pos);
        }
        int64_t have_from = s->buf_start + (int64_t)s->buf_off;
        int64_t have_to = s->buf_start + (int64_t)s->buf_len;
        if (s->buf_off < s->buf_len && have_from <= s->pos && s->pos < have_to) {
            size_t skip = (size_t)(s->pos - have_from), n = (size_t)(have_to - s->pos);
            n = n < want ? n : want;
            memcpy(out + done * ch, s->buf + (s->buf_off + skip) * ch, n * ch * sizeof *out);
            s->buf_off += skip + n;
            done += n;
            s->pos += (int64_t)n;
        } else if (s->buf_off < s->buf_len && have_from > s->pos) {
            /* The sound starts later, or a gap in it: silence until it goes on. */
            size_t n = (size_t)(have_from - s->pos);
            n = n < want ? n : want;
            memset(out + done * ch, 0, n * ch * sizeof *out);
            done += n;
            s->pos += (int64_t)n;
        } else if (!decode_block(s)) {
            /* Ended before the pictures: silence to the film's end. */
            memset(out + done * ch, 0, want * ch * sizeof *out);
            done += want;
            s->pos += (int64_t)want;
        }
    }
    return done;
}

bool vt_video_sound_seek(vt_video_sound *s, int64_t frame) {
    if (frame < 0 || frame > s->frames) {
        return false;
    }
    int64_t from = frame - (int64_t)(PREROLL_SECONDS * s->rate) + s->origin;
    int64_t ts = av_rescale_q(from, (AVRational){1, s->rate}, s->tb);
    if (av_seek_frame(s->rd.fmt, s->stream, ts, AVSEEK_FLAG_BACKWARD) < 0 &&
        avformat_seek_file(s->rd.fmt, s->stream, INT64_MIN, ts, ts, 0) < 0) {
        return false;
    }
    avcodec_flush_buffers(s->dec);
    s->eof = false;
    s->bad = 0;
    s->buf_off = s->buf_len = 0;
    s->next_start = INT64_MIN / 2; /* the next block's own time says where it is */
    s->pos = frame;
    return true;
}

int vt_video_sound_channels(const vt_video_sound *s) {
    return s->channels;
}
