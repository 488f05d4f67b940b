/* Slideshow layers: made into one image layer per picture and a timeline at load; which
 * picture shows at each frame (a pure function of the time), the crossfade's midpoint, the
 * loop back to the first, a shuffle that repeats with its seed, a folder source, Ken Burns
 * framing, no frame to draw during a still hold, and positioned errors. The pictures are in
 * tests/slideshow/pics (copies of tests/scenes/img/dot.png). */
#include "player/vt_player.h"
#include <math.h>
#include "vt_test.h"

#define PATH "slideshow/t.yaml"
#define HEAD "format: vitrine/1\ncanvas:\n  size: [640, 480]\n  fps: 10\n"
#define SEC(x) ((vt_ticks)((x)*VT_TICKS_PER_SEC))

static vt_scene *load(const char *yaml) {
    vt_diags d = {0};
    vt_scene *scene = NULL;
    vt_status st = vt_scene_load_string(yaml, strlen(yaml), PATH, 0, &scene, &d);
    VT_CHECK_INT(st, VT_OK);
    if (st != VT_OK) {
        vt_diags_print(&d, stderr);
    }
    vt_diags_free(&d);
    return scene;
}

/* The index (among layers first..first+n) of the topmost fully opaque picture, -1 when none. */
static int shown(const vt_layer_props *p, size_t first, size_t n) {
    int top = -1;
    for (size_t i = 0; i < n; i++) {
        if (p[first + i].opacity == 1.0) {
            top = (int)i;
        }
    }
    return top;
}

static const char three[] = HEAD "layers:\n"
                                 "  - {id: bg, type: rect, size: [640, 480]}\n"
                                 "  - id: show\n"
                                 "    type: slideshow\n"
                                 "    size: [640, 480]\n"
                                 "    fit: cover\n"
                                 "    duration: 4\n"
                                 "    transition: {type: crossfade, duration: 1}\n"
                                 "    items:\n"
                                 "      - pics/a.png\n"
                                 "      - {src: pics/b.png, duration: 6}\n"
                                 "      - pics/c.png\n"
                                 "  - {id: top, type: rect, size: [10, 10]}\n"
                                 "timelines:\n"
                                 "  t: {duration: 1, tracks: [{target: top.opacity, keys: [{t: 0, "
                                 "v: 0.5}]}]}\n"
                                 "triggers:\n"
                                 "  - {when: {touch: top}, do: {set: {top.opacity: 1}}}\n";

/* Frame by frame at 10 fps over two loops (14 s each): a held from 0 to 3 s, a->b 3..4, b held
 * to 9, b->c 9..10, c held to 13, c->a (c fading out over a) 13..14, then again. */
static void test_timing(void) {
    vt_scene *sc = load(three);
    if (!sc) {
        return;
    }
    VT_CHECK_INT(sc->layer_count, 5);
    VT_CHECK_STR(sc->layers[1].id, "show");
    VT_CHECK_STR(sc->layers[2].id, "show[2]");
    VT_CHECK_STR(sc->layers[3].src, "pics/c.png");
    VT_CHECK_STR(sc->layers[4].id, "top");
    VT_CHECK_INT(sc->layers[2].type, VT_LAYER_IMAGE);
    VT_CHECK_INT(sc->layers[2].fit, VT_FIT_COVER);
    /* references to later layers follow them */
    VT_CHECK_INT(sc->timelines[0].tracks[0].layer, 4);
    VT_CHECK_INT(sc->triggers[0].when.index, 4);
    VT_CHECK_INT(sc->triggers[0].actions[0].target, 4);
    VT_CHECK_INT(sc->timeline_count, 2);
    VT_CHECK_STR(sc->timelines[1].id, "show[slides]");
    VT_CHECK_INT(sc->timelines[1].duration, SEC(14));
    vt_layer_props props[5];
    vt_player *p = vt_player_create(sc, 0);
    int bad = 0;
    for (int frame = 0; frame < 280; frame++) {
        double t = frame / 10.0, u = t - 14 * (int)(t / 14);
        vt_player_update(p, SEC(t), props);
        int want = u < 3 ? 0 : u < 4 ? -2 : u < 9 ? 1 : u < 10 ? -2 : u < 13 ? 2 : u < 14 ? -2 : 0;
        int got = shown(props, 1, 3);
        if (want == -2) { /* a crossfade: the one beneath fully, the one above part way */
            want = u < 4 ? 0 : u < 10 ? 1 : u == 13 ? 2 : 0; /* c fades out from 13 */
        }
        if (got != want && bad++ < 5) {
            fprintf(stderr, "frame %d (%.1f s): picture %d shown, want %d\n", frame, t, got, want);
        }
    }
    VT_CHECK_INT(bad, 0);
    vt_player_destroy(p);
    p = vt_player_create(sc, 0); /* time only goes forward */
    /* the crossfades' midpoints: the picture coming in at one half */
    vt_player_update(p, SEC(3.5), props);
    VT_CHECK(props[1].opacity == 1 && props[2].opacity == 0.5 && props[3].opacity == 0);
    vt_player_update(p, SEC(9.5), props);
    VT_CHECK(props[2].opacity == 1 && props[3].opacity == 0.5);
    vt_player_update(p, SEC(13.5), props); /* the last fades out over the first */
    VT_CHECK(props[1].opacity == 1 && props[3].opacity == 0.5 && props[2].opacity == 0);
    /* a still hold: nothing to draw until the next crossfade starts */
    vt_player_update(p, SEC(15), props);
    VT_CHECK(!vt_player_update(p, SEC(15.1), props));
    VT_CHECK_INT(vt_player_next_change(p, SEC(15.1)), SEC(17));
    vt_player_destroy(p);
    vt_scene_destroy(sc);
}

