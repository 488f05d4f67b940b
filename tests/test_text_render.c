/* Tests of text drawing in engine/render, headless (SDL offscreen, Mesa llvmpipe): golden frames
 * for French, English, Arabic, mixed direction, a ligature, combining accents, justified and
 * ellipsised paragraphs and captions; sharpness at render scale 0.5; layouts kept between
 * frames; the atlas texture rebuilt after a GPU rebuild; boxes taken from the text. */
#include "platform/vt_platform.h"
#include "render/render_internal.h"
#include "vt_test.h"
#include "render_util.h"

#define W 320
#define H 180
#define MAX_LAYERS 4

typedef struct test_scene {
    vt_scene scene;
    vt_layer layers[MAX_LAYERS];
    vt_text_variant variants[MAX_LAYERS];
    vt_draw_item items[MAX_LAYERS];
} test_scene;

static void scene_init(test_scene *t) {
    memset(t, 0, sizeof *t);
    t->scene.path = "text.yaml";
    t->scene.width = W;
    t->scene.height = H;
    t->scene.background = (vt_color){24, 28, 40, 255};
    t->scene.fps = 30;
    t->scene.layers = t->layers;
}

/* A text layer as the loader leaves it (defaults filled); w = 0: no box. */
static vt_layer *add_text(test_scene *t, const char *text, const char *lang, double x, double y,
                          double w, double h, double size) {
    size_t i = t->scene.layer_count++;
    vt_layer *l = &t->layers[i];
    l->id = "text";
    l->type = VT_LAYER_TEXT;
    l->has_size = w > 0;
    l->lang = (char *)lang;
    l->props = (vt_layer_props){.position = {x, y},
                                .size = {w, h},
                                .scale = {1, 1},
                                .opacity = 1,
                                .color = {244, 239, 230, 255},
                                .visible = true,
                                .reveal = 1};
    l->text = (vt_text_style){.font = "DejaVu Sans",
                              .weight = 400,
                              .size = size,
                              .align = VT_ALIGN_START,
                              .line_height = 1.25,
                              .plate = {0, 0, 0, 0}, /* text: none; captions: #000000b3 */
                              .plate_padding = 0.4 * size};
    t->variants[i] = (vt_text_variant){.text = (char *)text};
    l->variants = &t->variants[i];
    l->variant_count = 1;
    l->timeline = UINT32_MAX;
    return l;
}

static vt_renderer *make_renderer(void) {
    vt_renderer *r = NULL;
    vt_error err = {0};
    vt_renderer_desc desc = {W, H};
    if (vt_renderer_create(&desc, &r, &err) != VT_OK) {
        fprintf(stderr, "vt_renderer_create: %s\n", err.message);
        exit(1);
    }
    return r;
}

static void load(vt_renderer *r, test_scene *t) {
    vt_error err = {0};
    VT_CHECK_INT(vt_renderer_load_scene(r, &t->scene, &err), VT_OK);
}

/* Draws every layer with its own props and its variant's text. */
static void render(vt_renderer *r, test_scene *t, double scale, vt_frame_pixels *out) {
    for (size_t i = 0; i < t->scene.layer_count; i++) {
        t->items[i] = (vt_draw_item){.layer = (uint32_t)i,
                                     .props = t->layers[i].props,
                                     .text = t->variants[i].text,
                                     .lang = t->layers[i].lang};
    }
    vt_renderer_draw(r, &t->scene, t->items, t->scene.layer_count, scale);
    vt_renderer_read_start(r, 0);
    vt_error err = {0};
    VT_CHECK_INT(vt_renderer_read_finish(r, 0, out, &err), VT_OK);
}

/* Pixels brighter than the background by a margin, inside [x0,x1) x [y0,y1). */
static long lit(const vt_frame_pixels *f, int x0, int y0, int x1, int y1) {
    long n = 0;
    for (int y = y0; y < y1; y++) {
        for (int x = x0; x < x1; x++) {
            n += vt_px(f, x, y)[1] > 100;
        }
    }
    return n;
}

/* Renders one scene, checks its golden (llvmpipe is deterministic; a small tolerance for
 * other Mesa versions), and that text landed where the box is and nowhere else. */
