/* Shader layers: an ISF or Shadertoy-style file compiled with the ISF prelude (the engine's
 * shaders/isf_prelude.frag.glsl) in the version the file asks for, its passes drawn into their
 * TARGET buffers (persistent ones kept from frame to frame) and the last one into the layer's
 * picture, which is then composited like an image (straight alpha premultiplied on the way).
 * Compile errors are mapped back to the file's own lines. */
#include "render/render_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/shaders_glsl.h"

/* ---- the source the driver compiles ---- */

static bool word_at(const char *s, size_t i, const char *w) {
    size_t n = strlen(w);
    return strncmp(s + i, w, n) == 0 && !(isalnum((unsigned char)s[i + n]) || s[i + n] == '_') &&
           (i == 0 || !(isalnum((unsigned char)s[i - 1]) || s[i - 1] == '_'));
}

/* IMG_PIXEL(img, c) -> IMG_PIXEL(img, _img_imgSize, c), and so on for each IMG_ macro: the
 * prelude's macros take the size as an argument, so no token pasting is needed. Lines stay. */
static char *rewrite_img_calls(const char *body) {
    static const char *const MACROS[] = {"IMG_PIXEL", "IMG_NORM_PIXEL", "IMG_THIS_PIXEL",
                                         "IMG_THIS_NORM_PIXEL", "IMG_SIZE"};
    size_t len = strlen(body), cap = len * 2 + 64, n = 0;
    char *out = vt_xmalloc(cap);
    for (size_t i = 0; i < len;) {
        size_t m = 0, k = 0;
        for (k = 0; k < 5 && !word_at(body, i, MACROS[k]); k++) {
        }
        if (k < 5) {
            size_t j = i + strlen(MACROS[k]);
            while (body[j] == ' ' || body[j] == '\t') {
                j++;
            }
            if (body[j] == '(') {
                j++;
                while (body[j] == ' ' || body[j] == '\t') {
                    j++;
                }
                size_t id = j;
                while (isalnum((unsigned char)body[j]) || body[j] == '_') {
                    j++;
                }
                m = j - id;
                if (m > 0 && m < 200) {
                    size_t need = (j - i) + m + 16;
                    if (n + need + (len - j) + 1 > cap) {
                        cap = (n + need + (len - j) + 1) * 2;
                        out = vt_xrealloc(out, cap);
                    }
                    memcpy(out + n, body + i, j - i);
                    n += j - i;
                    n += (size_t)sprintf(out + n, ", _%.*s_imgSize", (int)m, body + id);
                    i = j;
                    continue;
                }
            }
        }
        if (n + 2 > cap) {
            cap *= 2;
            out = vt_xrealloc(out, cap);
        }
        out[n++] = body[i++];
    }
    out[n] = '\0';
    return out;
}

static const char *uniform_type(vt_isf_type t) {
    switch (t) {
    case VT_ISF_BOOL:
    case VT_ISF_EVENT:
        return "bool";
    case VT_ISF_LONG:
        return "int";
    case VT_ISF_POINT2D:
        return "vec2";
    case VT_ISF_COLOR:
        return "vec4";
    case VT_ISF_IMAGE:
        return "sampler2D";
    default:
        return "float";
    }
}

typedef struct strbuf {
    char *s;
    size_t n, cap;
} strbuf;

