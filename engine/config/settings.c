/* Operator settings resolved once, from one table: the flag, else the operator config, else the
 * scene, else zero (the default). */
#include "config/vt_config.h"

#include <stddef.h>

enum { NONE = -1 };

typedef enum setting_kind { TEXT, NUMBER, SCHEDULE } setting_kind;

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
    {NUMBER, SET(budget_watts), CFG(energy.budget_watts), CFG(energy.has_budget),
     SCN(energy.budget_watts)},
    {NUMBER, SET(stale_after), CFG(energy.stale_after), NONE, NONE},
    {TEXT, SET(energy_log), CFG(energy.log), NONE, NONE},
    {NUMBER, SET(energy_log_max_mb), CFG(energy.log_max_mb), NONE, NONE},
    {TEXT, SET(audio_device), CFG(audio.device), NONE, NONE},
    {SCHEDULE, SET(schedule), CFG(schedule), CFG(schedule.present), SCN(schedule)},
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
}
