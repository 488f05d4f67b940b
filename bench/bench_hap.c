/* CPU per frame of a HAP film drawn by the show as `render` draws it (offline, frame-exact),
 * through the compressed path (the frames' DXT blocks uploaded as S3TC textures) against the
 * libavcodec path (decoded to RGBA on the CPU, uploaded as RGBA), the two in turn RUNS times in
 * one process: per frame, the CPU of getting the picture (demux, Snappy, and for libavcodec the
 * DXT decoding and the RGBA conversion) and of drawing it (upload and composite, glFinish'd:
 * llvmpipe's threads count). Usage: bench_hap FILM [FRAMES=60] [RUNS=3]; the film's size is the
 * canvas (bench/run.sh has no section for it: see docs/performance.md for the command). */
#include "app/app_internal.h"
#include "io/vt_io.h"
#include "render/render_internal.h"
#include "video/video_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* One pass over `frames` pictures; CPU seconds of the pictures and of the drawing. */
static void pass(vt_show *show, bool compressed, int frames, double *get, double *draw) {
    vt_show_films_close(show->films, show->scene->layer_count);
    vt_render_video_load_scene(show->renderer, show->scene);
    vt_video_set_compressed_textures(compressed, "a comparison");
    vt_show_films_open(show);
    *get = *draw = 0;
    for (int k = 0; k < frames; k++) {
        vt_ticks t = (vt_ticks)k * VT_TICKS_PER_SEC / 30;
        double t0 = cpu_seconds();
        vt_show_update(show, t);
        double t1 = cpu_seconds();
        vt_renderer_draw(show->renderer, show->scene, show->items, show->item_count, 1.0);
        glFinish();
        *get += t1 - t0;
        *draw += cpu_seconds() - t1;
    }
    const vt_video_frame *f = show->films[0].shown;
    if (!f || (f->layout == VT_VIDEO_BLOCKS) != compressed) {
        fprintf(stderr, "bench_hap: the film did not go the %s way\n",
                compressed ? "compressed" : "libavcodec");
        exit(70);
    }
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: bench_hap FILM [FRAMES=60] [RUNS=3]\n");
        return 64;
    }
    int frames = argc > 2 ? atoi(argv[2]) : 60, runs = argc > 3 ? atoi(argv[3]) : 3;
    vt_video_info info;
    vt_error err = {0};
    if (frames <= 0 || runs <= 0 || vt_video_probe(argv[1], &info, &err) != VT_OK) {
        fprintf(stderr, "bench_hap: %s\n", err.message[0] ? err.message : "FRAMES and RUNS > 0");
        return 64;
    }
    /* The scene beside the film: assets are relative to the scene's folder. */
    char *dir = vt_path_dirname(argv[1]), *scene = vt_xasprintf("%s/bench-hap-XXXXXX.yaml", dir);
    const char *base = strrchr(argv[1], '/') ? strrchr(argv[1], '/') + 1 : argv[1];
    int fd = mkstemps(scene, 5);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        return 73;
    }
    fprintf(f,
            "format: vitrine/1\ncanvas: {size: [%d, %d]}\nlayers:\n"
            "  - {id: film, type: video, src: '%s', position: [0, 0], size: [%d, %d]}\n",
            info.width, info.height, base, info.width, info.height);
    fclose(f);
    vt_window *win = NULL;
    vt_window_desc wd = {.title = "bench_hap", .width = 64, .height = 64, .hidden = true};
    vt_show show;
    if (vt_platform_init(true, &err) != VT_OK || vt_window_create(&wd, &win, &err) != VT_OK ||
        vt_show_load(&show, scene, NULL) != VT_OK ||
        vt_show_build(&show, info.width, info.height, &err) != VT_OK) {
        fprintf(stderr, "bench_hap: %s\n", err.message);
        remove(scene);
        return 70;
    }
    remove(scene);
    if (!GLEW_EXT_texture_compression_s3tc) {
        fprintf(stderr, "bench_hap: this GL driver takes no S3TC textures\n");
        return 69;
    }
    printf("%s: %dx%d, %d frames a pass, ms of CPU per frame (picture + drawing)\n", argv[1],
           info.width, info.height, frames);
    for (int r = 0; r < runs; r++) {
        double cg, cd, lg, ld;
        pass(&show, true, frames, &cg, &cd);
        pass(&show, false, frames, &lg, &ld);
        printf("run %d: compressed %.2f + %.2f = %.2f; libavcodec %.2f + %.2f = %.2f; "
               "pictures %.2fx, total %.2fx\n",
               r + 1, 1e3 * cg / frames, 1e3 * cd / frames, 1e3 * (cg + cd) / frames,
               1e3 * lg / frames, 1e3 * ld / frames, 1e3 * (lg + ld) / frames, lg / cg,
               (lg + ld) / (cg + cd));
    }
    vt_show_unload(&show);
    free(scene);
    free(dir);
    vt_window_destroy(win);
    vt_platform_quit();
    return 0;
}
