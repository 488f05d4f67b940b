/* Test helpers for rendered frames: pixel access and golden-image comparison with a tolerance,
 * writing the actual frame and a diff image to tests/out/ on failure. Include after vt_test.h. */
#ifndef VT_RENDER_UTIL_H
#define VT_RENDER_UTIL_H

#include "io/vt_image.h"
#include "io/vt_io.h"
#include "render/vt_render.h"


static inline const uint8_t *vt_px(const vt_frame_pixels *f, int x, int y) {
    static const uint8_t outside[4] = {0, 0, 0, 0};
    if (!f->rgba || x < 0 || y < 0 || x >= f->width || y >= f->height) {
        return outside;
    }
    return f->rgba + ((size_t)y * f->width + x) * 4;
}

static inline vt_status vt_test_write_png(const char *path, const uint8_t *rgba, int w, int h) {
    uint8_t *data = NULL;
    size_t len = 0;
    vt_error err = {0};
    vt_status st = vt_png_encode(rgba, w, h, (size_t)w * 4, true, 6, &data, &len, &err);
    if (st == VT_OK) {
        st = vt_file_write_atomic(path, data, len, 0, &err);
    }
    if (st != VT_OK) {
        fprintf(stderr, "cannot write %s: %s\n", path, err.message);
    }
    free(data);
    return st;
}

/* Compares a frame with golden/<name>.png: a pixel differs when any channel is more than `tol`
 * away; the check fails when more than `max_diff` pixels differ (or the sizes differ). With
 * VT_UPDATE_GOLDEN=1 the golden is (re)written from the frame instead. */
static inline bool vt_golden_check(const char *name, const vt_frame_pixels *f, int tol,
                                   int max_diff) {
    const char *src = getenv("VT_SOURCE_DIR");
    char golden[1024], out_dir[1024], actual[1100], diff_path[1100];
    snprintf(golden, sizeof golden, "%s%sgolden/%s.png", src ? src : ".", src ? "/tests/" : "/",
             name);
    snprintf(out_dir, sizeof out_dir, "%s%sout", src ? src : ".", src ? "/tests/" : "/");
    const char *update = getenv("VT_UPDATE_GOLDEN");
    if (update && strcmp(update, "1") == 0) {
        printf("writing golden %s\n", golden);
        char *dir = vt_path_dirname(golden);
        vt_dir_create(dir, NULL);
        free(dir);
        return vt_test_write_png(golden, f->rgba, f->width, f->height) == VT_OK;
    }
    vt_image ref = {0};
    vt_error err = {0};
    if (vt_image_load(golden, NULL, &ref, &err) != VT_OK) {
        fprintf(stderr, "golden %s: %s (create it with VT_UPDATE_GOLDEN=1)\n", name, err.message);
        return false;
    }
    bool same_size = ref.width == f->width && ref.height == f->height;
    long differing = 0;
    uint8_t *diff = vt_xcalloc((size_t)f->width * f->height * 4, 1);
    for (int y = 0; y < f->height; y++) {
        for (int x = 0; x < f->width; x++) {
            const uint8_t *a = vt_px(f, x, y);
            const uint8_t *b = same_size ? ref.pixels + ((size_t)y * ref.width + x) * 4 : a;
            int worst = 0;
            for (int c = 0; c < 4; c++) {
                int d = abs((int)a[c] - (int)b[c]);
                worst = d > worst ? d : worst;
            }
            uint8_t *o = diff + ((size_t)y * f->width + x) * 4;
            bool bad = worst > tol;
            differing += bad;
            /* Differences in red over a faded copy of the frame, so they can be located. */
            o[0] = bad ? 255 : (uint8_t)(a[0] / 4);
            o[1] = bad ? 0 : (uint8_t)(a[1] / 4);
            o[2] = bad ? 0 : (uint8_t)(a[2] / 4);
            o[3] = 255;
        }
    }
    bool ok = same_size && differing <= max_diff;
    if (!ok) {
        vt_dir_create(out_dir, &err);
        snprintf(actual, sizeof actual, "%s/%s.png", out_dir, name);
        snprintf(diff_path, sizeof diff_path, "%s/%s-diff.png", out_dir, name);
        vt_test_write_png(actual, f->rgba, f->width, f->height);
        vt_test_write_png(diff_path, diff, f->width, f->height);
        fprintf(stderr,
                "golden %s: %s; %ld pixels differ by more than %d (at most %d allowed)\n"
                "  actual: %s\n  diff:   %s\n",
                name, same_size ? "sizes match" : "sizes differ", differing, tol, max_diff, actual,
                diff_path);
    }
    free(diff);
    vt_image_free(&ref);
    return ok;
}


#endif
