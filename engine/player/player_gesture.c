/* Pointers and gestures (vt_player.h): each finger (and the mouse) from where it lands to where
 * it leaves; swipes fired as triggers, layers moved by `drag` and `scroll` and zoomed by
 * `pinch` (as `set` actions would move them), `pressed` and `selected` styles over the
 * evaluated properties, and the pointer shaders read. Deterministic: scripts replay it exactly.
 *
 * Thresholds (docs/scene-format.md, Gestures):
 * - a swipe is one finger alone that travels at least VT_SWIPE_SHARE of the canvas's shorter
 *   side within VT_SWIPE_TIME, its main direction at least twice the other; it fires when the
 *   finger leaves;
 * - a pinch is two fingers down on a layer with `pinch`: the scale follows their distance
 *   (within min..max), about their middle, and the layer follows the middle;
 * - a wheel notch scrolls `step` pixels, or zooms by VT_WHEEL_ZOOM about the pointer;
 * - `pressed` eases in and out over VT_PRESS_EASE. */
#include "player/player_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define VT_SWIPE_SHARE 0.06
#define VT_SWIPE_TIME VT_TICKS_PER_SEC
#define VT_WHEEL_ZOOM 1.1
#define VT_PRESS_EASE (VT_TICKS_PER_SEC / 10)

void vt_player_gesture_create(vt_player *p) {
    p->press = vt_xcalloc(p->scene->layer_count + 1, sizeof *p->press);
    p->pinch.layer = -1;
}

void vt_player_gesture_destroy(vt_player *p) {
    free(p->press);
}

vt_pointer_state vt_player_pointer(const vt_player *p) {
    return p ? p->pointer : (vt_pointer_state){0};
}

void vt_player_prop_get(const vt_layer_props *lp, vt_prop prop, double v[4]) {
    memset(v, 0, 4 * sizeof *v);
    switch (prop) {
    case VT_PROP_POSITION:
    case VT_PROP_SIZE:
    case VT_PROP_ANCHOR:
    case VT_PROP_SCALE: {
        const vt_vec2 *pair = prop == VT_PROP_POSITION ? &lp->position
                              : prop == VT_PROP_SIZE   ? &lp->size
                              : prop == VT_PROP_ANCHOR ? &lp->anchor
                                                       : &lp->scale;
        v[0] = pair->x;
        v[1] = pair->y;
        break;
    }
    case VT_PROP_ROTATION:
        v[0] = lp->rotation;
        break;
    case VT_PROP_OPACITY:
        v[0] = lp->opacity;
        break;
    case VT_PROP_COLOR:
        v[0] = lp->color.r;
        v[1] = lp->color.g;
        v[2] = lp->color.b;
        v[3] = lp->color.a;
        break;
    case VT_PROP_VISIBLE:
        v[0] = lp->visible;
        break;
    case VT_PROP_REVEAL:
        v[0] = lp->reveal;
        break;
    case VT_PROP_LETTER_SPACING:
        v[0] = lp->letter_spacing;
        break;
    case VT_PROP_TEXT_SIZE:
        v[0] = lp->text_size;
        break;
    default:
        break;
    }
}

/* ---- Feedback ---- */

static double press_weight(const vt_press *pr, vt_ticks now) {
    double u = (double)(now - pr->since) / (double)VT_PRESS_EASE;
    u = u < 0 ? 0 : u > 1 ? 1 : u;
    u = u * (2 - u); /* ease out */
    return pr->held > 0 ? pr->from + (1 - pr->from) * u : pr->from * (1 - u);
}

static void press_change(vt_player *p, long layer, int by) {
    if (layer < 0 || !p->scene->layers[layer].pressed) {
        return;
    }
    vt_press *pr = &p->press[layer];
    double w = press_weight(pr, p->now); /* eases from where it is */
    bool was = pr->held > 0;
    pr->held = pr->held + by < 0 ? 0 : pr->held + by;
    if (was != (pr->held > 0)) {
        pr->from = w;
        pr->since = p->now;
    }
}

