/* Tests of timelines, states and triggers in scene files: the fixture motion.yaml read field by
 * field (ticks exact), defaults, and every rule's exact "path:line:col: error: ..." lines. */
#include "io/vt_io.h"
#include "scene/vt_scene.h"
#include "vt_test.h"
#include "diag_util.h"

#include <stdlib.h>
#include <string.h>

#define PATH "scenes/t.yaml"
#define E(line, col, msg) PATH ":" #line ":" #col ": error: " msg "\n"
#define W(line, col, msg) PATH ":" #line ":" #col ": warning: " msg "\n"
/* Lines 1-6: two layers, title and sea (sea does not catch touches). */
#define HEAD                                                                   \
    "format: vitrine/1\ncanvas:\n  size: [64, 48]\nlayers:\n"                  \
    "  - {id: title, type: rect, size: [4, 1]}\n"                              \
    "  - {id: sea, type: rect, size: [4, 1], hit: false}\n"
/* Lines 7-10: a 12 s timeline 'intro' whose tracks start at line 11, column 7. */
#define TL HEAD "timelines:\n  intro:\n    duration: 12\n    tracks:\n"
/* A track on title.opacity at line 11 whose keys are `k` (a flow sequence's items). */
#define KEYS(k) TL "      - {target: title.opacity, keys: [" k "]}\n"
/* Lines 11-12: one trigger, `when` then `do` (flow mappings' insides). */
#define TRIG(w, d) TL "triggers:\n  - {when: {" w "}, do: " d "}\n"
#define ID_RULE "an id starts with a letter or '_' and holds only letters, digits, '_' and '-'"
#define LOOP_FIX "write true (forever), false (once) or how many times to play, from 1 to 1000000"
#define TL_TARGET_FIX                                                                              \
    "must be LAYER.PROPERTY, like title.opacity (or LAYER.inputs.NAME for a shader's input)"
#define PROPS "position, size, anchor, scale, rotation, opacity, color, visible, radius, reveal, letter_spacing"
#define EVENTS "key, touch, click, swipe, enter, leave, timeline_end, idle or start"
#define ACTIONS "play, stop, pause, resume, seek, state, set or language, like {play: intro}"

typedef struct bad_case {
    const char *name;
    const char *yaml;
    const char *expected; /* every diagnostic, in order */
} bad_case;

