/* The shared show clock's pure parts (engine/sync): ticks from the epoch and back, the frame
 * grid, the tick an input is applied at, the ordered log (order, restarts, late entries and the
 * rewind that keeps a machine in step, what a joining machine lacks), the replay window, the
 * HMAC and the packet codec (a forged or altered packet is told apart from a malformed one). */
#include "sync/vt_sync.h"
#include "vt_test.h"

#include <math.h>
#include <string.h>

#define S INT64_C(1000000000)
#define TPS VT_TICKS_PER_SEC

static void test_clock(void) {
    int64_t epoch = INT64_C(1767225600) * S + 123456789;
    VT_CHECK_INT(vt_sync_tick_at(epoch, epoch), 0);
    VT_CHECK_INT(vt_sync_tick_at(epoch, epoch + S), TPS);
    VT_CHECK_INT(vt_sync_tick_at(epoch, epoch + 625), 441); /* 441 ticks every 625 ns */
    VT_CHECK_INT(vt_sync_tick_at(epoch, epoch + 624), 440);
    VT_CHECK_INT(vt_sync_tick_at(epoch, epoch - 1), -1); /* floor before the epoch */
    /* A month of show: no overflow, the same tick as the play loop's own conversion. */
    int64_t month = INT64_C(31) * 86400 * S + 987654321;
    VT_CHECK_INT(vt_sync_tick_at(epoch, epoch + month),
                 (month / S) * TPS + (month % S) * (TPS / 100000) / 10000);
    /* ns_of_tick is the first instant of its tick, at every offset within a second. */
    for (vt_ticks t = 0; t < 3000; t += 7) {
        int64_t ns = vt_sync_ns_of_tick(epoch, t + 5 * TPS);
        VT_CHECK_INT(vt_sync_tick_at(epoch, ns), t + 5 * TPS);
        VT_CHECK(vt_sync_tick_at(epoch, ns - 1) < t + 5 * TPS);
    }
    VT_CHECK_INT(vt_sync_ns_of_tick(epoch, -TPS), epoch - S);
}

static void test_grid(void) {
    int fps[] = {24, 25, 30, 60, 7};
    for (size_t i = 0; i < sizeof fps / sizeof fps[0]; i++) {
        int f = fps[i];
        for (int64_t k = -3; k < 3 * f; k++) {
            vt_ticks frame = vt_ticks_of_frame(k + 10 * f, f); /* the render's grid */
            VT_CHECK_INT(vt_sync_grid_floor(frame, f), frame);
            VT_CHECK_INT(vt_sync_grid_ceil(frame, f), frame);
            VT_CHECK_INT(vt_sync_grid_floor(frame + 1, f), frame);
            VT_CHECK_INT(vt_sync_grid_ceil(frame + 1, f), vt_ticks_of_frame(k + 10 * f + 1, f));
            VT_CHECK_INT(vt_sync_grid_floor(frame - 1, f), vt_ticks_of_frame(k + 10 * f - 1, f));
        }
    }
    VT_CHECK_INT(vt_sync_grid_floor(-1, 30), -TPS / 30);
    /* An input at 10.001 s with 80 ms of delay: the first 30 fps frame at or after 10.081 s. */
    int64_t epoch = 1000 * S;
    VT_CHECK_INT(vt_sync_input_tick(epoch, epoch + 10 * S + 1000000, 80000000, 30, 0),
                 vt_ticks_of_frame(10 * 30 + 3, 30));
    /* ... never before a restart the leader has announced. */
    VT_CHECK_INT(vt_sync_input_tick(epoch, epoch + 10 * S, 80000000, 30, 20 * TPS), 20 * TPS);
}

static void put(vt_sync_log *log, uint64_t order, vt_ticks tick, bool restart) {
    uint8_t msg[4] = {(uint8_t)order, 0, 0, 0};
    VT_CHECK_INT(vt_sync_log_put(log, order, tick, restart, msg, sizeof msg), VT_SYNC_PUT_NEW);
}

