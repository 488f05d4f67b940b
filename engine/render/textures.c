/* Layer textures: images decoded, fitted to the GPU's size limit, premultiplied and kept on the
 * CPU side; placeholders for images that cannot be loaded; upload with mipmaps. */
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
    if (img.width > max_side || img.height > max_side) {
        vt_image_downscale(&img, max_side);
        vt_log(VT_LOG_WARN, "render",
               "layer '%s': image '%s' is %dx%d, more than this GPU's "
               "limit of %d pixels a side; it was scaled down to %dx%d",
               layer->id ? layer->id : "?", layer->src ? layer->src : "?", t->natural_w,
               t->natural_h, max_side, img.width, img.height);
    }
    t->width = img.width;
    t->height = img.height;
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

/* The texture and its mipmap chain, each level box-filtered from the one above, at 8 or 16
 * bits a channel as the picture was decoded. */
static void upload_levels(const vt_render_texture *t) {
    bool wide = t->pixels16 != NULL;
    GLint format = wide ? GL_RGBA16 : GL_RGBA8;
    GLenum type = wide ? GL_UNSIGNED_SHORT : GL_UNSIGNED_BYTE;
    size_t px = wide ? 8 : 4;
    const void *src = wide ? (const void *)t->pixels16 : (const void *)t->pixels;
    glTexImage2D(GL_TEXTURE_2D, 0, format, t->width, t->height, 0, GL_RGBA, type, src);
    int w = t->width, h = t->height, level = 0;
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

void vt_render_texture_upload(vt_render_texture *t) {
    if (!t->used || t->alias) {
        return;
    }
    glGenTextures(1, &t->id);
    glBindTexture(GL_TEXTURE_2D, t->id);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    upload_levels(t);
    bool nearest = t->filter == VT_FILTER_NEAREST;
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER,
                    nearest ? GL_NEAREST : GL_LINEAR_MIPMAP_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, nearest ? GL_NEAREST : GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glBindTexture(GL_TEXTURE_2D, 0);
}

void vt_render_textures_free(vt_render_texture *tex, size_t count) {
    for (size_t i = 0; i < count; i++) {
        if (tex[i].id) {
            glDeleteTextures(1, &tex[i].id);
        }
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
    t->source = j;
    t->filter = scene->layers[i].filter;
    t->alias = t->filter == tex[j].filter;
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
            total += (uint64_t)t->width * (uint64_t)t->height;
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
