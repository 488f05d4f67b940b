/* The player's private state (vt_player.h): one clock per timeline, one slot per animatable
 * layer property, the idle timer, the queue of firings caused by actions and the sounds. */
#ifndef VT_PLAYER_INTERNAL_H
#define VT_PLAYER_INTERNAL_H

#include "player/vt_player.h"

/* Firings caused by actions, under one root event (input, a timeline's end, an idle timeout,
 * the scene's start): a trigger that ends up firing itself again at the same instant stops
 * here instead of hanging the show. */
#define VT_PLAYER_MAX_CASCADE 64
/* Root events processed by one update. Only a pathological scene (a one-tick timeline that
 * restarts itself on its end, jumped over by hours) gets near it; the rest waits for the next
 * update rather than freezing the frame loop. */
#define VT_PLAYER_MAX_EVENTS 1000000

typedef enum vt_run { VT_RUN_STOPPED, VT_RUN_PLAYING, VT_RUN_PAUSED } vt_run;

/* A timeline's clock. `elapsed` counts every play since the last start, pauses removed: local
 * time is elapsed mod duration, and the timeline is over once elapsed reaches plays * duration.
 * Keeping one number instead of (play, local) makes loops wrap exactly. */
typedef struct vt_clock {
    vt_run run;
    bool shown;             /* started or sought at least once: its tracks give values */
    vt_ticks origin;        /* playing: elapsed = now - origin */
    vt_ticks elapsed;       /* paused or stopped: the elapsed time it holds */
    uint64_t start_seq;     /* when it was last started: among playing timelines the newest wins */
    uint64_t rest_seq;      /* when it last stopped driving (stop, pause, end, seek while held) */
    uint64_t jump_seq;      /* when it last jumped (start, seek): sounds that follow it restart */
    vt_ticks stop_t;        /* when it stopped (a stop or its end) while playing, else INT64_MIN:
                               sounds that follow it fade out from there */
    bool engaged;           /* started for a visitor (by their input, or by the end of a timeline
                               started so) outside attract, with an end: while it plays, a visitor
                               is watching (the idle timer waits for it) */
    uint64_t engaged_input; /* the visitor input (p->input_seq) it was last engaged for */
} vt_clock;

/* A free-running sound (one without a timeline), moved by autoplay and actions. A stopped sound
 * fades out until stop_t + fade_out, its play head still moving. */
typedef struct vt_sound_run {
    vt_run run;
    vt_ticks origin;      /* playing: offset = now - origin */
    vt_ticks held;        /* paused: the offset it holds */
    vt_ticks fade_base;   /* the offset at which its fade-in began */
    uint64_t epoch;       /* the start or seek it plays from (a p->seq value) */
    vt_ticks stop_t;      /* stopped while playing at stop_t; INT64_MIN: silent */
    vt_ticks stop_offset; /* its offset then */
} vt_sound_run;

/* A track that animates a sound, with its timeline: each sound's own list, so that evaluating
 * the sounds costs the sound tracks, not sounds x tracks. */
typedef struct vt_sound_track {
    const vt_track *track;
    uint32_t timeline;
} vt_sound_track;

/* One animatable property of one layer. The `set` fields persist; the rest is scratch that each
 * evaluation rebuilds (who drives the property now). */
typedef struct vt_slot {
    uint64_t set_seq; /* 0: never set */
    double set_v[4];
    const vt_track *play, *rest; /* the winning playing / held track, NULL if none */
    uint64_t play_seq, rest_seq;
    vt_ticks play_u, rest_u; /* their local times */
} vt_slot;

/* Fingers and the mouse (player_gesture.c). */
#define VT_PLAYER_MAX_POINTERS 10

typedef struct vt_pointer {
    int64_t id;
    bool down;
    double x, y, x0, y0;   /* where it is; where it landed */
    vt_ticks t0;           /* when it landed */
    long layer;            /* the layer it landed on, or -1 */
    bool moves;            /* it drags or scrolls `layer` */
    double grab_x, grab_y; /* the layer's position minus the finger's, at the grab */
    bool multi;            /* another finger was down meanwhile: not a swipe */
} vt_pointer;

typedef struct vt_pinch {
    long layer; /* -1: no pinch */
    int64_t a, b;
    double d0, m0x, m0y;       /* the fingers' distance and middle at the start */
    double p0x, p0y, s0x, s0y; /* the layer's position and scale then */
} vt_pinch;

/* A layer's `pressed` style: fingers down on it, and the eased weight's last turn. */
typedef struct vt_press {
    int held;
    vt_ticks since;
    double from;
} vt_press;

/* Something that fires triggers: a key (name), a touched layer, a state entered or left, a
 * timeline's end, the start. */
typedef struct vt_fire {
    vt_when_kind kind;
    uint32_t index;
    const char *name;
} vt_fire;

