/* The deep canvas and its final dithered pass. A scene that shows a 16-bit picture (with
 * canvas.dither on) is composited in an RGBA16 target, so blends of smooth layers (a fade to
 * black over a 16-bit ramp, a crossfade) keep their precision, and one last pass dithers the
 * whole frame into an RGBA8 picture: what the window, the readback and the projection outputs
 * show (canvas.depth: 16 asks for it whatever the pictures, 8 never). Every other scene keeps the
 * RGBA8 target and no extra pass (its pixels, and the goldens, are those of 8-bit compositing). The
 * pass is the layer program with its ordered 8x8 Bayer offset of under half a step (layer.frag): a
 * value that is exactly 8-bit comes out unchanged, and the pattern depends on the pixel's place
 * only, so renders repeat byte for byte. */
#include "render/render_internal.h"

bool vt_render_deep_wanted(const vt_scene *scene, const vt_render_texture *tex, size_t count) {
    if (scene->depth != VT_DEPTH_AUTO) {
        return scene->depth == VT_DEPTH_16;
    }
    if (!scene->dither) {
        return false;
    }
    for (size_t i = 0; i < count; i++) {
        if (tex[i].used && tex[i].pixels16) {
            return true;
        }
    }
    return false;
}

bool vt_render_layer_dither(const vt_renderer *r, const vt_scene *scene) {
    return scene->dither && !r->deep_target;
}

void vt_render_dither_free(vt_renderer *r) {
    if (r->dither_fbo) {
        glDeleteFramebuffers(1, &r->dither_fbo);
    }
    if (r->dither_tex) {
        glDeleteTextures(1, &r->dither_tex);
    }
    r->dither_fbo = r->dither_tex = 0;
}

vt_status vt_render_dither_create(vt_renderer *r, int w, int h, vt_error *err) {
    vt_render_dither_free(r);
    GLenum status =
        vt_render_make_target(GL_RGBA8, GL_UNSIGNED_BYTE, w, h, &r->dither_tex, &r->dither_fbo);
    if (status != GL_FRAMEBUFFER_COMPLETE) {
        vt_render_dither_free(r);
        return VT_FAIL(err, VT_E_SOFTWARE,
                       "the dithered picture (%dx%d RGBA8) is incomplete (status 0x%x)", w, h,
                       status);
    }
    return VT_OK;
}

void vt_render_dither_pass(vt_renderer *r, vt_render_rect area) {
    if (!r->deep_target || !r->dither_fbo || area.w <= 0 || area.h <= 0) {
        return;
    }
    /* The pattern is keyed on the target's pixels, so dithering only the part drawn again
     * gives the same picture as dithering it all. */
    const vt_render_program *pg = &r->program;
    glBindFramebuffer(GL_FRAMEBUFFER, r->dither_fbo);
    glViewport(0, 0, r->fbo_w, r->fbo_h);
    glEnable(GL_SCISSOR_TEST);
    glScissor(area.x, area.y, area.w, area.h);
    glDisable(GL_BLEND);
    glUseProgram(pg->id);
    glBindVertexArray(r->vao);
    glUniform2f(pg->origin, -1.0f, -1.0f);
    glUniform2f(pg->axis_x, 2.0f, 0.0f);
    glUniform2f(pg->axis_y, 0.0f, 2.0f);
    glUniform2f(pg->uv0, 0.0f, 0.0f);
    glUniform2f(pg->uv1, 1.0f, 1.0f);
    glUniform4f(pg->color, 1.0f, 1.0f, 1.0f, 1.0f);
    glUniform1i(pg->textured, 1);
    glUniform1i(pg->straight, 0);
    glUniform1i(pg->dither, r->deep_dither ? 1 : 0); /* canvas.dither: false rounds */
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, r->fbo_tex);
    /* Texel for pixel: no filtering can mix neighbours. */
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glBindTexture(GL_TEXTURE_2D, 0);
    glBindVertexArray(0);
    glDisable(GL_SCISSOR_TEST);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

GLuint vt_render_frame_fbo(const vt_renderer *r) {
    return r->deep_target && r->dither_fbo ? r->dither_fbo : r->fbo;
}

GLuint vt_render_frame_tex(const vt_renderer *r) {
    return r->deep_target && r->dither_tex ? r->dither_tex : r->fbo_tex;
}

bool vt_renderer_deep(const vt_renderer *r) {
    return r->deep_target;
}
