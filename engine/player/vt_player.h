/* The player: a scene in motion. Keeps each timeline's clock, the current state, the idle timer
 * and values set by actions; turns input into trigger firings; evaluates every layer's properties
 * at a time in integer ticks, identically in play and render. Makes no GL or AL call. */
#ifndef VT_PLAYER_H
#define VT_PLAYER_H

#include "core/vt_core.h"
#include "scene/vt_scene.h"

typedef struct vt_player vt_player;

/* The scene must outlive the player. The scene starts at time `start` (ticks): autoplay
 * timelines start, the initial state is entered (its `enter` triggers fire) and `start`
 * triggers fire at the first vt_player_update. */
vt_player *vt_player_create(const vt_scene *scene, vt_ticks start);
void vt_player_destroy(vt_player *p);

/* Visitor input at time `now` (a key, or a pointer event in canvas pixels): fires the matching
 * triggers (touch, when a finger lands: the topmost layer under the point that is visible and
 * has hit=true, hit-tested through its current transform, opacity 0 included; swipe, when it
 * leaves), moves what the layers' drag, scroll and pinch move, shows `pressed` styles, moves
 * attract to active, and restarts the idle timer. Call in time order, before the
 * vt_player_update of the same frame. */
void vt_player_input(vt_player *p, const vt_event *ev, vt_ticks now);

/* A visitor without a gesture (a presence sensor, a door contact: remote `/vitrine/input`) at
 * `now`: moves attract to active and restarts the idle timer, fires no trigger. */
void vt_player_visitor(vt_player *p, vt_ticks now);

/* An OSC message at `address` at `now` (remote or scripted): fires the `when: {osc: ...}`
 * triggers of that address. Not visitor input. */
void vt_player_osc(vt_player *p, const char *address, vt_ticks now);

/* Runs one action at `now` as a trigger would (remote control): its firings (a state's enter
 * and leave, a timeline's end) follow. Not visitor input: the idle timer goes on. */
void vt_player_action(vt_player *p, const vt_action *a, vt_ticks now);

/* Advances to `now` (never backwards): timelines that reach their end finish or loop, and their
 * timeline_end triggers fire; the idle timer fires `idle` triggers and returns to attract after
 * states.idle_after; then evaluates every layer's properties into props[layer_count]. Returns
 * true when any property differs from the previous call's (always true on the first call). */
bool vt_player_update(vt_player *p, vt_ticks now, vt_layer_props *props);

/* The earliest time after `now` at which the picture or the state may change without input:
 * `now` itself when something is animating (draw every frame), the next key, loop or end of a
 * timeline holding still, the idle timeout... INT64_MAX when nothing will ever change. */
vt_ticks vt_player_next_change(const vt_player *p, vt_ticks now);

/* A shader layer's inputs at the last vt_player_update: 4 numbers per input of its header, in
 * the layout of vt_shader_input.v (the scene's value, else what a track or `set` gives; an event
 * input is 1 for the one update after its `set`). NULL for other layers. */
const double *vt_player_shader_inputs(const vt_player *p, uint32_t layer);

/* Where the visitor's pointer is, for shaders' mouse input (Shadertoy's iMouse): the first
 * finger (or the mouse) down, else the last one seen. All zero before any pointer input. */
typedef struct vt_pointer_state {
    bool down;             /* a finger or the mouse button is down now */
    int count;             /* how many are down */
    double x, y;           /* where it is, or was last (canvas pixels, y down) */
    double down_x, down_y; /* where it last landed */
} vt_pointer_state;
vt_pointer_state vt_player_pointer(const vt_player *p);

/* The current state (index into scene->states.names). */
uint32_t vt_player_state(const vt_player *p);

/* The current language (index into scene->languages; 0 when the scene has none). It starts at
 * the scene's default, changes with `{language: ...}` actions and returns to the default when
 * the show enters attract. A change counts as a picture change for vt_player_update. */
uint32_t vt_player_language(const vt_player *p);

/* The version a text or captions layer shows in the current language: the current language's,
 * else the one in the layer's own `lang`, else its first; NULL for other layers. */
const vt_text_variant *vt_player_text_variant(const vt_player *p, uint32_t layer);

/* The cue captions layer `layer` shows at the last vt_player_update (vt_vtt_active of the
 * current language's file at its timeline's local time, or the scene's time without one);
 * NULL when none, before its timeline first starts, or for other layers. */
const vt_vtt_cue *vt_player_caption(const vt_player *p, uint32_t layer);

/* Timeline `i`'s local time at the last vt_player_update (0..duration) and whether it is
 * playing; false and 0 when it was never started (captions and sounds follow it). */
vt_ticks vt_player_timeline_time(const vt_player *p, uint32_t i, bool *playing);

/* What a sound should be doing at the time of the last vt_player_update: the player decides,
 * deterministically and without any AL call; the audio module makes it heard. */
typedef struct vt_sound_state {
    bool active;     /* a source should exist: playing, paused, or fading out after a stop */
    bool paused;     /* holds still at `offset`, silent */
    vt_ticks offset; /* where the play head should be, from the sound's start (>= 0); may pass
                        the file's length: a looping sound wraps, another has ended */
    uint64_t epoch;  /* changes at each discontinuity (start, restart, seek): the audio jumps
                        to `offset` instead of drifting toward it */
    double gain;     /* sound gain x its track x fades x scene bus level, >= 0 */
    double pitch;    /* > 0: the sound's pitch x its track */
    double position[3];
} vt_sound_state;

/* Fills out[scene->sound_count] for the time of the last vt_player_update. */
void vt_player_sounds(const vt_player *p, vt_sound_state *out);

/* When the sounds next need an audio update without input, at or after `now`: `now` itself
 * while a sound's gain, pitch or position is changing (a fade, a moving track); else the next
 * time a sound starts, restarts or stops by itself (a timeline reaching a sound's `at`, looping
 * or ending; a track's next key); INT64_MAX when no sound will change. Lets `play` update the
 * audio without drawing frames. */
vt_ticks vt_player_next_sound_change(const vt_player *p, vt_ticks now);

/* Hot reload: carries timeline clocks (by id), the current state (by name), the language (by
 * tag), sounds (by id) and the idle timer from `old` (playing an older version of the scene)
 * into `p`, where ids still match. */
void vt_player_carry_over(vt_player *p, const vt_player *old, vt_ticks now);

#endif