static void style_apply(const vt_style *st, double w, vt_layer_props *lp) {
    for (int k = 0; k < VT_PROP_COUNT; k++) {
        if (!(st->props & (1u << k))) {
            continue;
        }
        double cur[4], v[4];
        vt_player_prop_get(lp, (vt_prop)k, cur);
        for (size_t j = 0; j < 4; j++) {
            v[j] = k == VT_PROP_VISIBLE ? (w > 0 ? st->v[k][j] : cur[j])
                                        : cur[j] + (st->v[k][j] - cur[j]) * w;
        }
        vt_player_apply(lp, (vt_prop)k, v);
    }
}

void vt_player_styles(const vt_player *p, vt_ticks now, vt_layer_props *props) {
    for (size_t l = 0; l < p->scene->layer_count; l++) {
        const vt_layer *layer = &p->scene->layers[l];
        const vt_style *sel = layer->selected;
        if (sel && (sel->by_state ? p->state == sel->index : p->language == sel->index)) {
            style_apply(sel, 1.0, &props[l]);
        }
        if (layer->pressed) {
            double w = press_weight(&p->press[l], now);
            if (w > 0) {
                style_apply(layer->pressed, w, &props[l]);
            }
        }
    }
}

vt_ticks vt_player_gesture_next_change(const vt_player *p, vt_ticks now) {
    for (size_t l = 0; l < p->scene->layer_count; l++) {
        const vt_press *pr = &p->press[l];
        if ((pr->held > 0 || pr->from > 0) && now - pr->since < VT_PRESS_EASE) {
            return now;
        }
    }
    return INT64_MAX;
}

/* ---- Moving layers ---- */

static const vt_gesture *gesture_at(const vt_player *p, long layer) {
    return layer >= 0 ? p->scene->layers[layer].gesture : NULL;
}

static void move_to(vt_player *p, long layer, double x, double y) {
    const vt_gesture *g = gesture_at(p, layer);
    double v[4] = {fmin(fmax(x, g->bounds[0]), g->bounds[2]),
                   fmin(fmax(y, g->bounds[1]), g->bounds[3]), 0, 0};
    vt_player_set_prop(p, (uint32_t)layer, VT_PROP_POSITION, v);
}

/* Scale by k about the point (cx, cy), within the pinch's limits; `lp` holds the position and
 * scale to start from. */
static void zoom_about(vt_player *p, long layer, const vt_layer_props *lp, double k, double cx,
                       double cy) {
    const vt_gesture *g = gesture_at(p, layer);
    double s0 = fabs(lp->scale.x) > 1e-9 ? fabs(lp->scale.x) : 1e-9;
    double s = fmin(fmax(s0 * k, g->scale_min), g->scale_max);
    k = s / s0;
    double v[4] = {lp->scale.x * k, lp->scale.y * k, 0, 0};
    vt_player_set_prop(p, (uint32_t)layer, VT_PROP_SCALE, v);
    move_to(p, layer, cx + (lp->position.x - cx) * k, cy + (lp->position.y - cy) * k);
}

static vt_pointer *find_pointer(vt_player *p, int64_t id) {
    for (size_t i = 0; i < VT_PLAYER_MAX_POINTERS; i++) {
        if (p->pointers[i].down && p->pointers[i].id == id) {
            return &p->pointers[i];
        }
    }
    return NULL;
}

static void grab(vt_pointer *pt, const vt_layer_props *lp) {
    pt->moves = true;
    pt->grab_x = lp->position.x - pt->x;
    pt->grab_y = lp->position.y - pt->y;
}

static void pinch_start(vt_player *p, vt_pointer *a, vt_pointer *b, const vt_layer_props *lp) {
    a->moves = b->moves = false;
    p->pinch = (vt_pinch){.layer = a->layer,
                          .a = a->id,
                          .b = b->id,
                          .d0 = fmax(hypot(b->x - a->x, b->y - a->y), 1.0),
                          .m0x = (a->x + b->x) / 2,
                          .m0y = (a->y + b->y) / 2,
                          .p0x = lp->position.x,
                          .p0y = lp->position.y,
                          .s0x = lp->scale.x,
                          .s0y = lp->scale.y};
}

