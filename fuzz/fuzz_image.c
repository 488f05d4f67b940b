/* libFuzzer target for the image decoders (PNG, JPEG, WebP, TIFF, and the EXIF orientation of
 * JPEG and PNG): any bytes through vt_image_load_memory under small limits, so that memory and
 * time per input stay bounded and only real bugs stop the run; and through the header probe,
 * which must agree with the decoder on the (upright) size of every image it decodes. */
#include "io/image_internal.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const vt_image_limits limits = {
        .max_width = 4096,
        .max_height = 4096,
        .max_pixels = 4u * 1024 * 1024,
        .max_file_size = 1u << 20,
        .keep_16bit = size > 0 && (data[size - 1] & 1), /* both paths of 16-bit PNGs */
    };
    vt_image_info info = {0};
    vt_error err;
    vt_status probed = vt_image_probe_memory(data, size, "fuzz.img", &limits, &info, &err);
    vt_image img;
    if (vt_image_load_memory(data, size, "fuzz.img", &limits, &img, &err) == VT_OK) {
        if (probed != VT_OK || info.width != img.width || info.height != img.height) {
            __builtin_trap(); /* the probe missed or misread an image the decoder takes */
        }
        /* Touch the corners so a wrong size shows up as an ASan report, not silently. */
        size_t last = ((size_t)img.width * (size_t)img.height - 1) * 4;
        volatile uint8_t sink = (uint8_t)(img.pixels[0] ^ img.pixels[last + 3]);
        (void)sink;
        if (img.pixels16) {
            volatile uint16_t sink16 = (uint16_t)(img.pixels16[0] ^ img.pixels16[last + 3]);
            (void)sink16;
        }
        vt_image_downscale(&img, 64);
    }
    vt_image_free(&img);
    return 0;
}
