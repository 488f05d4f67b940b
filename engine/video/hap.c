/* HAP frames taken apart without libavcodec, so that their DXT blocks reach the GPU as they are
 * (FFmpeg's hap decoder gives only RGBA): the section headers (a 3-byte little-endian length and
 * a type byte, or a zero length and a 4-byte one), the texture format and compressor in the type,
 * Snappy-compressed sections and chunked ("complex") ones with their decode instructions, and
 * HAP Q Alpha's two images. Every field is hostile: lengths are bounded by what is left of the
 * packet, chunk counts by VT_HAP_MAX_CHUNKS, and a texture must decompress to exactly the size of
 * the picture's blocks. A pure function of the packet: no GL, no file. */
#include "video/video_internal.h"

#include <snappy-c.h>
#include <string.h>

/* Section types (low nibble: texture format; high nibble: compressor), as in the HAP spec. */
#define FORMAT_DXT1 0xB
#define FORMAT_DXT5 0xE
#define FORMAT_YCOCG 0xF
#define FORMAT_RGTC1 0x1
#define COMPRESSOR_NONE 0xA
#define COMPRESSOR_SNAPPY 0xB
#define COMPRESSOR_COMPLEX 0xC
#define SECTION_MULTIPLE_IMAGES 0x0D
#define SECTION_DECODE_INSTRUCTIONS 0x01
#define SECTION_COMPRESSOR_TABLE 0x02
#define SECTION_SIZE_TABLE 0x03
#define SECTION_OFFSET_TABLE 0x04

#define PFX "HAP frame: "

typedef struct section {
    const uint8_t *data; /* the section's contents, after its header */
    size_t len;
    unsigned type;
} section;

