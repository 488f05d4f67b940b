/* PJLink class 1 lines, as a projector sends them (greetings and replies), read without
 * trusting them: bounded, printable ASCII only, every shape checked. And the MD5 digest of the
 * password authentication (nettle). */
#include "remote/vt_pjlink.h"

#include <nettle/md5.h>
#include <stdlib.h>
#include <string.h>

static bool printable(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7E) {
            return false;
        }
    }
    return true;
}

static bool upper_alnum(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
            return false;
        }
    }
    return true;
}

bool vt_pjlink_parse_line(const char *s, size_t len, vt_pjlink_line *out) {
    *out = (vt_pjlink_line){.kind = VT_PJLINK_BAD};
    if (len == 0 || len >= VT_PJLINK_LINE_MAX || !printable(s, len)) {
        return false;
    }
    if (len == 8 && memcmp(s, "PJLINK 0", 8) == 0) {
        out->kind = VT_PJLINK_GREET_OPEN;
        return true;
    }
    if (len == 11 && memcmp(s, "PJLINK ERRA", 11) == 0) {
        out->kind = VT_PJLINK_AUTH_ERROR;
        return true;
    }
    if (len == 17 && memcmp(s, "PJLINK 1 ", 9) == 0) {
        memcpy(out->random, s + 9, 8);
        out->random[8] = '\0';
        if (memchr(out->random, ' ', 8)) {
            return false;
        }
        out->kind = VT_PJLINK_GREET_AUTH;
        return true;
    }
    /* "%1CMND=value": class 1, a four-letter command, then its value. */
    if (len < 7 || s[0] != '%' || s[1] != '1' || s[6] != '=' || !upper_alnum(s + 2, 4)) {
        return false;
    }
    size_t vlen = len - 7;
    if (vlen >= sizeof out->value) {
        return false;
    }
    memcpy(out->command, s + 2, 4);
    out->command[4] = '\0';
    memcpy(out->value, s + 7, vlen);
    out->value[vlen] = '\0';
    if (vlen == 4 && memcmp(out->value, "ERR", 3) == 0) {
        char d = out->value[3];
        out->error = d >= '1' && d <= '4' ? d - '0' : d == 'A' ? 5 : 0;
        if (out->error == 0) {
            return false;
        }
    }
    out->kind = VT_PJLINK_REPLY;
    return true;
}

bool vt_pjlink_parse_lamps(const char *value, long hours[VT_PJLINK_LAMPS], bool on[VT_PJLINK_LAMPS],
                           int *count) {
    *count = 0;
    const char *p = value;
    while (*p) {
        if (*count == VT_PJLINK_LAMPS) {
            return false;
        }
        /* hours: 1 to 5 digits (0..99999), a space, then 0 or 1 */
        size_t digits = strspn(p, "0123456789");
        if (digits == 0 || digits > 5 || p[digits] != ' ' ||
            (p[digits + 1] != '0' && p[digits + 1] != '1')) {
            return false;
        }
        hours[*count] = strtol(p, NULL, 10);
        on[*count] = p[digits + 1] == '1';
        (*count)++;
        p += digits + 2;
        if (*p == ' ') {
            p++;
            if (*p == '\0') {
                return false;
            }
        } else if (*p) {
            return false;
        }
    }
    return *count > 0;
}

void vt_pjlink_auth_digest(const char *random, const char *password, char out[33]) {
    struct md5_ctx ctx;
    uint8_t digest[MD5_DIGEST_SIZE];
    md5_init(&ctx);
    md5_update(&ctx, strlen(random), (const uint8_t *)random);
    md5_update(&ctx, strlen(password), (const uint8_t *)password);
    md5_digest(&ctx, MD5_DIGEST_SIZE, digest);
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < MD5_DIGEST_SIZE; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    out[32] = '\0';
}
