/* The player with text and captions layers: the language switch and its return to the default
 * in attract, which version each layer shows, the captions cue at its timeline's time (playing,
 * paused, sought), and update/next_change at exactly the cue boundaries, on scenes loaded from
 * text with the WebVTT fixtures of tests/vtt. */
#include "player/vt_player.h"
#include "vt_test.h"

#define PATH "vtt/t.yaml"
#define HEAD "format: vitrine/1\ncanvas:\n  size: [640, 480]\n"
#define MS(x) ((vt_ticks)(x) * (VT_TICKS_PER_SEC / 1000))
#define SEC(x) ((vt_ticks)(x)*VT_TICKS_PER_SEC)

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

static void key(vt_player *p, const char *name, vt_ticks t) {
    vt_event ev = {.type = VT_EVENT_KEY};
    snprintf(ev.name, sizeof ev.name, "%s", name);
    vt_player_input(p, &ev, t);
}

/* The text a layer shows now ("" when none). */
static const char *shown(const vt_player *p, uint32_t layer) {
    const vt_text_variant *v = vt_player_text_variant(p, layer);
    return v && v->text ? v->text : "";
}

static const char *caption(const vt_player *p, uint32_t layer) {
    const vt_vtt_cue *cue = vt_player_caption(p, layer);
    return cue ? cue->text : "";
}

static const char lang_scene[] =
    HEAD "language: fr\n"
         "states: {idle_after: 10}\n"
         "layers:\n"
         "  - {id: title, type: text, text: {fr: Marées, en: Tides, de: Gezeiten}}\n"
         "  - {id: note, type: text, lang: de, text: {de: Hinweis, en: Note}}\n"
         "  - {id: plain, type: text, text: Toujours}\n"
         "triggers:\n"
         "  - {when: {key: e}, do: {language: en}}\n"
         "  - {when: {key: d}, do: {language: de}}\n"
         "  - {when: {key: r}, do: {state: attract}}\n";

static void test_language_switch(void) {
    vt_scene *sc = load(lang_scene);
    if (!sc) {
        return;
    }
    VT_CHECK_INT(sc->language_count, 3);
    vt_layer_props props[3];
    const vt_ticks s = SEC(100);
    vt_player *p = vt_player_create(sc, s);
    VT_CHECK(vt_player_update(p, s, props));
    VT_CHECK_INT(vt_player_language(p), 0);
    VT_CHECK_STR(shown(p, 0), "Marées");
    VT_CHECK_STR(shown(p, 1), "Hinweis"); /* no fr: its own lang */
    VT_CHECK_STR(shown(p, 2), "Toujours");
    VT_CHECK(!vt_player_update(p, s + MS(1), props));

    key(p, "e", s + SEC(1));
    VT_CHECK(vt_player_update(p, s + SEC(1), props));
    VT_CHECK_INT(vt_player_language(p), 1);
    VT_CHECK_STR(sc->languages[vt_player_language(p)], "en");
    VT_CHECK_STR(shown(p, 0), "Tides");
    VT_CHECK_STR(shown(p, 1), "Note");
    VT_CHECK_STR(shown(p, 2), "Toujours");
    VT_CHECK(!vt_player_update(p, s + SEC(1) + MS(1), props));
    key(p, "e", s + SEC(2)); /* the same language again: nothing to draw */
    VT_CHECK(!vt_player_update(p, s + SEC(2), props));
    VT_CHECK_INT(vt_player_next_change(p, s + SEC(2)), s + SEC(12)); /* the idle timeout */

    /* Back to attract after 10 s of silence: the default language for the next visitor. */
    VT_CHECK(!vt_player_update(p, s + SEC(12) - 1, props));
    VT_CHECK_INT(vt_player_language(p), 1);
    VT_CHECK(vt_player_update(p, s + SEC(12), props));
    VT_CHECK_INT(vt_player_state(p), VT_STATE_ATTRACT);
    VT_CHECK_INT(vt_player_language(p), 0);
    VT_CHECK_STR(shown(p, 0), "Marées");

    /* An action that enters attract resets it too. */
    key(p, "d", s + SEC(20));
    VT_CHECK(vt_player_update(p, s + SEC(20), props));
    VT_CHECK_STR(shown(p, 0), "Gezeiten");
    key(p, "r", s + SEC(21));
    VT_CHECK(vt_player_update(p, s + SEC(21), props));
    VT_CHECK_INT(vt_player_language(p), 0);
    /* Switched and switched back within one frame: the picture is the same. */
    key(p, "d", s + SEC(22));
    key(p, "r", s + SEC(22));
    VT_CHECK(!vt_player_update(p, s + SEC(22), props));
    vt_player_destroy(p);
    vt_scene_destroy(sc);
}

