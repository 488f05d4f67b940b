/* The player's sounds (vt_player.h): what each sound should be doing at a time in integer
 * ticks, from autoplay, actions, timeline clocks and tracks. No AL call: the audio module plays
 * what vt_player_sounds says. */

/* Rules where the format leaves a choice:
 * - A free-running sound (no `timeline`) starts with autoplay at the scene's start or with
 *   `play`; `play` on a paused sound resumes it, on a playing one does nothing unless `from`
 *   restarts it there; `seek` moves a playing or paused sound (a stopped one stays silent).
 * - A sound with a timeline plays while the timeline's local time is at or past `at`: its
 *   offset is local time - at; it pauses with the timeline; a start, a seek or a loop of the
 *   timeline is a new epoch (the audio jumps); it stops when the timeline stops or ends.
 * - Fade-in counts play-head time from where the sound (re)started, so a pause holds the fade;
 *   a seek keeps the fade where it was. A stop (of the sound or of its timeline) fades out over
 *   fade_out in real time, the play head still moving; the sound is active until it is over.
 * - Tracks: the playing timeline started last drives a sound property, else the held one
 *   stopped last (as for layers); gain and pitch tracks multiply the sound's own value, a
 *   position track replaces it. gain = gain x track x fades x the scene's bus level.
 */
#include "player/player_internal.h"

#include <stdlib.h>
#include <string.h>

static bool vt_sound_tied(const vt_scene *sc, const vt_sound *s) {
    return s->timeline < sc->timeline_count;
}

/* The fade-in after `played` ticks of play head since the start. */
static double vt_sound_fade_in(const vt_sound *s, vt_ticks played) {
    if (s->fade_in <= 0 || played >= s->fade_in) {
        return 1.0;
    }
    return played <= 0 ? 0.0 : (double)played / (double)s->fade_in;
}

/* The fade-out `since` ticks after a stop; 0 once over (or without fade_out). */
static double vt_sound_fade_out(const vt_sound *s, vt_ticks since) {
    if (since >= s->fade_out) {
        return 0.0;
    }
    return 1.0 - (double)since / (double)s->fade_out;
}

/* ---- Actions on free-running sounds ---- */

static void vt_sound_start(vt_player *p, vt_sound_run *r, vt_ticks from, vt_ticks t) {
    r->run = VT_RUN_PLAYING;
    r->origin = t - from;
    r->fade_base = from;
    r->epoch = ++p->seq;
    r->stop_t = INT64_MIN;
}

static void vt_sound_stop(vt_sound_run *r, vt_ticks t) {
    /* A sound stopped already is left alone: its fade-out goes on. */
    if (r->run == VT_RUN_PLAYING) {
        r->stop_offset = t - r->origin;
        r->stop_t = t;
    } else if (r->run == VT_RUN_PAUSED) {
        r->stop_t = INT64_MIN; /* paused: silent already */
    }
    r->run = VT_RUN_STOPPED;
}

/* The play head jumps to `at`; the fade-in goes on from where it was. */
static void vt_sound_seek(vt_player *p, const vt_sound *s, vt_sound_run *r, vt_ticks at,
                          vt_ticks t) {
    if (r->run == VT_RUN_STOPPED) {
        return;
    }
    vt_ticks offset = r->run == VT_RUN_PLAYING ? t - r->origin : r->held;
    vt_ticks done = offset - r->fade_base;
    done = done < 0 ? 0 : (done > s->fade_in ? s->fade_in : done);
    r->fade_base = at - done;
    if (r->run == VT_RUN_PLAYING) {
        r->origin = t - at;
    } else {
        r->held = at;
    }
    r->epoch = ++p->seq;
}

