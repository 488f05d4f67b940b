/* Loading FFmpeg's libraries on first use (see ffmpeg_api.h and ffmpeg.h). */
#define VT_FFMPEG_LOADER
#include "video/ffmpeg.h"
#include "video/vt_video.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

vt_ffmpeg_api vt_ffmpeg;

enum { AVUTIL, SWRESAMPLE, SWSCALE, AVCODEC, AVFORMAT, LIB_COUNT };

#define STR_(x) #x
#define STR(x) STR_(x)
/* In the order they depend on each other; the versions the module was compiled against. */
static const char *const real_names[LIB_COUNT] = {
    "libavutil.so." STR(LIBAVUTIL_VERSION_MAJOR),
    "libswresample.so." STR(LIBSWRESAMPLE_VERSION_MAJOR),
    "libswscale.so." STR(LIBSWSCALE_VERSION_MAJOR),
    "libavcodec.so." STR(LIBAVCODEC_VERSION_MAJOR),
    "libavformat.so." STR(LIBAVFORMAT_VERSION_MAJOR),
};
/* The Debian packages that hold them. */
static const char *const packages[LIB_COUNT] = {
    "libavutil" STR(LIBAVUTIL_VERSION_MAJOR), "libswresample" STR(LIBSWRESAMPLE_VERSION_MAJOR),
    "libswscale" STR(LIBSWSCALE_VERSION_MAJOR), "libavcodec" STR(LIBAVCODEC_VERSION_MAJOR),
    "libavformat" STR(LIBAVFORMAT_VERSION_MAJOR)};

static const char *const *names = real_names;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static atomic_bool loaded;
static vt_status load_status;
static char load_error[512];

static void load(void) {
    int64_t t0 = vt_now_ns();
    void *lib[LIB_COUNT] = {0};
    for (int i = 0; i < LIB_COUNT; i++) {
        /* RTLD_GLOBAL: each library finds the one it depends on already there */
        lib[i] = dlopen(names[i], RTLD_NOW | RTLD_GLOBAL);
        if (!lib[i]) {
            const char *why = dlerror();
            snprintf(load_error, sizeof load_error,
                     "films need FFmpeg's %s, which could not be loaded (%s); install the Debian "
                     "package %s (tools/install-deps.sh installs it)",
                     names[i], why ? why : "not found", packages[i]);
            load_status = VT_E_SOFTWARE;
            return;
        }
    }
#define VT_AV_FN(LIB, NAME)                                                                        \
    *(void **)&vt_ffmpeg.NAME = dlsym(lib[LIB], #NAME);                                            \
    if (!vt_ffmpeg.NAME) {                                                                         \
        snprintf(load_error, sizeof load_error,                                                    \
                 "films need FFmpeg's function %s, which %s lacks; install the Debian package %s " \
                 "of the version Vitrine was built with",                                          \
                 #NAME, names[LIB], packages[LIB]);                                                \
        load_status = VT_E_SOFTWARE;                                                               \
        return;                                                                                    \
    }
#include "video/ffmpeg_api.h"
#undef VT_AV_FN
    load_status = VT_OK;
    atomic_store(&loaded, true);
    vt_log(VT_LOG_DEBUG, "video", "FFmpeg's libraries loaded in %.1f ms",
           (double)(vt_now_ns() - t0) / 1e6);
    /* the libraries stay loaded for the life of the process */
}

vt_status vt_ffmpeg_load(vt_error *err) {
    pthread_once(&once, load);
    if (load_status != VT_OK) {
        return VT_FAIL(err, load_status, "%s", load_error);
    }
    return VT_OK;
}

static void *preload_thread(void *arg) {
    (void)arg;
    pthread_once(&once, load);
    return NULL;
}

void vt_video_preload(void) {
    if (atomic_load(&loaded)) {
        return;
    }
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&t, &attr, preload_thread, NULL) != 0) {
        /* no thread: the first film loads them itself */
    }
    pthread_attr_destroy(&attr);
}

bool vt_video_loaded(void) {
    return atomic_load(&loaded);
}

void vt_ffmpeg_set_names_for_test(const char *const *test_names) {
    names = test_names ? test_names : real_names;
}