static const char captions_scene[] =
    HEAD "language: fr\n"
         "states: {idle_after: 0}\n"
         "timelines:\n  story: {duration: 10}\n"
         "layers:\n"
         "  - {id: subs, type: captions, src: {fr: story-fr.vtt, en: story-en.vtt}, "
         "timeline: story}\n"
         "triggers:\n"
         "  - {when: {key: p}, do: {play: story}}\n"
         "  - {when: {key: s}, do: {pause: story}}\n"
         "  - {when: {key: r}, do: {resume: story}}\n"
         "  - {when: {key: k}, do: {seek: {story: 5.5}}}\n"
         "  - {when: {key: e}, do: {language: en}}\n";

/* Cues follow the timeline (fr: "Un" 1-3 s, "Deux" 5-6.5 s; en: "One" 1-2 s, "Two" 5-6.5 s). */
static void test_captions_timeline(void) {
    vt_scene *sc = load(captions_scene);
    if (!sc) {
        return;
    }
    vt_layer_props props[1];
    const vt_ticks s = SEC(50);
    vt_player *p = vt_player_create(sc, s);
    VT_CHECK(vt_player_update(p, s, props));
    VT_CHECK_STR(caption(p, 0), ""); /* the timeline has not started: no captions */
    VT_CHECK_INT(vt_player_next_change(p, s), INT64_MAX);
    VT_CHECK(!vt_player_update(p, s + SEC(1) + MS(500), props));

    key(p, "p", s + SEC(2)); /* local 0 */
    VT_CHECK(!vt_player_update(p, s + SEC(2), props));
    VT_CHECK_INT(vt_player_next_change(p, s + SEC(2)), s + SEC(3));
    VT_CHECK(!vt_player_update(p, s + SEC(3) - 1, props));
    VT_CHECK_STR(caption(p, 0), "");
    VT_CHECK(vt_player_update(p, s + SEC(3), props));
    VT_CHECK_STR(caption(p, 0), "Un");
    VT_CHECK_INT(vt_player_next_change(p, s + SEC(3)), s + SEC(5));
    VT_CHECK_INT(vt_player_next_change(p, s + SEC(4)), s + SEC(5));
    VT_CHECK(!vt_player_update(p, s + SEC(4), props));

    /* Paused at local 2: the cue stays, and no cue boundary is due. */
    key(p, "s", s + SEC(4));
    VT_CHECK(!vt_player_update(p, s + SEC(4), props));
    VT_CHECK_INT(vt_player_next_change(p, s + SEC(4)), INT64_MAX);
    VT_CHECK(!vt_player_update(p, s + SEC(40), props));
    VT_CHECK_STR(caption(p, 0), "Un");

    /* Sought to 5.5 while paused: the cue there shows at once. */
    key(p, "k", s + SEC(41));
    VT_CHECK(vt_player_update(p, s + SEC(41), props));
    VT_CHECK_STR(caption(p, 0), "Deux");
    VT_CHECK_INT(vt_player_next_change(p, s + SEC(41)), INT64_MAX);

    /* Resumed: the cue ends 1 s later. */
    key(p, "r", s + SEC(50));
    VT_CHECK(!vt_player_update(p, s + SEC(50), props));
    VT_CHECK_INT(vt_player_next_change(p, s + SEC(50)), s + SEC(51));

    /* The language switch swaps the file: the English cue at the same time. */
    key(p, "e", s + SEC(50) + MS(500));
    VT_CHECK(vt_player_update(p, s + SEC(50) + MS(500), props));
    VT_CHECK_STR(caption(p, 0), "Two");
    VT_CHECK(!vt_player_update(p, s + SEC(51) - 1, props));
    VT_CHECK(vt_player_update(p, s + SEC(51), props));
    VT_CHECK_STR(caption(p, 0), "");
    /* No cue left in this play: the timeline's own end (local 10) is the next change. */
    VT_CHECK_INT(vt_player_next_change(p, s + SEC(51)), s + SEC(54) + MS(500));
    VT_CHECK(!vt_player_update(p, s + SEC(54), props));
    vt_player_destroy(p);
    vt_scene_destroy(sc);
}

