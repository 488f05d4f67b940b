/* Decoding with libsndfile, from a file or from bytes in memory (virtual I/O, for fuzzing):
 * validation of what a header claims, and reads converted to int16 with a downmix to the
 * channel count a source needs. */
#include "audio/audio_internal.h"

#include "io/vt_io.h"
#include "video/vt_video.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <sndfile.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Frames converted per libsndfile call: bounds the scratch buffer whatever the file says. */
#define DECODE_CHUNK 1024

typedef struct memory_io {
    const unsigned char *data;
    sf_count_t len, pos;
} memory_io;

struct vt_decoder {
    SNDFILE *sf;
    SF_INFO info;
    int out_channels;
    float *scratch; /* DECODE_CHUNK x file channels */
    memory_io mem;
    vt_video_sound *film; /* a film's sound (the video module decodes it); sf is NULL */
};

static sf_count_t mem_length(void *user) {
    return ((memory_io *)user)->len;
}

static sf_count_t mem_seek(sf_count_t offset, int whence, void *user) {
    memory_io *m = user;
    sf_count_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? m->pos : m->len;
    if (offset > m->len - base || offset < -base) {
        return -1;
    }
    m->pos = base + offset;
    return m->pos;
}

static sf_count_t mem_read(void *ptr, sf_count_t count, void *user) {
    memory_io *m = user;
    sf_count_t n = count < m->len - m->pos ? count : m->len - m->pos;
    if (n <= 0) {
        return 0;
    }
    memcpy(ptr, m->data + m->pos, (size_t)n);
    m->pos += n;
    return n;
}

static sf_count_t mem_write(const void *ptr, sf_count_t count, void *user) {
    (void)ptr, (void)count, (void)user;
    return 0;
}

static sf_count_t mem_tell(void *user) {
    return ((memory_io *)user)->pos;
}

static vt_status finish_open(vt_decoder *d, const char *name, int out_channels, vt_decoder **out,
                             vt_audio_info *info, vt_error *err) {
    if (!d->sf) {
        vt_status st = VT_FAIL(err, VT_E_DATAERR,
                               "%s: not a sound file libsndfile can decode (%s); use WAV, FLAC, "
                               "Ogg Vorbis, Opus or MP3",
                               name, sf_strerror(NULL));
        free(d);
        return st;
    }
    d->out_channels = out_channels;
    vt_status st = vt_decoder_check(d, name, err);
    if (st != VT_OK) {
        vt_decoder_close(d);
        return st;
    }
    if (info) {
        *info = (vt_audio_info){d->info.channels, d->info.samplerate, d->info.frames};
    }
    *out = d;
    return VT_OK;
}

vt_status vt_decoder_open(const char *path, int out_channels, vt_decoder **out, vt_audio_info *info,
                          vt_error *err) {
    *out = NULL;
    /* Opened without waiting and refused unless a regular file: a FIFO would block the show. */
    int fd = -1;
    vt_status st = vt_file_open_input(path, &fd, err);
    if (st != VT_OK) {
        return st;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || sb.st_size == 0) {
        close(fd);
        return VT_FAIL(err, VT_E_DATAERR, "%s: the file is empty; export the sound again", path);
    }
    vt_decoder *d = vt_xcalloc(1, sizeof *d);
    d->sf = sf_open_fd(fd, SFM_READ, &d->info, 1);
    return finish_open(d, path, out_channels, out, info, err);
}

vt_status vt_decoder_open_memory(const void *data, size_t len, const char *name, int out_channels,
                                 vt_decoder **out, vt_audio_info *info, vt_error *err) {
    *out = NULL;
    if (len == 0) {
        return VT_FAIL(err, VT_E_DATAERR, "%s: the file is empty; export the sound again", name);
    }
    static SF_VIRTUAL_IO vio = {mem_length, mem_seek, mem_read, mem_write, mem_tell};
    vt_decoder *d = vt_xcalloc(1, sizeof *d);
    d->mem = (memory_io){data, (sf_count_t)len, 0};
    d->sf = sf_open_virtual(&vio, SFM_READ, &d->info, &d->mem);
    return finish_open(d, name, out_channels, out, info, err);
}