static const bad_case bad_cases[] = {
    /* ---- timelines ---- */
    {"timelines not a mapping", HEAD "timelines: [a]\n",
     E(7, 12, "'timelines' must be a mapping of timeline ids to timelines, not a sequence; write "
              "'intro:' on the next line, indented, then its 'duration'")},
    {"invalid timeline id", HEAD "timelines:\n  3d: {duration: 1}\n",
     E(8, 3, "invalid id '3d'; " ID_RULE)},
    {"timeline named like a layer", HEAD "timelines:\n  title: {duration: 1}\n",
     E(8, 3, "duplicate id 'title' (first used at line 5, column 10); ids must be unique in a "
             "scene")},
    {"layer named like an earlier timeline",
     "format: vitrine/1\ncanvas: {size: [4, 4]}\ntimelines:\n  a: {duration: 1}\n"
     "layers:\n  - {id: a, type: rect, size: [1, 1]}\n",
     E(6, 10, "duplicate id 'a' (first used at line 4, column 3); ids must be unique in a "
              "scene")},
    {"timeline not a mapping", HEAD "timelines:\n  intro: 5\n",
     E(8, 10, "'intro' must be a mapping, not a number; write 'duration: 10' (seconds) on the "
              "next line, indented")},
    {"missing duration, misspelt key", HEAD "timelines:\n  intro: {durration: 1}\n",
     E(8, 10, "missing required key 'duration' in timeline 'intro'")
     E(8, 11, "unknown key 'durration' in timeline 'intro'; did you mean 'duration'?")},
    {"durations refused", HEAD "timelines:\n  a: {duration: 0}\n  b: {duration: -1}\n"
                          "  c: {duration: 2e6}\n  d: {duration: ten}\n  e: {duration: 1e-12}\n",
     E(8, 17, "'duration' must be more than 0 seconds, got 0")
     E(9, 17, "'duration' must be more than 0 seconds, got -1")
     E(10, 17, "'duration' must be at most 1000000 seconds, got 2e6")
     E(11, 17, "'duration' must be a number, got 'ten'")
     E(12, 17, "'duration' must be more than 0 seconds, got 1e-12")},
    {"loop refused", HEAD "timelines:\n  a: {duration: 1, loop: 0}\n  b: {duration: 1, loop: 1.5}\n"
                     "  c: {duration: 1, loop: \"yes\"}\n  d: {duration: 1, loop: [1]}\n"
                     "  e: {duration: 1, loop: 1e7}\n",
     E(8, 26, "invalid 'loop' 0; " LOOP_FIX)
     E(9, 26, "invalid 'loop' 1.5; " LOOP_FIX)
     E(10, 26, "invalid 'loop' \"yes\"; " LOOP_FIX)
     E(11, 26, "'loop' must be true, false or a number of plays, not a sequence; " LOOP_FIX)
     E(12, 26, "invalid 'loop' 1e7; " LOOP_FIX)},
    {"autoplay yes", HEAD "timelines:\n  a: {duration: 1, autoplay: yes}\n",
     E(8, 30, "'autoplay' must be a boolean, got 'yes'; expected true or false")},
    {"tracks not a sequence", TL "      a: 1\n",
     E(11, 7, "'tracks' must be a sequence, not a mapping; write each track as '- target: "
              "LAYER.PROPERTY' with its 'keys'")},
    {"track not a mapping, empty track", TL "      - 5\n      - {}\n",
     E(11, 9, "each track must be a mapping with a target and keys, not a number")
     E(12, 9, "missing required key 'target' in timeline 'intro'")
     E(12, 9, "missing required key 'keys' in timeline 'intro'")},
    {"no keys", TL "      - {target: title.opacity, keys: []}\n"
                   "      - {target: title.size, keys: }\n",
     E(11, 39, "a track needs at least one key, like {t: 0, v: 1}")
     E(12, 36, "a track needs at least one key, like {t: 0, v: 1}")},
    {"keys not a sequence", TL "      - {target: title.opacity, keys: {t: 0, v: 1}}\n",
     E(11, 39, "'keys' must be a sequence, not a mapping; write each key as '- {t: 0, v: 1}'")},
    {"key not a mapping, key without v, unknown key", KEYS("1, {t: 0}, {t: 1, v: 1, eas: hold}"),
     E(11, 40, "each key must be a mapping like {t: 0, v: 1}, not a number")
     E(11, 43, "missing required key 'v' in timeline 'intro'")
     E(11, 64, "unknown key 'eas' in timeline 'intro'; did you mean 'ease'?")},
    {"target shapes", TL "      - {target: titleopacity, keys: [{t: 0, v: 1}]}\n"
                      "      - {target: title., keys: [{t: 0, v: 1}]}\n"
                      "      - {target: .opacity, keys: [{t: 0, v: 1}]}\n"
                      "      - {target: title.opacity.x, keys: [{t: 0, v: 1}]}\n"
                      "      - {target: [title], keys: [{t: 0, v: 1}]}\n",
     E(11, 18, "target 'titleopacity' " TL_TARGET_FIX)
     E(12, 18, "target 'title.' " TL_TARGET_FIX)
     E(13, 18, "target '.opacity' " TL_TARGET_FIX)
     E(14, 18, "target 'title.opacity.x' " TL_TARGET_FIX)
     E(15, 18, "'target' must be a string, not a sequence")},
    {"unknown layers and properties", TL "      - {target: titel.opacity, keys: [{t: 0, v: 1}]}\n"
                                      "      - {target: zzz.opacity, keys: [{t: 0, v: 1}]}\n"
                                      "      - {target: intro.opacity, keys: [{t: 0, v: 1}]}\n"
                                      "      - {target: title.opacty, keys: [{t: 0, v: 1}]}\n"
                                      "      - {target: sea.zorder, keys: [{t: 0, v: 1}]}\n"
                                      "      - {target: x.y, keys: [{t: 0, v: 1}]}\n",
     E(11, 18, "unknown layer 'titel' in target 'titel.opacity'; did you mean 'title'?")
     E(12, 18, "unknown layer 'zzz' in target 'zzz.opacity'; layers: title, sea")
     E(13, 18, "'intro' in target 'intro.opacity' is a timeline, not a layer; give the id of a "
               "layer")
     E(14, 18, "unknown property 'opacty' in target 'title.opacty'; did you mean 'opacity'?")
     E(15, 18, "unknown property 'zorder' in target 'sea.zorder'; properties: " PROPS)
     E(16, 18, "unknown layer 'x' in target 'x.y'; layers: title, sea")
     E(16, 18, "unknown property 'y' in target 'x.y'; properties: " PROPS)},
    {"two tracks on one target", TL "      - {target: title.opacity, keys: [{t: 0, v: 1}]}\n"
                                 "      - {target: sea.opacity, keys: [{t: 0, v: 1}]}\n"
                                 "      - target: title.opacity\n        keys: [{t: 1, v: 0}]\n",
     E(13, 17, "target 'title.opacity' already has a track in this timeline (line 11, column 9); "
               "put all its keys in one track")},
    {"key times out of range", KEYS("{t: -1, v: 0}, {t: 13, v: 0}, {t: 12.0000001, v: 0}"),
     E(11, 44, "'t' must be between 0 and 12, the duration of timeline 'intro', got -1")
     E(11, 59, "'t' must be between 0 and 12, the duration of timeline 'intro', got 13")
     E(11, 74, "'t' must be between 0 and 12, the duration of timeline 'intro', got 12.0000001")},
    {"key times out of order", KEYS("{t: 0, v: 0}, {t: 3, v: 0}, {t: 1.5, v: 0}, {t: 1.5, v: 1}"),
     E(11, 72, "keys must be in increasing time: t 1.5 comes after t 3 (line 11)")
     E(11, 88, "keys must be in increasing time: t 1.5 comes after t 1.5 (line 11)")},
    {"key order across lines", TL "      - target: title.opacity\n        keys:\n"
                               "          - {t: 3, v: 0}\n          - {t: 1.5, v: 1}\n",
     E(14, 17, "keys must be in increasing time: t 1.5 comes after t 3 (line 13)")},
    {"values checked like the layer keys",
     TL "      - {target: title.opacity, keys: [{t: 0, v: 1.5}]}\n"
        "      - {target: sea.position, keys: [{t: 0, v: [1]}]}\n"
        "      - {target: title.color, keys: [{t: 0, v: red}]}\n"
        "      - {target: title.visible, keys: [{t: 0, v: yes}]}\n"
        "      - {target: title.anchor, keys: [{t: 0, v: [2, 0]}]}\n"
        "      - {target: title.size, keys: [{t: 0, v: [-1, 0]}]}\n"
        "      - {target: title.scale, keys: [{t: 0, v: big}]}\n"
        "      - {target: title.rotation, keys: [{t: 0, v: [1]}]}\n"
        "      - {target: title.position, keys: [{t: 0, v: 5}]}\n",
     E(11, 50, "'title.opacity' must be between 0 and 1, got 1.5")
     E(12, 49, "'sea.position' must be a sequence of 2 numbers, like [960, 540]")
     E(13, 48, "'title.color' must be a colour like \"#ff8800\" or \"#ff8800cc\", got 'red'")
     E(14, 50, "'title.visible' must be a boolean, got 'yes'; expected true or false")
     E(15, 50, "'title.anchor' must be between 0 and 1, got 2")
     E(16, 48, "'title.size' must be between 0 and 1000000, got -1")
     E(17, 48, "'title.scale' must be a number, got 'big'")
     E(18, 51, "'title.rotation' must be a number, not a sequence")
     E(19, 51, "'title.position' must be a sequence of 2 numbers, like [960, 540]")},
    {"easings refused", KEYS("{t: 0, v: 0, ease: out-cubc}, {t: 1, v: 0, ease: wobble}, "
                             "{t: 2, v: 0, ease: steps(0)}, {t: 3, v: 0, ease: [1.5, 0, -0.1, 1]}, "
                             "{t: 4, v: 0, ease: [1, 2, 3]}, {t: 5, v: 0, ease: {a: 1}}, "
                             "{t: 6, v: 0, ease: [a, 0, 1, 1]}"),
     E(11, 59, "unknown easing 'out-cubc'; did you mean 'out-cubic'?")
     E(11, 89, "unknown easing 'wobble'; use linear, hold, steps(N), in-, out- or in-out- "
               "followed by sine, quad, cubic, quart, quint, expo, circ, back, elastic or "
               "bounce, or [x1, y1, x2, y2]")
     E(11, 117, "invalid easing 'steps(0)'; steps take a whole number of 1 or more, like "
                "steps(4)")
     E(11, 148, "in a cubic-bezier ease [x1, y1, x2, y2], x1 must be between 0 and 1 (it is a "
                "time), got 1.5")
     E(11, 156, "in a cubic-bezier ease [x1, y1, x2, y2], x2 must be between 0 and 1 (it is a "
                "time), got -0.1")
     E(11, 186, "'ease' must be 4 numbers [x1, y1, x2, y2] for a cubic-bezier, not 3")
     E(11, 217, "'ease' must be an easing name like out-cubic or [x1, y1, x2, y2], not a "
                "mapping")
     E(11, 246, "'ease' must be a number, got 'a'")},
    {"visible only jumps", TL "      - target: title.visible\n        keys:\n"
                           "          - {t: 0, v: true, ease: linear}\n"
                           "          - {t: 1, v: false, ease: hold}\n"
                           "          - {t: 2, v: true, ease: [0, 0, 1, 1]}\n",
     E(13, 35, "'visible' jumps from one key to the next: its 'ease' must be hold or left out, "
               "not 'linear'")
     E(15, 35, "'visible' jumps from one key to the next: its 'ease' must be hold or left out, "
               "not a cubic-bezier")},

    /* ---- states ---- */
    {"states not a mapping", HEAD "states: [quiz]\n",
     E(7, 9, "'states' must be a mapping, not a sequence; write 'initial: attract' on the next "
             "line, indented")},
    {"initial unknown", HEAD "states: {initial: atract}\n",
     E(7, 19, "unknown state 'atract'; did you mean 'attract'?")},
    {"initial unknown, listed", HEAD "states: {initial: lobby, custom: [quiz]}\n",
     E(7, 19, "unknown state 'lobby'; states: attract, active, quiz")},
    {"custom names refused", HEAD "states:\n  custom: [quiz, attract, 3d, quiz, active, \"\"]\n",
     E(8, 18, "'attract' is a built-in state; 'custom' lists the scene's own states, besides "
              "attract and active")
     E(8, 27, "invalid state name '3d'; a state name starts with a letter or '_' and holds only "
              "letters, digits, '_' and '-'")
     E(8, 31, "duplicate state 'quiz' (first at line 8, column 12); remove one of them")
     E(8, 37, "'active' is a built-in state; 'custom' lists the scene's own states, besides "
              "attract and active")
     E(8, 45, "invalid state name ''; a state name starts with a letter or '_' and holds only "
              "letters, digits, '_' and '-'")},
    {"custom not a sequence", HEAD "states: {custom: quiz, initial: quiz}\n",
     E(7, 18, "'custom' must be a sequence of state names, got 'quiz'; write them like "
              "[quiz, credits]")
     E(7, 33, "unknown state 'quiz'; states: attract, active")},
    {"idle_after and unknown key", HEAD "states: {idle_after: -1, idle: 3}\n",
     E(7, 22, "'idle_after' must be between 0 and 1000000, got -1")
     E(7, 26, "unknown key 'idle' in 'states'; valid keys: initial, idle_after, idle_during_playback, custom")},

    /* ---- triggers: when ---- */
    {"triggers not a sequence", TL "triggers: {when: 1}\n",
     E(11, 11, "'triggers' must be a sequence, not a mapping; start each trigger with '- when:' "
               "on a line of its own")},
    {"trigger not a mapping, empty trigger", TL "triggers: [5, {}]\n",
     E(11, 12, "each trigger must be a mapping with 'when' and 'do', not a number")
     E(11, 15, "missing required key 'when' in trigger #2")
     E(11, 15, "missing required key 'do' in trigger #2")},
    {"when not a mapping", TL "triggers:\n  - {when: space, do: {play: intro}}\n",
     E(12, 12, "'when' must be a mapping, got 'space'; write one event, like {key: space}")},
    {"when empty", TRIG("", "{play: intro}"),
     E(12, 12, "'when' needs one event: " EVENTS)},
    {"when with two events", TRIG("key: a, touch: title", "{play: intro}"),
     E(12, 21, "'when' holds two events, 'key' and 'touch'; a trigger waits for one (write "
               "another trigger for the other)")},
    {"when misspelt", TRIG("kee: a", "{play: intro}"),
     E(12, 13, "unknown key 'kee' in trigger #1; did you mean 'key'?")},
    {"touch references", TL "triggers:\n  - {when: {touch: titel}, do: {play: intro}}\n"
                         "  - {when: {click: intro}, do: {play: intro}}\n"
                         "  - {when: {touch: [title]}, do: {play: intro}}\n",
     E(12, 20, "unknown layer 'titel'; did you mean 'title'?")
     E(13, 20, "'intro' is a timeline, not a layer; give the id of a layer")
     E(14, 20, "'touch' must be a string, not a sequence")},
    {"state and timeline references", TL "states: {custom: [quiz]}\ntriggers:\n"
                                      "  - {when: {enter: quizz}, do: {play: intro}}\n"
                                      "  - {when: {leave: title}, do: {play: intro}}\n"
                                      "  - {when: {timeline_end: title}, do: {play: intro}}\n"
                                      "  - {when: {timeline_end: outro}, do: {play: intro}}\n",
     E(13, 20, "unknown state 'quizz'; did you mean 'quiz'?")
     E(14, 20, "unknown state 'title'; states: attract, active, quiz")
     E(15, 27, "'title' is a layer, not a timeline; give the id of a timeline")
     E(16, 27, "unknown timeline 'outro'; did you mean 'intro'?")},
    {"idle, start, key refused", TL "triggers:\n  - {when: {idle: 0}, do: {play: intro}}\n"
                                 "  - {when: {start: false}, do: {play: intro}}\n"
                                 "  - {when: {key: abcdefghijklmnopqrstuvwxyz0123456}, "
                                 "do: {play: intro}}\n",
     E(12, 19, "'idle' must be more than 0 seconds, got 0")
     E(13, 20, "'start' must be true, not a boolean; write 'start: true': the trigger fires "
               "when the scene starts")
     E(14, 18, "key name 'abcdefghijklmnopqrstuvwxyz0123456' is too long (at most 31 "
               "characters); write a key name like space, return or a")},

    /* ---- triggers: do ---- */
    {"do shapes", TL "triggers:\n  - {when: {key: a}, do: play}\n"
                  "  - {when: {key: b}, do: []}\n  - {when: {key: c}, do: [play, {}]}\n",
     E(12, 26, "'do' must be an action or a sequence of actions, got 'play'; write an action "
               "like {play: intro}")
     E(13, 26, "'do' is empty; write an action like {play: intro}")
     E(14, 27, "each action must be a mapping like {play: intro}, not a string")
     E(14, 33, "an action needs one of " ACTIONS)},
    {"two actions, misplaced from, misspelt action",
     TL "triggers:\n  - when: {key: a}\n    do:\n      - {play: intro, stop: intro}\n"
        "      - {stop: intro, from: 1}\n      - {from: 1}\n      - {plya: intro}\n",
     E(14, 23, "one action per mapping: 'play' and 'stop' are two; write them as two items, "
               "like [{play: ...}, {stop: ...}]")
     E(15, 23, "'from' goes with 'play' only, like {play: intro, from: 2}")
     E(16, 10, "'from' goes with 'play' only, like {play: intro, from: 2}")
     E(17, 10, "unknown key 'plya' in trigger #1; did you mean 'play'?")},
    {"timeline actions refer to timelines", TL "triggers:\n  - when: {key: a}\n    do:\n"
                                            "      - {play: title}\n      - {stop: intr}\n"
                                            "      - {play: intro, from: 13}\n"
                                            "      - {pause: [intro]}\n",
     E(14, 16, "'title' is a layer, not a timeline; give the id of a timeline")
     E(15, 16, "unknown timeline 'intr'; did you mean 'intro'?")
     E(16, 29, "'from' must be between 0 and 12, the duration of timeline 'intro', got 13")
     E(17, 17, "'pause' must be a string, not a sequence")},
    {"no timelines at all", HEAD "triggers:\n  - {when: {key: a}, do: {resume: intro}}\n",
     E(8, 35, "unknown timeline 'intro'; the scene has no timelines")},
    {"seek and state refused", TL "triggers:\n  - when: {key: a}\n    do:\n"
                               "      - {seek: intro}\n      - {seek: {}}\n"
                               "      - {seek: {intro: 20, intr: 0, title: 1}}\n"
                               "      - {state: actve}\n",
     E(14, 16, "'seek' must be a mapping, got 'intro'; write it like {intro: 0} (timeline: "
               "seconds)")
     E(15, 16, "'seek' is empty; write it like {intro: 0} (timeline: seconds)")
     E(16, 24, "'seek' must be between 0 and 12, the duration of timeline 'intro', got 20")
     E(16, 28, "unknown timeline 'intr'; did you mean 'intro'?")
     E(16, 37, "'title' is a layer, not a timeline; give the id of a timeline")
     E(17, 17, "unknown state 'actve'; did you mean 'active'?")},
    {"set refused", TL "triggers:\n  - when: {key: a}\n    do:\n"
                    "      - {set: {title.opacity: 2, title.visible: yes, titel.opacity: 0}}\n"
                    "      - {set: {}}\n      - {set: 5}\n      - {set: {sea: 1}}\n",
     E(14, 31, "'title.opacity' must be between 0 and 1, got 2")
     E(14, 49, "'title.visible' must be a boolean, got 'yes'; expected true or false")
     E(14, 54, "unknown layer 'titel' in target 'titel.opacity'; did you mean 'title'?")
     E(15, 15, "'set' is empty; write it like {title.opacity: 0}")
     E(16, 15, "'set' must be a mapping, not a number; write it like {title.opacity: 0}")
     E(17, 16, "target 'sea' " TL_TARGET_FIX)},
};

