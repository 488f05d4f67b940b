/* The group's socket: multicast (bound to the group's address, joined on the configured
 * interface only, TTL 1) or a list of peers (bound to the interface's address). What comes in
 * is dropped and counted unless it comes from an allowed address, is a sync bundle, carries
 * the right HMAC, and is fresh (its sequence number unseen, its send time within
 * VT_SYNC_WINDOW_NS of this machine's clock). */
#include "sync/vt_sync.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define READS_PER_CALL 64

struct vt_sync_net {
    int fd;
    vt_sync_desc d;
    vt_sync_role role;
    uint64_t session, seq;
    int bound_port; /* the port bound (ephemeral: the kernel's) */
    int64_t age_ns; /* the last packet returned: ns between its arrival and its reading */
    vt_sync_replay replay;
    vt_sync_stats stats;
    uint8_t in[VT_OSC_MAX_PACKET + 1];
};

static struct sockaddr_in sa_of(const uint8_t ip[4], int port) {
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    memcpy(&sa.sin_addr, ip, 4);
    return sa;
}

static vt_status fail_socket(int fd, vt_error *err, const char *what, const uint8_t ip[4],
                             int port) {
    int e = errno;
    if (fd >= 0) {
        close(fd);
    }
    return VT_FAIL(err, VT_E_IOERR, "sync: cannot %s %u.%u.%u.%u port %d: %s", what, ip[0], ip[1],
                   ip[2], ip[3], port, strerror(e));
}

vt_status vt_sync_net_open(const vt_sync_desc *d, vt_sync_role role, bool ephemeral,
                           vt_sync_net **out, vt_error *err) {
    *out = NULL;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return fail_socket(fd, err, "open a socket for", d->iface, 0);
    }
    int one = 1;
    struct sockaddr_in local;
    if (ephemeral) {
        local = sa_of(d->iface, 0);
    } else if (d->multicast) {
        /* Several processes of one machine (tests) share the group's port. */
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        local = sa_of(d->group.ip, d->group.port);
    } else {
        local = sa_of(d->iface, d->port);
    }
    if (bind(fd, (struct sockaddr *)&local, sizeof local) != 0) {
        return fail_socket(fd, err, "listen on", (const uint8_t *)&local.sin_addr,
                           ntohs(local.sin_port));
    }
    if (d->multicast) {
        struct ip_mreq mreq;
        memcpy(&mreq.imr_multiaddr, d->group.ip, 4);
        memcpy(&mreq.imr_interface, d->iface, 4);
        struct in_addr ifa;
        memcpy(&ifa, d->iface, 4);
        unsigned char ttl = 1, loop = 1;
        if ((!ephemeral &&
             setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof mreq) != 0) ||
            setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &ifa, sizeof ifa) != 0 ||
            setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl) != 0 ||
            setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof loop) != 0) {
            return fail_socket(fd, err, "join the multicast group on interface", d->iface, 0);
        }
    }
    /* The kernel stamps each datagram's arrival: a ping's time is then not the time a busy loop
     * got to read it (without it, the reading's time: the round trip shows the delay). */
    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
    vt_sync_net *n = vt_xcalloc(1, sizeof *n);
    n->fd = fd;
    struct sockaddr_in bound;
    socklen_t blen = sizeof bound;
    if (getsockname(fd, (struct sockaddr *)&bound, &blen) == 0) {
        n->bound_port = ntohs(bound.sin_port);
    }
    n->d = *d;
    n->role = role;
    if (getrandom(&n->session, sizeof n->session, 0) != sizeof n->session) {
        n->session = (uint64_t)vt_now_ns() ^ ((uint64_t)getpid() << 32);
    }
    n->session &= INT64_MAX; /* carried as an OSC int64 */
    *out = n;
    return VT_OK;
}

void vt_sync_net_close(vt_sync_net *n) {
    if (n) {
        close(n->fd);
        free(n);
    }
}

int vt_sync_net_fd(const vt_sync_net *n) {
    return n ? n->fd : -1;
}

uint64_t vt_sync_net_session(const vt_sync_net *n) {
    return n ? n->session : 0;
}

vt_sync_stats vt_sync_net_stats(const vt_sync_net *n) {
    return n ? n->stats : (vt_sync_stats){0};
}

void vt_sync_from_text(const vt_sync_from *f, char *out, size_t cap) {
    snprintf(out, cap, "%u.%u.%u.%u:%d", f->ip[0], f->ip[1], f->ip[2], f->ip[3], f->port);
}

static bool send_to(vt_sync_net *n, const uint8_t *buf, size_t len, const uint8_t ip[4], int port) {
    struct sockaddr_in sa = sa_of(ip, port);
    if (sendto(n->fd, buf, len, 0, (struct sockaddr *)&sa, sizeof sa) != (ssize_t)len) {
        n->stats.send_failed++;
        return false;
    }
    return true;
}