static void test_log(void) {
    vt_sync_log log = {0};
    vt_sync_log_reset(&log, 0);
    VT_CHECK(vt_sync_log_due(&log, 100) == NULL);
    VT_CHECK(vt_sync_log_missing(&log, 1));
    put(&log, 0, 0, true);
    /* Entries out of order wait for the one before them. */
    put(&log, 2, 300, false);
    VT_CHECK(vt_sync_log_missing(&log, 3));
    const vt_sync_entry *e = vt_sync_log_due(&log, 1000);
    VT_CHECK(e && e->order == 0 && e->restart);
    vt_sync_log_applied(&log);
    VT_CHECK(vt_sync_log_due(&log, 1000) == NULL); /* order 1 is missing */
    put(&log, 1, 200, false);
    VT_CHECK(!vt_sync_log_missing(&log, 3));
    VT_CHECK_INT(vt_sync_log_put(&log, 1, 200, false, NULL, 0), VT_SYNC_PUT_DUP);
    VT_CHECK(vt_sync_log_due(&log, 199) == NULL); /* not yet due */
    e = vt_sync_log_due(&log, 200);
    VT_CHECK(e && e->order == 1 && e->tick == 200 && e->msg[0] == 1);
    vt_sync_log_applied(&log);
    vt_sync_log_evaluated(&log, 250);
    VT_CHECK(!vt_sync_log_late(&log));
    /* Evaluated past the next entry's tick: late; rewinding goes back to the restart. */
    vt_sync_log_evaluated(&log, 300);
    VT_CHECK(vt_sync_log_late(&log));
    vt_sync_log_rewind(&log);
    VT_CHECK(!vt_sync_log_late(&log));
    e = vt_sync_log_due(&log, 0);
    VT_CHECK(e && e->order == 0);
    for (int i = 0; i < 3; i++) {
        vt_sync_log_applied(&log);
    }
    VT_CHECK_INT(log.applied, 3);
    /* A restart drops what came before: a joining machine replays from there. */
    put(&log, 3, 1000, true);
    put(&log, 4, 1100, false);
    vt_sync_log_applied(&log);
    VT_CHECK_INT(log.first, 3);
    VT_CHECK_INT(log.evaluated, -1);
    VT_CHECK_INT(vt_sync_log_put(&log, 2, 300, false, NULL, 0), VT_SYNC_PUT_DUP);
    e = vt_sync_log_due(&log, 1100);
    VT_CHECK(e && e->order == 4 && e->tick == 1100 && e->msg[0] == 4);
    /* Bounded. */
    VT_CHECK_INT(vt_sync_log_put(&log, 3 + VT_SYNC_LOG_MAX, 5000, false, NULL, 0),
                 VT_SYNC_PUT_FULL);
    vt_sync_log_free(&log);
}

static void test_replay(void) {
    vt_sync_replay r = {0};
    VT_CHECK(vt_sync_replay_accept(&r, 7, 1, 0));
    VT_CHECK(!vt_sync_replay_accept(&r, 7, 1, 0)); /* the same packet again */
    VT_CHECK(vt_sync_replay_accept(&r, 7, 3, 0));
    VT_CHECK(vt_sync_replay_accept(&r, 7, 2, 0)); /* late but unseen */
    VT_CHECK(!vt_sync_replay_accept(&r, 7, 2, 0));
    VT_CHECK(vt_sync_replay_accept(&r, 7, 100, 0));
    VT_CHECK(!vt_sync_replay_accept(&r, 7, 36, 0)); /* 64 behind: too old to tell */
    VT_CHECK(vt_sync_replay_accept(&r, 7, 37, 0));
    VT_CHECK(vt_sync_replay_accept(&r, 8, 1, 0)); /* another session has its own window */
    /* More sessions than slots: the least recently heard is forgotten, the others kept. */
    for (uint64_t s = 100; s < 100 + VT_SYNC_SESSIONS; s++) {
        VT_CHECK(vt_sync_replay_accept(&r, s, 5, (int64_t)s));
    }
    VT_CHECK(!vt_sync_replay_accept(&r, 100 + VT_SYNC_SESSIONS - 1, 5, 1000));
}

static const uint8_t key[] = "0123456789abcdef-room-secret";

static void test_hmac(void) {
    /* RFC 4231 test case 2. */
    uint8_t mac[VT_SYNC_HMAC_LEN];
    const char *data = "what do ya want for nothing?";
    vt_sync_hmac((const uint8_t *)"Jefe", 4, (const uint8_t *)data, strlen(data), mac);
    static const uint8_t want[] = {0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e, 0x6a, 0x04, 0x24,
                                   0x26, 0x08, 0x95, 0x75, 0xc7, 0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27,
                                   0x39, 0x83, 0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43};
    VT_CHECK(memcmp(mac, want, sizeof want) == 0);
    VT_CHECK(
        vt_sync_hmac_verify((const uint8_t *)"Jefe", 4, (const uint8_t *)data, strlen(data), want));
    for (size_t i = 0; i < VT_SYNC_HMAC_LEN; i++) {
        uint8_t bad[VT_SYNC_HMAC_LEN];
        memcpy(bad, want, sizeof bad);
        bad[i] ^= 0x01;
        VT_CHECK(!vt_sync_hmac_verify((const uint8_t *)"Jefe", 4, (const uint8_t *)data,
                                      strlen(data), bad));
    }
}

