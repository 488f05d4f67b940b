/* libFuzzer target for event scripts (`--events`): any bytes must be accepted or refused with
 * diagnostics, never crash, hang or leak; what is accepted keeps the promises the players rely
 * on (sorted by time, ties in script order, kinds and key names as documented). */
#include "platform/vt_platform.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_event(const vt_event *ev, const vt_event *prev) {
    if (ev->time < 0 || ev->time > (vt_ticks)1e9 * VT_TICKS_PER_SEC || ev->line < 1) {
        abort();
    }
    if (prev && (prev->time > ev->time || (prev->time == ev->time && prev->line >= ev->line))) {
        abort(); /* sorted by time, ties kept in the script's order */
    }
    if (ev->type == VT_EVENT_KEY) {
        size_t n = strnlen(ev->name, sizeof ev->name);
        if (n == 0 || n == sizeof ev->name) {
            abort();
        }
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)ev->name[i];
            if (c < 0x20 || c == 0x7f || (c >= 'A' && c <= 'Z')) {
                abort(); /* key names are lower case, without control characters */
            }
        }
    } else if (ev->type == VT_EVENT_OSC) {
        size_t n = strnlen(ev->name, sizeof ev->name), a = strnlen(ev->args, sizeof ev->args);
        if (n < 2 || n == sizeof ev->name || ev->name[0] != '/' || a == sizeof ev->args) {
            abort(); /* an address, then arguments, both ended inside their fields */
        }
        for (size_t i = 0; i < n; i++) {
            if ((unsigned char)ev->name[i] <= 0x20 || (unsigned char)ev->name[i] >= 0x7f) {
                abort();
            }
        }
        for (size_t i = 0; i < a; i++) {
            if ((unsigned char)ev->args[i] < 0x20 && ev->args[i] != '\t') {
                abort();
            }
        }
    } else if (ev->type == VT_EVENT_CLICK || ev->type == VT_EVENT_TOUCH ||
               ev->type == VT_EVENT_MOVE || ev->type == VT_EVENT_UP ||
               ev->type == VT_EVENT_SCROLL) {
        if (!isfinite(ev->x) || !isfinite(ev->y) || !isfinite(ev->dy) || ev->pointer < 0 ||
            ev->pointer > 1000000 ||
            (ev->tap && ev->type != VT_EVENT_CLICK && ev->type != VT_EVENT_TOUCH)) {
            abort();
        }
    } else {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    vt_diags diags = {0};
    vt_event *events = NULL;
    size_t count = 0;
    vt_status st =
        vt_events_parse((const char *)data, size, "fuzz.events", &events, &count, &diags);
    if (st == VT_OK) {
        if (diags.errors != 0 || (count > 0) != (events != NULL)) {
            abort();
        }
        for (size_t i = 0; i < count; i++) {
            check_event(&events[i], i ? &events[i - 1] : NULL);
        }
    } else if (st != VT_E_DATAERR || diags.errors == 0 || events || count) {
        abort(); /* a refusal must say why and hand nothing back */
    }
    for (size_t i = 0; i < diags.count; i++) {
        if (!diags.items[i].message || !diags.items[i].message[0]) {
            abort();
        }
    }
    free(events);
    vt_diags_free(&diags);
    return 0;
}