/* Without a timeline, captions follow the scene's time from its start. */
static void test_captions_scene_time(void) {
    vt_scene *sc = load(HEAD "layers:\n  - {id: subs, type: captions, src: story-fr.vtt}\n");
    if (!sc) {
        return;
    }
    vt_layer_props props[1];
    const vt_ticks s = SEC(7);
    vt_player *p = vt_player_create(sc, s);
    VT_CHECK(vt_player_update(p, s, props));
    VT_CHECK_STR(caption(p, 0), "");
    VT_CHECK_INT(vt_player_next_change(p, s), s + SEC(1));
    VT_CHECK(vt_player_update(p, s + SEC(1), props));
    VT_CHECK_STR(caption(p, 0), "Un");
    VT_CHECK_INT(vt_player_next_change(p, s + SEC(1)), s + SEC(3));
    VT_CHECK(!vt_player_update(p, s + SEC(2), props));
    VT_CHECK(vt_player_update(p, s + SEC(4), props)); /* a late frame still sees the end */
    VT_CHECK_STR(caption(p, 0), "");
    VT_CHECK_INT(vt_player_next_change(p, s + SEC(4)), s + SEC(5));
    VT_CHECK(vt_player_update(p, s + SEC(6), props));
    VT_CHECK_STR(caption(p, 0), "Deux");
    VT_CHECK_INT(vt_player_next_change(p, s + SEC(6)), s + SEC(6) + MS(500));
    VT_CHECK(vt_player_update(p, s + SEC(7), props));
    VT_CHECK_INT(vt_player_next_change(p, s + SEC(7)), INT64_MAX); /* nothing else, ever */
    VT_CHECK_INT(vt_player_caption(p, 5) == NULL, 1);
    VT_CHECK(vt_player_text_variant(p, 7) == NULL);
    vt_player_destroy(p);
    vt_scene_destroy(sc);
}

/* A looping timeline: the cues come back each play, their times taken within the play. */
static void test_captions_loop(void) {
    vt_scene *sc =
        load(HEAD "timelines:\n  story: {duration: 2, loop: true, autoplay: true}\n"
                  "layers:\n"
                  "  - {id: subs, type: captions, src: story-en.vtt, timeline: story}\n");
    if (!sc) {
        return;
    }
    vt_layer_props props[1];
    vt_player *p = vt_player_create(sc, 0);
    VT_CHECK(vt_player_update(p, 0, props));
    VT_CHECK_INT(vt_player_next_change(p, 0), SEC(1));
    VT_CHECK(vt_player_update(p, SEC(1), props));
    VT_CHECK_STR(caption(p, 0), "One");
    VT_CHECK_INT(vt_player_next_change(p, SEC(1)), SEC(2)); /* its end is the loop point */
    VT_CHECK(vt_player_update(p, SEC(2), props));
    VT_CHECK_STR(caption(p, 0), "");
    VT_CHECK_INT(vt_player_next_change(p, SEC(2)), SEC(3));
    VT_CHECK(vt_player_update(p, SEC(3) + MS(10), props));
    VT_CHECK_STR(caption(p, 0), "One");
    vt_player_destroy(p);
    vt_scene_destroy(sc);
}

/* Hot reload keeps the language by its tag, wherever the new scene lists it. */
static void test_carry_over(void) {
    vt_scene *old_sc = load(lang_scene);
    vt_scene *new_sc = load(HEAD "language: en\nlayers:\n"
                                 "  - {id: title, type: text, text: {en: Tides, de: Gezeiten, "
                                 "fr: Marées}}\n");
    if (!old_sc || !new_sc) {
        vt_scene_destroy(old_sc);
        vt_scene_destroy(new_sc);
        return;
    }
    vt_layer_props props[3];
    vt_player *old = vt_player_create(old_sc, 0);
    vt_player_update(old, 0, props);
    key(old, "d", SEC(1));
    vt_player_update(old, SEC(1), props);
    VT_CHECK_INT(vt_player_language(old), 2);
    vt_player *p = vt_player_create(new_sc, SEC(2));
    vt_player_carry_over(p, old, SEC(2));
    VT_CHECK_INT(vt_player_language(p), 1);
    VT_CHECK(vt_player_update(p, SEC(2), props));
    VT_CHECK_STR(shown(p, 0), "Gezeiten");
    vt_player_destroy(p);
    vt_player_destroy(old);

    /* A language the new scene no longer has: its default. */
    vt_scene *bare = load(HEAD "layers:\n  - {id: t, type: text, text: {it: Ciao, fr: Salut}}\n");
    old = vt_player_create(old_sc, 0);
    key(old, "e", SEC(1));
    vt_player_update(old, SEC(1), props);
    p = vt_player_create(bare, SEC(2));
    vt_player_carry_over(p, old, SEC(2));
    VT_CHECK_INT(vt_player_language(p), 0);
    vt_player_destroy(p);
    vt_player_destroy(old);
    vt_scene_destroy(bare);
    vt_scene_destroy(old_sc);
    vt_scene_destroy(new_sc);
}

