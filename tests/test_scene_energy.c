/* Tests of the scene's `energy:` block: every default field by field, a complete block, and
 * one case per rule with the exact "path:line:col: error: message" lines. */
#include "io/vt_io.h"
#include "scene/vt_scene.h"
#include "vt_test.h"
#include "diag_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PATH "scenes/t.yaml"
#define E(line, col, msg) PATH ":" #line ":" #col ": error: " msg "\n"
/* The canvas runs at 30 fps; the energy block's keys start on line 6. */
#define HEAD "format: vitrine/1\ncanvas:\n  size: [64, 48]\n  fps: 30\nenergy:\n"
#define ENERGY_KEYS "budget_watts, fps, scale, brightness, degrade, attract"
#define FPS_FIX "; write it like {max: 60, min: 10}"
#define ATTRACT_FIX "; write it like {fps: 15, scale: 0.75}, or 'attract: full' for no caps"
#define MAX_FIX "; the canvas fps is the most a scene draws"
#define MIN_FIX "; the lowest frame rate must be at most the highest"
#define ATTRACT_FPS_FIX "; the attract state can only lower the frame rate"

typedef struct bad_case {
    const char *name;
    const char *yaml;
    const char *expected; /* every diagnostic, in order */
} bad_case;

static const bad_case bad_cases[] = {
    /* ---- the block itself ---- */
    {"energy not a mapping", "format: vitrine/1\ncanvas:\n  size: [64, 48]\nenergy: 25\n",
     E(4, 9, "'energy' must be a mapping, not a number; write 'budget_watts: 25' on the next "
             "line, indented")},
    {"energy a sequence", "format: vitrine/1\ncanvas:\n  size: [64, 48]\nenergy: [fps]\n",
     E(4, 9, "'energy' must be a mapping, not a sequence; write 'budget_watts: 25' on the next "
             "line, indented")},
    {"unknown key, list", HEAD "  budget: 25\n",
     E(6, 3, "unknown key 'budget' in 'energy'; valid keys: " ENERGY_KEYS)},
    {"unknown key, suggestion", HEAD "  fsp: {max: 30}\n",
     E(6, 3, "unknown key 'fsp' in 'energy'; did you mean 'fps'?")},

    /* ---- budget_watts ---- */
    {"budget zero", HEAD "  budget_watts: 0\n",
     E(6, 17, "'budget_watts' must be more than 0 watts, got 0; leave it out for no budget")},
    {"budget negative", HEAD "  budget_watts: -5\n",
     E(6, 17, "'budget_watts' must be more than 0 watts, got -5; leave it out for no budget")},
    {"budget too high", HEAD "  budget_watts: 100001\n",
     E(6, 17, "'budget_watts' must be at most 100000 watts, got 100001")},
    {"budget a word", HEAD "  budget_watts: lots\n",
     E(6, 17, "'budget_watts' must be a number, got 'lots'")},
    {"budget quoted", HEAD "  budget_watts: \"25\"\n",
     E(6, 17, "'budget_watts' must be a number, not a string")},
    {"budget infinite", HEAD "  budget_watts: .inf\n",
     E(6, 17, "'budget_watts' must be a finite number, got .inf")},
    {"budget empty", HEAD "  budget_watts:\n",
     E(6, 16, "'budget_watts' has no value; expected a number")},

    /* ---- fps ---- */
    {"fps a number", HEAD "  fps: 30\n", E(6, 8, "'fps' must be a mapping, not a number" FPS_FIX)},
    {"fps empty", HEAD "  fps:\n", E(6, 7, "'fps' has no value" FPS_FIX)},
    {"fps.max range", HEAD "  fps: {max: 0}\n",
     E(6, 14, "'fps.max' must be between 1 and 240, got 0")},
    {"fps.max above the canvas", HEAD "  fps: {max: 60}\n",
     E(6, 14, "'fps.max' (60) is above the canvas fps (30)" MAX_FIX)},
    {"fps.max refused: min not compared", HEAD "  fps: {max: 90, min: 50}\n",
     E(6, 14, "'fps.max' (90) is above the canvas fps (30)" MAX_FIX)},
    {"fps.min above fps.max", HEAD "  fps: {max: 20, min: 25}\n",
     E(6, 23, "'fps.min' (25) is above 'fps.max' (20)" MIN_FIX)},
    {"fps.min above the canvas", HEAD "  fps: {min: 31}\n",
     E(6, 14, "'fps.min' (31) is above the canvas fps (30)" MIN_FIX)},
    {"fps.min decimal", HEAD "  fps: {min: 9.5}\n",
     E(6, 14, "'fps.min' must be an integer, got 9.5")},
    {"fps.max range high", HEAD "  fps:\n    max: 241\n",
     E(7, 10, "'fps.max' must be between 1 and 240, got 241")},
    {"fps unknown key", HEAD "  fps: {mx: 20}\n",
     E(6, 9, "unknown key 'mx' in 'energy.fps'; did you mean 'max'?")},

    /* ---- scale, brightness ---- */
    {"scale.min range", HEAD "  scale: {min: 0.05}\n",
     E(6, 16, "'scale.min' must be between 0.1 and 1, got 0.05")},
    {"scale a number", HEAD "  scale: 0.5\n",
     E(6, 10, "'scale' must be a mapping, not a number; write it like {min: 0.5}")},
    {"brightness.min range", HEAD "  brightness: {min: 1.5}\n",
     E(6, 21, "'brightness.min' must be between 0 and 1, got 1.5")},
    {"brightness.min negative", HEAD "  brightness: {min: -0.1}\n",
     E(6, 21, "'brightness.min' must be between 0 and 1, got -0.1")},
    {"brightness unknown key", HEAD "  brightness: {max: 1}\n",
     E(6, 16, "unknown key 'max' in 'energy.brightness'; valid keys: min")},
    {"brightness a sequence", HEAD "  brightness: [0.6]\n",
     E(6, 15, "'brightness' must be a mapping, not a sequence; write it like {min: 0.6}")},

    /* ---- degrade ---- */
    {"degrade unknown items", HEAD "  degrade: [fsp, sharpness]\n",
     E(6, 13, "unknown 'degrade' item 'fsp'; did you mean 'fps'?")
     E(6, 18, "unknown 'degrade' item 'sharpness'; valid items: fps, scale, brightness")},
    {"degrade twice", HEAD "  degrade: [fps, scale, fps]\n",
     E(6, 25, "'fps' is listed twice in 'degrade' (first at line 6, column 13); remove one of "
              "them")},
    {"degrade empty", HEAD "  degrade: []\n",
     E(6, 12, "'degrade' is empty; list what to give up first: fps, scale or brightness, like "
              "[fps, scale]")},
    {"degrade a word", HEAD "  degrade: fps\n",
     E(6, 12, "'degrade' must be a sequence, got 'fps'; write it like [fps, scale]")},
    {"degrade items not words", HEAD "  degrade: [1, [fps], \"\"]\n",
     E(6, 13, "unknown 'degrade' item '1'; valid items: fps, scale, brightness")
     E(6, 16, "each 'degrade' item must be fps, scale or brightness, not a sequence")
     E(6, 23, "unknown 'degrade' item ''; valid items: fps, scale, brightness")},

    /* ---- attract ---- */
    {"attract a word", HEAD "  attract: none\n",
     E(6, 12, "'attract' must be a mapping or the word full, got 'none'" ATTRACT_FIX)},
    {"attract empty", HEAD "  attract:\n",
     E(6, 11, "'attract' has no value" ATTRACT_FIX)},
    {"attract.fps above the canvas", HEAD "  attract: {fps: 31}\n",
     E(6, 18, "'attract.fps' (31) is above the canvas fps (30)" ATTRACT_FPS_FIX)},
    {"attract.fps above fps.max", HEAD "  fps: {max: 20}\n  attract: {fps: 25}\n",
     E(7, 18, "'attract.fps' (25) is above 'fps.max' (20)" ATTRACT_FPS_FIX)},
    {"attract ranges", HEAD "  attract: {scale: 0.05, brightness: -0.1, fps: 0}\n",
     E(6, 20, "'attract.scale' must be between 0.1 and 1, got 0.05")
     E(6, 38, "'attract.brightness' must be between 0 and 1, got -0.1")
     E(6, 49, "'attract.fps' must be between 1 and 240, got 0")},
    {"attract unknown key", HEAD "  attract: {fsp: 10}\n",
     E(6, 13, "unknown key 'fsp' in 'energy.attract'; did you mean 'fps'?")},
    {"attract full is a plain word only", HEAD "  attract: [full]\n",
     E(6, 12, "'attract' must be a mapping or the word full, not a sequence" ATTRACT_FIX)},
};