static void test_packet(void) {
    uint8_t osc[64];
    vt_osc_arg a = {.type = 's', .s = "space", .len = 5};
    size_t olen = vt_osc_encode(osc, sizeof osc, "/vitrine/sync/key", &a, 1);
    vt_sync_packet p = {.role = VT_SYNC_LEADER,
                        .session = 42,
                        .seq = 9,
                        .sent_ns = 123 * S,
                        .timetag = vt_osc_timetag_from_unix_ns(124 * S),
                        .count = 4};
    p.items[0] = (vt_sync_item){.kind = VT_SYNC_EPOCH, .epoch_ns = 100 * S, .first = 3, .count = 5};
    p.items[1] = (vt_sync_item){
        .kind = VT_SYNC_ENTRY, .order = 4, .tick = 77 * TPS, .msg = osc, .len = olen};
    p.items[2] = (vt_sync_item){.kind = VT_SYNC_PONG, .to = 5, .t1 = 1, .t2 = 2, .t3 = 3};
    p.items[3] = (vt_sync_item){.kind = VT_SYNC_JOIN};
    uint8_t buf[VT_OSC_MAX_PACKET];
    size_t n = vt_sync_packet_write(&p, key, sizeof key, buf, sizeof buf);
    VT_CHECK(n > 0);
    vt_sync_packet q;
    vt_error err = {0};
    VT_CHECK_INT(vt_sync_packet_read(buf, n, key, sizeof key, &q, &err), VT_SYNC_OK);
    VT_CHECK_INT(q.role, VT_SYNC_LEADER);
    VT_CHECK_INT(q.session, 42);
    VT_CHECK_INT(q.seq, 9);
    VT_CHECK_INT(q.sent_ns, 123 * S);
    VT_CHECK_INT(q.count, 4);
    VT_CHECK_INT(q.items[0].epoch_ns, 100 * S);
    VT_CHECK_INT(q.items[0].count, 5);
    VT_CHECK_INT(q.items[1].order, 4);
    VT_CHECK_INT(q.items[1].tick, 77 * TPS);
    VT_CHECK(q.items[1].len == olen && memcmp(q.items[1].msg, osc, olen) == 0);
    VT_CHECK_INT(q.items[2].t3, 3);
    VT_CHECK_INT(q.items[3].kind, VT_SYNC_JOIN);
    /* Another secret: forged. */
    static const uint8_t other[] = "0123456789abcdef-visitor-laptop";
    VT_CHECK_INT(vt_sync_packet_read(buf, n, other, sizeof other, &q, &err), VT_SYNC_FORGED);
    /* Any byte altered before the HMAC (the tick, the order, the header): forged or malformed,
     * never accepted. */
    size_t accepted = 0, forged = 0;
    for (size_t i = 0; i < n; i++) {
        buf[i] ^= 0x10;
        vt_sync_verdict v = vt_sync_packet_read(buf, n, key, sizeof key, &q, &err);
        accepted += v == VT_SYNC_OK;
        forged += v == VT_SYNC_FORGED;
        buf[i] ^= 0x10;
    }
    VT_CHECK_INT(accepted, 0);
    VT_CHECK(forged > n / 2);
    /* Bytes appended after the HMAC, a bare message, a bundle without HMAC: malformed. */
    VT_CHECK_INT(vt_sync_packet_read(buf, n + 4, key, sizeof key, &q, &err), VT_SYNC_MALFORMED);
    VT_CHECK_INT(vt_sync_packet_read(osc, olen, key, sizeof key, &q, &err), VT_SYNC_MALFORMED);
    const uint8_t *msgs[1] = {osc};
    size_t n2 = vt_osc_bundle(buf, sizeof buf, VT_OSC_IMMEDIATE, msgs, &olen, 1);
    VT_CHECK_INT(vt_sync_packet_read(buf, n2, key, sizeof key, &q, &err), VT_SYNC_MALFORMED);
}

