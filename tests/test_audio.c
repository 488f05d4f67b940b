/* Audio: probing hostile files, the offline loopback render analysed sample by sample (onset,
 * loop joins, panning, gain ramps, pause, seek, drift correction, streaming), the WAV writer's
 * bytes, and the device's faults (missing, lost) through an injected backend. Sounds are
 * generated here with libsndfile into a temporary folder. */
#include "audio/audio_internal.h"
#include "audio/vt_audio.h"
#include "io/vt_io.h"
#include "vt_test.h"

#include <math.h>
#include <sndfile.h>
#include <unistd.h>

#define FPS 60
#define SPF (VT_AUDIO_RATE / FPS) /* samples per frame */
#define PI 3.14159265358979323846

static char root[64];

/* ---- generated sounds ---- */

typedef double (*wave_fn)(int64_t frame, int rate, int channel);

static char *make_sound(const char *name, int format, int channels, int rate, int64_t frames,
                        wave_fn fn) {
    char *path = vt_xasprintf("%s/%s", root, name);
    SF_INFO info = {.samplerate = rate, .channels = channels, .format = format};
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    if (!sf) {
        fprintf(stderr, "cannot write %s: %s\n", path, sf_strerror(NULL));
        exit(1);
    }
    float buf[1024 * 2];
    for (int64_t f = 0; f < frames;) {
        int64_t n = frames - f < 1024 ? frames - f : 1024;
        for (int64_t k = 0; k < n; k++) {
            for (int c = 0; c < channels; c++) {
                buf[k * channels + c] = (float)fn(f + k, rate, c);
            }
        }
        sf_writef_float(sf, buf, n);
        f += n;
    }
    sf_close(sf);
    return path;
}

static double sine_1k(int64_t f, int rate, int c) {
    (void)c;
    return 0.5 * sin(2 * PI * 1000.0 * (double)f / rate);
}

/* 500 Hz cosine over 26,400 frames (275 whole periods): the loop's end joins its start. */
static double loop_cos(int64_t f, int rate, int c) {
    (void)c;
    return 0.5 * cos(2 * PI * 500.0 * (double)f / rate);
}

/* 1 kHz whose amplitude steps each second: 0.1 + 0.01 x second, so a level tells the place. */
static double stepped(int64_t f, int rate, int c) {
    (void)c;
    double amp = 0.1 + 0.01 * (double)(f / rate);
    return amp * sin(2 * PI * 1000.0 * (double)f / rate);
}

static void put_bytes(const char *name, const void *data, size_t len) {
    char *p = vt_xasprintf("%s/%s", root, name);
    FILE *f = fopen(p, "wb");
    fwrite(data, 1, len, f);
    fclose(f);
    free(p);
}

/* ---- a scene of sounds built in C ---- */

static vt_sound sound_of(const char *id, char *path, bool loop, bool spatial) {
    return (vt_sound){.id = (char *)id,
                      .src = path,
                      .src_path = path,
                      .gain = 1,
                      .pitch = 1,
                      .loop = loop,
                      .spatial = spatial,
                      .rolloff = VT_ROLLOFF_INVERSE,
                      .ref_distance = 1,
                      .max_distance = 20,
                      .rolloff_factor = 1,
                      .bus = UINT32_MAX,
                      .timeline = UINT32_MAX};
}

static vt_scene scene_of(vt_sound *sounds, size_t n) {
    return (vt_scene){.fps = FPS, .width = 64, .height = 64, .sounds = sounds, .sound_count = n};
}

static vt_audio *offline(const vt_scene *sc, const vt_audio_desc *extra) {
    vt_audio_desc d = extra ? *extra : (vt_audio_desc){0};
    d.mode = VT_AUDIO_OFFLINE;
    vt_audio *a = NULL;
    vt_error err = {0};
    if (vt_audio_create(&d, sc, &a, &err) != VT_OK) {
        fprintf(stderr, "vt_audio_create: %s\n", err.message);
        exit(1);
    }
    return a;
}

static vt_sound_state playing(double offset_s, uint64_t epoch) {
    return (vt_sound_state){.active = true,
                            .offset = vt_ticks_from_seconds(offset_s),
                            .epoch = epoch,
                            .gain = 1,
                            .pitch = 1};
}

static vt_ticks frame_ticks(int64_t k) {
    return vt_ticks_of_frame(k, FPS);
}

/* One frame: update with the states, then mix its samples into out (SPF stereo frames). */
static void step(vt_audio *a, const vt_scene *sc, const vt_sound_state *st, int64_t k,
                 int16_t *out) {
    vt_audio_update(a, sc, st, frame_ticks(k));
    vt_error err = {0};
    VT_CHECK_INT(vt_audio_render(a, SPF, out, &err), VT_OK);
}

static double rms(const int16_t *s, size_t frames, int channel) {
    double sum = 0;
    for (size_t i = 0; i < frames; i++) {
        double v = s[i * 2 + (size_t)channel];
        sum += v * v;
    }
    return frames ? sqrt(sum / (double)frames) : 0;
}

static int64_t first_loud(const int16_t *s, size_t frames, int threshold) {
    for (size_t i = 0; i < frames; i++) {
        if (abs(s[i * 2]) > threshold || abs(s[i * 2 + 1]) > threshold) {
            return (int64_t)i;
        }
    }
    return -1;
}

/* ---- probing ---- */

