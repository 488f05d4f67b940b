/* A show clock shared by several machines (docs/sync.md). The machines' system clocks are kept
 * together by linuxptp or chrony (never by Vitrine); the leader announces the show's epoch (the
 * shared-clock instant of tick 0) and orders every input into one log of entries, each applied
 * by every machine at the same integer tick. Group traffic is OSC bundles over UDP (multicast or
 * a list of peers), each signed with HMAC-SHA256 (nettle) over the shared secret, with a
 * sequence number and a send time against replays. Pure parts (clock math, the log, the packet
 * codec, the replay window) are separate from the socket (sync_net.c). */
#ifndef VT_SYNC_H
#define VT_SYNC_H

#include "core/vt_core.h"
#include "remote/vt_osc.h"

/* ---- The operator's description (`sync:` in the operator config) ---- */

#define VT_SYNC_PEERS_MAX 16
#define VT_SYNC_ALLOW_MAX 16
#define VT_SYNC_KEY_MAX 256
/* A shorter secret is refused: 16 random bytes (32 hex digits) at least. */
#define VT_SYNC_KEY_MIN 16
#define VT_SYNC_DEFAULT_PORT 7401

typedef enum vt_sync_role { VT_SYNC_OFF, VT_SYNC_LEADER, VT_SYNC_FOLLOWER } vt_sync_role;

typedef struct vt_sync_addr {
    uint8_t ip[4]; /* IPv4, network order */
    int port;
} vt_sync_addr;

typedef struct vt_sync_desc {
    vt_sync_role role;
    bool multicast;                        /* group: one multicast address */
    vt_sync_addr group;                    /* multicast: the group */
    vt_sync_addr peers[VT_SYNC_PEERS_MAX]; /* else every machine of the room (this one too) */
    size_t peer_count;
    uint8_t iface[4];                     /* this machine's address on the room's network */
    int port;                             /* peers: the port this machine listens on */
    vt_osc_cidr allow[VT_SYNC_ALLOW_MAX]; /* senders listened to; none: see sync_net.c */
    size_t allow_count;
    uint8_t key[VT_SYNC_KEY_MAX]; /* the shared secret */
    size_t key_len;
    double delay;  /* seconds between an input and its tick */
    int clock;     /* CLOCK_REALTIME or CLOCK_TAI */
    int line, col; /* the `sync` key in the config */
} vt_sync_desc;

/* "239.255.74.0:7401" or "10.0.0.2:7401" (a port is needed): false when it is not one. */
bool vt_sync_addr_parse(const char *text, vt_sync_addr *out);
bool vt_sync_addr_is_multicast(const vt_sync_addr *a);

/* ---- The shared clock (pure) ---- */

/* The tick at shared-clock time real_ns, for a show whose tick 0 is at epoch_ns (floor; negative
 * before the epoch). Exact integer math: every machine computes the same tick. */
vt_ticks vt_sync_tick_at(int64_t epoch_ns, int64_t real_ns);
/* The first shared-clock ns at which vt_sync_tick_at gives tick t (or later). */
int64_t vt_sync_ns_of_tick(int64_t epoch_ns, vt_ticks t);
/* The frame grid at fps: the frame tick at or before t, and at or after t. */
vt_ticks vt_sync_grid_floor(vt_ticks t, int fps);
vt_ticks vt_sync_grid_ceil(vt_ticks t, int fps);
/* The tick an input ordered at shared time now_ns is applied at: the first frame of the grid at
 * least delay_ns later, and never before `floor` (a pending restart). */
vt_ticks vt_sync_input_tick(int64_t epoch_ns, int64_t now_ns, int64_t delay_ns, int fps,
                            vt_ticks floor);
/* Reads the shared clock (CLOCK_REALTIME or CLOCK_TAI), in ns. */
int64_t vt_sync_clock_now(int clock);

/* ---- Clock offsets (pure) ---- */

/* Measured as NTP does, with four timestamps of one ping and its pong: t1 sent here, t2
 * received there, t3 answered there, t4 received here; offset ((t2 - t1) + (t3 - t4)) / 2 (the
 * other machine's clock minus this one's), round trip (t4 - t1) - (t3 - t2). A late reading on
 * either side shows in the round trip: the samples with the shortest are the truest. */
typedef struct vt_sync_offset {
    int samples;                         /* taken */
    int64_t best_offset_ns, best_rtt_ns; /* the sample with the shortest round trip */
    bool have;                           /* smoothed_ns holds a figure */
    double smoothed_ns;                  /* a moving average of the samples near the shortest */
    int64_t floor_rtt_ns;                /* the shortest round trip of late */
    int skipped;                         /* samples left out in a row (their round trip long) */
} vt_sync_offset;

