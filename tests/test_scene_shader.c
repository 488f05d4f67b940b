/* Shader layers in scenes: `src`, `inputs` typed by the ISF header, `resolution`, `timeline`,
 * `hit: false`; tracks and `set` on LAYER.inputs.NAME through the player (values, colours in
 * linear light, steps, one-frame events, hot-reload carry-over); the player's next change for
 * still and animated shaders; positioned errors. Runs in tests/ (the shaders are in shaders/). */
#include "player/vt_player.h"
#include "scene/vt_scene.h"

#include "vt_test.h"

#include <stdlib.h>
#include <unistd.h>

#define SEC(x) ((vt_ticks)(x)*VT_TICKS_PER_SEC)

static vt_scene *load(const char *text, vt_diags *d) {
    vt_scene *s = NULL;
    vt_scene_load_string(text, strlen(text), "scene.yaml", 0, &s, d);
    return s;
}

/* The first error (or warning) as "line:col: message". */
static const char *first(const vt_diags *d, char *buf, size_t n) {
    if (d->count == 0) {
        return "(none)";
    }
    snprintf(buf, n, "%s:%d:%d: %s", d->items[0].path, d->items[0].line, d->items[0].col,
             d->items[0].message);
    return buf;
}

static const char *ALL = "format: vitrine/1\n"
                         "canvas: {size: [400, 200]}\n"
                         "layers:\n"
                         "  - {id: back, type: rect, size: [400, 200], color: \"#102030\"}\n"
                         "  - id: fx\n"
                         "    type: shader\n"
                         "    src: shaders/all-inputs.fs\n"
                         "    resolution: 0.5\n"
                         "    timeline: story\n"
                         "    inputs:\n"
                         "      level: 0.25\n"
                         "      on: true\n"
                         "      mode: blue\n"
                         "      tint: \"#ff000080\"\n"
                         "      center: [0.25, 0.75]\n"
                         "      picture: back\n"
                         "timelines:\n"
                         "  story:\n"
                         "    duration: 2\n"
                         "    autoplay: true\n"
                         "    tracks:\n"
                         "      - target: fx.inputs.level\n"
                         "        keys: [{t: 0, v: 0}, {t: 2, v: 1}]\n"
                         "      - target: fx.inputs.tint\n"
                         "        keys: [{t: 0, v: \"#000000\"}, {t: 2, v: \"#ffffff\"}]\n"
                         "      - target: fx.inputs.mode\n"
                         "        keys: [{t: 0, v: 0}, {t: 2, v: 2}]\n"
                         "      - target: fx.inputs.center\n"
                         "        keys: [{t: 0, v: [0, 0]}, {t: 2, v: [1, 0.5]}]\n"
                         "triggers:\n"
                         "  - when: {key: f}\n"
                         "    do: {set: {fx.inputs.flash: true, fx.inputs.on: false}}\n";