static void sb_add(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_add(strbuf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int need = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (b->n + (size_t)need + 1 > b->cap) {
        b->cap = (b->n + (size_t)need + 1) * 2;
        b->s = vt_xrealloc(b->s, b->cap);
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, (size_t)need + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)need;
}

static bool listed(const char *const *names, size_t n, const char *name) {
    for (size_t i = 0; i < n; i++) {
        if (strcmp(names[i], name) == 0) {
            return true;
        }
    }
    return false;
}

/* The #version line for a file asking for `v` ("" when it names none), in a compatibility
 * context (legacy GLSL and gl_FragColor work as written) or a core one (translated). */
void vt_render_isf_version(const char *v, bool core, char *out, size_t cap) {
    int num = atoi(v);
    if (core) {
        snprintf(out, cap, "#version 330 core\n#define VT_ISF_CORE 1\n");
    } else if (num == 0 || (num >= 130 && num <= 330) || strstr(v, "core")) {
        snprintf(out, cap, "#version 330 compatibility\n");
    } else if (num < 130) {
        snprintf(out, cap, "#version %d\n", num);
    } else {
        snprintf(out, cap, "#version %d compatibility\n", num);
    }
}

/* The fragment source: version, prelude, the file's uniforms, its body (lines kept), and for
 * Shadertoy-style code a main() calling mainImage. *header_lines: the lines before the body. */
/* The uniforms of the file's own inputs, buffers and imported images, on one line. */
static void add_uniforms(strbuf *b, const vt_isf *isf) {
    const char **declared =
        vt_xcalloc(isf->n_inputs + isf->n_passes + isf->n_imported + 1, sizeof *declared);
    size_t nd = 0;
    for (size_t i = 0; i < isf->n_inputs; i++) {
        const vt_isf_input *in = &isf->inputs[i];
        sb_add(b, "uniform %s %s;", uniform_type(in->type), in->name);
        if (in->type == VT_ISF_IMAGE) {
            sb_add(b, " uniform vec2 _%s_imgSize;", in->name);
        }
        declared[nd++] = in->name;
    }
    for (size_t i = 0; i < isf->n_passes; i++) {
        const char *t = isf->passes[i].target;
        if (t && !listed(declared, nd, t)) {
            sb_add(b, "uniform sampler2D %s; uniform vec2 _%s_imgSize;", t, t);
            declared[nd++] = t;
        }
    }
    for (size_t i = 0; i < isf->n_imported; i++) {
        const char *t = isf->imported[i].name;
        sb_add(b, "uniform sampler2D %s; uniform vec2 _%s_imgSize;", t, t);
    }
    free(declared);
    sb_add(b, "\n");
}

static int count_lines(const strbuf *b) {
    int n = 0;
    for (size_t i = 0; i < b->n; i++) {
        n += b->s[i] == '\n';
    }
    return n;
}

/* An ISF vertex shader's source: version, the vertex prelude, the uniforms, its text with its own
 * #version line blanked (lines kept). *header_lines: the lines before its first. */
char *vt_render_isf_vertex_source(const vt_isf *isf, const char *vertex, const char *version_line,
                                  int *header_lines) {
    strbuf b = {0};
    sb_add(&b, "%s%s", version_line, vt_glsl_isf_prelude_vert);
    add_uniforms(&b, isf);
    *header_lines = count_lines(&b);
    char *body = rewrite_img_calls(vertex);
    for (char *p = body; *p;) {
        char *q = p + strspn(p, " \t");
        char *eol = strchr(p, '\n');
        if (*q == '#' && strncmp(q + 1 + strspn(q + 1, " \t"), "version", 7) == 0) {
            memset(p, ' ', eol ? (size_t)(eol - p) : strlen(p));
        }
        p = eol ? eol + 1 : p + strlen(p);
    }
    sb_add(&b, "%s\n", body);
    free(body);
    return b.s;
}

char *vt_render_isf_source(const vt_isf *isf, const char *version_line, int *header_lines) {
    strbuf b = {0};
    sb_add(&b, "%s%s", version_line, vt_glsl_isf_prelude_frag);
    add_uniforms(&b, isf);
    *header_lines = count_lines(&b);
    char *body = rewrite_img_calls(isf->glsl);
    sb_add(&b, "%s\n", body);
    free(body);
    if (isf->shadertoy) {
        sb_add(&b, "void main() {\n    vec4 c = vec4(0.0, 0.0, 0.0, 1.0);\n"
                   "    mainImage(c, gl_FragCoord.xy);\n    gl_FragColor = vec4(c.rgb, 1.0);\n}\n");
    }
    return b.s;
}

/* The driver's log, one diagnostic per message, on the file's own lines: Mesa writes
 * "0:12(5): error: ...", NVIDIA "0(12) : error C1008: ...". */
static void map_log(const char *log, int header_lines, const char *path, const char *context,
                    vt_diags *diags) {
    const char *p = log;
    size_t before = diags->errors;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char *line = vt_xstrndup(p, len);
        int src = 0, ln = 0, col = 0, used = 0;
        const char *msg = NULL;
        if (sscanf(line, "%d:%d(%d): %n", &src, &ln, &col, &used) == 3 && used > 0) {
            msg = line + used;
        } else if (sscanf(line, "%d(%d) : %n", &src, &ln, &used) == 2 && used > 0) {
            msg = line + used;
            col = 0;
        }
        if (msg) {
            bool warning = strncmp(msg, "warning", 7) == 0;
            const char *colon = strchr(msg, ':');
            const char *text = colon ? colon + 1 : msg;
            while (*text == ' ') {
                text++;
            }
            int file_line = ln - header_lines;
            if (!warning) {
                if (file_line >= 1) {
                    vt_diags_add(diags, VT_DIAG_ERROR, path, file_line, col, "%s (%s)", text,
                                 context);
                } else {
                    vt_diags_add(diags, VT_DIAG_ERROR, path, 0, 0,
                                 "%s (in the ISF prelude Vitrine adds; %s)", text, context);
                }
            }
        }
        free(line);
        p += len + (eol ? 1 : 0);
    }
    if (diags->errors == before) {
        vt_diags_add(diags, VT_DIAG_ERROR, path, 0, 0, "the shader does not compile: %s (%s)",
                     *log ? log : "the driver gave no reason", context);
    }
}

static char *gl_log(GLuint obj, bool program) {
    GLint len = 0;
    if (program) {
        glGetProgramiv(obj, GL_INFO_LOG_LENGTH, &len);
    } else {
        glGetShaderiv(obj, GL_INFO_LOG_LENGTH, &len);
    }
    char *log = vt_xcalloc((size_t)(len > 0 ? len : 1) + 1, 1);
    if (len > 0 && program) {
        glGetProgramInfoLog(obj, len, NULL, log);
    } else if (len > 0) {
        glGetShaderInfoLog(obj, len, NULL, log);
    }
    return log;
}

static GLuint compile_stage(GLenum kind, const char *const *parts, int count, char **log) {
    GLuint sh = glCreateShader(kind);
    glShaderSource(sh, count, parts, NULL);
    glCompileShader(sh);
    GLint ok = GL_FALSE;
    glGetShaderiv(sh, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        *log = gl_log(sh, false);
        glDeleteShader(sh);
        return 0;
    }
    return sh;
}

/* Compiles and links with one #version line; 0 and *log (free it) when it fails, with
 * *in_vertex set when the file's own vertex shader (`vertex`, may be NULL) is the one. */
