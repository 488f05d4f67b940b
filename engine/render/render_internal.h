/* The renderer's private state shared by its files (gl.c, draw.c, shaders.c, textures.c) and
 * the hooks its tests use. Includes GL: only the render module and its tests include it. */
#ifndef VT_RENDER_INTERNAL_H
#define VT_RENDER_INTERNAL_H

#include <GL/glew.h>

#include "io/vt_image.h"
#include "render/vt_render.h"

/* One tile of an image over the GPU's texture limit (vt_image_tiling_plan): a texture holding
 * the image's w x h texels from (x, y) at level 0, borders included (x, y may be negative:
 * texels outside the image repeat its edge, or the opposite edge along a wrapped axis), and
 * its levels 1 to K. */
typedef struct vt_render_tile {
    GLuint id;
    int x, y, w, h;
} vt_render_tile;

/* One layer's texture: the CPU-side pixels stay, so the GL object can be rebuilt at any time. */
typedef struct vt_render_texture {
    bool used;                /* an image layer (rect layers have none) */
    int width, height;        /* of the texture `id`: the image, or its overview when tiled */
    int natural_w, natural_h; /* the image's own size, and that of `pixels` */
    vt_image_tiling tiling;   /* levels 0: `id` holds the whole image */
    vt_render_tile *tiles;    /* when tiled: cols x rows, row by row (made by the upload) */
    vt_wrap wrap;             /* the tiles' borders repeat the opposite edge along these axes */
    uint8_t *pixels;          /* premultiplied RGBA8, top row first */
    uint16_t *pixels16;       /* instead, for a 16-bit source: premultiplied RGBA16 (dithered
                                 to the 8-bit target when it is drawn) */
    bool placeholder;         /* the image could not be loaded: a checkerboard */
    vt_filter filter;
    GLuint id;
    /* Layers that show the same file share one decoded copy: with the same filter, the later
     * layer is an alias of the first (no pixels, no GL texture of its own); with another, it
     * borrows the first one's pixels for a texture of its own. */
    bool alias, borrowed;
    size_t source;      /* the layer whose texture holds the pixels (alias, borrowed) */
    signed char opaque; /* draw.c, at the first draw: 1 every texel opaque, -1 not, 0 unknown */
} vt_render_texture;

/* One asynchronous readback: a pixel-pack buffer and the frame size it holds. */
typedef struct vt_render_read {
    GLuint pbo;
    size_t capacity;
    int width, height;
    bool pending;
} vt_render_read;

/* Where the canvas lies in a target (letterboxed), in pixels, origin bottom-left as GL has it. */
typedef struct vt_render_rect {
    int x, y, w, h;
} vt_render_rect;

typedef struct vt_render_program {
    GLuint id;
    GLint origin, axis_x, axis_y, uv0, uv1, color, textured, straight, tex, dither;
} vt_render_program;

/* Where a layer draws (draw.c, shape.c): a corner and the two edges leaving it in canvas
 * pixels, and the part of its texture it shows. */
typedef struct vt_render_quad {
    double ox, oy, xx, xy, yx, yy;
    double u0, v0, u1, v1;
} vt_render_quad;

/* A rectangle in canvas pixels (y down) that a layer may draw into (damage.c): empty when not
 * x0 < x1 and y0 < y1; `all` when it cannot be bounded (the whole canvas). */
typedef struct vt_render_box {
    double x0, y0, x1, y1;
    bool all;
} vt_render_box;

/* What a layer showed in the last frame drawn, to tell what changed since (damage.c). */
typedef struct vt_render_damage_layer {
    bool drawn;        /* in the last draw list */
    uint64_t seen;     /* the frame that last had it in its draw list */
    vt_draw_item item; /* as drawn (text and lang point to the copies below) */
    char *text, *lang; /* copies: a draw item's strings may change in place */
    uint64_t video_serial;
    vt_render_box box; /* where it drew */
} vt_render_damage_layer;

/* Shapes (shape.c, shaders/shape.*.glsl). */
typedef struct vt_render_shape_program {
    GLuint id;
    GLint origin, axis_x, axis_y, uv0, uv1, local0, local1, color, textured, dither, half, radius,
        border, border_color, shadow, offset, sigma, gradient, g0, g1, stop_count, stop_at,
        stop_color;
} vt_render_shape_program;

/* Masks (mask.c, shaders/mask.frag.glsl). */
typedef struct vt_render_mask_program {
    GLuint id;
    GLint origin, axis_x, axis_y, uv0, uv1, mode, invert;
} vt_render_mask_program;