static void check_bad_case(const bad_case *bc) {
    check_bad_scene(bc->name, bc->yaml, PATH, 0, bc->expected, NULL);
}

static vt_scene *load_ok(const char *text) {
    vt_diags d = {0};
    vt_scene *scene = NULL;
    VT_CHECK_INT(vt_scene_load_string(text, strlen(text), PATH, 0, &scene, &d), VT_OK);
    char *got = diags_text(&d);
    VT_CHECK_STR(got, "");
    free(got);
    vt_diags_free(&d);
    return scene;
}

/* Every field against expected values given as one struct (line/col included). */
static void check_energy(const vt_energy *e, const vt_energy *want) {
    VT_CHECK_NEAR(e->budget_watts, want->budget_watts, 0);
    VT_CHECK_INT(e->fps_max, want->fps_max);
    VT_CHECK_INT(e->fps_min, want->fps_min);
    VT_CHECK_NEAR(e->scale_min, want->scale_min, 0);
    VT_CHECK_NEAR(e->brightness_min, want->brightness_min, 0);
    VT_CHECK_INT(e->degrade_count, want->degrade_count);
    for (size_t i = 0; i < want->degrade_count && i < 3; i++) {
        VT_CHECK_INT(e->degrade[i], want->degrade[i]);
    }
    VT_CHECK(e->attract_full == want->attract_full);
    VT_CHECK_INT(e->attract_fps, want->attract_fps);
    VT_CHECK_NEAR(e->attract_scale, want->attract_scale, 0);
    VT_CHECK_NEAR(e->attract_brightness, want->attract_brightness, 0);
    VT_CHECK_INT(e->line, want->line);
    VT_CHECK_INT(e->col, want->col);
}