static void golden(vt_renderer *r, test_scene *t, const char *name, int bx0, int by0, int bx1,
                   int by1) {
    load(r, t);
    vt_frame_pixels f = {0};
    render(r, t, 1.0, &f);
    VT_CHECK(vt_golden_check(name, &f, 24, 40));
    long inside = lit(&f, bx0, by0, bx1, by1), all = lit(&f, 0, 0, W, H);
    VT_CHECK(inside > 50);
    if (all != inside) {
        fprintf(stderr, "%s: %ld lit pixels outside [%d,%d)-[%d,%d)\n", name, all - inside, bx0,
                by0, bx1, by1);
    }
    VT_CHECK_INT(all, inside);
    free(f.rgba);
}

static void test_goldens(vt_renderer *r) {
    test_scene t;
    scene_init(&t);
    add_text(&t,
             "Les mar\xc3\xa9"
             "es : quand la mer se retire\xe2\x80\xa6 Vraiment ?",
             "fr", 10, 10, 300, 160, 28)
        ->text.font = "DejaVu Serif";
    golden(r, &t, "text-fr", 10, 10, 310, 170);

    scene_init(&t);
    add_text(&t, "Tides: when the sea withdraws, AVA WAVE.", "en", 10, 10, 300, 160, 26);
    golden(r, &t, "text-en", 10, 10, 310, 170);

    scene_init(&t);
    /* مرحبا بالعالم: right to left, aligned right (start) in its box. */
    add_text(&t,
             "\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 \xd8\xa8\xd8\xa7\xd9\x84\xd8\xb9\xd8\xa7"
             "\xd9\x84\xd9\x85",
             "ar", 10, 20, 300, 140, 36);
    golden(r, &t, "text-ar", 10, 20, 310, 160);

    scene_init(&t);
    add_text(&t, "Hello \xd7\xa2\xd7\x95\xd7\x9c\xd7\x9d 2026 world", NULL, 10, 30, 300, 120, 30);
    golden(r, &t, "text-mixed", 10, 30, 310, 150);

    scene_init(&t);
    /* A ligature (fi, fl in DejaVu Serif) and combining accents (e + U+0301, a + U+0308). */
    add_text(&t, "fifty flowers", "en", 10, 10, 300, 70, 40)->text.font = "DejaVu Serif";
    add_text(&t,
             "ce\xcc\x81le\xcc\x80"
             "bre a\xcc\x88",
             "fr", 10, 90, 300, 80, 40);
    golden(r, &t, "text-liga-marks", 10, 10, 310, 170);

    scene_init(&t);
    vt_layer *j = add_text(&t,
                           "Museum screens are full of text: titles, labels, quotations and "
                           "captions in several languages.",
                           "en", 10, 6, 300, 100, 17);
    j->text.align = VT_ALIGN_JUSTIFY;
    vt_layer *e = add_text(&t,
                           "An ellipsis ends this paragraph once two lines are full, however "
                           "long the text is.",
                           "en", 10, 112, 300, 62, 17);
    e->text.max_lines = 2;
    e->text.font = "DejaVu Serif";
    golden(r, &t, "text-justify-ellipsis", 10, 6, 310, 174);

    scene_init(&t);
    vt_layer *c = add_text(&t, "\xe2\x80\x94 O\xc3\xb9 va la mer ?", "fr", 0, 0, W, H, 20);
    c->type = VT_LAYER_CAPTIONS;
    c->text.plate = (vt_color){0, 0, 0, 179};
    golden(r, &t, "text-captions", 0, 100, W, H);
}

/* The plate of captions sits at the bottom centre of the box; the text is centred on it. */
static void test_captions_plate(vt_renderer *r) {
    test_scene t;
    scene_init(&t);
    vt_layer *c = add_text(&t, "Oui", "fr", 0, 0, W, H, 20);
    c->type = VT_LAYER_CAPTIONS;
    c->text.plate = (vt_color){255, 0, 0, 255};
    load(r, &t);
    vt_frame_pixels f = {0};
    render(r, &t, 1.0, &f);
    /* The plate: 8 px of padding around a 25 px line, its bottom at the box's: rows 139..180. */
    const uint8_t *p = vt_px(&f, 160, H - 3);
    VT_CHECK(p[0] == 255 && p[1] == 0 && p[2] == 0);
    VT_CHECK(vt_px(&f, 160, 136)[0] == 24);  /* above the plate: background */
    VT_CHECK(vt_px(&f, 20, H - 3)[0] == 24); /* left of it too: it hugs the text */
    long text_px = 0;
    for (int x = 100; x < 220; x++) {
        for (int y = 150; y < H; y++) {
            text_px += vt_px(&f, x, y)[1] > 150;
        }
    }
    VT_CHECK(text_px > 30);
    free(f.rgba);
}

