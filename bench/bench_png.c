/* The PNG encoder alone, on one thread: the frames of a raw RGB file (rgb24, as ffmpeg writes
 * it) encoded at each level given by a vt_png_writer, as render's encoder threads do; prints,
 * per level, the CPU time per frame (CLOCK_THREAD_CPUTIME_ID) and the total size. bench/run.sh
 * (section png) runs it on the W1 frames beside ffmpeg's PNG encoder.
 * Usage: bench_png FILE.rgb WIDTH HEIGHT LEVEL... */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "io/vt_image.h"

static double cpu_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    int w = argc > 3 ? atoi(argv[2]) : 0, h = argc > 3 ? atoi(argv[3]) : 0;
    int nl = argc - 4;
    if (nl < 1 || nl > 10 || w <= 0 || h <= 0 || w > 16384 || h > 16384) {
        fprintf(stderr, "usage: bench_png FILE.rgb WIDTH HEIGHT LEVEL... (at most 10 levels)\n");
        return 64;
    }
    int levels[10];
    for (int i = 0; i < nl; i++) {
        levels[i] = atoi(argv[4 + i]);
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 66;
    }
    size_t px = (size_t)w * (size_t)h;
    uint8_t *rgb = vt_xmalloc(px * 3), *rgba = vt_xmalloc(px * 4);
    double cpu[10] = {0};
    unsigned long long bytes[10] = {0};
    long frames = 0;
    vt_png_writer *wr = vt_png_writer_create();
    while (fread(rgb, 1, px * 3, f) == px * 3) {
        for (size_t i = 0; i < px; i++) {
            rgba[4 * i] = rgb[3 * i];
            rgba[4 * i + 1] = rgb[3 * i + 1];
            rgba[4 * i + 2] = rgb[3 * i + 2];
            rgba[4 * i + 3] = 255;
        }
        for (int l = 0; l < nl; l++) {
            const uint8_t *png = NULL;
            size_t len = 0;
            vt_error err;
            double t0 = cpu_s();
            if (vt_png_writer_encode(wr, rgba, w, h, (size_t)w * 4, false, levels[l], &png, &len,
                                     &err) != VT_OK) {
                fprintf(stderr, "bench_png: %s\n", err.message);
                return 70;
            }
            cpu[l] += cpu_s() - t0;
            bytes[l] += len;
        }
        frames++;
    }
    fclose(f);
    vt_png_writer_free(wr);
    free(rgb);
    free(rgba);
    if (frames == 0) {
        fprintf(stderr, "bench_png: %s holds no whole %dx%d frame\n", argv[1], w, h);
        return 65;
    }
    for (int l = 0; l < nl; l++) {
        printf("bench_png: level %d: %ld frames of %dx%d, %.2f ms CPU per frame, %.1f MB\n",
               levels[l], frames, w, h, cpu[l] / (double)frames * 1e3, (double)bytes[l] / 1e6);
    }
    return 0;
}
