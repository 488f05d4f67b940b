/* Tests of sound in scene files: the fixture sound.yaml read field by field, defaults, sound
 * targets and actions, and every rule's exact "path:line:col: error: ..." lines. */
#include "io/vt_io.h"
#include "scene/vt_scene.h"
#include "vt_test.h"
#include "diag_util.h"

#include <stdlib.h>
#include <string.h>

#define PATH "scenes/t.yaml"
#define E(line, col, msg) PATH ":" #line ":" #col ": error: " msg "\n"
#define W(line, col, msg) PATH ":" #line ":" #col ": warning: " msg "\n"
/* Lines 1-5: a layer 'map', a 10 s timeline 'story'. */
#define HEAD                                                                                       \
    "format: vitrine/1\ncanvas: {size: [64, 48]}\n"                                                \
    "layers: [{id: map, type: rect, size: [4, 4]}]\n"                                              \
    "timelines:\n  story: {duration: 10}\n"
/* Line 6: buses; line 7: `sounds:`; line 8 and on: the sounds given. */
#define SOUNDS(s) HEAD "buses: {ambience: 0.5, narration: 1}\nsounds:\n" s
/* One sound at line 8 whose flow mapping holds `s` after its id and src (col 40 onwards). */
#define SEA(s) SOUNDS("  - {id: sea, src: audio/tone.wav" s "}\n")
/* Lines 8-9: a free sound 'sea', a sound 'voice' tied to story; line 10: `triggers:`. */
#define TWO                                                                                        \
    SOUNDS("  - {id: sea, src: audio/tone.wav}\n"                                                  \
           "  - {id: voice, src: audio/tone.wav, timeline: story, at: 2}\n")
#define TRIG(d) TWO "triggers:\n  - {when: {key: a}, do: " d "}\n"
/* A sound 'sea' (line 4) and a 10 s timeline 'move' whose one flow sequence of tracks (line 8,
 * from column 14) is `t`. */
#define TRACK(t)                                                                                   \
    "format: vitrine/1\ncanvas: {size: [64, 48]}\nsounds:\n  - {id: sea, src: audio/tone.wav}\n" \
    "timelines:\n  move:\n    duration: 10\n    tracks: [" t "]\n"
#define EXTS ".wav, .flac, .ogg, .oga, .opus or .mp3"
#define SOUND_KEYS                                                                                 \
    "id, src, gain, pitch, loop, autoplay, position, rolloff, fade_in, fade_out, bus, timeline, at, " \
    "language_switch"

typedef struct bad_case {
    const char *name;
    const char *yaml;
    const char *expected; /* every diagnostic, in order */
} bad_case;

