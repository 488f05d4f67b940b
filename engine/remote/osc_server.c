/* The OSC server: one UDP socket bound to the operator's address (liblo 0.31 binds every
 * address, so the socket is ours), the allow list, a token bucket per sender, and the messages
 * waiting for their turn (in arrival order; a bundle's until its timetag). A flood costs a
 * bounded amount of work per wake-up: at most READS_PER_POLL datagrams are read each time. */
#include "remote/vt_osc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define READS_PER_POLL 64
#define MAX_WAITING 256
#define MAX_SENDERS 64
#define DEFAULT_RATE 200.0
/* A timetag further ahead than this is a mistake (a clock far off), not a schedule. */
#define MAX_AHEAD_NS (INT64_C(86400) * 1000000000)

typedef struct waiting {
    int64_t due_ns;
    uint64_t seq; /* arrival order among those due together */
    uint8_t *bytes;
    size_t len;
    vt_osc_peer from;
} waiting;

typedef struct sender {
    struct sockaddr_storage addr; /* port ignored: one bucket per host */
    double tokens;
    int64_t seen_ns;
    bool used;
} sender;

struct vt_osc_server {
    int fd;
    int port;
    vt_osc_cidr allow[32];
    size_t allow_count;
    double rate;
    waiting queue[MAX_WAITING];
    size_t queued;
    uint64_t seq;
    sender senders[MAX_SENDERS];
    vt_osc_stats stats;
    uint8_t packet[VT_OSC_MAX_PACKET + 1];
    uint8_t *current; /* the message handed out last, freed at the next poll */
};

/* ---- addresses ---- */

bool vt_osc_cidr_parse(const char *text, vt_osc_cidr *out) {
    char host[64];
    const char *slash = strchr(text, '/');
    size_t n = slash ? (size_t)(slash - text) : strlen(text);
    if (n == 0 || n >= sizeof host) {
        return false;
    }
    memcpy(host, text, n);
    host[n] = '\0';
    *out = (vt_osc_cidr){0};
    if (inet_pton(AF_INET, host, out->addr) == 1) {
        out->family = AF_INET;
        out->bits = 32;
    } else if (inet_pton(AF_INET6, host, out->addr) == 1) {
        out->family = AF_INET6;
        out->bits = 128;
    } else {
        return false;
    }
    if (slash) {
        char *end = NULL;
        long bits = strtol(slash + 1, &end, 10);
        if (slash[1] < '0' || slash[1] > '9' || *end != '\0' || bits < 0 || bits > out->bits) {
            return false;
        }
        out->bits = (int)bits;
    }
    return true;
}

static bool prefix_equal(const uint8_t *a, const uint8_t *b, int bits) {
    int whole = bits / 8, rest = bits % 8;
    if (memcmp(a, b, (size_t)whole) != 0) {
        return false;
    }
    uint8_t mask = (uint8_t)(0xFF << (8 - rest));
    return rest == 0 || (a[whole] & mask) == (b[whole] & mask);
}

/* The sender's address bytes and family; an IPv4-mapped IPv6 address is IPv4. */
static int sender_bytes(const struct sockaddr *sa, const uint8_t **bytes) {
    if (sa->sa_family == AF_INET) {
        *bytes = (const uint8_t *)&((const struct sockaddr_in *)sa)->sin_addr;
        return AF_INET;
    }
    if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
        if (IN6_IS_ADDR_V4MAPPED(a)) {
            *bytes = a->s6_addr + 12;
            return AF_INET;
        }
        *bytes = a->s6_addr;
        return AF_INET6;
    }
    return AF_UNSPEC;
}

bool vt_osc_cidr_match(const vt_osc_cidr *c, const struct sockaddr *sa) {
    const uint8_t *bytes = NULL;
    return sender_bytes(sa, &bytes) == c->family && prefix_equal(bytes, c->addr, c->bits);
}

void vt_osc_peer_text(const vt_osc_peer *p, char *out, size_t cap) {
    char host[INET6_ADDRSTRLEN] = "?";
    int port = 0;
    if (p->addr.ss_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)&p->addr;
        inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
        port = ntohs(in->sin_port);
    } else if (p->addr.ss_family == AF_INET6) {
        const struct sockaddr_in6 *in = (const struct sockaddr_in6 *)&p->addr;
        inet_ntop(AF_INET6, &in->sin6_addr, host, sizeof host);
        port = ntohs(in->sin6_port);
    }
    snprintf(out, cap, "%s:%d", host, port);
}

/* ---- open, close ---- */

