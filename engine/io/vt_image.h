/* Images: PNG (libpng), JPEG (libjpeg-turbo), WebP (libwebp) and TIFF (libtiff) decoded to
 * 8-bit RGBA, upright as their EXIF orientation says, and PNG encoding. */
#ifndef VT_IMAGE_H
#define VT_IMAGE_H

#include "core/vt_core.h"

/* Straight (not premultiplied) 8-bit sRGB-encoded RGBA, rows top to bottom, no padding. */
typedef struct vt_image {
    int width, height;
    uint8_t *pixels; /* width * height * 4 bytes */
    /* Only when asked for (vt_image_limits.keep_16bit) and the file had 16-bit samples (PNG):
     * the same pixels at full precision, RGBA16 straight, native byte order; `pixels` holds
     * their high bytes. NULL otherwise. */
    uint16_t *pixels16;
} vt_image;

/* The decoders' default bound on a side: larger than any GPU's texture (the renderer draws a
 * larger picture in tiles, vt_image_tiling_plan); memory is bounded by the pixel count. */
#define VT_IMAGE_MAX_SIDE 65535

typedef struct vt_image_limits {
    int max_width;        /* 0: default VT_IMAGE_MAX_SIDE */
    int max_height;       /* 0: default VT_IMAGE_MAX_SIDE */
    uint64_t max_pixels;  /* 0: default 64 Mpx (256 MiB of RGBA) */
    size_t max_file_size; /* 0: default 256 MiB */
    bool keep_16bit;      /* also give pixels16 for 16-bit PNGs (for dithering at render) */
} vt_image_limits;

/* Decodes a PNG, JPEG, WebP or TIFF file (chosen by content, not by name). Colour-management
 * chunks (gAMA, cHRM, sRGB, iCCP) and bKGD are ignored: stored samples are taken as sRGB. 16-bit
 * samples keep their high byte; palette, grey and tRNS expand to RGBA; interlacing is handled.
 * The EXIF orientation (1 to 8) of a JPEG's APP1 block, a PNG's eXIf chunk (before IDAT) or a
 * TIFF's Orientation tag is applied: the image comes out upright, its sides swapped for 5 to 8.
 * WebP: still images only (an animation is refused); its EXIF is not read.
 * Errors name the file: VT_E_NOINPUT (missing, unreadable), VT_E_DATAERR (corrupt, truncated,
 * unsupported, over the limits). `limits` may be NULL for the defaults. */
vt_status vt_image_load(const char *path, const vt_image_limits *limits, vt_image *out,
                        vt_error *err);
/* Same, from memory; `name` is used in messages. */
vt_status vt_image_load_memory(const void *data, size_t len, const char *name,
                               const vt_image_limits *limits, vt_image *out, vt_error *err);
void vt_image_free(vt_image *img);

/* What a file's header says, without decoding the pixels. */
typedef struct vt_image_info {
    int width, height;   /* what it decodes to */
    uint64_t file_bytes; /* the file's size */
    bool wide;           /* 16-bit samples (PNG): kept at 16 bits for the renderer */
} vt_image_info;

/* Reads only the header (PNG: IHDR and the chunk headers before IDAT; JPEG: up to the frame
 * header; WebP: the first chunk; TIFF: the first directory) and checks the size against the
 * limits, with vt_image_load's messages and statuses; the size is the upright one, as decoded.
 * A file that passes may still fail to decode. Never blocks on a FIFO or a device: anything but a
 * regular file is refused. */
vt_status vt_image_probe(const char *path, const vt_image_limits *limits, vt_image_info *out,
                         vt_error *err);
/* Same, from memory; `name` is used in messages. */
vt_status vt_image_probe_memory(const void *data, size_t len, const char *name,
                                const vt_image_limits *limits, vt_image_info *out, vt_error *err);

/* The most pixels a scene's images may decode to together, each file counted once however many
 * layers show it: 256 Mpx, 1 GiB of RGBA (a single image may have up to 64 Mpx). A 16-bit
 * image counts twice: it is kept at 8 bytes a pixel (vt_image_cost). */
#define VT_IMAGE_SCENE_MAX_PIXELS (UINT64_C(256) * 1024 * 1024)

/* A file that decodes to at least VT_IMAGE_IMPLAUSIBLE_MIN_PIXELS and to more than
 * VT_IMAGE_IMPLAUSIBLE_PIXELS_PER_BYTE pixels per byte of file holds far less than it claims to
 * (a 706-byte JPEG claiming 8000x8000: a decompression bomb or a damaged file): worth a warning.
 * Small flat images (a 300-byte one-colour backdrop) are left alone. */
