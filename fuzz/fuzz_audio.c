/* libFuzzer target for sound files: any bytes, through libsndfile's virtual I/O into the audio
 * module's decoder, must be refused with a message or decode within bounds, never crash, hang,
 * or allocate what the header claims rather than what is there. */
#include "audio/audio_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);

/* libsndfile 1.2.0 leaks libvorbis's info block when it gives up on a damaged Ogg Vorbis
 * header (sf_open returns NULL: nothing of ours to free); reproduced with sf_open alone. */
const char *__lsan_default_suppressions(void) {
    return "leak:vorbis_info_init\n";
}

/* Reads at most this many frames: a header may claim hours. */
#define MAX_FRAMES 65536

static void decode_some(vt_decoder *d, const vt_audio_info *info) {
    int16_t buf[1024 * 2];
    size_t total = 0, n = 0;
    while (total < MAX_FRAMES && (n = vt_decoder_read(d, buf, 1024)) > 0) {
        if (n > 1024) {
            abort();
        }
        total += n;
    }
    /* seeking back into what was announced, then reading again, must hold too */
    if (info->frames > 1 && vt_decoder_seek(d, info->frames / 2)) {
        vt_decoder_read(d, buf, 1024);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    for (int channels = 1; channels <= 2; channels++) {
        vt_decoder *d = NULL;
        vt_audio_info info = {0};
        vt_error err = {0};
        vt_status st = vt_decoder_open_memory(data, size, "fuzz.wav", channels, &d, &info, &err);
        if (st != VT_OK) {
            if (d || err.message[0] == '\0' || strncmp(err.message, "fuzz.wav: ", 10) != 0) {
                abort(); /* refused: no decoder, and a message naming the file */
            }
            continue;
        }
        if (info.channels < 1 || info.channels > VT_AUDIO_MAX_CHANNELS || info.frames <= 0) {
            abort();
        }
        decode_some(d, &info);
        vt_decoder_close(d);
    }
    return 0;
}
