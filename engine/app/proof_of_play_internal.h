/* Private to the app module: the proof-of-play log of `play` (proof_of_play.c): what the show
 * played when, for curators, one CSV line per change, beside the energy ledger and with its
 * rotation and durability (vt_ledger_write_line). */
#ifndef VT_PROOF_OF_PLAY_INTERNAL_H
#define VT_PROOF_OF_PLAY_INTERNAL_H

#include "app/app_internal.h"
#include "ledger/vt_ledger.h"

#define VT_PROOF_OF_PLAY_HEADER "time,event,id,detail"

typedef struct vt_proof_of_play {
    vt_ledger *ledger; /* NULL: not recording */
    const vt_scene *scene;
    bool *playing;          /* per timeline, at the last look */
    bool *heard;            /* per sound */
    vt_sound_state *sounds; /* the player's, per sound (room for vt_player_sounds) */
    uint64_t *epochs;       /* per sound: its epoch at the last look (a restart changes it) */
    uint32_t state, language;
    bool closed, failing;
} vt_proof_of_play;

/* The config's proof_of_play.log (nothing to do without it). A file that cannot be opened is an
 * error (VT_E_CANTCREAT), as for the energy log. */
vt_status vt_proof_of_play_start(vt_proof_of_play *pp, const vt_config *cfg, vt_error *err);
/* A scene starts playing: `why` is "start", "reload" or "fallback" (the fallback image). The
 * timelines and sounds playing from the start are written at the next vt_proof_of_play_look. */
void vt_proof_of_play_scene(vt_proof_of_play *pp, const vt_show *show, const char *why);
/* After each update of the show: writes what changed since the last look (the state, closed,
 * the language, timelines started and ended, sounds started and stopped). No allocation. */
void vt_proof_of_play_look(vt_proof_of_play *pp, const vt_show *show, bool closed);
/* Writes the end of the show and closes the file. */
void vt_proof_of_play_stop(vt_proof_of_play *pp);
/* Tests: the wall clock the lines are timed by (NULL: CLOCK_REALTIME). */
void vt_proof_of_play_set_wall_clock(int64_t (*wall_ns)(void));

#endif
