/* Private to the image decoders: the format back-ends (image_png.c, image_jpeg.c) and the
 * shared limit check they call before allocating anything. */
#ifndef VT_IMAGE_INTERNAL_H
#define VT_IMAGE_INTERNAL_H

#include "io/vt_image.h"

/* Limits with every 0 replaced by its default. */
vt_image_limits vt_image_limits_resolve(const vt_image_limits *limits);

/* VT_OK when a width x height image fits `lim` (already resolved); otherwise VT_E_DATAERR with
 * a message naming the file and the limit. `format` is "PNG" or "JPEG". */
vt_status vt_image_check_limits(const char *name, const char *format, uint64_t width,
                                uint64_t height, const vt_image_limits *lim, vt_error *err);

/* Decoders from memory. `lim` is resolved; on failure *out is left empty. */
vt_status vt_image_png_decode(const uint8_t *data, size_t len, const char *name,
                              const vt_image_limits *lim, vt_image *out, vt_error *err);
vt_status vt_image_jpeg_decode(const uint8_t *data, size_t len, const char *name,
                               const vt_image_limits *lim, vt_image *out, vt_error *err);

/* Header-only reads. PNG: the first bytes of the file (IHDR is the first chunk); JPEG: the
 * open file, read only as far as the frame header. */
vt_status vt_image_png_probe(const uint8_t *data, size_t len, const char *name,
                             const vt_image_limits *lim, vt_image_info *out, vt_error *err);
vt_status vt_image_jpeg_probe(FILE *file, const char *name, const vt_image_limits *lim,
                              vt_image_info *out, vt_error *err);

#endif