/* A text layer that asks for a plate gets one around its lines, inside its box's top-left
 * corner, and its text moves in by the padding; without one the box is bare. */
static void test_text_plate(vt_renderer *r) {
    test_scene t;
    scene_init(&t);
    vt_layer *l = add_text(&t, "Oui", "fr", 40, 40, 200, 60, 20);
    l->text.plate = (vt_color){255, 0, 0, 255};
    l->text.plate_padding = 8;
    load(r, &t);
    vt_frame_pixels f = {0};
    render(r, &t, 1.0, &f);
    const uint8_t *p = vt_px(&f, 43, 43); /* inside the padding, top-left */
    VT_CHECK(p[0] == 255 && p[1] == 0 && p[2] == 0);
    VT_CHECK(vt_px(&f, 37, 43)[0] == 24);  /* left of the box: background */
    VT_CHECK(vt_px(&f, 200, 50)[0] == 24); /* right of "Oui": the plate hugs the text */
    long ink_left = 0;                      /* the text starts after the padding */
    for (int y = 40; y < 80; y++) {
        for (int x = 40; x < 48; x++) {
            ink_left += vt_px(&f, x, y)[1] > 150;
        }
    }
    VT_CHECK_INT(ink_left, 0);
    l->text.plate = (vt_color){0, 0, 0, 0};
    load(r, &t);
    render(r, &t, 1.0, &f);
    VT_CHECK(vt_px(&f, 43, 43)[0] == 24); /* no plate asked: none drawn */
    free(f.rgba);
}

/* Sum of absolute horizontal differences in green: how crisp the edges are. */
static double edge_energy(const vt_frame_pixels *f) {
    double s = 0;
    for (int y = 0; y < f->height; y++) {
        for (int x = 1; x < f->width; x++) {
            s += abs((int)vt_px(f, x, y)[1] - (int)vt_px(f, x - 1, y)[1]);
        }
    }
    return s;
}

/* At render scale 0.5 glyphs are rasterised at half size, not minified: as crisp as the full
 * frame box-filtered to half size, and close to it. */
static void test_half_scale_sharp(vt_renderer *r) {
    test_scene t;
    scene_init(&t);
    add_text(&t, "Sharp at half scale: Hamburgefonstiv 0123", "en", 10, 20, 300, 140, 30);
    load(r, &t);
    vt_frame_pixels full = {0}, half = {0};
    render(r, &t, 1.0, &full);
    render(r, &t, 0.5, &half);
    VT_CHECK_INT(half.width, W / 2);
    VT_CHECK(vt_golden_check("text-half", &half, 24, 20));
    vt_frame_pixels down = {.width = W / 2, .height = H / 2};
    down.rgba = vt_xcalloc((size_t)down.width * down.height * 4, 1);
    long ink_half = 0, ink_down = 0;
    for (int y = 0; y < down.height; y++) {
        for (int x = 0; x < down.width; x++) {
            for (int c = 0; c < 4; c++) {
                int sum = vt_px(&full, 2 * x, 2 * y)[c] + vt_px(&full, 2 * x + 1, 2 * y)[c] +
                          vt_px(&full, 2 * x, 2 * y + 1)[c] + vt_px(&full, 2 * x + 1, 2 * y + 1)[c];
                down.rgba[((size_t)y * down.width + x) * 4 + c] = (uint8_t)((sum + 2) / 4);
            }
            ink_down += vt_px(&down, x, y)[1] - 28;
            ink_half += vt_px(&half, x, y)[1] - 28;
        }
    }
    double e_half = edge_energy(&half), e_down = edge_energy(&down);
    printf("half scale: edge energy %.0f (box-filtered full frame %.0f), ink %ld (%ld)\n", e_half,
           e_down, ink_half, ink_down);
    /* As crisp, and the same amount of ink: the same text at the same size. */
    VT_CHECK(e_half > 0.9 * e_down);
    VT_CHECK(ink_half > 0.85 * ink_down && ink_half < 1.15 * ink_down);
    free(down.rgba);
    free(full.rgba);
    free(half.rgba);
}

/* Unchanged text is laid out once; a new text (a language switch) makes a new layout; a GPU
 * rebuild re-uploads the atlas and the frame is the same. */