static void test_probe(void) {
    char *ok = make_sound("ok.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 2, 44100, 4410, sine_1k);
    vt_audio_info info = {0};
    vt_error err = {0};
    VT_CHECK_INT(vt_audio_probe(ok, &info, &err), VT_OK);
    VT_CHECK_INT(info.channels, 2);
    VT_CHECK_INT(info.rate, 44100);
    VT_CHECK_INT(info.frames, 4410);
    char *flac = make_sound("ok.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 1, 48000, 480, sine_1k);
    VT_CHECK_INT(vt_audio_probe(flac, &info, &err), VT_OK);
    VT_CHECK_INT(info.frames, 480);
    char *ogg = make_sound("ok.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 1, 48000, 48000, sine_1k);
    VT_CHECK_INT(vt_audio_probe(ogg, &info, &err), VT_OK);
    VT_CHECK_INT(info.frames, 48000);
    char *opus = make_sound("ok.opus", SF_FORMAT_OGG | SF_FORMAT_OPUS, 1, 48000, 48000, sine_1k);
    VT_CHECK_INT(vt_audio_probe(opus, &info, &err), VT_OK);
    VT_CHECK_INT(info.rate, 48000);
    VT_CHECK_INT(info.channels, 1);
    free(opus);

    /* Hostile files: a header cut short, a header with no samples, noise, nothing at all. */
    char *data = NULL;
    size_t len = 0;
    vt_file_read(ok, 1 << 20, &data, &len, NULL);
    put_bytes("cut.wav", data, 30);
    put_bytes("nodata.wav", data, 44);
    free(data);
    unsigned char noise[4096];
    for (size_t i = 0; i < sizeof noise; i++) {
        noise[i] = (unsigned char)(i * 2654435761u >> 13);
    }
    put_bytes("noise.ogg", noise, sizeof noise);
    put_bytes("empty.flac", "", 0);
    static const struct {
        const char *name;
        vt_status want;
        const char *message; /* after "<root>/" */
    } cases[] = {
        {"missing.wav", VT_E_NOINPUT, "missing.wav: cannot open: No such file or directory"},
        {"cut.wav", VT_E_DATAERR, "cut.wav: not a sound file libsndfile can decode ("},
        {"nodata.wav", VT_E_DATAERR, "nodata.wav: the file holds no samples"},
        {"noise.ogg", VT_E_DATAERR, "noise.ogg: not a sound file libsndfile can decode ("},
        {"empty.flac", VT_E_DATAERR, "empty.flac: the file is empty; export the sound again"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *path = vt_xasprintf("%s/%s", root, cases[i].name);
        char *want = vt_xasprintf("%s/%s", root, cases[i].message);
        err = (vt_error){0};
        VT_CHECK_INT(vt_audio_probe(path, &info, &err), cases[i].want);
        if (strncmp(err.message, want, strlen(want)) != 0) {
            VT_CHECK_STR(err.message, want);
        }
        free(want);
        free(path);
    }
    free(ok);
    free(flac);
    free(ogg);
}

/* MP3 (MPEG-1 Layer III): libsndfile 1.1 and later read it (Debian 12 has 1.2). The file is
 * made here with libsndfile's own encoder; MP3 is lossy, so what is checked is the length, the
 * rate and the level of the 1 kHz tone it decodes to. */
static void test_mp3(void) {
    SF_INFO want = {
        .samplerate = 48000, .channels = 1, .format = SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III};
    if (!sf_format_check(&want)) {
        VT_SKIP("this libsndfile (%s) cannot write MP3", sf_version_string());
        return;
    }
    char *mp3 = make_sound("tone.mp3", want.format, 1, 48000, 48000, sine_1k);
    vt_audio_info info = {0};
    vt_error err = {0};
    VT_CHECK_INT(vt_audio_probe(mp3, &info, &err), VT_OK);
    VT_CHECK_INT(info.rate, 48000);
    VT_CHECK_INT(info.channels, 1);
    VT_CHECK_NEAR(info.frames, 48000, 1152); /* within one MPEG frame */
    vt_decoder *d = NULL;
    VT_CHECK_INT(vt_decoder_open(mp3, 1, &d, NULL, &err), VT_OK);
    double sum = 0;
    size_t total = 0;
    int16_t buf[1024];
    for (size_t n; d && (n = vt_decoder_read(d, buf, 1024)) > 0; total += n) {
        for (size_t i = 0; i < n; i++) {
            sum += (double)buf[i] * buf[i];
        }
    }
    vt_decoder_close(d);
    VT_CHECK_NEAR(total, 48000, 1152);
    /* A sine of amplitude 0.5 has an RMS of 0.5 / sqrt(2) of full scale. */
    VT_CHECK_NEAR(sqrt(sum / (double)(total ? total : 1)) / 32767.0, 0.5 / sqrt(2.0), 0.02);
    free(mp3);
}

/* ---- the offline render ---- */

/* A sound cued at t = 2.0 starts at sample 96,000: the limiter's look-ahead is off. */
static void test_onset(void) {
    char *burst =
        make_sound("burst.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 48000, 24000, sine_1k);
    vt_sound snd = sound_of("burst", burst, false, false);
    vt_scene sc = scene_of(&snd, 1);
    int16_t *out[2];
    for (int run = 0; run < 2; run++) {
        vt_audio *a = offline(&sc, NULL);
        out[run] = vt_xcalloc((size_t)180 * SPF * 2, sizeof(int16_t));
        for (int64_t k = 0; k < 180; k++) {
            double t = (double)k / FPS;
            vt_sound_state st = t >= 2.0 ? playing(t - 2.0, 1) : (vt_sound_state){0};
            step(a, &sc, &st, k, out[run] + k * SPF * 2);
        }
        vt_audio_destroy(a);
    }
    int64_t onset = first_loud(out[0], (size_t)180 * SPF, 100);
    VT_CHECK_NEAR(onset, 96000, 48);
    VT_CHECK_INT(first_loud(out[0], 96000 - 48, 0), -1); /* silence before it */
    /* ends after its 0.5 s */
    VT_CHECK_INT(first_loud(out[0] + 2 * (96000 + 24000 + 48), 180 * SPF - 120048, 0), -1);
    VT_CHECK(memcmp(out[0], out[1], (size_t)180 * SPF * 2 * sizeof(int16_t)) == 0);
    free(out[0]);
    free(out[1]);
    free(burst);
}

/* The header is the plain 44-byte WAVE_FORMAT_PCM one; the file is exactly what was written. */
static void test_wav(void) {
    char *path = vt_xasprintf("%s/out.wav", root);
    int16_t samples[2 * 1000];
    for (int i = 0; i < 2000; i++) {
        samples[i] = (int16_t)(i * 37 - 30000);
    }
    for (int run = 0; run < 2; run++) {
        vt_wav_writer *w = NULL;
        vt_error err = {0};
        VT_CHECK_INT(vt_audio_wav_create(path, 48000, 2, &w, &err), VT_OK);
        VT_CHECK_INT(vt_audio_wav_write(w, samples, 600, &err), VT_OK);
        VT_CHECK_INT(vt_audio_wav_write(w, samples + 1200, 400, &err), VT_OK);
        VT_CHECK_INT(vt_audio_wav_finish(w, &err), VT_OK);
        char *data = NULL;
        size_t len = 0;
        VT_CHECK_INT(vt_file_read(path, 1 << 20, &data, &len, NULL), VT_OK);
        VT_CHECK_INT(len, 44 + 4000);
        static const unsigned char want[44] = {
            'R',  'I', 'F', 'F', 0xc4, 0x0f, 0,   0,   'W', 'A',  'V',  'E',  'f', 'm',  't',
            ' ',  16,  0,   0,   0,    1,    0,   2,   0,   0x80, 0xbb, 0,    0,   0x00, 0xee,
            0x02, 0,   4,   0,   16,   0,    'd', 'a', 't', 'a',  0xa0, 0x0f, 0,   0};
        VT_CHECK(len >= 44 && memcmp(data, want, 44) == 0);
        /* little-endian samples: the first one is -30000 = 0x8ad0 */
        VT_CHECK_INT((unsigned char)data[44], 0xd0);
        VT_CHECK_INT((unsigned char)data[45], 0x8a);
        VT_CHECK(len == 4044 && memcmp(data + 44, samples, 4000) == 0); /* x86: LE already */
        free(data);
    }
    /* Nothing else left in the folder: the temporary file was renamed. */
    char *tmp = vt_xasprintf("%s.tmp-%ld", path, (long)getpid());
    VT_CHECK(access(tmp, F_OK) != 0);
    vt_error err = {0};
    vt_wav_writer *w = NULL;
    VT_CHECK_INT(vt_audio_wav_create("/nonexistent-dir/x.wav", 48000, 2, &w, &err), VT_E_CANTCREAT);
    VT_CHECK(w == NULL);
    free(tmp);
    free(path);
}

/* Loop joins: the output repeats with the loop's period to within a rounding step, both for a
 * clip held whole (AL_LOOPING) and for a streamed one (the decoder wraps inside a block). */
static void test_loop_join(void) {
    char *loop =
        make_sound("loop.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 48000, 26400, loop_cos);
    for (int streamed = 0; streamed < 2; streamed++) {
        vt_sound snd = sound_of("loop", loop, true, false);
        vt_scene sc = scene_of(&snd, 1);
        vt_audio_desc d = {.stream_seconds = streamed ? 0.1 : 0};
        vt_audio *a = offline(&sc, &d);
        size_t frames = (size_t)150 * SPF;
        int16_t *out = vt_xcalloc(frames * 2, sizeof *out);
        for (int64_t k = 0; k < 150; k++) {
            vt_sound_state st = playing((double)k / FPS, 1);
            step(a, &sc, &st, k, out + k * SPF * 2);
        }
        vt_audio_voice_info vi;
        vt_audio_voice_get(a, 0, &vi);
        VT_CHECK_INT(vi.streamed, streamed);
        int worst = 0, worst_step = 0, join_step = 0;
        for (size_t i = 0; i + 26400 < frames; i++) {
            int d0 = abs(out[(i + 26400) * 2] - out[i * 2]);
            worst = d0 > worst ? d0 : worst;
        }
        for (size_t i = 1; i < frames; i++) {
            int s = abs(out[i * 2] - out[(i - 1) * 2]);
            bool at_join = i % 26400 == 0;
            *(at_join ? &join_step : &worst_step) = s > *(at_join ? &join_step : &worst_step)
                                                        ? s
                                                        : *(at_join ? &join_step : &worst_step);
        }
        VT_CHECK(worst <= 1);
        VT_CHECK(join_step <= worst_step);
        VT_CHECK(rms(out, frames, 0) > 1000);
        free(out);
        vt_audio_destroy(a);
    }
    free(loop);
}

/* A source to the listener's left is louder in the left channel, and the other way round;
 * a stereo file placed in space is downmixed (OpenAL only spatialises mono). */
static void test_pan(void) {
    char *mono = make_sound("tone.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 48000, 48000, sine_1k);
    char *stereo =
        make_sound("tone-st.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 2, 48000, 48000, sine_1k);
    for (int side = -1; side <= 3; side += 2) {
        vt_sound snd = sound_of("tone", side < 3 ? mono : stereo, true, true);
        snd.position[0] = side < 3 ? 2.0 * side : -2.0;
        snd.position[2] = -1;
        vt_scene sc = scene_of(&snd, 1);
        vt_audio *a = offline(&sc, NULL);
        int16_t out[SPF * 2 * 30];
        for (int64_t k = 0; k < 30; k++) {
            vt_sound_state st = playing((double)k / FPS, 1);
            memcpy(st.position, snd.position, sizeof st.position);
            step(a, &sc, &st, k, out + k * SPF * 2);
        }
        double l = rms(out, SPF * 30, 0), r = rms(out, SPF * 30, 1);
        VT_CHECK(side == 1 ? r > 2 * l : l > 2 * r);
        VT_CHECK(l + r > 1000);
        vt_audio_destroy(a);
    }
    free(mono);
    free(stereo);
}

/* Rolloff: 10 m away, inverse distance (ref 1) is a tenth of no rolloff at all. */
static void test_rolloff(void) {
    char *mono =
        make_sound("tone5.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 48000, 48000, sine_1k);
    double level[2];
    for (int m = 0; m < 2; m++) {
        vt_sound snd = sound_of("tone", mono, true, true);
        snd.rolloff = m ? VT_ROLLOFF_NONE : VT_ROLLOFF_INVERSE;
        snd.position[2] = -10;
        vt_scene sc = scene_of(&snd, 1);
        vt_audio *a = offline(&sc, NULL);
        int16_t out[SPF * 2 * 10];
        for (int64_t k = 0; k < 10; k++) {
            vt_sound_state st = playing((double)k / FPS, 1);
            memcpy(st.position, snd.position, sizeof st.position);
            step(a, &sc, &st, k, out + k * SPF * 2);
        }
        level[m] = rms(out + SPF * 2, SPF * 9, 0);
        vt_audio_destroy(a);
    }
    VT_CHECK_NEAR(level[0] / level[1], 0.1, 0.01);
    free(mono);
}

/* A hot reload that changes only the rolloff keeps the source playing and applies the new one:
 * the level 10 m away rises tenfold when inverse becomes none. */
static void test_reload_rolloff(void) {
    char *mono =
        make_sound("tone8.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 48000, 48000, sine_1k);
    vt_sound s1 = sound_of("tone", mono, true, true), s2 = s1;
    s1.position[2] = s2.position[2] = -10;
    s2.rolloff = VT_ROLLOFF_NONE;
    vt_scene sc1 = scene_of(&s1, 1), sc2 = scene_of(&s2, 1);
    vt_audio *a = offline(&sc1, NULL);
    int16_t out[SPF * 2 * 20];
    for (int64_t k = 0; k < 20; k++) {
        vt_sound_state st = playing((double)k / FPS, 1);
        memcpy(st.position, s1.position, sizeof st.position);
        step(a, k < 10 ? &sc1 : &sc2, &st, k, out + k * SPF * 2);
    }
    vt_audio_voice_info vi;
    vt_audio_voice_get(a, 0, &vi);
    VT_CHECK_INT(vi.jumps, 1); /* kept */
    VT_CHECK_NEAR(rms(out + SPF * 2, SPF * 8, 0) / rms(out + SPF * 2 * 11, SPF * 8, 0), 0.1, 0.01);
    vt_audio_destroy(a);
    free(mono);
}

/* The gain follows a ramp of states from 0 to 1 over one second. */
static void test_gain_ramp(void) {
    char *mono =
        make_sound("tone2.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 48000, 48000, sine_1k);
    vt_sound snd = sound_of("tone", mono, true, false);
    vt_scene sc = scene_of(&snd, 1);
    vt_audio *a = offline(&sc, NULL);
    int16_t *out = vt_xcalloc((size_t)90 * SPF * 2, sizeof *out);
    for (int64_t k = 0; k < 90; k++) {
        vt_sound_state st = playing((double)k / FPS, 1);
        st.gain = k < 60 ? (double)k / 60 : 1.0;
        step(a, &sc, &st, k, out + k * SPF * 2);
    }
    double full = rms(out + 70 * SPF * 2, 20 * SPF, 0);
    VT_CHECK(full > 1000);
    for (int w = 1; w < 6; w++) {
        /* window of 10 frames centred on frame 10w: gain about (10w - 0.5) / 60 */
        double g = rms(out + (10 * w - 5) * SPF * 2, 10 * SPF, 0) / full;
        VT_CHECK_NEAR(g, (10.0 * w - 0.5) / 60, 0.02);
    }
    free(out);
    vt_audio_destroy(a);
    free(mono);
}

/* Paused: silent and held; resumed: from the same place, with no jump. A new epoch seeks. */
static void test_pause_and_seek(void) {
    char *long_tone =
        make_sound("steps.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 48000, 48000 * 8, stepped);
    vt_sound snd = sound_of("steps", long_tone, false, false);
    vt_scene sc = scene_of(&snd, 1);
    vt_audio *a = offline(&sc, NULL);
    int16_t out[SPF * 2];
    double offset = 0;
    vt_audio_voice_info vi;
    for (int64_t k = 0; k < 180; k++) {
        bool paused = k >= 60 && k < 120; /* 1 s to 2 s */
        vt_sound_state st = playing(offset, 1);
        st.paused = paused;
        step(a, &sc, &st, k, out);
        vt_audio_voice_get(a, 0, &vi);
        if (paused) {
            VT_CHECK_INT(first_loud(out, SPF, 0), -1);
        } else {
            offset += 1.0 / FPS;
        }
        if (k == 119 || k == 179) {
            VT_CHECK_NEAR(vi.position, k == 119 ? 1.0 : 2.0 - 1.0 / FPS, 0.002);
        }
    }
    VT_CHECK_INT(vi.jumps, 1);
    VT_CHECK(rms(out, SPF, 0) > 100);
    /* Seek: epoch 2 at 5.5 s; the level there is that of second 5 (amplitude 0.15). */
    int16_t seek_out[SPF * 2 * 6];
    for (int64_t k = 0; k < 6; k++) {
        vt_sound_state st = playing(5.5 + (double)k / FPS, 2);
        step(a, &sc, &st, 180 + k, seek_out + k * SPF * 2);
    }
    vt_audio_voice_get(a, 0, &vi);
    VT_CHECK_INT(vi.jumps, 2);
    VT_CHECK_NEAR(vi.position, 5.5 + 5.0 / FPS, 0.002);
    /* level relative to second 1's (amplitude 0.11), measured at the end of the first part */
    /* (the first frame fades in: OpenAL ramps a restarted voice's gain over its first mix) */
    VT_CHECK_NEAR(rms(seek_out + SPF * 2, SPF * 5, 0) / rms(out, SPF, 0), 0.15 / 0.11, 0.02);
    vt_audio_destroy(a);
    free(long_tone);
}

/* A clock 100 ms off, without a new epoch: the pitch is nudged, no jump, back within 5 ms. */
static void test_drift(void) {
    char *loop =
        make_sound("loop2.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 48000, 96000, loop_cos);
    vt_sound snd = sound_of("loop", loop, true, false);
    vt_scene sc = scene_of(&snd, 1);
    vt_audio *a = offline(&sc, NULL);
    int16_t out[SPF * 2];
    vt_audio_voice_info vi;
    bool nudged_up = false;
    for (int64_t k = 0; k < 60 * 9; k++) {
        double t = (double)k / FPS;
        vt_sound_state st = playing(t < 1.0 ? t : t + 0.1, 1);
        step(a, &sc, &st, k, out);
        vt_audio_voice_get(a, 0, &vi);
        nudged_up = nudged_up || vi.nudge > 1.0;
        if (k == 61) {
            VT_CHECK_NEAR(vi.drift, -0.1, 0.002);
        }
    }
    VT_CHECK(nudged_up);
    VT_CHECK_INT(vi.jumps, 1);
    VT_CHECK(fabs(vi.drift) < 0.005);
    VT_CHECK_NEAR(vi.nudge, 1.0, 1e-9);
    /* Far off (300 ms): a jump instead. */
    for (int64_t k = 540; k < 543; k++) {
        vt_sound_state st = playing((double)k / FPS + 0.4, 1);
        step(a, &sc, &st, k, out);
    }
    vt_audio_voice_get(a, 0, &vi);
    VT_CHECK_INT(vi.jumps, 2);
    vt_audio_destroy(a);
    free(loop);
}

/* At pitch 2 the file runs twice as fast as the timeline on purpose: no correction, no jump. */
static void test_pitch(void) {
    char *tone =
        make_sound("steps2.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 48000, 48000 * 4, stepped);
    vt_sound snd = sound_of("steps", tone, false, false);
    vt_scene sc = scene_of(&snd, 1);
    vt_audio *a = offline(&sc, NULL);
    int16_t out[SPF * 2];
    vt_audio_voice_info vi;
    for (int64_t k = 0; k <= 60; k++) {
        vt_sound_state st = playing((double)k / FPS, 1);
        st.pitch = 2.0;
        step(a, &sc, &st, k, out);
    }
    vt_audio_voice_get(a, 0, &vi);
    VT_CHECK_NEAR(vi.position, 2.0, 0.002);
    VT_CHECK_INT(vi.jumps, 1);
    VT_CHECK_NEAR(vi.nudge, 1.0, 1e-9);
    vt_audio_destroy(a);
    free(tone);
}

/* A one-second file at pitch 0.5 plays for two seconds, whole or streamed: the offset counts
 * timeline time, so it says nothing about the file's end. */
static void test_slow_end(bool streamed) {
    char *tone = make_sound("one.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 48000, 48000, sine_1k);
    vt_sound snd = sound_of("one", tone, false, false);
    snd.pitch = 0.5;
    vt_scene sc = scene_of(&snd, 1);
    vt_audio_desc d = {.stream_seconds = streamed ? 0.5 : 0};
    vt_audio *a = offline(&sc, &d);
    int16_t out[SPF * 2];
    int64_t last = -1;
    vt_audio_voice_info vi;
    for (int64_t k = 0; k < 150; k++) {
        vt_sound_state st = playing((double)k / FPS, 1);
        st.pitch = 0.5;
        step(a, &sc, &st, k, out);
        last = rms(out, SPF, 0) > 1000 ? k : last;
    }
    vt_audio_voice_get(a, 0, &vi);
    VT_CHECK_INT(vi.streamed, streamed);
    fprintf(stderr, "slow%s: last loud frame %lld\n", streamed ? ", streamed" : "",
            (long long)last);
    VT_CHECK(last >= 118 && last <= 120); /* sounds until 2 s, then stops */
    VT_CHECK(!vi.playing);
    VT_CHECK_INT(vi.jumps, 1);
    vt_audio_destroy(a);
    free(tone);
}

/* A minute-long file streams through four buffers; seeking in it lands at the right place. */
static void test_stream(void) {
    char *big =
        make_sound("long.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 48000, 48000 * 60, stepped);
    vt_sound snd = sound_of("long", big, false, false);
    vt_scene sc = scene_of(&snd, 1);
    vt_audio *a = offline(&sc, NULL);
    int16_t out[SPF * 2];
    double level1 = 0;
    vt_audio_stats stats;
    vt_audio_voice_info vi;
    for (int64_t k = 0; k < 180; k++) {
        vt_sound_state st =
            playing(k < 120 ? (double)k / FPS : 45.0 + (k - 120.0) / FPS, k < 120 ? 1 : 2);
        step(a, &sc, &st, k, out);
        vt_audio_get_stats(a, &stats);
        vt_audio_voice_get(a, 0, &vi);
        VT_CHECK(stats.buffers <= 4 && vi.queued <= 4);
        if (k == 90) {
            level1 = rms(out, SPF, 0);
        }
    }
    VT_CHECK(vi.streamed);
    VT_CHECK_INT(stats.sources, 1);
    VT_CHECK_INT(vi.jumps, 2);
    VT_CHECK_NEAR(vi.position, 45.0 + 59.0 / FPS, 0.002);
    VT_CHECK_NEAR(rms(out, SPF, 0) / level1, 0.55 / 0.11, 0.05);
    vt_audio_destroy(a);
    free(big);
}

/* A streamed file deleted after loading: one warning, not one per update; a hot reload with the
 * file back plays it again. */
static void test_stream_gone(void) {
    char *big = make_sound("gone.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 48000, 48000, sine_1k);
    vt_sound snd = sound_of("gone", big, true, false);
    vt_scene sc = scene_of(&snd, 1);
    vt_audio_desc d = {.stream_seconds = 0.1};
    vt_audio *a = offline(&sc, &d);
    unlink(big);
    int16_t out[SPF * 2];
    for (int64_t k = 0; k < 100; k++) {
        vt_sound_state st = playing((double)k / FPS, 1);
        step(a, &sc, &st, k, out);
    }
    vt_audio_stats stats;
    vt_audio_get_stats(a, &stats);
    VT_CHECK_INT(stats.sound_warnings, 1);
    VT_CHECK_INT(stats.sources, 0);
    VT_CHECK_INT(stats.buffers, 0);
    free(make_sound("gone.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 48000, 48000, sine_1k));
    vt_scene again = sc;
    vt_sound_state st = playing(100.0 / FPS, 1);
    step(a, &again, &st, 100, out);
    step(a, &again, &st, 101, out);
    VT_CHECK(rms(out, SPF, 0) > 1000);
    vt_audio_get_stats(a, &stats);
    VT_CHECK_INT(stats.sound_warnings, 1);
    vt_audio_destroy(a);
    free(big);
}

/* ---- faults: an injected backend around the loopback ---- */

typedef struct fake {
    bool live; /* opens OpenAL's device (the null one in tests) rather than a loopback */
    bool connected, can_open;
    int opens, closes;
} fake;

static void *fake_open(void *user, const char *name, vt_error *err) {
    fake *f = user;
    f->opens++;
    if (!f->can_open) {
        (void)VT_FAIL(err, VT_E_SOFTWARE, "no audio device could be opened");
        return NULL;
    }
    f->connected = true;
    const vt_audio_backend *real =
        f->live ? vt_audio_backend_device() : vt_audio_backend_loopback();
    return real->open(NULL, name, err);
}

static void fake_close(void *user, void *device) {
    ((fake *)user)->closes++;
    vt_audio_backend_loopback()->close(NULL, device);
}

static bool fake_connected(void *user, void *device) {
    (void)device;
    return ((fake *)user)->connected;
}

/* The device goes away at 1 s and comes back at 3 s: the sound resumes where it should be. */
static void test_device_loss(void) {
    char *loop =
        make_sound("loop3.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 48000, 26400, loop_cos);
    vt_sound snd = sound_of("loop", loop, true, false);
    vt_scene sc = scene_of(&snd, 1);
    fake f = {.can_open = true};
    vt_audio_backend be = {"fake", true, fake_open, fake_close, fake_connected, &f};
    vt_audio_desc d = {.backend = &be};
    vt_audio *a = offline(&sc, &d);
    int16_t out[SPF * 2];
    vt_audio_stats stats;
    vt_audio_voice_info vi;
    for (int64_t k = 0; k < 300; k++) {
        if (k == 60) {
            f.connected = false;
            f.can_open = false;
        }
        if (k == 180) {
            f.can_open = true;
        }
        vt_sound_state st = playing((double)k / FPS, 1);
        step(a, &sc, &st, k, out);
        vt_audio_get_stats(a, &stats);
        if (k == 61) {
            VT_CHECK(!stats.device_open);
            VT_CHECK_INT(first_loud(out, SPF, 0), -1);
            VT_CHECK_INT(stats.sources, 0);
            VT_CHECK_INT(stats.buffers, 0);
        }
    }
    vt_audio_voice_get(a, 0, &vi);
    VT_CHECK(stats.device_open);
    VT_CHECK_INT(stats.rebuilds, 1);
    VT_CHECK_INT(stats.device_warnings, 1);
    VT_CHECK_INT(f.closes, 1);
    /* tries at 1 s (fails), 2 s (fails), 4 s: open again */
    VT_CHECK_INT(f.opens, 4);
    double want = fmod(299.0 / FPS, 26400.0 / 48000);
    VT_CHECK_NEAR(vi.position, want, 0.002);
    VT_CHECK(rms(out, SPF, 0) > 1000);
    vt_audio_destroy(a);
    free(loop);
}

/* No device at all (live): one warning, retries with backoff, the show goes on. */
static void test_no_device(void) {
    char *loop =
        make_sound("loop4.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 48000, 26400, loop_cos);
    vt_sound snd = sound_of("loop", loop, true, false);
    vt_scene sc = scene_of(&snd, 1);
    fake f = {.live = true, .can_open = false};
    vt_audio_backend be = {"fake", false, fake_open, fake_close, fake_connected, &f};
    vt_audio_desc d = {.mode = VT_AUDIO_LIVE, .backend = &be};
    vt_audio *a = NULL;
    vt_error err = {0};
    VT_CHECK_INT(vt_audio_create(&d, &sc, &a, &err), VT_OK);
    for (int64_t k = 0; k < 20 * FPS; k++) {
        vt_sound_state st = playing((double)k / FPS, 1);
        vt_audio_update(a, &sc, &st, frame_ticks(k));
    }
    vt_audio_stats stats;
    vt_audio_get_stats(a, &stats);
    VT_CHECK_INT(stats.device_warnings, 1);
    VT_CHECK(!stats.device_open);
    /* at 0, 1, 3, 7, 12, 17 s */
    VT_CHECK_INT(f.opens, 6);
    VT_CHECK_INT(vt_audio_next_deadline(a, frame_ticks(20 * FPS)), 22 * VT_TICKS_PER_SEC);
    /* then every 5 s for a minute (22 ... 62, 67), then every 30 s (97, 127, 157, 187) */
    for (int64_t s = 20; s <= 200; s++) {
        vt_sound_state st = playing((double)s, 1);
        vt_audio_update(a, &sc, &st, s * VT_TICKS_PER_SEC);
    }
    VT_CHECK_INT(f.opens, 6 + 10 + 4);
    VT_CHECK_INT(vt_audio_next_deadline(a, 200 * VT_TICKS_PER_SEC), 217 * VT_TICKS_PER_SEC);
    vt_audio_get_stats(a, &stats);
    VT_CHECK_INT(stats.device_warnings, 1);
    /* a device at last: the sound starts */
    f.can_open = true;
    vt_sound_state st = playing(217, 1);
    vt_audio_update(a, &sc, &st, 217 * VT_TICKS_PER_SEC);
    vt_audio_get_stats(a, &stats);
    VT_CHECK(stats.device_open);
    VT_CHECK_INT(stats.sources, 1);
    int16_t buf[4];
    VT_CHECK_INT(vt_audio_render(a, 2, buf, &err), VT_E_USAGE);
    vt_audio_destroy(a);
    free(loop);
}

/* A hot reload while there is no device, and the device comes back in that same update: the old
 * scene is already freed (the caller swaps, then updates), so nothing may read it (ASan). */
static void test_reload_no_device(void) {
    char *loop =
        make_sound("loop7.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 48000, 26400, loop_cos);
    vt_sound snd = sound_of("loop", loop, true, false);
    vt_scene *old = vt_xcalloc(1, sizeof *old);
    *old = scene_of(&snd, 1);
    old->listener[0] = 1;
    fake f = {.live = true, .can_open = false};
    vt_audio_backend be = {"fake", false, fake_open, fake_close, fake_connected, &f};
    vt_audio_desc d = {.mode = VT_AUDIO_LIVE, .backend = &be};
    vt_audio *a = NULL;
    vt_error err = {0};
    VT_CHECK_INT(vt_audio_create(&d, old, &a, &err), VT_OK);
    vt_sound_state st = playing(0, 1);
    vt_audio_update(a, old, &st, 0);
    vt_scene fresh = *old;
    free(old);
    f.can_open = true;
    st = playing(2, 1);
    vt_audio_update(a, &fresh, &st, 2 * VT_TICKS_PER_SEC);
    vt_audio_stats stats;
    vt_audio_get_stats(a, &stats);
    VT_CHECK(stats.device_open);
    VT_CHECK_INT(stats.sources, 1);
    vt_audio_destroy(a);
    free(loop);
}

/* Live on OpenAL's null device (ALSOFT_DRIVERS=null): the device pauses while nothing plays. */
static void test_idle_pause(void) {
    char *mono = make_sound("tone3.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 48000, 4800, sine_1k);
    vt_sound snd = sound_of("tone", mono, true, false);
    vt_scene sc = scene_of(&snd, 1);
    vt_audio_desc d = {.mode = VT_AUDIO_LIVE};
    vt_audio *a = NULL;
    vt_error err = {0};
    VT_CHECK_INT(vt_audio_create(&d, &sc, &a, &err), VT_OK);
    vt_audio_stats stats;
    vt_sound_state st = {0};
    vt_audio_update(a, &sc, &st, 0);
    vt_audio_get_stats(a, &stats);
    VT_CHECK(stats.device_open);
    VT_CHECK(stats.device_paused);
    VT_CHECK_INT(vt_audio_next_deadline(a, 0), INT64_MAX);
    st = playing(0, 1);
    vt_audio_update(a, &sc, &st, 1);
    vt_audio_get_stats(a, &stats);
    VT_CHECK(!stats.device_paused);
    VT_CHECK_INT(stats.sources, 1);
    VT_CHECK_INT(vt_audio_next_deadline(a, 1), 1 + VT_TICKS_PER_SEC);
    st.active = false;
    vt_audio_update(a, &sc, &st, 2);
    vt_audio_get_stats(a, &stats);
    VT_CHECK(stats.device_paused);
    VT_CHECK_INT(stats.sources, 0);
    vt_audio_destroy(a);
    free(mono);
}

/* Live on the null device, which mixes a period at a time on its own thread: the estimate sees
 * through the saw-tooth and makes no false correction; a streamed clip is kept fed by the
 * worker thread. */
static void test_live_drift(bool streamed) {
    char *loop =
        make_sound("loop6.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 48000, 96000, loop_cos);
    vt_sound snd = sound_of("loop", loop, true, false);
    vt_scene sc = scene_of(&snd, 1);
    vt_audio_desc d = {.mode = VT_AUDIO_LIVE, .stream_seconds = streamed ? 0.5 : 0};
    vt_audio *a = NULL;
    vt_error err = {0};
    VT_CHECK_INT(vt_audio_create(&d, &sc, &a, &err), VT_OK);
    int64_t t0 = vt_now_ns();
    double worst = 0;
    int nudged = 0; /* updates that left the pitch nudged */
    vt_audio_voice_info vi = {0};
    for (int i = 0; i < 75; i++) {
        int64_t ns = vt_now_ns() - t0;
        vt_sound_state st = playing((double)ns / 1e9, 1);
        vt_audio_update(a, &sc, &st, vt_ticks_from_seconds((double)ns / 1e9));
        vt_audio_voice_get(a, 0, &vi);
        worst = i > 10 && fabs(vi.drift) > worst ? fabs(vi.drift) : worst;
        nudged += i > 10 && vi.nudge != 1.0;
        vt_sleep_until_ns(t0 + (int64_t)(i + 1) * 20000000);
    }
    fprintf(stderr, "live%s: worst drift %.1f ms, %d of 64 updates nudged, jumps %llu\n",
            streamed ? ", streamed" : "", worst * 1000, nudged, (unsigned long long)vi.jumps);
    VT_CHECK_INT(vi.streamed, streamed);
    VT_CHECK(vi.queued <= 4);
    VT_CHECK_NEAR(vi.position, 1.5, 0.05); /* it played on: 75 x 20 ms */
    VT_CHECK_INT(vi.jumps, 1);
    /* What docs/performance.md says: the estimate stays under the 20 ms that start a nudge
     * (6-15 ms there: where the first mix fell after the start, up to one period of the null
     * device, 1114 samples at 48 kHz). The margin a loaded or sanitised run needs: past 20 ms
     * now and then, but then nudged, and never by more than one period. */
    VT_CHECK(worst < 0.020 + 1114.0 / 48000);
    VT_CHECK(worst < 0.020 || nudged > 0);
    vt_audio_destroy(a);
    free(loop);
}

/* Live, the end of a non-looping stream whose timeline runs 20 ms late: the source stops before
 * the player's clock says so, and what it played is never replayed (the position never goes
 * back). */
static void test_stream_tail(void) {
    char *tone = make_sound("tail.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 48000, 57600, sine_1k);
    vt_sound snd = sound_of("tail", tone, false, false);
    vt_scene sc = scene_of(&snd, 1);
    vt_audio_desc d = {.mode = VT_AUDIO_LIVE, .stream_seconds = 0.5};
    vt_audio *a = NULL;
    vt_error err = {0};
    VT_CHECK_INT(vt_audio_create(&d, &sc, &a, &err), VT_OK);
    int64_t t0 = vt_now_ns();
    double last = -1;
    int backs = 0;
    vt_audio_voice_info vi = {0};
    for (int i = 0; i < 300; i++) {
        double s = (double)(vt_now_ns() - t0) / 1e9 - (i > 0 ? 0.020 : 0);
        s = s < 0 ? 0 : s;
        vt_sound_state st = playing(s, 1);
        vt_audio_update(a, &sc, &st, vt_ticks_from_seconds(s));
        vt_audio_voice_get(a, 0, &vi);
        if (vi.playing) {
            backs += vi.position < last - 0.01;
            last = vi.position;
        }
        vt_sleep_until_ns(t0 + (int64_t)(i + 1) * 5000000);
    }
    VT_CHECK_INT(backs, 0);
    VT_CHECK(!vi.playing);
    VT_CHECK_INT(vi.jumps, 1);
    vt_audio_destroy(a);
    free(tone);
}

/* Hot reload: a sound whose id and file did not change keeps playing without a jump; a new one
 * starts; a changed one starts over. */
static void test_reload(void) {
    char *loop =
        make_sound("loop5.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 48000, 26400, loop_cos);
    char *mono = make_sound("tone4.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 48000, 4800, sine_1k);
    vt_sound s1[1] = {sound_of("sea", loop, true, false)};
    vt_sound s2[2] = {sound_of("bird", mono, true, true), sound_of("sea", loop, true, false)};
    vt_scene sc1 = scene_of(s1, 1), sc2 = scene_of(s2, 2);
    vt_audio *a = offline(&sc1, NULL);
    int16_t out[SPF * 2];
    for (int64_t k = 0; k < 30; k++) {
        vt_sound_state st = playing((double)k / FPS, 1);
        step(a, &sc1, &st, k, out);
    }
    vt_sound_state st2[2] = {playing(0, 1), playing(30.0 / FPS, 1)};
    step(a, &sc2, st2, 30, out);
    vt_audio_voice_info bird, sea;
    vt_audio_voice_get(a, 0, &bird);
    vt_audio_voice_get(a, 1, &sea);
    VT_CHECK_INT(sea.jumps, 1);
    VT_CHECK_NEAR(sea.position, 30.0 / FPS, 0.001);
    VT_CHECK_INT(bird.jumps, 1);
    vt_audio_stats stats;
    vt_audio_get_stats(a, &stats);
    VT_CHECK_INT(stats.sources, 2);
    VT_CHECK_INT(stats.buffers, 2);
    /* The sea's file replaced by a shorter one (0.3 s): a new clip, placed by its offset. */
    free(make_sound("loop5.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 48000, 14400, loop_cos));
    vt_scene sc3 = sc2;
    vt_sound_state st3[2] = {playing(1.0 / FPS, 1), playing(31.0 / FPS, 1)};
    step(a, &sc3, st3, 31, out);
    vt_audio_voice_get(a, 1, &sea);
    VT_CHECK_NEAR(sea.position, fmod(31.0 / FPS, 0.3), 0.001);
    vt_audio_voice_get(a, 0, &bird);
    VT_CHECK_NEAR(bird.position, 1.0 / FPS, 0.001); /* kept */
    vt_audio_get_stats(a, &stats);
    VT_CHECK_INT(stats.buffers, 2);
    vt_audio_destroy(a);
    free(loop);
    free(mono);
}

/* A sound spoken in two languages: each file is decoded only once it is heard. */
static void test_spoken_lazy(void) {
    char *fr = make_sound("fr.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 48000, 4800, sine_1k);
    char *en = make_sound("en.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 48000, 4800, sine_1k);
    vt_sound snds[2] = {sound_of("voice", fr, true, false), sound_of("voice[en]", en, true, false)};
    snds[0].spoken = snds[1].spoken = true;
    snds[1].variant_of = 0;
    vt_scene sc = scene_of(snds, 2);
    vt_audio *a = offline(&sc, NULL);
    int16_t out[SPF * 2];
    vt_sound_state st[2] = {playing(0, 1), {0}};
    vt_audio_stats stats;
    vt_audio_get_stats(a, &stats);
    VT_CHECK_INT(stats.buffers, 0); /* nothing decoded before it plays */
    step(a, &sc, st, 0, out);
    vt_audio_get_stats(a, &stats);
    VT_CHECK_INT(stats.buffers, 1);
    VT_CHECK(rms(out, SPF, 0) > 1000); /* the French file is heard */
    st[1] = playing(1.0 / FPS, 1);
    step(a, &sc, st, 1, out);
    vt_audio_get_stats(a, &stats);
    VT_CHECK_INT(stats.buffers, 2);
    vt_audio_destroy(a);
    free(fr);
    free(en);
}

int main(void) {
    snprintf(root, sizeof root, "/tmp/vt-test-audio-XXXXXX");
    if (!mkdtemp(root)) {
        perror("mkdtemp");
        return 1;
    }
    vt_log_set_level(VT_LOG_ERROR);
    test_probe();
    test_mp3();
    test_onset();
    test_wav();
    test_loop_join();
    test_pan();
    test_rolloff();
    test_reload_rolloff();
    test_gain_ramp();
    test_pause_and_seek();
    test_drift();
    test_pitch();
    test_slow_end(false);
    test_slow_end(true);
    test_stream();
    test_stream_gone();
    test_device_loss();
    test_no_device();
    test_reload_no_device();
    test_idle_pause();
    test_live_drift(false);
    test_live_drift(true);
    test_stream_tail();
    test_reload();
    test_spoken_lazy();
    char *cmd = vt_xasprintf("rm -rf '%s'", root);
    if (system(cmd) != 0) {
        fprintf(stderr, "could not remove %s\n", root);
    }
    free(cmd);
    return vt_test_finish("test_audio");
}
