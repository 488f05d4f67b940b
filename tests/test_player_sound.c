/* The player's sounds: autoplay, fades, actions on free-running sounds, sounds that follow a
 * timeline (play, pause, seek, loop, end, with their epochs), tracks, buses, the next sound
 * change and hot-reload carry-over, on scenes read from text. */
#include "player/vt_player.h"
#include "vt_test.h"

#define PATH "scenes/p.yaml" /* its folder holds audio/tone.wav */
#define HEAD "format: vitrine/1\ncanvas: {size: [64, 48]}\n"
#define TONE "src: audio/tone.wav"

static vt_ticks sec(double s) {
    return vt_ticks_from_seconds(s);
}

static vt_scene *scene(const char *yaml) {
    vt_diags d = {0};
    vt_scene *s = NULL;
    VT_CHECK_INT(vt_scene_load_string(yaml, strlen(yaml), PATH, 0, &s, &d), VT_OK);
    if (d.count > 0) {
        vt_diags_print(&d, stderr);
    }
    VT_CHECK_INT(d.count, 0);
    vt_diags_free(&d);
    return s;
}

/* Sound `i` after an update at t seconds. */
static vt_sound_state at(vt_player *p, double t, size_t i) {
    vt_sound_state out[8];
    vt_player_update(p, sec(t), NULL);
    vt_player_sounds(p, out);
    return out[i];
}

static void key(vt_player *p, const char *name, double t) {
    vt_event ev = {.type = VT_EVENT_KEY};
    snprintf(ev.name, sizeof ev.name, "%s", name);
    vt_player_input(p, &ev, sec(t));
}

static void check_state(vt_sound_state st, bool active, bool paused, double offset, double gain,
                        int line) {
    if (st.active != active || st.paused != paused ||
        llabs(st.offset - sec(offset)) > 1 || fabs(st.gain - gain) > 1e-9) {
        fprintf(stderr, "line %d: active %d paused %d offset %.9f gain %.9f\n", line, st.active,
                st.paused, vt_ticks_to_seconds(st.offset), st.gain);
    }
    VT_CHECK_INT(st.active, active);
    VT_CHECK_INT(st.paused, paused);
    VT_CHECK_INT(st.offset, sec(offset));
    VT_CHECK_NEAR(st.gain, gain, 1e-9);
}
#define CHECK_STATE(st, active, paused, offset, gain)                                              \
    check_state(st, active, paused, offset, gain, __LINE__)

/* Autoplay at the scene's start; the fade-in ramps over the play head; gain x bus. */
static void test_autoplay_fade_in(void) {
    vt_scene *s = scene(HEAD "buses: {ambience: 0.5}\nsounds:\n"
                             "  - {id: sea, " TONE ", gain: 0.8, autoplay: true, fade_in: 2, "
                             "bus: ambience, loop: true, pitch: 1.5, position: [-3, 0, -2]}\n"
                             "  - {id: bell, " TONE "}\n");
    vt_player *p = vt_player_create(s, sec(10));
    vt_sound_state st = at(p, 10, 0);
    CHECK_STATE(st, true, false, 0, 0.0);
    uint64_t epoch = st.epoch;
    VT_CHECK(epoch != 0);
    VT_CHECK_NEAR(st.pitch, 1.5, 0);
    VT_CHECK_NEAR(st.position[0], -3, 0);
    VT_CHECK_NEAR(st.position[2], -2, 0);
    CHECK_STATE(at(p, 10.5, 0), true, false, 0.5, 0.8 * 0.25 * 0.5);
    CHECK_STATE(at(p, 11, 0), true, false, 1, 0.8 * 0.5 * 0.5);
    CHECK_STATE(at(p, 12, 0), true, false, 2, 0.8 * 0.5);
    st = at(p, 100, 0);
    CHECK_STATE(st, true, false, 90, 0.8 * 0.5);
    VT_CHECK_INT(st.epoch, epoch);
    /* A sound nobody started. */
    st = at(p, 100, 1);
    CHECK_STATE(st, false, false, 0, 0);
    VT_CHECK_NEAR(st.pitch, 1, 0);
    vt_player_destroy(p);
    vt_scene_destroy(s);
}