static void test_cache_and_rebuild(vt_renderer *r) {
    test_scene t;
    scene_init(&t);
    add_text(&t, "Bonjour !", "fr", 20, 20, 0, 0, 32); /* no box: takes the text's size */
    load(r, &t);
    const vt_text_layout *lo = r->texts[0].layout;
    VT_CHECK(lo != NULL);
    VT_CHECK(lo && t.layers[0].props.size.x == lo->width && t.layers[0].props.size.y == lo->height);
    VT_CHECK(lo && lo->width > 100 && lo->width < 200);
    vt_frame_pixels a = {0}, b = {0}, c = {0};
    render(r, &t, 1.0, &a);
    size_t glyphs = vt_text_atlas_count(r->atlas);
    render(r, &t, 1.0, &b);
    VT_CHECK(r->texts[0].layout == lo);
    VT_CHECK_INT(vt_text_atlas_count(r->atlas), glyphs);
    VT_CHECK(memcmp(a.rgba, b.rgba, (size_t)W * H * 4) == 0);
    vt_error err = {0};
    VT_CHECK_INT(vt_renderer_rebuild_gpu(r, &err), VT_OK);
    VT_CHECK(r->atlas_tex == 0);
    render(r, &t, 1.0, &c);
    VT_CHECK(r->atlas_tex != 0);
    VT_CHECK(memcmp(a.rgba, c.rgba, (size_t)W * H * 4) == 0);
    /* Another language: another layout; NULL text: nothing drawn. */
    t.variants[0].text = "Hello!";
    t.layers[0].lang = "en";
    render(r, &t, 1.0, &b);
    VT_CHECK(r->texts[0].layout != NULL && strcmp(r->texts[0].layout->text, "Hello!") == 0);
    VT_CHECK(memcmp(a.rgba, b.rgba, (size_t)W * H * 4) != 0);
    t.variants[0].text = NULL;
    render(r, &t, 1.0, &b);
    VT_CHECK_INT(lit(&b, 0, 0, W, H), 0);
    /* Bad text is refused once, not drawn, and does not stop the frame. */
    t.variants[0].text = "bad \xff";
    render(r, &t, 1.0, &b);
    VT_CHECK(r->texts[0].layout == NULL);
    VT_CHECK_INT(lit(&b, 0, 0, W, H), 0);
    free(a.rgba);
    free(b.rgba);
    free(c.rgba);
}

/* Rotation and scale follow the layer transform like images: a text turned 90 degrees is
 * tall, not wide. */
static void test_transform(vt_renderer *r) {
    test_scene t;
    scene_init(&t);
    vt_layer *l = add_text(&t, "ROTATED", "en", 160, 90, 0, 0, 24);
    l->props.anchor = (vt_vec2){0.5, 0.5};
    l->props.rotation = 90;
    load(r, &t);
    vt_frame_pixels f = {0};
    render(r, &t, 1.0, &f);
    int x0 = W, x1 = 0, y0 = H, y1 = 0;
    for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
            if (vt_px(&f, x, y)[1] > 100) {
                x0 = x < x0 ? x : x0;
                x1 = x > x1 ? x : x1;
                y0 = y < y0 ? y : y0;
                y1 = y > y1 ? y : y1;
            }
        }
    }
    VT_CHECK(y1 - y0 > 2 * (x1 - x0));
    VT_CHECK(abs((x0 + x1) / 2 - 160) < 6 && abs((y0 + y1) / 2 - 90) < 8);
    free(f.rgba);
}

/* A giant letter is rasterised at a bounded size and magnified: it fills its place, and the
 * atlas holds a bitmap of at most 512 px em, not 1,800. */
static void test_giant(vt_renderer *r) {
    test_scene t;
    scene_init(&t);
    add_text(&t, "H", "en", 40, -1366, 0, 0, 300); /* baseline at y = 380 */
    t.layers[0].props.scale = (vt_vec2){6, 6};     /* 1,800 px em on the canvas */
    load(r, &t);
    vt_frame_pixels f = {0};
    render(r, &t, 1.0, &f);
    /* The H's left stem starts ~0.1 em right of the pen: from x = 40 + 180 on; the whole canvas
     * is inside its left stem's height. */
    long stem = lit(&f, 240, 0, 250, H);
    VT_CHECK(stem > 8 * H);
    int side = 0;
    const uint8_t *px = vt_text_atlas_pixels(r->atlas, &side);
    VT_CHECK(px != NULL && side <= 1024);
    free(f.rgba);
}

