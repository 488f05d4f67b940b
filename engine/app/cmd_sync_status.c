/* `vitrine sync-status --config FILE`: asks every machine of the room (the config's `sync:`
 * group, with its secret) for the time and reports each one's clock offset and round trip,
 * measured as NTP does with four timestamps (vt_sync_offset, as a follower's `play` measures
 * its leader). The best of a few samples (the shortest round trip) is kept. Vitrine only measures:
 * chrony or linuxptp keeps the clocks together (docs/sync.md). Exit status: 0 every machine that
 * answered is within VT_SYNC_STATUS_LIMIT_NS; 69 (EX_UNAVAILABLE) none answered; 75 (EX_TEMPFAIL)
 * one is further off (a clock not yet converged, or not synchronised at all); 64 no sync block; 66,
 * 65, 74 as other commands. */
#include "app/app_internal.h"
#include "sync/vt_sync.h"

#include <poll.h>
#include <stdlib.h>
#include <sysexits.h>

#define SAMPLES 5
#define SAMPLE_GAP_NS INT64_C(100000000)
#define LISTEN_NS INT64_C(1500000000)
/* An eighth of a 60 Hz frame: beyond it, frames of two machines may land a refresh apart. */
#define VT_SYNC_STATUS_LIMIT_NS INT64_C(2000000)

typedef struct peer {
    uint64_t session;
    vt_sync_role role;
    vt_sync_from from;
    vt_sync_offset offset;
} peer;

static void take_pong(peer *peers, size_t *count, const vt_sync_packet *p, const vt_sync_item *it,
                      const vt_sync_from *from, int64_t t4) {
    peer *q = NULL;
    for (size_t i = 0; i < *count && !q; i++) {
        q = peers[i].session == p->session ? &peers[i] : NULL;
    }
    if (!q) {
        if (*count == VT_SYNC_PEERS_MAX * 2) {
            return;
        }
        q = &peers[(*count)++];
        *q = (peer){.session = p->session, .role = p->role, .from = *from};
        vt_sync_offset_init(&q->offset);
    }
    vt_sync_offset_take(&q->offset, it->t1, it->t2, it->t3, t4);
}

int vt_cmd_sync_status(const vt_options *opts) {
    vt_config cfg = {0};
    vt_diags diags = {0};
    vt_status st = vt_config_load(opts->config, &cfg, &diags);
    vt_diags_sort(&diags);
    vt_diags_print(&diags, stderr);
    vt_diags_free(&diags);
    if (st != VT_OK) {
        if (st == VT_E_NOINPUT) {
            fprintf(stderr, "vitrine: cannot read '%s'\n", opts->config);
        }
        return st;
    }
    if (!cfg.sync) {
        fprintf(stderr, "vitrine: %s has no 'sync:' block: this machine plays alone\n",
                opts->config);
        vt_config_free(&cfg);
        return VT_E_USAGE;
    }
    const vt_sync_desc *d = cfg.sync;
    vt_sync_net *net = NULL;
    vt_error err = {0};
    st = vt_sync_net_open(d, VT_SYNC_OFF, true, &net, &err);
    if (st != VT_OK) {
        fprintf(stderr, "vitrine: %s\n", err.message);
        vt_config_free(&cfg);
        return st;
    }
    peer peers[VT_SYNC_PEERS_MAX * 2];
    size_t count = 0;
    int64_t start = vt_now_ns(), next_ping = start;
    int sent = 0;
    while (vt_now_ns() < start + LISTEN_NS) {
        if (sent < SAMPLES && vt_now_ns() >= next_ping) {
            vt_sync_packet p = {.count = 1};
            p.items[0] = (vt_sync_item){.kind = VT_SYNC_PING, .t1 = vt_sync_clock_now(d->clock)};
            vt_sync_net_send(net, &p, NULL);
            sent++;
            next_ping += SAMPLE_GAP_NS;
        }
        vt_sync_packet p;
        vt_sync_from from;
        while (vt_sync_net_recv(net, &p, &from)) {
            int64_t t4 = vt_sync_clock_now(d->clock) - vt_sync_net_age(net); /* its arrival */
            for (size_t i = 0; i < p.count; i++) {
                if (p.items[i].kind == VT_SYNC_PONG && p.items[i].to == vt_sync_net_session(net)) {
                    take_pong(peers, &count, &p, &p.items[i], &from, t4);
                }
            }
        }
        /* Wait on the socket itself: t4 is read as soon as the answer arrives. */
        int64_t until = sent < SAMPLES ? next_ping : start + LISTEN_NS;
        int64_t wait_ms = (until - vt_now_ns()) / 1000000;
        struct pollfd pfd = {.fd = vt_sync_net_fd(net), .events = POLLIN};
        poll(&pfd, 1, wait_ms > 0 ? (int)wait_ms + 1 : 0);
    }
    char group[32];
    if (d->multicast) {
        vt_sync_from g = {.ip = {d->group.ip[0], d->group.ip[1], d->group.ip[2], d->group.ip[3]},
                          .port = d->group.port};
        vt_sync_from_text(&g, group, sizeof group);
    }
    printf("sync-status: %zu machine%s answered (%s%s, from %u.%u.%u.%u)\n", count,
           count == 1 ? "" : "s", d->multicast ? "group " : "peers", d->multicast ? group : "",
           d->iface[0], d->iface[1], d->iface[2], d->iface[3]);
    int rc = count == 0 ? EX_UNAVAILABLE : 0;
    for (size_t i = 0; i < count; i++) {
        const peer *q = &peers[i];
        char who[32];
        vt_sync_from_text(&q->from, who, sizeof who);
        if (q->offset.best_rtt_ns == INT64_MAX) {
            printf("  %-21s %-8s answered with timestamps that do not add up: its clock?\n", who,
                   q->role == VT_SYNC_LEADER ? "leader" : "follower");
            rc = EX_TEMPFAIL;
            continue;
        }
        bool off = llabs(q->offset.best_offset_ns) > VT_SYNC_STATUS_LIMIT_NS;
        printf("  %-21s %-8s offset %+.3f ms  round trip %.3f ms  (%d sample%s)%s\n", who,
               q->role == VT_SYNC_LEADER ? "leader" : "follower",
               (double)q->offset.best_offset_ns / 1e6, (double)q->offset.best_rtt_ns / 1e6,
               q->offset.samples, q->offset.samples == 1 ? "" : "s",
               off ? "  TOO FAR: check chrony or linuxptp there" : "");
        if (off) {
            rc = EX_TEMPFAIL;
        }
    }
    vt_sync_stats s = vt_sync_net_stats(net);
    if (s.forged > 0) {
        printf("  %llu answer%s had a bad HMAC: a machine with another secret?\n",
               (unsigned long long)s.forged, s.forged == 1 ? "" : "s");
    }
    if (count == 0) {
        fprintf(stderr,
                "vitrine: no machine of the room answered: is 'vitrine play' running there with "
                "this group and secret, and does the network let it through?\n");
    } else if (rc == EX_TEMPFAIL) {
        fprintf(stderr,
                "vitrine: a clock is more than %.0f ms off: its frames may land a refresh "
                "apart (docs/sync.md: chrony, linuxptp)\n",
                (double)VT_SYNC_STATUS_LIMIT_NS / 1e6);
    }
    vt_sync_net_close(net);
    vt_config_free(&cfg);
    return rc;
}
