/* The OSC module: the codec (round trips, bundles, every malformed shape refused) and the
 * server on loopback (allow list, rate limit, oversized and malformed packets counted, a
 * bundle's future timetag held until due, replies back to the sender). */
#include "remote/vt_osc.h"
#include "vt_test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

static size_t msg1(uint8_t *out, size_t cap, const char *addr, const char *s, int32_t i) {
    vt_osc_arg a[2] = {{.type = 's', .s = s, .len = strlen(s)}, {.type = 'i', .i = i}};
    return vt_osc_encode(out, cap, addr, a, 2);
}

static void test_round_trip(void) {
    uint8_t buf[512];
    uint8_t blob[5] = {1, 2, 3, 4, 5};
    vt_osc_arg a[] = {{.type = 'i', .i = -7},
                      {.type = 'f', .f = 1.5},
                      {.type = 's', .s = "intro", .len = 5},
                      {.type = 'b', .s = (const char *)blob, .len = 5},
                      {.type = 'h', .i = INT64_C(1) << 40},
                      {.type = 'd', .f = 0.25},
                      {.type = 'T'},
                      {.type = 'F'},
                      {.type = 'N'},
                      {.type = 't', .t = 12345}};
    size_t n = vt_osc_encode(buf, sizeof buf, "/vitrine/play", a, 10);
    VT_CHECK(n > 0 && n % 4 == 0);
    vt_osc_msg m;
    vt_error err = {0};
    VT_CHECK_INT(vt_osc_parse(buf, n, &m, &err), VT_OK);
    VT_CHECK_STR(m.address, "/vitrine/play");
    VT_CHECK_INT(m.argc, 10);
    VT_CHECK_INT(m.args[0].i, -7);
    VT_CHECK_NEAR(m.args[1].f, 1.5, 0);
    VT_CHECK_STR(m.args[2].s, "intro");
    VT_CHECK_INT(m.args[3].len, 5);
    VT_CHECK(memcmp(m.args[3].s, blob, 5) == 0);
    VT_CHECK_INT(m.args[4].i, INT64_C(1) << 40);
    VT_CHECK_NEAR(m.args[5].f, 0.25, 0);
    VT_CHECK_INT(m.args[6].i, 1);
    VT_CHECK_INT(m.args[7].i, 0);
    VT_CHECK_INT(m.args[8].type, 'N');
    VT_CHECK_INT(m.args[9].t, 12345);
    /* Every strict prefix is refused: nothing is read past the end. */
    int refused = 0;
    for (size_t cut = 0; cut < n; cut++) {
        uint8_t *copy = malloc(cut ? cut : 1);
        memcpy(copy, buf, cut);
        refused += vt_osc_parse(copy, cut, &m, &err) != VT_OK;
        free(copy);
    }
    /* A cut right after the address is a message without type tags (OSC 1.0 allows it). */
    VT_CHECK_INT(refused, (int)n - 1);
    /* Too small an output buffer: 0, never a partial message. */
    VT_CHECK_INT(vt_osc_encode(buf, 20, "/vitrine/play", a, 10), 0);
}

static void test_malformed(void) {
    vt_osc_msg m;
    vt_error err = {0};
    struct {
        const char *bytes;
        size_t len;
    } bad[] = {
        {"vitrine\0", 8},                        /* no leading slash */
        {"/a b\0\0\0\0", 8},                     /* space in the address */
        {"/abc", 4},                             /* no NUL */
        {"/ab\0i\0\0\0", 8},                     /* tags without a comma */
        {"/ab\0,i\0\0", 8},                      /* int missing */
        {"/ab\0,s\0\0abcd", 12},                 /* string without NUL */
        {"/ab\0,b\0\0\0\0\0\x09xxxx", 16},        /* blob longer than the packet */
        {"/ab\0,[i]\0\0\0\0\0\0\0\x01", 16},     /* arrays are not taken */
        {"/ab\0,i\0\0\0\0\0\x01\0\0\0\0", 16},   /* bytes after the arguments */
        {"/ab\0,q\0\0", 8},                      /* unknown tag */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        vt_status st = vt_osc_parse((const uint8_t *)bad[i].bytes, bad[i].len, &m, &err);
        if (st == VT_OK) {
            fprintf(stderr, "case %zu parsed\n", i);
        }
        VT_CHECK_INT(st, VT_E_DATAERR);
    }
    /* More than VT_OSC_MAX_ARGS arguments. */
    uint8_t buf[256] = "/a\0\0,";
    memset(buf + 5, 'T', VT_OSC_MAX_ARGS + 1);
    VT_CHECK_INT(vt_osc_parse(buf, 4 + ((VT_OSC_MAX_ARGS + 2 + 1 + 3) & ~3), &m, &err), VT_E_DATAERR);
}

