/* `vitrine play`, test hooks (environment variables read at start, never for operators; each
 * documented where play_loop declares what it sets): the pictures drawn captured, a slowed
 * loop, a pretended GPU reset or display unplug, the frame log. */
#include "app/play_loop_internal.h"
#include "io/vt_image.h"
#include "io/vt_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* VT_TEST_CAPTURE: the picture just drawn, at its size, and what it was drawn at. */
void vt_play_capture(play_loop *p, vt_ticks now, double scale) {
    vt_error err = {0};
    vt_renderer_read_start(p->show.renderer, 0);
    if (vt_renderer_read_finish(p->show.renderer, 0, &p->capture, &err) != VT_OK) {
        vt_log(VT_LOG_WARN, "play", "VT_TEST_CAPTURE: %s", err.message);
        return;
    }
    uint8_t *png = NULL;
    size_t len = 0;
    char *path =
        vt_xasprintf("%s/play_%05llu.png", p->capture_dir, (unsigned long long)p->frames_drawn);
    if (vt_png_encode(p->capture.rgba, p->capture.width, p->capture.height,
                      (size_t)p->capture.width * 4, false, 1, &png, &len, &err) != VT_OK ||
        vt_file_write_atomic(path, png, len, 0, &err) != VT_OK) {
        vt_log(VT_LOG_WARN, "play", "VT_TEST_CAPTURE: %s", err.message);
    } else if (p->capture_list) {
        fprintf(p->capture_list, "%05llu %lld %d %d %d %.4f\n", (unsigned long long)p->frames_drawn,
                (long long)now, p->capture.width, p->capture.height, p->energy.setting.fps, scale);
        fflush(p->capture_list);
    }
    free(png);
    free(path);
}

/* The test hooks of play_loop, from the environment. */
void vt_play_test_hooks_start(play_loop *p) {
    const char *dir = getenv("VT_TEST_CAPTURE"), *delay = getenv("VT_TEST_FRAME_DELAY_MS");
    if (dir && dir[0]) {
        char *list = vt_xasprintf("%s/frames.txt", dir);
        p->capture_list = fopen(list, "w");
        if (!p->capture_list) {
            vt_log(VT_LOG_WARN, "play", "VT_TEST_CAPTURE: cannot write %s", list);
        } else {
            p->capture_dir = dir;
        }
        free(list);
    }
    if (delay && delay[0]) {
        p->frame_delay_ns = (int64_t)(atof(delay) * 1e6);
    }
    const char *reset = getenv("VITRINE_TEST_GL_RESET");
    if (reset && reset[0]) {
        p->gl_reset_after_ns = (int64_t)(atof(reset) * 1e9);
    }
    const char *unplug = getenv("VITRINE_TEST_DISPLAY_UNPLUG");
    double a = 0, b = 0;
    if (unplug && sscanf(unplug, "%lf:%lf", &a, &b) == 2 && a >= 0 && b > a && b < 1e6) {
        p->unplug_after_s = a;
        p->replug_after_s = b;
    }
    const char *full = getenv("VT_TEST_FULL_REDRAW");
    p->full_redraw = full && strcmp(full, "1") == 0;
    const char *frames = getenv("VT_TEST_FRAME_LOG");
    if (frames && frames[0] && !(p->frame_log = fopen(frames, "w"))) {
        vt_log(VT_LOG_WARN, "play", "VT_TEST_FRAME_LOG: cannot write %s", frames);
    }
}
