/* The YAML tree: libyaml's event stream turned into nodes that keep their line:col, under the
 * restricted profile (one document, no anchors, aliases, tags or merge keys, unique keys). */
#include "io/vt_io.h"
#include "doc/vt_doc.h"
#include "text/vt_text.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct yframe {
    vt_ynode *node; /* an open collection: attached to its parent only once it is complete */
    vt_ynode *key;  /* mapping: the key waiting for its value */
} yframe;

typedef struct ybuild {
    const char *path;
    const char *text;
    size_t len;
    const vt_ytree_limits *lim;
    vt_diags *diags;
    yframe *stack;
    int depth;
    size_t nodes;
    int documents;
    vt_ynode *root;
    bool stop, fatal;
    size_t mark_chars, mark_bytes; /* where byte_at last stopped: marks mostly move forward */
} ybuild;

/* libyaml's marks count characters; nodes keep byte offsets (calibration splices values into
 * the file at them). */
static size_t byte_at(ybuild *b, size_t chars) {
    if (chars < b->mark_chars) {
        b->mark_chars = b->mark_bytes = 0;
    }
    while (b->mark_chars < chars && b->mark_bytes < b->len) {
        unsigned char c = (unsigned char)b->text[b->mark_bytes];
        size_t w = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        b->mark_bytes += w < b->len - b->mark_bytes ? w : b->len - b->mark_bytes;
        b->mark_chars++;
    }
    return b->mark_bytes;
}

static int mark_num(size_t zero_based) {
    return zero_based >= (size_t)INT_MAX ? INT_MAX : (int)zero_based + 1;
}

static void yerror(ybuild *b, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void yerror(ybuild *b, int line, int col, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vt_diags_addv(b->diags, VT_DIAG_ERROR, b->path, line, col, fmt, ap);
    va_end(ap);
}

void vt_ytree_free(vt_ynode *node) {
    if (!node) {
        return;
    }
    /* Depth is bounded by the profile's limit, so recursion is safe. */
    for (size_t i = 0; node->kind == VT_YNODE_SEQ && i < node->count; i++) {
        vt_ytree_free(node->items[i]);
    }
    for (size_t i = 0; node->kind == VT_YNODE_MAP && i < node->count; i++) {
        vt_ytree_free(node->pairs[i].key);
        vt_ytree_free(node->pairs[i].value);
    }
    free(node->items);
    free(node->pairs);
    free(node->text);
    free(node);
}

bool vt_ynode_is(const vt_ynode *n, const char *s) {
    size_t len = strlen(s);
    return n && n->kind == VT_YNODE_SCALAR && n->len == len && memcmp(n->text, s, len) == 0;
}

const char *vt_yshow(const char *s, size_t len, char *buf, size_t cap) {
    size_t n = len;
    bool cut = len > cap - 1;
    if (cut) {
        n = cap - 4;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) {
            n--;
        }
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        buf[i] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
    }
    strcpy(buf + n, cut ? "..." : "");
    return buf;
}

bool vt_ynode_is_null(const vt_ynode *n) {
    return n->kind == VT_YNODE_SCALAR && n->plain &&
           (n->len == 0 || vt_ynode_is(n, "~") || vt_ynode_is(n, "null"));
}

const char *vt_ynode_describe(const vt_ynode *n) {
    double unused;
    switch (n->kind) {
    case VT_YNODE_MAP:
        return "a mapping";
    case VT_YNODE_SEQ:
        return "a sequence";
    case VT_YNODE_BAD:
        return "an alias";
    case VT_YNODE_SCALAR:
        break;
    }
    if (!n->plain) {
        return "a string";
    }
    if (vt_ynode_is_null(n)) {
        return "empty";
    }
    if (vt_ynode_is(n, "true") || vt_ynode_is(n, "false")) {
        return "a boolean";
    }
    return vt_number_parse(n->text, n->len, &unused) != 0 ? "a number" : "a string";
}

const vt_ypair *vt_ymap_find(const vt_ynode *map, const char *key) {
    for (size_t i = 0; map->kind == VT_YNODE_MAP && i < map->count; i++) {
        if (vt_ynode_is(map->pairs[i].key, key)) {
            return &map->pairs[i];
        }
    }
    return NULL;
}

/* ---- building ---- */

