/* Tests of engine/io images: PngSuite against an independent reference decoder written here
 * (its own inflate, no libpng or zlib), corrupt files, limits, JPEG, PNG round trips, downscale. */
#include "io/vt_image.h"
#include "vt_test.h"

#include <dirent.h>
#include <jpeglib.h>
#include <libdeflate.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

/* ======== reference inflate (RFC 1951), written for clarity, not speed ======== */

typedef struct bitin {
    const uint8_t *p;
    size_t len, pos;
    uint32_t buf;
    int cnt;
    bool bad;
} bitin;

static int bits_get(bitin *b, int n) {
    uint32_t v = b->buf;
    while (b->cnt < n) {
        if (b->pos >= b->len) {
            b->bad = true;
            return 0;
        }
        v |= (uint32_t)b->p[b->pos++] << b->cnt;
        b->cnt += 8;
    }
    b->buf = n < 32 ? v >> n : 0;
    b->cnt -= n;
    return (int)(v & ((1u << n) - 1));
}

/* Canonical Huffman code: how many codes of each length, and the symbols in code order. */
typedef struct huff {
    int count[16];
    int symbol[320];
} huff;

static void huff_build(huff *h, const uint8_t *lengths, int n) {
    int offs[16] = {0};
    memset(h->count, 0, sizeof h->count);
    for (int i = 0; i < n; i++) {
        h->count[lengths[i]]++;
    }
    h->count[0] = 0;
    for (int len = 1; len < 15; len++) {
        offs[len + 1] = offs[len] + h->count[len];
    }
    for (int i = 0; i < n; i++) {
        if (lengths[i]) {
            h->symbol[offs[lengths[i]]++] = i;
        }
    }
}

/* Codes of each length are consecutive integers, the first one following the last code of the
 * previous length shifted left: read one bit at a time until the code falls in its range. */
static int huff_decode(bitin *b, const huff *h) {
    int code = 0, first = 0, index = 0;
    for (int len = 1; len <= 15; len++) {
        code |= bits_get(b, 1);
        int count = h->count[len];
        if (code - first < count) {
            return h->symbol[index + code - first];
        }
        index += count;
        first = (first + count) << 1;
        code <<= 1;
    }
    b->bad = true;
    return 0;
}

typedef struct bytes_out {
    uint8_t *p;
    size_t len, cap;
} bytes_out;