/* A glyph about to be drawn: its bitmap, and its pen in target pixels when snapped. */
typedef struct vt_render_glyph {
    vt_text_atlas_entry e;
    double x, y;
} vt_render_glyph;

/* A text or captions layer's layout, kept until its text, language, box width, em size or
 * letter spacing changes. */
typedef struct vt_render_text {
    char *text, *lang;
    double width;
    double size; /* the em size it was laid out at */
    double letter_spacing;
    vt_text_layout *layout;
    uint32_t *units;     /* reveal: each glyph's unit in reading order (made when first needed) */
    uint32_t unit_count; /*   how many units */
    int units_by;        /*   the vt_reveal_by they count, -1: not made */
    bool failed;         /* glyphs could not be drawn: said once for this text */
    char *warned;        /* the layout warnings last logged for this layer (kept across texts) */
} vt_render_text;

/* Films (video.c): the planes' program and each video layer's textures, uploaded again only
 * when the layer's picture changes. */
typedef struct vt_render_video_program {
    vt_render_program base; /* placement and colour, as for other layers */
    GLint matrix, offset, alpha_scale, rgba;
} vt_render_video_program;

typedef struct vt_render_film {
    GLuint tex[4];
    int w[4], h[4];
    GLenum format[4];  /* internal format of each plane's texture (0: not made) */
    const void *frame; /* the picture last uploaded (with `serial`) */
    uint64_t serial;
} vt_render_film;

typedef struct vt_render_text_program {
    GLuint id;
    GLint color, tex;
} vt_render_text_program;

/* ---- Shader layers (shader_layer.c) ---- */

/* An image a shader reads from a file (an input or IMPORTED): straight RGBA8, bottom row first,
 * kept on the CPU side for a rebuild. */
typedef struct vt_render_image {
    vt_image img;
    GLuint tex;
    GLint loc, loc_size; /* the sampler and its _NAME_imgSize (inputs: loc is the value's) */
    /* An input naming another layer: an image layer's picture made straight and y up once
     * (conv), or a shader layer's picture; `shown` is what this frame binds. */
    GLuint conv, conv_fbo;
    GLuint shown;
    int shown_w, shown_h;
    bool warned; /* said once that this layer cannot be read */
} vt_render_image;

/* A pass's TARGET: two textures, one read while the other is drawn (a persistent buffer keeps
 * the latest, tex[cur], from frame to frame); a plain one uses tex[0] and fbo[0] only. */
typedef struct vt_render_buffer {
    const char *name; /* the TARGET (owned by the scene's ISF header) */
    bool persistent, is_float;
    int w, h;
    GLuint tex[2], fbo[2];
    int cur;
    GLint loc, loc_size;
} vt_render_buffer;

typedef struct vt_render_shader {
    bool used;   /* a shader layer whose file was read */
    bool failed; /* it does not compile: nothing is drawn */
    GLuint prog;
    struct {
        GLint passindex, rendersize, time, timedelta, frameindex, date;
        GLint ires, itime, itimedelta, iframe, idate, imouse;
    } loc;
    vt_render_image *inputs; /* one per input of the header */
    size_t input_count;
    vt_render_image *imported;
    size_t imported_count;
    vt_render_buffer *buffers;
    size_t buffer_count;
    vt_render_buffer out, below; /* the layer's picture; what lies beneath it (tex[0], fbo[0]) */
    vt_ticks last_time;          /* TIMEDELTA */
    bool has_last;
    double timedelta;
} vt_render_shader;

/* The program that reads what lies beneath a shader layer (shaders/shader_below.frag.glsl). */
typedef struct vt_render_below_program {
    GLuint id;
    GLint origin, axis_x, axis_y, uv0, uv1, o, ax, ay;
} vt_render_below_program;

/* A projection output's triangles on the GPU (output.c), keyed by the array they came from. */
typedef struct vt_render_output_geom {
    const void *key;
    size_t count;
    uint32_t serial;
    GLuint vao, vbo;
} vt_render_output_geom;

struct vt_renderer {
    int target_w, target_h;  /* at render scale 1 */
    int gl_max_texture_size; /* GL_MAX_TEXTURE_SIZE */
    int max_texture_override;
    char description[256];
    bool software; /* Mesa's llvmpipe or softpipe: reads wait for the drawing (gl.c) */