static GLuint build_with(const vt_isf *isf, const char *vertex, const char *version_line,
                         char **log, int *header_lines, bool *in_vertex) {
    *log = NULL;
    *in_vertex = false;
    char *fsrc = vt_render_isf_source(isf, version_line, header_lines);
    const char *fparts[] = {fsrc};
    GLuint fs = compile_stage(GL_FRAGMENT_SHADER, fparts, 1, log);
    free(fsrc);
    if (!fs) {
        return 0;
    }
    GLuint vs = 0;
    if (vertex) {
        int vlines = 0;
        char *vsrc = vt_render_isf_vertex_source(isf, vertex, version_line, &vlines);
        const char *vparts[] = {vsrc};
        vs = compile_stage(GL_VERTEX_SHADER, vparts, 1, log);
        free(vsrc);
        if (!vs) {
            *in_vertex = true;
            *header_lines = vlines;
        }
    } else {
        const char *vparts[] = {version_line, vt_glsl_isf_vert};
        vs = compile_stage(GL_VERTEX_SHADER, vparts, 2, log);
    }
    if (!vs) {
        glDeleteShader(fs);
        return 0;
    }
    GLuint prog = glCreateProgram();
    glAttachShader(prog, vs);
    glAttachShader(prog, fs);
    glBindAttribLocation(prog, 0, "a_unit");
    glLinkProgram(prog);
    glDeleteShader(vs);
    glDeleteShader(fs);
    GLint ok = GL_FALSE;
    glGetProgramiv(prog, GL_LINK_STATUS, &ok);
    if (!ok) {
        *log = gl_log(prog, true);
        glDeleteProgram(prog);
        return 0;
    }
    return prog;
}

static bool context_is_core(void) {
    GLint mask = 0;
    glGetIntegerv(GL_CONTEXT_PROFILE_MASK, &mask);
    while (glGetError() != GL_NO_ERROR) {
    }
    return (mask & GL_CONTEXT_CORE_PROFILE_BIT) != 0;
}

/* ---- per layer state ---- */

static void locate(vt_render_shader *rs, const vt_isf *isf) {
    GLuint p = rs->prog;
    rs->loc.passindex = glGetUniformLocation(p, "PASSINDEX");
    rs->loc.rendersize = glGetUniformLocation(p, "RENDERSIZE");
    rs->loc.time = glGetUniformLocation(p, "TIME");
    rs->loc.timedelta = glGetUniformLocation(p, "TIMEDELTA");
    rs->loc.frameindex = glGetUniformLocation(p, "FRAMEINDEX");
    rs->loc.date = glGetUniformLocation(p, "DATE");
    rs->loc.ires = glGetUniformLocation(p, "iResolution");
    rs->loc.itime = glGetUniformLocation(p, "iTime");
    rs->loc.itimedelta = glGetUniformLocation(p, "iTimeDelta");
    rs->loc.iframe = glGetUniformLocation(p, "iFrame");
    rs->loc.idate = glGetUniformLocation(p, "iDate");
    rs->loc.imouse = glGetUniformLocation(p, "iMouse");
    char name[160];
    for (size_t i = 0; i < isf->n_inputs; i++) {
        rs->inputs[i].loc = glGetUniformLocation(p, isf->inputs[i].name);
        snprintf(name, sizeof name, "_%s_imgSize", isf->inputs[i].name);
        rs->inputs[i].loc_size = glGetUniformLocation(p, name);
    }
    for (size_t i = 0; i < rs->buffer_count; i++) {
        rs->buffers[i].loc = glGetUniformLocation(p, rs->buffers[i].name);
        snprintf(name, sizeof name, "_%s_imgSize", rs->buffers[i].name);
        rs->buffers[i].loc_size = glGetUniformLocation(p, name);
    }
    for (size_t i = 0; i < isf->n_imported; i++) {
        rs->imported[i].loc = glGetUniformLocation(p, isf->imported[i].name);
        snprintf(name, sizeof name, "_%s_imgSize", isf->imported[i].name);
        rs->imported[i].loc_size = glGetUniformLocation(p, name);
    }
}

/* Compiles layer `index`'s shader; problems go to `diags` (may be NULL). */
static bool compile_layer(vt_renderer *r, const vt_scene *scene, size_t index, vt_diags *diags) {
    const vt_layer *layer = &scene->layers[index];
    vt_render_shader *rs = &r->shaders[index];
    const vt_isf *isf = layer->shader->isf;
    char version[96], *log = NULL;
    int header_lines = 0;
    bool core = context_is_core(), in_vertex = false, in_vertex2 = false;
    const char *vertex = layer->shader->vertex;
    vt_render_isf_version(isf->version, core, version, sizeof version);
    rs->prog = build_with(isf, vertex, version, &log, &header_lines, &in_vertex);
    if (!rs->prog && !core && !isf->version[0]) {
        /* a file without #version may be plain GLSL 1.20 that 3.30 refuses */
        char *log2 = NULL;
        int lines2 = 0;
        rs->prog = build_with(isf, vertex, "#version 120\n", &log2, &lines2, &in_vertex2);
        free(log2);
    }
    if (!rs->prog) {
        rs->failed = true;
        if (diags) {
            char *context = vt_xasprintf("layer '%s' at %s:%d:%d", layer->id, scene->path,
                                         layer->line, layer->col);
            map_log(log ? log : "", header_lines,
                    in_vertex ? layer->shader->vertex_shown : layer->shader->shown_path, context,
                    diags);
            free(context);
        }
        free(log);
        return false;
    }
    free(log);
    locate(rs, isf);
    return true;
}

static void delete_tex(GLuint *t) {
    if (*t) {
        glDeleteTextures(1, t);
        *t = 0;
    }
}

static void delete_fbo(GLuint *f) {
    if (*f) {
        glDeleteFramebuffers(1, f);
        *f = 0;
    }
}