/* Play, pause, resume, seek, play from, stop with its fade-out, by actions. */
#define ACTIONS                                                                                    \
    HEAD "sounds:\n  - {id: sea, " TONE ", fade_in: 1, fade_out: 2}\n"                             \
         "triggers:\n"                                                                             \
         "  - {when: {key: a}, do: {play: sea}}\n"                                                 \
         "  - {when: {key: p}, do: {pause: sea}}\n"                                                \
         "  - {when: {key: r}, do: {resume: sea}}\n"                                               \
         "  - {when: {key: k}, do: {seek: {sea: 30}}}\n"                                           \
         "  - {when: {key: f}, do: {play: sea, from: 5}}\n"                                        \
         "  - {when: {key: s}, do: {stop: sea}}\n"

static void test_actions(void) {
    vt_scene *s = scene(ACTIONS);
    vt_player *p = vt_player_create(s, 0);
    CHECK_STATE(at(p, 1, 0), false, false, 0, 0);
    key(p, "a", 2);
    vt_sound_state st = at(p, 2.5, 0);
    CHECK_STATE(st, true, false, 0.5, 0.5);
    uint64_t e1 = st.epoch;
    key(p, "a", 2.75); /* play on a playing sound: nothing */
    key(p, "p", 3);    /* paused half-way through... no, at 1 s: fade-in done */
    st = at(p, 4, 0);
    CHECK_STATE(st, true, true, 1, 1);
    VT_CHECK_INT(st.epoch, e1);
    key(p, "r", 5);
    CHECK_STATE(at(p, 6, 0), true, false, 2, 1);
    key(p, "k", 6);
    st = at(p, 6.5, 0);
    CHECK_STATE(st, true, false, 30.5, 1); /* a seek keeps the fade where it was */
    VT_CHECK(st.epoch != e1);
    uint64_t e2 = st.epoch;
    key(p, "f", 7);
    st = at(p, 7.25, 0);
    CHECK_STATE(st, true, false, 5.25, 0.25); /* a restart fades in again */
    VT_CHECK(st.epoch != e2 && st.epoch != e1);
    uint64_t e3 = st.epoch;
    key(p, "s", 8); /* fade-in done at 8: full gain, then 2 s out */
    st = at(p, 8.5, 0);
    CHECK_STATE(st, true, false, 6.5, 0.75);
    VT_CHECK_INT(st.epoch, e3);
    key(p, "s", 8.75); /* a second stop leaves the fade-out running */
    CHECK_STATE(at(p, 9, 0), true, false, 7, 0.5);
    CHECK_STATE(at(p, 9.5, 0), true, false, 7.5, 0.25);
    CHECK_STATE(at(p, 10, 0), false, false, 0, 0);
    key(p, "r", 11); /* resume on a stopped sound: nothing */
    CHECK_STATE(at(p, 11, 0), false, false, 0, 0);
    key(p, "a", 12);
    st = at(p, 12.5, 0);
    CHECK_STATE(st, true, false, 0.5, 0.5);
    VT_CHECK(st.epoch != e3);
    key(p, "p", 13);
    key(p, "s", 13.5); /* stopping a paused sound: silent at once, no fade */
    CHECK_STATE(at(p, 13.5, 0), false, false, 0, 0);
    vt_player_destroy(p);
    vt_scene_destroy(s);
}

/* A sound that follows a timeline: offset = local time - at, pauses, seeks and loops with it. */
#define TIED                                                                                       \
    HEAD "timelines:\n  story: {duration: 10, loop: 2}\n"                                          \
         "sounds:\n  - {id: voice, " TONE ", timeline: story, at: 1.5, fade_out: 1}\n"             \
         "triggers:\n"                                                                             \
         "  - {when: {key: a}, do: {play: story}}\n"                                               \
         "  - {when: {key: p}, do: {pause: story}}\n"                                              \
         "  - {when: {key: r}, do: {resume: story}}\n"                                             \
         "  - {when: {key: k}, do: {seek: {story: 6}}}\n"                                          \
         "  - {when: {key: s}, do: {stop: story}}\n"

