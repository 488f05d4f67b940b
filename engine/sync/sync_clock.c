/* The shared clock's arithmetic: ticks from the epoch in exact integers (705,600,000 a second,
 * 441 ticks every 625 ns), the frame grid, and when an input is applied. Pure but for
 * vt_sync_clock_now. */
#include "sync/vt_sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NS_PER_SEC INT64_C(1000000000)

static int64_t floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

vt_ticks vt_sync_tick_at(int64_t epoch_ns, int64_t real_ns) {
    int64_t d = real_ns - epoch_ns;
    int64_t s = floor_div(d, NS_PER_SEC), r = d - s * NS_PER_SEC; /* 0 <= r < 1e9 */
    return s * VT_TICKS_PER_SEC + r * 441 / 625;
}

int64_t vt_sync_ns_of_tick(int64_t epoch_ns, vt_ticks t) {
    int64_t s = floor_div(t, VT_TICKS_PER_SEC), q = t - s * VT_TICKS_PER_SEC;
    return epoch_ns + s * NS_PER_SEC + (q * 625 + 440) / 441; /* ceil */
}

/* The frame at or before t: frame k of a second is at floor(k * TPS / fps), so it is the
 * largest k with k * TPS < (q + 1) * fps. */
static int64_t frame_floor(vt_ticks t, int fps) {
    int64_t s = floor_div(t, VT_TICKS_PER_SEC), q = t - s * VT_TICKS_PER_SEC;
    return s * fps + ((q + 1) * fps - 1) / VT_TICKS_PER_SEC;
}

static vt_ticks frame_tick(int64_t index, int fps) {
    int64_t s = floor_div(index, fps), k = index - s * fps;
    return s * VT_TICKS_PER_SEC + k * VT_TICKS_PER_SEC / fps;
}

vt_ticks vt_sync_grid_floor(vt_ticks t, int fps) {
    return fps <= 0 ? t : frame_tick(frame_floor(t, fps), fps);
}

vt_ticks vt_sync_grid_ceil(vt_ticks t, int fps) {
    if (fps <= 0) {
        return t;
    }
    int64_t k = frame_floor(t, fps);
    return frame_tick(k, fps) == t ? t : frame_tick(k + 1, fps);
}

vt_ticks vt_sync_input_tick(int64_t epoch_ns, int64_t now_ns, int64_t delay_ns, int fps,
                            vt_ticks floor) {
    vt_ticks t = vt_sync_grid_ceil(vt_sync_tick_at(epoch_ns, now_ns + delay_ns), fps);
    return t < floor ? vt_sync_grid_ceil(floor, fps) : t;
}

int64_t vt_sync_clock_now(int clock) {
    struct timespec ts;
    clock_gettime(clock == CLOCK_TAI ? CLOCK_TAI : CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

bool vt_sync_addr_parse(const char *text, vt_sync_addr *out) {
    unsigned a, b, c, d, port;
    int n = 0;
    if (sscanf(text, "%3u.%3u.%3u.%3u:%5u%n", &a, &b, &c, &d, &port, &n) != 5 || text[n] != '\0' ||
        a > 255 || b > 255 || c > 255 || d > 255 || port < 1 || port > 65535 ||
        !(text[0] >= '0' && text[0] <= '9')) {
        return false;
    }
    /* sscanf accepts "+1" and " 1": every field must start with a digit */
    for (const char *p = text; *p; p++) {
        if (!(*p >= '0' && *p <= '9') && *p != '.' && *p != ':') {
            return false;
        }
    }
    *out =
        (vt_sync_addr){.ip = {(uint8_t)a, (uint8_t)b, (uint8_t)c, (uint8_t)d}, .port = (int)port};
    return true;
}

bool vt_sync_addr_is_multicast(const vt_sync_addr *a) {
    return a->ip[0] >= 224 && a->ip[0] <= 239;
}

/* A sample counts in the average when its round trip is within twice the shortest of late plus
 * half a millisecond (a busy machine read the packet late otherwise); after SKIP_MAX left out
 * in a row the path itself got slower, and its round trip becomes the new shortest. One less
 * than half the shortest so far starts the average again. */
#define SKIP_MAX 4
#define RTT_SLACK_NS INT64_C(500000)
/* The weight of a new sample in the average: about the last four count. */
#define SMOOTHING 0.25
/* Timestamps further apart than this are not one exchange (another machine's wild clock). */
#define SANE_NS (INT64_C(3600) * NS_PER_SEC)

void vt_sync_offset_init(vt_sync_offset *o) {
    *o = (vt_sync_offset){.best_rtt_ns = INT64_MAX, .floor_rtt_ns = INT64_MAX};
}

bool vt_sync_offset_take(vt_sync_offset *o, int64_t t1, int64_t t2, int64_t t3, int64_t t4) {
    /* t4 is this machine's clock; the others came over the network: bounded before any sum */
    if (t4 < INT64_MIN + 2 * SANE_NS || t4 > INT64_MAX - 2 * SANE_NS || t1 > t4 ||
        t1 < t4 - SANE_NS || t2 < t1 - SANE_NS || t2 > t1 + SANE_NS || t3 < t2 ||
        t3 > t2 + SANE_NS) {
        return false;
    }
    int64_t offset = ((t2 - t1) + (t3 - t4)) / 2;
    int64_t rtt = (t4 - t1) - (t3 - t2);
    rtt = rtt < 0 ? 0 : rtt;
    o->samples++;
    if (rtt < o->best_rtt_ns) {
        o->best_rtt_ns = rtt;
        o->best_offset_ns = offset;
    }
    if (rtt < o->floor_rtt_ns) {
        /* far shorter than any before: those were all read late (a machine starting up) */
        o->have = o->have && rtt >= o->floor_rtt_ns / 2;
        o->floor_rtt_ns = rtt;
    }
    if (rtt > 2 * o->floor_rtt_ns + RTT_SLACK_NS && o->skipped < SKIP_MAX) { /* rtt <= SANE_NS */
        o->skipped++;
        return false;
    }
    if (o->skipped >= SKIP_MAX) {
        o->floor_rtt_ns = rtt;
    }
    o->skipped = 0;
    o->smoothed_ns =
        o->have ? o->smoothed_ns + SMOOTHING * ((double)offset - o->smoothed_ns) : (double)offset;
    o->have = true;
    return true;
}
