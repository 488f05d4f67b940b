/* Streaming: a long file plays through a ring of VT_STREAM_BUFFERS AL buffers of
 * VT_STREAM_BLOCK_MS each, refilled as they are played, so memory stays bounded whatever the
 * file's length. A loop wraps inside a block (the decoder seeks to frame 0 and goes on filling),
 * so the join is sample to sample. Live, a worker thread refills; offline, vt_audio_render does,
 * between blocks, so renders are deterministic. */
#include "audio/audio_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

vt_stream *vt_stream_create(const vt_clip *clip, vt_error *err) {
    vt_decoder *dec = NULL;
    vt_status st = clip->film ? vt_decoder_open_film(clip->path, clip->channels, &dec, NULL, err)
                              : vt_decoder_open(clip->path, clip->channels, &dec, NULL, err);
    if (st != VT_OK) {
        return NULL;
    }
    vt_stream *s = vt_xcalloc(1, sizeof *s);
    s->dec = dec;
    s->block_frames = (size_t)clip->rate * VT_STREAM_BLOCK_MS / 1000;
    s->block = vt_xmalloc(s->block_frames * (size_t)clip->channels * sizeof *s->block);
    alGenBuffers(VT_STREAM_BUFFERS, s->buffers);
    return s;
}

void vt_stream_destroy(vt_stream *s) {
    if (!s) {
        return;
    }
    alDeleteBuffers(VT_STREAM_BUFFERS, s->buffers);
    vt_decoder_close(s->dec);
    free(s->block);
    free(s);
}

/* Decodes one block from next_frame, wrapping to 0 for loops; returns its frame count. */
static size_t decode_block(vt_stream *s, const vt_clip *clip) {
    size_t got = 0;
    while (got < s->block_frames && !s->eof) {
        size_t n =
            vt_decoder_read(s->dec, s->block + got * (size_t)clip->channels, s->block_frames - got);
        got += n;
        s->next_frame += (int64_t)n;
        if (got < s->block_frames) {
            /* The end of the file (or a damaged tail: it ends there). */
            if (!clip->loop || (n == 0 && s->next_frame == 0) || !vt_decoder_seek(s->dec, 0)) {
                s->eof = true;
            } else {
                s->next_frame = 0;
            }
        }
    }
    return got;
}

static void queue_block(vt_stream *s, const vt_clip *clip, ALuint source) {
    int64_t start = s->next_frame;
    size_t frames = decode_block(s, clip);
    if (frames == 0) {
        return;
    }
    uint32_t slot = (s->head + s->queued) % VT_STREAM_BUFFERS;
    ALuint b = s->buffers[slot];
    alBufferData(b, clip->channels == 1 ? AL_FORMAT_MONO16 : AL_FORMAT_STEREO16, s->block,
                 (ALsizei)(frames * (size_t)clip->channels * sizeof *s->block), clip->rate);
    alSourceQueueBuffers(source, 1, &b);
    s->starts[slot] = start;
    s->queued++;
}

void vt_stream_seek(vt_stream *s, const vt_clip *clip, ALuint source, int64_t frame) {
    alSourceStop(source);
    alSourcei(source, AL_BUFFER, 0); /* unqueues everything */
    s->queued = 0;
    s->head = 0;
    s->eof = false;
    if (frame < 0 || frame >= clip->frames || !vt_decoder_seek(s->dec, frame)) {
        frame = 0;
        vt_decoder_seek(s->dec, 0);
    }
    s->next_frame = frame;
    while (s->queued < VT_STREAM_BUFFERS && !s->eof) {
        queue_block(s, clip, source);
    }
}

void vt_stream_service(vt_stream *s, const vt_clip *clip, ALuint source, bool want_playing) {
    /* The state before the count: a source that stopped by then has every buffer processed, so
     * nothing already played stays queued to be replayed by the restart below. */
    ALint state = AL_STOPPED;
    alGetSourcei(source, AL_SOURCE_STATE, &state);
    ALint processed = 0;
    alGetSourcei(source, AL_BUFFERS_PROCESSED, &processed);
    while (processed-- > 0 && s->queued > 0) {
        ALuint b = 0;
        alSourceUnqueueBuffers(source, 1, &b);
        s->head = (s->head + 1) % VT_STREAM_BUFFERS;
        s->queued--;
    }
    while (s->queued < VT_STREAM_BUFFERS && !s->eof) {
        queue_block(s, clip, source);
    }
    if (want_playing && state == AL_STOPPED && s->queued > 0) {
        alSourcePlay(source); /* starved by a late refill: go on from what is queued */
    }
}

int64_t vt_stream_position(const vt_stream *s, const vt_clip *clip, ALuint source) {
    if (s->queued == 0) {
        return s->eof ? clip->frames : 0;
    }
    ALint off = 0;
    alGetSourcei(source, AL_SAMPLE_OFFSET, &off);
    int64_t pos = s->starts[s->head] + off;
    return clip->loop ? pos % clip->frames : pos;
}

void vt_audio_service_streams(vt_audio *a) {
    if (!a->device) {
        return;
    }
    for (size_t i = 0; i < a->count; i++) {
        vt_voice *v = &a->voices[i];
        if (v->source && v->stream) {
            vt_stream_service(v->stream, &a->clips[i], v->source, !v->paused && !v->ended);
        }
    }
}

/* ---- the live worker ---- */

/* Is a stream playing (its ring needs refills)? Called with the lock held. */
static bool streams_playing(const vt_audio *a) {
    for (size_t i = 0; a->device && i < a->count; i++) {
        const vt_voice *v = &a->voices[i];
        if (v->source && v->stream && !v->paused && !v->ended) {
            return true;
        }
    }
    return false;
}

static void *worker_main(void *arg) {
    vt_audio *a = arg;
    pthread_mutex_lock(&a->lock);
    while (!a->worker_quit) {
        /* Nothing streaming: sleep until vt_audio_update starts a stream (an idle show must not
         * wake 16 times a second for nothing). */
        if (!streams_playing(a)) {
            pthread_cond_wait(&a->wake, &a->lock);
            continue;
        }
        vt_audio_service_streams(a);
        /* A quarter of the ring's length: a block is refilled well before the source needs it. */
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until); /* the cond's clock */
        until.tv_nsec += VT_STREAM_BLOCK_MS / 4 * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        int rc = 0;
        while (!a->worker_quit && rc != ETIMEDOUT) {
            rc = pthread_cond_timedwait(&a->wake, &a->lock, &until);
        }
    }
    pthread_mutex_unlock(&a->lock);
    return NULL;
}

void vt_audio_worker_start(vt_audio *a) {
    if (a->worker_running || a->mode != VT_AUDIO_LIVE) {
        return;
    }
    a->worker_quit = false;
    if (pthread_create(&a->worker, NULL, worker_main, a) == 0) {
        a->worker_running = true;
    } else {
        vt_log(VT_LOG_WARN, "audio", "cannot start the streaming thread: long sounds may stutter");
    }
}

void vt_audio_worker_stop(vt_audio *a) {
    if (!a->worker_running) {
        return;
    }
    pthread_mutex_lock(&a->lock);
    a->worker_quit = true;
    pthread_cond_signal(&a->wake);
    pthread_mutex_unlock(&a->lock);
    pthread_join(a->worker, NULL);
    a->worker_running = false;
}
