/* The scene's `energy:` block (format vitrine/1): the curatorial side of the energy governor —
 * a power budget, the floors it may lower fps, scale and brightness to, what it gives up first,
 * and the caps of the attract state. */
#include "scene/scene_internal.h"

#include <math.h>
#include <string.h>

_Static_assert(sizeof(vt_energy_actuator) == sizeof(int), "actuators are stored as int");

#define TABLE(fields, kind)                                                                        \
    { fields, sizeof fields / sizeof *fields, NULL, kind }

static const vt_field energy_fields[] = {
    VT_FIELD_LATER("budget_watts"), VT_FIELD_LATER("fps"),     VT_FIELD_LATER("scale"),
    VT_FIELD_LATER("brightness"),   VT_FIELD_LATER("degrade"), VT_FIELD_LATER("attract")};
static const vt_field fps_fields[] = {VT_FIELD_LATER("max"), VT_FIELD_LATER("min")};
static const vt_field floor_fields[] = {VT_FIELD_LATER("min")};
static const vt_field attract_fields[] = {VT_FIELD_LATER("fps"), VT_FIELD_LATER("scale"),
                                          VT_FIELD_LATER("brightness")};
static const vt_table energy_table = TABLE(energy_fields, "energy");
static const vt_table fps_table = TABLE(fps_fields, "fps");
static const vt_table floor_table = TABLE(floor_fields, "floor");
static const vt_table attract_table = TABLE(attract_fields, "attract");

/* Index = vt_energy_actuator. */
static const char *const actuator_names[] = {"fps", "scale", "brightness", NULL};
#define ACTUATOR_COUNT 3

#define DEFAULT_FPS_MIN 10
#define DEFAULT_ATTRACT_FPS 12

/* The defaults of the header. A default never contradicts what the scene writes: with a canvas
 * (or fps.max) under 10 fps, fps.min and attract.fps default to that lower value instead. */
static void energy_defaults(vt_energy *e, int fps_max) {
    *e = (vt_energy){
        .fps_max = fps_max,
        .fps_min = fps_max < DEFAULT_FPS_MIN ? fps_max : DEFAULT_FPS_MIN,
        .scale_min = 0.5,
        .brightness_min = 0.6,
        .degrade = {VT_ENERGY_FPS, VT_ENERGY_SCALE},
        .degrade_count = 2,
        .attract_fps = fps_max < DEFAULT_ATTRACT_FPS ? fps_max : DEFAULT_ATTRACT_FPS,
        .attract_scale = 0.6,
        .attract_brightness = 1.0,
    };
}

/* Checks that `v`, the value of energy's `key`, is a mapping, and its keys against `t`. */
static bool sub_map(vt_vctx *c, const char *key, const vt_ynode *v, const vt_table *t,
                    const char *fix) {
    if (v->kind != VT_YNODE_MAP) {
        vt_type_error(c, key, v, "a mapping", fix);
        return false;
    }
    snprintf(c->where, sizeof c->where, " in 'energy.%s'", key);
    vt_table_apply(c, t, 1, v, NULL, NULL);
    snprintf(c->where, sizeof c->where, " in 'energy'");
    return true;
}

/* Reads `key` of `map` as a number in [min, max], named `label` in messages ("fps.max").
 * Returns its node when given and accepted (*out set), else NULL. */
static const vt_ynode *read_key(vt_vctx *c, const vt_ynode *map, const char *key, const char *label,
                                double min, double max, bool integer, double *out) {
    const vt_ypair *p = vt_ymap_find(map, key);
    if (!p || !vt_read_number(c, label, p->value, min, max, integer, out)) {
        return NULL;
    }
    return p->value;
}

/* "'fps.max' (30)" when the scene writes it, else "the canvas fps (30)". */
static void describe_max(const vt_energy *e, bool written, char *buf, size_t cap) {
    snprintf(buf, cap, written ? "'fps.max' (%d)" : "the canvas fps (%d)", e->fps_max);
}

