/* HAP frames taken apart by the engine (hap.c), from packets built here byte by byte: plain,
 * Snappy, chunked (with and without an offset table) and HAP Q Alpha's two images give exactly
 * the picture's blocks; a cut or oversized header, an unknown format or compressor, too many or
 * disagreeing chunks, a chunk outside the frame, damaged Snappy data and a texture of the wrong
 * size are each refused with their exact message. */
#include "video/video_internal.h"
#include "vt_test.h"

#include <snappy-c.h>
#include <stdlib.h>
#include <string.h>

typedef struct packet {
    uint8_t b[4096];
    size_t n;
} packet;

static void put(packet *p, const void *data, size_t n) {
    memcpy(p->b + p->n, data, n);
    p->n += n;
}

static void header(packet *p, size_t len, uint8_t type) {
    uint8_t h[4] = {(uint8_t)len, (uint8_t)(len >> 8), (uint8_t)(len >> 16), type};
    put(p, h, 4);
}

static void u32(packet *p, uint32_t v) {
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    put(p, b, 4);
}

/* n bytes counting up from `first`: blocks whose content is checked after unpacking. */
static void pattern(uint8_t *out, size_t n, int first) {
    for (size_t i = 0; i < n; i++) {
        out[i] = (uint8_t)(first + (int)i);
    }
}

/* An uncompressed (or other compressor) single-texture frame of `n` pattern bytes. */
static packet plain(uint8_t type, size_t n) {
    packet p = {.n = 0};
    uint8_t data[1024];
    pattern(data, n, 1);
    header(&p, n, type);
    put(&p, data, n);
    return p;
}

static void ok(const char *name, const packet *p, int w, int h, int count, vt_video_blocks f0) {
    vt_video_hap hap;
    vt_error err = {0};
    vt_status st = vt_video_hap_unpack(p->b, p->n, w, h, &hap, &err);
    if (st != VT_OK) {
        fprintf(stderr, "%s: %s\n", name, err.message);
    }
    VT_CHECK_INT(st, VT_OK);
    if (st != VT_OK) {
        return;
    }
    VT_CHECK_INT(hap.count, count);
    VT_CHECK_INT(hap.format[0], f0);
    size_t want = vt_video_hap_texture_bytes(f0, w, h);
    VT_CHECK_INT((int)hap.buf[0]->size, (int)want);
    uint8_t expect[1024];
    pattern(expect, want, 1);
    VT_CHECK(memcmp(hap.buf[0]->data, expect, want) == 0);
    vt_video_hap_free(&hap);
}

static void bad(const char *name, const packet *p, int w, int h, const char *message) {
    vt_video_hap hap;
    vt_error err = {0};
    VT_CHECK_INT(vt_video_hap_unpack(p->b, p->n, w, h, &hap, &err), VT_E_DATAERR);
    if (strcmp(err.message, message) != 0) {
        fprintf(stderr, "%s:\n  got  %s\n  want %s\n", name, err.message, message);
    }
    VT_CHECK_STR(err.message, message);
    VT_CHECK(hap.buf[0] == NULL && hap.buf[1] == NULL);
}

/* A chunked DXT1 8x4 frame (16 bytes in two uncompressed chunks of 8): the decode instructions
 * (compressor table of `ncomp`, size table `sizes`, an offset table when `offsets`), the data. */
static packet chunked(int ncomp, const uint32_t *sizes, int nsizes, const uint32_t *offsets) {
    packet di = {.n = 0};
    header(&di, (size_t)ncomp, 0x02);
    for (int i = 0; i < ncomp; i++) {
        uint8_t c = 0x0A;
        put(&di, &c, 1);
    }
    header(&di, (size_t)nsizes * 4, 0x03);
    for (int i = 0; i < nsizes; i++) {
        u32(&di, sizes[i]);
    }
    if (offsets) {
        header(&di, (size_t)nsizes * 4, 0x04);
        for (int i = 0; i < nsizes; i++) {
            u32(&di, offsets[i]);
        }
    }
    uint8_t data[16];
    pattern(data, 16, 1);
    packet p = {.n = 0};
    header(&p, 4 + di.n + 16, 0xCB);
    header(&p, di.n, 0x01);
    put(&p, di.b, di.n);
    put(&p, data, 16);
    return p;
}

