/* The SDL2 side of the platform layer: video start-up, the window and its OpenGL context, input
 * turned into vt_events, and sleeping until a deadline (or input, or a readable fd) without
 * polling. */
#define _GNU_SOURCE /* dl_iterate_phdr, RTLD_NODELETE, ppoll, pipe2 */
#include "platform/vt_platform.h"

#include <SDL.h>
#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct vt_window {
    SDL_Window *window;
    SDL_GLContext gl;
    bool shared; /* the context belongs to another window (vt_window_desc.share) */
};

/* The window of the last event vt_platform_poll returned (SDL's window id; 0: none). */
static Uint32 last_event_window;

/* Longest sleep between two looks at the event queue when the video driver cannot wait on its
 * own. SIGINT/SIGTERM (turned into SDL_QUIT by SDL) interrupt the sleep at once (Linux delivers
 * a process-directed signal to the main thread when it does not block it), so the slice is only
 * a safety net: long, because each wake-up costs CPU on an idle kiosk. */
#define VT_PLATFORM_SLICE_NS INT64_C(1000000000)

/* The extra descriptors vt_platform_wait also waits on (vt_platform_wait_fds), and the helper
 * thread that turns their readiness into an SDL event under drivers whose wait SDL does in the
 * kernel on its own descriptors. File-level state because what it feeds, SDL's event queue and
 * signal handling, exists once per process. */
typedef struct platform_wake {
    int fds[VT_PLATFORM_MAX_FDS]; /* registered descriptors */
    size_t fd_count;
    Uint32 event;         /* SDL event type the helper pushes; 0 until registered */
    pthread_mutex_t lock; /* guards armed and stop */
    pthread_cond_t cond;  /* signals armed and stop */
    bool armed;           /* the main thread will wait: wake it once when a fd is readable */
    bool stop;            /* the helper must end */
    bool running;         /* the helper thread exists */
    pthread_t thread;     /* the helper */
    int stop_pipe[2];     /* makes the helper's poll() return when it must stop */
} platform_wake;

static platform_wake wake = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .cond = PTHREAD_COND_INITIALIZER,
    .stop_pipe = {-1, -1},
};

vt_status vt_platform_init(bool headless, vt_error *err) {
    if (headless) {
        /* Override: a headless run must never open a window, whatever the environment says. */
        SDL_SetHintWithPriority(SDL_HINT_VIDEODRIVER, "offscreen", SDL_HINT_OVERRIDE);
    }
    /* A touch must not also arrive as a click, nor a click as a touch: triggers would fire
     * twice. */
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
    SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        return VT_FAIL(err, VT_E_SOFTWARE, "cannot start the video system: %s", SDL_GetError());
    }
    return VT_OK;
}

#if defined(__SANITIZE_ADDRESS__)
#define VT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VT_ASAN 1
#endif
#endif

#ifdef VT_ASAN
static int pin_library(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    (void)data;
    if (info->dlpi_name && info->dlpi_name[0]) {
        /* A second reference never dropped; RTLD_NODELETE keeps the library mapped for good. */
        dlopen(info->dlpi_name, RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE);
    }
    return 0;
}
#endif

static void wake_stop(void);

void vt_platform_quit(void) {
    wake_stop();
    wake.fd_count = 0;
    SDL_Quit();
}

static void keep_libraries_loaded(void) {
#ifdef VT_ASAN
    /* Sanitizer builds only: closing the last GL window unloads libEGL and through it Mesa's
     * driver, and what Mesa's globals still held then looks leaked to LeakSanitizer, from "<unknown
     * module>" frames no suppression can name. Keeping every library mapped (as an exiting process
     * does anyway) leaves that memory reachable, so only real leaks are reported. */
    dl_iterate_phdr(pin_library, NULL);
#endif
}

static void set_gl_attributes(int profile, bool reset_notification) {
    SDL_GL_ResetAttributes();
    if (reset_notification) {
        /* A GPU reset (driver recovery, an eGPU unplugged) is then reported to the renderer
         * (glGetGraphicsResetStatus) instead of leaving a context that draws nothing. */
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_RESET_NOTIFICATION, SDL_GL_CONTEXT_RESET_LOSE_CONTEXT);
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, profile);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    /* Layers are drawn back to front: no depth or stencil test, so no memory for them. */
    SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
    SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);
}

