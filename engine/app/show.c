/* The show: a loaded scene with its GPU side and scripted input, stepped frame by frame. What
 * `play` and `render` share, so that an offline preview is what visitors see. */
#include "app/app_internal.h"

#include <stdlib.h>
#include <string.h>

vt_status vt_show_load(vt_show *show, const char *scene_path, const char *events_path) {
    *show = (vt_show){0};
    vt_diags diags = {0};
    vt_status st = vt_scene_load(scene_path, 0, &show->scene, &diags);
    if (st == VT_OK && events_path) {
        st = vt_events_load(events_path, &show->events, &show->event_count, &diags);
    }
    vt_diags_sort(&diags);
    vt_diags_print(&diags, stderr);
    if (st == VT_E_NOINPUT && diags.errors == 0) {
        fprintf(stderr, "vitrine: cannot read '%s'\n", show->scene ? events_path : scene_path);
    }
    vt_diags_free(&diags);
    if (st != VT_OK) {
        vt_show_unload(show);
        return st;
    }
    show->items = vt_xcalloc(show->scene->layer_count, sizeof *show->items);
    return VT_OK;
}

vt_status vt_show_build(vt_show *show, int target_w, int target_h, vt_error *err) {
    vt_renderer_desc desc = {.target_width = target_w, .target_height = target_h};
    vt_status st = vt_renderer_create(&desc, &show->renderer, err);
    if (st != VT_OK) {
        return st;
    }
    int64_t t0 = vt_now_ns();
    vt_log(VT_LOG_DEBUG, "render", "%s", vt_renderer_describe(show->renderer));
    st = vt_renderer_load_scene(show->renderer, show->scene, err);
    vt_log(VT_LOG_DEBUG, "render", "images decoded and uploaded in %.1f ms",
           (double)(vt_now_ns() - t0) / 1e6);
    return st;
}

bool vt_show_update(vt_show *show, vt_ticks now) {
    bool changed = show->updates++ == 0;
    while (show->next_event < show->event_count && show->events[show->next_event].time <= now) {
        /* Scripted input reaches the scene here; triggers (a later version) react to it. */
        const vt_event *ev = &show->events[show->next_event++];
        vt_log(VT_LOG_DEBUG, "events", "t=%.3f s: line %d", vt_ticks_to_seconds(now), ev->line);
        show->events_handled++;
    }
    const vt_scene *sc = show->scene;
    size_t n = 0;
    for (size_t i = 0; i < sc->layer_count; i++) {
        show->items[n++] = (vt_draw_item){.layer = (uint32_t)i, .props = sc->layers[i].props};
    }
    show->item_count = n;
    return changed;
}

vt_ticks vt_show_next_deadline(const vt_show *show) {
    return show->next_event < show->event_count ? show->events[show->next_event].time
                                                : INT64_MAX;
}

void vt_show_unload(vt_show *show) {
    vt_renderer_destroy(show->renderer);
    vt_scene_destroy(show->scene);
    free(show->items);
    free(show->events);
    *show = (vt_show){0};
}
