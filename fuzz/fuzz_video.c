/* libFuzzer target for films: any bytes, as a file (one unlinked temporary file, rewritten),
 * through the probe, then the first pictures and a seek back, and the film's sound (a block, a
 * seek, a block), as check, render and play would meet them. Pictures are bounded by
 * VT_VIDEO_MAX_SIDE, so memory and time per input stay bounded. */
#include "video/video_internal.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static char path[64];
    static int fd = -1;
    if (fd < 0) {
        char tmp[] = "/tmp/vt-fuzz-film-XXXXXX";
        if ((fd = mkstemp(tmp)) < 0) {
            return 0;
        }
        unlink(tmp); /* nothing left behind: the film is read through the descriptor's name */
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size) {
        return 0;
    }
    vt_video_info info;
    vt_error err;
    vt_status probed = vt_video_probe(path, &info, &err);
    vt_video *v = NULL;
    if (probed == VT_OK && vt_video_open(path, &v, &err) == VT_OK) {
        if (info.width > VT_VIDEO_MAX_SIDE || info.height > VT_VIDEO_MAX_SIDE) {
            __builtin_trap(); /* the probe let through a picture over the bound */
        }
        static const vt_ticks times[] = {0, VT_TICKS_PER_SEC / 10, VT_TICKS_PER_SEC / 5, 0};
        for (size_t i = 0; i < sizeof times / sizeof *times; i++) {
            const vt_video_frame *f = NULL;
            vt_video_frame_at(v, times[i], &f, &err);
            if (f) {
                /* Touch each plane's last sample so a wrong size is an ASan report. */
                for (int p = 0; p < f->planes; p++) {
                    int h = p == 1 || p == 2 ? f->chroma_h : f->height;
                    int w = p == 1 || p == 2 ? f->chroma_w : f->width;
                    int bpp = f->layout == VT_VIDEO_RGBA ? 4 : f->bytes;
                    size_t last = (size_t)(h - 1) * (size_t)f->stride[p] + (size_t)(w * bpp - 1);
                    volatile uint8_t sink = f->data[p][last];
                    (void)sink;
                }
            }
        }
    }
    vt_video_close(v);
    /* The film's sound, as the audio module reads it: a block, a seek, another block. */
    vt_video_sound *snd = NULL;
    if (probed == VT_OK && vt_video_sound_open(path, 2, &snd, NULL, &err) == VT_OK) {
        static int16_t pcm[2 * 4096];
        vt_video_sound_read(snd, pcm, 4096);
        vt_video_sound_seek(snd, 1000);
        vt_video_sound_read(snd, pcm, 4096);
        vt_video_sound_close(snd);
    }
    return 0;
}
