/* Tests of engine/io's WebP and TIFF decoders and of EXIF orientation (JPEG APP1, PNG eXIf,
 * WebP EXIF, TIFF Orientation). Every test image is made here at test time, with the formats'
 * own encoders (libwebp, libtiff, libjpeg) or by hand (EXIF blocks, PNG and WebP chunks), from
 * pixels chosen here: the lossless ones must decode to exactly those pixels. */
#include "io/vt_image.h"
#include "vt_test.h"

#include <jpeglib.h>
#include <stdbool.h>
#include <tiffio.h>
#include <unistd.h>
#include <webp/encode.h>

static char tmpdir[] = "/tmp/vt-image-formats-XXXXXX";

static uint8_t *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = vt_xmalloc(cap);
    for (size_t got; (got = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += got;
        if (n == cap) {
            cap *= 2;
            buf = vt_xrealloc(buf, cap);
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

static void write_file(const char *path, const void *data, size_t len) {
    FILE *f = fopen(path, "wb");
    VT_CHECK(f != NULL);
    if (f) {
        VT_CHECK_INT(fwrite(data, 1, len, f), len);
        fclose(f);
    }
}

/* Reports the first pixel that differs by more than tol, so a failure says where and how. */
static bool near_pixels(const char *what, const vt_image *img, const uint8_t *want, int w, int h,
                        int tol) {
    if (img->width != w || img->height != h || !img->pixels) {
        fprintf(stderr, "%s: size %dx%d, expected %dx%d\n", what, img->width, img->height, w, h);
        return false;
    }
    for (size_t i = 0; i < (size_t)w * (size_t)h * 4; i++) {
        if (abs(img->pixels[i] - want[i]) > tol) {
            size_t px = i / 4;
            fprintf(stderr, "%s: pixel (%zu,%zu) channel %zu is %d, expected %d\n", what,
                    px % (size_t)w, px / (size_t)w, i % 4, img->pixels[i], want[i]);
            return false;
        }
    }
    return true;
}

/* Decodes from memory and from a file, and probes the file: all three must agree. */
static void expect_decode(const char *what, const uint8_t *data, size_t len, const char *ext,
                          const uint8_t *want, int w, int h, int tol) {
    char path[256];
    snprintf(path, sizeof path, "%s/image.%s", tmpdir, ext);
    write_file(path, data, len);
    vt_image img;
    vt_error err = {0};
    vt_status s = vt_image_load_memory(data, len, what, NULL, &img, &err);
    if (s != VT_OK) {
        fprintf(stderr, "%s: %s\n", what, err.message);
    }
    VT_CHECK_INT(s, VT_OK);
    VT_CHECK(near_pixels(what, &img, want, w, h, tol));
    vt_image_free(&img);
    VT_CHECK_INT(vt_image_load(path, NULL, &img, &err), VT_OK);
    VT_CHECK(near_pixels(what, &img, want, w, h, tol));
    vt_image_free(&img);
    vt_image_info info;
    VT_CHECK_INT(vt_image_probe(path, NULL, &info, &err), VT_OK);
    VT_CHECK_INT(info.width, w);
    VT_CHECK_INT(info.height, h);
    VT_CHECK_INT(vt_image_probe_memory(data, len, what, NULL, &info, &err), VT_OK);
    VT_CHECK_INT(info.width, w);
    VT_CHECK_INT(info.height, h);
    unlink(path);
}

/* A refusal names the file and says `reason`; the probe refuses too when `probe_too`. */
static void expect_refusal(const char *what, const uint8_t *data, size_t len, const char *reason,
                           const vt_image_limits *lim, bool probe_too) {
    vt_image img;
    vt_error err = {0};
    VT_CHECK_INT(vt_image_load_memory(data, len, what, lim, &img, &err), VT_E_DATAERR);
    VT_CHECK(img.pixels == NULL);
    vt_image_free(&img); /* in case it was not refused */
    VT_CHECK(strncmp(err.message, what, strlen(what)) == 0);
    if (!strstr(err.message, reason)) {
        fprintf(stderr, "%s: '%s' does not say '%s'\n", what, err.message, reason);
        VT_CHECK(false);
    }
    if (probe_too) {
        vt_image_info info;
        VT_CHECK_INT(vt_image_probe_memory(data, len, what, lim, &info, &err), VT_E_DATAERR);
        VT_CHECK(strstr(err.message, reason) != NULL);
    }
}

/* A w x h picture where every pixel differs (alpha from 1 up: WebP may change the colour of
 * fully transparent pixels). */
static uint8_t *pattern(int w, int h, bool alpha) {
    uint8_t *px = vt_xmalloc((size_t)w * h * 4);
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            uint8_t *p = px + ((size_t)y * w + x) * 4;
            p[0] = (uint8_t)(x * 37 + y * 11);
            p[1] = (uint8_t)(y * 53 + x * 3);
            p[2] = (uint8_t)(x * y * 7 + 100);
            p[3] = alpha ? (uint8_t)(1 + (x * 29 + y * 17) % 255) : 255;
        }
    }
    return px;
}

/* ======== orientation ======== */

/* The EXIF table itself: for orientation o, which side of the upright picture the stored rows
 * start at (first row) and the stored columns start at (first column). */
typedef enum side { TOP, BOTTOM, LEFT, RIGHT } side;
static const side first_row[9] = {0, TOP, TOP, BOTTOM, BOTTOM, LEFT, RIGHT, RIGHT, LEFT};
static const side first_col[9] = {0, LEFT, RIGHT, RIGHT, LEFT, TOP, TOP, BOTTOM, BOTTOM};

/* The stored pixels of an upright W x H picture a camera would write with orientation o:
 * stored row sy runs along the side first_row says, stored column sx along first_col. */
static uint8_t *stored_for(const uint8_t *upright, int W, int H, int o, int *sw, int *sh) {
    bool turned = first_row[o] == LEFT || first_row[o] == RIGHT;
    *sw = turned ? H : W;
    *sh = turned ? W : H;
    uint8_t *s = vt_xmalloc((size_t)W * H * 4);
    for (int sy = 0; sy < *sh; sy++) {
        for (int sx = 0; sx < *sw; sx++) {
            int x = 0, y = 0;
            switch (first_row[o]) {
            case TOP:
                y = sy;
                break;
            case BOTTOM:
                y = H - 1 - sy;
                break;
            case LEFT:
                x = sy;
                break;
            case RIGHT:
                x = W - 1 - sy;
                break;
            }
            switch (first_col[o]) {
            case TOP:
                y = sx;
                break;
            case BOTTOM:
                y = H - 1 - sx;
                break;
            case LEFT:
                x = sx;
                break;
            case RIGHT:
                x = W - 1 - sx;
                break;
            }
            memcpy(s + ((size_t)sy * *sw + sx) * 4, upright + ((size_t)y * W + x) * 4, 4);
        }
    }
    return s;
}

/* A TIFF header and one IFD holding Orientation = o, in either byte order: EXIF as a camera
 * writes it (APP1 adds "Exif\0\0" before it). */
static size_t exif_tiff(uint8_t *b, int o, bool big_endian) {
    static const uint8_t mm[] = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3,
                                 0,   0,   0, 1,  0, 0, 0, 0, 0, 0, 0,    0,    0, 0};
    static const uint8_t ii[] = {'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0,
                                 1,   0,   0,  0, 0, 0, 0, 0, 0, 0, 0,    0,    0, 0};
    memcpy(b, big_endian ? mm : ii, sizeof mm);
    b[big_endian ? 19 : 18] = (uint8_t)o; /* the SHORT value, left-justified in its 4 bytes */
    return sizeof mm;
}

