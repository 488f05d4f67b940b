/* Voices: one OpenAL source per active sound, kept in step with the player's vt_sound_state.
 * A new epoch or a large gap jumps; a small drift is corrected by nudging the pitch, so the ear
 * hears no jump (a device's crystal and the system clock disagree by a few ppm: over months
 * that adds up). */
#include "audio/audio_internal.h"

#include <math.h>
#include <stdlib.h>

#define JUMP_SECONDS 0.250
#define NUDGE_START_SECONDS 0.020
#define NUDGE_STOP_SECONDS 0.005
#define NUDGE 0.02

int64_t vt_audio_frames_of(vt_ticks t, int rate) {
    return (t / VT_TICKS_PER_SEC) * rate + (t % VT_TICKS_PER_SEC) * rate / VT_TICKS_PER_SEC;
}

void vt_voice_release(vt_audio *a, vt_voice *v) {
    if (v->source) {
        alSourceStop(v->source);
        alSourcei(v->source, AL_BUFFER, 0);
        alDeleteSources(1, &v->source);
        a->stats.sources--;
        v->source = 0;
    }
    if (v->stream) {
        vt_stream_destroy(v->stream);
        a->stats.buffers -= VT_STREAM_BUFFERS;
        v->stream = NULL;
    }
    v->started = false;
    v->paused = false;
    v->nudge = 1.0;
}

static ALenum al_model(vt_rolloff r) {
    switch (r) {
    case VT_ROLLOFF_LINEAR:
        return AL_LINEAR_DISTANCE_CLAMPED;
    case VT_ROLLOFF_EXPONENTIAL:
        return AL_EXPONENT_DISTANCE_CLAMPED;
    case VT_ROLLOFF_NONE:
        return AL_NONE;
    case VT_ROLLOFF_INVERSE:
        break;
    }
    return AL_INVERSE_DISTANCE_CLAMPED;
}

/* Settings fixed for the source's life: where it is heard from and how distance weakens it. */
static void setup_source(vt_audio *a, ALuint src, const vt_sound *snd, const vt_clip *clip) {
    alSourcef(src, AL_MAX_GAIN, 4.0f);
    alSourcei(src, AL_LOOPING, clip->loop && !clip->streamed ? AL_TRUE : AL_FALSE);
    if (!clip->spatial) {
        alSourcei(src, AL_SOURCE_RELATIVE, AL_TRUE);
        alSource3f(src, AL_POSITION, 0, 0, 0);
        alSourcef(src, AL_ROLLOFF_FACTOR, 0);
        return;
    }
    alSourcei(src, AL_SOURCE_RELATIVE, AL_FALSE);
    alSourcef(src, AL_REFERENCE_DISTANCE, (ALfloat)snd->ref_distance);
    alSourcef(src, AL_MAX_DISTANCE, (ALfloat)snd->max_distance);
    alSourcef(src, AL_ROLLOFF_FACTOR, (ALfloat)snd->rolloff_factor);
    if (a->per_source_model) {
        alSourcei(src, AL_DISTANCE_MODEL, al_model(snd->rolloff));
    } else if (snd->rolloff == VT_ROLLOFF_NONE) {
        alSourcef(src, AL_ROLLOFF_FACTOR, 0);
    }
}

void vt_voice_setup(vt_audio *a, size_t i) {
    if (a->voices[i].source) {
        setup_source(a, a->voices[i].source, &a->scene->sounds[i], &a->clips[i]);
    }
}

