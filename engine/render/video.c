/* Films on the GPU: each video layer's planes (Y, Cb, Cr, alpha; 8-bit samples in R8 textures,
 * 10 to 16-bit ones in R16) uploaded when its picture changes, and the conversion to the
 * compositor's sRGB-encoded premultiplied space done in shaders/video.frag.glsl, with the
 * matrix, the range and the sample depth folded into one 3x3 matrix and an offset here. No
 * colour conversion on the CPU. */
#include "render/render_internal.h"

#include <stdlib.h>

#ifndef GL_COMPRESSED_RGB_S3TC_DXT1_EXT
#define GL_COMPRESSED_RGB_S3TC_DXT1_EXT 0x83F0
#define GL_COMPRESSED_RGBA_S3TC_DXT5_EXT 0x83F3
#endif

void vt_render_video_init(vt_renderer *r) {
    /* HAP films keep their DXT blocks where a GPU samples them. Mesa's llvmpipe takes S3TC
     * too, but decodes the blocks at every texel it samples: drawing a 1080p HAP film cost
     * twice the CPU that decoding it once to RGBA did (docs/performance.md). */
    bool s3tc = GLEW_EXT_texture_compression_s3tc != 0;
    vt_video_set_compressed_textures(s3tc && !r->software,
                                     !s3tc ? "the GL driver takes no S3TC compressed textures"
                                           : "software GL (llvmpipe): decoding once costs less "
                                             "than sampling DXT blocks on the CPU");
}

/* A HAP picture's blocks (plane p), uploaded as they are. */
static void upload_blocks(vt_render_film *film, int p, const vt_video_frame *f, vt_filter filter) {
    vt_video_blocks b = p == 1 ? VT_VIDEO_RGTC1 : f->blocks;
    GLenum ifmt = b == VT_VIDEO_DXT1    ? GL_COMPRESSED_RGB_S3TC_DXT1_EXT
                  : b == VT_VIDEO_RGTC1 ? GL_COMPRESSED_RED_RGTC1
                                        : GL_COMPRESSED_RGBA_S3TC_DXT5_EXT;
    int w = f->width, h = f->height;
    GLsizei size = (GLsizei)((size_t)f->stride[p] * (size_t)((h + 3) / 4));
    if (!film->tex[p]) {
        glGenTextures(1, &film->tex[p]);
    }
    glBindTexture(GL_TEXTURE_2D, film->tex[p]);
    if (film->format[p] != ifmt || film->w[p] != w || film->h[p] != h) {
        GLint gl_filter = filter == VT_FILTER_NEAREST ? GL_NEAREST : GL_LINEAR;
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, gl_filter);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, gl_filter);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        glCompressedTexImage2D(GL_TEXTURE_2D, 0, ifmt, w, h, 0, size, f->data[p]);
        film->format[p] = ifmt;
        film->w[p] = w;
        film->h[p] = h;
        return;
    }
    glCompressedTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, w, h, ifmt, size, f->data[p]);
}

void vt_render_video_load_scene(vt_renderer *r, const vt_scene *scene) {
    vt_render_video_free_gpu(r);
    free(r->films);
    r->film_count = scene->layer_count;
    r->films = vt_xcalloc(r->film_count + 1, sizeof *r->films);
}

void vt_render_video_free_gpu(vt_renderer *r) {
    for (size_t i = 0; i < r->film_count; i++) {
        vt_render_film *f = &r->films[i];
        for (int p = 0; p < 4; p++) {
            if (f->tex[p]) {
                glDeleteTextures(1, &f->tex[p]);
            }
        }
        *f = (vt_render_film){0};
    }
    vt_render_program_destroy(&r->video_program.base);
    r->video_program = (vt_render_video_program){0};
}

void vt_render_video_free(vt_renderer *r) {
    vt_render_video_free_gpu(r);
    free(r->films);
    r->films = NULL;
    r->film_count = 0;
}

/* Kr and Kb of each matrix (vt_video_matrix order). */
static const double kr_kb[3][2] = {{0.299, 0.114}, {0.2126, 0.0722}, {0.2627, 0.0593}};

/* rgb = m * samples + off, samples being what the textures return (code value / 255 or
 * / 65535), for a picture of this matrix, range and depth. Row-major m. */
static void conversion(const vt_video_frame *f, float m[9], float off[3]) {
    double kr = kr_kb[f->matrix][0], kb = kr_kb[f->matrix][1], kg = 1.0 - kr - kb;
    double cmax = f->bytes == 2 ? 65535.0 : 255.0;
    double unit = (double)(1 << (f->depth - 8)); /* 8-bit code values to this depth */
    double ys, yo, cs, co;                       /* Y' = ys*s + yo; C = cs*s + co */
    if (f->full_range) {
        double top = (double)((1 << f->depth) - 1);
        ys = cmax / top;
        yo = 0.0;
        cs = cmax / top;
        co = -128.0 * unit / top;
    } else {
        ys = cmax / (219.0 * unit);
        yo = -16.0 / 219.0;
        cs = cmax / (224.0 * unit);
        co = -128.0 / 224.0;
    }
    /* R = Y + a Cr; G = Y - b Cb - c Cr; B = Y + d Cb */
    double a = 2.0 * (1.0 - kr), d = 2.0 * (1.0 - kb);
    double b = 2.0 * kb * (1.0 - kb) / kg, c = 2.0 * kr * (1.0 - kr) / kg;
    double rows[3][3] = {{1, 0, a}, {1, -b, -c}, {1, d, 0}};
    for (int i = 0; i < 3; i++) {
        m[i * 3 + 0] = (float)(rows[i][0] * ys);
        m[i * 3 + 1] = (float)(rows[i][1] * cs);
        m[i * 3 + 2] = (float)(rows[i][2] * cs);
        off[i] = (float)(rows[i][0] * yo + (rows[i][1] + rows[i][2]) * co);
    }
}

