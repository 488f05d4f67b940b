/* What the sensor backends share: a source (one kind of hardware, one backend) behind a table of
 * function pointers, the sysfs file helpers and energy-counter arithmetic. */
#ifndef VT_SENSOR_INTERNAL_H
#define VT_SENSOR_INTERNAL_H

#include "governor/vt_sensor.h"

#define SENSOR_NVML_DEFAULT "libnvidia-ml.so.1"

/* One sample of a source. Counters give the energy since the source's previous sample; power
 * files give the instant power; NVML gives both (instant power is used for control). */
typedef struct sensor_sample {
    double energy_j; /* since the previous sample; valid when has_energy && primed */
    double watts;    /* instant power; valid when has_power */
    bool has_energy; /* the source counts energy */
    bool primed;     /* a previous sample exists, so energy_j is meaningful */
    bool has_power;  /* the source measures instant power */
} sensor_sample;

typedef struct sensor_source sensor_source;

typedef struct sensor_source_ops {
    /* now_ns: the caller's clock; dt_ns: time since the previous sample, 0 on the first one.
     * Must not allocate. */
    vt_status (*sample)(sensor_source *src, int64_t now_ns, int64_t dt_ns, sensor_sample *out,
                        vt_error *err);
    void (*close)(sensor_source *src);
} sensor_source_ops;

/* Backends embed this as their first member. */
struct sensor_source {
    const sensor_source_ops *ops;
    char *label;    /* what it covers: "CPU package 0 + DRAM (RAPL)" */
    bool estimated; /* the model */
};

/* Opens a file read-only: open_file (the desc's hook) when set, else open(2). */
typedef int (*sensor_open_fn)(const char *path);

/* The settings every backend reads, with defaults resolved. */
typedef struct sensor_env {
    const char *sysfs_root;
    const char *nvml_library;
    double stale_after;
    vt_power_profile profile;
    sensor_open_fn open_file;
} sensor_env;

void sensor_env_from_desc(const vt_sensor_desc *desc, sensor_env *env);

/* The sources a sensor sums. */
typedef struct sensor_list {
    sensor_source **items;
    size_t count;
} sensor_list;

void sensor_list_push(sensor_list *list, sensor_source *src);
void sensor_list_close(sensor_list *list);

/* Backends: each returns VT_E_NOINPUT with a message saying why nothing is there. */
vt_status sensor_rapl_open(const sensor_env *env, sensor_source **out, vt_error *err);
/* Adds one source per hwmon chip with a power or energy reading (only the chip named `chip`
 * when not NULL; only GPU chips when gpus_only, as CPU chips would repeat RAPL; with neither,
 * the whole-machine power_meter alone when it can be read, never summed with the chips inside
 * it). */
vt_status sensor_hwmon_open(const sensor_env *env, const char *chip, bool gpus_only,
                            sensor_list *out, vt_error *err);
vt_status sensor_nvml_open(const sensor_env *env, sensor_source **out, vt_error *err);
vt_status sensor_file_open(const sensor_env *env, const char *path, sensor_source **out,
                           vt_error *err);
sensor_source *sensor_model_open(const sensor_env *env);
void sensor_model_add(sensor_source *src, double cpu_seconds, double pixels, double gpu_seconds);

/* ---- NVML as a table of functions, so tests can drive the backend without the driver ---- */

typedef int nvml_ret; /* nvmlReturn_t: 0 is success */
typedef struct nvml_device_st *nvml_device;
typedef struct sensor_nvml_api {
    nvml_ret (*init)(void);
    nvml_ret (*shutdown)(void);
    nvml_ret (*count)(unsigned int *count);
    nvml_ret (*handle)(unsigned int index, nvml_device *device);
    nvml_ret (*power_mw)(nvml_device device, unsigned int *milliwatts);
    nvml_ret (*energy_mj)(nvml_device device, unsigned long long *millijoules);
    const char *(*error_string)(nvml_ret r);
} sensor_nvml_api;

/* Opens the NVML source over an API table (the library's, or a test's). `library` is the
 * dlopen handle to close with the source, or NULL. */
vt_status sensor_nvml_open_api(const sensor_nvml_api *api, void *library, sensor_source **out,
                               vt_error *err);

/* ---- sysfs helpers ---- */

/* Reads at most cap-1 bytes of a small file into buf (NUL-terminated). Returns the length, or
 * -1 with errno set (EFBIG when the file holds more than cap-1 bytes). */
long sensor_read_small(sensor_open_fn open_file, const char *path, char *buf, size_t cap);
/* The same from an open descriptor, which it closes. */
long sensor_read_fd(int fd, char *buf, size_t cap);
/* A decimal integer, optional surrounding whitespace (sysfs values end with a newline). */
bool sensor_parse_u64(const char *text, uint64_t *value);
/* The sorted names in `dir` that start with `prefix`; *count set. Free with sensor_names_free. */
char **sensor_list_dir(const char *dir, const char *prefix, size_t *count);
void sensor_names_free(char **names, size_t count);

/* acc + sep + part in a new string (acc NULL: a copy of part); frees acc. */
char *sensor_append(char *acc, const char *sep, const char *part);
/* The message for an unreadable sysfs or power file, with the fix when it is known. */
vt_status sensor_fail_read(vt_error *err, const char *path, int errnum, bool rapl);

/* An energy counter that wraps at `max` (0: unknown, a decrease then means a reset). */
typedef struct sensor_counter {
    uint64_t last, max;
    bool primed;
} sensor_counter;

/* The increase since the previous value, modulo the wrap; false on the first value or when the
 * counter was reset (the delta is then unknown). */
bool sensor_counter_step(sensor_counter *c, uint64_t value, uint64_t *delta);

#endif