static const bad_case bad_cases[] = {
    /* ---- the sounds sequence ---- */
    {"sounds not a sequence", HEAD "sounds: {sea: 1}\n",
     E(6, 9, "'sounds' must be a sequence, not a mapping; start each sound with '- id: NAME' on a "
             "line of its own, then its 'src'")},
    {"sound not a mapping", SOUNDS("  - sea\n"),
     E(8, 5, "each sound must be a mapping with an id and a src, not a string")},
    {"missing id and src", SOUNDS("  - {gain: 1}\n"),
     E(8, 5, "missing required key 'id' in sound #1")
     E(8, 5, "missing required key 'src' in sound #1")},
    {"misspelt key", SEA(", gian: 1"),
     E(8, 36, "unknown key 'gian' in sound 'sea'; did you mean 'gain'?")},
    {"unknown key, list", SEA(", colour: 1"),
     E(8, 36, "unknown key 'colour' in sound 'sea'; valid keys: " SOUND_KEYS)},
    {"invalid id", SOUNDS("  - {id: 1sea, src: audio/tone.wav}\n"),
     E(8, 10, "invalid id '1sea'; an id starts with a letter or '_' and holds only letters, "
              "digits, '_' and '-'")},
    {"id of a layer, of a timeline",
     SOUNDS("  - {id: map, src: audio/tone.wav}\n  - {id: story, src: audio/tone.wav}\n"),
     E(8, 10, "duplicate id 'map' (first used at line 3, column 15); ids must be unique in a "
              "scene")
     E(9, 10, "duplicate id 'story' (first used at line 5, column 3); ids must be unique in a "
              "scene")},
    {"two sounds, one id",
     SOUNDS("  - {id: sea, src: audio/tone.wav}\n  - {id: sea, src: audio/tone.wav}\n"),
     E(9, 10, "duplicate id 'sea' (first used at line 8, column 10); ids must be unique in a "
              "scene")},
    /* ---- src ---- */
    {"not a sound file name", SOUNDS("  - {id: sea, src: sea.m4a}\n  - {id: b, src: bell}\n"),
     E(8, 20, "'sea.m4a' is not a sound file name Vitrine reads; 'src' takes a " EXTS " file")
     E(9, 18, "'bell' is not a sound file name Vitrine reads; 'src' takes a " EXTS " file")},
    {"src not a string", SOUNDS("  - {id: sea, src: [a.wav]}\n"),
     E(8, 20, "'src' must be a string, not a sequence")},
    /* ---- numbers ---- */
    {"gain, pitch, fades out of range", SEA(", gain: 5, pitch: 0.1, fade_in: -1, fade_out: x"),
     E(8, 42, "'gain' must be between 0 and 4, got 5")
     E(8, 52, "'pitch' must be between 0.25 and 4, got 0.1")
     E(8, 66, "'fade_in' must be between 0 and 1000000, got -1")
     E(8, 80, "'fade_out' must be a number, got 'x'")},
    {"loop and autoplay yes", SEA(", loop: yes, autoplay: on"),
     E(8, 42, "'loop' must be a boolean, got 'yes'; expected true or false")
     E(8, 57, "'autoplay' must be a boolean, got 'on'; expected true or false")},
    /* ---- position and rolloff ---- */
    {"position of 2, out of range", SEA(", position: [1, 2]")
     "  - {id: b, src: audio/tone.wav, position: [0, 0, 2e4]}\n",
     E(8, 46, "'position' must be a sequence of 3 numbers [x, y, z] in metres, like [-3, 0, -2]")
     E(9, 51, "'position' must be between -10000 and 10000, got 2e4")},
    {"rolloff model, max under ref",
     SEA(", position: [0, 0, 0], rolloff: {model: invrse}")
     "  - {id: b, src: audio/tone.wav, position: [0, 0, 0], rolloff: {ref: 5, max: 2}}\n",
     E(8, 74, "unknown rolloff model 'invrse'; did you mean 'inverse'?")
     E(9, 64, "rolloff 'max' (2) is less than 'ref' (5); the distance where the sound stops "
              "fading must be at least the one where it starts")},
    {"rolloff not a mapping, unknown key",
     SEA(", position: [0, 0, 0], rolloff: inverse")
     "  - {id: b, src: audio/tone.wav, position: [0, 0, 0], rolloff: {mode: none}}\n",
     E(8, 66, "'rolloff' must be a mapping, got 'inverse'; write it like {model: inverse, ref: "
              "1, max: 20}")
     E(9, 65, "unknown key 'mode' in sound 'b'; did you mean 'model'?")},
    /* ---- buses ---- */
    {"unknown bus", SEA(", bus: ambiance") "  - {id: b, src: audio/tone.wav, bus: music}\n",
     E(8, 41, "unknown bus 'ambiance'; did you mean 'ambience'?")
     E(9, 39, "unknown bus 'music'; buses: ambience, narration")},
    {"no buses", HEAD "sounds:\n  - {id: sea, src: audio/tone.wav, bus: ambience}\n",
     E(7, 41, "unknown bus 'ambience'; the scene has no buses: add them at the top level, like "
              "'buses: {ambience: 1}'")},
    {"buses refused", HEAD "buses: [a]\n",
     E(6, 8, "'buses' must be a mapping of bus names to gains, not a sequence; write it like "
             "{ambience: 0.7, narration: 1}")},
    {"bus name and gain", HEAD "buses: {1st: 1, music: 5, voice: loud}\n",
     E(6, 9, "invalid bus name '1st'; a bus name starts with a letter or '_' and holds only "
             "letters, digits, '_' and '-'")
     E(6, 24, "'music' must be between 0 and 4, got 5")
     E(6, 34, "'voice' must be a number, got 'loud'")},
    /* ---- timeline and at ---- */
    {"unknown timeline", SEA(", timeline: stroy"),
     E(8, 46, "unknown timeline 'stroy'; did you mean 'story'?")},
    {"at without timeline, at past the end, autoplay with timeline",
     SEA(", at: 1") "  - {id: b, src: audio/tone.wav, timeline: story, at: 12}\n"
                    "  - {id: c, src: audio/tone.wav, timeline: story, autoplay: true}\n",
     E(8, 36, "'at' goes with 'timeline': it is where in the timeline the sound starts; add "
              "'timeline: ID' or remove 'at'")
     E(9, 55, "'at' must be between 0 and 10, the duration of timeline 'story', got 12")
     E(10, 51, "a sound with a 'timeline' starts when its timeline reaches 'at'; remove "
               "'autoplay' (make the timeline autoplay instead)")},
    /* ---- listener ---- */
    {"listener refused", HEAD "listener: [0, 0, 0]\n",
     E(6, 11, "'listener' must be a mapping, not a sequence; write it like {position: [0, 0, "
              "0]}")},
    {"listener keys", HEAD "listener: {positon: [0, 0, 0], orientation: 1}\n",
     E(6, 12, "unknown key 'positon' in 'listener'; did you mean 'position'?")
     E(6, 32, "unknown key 'orientation' in 'listener'; valid keys: position")},
    /* ---- actions ---- */
    {"action on a sound that follows a timeline", TRIG("[{play: voice}, {seek: {voice: 1}}]"),
     E(11, 34, "sound 'voice' follows timeline 'story'; play, pause, seek and stop the timeline "
               "instead, like {play: story}")
     E(11, 50, "sound 'voice' follows timeline 'story'; play, pause, seek and stop the timeline "
               "instead, like {play: story}")},
    {"action on an unknown id, a layer", TRIG("[{play: se}, {stop: map}]"),
     E(11, 34, "unknown timeline or sound 'se'; did you mean 'sea'?")
     E(11, 46, "'map' is a layer, not a timeline or a sound; give the id of a timeline or a "
               "sound")},
    {"from of a sound out of range", TRIG("{play: sea, from: -1}"),
     E(11, 44, "'from' must be between 0 and 1000000, got -1")},
    {"set on a sound", TRIG("{set: {sea.gain: 1}}"),
     E(11, 33, "'sea' in target 'sea.gain' is a sound, not a layer; give the id of a layer")
     E(11, 33, "unknown property 'gain' in target 'sea.gain'; properties: position, size, "
               "anchor, scale, rotation, opacity, color, visible, radius, reveal, letter_spacing")},
    /* ---- tracks ---- */
    {"unknown sound property", TRACK("{target: sea.volume, keys: [{t: 0, v: 1}]}, "
                                     "{target: sea.gian, keys: [{t: 0, v: 1}]}"),
     E(8, 23, "unknown sound property 'volume' in target 'sea.volume'; sound properties: gain, "
               "pitch, position")
     E(8, 67, "unknown sound property 'gian' in target 'sea.gian'; did you mean 'gain'?")},
    {"sound key values", TRACK("{target: sea.gain, keys: [{t: 0, v: 5}]}, "
                               "{target: sea.position, keys: [{t: 0, v: [1, 2]}]}, "
                               "{target: sea.pitch, keys: [{t: 0, v: 0}]}"),
     E(8, 50, "'sea.gain' must be between 0 and 4, got 5")
     E(8, 96, "'sea.position' must be a sequence of 3 numbers [x, y, z] in metres, like [-3, "
                "0, -2]")
     E(8, 144, "'sea.pitch' must be between 0.25 and 4, got 0")},
    {"two tracks on one sound property", TRACK("{target: sea.gain, keys: [{t: 0, v: 1}]}, "
                                               "{target: sea.gain, keys: [{t: 1, v: 0}]}"),
     E(8, 65, "target 'sea.gain' already has a track in this timeline (line 8, column 14); put "
               "all its keys in one track")},
};

