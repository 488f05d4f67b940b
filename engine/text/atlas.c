/* The glyph atlas: 8-bit coverage packed in shelves (rows of glyphs of similar height). When it
 * is full it doubles its side up to the maximum; past that it empties the run of adjacent
 * shelves used least recently (never one used in the current frame) tall enough for the glyph,
 * and makes it a shelf of the glyph's height. The CPU side is the truth; the
 * renderer uploads the dirty rectangle. */
#include "text/vt_text.h"

#include <stdlib.h>
#include <string.h>

#define PAD 1          /* empty texels between glyphs: linear filtering never reads a neighbour */
#define MAX_REFUSED 64 /* glyphs remembered as failed in the current frame */

typedef struct slot {
    vt_text_atlas_key key;
    vt_text_atlas_entry e;
    int shelf; /* -1: no pixels (an empty glyph) */
    bool live;
} slot;

typedef struct shelf {
    int y, h, x;
    uint64_t used; /* the last frame a glyph in it was used */
} shelf;

struct vt_text_atlas {
    int side, max;
    uint8_t *px;
    shelf *shelves;
    size_t shelf_count;
    int next_y;
    slot *slots;
    size_t slot_count, live;
    uint32_t *table; /* open addressing: slot index + 1, 0 empty */
    size_t table_cap;
    bool dirty, resized;
    int dx0, dy0, dx1, dy1;
    /* Glyphs that failed in refused_frame: not rasterised again before the next frame. */
    vt_text_atlas_key refused[MAX_REFUSED];
    size_t refused_count;
    uint64_t refused_frame;
};

static uint32_t key_hash(vt_text_atlas_key k) {
    uint32_t h = k.font * 2654435761u;
    h ^= k.glyph * 2246822519u + (h << 6) + (h >> 2);
    h ^= k.size_q * 3266489917u + (h << 6) + (h >> 2);
    h ^= k.phase * 668265263u + (h << 6) + (h >> 2);
    return h ^ (h >> 15);
}

static bool key_eq(vt_text_atlas_key a, vt_text_atlas_key b) {
    return a.font == b.font && a.glyph == b.glyph && a.size_q == b.size_q && a.phase == b.phase;
}

static void table_insert(vt_text_atlas *a, size_t index) {
    size_t mask = a->table_cap - 1, i = key_hash(a->slots[index].key) & mask;
    while (a->table[i]) {
        i = (i + 1) & mask;
    }
    a->table[i] = (uint32_t)index + 1;
}

/* Rebuilt whole after evictions and when it gets half full: simpler than tombstones. */
static void table_rebuild(vt_text_atlas *a) {
    size_t cap = 64;
    while (cap < a->slot_count * 2 + 2) {
        cap *= 2;
    }
    free(a->table);
    a->table = vt_xcalloc(cap, sizeof *a->table);
    a->table_cap = cap;
    for (size_t i = 0; i < a->slot_count; i++) {
        if (a->slots[i].live) {
            table_insert(a, i);
        }
    }
}

vt_text_atlas *vt_text_atlas_create(int initial, int max) {
    vt_text_atlas *a = vt_xcalloc(1, sizeof *a);
    a->max = max >= 16 ? max : 16;
    a->side = initial >= 16 ? (initial < a->max ? initial : a->max) : 16;
    a->px = vt_xcalloc((size_t)a->side * a->side, 1);
    a->resized = true;
    table_rebuild(a);
    return a;
}

void vt_text_atlas_destroy(vt_text_atlas *a) {
    if (!a) {
        return;
    }
    free(a->px);
    free(a->shelves);
    free(a->slots);
    free(a->table);
    free(a);
}

static slot *lookup(vt_text_atlas *a, vt_text_atlas_key key) {
    size_t mask = a->table_cap - 1, i = key_hash(key) & mask;
    while (a->table[i]) {
        slot *s = &a->slots[a->table[i] - 1];
        if (s->live && key_eq(s->key, key)) {
            return s;
        }
        i = (i + 1) & mask;
    }
    return NULL;
}

bool vt_text_atlas_find(vt_text_atlas *a, vt_text_atlas_key key, uint64_t frame,
                        vt_text_atlas_entry *out) {
    slot *s = lookup(a, key);
    if (!s) {
        return false;
    }
    if (s->shelf >= 0 && a->shelves[s->shelf].used < frame) {
        a->shelves[s->shelf].used = frame;
    }
    *out = s->e;
    return true;
}

