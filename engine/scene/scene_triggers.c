/* Interaction (format vitrine/1): the `states` mapping (attract, active and the scene's own) and
 * the `triggers` sequence: one event (`when`) and the actions it runs (`do`). */
#include "scene/scene_internal.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define NEEDED(name)                                                                               \
    { name, vt_field_later, 0, .allowed = VT_VARIANT_ALL, .required = VT_VARIANT_ALL }

static bool is_x_key(const vt_ynode *key) {
    return key->len >= 2 && memcmp(key->text, "x-", 2) == 0;
}

/* ---- states ---- */

static const vt_field state_fields[] = {VT_FIELD_LATER("initial"),
                                        VT_FIELD_LATER("idle_after"),
                                        {"idle_during_playback", vt_field_bool,
                                         offsetof(vt_states, idle_during_playback),
                                         .allowed = VT_VARIANT_ALL},
                                        VT_FIELD_LATER("custom")};
static const vt_table state_table = {state_fields, 4, NULL, "states"};

static bool builtin_state(const vt_ynode *v) {
    return vt_ynode_is(v, "attract") || vt_ynode_is(v, "active");
}

/* Is the same name written earlier in the list (and so already accepted or reported)? */
static const vt_ynode *earlier_same(const vt_ynode *list, size_t i) {
    const vt_ynode *v = list->items[i];
    for (size_t j = 0; j < i; j++) {
        const vt_ynode *o = list->items[j];
        if (o->kind == VT_YNODE_SCALAR && o->len == v->len &&
            memcmp(o->text, v->text, v->len) == 0) {
            return o;
        }
    }
    return NULL;
}

static void parse_custom(vt_vctx *c, const vt_ynode *v) {
    vt_states *st = &vt_sread(c)->scene->states;
    char shown[64];
    for (size_t i = 0; i < v->count; i++) {
        const vt_ynode *item = v->items[i];
        if (!vt_read_id(c, "custom", item, "state name")) {
            continue;
        }
        vt_yshow(item->text, item->len, shown, sizeof shown);
        const vt_ynode *first = earlier_same(v, i);
        if (builtin_state(item)) {
            vt_vctx_error(c, item,
                          "'%s' is a built-in state; 'custom' lists the scene's own "
                          "states, besides attract and active",
                          shown);
        } else if (first) {
            vt_vctx_error(c, item,
                          "duplicate state '%s' (first at line %d, column %d); remove "
                          "one of them",
                          shown, first->line, first->col);
        } else {
            st->names[st->count++] = vt_xstrdup(item->text);
        }
    }
}

static void states_defaults(vt_states *st, size_t custom) {
    st->names = vt_xcalloc(2 + custom, sizeof *st->names);
    st->names[VT_STATE_ATTRACT] = vt_xstrdup("attract");
    st->names[VT_STATE_ACTIVE] = vt_xstrdup("active");
    st->count = 2;
    st->initial = VT_STATE_ATTRACT;
    st->idle_after = vt_ticks_from_seconds(60);
}

void vt_states_parse(vt_vctx *c) {
    const vt_ynode *map = vt_sread(c)->states;
    vt_states *st = &vt_sread(c)->scene->states;
    bool is_map = map && map->kind == VT_YNODE_MAP;
    const vt_ypair *custom = is_map ? vt_ymap_find(map, "custom") : NULL;
    bool custom_seq = custom && custom->value->kind == VT_YNODE_SEQ;
    states_defaults(st, custom_seq ? custom->value->count : 0);
    if (!map || vt_ynode_is_null(map)) {
        return;
    }
    if (!is_map) {
        vt_type_error(c, "states", map, "a mapping",
                      "write 'initial: attract' on the next line, indented");
        return;
    }
    snprintf(c->where, sizeof c->where, " in 'states'");
    vt_table_apply(c, &state_table, 1, map, st, NULL);
    if (custom_seq) {
        parse_custom(c, custom->value);
    } else if (custom && !vt_ynode_is_null(custom->value)) {
        vt_type_error(c, "custom", custom->value, "a sequence of state names",
                      "write them like [quiz, credits]");
    }
    const vt_ypair *initial = vt_ymap_find(map, "initial");
    if (initial && vt_read_string(c, "initial", initial->value)) {
        vt_ref_state(c, initial->value, initial->value->text, &st->initial);
    }
    const vt_ypair *idle = vt_ymap_find(map, "idle_after");
    if (idle) {
        vt_read_seconds(c, "idle_after", idle->value, 0, VT_SCENE_MAX_SECONDS, &st->idle_after);
    }
    c->where[0] = '\0';
}

