/* The player's private state (vt_player.h): one clock per timeline, one slot per animatable
 * layer property, the idle timer and the queue of firings caused by actions. */
#ifndef VT_PLAYER_INTERNAL_H
#define VT_PLAYER_INTERNAL_H

#include "scene/vt_player.h"

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
    bool shown;         /* started or sought at least once: its tracks give values */
    vt_ticks origin;    /* playing: elapsed = now - origin */
    vt_ticks elapsed;   /* paused or stopped: the elapsed time it holds */
    uint64_t start_seq; /* when it was last started: among playing timelines the newest wins */
    uint64_t rest_seq;  /* when it last stopped driving (stop, pause, end, seek while held) */
} vt_clock;

/* One animatable property of one layer. The `set` fields persist; the rest is scratch that each
 * evaluation rebuilds (who drives the property now). */
typedef struct vt_slot {
    uint64_t set_seq; /* 0: never set */
    double set_v[4];
    const vt_track *play, *rest; /* the winning playing / held track, NULL if none */
    uint64_t play_seq, rest_seq;
    vt_ticks play_u, rest_u; /* their local times */
} vt_slot;

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
    vt_slot *slots;   /* [layer_count * VT_PROP_COUNT] */
    vt_layer_props *prev, *scratch; /* [layer_count]: last update; hit-testing */
    vt_ticks last_input;            /* the silence started here */
    bool timeout_done;              /* the return to attract for this silence is done */
    bool *idle_fired;               /* [trigger_count]: idle triggers fired in this silence */
    vt_fire *queue; /* firings caused by actions, waiting for their trigger to end */
    size_t queue_len, queue_cap;
    int cascade; /* firings caused by actions under the current root event */
    /* Text and captions (player_text.c). */
    uint32_t language;       /* index into scene->languages; 0: the default */
    uint32_t shown_language; /* the language of the last update's picture */
    const vt_vtt_cue **cues; /* [layer_count]: each captions layer's cue, last update */
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

#endif
