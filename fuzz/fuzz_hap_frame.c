/* libFuzzer target for HAP frames taken apart by the engine (hap.c), without a file or GL: the
 * first two bytes choose the picture's size (4 to 256 pixels a side, in whole blocks), the rest
 * is the packet. A frame that unpacks must give textures of exactly the picture's blocks. */
#include "video/video_internal.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static bool loaded;
    if (!loaded) { /* the parser's buffers are FFmpeg's, loaded as a film's opening would */
        vt_error err = {0};
        if (vt_ffmpeg_load(&err) != VT_OK) {
            abort();
        }
        loaded = true;
    }
    if (size < 2) {
        return 0;
    }
    int w = 4 * (1 + data[0] % 64), h = 4 * (1 + data[1] % 64);
    vt_video_hap hap;
    vt_error err;
    if (vt_video_hap_unpack(data + 2, size - 2, w, h, &hap, &err) != VT_OK) {
        return 0;
    }
    for (int i = 0; i < hap.count; i++) {
        size_t want = vt_video_hap_texture_bytes(hap.format[i], w, h);
        if (!hap.buf[i] || hap.buf[i]->size != want) {
            __builtin_trap(); /* a texture of the wrong size would be uploaded past its end */
        }
        volatile uint8_t sink = hap.buf[i]->data[want - 1];
        (void)sink;
    }
    vt_video_hap_free(&hap);
    return 0;
}
