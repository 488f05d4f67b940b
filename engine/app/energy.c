/* The energy governor in `play`: a power sensor read a few times a second (once a second while
 * the show is still: the idle floor), the controller's decision for each frame (frame rate,
 * render scale, brightness through the display control the operator config names), and the
 * engine's own work fed to the model sensor. `render` is never governed. */
#include "app/app_internal.h"

#include <string.h>
#include <sys/resource.h>

#define READ_PERIOD_NS INT64_C(250000000)       /* the governor acts at 4 Hz */
#define IDLE_READ_PERIOD_NS INT64_C(1000000000) /* still: one wake-up a second, never a spin */

_Static_assert(VT_STATE_ATTRACT == VT_GOVERNOR_ATTRACT, "the governor and the scene agree on attract");

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

vt_status vt_energy_brightness_open(const vt_config *cfg, double min, const char *sysfs_root,
                                 vt_brightness **out, vt_error *err) {
    *out = NULL;
    if (!cfg->brightness.backlight && cfg->brightness.ddcutil_display <= 0) {
        return VT_OK;
    }
    char where[600];
    snprintf(where, sizeof where, "%s:%d:%d", cfg->path ? cfg->path : "config", cfg->brightness.line,
             cfg->brightness.col);
    vt_brightness_desc dd = {.kind =
                              cfg->brightness.backlight ? VT_BRIGHTNESS_BACKLIGHT : VT_BRIGHTNESS_DDCUTIL,
                          .backlight = cfg->brightness.backlight,
                          .sysfs_root = sysfs_root,
                          .ddc_display = cfg->brightness.ddcutil_display,
                          .min = min,
                          .where = where};
    return vt_brightness_open(&dd, out, err);
}

static bool degrades(const vt_governor_desc *d, vt_actuator a) {
    for (int i = 0; i < d->degrade_count; i++) {
        if (d->degrade[i] == a) {
            return true;
        }
    }
    return false;
}

/* Takes brightness out of degrade, unless it is all there is (an empty list means the
 * default, fps and scale, which the scene did not allow). */
static void drop_brightness(vt_governor_desc *d) {
    if (d->degrade_count == 1 && d->degrade[0] == VT_ACT_BRIGHTNESS) {
        return;
    }
    int n = 0;
    for (int i = 0; i < d->degrade_count; i++) {
        if (d->degrade[i] != VT_ACT_BRIGHTNESS) {
            d->degrade[n++] = d->degrade[i];
        }
    }
    d->degrade_count = n;
}

/* Brightness is governed only with a display control, and held to the budget only by a meter
 * that sees the display (a wall meter's file:); otherwise the model would count watts that
 * dimming cannot save. The attract dimming needs only the control. */
static void fit_brightness(vt_energy_session *e, vt_governor_desc *d, const char *spec) {
    bool listed = degrades(d, VT_ACT_BRIGHTNESS);
    if (!e->brightness) {
        if (listed) {
            vt_log(VT_LOG_WARN, "energy",
                   "the scene lists brightness in energy.degrade, but the operator config "
                   "names no display control (display: backlight or ddcutil): brightness is "
                   "not governed");
        }
        drop_brightness(d);
        d->attract_brightness = 1.0;
        return;
    }
    if (listed && !(spec && strncmp(spec, "file:", 5) == 0)) {
        vt_log(VT_LOG_INFO, "energy",
               "the power sensor does not see the display (only a wall meter's file: does): "
               "brightness is lowered in attract only, not to meet the budget");
        drop_brightness(d);
    }
}

