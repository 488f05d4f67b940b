/* `vitrine merge DIR`: joins a render farm's parts (render --part K/N) into the render one
 * process makes: checks that every part is there, finished and of the same render (scene hash,
 * options, frame count, contiguous ranges, frames on disk), joins their sound sample-exactly
 * and writes render.json. Nothing is written before everything is checked. */
#include "app/app_internal.h"
#include "io/vt_io.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct merge_part {
    json_t *root;   /* the manifest render.partK.json */
    json_t *render; /* its "render": what render.json says */
    int64_t from, to;
} merge_part;

typedef struct merge_job {
    const char *dir;
    long parts;
    merge_part *part; /* [parts] */
    int64_t frames;
    int spf;           /* samples a frame; 0: no sound */
    const char *audio; /* the WAV to write (FILE.partK are read) */
} merge_job;

static int fail(vt_status st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(vt_status st, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "vitrine: merge: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    return st;
}

/* A JSON value in a message: compact, at most 80 characters. */
static void shown(const json_t *v, char out[96]) {
    char *text = v ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
    snprintf(out, 96, "%.80s%s", text ? text : "nothing", text && strlen(text) > 80 ? "..." : "");
    free(text);
}

/* The part numbers of the manifests in the folder, and N as the lowest-numbered one says. */
static int find_parts(merge_job *m) {
    DIR *d = opendir(m->dir);
    if (!d) {
        return fail(errno == ENOENT || errno == ENOTDIR ? VT_E_NOINPUT : VT_E_IOERR,
                    "cannot read the folder %s: %s", m->dir, strerror(errno));
    }
    long lowest = 0, highest = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        long k = vt_render_part_of_name(e->d_name);
        if (k > 0) {
            lowest = lowest == 0 || k < lowest ? k : lowest;
            highest = k > highest ? k : highest;
        }
    }
    closedir(d);
    if (lowest == 0) {
        return fail(VT_E_NOINPUT,
                    "no part in %s: render.partK.json is written by each finished 'vitrine "
                    "render SCENE --out %s --part K/N'",
                    m->dir, m->dir);
    }
    char *path = vt_xasprintf("%s/render.part%ld.json", m->dir, lowest);
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    json_int_t parts = 0;
    int rc = 0;
    if (!root || json_unpack(root, "{s:I}", "parts", &parts) != 0 || parts < 1 || parts > 1000000) {
        rc = fail(VT_E_DATAERR, "%s: not a part manifest of vitrine render --part%s%s", path,
                  root ? "" : ": ", root ? "" : je.text);
    } else if (highest > parts) {
        rc = fail(VT_E_DATAERR,
                  "%s/render.part%ld.json is beyond the %lld parts that %s names: parts of two "
                  "renders are in the folder (remove the stale ones, or render again)",
                  m->dir, highest, (long long)parts, path);
    }
    m->parts = (long)parts;
    json_decref(root);
    free(path);
    return rc;
}

/* Loads part k (from 1) and checks its own fields. */
static int load_part(merge_job *m, long k) {
    merge_part *p = &m->part[k - 1];
    char *path = vt_xasprintf("%s/render.part%ld.json", m->dir, k);
    json_error_t je;
    p->root = json_load_file(path, 0, &je);
    int rc = 0;
    json_int_t part = 0, parts = 0, from = 0, to = 0, count = 0;
    if (!p->root && errno == ENOENT) {
        rc = fail(VT_E_NOINPUT,
                  "part %ld of %ld is missing: no %s (render it with the same command and "
                  "--part %ld/%ld)",
                  k, m->parts, path, k, m->parts);
    } else if (!p->root) {
        rc = fail(VT_E_DATAERR, "%s:%d:%d: error: %s", path, je.line, je.column, je.text);
    } else if (json_unpack_ex(p->root, &je, 0, "{s:I, s:I, s:[II], s:I, s:o}", "part", &part,
                              "parts", &parts, "frame_range", &from, &to, "frame_count", &count,
                              "render", &p->render) != 0 ||
               !json_is_object(p->render)) {
        rc = fail(VT_E_DATAERR, "%s: not a part manifest of vitrine render --part: %s", path,
                  je.text);
    } else if (part != k || parts != m->parts) {
        rc = fail(VT_E_DATAERR,
                  "%s says it is part %lld of %lld, not part %ld of %ld: parts of two renders "
                  "are in the folder (remove the stale ones, or render again)",
                  path, (long long)part, (long long)parts, k, m->parts);
    } else if (count != to - from) {
        rc = fail(VT_E_DATAERR, "%s: frame_count %lld is not the length of frame_range", path,
                  (long long)count);
    }
    p->from = from;
    p->to = to;
    free(path);
    return rc;
}

