/* libFuzzer target for the sync packet reader (engine/sync/sync_packet.c): packets from the
 * room's network, every one hostile. Any bytes are refused or read without reading past the
 * packet; a refusal says why; what is read keeps its promises (items within bounds, messages
 * inside the packet that parse as OSC); and the first bytes, used as the secret, sign a packet
 * written from what was read, which then reads back to the same items. */
#include "sync/vt_sync.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_items(const vt_sync_packet *p, const uint8_t *buf, size_t size) {
    if (p->count > VT_SYNC_MAX_ITEMS) {
        abort();
    }
    for (size_t i = 0; i < p->count; i++) {
        const vt_sync_item *it = &p->items[i];
        if (it->msg &&
            (it->msg < buf || it->msg + it->len > buf + size || it->len > VT_SYNC_MSG_MAX)) {
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > VT_OSC_MAX_PACKET) {
        return 0;
    }
    uint8_t *buf = malloc(size ? size : 1); /* exactly size bytes: ASan sees any overread */
    memcpy(buf, data, size);
    static const uint8_t key[] = "fuzzing-room-secret-0123456789";
    vt_sync_packet p;
    vt_error err = {0};
    vt_sync_verdict v = vt_sync_packet_read(buf, size, key, sizeof key, &p, &err);
    if (v != VT_SYNC_OK && !err.message[0]) {
        abort(); /* a refusal says why */
    }
    if (v == VT_SYNC_OK) {
        check_items(&p, buf, size);
    }
    /* Sign with a key taken from the input and read back: the same packet, item by item. */
    if (size >= 16) {
        vt_sync_packet w = {.role = VT_SYNC_FOLLOWER, .session = 1, .seq = 2, .sent_ns = 3};
        if (v == VT_SYNC_OK) {
            w = p;
        }
        uint8_t out[VT_OSC_MAX_PACKET];
        size_t n = vt_sync_packet_write(&w, buf, 16, out, sizeof out);
        vt_sync_packet r;
        if (n > 0) {
            if (vt_sync_packet_read(out, n, buf, 16, &r, &err) != VT_SYNC_OK ||
                r.count != w.count || r.session != w.session || r.seq != w.seq) {
                abort();
            }
            for (size_t i = 0; i < r.count; i++) {
                if (r.items[i].kind != w.items[i].kind || r.items[i].len != w.items[i].len ||
                    r.items[i].tick != w.items[i].tick || r.items[i].order != w.items[i].order) {
                    abort();
                }
            }
            out[n / 2] ^= 1; /* one bit changed: never accepted */
            if (vt_sync_packet_read(out, n, buf, 16, &r, &err) == VT_SYNC_OK) {
                abort();
            }
        }
    }
    free(buf);
    return 0;
}
