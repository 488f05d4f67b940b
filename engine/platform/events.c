/* Event scripts: one input event a line ("2.5 key space", "3 click 960 540", "4 osc /room/door
 * 1", "5 down 100 200 1", "5.1 move 140 200 1", "5.2 up 180 200 1", "6 scroll 960 540 3"), read
 * into vt_events sorted by time, so tests and offline renders can replay visitors' input,
 * gestures with several fingers, and a show controller's messages. */
#include "io/vt_io.h"
#include "platform/vt_platform.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EVENTS_MAX_BYTES (1u << 20)
#define EVENTS_MAX_COUNT 100000
#define EVENTS_MAX_SECONDS 1e9 /* ~31 years: far below where ticks would overflow */
#define EVENTS_MAX_TOKENS 8
#define EVENTS_MAX_POINTER 1000000 /* finger ids in scripts: 0..this */

typedef struct token {
    const char *s;
    size_t len;
    int col; /* 1-based, in characters */
} token;

typedef struct script {
    const char *path;
    vt_diags *diags;
    int line;
    vt_event *events;
    size_t count, cap;
    bool full; /* EVENTS_MAX_COUNT reached: stop reading */
} script;

static void script_error(script *sc, int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void script_error(script *sc, int col, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vt_diags_addv(sc->diags, VT_DIAG_ERROR, sc->path, sc->line, col, fmt, ap);
    va_end(ap);
}

/* User text for a message: control characters as '?', cut when long. */
static const char *show(const token *t, char *buf, size_t cap) {
    size_t n = t->len < cap - 4 ? t->len : cap - 4;
    while (n < t->len && n > 0 && ((unsigned char)t->s[n] & 0xC0) == 0x80) {
        n--;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)t->s[i];
        buf[i] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
    }
    strcpy(buf + n, n < t->len ? "..." : "");
    return buf;
}

static bool is_space(char ch) {
    return ch == ' ' || ch == '\t';
}

/* Splits a line on spaces and tabs; returns the number of tokens (at most `max`, then the rest
 * is left out: callers only need to know that more follow). */
static size_t tokenize(const char *s, size_t len, token *out, size_t max) {
    size_t n = 0, i = 0;
    int col = 1;
    while (i < len && n < max) {
        while (i < len && is_space(s[i])) {
            i++;
            col++;
        }
        if (i == len) {
            break;
        }
        out[n] = (token){s + i, 0, col};
        while (i < len && !is_space(s[i])) {
            col += ((unsigned char)s[i] & 0xC0) != 0x80;
            i++;
        }
        out[n].len = (size_t)(s + i - out[n].s);
        n++;
    }
    return n;
}

static size_t skip_digits(const token *t, size_t i) {
    while (i < t->len && t->s[i] >= '0' && t->s[i] <= '9') {
        i++;
    }
    return i;
}

/* Strict decimal: [sign] digits [. digits] [e [sign] digits]; sign and exponent only when
 * `signed_exp`. No hex, no inf or nan. */
static bool parse_number(const token *t, bool signed_exp, double *out) {
    size_t i = 0;
    if (signed_exp && i < t->len && (t->s[i] == '-' || t->s[i] == '+')) {
        i++;
    }
    size_t start = i;
    i = skip_digits(t, i);
    if (i == start) {
        return false;
    }
    if (i < t->len && t->s[i] == '.') {
        size_t frac = ++i;
        i = skip_digits(t, i);
        if (i == frac) {
            return false;
        }
    }
    if (signed_exp && i < t->len && (t->s[i] == 'e' || t->s[i] == 'E')) {
        i++;
        i += i < t->len && (t->s[i] == '-' || t->s[i] == '+');
        size_t exp = i;
        i = skip_digits(t, i);
        if (i == exp) {
            return false;
        }
    }
    if (i != t->len) {
        return false;
    }
    char *copy = vt_xstrndup(t->s, t->len);
    double v = strtod(copy, NULL);
    free(copy);
    *out = v;
    return isfinite(v);
}