static void test_inputs(void) {
    vt_diags d = {0};
    vt_scene *s = load(ALL, &d);
    char buf[512];
    VT_CHECK_STR(first(&d, buf, sizeof buf), "(none)");
    VT_CHECK(s != NULL);
    if (!s) {
        vt_diags_free(&d);
        return;
    }
    const vt_layer *l = &s->layers[1];
    VT_CHECK_INT(l->type, VT_LAYER_SHADER);
    VT_CHECK(!l->hit); /* a shader layer defaults to hit: false */
    VT_CHECK(l->props.size.x == 400 && l->props.size.y == 200);
    VT_CHECK(l->shader && l->shader->isf);
    VT_CHECK_NEAR(l->shader->resolution, 0.5, 0);
    VT_CHECK_INT(l->timeline, 0);
    VT_CHECK_INT(l->shader->input_count, 7);
    const vt_shader_input *in = l->shader->inputs;
    VT_CHECK_NEAR(in[0].v[0], 0.25, 0);                                  /* level */
    VT_CHECK_NEAR(in[1].v[0], 1, 0);                                     /* on */
    VT_CHECK_NEAR(in[2].v[0], 2, 0);                                     /* mode: blue is 2 */
    VT_CHECK(in[3].v[0] == 255 && in[3].v[1] == 0 && in[3].v[3] == 128); /* tint */
    VT_CHECK(in[4].v[0] == 0.25 && in[4].v[1] == 0.75);                  /* center */
    VT_CHECK(in[5].image == VT_SHADER_IMAGE_LAYER && in[5].layer == 0);  /* picture */
    VT_CHECK_INT(in[6].image, VT_SHADER_IMAGE_NONE);                     /* flash */

    vt_player *p = vt_player_create(s, 0);
    vt_layer_props props[2];
    vt_player_update(p, SEC(1), props);
    const double *v = vt_player_shader_inputs(p, 1);
    VT_CHECK(v != NULL);
    VT_CHECK(vt_player_shader_inputs(p, 0) == NULL);
    if (v) {
        VT_CHECK_NEAR(v[0 * 4], 0.5, 1e-12); /* level halfway */
        VT_CHECK_NEAR(v[1 * 4], 1, 0);       /* on: the scene's value */
        VT_CHECK_NEAR(v[2 * 4], 0, 0);       /* mode holds until its next key */
        VT_CHECK_NEAR(v[3 * 4], 188, 0);     /* tint: linear-light midpoint of 0 and 255 */
        VT_CHECK_NEAR(v[4 * 4], 0.5, 1e-12); /* center halfway */
        VT_CHECK_NEAR(v[4 * 4 + 1], 0.25, 1e-12);
        VT_CHECK_NEAR(v[6 * 4], 0, 0); /* flash */
    }
    /* the level moves: the player redraws every frame */
    VT_CHECK_INT(vt_player_next_change(p, SEC(1)), SEC(1));
    /* an event input is true for exactly one update after its set */
    vt_event key = {.type = VT_EVENT_KEY, .name = "f"};
    vt_player_input(p, &key, SEC(1) + 10);
    VT_CHECK(vt_player_update(p, SEC(1) + 10, props));
    v = vt_player_shader_inputs(p, 1);
    VT_CHECK_NEAR(v[6 * 4], 1, 0);
    VT_CHECK_NEAR(v[1 * 4], 0, 0); /* a bool set stays */
    vt_player_update(p, SEC(1) + 20, props);
    VT_CHECK_NEAR(v[6 * 4], 0, 0);
    VT_CHECK_NEAR(v[1 * 4], 0, 0);
    /* at the end of the timeline, held values */
    vt_player_update(p, SEC(3), props);
    VT_CHECK_NEAR(v[2 * 4], 2, 0);
    VT_CHECK_NEAR(v[3 * 4], 255, 0);
    vt_player_destroy(p);
    vt_scene_destroy(s);
    vt_diags_free(&d);
}

