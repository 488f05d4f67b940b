/* OSC 1.0 packets: splitting bundles into messages, parsing and writing messages. Every read
 * is bounded by the packet's length; strings must end inside it; sizes must be multiples of 4. */
#include "remote/vt_osc.h"

#include <string.h>

#define BUNDLE_TAG "#bundle"
#define BUNDLE_HEAD 16 /* "#bundle\0" + timetag */
/* Seconds from 1900 (NTP's epoch) to 1970. */
#define NTP_UNIX_OFFSET INT64_C(2208988800)

static uint32_t be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p) {
    return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static void put32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void put64(uint8_t *p, uint64_t v) {
    put32(p, (uint32_t)(v >> 32));
    put32(p + 4, (uint32_t)v);
}

static size_t pad4(size_t n) {
    return (n + 3) & ~(size_t)3;
}

static bool is_bundle(const uint8_t *buf, size_t len) {
    return len >= 8 && memcmp(buf, BUNDLE_TAG, 8) == 0;
}

/* ---- bundles ---- */

typedef struct splitter {
    const uint8_t *buf;
    vt_osc_span *spans;
    size_t cap, count;
    vt_error *err;
} splitter;

static vt_status split_at(splitter *sp, size_t off, size_t len, uint64_t timetag, int depth) {
    const uint8_t *p = sp->buf + off;
    if (len == 0 || len % 4 != 0) {
        return VT_FAIL(sp->err, VT_E_DATAERR, "an OSC packet's size must be a multiple of 4");
    }
    if (!is_bundle(p, len)) {
        if (p[0] != '/') {
            return VT_FAIL(sp->err, VT_E_DATAERR, "not an OSC message or bundle");
        }
        if (sp->count == sp->cap) {
            return VT_FAIL(sp->err, VT_E_DATAERR, "more than %zu messages in one packet", sp->cap);
        }
        sp->spans[sp->count++] = (vt_osc_span){off, len, timetag};
        return VT_OK;
    }
    if (depth >= VT_OSC_MAX_DEPTH) {
        return VT_FAIL(sp->err, VT_E_DATAERR, "bundles nested deeper than %d", VT_OSC_MAX_DEPTH);
    }
    if (len < BUNDLE_HEAD) {
        return VT_FAIL(sp->err, VT_E_DATAERR, "a bundle without its timetag");
    }
    uint64_t t = be64(p + 8);
    if (t < timetag) {
        t = timetag; /* OSC 1.0: a nested bundle is never due before the one holding it */
    }
    for (size_t at = BUNDLE_HEAD; at < len;) {
        if (len - at < 4) {
            return VT_FAIL(sp->err, VT_E_DATAERR, "a bundle element without its size");
        }
        uint32_t size = be32(p + at);
        at += 4;
        if (size > len - at) {
            return VT_FAIL(sp->err, VT_E_DATAERR, "a bundle element runs past the packet");
        }
        vt_status st = split_at(sp, off + at, size, t, depth + 1);
        if (st != VT_OK) {
            return st;
        }
        at += size;
    }
    return VT_OK;
}

vt_status vt_osc_split(const uint8_t *buf, size_t len, vt_osc_span *spans, size_t cap,
                       size_t *count, vt_error *err) {
    splitter sp = {buf, spans, cap, 0, err};
    *count = 0;
    vt_status st = split_at(&sp, 0, len, VT_OSC_IMMEDIATE, 0);
    if (st == VT_OK) {
        *count = sp.count;
    }
    return st;
}

/* ---- messages ---- */

/* A NUL-terminated string at *at, padded to 4: its length, and *at moved past it. */
static bool read_string(const uint8_t *buf, size_t len, size_t *at, const char **s, size_t *n) {
    if (*at >= len) {
        return false;
    }
    const uint8_t *nul = memchr(buf + *at, 0, len - *at);
    if (!nul) {
        return false;
    }
    *s = (const char *)buf + *at;
    *n = (size_t)(nul - (buf + *at));
    size_t next = pad4(*at + *n + 1);
    if (next > len) {
        return false;
    }
    *at = next;
    return true;
}

static bool address_ok(const char *a, size_t n) {
    if (n == 0 || a[0] != '/') {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)a[i] <= 0x20 || (unsigned char)a[i] >= 0x7F) {
            return false;
        }
    }
    return true;
}