static void check_bad_case(const bad_case *bc) {
    check_bad_scene(bc->name, bc->yaml, PATH, 0, bc->expected, NULL);
}

static vt_scene *load_ok(const char *text, const char *path, unsigned flags,
                         const char *expect_diags) {
    vt_diags d = {0};
    vt_scene *scene = NULL;
    vt_status st = vt_scene_load_string(text, strlen(text), path, flags, &scene, &d);
    char *got = diags_text(&d);
    VT_CHECK_INT(st, VT_OK);
    VT_CHECK_STR(got, expect_diags);
    free(got);
    vt_diags_free(&d);
    return scene;
}

static vt_ticks sec(double s) {
    return vt_ticks_from_seconds(s);
}

static void check_fixture_sounds(const vt_scene *s) {
    VT_CHECK_INT(s->sound_count, 3);
    const vt_sound *sea = &s->sounds[0], *nar = &s->sounds[1], *bell = &s->sounds[2];
    VT_CHECK_STR(sea->id, "sea");
    VT_CHECK_STR(sea->src, "audio/tone.wav");
    VT_CHECK(sea->src_path && strstr(sea->src_path, "scenes/audio/tone.wav"));
    VT_CHECK_NEAR(sea->gain, 0.8, 0);
    VT_CHECK_NEAR(sea->pitch, 1, 0);
    VT_CHECK(sea->loop && sea->autoplay && sea->spatial);
    VT_CHECK_NEAR(sea->position[0], -3, 0);
    VT_CHECK_NEAR(sea->position[2], -2, 0);
    VT_CHECK_INT(sea->rolloff, VT_ROLLOFF_LINEAR);
    VT_CHECK_NEAR(sea->ref_distance, 2, 0);
    VT_CHECK_NEAR(sea->max_distance, 30, 0);
    VT_CHECK_NEAR(sea->rolloff_factor, 0.5, 0);
    VT_CHECK_INT(sea->fade_in, sec(2));
    VT_CHECK_INT(sea->fade_out, sec(1.5));
    VT_CHECK_INT(sea->bus, 0);
    VT_CHECK_INT(sea->timeline, UINT32_MAX);
    VT_CHECK_INT(sea->line, 9);
    VT_CHECK_INT(sea->col, 5);
    VT_CHECK_INT(nar->timeline, 0);
    VT_CHECK_INT(nar->at, sec(1.5));
    VT_CHECK_INT(nar->bus, 1);
    VT_CHECK(!nar->autoplay && !nar->loop && !nar->spatial);
    VT_CHECK_NEAR(bell->pitch, 1.5, 0);
    VT_CHECK_INT(bell->bus, UINT32_MAX);
    VT_CHECK(bell->spatial); /* its position is animated */
    VT_CHECK_INT(bell->rolloff, VT_ROLLOFF_INVERSE);
    VT_CHECK_NEAR(bell->ref_distance, 1, 0);
    VT_CHECK_NEAR(bell->max_distance, 20, 0);
    VT_CHECK_NEAR(bell->rolloff_factor, 1, 0);
    VT_CHECK_INT(bell->fade_in, 0);
}

