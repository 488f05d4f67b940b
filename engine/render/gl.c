/* The renderer's GL lifetime: start-up through GLEW, the offscreen target, presenting it into the
 * window, asynchronous readback, and rebuilding every GL object from the CPU side. */
#include "render/render_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef GLEW_ERROR_NO_GLX_DISPLAY
#define GLEW_ERROR_NO_GLX_DISPLAY 4
#endif

static vt_status init_glew(vt_renderer *r, vt_error *err) {
    /* Core profiles hide entry points from GLEW's extension-string checks; load them all. */
    glewExperimental = GL_TRUE;
    GLenum ge = glewInit();
    /* Under EGL (the offscreen driver) GLEW looks for a GLX display after loading every GL
     * function and reports its absence: the functions are there, so that is not a failure. */
    if (ge != GLEW_OK && ge != GLEW_ERROR_NO_GLX_DISPLAY) {
        return VT_FAIL(err, VT_E_SOFTWARE, "cannot load OpenGL functions: %s",
                       (const char *)glewGetErrorString(ge));
    }
    while (glGetError() != GL_NO_ERROR) {
        /* glewInit may leave GL_INVALID_ENUM behind on core profiles. */
    }
    const char *renderer = (const char *)glGetString(GL_RENDERER);
    const char *version = (const char *)glGetString(GL_VERSION);
    if (!renderer || !version) {
        return VT_FAIL(err, VT_E_SOFTWARE,
                       "no OpenGL context is current; open a window (vt_window_create) first");
    }
    snprintf(r->description, sizeof r->description, "%s, %s", renderer, version);
    r->software = strstr(renderer, "llvmpipe") || strstr(renderer, "softpipe");
    GLint major = 0, minor = 0;
    glGetIntegerv(GL_MAJOR_VERSION, &major);
    glGetIntegerv(GL_MINOR_VERSION, &minor);
    if (major < 3 || (major == 3 && minor < 3)) {
        return VT_FAIL(err, VT_E_SOFTWARE,
                       "OpenGL 3.3 is needed but the driver offers %s; update the graphics "
                       "driver or use Mesa's llvmpipe",
                       version);
    }
    glGetIntegerv(GL_MAX_TEXTURE_SIZE, &r->gl_max_texture_size);
    return VT_OK;
}

static void free_target(vt_renderer *r) {
    if (r->fbo) {
        glDeleteFramebuffers(1, &r->fbo);
    }
    if (r->fbo_tex) {
        glDeleteTextures(1, &r->fbo_tex);
    }
    r->fbo = r->fbo_tex = 0;
    r->fbo_w = r->fbo_h = 0;
    vt_render_dither_free(r);
    r->deep_target = false;
    r->drawn = false;
}

GLenum vt_render_make_target(GLenum internal, GLenum type, int w, int h, GLuint *tex, GLuint *fbo) {
    glGenTextures(1, tex);
    glBindTexture(GL_TEXTURE_2D, *tex);
    glTexImage2D(GL_TEXTURE_2D, 0, (GLint)internal, w, h, 0, GL_RGBA, type, NULL);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glBindTexture(GL_TEXTURE_2D, 0);
    glGenFramebuffers(1, fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, *fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, *tex, 0);
    GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    return status;
}

/* (Re)creates the offscreen target at w x h when its size changed (a new render scale) or its
 * depth (a scene that wants the deep canvas, dither.c, or no longer does). */
static vt_status ensure_target(vt_renderer *r, int w, int h, vt_error *err) {
    if (r->fbo && r->fbo_w == w && r->fbo_h == h && r->deep_target == r->deep) {
        return VT_OK;
    }
    free_target(r);
    GLenum status = vt_render_make_target(r->deep ? GL_RGBA16 : GL_RGBA8,
                                          r->deep ? GL_UNSIGNED_SHORT : GL_UNSIGNED_BYTE, w, h,
                                          &r->fbo_tex, &r->fbo);
    if (status != GL_FRAMEBUFFER_COMPLETE) {
        free_target(r);
        return VT_FAIL(err, VT_E_SOFTWARE,
                       "the offscreen target (%dx%d %s) is incomplete (status 0x%x)", w, h,
                       r->deep ? "RGBA16" : "RGBA8", status);
    }
    if (r->deep) {
        vt_status st = vt_render_dither_create(r, w, h, err);
        if (st != VT_OK) {
            free_target(r);
            return st;
        }
    }
    r->deep_target = r->deep;
    r->fbo_w = w;
    r->fbo_h = h;
    return VT_OK;
}