static vt_ynode *node_new(ybuild *b, vt_ynode_kind kind, yaml_mark_t at) {
    vt_ynode *n = vt_xcalloc(1, sizeof *n);
    n->kind = kind;
    n->line = mark_num(at.line);
    n->col = mark_num(at.column);
    n->start = n->end = byte_at(b, at.index);
    b->nodes++;
    if (b->nodes > b->lim->max_nodes) {
        yerror(b, n->line, n->col,
               "the file has more than %zu values, the most a %s may hold; "
               "make it smaller",
               b->lim->max_nodes, b->lim->what);
        b->stop = b->fatal = true;
    }
    return n;
}

/* Anchors and tags change what a value means in ways a reader of the file cannot see. */
static void check_props(ybuild *b, const yaml_char_t *anchor, const yaml_char_t *tag,
                        yaml_mark_t at) {
    char shown[64];
    if (anchor) {
        const char *a = (const char *)anchor;
        yerror(b, mark_num(at.line), mark_num(at.column),
               "anchors (&%s) are not allowed; write the value out in full",
               vt_yshow(a, strlen(a), shown, sizeof shown));
    }
    if (tag) {
        /* libyaml hands back the resolved tag: show it as written, "!!str". */
        static const char core[] = "tag:yaml.org,2002:";
        const char *t = (const char *)tag;
        bool is_core = strncmp(t, core, sizeof core - 1) == 0;
        t += is_core ? sizeof core - 1 : 0;
        yerror(b, mark_num(at.line), mark_num(at.column),
               "tags (%s%s) are not allowed; remove the tag and write the plain value",
               is_core ? "!!" : "", vt_yshow(t, strlen(t), shown, sizeof shown));
    }
}

static void seq_push(vt_ynode *seq, vt_ynode *item) {
    VT_GROW(seq->items, seq->count, seq->cap, 4);
    seq->items[seq->count++] = item;
}

/* A key and its value are complete: keep the pair unless the key is refused. */
static void map_add_pair(ybuild *b, vt_ynode *map, vt_ynode *key, vt_ynode *value) {
    bool keep = true;
    if (key->kind == VT_YNODE_BAD) {
        keep = false; /* an alias, already reported */
    } else if (key->kind != VT_YNODE_SCALAR) {
        yerror(b, key->line, key->col, "keys must be plain names, not %s; write 'name: value'",
               vt_ynode_describe(key));
        keep = false;
    } else if (key->plain && vt_ynode_is(key, "<<")) {
        yerror(b, key->line, key->col,
               "merge keys (<<) are not allowed; write the keys out in this mapping");
        keep = false;
    }
    if (!keep) {
        vt_ytree_free(key);
        vt_ytree_free(value);
        return;
    }
    VT_GROW(map->pairs, map->count, map->cap, 4);
    map->pairs[map->count++] = (vt_ypair){key, value};
}

/* Hands a complete node to the open collection, or makes it the document's root. */
static void attach(ybuild *b, vt_ynode *n) {
    if (b->depth == 0) {
        b->root = n;
        return;
    }
    yframe *top = &b->stack[b->depth - 1];
    if (top->node->kind == VT_YNODE_SEQ) {
        seq_push(top->node, n);
    } else if (!top->key) {
        top->key = n;
    } else {
        map_add_pair(b, top->node, top->key, n);
        top->key = NULL;
    }
}

typedef struct keyref {
    const char *text;
    size_t len;
    size_t index;
} keyref;

static int keyref_cmp(const void *pa, const void *pb) {
    const keyref *a = pa, *b = pb;
    if (a->len != b->len) {
        return a->len < b->len ? -1 : 1;
    }
    int c = memcmp(a->text, b->text, a->len);
    if (c != 0) {
        return c;
    }
    return a->index < b->index ? -1 : a->index > b->index;
}

/* Reports each repeated key at its later occurrences and keeps the first one. Sorting keeps
 * this O(n log n) for hostile files with huge mappings. */
