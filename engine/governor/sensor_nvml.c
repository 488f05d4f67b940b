/* NVIDIA GPU board power through NVML, loaded with dlopen at open time so that Vitrine neither
 * builds nor links against the driver. The energy counter counts energy; instant power steers. */
#include "governor/sensor_internal.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#define NVML_MAX_GPUS 16

typedef struct nvml_gpu {
    nvml_device device;
    bool has_energy;
    unsigned long long last_mj;
} nvml_gpu;

typedef struct nvml_source {
    sensor_source base;
    sensor_nvml_api api;
    void *library;
    nvml_gpu gpus[NVML_MAX_GPUS];
    unsigned count;
    bool primed;
} nvml_source;

static const char *nvml_error(const sensor_nvml_api *api, nvml_ret r) {
    const char *s = api->error_string ? api->error_string(r) : NULL;
    return s ? s : "unknown NVML error";
}

static vt_status nvml_sample(sensor_source *src, int64_t now_ns, int64_t dt_ns, sensor_sample *out,
                             vt_error *err) {
    (void)now_ns;
    (void)dt_ns;
    nvml_source *n = (nvml_source *)src;
    double watts = 0, joules = 0;
    bool has_energy = true, primed = n->primed;
    for (unsigned i = 0; i < n->count; i++) {
        nvml_gpu *g = &n->gpus[i];
        unsigned int mw;
        nvml_ret r = n->api.power_mw(g->device, &mw);
        if (r != 0) {
            return VT_FAIL(err, VT_E_NOINPUT, "NVML: cannot read the power of GPU %u: %s", i,
                           nvml_error(&n->api, r));
        }
        watts += mw * 1e-3;
        unsigned long long mj;
        if (!g->has_energy || n->api.energy_mj(g->device, &mj) != 0) {
            has_energy = false;
            continue;
        }
        if (mj >= g->last_mj) {
            joules += (double)(mj - g->last_mj) * 1e-3;
        } else {
            primed = false; /* the driver was reloaded: the counter started again */
        }
        g->last_mj = mj;
    }
    n->primed = true;
    *out = (sensor_sample){.watts = watts,
                           .has_power = true,
                           .energy_j = joules,
                           .has_energy = has_energy,
                           .primed = primed};
    return VT_OK;
}

static void nvml_close(sensor_source *src) {
    nvml_source *n = (nvml_source *)src;
    if (n->api.shutdown) {
        n->api.shutdown();
    }
    if (n->library) {
        dlclose(n->library);
    }
    free(n->base.label);
    free(n);
}

static const sensor_source_ops nvml_ops = {nvml_sample, nvml_close};

/* Finds the GPUs and checks that each one's power can be read. */
static vt_status nvml_find_gpus(nvml_source *n, vt_error *err) {
    unsigned int count = 0;
    nvml_ret r = n->api.count(&count);
    if (r != 0) {
        return VT_FAIL(err, VT_E_NOINPUT, "NVML: cannot count the GPUs: %s",
                       nvml_error(&n->api, r));
    }
    if (count == 0) {
        return VT_FAIL(err, VT_E_NOINPUT, "NVML: the NVIDIA driver sees no GPU");
    }
    n->count = count < NVML_MAX_GPUS ? count : NVML_MAX_GPUS;
    for (unsigned i = 0; i < n->count; i++) {
        nvml_gpu *g = &n->gpus[i];
        unsigned int mw;
        if ((r = n->api.handle(i, &g->device)) != 0 || (r = n->api.power_mw(g->device, &mw))) {
            return VT_FAIL(err, VT_E_NOINPUT, "NVML: GPU %u does not report its power: %s", i,
                           nvml_error(&n->api, r));
        }
        /* Volta and later count energy; older boards only give instant power. */
        g->has_energy = n->api.energy_mj && n->api.energy_mj(g->device, &g->last_mj) == 0;
        char part[32];
        snprintf(part, sizeof part, "GPU %u board", i);
        n->base.label = sensor_append(n->base.label, " + ", part);
    }
    n->base.label = sensor_append(n->base.label, " ", "(NVML)");
    return VT_OK;
}

vt_status sensor_nvml_open_api(const sensor_nvml_api *api, void *library, sensor_source **out,
                               vt_error *err) {
    *out = NULL;
    nvml_source *n = vt_xcalloc(1, sizeof *n);
    n->base.ops = &nvml_ops;
    n->api = *api;
    n->library = library;
    nvml_ret r = api->init();
    if (r != 0) {
        vt_status st = VT_FAIL(err, VT_E_NOINPUT,
                               "NVML: cannot start: %s (is the NVIDIA "
                               "driver loaded? nvidia-smi tells)",
                               nvml_error(api, r));
        n->api.shutdown = NULL; /* nothing to shut down */
        nvml_close(&n->base);
        return st;
    }
    vt_status st = nvml_find_gpus(n, err);
    if (st != VT_OK) {
        nvml_close(&n->base);
        return st;
    }
    *out = &n->base;
    return VT_OK;
}

/* dlsym returns void *; going through memcpy avoids the object-to-function pointer cast
 * that ISO C leaves undefined. */
static bool nvml_symbol(void *library, const char *name, void *fn, size_t size) {
    void *sym = dlsym(library, name);
    if (sym) {
        memcpy(fn, &sym, size);
    }
    return sym != NULL;
}

vt_status sensor_nvml_open(const sensor_env *env, sensor_source **out, vt_error *err) {
    *out = NULL;
    void *library = dlopen(env->nvml_library, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        return VT_FAIL(err, VT_E_NOINPUT, "no NVIDIA driver (%s not found)", env->nvml_library);
    }
    sensor_nvml_api api = {0};
    const struct {
        const char *name;
        void *fn;
        size_t size;
    } syms[] = {
        {"nvmlInit_v2", &api.init, sizeof api.init},
        {"nvmlShutdown", &api.shutdown, sizeof api.shutdown},
        {"nvmlDeviceGetCount_v2", &api.count, sizeof api.count},
        {"nvmlDeviceGetHandleByIndex_v2", &api.handle, sizeof api.handle},
        {"nvmlDeviceGetPowerUsage", &api.power_mw, sizeof api.power_mw},
        {"nvmlErrorString", &api.error_string, sizeof api.error_string},
    };
    const char *missing = NULL;
    for (size_t i = 0; i < sizeof syms / sizeof syms[0] && !missing; i++) {
        if (!nvml_symbol(library, syms[i].name, syms[i].fn, syms[i].size)) {
            missing = syms[i].name;
        }
    }
    if (missing) {
        dlclose(library);
        return VT_FAIL(err, VT_E_NOINPUT, "%s: no function %s (an NVIDIA driver too old?)",
                       env->nvml_library, missing);
    }
    /* Optional: older drivers lack it, and then only instant power is known. */
    nvml_symbol(library, "nvmlDeviceGetTotalEnergyConsumption", &api.energy_mj,
                sizeof api.energy_mj);
    return sensor_nvml_open_api(&api, library, out, err);
}
