/* Entry point: argv -> options -> play | render | check | sensors | report | merge |
 * sync-status. */
#include "app/vt_app.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

int main(int argc, char **argv) {
    vt_options opts;
    int64_t start_ns = vt_now_ns();
#ifdef __GLIBC__
    /* Months of hot reloads decode and free megabytes of images: a fixed mmap threshold keeps
     * glibc from moving such blocks onto the heap (its default raises the threshold after each
     * large free), where fragmentation made the process grow a little at every reload. */
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#endif
    vt_status st = vt_options_parse(argc, argv, &opts);
    opts.start_ns = start_ns;
    if (st != VT_OK) {
        vt_options_free(&opts);
        return st;
    }
    int rc = 0;
    if (opts.help) {
        vt_options_print_help(stdout);
    } else if (opts.version) {
        printf("vitrine %s\n", VT_VERSION);
    } else {
        vt_log_set_level(opts.quiet ? VT_LOG_ERROR : opts.verbose ? VT_LOG_DEBUG : VT_LOG_INFO);
        switch (opts.command) {
        case VT_CMD_CHECK:
            rc = vt_cmd_check(&opts);
            break;
        case VT_CMD_RENDER:
            rc = vt_cmd_render(&opts);
            break;
        case VT_CMD_PLAY:
            rc = vt_cmd_play(&opts);
            break;
        case VT_CMD_SENSORS:
            rc = vt_cmd_sensors(&opts);
            break;
        case VT_CMD_REPORT:
            rc = vt_cmd_report(&opts);
            break;
        case VT_CMD_MERGE:
            rc = vt_cmd_merge(&opts);
            break;
        case VT_CMD_SYNC_STATUS:
            rc = vt_cmd_sync_status(&opts);
            break;
        case VT_CMD_NONE:
            rc = VT_E_SOFTWARE;
            break;
        }
    }
    vt_options_free(&opts);
    return rc;
}
