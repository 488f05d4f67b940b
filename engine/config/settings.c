/* Operator settings resolved once, from one table: the flag, else the operator config, else the
 * scene, else zero (the default); and the descriptors the energy session is made from. */
#include "config/vt_config.h"

#include <stdio.h>

#include <stddef.h>
#include <string.h>

enum { NONE = -1 };

typedef enum setting_kind { TEXT, NUMBER, SCHEDULE, OUTPUTS } setting_kind;

typedef struct setting {
    setting_kind kind;
    size_t at;            /* in vt_settings */
    ptrdiff_t config_at;  /* in vt_config; NONE: not an operator key */
    ptrdiff_t config_has; /* a bool in vt_config saying the key was given; NONE: non-zero is */
    ptrdiff_t scene_at;   /* in vt_scene; NONE: not a scene key */
} setting;

#define SET(f) offsetof(vt_settings, f)
#define CFG(f) (ptrdiff_t) offsetof(vt_config, f)
#define SCN(f) (ptrdiff_t) offsetof(vt_scene, f)

static const setting table[] = {
    {TEXT, SET(power_sensor), CFG(energy.sensor), NONE, NONE},
    {TEXT, SET(sensor_covers), CFG(energy.covers), NONE, NONE},
    {NUMBER, SET(budget_watts), CFG(energy.budget_watts), CFG(energy.has_budget),
     SCN(energy.budget_watts)},
    {NUMBER, SET(stale_after), CFG(energy.stale_after), NONE, NONE},
    {TEXT, SET(energy_log), CFG(energy.log), NONE, NONE},
    {NUMBER, SET(energy_log_max_mb), CFG(energy.log_max_mb), NONE, NONE},
    {TEXT, SET(audio_device), CFG(audio.device), NONE, NONE},
    {SCHEDULE, SET(schedule), CFG(schedule), CFG(schedule.present), SCN(schedule)},
    {NUMBER, SET(osc_port), CFG(osc.port), NONE, NONE},
    {TEXT, SET(osc_bind), CFG(osc.bind), NONE, NONE},
    {NUMBER, SET(osc_rate), CFG(osc.rate), NONE, NONE},
    {TEXT, SET(metrics_file), CFG(metrics.file), NONE, NONE},
    {NUMBER, SET(metrics_interval), CFG(metrics.interval), NONE, NONE},
    {OUTPUTS, SET(outputs), CFG(outputs), NONE, SCN(outputs)},
};

/* Is the value at `p` given: a non-NULL string, a non-zero number, a present schedule? */
static bool given(setting_kind kind, const void *p) {
    switch (kind) {
    case TEXT:
        return *(char *const *)p != NULL;
    case NUMBER:
        return *(const double *)p != 0;
    case SCHEDULE:
        return p != NULL && *(const vt_schedule *const *)p != NULL;
    case OUTPUTS:
        return *(const vt_outputs *const *)p != NULL;
    }
    return false;
}

/* Copies the value at `from` (a string or number in its owner, a schedule itself) into `to`. */
static void take(setting_kind kind, void *to, const void *from) {
    switch (kind) {
    case TEXT:
        *(const char **)to = *(char *const *)from;
        break;
    case NUMBER:
        *(double *)to = *(const double *)from;
        break;
    case SCHEDULE:
        *(const vt_schedule **)to = from;
        break;
    case OUTPUTS:
        *(const vt_outputs **)to = from;
        break;
    }
}

/* Does the owner at `base` give the value at offset `at` (with its `has` flag, if any)? */
static bool owner_gives(const setting *row, const char *base, ptrdiff_t at, ptrdiff_t has) {
    if (!base || at == NONE) {
        return false;
    }
    if (has != NONE) {
        return *(const bool *)(base + has);
    }
    if (row->kind == OUTPUTS) { /* the config's list replaces the scene's as a whole */
        return ((const vt_outputs *)(const void *)(base + at))->count > 0;
    }
    return row->kind == SCHEDULE || given(row->kind, base + at);
}

