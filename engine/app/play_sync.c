/* `play` in step with other machines: the protocol (play_sync_internal.h, docs/sync.md). */
#include "app/play_sync_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NS INT64_C(1000000000)
/* The leader announces the epoch (a heartbeat) this often; a follower that lacks entries asks
 * again after as long. */
#define ANNOUNCE_NS (NS / 2)
#define JOIN_RETRY_NS (NS / 2)
/* A follower pings its leader this often: its clock offset, for the metrics and the status. */
#define PING_NS NS
/* Beyond it a follower's frames may land a refresh apart (as sync-status says): logged. */
#define OFFSET_WARN_NS 2e6
/* Entries per packet of a join's answer. */
#define ENTRIES_PER_PACKET 16

struct vt_play_sync {
    vt_sync_net *net;
    vt_sync_desc d;
    int fps;
    bool leader;
    bool have_epoch;
    int64_t epoch_ns;
    uint64_t leader_session; /* follower: the leader followed */
    vt_sync_log log;
    vt_ticks restart_floor; /* leader: no input before the last restart announced */
    uint32_t last_state;
    int64_t next_announce_ns; /* leader */
    int64_t next_join_ns;     /* follower: asks (again) then, while it lacks something */
    bool lacking;
    uint64_t leader_count;    /* follower: entries the leader last said it holds */
    int64_t answered_ns;      /* leader, multicast: the last join answered (to the group) */
    vt_sync_from leader_from; /* follower: where the leader's announcements come from */
    int64_t next_ping_ns;     /* follower: the next ping of the leader */
    vt_sync_offset offset;    /* follower: the leader's clock minus this one's */
    bool offset_far;          /* follower: the offset is beyond OFFSET_WARN_NS (said once) */
    /* Test hook (environment, never for operators): VITRINE_TEST_SYNC_SKEW_MS=N reads the
     * shared clock N ms ahead, as a machine whose clock is off (tests on one machine). */
    int64_t skew_ns;
};

int64_t vt_play_sync_now(const vt_play_sync *s) {
    return vt_sync_clock_now(s->d.clock) + s->skew_ns;
}

static void send_epoch(vt_play_sync *s, const vt_sync_from *to) {
    vt_sync_packet p = {.count = 1};
    p.items[0] = (vt_sync_item){
        .kind = VT_SYNC_EPOCH, .epoch_ns = s->epoch_ns, .first = s->log.first, .count = s->log.end};
    vt_sync_net_send(s->net, &p, to);
}

static vt_sync_item entry_item(const vt_sync_entry *e) {
    return (vt_sync_item){.kind = VT_SYNC_ENTRY,
                          .order = e->order,
                          .tick = e->tick,
                          .restart = e->restart,
                          .msg = e->msg,
                          .len = e->len};
}

/* Leader: a new entry at `tick`, ordered after every other, sent to the group in a bundle
 * timetagged at its instant. */
static void order_entry(vt_play_sync *s, vt_ticks tick, bool restart, const uint8_t *msg,
                        size_t len) {
    uint64_t order = s->log.end;
    if (vt_sync_log_put(&s->log, order, tick, restart, msg, len) != VT_SYNC_PUT_NEW) {
        vt_log(VT_LOG_WARN, "sync",
               "the log holds %d entries since the room last returned to attract: this input "
               "is dropped",
               VT_SYNC_LOG_MAX);
        return;
    }
    vt_sync_packet p = {
        .count = 1, .timetag = vt_osc_timetag_from_unix_ns(vt_sync_ns_of_tick(s->epoch_ns, tick))};
    p.items[0] = entry_item(&s->log.e[order - s->log.first]);
    vt_sync_net_send(s->net, &p, NULL);
    vt_log(VT_LOG_DEBUG, "sync", "ordered entry #%llu%s at tick %lld", (unsigned long long)order,
           restart ? " (restart)" : "", (long long)tick);
}

vt_status vt_play_sync_start(const vt_sync_desc *d, int fps, vt_play_sync **out, vt_error *err) {
    vt_play_sync *s = vt_xcalloc(1, sizeof *s);
    s->d = *d;
    s->fps = fps > 0 ? fps : 30;
    s->leader = d->role == VT_SYNC_LEADER;
    const char *skew = getenv("VITRINE_TEST_SYNC_SKEW_MS");
    double skew_ms = skew ? strtod(skew, NULL) : 0.0;
    s->skew_ns = fabs(skew_ms) < 3.6e6 ? (int64_t)(skew_ms * 1e6) : 0; /* an hour at most */
    vt_status st = vt_sync_net_open(d, d->role, false, &s->net, err);
    if (st != VT_OK) {
        free(s);
        *out = NULL;
        return st;
    }
    vt_sync_log_reset(&s->log, 0);
    vt_sync_offset_init(&s->offset);
    if (s->leader) {
        s->epoch_ns = vt_play_sync_now(s);
        s->have_epoch = true;
        order_entry(s, 0, true, NULL, 0);
        send_epoch(s, NULL);
        s->next_announce_ns = s->epoch_ns + ANNOUNCE_NS;
    } else {
        s->lacking = true;
        s->next_join_ns = vt_play_sync_now(s); /* ask at the first poll */
    }
    *out = s;
    return VT_OK;
}

