/* Shader layers in the renderer: the pixels their passes cost (for the energy model) at two
 * render scales, a GL context rebuild (persistent buffers start again, the layer still draws),
 * the #version chosen per file and context, and every test shader compiling through the
 * core-profile translation (as on a driver that offers no compatibility context). */
#include "platform/vt_platform.h"
#include "render/render_internal.h"
#include "scene/vt_scene.h"

#include "vt_test.h"

#include "render_util.h"

static vt_scene *load(const char *path) {
    vt_diags d = {0};
    vt_scene *s = NULL;
    vt_scene_load(path, 0, &s, &d);
    vt_diags_print(&d, stderr);
    vt_diags_free(&d);
    return s;
}

static void draw(vt_renderer *r, const vt_scene *s, vt_ticks t, double scale) {
    vt_draw_item item = {.layer = 0,
                         .props = s->layers[0].props,
                         .shader_time = t,
                         .frame = t * s->fps / VT_TICKS_PER_SEC};
    vt_renderer_draw(r, s, &item, 1, scale);
}

/* feedback.fs at 64 x 36: a quarter-size persistent pass (16 x 9) then the picture (64 x 36). */
static void test_pixels_and_rebuild(void) {
    vt_scene *s = load("shaders/feedback.yaml");
    vt_renderer *r = NULL;
    vt_error err = {0};
    vt_renderer_desc desc = {64, 36};
    VT_CHECK(s != NULL);
    if (!s || vt_renderer_create(&desc, &r, &err) != VT_OK) {
        fprintf(stderr, "%s\n", err.message);
        VT_CHECK(false);
        vt_scene_destroy(s);
        return;
    }
    VT_CHECK_INT(vt_renderer_load_scene(r, s, &err), VT_OK);
    VT_CHECK_INT(vt_renderer_shader_problems(r)->errors, 0);
    draw(r, s, 0, 1.0);
    VT_CHECK_NEAR(vt_renderer_shader_pixels(r), 16 * 9 + 64 * 36, 0);
    /* at half scale: 32 x 18, its pass floor(32 / 4) x floor(max(18 / 4, 1)) = 8 x 4 */
    draw(r, s, VT_TICKS_PER_SEC / 10, 0.5);
    VT_CHECK_NEAR(vt_renderer_shader_pixels(r), 8 * 4 + 32 * 18, 0);
    /* a rebuilt context: the shader compiles again and the layer draws (the buffer restarts) */
    VT_CHECK_INT(vt_renderer_rebuild_gpu(r, &err), VT_OK);
    draw(r, s, 2 * VT_TICKS_PER_SEC / 10, 1.0);
    VT_CHECK_NEAR(vt_renderer_shader_pixels(r), 16 * 9 + 64 * 36, 0);
    vt_frame_pixels f = {0};
    vt_renderer_read_start(r, 0);
    VT_CHECK_INT(vt_renderer_read_finish(r, 0, &f, &err), VT_OK);
    /* the second pass shows x in green: the right edge is green, whatever the buffer holds */
    VT_CHECK(vt_px(&f, 63, 18)[1] > 200);
    free(f.rgba);
    vt_renderer_destroy(r);
    vt_scene_destroy(s);
}

