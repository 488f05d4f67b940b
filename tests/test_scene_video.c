/* Tests of video layers in scene files: every key read, defaults, the timing rules (`at` with a
 * timeline, within it), a picture or a sound given as a film, keys of other layer types, and a
 * missing film (a warning, an error for check), each as its exact "path:line:col" line. */
#include "scene/vt_scene.h"
#include "vt_test.h"
#include "diag_util.h"

#include <stdlib.h>
#include <string.h>

#define PATH "scenes/t.yaml"
#define E(line, col, msg) PATH ":" #line ":" #col ": error: " msg "\n"
#define W(line, col, msg) PATH ":" #line ":" #col ": warning: " msg "\n"
/* Lines 1-3: a 10 s timeline 'story'; line 4: `layers:`; line 5: the layer given. */
#define HEAD "format: vitrine/1\ncanvas: {size: [64, 48]}\ntimelines: {story: {duration: 10}}\n"
#define LAYER(s) HEAD "layers:\n  - {id: film, type: video, src: audio/tone.wav" s "}\n"
#define FILM(s) HEAD "layers:\n  - {id: film, type: video, src: films/none.mp4" s "}\n"

typedef struct bad_case {
    const char *name;
    const char *yaml;
    unsigned flags;
    const char *expected; /* every diagnostic, in order */
} bad_case;

static const bad_case bad_cases[] = {
    {"a sound as a film", LAYER(""), 0,
     E(5, 34, "'audio/tone.wav' is a sound; play it from 'sounds:', or give a film")},
    {"a picture as a film", HEAD "layers:\n  - {id: film, type: video, src: img/dot.png}\n", 0,
     E(5, 34, "'img/dot.png' is an image; show it with 'type: image', or give a film")},
    {"missing film, play", FILM(""), 0,
     W(5, 34, "film file 'films/none.mp4' not found (looked in scenes)")},
    {"missing film, check", FILM(""), VT_SCENE_STRICT_ASSETS,
     E(5, 34, "film file 'films/none.mp4' not found (looked in scenes)")},
    {"at without timeline", FILM(", at: 2"), 0,
     W(5, 34, "film file 'films/none.mp4' not found (looked in scenes)")
         E(5, 50,
           "'at' goes with 'timeline': it is where in the timeline the film starts; add "
           "'timeline: ID' or remove 'at'")},
    {"at past the timeline", FILM(", timeline: story, at: 12"), 0,
     W(5, 34, "film file 'films/none.mp4' not found (looked in scenes)")
         E(5, 71, "'at' must be between 0 and 10, the duration of timeline 'story', got 12")},
    {"unknown timeline", FILM(", timeline: stroy"), 0,
     W(5, 34, "film file 'films/none.mp4' not found (looked in scenes)")
         E(5, 60, "unknown timeline 'stroy'; did you mean 'story'?")},
    {"loop not a boolean", FILM(", loop: yes"), 0,
     W(5, 34, "film file 'films/none.mp4' not found (looked in scenes)")
         E(5, 56, "'loop' must be a boolean, got 'yes'; expected true or false")},
    {"loop on an image", HEAD "layers:\n  - {id: i, type: image, src: img/dot.png, loop: true}\n",
     0, E(5, 44, "'loop' is not allowed in an image layer")},
    {"text key on a film", FILM(", font: Sans"), 0,
     W(5, 34, "film file 'films/none.mp4' not found (looked in scenes)")
         E(5, 50, "'font' is not allowed in a video layer")},
    {"a picture in a film per language",
     HEAD "layers:\n  - {id: film, type: video, src: {fr: films/none.mp4, en: img/dot.png}}\n", 0,
     W(5, 39, "film file 'films/none.mp4' not found (looked in scenes)")
         E(5, 59, "'img/dot.png' is an image; show it with 'type: image', or give a film")},
    {"a film per language, bad tag",
     HEAD "layers:\n  - {id: film, type: video, src: {fr_FR: a.mp4}}\n", 0,
     E(5, 35, "invalid language tag 'fr_FR'; write a BCP 47 language tag like fr, en or pt-BR")},
    {"no src", HEAD "layers:\n  - {id: film, type: video}\n", 0,
     E(5, 5, "missing required key 'src' in layer 'film'")},
    {"sound not a boolean", FILM(", sound: yes"), 0,
     W(5, 34, "film file 'films/none.mp4' not found (looked in scenes)")
         E(5, 57,
           "'sound' must be true, false or a mapping, got 'yes'; write 'sound: true' to "
           "hear the film, or 'sound: {bus: NAME, gain: 0.9}'")},
    {"sound on an unknown bus", FILM(", sound: {bus: voice}"), 0,
     W(5, 34, "film file 'films/none.mp4' not found (looked in scenes)")
         E(5, 63,
           "unknown bus 'voice'; the scene has no buses: add them at the top level, like "
           "'buses: {voice: 1}'")},
    {"sound gain too loud", FILM(", sound: {gain: 5}"), 0,
     W(5, 34, "film file 'films/none.mp4' not found (looked in scenes)")
         E(5, 64, "'gain' must be between 0 and 4, got 5")},
    {"sound on an image", HEAD "layers:\n  - {id: i, type: image, src: img/dot.png, sound: true}\n",
     0, E(5, 44, "'sound' is not allowed in an image layer")},
};