void vt_play_sync_stop(vt_play_sync *s) {
    if (!s) {
        return;
    }
    vt_sync_stats st = vt_sync_net_stats(s->net);
    vt_log(VT_LOG_INFO, "sync",
           "%llu packets: %llu accepted, %llu denied, %llu malformed, %llu forged, %llu replayed",
           (unsigned long long)st.packets, (unsigned long long)st.accepted,
           (unsigned long long)st.denied, (unsigned long long)st.malformed,
           (unsigned long long)st.forged, (unsigned long long)st.replayed);
    vt_sync_net_close(s->net);
    vt_sync_log_free(&s->log);
    free(s);
}

int vt_play_sync_fd(const vt_play_sync *s) {
    return s ? vt_sync_net_fd(s->net) : -1;
}

vt_sync_stats vt_play_sync_stats(const vt_play_sync *s) {
    return s ? vt_sync_net_stats(s->net) : (vt_sync_stats){0};
}

bool vt_play_sync_epoch(const vt_play_sync *s, int64_t *epoch_ns) {
    if (!s || !s->have_epoch) {
        return false;
    }
    *epoch_ns = s->epoch_ns;
    return true;
}

/* Leader: the epoch and every entry since the last restart, to whoever asked (peers) or the
 * group (multicast: the asker's socket hears the group only). */
static void answer_join(vt_play_sync *s, const vt_sync_from *from) {
    const vt_sync_from *to = s->d.multicast ? NULL : from;
    int64_t now = vt_play_sync_now(s);
    if (!to && now - s->answered_ns < JOIN_RETRY_NS / 4) {
        return; /* one answer to the group serves every follower that asked at once */
    }
    s->answered_ns = now;
    send_epoch(s, to);
    vt_sync_packet p = {0};
    for (uint64_t o = s->log.first; o < s->log.end; o++) {
        const vt_sync_entry *e = &s->log.e[o - s->log.first];
        if (e->have) {
            p.items[p.count++] = entry_item(e);
        }
        if (p.count == ENTRIES_PER_PACKET || (o + 1 == s->log.end && p.count > 0)) {
            vt_sync_net_send(s->net, &p, to);
            p.count = 0;
        }
    }
}

/* Follower: the leader's announcement. A leader not followed yet (the first, or one that
 * restarted) gives the show a new epoch: the log starts again from its restart. */
static void take_epoch(vt_play_sync *s, const vt_sync_packet *p, const vt_sync_item *it,
                       const vt_sync_from *from) {
    if (!s->have_epoch || p->session != s->leader_session || s->log.applied < it->first) {
        if (s->have_epoch && p->session != s->leader_session) {
            vt_log(VT_LOG_INFO, "sync", "a new leader announces the show: starting over in step");
        }
        if (!s->have_epoch || p->session != s->leader_session) {
            vt_sync_offset_init(&s->offset); /* another machine: measured afresh, at once */
            s->next_ping_ns = vt_play_sync_now(s);
        }
        s->leader_from = *from;
        s->have_epoch = true;
        s->leader_session = p->session;
        s->epoch_ns = it->epoch_ns;
        vt_sync_log_reset(&s->log, it->first);
        vt_log(VT_LOG_INFO, "sync", "following the leader: epoch %.3f s ago, %llu entries",
               (double)(vt_play_sync_now(s) - it->epoch_ns) / 1e9,
               (unsigned long long)(it->count - it->first));
    }
    s->leader_count = it->count;
    bool lacking = vt_sync_log_missing(&s->log, it->count);
    if (lacking && !s->lacking) {
        s->next_join_ns = vt_play_sync_now(s); /* at once */
    }
    s->lacking = lacking;
}

