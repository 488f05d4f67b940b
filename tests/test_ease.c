/* Easing: names, the Penner family against references written here in long double from the
 * textbook shapes, steps, hold, and cubic-bezier against a long double bisection solver. */
#include "scene/vt_ease.h"
#include "vt_test.h"

#include <float.h>

#define PI_L 3.141592653589793238462643383279502884L

static const char *const families[] = {"sine", "quad", "cubic", "quart",   "quint",
                                       "expo", "circ", "back",  "elastic", "bounce"};
enum { FAMILY_COUNT = sizeof families / sizeof families[0] };
static const char *const prefixes[] = {"in-", "out-", "in-out-"};

/* ---- reference Penner curves ----
 * Written as one "in" curve per family; out and in-out follow by symmetry
 * (out(x) = 1 - in(1 - x), in-out = in(2x) / 2 then mirrored), which is how Penner derived
 * them. The library writes each of the 30 equations out as easings.net does, so the two agree
 * only if both are right. Back and elastic use other constants for in-out (c2; period 4.5). */

static long double ref_bounce_out(long double t) {
    /* Four parabolas of curvature n1 = 7.5625, each ending where the next one starts. */
    static const long double d1 = 2.75L;
    static const long double piece[4][3] = {/* end, centre, top */
                                            {1.0L, 0.0L, 0.0L},
                                            {2.0L, 1.5L, 0.75L},
                                            {2.5L, 2.25L, 0.9375L},
                                            {99.0L, 2.625L, 0.984375L}};
    for (int i = 0;; i++) {
        if (t < piece[i][0] / d1) {
            long double u = t - piece[i][1] / d1;
            return 7.5625L * u * u + piece[i][2];
        }
    }
}

static long double ref_in(int family, long double t, int in_out) {
    switch (family) {
    case 0:
        return 1 - cosl(t * PI_L / 2);
    case 1:
    case 2:
    case 3:
    case 4:
        return powl(t, family + 1);
    case 5:
        return t == 0 ? 0 : powl(2, 10 * (t - 1));
    case 6:
        return 1 - sqrtl(1 - t * t);
    case 7: {
        long double c = in_out ? 1.70158L * 1.525L : 1.70158L;
        return t * t * ((c + 1) * t - c);
    }
    case 8: {
        /* Decaying sine with period `period` in units of 10 t, a quarter period past 0 at t = 1. */
        long double period = in_out ? 4.5L : 3.0L, u = 10 * (t - 1);
        return -powl(2, u) * sinl((u - period / 4) * 2 * PI_L / period);
    }
    default:
        return 1 - ref_bounce_out(1 - t);
    }
}

static long double ref_penner(int family, int dir, long double x) {
    if (dir == 0) {
        return ref_in(family, x, 0);
    }
    if (dir == 1) {
        return 1 - ref_in(family, 1 - x, 0);
    }
    return x < 0.5L ? ref_in(family, 2 * x, 1) / 2 : 1 - ref_in(family, 2 - 2 * x, 1) / 2;
}

/* ---- names ---- */

static void test_names(void) {
    const char *const *names = vt_ease_names();
    int count = 0;
    while (names[count]) {
        count++;
    }
    VT_CHECK_INT(count, 32);
    VT_CHECK(names[32] == NULL);
    vt_ease e;
    for (int i = 0; i < count; i++) {
        VT_CHECK(vt_ease_from_name(names[i], &e));
    }
    /* Every expected name is in the list exactly once and parses to its family and direction. */
    char name[64];
    for (int f = 0; f < FAMILY_COUNT; f++) {
        for (int d = 0; d < 3; d++) {
            snprintf(name, sizeof name, "%s%s", prefixes[d], families[f]);
            int seen = 0;
            for (int i = 0; i < count; i++) {
                seen += strcmp(names[i], name) == 0;
            }
            VT_CHECK_INT(seen, 1);
            memset(&e, 0xff, sizeof e);
            VT_CHECK(vt_ease_from_name(name, &e));
            VT_CHECK_INT(e.kind, VT_EASE_PENNER);
            VT_CHECK_INT(e.family, VT_EASE_SINE + f);
            VT_CHECK_INT(e.dir, VT_EASE_IN + d);
        }
    }
    VT_CHECK(vt_ease_from_name("linear", &e) && e.kind == VT_EASE_LINEAR);
    VT_CHECK(vt_ease_from_name("hold", &e) && e.kind == VT_EASE_HOLD);
    VT_CHECK_STR(names[0], "linear");
    VT_CHECK_STR(names[1], "hold");
}

