/* The PJLink line reader and the authentication digest: the greetings, replies and errors of
 * the specification's examples, and refusals of what a hostile or broken projector may send. */
#include "remote/vt_pjlink.h"
#include "vt_test.h"

#include <string.h>

static bool parse(const char *s, vt_pjlink_line *l) {
    return vt_pjlink_parse_line(s, strlen(s), l);
}

static void test_lines(void) {
    vt_pjlink_line l;
    VT_CHECK(parse("PJLINK 0", &l));
    VT_CHECK_INT(l.kind, VT_PJLINK_GREET_OPEN);
    VT_CHECK(parse("PJLINK 1 498e4a67", &l));
    VT_CHECK_INT(l.kind, VT_PJLINK_GREET_AUTH);
    VT_CHECK_STR(l.random, "498e4a67");
    VT_CHECK(parse("PJLINK ERRA", &l));
    VT_CHECK_INT(l.kind, VT_PJLINK_AUTH_ERROR);
    VT_CHECK(parse("%1POWR=OK", &l));
    VT_CHECK_INT(l.kind, VT_PJLINK_REPLY);
    VT_CHECK_STR(l.command, "POWR");
    VT_CHECK_STR(l.value, "OK");
    VT_CHECK_INT(l.error, 0);
    VT_CHECK(parse("%1POWR=ERR3", &l));
    VT_CHECK_INT(l.error, 3);
    VT_CHECK(parse("%1ERST=ERRA", &l));
    VT_CHECK_INT(l.error, 5);
    VT_CHECK(parse("%1LAMP=", &l)); /* an empty value is a reply; LAMP's reader refuses it */
    /* Refused: another class, lower case, no '=', a bad error code, control characters,
     * bytes beyond ASCII, a random of the wrong length, a line longer than PJLink allows. */
    const char *bad[] = {"%2POWR=1",  "%1powr=1",   "%1POWR 1",         "%1POWR=ERR9",
                         "%1POWR=1\t", "%1POWR=\xc3\xa9", "PJLINK 1 498e4a6", "PJLINK 1 498e 4a6",
                         "PJLINK 2",  "",           "%1"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        VT_CHECK(!parse(bad[i], &l));
        VT_CHECK_INT(l.kind, VT_PJLINK_BAD);
    }
    char longest[VT_PJLINK_LINE_MAX + 2];
    memset(longest, 'A', sizeof longest);
    memcpy(longest, "%1NAME=", 7);
    VT_CHECK(vt_pjlink_parse_line(longest, VT_PJLINK_LINE_MAX - 1, &l)); /* with its CR: 136 */
    VT_CHECK(!vt_pjlink_parse_line(longest, VT_PJLINK_LINE_MAX, &l));
    VT_CHECK(!vt_pjlink_parse_line("%1POWR=1\0x", 10, &l)); /* a NUL inside */
}

static void test_lamps(void) {
    long h[VT_PJLINK_LAMPS];
    bool on[VT_PJLINK_LAMPS];
    int n = 0;
    VT_CHECK(vt_pjlink_parse_lamps("12345 1", h, on, &n));
    VT_CHECK_INT(n, 1);
    VT_CHECK_INT(h[0], 12345);
    VT_CHECK(on[0]);
    VT_CHECK(vt_pjlink_parse_lamps("10 0 99999 1", h, on, &n));
    VT_CHECK_INT(n, 2);
    VT_CHECK_INT(h[1], 99999);
    VT_CHECK(!on[0] && on[1]);
    const char *bad[] = {"", "12", "12 2", "123456 1", "-1 1", "12 1 ", "12  1", "1 1 2",
                         "1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        VT_CHECK(!vt_pjlink_parse_lamps(bad[i], h, on, &n));
    }
}

static void test_digest(void) {
    /* The PJLink specification's example: random 498e4a67, password JBMIAProjectorLink. */
    char d[33];
    vt_pjlink_auth_digest("498e4a67", "JBMIAProjectorLink", d);
    VT_CHECK_STR(d, "5d8409bc1c3fa39749434aa3a5c38682");
}

int main(void) {
    test_lines();
    test_lamps();
    test_digest();
    return vt_test_finish("test_pjlink_codec");
}
