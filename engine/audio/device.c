/* Devices: the two real backends (alcOpenDevice, ALC_SOFT_loopback), the context on a device,
 * and pausing an idle device (ALC_SOFT_pause_device). */
#include "audio/audio_internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- the device backend: whatever OpenAL Soft finds (ALSOFT_DRIVERS picks) ---- */

static void *device_open(void *user, const char *name, vt_error *err) {
    (void)user;
    ALCdevice *dev = alcOpenDevice(name);
    if (!dev) {
        (void)VT_FAIL(err, VT_E_SOFTWARE, "no audio device%s%s%s could be opened", name ? " '" : "",
                      name ? name : "", name ? "'" : "");
    }
    return dev;
}

static void device_close(void *user, void *device) {
    (void)user;
    alcCloseDevice(device);
}

static bool device_connected(void *user, void *device) {
    (void)user;
    if (!alcIsExtensionPresent(device, "ALC_EXT_disconnect")) {
        return true;
    }
    ALCint connected = 1;
    alcGetIntegerv(device, ALC_CONNECTED, 1, &connected);
    return connected != 0;
}

static const vt_audio_backend device_backend = {
    "device", false, device_open, device_close, device_connected, NULL,
};

const vt_audio_backend *vt_audio_backend_device(void) {
    return &device_backend;
}

/* ---- the loopback backend: mixed on demand by vt_audio_render ---- */

static void *loopback_open(void *user, const char *name, vt_error *err) {
    (void)user, (void)name;
    if (!alcIsExtensionPresent(NULL, "ALC_SOFT_loopback")) {
        (void)VT_FAIL(err, VT_E_SOFTWARE, "OpenAL has no loopback device (ALC_SOFT_loopback)");
        return NULL;
    }
    LPALCLOOPBACKOPENDEVICESOFT open_loopback =
        (LPALCLOOPBACKOPENDEVICESOFT)alcGetProcAddress(NULL, "alcLoopbackOpenDeviceSOFT");
    ALCdevice *dev = open_loopback ? open_loopback(NULL) : NULL;
    if (!dev) {
        (void)VT_FAIL(err, VT_E_SOFTWARE, "cannot open an OpenAL loopback device");
    }
    return dev;
}

static const vt_audio_backend loopback_backend = {
    "loopback", true, loopback_open, device_close, device_connected, NULL,
};

const vt_audio_backend *vt_audio_backend_loopback(void) {
    return &loopback_backend;
}

/* ---- a context on the device ---- */

/* Loopback devices mix float, not int16: OpenAL Soft dithers 16-bit output (noise in the
 * silence) and vt_audio_render rounds itself, the same way every run. */

static ALCcontext *create_context(vt_audio *a, ALCdevice *dev, vt_error *err) {
    ALCint attrs[16];
    int n = 0;
    if (a->backend->loopback) {
        attrs[n++] = ALC_FORMAT_CHANNELS_SOFT;
        attrs[n++] = ALC_STEREO_SOFT;
        attrs[n++] = ALC_FORMAT_TYPE_SOFT;
        attrs[n++] = ALC_FLOAT_SOFT; /* converted by vt_audio_render: int16 would be dithered */
        attrs[n++] = ALC_FREQUENCY;
        attrs[n++] = VT_AUDIO_RATE;
    }
    /* The limiter looks 1 ms ahead and would delay every onset of an offline render; a scene
     * is mixed at gains up to 4, so in live play it stays on against clipping. */
    if (a->mode == VT_AUDIO_OFFLINE && alcIsExtensionPresent(dev, "ALC_SOFT_output_limiter")) {
        attrs[n++] = ALC_OUTPUT_LIMITER_SOFT;
        attrs[n++] = ALC_FALSE;
    }
    if (alcIsExtensionPresent(dev, "ALC_SOFT_HRTF")) {
        attrs[n++] = ALC_HRTF_SOFT; /* speakers in a room, not headphones */
        attrs[n++] = ALC_FALSE;
    }
    attrs[n] = 0;
    if (a->backend->loopback) {
        LPALCISRENDERFORMATSUPPORTEDSOFT supported =
            (LPALCISRENDERFORMATSUPPORTEDSOFT)alcGetProcAddress(dev,
                                                                "alcIsRenderFormatSupportedSOFT");
        if (!supported || !supported(dev, VT_AUDIO_RATE, ALC_STEREO_SOFT, ALC_FLOAT_SOFT)) {
            (void)VT_FAIL(err, VT_E_SOFTWARE, "the loopback device cannot render 48 kHz stereo");
            return NULL;
        }
    }
    ALCcontext *ctx = alcCreateContext(dev, attrs);
    if (!ctx || !alcMakeContextCurrent(ctx)) {
        if (ctx) {
            alcDestroyContext(ctx);
        }
        (void)VT_FAIL(err, VT_E_SOFTWARE, "cannot create an OpenAL context (error 0x%x)",
                      (unsigned)alcGetError(dev));
        return NULL;
    }
    return ctx;
}