static void test_unknown_names(void) {
    static const char *const bad[] = {
        "in-out-sin",
        "easeInOut",
        "",
        "in-",
        "in-out-",
        "out-",
        "In-sine",
        "in-sine ",
        " linear",
        "in_sine",
        "inout-sine",
        "in-out",
        "linear2",
        "sine",
        "steps",
        "steps(0)",
        "steps()",
        "steps(x)",
        "steps(4",
        "steps(4)x",
        "steps( 4 )",
        "steps(-4)",
        "steps(+4)",
        "steps(4.0)",
        "steps(10001)",
        "steps(99999999999999999999)",
        "STEPS(4)",
        "steps (4)",
    };
    vt_ease e = {.kind = VT_EASE_HOLD};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (vt_ease_from_name(bad[i], &e)) {
            VT_CHECK_STR("accepted", bad[i]);
        } else {
            VT_CHECK(1);
        }
    }
    VT_CHECK(!vt_ease_from_name(NULL, &e));
    VT_CHECK_INT(e.kind, VT_EASE_HOLD); /* a refused name leaves the output alone */
}

/* ---- values ---- */

static void test_endpoints(void) {
    const char *const *names = vt_ease_names();
    static const char *const extra[] = {"steps(1)", "steps(4)", "steps(10000)"};
    for (size_t i = 0; i < 32 + sizeof extra / sizeof extra[0]; i++) {
        const char *name = i < 32 ? names[i] : extra[i - 32];
        vt_ease e;
        VT_CHECK(vt_ease_from_name(name, &e));
        /* Exact: a key must land on its value, not a rounding residue away from it. */
        if (vt_ease_eval(&e, 0) != 0 || vt_ease_eval(&e, 1) != 1) {
            VT_CHECK_STR("not exactly 0 at 0 and 1 at 1", name);
        }
        /* Progress outside 0..1 is clamped; NaN takes the start. */
        VT_CHECK(vt_ease_eval(&e, -0.5) == 0 && vt_ease_eval(&e, 1.5) == 1);
        VT_CHECK(vt_ease_eval(&e, -INFINITY) == 0 && vt_ease_eval(&e, INFINITY) == 1);
        VT_CHECK(vt_ease_eval(&e, NAN) == 0);
    }
}

static void test_penner_values(void) {
    /* The three points the contract names, plus points in each piece of bounce
     * (breaks at 1/2.75, 2/2.75, 2.5/2.75) and either side of the in-out joint. */
    static const double xs[] = {0.25, 0.5, 0.75, 0.05, 0.3, 0.4, 0.49, 0.51, 0.6, 0.8, 0.95};
    char name[64];
    for (int f = 0; f < FAMILY_COUNT; f++) {
        for (int d = 0; d < 3; d++) {
            snprintf(name, sizeof name, "%s%s", prefixes[d], families[f]);
            vt_ease e;
            VT_CHECK(vt_ease_from_name(name, &e));
            for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
                double got = vt_ease_eval(&e, xs[i]);
                double want = (double)ref_penner(f, d, xs[i]);
                if (fabs(got - want) > 1e-12) {
                    fprintf(stderr, "%s at %g:\n", name, xs[i]);
                }
                VT_CHECK_NEAR(got, want, 1e-12);
            }
        }
    }
    /* A few published values, to catch a reference and library that agree on a wrong shape. */
    vt_ease e;
    VT_CHECK(vt_ease_from_name("in-back", &e));
    VT_CHECK_NEAR(vt_ease_eval(&e, 0.5), 2.70158 / 8 - 1.70158 / 4, 1e-15);
    VT_CHECK(vt_ease_from_name("out-bounce", &e));
    VT_CHECK_NEAR(vt_ease_eval(&e, 0.5), 7.5625 * (0.5 - 1.5 / 2.75) * (0.5 - 1.5 / 2.75) + 0.75,
                  1e-15);
    VT_CHECK(vt_ease_from_name("in-out-cubic", &e));
    VT_CHECK_NEAR(vt_ease_eval(&e, 0.25), 4 * 0.25 * 0.25 * 0.25, 1e-15);
    VT_CHECK(vt_ease_from_name("out-expo", &e));
    VT_CHECK_NEAR(vt_ease_eval(&e, 0.5), 1 - 1.0 / 32, 1e-15);
}