static void free_buffer_gpu(vt_render_buffer *b) {
    for (int k = 0; k < 2; k++) {
        delete_tex(&b->tex[k]);
        delete_fbo(&b->fbo[k]);
    }
    b->w = b->h = 0;
}

static void free_shader_gpu(vt_render_shader *rs) {
    if (rs->prog) {
        glDeleteProgram(rs->prog);
        rs->prog = 0;
    }
    for (size_t i = 0; i < rs->buffer_count; i++) {
        free_buffer_gpu(&rs->buffers[i]);
    }
    for (size_t i = 0; i < rs->input_count; i++) {
        delete_tex(&rs->inputs[i].tex);
        delete_tex(&rs->inputs[i].conv);
        delete_fbo(&rs->inputs[i].conv_fbo);
        rs->inputs[i].shown = 0;
    }
    for (size_t i = 0; i < rs->imported_count; i++) {
        delete_tex(&rs->imported[i].tex);
    }
    delete_tex(&rs->out.tex[0]);
    delete_fbo(&rs->out.fbo[0]);
    rs->out.w = rs->out.h = 0;
    delete_tex(&rs->below.tex[0]);
    delete_fbo(&rs->below.fbo[0]);
    rs->below.w = rs->below.h = 0;
    rs->has_last = false;
}

static void free_image(vt_render_image *im) {
    vt_image_free(&im->img);
}

static void free_shaders(vt_render_shader *shaders, size_t count) {
    for (size_t i = 0; i < count; i++) {
        vt_render_shader *rs = &shaders[i];
        free_shader_gpu(rs);
        for (size_t k = 0; k < rs->input_count; k++) {
            free_image(&rs->inputs[k]);
        }
        for (size_t k = 0; k < rs->imported_count; k++) {
            free_image(&rs->imported[k]);
        }
        free(rs->inputs);
        free(rs->imported);
        free(rs->buffers);
    }
    free(shaders);
}

void vt_render_shaders_free_gpu(vt_renderer *r) {
    for (size_t i = 0; i < r->shader_count; i++) {
        free_shader_gpu(&r->shaders[i]);
        r->shaders[i].failed = false; /* compiled again at the next draw */
    }
    delete_tex(&r->grab_tex);
    r->grab_w = r->grab_h = 0;
    if (r->below_program.id) {
        glDeleteProgram(r->below_program.id);
    }
    r->below_program = (vt_render_below_program){0};
}

void vt_render_shaders_free(vt_renderer *r) {
    vt_render_shaders_free_gpu(r);
    free_shaders(r->shaders, r->shader_count);
    r->shaders = NULL;
    r->shader_count = 0;
    vt_diags_free(&r->shader_diags);
}

/* Straight RGBA8 rows, bottom row first (GL's way, and ISF's y up). */
static void load_image_file(const char *path, vt_render_image *im) {
    vt_error err = {0};
    if (!path || vt_image_load(path, NULL, &im->img, &err) != VT_OK) {
        if (path) {
            vt_log(VT_LOG_WARN, "render", "%s", err.message);
        }
        im->img = (vt_image){0};
        return;
    }
    size_t row = (size_t)im->img.width * 4;
    uint8_t *tmp = vt_xmalloc(row);
    for (int y = 0; y < im->img.height / 2; y++) {
        uint8_t *a = im->img.pixels + (size_t)y * row;
        uint8_t *b = im->img.pixels + (size_t)(im->img.height - 1 - y) * row;
        memcpy(tmp, a, row);
        memcpy(a, b, row);
        memcpy(b, tmp, row);
    }
    free(tmp);
}

static void setup_layer(vt_render_shader *rs, const vt_layer *layer) {
    const vt_isf *isf = layer->shader->isf;
    rs->used = true;
    rs->input_count = isf->n_inputs;
    rs->inputs = vt_xcalloc(isf->n_inputs + 1, sizeof *rs->inputs);
    for (size_t i = 0; i < isf->n_inputs; i++) {
        const vt_shader_input *si = &layer->shader->inputs[i];
        if (isf->inputs[i].type == VT_ISF_IMAGE && si->image == VT_SHADER_IMAGE_FILE) {
            load_image_file(si->file, &rs->inputs[i]);
        }
    }
    rs->imported_count = isf->n_imported;
    rs->imported = vt_xcalloc(isf->n_imported + 1, sizeof *rs->imported);
    for (size_t i = 0; i < isf->n_imported; i++) {
        load_image_file(layer->shader->imported_files ? layer->shader->imported_files[i] : NULL,
                        &rs->imported[i]);
    }
    rs->buffers = vt_xcalloc(isf->n_passes + 1, sizeof *rs->buffers);
    for (size_t i = 0; i < isf->n_passes; i++) {
        const vt_isf_pass *p = &isf->passes[i];
        bool known = false;
        for (size_t k = 0; p->target && k < rs->buffer_count; k++) {
            if (strcmp(rs->buffers[k].name, p->target) == 0) {
                rs->buffers[k].persistent |= p->persistent;
                rs->buffers[k].is_float |= p->is_float;
                known = true;
            }
        }
        if (p->target && !known) {
            rs->buffers[rs->buffer_count++] = (vt_render_buffer){
                .name = p->target, .persistent = p->persistent, .is_float = p->is_float};
        }
    }
}

