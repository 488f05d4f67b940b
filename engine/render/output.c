/* Projection outputs: the canvas, drawn once, sampled by each output through its warp (corner
 * pin, grid, mesh) with its edge blends, black level and trim (shaders/output.*.glsl), into an
 * offscreen picture that readback reads (render --output) or into a window (play). */
#include "render/render_internal.h"

#include <math.h>
#include <string.h>

#include "render/shaders_glsl.h"

static bool ensure_program(vt_renderer *r) {
    if (r->out.prog) {
        return true;
    }
    vt_error err = {0};
    if (vt_render_build_program(vt_glsl_output_vert, vt_glsl_output_frag, &r->out.prog, &err) !=
        VT_OK) {
        vt_log(VT_LOG_ERROR, "render", "the output pass cannot be drawn: %s", err.message);
        return false;
    }
    GLuint p = r->out.prog;
    r->out.loc_m = glGetUniformLocation(p, "u_m");
    r->out.loc_rect = glGetUniformLocation(p, "u_rect");
    r->out.loc_size = glGetUniformLocation(p, "u_size");
    r->out.loc_blend = glGetUniformLocation(p, "u_blend");
    r->out.loc_gamma = glGetUniformLocation(p, "u_gamma");
    r->out.loc_black = glGetUniformLocation(p, "u_black");
    r->out.loc_trim = glGetUniformLocation(p, "u_trim");
    r->out.loc_src = glGetUniformLocation(p, "u_src");
    r->out.loc_pattern = glGetUniformLocation(p, "u_pattern");
    return true;
}

/* The output's triangles in a vertex buffer of their own, uploaded once per geometry. */
static vt_render_output_geom *geometry(vt_renderer *r, const vt_warp_vertex *tris, size_t count,
                                       uint32_t serial) {
    vt_render_output_geom *free_slot = NULL;
    for (size_t i = 0; i < VT_OUTPUT_MAX + 1; i++) {
        vt_render_output_geom *g = &r->out.geom[i];
        if (g->vao && g->key == tris && g->count == count && g->serial == serial) {
            return g;
        }
        if (!g->vao && !free_slot) {
            free_slot = g;
        }
    }
    vt_render_output_geom *g = free_slot ? free_slot : &r->out.geom[0];
    if (!g->vao) {
        glGenVertexArrays(1, &g->vao);
        glGenBuffers(1, &g->vbo);
    }
    glBindVertexArray(g->vao);
    glBindBuffer(GL_ARRAY_BUFFER, g->vbo);
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)(count * sizeof *tris), tris, GL_STATIC_DRAW);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 4, GL_FLOAT, GL_FALSE, sizeof *tris, (const void *)0);
    glBindVertexArray(0);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    g->key = tris;
    g->count = count;
    g->serial = serial;
    return g;
}

/* Draws output o into the bound framebuffer, w x h pixels. */
static void draw_pass(vt_renderer *r, const vt_scene *scene, const vt_output *o, int w, int h) {
    glViewport(0, 0, w, h);
    glDisable(GL_BLEND);
    glDisable(GL_SCISSOR_TEST);
    glClearColor(0.0f, 0.0f, 0.0f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    const vt_warp_vertex *tris;
    size_t count;
    double m[9];
    vt_output_geometry(o, &tris, &count, m);
    if (!r->drawn || count == 0 || !ensure_program(r)) {
        return;
    }
    const vt_render_rect *c = &r->canvas;
    double cw = scene->width, ch = scene->height;
    float rect[4] = {(float)((c->x + o->source[0] / cw * c->w) / r->fbo_w),
                     (float)((c->y + c->h - o->source[1] / ch * c->h) / r->fbo_h),
                     (float)(o->source[2] / cw * c->w / r->fbo_w),
                     (float)(-o->source[3] / ch * c->h / r->fbo_h)};
    float mf[9], blend[4];
    for (int i = 0; i < 9; i++) {
        mf[i] = (float)m[i];
    }
    for (int i = 0; i < 4; i++) {
        blend[i] = (float)o->blend[i];
    }
    glUseProgram(r->out.prog);
    glUniformMatrix3fv(r->out.loc_m, 1, GL_TRUE, mf);
    glUniform4fv(r->out.loc_rect, 1, rect);
    glUniform2f(r->out.loc_size, (float)w, (float)h);
    glUniform4fv(r->out.loc_blend, 1, blend);
    glUniform1f(r->out.loc_gamma, (float)(o->gamma > 0 ? o->gamma : 2.2));
    glUniform1f(r->out.loc_black, (float)o->black_level);
    glUniform3f(r->out.loc_trim, (float)o->trim[0], (float)o->trim[1], (float)o->trim[2]);
    glUniform1i(r->out.loc_src, 0);
    glUniform1i(r->out.loc_pattern, (GLint)r->out.pattern);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, vt_render_frame_tex(r)); /* dithered on a deep canvas */
    vt_render_output_geom *g = geometry(r, tris, count, o->serial);
    glBindVertexArray(g->vao);
    glDrawArrays(GL_TRIANGLES, 0, (GLsizei)count);
    glBindVertexArray(0);
    glBindTexture(GL_TEXTURE_2D, 0);
    glUseProgram(0);
    r->out.pixels += (double)w * h;
}

