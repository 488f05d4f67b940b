/* The frame encoder: worker threads turn read-back frames into PNG files (atomic writes) while
 * the main thread renders the next ones. A fixed set of buffers circulates between the two, and
 * each worker keeps its PNG writer (filtered rows, compressed data, the file): nothing is
 * allocated per frame once they have grown to the frame size. */
#include "app/app_internal.h"
#include "io/vt_image.h"
#include "io/vt_io.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct job {
    vt_frame_pixels *px;
    int64_t index;
} job;

struct vt_encoder {
    vt_encoder_desc desc;
    char *out_dir;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    pthread_t *threads;
    vt_frame_pixels *buffers;
    vt_frame_pixels **free_list; /* stack of free buffers */
    int free_count;
    job *queue; /* ring of submitted jobs */
    int q_head, q_count;
    int busy; /* jobs taken by workers, not yet done */
    bool stopping;
    bool failed;
    vt_error error;
};

static void encode_one(vt_encoder *enc, vt_png_writer *writer, const job *j) {
    const uint8_t *png = NULL;
    size_t len = 0;
    vt_error err = {0};
    vt_status st = vt_png_writer_encode(writer, j->px->rgba, j->px->width, j->px->height,
                                        (size_t)j->px->width * 4, false, enc->desc.png_level, &png,
                                        &len, &err);
    if (st == VT_OK) {
        char name[64];
        snprintf(name, sizeof name, "frame_%05lld.png", (long long)j->index);
        char *path = vt_xasprintf("%s/%s", enc->out_dir, name);
        st = vt_file_write_atomic(path, png, len, 0, &err);
        free(path);
    }
    if (st != VT_OK) {
        pthread_mutex_lock(&enc->lock);
        if (!enc->failed) {
            enc->failed = true;
            enc->error = err;
        }
        pthread_mutex_unlock(&enc->lock);
    }
}

static void *worker(void *arg) {
    vt_encoder *enc = arg;
    vt_png_writer *writer = vt_png_writer_create(); /* its buffers serve every frame */
    pthread_mutex_lock(&enc->lock);
    for (;;) {
        while (enc->q_count == 0 && !enc->stopping) {
            pthread_cond_wait(&enc->changed, &enc->lock);
        }
        if (enc->q_count == 0) {
            break;
        }
        job j = enc->queue[enc->q_head];
        enc->q_head = (enc->q_head + 1) % enc->desc.buffers;
        enc->q_count--;
        enc->busy++;
        bool skip = enc->failed;
        pthread_mutex_unlock(&enc->lock);
        if (!skip) {
            encode_one(enc, writer, &j);
        }
        pthread_mutex_lock(&enc->lock);
        enc->busy--;
        enc->free_list[enc->free_count++] = j.px;
        pthread_cond_broadcast(&enc->changed);
    }
    pthread_mutex_unlock(&enc->lock);
    vt_png_writer_free(writer);
    return NULL;
}

vt_encoder *vt_encoder_create(const vt_encoder_desc *desc) {
    vt_encoder *enc = vt_xcalloc(1, sizeof *enc);
    enc->desc = *desc;
    if (enc->desc.threads < 1) {
        enc->desc.threads = 1;
    }
    if (enc->desc.buffers < enc->desc.threads + 1) {
        enc->desc.buffers = enc->desc.threads + 1;
    }
    enc->out_dir = vt_xstrdup(desc->out_dir);
    enc->desc.out_dir = enc->out_dir;
    int n = enc->desc.buffers;
    enc->buffers = vt_xcalloc((size_t)n, sizeof *enc->buffers);
    enc->free_list = vt_xcalloc((size_t)n, sizeof *enc->free_list);
    enc->queue = vt_xcalloc((size_t)n, sizeof *enc->queue);
    for (int i = 0; i < n; i++) {
        enc->free_list[enc->free_count++] = &enc->buffers[i];
    }
    pthread_mutex_init(&enc->lock, NULL);
    pthread_cond_init(&enc->changed, NULL);
    enc->threads = vt_xcalloc((size_t)enc->desc.threads, sizeof *enc->threads);
    for (int i = 0; i < enc->desc.threads; i++) {
        if (pthread_create(&enc->threads[i], NULL, worker, enc) != 0) {
            vt_log(VT_LOG_ERROR, "render", "cannot start an encoder thread");
            abort();
        }
    }
    return enc;
}

vt_frame_pixels *vt_encoder_acquire(vt_encoder *enc) {
    pthread_mutex_lock(&enc->lock);
    while (enc->free_count == 0 && !enc->failed) {
        pthread_cond_wait(&enc->changed, &enc->lock);
    }
    vt_frame_pixels *px = enc->failed ? NULL : enc->free_list[--enc->free_count];
    pthread_mutex_unlock(&enc->lock);
    return px;
}

void vt_encoder_submit(vt_encoder *enc, vt_frame_pixels *px, int64_t index) {
    pthread_mutex_lock(&enc->lock);
    int tail = (enc->q_head + enc->q_count) % enc->desc.buffers;
    enc->queue[tail] = (job){px, index};
    enc->q_count++;
    pthread_cond_broadcast(&enc->changed);
    pthread_mutex_unlock(&enc->lock);
}

void vt_encoder_cancel(vt_encoder *enc) {
    pthread_mutex_lock(&enc->lock);
    for (; enc->q_count > 0; enc->q_count--) {
        enc->free_list[enc->free_count++] = enc->queue[enc->q_head].px;
        enc->q_head = (enc->q_head + 1) % enc->desc.buffers;
    }
    pthread_cond_broadcast(&enc->changed);
    pthread_mutex_unlock(&enc->lock);
}

vt_status vt_encoder_finish(vt_encoder *enc, vt_error *err) {
    pthread_mutex_lock(&enc->lock);
    while (enc->q_count > 0 || enc->busy > 0) {
        pthread_cond_wait(&enc->changed, &enc->lock);
    }
    vt_status st = enc->failed ? enc->error.status : VT_OK;
    if (enc->failed && err) {
        *err = enc->error;
    }
    pthread_mutex_unlock(&enc->lock);
    return st;
}

void vt_encoder_destroy(vt_encoder *enc) {
    if (!enc) {
        return;
    }
    pthread_mutex_lock(&enc->lock);
    enc->stopping = true;
    pthread_cond_broadcast(&enc->changed);
    pthread_mutex_unlock(&enc->lock);
    for (int i = 0; i < enc->desc.threads; i++) {
        pthread_join(enc->threads[i], NULL);
    }
    for (int i = 0; i < enc->desc.buffers; i++) {
        free(enc->buffers[i].rgba);
    }
    pthread_mutex_destroy(&enc->lock);
    pthread_cond_destroy(&enc->changed);
    free(enc->threads);
    free(enc->buffers);
    free(enc->free_list);
    free(enc->queue);
    free(enc->out_dir);
    free(enc);
}
