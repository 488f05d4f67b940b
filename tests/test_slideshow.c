/* Slideshow layers: made into one image layer per picture and a timeline at load; which
 * picture shows at each frame (a pure function of the time), the crossfade's midpoint, the
 * loop back to the first, a shuffle that repeats with its seed, a folder source, Ken Burns
 * framing, no frame to draw during a still hold, and positioned errors. The pictures are in
 * tests/slideshow/pics (copies of tests/scenes/img/dot.png). */
#include "player/vt_player.h"
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
    vt_scene *sc =
        load(HEAD "layers:\n  - {id: s, type: slideshow, folder: pics, loop: false, duration: 2}\n");
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

static void test_errors(void) {
    static const char *const bad[][2] = {
        {HEAD "layers:\n  - {id: s, type: slideshow}\n", "needs 'items'"},
        {HEAD "layers:\n  - {id: s, type: slideshow, folder: nowhere}\n", "cannot open folder"},
        {HEAD "layers:\n  - {id: s, type: slideshow, items: [pics/a.png], duration: 1}\n",
         "not more than its 1 s crossfade"},
        {HEAD "layers:\n  - {id: s, type: slideshow, items: [pics/a.png], transition: {type: "
              "wipe}}\n",
         "unknown transition"},
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
    test_errors();
    return vt_test_finish("test_slideshow");
}