static vt_status open_window(const vt_window_desc *desc, SDL_Window **out, vt_error *err) {
    int w = desc->width > 0 ? desc->width : 1280;
    int h = desc->height > 0 ? desc->height : 720;
    int x = SDL_WINDOWPOS_CENTERED, y = SDL_WINDOWPOS_CENTERED;
    Uint32 flags = SDL_WINDOW_OPENGL | SDL_WINDOW_ALLOW_HIGHDPI;
    if (desc->fullscreen) {
        int displays = vt_platform_display_count();
        if (desc->monitor < 0 || desc->monitor >= displays) {
            return VT_FAIL(err, VT_E_USAGE,
                           "there is no display %d (this machine has %d, numbered from 0); "
                           "choose another display",
                           desc->monitor, displays);
        }
        x = y = (int)SDL_WINDOWPOS_CENTERED_DISPLAY(desc->monitor);
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    }
    flags |= desc->hidden ? SDL_WINDOW_HIDDEN : SDL_WINDOW_SHOWN;
    *out = SDL_CreateWindow(desc->title ? desc->title : "Vitrine", x, y, w, h, flags);
    if (!*out) {
        return VT_FAIL(err, VT_E_SOFTWARE, "cannot open a window: %s", SDL_GetError());
    }
    return VT_OK;
}

vt_status vt_window_create(const vt_window_desc *desc, vt_window **out, vt_error *err) {
    *out = NULL;
    /* Attributes are read when the window is created (its pixel format) and again when the
     * context is: set them before both. */
    set_gl_attributes(SDL_GL_CONTEXT_PROFILE_COMPATIBILITY, true);
    SDL_Window *sw = NULL;
    vt_status st = open_window(desc, &sw, err);
    if (st != VT_OK) {
        return st;
    }
    if (desc->share) { /* one context for every window: one canvas, one set of textures */
        if (SDL_GL_MakeCurrent(sw, desc->share->gl) != 0) {
            vt_status fail =
                VT_FAIL(err, VT_E_SOFTWARE, "cannot draw into a second window: %s", SDL_GetError());
            SDL_DestroyWindow(sw);
            return fail;
        }
        vt_window *win = vt_xcalloc(1, sizeof *win);
        *win = (vt_window){sw, desc->share->gl, true};
        *out = win;
        return VT_OK;
    }
    SDL_GLContext gl = SDL_GL_CreateContext(sw);
    /* Without reset notification where the driver refuses it; some drivers (macOS, some Mesa
     * builds) offer 3.3 only as a core profile. */
    for (int i = 0; !gl && i < 3; i++) {
        set_gl_attributes(
            i == 0 ? SDL_GL_CONTEXT_PROFILE_COMPATIBILITY : SDL_GL_CONTEXT_PROFILE_CORE, i == 1);
        gl = SDL_GL_CreateContext(sw);
    }
    if (!gl) {
        vt_status fail = VT_FAIL(err, VT_E_SOFTWARE,
                                 "cannot create an OpenGL 3.3 context: %s; "
                                 "check the graphics driver",
                                 SDL_GetError());
        SDL_DestroyWindow(sw);
        return fail;
    }
    if (SDL_GL_MakeCurrent(sw, gl) != 0) {
        vt_status fail =
            VT_FAIL(err, VT_E_SOFTWARE, "cannot use the OpenGL context: %s", SDL_GetError());
        SDL_GL_DeleteContext(gl);
        SDL_DestroyWindow(sw);
        return fail;
    }
    /* The engine paces frames itself (and may skip them): vsync would block in swap. */
    SDL_GL_SetSwapInterval(0);
    if (desc->fullscreen) {
        SDL_ShowCursor(SDL_DISABLE);
        SDL_DisableScreenSaver();
    }
    vt_window *win = vt_xcalloc(1, sizeof *win);
    win->window = sw;
    win->gl = gl;
    *out = win;
    return VT_OK;
}

void vt_platform_screensaver_allow(bool allow) {
    if (allow) {
        SDL_EnableScreenSaver();
    } else {
        SDL_DisableScreenSaver();
    }
}