static void check_fixture_tracks(const vt_scene *s) {
    VT_CHECK_INT(s->timeline_count, 1);
    const vt_timeline *tl = &s->timelines[0];
    VT_CHECK_INT(tl->track_count, 4);
    VT_CHECK(tl->tracks[0].sound);
    VT_CHECK_INT(tl->tracks[0].layer, 0);
    VT_CHECK_INT(tl->tracks[0].prop, VT_PROP_GAIN);
    VT_CHECK_NEAR(tl->tracks[0].keys[1].v[0], 0.25, 0);
    VT_CHECK_INT(tl->tracks[0].keys[1].ease.kind, VT_EASE_PENNER);
    VT_CHECK(tl->tracks[1].sound);
    VT_CHECK_INT(tl->tracks[1].layer, 2);
    VT_CHECK_INT(tl->tracks[1].prop, VT_PROP_POSITION3);
    VT_CHECK_NEAR(tl->tracks[1].keys[0].v[0], -1, 0);
    VT_CHECK_NEAR(tl->tracks[1].keys[0].v[2], -1, 0);
    VT_CHECK_NEAR(tl->tracks[1].keys[1].v[0], 1, 0);
    VT_CHECK(!tl->tracks[2].sound);
    VT_CHECK_INT(tl->tracks[2].layer, 0);
    VT_CHECK_INT(tl->tracks[2].prop, VT_PROP_OPACITY);
    VT_CHECK_INT(tl->tracks[3].prop, VT_PROP_PITCH);
    VT_CHECK_NEAR(tl->tracks[3].keys[0].v[0], 0.5, 0);
}

static void check_action(const vt_action *a, vt_action_kind kind, uint32_t target, bool sound,
                         bool has_at, double at) {
    VT_CHECK_INT(a->kind, kind);
    VT_CHECK_INT(a->target, target);
    VT_CHECK_INT(a->sound, sound);
    VT_CHECK_INT(a->has_at, has_at);
    VT_CHECK_INT(a->at, sec(at));
}

static void check_fixture_triggers(const vt_scene *s) {
    VT_CHECK_INT(s->trigger_count, 2);
    const vt_trigger *t = &s->triggers[0];
    VT_CHECK_INT(t->action_count, 3);
    check_action(&t->actions[0], VT_DO_PLAY, 0, false, false, 0);
    check_action(&t->actions[1], VT_DO_PLAY, 2, true, true, 0.5);
    check_action(&t->actions[2], VT_DO_STOP, 0, true, false, 0);
    t = &s->triggers[1];
    VT_CHECK_INT(t->action_count, 4);
    check_action(&t->actions[0], VT_DO_PAUSE, 0, true, false, 0);
    check_action(&t->actions[1], VT_DO_SEEK, 2, true, true, 2);
    check_action(&t->actions[2], VT_DO_RESUME, 0, true, false, 0);
    check_action(&t->actions[3], VT_DO_SEEK, 0, false, true, 3);
}