static const int len_base[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const int len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                  2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const int dist_base[30] = {1,    2,    3,    4,    5,    7,     9,     13,    17,  25,
                                  33,   49,   65,   97,   129,  193,   257,   385,   513, 769,
                                  1025, 1537, 2049, 3073, 4097, 6145,  8193,  12289, 16385, 24577};

static bool inflate_codes(bitin *b, bytes_out *o, const huff *lit, const huff *dist) {
    for (;;) {
        int sym = huff_decode(b, lit);
        if (b->bad || sym > 285 || sym == 256) {
            return !b->bad && sym == 256;
        }
        if (sym < 256) {
            if (o->len == o->cap) {
                return false;
            }
            o->p[o->len++] = (uint8_t)sym;
            continue;
        }
        int len = len_base[sym - 257] + bits_get(b, len_extra[sym - 257]);
        int ds = huff_decode(b, dist);
        if (ds >= 30) {
            return false;
        }
        size_t d = (size_t)(dist_base[ds] + bits_get(b, ds < 4 ? 0 : ds / 2 - 1));
        if (b->bad || d > o->len || (size_t)len > o->cap - o->len) {
            return false;
        }
        for (int i = 0; i < len; i++, o->len++) {
            o->p[o->len] = o->p[o->len - d];
        }
    }
}

static bool inflate_dynamic(bitin *b, bytes_out *o) {
    static const int order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
    int nlit = bits_get(b, 5) + 257, ndist = bits_get(b, 5) + 1, ncode = bits_get(b, 4) + 4;
    uint8_t lengths[320] = {0};
    for (int i = 0; i < ncode; i++) {
        lengths[order[i]] = (uint8_t)bits_get(b, 3);
    }
    huff lencode, lit, dist;
    huff_build(&lencode, lengths, 19);
    memset(lengths, 0, sizeof lengths);
    for (int i = 0; i < nlit + ndist && !b->bad;) {
        int sym = huff_decode(b, &lencode), rep = 1, val = 0;
        if (sym < 16) {
            val = sym;
        } else if (sym == 16) {
            if (i == 0) {
                return false;
            }
            val = lengths[i - 1];
            rep = 3 + bits_get(b, 2);
        } else {
            rep = sym == 17 ? 3 + bits_get(b, 3) : 11 + bits_get(b, 7);
        }
        if (i + rep > nlit + ndist) {
            return false;
        }
        while (rep-- > 0) {
            lengths[i++] = (uint8_t)val;
        }
    }
    huff_build(&lit, lengths, nlit);
    huff_build(&dist, lengths + nlit, ndist);
    return !b->bad && inflate_codes(b, o, &lit, &dist);
}

static bool inflate_stored(bitin *b, bytes_out *o) {
    b->buf = 0;
    b->cnt = 0; /* the rest of the current byte is padding */
    if (b->len - b->pos < 4) {
        return false;
    }
    size_t n = b->p[b->pos] | (size_t)b->p[b->pos + 1] << 8;
    b->pos += 4; /* LEN and its complement NLEN */
    if (n > b->len - b->pos || n > o->cap - o->len) {
        return false;
    }
    memcpy(o->p + o->len, b->p + b->pos, n);
    b->pos += n;
    o->len += n;
    return true;
}

/* Inflates a zlib stream (2-byte header, deflate blocks; the Adler-32 is not checked). */
static bool ref_inflate(const uint8_t *src, size_t len, bytes_out *o) {
    if (len < 2 || (src[0] & 0x0f) != 8) {
        return false;
    }
    bitin b = {.p = src, .len = len, .pos = 2};
    huff fixed_lit, fixed_dist;
    uint8_t lengths[320];
    for (int i = 0; i < 288; i++) {
        lengths[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
    }
    huff_build(&fixed_lit, lengths, 288);
    memset(lengths, 5, 30);
    huff_build(&fixed_dist, lengths, 30);
    int last = 0;
    while (!last) {
        last = bits_get(&b, 1);
        int type = bits_get(&b, 2);
        bool ok = type == 0   ? inflate_stored(&b, o)
                  : type == 1 ? inflate_codes(&b, o, &fixed_lit, &fixed_dist)
                  : type == 2 ? inflate_dynamic(&b, o)
                              : false;
        if (!ok || b.bad) {
            return false;
        }
    }
    return true;
}

/* ======== reference PNG decoder: chunks, unfiltering, Adam7, conversion to RGBA8 ======== */

typedef struct ref_png {
    uint32_t w, h;
    int depth, color, interlace, channels;
    uint8_t plte[256][3];
    uint8_t trns[256];
    int trns_n;
    bool has_trns;
    uint16_t trns_key[3]; /* grey or RGB sample values that mean "transparent" */
    uint8_t *idat;
    size_t idat_len;
} ref_png;

static uint32_t rd32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool ref_chunks(const uint8_t *d, size_t len, ref_png *r) {
    static const int channels[7] = {1, 0, 3, 1, 2, 0, 4};
    for (size_t pos = 8; pos + 12 <= len;) {
        uint32_t n = rd32(d + pos);
        const uint8_t *type = d + pos + 4, *body = d + pos + 8;
        if (n > len - pos - 12) {
            return false;
        }
        if (memcmp(type, "IHDR", 4) == 0) {
            r->w = rd32(body);
            r->h = rd32(body + 4);
            r->depth = body[8];
            r->color = body[9] <= 6 ? body[9] : 1;
            r->interlace = body[12];
            r->channels = channels[r->color];
        } else if (memcmp(type, "PLTE", 4) == 0) {
            memcpy(r->plte, body, n <= 768 ? n : 768);
        } else if (memcmp(type, "tRNS", 4) == 0) {
            r->has_trns = true;
            r->trns_n = (int)(n <= 256 ? n : 256);
            memcpy(r->trns, body, (size_t)r->trns_n);
            for (uint32_t i = 0; i < 3 && 2 * i + 1 < n; i++) {
                r->trns_key[i] = (uint16_t)(body[2 * i] << 8 | body[2 * i + 1]);
            }
        } else if (memcmp(type, "IDAT", 4) == 0) {
            r->idat = vt_xrealloc(r->idat, r->idat_len + n);
            memcpy(r->idat + r->idat_len, body, n);
            r->idat_len += n;
        }
        pos += 12 + (size_t)n;
    }
    return r->channels > 0 && r->w > 0 && r->h > 0 && r->idat_len > 0;
}

static int paeth(int a, int b, int c) {
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* Undoes the filter of one row in place; `prior` is the previous row unfiltered (or zeros). */
static bool unfilter(int type, uint8_t *row, const uint8_t *prior, size_t n, size_t bpp) {
    for (size_t i = 0; i < n; i++) {
        int a = i >= bpp ? row[i - bpp] : 0, b = prior[i], c = i >= bpp ? prior[i - bpp] : 0;
        int add = type == 0 ? 0 : type == 1 ? a : type == 2 ? b : type == 3 ? (a + b) / 2
                  : type == 4 ? paeth(a, b, c) : -1;
        if (add < 0) {
            return false;
        }
        row[i] = (uint8_t)(row[i] + add);
    }
    return true;
}

static unsigned sample_at(const uint8_t *row, size_t index, int depth) {
    if (depth == 16) {
        return (unsigned)row[2 * index] << 8 | row[2 * index + 1];
    }
    if (depth == 8) {
        return row[index];
    }
    size_t bit = index * (size_t)depth;
    return (unsigned)(row[bit / 8] >> (8 - depth - bit % 8)) & ((1u << depth) - 1);
}

/* The rules under test: 16 bits keep the high byte, low depths scale to 0-255, no gamma. */
static uint8_t to8(unsigned v, int depth) {
    return depth == 16 ? (uint8_t)(v >> 8) : (uint8_t)(v * 255 / ((1u << depth) - 1));
}

static void put_pixel(const ref_png *r, const uint8_t *row, size_t x, uint8_t *dst) {
    unsigned s[4] = {0, 0, 0, 0};
    for (int c = 0; c < r->channels; c++) {
        s[c] = sample_at(row, x * (size_t)r->channels + (size_t)c, r->depth);
    }
    if (r->color == 3) {
        memcpy(dst, r->plte[s[0] & 255], 3);
        dst[3] = (int)s[0] < r->trns_n ? r->trns[s[0]] : 255;
    } else if (r->color == 0 || r->color == 4) {
        dst[0] = dst[1] = dst[2] = to8(s[0], r->depth);
        dst[3] = r->color == 4 ? to8(s[1], r->depth)
                 : r->has_trns && s[0] == r->trns_key[0] ? 0 : 255;
    } else {
        for (int c = 0; c < 3; c++) {
            dst[c] = to8(s[c], r->depth);
        }
        bool key = r->has_trns && s[0] == r->trns_key[0] && s[1] == r->trns_key[1] &&
                   s[2] == r->trns_key[2];
        dst[3] = r->color == 6 ? to8(s[3], r->depth) : key ? 0 : 255;
    }
}

/* Decodes into `rgba` (w*h*4): one pass for plain images, the seven Adam7 passes otherwise. */
static bool ref_unpack(const ref_png *r, uint8_t *raw, size_t raw_len, uint8_t *rgba) {
    static const int sx[7] = {0, 4, 0, 2, 0, 1, 0}, sy[7] = {0, 0, 4, 0, 2, 0, 1};
    static const int dx[7] = {8, 8, 4, 4, 2, 2, 1}, dy[7] = {8, 8, 8, 4, 4, 2, 2};
    size_t bits = (size_t)r->channels * (size_t)r->depth, bpp = bits < 8 ? 1 : bits / 8;
    size_t pos = 0;
    uint8_t *prior = vt_xcalloc((size_t)r->w * 8 + 8, 1);
    bool ok = true;
    for (int p = r->interlace ? 0 : 6; p < 7 && ok; p++) {
        int x0 = r->interlace ? sx[p] : 0, y0 = r->interlace ? sy[p] : 0;
        int stepx = r->interlace ? dx[p] : 1, stepy = r->interlace ? dy[p] : 1;
        size_t pw = r->w > (uint32_t)x0 ? (r->w - (uint32_t)x0 + (uint32_t)stepx - 1) / stepx : 0;
        size_t ph = r->h > (uint32_t)y0 ? (r->h - (uint32_t)y0 + (uint32_t)stepy - 1) / stepy : 0;
        size_t n = (pw * bits + 7) / 8;
        if (pw == 0 || ph == 0) {
            continue;
        }
        memset(prior, 0, n);
        for (size_t y = 0; y < ph && ok; y++) {
            ok = pos + 1 + n <= raw_len;
            uint8_t *row = raw + pos + 1;
            ok = ok && unfilter(raw[pos], row, prior, n, bpp);
            for (size_t x = 0; x < pw && ok; x++) {
                size_t px = (size_t)x0 + x * (size_t)stepx, py = (size_t)y0 + y * (size_t)stepy;
                put_pixel(r, row, x, rgba + (py * r->w + px) * 4);
            }
            if (ok) {
                memcpy(prior, row, n);
            }
            pos += 1 + n;
        }
    }
    free(prior);
    return ok;
}

static bool ref_decode(const uint8_t *d, size_t len, vt_image *out) {
    ref_png r = {0};
    bool ok = len > 8 && ref_chunks(d, len, &r);
    size_t raw_cap = 0;
    bytes_out raw = {0};
    if (ok) {
        size_t bits = (size_t)r.channels * (size_t)r.depth;
        raw_cap = ((size_t)r.w * bits + 7) / 8 * 2 * r.h + 16 * (size_t)r.h + 64;
        raw = (bytes_out){vt_xmalloc(raw_cap), 0, raw_cap};
        ok = ref_inflate(r.idat, r.idat_len, &raw);
    }
    if (ok) {
        out->width = (int)r.w;
        out->height = (int)r.h;
        out->pixels = vt_xcalloc((size_t)r.w * r.h, 4);
        ok = ref_unpack(&r, raw.p, raw.len, out->pixels);
    }
    free(raw.p);
    free(r.idat);
    return ok;
}

/* ======== helpers ======== */

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

static bool has_suffix(const char *s, const char *suffix) {
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Reports the first pixel that differs, so a failure says where and by how much. */
static bool same_pixels(const char *what, const vt_image *a, const vt_image *b) {
    if (a->width != b->width || a->height != b->height) {
        fprintf(stderr, "%s: size %dx%d, expected %dx%d\n", what, a->width, a->height, b->width,
                b->height);
        return false;
    }
    size_t n = (size_t)a->width * (size_t)a->height * 4;
    for (size_t i = 0; i < n; i++) {
        if (a->pixels[i] != b->pixels[i]) {
            size_t px = i / 4;
            fprintf(stderr, "%s: pixel (%zu,%zu) channel %zu is %d, expected %d\n", what,
                    px % (size_t)a->width, px / (size_t)a->width, i % 4, a->pixels[i],
                    b->pixels[i]);
            return false;
        }
    }
    return true;
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

/* A PNG signature and a well-formed IHDR (valid CRC) claiming w x h RGBA8, then nothing. */
static size_t png_header_only(uint8_t buf[33], uint32_t w, uint32_t h) {
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    memcpy(buf, sig, 8);
    put32(buf + 8, 13);
    memcpy(buf + 12, "IHDR", 4);
    put32(buf + 16, w);
    put32(buf + 20, h);
    const uint8_t rest[5] = {8, 6, 0, 0, 0};
    memcpy(buf + 24, rest, 5);
    put32(buf + 29, crc32_of(buf + 12, 17));
    return 33;
}

/* ======== PngSuite ======== */

static int by_name(const struct dirent **a, const struct dirent **b) {
    return strcmp((*a)->d_name, (*b)->d_name);
}

static void check_valid_suite_file(const char *dir, const char *file, int *decoded) {
    char *path = vt_xasprintf("%s/%s", dir, file);
    size_t len = 0;
    uint8_t *data = slurp(path, &len);
    vt_image ref = {0}, img = {0};
    vt_error err = {0};
    bool ref_ok = data && ref_decode(data, len, &ref);
    vt_status s = vt_image_load(path, NULL, &img, &err);
    if (!ref_ok || s != VT_OK) {
        fprintf(stderr, "%s: reference %s, vt_image_load %d: %s\n", path,
                ref_ok ? "ok" : "FAILED", s, s ? err.message : "");
    }
    VT_CHECK(ref_ok);
    VT_CHECK_INT(s, VT_OK);
    if (ref_ok && s == VT_OK) {
        bool same = same_pixels(path, &img, &ref);
        VT_CHECK(same);
        *decoded += same;
    }
    vt_image_free(&img);
    vt_image_free(&ref);
    free(data);
    free(path);
}

/* What some corrupt files must be refused for (the others: any VT_E_DATAERR naming the file). */
static const struct {
    const char *file, *reason;
} corrupt_reasons[] = {
    {"xcrn0g04.png", "not a valid PNG image: damaged signature (was it transferred as text?)"},
    {"xcsn0g01.png", "not a valid PNG image: IDAT: CRC error"},
    {"xhdn0g08.png", "not a valid PNG image: IHDR: CRC error"},
    {"xs1n0g01.png", "not a PNG, JPEG, WebP or TIFF image"},
};

static void check_corrupt_reason(const char *file, const char *message) {
    for (size_t i = 0; i < sizeof corrupt_reasons / sizeof corrupt_reasons[0]; i++) {
        if (strcmp(file, corrupt_reasons[i].file) == 0 &&
            !strstr(message, corrupt_reasons[i].reason)) {
            fprintf(stderr, "%s: expected \"%s\" in: %s\n", file, corrupt_reasons[i].reason,
                    message);
            VT_CHECK(strstr(message, corrupt_reasons[i].reason) != NULL);
        }
    }
}

static void check_corrupt_suite_file(const char *dir, const char *file) {
    char *path = vt_xasprintf("%s/%s", dir, file);
    vt_image img = {0};
    vt_error err = {0};
    vt_status s = vt_image_load(path, NULL, &img, &err);
    VT_CHECK_INT(s, VT_E_DATAERR);
    VT_CHECK(img.pixels == NULL && img.width == 0);
    if (!strstr(err.message, path)) {
        fprintf(stderr, "message for %s does not name it: %s\n", path, err.message);
        VT_CHECK(strstr(err.message, path) != NULL);
    }
    check_corrupt_reason(file, err.message);
    vt_image_free(&img);
    free(path);
}

static void test_pngsuite(void) {
    const char *dir = getenv("VT_PNGSUITE");
    VT_CHECK(dir != NULL);
    if (!dir) {
        return;
    }
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, by_name);
    VT_CHECK(n > 0);
    int valid = 0, decoded = 0, corrupt = 0;
    for (int i = 0; i < n; i++) {
        const char *file = names[i]->d_name;
        if (has_suffix(file, ".png") && file[0] == 'x') {
            check_corrupt_suite_file(dir, file);
            corrupt++;
        } else if (has_suffix(file, ".png")) {
            check_valid_suite_file(dir, file, &decoded);
            valid++;
        }
        free(names[i]);
    }
    free(names);
    /* The corpus has 161 valid and 14 corrupt files; fewer means the corpus went missing. */
    VT_CHECK_INT(valid, 161);
    VT_CHECK_INT(corrupt, 14);
    VT_CHECK_INT(decoded, valid);
}

/* The seed corpus of the fuzz target was written by libpng with gAMA and zTXt chunks, which
 * must change nothing: it too must match the reference decoder. */
static void test_seed_pngs(void) {
    const char *src = getenv("VT_SOURCE_DIR");
    char *dir = vt_xasprintf("%s/tests/fuzz-corpus/image", src ? src : "..");
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, by_name), valid = 0, decoded = 0;
    for (int i = 0; i < n; i++) {
        if (has_suffix(names[i]->d_name, ".png")) {
            check_valid_suite_file(dir, names[i]->d_name, &decoded);
            valid++;
        }
        free(names[i]);
    }
    free(names);
    free(dir);
    VT_CHECK(valid >= 6);
    VT_CHECK_INT(decoded, valid);
}

/* ======== limits and bad files ======== */

static void expect_refusal(const void *data, size_t len, const char *name,
                           const vt_image_limits *lim, vt_status want, const char *message) {
    vt_image img = {0};
    vt_error err = {0};
    VT_CHECK_INT(vt_image_load_memory(data, len, name, lim, &img, &err), want);
    VT_CHECK(img.pixels == NULL);
    if (message) {
        VT_CHECK_STR(err.message, message);
    }
    vt_image_free(&img);
}

static void test_limits(void) {
    uint8_t hdr[33];
    size_t n = png_header_only(hdr, 100000, 100000);
    expect_refusal(hdr, n, "big.png", NULL, VT_E_DATAERR,
                   "big.png: PNG image is 100000x100000 pixels, over the limit of 65535x65535; "
                   "scale it down before using it");
    /* Sides allowed, total over the pixel budget: still refused before any allocation. */
    vt_image_limits wide = {.max_width = 200000, .max_height = 200000};
    expect_refusal(hdr, n, "big.png", &wide, VT_E_DATAERR,
                   "big.png: PNG image has 10000000000 pixels, over the limit of 67108864; "
                   "scale it down before using it");
    n = png_header_only(hdr, 0, 10);
    expect_refusal(hdr, n, "zero.png", NULL, VT_E_DATAERR,
                   "zero.png: not a valid PNG image: it is 0x10 pixels");
    n = png_header_only(hdr, 16, 16);
    expect_refusal(hdr, n, "noidat.png", NULL, VT_E_DATAERR,
                   "noidat.png: not a valid PNG image: the file is truncated");
    /* A real 32x32 image against small limits of each kind. */
    char *path = vt_xasprintf("%s/basn6a08.png", getenv("VT_PNGSUITE"));
    size_t len = 0;
    uint8_t *data = slurp(path, &len);
    VT_CHECK(data != NULL);
    vt_image_limits narrow = {.max_width = 31}, few = {.max_pixels = 1023};
    vt_image_limits small_file = {.max_file_size = len - 1};
    expect_refusal(data, len, "a.png", &narrow, VT_E_DATAERR,
                   "a.png: PNG image is 32x32 pixels, over the limit of 31x65535; "
                   "scale it down before using it");
    expect_refusal(data, len, "a.png", &few, VT_E_DATAERR,
                   "a.png: PNG image has 1024 pixels, over the limit of 1023; "
                   "scale it down before using it");
    char *msg = vt_xasprintf("a.png: image is %zu bytes, over the limit of %zu", len, len - 1);
    expect_refusal(data, len, "a.png", &small_file, VT_E_DATAERR, msg);
    free(msg);
    /* Truncated at every 97th byte: each one refused, none crashing. */
    for (size_t cut = 0; cut < len; cut += 97) {
        expect_refusal(data, cut, "cut.png", NULL, VT_E_DATAERR, NULL);
    }
    expect_refusal(data, len / 2, "cut.png", NULL, VT_E_DATAERR,
                   "cut.png: not a valid PNG image: the file is truncated");
    /* Only the last byte of IEND's CRC missing: all pixels are there, but the file is cut. */
    expect_refusal(data, len - 1, "cut.png", NULL, VT_E_DATAERR,
                   "cut.png: not a valid PNG image: the file is truncated");
    free(data);
    free(path);
}

static void test_files(void) {
    char dir[] = "/tmp/vt_test_image.XXXXXX";
    VT_CHECK(mkdtemp(dir) != NULL);
    vt_image img = {0};
    vt_error err = {0};
    char *missing = vt_xasprintf("%s/missing.png", dir);
    VT_CHECK_INT(vt_image_load(missing, NULL, &img, &err), VT_E_NOINPUT);
    char *want = vt_xasprintf("%s: cannot open the image: No such file or directory", missing);
    VT_CHECK_STR(err.message, want);
    free(want);
    VT_CHECK_INT(vt_image_load(dir, NULL, &img, &err), VT_E_NOINPUT);
    want = vt_xasprintf("%s: cannot read the image: not a regular file", dir);
    VT_CHECK_STR(err.message, want);
    free(want);
    char *empty = vt_xasprintf("%s/empty.png", dir);
    write_file(empty, "", 0);
    VT_CHECK_INT(vt_image_load(empty, NULL, &img, &err), VT_E_DATAERR);
    want = vt_xasprintf("%s: image file is empty", empty);
    VT_CHECK_STR(err.message, want);
    free(want);
    char *text = vt_xasprintf("%s/notes.png", dir);
    write_file(text, "hello, world\n", 13);
    VT_CHECK_INT(vt_image_load(text, NULL, &img, &err), VT_E_DATAERR);
    want = vt_xasprintf("%s: not a PNG, JPEG, WebP or TIFF image; convert it to PNG", text);
    VT_CHECK_STR(err.message, want);
    free(want);
    vt_image_limits tiny = {.max_file_size = 12};
    VT_CHECK_INT(vt_image_load(text, &tiny, &img, &err), VT_E_DATAERR);
    want = vt_xasprintf("%s: image file is 13 bytes, over the limit of 12", text);
    VT_CHECK_STR(err.message, want);
    free(want);
    VT_CHECK(img.pixels == NULL);
    unlink(empty);
    unlink(text);
    rmdir(dir);
    free(missing);
    free(empty);
    free(text);
}

/* ======== JPEG ======== */

/* Encodes with libjpeg directly (quality as given), so the decoder meets a real encoder's file. */
static uint8_t *jpeg_encode(const uint8_t *px, int w, int h, int comps, J_COLOR_SPACE space,
                            bool progressive, size_t *len) {
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr e;
    c.err = jpeg_std_error(&e);
    jpeg_create_compress(&c);
    unsigned char *buf = NULL;
    unsigned long n = 0;
    jpeg_mem_dest(&c, &buf, &n);
    c.image_width = (JDIMENSION)w;
    c.image_height = (JDIMENSION)h;
    c.input_components = comps;
    c.in_color_space = space;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 95, TRUE);
    if (progressive) {
        jpeg_simple_progression(&c);
    }
    jpeg_start_compress(&c, TRUE);
    while (c.next_scanline < c.image_height) {
        JSAMPROW row = (JSAMPROW)(px + (size_t)c.next_scanline * (size_t)w * (size_t)comps);
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    *len = n;
    return buf;
}

/* Largest and mean absolute difference of the RGB channels; alpha must be exactly 255. */
static void jpeg_compare(const char *what, const vt_image *img, const uint8_t *px, int comps,
                         int max_tol, double mean_tol) {
    int worst = 0;
    double sum = 0;
    size_t n = (size_t)img->width * (size_t)img->height, opaque = 0;
    for (size_t i = 0; i < n; i++) {
        for (int c = 0; c < 3; c++) {
            int want = px[i * (size_t)comps + (comps == 1 ? 0 : (size_t)c)];
            int d = abs(img->pixels[i * 4 + (size_t)c] - want);
            worst = d > worst ? d : worst;
            sum += d;
        }
        opaque += img->pixels[i * 4 + 3] == 255;
    }
    printf("%s: largest difference %d, mean %.3f\n", what, worst, sum / (double)(n * 3));
    VT_CHECK(worst <= max_tol);
    VT_CHECK(sum / (double)(n * 3) <= mean_tol);
    VT_CHECK_INT(opaque, n);
}

static void jpeg_round_trip(const char *what, int comps, J_COLOR_SPACE space, bool progressive) {
    enum { W = 64, H = 48 };
    uint8_t px[W * H * 3];
    for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
            uint8_t *p = px + ((size_t)y * W + (size_t)x) * (size_t)comps;
            p[0] = (uint8_t)(x * 4);
            if (comps == 3) {
                p[1] = (uint8_t)(y * 5);
                p[2] = (uint8_t)(128 + x - y);
            }
        }
    }
    size_t len = 0;
    uint8_t *jpg = jpeg_encode(px, W, H, comps, space, progressive, &len);
    vt_image img = {0};
    vt_error err = {0};
    VT_CHECK_INT(vt_image_load_memory(jpg, len, what, NULL, &img, &err), VT_OK);
    VT_CHECK_INT(img.width, W);
    VT_CHECK_INT(img.height, H);
    if (img.pixels) {
        jpeg_compare(what, &img, px, comps, 6, 1.0);
    }
    vt_image_free(&img);
    free(jpg);
}

static void test_jpeg_cmyk(void) {
    /* libjpeg writes an Adobe marker for CMYK, which says the inks are stored inverted (as
     * Photoshop does), so the stored values are 255 - ink: here C=55 M=155 Y=205 K=0. */
    uint8_t px[16 * 16 * 4];
    for (size_t i = 0; i < 16 * 16; i++) {
        memcpy(px + i * 4, (const uint8_t[4]){200, 100, 50, 255}, 4);
    }
    size_t len = 0;
    uint8_t *jpg = jpeg_encode(px, 16, 16, 4, JCS_CMYK, false, &len);
    vt_image img = {0};
    vt_error err = {0};
    VT_CHECK_INT(vt_image_load_memory(jpg, len, "cmyk.jpg", NULL, &img, &err), VT_OK);
    if (img.pixels) {
        VT_CHECK_NEAR(img.pixels[0], 200, 2);
        VT_CHECK_NEAR(img.pixels[1], 100, 2);
        VT_CHECK_NEAR(img.pixels[2], 50, 2);
        VT_CHECK_INT(img.pixels[3], 255);
    }
    vt_image_free(&img);
    free(jpg);
}

/* Sets the frame size in the first SOF0/SOF2 marker, to claim a size the data does not have. */
static bool jpeg_patch_size(uint8_t *jpg, size_t len, unsigned w, unsigned h) {
    for (size_t i = 2; i + 9 < len; i++) {
        if (jpg[i] == 0xff && (jpg[i + 1] == 0xc0 || jpg[i + 1] == 0xc2)) {
            uint8_t *f = jpg + i + 5;
            f[0] = (uint8_t)(h >> 8);
            f[1] = (uint8_t)h;
            f[2] = (uint8_t)(w >> 8);
            f[3] = (uint8_t)w;
            return true;
        }
    }
    return false;
}

static void test_jpeg_bad(void) {
    uint8_t px[32 * 32 * 3];
    for (size_t i = 0; i < sizeof px; i++) {
        px[i] = (uint8_t)(i * 7);
    }
    size_t len = 0;
    uint8_t *jpg = jpeg_encode(px, 32, 32, 3, JCS_RGB, false, &len);
    expect_refusal(jpg, len / 2, "cut.jpg", NULL, VT_E_DATAERR,
                   "cut.jpg: not a valid JPEG image: the file is truncated");
    for (size_t cut = 3; cut < len; cut += 53) {
        expect_refusal(jpg, cut, "cut.jpg", NULL, VT_E_DATAERR, NULL);
    }
    vt_image_limits narrow = {.max_height = 31};
    expect_refusal(jpg, len, "a.jpg", &narrow, VT_E_DATAERR,
                   "a.jpg: JPEG image is 32x32 pixels, over the limit of 65535x31; "
                   "scale it down before using it");
    VT_CHECK(jpeg_patch_size(jpg, len, 60000, 60000));
    expect_refusal(jpg, len, "huge.jpg", NULL, VT_E_DATAERR,
                   "huge.jpg: JPEG image has 3600000000 pixels, over the limit of 67108864; "
                   "scale it down before using it");
    const uint8_t soi_only[3] = {0xff, 0xd8, 0xff};
    expect_refusal(soi_only, 3, "soi.jpg", NULL, VT_E_DATAERR, NULL);
    free(jpg);
}

/* Headers only: the size a file decodes to, its file size, the same refusals as a decode; a
 * FIFO is refused without blocking. */
static void test_probe(void) {
    char dir[] = "/tmp/vt_test_probe.XXXXXX";
    VT_CHECK(mkdtemp(dir) != NULL);
    vt_image_info info;
    vt_error err = {0};
    uint8_t px[32 * 32 * 4] = {0};
    uint8_t *png = NULL;
    size_t len = 0;
    VT_CHECK_INT(vt_png_encode(px, 7, 5, 7 * 4, true, 6, &png, &len, &err), VT_OK);
    char *path = vt_xasprintf("%s/a.png", dir);
    write_file(path, (const char *)png, len);
    VT_CHECK_INT(vt_image_probe(path, NULL, &info, &err), VT_OK);
    VT_CHECK(info.width == 7 && info.height == 5 && info.file_bytes == len);
    vt_image_limits narrow = {.max_width = 6};
    VT_CHECK_INT(vt_image_probe(path, &narrow, &info, &err), VT_E_DATAERR);
    char *want = vt_xasprintf("%s: PNG image is 7x5 pixels, over the limit of 6x65535; scale it "
                              "down before using it",
                              path);
    VT_CHECK_STR(err.message, want);
    free(want);
    free(png);
    free(path);

    uint8_t *jpg = jpeg_encode(px, 32, 32, 3, JCS_RGB, true, &len);
    path = vt_xasprintf("%s/a.jpg", dir);
    write_file(path, (const char *)jpg, len);
    VT_CHECK_INT(vt_image_probe(path, NULL, &info, &err), VT_OK);
    VT_CHECK(info.width == 32 && info.height == 32 && info.file_bytes == len);
    VT_CHECK(!vt_image_implausible(&info));
    /* A few hundred bytes claiming 8000x8000: read as such, and implausible. */
    VT_CHECK(jpeg_patch_size(jpg, len, 8000, 8000));
    write_file(path, (const char *)jpg, len);
    VT_CHECK_INT(vt_image_probe(path, NULL, &info, &err), VT_OK);
    VT_CHECK(info.width == 8000 && info.height == 8000);
    VT_CHECK(vt_image_implausible(&info));
    write_file(path, (const char *)jpg, 40); /* cut before the frame header */
    VT_CHECK_INT(vt_image_probe(path, NULL, &info, &err), VT_E_DATAERR);
    want = vt_xasprintf("%s: not a valid JPEG image: the file is truncated", path);
    VT_CHECK_STR(err.message, want);
    free(want);
    free(jpg);
    free(path);
    /* A one-colour 1920x1080 backdrop of 300 bytes is fine: small images are left alone. */
    VT_CHECK(!vt_image_implausible(&(vt_image_info){.width = 1920, .height = 1080, .file_bytes = 300}));
    VT_CHECK(vt_image_implausible(&(vt_image_info){.width = 4096, .height = 4096, .file_bytes = 16384}));
    VT_CHECK(!vt_image_implausible(&(vt_image_info){.width = 4096, .height = 4096, .file_bytes = 16385}));

    path = vt_xasprintf("%s/empty.png", dir);
    write_file(path, "", 0);
    VT_CHECK_INT(vt_image_probe(path, NULL, &info, &err), VT_E_DATAERR);
    want = vt_xasprintf("%s: image file is empty", path);
    VT_CHECK_STR(err.message, want);
    free(want);
    unlink(path);
    free(path);
    path = vt_xasprintf("%s/fifo.png", dir);
    VT_CHECK_INT(mkfifo(path, 0600), 0);
    VT_CHECK_INT(vt_image_probe(path, NULL, &info, &err), VT_E_NOINPUT);
    want = vt_xasprintf("%s: cannot read the image: not a regular file", path);
    VT_CHECK_STR(err.message, want);
    free(want);
    unlink(path);
    free(path);
    char *cmd = vt_xasprintf("rm -rf '%s'", dir);
    VT_CHECK_INT(system(cmd), 0);
    free(cmd);
}

/* ======== PNG encoding ======== */

static void png_round_trip(bool alpha, int level) {
    enum { W = 7, H = 5, STRIDE = W * 4 + 3 };
    uint8_t src[STRIDE * H];
    memset(src, 0xab, sizeof src);
    for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
            uint8_t *p = src + y * STRIDE + x * 4;
            p[0] = (uint8_t)(x * 37);
            p[1] = (uint8_t)(y * 61);
            p[2] = (uint8_t)(x * y * 13 + 1);
            p[3] = (uint8_t)(255 - x * 30 - y);
        }
    }
    uint8_t *png = NULL;
    size_t len = 0;
    vt_error err = {0};
    VT_CHECK_INT(vt_png_encode(src, W, H, STRIDE, alpha, level, &png, &len, &err), VT_OK);
    vt_image img = {0};
    VT_CHECK_INT(vt_image_load_memory(png, len, "enc.png", NULL, &img, &err), VT_OK);
    VT_CHECK_INT(img.width, W);
    VT_CHECK_INT(img.height, H);
    int wrong = 0;
    for (int y = 0; img.pixels && y < H; y++) {
        for (int x = 0; x < W; x++) {
            const uint8_t *a = img.pixels + (y * W + x) * 4, *b = src + y * STRIDE + x * 4;
            wrong += memcmp(a, b, 3) != 0 || a[3] != (alpha ? b[3] : 255);
        }
    }
    if (wrong) {
        fprintf(stderr, "round trip alpha=%d level=%d: %d pixels differ\n", alpha, level, wrong);
    }
    VT_CHECK(img.pixels != NULL);
    VT_CHECK_INT(wrong, 0);
    vt_image_free(&img);
    free(png);
}

