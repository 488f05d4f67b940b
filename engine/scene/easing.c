/* Easing curves (vt_ease.h): name parsing, the Penner equations as published on easings.net,
 * CSS steps(N), and a cubic-bezier solver that stays accurate where the curve is steep. */
#include "scene/vt_ease.h"

#include <math.h>
#include <string.h>

#define VT_EASE_PI 3.14159265358979323846
#define VT_EASE_STEPS_MAX 10000
/* The bezier solver stops once the curve parameter is known to this width: y moves at most
 * |y'| times it, far below the 1e-6 the header promises even for overshooting curves. */
#define VT_EASE_PARAM_EPS 1e-12
#define VT_EASE_NEWTON_ITERATIONS 8

/* Ordered so that entry 2 + 3 * family + dir is that Penner easing: parsing is a table lookup.
 * One family per row, kept by hand so the order is easy to check. */
/* clang-format off */
static const char *const vt_ease_name_list[] = {
    "linear",         "hold",
    "in-sine",        "out-sine",        "in-out-sine",
    "in-quad",        "out-quad",        "in-out-quad",
    "in-cubic",       "out-cubic",       "in-out-cubic",
    "in-quart",       "out-quart",       "in-out-quart",
    "in-quint",       "out-quint",       "in-out-quint",
    "in-expo",        "out-expo",        "in-out-expo",
    "in-circ",        "out-circ",        "in-out-circ",
    "in-back",        "out-back",        "in-out-back",
    "in-elastic",     "out-elastic",     "in-out-elastic",
    "in-bounce",      "out-bounce",      "in-out-bounce",
    NULL,
};
/* clang-format on */
_Static_assert(sizeof vt_ease_name_list / sizeof vt_ease_name_list[0] == 2 + 3 * 10 + 1,
               "two plain names, then in/out/in-out for each of the ten Penner families");
_Static_assert(VT_EASE_BOUNCE == 9 && VT_EASE_IN_OUT == 2, "name table order follows the enums");

const char *const *vt_ease_names(void) {
    return vt_ease_name_list;
}

/* "steps(" digits ")" and nothing else: no sign, no spaces, so a name has one spelling. */
static bool vt_ease_parse_steps(const char *name, int *steps) {
    static const char prefix[] = "steps(";
    if (strncmp(name, prefix, sizeof prefix - 1) != 0) {
        return false;
    }
    const char *p = name + sizeof prefix - 1;
    long n = 0;
    int digits = 0;
    for (; *p >= '0' && *p <= '9'; p++, digits++) {
        /* Saturate instead of overflowing: anything past the limit is refused anyway. */
        if (n <= VT_EASE_STEPS_MAX) {
            n = n * 10 + (*p - '0');
        }
    }
    if (digits == 0 || p[0] != ')' || p[1] != '\0' || n < 1 || n > VT_EASE_STEPS_MAX) {
        return false;
    }
    *steps = (int)n;
    return true;
}

bool vt_ease_from_name(const char *name, vt_ease *out) {
    if (!name || !out) {
        return false;
    }
    vt_ease e = {.kind = VT_EASE_LINEAR};
    if (vt_ease_parse_steps(name, &e.steps)) {
        e.kind = VT_EASE_STEPS;
        *out = e;
        return true;
    }
    for (int i = 0; vt_ease_name_list[i]; i++) {
        if (strcmp(name, vt_ease_name_list[i]) != 0) {
            continue;
        }
        if (i == 0 || i == 1) {
            e.kind = i == 0 ? VT_EASE_LINEAR : VT_EASE_HOLD;
        } else {
            e.kind = VT_EASE_PENNER;
            e.family = (vt_ease_family)((i - 2) / 3);
            e.dir = (vt_ease_dir)((i - 2) % 3);
        }
        *out = e;
        return true;
    }
    return false;
}

bool vt_ease_from_bezier(double x1, double y1, double x2, double y2, vt_ease *out) {
    if (!out || !isfinite(x1) || !isfinite(y1) || !isfinite(x2) || !isfinite(y2)) {
        return false;
    }
    /* Outside 0..1 the curve's x could go back on itself and y would not be a function of x. */
    if (x1 < 0 || x1 > 1 || x2 < 0 || x2 > 1) {
        return false;
    }
    *out = (vt_ease){.kind = VT_EASE_BEZIER, .bezier = {x1, y1, x2, y2}};
    return true;
}

/* ---- Penner equations (easings.net), one function per family ---- */

static double vt_ease_power(int p, vt_ease_dir dir, double x) {
    double in = 1, out = 1, half = 1;
    for (int i = 0; i < p; i++) {
        in *= x;
        out *= 1 - x;
        half *= -2 * x + 2;
    }
    switch (dir) {
    case VT_EASE_IN:
        return in;
    case VT_EASE_OUT:
        return 1 - out;
    default:
        return x < 0.5 ? ldexp(in, p - 1) : 1 - half / 2;
    }
}