static bool parse_time(script *sc, const token *t, vt_ticks *out) {
    char shown[64];
    double s;
    if (t->len > 1 && t->s[0] == '-' && parse_number(t, true, &s)) {
        script_error(sc, t->col, "the time must be 0 or more, got '%s'", show(t, shown, 64));
        return false;
    }
    if (!parse_number(t, false, &s)) {
        script_error(sc, t->col, "expected a time in seconds, got '%s'", show(t, shown, 64));
        return false;
    }
    if (s > EVENTS_MAX_SECONDS) {
        script_error(sc, t->col, "the time must be at most %.0f seconds, got '%s'",
                     EVENTS_MAX_SECONDS, show(t, shown, 64));
        return false;
    }
    *out = vt_ticks_from_seconds(s);
    return true;
}

static int end_col(const char *s, size_t len) {
    int col = 1;
    for (size_t i = 0; i < len; i++) {
        col += ((unsigned char)s[i] & 0xC0) != 0x80;
    }
    return col;
}

/* The key name is the rest of the line: SDL names hold spaces ("left shift", "keypad 5"). */
static bool parse_key(script *sc, const char *line, size_t len, const token *name, vt_event *ev) {
    char shown[64];
    if (!name) {
        script_error(sc, end_col(line, len), "'key' needs a key name, like '2.5 key space'");
        return false;
    }
    token rest = {name->s, (size_t)(line + len - name->s), name->col};
    while (rest.len > 0 && is_space(rest.s[rest.len - 1])) {
        rest.len--;
    }
    for (size_t i = 0; i < rest.len; i++) {
        unsigned char ch = (unsigned char)rest.s[i];
        if (ch < 0x20 || ch == 0x7f) {
            script_error(sc, rest.col,
                         "key name '%s' holds a tab or a control character; "
                         "write it as SDL names it, like 'left shift'",
                         show(&rest, shown, 64));
            return false;
        }
    }
    if (rest.len >= sizeof ev->name) {
        script_error(sc, rest.col,
                     "key name '%s' is too long; key names have at most %zu "
                     "bytes",
                     show(&rest, shown, 64), sizeof ev->name - 1);
        return false;
    }
    for (size_t i = 0; i < rest.len; i++) {
        ev->name[i] = (char)tolower((unsigned char)rest.s[i]);
    }
    ev->name[rest.len] = '\0';
    return true;
}

/* OSC: an address, then its arguments as the rest of the line (converted when applied). */
static bool parse_osc(script *sc, const char *line, size_t len, const token *addr, vt_event *ev) {
    char shown[64];
    if (!addr) {
        script_error(sc, end_col(line, len), "'osc' needs an address, like '2.5 osc /room/door'");
        return false;
    }
    bool ok = addr->len > 1 && addr->s[0] == '/' && addr->len < sizeof ev->name;
    for (size_t i = 0; ok && i < addr->len; i++) {
        ok = (unsigned char)addr->s[i] > 0x20 && (unsigned char)addr->s[i] < 0x7F;
    }
    if (!ok) {
        script_error(sc, addr->col,
                     "'%s' is not an OSC address; write '/' and up to %zu printable "
                     "characters, like /room/door",
                     show(addr, shown, 64), sizeof ev->name - 2);
        return false;
    }
    memcpy(ev->name, addr->s, addr->len);
    ev->name[addr->len] = '\0';
    token rest = {addr->s + addr->len, (size_t)(line + len - (addr->s + addr->len)), 0};
    while (rest.len > 0 && is_space(rest.s[0])) {
        rest.s++;
        rest.len--;
    }
    while (rest.len > 0 && is_space(rest.s[rest.len - 1])) {
        rest.len--;
    }
    for (size_t i = 0; i < rest.len; i++) {
        unsigned char ch = (unsigned char)rest.s[i];
        if (ch < 0x20 && ch != '\t') {
            script_error(sc, addr->col, "the arguments of '%s' hold a control character", ev->name);
            return false;
        }
    }
    if (rest.len >= sizeof ev->args) {
        script_error(sc, addr->col, "the arguments of '%s' are longer than %zu bytes", ev->name,
                     sizeof ev->args - 1);
        return false;
    }
    memcpy(ev->args, rest.s, rest.len);
    ev->args[rest.len] = '\0';
    return true;
}