/* On a mismatch, shows each reported position under its line of the case, to see what it
 * points at. */
static void show_positions(const char *yaml, const vt_diags *d) {
    for (size_t i = 0; i < d->count; i++) {
        const char *line = yaml;
        for (int n = 1; n < d->items[i].line && line; n++) {
            line = strchr(line, '\n');
            line = line ? line + 1 : NULL;
        }
        if (!line || d->items[i].col < 1) {
            continue;
        }
        int len = (int)strcspn(line, "\n");
        int pre = fprintf(stderr, "  %d:%d: ", d->items[i].line, d->items[i].col);
        fprintf(stderr, "%.*s\n%*s^\n", len, line, pre + d->items[i].col - 1, "");
    }
}

static void check_bad_case(const bad_case *bc) {
    check_bad_scene(bc->name, bc->yaml, PATH, 0, bc->expected, show_positions);
}

static vt_scene *load_ok(const char *text, const char *expect_diags) {
    vt_diags d = {0};
    vt_scene *scene = NULL;
    vt_status st = vt_scene_load_string(text, strlen(text), PATH, 0, &scene, &d);
    char *got = diags_text(&d);
    VT_CHECK_INT(st, VT_OK);
    VT_CHECK_STR(got, expect_diags);
    free(got);
    vt_diags_free(&d);
    return scene;
}