vt_status vt_osc_open(const vt_osc_desc *desc, vt_osc_server **out, vt_error *err) {
    *out = NULL;
    const char *bind_to = desc->bind ? desc->bind : "127.0.0.1";
    if (desc->port < 0 || desc->port > 65535) {
        return VT_FAIL(err, VT_E_USAGE, "OSC port %d is not a port (1 to 65535)", desc->port);
    }
    if (desc->allow_count > 32) {
        return VT_FAIL(err, VT_E_USAGE, "more than 32 addresses in the OSC allow list");
    }
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_DGRAM,
                             .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE};
    struct addrinfo *ai = NULL;
    char port[16];
    snprintf(port, sizeof port, "%d", desc->port);
    if (getaddrinfo(bind_to, port, &hints, &ai) != 0 || !ai) {
        return VT_FAIL(err, VT_E_USAGE,
                       "OSC bind address '%s' is not a numeric IPv4 or IPv6 address; write "
                       "127.0.0.1 (this machine only) or the address of one of its interfaces",
                       bind_to);
    }
    int fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
        int e = errno;
        if (fd >= 0) {
            close(fd);
        }
        freeaddrinfo(ai);
        return VT_FAIL(err, VT_E_IOERR, "cannot listen for OSC on %s port %d: %s%s", bind_to,
                       desc->port, strerror(e),
                       e == EADDRINUSE ? " (another program uses it: pick another port)" : "");
    }
    freeaddrinfo(ai);
    vt_osc_server *s = vt_xcalloc(1, sizeof *s);
    s->fd = fd;
    struct sockaddr_storage bound;
    socklen_t blen = sizeof bound;
    if (getsockname(fd, (struct sockaddr *)&bound, &blen) == 0) {
        s->port = ntohs(bound.ss_family == AF_INET ? ((struct sockaddr_in *)&bound)->sin_port
                                                   : ((struct sockaddr_in6 *)&bound)->sin6_port);
    }
    if (desc->allow_count > 0) {
        memcpy(s->allow, desc->allow, desc->allow_count * sizeof *desc->allow);
        s->allow_count = desc->allow_count;
    } else {
        vt_osc_cidr_parse("127.0.0.0/8", &s->allow[0]);
        vt_osc_cidr_parse("::1/128", &s->allow[1]);
        s->allow_count = 2;
    }
    s->rate = desc->rate > 0 ? desc->rate : DEFAULT_RATE;
    *out = s;
    return VT_OK;
}

void vt_osc_close(vt_osc_server *s) {
    if (!s) {
        return;
    }
    close(s->fd);
    for (size_t i = 0; i < s->queued; i++) {
        free(s->queue[i].bytes);
    }
    free(s->current);
    free(s);
}

int vt_osc_fd(const vt_osc_server *s) {
    return s ? s->fd : -1;
}

int vt_osc_port(const vt_osc_server *s) {
    return s ? s->port : 0;
}

vt_osc_stats vt_osc_get_stats(const vt_osc_server *s) {
    return s ? s->stats : (vt_osc_stats){0};
}

/* ---- receiving ---- */

static bool allowed(const vt_osc_server *s, const struct sockaddr *sa) {
    for (size_t i = 0; i < s->allow_count; i++) {
        if (vt_osc_cidr_match(&s->allow[i], sa)) {
            return true;
        }
    }
    return false;
}

static bool same_host(const struct sockaddr_storage *a, const struct sockaddr *b) {
    const uint8_t *x = NULL, *y = NULL;
    int fx = sender_bytes((const struct sockaddr *)a, &x), fy = sender_bytes(b, &y);
    return fx == fy && fx != AF_UNSPEC && memcmp(x, y, fx == AF_INET ? 4 : 16) == 0;
}

/* The sender's bucket (the least recently seen one is reused for a new sender). */
static sender *bucket_of(vt_osc_server *s, const struct sockaddr *sa, socklen_t len,
                         int64_t now_ns) {
    sender *oldest = &s->senders[0];
    for (size_t i = 0; i < MAX_SENDERS; i++) {
        sender *b = &s->senders[i];
        if (b->used && same_host(&b->addr, sa)) {
            return b;
        }
        if (!b->used || (oldest->used && b->seen_ns < oldest->seen_ns)) {
            oldest = b;
        }
    }
    *oldest = (sender){.tokens = s->rate, .seen_ns = now_ns, .used = true};
    memcpy(&oldest->addr, sa, len < sizeof oldest->addr ? len : sizeof oldest->addr);
    return oldest;
}

/* Takes n tokens from the sender's bucket: how many it may send now. */
static size_t rate_take(vt_osc_server *s, sender *b, size_t n, int64_t now_ns) {
    double dt = (double)(now_ns - b->seen_ns) / 1e9;
    b->seen_ns = now_ns;
    b->tokens += dt > 0 ? dt * s->rate : 0;
    if (b->tokens > s->rate) {
        b->tokens = s->rate;
    }
    size_t ok = b->tokens >= (double)n ? n : (size_t)b->tokens;
    b->tokens -= (double)ok;
    return ok;
}

/* When a message at `timetag` is due on the monotonic clock. */
static int64_t due_of(uint64_t timetag, int64_t now_ns) {
    if (timetag <= VT_OSC_IMMEDIATE) {
        return now_ns;
    }
    struct timespec rt;
    clock_gettime(CLOCK_REALTIME, &rt);
    int64_t wall = (int64_t)rt.tv_sec * 1000000000 + rt.tv_nsec;
    int64_t ahead = vt_osc_timetag_to_unix_ns(timetag) - wall;
    return ahead <= 0 ? now_ns : now_ns + ahead;
}

