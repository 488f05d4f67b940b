/* Image batches: decoding a scene's images on a background thread, so that decoding overlaps
 * work the main thread must do itself (creating the window and GL context). */
#include "io/image_internal.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct vt_image_batch {
    pthread_t thread;
    bool started, joined;
    char **paths;
    size_t count;
    vt_image_result *results;
};

static void *decode_all(void *arg) {
    vt_image_batch *b = arg;
    uint64_t left = VT_IMAGE_SCENE_MAX_PIXELS;
    for (size_t i = 0; i < b->count; i++) {
        vt_image_result *r = &b->results[i];
        if (b->paths[i]) {
            /* Each image within what the scene has left: the total holds even for a file
             * that grew since its header was read. */
            vt_image_limits lim = vt_image_limits_resolve(NULL);
            lim.keep_16bit = true; /* for the renderer, which dithers them to the target */
            lim.max_pixels = left < lim.max_pixels ? left : lim.max_pixels;
            r->status = left == 0 ? VT_FAIL(&r->error, VT_E_DATAERR,
                                            "%s: the scene's images already take the %" PRIu64
                                            " pixels a scene may decode to",
                                            b->paths[i], (uint64_t)VT_IMAGE_SCENE_MAX_PIXELS)
                                  : vt_image_load(b->paths[i], &lim, &r->image, &r->error);
            uint64_t w = (uint64_t)r->image.width, h = (uint64_t)r->image.height;
            if (r->status == VT_OK && r->image.pixels16 && vt_image_cost(w, h, true) > left) {
                free(r->image.pixels16); /* a file that grew since check: shown undithered */
                r->image.pixels16 = NULL;
            }
            if (r->status == VT_OK) {
                left -= vt_image_cost(w, h, r->image.pixels16 != NULL);
            }
        }
    }
    return NULL;
}

typedef struct path_index {
    const char *path;
    size_t index;
} path_index;

static int by_path_then_index(const void *a, const void *b) {
    const path_index *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    return c != 0 ? c : (x->index > y->index) - (x->index < y->index);
}

void vt_image_first_users(const char *const *paths, size_t n, size_t *first) {
    path_index *sorted = vt_xcalloc(n + 1, sizeof *sorted);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        first[i] = i;
        if (paths[i]) {
            sorted[m++] = (path_index){paths[i], i};
        }
    }
    qsort(sorted, m, sizeof *sorted, by_path_then_index);
    for (size_t k = 1; k < m; k++) {
        if (strcmp(sorted[k].path, sorted[k - 1].path) == 0) {
            first[sorted[k].index] = first[sorted[k - 1].index];
        }
    }
    free(sorted);
}

vt_image_batch *vt_image_batch_start(const char *const *paths, size_t count) {
    vt_image_batch *b = vt_xcalloc(1, sizeof *b);
    b->count = count;
    b->paths = vt_xcalloc(count, sizeof *b->paths);
    b->results = vt_xcalloc(count, sizeof *b->results);
    for (size_t i = 0; i < count; i++) {
        b->paths[i] = paths[i] ? vt_xstrdup(paths[i]) : NULL;
    }
    /* Without a thread (resources exhausted), decode on the caller's thread at wait time. */
    b->started = pthread_create(&b->thread, NULL, decode_all, b) == 0;
    return b;
}

vt_image_result *vt_image_batch_wait(vt_image_batch *b) {
    if (!b->joined) {
        if (b->started) {
            pthread_join(b->thread, NULL);
        } else {
            decode_all(b);
        }
        b->joined = true;
    }
    return b->results;
}

void vt_image_batch_free(vt_image_batch *b) {
    if (!b) {
        return;
    }
    vt_image_batch_wait(b);
    for (size_t i = 0; i < b->count; i++) {
        vt_image_free(&b->results[i].image);
        free(b->paths[i]);
    }
    free(b->paths);
    free(b->results);
    free(b);
}