static uint32_t crc32_of(const uint8_t *p, size_t n) {
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) {
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        }
    }
    return c ^ 0xffffffffu;
}

static void put32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* A PNG of the pixels with an eXIf chunk inserted at byte `at` (33: right after IHDR; 0: just
 * before IEND, after the pixels). */
static uint8_t *png_with_exif(const uint8_t *px, int w, int h, int o, bool big_endian, bool late,
                              size_t *len) {
    uint8_t *png = NULL, exif[64];
    size_t n = 0, e = exif_tiff(exif, o, big_endian);
    VT_CHECK_INT(vt_png_encode(px, w, h, (size_t)w * 4, true, 6, &png, &n, NULL), VT_OK);
    size_t at = late ? n - 12 : 33, chunk = 12 + e;
    uint8_t *out = vt_xmalloc(n + chunk);
    memcpy(out, png, at);
    put32(out + at, (uint32_t)e);
    memcpy(out + at + 4, "eXIf", 4);
    memcpy(out + at + 8, exif, e);
    put32(out + at + 8 + e, crc32_of(out + at + 4, 4 + e));
    memcpy(out + at + chunk, png + at, n - at);
    free(png);
    *len = n + chunk;
    return out;
}

static void test_png_exif(void) {
    const int W = 3, H = 2;
    uint8_t *upright = pattern(W, H, true);
    for (int o = 1; o <= 8; o++) {
        for (int order = 0; order < 2; order++) {
            int sw, sh;
            uint8_t *stored = stored_for(upright, W, H, o, &sw, &sh);
            size_t len;
            uint8_t *png = png_with_exif(stored, sw, sh, o, order, false, &len);
            char what[64];
            snprintf(what, sizeof what, "eXIf orientation %d (%s)", o, order ? "MM" : "II");
            expect_decode(what, png, len, "png", upright, W, H, 0);
            free(png);
            /* After IDAT the chunk is ignored (the PNG specification puts it before). */
            png = png_with_exif(stored, sw, sh, o, order, true, &len);
            snprintf(what, sizeof what, "late eXIf orientation %d", o);
            expect_decode(what, png, len, "png", stored, sw, sh, 0);
            free(png);
            free(stored);
        }
    }
    /* Out of range: as stored. */
    size_t len;
    uint8_t *png = png_with_exif(upright, W, H, 9, true, false, &len);
    expect_decode("eXIf orientation 9", png, len, "png", upright, W, H, 0);
    free(png);
    free(upright);
}

