/* Damage tracking: what changed on the canvas since the last frame. Each layer's record keeps
 * what it drew last (its draw item) and where (a box in canvas pixels); a frame's damage is the
 * union of the old and new boxes of the items that changed, appeared or went, rounded out to
 * whole target pixels. draw.c redraws only that part, scissored: every pixel inside it is drawn
 * exactly as a whole redraw would, and every pixel outside it was drawn by the same items in the
 * same state the frame before. */
#include "render/render_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A field added to these must be compared in same_item (else its changes are not seen). */
#if UINTPTR_MAX == 0xffffffffffffffffu
_Static_assert(sizeof(vt_layer_props) == 120, "compare the new field of vt_layer_props below");
_Static_assert(sizeof(vt_draw_item) == 248, "compare the new field of vt_draw_item below");
#endif

vt_render_box vt_render_box_none(void) {
    return (vt_render_box){INFINITY, INFINITY, -INFINITY, -INFINITY, false};
}

bool vt_render_box_is_empty(vt_render_box b) {
    return !b.all && !(b.x0 < b.x1 && b.y0 < b.y1);
}

static void add_point(vt_render_box *b, double x, double y) {
    if (!isfinite(x) || !isfinite(y)) {
        b->all = true;
        return;
    }
    b->x0 = fmin(b->x0, x);
    b->y0 = fmin(b->y0, y);
    b->x1 = fmax(b->x1, x);
    b->y1 = fmax(b->y1, y);
}

void vt_render_box_add_quad(vt_render_box *b, double ox, double oy, double ax, double ay, double bx,
                            double by) {
    add_point(b, ox, oy);
    add_point(b, ox + ax, oy + ay);
    add_point(b, ox + bx, oy + by);
    add_point(b, ox + ax + bx, oy + ay + by);
}

void vt_render_box_add(vt_render_box *b, vt_render_box o) {
    if (o.all) {
        b->all = true;
    } else if (!vt_render_box_is_empty(o)) {
        add_point(b, o.x0, o.y0);
        add_point(b, o.x1, o.y1);
    }
}

vt_render_rect vt_render_damage_rect(vt_render_box b, vt_render_rect canvas, double scene_w,
                                     double scene_h) {
    if (vt_render_box_is_empty(b) || canvas.w <= 0 || canvas.h <= 0 || !(scene_w > 0) ||
        !(scene_h > 0)) {
        return (vt_render_rect){canvas.x, canvas.y, 0, 0};
    }
    if (b.all) {
        return canvas;
    }
    /* As the viewport maps the canvas: x right from the canvas's left, y up from its bottom. */
    double kx = canvas.w / scene_w, ky = canvas.h / scene_h, m = VT_RENDER_DAMAGE_MARGIN;
    double x0 = floor(b.x0 * kx) - m, x1 = ceil(b.x1 * kx) + m;
    double y0 = floor(canvas.h - b.y1 * ky) - m, y1 = ceil(canvas.h - b.y0 * ky) + m;
    /* Within the canvas (in doubles: a box far outside must not overflow an int). */
    x0 = fmax(x0, 0.0);
    y0 = fmax(y0, 0.0);
    x1 = fmin(x1, canvas.w);
    y1 = fmin(y1, canvas.h);
    if (!(x1 > x0) || !(y1 > y0)) {
        return (vt_render_rect){canvas.x, canvas.y, 0, 0};
    }
    return (vt_render_rect){canvas.x + (int)x0, canvas.y + (int)y0, (int)(x1 - x0), (int)(y1 - y0)};
}