static void test_bundles(void) {
    uint8_t a[64], b[64], inner[256], outer[512];
    size_t la = msg1(a, sizeof a, "/x", "one", 1), lb = msg1(b, sizeof b, "/y", "two", 2);
    const uint8_t *msgs[] = {a, b};
    size_t lens[] = {la, lb};
    size_t li = vt_osc_bundle(inner, sizeof inner, 500, msgs, lens, 2);
    const uint8_t *outer_msgs[] = {a, inner};
    size_t outer_lens[] = {la, li};
    size_t lo = vt_osc_bundle(outer, sizeof outer, 1000, outer_msgs, outer_lens, 2);
    vt_osc_span spans[8];
    size_t count = 0;
    vt_error err = {0};
    VT_CHECK_INT(vt_osc_split(outer, lo, spans, 8, &count, &err), VT_OK);
    VT_CHECK_INT(count, 3);
    VT_CHECK_INT(spans[0].timetag, 1000);
    VT_CHECK_INT(spans[1].timetag, 1000); /* inner 500 is earlier than its parent: 1000 */
    vt_osc_msg m;
    VT_CHECK_INT(vt_osc_parse(outer + spans[2].offset, spans[2].len, &m, &err), VT_OK);
    VT_CHECK_STR(m.address, "/y");
    VT_CHECK_STR(m.args[0].s, "two");
    VT_CHECK_INT(vt_osc_split(outer, lo, spans, 2, &count, &err), VT_E_DATAERR); /* cap */
    /* An element size past the end, and a bundle cut inside its timetag. */
    uint8_t broken[512];
    memcpy(broken, outer, lo);
    broken[19] = 0xFF;
    VT_CHECK_INT(vt_osc_split(broken, lo, spans, 8, &count, &err), VT_E_DATAERR);
    VT_CHECK_INT(vt_osc_split(outer, 12, spans, 8, &count, &err), VT_E_DATAERR);
    /* Nesting deeper than the limit. */
    uint8_t deep[2][1024];
    size_t ld = la;
    memcpy(deep[0], a, la);
    for (int d = 0; d <= VT_OSC_MAX_DEPTH; d++) {
        const uint8_t *in[] = {deep[d % 2]};
        ld = vt_osc_bundle(deep[(d + 1) % 2], sizeof deep[0], 1, in, &ld, 1);
    }
    VT_CHECK_INT(vt_osc_split(deep[(VT_OSC_MAX_DEPTH + 1) % 2], ld, spans, 8, &count, &err),
                 VT_E_DATAERR);
    /* Timetags: 1970 + 1.5 s and back. */
    uint64_t t = vt_osc_timetag_from_unix_ns(INT64_C(1500000000));
    VT_CHECK_INT(t >> 32, INT64_C(2208988801));
    VT_CHECK_NEAR((double)vt_osc_timetag_to_unix_ns(vt_osc_timetag_from_unix_ns(
                      INT64_C(1780000000123456789))),
                  1780000000123456789.0, 2);
}