static void map_dedupe(ybuild *b, vt_ynode *map) {
    size_t n = map->count;
    if (n < 2) {
        return;
    }
    keyref *refs = vt_xmalloc(n * sizeof *refs);
    for (size_t i = 0; i < n; i++) {
        refs[i] = (keyref){map->pairs[i].key->text, map->pairs[i].key->len, i};
    }
    qsort(refs, n, sizeof *refs, keyref_cmp);
    bool *drop = vt_xcalloc(n, sizeof *drop);
    size_t first = 0;
    for (size_t i = 1; i < n; i++) {
        if (refs[i].len != refs[first].len ||
            memcmp(refs[i].text, refs[first].text, refs[i].len) != 0) {
            first = i;
            continue;
        }
        const vt_ynode *k1 = map->pairs[refs[first].index].key;
        const vt_ynode *k2 = map->pairs[refs[i].index].key;
        char shown[64];
        yerror(b, k2->line, k2->col,
               "duplicate key '%s' (first at line %d, column %d); "
               "remove one of them",
               vt_yshow(k2->text, k2->len, shown, sizeof shown), k1->line, k1->col);
        drop[refs[i].index] = true;
    }
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (drop[i]) {
            vt_ytree_free(map->pairs[i].key);
            vt_ytree_free(map->pairs[i].value);
        } else {
            map->pairs[kept++] = map->pairs[i];
        }
    }
    map->count = kept;
    free(drop);
    free(refs);
}

static void open_collection(ybuild *b, vt_ynode_kind kind, const yaml_event_t *ev,
                            const yaml_char_t *anchor, const yaml_char_t *tag) {
    /* libyaml has no nesting limit of its own: stop before depth could matter. */
    if (b->depth >= b->lim->max_depth) {
        yerror(b, mark_num(ev->start_mark.line), mark_num(ev->start_mark.column),
               "values are nested more than %d levels deep; flatten the structure",
               b->lim->max_depth);
        b->stop = b->fatal = true;
        return;
    }
    check_props(b, anchor, tag, ev->start_mark);
    vt_ynode *n = node_new(b, kind, ev->start_mark);
    b->stack[b->depth++] = (yframe){n, NULL};
}

static void close_collection(ybuild *b, const yaml_event_t *ev) {
    yframe top = b->stack[--b->depth];
    top.node->end = byte_at(b, ev->end_mark.index);
    if (top.node->kind == VT_YNODE_MAP) {
        map_dedupe(b, top.node);
    }
    attach(b, top.node);
}

static void add_scalar(ybuild *b, const yaml_event_t *ev) {
    check_props(b, ev->data.scalar.anchor, ev->data.scalar.tag, ev->start_mark);
    vt_ynode *n = node_new(b, VT_YNODE_SCALAR, ev->start_mark);
    n->text = vt_xstrndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
    n->len = ev->data.scalar.length;
    n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    n->end = byte_at(b, ev->end_mark.index);
    attach(b, n);
}

static void add_alias(ybuild *b, const yaml_event_t *ev) {
    char shown[64];
    const char *a = (const char *)ev->data.alias.anchor;
    yerror(b, mark_num(ev->start_mark.line), mark_num(ev->start_mark.column),
           "aliases (*%s) are not allowed; write the value out in full",
           vt_yshow(a, strlen(a), shown, sizeof shown));
    attach(b, node_new(b, VT_YNODE_BAD, ev->start_mark));
}

static void handle_event(ybuild *b, const yaml_event_t *ev) {
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (++b->documents > 1) {
            yerror(b, mark_num(ev->start_mark.line), mark_num(ev->start_mark.column),
                   "a second document starts here; a file holds one document (remove the "
                   "'---' line and what follows, or merge them)");
            b->stop = true;
        }
        break;
    case YAML_MAPPING_START_EVENT:
        open_collection(b, VT_YNODE_MAP, ev, ev->data.mapping_start.anchor,
                        ev->data.mapping_start.tag);
        break;
    case YAML_SEQUENCE_START_EVENT:
        open_collection(b, VT_YNODE_SEQ, ev, ev->data.sequence_start.anchor,
                        ev->data.sequence_start.tag);
        break;
    case YAML_MAPPING_END_EVENT:
    case YAML_SEQUENCE_END_EVENT:
        close_collection(b, ev);
        break;
    case YAML_SCALAR_EVENT:
        add_scalar(b, ev);
        break;
    case YAML_ALIAS_EVENT:
        add_alias(b, ev);
        break;
    case YAML_STREAM_END_EVENT:
        b->stop = true;
        break;
    default:
        break;
    }
}