void vt_sync_offset_init(vt_sync_offset *o);
/* Takes one sample; false when its round trip was too long to count in the average. */
bool vt_sync_offset_take(vt_sync_offset *o, int64_t t1, int64_t t2, int64_t t3, int64_t t4);

/* ---- The ordered log (pure) ---- */

/* The largest OSC message one entry carries, and entries kept since the last restart. */
#define VT_SYNC_MSG_MAX 256
#define VT_SYNC_LOG_MAX 4096

typedef struct vt_sync_entry {
    uint64_t order;
    vt_ticks tick;
    bool restart; /* the show starts over at `tick` (the room returned to attract) */
    bool have;
    uint8_t msg[VT_SYNC_MSG_MAX]; /* an OSC message: the input */
    size_t len;
} vt_sync_entry;

/* Entries first..first+VT_SYNC_LOG_MAX-1, first being the last restart applied. */
typedef struct vt_sync_log {
    uint64_t first;     /* the order of the restart the log starts at */
    uint64_t end;       /* one past the highest order held */
    uint64_t applied;   /* the next order to apply */
    vt_ticks evaluated; /* the last tick the show was evaluated at; -1: not since the restart */
    vt_sync_entry *e;   /* VT_SYNC_LOG_MAX slots, e[order - first] */
} vt_sync_log;

typedef enum vt_sync_put {
    VT_SYNC_PUT_NEW,  /* stored */
    VT_SYNC_PUT_DUP,  /* already held (or applied and dropped) */
    VT_SYNC_PUT_FULL, /* beyond VT_SYNC_LOG_MAX: refused */
} vt_sync_put;

/* An empty log starting at `first` (the restart's order). */
void vt_sync_log_reset(vt_sync_log *log, uint64_t first);
void vt_sync_log_free(vt_sync_log *log);
vt_sync_put vt_sync_log_put(vt_sync_log *log, uint64_t order, vt_ticks tick, bool restart,
                            const uint8_t *msg, size_t len);
/* The next entry in order when it is held and due at `now` (its tick <= now), else NULL. The
 * caller applies it, then calls vt_sync_log_applied. */
const vt_sync_entry *vt_sync_log_due(const vt_sync_log *log, vt_ticks now);
/* Marks the entry vt_sync_log_due gave as applied; a restart drops what came before it. */
void vt_sync_log_applied(vt_sync_log *log);
/* The show was evaluated at tick t (every entry due at t applied first). */
void vt_sync_log_evaluated(vt_sync_log *log, vt_ticks t);
/* The next entry arrived after its tick was evaluated here (a lost or late packet): the show
 * must be rebuilt from the restart (vt_sync_log_rewind) to stay in step. */
bool vt_sync_log_late(const vt_sync_log *log);
void vt_sync_log_rewind(vt_sync_log *log);
/* Some of first..count-1 is missing (the leader says it holds `count`): ask for them. */
bool vt_sync_log_missing(const vt_sync_log *log, uint64_t count);

/* ---- Replays (pure) ---- */

#define VT_SYNC_SESSIONS 16
/* A packet's send time must be this close to the receiver's clock. */
#define VT_SYNC_WINDOW_NS INT64_C(5000000000)

typedef struct vt_sync_replay {
    struct {
        uint64_t session, top, mask; /* the highest sequence seen; bit i: top - i seen */
        int64_t used_ns;
        bool used;
    } s[VT_SYNC_SESSIONS];
} vt_sync_replay;

/* Accepts (and records) sequence number `seq` of `session` once: false for one seen before or
 * more than 64 behind the highest. */
bool vt_sync_replay_accept(vt_sync_replay *r, uint64_t session, uint64_t seq, int64_t now_ns);

/* ---- The packet codec (pure; fuzzed) ---- */

#define VT_SYNC_HMAC_LEN 32
#define VT_SYNC_MAX_ITEMS 32

typedef enum vt_sync_kind {
    VT_SYNC_EPOCH = 1, /* leader: epoch_ns, first (restart), count (entries held) */
    VT_SYNC_ENTRY,     /* leader: order, tick, restart, msg */
    VT_SYNC_INPUT,     /* any: an input for the leader to order: msg */
    VT_SYNC_JOIN,      /* any: send me the epoch and the log */
    VT_SYNC_PING,      /* any: t1 (the sender's clock) */
    VT_SYNC_PONG,      /* reply: to (the session pinged), t1, t2 (received), t3 (sent) */
} vt_sync_kind;

