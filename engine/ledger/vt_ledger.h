/* The energy ledger (`play --energy-log FILE.csv`): one CSV row a second saying what the exhibit
 * did and drew, appended so that a crash loses at most the row being written, rotated at UTC
 * midnight into dated files, and bounded in total size. `vitrine report` reads it (vt_report.h). */
#ifndef VT_LEDGER_H
#define VT_LEDGER_H

#include "core/vt_core.h"

#include <stdbool.h>
#include <stdint.h>

/* The first line of every ledger file; the report refuses files with another header. */
#define VT_LEDGER_HEADER                                                                           \
    "time,state,target_fps,fps,scale,power_w,energy_j,sensor,covers,measured,seconds"
/* The header of files written before the `seconds` column: the report still reads them. */
#define VT_LEDGER_HEADER_V1                                                                        \
    "time,state,target_fps,fps,scale,power_w,energy_j,sensor,covers,measured"
#define VT_LEDGER_DEFAULT_MAX_BYTES (UINT64_C(50) * 1024 * 1024)
#define VT_LEDGER_MIN_MAX_BYTES (UINT64_C(64) * 1024)
#define VT_LEDGER_ROW_MAX 1024 /* bytes in a row, newline included; longer text is cut */
/* The longest text fields the ledger writes, in bytes; longer text is cut at a UTF-8 character
 * boundary. The report keeps fields up to these sizes whole (it cuts longer ones the same way,
 * from files written by hand or by an older version). */
#define VT_LEDGER_STATE_MAX 39 /* a state name */
#define VT_LEDGER_TEXT_MAX 200 /* the sensor spec and what it covers */

/* The state of a marker row written when the wall clock steps (NTP setting it after boot, a
 * dead RTC battery, a suspend): its time is the previous row's instant read on the new clock,
 * so the next row's interval is measured from it; `covers` says by how much the clock moved.
 * Rows are timed with a monotonic clock anchored to the wall clock (vt_ledger_clock), so they
 * never go back in time except right after such a row. Not a state name a scene can have. */
#define VT_LEDGER_CLOCK_STEP "(clock-step)"
/* A state entered by a remote command (OSC `/vitrine/state`), not by a visitor, is written with
 * this prefix ("remote:visit"): the report counts its time as the state's, but not as a visitor's
 * interaction session. */
#define VT_LEDGER_REMOTE "remote:"
/* How far the wall clock may move away from the anchored monotonic clock before it counts as a
 * step (NTP slews smaller errors, and slews both clocks alike). */
#define VT_LEDGER_STEP_NS INT64_C(2000000000)

/* The rows' clock: monotonic time placed on the wall clock by an offset taken at the start and
 * at every step. Zero-initialise. */
typedef struct vt_ledger_clock {
    int64_t offset_ns; /* wall - monotonic */
    bool anchored;
} vt_ledger_clock;

/* The wall-clock time (ns since 1970) of the monotonic instant mono_ns, given wall_ns read at the
 * same moment. The first call anchors; later calls use the anchor unless the wall clock moved
 * more than VT_LEDGER_STEP_NS from it, which re-anchors and returns the step (wall - anchored
 * time, negative when set back) in *step_ns; else *step_ns is 0. */
int64_t vt_ledger_clock_place(vt_ledger_clock *c, int64_t mono_ns, int64_t wall_ns,
                              int64_t *step_ns);

/* Creation parameters; zero means "default". */
typedef struct vt_ledger_desc {
    const char *path;    /* today's file, "FILE.csv"; earlier days go to "FILE-YYYY-MM-DD.csv" */
    uint64_t max_bytes;  /* the current and rotated files together; 0: 50 MiB; at least 64 KiB.
                            Beyond it the oldest rotated files are deleted. */
    unsigned sync_every; /* fdatasync(2) after this many rows (power cuts); 0: 60 */
    const char *header;  /* another log's first line, written with vt_ledger_write_line (the
                            proof-of-play log); NULL: VT_LEDGER_HEADER */
    const char *what;    /* what messages call it; NULL: "energy log" */
} vt_ledger_desc;

/* One second of the show. Strings may be NULL (written empty). */
typedef struct vt_ledger_row {
    int64_t utc;       /* the end of the second it covers, seconds since 1970 (UTC) */
    const char *state; /* "attract", "active", "closed" or the scene's own state name */
    int target_fps;    /* the governor's frame rate; 0 while closed */
    double fps;        /* frames actually drawn a second over the row's interval */
    double scale;      /* render scale; 0 while closed */
    double power_w;    /* mean power over the interval; written when has_power */
    double energy_j;   /* energy since the first row of this run; written when has_energy */
    bool has_power, has_energy;
    const char *sensor; /* the sensor spec ("rapl", "auto"...) */
    const char *covers; /* what it covers (vt_sensor_covers) */
    bool estimated;     /* the model's estimate rather than a measurement */
    /* The time power_w covers: the interval between the two sensor readings the row's figures
     * come from, so that power_w x seconds is the row's step of energy_j. Not exactly 1 s
     * under load (rows are written when the loop gets to them, readings taken at the
     * governor's pace). Written when has_power (and > 0). */
    double seconds;
} vt_ledger_row;

typedef struct vt_ledger vt_ledger;

/* Opens (or creates) desc->path for appending. An existing file keeps its rows: zero bytes left
 * at its end by a power cut and a last row cut by a crash are truncated away first; a file
 * from an earlier UTC day is rotated now; a file that is not a ledger (another header) is moved
 * aside to a dated name, never overwritten.
 * A missing folder is made (again at a later re-open, if it was removed).
 * VT_E_USAGE for a bad desc, VT_E_CANTCREAT when the file cannot be opened (the folder cannot
 * be made or is not writable). */
vt_status vt_ledger_open(const vt_ledger_desc *desc, vt_ledger **out, vt_error *err);

/* Appends the marker row of a clock step (VT_LEDGER_CLOCK_STEP): `utc` is the previous row's
 * instant on the new clock, step_ns how far the clock moved. Errors as vt_ledger_write. */
vt_status vt_ledger_write_step(vt_ledger *l, int64_t utc, int64_t step_ns, vt_error *err);

/* Appends one row in a single write(2): a row is in the file whole or not at all (a short write
 * is truncated back). Rotates first when row->utc is on a later UTC day than the file's rows.
 * On failure (disk full, file removed, folder read-only) returns VT_E_IOERR and the row is lost;
 * the next call tries again (re-opening the file at most every few seconds). */
vt_status vt_ledger_write(vt_ledger *l, const vt_ledger_row *row, vt_error *err);

/* Appends one line of another log (desc->header): line[len] must end with its only newline,
 * be at most VT_LEDGER_ROW_MAX bytes and start with its UTC date (YYYY-MM-DD), the day it is
 * rotated by; `utc` is its time. The same atomicity, rotation, bound and errors as
 * vt_ledger_write. */
vt_status vt_ledger_write_line(vt_ledger *l, int64_t utc, const char *line, size_t len,
                               vt_error *err);

/* true while the latest write failed: the caller warns once, and again when it recovers. */
bool vt_ledger_failing(const vt_ledger *l);

/* The row as written (newline included) into buf; returns its length. */
size_t vt_ledger_format(const vt_ledger_row *row, char *buf, size_t cap);

/* The dated name of the file holding UTC day `day` (days since 1970-01-01): "FILE.csv" gives
 * "FILE-YYYY-MM-DD.csv" (free() it). */
char *vt_ledger_dated_path(const char *path, int32_t day);

/* Syncs and closes; NULL does nothing. */
void vt_ledger_close(vt_ledger *l);

#endif