/* mirror.fs reads a varying its own mirror.vs sets: red falls from left to right. */
static void test_vertex_shader(void) {
    vt_scene *s = load("shaders/mirror.yaml");
    vt_renderer *r = NULL;
    vt_error err = {0};
    vt_renderer_desc desc = {64, 36};
    VT_CHECK(s && s->layers[0].shader->vertex != NULL);
    if (!s || vt_renderer_create(&desc, &r, &err) != VT_OK) {
        VT_CHECK(false);
        vt_scene_destroy(s);
        return;
    }
    VT_CHECK_INT(vt_renderer_load_scene(r, s, &err), VT_OK);
    VT_CHECK_INT(vt_renderer_shader_problems(r)->errors, 0);
    vt_diags_print(vt_renderer_shader_problems(r), stderr);
    draw(r, s, 0, 1.0);
    vt_frame_pixels f = {0};
    vt_renderer_read_start(r, 0);
    VT_CHECK_INT(vt_renderer_read_finish(r, 0, &f, &err), VT_OK);
    VT_CHECK(vt_px(&f, 1, 18)[0] > 240 && vt_px(&f, 62, 18)[0] < 15);
    free(f.rgba);
    /* a vertex shader that does not compile is reported on its own lines */
    free(s->layers[0].shader->vertex);
    s->layers[0].shader->vertex = vt_xstrdup("void main() {\n    isf_vertShaderInit();\n"
                                             "    mirored = vec2(0.0);\n}\n");
    VT_CHECK_INT(vt_renderer_load_scene(r, s, &err), VT_OK);
    const vt_diags *d = vt_renderer_shader_problems(r);
    VT_CHECK(d->errors >= 1); /* Mesa adds a second message on the same line */
    VT_CHECK(d->count >= 1 && strstr(d->items[0].path, "mirror.vs") && d->items[0].line == 3);
    VT_CHECK(d->count >= 1 && strstr(d->items[0].message, "mirored"));
    vt_renderer_destroy(r);
    vt_scene_destroy(s);
}

static void test_versions(void) {
    static const struct {
        const char *asked;
        bool core;
        const char *want;
    } cases[] = {
        {"", false, "#version 330 compatibility\n"},
        {"110", false, "#version 110\n"},
        {"120", false, "#version 120\n"},
        {"330", false, "#version 330 compatibility\n"},
        {"330 core", false, "#version 330 compatibility\n"},
        {"150", false, "#version 330 compatibility\n"},
        {"400", false, "#version 400 compatibility\n"},
        {"120", true, "#version 330 core\n#define VT_ISF_CORE 1\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[96];
        vt_render_isf_version(cases[i].asked, cases[i].core, out, sizeof out);
        VT_CHECK_STR(out, cases[i].want);
    }
}

/* Every test shader compiles as a driver with only a core profile would see it. */
static void test_core_translation(void) {
    static const char *const files[] = {
        "shaders/gradient.fs", "shaders/feedback.fs", "shaders/invert.fs", "shaders/all-inputs.fs",
        "shaders/legacy.fs",   "shaders/modern.fs",   "shaders/toy.fs"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        vt_diags d = {0};
        vt_isf *isf = NULL;
        VT_CHECK_INT(vt_isf_load(files[i], NULL, &isf, &d), VT_OK);
        if (!isf) {
            vt_diags_free(&d);
            continue;
        }
        char version[96];
        int lines = 0;
        vt_render_isf_version(isf->version, true, version, sizeof version);
        char *src = vt_render_isf_source(isf, version, &lines);
        GLuint sh = glCreateShader(GL_FRAGMENT_SHADER);
        const char *parts[] = {src};
        glShaderSource(sh, 1, parts, NULL);
        glCompileShader(sh);
        GLint ok = GL_FALSE;
        glGetShaderiv(sh, GL_COMPILE_STATUS, &ok);
        if (!ok) {
            char log[2048] = "";
            glGetShaderInfoLog(sh, sizeof log, NULL, log);
            fprintf(stderr, "%s (core):\n%s\n", files[i], log);
        }
        VT_CHECK(ok == GL_TRUE);
        glDeleteShader(sh);
        free(src);
        vt_isf_free(isf);
        vt_diags_free(&d);
    }
}

int main(void) {
    vt_error err = {0};
    if (vt_platform_init(true, &err) != VT_OK) {
        VT_SKIP("no video: %s", err.message);
        return vt_test_finish("test_render_shader");
    }
    vt_window *win = NULL;
    vt_window_desc wd = {.title = "test_render_shader", .width = 64, .height = 36, .hidden = true};
    if (vt_window_create(&wd, &win, &err) != VT_OK) {
        VT_SKIP("no OpenGL window: %s", err.message);
        vt_platform_quit();
        return vt_test_finish("test_render_shader");
    }
    test_versions();
    test_pixels_and_rebuild(); /* makes the renderer: GLEW is loaded from here on */
    test_vertex_shader();
    test_core_translation();
    vt_window_destroy(win);
    vt_platform_quit();
    return vt_test_finish("test_render_shader");
}
