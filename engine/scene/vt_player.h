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

/* Visitor input at time `now` (a key, or a click/touch in canvas pixels): fires the matching
 * triggers (touch: the topmost layer under the point that is visible and has hit=true,
 * hit-tested through its current transform, opacity 0 included), moves attract to active, and
 * restarts the idle timer. Call in time order, before the vt_player_update of the same frame. */
void vt_player_input(vt_player *p, const vt_event *ev, vt_ticks now);

/* Advances to `now` (never backwards): timelines that reach their end finish or loop, and their
 * timeline_end triggers fire; the idle timer fires `idle` triggers and returns to attract after
 * states.idle_after; then evaluates every layer's properties into props[layer_count]. Returns
 * true when any property differs from the previous call's (always true on the first call). */
bool vt_player_update(vt_player *p, vt_ticks now, vt_layer_props *props);

/* The earliest time after `now` at which the picture or the state may change without input:
 * `now` itself when something is animating (draw every frame), the next key, loop or end of a
 * timeline holding still, the idle timeout... INT64_MAX when nothing will ever change. */
vt_ticks vt_player_next_change(const vt_player *p, vt_ticks now);

/* The current state (index into scene->states.names). */
uint32_t vt_player_state(const vt_player *p);

/* Hot reload: carries timeline clocks (by id), the current state (by name) and the idle timer
 * from `old` (playing an older version of the scene) into `p`, where ids still match. */
void vt_player_carry_over(vt_player *p, const vt_player *old, vt_ticks now);

#endif
