/* `vitrine check SCENE...`: validates scene files without a window and prints every problem. */
#include "app/app_internal.h"
#include "audio/vt_audio.h"
#include "scene/vt_scene.h"
#include "text/vt_text.h"
#include "video/vt_video.h"

#include <string.h>

/* Sound files are decoded here, not by the scene module (which makes no audio calls): an
 * undecodable file is an error at the sound's line. */
static vt_status check_sounds(const vt_scene *scene, vt_diags *diags) {
    vt_status st = VT_OK;
    for (size_t i = 0; i < scene->sound_count; i++) {
        const vt_sound *s = &scene->sounds[i];
        vt_audio_info info;
        vt_error err = {0};
        if (s->src_path && vt_audio_probe(s->src_path, &info, &err) != VT_OK) {
            vt_diags_add(diags, VT_DIAG_ERROR, scene->path, s->line, s->col, "sound '%s': %s",
                         s->id, err.message);
            st = VT_E_DATAERR;
        }
    }
    return st;
}

/* Opens a film as render would and decodes its first picture (only that one). */
static vt_status first_picture(const char *path, vt_error *err) {
    vt_video *v = NULL;
    vt_status st = vt_video_open(path, &v, err);
    if (st == VT_OK) {
        const vt_video_frame *f = NULL;
        st = vt_video_frame_at(v, 0, &f, err);
    }
    vt_video_close(v);
    return st;
}

/* Each film probed as play and render would open it (container, codec, size, length) and its
 * first picture decoded, nothing more: a file that cannot be read, a codec this FFmpeg lacks or
 * cannot decode, or a picture over the texture limit is an error at its layer, with the ffmpeg
 * command line that fixes it. */
static vt_status check_film(const vt_scene *scene, const vt_layer *l, const char *src,
                            const char *path, int line, int col, vt_diags *diags) {
    vt_error err = {0};
    if (!path || first_picture(path, &err) == VT_OK) {
        return VT_OK;
    }
    /* The message names the film as the scene writes it, not by its resolved path. */
    size_t n = strlen(path);
    const char *msg = err.message;
    if (strncmp(msg, path, n) == 0 && strncmp(msg + n, ": ", 2) == 0) {
        msg += n + 2;
    }
    vt_diags_add(diags, VT_DIAG_ERROR, scene->path, line, col, "layer '%s': film '%s': %s", l->id,
                 src, msg);
    return VT_E_DATAERR;
}

static vt_status check_films(const vt_scene *scene, vt_diags *diags) {
    vt_status st = VT_OK;
    for (size_t i = 0; i < scene->layer_count; i++) {
        const vt_layer *l = &scene->layers[i];
        if (l->type != VT_LAYER_VIDEO) {
            continue;
        }
        if (check_film(scene, l, l->src, l->src_path, l->line, l->col, diags) != VT_OK) {
            st = VT_E_DATAERR;
        }
        for (size_t v = 0; v < l->variant_count; v++) { /* one film per language */
            const vt_text_variant *var = &l->variants[v];
            if (check_film(scene, l, var->src, var->src_path, var->line, var->col, diags) !=
                VT_OK) {
                st = VT_E_DATAERR;
            }
        }
    }
    return st;
}

/* Font families are looked up here (fontconfig), not by the scene module: a family this machine
 * does not have is an error at its layer, naming the font that would be used instead, so the
 * artist installs the font or fixes the name before the show goes to the kiosk. A font file is
 * opened with FreeType, as the renderer would: one it cannot read is an error too (render would
 * draw the default family instead). */
/* One font of a text layer (its own, or one written for a language). */
static vt_status check_font(vt_text_ctx *ctx, const vt_scene *scene, const vt_layer *l,
                            const char *family, const char *path, vt_diags *diags) {
    vt_error err = {0};
    vt_text_font_desc d = {
        .family = family, .path = path, .weight = l->text.weight, .italic = l->text.italic};
    uint32_t font;
    char warning[512] = "";
    if (vt_text_font_find(ctx, &d, &font, warning, sizeof warning, &err) != VT_OK) {
        vt_diags_add(diags, VT_DIAG_ERROR, scene->path, l->line, l->col, "layer '%s': %s", l->id,
                     err.message);
        return VT_E_DATAERR;
    } else if (warning[0] && d.path) {
        vt_diags_add(diags, VT_DIAG_ERROR, scene->path, l->line, l->col,
                     "layer '%s': %s; replace the file with a TrueType or OpenType font", l->id,
                     warning);
        return VT_E_DATAERR;
    } else if (warning[0]) {
        vt_diags_add(diags, VT_DIAG_ERROR, scene->path, l->line, l->col,
                     "layer '%s': %s; install the font or correct its name "
                     "(fc-list : family lists the installed ones)",
                     l->id, warning);
        return VT_E_DATAERR;
    }
    return VT_OK;
}