/* A written fps.max: the defaults that follow it follow it too. */
static void set_fps_max(vt_energy *e, int fps_max) {
    vt_energy d;
    energy_defaults(&d, fps_max);
    e->fps_max = d.fps_max;
    e->fps_min = d.fps_min;
    e->attract_fps = d.attract_fps;
}

/* Reads `fps`; returns whether e->fps_max is usable for the checks that depend on it, and sets
 * *max_written when the scene wrote it. */
static bool parse_fps(vt_vctx *c, const vt_ynode *v, int canvas_fps, vt_energy *e,
                      bool *max_written) {
    double x;
    char max_text[48];
    if (!sub_map(c, "fps", v, &fps_table, "write it like {max: 60, min: 10}")) {
        return true;
    }
    const vt_ynode *max = read_key(c, v, "max", "fps.max", 1, 240, true, &x);
    bool max_ok = max || !vt_ymap_find(v, "max");
    if (max && (int)x > canvas_fps) {
        vt_vctx_error(c, max,
                      "'fps.max' (%d) is above the canvas fps (%d); the canvas fps is the most a "
                      "scene draws",
                      (int)x, canvas_fps);
        max = NULL;
        max_ok = false;
    }
    if (max) {
        set_fps_max(e, (int)x);
        *max_written = true;
    }
    const vt_ynode *min = read_key(c, v, "min", "fps.min", 1, 240, true, &x);
    if (min && max_ok && (int)x > e->fps_max) {
        describe_max(e, *max_written, max_text, sizeof max_text);
        vt_vctx_error(c, min,
                      "'fps.min' (%d) is above %s; the lowest frame rate must be at most the "
                      "highest",
                      (int)x, max_text);
    } else if (min) {
        e->fps_min = (int)x;
    }
    return max_ok;
}

static void parse_floor(vt_vctx *c, const char *key, const vt_ynode *v, double lo, const char *fix,
                        double *out) {
    char label[32];
    if (sub_map(c, key, v, &floor_table, fix)) {
        snprintf(label, sizeof label, "%s.min", key);
        read_key(c, v, "min", label, lo, 1, false, out);
    }
}

static void degrade_unknown(vt_vctx *c, const vt_ynode *item) {
    char shown[64];
    vt_yshow(item->text, item->len, shown, sizeof shown);
    const char *near = vt_did_you_mean(item->text, actuator_names, ACTUATOR_COUNT);
    if (near) {
        vt_vctx_error(c, item, "unknown 'degrade' item '%s'; did you mean '%s'?", shown, near);
    } else {
        vt_vctx_error(c, item, "unknown 'degrade' item '%s'; valid items: fps, scale, brightness",
                      shown);
    }
}

/* The index of item in actuator_names, or -1 (reported). */
static int degrade_item(vt_vctx *c, const vt_ynode *item) {
    if (item->kind != VT_YNODE_SCALAR || vt_ynode_is_null(item)) {
        if (item->kind != VT_YNODE_BAD) {
            vt_vctx_error(c, item, "each 'degrade' item must be fps, scale or brightness, not %s",
                          vt_ynode_describe(item));
        }
        return -1;
    }
    for (int i = 0; i < ACTUATOR_COUNT; i++) {
        if (vt_ynode_is(item, actuator_names[i])) {
            return i;
        }
    }
    degrade_unknown(c, item);
    return -1;
}

