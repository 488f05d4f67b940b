/* Power sensors against fake sysfs trees built in a temporary folder: RAPL, hwmon, the power
 * file, NVML (missing library, and a fake API table), the model, auto and the report. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "governor/sensor_internal.h"
#include "governor/vt_sensor.h"
#include "vt_test.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SEC INT64_C(1000000000)

/* ---- fake trees ---- */

static void mkdirs(const char *path) {
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(buf, 0755);
            *p = '/';
        }
    }
    mkdir(buf, 0755);
}

/* Writes root/rel, creating its folders. */
static void put(const char *root, const char *rel, const char *text) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    mkdirs(path);
    *slash = '/';
    FILE *f = fopen(path, "w");
    VT_CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_tree(const char *root) {
    nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static char *make_root(void) {
    char tmpl[] = "/tmp/vt_sensor_XXXXXX";
    char *root = mkdtemp(tmpl);
    VT_CHECK(root != NULL);
    return vt_xstrdup(root ? root : "/nonexistent");
}

/* One package with core, uncore and dram subzones, plus an MMIO copy of the package that must
 * not be counted twice. Counters in microjoules. */
static void put_rapl(const char *root, const char *pkg_uj, const char *dram_uj) {
    put(root, "class/powercap/intel-rapl:0/name", "package-0\n");
    put(root, "class/powercap/intel-rapl:0/energy_uj", pkg_uj);
    put(root, "class/powercap/intel-rapl:0/max_energy_range_uj", "100000000\n");
    put(root, "class/powercap/intel-rapl:0:0/name", "core\n");
    put(root, "class/powercap/intel-rapl:0:0/energy_uj", "5000000\n");
    put(root, "class/powercap/intel-rapl:0:1/name", "uncore\n");
    put(root, "class/powercap/intel-rapl:0:1/energy_uj", "7000000\n");
    put(root, "class/powercap/intel-rapl:0:2/name", "dram\n");
    put(root, "class/powercap/intel-rapl:0:2/energy_uj", dram_uj);
    put(root, "class/powercap/intel-rapl:0:2/max_energy_range_uj", "65532610987\n");
    put(root, "class/powercap/intel-rapl-mmio:0/name", "package-0\n");
    put(root, "class/powercap/intel-rapl-mmio:0/energy_uj", "1\n");
}

static vt_sensor *open_ok(const vt_sensor_desc *desc) {
    vt_sensor *s = NULL;
    vt_error err = {0};
    vt_status st = vt_sensor_open(desc, &s, &err);
    VT_CHECK_INT(st, VT_OK);
    if (st != VT_OK) {
        fprintf(stderr, "  open %s: %s\n", desc->spec, err.message);
    }
    return s;
}

static vt_power_reading read_ok(vt_sensor *s, int64_t now_ns) {
    vt_power_reading r;
    vt_error err = {0};
    vt_status st = vt_sensor_read(s, now_ns, &r, &err);
    VT_CHECK_INT(st, VT_OK);
    if (st != VT_OK) {
        fprintf(stderr, "  read: %s\n", err.message);
    }
    return r;
}

/* ---- RAPL ---- */

static void test_rapl(void) {
    char *root = make_root();
    put_rapl(root, "90000000\n", "1000000\n");
    vt_sensor_desc desc = {.spec = "rapl", .sysfs_root = root};
    vt_sensor *s = open_ok(&desc);
    VT_CHECK_STR(vt_sensor_describe(s), "CPU package 0 + DRAM (RAPL)");
    vt_power_reading r = read_ok(s, 1 * SEC);
    VT_CHECK(!r.has_watts);
    VT_CHECK(r.has_energy);
    VT_CHECK(!r.estimated);
    VT_CHECK_NEAR(r.joules, 0, 0);
    /* +5 J package, +3 J DRAM, +20 J core (inside the package: not added) over 2 s. */
    put(root, "class/powercap/intel-rapl:0/energy_uj", "95000000\n");
    put(root, "class/powercap/intel-rapl:0:2/energy_uj", "4000000\n");
    put(root, "class/powercap/intel-rapl:0:0/energy_uj", "25000000\n");
    r = read_ok(s, 3 * SEC);
    VT_CHECK(r.has_watts);
    VT_CHECK_NEAR(r.watts, 4.0, 1e-12);
    VT_CHECK_NEAR(r.joules, 8.0, 1e-12);
    /* The package counter wraps at 100 J: (100 - 95) + 1 = 6 J in 0.5 s. */
    put(root, "class/powercap/intel-rapl:0/energy_uj", "1000000\n");
    r = read_ok(s, 3 * SEC + SEC / 2);
    VT_CHECK_NEAR(r.watts, 12.0, 1e-12);
    VT_CHECK_NEAR(r.joules, 14.0, 1e-12);
    /* Time must move forward. */
    vt_error err = {0};
    VT_CHECK_INT(vt_sensor_read(s, 3 * SEC + SEC / 2, &r, &err), VT_E_SOFTWARE);
    VT_CHECK_STR(err.message, "vt_sensor_read: the time must increase between reads "
                              "(3500000000 ns, then 3500000000 ns)");
    /* A counter turned to garbage fails the read; the next good read starts again. */
    put(root, "class/powercap/intel-rapl:0:2/energy_uj", "lots\n");
    VT_CHECK_INT(vt_sensor_read(s, 4 * SEC, &r, &err), VT_E_DATAERR);
    VT_CHECK(!r.has_watts);
    put(root, "class/powercap/intel-rapl:0:2/energy_uj", "4000000\n");
    r = read_ok(s, 5 * SEC);
    VT_CHECK(!r.has_watts);
    VT_CHECK_NEAR(r.joules, 14.0, 1e-12);
    vt_sensor_close(s);
    remove_tree(root);
    free(root);
}

static int deny_energy(const char *path) {
    size_t n = strlen(path);
    if (n >= 10 && strcmp(path + n - 10, "/energy_uj") == 0) {
        errno = EACCES;
        return -1;
    }
    return open(path, O_RDONLY | O_CLOEXEC);
}

static void test_rapl_denied(void) {
    char *root = make_root();
    put_rapl(root, "1\n", "2\n");
    vt_sensor_desc desc = {.spec = "rapl", .sysfs_root = root, .open_file = deny_energy};
    vt_sensor *s = (vt_sensor *)1;
    vt_error err = {0};
    VT_CHECK_INT(vt_sensor_open(&desc, &s, &err), VT_E_NOINPUT);
    VT_CHECK(s == NULL);
    char *want = vt_xasprintf(
        "%s/class/powercap/intel-rapl:0/energy_uj: permission denied: since Linux 5.10 only "
        "root may read the RAPL energy counters; to let vitrine read them, put the udev rule "
        "'SUBSYSTEM==\"powercap\", ACTION==\"add\", RUN+=\"/bin/chmod a+r /sys%%p/energy_uj\"' "
        "in /etc/udev/rules.d/60-vitrine-powercap.rules, then run 'udevadm trigger "
        "--action=add --subsystem-match=powercap' as root (or reboot)",
        root);
    VT_CHECK_STR(err.message, want);
    free(want);
    /* Without the hook: a folder where the counter should be. */
    desc.open_file = NULL;
    remove_tree(root);
    put(root, "class/powercap/intel-rapl:0/name", "package-0\n");
    put(root, "class/powercap/intel-rapl:0/energy_uj/x", "");
    VT_CHECK_INT(vt_sensor_open(&desc, &s, &err), VT_E_NOINPUT);
    want = vt_xasprintf("%s/class/powercap/intel-rapl:0/energy_uj: cannot read: it is a folder, "
                        "not a file",
                        root);
    VT_CHECK_STR(err.message, want);
    free(want);
    /* A FIFO where the counter should be: refused at once, never waited on. */
    remove_tree(root);
    put(root, "class/powercap/intel-rapl:0/name", "package-0\n");
    char *fifo = vt_xasprintf("%s/class/powercap/intel-rapl:0/energy_uj", root);
    VT_CHECK_INT(mkfifo(fifo, 0600), 0);
    alarm(10); /* a regression ends the test instead of hanging it */
    VT_CHECK_INT(vt_sensor_open(&desc, &s, &err), VT_E_NOINPUT);
    alarm(0);
    want = vt_xasprintf("%s: cannot read: it is a named pipe, a device or a socket, not a regular "
                        "file",
                        fifo);
    VT_CHECK_STR(err.message, want);
    free(want);
    free(fifo);
    /* No zone at all. */
    remove_tree(root);
    mkdirs(root);
    VT_CHECK_INT(vt_sensor_open(&desc, &s, &err), VT_E_NOINPUT);
    want = vt_xasprintf("%s/class/powercap: no RAPL package or DRAM zone (a CPU without RAPL, a "
                        "virtual machine, or the intel_rapl_common module is not loaded)",
                        root);
    VT_CHECK_STR(err.message, want);
    free(want);
    remove_tree(root);
    free(root);
}

/* Hostile trees: out-of-range numbers, empty files, huge names. Errors, never crashes. */
static void test_hostile_trees(void) {
    char *root = make_root();
    vt_sensor_desc desc = {.spec = "rapl", .sysfs_root = root};
    static const char *const counters[] = {"99999999999999999999999\n", "", "12abc", "-5\n"};
    for (size_t i = 0; i < sizeof counters / sizeof counters[0]; i++) {
        put_rapl(root, counters[i], "1\n");
        vt_sensor *s;
        vt_error err = {0};
        VT_CHECK_INT(vt_sensor_open(&desc, &s, &err), VT_E_DATAERR);
        VT_CHECK(strstr(err.message, "intel-rapl:0/energy_uj: not an energy count: ") != NULL);
    }
    /* A name too long to be one, a zone number too large, a max range below the value. */
    char *long_name = vt_xcalloc(1, 70000);
    memset(long_name, 'p', 69999);
    put_rapl(root, "50\n", "1\n");
    put(root, "class/powercap/intel-rapl:0:2/name", long_name);
    put(root, "class/powercap/intel-rapl:99999999999999999999/name", "package-99999999999\n");
    put(root, "class/powercap/intel-rapl:99999999999999999999/energy_uj", "7\n");
    put(root, "class/powercap/intel-rapl:0/max_energy_range_uj", "10\n");
    vt_sensor *s = open_ok(&desc);
    VT_CHECK_STR(vt_sensor_describe(s), "CPU package 0 + CPU package 9999 (RAPL)");
    read_ok(s, 1);
    put(root, "class/powercap/intel-rapl:0/energy_uj", "40\n"); /* down, outside the range */
    vt_power_reading r = read_ok(s, 2);
    VT_CHECK(!r.has_watts); /* taken as a reset, not as a wrap */
    vt_sensor_close(s);
    free(long_name);
    remove_tree(root);
    free(root);
}

/* ---- hwmon ---- */

static void put_hwmon(const char *root) {
    put(root, "class/hwmon/hwmon0/name", "amdgpu\n");
    put(root, "class/hwmon/hwmon0/power1_average", "35000000\n");
    put(root, "class/hwmon/hwmon0/power1_input", "99000000\n"); /* average wins */
    put(root, "class/hwmon/hwmon1/name", "k10temp\n");
    put(root, "class/hwmon/hwmon1/temp1_input", "45000\n");
    /* The ACPI driver's whole-machine meter: power1_average (and its interval), no input. */
    put(root, "class/hwmon/hwmon2/name", "power_meter\n");
    put(root, "class/hwmon/hwmon2/power1_average", "120000000\n");
    put(root, "class/hwmon/hwmon2/power1_average_interval", "1000\n");
    put(root, "class/hwmon/hwmon3/name", "i915\n");
    put(root, "class/hwmon/hwmon3/energy1_input", "1000000\n");
}

static void test_hwmon(void) {
    char *root = make_root();
    put_hwmon(root);
    /* The whole machine's meter covers the GPUs: it is read alone, never summed with them. */
    vt_sensor_desc desc = {.spec = "hwmon", .sysfs_root = root};
    vt_sensor *s = open_ok(&desc);
    VT_CHECK_STR(vt_sensor_describe(s), "power_meter (hwmon2)");
    vt_power_reading r = read_ok(s, 10 * SEC);
    VT_CHECK(r.has_watts);
    VT_CHECK_NEAR(r.watts, 120.0, 1e-9);
    put(root, "class/hwmon/hwmon3/energy1_input", "11000000\n"); /* +10 J in 2 s */
    r = read_ok(s, 12 * SEC);
    VT_CHECK_NEAR(r.watts, 120.0, 1e-9);
    vt_sensor_close(s);

    /* Without it: the parts, summed. */
    char *meter = vt_xasprintf("%s/class/hwmon/hwmon2/power1_average", root);
    VT_CHECK_INT(remove(meter), 0);
    s = open_ok(&desc);
    VT_CHECK_STR(vt_sensor_describe(s), "amdgpu (hwmon0), i915 (hwmon3)");
    r = read_ok(s, 20 * SEC);
    VT_CHECK(!r.has_watts); /* i915 counts energy: no interval yet */
    VT_CHECK(!r.has_energy);
    put(root, "class/hwmon/hwmon3/energy1_input", "21000000\n"); /* +10 J in 2 s */
    r = read_ok(s, 22 * SEC);
    VT_CHECK(r.has_watts);
    VT_CHECK_NEAR(r.watts, 35.0 + 5.0, 1e-9);
    vt_sensor_close(s);
    put(root, "class/hwmon/hwmon2/power1_average", "120000000\n");
    free(meter);

    desc.spec = "hwmon:power_meter";
    s = open_ok(&desc);
    VT_CHECK_STR(vt_sensor_describe(s), "power_meter (hwmon2)");
    VT_CHECK_NEAR(read_ok(s, 1).watts, 120.0, 1e-12);
    vt_sensor_close(s);

    desc.spec = "hwmon:amdgpu";
    s = open_ok(&desc);
    VT_CHECK_STR(vt_sensor_describe(s), "amdgpu (hwmon0)");
    r = read_ok(s, 1);
    VT_CHECK(r.has_watts);
    VT_CHECK_NEAR(r.watts, 35.0, 1e-12);
    vt_sensor_close(s);

    /* power1_input alone, and a chip that is not there. */
    put(root, "class/hwmon/hwmon4/name", "radeon\n");
    put(root, "class/hwmon/hwmon4/power1_input", "17250000\n");
    desc.spec = "hwmon:radeon";
    s = open_ok(&desc);
    VT_CHECK_NEAR(read_ok(s, 1).watts, 17.25, 1e-12);
    vt_sensor_close(s);
    desc.spec = "hwmon:nvidia";
    vt_error err = {0};
    VT_CHECK_INT(vt_sensor_open(&desc, &s, &err), VT_E_NOINPUT);
    char *want = vt_xasprintf("%s/class/hwmon: no hwmon chip named \"nvidia\" with a power or "
                              "energy reading (the names are in %s/class/hwmon/hwmon*/name)",
                              root, root);
    VT_CHECK_STR(err.message, want);
    free(want);
    remove_tree(root);
    free(root);
}

/* ---- the power file ---- */

static vt_status parse(const char *text, double *w, vt_error *err) {
    return vt_sensor_parse_watts(text, strlen(text), "meter.txt", w, err);
}

static void test_parse_watts(void) {
    static const struct {
        const char *text;
        double watts;
    } good[] = {
        {"42\n", 42}, {"12.5 W", 12.5}, {"  7.25W \n", 7.25},       {"0", 0},
        {".5", 0.5},  {"3.", 3},        {"99999.99\r\n", 99999.99}, {"0.000001", 1e-6},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        double w = -1;
        vt_error err = {0};
        VT_CHECK_INT(parse(good[i].text, &w, &err), VT_OK);
        VT_CHECK_NEAR(w, good[i].watts, 0);
    }
    static const struct {
        const char *text, *message;
    } bad[] = {
        {"abc", "meter.txt: not a power reading: found \"abc\"; expected one number of watts, "
                "such as \"12.5\" or \"12.5 W\""},
        {"-3 W\n", "meter.txt: negative power: found \"-3 W\\x0a\"; a power reading is 0 W or "
                   "more"},
        {" \n", "meter.txt: the file is empty; expected one number of watts, such as \"12.5\""},
        {"100000", "meter.txt: 100000 W is beyond what one installation draws (the limit is "
                   "100000 W); is the value in milliwatts?"},
        {"1e3", "meter.txt: not a power reading: found \"1e3\"; expected one number of watts, "
                "such as \"12.5\" or \"12.5 W\""},
        {"nan", NULL},
        {"inf", NULL},
        {"12 kW", NULL},
        {"12 W W", NULL},
        {"1.2.3", NULL},
        {".", NULL},
        {"+5", NULL},
        {"5 5", NULL},
        {"0x10", NULL},
        {"W", NULL},
        {"1234567890123456", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double w = -1;
        vt_error err = {0};
        VT_CHECK_INT(parse(bad[i].text, &w, &err), VT_E_DATAERR);
        VT_CHECK_NEAR(w, 0, 0);
        if (bad[i].message) {
            VT_CHECK_STR(err.message, bad[i].message);
        }
    }
    /* A NUL inside and a long line are shown escaped and cut. */
    double w;
    vt_error err = {0};
    VT_CHECK_INT(vt_sensor_parse_watts("1\0002", 3, "m", &w, &err), VT_E_DATAERR);
    VT_CHECK_STR(err.message, "m: not a power reading: found \"1\\x002\"; expected one number "
                              "of watts, such as \"12.5\" or \"12.5 W\"");
    VT_CHECK_INT(parse("12345678901234567890123456789", &w, &err), VT_E_DATAERR);
    VT_CHECK_STR(err.message, "meter.txt: not a power reading: found "
                              "\"123456789012345678901234...\"; expected one number of watts, "
                              "such as \"12.5\" or \"12.5 W\"");
}

static void set_mtime_ago(const char *path, double seconds) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct timespec times[2] = {{.tv_nsec = UTIME_OMIT},
                                {.tv_sec = now.tv_sec - (time_t)seconds, .tv_nsec = now.tv_nsec}};
    VT_CHECK_INT(utimensat(AT_FDCWD, path, times, 0), 0);
}

static void test_file_sensor(void) {
    char *root = make_root();
    char *path = vt_xasprintf("%s/watts", root);
    char *spec = vt_xasprintf("file:%s", path);
    put(root, "watts", "12.5 W\n");
    vt_sensor_desc desc = {.spec = spec, .stale_after = 10};
    vt_sensor *s = open_ok(&desc);
    char *label = vt_xasprintf("power file %s", path);
    VT_CHECK_STR(vt_sensor_describe(s), label);
    VT_CHECK_STR(vt_sensor_covers(s), label);
    /* The operator's words for what the meter sees replace the file's name there only. */
    vt_sensor_desc labelled = desc;
    labelled.covers = "smart plug: PC, screen";
    vt_sensor *named = open_ok(&labelled);
    VT_CHECK_STR(vt_sensor_covers(named), "smart plug: PC, screen");
    VT_CHECK_STR(vt_sensor_describe(named), label);
    vt_sensor_close(named);
    free(label);
    vt_power_reading r = read_ok(s, 100 * SEC);
    VT_CHECK(r.has_watts && !r.has_energy && !r.estimated);
    VT_CHECK_NEAR(r.watts, 12.5, 0);
    /* Not modified for 11 s of the caller's time: stale. */
    vt_error err = {0};
    VT_CHECK_INT(vt_sensor_read(s, 111 * SEC, &r, &err), VT_E_DATAERR);
    char *want = vt_xasprintf("%s: stale: last updated 11 s ago (readings older than 10 s are "
                              "not trusted); check that the program writing it is running, or "
                              "raise stale_after",
                              path);
    VT_CHECK_STR(err.message, want);
    free(want);
    /* The poller writes again: trusted again, re-read each time. */
    put(root, "watts", "30\n");
    set_mtime_ago(path, 0);
    VT_CHECK_NEAR(read_ok(s, 112 * SEC).watts, 30, 0);
    /* A file last written an hour ago is stale at once. */
    set_mtime_ago(path, 3600);
    VT_CHECK_INT(vt_sensor_read(s, 113 * SEC, &r, &err), VT_E_DATAERR);
    VT_CHECK(strstr(err.message, ": stale: last updated 3600 s ago") != NULL);
    /* Garbage and a vanished file. */
    put(root, "watts", "error: timeout\n");
    VT_CHECK_INT(vt_sensor_read(s, 114 * SEC, &r, &err), VT_E_DATAERR);
    want = vt_xasprintf("%s: not a power reading: found \"error: timeout\\x0a\"; expected one "
                        "number of watts, such as \"12.5\" or \"12.5 W\"",
                        path);
    VT_CHECK_STR(err.message, want);
    free(want);
    unlink(path);
    VT_CHECK_INT(vt_sensor_read(s, 115 * SEC, &r, &err), VT_E_NOINPUT);
    want = vt_xasprintf("%s: cannot read: No such file or directory", path);
    VT_CHECK_STR(err.message, want);
    free(want);
    /* A FIFO put in its place (nobody writing to it) is refused at once, never waited on. */
    VT_CHECK_INT(mkfifo(path, 0600), 0);
    alarm(10); /* a regression ends the test instead of hanging it */
    VT_CHECK_INT(vt_sensor_read(s, 116 * SEC, &r, &err), VT_E_NOINPUT);
    want = vt_xasprintf("%s: cannot read the power file: it is a named pipe (FIFO), not a regular "
                        "file; have the program that polls the meter write the reading to a file "
                        "(then rename it into place)",
                        path);
    VT_CHECK_STR(err.message, want);
    vt_sensor_close(s);
    /* ... and at open. */
    VT_CHECK_INT(vt_sensor_open(&desc, &s, &err), VT_E_NOINPUT);
    VT_CHECK_STR(err.message, want);
    free(want);
    alarm(0);
    unlink(path);
    /* Missing at open. */
    VT_CHECK_INT(vt_sensor_open(&desc, &s, &err), VT_E_NOINPUT);
    want = vt_xasprintf("%s: cannot open the power file: No such file or directory; check the "
                        "path, and that the program writing it has started",
                        path);
    VT_CHECK_STR(err.message, want);
    free(want);
    free(spec);
    free(path);
    remove_tree(root);
    free(root);
}

/* ---- NVML ---- */

static void test_nvml_missing(void) {
    vt_sensor_desc desc = {.spec = "nvml", .nvml_library = "/nonexistent/libnvidia-ml.so.1"};
    vt_sensor *s;
    vt_error err = {0};
    VT_CHECK_INT(vt_sensor_open(&desc, &s, &err), VT_E_NOINPUT);
    VT_CHECK_STR(err.message, "no NVIDIA driver (/nonexistent/libnvidia-ml.so.1 not found)");
    /* The default name: on a machine without the driver, the message the issue asks for. */
    desc.nvml_library = NULL;
    if (vt_sensor_open(&desc, &s, &err) == VT_OK) {
        printf("NVML found here: %s\n", vt_sensor_describe(s));
        vt_sensor_close(s);
    } else if (strncmp(err.message, "no NVIDIA", 9) == 0) {
        VT_CHECK_STR(err.message, "no NVIDIA driver (libnvidia-ml.so.1 not found)");
    }
}

/* A fake driver: two GPUs, the second with an energy counter only when gpu1_counts. Test-only
 * state. */
static struct {
    unsigned long long energy_mj[2];
    bool gpu1_counts;
    int init_result;
    int shutdowns;
} fake;

static nvml_ret fake_init(void) {
    return fake.init_result;
}
static nvml_ret fake_shutdown(void) {
    fake.shutdowns++;
    return 0;
}
static nvml_ret fake_count(unsigned int *n) {
    *n = 2;
    return 0;
}
static nvml_ret fake_handle(unsigned int i, nvml_device *d) {
    *d = (nvml_device)(uintptr_t)(i + 1);
    return 0;
}
static nvml_ret fake_power(nvml_device d, unsigned int *mw) {
    *mw = (uintptr_t)d == 1 ? 150000 : 75500;
    return 0;
}
static nvml_ret fake_energy(nvml_device d, unsigned long long *mj) {
    unsigned i = (unsigned)(uintptr_t)d - 1;
    *mj = fake.energy_mj[i];
    return i == 0 || fake.gpu1_counts ? 0 : 3; /* 3: NVML_ERROR_NOT_SUPPORTED */
}
static const char *fake_error(nvml_ret r) {
    return r == 9 ? "Driver Not Loaded" : "Unknown Error";
}

static void test_nvml_api(void) {
    sensor_nvml_api api = {fake_init,  fake_shutdown, fake_count, fake_handle,
                           fake_power, fake_energy,   fake_error};
    sensor_source *src;
    vt_error err = {0};
    fake.energy_mj[0] = 5000;
    VT_CHECK_INT(sensor_nvml_open_api(&api, NULL, &src, &err), VT_OK);
    VT_CHECK_STR(src->label, "GPU 0 board + GPU 1 board (NVML)");
    sensor_sample smp;
    VT_CHECK_INT(src->ops->sample(src, 0, 0, &smp, &err), VT_OK);
    VT_CHECK(smp.has_power);
    VT_CHECK_NEAR(smp.watts, 225.5, 1e-9);
    VT_CHECK(!smp.has_energy); /* GPU 1 has no counter */
    src->ops->close(src);
    VT_CHECK_INT(fake.shutdowns, 1);
    /* Both boards count millijoules: each sample gives the joules since the previous one, the
     * sum of the two increases; a counter that goes back (the driver reloaded) gives no figure
     * for that interval, and the next one counts again from the new value. */
    fake.gpu1_counts = true;
    fake.energy_mj[1] = 123456789012ULL;
    VT_CHECK_INT(sensor_nvml_open_api(&api, NULL, &src, &err), VT_OK);
    VT_CHECK_INT(src->ops->sample(src, 0, 0, &smp, &err), VT_OK);
    VT_CHECK(smp.has_energy && !smp.primed); /* no previous sample */
    fake.energy_mj[0] += 2500;               /* 2.5 J */
    fake.energy_mj[1] += 750;                /* 0.75 J */
    VT_CHECK_INT(src->ops->sample(src, SEC, SEC, &smp, &err), VT_OK);
    VT_CHECK(smp.has_energy && smp.primed);
    VT_CHECK_NEAR(smp.energy_j, 3.25, 1e-9);
    fake.energy_mj[0] = 400; /* reset */
    fake.energy_mj[1] += 1000;
    VT_CHECK_INT(src->ops->sample(src, 2 * SEC, SEC, &smp, &err), VT_OK);
    VT_CHECK(smp.has_energy && !smp.primed);
    fake.energy_mj[0] += 600;
    fake.energy_mj[1] += 250;
    VT_CHECK_INT(src->ops->sample(src, 3 * SEC, SEC, &smp, &err), VT_OK);
    VT_CHECK(smp.has_energy && smp.primed);
    VT_CHECK_NEAR(smp.energy_j, 0.85, 1e-9);
    VT_CHECK_NEAR(smp.watts, 225.5, 1e-9);
    src->ops->close(src);
    VT_CHECK_INT(fake.shutdowns, 2);
    fake.gpu1_counts = false;
    /* The driver not loaded: NVML's own words. */
    fake.init_result = 9;
    VT_CHECK_INT(sensor_nvml_open_api(&api, NULL, &src, &err), VT_E_NOINPUT);
    VT_CHECK_STR(err.message, "NVML: cannot start: Driver Not Loaded (is the NVIDIA driver "
                              "loaded? nvidia-smi tells)");
    VT_CHECK_INT(fake.shutdowns, 2);
    fake.init_result = 0;
}

/* ---- the model ---- */

static void test_model(void) {
    vt_sensor_desc desc = {
        .spec = "model",
        .profile = {.idle_w = 20, .cpu_w_per_core = 10, .gpu_w = 50, .joules_per_pixel = 1e-8}};
    vt_sensor *s = open_ok(&desc);
    VT_CHECK_STR(vt_sensor_describe(s), "estimated from the engine's work (model: 20 W idle + "
                                        "10 W per busy core + 50 W busy GPU + 1e-08 J per pixel)");
    vt_sensor_model_feed(s, 5, 5, 5); /* before the first read: no interval, dropped */
    vt_power_reading r = read_ok(s, 0);
    VT_CHECK(!r.has_watts && r.estimated && r.has_energy);
    /* 2 s: 20*2 + 10*1 + 50*0.5 + 1e-8*1e8 = 76 J, 38 W. */
    vt_sensor_model_feed(s, 0.75, 6e7, 0.5);
    vt_sensor_model_feed(s, 0.25, 4e7, 0);
    vt_sensor_model_feed(s, -1, NAN, INFINITY); /* ignored */
    r = read_ok(s, 2 * SEC);
    VT_CHECK(r.has_watts && r.estimated);
    VT_CHECK_NEAR(r.watts, 38.0, 1e-9);
    VT_CHECK_NEAR(r.joules, 76.0, 1e-9);
    r = read_ok(s, 3 * SEC); /* nothing fed: idle */
    VT_CHECK_NEAR(r.watts, 20.0, 1e-9);
    VT_CHECK_NEAR(r.joules, 96.0, 1e-9);
    vt_sensor_close(s);
    /* Defaults, and a negative coefficient for a true zero. */
    vt_sensor_desc defaults = {.spec = "model", .profile = {.gpu_w = -1}};
    s = open_ok(&defaults);
    VT_CHECK_STR(vt_sensor_describe(s), "estimated from the engine's work (model: 30 W idle + "
                                        "8 W per busy core + 0 W busy GPU + 2e-08 J per pixel)");
    vt_sensor_close(s);
}

/* ---- auto, spec errors and the report ---- */

static void test_auto(void) {
    char *root = make_root();
    put_rapl(root, "1000000\n", "1000000\n");
    put_hwmon(root);
    vt_sensor_desc desc = {.sysfs_root = root, .nvml_library = "/nonexistent/nvml.so"};
    vt_sensor *s = open_ok(&desc);
    /* power_meter (the whole machine) would count everything twice; i915 is a GPU. */
    VT_CHECK_STR(vt_sensor_describe(s),
                 "CPU package 0 + DRAM (RAPL), amdgpu (hwmon0), i915 (hwmon3)");
    VT_CHECK_STR(vt_sensor_covers(s), vt_sensor_describe(s));
    read_ok(s, SEC);
    put(root, "class/powercap/intel-rapl:0/energy_uj", "11000000\n");  /* +10 J */
    put(root, "class/powercap/intel-rapl:0:2/energy_uj", "3000000\n"); /* +2 J */
    put(root, "class/hwmon/hwmon3/energy1_input", "5000000\n");        /* +4 J */
    vt_power_reading r = read_ok(s, 3 * SEC);
    VT_CHECK(r.has_watts && !r.has_energy && !r.estimated);
    VT_CHECK_NEAR(r.watts, 5.0 + 1.0 + 35.0 + 2.0, 1e-9);
    vt_sensor_close(s);

    /* Nothing readable: the model, and why. */
    remove_tree(root);
    mkdirs(root);
    desc.spec = "auto";
    s = open_ok(&desc);
    char *want = vt_xasprintf(
        "estimated from the engine's work (model: 30 W idle + 8 W per busy core + 40 W busy GPU "
        "+ 2e-08 J per pixel), as no power sensor is readable: %s/class/powercap: no RAPL "
        "package or DRAM zone (a CPU without RAPL, a virtual machine, or the intel_rapl_common "
        "module is not loaded); no NVIDIA driver (/nonexistent/nvml.so not found); "
        "%s/class/hwmon: no GPU chip with a power or energy reading (power1_average, "
        "power1_input or energy1_input)",
        root, root);
    VT_CHECK_STR(vt_sensor_describe(s), want);
    free(want);
    /* What it covers is the model's estimate, without the reasons (the ledger's column). */
    VT_CHECK_STR(vt_sensor_covers(s),
                 "estimated from the engine's work (model: 30 W idle + 8 W per busy core + 40 W "
                 "busy GPU + 2e-08 J per pixel)");
    VT_CHECK(read_ok(s, 1).estimated);
    vt_sensor_close(s);
    remove_tree(root);
    free(root);
}

static void test_spec_errors(void) {
    static const struct {
        const char *spec, *message;
    } cases[] = {
        {"rapel", "unknown power sensor \"rapel\"; did you mean \"rapl\"? the sensors are auto, "
                  "rapl, nvml, hwmon, hwmon:<chip>, file:/path and model"},
        {"modle", "unknown power sensor \"modle\"; did you mean \"model\"? the sensors are "
                  "auto, rapl, nvml, hwmon, hwmon:<chip>, file:/path and model"},
        {"fiel:/x", "unknown power sensor \"fiel:/x\"; did you mean \"file\"? the sensors are "
                    "auto, rapl, nvml, hwmon, hwmon:<chip>, file:/path and model"},
        {"smartplug", "unknown power sensor \"smartplug\"; the sensors are auto, rapl, nvml, "
                      "hwmon, hwmon:<chip>, file:/path and model"},
        {"file:", "the file sensor needs the file's path, as in file:/run/vitrine/watts"},
        {"hwmon:", "\"hwmon:\" needs a chip name, as in hwmon:amdgpu"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vt_sensor_desc desc = {.spec = cases[i].spec};
        vt_sensor *s = (vt_sensor *)1;
        vt_error err = {0};
        VT_CHECK_INT(vt_sensor_open(&desc, &s, &err), VT_E_USAGE);
        VT_CHECK(s == NULL);
        VT_CHECK_STR(err.message, cases[i].message);
    }
    vt_sensor_close(NULL);
    vt_power_reading r;
    vt_error err = {0};
    VT_CHECK_INT(vt_sensor_read(NULL, 0, &r, &err), VT_E_SOFTWARE);
    VT_CHECK_STR(vt_sensor_describe(NULL), "no sensor");
    VT_CHECK_STR(vt_sensor_covers(NULL), "no sensor");
    vt_sensor_model_feed(NULL, 1, 1, 1);
}

static char *report_text(const vt_sensor_desc *desc) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    vt_sensors_report(desc, f);
    fclose(f);
    return buf;
}

static void test_report(void) {
    char *root = make_root();
    put_rapl(root, "1\n", "1\n");
    put(root, "class/hwmon/hwmon0/name", "amdgpu\n");
    put(root, "class/hwmon/hwmon0/power1_input", "1\n");
    vt_sensor_desc desc = {.sysfs_root = root, .nvml_library = "/nonexistent/nvml.so"};
    char *got = report_text(&desc);
    char *want = vt_xasprintf(
        "Power sensors (sysfs under %s, NVML from /nonexistent/nvml.so):\n"
        "  rapl   found: CPU package 0 + DRAM (RAPL) (core and uncore zones are inside the "
        "package: not added)\n"
        "  nvml   missing: no NVIDIA driver (/nonexistent/nvml.so not found)\n"
        "  hwmon  found: amdgpu (hwmon0) (auto adds GPU chips only: amdgpu, radeon, nouveau, "
        "i915, xe)\n"
        "  file   give file:/path to read a file a power meter's poller writes (watts; stale "
        "after 30 s)\n"
        "  model  found: estimated from the engine's work (model: 30 W idle + 8 W per busy core "
        "+ 40 W busy GPU + 2e-08 J per pixel)\n"
        "auto uses: CPU package 0 + DRAM (RAPL), amdgpu (hwmon0)\n",
        root);
    VT_CHECK_STR(got, want);
    free(want);
    free(got);
    /* This machine's own /sys: whatever is there, the report is written. */
    got = report_text(NULL);
    VT_CHECK(got && strstr(got, "\nauto uses: ") != NULL);
    printf("--- vt_sensors_report on this machine ---\n%s---\n", got ? got : "");
    free(got);
    remove_tree(root);
    free(root);
}

int main(void) {
    test_rapl();
    test_rapl_denied();
    test_hostile_trees();
    test_hwmon();
    test_parse_watts();
    test_file_sensor();
    test_nvml_missing();
    test_nvml_api();
    test_model();
    test_auto();
    test_spec_errors();
    test_report();
    return vt_test_finish("test_sensor");
}
