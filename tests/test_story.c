/* End to end, headless: a scene file and an event script drive the show exactly as `render` and
 * `play` do (vt_show): a touch starts a timeline and a `set`, the active state follows input, and
 * idleness brings attract back; frames are checked pixel by pixel and against a golden image. */
#include "app/app_internal.h"
#include "vt_test.h"
#include "render_util.h"

static vt_frame_pixels frame;

/* Steps the show on the 10 fps grid up to `seconds` (as render does) and reads that frame. */
static void frame_at(vt_show *show, int64_t *next_frame, double seconds) {
    int64_t last = (int64_t)(seconds * 10 + 0.5);
    for (; *next_frame <= last; (*next_frame)++) {
        vt_show_update(show, vt_ticks_of_frame(*next_frame, 10));
    }
    vt_renderer_draw(show->renderer, show->scene, show->items, show->item_count, 1.0);
    vt_renderer_read_start(show->renderer, 0);
    vt_error err = {0};
    VT_CHECK_INT(vt_renderer_read_finish(show->renderer, 0, &frame, &err), VT_OK);
}

static int red(int x, int y) { return vt_px(&frame, x, y)[0]; }
static int green(int x, int y) { return vt_px(&frame, x, y)[1]; }

/* The box's left edge: the first white pixel on row 30. */
static int box_left(void) {
    for (int x = 0; x < frame.width; x++) {
        const uint8_t *p = vt_px(&frame, x, 30);
        if (p[0] > 128 && p[1] > 128 && p[2] > 128) {
            return x;
        }
    }
    return -1;
}

int main(void) {
    vt_error err = {0};
    vt_window *win = NULL;
    vt_window_desc wd = {.title = "test_story", .width = 160, .height = 90, .hidden = true};
    if (vt_platform_init(true, &err) != VT_OK || vt_window_create(&wd, &win, &err) != VT_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    vt_show show;
    VT_CHECK_INT(vt_show_load(&show, "scenes/story.yaml", "scenes/story.events"), VT_OK);
    VT_CHECK_INT(vt_show_build(&show, 160, 90, &err), VT_OK);
    int64_t next = 0;

    frame_at(&show, &next, 0.5); /* before the touch: attract, box at rest, lamp hidden */
    VT_CHECK_INT(vt_player_state(show.player), VT_STATE_ATTRACT);
    VT_CHECK_INT(box_left(), 20);
    VT_CHECK_INT(green(145, 75), 0);
    VT_CHECK_INT(red(25, 70), 255);
    vt_ticks t = vt_ticks_of_frame(5, 10);
    VT_CHECK_INT(vt_show_next_change(&show, t), vt_ticks_from_seconds(1.0)); /* the event */

    frame_at(&show, &next, 1.0); /* the touch lands on this frame: active, the story starts */
    VT_CHECK_INT(vt_player_state(show.player), VT_STATE_ACTIVE);
    VT_CHECK_INT(box_left(), 20);
    VT_CHECK_INT(green(145, 75), 255);

    frame_at(&show, &next, 2.0); /* halfway through the 2 s timeline: x = 70 */
    VT_CHECK_INT(box_left(), 70);
    VT_CHECK(vt_golden_check("story-2s", &frame, 2, 0));
    VT_CHECK_INT(vt_show_next_change(&show, vt_ticks_from_seconds(2.0)),
                 vt_ticks_from_seconds(2.0)); /* animating: every frame */

    frame_at(&show, &next, 3.5); /* ended at 3 s: frozen at its last value */
    VT_CHECK_INT(box_left(), 120);
    VT_CHECK_INT(vt_player_state(show.player), VT_STATE_ACTIVE);
    VT_CHECK_INT(vt_show_next_change(&show, vt_ticks_from_seconds(3.5)),
                 vt_ticks_from_seconds(6.0)); /* next: the idle timeout, 3 s after the story
                                                 the touch started ended (the visitor watched) */

    frame_at(&show, &next, 5.9);
    VT_CHECK_INT(vt_player_state(show.player), VT_STATE_ACTIVE);
    frame_at(&show, &next, 6.0); /* 3 s of silence after it: back to attract, lamp off again */
    VT_CHECK_INT(vt_player_state(show.player), VT_STATE_ATTRACT);
    VT_CHECK_INT(green(145, 75), 0);
    VT_CHECK_INT(box_left(), 120);
    VT_CHECK_INT(vt_show_next_change(&show, vt_ticks_from_seconds(6.0)), INT64_MAX);

    free(frame.rgba);
    vt_show_unload(&show);
    vt_window_destroy(win);
    vt_platform_quit();
    return vt_test_finish("test_story");
}
