/* Image loading front end: reading the file whole under a size limit, choosing the decoder by
 * magic bytes (PNG, JPEG, WebP, TIFF), the shared limit checks, and the box-filter downscale. */
#include "io/image_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_MAX_SIDE VT_IMAGE_MAX_SIDE
#define DEFAULT_MAX_PIXELS (UINT64_C(64) * 1024 * 1024)
#define DEFAULT_MAX_FILE ((size_t)256 * 1024 * 1024)

vt_image_limits vt_image_limits_resolve(const vt_image_limits *limits) {
    vt_image_limits lim = limits ? *limits : (vt_image_limits){0};
    if (lim.max_width <= 0) {
        lim.max_width = DEFAULT_MAX_SIDE;
    }
    if (lim.max_height <= 0) {
        lim.max_height = DEFAULT_MAX_SIDE;
    }
    if (lim.max_pixels == 0) {
        lim.max_pixels = DEFAULT_MAX_PIXELS;
    }
    if (lim.max_file_size == 0) {
        lim.max_file_size = DEFAULT_MAX_FILE;
    }
    return lim;
}

vt_status vt_image_check_limits(const char *name, const char *format, uint64_t width,
                                uint64_t height, const vt_image_limits *lim, vt_error *err) {
    if (width == 0 || height == 0) {
        return VT_FAIL(err, VT_E_DATAERR,
                       "%s: not a valid %s image: it is %" PRIu64 "x%" PRIu64 " pixels", name,
                       format, width, height);
    }
    if (width > (uint64_t)lim->max_width || height > (uint64_t)lim->max_height) {
        return VT_FAIL(err, VT_E_DATAERR,
                       "%s: %s image is %" PRIu64 "x%" PRIu64 " pixels, over the limit of %dx%d;"
                       " scale it down before using it",
                       name, format, width, height, lim->max_width, lim->max_height);
    }
    /* Both sides are at most INT_MAX here, so the product cannot overflow 64 bits. */
    if (width * height > lim->max_pixels) {
        return VT_FAIL(err, VT_E_DATAERR,
                       "%s: %s image has %" PRIu64 " pixels, over the limit of %" PRIu64
                       "; scale it down before using it",
                       name, format, width * height, lim->max_pixels);
    }
    return VT_OK;
}

/* Reads the whole file, refusing anything over max_bytes before reading it all. */
static vt_status read_whole(const char *path, size_t max_bytes, uint8_t **out_data, size_t *out_len,
                            vt_error *err) {
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY); /* a FIFO must not wait */
    if (fd < 0) {
        return VT_FAIL(err, VT_E_NOINPUT, "%s: cannot open the image: %s", path, strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return VT_FAIL(err, VT_E_NOINPUT, "%s: cannot read the image: not a regular file", path);
    }
    if ((uint64_t)st.st_size > (uint64_t)max_bytes) {
        close(fd);
        return VT_FAIL(err, VT_E_DATAERR, "%s: image file is %lld bytes, over the limit of %zu",
                       path, (long long)st.st_size, max_bytes);
    }
    /* The file may change under us: read until EOF, but never past max_bytes + 1. */
    size_t cap = (size_t)st.st_size + 1, len = 0;
    uint8_t *buf = vt_xmalloc(cap);
    for (;;) {
        if (len == cap) {
            if (cap > max_bytes) {
                break;
            }
            cap = cap * 2 > max_bytes + 1 ? max_bytes + 1 : cap * 2;
            buf = vt_xrealloc(buf, cap);
        }
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            vt_status s =
                VT_FAIL(err, VT_E_NOINPUT, "%s: cannot read the image: %s", path, strerror(errno));
            free(buf);
            close(fd);
            return s;
        }
        if (n == 0) {
            break;
        }
        len += (size_t)n;
    }
    close(fd);
    if (len > max_bytes) {
        free(buf);
        return VT_FAIL(err, VT_E_DATAERR, "%s: image file grew over the limit of %zu bytes", path,
                       max_bytes);
    }
    *out_data = buf;
    *out_len = len;
    return VT_OK;
}

vt_status vt_image_load(const char *path, const vt_image_limits *limits, vt_image *out,
                        vt_error *err) {
    *out = (vt_image){0};
    vt_image_limits lim = vt_image_limits_resolve(limits);
    uint8_t *data = NULL;
    size_t len = 0;
    vt_status s = read_whole(path, lim.max_file_size, &data, &len, err);
    if (s != VT_OK) {
        return s;
    }
    s = vt_image_load_memory(data, len, path, &lim, out, err);
    free(data);
    return s;
}