static void test_bad_cases(void) {
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        const bad_case *bc = &bad_cases[i];
        vt_diags d = {0};
        vt_scene *s = NULL;
        vt_status st = vt_scene_load_string(bc->yaml, strlen(bc->yaml), PATH, bc->flags, &s, &d);
        char *got = diags_text(&d);
        if (strcmp(got, bc->expected) != 0) {
            fprintf(stderr, "case '%s':\n", bc->name);
        }
        VT_CHECK_STR(got, bc->expected);
        VT_CHECK_INT(st, d.errors ? VT_E_DATAERR : VT_OK);
        free(got);
        vt_scene_destroy(s);
        vt_diags_free(&d);
    }
}

static void test_fields(void) {
    static const char yaml[] = HEAD "layers:\n"
                                    "  - {id: wall, type: video, src: films/none.mp4, loop: true,"
                                    " fit: cover, filter: nearest, size: [64, 48]}\n"
                                    "  - {id: inset, type: video, src: films/none.mp4, timeline: "
                                    "story, at: 2.5, opacity: 0.5}\n";
    vt_diags d = {0};
    vt_scene *s = NULL;
    VT_CHECK_INT(vt_scene_load_string(yaml, strlen(yaml), PATH, 0, &s, &d), VT_OK);
    VT_CHECK_INT(d.warnings, 2); /* the missing film, once per layer */
    if (s) {
        const vt_layer *wall = &s->layers[0], *inset = &s->layers[1];
        VT_CHECK_INT(wall->type, VT_LAYER_VIDEO);
        VT_CHECK_STR(wall->src, "films/none.mp4");
        VT_CHECK_STR(wall->src_path, "scenes/films/none.mp4");
        VT_CHECK(wall->loop);
        VT_CHECK_INT(wall->fit, VT_FIT_COVER);
        VT_CHECK_INT(wall->filter, VT_FILTER_NEAREST);
        VT_CHECK(wall->has_size);
        VT_CHECK_INT(wall->timeline, UINT32_MAX);
        VT_CHECK_INT(wall->at, 0);
        VT_CHECK(!inset->loop);
        VT_CHECK(!inset->has_size);
        VT_CHECK_INT(inset->timeline, 0);
        VT_CHECK_INT(inset->at, VT_TICKS_PER_SEC * 5 / 2);
        VT_CHECK_NEAR(inset->props.opacity, 0.5, 0);
    }
    vt_scene_destroy(s);
    vt_diags_free(&d);
    /* One film per language: each a variant, in the scene's languages. */
    static const char langs[] =
        HEAD "layers:\n  - {id: lsf, type: video, src: {fr: films/lsf.mp4, en: films/bsl.mp4}}\n";
    d = (vt_diags){0};
    s = NULL;
    VT_CHECK_INT(vt_scene_load_string(langs, strlen(langs), PATH, 0, &s, &d), VT_OK);
    if (s) {
        const vt_layer *l = &s->layers[0];
        VT_CHECK(l->src == NULL);
        VT_CHECK_INT(l->variant_count, 2);
        VT_CHECK_INT(s->language_count, 2);
        if (l->variant_count == 2 && s->language_count == 2) {
            VT_CHECK_STR(s->languages[l->variants[1].lang], "en");
            VT_CHECK_STR(l->variants[1].src, "films/bsl.mp4");
            VT_CHECK_STR(l->variants[1].src_path, "scenes/films/bsl.mp4");
        }
    }
    vt_scene_destroy(s);
    vt_diags_free(&d);
}