static vt_status check_fonts(const vt_scene *scene, vt_diags *diags) {
    vt_text_ctx *ctx = NULL;
    vt_status st = VT_OK;
    for (size_t i = 0; i < scene->layer_count; i++) {
        const vt_layer *l = &scene->layers[i];
        bool text = l->type == VT_LAYER_TEXT || l->type == VT_LAYER_CAPTIONS;
        if (!text || (!l->text.font && !l->text.font_path)) {
            continue;
        }
        vt_error err = {0};
        if (!ctx && vt_text_ctx_create(&ctx, &err) != VT_OK) {
            vt_diags_add(diags, VT_DIAG_WARNING, scene->path, 0, 0, "fonts were not checked: %s",
                         err.message);
            return VT_OK;
        }
        vt_status one = check_font(ctx, scene, l, l->text.font, l->text.font_path, diags);
        st = one != VT_OK ? one : st;
        for (size_t k = 0; k < l->text.lang_font_count; k++) {
            const vt_lang_font *lf = &l->text.lang_fonts[k];
            one = check_font(ctx, scene, l, lf->font, lf->font_path, diags);
            st = one != VT_OK ? one : st;
        }
    }
    vt_text_ctx_destroy(ctx);
    return st;
}

/* A hidden offscreen window and a renderer, opened for the first scene with shaders. */
typedef struct check_gl {
    bool tried;
    vt_window *win;
    vt_renderer *renderer;
    char why[1100]; /* why there is no GL, when tried and none */
} check_gl;

static bool has_shaders(const vt_scene *scene) {
    for (size_t i = 0; i < scene->layer_count; i++) {
        if (scene->layers[i].shader && scene->layers[i].shader->isf) {
            return true;
        }
    }
    return false;
}

/* Shaders are compiled as `render` compiles them: a shader that does not compile is an error on
 * its own line. With no GL here, a warning says they were not compiled, and the rest is checked. */
static vt_status check_shaders(const vt_scene *scene, check_gl *gl, vt_diags *diags) {
    if (!has_shaders(scene)) {
        return VT_OK;
    }
    if (!gl->tried) {
        gl->tried = true;
        vt_error err = {0};
        vt_window_desc wd = {.title = "vitrine check", .width = 64, .height = 64, .hidden = true};
        vt_renderer_desc rd = {.target_width = 64, .target_height = 64};
        vt_status st = vt_platform_init(true, &err);
        if (st == VT_OK && (st = vt_window_create(&wd, &gl->win, &err)) == VT_OK) {
            st = vt_renderer_create(&rd, &gl->renderer, &err);
        }
        if (st != VT_OK) {
            snprintf(gl->why, sizeof gl->why, "%s", err.message);
        }
    }
    if (!gl->renderer) {
        vt_diags_add(diags, VT_DIAG_WARNING, scene->path, 0, 0,
                     "shaders were not compiled (no OpenGL here: %s); their headers were "
                     "checked, compile them where the show runs",
                     gl->why);
        return VT_OK;
    }
    size_t before = diags->errors;
    vt_renderer_check_shaders(gl->renderer, scene, diags);
    return diags->errors > before ? VT_E_DATAERR : VT_OK;
}

static void check_gl_close(check_gl *gl) {
    vt_renderer_destroy(gl->renderer);
    vt_window_destroy(gl->win);
    if (gl->tried) {
        vt_platform_quit();
    }
}

/* "12.5 of 256 Mpx": how much of the scene's bound its images take. */
static void format_pixels(uint64_t total, char *out, size_t size) {
    snprintf(out, size, "images %.1f of %.0f Mpx", (double)total / 1048576.0,
             (double)VT_IMAGE_SCENE_MAX_PIXELS / 1048576.0);
}

/* One note when the scene's energy block will lower what visitors see: the attract caps (the
 * defaults, unless `attract: full`) and a budget. Not an error: the exit status stays. */