static void good_frames(void) {
    packet p = plain(0xAB, 16); /* 8x4: two DXT1 blocks */
    ok("plain DXT1", &p, 8, 4, 1, VT_VIDEO_DXT1);
    p = plain(0xAE, 32);
    ok("plain DXT5", &p, 8, 4, 1, VT_VIDEO_DXT5);
    p = plain(0xAF, 16 * 4); /* 6x6 pads to 2x2 blocks */
    ok("plain YCoCg, padded size", &p, 6, 6, 1, VT_VIDEO_YCOCG_DXT5);
    /* The 8-byte header form. */
    packet l = {.n = 0};
    uint8_t data[16];
    pattern(data, 16, 1);
    header(&l, 0, 0xAB);
    u32(&l, 16);
    put(&l, data, 16);
    ok("long header", &l, 8, 4, 1, VT_VIDEO_DXT1);
    /* Snappy. */
    char comp[64];
    size_t clen = sizeof comp;
    VT_CHECK_INT(snappy_compress((const char *)data, 16, comp, &clen), SNAPPY_OK);
    packet s = {.n = 0};
    header(&s, clen, 0xBB);
    put(&s, comp, clen);
    ok("snappy", &s, 8, 4, 1, VT_VIDEO_DXT1);
    /* Chunked, consecutive and with offsets. */
    uint32_t sizes[2] = {8, 8}, offsets[2] = {0, 8};
    p = chunked(2, sizes, 2, NULL);
    ok("chunked", &p, 8, 4, 1, VT_VIDEO_DXT1);
    p = chunked(2, sizes, 2, offsets);
    ok("chunked with offsets", &p, 8, 4, 1, VT_VIDEO_DXT1);
    /* HAP Q Alpha: alpha first in the file, colour first in the result. */
    packet qa = {.n = 0}, colour = plain(0xAF, 16), alpha = plain(0xA1, 8);
    header(&qa, colour.n + alpha.n, 0x0D);
    put(&qa, alpha.b, alpha.n);
    put(&qa, colour.b, colour.n);
    vt_video_hap hap;
    vt_error err = {0};
    VT_CHECK_INT(vt_video_hap_unpack(qa.b, qa.n, 4, 4, &hap, &err), VT_OK);
    VT_CHECK_INT(hap.count, 2);
    VT_CHECK_INT(hap.format[0], VT_VIDEO_YCOCG_DXT5);
    VT_CHECK_INT(hap.format[1], VT_VIDEO_RGTC1);
    VT_CHECK(hap.buf[0] && hap.buf[0]->size == 16 && hap.buf[1] && hap.buf[1]->size == 8);
    vt_video_hap_free(&hap);
}

