/* The engine's GLSL 330 program, embedded as source text (nothing is read at run time), and its
 * compilation with the driver's info log turned into a vt_error. */
#include "render/render_internal.h"

#include <stdlib.h>

/* One unit quad serves every layer: the CPU places its corners (origin + a.x * axis_x +
 * a.y * axis_y, in clip space) and the part of the texture it shows (uv0..uv1). */
/* clang-format off */
static const char *const vertex_src =
    "#version 330 core\n"
    "layout(location = 0) in vec2 a_unit;\n"
    "uniform vec2 u_origin;\n"
    "uniform vec2 u_axis_x;\n"
    "uniform vec2 u_axis_y;\n"
    "uniform vec2 u_uv0;\n"
    "uniform vec2 u_uv1;\n"
    "out vec2 v_uv;\n"
    "void main() {\n"
    "    vec2 p = u_origin + a_unit.x * u_axis_x + a_unit.y * u_axis_y;\n"
    "    v_uv = mix(u_uv0, u_uv1, a_unit);\n"
    "    gl_Position = vec4(p, 0.0, 1.0);\n"
    "}\n";

/* u_color arrives premultiplied with the layer's opacity folded in; texels are premultiplied
 * too, so the product is the premultiplied output the blend functions expect. */
static const char *const fragment_src =
    "#version 330 core\n"
    "uniform vec4 u_color;\n"
    "uniform int u_textured;\n"
    "uniform sampler2D u_tex;\n"
    "in vec2 v_uv;\n"
    "out vec4 frag;\n"
    "void main() {\n"
    "    vec4 c = u_color;\n"
    "    if (u_textured != 0) {\n"
    "        c *= texture(u_tex, v_uv);\n"
    "    }\n"
    "    frag = c;\n"
    "}\n";

/* Text: every glyph of a layer in one draw, its quads placed by the CPU in clip space; the
 * atlas's coverage (swizzled into all four channels) scales the premultiplied colour. */
static const char *const text_vertex_src =
    "#version 330 core\n"
    "layout(location = 0) in vec2 a_pos;\n"
    "layout(location = 1) in vec2 a_uv;\n"
    "out vec2 v_uv;\n"
    "void main() {\n"
    "    v_uv = a_uv;\n"
    "    gl_Position = vec4(a_pos, 0.0, 1.0);\n"
    "}\n";

static const char *const text_fragment_src =
    "#version 330 core\n"
    "uniform vec4 u_color;\n"
    "uniform sampler2D u_tex;\n"
    "in vec2 v_uv;\n"
    "out vec4 frag;\n"
    "void main() {\n"
    "    frag = u_color * texture(u_tex, v_uv);\n"
    "}\n";
/* clang-format on */

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

vt_status vt_render_program_create(vt_render_program *p, vt_error *err) {
    static const char *const attribs[] = {"a_unit", NULL};
    GLuint prog = 0;
    vt_status st = build_program(vertex_src, fragment_src, attribs, &prog, err);
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
    p->tex = glGetUniformLocation(prog, "u_tex");
    glUseProgram(prog);
    glUniform1i(p->tex, 0);
    return VT_OK;
}

vt_status vt_render_text_program_create(vt_render_text_program *p, vt_error *err) {
    static const char *const attribs[] = {"a_pos", "a_uv", NULL};
    GLuint prog = 0;
    vt_status st = build_program(text_vertex_src, text_fragment_src, attribs, &prog, err);
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
