/* Remote control: OSC messages under /vitrine/ turned into the play loop's commands, checked
 * against the running scene (ids, states, languages, values as the scene file writes them),
 * and the status reply. A refused command says why; nothing here touches the show. */
#include "app/remote_internal.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PREFIX "/vitrine/"

static vt_remote_kind refuse(vt_remote_cmd *out, const vt_osc_msg *m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static vt_remote_kind refuse(vt_remote_cmd *out, const vt_osc_msg *m, const char *fmt, ...) {
    int n = snprintf(out->error, sizeof out->error, "%s: ", m->address);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < sizeof out->error) {
        vsnprintf(out->error + n, sizeof out->error - (size_t)n, fmt, ap);
    }
    va_end(ap);
    out->kind = VT_REMOTE_REFUSED;
    return out->kind;
}

static bool is_text(const vt_osc_arg *a) {
    return a->type == 's' || a->type == 'S';
}

static bool is_number(const vt_osc_arg *a) {
    return a->type == 'i' || a->type == 'h' || a->type == 'f' || a->type == 'd';
}

/* A timeline's or a sound's index by id. */
static bool playable(const vt_scene *sc, const char *id, uint32_t *out, bool *sound) {
    for (size_t i = 0; i < sc->timeline_count; i++) {
        if (strcmp(sc->timelines[i].id, id) == 0) {
            *out = (uint32_t)i;
            *sound = false;
            return true;
        }
    }
    for (size_t i = 0; i < sc->sound_count; i++) {
        if (strcmp(sc->sounds[i].id, id) == 0) {
            *out = (uint32_t)i;
            *sound = true;
            return true;
        }
    }
    return false;
}

/* play, stop, pause, resume, seek: ID [SECONDS] (seek needs it; play restarts there). */
static vt_remote_kind timeline_cmd(const vt_scene *sc, const vt_osc_msg *m, vt_action_kind kind,
                                   vt_remote_cmd *out) {
    bool seek = kind == VT_DO_SEEK, play = kind == VT_DO_PLAY;
    size_t want = seek ? 2 : 1;
    if (m->argc < 1 || !is_text(&m->args[0]) || m->argc > (play ? 2 : want) ||
        (m->argc == 2 && !is_number(&m->args[1])) || m->argc < want) {
        return refuse(out, m, "give %s",
                      seek   ? "a timeline or sound id and seconds (s f)"
                      : play ? "a timeline or sound id, and seconds to restart "
                               "at if you want (s [f])"
                             : "a timeline or sound id (s)");
    }
    vt_action *a = &out->action;
    *a = (vt_action){.kind = kind};
    if (!playable(sc, m->args[0].s, &a->target, &a->sound)) {
        return refuse(out, m, "no timeline or sound '%.64s' in the scene", m->args[0].s);
    }
    if (m->argc == 2) {
        double s = m->args[1].f;
        if (!isfinite(s) || s < 0 || s > 1e7) {
            return refuse(out, m, "seconds must be from 0 to 10000000, got %g", s);
        }
        a->has_at = true;
        a->at = vt_ticks_from_seconds(s);
    }
    out->kind = VT_REMOTE_ACTION;
    return out->kind;
}

static vt_remote_kind state_cmd(const vt_scene *sc, const vt_osc_msg *m, vt_remote_cmd *out) {
    if (m->argc != 1 || !is_text(&m->args[0])) {
        return refuse(out, m, "give a state's name (s)");
    }
    for (size_t i = 0; i < sc->states.count; i++) {
        if (strcmp(sc->states.names[i], m->args[0].s) == 0) {
            out->action = (vt_action){.kind = VT_DO_STATE, .target = (uint32_t)i};
            out->kind = VT_REMOTE_ACTION;
            return out->kind;
        }
    }
    return refuse(out, m, "no state '%.64s' in the scene", m->args[0].s);
}

static vt_remote_kind language_cmd(const vt_scene *sc, const vt_osc_msg *m, vt_remote_cmd *out) {
    if (m->argc != 1 || !is_text(&m->args[0])) {
        return refuse(out, m, "give a language code (s), like fr");
    }
    for (size_t i = 0; i < sc->language_count; i++) {
        if (strcmp(sc->languages[i], m->args[0].s) == 0) {
            out->action = (vt_action){.kind = VT_DO_LANGUAGE, .target = (uint32_t)i};
            out->kind = VT_REMOTE_ACTION;
            return out->kind;
        }
    }
    return refuse(out, m, "the scene has no text in language '%.32s'", m->args[0].s);
}

/* One argument as YAML text: numbers as numbers, strings quoted (so '#ff8800' is not a
 * comment), booleans as words. False for what a scene value cannot be. */