/* A finger id: a whole number 0..EVENTS_MAX_POINTER. */
static bool parse_pointer(script *sc, const token *t, int64_t *out) {
    char shown[64];
    double v;
    if (!parse_number(t, false, &v) || v != floor(v) || v > EVENTS_MAX_POINTER) {
        script_error(sc, t->col, "expected a finger id (a whole number from 0 to %d), got '%s'",
                     EVENTS_MAX_POINTER, show(t, shown, 64));
        return false;
    }
    *out = (int64_t)v;
    return true;
}

/* click, touch: X Y; down, move, up: X Y [finger id]; scroll: X Y NOTCHES. */
static bool parse_point(script *sc, const char *line, size_t len, const token *tok, size_t ntok,
                        const char *what, vt_event *ev) {
    char shown[64];
    bool finger = strcmp(what, "down") == 0 || strcmp(what, "move") == 0 || strcmp(what, "up") == 0;
    bool scroll = strcmp(what, "scroll") == 0;
    if (ntok < 4 || (scroll && ntok < 5)) {
        script_error(sc, end_col(line, len), "'%s' needs %s, like '2.5 %s 960 540%s'", what,
                     scroll ? "X and Y canvas coordinates and the wheel notches (positive: the "
                              "content moves up)"
                            : "X and Y canvas coordinates",
                     what,
                     scroll   ? " 3"
                     : finger ? " 1"
                              : "");
        return false;
    }
    bool ok = true;
    if (!parse_number(&tok[2], true, &ev->x)) {
        script_error(sc, tok[2].col, "expected a number for X, got '%s'", show(&tok[2], shown, 64));
        ok = false;
    }
    if (!parse_number(&tok[3], true, &ev->y)) {
        script_error(sc, tok[3].col, "expected a number for Y, got '%s'", show(&tok[3], shown, 64));
        ok = false;
    }
    size_t used = 4;
    if (scroll) {
        used = 5;
        if (!parse_number(&tok[4], true, &ev->dy) || fabs(ev->dy) > 1000) {
            script_error(sc, tok[4].col, "expected the wheel notches, -1000 to 1000, got '%s'",
                         show(&tok[4], shown, 64));
            ok = false;
        }
    } else if (finger && ntok > 4) {
        used = 5;
        ok = parse_pointer(sc, &tok[4], &ev->pointer) && ok;
    }
    if (ntok > used) {
        script_error(sc, tok[used].col, "unexpected '%s' after the event; write one event a line",
                     show(&tok[used], shown, 64));
        ok = false;
    }
    return ok;
}

#define KIND_COUNT 9
static const char *const kind_names[KIND_COUNT] = {"key",  "click", "touch",  "osc", "down",
                                                   "move", "up",    "scroll", "tap"};

static bool parse_kind(script *sc, const token *t, size_t *out) {
    const char *const *names = kind_names;
    for (size_t i = 0; i + 1 < KIND_COUNT; i++) {
        if (t->len == strlen(names[i]) && memcmp(t->s, names[i], t->len) == 0) {
            *out = i;
            return true;
        }
    }
    char shown[64], lower[64];
    show(t, shown, sizeof shown);
    for (size_t i = 0; i < sizeof lower; i++) {
        lower[i] = (char)tolower((unsigned char)shown[i]); /* "KEY" is close to "key" */
    }
    /* "tap" is not an event: it is a touch (down and up at once) */
    const char *near = vt_did_you_mean(lower, names, KIND_COUNT);
    for (size_t i = 0; i < KIND_COUNT && !near; i++) {
        near = strcmp(lower, names[i]) == 0 ? names[i] : NULL;
    }
    near = near && strcmp(near, "tap") == 0 ? "touch" : near;
    if (near) {
        script_error(sc, t->col, "unknown event '%s'; did you mean '%s'?", shown, near);
    } else {
        script_error(sc, t->col,
                     "unknown event '%s'; valid events: key, click, touch, down, move, up, "
                     "scroll, osc",
                     shown);
    }
    return false;
}

static void push_event(script *sc, const vt_event *ev) {
    VT_GROW(sc->events, sc->count, sc->cap, 64);
    sc->events[sc->count++] = *ev;
}

