/* Sync packets: OSC bundles (so any OSC tool can read them) whose first message says who sent
 * them (role, session, sequence, send time), then the items, and last /vitrine/sync/hmac with
 * the HMAC-SHA256 (nettle) of every byte before that element. Read in that order: structure,
 * then the HMAC in constant time, and only then the items. Every packet is hostile (fuzzed:
 * fuzz/fuzz_sync.c). */
#include "sync/vt_sync.h"

#include <nettle/hmac.h>
#include <nettle/memops.h>
#include <string.h>

#define A_HEAD "/vitrine/sync"
#define A_EPOCH "/vitrine/sync/epoch"
#define A_ENTRY "/vitrine/sync/entry"
#define A_INPUT "/vitrine/sync/input"
#define A_JOIN "/vitrine/sync/join"
#define A_PING "/vitrine/sync/ping"
#define A_PONG "/vitrine/sync/pong"
#define A_HMAC "/vitrine/sync/hmac"

void vt_sync_hmac(const uint8_t *key, size_t key_len, const uint8_t *data, size_t len,
                  uint8_t out[VT_SYNC_HMAC_LEN]) {
    struct hmac_sha256_ctx ctx;
    hmac_sha256_set_key(&ctx, key_len, key);
    hmac_sha256_update(&ctx, len, data);
    hmac_sha256_digest(&ctx, VT_SYNC_HMAC_LEN, out);
}

bool vt_sync_hmac_verify(const uint8_t *key, size_t key_len, const uint8_t *data, size_t len,
                         const uint8_t *mac) {
    uint8_t want[VT_SYNC_HMAC_LEN];
    vt_sync_hmac(key, key_len, data, len, want);
    return memeql_sec(want, mac, VT_SYNC_HMAC_LEN) != 0;
}

static vt_osc_arg h(int64_t v) {
    return (vt_osc_arg){.type = 'h', .i = v};
}

static vt_osc_arg blob(const uint8_t *p, size_t len) {
    return (vt_osc_arg){.type = 'b', .s = (const char *)p, .len = len};
}

/* One item as a message into out[cap]: its length, 0 when it does not fit. */
static size_t write_item(const vt_sync_item *it, uint8_t *out, size_t cap) {
    vt_osc_arg a[6] = {{0}};
    switch (it->kind) {
    case VT_SYNC_EPOCH:
        a[0] = h(it->epoch_ns), a[1] = h((int64_t)it->first), a[2] = h((int64_t)it->count);
        return vt_osc_encode(out, cap, A_EPOCH, a, 3);
    case VT_SYNC_ENTRY:
        a[0] = h((int64_t)it->order), a[1] = h(it->tick);
        a[2] = (vt_osc_arg){.type = it->restart ? 'T' : 'F', .i = it->restart};
        a[3] = blob(it->msg, it->len);
        return vt_osc_encode(out, cap, A_ENTRY, a, 4);
    case VT_SYNC_INPUT:
        a[0] = blob(it->msg, it->len);
        return vt_osc_encode(out, cap, A_INPUT, a, 1);
    case VT_SYNC_JOIN:
        return vt_osc_encode(out, cap, A_JOIN, a, 0);
    case VT_SYNC_PING:
        a[0] = h(it->t1);
        return vt_osc_encode(out, cap, A_PING, a, 1);
    case VT_SYNC_PONG:
        a[0] = h((int64_t)it->to), a[1] = h(it->t1), a[2] = h(it->t2), a[3] = h(it->t3);
        return vt_osc_encode(out, cap, A_PONG, a, 4);
    }
    return 0;
}

static void put32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