static bool need(size_t len, size_t at, size_t n) {
    return n <= len && at <= len - n;
}

/* One argument of type `t` at *at. */
static bool read_arg(const uint8_t *buf, size_t len, size_t *at, char t, vt_osc_arg *a) {
    *a = (vt_osc_arg){.type = t};
    switch (t) {
    case 'i':
    case 'c':
    case 'r':
    case 'm':
    case 'f': {
        if (!need(len, *at, 4)) {
            return false;
        }
        uint32_t u = be32(buf + *at);
        *at += 4;
        if (t == 'f') {
            float f;
            memcpy(&f, &u, sizeof f);
            a->f = f;
            a->i = f != f || f > 9.2e18f || f < -9.2e18f ? 0 : (int64_t)f;
        } else {
            a->i = t == 'i' ? (int64_t)(int32_t)u : (int64_t)u;
            a->f = (double)a->i;
        }
        return true;
    }
    case 'h':
    case 't':
    case 'd': {
        if (!need(len, *at, 8)) {
            return false;
        }
        uint64_t u = be64(buf + *at);
        *at += 8;
        if (t == 'd') {
            double d;
            memcpy(&d, &u, sizeof d);
            a->f = d;
            a->i = d != d || d > 9.2e18 || d < -9.2e18 ? 0 : (int64_t)d;
        } else if (t == 't') {
            a->t = u;
        } else {
            a->i = (int64_t)u;
            a->f = (double)a->i;
        }
        return true;
    }
    case 's':
    case 'S':
        return read_string(buf, len, at, &a->s, &a->len);
    case 'b': {
        if (!need(len, *at, 4)) {
            return false;
        }
        uint32_t n = be32(buf + *at);
        *at += 4;
        if (n > len - *at || pad4((size_t)n) > len - *at) {
            return false;
        }
        a->s = (const char *)buf + *at;
        a->len = n;
        *at += pad4(n);
        return true;
    }
    case 'T':
    case 'F':
        a->i = t == 'T';
        a->f = (double)a->i;
        return true;
    case 'N':
    case 'I':
        return true;
    default:
        return false; /* arrays ([ ]) and unknown tags */
    }
}

vt_status vt_osc_parse(const uint8_t *buf, size_t len, vt_osc_msg *msg, vt_error *err) {
    msg->argc = 0;
    size_t at = 0, n = 0;
    const char *address = NULL, *tags = NULL;
    if (!read_string(buf, len, &at, &address, &n) || !address_ok(address, n)) {
        return VT_FAIL(err, VT_E_DATAERR, "an OSC message must start with an address like /a/b");
    }
    msg->address = address;
    if (at == len) {
        return VT_OK; /* OSC 1.0 allows a message without a type tag string: no arguments */
    }
    size_t ntags = 0;
    if (!read_string(buf, len, &at, &tags, &ntags) || ntags == 0 || tags[0] != ',') {
        return VT_FAIL(err, VT_E_DATAERR, "message %s: no type tag string", address);
    }
    if (ntags - 1 > VT_OSC_MAX_ARGS) {
        return VT_FAIL(err, VT_E_DATAERR, "message %s: more than %d arguments", address,
                       VT_OSC_MAX_ARGS);
    }
    for (size_t i = 1; i < ntags; i++) {
        if (!read_arg(buf, len, &at, tags[i], &msg->args[msg->argc])) {
            return VT_FAIL(err, VT_E_DATAERR, "message %s: argument %zu ('%c') is malformed",
                           address, i, (tags[i] > 0x20 && tags[i] < 0x7F) ? tags[i] : '?');
        }
        msg->argc++;
    }
    if (at != len) {
        return VT_FAIL(err, VT_E_DATAERR, "message %s: bytes after its arguments", address);
    }
    return VT_OK;
}

/* ---- writing ---- */

