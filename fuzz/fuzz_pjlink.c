/* libFuzzer target for the PJLink line reader (replies from a projector on the network): any
 * bytes are read as a line and as a LAMP value, never past them; what parses keeps its
 * promises (a greeting's random is 8 printable characters, a reply's command 4 upper-case
 * letters or digits, its value a terminated string no longer than the line, lamp counts
 * bounded and hours within five digits). */
#include "remote/vt_pjlink.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 4 * VT_PJLINK_LINE_MAX) {
        return 0;
    }
    /* A copy of exactly `size` bytes: ASan catches any read past the line. */
    char *buf = malloc(size ? size : 1);
    memcpy(buf, data, size);
    vt_pjlink_line l;
    bool ok = vt_pjlink_parse_line(buf, size, &l);
    if (ok != (l.kind != VT_PJLINK_BAD)) {
        abort();
    }
    if (ok && (size >= VT_PJLINK_LINE_MAX || memchr(buf, '\0', size))) {
        abort();
    }
    if (l.kind == VT_PJLINK_GREET_AUTH && strlen(l.random) != 8) {
        abort();
    }
    if (l.kind == VT_PJLINK_REPLY && (strlen(l.command) != 4 || strlen(l.value) >= size)) {
        abort();
    }
    /* The value as a LAMP reply (a C string, as the caller passes it). */
    char *value = malloc(size + 1);
    memcpy(value, data, size);
    value[size] = '\0';
    long hours[VT_PJLINK_LAMPS];
    bool on[VT_PJLINK_LAMPS];
    int count = -1;
    bool lamps = vt_pjlink_parse_lamps(value, hours, on, &count);
    if (count < 0 || count > VT_PJLINK_LAMPS || (lamps && count == 0)) {
        abort();
    }
    for (int i = 0; lamps && i < count; i++) {
        if (hours[i] < 0 || hours[i] > 99999) {
            abort();
        }
    }
    free(value);
    free(buf);
    return 0;
}