/* A text is touched within its box; without a box it catches nothing. */
static void test_touch_text(void) {
    vt_scene *sc =
        load(HEAD "layers:\n"
                  "  - {id: en, type: text, text: English, position: [10, 10], "
                  "box: [100, 50]}\n"
                  "  - {id: de, type: text, text: Deutsch, position: [300, 10]}\n"
                  "  - {id: t, type: text, text: {fr: Marées, en: Tides, de: Gezeiten}}\n"
                  "triggers:\n"
                  "  - {when: {touch: en}, do: {language: en}}\n"
                  "  - {when: {touch: de}, do: {language: de}}\n");
    if (!sc) {
        return;
    }
    vt_layer_props props[3];
    vt_player *p = vt_player_create(sc, 0);
    vt_player_update(p, 0, props);
    vt_event ev = {.type = VT_EVENT_TOUCH, .x = 305, .y = 12};
    vt_player_input(p, &ev, SEC(1));
    VT_CHECK(!vt_player_update(p, SEC(1), props));
    VT_CHECK_INT(vt_player_language(p), 0);
    ev.x = 109;
    ev.y = 59;
    vt_player_input(p, &ev, SEC(2));
    VT_CHECK(vt_player_update(p, SEC(2), props));
    VT_CHECK_STR(shown(p, 2), "Tides");
    vt_player_destroy(p);
    vt_scene_destroy(sc);
}

/* Text `reveal`, `size` and `letter_spacing` move with tracks and `set`; the box is `box`; a
 * frame is drawn while they move and none once they rest (play sleeps). */
static const char motion_scene[] =
    HEAD "layers:\n"
         "  - {id: title, type: text, text: Tides, size: 40, letter_spacing: 2, reveal: 0,\n"
         "     reveal_by: word, reveal_ease: out-quad, box: [300, 100]}\n"
         "timelines:\n"
         "  intro:\n"
         "    duration: 2\n"
         "    autoplay: true\n"
         "    tracks:\n"
         "      - {target: title.reveal, keys: [{t: 0, v: 0}, {t: 1, v: 1}]}\n"
         "      - {target: title.size, keys: [{t: 0, v: 20}, {t: 2, v: 60}]}\n"
         "      - {target: title.letter_spacing, keys: [{t: 0, v: 0}, {t: 2, v: 8}]}\n"
         "      - {target: title.box, keys: [{t: 0, v: [300, 100]}, {t: 2, v: [300, 100]}]}\n"
         "triggers:\n"
         "  - {when: {key: s}, do: {set: {title.size: 90}}}\n";

