/* Power sensors for the energy governor: RAPL energy counters, NVIDIA GPUs through NVML (loaded
 * at run time), hwmon chips, a file written by a wall-meter poller, and an estimate (model). */
#ifndef VT_SENSOR_H
#define VT_SENSOR_H

#include "core/vt_core.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Coefficients of the `model` estimate. The defaults are rough figures for a small desktop PC
 * with an entry-level GPU; measure the installation and set them for anything better than a
 * ballpark. Zero means "use the default"; a negative value means a true zero. */
typedef struct vt_power_profile {
    double idle_w;           /* the machine idling, screen excluded; 0: 30 W */
    double cpu_w_per_core;   /* each CPU core kept fully busy; 0: 8 W */
    double gpu_w;            /* the GPU kept fully busy (gpu_seconds per second = 1); 0: 40 W */
    double joules_per_pixel; /* each pixel drawn; 0: 2e-8 J (about 2.5 W at 1080p60) */
} vt_power_profile;

/* How to open a sensor; zero-initialise and set what you need. */
typedef struct vt_sensor_desc {
    /* "auto" (NULL or ""), "rapl", "nvml", "hwmon", "hwmon:<chip name>", "file:/path",
     * "model". */
    const char *spec;
    const char *sysfs_root;   /* NULL or "": "/sys" (tests point it at a fake tree) */
    const char *nvml_library; /* NULL or "": "libnvidia-ml.so.1" */
    double stale_after;       /* file sensor: seconds without an update before the value is
                                 no longer trusted; 0: 30 */
    vt_power_profile profile; /* model coefficients */
    /* Opens a file read-only and returns its descriptor, or -1 with errno set. NULL: open(2).
     * Tests use it to simulate what root cannot (a counter that is not readable). */
    int (*open_file)(const char *path);
    /* What the sensor covers, in the operator's words (energy.covers: "smart plug: PC and
     * screen"); NULL or "": the sensor's own (vt_sensor_covers). */
    const char *covers;
} vt_sensor_desc;

typedef struct vt_power_reading {
    double watts;    /* mean power since the previous read (energy counters, model) or the
                        instant power (NVML, hwmon power files, file); valid when has_watts */
    double joules;   /* energy counted since the first read; valid when has_energy */
    bool has_watts;  /* false on the first read of a counter: there is no interval yet, and on
                        the read after a failed one (counters start again) */
    bool has_energy; /* every part of the sensor counts energy */
    bool estimated;  /* the value is the model's estimate, not a measurement */
} vt_power_reading;

typedef struct vt_sensor vt_sensor;

/* Opens the sensor that desc->spec names, checking that it can be read now. Errors:
 * VT_E_USAGE for an unknown or malformed spec (with "did you mean"), VT_E_NOINPUT when the
 * hardware, driver or file is missing or not readable (the message says how to fix it).
 * "auto" never fails for missing hardware: it falls back to the model and says why.
 * Not thread-safe per sensor; distinct sensors may be used from distinct threads. */
vt_status vt_sensor_open(const vt_sensor_desc *desc, vt_sensor **out, vt_error *err);

/* Reads the sensor at the caller's monotonic time now_ns (vt_now_ns() in the engine; tests pass
 * their own), which must increase between reads. Does not allocate. On failure *out is zeroed
 * and the next read starts the counters again. */
vt_status vt_sensor_read(vt_sensor *s, int64_t now_ns, vt_power_reading *out, vt_error *err);

/* What the sensor covers, for people: "CPU package 0 + DRAM (RAPL), GPU 0 board (NVML)";
 * estimates say so. Owned by the sensor. */
const char *vt_sensor_describe(const vt_sensor *s);

/* What the sensor measures, in a few words for the ledger and the report: the operator's
 * desc->covers when given, else the sources' own words ("power file /run/power", "CPU package
 * 0 + DRAM (RAPL)"), without vt_sensor_describe's reasons for what is missing. Owned by the
 * sensor. */
const char *vt_sensor_covers(const vt_sensor *s);

/* Gives a model sensor the engine's work since the last feed: CPU time used by the engine (all
 * threads), pixels drawn and GPU busy time. Ignored by sensors that measure; negative or
 * non-finite amounts are ignored. */
void vt_sensor_model_feed(vt_sensor *s, double cpu_seconds, double pixels_drawn,
                          double gpu_seconds);

/* Closes the sensor; NULL does nothing. */
void vt_sensor_close(vt_sensor *s);

/* For `vitrine sensors`: tries every kind of sensor under base (NULL: defaults) and writes
 * what each covers, or why it is missing and how to fix that, then what "auto" would use when
 * base->spec is "auto" or not given (another spec: the caller says what it chose). Never
 * fails. */
void vt_sensors_report(const vt_sensor_desc *base, FILE *out);

/* Parses the text of a power file: one number of watts (digits, optional decimals), optional
 * unit "W", optional whitespace around; the value must be finite, >= 0 and < 100000. `name`
 * names the file in the message. VT_E_DATAERR on anything else, saying what was found. */
vt_status vt_sensor_parse_watts(const char *text, size_t len, const char *name, double *watts,
                                vt_error *err);

#endif
