/* JPEG through libjpeg-turbo's libjpeg API: decoding from memory to RGBA8 under limits, with an
 * error manager that longjmps back instead of calling exit() and never prints by itself, and the
 * EXIF orientation of its APP1 block honoured. */
#include "io/image_internal.h"

#include <limits.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <jerror.h>
#include <jpeglib.h>

/* Progressive files may hold any number of scans and each one costs a pass over the whole
 * image; real encoders write about 10, so a few hundred is generous and bounds the CPU time. */
#define JPEG_MAX_SCANS 500

typedef struct jpeg_ctx {
    struct jpeg_error_mgr mgr; /* first: libjpeg hands back a pointer to it */
    struct jpeg_progress_mgr progress;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX + 64];
} jpeg_ctx;

static void on_jpeg_error(j_common_ptr cinfo) {
    jpeg_ctx *ctx = (jpeg_ctx *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, ctx->message);
    longjmp(ctx->jump, 1);
}

static void on_jpeg_message(j_common_ptr cinfo, int msg_level) {
    /* A premature end is only a warning to libjpeg (it pads with grey); for us the file is
     * truncated, and so is one whose image data stops at a marker before the last block (a
     * few hundred bytes claiming 8000x8000 pixels decode to grey). Other warnings (stray
     * bytes between markers) leave a usable image. */
    if (msg_level < 0 &&
        (cinfo->err->msg_code == JWRN_JPEG_EOF || cinfo->err->msg_code == JWRN_HIT_MARKER)) {
        jpeg_ctx *ctx = (jpeg_ctx *)cinfo->err;
        snprintf(ctx->message, sizeof ctx->message, "%s",
                 cinfo->err->msg_code == JWRN_JPEG_EOF
                     ? "the file is truncated"
                     : "the image data ends before the last block (a truncated or damaged "
                       "file)");
        longjmp(ctx->jump, 1);
    }
    if (msg_level < 0) {
        cinfo->err->num_warnings++;
    }
}

static void on_jpeg_output(j_common_ptr cinfo) {
    (void)cinfo;
}

static void on_jpeg_progress(j_common_ptr cinfo) {
    j_decompress_ptr d = (j_decompress_ptr)cinfo;
    if (d->input_scan_number > JPEG_MAX_SCANS) {
        jpeg_ctx *ctx = (jpeg_ctx *)cinfo->err;
        snprintf(ctx->message, sizeof ctx->message, "more than %d scans", JPEG_MAX_SCANS);
        longjmp(ctx->jump, 1);
    }
}

/* CMYK to RGB. Adobe's encoders (nearly all CMYK JPEGs) store the inks inverted. */
static void cmyk_to_rgba(uint8_t *px, size_t count, bool inverted) {
    for (size_t i = 0; i < count; i++, px += 4) {
        unsigned c = px[0], m = px[1], y = px[2], k = px[3];
        if (!inverted) {
            c = 255 - c;
            m = 255 - m;
            y = 255 - y;
            k = 255 - k;
        }
        px[0] = (uint8_t)((c * k + 127) / 255);
        px[1] = (uint8_t)((m * k + 127) / 255);
        px[2] = (uint8_t)((y * k + 127) / 255);
        px[3] = 255;
    }
}

/* The orientation in the first APP1 block holding EXIF (markers saved by jpeg_save_markers). */
static int exif_orientation(j_decompress_ptr d) {
    for (jpeg_saved_marker_ptr m = d->marker_list; m; m = m->next) {
        if (m->marker == JPEG_APP0 + 1 && m->data_length >= 6 && memcmp(m->data, "Exif", 5) == 0) {
            return vt_image_exif_orientation(m->data, m->data_length, false);
        }
    }
    return 1;
}

static bool choose_output(j_decompress_ptr d) {
    switch (d->jpeg_color_space) {
    case JCS_GRAYSCALE:
    case JCS_YCbCr:
    case JCS_RGB:
        d->out_color_space = JCS_EXT_RGBA;
        return true;
    case JCS_CMYK:
    case JCS_YCCK:
        d->out_color_space = JCS_CMYK;
        return true;
    default:
        return false;
    }
}

/* Everything that may longjmp; the pixels go straight into the caller's variable. */
static int jpeg_decode_body(j_decompress_ptr d, jpeg_ctx *ctx, const char *name,
                            const vt_image_limits *lim, uint8_t **pixels, vt_image *out,
                            vt_error *err) {
    jpeg_read_header(d, TRUE);
    if (vt_image_check_limits(name, "JPEG", d->image_width, d->image_height, lim, err) != VT_OK) {
        return 0;
    }
    if (!choose_output(d)) {
        (void)VT_FAIL(err, VT_E_DATAERR,
                      "%s: unsupported JPEG colour space (%d components); "
                      "save it as RGB or greyscale",
                      name, d->num_components);
        return 0;
    }
    d->progress = &ctx->progress;
    jpeg_start_decompress(d);
    size_t w = d->output_width, h = d->output_height;
    if (d->output_components != 4 || w != d->image_width || h != d->image_height) {
        (void)VT_FAIL(err, VT_E_SOFTWARE, "%s: JPEG decoder did not produce RGBA rows", name);
        return 0;
    }
    *pixels = vt_xmalloc(w * h * 4);
    while (d->output_scanline < d->output_height) {
        JSAMPROW row = *pixels + (size_t)d->output_scanline * w * 4;
        if (jpeg_read_scanlines(d, &row, 1) != 1) {
            snprintf(ctx->message, sizeof ctx->message, "the file is truncated");
            longjmp(ctx->jump, 1);
        }
    }
    if (d->out_color_space == JCS_CMYK) {
        cmyk_to_rgba(*pixels, w * h, d->saw_Adobe_marker);
    }
    int orientation = exif_orientation(d); /* the saved markers go with the image's memory */
    jpeg_finish_decompress(d);
    out->width = (int)w;
    out->height = (int)h;
    out->pixels = *pixels;
    *pixels = NULL; /* out owns them now */
    vt_image_orient(out, orientation);
    return 1;
}

