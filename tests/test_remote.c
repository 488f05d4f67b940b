/* Remote control commands (app/remote.c): every /vitrine/ address turned into its command against
 * a scene, with the arguments checked as the scene file checks its values, refusals that say
 * why, and the status reply as one JSON string. */
#include "app/remote_internal.h"
#include "player/vt_player.h"
#include "vt_test.h"

#include <jansson.h>

static const char scene_text[] = "format: vitrine/1\n"
                                 "canvas: {size: [160, 90], fps: 10}\n"
                                 "layers:\n"
                                 "  - {id: box, type: rect, size: [20, 20], color: \"#ffffff\"}\n"
                                 "states: {custom: [visit]}\n"
                                 "timelines:\n"
                                 "  go:\n"
                                 "    duration: 2\n"
                                 "    tracks:\n"
                                 "      - target: box.position\n"
                                 "        keys: [{t: 0, v: [0, 0]}, {t: 2, v: [100, 0]}]\n";

static vt_osc_arg S(const char *s) {
    return (vt_osc_arg){.type = 's', .s = s, .len = strlen(s)};
}
static vt_osc_arg F(double f) {
    return (vt_osc_arg){.type = 'f', .f = f, .i = (int64_t)f};
}
static vt_osc_arg I(int64_t i) {
    return (vt_osc_arg){.type = 'i', .i = i, .f = (double)i};
}
static vt_osc_arg B(bool b) {
    return (vt_osc_arg){.type = b ? 'T' : 'F', .i = b, .f = b};
}

static vt_remote_kind decode(const vt_scene *sc, const char *address, vt_remote_cmd *cmd,
                             size_t argc, ...) {
    vt_osc_msg m = {.address = address, .argc = argc};
    va_list ap;
    va_start(ap, argc);
    for (size_t i = 0; i < argc; i++) {
        m.args[i] = va_arg(ap, vt_osc_arg);
    }
    va_end(ap);
    return vt_remote_decode(sc, &m, cmd);
}

static void test_commands(const vt_scene *sc) {
    vt_remote_cmd c;
    VT_CHECK_INT(decode(sc, "/vitrine/play", &c, 1, S("go")), VT_REMOTE_ACTION);
    VT_CHECK_INT(c.action.kind, VT_DO_PLAY);
    VT_CHECK(!c.action.has_at && !c.action.sound && c.action.target == 0);
    VT_CHECK_INT(decode(sc, "/vitrine/play", &c, 2, S("go"), F(1.5)), VT_REMOTE_ACTION);
    VT_CHECK(c.action.has_at && c.action.at == VT_TICKS_PER_SEC * 3 / 2);
    VT_CHECK_INT(decode(sc, "/vitrine/stop", &c, 1, S("go")), VT_REMOTE_ACTION);
    VT_CHECK_INT(c.action.kind, VT_DO_STOP);
    VT_CHECK_INT(decode(sc, "/vitrine/pause", &c, 1, S("go")), VT_REMOTE_ACTION);
    VT_CHECK_INT(c.action.kind, VT_DO_PAUSE);
    VT_CHECK_INT(decode(sc, "/vitrine/resume", &c, 1, S("go")), VT_REMOTE_ACTION);
    VT_CHECK_INT(c.action.kind, VT_DO_RESUME);
    VT_CHECK_INT(decode(sc, "/vitrine/seek", &c, 2, S("go"), I(1)), VT_REMOTE_ACTION);
    VT_CHECK(c.action.kind == VT_DO_SEEK && c.action.at == VT_TICKS_PER_SEC);
    VT_CHECK_INT(decode(sc, "/vitrine/state", &c, 1, S("visit")), VT_REMOTE_ACTION);
    VT_CHECK(c.action.kind == VT_DO_STATE && c.action.target == 2);
    /* set: values as the scene file writes them. */
    VT_CHECK_INT(decode(sc, "/vitrine/set", &c, 2, S("box.opacity"), F(0.5)), VT_REMOTE_ACTION);
    VT_CHECK(c.action.kind == VT_DO_SET && c.action.prop == VT_PROP_OPACITY);
    VT_CHECK_NEAR(c.action.v[0], 0.5, 0);
    VT_CHECK_INT(decode(sc, "/vitrine/set", &c, 3, S("box.position"), I(10), F(20)),
                 VT_REMOTE_ACTION);
    VT_CHECK(c.action.v[0] == 10 && c.action.v[1] == 20);
    VT_CHECK_INT(decode(sc, "/vitrine/set", &c, 2, S("box.color"), S("#ff8800")),
                 VT_REMOTE_ACTION);
    VT_CHECK(c.action.v[0] == 255 && c.action.v[1] == 136 && c.action.v[2] == 0);
    VT_CHECK_INT(decode(sc, "/vitrine/set", &c, 2, S("box.visible"), B(false)), VT_REMOTE_ACTION);
    VT_CHECK_NEAR(c.action.v[0], 0, 0);
    VT_CHECK_INT(decode(sc, "/vitrine/budget", &c, 1, F(12.5)), VT_REMOTE_BUDGET);
    VT_CHECK_NEAR(c.watts, 12.5, 0);
    VT_CHECK_INT(decode(sc, "/vitrine/reload", &c, 0), VT_REMOTE_RELOAD);
    VT_CHECK_INT(decode(sc, "/vitrine/input", &c, 1, I(1)), VT_REMOTE_INPUT);
    VT_CHECK_INT(decode(sc, "/vitrine/status", &c, 0), VT_REMOTE_STATUS);
    VT_CHECK_INT(decode(sc, "/room/door", &c, 0), VT_REMOTE_FOREIGN);
}

