/* Core services every module shares: status codes, errors as values, positioned diagnostics,
 * logging, time in integer ticks and small string helpers. */
#ifndef VT_CORE_H
#define VT_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define VT_VERSION "0.1.0"

/* Status codes double as process exit codes (sysexits.h). */
typedef enum vt_status {
    VT_OK = 0,
    VT_E_USAGE = 64,     /* bad command line */
    VT_E_DATAERR = 65,   /* invalid scene or input file */
    VT_E_NOINPUT = 66,   /* input file missing or unreadable */
    VT_E_SOFTWARE = 70,  /* internal error: GL, out of memory, broken invariant */
    VT_E_CANTCREAT = 73, /* cannot create an output file or folder */
    VT_E_IOERR = 74,     /* error while writing output */
} vt_status;

/* An error as a value: what went wrong, for people, and where in the engine it was raised. */
typedef struct vt_error {
    vt_status status;
    char message[1024];
    const char *src_file;
    int src_line;
} vt_error;

void vt_error_setf(vt_error *err, vt_status status, const char *src_file, int src_line,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Fills *err (which may be NULL) and evaluates to the status. */
#define VT_FAIL(err, status, ...)                                                                  \
    (vt_error_setf((err), (status), __FILE__, __LINE__, __VA_ARGS__), (status))

/* ---- Positioned diagnostics (scene files, event scripts, configs) ---- */

typedef enum vt_diag_level { VT_DIAG_ERROR, VT_DIAG_WARNING } vt_diag_level;

typedef struct vt_diag {
    vt_diag_level level;
    char *path; /* the file as the user named it */
    int line;   /* 1-based; 0 when the message is about the whole file */
    int col;    /* 1-based; 0 when unknown */
    char *message;
} vt_diag;

typedef struct vt_diags {
    vt_diag *items;
    size_t count, cap;
    size_t errors, warnings;
} vt_diags;

void vt_diags_add(vt_diags *d, vt_diag_level level, const char *path, int line, int col,
                  const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void vt_diags_addv(vt_diags *d, vt_diag_level level, const char *path, int line, int col,
                   const char *fmt, va_list ap);
/* Orders by path, line, column (stable), so messages read top to bottom. */
void vt_diags_sort(vt_diags *d);
/* One line each: "path:line:col: error: message" (line/col left out when 0), the first
 * VT_DIAGS_PRINT_MAX of them, then one line counting the rest: a hostile file can produce tens
 * of thousands, and the first ones are the ones to fix. */
#define VT_DIAGS_PRINT_MAX 100
void vt_diags_print(const vt_diags *d, FILE *out);
void vt_diags_free(vt_diags *d);

/* ---- Logging: one line per message, naming the module it comes from ---- */

typedef enum vt_log_level {
    VT_LOG_DEBUG,
    VT_LOG_INFO,
    VT_LOG_WARN,
    VT_LOG_ERROR,
    VT_LOG_QUIET
} vt_log_level;

/* The log's threshold is set once at start-up (the only process-wide setting besides the
 * context); messages go to stderr as "vitrine: module: warning: text". */
void vt_log_set_level(vt_log_level level);
vt_log_level vt_log_get_level(void);
/* Lines start with their syslog priority ("<3>" errors, "<4>" warnings, "<6>" info, "<7>"
 * debug), for the journal (`play` under systemd); off by default. */
void vt_log_set_priorities(bool on);
void vt_log(vt_log_level level, const char *module, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- Time: integer ticks, exact for every common frame rate and audio rate ---- */

typedef int64_t vt_ticks;
/* 705,600,000 ticks a second ("flicks"): divisible by 24, 25, 30, 48, 50, 60, 90, 100, 120,
 * 144, 240, 44100 and 48000, so frame and sample times are exact integers. */
#define VT_TICKS_PER_SEC INT64_C(705600000)

/* Ticks of frame `index` at `fps` frames a second, rounded down (exact when fps divides
 * VT_TICKS_PER_SEC). */
vt_ticks vt_ticks_of_frame(int64_t index, int fps);
/* Seconds to ticks, rounded to the nearest tick; saturates at +-INT64_MAX (NaN gives 0). */
vt_ticks vt_ticks_from_seconds(double seconds);
double vt_ticks_to_seconds(vt_ticks t);
/* Monotonic clock in nanoseconds, for pacing and measurements (never for scene time in render). */
int64_t vt_now_ns(void);
/* Sleeps until the monotonic clock reaches deadline_ns (returns early on a signal). */
void vt_sleep_until_ns(int64_t deadline_ns);

/* ---- Input events: live (platform) or scripted (--events); the scene reacts to them ---- */

typedef enum vt_event_type {
    VT_EVENT_NONE,
    VT_EVENT_QUIT,   /* window closed, SIGINT/SIGTERM */
    VT_EVENT_KEY,    /* key pressed: name is SDL's key name, lower-cased ("space", "a") */
    VT_EVENT_CLICK,  /* mouse button pressed at x, y (canvas pixels): the mouse pointer down */
    VT_EVENT_TOUCH,  /* finger down at x, y (canvas pixels): pointer `pointer` down */
    VT_EVENT_RESIZE, /* the drawable size changed */
    VT_EVENT_EXPOSE, /* the window must be redrawn */
    VT_EVENT_OSC,    /* an OSC message (event scripts): name is its address, args the rest */
    VT_EVENT_MOVE,   /* pointer `pointer`, down, moved to x, y (the mouse: with a button held) */
    VT_EVENT_UP,     /* pointer `pointer` went up at x, y */
    VT_EVENT_SCROLL, /* mouse wheel over x, y: dy notches, positive toward the visitor (the
                        content moves up, as a web page scrolls down), dx likewise to the right */
} vt_event_type;

/* The mouse's pointer id; fingers have SDL's finger ids (>= 0), scripts' ids are >= 0. */
#define VT_POINTER_MOUSE (-1)

typedef struct vt_event {
    vt_event_type type;
    vt_ticks time;   /* scene time at which it applies (event scripts); 0 for live input */
    char name[32];   /* key name; OSC: the address */
    char args[96];   /* OSC: its arguments as written in the script, space-separated */
    double x, y;     /* canvas pixels (pointer events); window pixels before mapping */
    double dx, dy;   /* scroll: wheel notches */
    int64_t pointer; /* click, touch, move, up: which pointer (VT_POINTER_MOUSE, a finger id) */
    bool tap;        /* click, touch: down and up at once (a script's `touch`/`click` line) */
    int line;        /* event scripts: the line it came from */
} vt_event;

/* ---- Small helpers ---- */

/* Allocation that aborts on exhaustion: out-of-memory is not a recoverable state here. */
void *vt_xmalloc(size_t n);
void *vt_xcalloc(size_t n, size_t size);
void *vt_xrealloc(void *p, size_t n);
char *vt_xstrdup(const char *s);
char *vt_xstrndup(const char *s, size_t n);
char *vt_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Edit distance (insertions, deletions, substitutions, adjacent swaps), for "did you mean". */
size_t vt_edit_distance(const char *a, const char *b);
/* The candidate closest to `word` when it is close enough to be a likely typo, else NULL. */
const char *vt_did_you_mean(const char *word, const char *const *candidates, size_t count);

/* ---- Growable arrays ---- */

/* Makes room for one more item in an array of `count` items with room for *cap: when it is
 * full, *cap doubles (to `first` from 0) and the array is reallocated (aborting on overflow or
 * when memory runs out, like vt_xrealloc). Returns the array. Use it through VT_GROW. */
void *vt_grow(void *items, size_t count, size_t *cap, size_t first, size_t item_size);
/* VT_GROW(arr, count, cap, first): before arr[count++] = x, with arr a typed pointer. */
#define VT_GROW(items, count, cap, first)                                                          \
    ((items) = vt_grow((items), (count), &(cap), (first), sizeof *(items)))

/* ---- Small value types shared by every module ---- */

typedef struct vt_vec2 {
    double x, y;
} vt_vec2;

/* 8-bit sRGB-encoded colour, straight alpha. */
typedef struct vt_color {
    uint8_t r, g, b, a;
} vt_color;

#endif