/* The only function that calls setjmp; it keeps no state of its own across it. */
static int jpeg_decode_guarded(j_decompress_ptr d, jpeg_ctx *ctx, const uint8_t *data, size_t len,
                               const char *name, const vt_image_limits *lim, uint8_t **pixels,
                               vt_image *out, vt_error *err) {
    volatile int ok = 0;
    if (setjmp(ctx->jump) == 0) {
        jpeg_create_decompress(d);
        /* libjpeg's own allocations (coefficient buffers of progressive files): bounded by
         * about what the largest allowed image needs, with room for small images. */
        uint64_t budget = lim->max_pixels * 10 + UINT64_C(64) * 1024 * 1024;
        d->mem->max_memory_to_use = budget > (uint64_t)LONG_MAX ? LONG_MAX : (long)budget;
        jpeg_save_markers(d, JPEG_APP0 + 1, 0xffff);
        jpeg_mem_src(d, data, (unsigned long)len);
        ok = jpeg_decode_body(d, ctx, name, lim, pixels, out, err);
    } else {
        (void)VT_FAIL(err, VT_E_DATAERR, "%s: not a valid JPEG image: %s", name, ctx->message);
    }
    return ok;
}

/* The header only: what may longjmp, then the one function that calls setjmp. */
static int jpeg_probe_body(j_decompress_ptr d, const char *name, const vt_image_limits *lim,
                           vt_image_info *out, vt_error *err) {
    jpeg_read_header(d, TRUE);
    if (vt_image_check_limits(name, "JPEG", d->image_width, d->image_height, lim, err) != VT_OK) {
        return 0;
    }
    out->width = (int)d->image_width;
    out->height = (int)d->image_height;
    vt_image_oriented_size(exif_orientation(d), &out->width, &out->height);
    return 1;
}

static int jpeg_probe_guarded(j_decompress_ptr d, jpeg_ctx *ctx, FILE *file, const char *name,
                              const vt_image_limits *lim, vt_image_info *out, vt_error *err) {
    volatile int ok = 0;
    if (setjmp(ctx->jump) == 0) {
        jpeg_create_decompress(d);
        d->mem->max_memory_to_use = 64L * 1024 * 1024;
        jpeg_save_markers(d, JPEG_APP0 + 1, 0xffff);
        jpeg_stdio_src(d, file);
        ok = jpeg_probe_body(d, name, lim, out, err);
    } else {
        (void)VT_FAIL(err, VT_E_DATAERR, "%s: not a valid JPEG image: %s", name, ctx->message);
    }
    return ok;
}

/* libjpeg's error manager routed to our handlers (errors longjmp back, warnings are kept). */
static void jpeg_setup(struct jpeg_decompress_struct *d, jpeg_ctx *ctx) {
    memset(d, 0, sizeof *d);
    memset(ctx, 0, sizeof *ctx);
    d->err = jpeg_std_error(&ctx->mgr);
    ctx->mgr.error_exit = on_jpeg_error;
    ctx->mgr.emit_message = on_jpeg_message;
    ctx->mgr.output_message = on_jpeg_output;
}

vt_status vt_image_jpeg_probe(FILE *file, const char *name, const vt_image_limits *lim,
                              vt_image_info *out, vt_error *err) {
    struct jpeg_decompress_struct d;
    jpeg_ctx ctx;
    jpeg_setup(&d, &ctx);
    vt_error local;
    vt_error *e = err ? err : &local;
    int ok = jpeg_probe_guarded(&d, &ctx, file, name, lim, out, e);
    jpeg_destroy_decompress(&d);
    return ok ? VT_OK : e->status;
}

vt_status vt_image_jpeg_decode(const uint8_t *data, size_t len, const char *name,
                               const vt_image_limits *lim, vt_image *out, vt_error *err) {
    struct jpeg_decompress_struct d;
    jpeg_ctx ctx;
    jpeg_setup(&d, &ctx);
    ctx.progress.progress_monitor = on_jpeg_progress;
    uint8_t *pixels = NULL;
    vt_error local;
    vt_error *e = err ? err : &local;
    int ok = jpeg_decode_guarded(&d, &ctx, data, len, name, lim, &pixels, out, e);
    jpeg_destroy_decompress(&d);
    if (!ok) {
        free(pixels);
        vt_image_free(out);
        return e->status;
    }
    return VT_OK;
}