static void test_png_encode(void) {
    for (int level = 0; level <= 9; level++) {
        png_round_trip(true, level);
        png_round_trip(false, level);
    }
    /* Level 9 must actually compress: a smooth 64x64 image shrinks well below level 0's size. */
    enum { N = 64 };
    uint8_t px[N * N * 4];
    for (size_t i = 0; i < N * N; i++) {
        memcpy(px + i * 4, (const uint8_t[4]){(uint8_t)(i % N), (uint8_t)(i / N), 9, 255}, 4);
    }
    uint8_t *stored = NULL, *packed = NULL;
    size_t stored_len = 0, packed_len = 0;
    vt_error err = {0};
    VT_CHECK_INT(vt_png_encode(px, N, N, N * 4, false, 0, &stored, &stored_len, &err), VT_OK);
    VT_CHECK_INT(vt_png_encode(px, N, N, N * 4, false, 9, &packed, &packed_len, &err), VT_OK);
    printf("png encode 64x64 RGB: level 0 %zu bytes, level 9 %zu bytes\n", stored_len,
           packed_len);
    VT_CHECK(stored_len > (size_t)N * N * 3);
    VT_CHECK(packed_len * 10 < stored_len);
    free(stored);
    free(packed);
    uint8_t *out = (uint8_t *)&err;
    size_t out_len = 1;
    VT_CHECK_INT(vt_png_encode(px, N, N, N * 4, true, 10, &out, &out_len, &err), VT_E_SOFTWARE);
    VT_CHECK(out == NULL && out_len == 0);
    VT_CHECK_INT(vt_png_encode(px, N, N, N * 4 - 1, true, 6, &out, &out_len, &err),
                 VT_E_SOFTWARE);
}

