/* The report's fast reading (whole chunks, hand-written number and time parsers, a row's
 * repeated text not read again) against the C library's sscanf and strtod (the test hook
 * report_test_slow_parse) on tricky rows: quoted fields, rows of the version before the seconds
 * column, CRLF, forms only sscanf or strtod read, a torn last line, NUL bytes and long lines,
 * bad rows between good ones that repeat their text; each read a chunk at a time of several
 * sizes, so that line ends fall across reads. Totals, days, the chart and every diagnostic
 * must agree to the bit. */
#include "vt_test.h"

#include "io/vt_io.h"
#include "ledger/report_internal.h"
#include "ledger/vt_ledger.h"
#include "ledger/vt_report.h"

#include <unistd.h>

static char dir[256];

/* Everything the report says, as text with every double to the bit (%a). */
static char *describe(const vt_report *r, const vt_diags *d) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fprintf(f, "rows %llu bad %llu sessions %llu first %lld last %lld\n",
            (unsigned long long)r->rows, (unsigned long long)r->bad_rows,
            (unsigned long long)r->sessions, (long long)r->first_utc, (long long)r->last_utc);
    fprintf(f, "energy %a seconds %a gap %a unmeasured %a per-session %a\n", r->energy_wh,
            r->seconds, r->gap_seconds, r->unmeasured_seconds, r->wh_per_session);
    fprintf(f, "savings %d %a %a %s\n", r->savings.known, r->savings.wh, r->savings.percent,
            r->savings.basis);
    fprintf(f, "method %s | %s | %d %a\n", r->method.sensor, r->method.covers, r->method.measured,
            r->method.measured_fraction);
    for (size_t i = 0; i < r->state_count; i++) {
        fprintf(f, "state %s %a %a\n", r->states[i].name, r->states[i].seconds,
                r->states[i].energy_wh);
    }
    for (size_t i = 0; i < r->day_count; i++) {
        const vt_report_day *day = &r->days[i];
        fprintf(f, "day %d %a %a %u", day->day, day->seconds, day->energy_wh, day->sessions);
        for (size_t s = 0; s < r->state_count; s++) {
            fprintf(f, " %a/%a", day->state_seconds[s], day->state_wh[s]);
        }
        fprintf(f, "\n");
    }
    if (r->chart) {
        fprintf(f, "chart %d %a %a\n", r->chart->day, r->chart->energy_wh, r->chart->seconds_total);
        for (int m = 0; m < VT_REPORT_MINUTES; m++) {
            if (r->chart->seconds[m] > 0 || r->chart->energy_j[m] != 0) {
                fprintf(f, "minute %d %a %a\n", m, (double)r->chart->energy_j[m],
                        (double)r->chart->seconds[m]);
            }
        }
    }
    vt_diags_print(d, f);
    fclose(f);
    return buf;
}

static char *build(const char *const *paths, size_t n, bool slow, size_t chunk) {
    report_test_slow_parse = slow;
    report_test_read_chunk = chunk;
    vt_report_desc desc = {.timezone = "Europe/Paris", .visitors = 10};
    vt_report r;
    vt_diags d = {0};
    vt_status st = vt_report_build(paths, n, &desc, &r, &d);
    char *text = st == VT_OK ? describe(&r, &d) : vt_xstrdup("failed");
    vt_report_free(&r);
    vt_diags_free(&d);
    report_test_slow_parse = false;
    report_test_read_chunk = 0;
    return text;
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    fwrite(text, 1, strlen(text), f);
    fclose(f);
}