void vt_text_atlas_note_failure(vt_text_atlas *a, vt_text_atlas_key key, uint64_t frame) {
    if (a->refused_frame != frame) {
        a->refused_frame = frame;
        a->refused_count = 0;
    }
    if (a->refused_count < MAX_REFUSED) {
        a->refused[a->refused_count++] = key;
    }
}

bool vt_text_atlas_failed(const vt_text_atlas *a, vt_text_atlas_key key, uint64_t frame) {
    if (a->refused_frame != frame) {
        return false;
    }
    for (size_t i = 0; i < a->refused_count; i++) {
        if (key_eq(a->refused[i], key)) {
            return true;
        }
    }
    return false;
}

static void mark_dirty(vt_text_atlas *a, int x, int y, int w, int h) {
    if (!a->dirty) {
        a->dx0 = x;
        a->dy0 = y;
        a->dx1 = x + w;
        a->dy1 = y + h;
        a->dirty = true;
        return;
    }
    a->dx0 = x < a->dx0 ? x : a->dx0;
    a->dy0 = y < a->dy0 ? y : a->dy0;
    a->dx1 = x + w > a->dx1 ? x + w : a->dx1;
    a->dy1 = y + h > a->dy1 ? y + h : a->dy1;
}

/* The shelf with room for w x h whose height wastes least; -1 when none. */
static int find_shelf(const vt_text_atlas *a, int w, int h) {
    int best = -1;
    for (size_t i = 0; i < a->shelf_count; i++) {
        const shelf *s = &a->shelves[i];
        if (s->h >= h && s->h <= h * 2 && s->x + w <= a->side &&
            (best < 0 || s->h < a->shelves[best].h)) {
            best = (int)i;
        }
    }
    if (best < 0 && a->next_y + h <= a->side && w <= a->side) {
        a->shelves[a->shelf_count] = (shelf){.y = a->next_y, .h = h};
        return -2; /* a new shelf: the caller commits it */
    }
    return best;
}

static bool grow(vt_text_atlas *a) {
    if (a->side >= a->max) {
        return false;
    }
    int side = a->side * 2 <= a->max ? a->side * 2 : a->max;
    uint8_t *px = vt_xcalloc((size_t)side * side, 1);
    for (int y = 0; y < a->side; y++) {
        memcpy(px + (size_t)y * side, a->px + (size_t)y * a->side, (size_t)a->side);
    }
    free(a->px);
    a->px = px;
    a->side = side;
    a->resized = true;
    mark_dirty(a, 0, 0, side, side);
    return true;
}

/* The run of adjacent shelves [*first, *last], none used in this frame, at least h tall
 * together, whose most recent use is oldest (then: the shortest). False when there is none. */
static bool find_run(const vt_text_atlas *a, int h, uint64_t frame, size_t *first, size_t *last) {
    bool found = false;
    uint64_t best_used = 0;
    int best_h = 0;
    for (size_t i = 0; i < a->shelf_count; i++) {
        uint64_t used = 0;
        int total = 0;
        for (size_t j = i; j < a->shelf_count && a->shelves[j].used < frame; j++) {
            used = a->shelves[j].used > used ? a->shelves[j].used : used;
            total += a->shelves[j].h;
            if (total < h) {
                continue;
            }
            if (!found || used < best_used || (used == best_used && total < best_h)) {
                found = true;
                best_used = used;
                best_h = total;
                *first = i;
                *last = j;
            }
            break;
        }
    }
    return found;
}

/* Makes room for a glyph h tall once the atlas is at its largest: empties a run of adjacent
 * shelves not used in this frame (their glyphs are added again when next drawn) and makes it
 * one shelf h tall, plus one shelf of what is left. Merging is what lets a glyph taller than
 * every shelf in (a title zoomed in): reusing a single shelf never could. -1 when nothing
 * fits. */
