/* The governor's own cost per frame: decide every frame and observe at 10 Hz, as in play, over
 * 1e6 frames of a toy plant near the budget; CPU time (CLOCK_PROCESS_CPUTIME_ID). Target: at
 * most 0.2 ms a frame. */
#include <stdio.h>
#include <time.h>

#include "governor/vt_governor.h"
#include "scene/vt_scene.h"

static double cpu_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void) {
    vt_governor_desc d = {.budget_watts = 95, .idle_watts = 71};
    vt_governor *g = NULL;
    vt_error err;
    if (vt_governor_create(&d, &g, &err) != VT_OK) {
        fprintf(stderr, "bench_governor: %s\n", err.message);
        return 70;
    }
    const long frames = 1000000;
    int64_t t = 0;
    uint32_t drawn = 0;
    double watts = 110, t0 = cpu_s();
    for (long i = 0; i < frames; i++) {
        /* A visitor every ~20 s of frames, attract in between half the time. */
        uint32_t state = (i / 1200) % 2 ? VT_STATE_ACTIVE : VT_STATE_ATTRACT;
        vt_governor_setting s = vt_governor_decide(g, t, state, i % 1200 == 600);
        t += 1000000000 / s.fps;
        drawn++;
        if (drawn * 10 >= (uint32_t)s.fps) {
            watts += 0.2 * ((71 + 0.55 * s.fps * s.scale * s.scale) - watts);
            vt_governor_observe(g, t, watts + (i % 7) * 0.1, drawn);
            drawn = 0;
        }
    }
    double per = (cpu_s() - t0) / frames;
    vt_governor_status st;
    vt_governor_status_get(g, &st);
    printf("bench_governor: %ld frames, %.0f ns CPU per frame (decide + observe at 10 Hz), "
           "target <= 200000 ns; %llu measurements\n",
           frames, per * 1e9, (unsigned long long)st.observations);
    vt_governor_destroy(g);
    return per <= 0.0002 ? 0 : 1;
}