static char *order(const char *yaml) {
    vt_scene *sc = load(yaml);
    static char buf[4][64];
    static int turn;
    char *out = buf[turn++ % 4];
    out[0] = '\0';
    for (size_t i = 0; sc && i < sc->layer_count; i++) {
        strncat(out, sc->layers[i].src + strlen(sc->layers[i].src) - 5, 1);
    }
    vt_scene_destroy(sc);
    return out;
}

/* A folder: its images by name; `shuffle: SEED` the same order at every load, another seed
 * another order; `loop: false` holds the last picture. */
static void test_folder_and_shuffle(void) {
    VT_CHECK_STR(order(HEAD "layers:\n  - {id: s, type: slideshow, folder: pics}\n"), "abcd");
    char *a = order(HEAD "layers:\n  - {id: s, type: slideshow, folder: pics, shuffle: 7}\n");
    char *b = order(HEAD "layers:\n  - {id: s, type: slideshow, folder: pics, shuffle: 7}\n");
    char *c = order(HEAD "layers:\n  - {id: s, type: slideshow, folder: pics, shuffle: 8}\n");
    VT_CHECK_STR(a, b);
    VT_CHECK(strcmp(a, "abcd") != 0 || strcmp(c, "abcd") != 0);
    VT_CHECK(strcmp(a, c) != 0);
    vt_scene *sc = load(
        HEAD "layers:\n  - {id: s, type: slideshow, folder: pics, loop: false, duration: 2}\n");
    if (sc) {
        VT_CHECK_INT(sc->timelines[0].plays, 1);
        vt_layer_props props[4];
        vt_player *p = vt_player_create(sc, 0);
        vt_player_update(p, SEC(30), props);
        VT_CHECK(props[3].opacity == 1 && props[0].opacity == 0);
        vt_player_destroy(p);
        vt_scene_destroy(sc);
    }
}

/* Ken Burns: the framing written per item is reached at the item's end: [0.5, 0.5, 2] centres
 * the picture zoomed twice about the box's centre. A seeded gentle motion repeats. */
static void test_ken_burns(void) {
    vt_scene *sc = load(HEAD "layers:\n"
                             "  - id: s\n"
                             "    type: slideshow\n"
                             "    size: [640, 480]\n"
                             "    ken_burns: true\n"
                             "    duration: 4\n"
                             "    items:\n"
                             "      - {src: pics/a.png, from: [0.5, 0.5, 1], to: [0.5, 0.5, 2]}\n"
                             "      - pics/b.png\n");
    if (!sc) {
        return;
    }
    vt_layer_props props[2];
    vt_player *p = vt_player_create(sc, 0);
    vt_player_update(p, 0, props);
    VT_CHECK(props[0].scale.x == 1 && props[0].position.x == 0 && props[0].position.y == 0);
    vt_player_update(p, SEC(2), props);
    VT_CHECK(vt_player_next_change(p, SEC(2)) == SEC(2)); /* moving: every frame */
    vt_player_update(p, SEC(4), props);
    VT_CHECK(props[0].scale.x == 2 && props[0].position.x == -320 && props[0].position.y == -240);
    VT_CHECK(props[1].scale.x > 1 && props[1].scale.x < 1.2); /* gentle */
    vt_player_destroy(p);
    vt_scene_destroy(sc);
}