static void pinch_move(vt_player *p) {
    vt_pointer *a = find_pointer(p, p->pinch.a), *b = find_pointer(p, p->pinch.b);
    if (!a || !b) {
        return;
    }
    const vt_pinch *pc = &p->pinch;
    double mx = (a->x + b->x) / 2, my = (a->y + b->y) / 2;
    vt_layer_props start = {.position = {pc->p0x, pc->p0y}, .scale = {pc->s0x, pc->s0y}};
    /* the layer follows the middle, then zooms about it */
    start.position.x += mx - pc->m0x;
    start.position.y += my - pc->m0y;
    zoom_about(p, pc->layer, &start, hypot(b->x - a->x, b->y - a->y) / pc->d0, mx, my);
}

/* ---- Pointer events ---- */

static void pointer_down(vt_player *p, const vt_event *ev, const vt_layer_props *props, long hit) {
    vt_pointer *pt = find_pointer(p, ev->pointer);
    if (pt) {
        pt->down = false; /* its release was lost: it starts over */
    }
    for (size_t i = 0; i < VT_PLAYER_MAX_POINTERS && !pt; i++) {
        pt = p->pointers[i].down ? NULL : &p->pointers[i];
    }
    if (!pt) {
        return; /* more fingers than kept: this one only touches */
    }
    *pt = (vt_pointer){.id = ev->pointer,
                       .down = true,
                       .x = ev->x,
                       .y = ev->y,
                       .x0 = ev->x,
                       .y0 = ev->y,
                       .t0 = p->now,
                       .layer = hit};
    for (size_t i = 0; i < VT_PLAYER_MAX_POINTERS; i++) {
        if (p->pointers[i].down && &p->pointers[i] != pt) {
            p->pointers[i].multi = pt->multi = true;
        }
    }
    press_change(p, hit, +1);
    const vt_gesture *g = gesture_at(p, hit);
    if (!g) {
        return;
    }
    vt_pointer *other = NULL; /* a finger already moving this layer */
    for (size_t i = 0; i < VT_PLAYER_MAX_POINTERS; i++) {
        vt_pointer *o = &p->pointers[i];
        other = o != pt && o->down && o->layer == hit && o->moves ? o : other;
    }
    if (g->pinch && p->pinch.layer < 0) {
        for (size_t i = 0; i < VT_PLAYER_MAX_POINTERS && !other; i++) {
            vt_pointer *o = &p->pointers[i];
            other = o != pt && o->down && o->layer == hit ? o : NULL;
        }
        if (other) {
            pinch_start(p, other, pt, &props[hit]);
            return;
        }
    }
    if ((g->drag || g->scroll) && !other && p->pinch.layer != hit) {
        grab(pt, &props[hit]);
    }
}

static void pointer_move(vt_player *p, vt_pointer *pt, const vt_layer_props *props) {
    if (p->pinch.layer >= 0 && (pt->id == p->pinch.a || pt->id == p->pinch.b)) {
        pinch_move(p);
    } else if (pt->moves) {
        const vt_gesture *g = gesture_at(p, pt->layer);
        const vt_layer_props *lp = &props[pt->layer];
        double x = pt->x + pt->grab_x, y = pt->y + pt->grab_y;
        move_to(p, pt->layer, g->axis == VT_AXIS_Y ? lp->position.x : x,
                g->axis == VT_AXIS_X ? lp->position.y : y);
    }
}