/* An image whose rows each favour another PNG filter: a noisy one (None), horizontal ramps
 * (Sub), a repeat of the row above (Up), and a smooth 2-D ramp (Avg, Paeth). */
static uint8_t *mixed_image(int w, int h) {
    uint8_t *px = vt_xmalloc((size_t)w * (size_t)h * 4);
    uint32_t seed = 12345;
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            uint8_t *p = px + ((size_t)y * (size_t)w + (size_t)x) * 4;
            seed = seed * 1103515245u + 12345u;
            switch (y % 4) {
            case 0: /* noise */
                memcpy(p,
                       (const uint8_t[4]){(uint8_t)(seed >> 24), (uint8_t)(seed >> 16),
                                          (uint8_t)(seed >> 8), (uint8_t)seed},
                       4);
                break;
            case 1: /* a ramp along the row */
                memcpy(
                    p,
                    (const uint8_t[4]){(uint8_t)(x * 3), (uint8_t)(x * 5), (uint8_t)(x * 7), 200},
                    4);
                break;
            case 2: /* the row above again */
                memcpy(p, p - (size_t)w * 4, 4);
                break;
            default: /* a ramp in both directions */
                memcpy(p,
                       (const uint8_t[4]){(uint8_t)(x + y), (uint8_t)(2 * x + y),
                                          (uint8_t)(x + 3 * y), (uint8_t)(x ^ y)},
                       4);
            }
        }
    }
    return px;
}