void vt_render_shaders_load(vt_renderer *r, const vt_scene *scene) {
    vt_render_shaders_free(r);
    r->shaders = vt_xcalloc(scene->layer_count + 1, sizeof *r->shaders);
    r->shader_count = scene->layer_count;
    for (size_t i = 0; i < scene->layer_count; i++) {
        const vt_layer *layer = &scene->layers[i];
        if (layer->type == VT_LAYER_SHADER && layer->shader && layer->shader->isf) {
            setup_layer(&r->shaders[i], layer);
            compile_layer(r, scene, i, &r->shader_diags);
        }
    }
    vt_diags_sort(&r->shader_diags);
}

double vt_renderer_shader_pixels(const vt_renderer *r) {
    return r->shader_pixels;
}

const vt_diags *vt_renderer_shader_problems(const vt_renderer *r) {
    return &r->shader_diags;
}

void vt_renderer_check_shaders(vt_renderer *r, const vt_scene *scene, vt_diags *diags) {
    /* the scene being shown keeps its shaders (a hot reload checks the next version) */
    vt_render_shader *shown = r->shaders;
    size_t shown_count = r->shader_count;
    vt_diags shown_diags = r->shader_diags;
    r->shaders = NULL;
    r->shader_count = 0;
    r->shader_diags = (vt_diags){0};
    vt_render_shaders_load(r, scene);
    for (size_t i = 0; i < r->shader_diags.count; i++) {
        const vt_diag *d = &r->shader_diags.items[i];
        vt_diags_add(diags, d->level, d->path, d->line, d->col, "%s", d->message);
    }
    vt_render_shaders_free(r);
    r->shaders = shown;
    r->shader_count = shown_count;
    r->shader_diags = shown_diags;
}

/* ---- drawing ---- */

static bool make_target(GLuint *tex, GLuint *fbo, int w, int h, bool is_float) {
    glGenTextures(1, tex);
    glBindTexture(GL_TEXTURE_2D, *tex);
    glTexImage2D(GL_TEXTURE_2D, 0, is_float ? GL_RGBA32F : GL_RGBA8, w, h, 0, GL_RGBA,
                 is_float ? GL_FLOAT : GL_UNSIGNED_BYTE, NULL);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glGenFramebuffers(1, fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, *fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, *tex, 0);
    bool ok = glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
    glClearColor(0, 0, 0, 0);
    glClear(GL_COLOR_BUFFER_BIT);
    return ok;
}

/* A buffer at w x h (both textures): made again when the size changes (the render scale moved,
 * the layer was resized); a persistent one keeps its picture, resampled to the new size. */
static bool ensure_buffer(vt_render_buffer *b, int w, int h) {
    if (b->tex[0] && b->w == w && b->h == h) {
        return true;
    }
    vt_render_buffer old = *b;
    *b = (vt_render_buffer){.name = old.name,
                            .persistent = old.persistent,
                            .is_float = old.is_float,
                            .loc = old.loc,
                            .loc_size = old.loc_size};
    bool ok = make_target(&b->tex[0], &b->fbo[0], w, h, b->is_float) &&
              make_target(&b->tex[1], &b->fbo[1], w, h, b->is_float);
    b->w = w;
    b->h = h;
    if (ok && old.persistent && old.tex[0]) {
        glBindFramebuffer(GL_READ_FRAMEBUFFER, old.fbo[old.cur]);
        glBindFramebuffer(GL_DRAW_FRAMEBUFFER, b->fbo[0]);
        glBlitFramebuffer(0, 0, old.w, old.h, 0, 0, w, h, GL_COLOR_BUFFER_BIT, GL_LINEAR);
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
    }
    free_buffer_gpu(&old);
    return ok;
}

static void ensure_image_tex(vt_render_image *im) {
    if (im->tex || !im->img.pixels) {
        return;
    }
    glGenTextures(1, &im->tex);
    glBindTexture(GL_TEXTURE_2D, im->tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, im->img.width, im->img.height, 0, GL_RGBA,
                 GL_UNSIGNED_BYTE, im->img.pixels);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
}

typedef struct input_vars {
    const vt_isf *isf;
    const double *values;
} input_vars;

static bool lookup_input(void *user, const char *name, size_t len, double *out) {
    const input_vars *iv = user;
    for (size_t i = 0; i < iv->isf->n_inputs; i++) {
        const char *n = iv->isf->inputs[i].name;
        if (strlen(n) == len && strncmp(n, name, len) == 0 && iv->values) {
            *out = iv->values[i * 4];
            return true;
        }
    }
    return false;
}

