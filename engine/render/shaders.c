/* The engine's GLSL 330 programs (the .glsl files of shaders/, embedded into the binary at build
 * time: nothing is read at run time), and their compilation with the driver's info log turned into
 * a vt_error. */
#include "render/render_internal.h"

#include <stdlib.h>

/* Built from the .glsl files of shaders/ at build time (cmake/embed.cmake): vt_glsl_layer_vert and
 * vt_glsl_layer_frag draw every layer, vt_glsl_text_vert and vt_glsl_text_frag the glyphs. */
#include "render/shaders_glsl.h"

static char *info_log(GLuint obj, bool is_program) {
    GLint len = 0;
    if (is_program) {
        glGetProgramiv(obj, GL_INFO_LOG_LENGTH, &len);
    } else {
        glGetShaderiv(obj, GL_INFO_LOG_LENGTH, &len);
    }
    char *log = vt_xcalloc((size_t)(len > 0 ? len : 1) + 1, 1);
    if (len > 0 && is_program) {
        glGetProgramInfoLog(obj, len, NULL, log);
    } else if (len > 0) {
        glGetShaderInfoLog(obj, len, NULL, log);
    }
    return log;
}

static vt_status compile(GLenum kind, const char *src, GLuint *out, vt_error *err) {
    GLuint sh = glCreateShader(kind);
    glShaderSource(sh, 1, &src, NULL);
    glCompileShader(sh);
    GLint ok = GL_FALSE;
    glGetShaderiv(sh, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char *log = info_log(sh, false);
        vt_status st = VT_FAIL(err, VT_E_SOFTWARE, "the %s shader does not compile: %s",
                               kind == GL_VERTEX_SHADER ? "vertex" : "fragment", log);
        free(log);
        glDeleteShader(sh);
        return st;
    }
    *out = sh;
    return VT_OK;
}

/* attribs: the vertex inputs by location, NULL-terminated. */
static vt_status link_program(GLuint vs, GLuint fs, const char *const *attribs, GLuint *out,
                              vt_error *err) {
    GLuint prog = glCreateProgram();
    glAttachShader(prog, vs);
    glAttachShader(prog, fs);
    for (GLuint i = 0; attribs[i]; i++) {
        glBindAttribLocation(prog, i, attribs[i]);
    }
    glLinkProgram(prog);
    GLint ok = GL_FALSE;
    glGetProgramiv(prog, GL_LINK_STATUS, &ok);
    if (!ok) {
        char *log = info_log(prog, true);
        vt_status st = VT_FAIL(err, VT_E_SOFTWARE, "the shader program does not link: %s", log);
        free(log);
        glDeleteProgram(prog);
        return st;
    }
    *out = prog;
    return VT_OK;
}

static vt_status build_program(const char *vsrc, const char *fsrc, const char *const *attribs,
                               GLuint *out, vt_error *err) {
    GLuint vs = 0, fs = 0;
    vt_status st = compile(GL_VERTEX_SHADER, vsrc, &vs, err);
    if (st == VT_OK) {
        st = compile(GL_FRAGMENT_SHADER, fsrc, &fs, err);
    }
    if (st == VT_OK) {
        st = link_program(vs, fs, attribs, out, err);
    }
    /* Once linked the program keeps what it needs; the shader objects can go either way. */
    if (vs) {
        glDeleteShader(vs);
    }
    if (fs) {
        glDeleteShader(fs);
    }
    return st;
}

vt_status vt_render_build_program(const char *vsrc, const char *fsrc, GLuint *out, vt_error *err) {
    static const char *const attribs[] = {"a_unit", NULL};
    return build_program(vsrc, fsrc, attribs, out, err);
}

vt_status vt_render_program_create(vt_render_program *p, vt_error *err) {
    static const char *const attribs[] = {"a_unit", NULL};
    GLuint prog = 0;
    vt_status st = build_program(vt_glsl_layer_vert, vt_glsl_layer_frag, attribs, &prog, err);
    if (st != VT_OK) {
        return st;
    }
    p->id = prog;
    p->origin = glGetUniformLocation(prog, "u_origin");
    p->axis_x = glGetUniformLocation(prog, "u_axis_x");
    p->axis_y = glGetUniformLocation(prog, "u_axis_y");
    p->uv0 = glGetUniformLocation(prog, "u_uv0");
    p->uv1 = glGetUniformLocation(prog, "u_uv1");
    p->color = glGetUniformLocation(prog, "u_color");
    p->textured = glGetUniformLocation(prog, "u_textured");
    p->dither = glGetUniformLocation(prog, "u_dither");
    p->straight = glGetUniformLocation(prog, "u_straight");
    p->tex = glGetUniformLocation(prog, "u_tex");
    glUseProgram(prog);
    glUniform1i(p->tex, 0);
    return VT_OK;
}

/* Films (video.c): the layer's vertex shader, the planes converted by video.frag. */
vt_status vt_render_video_program_create(vt_render_video_program *p, vt_error *err) {
    static const char *const attribs[] = {"a_unit", NULL};
    static const char *const planes[4] = {"u_y", "u_cb", "u_cr", "u_a"};
    GLuint prog = 0;
    vt_status st = build_program(vt_glsl_layer_vert, vt_glsl_video_frag, attribs, &prog, err);
    if (st != VT_OK) {
        return st;
    }
    vt_render_program *b = &p->base;
    b->id = prog;
    b->origin = glGetUniformLocation(prog, "u_origin");
    b->axis_x = glGetUniformLocation(prog, "u_axis_x");
    b->axis_y = glGetUniformLocation(prog, "u_axis_y");
    b->uv0 = glGetUniformLocation(prog, "u_uv0");
    b->uv1 = glGetUniformLocation(prog, "u_uv1");
    b->color = glGetUniformLocation(prog, "u_color");
    b->textured = b->tex = -1;
    p->matrix = glGetUniformLocation(prog, "u_matrix");
    p->offset = glGetUniformLocation(prog, "u_offset");
    p->alpha_scale = glGetUniformLocation(prog, "u_alpha_scale");
    p->rgba = glGetUniformLocation(prog, "u_rgba");
    glUseProgram(prog);
    for (int i = 0; i < 4; i++) {
        glUniform1i(glGetUniformLocation(prog, planes[i]), i);
    }
    return VT_OK;
}

vt_status vt_render_text_program_create(vt_render_text_program *p, vt_error *err) {
    static const char *const attribs[] = {"a_pos", "a_uv", NULL};
    GLuint prog = 0;
    vt_status st = build_program(vt_glsl_text_vert, vt_glsl_text_frag, attribs, &prog, err);
    if (st != VT_OK) {
        return st;
    }
    p->id = prog;
    p->color = glGetUniformLocation(prog, "u_color");
    p->tex = glGetUniformLocation(prog, "u_tex");
    glUseProgram(prog);
    glUniform1i(p->tex, 0);
    return VT_OK;
}

void vt_render_text_program_destroy(vt_render_text_program *p) {
    if (p->id) {
        glDeleteProgram(p->id);
    }
    *p = (vt_render_text_program){0};
}

void vt_render_program_destroy(vt_render_program *p) {
    if (p->id) {
        glDeleteProgram(p->id);
    }
    *p = (vt_render_program){0};
}