static void test_fixture(void) {
    vt_diags d = {0};
    vt_scene *s = NULL;
    VT_CHECK_INT(vt_scene_load("scenes/sound.yaml", VT_SCENE_STRICT_ASSETS, &s, &d), VT_OK);
    VT_CHECK_INT(d.count, 0);
    vt_diags_free(&d);
    if (!s) {
        return;
    }
    VT_CHECK_INT(s->bus_count, 2);
    VT_CHECK_STR(s->buses[0].name, "ambience");
    VT_CHECK_NEAR(s->buses[0].gain, 0.7, 0);
    VT_CHECK_INT(s->buses[0].line, 6);
    VT_CHECK_INT(s->buses[0].col, 9);
    VT_CHECK_STR(s->buses[1].name, "narration");
    VT_CHECK_NEAR(s->buses[1].gain, 1, 0);
    VT_CHECK_NEAR(s->listener[1], 1.5, 0);
    check_fixture_sounds(s);
    check_fixture_tracks(s);
    check_fixture_triggers(s);
    vt_scene_destroy(s);
}

static void test_defaults(void) {
    vt_scene *s = load_ok(HEAD "sounds:\n  - {id: a, src: audio/tone.wav}\n", "scenes/t.yaml",
                          VT_SCENE_STRICT_ASSETS, "");
    if (!s) {
        return;
    }
    const vt_sound *a = &s->sounds[0];
    VT_CHECK_NEAR(a->gain, 1, 0);
    VT_CHECK_NEAR(a->pitch, 1, 0);
    VT_CHECK(!a->loop && !a->autoplay && !a->spatial);
    VT_CHECK_INT(a->rolloff, VT_ROLLOFF_INVERSE);
    VT_CHECK_INT(a->bus, UINT32_MAX);
    VT_CHECK_INT(a->timeline, UINT32_MAX);
    VT_CHECK_INT(a->at, 0);
    VT_CHECK_INT(a->fade_in + a->fade_out, 0);
    VT_CHECK_INT(s->bus_count, 0);
    VT_CHECK_NEAR(s->listener[0] + s->listener[1] + s->listener[2], 0, 0);
    vt_scene_destroy(s);
    /* No sounds at all, and `sounds:` / `buses:` / `listener:` left empty. */
    s = load_ok(HEAD "sounds:\nbuses:\nlistener:\n", PATH, 0, "");
    VT_CHECK(s && s->sound_count == 0 && s->bus_count == 0);
    vt_scene_destroy(s);
}

/* A missing file: a warning in play and render (the sound stays silent), an error in check. */
static void test_missing_file(void) {
    const char *yaml = HEAD "sounds:\n  - {id: a, src: audio/gone.ogg}\n";
    vt_scene *s = load_ok(yaml, PATH, 0,
                          W(7, 18, "sound file 'audio/gone.ogg' not found (looked in scenes)"));
    VT_CHECK(s && s->sounds[0].src_path != NULL);
    vt_scene_destroy(s);
    check_bad_scene("missing file, strict", yaml, PATH, VT_SCENE_STRICT_ASSETS,
                    E(7, 18, "sound file 'audio/gone.ogg' not found (looked in scenes)"), NULL);
    check_bad_scene("outside the folder", HEAD "sounds:\n  - {id: a, src: ../x.wav}\n", PATH, 0,
                    E(7, 18, "'../x.wav' leaves the scene's folder; assets must stay inside it "
                      "(copy the file next to the scene)"),
                    NULL);
}

static void test_warnings(void) {
    vt_scene *s = load_ok(SEA(", rolloff: {max: 5}"), PATH, 0,
                          W(8, 36, "'rolloff' has no effect on a sound without 'position' in "
                                   "sound 'sea'; add 'position: [x, y, z]' to place it"));
    vt_scene_destroy(s);
}

/* Scenes without sounds keep the messages they had: actions name "a timeline". */
static void test_no_sound_messages(void) {
    check_bad_scene("no sounds: unknown timeline",
                    HEAD "triggers:\n  - {when: {key: a}, do: {play: stroy}}\n", PATH, 0,
                    E(7, 33, "unknown timeline 'stroy'; did you mean 'story'?"), NULL);
}

