/* Films offline: probing, and the frame-exact picture at a film time with a decode-forward
 * cache (consecutive times never seek), for `render` and for tests. */
#include "video/video_internal.h"

#include <stdatomic.h>
#include <stdlib.h>

uint64_t vt_video_next_serial(void) {
    static atomic_uint_fast64_t next;
    return (uint64_t)atomic_fetch_add(&next, 1) + 1;
}

/* Further ahead than this, a seek to the key frame before the time beats decoding forward. */
#define FORWARD_MAX (10 * VT_TICKS_PER_SEC)

struct vt_video {
    vt_video_reader rd;
    AVFrame *cur, *conv;
    vt_video_frame frame;
    bool have;   /* cur holds a picture */
    bool at_end; /* cur is the film's last picture */
};

vt_status vt_video_probe(const char *path, vt_video_info *info, vt_error *err) {
    vt_video_reader rd;
    vt_status s = vt_video_reader_open(&rd, path, false, err);
    if (s == VT_OK) {
        *info = rd.info;
    }
    vt_video_reader_close(&rd);
    return s;
}

vt_status vt_video_open(const char *path, vt_video **out, vt_error *err) {
    *out = NULL;
    vt_status loaded = vt_ffmpeg_load(err);
    if (loaded != VT_OK) {
        return loaded;
    }
    vt_video *v = vt_xcalloc(1, sizeof *v);
    vt_status s = vt_video_reader_open(&v->rd, path, true, err);
    if (s == VT_OK) {
        v->cur = av_frame_alloc();
        v->conv = av_frame_alloc();
        if (!v->cur || !v->conv) {
            s = VT_FAIL(err, VT_E_SOFTWARE, "%s: out of memory for a picture", path);
        }
    }
    if (s != VT_OK) {
        vt_video_close(v);
        return s;
    }
    *out = v;
    return VT_OK;
}

void vt_video_close(vt_video *v) {
    if (!v) {
        return;
    }
    vt_video_reader_close(&v->rd);
    av_frame_free(&v->cur);
    av_frame_free(&v->conv);
    free(v);
}

int vt_video_seek_count(const vt_video *v) {
    return v->rd.seeks;
}

const vt_video_info *vt_video_info_of(const vt_video *v) {
    return &v->rd.info;
}

vt_status vt_video_frame_at(vt_video *v, vt_ticks t, const vt_video_frame **out, vt_error *err) {
    *out = v->have ? &v->frame : NULL;
    vt_video_frame *f = &v->frame;
    if (v->have && t >= f->start && (t < f->end || v->at_end)) {
        return VT_OK;
    }
    bool forward = v->have && !v->at_end && t >= f->end && t - f->end < FORWARD_MAX;
    if (!forward) {
        vt_status s = vt_video_reader_seek(&v->rd, t, err);
        if (s != VT_OK) {
            return s;
        }
        v->at_end = false;
    }
    /* Decode forward to the picture whose interval holds t (the first after it when t is
     * before the film's first picture). Only that one is described. */
    bool moved = false;
    vt_ticks start = 0, end = 0;
    vt_status st = VT_OK;
    for (;;) {
        bool got = false;
        vt_ticks s0 = 0, e0 = 0;
        st = vt_video_reader_next(&v->rd, v->cur, &s0, &e0, &got, err);
        if (st == VT_OK && !got) {
            v->at_end = true;
            st = vt_video_reader_read_error(&v->rd, err);
        }
        if (st != VT_OK || !got) {
            break;
        }
        moved = true;
        start = s0;
        end = e0;
        if (t < end) {
            break;
        }
    }
    if (st == VT_OK) {
        st = vt_video_reader_read_error(&v->rd, err); /* met while looking one picture ahead */
    }
    if (!moved) {
        *out = v->have ? &v->frame : NULL;
        if (st == VT_OK && !v->have) {
            st = VT_FAIL(err, VT_E_DATAERR,
                         "%s: the film has no picture that decodes (damaged or cut "
                         "short?); " VT_VIDEO_REENCODE,
                         v->rd.path);
        }
        return st; /* past the last picture: it holds */
    }
    /* The picture reached, even when a damaged stretch stopped the decoding there. */
    vt_error derr = {0};
    if (vt_video_describe(v->rd.path, &v->rd.info, &v->rd.sws, v->cur, v->conv, f, &derr) !=
        VT_OK) {
        v->have = false;
        *out = NULL;
        return st != VT_OK ? st : VT_FAIL(err, derr.status, "%s", derr.message);
    }
    f->start = start;
    f->end = end;
    f->serial = vt_video_next_serial();
    v->have = true;
    *out = f;
    return st;
}

vt_ticks vt_video_next_change(const vt_video_info *info, vt_ticks t, bool loop) {
    if (info->fps_num <= 0 || info->fps_den <= 0 || info->duration <= 0) {
        return INT64_MAX;
    }
    vt_ticks base = 0;
    if (loop) {
        base = t - t % info->duration;
        t -= base;
    } else if (t >= info->duration) {
        return INT64_MAX;
    }
    /* Picture k starts at k * den / num seconds: the next one after t, rounded up to a tick. */
    __int128 per = (__int128)VT_TICKS_PER_SEC * info->fps_den;
    __int128 k = ((__int128)(t < 0 ? 0 : t) * info->fps_num) / per + 1;
    vt_ticks next = (vt_ticks)((k * per + info->fps_num - 1) / info->fps_num);
    if (t < 0) {
        next = 0;
    }
    if (next >= info->duration) {
        return loop ? base + info->duration : INT64_MAX;
    }
    return base + next;
}
