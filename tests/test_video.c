/* Films: clips made at test time with the ffmpeg program, each picture carrying its number as
 * its grey level (Y = 16 + 4n, lossless), so the picture chosen for a time is read back from
 * the planes: frame-exact selection at several frame rates without seeking for consecutive
 * times, backward and far jumps, the last picture holding, 10-bit and alpha planes, RGB
 * pictures converted, the live queue across a loop's join, and hostile files as errors that
 * name the file. Skipped (77) without ffmpeg. */
#include "video/video_internal.h"
#include "vt_test.h"

#include <time.h>
#include <unistd.h>

static char dir[64];

static bool make_clip(const char *name, const char *filter, const char *codec) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "ffmpeg -nostdin -v error -f lavfi -i \"%s\" %s -y '%s/%s' </dev/null >/dev/null 2>&1",
             filter, codec, dir, name);
    return system(cmd) == 0;
}

static char *clip(const char *name) {
    return vt_xasprintf("%s/%s", dir, name);
}

/* The number a picture carries: its centre luma, (Y - 16) / 4 (8-bit) or (Y - 64) / 16. */
static int number_of(const vt_video_frame *f) {
    const uint8_t *row = f->data[0] + (size_t)f->stride[0] * (size_t)(f->height / 2);
    int x = f->width / 2;
    if (f->bytes == 2) {
        int y = row[2 * x] | row[2 * x + 1] << 8;
        return (y - 64 + 8) / 16;
    }
    return (row[x] - 16 + 2) / 4;
}

static vt_ticks at_frame(long k, int fps) {
    return k * VT_TICKS_PER_SEC / fps;
}

static void offline(void) {
    char *path = clip("grey.mp4");
    vt_video_info info;
    vt_error err = {0};
    VT_CHECK_INT(vt_video_probe(path, &info, &err), VT_OK);
    VT_CHECK_INT(info.width, 64);
    VT_CHECK_INT(info.height, 48);
    VT_CHECK_INT(info.fps_num / info.fps_den, 25);
    VT_CHECK_INT(info.duration, 2 * VT_TICKS_PER_SEC);
    VT_CHECK_STR(info.codec, "h264");
    VT_CHECK_STR(info.pixel_format, "yuv420p");
    VT_CHECK_INT(info.video_streams, 1);
    VT_CHECK_INT(info.bit_depth, 8);
    VT_CHECK(!info.has_alpha);

    static const int rates[] = {25, 30, 60, 24};
    for (size_t r = 0; r < sizeof rates / sizeof *rates; r++) {
        int fps = rates[r];
        vt_video *v = NULL;
        VT_CHECK_INT(vt_video_open(path, &v, &err), VT_OK);
        if (!v) {
            continue;
        }
        int wrong = 0;
        for (long k = 0; k < 2L * fps; k++) {
            const vt_video_frame *f = NULL;
            vt_ticks t = at_frame(k, fps);
            long want = (long)(t * 25 / VT_TICKS_PER_SEC);
            if (vt_video_frame_at(v, t, &f, &err) != VT_OK || !f || number_of(f) != want ||
                !(f->start <= t && t < f->end)) {
                if (wrong++ < 3) {
                    fprintf(stderr, "%d fps, frame %ld: picture %d, expected %ld (%s)\n", fps, k,
                            f ? number_of(f) : -1, want, err.message);
                }
            }
        }
        VT_CHECK_INT(wrong, 0);
        VT_CHECK_INT(vt_video_seek_count(v), 1); /* the first picture only */
        vt_video_close(v);
    }

    vt_video *v = NULL;
    VT_CHECK_INT(vt_video_open(path, &v, &err), VT_OK);
    const vt_video_frame *f = NULL;
    static const struct {
        double t;
        int n;
    } jumps[] = {{1.5, 37}, {0.2, 5}, {1.96, 49}, {0.0, 0}, {0.039, 0}, {0.04, 1}, {5.0, 49}};
    for (size_t i = 0; v && i < sizeof jumps / sizeof *jumps; i++) {
        vt_ticks t = (vt_ticks)(jumps[i].t * (double)VT_TICKS_PER_SEC);
        VT_CHECK_INT(vt_video_frame_at(v, t, &f, &err), VT_OK);
        VT_CHECK_INT(f ? number_of(f) : -1, jumps[i].n);
    }
    if (f) {
        VT_CHECK_INT(f->layout, VT_VIDEO_YUV);
        VT_CHECK_INT(f->planes, 3);
        VT_CHECK_INT(f->chroma_w, 32);
        VT_CHECK_INT(f->chroma_h, 24);
        VT_CHECK_INT(f->matrix, VT_VIDEO_BT601); /* untagged standard definition */
        VT_CHECK(!f->full_range);
    }
    vt_video_close(v);
    free(path);
}

