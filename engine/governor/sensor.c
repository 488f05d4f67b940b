/* A sensor as the governor sees it: the spec names one backend, or "auto" sums every hardware
 * source found; reads turn counters into mean watts over the caller's intervals. */
#include "governor/sensor_internal.h"

#include <stdlib.h>
#include <string.h>

struct vt_sensor {
    sensor_list parts;
    char *description;
    char *covers; /* the operator's words, else the sources' labels */
    bool estimated;
    bool started; /* a read has happened: last_ns is meaningful */
    bool restart; /* the previous read failed: counters start again */
    int64_t last_ns;
    double joules;
};

static const char *const spec_names[] = {"auto", "rapl", "nvml", "hwmon", "file", "model"};

static vt_status unknown_spec(const char *spec, vt_error *err) {
    char word[64];
    snprintf(word, sizeof word, "%.*s", (int)strcspn(spec, ":"), spec);
    const char *near = vt_did_you_mean(word, spec_names, sizeof spec_names / sizeof spec_names[0]);
    char hint[64] = "";
    if (near) {
        snprintf(hint, sizeof hint, "; did you mean \"%s\"?", near);
    }
    return VT_FAIL(err, VT_E_USAGE,
                   "unknown power sensor \"%.64s\"%s the sensors are auto, rapl, nvml, hwmon, "
                   "hwmon:<chip>, file:/path and model",
                   spec, near ? hint : ";");
}

static vt_status open_auto(const sensor_env *env, vt_sensor *s) {
    vt_error e;
    sensor_source *src;
    char *why = NULL;
    if (sensor_rapl_open(env, &src, &e) == VT_OK) {
        sensor_list_push(&s->parts, src);
    } else {
        why = sensor_append(why, "; ", e.message);
    }
    if (sensor_nvml_open(env, &src, &e) == VT_OK) {
        sensor_list_push(&s->parts, src);
    } else {
        why = sensor_append(why, "; ", e.message);
    }
    if (sensor_hwmon_open(env, NULL, true, &s->parts, &e) != VT_OK) {
        why = sensor_append(why, "; ", e.message);
    }
    if (s->parts.count == 0) {
        sensor_list_push(&s->parts, sensor_model_open(env));
        s->description =
            vt_xasprintf("%s, as no power sensor is readable: %s", s->parts.items[0]->label, why);
    } else {
        for (size_t i = 0; i < s->parts.count; i++) {
            s->description = sensor_append(s->description, ", ", s->parts.items[i]->label);
        }
    }
    free(why);
    return VT_OK;
}

static vt_status open_spec(const sensor_env *env, const char *spec, vt_sensor *s, vt_error *err) {
    sensor_source *src = NULL;
    vt_status st = VT_OK;
    if (strcmp(spec, "auto") == 0) {
        return open_auto(env, s);
    } else if (strcmp(spec, "rapl") == 0) {
        st = sensor_rapl_open(env, &src, err);
    } else if (strcmp(spec, "nvml") == 0) {
        st = sensor_nvml_open(env, &src, err);
    } else if (strcmp(spec, "hwmon") == 0 || strncmp(spec, "hwmon:", 6) == 0) {
        if (spec[5] == ':' && spec[6] == '\0') {
            return VT_FAIL(err, VT_E_USAGE, "\"hwmon:\" needs a chip name, as in hwmon:amdgpu");
        }
        return sensor_hwmon_open(env, spec[5] ? spec + 6 : NULL, false, &s->parts, err);
    } else if (strncmp(spec, "file:", 5) == 0 && spec[5]) {
        st = sensor_file_open(env, spec + 5, &src, err);
    } else if (strcmp(spec, "file") == 0 || strcmp(spec, "file:") == 0) {
        return VT_FAIL(err, VT_E_USAGE,
                       "the file sensor needs the file's path, as in file:/run/vitrine/watts");
    } else if (strcmp(spec, "model") == 0) {
        src = sensor_model_open(env);
    } else {
        return unknown_spec(spec, err);
    }
    if (st == VT_OK) {
        sensor_list_push(&s->parts, src);
    }
    return st;
}

