/* `vitrine sensors`: every kind of power sensor tried on this machine, what each covers or why
 * it is missing (with the fix when there is one), and what "auto" would use. */
#include "governor/sensor_internal.h"

#include <string.h>

static void report_one(const vt_sensor_desc *base, const char *spec, const char *note, FILE *out) {
    vt_sensor_desc desc = *base;
    desc.spec = spec;
    vt_sensor *s;
    vt_error err;
    if (vt_sensor_open(&desc, &s, &err) == VT_OK) {
        fprintf(out, "  %-6s found: %s%s\n", spec, vt_sensor_describe(s), note);
        vt_sensor_close(s);
    } else {
        fprintf(out, "  %-6s missing: %s\n", spec, err.message);
    }
}

void vt_sensors_report(const vt_sensor_desc *base, FILE *out) {
    vt_sensor_desc defaults = {0};
    if (!base) {
        base = &defaults;
    }
    sensor_env env;
    sensor_env_from_desc(base, &env);
    fprintf(out, "Power sensors (sysfs under %s, NVML from %s):\n", env.sysfs_root,
            env.nvml_library);
    report_one(base, "rapl", " (core and uncore zones are inside the package: not added)", out);
    report_one(base, "nvml", "", out);
    report_one(base, "hwmon", " (auto adds GPU chips only: amdgpu, radeon, nouveau, i915, xe)",
               out);
    fprintf(out,
            "  %-6s give file:/path to read a file a power meter's poller writes (watts; "
            "stale after %g s)\n",
            "file", env.stale_after);
    report_one(base, "model", "", out);
    if (base->spec && base->spec[0] && strcmp(base->spec, "auto") != 0) {
        return; /* another sensor is chosen: what auto would pick is beside the point */
    }
    vt_sensor_desc desc = *base;
    desc.spec = "auto";
    vt_sensor *s;
    vt_error err;
    if (vt_sensor_open(&desc, &s, &err) == VT_OK) {
        fprintf(out, "auto uses: %s\n", vt_sensor_describe(s));
        vt_sensor_close(s);
    } else {
        fprintf(out, "auto: %s\n", err.message);
    }
}