static void refused(const vt_scene *sc, const char *address, const char *why, size_t argc,
                    vt_osc_arg a, vt_osc_arg b) {
    vt_remote_cmd c;
    VT_CHECK_INT(decode(sc, address, &c, argc, a, b), VT_REMOTE_REFUSED);
    if (!strstr(c.error, why)) {
        fprintf(stderr, "%s: '%s' does not say '%s'\n", address, c.error, why);
        VT_CHECK(false);
    }
}

static void test_refusals(const vt_scene *sc) {
    refused(sc, "/vitrine/play", "no timeline or sound 'og'", 1, S("og"), S(""));
    refused(sc, "/vitrine/play", "give a timeline or sound id", 0, S(""), S(""));
    refused(sc, "/vitrine/seek", "give a timeline or sound id and seconds", 1, S("go"), S(""));
    refused(sc, "/vitrine/seek", "seconds must be from 0", 2, S("go"), F(-1));
    refused(sc, "/vitrine/state", "no state 'closed'", 1, S("closed"), S(""));
    refused(sc, "/vitrine/set", "no layer 'bx'", 2, S("bx.opacity"), F(1));
    refused(sc, "/vitrine/set", "unknown property 'opcity'", 2, S("box.opcity"), F(1));
    refused(sc, "/vitrine/set", "'box.opacity' must be", 2, S("box.opacity"), F(7));
    refused(sc, "/vitrine/set", "'box.opacity' must be a number", 2, S("box.opacity"), S("x"));
    refused(sc, "/vitrine/set", "give LAYER.PROPERTY", 1, S("box.opacity"), S(""));
    refused(sc, "/vitrine/language", "no text in language 'fr'", 1, S("fr"), S(""));
    refused(sc, "/vitrine/budget", "give watts", 1, S("lots"), S(""));
    refused(sc, "/vitrine/reload", "takes no argument", 1, I(1), S(""));
    refused(sc, "/vitrine/dance", "unknown command", 0, S(""), S(""));
    /* A quote inside a string stays a string (YAML's '' escape), not YAML syntax. */
    refused(sc, "/vitrine/set", "box.color", 2, S("box.color"), S("#fff' ]"));
}

/* A remote /vitrine/state runs the state's triggers but is not a visitor: the idle timer goes
 * on, so the show returns to attract on time; /vitrine/input is one. */
static void test_not_visitor(const vt_scene *sc) {
    vt_player *p = vt_player_create(sc, 0);
    vt_layer_props props[1];
    vt_player_update(p, 0, props);
    vt_remote_cmd c;
    decode(sc, "/vitrine/state", &c, 1, S("active"));
    vt_player_action(p, &c.action, VT_TICKS_PER_SEC * 50);
    VT_CHECK_INT(vt_player_state(p), VT_STATE_ACTIVE);
    vt_player_update(p, VT_TICKS_PER_SEC * 61, props); /* idle_after 60 s from the start */
    VT_CHECK_INT(vt_player_state(p), VT_STATE_ATTRACT);
    vt_player_visitor(p, VT_TICKS_PER_SEC * 62);
    VT_CHECK_INT(vt_player_state(p), VT_STATE_ACTIVE);
    vt_player_update(p, VT_TICKS_PER_SEC * 121, props);
    VT_CHECK_INT(vt_player_state(p), VT_STATE_ACTIVE); /* the visitor restarted the timer */
    vt_player_update(p, VT_TICKS_PER_SEC * 123, props);
    VT_CHECK_INT(vt_player_state(p), VT_STATE_ATTRACT);
    vt_player_destroy(p);
}