/* ---- reveal, size and letter spacing ---- */

/* One text layer in a 300 x 160 box at (10, 10), 24 px, revealed `reveal` by `by`. */
static void render_revealed(vt_renderer *r, const char *text, const char *lang, vt_reveal_by by,
                            const char *ease, double reveal, vt_frame_pixels *out) {
    test_scene t;
    scene_init(&t);
    vt_layer *l = add_text(&t, text, lang, 10, 10, 300, 160, 24);
    l->text.reveal_by = by;
    VT_CHECK(vt_ease_from_name(ease, &l->text.reveal_ease));
    l->props.reveal = reveal;
    load(r, &t);
    render(r, &t, 1.0, out);
}

static bool same_frame(const vt_frame_pixels *a, const vt_frame_pixels *b) {
    return a->rgba && b->rgba && memcmp(a->rgba, b->rgba, (size_t)W * H * 4) == 0;
}

/* Green above the background, summed: the ink of a frame (linear in a glyph's fade). */
static double ink(const vt_frame_pixels *f) {
    double s = 0;
    for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
            s += vt_px(f, x, y)[1] - 28;
        }
    }
    return s;
}

/* Half revealed is exactly the first half of the units drawn alone (the same glyphs at the same
 * places), by character, word and line, left to right and right to left; nothing at 0. */
static void test_reveal_units(vt_renderer *r) {
    static const struct {
        const char *text, *lang;
        vt_reveal_by by;
        const char *half; /* the text of the first half of the units */
    } cases[] = {
        {"AAA BBB CCC DDD", "en", VT_REVEAL_WORD, "AAA BBB"},
        {"AB CDE FGH", "en", VT_REVEAL_CHARACTER, "AB CD"}, /* 8 letters: 4 */
        {"AAA BBB\nCCC DDD", "en", VT_REVEAL_LINE, "AAA BBB"},
        /* مرحبا بالعالم: right to left, the first word is the one on the right */
        {"\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 \xd8\xa8\xd8\xa7\xd9\x84\xd8\xb9\xd8\xa7"
         "\xd9\x84\xd9\x85",
         "ar", VT_REVEAL_WORD, "\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        vt_frame_pixels none = {0}, half = {0}, alone = {0}, full = {0}, whole = {0};
        render_revealed(r, cases[i].text, cases[i].lang, cases[i].by, "linear", 0, &none);
        render_revealed(r, cases[i].text, cases[i].lang, cases[i].by, "linear", 0.5, &half);
        render_revealed(r, cases[i].half, cases[i].lang, cases[i].by, "linear", 1, &alone);
        render_revealed(r, cases[i].text, cases[i].lang, cases[i].by, "linear", 1, &full);
        render_revealed(r, cases[i].text, cases[i].lang, cases[i].by, "linear", 0.999999, &whole);
        if (!same_frame(&half, &alone)) {
            fprintf(stderr, "reveal case %zu: half revealed differs from '%s' alone\n", i,
                    cases[i].half);
        }
        VT_CHECK(same_frame(&half, &alone));
        VT_CHECK_INT(lit(&none, 0, 0, W, H), 0);
        VT_CHECK(lit(&half, 0, 0, W, H) > 50);
        VT_CHECK(lit(&full, 0, 0, W, H) > lit(&half, 0, 0, W, H) + 50);
        /* Just under 1: every unit but the last at full strength, the last nearly so. */
        VT_CHECK(fabs(ink(&whole) - ink(&full)) < 0.01 * ink(&full));
        free(none.rgba);
        free(half.rgba);
        free(alone.rgba);
        free(full.rgba);
        free(whole.rgba);
    }
}

/* The unit being revealed fades in over its share by the layer's easing: a quarter of the way
 * into the second of four words it has 1/4 of its ink (linear), 1/16 (in-quad). */
static void test_reveal_fade(vt_renderer *r) {
    vt_frame_pixels one = {0}, two = {0}, lin = {0}, quad = {0};
    render_revealed(r, "AAA", "en", VT_REVEAL_WORD, "linear", 1, &one);
    render_revealed(r, "AAA BBB", "en", VT_REVEAL_WORD, "linear", 1, &two);
    const char *text = "AAA BBB CCC DDD";
    render_revealed(r, text, "en", VT_REVEAL_WORD, "linear", 0.25 + 0.25 / 4, &lin);
    render_revealed(r, text, "en", VT_REVEAL_WORD, "in-quad", 0.25 + 0.25 / 4, &quad);
    double word = ink(&two) - ink(&one);
    VT_CHECK(word > 1000);
    double a_lin = (ink(&lin) - ink(&one)) / word, a_quad = (ink(&quad) - ink(&one)) / word;
    if (fabs(a_lin - 0.25) > 0.03 || fabs(a_quad - 0.0625) > 0.03) {
        fprintf(stderr, "reveal fade: %.3f (want 0.25), %.3f (want 0.0625)\n", a_lin, a_quad);
    }
    VT_CHECK(fabs(a_lin - 0.25) < 0.03);
    VT_CHECK(fabs(a_quad - 0.0625) < 0.03);
    free(one.rgba);
    free(two.rgba);
    free(lin.rgba);
    free(quad.rgba);
}

/* Mixed directions revealed by character: the Hebrew run shows from its right end (reading
 * order), checked against a golden. */
static void test_reveal_bidi_golden(vt_renderer *r) {
    test_scene t;
    scene_init(&t);
    /* "abc שלום def": 10 letters, half of them: a b c ש ל */
    vt_layer *l = add_text(&t, "abc \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d def", "en", 10, 10, 300, 160, 36);
    l->props.reveal = 0.5;
    golden(r, &t, "text-reveal-bidi", 10, 10, 310, 170);
}

/* Ink columns: the first and last lit x. */
static void ink_span(const vt_frame_pixels *f, int *x0, int *x1) {
    *x0 = W;
    *x1 = -1;
    for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
            if (vt_px(f, x, y)[1] > 100) {
                *x0 = x < *x0 ? x : *x0;
                *x1 = x > *x1 ? x : *x1;
            }
        }
    }
}

