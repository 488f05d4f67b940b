/* The renderer: draws a scene's draw list into an offscreen target at a render scale, presents it
 * letterboxed into the window, and reads frames back. The only module that includes GL.
 * Compositing is on sRGB-encoded values with premultiplied alpha (as browsers do). Every GPU
 * object is rebuilt from its CPU-side description, so a lost context is a rebuild. */
#ifndef VT_RENDER_H
#define VT_RENDER_H

#include "core/vt_core.h"
#include "io/vt_image.h"
#include "scene/vt_scene.h"
#include "video/vt_video.h"

typedef struct vt_renderer vt_renderer;

typedef struct vt_draw_item {
    uint32_t layer;       /* index into scene->layers */
    vt_layer_props props; /* evaluated for this frame */
    /* Text and captions layers: what to show this frame (NULL: nothing) and its language
     * (BCP 47, NULL: none). The renderer lays it out once and again only when it changes. */
    const char *text;
    const char *lang;
    /* Shader layers: the inputs' values (vt_player_shader_inputs; NULL: the scene's), TIME in
     * ticks (from the layer's timeline's start, else the scene's), FRAMEINDEX (the scene's
     * frames) and DATE (year, month 1-12, day 1-31, seconds since midnight). */
    const double *inputs;
    vt_ticks shader_time;
    int64_t frame;
    double date[4];
    /* The visitor's pointer for Shadertoy's iMouse, as fractions of the layer's box with y up:
     * where it is while down (else where it was), where it last landed, and whether it is down
     * now (iMouse.z is then positive, else negative, as on Shadertoy). All 0 before any input. */
    double mouse[4];
    bool mouse_down;
    /* Video layers: the picture to show (NULL: the film cannot be shown; a placeholder). Its
     * planes are uploaded again only when the pointer or its serial changes. */
    const vt_video_frame *video;
} vt_draw_item;

typedef struct vt_renderer_desc {
    int target_width, target_height; /* full-quality target size (render scale 1.0) */
} vt_renderer_desc;

/* Needs a current GL context (vt_window_create); loads GL entry points with GLEW. */
vt_status vt_renderer_create(const vt_renderer_desc *desc, vt_renderer **out, vt_error *err);
void vt_renderer_destroy(vt_renderer *r);

/* Builds the GPU side of a scene: decodes its images (vt_image_load) into mipmapped textures,
 * in tiles what exceeds GL_MAX_TEXTURE_SIZE (vt_image_tiling_plan: one it cannot tile is
 * refused as a broken image is); a missing or broken image gets
 * a visible placeholder and one warning. Layers without a size in the scene take their image's
 * size: the scene's props.size is filled in (text layers: the size of their default text). */
vt_status vt_renderer_load_scene(vt_renderer *r, vt_scene *scene, vt_error *err);

/* Draws as if GL_MAX_TEXTURE_SIZE were `side` when that is lower (0: the GPU's own limit), from
 * the next load_scene: images over it are tiled (render and play --max-texture). */
void vt_renderer_set_max_texture_size(vt_renderer *r, int side);

/* Same, with the images decoded beforehand (vt_image_batch over the layers' src_path):
 * images[i] is layer i's result; the renderer takes the decoded pixels. */
vt_status vt_renderer_load_scene_decoded(vt_renderer *r, vt_scene *scene, vt_image_result *images,
                                         vt_error *err);

/* Draws the items into the offscreen target at `scale` (0 < scale <= 1) of the target size;
 * the canvas is fitted to the target keeping its aspect ratio. Text and captions layers show
 * item->text, laid out again only when it (or its language or box width) changes, with glyphs
 * rasterised at the size they are drawn; a layer without a box takes its text's size. */
void vt_renderer_draw(vt_renderer *r, const vt_scene *scene, const vt_draw_item *items,
                      size_t count, double scale);
/* Damage tracking (off at creation): with it on, vt_renderer_draw compares the draw list with
 * the last frame's and draws again only the part of the canvas where an item changed, appeared
 * or went (its box before and after, rounded out to whole pixels), scissored, leaving the rest
 * of the target as it was: the frame is the same, byte for byte, as a whole redraw. A frame it
 * cannot bound is drawn whole: shader layers, masks, wrapped images, a new scene, target size or
 * GL context. Only for a caller that keeps the frame in the target between draws (play). */
void vt_renderer_set_damage(vt_renderer *r, bool on);
/* What vt_renderer_draw did since the renderer was made: frames drawn whole, in part (and the
 * fractions of the target they drew, summed), and frames where nothing had changed; `direct`:
 * of the whole ones, those drawn straight into the window (vt_renderer_set_direct). */
typedef struct vt_render_damage_stats {
    uint64_t whole, part, unchanged;
    double part_fraction;
    uint64_t direct;
} vt_render_damage_stats;
vt_render_damage_stats vt_renderer_damage_stats(const vt_renderer *r);
/* The target pixels the last vt_renderer_draw wrote: the whole target, the damaged part, or 0
 * when nothing had changed (what the energy model charges per frame for the canvas). */
double vt_renderer_drawn_pixels(const vt_renderer *r);
/* The window's drawable size that vt_renderer_present will present the next frames into (0 x 0,
 * the default: none, or outputs). A frame drawn whole, or nearly (half the target or more
 * changed), at the window's size (render scale 1) then goes straight into the window's back
 * buffer instead of the target and a copy, with the same pixels; the frame after it that is not
 * drawn so is drawn whole into the target again. Only when every item draws the same pixels
 * there (draw.c: images at 1:1 and rects on whole pixels, unturned text; not shader layers,
 * masks, shapes, films, turned or scaled images). */