static double vt_ease_sine(vt_ease_dir dir, double x) {
    switch (dir) {
    case VT_EASE_IN:
        return 1 - cos(x * VT_EASE_PI / 2);
    case VT_EASE_OUT:
        return sin(x * VT_EASE_PI / 2);
    default:
        return -(cos(VT_EASE_PI * x) - 1) / 2;
    }
}

/* Exact 0 at 0 and 1 at 1 are handled by the caller: 2^-10 is not 0. */
static double vt_ease_expo(vt_ease_dir dir, double x) {
    switch (dir) {
    case VT_EASE_IN:
        return pow(2, 10 * x - 10);
    case VT_EASE_OUT:
        return 1 - pow(2, -10 * x);
    default:
        return x < 0.5 ? pow(2, 20 * x - 10) / 2 : (2 - pow(2, -20 * x + 10)) / 2;
    }
}

static double vt_ease_circ(vt_ease_dir dir, double x) {
    switch (dir) {
    case VT_EASE_IN:
        return 1 - sqrt(1 - x * x);
    case VT_EASE_OUT:
        return sqrt(1 - (x - 1) * (x - 1));
    default:
        return x < 0.5 ? (1 - sqrt(1 - (2 * x) * (2 * x))) / 2
                       : (sqrt(1 - (-2 * x + 2) * (-2 * x + 2)) + 1) / 2;
    }
}

static double vt_ease_back(vt_ease_dir dir, double x) {
    const double c1 = 1.70158, c2 = c1 * 1.525, c3 = c1 + 1;
    switch (dir) {
    case VT_EASE_IN:
        return c3 * x * x * x - c1 * x * x;
    case VT_EASE_OUT:
        return 1 + c3 * (x - 1) * (x - 1) * (x - 1) + c1 * (x - 1) * (x - 1);
    default:
        if (x < 0.5) {
            return (2 * x) * (2 * x) * ((c2 + 1) * 2 * x - c2) / 2;
        }
        return ((2 * x - 2) * (2 * x - 2) * ((c2 + 1) * (x * 2 - 2) + c2) + 2) / 2;
    }
}

static double vt_ease_elastic(vt_ease_dir dir, double x) {
    const double c4 = 2 * VT_EASE_PI / 3, c5 = 2 * VT_EASE_PI / 4.5;
    switch (dir) {
    case VT_EASE_IN:
        return -pow(2, 10 * x - 10) * sin((x * 10 - 10.75) * c4);
    case VT_EASE_OUT:
        return pow(2, -10 * x) * sin((x * 10 - 0.75) * c4) + 1;
    default:
        if (x < 0.5) {
            return -(pow(2, 20 * x - 10) * sin((20 * x - 11.125) * c5)) / 2;
        }
        return pow(2, -20 * x + 10) * sin((20 * x - 11.125) * c5) / 2 + 1;
    }
}

static double vt_ease_bounce_out(double x) {
    const double n1 = 7.5625, d1 = 2.75;
    if (x < 1 / d1) {
        return n1 * x * x;
    }
    if (x < 2 / d1) {
        x -= 1.5 / d1;
        return n1 * x * x + 0.75;
    }
    if (x < 2.5 / d1) {
        x -= 2.25 / d1;
        return n1 * x * x + 0.9375;
    }
    x -= 2.625 / d1;
    return n1 * x * x + 0.984375;
}

static double vt_ease_bounce(vt_ease_dir dir, double x) {
    switch (dir) {
    case VT_EASE_IN:
        return 1 - vt_ease_bounce_out(1 - x);
    case VT_EASE_OUT:
        return vt_ease_bounce_out(x);
    default:
        return x < 0.5 ? (1 - vt_ease_bounce_out(1 - 2 * x)) / 2
                       : (1 + vt_ease_bounce_out(2 * x - 1)) / 2;
    }
}

static double vt_ease_penner(vt_ease_family family, vt_ease_dir dir, double x) {
    switch (family) {
    case VT_EASE_SINE:
        return vt_ease_sine(dir, x);
    case VT_EASE_QUAD:
    case VT_EASE_CUBIC:
    case VT_EASE_QUART:
    case VT_EASE_QUINT:
        return vt_ease_power(2 + (int)(family - VT_EASE_QUAD), dir, x);
    case VT_EASE_EXPO:
        return vt_ease_expo(dir, x);
    case VT_EASE_CIRC:
        return vt_ease_circ(dir, x);
    case VT_EASE_BACK:
        return vt_ease_back(dir, x);
    case VT_EASE_ELASTIC:
        return vt_ease_elastic(dir, x);
    case VT_EASE_BOUNCE:
        return vt_ease_bounce(dir, x);
    }
    return x;
}

/* ---- cubic-bezier ---- */

/* One coordinate of a bezier from (0,0) to (1,1) in power form, a s^3 + b s^2 + c s, with
 * control values p1 and p2 (WebKit's UnitBezier coefficients). */
typedef struct vt_ease_cubic {
    double a, b, c;
} vt_ease_cubic;