/* The frame so far under the layer's box, un-premultiplied, into rs->below (w x h). */
static void grab_below(vt_renderer *r, const vt_scene *scene, vt_render_shader *rs,
                       const vt_layer_props *p, int w, int h) {
    const vt_render_rect *c = &r->canvas;
    if (!r->grab_tex || r->grab_w != c->w || r->grab_h != c->h) {
        delete_tex(&r->grab_tex);
        glGenTextures(1, &r->grab_tex);
        glBindTexture(GL_TEXTURE_2D, r->grab_tex);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, c->w, c->h, 0, GL_RGBA, GL_UNSIGNED_BYTE, NULL);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        r->grab_w = c->w;
        r->grab_h = c->h;
    }
    glBindFramebuffer(GL_FRAMEBUFFER, r->fbo);
    glBindTexture(GL_TEXTURE_2D, r->grab_tex);
    glCopyTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, c->x, c->y, c->w, c->h);
    if (!rs->below.tex[0] || rs->below.w != w || rs->below.h != h) {
        delete_tex(&rs->below.tex[0]);
        delete_fbo(&rs->below.fbo[0]);
        make_target(&rs->below.tex[0], &rs->below.fbo[0], w, h, false);
        rs->below.w = w;
        rs->below.h = h;
    }
    /* The box's corners in the grab's uv (y up): bottom-left is the box's (0, 1). */
    double pts[3][2];
    const double corner[3][2] = {{0, 1}, {1, 1}, {0, 0}};
    for (int k = 0; k < 3; k++) {
        double bw = p->size.x * p->scale.x, bh = p->size.y * p->scale.y;
        double dx = (corner[k][0] - p->anchor.x) * bw, dy = (corner[k][1] - p->anchor.y) * bh;
        double rad = p->rotation * (M_PI / 180.0), cs = cos(rad), sn = sin(rad);
        double x = p->position.x + dx * cs - dy * sn, y = p->position.y + dx * sn + dy * cs;
        pts[k][0] = x / scene->width;
        pts[k][1] = 1.0 - y / scene->height;
    }
    const vt_render_below_program *bp = &r->below_program;
    glBindFramebuffer(GL_FRAMEBUFFER, rs->below.fbo[0]);
    glViewport(0, 0, w, h);
    glUseProgram(bp->id);
    glUniform2f(bp->origin, -1, -1);
    glUniform2f(bp->axis_x, 2, 0);
    glUniform2f(bp->axis_y, 0, 2);
    glUniform2f(bp->uv0, 0, 0);
    glUniform2f(bp->uv1, 1, 1);
    glUniform2f(bp->o, (float)pts[0][0], (float)pts[0][1]);
    glUniform2f(bp->ax, (float)(pts[1][0] - pts[0][0]), (float)(pts[1][1] - pts[0][1]));
    glUniform2f(bp->ay, (float)(pts[2][0] - pts[0][0]), (float)(pts[2][1] - pts[0][1]));
    glBindTexture(GL_TEXTURE_2D, r->grab_tex);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
}

static vt_status ensure_below_program(vt_renderer *r) {
    if (r->below_program.id) {
        return VT_OK;
    }
    vt_error err = {0};
    vt_render_below_program *bp = &r->below_program;
    vt_status st =
        vt_render_build_program(vt_glsl_layer_vert, vt_glsl_shader_below_frag, &bp->id, &err);
    if (st != VT_OK) {
        vt_log(VT_LOG_ERROR, "render", "%s", err.message);
        return st;
    }
    bp->origin = glGetUniformLocation(bp->id, "u_origin");
    bp->axis_x = glGetUniformLocation(bp->id, "u_axis_x");
    bp->axis_y = glGetUniformLocation(bp->id, "u_axis_y");
    bp->uv0 = glGetUniformLocation(bp->id, "u_uv0");
    bp->uv1 = glGetUniformLocation(bp->id, "u_uv1");
    bp->o = glGetUniformLocation(bp->id, "u_o");
    bp->ax = glGetUniformLocation(bp->id, "u_ax");
    bp->ay = glGetUniformLocation(bp->id, "u_ay");
    glUseProgram(bp->id);
    glUniform1i(glGetUniformLocation(bp->id, "u_tex"), 0);
    return VT_OK;
}

/* Binds a sampler to the next texture unit, with its size. */
static void bind_sampler(GLint loc, GLint loc_size, GLuint tex, int w, int h, int *unit) {
    if (loc < 0 && loc_size < 0) {
        return;
    }
    glActiveTexture(GL_TEXTURE0 + (GLenum)*unit);
    glBindTexture(GL_TEXTURE_2D, tex);
    glUniform1i(loc, *unit);
    glUniform2f(loc_size, (float)w, (float)h);
    (*unit)++;
}

static void set_inputs(vt_render_shader *rs, const vt_layer *layer, const double *values, int w,
                       int h, int *unit) {
    const vt_isf *isf = layer->shader->isf;
    for (size_t i = 0; i < isf->n_inputs; i++) {
        const vt_isf_input *in = &isf->inputs[i];
        const double *v = values ? values + i * 4 : layer->shader->inputs[i].v;
        GLint loc = rs->inputs[i].loc;
        switch (in->type) {
        case VT_ISF_FLOAT:
            glUniform1f(loc, (float)v[0]);
            break;
        case VT_ISF_LONG:
            glUniform1i(loc, (int)lround(v[0]));
            break;
        case VT_ISF_BOOL:
        case VT_ISF_EVENT:
            glUniform1i(loc, v[0] != 0);
            break;
        case VT_ISF_COLOR:
            glUniform4f(loc, (float)(v[0] / 255), (float)(v[1] / 255), (float)(v[2] / 255),
                        (float)(v[3] / 255));
            break;
        case VT_ISF_POINT2D: {
            bool px = vt_isf_point_in_pixels(in);
            glUniform2f(loc, (float)(v[0] * (px ? w : 1)), (float)((1 - v[1]) * (px ? h : 1)));
            break;
        }
        case VT_ISF_IMAGE: {
            const vt_shader_input *si = &layer->shader->inputs[i];
            vt_render_image *im = &rs->inputs[i];
            GLuint tex = 0;
            int tw = 1, th = 1;
            if (si->image == VT_SHADER_IMAGE_BELOW) {
                tex = rs->below.tex[0];
                tw = rs->below.w;
                th = rs->below.h;
            } else if (si->image == VT_SHADER_IMAGE_FILE) {
                ensure_image_tex(im);
                tex = im->tex;
                tw = im->img.width;
                th = im->img.height;
            } else if (si->image == VT_SHADER_IMAGE_LAYER) {
                tex = im->shown;
                tw = im->shown_w;
                th = im->shown_h;
            }
            bind_sampler(in->name ? rs->inputs[i].loc : -1, rs->inputs[i].loc_size, tex, tw, th,
                         unit);
            break;
        }
        default:
            break;
        }
    }
}