static void parse_line(script *sc, const char *line, size_t len) {
    token tok[EVENTS_MAX_TOKENS];
    size_t n = tokenize(line, len, tok, EVENTS_MAX_TOKENS);
    if (n == 0 || tok[0].s[0] == '#') {
        return;
    }
    if (sc->count == EVENTS_MAX_COUNT) {
        script_error(sc, tok[0].col, "more than %d events; split the script", EVENTS_MAX_COUNT);
        sc->full = true;
        return;
    }
    vt_event ev = {.line = sc->line};
    bool ok = parse_time(sc, &tok[0], &ev.time);
    if (n < 2) {
        script_error(sc, end_col(line, len),
                     "expected an event after the time: key, click, touch, down, move, up, "
                     "scroll or osc");
        return;
    }
    size_t kind;
    if (!parse_kind(sc, &tok[1], &kind)) {
        return;
    }
    static const vt_event_type types[KIND_COUNT] = {VT_EVENT_KEY, VT_EVENT_CLICK,  VT_EVENT_TOUCH,
                                                    VT_EVENT_OSC, VT_EVENT_TOUCH,  VT_EVENT_MOVE,
                                                    VT_EVENT_UP,  VT_EVENT_SCROLL, VT_EVENT_NONE};
    ev.type = types[kind];
    if (ev.type == VT_EVENT_KEY) {
        ok = parse_key(sc, line, len, n > 2 ? &tok[2] : NULL, &ev) && ok;
    } else if (ev.type == VT_EVENT_OSC) {
        ok = parse_osc(sc, line, len, n > 2 ? &tok[2] : NULL, &ev) && ok;
    } else {
        /* `touch` and `click` lines are taps: a finger down and up at once */
        ev.tap = kind == 1 || kind == 2;
        ok = parse_point(sc, line, len, tok, n, kind_names[kind], &ev) && ok;
    }
    if (ok) {
        push_event(sc, &ev);
    }
}

static int event_cmp(const void *pa, const void *pb) {
    const vt_event *a = pa, *b = pb;
    if (a->time != b->time) {
        return a->time < b->time ? -1 : 1;
    }
    /* Lines are unique and increasing: ties keep the script's order (a stable sort). */
    return (a->line > b->line) - (a->line < b->line);
}

static vt_status too_large(const char *path, vt_diags *diags) {
    vt_diags_add(diags, VT_DIAG_ERROR, path, 1, 1,
                 "the file is larger than %u bytes (1 MiB), the most an event script may be; "
                 "make it smaller",
                 EVENTS_MAX_BYTES);
    return VT_E_DATAERR;
}

vt_status vt_events_parse(const char *text, size_t len, const char *path, vt_event **out,
                          size_t *out_count, vt_diags *diags) {
    *out = NULL;
    *out_count = 0;
    if (len > EVENTS_MAX_BYTES) {
        return too_large(path, diags);
    }
    script sc = {.path = path, .diags = diags};
    size_t errors_before = diags->errors, pos = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        pos = 3; /* a byte-order mark some editors write */
    }
    while (pos < len && !sc.full) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len, line_len = end - pos;
        if (line_len > 0 && text[end - 1] == '\r') {
            line_len--;
        }
        sc.line++;
        parse_line(&sc, text + pos, line_len);
        pos = end + 1;
    }
    vt_diags_sort(diags);
    if (diags->errors > errors_before) {
        free(sc.events);
        return VT_E_DATAERR;
    }
    if (sc.count > 1) {
        qsort(sc.events, sc.count, sizeof *sc.events, event_cmp);
    }
    *out = sc.events;
    *out_count = sc.count;
    return VT_OK;
}

vt_status vt_events_load(const char *path, vt_event **out, size_t *out_count, vt_diags *diags) {
    *out = NULL;
    *out_count = 0;
    char *text = NULL;
    size_t len = 0;
    vt_status st = vt_file_read_diags(path, EVENTS_MAX_BYTES, "event script", &text, &len, diags);
    if (st != VT_OK) {
        return st;
    }
    st = vt_events_parse(text, len, path, out, out_count, diags);
    free(text);
    return st;
}
