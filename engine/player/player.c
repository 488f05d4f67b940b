/* The player (vt_player.h): timeline clocks, triggers, states and the idle timer in exact integer
 * time, and every layer's properties evaluated from them (no GL, AL or allocation after create). */

/* Rules where the scene format leaves a choice (what mature tools do, SMIL and CSS mostly):
 * - Events happen at their own time, not at the update that notices them: a timeline that ends
 *   at 2.000 s fires its timeline_end triggers at 2.000 s even when the update comes at 2.016 s,
 *   so a `play` they run starts at 2.000 s. Any split of time into updates therefore gives the
 *   same show (render equals play; jumping to t equals stepping to t).
 * - At one instant: timeline ends (in file order), then the idle return to attract, then idle
 *   triggers (file order); input comes after the events of its instant.
 * - A trigger runs all its actions, then the firings they caused (enter/leave, timeline_end),
 *   depth first, before the next trigger; at most VT_PLAYER_MAX_CASCADE per root event.
 * - Scene start: autoplay timelines start at `start`; then `start` triggers, then the `enter`
 *   triggers of the initial state, at the first update (or input).
 * - Who gives a property its value: the playing timeline started most recently; if none is
 *   playing, the latest of the `set` actions and the held timelines (stopped, ended, paused:
 *   they freeze at the values they gave, SMIL fill=freeze), ordered by when they stopped; else
 *   the scene's value. So a `set` shows until a timeline next drives that property.
 */
#include "player/player_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define VT_NO_KEY SIZE_MAX

/* ---- Clocks ---- */

/* Every play together; INT64_MAX for a timeline that loops forever (or longer than int64). */
vt_ticks vt_player_total(const vt_timeline *tl) {
    if (tl->plays <= 0 || tl->duration > INT64_MAX / tl->plays) {
        return INT64_MAX;
    }
    return tl->duration * tl->plays;
}

vt_ticks vt_player_elapsed(const vt_clock *c, vt_ticks now) {
    return c->run == VT_RUN_PLAYING ? now - c->origin : c->elapsed;
}

/* Local time: loops wrap exactly; held at `duration` once the last play is over. */
vt_ticks vt_player_local(const vt_timeline *tl, vt_ticks elapsed) {
    if (elapsed >= vt_player_total(tl)) {
        return tl->duration;
    }
    return elapsed <= 0 ? 0 : elapsed % tl->duration;
}

/* Which play (0-based) elapsed falls in; the last one once it is over. */
vt_ticks vt_player_play_index(const vt_timeline *tl, vt_ticks elapsed) {
    if (elapsed >= vt_player_total(tl)) {
        return tl->plays - 1;
    }
    return elapsed <= 0 ? 0 : elapsed / tl->duration;
}

static vt_ticks vt_player_clamp_at(const vt_timeline *tl, vt_ticks at) {
    return at < 0 ? 0 : (at > tl->duration ? tl->duration : at);
}

/* When a playing timeline ends, or INT64_MAX. */
static vt_ticks vt_player_end_time(const vt_timeline *tl, const vt_clock *c) {
    vt_ticks total = vt_player_total(tl);
    if (c->run != VT_RUN_PLAYING || total == INT64_MAX || c->origin > INT64_MAX - total) {
        return INT64_MAX;
    }
    return c->origin + total;
}

/* ---- Firing triggers ---- */

static void vt_player_fire(vt_player *p, const vt_fire *f, vt_ticks t);

static void vt_player_push(vt_player *p, vt_when_kind kind, uint32_t index) {
    if (p->queue_len == p->queue_cap) {
        return; /* only reachable past the cascade limit, which has already been logged */
    }
    p->queue[p->queue_len++] = (vt_fire){kind, index, NULL};
}

/* Fires the firings queued since `mark` (in order), then forgets them. Cascaded firings count
 * against the loop guard; the root ones (a state change caused by input or idleness) do not. */
static void vt_player_drain(vt_player *p, size_t mark, vt_ticks t, bool cascaded) {
    size_t end = p->queue_len;
    for (size_t i = mark; i < end; i++) {
        if (cascaded && p->cascade >= VT_PLAYER_MAX_CASCADE) {
            if (!p->warned_cascade) {
                vt_log(VT_LOG_WARN, "player",
                       "more than %d triggers fired one another at %.3f s; the rest are "
                       "skipped (a trigger loop?)",
                       VT_PLAYER_MAX_CASCADE, vt_ticks_to_seconds(t - p->start));
                p->warned_cascade = true;
            }
            break;
        }
        p->cascade += cascaded ? 1 : 0;
        vt_fire f = p->queue[i];
        vt_player_fire(p, &f, t);
    }
    p->queue_len = mark;
}

/* A state change: leave then enter fire (queued, so after the current trigger's actions). */
static void vt_player_change_state(vt_player *p, uint32_t state) {
    if (state == p->state || state >= p->scene->states.count) {
        return;
    }
    uint32_t old = p->state;
    p->state = state;
    if (state == VT_STATE_ATTRACT) {
        p->language = p->language_prev = 0; /* the next visitor: the scene's default language */
    }
    vt_player_push(p, VT_WHEN_LEAVE, old);
    vt_player_push(p, VT_WHEN_ENTER, state);
}

/* An engaged timeline stops holding the visitor's session at t (its end, a stop or a pause). */
static void vt_player_disengage(vt_player *p, const vt_clock *c, vt_ticks t) {
    if (c->engaged && t > p->engaged_until) {
        p->engaged_until = t;
    }
}

/* A timeline that has played through: its clock holds the end (fill=freeze). */
static void vt_player_finish(vt_player *p, uint32_t i) {
    vt_clock *c = &p->clocks[i];
    if (c->run == VT_RUN_PLAYING) {
        c->stop_t = vt_player_end_time(&p->scene->timelines[i], c);
        vt_player_disengage(p, c, c->stop_t);
    }
    c->elapsed = vt_player_total(&p->scene->timelines[i]);
    c->run = VT_RUN_STOPPED;
    c->rest_seq = ++p->seq;
}