bool vt_sync_net_send(vt_sync_net *n, vt_sync_packet *p, const vt_sync_from *to) {
    uint8_t buf[VT_OSC_MAX_PACKET];
    p->role = n->role;
    p->session = n->session;
    p->seq = ++n->seq;
    p->sent_ns = vt_sync_clock_now(n->d.clock);
    size_t len = vt_sync_packet_write(p, n->d.key, n->d.key_len, buf, sizeof buf);
    if (len == 0) {
        n->stats.send_failed++;
        return false;
    }
    if (to) {
        return send_to(n, buf, len, to->ip, to->port);
    }
    if (n->d.multicast) {
        return send_to(n, buf, len, n->d.group.ip, n->d.group.port);
    }
    bool ok = true;
    for (size_t i = 0; i < n->d.peer_count; i++) {
        const vt_sync_addr *a = &n->d.peers[i];
        if (memcmp(a->ip, n->d.iface, 4) == 0 && a->port == n->bound_port) {
            continue; /* this process (sync-status, on a port of its own, asks its machine too) */
        }
        ok = send_to(n, buf, len, a->ip, a->port) && ok;
    }
    return ok;
}

/* Senders listened to: the allow list; without one, the peers (peers mode) or the interface's
 * /24 (multicast). */
static bool allowed(const vt_sync_net *n, const struct sockaddr_in *sa) {
    const vt_sync_desc *d = &n->d;
    if (d->allow_count > 0) {
        for (size_t i = 0; i < d->allow_count; i++) {
            if (vt_osc_cidr_match(&d->allow[i], (const struct sockaddr *)sa)) {
                return true;
            }
        }
        return false;
    }
    const uint8_t *ip = (const uint8_t *)&sa->sin_addr;
    if (d->multicast) {
        return memcmp(ip, d->iface, 3) == 0;
    }
    if (memcmp(ip, d->iface, 4) == 0) {
        return true; /* sync-status on this machine */
    }
    for (size_t i = 0; i < d->peer_count; i++) {
        if (memcmp(ip, d->peers[i].ip, 4) == 0) {
            return true;
        }
    }
    return false;
}

/* ns since the datagram arrived, by its kernel timestamp (CLOCK_REALTIME); 0 without one. */
static int64_t arrival_age(struct msghdr *mh) {
    for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS &&
            c->cmsg_len >= CMSG_LEN(sizeof(struct timespec))) {
            struct timespec ts, now;
            memcpy(&ts, CMSG_DATA(c), sizeof ts);
            clock_gettime(CLOCK_REALTIME, &now);
            int64_t age = (int64_t)(now.tv_sec - ts.tv_sec) * INT64_C(1000000000) +
                          (now.tv_nsec - ts.tv_nsec);
            return age > 0 && age < INT64_C(10000000000) ? age : 0;
        }
    }
    return 0;
}

int64_t vt_sync_net_age(const vt_sync_net *n) {
    return n ? n->age_ns : 0;
}

bool vt_sync_net_recv(vt_sync_net *n, vt_sync_packet *p, vt_sync_from *from) {
    for (int i = 0; i < READS_PER_CALL; i++) {
        struct sockaddr_in sa;
        struct iovec iov = {.iov_base = n->in, .iov_len = sizeof n->in};
        union {
            struct cmsghdr align;
            uint8_t buf[CMSG_SPACE(sizeof(struct timespec))];
        } control;
        struct msghdr mh = {.msg_name = &sa,
                            .msg_namelen = sizeof sa,
                            .msg_iov = &iov,
                            .msg_iovlen = 1,
                            .msg_control = control.buf,
                            .msg_controllen = sizeof control.buf};
        ssize_t got = recvmsg(n->fd, &mh, MSG_TRUNC);
        if (got < 0) {
            return false;
        }
        n->age_ns = arrival_age(&mh);
        n->stats.packets++;
        if (sa.sin_family != AF_INET || !allowed(n, &sa)) {
            n->stats.denied++;
            continue;
        }
        vt_error err = {0};
        if ((size_t)got > VT_OSC_MAX_PACKET) {
            n->stats.malformed++;
            continue;
        }
        vt_sync_verdict v =
            vt_sync_packet_read(n->in, (size_t)got, n->d.key, n->d.key_len, p, &err);
        memcpy(from->ip, &sa.sin_addr, 4);
        from->port = ntohs(sa.sin_port);
        if (v != VT_SYNC_OK) {
            bool forged = v == VT_SYNC_FORGED;
            *(forged ? &n->stats.forged : &n->stats.malformed) += 1;
            char who[32];
            vt_sync_from_text(from, who, sizeof who);
            /* At most one line per 64 drops of a kind: a flood must not flood the log. */
            uint64_t c = forged ? n->stats.forged : n->stats.malformed;
            if ((c & (c - 1)) == 0 || c % 64 == 0) {
                vt_log(VT_LOG_WARN, "sync", "dropped a packet from %s: %s (%llu so far)", who,
                       err.message, (unsigned long long)c);
            }
            continue;
        }
        if (p->session == n->session) {
            continue; /* our own, looped back */
        }
        int64_t now = vt_sync_clock_now(n->d.clock);
        int64_t off = p->sent_ns - now;
        if (off > VT_SYNC_WINDOW_NS || off < -VT_SYNC_WINDOW_NS ||
            !vt_sync_replay_accept(&n->replay, p->session, p->seq, now)) {
            n->stats.replayed++;
            continue;
        }
        n->stats.accepted++;
        return true;
    }
    return false;
}