/* Captions: one text layer per captioned item (after the pictures and transitions), each fading
 * in as its picture comes and out as the next one does, symmetric, over the same second; a
 * plain string in the scene's language, a map per language. */
static void test_captions(void) {
    vt_scene *sc = load(HEAD "language: fr\n"
                             "layers:\n"
                             "  - id: show\n"
                             "    type: slideshow\n"
                             "    size: [640, 480]\n"
                             "    duration: 4\n"
                             "    caption_style: {size: 20, color: \"#ffff00\", position: [320, "
                             "460]}\n"
                             "    items:\n"
                             "      - {src: pics/a.png, caption: Un}\n"
                             "      - pics/b.png\n"
                             "      - {src: pics/c.png, caption: {en: Three, fr: Trois}}\n");
    if (!sc) {
        return;
    }
    VT_CHECK_INT(sc->layer_count, 5);
    VT_CHECK_STR(sc->layers[3].id, "show[1]-caption");
    VT_CHECK_STR(sc->layers[4].id, "show[3]-caption");
    VT_CHECK_INT(sc->layers[3].type, VT_LAYER_TEXT);
    VT_CHECK(sc->layers[3].text.size == 20 && sc->layers[3].props.color.b == 0);
    VT_CHECK(sc->layers[4].props.position.x == 320 && sc->layers[4].props.position.y == 460);
    VT_CHECK_INT(sc->layers[3].variant_count, 1);
    VT_CHECK_STR(sc->languages[sc->layers[3].variants[0].lang], "fr");
    VT_CHECK_INT(sc->layers[4].variant_count, 2);
    VT_CHECK(!sc->layers[3].hit);
    vt_layer_props props[5];
    vt_player *p = vt_player_create(sc, 0);
    int bad = 0;
    for (int frame = 0; frame < 240; frame++) { /* two loops of 12 s at 10 fps */
        double t = frame / 10.0, u = t - 12 * (int)(t / 12);
        vt_player_update(p, SEC(t), props);
        /* caption 1 with picture a (0..3 full, 3..4 out; 11..12 in), caption 3 with c */
        double want1 = u < 3 ? 1 : u < 4 ? 4 - u : u < 11 ? 0 : u - 11;
        double want3 = u < 7 ? 0 : u < 8 ? u - 7 : u < 11 ? 1 : 12 - u;
        if ((fabs(props[3].opacity - want1) > 1e-6 || fabs(props[4].opacity - want3) > 1e-6) &&
            bad++ < 5) {
            fprintf(stderr, "frame %d: captions %.3f %.3f, want %.3f %.3f\n", frame,
                    props[3].opacity, props[4].opacity, want1, want3);
        }
    }
    VT_CHECK_INT(bad, 0);
    vt_player_destroy(p);
    vt_scene_destroy(sc);
}

/* A wipe: one shader layer per transition (the loop's last one too) over the slideshow's box,
 * its startImage and endImage the two pictures, drawn only while it runs, its progress 0 to 1
 * then; the pictures cut beneath it; nothing to draw during a hold. */
