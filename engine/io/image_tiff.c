/* TIFF through libtiff: the first image of a file, in any layout libtiff's RGBA reader takes
 * (grey, palette, RGB, CMYK, YCbCr; strips or tiles; 1 to 16 bits; any codec it was built with),
 * to RGBA8 under the same limits as PNG and JPEG, its Orientation tag honoured. Errors and
 * warnings go to per-file handlers (never to stderr), and no single allocation of libtiff's may
 * pass a bound. */
#include "io/image_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tiffio.h>

/* libtiff's own buffers (a strip, a tile, a directory): bounded by what the largest allowed
 * image needs at 16 bits a channel, and at least 64 MiB. */
#define TIFF_MIN_SINGLE_ALLOC ((uint64_t)64 * 1024 * 1024)

typedef struct tiff_ctx {
    vt_image_source src;
    uint64_t pos;
    char message[256];
} tiff_ctx;

static tmsize_t on_read(thandle_t h, void *buf, tmsize_t n) {
    tiff_ctx *c = h;
    int64_t got = n > 0 ? vt_image_source_read(&c->src, c->pos, buf, (size_t)n) : 0;
    if (got > 0) {
        c->pos += (uint64_t)got;
    }
    return (tmsize_t)got;
}

static tmsize_t on_write(thandle_t h, void *buf, tmsize_t n) {
    (void)h, (void)buf, (void)n;
    return -1;
}

static toff_t on_seek(thandle_t h, toff_t off, int whence) {
    tiff_ctx *c = h;
    uint64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? c->pos : c->src.len;
    if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END) {
        return (toff_t)-1;
    }
    c->pos = base + off; /* toff_t is unsigned: a negative offset wraps as libtiff expects */
    return c->pos;
}

static int on_close(thandle_t h) {
    (void)h;
    return 0;
}

static toff_t on_size(thandle_t h) {
    return ((tiff_ctx *)h)->src.len;
}

static int on_map(thandle_t h, void **base, toff_t *size) {
    (void)h, (void)base, (void)size;
    return 0; /* no mapping: reads go through on_read */
}

static void on_unmap(thandle_t h, void *base, toff_t size) {
    (void)h, (void)base, (void)size;
}

/* The first error is kept for the message (later ones are often its consequences). */
static int on_error(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap) {
    (void)tif, (void)module;
    tiff_ctx *c = user;
    if (c && !c->message[0]) {
        vsnprintf(c->message, sizeof c->message, fmt, ap);
    }
    return 1; /* handled: libtiff prints nothing */
}

static int on_warning(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap) {
    (void)tif, (void)user, (void)module, (void)fmt, (void)ap;
    return 1; /* unknown tags and the like: not worth a line */
}

static TIFF *tiff_open(tiff_ctx *c, const char *name, const vt_image_limits *lim) {
    TIFFOpenOptions *opts = TIFFOpenOptionsAlloc();
    if (!opts) {
        return NULL;
    }
    uint64_t single = lim->max_pixels * 8;
    single = single < TIFF_MIN_SINGLE_ALLOC ? TIFF_MIN_SINGLE_ALLOC : single;
    TIFFOpenOptionsSetMaxSingleMemAlloc(opts, (tmsize_t)single);
    TIFFOpenOptionsSetErrorHandlerExtR(opts, on_error, c);
    TIFFOpenOptionsSetWarningHandlerExtR(opts, on_warning, c);
    /* "m": never memory-map (the bytes may be a pipe's or already in memory). */
    TIFF *tif = TIFFClientOpenExt(name, "rm", c, on_read, on_write, on_seek, on_close, on_size,
                                  on_map, on_unmap, opts);
    TIFFOpenOptionsFree(opts);
    return tif;
}

static vt_status tiff_fail(const tiff_ctx *c, const char *name, const char *what, vt_error *err) {
    return VT_FAIL(err, VT_E_DATAERR, "%s: not a valid TIFF image: %s", name,
                   c->message[0] ? c->message : what);
}

/* Size and orientation of the first image, checked against the limits. */
static vt_status tiff_header(TIFF *tif, const tiff_ctx *c, const char *name,
                             const vt_image_limits *lim, uint32_t *w, uint32_t *h, int *orientation,
                             vt_error *err) {
    uint16_t o = ORIENTATION_TOPLEFT;
    if (!TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, w) || !TIFFGetField(tif, TIFFTAG_IMAGELENGTH, h)) {
        return tiff_fail(c, name, "no image size", err);
    }
    TIFFGetFieldDefaulted(tif, TIFFTAG_ORIENTATION, &o);
    *orientation = o >= 1 && o <= 8 ? o : 1;
    return vt_image_check_limits(name, "TIFF", *w, *h, lim, err);
}