static uint32_t le32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The section at the start of `p` (`left` bytes), its contents within them. */
static vt_status read_section(const uint8_t *p, size_t left, section *out, vt_error *err) {
    if (left < 4) {
        return VT_FAIL(err, VT_E_DATAERR,
                       PFX "a section header is cut short (%zu bytes left, a header takes 4)",
                       left);
    }
    size_t len = (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16, head = 4;
    if (len == 0) {
        if (left < 8) {
            return VT_FAIL(err, VT_E_DATAERR,
                           PFX "a long section header is cut short (%zu bytes left, it takes 8)",
                           left);
        }
        len = le32(p + 4);
        head = 8;
    }
    if (len > left - head) {
        return VT_FAIL(err, VT_E_DATAERR,
                       PFX "a section of %zu bytes is longer than the %zu bytes left in the packet",
                       len, left - head);
    }
    *out = (section){p + head, len, p[3]};
    return VT_OK;
}

size_t vt_video_hap_texture_bytes(vt_video_blocks format, int width, int height) {
    size_t blocks = (size_t)((width + 3) / 4) * (size_t)((height + 3) / 4);
    return blocks * (format == VT_VIDEO_DXT1 || format == VT_VIDEO_RGTC1 ? 8 : 16);
}

static const char *format_name(vt_video_blocks f) {
    static const char *const names[] = {"DXT1", "DXT5", "YCoCg DXT5", "RGTC1"};
    return names[f];
}

/* Decompresses one chunk (`comp`: none or Snappy) into exactly `out_len` bytes at `out`, all of
 * `left` being the texture's room from there. */
static vt_status chunk_into(unsigned comp, const uint8_t *in, size_t in_len, uint8_t *out,
                            size_t left, size_t *used, vt_error *err) {
    if (comp == COMPRESSOR_NONE) {
        if (in_len > left) {
            return VT_FAIL(err, VT_E_DATAERR,
                           PFX "the texture decompresses to more than the %zu bytes of its "
                               "picture",
                           left);
        }
        memcpy(out, in, in_len);
        *used = in_len;
        return VT_OK;
    }
    if (comp != COMPRESSOR_SNAPPY) {
        return VT_FAIL(err, VT_E_DATAERR, PFX "unknown compressor 0x%X", comp);
    }
    size_t n = 0;
    if (snappy_uncompressed_length((const char *)in, in_len, &n) != SNAPPY_OK) {
        return VT_FAIL(err, VT_E_DATAERR, PFX "damaged Snappy data (no length)");
    }
    if (n > left) {
        return VT_FAIL(err, VT_E_DATAERR,
                       PFX "the texture decompresses to more than the %zu bytes of its picture",
                       left);
    }
    if (snappy_uncompress((const char *)in, in_len, (char *)out, &n) != SNAPPY_OK) {
        return VT_FAIL(err, VT_E_DATAERR, PFX "damaged Snappy data");
    }
    *used = n;
    return VT_OK;
}

/* A chunked texture: a decode instructions container (compressor and size tables, an optional
 * offset table), then the chunks. */
static vt_status complex_into(const section *s, uint8_t *out, size_t want, size_t *used,
                              vt_error *err) {
    section di;
    vt_status st = read_section(s->data, s->len, &di, err);
    if (st != VT_OK) {
        return st;
    }
    if (di.type != SECTION_DECODE_INSTRUCTIONS) {
        return VT_FAIL(err, VT_E_DATAERR,
                       PFX "a chunked texture starts with section type 0x%02X, not its decode "
                           "instructions (0x01)",
                       di.type);
    }
    const uint8_t *frame = di.data + di.len; /* the chunks follow the instructions */
    size_t frame_len = s->len - (size_t)(frame - s->data);
    const uint8_t *comps = NULL, *sizes = NULL, *offsets = NULL;
    size_t count = 0;
    for (size_t at = 0; at < di.len;) {
        section t;
        st = read_section(di.data + at, di.len - at, &t, err);
        if (st != VT_OK) {
            return st;
        }
        at = (size_t)(t.data + t.len - di.data);
        size_t n = 0;
        if (t.type == SECTION_COMPRESSOR_TABLE) {
            comps = t.data;
            n = t.len;
        } else if (t.type == SECTION_SIZE_TABLE || t.type == SECTION_OFFSET_TABLE) {
            if (t.len % 4 != 0) {
                return VT_FAIL(err, VT_E_DATAERR,
                               PFX "a chunk %s table of %zu bytes (not 4 per chunk)",
                               t.type == SECTION_SIZE_TABLE ? "size" : "offset", t.len);
            }
            *(t.type == SECTION_SIZE_TABLE ? &sizes : &offsets) = t.data;
            n = t.len / 4;
        } else {
            continue; /* sections a later HAP may add are skipped, as the spec says */
        }
        if (n == 0 || n > VT_HAP_MAX_CHUNKS) {
            return VT_FAIL(err, VT_E_DATAERR, PFX "%zu chunks (1 to %d are accepted)", n,
                           VT_HAP_MAX_CHUNKS);
        }
        if (count && n != count) {
            return VT_FAIL(err, VT_E_DATAERR, PFX "the chunk tables disagree (%zu and %zu chunks)",
                           count, n);
        }
        count = n;
    }
    if (!comps || !sizes) {
        return VT_FAIL(err, VT_E_DATAERR, PFX "a chunked texture without its chunk %s table",
                       comps ? "size" : "compressor");
    }
    size_t pos = 0, next = 0;
    for (size_t i = 0; i < count; i++) {
        size_t len = le32(sizes + 4 * i), off = offsets ? le32(offsets + 4 * i) : next;
        if (off > frame_len || len > frame_len - off) {
            return VT_FAIL(err, VT_E_DATAERR,
                           PFX "chunk %zu (%zu bytes at %zu) lies outside the %zu bytes of the "
                               "frame",
                           i, len, off, frame_len);
        }
        next = off + len;
        size_t n = 0;
        st = chunk_into(comps[i], frame + off, len, out + pos, want - pos, &n, err);
        if (st != VT_OK) {
            return st;
        }
        pos += n;
    }
    *used = pos;
    return VT_OK;
}

/* One texture section into a new buffer of exactly the picture's blocks. */
static vt_status texture(const section *s, int width, int height, vt_video_blocks *format,
                         AVBufferRef **out, vt_error *err) {
    unsigned fmt = s->type & 0xF, comp = s->type >> 4;
    switch (fmt) {
    case FORMAT_DXT1:
        *format = VT_VIDEO_DXT1;
        break;
    case FORMAT_DXT5:
        *format = VT_VIDEO_DXT5;
        break;
    case FORMAT_YCOCG:
        *format = VT_VIDEO_YCOCG_DXT5;
        break;
    case FORMAT_RGTC1:
        *format = VT_VIDEO_RGTC1;
        break;
    default:
        return VT_FAIL(err, VT_E_DATAERR,
                       PFX "section type 0x%02X is no texture format HAP has (DXT1 0x?B, DXT5 "
                           "0x?E, YCoCg DXT5 0x?F, RGTC1 0x?1)",
                       s->type);
    }
    if (comp != COMPRESSOR_NONE && comp != COMPRESSOR_SNAPPY && comp != COMPRESSOR_COMPLEX) {
        return VT_FAIL(err, VT_E_DATAERR, PFX "unknown compressor 0x%X in section type 0x%02X",
                       comp, s->type);
    }
    size_t want = vt_video_hap_texture_bytes(*format, width, height);
    AVBufferRef *buf = av_buffer_alloc(want);
    if (!buf) {
        return VT_FAIL(err, VT_E_SOFTWARE, PFX "out of memory for a texture of %zu bytes", want);
    }
    size_t used = 0;
    vt_status st = comp == COMPRESSOR_COMPLEX
                       ? complex_into(s, buf->data, want, &used, err)
                       : chunk_into(comp, s->data, s->len, buf->data, want, &used, err);
    if (st == VT_OK && used != want) {
        st = VT_FAIL(err, VT_E_DATAERR,
                     PFX "the texture decompresses to %zu bytes, not the %zu of %dx%d in %s", used,
                     want, width, height, format_name(*format));
    }
    if (st != VT_OK) {
        av_buffer_unref(&buf);
        return st;
    }
    *out = buf;
    return VT_OK;
}

vt_status vt_video_hap_unpack(const uint8_t *data, size_t size, int width, int height,
                              vt_video_hap *out, vt_error *err) {
    *out = (vt_video_hap){0};
    if (width <= 0 || height <= 0 || width > VT_VIDEO_MAX_SIDE || height > VT_VIDEO_MAX_SIDE) {
        return VT_FAIL(err, VT_E_DATAERR, PFX "a picture of %dx%d", width, height);
    }
    section top;
    vt_status st = read_section(data, size, &top, err);
    if (st != VT_OK) {
        return st;
    }
    if (top.type != SECTION_MULTIPLE_IMAGES) {
        st = texture(&top, width, height, &out->format[0], &out->buf[0], err);
        out->count = st == VT_OK;
        return st;
    }
    /* HAP Q Alpha: colour (YCoCg DXT5) and alpha (RGTC1), in either order. */
    for (size_t at = 0; at < top.len && st == VT_OK;) {
        section s;
        st = read_section(top.data + at, top.len - at, &s, err);
        if (st != VT_OK) {
            break;
        }
        at = (size_t)(s.data + s.len - top.data);
        if (out->count == 2) {
            st = VT_FAIL(err, VT_E_DATAERR, PFX "more than two images in one frame");
            break;
        }
        st = texture(&s, width, height, &out->format[out->count], &out->buf[out->count], err);
        out->count += st == VT_OK;
    }
    bool qa = out->count == 2 && out->format[0] != out->format[1] &&
              (out->format[0] == VT_VIDEO_RGTC1 || out->format[1] == VT_VIDEO_RGTC1) &&
              (out->format[0] == VT_VIDEO_YCOCG_DXT5 || out->format[1] == VT_VIDEO_YCOCG_DXT5);
    if (st == VT_OK && !qa) {
        st = VT_FAIL(err, VT_E_DATAERR,
                     PFX "a multi-image frame must hold one YCoCg DXT5 and one RGTC1 image "
                         "(HAP Q Alpha)");
    }
    if (st == VT_OK && out->format[0] == VT_VIDEO_RGTC1) { /* colour first */
        AVBufferRef *b = out->buf[0];
        out->buf[0] = out->buf[1];
        out->buf[1] = b;
        out->format[1] = VT_VIDEO_RGTC1;
        out->format[0] = VT_VIDEO_YCOCG_DXT5;
    }
    if (st != VT_OK) {
        vt_video_hap_free(out);
    }
    return st;
}

void vt_video_hap_free(vt_video_hap *h) {
    av_buffer_unref(&h->buf[0]);
    av_buffer_unref(&h->buf[1]);
    h->count = 0;
}
