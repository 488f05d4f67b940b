/* libFuzzer target for the image decoders: any bytes through vt_image_load_memory under small
 * limits, so that memory and time per input stay bounded and only real bugs stop the run. */
#include "io/vt_image.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const vt_image_limits limits = {
        .max_width = 4096,
        .max_height = 4096,
        .max_pixels = 4u * 1024 * 1024,
        .max_file_size = 1u << 20,
    };
    vt_image img;
    vt_error err;
    if (vt_image_load_memory(data, size, "fuzz.img", &limits, &img, &err) == VT_OK) {
        /* Touch the corners so a wrong size shows up as an ASan report, not silently. */
        size_t last = ((size_t)img.width * (size_t)img.height - 1) * 4;
        volatile uint8_t sink = (uint8_t)(img.pixels[0] ^ img.pixels[last + 3]);
        (void)sink;
        vt_image_downscale(&img, 64);
    }
    vt_image_free(&img);
    return 0;
}