vt_status vt_sensor_open(const vt_sensor_desc *desc, vt_sensor **out, vt_error *err) {
    *out = NULL;
    sensor_env env;
    sensor_env_from_desc(desc, &env);
    const char *spec = desc && desc->spec && desc->spec[0] ? desc->spec : "auto";
    vt_sensor *s = vt_xcalloc(1, sizeof *s);
    vt_status st = open_spec(&env, spec, s, err);
    if (st != VT_OK) {
        vt_sensor_close(s);
        return st;
    }
    for (size_t i = 0; i < s->parts.count; i++) {
        s->covers = sensor_append(s->covers, ", ", s->parts.items[i]->label);
    }
    if (desc && desc->covers && desc->covers[0]) {
        free(s->covers);
        s->covers = vt_xstrdup(desc->covers);
    }
    for (size_t i = 0; i < s->parts.count; i++) {
        s->estimated |= s->parts.items[i]->estimated;
        if (!s->description) {
            s->description = sensor_append(NULL, "", s->parts.items[i]->label);
        } else if (s->parts.count > 1 && strcmp(spec, "auto") != 0) {
            s->description = sensor_append(s->description, ", ", s->parts.items[i]->label);
        }
    }
    *out = s;
    return VT_OK;
}

/* Adds one source's sample to the reading; returns the energy it counted over the interval. */
static double add_sample(const sensor_sample *smp, int64_t dt_ns, vt_power_reading *r) {
    bool interval = dt_ns > 0 && smp->primed;
    if (smp->has_power) {
        r->watts += smp->watts;
    } else if (smp->has_energy && interval) {
        r->watts += smp->energy_j / ((double)dt_ns * 1e-9);
    } else {
        r->has_watts = false;
    }
    if (!smp->has_energy) {
        r->has_energy = false;
    }
    return smp->has_energy && interval ? smp->energy_j : 0;
}

vt_status vt_sensor_read(vt_sensor *s, int64_t now_ns, vt_power_reading *out, vt_error *err) {
    *out = (vt_power_reading){0};
    if (!s) {
        return VT_FAIL(err, VT_E_SOFTWARE, "vt_sensor_read: no sensor (it failed to open)");
    }
    if (s->started && now_ns <= s->last_ns) {
        return VT_FAIL(err, VT_E_SOFTWARE,
                       "vt_sensor_read: the time must increase between reads (%lld ns, then "
                       "%lld ns)",
                       (long long)s->last_ns, (long long)now_ns);
    }
    int64_t dt_ns = s->started && !s->restart ? now_ns - s->last_ns : 0;
    s->started = true;
    s->last_ns = now_ns;
    vt_power_reading r = {.has_watts = true, .has_energy = true, .estimated = s->estimated};
    double joules = 0;
    for (size_t i = 0; i < s->parts.count; i++) {
        sensor_source *src = s->parts.items[i];
        sensor_sample smp;
        vt_status st = src->ops->sample(src, now_ns, dt_ns, &smp, err);
        if (st != VT_OK) {
            s->restart = true;
            return st;
        }
        joules += add_sample(&smp, dt_ns, &r);
    }
    s->restart = false;
    s->joules += joules;
    r.joules = r.has_energy ? s->joules : 0;
    r.watts = r.has_watts ? r.watts : 0;
    *out = r;
    return VT_OK;
}

const char *vt_sensor_describe(const vt_sensor *s) {
    return s && s->description ? s->description : "no sensor";
}

const char *vt_sensor_covers(const vt_sensor *s) {
    return s && s->covers ? s->covers : vt_sensor_describe(s);
}

void vt_sensor_model_feed(vt_sensor *s, double cpu_seconds, double pixels_drawn,
                          double gpu_seconds) {
    if (!s) {
        return;
    }
    for (size_t i = 0; i < s->parts.count; i++) {
        sensor_model_add(s->parts.items[i], cpu_seconds, pixels_drawn, gpu_seconds);
    }
}

void vt_sensor_close(vt_sensor *s) {
    if (!s) {
        return;
    }
    sensor_list_close(&s->parts);
    free(s->description);
    free(s->covers);
    free(s);
}