static void upload_plane(vt_render_film *film, int p, const vt_video_frame *f, vt_filter filter) {
    bool rgba = f->layout == VT_VIDEO_RGBA;
    bool chroma = p == 1 || p == 2;
    int w = chroma ? f->chroma_w : f->width, h = chroma ? f->chroma_h : f->height;
    GLenum ifmt = rgba ? GL_RGBA8 : f->bytes == 2 ? GL_R16 : GL_R8;
    GLenum fmt = rgba ? GL_RGBA : GL_RED;
    GLenum type = f->bytes == 2 ? GL_UNSIGNED_SHORT : GL_UNSIGNED_BYTE;
    int texel = rgba ? 4 : f->bytes;
    if (!film->tex[p]) {
        glGenTextures(1, &film->tex[p]);
    }
    glBindTexture(GL_TEXTURE_2D, film->tex[p]);
    GLint gl_filter = filter == VT_FILTER_NEAREST ? GL_NEAREST : GL_LINEAR;
    if (film->format[p] != ifmt || film->w[p] != w || film->h[p] != h) {
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, gl_filter);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, gl_filter);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        glTexImage2D(GL_TEXTURE_2D, 0, (GLint)ifmt, w, h, 0, fmt, type, NULL);
        film->format[p] = ifmt;
        film->w[p] = w;
        film->h[p] = h;
    }
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    if (f->stride[p] % texel == 0) {
        glPixelStorei(GL_UNPACK_ROW_LENGTH, f->stride[p] / texel);
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, w, h, fmt, type, f->data[p]);
    } else {
        for (int y = 0; y < h; y++) {
            glTexSubImage2D(GL_TEXTURE_2D, 0, 0, y, w, 1, fmt, type,
                            f->data[p] + (size_t)y * (size_t)f->stride[p]);
        }
    }
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
}

const vt_render_program *vt_render_video_bind(vt_renderer *r, const vt_scene *scene,
                                              const vt_draw_item *item,
                                              vt_render_texture *natural) {
    const vt_video_frame *f = item->video;
    if (!f || item->layer >= r->film_count || f->width <= 0 || f->height <= 0) {
        return NULL;
    }
    vt_render_video_program *pg = &r->video_program;
    if (!pg->base.id) {
        vt_error err = {0};
        if (vt_render_video_program_create(pg, &err) != VT_OK) {
            vt_log(VT_LOG_ERROR, "render", "films cannot be drawn: %s", err.message);
            return NULL;
        }
    }
    vt_render_film *film = &r->films[item->layer];
    bool blocks = f->layout == VT_VIDEO_BLOCKS;
    bool rgba = f->layout == VT_VIDEO_RGBA || blocks;
    int planes = f->layout == VT_VIDEO_RGBA ? 1 : f->planes;
    if (film->frame != (const void *)f || film->serial != f->serial) {
        vt_filter filter = scene->layers[item->layer].filter;
        for (int p = 0; p < planes; p++) {
            if (blocks) {
                upload_blocks(film, p, f, filter);
            } else {
                upload_plane(film, p, f, filter);
            }
        }
        film->frame = f;
        film->serial = f->serial;
    }
    glUseProgram(pg->base.id);
    for (int p = 0; p < planes; p++) {
        glActiveTexture(GL_TEXTURE0 + (GLenum)p);
        glBindTexture(GL_TEXTURE_2D, film->tex[p]);
    }
    glActiveTexture(GL_TEXTURE0);
    float m[9] = {0}, off[3] = {0};
    if (!rgba) {
        conversion(f, m, off);
    }
    glUniformMatrix3fv(pg->matrix, 1, GL_TRUE, m);
    glUniform3f(pg->offset, off[0], off[1], off[2]);
    double amax = (double)((1 << f->depth) - 1);
    glUniform1f(pg->alpha_scale,
                !rgba && planes == 4 ? (float)((f->bytes == 2 ? 65535.0 : 255.0) / amax) : 0.0f);
    /* 1: RGBA; 2: HAP Q's scaled YCoCg in DXT5, opaque; 3: the same, alpha in plane 1. */
    bool ycocg = blocks && f->blocks == VT_VIDEO_YCOCG_DXT5;
    glUniform1i(pg->rgba, ycocg ? (planes == 2 ? 3 : 2) : rgba ? 1 : 0);
    *natural = (vt_render_texture){
        .used = true,
        .width = f->width,
        .height = f->height,
        .natural_w = f->display_width > 0 ? f->display_width : f->width,
        .natural_h = f->height,
    };
    return &pg->base;
}