/* After an action moved a playing timeline (play at the end, seek to the end, resume there):
 * it ends at once, and its timeline_end triggers follow the current trigger. */
static void vt_player_check_end(vt_player *p, uint32_t i, vt_ticks t) {
    if (vt_player_end_time(&p->scene->timelines[i], &p->clocks[i]) <= t) {
        vt_player_finish(p, i);
        vt_player_push(p, VT_WHEN_TIMELINE_END, i);
    }
}

static void vt_player_start(vt_player *p, uint32_t i, vt_ticks at, vt_ticks t) {
    vt_clock *c = &p->clocks[i];
    c->run = VT_RUN_PLAYING;
    c->shown = true;
    c->origin = t - at;
    c->start_seq = ++p->seq;
    c->jump_seq = c->start_seq;
}

/* Stop or pause: the clock holds where it is. A paused timeline that is stopped keeps its
 * rank: it stopped driving when it paused. */
static void vt_player_hold(vt_player *p, uint32_t i, vt_run run, vt_ticks t) {
    vt_clock *c = &p->clocks[i];
    if (c->run == VT_RUN_PLAYING) {
        vt_player_disengage(p, c, t);
        c->elapsed = t - c->origin;
        c->rest_seq = ++p->seq;
        c->stop_t = run == VT_RUN_STOPPED ? t : INT64_MIN;
        c->run = run;
    } else if (c->run == VT_RUN_PAUSED && run == VT_RUN_STOPPED) {
        c->run = run;
    }
}

/* Play: starts a stopped timeline at 0 (or `at`); resumes a paused one and leaves a playing
 * one alone, unless `at` is given, which restarts either there. */
static void vt_player_play(vt_player *p, uint32_t i, const vt_action *a, vt_ticks t) {
    const vt_timeline *tl = &p->scene->timelines[i];
    vt_clock *c = &p->clocks[i];
    if (a->has_at || c->run == VT_RUN_STOPPED) {
        vt_player_start(p, i, vt_player_clamp_at(tl, a->has_at ? a->at : 0), t);
        /* A story started for a visitor: the session waits for it (not a loop without end).
         * Through chains of ends, each timeline holds it once per input, so that timelines
         * restarting one another on their ends (a loop made of triggers) cannot hold forever. */
        bool visitor = p->engaging == VT_ENGAGE_INPUT ||
                       (p->engaging == VT_ENGAGE_CHAIN && c->engaged_input != p->input_seq);
        c->engaged = visitor && p->state != VT_STATE_ATTRACT && vt_player_total(tl) != INT64_MAX;
        c->engaged_input = c->engaged ? p->input_seq : c->engaged_input;
    } else if (c->run == VT_RUN_PAUSED) {
        c->run = VT_RUN_PLAYING;
        c->origin = t - c->elapsed;
    }
    vt_player_check_end(p, i, t);
}

/* Seek: the local time within the current play; playing, paused or stopped stays so. A held
 * timeline shows the new position (a seek is asking to see it). Seeking to `duration` in a
 * loop that has plays left is the start of the next play. */
static void vt_player_seek(vt_player *p, uint32_t i, vt_ticks at, vt_ticks t) {
    const vt_timeline *tl = &p->scene->timelines[i];
    vt_clock *c = &p->clocks[i];
    vt_ticks play = vt_player_play_index(tl, vt_player_elapsed(c, t));
    vt_ticks elapsed = play * tl->duration + vt_player_clamp_at(tl, at);
    c->jump_seq = ++p->seq;
    c->stop_t = INT64_MIN; /* a held timeline's sounds stop fading out: it shows elsewhere */
    if (c->run == VT_RUN_PLAYING) {
        c->origin = t - elapsed;
        vt_player_check_end(p, i, t);
    } else {
        c->elapsed = elapsed;
        c->shown = true;
        c->rest_seq = ++p->seq;
    }
}

/* The slot of a layer's property or shader input; NULL for anything else. */
static vt_slot *vt_player_slot(const vt_player *p, uint32_t layer, vt_prop prop) {
    if (layer >= p->scene->layer_count) {
        return NULL;
    }
    size_t base = p->slot_base[layer], n = p->slot_base[layer + 1] - base;
    size_t k = (unsigned)prop < VT_PROP_COUNT ? (size_t)prop
               : VT_PROP_IS_INPUT(prop)       ? VT_PROP_COUNT + (size_t)(prop - VT_PROP_INPUT)
                                              : SIZE_MAX;
    return k < n ? &p->slots[base + k] : NULL;
}

static size_t vt_player_input_base(const vt_player *p, size_t layer) {
    return p->slot_base[layer] - layer * VT_PROP_COUNT;
}

void vt_player_set_prop(vt_player *p, uint32_t layer, vt_prop prop, const double v[4]) {
    vt_slot *s = vt_player_slot(p, layer, prop);
    if (!s) {
        return;
    }
    memcpy(s->set_v, v, sizeof s->set_v);
    s->set_seq = ++p->seq;
}

static void vt_player_set(vt_player *p, const vt_action *a) {
    vt_player_set_prop(p, a->target, a->prop, a->v);
}

static void vt_player_act(vt_player *p, const vt_action *a, vt_ticks t) {
    if (a->sound) {
        vt_player_sound_act(p, a, t);
        return;
    }
    if (a->kind == VT_DO_STATE) {
        vt_player_change_state(p, a->target);
        return;
    }
    if (a->kind == VT_DO_SET) {
        vt_player_set(p, a);
        return;
    }
    if (a->kind == VT_DO_LANGUAGE) {
        if (a->target < p->scene->language_count && a->target != p->language) {
            p->language_prev = p->language;
            p->language = a->target;
            p->language_t = t;
            vt_player_sounds_language(p, t);
        }
        return;
    }
    if (a->target >= p->scene->timeline_count) {
        return;
    }
    vt_clock *c = &p->clocks[a->target];
    switch (a->kind) {
    case VT_DO_PLAY:
        vt_player_play(p, a->target, a, t);
        break;
    case VT_DO_STOP:
        vt_player_hold(p, a->target, VT_RUN_STOPPED, t);
        break;
    case VT_DO_PAUSE:
        if (c->run == VT_RUN_PLAYING) {
            vt_player_hold(p, a->target, VT_RUN_PAUSED, t);
        }
        break;
    case VT_DO_RESUME:
        if (c->run == VT_RUN_PAUSED) {
            c->run = VT_RUN_PLAYING;
            c->origin = t - c->elapsed;
            vt_player_check_end(p, a->target, t);
        }
        break;
    case VT_DO_SEEK:
        vt_player_seek(p, a->target, a->at, t);
        break;
    default:
        break;
    }
}