static void test_tied(void) {
    vt_scene *s = scene(TIED);
    vt_player *p = vt_player_create(s, 0);
    CHECK_STATE(at(p, 1, 0), false, false, 0, 0);
    key(p, "a", 2);
    CHECK_STATE(at(p, 3, 0), false, false, 0, 0); /* local 1 < at */
    vt_sound_state st = at(p, 3.5, 0);
    CHECK_STATE(st, true, false, 0, 1);
    uint64_t e1 = st.epoch;
    CHECK_STATE(at(p, 5, 0), true, false, 1.5, 1);
    key(p, "p", 5);
    st = at(p, 6, 0);
    CHECK_STATE(st, true, true, 1.5, 1);
    VT_CHECK_INT(st.epoch, e1);
    key(p, "r", 7);
    st = at(p, 8, 0);
    CHECK_STATE(st, true, false, 2.5, 1); /* local 4 */
    VT_CHECK_INT(st.epoch, e1);
    key(p, "k", 8);
    st = at(p, 8, 0);
    CHECK_STATE(st, true, false, 4.5, 1);
    VT_CHECK(st.epoch != e1);
    uint64_t e2 = st.epoch;
    /* Local 6 at 8 s: the second play starts at 12 s; the sound again at 13.5 s. */
    CHECK_STATE(at(p, 11.5, 0), true, false, 8, 1);
    st = at(p, 12.5, 0);
    CHECK_STATE(st, false, false, 0, 0);
    VT_CHECK(st.epoch != e2);
    uint64_t e3 = st.epoch;
    st = at(p, 14, 0);
    CHECK_STATE(st, true, false, 0.5, 1);
    VT_CHECK_INT(st.epoch, e3);
    /* The last play ends at 22 s (local 10): the sound fades out over 1 s, head moving. */
    CHECK_STATE(at(p, 21.5, 0), true, false, 8, 1);
    CHECK_STATE(at(p, 22.25, 0), true, false, 8.75, 0.75);
    CHECK_STATE(at(p, 23, 0), false, false, 0, 0);
    /* Played again: a new epoch; a stop fades out from the stop. */
    key(p, "a", 30);
    st = at(p, 32, 0);
    CHECK_STATE(st, true, false, 0.5, 1);
    VT_CHECK(st.epoch != e3);
    key(p, "s", 32);
    CHECK_STATE(at(p, 32.5, 0), true, false, 1, 0.5);
    CHECK_STATE(at(p, 33, 0), false, false, 0, 0);
    vt_player_destroy(p);
    vt_scene_destroy(s);
}

/* Any split of time into updates gives the same states (render equals play): updates every
 * 1/60 s against one update per input, at every input and at the end. */
static void check_split(const char *yaml, const char *keys, const double *times, size_t n,
                        double end) {
    vt_scene *s = scene(yaml);
    vt_player *a = vt_player_create(s, 0), *b = vt_player_create(s, 0);
    vt_sound_state sa, sb;
    double t = 0;
    for (size_t k = 0; k <= n; k++) {
        double until = k < n ? times[k] : end;
        for (; t < until; t += 1.0 / 60) {
            vt_player_update(a, sec(t), NULL);
        }
        if (k < n) {
            char name[2] = {keys[k], '\0'};
            key(a, name, until);
            key(b, name, until);
        }
        vt_player_update(a, sec(until), NULL);
        vt_player_update(b, sec(until), NULL);
        vt_player_sounds(a, &sa);
        vt_player_sounds(b, &sb);
        VT_CHECK_INT(sa.active, sb.active);
        VT_CHECK_INT(sa.paused, sb.paused);
        VT_CHECK_INT(sa.offset, sb.offset);
        VT_CHECK_INT(sa.epoch, sb.epoch);
        VT_CHECK_NEAR(sa.gain, sb.gain, 0);
    }
    vt_player_destroy(a);
    vt_player_destroy(b);
    vt_scene_destroy(s);
}

