/* The simulated H100 of tests/governor_plant.h against the measurements its curve was fitted to:
 * the power of an NVIDIA H100 workstation running a 1080p ray-marching shader, measured during
 * the governor's development on a lent machine (no script here can repeat them without one):
 * idle ~71 W, 30 fps ~81 W, 60 fps ~110 W, uncapped (190 fps) ~124 W. Prints the curve at those
 * points and at the loads the simulation uses below 30 fps, where the curve is the model's shape
 * (flat near idle), not a measurement: figures there are extrapolations. */
#include <stdio.h>

#pragma GCC diagnostic ignored "-Wunused-function" /* the header's simulation is not used here */
#include "governor_plant.h"

int main(void) {
    const plant_desc *p = &plant_h100;
    const struct {
        double fps, scale, measured; /* measured 0: none */
        const char *what;
    } pts[] = {
        {0, 1, 71, "idle"},
        {30, 1, 81, "30 fps"},
        {60, 1, 110, "60 fps"},
        {190, 1, 124, "uncapped"},
        {12, 0.6, 0, "attract caps: 12 fps, scale 0.6"},
        {15, 0.75, 0, "earlier attract caps: 15 fps, scale 0.75"},
        {10, 0.5, 0, "minimum settings: 10 fps, scale 0.5"},
    };
    printf("bench_plant: %s plant (idle %.0f W, %.0f W above it at most, %.0f fps uncapped)\n",
           p->name, p->idle_w, p->dyn_w, p->capacity_fps);
    for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++) {
        double w = plant_watts(p, 1, pts[i].fps, pts[i].scale, 1);
        if (pts[i].measured > 0) {
            printf("  %-42s %6.1f W  measured ~%.0f W (%+.1f W)\n", pts[i].what, w, pts[i].measured,
                   w - pts[i].measured);
        } else {
            printf("  %-42s %6.1f W  extrapolation: below 30 fps, the lowest measured load\n",
                   pts[i].what, w);
        }
    }
    return 0;
}
