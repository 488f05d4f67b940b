/* Layer textures: images decoded, premultiplied and kept on the CPU side, in tiles past the
 * GPU's size limit (tiles.c draws them); placeholders for images that cannot be loaded; upload
 * with mipmaps. */
#include "io/vt_image.h"
#include "render/render_internal.h"

#include <stdlib.h>
#include <string.h>

#define VT_RENDER_PLACEHOLDER_SIDE 256
#define VT_RENDER_PLACEHOLDER_CELL 8

int vt_render_max_texture_side(const vt_renderer *r) {
    int side = r->gl_max_texture_size;
    if (r->max_texture_override > 0 && r->max_texture_override < side) {
        side = r->max_texture_override;
    }
    return side;
}

/* Straight alpha filtered or mipmapped bleeds the colour of transparent texels into edges (dark
 * fringes); premultiplied texels filter correctly. Rounded to nearest. */
static void premultiply(uint8_t *px, size_t count) {
    for (size_t i = 0; i < count; i++, px += 4) {
        unsigned a = px[3];
        for (int c = 0; c < 3; c++) {
            px[c] = (uint8_t)((px[c] * a + 127) / 255);
        }
    }
}

/* The same at 16 bits, for the sources that keep them. */
static void premultiply16(uint16_t *px, size_t count) {
    for (size_t i = 0; i < count; i++, px += 4) {
        uint32_t a = px[3];
        for (int c = 0; c < 3; c++) {
            px[c] = (uint16_t)((px[c] * a + 32767) / 65535);
        }
    }
}

/* Magenta and black squares: unmistakable on a wall, so a missing file is noticed. */
static void make_placeholder(vt_render_texture *t) {
    int side = VT_RENDER_PLACEHOLDER_SIDE;
    t->width = t->height = side;
    t->natural_w = t->natural_h = side;
    t->placeholder = true;
    t->pixels = vt_xmalloc((size_t)side * side * 4);
    for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
            uint8_t *p = t->pixels + ((size_t)y * side + x) * 4;
            bool on =
                ((x / VT_RENDER_PLACEHOLDER_CELL) + (y / VT_RENDER_PLACEHOLDER_CELL)) % 2 == 0;
            p[0] = on ? 255 : 0;
            p[1] = 0;
            p[2] = on ? 255 : 0;
            p[3] = 255;
        }
    }
}

/* `pre`, when given, is this layer's image decoded beforehand: its pixels are taken over. */
static void load_image(vt_renderer *r, const vt_layer *layer, vt_render_texture *t,
                       vt_image_result *pre) {
    t->used = true;
    t->filter = layer->filter;
    vt_image img = {0};
    vt_error err = {0};
    vt_status st;
    if (pre) {
        st = pre->status;
        err = pre->error;
        img = pre->image;
        pre->image = (vt_image){0};
    } else if (layer->src_path) {
        vt_image_limits lim = {.keep_16bit = true};
        st = vt_image_load(layer->src_path, &lim, &img, &err);
    } else {
        st = VT_FAIL(&err, VT_E_NOINPUT, "the image path was not resolved");
    }
    if (st != VT_OK) {
        vt_log(VT_LOG_WARN, "render",
               "layer '%s': cannot load image '%s': %s; drawing a "
               "checkerboard in its place",
               layer->id ? layer->id : "?", layer->src ? layer->src : "?", err.message);
        make_placeholder(t);
        return;
    }
    t->natural_w = img.width;
    t->natural_h = img.height;
    int max_side = vt_render_max_texture_side(r);
    vt_error tile_err = {0};
    if (vt_image_tiling_plan(layer->src_path, img.width, img.height, max_side, &t->tiling,
                             &tile_err) != VT_OK) {
        vt_log(VT_LOG_WARN, "render",
               "layer '%s': cannot load image '%s': %s; drawing a "
               "checkerboard in its place",
               layer->id ? layer->id : "?", layer->src ? layer->src : "?", tile_err.message);
        vt_image_free(&img);
        make_placeholder(t);
        return;
    }
    t->wrap = layer->wrap;
    if (t->tiling.levels > 0) {
        vt_log(VT_LOG_INFO, "render",
               "layer '%s': image '%s' is %dx%d, over this GPU's limit of %d pixels a side: "
               "drawn from %dx%d tiles",
               layer->id ? layer->id : "?", layer->src ? layer->src : "?", img.width, img.height,
               max_side, t->tiling.cols, t->tiling.rows);
    }
    t->width = t->tiling.overview_w;
    t->height = t->tiling.overview_h;
    char warning[512];
    if (vt_render_tiled_shape_warning(layer, &t->tiling, max_side, warning, sizeof warning)) {
        vt_log(VT_LOG_WARN, "render", "%s", warning);
    }
    if (img.pixels16) { /* the 16-bit copy is drawn; the 8-bit one is not needed */
        premultiply16(img.pixels16, (size_t)img.width * img.height);
        t->pixels16 = img.pixels16;
        free(img.pixels);
        return;
    }
    premultiply(img.pixels, (size_t)img.width * img.height);
    t->pixels = img.pixels; /* taken over from img */
}

