/* RAPL energy counters under <sysfs>/class/powercap/intel-rapl:*: CPU packages and DRAM are
 * counted; core, uncore and psys zones are left out because packages already contain them. */
#include "governor/sensor_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct rapl_zone {
    char *energy_path;
    sensor_counter counter;
} rapl_zone;

typedef struct rapl_source {
    sensor_source base;
    rapl_zone *zones;
    size_t count;
    sensor_open_fn open_file;
} rapl_source;

typedef enum rapl_kind { RAPL_SKIP, RAPL_PACKAGE, RAPL_DRAM } rapl_kind;

/* A zone or package number; hostile text gives some number, never undefined behaviour. */
static int parse_index(const char *text) {
    long v = strtol(text, NULL, 10);
    return v < 0 ? 0 : v > 9999 ? 9999 : (int)v;
}

/* "intel-rapl:0" is a package-level zone, "intel-rapl:0:2" one of its subzones. */
static rapl_kind rapl_classify(const sensor_env *env, const char *dir, const char *zone,
                               int *package) {
    char *path = vt_xasprintf("%s/%s/name", dir, zone);
    char name[64];
    long n = sensor_read_small(env->open_file, path, name, sizeof name);
    free(path);
    if (n <= 0) {
        return RAPL_SKIP;
    }
    name[strcspn(name, "\n")] = '\0';
    const char *sub = strchr(zone + strlen("intel-rapl:"), ':');
    *package = parse_index(zone + strlen("intel-rapl:"));
    if (!sub && strncmp(name, "package-", 8) == 0) {
        *package = parse_index(name + 8);
        return RAPL_PACKAGE;
    }
    if (sub && strcmp(name, "dram") == 0) {
        return RAPL_DRAM;
    }
    return RAPL_SKIP;
}

/* Reads the range and a first value, so an unreadable counter shows up at open. */
static vt_status rapl_add_zone(const sensor_env *env, rapl_source *r, const char *zone_dir,
                               vt_error *err) {
    char buf[64];
    uint64_t max = 0;
    char *max_path = vt_xasprintf("%s/max_energy_range_uj", zone_dir);
    if (sensor_read_small(env->open_file, max_path, buf, sizeof buf) < 0 ||
        !sensor_parse_u64(buf, &max)) {
        max = 0; /* unknown range: a decrease is then taken as a reset */
    }
    free(max_path);
    char *path = vt_xasprintf("%s/energy_uj", zone_dir);
    uint64_t value;
    if (sensor_read_small(env->open_file, path, buf, sizeof buf) < 0) {
        vt_status st = sensor_fail_read(err, path, errno, true);
        free(path);
        return st;
    }
    if (!sensor_parse_u64(buf, &value)) {
        vt_status st = VT_FAIL(err, VT_E_DATAERR, "%s: not an energy count: \"%.32s\"", path, buf);
        free(path);
        return st;
    }
    r->zones = vt_xrealloc(r->zones, (r->count + 1) * sizeof *r->zones);
    r->zones[r->count++] = (rapl_zone){.energy_path = path, .counter = {.max = max}};
    return VT_OK;
}

static vt_status rapl_sample(sensor_source *src, int64_t now_ns, int64_t dt_ns, sensor_sample *out,
                             vt_error *err) {
    (void)now_ns;
    (void)dt_ns;
    rapl_source *r = (rapl_source *)src;
    uint64_t total_uj = 0;
    bool primed = true;
    for (size_t i = 0; i < r->count; i++) {
        rapl_zone *z = &r->zones[i];
        char buf[64];
        uint64_t value, delta;
        if (sensor_read_small(r->open_file, z->energy_path, buf, sizeof buf) < 0) {
            return sensor_fail_read(err, z->energy_path, errno, true);
        }
        if (!sensor_parse_u64(buf, &value)) {
            return VT_FAIL(err, VT_E_DATAERR, "%s: not an energy count: \"%.32s\"", z->energy_path,
                           buf);
        }
        if (sensor_counter_step(&z->counter, value, &delta)) {
            total_uj += delta;
        } else {
            primed = false;
        }
    }
    *out =
        (sensor_sample){.energy_j = (double)total_uj * 1e-6, .has_energy = true, .primed = primed};
    return VT_OK;
}

static void rapl_close(sensor_source *src) {
    rapl_source *r = (rapl_source *)src;
    for (size_t i = 0; i < r->count; i++) {
        free(r->zones[i].energy_path);
    }
    free(r->zones);
    free(r->base.label);
    free(r);
}

static const sensor_source_ops rapl_ops = {rapl_sample, rapl_close};

static char *rapl_label(char *acc, rapl_kind kind, int package, int packages) {
    char part[48];
    if (kind == RAPL_PACKAGE) {
        snprintf(part, sizeof part, "CPU package %d", package);
    } else if (packages <= 1) {
        snprintf(part, sizeof part, "DRAM");
    } else {
        snprintf(part, sizeof part, "DRAM %d", package);
    }
    return sensor_append(acc, " + ", part);
}

vt_status sensor_rapl_open(const sensor_env *env, sensor_source **out, vt_error *err) {
    *out = NULL;
    char *dir = vt_xasprintf("%s/class/powercap", env->sysfs_root);
    size_t n;
    char **zones = sensor_list_dir(dir, "intel-rapl:", &n);
    rapl_kind *kinds = vt_xcalloc(n ? n : 1, sizeof *kinds);
    int *pkg = vt_xcalloc(n ? n : 1, sizeof *pkg);
    int packages = 0;
    for (size_t i = 0; i < n; i++) {
        kinds[i] = rapl_classify(env, dir, zones[i], &pkg[i]);
        packages += kinds[i] == RAPL_PACKAGE;
    }
    rapl_source *r = vt_xcalloc(1, sizeof *r);
    r->base.ops = &rapl_ops;
    r->open_file = env->open_file;
    vt_status st = VT_OK;
    for (size_t i = 0; i < n && st == VT_OK; i++) {
        if (kinds[i] != RAPL_SKIP) {
            char *zone_dir = vt_xasprintf("%s/%s", dir, zones[i]);
            st = rapl_add_zone(env, r, zone_dir, err);
            free(zone_dir);
            r->base.label = rapl_label(r->base.label, kinds[i], pkg[i], packages);
        }
    }
    if (st == VT_OK && r->count == 0) {
        st = VT_FAIL(err, VT_E_NOINPUT,
                     "%s: no RAPL package or DRAM zone (a CPU without RAPL, a virtual machine, "
                     "or the intel_rapl_common module is not loaded)",
                     dir);
    }
    sensor_names_free(zones, n);
    free(kinds);
    free(pkg);
    free(dir);
    if (st != VT_OK) {
        rapl_close(&r->base);
        return st;
    }
    r->base.label = sensor_append(r->base.label, " ", "(RAPL)");
    *out = &r->base;
    return VT_OK;
}