/* A square of colour rgb centred on output pixel (x, y) (y down), 2 * half + 1 pixels wide. */
static void square(int w, int h, double x, double y, int half, const float rgb[3]) {
    int x0 = (int)lround(x) - half, y0 = (int)lround(y) - half;
    int x1 = x0 + 2 * half + 1, y1 = y0 + 2 * half + 1;
    x0 = x0 < 0 ? 0 : x0;
    y0 = y0 < 0 ? 0 : y0;
    x1 = x1 > w ? w : x1;
    y1 = y1 > h ? h : y1;
    if (x1 <= x0 || y1 <= y0) {
        return;
    }
    glScissor(x0, h - y1, x1 - x0, y1 - y0);
    glClearColor(rgb[0], rgb[1], rgb[2], 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
}

/* Calibration's handles over the picture: each corner or grid point where the warp puts it, in
 * a black border; the selected one yellow and larger. */
static void draw_handles(const vt_renderer *r, const vt_output *o, int w, int h) {
    size_t n = o->warp == VT_WARP_CORNERS ? 4
               : o->warp == VT_WARP_GRID  ? (size_t)o->grid_cols * o->grid_rows
                                          : 0;
    if (r->out.pattern == VT_OUTPUT_PATTERN_NONE || n == 0) {
        return;
    }
    static const float black[3] = {0, 0, 0}, white[3] = {1, 1, 1}, yellow[3] = {1, 0.85f, 0};
    int half = (int)fmax(3, lround(fmin(w, h) * 0.012));
    glEnable(GL_SCISSOR_TEST);
    for (size_t k = 0; k < n; k++) {
        const double *p = o->warp == VT_WARP_CORNERS ? o->corners[k] : &o->grid[k * 2];
        bool sel = (long)k == r->out.handle;
        square(w, h, p[0] * w, p[1] * h, half + (sel ? 3 : 1), black);
        square(w, h, p[0] * w, p[1] * h, half + (sel ? 2 : 0), sel ? yellow : white);
    }
    glDisable(GL_SCISSOR_TEST);
}

static bool ensure_target(vt_renderer *r, int w, int h) {
    if (r->out.fbo && r->out.w == w && r->out.h == h) {
        return true;
    }
    if (r->out.fbo) {
        glDeleteFramebuffers(1, &r->out.fbo);
        glDeleteTextures(1, &r->out.tex);
    }
    glGenTextures(1, &r->out.tex);
    glBindTexture(GL_TEXTURE_2D, r->out.tex);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, NULL);
    glBindTexture(GL_TEXTURE_2D, 0);
    glGenFramebuffers(1, &r->out.fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, r->out.fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, r->out.tex, 0);
    GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    r->out.w = w;
    r->out.h = h;
    if (status != GL_FRAMEBUFFER_COMPLETE) {
        vt_log(VT_LOG_ERROR, "render", "the output target (%dx%d RGBA8) is incomplete (0x%x)", w, h,
               status);
        return false;
    }
    return true;
}

void vt_renderer_draw_output(vt_renderer *r, const vt_scene *scene, const vt_output *o) {
    int w, h;
    vt_output_size(o, &w, &h);
    if (!ensure_target(r, w, h)) {
        return;
    }
    glBindFramebuffer(GL_FRAMEBUFFER, r->out.fbo);
    draw_pass(r, scene, o, w, h);
    if (r->out.pattern != VT_OUTPUT_PATTERN_NONE) { /* render --calibrate: as play shows it */
        vt_render_present_banner(r, w, h);
        draw_handles(r, o, w, h);
    }
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    r->out.reading = true;
}

void vt_renderer_present_output(vt_renderer *r, const vt_scene *scene, const vt_output *o,
                                int window_w, int window_h) {
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    draw_pass(r, scene, o, window_w, window_h);
    vt_render_present_banner(r, window_w, window_h);
    draw_handles(r, o, window_w, window_h);
}

void vt_renderer_output_pattern(vt_renderer *r, vt_output_pattern pattern, long handle) {
    r->out.pattern = pattern;
    r->out.handle = handle;
}

double vt_renderer_output_pixels(const vt_renderer *r) {
    return r->out.pixels;
}

void vt_render_output_free_gpu(vt_renderer *r) {
    if (r->out.prog) {
        glDeleteProgram(r->out.prog);
    }
    if (r->out.fbo) {
        glDeleteFramebuffers(1, &r->out.fbo);
        glDeleteTextures(1, &r->out.tex);
    }
    for (size_t i = 0; i < VT_OUTPUT_MAX + 1; i++) {
        if (r->out.geom[i].vao) {
            glDeleteVertexArrays(1, &r->out.geom[i].vao);
            glDeleteBuffers(1, &r->out.geom[i].vbo);
        }
    }
    vt_output_pattern pattern = r->out.pattern; /* a setting, not a GL object */
    long handle = r->out.handle;
    memset(&r->out, 0, sizeof r->out);
    r->out.pattern = pattern;
    r->out.handle = handle;
}
