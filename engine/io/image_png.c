/* PNG through libpng: decoding from memory to RGBA8 under limits, and encoding RGB(A)8 to a PNG
 * in memory. libpng reports errors by longjmp; every error path here frees what it allocated. */
#include "io/image_internal.h"

#include <libdeflate.h>
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

/* ---- encoding ----
 * libpng writes the signature, IHDR and IEND; the image data is filtered here and compressed in
 * one go by libdeflate (several times faster than zlib at the same size, and its level 9 is not
 * pathological), then handed to libpng's chunk writer as IDAT chunks. */

enum { FILTER_NONE, FILTER_SUB, FILTER_UP, FILTER_AVG, FILTER_PAETH };

/* The largest IDAT chunk written: one zlib stream split over chunks of this size. */
#define PNG_IDAT_MAX ((size_t)1 << 20)

static uint8_t paeth(int a, int b, int c) {
    int pa = abs(b - c), pb = abs(a - c), pc = abs(a + b - 2 * c);
    return (uint8_t)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
}

/* Writes row `cur` filtered with `filter` against `prev` (the row above, zeros for the first)
 * to `out`: n bytes of bpp-byte pixels. */
static void filter_row(uint8_t *out, int filter, const uint8_t *cur, const uint8_t *prev, size_t n,
                       int bpp) {
    size_t i = 0;
    switch (filter) {
    case FILTER_SUB:
        for (; i < (size_t)bpp; i++) {
            out[i] = cur[i];
        }
        for (; i < n; i++) {
            out[i] = (uint8_t)(cur[i] - cur[i - bpp]);
        }
        break;
    case FILTER_UP:
        for (; i < n; i++) {
            out[i] = (uint8_t)(cur[i] - prev[i]);
        }
        break;
    case FILTER_AVG:
        for (; i < (size_t)bpp; i++) {
            out[i] = (uint8_t)(cur[i] - (prev[i] >> 1));
        }
        for (; i < n; i++) {
            out[i] = (uint8_t)(cur[i] - ((cur[i - bpp] + prev[i]) >> 1));
        }
        break;
    case FILTER_PAETH:
        for (; i < (size_t)bpp; i++) {
            out[i] = (uint8_t)(cur[i] - prev[i]);
        }
        for (; i < n; i++) {
            out[i] = (uint8_t)(cur[i] - paeth(cur[i - bpp], prev[i], prev[i - bpp]));
        }
        break;
    default:
        memcpy(out, cur, n);
        break;
    }
}

/* The sum of the filtered bytes read as signed: libpng's classic measure of how well a filter
 * predicts a row (smaller compresses better). */
static uint64_t row_cost(const uint8_t *row, size_t n) {
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        sum += row[i] < 128 ? row[i] : 256u - row[i];
    }
    return sum;
}

/* Row y of the input as PNG samples: the RGBA row itself, or its RGB bytes packed into `pack`. */
static const uint8_t *sample_row(const uint8_t *rgba, size_t stride, int width, int y, int bpp,
                                 uint8_t *pack) {
    const uint8_t *src = rgba + (size_t)y * stride;
    if (bpp == 4) {
        return src;
    }
    for (int x = 0; x < width; x++) {
        pack[3 * x] = src[4 * x];
        pack[3 * x + 1] = src[4 * x + 1];
        pack[3 * x + 2] = src[4 * x + 2];
    }
    return pack;
}

/* What each level does, measured on the frames of the W1 benchmark (docs/performance.md): at
 * 1-5, Up, the cheapest filter that predicts rendered frames about as well as any; at 6-7,
 * Paeth, a little better for a few milliseconds more a frame; at 8-9, for each row the filter
 * whose output looks smallest (8: Sub, Up or Paeth; 9: all five). libdeflate's own levels stop
 * at 7 here: its 8 and 9 took 5 to 8 times as long as its 6 for files 9 to 15 % smaller, which
 * would make level 9 pathological. */