/* The filter type of each row of `png` (one IDAT stream, inflated), counted by type; the number
 * of IDAT chunks. 0 when the stream does not inflate to height rows of 1 + w * bpp bytes. */
static int png_filters(const uint8_t *png, size_t len, int w, int h, int bpp, int counts[5],
                       int *idat_chunks) {
    uint8_t *z = vt_xmalloc(len);
    size_t zlen = 0;
    *idat_chunks = 0;
    for (size_t pos = 8; pos + 12 <= len;) {
        size_t n = (size_t)png[pos] << 24 | (size_t)png[pos + 1] << 16 | (size_t)png[pos + 2] << 8 |
                   png[pos + 3];
        if (memcmp(png + pos + 4, "IDAT", 4) == 0) {
            memcpy(z + zlen, png + pos + 8, n);
            zlen += n;
            (*idat_chunks)++;
        }
        pos += 12 + n;
    }
    size_t raw_len = (size_t)h * ((size_t)w * (size_t)bpp + 1), got = 0;
    uint8_t *raw = vt_xmalloc(raw_len);
    struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    int ok = libdeflate_zlib_decompress(d, z, zlen, raw, raw_len, &got) == LIBDEFLATE_SUCCESS &&
             got == raw_len;
    libdeflate_free_decompressor(d);
    memset(counts, 0, 5 * sizeof *counts);
    for (int y = 0; ok && y < h; y++) {
        uint8_t f = raw[(size_t)y * ((size_t)w * (size_t)bpp + 1)];
        ok = f < 5;
        counts[ok ? f : 0]++;
    }
    free(raw);
    free(z);
    return ok;
}

