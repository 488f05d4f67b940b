/* Image batches: decoding a scene's images on a background thread, so that decoding overlaps
 * work the main thread must do itself (creating the window and GL context). */
#include "io/image_internal.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>

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
            lim.max_pixels = left < lim.max_pixels ? left : lim.max_pixels;
            r->status = left == 0 ? VT_FAIL(&r->error, VT_E_DATAERR,
                                            "%s: the scene's images already take the %" PRIu64
                                            " pixels a scene may decode to",
                                            b->paths[i], (uint64_t)VT_IMAGE_SCENE_MAX_PIXELS)
                                  : vt_image_load(b->paths[i], &lim, &r->image, &r->error);
            if (r->status == VT_OK) {
                left -= (uint64_t)r->image.width * (uint64_t)r->image.height;
            }
        }
    }
    return NULL;
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