/* Halves a premultiplied RGBA8 level with a 2x2 box (the last row/column repeats for odd
 * sizes). Done on the CPU: on Mesa's llvmpipe glGenerateMipmap costs ~30 ms a texture
 * (a blit pipeline compiled and run per level), which delayed the first frame. */
static void halve(const uint8_t *src, int w, int h, uint8_t *dst, int w2, int h2) {
    for (int y = 0; y < h2; y++) {
        const uint8_t *r0 = src + (size_t)(2 * y < h ? 2 * y : h - 1) * w * 4;
        const uint8_t *r1 = src + (size_t)(2 * y + 1 < h ? 2 * y + 1 : h - 1) * w * 4;
        for (int x = 0; x < w2; x++) {
            int x0 = 2 * x < w ? 2 * x : w - 1, x1 = 2 * x + 1 < w ? 2 * x + 1 : w - 1;
            for (int c = 0; c < 4; c++) {
                int sum = r0[x0 * 4 + c] + r0[x1 * 4 + c] + r1[x0 * 4 + c] + r1[x1 * 4 + c];
                dst[((size_t)y * w2 + x) * 4 + c] = (uint8_t)((sum + 2) / 4);
            }
        }
    }
}

/* The same for a premultiplied RGBA16 level. */
static void halve16(const uint16_t *src, int w, int h, uint16_t *dst, int w2, int h2) {
    for (int y = 0; y < h2; y++) {
        const uint16_t *r0 = src + (size_t)(2 * y < h ? 2 * y : h - 1) * w * 4;
        const uint16_t *r1 = src + (size_t)(2 * y + 1 < h ? 2 * y + 1 : h - 1) * w * 4;
        for (int x = 0; x < w2; x++) {
            int x0 = 2 * x < w ? 2 * x : w - 1, x1 = 2 * x + 1 < w ? 2 * x + 1 : w - 1;
            for (int c = 0; c < 4; c++) {
                uint32_t sum =
                    (uint32_t)r0[x0 * 4 + c] + r0[x1 * 4 + c] + r1[x0 * 4 + c] + r1[x1 * 4 + c];
                dst[((size_t)y * w2 + x) * 4 + c] = (uint16_t)((sum + 2) / 4);
            }
        }
    }
}

/* Halves an RGBA image of 8- or 16-bit channels (box filter, edges clamped). */
static void halve_any(const void *src, int w, int h, void *dst, int w2, int h2, bool wide) {
    if (wide) {
        halve16(src, w, h, dst, w2, h2);
    } else {
        halve(src, w, h, dst, w2, h2);
    }
}

/* The bound texture's levels: `src` (w x h) and the chain below it, each level box-filtered
 * from the one above, at 8 or 16 bits a channel as the picture was decoded. */