void vt_player_sound_act(vt_player *p, const vt_action *a, vt_ticks t) {
    const vt_scene *sc = p->scene;
    if (a->target >= sc->sound_count || vt_sound_tied(sc, &sc->sounds[a->target])) {
        return; /* the loader refuses actions on a sound that follows a timeline */
    }
    const vt_sound *s = &sc->sounds[a->target];
    vt_sound_run *r = &p->sounds[a->target];
    switch (a->kind) {
    case VT_DO_PLAY:
        if (a->has_at || r->run == VT_RUN_STOPPED) {
            vt_sound_start(p, r, a->has_at ? a->at : 0, t);
        } else if (r->run == VT_RUN_PAUSED) {
            r->run = VT_RUN_PLAYING;
            r->origin = t - r->held;
        }
        break;
    case VT_DO_STOP:
        vt_sound_stop(r, t);
        break;
    case VT_DO_PAUSE:
        if (r->run == VT_RUN_PLAYING) {
            r->held = t - r->origin;
            r->run = VT_RUN_PAUSED;
        }
        break;
    case VT_DO_RESUME:
        if (r->run == VT_RUN_PAUSED) {
            r->run = VT_RUN_PLAYING;
            r->origin = t - r->held;
        }
        break;
    case VT_DO_SEEK:
        vt_sound_seek(p, s, r, a->at, t);
        break;
    default:
        break;
    }
}

/* ---- State at a time ---- */

static void vt_sound_free_state(const vt_player *p, size_t i, vt_ticks now, vt_sound_state *st,
                                double *fade) {
    const vt_sound *s = &p->scene->sounds[i];
    const vt_sound_run *r = &p->sounds[i];
    st->epoch = r->epoch;
    if (r->run == VT_RUN_PLAYING) {
        st->active = true;
        st->offset = now - r->origin;
        *fade = vt_sound_fade_in(s, st->offset - r->fade_base);
    } else if (r->run == VT_RUN_PAUSED) {
        st->active = st->paused = true;
        st->offset = r->held;
        *fade = vt_sound_fade_in(s, r->held - r->fade_base);
    } else if (r->stop_t != INT64_MIN && now - r->stop_t < s->fade_out) {
        st->active = true;
        st->offset = r->stop_offset + (now - r->stop_t);
        *fade = vt_sound_fade_in(s, r->stop_offset - r->fade_base) *
                vt_sound_fade_out(s, now - r->stop_t);
    }
}

/* A jump of the clock (start, seek) or a new play of a loop: each gives its own epoch. */
static uint64_t vt_sound_epoch(const vt_clock *c, vt_ticks play) {
    return (c->jump_seq << 32) + ((uint64_t)play & 0xffffffffu);
}

static void vt_sound_tied_state(const vt_player *p, size_t i, vt_ticks now, vt_sound_state *st,
                                double *fade) {
    const vt_sound *s = &p->scene->sounds[i];
    const vt_timeline *tl = &p->scene->timelines[s->timeline];
    const vt_clock *c = &p->clocks[s->timeline];
    if (!c->shown) {
        return;
    }
    vt_ticks elapsed = vt_player_elapsed(c, now);
    vt_ticks u = vt_player_local(tl, elapsed);
    st->epoch = vt_sound_epoch(c, vt_player_play_index(tl, elapsed));
    if (u < s->at) {
        return;
    }
    if (c->run != VT_RUN_STOPPED) {
        st->active = true;
        st->paused = c->run == VT_RUN_PAUSED;
        st->offset = u - s->at;
        *fade = vt_sound_fade_in(s, st->offset);
    } else if (c->stop_t != INT64_MIN && now - c->stop_t < s->fade_out) {
        st->active = true;
        st->offset = u - s->at + (now - c->stop_t);
        *fade = vt_sound_fade_in(s, u - s->at) * vt_sound_fade_out(s, now - c->stop_t);
    }
}

/* The track that drives property `prop` of sound `snd` and its local time, or NULL. */
static const vt_track *vt_sound_track_of(const vt_player *p, size_t snd, vt_prop prop, vt_ticks now,
                                         vt_ticks *u_out) {
    const vt_track *play = NULL, *rest = NULL;
    uint64_t play_seq = 0, rest_seq = 0;
    vt_ticks play_u = 0, rest_u = 0;
    for (size_t k = p->sound_track_first[snd]; k < p->sound_track_first[snd + 1]; k++) {
        const vt_track *tr = p->sound_tracks[k].track;
        const vt_timeline *tl = &p->scene->timelines[p->sound_tracks[k].timeline];
        const vt_clock *c = &p->clocks[p->sound_tracks[k].timeline];
        if (!c->shown || tr->prop != prop) {
            continue;
        }
        bool playing = c->run == VT_RUN_PLAYING;
        uint64_t seq = playing ? c->start_seq : c->rest_seq;
        vt_ticks u = vt_player_local(tl, vt_player_elapsed(c, now));
        /* >=: as for layers, a later track of the same timeline wins */
        if (playing && seq >= play_seq) {
            play = tr, play_seq = seq, play_u = u;
        } else if (!playing && seq >= rest_seq) {
            rest = tr, rest_seq = seq, rest_u = u;
        }
    }
    *u_out = play ? play_u : rest_u;
    return play ? play : rest;
}

