/* A minimal test harness: checks that print file:line and both values, and a closing line
 * "N passed, N failed" that CI reads. Include once per test executable. */
#ifndef VT_TEST_H
#define VT_TEST_H

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int vt_test_passed, vt_test_failed;

#define VT_CHECK(cond)                                                      \
    do {                                                                    \
        if (cond) {                                                         \
            vt_test_passed++;                                               \
        } else {                                                            \
            vt_test_failed++;                                               \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                   \
    } while (0)

#define VT_CHECK_INT(a, b)                                                           \
    do {                                                                             \
        long long va_ = (long long)(a), vb_ = (long long)(b);                        \
        if (va_ == vb_) {                                                            \
            vt_test_passed++;                                                        \
        } else {                                                                     \
            vt_test_failed++;                                                        \
            fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n", __FILE__, __LINE__, \
                    #a, #b, va_, vb_);                                               \
        }                                                                            \
    } while (0)

#define VT_CHECK_NEAR(a, b, tol)                                                       \
    do {                                                                               \
        double va_ = (double)(a), vb_ = (double)(b);                                   \
        if (fabs(va_ - vb_) <= (tol)) {                                                \
            vt_test_passed++;                                                          \
        } else {                                                                       \
            vt_test_failed++;                                                          \
            fprintf(stderr, "%s:%d: %s ~= %s failed: %.9g != %.9g (tolerance %g)\n",   \
                    __FILE__, __LINE__, #a, #b, va_, vb_, (double)(tol));              \
        }                                                                              \
    } while (0)

#define VT_CHECK_STR(a, b)                                                             \
    do {                                                                               \
        const char *va_ = (a), *vb_ = (b);                                             \
        if (va_ && vb_ && strcmp(va_, vb_) == 0) {                                     \
            vt_test_passed++;                                                          \
        } else {                                                                       \
            vt_test_failed++;                                                          \
            fprintf(stderr, "%s:%d: %s == %s failed:\n  got:      \"%s\"\n  expected: \"%s\"\n", \
                    __FILE__, __LINE__, #a, #b, va_ ? va_ : "(null)", vb_ ? vb_ : "(null)"); \
        }                                                                              \
    } while (0)

/* Prints the closing line and returns the process exit status: 1 on a failure, and for a
 * program that ran no check at all (it would pass whatever the code does). */
static inline int vt_test_finish(const char *name) {
    printf("%s: %d passed, %d failed\n", name, vt_test_passed, vt_test_failed);
    if (vt_test_passed + vt_test_failed == 0) {
        fprintf(stderr, "%s: no check ran; a test that checks nothing fails\n", name);
        return 1;
    }
    return vt_test_failed ? 1 : 0;
}

#endif