static void test_split_invariance(void) {
    static const double tied_times[] = {2, 5.5, 7.25, 9, 26, 31};
    check_split(TIED, "aprksa", tied_times, 6, 40);
    static const double free_times[] = {1, 1.5, 2.5, 3, 4.75, 6, 6.5};
    check_split(ACTIONS, "apkrfsa", free_times, 7, 12);
}

/* Gain and pitch tracks multiply, a position track replaces; easing as for layers; held values
 * freeze when the timeline ends. */
static void test_tracks(void) {
    vt_scene *s = scene(HEAD "buses: {music: 0.5}\n"
                             "sounds:\n  - {id: sea, " TONE ", gain: 2, pitch: 2, autoplay: true, "
                             "bus: music}\n"
                             "timelines:\n  swell:\n    duration: 4\n    autoplay: true\n"
                             "    tracks:\n"
                             "      - {target: sea.gain, keys: [{t: 0, v: 0}, {t: 4, v: 1}]}\n"
                             "      - {target: sea.pitch, keys: [{t: 0, v: 1}, {t: 2, v: 0.5, "
                             "ease: hold}]}\n"
                             "      - {target: sea.position, keys: [{t: 0, v: [-4, 0, 0]}, "
                             "{t: 4, v: [4, 2, -8], ease: in-quad}]}\n");
    VT_CHECK(s->sounds[0].spatial);
    vt_player *p = vt_player_create(s, 0);
    vt_sound_state st = at(p, 0, 0);
    CHECK_STATE(st, true, false, 0, 0);
    VT_CHECK_NEAR(st.pitch, 2, 0);
    VT_CHECK_NEAR(st.position[0], -4, 0);
    st = at(p, 1, 0);
    CHECK_STATE(st, true, false, 1, 2 * 0.25 * 0.5);
    VT_CHECK_NEAR(st.pitch, 2, 0); /* hold until t = 2 */
    VT_CHECK_NEAR(st.position[0], -4 + 8 * 0.0625, 1e-12);
    VT_CHECK_NEAR(st.position[1], 2 * 0.0625, 1e-12);
    VT_CHECK_NEAR(st.position[2], -8 * 0.0625, 1e-12);
    st = at(p, 2, 0);
    CHECK_STATE(st, true, false, 2, 2 * 0.5 * 0.5);
    VT_CHECK_NEAR(st.pitch, 1, 0);
    st = at(p, 9, 0); /* the timeline ended at 4: its values hold */
    CHECK_STATE(st, true, false, 9, 2 * 1 * 0.5);
    VT_CHECK_NEAR(st.position[1], 2, 0);
    vt_player_destroy(p);
    vt_scene_destroy(s);
}

/* Two timelines on one sound: the playing one started last gives the value, else the held one
 * stopped last; each sound gets only its own tracks. */
static void test_track_priority(void) {
    vt_scene *s = scene(HEAD "sounds:\n  - {id: a, " TONE ", autoplay: true}\n"
                             "  - {id: b, " TONE ", autoplay: true}\n"
                             "timelines:\n"
                             "  t1:\n    duration: 10\n    tracks:\n"
                             "      - {target: b.gain, keys: [{t: 0, v: 0.25}]}\n"
                             "      - {target: a.gain, keys: [{t: 0, v: 0.5}]}\n"
                             "  t2:\n    duration: 10\n    tracks:\n"
                             "      - {target: a.gain, keys: [{t: 0, v: 0.1}]}\n"
                             "triggers:\n"
                             "  - {when: {key: '1'}, do: {play: t1}}\n"
                             "  - {when: {key: '2'}, do: {play: t2}}\n"
                             "  - {when: {key: x}, do: {stop: t2}}\n"
                             "  - {when: {key: y}, do: {stop: t1}}\n");
    vt_player *p = vt_player_create(s, 0);
    VT_CHECK_NEAR(at(p, 0.5, 0).gain, 1, 0);
    key(p, "1", 1);
    VT_CHECK_NEAR(at(p, 1.5, 0).gain, 0.5, 0);
    VT_CHECK_NEAR(at(p, 1.5, 1).gain, 0.25, 0);
    key(p, "2", 2);
    VT_CHECK_NEAR(at(p, 2.5, 0).gain, 0.1, 0);
    VT_CHECK_NEAR(at(p, 2.5, 1).gain, 0.25, 0);
    key(p, "x", 3); /* t1 still plays: it drives again */
    VT_CHECK_NEAR(at(p, 3.5, 0).gain, 0.5, 0);
    key(p, "2", 4);
    key(p, "y", 5); /* t2 still plays */
    VT_CHECK_NEAR(at(p, 5.5, 0).gain, 0.1, 0);
    key(p, "x", 6); /* both held: t2 stopped last */
    VT_CHECK_NEAR(at(p, 6.5, 0).gain, 0.1, 0);
    VT_CHECK_NEAR(at(p, 6.5, 1).gain, 0.25, 0);
    vt_player_destroy(p);
    vt_scene_destroy(s);
}

