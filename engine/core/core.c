/* Core services: errors, positioned diagnostics, the log, ticks and the monotonic clock,
 * allocation and string helpers. */
#include "core/vt_core.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

void vt_error_setf(vt_error *err, vt_status status, const char *src_file, int src_line,
                   const char *fmt, ...) {
    if (!err) {
        return;
    }
    err->status = status;
    err->src_file = src_file;
    err->src_line = src_line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
}

/* ---- diagnostics ---- */

void *vt_grow(void *items, size_t count, size_t *cap, size_t first, size_t item_size) {
    if (count < *cap) {
        return items;
    }
    size_t n = *cap ? *cap : (first ? first : 1);
    if (*cap && n > SIZE_MAX / 2) {
        abort(); /* more items than memory can hold: a broken invariant */
    }
    n = *cap ? n * 2 : n;
    if (n > SIZE_MAX / item_size) {
        abort();
    }
    *cap = n;
    return vt_xrealloc(items, n * item_size);
}

void vt_diags_addv(vt_diags *d, vt_diag_level level, const char *path, int line, int col,
                   const char *fmt, va_list ap) {
    VT_GROW(d->items, d->count, d->cap, 16);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *msg = vt_xmalloc((size_t)(n < 0 ? 0 : n) + 1);
    vsnprintf(msg, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
    d->items[d->count++] = (vt_diag){level, vt_xstrdup(path ? path : ""), line, col, msg};
    if (level == VT_DIAG_ERROR) {
        d->errors++;
    } else {
        d->warnings++;
    }
}

void vt_diags_add(vt_diags *d, vt_diag_level level, const char *path, int line, int col,
                  const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vt_diags_addv(d, level, path, line, col, fmt, ap);
    va_end(ap);
}

static int diag_before(const vt_diag *a, const vt_diag *b) {
    int c = strcmp(a->path, b->path);
    if (c != 0) {
        return c < 0;
    }
    if (a->line != b->line) {
        return a->line < b->line;
    }
    return a->col < b->col;
}

/* Stable merge sort: a hostile file can produce tens of thousands of diagnostics. */
static void merge_sort(vt_diag *a, vt_diag *tmp, size_t n) {
    if (n < 2) {
        return;
    }
    size_t half = n / 2;
    merge_sort(a, tmp, half);
    merge_sort(a + half, tmp, n - half);
    size_t i = 0, j = half, k = 0;
    while (i < half && j < n) {
        tmp[k++] = diag_before(&a[j], &a[i]) ? a[j++] : a[i++];
    }
    while (i < half) {
        tmp[k++] = a[i++];
    }
    while (j < n) {
        tmp[k++] = a[j++];
    }
    memcpy(a, tmp, n * sizeof *a);
}

void vt_diags_sort(vt_diags *d) {
    if (d->count < 2) {
        return;
    }
    vt_diag *tmp = vt_xmalloc(d->count * sizeof *tmp);
    merge_sort(d->items, tmp, d->count);
    free(tmp);
}

void vt_diags_print(const vt_diags *d, FILE *out) {
    size_t shown = d->count < VT_DIAGS_PRINT_MAX ? d->count : VT_DIAGS_PRINT_MAX;
    size_t errors = 0, warnings = 0;
    for (size_t i = shown; i < d->count; i++) {
        errors += d->items[i].level == VT_DIAG_ERROR;
        warnings += d->items[i].level != VT_DIAG_ERROR;
    }
    for (size_t i = 0; i < shown; i++) {
        const vt_diag *g = &d->items[i];
        const char *lvl = g->level == VT_DIAG_ERROR ? "error" : "warning";
        if (g->line > 0 && g->col > 0) {
            fprintf(out, "%s:%d:%d: %s: %s\n", g->path, g->line, g->col, lvl, g->message);
        } else if (g->line > 0) {
            fprintf(out, "%s:%d: %s: %s\n", g->path, g->line, lvl, g->message);
        } else {
            fprintf(out, "%s: %s: %s\n", g->path, lvl, g->message);
        }
    }
    if (errors + warnings == 0) {
        return;
    }
    char more[96] = "";
    if (errors > 0) {
        snprintf(more, sizeof more, "%zu more error%s%s", errors, errors == 1 ? "" : "s",
                 warnings > 0 ? " and " : "");
    }
    if (warnings > 0) {
        size_t n = strlen(more);
        snprintf(more + n, sizeof more - n, "%zu more warning%s", warnings,
                 warnings == 1 ? "" : "s");
    }
    fprintf(out, "%s: ... and %s not shown (%zu error%s in all); fix the ones above first\n",
            d->items[shown].path, more, d->errors, d->errors == 1 ? "" : "s");
}

void vt_diags_free(vt_diags *d) {
    for (size_t i = 0; i < d->count; i++) {
        free(d->items[i].path);
        free(d->items[i].message);
    }
    free(d->items);
    *d = (vt_diags){0};
}

/* ---- log ---- */

/* Set once at start-up from the command line, read everywhere after. */
static vt_log_level log_threshold = VT_LOG_INFO;
static bool log_priorities; /* stderr is the journal: "<3>" and "<4>" lead the lines */

void vt_log_set_level(vt_log_level level) {
    log_threshold = level;
}
void vt_log_set_priorities(bool on) {
    log_priorities = on;
}
vt_log_level vt_log_get_level(void) {
    return log_threshold;
}

void vt_log(vt_log_level level, const char *module, const char *fmt, ...) {
    if (level < log_threshold) {
        return;
    }
    static const char *const names[] = {"debug", "info", "warning", "error", ""};
    static const char *const priorities[] = {"<7>", "<6>", "<4>", "<3>", ""};
    char line[2048];
    int n = snprintf(line, sizeof line, "%svitrine: %s: ", log_priorities ? priorities[level] : "",
                     module);
    if (level != VT_LOG_INFO && n >= 0 && (size_t)n < sizeof line) {
        n += snprintf(line + n, sizeof line - (size_t)n, "%s: ", names[level]);
    }
    if (n >= 0 && (size_t)n < sizeof line) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
        va_end(ap);
    }
    /* One write per line so lines from several threads do not interleave. */
    fprintf(stderr, "%s\n", line);
}

