/* Core services: ticks, diagnostics ordering and printing, edit distance, "did you mean". */
#include "core/vt_core.h"
#include "vt_test.h"

static void test_ticks(void) {
    static const int rates[] = {24, 25, 30, 48, 50, 60, 90, 100, 120, 144, 240};
    for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++) {
        int fps = rates[i];
        /* Exact: fps frames make exactly one second, and frame k is k seconds later at k*fps. */
        VT_CHECK_INT(vt_ticks_of_frame(fps, fps), VT_TICKS_PER_SEC);
        VT_CHECK_INT(vt_ticks_of_frame(7 * fps + 3, fps),
                     7 * VT_TICKS_PER_SEC + vt_ticks_of_frame(3, fps));
    }
    VT_CHECK_INT(VT_TICKS_PER_SEC % 48000, 0);
    VT_CHECK_INT(VT_TICKS_PER_SEC % 44100, 0);
    VT_CHECK_INT(vt_ticks_from_seconds(1.5), VT_TICKS_PER_SEC * 3 / 2);
    VT_CHECK_INT(vt_ticks_from_seconds(-0.25), -VT_TICKS_PER_SEC / 4);
    VT_CHECK_NEAR(vt_ticks_to_seconds(VT_TICKS_PER_SEC / 8), 0.125, 1e-12);
    /* Hostile values saturate instead of overflowing (found by fuzzing a scene's `from:`). */
    VT_CHECK_INT(vt_ticks_from_seconds(297777777777777.5), INT64_MAX);
    VT_CHECK_INT(vt_ticks_from_seconds(-1e300), -INT64_MAX);
    VT_CHECK_INT(vt_ticks_from_seconds(NAN), 0);
    /* A year of frames at 60 fps does not overflow. */
    int64_t year = 60LL * 3600 * 24 * 365;
    VT_CHECK_INT(vt_ticks_of_frame(year, 60), year / 60 * VT_TICKS_PER_SEC);
}

static void test_diags(void) {
    vt_diags d = {0};
    vt_diags_add(&d, VT_DIAG_ERROR, "b.yaml", 1, 1, "later file");
    vt_diags_add(&d, VT_DIAG_ERROR, "a.yaml", 9, 2, "third");
    vt_diags_add(&d, VT_DIAG_WARNING, "a.yaml", 3, 7, "second %d", 2);
    vt_diags_add(&d, VT_DIAG_ERROR, "a.yaml", 3, 1, "first");
    vt_diags_add(&d, VT_DIAG_ERROR, "a.yaml", 0, 0, "whole file");
    VT_CHECK_INT(d.errors, 4);
    VT_CHECK_INT(d.warnings, 1);
    vt_diags_sort(&d);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    vt_diags_print(&d, f);
    fclose(f);
    VT_CHECK_STR(buf, "a.yaml: error: whole file\n"
                      "a.yaml:3:1: error: first\n"
                      "a.yaml:3:7: warning: second 2\n"
                      "a.yaml:9:2: error: third\n"
                      "b.yaml:1:1: error: later file\n");
    free(buf);
    vt_diags_free(&d);
    VT_CHECK_INT(d.count, 0);
}

static void test_did_you_mean(void) {
    VT_CHECK_INT(vt_edit_distance("opacity", "opacity"), 0);
    VT_CHECK_INT(vt_edit_distance("opactiy", "opacity"), 1); /* adjacent swap */
    VT_CHECK_INT(vt_edit_distance("kitten", "sitting"), 3);
    VT_CHECK_INT(vt_edit_distance("", "abc"), 3);
    static const char *const keys[] = {"position", "opacity", "rotation", "anchor"};
    VT_CHECK_STR(vt_did_you_mean("opactiy", keys, 4), "opacity");
    VT_CHECK_STR(vt_did_you_mean("postion", keys, 4), "position");
    VT_CHECK(vt_did_you_mean("colour", keys, 4) == NULL);
    VT_CHECK(vt_did_you_mean("opacity", keys, 4) == NULL); /* exact: nothing to suggest */
}

int main(void) {
    test_ticks();
    test_diags();
    test_did_you_mean();
    return vt_test_finish("test_core");
}