static void test_wipe(void) {
    vt_scene *sc = load(HEAD "layers:\n"
                             "  - id: show\n"
                             "    type: slideshow\n"
                             "    size: [640, 480]\n"
                             "    duration: 4\n"
                             "    transition: {type: wipe, duration: 1, inputs: {angle: 90}}\n"
                             "    items: [pics/a.png, pics/b.png, pics/c.png]\n");
    if (!sc) {
        return;
    }
    VT_CHECK_INT(sc->layer_count, 6);
    VT_CHECK_STR(sc->layers[3].id, "show[1]-transition");
    VT_CHECK_INT(sc->layers[3].type, VT_LAYER_SHADER);
    const vt_shader *sh = sc->layers[4].shader;
    VT_CHECK(sh && sh->isf);
    if (!sh || !sh->isf) {
        vt_scene_destroy(sc);
        return;
    }
    size_t a = (size_t)(vt_isf_find_input(sh->isf, "startImage") - sh->isf->inputs);
    size_t b = (size_t)(vt_isf_find_input(sh->isf, "endImage") - sh->isf->inputs);
    size_t pr = (size_t)(vt_isf_find_input(sh->isf, "progress") - sh->isf->inputs);
    size_t an = (size_t)(vt_isf_find_input(sh->isf, "angle") - sh->isf->inputs);
    VT_CHECK(sh->inputs[a].image == VT_SHADER_IMAGE_LAYER && sh->inputs[a].layer == 1);
    VT_CHECK(sh->inputs[b].image == VT_SHADER_IMAGE_LAYER && sh->inputs[b].layer == 2);
    VT_CHECK(sc->layers[5].shader->inputs[b].layer == 0); /* c back to a */
    VT_CHECK(sh->inputs[an].v[0] == 90);
    vt_layer_props props[6];
    vt_player *p = vt_player_create(sc, 0);
    int bad = 0;
    for (int frame = 0; frame < 240; frame++) {
        double t = frame / 10.0, u = t - 12 * (int)(t / 12);
        vt_player_update(p, SEC(t), props);
        int slide = (int)(u / 4);
        double f = u - 4 * slide;
        int pic = -1, pics = 0, running = -1, shown = 0;
        for (int i = 0; i < 3; i++) {
            pics += props[i].opacity != 0;
            pic = props[i].opacity == 1 ? i : pic;
            shown += props[3 + i].opacity != 0;
            running = props[3 + i].opacity == 1 ? i : running;
        }
        int want_run = f >= 3 ? slide : -1;
        bool ok = pics == 1 && pic == slide && shown == (want_run >= 0) && running == want_run;
        if (ok && want_run >= 0) {
            const double *in = vt_player_shader_inputs(p, (uint32_t)(3 + want_run));
            ok = in && fabs(in[pr * 4] - (f - 3)) < 1e-6;
        }
        if (!ok && bad++ < 5) {
            fprintf(stderr, "frame %d: picture %d (%d shown), transition %d (%d shown)\n", frame,
                    pic, pics, running, shown);
        }
    }
    VT_CHECK_INT(bad, 0);
    vt_player_destroy(p);
    p = vt_player_create(sc, 0); /* still during a hold, every frame during a wipe */
    vt_player_update(p, SEC(1), props);
    VT_CHECK(!vt_player_update(p, SEC(1.1), props));
    VT_CHECK_INT(vt_player_next_change(p, SEC(1.1)), SEC(3));
    vt_player_update(p, SEC(3.2), props);
    VT_CHECK(vt_player_update(p, SEC(3.3), props));
    VT_CHECK_INT(vt_player_next_change(p, SEC(3.3)), SEC(3.3));
    vt_player_destroy(p);
    vt_scene_destroy(sc);
}

/* An artist's ISF transition file (tests/slideshow/down.fs), its own input set by `inputs`;
 * not looping: one transition between two pictures. */
static void test_own_transition(void) {
    vt_scene *sc = load(HEAD "layers:\n"
                             "  - {id: show, type: slideshow, size: [640, 480], loop: false, "
                             "transition: {type: down.fs, inputs: {edge: 0.25}}, "
                             "items: [pics/a.png, pics/b.png]}\n");
    if (!sc) {
        return;
    }
    VT_CHECK_INT(sc->layer_count, 3);
    const vt_shader *sh = sc->layers[2].shader;
    VT_CHECK(sh && sh->isf && sh->input_count == 4);
    if (sh && sh->isf && sh->input_count == 4) {
        VT_CHECK(sh->inputs[0].image == VT_SHADER_IMAGE_LAYER && sh->inputs[0].layer == 0);
        VT_CHECK(sh->inputs[1].image == VT_SHADER_IMAGE_LAYER && sh->inputs[1].layer == 1);
        VT_CHECK(sh->inputs[3].v[0] == 0.25);
    }
    vt_layer_props props[3];
    vt_player *p = vt_player_create(sc, 0);
    vt_player_update(p, SEC(4.5), props); /* halfway through the 4..5 s transition */
    const double *in = vt_player_shader_inputs(p, 2);
    VT_CHECK(props[2].opacity == 1 && in && fabs(in[2 * 4] - 0.5) < 1e-6);
    vt_player_update(p, SEC(9), props); /* the end: the last picture, no transition */
    VT_CHECK(props[1].opacity == 1 && props[0].opacity == 0 && props[2].opacity == 0);
    vt_player_destroy(p);
    vt_scene_destroy(sc);
}