/* Each level's filters as documented in image_png.c: none at 0, Up at 1-5, Paeth at 6-7, the
 * best-looking of each row at 8 (Sub, Up, Paeth) and 9 (all five); every level decodes exactly. */
static void test_png_filters(void) {
    enum { W = 61, H = 40 };
    uint8_t *px = mixed_image(W, H);
    for (int level = 0; level <= 9; level++) {
        for (int alpha = 0; alpha <= 1; alpha++) {
            uint8_t *png = NULL;
            size_t len = 0;
            vt_error err = {0};
            VT_CHECK_INT(vt_png_encode(px, W, H, W * 4, alpha, level, &png, &len, &err), VT_OK);
            int counts[5], chunks = 0;
            VT_CHECK(png_filters(png, len, W, H, alpha ? 4 : 3, counts, &chunks));
            VT_CHECK_INT(chunks, 1);
            int kinds = 0;
            for (int f = 0; f < 5; f++) {
                kinds += counts[f] > 0;
            }
            if (level == 0) {
                VT_CHECK_INT(counts[0], H);
            } else if (level <= 5) {
                VT_CHECK_INT(counts[2], H);
            } else if (level <= 7) {
                VT_CHECK_INT(counts[4], H);
            } else {
                printf("png level %d alpha %d: rows by filter %d %d %d %d %d\n", level, alpha,
                       counts[0], counts[1], counts[2], counts[3], counts[4]);
                VT_CHECK(kinds >= (level == 9 ? 3 : 2));
                VT_CHECK(level == 9 || (counts[0] == 0 && counts[3] == 0));
            }
            vt_image img = {0};
            VT_CHECK_INT(vt_image_load_memory(png, len, "mixed.png", NULL, &img, &err), VT_OK);
            int wrong = 0;
            for (size_t i = 0; img.pixels && i < (size_t)W * H; i++) {
                wrong += memcmp(img.pixels + i * 4, px + i * 4, 3) != 0 ||
                         img.pixels[i * 4 + 3] != (alpha ? px[i * 4 + 3] : 255);
            }
            VT_CHECK(img.pixels != NULL);
            VT_CHECK_INT(wrong, 0);
            vt_image_free(&img);
            free(png);
        }
    }
    free(px);
}