    vt_render_program program;
    GLuint vao, vbo;
    /* Bilinear without mipmaps, bound over an image's own filter where it is not minified:
     * GL_LINEAR_MIPMAP_LINEAR magnifies with GL_LINEAR too, but llvmpipe still works out the
     * level of detail of every pixel (draw.c). */
    GLuint sampler_linear;
    GLuint fbo, fbo_tex;
    int fbo_w, fbo_h;           /* current scaled target size; 0 before the first frame */
    vt_render_rect canvas;      /* the canvas inside the target at the last draw */
    bool drawn;                 /* a frame is in the target */
    vt_color banner;            /* a strip across the top of the window when alpha > 0 */
    vt_render_text banner_text; /* its message (text.c) */
    /* The deep canvas (dither.c): `deep` when the scene loaded asks for it, `deep_target` when
     * the target is RGBA16 and dither_fbo holds the frame dithered to RGBA8. */
    bool deep, deep_target;
    bool deep_dither; /* the final pass dithers (canvas.dither), else rounds */
    GLuint dither_fbo, dither_tex;

    vt_render_texture *textures; /* one per scene layer */
    size_t texture_count;
    vt_render_read reads[VT_RENDER_READ_SLOTS];

    /* Text (text.c): one text context and glyph atlas per renderer, the atlas mirrored in an
     * R8 texture whose red channel is swizzled into all four (coverage). */
    vt_text_ctx *text_ctx; /* made with the first scene that has text; NULL before */
    bool text_failed;      /* it could not start: text layers draw nothing (said once) */
    vt_text_atlas *atlas;
    GLuint atlas_tex;
    vt_render_text_program text_program;
    GLuint text_vao, text_vbo;
    float *text_verts; /* a layer's glyph quads, reused every frame */
    size_t text_verts_cap;
    uint64_t frame;        /* counts vt_renderer_draw calls: the atlas's recency */
    vt_render_text *texts; /* one per scene layer */
    size_t text_count;
    struct vt_render_glyph *glyph_scratch; /* reused every frame: no allocation once warm */
    size_t glyph_scratch_cap;

    /* Shader layers (shader_layer.c): one per scene layer, and what they share. */
    vt_render_shader *shaders;
    size_t shader_count;
    vt_diags shader_diags; /* compile errors of the scene's shaders, on their files' lines */
    double shader_pixels;  /* drawn by shader passes (and `below` reads) in the last frame */
    GLuint grab_tex;       /* the frame so far, for `below` inputs */
    int grab_w, grab_h;
    vt_render_below_program below_program;
    vt_render_video_program video_program; /* films (video.c) */
    vt_render_film *films;                 /* one per scene layer */
    size_t film_count;
    vt_render_shape_program shape_program; /* made at the first shape drawn */
    /* Masks (mask.c): the mask and the masked layer are each drawn alone into a target of the
     * frame's size (made at the first masked layer drawn); `isolating` while they are, so
     * layers draw in the normal blend there and take their own when composited. */
    GLuint mask_fbo[2], mask_tex[2];
    int mask_w, mask_h;
    bool mask_deep; /* RGBA16, as the deep canvas */
    vt_render_mask_program mask_program;
    bool mask_failed;
    bool isolating;

    /* Damage tracking (damage.c): with `on`, a frame redraws only the part of the canvas whose
     * layers changed since the last frame, and the rest of the target keeps its pixels. */
    struct {
        bool on;
        bool full;                      /* the next frame is drawn whole (a new scene, a switch) */
        bool unordered;                 /* the last draw list was not in layer order */
        const vt_scene *scene;          /* the scene the records describe */
        vt_render_damage_layer *layers; /* one per scene layer */
        size_t count;
        vt_render_rect last; /* the part of the target the last frame drew (GL coordinates) */
        bool last_full;      /* it drew the whole target */
        vt_render_damage_stats stats;
    } damage;

    /* Shortcuts of a frame that leave its pixels as they were (draw.c), counted for the tests;
     * `off` (a test hook) turns them off to draw the reference. */
    struct {
        bool off;
        uint64_t linear;  /* images drawn with sampler_linear (not minified) */
        uint64_t opaque;  /* opaque images drawn without blending */
        uint64_t covered; /* items not drawn: under an opaque image covering what is drawn */
        uint64_t noclear; /* frames whose clear was skipped (covered) */
    } fast;

    /* Drawing straight into the window (draw.c): a frame drawn whole at the window's size goes
     * into its back buffer, not into the target and then a copy. */
    struct {
        int w, h;          /* the window vt_renderer_present presents into; 0: none */
        signed char fb_ok; /* its framebuffer is 8 bits a channel, one sample: 1, not: -1, 0 */
        bool last;         /* the last frame is in the window, not in the target */
        uint64_t frames;   /* frames drawn so (for the tests) */
    } direct;

