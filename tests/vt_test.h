/* A minimal test harness: checks that print file:line and both values, skips that say why, and
 * a closing line "N passed, N failed" (", N skipped" after it when something was skipped) that
 * CI reads. Include once per test executable. */
#ifndef VT_TEST_H
#define VT_TEST_H

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int vt_test_passed, vt_test_failed, vt_test_skipped;

/* The exit status that ctest reads as "skipped" (SKIP_RETURN_CODE in tests/tests.cmake). */
#define VT_TEST_SKIP_STATUS 77

/* A part of the test that cannot run here: said, counted, and the program exits 77 (skipped)
 * unless a check failed. */
#define VT_SKIP(...)                                                                   \
    do {                                                                               \
        vt_test_skipped++;                                                             \
        printf("skipped: ");                                                           \
        printf(__VA_ARGS__);                                                           \
        printf("\n");                                                                  \
    } while (0)

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
 * program that ran no check at all (it would pass whatever the code does); 77 when a part was
 * skipped; else 0. */
static inline int vt_test_finish(const char *name) {
    printf("%s: %d passed, %d failed", name, vt_test_passed, vt_test_failed);
    if (vt_test_skipped) {
        printf(", %d skipped", vt_test_skipped);
    }
    printf("\n");
    if (vt_test_failed) {
        return 1;
    }
    if (vt_test_skipped) {
        return VT_TEST_SKIP_STATUS;
    }
    if (vt_test_passed == 0) {
        fprintf(stderr, "%s: no check ran; a test that checks nothing fails\n", name);
        return 1;
    }
    return 0;
}

#endif