static bool yaml_of(const vt_osc_arg *a, char *out, size_t cap) {
    switch (a->type) {
    case 'i':
    case 'h':
        return snprintf(out, cap, "%lld", (long long)a->i) < (int)cap;
    case 'f':
    case 'd':
        return isfinite(a->f) && snprintf(out, cap, "%.17g", a->f) < (int)cap;
    case 'T':
    case 'F':
        return snprintf(out, cap, "%s", a->type == 'T' ? "true" : "false") < (int)cap;
    case 's':
    case 'S': {
        size_t n = 0;
        out[n++] = '\'';
        for (size_t i = 0; i < a->len; i++) {
            unsigned char ch = (unsigned char)a->s[i];
            if (ch < 0x20 || ch == 0x7F || n + 3 >= cap) {
                return false;
            }
            if (ch == '\'') {
                out[n++] = '\'';
            }
            out[n++] = (char)ch;
        }
        out[n++] = '\'';
        out[n] = '\0';
        return true;
    }
    default:
        return false;
    }
}

static vt_remote_kind set_cmd(const vt_scene *sc, const vt_osc_msg *m, vt_remote_cmd *out) {
    if (m->argc < 2 || m->argc > 5 || !is_text(&m->args[0])) {
        return refuse(out, m, "give LAYER.PROPERTY and its value (s, then 1 to 4 values)");
    }
    char yaml[512] = "", one[160];
    size_t n = 0;
    bool list = m->argc > 2;
    for (size_t i = 1; i < m->argc; i++) {
        if (!yaml_of(&m->args[i], one, sizeof one)) {
            return refuse(out, m, "argument %zu ('%c') is not a value a scene can hold", i + 1,
                          m->args[i].type);
        }
        n += (size_t)snprintf(yaml + n, sizeof yaml - n, "%s%s", i == 1 ? (list ? "[" : "") : ", ",
                              one);
    }
    if (list) {
        snprintf(yaml + n, sizeof yaml - n, "]");
    }
    vt_error err = {0};
    if (vt_scene_set_action(sc, m->args[0].s, yaml, &out->action, &err) != VT_OK) {
        return refuse(out, m, "%s", err.message);
    }
    out->kind = VT_REMOTE_ACTION;
    return out->kind;
}

static vt_remote_kind no_args(const vt_osc_msg *m, vt_remote_kind kind, vt_remote_cmd *out) {
    if (m->argc != 0) {
        return refuse(out, m, "takes no argument");
    }
    out->kind = kind;
    return kind;
}

vt_remote_kind vt_remote_decode(const vt_scene *sc, const vt_osc_msg *m, vt_remote_cmd *out) {
    *out = (vt_remote_cmd){.kind = VT_REMOTE_FOREIGN};
    if (strncmp(m->address, PREFIX, strlen(PREFIX)) != 0) {
        return out->kind;
    }
    const char *cmd = m->address + strlen(PREFIX);
    static const struct {
        const char *name;
        vt_action_kind kind;
    } timeline_cmds[] = {{"play", VT_DO_PLAY},
                         {"stop", VT_DO_STOP},
                         {"pause", VT_DO_PAUSE},
                         {"resume", VT_DO_RESUME},
                         {"seek", VT_DO_SEEK}};
    for (size_t i = 0; i < sizeof timeline_cmds / sizeof timeline_cmds[0]; i++) {
        if (strcmp(cmd, timeline_cmds[i].name) == 0) {
            return timeline_cmd(sc, m, timeline_cmds[i].kind, out);
        }
    }
    if (strcmp(cmd, "state") == 0) {
        return state_cmd(sc, m, out);
    }
    if (strcmp(cmd, "set") == 0) {
        return set_cmd(sc, m, out);
    }
    if (strcmp(cmd, "language") == 0) {
        return language_cmd(sc, m, out);
    }
    if (strcmp(cmd, "budget") == 0) {
        if (m->argc != 1 || !is_number(&m->args[0]) || !(m->args[0].f >= 0) ||
            m->args[0].f > 100000) {
            return refuse(out, m,
                          "give watts from 0.1 to 100000, or 0 for the configured "
                          "budget (f)");
        }
        out->watts = m->args[0].f;
        out->kind = VT_REMOTE_BUDGET;
        return out->kind;
    }
    if (strcmp(cmd, "reload") == 0) {
        return no_args(m, VT_REMOTE_RELOAD, out);
    }
    if (strcmp(cmd, "input") == 0) {
        out->kind = VT_REMOTE_INPUT; /* arguments (a sensor's level, a door's 1) are ignored */
        return out->kind;
    }
    if (strcmp(cmd, "status") == 0) {
        return no_args(m, VT_REMOTE_STATUS, out);
    }
    return refuse(out, m,
                  "unknown command; Vitrine takes play, stop, pause, resume, seek, state, set, "
                  "language, budget, reload, input and status");
}

