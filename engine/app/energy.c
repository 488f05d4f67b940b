/* The energy governor in `play`: a power sensor read a few times a second, the controller's
 * decision for each frame (frame rate, render scale, brightness), and the engine's own work fed
 * to the model sensor. `render` is never governed: it is exact and full quality. */
#include "app/app_internal.h"

#include <string.h>
#include <sys/resource.h>

#define READ_PERIOD_NS INT64_C(250000000) /* the governor acts at 4 Hz */

static double process_cpu_seconds(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
           ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
}

static void desc_from_scene(const vt_scene *sc, vt_governor_desc *d) {
    const vt_energy *en = &sc->energy;
    d->budget_watts = en->budget_watts;
    d->fps_max = en->fps_max > 0 ? en->fps_max : sc->fps;
    d->fps_min = en->fps_min;
    if (d->fps_min > d->fps_max) {
        d->fps_min = d->fps_max;
    }
    d->scale_min = en->scale_min;
    d->brightness_min = en->brightness_min;
    d->degrade_count = (int)en->degrade_count;
    for (size_t i = 0; i < en->degrade_count && i < VT_GOVERNOR_MAX_ACTUATORS; i++) {
        d->degrade[i] = en->degrade[i] == VT_ENERGY_FPS     ? VT_ACT_FPS
                        : en->degrade[i] == VT_ENERGY_SCALE ? VT_ACT_SCALE
                                                            : VT_ACT_BRIGHTNESS;
    }
    d->attract_full = en->attract_full;
    d->attract_fps = en->attract_fps > d->fps_max ? d->fps_max : en->attract_fps;
    d->attract_scale = en->attract_scale;
    d->attract_brightness = en->attract_brightness;
}

static void open_sensor(vt_energy_loop *e, const vt_options *opts, const vt_config *cfg) {
    vt_sensor_desc sd = {.spec = opts->power_sensor ? opts->power_sensor : cfg->energy.sensor,
                         .stale_after = cfg->energy.stale_after};
    vt_error err = {0};
    if (vt_sensor_open(&sd, &e->sensor, &err) != VT_OK) {
        vt_log(VT_LOG_WARN, "energy",
               "%s; running without a power measurement (the attract "
               "caps still apply, a budget cannot be held)",
               err.message);
        e->sensor = NULL;
        return;
    }
    vt_log(VT_LOG_INFO, "energy", "power sensor: %s", vt_sensor_describe(e->sensor));
}

vt_status vt_energy_loop_start(vt_energy_loop *e, const vt_options *opts, const vt_config *cfg,
                               const vt_scene *scene, vt_error *err) {
    *e = (vt_energy_loop){0};
    vt_governor_desc d = {0};
    desc_from_scene(scene, &d);
    if (opts->budget_watts > 0) {
        d.budget_watts = opts->budget_watts;
    } else if (cfg->energy.has_budget) {
        d.budget_watts = cfg->energy.budget_watts;
    }
    vt_status st = vt_governor_create(&d, &e->governor, err);
    if (st != VT_OK) {
        return st;
    }
    open_sensor(e, opts, cfg);
    if (d.budget_watts > 0) {
        vt_log(VT_LOG_INFO, "energy", "power budget: %.1f W", d.budget_watts);
    }
    e->cpu_at_read = process_cpu_seconds();
    e->next_read_ns = vt_now_ns() + READ_PERIOD_NS;
    e->setting = (vt_governor_setting){d.fps_max, 1.0, 1.0};
    return VT_OK;
}

vt_governor_setting vt_energy_loop_decide(vt_energy_loop *e, int64_t now_ns, uint32_t state,
                                          bool input) {
    e->setting = vt_governor_decide(e->governor, now_ns, state, input);
    return e->setting;
}

void vt_energy_loop_drew(vt_energy_loop *e, double pixels) {
    e->frames_since_read++;
    e->pixels_since_read += pixels;
}

/* Reads the sensor and adds the interval's energy to the ledger's total (W x interval, which
 * for an energy counter is the counter's own increase). */
static bool read_counted(vt_energy_loop *e, int64_t now_ns, vt_power_reading *r, vt_error *err) {
    if (vt_sensor_read(e->sensor, now_ns, r, err) != VT_OK) {
        return false;
    }
    if (r->has_watts && e->read_ns > 0) {
        e->joules += r->watts * (double)(now_ns - e->read_ns) / 1e9;
    }
    e->read_ns = now_ns;
    e->estimated = r->estimated;
    return true;
}

void vt_energy_loop_tick(vt_energy_loop *e, int64_t now_ns) {
    if (!e->sensor || now_ns < e->next_read_ns) {
        return;
    }
    e->next_read_ns = now_ns + READ_PERIOD_NS;
    double cpu = process_cpu_seconds();
    vt_sensor_model_feed(e->sensor, cpu - e->cpu_at_read, e->pixels_since_read, 0.0);
    e->cpu_at_read = cpu;
    vt_power_reading r;
    vt_error err = {0};
    if (!read_counted(e, now_ns, &r, &err)) {
        /* A stale or garbled meter file is reported, never trusted; say so once in a while. */
        if (e->reads_failed++ % 240 == 0) {
            vt_log(VT_LOG_WARN, "energy", "%s", err.message);
        }
    } else if (r.has_watts) {
        vt_governor_observe(e->governor, now_ns, r.watts, e->frames_since_read);
        vt_log(VT_LOG_DEBUG, "energy", "%.2f W, %u frames -> %d fps, scale %.2f", r.watts,
               e->frames_since_read, e->setting.fps, e->setting.scale);
    }
    e->frames_since_read = 0;
    e->pixels_since_read = 0;
}

void vt_energy_loop_stop(vt_energy_loop *e) {
    vt_governor_destroy(e->governor);
    vt_sensor_close(e->sensor);
    *e = (vt_energy_loop){0};
}