static bool create_source(vt_audio *a, size_t i) {
    vt_voice *v = &a->voices[i];
    vt_clip *clip = &a->clips[i];
    if (!clip->streamed && !clip->buffer) {
        return false;
    }
    alGetError();
    alGenSources(1, &v->source);
    if (alGetError() != AL_NO_ERROR) {
        v->source = 0;
        return false; /* out of sources: this sound stays silent until one is free */
    }
    a->stats.sources++;
    setup_source(a, v->source, &a->scene->sounds[i], clip);
    if (clip->streamed) {
        vt_error err = {0};
        v->stream = vt_stream_create(clip, &err);
        if (!v->stream) {
            /* The file went away or broke since it was loaded: silent until a hot reload
             * loads it again (clip_same refuses a failed clip), not retried every update. */
            vt_log(VT_LOG_WARN, "audio", "%s; sound '%s' stays silent", err.message, clip->id);
            a->stats.sound_warnings++;
            clip->ok = false;
            vt_voice_release(a, v);
            return false;
        }
        a->stats.buffers += VT_STREAM_BUFFERS;
    } else {
        alSourcei(v->source, AL_BUFFER, (ALint)clip->buffer);
    }
    v->nudge = 1.0;
    return true;
}

/* The play head, in frames of the file, as of the device's last mix. */
static int64_t measured_frame(const vt_voice *v, const vt_clip *clip) {
    if (v->stream) {
        return vt_stream_position(v->stream, clip, v->source);
    }
    ALint off = 0;
    alGetSourcei(v->source, AL_SAMPLE_OFFSET, &off);
    return off;
}

static void seek_to(vt_voice *v, const vt_clip *clip, int64_t frame) {
    v->recent_count = 0;
    if (v->stream) {
        vt_stream_seek(v->stream, clip, v->source, frame);
    } else {
        alSourceStop(v->source);
        alSourcei(v->source, AL_SAMPLE_OFFSET, (ALint)frame);
    }
    v->jumps++;
    v->nudge = 1.0;
}

/* Measured minus expected, in seconds; for loops, the shorter way round. */
static double drift_of(int64_t measured, int64_t expected, const vt_clip *clip) {
    int64_t d = measured - expected;
    if (clip->loop) {
        if (d > clip->frames / 2) {
            d -= clip->frames;
        } else if (d < -clip->frames / 2) {
            d += clip->frames;
        }
    }
    return (double)d / clip->rate;
}

/* A live device mixes a period at a time (10 to 25 ms) and a source's offset moves only then,
 * so measurements saw-tooth by up to a period around the play head: noise, not drift. Live, the
 * estimate is the mean of the last few; offline, every measurement is exact. */
static double estimate_drift(const vt_audio *a, vt_voice *v, double measured) {
    if (a->mode == VT_AUDIO_OFFLINE) {
        return measured;
    }
    v->recent[v->recent_next++ % VT_DRIFT_WINDOW] = measured;
    v->recent_count += v->recent_count < VT_DRIFT_WINDOW;
    double sum = 0;
    for (uint32_t k = 0; k < v->recent_count; k++) {
        sum += v->recent[k];
    }
    return sum / v->recent_count;
}

static void correct_drift(const vt_audio *a, vt_voice *v, const vt_clip *clip, int64_t expected,
                          bool *jump) {
    int64_t at = v->position >= 0 ? (int64_t)llround(v->position * clip->rate) : 0;
    double drift = estimate_drift(a, v, drift_of(at, expected, clip));
    v->drift = drift;
    double ad = fabs(drift);
    if (ad > JUMP_SECONDS) {
        *jump = true;
    } else if (ad > NUDGE_START_SECONDS || (v->nudge != 1.0 && ad > NUDGE_STOP_SECONDS)) {
        v->nudge = drift > 0 ? 1.0 - NUDGE : 1.0 + NUDGE; /* ahead: slow down */
    } else {
        v->nudge = 1.0;
    }
}

static void set_params(vt_audio *a, size_t i, const vt_sound_state *st, const vt_voice *v) {
    const vt_clip *clip = &a->clips[i];
    double gain = st->gain;
    uint32_t bus = a->scene->sounds[i].bus;
    if (bus < a->scene->bus_count) {
        gain *= a->operator_bus[bus];
    }
    gain = gain < 0 ? 0 : gain > 4 ? 4 : gain;
    double pitch = st->pitch > 0 ? st->pitch * v->nudge : v->nudge;
    alSourcef(v->source, AL_GAIN, (ALfloat)gain);
    alSourcef(v->source, AL_PITCH, (ALfloat)(pitch < 0.01 ? 0.01 : pitch));
    if (clip->spatial) {
        alSource3f(v->source, AL_POSITION, (ALfloat)st->position[0], (ALfloat)st->position[1],
                   (ALfloat)st->position[2]);
    }
}