/* `sound`: the film's own sound becomes a sound of the scene, after its own ones, following the
 * layer's timing (timeline, at, loop; from the scene's start without a timeline) and language. */
static void test_film_sound(void) {
    static const char yaml[] = HEAD
        "buses: {voices: 0.8}\n"
        "sounds:\n  - {id: sea, src: audio/sea.wav, loop: true}\n"
        "layers:\n"
        "  - {id: wall, type: video, src: films/none.mp4, loop: true, sound: true}\n"
        "  - {id: inset, type: video, src: films/none.mp4, timeline: story, at: 2.5,"
        " sound: {bus: voices, gain: 0.9, position: [1, 0, -2]}}\n"
        "  - {id: lsf, type: video, src: {fr: films/lsf.mp4, en: films/bsl.mp4}, sound: true}\n"
        "  - {id: mute, type: video, src: films/none.mp4, sound: false}\n"
        "  - {id: quiet, type: video, src: films/none.mp4}\n";
    vt_diags d = {0};
    vt_scene *s = NULL;
    VT_CHECK_INT(vt_scene_load_string(yaml, strlen(yaml), PATH, 0, &s, &d), VT_OK);
    VT_CHECK_INT(s ? s->sound_count : 0, 5);
    if (s && s->sound_count == 5) {
        const vt_sound *sea = &s->sounds[0], *wall = &s->sounds[1], *inset = &s->sounds[2];
        const vt_sound *fr = &s->sounds[3], *en = &s->sounds[4];
        VT_CHECK(!sea->film);
        VT_CHECK_STR(wall->id, "wall[film]");
        VT_CHECK(wall->film && wall->loop && wall->autoplay && !wall->spatial);
        VT_CHECK_STR(wall->src_path, "scenes/films/none.mp4");
        VT_CHECK_INT(wall->layer, 0);
        VT_CHECK_INT(wall->timeline, UINT32_MAX);
        VT_CHECK_NEAR(wall->gain, 1, 0);
        VT_CHECK_INT(wall->bus, UINT32_MAX);
        VT_CHECK(inset->film && !inset->loop && !inset->autoplay && inset->spatial);
        VT_CHECK_INT(inset->timeline, 0);
        VT_CHECK_INT(inset->at, VT_TICKS_PER_SEC * 5 / 2);
        VT_CHECK_INT(inset->bus, 0);
        VT_CHECK_NEAR(inset->gain, 0.9, 0);
        VT_CHECK_NEAR(inset->position[2], -2, 0);
        VT_CHECK_STR(fr->id, "lsf[film]");
        VT_CHECK_STR(en->id, "lsf[film][en]");
        VT_CHECK(fr->spoken && en->spoken && fr->film && en->film);
        VT_CHECK_INT(fr->variant_of, 3);
        VT_CHECK_INT(en->variant_of, 3);
        VT_CHECK_STR(s->languages[en->lang], "en");
        VT_CHECK_STR(en->src_path, "scenes/films/bsl.mp4");
    }
    vt_scene_destroy(s);
    vt_diags_free(&d);
}

/* The loader agrees with the schema fixtures: the valid one loads (its films are missing:
 * warnings), the invalid ones are refused. */
static void test_schema_fixtures(void) {
    static const char *const invalid[] = {"video-image-src", "video-loop-on-image"};
    vt_diags d = {0};
    vt_scene *s = NULL;
    VT_CHECK_INT(vt_scene_load("schema/valid-video.yaml", 0, &s, &d), VT_OK);
    VT_CHECK_INT(d.errors, 0);
    VT_CHECK_INT(s ? s->layer_count : 0, 3);
    vt_scene_destroy(s);
    for (size_t i = 0; i < sizeof invalid / sizeof *invalid; i++) {
        char *path = vt_xasprintf("schema/invalid-%s.yaml", invalid[i]);
        vt_diags_free(&d);
        s = NULL;
        vt_status st = vt_scene_load(path, 0, &s, &d);
        if (st != VT_E_DATAERR) {
            fprintf(stderr, "%s: loaded, but the schema refuses it\n", path);
        }
        VT_CHECK_INT(st, VT_E_DATAERR);
        vt_scene_destroy(s);
        free(path);
    }
    vt_diags_free(&d);
}

int main(void) {
    test_bad_cases();
    test_schema_fixtures();
    test_fields();
    test_film_sound();
    return vt_test_finish("test_scene_video");
}
