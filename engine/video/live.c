/* Films live: a worker thread demuxes and decodes ahead into a bounded queue of pictures, each
 * with its presentation interval in film time; `play` takes, without waiting, the newest one
 * that has started. A looping film is decoded on past its end from its start again (times run
 * on: the next play's pictures are at duration + their time), so the join is seamless. A time
 * the queue cannot serve (behind the picture shown, or far past the queue) makes the worker
 * seek there; meanwhile the last good picture holds. */
#include "video/video_internal.h"

#include <pthread.h>
#include <stdlib.h>

/* Past the picture shown by more than this with nothing queued: the worker seeks to catch up. */
#define CATCH_UP (VT_TICKS_PER_SEC / 2)

typedef struct slot {
    AVFrame *f;
    vt_ticks start, end;
} slot;

struct vt_video_live {
    vt_video_reader rd; /* the worker's once started */
    vt_video_info info;
    bool loop;
    pthread_t thread;
    bool started;
    pthread_mutex_t mu;
    pthread_cond_t cond;
    /* Under mu. */
    slot q[VT_VIDEO_QUEUE];
    size_t head, count;
    bool quit, eof, failed;
    bool damaged; /* the film ended early (cut or damaged): said once */
    bool seek_pending;
    vt_ticks seek_to;
    bool skip_nonref; /* the show draws at most half the film's pictures: see set_drawn_rate */
    uint64_t decoded; /* pictures the worker decoded (tests, benchmarks) */
    uint64_t epoch;   /* bumped by every seek request: pictures decoded before it are dropped */
    vt_error error;
    /* The consumer's. */
    AVFrame *shown;
    vt_video_frame frame;
    bool have, warned;
    bool awaiting;    /* a seek was asked for and no picture has come since */
    vt_ticks awaited; /* its time */
};

static void drop_queue(vt_video_live *l) {
    for (size_t i = 0; i < l->count; i++) {
        av_frame_free(&l->q[(l->head + i) % VT_VIDEO_QUEUE].f);
    }
    l->head = 0;
    l->count = 0;
}

/* One picture decoded (and converted when its planes need it), or a failure; *got false at the
 * end. Called without the lock. */
static vt_status decode_next(vt_video_live *l, AVFrame **out, vt_ticks *start, vt_ticks *end,
                             bool *got) {
    AVFrame *f = av_frame_alloc();
    vt_error err = {0};
    if (!f) {
        return VT_FAIL(&l->error, VT_E_SOFTWARE, "%s: out of memory for a picture", l->rd.path);
    }
    vt_status s = vt_video_reader_next(&l->rd, f, start, end, got, &err);
    if (s == VT_OK && *got && vt_video_needs_conversion(f)) {
        AVFrame *conv = av_frame_alloc();
        s = conv ? vt_video_convert(l->rd.path, &l->rd.sws, f, conv, &err)
                 : VT_FAIL(&err, VT_E_SOFTWARE, "%s: out of memory for a picture", l->rd.path);
        av_frame_free(&f);
        f = conv;
    }
    if (s != VT_OK || !*got) {
        av_frame_free(&f);
        if (s != VT_OK) {
            pthread_mutex_lock(&l->mu);
            l->error = err;
            pthread_mutex_unlock(&l->mu);
        }
        return s;
    }
    *out = f;
    return VT_OK;
}

