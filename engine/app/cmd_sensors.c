/* `vitrine sensors`: what power sensors this machine has, what each covers, why others are
 * missing, and one reading of the chosen one (--power-sensor, default auto). */
#include "app/vt_app.h"
#include "governor/vt_sensor.h"

#include <time.h>

int vt_cmd_sensors(const vt_options *opts) {
    vt_sensor_desc desc = {.spec = opts->power_sensor};
    vt_sensors_report(&desc, stdout);
    vt_sensor *s = NULL;
    vt_error err = {0};
    vt_status st = vt_sensor_open(&desc, &s, &err);
    if (st != VT_OK) {
        fprintf(stderr, "vitrine: %s\n", err.message);
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
    return st;
}
