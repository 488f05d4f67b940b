/* libFuzzer target for projection meshes (Wavefront OBJ, `warp: {mesh: FILE}`): any bytes must
 * be accepted or refused with diagnostics, never crash, hang or leak. Build: see fuzz/fuzz.cmake.
 */
#include "scene/vt_output.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    vt_diags diags = {0};
    vt_warp_vertex *tris = NULL;
    size_t n = 0;
    vt_obj_parse((const char *)data, size, "wall.obj", &tris, &n, &diags);
    free(tris);
    vt_diags_free(&diags);
    return 0;
}