static void upload_chain(const void *src, int w, int h, bool wide) {
    GLint format = wide ? GL_RGBA16 : GL_RGBA8;
    GLenum type = wide ? GL_UNSIGNED_SHORT : GL_UNSIGNED_BYTE;
    size_t px = wide ? 8 : 4;
    glTexImage2D(GL_TEXTURE_2D, 0, format, w, h, 0, GL_RGBA, type, src);
    int level = 0;
    void *prev = NULL;
    while (w > 1 || h > 1) {
        int w2 = w > 1 ? w / 2 : 1, h2 = h > 1 ? h / 2 : 1;
        void *dst = vt_xmalloc((size_t)w2 * h2 * px);
        halve_any(src, w, h, dst, w2, h2, wide);
        glTexImage2D(GL_TEXTURE_2D, ++level, format, w2, h2, 0, GL_RGBA, type, dst);
        free(prev);
        prev = dst;
        src = dst;
        w = w2;
        h = h2;
    }
    free(prev);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAX_LEVEL, level);
}

/* The bound texture's filters and edges (clamped: wrap.c repeats them for a draw). */
static void set_params(vt_filter filter) {
    bool nearest = filter == VT_FILTER_NEAREST;
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER,
                    nearest ? GL_NEAREST : GL_LINEAR_MIPMAP_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, nearest ? GL_NEAREST : GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
}

/* A texel index along an axis of n texels, for one outside it: the edge repeated, or the
 * opposite edge when the axis wraps. */
static int edge_index(int i, int n, bool wrap) {
    if (i >= 0 && i < n) {
        return i;
    }
    if (wrap) {
        return (i % n + n) % n;
    }
    return i < 0 ? 0 : n - 1;
}

/* Copies the w x h texels from (x, y) of a level (lw x lh) into dst, edges as edge_index. */
static void cut(const uint8_t *level, int lw, int lh, int x, int y, int w, int h, size_t px,
                bool wrap_x, bool wrap_y, uint8_t *dst) {
    for (int j = 0; j < h; j++) {
        const uint8_t *row = level + (size_t)edge_index(y + j, lh, wrap_y) * lw * px;
        uint8_t *out = dst + (size_t)j * w * px;
        if (x >= 0 && x + w <= lw) {
            memcpy(out, row + (size_t)x * px, (size_t)w * px);
            continue;
        }
        for (int i = 0; i < w; i++) {
            memcpy(out + (size_t)i * px, row + (size_t)edge_index(x + i, lw, wrap_x) * px, px);
        }
    }
}

/* An image over the texture limit: its levels 0 to K cut into tiles with their borders, and
 * level K and those above it in `id` (the overview), all from one mipmap chain so that tiles
 * and overview hold the texels one texture would. */
