/* The play loop's decisions (engine/app/play_decide.c) against a fake clock: what each wake-up
 * does and until when the loop then sleeps, for open and closed rooms, quitting, scripted
 * visitors and every deadline that may wake it. Runs in milliseconds; tests/test_hours.sh and
 * tests/test_reload.sh keep the real-time loop as integration tests. */
#include "app/play_internal.h"
#include "vt_test.h"

#define NEVER INT64_MAX
#define S INT64_C(1000000000)

/* A still, open room at t = 10 s: nothing due. */
static vt_play_state still(void) {
    return (vt_play_state){.now_ns = 10 * S,
                           .quit_ns = NEVER,
                           .next_frame_ns = NEVER,
                           .next_sound_ns = NEVER,
                           .energy_ns = NEVER,
                           .watch_ns = NEVER,
                           .chores_ns = NEVER,
                           .reopen_ns = NEVER,
                           .scripted_ns = NEVER,
                           .remote_ns = NEVER,
                           .sync_ns = NEVER,
                           .watchdog_ns = NEVER,
                           .metrics_ns = NEVER};
}

static void test_open(void) {
    vt_play_state s = still();
    vt_play_step st = vt_play_decide(&s);
    VT_CHECK_INT(st.action, VT_PLAY_SOUND);
    VT_CHECK(!st.paint_closed);
    VT_CHECK(vt_play_next_wake(&s) == NEVER); /* a still room with nothing ahead sleeps */

    static const struct {
        const char *what;
        bool dirty, input;
        int64_t next_frame_ns;
        vt_play_action want;
    } cases[] = {
        {"the window must be redrawn", true, false, NEVER, VT_PLAY_FRAME},
        {"a visitor acted", false, true, NEVER, VT_PLAY_FRAME},
        {"the frame is due now", false, false, 10 * S, VT_PLAY_FRAME},
        {"the frame was due before", false, false, 9 * S, VT_PLAY_FRAME},
        {"the frame is due in 1 ns", false, false, 10 * S + 1, VT_PLAY_SOUND},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        s = still();
        s.dirty = cases[i].dirty;
        s.input = cases[i].input;
        s.next_frame_ns = cases[i].next_frame_ns;
        st = vt_play_decide(&s);
        if (st.action != cases[i].want) {
            fprintf(stderr, "case: %s\n", cases[i].what);
        }
        VT_CHECK_INT(st.action, cases[i].want);
    }
}

/* Open: the earliest of every deadline, the hours' next change included (closing time is met
 * on time); a scripted visitor is the show's business (its next change) while open. */
static void test_open_wake(void) {
    static const struct {
        int64_t frame, sound, energy, watch, chores, quit, reopen, scripted, want;
    } cases[] = {
        {11 * S, 12 * S, 13 * S, 14 * S, 15 * S, 16 * S, 17 * S, 1, 11 * S},
        {NEVER, 12 * S, 13 * S, 14 * S, 15 * S, 16 * S, 17 * S, 1, 12 * S},
        {NEVER, NEVER, 13 * S, 14 * S, 15 * S, 16 * S, 17 * S, 1, 13 * S},
        {NEVER, NEVER, NEVER, 14 * S, 15 * S, 16 * S, 17 * S, 1, 14 * S},
        {NEVER, NEVER, NEVER, NEVER, 15 * S, 16 * S, 17 * S, 1, 15 * S},
        {NEVER, NEVER, NEVER, NEVER, NEVER, 16 * S, 17 * S, 1, 16 * S},
        {NEVER, NEVER, NEVER, NEVER, NEVER, NEVER, 17 * S, 1, 17 * S},
        {20 * S, 19 * S, 18 * S, 17 * S, 16 * S, 21 * S, 22 * S, 1, 16 * S},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vt_play_state s = still();
        s.next_frame_ns = cases[i].frame;
        s.next_sound_ns = cases[i].sound;
        s.energy_ns = cases[i].energy;
        s.watch_ns = cases[i].watch;
        s.chores_ns = cases[i].chores;
        s.quit_ns = cases[i].quit;
        s.reopen_ns = cases[i].reopen;
        s.scripted_ns = cases[i].scripted; /* open, the show's next change covers it */
        s.wake_on_input = true;
        VT_CHECK(vt_play_next_wake(&s) == cases[i].want);
    }
}