static vt_ticks sec(double s) { return vt_ticks_from_seconds(s); }

static void check_ease_named(const vt_ease *e, const char *name) {
    vt_ease want;
    VT_CHECK(vt_ease_from_name(name, &want));
    VT_CHECK_INT(e->kind, want.kind);
    VT_CHECK_INT(e->family, want.family);
    VT_CHECK_INT(e->dir, want.dir);
    VT_CHECK_INT(e->steps, want.steps);
}

static void check_key(const vt_key *k, double t, double v0, double v1, int line) {
    VT_CHECK_INT(k->t, sec(t));
    VT_CHECK_NEAR(k->v[0], v0, 0);
    VT_CHECK_NEAR(k->v[1], v1, 0);
    VT_CHECK_INT(k->line, line);
}

static void check_intro_tracks(const vt_timeline *tl) {
    const vt_track *op = &tl->tracks[0];
    VT_CHECK_INT(op->layer, 1);
    VT_CHECK_INT(op->prop, VT_PROP_OPACITY);
    VT_CHECK_INT(op->line, 22);
    VT_CHECK_INT(op->col, 9);
    VT_CHECK_INT(op->key_count, 4);
    check_key(&op->keys[0], 0, 0, 0, 24);
    check_ease_named(&op->keys[0].ease, "in-sine");
    check_key(&op->keys[1], 1.5, 1, 0, 25);
    VT_CHECK_INT(op->keys[1].col, 13);
    check_ease_named(&op->keys[1].ease, "out-cubic");
    check_key(&op->keys[2], 10, 1, 0, 26);
    VT_CHECK_INT(op->keys[2].ease.kind, VT_EASE_LINEAR);
    check_key(&op->keys[3], 12, 0, 0, 27);
    VT_CHECK_INT(op->keys[3].t, 12 * VT_TICKS_PER_SEC);
    VT_CHECK_INT(op->keys[3].ease.kind, VT_EASE_BEZIER);
    VT_CHECK_NEAR(op->keys[3].ease.bezier[0], 0.42, 0);
    VT_CHECK_NEAR(op->keys[3].ease.bezier[1], 0, 0);
    VT_CHECK_NEAR(op->keys[3].ease.bezier[2], 0.58, 0);
    VT_CHECK_NEAR(op->keys[3].ease.bezier[3], 1, 0);
    const vt_track *pos = &tl->tracks[1];
    VT_CHECK_INT(pos->layer, 0);
    VT_CHECK_INT(pos->prop, VT_PROP_POSITION);
    check_key(&pos->keys[0], 0, 900, 540, 29);
    check_key(&pos->keys[1], 12, 1020, 540, 29);
    check_ease_named(&pos->keys[1].ease, "in-out-sine");
    const vt_track *col = &tl->tracks[2];
    VT_CHECK_INT(col->prop, VT_PROP_COLOR);
    VT_CHECK(col->keys[0].v[0] == 255 && col->keys[0].v[1] == 0 && col->keys[0].v[2] == 0 &&
             col->keys[0].v[3] == 128);
    VT_CHECK(col->keys[1].v[0] == 0 && col->keys[1].v[1] == 255 && col->keys[1].v[3] == 255);
    VT_CHECK_INT(col->keys[1].ease.kind, VT_EASE_HOLD);
    const vt_track *vis = &tl->tracks[3];
    VT_CHECK_INT(vis->prop, VT_PROP_VISIBLE);
    VT_CHECK_INT(vis->key_count, 3);
    for (size_t i = 0; i < vis->key_count; i++) {
        VT_CHECK_INT(vis->keys[i].ease.kind, VT_EASE_HOLD); /* given or not */
        VT_CHECK_NEAR(vis->keys[i].v[0], i == 1 ? 1 : 0, 0);
    }
    VT_CHECK_INT(vis->keys[1].t, VT_TICKS_PER_SEC / 2);
}