/* 10-bit planes stay 16-bit samples; alpha is a fourth plane; RGB pictures become RGBA. */
static void formats(void) {
    vt_error err = {0};
    vt_video *v = NULL;
    const vt_video_frame *f = NULL;
    char *p10 = clip("grey10.mkv");
    VT_CHECK_INT(vt_video_open(p10, &v, &err), VT_OK);
    if (v) {
        VT_CHECK_INT(vt_video_info_of(v)->bit_depth, 10);
        VT_CHECK_INT(vt_video_frame_at(v, at_frame(7, 25), &f, &err), VT_OK);
        VT_CHECK_INT(f ? f->bytes : 0, 2);
        VT_CHECK_INT(f ? f->depth : 0, 10);
        VT_CHECK_INT(f ? number_of(f) : -1, 7);
    }
    vt_video_close(v);
    char *pa = clip("alpha.mkv");
    v = NULL;
    VT_CHECK_INT(vt_video_open(pa, &v, &err), VT_OK);
    if (v) {
        VT_CHECK(vt_video_info_of(v)->has_alpha);
        VT_CHECK_INT(vt_video_frame_at(v, at_frame(3, 25), &f, &err), VT_OK);
        VT_CHECK_INT(f ? f->planes : 0, 4);
        VT_CHECK_INT(f ? f->data[3][0] : 0, 3 * 5);
    }
    vt_video_close(v);
    /* VP9 with alpha in WebM: decoded by libvpx with its alpha plane. */
    char *pw = clip("alpha.webm");
    v = NULL;
    VT_CHECK_INT(vt_video_open(pw, &v, &err), VT_OK);
    if (v) {
        VT_CHECK(vt_video_info_of(v)->has_alpha);
        VT_CHECK_STR(vt_video_info_of(v)->pixel_format, "yuva420p");
        VT_CHECK_INT(vt_video_frame_at(v, at_frame(3, 25), &f, &err), VT_OK);
        VT_CHECK_INT(f ? f->planes : 0, 4);
        VT_CHECK_INT(f ? f->data[3][0] : 0, 3 * 5);
        VT_CHECK_INT(f ? number_of(f) : -1, 3);
    }
    vt_video_close(v);
    free(pw);
    char *prgb = clip("rgb.mkv");
    v = NULL;
    VT_CHECK_INT(vt_video_open(prgb, &v, &err), VT_OK);
    if (v) {
        VT_CHECK_INT(vt_video_frame_at(v, 0, &f, &err), VT_OK);
        VT_CHECK_INT(f ? (int)f->layout : -1, VT_VIDEO_RGBA);
        if (f) { /* color=c=0x336699 */
            VT_CHECK_INT(f->data[0][0], 0x33);
            VT_CHECK_INT(f->data[0][1], 0x66);
            VT_CHECK_INT(f->data[0][2], 0x99);
            VT_CHECK_INT(f->data[0][3], 255);
        }
    }
    vt_video_close(v);
    free(p10);
    free(pa);
    free(prgb);
}

/* Waits (at most 5 s) for the live queue to serve the picture of time t. */
static const vt_video_frame *live_wait(vt_video_live *l, vt_ticks t) {
    for (int i = 0; i < 5000; i++) {
        const vt_video_frame *f = vt_video_live_frame(l, t, NULL);
        if (f && f->start <= t && t < f->end) {
            return f;
        }
        usleep(1000);
    }
    return NULL;
}