size_t vt_sync_packet_write(const vt_sync_packet *p, const uint8_t *key, size_t key_len,
                            uint8_t *out, size_t cap) {
    if (p->count > VT_SYNC_MAX_ITEMS) {
        return 0;
    }
    uint8_t scratch[VT_OSC_MAX_PACKET];
    const uint8_t *msgs[VT_SYNC_MAX_ITEMS + 1];
    size_t lens[VT_SYNC_MAX_ITEMS + 1], used = 0;
    vt_osc_arg a[4] = {
        {.type = 'i', .i = p->role}, h((int64_t)p->session), h((int64_t)p->seq), h(p->sent_ns)};
    lens[0] = vt_osc_encode(scratch, sizeof scratch, A_HEAD, a, 4);
    msgs[0] = scratch;
    used = lens[0];
    for (size_t i = 0; i < p->count; i++) {
        if (lens[i] == 0) {
            return 0;
        }
        lens[i + 1] = write_item(&p->items[i], scratch + used, sizeof scratch - used);
        msgs[i + 1] = scratch + used;
        used += lens[i + 1];
    }
    if (lens[p->count] == 0) {
        return 0;
    }
    uint64_t tt = p->timetag ? p->timetag : VT_OSC_IMMEDIATE;
    size_t n = vt_osc_bundle(out, cap, tt, msgs, lens, p->count + 1);
    uint8_t mac[VT_SYNC_HMAC_LEN], tail[64];
    if (n == 0) {
        return 0;
    }
    vt_sync_hmac(key, key_len, out, n, mac);
    vt_osc_arg m = blob(mac, sizeof mac);
    size_t t = vt_osc_encode(tail, sizeof tail, A_HMAC, &m, 1);
    if (t == 0 || n + 4 + t > cap) {
        return 0;
    }
    put32(out + n, (uint32_t)t);
    memcpy(out + n + 4, tail, t);
    return n + 4 + t;
}

static bool args_are(const vt_osc_msg *m, const char *types) {
    size_t n = strlen(types);
    if (m->argc != n) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char want = types[i], got = m->args[i].type;
        if (want == 'B' ? got != 'T' && got != 'F' : got != want) {
            return false;
        }
    }
    return true;
}

static vt_sync_verdict bad(vt_error *err, const char *why) {
    vt_error_setf(err, VT_E_DATAERR, __FILE__, __LINE__, "%s", why);
    return VT_SYNC_MALFORMED;
}

/* One item from its message; false when it is not one. */
static bool read_item(const vt_osc_msg *m, vt_sync_item *it) {
    *it = (vt_sync_item){0};
    if (strcmp(m->address, A_EPOCH) == 0 && args_are(m, "hhh")) {
        *it = (vt_sync_item){.kind = VT_SYNC_EPOCH,
                             .epoch_ns = m->args[0].i,
                             .first = (uint64_t)m->args[1].i,
                             .count = (uint64_t)m->args[2].i};
        return m->args[1].i >= 0 && m->args[2].i >= m->args[1].i;
    }
    if (strcmp(m->address, A_ENTRY) == 0 && args_are(m, "hhBb")) {
        *it = (vt_sync_item){.kind = VT_SYNC_ENTRY,
                             .order = (uint64_t)m->args[0].i,
                             .tick = m->args[1].i,
                             .restart = m->args[2].type == 'T',
                             .msg = (const uint8_t *)m->args[3].s,
                             .len = m->args[3].len};
        return m->args[0].i >= 0 && m->args[1].i >= 0 && it->len <= VT_SYNC_MSG_MAX;
    }
    if (strcmp(m->address, A_INPUT) == 0 && args_are(m, "b")) {
        *it = (vt_sync_item){
            .kind = VT_SYNC_INPUT, .msg = (const uint8_t *)m->args[0].s, .len = m->args[0].len};
        return it->len > 0 && it->len <= VT_SYNC_MSG_MAX;
    }
    if (strcmp(m->address, A_JOIN) == 0 && args_are(m, "")) {
        it->kind = VT_SYNC_JOIN;
        return true;
    }
    if (strcmp(m->address, A_PING) == 0 && args_are(m, "h")) {
        *it = (vt_sync_item){.kind = VT_SYNC_PING, .t1 = m->args[0].i};
        return true;
    }
    if (strcmp(m->address, A_PONG) == 0 && args_are(m, "hhhh")) {
        *it = (vt_sync_item){.kind = VT_SYNC_PONG,
                             .to = (uint64_t)m->args[0].i,
                             .t1 = m->args[1].i,
                             .t2 = m->args[2].i,
                             .t3 = m->args[3].i};
        return true;
    }
    return false;
}

