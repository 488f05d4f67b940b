/* HAP films (HAP, HAP Alpha, HAP Q), made at test time with ffmpeg's hap encoder from a known
 * picture (red and green ramps across and down, blue 20 x the picture's number, alpha a ramp
 * across), decoded through libavcodec: every sample within DXT's loss of the source, the picture
 * chosen for a time carrying its own number, alpha kept by HAP Alpha and opaque otherwise, and a
 * damaged HAP stream an error naming the file. Skipped (77) without ffmpeg or its hap encoder. */
#include "video/video_internal.h"
#include "vt_test.h"

#include <stdlib.h>
#include <unistd.h>

static char dir[64];

/* DXT1/DXT5 keep 5-6 bits of colour per block end point and interpolate between two: on these
 * smooth ramps a sample lands within this many code values of the source. */
#define TOLERANCE 14

static bool make_hap(const char *name, const char *format) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "ffmpeg -nostdin -v error -f lavfi -i "
             "\"nullsrc=s=64x48:r=25:d=0.4,format=rgba,geq=r='4*X':g='5*Y':b='20*N':a='40+3*X'\" "
             "-c:v hap -format %s -y '%s/%s' </dev/null >/dev/null 2>&1",
             format, dir, name);
    return system(cmd) == 0;
}

static int diff(int a, int b) {
    return a > b ? a - b : b - a;
}

/* The largest difference between the picture's samples and the source's, per channel (rgb, a),
 * and the picture's number read from its blue. */
static void compare(const vt_video_frame *f, int *worst_rgb, int *worst_a, int *number) {
    *worst_rgb = *worst_a = 0;
    long blue = 0;
    int n = 0;
    for (int y = 0; y < f->height; y++) {
        const uint8_t *row = f->data[0] + (size_t)y * (size_t)f->stride[0];
        for (int x = 0; x < f->width; x++) {
            const uint8_t *p = row + 4 * x;
            blue += p[2];
            n++;
            int d = diff(p[0], 4 * x);
            d = diff(p[1], 5 * y) > d ? diff(p[1], 5 * y) : d;
            *worst_rgb = d > *worst_rgb ? d : *worst_rgb;
            *worst_a = diff(p[3], 40 + 3 * x) > *worst_a ? diff(p[3], 40 + 3 * x) : *worst_a;
        }
    }
    *number = (int)((blue / n + 10) / 20);
}

static void one(const char *name, const char *codec_tag, bool alpha) {
    char *path = vt_xasprintf("%s/%s", dir, name);
    vt_video_info info;
    vt_error err = {0};
    VT_CHECK_INT(vt_video_probe(path, &info, &err), VT_OK);
    VT_CHECK_STR(info.codec, "hap");
    VT_CHECK_INT(info.width, 64);
    VT_CHECK_INT(info.has_alpha, alpha);
    vt_video *v = NULL;
    VT_CHECK_INT(vt_video_open(path, &v, &err), VT_OK);
    for (int k = 0; v && k < 10; k += 3) {
        const vt_video_frame *f = NULL;
        VT_CHECK_INT(vt_video_frame_at(v, k * VT_TICKS_PER_SEC / 25, &f, &err), VT_OK);
        if (!f) {
            continue;
        }
        VT_CHECK_INT(f->layout, VT_VIDEO_RGBA);
        VT_CHECK_INT(f->width, 64);
        VT_CHECK_INT(f->height, 48);
        int worst_rgb, worst_a, number;
        compare(f, &worst_rgb, &worst_a, &number);
        VT_CHECK_INT(number, k);
        if (worst_rgb > TOLERANCE) {
            fprintf(stderr, "%s (%s) picture %d: a sample %d off the source\n", name, codec_tag, k,
                    worst_rgb);
        }
        VT_CHECK(worst_rgb <= TOLERANCE);
        if (alpha) {
            VT_CHECK(worst_a <= TOLERANCE);
        } else {
            VT_CHECK_INT(f->data[0][3], 255);
            VT_CHECK_INT(f->data[0][(size_t)f->stride[0] * 47 + 4 * 63 + 3], 255);
        }
    }
    vt_video_close(v);
    free(path);
}

/* A HAP stream whose frames are damaged (the section headers of every picture overwritten):
 * opening works from the container, decoding says what is wrong and names the file. */
static void damaged(void) {
    char *whole = vt_xasprintf("%s/hap.mov", dir), *bad = vt_xasprintf("%s/bad-hap.mov", dir);
    FILE *fp = fopen(whole, "rb");
    uint8_t *data = malloc(1 << 20);
    size_t len = fp ? fread(data, 1, 1 << 20, fp) : 0;
    if (fp) {
        fclose(fp);
    }
    size_t mdat = 0;
    for (size_t i = 0; i + 4 <= len && !mdat; i++) {
        mdat = memcmp(data + i, "mdat", 4) == 0 ? i + 4 : 0;
    }
    VT_CHECK(mdat > 0);
    /* Every byte of the pictures becomes 0xff: a section header of an unknown type and an
     * impossible length, in each frame. */
    size_t moov = 0;
    for (size_t i = mdat; i + 4 <= len && !moov; i++) {
        moov = memcmp(data + i, "moov", 4) == 0 ? i - 4 : 0;
    }
    for (size_t i = mdat; i < (moov > mdat ? moov : len); i++) {
        data[i] = 0xff;
    }
    fp = fopen(bad, "wb");
    if (fp) {
        fwrite(data, 1, len, fp);
        fclose(fp);
    }
    vt_video *v = NULL;
    vt_error err = {0};
    VT_CHECK_INT(vt_video_open(bad, &v, &err), VT_OK);
    if (v) {
        const vt_video_frame *f = NULL;
        VT_CHECK_INT(vt_video_frame_at(v, 0, &f, &err), VT_E_DATAERR);
        VT_CHECK(f == NULL);
        VT_CHECK(strstr(err.message, "bad-hap.mov") != NULL);
        VT_CHECK(strstr(err.message, "ffmpeg -i") != NULL);
        printf("damaged HAP: %s\n", err.message);
    }
    vt_video_close(v);
    free(data);
    free(whole);
    free(bad);
}