static double vt_sound_clamp(double x, double lo, double hi) {
    return x > lo ? (x < hi ? x : hi) : lo; /* NaN goes to lo */
}

/* Track values: overshooting easings (back, elastic) stay within the keys' ranges. */
static void vt_sound_tracks(const vt_player *p, size_t i, vt_ticks now, vt_sound_state *st,
                            double *gain) {
    double v[4] = {0, 0, 0, 0};
    vt_ticks u;
    const vt_track *tr = vt_sound_track_of(p, i, VT_PROP_GAIN, now, &u);
    if (tr) {
        vt_player_track_value(tr, u, v);
        *gain *= vt_sound_clamp(v[0], 0.0, 4.0);
    }
    tr = vt_sound_track_of(p, i, VT_PROP_PITCH, now, &u);
    if (tr) {
        vt_player_track_value(tr, u, v);
        st->pitch *= vt_sound_clamp(v[0], 0.25, 4.0);
    }
    tr = vt_sound_track_of(p, i, VT_PROP_POSITION3, now, &u);
    if (tr) {
        vt_player_track_value(tr, u, v);
        memcpy(st->position, v, sizeof st->position);
    }
}

/* ---- Spoken languages ---- */

/* How long a language switch crossfades a spoken sound's files. */
#define VT_SOUND_SWITCH_FADE (VT_TICKS_PER_SEC / 4)

/* The sound whose state spoken sound i follows (the one written in the file); i for others. */
static size_t vt_sound_leader(const vt_scene *sc, size_t i) {
    return sc->sounds[i].spoken ? sc->sounds[i].variant_of : i;
}

/* The file of spoken sound `leader` for language `lang`: its own, else the leader's (the
 * default language's, or the first written). */
static size_t vt_sound_voice_for(const vt_scene *sc, size_t leader, uint32_t lang) {
    for (size_t k = 0; k < sc->sound_count; k++) {
        const vt_sound *s = &sc->sounds[k];
        if (s->spoken && s->variant_of == leader && s->lang == lang) {
            return k;
        }
    }
    return leader;
}

static bool vt_sound_switching(const vt_player *p, const vt_sound *s, vt_ticks now) {
    return s->spoken && s->on_switch == VT_SWITCH_CROSSFADE && p->language_t != INT64_MIN &&
           now - p->language_t < VT_SOUND_SWITCH_FADE;
}

/* Spoken sound i's share of the sound's gain: 1 for the current language's file, 0 for the
 * others, crossfading (linear in gain) for VT_SOUND_SWITCH_FADE after a switch. */
static double vt_sound_language_weight(const vt_player *p, size_t i, vt_ticks now) {
    const vt_scene *sc = p->scene;
    const vt_sound *s = &sc->sounds[i];
    size_t cur = vt_sound_voice_for(sc, s->variant_of, p->language);
    if (!vt_sound_switching(p, s, now)) {
        return cur == i ? 1.0 : 0.0;
    }
    size_t prev = vt_sound_voice_for(sc, s->variant_of, p->language_prev);
    double u = (double)(now - p->language_t) / (double)VT_SOUND_SWITCH_FADE;
    return prev == cur ? (cur == i ? 1.0 : 0.0) : i == cur ? u : i == prev ? 1.0 - u : 0.0;
}

void vt_player_sounds_language(vt_player *p, vt_ticks t) {
    const vt_scene *sc = p->scene;
    for (size_t i = 0; i < sc->sound_count; i++) {
        const vt_sound *s = &sc->sounds[i];
        if (s->spoken && s->variant_of == i && s->on_switch == VT_SWITCH_RESTART &&
            !vt_sound_tied(sc, s) && p->sounds[i].run == VT_RUN_PLAYING &&
            p->sounds[i].stop_t == INT64_MIN) {
            vt_sound_start(p, &p->sounds[i], 0, t);
        }
    }
}