static void open_sensor(vt_energy_session *e, const vt_settings *set) {
    vt_sensor_desc sd = {.spec = set->power_sensor, .stale_after = set->stale_after};
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

/* The governor for `scene`, with the budget the settings resolved (flag, config, scene). */
static vt_status create_governor(vt_energy_session *e, const vt_settings *set,
                                 const vt_scene *scene, vt_governor **out, vt_error *err) {
    vt_governor_desc d = {0};
    desc_from_scene(scene, &d);
    d.budget_watts = set->budget_watts;
    fit_brightness(e, &d, set->power_sensor);
    vt_status st = vt_governor_create(&d, out, err);
    if (st == VT_OK && d.budget_watts > 0) {
        vt_log(VT_LOG_INFO, "energy", "power budget: %.1f W", d.budget_watts);
    }
    return st;
}

static void open_display(vt_energy_session *e, const vt_config *cfg, const vt_scene *scene) {
    vt_error err = {0};
    /* The attract cap may go below brightness.min: the display must allow it. */
    double min = scene->energy.brightness_min;
    if (!scene->energy.attract_full && scene->energy.attract_brightness < min) {
        min = scene->energy.attract_brightness;
    }
    if (vt_energy_brightness_open(cfg, min, NULL, &e->brightness, &err) != VT_OK) {
        vt_log(VT_LOG_WARN, "display", "%s; brightness is not governed", err.message);
    } else if (e->brightness) {
        vt_log(VT_LOG_INFO, "display", "brightness control: %s", vt_brightness_describe(e->brightness));
    }
    e->brightness_due_ns = INT64_MAX;
}

vt_status vt_energy_session_start(vt_energy_session *e, const vt_settings *set,
                                  const vt_config *cfg, const vt_scene *scene, vt_error *err) {
    *e = (vt_energy_session){0};
    open_display(e, cfg, scene);
    vt_status st = create_governor(e, set, scene, &e->governor, err);
    if (st != VT_OK) {
        vt_brightness_close(e->brightness);
        e->brightness = NULL;
        return st;
    }
    open_sensor(e, set);
    e->cpu_at_read = process_cpu_seconds();
    e->next_read_ns = vt_now_ns() + READ_PERIOD_NS;
    e->setting = (vt_governor_setting){
        scene->energy.fps_max > 0 ? scene->energy.fps_max : scene->fps, 1.0, 1.0};
    return VT_OK;
}

vt_status vt_energy_session_reload(vt_energy_session *e, const vt_settings *set,
                                   const vt_scene *scene, vt_error *err) {
    vt_governor *g = NULL;
    vt_status st = create_governor(e, set, scene, &g, err);
    if (st == VT_OK) {
        vt_governor_destroy(e->governor);
        e->governor = g;
    }
    return st;
}

vt_governor_setting vt_energy_session_decide(vt_energy_session *e, int64_t now_ns, uint32_t state,
                                          bool input) {
    e->setting = vt_governor_decide(e->governor, now_ns, state, input);
    if (e->brightness) {
        vt_brightness_set(e->brightness, now_ns, e->setting.brightness);
        e->brightness_due_ns = vt_brightness_poll(e->brightness, now_ns);
    }
    return e->setting;
}

void vt_energy_session_drew(vt_energy_session *e, double pixels) {
    if (e->frames_since_read++ == 0 && e->next_read_ns > vt_now_ns() + READ_PERIOD_NS) {
        e->next_read_ns = vt_now_ns() + READ_PERIOD_NS; /* drawing again: back to 4 Hz */
    }
    e->pixels_since_read += pixels;
}

/* Reads the sensor and adds the interval's energy to the ledger's total (W x interval, which
 * for an energy counter is the counter's own increase). */
static bool read_counted(vt_energy_session *e, int64_t now_ns, vt_power_reading *r, vt_error *err) {
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

void vt_energy_session_tick(vt_energy_session *e, int64_t now_ns) {
    if (e->brightness && now_ns >= e->brightness_due_ns) {
        e->brightness_due_ns = vt_brightness_poll(e->brightness, now_ns);
    }
    if (!e->sensor || now_ns < e->next_read_ns) {
        return;
    }
    /* Still: the readings measure the idle floor, and one a second is plenty. */
    e->next_read_ns = now_ns + (e->frames_since_read ? READ_PERIOD_NS : IDLE_READ_PERIOD_NS);
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
        e->estimated = r.estimated;
        vt_governor_observe(e->governor, now_ns, r.watts, e->frames_since_read);
        vt_log(VT_LOG_DEBUG, "energy", "%.2f W, %u frames -> %d fps, scale %.2f", r.watts,
               e->frames_since_read, e->setting.fps, e->setting.scale);
    }
    e->frames_since_read = 0;
    e->pixels_since_read = 0;
}

int64_t vt_energy_session_deadline(const vt_energy_session *e) {
    int64_t d = e->brightness ? e->brightness_due_ns : INT64_MAX;
    /* An estimate has nothing to learn from a still scene: no wake-ups for it. */
    if (e->sensor && !e->estimated && e->next_read_ns < d) {
        d = e->next_read_ns;
    }
    return d;
}

void vt_energy_session_stop(vt_energy_session *e) {
    vt_governor_status st;
    vt_governor_status_get(e->governor, &st);
    if (e->governor && st.idle_measured) {
        vt_log(VT_LOG_INFO, "energy", "idle floor measured while still: %.2f W", st.idle_watts);
    }
    vt_brightness_close(e->brightness); /* the brightness found at start comes back */
    vt_governor_destroy(e->governor);
    vt_sensor_close(e->sensor);
    *e = (vt_energy_session){0};
}
