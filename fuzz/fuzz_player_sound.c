/* libFuzzer target for the player's sounds: any scene that loads is played through key input,
 * updates, vt_player_sounds, vt_player_next_sound_change and a hot-reload carry-over; no crash,
 * hang, leak or undefined behaviour, and every state within its documented bounds. */
#include "player/vt_player.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_sounds(const vt_scene *scene, const vt_player *p, vt_sound_state *out) {
    vt_player_sounds(p, out);
    for (size_t i = 0; i < scene->sound_count; i++) {
        if (out[i].offset < 0 || !(out[i].gain >= 0) || !(out[i].pitch > 0) ||
            (!out[i].active && out[i].gain != 0)) {
            abort(); /* a broken promise of vt_sound_state */
        }
    }
}

static void play(const vt_scene *scene, vt_player *p, vt_sound_state *out) {
    static const char keys[] = "apkrsfx12y";
    vt_ticks t = 0;
    for (int i = 0; i < 40; i++) {
        t += vt_ticks_from_seconds(0.37 * (i % 7));
        vt_event ev = {.type = VT_EVENT_KEY, .name = {keys[i % 10], '\0'}};
        vt_player_input(p, &ev, t);
        vt_player_update(p, t, NULL);
        check_sounds(scene, p, out);
        if (vt_player_next_sound_change(p, t) < t) {
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    vt_diags diags = {0};
    vt_scene *scene = NULL;
    if (vt_scene_load_string((const char *)data, size, "scene.yaml", 0, &scene, &diags) == VT_OK &&
        scene->sound_count > 0) {
        vt_sound_state *out = calloc(scene->sound_count, sizeof *out);
        vt_layer_props *props = calloc(scene->layer_count + 1, sizeof *props);
        vt_player *p = vt_player_create(scene, 0);
        play(scene, p, out);
        vt_player *q = vt_player_create(scene, vt_ticks_from_seconds(60));
        vt_player_carry_over(q, p, vt_ticks_from_seconds(60));
        vt_player_update(q, vt_ticks_from_seconds(61), props);
        check_sounds(scene, q, out);
        vt_player_destroy(q);
        vt_player_destroy(p);
        free(props);
        free(out);
    }
    vt_scene_destroy(scene);
    vt_diags_free(&diags);
    return 0;
}