    struct {
        GLuint prog;
        GLint loc_m, loc_rect, loc_size, loc_blend, loc_gamma, loc_black, loc_trim, loc_src;
        GLint loc_pattern;
        vt_output_pattern pattern; /* calibration's test pattern (vt_renderer_output_pattern) */
        long handle;               /* its highlighted handle; -1: none */
        GLuint fbo, tex;           /* render --output's picture */
        int w, h;
        vt_render_output_geom geom[VT_OUTPUT_MAX + 1];
        bool reading;  /* readback reads the last output drawn, not the canvas */
        double pixels; /* output pixels drawn since the last vt_renderer_draw */
    } out;             /* projection outputs (output.c) */
};

/* shaders.c */
vt_status vt_render_program_create(vt_render_program *p, vt_error *err);
void vt_render_program_destroy(vt_render_program *p);
vt_status vt_render_text_program_create(vt_render_text_program *p, vt_error *err);
void vt_render_text_program_destroy(vt_render_text_program *p);

vt_status vt_render_video_program_create(vt_render_video_program *p, vt_error *err);

/* video.c */
/* Tells the video module whether HAP films may keep their compressed blocks (this driver takes
 * S3TC textures): when the renderer is created, before films are opened. */
void vt_render_video_init(vt_renderer *r);
/* New scene: one (empty) film slot per layer. */
void vt_render_video_load_scene(vt_renderer *r, const vt_scene *scene);
/* Frees the films' textures and program (or forgets them after a loss); made again at the
 * next draw. */
void vt_render_video_free_gpu(vt_renderer *r);
void vt_render_video_free(vt_renderer *r);
/* Uploads the item's picture when it changed, binds its planes and the film program with its
 * colour conversion; `natural` gets the picture's size for fitting. NULL when there is no
 * picture (the caller draws a placeholder). */
const vt_render_program *vt_render_video_bind(vt_renderer *r, const vt_scene *scene,
                                              const vt_draw_item *item, vt_render_texture *natural);

/* textures.c */
void vt_render_texture_upload(vt_render_texture *t);
/* Frees its GL objects (the texture and any tiles); made again by the next upload. */
void vt_render_texture_free_gpu(vt_render_texture *t);
/* The texture an image layer draws with (its own, or the one it is an alias of); NULL when the
 * layer has none. */
const vt_render_texture *vt_render_texture_of(const vt_renderer *r, size_t layer);
void vt_render_textures_free(vt_render_texture *tex, size_t count);
int vt_render_max_texture_side(const vt_renderer *r);

/* shaders.c: compiles and links the engine's own GLSL (vertex input a_unit at location 0). */
vt_status vt_render_build_program(const char *vsrc, const char *fsrc, GLuint *out, vt_error *err);

/* shader_layer.c */
/* The #version line(s) for an ISF file asking for `v`, in a core or compatibility context. */
void vt_render_isf_version(const char *v, bool core, char *out, size_t cap);
/* The fragment source the driver compiles; *header_lines: lines before the file's first. */
char *vt_render_isf_source(const vt_isf *isf, const char *version_line, int *header_lines);
/* At scene load: each shader layer's state, compiled (errors into r->shader_diags). */
void vt_render_shaders_load(vt_renderer *r, const vt_scene *scene);
void vt_render_shaders_free(vt_renderer *r);
void vt_render_shaders_free_gpu(vt_renderer *r);
/* Runs the layer's passes into its picture, then leaves the compositing state as draw.c set it
 * with the picture bound to unit 0; false when there is nothing to draw. */
bool vt_render_shader_draw(vt_renderer *r, const vt_scene *scene, const vt_draw_item *item,
                           double target_per_canvas);

/* draw.c */
void vt_render_set_blend(vt_blend blend);
/* The layer's own blend, or the normal one while it is drawn alone for a mask. */
void vt_render_layer_blend(const vt_renderer *r, const vt_layer *layer);
/* Draws one item into the bound target (the canvas viewport set). */
void vt_render_draw_item(vt_renderer *r, const vt_scene *scene, const vt_draw_item *item);

/* damage.c */
vt_render_box vt_render_box_none(void);
/* Grows b to hold the quad with corner (ox, oy) and edges (ax, ay), (bx, by); a coordinate
 * that is not finite makes it `all`. */