struct vt_player {
    const vt_scene *scene;
    vt_ticks start;
    vt_ticks now;   /* the time events have been processed to; never goes back */
    bool begun;     /* start and initial enter triggers have fired */
    bool evaluated; /* `prev` holds the last update's properties */
    bool warned_cascade, warned_events;
    uint32_t state;
    uint64_t seq;     /* orders starts, stops, seeks and sets: the latest wins a property */
    vt_clock *clocks; /* [timeline_count] */
    vt_slot *slots;   /* [slot_count]: layer l's are slots[slot_base[l] .. slot_base[l + 1]):
                         its VT_PROP_COUNT properties, then one per shader input */
    size_t *slot_base, slot_count; /* [layer_count + 1] */
    /* Shader inputs evaluated at the last update, layer l's from inputs[slot_base[l] - l *
     * VT_PROP_COUNT]; prev_inputs: the update before, for change detection. */
    double (*inputs)[4], (*prev_inputs)[4];
    size_t input_count;
    bool event_shown; /* an event input was true in the last update: the next one clears it */
    vt_layer_props *prev, *scratch; /* [layer_count]: last update; hit-testing */
    vt_ticks last_input;            /* the silence started here */
    vt_ticks engaged_until;         /* an engaged timeline last stopped, paused or ended here */
    /* The actions running now answer a visitor: their input (VT_ENGAGE_INPUT), or the end of a
     * story started for them (VT_ENGAGE_CHAIN): the timelines they start are engaged. */
    enum { VT_ENGAGE_NONE, VT_ENGAGE_INPUT, VT_ENGAGE_CHAIN } engaging;
    uint64_t input_seq; /* counts visitor inputs */
    bool timeout_done;  /* the return to attract for this silence is done */
    bool *idle_fired;   /* [trigger_count]: idle triggers fired in this silence */
    vt_fire *queue;     /* firings caused by actions, waiting for their trigger to end */
    size_t queue_len, queue_cap;
    int cascade; /* firings caused by actions under the current root event */
    /* Text and captions (player_text.c). */
    uint32_t language;       /* index into scene->languages; 0: the default */
    uint32_t shown_language; /* the language of the last update's picture */
    uint32_t language_prev;  /* the language before the last switch, and when it happened */
    vt_ticks language_t;     /* (INT64_MIN: none): spoken sounds crossfade from it */
    const vt_vtt_cue **cues; /* [layer_count]: each captions layer's cue, last update */

    vt_sound_run *sounds;         /* [sound_count]: free-running sounds (player_sound.c) */
    size_t *sound_track_first;    /* [sound_count + 1]: sound i's tracks are sound_tracks[first[i]
                                     .. first[i + 1]) */
    vt_sound_track *sound_tracks; /* every sound track, by sound */

    /* Pointers, gestures and feedback (player_gesture.c). */
    vt_pointer pointers[VT_PLAYER_MAX_POINTERS];
    vt_pinch pinch;
    vt_press *press;          /* [layer_count] */
    vt_pointer_state pointer; /* what vt_player_pointer returns */
};

/* ---- Text and captions (player_text.c) ---- */

/* Allocates and releases the captions state (at create and destroy). */
void vt_player_text_create(vt_player *p);
void vt_player_text_destroy(vt_player *p);
/* After evaluating at p->now: the language shown and every captions layer's active cue;
 * true when either differs from the previous update's. */
bool vt_player_text_update(vt_player *p);
/* The earliest cue boundary after `now` (>= p->now) of the captions on screen, in scene time;
 * INT64_MAX when none. */
vt_ticks vt_player_text_next_change(const vt_player *p, vt_ticks now);
/* Hot reload: the old player's language, by tag. */
void vt_player_text_carry_over(vt_player *p, const vt_player *old);

/* ---- Pointers, gestures and feedback (player_gesture.c) ---- */

void vt_player_gesture_create(vt_player *p);
void vt_player_gesture_destroy(vt_player *p);
/* A pointer event (click, touch, move, up, scroll) at p->now; `props` is what is on screen,
 * `hit` the layer under the event (-1). Touch triggers have fired already for a down. */
void vt_player_pointer_event(vt_player *p, const vt_event *ev, const vt_layer_props *props,
                             long hit);
/* `selected` and `pressed` styles over the evaluated properties at `now`. */
void vt_player_styles(const vt_player *p, vt_ticks now, vt_layer_props *props);
/* `now` while a pressed style eases in or out, else INT64_MAX. */
vt_ticks vt_player_gesture_next_change(const vt_player *p, vt_ticks now);

/* Helpers of player.c shared with player_gesture.c. */
void vt_player_fire_root(vt_player *p, vt_when_kind kind, uint32_t index, const char *name,
                         vt_ticks t);
void vt_player_set_prop(vt_player *p, uint32_t layer, vt_prop prop, const double v[4]);
void vt_player_apply(vt_layer_props *lp, vt_prop prop, const double *v);
void vt_player_prop_get(const vt_layer_props *lp, vt_prop prop, double v[4]);
/* Every layer's properties at p->now, as they are on screen (styles included). */
void vt_player_shown(vt_player *p, vt_layer_props *out);

/* Clock and track helpers of player.c shared with player_sound.c. */
vt_ticks vt_player_total(const vt_timeline *tl);
vt_ticks vt_player_elapsed(const vt_clock *c, vt_ticks now);
vt_ticks vt_player_local(const vt_timeline *tl, vt_ticks elapsed);
vt_ticks vt_player_play_index(const vt_timeline *tl, vt_ticks elapsed);
size_t vt_player_key_at(const vt_track *tr, vt_ticks u); /* SIZE_MAX: before the first key */
void vt_player_track_value(const vt_track *tr, vt_ticks u, double *v);
size_t vt_player_arity(vt_prop prop);
/* How a track's values move: its property, or for a shader input the property of its shape. */
static inline vt_prop vt_player_shape(const vt_track *tr) {
    return VT_PROP_IS_INPUT(tr->prop) ? tr->shape : tr->prop;
}

/* Sounds (player_sound.c): allocation and autoplay at create, the actions that name a sound,
 * and carrying free-running sounds over a hot reload (after the clocks). */
void vt_player_sounds_create(vt_player *p);
void vt_player_sounds_destroy(vt_player *p);
void vt_player_sound_act(vt_player *p, const vt_action *a, vt_ticks t);
void vt_player_sounds_carry(vt_player *p, const vt_player *old, vt_ticks now);
/* A language switch at t: spoken sounds that restart on it do. */
void vt_player_sounds_language(vt_player *p, vt_ticks t);

#endif