/* ---- when ---- */

static const vt_field when_fields[] = {
    VT_FIELD_LATER("key"),   VT_FIELD_LATER("touch"), VT_FIELD_LATER("click"),
    VT_FIELD_LATER("enter"), VT_FIELD_LATER("leave"), VT_FIELD_LATER("timeline_end"),
    VT_FIELD_LATER("idle"),  VT_FIELD_LATER("start"), VT_FIELD_LATER("osc"),
    VT_FIELD_LATER("swipe"), VT_FIELD_LATER("on"),
};
static const vt_when_kind when_kinds[] = {
    VT_WHEN_KEY,          VT_WHEN_TOUCH, VT_WHEN_TOUCH, VT_WHEN_ENTER, VT_WHEN_LEAVE,
    VT_WHEN_TIMELINE_END, VT_WHEN_IDLE,  VT_WHEN_START, VT_WHEN_OSC,   VT_WHEN_SWIPE,
};
#define WHEN_ON 10 /* `on`: where a swipe starts; not an event */
#define WHEN_COUNT (sizeof when_fields / sizeof *when_fields)
static const vt_table when_table = {when_fields, WHEN_COUNT, NULL, "'when'"};

static bool when_key(vt_vctx *c, const vt_ynode *v, vt_when *w) {
    char shown[64];
    if (!vt_read_string(c, "key", v)) {
        return false;
    }
    if (v->len >= sizeof w->name) {
        vt_vctx_error(c, v,
                      "key name '%s' is too long (at most %zu characters); write a key "
                      "name like space, return or a",
                      vt_yshow(v->text, v->len, shown, sizeof shown), sizeof w->name - 1);
        return false;
    }
    /* Input events carry lower-case key names; the scene may write Space or space. */
    for (size_t i = 0; i <= v->len; i++) {
        w->name[i] = (char)tolower((unsigned char)v->text[i]);
    }
    return true;
}

static bool when_touch(vt_vctx *c, const vt_ynode *key, const vt_ynode *v, vt_when *w) {
    if (!vt_read_string(c, key->text, v)) {
        return false;
    }
    if (vt_ynode_is(v, "anywhere")) {
        w->index = VT_WHEN_ANYWHERE;
        const vt_scene *sc = vt_sread(c)->scene;
        for (size_t i = 0; i < sc->layer_count; i++) {
            if (sc->layers[i].id && strcmp(sc->layers[i].id, "anywhere") == 0) {
                vt_vctx_warning(c, v,
                                "'%s: anywhere' fires on a touch anywhere on the screen, not "
                                "only on layer 'anywhere'; rename that layer to touch it alone",
                                key->text);
                break;
            }
        }
        return true;
    }
    if (!vt_ref_layer(c, v, v->text, "", &w->index)) {
        return false;
    }
    const vt_layer *layer = &vt_sread(c)->scene->layers[w->index];
    if (!layer->hit) {
        char shown[64];
        vt_vctx_warning(c, v,
                        "layer '%s' has 'hit: false', so touching it never fires this "
                        "trigger; remove 'hit: false' from the layer",
                        vt_yshow(v->text, v->len, shown, sizeof shown));
    }
    return true;
}

