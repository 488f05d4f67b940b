/* Drift between a sound's played position and its timeline's clock over a 10-minute loop,
 * mixed through the loopback device (faster than real time). The device's clock is made to run
 * off the timeline's by `ppm` (a sound card's crystal against the system clock: tens of ppm is
 * common, 0.5 % a broken one): each frame mixes 800 x (1 + ppm) samples at 60 fps. Reports the
 * worst and final drift, jumps and the time spent nudging the pitch. Target: within 20 ms
 * (+ one frame of measurement) with no jump, for clocks off by up to 1 %. */
#include "audio/vt_audio.h"

#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define FPS 60
#define MINUTES 10

static char *make_loop(const char *dir, const char *name, int rate, int seconds) {
    char *path = vt_xasprintf("%s/%s", dir, name);
    SF_INFO info = {.samplerate = rate, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16};
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    if (!sf) {
        fprintf(stderr, "bench_audio_drift: cannot write %s\n", path);
        exit(74);
    }
    float buf[1000];
    for (int64_t f = 0; f < (int64_t)rate * seconds; f += 1000) {
        for (int k = 0; k < 1000; k++) {
            buf[k] = 0.3f * (float)sin(2 * 3.14159265358979 * 500.0 * (double)(f + k) / rate);
        }
        sf_writef_float(sf, buf, 1000);
    }
    sf_close(sf);
    return path;
}

typedef struct result {
    double worst_ms, final_ms, nudged_s, wall_s;
    uint64_t jumps;
} result;

static result run(const char *path, double ppm, double stream_seconds) {
    vt_sound snd = {.id = "loop",
                    .src = (char *)path,
                    .src_path = (char *)path,
                    .gain = 1,
                    .pitch = 1,
                    .loop = true,
                    .bus = UINT32_MAX,
                    .timeline = UINT32_MAX,
                    .ref_distance = 1,
                    .max_distance = 20,
                    .rolloff_factor = 1};
    vt_scene sc = {.fps = FPS, .sounds = &snd, .sound_count = 1};
    vt_audio_desc d = {.mode = VT_AUDIO_OFFLINE, .stream_seconds = stream_seconds};
    vt_audio *a = NULL;
    vt_error err = {0};
    if (vt_audio_create(&d, &sc, &a, &err) != VT_OK) {
        fprintf(stderr, "bench_audio_drift: %s\n", err.message);
        exit(70);
    }
    int16_t out[2 * 2000];
    result r = {0};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int64_t frames = (int64_t)FPS * 60 * MINUTES, mixed = 0;
    vt_audio_voice_info vi = {0};
    for (int64_t k = 0; k < frames; k++) {
        vt_ticks now = vt_ticks_of_frame(k, FPS);
        vt_sound_state st = {.active = true, .offset = now, .epoch = 1, .gain = 1, .pitch = 1};
        vt_audio_update(a, &sc, &st, now);
        vt_audio_voice_get(a, 0, &vi);
        if (k >= FPS) { /* after the first second */
            double ms = fabs(vi.drift) * 1000;
            r.worst_ms = ms > r.worst_ms ? ms : r.worst_ms;
        }
        r.nudged_s += vi.nudge != 1.0 ? 1.0 / FPS : 0;
        int64_t want = llround((double)(k + 1) * (VT_AUDIO_RATE / FPS) * (1 + ppm * 1e-6));
        vt_audio_render(a, (size_t)(want - mixed), out, &err);
        mixed = want;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    r.final_ms = vi.drift * 1000;
    r.jumps = vi.jumps;
    r.wall_s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    vt_audio_destroy(a);
    return r;
}

int main(void) {
    char dir[] = "/tmp/vt-bench-audio-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 73;
    }
    vt_log_set_level(VT_LOG_ERROR);
    char *whole = make_loop(dir, "loop-44k.wav", 44100, 7);
    char *streamed = make_loop(dir, "loop-48k.wav", 48000, 20);
    const double ppms[] = {0, 50, 1000, 10000, -10000};
    printf("%-26s %8s %10s %10s %6s %9s %7s\n", "sound", "ppm", "worst ms", "final ms", "jumps",
           "nudged s", "x real");
    for (int s = 0; s < 2; s++) {
        for (size_t i = 0; i < sizeof ppms / sizeof ppms[0]; i++) {
            result r = run(s ? streamed : whole, ppms[i], 0);
            printf("%-26s %8.0f %10.2f %10.2f %6llu %9.1f %7.0f\n",
                   s ? "48 kHz, streamed, 20 s" : "44.1 kHz, whole, 7 s", ppms[i], r.worst_ms,
                   r.final_ms, (unsigned long long)r.jumps, r.nudged_s, MINUTES * 60 / r.wall_s);
        }
    }
    unlink(whole);
    unlink(streamed);
    rmdir(dir);
    free(whole);
    free(streamed);
    return 0;
}