/* A shader that reads TIME animates; one that reads nothing is still, and play sleeps. */
static void test_next_change(void) {
    static const struct {
        const char *src;
        bool animates;
    } cases[] = {
        {"shaders/gradient.fs", true}, {"shaders/toy.fs", true},     /* TIME, iTime */
        {"shaders/feedback.fs", true}, {"shaders/modern.fs", false}, /* feedback; nothing */
        {"shaders/invert.fs", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *text = vt_xasprintf("format: vitrine/1\ncanvas: {size: [64, 64]}\n"
                                  "layers:\n  - {id: s, type: shader, src: %s}\n",
                                  cases[i].src);
        vt_diags d = {0};
        vt_scene *s = load(text, &d);
        VT_CHECK(s != NULL);
        if (s) {
            vt_player *p = vt_player_create(s, 0);
            vt_layer_props props[1];
            vt_player_update(p, SEC(1), props);
            vt_ticks next = vt_player_next_change(p, SEC(1));
            if ((next == SEC(1)) != cases[i].animates) {
                fprintf(stderr, "%s: next change %lld\n", cases[i].src, (long long)next);
            }
            VT_CHECK((next == SEC(1)) == cases[i].animates);
            VT_CHECK(cases[i].animates || next == INT64_MAX);
            /* hidden, nothing animates */
            s->layers[0].props.visible = false;
            vt_player_update(p, SEC(2), props);
            VT_CHECK_INT(vt_player_next_change(p, SEC(2)), INT64_MAX);
            vt_player_destroy(p);
        }
        vt_scene_destroy(s);
        vt_diags_free(&d);
        free(text);
    }
}

/* The demo's glints (an ISF generator reading TIME) show only while the path is lit: between
 * the shimmer's moves the attract loop is still, and play sleeps until the next one. */
static void test_demo_still(void) {
    vt_diags d = {0};
    vt_scene *s = NULL;
    vt_scene_load("../scenes/demo.yaml", 0, &s, &d);
    VT_CHECK(s != NULL && d.errors == 0);
    if (!s) {
        vt_diags_print(&d, stderr);
        vt_diags_free(&d);
        return;
    }
    vt_player *p = vt_player_create(s, 0);
    vt_layer_props *props = vt_xcalloc(s->layer_count, sizeof *props);
    vt_player_update(p, SEC(8), props);
    VT_CHECK_INT(vt_player_next_change(p, SEC(8)), SEC(12)); /* still from 6 s to 12 s */
    vt_player_update(p, SEC(15), props);
    VT_CHECK_INT(vt_player_next_change(p, SEC(15)), SEC(15)); /* glinting: every frame */
    vt_player_update(p, SEC(20), props);
    VT_CHECK_INT(vt_player_next_change(p, SEC(20)), SEC(24)); /* still again until the loop */
    free(props);
    vt_player_destroy(p);
    vt_scene_destroy(s);
    vt_diags_free(&d);
}

/* Hot reload keeps a set input by name. */
static void test_carry_over(void) {
    vt_diags d = {0};
    vt_scene *a = load(ALL, &d), *b = load(ALL, &d);
    VT_CHECK(a && b);
    if (a && b) {
        vt_player *pa = vt_player_create(a, 0), *pb = NULL;
        vt_layer_props props[2];
        vt_event key = {.type = VT_EVENT_KEY, .name = "f"};
        vt_player_input(pa, &key, 10);
        vt_player_update(pa, 10, props);
        pb = vt_player_create(b, 20);
        vt_player_carry_over(pb, pa, 20);
        vt_player_update(pb, 20, props);
        VT_CHECK_NEAR(vt_player_shader_inputs(pb, 1)[1 * 4], 0, 0); /* on: set false */
        vt_player_destroy(pa);
        vt_player_destroy(pb);
    }
    vt_scene_destroy(a);
    vt_scene_destroy(b);
    vt_diags_free(&d);
}

static void test_errors(void) {
    static const char *HEAD = "format: vitrine/1\ncanvas: {size: [64, 64]}\nlayers:\n"
                              "  - {id: r, type: rect, size: [4, 4]}\n";
    static const struct {
        const char *layer, *want;
    } cases[] = {
        {"  - {id: s, type: shader, src: shaders/all-inputs.fs, inputs: {levle: 1}}\n",
         "scene.yaml:5:64: 'shaders/all-inputs.fs' has no input 'levle'; did you mean "
         "'level'?"},
        {"  - {id: s, type: shader, src: shaders/all-inputs.fs, inputs: {level: 2}}\n",
         "scene.yaml:5:71: 's.inputs.level' must be between 0 and 1, got 2"},
        {"  - {id: s, type: shader, src: shaders/all-inputs.fs, inputs: {level: red}}\n",
         "scene.yaml:5:71: 's.inputs.level' must be a number, got 'red'"},
        {"  - {id: s, type: shader, src: shaders/all-inputs.fs, inputs: {mode: 7}}\n",
         "scene.yaml:5:70: 's.inputs.mode' must be one of 0 (red), 1 (green), 2 (blue), got 7"},
        {"  - {id: s, type: shader, src: shaders/all-inputs.fs, inputs: {tint: red}}\n",
         "scene.yaml:5:70: 's.inputs.tint' must be a colour like \"#ff8800\" or \"#ff8800cc\", got "
         "'red'"},
        {"  - {id: s, type: shader, src: shaders/all-inputs.fs, inputs: {center: 3}}\n",
         "scene.yaml:5:72: 's.inputs.center' must be a point [x, y], not a number; fractions of "
         "the layer's box, y down: [0.5, 0.5] is its centre"},
        {"  - {id: s, type: shader, src: shaders/all-inputs.fs, inputs: {flash: true}}\n",
         "scene.yaml:5:71: 's.inputs.flash' is an event input: it fires for one frame with a "
         "trigger's 'set: {s.inputs.flash: true}', it has no value to give or animate"},
        {"  - {id: s, type: shader, src: shaders/all-inputs.fs, inputs: {picture: s}}\n",
         "scene.yaml:5:73: 's.inputs.picture' names its own layer; a shader cannot read itself "
         "(use a PERSISTENT pass for feedback)"},
        {"  - {id: s, type: shader, src: shaders/all-inputs.fs, inputs: {picture: nope}}\n",
         "scene.yaml:5:73: unknown layer 'nope'; layers: r, s"},
        {"  - {id: s, type: shader, src: shaders/all-inputs.fs, inputs: {picture: a.gif}}\n",
         "scene.yaml:5:73: 's.inputs.picture': 'a.gif' is not a PNG or JPEG file name; an image "
         "input takes below, a layer id or a .png/.jpg image"},
        {"  - {id: s, type: shader, src: builtin:film-grian}\n",
         "scene.yaml:5:32: 'builtin:film-grian' is not a built-in effect; did you mean "
         "'builtin:film-grain'? (blur, clouds, color-grade, crossfade, dissolve, film-grain, "
         "gradient, plasma, vignette, wipe)"},
        {"  - {id: s, type: shader, src: builtin:zzz}\n",
         "scene.yaml:5:32: 'builtin:zzz' is not a built-in effect; the built-in effects: blur, "
         "clouds, color-grade, crossfade, dissolve, film-grain, gradient, plasma, vignette, wipe"},
        {"  - {id: s, type: shader, src: builtin:wipe, inputs: {progres: 1}}\n",
         "scene.yaml:5:55: 'builtin:wipe' has no input 'progres'; did you mean 'progress'?"},
        {"  - {id: s, type: shader, src: shaders/LICENSE}\n",
         "scene.yaml:5:32: 'shaders/LICENSE' is not a shader file name; 'src' takes an ISF file "
         "(.fs) or a Shadertoy-style .frag or .glsl file"},
        {"  - {id: s, type: shader, src: shaders/modern.fs, fit: cover}\n",
         "scene.yaml:5:51: 'fit' is not allowed in a shader layer"},
        {"  - {id: s, type: shader, src: shaders/modern.fs}\n"
         "timelines: {t: {duration: 1, tracks: [{target: s.inputs.speed, keys: [{t: 0, v: "
         "1}]}]}}\n",
         "scene.yaml:6:48: target 's.inputs.speed': 'shaders/modern.fs' has no input 'speed'; "
         "its inputs: none"},
        {"  - {id: s, type: shader, src: shaders/gradient.fs}\n"
         "timelines: {t: {duration: 1, tracks: [{target: r.inputs.speed, keys: [{t: 0, v: "
         "1}]}]}}\n",
         "scene.yaml:6:48: target 'r.inputs.speed': layer 'r' is not a shader layer; only "
         "shader layers have inputs"},
        {"  - {id: s, type: shader, src: shaders/gradient.fs}\n"
         "timelines: {t: {duration: 1, tracks: [{target: s.inputs.speed, keys: [{t: 0, v: "
         "9}]}]}}\n",
         "scene.yaml:6:81: 's.inputs.speed' must be between 0 and 4, got 9"},
        {"  - {id: s, type: shader, src: shaders/gradient.fs}\n"
         "triggers: [{when: {key: a}, do: {set: {s.inputs.tint: 3}}}]\n",
         "scene.yaml:6:55: 's.inputs.tint' must be a colour like \"#ff8800\" or \"#ff8800cc\", "
         "got '3'"},
        {"  - {id: s, type: shader, src: shaders/gradient.fs, resolution: 5}\n",
         "scene.yaml:5:65: 'resolution' must be between 0.05 and 4, got 5"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *text = vt_xasprintf("%s%s", HEAD, cases[i].layer);
        vt_diags d = {0};
        vt_scene *s = load(text, &d);
        char buf[512];
        VT_CHECK(s == NULL);
        VT_CHECK_STR(first(&d, buf, sizeof buf), cases[i].want);
        vt_scene_destroy(s);
        vt_diags_free(&d);
        free(text);
    }
}

/* A bad ISF header is an error in the .fs file, naming the layer that uses it. */
static void test_header_error(void) {
    char dir[] = "/tmp/vt-shader-XXXXXX";
    if (!mkdtemp(dir)) {
        VT_SKIP("no temporary folder");
        return;
    }
    char *fs = vt_xasprintf("%s/bad.fs", dir), *scene = vt_xasprintf("%s/scene.yaml", dir);
    FILE *f = fopen(fs, "w");
    fputs("/*{\n  \"INPUTS\": [\n    {\"NAME\": \"x\", \"TYPE\": \"flot\"}\n  ]\n}*/\n"
          "void main() { gl_FragColor = vec4(1.0); }\n",
          f);
    fclose(f);
    const char *text = "format: vitrine/1\ncanvas: {size: [64, 64]}\nlayers:\n"
                       "  - id: waves\n    type: shader\n    src: bad.fs\n";
    vt_diags d = {0};
    vt_scene *s = NULL;
    vt_scene_load_string(text, strlen(text), scene, 0, &s, &d);
    VT_CHECK(s == NULL);
    VT_CHECK_INT(d.count, 1);
    char *want = vt_xasprintf("%s/bad.fs:3:14: input 'x': TYPE 'flot' is not an ISF type (did "
                              "you mean 'float'?) (layer 'waves' at %s:4:5)",
                              dir, scene);
    char buf[1024];
    VT_CHECK_STR(first(&d, buf, sizeof buf), want);
    free(want);
    vt_scene_destroy(s);
    vt_diags_free(&d);
    /* a missing file is a warning outside check (a placeholder is drawn), an error in it */
    remove(fs);
    vt_scene_load_string(text, strlen(text), scene, 0, &s, &d);
    VT_CHECK(s != NULL && d.errors == 0 && d.warnings == 1);
    VT_CHECK(s && s->layers[0].shader && !s->layers[0].shader->isf);
    vt_scene_destroy(s);
    vt_diags_free(&d);
    vt_scene_load_string(text, strlen(text), scene, VT_SCENE_STRICT_ASSETS, &s, &d);
    VT_CHECK(s == NULL && d.errors == 1);
    vt_diags_free(&d);
    rmdir(dir);
    free(fs);
    free(scene);
}

/* `builtin:NAME`: the effects embedded in the binary, read like a file of the scene's folder. */
static void test_builtin(void) {
    const char *text = "format: vitrine/1\ncanvas: {size: [64, 64]}\nlayers:\n"
                       "  - {id: grain, type: shader, src: builtin:film-grain, inputs: {grain: "
                       "0.5}}\n"
                       "  - {id: fade, type: shader, src: \"builtin: crossfade\"}\n";
    vt_diags d = {0};
    vt_scene *s = load(text, &d);
    char buf[512];
    VT_CHECK_STR(first(&d, buf, sizeof buf), "(none)");
    VT_CHECK(s != NULL);
    if (s) {
        const vt_shader *g = s->layers[0].shader, *f = s->layers[1].shader;
        VT_CHECK(g->isf != NULL && f->isf != NULL);
        VT_CHECK_STR(g->shown_path, "builtin:film-grain");
        VT_CHECK(g->src_path == NULL); /* nothing to read or watch on disk */
        VT_CHECK(g->isf && (g->isf->uses & VT_ISF_USES_FRAME));
        VT_CHECK_NEAR(g->inputs[0 + 1].v[0], 0.5, 0); /* after inputImage */
        VT_CHECK(f->isf && f->isf->transition);
        VT_CHECK_STR(f->shown_path, "builtin:crossfade");
    }
    vt_scene_destroy(s);
    vt_diags_free(&d);
    /* every one parses, named in alphabetical order */
    size_t n = 0;
    for (const char *name; (name = vt_isf_builtin_name(n)); n++) {
        vt_isf *isf = NULL;
        const char *t = vt_isf_builtin(name);
        VT_CHECK(t != NULL);
        VT_CHECK_INT(vt_isf_parse(t, strlen(t), name, &isf, &d), VT_OK);
        VT_CHECK(n == 0 || strcmp(vt_isf_builtin_name(n - 1), name) < 0);
        vt_isf_free(isf);
    }
    VT_CHECK_INT(n, 10);
    VT_CHECK_INT(d.count, 0);
    VT_CHECK(vt_isf_builtin("nope") == NULL && vt_isf_builtin_name(n) == NULL);
    vt_diags_free(&d);
}

int main(void) {
    test_builtin();
    test_inputs();
    test_next_change();
    test_demo_still();
    test_carry_over();
    test_errors();
    test_header_error();
    return vt_test_finish("test_scene_shader");
}