static void put_le(uint8_t *p, uint32_t v, int n) {
    for (int i = 0; i < n; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

/* A lossless WebP of the pixels made extended (a VP8X chunk) with an EXIF chunk after the
 * picture, as cameras and exporters write it; `prefix`: the chunk starts with "Exif\0\0". */
static uint8_t *webp_with_exif(const uint8_t *px, int w, int h, int o, bool big_endian, bool prefix,
                               size_t *len) {
    uint8_t *enc = NULL, exif[64];
    size_t n = WebPEncodeLosslessRGBA(px, w, h, w * 4, &enc);
    size_t e = (prefix ? 6 : 0) + exif_tiff(exif + (prefix ? 6 : 0), o, big_endian);
    if (prefix) {
        memcpy(exif, "Exif\0\0", 6);
    }
    size_t total = 12 + 18 + (n - 12) + 8 + e + (e & 1);
    uint8_t *out = vt_xcalloc(total, 1);
    memcpy(out, "RIFF", 4);
    put_le(out + 4, (uint32_t)(total - 8), 4);
    memcpy(out + 8, "WEBP", 4);
    memcpy(out + 12, "VP8X", 4);
    put_le(out + 16, 10, 4);
    out[20] = 0x08 | 0x10; /* EXIF, alpha */
    put_le(out + 24, (uint32_t)(w - 1), 3);
    put_le(out + 27, (uint32_t)(h - 1), 3);
    memcpy(out + 30, enc + 12, n - 12); /* the VP8L chunk */
    size_t at = 30 + n - 12;
    memcpy(out + at, "EXIF", 4);
    put_le(out + at + 4, (uint32_t)e, 4);
    memcpy(out + at + 8, exif, e);
    WebPFree(enc);
    *len = total;
    return out;
}

static void test_webp_exif(void) {
    const int W = 3, H = 2;
    uint8_t *upright = pattern(W, H, true);
    for (int o = 1; o <= 8; o++) {
        int sw, sh;
        uint8_t *stored = stored_for(upright, W, H, o, &sw, &sh);
        size_t len;
        uint8_t *webp = webp_with_exif(stored, sw, sh, o, o % 2, o > 4, &len);
        char what[64];
        snprintf(what, sizeof what, "WebP EXIF orientation %d", o);
        expect_decode(what, webp, len, "webp", upright, W, H, 0);
        free(webp);
        free(stored);
    }
    /* out of range: as stored */
    size_t len;
    uint8_t *webp = webp_with_exif(upright, W, H, 9, true, false, &len);
    expect_decode("WebP EXIF orientation 9", webp, len, "webp", upright, W, H, 0);
    free(webp);
    free(upright);
}

static uint8_t *jpeg_encode(const uint8_t *rgba, int w, int h, size_t *len) {
    uint8_t *rgb = vt_xmalloc((size_t)w * h * 3);
    for (size_t i = 0; i < (size_t)w * h; i++) {
        memcpy(rgb + i * 3, rgba + i * 4, 3);
    }
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr e;
    c.err = jpeg_std_error(&e);
    jpeg_create_compress(&c);
    unsigned char *buf = NULL;
    unsigned long n = 0;
    jpeg_mem_dest(&c, &buf, &n);
    c.image_width = (JDIMENSION)w;
    c.image_height = (JDIMENSION)h;
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 95, TRUE);
    jpeg_start_compress(&c, TRUE);
    while (c.next_scanline < c.image_height) {
        JSAMPROW row = rgb + (size_t)c.next_scanline * (size_t)w * 3;
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(rgb);
    *len = n;
    return buf;
}

/* JPEG is lossy: the upright picture is 3x2 blocks of 16x16 pixels, each one flat colour, and
 * each block's middle is compared, within a tolerance. */
static void test_jpeg_exif(void) {
    const int B = 16, W = 3 * B, H = 2 * B;
    static const uint8_t colours[6][3] = {{230, 20, 20},  {20, 230, 20},  {20, 20, 230},
                                          {230, 230, 20}, {20, 230, 230}, {240, 240, 240}};
    uint8_t *upright = vt_xmalloc((size_t)W * H * 4);
    for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
            uint8_t *p = upright + ((size_t)y * W + x) * 4;
            memcpy(p, colours[(y / B) * 3 + x / B], 3);
            p[3] = 255;
        }
    }
    for (int o = 1; o <= 8; o++) {
        int sw, sh;
        uint8_t *stored = stored_for(upright, W, H, o, &sw, &sh);
        size_t n;
        uint8_t *jpg = jpeg_encode(stored, sw, sh, &n);
        /* APP1 right after SOI: marker, length (itself included), "Exif\0\0", the TIFF. */
        uint8_t app1[80];
        size_t e = exif_tiff(app1 + 10, o, o % 2);
        memcpy(app1, "\xff\xe1", 2);
        app1[2] = (uint8_t)((8 + e) >> 8);
        app1[3] = (uint8_t)(8 + e);
        memcpy(app1 + 4, "Exif\0\0", 6);
        size_t len = n + 10 + e;
        uint8_t *file = vt_xmalloc(len);
        memcpy(file, jpg, 2);
        memcpy(file + 2, app1, 10 + e);
        memcpy(file + 12 + e, jpg + 2, n - 2);
        free(jpg);
        char what[64];
        snprintf(what, sizeof what, "JPEG orientation %d", o);
        vt_image img;
        vt_error err = {0};
        VT_CHECK_INT(vt_image_load_memory(file, len, what, NULL, &img, &err), VT_OK);
        VT_CHECK_INT(img.width, W);
        VT_CHECK_INT(img.height, H);
        for (int by = 0; by < 2 && img.width == W && img.height == H; by++) {
            for (int bx = 0; bx < 3; bx++) {
                const uint8_t *p = img.pixels + ((size_t)(by * B + B / 2) * W + bx * B + B / 2) * 4;
                for (int c = 0; c < 3; c++) {
                    VT_CHECK_NEAR(p[c], colours[by * 3 + bx][c], 12);
                }
            }
        }
        vt_image_free(&img);
        vt_image_info info;
        VT_CHECK_INT(vt_image_probe_memory(file, len, what, NULL, &info, &err), VT_OK);
        VT_CHECK_INT(info.width, W);
        VT_CHECK_INT(info.height, H);
        free(file);
        free(stored);
    }
    free(upright);
}

