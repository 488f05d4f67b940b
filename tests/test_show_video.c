/* The show's films, without a window: a film changes the picture only at its own frame rate (a
 * 25 fps film stepped at 60 fps changes it 25 times a second), the next change is the next
 * picture of a running film, nothing for a still film (its timeline not started) or an ended
 * one, and a looping film's next change wraps to its start. Offline and live films alike. The
 * clip is made by the ffmpeg program (skipped, 77, without it). */
#include "app/app_internal.h"
#include "vt_test.h"

#include <unistd.h>

static char dir[64];

static char *write_scene(const char *name, const char *layer_keys, const char *more) {
    char *path = vt_xasprintf("%s/%s.yaml", dir, name);
    FILE *f = fopen(path, "w");
    if (f) {
        fprintf(f,
                "format: vitrine/1\ncanvas: {size: [64, 48], fps: 60}\nlayers:\n"
                "  - {id: film, type: video, src: grey.mp4%s}\n%s",
                layer_keys, more);
        fclose(f);
    }
    return path;
}

static bool open_show(vt_show *show, const char *path, bool live) {
    if (vt_show_load(show, path, NULL) != VT_OK) {
        return false;
    }
    show->live_films = live;
    vt_show_films_open(show);
    return show->films[0].film || show->films[0].live;
}

static void wait_picture(vt_show *show, vt_ticks t) {
    for (int i = 0; i < 2000 && show->films[0].live; i++) {
        vt_show_update(show, t);
        const vt_video_frame *f = show->films[0].shown;
        if (f && f->start <= t && t < f->end) {
            return;
        }
        usleep(1000);
    }
}

static void paced(bool live) {
    char *path = write_scene(live ? "paced-live" : "paced", "", "");
    vt_show show;
    VT_CHECK(open_show(&show, path, live));
    if (show.films) {
        VT_CHECK(show.scene->layers[0].props.size.x == 64); /* the film's own size */
        /* The first update has a picture: a live film just opened is waited for (briefly)
         * rather than drawn as the placeholder. */
        int changes = vt_show_update(&show, 0);
        VT_CHECK(show.item_count == 1 && show.items[0].video != NULL);
        for (int k = 0; k < 60; k++) {
            vt_ticks t = (vt_ticks)k * VT_TICKS_PER_SEC / 60;
            wait_picture(&show, t);
            changes += vt_show_update(&show, t);
            const vt_video_frame *f = show.films[0].shown;
            VT_CHECK(f && f->start <= t && t < f->end);
            vt_ticks next = vt_show_next_change(&show, t);
            vt_ticks want = (t * 25 / VT_TICKS_PER_SEC + 1) * VT_TICKS_PER_SEC / 25;
            if (next != want) {
                fprintf(stderr, "frame %d: next change %lld, want %lld\n", k, (long long)next,
                        (long long)want);
                VT_CHECK_INT(next, want);
                break;
            }
        }
        /* Live, the picture is waited for (the updates of the wait count the changes). */
        VT_CHECK_INT(changes, live ? 1 : 25);
        /* Past its end the film holds its last picture: nothing more will change. */
        vt_ticks end = 3 * VT_TICKS_PER_SEC;
        wait_picture(&show, end);
        vt_show_update(&show, end);
        VT_CHECK_INT(vt_show_next_change(&show, end), INT64_MAX);
    }
    vt_show_unload(&show);
    free(path);
}

static void still_and_loop(void) {
    /* On a timeline that never starts: the first picture, still. */
    char *path = write_scene("still", ", timeline: story", "timelines: {story: {duration: 9}}\n");
    vt_show show;
    VT_CHECK(open_show(&show, path, false));
    if (show.films) {
        VT_CHECK(vt_show_update(&show, 0));
        VT_CHECK_INT(show.films[0].shown ? show.films[0].shown->start : -1, 0);
        VT_CHECK_INT(vt_show_next_change(&show, 0), INT64_MAX);
        VT_CHECK(!vt_show_update(&show, VT_TICKS_PER_SEC));
    }
    vt_show_unload(&show);
    free(path);
    /* Playing from `at`: still until then, woken when the film starts. */
    path = write_scene("at", ", timeline: story, at: 1",
                       "timelines: {story: {duration: 9, autoplay: true}}\n");
    VT_CHECK(open_show(&show, path, false));
    if (show.films) {
        vt_show_update(&show, VT_TICKS_PER_SEC / 2);
        VT_CHECK_INT(vt_show_next_change(&show, VT_TICKS_PER_SEC / 2), VT_TICKS_PER_SEC);
    }
    vt_show_unload(&show);
    free(path);
    /* Looping: the last picture's next change is the film's start again. */
    path = write_scene("loop", ", loop: true", "");
    VT_CHECK(open_show(&show, path, false));
    if (show.films) {
        vt_ticks t = VT_TICKS_PER_SEC * 199 / 100;
        vt_show_update(&show, t);
        VT_CHECK_INT(vt_show_next_change(&show, t), 2 * VT_TICKS_PER_SEC);
        vt_show_update(&show, 2 * VT_TICKS_PER_SEC);
        VT_CHECK_INT(show.films[0].shown ? show.films[0].shown->start : -1, 0);
    }
    vt_show_unload(&show);
    free(path);
}

int main(void) {
    if (system("ffmpeg -version >/dev/null 2>&1") != 0) {
        VT_SKIP("the ffmpeg program is not installed: no test clip (apt install ffmpeg)");
        return vt_test_finish("test_show_video");
    }
    snprintf(dir, sizeof dir, "/tmp/vt-show-video-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "ffmpeg -nostdin -v error -f lavfi -i \"nullsrc=s=64x48:r=25:d=2,format=yuv420p,"
             "geq=lum='16+4*N':cb=128:cr=128\" -c:v libx264 -qp 0 -y '%s/grey.mp4' "
             "</dev/null >/dev/null 2>&1",
             dir);
    if (system(cmd) != 0) {
        VT_SKIP("ffmpeg could not make the test clip (its libx264 encoder is missing)");
    } else {
        paced(false);
        paced(true);
        still_and_loop();
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) {
        fprintf(stderr, "could not remove %s\n", dir);
    }
    return vt_test_finish("test_show_video");
}