/* `touch: ID` on a slideshow fires wherever its box is touched, whichever picture shows: only
 * the first picture (beneath the others) catches touches. */
static void test_touch(void) {
    vt_scene *sc = load(HEAD "layers:\n"
                             "  - {id: show, type: slideshow, size: [640, 480], duration: 2, "
                             "items: [pics/a.png, pics/b.png, pics/c.png]}\n"
                             "  - {id: dot, type: rect, size: [10, 10], opacity: 0}\n"
                             "triggers:\n"
                             "  - {when: {touch: show}, do: {set: {dot.opacity: 1}}}\n");
    if (!sc) {
        return;
    }
    VT_CHECK(sc->layers[0].hit && !sc->layers[1].hit && !sc->layers[2].hit);
    vt_layer_props props[4];
    vt_player *p = vt_player_create(sc, 0);
    vt_player_update(p, SEC(4.4), props); /* the third picture shows */
    vt_event tap = {.type = VT_EVENT_TOUCH, .x = 320, .y = 240, .tap = true};
    vt_player_input(p, &tap, SEC(4.4));
    vt_player_update(p, SEC(4.5), props);
    VT_CHECK(props[2].opacity == 1 && props[3].opacity == 1);
    vt_player_destroy(p);
    vt_scene_destroy(sc);
}

/* A mask on the slideshow (a layer after it, renumbered) masks every picture, transition and
 * caption. */
static void test_masked(void) {
    vt_scene *sc = load(HEAD "layers:\n"
                             "  - {id: show, type: slideshow, size: [640, 480], mask: frame, "
                             "transition: wipe, items: [{src: pics/a.png, caption: A}, "
                             "pics/b.png]}\n"
                             "  - {id: frame, type: rect, size: [320, 240]}\n");
    if (!sc) {
        return;
    }
    VT_CHECK_INT(sc->layer_count, 6); /* 2 pictures, 2 transitions, 1 caption, the frame */
    VT_CHECK_STR(sc->layers[5].id, "frame");
    for (size_t i = 0; i < 5; i++) {
        VT_CHECK(sc->layers[i].masked && sc->layers[i].mask == 5);
    }
    VT_CHECK(sc->layers[5].is_mask);
    vt_scene_destroy(sc);
}