/* ---- status ---- */

static json_t *number(double v) {
    return isfinite(v) ? json_real(v) : json_null();
}

/* A string, or null when it is not UTF-8 (a path or an error quoting a sender's bytes). */
static json_t *text(const char *s) {
    json_t *j = s ? json_string(s) : NULL;
    return j ? j : json_null();
}

/* A projector's status: power as a word, lamp hours, ERST's six fields, the latest problem. */
static json_t *projector_json(const vt_pjlink_status *ps) {
    static const char *const powers[] = {"off", "on", "cooling", "warming"};
    static const char *const parts[] = {"fan", "lamp", "temperature", "cover", "filter", "other"};
    static const char *const levels[] = {"ok", "warning", "error"};
    json_t *o = json_object();
    json_object_set_new(o, "address", text(ps->address));
    json_object_set_new(o, "port", json_integer(ps->port));
    json_object_set_new(o, "answered", json_boolean(ps->answered));
    json_object_set_new(o, "power",
                        ps->power >= 0 && ps->power <= 3 ? json_string(powers[ps->power])
                                                         : json_string("unknown"));
    json_object_set_new(o, "asked",
                        ps->want == 1   ? json_string("on")
                        : ps->want == 0 ? json_string("off")
                                        : json_null());
    json_t *lamps = json_array();
    for (int i = 0; i < ps->lamp_count && i < VT_PJLINK_LAMPS; i++) {
        json_array_append_new(lamps, json_integer(ps->lamp_hours[i]));
    }
    json_object_set_new(o, "lamp_hours", lamps);
    json_t *errors = json_null();
    if (strlen(ps->errors) == 6) {
        errors = json_object();
        for (int i = 0; i < 6; i++) {
            int v = ps->errors[i] - '0';
            json_object_set_new(errors, parts[i], json_string(levels[v >= 0 && v <= 2 ? v : 2]));
        }
    }
    json_object_set_new(o, "errors", errors);
    json_object_set_new(o, "problem", ps->problem[0] ? text(ps->problem) : json_null());
    json_object_set_new(o, "failures", json_integer(ps->failures));
    return o;
}

char *vt_remote_status_json(const vt_remote_status *st) {
    json_t *o = json_object();
    json_object_set_new(o, "scene", text(st->scene));
    json_object_set_new(o, "state", text(st->state));
    json_object_set_new(o, "target_fps", json_integer(st->target_fps));
    json_object_set_new(o, "fps", number(st->fps));
    json_object_set_new(o, "scale", number(st->scale));
    json_object_set_new(o, "power_w", number(st->power_w));
    json_object_set_new(o, "energy_j", number(st->energy_j));
    json_object_set_new(o, "energy_wh_today", number(st->energy_wh_today));
    json_object_set_new(o, "uptime_s", number(st->uptime_s));
    json_object_set_new(o, "last_error", text(st->last_error));
    json_t *osc = json_object();
    json_object_set_new(osc, "messages", json_integer((json_int_t)st->osc.messages));
    json_object_set_new(osc, "malformed", json_integer((json_int_t)st->osc.malformed));
    json_object_set_new(osc, "oversized", json_integer((json_int_t)st->osc.oversized));
    json_object_set_new(osc, "denied", json_integer((json_int_t)st->osc.denied));
    json_object_set_new(osc, "limited", json_integer((json_int_t)st->osc.limited));
    json_object_set_new(osc, "overflow", json_integer((json_int_t)st->osc.overflow));
    json_object_set_new(o, "osc", osc);
    json_t *outputs = json_array();
    for (size_t i = 0; i < st->output_count; i++) {
        const vt_remote_output *ro = &st->outputs[i];
        json_t *out = json_object();
        json_object_set_new(out, "id", text(ro->id));
        json_object_set_new(out, "display",
                            ro->display_name ? text(ro->display_name) : json_integer(ro->display));
        json_object_set_new(out, "display_present", json_boolean(ro->present));
        json_object_set_new(out, "open", json_boolean(ro->open));
        json_object_set_new(out, "size", json_pack("[ii]", ro->width, ro->height));
        json_array_append_new(outputs, out);
    }
    json_object_set_new(o, "outputs", outputs);
    json_t *projectors = json_array();
    for (size_t i = 0; i < st->projector_count; i++) {
        json_array_append_new(projectors, projector_json(&st->projectors[i]));
    }
    json_object_set_new(o, "projectors", projectors);
    char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    json_decref(o);
    return text;
}

size_t vt_remote_status_reply(const char *json, uint8_t *out, size_t cap) {
    vt_osc_arg a = {.type = 's', .s = json, .len = strlen(json)};
    return vt_osc_encode(out, cap, "/vitrine/reply/status", &a, 1);
}
