/* Masks: a layer drawn through another layer's alpha or luminance. The mask and the layer are
 * each drawn alone, in the normal blend, into a transparent target of the frame's size, then the
 * layer is composited into the frame through the mask in its own blend mode (shaders/
 * mask.frag.glsl). Every layer type can be masked or be a mask, animated as usual: wipes and
 * reveals are timelines on the mask. */
#include "render/render_internal.h"

#include "render/shaders_glsl.h"

static vt_status program_create(vt_render_mask_program *p, vt_error *err) {
    GLuint prog = 0;
    vt_status st = vt_render_build_program(vt_glsl_layer_vert, vt_glsl_mask_frag, &prog, err);
    if (st != VT_OK) {
        return st;
    }
    *p = (vt_render_mask_program){.id = prog};
    p->origin = glGetUniformLocation(prog, "u_origin");
    p->axis_x = glGetUniformLocation(prog, "u_axis_x");
    p->axis_y = glGetUniformLocation(prog, "u_axis_y");
    p->uv0 = glGetUniformLocation(prog, "u_uv0");
    p->uv1 = glGetUniformLocation(prog, "u_uv1");
    p->mode = glGetUniformLocation(prog, "u_mode");
    p->invert = glGetUniformLocation(prog, "u_invert");
    glUseProgram(prog);
    glUniform1i(glGetUniformLocation(prog, "u_layer"), 0);
    glUniform1i(glGetUniformLocation(prog, "u_mask"), 1);
    glUseProgram(0); /* the caller binds the layer program again */
    return VT_OK;
}

void vt_render_mask_free_gpu(vt_renderer *r) {
    for (int i = 0; i < 2; i++) {
        if (r->mask_fbo[i]) {
            glDeleteFramebuffers(1, &r->mask_fbo[i]);
        }
        if (r->mask_tex[i]) {
            glDeleteTextures(1, &r->mask_tex[i]);
        }
        r->mask_fbo[i] = r->mask_tex[i] = 0;
    }
    r->mask_w = r->mask_h = 0;
    if (r->mask_program.id) {
        glDeleteProgram(r->mask_program.id);
    }
    r->mask_program = (vt_render_mask_program){0};
}

/* The two targets at the frame's size, and the program; false (said once) when they cannot be
 * made. */
static bool ensure(vt_renderer *r) {
    vt_error err = {0};
    if (!r->mask_program.id) {
        vt_status st = program_create(&r->mask_program, &err);
        glUseProgram(r->program.id); /* the layers are drawn with it into the targets */
        if (st != VT_OK) {
            if (!r->mask_failed) {
                vt_log(VT_LOG_ERROR, "render", "masked layers are not drawn: %s", err.message);
            }
            r->mask_failed = true;
            return false;
        }
    }
    if (r->mask_tex[0] && r->mask_w == r->fbo_w && r->mask_h == r->fbo_h &&
        r->mask_deep == r->deep_target) {
        return true;
    }
    vt_render_mask_program program = r->mask_program;
    r->mask_program.id = 0; /* kept: only the targets are made again */
    vt_render_mask_free_gpu(r);
    r->mask_program = program;
    for (int i = 0; i < 2; i++) {
        glGenTextures(1, &r->mask_tex[i]);
        glBindTexture(GL_TEXTURE_2D, r->mask_tex[i]);
        /* as deep as the frame: a masked 16-bit picture keeps its precision */
        glTexImage2D(GL_TEXTURE_2D, 0, r->deep_target ? GL_RGBA16 : GL_RGBA8, r->fbo_w, r->fbo_h, 0,
                     GL_RGBA, GL_UNSIGNED_BYTE, NULL);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        glGenFramebuffers(1, &r->mask_fbo[i]);
        glBindFramebuffer(GL_FRAMEBUFFER, r->mask_fbo[i]);
        glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, r->mask_tex[i],
                               0);
    }
    glBindTexture(GL_TEXTURE_2D, 0);
    glBindFramebuffer(GL_FRAMEBUFFER, r->fbo);
    r->mask_w = r->fbo_w;
    r->mask_h = r->fbo_h;
    r->mask_deep = r->deep_target;
    return true;
}

/* Draws one item alone into target i (cleared to transparent inside the canvas). */
static void draw_alone(vt_renderer *r, const vt_scene *scene, const vt_draw_item *item, int i) {
    glBindFramebuffer(GL_FRAMEBUFFER, r->mask_fbo[i]);
    glClearColor(0.0f, 0.0f, 0.0f, 0.0f);
    glClear(GL_COLOR_BUFFER_BIT); /* the scissor keeps it to the canvas */
    if (item) {
        GLuint frame = r->fbo;
        r->fbo = r->mask_fbo[i]; /* what a shader layer binds again after its passes */
        vt_render_draw_item(r, scene, item);
        r->fbo = frame;
    }
}

static void composite(vt_renderer *r, const vt_layer *layer) {
    const vt_render_mask_program *pg = &r->mask_program;
    const vt_render_rect *c = &r->canvas;
    glBindFramebuffer(GL_FRAMEBUFFER, r->fbo);
    glUseProgram(pg->id);
    /* the whole canvas, reading the same place of both targets */
    glUniform2f(pg->origin, -1.0f, -1.0f);
    glUniform2f(pg->axis_x, 2.0f, 0.0f);
    glUniform2f(pg->axis_y, 0.0f, 2.0f);
    glUniform2f(pg->uv0, (float)c->x / r->fbo_w, (float)c->y / r->fbo_h);
    glUniform2f(pg->uv1, (float)(c->x + c->w) / r->fbo_w, (float)(c->y + c->h) / r->fbo_h);
    glUniform1i(pg->mode, layer->mask_mode == VT_MASK_LUMINANCE ? 1 : 0);
    glUniform1i(pg->invert, layer->mask_invert ? 1 : 0);
    glActiveTexture(GL_TEXTURE1);
    glBindTexture(GL_TEXTURE_2D, r->mask_tex[0]);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, r->mask_tex[1]);
    vt_render_set_blend(layer->blend);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    glActiveTexture(GL_TEXTURE1);
    glBindTexture(GL_TEXTURE_2D, 0);
    glActiveTexture(GL_TEXTURE0);
    glUseProgram(r->program.id);
}

bool vt_render_mask_item(vt_renderer *r, const vt_scene *scene, const vt_draw_item *items,
                         size_t count, size_t i) {
    const vt_draw_item *item = &items[i];
    if (item->layer >= scene->layer_count) {
        return false;
    }
    const vt_layer *layer = &scene->layers[item->layer];
    if (layer->is_mask) {
        return true; /* drawn only into the mattes of the layers it masks */
    }
    if (!layer->masked || !item->props.visible) {
        return layer->masked;
    }
    if (!ensure(r)) {
        return true; /* what a mask hides stays hidden */
    }
    const vt_draw_item *mask = NULL; /* not in the list: nothing of it is shown */
    for (size_t j = 0; j < count && !mask; j++) {
        mask = items[j].layer == layer->mask ? &items[j] : NULL;
    }
    r->isolating = true;
    draw_alone(r, scene, mask, 0);
    draw_alone(r, scene, item, 1);
    r->isolating = false;
    composite(r, layer);
    /* two more targets drawn and one more full-canvas pass: counted like a shader's passes */
    r->shader_pixels += 3.0 * r->canvas.w * r->canvas.h;
    return true;
}
