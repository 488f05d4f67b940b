/* libFuzzer target for the OSC decoder (remote control packets from the network): any bytes are
 * split and parsed or refused, never read past the packet; what parses keeps its promises
 * (the address starts with '/', strings end inside the packet, spans lie inside it), and
 * writing a parsed message again gives bytes that parse to the same message. */
#include "remote/vt_osc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same(const vt_osc_msg *a, const vt_osc_msg *b) {
    if (strcmp(a->address, b->address) != 0 || a->argc != b->argc) {
        abort();
    }
    for (size_t i = 0; i < a->argc; i++) {
        const vt_osc_arg *x = &a->args[i], *y = &b->args[i];
        if (x->type != y->type || x->i != y->i || x->t != y->t || x->len != y->len) {
            abort();
        }
        if (x->s && memcmp(x->s, y->s, x->len) != 0) {
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > VT_OSC_MAX_PACKET) {
        return 0;
    }
    /* A copy of exactly `size` bytes: ASan catches any read past the packet. */
    uint8_t *buf = malloc(size ? size : 1);
    memcpy(buf, data, size);
    vt_osc_span spans[VT_OSC_MAX_MESSAGES];
    size_t count = 0;
    vt_error err = {0};
    if (vt_osc_split(buf, size, spans, VT_OSC_MAX_MESSAGES, &count, &err) == VT_OK) {
        for (size_t i = 0; i < count; i++) {
            if (spans[i].offset > size || spans[i].len > size - spans[i].offset ||
                spans[i].len == 0) {
                abort();
            }
            vt_osc_msg m;
            if (vt_osc_parse(buf + spans[i].offset, spans[i].len, &m, &err) != VT_OK) {
                continue;
            }
            if (m.address[0] != '/' || m.argc > VT_OSC_MAX_ARGS) {
                abort();
            }
            uint8_t again[VT_OSC_MAX_PACKET];
            size_t n = vt_osc_encode(again, sizeof again, m.address, m.args, m.argc);
            vt_osc_msg m2;
            if (n == 0 || vt_osc_parse(again, n, &m2, &err) != VT_OK) {
                abort();
            }
            same(&m, &m2);
        }
    } else if (!err.message[0]) {
        abort(); /* a refusal says why */
    }
    free(buf);
    return 0;
}