static void test_cidr(void) {
    vt_osc_cidr c;
    VT_CHECK(vt_osc_cidr_parse("10.0.0.0/8", &c) && c.bits == 8);
    VT_CHECK(vt_osc_cidr_parse("::1", &c) && c.bits == 128);
    VT_CHECK(!vt_osc_cidr_parse("10.0.0.0/33", &c));
    VT_CHECK(!vt_osc_cidr_parse("10.0.0.0/", &c));
    VT_CHECK(!vt_osc_cidr_parse("localhost", &c));
    VT_CHECK(!vt_osc_cidr_parse("10.0.0.0/-1", &c));
    struct sockaddr_in in = {.sin_family = AF_INET};
    inet_pton(AF_INET, "10.1.2.3", &in.sin_addr);
    vt_osc_cidr_parse("10.0.0.0/8", &c);
    VT_CHECK(vt_osc_cidr_match(&c, (struct sockaddr *)&in));
    vt_osc_cidr_parse("10.1.2.0/25", &c);
    VT_CHECK(vt_osc_cidr_match(&c, (struct sockaddr *)&in));
    vt_osc_cidr_parse("10.1.2.128/25", &c);
    VT_CHECK(!vt_osc_cidr_match(&c, (struct sockaddr *)&in));
    struct sockaddr_in6 in6 = {.sin6_family = AF_INET6};
    inet_pton(AF_INET6, "::ffff:10.1.2.3", &in6.sin6_addr);
    vt_osc_cidr_parse("10.1.2.3", &c);
    VT_CHECK(vt_osc_cidr_match(&c, (struct sockaddr *)&in6));
}

/* ---- the server on loopback ---- */