/* Non-decreasing on a fine grid, and inside 0..1, for every easing that never overshoots. */
static void check_monotonic(const char *name) {
    vt_ease e;
    VT_CHECK(vt_ease_from_name(name, &e));
    double prev = 0;
    int bad = 0;
    for (int i = 0; i <= 10000; i++) {
        double v = vt_ease_eval(&e, i / 10000.0);
        bad += v < prev || v < 0 || v > 1;
        prev = v;
    }
    if (bad) {
        VT_CHECK_STR("not monotonic", name);
    } else {
        VT_CHECK(1);
    }
}

static void test_monotonic(void) {
    char name[64];
    /* sine .. circ are monotonic; back, elastic and bounce overshoot or bounce by design. */
    for (int f = 0; f <= 6; f++) {
        for (int d = 0; d < 3; d++) {
            snprintf(name, sizeof name, "%s%s", prefixes[d], families[f]);
            check_monotonic(name);
        }
    }
    check_monotonic("linear");
    check_monotonic("hold");
    check_monotonic("steps(7)");
    check_monotonic("steps(10000)");
}

static void test_linear_hold_steps(void) {
    vt_ease e;
    VT_CHECK(vt_ease_from_name("linear", &e));
    VT_CHECK(vt_ease_eval(&e, 0.3) == 0.3);
    VT_CHECK(vt_ease_from_name("hold", &e));
    VT_CHECK(vt_ease_eval(&e, 0.5) == 0);
    VT_CHECK(vt_ease_eval(&e, 1 - DBL_EPSILON) == 0);
    VT_CHECK(vt_ease_eval(&e, 1) == 1);
    VT_CHECK(vt_ease_from_name("steps(4)", &e));
    VT_CHECK_INT(e.kind, VT_EASE_STEPS);
    VT_CHECK_INT(e.steps, 4);
    static const double at[][2] = {{0, 0},      {0.24, 0},    {0.25, 0.25}, {0.5, 0.5},
                                   {0.74, 0.5}, {0.99, 0.75}, {1, 1}};
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        VT_CHECK_NEAR(vt_ease_eval(&e, at[i][0]), at[i][1], 0);
    }
    VT_CHECK(vt_ease_from_name("steps(1)", &e));
    VT_CHECK(vt_ease_eval(&e, 0.999) == 0);
    VT_CHECK(vt_ease_from_name("steps(10000)", &e) && e.steps == 10000);
    VT_CHECK(vt_ease_from_name("steps(007)", &e) && e.steps == 7);
}

/* ---- cubic-bezier ---- */

static long double ref_bernstein(long double p1, long double p2, long double s) {
    long double r = 1 - s;
    return 3 * r * r * s * p1 + 3 * r * s * s * p2 + s * s * s;
}

/* y at x by bisection on the curve parameter until the bracket stops shrinking: far past
 * 1e-15 in x, in long double. Where x(s) is flat to third order (x = 1 on x2 = 1 curves,
 * x = 0.5 on [1, 0, 0, 1]) long double rounding still leaves up to ~5e-7 in y, so the exact
 * ends are given, and the tolerance of 1e-6 keeps room for the middle case. */
