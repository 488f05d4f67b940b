/* The SDL2 side of the platform layer: video start-up, the window and its OpenGL context, input
 * turned into vt_events, and sleeping until a deadline without polling. */
#define _GNU_SOURCE /* dl_iterate_phdr, RTLD_NODELETE */
#include "platform/vt_platform.h"

#include <SDL.h>
#include <ctype.h>
#include <dlfcn.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>

struct vt_window {
    SDL_Window *window;
    SDL_GLContext gl;
};

/* Longest sleep between two looks at the event queue when the video driver cannot wait on its
 * own. SIGINT/SIGTERM (turned into SDL_QUIT by SDL) interrupt the sleep at once (Linux delivers
 * a process-directed signal to the main thread when it does not block it), so the slice is only
 * a safety net: long, because each wake-up costs CPU on an idle kiosk. */
#define VT_PLATFORM_SLICE_NS INT64_C(1000000000)

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

void vt_platform_quit(void) {
    SDL_Quit();
}

static void keep_libraries_loaded(void) {
#ifdef VT_ASAN
    /* Sanitizer builds only: closing the last GL window unloads libEGL and through it Mesa's driver, and what
     * Mesa's globals still held then looks leaked to LeakSanitizer, from "<unknown module>"
     * frames no suppression can name. Keeping every library mapped (as an exiting process does
     * anyway) leaves that memory reachable, so only real leaks are reported. */
    dl_iterate_phdr(pin_library, NULL);
#endif
}

static void set_gl_attributes(int profile) {
    SDL_GL_ResetAttributes();
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
        int displays = SDL_GetNumVideoDisplays();
        if (desc->display < 0 || desc->display >= displays) {
            return VT_FAIL(err, VT_E_USAGE,
                           "there is no display %d (this machine has %d, numbered from 0); "
                           "choose another display",
                           desc->display, displays);
        }
        x = y = (int)SDL_WINDOWPOS_CENTERED_DISPLAY(desc->display);
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
    set_gl_attributes(SDL_GL_CONTEXT_PROFILE_COMPATIBILITY);
    SDL_Window *sw = NULL;
    vt_status st = open_window(desc, &sw, err);
    if (st != VT_OK) {
        return st;
    }
    SDL_GLContext gl = SDL_GL_CreateContext(sw);
    if (!gl) {
        /* Some drivers (macOS, some Mesa builds) offer 3.3 only as a core profile. */
        set_gl_attributes(SDL_GL_CONTEXT_PROFILE_CORE);
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

void vt_window_destroy(vt_window *win) {
    if (!win) {
        return;
    }
    keep_libraries_loaded();
    SDL_GL_MakeCurrent(win->window, NULL);
    SDL_GL_DeleteContext(win->gl);
    SDL_DestroyWindow(win->window);
    free(win);
}

void vt_window_drawable_size(const vt_window *win, int *w, int *h) {
    SDL_GL_GetDrawableSize(win->window, w, h);
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
        /* Belt and braces beside the hint: a synthesized click would double a touch. */
        if (e->button.which == SDL_TOUCH_MOUSEID) {
            return false;
        }
        ev->type = VT_EVENT_CLICK;
        ev->x = e->button.x;
        ev->y = e->button.y;
        return true;
    case SDL_FINGERDOWN: {
        /* Fingers come normalized to the window (or the touch device): scale to window
         * coordinates like mouse clicks. */
        int w = 0, h = 0;
        if (win) {
            SDL_GetWindowSize(win->window, &w, &h);
        }
        ev->type = VT_EVENT_TOUCH;
        ev->x = (double)e->tfinger.x * w;
        ev->y = (double)e->tfinger.y * h;
        return true;
    }
    case SDL_WINDOWEVENT:
        return window_event(&e->window, ev);
    default:
        return false;
    }
}

bool vt_platform_poll(vt_window *win, vt_event *ev) {
    SDL_Event e;
    while (SDL_PollEvent(&e)) {
        if (translate(win, &e, ev)) {
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

bool vt_platform_wait(vt_window *win, int64_t deadline_ns) {
    (void)win;
    /* SDL_PollEvent(NULL) pumps the queue (signals become SDL_QUIT there) without taking. */
    if (SDL_PollEvent(NULL)) {
        return true;
    }
    if (driver_can_wait()) {
        int64_t remaining = deadline_ns - vt_now_ns();
        int64_t ms = remaining / 1000000;
        if (ms > 0 && SDL_WaitEventTimeout(NULL, ms > INT32_MAX ? INT32_MAX : (int)ms)) {
            return true;
        }
        /* The sub-millisecond rest: frame deadlines are finer than SDL's timeout. */
        vt_sleep_until_ns(deadline_ns);
        return SDL_PollEvent(NULL) != 0;
    }
    /* No driver wait: sleep in slices, looking at the queue between them, so a signal or an
     * injected event is seen within one slice. */
    for (;;) {
        int64_t now = vt_now_ns();
        if (now >= deadline_ns) {
            return false;
        }
        int64_t until =
            deadline_ns - now > VT_PLATFORM_SLICE_NS ? now + VT_PLATFORM_SLICE_NS : deadline_ns;
        vt_sleep_until_ns(until);
        if (SDL_PollEvent(NULL)) {
            return true;
        }
    }
}