static void live(void) {
    char *path = clip("grey.mp4");
    vt_error err = {0};
    vt_video_live *l = NULL;
    VT_CHECK_INT(vt_video_live_open(path, true, &l, &err), VT_OK);
    if (!l) {
        free(path);
        return;
    }
    /* Twice through the film at 25 fps (and across the join): each picture in turn. */
    int wrong = 0;
    for (long k = 0; k < 100; k++) {
        const vt_video_frame *f = live_wait(l, at_frame(k, 25));
        if (!f || number_of(f) != k % 50) {
            if (wrong++ < 3) {
                fprintf(stderr, "live frame %ld: picture %d\n", k, f ? number_of(f) : -1);
            }
        }
    }
    VT_CHECK_INT(wrong, 0);
    /* The queue never holds more than its bound (the worker waits). */
    usleep(100000);
    VT_CHECK(vt_video_live_queued(l) <= VT_VIDEO_QUEUE);
    /* Back in time (a timeline's seek): the worker seeks, the picture follows. */
    const vt_video_frame *f = live_wait(l, at_frame(10, 25));
    VT_CHECK_INT(f ? number_of(f) : -1, 10);
    /* Far ahead (the machine slept): it catches up. */
    f = live_wait(l, at_frame(140, 25));
    VT_CHECK_INT(f ? number_of(f) : -1, 40);
    vt_video_live_close(l);

    /* Opened late into its time (a hot reload): once its first picture is in, it seeks there
     * rather than decoding its way from the start. */
    l = NULL;
    VT_CHECK_INT(vt_video_live_open(path, true, &l, &err), VT_OK);
    f = l ? live_wait(l, at_frame(1040, 25)) : NULL;
    VT_CHECK_INT(f ? number_of(f) : -1, 40);
    VT_CHECK_INT(l ? (long long)vt_video_live_seeks(l) : -1, 1);
    vt_video_live_close(l);

    /* Without loop, the last picture holds. */
    l = NULL;
    VT_CHECK_INT(vt_video_live_open(path, false, &l, &err), VT_OK);
    f = l ? live_wait(l, at_frame(49, 25)) : NULL;
    VT_CHECK_INT(f ? number_of(f) : -1, 49);
    f = l ? vt_video_live_frame(l, at_frame(80, 25), NULL) : NULL;
    VT_CHECK_INT(f ? number_of(f) : -1, 49);
    vt_video_live_close(l);
    vt_video_live_close(NULL);
    free(path);
}

static void write_bytes(const char *path, const void *data, size_t n) {
    FILE *fp = fopen(path, "wb");
    if (fp) {
        fwrite(data, 1, n, fp);
        fclose(fp);
    }
}