static void check_intro_more_tracks(const vt_timeline *tl) {
    const vt_track *sc = &tl->tracks[4];
    VT_CHECK_INT(sc->prop, VT_PROP_SCALE);
    check_key(&sc->keys[0], 0, 2, 2, 35);
    check_key(&sc->keys[1], 3, 1, -1, 35);
    VT_CHECK_INT(sc->keys[1].ease.kind, VT_EASE_STEPS);
    VT_CHECK_INT(sc->keys[1].ease.steps, 4);
    const vt_track *size = &tl->tracks[5];
    VT_CHECK_INT(size->layer, 2);
    VT_CHECK_INT(size->prop, VT_PROP_SIZE);
    VT_CHECK_INT(size->key_count, 1);
    check_key(&size->keys[0], 0.25, 200, 80, 37);
    VT_CHECK_INT(size->keys[0].t, VT_TICKS_PER_SEC / 4);
    VT_CHECK_INT(tl->tracks[6].prop, VT_PROP_ANCHOR);
    VT_CHECK_INT(tl->tracks[6].line, 38);
    VT_CHECK_INT(tl->tracks[6].col, 9);
    check_key(&tl->tracks[6].keys[0], 0, 0.5, 1, 38);
    VT_CHECK_INT(tl->tracks[7].prop, VT_PROP_ROTATION);
    check_key(&tl->tracks[7].keys[0], 0, -3, 0, 39);
    check_key(&tl->tracks[7].keys[1], 12, 3, 0, 39);
}