static void take_entry(vt_play_sync *s, const vt_sync_packet *p, const vt_sync_item *it) {
    if (!s->have_epoch || p->session != s->leader_session) {
        s->lacking = true; /* an entry of a leader not announced yet: ask */
        return;
    }
    if (vt_sync_log_put(&s->log, it->order, it->tick, it->restart, it->msg, it->len) ==
        VT_SYNC_PUT_FULL) {
        vt_log(VT_LOG_WARN, "sync", "entry #%llu is beyond the log's %d entries: dropped",
               (unsigned long long)it->order, VT_SYNC_LOG_MAX);
    }
    s->lacking = vt_sync_log_missing(&s->log, s->leader_count);
}

static void answer_ping(vt_play_sync *s, const vt_sync_packet *p, const vt_sync_item *it,
                        int64_t received_ns, const vt_sync_from *from) {
    if (!s->leader && p->role != VT_SYNC_OFF) {
        return; /* another follower measures its leader, not us (sync-status asks everyone) */
    }
    vt_sync_packet r = {.count = 1};
    r.items[0] = (vt_sync_item){.kind = VT_SYNC_PONG,
                                .to = p->session,
                                .t1 = it->t1,
                                .t2 = received_ns,
                                .t3 = vt_play_sync_now(s)};
    /* sync-status listens on a port of its own; a follower's socket hears only the group */
    vt_sync_net_send(s->net, &r, s->d.multicast && p->role != VT_SYNC_OFF ? NULL : from);
}

/* Follower: the leader's answer to our ping. */
static void take_pong(vt_play_sync *s, const vt_sync_packet *p, const vt_sync_item *it,
                      int64_t received_ns) {
    if (s->leader || !s->have_epoch || p->session != s->leader_session ||
        it->to != vt_sync_net_session(s->net)) {
        return; /* another machine's ping (multicast), or a leader not followed */
    }
    bool had = s->offset.have;
    if (!vt_sync_offset_take(&s->offset, it->t1, it->t2, it->t3, received_ns)) {
        return;
    }
    double off = s->offset.smoothed_ns;
    if (!had) {
        vt_log(VT_LOG_INFO, "sync",
               "the leader's clock is %+.3f ms from this one's (%.3f ms "
               "round trip)",
               off / 1e6, (double)s->offset.floor_rtt_ns / 1e6);
    }
    bool far = fabs(off) > OFFSET_WARN_NS;
    if (far && !s->offset_far) {
        vt_log(VT_LOG_WARN, "sync",
               "the leader's clock is %+.3f ms from this one's: frames may land a refresh apart; "
               "check chrony or linuxptp (docs/sync.md)",
               off / 1e6);
    } else if (!far && s->offset_far) {
        vt_log(VT_LOG_INFO, "sync", "the leader's clock is back within %.0f ms of this one's",
               OFFSET_WARN_NS / 1e6);
    }
    s->offset_far = far;
}

bool vt_play_sync_offset(const vt_play_sync *s, bool *leader, double *offset_s) {
    if (!s) {
        return false;
    }
    *leader = s->leader;
    *offset_s = s->leader ? 0.0 : s->offset.have ? -s->offset.smoothed_ns / 1e9 : NAN;
    return true;
}

static void take_input(vt_play_sync *s, const uint8_t *msg, size_t len) {
    int64_t now = vt_play_sync_now(s);
    vt_ticks tick =
        vt_sync_input_tick(s->epoch_ns, now, (int64_t)(s->d.delay * 1e9), s->fps, s->restart_floor);
    order_entry(s, tick, false, msg, len);
}

void vt_play_sync_poll(vt_play_sync *s) {
    vt_sync_packet p;
    vt_sync_from from;
    while (vt_sync_net_recv(s->net, &p, &from)) {
        int64_t received = vt_play_sync_now(s) - vt_sync_net_age(s->net); /* its arrival */
        for (size_t i = 0; i < p.count; i++) {
            const vt_sync_item *it = &p.items[i];
            switch (it->kind) {
            case VT_SYNC_EPOCH:
                if (!s->leader && p.role == VT_SYNC_LEADER) {
                    take_epoch(s, &p, it, &from);
                }
                break;
            case VT_SYNC_ENTRY:
                if (!s->leader && p.role == VT_SYNC_LEADER) {
                    take_entry(s, &p, it);
                }
                break;
            case VT_SYNC_INPUT:
                if (s->leader) {
                    take_input(s, it->msg, it->len);
                }
                break;
            case VT_SYNC_JOIN:
                if (s->leader) {
                    answer_join(s, &from);
                }
                break;
            case VT_SYNC_PING:
                answer_ping(s, &p, it, received, &from);
                break;
            case VT_SYNC_PONG:
                take_pong(s, &p, it, received);
                break;
            }
        }
    }
    int64_t now = vt_play_sync_now(s);
    if (s->leader && now >= s->next_announce_ns) {
        send_epoch(s, NULL);
        s->next_announce_ns = now + ANNOUNCE_NS;
    }
    if (!s->leader && s->lacking && now >= s->next_join_ns) {
        vt_sync_packet j = {.count = 1};
        j.items[0].kind = VT_SYNC_JOIN;
        vt_sync_net_send(s->net, &j, NULL);
        s->next_join_ns = now + JOIN_RETRY_NS;
    }
    if (!s->leader && s->have_epoch && now >= s->next_ping_ns) {
        vt_sync_packet q = {.count = 1};
        q.items[0] = (vt_sync_item){.kind = VT_SYNC_PING, .t1 = vt_play_sync_now(s)};
        /* peers: the leader only; multicast: the group (only the leader's pong is taken) */
        vt_sync_net_send(s->net, &q, s->d.multicast ? NULL : &s->leader_from);
        s->next_ping_ns = now + PING_NS;
    }
}

