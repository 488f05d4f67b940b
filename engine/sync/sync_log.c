/* The ordered log every machine keeps (the leader writes it, followers fill it from the group):
 * entries by order number since the last restart, applied strictly in order at their tick; and
 * the replay window on sequence numbers. Pure: no clock, no socket. */
#include "sync/vt_sync.h"

#include <stdlib.h>
#include <string.h>

void vt_sync_log_reset(vt_sync_log *log, uint64_t first) {
    if (!log->e) {
        log->e = vt_xcalloc(VT_SYNC_LOG_MAX, sizeof *log->e);
    } else {
        for (size_t i = 0; i < VT_SYNC_LOG_MAX; i++) {
            log->e[i].have = false;
        }
    }
    log->first = first;
    log->end = first;
    log->applied = first;
    log->evaluated = -1;
}

void vt_sync_log_free(vt_sync_log *log) {
    free(log->e);
    *log = (vt_sync_log){0};
}

vt_sync_put vt_sync_log_put(vt_sync_log *log, uint64_t order, vt_ticks tick, bool restart,
                            const uint8_t *msg, size_t len) {
    if (order < log->first || order < log->applied) {
        return VT_SYNC_PUT_DUP;
    }
    if (order - log->first >= VT_SYNC_LOG_MAX || len > VT_SYNC_MSG_MAX) {
        return VT_SYNC_PUT_FULL;
    }
    vt_sync_entry *e = &log->e[order - log->first];
    if (e->have) {
        return VT_SYNC_PUT_DUP;
    }
    *e =
        (vt_sync_entry){.order = order, .tick = tick, .restart = restart, .have = true, .len = len};
    if (len > 0) {
        memcpy(e->msg, msg, len);
    }
    if (order + 1 > log->end) {
        log->end = order + 1;
    }
    return VT_SYNC_PUT_NEW;
}

static const vt_sync_entry *next_entry(const vt_sync_log *log) {
    if (!log->e || log->applied - log->first >= VT_SYNC_LOG_MAX) {
        return NULL;
    }
    const vt_sync_entry *e = &log->e[log->applied - log->first];
    return e->have ? e : NULL;
}

const vt_sync_entry *vt_sync_log_due(const vt_sync_log *log, vt_ticks now) {
    const vt_sync_entry *e = next_entry(log);
    return e && e->tick <= now ? e : NULL;
}

void vt_sync_log_applied(vt_sync_log *log) {
    const vt_sync_entry *e = next_entry(log);
    if (!e) {
        return;
    }
    bool restart = e->restart;
    if (restart && log->applied > log->first) {
        /* The show starts over here: what came before is no longer needed to join. */
        size_t drop = (size_t)(log->applied - log->first);
        memmove(log->e, log->e + drop, (VT_SYNC_LOG_MAX - drop) * sizeof *log->e);
        for (size_t i = VT_SYNC_LOG_MAX - drop; i < VT_SYNC_LOG_MAX; i++) {
            log->e[i].have = false;
        }
        log->first = log->applied;
    }
    if (restart) {
        log->evaluated = -1; /* a new player: nothing evaluated yet */
    }
    log->applied++;
}

void vt_sync_log_evaluated(vt_sync_log *log, vt_ticks t) {
    if (t > log->evaluated) {
        log->evaluated = t;
    }
}

bool vt_sync_log_late(const vt_sync_log *log) {
    const vt_sync_entry *e = next_entry(log);
    return e && log->evaluated >= 0 && e->tick <= log->evaluated && !e->restart;
}

void vt_sync_log_rewind(vt_sync_log *log) {
    log->applied = log->first;
    log->evaluated = -1;
}

bool vt_sync_log_missing(const vt_sync_log *log, uint64_t count) {
    if (!log->e) {
        return true;
    }
    for (uint64_t o = log->applied; o < count; o++) {
        if (o - log->first >= VT_SYNC_LOG_MAX || !log->e[o - log->first].have) {
            return true;
        }
    }
    return false;
}

bool vt_sync_replay_accept(vt_sync_replay *r, uint64_t session, uint64_t seq, int64_t now_ns) {
    size_t slot = VT_SYNC_SESSIONS, oldest = 0;
    for (size_t i = 0; i < VT_SYNC_SESSIONS; i++) {
        if (r->s[i].used && r->s[i].session == session) {
            slot = i;
            break;
        }
        if (!r->s[i].used || (r->s[oldest].used && r->s[i].used_ns < r->s[oldest].used_ns)) {
            oldest = i;
        }
    }
    if (slot == VT_SYNC_SESSIONS) {
        slot = oldest;
        r->s[slot].used = true;
        r->s[slot].session = session;
        r->s[slot].top = seq;
        r->s[slot].mask = 1;
        r->s[slot].used_ns = now_ns;
        return true;
    }
    r->s[slot].used_ns = now_ns;
    uint64_t top = r->s[slot].top;
    if (seq > top) {
        uint64_t shift = seq - top;
        r->s[slot].mask = shift >= 64 ? 1 : (r->s[slot].mask << shift) | 1;
        r->s[slot].top = seq;
        return true;
    }
    uint64_t behind = top - seq;
    if (behind >= 64 || (r->s[slot].mask >> behind) & 1) {
        return false;
    }
    r->s[slot].mask |= UINT64_C(1) << behind;
    return true;
}
