/* The show's images, headless: a file shown by many layers is decoded once and kept once (its
 * layers share one copy, whatever their filters), and a hot reload whose image cannot be
 * decoded (a file caught half-written) keeps the running scene, with an error at the layer. */
#include "app/app_internal.h"
#include "io/vt_io.h"
#include "render/render_internal.h"
#include "vt_test.h"
#include "render_util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/vt-show-images-XXXXXX";

/* A 16x8 image, left half red, right half blue. */
static void write_halves(const char *path) {
    uint8_t px[16 * 8 * 4];
    for (int i = 0; i < 16 * 8; i++) {
        bool left = i % 16 < 8;
        uint8_t *p = px + i * 4;
        p[0] = left ? 255 : 0;
        p[1] = 0;
        p[2] = left ? 0 : 255;
        p[3] = 255;
    }
    VT_CHECK_INT(vt_test_write_png(path, px, 16, 8), VT_OK);
}

/* Eight layers on one file, 16 px apart, the last two with the nearest filter. */
static char *write_scene(const char *name, const char *image) {
    char *path = vt_xasprintf("%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    VT_CHECK(f != NULL);
    fprintf(f, "format: vitrine/1\ncanvas:\n  size: [128, 8]\nlayers:\n");
    for (int i = 0; i < 8; i++) {
        fprintf(f,
                "  - id: l%d\n    type: image\n    src: %s\n    position: [%d, 0]\n"
                "    size: [16, 8]\n    filter: %s\n",
                i, image, i * 16, i < 6 ? "linear" : "nearest");
    }
    fclose(f);
    return path;
}

static vt_frame_pixels draw(vt_show *show) {
    vt_show_update(show, 0);
    vt_renderer_draw(show->renderer, show->scene, show->items, show->item_count, 1.0);
    vt_renderer_read_start(show->renderer, 0);
    vt_frame_pixels f = {0};
    vt_error err = {0};
    VT_CHECK_INT(vt_renderer_read_finish(show->renderer, 0, &f, &err), VT_OK);
    return f;
}

/* Every layer shows the picture: red on its left, blue on its right. */
static void check_layers(const vt_frame_pixels *f) {
    for (int i = 0; i < 8; i++) {
        const uint8_t *l = vt_px(f, i * 16 + 2, 4), *r = vt_px(f, i * 16 + 13, 4);
        bool ok = l[0] == 255 && l[2] == 0 && r[0] == 0 && r[2] == 255;
        VT_CHECK(ok);
        if (!ok) {
            fprintf(stderr, "  layer %d: %d,%d,%d left, %d,%d,%d right\n", i, l[0], l[1], l[2],
                    r[0], r[1], r[2]);
        }
    }
}

static void test_shared(void) {
    char *png = vt_xasprintf("%s/halves.png", dir);
    write_halves(png);
    char *scene = write_scene("shared.yaml", "halves.png");
    vt_show show;
    VT_CHECK_INT(vt_show_load(&show, scene, NULL), VT_OK);
    /* One decode for eight layers. */
    vt_image_result *res = vt_image_batch_wait(show.images);
    int decoded = 0;
    for (size_t i = 0; i < show.scene->layer_count; i++) {
        decoded += res[i].image.pixels != NULL;
    }
    VT_CHECK_INT(decoded, 1);
    vt_error err = {0};
    VT_CHECK_INT(vt_show_build(&show, 128, 8, &err), VT_OK);
    /* One copy kept for the GPU rebuilds, however many layers and filters. */
    VT_CHECK_INT(vt_renderer_cpu_pixels(show.renderer), 16 * 8);
    vt_frame_pixels f = draw(&show);
    check_layers(&f);
    free(f.rgba);
    VT_CHECK_INT(vt_renderer_rebuild_gpu(show.renderer, &err), VT_OK);
    f = draw(&show);
    check_layers(&f);
    free(f.rgba);

    /* Hot reload while the image is half-written: refused, the running scene stays. */
    char *data = NULL;
    size_t len = 0;
    VT_CHECK_INT(vt_file_read(png, 1 << 20, &data, &len, &err), VT_OK);
    FILE *out = fopen(png, "wb");
    fwrite(data, 1, len / 2, out);
    fclose(out);
    vt_scene *before = show.scene, *next = NULL;
    vt_diags diags = {0};
    VT_CHECK_INT(vt_scene_load(scene, 0, &next, &diags), VT_OK);
    VT_CHECK_INT(vt_show_swap(&show, next, 0, &diags, &err), VT_E_DATAERR);
    VT_CHECK(show.scene == before);
    VT_CHECK_INT(diags.errors, 1);
    if (diags.count > 0) {
        char *want = vt_xasprintf("layer 'l0': image 'halves.png': not a valid PNG image: the "
                                  "file is truncated");
        VT_CHECK_STR(diags.items[0].message, want);
        VT_CHECK_INT(diags.items[0].line, 5);
        VT_CHECK_INT(diags.items[0].col, 5);
        free(want);
    }
    vt_diags_free(&diags);
    f = draw(&show);
    check_layers(&f); /* still the picture, not a checkerboard */
    free(f.rgba);

    /* The copy finishes: the reload goes through. */
    out = fopen(png, "wb");
    fwrite(data, 1, len, out);
    fclose(out);
    next = NULL;
    VT_CHECK_INT(vt_scene_load(scene, 0, &next, &diags), VT_OK);
    VT_CHECK_INT(vt_show_swap(&show, next, 0, &diags, &err), VT_OK);
    VT_CHECK(show.scene == next);
    VT_CHECK_INT(diags.errors, 0);
    vt_diags_free(&diags);
    f = draw(&show);
    check_layers(&f);
    free(f.rgba);
    free(data);
    vt_show_unload(&show);
    free(scene);
    free(png);
}

int main(void) {
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    vt_error err = {0};
    vt_window *win = NULL;
    vt_window_desc wd = {.title = "test_show_images", .width = 128, .height = 8, .hidden = true};
    if (vt_platform_init(true, &err) != VT_OK || vt_window_create(&wd, &win, &err) != VT_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    test_shared();
    vt_window_destroy(win);
    vt_platform_quit();
    char *cmd = vt_xasprintf("rm -rf '%s'", dir);
    VT_CHECK_INT(system(cmd), 0);
    free(cmd);
    return vt_test_finish("test_show_images");
}