/* ======== WebP ======== */

static void test_webp(void) {
    const int w = 13, h = 7;
    uint8_t *px = pattern(w, h, true), *out = NULL;
    size_t n = WebPEncodeLosslessRGBA(px, w, h, w * 4, &out);
    VT_CHECK(n > 0);
    expect_decode("lossless WebP with alpha", out, n, "webp", px, w, h, 0);
    /* Truncated: the file is named and the decoder says what is wrong. */
    expect_refusal("cut.webp", out, n - 10, "not a valid WebP image", NULL, false);
    /* Over the limits: refused by the probe as by the decoder, before decoding. */
    vt_image_limits small = {.max_width = 12};
    expect_refusal("wide.webp", out, n, "over the limit of 12x65535", &small, true);
    WebPFree(out);

    /* Lossy: a smooth gradient comes back close. */
    uint8_t *smooth = vt_xmalloc((size_t)64 * 64 * 4);
    for (int i = 0; i < 64 * 64; i++) {
        uint8_t *p = smooth + (size_t)i * 4;
        p[0] = (uint8_t)(i % 64 * 4), p[1] = (uint8_t)(i / 64 * 4), p[2] = 128, p[3] = 255;
    }
    n = WebPEncodeRGBA(smooth, 64, 64, 64 * 4, 95, &out);
    VT_CHECK(n > 0);
    expect_decode("lossy WebP", out, n, "webp", smooth, 64, 64, 24);
    WebPFree(out);
    free(smooth);

    /* An animation (VP8X with its animation flag) is refused with a way out. */
    static const uint8_t anim[] = {
        'R', 'I', 'F', 'F', 30, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'X', 10, 0, 0, 0, 2, 0,
        0,   0,   9,   0,   0,  9, 0, 0, 'A', 'N', 'I', 'M', 6,   0,   0,   0,   0,  0, 0, 0, 0, 0};
    expect_refusal("anim.webp", anim, sizeof anim, "animated WebP", NULL, true);
    free(px);
}

