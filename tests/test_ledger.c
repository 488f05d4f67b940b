/* The energy ledger: row format, appending, rotation at UTC midnight on the rows' own clock,
 * the size bound deleting the oldest days, a torn last row left by a crash, a file that is not a
 * ledger, and writes that fail (a file size limit cutting a row short, a full disk). */
#define _GNU_SOURCE /* unshare(2) */
#include "vt_test.h"

#include "app/energy_log_internal.h"
#include "governor/vt_sensor.h"
#include "hours/vt_hours.h"
#include "ledger/vt_ledger.h"
#include "ledger/vt_report.h"
#include "io/vt_io.h"
#include "text/vt_text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define T_2026_11_24 ((int64_t)vt_schedule_days(2026, 11, 24) * 86400)

static char dir[256];

static char *path_in(const char *name) {
    return vt_xasprintf("%s/%s", dir, name);
}

static char *slurp(const char *path) {
    char *data = NULL;
    size_t len = 0;
    if (vt_file_read(path, 1 << 24, &data, &len, NULL) != VT_OK) {
        return vt_xstrdup("(missing)");
    }
    return data;
}

static void put(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    fputs(text, f);
    fclose(f);
}

static bool starts_with(const char *s, const char *prefix) {
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

static vt_ledger_row row_at(int64_t t, const char *state, double energy) {
    return (vt_ledger_row){.utc = t,
                           .state = state,
                           .target_fps = 15,
                           .fps = 14.5,
                           .scale = 0.75,
                           .power_w = 21.25,
                           .has_power = true,
                           .energy_j = energy,
                           .has_energy = true,
                           .sensor = "file:/run/power",
                           .covers = "power file /run/power",
                           .estimated = false,
                           .seconds = 1.0};
}

static void test_format(void) {
    char buf[VT_LEDGER_ROW_MAX];
    vt_ledger_row r = row_at(T_2026_11_24 + 3600 + 61, "attract", 1234.56);
    vt_ledger_format(&r, buf, sizeof buf);
    VT_CHECK_STR(buf, "2026-11-24T01:01:01Z,attract,15,14.5,0.75,21.25,1234.6,file:/run/power,"
                      "power file /run/power,measured,1.000\n");
    /* No figure: empty fields; text with commas and quotes is quoted. */
    r = (vt_ledger_row){.utc = T_2026_11_24,
                        .state = "closed",
                        .sensor = "auto",
                        .covers = "CPU package 0 (RAPL), GPU \"0\" (NVML)"};
    vt_ledger_format(&r, buf, sizeof buf);
    VT_CHECK_STR(buf, "2026-11-24T00:00:00Z,closed,0,0.0,0.00,,,auto,"
                      "\"CPU package 0 (RAPL), GPU \"\"0\"\" (NVML)\",,\n");
    /* The running energy total without a power figure (the first row of a run, no new
     * reading): the row claims nothing measured. */
    r.has_energy = true;
    r.energy_j = 12.5;
    vt_ledger_format(&r, buf, sizeof buf);
    VT_CHECK_STR(buf, "2026-11-24T00:00:00Z,closed,0,0.0,0.00,,12.5,auto,"
                      "\"CPU package 0 (RAPL), GPU \"\"0\"\" (NVML)\",,\n");
    r.has_energy = false;
    r.estimated = true;
    r.has_power = true;
    r.power_w = 30;
    r.seconds = 1.25; /* the interval between the readings: a late loop */
    vt_ledger_format(&r, buf, sizeof buf);
    VT_CHECK(strstr(buf, ",30.00,,auto,") != NULL);
    VT_CHECK(strstr(buf, ",estimated,1.250\n") != NULL);
    char *dated = vt_ledger_dated_path("/x/energy.csv", vt_schedule_days(2026, 3, 9));
    VT_CHECK_STR(dated, "/x/energy-2026-03-09.csv");
    free(dated);
    dated = vt_ledger_dated_path("log", vt_schedule_days(2026, 3, 9));
    VT_CHECK_STR(dated, "log-2026-03-09");
    free(dated);
}

/* Long text is cut to the shared limits on a UTF-8 character boundary, never inside one. */
static void test_long_text(void) {
    char sensor[301] = "file:/x", state[61];
    for (size_t i = strlen(sensor); i + 2 < sizeof sensor; i += 2) {
        memcpy(sensor + i, "\xc3\xa9", 3); /* U+00E9, two bytes each */
    }
    memset(state, 'a', sizeof state - 1);
    state[sizeof state - 1] = '\0';
    vt_ledger_row r = row_at(T_2026_11_24, state, 1);
    r.sensor = sensor;
    char buf[VT_LEDGER_ROW_MAX];
    vt_ledger_format(&r, buf, sizeof buf);
    char *f[10] = {buf};
    for (int i = 1; i < 10; i++) {
        f[i] = strchr(f[i - 1], ',');
        VT_CHECK(f[i] != NULL);
        if (!f[i]) {
            return;
        }
        *f[i]++ = '\0';
    }
    VT_CHECK_INT(strlen(f[1]), VT_LEDGER_STATE_MAX);
    /* "file:/x" is 7 bytes, so 200 would cut an "é" in half: 199 bytes are written. */
    VT_CHECK_INT(strlen(f[7]), VT_LEDGER_TEXT_MAX - 1);
    VT_CHECK(vt_text_utf8_validate(f[7], strlen(f[7]), NULL));

    /* Words are never cut: a long text ends at the last whole word that leaves room for an
     * ellipsis, within the limit. */
    char words[251] = "";
    for (int i = 0; i < 25; i++) {
        strcat(words, "abcdefghi ");
    }
    r = row_at(T_2026_11_24, "attract", 1);
    r.covers = words;
    vt_ledger_format(&r, buf, sizeof buf);
    char want[VT_LEDGER_TEXT_MAX + 32];
    snprintf(want, sizeof want, ",%.189s\xe2\x80\xa6,measured,1.000\n", words);
    VT_CHECK(strstr(buf, want) != NULL);
    VT_CHECK(strlen(want) - strlen(",,measured,1.000\n") <= VT_LEDGER_TEXT_MAX);
}

/* A current file written before the seconds column is moved aside (the report reads it there),
 * and the rows go on in a file with the new header. */
static void test_v1_file(void) {
    char *path = path_in("v1.csv");
    put(path, VT_LEDGER_HEADER_V1 "\n2026-11-24T10:00:00Z,attract,15,0.0,0.75,,,none,,\n");
    vt_ledger *l = NULL;
    vt_error err = {0};
    VT_CHECK_INT(vt_ledger_open(&(vt_ledger_desc){.path = path}, &l, &err), VT_OK);
    vt_ledger_row r = row_at(T_2026_11_24 + 36001, "attract", 0);
    VT_CHECK_INT(vt_ledger_write(l, &r, &err), VT_OK);
    vt_ledger_close(l);
    char *text = slurp(path);
    VT_CHECK(starts_with(text, VT_LEDGER_HEADER "\n2026-11-24T10:00:01Z,attract,"));
    free(text);
    char *aside = vt_ledger_dated_path(path, (int32_t)(time(NULL) / 86400));
    text = slurp(aside);
    VT_CHECK(starts_with(text, VT_LEDGER_HEADER_V1 "\n2026-11-24T10:00:00Z,"));
    free(text);
    free(aside);
    free(path);
}

/* A covers text with commas and quotes comes back whole through the ledger and the report. */
static void test_covers_round_trip(void) {
    char *path = path_in("covers.csv");
    const char *covers = "smart plug: PC, screen \"left\"";
    vt_ledger *l = NULL;
    vt_error err = {0};
    VT_CHECK_INT(vt_ledger_open(&(vt_ledger_desc){.path = path}, &l, &err), VT_OK);
    for (int i = 0; i < 3; i++) {
        vt_ledger_row r = row_at(T_2026_11_24 + 60 + i, "attract", 21.25 * i);
        r.covers = covers;
        VT_CHECK_INT(vt_ledger_write(l, &r, &err), VT_OK);
    }
    vt_ledger_close(l);
    char *text = slurp(path);
    VT_CHECK(strstr(text, ",\"smart plug: PC, screen \"\"left\"\"\",measured") != NULL);
    free(text);
    const char *paths[] = {path};
    vt_report rep;
    vt_diags d = {0};
    VT_CHECK_INT(vt_report_build(paths, 1, NULL, &rep, &d), VT_OK);
    VT_CHECK_INT(d.count, 0);
    VT_CHECK_INT(rep.bad_rows, 0);
    VT_CHECK_STR(rep.method.covers, covers);
    vt_report_free(&rep);
    vt_diags_free(&d);
    free(path);
}

/* Rows append under one header; the first row of a new UTC day moves the file to its date. */
static void test_rotation(void) {
    char *path = path_in("rot.csv");
    vt_ledger *l = NULL;
    vt_error err = {0};
    VT_CHECK_INT(vt_ledger_open(&(vt_ledger_desc){.path = path}, &l, &err), VT_OK);
    vt_ledger_row a = row_at(T_2026_11_24 + 86398, "attract", 0);
    vt_ledger_row b = row_at(T_2026_11_24 + 86399, "active", 21.2);
    vt_ledger_row c = row_at(T_2026_11_24 + 86400, "active", 42.5);
    VT_CHECK_INT(vt_ledger_write(l, &a, &err), VT_OK);
    VT_CHECK_INT(vt_ledger_write(l, &b, &err), VT_OK);
    VT_CHECK_INT(vt_ledger_write(l, &c, &err), VT_OK);
    vt_ledger_close(l);
    char *old_path = path_in("rot-2026-11-24.csv");
    char *old = slurp(old_path), *cur = slurp(path);
    VT_CHECK(starts_with(old, VT_LEDGER_HEADER "\n2026-11-24T23:59:58Z,attract,"));
    VT_CHECK(strstr(old, "\n2026-11-24T23:59:59Z,active,") != NULL);
    VT_CHECK(strstr(old, "2026-11-25") == NULL);
    VT_CHECK(starts_with(cur, VT_LEDGER_HEADER
                         "\n2026-11-25T00:00:00Z,active,15,14.5,0.75,21.25,42.5,"));
    free(old);
    free(cur);

    /* A restart the next day finds yesterday's file and rotates it at its first row; the name
     * is taken, so the second file of that day gets "-2". */
    put(path, VT_LEDGER_HEADER "\n2026-11-24T10:00:00Z,attract,15,0.0,0.75,,,none,,\n");
    VT_CHECK_INT(vt_ledger_open(&(vt_ledger_desc){.path = path}, &l, &err), VT_OK);
    vt_ledger_row d = row_at(T_2026_11_24 + 86400 + 7200, "attract", 0);
    VT_CHECK_INT(vt_ledger_write(l, &d, &err), VT_OK);
    vt_ledger_close(l);
    char *second = path_in("rot-2026-11-24-2.csv");
    char *s2 = slurp(second);
    VT_CHECK(strstr(s2, "2026-11-24T10:00:00Z,attract") != NULL);
    cur = slurp(path);
    VT_CHECK(starts_with(cur, VT_LEDGER_HEADER "\n2026-11-25T02:00:00Z,"));
    free(s2);
    free(cur);
    free(second);
    free(old_path);
    free(path);
}

/* A missing folder is made (as render makes --out's), again when it was removed while the show
 * ran; a path whose folder cannot be made (a file stands in the way) says why. */
/* Another log through the same writer (the proof-of-play log): its own header, rotation at UTC
 * midnight by the line's time, a file with another header moved aside, and only whole lines. */
static void test_other_log(void) {
    char *path = path_in("plays.csv");
    vt_ledger *l = NULL;
    vt_error err = {0};
    vt_ledger_desc d = {.path = path, .header = "time,event", .what = "play log"};
    put(path, VT_LEDGER_HEADER "\n2026-11-24T10:00:00Z,attract,15,0.0,0.75,,,none,,\n");
    VT_CHECK_INT(vt_ledger_open(&d, &l, &err), VT_OK); /* an energy log: moved aside */
    const char *a = "2026-11-24T23:59:59.500Z,start\n", *b = "2026-11-25T00:00:00.250Z,end\n";
    VT_CHECK_INT(vt_ledger_write_line(l, T_2026_11_24 + 86399, a, strlen(a), &err), VT_OK);
    VT_CHECK_INT(vt_ledger_write_line(l, T_2026_11_24 + 86400, b, strlen(b), &err), VT_OK);
    VT_CHECK_INT(vt_ledger_write_line(l, T_2026_11_24 + 86400, "x\ny\n", 4, &err), VT_E_SOFTWARE);
    VT_CHECK_INT(vt_ledger_write_line(l, T_2026_11_24 + 86400, "no end", 6, &err), VT_E_SOFTWARE);
    vt_ledger_close(l);
    char *cur = slurp(path), *old_path = path_in("plays-2026-11-24.csv");
    char *second_path = vt_ledger_dated_path(path, (int32_t)(time(NULL) / 86400));
    char *old = slurp(old_path), *aside = slurp(second_path);
    VT_CHECK_STR(cur, "time,event\n2026-11-25T00:00:00.250Z,end\n");
    /* The play log's first day went to its dated name; the energy log found there, to the
     * dated name of the day it was found (the machine's today). */
    VT_CHECK_STR(old, "time,event\n2026-11-24T23:59:59.500Z,start\n");
    VT_CHECK(starts_with(aside, VT_LEDGER_HEADER "\n2026-11-24T10:00:00Z,attract,"));
    free(cur);
    free(old);
    free(aside);
    free(second_path);
    free(old_path);
    free(path);
}

static void test_missing_folder(void) {
    char *path = path_in("logs/site/energy.csv");
    vt_ledger *l = NULL;
    vt_error err = {0};
    VT_CHECK_INT(vt_ledger_open(&(vt_ledger_desc){.path = path}, &l, &err), VT_OK);
    vt_ledger_row r = row_at(T_2026_11_24 + 10, "attract", 0);
    VT_CHECK_INT(vt_ledger_write(l, &r, &err), VT_OK);
    vt_ledger_close(l);
    char *text = slurp(path);
    VT_CHECK(starts_with(text, VT_LEDGER_HEADER "\n2026-11-24T00:00:10Z,attract,"));
    free(text);
    char *blocker = path_in("blocker");
    put(blocker, "x");
    char *under = path_in("blocker/logs/energy.csv");
    l = NULL;
    VT_CHECK_INT(vt_ledger_open(&(vt_ledger_desc){.path = under}, &l, &err), VT_E_CANTCREAT);
    VT_CHECK(l == NULL);
    VT_CHECK(strstr(err.message, "cannot open the energy log") != NULL);
    VT_CHECK(strstr(err.message, "blocker/logs/energy.csv") != NULL);
    free(under);
    free(blocker);
    free(path);
}

/* Beyond the bound the oldest dated files go, whatever order the names come in. */
static void test_size_bound(void) {
    char filler[20001];
    memset(filler, 'x', sizeof filler - 1);
    filler[sizeof filler - 1] = '\0';
    const char *names[] = {"cap-2026-01-03.csv",   "cap-2026-01-01.csv",  "cap-2026-01-02.csv",
                           "cap-2026-01-01-2.csv", "capx-2025-01-01.csv", "cap-notes.csv"};
    for (size_t i = 0; i < 6; i++) {
        char *p = path_in(names[i]);
        put(p, filler);
        free(p);
    }
    char *path = path_in("cap.csv");
    vt_ledger *l = NULL;
    vt_error err = {0};
    /* 4 x 20 kB of this ledger's days against 64 KiB: the oldest (01-01) goes. Files of
     * another name are never touched. */
    VT_CHECK_INT(vt_ledger_open(&(vt_ledger_desc){.path = path, .max_bytes = 65536}, &l, &err),
                 VT_OK);
    char *p1 = path_in("cap-2026-01-01.csv"), *p12 = path_in("cap-2026-01-01-2.csv");
    char *p2 = path_in("cap-2026-01-02.csv"), *p3 = path_in("cap-2026-01-03.csv");
    char *px = path_in("capx-2025-01-01.csv"), *pn = path_in("cap-notes.csv");
    VT_CHECK(!exists(p1));
    VT_CHECK(exists(p12));
    VT_CHECK(exists(p2));
    VT_CHECK(exists(p3));
    VT_CHECK(exists(px));
    VT_CHECK(exists(pn));
    /* Rows fill the bound: 01-01-2 (the second file of that day) goes next, then 01-02. */
    int64_t t = T_2026_11_24;
    for (int i = 0; i < 280; i++) {
        vt_ledger_row r = row_at(t + i, "attract", i);
        VT_CHECK_INT(vt_ledger_write(l, &r, &err), VT_OK);
    }
    VT_CHECK(!exists(p12));
    VT_CHECK(!exists(p2));
    VT_CHECK(exists(p3));
    struct stat st;
    VT_CHECK(stat(path, &st) == 0 && st.st_size > 25000 && st.st_size <= 32768);
    vt_ledger_close(l);

    /* One day alone beyond the bound: its file is closed at half the bound, so the day's
     * latest full file survives the pruning with the current one (it once was deleted right
     * after being rotated, leaving a few rows of history). */
    char *big = path_in("big.csv");
    VT_CHECK_INT(vt_ledger_open(&(vt_ledger_desc){.path = big, .max_bytes = 65536}, &l, &err),
                 VT_OK);
    for (int i = 0; i < 2000; i++) {
        vt_ledger_row r = row_at(t + i, "attract", i);
        VT_CHECK_INT(vt_ledger_write(l, &r, &err), VT_OK);
    }
    vt_ledger_close(l);
    uint64_t kept = 0;
    DIR *dh = opendir(dir);
    struct dirent *de;
    while (dh && (de = readdir(dh)) != NULL) {
        char *p = path_in(de->d_name);
        if (strncmp(de->d_name, "big", 3) == 0 && stat(p, &st) == 0) {
            kept += (uint64_t)st.st_size;
        }
        free(p);
    }
    if (dh) {
        closedir(dh);
    }
    VT_CHECK(kept > 32768 && kept <= 65536);
    free(big);
    VT_CHECK_INT(vt_ledger_open(&(vt_ledger_desc){.path = path, .max_bytes = 1000}, &l, &err),
                 VT_E_USAGE);
    VT_CHECK(strstr(err.message, "at least 65536 bytes") != NULL);
    free(p1);
    free(p12);
    free(p2);
    free(p3);
    free(px);
    free(pn);
    free(path);
}

/* A crash in the middle of a row: the next start cuts it off before appending. */
static void test_torn(void) {
    char *path = path_in("torn.csv");
    put(path, VT_LEDGER_HEADER "\n2026-11-24T10:00:00Z,attract,15,0.0,0.75,,,none,,\n"
                               "2026-11-24T10:00:01Z,attr");
    vt_ledger *l = NULL;
    vt_error err = {0};
    VT_CHECK_INT(vt_ledger_open(&(vt_ledger_desc){.path = path}, &l, &err), VT_OK);
    vt_ledger_row r = row_at(T_2026_11_24 + 36002, "active", 5);
    VT_CHECK_INT(vt_ledger_write(l, &r, &err), VT_OK);
    vt_ledger_close(l);
    char *text = slurp(path);
    VT_CHECK_STR(text, VT_LEDGER_HEADER "\n2026-11-24T10:00:00Z,attract,15,0.0,0.75,,,none,,\n"
                                        "2026-11-24T10:00:02Z,active,15,14.5,0.75,21.25,5.0,"
                                        "file:/run/power,power file /run/power,measured,"
                                        "1.000\n");
    free(text);

    /* A power cut left zeroed blocks after a torn row: both go, the rows before them stay. */
    FILE *f = fopen(path, "wb");
    fputs(VT_LEDGER_HEADER "\n2026-11-24T10:00:00Z,attract,15,0.0,0.75,,,none,,\n2026-11-2", f);
    for (int i = 0; i < 5000; i++) {
        fputc('\0', f);
    }
    fclose(f);
    VT_CHECK_INT(vt_ledger_open(&(vt_ledger_desc){.path = path}, &l, &err), VT_OK);
    VT_CHECK_INT(vt_ledger_write(l, &r, &err), VT_OK);
    vt_ledger_close(l);
    text = slurp(path);
    VT_CHECK_STR(text, VT_LEDGER_HEADER "\n2026-11-24T10:00:00Z,attract,15,0.0,0.75,,,none,,\n"
                                        "2026-11-24T10:00:02Z,active,15,14.5,0.75,21.25,5.0,"
                                        "file:/run/power,power file /run/power,measured,"
                                        "1.000\n");
    free(text);

    /* Not a ledger: moved aside to a dated name, never overwritten. */
    put(path, "name,value\nsomething,else\n");
    VT_CHECK_INT(vt_ledger_open(&(vt_ledger_desc){.path = path}, &l, &err), VT_OK);
    vt_ledger_close(l);
    text = slurp(path);
    VT_CHECK_STR(text, "");
    free(text);
    time_t now = time(NULL);
    char *aside = vt_ledger_dated_path(path, (int32_t)(now / 86400));
    text = slurp(aside);
    VT_CHECK_STR(text, "name,value\nsomething,else\n");
    free(text);
    free(aside);
    free(path);
}

/* Every line complete: a header, then rows ending in a newline. */
static bool whole_rows(const char *text, int *rows) {
    *rows = 0;
    if (strncmp(text, VT_LEDGER_HEADER "\n", strlen(VT_LEDGER_HEADER) + 1) != 0) {
        return text[0] == '\0';
    }
    const char *p = text + strlen(VT_LEDGER_HEADER) + 1;
    while (*p) {
        const char *nl = strchr(p, '\n');
        if (!nl || nl - p < 20 || strncmp(nl - 15, ",measured,1.000", 15) != 0) {
            return false;
        }
        (*rows)++;
        p = nl + 1;
    }
    return true;
}

/* A file size limit cuts a row short: the ledger truncates it back and reports the failure;
 * when writing works again, so does the ledger, without a half row in between. */
static void test_short_write(void) {
    char *path = path_in("short.csv");
    vt_ledger *l = NULL;
    vt_error err = {0};
    VT_CHECK_INT(vt_ledger_open(&(vt_ledger_desc){.path = path}, &l, &err), VT_OK);
    vt_ledger_row r = row_at(T_2026_11_24, "attract", 0);
    VT_CHECK_INT(vt_ledger_write(l, &r, &err), VT_OK);
    struct stat st;
    stat(path, &st);
    struct rlimit old, lim;
    getrlimit(RLIMIT_FSIZE, &old);
    lim = old;
    lim.rlim_cur = (rlim_t)st.st_size + 40; /* room for part of a row only */
    signal(SIGXFSZ, SIG_IGN);
    setrlimit(RLIMIT_FSIZE, &lim);
    r.utc++;
    VT_CHECK_INT(vt_ledger_write(l, &r, &err), VT_E_IOERR);
    VT_CHECK(vt_ledger_failing(l));
    VT_CHECK(strstr(err.message, "cannot write to the energy log") != NULL);
    setrlimit(RLIMIT_FSIZE, &old);
    r.utc++;
    VT_CHECK_INT(vt_ledger_write(l, &r, &err), VT_OK);
    VT_CHECK(!vt_ledger_failing(l));
    vt_ledger_close(l);
    char *text = slurp(path);
    int rows = 0;
    VT_CHECK(whole_rows(text, &rows));
    VT_CHECK_INT(rows, 2);
    free(text);
    free(path);
}

/* A real full disk (a 16 KiB tmpfs in a private mount namespace; root only). */
static void test_disk_full(void) {
    if (geteuid() != 0 || unshare(CLONE_NEWNS) != 0 ||
        mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
        VT_SKIP("the full-disk check (needs root for a private tmpfs)");
        return;
    }
    char *mnt = path_in("full");
    mkdir(mnt, 0755);
    if (mount("tmpfs", mnt, "tmpfs", 0, "size=16k") != 0) {
        VT_SKIP("the full-disk check (tmpfs: %s)", strerror(errno));
        free(mnt);
        return;
    }
    char *path = vt_xasprintf("%s/log.csv", mnt);
    vt_ledger *l = NULL;
    vt_error err = {0};
    VT_CHECK_INT(vt_ledger_open(&(vt_ledger_desc){.path = path}, &l, &err), VT_OK);
    int written = 0, failures = 0;
    for (int i = 0; i < 400; i++) {
        vt_ledger_row r = row_at(T_2026_11_24 + i, "attract", i);
        if (vt_ledger_write(l, &r, &err) == VT_OK) {
            written++;
        } else {
            failures++;
        }
    }
    VT_CHECK(written > 50);
    VT_CHECK(failures > 0);
    VT_CHECK(strstr(err.message, "No space left on device") != NULL);
    VT_CHECK(vt_ledger_failing(l));
    vt_ledger_close(l);
    char *text = slurp(path);
    int rows = 0;
    VT_CHECK(whole_rows(text, &rows));
    VT_CHECK_INT(rows, written);
    free(text);
    umount(mnt);
    free(path);
    free(mnt);
}

/* The rows' clock: monotonic time placed on the wall clock, re-anchored at a step only. */
static void test_clock(void) {
    const int64_t S = 1000000000;
    vt_ledger_clock c = {0};
    int64_t step;
    VT_CHECK_INT(vt_ledger_clock_place(&c, 5 * S, 1000 * S, &step), 1000 * S); /* anchors */
    VT_CHECK_INT(step, 0);
    /* The wall clock slewed 1.5 s away: the monotonic time still rules. */
    VT_CHECK_INT(vt_ledger_clock_place(&c, 6 * S, 1001 * S + 3 * S / 2, &step), 1001 * S);
    VT_CHECK_INT(step, 0);
    VT_CHECK_INT(vt_ledger_clock_place(&c, 7 * S, 1002 * S - 2 * S, &step), 1002 * S);
    VT_CHECK_INT(step, 0);
    /* Set back 16 s: a step, and the new time from then on. */
    VT_CHECK_INT(vt_ledger_clock_place(&c, 8 * S, 1003 * S - 16 * S, &step), 987 * S);
    VT_CHECK_INT(step, -16 * S);
    VT_CHECK_INT(vt_ledger_clock_place(&c, 9 * S, 0, &step), 0); /* 1970: a dead RTC */
    VT_CHECK_INT(step, -988 * S);
    VT_CHECK_INT(vt_ledger_clock_place(&c, 10 * S, 1 * S, &step), 1 * S);
    VT_CHECK_INT(step, 0);
}

static int64_t fake_wall;
static int64_t fake_wall_ns(void) {
    return fake_wall;
}

/* `play`'s ledger while the wall clock is set back 16 s after 8 s of a 24 s run: a marker row,
 * no row dropped, and the report counts the 24 s (it counted 8 before). */
static void test_clock_step_logged(void) {
    const int64_t S = 1000000000;
    char *path = path_in("stepped.csv");
    vt_settings set = {.energy_log = path};
    vt_energy_session e = {0};
    vt_energy_log lg;
    vt_error err = {0};
    vt_energy_log_set_wall_clock(fake_wall_ns);
    fake_wall = (T_2026_11_24 + 36000) * S + S / 2;
    int64_t mono = vt_now_ns(), wall_at_mono = fake_wall;
    VT_CHECK_INT(vt_energy_log_start(&lg, &set, &err), VT_OK);
    for (int i = 0; i <= 24; i++) {
        int64_t now = vt_energy_log_deadline(&lg);
        fake_wall = wall_at_mono + (now - mono) - (i > 8 ? 16 * S : 0);
        vt_energy_log_tick(&lg, &e, now, "attract", (uint64_t)i * 12);
    }
    vt_energy_log_stop(&lg);
    vt_energy_log_set_wall_clock(NULL);
    char *text = slurp(path);
    VT_CHECK(strstr(text, ",(clock-step),0,0.0,0.00,,,,the wall clock was set back by 16.0 s; "
                          "later rows follow it,,\n") != NULL);
    size_t lines = 0;
    for (const char *p = text; *p; p++) {
        lines += *p == '\n';
    }
    VT_CHECK_INT(lines, 1 + 25 + 1); /* the header, 25 rows, the marker */
    free(text);
    const char *paths[] = {path};
    vt_report r;
    vt_diags d = {0};
    VT_CHECK_INT(vt_report_build(paths, 1, NULL, &r, &d), VT_OK);
    VT_CHECK_INT(d.count, 0);
    VT_CHECK_INT(r.rows, 25);
    VT_CHECK_NEAR(r.seconds, 24, 0);
    VT_CHECK_NEAR(r.gap_seconds, 0, 0);
    vt_report_free(&r);
    vt_diags_free(&d);
    free(path);
}

/* A loop slowed down (woken 0.4 to 1.9 s late, the sensor read at every other wake-up, as the
 * governor's pace lets it) at a steady 20 W: every row says the seconds its figures cover,
 * power_w x seconds is its energy_j step, a row without a new reading leaves them empty, and
 * the seconds add up to the time between the first and the last reading. */
static void test_slow_loop_intervals(void) {
    const int64_t S = 1000000000;
    static const int64_t steps_ms[] = {700, 1300, 400, 1900, 1000, 600, 1500, 800, 1100, 450};
    char *path = path_in("slow.csv");
    vt_settings set = {.energy_log = path};
    vt_energy_session e = {0};
    vt_error err = {0};
    VT_CHECK_INT(vt_sensor_open(&(vt_sensor_desc){.spec = "model"}, &e.sensor, &err), VT_OK);
    vt_energy_log lg;
    vt_energy_log_set_wall_clock(fake_wall_ns);
    fake_wall = (T_2026_11_24 + 36000) * S + S / 2;
    int64_t mono = vt_now_ns(), wall_at_mono = fake_wall;
    VT_CHECK_INT(vt_energy_log_start(&lg, &set, &err), VT_OK);
    int64_t now = mono, first_read = 0;
    for (int i = 0; i < 40; i++) {
        now += steps_ms[i % 10] * (S / 1000);
        fake_wall = wall_at_mono + (now - mono);
        if (i % 2 == 0) { /* the session's read (20 W since the previous one) */
            e.joules += e.read_ns ? 20.0 * (double)(now - e.read_ns) / 1e9 : 0;
            e.read_ns = now;
            first_read = first_read ? first_read : now;
        }
        vt_energy_log_tick(&lg, &e, now, "attract", (uint64_t)i * 12);
    }
    int64_t last_read = e.read_ns;
    vt_energy_log_stop(&lg);
    vt_energy_log_set_wall_clock(NULL);
    vt_sensor_close(e.sensor);

    char *text = slurp(path);
    VT_CHECK(starts_with(text, VT_LEDGER_HEADER "\n"));
    double sum = 0, prev_energy = -1, shortest = 1e9, longest = 0;
    int rows = 0, with_seconds = 0, without = 0;
    for (char *line = strchr(text, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
        /* time,state,target_fps,fps,scale,power_w,energy_j,sensor,covers,measured,seconds */
        char *f[11] = {line + 1};
        int n = 1;
        for (char *c = line + 1; *c && *c != '\n' && n < 11; c++) {
            if (*c == ',') {
                f[n++] = c + 1;
            }
        }
        VT_CHECK_INT(n, 11);
        if (n != 11) {
            break;
        }
        rows++;
        double power = atof(f[5]), energy = atof(f[6]), seconds = atof(f[10]);
        bool has_power = f[5][0] != ',', has_seconds = f[10][0] != '\n';
        VT_CHECK(has_power == has_seconds);
        if (has_seconds && prev_energy >= 0) {
            with_seconds++;
            VT_CHECK_NEAR(power, 20, 0.005);
            VT_CHECK_NEAR(power * seconds, energy - prev_energy, 0.1 + 0.005 * seconds);
            sum += seconds;
            shortest = seconds < shortest ? seconds : shortest;
            longest = seconds > longest ? seconds : longest;
        } else if (prev_energy >= 0) {
            without++;
            VT_CHECK_NEAR(energy, prev_energy, 0); /* no new reading, no energy */
        }
        if (f[6][0] != ',') {
            prev_energy = energy;
        }
    }
    VT_CHECK(rows >= 20);
    VT_CHECK(with_seconds >= 10);
    VT_CHECK(without >= 1);
    VT_CHECK(longest - shortest > 1.0); /* the rows' readings were not 1 s apart */
    /* From the reading before the first row with a figure to the last reading. */
    VT_CHECK(sum <= (double)(last_read - first_read) / 1e9 + 1e-6);
    VT_CHECK(sum >= (double)(last_read - first_read) / 1e9 - 4.0);
    free(text);
    free(path);
}

int main(void) {
    snprintf(dir, sizeof dir, "/tmp/vt-test-ledger-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    vt_log_set_level(VT_LOG_ERROR);
    test_format();
    test_long_text();
    test_covers_round_trip();
    test_v1_file();
    test_rotation();
    test_other_log();
    test_missing_folder();
    test_size_bound();
    test_torn();
    test_short_write();
    test_disk_full();
    test_clock();
    test_clock_step_logged();
    test_slow_loop_intervals();
    char *cmd = vt_xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0) {
        fprintf(stderr, "could not remove %s\n", dir);
    }
    free(cmd);
    return vt_test_finish("test_ledger");
}