/* Played to its end: no source until the epoch changes. */
static void end_voice(vt_audio *a, vt_voice *v, uint64_t epoch) {
    vt_voice_release(a, v);
    v->started = true;
    v->epoch = epoch;
    v->ended = true;
}

/* Measures the play head and decides: jump (returns true), nudge the pitch, or leave it. */
static bool needs_jump(const vt_audio *a, vt_voice *v, const vt_clip *clip,
                       const vt_sound_state *st, int64_t expected) {
    v->position = (double)measured_frame(v, clip) / clip->rate;
    int64_t at = (int64_t)llround(v->position * clip->rate);
    bool jump = false;
    if (st->paused || v->paused || fabs(st->pitch - 1.0) > 1e-9) {
        v->nudge = 1.0;
    }
    if (st->paused) {
        /* Held still: only a seek while paused moves it. */
        jump = fabs(drift_of(at, expected, clip)) > NUDGE_START_SECONDS;
    } else if (v->paused) {
        /* resumes where it held */
    } else if (fabs(st->pitch - 1.0) > 1e-9) {
        /* The player counts a sound's offset in its timeline's time; at another pitch the file
         * goes faster or slower than that on purpose: nothing to correct. */
        v->drift = drift_of(at, expected, clip);
    } else {
        correct_drift(a, v, clip, expected, &jump);
    }
    return jump;
}

void vt_voice_apply(vt_audio *a, size_t i, const vt_sound_state *st) {
    vt_voice *v = &a->voices[i];
    const vt_clip *clip = &a->clips[i];
    if (!st->active || !clip->ok || !a->device) {
        vt_voice_release(a, v);
        v->ended = false;
        return;
    }
    int64_t expected = vt_audio_frames_of(st->offset > 0 ? st->offset : 0, clip->rate);
    bool jump = !v->started || st->epoch != v->epoch;
    /* The offset is in timeline time: it says where the file is only at pitch 1, or on a new
     * epoch (placed there). At another pitch the file ends when the source has played it. */
    bool at_pitch = fabs(st->pitch - 1.0) <= 1e-9 || jump;
    if ((!jump && v->ended) || (!clip->loop && at_pitch && expected >= clip->frames)) {
        end_voice(a, v, st->epoch);
        return;
    }
    expected = clip->loop ? expected % clip->frames : expected;
    if (!v->source && !create_source(a, i)) {
        return;
    }
    if (v->stream) {
        /* Unqueue what was played before judging `drained` (the worker may not have yet). */
        vt_stream_service(v->stream, clip, v->source, false);
    }
    ALint state = AL_INITIAL;
    alGetSourcei(v->source, AL_SOURCE_STATE, &state);
    bool drained = !v->stream || (v->stream->eof && v->stream->queued == 0);
    if (!jump && !v->paused && state == AL_STOPPED && !clip->loop && drained) {
        end_voice(a, v, st->epoch); /* it ended a little before the player's clock says */
        return;
    }
    jump = jump || needs_jump(a, v, clip, st, expected);
    v->epoch = st->epoch;
    v->started = true;
    v->ended = false;
    if (jump) {
        seek_to(v, clip, expected);
        v->position = (double)expected / clip->rate;
        v->drift = 0;
    }
    set_params(a, i, st, v);
    if (jump) {
        alSourcePlay(v->source);
        if (st->paused) {
            alSourcePause(v->source); /* held at the new offset */
        }
    } else if (st->paused && state == AL_PLAYING) {
        alSourcePause(v->source);
    } else if (!st->paused && state == AL_STOPPED && v->stream) {
        /* Stopped by a late refill, or at the end of the file: the service restarts only from
         * what is still to play, never the queue already played. */
        vt_stream_service(v->stream, clip, v->source, true);
    } else if (!st->paused && state != AL_PLAYING) {
        alSourcePlay(v->source);
    }
    v->paused = st->paused;
}