typedef struct vt_sync_item {
    vt_sync_kind kind;
    int64_t epoch_ns;
    uint64_t first, count;
    uint64_t order;
    vt_ticks tick;
    bool restart;
    const uint8_t *msg; /* an OSC message (checked by vt_osc_parse), into the packet */
    size_t len;
    uint64_t to;
    int64_t t1, t2, t3;
} vt_sync_item;

typedef struct vt_sync_packet {
    vt_sync_role role; /* VT_SYNC_OFF: sync-status */
    uint64_t session;  /* random, per process */
    uint64_t seq;      /* per session, from 1 */
    int64_t sent_ns;   /* the sender's shared clock */
    uint64_t timetag;  /* the bundle's: when its entries apply (VT_OSC_IMMEDIATE: now) */
    vt_sync_item items[VT_SYNC_MAX_ITEMS];
    size_t count;
} vt_sync_packet;

typedef enum vt_sync_verdict {
    VT_SYNC_OK,
    VT_SYNC_MALFORMED, /* not a sync bundle */
    VT_SYNC_FORGED,    /* the HMAC does not match: another secret, or altered */
} vt_sync_verdict;

/* The packet as a signed OSC bundle into out[cap]: its length, 0 when it does not fit. */
size_t vt_sync_packet_write(const vt_sync_packet *p, const uint8_t *key, size_t key_len,
                            uint8_t *out, size_t cap);
/* Checks the structure, then the HMAC (constant-time), then reads the items. msg pointers
 * point into buf. The reason goes to err unless VT_SYNC_OK. */
vt_sync_verdict vt_sync_packet_read(const uint8_t *buf, size_t len, const uint8_t *key,
                                    size_t key_len, vt_sync_packet *out, vt_error *err);
/* HMAC-SHA256 of data under key, and its constant-time check. */
void vt_sync_hmac(const uint8_t *key, size_t key_len, const uint8_t *data, size_t len,
                  uint8_t out[VT_SYNC_HMAC_LEN]);
bool vt_sync_hmac_verify(const uint8_t *key, size_t key_len, const uint8_t *data, size_t len,
                         const uint8_t *mac);

/* ---- The socket ---- */

typedef struct vt_sync_net vt_sync_net;

typedef struct vt_sync_stats {
    uint64_t packets;   /* datagrams read */
    uint64_t accepted;  /* from another machine, signed, fresh */
    uint64_t denied;    /* senders outside the allowed addresses */
    uint64_t malformed; /* not sync bundles (or oversized) */
    uint64_t forged;    /* bad HMAC */
    uint64_t replayed;  /* a sequence number seen before, or a send time off the window */
    uint64_t send_failed;
} vt_sync_stats;

typedef struct vt_sync_from {
    uint8_t ip[4];
    int port;
} vt_sync_from;

/* Opens the socket: multicast, bound to the group's address and port, joined on the interface
 * (TTL 1: the room's network only); peers, bound to the interface's address and `port`.
 * `ephemeral`: a port of its own on the interface (sync-status). VT_E_IOERR naming the address
 * when it cannot. */
vt_status vt_sync_net_open(const vt_sync_desc *d, vt_sync_role role, bool ephemeral,
                           vt_sync_net **out, vt_error *err);
void vt_sync_net_close(vt_sync_net *n);
int vt_sync_net_fd(const vt_sync_net *n);
uint64_t vt_sync_net_session(const vt_sync_net *n);
/* Signs and sends p (session, seq and sent_ns are filled in) to the group (to == NULL) or one
 * sender. False when it could not. */
bool vt_sync_net_send(vt_sync_net *n, vt_sync_packet *p, const vt_sync_from *to);
/* The next packet from another machine, signed and fresh: true, *p (valid until the next call)
 * and *from; false when none is waiting (what was dropped is counted). Bounded work per call. */
bool vt_sync_net_recv(vt_sync_net *n, vt_sync_packet *p, vt_sync_from *from);
/* How long ago the packet vt_sync_net_recv last returned arrived (the kernel's timestamp; 0
 * when it has none): its arrival on any clock is that clock now minus this. */
int64_t vt_sync_net_age(const vt_sync_net *n);
vt_sync_stats vt_sync_net_stats(const vt_sync_net *n);
/* "10.0.0.2:7401" */
void vt_sync_from_text(const vt_sync_from *f, char *out, size_t cap);

#endif