static int client(const char *from_ip) {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in me = {.sin_family = AF_INET};
    inet_pton(AF_INET, from_ip, &me.sin_addr);
    if (bind(fd, (struct sockaddr *)&me, sizeof me) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void send_to(int fd, int port, const uint8_t *buf, size_t len) {
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    VT_CHECK_INT(sendto(fd, buf, len, 0, (struct sockaddr *)&to, sizeof to), (long long)len);
}

/* Polls until a message is due or `ms` have passed. */
static bool poll_for(vt_osc_server *s, int ms, vt_osc_msg *m, vt_osc_peer *from) {
    int64_t end = vt_now_ns() + (int64_t)ms * 1000000;
    while (vt_now_ns() < end) {
        if (vt_osc_poll(s, vt_now_ns(), m, from)) {
            return true;
        }
        struct pollfd p = {.fd = vt_osc_fd(s), .events = POLLIN};
        poll(&p, 1, 5);
    }
    return false;
}

static void test_server(void) {
    vt_osc_cidr allow;
    vt_osc_cidr_parse("127.0.0.1/32", &allow);
    vt_osc_desc d = {.port = 0, .bind = "127.0.0.1", .allow = &allow, .allow_count = 1,
                     .rate = 5};
    vt_osc_server *s = NULL;
    vt_error err = {0};
    VT_CHECK_INT(vt_osc_open(&d, &s, &err), VT_OK);
    if (!s) {
        return;
    }
    int port = vt_osc_port(s);
    VT_CHECK(port > 0);
    int fd = client("127.0.0.1");
    uint8_t buf[VT_OSC_MAX_PACKET + 64];
    size_t n = msg1(buf, sizeof buf, "/vitrine/play", "intro", 3);
    send_to(fd, port, buf, n);
    vt_osc_msg m;
    vt_osc_peer from;
    VT_CHECK(poll_for(s, 1000, &m, &from));
    VT_CHECK_STR(m.address, "/vitrine/play");
    VT_CHECK_STR(m.args[0].s, "intro");
    /* A reply reaches the sender. */
    uint8_t reply[64];
    vt_osc_arg ra = {.type = 's', .s = "ok", .len = 2};
    size_t rn = vt_osc_encode(reply, sizeof reply, "/vitrine/reply/status", &ra, 1);
    VT_CHECK(vt_osc_send(s, &from, reply, rn));
    uint8_t got[64];
    struct pollfd p = {.fd = fd, .events = POLLIN};
    VT_CHECK_INT(poll(&p, 1, 1000), 1);
    VT_CHECK_INT(recv(fd, got, sizeof got, 0), (long long)rn);
    /* Oversized and malformed packets are counted and dropped. */
    memset(buf, 0, sizeof buf);
    buf[0] = '/';
    send_to(fd, port, buf, VT_OSC_MAX_PACKET + 4);
    send_to(fd, port, (const uint8_t *)"garbage!", 8);
    VT_CHECK(!poll_for(s, 200, &m, &from));
    vt_osc_stats st = vt_osc_get_stats(s);
    VT_CHECK_INT(st.oversized, 1);
    VT_CHECK_INT(st.malformed, 1);
    /* A sender outside the allow list (127.0.0.2 is loopback too, but not allowed). */
    int other = client("127.0.0.2");
    if (other >= 0) {
        n = msg1(buf, sizeof buf, "/vitrine/stop", "intro", 0);
        send_to(other, port, buf, n);
        VT_CHECK(!poll_for(s, 200, &m, &from));
        VT_CHECK_INT(vt_osc_get_stats(s).denied, 1);
        close(other);
    } else {
        VT_SKIP("cannot bind 127.0.0.2 for the allow-list check");
    }
    /* The rate: 5 a second; the first message used one token, 20 more are sent at once. */
    for (int i = 0; i < 20; i++) {
        n = msg1(buf, sizeof buf, "/vitrine/input", "x", i);
        send_to(fd, port, buf, n);
    }
    int taken = 0;
    while (poll_for(s, 200, &m, &from)) {
        taken++;
    }
    VT_CHECK(taken >= 4 && taken <= 6); /* the bucket refilled a little meanwhile */
    VT_CHECK(vt_osc_get_stats(s).limited >= 14);
    close(fd);
    vt_osc_close(s);
}

static void test_timetag(void) {
    vt_osc_desc d = {.port = 0};
    vt_osc_server *s = NULL;
    vt_error err = {0};
    VT_CHECK_INT(vt_osc_open(&d, &s, &err), VT_OK);
    if (!s) {
        return;
    }
    int fd = client("127.0.0.1");
    uint8_t a[64], b[64], bundle[256];
    size_t la = msg1(a, sizeof a, "/later", "x", 1), lb = msg1(b, sizeof b, "/now", "y", 2);
    struct timespec rt;
    clock_gettime(CLOCK_REALTIME, &rt);
    int64_t wall = (int64_t)rt.tv_sec * 1000000000 + rt.tv_nsec;
    const uint8_t *msgs[] = {a};
    size_t lens[] = {la};
    size_t n = vt_osc_bundle(bundle, sizeof bundle, vt_osc_timetag_from_unix_ns(wall + 300000000),
                             msgs, lens, 1);
    int64_t sent = vt_now_ns();
    send_to(fd, vt_osc_port(s), bundle, n);
    send_to(fd, vt_osc_port(s), b, lb);
    vt_osc_msg m;
    vt_osc_peer from;
    VT_CHECK(poll_for(s, 1000, &m, &from));
    VT_CHECK_STR(m.address, "/now"); /* the bundle's message waits: the bare one comes first */
    VT_CHECK(vt_osc_deadline(s) != INT64_MAX);
    VT_CHECK(poll_for(s, 2000, &m, &from));
    VT_CHECK_STR(m.address, "/later");
    VT_CHECK(vt_now_ns() - sent >= 280000000);
    VT_CHECK(vt_osc_deadline(s) == INT64_MAX);
    /* A timetag a year ahead is refused as malformed. */
    n = vt_osc_bundle(bundle, sizeof bundle,
                      vt_osc_timetag_from_unix_ns(wall + INT64_C(365) * 86400 * 1000000000), msgs,
                      lens, 1);
    send_to(fd, vt_osc_port(s), bundle, n);
    VT_CHECK(!poll_for(s, 200, &m, &from));
    VT_CHECK_INT(vt_osc_get_stats(s).malformed, 1);
    close(fd);
    vt_osc_close(s);
    /* Binding an address this machine does not have is an error that names it. */
    d.bind = "192.0.2.1";
    VT_CHECK_INT(vt_osc_open(&d, &s, &err), VT_E_IOERR);
    VT_CHECK(strstr(err.message, "192.0.2.1") != NULL);
    d.bind = "not-an-address";
    VT_CHECK_INT(vt_osc_open(&d, &s, &err), VT_E_USAGE);
}

int main(void) {
    test_round_trip();
    test_malformed();
    test_bundles();
    test_cidr();
    test_server();
    test_timetag();
    return vt_test_finish("test_osc");
}
