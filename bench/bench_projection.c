/* Projection outputs: the frame time and CPU of a 3840x1080 canvas shown on two outputs
 * (1920x1080 each, sharing 256 canvas px, corner pins, edge blends, black level) against the
 * same canvas on one output (3840x1080), as play draws them: the canvas once, then each output
 * into its own window sharing one GL context, each swapped. 20 moving rectangles; FRAMES
 * frames of each, in turn, ROUNDS times, so the ratio is measured side by side. Wall time and
 * process CPU time (CLOCK_PROCESS_CPUTIME_ID) per frame. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "platform/vt_platform.h"
#include "render/vt_render.h"
#include "scene/vt_scene.h"

static double clock_s(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static vt_scene *load(const char *outputs) {
    char text[8192];
    size_t n = (size_t)snprintf(text, sizeof text,
                                "format: vitrine/1\ncanvas: {size: [3840, 1080]}\nlayers:\n");
    for (int i = 0; i < 20; i++) {
        n += (size_t)snprintf(text + n, sizeof text - n,
                              "  - {id: r%d, type: rect, position: [%d, %d], size: [300, 200], "
                              "color: \"#%02x80c0\", opacity: 0.8}\n",
                              i, 100 + i * 180, 200 + (i % 5) * 150, (i * 37) % 256);
    }
    snprintf(text + n, sizeof text - n, "%s", outputs);
    vt_scene *sc = NULL;
    vt_diags d = {0};
    if (vt_scene_load_string(text, strlen(text), "bench.yaml", 0, &sc, &d) != VT_OK) {
        vt_diags_print(&d, stderr);
        exit(1);
    }
    vt_diags_free(&d);
    return sc;
}

typedef struct result {
    double wall_ms, cpu_ms;
} result;

static result run(vt_scene *sc, vt_window *main, int frames) {
    vt_window *wins[2] = {NULL, NULL};
    for (size_t i = 0; i < sc->outputs.count; i++) {
        vt_window_desc wd = {.title = "bench", .hidden = true, .share = main};
        vt_output_size(&sc->outputs.items[i], &wd.width, &wd.height);
        vt_error err = {0};
        if (vt_window_create(&wd, &wins[i], &err) != VT_OK) {
            fprintf(stderr, "%s\n", err.message);
            exit(1);
        }
    }
    vt_window_make_current(main);
    int tw, th;
    vt_outputs_canvas_target(&sc->outputs, sc->width, sc->height, &tw, &th);
    vt_renderer *r = NULL;
    vt_error err = {0};
    vt_renderer_desc desc = {tw, th};
    if (vt_renderer_create(&desc, &r, &err) != VT_OK || vt_renderer_load_scene(r, sc, &err)) {
        fprintf(stderr, "%s\n", err.message);
        exit(1);
    }
    vt_draw_item items[20];
    double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    for (int f = 0; f < frames; f++) {
        for (size_t i = 0; i < sc->layer_count; i++) {
            items[i] = (vt_draw_item){.layer = (uint32_t)i, .props = sc->layers[i].props};
            items[i].props.position.x += f * 7 % 400;
        }
        vt_renderer_draw(r, sc, items, sc->layer_count, 1.0);
        for (size_t i = 0; i < sc->outputs.count; i++) {
            int w, h;
            vt_window_make_current(wins[i]);
            vt_window_drawable_size(wins[i], &w, &h);
            vt_renderer_present_output(r, sc, &sc->outputs.items[i], w, h);
            vt_window_swap(wins[i]);
        }
        vt_window_make_current(main);
    }
    /* The last frame finished: read one back. */
    vt_frame_pixels px = {0};
    vt_renderer_read_start(r, 0);
    vt_renderer_read_finish(r, 0, &px, &err);
    free(px.rgba);
    result res = {(clock_s(CLOCK_MONOTONIC) - w0) * 1e3 / frames,
                  (clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0) * 1e3 / frames};
    vt_renderer_destroy(r);
    for (int i = 0; i < 2; i++) {
        vt_window_destroy(wins[i]);
    }
    return res;
}

int main(void) {
    const char *env = getenv("FRAMES");
    int frames = env ? atoi(env) : 60;
    env = getenv("ROUNDS");
    int rounds = env ? atoi(env) : 3;
    frames = frames > 0 ? frames : 60;
    vt_error err = {0};
    vt_window *main = NULL;
    vt_window_desc wd = {.title = "bench", .width = 64, .height = 64, .hidden = true};
    if (vt_platform_init(true, &err) != VT_OK || vt_window_create(&wd, &main, &err) != VT_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    vt_scene *one = load("outputs:\n  - {id: all, source: [0, 0, 3840, 1080]}\n");
    vt_scene *two =
        load("outputs:\n  - id: left\n    source: [0, 0, 2048, 1080]\n    size: [1920, 1080]\n"
             "    warp: {corners: [[0.02, 0.03], [0.99, 0], [1, 1], [0, 0.97]]}\n"
             "    edge_blend: {right: 240, gamma: 2.2}\n    black_level: 0.02\n"
             "  - id: right\n    source: [1792, 0, 2048, 1080]\n    size: [1920, 1080]\n"
             "    warp: {corners: [[0, 0], [0.98, 0.02], [1, 0.99], [0.01, 1]]}\n"
             "    edge_blend: {left: 240, gamma: 2.2}\n    black_level: 0.02\n");
    printf("bench_projection: 3840x1080 canvas, 20 layers, %d frames each, %d rounds in turn\n",
           frames, rounds);
    for (int k = 0; k < rounds; k++) {
        result a = run(one, main, frames), b = run(two, main, frames);
        printf("round %d: one output %.1f ms/frame (CPU %.1f ms), two outputs %.1f ms/frame "
               "(CPU %.1f ms): ratio %.2fx wall, %.2fx CPU\n",
               k + 1, a.wall_ms, a.cpu_ms, b.wall_ms, b.cpu_ms, b.wall_ms / a.wall_ms,
               b.cpu_ms / a.cpu_ms);
    }
    vt_scene_destroy(one);
    vt_scene_destroy(two);
    vt_window_destroy(main);
    vt_platform_quit();
    return 0;
}