static bool write_string(uint8_t *out, size_t cap, size_t *at, const char *s, size_t n) {
    size_t next = pad4(*at + n + 1);
    if (next > cap || n >= cap) {
        return false;
    }
    memcpy(out + *at, s, n);
    memset(out + *at + n, 0, next - *at - n);
    *at = next;
    return true;
}

static bool write_arg(uint8_t *out, size_t cap, size_t *at, const vt_osc_arg *a) {
    switch (a->type) {
    case 'i':
    case 'c':
    case 'r':
    case 'm':
    case 'f': {
        if (*at + 4 > cap) {
            return false;
        }
        uint32_t u = (uint32_t)a->i;
        if (a->type == 'f') {
            float f = (float)a->f;
            memcpy(&u, &f, sizeof u);
        }
        put32(out + *at, u);
        *at += 4;
        return true;
    }
    case 'h':
    case 't':
    case 'd': {
        if (*at + 8 > cap) {
            return false;
        }
        uint64_t u = a->type == 't' ? a->t : (uint64_t)a->i;
        if (a->type == 'd') {
            memcpy(&u, &a->f, sizeof u);
        }
        put64(out + *at, u);
        *at += 8;
        return true;
    }
    case 's':
    case 'S':
        return a->s && memchr(a->s, 0, a->len) == NULL && write_string(out, cap, at, a->s, a->len);
    case 'b':
        if (a->len > UINT32_MAX || *at + 4 + pad4(a->len) > cap) {
            return false;
        }
        put32(out + *at, (uint32_t)a->len);
        memcpy(out + *at + 4, a->s, a->len);
        memset(out + *at + 4 + a->len, 0, pad4(a->len) - a->len);
        *at += 4 + pad4(a->len);
        return true;
    case 'T':
    case 'F':
    case 'N':
    case 'I':
        return true;
    default:
        return false;
    }
}

size_t vt_osc_encode(uint8_t *out, size_t cap, const char *address, const vt_osc_arg *args,
                     size_t argc) {
    size_t at = 0;
    char tags[VT_OSC_MAX_ARGS + 2] = ",";
    if (argc > VT_OSC_MAX_ARGS || !write_string(out, cap, &at, address, strlen(address))) {
        return 0;
    }
    for (size_t i = 0; i < argc; i++) {
        tags[i + 1] = args[i].type;
    }
    tags[argc + 1] = '\0';
    if (!write_string(out, cap, &at, tags, argc + 1)) {
        return 0;
    }
    for (size_t i = 0; i < argc; i++) {
        if (!write_arg(out, cap, &at, &args[i])) {
            return 0;
        }
    }
    return at;
}

size_t vt_osc_bundle(uint8_t *out, size_t cap, uint64_t timetag, const uint8_t *const *msgs,
                     const size_t *lens, size_t count) {
    if (cap < BUNDLE_HEAD) {
        return 0;
    }
    memcpy(out, BUNDLE_TAG, 8);
    put64(out + 8, timetag);
    size_t at = BUNDLE_HEAD;
    for (size_t i = 0; i < count; i++) {
        if (lens[i] > UINT32_MAX || lens[i] > cap - at || cap - at - lens[i] < 4) {
            return 0;
        }
        put32(out + at, (uint32_t)lens[i]);
        memcpy(out + at + 4, msgs[i], lens[i]);
        at += 4 + lens[i];
    }
    return at;
}

uint64_t vt_osc_timetag_from_unix_ns(int64_t unix_ns) {
    int64_t sec = unix_ns / 1000000000, ns = unix_ns % 1000000000;
    uint64_t frac = ((uint64_t)ns << 32) / 1000000000u;
    return (uint64_t)(uint32_t)(sec + NTP_UNIX_OFFSET) << 32 | frac; /* NTP seconds wrap */
}

int64_t vt_osc_timetag_to_unix_ns(uint64_t timetag) {
    int64_t sec = (int64_t)(timetag >> 32) - NTP_UNIX_OFFSET;
    if (sec < INT64_C(946684800)) {
        sec += INT64_C(4294967296); /* NTP era 1 starts in 2036: before 2000 means after it */
    }
    int64_t ns = (int64_t)(((timetag & 0xFFFFFFFFu) * 1000000000u) >> 32);
    return sec * 1000000000 + ns;
}