/* Hostile or broken files: errors naming the file, never a crash, never unbounded. */
static void broken(void) {
    vt_video_info info;
    vt_error err = {0};
    char *missing = clip("missing.mp4");
    VT_CHECK_INT(vt_video_probe(missing, &info, &err), VT_E_NOINPUT);
    VT_CHECK(strstr(err.message, "missing.mp4") != NULL);

    char *junk = clip("junk.mp4");
    char bytes[4096];
    for (size_t i = 0; i < sizeof bytes; i++) {
        bytes[i] = (char)(i * 7919u >> 3);
    }
    write_bytes(junk, bytes, sizeof bytes);
    err = (vt_error){0};
    VT_CHECK_INT(vt_video_probe(junk, &info, &err), VT_E_DATAERR);
    VT_CHECK(strstr(err.message, "junk.mp4") != NULL);
    VT_CHECK(strstr(err.message, "ffmpeg -i") != NULL);

    /* The first half of an MP4 whose index is at its end. */
    char *whole = clip("grey.mp4"), *half = clip("half.mp4");
    char *data = NULL;
    size_t len = 0;
    FILE *fp = fopen(whole, "rb");
    if (fp) {
        data = malloc(1 << 20);
        len = fread(data, 1, 1 << 20, fp);
        fclose(fp);
    }
    write_bytes(half, data, len / 2);
    err = (vt_error){0};
    VT_CHECK_INT(vt_video_probe(half, &info, &err), VT_E_DATAERR);
    VT_CHECK(strstr(err.message, "half.mp4") != NULL);

    /* Index first, pictures cut off: it opens; late times give the last good picture. */
    char *fast = clip("fast.mp4"), *cut = clip("cut.mp4");
    fp = fopen(fast, "rb");
    if (fp) {
        len = fread(data, 1, 1 << 20, fp);
        fclose(fp);
    }
    write_bytes(cut, data, len * 2 / 3);
    vt_video *v = NULL;
    VT_CHECK_INT(vt_video_open(cut, &v, &err), VT_OK);
    if (v) {
        const vt_video_frame *f = NULL;
        vt_video_frame_at(v, at_frame(5, 25), &f, &err);
        VT_CHECK_INT(f ? number_of(f) : -1, 5);
        err = (vt_error){0};
        VT_CHECK_INT(vt_video_frame_at(v, at_frame(49, 25), &f, &err), VT_E_DATAERR);
        VT_CHECK(strstr(err.message, "cut.mp4: the film is damaged or cut short") != NULL);
        VT_CHECK(f != NULL && number_of(f) > 5 && number_of(f) < 49);
    }
    vt_video_close(v);

    /* Its index whole, every picture cut off: no picture, said; live, it fails rather than
     * leaving the show waiting for one. */
    char *empty = clip("empty.mp4");
    size_t cut_at = 0;
    for (size_t i = 0; data && i + 4 <= len && !cut_at; i++) {
        cut_at = memcmp(data + i, "mdat", 4) == 0 ? i + 4 : 0;
    }
    write_bytes(empty, data, cut_at);
    v = NULL;
    VT_CHECK_INT(vt_video_open(empty, &v, &err), VT_OK);
    if (v) {
        const vt_video_frame *f = NULL;
        err = (vt_error){0};
        VT_CHECK_INT(vt_video_frame_at(v, 0, &f, &err), VT_E_DATAERR);
        VT_CHECK(f == NULL);
        VT_CHECK(strstr(err.message, "empty.mp4: the film has no picture that decodes") != NULL);
    }
    vt_video_close(v);
    vt_video_live *l = NULL;
    VT_CHECK_INT(vt_video_live_open(empty, false, &l, &err), VT_OK);
    bool failed = false, pictured = false;
    for (int i = 0; l && i < 5000 && !failed; i++) {
        pictured |= vt_video_live_frame(l, 0, &failed) != NULL;
        usleep(1000);
    }
    VT_CHECK(failed);
    VT_CHECK(!pictured);
    vt_video_live_close(l);
    free(empty);

    /* Larger than the texture limit: refused from the header, before any decoding. */
    char *wide = clip("wide.mkv");
    err = (vt_error){0};
    VT_CHECK_INT(vt_video_probe(wide, &info, &err), VT_E_DATAERR);
    VT_CHECK(strstr(err.message, "8200x16") != NULL);
    VT_CHECK(strstr(err.message, "scale=") != NULL);
    free(missing);
    free(junk);
    free(whole);
    free(half);
    free(fast);
    free(cut);
    free(wide);
    free(data);
}

/* Drawn at 10 fps, a 25 fps film with B pictures skips decoding its non-reference ones: each
 * picture shown still carries the number of its own time (the others decode right), and fewer
 * are decoded; drawn at 20 fps (more than half), every picture is decoded. */
/* Two films opened one after the other (the first closed: a language switch) never give
 * pictures of the same serial, even when the second lands where the first was: the renderer
 * takes a picture of the serial it holds for the one it already uploaded. */