static void test_tricky_rows(void) {
    char *a = vt_xasprintf("%s/a.csv", dir), *b = vt_xasprintf("%s/b.csv", dir);
    char long_line[5000]; /* over the 4095 bytes a line may hold */
    memset(long_line, 'x', sizeof long_line - 2);
    long_line[sizeof long_line - 2] = '\n';
    long_line[sizeof long_line - 1] = '\0';
    char *text = vt_xasprintf(
        "%s\n"
        "2026-11-24T10:00:00Z,attract,15,15.0,0.75,10.00,0.0,s,c,measured,1.000\n"
        "2026-11-24T10:00:01Z,attract,15,15.0,0.75,10.00,10.0,s,c,measured,1.000\n"
        /* CRLF, then a quoted sensor holding a comma and a quote */
        "2026-11-24T10:00:02Z,attract,15,15.0,0.75,10.10,20.1,s,c,measured,1.000\r\n"
        "2026-11-24T10:00:03Z,attract,15,15.0,0.75,10.20,30.3,\"s,\"\"x\"\"\",c,measured,1.000\n"
        /* the same tail again, then a tail that only sscanf, strtod read */
        "2026-11-24T10:00:04Z,attract,15,15.0,0.75,10.20,40.5,\"s,\"\"x\"\"\",c,measured,1.000\n"
        "2026-11-24T10:00:05Z,attract,15,15.0,0.75,1.03e1,5.08e1,s,c,measured,1e0\n"
        "2026-11-24T10:00:06Z,attract,+15,15.,.75,10.3000000000000000001,61.1,s,c,measured,"
        "0001.000\n"
        "2026-11-24T10:00:+7Z,attract,15,15.0,0.75,0.1,61.2,s,c,measured,1.000\n"
        /* a row of the version before the seconds column, then its repeat */
        "2026-11-24T10:00:08Z,active,60,59.9,1.00,41.37,102.57,s,c,measured\n"
        "2026-11-24T10:00:09Z,active,60,59.9,1.00,41.39,143.96,s,c,measured\n"
        /* bad rows that repeat a good row's text: each must still be refused */
        "2026-11-24T10:00:10Z,active,60,59.9,1.00,41.39,185.35,s,c,,1.000\n"
        "2026-11-24T10:00:10Z,active,60,59.9,1.00,41.39,185.35,s,c,,1.000\n"
        "2026-11-24T10:00:10Z,active,60,59.9,1.00,,185.35,s,c,,1.000\n"
        "2026-11-24T10:00:11Z,active,60,59.9,1.00,,226.74,s,c,,1.000\n"
        /* ... also when the row before was good with the same text (a power figure needs
         * 'measured' or 'estimated', which a row without one leaves empty) */
        "2026-11-24T10:00:12Z,active,60,59.9,1.00,41.39,268.13,s,c,,1.000\n"
        "2026-11-24T10:00:12Z,,60,59.9,1.00,41.39,268.13,s,c,measured,1.000\n"
        "2026-11-24T10:00:12Z,active,60.5,59.9,1.00,41.39,268.13,s,c,measured,1.000\n"
        "2026-11-24T10:00:12Z,active,60,59.9,1.00,41.39,268.13,s,c\x01,measured,1.000\n"
        "2026-11-24T10:00:12Z,active,60,59.9,1.00,41.39,268.13,s,c,measured,1.000,9\n"
        "2026-11-24T10:00:12Z,active,60,59.9,1.00,41.39,268.13,s,c,measured,0\n"
        "2026-11-24T10:00:12Z,active,60,59.9,1.00,41.39,268.13,s,\"c,measured,1.000\n"
        "2026-11-24T10:00:12Z,active,60,59.9,1.00,41.39,268.13,s,c,measured,1.000\n"
        "2026-11-24T10:00:13Z,active,60,59.9,1.00,41.3912345678901234,309.5,s,c,measured,1.000\n"
        "%s"
        "2026-11-24T10:00:14Z,active,60,59.9,1.00,41.39,350.9,s,c,measured,1.000\n"
        "\r\n"
        "2026-11-24T10:00:15Z,active,60,59.9,1.00,41.39,392.3,s,c,measured,1.000\n"
        "2026-11-24T10:00:16Z,active,60,59.9,1.00,41.39,433.7,s,c,measured,1.000\n"
        "2026-11-24T10:00:17Z,attract,15,15.0,0.75,10.00,443.7,s,c,measured,1.000\n"
        /* the good row's text with more after it: not the same text */
        "2026-11-24T10:00:18Z,attract,15,15.0,0.75,10.00,453.7,s,c,measured,1.000,9\n"
        "2026-11-24T10:00:18Z,attract,15,15.0,0.75,10.00,453.7,s,c,measured,1.0005\n"
        "2026-11-24T10:00:19Z,attract,15,15.0,0.75,10.00,463.7,s,c,meas",
        VT_LEDGER_HEADER, long_line);
    write_file(a, text);
    /* A NUL byte inside a line (fwrite: strlen would stop at it), a V1 file, a clock step. */
    FILE *f = fopen(b, "wb");
    fprintf(f, "%s\r\n", VT_LEDGER_HEADER_V1);
    fprintf(f, "2026-11-24T10:00:20Z,attract,15,15.0,0.75,10.00,0.0,s,c,measured\r\n"
               "2026-11-24T10:00:21Z,attract,15,15.0,0.75,10.00,10.0,s,c,measured\r\n");
    static const char nul[] =
        "2026-11-24T10:00:22Z,attract,15,15.0,0.75,10.00,2\0.0,s,c,measured\n";
    fwrite(nul, 1, sizeof nul - 1, f);
    fprintf(f, "2026-11-24T09:00:00Z,%s,0,0.0,0.00,,,,,,\n", VT_LEDGER_CLOCK_STEP);
    fprintf(f, "2026-11-24T09:00:01Z,attract,15,15.0,0.75,10.00,20.0,s,c,measured\n"
               "2026-11-24T09:00:02Z,attract,15,15.0,0.75,10.00,30.0,s,c,measured\n");
    fclose(f);
    const char *paths[] = {a, b};
    char *slow = build(paths, 2, true, 0);
    /* The file is what it means to be: its bad lines are found where they are. */
    static const char *const bad[] = {
        "a.csv:12:59:", "a.csv:13:59:", "a.csv:16:59:", "a.csv:17:22:", "a.csv:18:29:",
        "a.csv:19:57:", "a.csv:20:",    "a.csv:21:68:", "a.csv:22:",    "a.csv:25:",
        "a.csv:31:",    "a.csv:33:",    "b.csv:4:"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        VT_CHECK(strstr(slow, bad[i]) != NULL);
    }
    VT_CHECK(!strstr(slow, "a.csv:14:") && !strstr(slow, "a.csv:15:"));
    VT_CHECK(strstr(slow, "rows 23 ") != NULL);
    static const size_t chunks[] = {0, 1, 2, 7, 64, 4095, 4096, 4097};
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        char *fast = build(paths, 2, false, chunks[i]);
        VT_CHECK_STR(fast, slow);
        free(fast);
        char *slow_chunked = build(paths, 2, true, chunks[i]);
        VT_CHECK_STR(slow_chunked, slow);
        free(slow_chunked);
    }
    free(slow);
    free(text);
    unlink(a);
    unlink(b);
    free(a);
    free(b);
}

