/* The state of `vitrine play`'s loop, shared by the files that make up the command:
 * cmd_play.c (start-up, the loop's steps, drawing) and play_remote.c (remote control over OSC,
 * its status reply and the projectors). Only these files include it. */
#ifndef VT_PLAY_LOOP_INTERNAL_H
#define VT_PLAY_LOOP_INTERNAL_H

#include "app/app_internal.h"
#include "app/energy_log_internal.h"
#include "app/metrics_internal.h"
#include "app/notify_internal.h"
#include "app/play_sync_internal.h"
#include "app/proof_of_play_internal.h"
#include "app/remote_internal.h"
#include "platform/vt_watch.h"
#include "remote/vt_osc.h"

#include <stdio.h>

typedef struct play_loop {
    const vt_options *opts;
    vt_show show;
    vt_window *win;
    vt_play_outputs outputs; /* projection outputs: a window each (win is their main one) */
    vt_calib calib;          /* --calibrate: editing the outputs with keys */
    vt_watch *watch;         /* NULL when hot reload is unavailable */
    vt_config config;
    vt_settings settings; /* flag, else config, else scene: resolved at start and each reload */
    vt_energy_session energy;
    vt_energy_log log;              /* --energy-log: one row a second */
    vt_display_power display_power; /* outside_hours: display-off */
    vt_proof_of_play record;        /* proof_of_play.log: what played when */
    bool input;                     /* a visitor acted since the last frame */
    bool closed;                    /* outside opening hours: nothing is drawn */
    int64_t reopen_ns;      /* monotonic time of the next opening-hours change; INT64_MAX: none */
    bool hours_seen;        /* check_hours has looked once (the start) */
    int64_t woken_until_ns; /* wake_on_input: open until then although outside hours */
    int64_t start_ns;
    int64_t quit_ns;       /* INT64_MAX: never */
    int64_t next_frame_ns; /* pacing while animating */
    int64_t next_sound_ns; /* the sound needs an update then, even without a frame */
    bool audio_opened;     /* open_audio has run (just after the first frame) */
    bool dirty;            /* the window must be redrawn */
    bool quit;
    bool gpu_failed; /* a lost context could not be made again: exit 70 */
    bool fallback;   /* the scene could not be loaded at start: the config's fallback_image is
                        shown, and the scene file is watched so that a fixed scene starts */
    uint64_t frames_drawn, reloads;
    int64_t retry_ns;      /* an image could not be decoded at reload: try again then (INT64_MAX) */
    int retries;           /* tries since the last change of the files */
    vt_osc_server *osc;    /* remote control (--osc-port, osc:); NULL: off */
    double remote_budget;  /* /vitrine/budget W: wins until the next restart; 0: none */
    uint32_t remote_state; /* the state a remote /vitrine/state entered, until the state changes
                              otherwise (the ledger marks it: no visitor); UINT32_MAX: none */
    char last_error[1024]; /* the latest problem, for /vitrine/status; "": none */
    vt_notify notify;      /* systemd: READY, STATUS, WATCHDOG */
    int64_t fps_t0_ns;     /* the measured frame rate: frames since then */
    uint64_t fps_frames0;
    double fps;
    int64_t day;        /* the day energy_wh_today counts (days since 1970, UTC) */
    double day_joules0; /* the energy session's total when that day began here */
    vt_metrics metrics; /* metrics.file: the fleet's Prometheus text file */
    /* Test hooks (environment, read at start; never for operators): VT_TEST_CAPTURE=DIR writes
     * each drawn picture at the size it was drawn (the governed scale) as DIR/play_N.png, with
     * a line "N ticks width height fps scale" in DIR/frames.txt (scene time in ticks, the
     * governor's setting); VT_TEST_FRAME_DELAY_MS=N sleeps N ms after each drawn frame (a
     * loop slowed as under load). */
    const char *capture_dir;
    FILE *capture_list;
    vt_frame_pixels capture;
    int64_t frame_delay_ns;
    int64_t gl_reset_ns;       /* VITRINE_TEST_GL_RESET=S: a context loss pretended S s after the
                                  first frame (llvmpipe never resets); INT64_MAX: none */
    int64_t gl_reset_after_ns; /* that S, until the first frame; -1: none */
    /* VITRINE_TEST_DISPLAY_UNPLUG=A:B: the last display pretended unplugged A s after the first
     * frame, back B s after it (INT64_MAX: done); A and B kept until the first frame (-1: none) */
    int64_t unplug_ns, replug_ns;
    double unplug_after_s, replug_after_s;
    /* A single fullscreen window's display went away. */
    bool display_lost;
    FILE *frame_log; /* VT_TEST_FRAME_LOG=FILE: "TICK STATE SHARED_CLOCK_NS" per frame drawn */
    /* VT_TEST_FULL_REDRAW=1: every frame drawn whole, without damage tracking. */
    bool full_redraw;
    /* In step with other machines (`sync:`, docs/sync.md); NULL: alone. Scene time is then the
     * shared clock since the leader's epoch, frames are drawn on its grid, and every input
     * (live, OSC or scripted: the script's times count from the start) goes to the leader. */
    vt_play_sync *sync;
    int64_t scene0_ns; /* monotonic time of scene tick 0: start_ns, or the epoch's */
    vt_event *script;  /* sync: the event script, applied as live input */
    size_t script_count, script_next;
    int target_w, target_h; /* the canvas's target (with outputs: at their density) */
} play_loop;

/* cmd_play.c */
vt_ticks vt_play_scene_now(const play_loop *p);          /* the show's time now */
const vt_schedule *vt_play_schedule(const play_loop *p); /* the opening hours in force */
void vt_play_resolve_settings(play_loop *p);             /* flags, else config, else scene */
void vt_play_wake_for_visitor(play_loop *p);             /* closed with wake_on_input: open */
const char *vt_play_state_name(const play_loop *p);      /* the state, or "closed" */

/* play_reload.c */
void vt_play_watch_scene_files(play_loop *p);           /* the scene and every file it names */
void vt_play_start_watching(play_loop *p);              /* hot reload on, or a warning */
void vt_play_reload(play_loop *p);                      /* the scene again (kept when broken) */
vt_status vt_play_load_config(play_loop *p);            /* the operator config, problems printed */
void vt_play_reload_all(play_loop *p, const char *why); /* the config, then the scene */

/* play_test_hooks.c */
void vt_play_test_hooks_start(play_loop *p); /* VT_TEST_* and VITRINE_TEST_* variables */
/* VT_TEST_CAPTURE: the picture just drawn, at its size, and what it was drawn at. */
void vt_play_capture(play_loop *p, vt_ticks now, double scale);

/* play_remote.c */
/* The figures /vitrine/status replies and the metrics file holds. */
vt_remote_status vt_play_status_now(play_loop *p, int64_t now_ns, bool *has_power);
/* The projection outputs as the status reports them, into out[VT_OUTPUT_MAX]: their count. */
size_t vt_play_status_outputs(const play_loop *p, vt_remote_output *out);
void vt_play_remote_poll(play_loop *p);      /* the OSC messages due now */
void vt_play_start_remote(play_loop *p);     /* listen for OSC, if the settings say so */
void vt_play_start_projectors(play_loop *p); /* the config's PJLink projectors */
/* After a reload of the config: a changed `projectors` list is talked to from now on (the old
 * thread stopped, the new one started and powered as the room is). */
void vt_play_reload_projectors(play_loop *p, const vt_config *old);

#endif
