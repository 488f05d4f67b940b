/* Decoding cost of a live film drawn below its rate: the film is played through the live worker
 * (as `play` does) at a drawn rate of DRAWN fps, once decoding every picture and once with
 * non-reference pictures skipped (vt_video_live_set_drawn_rate), the two modes in turn RUNS
 * times. Prints, per mode, the process CPU time for the whole film and the pictures decoded,
 * and the ratio skip / full of each run. The film is given (bench/run.sh video makes a 1080p30
 * H.264 one with ffmpeg). Usage: bench_video FILM [DRAWN=12] [RUNS=3] */
#include "video/video_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double cpu_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Plays the whole film at `drawn` fps as fast as the worker decodes; CPU seconds used. */
static double play(const char *path, double drawn, bool skip, uint64_t *decoded) {
    vt_error err = {0};
    vt_video_live *l = NULL;
    if (vt_video_live_open(path, false, &l, &err) != VT_OK) {
        fprintf(stderr, "bench_video: %s\n", err.message);
        exit(66);
    }
    vt_video_live_set_drawn_rate(l, skip ? drawn : 0);
    vt_ticks duration = vt_video_live_info(l)->duration;
    double t0 = cpu_seconds();
    for (long k = 0;; k++) {
        vt_ticks t = k * VT_TICKS_PER_SEC / (vt_ticks)drawn;
        if (t >= duration) {
            break;
        }
        for (int i = 0; i < 100000; i++) {
            const vt_video_frame *f = vt_video_live_frame(l, t, NULL);
            if (f && f->start <= t && t < f->end) {
                break;
            }
            usleep(200);
        }
    }
    double cpu = cpu_seconds() - t0;
    *decoded = vt_video_live_decoded(l);
    vt_video_live_close(l);
    return cpu;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: bench_video FILM [DRAWN=12] [RUNS=3]\n");
        return 64;
    }
    double drawn = argc > 2 ? atof(argv[2]) : 12;
    int runs = argc > 3 ? atoi(argv[3]) : 3;
    if (drawn <= 0 || runs <= 0) {
        fprintf(stderr, "bench_video: DRAWN and RUNS must be positive\n");
        return 64;
    }
    for (int r = 0; r < runs; r++) {
        uint64_t nf = 0, ns = 0;
        double full = play(argv[1], drawn, false, &nf);
        double skip = play(argv[1], drawn, true, &ns);
        printf("run %d: drawn at %g fps: all pictures %.3f s CPU (%llu decoded), non-reference "
               "skipped %.3f s CPU (%llu decoded), ratio %.2f\n",
               r + 1, drawn, full, (unsigned long long)nf, skip, (unsigned long long)ns,
               skip / full);
    }
    return 0;
}
