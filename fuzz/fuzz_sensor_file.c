/* libFuzzer target for the power file's parser (the `file:` sensor): any bytes in, and a value
 * that is accepted must be one the governor can use. */
#include "governor/vt_sensor.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    double watts = -1;
    vt_error err;
    if (vt_sensor_parse_watts((const char *)data, size, "fuzz.txt", &watts, &err) == VT_OK) {
        if (!isfinite(watts) || watts < 0 || watts >= 100000) {
            abort(); /* accepted a value the parser promises to reject */
        }
    } else if (watts != 0 || err.status != VT_E_DATAERR || err.message[0] == '\0') {
        abort(); /* a refusal must say why and leave no value behind */
    }
    return 0;
}