int64_t vt_image_source_read(const vt_image_source *src, uint64_t off, void *buf, size_t n) {
    if (!src->data && src->fd < 0) {
        return -1;
    }
    if (src->data) {
        if (off >= src->len) {
            return 0;
        }
        uint64_t left = src->len - off;
        size_t k = left < n ? (size_t)left : n;
        memcpy(buf, src->data + off, k);
        return (int64_t)k;
    }
    size_t got = 0;
    while (got < n && off + got <= (uint64_t)INT64_MAX) {
        ssize_t r = pread(src->fd, (uint8_t *)buf + got, n - got, (off_t)(off + got));
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0) {
            return -1;
        }
        if (r == 0) {
            break;
        }
        got += (size_t)r;
    }
    return (int64_t)got;
}

typedef enum image_format {
    FORMAT_NONE,
    FORMAT_PNG,
    FORMAT_JPEG,
    FORMAT_WEBP,
    FORMAT_TIFF
} image_format;

/* The format by the first bytes (at least 12 when the file has them); FORMAT_NONE with the
 * error set when it is none of them. */
static image_format sniff(const uint8_t *bytes, size_t len, const char *name, vt_error *err) {
    static const uint8_t png_magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    static const uint8_t jpeg_magic[3] = {0xff, 0xd8, 0xff};
    if (len == 0) {
        (void)VT_FAIL(err, VT_E_DATAERR, "%s: image file is empty", name);
        return FORMAT_NONE;
    }
    if (len >= sizeof png_magic && memcmp(bytes, png_magic, sizeof png_magic) == 0) {
        return FORMAT_PNG;
    }
    if (len >= 4 && memcmp(bytes, png_magic, 4) == 0) {
        (void)VT_FAIL(err, VT_E_DATAERR,
                      "%s: not a valid PNG image: damaged signature (was it "
                      "transferred as text?); export it again",
                      name);
        return FORMAT_NONE;
    }
    if (len >= sizeof jpeg_magic && memcmp(bytes, jpeg_magic, sizeof jpeg_magic) == 0) {
        return FORMAT_JPEG;
    }
    if (len >= 12 && memcmp(bytes, "RIFF", 4) == 0 && memcmp(bytes + 8, "WEBP", 4) == 0) {
        return FORMAT_WEBP;
    }
    /* Classic TIFF (42) and BigTIFF (43), in either byte order. */
    if (len >= 4 && ((bytes[0] == 'I' && bytes[1] == 'I' && (bytes[2] == 42 || bytes[2] == 43) &&
                      bytes[3] == 0) ||
                     (bytes[0] == 'M' && bytes[1] == 'M' && bytes[2] == 0 &&
                      (bytes[3] == 42 || bytes[3] == 43)))) {
        return FORMAT_TIFF;
    }
    (void)VT_FAIL(err, VT_E_DATAERR, "%s: not a PNG, JPEG, WebP or TIFF image; convert it to PNG",
                  name);
    return FORMAT_NONE;
}

vt_status vt_image_load_memory(const void *data, size_t len, const char *name,
                               const vt_image_limits *limits, vt_image *out, vt_error *err) {
    *out = (vt_image){0};
    name = name ? name : "(memory)";
    vt_image_limits lim = vt_image_limits_resolve(limits);
    const uint8_t *bytes = data;
    if (len > lim.max_file_size) {
        return VT_FAIL(err, VT_E_DATAERR, "%s: image is %zu bytes, over the limit of %zu", name,
                       len, lim.max_file_size);
    }
    vt_status s;
    switch (sniff(bytes, data ? len : 0, name, err)) {
    case FORMAT_PNG:
        s = vt_image_png_decode(bytes, len, name, &lim, out, err);
        if (s == VT_OK) {
            vt_image_source src = {.data = bytes, .len = len, .fd = -1};
            vt_image_orient(out, vt_image_png_orientation(&src));
        }
        return s;
    case FORMAT_JPEG:
        return vt_image_jpeg_decode(bytes, len, name, &lim, out, err);
    case FORMAT_WEBP:
        s = vt_image_webp_decode(bytes, len, name, &lim, out, err);
        if (s == VT_OK) {
            vt_image_source src = {.data = bytes, .len = len, .fd = -1};
            vt_image_orient(out, vt_image_webp_orientation(&src));
        }
        return s;
    case FORMAT_TIFF:
        return vt_image_tiff_decode(bytes, len, name, &lim, out, err);
    default:
        return VT_E_DATAERR;
    }
}

