/* The player's side of text and captions: which language version a layer shows, the cue each
 * captions layer shows at its timeline's time, and when that next changes (so a still subtitle
 * costs no frames while the next cue still appears on time). */
#include "player/player_internal.h"

#include <stdlib.h>
#include <strings.h>

void vt_player_text_create(vt_player *p) {
    p->cues = vt_xcalloc(p->scene->layer_count, sizeof *p->cues);
}

void vt_player_text_destroy(vt_player *p) {
    free(p->cues);
}

const vt_text_variant *vt_player_text_variant(const vt_player *p, uint32_t layer) {
    if (!p || layer >= p->scene->layer_count) {
        return NULL;
    }
    const vt_scene *sc = p->scene;
    const vt_layer *l = &sc->layers[layer];
    if (l->variant_count == 0) {
        return NULL;
    }
    const vt_text_variant *own = NULL;
    for (size_t i = 0; i < l->variant_count; i++) {
        const vt_text_variant *v = &l->variants[i];
        if (v->lang == p->language) {
            return v;
        }
        if (!own && l->lang && v->lang < sc->language_count &&
            strcasecmp(sc->languages[v->lang], l->lang) == 0) {
            own = v;
        }
    }
    return own ? own : &l->variants[0];
}

/* The time a captions layer reads its cues at: its timeline's local time, or the scene's time
 * when it has none. False when its timeline never started: no captions before the story. */
static bool vt_player_captions_time(const vt_player *p, const vt_layer *l, vt_ticks *t) {
    if (l->timeline == UINT32_MAX) {
        *t = p->now - p->start;
        return true;
    }
    if (l->timeline >= p->scene->timeline_count || !p->clocks[l->timeline].shown) {
        return false;
    }
    *t = vt_player_timeline_time(p, l->timeline, NULL);
    return true;
}

const vt_vtt_cue *vt_player_caption(const vt_player *p, uint32_t layer) {
    if (!p || !p->cues || layer >= p->scene->layer_count) {
        return NULL;
    }
    return p->cues[layer];
}

bool vt_player_text_update(vt_player *p) {
    const vt_scene *sc = p->scene;
    bool changed = p->language != p->shown_language;
    p->shown_language = p->language;
    for (uint32_t i = 0; i < sc->layer_count; i++) {
        const vt_layer *l = &sc->layers[i];
        if (l->type != VT_LAYER_CAPTIONS) {
            continue;
        }
        const vt_text_variant *v = vt_player_text_variant(p, i);
        vt_ticks t = 0;
        const vt_vtt_cue *cue =
            v && vt_player_captions_time(p, l, &t) ? vt_vtt_active(&v->vtt, t) : NULL;
        changed = changed || cue != p->cues[i];
        p->cues[i] = cue;
    }
    return changed;
}

/* A captions layer's next cue boundary in scene time, or INT64_MAX. With a timeline, only
 * while it plays, and only within the current play: its loop point or end is a change of the
 * timeline's own, and a held timeline moves no cue. */
static vt_ticks vt_player_captions_next(const vt_player *p, uint32_t layer, vt_ticks now) {
    const vt_layer *l = &p->scene->layers[layer];
    const vt_text_variant *v = vt_player_text_variant(p, layer);
    if (!v || v->vtt.count == 0) {
        return INT64_MAX;
    }
    if (l->timeline == UINT32_MAX) {
        vt_ticks n = vt_vtt_next_change(&v->vtt, now - p->start);
        return n < 0 || n > INT64_MAX - p->start ? INT64_MAX : p->start + n;
    }
    bool playing = false;
    if (l->timeline >= p->scene->timeline_count) {
        return INT64_MAX;
    }
    vt_ticks u = vt_player_timeline_time(p, l->timeline, &playing) + (now - p->now);
    const vt_timeline *tl = &p->scene->timelines[l->timeline];
    if (!playing || u >= tl->duration) {
        return INT64_MAX;
    }
    vt_ticks n = vt_vtt_next_change(&v->vtt, u);
    return n < 0 || n >= tl->duration ? INT64_MAX : now + (n - u);
}

vt_ticks vt_player_text_next_change(const vt_player *p, vt_ticks now) {
    vt_ticks best = INT64_MAX;
    for (uint32_t i = 0; i < p->scene->layer_count; i++) {
        if (p->scene->layers[i].type == VT_LAYER_CAPTIONS) {
            vt_ticks t = vt_player_captions_next(p, i, now);
            best = t < best ? t : best;
        }
    }
    return best;
}

uint32_t vt_player_language(const vt_player *p) {
    return p ? p->language : 0;
}

void vt_player_text_carry_over(vt_player *p, const vt_player *old) {
    const vt_scene *ns = p->scene, *os = old->scene;
    if (old->language >= os->language_count) {
        return;
    }
    for (uint32_t i = 0; i < ns->language_count; i++) {
        if (strcasecmp(ns->languages[i], os->languages[old->language]) == 0) {
            p->language = p->language_prev = i;
            return;
        }
    }
}