/* ---- Evaluation ---- */

static void vt_sound_eval(const vt_player *p, size_t i, vt_ticks now, vt_sound_state *st) {
    const vt_scene *sc = p->scene;
    size_t lead = vt_sound_leader(sc, i); /* a spoken sound's files share its state */
    const vt_sound *s = &sc->sounds[lead];
    double fade = 0.0, gain = s->gain;
    *st = (vt_sound_state){.pitch = s->pitch};
    memcpy(st->position, s->position, sizeof st->position);
    if (vt_sound_tied(sc, s)) {
        vt_sound_tied_state(p, lead, now, st, &fade);
    } else {
        vt_sound_free_state(p, lead, now, st, &fade);
    }
    vt_sound_tracks(p, lead, now, st, &gain);
    if (s->bus < sc->bus_count) {
        gain *= sc->buses[s->bus].gain;
    }
    if (sc->sounds[i].spoken) {
        double w = vt_sound_language_weight(p, i, now);
        /* The current language's file is active even at weight 0 (the switch's first instant):
         * its source starts at the shared position, then fades in. */
        st->active =
            st->active && (w > 0.0 || i == vt_sound_voice_for(sc, s->variant_of, p->language));
        gain *= w;
    }
    st->gain = st->active ? gain * fade : 0.0;
}

/* ---- When the sounds change next ---- */

/* A sound track of a playing timeline: `now` while its segment moves, else its next key or the
 * timeline's loop point or end. */
static vt_ticks vt_sound_track_change(const vt_track *tr, const vt_timeline *tl, const vt_clock *c,
                                      vt_ticks now) {
    vt_ticks u = vt_player_local(tl, vt_player_elapsed(c, now)), next = tl->duration;
    size_t k = vt_player_key_at(tr, u);
    size_t after = k == SIZE_MAX ? 0 : k + 1;
    if (after < tr->key_count) {
        const vt_key *a = &tr->keys[k == SIZE_MAX ? 0 : k], *b = &tr->keys[after];
        if (k != SIZE_MAX && b->ease.kind != VT_EASE_HOLD &&
            memcmp(a->v, b->v, vt_player_arity(tr->prop) * sizeof a->v[0]) != 0) {
            return now;
        }
        next = b->t < next ? b->t : next;
    }
    return now + (next > u ? next - u : 0);
}

/* A sound following a playing timeline: when it starts (the timeline reaching `at`), restarts
 * or stops (the loop point or the end: both at local time `duration`). */
static vt_ticks vt_sound_tied_change(const vt_player *p, const vt_sound *s, vt_ticks now) {
    const vt_timeline *tl = &p->scene->timelines[s->timeline];
    const vt_clock *c = &p->clocks[s->timeline];
    if (!c->shown || c->run != VT_RUN_PLAYING) {
        return INT64_MAX;
    }
    vt_ticks u = vt_player_local(tl, vt_player_elapsed(c, now));
    return now + (u < s->at ? s->at - u : tl->duration - u);
}

static vt_ticks vt_sound_change(const vt_player *p, size_t i, vt_ticks now) {
    const vt_scene *sc = p->scene;
    if (vt_sound_switching(p, &sc->sounds[i], now)) {
        return now; /* crossfading between languages */
    }
    i = vt_sound_leader(sc, i);
    const vt_sound *s = &sc->sounds[i];
    vt_sound_state st;
    double fade = 0.0;
    st = (vt_sound_state){0};
    if (vt_sound_tied(sc, s)) {
        vt_sound_tied_state(p, i, now, &st, &fade);
    } else {
        vt_sound_free_state(p, i, now, &st, &fade);
    }
    vt_ticks best = vt_sound_tied(sc, s) ? vt_sound_tied_change(p, s, now) : INT64_MAX;
    if (!st.active || st.paused) {
        return best;
    }
    if (fade < 1.0) {
        return now; /* fading in or out */
    }
    for (size_t k = p->sound_track_first[i]; k < p->sound_track_first[i + 1]; k++) {
        uint32_t tl = p->sound_tracks[k].timeline;
        if (p->clocks[tl].shown && p->clocks[tl].run == VT_RUN_PLAYING) {
            vt_ticks t = vt_sound_track_change(p->sound_tracks[k].track, &sc->timelines[tl],
                                               &p->clocks[tl], now);
            best = t < best ? t : best;
        }
    }
    return best;
}