/* ======== TIFF ======== */

typedef struct tiff_case {
    const char *what;
    int samples, bits;
    uint16_t photometric, compression, extra;
    bool tiled;
    int orientation;
} tiff_case;

/* Writes px (RGBA8) in the case's layout; 16-bit samples are v * 257 (exactly v in 8 bits). */
static uint8_t *tiff_encode(const tiff_case *tc, const uint8_t *px, int w, int h,
                            const uint16_t *palette, size_t *len) {
    char path[256];
    snprintf(path, sizeof path, "%s/made.tif", tmpdir);
    TIFF *t = TIFFOpen(path, "w");
    VT_CHECK(t != NULL);
    if (!t) {
        return NULL;
    }
    TIFFSetField(t, TIFFTAG_IMAGEWIDTH, (uint32_t)w);
    TIFFSetField(t, TIFFTAG_IMAGELENGTH, (uint32_t)h);
    TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, (uint16_t)tc->samples);
    TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, (uint16_t)tc->bits);
    TIFFSetField(t, TIFFTAG_PHOTOMETRIC, tc->photometric);
    TIFFSetField(t, TIFFTAG_COMPRESSION, tc->compression);
    TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(t, TIFFTAG_ORIENTATION, (uint16_t)tc->orientation);
    if (tc->extra) {
        TIFFSetField(t, TIFFTAG_EXTRASAMPLES, 1, &tc->extra);
    }
    if (palette) {
        TIFFSetField(t, TIFFTAG_COLORMAP, palette, palette + 256, palette + 512);
    }
    int bytes = tc->bits / 8, spp = tc->samples;
    size_t row_bytes = (size_t)w * spp * bytes;
    uint8_t *buf = vt_xcalloc((size_t)h, row_bytes);
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            const uint8_t *p = px + ((size_t)y * w + x) * 4;
            for (int s = 0; s < spp; s++) {
                /* grey: the red channel; grey + alpha: red then alpha; palette: the index */
                uint8_t v = spp == 2 && s == 1 ? p[3] : p[s];
                uint8_t *d = buf + (size_t)y * row_bytes + ((size_t)x * spp + s) * bytes;
                if (bytes == 2) {
                    uint16_t v16 = (uint16_t)(v * 257);
                    memcpy(d, &v16, 2);
                } else {
                    *d = v;
                }
            }
        }
    }
    if (tc->tiled) {
        TIFFSetField(t, TIFFTAG_TILEWIDTH, 16);
        TIFFSetField(t, TIFFTAG_TILELENGTH, 16);
        uint8_t *tile = vt_xmalloc((size_t)TIFFTileSize(t));
        for (int ty = 0; ty < h; ty += 16) {
            for (int tx = 0; tx < w; tx += 16) {
                memset(tile, 0, (size_t)TIFFTileSize(t));
                for (int y = ty; y < ty + 16 && y < h; y++) {
                    size_t n = (size_t)((tx + 16 < w ? 16 : w - tx) * spp * bytes);
                    memcpy(tile + (size_t)(y - ty) * 16 * spp * bytes,
                           buf + (size_t)y * row_bytes + (size_t)tx * spp * bytes, n);
                }
                TIFFWriteTile(t, tile, (uint32_t)tx, (uint32_t)ty, 0, 0);
            }
        }
        free(tile);
    } else {
        TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, 3);
        for (int y = 0; y < h; y++) {
            TIFFWriteScanline(t, buf + (size_t)y * row_bytes, (uint32_t)y, 0);
        }
    }
    free(buf);
    TIFFClose(t);
    uint8_t *data = slurp(path, len);
    unlink(path);
    return data;
}

