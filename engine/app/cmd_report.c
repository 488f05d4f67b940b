/* `vitrine report LOG.csv...`: the energy ledger's files summed into the museum's figures (text
 * or --json), and with --out a chart as PNG: a day's power, or a period's energy by day. */
#include "app/vt_app.h"
#include "ledger/vt_report.h"

#include <stdlib.h>
#include <string.h>

int vt_cmd_report(const vt_options *opts) {
    vt_report_desc desc = {.timezone = opts->timezone,
                           .carbon_g_per_kwh = opts->carbon > 0 ? opts->carbon : 0,
                           .visitors = opts->visitors > 0 ? opts->visitors : 0,
                           .chart_day = opts->day};
    if (opts->period) { /* options.c accepts only the names vt_report_period_parse knows */
        vt_report_period_parse(opts->period, &desc.period);
    }
    vt_diags diags = {0};
    vt_report r;
    vt_status st = vt_report_build(opts->inputs, opts->input_count, &desc, &r, &diags);
    vt_diags_print(&diags, stderr);
    vt_diags_free(&diags);
    if (st != VT_OK) {
        if (st == VT_E_DATAERR || st == VT_E_NOINPUT) {
            fprintf(stderr, "vitrine: no usable row in the energy logs given\n");
        }
        return st;
    }
    if (opts->json) {
        char *text = vt_report_json(&r);
        fputs(text, stdout);
        free(text);
    } else {
        vt_report_print_text(&r, stdout);
    }
    if (opts->out_dir) {
        vt_error err = {0};
        st = vt_report_chart_write(&r, opts->out_dir, &err);
        if (st != VT_OK) {
            fprintf(stderr, "vitrine: %s\n", err.message);
        } else if (!opts->json) {
            printf("\nChart written to %s\n", opts->out_dir);
        }
    }
    vt_report_free(&r);
    return st;
}