void vt_clip_upload(vt_audio *a, vt_clip *c) {
    if (!c->ok || c->streamed || c->buffer) {
        return;
    }
    alGetError();
    alGenBuffers(1, &c->buffer);
    alBufferData(c->buffer, c->channels == 1 ? AL_FORMAT_MONO16 : AL_FORMAT_STEREO16, c->pcm,
                 (ALsizei)(c->frames * c->channels * 2), c->rate);
    if (alGetError() != AL_NO_ERROR) {
        vt_log(VT_LOG_WARN, "audio", "%s: OpenAL refused its samples; it stays silent", c->path);
        alDeleteBuffers(1, &c->buffer);
        c->buffer = 0;
        return;
    }
    a->stats.buffers++;
}

bool vt_audio_device_open(vt_audio *a, vt_error *err) {
    a->stats.open_attempts++;
    ALCdevice *dev = a->backend->open(a->backend->user, a->device_name, err);
    if (!dev) {
        return false;
    }
    ALCcontext *ctx = create_context(a, dev, err);
    if (!ctx) {
        a->backend->close(a->backend->user, dev);
        return false;
    }
    a->device = dev;
    a->context = ctx;
    a->device_paused = false;
    a->per_source_model = alIsExtensionPresent("AL_EXT_source_distance_model");
    if (a->per_source_model) {
        alEnable(AL_SOURCE_DISTANCE_MODEL);
    } else {
        alDistanceModel(AL_INVERSE_DISTANCE_CLAMPED); /* "none" sources get rolloff 0 instead */
    }
    alListenerf(AL_GAIN, (ALfloat)a->master);
    for (size_t i = 0; i < a->count; i++) {
        vt_clip_upload(a, &a->clips[i]);
    }
    a->stats.device_open = true;
    const ALCchar *spec = alcGetString(dev, ALC_DEVICE_SPECIFIER);
    vt_log(VT_LOG_DEBUG, "audio", "device '%s' open (%s backend)", spec ? spec : "?",
           a->backend->name);
    return true;
}

void vt_audio_device_close(vt_audio *a) {
    if (!a->device) {
        return;
    }
    for (size_t i = 0; i < a->count; i++) {
        vt_voice_release(a, &a->voices[i]);
        if (a->clips[i].buffer) {
            alDeleteBuffers(1, &a->clips[i].buffer);
            a->clips[i].buffer = 0;
            a->stats.buffers--;
        }
    }
    alcMakeContextCurrent(NULL);
    alcDestroyContext(a->context);
    a->backend->close(a->backend->user, a->device);
    a->device = NULL;
    a->context = NULL;
    a->device_paused = false;
    a->stats.device_open = false;
    a->stats.device_paused = false;
}

void vt_audio_device_idle(vt_audio *a, bool idle) {
    if (a->mode != VT_AUDIO_LIVE || !a->device || idle == a->device_paused ||
        !alcIsExtensionPresent(a->device, "ALC_SOFT_pause_device")) {
        return;
    }
    const char *fn = idle ? "alcDevicePauseSOFT" : "alcDeviceResumeSOFT";
    LPALCDEVICEPAUSESOFT call = (LPALCDEVICEPAUSESOFT)alcGetProcAddress(a->device, fn);
    if (call) {
        call(a->device);
        a->device_paused = idle;
        a->stats.device_paused = idle;
        vt_log(VT_LOG_DEBUG, "audio", "device %s", idle ? "paused: nothing plays" : "resumed");
    }
}
