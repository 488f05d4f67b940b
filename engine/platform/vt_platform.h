/* The platform layer: SDL2 window and OpenGL context, input turned into vt_events, and sleeping
 * until a deadline. The only module that includes SDL. */
#ifndef VT_PLATFORM_H
#define VT_PLATFORM_H

#include "core/vt_core.h"

/* vt_event (input, live or scripted) is declared in core/vt_core.h: the scene reacts to it. */

typedef struct vt_window vt_window;

typedef struct vt_window_desc {
    const char *title;
    int width, height; /* window size; 0: 1280x720 */
    bool fullscreen;   /* desktop fullscreen on `monitor`; hides the cursor, no screen saver */
    int monitor;       /* 0-based index of the screen (--display N) */
    bool hidden;       /* no visible window: offline render */
    vt_window *share;  /* draw with this window's GL context (projection outputs: one context,
                          one canvas, one set of textures); NULL: a context of its own */
} vt_window_desc;

/* Starts SDL's video subsystem. Uses the offscreen (EGL) driver when `headless` is true or
 * SDL_VIDEODRIVER says so. */
vt_status vt_platform_init(bool headless, vt_error *err);
void vt_platform_quit(void);

/* Opens a window with an OpenGL context current on the calling thread: 3.3 compatibility
 * profile where the driver offers one (so legacy GLSL compiles), 3.3 core otherwise. */
vt_status vt_window_create(const vt_window_desc *desc, vt_window **out, vt_error *err);
void vt_window_destroy(vt_window *win);
/* After a lost context (a GPU reset): deletes it and makes a new one, current, of the same
 * kind; every GL object must then be made again (vt_renderer_recover). */
vt_status vt_window_renew_context(vt_window *win, vt_error *err);
void vt_window_drawable_size(const vt_window *win, int *w, int *h);
void vt_window_swap(vt_window *win);
/* Makes win's context current on it: what GL draws next goes into this window. */
void vt_window_make_current(vt_window *win);
/* The window's size in window coordinates (those of events), not its drawable pixels. */
void vt_window_size(const vt_window *win, int *w, int *h);
/* A window's id, and the id of the window the last polled event came from (0: none), so that
 * input on several windows can be told apart. */
uint32_t vt_window_id(const vt_window *win);
uint32_t vt_platform_event_window(void);
/* Whether a Shift key is held now (calibration's fine steps). */
bool vt_platform_shift_down(void);
/* How many displays there are; the display named `name` (index breaks a tie), or -1. */
int vt_platform_display_count(void);
int vt_platform_display_find(const char *name, int index);
/* Test hook (play's VITRINE_TEST_DISPLAY_UNPLUG): the last n displays are taken as unplugged
 * by the two functions above (0: none), as when a projector's cable is pulled. */
void vt_platform_pretend_unplugged(int n);
/* Its display gone (monitor < 0): hides the window, which keeps its context. Else puts it
 * back on display `monitor` (fullscreen there when it was) and shows it. */
void vt_window_place(vt_window *win, int monitor);
/* Loader for GL functions of the current context (SDL_GL_GetProcAddress). */
void *vt_window_gl_proc(const char *name);

/* Lets the desktop's screen saver and display power management act (allow = true: outside
 * opening hours, so DPMS off sticks) or inhibits them again (false: the show is on). Needs
 * vt_platform_init; main thread. */
void vt_platform_screensaver_allow(bool allow);

/* Next pending input event without waiting; false when none. Window coordinates in x, y. */
bool vt_platform_poll(vt_window *win, vt_event *ev);
/* Waits for an input event or until the monotonic clock reaches deadline_ns, whichever comes
 * first, sleeping for real (no 1 ms polling); true when an event is pending. */
bool vt_platform_wait(vt_window *win, int64_t deadline_ns);
/* Registers the file descriptors vt_platform_wait also waits on (the file watcher's; OSC and
 * sync sockets), replacing the previous set (none: count 0); registering the same set again
 * costs a comparison, so a loop may register what it waits on at every pass. vt_platform_wait
 * then also returns true when one is readable, and the caller looks at whatever owns it. Call
 * from the thread that waits; register without a descriptor before closing it. A descriptor
 * that fails (closed while registered) is forgotten with a warning. Under drivers that wait in
 * the kernel (x11, wayland) a small helper thread waits on them and wakes SDL with an internal
 * event that vt_platform_poll drops. At most VT_PLATFORM_MAX_FDS. */
#define VT_PLATFORM_MAX_FDS 8
void vt_platform_wait_fds(const int *fds, size_t count);
/* One descriptor, or none with -1. */
void vt_platform_wait_fd(int fd);

/* Reads an event script (`SECONDS key NAME`, `SECONDS click X Y`, `SECONDS touch X Y` (both
 * taps: down and up at once), `SECONDS down|move|up X Y [FINGER]` (a finger, id 0 when not
 * given), `SECONDS scroll X Y NOTCHES`, `SECONDS osc ADDRESS [ARGS]`, `# comment`) into events
 * sorted by time (stable). Problems are
 * added to diags with path:line:col; returns VT_E_NOINPUT (unreadable) or VT_E_DATAERR (errors) or
 * VT_OK. */
vt_status vt_events_load(const char *path, vt_event **out, size_t *out_count, vt_diags *diags);
vt_status vt_events_parse(const char *text, size_t len, const char *path, vt_event **out,
                          size_t *out_count, vt_diags *diags);

#endif