static void check_timelines(const vt_scene *s) {
    VT_CHECK_INT(s->timeline_count, 4);
    if (s->timeline_count != 4) {
        return;
    }
    const vt_timeline *intro = &s->timelines[0];
    VT_CHECK_STR(intro->id, "intro");
    VT_CHECK_INT(intro->duration, 12 * VT_TICKS_PER_SEC);
    VT_CHECK_INT(intro->plays, 0);
    VT_CHECK(intro->autoplay);
    VT_CHECK_INT(intro->line, 17);
    VT_CHECK_INT(intro->col, 3);
    VT_CHECK_INT(intro->track_count, 8);
    if (intro->track_count == 8) {
        check_intro_tracks(intro);
        check_intro_more_tracks(intro);
    }
    const vt_timeline *story = &s->timelines[1];
    VT_CHECK_STR(story->id, "story");
    VT_CHECK_INT(story->duration, sec(30));
    VT_CHECK_INT(story->plays, 3);
    VT_CHECK(!story->autoplay);
    VT_CHECK_INT(story->track_count, 0);
    VT_CHECK(story->tracks == NULL);
    VT_CHECK_STR(s->timelines[2].id, "attract-loop");
    VT_CHECK_INT(s->timelines[2].duration, sec(10));
    VT_CHECK_INT(s->timelines[2].plays, 1);
    VT_CHECK_INT(s->timelines[2].track_count, 0);
    VT_CHECK_STR(s->timelines[3].id, "cues");
    VT_CHECK_INT(s->timelines[3].duration, VT_TICKS_PER_SEC / 2);
    VT_CHECK_INT(s->timelines[3].plays, 1);
}

static void check_states(const vt_states *st) {
    VT_CHECK_INT(st->count, 4);
    if (st->count == 4) {
        VT_CHECK_STR(st->names[VT_STATE_ATTRACT], "attract");
        VT_CHECK_STR(st->names[VT_STATE_ACTIVE], "active");
        VT_CHECK_STR(st->names[2], "quiz");
        VT_CHECK_STR(st->names[3], "credits");
    }
    VT_CHECK_INT(st->initial, 2);
    VT_CHECK_INT(st->idle_after, 90 * VT_TICKS_PER_SEC);
}

static void check_action(const vt_action *a, vt_action_kind kind, uint32_t target, int line,
                         int col) {
    VT_CHECK_INT(a->kind, kind);
    VT_CHECK_INT(a->target, target);
    VT_CHECK_INT(a->line, line);
    VT_CHECK_INT(a->col, col);
}

static void check_when(const vt_trigger *t, vt_when_kind kind, uint32_t index, int line) {
    VT_CHECK_INT(t->when.kind, kind);
    VT_CHECK_INT(t->when.index, index);
    VT_CHECK_INT(t->line, line);
    VT_CHECK_INT(t->col, 5);
}

static void check_triggers_first(const vt_trigger *t) {
    VT_CHECK_INT(t[0].when.kind, VT_WHEN_KEY);
    VT_CHECK_STR(t[0].when.name, "space");
    VT_CHECK_INT(t[0].action_count, 1);
    check_action(&t[0].actions[0], VT_DO_PLAY, 0, 56, 10);
    VT_CHECK(t[0].actions[0].has_at && t[0].actions[0].at == 0);
    check_when(&t[1], VT_WHEN_TOUCH, 2, 57);
    VT_CHECK_INT(t[1].action_count, 2);
    check_action(&t[1].actions[0], VT_DO_STATE, VT_STATE_ACTIVE, 58, 11);
    check_action(&t[1].actions[1], VT_DO_PLAY, 1, 58, 28);
    VT_CHECK(!t[1].actions[1].has_at);
    check_when(&t[2], VT_WHEN_TOUCH, 0, 59); /* click is touch */
    VT_CHECK(t[2].actions[0].has_at);
    VT_CHECK_INT(t[2].actions[0].at, sec(29.5));
    check_when(&t[3], VT_WHEN_TIMELINE_END, 1, 61);
    check_action(&t[3].actions[0], VT_DO_STATE, VT_STATE_ATTRACT, 62, 10);
    check_when(&t[4], VT_WHEN_ENTER, VT_STATE_ATTRACT, 63);
    check_action(&t[4].actions[0], VT_DO_STOP, 1, 64, 11);
    check_action(&t[4].actions[1], VT_DO_PLAY, 2, 64, 26);
    check_when(&t[5], VT_WHEN_LEAVE, 3, 65);
    check_action(&t[5].actions[0], VT_DO_PAUSE, 3, 66, 10);
}

static void check_triggers_last(const vt_trigger *t) {
    VT_CHECK_INT(t[6].when.kind, VT_WHEN_IDLE);
    VT_CHECK_INT(t[6].when.idle, 30 * VT_TICKS_PER_SEC);
    VT_CHECK_INT(t[6].action_count, 2);
    check_action(&t[6].actions[0], VT_DO_SEEK, 0, 68, 17);
    VT_CHECK(t[6].actions[0].has_at && t[6].actions[0].at == 0);
    check_action(&t[6].actions[1], VT_DO_SEEK, 1, 68, 27);
    VT_CHECK_INT(t[6].actions[1].at, sec(2.5));
    VT_CHECK_INT(t[7].when.kind, VT_WHEN_START);
    VT_CHECK_INT(t[7].action_count, 4);
    check_action(&t[7].actions[0], VT_DO_PAUSE, 0, 70, 11);
    check_action(&t[7].actions[1], VT_DO_RESUME, 0, 70, 27);
    check_action(&t[7].actions[2], VT_DO_SET, 1, 70, 50);
    VT_CHECK_INT(t[7].actions[2].prop, VT_PROP_OPACITY);
    VT_CHECK_NEAR(t[7].actions[2].v[0], 0, 0);
    VT_CHECK_INT(t[7].actions[3].prop, VT_PROP_COLOR);
    VT_CHECK(t[7].actions[3].v[0] == 255 && t[7].actions[3].v[1] == 0 &&
             t[7].actions[3].v[3] == 255);
    VT_CHECK_STR(t[8].when.name, "return"); /* lower-cased */
    VT_CHECK_INT(t[8].action_count, 4);
    check_action(&t[8].actions[0], VT_DO_SET, 1, 74, 15);
    VT_CHECK_INT(t[8].actions[0].prop, VT_PROP_VISIBLE);
    VT_CHECK_NEAR(t[8].actions[0].v[0], 0, 0);
    VT_CHECK_INT(t[8].actions[1].prop, VT_PROP_SCALE);
    VT_CHECK(t[8].actions[1].v[0] == 0.5 && t[8].actions[1].v[1] == 0.5);
    VT_CHECK(t[8].actions[2].v[0] == 1 && t[8].actions[2].v[1] == 2);
    check_action(&t[8].actions[3], VT_DO_STATE, 3, 75, 9);
}

