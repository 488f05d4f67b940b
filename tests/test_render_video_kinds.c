/* The film program is compiled once per kind of picture (Y'CbCr, Y'CbCr with alpha, RGBA), so a
 * fragment reads only its own kind's textures: on a software rasteriser (llvmpipe) both sides of
 * a branch on a uniform run, and every read costs CPU for each pixel of the film. Checked from
 * the linked programs' active samplers, headless (SDL offscreen, Mesa llvmpipe). */
#include "platform/vt_platform.h"
#include "render/render_internal.h"
#include "vt_test.h"

static void kind(int k, bool y, bool cb, bool cr, bool a) {
    vt_render_video_program p = {0};
    vt_error err = {0};
    VT_CHECK_INT(vt_render_video_program_create(&p, k, &err), VT_OK);
    if (!p.base.id) {
        fprintf(stderr, "kind %d: %s\n", k, err.message);
        return;
    }
    VT_CHECK_INT(glGetUniformLocation(p.base.id, "u_y") >= 0, y);
    VT_CHECK_INT(glGetUniformLocation(p.base.id, "u_cb") >= 0, cb);
    VT_CHECK_INT(glGetUniformLocation(p.base.id, "u_cr") >= 0, cr);
    VT_CHECK_INT(glGetUniformLocation(p.base.id, "u_a") >= 0, a);
    VT_CHECK_INT(p.matrix >= 0, cb);
    vt_render_program_destroy(&p.base);
}

int main(void) {
    vt_error err = {0};
    if (vt_platform_init(true, &err) != VT_OK) {
        fprintf(stderr, "vt_platform_init: %s\n", err.message);
        return 1;
    }
    vt_window *win = NULL;
    vt_window_desc wd = {
        .title = "test_render_video_kinds", .width = 32, .height = 32, .hidden = true};
    if (vt_window_create(&wd, &win, &err) != VT_OK) {
        fprintf(stderr, "vt_window_create: %s\n", err.message);
        return 1;
    }
    vt_renderer *r = NULL; /* loads GL's entry points */
    vt_renderer_desc desc = {32, 32};
    if (vt_renderer_create(&desc, &r, &err) != VT_OK) {
        fprintf(stderr, "vt_renderer_create: %s\n", err.message);
        return 1;
    }
    kind(VT_RENDER_VIDEO_YUV, true, true, true, false);
    kind(VT_RENDER_VIDEO_YUVA, true, true, true, true);
    kind(VT_RENDER_VIDEO_RGBA, true, false, false, false);
    vt_renderer_destroy(r);
    vt_window_destroy(win);
    vt_platform_quit();
    return vt_test_finish("test_render_video_kinds");
}