void vt_render_box_add_quad(vt_render_box *b, double ox, double oy, double ax, double ay, double bx,
                            double by);
void vt_render_box_add(vt_render_box *b, vt_render_box o);
bool vt_render_box_is_empty(vt_render_box b);
/* The target pixels (GL coordinates) that hold the canvas box b, rounded out to whole pixels
 * and grown by VT_RENDER_DAMAGE_MARGIN, within `canvas` (the canvas of a scene scene_w x
 * scene_h in the target); w or h 0 when empty. No margin is needed: GL draws a pixel of a quad
 * only when the pixel's centre is inside it (whatever texels its filtering reads), and rounding
 * out leaves half a pixel to spare against the rounding of the quad's corners (a few
 * thousandths of a pixel). test_render_damage fails with the rectangle one pixel smaller. */
#define VT_RENDER_DAMAGE_MARGIN 0
vt_render_rect vt_render_damage_rect(vt_render_box b, vt_render_rect canvas, double scene_w,
                                     double scene_h);
/* Compares the draw list with the last frame's and records it: true with *area the target
 * pixels to draw again (possibly none), false when the whole target must be drawn (`full`
 * asked for it, or a change cannot be bounded). */
bool vt_render_damage_update(vt_renderer *r, const vt_scene *scene, const vt_draw_item *items,
                             size_t count, bool full, vt_render_rect *area);
void vt_render_damage_free(vt_renderer *r);
/* draw.c: where an item draws on the canvas (vt_render_draw_item), conservatively. */
vt_render_box vt_render_item_box(vt_renderer *r, const vt_scene *scene, const vt_draw_item *item);

/* shape.c */
/* Does the layer need the shape program (rounded corners, border, gradient, shadow)? */
bool vt_render_shape_used(const vt_layer *layer, const vt_layer_props *p);
/* Draws its shadow, then the layer in quad q (texture t or none), `color` multiplied by
 * `opacity`; leaves the layer program bound. False when the program cannot be made (the caller
 * draws the layer plain). */
bool vt_render_shape_draw(vt_renderer *r, const vt_scene *scene, const vt_layer *layer,
                          const vt_layer_props *p, const vt_render_quad *q,
                          const vt_render_texture *t, vt_color color, double opacity);
void vt_render_shape_free_gpu(vt_renderer *r);
/* Where vt_render_shape_draw draws for quad q (its shadow included), k target pixels per canvas
 * pixel. */
vt_render_box vt_render_shape_box(const vt_layer *layer, const vt_render_quad *q,
                                  const vt_scene *scene, double k);

/* mask.c */
/* Draws items[i] when it is masked (through its mask) or a mask (not at all): true when it
 * handled the item, false when the caller draws it as usual. */
bool vt_render_mask_item(vt_renderer *r, const vt_scene *scene, const vt_draw_item *items,
                         size_t count, size_t i);
void vt_render_mask_free_gpu(vt_renderer *r);

/* wrap.c */
/* Grows an image layer's quad (its picture from 0 to 1) by whole tiles over the canvas along
 * the wrapped axes, with texture coordinates counting tiles. */
void vt_render_wrap_quad(const vt_scene *scene, vt_wrap wrap, vt_render_quad *q);
/* Sets the bound texture's wrap modes: repeating along `wrap`'s axes when `on`, else clamped. */
void vt_render_wrap_texture(vt_wrap wrap, bool on);

/* tiles.c */
/* Draws an image layer held in tiles (t->tiles) from its tiles when the quad shows more detail
 * than its overview holds (or with `filter: nearest`), with the program's colour, blend and
 * dither already set: false when the caller should draw the overview (t->id) instead. q is
 * the layer's quad after fitting, before any wrap. */
bool vt_render_tiles_draw(vt_renderer *r, const vt_scene *scene, const vt_layer *layer,
                          const vt_render_texture *t, const vt_render_quad *q);

/* text.c */
void vt_render_text_init(vt_renderer *r);
void vt_render_text_free(vt_renderer *r);
/* The text program and vertex buffer (the atlas texture is made at the first draw). */
vt_status vt_render_text_create_gpu(vt_renderer *r, vt_error *err);
/* Frees them and the atlas texture (or forgets them after a loss); the atlas is uploaded whole
 * at the next draw. */
