/* The expression language of ISF pass sizes ("WIDTH": "floor($WIDTH / 4.0)"): a recursive
 * descent evaluator over doubles, bounded in depth, that never calls out beyond the lookup. */
#include "isf/vt_isf.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

typedef struct parser {
    const char *s, *p;
    vt_isf_lookup lookup;
    void *user;
    int depth;
    bool failed;
    char *why;
    size_t why_size;
} parser;

static double fail(parser *ps, const char *what) {
    if (!ps->failed) {
        ps->failed = true;
        if (ps->why && ps->why_size) {
            snprintf(ps->why, ps->why_size, "%s at column %d", what, (int)(ps->p - ps->s) + 1);
        }
    }
    return 0;
}

static void skip_ws(parser *ps) {
    while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r') {
        ps->p++;
    }
}

static bool accept(parser *ps, const char *tok) {
    skip_ws(ps);
    size_t n = strlen(tok);
    if (strncmp(ps->p, tok, n) == 0) {
        ps->p += n;
        return true;
    }
    return false;
}

static double expr(parser *ps);

typedef struct fn {
    const char *name;
    int args;
    double (*f1)(double);
    double (*f2)(double, double);
} fn;

static double sign_of(double x) {
    return x > 0 ? 1 : x < 0 ? -1 : 0;
}
static double min_of(double a, double b) {
    return a < b ? a : b;
}
static double max_of(double a, double b) {
    return a > b ? a : b;
}
/* GLSL's mod: x - y * floor(x / y). */
static double glsl_mod(double a, double b) {
    return a - b * floor(a / b);
}

static const fn FUNCS[] = {
    {"floor", 1, floor, NULL},  {"ceil", 1, ceil, NULL},  {"round", 1, round, NULL},
    {"trunc", 1, trunc, NULL},  {"abs", 1, fabs, NULL},   {"sign", 1, sign_of, NULL},
    {"sqrt", 1, sqrt, NULL},    {"exp", 1, exp, NULL},    {"log", 1, log, NULL},
    {"sin", 1, sin, NULL},      {"cos", 1, cos, NULL},    {"tan", 1, tan, NULL},
    {"pow", 2, NULL, pow},      {"min", 2, NULL, min_of}, {"max", 2, NULL, max_of},
    {"mod", 2, NULL, glsl_mod}, {"clamp", 3, NULL, NULL},
};

static double call(parser *ps, const char *name, size_t len) {
    const fn *f = NULL;
    for (size_t i = 0; i < sizeof FUNCS / sizeof FUNCS[0]; i++) {
        if (strlen(FUNCS[i].name) == len && strncmp(FUNCS[i].name, name, len) == 0) {
            f = &FUNCS[i];
        }
    }
    if (!f) {
        return fail(ps, "unknown function (floor, ceil, round, abs, min, max, pow... are known)");
    }
    if (!accept(ps, "(")) {
        return fail(ps, "expected '(' after a function name");
    }
    double a[3] = {0};
    for (int i = 0; i < f->args; i++) {
        if (i > 0 && !accept(ps, ",")) {
            return fail(ps, "expected ',' between a function's arguments");
        }
        a[i] = expr(ps);
    }
    if (!accept(ps, ")")) {
        return fail(ps, "expected ')' after a function's arguments");
    }
    if (f->args == 3) {
        return min_of(max_of(a[0], a[1]), a[2]);
    }
    return f->args == 1 ? f->f1(a[0]) : f->f2(a[0], a[1]);
}

static double primary(parser *ps) {
    skip_ws(ps);
    const char *start = ps->p;
    if (accept(ps, "(")) {
        double v = expr(ps);
        if (!accept(ps, ")")) {
            return fail(ps, "expected ')'");
        }
        return v;
    }
    if (*ps->p == '$') {
        ps->p++;
        const char *name = ps->p;
        while (isalnum((unsigned char)*ps->p) || *ps->p == '_') {
            ps->p++;
        }
        double v = 0;
        size_t len = (size_t)(ps->p - name);
        if (len == 0 || !ps->lookup || !ps->lookup(ps->user, name, len, &v)) {
            ps->p = start;
            return fail(ps, "unknown variable (use $WIDTH, $HEIGHT or $ and an input's name)");
        }
        return v;
    }
    if (isdigit((unsigned char)*ps->p) || *ps->p == '.') {
        char *end = NULL;
        double v = strtod(ps->p, &end);
        if (end == ps->p) {
            return fail(ps, "expected a number");
        }
        ps->p = end;
        return v;
    }
    if (isalpha((unsigned char)*ps->p)) {
        while (isalnum((unsigned char)*ps->p) || *ps->p == '_') {
            ps->p++;
        }
        const char *name = start;
        size_t len = (size_t)(ps->p - start);
        if (len == 2 && strncmp(name, "PI", 2) == 0) {
            return M_PI;
        }
        ps->p = start + len;
        return call(ps, name, len);
    }
    return fail(ps, *ps->p ? "unexpected character" : "unexpected end of the expression");
}

