/* libFuzzer target for operator config files (--config): any bytes must be accepted or refused
 * with diagnostics, never crash, hang or leak. Build: see fuzz/fuzz.cmake. */
#include "config/vt_config.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    vt_diags diags = {0};
    vt_config config;
    vt_config_load_string((const char *)data, size, "config.yaml", &config, &diags);
    vt_config_free(&config);
    vt_diags_free(&diags);
    return 0;
}