void vt_render_text_free_gpu(vt_renderer *r);
/* New scene: drops the layouts; text layers without a box take their default text's size. */
void vt_render_text_load_scene(vt_renderer *r, vt_scene *scene);
void vt_render_text_draw(vt_renderer *r, const vt_scene *scene, const vt_draw_item *item);
/* Where vt_render_text_draw draws the item (its plate and glyphs; none when it draws nothing). */
vt_render_box vt_render_text_box(vt_renderer *r, const vt_scene *scene, const vt_draw_item *item);
/* The banner's message: copied (NULL or "": none; the strip alone). */
void vt_render_banner_text(vt_renderer *r, const char *message);
/* Draws the message in white, one line cut with "…", `size` pixels per em, left-aligned and
 * centred in a strip `strip_h` pixels tall at the top of the window_w x window_h viewport;
 * at present time, the default framebuffer bound. */
void vt_render_banner_draw(vt_renderer *r, int window_w, int window_h, int strip_h, double size);
/* Where a text layer's box and the layout of its current text are (NULL: nothing to show). */
const vt_text_layout *vt_render_text_layout(vt_renderer *r, const vt_scene *scene,
                                            const vt_draw_item *item);

/* gl.c */
/* Binds the offscreen target for a frame at `scale` (made anew when its size changes); false
 * (and an error logged) when it cannot be made. */
bool vt_render_target_begin(vt_renderer *r, double scale);
/* Fits a w x h picture into bw x bh keeping its aspect, centered; GL coordinates. */
vt_render_rect vt_render_fit(double w, double h, int bw, int bh);

/* gl.c: a w x h colour texture (linear, clamped) of that format and a framebuffer drawing into
 * it; returns the framebuffer's status (GL_FRAMEBUFFER_COMPLETE when usable). */
GLenum vt_render_make_target(GLenum internal, GLenum type, int w, int h, GLuint *tex, GLuint *fbo);
/* dither.c: the deep canvas and its final pass */
/* Whether a scene wants the deep canvas: canvas.dither and a 16-bit picture among `tex`. */
bool vt_render_deep_wanted(const vt_scene *scene, const vt_render_texture *tex, size_t count);
/* Whether layers dither themselves where they are drawn (an 8-bit target; not the deep one). */
bool vt_render_layer_dither(const vt_renderer *r, const vt_scene *scene);
/* The RGBA8 picture the final pass writes (made with the deep target, w x h), and its end. */
vt_status vt_render_dither_create(vt_renderer *r, int w, int h, vt_error *err);
void vt_render_dither_free(vt_renderer *r);
/* Dithers `area` of the deep target (GL coordinates) into the RGBA8 picture; nothing when the
 * target is not deep. */
void vt_render_dither_pass(vt_renderer *r, vt_render_rect area);
/* The frame as 8 bits a channel: the dithered picture on a deep canvas, else the target. */
GLuint vt_render_frame_fbo(const vt_renderer *r);
GLuint vt_render_frame_tex(const vt_renderer *r);

/* output.c: frees the output pass's GL objects (made again when next drawn). */
void vt_render_output_free_gpu(vt_renderer *r);
/* gl.c: the banner strip over what was just presented into the window's framebuffer. */
void vt_render_present_banner(vt_renderer *r, int window_w, int window_h);

/* gl.c: frees every GL object the renderer owns and creates them again from the CPU side
 * (after a lost context, or to prove that nothing lives only on the GPU). */
vt_status vt_renderer_rebuild_gpu(vt_renderer *r, vt_error *err);

/* ---- test hooks ---- */

/* Whether the target is the deep canvas (RGBA16 and a final dithered pass). */
bool vt_renderer_deep(const vt_renderer *r);
/* The size of the texture built for a layer (0 x 0 for none); true when it is a placeholder. */
bool vt_renderer_texture_info(const vt_renderer *r, size_t layer, int *w, int *h);
/* The pixels the layers' textures keep on the CPU side (for vt_renderer_rebuild_gpu), each
 * decoded copy counted once. */
uint64_t vt_renderer_cpu_pixels(const vt_renderer *r);
/* Reads the window's default framebuffer (w x h, top row first) into rgba (w * h * 4 bytes). */
void vt_renderer_read_window(vt_renderer *r, int w, int h, uint8_t *rgba);
/* Turns the frame's shortcuts (render_internal.h: fast) off or on again. */
void vt_renderer_set_fast(vt_renderer *r, bool on);
/* What the last vt_renderer_draw drew: true when the whole target, else false with *area the
 * part of it (GL coordinates; w or h 0: nothing). */
bool vt_renderer_damage_last(const vt_renderer *r, vt_render_rect *area);

#endif