/* The governor's figures are the part's own; everything else must be the same in every part. */
static bool per_part(const char *key) {
    return strcmp(key, "pictures") == 0 || strcmp(key, "held_frames") == 0 ||
           strcmp(key, "lowest") == 0;
}

/* The first key (of either object) whose value differs, or NULL; `governor` compared without
 * its per-part figures. */
static const char *differing_key(json_t *a, json_t *b, bool governor) {
    const char *key;
    json_t *v;
    for (int pass = 0; pass < 2; pass++) {
        json_object_foreach(pass == 0 ? a : b, key, v) {
            json_t *other = json_object_get(pass == 0 ? b : a, key);
            if (governor && per_part(key)) {
                continue;
            }
            if (!governor && strcmp(key, "governor") == 0 && json_is_object(v) &&
                json_is_object(other)) {
                if (differing_key(v, other, true)) {
                    return key;
                }
                continue;
            }
            if (!other || !json_equal(v, other)) {
                return key;
            }
        }
    }
    return NULL;
}

/* Every part of the same render, and the ranges one after the other as render --part cuts
 * them. */
static int check_parts(merge_job *m) {
    json_t *first = m->part[0].render;
    json_int_t frames = 0, fps = 0;
    json_t *audio = NULL;
    if (json_unpack(first, "{s:I, s:I, s:o}", "frames", &frames, "fps", &fps, "audio", &audio) !=
            0 ||
        frames < m->parts || fps < 1) {
        return fail(VT_E_DATAERR,
                    "%s/render.part1.json: its render has no valid frames, fps "
                    "and audio",
                    m->dir);
    }
    m->frames = frames;
    m->spf = json_is_string(audio) ? (int)(VT_AUDIO_RATE / fps) : 0;
    for (long k = 2; k <= m->parts; k++) {
        const char *key = differing_key(first, m->part[k - 1].render, false);
        if (key) {
            char a[96], b[96];
            shown(json_object_get(first, key), a);
            shown(json_object_get(m->part[k - 1].render, key), b);
            return fail(VT_E_DATAERR,
                        "part %ld is not of the same render as part 1: its %s is %s, part 1's "
                        "is %s (render every part from the same scene with the same options)",
                        k, key, b, a);
        }
    }
    for (long k = 1; k <= m->parts; k++) {
        const merge_part *p = &m->part[k - 1];
        int64_t from = vt_render_part_first(m->frames, k - 1, m->parts);
        int64_t to = vt_render_part_first(m->frames, k, m->parts);
        if (p->from != from || p->to != to) {
            return fail(VT_E_DATAERR,
                        "part %ld of %ld covers frames %lld to %lld; of %lld frames it should "
                        "cover %lld to %lld",
                        k, m->parts, (long long)p->from, (long long)p->to - 1, (long long)m->frames,
                        (long long)from, (long long)to - 1);
        }
        json_int_t s0 = 0, s1 = 0;
        if (m->spf > 0 && (json_unpack(p->root, "{s:[II]}", "sample_range", &s0, &s1) != 0 ||
                           s0 != from * m->spf || s1 != to * m->spf)) {
            return fail(VT_E_DATAERR,
                        "part %ld: its sample_range is not samples %lld to %lld of its frames", k,
                        (long long)(from * m->spf), (long long)(to * m->spf));
        }
    }
    return 0;
}