static int deflate_level(int level) {
    return level < 7 ? level : 7;
}

static int row_filter(int level, const uint8_t *cur, const uint8_t *prev, size_t n, int bpp,
                      uint8_t *trial) {
    if (level == 0) {
        return FILTER_NONE;
    }
    if (level <= 5) {
        return FILTER_UP;
    }
    if (level <= 7) {
        return FILTER_PAETH;
    }
    static const int some[] = {FILTER_SUB, FILTER_UP, FILTER_PAETH};
    static const int all[] = {FILTER_NONE, FILTER_SUB, FILTER_UP, FILTER_AVG, FILTER_PAETH};
    const int *cand = level == 8 ? some : all;
    int count = level == 8 ? 3 : 5, best = cand[0];
    uint64_t best_cost = UINT64_MAX;
    for (int i = 0; i < count; i++) {
        filter_row(trial, cand[i], cur, prev, n, bpp);
        uint64_t cost = row_cost(trial, n);
        if (cost < best_cost) {
            best_cost = cost;
            best = cand[i];
        }
    }
    return best;
}

/* Filters the whole image into `out` (height rows of 1 + rowbytes bytes). */
static void filter_image(uint8_t *out, const uint8_t *rgba, int width, int height, size_t stride,
                         int bpp, int level) {
    size_t n = (size_t)width * (size_t)bpp;
    uint8_t *scratch = vt_xcalloc(4, n); /* two packed rows, a row of zeros, a trial row */
    uint8_t *zeros = scratch + 2 * n, *trial = scratch + 3 * n;
    const uint8_t *prev = zeros;
    for (int y = 0; y < height; y++) {
        const uint8_t *cur = sample_row(rgba, stride, width, y, bpp, scratch + (y & 1) * n);
        uint8_t *dst = out + (size_t)y * (n + 1);
        int filter = row_filter(level, cur, prev, n, bpp, trial);
        dst[0] = (uint8_t)filter;
        filter_row(dst + 1, filter, cur, prev, n, bpp);
        prev = cur;
    }
    free(scratch);
}

typedef struct png_sink {
    uint8_t *data;
    size_t len, cap;
    char message[256];
} png_sink;

/* What one encoding needs, kept between frames: the filtered rows, the zlib stream, the file
 * and the compressor of the last level (a render allocates nothing per frame). */
struct vt_png_writer {
    struct libdeflate_compressor *comp;
    int comp_level;
    uint8_t *raw, *zdata;
    size_t raw_cap, zcap;
    png_sink sink;
};

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

static void png_encode_body(png_structp png, png_infop info, int width, int height, bool alpha,
                            const uint8_t *zdata, size_t zlen) {
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8,
                 alpha ? PNG_COLOR_TYPE_RGBA : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (size_t at = 0; at < zlen; at += PNG_IDAT_MAX) {
        size_t n = zlen - at < PNG_IDAT_MAX ? zlen - at : PNG_IDAT_MAX;
        png_write_chunk(png, (png_const_bytep) "IDAT", zdata + at, n);
    }
    png_write_chunk(png, (png_const_bytep) "IEND", NULL, 0);
}

/* The only function that calls setjmp for writing; the sink lives in the caller. */
static int png_encode_guarded(png_structp png, png_infop info, png_sink *sink, int width,
                              int height, bool alpha, const uint8_t *zdata, size_t zlen) {
    volatile int ok = 0;
    if (setjmp(png_jmpbuf(png)) == 0) {
        png_set_write_fn(png, sink, on_png_write, on_png_flush);
        png_encode_body(png, info, width, height, alpha, zdata, zlen);
        ok = 1;
    }
    return ok;
}

static uint8_t *grow(uint8_t *buf, size_t *cap, size_t need) {
    if (need > *cap) {
        free(buf);
        buf = vt_xmalloc(need);
        *cap = need;
    }
    return buf;
}

