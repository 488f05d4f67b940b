/* WebVTT subtitles: the parser (header, blocks, cue timings and settings, payload to plain
 * text) with positioned diagnostics, and the look-ups a text layer makes every frame. */
#include "text/vt_text.h"
#include "io/vt_io.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TIME_EXAMPLE "expected a time like 00:01.500 --> 00:04.000"
/* Ticks per millisecond: 705,600, so every WebVTT time is an exact number of ticks. */
#define TICKS_PER_MS (VT_TICKS_PER_SEC / 1000)
/* 999,999 hours in ticks stays far below INT64_MAX. */
#define MAX_HOUR_DIGITS 6
/* Messages past these counts help nobody and cost memory on hostile input. */
#define MAX_ERRORS 1000
#define MAX_WARNINGS 1000

typedef struct vtt_line {
    const char *s;
    size_t len;
    int no; /* 1-based line number */
} vtt_line;

typedef struct vtt_parser {
    const char *text;
    size_t len, pos;
    int line_no;
    const char *path;
    vt_diags *diags;
    bool block_bad; /* a line of the current block was refused (too long) */
    size_t errors, warnings;
    bool stopped; /* too many errors: the rest of the file is not read */
    vt_vtt_cue *cues;
    size_t count, cap;
} vtt_parser;

/* A growing byte string for payloads. */
typedef struct vtt_str {
    char *p;
    size_t len, cap;
} vtt_str;