/* Every frame is on disk, a non-empty regular file (render writes each atomically). */
static int check_frames(const merge_job *m) {
    long k = 1;
    for (int64_t f = 0; f < m->frames; f++) {
        while (f >= m->part[k - 1].to) {
            k++;
        }
        char *path = vt_xasprintf("%s/frame_%05lld.png", m->dir, (long long)f);
        struct stat sb;
        bool ok = lstat(path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0;
        int err = errno;
        free(path);
        if (!ok) {
            return fail(VT_E_NOINPUT,
                        "frame_%05lld.png of part %ld is missing from %s%s%s (render part %ld "
                        "again)",
                        (long long)f, k, m->dir, err == ENOENT ? "" : ": ",
                        err == ENOENT ? "" : strerror(err), k);
        }
    }
    return 0;
}

static uint32_t le32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Opens FILE.partK and checks it is render's 44-byte-header WAV with the part's samples. */
static int open_wav_part(const merge_job *m, long k, FILE **out) {
    const merge_part *p = &m->part[k - 1];
    char *path = vt_xasprintf("%s.part%ld", m->audio, k);
    FILE *f = fopen(path, "rb");
    int rc = 0;
    if (!f) {
        rc = fail(errno == ENOENT ? VT_E_NOINPUT : VT_E_IOERR,
                  "the sound of part %ld is missing: cannot open %s: %s", k, path, strerror(errno));
        free(path);
        return rc;
    }
    unsigned char h[44];
    uint64_t want = (uint64_t)(p->to - p->from) * (uint64_t)m->spf * VT_AUDIO_CHANNELS * 2;
    struct stat sb;
    bool wav = fread(h, 1, sizeof h, f) == sizeof h && memcmp(h, "RIFF", 4) == 0 &&
               memcmp(h + 8, "WAVEfmt ", 8) == 0 && le32(h + 16) == 16 &&
               memcmp(h + 36, "data", 4) == 0 && h[20] == 1 && h[21] == 0 &&
               h[22] == VT_AUDIO_CHANNELS && h[23] == 0 && le32(h + 24) == VT_AUDIO_RATE &&
               h[34] == 16 && h[35] == 0;
    if (!wav) {
        rc = fail(VT_E_DATAERR,
                  "%s is not the WAV that render --part writes (48 kHz stereo 16-bit)", path);
    } else if (le32(h + 40) != want || fstat(fileno(f), &sb) != 0 ||
               (uint64_t)sb.st_size != 44 + want) {
        rc = fail(VT_E_DATAERR,
                  "%s holds %u bytes of samples (a %lld-byte file), but part %ld's frames %lld to "
                  "%lld need %llu: it is not this render's part (render part %ld again)",
                  path, le32(h + 40), (long long)sb.st_size, k, (long long)p->from,
                  (long long)p->to - 1, (unsigned long long)want, k);
    }
    free(path);
    if (rc != 0) {
        fclose(f);
        return rc;
    }
    *out = f;
    return 0;
}

/* The parts' samples, one after the other, into the WAV (written aside, then renamed). */
static int join_audio(const merge_job *m) {
    for (long k = 1; k <= m->parts; k++) { /* all checked before anything is written */
        FILE *f = NULL;
        int rc = open_wav_part(m, k, &f);
        if (rc != 0) {
            return rc;
        }
        fclose(f);
    }
    vt_error err = {0};
    vt_wav_writer *w = NULL;
    vt_status st = vt_audio_wav_create(m->audio, VT_AUDIO_RATE, VT_AUDIO_CHANNELS, &w, &err);
    enum { CHUNK = 4096 };
    unsigned char *bytes = vt_xmalloc(CHUNK * VT_AUDIO_CHANNELS * 2);
    int16_t *samples = vt_xmalloc(CHUNK * VT_AUDIO_CHANNELS * sizeof *samples);
    for (long k = 1; k <= m->parts && st == VT_OK; k++) {
        FILE *f = NULL;
        if (open_wav_part(m, k, &f) != 0) {
            st = VT_FAIL(&err, VT_E_IOERR, "%s.part%ld changed while it was read", m->audio, k);
            break;
        }
        size_t left = (size_t)(m->part[k - 1].to - m->part[k - 1].from) * (size_t)m->spf;
        while (left > 0 && st == VT_OK) {
            size_t n = left < CHUNK ? left : CHUNK;
            if (fread(bytes, VT_AUDIO_CHANNELS * 2, n, f) != n) {
                st = VT_FAIL(&err, VT_E_IOERR, "cannot read %s.part%ld: %s", m->audio, k,
                             ferror(f) ? strerror(errno) : "it ended early");
                break;
            }
            for (size_t i = 0; i < n * VT_AUDIO_CHANNELS; i++) {
                samples[i] = (int16_t)(uint16_t)(bytes[2 * i] | bytes[2 * i + 1] << 8);
            }
            st = vt_audio_wav_write(w, samples, n, &err);
            left -= n;
        }
        fclose(f);
    }
    free(bytes);
    free(samples);
    if (w) {
        if (st == VT_OK) {
            st = vt_audio_wav_finish(w, &err);
        } else {
            vt_audio_wav_discard(w);
        }
    }
    return st == VT_OK ? 0 : fail(st, "%s", err.message);
}

/* render.json: part 1's render, with the governor's figures over all the parts. */
static int write_render_json(const merge_job *m) {
    json_t *render = m->part[0].render;
    json_t *gov = json_object_get(render, "governor");
    if (json_is_object(gov)) {
        json_int_t pictures = 0, lowest_fps = INT32_MAX;
        double lowest_scale = 1.0;
        for (long k = 1; k <= m->parts; k++) {
            json_int_t pics = 0, fps = 0;
            double scale = 0;
            if (json_unpack(json_object_get(m->part[k - 1].render, "governor"),
                            "{s:I, s:{s:I, s:F}}", "pictures", &pics, "lowest", "fps", &fps,
                            "scale", &scale) != 0) {
                return fail(VT_E_DATAERR,
                            "%s/render.part%ld.json: its governor has no pictures and lowest "
                            "figures",
                            m->dir, k);
            }
            pictures += pics;
            lowest_fps = fps < lowest_fps ? fps : lowest_fps;
            lowest_scale = scale < lowest_scale ? scale : lowest_scale;
        }
        json_object_set_new(gov, "pictures", json_integer(pictures));
        json_object_set_new(gov, "held_frames", json_integer(m->frames - pictures));
        json_t *low = json_object_get(gov, "lowest");
        json_object_set_new(low, "fps", json_integer(lowest_fps));
        json_object_set_new(low, "scale", json_real(lowest_scale));
    }
    char *path = vt_xasprintf("%s/render.json", m->dir);
    vt_error err = {0};
    vt_status st = vt_render_json_write(path, render, &err);
    free(path);
    return st == VT_OK ? 0 : fail(st, "%s", err.message);
}

int vt_cmd_merge(const vt_options *opts) {
    merge_job m = {.dir = opts->inputs[0]};
    int rc = find_parts(&m);
    if (rc != 0) {
        return rc;
    }
    m.part = vt_xcalloc((size_t)m.parts, sizeof *m.part);
    for (long k = 1; k <= m.parts && rc == 0; k++) {
        rc = load_part(&m, k);
    }
    if (rc == 0) {
        rc = check_parts(&m);
    }
    if (rc == 0) {
        const char *recorded = json_string_value(json_object_get(m.part[0].render, "audio"));
        m.audio = opts->audio ? opts->audio : recorded;
        if (opts->audio && !recorded) {
            rc = fail(VT_E_USAGE,
                      "--audio %s: the parts were rendered without --audio, so they "
                      "have no sound to join",
                      opts->audio);
        }
    }
    if (rc == 0) {
        rc = check_frames(&m);
    }
    if (rc == 0 && m.spf > 0) {
        rc = join_audio(&m);
    }
    if (rc == 0) {
        rc = write_render_json(&m);
    }
    if (rc == 0) {
        vt_log(VT_LOG_INFO, "merge", "%ld parts joined: %lld frames%s%s, render.json written in %s",
               m.parts, (long long)m.frames, m.spf > 0 ? " and their sound in " : "",
               m.spf > 0 ? m.audio : "", m.dir);
    }
    for (long k = 0; k < m.parts; k++) {
        json_decref(m.part[k].root);
    }
    free(m.part);
    return rc;
}
