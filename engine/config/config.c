/* The operator config (`--config FILE`, format vitrine-config/1): read with the scene parser's
 * YAML tree and validation machinery, under the same profile with smaller limits. */
#include "io/vt_io.h"
#include "config/config_brightness_internal.h"
#include "doc/vt_doc.h"
#include "config/config_internal.h"
#include "hours/vt_hours.h"
#include "config/vt_config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define CONFIG_FORMAT "vitrine-config/1"
#define CONFIG_MAX_BYTES (1024u * 1024u)

static const vt_ytree_limits config_limits = {CONFIG_MAX_BYTES, 16, 20000, "config"};

static const vt_field root_fields[] = {VT_FIELD_LATER("format"),
                                       VT_FIELD_LATER("energy"),
                                       VT_FIELD_LATER("schedule"),
                                       VT_FIELD_LATER("audio"),
                                       VT_FIELD_LATER("display_off_command"),
                                       VT_FIELD_LATER("display_on_command"),
                                       VT_FIELD_LATER("display"),
                                       VT_FIELD_LATER("osc"),
                                       VT_FIELD_LATER("metrics"),
                                       VT_FIELD_LATER("fallback_image"),
                                       VT_FIELD_LATER("proof_of_play"),
                                       VT_FIELD_LATER("projectors"),
                                       VT_FIELD_LATER("sync"),
                                       VT_FIELD_LATER("video"),
                                       VT_FIELD_LATER("outputs")};
static const vt_field energy_fields[] = {
    VT_FIELD_LATER("sensor"), VT_FIELD_LATER("budget_watts"), VT_FIELD_LATER("stale_after"),
    VT_FIELD_LATER("log"),    VT_FIELD_LATER("log_max_mb"),   VT_FIELD_LATER("covers")};
static const vt_table root_table = {root_fields, 15, NULL, "config"};
static const vt_table energy_table = {energy_fields, 6, NULL, "energy"};

/* The sensor words; those with an argument are written WORD:ARGUMENT. */
static const char *const sensor_words[] = {"auto", "rapl", "nvml", "hwmon", "file", "model", NULL};
#define SENSOR_LIST "auto, rapl, nvml, hwmon, hwmon:CHIP, file:/absolute/path, model"

static bool chip_name_ok(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '.';
        if (!ok) {
            return false;
        }
    }
    return len > 0;
}

/* The argument after "WORD:" of a known word. */
static bool sensor_argument(vt_vctx *c, const vt_ynode *v, const char *word, const char *arg,
                            size_t arg_len) {
    char shown[64];
    if (strcmp(word, "file") == 0) {
        if (arg[0] != '/') {
            vt_vctx_error(c, v, "file: needs an absolute path, like file:/run/power");
            return false;
        }
        if (arg_len >= PATH_MAX) {
            vt_vctx_error(c, v, "the path after file: is longer than %d bytes", PATH_MAX - 1);
            return false;
        }
        return true;
    }
    if (strcmp(word, "hwmon") == 0) {
        if (!chip_name_ok(arg, arg_len)) {
            vt_vctx_error(c, v,
                          "hwmon: needs a chip name of letters, digits, '_', '-' and '.', like "
                          "hwmon:amdgpu, got '%s'",
                          vt_yshow(arg, arg_len, shown, sizeof shown));
            return false;
        }
        return true;
    }
    vt_vctx_error(c, v, "sensor '%s' takes nothing after ':'; write 'sensor: %s'", word, word);
    return false;
}

static bool read_sensor(vt_vctx *c, const vt_ynode *v) {
    char shown[64];
    if (!vt_read_string(c, "sensor", v)) {
        return false;
    }
    const char *colon = memchr(v->text, ':', v->len);
    size_t word_len = colon ? (size_t)(colon - v->text) : v->len;
    for (size_t i = 0; sensor_words[i]; i++) {
        const char *word = sensor_words[i];
        if (word_len != strlen(word) || memcmp(v->text, word, word_len) != 0) {
            continue;
        }
        if (colon) {
            return sensor_argument(c, v, word, colon + 1, v->len - word_len - 1);
        }
        if (strcmp(word, "file") == 0) {
            vt_vctx_error(c, v, "file: needs an absolute path, like file:/run/power");
            return false;
        }
        return true;
    }
    char *name = vt_xstrndup(v->text, word_len);
    const char *near = vt_did_you_mean(name, sensor_words, 6);
    free(name);
    vt_yshow(v->text, v->len, shown, sizeof shown);
    if (near) {
        vt_vctx_error(c, v, "unknown sensor '%s'; did you mean '%s'?", shown, near);
    } else {
        vt_vctx_error(c, v, "unknown sensor '%s'; valid sensors: " SENSOR_LIST, shown);
    }
    return false;
}