static void note_energy(const vt_scene *scene, FILE *out) {
    const vt_energy *en = &scene->energy;
    int fps_max = en->fps_max > 0 ? en->fps_max : scene->fps;
    bool caps_fps = !en->attract_full && en->attract_fps > 0 && en->attract_fps < fps_max;
    bool caps_scale = !en->attract_full && en->attract_scale > 0 && en->attract_scale < 1.0;
    bool lowers_fps = false, lowers_scale = false;
    for (size_t i = 0; i < en->degrade_count; i++) {
        lowers_fps |= en->degrade[i] == VT_ENERGY_FPS && en->fps_min < fps_max;
        lowers_scale |= en->degrade[i] == VT_ENERGY_SCALE && en->scale_min < 1.0;
    }
    bool budget = en->budget_watts > 0 && (lowers_fps || lowers_scale);
    if (!caps_fps && !caps_scale && !budget) {
        return;
    }
    char attract[160] = "", limit[200] = "";
    if (caps_fps || caps_scale) {
        char f[32] = "", s[32] = "";
        snprintf(f, sizeof f, "%d fps", en->attract_fps);
        snprintf(s, sizeof s, "scale %g", en->attract_scale);
        snprintf(attract, sizeof attract, "attract runs at %s%s%s (energy.attract)",
                 caps_fps ? f : "", caps_fps && caps_scale ? " and " : "", caps_scale ? s : "");
    }
    if (budget) {
        char f[48] = "", s[48] = "";
        snprintf(f, sizeof f, "the frame rate (to %d fps)", en->fps_min);
        snprintf(s, sizeof s, "the scale (to %g)", en->scale_min);
        snprintf(limit, sizeof limit,
                 "%sthe budget of %g W (energy.budget_watts) may lower %s%s%s in every state",
                 attract[0] ? ", and " : "", en->budget_watts, lowers_fps ? f : "",
                 lowers_fps && lowers_scale ? " and " : "", lowers_scale ? s : "");
    }
    char where[64] = "";
    if (en->line > 0) {
        snprintf(where, sizeof where, ":%d:%d", en->line, en->col);
    }
    fprintf(out,
            "%s%s: note: %s%s; render --governed%s shows what visitors will see; %s%s%s to "
            "keep full quality\n",
            scene->path, where, attract, limit, budget ? " --power-sensor model" : "",
            attract[0] ? "set energy: {attract: full}" : "", attract[0] && budget ? " and " : "",
            budget ? "raise or remove energy.budget_watts (an operator's config may set it too)"
                   : "");
}

/* `check --config FILE`: the operator config read as play reads it; its problems printed. */
static vt_status check_config(const vt_options *opts, vt_config *cfg) {
    if (!opts->config) {
        return VT_OK;
    }
    vt_diags diags = {0};
    vt_status st = vt_config_load(opts->config, cfg, &diags);
    vt_diags_sort(&diags);
    vt_diags_print(&diags, stderr);
    vt_diags_free(&diags);
    return st;
}

int vt_cmd_check(const vt_options *opts) {
    size_t invalid = 0;
    check_gl gl = {0};
    vt_config cfg = {0};
    int rc = check_config(opts, &cfg);
    for (size_t i = 0; i < opts->input_count; i++) {
        vt_diags diags = {0};
        vt_scene *scene = NULL;
        vt_status st = vt_scene_load(opts->inputs[i], VT_SCENE_STRICT_ASSETS, &scene, &diags);
        uint64_t pixels = 0;
        if (st == VT_OK && cfg.outputs.count > 0) {
            /* The room's outputs must fit this scene's canvas. */
            size_t before = diags.errors;
            vt_outputs_check_canvas(&cfg.outputs, cfg.path, scene->width, scene->height, &diags);
            st = diags.errors > before ? VT_E_DATAERR : VT_OK;
        }
        if (st == VT_OK) {
            /* Every image decoded in full, as play and render would: whatever they would warn
             * about (and draw as a checkerboard) is an error here. */
            vt_status images = vt_show_check_images(
                scene, VT_SHOW_IMAGES_STRICT | VT_SHOW_IMAGES_DECODE, &diags, &pixels);
            int max_texture =
                opts->max_texture > 0 ? (int)opts->max_texture : VT_SHOW_CHECK_MAX_TEXTURE;
            if (vt_show_check_tiles(scene, max_texture, &diags) != VT_OK) {
                images = VT_E_DATAERR;
            }
            vt_status sounds = check_sounds(scene, &diags), fonts = check_fonts(scene, &diags);
            vt_status shaders = check_shaders(scene, &gl, &diags);
            vt_status films = check_films(scene, &diags);
            st = images != VT_OK    ? images
                 : sounds != VT_OK  ? sounds
                 : fonts != VT_OK   ? fonts
                 : shaders != VT_OK ? shaders
                                    : films;
            vt_diags_sort(&diags);
        }
        vt_diags_print(&diags, stderr);
        char total[64];
        format_pixels(pixels, total, sizeof total);
        if (st == VT_OK && !opts->quiet) {
            printf("%s: ok (%zu layer%s, %s%s)\n", opts->inputs[i], scene->layer_count,
                   scene->layer_count == 1 ? "" : "s", total,
                   diags.warnings ? ", with warnings" : "");
            note_energy(scene, stderr);
        } else if (st != VT_OK) {
            invalid++;
        }
        /* A missing file (66) outranks an invalid one (65) in the exit status. */
        if (st == VT_E_NOINPUT || (st != VT_OK && rc == VT_OK)) {
            rc = st;
        }
        vt_scene_destroy(scene);
        vt_diags_free(&diags);
    }
    check_gl_close(&gl);
    vt_config_free(&cfg);
    if (invalid > 0 && opts->input_count > 1 && !opts->quiet) {
        fprintf(stderr, "vitrine: %zu of %zu scene files have errors\n", invalid,
                opts->input_count);
    }
    return rc;
}
