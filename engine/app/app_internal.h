/* Private parts of the app module: the frame encoder pool and the show (a scene being played
 * or rendered: its GPU side, its scripted events, its draw list). */
#ifndef VT_APP_INTERNAL_H
#define VT_APP_INTERNAL_H

#include "app/vt_app.h"
#include "audio/vt_audio.h"
#include "governor/vt_energy.h"
#include "config/vt_config.h"
#include "platform/vt_platform.h"
#include "render/vt_render.h"
#include "player/vt_player.h"
#include "scene/vt_scene.h"

/* ---- encoder.c: PNG encoding and writing on worker threads ---- */

typedef struct vt_encoder vt_encoder;

typedef struct vt_encoder_desc {
    const char *out_dir;
    int threads;   /* encoder threads (>= 1) */
    int buffers;   /* frame buffers in flight (>= threads + 1) */
    int png_level; /* zlib level 0-9 */
} vt_encoder_desc;

vt_encoder *vt_encoder_create(const vt_encoder_desc *desc);
/* A free frame buffer to fill; waits while all are in use. NULL once a write has failed. */
vt_frame_pixels *vt_encoder_acquire(vt_encoder *enc);
/* Queues the buffer for encoding as frame_<index>.png (index counts from 0 in this render). */
void vt_encoder_submit(vt_encoder *enc, vt_frame_pixels *px, int64_t index);
/* Drops the queued frames that no worker has started (an interrupted render): the frames being
 * written are finished, the others never appear. vt_encoder_finish still waits for those. */
void vt_encoder_cancel(vt_encoder *enc);
/* Waits for every queued frame; returns the first failure (with its message) or VT_OK. */
vt_status vt_encoder_finish(vt_encoder *enc, vt_error *err);
void vt_encoder_destroy(vt_encoder *enc);

/* ---- show.c: what play and render share ---- */

typedef struct vt_show {
    vt_scene *scene;
    vt_player *player;
    vt_renderer *renderer;
    vt_layer_props *props; /* evaluated this frame, one per layer */
    vt_draw_item *items;
    size_t item_count;
    vt_event *events; /* scripted input, by time */
    size_t event_count, next_event;
    vt_image_batch *images; /* the scene's images, decoding while the window opens */
    vt_audio *audio;        /* NULL: no sound (render without --audio) */
    vt_sound_state *sounds; /* what each of the scene's sounds should do, this frame */
} vt_show;

/* Loads the scene (lenient assets: placeholders), prints its diagnostics, and the event script
 * when given, and starts decoding its images on a thread. Returns VT_OK, VT_E_NOINPUT or
 * VT_E_DATAERR. */
vt_status vt_show_load(vt_show *show, const char *scene_path, const char *events_path);
/* Builds the GPU side (needs a current GL context). */
vt_status vt_show_build(vt_show *show, int target_w, int target_h, vt_error *err);
/* Live input at scene time `now` (play): canvas coordinates. */
void vt_show_input(vt_show *show, const vt_event *ev, vt_ticks now);
/* Applies the scripted events due at `now` (an event is handled at the first frame whose time is
 * at or after it), advances the scene to `now` and evaluates the draw list. Returns true when
 * the picture changed since the last call. */
bool vt_show_update(vt_show *show, vt_ticks now);
/* The next scene time after `now` at which the picture may change without live input: `now`
 * while something animates, else the next key, timeout or scripted event; INT64_MAX if none. */
vt_ticks vt_show_next_change(const vt_show *show, vt_ticks now);
/* Hot reload: replaces the scene with `next` (already loaded and validated) if its GPU side
 * builds, carrying timeline clocks and the state over where ids match. On failure the running
 * scene stays and `next` is destroyed. */
vt_status vt_show_swap(vt_show *show, vt_scene *next, vt_ticks now, vt_error *err);
void vt_show_unload(vt_show *show);
/* Sound: opens the audio for the scene (offline for render; live for play, where a missing
 * device is only a warning). */
vt_status vt_show_audio_open(vt_show *show, const vt_audio_desc *desc, vt_error *err);
/* Makes heard what the player says at its last update (vt_show_update); `silent` stops every
 * sound (outside opening hours). Nothing without audio. */
void vt_show_audio_update(vt_show *show, vt_ticks now, bool silent);
/* When the sound needs an update although no frame is due (INT64_MAX: never). */
vt_ticks vt_show_audio_deadline(const vt_show *show, vt_ticks now);

#endif
