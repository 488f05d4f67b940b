/* libFuzzer target for energy ledger files read by `vitrine report`: any bytes must give a
 * report or diagnostics, never a crash, a hang or a leak; the chart is drawn when there is a day.
 * Build: see fuzz/fuzz.cmake. */
#define _GNU_SOURCE /* memfd_create */
#include "ledger/vt_report.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    int fd = memfd_create("ledger", 0);
    if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
        if (fd >= 0) {
            close(fd);
        }
        return 0;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    const char *paths[] = {path, path}; /* twice: every row overlaps */
    vt_diags diags = {0};
    vt_report r;
    vt_report_desc desc = {.timezone = "Europe/Paris", .visitors = 3};
    if (vt_report_build(paths, 2, &desc, &r, &diags) == VT_OK) {
        free(vt_report_json(&r));
        /* The chart too, for one input in 16: opening the font costs milliseconds. */
        static unsigned runs;
        vt_image img;
        if (runs++ % 16 == 0 && vt_report_chart_draw(&r, &img, NULL, 0, NULL) == VT_OK) {
            vt_image_free(&img);
        }
        vt_report_free(&r);
    }
    vt_diags_free(&diags);
    close(fd);
    return 0;
}
