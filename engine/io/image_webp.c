/* WebP through libwebp: still images (lossy, lossless, with or without alpha) decoded from
 * memory to RGBA8 under the same limits as PNG and JPEG. Animations are refused. */
#include "io/image_internal.h"

#include <stdlib.h>

#include <webp/decode.h>

static const char *webp_reason(VP8StatusCode code) {
    switch (code) {
    case VP8_STATUS_NOT_ENOUGH_DATA:
        return "the file is truncated";
    case VP8_STATUS_UNSUPPORTED_FEATURE:
        return "it uses a feature this decoder does not support";
    case VP8_STATUS_OUT_OF_MEMORY:
        return "out of memory";
    default:
        return "the data is damaged";
    }
}

/* The header's size and kind, checked against the limits: shared by probe and decode. */
static vt_status read_features(const uint8_t *data, size_t len, const char *name,
                               const vt_image_limits *lim, WebPBitstreamFeatures *f,
                               vt_error *err) {
    VP8StatusCode code = WebPGetFeatures(data, len, f);
    if (code != VP8_STATUS_OK) {
        return VT_FAIL(err, VT_E_DATAERR, "%s: not a valid WebP image: %s", name,
                       webp_reason(code));
    }
    if (f->has_animation) {
        return VT_FAIL(err, VT_E_DATAERR,
                       "%s: animated WebP images are not supported; export one frame as a "
                       "still image",
                       name);
    }
    return vt_image_check_limits(name, "WebP", (uint64_t)(f->width > 0 ? f->width : 0),
                                 (uint64_t)(f->height > 0 ? f->height : 0), lim, err);
}

vt_status vt_image_webp_probe(const uint8_t *head, size_t len, const char *name,
                              const vt_image_limits *lim, vt_image_info *out, vt_error *err) {
    WebPBitstreamFeatures f;
    vt_status s = read_features(head, len, name, lim, &f, err);
    if (s == VT_OK) {
        out->width = f.width;
        out->height = f.height;
    }
    return s;
}

vt_status vt_image_webp_decode(const uint8_t *data, size_t len, const char *name,
                               const vt_image_limits *lim, vt_image *out, vt_error *err) {
    *out = (vt_image){0};
    WebPBitstreamFeatures f;
    vt_status s = read_features(data, len, name, lim, &f, err);
    if (s != VT_OK) {
        return s;
    }
    size_t stride = (size_t)f.width * 4, size = stride * (size_t)f.height;
    uint8_t *pixels = vt_xmalloc(size);
    /* Straight (not premultiplied) RGBA, as vt_image holds it. */
    if (!WebPDecodeRGBAInto(data, len, pixels, size, (int)stride)) {
        free(pixels);
        return VT_FAIL(err, VT_E_DATAERR,
                       "%s: not a valid WebP image: the data is damaged or truncated", name);
    }
    out->width = f.width;
    out->height = f.height;
    out->pixels = pixels;
    return VT_OK;
}