static bool when_timeline_end(vt_vctx *c, const vt_ynode *v, vt_when *w) {
    if (!vt_read_string(c, "timeline_end", v) || !vt_ref_timeline(c, v, v->text, &w->index)) {
        return false;
    }
    if (vt_sread(c)->scene->timelines[w->index].plays == 0) {
        char shown[64];
        vt_vctx_warning(c, v,
                        "timeline '%s' loops forever, so it never ends and this trigger "
                        "never fires; give its 'loop' a number of plays",
                        vt_yshow(v->text, v->len, shown, sizeof shown));
    }
    return true;
}

/* An OSC address a show controller sends: '/', then printable ASCII without spaces, short
 * enough to keep; /vitrine/ is Vitrine's own commands, never a trigger's. */
static bool when_osc(vt_vctx *c, const vt_ynode *v, vt_when *w) {
    char shown[64];
    if (!vt_read_string(c, "osc", v)) {
        return false;
    }
    bool ok = v->len > 1 && v->text[0] == '/' && v->len < sizeof w->name;
    for (size_t i = 0; ok && i < v->len; i++) {
        ok = (unsigned char)v->text[i] > 0x20 && (unsigned char)v->text[i] < 0x7F &&
             !strchr("#*,?[]{}", v->text[i]);
    }
    if (!ok) {
        vt_vctx_error(c, v,
                      "'%s' is not an OSC address; write '/' and up to %zu letters, digits or "
                      "'/-_.', like /room/door",
                      vt_yshow(v->text, v->len, shown, sizeof shown), sizeof w->name - 2);
        return false;
    }
    if (strncmp(v->text, "/vitrine/", 9) == 0) {
        vt_vctx_error(c, v,
                      "addresses under /vitrine/ are Vitrine's own commands; give the trigger "
                      "an address of your own, like /room/door");
        return false;
    }
    memcpy(w->name, v->text, v->len + 1);
    return true;
}