static void upload_tiled(vt_render_texture *t) {
    const vt_image_tiling *p = &t->tiling;
    bool wide = t->pixels16 != NULL;
    GLint format = wide ? GL_RGBA16 : GL_RGBA8;
    GLenum type = wide ? GL_UNSIGNED_SHORT : GL_UNSIGNED_BYTE;
    size_t px = wide ? 8 : 4;
    int k_max = p->levels, b = p->border;
    bool wrap_x = t->wrap == VT_WRAP_X || t->wrap == VT_WRAP_BOTH;
    bool wrap_y = t->wrap == VT_WRAP_Y || t->wrap == VT_WRAP_BOTH;
    const uint8_t **level = vt_xcalloc((size_t)k_max + 1, sizeof *level);
    int *lw = vt_xcalloc((size_t)k_max + 1, sizeof *lw),
        *lh = vt_xcalloc((size_t)k_max + 1, sizeof *lh);
    level[0] = wide ? (const uint8_t *)t->pixels16 : t->pixels;
    lw[0] = t->natural_w;
    lh[0] = t->natural_h;
    for (int k = 1; k <= k_max; k++) {
        lw[k] = lw[k - 1] > 1 ? lw[k - 1] / 2 : 1;
        lh[k] = lh[k - 1] > 1 ? lh[k - 1] / 2 : 1;
        uint8_t *dst = vt_xmalloc((size_t)lw[k] * lh[k] * px);
        halve_any(level[k - 1], lw[k - 1], lh[k - 1], dst, lw[k], lh[k], wide);
        level[k] = dst;
    }
    size_t count = (size_t)p->cols * p->rows;
    t->tiles = vt_xcalloc(count, sizeof *t->tiles);
    uint8_t *buf = vt_xmalloc((size_t)(p->step + 2 * b) * (p->step + 2 * b) * px);
    for (int row = 0; row < p->rows; row++) {
        for (int col = 0; col < p->cols; col++) {
            vt_render_tile *tile = &t->tiles[(size_t)row * p->cols + col];
            int x0 = col * p->step, y0 = row * p->step;
            int cw = t->natural_w - x0 < p->step ? t->natural_w - x0 : p->step;
            int ch = t->natural_h - y0 < p->step ? t->natural_h - y0 : p->step;
            /* whole multiples of 2^K: every level of the tile lines up with the image's */
            tile->x = x0 - b;
            tile->y = y0 - b;
            tile->w = (cw + b - 1) / b * b + 2 * b;
            tile->h = (ch + b - 1) / b * b + 2 * b;
            glGenTextures(1, &tile->id);
            glBindTexture(GL_TEXTURE_2D, tile->id);
            for (int k = 0; k <= k_max; k++) {
                int w = tile->w >> k, h = tile->h >> k;
                cut(level[k], lw[k], lh[k], tile->x / (1 << k), tile->y / (1 << k), w, h, px,
                    wrap_x, wrap_y, buf);
                glTexImage2D(GL_TEXTURE_2D, k, format, w, h, 0, GL_RGBA, type, buf);
            }
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAX_LEVEL, k_max);
            set_params(t->filter);
        }
    }
    free(buf);
    glGenTextures(1, &t->id);
    glBindTexture(GL_TEXTURE_2D, t->id);
    upload_chain(level[k_max], lw[k_max], lh[k_max], wide);
    set_params(t->filter);
    for (int k = 1; k <= k_max; k++) {
        free((void *)level[k]);
    }
    free(level);
    free(lw);
    free(lh);
}

void vt_render_texture_upload(vt_render_texture *t) {
    if (!t->used || t->alias) {
        return;
    }
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    if (t->tiling.levels > 0) {
        upload_tiled(t);
    } else {
        glGenTextures(1, &t->id);
        glBindTexture(GL_TEXTURE_2D, t->id);
        bool wide = t->pixels16 != NULL;
        upload_chain(wide ? (const void *)t->pixels16 : (const void *)t->pixels, t->width,
                     t->height, wide);
        set_params(t->filter);
    }
    glBindTexture(GL_TEXTURE_2D, 0);
}

void vt_render_texture_free_gpu(vt_render_texture *t) {
    if (t->id) {
        glDeleteTextures(1, &t->id);
        t->id = 0;
    }
    if (t->tiles) {
        for (size_t i = 0; i < (size_t)t->tiling.cols * t->tiling.rows; i++) {
            if (t->tiles[i].id) {
                glDeleteTextures(1, &t->tiles[i].id);
            }
        }
        free(t->tiles);
        t->tiles = NULL;
    }
}

void vt_render_textures_free(vt_render_texture *tex, size_t count) {
    for (size_t i = 0; i < count; i++) {
        vt_render_texture_free_gpu(&tex[i]);
        if (!tex[i].borrowed) {
            free(tex[i].pixels);
            free(tex[i].pixels16);
        }
    }
    free(tex);
}

const vt_render_texture *vt_render_texture_of(const vt_renderer *r, size_t layer) {
    if (layer >= r->texture_count || !r->textures[layer].used) {
        return NULL;
    }
    const vt_render_texture *t = &r->textures[layer];
    return t->alias ? &r->textures[t->source] : t;
}