static void create_quad(vt_renderer *r) {
    /* A triangle strip over the unit square; the vertex shader places it. */
    static const float unit[] = {0, 0, 1, 0, 0, 1, 1, 1};
    glGenVertexArrays(1, &r->vao);
    glBindVertexArray(r->vao);
    glGenBuffers(1, &r->vbo);
    glBindBuffer(GL_ARRAY_BUFFER, r->vbo);
    glBufferData(GL_ARRAY_BUFFER, sizeof unit, unit, GL_STATIC_DRAW);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 2 * sizeof(float), (const void *)0);
    glBindVertexArray(0);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    glGenSamplers(1, &r->sampler_linear);
    glSamplerParameteri(r->sampler_linear, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glSamplerParameteri(r->sampler_linear, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glSamplerParameteri(r->sampler_linear, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glSamplerParameteri(r->sampler_linear, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
}

static void free_gpu(vt_renderer *r) {
    vt_render_program_destroy(&r->program);
    if (r->vao) {
        glDeleteVertexArrays(1, &r->vao);
    }
    if (r->vbo) {
        glDeleteBuffers(1, &r->vbo);
    }
    if (r->sampler_linear) {
        glDeleteSamplers(1, &r->sampler_linear);
    }
    r->vao = r->vbo = r->sampler_linear = 0;
    r->direct.fb_ok = 0;
    r->direct.last = false;
    free_target(r);
    for (size_t i = 0; i < r->texture_count; i++) {
        vt_render_texture_free_gpu(&r->textures[i]);
    }
    for (int i = 0; i < VT_RENDER_READ_SLOTS; i++) {
        if (r->reads[i].pbo) {
            glDeleteBuffers(1, &r->reads[i].pbo);
        }
        r->reads[i] = (vt_render_read){0};
    }
    vt_render_text_free_gpu(r);
    vt_render_shaders_free_gpu(r);
    vt_render_video_free_gpu(r);
    vt_render_shape_free_gpu(r);
    vt_render_mask_free_gpu(r);
    vt_render_output_free_gpu(r);
}

/* Everything on the GPU, made from what the renderer keeps on the CPU side. */
static vt_status create_gpu(vt_renderer *r, int target_w, int target_h, vt_error *err) {
    vt_status st = vt_render_program_create(&r->program, err);
    if (st != VT_OK) {
        return st;
    }
    create_quad(r);
    st = vt_render_text_create_gpu(r, err);
    if (st != VT_OK) {
        return st;
    }
    for (size_t i = 0; i < r->texture_count; i++) {
        vt_render_texture_upload(&r->textures[i]);
    }
    return ensure_target(r, target_w, target_h, err);
}

vt_status vt_renderer_create(const vt_renderer_desc *desc, vt_renderer **out, vt_error *err) {
    *out = NULL;
    if (desc->target_width <= 0 || desc->target_height <= 0) {
        return VT_FAIL(err, VT_E_SOFTWARE, "the render target size %dx%d is not positive",
                       desc->target_width, desc->target_height);
    }
    vt_renderer *r = vt_xcalloc(1, sizeof *r);
    r->target_w = desc->target_width;
    r->target_h = desc->target_height;
    vt_status st = init_glew(r, err);
    if (st == VT_OK) {
        st = create_gpu(r, r->target_w, r->target_h, err);
    }
    if (st == VT_OK) {
        vt_render_text_init(r);
        vt_render_video_init(r);
    }
    if (st != VT_OK) {
        vt_renderer_destroy(r);
        return st;
    }
    *out = r;
    return VT_OK;
}

void vt_renderer_destroy(vt_renderer *r) {
    if (!r) {
        return;
    }
    free_gpu(r);
    vt_render_textures_free(r->textures, r->texture_count);
    vt_render_text_free(r);
    vt_render_shaders_free(r);
    vt_render_video_free(r);
    vt_render_damage_free(r);
    free(r);
}

vt_status vt_renderer_rebuild_gpu(vt_renderer *r, vt_error *err) {
    int w = r->fbo_w > 0 ? r->fbo_w : r->target_w;
    int h = r->fbo_h > 0 ? r->fbo_h : r->target_h;
    /* After a real context loss the old names mean nothing to the new context and these
     * deletes do nothing; on a live context they free the objects. */
    free_gpu(r);
    return create_gpu(r, w, h, err);
}

bool vt_renderer_context_lost(vt_renderer *r) {
    (void)r;
    return GLEW_ARB_robustness && glGetGraphicsResetStatusARB &&
           glGetGraphicsResetStatusARB() != GL_NO_ERROR;
}

vt_status vt_renderer_recover(vt_renderer *r, vt_error *err) {
    for (int i = 0; i < 16 && glGetError() != GL_NO_ERROR; i++) {
        /* what the lost context left */
    }
    return vt_renderer_rebuild_gpu(r, err);
}

/* Sets the offscreen target for a frame at `scale`; false when it cannot be made. */
bool vt_render_target_begin(vt_renderer *r, double scale) {
    if (!(scale > 0.0) || scale > 1.0) {
        scale = 1.0;
    }
    int w = (int)lround(r->target_w * scale), h = (int)lround(r->target_h * scale);
    w = w < 1 ? 1 : w;
    h = h < 1 ? 1 : h;
    vt_error err = {0};
    if (ensure_target(r, w, h, &err) != VT_OK) {
        vt_log(VT_LOG_ERROR, "render", "%s", err.message);
        return false;
    }
    glBindFramebuffer(GL_FRAMEBUFFER, r->fbo);
    return true;
}

/* Fits a w x h picture into a box of bw x bh keeping its aspect, centered. */
vt_render_rect vt_render_fit(double w, double h, int bw, int bh) {
    double s = fmin(bw / w, bh / h);
    int fw = (int)lround(w * s), fh = (int)lround(h * s);
    fw = fw < 1 ? 1 : fw > bw ? bw : fw;
    fh = fh < 1 ? 1 : fh > bh ? bh : fh;
    /* GL's y goes up: the bottom bar takes the odd pixel so the top bar is (bh - fh) / 2. */
    return (vt_render_rect){(bw - fw) / 2, bh - fh - (bh - fh) / 2, fw, fh};
}

/* On the window, not in the frame: renders and the canvas are never touched. The text is 2.5 %
 * of the window's height (at least 14 px: readable from across a room on a projector), the
 * strip 1.6 times that. */
static void draw_banner(vt_renderer *r, int window_w, int window_h) {
    double size = fmax(14.0, round(window_h * 0.025));
    int h = (int)lround(size * 1.6);
    h = h < window_h ? h : window_h;
    glEnable(GL_SCISSOR_TEST);
    glScissor(0, window_h - h, window_w, h);
    glClearColor(r->banner.r / 255.0f, r->banner.g / 255.0f, r->banner.b / 255.0f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    /* The scissor stays: a descender never leaves the strip. */
    vt_render_banner_draw(r, window_w, window_h, h, size);
    glDisable(GL_SCISSOR_TEST);
}

void vt_renderer_present(vt_renderer *r, int window_w, int window_h) {
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    glViewport(0, 0, window_w, window_h);
    glDisable(GL_SCISSOR_TEST);
    if (r->drawn && r->direct.last) {
        /* vt_renderer_draw drew the frame straight into the window (vt_renderer_set_direct) */
        if (r->banner.a > 0 && window_w > 0 && window_h > 0) {
            draw_banner(r, window_w, window_h);
        }
        return;
    }
    const vt_render_rect *c = &r->canvas;
    vt_render_rect d = vt_render_fit(c->w, c->h, window_w, window_h);
    /* The bars; none when the frame fills the window (the copy writes every pixel). */
    if (!r->drawn || r->fast.off || d.x != 0 || d.y != 0 || d.w != window_w || d.h != window_h) {
        glClearColor(0.0f, 0.0f, 0.0f, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
    }
    if (!r->drawn || window_w <= 0 || window_h <= 0) {
        return;
    }
    /* 1:1 each window pixel is its target pixel, as GL_LINEAR samples it at its centre: the
     * nearest texel is the same pixel for a cheaper copy on a software rasterizer */
    bool same = d.w == c->w && d.h == c->h && !r->fast.off;
    glBindFramebuffer(GL_READ_FRAMEBUFFER, vt_render_frame_fbo(r));
    glBlitFramebuffer(c->x, c->y, c->x + c->w, c->y + c->h, d.x, d.y, d.x + d.w, d.y + d.h,
                      GL_COLOR_BUFFER_BIT, same ? GL_NEAREST : GL_LINEAR);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    if (r->banner.a > 0) {
        draw_banner(r, window_w, window_h);
    }
}

void vt_render_present_banner(vt_renderer *r, int window_w, int window_h) {
    if (r->banner.a > 0 && window_w > 0 && window_h > 0) {
        draw_banner(r, window_w, window_h);
    }
}

void vt_renderer_present_black(vt_renderer *r, int window_w, int window_h) {
    (void)r;
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    glViewport(0, 0, window_w, window_h);
    glDisable(GL_SCISSOR_TEST);
    glClearColor(0.0f, 0.0f, 0.0f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
}

void vt_renderer_set_banner(vt_renderer *r, vt_color color, const char *message) {
    r->banner = color;
    vt_render_banner_text(r, color.a > 0 ? message : NULL);
}

void vt_renderer_read_start(vt_renderer *r, int slot) {
    if (slot < 0 || slot >= VT_RENDER_READ_SLOTS || !r->drawn) {
        return;
    }
    vt_render_read *rd = &r->reads[slot];
    bool out = r->out.reading; /* an output (render --output) rather than the canvas */
    int w = out ? r->out.w : r->fbo_w, h = out ? r->out.h : r->fbo_h;
    size_t size = (size_t)w * h * 4;
    if (!rd->pbo) {
        glGenBuffers(1, &rd->pbo);
    }
    glBindBuffer(GL_PIXEL_PACK_BUFFER, rd->pbo);
    if (rd->capacity < size) {
        glBufferData(GL_PIXEL_PACK_BUFFER, (GLsizeiptr)size, NULL, GL_STREAM_READ);
        rd->capacity = size;
    }
    /* the frame drawn straight into the window is in its back buffer, as the target's size */
    glBindFramebuffer(GL_READ_FRAMEBUFFER, out              ? r->out.fbo
                                           : r->direct.last ? 0
                                                            : vt_render_frame_fbo(r));
    glPixelStorei(GL_PACK_ALIGNMENT, 4);
    if (r->software) {
        /* Mesa 22's llvmpipe now and then read a target before the drawing queued for it had
         * run (the frame before came back: test_sync_play, a follower whose canvas changed size
         * between its first frames, about one run in two; never with LP_NUM_THREADS=0). On a
         * CPU rasterizer the read waits for the drawing anyway: waiting here costs nothing. */
        glFinish();
    }
    /* Into the bound buffer: returns at once, the copy completes on the GPU's time. */
    glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, (void *)0);
    glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
    rd->width = w;
    rd->height = h;
    rd->pending = true;
}

/* GL rows go bottom to top; frames are top row first. */
static void copy_flipped(const uint8_t *src, int w, int h, uint8_t *dst) {
    size_t row = (size_t)w * 4;
    for (int y = 0; y < h; y++) {
        memcpy(dst + (size_t)y * row, src + (size_t)(h - 1 - y) * row, row);
    }
}

vt_status vt_renderer_read_finish(vt_renderer *r, int slot, vt_frame_pixels *dst, vt_error *err) {
    if (slot < 0 || slot >= VT_RENDER_READ_SLOTS || !r->reads[slot].pending) {
        return VT_FAIL(err, VT_E_SOFTWARE, "readback slot %d holds no frame (start it first)",
                       slot);
    }
    vt_render_read *rd = &r->reads[slot];
    size_t size = (size_t)rd->width * rd->height * 4;
    glBindBuffer(GL_PIXEL_PACK_BUFFER, rd->pbo);
    const uint8_t *p = glMapBufferRange(GL_PIXEL_PACK_BUFFER, 0, (GLsizeiptr)size, GL_MAP_READ_BIT);
    if (!p) {
        glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
        return VT_FAIL(err, VT_E_SOFTWARE, "cannot map the readback buffer (OpenGL error 0x%x)",
                       glGetError());
    }
    /* Reallocate only when the size changes: no allocation in the steady-state loop. */
    if (!dst->rgba || dst->width != rd->width || dst->height != rd->height) {
        dst->rgba = vt_xrealloc(dst->rgba, size);
        dst->width = rd->width;
        dst->height = rd->height;
    }
    copy_flipped(p, rd->width, rd->height, dst->rgba);
    glUnmapBuffer(GL_PIXEL_PACK_BUFFER);
    glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
    rd->pending = false;
    return VT_OK;
}

const char *vt_renderer_describe(const vt_renderer *r) {
    return r->description;
}

void vt_renderer_read_window(vt_renderer *r, int w, int h, uint8_t *rgba) {
    uint8_t *tmp = vt_xmalloc((size_t)w * h * 4);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
    glPixelStorei(GL_PACK_ALIGNMENT, 4);
    if (r->software) {
        glFinish(); /* as in vt_renderer_read_start */
    }
    glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, tmp);
    copy_flipped(tmp, w, h, rgba);
    free(tmp);
}
