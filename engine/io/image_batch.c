/* Image batches: decoding a scene's images on a background thread, so that decoding overlaps
 * work the main thread must do itself (creating the window and GL context). */
#include "io/vt_image.h"

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
    for (size_t i = 0; i < b->count; i++) {
        vt_image_result *r = &b->results[i];
        if (b->paths[i]) {
            r->status = vt_image_load(b->paths[i], NULL, &r->image, &r->error);
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