static void vt_player_run_trigger(vt_player *p, const vt_trigger *tr, vt_ticks t) {
    size_t mark = p->queue_len;
    for (size_t i = 0; i < tr->action_count; i++) {
        vt_player_act(p, &tr->actions[i], t);
    }
    vt_player_drain(p, mark, t, true);
}

static bool vt_player_matches(const vt_when *w, const vt_fire *f) {
    if (w->kind != f->kind) {
        return false;
    }
    switch (f->kind) {
    case VT_WHEN_START:
        return true;
    case VT_WHEN_KEY:
    case VT_WHEN_OSC:
        return strncmp(w->name, f->name, sizeof w->name) == 0;
    case VT_WHEN_IDLE:
        return false; /* each idle trigger has its own time: fired one by one */
    case VT_WHEN_TOUCH:
        return w->index == f->index || w->index == VT_WHEN_ANYWHERE;
    case VT_WHEN_SWIPE:
        return strncmp(w->name, f->name, sizeof w->name) == 0 &&
               (w->index == f->index || w->index == VT_WHEN_ANYWHERE);
    default:
        return w->index == f->index;
    }
}

static void vt_player_fire(vt_player *p, const vt_fire *f, vt_ticks t) {
    const vt_scene *sc = p->scene;
    for (size_t i = 0; i < sc->trigger_count; i++) {
        if (vt_player_matches(&sc->triggers[i].when, f)) {
            vt_player_run_trigger(p, &sc->triggers[i], t);
        }
    }
}

/* A root firing: its own cascade budget. */
void vt_player_fire_root(vt_player *p, vt_when_kind kind, uint32_t index, const char *name,
                         vt_ticks t) {
    p->cascade = 0;
    vt_fire f = {kind, index, name};
    vt_player_fire(p, &f, t);
}

/* A state change that is not an action (input in attract, the idle timeout). */
static void vt_player_root_state(vt_player *p, uint32_t state, vt_ticks t) {
    p->cascade = 0;
    size_t mark = p->queue_len;
    vt_player_change_state(p, state);
    vt_player_drain(p, mark, t, false);
}

/* ---- Time passing ---- */

typedef enum vt_player_ev_kind {
    VT_EV_NONE,
    VT_EV_END,
    VT_EV_TIMEOUT,
    VT_EV_IDLE
} vt_player_ev_kind;

typedef struct vt_pending {
    vt_player_ev_kind kind;
    size_t index;
    vt_ticks t;
} vt_pending;

/* When the visitor's silence began, for the idle timer and idle triggers: the last input, or,
 * unless `idle_during_playback`, the end of the stories started for the visitor (timelines
 * started by an action outside attract): the end of those still playing (known in advance,
 * so exact), else when the last of them stopped, paused or ended. */
static vt_ticks vt_player_quiet_since(const vt_player *p) {
    const vt_scene *sc = p->scene;
    vt_ticks quiet = p->last_input;
    if (sc->states.idle_during_playback) {
        return quiet;
    }
    quiet = p->engaged_until > quiet ? p->engaged_until : quiet;
    for (size_t i = 0; i < sc->timeline_count; i++) {
        const vt_clock *c = &p->clocks[i];
        if (c->engaged && c->run == VT_RUN_PLAYING) {
            vt_ticks end = vt_player_end_time(&sc->timelines[i], c);
            quiet = end != INT64_MAX && end > quiet ? end : quiet;
        }
    }
    return quiet;
}

static vt_ticks vt_player_after(vt_ticks t, vt_ticks d) {
    return t > INT64_MAX - d ? INT64_MAX : t + d;
}

/* The earliest thing that happens without input; ties go to the order documented on top. */
static vt_pending vt_player_next_event(const vt_player *p) {
    const vt_scene *sc = p->scene;
    vt_pending next = {VT_EV_NONE, 0, INT64_MAX};
    for (size_t i = 0; i < sc->timeline_count; i++) {
        vt_ticks end = vt_player_end_time(&sc->timelines[i], &p->clocks[i]);
        if (end < next.t) {
            next = (vt_pending){VT_EV_END, i, end};
        }
    }
    vt_ticks quiet = vt_player_quiet_since(p);
    if (sc->states.idle_after > 0 && !p->timeout_done &&
        vt_player_after(quiet, sc->states.idle_after) < next.t) {
        next = (vt_pending){VT_EV_TIMEOUT, 0, vt_player_after(quiet, sc->states.idle_after)};
    }
    for (size_t i = 0; i < sc->trigger_count; i++) {
        const vt_when *w = &sc->triggers[i].when;
        if (w->kind == VT_WHEN_IDLE && !p->idle_fired[i] &&
            vt_player_after(quiet, w->idle) < next.t) {
            next = (vt_pending){VT_EV_IDLE, i, vt_player_after(quiet, w->idle)};
        }
    }
    return next;
}

static void vt_player_handle(vt_player *p, const vt_pending *ev, vt_ticks t) {
    switch (ev->kind) {
    case VT_EV_END:
        vt_player_finish(p, (uint32_t)ev->index);
        /* The story goes on (part two, say) */
        p->engaging = p->clocks[ev->index].engaged ? VT_ENGAGE_CHAIN : VT_ENGAGE_NONE;
        vt_player_fire_root(p, VT_WHEN_TIMELINE_END, (uint32_t)ev->index, NULL, t);
        p->engaging = VT_ENGAGE_NONE;
        break;
    case VT_EV_TIMEOUT:
        p->timeout_done = true;
        vt_player_root_state(p, VT_STATE_ATTRACT, t);
        break;
    case VT_EV_IDLE:
        p->idle_fired[ev->index] = true;
        p->cascade = 0;
        vt_player_run_trigger(p, &p->scene->triggers[ev->index], t);
        break;
    default:
        break;
    }
}

