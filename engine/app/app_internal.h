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
#include "video/vt_video.h"

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
/* Queues the buffer for encoding as frame_<index>.png (index counts from 0 in the whole render:
 * a part's frames keep their numbers). */
void vt_encoder_submit(vt_encoder *enc, vt_frame_pixels *px, int64_t index);
/* Drops the queued frames that no worker has started (an interrupted render): the frames being
 * written are finished, the others never appear. vt_encoder_finish still waits for those. */
void vt_encoder_cancel(vt_encoder *enc);
/* Waits for every queued frame; returns the first failure (with its message) or VT_OK. */
vt_status vt_encoder_finish(vt_encoder *enc, vt_error *err);
void vt_encoder_destroy(vt_encoder *enc);

/* ---- render_part.c: a render farm's parts (render --part K/N, merge) ---- */

struct json_t;
/* The first frame of part `part` (from 0) of `parts` equal consecutive ranges of `frames`:
 * part i renders [first(i), first(i + 1)). */
int64_t vt_render_part_first(int64_t frames, int64_t part, int64_t parts);
/* K of a part manifest's file name "render.partK.json" (K from 1, no leading zero), else 0. */
long vt_render_part_of_name(const char *name);
/* Writes render.json or a part manifest atomically, as render always has formatted it. */
vt_status vt_render_json_write(const char *path, struct json_t *root, vt_error *err);

/* ---- show.c: what play and render share ---- */

/* A video layer's film (show_video.c): one of the two is open (none when it cannot be). */
typedef struct vt_show_film {
    const char *path;    /* the file open (the layer's src_path, or a language's); NULL: none */
    bool opened;         /* tried (path says which) */
    vt_video *film;      /* render: frame-exact */
    vt_video_live *live; /* play: decoded ahead on a thread */
    const vt_video_frame *shown; /* the picture at the last update */
    uint64_t serial;
    bool warned;
    bool failed; /* live: the film met an error or has no picture at all */
} vt_show_film;

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
    int max_texture;        /* --max-texture: lowers the GPU's texture limit (0: its own) */
    vt_audio *audio;        /* NULL: no sound (render without --audio) */
    vt_sound_state *sounds; /* what each of the scene's sounds should do, this frame */
    bool fixed_date;        /* render: shaders' DATE is VT_SHOW_RENDER_DATE + the scene's time,
                               so renders repeat; play: the local clock */
    int64_t date_origin;    /* fixed_date: Unix seconds at scene time 0 (render --date) */
    bool live_films;        /* set before vt_show_build: play decodes films ahead on threads */
    vt_show_film *films;    /* one per layer (video layers only), opened by vt_show_build */
    bool films_idle;        /* frames stepped through, not drawn: no picture is decoded */
    double drawn_fps;       /* play: the governor's frame rate now (0: the scene's); live films
                               do not decode non-reference pictures below half their rate */
} vt_show;
/* 2026-01-01 00:00:00 UTC, the date a render's shaders see at scene time 0. */
#define VT_SHOW_RENDER_DATE INT64_C(1767225600)

/* show_video.c: opens each video layer's film, in the current language for a film per
 * language, after the player is made (a film that cannot be opened is one warning and a
 * placeholder); a layer without a size takes its film's. */
void vt_show_films_open(vt_show *show);
void vt_show_films_close(vt_show_film *films, size_t count);
/* Sets each drawn video layer's picture for scene time `now`; true when one changed. */
bool vt_show_films_update(vt_show *show, vt_ticks now);
/* When the next film picture is due after `now` (INT64_MAX: no running film). */
vt_ticks vt_show_films_next_change(const vt_show *show, vt_ticks now);

/* The scene's images, each file once however many layers show it: every header is read
 * (vt_image_probe), the pixels they decode to are added up against VT_IMAGE_SCENE_MAX_PIXELS
 * (16-bit ones twice, as vt_image_cost says and the renderer's batch counts them)
 * (over it: an error at the layer whose image crosses it), and a file far smaller than its
 * pixels is a warning. Flags: VT_SHOW_IMAGES_STRICT makes a file that cannot be read an error
 * at its layer (else it is skipped: the renderer warns and draws its placeholder);
 * VT_SHOW_IMAGES_DECODE also decodes each file in full (one at a time), so a damaged one is
 * found too. *total_pixels (may be NULL) gets the total. VT_OK or VT_E_DATAERR. */
enum { VT_SHOW_IMAGES_STRICT = 1, VT_SHOW_IMAGES_DECODE = 2 };
/* `check`'s view of the texture limit: each readable image planned in tiles for a GPU that takes
 * max_texture pixels a side (vt_image_tiling_plan, as the renderer plans it); one that cannot
 * be is an error at its layer, with the renderer's message. VT_OK or VT_E_DATAERR. */