static double unary(parser *ps) {
    if (++ps->depth > MAX_DEPTH) {
        return fail(ps, "expression nested too deeply");
    }
    double v;
    if (accept(ps, "-")) {
        v = -unary(ps);
    } else if (accept(ps, "+")) {
        v = unary(ps);
    } else if (accept(ps, "!")) {
        v = unary(ps) == 0;
    } else {
        v = primary(ps);
    }
    ps->depth--;
    return v;
}

static double product(parser *ps) {
    double v = unary(ps);
    for (;;) {
        if (accept(ps, "*")) {
            v *= unary(ps);
        } else if (accept(ps, "/")) {
            v /= unary(ps);
        } else if (accept(ps, "%")) {
            v = glsl_mod(v, unary(ps));
        } else {
            return v;
        }
    }
}

static double sum(parser *ps) {
    double v = product(ps);
    for (;;) {
        if (accept(ps, "+")) {
            v += product(ps);
        } else if (accept(ps, "-")) {
            v -= product(ps);
        } else {
            return v;
        }
    }
}

static double comparison(parser *ps) {
    double v = sum(ps);
    for (;;) {
        if (accept(ps, "<=")) {
            v = v <= sum(ps);
        } else if (accept(ps, ">=")) {
            v = v >= sum(ps);
        } else if (accept(ps, "==")) {
            v = v == sum(ps);
        } else if (accept(ps, "!=")) {
            v = v != sum(ps);
        } else if (accept(ps, "<")) {
            v = v < sum(ps);
        } else if (accept(ps, ">")) {
            v = v > sum(ps);
        } else {
            return v;
        }
    }
}

static double logic(parser *ps) {
    double v = comparison(ps);
    for (;;) {
        if (accept(ps, "&&")) {
            double r = comparison(ps);
            v = v != 0 && r != 0;
        } else if (accept(ps, "||")) {
            double r = comparison(ps);
            v = v != 0 || r != 0;
        } else {
            return v;
        }
    }
}

static double expr(parser *ps) {
    if (++ps->depth > MAX_DEPTH) {
        return fail(ps, "expression nested too deeply");
    }
    double v = logic(ps);
    if (accept(ps, "?")) {
        double a = expr(ps);
        if (!accept(ps, ":")) {
            return fail(ps, "expected ':' in a ?: expression");
        }
        double b = expr(ps);
        v = v != 0 ? a : b;
    }
    ps->depth--;
    return v;
}

bool vt_isf_expr_eval(const char *text, vt_isf_lookup lookup, void *user, double *out, char *why,
                      size_t why_size) {
    parser ps = {
        .s = text, .p = text, .lookup = lookup, .user = user, .why = why, .why_size = why_size};
    double v = expr(&ps);
    skip_ws(&ps);
    if (!ps.failed && *ps.p) {
        fail(&ps, "unexpected text after the expression");
    }
    if (ps.failed) {
        return false;
    }
    *out = v;
    return true;
}

typedef struct size_vars {
    int w, h;
    vt_isf_lookup lookup;
    void *user;
} size_vars;

static bool size_lookup(void *user, const char *name, size_t len, double *out) {
    const size_vars *sv = user;
    if (len == 5 && strncmp(name, "WIDTH", 5) == 0) {
        *out = sv->w;
        return true;
    }
    if (len == 6 && strncmp(name, "HEIGHT", 6) == 0) {
        *out = sv->h;
        return true;
    }
    return sv->lookup && sv->lookup(sv->user, name, len, out);
}

static int eval_size(const char *e, size_vars *sv, int whole) {
    double v = whole;
    if (e && (!vt_isf_expr_eval(e, size_lookup, sv, &v, NULL, 0) || !isfinite(v))) {
        v = whole;
    }
    v = floor(v);
    return v < 1 ? 1 : v > VT_ISF_MAX_SIZE ? VT_ISF_MAX_SIZE : (int)v;
}

void vt_isf_pass_size(const vt_isf *isf, size_t index, int w, int h, vt_isf_lookup lookup,
                      void *user, int *out_w, int *out_h) {
    size_vars sv = {w, h, lookup, user};
    const vt_isf_pass *p = index < isf->n_passes ? &isf->passes[index] : NULL;
    *out_w = eval_size(p ? p->width_expr : NULL, &sv, w);
    *out_h = eval_size(p ? p->height_expr : NULL, &sv, h);
}
