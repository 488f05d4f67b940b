/* The `model` sensor: power estimated from the engine's own work (CPU time, pixels drawn, GPU
 * time) with the coefficients of a device profile; used where nothing measures. */
#include "governor/sensor_internal.h"

#include <math.h>
#include <stdlib.h>

typedef struct model_source {
    sensor_source base;
    vt_power_profile k;          /* resolved: no zeros-as-defaults left */
    double cpu_s, pixels, gpu_s; /* fed since the previous sample */
} model_source;

/* Zero means the default; a negative value asks for a true zero; the cap keeps sums finite. */
static double coefficient(double given, double fallback) {
    if (given < 0) {
        return 0;
    }
    if (!(given > 0) || !isfinite(given)) {
        return fallback;
    }
    return given < 1e6 ? given : 1e6;
}

static vt_status model_sample(sensor_source *src, int64_t now_ns, int64_t dt_ns, sensor_sample *out,
                              vt_error *err) {
    (void)now_ns;
    (void)err;
    model_source *m = (model_source *)src;
    /* Work fed before the first sample has no interval to spread over: dropped. */
    double joules = 0;
    if (dt_ns > 0) {
        double dt = (double)dt_ns * 1e-9;
        joules = m->k.idle_w * dt + m->k.cpu_w_per_core * m->cpu_s + m->k.gpu_w * m->gpu_s +
                 m->k.joules_per_pixel * m->pixels;
    }
    *out = (sensor_sample){.energy_j = joules, .has_energy = true, .primed = dt_ns > 0};
    m->cpu_s = m->pixels = m->gpu_s = 0;
    return VT_OK;
}

static void model_close(sensor_source *src) {
    free(src->label);
    free(src);
}

static const sensor_source_ops model_ops = {model_sample, model_close};

sensor_source *sensor_model_open(const sensor_env *env) {
    model_source *m = vt_xcalloc(1, sizeof *m);
    m->base.ops = &model_ops;
    m->base.estimated = true;
    const vt_power_profile *p = &env->profile;
    m->k.idle_w = coefficient(p->idle_w, 30.0);
    m->k.cpu_w_per_core = coefficient(p->cpu_w_per_core, 8.0);
    m->k.gpu_w = coefficient(p->gpu_w, 40.0);
    m->k.joules_per_pixel = coefficient(p->joules_per_pixel, 2e-8);
    m->base.label =
        vt_xasprintf("estimated from the engine's work (model: %g W idle + %g W per "
                     "busy core + %g W busy GPU + %g J per pixel)",
                     m->k.idle_w, m->k.cpu_w_per_core, m->k.gpu_w, m->k.joules_per_pixel);
    return &m->base;
}

static void add(double *total, double amount) {
    if (isfinite(amount) && amount > 0) {
        *total += amount;
    }
}

void sensor_model_add(sensor_source *src, double cpu_seconds, double pixels, double gpu_seconds) {
    if (src->ops != &model_ops) {
        return;
    }
    model_source *m = (model_source *)src;
    add(&m->cpu_s, cpu_seconds);
    add(&m->pixels, pixels);
    add(&m->gpu_s, gpu_seconds);
}
