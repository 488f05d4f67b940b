/* Private to the app module: `play` in step with other machines (play_sync.c, docs/sync.md).
 * The protocol around engine/sync: the leader announces the epoch, orders every input into the
 * log and answers joins; a follower forwards its inputs to the leader, fills its log from the
 * group and asks for what it lacks; both answer pings (sync-status). cmd_play.c applies the
 * log's entries at their ticks and draws on the shared clock's frame grid. */
#ifndef VT_PLAY_SYNC_INTERNAL_H
#define VT_PLAY_SYNC_INTERNAL_H

#include "core/vt_core.h"
#include "sync/vt_sync.h"

typedef struct vt_play_sync vt_play_sync;

/* Opens the group's socket; a leader starts the show's epoch now (entry 0: a restart at tick
 * 0) and announces it, a follower asks for it. fps: the frame grid inputs are applied on. */
vt_status vt_play_sync_start(const vt_sync_desc *d, int fps, vt_play_sync **out, vt_error *err);
void vt_play_sync_stop(vt_play_sync *s);
int vt_play_sync_fd(const vt_play_sync *s);
/* Reads the group (bounded), answers, and sends what is due (announcements, joins). */
void vt_play_sync_poll(vt_play_sync *s);
/* The show's epoch on the shared clock: false until one is known (a follower alone). */
bool vt_play_sync_epoch(const vt_play_sync *s, int64_t *epoch_ns);
/* The shared clock now. */
int64_t vt_play_sync_now(const vt_play_sync *s);
/* An input of this machine (an OSC message: a /vitrine/ command, the scene's own address, or
 * /vitrine/sync/key, click, touch) for the leader to order. */
void vt_play_sync_submit(vt_play_sync *s, const uint8_t *msg, size_t len);
/* The next entry due at tick `now`, in order (NULL: none); apply it, then call
 * vt_play_sync_applied. *rewind: an entry came after its tick was drawn here, the show must be
 * rebuilt from the last restart (the log is rewound; the next entry due is that restart). */
const vt_sync_entry *vt_play_sync_due(vt_play_sync *s, vt_ticks now, bool *rewind);
void vt_play_sync_applied(vt_play_sync *s);
/* The show was evaluated at tick t in state `state` (0: attract): the leader starts the show
 * over on every machine when the room returns to attract. */
void vt_play_sync_evaluated(vt_play_sync *s, vt_ticks t, uint32_t state);
/* When the loop must wake for the group, on the shared clock (INT64_MAX: never). */
int64_t vt_play_sync_deadline(const vt_play_sync *s);
/* The clock offset, for the metrics: false alone; else *leader, and *offset_s this machine's
 * shared clock minus the leader's, smoothed (a leader: 0; a follower not measured yet: NaN).
 * A follower pings its leader every second, as sync-status does (vt_sync_offset). */
bool vt_play_sync_offset(const vt_play_sync *s, bool *leader, double *offset_s);
/* The measured figures, for the log and the status. */
vt_sync_stats vt_play_sync_stats(const vt_play_sync *s);
/* A visitor's gesture as the message forwarded: /vitrine/sync/key NAME, click X Y, touch X Y
 * (canvas pixels). Its length, 0 for other events. */
size_t vt_play_sync_event_msg(const vt_event *ev, uint8_t *out, size_t cap);

#endif