static void test_status(void) {
    vt_remote_status st = {.scene = "salle.yaml",
                           .state = "closed",
                           .target_fps = 30,
                           .fps = 0,
                           .scale = 1,
                           .power_w = 21.5,
                           .energy_j = 7200,
                           .energy_wh_today = 2,
                           .uptime_s = 3600,
                           .last_error = NULL,
                           .osc = {.messages = 3, .denied = 1}};
    char *json = vt_remote_status_json(&st);
    json_error_t e;
    json_t *o = json_loads(json, 0, &e);
    VT_CHECK(o != NULL);
    VT_CHECK_STR(json_string_value(json_object_get(o, "state")), "closed");
    VT_CHECK_STR(json_string_value(json_object_get(o, "scene")), "salle.yaml");
    VT_CHECK_INT(json_integer_value(json_object_get(o, "target_fps")), 30);
    VT_CHECK_NEAR(json_real_value(json_object_get(o, "power_w")), 21.5, 0);
    VT_CHECK_NEAR(json_real_value(json_object_get(o, "energy_wh_today")), 2, 0);
    VT_CHECK(json_is_null(json_object_get(o, "last_error")));
    VT_CHECK_INT(json_integer_value(json_object_get(json_object_get(o, "osc"), "denied")), 1);
    static const char *const keys[] = {"fps", "scale", "energy_j", "uptime_s"};
    for (size_t i = 0; i < 4; i++) {
        VT_CHECK(json_is_number(json_object_get(o, keys[i])));
    }
    uint8_t msg[VT_OSC_MAX_PACKET];
    size_t n = vt_remote_status_reply(json, msg, sizeof msg);
    vt_osc_msg m;
    vt_error err = {0};
    VT_CHECK_INT(vt_osc_parse(msg, n, &m, &err), VT_OK);
    VT_CHECK_STR(m.address, "/vitrine/reply/status");
    VT_CHECK_STR(m.args[0].s, json);
    json_decref(o);
    free(json);
}

/* `when: {osc: ADDRESS}`: a trigger a message at that address fires (remote or scripted); the
 * address is checked where the scene writes it. */
static void test_osc_trigger(void) {
    const char *text = "format: vitrine/1\n"
                       "canvas: {size: [160, 90], fps: 10}\n"
                       "layers:\n"
                       "  - {id: box, type: rect, size: [20, 20], color: \"#ffffff\"}\n"
                       "triggers:\n"
                       "  - when: {osc: /room/door}\n"
                       "    do: {set: {box.opacity: 0.25}}\n";
    vt_diags d = {0};
    vt_scene *sc = NULL;
    VT_CHECK_INT(vt_scene_load_string(text, strlen(text), "osc.yaml", 0, &sc, &d), VT_OK);
    vt_diags_free(&d);
    if (!sc) {
        return;
    }
    vt_player *p = vt_player_create(sc, 0);
    vt_layer_props props[1];
    vt_player_update(p, 0, props);
    vt_player_osc(p, "/room/window", VT_TICKS_PER_SEC);
    vt_player_update(p, VT_TICKS_PER_SEC, props);
    VT_CHECK_NEAR(props[0].opacity, 1, 0);
    vt_player_osc(p, "/room/door", VT_TICKS_PER_SEC * 2);
    vt_player_update(p, VT_TICKS_PER_SEC * 2, props);
    VT_CHECK_NEAR(props[0].opacity, 0.25, 0);
    VT_CHECK_INT(vt_player_state(p), VT_STATE_ATTRACT); /* not a visitor */
    vt_player_destroy(p);
    vt_scene_destroy(sc);
    static const struct {
        const char *when, *error;
    } bad[] = {
        {"{osc: room}", "'room' is not an OSC address"},
        {"{osc: \"/a b\"}", "'/a b' is not an OSC address"},
        {"{osc: /room/*}", "'/room/*' is not an OSC address"},
        {"{osc: /vitrine/play}", "addresses under /vitrine/ are Vitrine's own commands"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *t = vt_xasprintf("format: vitrine/1\ncanvas: {size: [16, 9]}\ntriggers:\n"
                               "  - when: %s\n    do: {state: active}\n",
                               bad[i].when);
        vt_diags dd = {0};
        vt_scene *s2 = NULL;
        VT_CHECK_INT(vt_scene_load_string(t, strlen(t), "osc.yaml", 0, &s2, &dd), VT_E_DATAERR);
        bool said = dd.count > 0 && strstr(dd.items[0].message, bad[i].error) != NULL;
        if (!said) {
            vt_diags_print(&dd, stderr);
        }
        VT_CHECK(said);
        vt_diags_free(&dd);
        free(t);
    }
}

int main(void) {
    test_osc_trigger();
    vt_diags d = {0};
    vt_scene *sc = NULL;
    VT_CHECK_INT(vt_scene_load_string(scene_text, strlen(scene_text), "remote.yaml", 0, &sc, &d),
                 VT_OK);
    vt_diags_print(&d, stderr);
    vt_diags_free(&d);
    if (sc) {
        test_commands(sc);
        test_refusals(sc);
        test_not_visitor(sc);
        vt_scene_destroy(sc);
    }
    test_status();
    return vt_test_finish("test_remote");
}