static void test_tiff(void) {
    const int w = 21, h = 17;
    uint8_t *px = pattern(w, h, true);
    static const tiff_case cases[] = {
        {"TIFF RGB 8-bit", 3, 8, PHOTOMETRIC_RGB, COMPRESSION_NONE, 0, false, 1},
        {"TIFF RGBA 8-bit LZW", 4, 8, PHOTOMETRIC_RGB, COMPRESSION_LZW, EXTRASAMPLE_UNASSALPHA,
         false, 1},
        {"TIFF RGBA 16-bit Deflate tiled", 4, 16, PHOTOMETRIC_RGB, COMPRESSION_ADOBE_DEFLATE,
         EXTRASAMPLE_UNASSALPHA, true, 1},
        {"TIFF grey 8-bit PackBits", 1, 8, PHOTOMETRIC_MINISBLACK, COMPRESSION_PACKBITS, 0, false,
         1},
        {"TIFF grey + alpha 8-bit", 2, 8, PHOTOMETRIC_MINISBLACK, COMPRESSION_NONE,
         EXTRASAMPLE_UNASSALPHA, false, 1},
        {"TIFF grey 16-bit", 1, 16, PHOTOMETRIC_MINISBLACK, COMPRESSION_LZW, 0, false, 1},
        {"TIFF palette", 1, 8, PHOTOMETRIC_PALETTE, COMPRESSION_LZW, 0, false, 1},
    };
    uint16_t palette[768];
    for (int i = 0; i < 256; i++) { /* index i shows (255 - i, i, i / 2) */
        palette[i] = (uint16_t)((255 - i) * 257);
        palette[256 + i] = (uint16_t)(i * 257);
        palette[512 + i] = (uint16_t)(i / 2 * 257);
    }
    uint8_t *want = vt_xmalloc((size_t)w * h * 4);
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        const tiff_case *tc = &cases[k];
        for (size_t i = 0; i < (size_t)w * h; i++) {
            const uint8_t *p = px + i * 4;
            uint8_t *q = want + i * 4;
            uint8_t grey = p[0];
            bool alpha = tc->samples == 2 || tc->samples == 4;
            if (tc->photometric == PHOTOMETRIC_PALETTE) {
                q[0] = (uint8_t)(255 - grey), q[1] = grey, q[2] = (uint8_t)(grey / 2);
            } else if (tc->samples <= 2) {
                q[0] = q[1] = q[2] = grey;
            } else {
                memcpy(q, p, 3);
            }
            q[3] = alpha ? p[3] : 255;
        }
        size_t len;
        uint8_t *tif = tiff_encode(tc, px, w, h,
                                   tc->photometric == PHOTOMETRIC_PALETTE ? palette : NULL, &len);
        if (tif) {
            expect_decode(tc->what, tif, len, "tif", want, w, h, 0);
        }
        free(tif);
    }
    /* The Orientation tag, all eight. */
    for (int o = 1; o <= 8; o++) {
        int sw, sh;
        uint8_t *stored = stored_for(px, w, h, o, &sw, &sh);
        tiff_case tc = {"",    4, 8, PHOTOMETRIC_RGB, COMPRESSION_NONE, EXTRASAMPLE_UNASSALPHA,
                        false, o};
        size_t len;
        uint8_t *tif = tiff_encode(&tc, stored, sw, sh, NULL, &len);
        char what[64];
        snprintf(what, sizeof what, "TIFF orientation %d", o);
        if (tif) {
            expect_decode(what, tif, len, "tif", px, w, h, 0);
        }
        free(tif);
        free(stored);
    }
    /* Premultiplied (associated) alpha comes back straight, to within rounding. */
    tiff_case pre = {"", 4, 8, PHOTOMETRIC_RGB, COMPRESSION_NONE, EXTRASAMPLE_ASSOCALPHA, false, 1};
    uint8_t *premul = vt_xmalloc((size_t)w * h * 4);
    for (size_t i = 0; i < (size_t)w * h * 4; i++) {
        premul[i] = i % 4 == 3 ? px[i] : (uint8_t)((px[i] * px[i - i % 4 + 3] + 127) / 255);
    }
    size_t len;
    uint8_t *tif = tiff_encode(&pre, premul, w, h, NULL, &len);
    for (size_t i = 0; i < (size_t)w * h * 4; i += 4) { /* rounding grows as alpha shrinks */
        unsigned a = px[i + 3];
        for (int c = 0; c < 3; c++) {
            want[i + c] = a < 16 ? premul[i + c] : px[i + c];
        }
        want[i + 3] = (uint8_t)a;
    }
    vt_image img;
    vt_error err = {0};
    VT_CHECK_INT(vt_image_load_memory(tif, len, "premultiplied.tif", NULL, &img, &err), VT_OK);
    int worst = 0;
    for (size_t i = 0; img.pixels && i < (size_t)w * h * 4; i++) {
        if (px[i - i % 4 + 3] >= 16 && abs(img.pixels[i] - px[i]) > worst) {
            worst = abs(img.pixels[i] - px[i]);
        }
    }
    VT_CHECK(worst <= 8);
    vt_image_free(&img);
    /* Damaged LZW data in the first strip (the directory intact): refused, not drawn blank. */
    {
        tiff_case lzw = {"",    4, 8, PHOTOMETRIC_RGB, COMPRESSION_LZW, EXTRASAMPLE_UNASSALPHA,
                         false, 1};
        size_t n;
        uint8_t *bad = tiff_encode(&lzw, px, w, h, NULL, &n);
        if (bad && n > 48) {
            memset(bad + 8, 0xff, 40); /* libtiff writes the first strip right after the header */
            expect_refusal("lzw.tif", bad, n, "lzw.tif: not a valid TIFF image", NULL, false);
        }
        free(bad);
    }
    /* Damaged: truncated pixels, a truncated header, over the limits. */
    expect_refusal("cut.tif", tif, len / 2, "cut.tif: not a valid TIFF image", NULL, false);
    expect_refusal("head.tif", tif, 6, "head.tif: not a valid TIFF image", NULL, true);
    vt_image_limits small = {.max_pixels = 100};
    expect_refusal("big.tif", tif, len, "over the limit of 100", &small, true);
    free(tif);
    free(premul);
    free(want);
    free(px);
}

