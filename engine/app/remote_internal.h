/* Private to the app module: remote control (remote.c). OSC messages turned into commands for
 * the play loop, checked against the running scene, and the status reply. Pure: no socket, no
 * clock; cmd_play.c polls the server and applies what these functions decide. */
#ifndef VT_REMOTE_INTERNAL_H
#define VT_REMOTE_INTERNAL_H

#include "remote/vt_osc.h"
#include "remote/vt_pjlink.h"
#include "scene/vt_scene.h"

typedef enum vt_remote_kind {
    VT_REMOTE_ACTION,  /* play, stop, pause, resume, seek, state, set, language: `action` */
    VT_REMOTE_BUDGET,  /* `watts` (0: back to the configured budget) */
    VT_REMOTE_RELOAD,  /* the scene and the operator config, as SIGHUP */
    VT_REMOTE_INPUT,   /* a visitor (presence sensor, door contact) */
    VT_REMOTE_STATUS,  /* reply /vitrine/reply/status */
    VT_REMOTE_FOREIGN, /* an address outside /vitrine/: for the scene's osc triggers */
    VT_REMOTE_REFUSED, /* a /vitrine/ command that cannot be done: `error` says why */
} vt_remote_kind;

typedef struct vt_remote_cmd {
    vt_remote_kind kind;
    vt_action action;
    double watts;
    char error[256];
} vt_remote_cmd;

/* What `msg` asks of a show playing `sc`. */
vt_remote_kind vt_remote_decode(const vt_scene *sc, const vt_osc_msg *msg, vt_remote_cmd *out);

/* A projection output as /vitrine/status reports it. */
typedef struct vt_remote_output {
    const char *id;
    const char *display_name; /* the display asked for by name; NULL: by index */
    int display;              /* by index: that index (given, else its place in the list) */
    bool present;             /* that display is there */
    int width, height;        /* its window's size in pixels, else the size it opens at */
    bool open;                /* its window is open (frames are drawn on it) */
} vt_remote_output;

/* The figures /vitrine/status reports. */
typedef struct vt_remote_status {
    const char *scene;
    const char *state; /* the state's name, or "closed" */
    int target_fps;
    double fps, scale, power_w, energy_j, energy_wh_today, uptime_s;
    const char *last_error; /* NULL: none */
    vt_osc_stats osc;
    const vt_pjlink_status *projectors; /* the config's PJLink projectors, their latest status */
    size_t projector_count;
    const vt_remote_output *outputs; /* the projection outputs, when there are any */
    size_t output_count;
} vt_remote_status;

/* The status as one JSON object (free() it). */
char *vt_remote_status_json(const vt_remote_status *st);
/* The reply message (/vitrine/reply/status with the JSON string) into out[cap]: its length, 0
 * when it does not fit. */
size_t vt_remote_status_reply(const char *json, uint8_t *out, size_t cap);

#endif