void vt_renderer_set_direct(vt_renderer *r, int window_w, int window_h);
/* Copies the last drawn frame to the window's default framebuffer, scaled and letterboxed. */
void vt_renderer_present(vt_renderer *r, int window_w, int window_h);

/* ---- Projection outputs (docs/projection.md) ----
 * The canvas is drawn once (vt_renderer_draw, its target sized by vt_outputs_canvas_target) and
 * each output samples its source rectangle through its warp, with its edge blends, black level
 * and trim. */
/* Draws output `o` of the last drawn frame into a picture of the output's size, which the
 * next readback (vt_renderer_read_start) reads instead of the canvas. */
void vt_renderer_draw_output(vt_renderer *r, const vt_scene *scene, const vt_output *o);
/* Draws output `o` into the window's default framebuffer (window_w x window_h), with the
 * banner strip when one is set. */
void vt_renderer_present_output(vt_renderer *r, const vt_scene *scene, const vt_output *o,
                                int window_w, int window_h);
/* Calibration's test pattern on the outputs drawn next (play --calibrate, render --calibrate):
 * through each output's warp, green lines at every eighth of its source each way, its overlaps
 * (edge blends) tinted orange, a white square on each corner or grid point with the `handle`-th
 * (-1: none) yellow and larger, and the banner (set it to name the output). OVER draws it over
 * the show, ALONE on black instead of it; NONE: the show alone, as always. */
typedef enum vt_output_pattern {
    VT_OUTPUT_PATTERN_NONE,
    VT_OUTPUT_PATTERN_OVER,
    VT_OUTPUT_PATTERN_ALONE,
} vt_output_pattern;
void vt_renderer_output_pattern(vt_renderer *r, vt_output_pattern pattern, long handle);
/* The output pixels drawn since the last vt_renderer_draw, for the energy model. */
double vt_renderer_output_pixels(const vt_renderer *r);

/* Fills the window with black (outside opening hours): nothing of the scene is drawn. */
void vt_renderer_present_black(vt_renderer *r, int window_w, int window_h);

/* Whether the GL context was lost (a GPU reset reported by GL_ARB_robustness, on a context
 * created with reset notification); false where the driver cannot tell. One cheap GL call. */
bool vt_renderer_context_lost(vt_renderer *r);
/* After the context was lost and a new one made current (vt_window_renew_context): every GL
 * object made again from the CPU side (textures, text, shaders, films' planes, the target). */
vt_status vt_renderer_recover(vt_renderer *r, vt_error *err);

/* A strip of `color` across the top of the window at each present (alpha 0: none, and the
 * message is freed), e.g. to say that a hot reload failed, with `message` (copied; NULL: none)
 * in white on one line, cut with "…" when wider than the window. The text is 2.5 % of the
 * window's height (at least 14 px) and the strip 1.6 times that. Only on screen: frames read
 * back never show it; it survives vt_renderer_rebuild_gpu. No GL calls (the text is laid out
 * at the next present); the first message starts the renderer's text context. */
void vt_renderer_set_banner(vt_renderer *r, vt_color color, const char *message);

/* Reads the last drawn frame (width x height of the scaled target) as RGBA8, top row first. */
typedef struct vt_frame_pixels {
    int width, height;
    uint8_t *rgba; /* width * height * 4 */
} vt_frame_pixels;
/* Asynchronous readback through pixel-buffer objects: start the copy of the last drawn frame
 * into slot (0..VT_RENDER_READ_SLOTS-1), later finish it into dst (allocated as needed). */
#define VT_RENDER_READ_SLOTS 3
void vt_renderer_read_start(vt_renderer *r, int slot);
vt_status vt_renderer_read_finish(vt_renderer *r, int slot, vt_frame_pixels *dst, vt_error *err);

/* The shaders of the scene last loaded that do not compile or link: one error each on the
 * shader file's own lines (the prelude mapped back), naming the layer:
 * "shaders/waves.fs:12:5: error: 'colr' undeclared (layer 'waves' at scene.yaml:10:5)". Those
 * layers draw nothing. */
const vt_diags *vt_renderer_shader_problems(const vt_renderer *r);

/* The pixels shader layers drew in the last vt_renderer_draw besides the frame itself: every
 * pass of every shader layer and what `below` inputs read, layers' shadows (a quad of their
 * own) and masked layers (three canvases each), for the energy model. */
double vt_renderer_shader_pixels(const vt_renderer *r);

/* When an image layer shows a picture tiled under a texture limit of max_side
 * (vt_image_tiling_plan) with rounded corners, a border or a shadow set in the scene, which are
 * drawn from one texture: writes the warning render logs and check prints (naming the reduced
 * copy they use) and returns true. No GL: check calls it. */
bool vt_render_tiled_shape_warning(const vt_layer *layer, const vt_image_tiling *plan, int max_side,
                                   char *out, size_t size);

/* `check`: compiles every shader layer of `scene` (a scene not loaded into this renderer) and
 * adds vt_renderer_shader_problems' errors to `diags`. */
void vt_renderer_check_shaders(vt_renderer *r, const vt_scene *scene, vt_diags *diags);

/* GL_RENDERER and GL_VERSION strings, for logs. */
const char *vt_renderer_describe(const vt_renderer *r);

#endif