vt_status vt_show_check_tiles(const vt_scene *scene, int max_texture, vt_diags *diags);
/* What check assumes of the GPU without --max-texture: what most GPUs allow. */
#define VT_SHOW_CHECK_MAX_TEXTURE 16384
vt_status vt_show_check_images(const vt_scene *scene, unsigned flags, vt_diags *diags,
                               uint64_t *total_pixels);

/* Loads the scene (lenient assets: placeholders), prints its diagnostics, and the event script
 * when given, and starts decoding its images on a thread. Returns VT_OK, VT_E_NOINPUT or
 * VT_E_DATAERR. */
vt_status vt_show_load(vt_show *show, const char *scene_path, const char *events_path);
/* The operator's fallback_image as a scene of its own (the image on black, no events), for a
 * scene that cannot be loaded at start: VT_OK, or the image's error. */
vt_status vt_show_load_fallback(vt_show *show, const char *image_path, vt_error *err);
/* Builds the GPU side (needs a current GL context). */
vt_status vt_show_build(vt_show *show, int target_w, int target_h, vt_error *err);
/* Live input at scene time `now` (play): canvas coordinates. */
void vt_show_input(vt_show *show, const vt_event *ev, vt_ticks now);
/* The show starts over at `start` (a fresh player: sync's restarts). */
void vt_show_restart(vt_show *show, vt_ticks start);
/* An input ordered by the room's leader (sync), at `now`: /vitrine/sync/key NAME, click X Y or
 * touch X Y (canvas pixels), or an OSC command as play takes it live. True for a visitor's. */
bool vt_show_apply_input(vt_show *show, const vt_osc_msg *m, vt_ticks now);
/* A scripted OSC line (`SECONDS osc ADDRESS [ARGS]`) as the message it stands for, into
 * out[cap]: its length, 0 when it does not fit. */
size_t vt_show_script_osc(const vt_event *ev, uint8_t *out, size_t cap);
/* Applies the scripted events due at `now` (an event is handled at the first frame whose time is
 * at or after it), advances the scene to `now` and evaluates the draw list. Returns true when
 * the picture changed since the last call. */
bool vt_show_update(vt_show *show, vt_ticks now);
/* The next scene time after `now` at which the picture may change without live input: `now`
 * while something animates, else the next key, timeout or scripted event; INT64_MAX if none. */
vt_ticks vt_show_next_change(const vt_show *show, vt_ticks now);
/* Hot reload: replaces the scene with `next` (already loaded and validated) if every image it
 * shows decodes (within the scene's bound) and its GPU side builds, carrying timeline clocks
 * and the state over where ids match. On failure the running scene stays and `next` is
 * destroyed: VT_E_DATAERR with an error in `diags` at each layer whose image cannot be used (a
 * file caught half-written: try again once it has settled), or the renderer's error. */
vt_status vt_show_swap(vt_show *show, vt_scene *next, vt_ticks now, vt_diags *diags, vt_error *err);
void vt_show_unload(vt_show *show);
/* Sound: opens the audio for the scene (offline for render; live for play, where a missing
 * device is only a warning). */
vt_status vt_show_audio_open(vt_show *show, const vt_audio_desc *desc, vt_error *err);
/* Makes heard what the player says at its last update (vt_show_update); `silent` stops every
 * sound (outside opening hours). Nothing without audio. */
void vt_show_audio_update(vt_show *show, vt_ticks now, bool silent);
/* When the sound needs an update although no frame is due (INT64_MAX: never). */
vt_ticks vt_show_audio_deadline(const vt_show *show, vt_ticks now);

/* ---- outputs.c: projection outputs ---- */

typedef struct vt_app_outputs {
    vt_config cfg;          /* --config, when given (empty otherwise) */
    vt_settings set;        /* resolved from it and the scene */
    const vt_outputs *list; /* the config's outputs, else the scene's; NULL: none */
    const char *path;       /* the file they come from */
} vt_app_outputs;

/* Reads the config (when given) and picks the outputs, checking the config's against the
 * scene's canvas (the scene's were checked when it was read); problems are printed.
 * VT_OK, VT_E_NOINPUT or VT_E_DATAERR. */
vt_status vt_app_outputs_load(vt_app_outputs *ao, const char *config_path, const vt_scene *scene);
/* The output named `id`; NULL after saying so (which outputs exist, a near miss). */
const vt_output *vt_app_outputs_find(const vt_app_outputs *ao, const char *id);
void vt_app_outputs_free(vt_app_outputs *ao);

/* ---- play_outputs.c: play's windows for projection outputs ---- */

typedef struct vt_play_outputs {
    const vt_outputs *list; /* &own while outputs are in use; NULL: none */
    vt_outputs own;         /* a copy: the config or scene it came from may be reloaded */
    bool fullscreen;
    vt_window *wins[VT_OUTPUT_MAX]; /* one per output; NULL while its display is missing */
    bool warned[VT_OUTPUT_MAX];
    vt_window *main;   /* owns the GL context: the first window opened (or `hidden`) */
    vt_window *hidden; /* holds the context while no output's display is there */
    /* Its display went away: its window (the main one, which holds the context) hidden, not
     * drawn until the display comes back. */
    bool lost[VT_OUTPUT_MAX];
} vt_play_outputs;