/* `covers`: what the meter measures, in the operator's words; it goes into every ledger row, so
 * one line of printable text, short enough for the ledger's column (VT_CONFIG_COVERS_MAX). */
static void read_covers(vt_vctx *c, const vt_ynode *v, vt_config *cfg) {
    if (!vt_read_string(c, "covers", v)) {
        return;
    }
    if (v->len == 0 || v->len > VT_CONFIG_COVERS_MAX) {
        vt_vctx_error(c, v,
                      "'covers' must say in 1 to %d bytes what the sensor measures, like "
                      "\"smart plug: PC and screen\"",
                      VT_CONFIG_COVERS_MAX);
        return;
    }
    for (size_t i = 0; i < v->len; i++) {
        unsigned char ch = (unsigned char)v->text[i];
        if (ch < 0x20 || ch == 0x7F) {
            vt_vctx_error(c, v, "'covers' must be one line of text, without control characters");
            return;
        }
    }
    cfg->energy.covers = vt_xstrdup(v->text);
}

static void parse_energy(vt_vctx *c, const vt_ypair *pair, vt_config *cfg) {
    cfg->energy.line = pair->key->line;
    cfg->energy.col = pair->key->col;
    const vt_ynode *map = pair->value;
    if (vt_ynode_is_null(map)) {
        return;
    }
    if (map->kind != VT_YNODE_MAP) {
        vt_type_error(c, "energy", map, "a mapping",
                      "write 'sensor: auto' on the next line, indented");
        return;
    }
    snprintf(c->where, sizeof c->where, " in 'energy'");
    vt_table_apply(c, &energy_table, 1, map, NULL, NULL);
    const vt_ypair *sensor = vt_ymap_find(map, "sensor");
    if (sensor && read_sensor(c, sensor->value)) {
        cfg->energy.sensor = vt_xstrdup(sensor->value->text);
    }
    const vt_ypair *p = vt_ymap_find(map, "budget_watts");
    if (p) {
        cfg->energy.has_budget =
            vt_read_watts(c, "budget_watts", p->value, &cfg->energy.budget_watts);
    }
    /* auto may settle on a file sensor: only a sensor named otherwise makes the key useless. */
    p = vt_ymap_find(map, "stale_after");
    const char *s = cfg->energy.sensor;
    if (p && vt_read_number(c, "stale_after", p->value, 1, 3600, false, &cfg->energy.stale_after) &&
        s && strncmp(s, "file:", 5) != 0 && strcmp(s, "auto") != 0) {
        char shown[64];
        vt_vctx_warning(c, p->key,
                        "'stale_after' applies to a file: sensor only; it is ignored with "
                        "sensor '%s'",
                        vt_yshow(s, strlen(s), shown, sizeof shown));
    }
    p = vt_ymap_find(map, "covers");
    if (p) {
        read_covers(c, p->value, cfg);
    }
    vt_config_parse_log(c, map, cfg);
    c->where[0] = '\0';
}

/* ---- audio ---- */

/* OpenAL device names are short sentences ("OpenAL Soft on HDA Intel PCH"); a longer value is a
 * mistake, not a device. */
#define DEVICE_MAX_BYTES 1000

static const vt_field audio_fields[] = {VT_FIELD_LATER("enabled"), VT_FIELD_LATER("device"),
                                        VT_FIELD_LATER("buses")};
static const vt_table audio_table = {audio_fields, 3, NULL, "audio"};