/* The loader agrees with the schema fixtures: the valid one loads (its files are missing: play's
 * warnings only), each invalid one is refused. */
static void test_schema_fixtures(void) {
    static const char *const invalid[] = {
        "sound-m4a",          "sound-at-without-timeline", "sound-autoplay-timeline",
        "sound-gain-range",   "sound-position-2",          "sound-rolloff-model",
        "sound-track-pitch",  "sound-bus-level",           "listener-unknown-key",
    };
    vt_diags d = {0};
    vt_scene *s = NULL;
    VT_CHECK_INT(vt_scene_load("schema/valid-sound.yaml", 0, &s, &d), VT_OK);
    VT_CHECK_INT(d.errors, 0);
    VT_CHECK_INT(d.count, 3); /* sea.ogg, recit-fr.flac, bird.MP3: not there */
    VT_CHECK(s && s->sound_count == 3 && s->bus_count == 2);
    vt_scene_destroy(s);
    vt_diags_free(&d);
    for (size_t i = 0; i < sizeof invalid / sizeof *invalid; i++) {
        char *path = vt_xasprintf("schema/invalid-%s.yaml", invalid[i]);
        VT_CHECK_INT(vt_scene_load(path, 0, &s, &d), VT_E_DATAERR);
        VT_CHECK(s == NULL);
        free(path);
        vt_diags_free(&d);
    }
}

static void load_doc_scene(const char *text, int line) {
    vt_diags d = {0};
    vt_scene *s = NULL;
    vt_status st = vt_scene_load_string(text, strlen(text), "docs/scene.yaml", 0, &s, &d);
    if (st != VT_OK || d.errors) {
        fprintf(stderr, "docs/scene-format.md: the example at line %d does not load:\n", line);
        vt_diags_print(&d, stderr);
    }
    VT_CHECK_INT(st, VT_OK);
    VT_CHECK(s && s->sound_count > 0);
    vt_scene_destroy(s);
    vt_diags_free(&d);
}

/* Every complete example of the docs with sounds loads. */
static void test_doc_examples(void) {
    VT_CHECK(doc_examples("../docs/scene-format.md", "format: vitrine/1\n", "\nsounds:",
                          load_doc_scene) >= 1);
}

/* Spoken languages: a file per language; languages the text has and the sound lacks (or the
 * reverse) are warned about; a language twice is an error. */
static void test_spoken(void) {
    const char *yaml = "format: vitrine/1\ncanvas: {size: [64, 48]}\nlanguage: en\nlayers:\n"
                       "  - {id: t, type: text, text: {fr: Bonjour, en: Hello, de: Hallo}}\n"
                       "sounds:\n"
                       "  - {id: voice, src: {fr: audio/tone.wav, en: audio/tone.wav, "
                       "it: audio/tone.wav}}\n";
    vt_scene *s = load_ok(yaml, PATH, 0,
                          W(7, 22, "sound 'voice' has no file for de, which the scene's text "
                                   "has; visitors who choose it hear 'en'; add one like de: "
                                   "FILE to 'src'")
                              W(7, 63, "sound 'voice' speaks 'it', which no text or captions of "
                                       "the scene are in; translate them, or the language "
                                       "buttons will not offer it"));
    VT_CHECK(s && s->sound_count == 3);
    if (s) {
        VT_CHECK_STR(s->sounds[0].id, "voice"); /* speaks the default language, en */
        VT_CHECK_STR(s->languages[s->sounds[0].lang], "en");
        VT_CHECK_STR(s->sounds[1].id, "voice[fr]");
        VT_CHECK_STR(s->sounds[2].id, "voice[it]");
        VT_CHECK(s->sounds[2].spoken && s->sounds[2].variant_of == 0);
    }
    vt_scene_destroy(s);
    check_bad_scene("a language twice",
                    HEAD "sounds:\n  - {id: a, src: {fr: audio/tone.wav, fr: audio/tone.wav}}\n",
                    PATH, 0, E(7, 39, "duplicate key 'fr' (first at line 7, column 19); remove one of them"),
                    NULL);
}

int main(void) {
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        check_bad_case(&bad_cases[i]);
    }
    test_fixture();
    test_defaults();
    test_missing_file();
    test_warnings();
    test_spoken();
    test_no_sound_messages();
    test_schema_fixtures();
    test_doc_examples();
    return vt_test_finish("test_scene_sound");
}
