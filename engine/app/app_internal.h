/* Private parts of the app module: the frame encoder pool and the show (a scene being played
 * or rendered: its GPU side, its scripted events, its draw list). */
#ifndef VT_APP_INTERNAL_H
#define VT_APP_INTERNAL_H

#include "app/vt_app.h"
#include "platform/vt_platform.h"
#include "render/vt_render.h"
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
/* Waits for every queued frame; returns the first failure (with its message) or VT_OK. */
vt_status vt_encoder_finish(vt_encoder *enc, vt_error *err);
void vt_encoder_destroy(vt_encoder *enc);

/* ---- show.c: what play and render share ---- */

typedef struct vt_show {
    vt_scene *scene;
    vt_renderer *renderer;
    vt_draw_item *items;
    size_t item_count;
    vt_event *events; /* scripted input, by time */
    size_t event_count, next_event;
    uint64_t events_handled;
    uint64_t updates;
} vt_show;

/* Loads the scene (lenient assets: placeholders), prints its diagnostics, and the event script
 * when given. Returns VT_OK, VT_E_NOINPUT or VT_E_DATAERR. */
vt_status vt_show_load(vt_show *show, const char *scene_path, const char *events_path);
/* Builds the GPU side (needs a current GL context). */
vt_status vt_show_build(vt_show *show, int target_w, int target_h, vt_error *err);
/* Applies the scripted events due at `now` and evaluates the draw list. Returns true when the
 * picture may have changed since the last call. */
bool vt_show_update(vt_show *show, vt_ticks now);
/* Scene time of the next scripted event, or INT64_MAX. */
vt_ticks vt_show_next_deadline(const vt_show *show);
void vt_show_unload(vt_show *show);

#endif