static bool timetag_sane(uint64_t timetag) {
    if (timetag <= VT_OSC_IMMEDIATE) {
        return true;
    }
    struct timespec rt;
    clock_gettime(CLOCK_REALTIME, &rt);
    int64_t wall = (int64_t)rt.tv_sec * 1000000000 + rt.tv_nsec;
    return vt_osc_timetag_to_unix_ns(timetag) - wall <= MAX_AHEAD_NS;
}

static void enqueue(vt_osc_server *s, const uint8_t *bytes, size_t len, int64_t due_ns,
                    const vt_osc_peer *from) {
    if (s->queued == MAX_WAITING) {
        s->stats.overflow++;
        return;
    }
    waiting *w = &s->queue[s->queued++];
    *w = (waiting){.due_ns = due_ns, .seq = ++s->seq, .len = len, .from = *from};
    w->bytes = vt_xmalloc(len);
    memcpy(w->bytes, bytes, len);
}

/* One datagram of `len` bytes (len > VT_OSC_MAX_PACKET: truncated, too big). */
static void take_packet(vt_osc_server *s, size_t len, const vt_osc_peer *from, int64_t now_ns) {
    s->stats.packets++;
    if (!allowed(s, (const struct sockaddr *)&from->addr)) {
        s->stats.denied++;
        return;
    }
    if (len > VT_OSC_MAX_PACKET) {
        s->stats.oversized++;
        return;
    }
    vt_osc_span spans[VT_OSC_MAX_MESSAGES];
    size_t count = 0;
    vt_osc_msg msg;
    vt_error err = {0};
    if (vt_osc_split(s->packet, len, spans, VT_OSC_MAX_MESSAGES, &count, &err) != VT_OK) {
        s->stats.malformed++;
        return;
    }
    /* Every message is checked before any is taken: a packet is whole or dropped. */
    for (size_t i = 0; i < count; i++) {
        if (vt_osc_parse(s->packet + spans[i].offset, spans[i].len, &msg, &err) != VT_OK ||
            !timetag_sane(spans[i].timetag)) {
            s->stats.malformed++;
            return;
        }
    }
    sender *b = bucket_of(s, (const struct sockaddr *)&from->addr, from->len, now_ns);
    size_t ok = rate_take(s, b, count, now_ns);
    s->stats.limited += count - ok;
    for (size_t i = 0; i < ok; i++) {
        enqueue(s, s->packet + spans[i].offset, spans[i].len, due_of(spans[i].timetag, now_ns),
                from);
    }
}

static void read_socket(vt_osc_server *s, int64_t now_ns) {
    for (int n = 0; n < READS_PER_POLL; n++) {
        vt_osc_peer from = {.len = sizeof from.addr};
        ssize_t got = recvfrom(s->fd, s->packet, sizeof s->packet, MSG_TRUNC,
                               (struct sockaddr *)&from.addr, &from.len);
        if (got < 0) {
            return; /* EAGAIN: nothing more; other errors (ICMP echoes of a reply) too */
        }
        take_packet(s, (size_t)got, &from, now_ns);
    }
}

bool vt_osc_poll(vt_osc_server *s, int64_t now_ns, vt_osc_msg *msg, vt_osc_peer *from) {
    free(s->current);
    s->current = NULL;
    read_socket(s, now_ns);
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < s->queued; i++) {
        const waiting *w = &s->queue[i];
        if (w->due_ns <= now_ns &&
            (best == SIZE_MAX || w->due_ns < s->queue[best].due_ns ||
             (w->due_ns == s->queue[best].due_ns && w->seq < s->queue[best].seq))) {
            best = i;
        }
    }
    if (best == SIZE_MAX) {
        return false;
    }
    waiting w = s->queue[best];
    memmove(&s->queue[best], &s->queue[best + 1], (s->queued - best - 1) * sizeof *s->queue);
    s->queued--;
    s->current = w.bytes;
    vt_error err = {0};
    if (vt_osc_parse(w.bytes, w.len, msg, &err) != VT_OK) {
        return false; /* checked when it arrived: cannot happen */
    }
    *from = w.from;
    s->stats.messages++;
    return true;
}

int64_t vt_osc_deadline(const vt_osc_server *s) {
    int64_t t = INT64_MAX;
    for (size_t i = 0; s && i < s->queued; i++) {
        t = s->queue[i].due_ns < t ? s->queue[i].due_ns : t;
    }
    return t;
}

bool vt_osc_send(vt_osc_server *s, const vt_osc_peer *to, const uint8_t *msg, size_t len) {
    return s &&
           sendto(s->fd, msg, len, 0, (const struct sockaddr *)&to->addr, to->len) == (ssize_t)len;
}
