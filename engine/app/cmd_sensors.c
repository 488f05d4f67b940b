/* `vitrine sensors`: what power sensors this machine has, what each covers, why others are
 * missing, and one reading of the chosen one (--power-sensor, default auto); then the display
 * controls (backlights, ddcutil) and the one --config names. */
#include "app/app_internal.h"
#include "governor/vt_sensor.h"

#include <time.h>

/* The display controls found, and whether the one the operator config names opens. */
static void report_display(const vt_options *opts) {
    vt_brightness_report(NULL, stdout);
    if (!opts->config) {
        return;
    }
    vt_config cfg;
    vt_diags diags = {0};
    if (vt_config_load(opts->config, &cfg, &diags) != VT_OK) {
        vt_diags_print(&diags, stderr);
        vt_diags_free(&diags);
        return;
    }
    vt_diags_free(&diags);
    vt_brightness *d = NULL;
    vt_error err = {0};
    if (vt_config_brightness_open(&cfg, 0, NULL, &d, &err) != VT_OK) {
        printf("display control (--config): unusable: %s\n", err.message);
    } else if (!d) {
        printf("display control (--config): none named (display: backlight or ddcutil)\n");
    } else {
        printf("display control (--config): %s\n", vt_brightness_describe(d));
    }
    vt_brightness_close(d); /* nothing was written: nothing to restore */
    vt_config_free(&cfg);
}

int vt_cmd_sensors(const vt_options *opts) {
    vt_sensor_desc desc = {.spec = opts->power_sensor};
    vt_sensors_report(&desc, stdout);
    vt_sensor *s = NULL;
    vt_error err = {0};
    vt_status st = vt_sensor_open(&desc, &s, &err);
    if (st != VT_OK) {
        fprintf(stderr, "vitrine: %s\n", err.message);
        report_display(opts);
        return st == VT_E_NOINPUT ? VT_E_NOINPUT : st;
    }
    /* Energy counters need two reads a moment apart to give watts. */
    vt_power_reading r = {0};
    int64_t t0 = vt_now_ns();
    st = vt_sensor_read(s, t0, &r, &err);
    if (st == VT_OK && !r.has_watts) {
        struct timespec pause = {0, 250000000};
        nanosleep(&pause, NULL);
        st = vt_sensor_read(s, vt_now_ns(), &r, &err);
    }
    if (st == VT_OK && r.has_watts) {
        printf("now: %.1f W%s\n", r.watts, r.estimated ? ", estimated" : "");
    } else if (st != VT_OK) {
        fprintf(stderr, "vitrine: %s\n", err.message);
    }
    vt_sensor_close(s);
    fflush(stdout);
    report_display(opts);
    return st;
}