vt_status vt_window_renew_context(vt_window *win, vt_error *err) {
    SDL_GL_MakeCurrent(win->window, NULL);
    SDL_GL_DeleteContext(win->gl);
    /* The attributes of the last creation are still set: the same kind of context. */
    win->gl = SDL_GL_CreateContext(win->window);
    if (!win->gl || SDL_GL_MakeCurrent(win->window, win->gl) != 0) {
        return VT_FAIL(err, VT_E_SOFTWARE, "cannot make a new OpenGL context: %s", SDL_GetError());
    }
    SDL_GL_SetSwapInterval(0);
    return VT_OK;
}

void vt_window_destroy(vt_window *win) {
    if (!win) {
        return;
    }
    keep_libraries_loaded();
    if (!win->shared) {
        SDL_GL_MakeCurrent(win->window, NULL);
        SDL_GL_DeleteContext(win->gl);
    }
    SDL_DestroyWindow(win->window);
    free(win);
}

void vt_window_drawable_size(const vt_window *win, int *w, int *h) {
    SDL_GL_GetDrawableSize(win->window, w, h);
}

void vt_window_make_current(vt_window *win) {
    SDL_GL_MakeCurrent(win->window, win->gl);
}

uint32_t vt_window_id(const vt_window *win) {
    return win ? SDL_GetWindowID(win->window) : 0;
}

uint32_t vt_platform_event_window(void) {
    return last_event_window;
}

bool vt_platform_shift_down(void) {
    return (SDL_GetModState() & KMOD_SHIFT) != 0;
}

static int unplugged; /* vt_platform_pretend_unplugged */

void vt_platform_pretend_unplugged(int n) {
    unplugged = n > 0 ? n : 0;
}

int vt_platform_display_count(void) {
    int n = SDL_GetNumVideoDisplays() - unplugged;
    return n > 0 ? n : 0;
}

void vt_window_place(vt_window *win, int monitor) {
    if (monitor < 0) {
        SDL_HideWindow(win->window);
        return;
    }
    Uint32 fs = SDL_GetWindowFlags(win->window) & SDL_WINDOW_FULLSCREEN_DESKTOP;
    if (fs) {
        SDL_SetWindowFullscreen(win->window, 0);
    }
    int at = (int)SDL_WINDOWPOS_CENTERED_DISPLAY(monitor);
    SDL_SetWindowPosition(win->window, at, at);
    SDL_ShowWindow(win->window);
    if (fs) {
        SDL_SetWindowFullscreen(win->window, SDL_WINDOW_FULLSCREEN_DESKTOP);
    }
}

int vt_platform_display_find(const char *name, int index) {
    int n = vt_platform_display_count();
    int first = -1;
    for (int i = 0; i < n; i++) {
        const char *dn = SDL_GetDisplayName(i);
        if (dn && strcmp(dn, name) == 0) {
            if (i == index) {
                return i; /* the index breaks a tie between monitors of one model */
            }
            first = first < 0 ? i : first;
        }
    }
    return first;
}

void vt_window_size(const vt_window *win, int *w, int *h) {
    SDL_GetWindowSize(win->window, w, h);
}

void vt_window_swap(vt_window *win) {
    SDL_GL_SwapWindow(win->window);
}

void *vt_window_gl_proc(const char *name) {
    return SDL_GL_GetProcAddress(name);
}

static void key_event(const SDL_KeyboardEvent *key, vt_event *ev) {
    ev->type = VT_EVENT_KEY;
    const char *name = SDL_GetKeyName(key->keysym.sym);
    size_t i = 0;
    for (; name[i] && i + 1 < sizeof ev->name; i++) {
        ev->name[i] = (char)tolower((unsigned char)name[i]);
    }
    ev->name[i] = '\0';
}

static bool window_event(const SDL_WindowEvent *we, vt_event *ev) {
    switch (we->event) {
    case SDL_WINDOWEVENT_SIZE_CHANGED:
        ev->type = VT_EVENT_RESIZE;
        return true;
    case SDL_WINDOWEVENT_EXPOSED:
        ev->type = VT_EVENT_EXPOSE;
        return true;
    default:
        return false;
    }
}