static void read_device(vt_vctx *c, const vt_ynode *v, vt_config *cfg) {
    if (!vt_read_string(c, "device", v)) {
        return;
    }
    if (v->len > DEVICE_MAX_BYTES) {
        vt_vctx_error(c, v,
                      "'device' is longer than %d bytes; give an OpenAL device name, or leave "
                      "'device' out for the default device",
                      DEVICE_MAX_BYTES);
        return;
    }
    cfg->audio.device = vt_xstrdup(v->text);
}

static void read_audio_buses(vt_vctx *c, const vt_ynode *v, vt_config *cfg) {
    if (vt_ynode_is_null(v)) {
        return;
    }
    if (v->kind != VT_YNODE_MAP) {
        vt_type_error(c, "buses", v, "a mapping of bus names to levels",
                      "write it like {ambience: 0.5}");
        return;
    }
    cfg->audio.buses = vt_xcalloc(v->count, sizeof *cfg->audio.buses);
    for (size_t i = 0; i < v->count; i++) {
        const vt_ynode *key = v->pairs[i].key;
        vt_config_bus bus = {.line = key->line, .col = key->col};
        if (key->len >= 2 && memcmp(key->text, "x-", 2) == 0) {
            continue;
        }
        bool ok = vt_read_id(c, "buses", key, "bus name");
        ok = vt_read_number(c, key->text, v->pairs[i].value, 0, 1, false, &bus.level) && ok;
        if (ok) {
            bus.name = vt_xstrdup(key->text);
            cfg->audio.buses[cfg->audio.bus_count++] = bus;
        }
    }
}

static void parse_audio(vt_vctx *c, const vt_ypair *pair, vt_config *cfg) {
    cfg->audio.line = pair->key->line;
    cfg->audio.col = pair->key->col;
    const vt_ynode *map = pair->value;
    if (vt_ynode_is_null(map)) {
        return;
    }
    if (map->kind != VT_YNODE_MAP) {
        vt_type_error(c, "audio", map, "a mapping",
                      "write 'enabled: true' on the next line, indented");
        return;
    }
    snprintf(c->where, sizeof c->where, " in 'audio'");
    vt_table_apply(c, &audio_table, 1, map, NULL, NULL);
    const vt_ypair *p = vt_ymap_find(map, "enabled");
    bool enabled = true;
    vt_field f = {.key = "enabled", .offset = 0};
    if (p && vt_field_bool(c, &f, p->value, &enabled)) {
        cfg->audio.disabled = !enabled;
    }
    p = vt_ymap_find(map, "device");
    if (p) {
        read_device(c, p->value, cfg);
    }
    p = vt_ymap_find(map, "buses");
    if (p) {
        read_audio_buses(c, p->value, cfg);
    }
    c->where[0] = '\0';
}

/* ---- video: {hwaccel: auto | off} ---- */

static const char *const hwaccel_names[] = {"auto", "off", NULL};
static const vt_field video_fields[] = {{"hwaccel", vt_field_enum, 0, .names = hwaccel_names,
                                         .noun = "hwaccel", .allowed = VT_VARIANT_ALL}};
static const vt_table video_table = {video_fields, 1, NULL, "video"};

static void parse_video(vt_vctx *c, const vt_ypair *pair, vt_config *cfg) {
    const vt_ynode *map = pair->value;
    if (vt_ynode_is_null(map)) {
        return;
    }
    if (map->kind != VT_YNODE_MAP) {
        vt_type_error(c, "video", map, "a mapping", "write it like {hwaccel: off}");
        return;
    }
    snprintf(c->where, sizeof c->where, " in 'video'");
    int hw = 0;
    vt_table_apply(c, &video_table, 1, map, &hw, NULL);
    cfg->video.hwaccel_off = hw == 1;
    c->where[0] = '\0';
}

static bool read_format(vt_vctx *c, const vt_ynode *v) {
    char shown[64];
    if (!vt_read_string(c, "format", v)) {
        return false;
    }
    if (!vt_ynode_is(v, CONFIG_FORMAT)) {
        vt_vctx_error(c, v, "unsupported format '%s'; this version of Vitrine reads " CONFIG_FORMAT,
                      vt_yshow(v->text, v->len, shown, sizeof shown));
        return false;
    }
    return true;
}

