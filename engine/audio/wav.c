/* The WAV writer: a plain RIFF/WAVE_FORMAT_PCM 16-bit file (the 44-byte header every tool
 * reads, never WAVE_FORMAT_EXTENSIBLE), streamed to a temporary file beside the target and
 * renamed over it once complete, with the same bytes for the same samples on every run. */
#include "audio/vt_audio.h"
#include "io/vt_io.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* RIFF sizes are 32-bit: the data chunk must leave room for the 36 bytes of header after
 * "RIFF<size>". */
#define WAV_MAX_DATA (UINT32_MAX - 36u)

struct vt_wav_writer {
    FILE *f;
    char *path, *tmp;
    int rate, channels;
    uint64_t data_bytes;
    bool failed;
};

static void put_u32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static void put_u16(unsigned char *p, uint16_t v) {
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void header(unsigned char h[44], int rate, int channels, uint32_t data_bytes) {
    memcpy(h, "RIFF", 4);
    put_u32(h + 4, 36 + data_bytes);
    memcpy(h + 8, "WAVEfmt ", 8);
    put_u32(h + 16, 16);
    put_u16(h + 20, 1); /* WAVE_FORMAT_PCM */
    put_u16(h + 22, (uint16_t)channels);
    put_u32(h + 24, (uint32_t)rate);
    put_u32(h + 28, (uint32_t)(rate * channels * 2));
    put_u16(h + 32, (uint16_t)(channels * 2));
    put_u16(h + 34, 16);
    memcpy(h + 36, "data", 4);
    put_u32(h + 40, data_bytes);
}

vt_status vt_audio_wav_create(const char *path, int rate, int channels, vt_wav_writer **out,
                              vt_error *err) {
    *out = NULL;
    if (rate <= 0 || channels < 1 || channels > 8) {
        return VT_FAIL(err, VT_E_SOFTWARE, "WAV: bad format (%d Hz, %d channels)", rate, channels);
    }
    vt_status st = vt_file_check_target(path, err);
    if (st != VT_OK) {
        return st;
    }
    vt_wav_writer *w = vt_xcalloc(1, sizeof *w);
    w->path = vt_xstrdup(path);
    w->rate = rate;
    w->channels = channels;
    int fd = vt_file_tmp_create(path, &w->tmp);
    w->f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!w->f) {
        st = VT_FAIL(err, VT_E_CANTCREAT, "%s: cannot create: %s", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(w->tmp);
        }
        free(w->tmp);
        free(w->path);
        free(w);
        return st;
    }
    unsigned char h[44];
    header(h, rate, channels, 0);
    w->failed = fwrite(h, 1, sizeof h, w->f) != sizeof h;
    *out = w;
    return VT_OK;
}

vt_status vt_audio_wav_write(vt_wav_writer *w, const int16_t *samples, size_t frames,
                             vt_error *err) {
    size_t count = frames * (size_t)w->channels;
    if (w->data_bytes + count * 2 > WAV_MAX_DATA) {
        w->failed = true;
        return VT_FAIL(err, VT_E_IOERR, "%s: a WAV file cannot hold more than 4 GiB of samples",
                       w->path);
    }
    unsigned char buf[4096];
    for (size_t i = 0; i < count && !w->failed;) {
        size_t n = 0;
        for (; n + 2 <= sizeof buf && i < count; i++, n += 2) {
            put_u16(buf + n, (uint16_t)samples[i]); /* little-endian whatever the machine */
        }
        w->failed = fwrite(buf, 1, n, w->f) != n;
    }
    w->data_bytes += count * 2;
    if (w->failed) {
        return VT_FAIL(err, VT_E_IOERR, "%s: write error: %s", w->path, strerror(errno));
    }
    return VT_OK;
}

static void writer_free(vt_wav_writer *w) {
    free(w->tmp);
    free(w->path);
    free(w);
}

vt_status vt_audio_wav_finish(vt_wav_writer *w, vt_error *err) {
    unsigned char h[44];
    header(h, w->rate, w->channels, (uint32_t)w->data_bytes);
    bool ok = !w->failed && fseek(w->f, 0, SEEK_SET) == 0 && fwrite(h, 1, sizeof h, w->f) == 44 &&
              fflush(w->f) == 0 && fsync(fileno(w->f)) == 0;
    int e = errno;
    ok = fclose(w->f) == 0 && ok;
    if (!ok) {
        unlink(w->tmp);
        vt_status st = VT_FAIL(err, VT_E_IOERR, "%s: cannot write: %s", w->path, strerror(e));
        writer_free(w);
        return st;
    }
    vt_status st = vt_file_tmp_commit(w->tmp, w->path, err);
    writer_free(w);
    return st;
}

void vt_audio_wav_discard(vt_wav_writer *w) {
    if (!w) {
        return;
    }
    fclose(w->f);
    unlink(w->tmp);
    writer_free(w);
}