static void test_errors(void) {
    static const char *const bad[][2] = {
        {HEAD "layers:\n  - {id: s, type: slideshow}\n", "needs 'items'"},
        {HEAD "layers:\n  - {id: s, type: slideshow, folder: nowhere}\n", "cannot open folder"},
        {HEAD "layers:\n  - {id: s, type: slideshow, items: [pics/a.png], duration: 1}\n",
         "not more than its 1 s crossfade"},
        {HEAD "layers:\n  - {id: s, type: slideshow, items: [pics/a.png], transition: {type: "
              "zoom}}\n",
         "t.yaml:6:70: error: unknown transition 'zoom'; a slideshow takes crossfade (the "
         "default), wipe, dissolve, builtin:NAME or an ISF transition file (.fs)"},
        {HEAD "layers:\n  - {id: s, type: slideshow, size: [9, 9], items: [pics/a.png], "
              "transition: builtin:blur}\n",
         "t.yaml:6:77: error: 'builtin:blur' is not a transition: a slideshow's transition needs "
         "the inputs startImage and endImage (images) and progress (a float)"},
        {HEAD "layers:\n  - {id: s, type: slideshow, items: [pics/a.png], transition: wipe}\n",
         "t.yaml:6:63: error: a slideshow with a shader transition needs 'size': the box the "
         "pictures fill while it runs"},
        {HEAD "layers:\n  - {id: s, type: slideshow, size: [9, 9], items: [pics/a.png], "
              "ken_burns: true, transition: dissolve}\n",
         "t.yaml:6:65: error: Ken Burns framing moves the pictures, which a shader transition "
         "does not follow; use 'transition: crossfade' with it"},
        {HEAD "layers:\n  - {id: s, type: slideshow, size: [9, 9], items: [pics/a.png], "
              "transition: {type: wipe, inputs: {progress: 1}}}\n",
         "t.yaml:6:99: error: 'progress' is set by the slideshow (the pictures and the time); "
         "leave it out of the transition's 'inputs'"},
        {HEAD "layers:\n  - {id: s, type: slideshow, items: [pics/a.png], transition: {inputs: "
              "{angle: 1}}}\n",
         "t.yaml:6:64: error: a crossfade takes no 'inputs'; they set a shader transition's own "
         "inputs (type: wipe, dissolve, builtin:NAME or a .fs file)"},
        {HEAD "layers:\n  - {id: s, type: slideshow, items: [pics/a.png], caption_style: {font: "
              "x, rotation: 3}}\n",
         "t.yaml:6:76: error: unknown key 'rotation' in 'caption_style'; valid keys: font, size, "
         "color, weight, italic, align, box, position, anchor, plate, plate_padding, "
         "line_height, letter_spacing, max_lines, typography, hyphenate, lang"},
        {HEAD "layers:\n  - {id: s, type: slideshow, items: [pics/a.png], caption_style: {size: "
              "0}}\n",
         "t.yaml:6:73: error: 'size' must be between 1 and 2000, got 0"},
        {HEAD "layers:\n  - {id: s, type: slideshow, items: [{src: pics/a.png, caption: [1]}]}\n",
         "t.yaml:6:65: error: 'caption' must be a string or a mapping of languages, not a "
         "sequence; write one, or one per language like {fr: \"Bonjour\", en: \"Hello\"}"},
        {HEAD "layers:\n  - {id: s, type: slideshow, items: [pics/a.png]}\ntimelines:\n  t: "
              "{duration: 1, tracks: [{target: s.opacity, keys: [{t: 0, v: 1}]}]}\n",
         "t.yaml:8:29: error: 's.opacity' names a slideshow, whose pictures its timeline "
         "'s[slides]' drives; to fade, hide or move the whole slideshow, give it a 'mask' (a "
         "rect) and animate the mask"},
        {HEAD "layers:\n  - {id: s, type: slideshow, items: [pics/a.png]}\ntriggers:\n  - {when: "
              "{key: a}, do: {set: {s.position: [1, 2]}}}\n",
         "t.yaml:8:33: error: 'set' of 's.position' names a slideshow, whose pictures its "
         "timeline 's[slides]' drives; to fade, hide or move the whole slideshow, give it a "
         "'mask' (a rect) and animate the mask"},
        {HEAD "layers:\n  - {id: s, type: slideshow, items: [pics/a.png]}\n  - {id: r, type: "
              "rect, size: [9, 9], mask: s}\n",
         "t.yaml:7:5: error: layer 'r' is masked by slideshow 's'; a mask is one layer: mask it "
         "by an image or a rect"},
        {HEAD "layers:\n  - {id: s, type: slideshow, items: [{src: pics/a.png, zoom: 2}]}\n",
         "unknown key 'zoom' in a slideshow item"},
        {HEAD "layers:\n  - {id: s, type: slideshow, items: [{src: pics/a.png, from: [0, 0, "
              "0.5], to: [1, 1, 1]}]}\n",
         "between 1 and 10"},
        {HEAD "layers:\n  - {id: s, type: slideshow, items: [notes.txt]}\n",
         "not an image file name"},
        {HEAD "layers:\n  - {id: s, type: slideshow, items: [pics/a.png], text: hi}\n",
         "'text' is not allowed in a slideshow layer"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        vt_diags d = {0};
        vt_scene *scene = NULL;
        vt_status st = vt_scene_load_string(bad[i][0], strlen(bad[i][0]), PATH, 0, &scene, &d);
        VT_CHECK_INT(st, VT_E_DATAERR);
        bool found = false;
        for (size_t k = 0; k < d.count; k++) {
            found = found || (strstr(d.items[k].message, bad[i][1]) && d.items[k].line > 0);
            if (strncmp(bad[i][1], "t.yaml:", 7) == 0) { /* the exact message and place */
                char line[512];
                snprintf(line, sizeof line, "t.yaml:%d:%d: error: %s", d.items[k].line,
                         d.items[k].col, d.items[k].message);
                found = found || strcmp(line, bad[i][1]) == 0;
            }
        }
        if (!found) {
            fprintf(stderr, "case %zu: no positioned message with \"%s\"\n", i, bad[i][1]);
            vt_diags_print(&d, stderr);
        }
        VT_CHECK(found);
        vt_diags_free(&d);
        vt_scene_destroy(scene);
    }
}

int main(void) {
    test_timing();
    test_folder_and_shuffle();
    test_ken_burns();
    test_captions();
    test_wipe();
    test_own_transition();
    test_touch();
    test_masked();
    test_errors();
    return vt_test_finish("test_slideshow");
}