/* A writer reused over images of other sizes, formats and levels writes the same bytes as a
 * fresh encode of each: nothing of one frame leaks into the next. A stored image larger than
 * an IDAT chunk is split over several and still decodes. */
static void test_png_writer(void) {
    enum { BW = 700, BH = 600 };
    uint8_t *big = mixed_image(BW, BH), *small = mixed_image(61, 40);
    struct {
        const uint8_t *px;
        int w, h;
        bool alpha;
        int level;
    } steps[] = {{big, BW, BH, true, 9},   {small, 61, 40, false, 3}, {big, BW, BH, false, 0},
                 {small, 61, 40, true, 6}, {big, 300, 200, false, 1}, {small, 61, 40, true, 6}};
    vt_png_writer *w = vt_png_writer_create();
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        size_t stride = (size_t)(steps[i].px == big ? BW : 61) * 4;
        const uint8_t *got = NULL;
        uint8_t *want = NULL;
        size_t got_len = 0, want_len = 0;
        vt_error err = {0};
        VT_CHECK_INT(vt_png_writer_encode(w, steps[i].px, steps[i].w, steps[i].h, stride,
                                          steps[i].alpha, steps[i].level, &got, &got_len, &err),
                     VT_OK);
        VT_CHECK_INT(vt_png_encode(steps[i].px, steps[i].w, steps[i].h, stride, steps[i].alpha,
                                   steps[i].level, &want, &want_len, &err),
                     VT_OK);
        VT_CHECK(got_len == want_len && got && want && memcmp(got, want, got_len) == 0);
        int counts[5], chunks = 0;
        VT_CHECK(png_filters(got, got_len, steps[i].w, steps[i].h, steps[i].alpha ? 4 : 3, counts,
                             &chunks));
        if (steps[i].level == 0 && steps[i].w == BW) {
            VT_CHECK(chunks > 1); /* 1.26 MB stored: two chunks of at most 1 MiB */
        }
        vt_image img = {0};
        VT_CHECK_INT(vt_image_load_memory(got, got_len, "w.png", NULL, &img, &err), VT_OK);
        int wrong = 0;
        for (int y = 0; img.pixels && y < steps[i].h; y++) {
            for (int x = 0; x < steps[i].w; x++) {
                const uint8_t *a = img.pixels + ((size_t)y * (size_t)steps[i].w + (size_t)x) * 4;
                const uint8_t *b = steps[i].px + (size_t)y * stride + (size_t)x * 4;
                wrong += memcmp(a, b, 3) != 0 || a[3] != (steps[i].alpha ? b[3] : 255);
            }
        }
        VT_CHECK(img.pixels != NULL);
        VT_CHECK_INT(wrong, 0);
        vt_image_free(&img);
        free(want);
    }
    vt_png_writer_free(w);
    vt_png_writer_free(NULL);
    free(big);
    free(small);
}

