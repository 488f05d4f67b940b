/* PNG through libpng: decoding from memory to RGBA8 under limits, and encoding RGB(A)8 to a PNG
 * in memory. libpng reports errors by longjmp; every error path here frees what it allocated. */
#include "io/image_internal.h"

#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

/* Ancillary chunks libpng may buffer (text, unknown) and the largest single allocation it may
 * make for one; both bound what a hostile file can make us allocate besides the pixels. */
#define PNG_CHUNK_CACHE_MAX 256
#define PNG_CHUNK_MALLOC_MAX ((png_alloc_size_t)8 * 1024 * 1024)

/* What libpng's callbacks need: where to read from, and where to put its error message. */
typedef struct png_ctx {
    const uint8_t *data;
    size_t len, pos;
    char message[256];
} png_ctx;

static void on_png_error(png_structp png, png_const_charp msg) {
    png_ctx *ctx = png_get_error_ptr(png);
    snprintf(ctx->message, sizeof ctx->message, "%s", msg ? msg : "unknown error");
    png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp msg) {
    /* Warnings concern chunks we ignore anyway (text, colour profiles): not worth a line. */
    (void)png;
    (void)msg;
}

static void on_png_read(png_structp png, png_bytep dst, size_t n) {
    png_ctx *ctx = png_get_io_ptr(png);
    if (n > ctx->len - ctx->pos) {
        png_error(png, "the file is truncated");
    }
    memcpy(dst, ctx->data + ctx->pos, n);
    ctx->pos += n;
}

static uint32_t be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* Checks the size in IHDR before libpng allocates anything, so the message can name the limit
 * (libpng would stop too, through png_set_user_limits, but with its own words). */
static vt_status precheck_header(const uint8_t *data, size_t len, const char *name,
                                 const vt_image_limits *lim, vt_error *err) {
    if (len < 8 + 8 + 13 || memcmp(data + 12, "IHDR", 4) != 0 || be32(data + 8) != 13) {
        return VT_FAIL(err, VT_E_DATAERR, "%s: not a valid PNG image: %s", name,
                       len < 8 + 8 + 13 ? "the file is truncated" : "IHDR chunk missing");
    }
    return vt_image_check_limits(name, "PNG", be32(data + 16), be32(data + 20), lim, err);
}

vt_status vt_image_png_probe(const uint8_t *data, size_t len, const char *name,
                             const vt_image_limits *lim, vt_image_info *out, vt_error *err) {
    vt_status s = precheck_header(data, len, name, lim, err);
    if (s == VT_OK) {
        out->width = (int)be32(data + 16);
        out->height = (int)be32(data + 20);
        out->wide = data[24] == 16; /* IHDR's bit depth */
    }
    return s;
}

/* Asks libpng for RGBA8 whatever the stored format: no gamma, 16 bits keep the high byte; or,
 * when `wide` and the file has 16-bit samples, RGBA16 in native byte order. */
static void set_rgba8_transforms(png_structp png, png_infop info, bool wide) {
    int color = png_get_color_type(png, info);
    int depth = png_get_bit_depth(png, info);
    if (color == PNG_COLOR_TYPE_PALETTE) {
        png_set_palette_to_rgb(png);
    }
    if (color == PNG_COLOR_TYPE_GRAY && depth < 8) {
        png_set_expand_gray_1_2_4_to_8(png);
    }
    if (png_get_valid(png, info, PNG_INFO_tRNS)) {
        png_set_tRNS_to_alpha(png);
    }
    if (depth == 16 && !wide) {
        png_set_strip_16(png);
    }
    if (depth == 16 && wide) {
        uint16_t one = 1;
        if (*(uint8_t *)&one == 1) {
            png_set_swap(png); /* PNG is big-endian */
        }
    }
    if (color == PNG_COLOR_TYPE_GRAY || color == PNG_COLOR_TYPE_GRAY_ALPHA) {
        png_set_gray_to_rgb(png);
    }
    if (!(color & PNG_COLOR_MASK_ALPHA) && !png_get_valid(png, info, PNG_INFO_tRNS)) {
        png_set_filler(png, depth == 16 && wide ? 0xffff : 0xff, PNG_FILLER_AFTER);
    }
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
}