/* ======== 16-bit PNG ======== */

static uint32_t adler32_of(const uint8_t *p, size_t n) {
    uint32_t a = 1, b = 0;
    for (size_t i = 0; i < n; i++) {
        a = (a + p[i]) % 65521;
        b = (b + a) % 65521;
    }
    return b << 16 | a;
}

static size_t put_chunk(uint8_t *out, const char *type, const uint8_t *data, size_t n) {
    put32(out, (uint32_t)n);
    memcpy(out + 4, type, 4);
    if (n) {
        memcpy(out + 8, data, n);
    }
    put32(out + 8 + n, crc32_of(out + 4, 4 + n));
    return 12 + n;
}

/* An RGBA16 PNG written by hand (zlib "stored" blocks: no compressor involved), with an eXIf
 * chunk holding orientation o when o > 0. */
static uint8_t *png16(const uint16_t *px, int w, int h, int o, size_t *len) {
    size_t raw_len = (size_t)h * (1 + (size_t)w * 8);
    uint8_t *raw = vt_xcalloc(raw_len, 1);
    for (int y = 0; y < h; y++) {
        for (int i = 0; i < w * 4; i++) {
            uint8_t *d = raw + (size_t)y * (1 + (size_t)w * 8) + 1 + (size_t)i * 2;
            d[0] = (uint8_t)(px[(size_t)y * w * 4 + i] >> 8);
            d[1] = (uint8_t)px[(size_t)y * w * 4 + i];
        }
    }
    uint8_t *z = vt_xmalloc(raw_len + 11); /* one stored block: raw_len < 65536 here */
    z[0] = 0x78, z[1] = 0x01, z[2] = 0x01;
    z[3] = (uint8_t)raw_len, z[4] = (uint8_t)(raw_len >> 8);
    z[5] = (uint8_t)~raw_len, z[6] = (uint8_t)(~raw_len >> 8);
    memcpy(z + 7, raw, raw_len);
    put32(z + 7 + raw_len, adler32_of(raw, raw_len));
    uint8_t *out = vt_xmalloc(raw_len + 256), ihdr[13], exif[64];
    put32(ihdr, (uint32_t)w);
    put32(ihdr + 4, (uint32_t)h);
    ihdr[8] = 16, ihdr[9] = 6, ihdr[10] = ihdr[11] = ihdr[12] = 0;
    memcpy(out, "\x89PNG\r\n\x1a\n", 8);
    size_t n = 8 + put_chunk(out + 8, "IHDR", ihdr, 13);
    if (o > 0) {
        n += put_chunk(out + n, "eXIf", exif, exif_tiff(exif, o, true));
    }
    n += put_chunk(out + n, "IDAT", z, raw_len + 11);
    n += put_chunk(out + n, "IEND", NULL, 0);
    free(raw);
    free(z);
    *len = n;
    return out;
}

