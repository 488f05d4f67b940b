/* HAP films drawn through the compressed path (their DXT blocks uploaded as S3TC textures, HAP Q
 * converted from YCoCg in the shader) against the same films decoded to RGBA by libavcodec:
 * both decode the same blocks, so the frames match within a few code values, for HAP, HAP
 * Alpha, HAP Q, a chunked HAP and an uncompressed HAP Q, offline and live; the compressed
 * frames are blocks and show the picture asked for. Skipped (77) without ffmpeg's hap encoder or a GL driver taking S3TC. */
#include "app/app_internal.h"
#include "render/render_internal.h"
#include "video/video_internal.h"
#include "vt_test.h"
#include "render_util.h"

#include <stdlib.h>
#include <unistd.h>

static char dir[] = "/tmp/vt-hap-render-XXXXXX";
static bool no_s3tc;

/* DXT decoders differ only in how they round the interpolated colours (and HAP Q's conversion
 * in float against integers): a few code values. */
#define TOLERANCE 3

static bool make(const char *name, int w, int h, const char *args) {
    char *cmd = vt_xasprintf(
        "ffmpeg -nostdin -v error -f lavfi -i "
        "\"nullsrc=s=%dx%d:r=25:d=0.4,format=rgba,geq=r='4*X':g='5*Y':b='20*N':a='40+3*X'\" "
        "-c:v hap %s -y '%s/%s' </dev/null >/dev/null 2>&1",
        w, h, args, dir, name);
    bool ok = system(cmd) == 0;
    free(cmd);
    return ok;
}

static char *write_scene(const char *film, int w, int h) {
    char *path = vt_xasprintf("%s/%s.yaml", dir, film);
    FILE *f = fopen(path, "w");
    VT_CHECK(f != NULL);
    if (f) {
        fprintf(f,
                "format: vitrine/1\ncanvas: {size: [%d, %d], background: '#000000'}\nlayers:\n"
                "  - {id: film, type: video, src: %s, position: [0, 0], size: [%d, %d]}\n",
                w, h, film, w, h);
        fclose(f);
    }
    return path;
}

/* The frame at film picture k, and the layout of the picture shown (-1: none, -2: not picture
 * k). */
static vt_frame_pixels draw(vt_show *show, int k, int *layout) {
    vt_ticks t = (vt_ticks)k * VT_TICKS_PER_SEC / 25 + VT_TICKS_PER_SEC / 100;
    for (int i = 0; i < 2000; i++) { /* a live film: until its picture is there */
        vt_show_update(show, t);
        const vt_video_frame *f = show->films[0].shown;
        if (!show->films[0].live || (f && f->start <= t && t < f->end)) {
            break;
        }
        usleep(1000);
    }
    const vt_video_frame *f = show->films[0].shown;
    *layout = !f ? -1 : f->start != (vt_ticks)k * VT_TICKS_PER_SEC / 25 ? -2 : (int)f->layout;
    vt_renderer_draw(show->renderer, show->scene, show->items, show->item_count, 1.0);
    vt_renderer_read_start(show->renderer, 0);
    vt_frame_pixels px = {0};
    vt_error err = {0};
    VT_CHECK_INT(vt_renderer_read_finish(show->renderer, 0, &px, &err), VT_OK);
    return px;
}

static void reopen(vt_show *show, bool compressed) {
    vt_show_films_close(show->films, show->scene->layer_count);
    vt_render_video_load_scene(show->renderer, show->scene); /* forget the uploaded pictures */
    vt_video_set_compressed_textures(compressed, "a comparison");
    vt_show_films_open(show);
}

static void compare(const char *film, int w, int h, bool live, int want_layout) {
    char *scene = write_scene(film, w, h);
    vt_show show;
    vt_error err = {0};
    VT_CHECK_INT(vt_show_load(&show, scene, NULL), VT_OK);
    show.live_films = live;
    VT_CHECK_INT(vt_show_build(&show, w, h, &err), VT_OK);
    if (!GLEW_EXT_texture_compression_s3tc) { /* known once the renderer has set GLEW up */
        if (!no_s3tc) {
            VT_SKIP("this GL driver takes no S3TC textures: HAP films are decoded to RGBA");
        }
        no_s3tc = true;
        vt_show_unload(&show);
        free(scene);
        return;
    }
    /* By default: blocks on a GPU, RGBA on llvmpipe (sampling DXT there costs more CPU). */
    int ld = -1;
    vt_frame_pixels first = draw(&show, 0, &ld);
    VT_CHECK_INT(ld, show.renderer->software ? VT_VIDEO_RGBA : want_layout);
    free(first.rgba);
    for (int k = 1; k < 10; k += 4) {
        reopen(&show, true);
        int lc = -1, lr = -1;
        vt_frame_pixels c = draw(&show, k, &lc);
        reopen(&show, false);
        vt_frame_pixels r = draw(&show, k, &lr);
        VT_CHECK_INT(lc, want_layout);
        VT_CHECK_INT(lr, VT_VIDEO_RGBA);
        int worst = 0;
        for (int y = 0; y < h && c.rgba && r.rgba; y++) {
            for (int x = 0; x < w; x++) {
                const uint8_t *a = vt_px(&c, x, y), *b = vt_px(&r, x, y);
                for (int i = 0; i < 4; i++) {
                    int d = abs(a[i] - b[i]);
                    worst = d > worst ? d : worst;
                }
            }
        }
        printf("%s%s picture %d: worst difference %d\n", film, live ? " (live)" : "", k, worst);
        VT_CHECK(worst <= TOLERANCE);
        free(c.rgba);
        free(r.rgba);
    }
    vt_show_unload(&show);
    free(scene);
}

int main(void) {
    if (system("ffmpeg -hide_banner -encoders 2>/dev/null | grep -q ' hap '") != 0) {
        VT_SKIP("the ffmpeg program or its hap encoder is missing: no HAP test films");
        return vt_test_finish("test_video_hap_render");
    }
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    vt_error err = {0};
    vt_window *win = NULL;
    vt_window_desc wd = {.title = "test_video_hap_render", .width = 64, .height = 48,
                         .hidden = true};
    if (vt_platform_init(true, &err) != VT_OK || vt_window_create(&wd, &win, &err) != VT_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    if (!make("hap.mov", 64, 48, "-format hap") ||
               !make("hap_alpha.mov", 64, 48, "-format hap_alpha") ||
               !make("hap_q.mov", 64, 48, "-format hap_q") ||
               !make("hap_chunked.mov", 64, 48, "-format hap -chunks 4") ||
               !make("hap_q_plain.mov", 64, 48, "-format hap_q -compressor none")) {
        VT_SKIP("ffmpeg could not make the HAP test films");
    } else {
        compare("hap.mov", 64, 48, false, VT_VIDEO_BLOCKS);
        compare("hap_alpha.mov", 64, 48, false, VT_VIDEO_BLOCKS);
        compare("hap_q.mov", 64, 48, false, VT_VIDEO_BLOCKS);
        compare("hap_chunked.mov", 64, 48, false, VT_VIDEO_BLOCKS);
        compare("hap_q_plain.mov", 64, 48, false, VT_VIDEO_BLOCKS);
        compare("hap_q.mov", 64, 48, true, VT_VIDEO_BLOCKS);
    }
    vt_window_destroy(win);
    vt_platform_quit();
    char *cmd = vt_xasprintf("rm -rf '%s'", dir);
    VT_CHECK_INT(system(cmd), 0);
    free(cmd);
    return vt_test_finish("test_video_hap_render");
}
