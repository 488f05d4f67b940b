/* Orientation: reading the EXIF Orientation tag (libexif) from a JPEG's APP1 block or a PNG's
 * eXIf chunk, and turning stored pixels into the upright picture a camera meant. */
#include "io/image_internal.h"

#include <libexif/exif-data.h>
#include <stdlib.h>
#include <string.h>

/* Larger EXIF blocks are not EXIF a camera wrote (JPEG's APP1 holds at most 64 KiB). */
#define EXIF_MAX_BYTES 65533
/* Chunks a PNG may have before IDAT that are read past looking for eXIf: bounds the reads. */
#define PNG_MAX_CHUNKS_BEFORE_IDAT 4096
/* A WebP has a handful of chunks (VP8X, ICCP, ANIM, ALPH, VP8/VP8L, EXIF, XMP): stop after this. */
#define WEBP_MAX_CHUNKS 64

int vt_image_exif_orientation(const uint8_t *exif, size_t len, bool bare) {
    static const uint8_t header[6] = {'E', 'x', 'i', 'f', 0, 0};
    if (!exif || len > EXIF_MAX_BYTES || len < (bare ? 8 : 6 + 8)) {
        return 1;
    }
    uint8_t *block = NULL;
    if (bare) { /* libexif wants the JPEG form: prefix the header */
        block = vt_xmalloc(len + sizeof header);
        memcpy(block, header, sizeof header);
        memcpy(block + sizeof header, exif, len);
        exif = block;
        len += sizeof header;
    } else if (memcmp(exif, header, sizeof header) != 0) {
        return 1;
    }
    int orientation = 1;
    ExifData *ed = exif_data_new();
    if (ed) {
        /* Read what is there; do not add the tags the specification makes mandatory. */
        exif_data_unset_option(ed, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
        exif_data_load_data(ed, exif, (unsigned int)len);
        ExifEntry *e = exif_content_get_entry(ed->ifd[EXIF_IFD_0], EXIF_TAG_ORIENTATION);
        if (e && e->format == EXIF_FORMAT_SHORT && e->components >= 1 && e->data && e->size >= 2) {
            int v = exif_get_short(e->data, exif_data_get_byte_order(ed));
            orientation = v >= 1 && v <= 8 ? v : 1;
        }
        exif_data_unref(ed);
    }
    free(block);
    return orientation;
}

static uint32_t be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

int vt_image_png_orientation(const vt_image_source *src) {
    uint64_t off = 8; /* after the signature */
    for (int i = 0; i < PNG_MAX_CHUNKS_BEFORE_IDAT; i++) {
        uint8_t head[8];
        if (vt_image_source_read(src, off, head, sizeof head) != (int64_t)sizeof head) {
            return 1;
        }
        uint32_t len = be32(head);
        if (len > 0x7fffffffu || memcmp(head + 4, "IDAT", 4) == 0 ||
            memcmp(head + 4, "IEND", 4) == 0) {
            return 1;
        }
        if (memcmp(head + 4, "eXIf", 4) == 0) {
            if (len < 8 || len > EXIF_MAX_BYTES) {
                return 1;
            }
            uint8_t *exif = vt_xmalloc(len);
            int orientation = 1;
            if (vt_image_source_read(src, off + 8, exif, len) == (int64_t)len) {
                orientation = vt_image_exif_orientation(exif, len, true);
            }
            free(exif);
            return orientation;
        }
        off += 8 + (uint64_t)len + 4; /* header, data, CRC */
    }
    return 1;
}

static uint32_t le32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int vt_image_webp_orientation(const vt_image_source *src) {
    /* RIFF header, then an extended file's VP8X chunk says whether an EXIF chunk follows */
    uint8_t head[30];
    if (vt_image_source_read(src, 0, head, sizeof head) != (int64_t)sizeof head ||
        memcmp(head + 12, "VP8X", 4) != 0 || !(head[20] & 0x08)) {
        return 1;
    }
    uint64_t off = 12;
    for (int i = 0; i < WEBP_MAX_CHUNKS; i++) {
        uint8_t ch[8];
        if (vt_image_source_read(src, off, ch, sizeof ch) != (int64_t)sizeof ch) {
            return 1;
        }
        uint32_t len = le32(ch + 4);
        if (memcmp(ch, "EXIF", 4) == 0) {
            if (len < 8 || len > EXIF_MAX_BYTES) {
                return 1;
            }
            uint8_t *exif = vt_xmalloc(len);
            int orientation = 1;
            if (vt_image_source_read(src, off + 8, exif, len) == (int64_t)len) {
                /* the chunk holds the TIFF header; some writers keep JPEG's "Exif\0\0" */
                orientation = vt_image_exif_orientation(exif, len, memcmp(exif, "Exif", 4) != 0);
            }
            free(exif);
            return orientation;
        }
        off += 8 + (uint64_t)len + (len & 1); /* header, data, padding to an even size */
    }
    return 1;
}

void vt_image_oriented_size(int orientation, int *w, int *h) {
    if (orientation >= 5 && orientation <= 8) {
        int t = *w;
        *w = *h;
        *h = t;
    }
}

/* One buffer of `px` bytes a pixel turned; returns the new buffer (the old one is freed). */
static void *orient_pixels(void *pixels, size_t w, size_t h, size_t px, int orientation) {
    int ow = (int)w, oh = (int)h;
    vt_image_oriented_size(orientation, &ow, &oh);
    const uint8_t *src = pixels;
    uint8_t *dst = vt_xmalloc(w * h * px);
    /* For each shown pixel (x, y), the stored pixel (sx, sy) it comes from. */
    for (size_t y = 0; y < (size_t)oh; y++) {
        for (size_t x = 0; x < (size_t)ow; x++) {
            size_t sx, sy;
            switch (orientation) {
            case 2: /* mirrored left to right */
                sx = w - 1 - x, sy = y;
                break;
            case 3: /* turned half a turn */
                sx = w - 1 - x, sy = h - 1 - y;
                break;
            case 4: /* mirrored top to bottom */
                sx = x, sy = h - 1 - y;
                break;
            case 5: /* transposed */
                sx = y, sy = x;
                break;
            case 6: /* stored a quarter turn anticlockwise: shown turned clockwise */
                sx = y, sy = h - 1 - x;
                break;
            case 7: /* transversed */
                sx = w - 1 - y, sy = h - 1 - x;
                break;
            default: /* 8: stored a quarter turn clockwise: shown turned anticlockwise */
                sx = w - 1 - y, sy = x;
                break;
            }
            memcpy(dst + (y * (size_t)ow + x) * px, src + (sy * w + sx) * px, px);
        }
    }
    free(pixels);
    return dst;
}

void vt_image_orient(vt_image *img, int orientation) {
    if (!img || !img->pixels || orientation < 2 || orientation > 8) {
        return;
    }
    size_t w = (size_t)img->width, h = (size_t)img->height;
    img->pixels = orient_pixels(img->pixels, w, h, 4, orientation);
    if (img->pixels16) {
        img->pixels16 = orient_pixels(img->pixels16, w, h, 8, orientation);
    }
    vt_image_oriented_size(orientation, &img->width, &img->height);
}