/* --quit-after: open, only after the frame (even --quit-after 0 shows the first one). */
static void test_quit(void) {
    vt_play_state s = still();
    s.quit_ns = 10 * S;
    s.dirty = true;
    VT_CHECK_INT(vt_play_decide(&s).action, VT_PLAY_FRAME);
    VT_CHECK(vt_play_quit_after_frame(&s));
    s.quit_ns = 10 * S + 1;
    VT_CHECK(!vt_play_quit_after_frame(&s));
    VT_CHECK(vt_play_next_wake(&s) == 10 * S + 1);

    s = still();
    s.closed = s.was_closed = true;
    s.quit_ns = 10 * S;
    VT_CHECK_INT(vt_play_decide(&s).action, VT_PLAY_QUIT);
    s.quit_ns = 11 * S;
    VT_CHECK_INT(vt_play_decide(&s).action, VT_PLAY_SLEEP);
}

static void test_closed(void) {
    vt_play_state s = still();
    s.closed = true; /* just closed: paint black once */
    vt_play_step st = vt_play_decide(&s);
    VT_CHECK(st.paint_closed);
    VT_CHECK_INT(st.action, VT_PLAY_SLEEP);
    s.was_closed = true; /* still closed: nothing to paint */
    st = vt_play_decide(&s);
    VT_CHECK(!st.paint_closed);
    s.dirty = true; /* exposed while closed: paint again */
    VT_CHECK(vt_play_decide(&s).paint_closed);
    s.dirty = false;
    s.input = true; /* a closed room draws no frame, whatever happened */
    VT_CHECK_INT(vt_play_decide(&s).action, VT_PLAY_SLEEP);

    /* Closed, the loop sleeps until the opening, never for frames, sound or sensor reads. */
    s = still();
    s.closed = s.was_closed = true;
    s.next_frame_ns = 10 * S;
    s.next_sound_ns = 10 * S;
    s.energy_ns = 11 * S;
    s.reopen_ns = 3600 * S;
    VT_CHECK(vt_play_next_wake(&s) == 3600 * S);
    s.chores_ns = 11 * S; /* the ledger's row is written while closed */
    VT_CHECK(vt_play_next_wake(&s) == 11 * S);
    s.chores_ns = NEVER;
    s.watch_ns = 12 * S; /* and a saved scene is reloaded */
    VT_CHECK(vt_play_next_wake(&s) == 12 * S);
    s.watch_ns = NEVER;
    s.quit_ns = 20 * S;
    VT_CHECK(vt_play_next_wake(&s) == 20 * S);
}

/* A scripted visitor wakes a closed room only with wake_on_input. */
static void test_scripted_visitor(void) {
    vt_play_state s = still();
    s.closed = s.was_closed = true;
    s.reopen_ns = 3600 * S;
    s.scripted_ns = 30 * S;
    VT_CHECK(vt_play_next_wake(&s) == 3600 * S); /* without wake_on_input: ignored */
    s.wake_on_input = true;
    VT_CHECK(vt_play_next_wake(&s) == 30 * S);
    VT_CHECK_INT(vt_play_decide(&s).action, VT_PLAY_SLEEP);
    s.now_ns = 30 * S;
    VT_CHECK_INT(vt_play_decide(&s).action, VT_PLAY_WAKE);
    s.wake_on_input = false;
    VT_CHECK_INT(vt_play_decide(&s).action, VT_PLAY_SLEEP);
}

/* A day of a still kiosk on the fake clock: the loop wakes only for what is due. */
static void test_still_day(void) {
    vt_play_state s = still();
    s.now_ns = 0;
    s.chores_ns = 1 * S;     /* a ledger row a second */
    s.reopen_ns = 8 * 3600 * S;
    int wakeups = 0;
    while (s.now_ns < 8 * 3600 * S && wakeups < 100000) {
        int64_t t = vt_play_next_wake(&s);
        VT_CHECK(t > s.now_ns);
        if (t <= s.now_ns) {
            break;
        }
        s.now_ns = t;
        wakeups++;
        if (s.now_ns >= s.chores_ns) {
            s.chores_ns += S;
        }
    }
    VT_CHECK_INT(wakeups, 8 * 3600); /* one a second, for the row, and no more */
}

