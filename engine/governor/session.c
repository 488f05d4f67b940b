/* The energy session (vt_energy.h): the governor at work in `play`. */
#include "governor/vt_energy.h"

#include <string.h>
#include <sys/resource.h>

#define READ_PERIOD_NS INT64_C(250000000)       /* the governor acts at 4 Hz */
#define IDLE_READ_PERIOD_NS INT64_C(1000000000) /* still: one wake-up a second, never a spin */

static double process_cpu_seconds(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
           ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
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

static void open_sensor(vt_energy_session *e, const vt_sensor_desc *sd) {
    vt_error err = {0};
    if (vt_sensor_open(sd, &e->sensor, &err) != VT_OK) {
        vt_log(VT_LOG_WARN, "energy",
               "%s; running without a power measurement (the attract "
               "caps still apply, a budget cannot be held)",
               err.message);
        e->sensor = NULL;
        return;
    }
    vt_log(VT_LOG_INFO, "energy", "power sensor: %s", vt_sensor_describe(e->sensor));
    if (sd->covers && sd->covers[0]) {
        vt_log(VT_LOG_INFO, "energy", "it covers: %s (energy.covers)", sd->covers);
    }
}

/* The governor for the descriptor's control law, brightness fitted to what can be governed. */
static vt_status create_governor(vt_energy_session *e, const vt_energy_desc *desc,
                                 vt_governor **out, vt_error *err) {
    vt_governor_desc d = desc->governor;
    fit_brightness(e, &d, desc->sensor.spec);
    vt_status st = vt_governor_create(&d, out, err);
    if (st == VT_OK && d.budget_watts > 0) {
        vt_log(VT_LOG_INFO, "energy", "power budget: %.1f W", d.budget_watts);
    }
    return st;
}

static void open_brightness(vt_energy_session *e, const vt_brightness_desc *bd) {
    vt_error err = {0};
    if (bd && vt_brightness_open(bd, &e->brightness, &err) != VT_OK) {
        vt_log(VT_LOG_WARN, "display", "%s; brightness is not governed", err.message);
        e->brightness = NULL;
    } else if (e->brightness) {
        vt_log(VT_LOG_INFO, "display", "brightness control: %s",
               vt_brightness_describe(e->brightness));
    }
    e->brightness_due_ns = INT64_MAX;
}

vt_status vt_energy_session_start(vt_energy_session *e, const vt_energy_desc *desc, vt_error *err) {
    *e = (vt_energy_session){0};
    open_brightness(e, desc->brightness);
    vt_status st = create_governor(e, desc, &e->governor, err);
    if (st != VT_OK) {
        vt_brightness_close(e->brightness);
        e->brightness = NULL;
        return st;
    }
    open_sensor(e, &desc->sensor);
    e->cpu_at_read = process_cpu_seconds();
    e->next_read_ns = vt_now_ns() + READ_PERIOD_NS;
    e->setting = (vt_governor_setting){desc->fps, 1.0, 1.0};
    return VT_OK;
}

vt_status vt_energy_session_reload(vt_energy_session *e, const vt_energy_desc *desc,
                                   vt_error *err) {
    vt_governor *g = NULL;
    vt_status st = create_governor(e, desc, &g, err);
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