static void test_text_motion(void) {
    vt_scene *sc = load(motion_scene);
    if (!sc) {
        return;
    }
    const vt_layer *l = &sc->layers[0];
    VT_CHECK(l->props.reveal == 0);
    VT_CHECK(l->props.text_size == 40 && l->text.size == 40);
    VT_CHECK(l->props.letter_spacing == 2);
    VT_CHECK_INT(l->text.reveal_by, VT_REVEAL_WORD);
    VT_CHECK_INT(l->text.reveal_ease.kind, VT_EASE_PENNER);
    const vt_timeline *tl = &sc->timelines[0];
    VT_CHECK_INT(tl->tracks[0].prop, VT_PROP_REVEAL);
    VT_CHECK_INT(tl->tracks[1].prop, VT_PROP_TEXT_SIZE);
    VT_CHECK_INT(tl->tracks[2].prop, VT_PROP_LETTER_SPACING);
    VT_CHECK_INT(tl->tracks[3].prop, VT_PROP_SIZE);
    vt_layer_props props[1];
    vt_player *p = vt_player_create(sc, 0);
    VT_CHECK(vt_player_update(p, 0, props));
    VT_CHECK(props[0].reveal == 0 && props[0].text_size == 20 && props[0].letter_spacing == 0);
    VT_CHECK(vt_player_update(p, SEC(1), props));
    VT_CHECK(props[0].reveal == 1);
    VT_CHECK(props[0].text_size == 40 && props[0].letter_spacing == 4);
    VT_CHECK_INT(vt_player_next_change(p, SEC(1)), SEC(1)); /* still moving: draw now */
    VT_CHECK(vt_player_update(p, SEC(2), props));
    VT_CHECK(props[0].text_size == 60 && props[0].letter_spacing == 8);
    VT_CHECK(!vt_player_update(p, SEC(3), props)); /* at rest: nothing to draw */
    VT_CHECK(vt_player_next_change(p, SEC(3)) == INT64_MAX);
    key(p, "s", SEC(4));
    VT_CHECK(vt_player_update(p, SEC(4), props)); /* a set changes the size: a frame */
    VT_CHECK(props[0].text_size == 90);
    VT_CHECK(!vt_player_update(p, SEC(5), props));
    vt_player_destroy(p);
    vt_scene_destroy(sc);
}

/* Where text properties are refused: on other layers, with a message saying why. */
static void test_text_motion_errors(void) {
    static const char *const bad[][2] = {
        {HEAD "layers:\n  - {id: pic, type: rect, size: [10, 10]}\n"
              "timelines:\n  a: {duration: 1, tracks: [{target: pic.reveal, keys: [{t: 0, v: 1}]}]}\n",
         "'reveal' is a property of text layers"},
        {HEAD "layers:\n  - {id: t, type: text, text: x}\n"
              "timelines:\n  a: {duration: 1, tracks: [{target: t.size, keys: [{t: 0, v: 0}]}]}\n",
         "between 1 and 2000"},
        {HEAD "layers:\n  - {id: t, type: text, text: x, reveal: 2}\n", "between 0 and 1"},
        {HEAD "layers:\n  - {id: t, type: text, text: x, reveal_by: letter}\n",
         "unknown reveal unit 'letter'; valid reveal_by values: character, word, line"},
        {HEAD "layers:\n  - {id: t, type: text, text: x, reveal_ease: in-sin}\n",
         "did you mean 'in-sine'"},
        {HEAD "layers:\n  - {id: t, type: text, text: x}\n"
              "triggers:\n  - {when: {key: a}, do: {set: {t.text_size: 3}}}\n",
         "unknown property 'text_size'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        vt_diags d = {0};
        vt_scene *scene = NULL;
        vt_status st = vt_scene_load_string(bad[i][0], strlen(bad[i][0]), PATH, 0, &scene, &d);
        VT_CHECK_INT(st, VT_E_DATAERR);
        bool found = false;
        for (size_t k = 0; k < d.count; k++) {
            found = found || strstr(d.items[k].message, bad[i][1]) != NULL;
        }
        if (!found) {
            fprintf(stderr, "case %zu: no message with \"%s\"\n", i, bad[i][1]);
            vt_diags_print(&d, stderr);
        }
        VT_CHECK(found);
        vt_diags_free(&d);
        vt_scene_destroy(scene);
    }
    vt_scene *sc = load(motion_scene);
    vt_action a;
    vt_error err = {0};
    VT_CHECK_INT(vt_scene_set_action(sc, "title.size", "30", &a, &err), VT_OK);
    VT_CHECK_INT(a.prop, VT_PROP_TEXT_SIZE);
    VT_CHECK(a.v[0] == 30);
    VT_CHECK_INT(vt_scene_set_action(sc, "title.reveal", "0.25", &a, &err), VT_OK);
    VT_CHECK_INT(a.prop, VT_PROP_REVEAL);
    VT_CHECK_INT(vt_scene_set_action(sc, "title.box", "[5, 6]", &a, &err), VT_OK);
    VT_CHECK_INT(a.prop, VT_PROP_SIZE);
    vt_scene_destroy(sc);
}

int main(void) {
    test_text_motion();
    test_text_motion_errors();
    test_language_switch();
    test_captions_timeline();
    test_captions_scene_time();
    test_captions_loop();
    test_carry_over();
    test_touch_text();
    return vt_test_finish("test_player_text");
}