static void bad_frames(void) {
    packet p = plain(0xAB, 16);
    p.n = 3;
    bad("cut header", &p, 8, 4,
        "HAP frame: a section header is cut short (3 bytes left, a header "
        "takes 4)");
    p = plain(0xAB, 16);
    p.b[0] = 18; /* 2 bytes more than the packet has */
    bad("oversized section", &p, 8, 4,
        "HAP frame: a section of 18 bytes is longer than the 16 bytes left in the packet");
    packet l = {.n = 0};
    header(&l, 0, 0xAB);
    u32(&l, 16);
    l.n = 6;
    bad("cut long header", &l, 8, 4,
        "HAP frame: a long section header is cut short (6 bytes left, it takes 8)");
    l.n = 8;
    bad("oversized long section", &l, 8, 4,
        "HAP frame: a section of 16 bytes is longer than the 0 bytes left in the packet");
    p = plain(0xAB, 8);
    bad("too small", &p, 8, 4,
        "HAP frame: the texture decompresses to 8 bytes, not the 16 of 8x4 in DXT1");
    p = plain(0xAB, 24);
    bad("too large", &p, 8, 4,
        "HAP frame: the texture decompresses to more than the 16 bytes of its picture");
    p = plain(0xA7, 16);
    bad("unknown format", &p, 8, 4,
        "HAP frame: section type 0xA7 is no texture format HAP has (DXT1 0x?B, DXT5 0x?E, YCoCg "
        "DXT5 0x?F, RGTC1 0x?1)");
    p = plain(0xDB, 16);
    bad("unknown compressor", &p, 8, 4, "HAP frame: unknown compressor 0xD in section type 0xDB");
    p = plain(0xBB, 16);
    p.b[4] = 0xFF; /* a varint length that never ends */
    p.b[5] = 0xFF;
    p.b[6] = 0xFF;
    p.b[7] = 0xFF;
    p.b[8] = 0xFF;
    bad("damaged snappy", &p, 8, 4, "HAP frame: damaged Snappy data (no length)");
    bad("no picture", &p, 0, 4, "HAP frame: a picture of 0x4");

    uint32_t sizes[2] = {8, 8}, far[2] = {8, 9}, offsets[2] = {0, 100};
    p = chunked(2, sizes, 1, NULL);
    bad("disagreeing tables", &p, 8, 4, "HAP frame: the chunk tables disagree (2 and 1 chunks)");
    p = chunked(2, far, 2, NULL);
    bad("chunk past the frame", &p, 8, 4,
        "HAP frame: chunk 1 (9 bytes at 8) lies outside the 16 bytes of the frame");
    p = chunked(2, sizes, 2, offsets);
    bad("chunk offset past the frame", &p, 8, 4,
        "HAP frame: chunk 1 (8 bytes at 100) lies outside the 16 bytes of the frame");
    p = chunked(VT_HAP_MAX_CHUNKS + 1, sizes, 0, NULL);
    bad("too many chunks", &p, 8, 4, "HAP frame: 1025 chunks (1 to 1024 are accepted)");
    /* An empty size table: a zero 3-byte length announces the 8-byte form, cut here. */
    p = chunked(2, sizes, 0, NULL);
    bad("empty size table", &p, 8, 4,
        "HAP frame: a long section header is cut short (4 bytes left, it takes 8)");
    /* Instructions without the size table: the size table's header becomes an unknown type. */
    p = chunked(2, sizes, 2, NULL);
    p.b[8 + 4 + 2 + 3] = 0x07;
    bad("no size table", &p, 8, 4, "HAP frame: a chunked texture without its chunk size table");
    p = chunked(2, sizes, 2, NULL);
    p.b[7] = 0x03;
    bad("no instructions", &p, 8, 4,
        "HAP frame: a chunked texture starts with section type 0x03, not its decode "
        "instructions (0x01)");

    packet two = {.n = 0}, d1 = plain(0xAB, 8);
    header(&two, 2 * d1.n, 0x0D);
    put(&two, d1.b, d1.n);
    put(&two, d1.b, d1.n);
    bad("two colour images", &two, 4, 4,
        "HAP frame: a multi-image frame must hold one YCoCg DXT5 and one RGTC1 image (HAP Q "
        "Alpha)");
    packet three = {.n = 0};
    header(&three, 3 * d1.n, 0x0D);
    for (int i = 0; i < 3; i++) {
        put(&three, d1.b, d1.n);
    }
    bad("three images", &three, 4, 4, "HAP frame: more than two images in one frame");
}

int main(void) {
    vt_error err = {0};
    /* the parser's buffers are FFmpeg's: its libraries are loaded as a film's opening would */
    VT_CHECK_INT(vt_ffmpeg_load(&err), VT_OK);
    good_frames();
    bad_frames();
    return vt_test_finish("test_video_hap_parse");
}