static void *worker(void *arg) {
    vt_video_live *l = arg;
    vt_ticks base = 0, skip_before = 0; /* the play's offset; pictures ending before: skipped */
    pthread_mutex_lock(&l->mu);
    while (!l->quit) {
        if (l->seek_pending) {
            vt_ticks to = l->seek_to;
            l->seek_pending = false;
            l->eof = false;
            l->failed = false;
            pthread_mutex_unlock(&l->mu);
            base = l->loop ? to - to % l->info.duration : 0;
            skip_before = to;
            vt_error err = {0};
            vt_status s = vt_video_reader_seek(&l->rd, to - base, &err);
            pthread_mutex_lock(&l->mu);
            if (s != VT_OK) {
                l->failed = true;
                l->error = err;
            }
            continue;
        }
        if (l->count == VT_VIDEO_QUEUE || l->eof || l->failed) {
            pthread_cond_wait(&l->cond, &l->mu);
            continue;
        }
        uint64_t epoch = l->epoch;
        /* Non-reference pictures (most B pictures) are not decoded while the show could not
         * show them: no other picture needs them, so the rest decode exactly as before. */
        l->rd.dec->skip_frame = l->skip_nonref ? AVDISCARD_NONREF : AVDISCARD_DEFAULT;
        pthread_mutex_unlock(&l->mu);
        AVFrame *f = NULL;
        vt_ticks start = 0, end = 0;
        bool got = false;
        vt_status s = decode_next(l, &f, &start, &end, &got);
        bool rewind = s == VT_OK && !got && l->loop;
        vt_error err = {0};
        if (rewind) {
            base += l->info.duration;
            s = vt_video_reader_seek(&l->rd, 0, &err);
        }
        pthread_mutex_lock(&l->mu);
        if (rewind && s != VT_OK) {
            l->error = err;
        }
        if (epoch != l->epoch) {
            av_frame_free(&f); /* a seek came in meanwhile */
            continue;
        }
        if (s != VT_OK) {
            l->failed = true;
        } else if (!got) {
            l->eof = !rewind;
            vt_error cut = {0};
            if (vt_video_reader_read_error(&l->rd, &cut) != VT_OK && !l->damaged) {
                l->damaged = true; /* said once; the film goes on as far as it can */
                l->error = cut;
            }
        } else if (base + end <= skip_before) {
            av_frame_free(&f);
        } else {
            l->q[(l->head + l->count) % VT_VIDEO_QUEUE] = (slot){f, base + start, base + end};
            l->count++;
        }
        l->decoded += got;
    }
    pthread_mutex_unlock(&l->mu);
    return NULL;
}

vt_status vt_video_live_open(const char *path, bool loop, vt_video_live **out, vt_error *err) {
    *out = NULL;
    vt_status loaded = vt_ffmpeg_load(err);
    if (loaded != VT_OK) {
        return loaded;
    }
    vt_video_live *l = vt_xcalloc(1, sizeof *l);
    pthread_mutex_init(&l->mu, NULL);
    pthread_cond_init(&l->cond, NULL);
    l->loop = loop;
    vt_status s = vt_video_reader_open_as(&l->rd, path, true, true, err);
    if (s == VT_OK) {
        l->info = l->rd.info;
        l->shown = av_frame_alloc();
        if (!l->shown) {
            s = VT_FAIL(err, VT_E_SOFTWARE, "%s: out of memory for a picture", path);
        }
    }
    if (s == VT_OK && pthread_create(&l->thread, NULL, worker, l) != 0) {
        s = VT_FAIL(err, VT_E_SOFTWARE, "%s: cannot start the decoding thread", path);
    }
    if (s != VT_OK) {
        vt_video_live_close(l);
        return s;
    }
    l->started = true;
    *out = l;
    return VT_OK;
}

void vt_video_live_close(vt_video_live *l) {
    if (!l) {
        return;
    }
    if (l->started) {
        pthread_mutex_lock(&l->mu);
        l->quit = true;
        pthread_cond_signal(&l->cond);
        pthread_mutex_unlock(&l->mu);
        pthread_join(l->thread, NULL);
    }
    drop_queue(l);
    av_frame_free(&l->shown);
    vt_video_reader_close(&l->rd);
    pthread_cond_destroy(&l->cond);
    pthread_mutex_destroy(&l->mu);
    free(l);
}

const vt_video_info *vt_video_live_info(const vt_video_live *l) {
    return &l->info;
}