void vt_settings_resolve(vt_settings *s, const vt_config *cfg, const vt_scene *scene) {
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        const setting *row = &table[i];
        char *to = (char *)s + row->at;
        if (given(row->kind, to)) {
            continue; /* the flag */
        }
        if (owner_gives(row, (const char *)cfg, row->config_at, row->config_has)) {
            take(row->kind, to, (const char *)cfg + row->config_at);
        } else if (scene && row->scene_at != NONE) {
            take(row->kind, to, (const char *)scene + row->scene_at);
        }
    }
    /* The config's words for what its sensor covers would mislabel another one (a
     * --power-sensor flag naming a different sensor). */
    const char *used = s->power_sensor ? s->power_sensor : "auto";
    const char *own = cfg && cfg->energy.sensor ? cfg->energy.sensor : "auto";
    if (strcmp(used, own) != 0) {
        s->sensor_covers = NULL;
    }
    if (s->outputs && !s->outputs_path) {
        s->outputs_path = cfg && s->outputs == &cfg->outputs ? cfg->path
                          : scene                            ? scene->path
                                                             : NULL;
    }
}

/* ---- The energy session's descriptor ---- */

_Static_assert(VT_STATE_ATTRACT == VT_GOVERNOR_ATTRACT,
               "the governor and the scene agree on attract");

/* The control law from the scene's energy block. */
static void governor_from_scene(const vt_scene *sc, vt_governor_desc *d) {
    const vt_energy *en = &sc->energy;
    d->budget_watts = en->budget_watts;
    d->fps_max = en->fps_max > 0 ? en->fps_max : sc->fps;
    d->fps_min = en->fps_min;
    if (d->fps_min > d->fps_max) {
        d->fps_min = d->fps_max;
    }
    d->scale_min = en->scale_min;
    d->brightness_min = en->brightness_min;
    d->degrade_count = (int)en->degrade_count;
    for (size_t i = 0; i < en->degrade_count && i < VT_GOVERNOR_MAX_ACTUATORS; i++) {
        d->degrade[i] = en->degrade[i] == VT_ENERGY_FPS     ? VT_ACT_FPS
                        : en->degrade[i] == VT_ENERGY_SCALE ? VT_ACT_SCALE
                                                            : VT_ACT_BRIGHTNESS;
    }
    d->attract_full = en->attract_full;
    d->attract_fps = en->attract_fps > d->fps_max ? d->fps_max : en->attract_fps;
    d->attract_scale = en->attract_scale;
    d->attract_brightness = en->attract_brightness;
}

vt_status vt_config_brightness_open(const vt_config *cfg, double min, const char *sysfs_root,
                                    vt_brightness **out, vt_error *err) {
    *out = NULL;
    vt_brightness_desc bd;
    char where[600];
    if (!vt_config_brightness_desc(cfg, min, sysfs_root, &bd, where, sizeof where)) {
        return VT_OK;
    }
    return vt_brightness_open(&bd, out, err);
}

bool vt_config_brightness_desc(const vt_config *cfg, double min, const char *sysfs_root,
                               vt_brightness_desc *out, char *where, size_t where_cap) {
    if (!cfg || (!cfg->brightness.backlight && cfg->brightness.ddcutil_display <= 0)) {
        return false;
    }
    snprintf(where, where_cap, "%s:%d:%d", cfg->path ? cfg->path : "config", cfg->brightness.line,
             cfg->brightness.col);
    *out = (vt_brightness_desc){.kind = cfg->brightness.backlight ? VT_BRIGHTNESS_BACKLIGHT
                                                                  : VT_BRIGHTNESS_DDCUTIL,
                                .backlight = cfg->brightness.backlight,
                                .sysfs_root = sysfs_root,
                                .ddc_display = cfg->brightness.ddcutil_display,
                                .min = min,
                                .where = where};
    return true;
}

void vt_settings_energy_desc(const vt_settings *set, const vt_config *cfg, const vt_scene *scene,
                             vt_energy_desc *out, vt_settings_energy_room *room) {
    *out = (vt_energy_desc){.sensor = {.spec = set->power_sensor,
                                       .stale_after = set->stale_after,
                                       .covers = set->sensor_covers},
                            .fps = scene->energy.fps_max > 0 ? scene->energy.fps_max : scene->fps};
    governor_from_scene(scene, &out->governor);
    out->governor.budget_watts = set->budget_watts;
    /* The attract cap may go below brightness.min: the display must allow it. */
    double min = scene->energy.brightness_min;
    if (!scene->energy.attract_full && scene->energy.attract_brightness < min) {
        min = scene->energy.attract_brightness;
    }
    if (vt_config_brightness_desc(cfg, min, NULL, &room->brightness, room->where,
                                  sizeof room->where)) {
        out->brightness = &room->brightness;
    }
}
