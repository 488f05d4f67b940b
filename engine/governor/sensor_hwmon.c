/* hwmon chips under <sysfs>/class/hwmon/hwmon*: an energy counter (energy1_input, microjoules)
 * when the chip has one, else its power (power1_average, then power1_input, microwatts). */
#include "governor/sensor_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct hwmon_source {
    sensor_source base;
    char *path;     /* the file read at each sample */
    bool is_energy; /* microjoule counter, else microwatt power */
    sensor_counter counter;
    sensor_open_fn open_file;
} hwmon_source;

/* Chips that measure a GPU: the only ones "auto" adds, as CPU chips (amd_energy, zenpower,
 * fam15h_power) repeat what RAPL counts and power_meter covers the whole machine. */
static const char *const gpu_chips[] = {"amdgpu", "radeon", "nouveau", "i915", "xe"};

/* The ACPI power meter (acpi_power_meter's "power_meter", power1_average) measures the whole
 * machine: the chips inside it are never added to it. */
static bool is_whole_machine(const char *name) {
    return strcmp(name, "power_meter") == 0;
}

static bool is_gpu_chip(const char *name) {
    for (size_t i = 0; i < sizeof gpu_chips / sizeof gpu_chips[0]; i++) {
        if (strcmp(name, gpu_chips[i]) == 0) {
            return true;
        }
    }
    return false;
}

static vt_status hwmon_value(hwmon_source *h, uint64_t *value, vt_error *err) {
    char buf[64];
    if (sensor_read_small(h->open_file, h->path, buf, sizeof buf) < 0) {
        return sensor_fail_read(err, h->path, errno, false);
    }
    if (!sensor_parse_u64(buf, value)) {
        return VT_FAIL(err, VT_E_DATAERR, "%s: not a %s reading: \"%.32s\"", h->path,
                       h->is_energy ? "microjoule" : "microwatt", buf);
    }
    return VT_OK;
}

static vt_status hwmon_sample(sensor_source *src, int64_t now_ns, int64_t dt_ns, sensor_sample *out,
                              vt_error *err) {
    (void)now_ns;
    (void)dt_ns;
    hwmon_source *h = (hwmon_source *)src;
    uint64_t value, delta = 0;
    vt_status st = hwmon_value(h, &value, err);
    if (st != VT_OK) {
        return st;
    }
    if (h->is_energy) {
        bool primed = sensor_counter_step(&h->counter, value, &delta);
        *out =
            (sensor_sample){.energy_j = (double)delta * 1e-6, .has_energy = true, .primed = primed};
    } else {
        *out = (sensor_sample){.watts = (double)value * 1e-6, .has_power = true};
    }
    return VT_OK;
}

static void hwmon_close(sensor_source *src) {
    hwmon_source *h = (hwmon_source *)src;
    free(h->path);
    free(h->base.label);
    free(h);
}

static const sensor_source_ops hwmon_ops = {hwmon_sample, hwmon_close};

/* The chip's source, or NULL (with *st set when a reading exists but cannot be read). */
static hwmon_source *hwmon_probe(const sensor_env *env, const char *chip_dir, const char *dev,
                                 const char *name, vt_status *st, vt_error *err) {
    static const char *const files[] = {"energy1_input", "power1_average", "power1_input"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *path = vt_xasprintf("%s/%s", chip_dir, files[i]);
        char buf[64];
        if (sensor_read_small(env->open_file, path, buf, sizeof buf) < 0 && errno == ENOENT) {
            free(path);
            continue;
        }
        hwmon_source *h = vt_xcalloc(1, sizeof *h);
        h->base.ops = &hwmon_ops;
        h->base.label = vt_xasprintf("%s (%s)", name, dev);
        h->path = path;
        h->is_energy = i == 0;
        h->open_file = env->open_file;
        uint64_t value;
        *st = hwmon_value(h, &value, err);
        if (*st != VT_OK) {
            hwmon_close(&h->base);
            return NULL;
        }
        return h;
    }
    return NULL;
}

vt_status sensor_hwmon_open(const sensor_env *env, const char *chip, bool gpus_only,
                            sensor_list *out, vt_error *err) {
    char *dir = vt_xasprintf("%s/class/hwmon", env->sysfs_root);
    size_t n;
    char **devs = sensor_list_dir(dir, "hwmon", &n);
    size_t first = out->count;
    vt_status st = VT_OK;
    /* Every chip: a whole-machine meter alone when one can be read (pass 0), else the parts. */
    for (int pass = chip || gpus_only ? 1 : 0; pass < 2 && st == VT_OK && out->count == first;
         pass++) {
        for (size_t i = 0; i < n && st == VT_OK; i++) {
            char *chip_dir = vt_xasprintf("%s/%s", dir, devs[i]);
            char *name_path = vt_xasprintf("%s/name", chip_dir);
            char name[64];
            long len = sensor_read_small(env->open_file, name_path, name, sizeof name);
            free(name_path);
            name[len > 0 ? strcspn(name, "\n") : 0] = '\0';
            bool wanted = name[0] && (!chip || strcmp(chip, name) == 0) &&
                          (!gpus_only || is_gpu_chip(name)) &&
                          (chip || is_whole_machine(name) == (pass == 0));
            hwmon_source *h = wanted ? hwmon_probe(env, chip_dir, devs[i], name, &st, err) : NULL;
            if (h) {
                sensor_list_push(out, &h->base);
            }
            free(chip_dir);
        }
    }
    if (st == VT_OK && out->count == first) {
        st = chip ? VT_FAIL(err, VT_E_NOINPUT,
                            "%s: no hwmon chip named \"%s\" with a power or energy reading "
                            "(the names are in %s/hwmon*/name)",
                            dir, chip, dir)
                  : VT_FAIL(err, VT_E_NOINPUT,
                            "%s: no %schip with a power or energy reading (power1_average, "
                            "power1_input or energy1_input)",
                            dir, gpus_only ? "GPU " : "");
    }
    sensor_names_free(devs, n);
    free(dir);
    if (st != VT_OK) {
        while (out->count > first) {
            sensor_source *src = out->items[--out->count];
            src->ops->close(src);
        }
    }
    return st;
}