/* Reader errors (bad UTF-8, control characters) carry a byte offset rather than a mark. */
static void offset_to_pos(const char *text, size_t len, size_t offset, int *line, int *col) {
    int l = 1, c = 1;
    for (size_t i = 0; i < offset && i < len; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\n') {
            l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* Whether the character at 0-based line:column (in characters, as libyaml counts) is a tab in
 * the line's leading whitespace: libyaml's words for it ("found character that cannot start any
 * token") do not say what to do. */
static bool tab_indent_at(const char *text, size_t len, size_t line, size_t column) {
    size_t i = 0;
    for (size_t l = 0; l < line && i < len; i++) {
        l += text[i] == '\n';
    }
    for (size_t c = 0; i < len && c <= column; i++) {
        if (text[i] != ' ' && text[i] != '\t') {
            return false; /* past the indentation */
        }
        if (c++ == column) {
            return text[i] == '\t';
        }
    }
    return false;
}

static void report_syntax_error(ybuild *b, const yaml_parser_t *p) {
    const char *problem = p->problem ? p->problem : "unknown problem";
    if (p->error == YAML_SCANNER_ERROR &&
        tab_indent_at(b->text, b->len, p->problem_mark.line, p->problem_mark.column)) {
        yerror(b, mark_num(p->problem_mark.line), mark_num(p->problem_mark.column),
               "tabs are not allowed for indentation; indent with spaces");
    } else if (p->error == YAML_MEMORY_ERROR) {
        yerror(b, 0, 0, "out of memory while reading the file");
    } else if (p->error == YAML_READER_ERROR) {
        int line, col;
        size_t bad;
        /* libyaml points past the lead byte of a broken sequence; name the sequence itself. */
        if (!vt_text_utf8_validate(b->text, b->len, &bad)) {
            offset_to_pos(b->text, b->len, bad, &line, &col);
            yerror(b, line, col,
                   "invalid UTF-8 at byte %zu (0x%02X); the file must be UTF-8 text: save it "
                   "as UTF-8 in your editor",
                   bad, (unsigned)(unsigned char)b->text[bad]);
        } else {
            offset_to_pos(b->text, b->len, p->problem_offset, &line, &col);
            yerror(b, line, col, "%s; the file must be UTF-8 text without control characters",
                   problem);
        }
    } else if (p->context) {
        yerror(b, mark_num(p->problem_mark.line), mark_num(p->problem_mark.column),
               "%s %s (which started at line %d, column %d)", problem, p->context,
               mark_num(p->context_mark.line), mark_num(p->context_mark.column));
    } else {
        yerror(b, mark_num(p->problem_mark.line), mark_num(p->problem_mark.column), "%s", problem);
    }
    b->stop = b->fatal = true;
}

static void free_open_nodes(ybuild *b) {
    for (int i = 0; i < b->depth; i++) {
        vt_ytree_free(b->stack[i].node);
        vt_ytree_free(b->stack[i].key);
    }
    b->depth = 0;
}

void vt_ytree_too_large(const char *path, const vt_ytree_limits *lim, vt_diags *diags) {
    vt_diags_add(diags, VT_DIAG_ERROR, path, 1, 1,
                 "the file is larger than %zu bytes (%zu MiB), the most a %s may be; make it "
                 "smaller",
                 lim->max_bytes, lim->max_bytes >> 20, lim->what);
}

void vt_ytree_parse(const char *text, size_t len, const char *path, const vt_ytree_limits *lim,
                    vt_ynode **out, bool *fatal, vt_diags *diags) {
    *out = NULL;
    *fatal = false;
    ybuild b = {.path = path, .text = text, .len = len, .lim = lim, .diags = diags};
    if (len > lim->max_bytes) {
        vt_ytree_too_large(path, lim, diags);
        *fatal = true;
        return;
    }
    b.stack = vt_xcalloc((size_t)lim->max_depth + 1, sizeof *b.stack);
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        abort(); /* only fails when out of memory */
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    while (!b.stop) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            report_syntax_error(&b, &parser);
            break;
        }
        handle_event(&b, &ev);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    free_open_nodes(&b);
    free(b.stack);
    if (b.fatal) {
        vt_ytree_free(b.root);
        b.root = NULL;
    }
    *out = b.root;
    *fatal = b.fatal;
}

vt_status vt_ytree_read_file(const char *path, const vt_ytree_limits *lim, char **text, size_t *len,
                             vt_diags *diags) {
    return vt_file_read_diags(path, lim->max_bytes, lim->what, text, len, diags);
}
