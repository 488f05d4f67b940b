/* `vitrine check SCENE...`: validates scene files without a window and prints every problem. */
#include "app/vt_app.h"
#include "audio/vt_audio.h"
#include "scene/vt_scene.h"

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

int vt_cmd_check(const vt_options *opts) {
    int rc = VT_OK;
    size_t invalid = 0;
    for (size_t i = 0; i < opts->input_count; i++) {
        vt_diags diags = {0};
        vt_scene *scene = NULL;
        vt_status st = vt_scene_load(opts->inputs[i], VT_SCENE_STRICT_ASSETS, &scene, &diags);
        if (st == VT_OK) {
            st = check_sounds(scene, &diags);
        }
        vt_diags_print(&diags, stderr);
        if (st == VT_OK && !opts->quiet) {
            printf("%s: ok (%zu layer%s%s)\n", opts->inputs[i], scene->layer_count,
                   scene->layer_count == 1 ? "" : "s", diags.warnings ? ", with warnings" : "");
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
    if (invalid > 0 && opts->input_count > 1 && !opts->quiet) {
        fprintf(stderr, "vitrine: %zu of %zu scene files have errors\n", invalid,
                opts->input_count);
    }
    return rc;
}
