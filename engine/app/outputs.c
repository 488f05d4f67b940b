/* Projection outputs as play and render find them: the operator config's `outputs:` when it has
 * some, else the scene's (the artist's default), checked against the scene's canvas. */
#include "app/app_internal.h"

#include <stdlib.h>
#include <string.h>

vt_status vt_app_outputs_load(vt_app_outputs *ao, const char *config_path, const vt_scene *scene) {
    *ao = (vt_app_outputs){0};
    vt_diags diags = {0};
    vt_status st = VT_OK;
    if (config_path) {
        st = vt_config_load(config_path, &ao->cfg, &diags);
        if (st == VT_E_NOINPUT && diags.count == 0) {
            vt_diags_add(&diags, VT_DIAG_ERROR, config_path, 0, 0, "cannot read the config");
        }
    }
    if (st == VT_OK) {
        vt_settings_resolve(&ao->set, &ao->cfg, scene);
        ao->list = ao->set.outputs && ao->set.outputs->count > 0 ? ao->set.outputs : NULL;
        ao->path = ao->set.outputs_path;
        if (ao->list && ao->list == &ao->cfg.outputs) {
            vt_outputs_check_canvas(ao->list, ao->path, scene->width, scene->height, &diags);
            st = diags.errors > 0 ? VT_E_DATAERR : VT_OK;
        }
    }
    vt_diags_sort(&diags);
    vt_diags_print(&diags, stderr);
    vt_diags_free(&diags);
    if (st != VT_OK) {
        vt_app_outputs_free(ao);
    }
    return st;
}

const vt_output *vt_app_outputs_find(const vt_app_outputs *ao, const char *id) {
    const vt_output *o = vt_outputs_find(ao->list, id);
    if (o) {
        return o;
    }
    if (!ao->list) {
        fprintf(stderr,
                "vitrine: --output %s: no outputs are declared; add 'outputs:' to the config "
                "(--config FILE) or to the scene (docs/projection.md)\n",
                id);
        return NULL;
    }
    const char *names[VT_OUTPUT_MAX];
    char list[400] = "";
    size_t n = 0;
    for (size_t i = 0; i < ao->list->count && i < VT_OUTPUT_MAX; i++) {
        names[n++] = ao->list->items[i].id;
    }
    vt_join_names(names, n, list, sizeof list);
    const char *near = vt_did_you_mean(id, names, n);
    fprintf(stderr, "vitrine: --output: no output '%s' in %s%s%s%s; its outputs are: %s\n", id,
            ao->path ? ao->path : "the outputs", near ? " (did you mean '" : "", near ? near : "",
            near ? "'?)" : "", list);
    return NULL;
}

void vt_app_outputs_free(vt_app_outputs *ao) {
    vt_config_free(&ao->cfg);
    *ao = (vt_app_outputs){0};
}