#define VT_IMAGE_IMPLAUSIBLE_MIN_PIXELS (UINT64_C(16) * 1024 * 1024)
#define VT_IMAGE_IMPLAUSIBLE_PIXELS_PER_BYTE 1024
bool vt_image_implausible(const vt_image_info *info);
/* What an image counts against VT_IMAGE_SCENE_MAX_PIXELS: its pixels, twice when wide. */
uint64_t vt_image_cost(uint64_t width, uint64_t height, bool wide);

/* For each of n paths, the index of the first equal path (its own when none is before it; a
 * NULL path is its own), in O(n log n): a file shown by many layers is decoded once. */
void vt_image_first_users(const char *const *paths, size_t n, size_t *first);

/* The outcome of decoding one file. */
typedef struct vt_image_result {
    vt_status status;
    vt_image image; /* when status is VT_OK; whoever takes it sets it to {0} */
    vt_error error; /* when it is not */
} vt_image_result;

/* Decodes files on a background thread (e.g. while the GL context is being created), 16-bit
 * PNGs with their pixels16 (for the renderer). A NULL path is skipped (status VT_OK, empty
 * image): pass each file once. The images decode to at
 * most VT_IMAGE_SCENE_MAX_PIXELS together: one that would go past it fails (a file that grew
 * since it was probed). */
typedef struct vt_image_batch vt_image_batch;
vt_image_batch *vt_image_batch_start(const char *const *paths, size_t count);
/* Waits for the thread; results[i] belongs to paths[i] and stays owned by the batch (take an
 * image by copying the struct and zeroing it in place). */
vt_image_result *vt_image_batch_wait(vt_image_batch *b);
/* Waits if needed, frees the images nobody took, and the batch. NULL: nothing. */
void vt_image_batch_free(vt_image_batch *b);

/* Encodes RGBA8 (`stride` bytes between rows) as a PNG in memory at compression level 0-9
 * (*out_data is malloc'ed; free() it). `alpha` false writes RGB, dropping the alpha channel.
 * Level 0 stores the rows; 1 to 9 filter them and compress them with libdeflate, faster to
 * smaller (image_png.c says what each level does). The same pixels at the same level give the
 * same bytes (with the same libdeflate). */
vt_status vt_png_encode(const uint8_t *rgba, int width, int height, size_t stride, bool alpha,
                        int zlib_level, uint8_t **out_data, size_t *out_len, vt_error *err);

/* The same, keeping its buffers from one image to the next (a render's encoder thread): the
 * file in *out_data belongs to the writer and lasts until its next encode or its free. One
 * writer per thread. */
typedef struct vt_png_writer vt_png_writer;
vt_png_writer *vt_png_writer_create(void);
vt_status vt_png_writer_encode(vt_png_writer *w, const uint8_t *rgba, int width, int height,
                               size_t stride, bool alpha, int zlib_level, const uint8_t **out_data,
                               size_t *out_len, vt_error *err);
void vt_png_writer_free(vt_png_writer *w); /* NULL: nothing */

/* How an image is made into GPU textures when the GPU takes at most max_side pixels a side
 * (GL_MAX_TEXTURE_SIZE). One that fits is one texture (levels 0). A larger one is cut into
 * tiles that hold its mipmap levels 0 to `levels` (K) and an overview, the image at level K
 * (at most max_side a side) with the levels above: a layer is drawn from the tiles while it
 * shows more detail than level K, else from the overview, so minifying across tiles samples
 * the same mipmaps one texture would have. Each tile repeats `border` (2^K) texels of its
 * neighbours on every side, so bilinear filtering at every level it holds reads across its
 * edges as one texture would: no seam. Tiles start every `step` pixels (a multiple of
 * `border`, with two borders within max_side). Pure: `check` (which assumes a limit) and the
 * renderer (which has the GPU's) plan alike. */
typedef struct vt_image_tiling {
    int levels;                 /* K; 0: one texture, no tiles */
    int border;                 /* 2^K */
    int step;                   /* image pixels from one tile to the next (0 when levels is 0) */
    int cols, rows;             /* tiles across and down (1 x 1 when levels is 0) */
    int overview_w, overview_h; /* the image at level K: width >> K, height >> K, at least 1 */
} vt_image_tiling;

/* The plan for a width x height image under a max_side texture limit; VT_E_DATAERR naming
 * `name` when no tiling fits (a tile must hold two borders and a step: 2^K < max_side / 3),
 * with the largest side that would. A side under 1 or max_side under 1 is VT_E_DATAERR too. */
vt_status vt_image_tiling_plan(const char *name, int width, int height, int max_side,
                               vt_image_tiling *out, vt_error *err);

/* Box-filter downscale so that neither side exceeds max_side (keeps the aspect ratio); the
 * 16-bit copy, if any, is dropped. */
void vt_image_downscale(vt_image *img, int max_side);

#endif