/* Everything after png_read_info: may longjmp, so what it allocates goes straight into the
 * caller's variables (not locals of the function that called setjmp) to be freed there. */
static int png_decode_body(png_structp png, png_infop info, const char *name,
                           const vt_image_limits *lim, uint8_t **pixels, png_bytep **rows,
                           vt_image *out, vt_error *err) {
    png_read_info(png, info);
    png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
    if (vt_image_check_limits(name, "PNG", w, h, lim, err) != VT_OK) {
        return 0;
    }
    bool wide = lim->keep_16bit && png_get_bit_depth(png, info) == 16;
    size_t px = wide ? 8 : 4;
    set_rgba8_transforms(png, info, wide);
    if (png_get_rowbytes(png, info) != (size_t)w * px || png_get_channels(png, info) != 4) {
        (void)VT_FAIL(err, VT_E_SOFTWARE, "%s: PNG decoder did not produce RGBA rows", name);
        return 0;
    }
    *pixels = vt_xmalloc((size_t)w * h * px);
    *rows = vt_xmalloc((size_t)h * sizeof(png_bytep));
    for (png_uint_32 y = 0; y < h; y++) {
        (*rows)[y] = *pixels + (size_t)y * w * px;
    }
    png_read_image(png, *rows);
    /* Reading to IEND checks the CRC of the last IDAT and finds truncated files. */
    png_read_end(png, NULL);
    out->width = (int)w;
    out->height = (int)h;
    return 1;
}

/* The only function that calls setjmp for reading; it keeps no state of its own across it. */
static int png_decode_guarded(png_structp png, png_infop info, png_ctx *ctx, const char *name,
                              const vt_image_limits *lim, uint8_t **pixels, png_bytep **rows,
                              vt_image *out, vt_error *err) {
    volatile int ok = 0;
    if (setjmp(png_jmpbuf(png)) == 0) {
        png_set_read_fn(png, ctx, on_png_read);
        png_set_user_limits(png, (png_uint_32)lim->max_width, (png_uint_32)lim->max_height);
        png_set_chunk_cache_max(png, PNG_CHUNK_CACHE_MAX);
        png_set_chunk_malloc_max(png, PNG_CHUNK_MALLOC_MAX);
        /* Keep only IHDR, PLTE, tRNS, IDAT, IEND: colour management and bKGD are ignored by
         * design, and chunks never parsed cannot hurt. */
        png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, NULL, -1);
        ok = png_decode_body(png, info, name, lim, pixels, rows, out, err);
    } else {
        (void)VT_FAIL(err, VT_E_DATAERR, "%s: not a valid PNG image: %s", name, ctx->message);
    }
    return ok;
}

vt_status vt_image_png_decode(const uint8_t *data, size_t len, const char *name,
                              const vt_image_limits *lim, vt_image *out, vt_error *err) {
    vt_status s = precheck_header(data, len, name, lim, err);
    if (s != VT_OK) {
        return s;
    }
    png_ctx ctx = {.data = data, .len = len};
    png_structp png =
        png_create_read_struct(PNG_LIBPNG_VER_STRING, &ctx, on_png_error, on_png_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_read_struct(png ? &png : NULL, NULL, NULL);
        return VT_FAIL(err, VT_E_SOFTWARE, "%s: cannot start the PNG decoder", name);
    }
    uint8_t *pixels = NULL;
    png_bytep *rows = NULL;
    vt_error local;
    vt_error *e = err ? err : &local;
    int ok = png_decode_guarded(png, info, &ctx, name, lim, &pixels, &rows, out, e);
    bool wide = ok && lim->keep_16bit && png_get_bit_depth(png, info) == 16;
    png_destroy_read_struct(&png, &info, NULL);
    free(rows);
    if (!ok) {
        free(pixels);
        *out = (vt_image){0};
        return e->status;
    }
    if (wide) {
        out->pixels16 = (uint16_t *)(void *)pixels; /* and the 8-bit copy: the high bytes */
        size_t n = (size_t)out->width * (size_t)out->height * 4;
        out->pixels = vt_xmalloc(n);
        for (size_t i = 0; i < n; i++) {
            out->pixels[i] = (uint8_t)(out->pixels16[i] >> 8);
        }
        return VT_OK;
    }
    out->pixels = pixels;
    return VT_OK;
}