/* Numbers as the ledger writes them (%.1f, %.2f, %.3f) over their whole range, and some longer
 * ones: the fast parser's sums equal strtod's to the bit. */
static void test_numbers(void) {
    char *a = vt_xasprintf("%s/n.csv", dir);
    FILE *f = fopen(a, "wb");
    fprintf(f, "%s\n", VT_LEDGER_HEADER);
    double joules = 0;
    uint32_t x = 12345;
    for (int s = 0; s < 4000; s++) {
        x = x * 1103515245u + 12345u;
        double w = (double)(x >> 8) / (double)(1u << 24) * 400,
               sec = 0.5 + (double)(x % 1000) / 997;
        joules += w * sec;
        int h = s / 3600, m = s / 60 % 60;
        fprintf(f, "2026-11-24T%02d:%02d:%02dZ,%s,60,%.1f,%.2f,%.*f,%.*f,s,c,measured,%.3f\n", h, m,
                s % 60, s % 7 ? "active" : "attract", w / 7, (double)(x % 101) / 100, (int)(x % 9),
                w, (int)(x % 4), joules, sec);
    }
    fclose(f);
    const char *paths[] = {a};
    char *slow = build(paths, 1, true, 0), *fast = build(paths, 1, false, 0);
    VT_CHECK(strstr(slow, "rows 4000 ") != NULL);
    VT_CHECK_STR(fast, slow);
    free(slow);
    free(fast);
    unlink(a);
    free(a);
}

/* Rows of the ledger with random bytes changed into the ones parsing turns on (commas, quotes,
 * digits, signs, points, exponents, CR, spaces, a control character, a newline): whatever the
 * fast path takes, it must say what the old parsers say. A fixed seed: the same rows each run. */
static void test_mutated_rows(void) {
    static const char base[] =
        "2026-11-24T10:00:%02dZ,attract,15,15.0,0.75,10.00,%d.0,file:/run/power,power file "
        "/run/power,measured,1.000\n";
    static const char bytes[] = ",\"0123456789.e-+ \r\x01\nZT:";
    char *a = vt_xasprintf("%s/m.csv", dir);
    uint32_t x = 2463534242u;
    int bad = 0, good = 0;
    for (int round = 0; round < 40; round++) {
        FILE *f = fopen(a, "wb");
        fprintf(f, "%s\n", VT_LEDGER_HEADER);
        for (int s = 0; s < 60; s++) {
            char row[256];
            int n = snprintf(row, sizeof row, base, s, 10 * s);
            x ^= x << 13, x ^= x >> 17, x ^= x << 5;
            if (x % 3 == 0) { /* one row in three changed, at one to three places */
                for (uint32_t k = 0; k <= x / 3 % 3; k++) {
                    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
                    row[x % (uint32_t)(n - 1)] = bytes[x / 7 % (sizeof bytes - 1)];
                }
            }
            fwrite(row, 1, (size_t)n, f);
        }
        fclose(f);
        const char *paths[] = {a};
        char *slow = build(paths, 1, true, 0), *fast = build(paths, 1, false, 0),
             *chunked = build(paths, 1, false, 5);
        VT_CHECK_STR(fast, slow);
        VT_CHECK_STR(chunked, slow);
        for (const char *e = slow; (e = strstr(e, ": error: ")) != NULL; e++) {
            bad++;
        }
        good += strncmp(slow, "rows ", 5) == 0;
        free(slow);
        free(fast);
        free(chunked);
    }
    /* The rounds found bad rows and still counted good ones: the mutations reach both paths. */
    VT_CHECK(bad > 100);
    VT_CHECK_INT(good, 40);
    unlink(a);
    free(a);
}

int main(void) {
    snprintf(dir, sizeof dir, "/tmp/vt-test-report-parse-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    vt_log_set_level(VT_LOG_ERROR);
    test_tricky_rows();
    test_numbers();
    test_mutated_rows();
    rmdir(dir);
    return vt_test_finish("test_report_parse");
}
