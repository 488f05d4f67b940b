/* Planning the tiles of an image larger than the GPU's texture limit (vt_image_tiling_plan). */
#include "io/vt_image.h"

vt_status vt_image_tiling_plan(const char *name, int width, int height, int max_side,
                               vt_image_tiling *out, vt_error *err) {
    *out = (vt_image_tiling){.cols = 1, .rows = 1, .border = 1};
    if (width < 1 || height < 1 || max_side < 1) {
        return VT_FAIL(err, VT_E_DATAERR,
                       "%s: cannot plan a %dx%d image under a texture limit of %d", name, width,
                       height, max_side);
    }
    int k = 0;
    while ((width >> k) > max_side || (height >> k) > max_side) {
        k++;
    }
    out->overview_w = width >> k > 0 ? width >> k : 1;
    out->overview_h = height >> k > 0 ? height >> k : 1;
    if (k == 0) {
        return VT_OK;
    }
    int border = 1 << k;
    int step = (max_side - 2 * border) / border * border;
    if (step < border) {
        /* The largest K whose tiles fit (2^K <= max_side / 3), and the side it reaches. */
        int kmax = 0;
        while ((2 << kmax) <= max_side / 3) {
            kmax++;
        }
        long long most = ((long long)max_side + 1) * (1LL << kmax) - 1;
        return VT_FAIL(err, VT_E_DATAERR,
                       "%s: image is %dx%d pixels, more than can be drawn in tiles under the GPU's "
                       "texture limit of %d pixels a side (at most %lld a side); scale it down",
                       name, width, height, max_side, most);
    }
    out->levels = k;
    out->border = border;
    out->step = step;
    out->cols = (width + step - 1) / step;
    out->rows = (height + step - 1) / step;
    return VT_OK;
}