vt_status vt_image_tiff_probe(const vt_image_source *src, const char *name,
                              const vt_image_limits *lim, vt_image_info *out, vt_error *err) {
    tiff_ctx c = {.src = *src};
    TIFF *tif = tiff_open(&c, name, lim);
    if (!tif) {
        return tiff_fail(&c, name, "cannot read its header", err);
    }
    uint32_t w = 0, h = 0;
    int orientation = 1;
    vt_status s = tiff_header(tif, &c, name, lim, &w, &h, &orientation, err);
    TIFFClose(tif);
    if (s == VT_OK) {
        out->width = (int)w;
        out->height = (int)h;
        vt_image_oriented_size(orientation, &out->width, &out->height);
    }
    return s;
}

/* libtiff's packed ABGR words to RGBA bytes; premultiplied alpha (the file's) made straight. */
static void unpack(const uint32_t *raster, size_t count, bool premultiplied, uint8_t *px) {
    for (size_t i = 0; i < count; i++, px += 4) {
        uint32_t v = raster[i];
        unsigned a = TIFFGetA(v);
        px[0] = (uint8_t)TIFFGetR(v);
        px[1] = (uint8_t)TIFFGetG(v);
        px[2] = (uint8_t)TIFFGetB(v);
        px[3] = (uint8_t)a;
        if (premultiplied && a < 255) {
            for (int k = 0; k < 3; k++) {
                unsigned c = a ? (px[k] * 255u + a / 2) / a : 0;
                px[k] = (uint8_t)(c > 255 ? 255 : c);
            }
        }
    }
}

/* The pixels of an opened file: the RGBA reader set to give rows as stored (the orientation is
 * applied afterwards, for all eight values alike). */
static vt_status tiff_pixels(TIFF *tif, tiff_ctx *c, const char *name, uint32_t w, uint32_t h,
                             vt_image *out, vt_error *err) {
    char emsg[1024] = "";
    uint16_t extra = 0, *kinds = NULL;
    /* Unassociated alpha read as associated: libtiff then passes it through instead of
     * premultiplying, and the straight values stay exact. */
    if (TIFFGetField(tif, TIFFTAG_EXTRASAMPLES, &extra, &kinds) && extra == 1 &&
        kinds[0] == EXTRASAMPLE_UNASSALPHA) {
        uint16_t assoc = EXTRASAMPLE_ASSOCALPHA;
        TIFFSetField(tif, TIFFTAG_EXTRASAMPLES, 1, &assoc);
        kinds = NULL;
    }
    bool premultiplied = kinds && extra == 1 && kinds[0] == EXTRASAMPLE_ASSOCALPHA;
    TIFFRGBAImage img;
    /* Stop at the first strip or tile that cannot be read: libtiff would otherwise leave it
     * blank and call the image good, where a damaged PNG or JPEG is refused. */
    if (!TIFFRGBAImageOK(tif, emsg) || !TIFFRGBAImageBegin(&img, tif, 1, emsg)) {
        return VT_FAIL(err, VT_E_DATAERR, "%s: unsupported TIFF image: %s; save it as PNG", name,
                       emsg[0] ? emsg : "unknown layout");
    }
    img.req_orientation = ORIENTATION_TOPLEFT;
    img.orientation = ORIENTATION_TOPLEFT;
    uint32_t *raster = vt_xmalloc((size_t)w * h * sizeof *raster);
    int ok = TIFFRGBAImageGet(&img, raster, w, h);
    TIFFRGBAImageEnd(&img);
    if (!ok) {
        free(raster);
        return tiff_fail(c, name, "the image data is damaged or truncated", err);
    }
    out->pixels = vt_xmalloc((size_t)w * h * 4);
    unpack(raster, (size_t)w * h, premultiplied, out->pixels);
    free(raster);
    out->width = (int)w;
    out->height = (int)h;
    return VT_OK;
}

vt_status vt_image_tiff_decode(const uint8_t *data, size_t len, const char *name,
                               const vt_image_limits *lim, vt_image *out, vt_error *err) {
    *out = (vt_image){0};
    tiff_ctx c = {.src = {.data = data, .len = len, .fd = -1}};
    TIFF *tif = tiff_open(&c, name, lim);
    if (!tif) {
        return tiff_fail(&c, name, "cannot read its header", err);
    }
    uint32_t w = 0, h = 0;
    int orientation = 1;
    vt_status s = tiff_header(tif, &c, name, lim, &w, &h, &orientation, err);
    if (s == VT_OK) {
        s = tiff_pixels(tif, &c, name, w, h, out, err);
    }
    TIFFClose(tif);
    if (s == VT_OK) {
        vt_image_orient(out, orientation);
    }
    return s;
}