/* Opens a window per output sharing one context (current on po->main when it returns). */
vt_status vt_play_outputs_open(vt_play_outputs *po, const vt_outputs *list, bool fullscreen,
                               vt_error *err);
/* After a reload: the outputs now in force (`list`, from the settings) replace the copy when
 * they are as many (a calibration saved, say); otherwise they wait for a restart (a warning). */
void vt_play_outputs_update(vt_play_outputs *po, const vt_outputs *list);
/* Output i's display: whether it is there now, and the index it is asked by (given, else
 * its place in the list; a display asked by name has its own). */
bool vt_play_outputs_display(const vt_play_outputs *po, size_t i, int *index);
/* Fullscreen: closes the outputs whose display went away (the main window, which holds the
 * context, is hidden instead), and opens those whose display has appeared since (again). */
void vt_play_outputs_retry(vt_play_outputs *po);
/* Whether output i is open and drawn now. */
bool vt_play_outputs_is_open(const vt_play_outputs *po, size_t i);
struct vt_calib;
/* Draws each output from the last drawn canvas (or black), swaps each window; while `calib`
 * is on, each with its test pattern and its banner. */
void vt_play_outputs_present(vt_play_outputs *po, vt_renderer *r, const vt_scene *sc, bool black,
                             const struct vt_calib *calib);
/* An input event on window `window` (vt_platform_event_window) in canvas pixels through the
 * inverse of that output's warp; false when it is not on an output or hits no picture.
 * `polled`: the window vt_platform_poll scaled touches to. */
bool vt_play_outputs_to_canvas(const vt_play_outputs *po, uint32_t window, vt_event *ev,
                               const vt_window *polled);
/* Where event `ev` is on an output: the output whose window is `window`, else output `fallback`
 * (a drag goes on outside the window it began in; SIZE_MAX: none), as fractions of it (y down);
 * false when neither is open. `polled` as above. */
bool vt_play_outputs_locate(const vt_play_outputs *po, uint32_t window, size_t fallback,
                            const vt_event *ev, const vt_window *polled, size_t *index, double *fx,
                            double *fy);
/* Closes every window, the context's owner last. */
void vt_play_outputs_close(vt_play_outputs *po);

/* ---- play_calibrate.c: play --calibrate's keys ---- */

typedef struct vt_calib {
    bool on;                   /* calibrating (Escape leaves calibration, not the show) */
    size_t output;             /* the output being edited */
    size_t point;              /* its selected corner or grid point */
    bool dirty;                /* edited since the last save */
    vt_output_pattern pattern; /* the test pattern: over the show (the start), alone, off */
    bool dragging;             /* a pointer holds the selected point */
    int64_t drag_pointer;      /* which (vt_event.pointer) */
    double grab[2];            /* the point minus the pointer when it was grabbed */
} vt_calib;

typedef enum vt_calib_result {
    VT_CALIB_NOT_MINE, /* not a calibration key: the scene may have it */
    VT_CALIB_CHANGED,  /* handled: redraw */
    VT_CALIB_SAVE,     /* `s`: save the outputs into their file */
    VT_CALIB_LEFT,     /* Escape: calibration is over */
} vt_calib_result;

/* Applies key `key` (vt_event names: "tab", "left", "[", "s"...) to the outputs: Tab selects
 * the next point (then the next output's), arrows move it by 0.005 of the output (Shift:
 * 0.0005) unless the warp would fold, [ and ] narrow and widen the blends given (8 px; Shift:
 * 1), - and = lower and raise the black level (0.005; Shift: 0.001), p shows the test pattern
 * over the show, then alone (on black), then not at all. */
vt_calib_result vt_calib_key(vt_calib *c, vt_outputs *outs, const char *key, bool shift);
/* A pointer (mouse or finger) on output `i` at (fx, fy), fractions of that output (y down),
 * the output being w x h pixels: down (VT_EVENT_CLICK, VT_EVENT_TOUCH) within 3 % of the
 * output's diagonal of a corner or grid point selects it and grabs it, move drags it (unless
 * the warp would fold), up lets it go. Pointer events that grab nothing are the scene's. */
vt_calib_result vt_calib_pointer(vt_calib *c, vt_outputs *outs, size_t i, const vt_event *ev,
                                 double fx, double fy, int w, int h);
/* The line shown on output `i` while calibrating: its id, and for the one being edited the
 * point, the values and the keys. */
void vt_calib_banner(const vt_calib *c, const vt_outputs *outs, size_t i, char *out, size_t cap);

#endif