/* ---- time ---- */

vt_ticks vt_ticks_of_frame(int64_t index, int fps) {
    /* index * TPS can overflow past ~13 s at 1 fps... only beyond 2^63 / 7e8 = 1.3e10 frames. */
    int64_t whole = index / fps, rest = index % fps;
    return whole * VT_TICKS_PER_SEC + rest * VT_TICKS_PER_SEC / fps;
}

vt_ticks vt_ticks_from_seconds(double seconds) {
    /* Saturates: callers convert values from files before range-checking them, and a huge
     * number must not be undefined behaviour. 1.3e10 s is the int64 limit of ticks. */
    double t = seconds * (double)VT_TICKS_PER_SEC;
    if (!(t == t)) {
        return 0;
    }
    if (t >= 9.2e18) {
        return INT64_MAX;
    }
    if (t <= -9.2e18) {
        return -INT64_MAX;
    }
    return (vt_ticks)(t < 0 ? t - 0.5 : t + 0.5);
}

double vt_ticks_to_seconds(vt_ticks t) {
    return (double)t / (double)VT_TICKS_PER_SEC;
}

int64_t vt_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void vt_sleep_until_ns(int64_t deadline_ns) {
    struct timespec ts = {(time_t)(deadline_ns / 1000000000), (long)(deadline_ns % 1000000000)};
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

/* ---- allocation and strings ---- */

static void *oom(size_t n) {
    fprintf(stderr, "vitrine: out of memory (%zu bytes)\n", n);
    abort();
}

void *vt_xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    return p ? p : oom(n);
}

void *vt_xcalloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size ? size : 1);
    return p ? p : oom(n * size);
}

void *vt_xrealloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    return q ? q : oom(n);
}

char *vt_xstrdup(const char *s) {
    return vt_xstrndup(s, strlen(s));
}

char *vt_xstrndup(const char *s, size_t n) {
    char *p = vt_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *vt_xasprintf(const char *fmt, ...) {
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = vt_xmalloc((size_t)(n < 0 ? 0 : n) + 1);
    vsnprintf(p, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap2);
    va_end(ap2);
    return p;
}

size_t vt_edit_distance(const char *a, const char *b) {
    /* Optimal string alignment distance over three rolling rows; names here are short. */
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) {
        return la > lb ? la : lb;
    }
    size_t rows[3][65];
    size_t *pp = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= lb; j++) {
        prev[j] = j;
    }
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t v = prev[j] + 1;
            if (cur[j - 1] + 1 < v) {
                v = cur[j - 1] + 1;
            }
            if (prev[j - 1] + cost < v) {
                v = prev[j - 1] + cost;
            }
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                pp[j - 2] + 1 < v) {
                v = pp[j - 2] + 1;
            }
            cur[j] = v;
        }
        size_t *t = pp;
        pp = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb];
}

const char *vt_did_you_mean(const char *word, const char *const *candidates, size_t count) {
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    size_t len = strlen(word);
    size_t limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
    for (size_t i = 0; i < count; i++) {
        size_t d = vt_edit_distance(word, candidates[i]);
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    return best && best_d > 0 && best_d <= limit ? best : NULL;
}