/* The header of whatever `src` holds (an open file or memory), by format. */
static vt_status probe_source(const vt_image_source *src, const char *name,
                              const vt_image_limits *lim, vt_image_info *out, vt_error *err) {
    uint8_t head[64]; /* PNG: signature, IHDR's length, type and data; WebP: the first chunk */
    int64_t got = vt_image_source_read(src, 0, head, sizeof head);
    if (got < 0) {
        return VT_FAIL(err, VT_E_NOINPUT, "%s: cannot read the image: %s", name, strerror(errno));
    }
    size_t len = (size_t)got;
    vt_status s = VT_E_DATAERR;
    switch (sniff(head, len, name, err)) {
    case FORMAT_PNG:
        s = vt_image_png_probe(head, len, name, lim, out, err);
        if (s == VT_OK) {
            vt_image_oriented_size(vt_image_png_orientation(src), &out->width, &out->height);
        }
        break;
    case FORMAT_JPEG: {
        FILE *f =
            src->data ? fmemopen((void *)src->data, src->len, "rb") : fdopen(dup(src->fd), "rb");
        if (!f) {
            return VT_FAIL(err, VT_E_NOINPUT, "%s: cannot read the image: %s", name,
                           strerror(errno));
        }
        s = vt_image_jpeg_probe(f, name, lim, out, err);
        fclose(f);
        break;
    }
    case FORMAT_WEBP:
        s = vt_image_webp_probe(head, len, name, lim, out, err);
        if (s == VT_OK) {
            vt_image_oriented_size(vt_image_webp_orientation(src), &out->width, &out->height);
        }
        break;
    case FORMAT_TIFF:
        s = vt_image_tiff_probe(src, name, lim, out, err);
        break;
    default:
        break;
    }
    if (s != VT_OK) {
        out->width = out->height = 0;
    }
    return s;
}

vt_status vt_image_probe_memory(const void *data, size_t len, const char *name,
                                const vt_image_limits *limits, vt_image_info *out, vt_error *err) {
    *out = (vt_image_info){.file_bytes = len};
    name = name ? name : "(memory)";
    vt_image_limits lim = vt_image_limits_resolve(limits);
    if (len > lim.max_file_size) {
        return VT_FAIL(err, VT_E_DATAERR, "%s: image is %zu bytes, over the limit of %zu", name,
                       len, lim.max_file_size);
    }
    if (!data || len == 0) {
        return VT_FAIL(err, VT_E_DATAERR, "%s: image file is empty", name);
    }
    vt_image_source src = {.data = data, .len = len, .fd = -1};
    return probe_source(&src, name, &lim, out, err);
}

vt_status vt_image_probe(const char *path, const vt_image_limits *limits, vt_image_info *out,
                         vt_error *err) {
    *out = (vt_image_info){0};
    vt_image_limits lim = vt_image_limits_resolve(limits);
    /* Non-blocking: a FIFO planted as an image must not stop the show (refused below). */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        return VT_FAIL(err, VT_E_NOINPUT, "%s: cannot open the image: %s", path, strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return VT_FAIL(err, VT_E_NOINPUT, "%s: cannot read the image: not a regular file", path);
    }
    if ((uint64_t)st.st_size > (uint64_t)lim.max_file_size) {
        close(fd);
        return VT_FAIL(err, VT_E_DATAERR, "%s: image file is %lld bytes, over the limit of %zu",
                       path, (long long)st.st_size, lim.max_file_size);
    }
    out->file_bytes = (uint64_t)st.st_size;
    vt_image_source src = {.len = (uint64_t)st.st_size, .fd = fd};
    vt_status s = probe_source(&src, path, &lim, out, err);
    close(fd);
    return s;
}

bool vt_image_implausible(const vt_image_info *info) {
    uint64_t pixels = (uint64_t)info->width * (uint64_t)info->height;
    return pixels >= VT_IMAGE_IMPLAUSIBLE_MIN_PIXELS &&
           pixels / VT_IMAGE_IMPLAUSIBLE_PIXELS_PER_BYTE >= info->file_bytes;
}

uint64_t vt_image_cost(uint64_t width, uint64_t height, bool wide) {
    return width * height * (wide ? 2 : 1);
}