/* 16-bit samples: 8 bits (their high byte) by default; all 16 when asked, for the renderer to
 * dither, the high bytes still in `pixels`, the orientation applied to both. */
static void test_png16(void) {
    const int w = 3, h = 2;
    uint16_t px[3 * 2 * 4];
    for (int i = 0; i < w * h * 4; i++) {
        px[i] = (uint16_t)(i * 2731 + 17);
    }
    size_t len;
    uint8_t *png = png16(px, w, h, 0, &len);
    vt_image img;
    vt_error err = {0};
    VT_CHECK_INT(vt_image_load_memory(png, len, "16.png", NULL, &img, &err), VT_OK);
    VT_CHECK(img.pixels16 == NULL);
    for (int i = 0; img.pixels && i < w * h * 4; i++) {
        VT_CHECK_INT(img.pixels[i], px[i] >> 8);
    }
    vt_image_free(&img);
    vt_image_limits keep = {.keep_16bit = true};
    VT_CHECK_INT(vt_image_load_memory(png, len, "16.png", &keep, &img, &err), VT_OK);
    VT_CHECK(img.pixels16 != NULL);
    for (int i = 0; img.pixels16 && i < w * h * 4; i++) {
        VT_CHECK_INT(img.pixels16[i], px[i]);
        VT_CHECK_INT(img.pixels[i], px[i] >> 8);
    }
    vt_image_free(&img);
    free(png);
    /* Orientation 6: shown a quarter turn clockwise, 2x3. */
    png = png16(px, w, h, 6, &len);
    VT_CHECK_INT(vt_image_load_memory(png, len, "16-6.png", &keep, &img, &err), VT_OK);
    VT_CHECK(img.width == h && img.height == w && img.pixels16);
    for (int y = 0; img.pixels16 && y < w; y++) {
        for (int x = 0; x < h; x++) { /* shown (x, y) is stored (y, h - 1 - x) */
            for (int c = 0; c < 4; c++) {
                uint16_t want = px[((h - 1 - x) * w + y) * 4 + c];
                VT_CHECK_INT(img.pixels16[(y * h + x) * 4 + c], want);
                VT_CHECK_INT(img.pixels[(y * h + x) * 4 + c], want >> 8);
            }
        }
    }
    vt_image_free(&img);
    free(png);
}

static void test_unknown_format(void) {
    static const uint8_t gif[] = "GIF89a\x01\x00\x01\x00\x00\x00\x00";
    expect_refusal("x.gif", gif, sizeof gif - 1, "not a PNG, JPEG, WebP or TIFF image", NULL, true);
}

int main(void) {
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    TIFFSetWarningHandler(NULL); /* the writer's notes on test files are not failures */
    test_png_exif();
    test_jpeg_exif();
    test_webp_exif();
    test_webp();
    test_tiff();
    test_png16();
    test_unknown_format();
    rmdir(tmpdir);
    return vt_test_finish("test_image_formats");
}