static void test_motion_file(void) {
    vt_diags d = {0};
    vt_scene *s = NULL;
    VT_CHECK_INT(vt_scene_load("scenes/motion.yaml", VT_SCENE_STRICT_ASSETS, &s, &d), VT_OK);
    char *got = diags_text(&d);
    VT_CHECK_STR(got, "");
    free(got);
    vt_diags_free(&d);
    if (!s) {
        return;
    }
    VT_CHECK(s->layers[0].hit && !s->layers[1].hit && s->layers[2].hit);
    check_timelines(s);
    check_states(&s->states);
    VT_CHECK_INT(s->trigger_count, 9);
    if (s->trigger_count == 9) {
        check_triggers_first(s->triggers);
        check_triggers_last(s->triggers);
    }
    vt_scene_destroy(s);
}

static void test_defaults(void) {
    const char *texts[] = {
        HEAD,
        HEAD "timelines:\ntriggers:\nstates:\n",
        HEAD "timelines: {}\ntriggers: []\nstates: {}\n",
        HEAD "timelines: ~\ntriggers: ~\nstates: {x-note: later, custom: []}\n",
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        vt_scene *s = load_ok(texts[i], "");
        if (!s) {
            continue;
        }
        VT_CHECK_INT(s->timeline_count, 0);
        VT_CHECK_INT(s->trigger_count, 0);
        VT_CHECK_INT(s->states.count, 2);
        VT_CHECK_STR(s->states.names[0], "attract");
        VT_CHECK_STR(s->states.names[1], "active");
        VT_CHECK_INT(s->states.initial, VT_STATE_ATTRACT);
        VT_CHECK_INT(s->states.idle_after, 60 * VT_TICKS_PER_SEC);
        VT_CHECK(s->layers[0].hit);
        VT_CHECK(!s->layers[1].hit);
        vt_scene_destroy(s);
    }
}

/* Minimal timelines: defaults; a custom state may share a layer's name (its own namespace);
 * idle_after 0 means never; `from` and seek may name the very end of the timeline. */
static void test_small_valid(void) {
    static const char text[] =
        HEAD "timelines:\n  t1: {duration: 2, loop: 1}\n  t2: {duration: 1e6, loop: 1000000}\n"
             "states: {custom: [title], initial: title, idle_after: 0}\n"
             "triggers:\n"
             "  - {when: {enter: title, x-note: n}, do: [{play: t1, from: 2}, {x-a: 1, seek: "
             "{t1: 2}}]}\n"
             "  - {when: {key: 1}, do: {state: title}, x-why: demo}\n";
    vt_scene *s = load_ok(text, "");
    if (!s) {
        return;
    }
    VT_CHECK_INT(s->timelines[0].plays, 1);
    VT_CHECK(!s->timelines[0].autoplay);
    VT_CHECK(s->timelines[0].tracks == NULL);
    VT_CHECK_INT(s->timelines[1].duration, INT64_C(1000000) * VT_TICKS_PER_SEC);
    VT_CHECK_INT(s->timelines[1].plays, 1000000);
    VT_CHECK_INT(s->states.count, 3);
    VT_CHECK_INT(s->states.initial, 2);
    VT_CHECK_INT(s->states.idle_after, 0);
    VT_CHECK_INT(s->triggers[0].when.kind, VT_WHEN_ENTER);
    VT_CHECK_INT(s->triggers[0].when.index, 2);
    VT_CHECK_INT(s->triggers[0].actions[0].at, 2 * VT_TICKS_PER_SEC);
    VT_CHECK_INT(s->triggers[0].actions[1].kind, VT_DO_SEEK);
    VT_CHECK_STR(s->triggers[1].when.name, "1");
    VT_CHECK_INT(s->triggers[1].actions[0].target, 2);
    vt_scene_destroy(s);
}

/* Triggers that can never fire are warnings: the scene still plays. */
static void test_warnings(void) {
    static const char text[] =
        HEAD "timelines:\n  spin: {duration: 1, loop: true}\n"
             "triggers:\n"
             "  - {when: {touch: sea}, do: {play: spin}}\n"
             "  - {when: {timeline_end: spin}, do: {stop: spin}}\n";
    vt_scene *s = load_ok(text,
                          W(10, 20, "layer 'sea' has 'hit: false', so touching it never fires "
                                    "this trigger; remove 'hit: false' from the layer")
                          W(11, 27, "timeline 'spin' loops forever, so it never ends and this "
                                    "trigger never fires; give its 'loop' a number of plays"));
    VT_CHECK(s && s->trigger_count == 2);
    vt_scene_destroy(s);
}