static double ref_bezier(const double p[4], double x) {
    if (x <= 0 || x >= 1) {
        return x <= 0 ? 0 : 1;
    }
    long double lo = 0, hi = 1;
    for (int i = 0; i < 200; i++) {
        long double mid = (lo + hi) / 2;
        if (mid <= lo || mid >= hi) {
            break;
        }
        if (ref_bernstein(p[0], p[2], mid) < x) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return (double)ref_bernstein(p[1], p[3], (lo + hi) / 2);
}

static const double curves[][4] = {
    {0.25, 0.1, 0.25, 1},      /* CSS ease */
    {0.42, 0, 1, 1},           /* ease-in */
    {0, 0, 0.58, 1},           /* ease-out */
    {0.42, 0, 0.58, 1},        /* ease-in-out */
    {0, 0, 1, 1},              /* steep at both ends in s, yet y = x */
    {0, 1, 1, 0},              /* vertical tangents at both ends */
    {0.68, -0.55, 0.27, 1.55}, /* overshoots both ways */
    {1, 0, 0, 1},              /* x stands still at s = 0.5: a vertical inflection */
    {0, 1, 0, 1},              /* x ~ s^3 at the start: flatter than any Newton start */
    {1, 0, 1, 0.5},            /* x ~ 1 - (1 - s)^3 at the end */
    {0.1, -3, 0.9, 4},         /* large overshoot */
    {0.5, 0.5, 0.5, 0.5},      /* a straight line */
};
enum { CURVE_COUNT = sizeof curves / sizeof curves[0] };

static void test_bezier_grid(void) {
    for (int c = 0; c < CURVE_COUNT; c++) {
        const double *p = curves[c];
        vt_ease e;
        VT_CHECK(vt_ease_from_bezier(p[0], p[1], p[2], p[3], &e));
        VT_CHECK_INT(e.kind, VT_EASE_BEZIER);
        double worst = 0;
        for (int i = 0; i <= 1000; i++) {
            double x = i / 1000.0;
            worst = fmax(worst, fabs(vt_ease_eval(&e, x) - ref_bezier(p, x)));
        }
        if (worst > 1e-6) {
            fprintf(stderr, "cubic-bezier(%g, %g, %g, %g):\n", p[0], p[1], p[2], p[3]);
        }
        VT_CHECK_NEAR(worst, 0, 1e-6);
    }
}

/* Near the ends, where the steep curves' y changes fastest per unit of x. */
static void test_bezier_ends(void) {
    for (int c = 0; c < CURVE_COUNT; c++) {
        const double *p = curves[c];
        vt_ease e;
        VT_CHECK(vt_ease_from_bezier(p[0], p[1], p[2], p[3], &e));
        double worst = 0;
        /* Down to the last double below 1, where x2 = 1 curves are flattest in x. */
        for (int k = 1; k <= 53; k++) {
            double h = ldexp(1, -k);
            worst = fmax(worst, fabs(vt_ease_eval(&e, h) - ref_bezier(p, h)));
            worst = fmax(worst, fabs(vt_ease_eval(&e, 1 - h) - ref_bezier(p, 1 - h)));
        }
        if (worst > 1e-6) {
            fprintf(stderr, "cubic-bezier(%g, %g, %g, %g) near the ends:\n", p[0], p[1], p[2],
                    p[3]);
        }
        VT_CHECK_NEAR(worst, 0, 1e-6);
    }
}

/* [1, 0, 0, 1] stands still in x at s = 0.5: with d = s - 0.5, x = 0.5 + 4 d^3 and
 * y = 0.5 + 1.5 d - 2 d^3, so y moves like the cube root of x - 0.5 and rounding noise in x(s)
 * would show up in y. The closed form is exact where the bisection reference is not. */
static void test_bezier_inflection(void) {
    vt_ease e;
    VT_CHECK(vt_ease_from_bezier(1, 0, 0, 1, &e));
    double worst = 0;
    for (int k = -300; k <= 300; k++) {
        double x = 0.5 + (abs(k) < 100 ? k * 0x1p-53 : k * 1e-9);
        long double d = cbrtl(((long double)x - 0.5L) / 4);
        worst = fmax(worst, fabs(vt_ease_eval(&e, x) - (double)(0.5L + 1.5L * d - 2 * d * d * d)));
    }
    VT_CHECK_NEAR(worst, 0, 1e-9);
}

static void test_bezier_edges(void) {
    vt_ease e;
    VT_CHECK(vt_ease_from_bezier(0, 0, 1, 1, &e));
    double worst = 0;
    for (int i = 0; i <= 1000; i++) {
        worst = fmax(worst, fabs(vt_ease_eval(&e, i / 1000.0) - i / 1000.0));
    }
    VT_CHECK_NEAR(worst, 0, 1e-7);
    VT_CHECK(vt_ease_eval(&e, -3) == 0 && vt_ease_eval(&e, 3) == 1);
    /* Overshooting y is allowed; x outside 0..1 and anything not finite is refused. */
    VT_CHECK(vt_ease_from_bezier(0.5, -10, 0.5, 10, &e));
    e.kind = VT_EASE_HOLD;
    static const double refused[][4] = {
        {-0.01, 0, 1, 1},    {0, 0, 1.01, 1},      {1.5, 0, 0.5, 1}, {0.5, 0, -1, 1},
        {NAN, 0, 1, 1},      {0, NAN, 1, 1},       {0, 0, NAN, 1},   {0, 0, 1, NAN},
        {0, INFINITY, 1, 1}, {0, 0, 1, -INFINITY},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        const double *p = refused[i];
        VT_CHECK(!vt_ease_from_bezier(p[0], p[1], p[2], p[3], &e));
    }
    VT_CHECK_INT(e.kind, VT_EASE_HOLD);
}

int main(void) {
    test_names();
    test_unknown_names();
    test_endpoints();
    test_penner_values();
    test_monotonic();
    test_linear_hold_steps();
    test_bezier_grid();
    test_bezier_ends();
    test_bezier_inflection();
    test_bezier_edges();
    return vt_test_finish("test_ease");
}
