/* Fleet metrics (metrics_internal.h): play's figures as a Prometheus text file for
 * node_exporter's textfile collector. Names are vitrine_*, counters end in _total, units are
 * SI (seconds, watts, joules); text (the state, the last error) goes in label values, escaped
 * as the format says (backslash, double quote, newline), with bytes that are not UTF-8 replaced
 * by '?', so one odd file name can never make the collector refuse the whole file. */
#include "app/metrics_internal.h"
#include "io/vt_io.h"
#include "text/vt_text.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_INTERVAL_S 10.0

typedef struct text_buf {
    char *data;
    size_t len, cap;
} text_buf;

static void put(text_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(text_buf *b, const char *fmt, ...) {
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        b->cap = b->cap * 2 + (n > 0 ? (size_t)n : 0) + 256;
        b->data = vt_xrealloc(b->data, b->cap);
    }
}

/* A label value: valid UTF-8, with \, " and newline escaped; at most 512 bytes of the text. */
static void put_label(text_buf *b, const char *s) {
    size_t len = strlen(s), i = 0;
    len = len > 512 ? 512 : len;
    while (i < len) {
        uint32_t cp;
        size_t n = vt_text_utf8_decode(s + i, len - i, &cp);
        if (n == 0) {
            put(b, "?");
            i++;
            continue;
        }
        char c = s[i];
        if (c == '\\' || c == '"') {
            put(b, "\\%c", c);
        } else if (c == '\n') {
            put(b, "\\n");
        } else {
            put(b, "%.*s", (int)n, s + i);
        }
        i += n;
    }
}

/* A sample value: Prometheus reads NaN and +Inf/-Inf spelt so. */
static void put_value(text_buf *b, double v) {
    if (isnan(v)) {
        put(b, " NaN\n");
    } else if (isinf(v)) {
        put(b, v > 0 ? " +Inf\n" : " -Inf\n");
    } else {
        put(b, " %.10g\n", v);
    }
}

static void family(text_buf *b, const char *name, const char *type, const char *help) {
    put(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void sample(text_buf *b, const char *name, double v) {
    put(b, "%s", name);
    put_value(b, v);
}

static void gauge(text_buf *b, const char *name, const char *help, double v) {
    family(b, name, "gauge", help);
    sample(b, name, v);
}

char *vt_metrics_text(const vt_metrics_figures *f) {
    const vt_remote_status *st = f->status;
    text_buf b = {0};
    gauge(&b, "vitrine_up", "1 while play runs; 0 in the file it leaves as it stops.",
          f->up ? 1 : 0);
    family(&b, "vitrine_info", "gauge", "The scene played and the version, as labels; always 1.");
    put(&b, "vitrine_info{scene=\"");
    put_label(&b, st->scene ? st->scene : "");
    put(&b, "\",version=\"%s\"} 1\n", VT_VERSION);
    family(&b, "vitrine_state", "gauge",
           "The show's state (the scene's state name, or closed outside opening hours) as a "
           "label; always 1.");
    put(&b, "vitrine_state{state=\"");
    put_label(&b, st->state ? st->state : "");
    put(&b, "\"} 1\n");
    gauge(&b, "vitrine_fps", "Frames drawn a second, measured.", st->fps);
    gauge(&b, "vitrine_target_fps", "The frame rate the governor allows now.", st->target_fps);
    gauge(&b, "vitrine_render_scale", "The scale the frames are drawn at (1: full size).",
          st->scale);
    if (f->has_power) {
        gauge(&b, "vitrine_power_watts", "Power, as the configured sensor reads it.", st->power_w);
    }
    family(&b, "vitrine_energy_joules_total", "counter", "Energy measured since play started.");
    sample(&b, "vitrine_energy_joules_total", st->energy_j);
    gauge(&b, "vitrine_uptime_seconds", "Seconds since play started.", st->uptime_s);
    family(&b, "vitrine_last_error", "gauge",
           "1 with the latest problem (a broken reload, a refused command) as the message "
           "label; 0 with an empty message when there is none.");
    put(&b, "vitrine_last_error{message=\"");
    put_label(&b, st->last_error ? st->last_error : "");
    put(&b, "\"} %d\n", st->last_error ? 1 : 0);
    family(&b, "vitrine_reloads_total", "counter", "Hot reloads of the scene done.");
    put(&b, "vitrine_reloads_total %llu\n", (unsigned long long)f->reloads);
    family(&b, "vitrine_osc_packets_dropped_total", "counter",
           "OSC packets and messages dropped, by reason.");
    const struct {
        const char *reason;
        uint64_t n;
    } dropped[] = {{"malformed", st->osc.malformed},
                   {"oversized", st->osc.oversized},
                   {"denied", st->osc.denied},
                   {"rate_limited", st->osc.limited},
                   {"overflow", st->osc.overflow}};
    for (size_t i = 0; i < sizeof dropped / sizeof dropped[0]; i++) {
        put(&b, "vitrine_osc_packets_dropped_total{reason=\"%s\"} %llu\n", dropped[i].reason,
            (unsigned long long)dropped[i].n);
    }
    if (f->has_sync) { /* a machine alone has no offset: the family is left out */
        family(&b, "vitrine_sync_offset_seconds", "gauge",
               "This machine's shared clock minus its leader's, smoothed, with its role as a "
               "label (the leader: 0; NaN until measured).");
        put(&b, "vitrine_sync_offset_seconds{role=\"%s\"}", f->sync_leader ? "leader" : "follower");
        put_value(&b, f->sync_offset);
    }
    return b.data;
}

int64_t vt_metrics_deadline(const vt_metrics *m, const char *path) {
    return path ? m->next_ns : INT64_MAX;
}

void vt_metrics_tick(vt_metrics *m, const char *path, double interval, int64_t now_ns, bool force,
                     const vt_metrics_figures *f) {
    if (!path || (!force && now_ns < m->next_ns)) {
        return;
    }
    double s = interval > 0 ? interval : DEFAULT_INTERVAL_S;
    m->next_ns = now_ns + (int64_t)(s * 1e9);
    char *text = vt_metrics_text(f);
    vt_error err = {0};
    /* the temporary file is "<name>.prom.tmp-...": the collector reads only *.prom */
    vt_status st = vt_file_write_atomic(path, text, strlen(text), 0, &err);
    free(text);
    if (st != VT_OK && !m->failing) {
        vt_log(VT_LOG_WARN, "metrics", "%s; trying again every %g s", err.message, s);
    } else if (st == VT_OK && m->failing) {
        vt_log(VT_LOG_INFO, "metrics", "%s written again", path);
    }
    m->failing = st != VT_OK;
}