static vt_ease_cubic vt_ease_cubic_of(double p1, double p2) {
    vt_ease_cubic k = {.c = 3 * p1};
    k.b = 3 * (p2 - p1) - k.c;
    k.a = 1 - k.c - k.b;
    return k;
}

static double vt_ease_cubic_at(vt_ease_cubic k, double s) {
    return ((k.a * s + k.b) * s + k.c) * s;
}

static double vt_ease_cubic_slope(vt_ease_cubic k, double s) {
    return (3 * k.a * s + 2 * k.b) * s + k.c;
}

/* The curve's x in three forms, each exact in relative terms near its own anchor, so that the
 * root of x(s) - x is found to full precision where x(s) is flat in s and a steep y would
 * magnify any error (by 1e-5 with the plain power form): the power form at s = 0 (x1 = 0), the
 * mirrored curve 1 - x(1 - u) at s = 1 (x2 = 1), and a Taylor form at s = 0.5, where
 * x1 = 1 with x2 = 0 makes x stand still. The Taylor terms come straight from x1 and x2 so
 * that they cancel exactly in that case. */
typedef struct vt_ease_bezier_x {
    vt_ease_cubic start, end, mid;
    double mid_value;
} vt_ease_bezier_x;

static vt_ease_bezier_x vt_ease_bezier_x_of(double x1, double x2) {
    vt_ease_bezier_x k = {
        .start = vt_ease_cubic_of(x1, x2),
        .end = vt_ease_cubic_of(1 - x2, 1 - x1),
        .mid = {.a = 1 + 3 * (x1 - x2), .b = 1.5 * (1 - x1 - x2), .c = 0.75 * (1 + x2 - x1)},
        .mid_value = (3 * (x1 + x2) + 1) / 8,
    };
    return k;
}

/* x(s) - x, the function whose root is wanted. */
static double vt_ease_bezier_offset(const vt_ease_bezier_x *k, double s, double x) {
    if (s < 0.25) {
        return vt_ease_cubic_at(k->start, s) - x;
    }
    if (s > 0.75) {
        return (1 - x) - vt_ease_cubic_at(k->end, 1 - s);
    }
    return (k->mid_value - x) + vt_ease_cubic_at(k->mid, s - 0.5);
}

/* The curve parameter s with x(s) = x. Newton's method converges in a few steps on ordinary
 * curves; where the slope vanishes (x1 = 0, x2 = 1, or x1 = 1 with x2 = 0) it can stall or
 * leave the bracket, so it hands over to bisection inside the bracket it has narrowed. x(s)
 * never decreases because x1 and x2 lie in 0..1, which is what makes bracketing valid. */
static double vt_ease_bezier_solve(const double p[4], double x) {
    vt_ease_bezier_x k = vt_ease_bezier_x_of(p[0], p[2]);
    double lo = 0, hi = 1, s = x;
    for (int i = 0; i < VT_EASE_NEWTON_ITERATIONS; i++) {
        double f = vt_ease_bezier_offset(&k, s, x);
        if (f == 0) {
            return s;
        }
        if (f < 0) {
            lo = s;
        } else {
            hi = s;
        }
        /* Near a flat point a Newton step divides by almost nothing and says little. */
        double slope = vt_ease_cubic_slope(k.start, s);
        if (!(slope > 1e-6)) {
            break;
        }
        double next = s - f / slope;
        if (!(next > lo && next < hi)) {
            break;
        }
        if (fabs(next - s) < VT_EASE_PARAM_EPS) {
            return next;
        }
        s = next;
    }
    while (hi - lo > VT_EASE_PARAM_EPS) {
        double mid = lo + (hi - lo) / 2;
        double f = vt_ease_bezier_offset(&k, mid, x);
        if (f == 0) {
            return mid;
        }
        if (f < 0) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return lo + (hi - lo) / 2;
}

static double vt_ease_bezier_eval(const double p[4], double x) {
    double s = vt_ease_bezier_solve(p, x);
    return vt_ease_cubic_at(vt_ease_cubic_of(p[1], p[3]), s);
}

double vt_ease_eval(const vt_ease *e, double x) {
    /* Every easing is exactly 0 at 0 and 1 at 1: keys land on their values without rounding
     * residue (1 - cos(pi/2) is not 1), and expo and elastic reach their ends by definition.
     * A NaN progress takes the start value rather than spreading through the scene. */
    if (!(x > 0)) {
        return 0;
    }
    if (x >= 1) {
        return 1;
    }
    switch (e->kind) {
    case VT_EASE_LINEAR:
        return x;
    case VT_EASE_HOLD:
        return 0;
    case VT_EASE_PENNER:
        return vt_ease_penner(e->family, e->dir, x);
    case VT_EASE_BEZIER:
        return vt_ease_bezier_eval(e->bezier, x);
    case VT_EASE_STEPS: {
        /* A hand-built vt_ease with no steps means one step rather than a division by zero. */
        int n = e->steps >= 1 ? e->steps : 1;
        return floor(x * n) / n;
    }
    }
    return x;
}