static void parse_degrade(vt_vctx *c, const vt_ynode *v, vt_energy *e) {
    if (v->kind != VT_YNODE_SEQ) {
        vt_type_error(c, "degrade", v, "a sequence", "write it like [fps, scale]");
        return;
    }
    if (v->count == 0) {
        vt_vctx_error(c, v,
                      "'degrade' is empty; list what to give up first: fps, scale or "
                      "brightness, like [fps, scale]");
        return;
    }
    const vt_ynode *first[ACTUATOR_COUNT] = {NULL};
    vt_energy_actuator order[ACTUATOR_COUNT];
    size_t n = 0;
    bool ok = true;
    for (size_t i = 0; i < v->count; i++) {
        int a = degrade_item(c, v->items[i]);
        if (a >= 0 && first[a]) {
            vt_vctx_error(c, v->items[i],
                          "'%s' is listed twice in 'degrade' (first at line %d, column %d); "
                          "remove one of them",
                          actuator_names[a], first[a]->line, first[a]->col);
        }
        if (a < 0 || first[a]) {
            ok = false;
            continue;
        }
        first[a] = v->items[i];
        order[n++] = (vt_energy_actuator)a;
    }
    if (ok) {
        memcpy(e->degrade, order, n * sizeof *order);
        e->degrade_count = n;
    }
}

static void parse_attract(vt_vctx *c, const vt_ynode *v, vt_energy *e, bool max_ok,
                          bool max_written) {
    double x;
    char max_text[48];
    if (v->kind == VT_YNODE_SCALAR && vt_ynode_is(v, "full")) {
        e->attract_full = true;
        return;
    }
    if (v->kind != VT_YNODE_MAP) {
        vt_type_error(c, "attract", v, "a mapping or the word full",
                      "write it like {fps: 15, scale: 0.75}, or 'attract: full' for no caps");
        return;
    }
    sub_map(c, "attract", v, &attract_table, NULL);
    const vt_ynode *fps = read_key(c, v, "fps", "attract.fps", 1, 240, true, &x);
    if (fps && max_ok && (int)x > e->fps_max) {
        describe_max(e, max_written, max_text, sizeof max_text);
        vt_vctx_error(c, fps,
                      "'attract.fps' (%d) is above %s; the attract state can only lower the "
                      "frame rate",
                      (int)x, max_text);
    } else if (fps) {
        e->attract_fps = (int)x;
    }
    read_key(c, v, "scale", "attract.scale", 0.1, 1, false, &e->attract_scale);
    read_key(c, v, "brightness", "attract.brightness", 0, 1, false, &e->attract_brightness);
}

void vt_energy_parse(vt_vctx *c, const vt_ypair *pair) {
    vt_energy *e = &vt_sread(c)->scene->energy;
    energy_defaults(e, vt_sread(c)->scene->fps);
    if (!pair) {
        return;
    }
    e->line = pair->key->line;
    e->col = pair->key->col;
    const vt_ynode *map = pair->value;
    if (vt_ynode_is_null(map)) {
        return; /* `energy:` with every key commented out */
    }
    if (map->kind != VT_YNODE_MAP) {
        vt_type_error(c, "energy", map, "a mapping",
                      "write 'budget_watts: 25' on the next line, indented");
        return;
    }
    snprintf(c->where, sizeof c->where, " in 'energy'");
    vt_table_apply(c, &energy_table, 1, map, NULL, NULL);
    const vt_ypair *p = vt_ymap_find(map, "budget_watts");
    if (p) {
        vt_read_watts(c, "budget_watts", p->value, &e->budget_watts);
    }
    bool max_ok = true, max_written = false;
    if ((p = vt_ymap_find(map, "fps"))) {
        max_ok = parse_fps(c, p->value, vt_sread(c)->scene->fps, e, &max_written);
    }
    if ((p = vt_ymap_find(map, "scale"))) {
        parse_floor(c, "scale", p->value, 0.1, "write it like {min: 0.5}", &e->scale_min);
    }
    if ((p = vt_ymap_find(map, "brightness"))) {
        parse_floor(c, "brightness", p->value, 0, "write it like {min: 0.6}", &e->brightness_min);
    }
    if ((p = vt_ymap_find(map, "degrade"))) {
        parse_degrade(c, p->value, e);
    }
    if ((p = vt_ymap_find(map, "attract"))) {
        parse_attract(c, p->value, e, max_ok, max_written);
    }
    c->where[0] = '\0';
}
