/* libFuzzer target for scene files: any bytes must be accepted or refused with diagnostics,
 * never crash, hang or leak. Build: see the command in the report or fuzz/fuzz.cmake. */
#include "scene/vt_scene.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    vt_diags diags = {0};
    vt_scene *scene = NULL;
    /* "scene.yaml" puts the asset folder at the working directory, so src paths reach
     * vt_path_confine's checks against real files. */
    vt_scene_load_string((const char *)data, size, "scene.yaml", 0, &scene, &diags);
    vt_scene_destroy(scene);
    vt_diags_free(&diags);
    return 0;
}
