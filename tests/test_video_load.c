/* FFmpeg's libraries are loaded when a film first needs them (engine/video/ffmpeg.c): nothing is
 * loaded before, and libraries that cannot be loaded make opening a film fail with a message
 * naming the library and the package to install, not a crash. (That the `vitrine` program does
 * not link FFmpeg, and loads it only for scenes with films, is test_video_load_cli.sh.) */
#include "video/video_internal.h"
#include "vt_test.h"

#include <string.h>

int main(void) {
    VT_CHECK(!vt_video_loaded());
    static const char *const missing[] = {"libavutil.so.999", "libswresample.so.999",
                                          "libswscale.so.999", "libavcodec.so.999",
                                          "libavformat.so.999"};
    vt_ffmpeg_set_names_for_test(missing);
    vt_error err = {0};
    vt_video_info info;
    /* the library is looked for before the file: any path shows it */
    VT_CHECK_INT(vt_video_probe("/nonexistent/film.mp4", &info, &err), VT_E_SOFTWARE);
    VT_CHECK(strstr(err.message,
                    "films need FFmpeg's libavutil.so.999, which could not be loaded") != NULL);
    VT_CHECK(strstr(err.message, "install the Debian package libavutil") != NULL);
    VT_CHECK(!vt_video_loaded());
    /* the same answer each time, and for a film writer */
    vt_error err2 = {0};
    vt_video_writer *w = NULL;
    VT_CHECK_INT(vt_video_writer_create("/tmp/never.mp4", 64, 48, 25, 0, 0, &w, &err2),
                 VT_E_SOFTWARE);
    VT_CHECK(w == NULL);
    VT_CHECK_STR(err2.message, err.message);
    vt_error err3 = {0}, err4 = {0}, err5 = {0};
    vt_video *film = NULL;
    VT_CHECK_INT(vt_video_open("/nonexistent/film.mp4", &film, &err3), VT_E_SOFTWARE);
    VT_CHECK(film == NULL);
    VT_CHECK_STR(err3.message, err.message);
    vt_video_live *live = NULL;
    VT_CHECK_INT(vt_video_live_open("/nonexistent/film.mp4", true, &live, &err4), VT_E_SOFTWARE);
    VT_CHECK(live == NULL);
    VT_CHECK_STR(err4.message, err.message);
    vt_video_sound *sound = NULL;
    VT_CHECK_INT(vt_video_sound_open("/nonexistent/film.mp4", 2, &sound, NULL, &err5),
                 VT_E_SOFTWARE);
    VT_CHECK(sound == NULL);
    VT_CHECK_STR(err5.message, err.message);
    vt_video_preload(); /* a thread that fails the same way, quietly */
    VT_CHECK(!vt_video_loaded());
    return vt_test_finish("test_video_load");
}