vt_png_writer *vt_png_writer_create(void) {
    vt_png_writer *w = vt_xcalloc(1, sizeof *w);
    w->comp_level = -1;
    return w;
}

void vt_png_writer_free(vt_png_writer *w) {
    if (!w) {
        return;
    }
    libdeflate_free_compressor(w->comp);
    free(w->raw);
    free(w->zdata);
    free(w->sink.data);
    free(w);
}

vt_status vt_png_writer_encode(vt_png_writer *w, const uint8_t *rgba, int width, int height,
                               size_t stride, bool alpha, int zlib_level, const uint8_t **out_data,
                               size_t *out_len, vt_error *err) {
    *out_data = NULL;
    *out_len = 0;
    int bpp = alpha ? 4 : 3;
    if (!rgba || width <= 0 || height <= 0 || width > 0x3fffffff || height > 0x3fffffff ||
        stride < (size_t)width * 4 || zlib_level < 0 || zlib_level > 9 ||
        (size_t)width * (size_t)bpp + 1 > SIZE_MAX / (size_t)height) {
        return VT_FAIL(err, VT_E_SOFTWARE,
                       "PNG encoding: invalid arguments (%dx%d, stride %zu, level %d)", width,
                       height, stride, zlib_level);
    }
    if (w->comp_level != deflate_level(zlib_level)) {
        libdeflate_free_compressor(w->comp);
        w->comp = libdeflate_alloc_compressor(deflate_level(zlib_level));
        w->comp_level = w->comp ? deflate_level(zlib_level) : -1;
        if (!w->comp) {
            return VT_FAIL(err, VT_E_SOFTWARE, "PNG encoding: cannot start the compressor");
        }
    }
    size_t raw_len = (size_t)height * ((size_t)width * (size_t)bpp + 1);
    w->raw = grow(w->raw, &w->raw_cap, raw_len);
    filter_image(w->raw, rgba, width, height, stride, bpp, zlib_level);
    w->zdata = grow(w->zdata, &w->zcap, libdeflate_zlib_compress_bound(w->comp, raw_len));
    size_t zlen = libdeflate_zlib_compress(w->comp, w->raw, raw_len, w->zdata, w->zcap);
    if (zlen == 0) {
        return VT_FAIL(err, VT_E_SOFTWARE, "PNG encoding: the compressed image did not fit");
    }
    png_sink *sink = &w->sink;
    sink->len = 0;
    sink->message[0] = 0;
    png_structp png =
        png_create_write_struct(PNG_LIBPNG_VER_STRING, sink, on_png_write_error, on_png_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_write_struct(png ? &png : NULL, NULL);
        return VT_FAIL(err, VT_E_SOFTWARE, "PNG encoding: cannot start the encoder");
    }
    int ok = png_encode_guarded(png, info, sink, width, height, alpha, w->zdata, zlen);
    png_destroy_write_struct(&png, &info);
    if (!ok) {
        return VT_FAIL(err, VT_E_SOFTWARE, "PNG encoding failed: %s", sink->message);
    }
    *out_data = sink->data;
    *out_len = sink->len;
    return VT_OK;
}

vt_status vt_png_encode(const uint8_t *rgba, int width, int height, size_t stride, bool alpha,
                        int zlib_level, uint8_t **out_data, size_t *out_len, vt_error *err) {
    *out_data = NULL;
    *out_len = 0;
    vt_png_writer *w = vt_png_writer_create();
    const uint8_t *data = NULL;
    size_t len = 0;
    vt_status s =
        vt_png_writer_encode(w, rgba, width, height, stride, alpha, zlib_level, &data, &len, err);
    if (s == VT_OK) {
        /* The file is the writer's buffer: hand it over instead of copying it. */
        *out_data = w->sink.data;
        *out_len = len;
        w->sink.data = NULL;
    }
    vt_png_writer_free(w);
    return s;
}