static void parse_root(vt_vctx *c, const vt_ynode *root, vt_config *cfg) {
    if (!root || vt_ynode_is_null(root)) {
        return; /* an empty file (or document): every default */
    }
    if (root->kind != VT_YNODE_MAP) {
        vt_vctx_error(c, root, "a config must be a mapping of keys like 'energy:', not %s",
                      vt_ynode_describe(root));
        return;
    }
    const vt_ypair *format = vt_ymap_find(root, "format");
    if (format && !read_format(c, format->value)) {
        return; /* another format's keys would only add noise */
    }
    vt_table_apply(c, &root_table, 1, root, NULL, NULL);
    const vt_ypair *energy = vt_ymap_find(root, "energy");
    if (energy) {
        parse_energy(c, energy, cfg);
    }
    const vt_ypair *schedule = vt_ymap_find(root, "schedule");
    if (schedule) {
        vt_schedule_parse(c, schedule, &cfg->schedule);
    }
    const vt_ypair *audio = vt_ymap_find(root, "audio");
    if (audio) {
        parse_audio(c, audio, cfg);
    }
    vt_config_parse_commands(c, root, cfg);
    const vt_ypair *display = vt_ymap_find(root, "display");
    if (display) {
        vt_config_parse_brightness(c, display, cfg);
    }
    const vt_ypair *osc = vt_ymap_find(root, "osc");
    if (osc) {
        vt_config_parse_osc(c, osc, cfg);
    }
    const vt_ypair *metrics = vt_ymap_find(root, "metrics");
    if (metrics) {
        vt_config_parse_metrics(c, metrics->value, cfg);
    }
    vt_config_parse_ops(c, root, cfg);
    const vt_ypair *sync = vt_ymap_find(root, "sync");
    if (sync) {
        vt_config_parse_sync(c, sync, cfg);
    }
    const vt_ypair *video = vt_ymap_find(root, "video");
    if (video) {
        parse_video(c, video, cfg);
    }
    const vt_ypair *outputs = vt_ymap_find(root, "outputs");
    if (outputs) {
        vt_outputs_parse(c, outputs, &cfg->outputs);
    }
}

/* ---- public ---- */

vt_status vt_config_load_string(const char *text, size_t len, const char *path, vt_config *out,
                                vt_diags *diags) {
    *out = (vt_config){0};
    size_t errors_before = diags->errors;
    vt_ynode *root = NULL;
    bool fatal = false;
    vt_ytree_parse(text ? text : "", text ? len : 0, path, &config_limits, &root, &fatal, diags);
    if (!fatal) {
        char *dir = vt_path_dirname(path); /* meshes resolve against the config's folder */
        vt_vctx c = {.path = path, .dir = dir, .diags = diags};
        parse_root(&c, root, out);
        free(dir);
    }
    vt_ytree_free(root);
    vt_diags_sort(diags);
    if (fatal || diags->errors > errors_before) {
        vt_config_free(out);
        return VT_E_DATAERR;
    }
    out->path = vt_xstrdup(path);
    return VT_OK;
}

vt_status vt_config_load(const char *path, vt_config *out, vt_diags *diags) {
    *out = (vt_config){0};
    char *text = NULL;
    size_t len = 0;
    vt_status st = vt_ytree_read_file(path, &config_limits, &text, &len, diags);
    if (st != VT_OK) {
        return st;
    }
    st = vt_config_load_string(text, len, path, out, diags);
    free(text);
    return st;
}

void vt_config_free(vt_config *c) {
    if (!c) {
        return;
    }
    free(c->path);
    free(c->energy.sensor);
    free(c->energy.covers);
    free(c->audio.device);
    for (size_t i = 0; i < c->audio.bus_count; i++) {
        free(c->audio.buses[i].name);
    }
    free(c->audio.buses);
    vt_config_free_extra(c);
    vt_config_free_osc(c);
    vt_config_free_ops(c);
    vt_config_free_sync(c);
    free(c->brightness.backlight);
    vt_outputs_free(&c->outputs);
    *c = (vt_config){0};
}

double vt_config_bus_level(const vt_config *c, const char *name) {
    for (size_t i = 0; c && name && i < c->audio.bus_count; i++) {
        if (strcmp(c->audio.buses[i].name, name) == 0) {
            return c->audio.buses[i].level;
        }
    }
    return 1.0;
}