vt_sync_verdict vt_sync_packet_read(const uint8_t *buf, size_t len, const uint8_t *key,
                                    size_t key_len, vt_sync_packet *out, vt_error *err) {
    *out = (vt_sync_packet){0};
    vt_osc_span spans[VT_SYNC_MAX_ITEMS + 2];
    size_t count = 0;
    if (len < 16 || memcmp(buf, "#bundle", 8) != 0) {
        return bad(err, "not an OSC bundle");
    }
    if (vt_osc_split(buf, len, spans, VT_SYNC_MAX_ITEMS + 2, &count, err) != VT_OK) {
        return VT_SYNC_MALFORMED;
    }
    if (count < 2) {
        return bad(err, "a sync bundle holds a header and an HMAC at least");
    }
    uint64_t tt = 0;
    for (int i = 0; i < 8; i++) {
        tt = tt << 8 | buf[8 + i];
    }
    for (size_t i = 0; i < count; i++) {
        if (spans[i].timetag != tt) {
            return bad(err, "a sync bundle holds no nested bundle");
        }
    }
    const vt_osc_span *last = &spans[count - 1];
    vt_osc_msg m;
    if (last->offset + last->len != len || last->offset < 20 ||
        vt_osc_parse(buf + last->offset, last->len, &m, err) != VT_OK ||
        strcmp(m.address, A_HMAC) != 0 || !args_are(&m, "b") || m.args[0].len != VT_SYNC_HMAC_LEN) {
        return bad(err, "a sync bundle ends with /vitrine/sync/hmac and its 32 bytes");
    }
    /* Outside the signed bytes: it must be exactly as written (no other padding). */
    uint8_t tail[64];
    vt_osc_arg mac = blob((const uint8_t *)m.args[0].s, VT_SYNC_HMAC_LEN);
    if (vt_osc_encode(tail, sizeof tail, A_HMAC, &mac, 1) != last->len ||
        memcmp(tail, buf + last->offset, last->len) != 0) {
        return bad(err, "a sync bundle's /vitrine/sync/hmac is not written as it should be");
    }
    /* The element's size field (4 bytes) is where the signed bytes end. */
    if (!vt_sync_hmac_verify(key, key_len, buf, last->offset - 4, (const uint8_t *)m.args[0].s)) {
        vt_error_setf(err, VT_E_DATAERR, __FILE__, __LINE__,
                      "bad HMAC: another secret, or the packet was altered");
        return VT_SYNC_FORGED;
    }
    if (vt_osc_parse(buf + spans[0].offset, spans[0].len, &m, err) != VT_OK ||
        strcmp(m.address, A_HEAD) != 0 || !args_are(&m, "ihhh") || m.args[0].i < VT_SYNC_OFF ||
        m.args[0].i > VT_SYNC_FOLLOWER) {
        return bad(err, "a sync bundle starts with /vitrine/sync (role, session, seq, time)");
    }
    out->role = (vt_sync_role)m.args[0].i;
    out->session = (uint64_t)m.args[1].i;
    out->seq = (uint64_t)m.args[2].i;
    out->sent_ns = m.args[3].i;
    out->timetag = tt;
    for (size_t i = 1; i + 1 < count; i++) {
        if (vt_osc_parse(buf + spans[i].offset, spans[i].len, &m, err) != VT_OK) {
            return VT_SYNC_MALFORMED;
        }
        if (!read_item(&m, &out->items[out->count])) {
            vt_error_setf(err, VT_E_DATAERR, __FILE__, __LINE__,
                          "'%s' is not a sync message (or its arguments are not)", m.address);
            return VT_SYNC_MALFORMED;
        }
        out->count++;
    }
    return VT_SYNC_OK;
}