vt_status vt_decoder_check(vt_decoder *d, const char *name, vt_error *err) {
    const SF_INFO *in = &d->info;
    if (in->channels < 1 || in->channels > VT_AUDIO_MAX_CHANNELS) {
        return VT_FAIL(err, VT_E_DATAERR, "%s: %d channels; up to %d are supported", name,
                       in->channels, VT_AUDIO_MAX_CHANNELS);
    }
    if (in->samplerate < VT_AUDIO_MIN_RATE || in->samplerate > VT_AUDIO_MAX_RATE) {
        return VT_FAIL(err, VT_E_DATAERR, "%s: sample rate %d Hz is not plausible (%d to %d)", name,
                       in->samplerate, VT_AUDIO_MIN_RATE, VT_AUDIO_MAX_RATE);
    }
    if (in->frames <= 0) {
        return VT_FAIL(err, VT_E_DATAERR, "%s: the file holds no samples", name);
    }
    d->scratch = vt_xmalloc((size_t)DECODE_CHUNK * (size_t)in->channels * sizeof *d->scratch);
    int16_t first[64 * 2];
    if (vt_decoder_read(d, first, 64) == 0) {
        return VT_FAIL(err, VT_E_DATAERR,
                       "%s: no samples could be decoded (truncated or damaged file)", name);
    }
    if (!vt_decoder_seek(d, 0)) {
        return VT_FAIL(err, VT_E_DATAERR, "%s: cannot seek back to the start (damaged file)", name);
    }
    return VT_OK;
}

static int16_t to_int16(float x) {
    /* x 32768 so that 16-bit files come back bit-exact; clamp what overshoots. */
    float s = x * 32768.0f;
    if (!(s > -32768.0f)) {
        return s != s ? 0 : -32768;
    }
    return s >= 32767.0f ? 32767 : (int16_t)lrintf(s);
}

/* File channels -> 1 or 2: mono is the average of all; stereo keeps the first two of a
 * stereo file, and for more channels averages the odd and the even ones. */
static void convert(const vt_decoder *d, const float *in, size_t frames, int16_t *out) {
    int fc = d->info.channels;
    for (size_t f = 0; f < frames; f++) {
        const float *s = in + f * (size_t)fc;
        if (d->out_channels == 1 || fc == 1) {
            float sum = 0;
            for (int c = 0; c < fc; c++) {
                sum += s[c];
            }
            int16_t v = to_int16(sum / (float)fc);
            for (int c = 0; c < d->out_channels; c++) {
                out[f * (size_t)d->out_channels + (size_t)c] = v;
            }
            continue;
        }
        float l = 0, r = 0;
        for (int c = 0; c < fc; c++) {
            *(c % 2 ? &r : &l) += s[c];
        }
        int nl = (fc + 1) / 2, nr = fc / 2;
        out[f * 2] = to_int16(l / (float)nl);
        out[f * 2 + 1] = to_int16(r / (float)nr);
    }
}

vt_status vt_decoder_open_film(const char *path, int out_channels, vt_decoder **out,
                               vt_audio_info *info, vt_error *err) {
    *out = NULL;
    vt_video_sound_info vi;
    vt_decoder *d = vt_xcalloc(1, sizeof *d);
    vt_status st = vt_video_sound_open(path, out_channels, &d->film, &vi, err);
    if (st != VT_OK) {
        free(d);
        return st;
    }
    d->out_channels = vt_video_sound_channels(d->film);
    if (info) {
        *info = (vt_audio_info){vi.channels, vi.rate, vi.frames};
    }
    *out = d;
    return VT_OK;
}

size_t vt_decoder_read(vt_decoder *d, int16_t *out, size_t frames) {
    if (d->film) {
        return vt_video_sound_read(d->film, out, frames);
    }
    size_t done = 0;
    while (done < frames) {
        size_t want = frames - done < DECODE_CHUNK ? frames - done : DECODE_CHUNK;
        sf_count_t got = sf_readf_float(d->sf, d->scratch, (sf_count_t)want);
        if (got <= 0) {
            break;
        }
        convert(d, d->scratch, (size_t)got, out + done * (size_t)d->out_channels);
        done += (size_t)got;
    }
    return done;
}

bool vt_decoder_seek(vt_decoder *d, int64_t frame) {
    if (d->film) {
        return vt_video_sound_seek(d->film, frame);
    }
    return sf_seek(d->sf, (sf_count_t)frame, SEEK_SET) == (sf_count_t)frame;
}

void vt_decoder_close(vt_decoder *d) {
    if (!d) {
        return;
    }
    if (d->sf) {
        sf_close(d->sf);
    }
    vt_video_sound_close(d->film);
    free(d->scratch);
    free(d);
}

vt_status vt_audio_probe(const char *path, vt_audio_info *info, vt_error *err) {
    vt_decoder *d = NULL;
    vt_status st = vt_decoder_open(path, 2, &d, info, err);
    vt_decoder_close(d);
    return st;
}