/* A finger, normalized to the window (or the touch device): scaled to window coordinates like
 * the mouse; its id tells the fingers of a multi-touch gesture apart. */
static void finger_event(vt_window *win, const SDL_TouchFingerEvent *f, vt_event *ev) {
    int w = 0, h = 0;
    if (win) {
        SDL_GetWindowSize(win->window, &w, &h);
    }
    ev->type = f->type == SDL_FINGERDOWN ? VT_EVENT_TOUCH
               : f->type == SDL_FINGERUP ? VT_EVENT_UP
                                         : VT_EVENT_MOVE;
    ev->pointer = f->fingerId < 0 ? 0 : (int64_t)f->fingerId;
    ev->x = (double)f->x * w;
    ev->y = (double)f->y * h;
}

/* The wheel, in notches positive toward the visitor (SDL's y is positive away from them). */
static bool wheel_event(const SDL_MouseWheelEvent *wh, vt_event *ev) {
    if (wh->which == SDL_TOUCH_MOUSEID) {
        return false;
    }
    double flip = wh->direction == SDL_MOUSEWHEEL_FLIPPED ? -1.0 : 1.0;
    ev->type = VT_EVENT_SCROLL;
    ev->x = wh->mouseX;
    ev->y = wh->mouseY;
    ev->dx = (double)wh->preciseX * flip;
    ev->dy = -(double)wh->preciseY * flip;
    return ev->dx != 0 || ev->dy != 0;
}

/* Turns one SDL event into a vt_event; false for the events the engine does not use. */
static bool translate(vt_window *win, const SDL_Event *e, vt_event *ev) {
    memset(ev, 0, sizeof *ev);
    switch (e->type) {
    case SDL_QUIT:
        ev->type = VT_EVENT_QUIT;
        return true;
    case SDL_KEYDOWN:
        if (e->key.repeat || e->key.keysym.sym == SDLK_UNKNOWN) {
            return false;
        }
        key_event(&e->key, ev);
        return ev->name[0] != '\0';
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        /* Belt and braces beside the hint: a synthesized click would double a touch. */
        if (e->button.which == SDL_TOUCH_MOUSEID) {
            return false;
        }
        ev->type = e->type == SDL_MOUSEBUTTONDOWN ? VT_EVENT_CLICK : VT_EVENT_UP;
        ev->pointer = VT_POINTER_MOUSE;
        ev->x = e->button.x;
        ev->y = e->button.y;
        return true;
    case SDL_MOUSEMOTION:
        /* Only a drag: a mouse passing over the show would wake it for nothing. */
        if (e->motion.which == SDL_TOUCH_MOUSEID || e->motion.state == 0) {
            return false;
        }
        ev->type = VT_EVENT_MOVE;
        ev->pointer = VT_POINTER_MOUSE;
        ev->x = e->motion.x;
        ev->y = e->motion.y;
        return true;
    case SDL_MOUSEWHEEL:
        return wheel_event(&e->wheel, ev);
    case SDL_FINGERDOWN:
    case SDL_FINGERMOTION:
    case SDL_FINGERUP:
        finger_event(win, &e->tfinger, ev);
        return true;
    case SDL_WINDOWEVENT:
        return window_event(&e->window, ev);
    default:
        return false;
    }
}

/* The window an event came from (0: none). Every pointer event counts, motion and release
 * included: on projection outputs a drag's moves and its release are mapped through the
 * window they happen on. */
static uint32_t event_window(const SDL_Event *e) {
    switch (e->type) {
    case SDL_FINGERDOWN:
    case SDL_FINGERMOTION:
    case SDL_FINGERUP:
        return e->tfinger.windowID;
    case SDL_KEYDOWN:
    case SDL_KEYUP:
        return e->key.windowID;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        return e->button.windowID;
    case SDL_MOUSEMOTION:
        return e->motion.windowID;
    case SDL_MOUSEWHEEL:
        return e->wheel.windowID;
    case SDL_WINDOWEVENT:
        return e->window.windowID;
    default:
        return 0;
    }
}