/* ======== downscale ======== */

static vt_image image_of(int w, int h, const uint8_t *rgba) {
    vt_image img = {.width = w, .height = h, .pixels = vt_xmalloc((size_t)w * (size_t)h * 4)};
    memcpy(img.pixels, rgba, (size_t)w * (size_t)h * 4);
    return img;
}

static void expect_pixels(vt_image *img, int w, int h, const uint8_t *want) {
    VT_CHECK_INT(img->width, w);
    VT_CHECK_INT(img->height, h);
    if (img->width == w && img->height == h) {
        vt_image expected = {.width = w, .height = h, .pixels = (uint8_t *)want};
        VT_CHECK(same_pixels("downscale", img, &expected));
    }
}

static void test_downscale(void) {
    /* 4x2 to 2x1: each output pixel is the rounded mean of a 2x2 block. */
    const uint8_t src[4 * 2 * 4] = {
        10, 0, 255, 255, 20, 0, 254, 255, 1, 0, 0, 255, 2, 7, 0, 255,
        30, 0, 254, 255, 41, 1, 254, 255, 2, 0, 0, 255, 2, 9, 0, 255,
    };
    vt_image img = image_of(4, 2, src);
    vt_image_downscale(&img, 2);
    expect_pixels(&img, 2, 1, (const uint8_t[]){25, 0, 254, 255, 2, 4, 0, 255});
    vt_image_free(&img);
    /* Transparent pixels lend no colour: half red, half transparent black is red at half alpha. */
    img = image_of(2, 1, (const uint8_t[]){255, 0, 0, 255, 0, 0, 0, 0});
    vt_image_downscale(&img, 1);
    expect_pixels(&img, 1, 1, (const uint8_t[]){255, 0, 0, 128});
    vt_image_free(&img);
    /* 3 to 2 columns: output 0 covers source 0 and half of 1, output 1 the other half and 2. */
    img = image_of(3, 1, (const uint8_t[]){0, 0, 0, 255, 90, 90, 90, 255, 180, 180, 180, 255});
    vt_image_downscale(&img, 2);
    expect_pixels(&img, 2, 1, (const uint8_t[]){30, 30, 30, 255, 150, 150, 150, 255});
    vt_image_free(&img);
    /* Aspect ratio kept; an image that already fits is left alone. */
    img = (vt_image){.width = 100, .height = 40, .pixels = vt_xcalloc(100 * 40, 4)};
    vt_image_downscale(&img, 10);
    VT_CHECK_INT(img.width, 10);
    VT_CHECK_INT(img.height, 4);
    uint8_t *before = img.pixels;
    vt_image_downscale(&img, 10);
    VT_CHECK(img.pixels == before && img.width == 10 && img.height == 4);
    vt_image_free(&img);
    VT_CHECK(img.pixels == NULL && img.width == 0);
}

/* The tiles of an image over the texture limit: none under or at it; over it, the fewest mipmap
 * levels that bring it within the limit, tiles whose two borders and step fit in it, and a
 * refusal, with the largest side that fits, where they cannot. */
static void test_tiling_plan(void) {
    vt_image_tiling t;
    vt_error err = {0};
    VT_CHECK_INT(vt_image_tiling_plan("a.png", 256, 100, 256, &t, &err), VT_OK);
    VT_CHECK(t.levels == 0 && t.cols == 1 && t.rows == 1 && t.step == 0);
    VT_CHECK(t.overview_w == 256 && t.overview_h == 100);
    VT_CHECK_INT(vt_image_tiling_plan("a.png", 257, 100, 256, &t, &err), VT_OK);
    VT_CHECK(t.levels == 1 && t.border == 2 && t.step == 252);
    VT_CHECK(t.cols == 2 && t.rows == 1 && t.overview_w == 128 && t.overview_h == 50);
    VT_CHECK_INT(vt_image_tiling_plan("a.png", 1024, 320, 256, &t, &err), VT_OK);
    VT_CHECK(t.levels == 2 && t.border == 4 && t.step == 248);
    VT_CHECK(t.cols == 5 && t.rows == 2 && t.overview_w == 256 && t.overview_h == 80);
    /* A 20000 x 1080 panorama on a 16384 GPU: one level, two tiles. */
    VT_CHECK_INT(vt_image_tiling_plan("p.png", 20000, 1080, 16384, &t, &err), VT_OK);
    VT_CHECK(t.levels == 1 && t.step == 16380 && t.cols == 2 && t.rows == 1);
    VT_CHECK(t.overview_w == 10000 && t.overview_h == 540);
    /* The decoders' largest side fits the GL 3.3 minimum of 1024 in tiles. */
    VT_CHECK_INT(vt_image_tiling_plan("p.png", VT_IMAGE_MAX_SIDE, 1, 1024, &t, &err), VT_OK);
    VT_CHECK(t.levels == 6 && t.step == 896 && t.cols == 74 && t.overview_w == 1023);
    /* 256: 2^6 = 64 is the largest border (<= 256 / 3): sides up to 257 * 64 - 1 = 16447. */
    VT_CHECK_INT(vt_image_tiling_plan("p.png", 16447, 1, 256, &t, &err), VT_OK);
    VT_CHECK(t.levels == 6 && t.border == 64 && t.step == 128 && t.cols == 129);
    VT_CHECK_INT(vt_image_tiling_plan("p.png", 16448, 1, 256, &t, &err), VT_E_DATAERR);
    VT_CHECK_STR(err.message, "p.png: image is 16448x1 pixels, more than can be drawn in tiles "
                              "under the GPU's texture limit of 256 pixels a side (at most 16447 "
                              "a side); scale it down");
    VT_CHECK_INT(vt_image_tiling_plan("p.png", 0, 1, 256, &t, &err), VT_E_DATAERR);
    VT_CHECK_INT(vt_image_tiling_plan("p.png", 1, 1, 0, &t, &err), VT_E_DATAERR);
}

int main(void) {
    test_pngsuite();
    test_seed_pngs();
    test_limits();
    test_tiling_plan();
    test_files();
    jpeg_round_trip("gradient.jpg", 3, JCS_RGB, false);
    jpeg_round_trip("progressive.jpg", 3, JCS_RGB, true);
    jpeg_round_trip("grey.jpg", 1, JCS_GRAYSCALE, false);
    test_jpeg_cmyk();
    test_jpeg_bad();
    test_probe();
    test_png_encode();
    test_png_filters();
    test_png_writer();
    test_downscale();
    return vt_test_finish("test_image");
}
