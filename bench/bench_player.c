/* The engine's own CPU per frame for 100 animated layers: the player's update (every timeline
 * evaluated, every layer's properties) and the draw list built from it as vt_show_update does,
 * without any GL call; 36 000 frames (10 minutes at 60 fps), CPU time
 * (CLOCK_PROCESS_CPUTIME_ID). Target: under 0.5 ms a frame. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "player/vt_player.h"
#include "render/vt_render.h"

enum { LAYERS = 100, FRAMES = 36000 };

static double cpu_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 100 rectangles, each moved, turned and faded by its own looping timeline of eased keys. */
static char *scene_text(void) {
    size_t cap = 1 << 20, n = 0;
    char *s = vt_xmalloc(cap);
    n += (size_t)snprintf(s + n, cap - n,
                          "format: vitrine/1\ncanvas: {size: [1920, 1080], fps: 60}\nlayers:\n");
    for (int i = 0; i < LAYERS; i++) {
        n += (size_t)snprintf(s + n, cap - n,
                              "  - {id: r%d, type: rect, position: [%d, %d], size: [120, 80], "
                              "anchor: [0.5, 0.5], color: \"#%02x80c0\"}\n",
                              i, 100 + (i % 10) * 170, 100 + (i / 10) * 90, (i * 23) % 256);
    }
    n += (size_t)snprintf(s + n, cap - n, "timelines:\n");
    for (int i = 0; i < LAYERS; i++) {
        double d = 2.0 + (i % 7) * 0.5;
        n += (size_t)snprintf(
            s + n, cap - n,
            "  t%d:\n    duration: %g\n    loop: true\n    autoplay: true\n    tracks:\n"
            "      - {target: r%d.position, keys: [{t: 0, v: [%d, %d]}, {t: %g, v: [%d, %d], "
            "ease: in-out-sine}, {t: %g, v: [%d, %d], ease: in-out-sine}]}\n"
            "      - {target: r%d.rotation, keys: [{t: 0, v: 0}, {t: %g, v: 360}]}\n"
            "      - {target: r%d.opacity, keys: [{t: 0, v: 1}, {t: %g, v: 0.2, ease: out-cubic}, "
            "{t: %g, v: 1}]}\n",
            i, d, i, 100 + (i % 10) * 170, 100 + (i / 10) * 90, d / 2, 160 + (i % 10) * 170,
            130 + (i / 10) * 90, d, 100 + (i % 10) * 170, 100 + (i / 10) * 90, i, d, i, d / 2, d);
    }
    return s;
}

int main(void) {
    char *text = scene_text();
    vt_scene *scene = NULL;
    vt_diags diags = {0};
    if (vt_scene_load_string(text, strlen(text), "bench-100-layers.yaml", 0, &scene, &diags) !=
        VT_OK) {
        vt_diags_print(&diags, stderr);
        return 70;
    }
    vt_diags_free(&diags);
    free(text);
    vt_player *p = vt_player_create(scene, 0);
    vt_layer_props *props = vt_xcalloc(scene->layer_count, sizeof *props);
    vt_draw_item *items = vt_xcalloc(scene->layer_count, sizeof *items);
    size_t drawn = 0, changed = 0;
    double t0 = cpu_s();
    for (long k = 0; k < FRAMES; k++) {
        vt_ticks now = k * (VT_TICKS_PER_SEC / 60);
        changed += vt_player_update(p, now, props);
        size_t n = 0;
        for (size_t i = 0; i < scene->layer_count; i++) {
            if (props[i].visible && props[i].opacity > 0) {
                items[n++] = (vt_draw_item){.layer = (uint32_t)i, .props = props[i]};
            }
        }
        drawn += n;
    }
    double per = (cpu_s() - t0) / FRAMES;
    printf("bench_player: %zu layers, %d frames, %.1f us CPU per frame (player update + draw "
           "list), target < 500 us; %.1f items a frame, %zu frames changed\n",
           scene->layer_count, FRAMES, per * 1e6, (double)drawn / FRAMES, changed);
    free(items);
    free(props);
    vt_player_destroy(p);
    vt_scene_destroy(scene);
    return per < 0.0005 ? 0 : 1;
}