/* The em size and letter spacing a track gives (props) set the text again at that size and
 * spacing, on the same renderer: twice the size is about twice as wide; 10 px more spacing
 * after each of five letters is about 40 px wider between the first and last ink. */
static void test_size_and_spacing(vt_renderer *r) {
    test_scene t;
    scene_init(&t);
    vt_layer *l = add_text(&t, "Tides", "en", 10, 40, 0, 0, 48); /* the style says 48 */
    load(r, &t);
    vt_frame_pixels f = {0};
    int x0, x1, w20, w40, w20s;
    l->props.text_size = 20;
    render(r, &t, 1.0, &f);
    ink_span(&f, &x0, &x1);
    w20 = x1 - x0;
    l->props.text_size = 40;
    render(r, &t, 1.0, &f);
    ink_span(&f, &x0, &x1);
    w40 = x1 - x0;
    VT_CHECK(r->texts[0].layout && r->texts[0].layout->size == 40);
    l->props.text_size = 20;
    l->props.letter_spacing = 10;
    render(r, &t, 1.0, &f);
    ink_span(&f, &x0, &x1);
    w20s = x1 - x0;
    if (abs(w40 - 2 * w20) > 6 || abs(w20s - w20 - 40) > 3) {
        fprintf(stderr, "size/spacing: widths %d at 20, %d at 40, %d spaced\n", w20, w40, w20s);
    }
    VT_CHECK(w20 > 30);
    VT_CHECK(abs(w40 - 2 * w20) <= 6);
    VT_CHECK(abs(w20s - w20 - 40) <= 3);
    free(f.rgba);
}

int main(void) {
    vt_error err = {0};
    if (vt_platform_init(true, &err) != VT_OK) {
        fprintf(stderr, "vt_platform_init: %s\n", err.message);
        return 1;
    }
    vt_window *win = NULL;
    vt_window_desc wd = {.title = "test_text_render", .width = 160, .height = 90, .hidden = true};
    if (vt_window_create(&wd, &win, &err) != VT_OK) {
        fprintf(stderr, "vt_window_create: %s\n", err.message);
        return 1;
    }
    vt_renderer *r = make_renderer();
    test_goldens(r);
    test_captions_plate(r);
    test_text_plate(r);
    test_half_scale_sharp(r);
    test_cache_and_rebuild(r);
    test_transform(r);
    test_giant(r);
    test_reveal_units(r);
    test_reveal_fade(r);
    test_reveal_bidi_golden(r);
    test_size_and_spacing(r);
    vt_renderer_destroy(r);
    vt_window_destroy(win);
    vt_platform_quit();
    return vt_test_finish("test_text_render");
}
