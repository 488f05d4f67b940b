/* play with projection outputs: a window per output, all drawing with one GL context (one
 * canvas, one set of textures); windowed each of its `size`, fullscreen each on its display. A
 * display missing at start (a projector still off) is a warning: its output opens when the
 * display appears. Input on an output maps to the canvas through the inverse of its warp. */
#include "app/app_internal.h"

#include <string.h>

/* The display output i opens on: by name, else its index, else its place in the list; -1 when
 * that display is not there. */
static int display_of(const vt_output *o, size_t i) {
    if (o->display_name) {
        return vt_platform_display_find(o->display_name, o->display);
    }
    int d = o->display >= 0 ? o->display : (int)i;
    return d < vt_platform_display_count() ? d : -1;
}

bool vt_play_outputs_display(const vt_play_outputs *po, size_t i, int *index) {
    const vt_output *o = &po->list->items[i];
    *index = o->display >= 0 ? o->display : (int)i;
    return display_of(o, i) >= 0;
}

static vt_status open_one(vt_play_outputs *po, size_t i, vt_error *err) {
    const vt_output *o = &po->list->items[i];
    vt_window_desc wd = {.title = o->id, .fullscreen = po->fullscreen, .share = po->main};
    vt_output_size(o, &wd.width, &wd.height);
    if (po->fullscreen) {
        wd.monitor = display_of(o, i);
        if (wd.monitor < 0) {
            if (!po->warned[i]) {
                char which[240];
                if (o->display_name) {
                    snprintf(which, sizeof which, "the display named '%.200s'", o->display_name);
                } else {
                    snprintf(which, sizeof which, "display %d (of %d)",
                             o->display >= 0 ? o->display : (int)i, vt_platform_display_count());
                }
                vt_log(VT_LOG_WARN, "play",
                       "output '%s': %s is not there; the show runs on the other outputs and "
                       "this one opens when the display appears",
                       o->id, which);
                po->warned[i] = true;
            }
            return VT_OK;
        }
    }
    vt_status st = vt_window_create(&wd, &po->wins[i], err);
    if (st == VT_OK) {
        po->main = po->main ? po->main : po->wins[i];
        po->warned[i] = false;
        vt_log(VT_LOG_DEBUG, "play", "output '%s' opened: %dx%d%s", o->id, wd.width, wd.height,
               po->fullscreen ? ", fullscreen" : "");
    }
    return st;
}

vt_status vt_play_outputs_open(vt_play_outputs *po, const vt_outputs *list, bool fullscreen,
                               vt_error *err) {
    *po = (vt_play_outputs){.fullscreen = fullscreen};
    vt_outputs_copy(list, &po->own);
    po->list = &po->own;
    for (size_t i = 0; i < list->count; i++) {
        vt_status st = open_one(po, i, err);
        if (st != VT_OK) {
            return st;
        }
    }
    if (!po->main) {
        /* Every display is missing: a hidden window holds the context until one appears. */
        vt_window_desc wd = {.title = "Vitrine", .width = 64, .height = 64, .hidden = true};
        vt_status st = vt_window_create(&wd, &po->hidden, err);
        po->main = po->hidden;
        return st;
    }
    return VT_OK;
}

void vt_play_outputs_update(vt_play_outputs *po, const vt_outputs *list) {
    if (!po->list || !list || list == po->list) {
        return;
    }
    if (list->count != po->own.count) {
        vt_log(VT_LOG_WARN, "play",
               "the outputs changed from %zu to %zu: windows are opened and closed at start only; "
               "restart play to use them",
               po->own.count, list->count);
        return;
    }
    vt_outputs_free(&po->own);
    vt_outputs_copy(list, &po->own);
}

/* Output i's display went away (a projector's cable pulled, a projector switched off): its
 * window goes, the show runs on the others. The main window holds the context: hidden. */
static void lose_one(vt_play_outputs *po, size_t i) {
    vt_log(VT_LOG_WARN, "play",
           "output '%s': its display is gone; the show runs on the other outputs and this one "
           "opens again when the display comes back",
           po->list->items[i].id);
    po->warned[i] = true;
    if (po->wins[i] == po->main) {
        vt_window_place(po->main, -1);
        po->lost[i] = true;
    } else {
        vt_window_destroy(po->wins[i]);
        po->wins[i] = NULL;
    }
}

bool vt_play_outputs_is_open(const vt_play_outputs *po, size_t i) {
    return po->wins[i] && !po->lost[i];
}