void vt_image_free(vt_image *img) {
    if (!img) {
        return;
    }
    free(img->pixels);
    free(img->pixels16);
    *img = (vt_image){0};
}

/* ---- downscale ---- */

/* How one destination column (or row) covers the source: source cells [first, first + count),
 * with weights in units where a whole source cell weighs `dst_n` (exact integers). */
typedef struct span {
    int first, count;
    uint32_t *weights;
} span;

/* Destination cell d covers [d * src_n, (d + 1) * src_n) and source cell s covers
 * [s * dst_n, (s + 1) * dst_n), both measured in 1 / (src_n * dst_n) of the image. */
static span *spans_make(int src_n, int dst_n) {
    span *spans = vt_xcalloc((size_t)dst_n, sizeof *spans);
    for (int d = 0; d < dst_n; d++) {
        uint64_t lo = (uint64_t)d * (uint64_t)src_n, hi = lo + (uint64_t)src_n;
        int first = (int)(lo / (uint64_t)dst_n);
        int last = (int)((hi - 1) / (uint64_t)dst_n);
        spans[d].first = first;
        spans[d].count = last - first + 1;
        spans[d].weights = vt_xmalloc((size_t)spans[d].count * sizeof(uint32_t));
        for (int s = first; s <= last; s++) {
            uint64_t cl = (uint64_t)s * (uint64_t)dst_n, ch = cl + (uint64_t)dst_n;
            uint64_t a = cl > lo ? cl : lo, b = ch < hi ? ch : hi;
            spans[d].weights[s - first] = (uint32_t)(b - a);
        }
    }
    return spans;
}

static void spans_free(span *spans, int n) {
    for (int i = 0; i < n; i++) {
        free(spans[i].weights);
    }
    free(spans);
}

/* One destination pixel: colours weighted by alpha too, so that the colour of fully transparent
 * pixels (often black) does not bleed into the edges of what is visible. */
static void box_pixel(const vt_image *img, const span *sx, const span *sy, uint8_t *dst) {
    uint64_t acc[3] = {0, 0, 0}, alpha = 0, total = 0;
    for (int j = 0; j < sy->count; j++) {
        const uint8_t *row = img->pixels + (size_t)(sy->first + j) * (size_t)img->width * 4;
        for (int i = 0; i < sx->count; i++) {
            const uint8_t *p = row + (size_t)(sx->first + i) * 4;
            uint64_t w = (uint64_t)sy->weights[j] * sx->weights[i];
            uint64_t wa = w * p[3];
            acc[0] += wa * p[0];
            acc[1] += wa * p[1];
            acc[2] += wa * p[2];
            alpha += wa;
            total += w;
        }
    }
    for (int c = 0; c < 3; c++) {
        dst[c] = (uint8_t)(alpha ? (acc[c] + alpha / 2) / alpha : 0);
    }
    dst[3] = (uint8_t)((alpha + total / 2) / total);
}

void vt_image_downscale(vt_image *img, int max_side) {
    if (!img || !img->pixels || max_side <= 0 || img->width <= 0 || img->height <= 0 ||
        (img->width <= max_side && img->height <= max_side)) {
        return;
    }
    int w = img->width, h = img->height, nw, nh;
    /* The longer side becomes max_side; the other keeps the ratio, rounded, at least 1. */
    if (w >= h) {
        nw = max_side;
        nh = (int)(((uint64_t)h * (uint64_t)max_side + (uint64_t)w / 2) / (uint64_t)w);
    } else {
        nh = max_side;
        nw = (int)(((uint64_t)w * (uint64_t)max_side + (uint64_t)h / 2) / (uint64_t)h);
    }
    nw = nw < 1 ? 1 : nw;
    nh = nh < 1 ? 1 : nh;
    span *sx = spans_make(w, nw), *sy = spans_make(h, nh);
    uint8_t *out = vt_xmalloc((size_t)nw * (size_t)nh * 4);
    for (int y = 0; y < nh; y++) {
        for (int x = 0; x < nw; x++) {
            box_pixel(img, &sx[x], &sy[y], out + ((size_t)y * (size_t)nw + (size_t)x) * 4);
        }
    }
    spans_free(sx, nw);
    spans_free(sy, nh);
    free(img->pixels16);
    img->pixels16 = NULL;
    free(img->pixels);
    img->pixels = out;
    img->width = nw;
    img->height = nh;
}