static void test_next_sound_change(void) {
    vt_scene *s = scene(TIED);
    vt_player *p = vt_player_create(s, 0);
    VT_CHECK_INT(vt_player_next_sound_change(p, 0), 0); /* not begun: update first */
    at(p, 0, 0);
    VT_CHECK_INT(vt_player_next_sound_change(p, 0), INT64_MAX); /* nothing plays */
    key(p, "a", 2);
    at(p, 2, 0);
    VT_CHECK_INT(vt_player_next_sound_change(p, sec(2)), sec(3.5)); /* reaches at */
    at(p, 4, 0);
    VT_CHECK_INT(vt_player_next_sound_change(p, sec(4)), sec(12)); /* loops */
    at(p, 21, 0);
    VT_CHECK_INT(vt_player_next_sound_change(p, sec(21)), sec(22)); /* ends */
    at(p, 22.5, 0);
    VT_CHECK_INT(vt_player_next_sound_change(p, sec(22.5)), sec(22.5)); /* fading out */
    at(p, 23, 0);
    VT_CHECK_INT(vt_player_next_sound_change(p, sec(23)), INT64_MAX);
    vt_player_destroy(p);
    vt_scene_destroy(s);

    s = scene(ACTIONS);
    p = vt_player_create(s, 0);
    key(p, "a", 1);
    at(p, 1.5, 0);
    VT_CHECK_INT(vt_player_next_sound_change(p, sec(1.5)), sec(1.5)); /* fading in */
    at(p, 2, 0);
    VT_CHECK_INT(vt_player_next_sound_change(p, sec(2)), INT64_MAX); /* steady */
    vt_player_destroy(p);
    vt_scene_destroy(s);

    /* A gain track: `now` while its segment moves, else its next key. */
    s = scene(HEAD "sounds:\n  - {id: sea, " TONE ", autoplay: true}\n"
                   "timelines:\n  t:\n    duration: 10\n    autoplay: true\n    tracks:\n"
                   "      - {target: sea.gain, keys: [{t: 2, v: 0}, {t: 4, v: 1}, "
                   "{t: 6, v: 0.5, ease: hold}]}\n");
    p = vt_player_create(s, 0);
    at(p, 1, 0);
    VT_CHECK_INT(vt_player_next_sound_change(p, sec(1)), sec(2));
    at(p, 3, 0);
    VT_CHECK_INT(vt_player_next_sound_change(p, sec(3)), sec(3));
    at(p, 5, 0);
    VT_CHECK_INT(vt_player_next_sound_change(p, sec(5)), sec(6));
    at(p, 7, 0);
    VT_CHECK_INT(vt_player_next_sound_change(p, sec(7)), sec(10));
    /* The picture does not wait on sound tracks. */
    VT_CHECK_INT(vt_player_next_change(p, sec(7)), sec(10));
    at(p, 11, 0);
    VT_CHECK_INT(vt_player_next_sound_change(p, sec(11)), INT64_MAX);
    vt_player_destroy(p);
    vt_scene_destroy(s);
}

/* Hot reload: a free-running sound keeps its play head and epoch; a tied one follows its
 * carried clock. */