static void str_add(vtt_str *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->p = vt_xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void error_at(vtt_parser *p, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void error_at(vtt_parser *p, int line, const char *fmt, ...) {
    if (p->stopped) {
        return;
    }
    if (++p->errors > MAX_ERRORS) {
        /* A binary or wholly wrong file would otherwise give millions of messages. */
        vt_diags_add(p->diags, VT_DIAG_ERROR, p->path, line, 0,
                     "too many errors (more than %d); stopping here: fix these first", MAX_ERRORS);
        p->stopped = true;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vt_diags_addv(p->diags, VT_DIAG_ERROR, p->path, line, 0, fmt, ap);
    va_end(ap);
}

static void warning_at(vtt_parser *p, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void warning_at(vtt_parser *p, int line, const char *fmt, ...) {
    if (++p->warnings > MAX_WARNINGS) {
        if (p->warnings == MAX_WARNINGS + 1) {
            vt_diags_add(p->diags, VT_DIAG_WARNING, p->path, line, 0,
                         "too many warnings (more than %d); the rest are left out", MAX_WARNINGS);
        }
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vt_diags_addv(p->diags, VT_DIAG_WARNING, p->path, line, 0, fmt, ap);
    va_end(ap);
}

/* ---- lines ---- */

/* Reads the next line (ended by LF, CRLF or CR, as the spec allows); false at the end. */
static bool read_line(vtt_parser *p, vtt_line *line) {
    if (p->pos >= p->len) {
        return false;
    }
    const char *s = p->text + p->pos;
    size_t rest = p->len - p->pos, n = 0;
    while (n < rest && s[n] != '\n' && s[n] != '\r') {
        n++;
    }
    size_t skip = n;
    if (skip < rest) {
        skip += (s[n] == '\r' && n + 1 < rest && s[n + 1] == '\n') ? 2 : 1;
    }
    *line = (vtt_line){s, n, ++p->line_no};
    p->pos += skip;
    if (n > VT_VTT_MAX_LINE_BYTES) {
        error_at(p, line->no, "line too long (%zu bytes; the limit is %zu); break it up", n,
                 VT_VTT_MAX_LINE_BYTES);
        p->block_bad = true;
    }
    return true;
}

/* Puts a line back so the next read_line returns it again. */
static void unread_line(vtt_parser *p, const vtt_line *line) {
    p->pos = (size_t)(line->s - p->text);
    p->line_no = line->no - 1;
}

/* True when the line holds "-->". A line refused as too long never counts, so it is not put
 * back and refused twice. */
static bool has_arrow(const vtt_line *l) {
    if (l->len > VT_VTT_MAX_LINE_BYTES) {
        return false;
    }
    for (size_t i = 0; i + 3 <= l->len; i++) {
        if (memcmp(l->s + i, "-->", 3) == 0) {
            return true;
        }
    }
    return false;
}

/* True when the line is `word` alone or followed by a space or tab. */
static bool starts_with_word(const vtt_line *l, const char *word) {
    size_t n = strlen(word);
    return l->len >= n && memcmp(l->s, word, n) == 0 &&
           (l->len == n || l->s[n] == ' ' || l->s[n] == '\t');
}

/* At most max bytes of s[0..len), cut on a code point boundary, for quoting in messages. */
static int cut_utf8(const char *s, size_t len, size_t max) {
    size_t n = len < max ? len : max;
    while (n > 0 && n < len && ((unsigned char)s[n] & 0xC0) == 0x80) {
        n--;
    }
    return (int)n;
}

static int quote_len(const vtt_line *l) {
    return cut_utf8(l->s, l->len, 60);
}

/* ---- timings ---- */

static size_t count_digits(const char *s, size_t len, size_t pos, int64_t *value) {
    size_t n = 0;
    *value = 0;
    while (pos + n < len && s[pos + n] >= '0' && s[pos + n] <= '9') {
        if (n < 18) {
            *value = *value * 10 + (s[pos + n] - '0');
        }
        n++;
    }
    return n;
}

/* Parses [hh:]mm:ss.ttt at s[*pos] into milliseconds. Returns NULL, or why it failed. */
static const char *parse_time(const char *s, size_t len, size_t *pos, int64_t *ms) {
    int64_t v1, v2, v3 = 0, frac;
    size_t n1 = count_digits(s, len, *pos, &v1);
    if (n1 == 0) {
        return "a time must start with digits";
    }
    bool hours = n1 != 2 || v1 > 59;
    size_t i = *pos + n1;
    if (i >= len || s[i] != ':') {
        return "minutes and seconds are separated by ':'";
    }
    size_t n2 = count_digits(s, len, ++i, &v2);
    if (n2 != 2) {
        return "minutes and seconds take two digits each";
    }
    i += 2;
    int64_t h = 0, m = v1, sec = v2;
    if (hours || (i < len && s[i] == ':')) {
        if (i >= len || s[i] != ':' || count_digits(s, len, i + 1, &v3) != 2) {
            return "minutes and seconds take two digits each";
        }
        if (n1 > MAX_HOUR_DIGITS) {
            return "the hours are too large";
        }
        i += 3;
        h = v1, m = v2, sec = v3;
    }
    if (i < len && s[i] == ',') {
        return "use a dot before the milliseconds, not a comma";
    }
    if (i >= len || s[i] != '.' || count_digits(s, len, i + 1, &frac) != 3) {
        return "milliseconds take three digits after a dot";
    }
    if (m > 59 || sec > 59) {
        return "minutes and seconds go from 00 to 59";
    }
    *pos = i + 4;
    *ms = ((h * 60 + m) * 60 + sec) * 1000 + frac;
    return NULL;
}

static size_t skip_blanks(const char *s, size_t len, size_t i) {
    while (i < len && (s[i] == ' ' || s[i] == '\t')) {
        i++;
    }
    return i;
}

/* Parses "start --> end [settings]"; returns NULL, or why it failed. */
static const char *parse_timing(const vtt_line *l, int64_t *start_ms, int64_t *end_ms,
                                size_t *settings_at) {
    size_t i = skip_blanks(l->s, l->len, 0);
    const char *why = parse_time(l->s, l->len, &i, start_ms);
    if (why) {
        return why;
    }
    i = skip_blanks(l->s, l->len, i);
    if (l->len - i < 3 || memcmp(l->s + i, "-->", 3) != 0) {
        return "the start and end times are separated by -->";
    }
    i = skip_blanks(l->s, l->len, i + 3);
    why = parse_time(l->s, l->len, &i, end_ms);
    if (why) {
        return why;
    }
    if (i < l->len && l->s[i] != ' ' && l->s[i] != '\t') {
        return "put a space between the end time and the cue settings";
    }
    *settings_at = skip_blanks(l->s, l->len, i);
    return NULL;
}

/* "mm:ss.ttt", or "hh:mm:ss.ttt" past the first hour, as WebVTT writes times. */
static void format_ms(int64_t ms, char *buf, size_t size) {
    int64_t h = ms / 3600000, m = ms / 60000 % 60, s = ms / 1000 % 60, f = ms % 1000;
    if (h > 0) {
        snprintf(buf, size, "%02lld:%02lld:%02lld.%03lld", (long long)h, (long long)m, (long long)s,
                 (long long)f);
    } else {
        snprintf(buf, size, "%02lld:%02lld.%03lld", (long long)m, (long long)s, (long long)f);
    }
}

/* Unknown settings are ignored by players; a warning catches the typo. */
static void check_settings(vtt_parser *p, const char *s, size_t len, int line) {
    static const char *const names[] = {"vertical", "line", "position", "size", "align", "region"};
    size_t i = 0;
    while ((i = skip_blanks(s, len, i)) < len) {
        size_t start = i;
        while (i < len && s[i] != ' ' && s[i] != '\t') {
            i++;
        }
        const char *colon = memchr(s + start, ':', i - start);
        size_t name_len = colon ? (size_t)(colon - (s + start)) : i - start;
        char name[32];
        snprintf(name, sizeof name, "%.*s", cut_utf8(s + start, name_len, 31), s + start);
        bool known = false;
        for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
            known = known || (name_len == strlen(names[k]) && strcmp(name, names[k]) == 0);
        }
        if (!colon || colon == s + i - 1) {
            warning_at(p, line,
                       "cue setting \"%.*s\" has no value; write it as name:value, "
                       "like align:center",
                       cut_utf8(s + start, i - start, 60), s + start);
        } else if (!known) {
            const char *near = vt_did_you_mean(name, names, sizeof names / sizeof names[0]);
            warning_at(p, line, "unknown cue setting \"%s\" (ignored)%s%s%s", name,
                       near ? "; did you mean \"" : "", near ? near : "", near ? "\"?" : "");
        }
    }
}

/* ---- payload to plain text ---- */

static bool is_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int digit_value(char c, bool hex) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (hex && c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (hex && c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Decodes the character reference at s[i] ('&'): writes it to out and returns its length, or
 * returns 0 when it is not one we know (it is then kept as typed). */
static size_t decode_entity(const char *s, size_t len, size_t i, char *out, size_t *out_n) {
    static const struct {
        const char *name;
        uint32_t cp;
    } named[] = {{"amp", '&'},     {"lt", '<'},       {"gt", '>'},   {"lrm", 0x200Eu},
                 {"rlm", 0x200Fu}, {"nbsp", 0x00A0u}, {"quot", '"'}, {"apos", '\''}};
    size_t j = i + 1;
    uint32_t cp = 0;
    if (j < len && s[j] == '#') {
        bool hex = j + 1 < len && (s[j + 1] == 'x' || s[j + 1] == 'X');
        j += hex ? 2 : 1;
        size_t first = j;
        for (; j < len && j - first < 8; j++) {
            int d = digit_value(s[j], hex);
            if (d < 0) {
                break;
            }
            cp = cp * (hex ? 16u : 10u) + (uint32_t)d;
        }
        if (j == first || cp == 0) {
            return 0;
        }
    } else {
        size_t first = j;
        while (j < len && j - first < 8 && is_alnum(s[j])) {
            j++;
        }
        size_t k = 0, count = sizeof named / sizeof named[0];
        while (k < count && !(strlen(named[k].name) == j - first &&
                              memcmp(named[k].name, s + first, j - first) == 0)) {
            k++;
        }
        if (k == count) {
            return 0;
        }
        cp = named[k].cp;
    }
    if (j >= len || s[j] != ';') {
        return 0;
    }
    *out_n = vt_text_utf8_encode(cp, out);
    return *out_n ? j + 1 - i : 0;
}

/* Length of the tag at s[i] ('<'), up to and with its '>' (or the end, as the spec reads an
 * unclosed tag); *rt gets +1 for <rt>, -1 for </rt> and -2 for </ruby>. */
static size_t skip_tag(const char *s, size_t len, size_t i, int *rt) {
    size_t j = i + 1;
    bool closing = j < len && s[j] == '/';
    j += closing;
    size_t name = j;
    while (j < len && s[j] != '>' && s[j] != '.' && s[j] != ' ' && s[j] != '\t' && s[j] != '\n') {
        j++;
    }
    size_t n = j - name;
    *rt = 0;
    if (n == 2 && memcmp(s + name, "rt", 2) == 0) {
        *rt = closing ? -1 : 1;
    } else if (closing && n == 4 && memcmp(s + name, "ruby", 4) == 0) {
        *rt = -2;
    }
    while (j < len && s[j] != '>') {
        j++;
    }
    return (j < len ? j + 1 : j) - i;
}

/* Cue text as plain text: tags stripped, entities decoded, ruby annotations (<rt>) left out
 * because plain text has no place above the line for them. Never longer than the payload. */
static char *plain_text(const char *s, size_t len) {
    char *out = vt_xmalloc(len + 1);
    size_t o = 0, i = 0;
    int rt_depth = 0;
    while (i < len) {
        if (s[i] == '<') {
            int rt;
            i += skip_tag(s, len, i, &rt);
            rt_depth = (rt == -2 || rt_depth + rt < 0) ? 0 : rt_depth + rt;
            continue;
        }
        char buf[4];
        size_t n = 0, used = s[i] == '&' ? decode_entity(s, len, i, buf, &n) : 0;
        if (used == 0) {
            buf[0] = s[i];
            n = used = 1;
        }
        if (rt_depth == 0) {
            memcpy(out + o, buf, n);
            o += n;
        }
        i += used;
    }
    out[o] = '\0';
    return out;
}

/* ---- blocks ---- */

static void free_cue(vt_vtt_cue *c) {
    free(c->id);
    free(c->settings);
    free(c->payload);
    free(c->text);
}

/* Skips the rest of a block: up to a blank line or the end. */
static void skip_block(vtt_parser *p) {
    vtt_line l;
    while (read_line(p, &l) && l.len > 0) {
    }
}

/* Reads cue text up to a blank line. A line holding "-->" cannot be cue text: the spec starts
 * the next cue there, and the author most likely forgot a blank line. */
static void read_payload(vtt_parser *p, vtt_str *payload) {
    vtt_line l;
    while (read_line(p, &l) && l.len > 0) {
        if (has_arrow(&l)) {
            warning_at(p, l.no,
                       "a blank line is missing before this cue (cue text cannot "
                       "contain -->); add an empty line above it");
            unread_line(p, &l);
            return;
        }
        if (payload->len > 0 || payload->p) {
            str_add(payload, "\n", 1);
        }
        str_add(payload, l.s, l.len);
    }
}

static bool check_times(vtt_parser *p, int line, int64_t start_ms, int64_t end_ms) {
    if (end_ms > start_ms) {
        return true;
    }
    char a[32], b[32];
    format_ms(start_ms, a, sizeof a);
    format_ms(end_ms, b, sizeof b);
    if (end_ms == start_ms) {
        error_at(p, line,
                 "cue ends when it starts (%s), so it would never show; give it an "
                 "end time after its start",
                 a);
    } else {
        error_at(p, line,
                 "cue ends (%s) before it starts (%s); swap the times or fix the end "
                 "time",
                 b, a);
    }
    return false;
}

static void add_cue(vtt_parser *p, const vt_vtt_cue *cue) {
    VT_GROW(p->cues, p->count, p->cap, 64);
    p->cues[p->count++] = *cue;
}

/* A line starting with a time is a timing line gone wrong (say "->" for "-->"), not an
 * identifier: the message is then about that line. */
static bool starts_with_time(const vtt_line *l) {
    size_t i = skip_blanks(l->s, l->len, 0);
    int64_t ms;
    return parse_time(l->s, l->len, &i, &ms) == NULL;
}

/* A cue block whose first line is `first`: [identifier] timing, then payload. */
static void parse_cue(vtt_parser *p, const vtt_line *first) {
    vtt_line timing = *first;
    bool has_id = !has_arrow(first) && !starts_with_time(first);
    if (has_id && (!read_line(p, &timing) || timing.len == 0)) {
        error_at(p, first->no,
                 "\"%.*s\" is not a cue: a cue needs a timing line (%s); add "
                 "one after it or remove the line",
                 quote_len(first), first->s, TIME_EXAMPLE);
        return;
    }
    if (has_id && !has_arrow(&timing)) {
        error_at(p, timing.no,
                 "\"%.*s\" is not a cue timing; %s (a cue is an optional "
                 "identifier line, its timing, then its text)",
                 quote_len(&timing), timing.s, TIME_EXAMPLE);
        skip_block(p);
        return;
    }
    int64_t start_ms = 0, end_ms = 0;
    size_t settings_at = 0;
    const char *why = parse_timing(&timing, &start_ms, &end_ms, &settings_at);
    vtt_str payload = {0};
    read_payload(p, &payload);
    bool ok = !p->block_bad;
    if (why) {
        error_at(p, timing.no, "bad cue timing \"%.*s\": %s; %s", quote_len(&timing), timing.s, why,
                 TIME_EXAMPLE);
        ok = false;
    } else {
        ok = check_times(p, timing.no, start_ms, end_ms) && ok;
    }
    if (!ok) {
        free(payload.p);
        return;
    }
    const char *settings = timing.s + settings_at;
    size_t settings_len = timing.len - settings_at;
    while (settings_len > 0 &&
           (settings[settings_len - 1] == ' ' || settings[settings_len - 1] == '\t')) {
        settings_len--;
    }
    check_settings(p, settings, settings_len, timing.no);
    vt_vtt_cue cue = {
        .id = has_id ? vt_xstrndup(first->s, first->len) : vt_xstrdup(""),
        .start = start_ms * TICKS_PER_MS,
        .end = end_ms * TICKS_PER_MS,
        .settings = vt_xstrndup(settings, settings_len),
        .payload = payload.p ? payload.p : vt_xstrdup(""),
        .text = plain_text(payload.p ? payload.p : "", payload.len),
        .line = timing.no,
    };
    add_cue(p, &cue);
}

/* One block after the header; false when parsing must stop (too many cues). */
static bool parse_block(vtt_parser *p, const vtt_line *first) {
    if (p->block_bad) {
        skip_block(p); /* its first line was refused: nothing more to say about the block */
        return true;
    }
    if (starts_with_word(first, "NOTE") || starts_with_word(first, "STYLE") ||
        starts_with_word(first, "REGION")) {
        skip_block(p); /* comments, and styling this engine does not apply */
        return true;
    }
    if (p->count >= VT_VTT_MAX_CUES) {
        error_at(p, first->no, "too many cues (the limit is %d); split the file", VT_VTT_MAX_CUES);
        return false;
    }
    parse_cue(p, first);
    return true;
}

/* ---- the file ---- */

static int line_of_offset(const char *s, size_t offset) {
    int line = 1;
    for (size_t i = 0; i < offset; i++) {
        if (s[i] == '\n' || (s[i] == '\r' && s[i + 1] != '\n')) { /* offset < len */
            line++;
        }
    }
    return line;
}

/* Refuses what cannot be read as text at all: too large, not UTF-8, NUL bytes. */
static bool check_bytes(vtt_parser *p) {
    if (p->len > VT_VTT_MAX_FILE_BYTES) {
        vt_diags_add(p->diags, VT_DIAG_ERROR, p->path, 0, 0,
                     "file too large (%zu bytes; the limit is %zu); split it into several "
                     "files",
                     p->len, VT_VTT_MAX_FILE_BYTES);
        return false;
    }
    size_t bad;
    if (!vt_text_utf8_validate(p->text, p->len, &bad)) {
        error_at(p, line_of_offset(p->text, bad),
                 "invalid UTF-8 at byte offset %zu; save the "
                 "file as UTF-8",
                 bad);
        return false;
    }
    const char *nul = memchr(p->text, '\0', p->len);
    if (nul) {
        size_t at = (size_t)(nul - p->text);
        error_at(p, line_of_offset(p->text, at),
                 "NUL byte at byte offset %zu; a WebVTT file "
                 "is plain text",
                 at);
        return false;
    }
    return true;
}

/* The "WEBVTT" line and the header lines after it, up to the first blank line. */
static bool parse_header(vtt_parser *p) {
    if (p->len >= 3 && memcmp(p->text, "\xEF\xBB\xBF", 3) == 0) {
        p->pos = 3;
    }
    vtt_line l;
    if (!read_line(p, &l)) {
        error_at(p, 1, "the file is empty; the file must start with WEBVTT");
        return false;
    }
    if (!starts_with_word(&l, "WEBVTT")) {
        bool lower =
            l.len >= 6 && strncasecmp(l.s, "WEBVTT", 6) == 0 && memcmp(l.s, "WEBVTT", 6) != 0;
        error_at(p, l.no, "the file must start with WEBVTT (found \"%.*s\"); %s", quote_len(&l),
                 l.s, lower ? "write it in capitals" : "add a first line reading WEBVTT");
        return false;
    }
    while (read_line(p, &l) && l.len > 0) {
        if (has_arrow(&l)) {
            error_at(p, l.no,
                     "a blank line is missing between the header and this cue; add "
                     "an empty line above it");
            unread_line(p, &l);
            return true;
        }
    }
    return true;
}

static int compare_cues(const void *a, const void *b) {
    const vt_vtt_cue *x = a, *y = b;
    if (x->start != y->start) {
        return x->start < y->start ? -1 : 1;
    }
    return (x->line > y->line) - (x->line < y->line); /* file order: a stable sort */
}

static int compare_ticks(const void *a, const void *b) {
    vt_ticks x = *(const vt_ticks *)a, y = *(const vt_ticks *)b;
    return (x > y) - (x < y);
}

/* Sorts the cues and builds the arrays the look-ups search. */
static void finish(vtt_parser *p, vt_vtt *out) {
    out->cues = p->cues;
    out->count = p->count;
    if (p->count == 0) {
        return;
    }
    qsort(out->cues, out->count, sizeof *out->cues, compare_cues);
    out->ends = vt_xmalloc(out->count * sizeof *out->ends);
    out->reach = vt_xmalloc(out->count * sizeof *out->reach);
    vt_ticks reach = INT64_MIN;
    for (size_t i = 0; i < out->count; i++) {
        out->ends[i] = out->cues[i].end;
        reach = out->cues[i].end > reach ? out->cues[i].end : reach;
        out->reach[i] = reach;
    }
    qsort(out->ends, out->count, sizeof *out->ends, compare_ticks);
}

vt_status vt_vtt_parse(const char *text, size_t len, const char *path, vt_vtt *out,
                       vt_diags *diags) {
    *out = (vt_vtt){0};
    if (!text) {
        text = "", len = 0;
    }
    size_t errors_before = diags->errors;
    vtt_parser p = {.text = text, .len = len, .path = path, .diags = diags};
    if (check_bytes(&p) && parse_header(&p)) {
        vtt_line l;
        bool go_on = true;
        while (go_on && !p.stopped) {
            p.block_bad = false;
            if (!read_line(&p, &l)) {
                break;
            }
            if (l.len > 0) {
                go_on = parse_block(&p, &l);
            }
        }
    }
    finish(&p, out);
    return diags->errors > errors_before ? VT_E_DATAERR : VT_OK;
}

vt_status vt_vtt_load(const char *path, vt_vtt *out, vt_diags *diags) {
    *out = (vt_vtt){0};
    char *data = NULL;
    size_t len = 0;
    vt_status st = vt_file_read_diags(path, VT_VTT_MAX_FILE_BYTES, NULL, &data, &len, diags);
    if (st != VT_OK) {
        return st;
    }
    st = vt_vtt_parse(data, len, path, out, diags);
    free(data);
    return st;
}

void vt_vtt_free(vt_vtt *v) {
    if (!v) {
        return;
    }
    for (size_t i = 0; i < v->count; i++) {
        free_cue(&v->cues[i]);
    }
    free(v->cues);
    free(v->ends);
    free(v->reach);
    *v = (vt_vtt){0};
}

/* ---- look-ups ---- */

/* Index of the first cue starting after t (every cue before it has start <= t). */
static size_t first_after(const vt_vtt *v, vt_ticks t) {
    size_t lo = 0, hi = v->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v->cues[mid].start <= t) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* Index of the first cue whose reach (latest end so far) is after t: every cue before it has
 * ended by t. reach is non-decreasing, so this is a binary search. */
static size_t first_reaching(const vt_vtt *v, vt_ticks t) {
    size_t lo = 0, hi = v->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v->reach[mid] <= t) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

const vt_vtt_cue *vt_vtt_active(const vt_vtt *v, vt_ticks t) {
    if (!v || v->count == 0) {
        return NULL;
    }
    size_t lo = first_reaching(v, t);
    for (size_t i = first_after(v, t); i > lo; i--) {
        if (v->cues[i - 1].end > t) {
            return &v->cues[i - 1];
        }
    }
    return NULL;
}

size_t vt_vtt_active_all(const vt_vtt *v, vt_ticks t, const vt_vtt_cue **out, size_t max) {
    if (!v || v->count == 0) {
        return 0;
    }
    size_t n = 0, hi = first_after(v, t);
    for (size_t i = first_reaching(v, t); i < hi; i++) {
        if (v->cues[i].end > t) {
            if (n < max) {
                out[n] = &v->cues[i];
            }
            n++;
        }
    }
    return n;
}

vt_ticks vt_vtt_next_change(const vt_vtt *v, vt_ticks t) {
    if (!v || v->count == 0) {
        return -1;
    }
    size_t i = first_after(v, t);
    vt_ticks next = i < v->count ? v->cues[i].start : -1;
    size_t lo = 0, hi = v->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v->ends[mid] <= t) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo < v->count && (next < 0 || v->ends[lo] < next)) {
        next = v->ends[lo];
    }
    return next;
}