/* `swipe: left` (right, up, down), with `on: LAYER` where the finger lands, else anywhere. */
static bool when_swipe(vt_vctx *c, const vt_ynode *v, const vt_ypair *on, vt_when *w) {
    static const char *const dirs[] = {"left", "right", "up", "down"};
    if (!vt_read_string(c, "swipe", v)) {
        return false;
    }
    bool ok = false;
    for (size_t i = 0; i < 4 && !ok; i++) {
        ok = vt_ynode_is(v, dirs[i]);
    }
    if (!ok) {
        char shown[64];
        vt_yshow(v->text, v->len, shown, sizeof shown);
        const char *near = vt_did_you_mean(shown, dirs, 4);
        vt_vctx_error(c, v, "'swipe' must be left, right, up or down, not '%s'%s%s%s", shown,
                      near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
        return false;
    }
    memcpy(w->name, v->text, v->len + 1);
    w->index = VT_WHEN_ANYWHERE;
    if (on && vt_read_string(c, "on", on->value)) {
        return vt_ref_layer(c, on->value, on->value->text, "", &w->index);
    }
    return on == NULL;
}

static bool when_event(vt_vctx *c, const vt_ypair *p, vt_when *w) {
    const vt_ynode *v = p->value;
    switch (w->kind) {
    case VT_WHEN_KEY:
        return when_key(c, v, w);
    case VT_WHEN_TOUCH:
        return when_touch(c, p->key, v, w);
    case VT_WHEN_ENTER:
    case VT_WHEN_LEAVE:
        return vt_read_string(c, p->key->text, v) && vt_ref_state(c, v, v->text, &w->index);
    case VT_WHEN_TIMELINE_END:
        return when_timeline_end(c, v, w);
    case VT_WHEN_IDLE:
        return vt_read_span(c, "idle", v, &w->idle);
    case VT_WHEN_OSC:
        return when_osc(c, v, w);
    case VT_WHEN_SWIPE:
        return false; /* parse_when reads it, with its `on` */
    case VT_WHEN_START:
        if (v->kind == VT_YNODE_SCALAR && v->plain && vt_ynode_is(v, "true")) {
            return true;
        }
        vt_type_error(c, "start", v, "true",
                      "write 'start: true': the trigger fires when the "
                      "scene starts");
        return false;
    }
    return false;
}

static int when_index(const vt_ynode *key) {
    for (size_t i = 0; i < WHEN_ON; i++) {
        if (vt_ynode_is(key, when_fields[i].key)) {
            return (int)i;
        }
    }
    return -1;
}

static void parse_when(vt_vctx *c, const vt_ynode *v, vt_when *w) {
    if (v->kind != VT_YNODE_MAP) {
        vt_type_error(c, "when", v, "a mapping", "write one event, like {key: space}");
        return;
    }
    vt_table_apply(c, &when_table, 1, v, w, NULL);
    const vt_ypair *event = NULL;
    size_t written = 0;
    for (size_t i = 0; i < v->count; i++) {
        const vt_ypair *p = &v->pairs[i];
        written += !is_x_key(p->key);
        int idx = when_index(p->key);
        if (idx < 0) {
            continue;
        }
        if (event) {
            vt_vctx_error(c, p->key,
                          "'when' holds two events, '%s' and '%s'; a trigger waits "
                          "for one (write another trigger for the other)",
                          event->key->text, when_fields[idx].key);
            continue;
        }
        event = p;
        w->kind = when_kinds[idx];
    }
    const vt_ypair *on = vt_ymap_find(v, "on");
    if (event && w->kind == VT_WHEN_SWIPE) {
        when_swipe(c, event->value, on, w);
    } else if (event) {
        when_event(c, event, w);
    } else if (written == 0 || (written == 1 && on)) {
        vt_vctx_error(c, v,
                      "'when' needs one event: key, touch, click, swipe, enter, leave, "
                      "timeline_end, idle or start");
    }
    if (on && event && w->kind != VT_WHEN_SWIPE) {
        vt_vctx_error(c, on->key,
                      "'on' goes with 'swipe' (where the finger lands), like {swipe: left, on: "
                      "slides}; a '%s' trigger has no 'on'",
                      event->key->text);
    }
}

/* ---- actions ---- */

static const vt_field do_fields[] = {
    VT_FIELD_LATER("play"),   VT_FIELD_LATER("stop"), VT_FIELD_LATER("pause"),
    VT_FIELD_LATER("resume"), VT_FIELD_LATER("seek"), VT_FIELD_LATER("state"),
    VT_FIELD_LATER("set"),    VT_FIELD_LATER("from"), VT_FIELD_LATER("language"),
};
enum { DO_FROM = 7, DO_LANGUAGE = 8, DO_COUNT = 9 };
static const vt_table do_table = {do_fields, DO_COUNT, NULL, "action"};

static vt_action *push_action(vt_trigger *t, size_t *cap, vt_action_kind kind, const vt_ynode *at) {
    VT_GROW(t->actions, t->action_count, *cap, 4);
    vt_action *a = &t->actions[t->action_count++];
    *a = (vt_action){.kind = kind, .line = at->line, .col = at->col};
    return a;
}

/* A mapping that holds one entry or more (seek, set): reported when it does not. */
static bool pairs_of(vt_vctx *c, const char *key, const vt_ynode *v, const char *example) {
    if (v->kind == VT_YNODE_MAP && v->count > 0) {
        return true;
    }
    if (v->kind == VT_YNODE_MAP) {
        vt_vctx_error(c, v, "'%s' is empty; write it like %s", key, example);
    } else {
        char fix[96];
        snprintf(fix, sizeof fix, "write it like %s", example);
        vt_type_error(c, key, v, "a mapping", fix);
    }
    return false;
}

static void action_seek(vt_vctx *c, const vt_ynode *v, vt_trigger *t, size_t *cap) {
    if (!pairs_of(c, "seek", v, "{intro: 0} (timeline: seconds)")) {
        return;
    }
    for (size_t i = 0; i < v->count; i++) {
        const vt_ynode *key = v->pairs[i].key;
        uint32_t tl;
        vt_ticks at;
        bool sound;
        if (!vt_ref_playable(c, key, key->text, &tl, &sound)) {
            continue;
        }
        /* A sound's offset has no known end here: only the timeline bound applies. */
        if (vt_read_time_in(c, "seek", v->pairs[i].value,
                            sound ? NULL : &vt_sread(c)->scene->timelines[tl], &at)) {
            vt_action *a = push_action(t, cap, VT_DO_SEEK, key);
            a->target = tl;
            a->sound = sound;
            a->has_at = true;
            a->at = at;
        }
    }
}

static void action_set(vt_vctx *c, const vt_ynode *v, vt_trigger *t, size_t *cap) {
    if (!pairs_of(c, "set", v, "{title.opacity: 0}")) {
        return;
    }
    for (size_t i = 0; i < v->count; i++) {
        const vt_ynode *key = v->pairs[i].key;
        uint32_t layer;
        vt_prop prop;
        double value[4];
        char label[64];
        if (!vt_target_parse(c, key, &layer, &prop)) {
            continue;
        }
        vt_yshow(key->text, key->len, label, sizeof label);
        if (vt_prop_value(c, v->pairs[i].value, layer, prop, label, true, value)) {
            vt_action *a = push_action(t, cap, VT_DO_SET, key);
            a->target = layer;
            a->prop = prop;
            memcpy(a->v, value, sizeof value);
        }
    }
}

/* play, stop, pause, resume: a timeline or a sound; play may restart `from` a time. */
static void action_timeline(vt_vctx *c, const vt_ypair *p, vt_action_kind kind,
                            const vt_ypair *from, vt_trigger *t, size_t *cap) {
    uint32_t tl;
    vt_ticks at = 0;
    bool sound;
    if (!vt_read_string(c, p->key->text, p->value) ||
        !vt_ref_playable(c, p->value, p->value->text, &tl, &sound)) {
        return;
    }
    if (from && !vt_read_time_in(c, "from", from->value,
                                 sound ? NULL : &vt_sread(c)->scene->timelines[tl], &at)) {
        return;
    }
    vt_action *a = push_action(t, cap, kind, p->key);
    a->target = tl;
    a->sound = sound;
    a->has_at = from != NULL;
    a->at = at;
}

static void action_run(vt_vctx *c, const vt_ypair *p, int idx, const vt_ypair *from, vt_trigger *t,
                       size_t *cap) {
    static const vt_action_kind kinds[] = {VT_DO_PLAY, VT_DO_STOP, VT_DO_PAUSE, VT_DO_RESUME};
    uint32_t target; /* a state or a language */
    if (idx < 4) {
        action_timeline(c, p, kinds[idx], from, t, cap);
    } else if (idx == 4) {
        action_seek(c, p->value, t, cap);
    } else if (idx == 5) {
        if (vt_read_string(c, "state", p->value) &&
            vt_ref_state(c, p->value, p->value->text, &target)) {
            push_action(t, cap, VT_DO_STATE, p->key)->target = target;
        }
    } else if (idx == DO_LANGUAGE) {
        if (vt_read_string(c, "language", p->value) &&
            vt_ref_language(c, p->value, p->value->text, &target)) {
            push_action(t, cap, VT_DO_LANGUAGE, p->key)->target = target;
        }
    } else {
        action_set(c, p->value, t, cap);
    }
}

static int do_index(const vt_ynode *key) {
    for (int i = 0; i < DO_COUNT; i++) {
        if (vt_ynode_is(key, do_fields[i].key)) {
            return i;
        }
    }
    return -1;
}

static void parse_action(vt_vctx *c, const vt_ynode *map, vt_trigger *t, size_t *cap) {
    vt_table_apply(c, &do_table, 1, map, t, NULL);
    const vt_ypair *action = NULL, *from = NULL;
    int action_idx = -1;
    size_t written = 0;
    for (size_t i = 0; i < map->count; i++) {
        const vt_ypair *p = &map->pairs[i];
        int idx = do_index(p->key);
        written += !is_x_key(p->key);
        if (idx == DO_FROM) {
            from = p;
        } else if (idx >= 0 && action) {
            vt_vctx_error(c, p->key,
                          "one action per mapping: '%s' and '%s' are two; write them "
                          "as two items, like [{%s: ...}, {%s: ...}]",
                          action->key->text, do_fields[idx].key, action->key->text,
                          do_fields[idx].key);
        } else if (idx >= 0) {
            action = p;
            action_idx = idx;
        }
    }
    if (from && action_idx != 0) {
        vt_vctx_error(c, from->key, "'from' goes with 'play' only, like {play: intro, from: 2}");
        from = NULL;
    }
    if (action) {
        action_run(c, action, action_idx, from, t, cap);
    } else if (written == 0) {
        vt_vctx_error(c, map,
                      "an action needs one of play, stop, pause, resume, seek, state, set "
                      "or language, like {play: intro}");
    }
}

static void parse_do(vt_vctx *c, const vt_ynode *v, vt_trigger *t) {
    size_t cap = 0;
    if (v->kind == VT_YNODE_MAP) {
        parse_action(c, v, t, &cap);
        return;
    }
    if (v->kind == VT_YNODE_SEQ && v->count == 0) {
        vt_vctx_error(c, v, "'do' is empty; write an action like {play: intro}");
        return;
    }
    if (v->kind != VT_YNODE_SEQ) {
        vt_type_error(c, "do", v, "an action or a sequence of actions",
                      "write an action like {play: intro}");
        return;
    }
    for (size_t i = 0; i < v->count; i++) {
        const vt_ynode *item = v->items[i];
        if (item->kind == VT_YNODE_MAP) {
            parse_action(c, item, t, &cap);
        } else if (item->kind != VT_YNODE_BAD) {
            vt_vctx_error(c, item, "each action must be a mapping like {play: intro}, not %s",
                          vt_ynode_describe(item));
        }
    }
}

/* ---- triggers ---- */

static const vt_field trigger_fields[] = {NEEDED("when"), NEEDED("do")};
static const vt_table trigger_table = {trigger_fields, 2, NULL, "trigger"};

static void parse_trigger(vt_vctx *c, const vt_ynode *map, size_t index, vt_trigger *t) {
    *t = (vt_trigger){.line = map->line, .col = map->col};
    snprintf(c->where, sizeof c->where, " in trigger #%zu", index + 1);
    vt_table_apply(c, &trigger_table, 1, map, t, NULL);
    const vt_ypair *when = vt_ymap_find(map, "when");
    const vt_ypair *act = vt_ymap_find(map, "do");
    if (when) {
        parse_when(c, when->value, &t->when);
    }
    if (act) {
        parse_do(c, act->value, t);
    }
    c->where[0] = '\0';
}

void vt_triggers_parse(vt_vctx *c) {
    const vt_ynode *v = vt_sread(c)->triggers;
    vt_scene *s = vt_sread(c)->scene;
    if (!v || vt_ynode_is_null(v)) {
        return;
    }
    if (v->kind != VT_YNODE_SEQ) {
        vt_type_error(c, "triggers", v, "a sequence",
                      "start each trigger with '- when:' on a line of its own");
        return;
    }
    s->triggers = vt_xcalloc(v->count, sizeof *s->triggers);
    s->trigger_count = v->count;
    for (size_t i = 0; i < v->count; i++) {
        const vt_ynode *item = v->items[i];
        if (item->kind == VT_YNODE_MAP) {
            parse_trigger(c, item, i, &s->triggers[i]);
        } else if (item->kind != VT_YNODE_BAD) {
            vt_vctx_error(c, item, "each trigger must be a mapping with 'when' and 'do', not %s",
                          vt_ynode_describe(item));
        }
    }
}