static vt_energy defaults(int fps_max, int fps_min, int attract_fps, int line) {
    return (vt_energy){.fps_max = fps_max,
                       .fps_min = fps_min,
                       .scale_min = 0.5,
                       .brightness_min = 0.6,
                       .degrade = {VT_ENERGY_FPS, VT_ENERGY_SCALE},
                       .degrade_count = 2,
                       .attract_fps = attract_fps,
                       .attract_scale = 0.6,
                       .attract_brightness = 1.0,
                       .line = line,
                       .col = line ? 1 : 0};
}

static void expect_energy(const char *text, const vt_energy *want) {
    vt_scene *s = load_ok(text);
    if (s) {
        check_energy(&s->energy, want);
    }
    vt_scene_destroy(s);
}

static void test_defaults(void) {
    /* No block, an empty one, one with only x- keys: every default, the canvas fps as max. */
    vt_energy absent = defaults(60, 10, 12, 0);
    expect_energy("format: vitrine/1\ncanvas:\n  size: [64, 48]\n", &absent);
    vt_energy at4 = defaults(60, 10, 12, 4);
    expect_energy("format: vitrine/1\ncanvas:\n  size: [64, 48]\nenergy:\n", &at4);
    expect_energy("format: vitrine/1\ncanvas:\n  size: [64, 48]\nenergy: ~\n", &at4);
    vt_energy at5 = defaults(30, 10, 12, 5);
    expect_energy(HEAD "  x-note: later\n", &at5);
    expect_energy(HEAD "  fps: {}\n  scale: {}\n  brightness: {}\n  attract: {}\n", &at5);
    /* A slow canvas: the defaults that would exceed it follow it down. */
    vt_energy slow = defaults(8, 8, 8, 0);
    expect_energy("format: vitrine/1\ncanvas:\n  size: [64, 48]\n  fps: 8\n", &slow);
    /* So does a written fps.max, whatever the order of the keys. */
    vt_energy max12 = defaults(12, 10, 12, 5);
    max12.attract_scale = 0.75;
    expect_energy(HEAD "  attract: {scale: 0.75}\n  fps: {max: 12}\n", &max12);
    vt_energy max5 = defaults(5, 5, 5, 5);
    expect_energy(HEAD "  fps: {max: 5}\n", &max5);
}