/* systemd's watchdog and a held OSC message wake the loop still or closed alike: a sleeping
 * show keeps pinging, and a bundle's message is acted on at its time. */
static void test_watchdog_and_remote(void) {
    for (int closed = 0; closed < 2; closed++) {
        vt_play_state s = still();
        s.closed = s.was_closed = closed;
        s.reopen_ns = 3600 * S;
        s.watchdog_ns = 15 * S;
        VT_CHECK(vt_play_next_wake(&s) == 15 * S);
        s.remote_ns = 12 * S;
        VT_CHECK(vt_play_next_wake(&s) == 12 * S);
        /* The room's clock (an entry due, an announcement), closed or still. */
        s.sync_ns = 11 * S;
        VT_CHECK(vt_play_next_wake(&s) == 11 * S);
        s.sync_ns = NEVER;
        /* A day closed with a 30 s watchdog: a wake-up every 15 s, as many as the pings. */
        s.remote_ns = NEVER;
        int wakeups = 0;
        for (s.now_ns = 0; s.now_ns < 24 * 3600 * S; wakeups++) {
            s.watchdog_ns = s.now_ns + 15 * S;
            s.reopen_ns = 24 * 3600 * S;
            s.now_ns = vt_play_next_wake(&s);
        }
        VT_CHECK_INT(wakeups, 24 * 3600 / 15);
    }
}

/* The metrics file is written on time in a still or closed room too: its deadline wakes the
 * loop, once an interval and no more (no busy wait). */
static void test_metrics(void) {
    for (int closed = 0; closed < 2; closed++) {
        vt_play_state s = still();
        s.closed = s.was_closed = closed;
        s.reopen_ns = 24 * 3600 * S;
        s.metrics_ns = 20 * S;
        VT_CHECK(vt_play_next_wake(&s) == 20 * S);
        int wakeups = 0;
        for (s.now_ns = 0; s.now_ns < 3600 * S; wakeups++) {
            s.metrics_ns = s.now_ns + 10 * S;
            s.now_ns = vt_play_next_wake(&s);
        }
        VT_CHECK_INT(wakeups, 360);
    }
}

/* Pointers arrive in window points; on a HiDPI screen the drawable has twice the pixels: a touch
 * on the middle of the window is the middle of the canvas either way, letterboxing included. */
static void test_window_to_canvas(void) {
    double x = 640, y = 360;
    vt_play_window_to_canvas(&x, &y, 1280, 720, 2560, 1440, 1920, 1080);
    VT_CHECK_NEAR(x, 960, 1e-9);
    VT_CHECK_NEAR(y, 540, 1e-9);
    x = 1280, y = 0; /* the top-right corner */
    vt_play_window_to_canvas(&x, &y, 1280, 720, 2560, 1440, 1920, 1080);
    VT_CHECK_NEAR(x, 1920, 1e-9);
    VT_CHECK_NEAR(y, 0, 1e-9);
    /* a 4:3 canvas in a 16:9 HiDPI window: bars left and right (160 points each) */
    x = 160, y = 720;
    vt_play_window_to_canvas(&x, &y, 1280, 720, 2560, 1440, 1024, 768);
    VT_CHECK_NEAR(x, 0, 1e-9);
    VT_CHECK_NEAR(y, 768, 1e-9);
    x = 100, y = 100; /* no HiDPI: points are pixels */
    vt_play_window_to_canvas(&x, &y, 1920, 1080, 1920, 1080, 1920, 1080);
    VT_CHECK_NEAR(x, 100, 1e-9);
    VT_CHECK_NEAR(y, 100, 1e-9);
}

int main(void) {
    test_window_to_canvas();
    test_metrics();
    test_watchdog_and_remote();
    test_open();
    test_open_wake();
    test_quit();
    test_closed();
    test_scripted_visitor();
    test_still_day();
    return vt_test_finish("test_play_decide");
}
