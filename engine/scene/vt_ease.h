/* Easing: how a value moves from one key to the next. Linear, hold (a step at the end), the
 * Penner family (in/out/in-out x sine quad cubic quart quint expo circ back elastic bounce),
 * CSS cubic-bezier(x1, y1, x2, y2) solved for x like browsers do, and CSS steps(N). */
#ifndef VT_EASE_H
#define VT_EASE_H

#include "core/vt_core.h"

typedef enum vt_ease_kind {
    VT_EASE_LINEAR,
    VT_EASE_HOLD, /* keeps the previous key's value until the key's time */
    VT_EASE_PENNER,
    VT_EASE_BEZIER,
    VT_EASE_STEPS,
} vt_ease_kind;

typedef enum vt_ease_family {
    VT_EASE_SINE,
    VT_EASE_QUAD,
    VT_EASE_CUBIC,
    VT_EASE_QUART,
    VT_EASE_QUINT,
    VT_EASE_EXPO,
    VT_EASE_CIRC,
    VT_EASE_BACK,
    VT_EASE_ELASTIC,
    VT_EASE_BOUNCE,
} vt_ease_family;

typedef enum vt_ease_dir { VT_EASE_IN, VT_EASE_OUT, VT_EASE_IN_OUT } vt_ease_dir;

typedef struct vt_ease {
    vt_ease_kind kind;
    vt_ease_family family; /* Penner */
    vt_ease_dir dir;       /* Penner */
    double bezier[4];      /* x1, y1, x2, y2; x1 and x2 within 0..1 */
    int steps;             /* steps(N), N >= 1: jump at the end of each step, like CSS */
} vt_ease;

/* Parses a named easing: "linear", "hold", "in-sine" ... "in-out-bounce", "steps(4)".
 * Returns false when the name is not one of them. */
bool vt_ease_from_name(const char *name, vt_ease *out);
/* Every valid easing name except steps(N), NULL-terminated: for "did you mean" and messages. */
const char *const *vt_ease_names(void);
/* A CSS cubic-bezier; false when x1 or x2 is outside 0..1 or a value is not finite. */
bool vt_ease_from_bezier(double x1, double y1, double x2, double y2, vt_ease *out);
/* Progress at x in [0, 1] (clamped); 0 at 0 and 1 at 1 (back and elastic overshoot between).
 * Bezier: y at the curve's x = x, accurate to 1e-6 or better (Newton, then bisection). A
 * refused name or curve leaves *out unchanged. */
double vt_ease_eval(const vt_ease *e, double x);

#endif
