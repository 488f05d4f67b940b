/* Remote control over OSC 1.0 on UDP: a decoder and encoder for OSC packets (messages and
 * bundles, written here and fuzzed: every packet is hostile), and the server that owns the UDP
 * socket bound to the operator's address, drops senders outside the allow list, limits each
 * sender's rate, and holds a bundle's messages until their timetag. Knows no command: the app
 * turns messages into actions. */
#ifndef VT_OSC_H
#define VT_OSC_H

#include "core/vt_core.h"

#include <sys/socket.h>

/* The largest packet accepted (bigger ones are counted as oversized and dropped). */
#define VT_OSC_MAX_PACKET 8192
/* Arguments of one message, messages of one packet, bundles inside bundles. */
#define VT_OSC_MAX_ARGS 16
#define VT_OSC_MAX_MESSAGES 64
#define VT_OSC_MAX_DEPTH 4
/* The OSC timetag meaning "at once". */
#define VT_OSC_IMMEDIATE UINT64_C(1)

typedef struct vt_osc_arg {
    char type;     /* the OSC type tag: i f s S b h d t c r m T F N I */
    int64_t i;     /* i h c r m; T: 1, F: 0; f d: truncated */
    double f;      /* f d; i h c: converted; T: 1, F: 0 */
    const char *s; /* s S: NUL-terminated; b: the blob's bytes; into the packet */
    size_t len;    /* s S b: bytes (without the NUL) */
    uint64_t t;    /* t: the timetag */
} vt_osc_arg;

typedef struct vt_osc_msg {
    const char *address; /* "/vitrine/play": '/' then printable ASCII, into the packet */
    vt_osc_arg args[VT_OSC_MAX_ARGS];
    size_t argc;
} vt_osc_msg;

/* Where a packet's messages are: each message's bytes and the timetag of the bundle that holds
 * it (VT_OSC_IMMEDIATE for a bare message). */
typedef struct vt_osc_span {
    size_t offset, len;
    uint64_t timetag;
} vt_osc_span;

/* Splits a packet (a message or a bundle, nested up to VT_OSC_MAX_DEPTH) into its messages, in
 * order: at most `cap`. A nested bundle's timetag is never earlier than its parent's. Checks
 * only the bundle structure; each message is checked by vt_osc_parse. VT_OK or VT_E_DATAERR
 * with the reason in err (then no span is usable). */
vt_status vt_osc_split(const uint8_t *buf, size_t len, vt_osc_span *spans, size_t cap,
                       size_t *count, vt_error *err);
/* Parses one message (a span of vt_osc_split). Strings point into buf, which must outlive msg.
 * VT_OK or VT_E_DATAERR with the reason. */
vt_status vt_osc_parse(const uint8_t *buf, size_t len, vt_osc_msg *msg, vt_error *err);

/* Writes a message into out[cap]: the bytes written, 0 when it does not fit or an argument's
 * type cannot be written (s S b take s and len; the others their number). */
size_t vt_osc_encode(uint8_t *out, size_t cap, const char *address, const vt_osc_arg *args,
                     size_t argc);
/* Wraps messages (each encoded, `lens` bytes) into a bundle at `timetag`; 0 when it does not
 * fit. */
size_t vt_osc_bundle(uint8_t *out, size_t cap, uint64_t timetag, const uint8_t *const *msgs,
                     const size_t *lens, size_t count);
/* A wall-clock time (ns since 1970, CLOCK_REALTIME) as an OSC (NTP) timetag and back. */
uint64_t vt_osc_timetag_from_unix_ns(int64_t unix_ns);
int64_t vt_osc_timetag_to_unix_ns(uint64_t timetag);

/* ---- Addresses allowed to send: "10.0.0.0/8", "127.0.0.1", "::1/128" ---- */

typedef struct vt_osc_cidr {
    int family; /* AF_INET or AF_INET6 */
    uint8_t addr[16];
    int bits;
} vt_osc_cidr;

/* Parses a numeric address with an optional /bits (none: the one address). False when it is
 * not one. */
bool vt_osc_cidr_parse(const char *text, vt_osc_cidr *out);
/* Is the sender inside? An IPv4 sender seen as ::ffff:a.b.c.d matches IPv4 ranges. */
bool vt_osc_cidr_match(const vt_osc_cidr *c, const struct sockaddr *sa);

/* ---- The server ---- */

typedef struct vt_osc_server vt_osc_server;

typedef struct vt_osc_desc {
    int port;                 /* 1..65535 */
    const char *bind;         /* a numeric IPv4 or IPv6 address; NULL: 127.0.0.1 */
    const vt_osc_cidr *allow; /* senders allowed; none: the loopback only */
    size_t allow_count;
    double rate; /* messages a second per sender (a burst of as many); 0: 200 */
} vt_osc_desc;

/* Who sent a message: replies go back there. */
typedef struct vt_osc_peer {
    struct sockaddr_storage addr;
    socklen_t len;
} vt_osc_peer;

/* What was dropped, and why, since the server opened. */
typedef struct vt_osc_stats {
    uint64_t packets;   /* datagrams read */
    uint64_t messages;  /* messages handed out */
    uint64_t malformed; /* packets or messages that are not OSC */
    uint64_t oversized; /* packets over VT_OSC_MAX_PACKET */
    uint64_t denied;    /* packets from senders outside the allow list */
    uint64_t limited;   /* messages over a sender's rate */
    uint64_t overflow;  /* messages dropped because too many were waiting */
} vt_osc_stats;

/* Opens and binds the socket (non-blocking, close-on-exec). VT_E_USAGE for an address that is
 * not one, VT_E_IOERR with a message naming the address when it cannot bind (in use, not this
 * machine's). */
vt_status vt_osc_open(const vt_osc_desc *desc, vt_osc_server **out, vt_error *err);
void vt_osc_close(vt_osc_server *s);
/* The socket, for the loop's wait. */
int vt_osc_fd(const vt_osc_server *s);
/* The port bound (useful when desc.port was 0 in tests). */
int vt_osc_port(const vt_osc_server *s);
/* Reads what the socket holds (a bounded number of datagrams per call), then hands out the
 * next message due at monotonic time now_ns, in arrival order, a bundle's messages held until
 * their timetag: true and *msg (valid until the next call) and *from; false when none is due. */
bool vt_osc_poll(vt_osc_server *s, int64_t now_ns, vt_osc_msg *msg, vt_osc_peer *from);
/* When the next held message is due (monotonic ns); INT64_MAX when none. */
int64_t vt_osc_deadline(const vt_osc_server *s);
/* Sends a message to `to` from the server's socket; false (and nothing else) when it cannot. */
bool vt_osc_send(vt_osc_server *s, const vt_osc_peer *to, const uint8_t *msg, size_t len);
vt_osc_stats vt_osc_get_stats(const vt_osc_server *s);
/* The peer as "192.0.2.7:53000", for messages. */
void vt_osc_peer_text(const vt_osc_peer *p, char *out, size_t cap);

#endif