/* The compressed path (the renderer takes S3TC): pictures are the frames' blocks, of each
 * film's format, chosen by time as the decoded ones are. */
static void blocks(const char *name, vt_video_blocks format) {
    char *path = vt_xasprintf("%s/%s", dir, name);
    vt_video_set_compressed_textures(true, NULL);
    vt_video *v = NULL;
    vt_error err = {0};
    VT_CHECK_INT(vt_video_open(path, &v, &err), VT_OK);
    vt_video_set_compressed_textures(false, "a test");
    for (int k = 0; v && k < 10; k += 3) {
        const vt_video_frame *f = NULL;
        VT_CHECK_INT(vt_video_frame_at(v, k * VT_TICKS_PER_SEC / 25, &f, &err), VT_OK);
        VT_CHECK(f != NULL);
        if (f) {
            VT_CHECK_INT(f->layout, VT_VIDEO_BLOCKS);
            VT_CHECK_INT(f->blocks, format);
            VT_CHECK_INT(f->planes, 1);
            VT_CHECK_INT(f->stride[0], 16 * (format == VT_VIDEO_DXT1 ? 8 : 16));
            VT_CHECK(f->start == k * VT_TICKS_PER_SEC / 25);
        }
    }
    vt_video_close(v);
    free(path);
}

/* An uncompressed HAP film whose fourth frame says 1280 bytes of blocks where a 64x48 DXT1
 * picture has 1536: on the compressed path that frame is skipped (said once) and the third
 * picture holds through its time; the pictures after it come back. */
static void held(void) {
    char *whole = vt_xasprintf("%s/hap-plain.mov", dir), *bad = vt_xasprintf("%s/short.mov", dir);
    FILE *fp = fopen(whole, "rb");
    uint8_t *data = malloc(1 << 20);
    size_t len = fp ? fread(data, 1, 1 << 20, fp) : 0;
    if (fp) {
        fclose(fp);
    }
    int seen = 0;
    for (size_t i = 0; i + 8 <= len; i++) {
        /* ffmpeg writes the 8-byte header: a zero 3-byte length, the type, 4 bytes of length */
        if (memcmp(data + i, "\x00\x00\x00\xab\x00\x06\x00\x00", 8) == 0 && ++seen == 4) {
            data[i + 5] = 0x05; /* 0x500 bytes: the frame still fits its packet */
        }
    }
    VT_CHECK(seen >= 10);
    fp = fopen(bad, "wb");
    if (fp) {
        fwrite(data, 1, len, fp);
        fclose(fp);
    }
    vt_video_set_compressed_textures(true, NULL);
    vt_video *v = NULL;
    vt_error err = {0};
    VT_CHECK_INT(vt_video_open(bad, &v, &err), VT_OK);
    vt_video_set_compressed_textures(false, "a test");
    static const int want[] = {0, 1, 2, 2, 4, 5};
    for (int k = 0; v && k < 6; k++) {
        const vt_video_frame *f = NULL;
        VT_CHECK_INT(vt_video_frame_at(v, k * VT_TICKS_PER_SEC / 25, &f, &err), VT_OK);
        VT_CHECK(f != NULL && f->layout == VT_VIDEO_BLOCKS);
        if (f) {
            VT_CHECK(f->start == want[k] * VT_TICKS_PER_SEC / 25);
        }
    }
    vt_video_close(v);
    free(data);
    free(whole);
    free(bad);
}

int main(void) {
    if (system("ffmpeg -hide_banner -encoders 2>/dev/null | grep -q ' hap '") != 0) {
        VT_SKIP("the ffmpeg program or its hap encoder is missing: no HAP test films");
        return vt_test_finish("test_video_hap");
    }
    snprintf(dir, sizeof dir, "/tmp/vt-hap-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    if (!make_hap("hap.mov", "hap") || !make_hap("hap_alpha.mov", "hap_alpha") ||
        !make_hap("hap_q.mov", "hap_q") || !make_hap("hap-plain.mov", "hap -compressor none")) {
        VT_SKIP("ffmpeg could not make the HAP test films");
    } else {
        one("hap.mov", "Hap1", false);
        one("hap_alpha.mov", "Hap5", true);
        one("hap_q.mov", "HapY", false);
        damaged();
        blocks("hap.mov", VT_VIDEO_DXT1);
        blocks("hap_alpha.mov", VT_VIDEO_DXT5);
        blocks("hap_q.mov", VT_VIDEO_YCOCG_DXT5);
        held();
    }
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) {
        fprintf(stderr, "could not remove %s\n", dir);
    }
    return vt_test_finish("test_video_hap");
}