/* Inputs that name another layer: a shader layer's picture (as last drawn), or an image layer's
 * texture made straight and y up once through the `below` program; other layers are not
 * pictures a shader can read yet (transparent, said once). */
static void prepare_layer_inputs(vt_renderer *r, const vt_scene *scene, size_t index) {
    const vt_layer *layer = &scene->layers[index];
    vt_render_shader *rs = &r->shaders[index];
    for (size_t i = 0; i < rs->input_count; i++) {
        const vt_shader_input *si = &layer->shader->inputs[i];
        vt_render_image *im = &rs->inputs[i];
        if (layer->shader->isf->inputs[i].type != VT_ISF_IMAGE ||
            si->image != VT_SHADER_IMAGE_LAYER || si->layer >= scene->layer_count) {
            continue;
        }
        const vt_layer *other = &scene->layers[si->layer];
        const vt_render_texture *t = vt_render_texture_of(r, si->layer);
        im->shown = 0;
        if (other->type == VT_LAYER_SHADER && si->layer < r->shader_count &&
            r->shaders[si->layer].out.tex[0]) {
            const vt_render_buffer *o = &r->shaders[si->layer].out;
            im->shown = o->tex[0];
            im->shown_w = o->w;
            im->shown_h = o->h;
        } else if (other->type == VT_LAYER_IMAGE && t && t->id) {
            if (!im->conv) {
                make_target(&im->conv, &im->conv_fbo, t->width, t->height, false);
                const vt_render_below_program *bp = &r->below_program;
                glViewport(0, 0, t->width, t->height);
                glUseProgram(bp->id);
                glUniform2f(bp->origin, -1, -1);
                glUniform2f(bp->axis_x, 2, 0);
                glUniform2f(bp->axis_y, 0, 2);
                glUniform2f(bp->uv0, 0, 0);
                glUniform2f(bp->uv1, 1, 1);
                glUniform2f(bp->o, 0, 1); /* its first row is the top: flip it */
                glUniform2f(bp->ax, 1, 0);
                glUniform2f(bp->ay, 0, -1);
                glActiveTexture(GL_TEXTURE0);
                glBindTexture(GL_TEXTURE_2D, t->id);
                glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
            }
            im->shown = im->conv;
            im->shown_w = t->width;
            im->shown_h = t->height;
        } else if (!im->warned && other->type != VT_LAYER_SHADER) {
            im->warned = true;
            vt_log(VT_LOG_WARN, "render",
                   "layer '%s': input '%s' names layer '%s', which is not an image or shader "
                   "layer; it reads as transparent",
                   layer->id, layer->shader->isf->inputs[i].name, other->id);
        }
    }
}

static bool needs_below(const vt_layer *layer) {
    const vt_isf *isf = layer->shader->isf;
    for (size_t i = 0; i < isf->n_inputs; i++) {
        if (isf->inputs[i].type == VT_ISF_IMAGE &&
            layer->shader->inputs[i].image == VT_SHADER_IMAGE_BELOW) {
            return true;
        }
    }
    return false;
}

static void set_time(vt_render_shader *rs, const vt_scene *scene, const vt_draw_item *item, int w,
                     int h) {
    double t = vt_ticks_to_seconds(item->shader_time);
    double dt = 1.0 / (scene->fps > 0 ? scene->fps : 60);
    if (rs->has_last && item->shader_time > rs->last_time) {
        dt = vt_ticks_to_seconds(item->shader_time - rs->last_time);
    }
    rs->last_time = item->shader_time;
    rs->has_last = true;
    rs->timedelta = dt;
    glUniform1f(rs->loc.time, (float)t);
    glUniform1f(rs->loc.timedelta, (float)dt);
    glUniform1i(rs->loc.frameindex, (int)item->frame);
    glUniform4f(rs->loc.date, (float)item->date[0], (float)item->date[1], (float)item->date[2],
                (float)item->date[3]);
    glUniform1f(rs->loc.itime, (float)t);
    glUniform1f(rs->loc.itimedelta, (float)dt);
    glUniform1i(rs->loc.iframe, (int)item->frame);
    glUniform4f(rs->loc.idate, (float)item->date[0], (float)item->date[1], (float)item->date[2],
                (float)item->date[3]);
    /* Shadertoy: xy where the pointer is (while down), zw where it landed; z < 0 once up. */
    const double *m = item->mouse;
    double z = m[2] * w, wv = m[3] * h;
    if (!item->mouse_down) {
        z = -z;
    }
    glUniform4f(rs->loc.imouse, (float)(m[0] * w), (float)(m[1] * h), (float)z, (float)wv);
}

/* Runs every pass; any without TARGET draws into rs->out, and the last one ends there (drawn
 * into its TARGET, then copied). */