/* `touch: anywhere` and `click: anywhere`; a layer named so is warned about. */
static void test_touch_anywhere(void) {
    static const char text[] =
        HEAD "states: {idle_during_playback: true}\n"
             "triggers:\n"
             "  - {when: {touch: anywhere}, do: {state: active}}\n"
             "  - {when: {click: title}, do: {state: attract}}\n";
    vt_scene *s = load_ok(text, "");
    VT_CHECK(s && s->trigger_count == 2);
    if (s) {
        VT_CHECK_INT(s->triggers[0].when.kind, VT_WHEN_TOUCH);
        VT_CHECK(s->triggers[0].when.index == VT_WHEN_ANYWHERE);
        VT_CHECK_INT(s->triggers[1].when.index, 0);
        VT_CHECK(s->states.idle_during_playback);
    }
    vt_scene_destroy(s);
    static const char named[] = "format: vitrine/1\ncanvas: {size: [8, 8]}\nlayers:\n"
                                "  - {id: anywhere, type: rect, size: [4, 1]}\n"
                                "triggers:\n"
                                "  - {when: {click: anywhere}, do: {state: active}}\n";
    s = load_ok(named, W(6, 20, "'click: anywhere' fires on a touch anywhere on the screen, not "
                                "only on layer 'anywhere'; rename that layer to touch it alone"));
    VT_CHECK(s && s->triggers[0].when.index == VT_WHEN_ANYWHERE);
    vt_scene_destroy(s);
}

/* Every error of a file, in every section, in file order whatever the order of the sections:
 * triggers and states before the timelines and layers they name. */
static void test_many_errors(void) {
    static const char text[] =
        "format: vitrine/1\n"
        "triggers:\n"
        "  - when: {touch: buton}\n"
        "    do: [{play: intr}, {state: quizz}]\n"
        "states: {custom: [quiz], initial: quiz, idle_after: 1e9}\n"
        "timelines:\n"
        "  intr0:\n"
        "    duration: 5\n"
        "    tracks:\n"
        "      - target: button.opacty\n"
        "        keys: [{t: 6, v: 2}]\n"
        "canvas: {size: [10, 10]}\n"
        "layers:\n"
        "  - {id: button, type: rect, size: [1, 1], hit: maybe}\n";
    vt_diags d = {0};
    vt_scene *s = NULL;
    VT_CHECK_INT(vt_scene_load_string(text, strlen(text), PATH, 0, &s, &d), VT_E_DATAERR);
    VT_CHECK(s == NULL);
    char *got = diags_text(&d);
    VT_CHECK_STR(got,
                 E(3, 19, "unknown layer 'buton'; did you mean 'button'?")
                 E(4, 17, "unknown timeline 'intr'; did you mean 'intr0'?")
                 E(4, 32, "unknown state 'quizz'; did you mean 'quiz'?")
                 E(5, 53, "'idle_after' must be between 0 and 1000000, got 1e9")
                 E(10, 17, "unknown property 'opacty' in target 'button.opacty'; did you mean "
                           "'opacity'?")
                 E(11, 20, "'t' must be between 0 and 5, the duration of timeline 'intr0', "
                           "got 6")
                 E(14, 49, "'hit' must be a boolean, got 'maybe'; expected true or false"));
    VT_CHECK_INT(d.errors, 7);
    free(got);
    vt_diags_free(&d);
}

/* Each ```yaml block of the file that starts with the format line must load. */
static void check_docs_examples(const char *path) {
    char *text = NULL;
    size_t len = 0, examples = 0;
    vt_error err;
    VT_CHECK_INT(vt_file_read(path, 1u << 20, &text, &len, &err), VT_OK);
    static const char open[] = "```yaml\nformat: vitrine/1\n";
    for (char *p = text ? strstr(text, open) : NULL; p; p = strstr(p, open)) {
        p += strlen("```yaml\n");
        char *end = strstr(p, "```");
        if (!end) {
            break;
        }
        vt_diags d = {0};
        vt_scene *s = NULL;
        vt_status st = vt_scene_load_string(p, (size_t)(end - p), "scene.yaml", 0, &s, &d);
        if (st != VT_OK || d.errors) {
            fprintf(stderr, "example at byte %zu of %s:\n", (size_t)(p - text), path);
            vt_diags_print(&d, stderr);
        }
        VT_CHECK_INT(st, VT_OK);
        vt_scene_destroy(s);
        vt_diags_free(&d);
        examples++;
        p = end;
    }
    VT_CHECK(examples >= 5);
    free(text);
}

/* The loader agrees with the schema fixtures and the documentation: the valid motion fixture
 * and every complete example of docs/scene-format.md load (missing pictures are warnings
 * here), and the invalid motion fixtures are refused. */
static void test_fixtures_and_docs(void) {
    static const char *const invalid[] = {
        "action-two", "custom-builtin", "ease-bezier-x", "ease-unknown", "from-without-play",
        "hit-yes", "idle-zero", "key-opacity-range", "key-without-v", "set-colour-name",
        "start-false", "timeline-duration-zero", "timeline-loop-zero", "timeline-no-duration",
        "track-no-keys", "track-target-shape", "visible-ease", "when-two-events",
    };
    vt_diags d = {0};
    vt_scene *s = NULL;
    VT_CHECK_INT(vt_scene_load("schema/valid-motion.yaml", 0, &s, &d), VT_OK);
    VT_CHECK_INT(d.count, 0);
    vt_scene_destroy(s);
    for (size_t i = 0; i < sizeof invalid / sizeof *invalid; i++) {
        char *path = vt_xasprintf("schema/invalid-%s.yaml", invalid[i]);
        VT_CHECK_INT(vt_scene_load(path, 0, &s, &d), VT_E_DATAERR);
        free(path);
    }
    vt_diags_free(&d);
    check_docs_examples("../docs/scene-format.md");
}

int main(void) {
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        check_bad_case(&bad_cases[i]);
    }
    test_motion_file();
    test_defaults();
    test_small_valid();
    test_warnings();
    test_touch_anywhere();
    test_many_errors();
    test_fixtures_and_docs();
    return vt_test_finish("test_scene_motion");
}