/* ---- encoding ---- */

typedef struct png_sink {
    uint8_t *data;
    size_t len, cap;
    char message[256];
} png_sink;

static void on_png_write(png_structp png, png_bytep src, size_t n) {
    png_sink *sink = png_get_io_ptr(png);
    if (n > sink->cap - sink->len) {
        size_t cap = sink->cap ? sink->cap : 4096;
        while (n > cap - sink->len) {
            cap *= 2;
        }
        sink->data = vt_xrealloc(sink->data, cap);
        sink->cap = cap;
    }
    memcpy(sink->data + sink->len, src, n);
    sink->len += n;
}

static void on_png_flush(png_structp png) {
    (void)png;
}

static void on_png_write_error(png_structp png, png_const_charp msg) {
    png_sink *sink = png_get_error_ptr(png);
    snprintf(sink->message, sizeof sink->message, "%s", msg ? msg : "unknown error");
    png_longjmp(png, 1);
}

static void png_encode_body(png_structp png, png_infop info, const uint8_t *rgba, int width,
                            int height, size_t stride, bool alpha, int level) {
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8,
                 alpha ? PNG_COLOR_TYPE_RGBA : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, level);
    /* At low levels speed matters more than size: adaptive filtering costs more than it saves. */
    if (level == 0) {
        png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    } else if (level <= 2) {
        png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
    } else {
        png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_ALL_FILTERS);
    }
    png_write_info(png, info);
    if (!alpha) {
        /* On write, a filler is a byte libpng drops from each 4-byte input pixel. */
        png_set_filler(png, 0, PNG_FILLER_AFTER);
    }
    for (int y = 0; y < height; y++) {
        png_write_row(png, rgba + (size_t)y * stride);
    }
    png_write_end(png, NULL);
}

/* The only function that calls setjmp for writing; the sink lives in the caller. */
static int png_encode_guarded(png_structp png, png_infop info, png_sink *sink, const uint8_t *rgba,
                              int width, int height, size_t stride, bool alpha, int level) {
    volatile int ok = 0;
    if (setjmp(png_jmpbuf(png)) == 0) {
        png_set_write_fn(png, sink, on_png_write, on_png_flush);
        png_encode_body(png, info, rgba, width, height, stride, alpha, level);
        ok = 1;
    }
    return ok;
}

vt_status vt_png_encode(const uint8_t *rgba, int width, int height, size_t stride, bool alpha,
                        int zlib_level, uint8_t **out_data, size_t *out_len, vt_error *err) {
    *out_data = NULL;
    *out_len = 0;
    if (!rgba || width <= 0 || height <= 0 || width > 0x3fffffff || height > 0x3fffffff ||
        stride < (size_t)width * 4 || zlib_level < 0 || zlib_level > 9) {
        return VT_FAIL(err, VT_E_SOFTWARE,
                       "PNG encoding: invalid arguments (%dx%d, stride %zu, level %d)", width,
                       height, stride, zlib_level);
    }
    png_sink sink = {0};
    png_structp png =
        png_create_write_struct(PNG_LIBPNG_VER_STRING, &sink, on_png_write_error, on_png_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_write_struct(png ? &png : NULL, NULL);
        return VT_FAIL(err, VT_E_SOFTWARE, "PNG encoding: cannot start the encoder");
    }
    int ok = png_encode_guarded(png, info, &sink, rgba, width, height, stride, alpha, zlib_level);
    png_destroy_write_struct(&png, &info);
    if (!ok) {
        free(sink.data);
        return VT_FAIL(err, VT_E_SOFTWARE, "PNG encoding failed: %s", sink.message);
    }
    *out_data = sink.data;
    *out_len = sink.len;
    return VT_OK;
}