static void swipe(vt_player *p, const vt_pointer *pt) {
    const vt_scene *sc = p->scene;
    double dx = pt->x - pt->x0, dy = pt->y - pt->y0;
    double least = VT_SWIPE_SHARE * (sc->width < sc->height ? sc->width : sc->height);
    if (pt->multi || p->now - pt->t0 > VT_SWIPE_TIME || hypot(dx, dy) < least) {
        return;
    }
    const char *dir = NULL;
    if (fabs(dx) >= 2 * fabs(dy)) {
        dir = dx < 0 ? "left" : "right";
    } else if (fabs(dy) >= 2 * fabs(dx)) {
        dir = dy < 0 ? "up" : "down";
    }
    if (dir) {
        vt_player_fire_root(p, VT_WHEN_SWIPE,
                            pt->layer >= 0 ? (uint32_t)pt->layer : VT_WHEN_ANYWHERE, dir, p->now);
    }
}

static void pointer_up(vt_player *p, vt_pointer *pt, const vt_layer_props *props) {
    pointer_move(p, pt, props);
    pt->down = false;
    press_change(p, pt->layer, -1);
    if (p->pinch.layer >= 0 && (pt->id == p->pinch.a || pt->id == p->pinch.b)) {
        long layer = p->pinch.layer;
        vt_pointer *rest = find_pointer(p, pt->id == p->pinch.a ? p->pinch.b : p->pinch.a);
        p->pinch.layer = -1;
        const vt_gesture *g = gesture_at(p, layer);
        if (rest && (g->drag || g->scroll)) {
            /* the finger left on the layer drags it on from where the pinch put it */
            vt_player_shown(p, p->scratch);
            grab(rest, &p->scratch[layer]);
        }
        return;
    }
    swipe(p, pt);
}

static void wheel(vt_player *p, const vt_event *ev, const vt_layer_props *props, long hit) {
    const vt_gesture *g = gesture_at(p, hit);
    if (!g) {
        return;
    }
    const vt_layer_props *lp = &props[hit];
    if (g->scroll) {
        double along = g->axis == VT_AXIS_X && ev->dx == 0 ? ev->dy : ev->dx;
        move_to(p, hit, lp->position.x - (g->axis == VT_AXIS_X ? along * g->step : 0),
                lp->position.y - (g->axis == VT_AXIS_Y ? ev->dy * g->step : 0));
    } else if (g->pinch) {
        zoom_about(p, hit, lp, pow(VT_WHEEL_ZOOM, -ev->dy), ev->x, ev->y);
    }
}

static void track(vt_player *p, const vt_event *ev) {
    vt_pointer_state *st = &p->pointer;
    int count = 0;
    const vt_pointer *first = NULL;
    for (size_t i = 0; i < VT_PLAYER_MAX_POINTERS; i++) {
        const vt_pointer *pt = &p->pointers[i];
        if (pt->down) {
            count++;
            first = !first || pt->t0 < first->t0 ? pt : first;
        }
    }
    st->count = count;
    st->down = count > 0;
    if (first) {
        st->x = first->x;
        st->y = first->y;
        st->down_x = first->x0;
        st->down_y = first->y0;
    } else {
        st->x = ev->x;
        st->y = ev->y;
        if (ev->tap) {
            st->down_x = ev->x;
            st->down_y = ev->y;
        }
    }
}

void vt_player_pointer_event(vt_player *p, const vt_event *ev, const vt_layer_props *props,
                             long hit) {
    vt_pointer *pt = NULL;
    switch (ev->type) {
    case VT_EVENT_CLICK:
    case VT_EVENT_TOUCH:
        if (!ev->tap) {
            pointer_down(p, ev, props, hit);
        }
        break;
    case VT_EVENT_MOVE:
    case VT_EVENT_UP:
        pt = find_pointer(p, ev->pointer);
        if (pt) {
            pt->x = ev->x;
            pt->y = ev->y;
            if (ev->type == VT_EVENT_MOVE) {
                pointer_move(p, pt, props);
            } else {
                pointer_up(p, pt, props);
            }
        }
        break;
    case VT_EVENT_SCROLL:
        wheel(p, ev, props, hit);
        break;
    default:
        break;
    }
    track(p, ev);
}
