/* The play loop's decisions (play_internal.h): pure functions, no clock, no I/O. */
#include "app/play_internal.h"

vt_play_step vt_play_decide(const vt_play_state *s) {
    if (s->closed) {
        vt_play_step step = {.paint_closed = !s->was_closed || s->dirty, .action = VT_PLAY_SLEEP};
        if (s->now_ns >= s->quit_ns) {
            step.action = VT_PLAY_QUIT;
        } else if (s->wake_on_input && s->now_ns >= s->scripted_ns) {
            step.action = VT_PLAY_WAKE; /* the event itself is applied once open */
        }
        return step;
    }
    bool due = s->dirty || s->input || s->now_ns >= s->next_frame_ns;
    return (vt_play_step){.action = due ? VT_PLAY_FRAME : VT_PLAY_SOUND};
}

bool vt_play_quit_after_frame(const vt_play_state *s) {
    return s->now_ns >= s->quit_ns;
}

int64_t vt_play_next_wake(const vt_play_state *s) {
    vt_wake w = {INT64_MAX};
    vt_wake_at(&w, s->quit_ns);
    vt_wake_at(&w, s->watch_ns);
    vt_wake_at(&w, s->chores_ns);
    vt_wake_at(&w, s->reopen_ns); /* the hours change: closing time is met on time too */
    vt_wake_at(&w, s->remote_ns);
    vt_wake_at(&w, s->sync_ns);     /* the room's clock keeps its appointments, closed or still */
    vt_wake_at(&w, s->watchdog_ns); /* closed or still: a sleeping loop still answers systemd */
    vt_wake_at(&w, s->metrics_ns);  /* closed or still: the fleet sees a sleeping exhibit too */
    if (s->closed) {
        if (s->wake_on_input) {
            vt_wake_at(&w, s->scripted_ns);
        }
        return w.at_ns;
    }
    vt_wake_at(&w, s->next_frame_ns);
    vt_wake_at(&w, s->next_sound_ns);
    vt_wake_at(&w, s->energy_ns); /* still: the idle floor's 1 Hz reads */
    return w.at_ns;
}

void vt_play_window_to_canvas(double *x, double *y, int window_w, int window_h, int drawable_w,
                              int drawable_h, double canvas_w, double canvas_h) {
    if (window_w > 0 && window_h > 0 && drawable_w > 0 && drawable_h > 0) {
        *x *= (double)drawable_w / window_w; /* points to drawable pixels */
        *y *= (double)drawable_h / window_h;
    }
    double dw = drawable_w > 0 ? drawable_w : 1, dh = drawable_h > 0 ? drawable_h : 1;
    double sx = dw / canvas_w, sy = dh / canvas_h;
    double s = sx < sy ? sx : sy;
    *x = (*x - (dw - canvas_w * s) / 2) / s;
    *y = (*y - (dh - canvas_h * s) / 2) / s;
}