bool vt_platform_poll(vt_window *win, vt_event *ev) {
    SDL_Event e;
    while (SDL_PollEvent(&e)) {
        if (wake.event != 0 && e.type == wake.event) {
            continue; /* only there to end SDL_WaitEventTimeout: vt_platform_wait said so */
        }
        if (translate(win, &e, ev)) {
            last_event_window = event_window(&e);
            return true;
        }
    }
    return false;
}

/* Drivers whose SDL_WaitEventTimeout blocks in the kernel (poll on the display connection).
 * SDL 2.26 falls back to checking the queue every millisecond for the others, offscreen and
 * dummy among them: ~1.3 % of a core while a still scene should cost nothing. */
static bool driver_can_wait(void) {
    static const char *const waiting[] = {"x11", "wayland", "windows", "cocoa"};
    const char *driver = SDL_GetCurrentVideoDriver();
    if (!driver) {
        return false;
    }
    for (size_t i = 0; i < sizeof waiting / sizeof *waiting; i++) {
        if (strcmp(driver, waiting[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* The helper thread: each time the main thread arms it, waits until a registered fd is
 * readable and pushes one wake event (SDL_PushEvent wakes SDL_WaitEventTimeout); then waits to
 * be armed again, so a readable fd nobody has read yet does not make it spin. It polls the set
 * registered when it started: a new set gets a new helper. */
static void *wake_main(void *arg) {
    (void)arg;
    struct pollfd fds[VT_PLATFORM_MAX_FDS + 1];
    size_t n = wake.fd_count; /* read before the main thread may change it: it stops us first */
    for (size_t i = 0; i < n; i++) {
        fds[i] = (struct pollfd){wake.fds[i], POLLIN, 0};
    }
    fds[n] = (struct pollfd){wake.stop_pipe[0], POLLIN, 0};
    for (;;) {
        pthread_mutex_lock(&wake.lock);
        while (!wake.armed && !wake.stop) {
            pthread_cond_wait(&wake.cond, &wake.lock);
        }
        bool stop = wake.stop;
        wake.armed = false;
        pthread_mutex_unlock(&wake.lock);
        while (!stop && poll(fds, n + 1, -1) < 0 && errno == EINTR) {
        }
        bool readable = false;
        for (size_t i = 0; i < n; i++) {
            readable = readable || (fds[i].revents & POLLIN);
        }
        if (stop || fds[n].revents != 0 || !readable) {
            return NULL; /* stopping, or a fd closed while registered: the main thread sees it */
        }
        SDL_Event e = {.type = wake.event};
        SDL_PushEvent(&e);
    }
}

static bool wake_start(void) {
    if (wake.event == 0) {
        Uint32 type = SDL_RegisterEvents(1);
        if (type == (Uint32)-1) {
            return false;
        }
        wake.event = type;
    }
    if (pipe2(wake.stop_pipe, O_CLOEXEC) != 0) {
        return false;
    }
    /* All signals blocked in the helper, so that SIGINT/SIGTERM still reach (and interrupt) the
     * main thread, as the rest of this file expects. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&wake.thread, NULL, wake_main, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        close(wake.stop_pipe[0]);
        close(wake.stop_pipe[1]);
        wake.stop_pipe[0] = wake.stop_pipe[1] = -1;
        return false;
    }
    wake.running = true;
    return true;
}

static void wake_stop(void) {
    if (!wake.running) {
        return;
    }
    pthread_mutex_lock(&wake.lock);
    wake.stop = true;
    pthread_cond_signal(&wake.cond);
    pthread_mutex_unlock(&wake.lock);
    ssize_t n = write(wake.stop_pipe[1], "x", 1);
    (void)n; /* a full pipe already wakes it */
    pthread_join(wake.thread, NULL);
    close(wake.stop_pipe[0]);
    close(wake.stop_pipe[1]);
    wake.stop_pipe[0] = wake.stop_pipe[1] = -1;
    wake.running = wake.stop = wake.armed = false;
}

/* Asks the helper for one wake-up when a fd becomes readable, starting it the first time. */
static void wake_arm(void) {
    if (!wake.running && !wake_start()) {
        vt_log(VT_LOG_WARN, "platform",
               "cannot start the thread that wakes the play loop on file changes; they will be "
               "seen at the next input or deadline");
        wake.fd_count = 0;
        return;
    }
    pthread_mutex_lock(&wake.lock);
    wake.armed = true;
    pthread_cond_signal(&wake.cond);
    pthread_mutex_unlock(&wake.lock);
}

void vt_platform_wait_fds(const int *fds, size_t count) {
    if (count > VT_PLATFORM_MAX_FDS) {
        vt_log(VT_LOG_WARN, "platform", "%zu descriptors to wait on, %d at most: the rest wait",
               count, VT_PLATFORM_MAX_FDS);
        count = VT_PLATFORM_MAX_FDS;
    }
    if (count == wake.fd_count && (count == 0 || memcmp(fds, wake.fds, count * sizeof *fds) == 0)) {
        return; /* the same set: the helper (if any) goes on */
    }
    wake_stop(); /* the helper polls the old set: a new one gets a new helper */
    if (count > 0) {
        memcpy(wake.fds, fds, count * sizeof *fds);
    }
    wake.fd_count = count;
}

void vt_platform_wait_fd(int fd) {
    vt_platform_wait_fds(&fd, fd >= 0 ? 1 : 0);
}

/* Forgets the registered descriptor at i (closed or failed while registered) rather than spin. */
static void forget_fd(size_t i) {
    vt_log(VT_LOG_WARN, "platform", "a descriptor the play loop waits on failed; ignoring it");
    wake_stop();
    memmove(&wake.fds[i], &wake.fds[i + 1], (wake.fd_count - i - 1) * sizeof *wake.fds);
    wake.fd_count--;
}

/* Sleeps up to ns nanoseconds or until a registered fd is readable (true) or a signal comes. */
static bool wait_fd_for(int64_t ns) {
    struct pollfd p[VT_PLATFORM_MAX_FDS];
    size_t n = wake.fd_count; /* none: a plain sleep */
    for (size_t i = 0; i < n; i++) {
        p[i] = (struct pollfd){wake.fds[i], POLLIN, 0};
    }
    struct timespec ts = {(time_t)(ns / 1000000000), (long)(ns % 1000000000)};
    if (ppoll(p, n, &ts, NULL) <= 0) {
        return false;
    }
    bool readable = false;
    for (size_t i = n; i-- > 0;) {
        if (p[i].revents & POLLIN) {
            readable = true;
        } else if (p[i].revents & (POLLNVAL | POLLERR)) {
            forget_fd(i);
        }
    }
    return readable;
}

/* Drivers that wait in the kernel on their own connection: SDL waits, the helper thread wakes it
 * for our fd. */
static bool wait_with_driver(int64_t deadline_ns) {
    if (wake.fd_count > 0) {
        if (wait_fd_for(0)) {
            return true;
        }
        if (wake.fd_count > 0) {
            wake_arm();
        }
    }
    int64_t remaining = deadline_ns - vt_now_ns();
    int64_t ms = remaining / 1000000;
    if (ms > 0 && SDL_WaitEventTimeout(NULL, ms > INT32_MAX ? INT32_MAX : (int)ms)) {
        return true;
    }
    /* The sub-millisecond rest: frame deadlines are finer than SDL's timeout. */
    vt_sleep_until_ns(deadline_ns);
    return SDL_PollEvent(NULL) != 0 || (wake.fd_count > 0 && wait_fd_for(0));
}

bool vt_platform_wait(vt_window *win, int64_t deadline_ns) {
    (void)win;
    /* SDL_PollEvent(NULL) pumps the queue (signals become SDL_QUIT there) without taking. */
    if (SDL_PollEvent(NULL)) {
        return true;
    }
    if (driver_can_wait()) {
        return wait_with_driver(deadline_ns);
    }
    /* No driver wait: sleep in slices on the registered fds (ppoll, which a signal interrupts),
     * looking at the queue between them, so an injected event is seen within one slice. */
    for (;;) {
        int64_t now = vt_now_ns();
        if (now >= deadline_ns) {
            return false;
        }
        int64_t slice = deadline_ns - now;
        if (wait_fd_for(slice > VT_PLATFORM_SLICE_NS ? VT_PLATFORM_SLICE_NS : slice)) {
            return true;
        }
        if (SDL_PollEvent(NULL)) {
            return true;
        }
    }
}