static void vt_player_begin(vt_player *p) {
    p->begun = true;
    vt_player_fire_root(p, VT_WHEN_START, 0, NULL, p->start);
    vt_player_fire_root(p, VT_WHEN_ENTER, p->state, NULL, p->start);
}

/* Processes everything that happens up to and including `now`, each at its own time. */
static void vt_player_advance(vt_player *p, vt_ticks now) {
    if (now < p->now) {
        now = p->now;
    }
    if (!p->begun) {
        vt_player_begin(p);
    }
    for (long n = 0;; n++) {
        vt_pending ev = vt_player_next_event(p);
        if (ev.kind == VT_EV_NONE || ev.t > now) {
            break;
        }
        if (n >= VT_PLAYER_MAX_EVENTS) {
            if (!p->warned_events) {
                vt_log(VT_LOG_WARN, "player",
                       "over %d timeline ends in one frame; the rest "
                       "wait for the next frames",
                       VT_PLAYER_MAX_EVENTS);
                p->warned_events = true;
            }
            break;
        }
        /* Only after a hot reload can an event be overdue; time still never goes back. */
        vt_ticks t = ev.t < p->now ? p->now : ev.t;
        p->now = t;
        vt_player_handle(p, &ev, t);
    }
    p->now = now;
}

/* ---- Evaluation ---- */

size_t vt_player_arity(vt_prop prop) {
    switch (prop) {
    case VT_PROP_POSITION:
    case VT_PROP_SIZE:
    case VT_PROP_ANCHOR:
    case VT_PROP_SCALE:
        return 2;
    case VT_PROP_COLOR:
        return 4;
    case VT_PROP_POSITION3:
        return 3;
    default:
        return 1;
    }
}

/* The last key at or before u (the later one when two share a time: the value after a jump). */
size_t vt_player_key_at(const vt_track *tr, vt_ticks u) {
    if (tr->key_count == 0 || u < tr->keys[0].t) {
        return VT_NO_KEY;
    }
    size_t lo = 0, hi = tr->key_count; /* keys[lo].t <= u; keys[hi].t > u (hi past the end) */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (tr->keys[mid].t <= u) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return lo;
}

