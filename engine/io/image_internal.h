/* Private to the image decoders: the format back-ends (image_png.c, image_jpeg.c, image_webp.c,
 * image_tiff.c), the shared limit check they call before allocating anything, and orientation
 * (image_exif.c). */
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

/* Bytes read at an offset from memory (data) or from an open file (fd >= 0): what the header
 * probes and the TIFF reader see, so that probe and decode share their code. */
typedef struct vt_image_source {
    const uint8_t *data;
    uint64_t len;
    int fd;
} vt_image_source;
/* Up to n bytes at off; returns how many were read (fewer at the end), -1 on a read error. */
int64_t vt_image_source_read(const vt_image_source *src, uint64_t off, void *buf, size_t n);

vt_status vt_image_webp_decode(const uint8_t *data, size_t len, const char *name,
                               const vt_image_limits *lim, vt_image *out, vt_error *err);
/* `head` is the first bytes of the file (at least 30 when it has them). */
vt_status vt_image_webp_probe(const uint8_t *head, size_t len, const char *name,
                              const vt_image_limits *lim, vt_image_info *out, vt_error *err);
/* TIFF: the first image of the file, any layout libtiff's RGBA reader takes; its Orientation
 * tag is honoured like EXIF's. */
vt_status vt_image_tiff_decode(const uint8_t *data, size_t len, const char *name,
                               const vt_image_limits *lim, vt_image *out, vt_error *err);
vt_status vt_image_tiff_probe(const vt_image_source *src, const char *name,
                              const vt_image_limits *lim, vt_image_info *out, vt_error *err);

/* EXIF orientation (1 to 8, as the TIFF/EXIF tag 0x0112 counts them; 1 is "as stored"). */
/* From an EXIF block: "Exif\0\0" and a TIFF header (JPEG's APP1), or the TIFF header alone
 * (PNG's eXIf) when `bare`; 1 when absent, unreadable or out of range. */
int vt_image_exif_orientation(const uint8_t *exif, size_t len, bool bare);
/* A PNG's orientation: from its first eXIf chunk before IDAT (where the PNG specification puts
 * it; one after the pixels is ignored), 1 when there is none. Reads chunk headers only. */
int vt_image_png_orientation(const vt_image_source *src);
/* A WebP's orientation: from its EXIF chunk when its VP8X chunk says it has one, 1 otherwise.
 * Reads chunk headers only. */
int vt_image_webp_orientation(const vt_image_source *src);
/* The size an image of w x h stored pixels shows at: sides swapped for orientations 5 to 8. */
void vt_image_oriented_size(int orientation, int *w, int *h);
/* Rewrites img's pixels as they show (a new buffer when the orientation is not 1). */
void vt_image_orient(vt_image *img, int orientation);

#endif