uint64_t vt_video_live_seeks(vt_video_live *l) {
    pthread_mutex_lock(&l->mu);
    uint64_t n = l->epoch;
    pthread_mutex_unlock(&l->mu);
    return n;
}

size_t vt_video_live_queued(vt_video_live *l) {
    pthread_mutex_lock(&l->mu);
    size_t n = l->count;
    pthread_mutex_unlock(&l->mu);
    return n;
}

uint64_t vt_video_live_decoded(vt_video_live *l) {
    pthread_mutex_lock(&l->mu);
    uint64_t n = l->decoded;
    pthread_mutex_unlock(&l->mu);
    return n;
}

void vt_video_live_set_drawn_rate(vt_video_live *l, double fps) {
    double film = l->info.fps_num > 0 ? (double)l->info.fps_num / l->info.fps_den : 0;
    bool skip = fps > 0 && film > 0 && 2 * fps <= film;
    pthread_mutex_lock(&l->mu);
    l->skip_nonref = skip;
    pthread_mutex_unlock(&l->mu);
}

static void request_seek(vt_video_live *l, vt_ticks t) {
    drop_queue(l);
    l->seek_pending = true;
    l->seek_to = t;
    l->epoch++;
    pthread_cond_signal(&l->cond);
}

const vt_video_frame *vt_video_live_frame(vt_video_live *l, vt_ticks t, bool *failed) {
    t = t < 0 ? 0 : t;
    pthread_mutex_lock(&l->mu);
    slot took = {0};
    while (l->count > 0 && l->q[l->head].start <= t) {
        av_frame_free(&took.f);
        took = l->q[l->head];
        l->head = (l->head + 1) % VT_VIDEO_QUEUE;
        l->count--;
    }
    if (took.f) {
        pthread_cond_signal(&l->cond); /* room in the queue */
    }
    vt_ticks shown_start = took.f ? took.start : l->frame.start;
    vt_ticks shown_end = took.f ? took.end : l->frame.end;
    bool have = l->have || took.f;
    if (took.f) {
        l->awaiting = false;
    }
    bool behind = have && t < shown_start;
    bool far = have && l->count == 0 && !l->eof && t >= shown_end + CATCH_UP;
    /* Once asked, the worker is left to get there, unless the time moves away again. */
    bool again = !l->awaiting || t < l->awaited || t >= l->awaited + 4 * CATCH_UP;
    if ((behind || far) && again) {
        request_seek(l, t);
        l->awaiting = true;
        l->awaited = t;
    }
    /* At its end without a single picture: nothing will ever come. */
    bool empty = l->eof && l->count == 0 && !l->have && !took.f;
    if (empty && !l->failed && !l->damaged) {
        vt_error_setf(
            &l->error, VT_E_DATAERR, __FILE__, __LINE__,
            "%s: the film has no picture that decodes (damaged or cut short?); " VT_VIDEO_REENCODE,
            l->rd.path);
    }
    bool fail = l->failed || l->damaged || empty;
    vt_error error = l->error;
    pthread_mutex_unlock(&l->mu);
    if (fail && !l->warned) {
        l->warned = true;
        vt_log(VT_LOG_WARN, "video", "%s; the last good picture holds", error.message);
    } else if (!fail) {
        l->warned = false;
    }
    if (took.f) {
        vt_error err = {0};
        vt_video_frame fr;
        if (vt_video_describe(l->rd.path, &l->info, NULL, took.f, NULL, &fr, &err) == VT_OK) {
            av_frame_free(&l->shown);
            l->shown = took.f;
            took.f = NULL;
            fr.start = took.start;
            fr.end = took.end;
            fr.serial = vt_video_next_serial();
            l->frame = fr;
            l->have = true;
        }
        av_frame_free(&took.f);
    }
    if (failed) {
        *failed = fail;
    }
    return l->have ? &l->frame : NULL;
}