static void test_values(void) {
    vt_energy want = defaults(30, 1, 1, 5);
    want.budget_watts = 0.5;
    want.scale_min = 1;
    want.brightness_min = 0;
    want.degrade[0] = VT_ENERGY_BRIGHTNESS;
    want.degrade_count = 1;
    want.attract_scale = 0.1;
    want.attract_brightness = 0;
    expect_energy(HEAD "  budget_watts: 0.5\n  fps: {max: 30, min: 1}\n  scale: {min: 1}\n"
                       "  brightness: {min: 0}\n  degrade: [brightness]\n"
                       "  attract: {fps: 1, scale: 0.1, brightness: 0}\n",
                  &want);
    /* Limits: a budget of 100000 W, fps.min equal to fps.max, attract.fps equal to fps.max. */
    want = defaults(30, 30, 12, 5);
    want.budget_watts = 100000;
    want.attract_full = true;
    expect_energy(HEAD "  budget_watts: 1e5\n  fps: {min: 30}\n  attract: full\n", &want);
    want.attract_full = false;
    want.attract_fps = 30;
    expect_energy(HEAD "  budget_watts: 100000\n  fps: {min: 30}\n  attract: {fps: 30}\n", &want);
}

static void test_file(void) {
    vt_diags d = {0};
    vt_scene *s = NULL;
    VT_CHECK_INT(vt_scene_load("scenes/energy.yaml", VT_SCENE_STRICT_ASSETS, &s, &d), VT_OK);
    VT_CHECK_INT(d.count, 0);
    vt_energy want = {
        .budget_watts = 42.5,
        .fps_max = 48,
        .fps_min = 12,
        .scale_min = 0.25,
        .brightness_min = 0.4,
        .degrade = {VT_ENERGY_BRIGHTNESS, VT_ENERGY_FPS, VT_ENERGY_SCALE},
        .degrade_count = 3,
        .attract_fps = 8,
        .attract_scale = 0.5,
        .attract_brightness = 0.7,
        .line = 6,
        .col = 1,
    };
    if (s) {
        VT_CHECK_INT(s->fps, 50);
        check_energy(&s->energy, &want);
    }
    vt_scene_destroy(s);
    vt_diags_free(&d);
}

static void load_doc_example(const char *text, int line) {
    vt_diags d = {0};
    vt_scene *s = NULL;
    if (vt_scene_load_string(text, strlen(text), "docs/scene-format.md", 0, &s, &d) != VT_OK) {
        fprintf(stderr, "docs/scene-format.md: the example at line %d does not load:\n", line);
        vt_diags_print(&d, stderr);
    }
    VT_CHECK(s != NULL);
    vt_scene_destroy(s);
    vt_diags_free(&d);
}

static void test_doc_examples(void) {
    VT_CHECK(doc_examples("../docs/scene-format.md", "format: vitrine/1\n", "\nenergy:",
                          load_doc_example) >= 1);
}

static void test_broken_file(void) {
#define B(line, col, msg) "scenes/energy-broken.yaml:" #line ":" #col ": error: " msg "\n"
    static const char expected[] =
        B(7, 17, "'budget_watts' must be more than 0 watts, got 0; leave it out for no budget")
        B(8, 23, "'fps.min' (25) is above 'fps.max' (24)" MIN_FIX)
        B(9, 16, "'scale.min' must be between 0.1 and 1, got 2")
        B(10, 3, "unknown key 'brightnes' in 'energy'; did you mean 'brightness'?")
        B(11, 18, "unknown 'degrade' item 'scael'; did you mean 'scale'?")
        B(11, 25, "'fps' is listed twice in 'degrade' (first at line 11, column 13); remove one "
                  "of them")
        B(12, 18, "'attract.fps' (25) is above 'fps.max' (24)" ATTRACT_FPS_FIX);
#undef B
    vt_diags d = {0};
    vt_scene *s = NULL;
    VT_CHECK_INT(vt_scene_load("scenes/energy-broken.yaml", 0, &s, &d), VT_E_DATAERR);
    VT_CHECK(s == NULL);
    char *got = diags_text(&d);
    VT_CHECK_STR(got, expected);
    VT_CHECK_INT(d.errors, 7);
    free(got);
    vt_diags_free(&d);
}

int main(void) {
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        check_bad_case(&bad_cases[i]);
    }
    test_defaults();
    test_values();
    test_file();
    test_broken_file();
    test_doc_examples();
    return vt_test_finish("test_scene_energy");
}