static void test_addr(void) {
    vt_sync_addr a;
    VT_CHECK(vt_sync_addr_parse("239.255.74.0:7401", &a) && a.port == 7401 && a.ip[0] == 239);
    VT_CHECK(vt_sync_addr_is_multicast(&a));
    VT_CHECK(vt_sync_addr_parse("10.0.0.2:1", &a) && !vt_sync_addr_is_multicast(&a));
    VT_CHECK(!vt_sync_addr_parse("10.0.0.2", &a));
    VT_CHECK(!vt_sync_addr_parse("10.0.0.256:7401", &a));
    VT_CHECK(!vt_sync_addr_parse("10.0.0.2:70000", &a));
    VT_CHECK(!vt_sync_addr_parse("10.0.0.2:7401x", &a));
    VT_CHECK(!vt_sync_addr_parse("room.local:7401", &a));
    VT_CHECK(!vt_sync_addr_parse("10.0.0.+2:7401", &a));
}

/* The four-timestamp offset (sync-status and a follower's play): the other clock minus this
 * one, the shortest round trip kept, long round trips (a late reading) left out of the average
 * until the path itself is slower, and timestamps that cannot be one exchange refused. */
static void test_offset(void) {
    int64_t now = INT64_C(1767225600) * S;
    vt_sync_offset o;
    vt_sync_offset_init(&o);
    VT_CHECK(!o.have && o.samples == 0);
    /* a first exchange read 200 ms late (a machine starting up): the next good one replaces it */
    VT_CHECK(vt_sync_offset_take(&o, now - S, now - S + 3000000, now - S + 3000000,
                                 now - S + 200000000));
    VT_CHECK(o.have && o.smoothed_ns < -90000000.0);
    /* the other clock 3 ms ahead; 100 us each way, 20 us there */
    int64_t t1 = now, t2 = t1 + 100000 + 3000000, t3 = t2 + 20000, t4 = t3 - 3000000 + 100000;
    VT_CHECK(vt_sync_offset_take(&o, t1, t2, t3, t4));
    VT_CHECK(o.have && o.smoothed_ns == 3000000.0);
    VT_CHECK_INT(o.best_offset_ns, 3000000);
    VT_CHECK_INT(o.best_rtt_ns, 200000);
    /* read 10 ms late here: the round trip shows it, the average does not take it */
    VT_CHECK(!vt_sync_offset_take(&o, t1 + S, t2 + S, t3 + S, t4 + S + 10000000));
    VT_CHECK(o.smoothed_ns == 3000000.0 && o.best_offset_ns == 3000000 && o.samples == 3);
    /* the clock moved to 2 ms ahead: the average follows, a quarter at a time */
    VT_CHECK(vt_sync_offset_take(&o, t1 + 2 * S, t2 + 2 * S - 1000000, t3 + 2 * S - 1000000,
                                 t4 + 2 * S));
    VT_CHECK(o.smoothed_ns > 2000000.0 && o.smoothed_ns < 3000000.0);
    VT_CHECK(fabs(o.smoothed_ns - 2750000.0) < 1.0);
    for (int i = 3; i < 40; i++) {
        vt_sync_offset_take(&o, t1 + i * S, t2 + i * S - 1000000, t3 + i * S - 1000000, t4 + i * S);
    }
    VT_CHECK(fabs(o.smoothed_ns - 2000000.0) < 1000.0);
    /* the path got slower for good (30 ms round trips): after a few left out, they count */
    int taken = 0;
    for (int i = 40; i < 50; i++) {
        taken += vt_sync_offset_take(&o, t1 + i * S, t2 + i * S + 15000000, t3 + i * S + 15000000,
                                     t4 + i * S + 30000000);
    }
    VT_CHECK(taken >= 5);
    /* timestamps that are not one exchange: refused, counted nowhere */
    int n = o.samples;
    VT_CHECK(!vt_sync_offset_take(&o, now, INT64_MIN, INT64_MAX, now + 1000));
    VT_CHECK(!vt_sync_offset_take(&o, INT64_MIN, now, now, now + 1000));
    VT_CHECK(!vt_sync_offset_take(&o, now, now, now - 1, now + 1000));    /* answered before */
    VT_CHECK(!vt_sync_offset_take(&o, now + 5000, now, now, now + 1000)); /* sent after */
    VT_CHECK_INT(o.samples, n);
}

int main(void) {
    test_clock();
    test_grid();
    test_log();
    test_replay();
    test_hmac();
    test_packet();
    test_addr();
    test_offset();
    return vt_test_finish("test_sync");
}