/* Layer i shows the same file as layer j (j < i, already loaded): its texture is shared. */
static void share_texture(const vt_scene *scene, vt_render_texture *tex, size_t i, size_t j) {
    vt_render_texture *t = &tex[i];
    *t = tex[j];
    t->id = 0;
    t->tiles = NULL;
    t->source = j;
    t->filter = scene->layers[i].filter;
    t->wrap = scene->layers[i].wrap;
    /* tiles hold their borders as the layer wraps */
    t->alias = t->filter == tex[j].filter && (t->tiling.levels == 0 || t->wrap == tex[j].wrap);
    t->borrowed = !t->alias;
    if (t->alias) {
        t->pixels = NULL;
        t->pixels16 = NULL;
    }
}

vt_status vt_renderer_load_scene(vt_renderer *r, vt_scene *scene, vt_error *err) {
    return vt_renderer_load_scene_decoded(r, scene, NULL, err);
}

vt_status vt_renderer_load_scene_decoded(vt_renderer *r, vt_scene *scene, vt_image_result *images,
                                         vt_error *err) {
    while (glGetError() != GL_NO_ERROR) {
        /* Errors raised before this call are not this scene's. */
    }
    vt_render_texture *tex = vt_xcalloc(scene->layer_count, sizeof *tex);
    size_t *first =
        vt_scene_image_first_users(scene); /* layers showing one file share its texture */
    for (size_t i = 0; i < scene->layer_count; i++) {
        vt_layer *layer = &scene->layers[i];
        if (layer->type != VT_LAYER_IMAGE) {
            continue;
        }
        if (first[i] != i) {
            share_texture(scene, tex, i, first[i]);
        } else {
            load_image(r, layer, &tex[i], images ? &images[i] : NULL);
        }
        vt_render_texture_upload(&tex[i]);
        if (!layer->has_size) {
            layer->props.size = (vt_vec2){tex[i].natural_w, tex[i].natural_h};
        }
    }
    free(first);
    GLenum gl_err = glGetError();
    if (gl_err != GL_NO_ERROR) {
        /* Keep the scene that was there: a failed build must not break what is playing. */
        vt_render_textures_free(tex, scene->layer_count);
        return VT_FAIL(err, VT_E_SOFTWARE, "OpenGL error 0x%x while creating the textures of %s",
                       gl_err, scene->path ? scene->path : "the scene");
    }
    vt_render_textures_free(r->textures, r->texture_count);
    r->textures = tex;
    r->texture_count = scene->layer_count;
    r->deep = vt_render_deep_wanted(scene, tex, scene->layer_count); /* the next draw's target */
    r->deep_dither = scene->dither;
    vt_render_text_load_scene(r, scene);
    vt_render_shaders_load(r, scene);
    /* A shader layer whose file is missing or does not compile shows the placeholder. */
    for (size_t i = 0; i < scene->layer_count; i++) {
        const vt_layer *layer = &scene->layers[i];
        if (layer->type == VT_LAYER_SHADER &&
            (!layer->shader || !layer->shader->isf || r->shaders[i].failed)) {
            tex[i].used = true;
            tex[i].filter = VT_FILTER_NEAREST;
            make_placeholder(&tex[i]);
            vt_render_texture_upload(&tex[i]);
        }
    }
    vt_render_video_load_scene(r, scene);
    r->damage.full = true; /* the records describe the scene before */
    return VT_OK;
}

void vt_renderer_set_max_texture_size(vt_renderer *r, int side) {
    r->max_texture_override = side;
}

uint64_t vt_renderer_cpu_pixels(const vt_renderer *r) {
    uint64_t total = 0;
    for (size_t i = 0; i < r->texture_count; i++) {
        const vt_render_texture *t = &r->textures[i];
        if (t->used && (t->pixels || t->pixels16) && !t->alias && !t->borrowed) {
            total += (uint64_t)t->natural_w * (uint64_t)t->natural_h;
        }
    }
    return total;
}

bool vt_renderer_texture_info(const vt_renderer *r, size_t layer, int *w, int *h) {
    *w = *h = 0;
    if (layer >= r->texture_count || !r->textures[layer].used) {
        return false;
    }
    *w = r->textures[layer].width;
    *h = r->textures[layer].height;
    return r->textures[layer].placeholder;
}