static bool run_passes(const vt_scene *scene, const vt_draw_item *item, vt_render_shader *rs, int w,
                       int h, double *pixels) {
    const vt_layer *layer = &scene->layers[item->layer];
    const vt_isf *isf = layer->shader->isf;
    if (!rs->out.tex[0] || rs->out.w != w || rs->out.h != h) {
        delete_tex(&rs->out.tex[0]);
        delete_fbo(&rs->out.fbo[0]);
        make_target(&rs->out.tex[0], &rs->out.fbo[0], w, h, false);
        rs->out.w = w;
        rs->out.h = h;
    }
    input_vars iv = {isf, item->inputs};
    for (size_t b = 0; b < rs->buffer_count; b++) {
        if (!rs->buffers[b].persistent && rs->buffers[b].tex[0]) {
            for (int k = 0; k < 2; k++) {
                glBindFramebuffer(GL_FRAMEBUFFER, rs->buffers[b].fbo[k]);
                glClearColor(0, 0, 0, 0);
                glClear(GL_COLOR_BUFFER_BIT);
            }
        }
    }
    /* every buffer sized before the first pass, so each reads a buffer of its own size */
    for (size_t i = 0; i < isf->n_passes; i++) {
        const char *t = isf->passes[i].target;
        for (size_t b = 0; t && b < rs->buffer_count; b++) {
            if (strcmp(rs->buffers[b].name, t) == 0) {
                int pw, ph;
                vt_isf_pass_size(isf, i, w, h, lookup_input, &iv, &pw, &ph);
                if (!ensure_buffer(&rs->buffers[b], pw, ph)) {
                    return false;
                }
            }
        }
    }
    glUseProgram(rs->prog);
    set_time(rs, scene, item, w, h);
    for (size_t i = 0; i < isf->n_passes; i++) {
        const vt_isf_pass *pass = &isf->passes[i];
        vt_render_buffer *dst = NULL;
        for (size_t b = 0; pass->target && b < rs->buffer_count; b++) {
            if (strcmp(rs->buffers[b].name, pass->target) == 0) {
                dst = &rs->buffers[b];
            }
        }
        int pw = dst ? dst->w : w, ph = dst ? dst->h : h;
        int unit = 0;
        set_inputs(rs, layer, item->inputs, w, h, &unit);
        for (size_t b = 0; b < rs->buffer_count; b++) {
            const vt_render_buffer *rb = &rs->buffers[b];
            bind_sampler(rb->loc, rb->loc_size, rb->tex[rb->cur], rb->w, rb->h, &unit);
        }
        for (size_t k = 0; k < rs->imported_count; k++) {
            vt_render_image *im = &rs->imported[k];
            ensure_image_tex(im);
            bind_sampler(im->loc, im->loc_size, im->tex, im->img.width, im->img.height, &unit);
        }
        glUniform1i(rs->loc.passindex, (int)i);
        glUniform2f(rs->loc.rendersize, (float)pw, (float)ph);
        glUniform3f(rs->loc.ires, (float)pw, (float)ph, 1.0f);
        glBindFramebuffer(GL_FRAMEBUFFER, dst ? dst->fbo[1 - dst->cur] : rs->out.fbo[0]);
        glViewport(0, 0, pw, ph);
        glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
        *pixels += (double)pw * ph;
        if (dst) {
            dst->cur = 1 - dst->cur;
        }
        /* The last pass is the layer's picture even when it has a TARGET (as in ISF: Life.fs
         * keeps its only pass in a persistent buffer and shows it): copied out of the buffer. */
        if (dst && i + 1 == isf->n_passes) {
            glBindFramebuffer(GL_READ_FRAMEBUFFER, dst->fbo[dst->cur]);
            glBindFramebuffer(GL_DRAW_FRAMEBUFFER, rs->out.fbo[0]);
            glBlitFramebuffer(0, 0, dst->w, dst->h, 0, 0, w, h, GL_COLOR_BUFFER_BIT, GL_LINEAR);
            *pixels += (double)w * h;
        }
    }
    glActiveTexture(GL_TEXTURE0);
    return true;
}

bool vt_render_shader_draw(vt_renderer *r, const vt_scene *scene, const vt_draw_item *item,
                           double target_per_canvas) {
    if (item->layer >= r->shader_count || !r->shaders[item->layer].used) {
        return false;
    }
    const vt_layer *layer = &scene->layers[item->layer];
    vt_render_shader *rs = &r->shaders[item->layer];
    if (!rs->prog && !rs->failed && !compile_layer(r, scene, item->layer, NULL)) {
        return false;
    }
    if (rs->failed || ensure_below_program(r) != VT_OK) {
        return false;
    }
    const vt_layer_props *p = &item->props;
    double res = layer->shader->resolution;
    int w = (int)lround(fabs(p->size.x) * target_per_canvas * res);
    int h = (int)lround(fabs(p->size.y) * target_per_canvas * res);
    w = w < 1 ? 1 : w > VT_ISF_MAX_SIZE ? VT_ISF_MAX_SIZE : w;
    h = h < 1 ? 1 : h > VT_ISF_MAX_SIZE ? VT_ISF_MAX_SIZE : h;
    glDisable(GL_BLEND);
    glDisable(GL_SCISSOR_TEST);
    if (needs_below(layer)) {
        grab_below(r, scene, rs, p, w, h);
        r->shader_pixels += (double)w * h;
    }
    glBindVertexArray(r->vao);
    prepare_layer_inputs(r, scene, item->layer);
    bool ok = run_passes(scene, item, rs, w, h, &r->shader_pixels);
    /* back to compositing into the frame */
    glBindFramebuffer(GL_FRAMEBUFFER, r->fbo);
    const vt_render_rect *c = &r->canvas;
    glViewport(c->x, c->y, c->w, c->h);
    glScissor(c->x, c->y, c->w, c->h);
    glEnable(GL_SCISSOR_TEST);
    glEnable(GL_BLEND);
    glUseProgram(r->program.id);
    glActiveTexture(GL_TEXTURE0);
    if (ok) {
        glBindTexture(GL_TEXTURE_2D, rs->out.tex[0]);
    }
    return ok;
}