static double vt_player_to_linear(double c8) {
    double c = c8 / 255.0;
    c = c < 0.0 ? 0.0 : (c > 1.0 ? 1.0 : c);
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double vt_player_to_srgb8(double l) {
    l = l > 0.0 ? (l < 1.0 ? l : 1.0) : 0.0; /* overshooting easings stay in gamut */
    double c = l <= 0.0031308 ? 12.92 * l : 1.055 * pow(l, 1.0 / 2.4) - 0.055;
    return round(c * 255.0);
}

/* Colours move in linear light (a fade through black and white passes a true mid-grey);
 * alpha moves as is. */
static void vt_player_color_lerp(const double *a, const double *b, double e, double *v) {
    for (int j = 0; j < 3; j++) {
        double la = vt_player_to_linear(a[j]), lb = vt_player_to_linear(b[j]);
        v[j] = vt_player_to_srgb8(la + (lb - la) * e);
    }
    double alpha = round(a[3] + (b[3] - a[3]) * e);
    v[3] = alpha < 0.0 ? 0.0 : (alpha > 255.0 ? 255.0 : alpha);
}

/* A track's value at local time u: keys hold exactly, the ends extend, segments ease. */
void vt_player_track_value(const vt_track *tr, vt_ticks u, double *v) {
    vt_prop shape = vt_player_shape(tr);
    size_t n = vt_player_arity(shape);
    size_t i = vt_player_key_at(tr, u);
    const vt_key *k = tr->keys;
    if (i == VT_NO_KEY || i + 1 == tr->key_count || k[i].t == u || shape == VT_PROP_VISIBLE) {
        memcpy(v, k[i == VT_NO_KEY ? 0 : i].v, n * sizeof *v);
        return;
    }
    const vt_key *a = &k[i], *b = &k[i + 1];
    double e = vt_ease_eval(&b->ease, (double)(u - a->t) / (double)(b->t - a->t));
    if (shape == VT_PROP_COLOR) {
        vt_player_color_lerp(a->v, b->v, e, v);
        return;
    }
    for (size_t j = 0; j < n; j++) {
        v[j] = a->v[j] + (b->v[j] - a->v[j]) * e;
    }
}

static double vt_player_clamp(double x, double lo, double hi) {
    return x > lo ? (x < hi ? x : hi) : lo; /* NaN goes to lo */
}

void vt_player_apply(vt_layer_props *lp, vt_prop prop, const double *v) {
    switch (prop) {
    case VT_PROP_POSITION:
        lp->position = (vt_vec2){v[0], v[1]};
        break;
    case VT_PROP_SIZE:
        lp->size =
            (vt_vec2){vt_player_clamp(v[0], 0.0, INFINITY), vt_player_clamp(v[1], 0.0, INFINITY)};
        break;
    case VT_PROP_ANCHOR:
        lp->anchor = (vt_vec2){v[0], v[1]};
        break;
    case VT_PROP_SCALE:
        lp->scale = (vt_vec2){v[0], v[1]};
        break;
    case VT_PROP_ROTATION:
        lp->rotation = v[0];
        break;
    case VT_PROP_OPACITY:
        lp->opacity = vt_player_clamp(v[0], 0.0, 1.0);
        break;
    case VT_PROP_COLOR:
        lp->color = (vt_color){(uint8_t)round(vt_player_clamp(v[0], 0.0, 255.0)),
                               (uint8_t)round(vt_player_clamp(v[1], 0.0, 255.0)),
                               (uint8_t)round(vt_player_clamp(v[2], 0.0, 255.0)),
                               (uint8_t)round(vt_player_clamp(v[3], 0.0, 255.0))};
        break;
    case VT_PROP_VISIBLE:
        lp->visible = v[0] != 0.0;
        break;
    case VT_PROP_RADIUS:
        lp->radius = vt_player_clamp(v[0], 0.0, INFINITY);
        break;
    case VT_PROP_REVEAL:
        lp->reveal = vt_player_clamp(v[0], 0.0, 1.0);
        break;
    case VT_PROP_LETTER_SPACING:
        lp->letter_spacing = vt_player_clamp(v[0], -100.0, 1000.0);
        break;
    case VT_PROP_TEXT_SIZE: /* overshooting easings stay within what a layout accepts */
        lp->text_size = vt_player_clamp(v[0], 1.0, 2000.0);
        break;
    default:
        break;
    }
}

/* Finds, for every slot, the playing track started last and the held track stopped last. */
static void vt_player_collect(vt_player *p, vt_ticks now) {
    const vt_scene *sc = p->scene;
    for (size_t i = 0; i < p->slot_count; i++) {
        vt_slot *s = &p->slots[i];
        s->play = s->rest = NULL;
        s->play_seq = s->rest_seq = 0;
    }
    for (size_t i = 0; i < sc->timeline_count; i++) {
        const vt_timeline *tl = &sc->timelines[i];
        const vt_clock *c = &p->clocks[i];
        if (!c->shown) {
            continue;
        }
        vt_ticks u = vt_player_local(tl, vt_player_elapsed(c, now));
        bool playing = c->run == VT_RUN_PLAYING;
        uint64_t seq = playing ? c->start_seq : c->rest_seq;
        for (size_t j = 0; j < tl->track_count; j++) {
            const vt_track *tr = &tl->tracks[j];
            vt_slot *s = tr->sound ? NULL : vt_player_slot(p, tr->layer, tr->prop);
            if (tr->key_count == 0 || !s) {
                continue;
            }
            /* >=: a later track of the same timeline on the same property wins */
            if (playing && seq >= s->play_seq) {
                s->play = tr;
                s->play_seq = seq;
                s->play_u = u;
            } else if (!playing && seq >= s->rest_seq) {
                s->rest = tr;
                s->rest_seq = seq;
                s->rest_u = u;
            }
        }
    }
}

/* The value a slot's driver gives (the playing track, else the held or set one, whichever
 * came last); false when nothing drives it. */
static bool vt_player_slot_value(const vt_slot *s, double v[4]) {
    if (s->play) {
        vt_player_track_value(s->play, s->play_u, v);
    } else if (s->rest && s->rest_seq > s->set_seq) {
        vt_player_track_value(s->rest, s->rest_u, v);
    } else if (s->set_seq > 0) {
        memcpy(v, s->set_v, 4 * sizeof *v);
    } else {
        return false;
    }
    return true;
}

static void vt_player_eval(vt_player *p, vt_ticks now, vt_layer_props *out) {
    const vt_scene *sc = p->scene;
    vt_player_collect(p, now);
    for (size_t l = 0; l < sc->layer_count; l++) {
        out[l] = sc->layers[l].props;
        const vt_shader *sh = sc->layers[l].shader;
        size_t count = p->slot_base[l + 1] - p->slot_base[l];
        for (size_t k = 0; k < count; k++) {
            const vt_slot *s = &p->slots[p->slot_base[l] + k];
            double v[4] = {0, 0, 0, 0};
            bool driven = vt_player_slot_value(s, v);
            if (k >= VT_PROP_COUNT) { /* a shader input: its value, else the scene's */
                size_t i = k - VT_PROP_COUNT;
                memcpy(p->inputs[vt_player_input_base(p, l) + i], driven ? v : sh->inputs[i].v,
                       sizeof v);
            } else if (driven) {
                vt_player_apply(&out[l], (vt_prop)k, v);
            }
        }
    }
    vt_player_styles(p, now, out);
}

void vt_player_shown(vt_player *p, vt_layer_props *out) {
    vt_player_eval(p, p->now, out);
}

/* Event inputs are true for exactly one frame: what a `set` gave is dropped once shown. */
static void vt_player_clear_events(vt_player *p) {
    const vt_scene *sc = p->scene;
    p->event_shown = false;
    for (size_t l = 0; l < sc->layer_count; l++) {
        const vt_shader *sh = sc->layers[l].shader;
        for (size_t i = 0; sh && sh->isf && i < sh->input_count; i++) {
            vt_slot *s = &p->slots[p->slot_base[l] + VT_PROP_COUNT + i];
            if (sh->isf->inputs[i].type == VT_ISF_EVENT && s->set_seq > 0) {
                p->event_shown = p->event_shown || s->set_v[0] != 0;
                s->set_seq = 0;
            }
        }
    }
}

static bool vt_player_props_equal(const vt_layer_props *a, const vt_layer_props *b) {
    return a->position.x == b->position.x && a->position.y == b->position.y &&
           a->anchor.x == b->anchor.x && a->anchor.y == b->anchor.y && a->size.x == b->size.x &&
           a->size.y == b->size.y && a->scale.x == b->scale.x && a->scale.y == b->scale.y &&
           a->rotation == b->rotation && a->opacity == b->opacity && a->color.r == b->color.r &&
           a->color.g == b->color.g && a->color.b == b->color.b && a->color.a == b->color.a &&
           a->visible == b->visible && a->radius == b->radius && a->reveal == b->reveal &&
           a->text_size == b->text_size && a->letter_spacing == b->letter_spacing;
}

/* ---- Input ---- */

/* The layer's box is size * scale with its anchor at position, turned clockwise (y down) about
 * the anchor, as the renderer draws it: undo the turn, then compare. Edges: left/top inside,
 * right/bottom outside, so neighbouring boxes never both catch a point. */
static bool vt_player_box_contains(const vt_layer_props *lp, double x, double y) {
    double w = lp->size.x * lp->scale.x, h = lp->size.y * lp->scale.y;
    double rad = lp->rotation * (M_PI / 180.0);
    double c = cos(rad), s = sin(rad);
    double dx = x - lp->position.x, dy = y - lp->position.y;
    double lx = dx * c + dy * s, ly = -dx * s + dy * c;
    double x0 = -lp->anchor.x * w, x1 = x0 + w, y0 = -lp->anchor.y * h, y1 = y0 + h;
    return lx >= fmin(x0, x1) && lx < fmax(x0, x1) && ly >= fmin(y0, y1) && ly < fmax(y0, y1);
}

/* The topmost visible layer with hit=true under the point (opacity 0 still catches: an
 * invisible button is a common installation trick; a mask, never drawn itself, does not), or -1. */
static long vt_player_hit(const vt_player *p, const vt_layer_props *props, double x, double y) {
    for (size_t i = p->scene->layer_count; i-- > 0;) {
        if (p->scene->layers[i].hit && !p->scene->layers[i].is_mask && props[i].visible &&
            vt_player_box_contains(&props[i], x, y)) {
            return (long)i;
        }
    }
    return -1;
}

/* ---- Public ---- */

static size_t vt_player_queue_cap(const vt_scene *sc) {
    size_t most = 1;
    for (size_t i = 0; i < sc->trigger_count; i++) {
        most = sc->triggers[i].action_count > most ? sc->triggers[i].action_count : most;
    }
    /* Each action queues at most two firings (a state change: leave, enter); nested triggers
     * stack theirs, at most one level per cascaded firing. */
    return 2 * most * (VT_PLAYER_MAX_CASCADE + 2);
}

vt_player *vt_player_create(const vt_scene *scene, vt_ticks start) {
    if (!scene) {
        vt_log(VT_LOG_ERROR, "player", "no scene to play");
        return NULL;
    }
    vt_player *p = vt_xcalloc(1, sizeof *p);
    p->scene = scene;
    p->start = p->now = p->last_input = p->engaged_until = start;
    p->language_t = INT64_MIN;
    p->clocks = vt_xcalloc(scene->timeline_count, sizeof *p->clocks);
    p->slot_base = vt_xcalloc(scene->layer_count + 1, sizeof *p->slot_base);
    for (size_t l = 0; l < scene->layer_count; l++) {
        const vt_shader *sh = scene->layers[l].shader;
        size_t inputs = sh && sh->isf ? sh->input_count : 0;
        p->slot_base[l + 1] = p->slot_base[l] + VT_PROP_COUNT + inputs;
        p->input_count += inputs;
    }
    p->slot_count = p->slot_base[scene->layer_count];
    p->slots = vt_xcalloc(p->slot_count, sizeof *p->slots);
    p->inputs = vt_xcalloc(p->input_count + 1, sizeof *p->inputs);
    p->prev_inputs = vt_xcalloc(p->input_count + 1, sizeof *p->prev_inputs);
    p->prev = vt_xcalloc(scene->layer_count, sizeof *p->prev);
    p->scratch = vt_xcalloc(scene->layer_count, sizeof *p->scratch);
    p->idle_fired = vt_xcalloc(scene->trigger_count, sizeof *p->idle_fired);
    p->queue_cap = vt_player_queue_cap(scene);
    p->queue = vt_xcalloc(p->queue_cap, sizeof *p->queue);
    vt_player_text_create(p);
    p->state =
        scene->states.initial < scene->states.count ? scene->states.initial : VT_STATE_ATTRACT;
    for (size_t i = 0; i < scene->timeline_count; i++) {
        if (scene->timelines[i].autoplay) {
            vt_player_start(p, (uint32_t)i, 0, start);
        }
    }
    vt_player_sounds_create(p);
    vt_player_gesture_create(p);
    return p;
}

void vt_player_destroy(vt_player *p) {
    if (!p) {
        return;
    }
    free(p->clocks);
    free(p->slots);
    free(p->slot_base);
    free(p->inputs);
    free(p->prev_inputs);
    free(p->prev);
    free(p->scratch);
    free(p->idle_fired);
    free(p->queue);
    vt_player_text_destroy(p);
    vt_player_sounds_destroy(p);
    vt_player_gesture_destroy(p);
    free(p);
}

void vt_player_visitor(vt_player *p, vt_ticks now) {
    if (!p) {
        return;
    }
    vt_player_advance(p, now);
    now = p->now;
    p->last_input = now;
    p->timeout_done = false;
    memset(p->idle_fired, 0, p->scene->trigger_count * sizeof *p->idle_fired);
    p->input_seq++;
    p->engaging = VT_ENGAGE_INPUT; /* what the enter triggers start is for the visitor */
    if (p->state == VT_STATE_ATTRACT) {
        vt_player_root_state(p, VT_STATE_ACTIVE, now);
    }
    p->engaging = VT_ENGAGE_NONE;
}

void vt_player_osc(vt_player *p, const char *address, vt_ticks now) {
    if (!p || !address) {
        return;
    }
    vt_player_advance(p, now);
    vt_player_fire_root(p, VT_WHEN_OSC, 0, address, p->now);
}

void vt_player_action(vt_player *p, const vt_action *a, vt_ticks now) {
    if (!p || !a) {
        return;
    }
    vt_player_advance(p, now);
    p->cascade = 0;
    size_t mark = p->queue_len;
    vt_player_act(p, a, p->now);
    vt_player_drain(p, mark, p->now, true);
}

static bool vt_player_is_pointer(vt_event_type t) {
    return t == VT_EVENT_CLICK || t == VT_EVENT_TOUCH || t == VT_EVENT_MOVE || t == VT_EVENT_UP ||
           t == VT_EVENT_SCROLL;
}

void vt_player_input(vt_player *p, const vt_event *ev, vt_ticks now) {
    if (!p || !ev || (ev->type != VT_EVENT_KEY && !vt_player_is_pointer(ev->type))) {
        return;
    }
    vt_player_advance(p, now);
    now = p->now;
    long hit = -1;
    if (ev->type != VT_EVENT_KEY) {
        /* What the visitor touched is what was on screen, before this input changes anything. */
        vt_player_eval(p, now, p->scratch);
        hit = vt_player_hit(p, p->scratch, ev->x, ev->y);
    }
    vt_player_visitor(p, now);
    p->engaging = VT_ENGAGE_INPUT;
    if (ev->type == VT_EVENT_KEY) {
        vt_player_fire_root(p, VT_WHEN_KEY, 0, ev->name, now);
    } else if (ev->type == VT_EVENT_CLICK || ev->type == VT_EVENT_TOUCH) {
        /* On a layer: its triggers and the `anywhere` ones, in file order; else those alone. */
        vt_player_fire_root(p, VT_WHEN_TOUCH, hit >= 0 ? (uint32_t)hit : VT_WHEN_ANYWHERE, NULL,
                            now);
    }
    if (ev->type != VT_EVENT_KEY) {
        vt_player_pointer_event(p, ev, p->scratch, hit);
    }
    p->engaging = VT_ENGAGE_NONE;
}

bool vt_player_update(vt_player *p, vt_ticks now, vt_layer_props *props) {
    if (!p) {
        return false;
    }
    vt_player_advance(p, now);
    size_t n = p->scene->layer_count;
    bool text_changed = vt_player_text_update(p);
    if (n == 0 || !props) {
        bool first = !p->evaluated;
        p->evaluated = true;
        return first;
    }
    vt_player_eval(p, p->now, props);
    vt_player_clear_events(p);
    bool changed = !p->evaluated || text_changed;
    for (size_t i = 0; i < n && !changed; i++) {
        changed = !vt_player_props_equal(&props[i], &p->prev[i]);
    }
    size_t in_bytes = p->input_count * sizeof *p->inputs;
    changed = changed || (in_bytes && memcmp(p->inputs, p->prev_inputs, in_bytes) != 0);
    memcpy(p->prev_inputs, p->inputs, in_bytes);
    memcpy(p->prev, props, n * sizeof *props);
    p->evaluated = true;
    return changed;
}

/* A visible shader layer that reads the time, the date, the frame or the pointer, or keeps a
 * persistent buffer, changes every frame. */
static bool vt_player_shader_animates(const vt_player *p) {
    const unsigned moving = VT_ISF_USES_TIME | VT_ISF_USES_FRAME | VT_ISF_USES_DATE |
                            VT_ISF_USES_POINTER | VT_ISF_USES_FEEDBACK;
    for (size_t l = 0; l < p->scene->layer_count; l++) {
        const vt_shader *sh = p->scene->layers[l].shader;
        if (sh && sh->isf && (sh->isf->uses & moving) && p->prev[l].visible &&
            p->prev[l].opacity > 0) {
            return true;
        }
    }
    return false;
}

const double *vt_player_shader_inputs(const vt_player *p, uint32_t layer) {
    if (!p || layer >= p->scene->layer_count ||
        p->slot_base[layer + 1] - p->slot_base[layer] <= VT_PROP_COUNT) {
        return NULL;
    }
    return p->inputs[vt_player_input_base(p, layer)];
}

/* A segment whose value moves between its keys (a hold or a visible step jumps only at its
 * end key; steps(N) is counted as moving: it redraws a little more than it must). */
static bool vt_player_moves(const vt_track *tr, const vt_key *a, const vt_key *b) {
    vt_prop shape = vt_player_shape(tr);
    if (shape == VT_PROP_VISIBLE || b->ease.kind == VT_EASE_HOLD) {
        return false;
    }
    return memcmp(a->v, b->v, vt_player_arity(shape) * sizeof a->v[0]) != 0;
}

/* A playing timeline: `now` while a segment moves, else its next key, loop point or end. */
static vt_ticks vt_player_timeline_change(const vt_timeline *tl, const vt_clock *c, vt_ticks now) {
    vt_ticks elapsed = now - c->origin;
    if (elapsed >= vt_player_total(tl)) {
        return now; /* its end is due */
    }
    vt_ticks u = vt_player_local(tl, elapsed), next = tl->duration;
    for (size_t j = 0; j < tl->track_count; j++) {
        const vt_track *tr = &tl->tracks[j];
        size_t i = vt_player_key_at(tr, u);
        size_t after = i == VT_NO_KEY ? 0 : i + 1;
        if (tr->sound || after >= tr->key_count) { /* sounds: vt_player_next_sound_change */
            continue;
        }
        if (i != VT_NO_KEY && vt_player_moves(tr, &tr->keys[i], &tr->keys[after])) {
            return now;
        }
        next = tr->keys[after].t < next ? tr->keys[after].t : next;
    }
    return now + (next - u);
}

vt_ticks vt_player_next_change(const vt_player *p, vt_ticks now) {
    if (!p) {
        return INT64_MAX;
    }
    now = now < p->now ? p->now : now;
    if (!p->begun || !p->evaluated) {
        return now;
    }
    const vt_scene *sc = p->scene;
    vt_ticks best = INT64_MAX;
    for (size_t i = 0; i < sc->timeline_count; i++) {
        if (p->clocks[i].run == VT_RUN_PLAYING) {
            vt_ticks t = vt_player_timeline_change(&sc->timelines[i], &p->clocks[i], now);
            best = t < best ? t : best;
        }
    }
    vt_ticks quiet = vt_player_quiet_since(p);
    if (sc->states.idle_after > 0 && !p->timeout_done && p->state != VT_STATE_ATTRACT) {
        vt_ticks t = vt_player_after(quiet, sc->states.idle_after);
        best = t < best ? t : best;
    }
    for (size_t i = 0; i < sc->trigger_count; i++) {
        const vt_when *w = &sc->triggers[i].when;
        if (w->kind == VT_WHEN_IDLE && !p->idle_fired[i]) {
            vt_ticks t = vt_player_after(quiet, w->idle);
            best = t < best ? t : best;
        }
    }
    vt_ticks cue = vt_player_text_next_change(p, now);
    best = cue < best ? cue : best;
    vt_ticks press = vt_player_gesture_next_change(p, now);
    best = press < best ? press : best;
    if (p->event_shown || vt_player_shader_animates(p)) {
        return now;
    }
    return best < now ? now : best;
}

uint32_t vt_player_state(const vt_player *p) {
    return p ? p->state : VT_STATE_ATTRACT;
}

vt_ticks vt_player_timeline_time(const vt_player *p, uint32_t i, bool *playing) {
    if (playing) {
        *playing = false;
    }
    if (!p || i >= p->scene->timeline_count || !p->clocks[i].shown) {
        return 0;
    }
    const vt_clock *c = &p->clocks[i];
    if (playing) {
        *playing = c->run == VT_RUN_PLAYING;
    }
    return vt_player_local(&p->scene->timelines[i], vt_player_elapsed(c, p->now));
}

/* ---- Hot reload ---- */

/* The old clock's play and local time, fitted to the new timeline's plays and duration. */
static void vt_player_carry_clock(vt_clock *nc, const vt_timeline *nt, const vt_clock *oc,
                                  const vt_timeline *ot, vt_ticks now) {
    vt_ticks elapsed = vt_player_elapsed(oc, now);
    vt_ticks play = vt_player_play_index(ot, elapsed), u = vt_player_local(ot, elapsed);
    if (nt->plays > 0 && play >= nt->plays) {
        play = nt->plays - 1;
    }
    u = u > nt->duration ? nt->duration : u;
    *nc = *oc;
    if (nc->run == VT_RUN_PLAYING) {
        nc->origin = now - (play * nt->duration + u);
    } else {
        nc->elapsed = play * nt->duration + u;
    }
}

static void vt_player_carry_clocks(vt_player *p, const vt_player *old, vt_ticks now) {
    const vt_scene *ns = p->scene, *os = old->scene;
    for (size_t i = 0; i < ns->timeline_count; i++) {
        for (size_t j = 0; j < os->timeline_count; j++) {
            /* A timeline that never ran has no clock to keep: the new scene's autoplay
             * (perhaps just added) decides. */
            if (old->clocks[j].shown && strcmp(ns->timelines[i].id, os->timelines[j].id) == 0) {
                vt_player_carry_clock(&p->clocks[i], &ns->timelines[i], &old->clocks[j],
                                      &os->timelines[j], now);
                break;
            }
        }
    }
}

/* The old player's slot for slot k of new layer i (old layer j, the same id): the same
 * property, or the shader input of the same name and type; SIZE_MAX when there is none. */
static size_t vt_player_carried_slot(const vt_player *p, size_t i, const vt_player *old, size_t j,
                                     size_t k) {
    if (k < VT_PROP_COUNT) {
        return old->slot_base[j] + k;
    }
    const vt_shader *ns = p->scene->layers[i].shader, *os = old->scene->layers[j].shader;
    const vt_isf_input *in = &ns->isf->inputs[k - VT_PROP_COUNT];
    size_t old_inputs = old->slot_base[j + 1] - old->slot_base[j] - VT_PROP_COUNT;
    for (size_t m = 0; os && m < old_inputs; m++) {
        const vt_isf_input *o = &os->isf->inputs[m];
        if (strcmp(o->name, in->name) == 0 && o->type == in->type) {
            return old->slot_base[j] + VT_PROP_COUNT + m;
        }
    }
    return SIZE_MAX;
}

/* Values set by actions stay on the layers (by id) that still exist. */
static void vt_player_carry_sets(vt_player *p, const vt_player *old) {
    const vt_scene *ns = p->scene, *os = old->scene;
    for (size_t i = 0; i < ns->layer_count; i++) {
        for (size_t j = 0; j < os->layer_count; j++) {
            if (strcmp(ns->layers[i].id, os->layers[j].id) != 0) {
                continue;
            }
            for (size_t k = 0; k < p->slot_base[i + 1] - p->slot_base[i]; k++) {
                size_t ok = vt_player_carried_slot(p, i, old, j, k);
                if (ok == SIZE_MAX) {
                    continue;
                }
                const vt_slot *os_slot = &old->slots[ok];
                vt_slot *ns_slot = &p->slots[p->slot_base[i] + k];
                if (os_slot->set_seq > 0) {
                    ns_slot->set_seq = os_slot->set_seq;
                    memcpy(ns_slot->set_v, os_slot->set_v, sizeof ns_slot->set_v);
                }
            }
            break;
        }
    }
}

/* Puts the new player's own sequence numbers after the old player's, so that what it did
 * itself (autoplay) counts as more recent than anything carried over. */
static void vt_player_shift_seq(vt_player *p, uint64_t by) {
    for (size_t i = 0; i < p->scene->timeline_count; i++) {
        p->clocks[i].start_seq += p->clocks[i].start_seq ? by : 0;
        p->clocks[i].rest_seq += p->clocks[i].rest_seq ? by : 0;
        p->clocks[i].jump_seq += p->clocks[i].jump_seq ? by : 0;
    }
    for (size_t i = 0; i < p->slot_count; i++) {
        p->slots[i].set_seq += p->slots[i].set_seq ? by : 0;
    }
    p->seq += by;
}

void vt_player_carry_over(vt_player *p, const vt_player *old, vt_ticks now) {
    if (!p || !old) {
        return;
    }
    now = now < p->now ? p->now : now;
    const vt_scene *ns = p->scene, *os = old->scene;
    vt_player_shift_seq(p, old->seq);
    vt_player_carry_clocks(p, old, now);
    vt_player_carry_sets(p, old);
    vt_player_text_carry_over(p, old);
    vt_player_sounds_carry(p, old, now);
    for (uint32_t i = 0; i < ns->states.count && old->state < os->states.count; i++) {
        if (strcmp(ns->states.names[i], os->states.names[old->state]) == 0) {
            p->state = i; /* no enter: the show goes on in the state it was in */
            break;
        }
    }
    /* The silence goes on; idle triggers it already passed do not fire again. */
    p->last_input = old->last_input;
    p->engaged_until = old->engaged_until;
    p->input_seq = old->input_seq;
    p->timeout_done = old->timeout_done;
    vt_ticks quiet = vt_player_quiet_since(p);
    for (size_t i = 0; i < ns->trigger_count; i++) {
        const vt_when *w = &ns->triggers[i].when;
        p->idle_fired[i] = w->kind == VT_WHEN_IDLE && now - quiet >= w->idle;
    }
    p->begun = p->begun || old->begun;
    p->now = now;
    p->evaluated = false;
}
