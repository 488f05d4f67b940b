/* `vitrine sensors`: what power sensors this machine has, what each covers, why others are
 * missing, and one reading of the sensor `play` would use (--power-sensor, else the --config
 * file's energy.sensor, else auto) with what it covers; then the display controls (backlights,
 * ddcutil) and the one --config names. */
#include "app/app_internal.h"
#include "governor/vt_sensor.h"

#include <time.h>

/* The display controls found, and whether the one the operator config names opens. */
static void report_display(const vt_config *cfg) {
    vt_brightness_report(NULL, stdout);
    if (!cfg) {
        return;
    }
    vt_brightness *d = NULL;
    vt_error err = {0};
    if (vt_config_brightness_open(cfg, 0, NULL, &d, &err) != VT_OK) {
        printf("display control (--config): unusable: %s\n", err.message);
    } else if (!d) {
        printf("display control (--config): none named (display: backlight or ddcutil)\n");
    } else {
        printf("display control (--config): %s\n", vt_brightness_describe(d));
    }
    vt_brightness_close(d); /* nothing was written: nothing to restore */
}

/* The sensor, where its spec comes from, and what it covers. */
static void report_choice(const vt_options *opts, const vt_config *cfg, const vt_sensor_desc *d,
                          const vt_sensor *s) {
    const char *spec = d->spec && d->spec[0] ? d->spec : "auto";
    if (opts->power_sensor) {
        printf("sensor: %s (--power-sensor)\n", spec);
    } else if (cfg && cfg->energy.sensor) {
        printf("sensor: %s (energy.sensor in %s)\n", spec, opts->config);
    } else {
        printf("sensor: %s (the default)\n", spec);
    }
    printf("covers: %s%s\n", vt_sensor_covers(s),
           d->covers && d->covers[0] ? " (energy.covers)" : "");
}

/* Energy counters need two reads a moment apart to give watts. */
static vt_status read_now(vt_sensor *s, vt_error *err) {
    vt_power_reading r = {0};
    vt_status st = vt_sensor_read(s, vt_now_ns(), &r, err);
    if (st == VT_OK && !r.has_watts) {
        struct timespec pause = {0, 250000000};
        nanosleep(&pause, NULL);
        st = vt_sensor_read(s, vt_now_ns(), &r, err);
    }
    if (st == VT_OK && r.has_watts) {
        printf("now: %.1f W%s\n", r.watts, r.estimated ? ", estimated" : ", measured");
    }
    return st;
}

int vt_cmd_sensors(const vt_options *opts) {
    vt_config cfg = {0};
    if (opts->config) {
        vt_diags diags = {0};
        vt_status st = vt_config_load(opts->config, &cfg, &diags);
        vt_diags_sort(&diags);
        vt_diags_print(&diags, stderr);
        if (st == VT_E_NOINPUT && diags.errors == 0) {
            fprintf(stderr, "vitrine: cannot read '%s'\n", opts->config);
        }
        vt_diags_free(&diags);
        if (st != VT_OK) {
            return st; /* the sensor to check is the config's: nothing to say without it */
        }
    }
    const vt_config *c = opts->config ? &cfg : NULL;
    /* Resolved as `play` resolves it: the flag, else the config. */
    vt_settings set = {.power_sensor = opts->power_sensor};
    vt_settings_resolve(&set, c, NULL);
    vt_sensor_desc desc = {
        .spec = set.power_sensor, .stale_after = set.stale_after, .covers = set.sensor_covers};
    vt_sensors_report(&desc, stdout);
    vt_sensor *s = NULL;
    vt_error err = {0};
    vt_status st = vt_sensor_open(&desc, &s, &err);
    if (st == VT_OK) {
        report_choice(opts, c, &desc, s);
        st = read_now(s, &err);
        vt_sensor_close(s);
    }
    if (st != VT_OK) {
        fflush(stdout);
        fprintf(stderr, "vitrine: %s\n", err.message);
    }
    fflush(stdout);
    report_display(c);
    vt_config_free(&cfg);
    return st;
}
