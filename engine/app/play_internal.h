/* The play loop's decisions, as pure functions of what the loop knows and the time: what to do
 * at this wake-up (quit, paint the closed room black, let a scripted visitor wake it, draw a
 * frame or only serve the sound) and until when to sleep. No clock is read and nothing is
 * drawn here: cmd_play.c gathers the state, acts, and sleeps; tests/test_play_decide.c drives
 * these functions with a fake clock. */
#ifndef VT_PLAY_INTERNAL_H
#define VT_PLAY_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

/* Every time is monotonic ns; INT64_MAX: never. */
typedef struct vt_play_state {
    int64_t now_ns;
    bool closed;     /* outside opening hours, after this wake-up's look at the hours */
    bool was_closed; /* ... and before it */
    bool dirty;      /* the window must be redrawn (expose, resize, reload, opening) */
    bool input;      /* a visitor acted since the last frame */
    bool wake_on_input;
    int64_t quit_ns;       /* --quit-after */
    int64_t next_frame_ns; /* pacing while something animates */
    int64_t next_sound_ns; /* the sound needs an update then, without a frame */
    int64_t energy_ns;     /* the energy session's next sensor read */
    int64_t watch_ns;    /* the file watcher's quiet period ends, or a refused reload is retried */
    int64_t chores_ns;   /* the ledger's next row, display commands, brightness writes */
    int64_t reopen_ns;   /* the opening hours change (or a woken room falls asleep) */
    int64_t scripted_ns; /* the next scripted visitor (--events) */
    int64_t remote_ns;   /* an OSC message held for its bundle's timetag is due */
    int64_t sync_ns;     /* sync: an entry is due, or the group's next announcement or join */
    int64_t watchdog_ns; /* systemd's watchdog wants its next ping */
    int64_t metrics_ns;  /* the metrics file is due (metrics.file) */
} vt_play_state;

typedef enum vt_play_action {
    VT_PLAY_QUIT,  /* closed: --quit-after has passed */
    VT_PLAY_WAKE,  /* closed: a scripted visitor is due and wakes the room (wake_on_input) */
    VT_PLAY_SLEEP, /* closed: nothing more to do but sleep */
    VT_PLAY_FRAME, /* open: advance the show, draw if the picture changed, update the sound */
    VT_PLAY_SOUND, /* open: no frame due, only the sound's update */
} vt_play_action;

typedef struct vt_play_step {
    bool paint_closed; /* closed, newly or with the window to redraw: paint it black, silence */
    vt_play_action action;
} vt_play_step;

/* What to do at this wake-up. Open, the frame (when due) comes first and
 * vt_play_quit_after_frame then says whether to quit, so that even --quit-after 0 shows the
 * first frame. */
vt_play_step vt_play_decide(const vt_play_state *s);
/* Open, after the frame or sound update: has --quit-after passed? */
bool vt_play_quit_after_frame(const vt_play_state *s);

/* One shared next-wake deadline, lowered by each step of the loop. */
typedef struct vt_wake {
    int64_t at_ns;
} vt_wake;
static inline void vt_wake_at(vt_wake *w, int64_t t_ns) {
    if (t_ns < w->at_ns) {
        w->at_ns = t_ns;
    }
}

/* Until when to sleep after acting: the next change of the hours, quit, file change, chore,
 * held OSC message, watchdog ping or metrics file (still or closed alike);
 * closed, also a scripted visitor (with wake_on_input); open, also the next frame, sound update
 * and sensor read. The caller also wakes for input and the watcher's descriptor. */
int64_t vt_play_next_wake(const vt_play_state *s);

/* A pointer at (x, y) in window coordinates (those of events: points, not the drawable's pixels
 * on a HiDPI screen) to canvas pixels, the canvas letterboxed in the middle of the window as it
 * is drawn. */
void vt_play_window_to_canvas(double *x, double *y, int window_w, int window_h, int drawable_w,
                              int drawable_h, double canvas_w, double canvas_h);

#endif