/* ---- Public and player.c's hooks ---- */

void vt_player_sounds(const vt_player *p, vt_sound_state *out) {
    if (!p || !out) {
        return;
    }
    for (size_t i = 0; i < p->scene->sound_count; i++) {
        vt_sound_eval(p, i, p->now, &out[i]);
    }
}

vt_ticks vt_player_next_sound_change(const vt_player *p, vt_ticks now) {
    if (!p) {
        return INT64_MAX;
    }
    now = now < p->now ? p->now : now;
    if (!p->begun) {
        return now;
    }
    vt_ticks best = INT64_MAX;
    for (size_t i = 0; i < p->scene->sound_count && best > now; i++) {
        vt_ticks t = vt_sound_change(p, i, now);
        best = t < best ? t : best;
    }
    return best < now ? now : best;
}

/* Lists each sound's tracks (counted, then placed), in timeline and track order. */
static void vt_sound_index(vt_player *p) {
    const vt_scene *sc = p->scene;
    size_t *first = vt_xcalloc(sc->sound_count + 1, sizeof *first);
    for (size_t pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < sc->timeline_count; i++) {
            for (size_t j = 0; j < sc->timelines[i].track_count; j++) {
                const vt_track *tr = &sc->timelines[i].tracks[j];
                if (!tr->sound || tr->layer >= sc->sound_count || tr->key_count == 0) {
                    continue;
                }
                if (pass == 0) {
                    first[tr->layer + 1]++;
                } else {
                    p->sound_tracks[first[tr->layer]++] = (vt_sound_track){tr, (uint32_t)i};
                }
            }
        }
        if (pass == 0) {
            for (size_t i = 0; i < sc->sound_count; i++) {
                first[i + 1] += first[i];
            }
            size_t total = first[sc->sound_count];
            p->sound_tracks = vt_xcalloc(total ? total : 1, sizeof *p->sound_tracks);
        }
    }
    /* Placing moved each first[i] to the end of sound i's tracks: the start of sound i + 1. */
    memmove(first + 1, first, sc->sound_count * sizeof *first);
    first[0] = 0;
    p->sound_track_first = first;
}

void vt_player_sounds_create(vt_player *p) {
    const vt_scene *sc = p->scene;
    vt_sound_index(p);
    p->sounds = vt_xcalloc(sc->sound_count, sizeof *p->sounds);
    for (size_t i = 0; i < sc->sound_count; i++) {
        p->sounds[i].stop_t = INT64_MIN;
        if (sc->sounds[i].autoplay && !vt_sound_tied(sc, &sc->sounds[i])) {
            vt_sound_start(p, &p->sounds[i], 0, p->start);
        }
    }
}

void vt_player_sounds_destroy(vt_player *p) {
    free(p->sounds);
    free(p->sound_track_first);
    free(p->sound_tracks);
    p->sounds = NULL;
    p->sound_track_first = NULL;
    p->sound_tracks = NULL;
}

/* Free-running sounds whose id still names a free-running sound keep playing where they were
 * (same epoch: no jump); the others start afresh (their epochs after the old player's). */
void vt_player_sounds_carry(vt_player *p, const vt_player *old, vt_ticks now) {
    (void)now; /* the runs hold absolute times, shared by both players */
    const vt_scene *ns = p->scene, *os = old->scene;
    for (size_t i = 0; i < ns->sound_count; i++) {
        vt_sound_run *r = &p->sounds[i];
        r->epoch += r->epoch ? old->seq : 0;
        if (vt_sound_tied(ns, &ns->sounds[i]) || !ns->sounds[i].id) {
            continue;
        }
        for (size_t j = 0; j < os->sound_count; j++) {
            const vt_sound *o = &os->sounds[j];
            if (o->id && strcmp(o->id, ns->sounds[i].id) == 0) {
                if (!vt_sound_tied(os, o)) {
                    *r = old->sounds[j];
                }
                break;
            }
        }
    }
}