void vt_play_outputs_retry(vt_play_outputs *po) {
    for (size_t i = 0; po->list && i < po->list->count && po->fullscreen; i++) {
        vt_error err = {0};
        const vt_output *o = &po->list->items[i];
        int d = display_of(o, i);
        if (vt_play_outputs_is_open(po, i) && d < 0) {
            lose_one(po, i);
        } else if (po->lost[i] && d >= 0) {
            vt_window_place(po->main, d);
            po->lost[i] = po->warned[i] = false;
            vt_log(VT_LOG_INFO, "play", "output '%s': its display is back: drawn again", o->id);
        } else if (!po->wins[i] && d >= 0) {
            if (open_one(po, i, &err) != VT_OK) {
                vt_log(VT_LOG_WARN, "play", "output '%s': %s", o->id, err.message);
            } else if (po->wins[i]) {
                vt_log(VT_LOG_INFO, "play", "output '%s': its display is there: opened", o->id);
            }
        }
    }
}

void vt_play_outputs_present(vt_play_outputs *po, vt_renderer *r, const vt_scene *sc, bool black,
                             const vt_calib *calib) {
    bool calibrating = calib && calib->on && po->list && po->list->count > 0;
    for (size_t i = 0; po->list && i < po->list->count; i++) {
        if (!vt_play_outputs_is_open(po, i)) {
            continue;
        }
        int w = 0, h = 0;
        vt_window_make_current(po->wins[i]);
        vt_window_drawable_size(po->wins[i], &w, &h);
        if (calibrating) { /* each output's own pattern and banner, naming it */
            char line[400];
            vt_calib_banner(calib, po->list, i, line, sizeof line);
            vt_renderer_set_banner(r, (vt_color){20, 60, 160, 255}, line);
            bool edited = i == calib->output % po->list->count;
            vt_renderer_output_pattern(r, calib->pattern, edited ? (long)calib->point : -1);
        } else {
            vt_renderer_output_pattern(r, VT_OUTPUT_PATTERN_NONE, -1);
        }
        if (black) {
            vt_renderer_present_black(r, w, h);
        } else {
            vt_renderer_present_output(r, sc, &po->list->items[i], w, h);
        }
        vt_window_swap(po->wins[i]);
    }
    vt_window_make_current(po->main);
}

bool vt_play_outputs_to_canvas(const vt_play_outputs *po, uint32_t window, vt_event *ev,
                               const vt_window *polled) {
    for (size_t i = 0; po->list && i < po->list->count; i++) {
        if (!vt_play_outputs_is_open(po, i) || vt_window_id(po->wins[i]) != window) {
            continue;
        }
        int ww = 1, wh = 1, pw = 1, ph = 1, ow, oh;
        vt_window_size(po->wins[i], &ww, &wh);
        const vt_output *o = &po->list->items[i];
        vt_output_size(o, &ow, &oh);
        double x = ev->x, y = ev->y;
        if (ev->type == VT_EVENT_TOUCH && polled) {
            /* Fingers were scaled to the polled window's size: rescale to this one's. */
            vt_window_size(polled, &pw, &ph);
            x = x / pw * ww;
            y = y / ph * wh;
        }
        return vt_output_to_canvas(o, x / ww * ow, y / wh * oh, &ev->x, &ev->y);
    }
    return false;
}

bool vt_play_outputs_locate(const vt_play_outputs *po, uint32_t window, size_t fallback,
                            const vt_event *ev, const vt_window *polled, size_t *index, double *fx,
                            double *fy) {
    size_t n = po->list ? po->list->count : 0, i = 0;
    while (i < n && !(po->wins[i] && window != 0 && vt_window_id(po->wins[i]) == window)) {
        i++;
    }
    i = i < n ? i : fallback;
    if (i >= n || !po->wins[i]) {
        return false;
    }
    int ww = 1, wh = 1, pw = 1, ph = 1;
    vt_window_size(po->wins[i], &ww, &wh);
    double x = ev->x, y = ev->y;
    if (ev->type != VT_EVENT_CLICK && ev->pointer != VT_POINTER_MOUSE && polled) {
        /* Fingers were scaled to the polled window's size: rescale to this one's. */
        vt_window_size(polled, &pw, &ph);
        x = x / pw * ww;
        y = y / ph * wh;
    }
    *index = i;
    *fx = x / ww;
    *fy = y / wh;
    return true;
}

void vt_play_outputs_close(vt_play_outputs *po) {
    for (size_t i = 0; po->list && i < po->list->count; i++) {
        if (po->wins[i] && po->wins[i] != po->main) {
            vt_window_destroy(po->wins[i]);
        }
    }
    vt_window_destroy(po->main); /* the context's owner goes last */
    vt_outputs_free(&po->own);
    *po = (vt_play_outputs){0};
}