static void serials(void) {
    char *path = clip("grey.mp4");
    vt_error err = {0};
    uint64_t first[2] = {0, 0};
    for (int i = 0; i < 2; i++) {
        vt_video *v = NULL;
        const vt_video_frame *f = NULL;
        VT_CHECK_INT(vt_video_open(path, &v, &err), VT_OK);
        VT_CHECK_INT(vt_video_frame_at(v, 0, &f, &err), VT_OK);
        first[i] = f ? f->serial : 0;
        vt_video_close(v);
    }
    VT_CHECK(first[0] != 0 && first[1] != 0);
    VT_CHECK(first[0] != first[1]);
    uint64_t live_first[2] = {0, 0};
    for (int i = 0; i < 2; i++) {
        vt_video_live *l = NULL;
        VT_CHECK_INT(vt_video_live_open(path, false, &l, &err), VT_OK);
        const vt_video_frame *f = l ? live_wait(l, 0) : NULL;
        live_first[i] = f ? f->serial : 0;
        vt_video_live_close(l);
    }
    VT_CHECK(live_first[0] != 0 && live_first[1] != 0);
    VT_CHECK(live_first[0] != live_first[1]);
    free(path);
}

static uint64_t decoded_at_rate(double fps, int *wrong) {
    char *path = clip("bframes.mp4");
    vt_error err = {0};
    vt_video_live *l = NULL;
    VT_CHECK_INT(vt_video_live_open(path, false, &l, &err), VT_OK);
    free(path);
    if (!l) {
        return 0;
    }
    vt_video_live_set_drawn_rate(l, fps);
    for (long k = 0; k * 25 < 50 * fps; k++) {
        vt_ticks t = k * VT_TICKS_PER_SEC / (vt_ticks)fps;
        const vt_video_frame *f = live_wait(l, t);
        long n = f ? number_of(f) : -1;
        if (!f || n != f->start * 25 / VT_TICKS_PER_SEC || n > k * 25 / (long)fps) {
            if ((*wrong)++ < 3) {
                fprintf(stderr, "drawn at %g fps, frame %ld: picture %ld\n", fps, k, n);
            }
        }
    }
    usleep(100000); /* the worker decodes to the end */
    uint64_t n = vt_video_live_decoded(l);
    vt_video_live_close(l);
    return n;
}

static void skip_nonref(void) {
    int wrong = 0;
    uint64_t slow = decoded_at_rate(10, &wrong), fast = decoded_at_rate(20, &wrong);
    VT_CHECK_INT(wrong, 0);
    VT_CHECK_INT(fast, 50);
    fprintf(stderr, "decoded at 10 fps: %llu of 50 pictures\n", (unsigned long long)slow);
    VT_CHECK(slow > 0 && slow < 40);
}

/* A film's sound: as long as its pictures, stereo kept or downmixed to mono, and a seek lands on
 * the same samples a read from the start gives there, within the decoder's rounding (it
 * pre-rolls before the sample). */