static bool same_str(const char *a, const char *b) {
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool same_props(const vt_layer_props *a, const vt_layer_props *b) {
    return a->position.x == b->position.x && a->position.y == b->position.y &&
           a->anchor.x == b->anchor.x && a->anchor.y == b->anchor.y && a->size.x == b->size.x &&
           a->size.y == b->size.y && a->scale.x == b->scale.x && a->scale.y == b->scale.y &&
           a->rotation == b->rotation && a->opacity == b->opacity && a->color.r == b->color.r &&
           a->color.g == b->color.g && a->color.b == b->color.b && a->color.a == b->color.a &&
           a->visible == b->visible && a->radius == b->radius && a->reveal == b->reveal &&
           a->text_size == b->text_size && a->letter_spacing == b->letter_spacing;
}

/* Whether the item draws what the record drew (every field of vt_draw_item; strings by value,
 * a film's picture by its serial). */
static bool same_item(const vt_render_damage_layer *d, const vt_draw_item *it) {
    const vt_draw_item *o = &d->item;
    if (o->layer != it->layer || !same_props(&o->props, &it->props) ||
        !same_str(d->text, it->text) || !same_str(d->lang, it->lang) || o->inputs != it->inputs ||
        o->shader_time != it->shader_time || o->frame != it->frame ||
        o->mouse_down != it->mouse_down || o->video != it->video ||
        (it->video && d->video_serial != it->video->serial)) {
        return false;
    }
    for (int i = 0; i < 4; i++) {
        if (o->date[i] != it->date[i] || o->mouse[i] != it->mouse[i]) {
            return false;
        }
    }
    return true;
}

static void set_str(char **dst, const char *src) {
    if (!same_str(*dst, src)) {
        free(*dst);
        *dst = src ? vt_xstrdup(src) : NULL;
    }
}

static void record(vt_render_damage_layer *d, const vt_draw_item *it, vt_render_box box,
                   uint64_t frame) {
    set_str(&d->text, it->text);
    set_str(&d->lang, it->lang);
    d->item = *it;
    d->item.text = d->text;
    d->item.lang = d->lang;
    d->video_serial = it->video ? it->video->serial : 0;
    d->box = box;
    d->drawn = true;
    d->seen = frame;
}

void vt_render_damage_free(vt_renderer *r) {
    for (size_t i = 0; i < r->damage.count; i++) {
        free(r->damage.layers[i].text);
        free(r->damage.layers[i].lang);
    }
    free(r->damage.layers);
    r->damage.layers = NULL;
    r->damage.count = 0;
    r->damage.scene = NULL;
}

bool vt_render_damage_update(vt_renderer *r, const vt_scene *scene, const vt_draw_item *items,
                             size_t count, bool full, vt_render_rect *area) {
    if (r->damage.scene != scene || r->damage.count != scene->layer_count) {
        vt_render_damage_free(r);
        r->damage.layers = vt_xcalloc(scene->layer_count + 1, sizeof *r->damage.layers);
        r->damage.count = scene->layer_count;
        r->damage.scene = scene;
        full = true;
    }
    /* The last frame drew its items in another order than their layers': not the records'. */
    full |= r->damage.unordered;
    r->damage.unordered = false;
    vt_render_box box = vt_render_box_none();
    uint64_t frame = r->frame;
    uint32_t last = 0;
    for (size_t i = 0; i < count; i++) {
        const vt_draw_item *it = &items[i];
        if (it->layer >= scene->layer_count) {
            continue; /* not drawn */
        }
        if (i > 0 && it->layer <= last) {
            /* layers out of order or twice: the records cannot follow (nor next frame) */
            full = r->damage.unordered = true;
        }
        last = it->layer;
        vt_render_damage_layer *d = &r->damage.layers[it->layer];
        if (full) {
            record(d, it, vt_render_item_box(r, scene, it), frame);
        } else if (!d->drawn) {
            vt_render_box now = vt_render_item_box(r, scene, it);
            vt_render_box_add(&box, now);
            record(d, it, now, frame);
        } else if (!same_item(d, it)) {
            vt_render_box now = vt_render_item_box(r, scene, it);
            vt_render_box_add(&box, d->box);
            vt_render_box_add(&box, now);
            record(d, it, now, frame);
        } else {
            d->seen = frame;
        }
    }
    for (size_t i = 0; i < r->damage.count; i++) {
        vt_render_damage_layer *d = &r->damage.layers[i];
        if (d->drawn && d->seen != frame) {
            vt_render_box_add(&box, d->box); /* it went */
            d->drawn = false;
        }
    }
    if (full || box.all) {
        return false;
    }
    *area = vt_render_damage_rect(box, r->canvas, scene->width, scene->height);
    return true;
}