static void test_carry_over(void) {
    vt_scene *s1 = scene(ACTIONS);
    vt_scene *s2 = scene(HEAD "sounds:\n  - {id: new, " TONE ", autoplay: true}\n"
                              "  - {id: sea, " TONE ", fade_in: 1, gain: 0.5}\n");
    vt_player *old = vt_player_create(s1, 0);
    key(old, "a", 1);
    vt_sound_state before = at(old, 4, 0);
    vt_player *p = vt_player_create(s2, sec(4));
    vt_player_carry_over(p, old, sec(4));
    vt_sound_state st = at(p, 5, 1);
    CHECK_STATE(st, true, false, 4, 0.5);
    VT_CHECK_INT(st.epoch, before.epoch);
    vt_sound_state fresh = at(p, 5, 0);
    CHECK_STATE(fresh, true, false, 1, 1);
    VT_CHECK(fresh.epoch != st.epoch);
    vt_player_destroy(p);
    vt_player_destroy(old);
    vt_scene_destroy(s1);
    vt_scene_destroy(s2);
}

/* Spoken languages: one file per language; a switch crossfades over 0.25 s to the same
 * position in the other file, or (language_switch: restart) starts it from its beginning. */
#define LANGS                                                                                      \
    "layers:\n  - {id: t, type: text, text: {fr: Bonjour, en: Hello}}\n"        \
    "triggers:\n  - {when: {key: e}, do: {language: en}}\n"                                     \
    "  - {when: {key: f}, do: {language: fr}}\n"
static void test_spoken_languages(void) {
    vt_scene *s = scene(HEAD LANGS "sounds:\n"
                                   "  - {id: voice, src: {en: audio/tone.wav, fr: audio/tone.wav}, "
                                   "autoplay: true, gain: 0.8}\n");
    if (!s) {
        return;
    }
    VT_CHECK_INT(s->sound_count, 2); /* voice (fr: the default, the text's first) and voice[en] */
    VT_CHECK_STR(s->sounds[1].id, "voice[en]");
    VT_CHECK_STR(s->languages[s->sounds[0].lang], "fr");
    vt_player *p = vt_player_create(s, 0);
    CHECK_STATE(at(p, 1, 0), true, false, 1, 0.8);
    CHECK_STATE(at(p, 1, 1), false, false, 1, 0); /* silent: no source */
    key(p, "e", 2);
    CHECK_STATE(at(p, 2, 0), true, false, 2, 0.8);
    CHECK_STATE(at(p, 2, 1), true, false, 2, 0); /* starts at the same position, silent */
    VT_CHECK_INT(vt_player_next_sound_change(p, sec(2.1)), sec(2.1));
    CHECK_STATE(at(p, 2.125, 0), true, false, 2.125, 0.4);
    CHECK_STATE(at(p, 2.125, 1), true, false, 2.125, 0.4);
    CHECK_STATE(at(p, 2.25, 0), false, false, 2.25, 0); /* the French voice is gone */
    CHECK_STATE(at(p, 2.25, 1), true, false, 2.25, 0.8);
    VT_CHECK(vt_player_next_sound_change(p, sec(2.3)) == INT64_MAX);
    vt_player_destroy(p);
    vt_scene_destroy(s);

    s = scene(HEAD LANGS "sounds:\n"
                         "  - {id: voice, src: {fr: audio/tone.wav, en: audio/tone.wav}, "
                         "autoplay: true, language_switch: restart}\n");
    if (!s) {
        return;
    }
    p = vt_player_create(s, 0);
    key(p, "e", 3);
    CHECK_STATE(at(p, 3, 0), false, false, 0, 0);
    CHECK_STATE(at(p, 3.5, 1), true, false, 0.5, 1); /* from the start of the English file */
    vt_player_destroy(p);
    vt_scene_destroy(s);
}

int main(void) {
    test_autoplay_fade_in();
    test_actions();
    test_tied();
    test_split_invariance();
    test_tracks();
    test_track_priority();
    test_next_sound_change();
    test_carry_over();
    test_spoken_languages();
    return vt_test_finish("test_player_sound");
}