void vt_play_sync_submit(vt_play_sync *s, const uint8_t *msg, size_t len) {
    if (len == 0 || len > VT_SYNC_MSG_MAX) {
        return;
    }
    if (s->leader) {
        take_input(s, msg, len);
        return;
    }
    vt_sync_packet p = {.count = 1};
    p.items[0] = (vt_sync_item){.kind = VT_SYNC_INPUT, .msg = msg, .len = len};
    vt_sync_net_send(s->net, &p, NULL); /* the leader orders it; others ignore it */
}

const vt_sync_entry *vt_play_sync_due(vt_play_sync *s, vt_ticks now, bool *rewind) {
    *rewind = false;
    if (!s->have_epoch) {
        return NULL;
    }
    if (vt_sync_log_late(&s->log)) {
        vt_log(VT_LOG_WARN, "sync",
               "entry #%llu came after its tick was drawn: rebuilding the show from its last "
               "restart to stay in step",
               (unsigned long long)s->log.applied);
        vt_sync_log_rewind(&s->log);
        *rewind = true;
    }
    return vt_sync_log_due(&s->log, now);
}

void vt_play_sync_applied(vt_play_sync *s) {
    const vt_sync_entry *e = vt_sync_log_due(&s->log, INT64_MAX);
    if (e) {
        vt_log(VT_LOG_DEBUG, "sync", "applied entry #%llu%s at tick %lld",
               (unsigned long long)e->order, e->restart ? " (restart)" : "", (long long)e->tick);
    }
    vt_sync_log_applied(&s->log);
}

void vt_play_sync_evaluated(vt_play_sync *s, vt_ticks t, uint32_t state) {
    vt_sync_log_evaluated(&s->log, t);
    if (s->leader && state == 0 && s->last_state != 0 && t >= s->restart_floor) {
        /* The room is back in attract: the show starts over on every machine, and a machine
         * joining later replays only what follows. */
        vt_ticks r = vt_sync_input_tick(s->epoch_ns, vt_play_sync_now(s),
                                        (int64_t)(s->d.delay * 1e9), s->fps, s->restart_floor);
        s->restart_floor = r;
        order_entry(s, r, true, NULL, 0);
    }
    s->last_state = state;
}

int64_t vt_play_sync_deadline(const vt_play_sync *s) {
    int64_t t = INT64_MAX;
    if (s->leader) {
        t = s->next_announce_ns;
    } else {
        t = s->lacking ? s->next_join_ns : t;
        t = s->have_epoch && s->next_ping_ns < t ? s->next_ping_ns : t;
    }
    const vt_sync_entry *e = s->have_epoch ? vt_sync_log_due(&s->log, INT64_MAX) : NULL;
    if (e) {
        int64_t at = vt_sync_ns_of_tick(s->epoch_ns, e->tick);
        t = at < t ? at : t;
    }
    return t;
}

size_t vt_play_sync_event_msg(const vt_event *ev, uint8_t *out, size_t cap) {
    vt_osc_arg a[2];
    switch (ev->type) {
    case VT_EVENT_KEY:
        a[0] = (vt_osc_arg){.type = 's', .s = ev->name, .len = strlen(ev->name)};
        return vt_osc_encode(out, cap, "/vitrine/sync/key", a, 1);
    case VT_EVENT_CLICK:
    case VT_EVENT_TOUCH:
        a[0] = (vt_osc_arg){.type = 'd', .f = ev->x};
        a[1] = (vt_osc_arg){.type = 'd', .f = ev->y};
        return vt_osc_encode(
            out, cap, ev->type == VT_EVENT_CLICK ? "/vitrine/sync/click" : "/vitrine/sync/touch", a,
            2);
    default:
        return 0;
    }
}