static int evict(vt_text_atlas *a, int h, uint64_t frame) {
    size_t first = 0, last = 0;
    if (!find_run(a, h, frame, &first, &last)) {
        return -1;
    }
    int y = a->shelves[first].y;
    int total = a->shelves[last].y + a->shelves[last].h - y;
    for (size_t i = 0; i < a->slot_count; i++) {
        slot *sl = &a->slots[i];
        if (sl->live && sl->shelf >= (int)first && sl->shelf <= (int)last) {
            sl->live = false;
            a->live--;
        }
    }
    size_t keep = total > h ? 2 : 1, removed = last - first + 1;
    a->shelves = vt_xrealloc(a->shelves, (a->shelf_count + 2) * sizeof *a->shelves);
    memmove(&a->shelves[first + keep], &a->shelves[last + 1],
            (a->shelf_count - last - 1) * sizeof *a->shelves);
    a->shelf_count = a->shelf_count - removed + keep;
    for (size_t i = 0; i < a->slot_count; i++) {
        slot *sl = &a->slots[i];
        if (sl->live && sl->shelf > (int)last) {
            sl->shelf = sl->shelf - (int)removed + (int)keep;
        }
    }
    a->shelves[first] = (shelf){.y = y, .h = h};
    if (keep == 2) {
        a->shelves[first + 1] = (shelf){.y = y + h, .h = total - h};
    }
    for (int r = y; r < y + total; r++) {
        memset(a->px + (size_t)r * a->side, 0, (size_t)a->side);
    }
    mark_dirty(a, 0, y, a->side, total);
    table_rebuild(a);
    return (int)first;
}

static size_t new_slot(vt_text_atlas *a) {
    for (size_t i = 0; i < a->slot_count; i++) {
        if (!a->slots[i].live) {
            return i;
        }
    }
    a->slots = vt_xrealloc(a->slots, (a->slot_count + 1) * sizeof *a->slots);
    return a->slot_count++;
}

vt_status vt_text_atlas_add(vt_text_atlas *a, vt_text_atlas_key key, int w, int h,
                            const uint8_t *pixels, int pitch, int left, int top, uint64_t frame,
                            vt_text_atlas_entry *out, vt_error *err) {
    if (w < 0 || h < 0 || w > a->max - PAD || h > a->max - PAD) {
        return VT_FAIL(err, VT_E_SOFTWARE, "a %dx%d glyph does not fit a %d px atlas", w, h,
                       a->max);
    }
    vt_text_atlas_entry e = {.w = w, .h = h, .left = left, .top = top};
    int sh = -1;
    if (w > 0 && h > 0) {
        int pw = w + PAD, ph = h + PAD;
        a->shelves = vt_xrealloc(a->shelves, (a->shelf_count + 1) * sizeof *a->shelves);
        while ((sh = find_shelf(a, pw, ph)) == -1 && grow(a)) {
        }
        if (sh == -2) {
            sh = (int)a->shelf_count++;
            a->next_y += ph;
        } else if (sh == -1 && (sh = evict(a, ph, frame)) < 0) {
            vt_text_atlas_note_failure(a, key, frame);
            return VT_FAIL(err, VT_E_SOFTWARE,
                           "no room for a %dx%d glyph in the %d px glyph atlas: the glyphs drawn "
                           "in this frame fill it; draw less text at once, or smaller",
                           w, h, a->side);
        }
        shelf *s = &a->shelves[sh];
        e.x = s->x;
        e.y = s->y;
        s->x += pw;
        s->used = frame;
        for (int y = 0; y < h; y++) {
            memcpy(a->px + (size_t)(e.y + y) * a->side + e.x, pixels + (size_t)y * pitch,
                   (size_t)w);
        }
        mark_dirty(a, e.x, e.y, w, h);
    }
    slot *existing = lookup(a, key);
    size_t i = existing ? (size_t)(existing - a->slots) : new_slot(a);
    a->slots[i] = (slot){.key = key, .e = e, .shelf = sh, .live = true};
    if (!existing) {
        a->live++;
        if ((a->slot_count + 1) * 2 > a->table_cap) {
            table_rebuild(a);
        } else {
            table_insert(a, i);
        }
    }
    *out = e;
    return VT_OK;
}

const uint8_t *vt_text_atlas_pixels(const vt_text_atlas *a, int *side) {
    *side = a->side;
    return a->px;
}

size_t vt_text_atlas_count(const vt_text_atlas *a) {
    return a->live;
}

bool vt_text_atlas_take_dirty(vt_text_atlas *a, int *x, int *y, int *w, int *h, bool *resized) {
    *resized = a->resized;
    if (!a->dirty && !a->resized) {
        return false;
    }
    if (a->resized) {
        *x = *y = 0;
        *w = *h = a->side;
    } else {
        *x = a->dx0;
        *y = a->dy0;
        *w = a->dx1 - a->dx0;
        *h = a->dy1 - a->dy0;
    }
    a->dirty = a->resized = false;
    return true;
}

void vt_text_atlas_touch_all(vt_text_atlas *a) {
    a->resized = true;
}