static void sound(void) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "ffmpeg -nostdin -v error -f lavfi -i nullsrc=s=32x24:r=25:d=3,format=yuv420p "
             "-f lavfi -i \"sine=f=440:r=48000:d=3,aformat=channel_layouts=stereo\" "
             "-c:v libx264 -c:a aac -t 3 -y '%s/sound.mp4' </dev/null >/dev/null 2>&1",
             dir);
    if (system(cmd) != 0) {
        VT_SKIP("ffmpeg could not make a film with sound (its aac encoder is missing)");
        return;
    }
    char *path = clip("sound.mp4");
    vt_video_sound *s = NULL;
    vt_video_sound_info info;
    vt_error err = {0};
    VT_CHECK_INT(vt_video_sound_open(path, 2, &s, &info, &err), VT_OK);
    if (!s) {
        free(path);
        return;
    }
    VT_CHECK_INT(info.rate, 48000);
    VT_CHECK_INT(info.channels, 2);
    VT_CHECK_INT(info.frames, 3 * 48000);
    VT_CHECK_INT(vt_video_sound_channels(s), 2);
    int16_t *all = vt_xcalloc((size_t)info.frames * 2 + 2, sizeof *all);
    VT_CHECK_INT(vt_video_sound_read(s, all, (size_t)info.frames + 1), info.frames);
    int peak = 0;
    for (int64_t i = 48000; i < 96000; i++) {
        peak = abs(all[2 * i]) > peak ? abs(all[2 * i]) : peak;
    }
    VT_CHECK(peak > 1000); /* the sine is there */
    static const int64_t at[] = {100000, 12345, 0, 143000};
    for (size_t k = 0; k < sizeof at / sizeof *at; k++) {
        int16_t part[2 * 1000];
        VT_CHECK(vt_video_sound_seek(s, at[k]));
        VT_CHECK_INT(vt_video_sound_read(s, part, 1000), 1000);
        int diff = 0;
        for (int i = 0; i < 2000; i++) {
            int d = abs(part[i] - all[2 * at[k] + i]);
            diff = d > diff ? d : diff;
        }
        if (diff > 8) {
            fprintf(stderr, "seek to %lld: off by up to %d\n", (long long)at[k], diff);
        }
        VT_CHECK(diff <= 8); /* the same samples (a shift of one: ~200) */
    }
    VT_CHECK(!vt_video_sound_seek(s, info.frames + 1));
    vt_video_sound_close(s);
    /* Mono on request. */
    VT_CHECK_INT(vt_video_sound_open(path, 1, &s, NULL, &err), VT_OK);
    VT_CHECK_INT(s ? vt_video_sound_channels(s) : 0, 1);
    vt_video_sound_close(s);
    free(all);
    /* A film without sound says so, naming the file. */
    char *grey = clip("grey.mp4");
    VT_CHECK_INT(vt_video_sound_open(grey, 2, &s, NULL, &err), VT_E_DATAERR);
    VT_CHECK(strstr(err.message, "grey.mp4: the film has no sound") != NULL);
    free(grey);
    free(path);
}

int main(void) {
    if (system("ffmpeg -version >/dev/null 2>&1") != 0) {
        VT_SKIP("the ffmpeg program is not installed: no test clips (apt install ffmpeg)");
        return vt_test_finish("test_video");
    }
    snprintf(dir, sizeof dir, "/tmp/vt-video-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    const char *grey = "nullsrc=s=64x48:r=25:d=2,format=yuv420p,geq=lum='16+4*N':cb=128:cr=128";
    bool made =
        make_clip("grey.mp4", grey, "-c:v libx264 -qp 0 -g 12 -bf 2") &&
        make_clip("bframes.mp4", grey, /* lossless x264 makes no B pictures */
                  "-c:v libx264 -qp 4 -g 12 -x264-params bframes=2:b-adapt=0:b-pyramid=0") &&
        make_clip("fast.mp4", grey, "-c:v libx264 -qp 0 -g 12 -movflags +faststart") &&
        make_clip("grey10.mkv",
                  "nullsrc=s=64x48:r=25:d=1,format=yuv420p10le,"
                  "geq=lum='64+16*N':cb=512:cr=512",
                  "-c:v ffv1") &&
        make_clip("alpha.mkv",
                  "nullsrc=s=64x48:r=25:d=1,format=yuva420p,"
                  "geq=lum='16+4*N':cb=128:cr=128:a='5*N'",
                  "-c:v ffv1") &&
        make_clip("alpha.webm",
                  "nullsrc=s=64x48:r=25:d=1,format=yuva420p,"
                  "geq=lum='16+4*N':cb=128:cr=128:a='5*N'",
                  "-c:v libvpx-vp9 -pix_fmt yuva420p -lossless 1") &&
        make_clip("rgb.mkv", "color=c=0x336699:s=32x32:r=25:d=0.2,format=bgr0", "-c:v ffv1") &&
        make_clip("wide.mkv", "color=s=8200x16:r=25:d=0.04,format=yuv420p", "-c:v ffv1");
    if (!made) {
        VT_SKIP("ffmpeg could not make the test clips (its libx264 or ffv1 encoder is missing)");
    } else {
        offline();
        formats();
        live();
        serials();
        skip_nonref();
        broken();
        sound();
    }
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) {
        fprintf(stderr, "could not remove %s\n", dir);
    }
    return vt_test_finish("test_video");
}
