/* The brightness actuator against a fake backlight folder and a fake ddcutil: values written and
 * clamped, rate limiting, backoff after failures, restore at close, the messages for a missing
 * or unwritable backlight; and the operator config's `display:` block. */
#include "app/app_internal.h"
#include "governor/vt_brightness.h"
#include "config/vt_config.h"
#include "vt_test.h"
#include "diag_util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MS INT64_C(1000000)

static char root[64]; /* the fake sysfs tree */

static void put(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    fputs(text, f);
    fclose(f);
}

static char *get(const char *path) {
    static char buf[256];
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    buf[n] = '\0';
    if (f) {
        fclose(f);
    }
    return buf;
}

static char *at(const char *rel) {
    static char path[4][256];
    static int i;
    i = (i + 1) % 4;
    snprintf(path[i], sizeof path[i], "%s/%s", root, rel);
    return path[i];
}

static void fake_backlight(const char *name, const char *max, const char *now) {
    char dir[256], file[300];
    snprintf(dir, sizeof dir, "%s/class/backlight/%s", root, name);
    mkdir(dir, 0755);
    snprintf(file, sizeof file, "%s/max_brightness", dir);
    put(file, max);
    snprintf(file, sizeof file, "%s/brightness", dir);
    put(file, now);
}

static vt_brightness *open_ok(const vt_brightness_desc *d) {
    vt_brightness *disp = NULL;
    vt_error err = {0};
    vt_status st = vt_brightness_open(d, &disp, &err);
    if (st != VT_OK) {
        fprintf(stderr, "vt_brightness_open: %s\n", err.message);
    }
    VT_CHECK_INT(st, VT_OK);
    return disp;
}

static void test_backlight(void) {
    fake_backlight("panel", "1000\n", "400\n");
    vt_brightness_desc d = {
        .kind = VT_BRIGHTNESS_BACKLIGHT, .backlight = "panel", .sysfs_root = root, .min = 0.6};
    vt_brightness *disp = open_ok(&d);
    vt_brightness_info info;
    vt_brightness_info_get(disp, &info);
    VT_CHECK_INT(info.max, 1000);
    VT_CHECK_INT(info.original, 400);
    VT_CHECK_INT(info.current, 400);
    VT_CHECK_INT(info.full, 400); /* what the room set: the governor only dims from there */
    const char *file = at("class/backlight/panel/brightness");
    char *expected =
        vt_xasprintf("backlight %s/class/backlight/panel (max 1000, at start 400)", root);
    VT_CHECK_STR(vt_brightness_describe(disp), expected);
    free(expected);

    int64_t t = 1000 * MS;
    vt_brightness_set(disp, t, 0.8);
    VT_CHECK_STR(get(file), "320\n");
    /* Within the rate limit (0.25 s) a change waits; poll says when it is due. */
    vt_brightness_set(disp, t + 100 * MS, 0.7);
    VT_CHECK_STR(get(file), "320\n");
    VT_CHECK_INT(vt_brightness_poll(disp, t + 100 * MS), t + 250 * MS);
    VT_CHECK_INT(vt_brightness_poll(disp, t + 300 * MS), INT64_MAX);
    VT_CHECK_STR(get(file), "280\n");
    /* The same value again writes nothing. */
    vt_brightness_set(disp, t + 600 * MS, 0.7);
    vt_brightness_info_get(disp, &info);
    VT_CHECK_INT(info.writes, 2);
    /* Clamped to [min, 1] x full; NaN ignored. */
    vt_brightness_set(disp, t + 900 * MS, 0.3);
    VT_CHECK_STR(get(file), "240\n");
    vt_brightness_set(disp, t + 1200 * MS, 1.5);
    VT_CHECK_STR(get(file), "400\n");
    /* A change asked for within the rate limit and taken back before it was due writes
     * nothing. */
    vt_brightness_set(disp, t + 1300 * MS, 0.9);
    VT_CHECK_INT(vt_brightness_poll(disp, t + 1300 * MS), t + 1450 * MS);
    vt_brightness_set(disp, t + 1350 * MS, 1.0);
    VT_CHECK_INT(vt_brightness_poll(disp, t + 2000 * MS), INT64_MAX);
    vt_brightness_set(disp, t + 2500 * MS, NAN);
    VT_CHECK_STR(get(file), "400\n");
    vt_brightness_info_get(disp, &info);
    VT_CHECK_INT(info.writes, 4);
    VT_CHECK_INT(info.current, 400);
    VT_CHECK_INT(info.failures, 0);
    /* The brightness found at open comes back at close. */
    vt_brightness_close(disp);
    VT_CHECK_STR(get(file), "400\n");
    vt_brightness_close(NULL);

    /* A folder named by its path; the default floor (5 %) and never 0, which turns some
     * backlights off altogether. */
    fake_backlight("tiny", "10", "10");
    vt_brightness_desc byfolder = {.kind = VT_BRIGHTNESS_BACKLIGHT,
                                .backlight = at("class/backlight/tiny")};
    disp = open_ok(&byfolder);
    vt_brightness_set(disp, 0, 0.0);
    VT_CHECK_STR(get(at("class/backlight/tiny/brightness")), "1\n");
    vt_brightness_close(disp);
    VT_CHECK_STR(get(at("class/backlight/tiny/brightness")), "10\n");
    fake_backlight("off", "255\n", "0\n"); /* found off: full is the maximum */
    vt_brightness_desc off = {.kind = VT_BRIGHTNESS_BACKLIGHT, .backlight = "off", .sysfs_root = root};
    disp = open_ok(&off);
    vt_brightness_set(disp, 0, 0.5);
    VT_CHECK_STR(get(at("class/backlight/off/brightness")), "128\n");
    vt_brightness_close(disp);
    VT_CHECK_STR(get(at("class/backlight/off/brightness")), "0\n");
}

/* open(2), but the brightness file is not writable (root ignores file modes), or writes to it
 * fail like a disk that is full. */
static int deny_write(const char *path, int flags) {
    if ((flags & O_ACCMODE) != O_RDONLY) {
        errno = EACCES;
        return -1;
    }
    return open(path, flags);
}

static int full_disk(const char *path, int flags) {
    return open((flags & O_ACCMODE) != O_RDONLY ? "/dev/full" : path, flags);
}

static void check_open_fails(const vt_brightness_desc *d, vt_status st, const char *message) {
    vt_brightness *disp = (vt_brightness *)d;
    vt_error err = {0};
    VT_CHECK_INT(vt_brightness_open(d, &disp, &err), st);
    VT_CHECK(disp == NULL);
    VT_CHECK_STR(err.message, message);
}

static void test_backlight_errors(void) {
    vt_brightness_desc d = {.kind = VT_BRIGHTNESS_BACKLIGHT,
                         .backlight = "panel",
                         .sysfs_root = root,
                         .where = "site.yaml:4:16",
                         .open_file = deny_write};
    char *msg = vt_xasprintf(
        "site.yaml:4:16: cannot write %s/class/backlight/panel/brightness: permission denied; "
        "let the video group write it with the udev rule in docs/operations.md (Display "
        "control) and add this user to that group (usermod -aG video USER), or run as root",
        root);
    check_open_fails(&d, VT_E_NOINPUT, msg);
    free(msg);

    d.open_file = NULL;
    d.backlight = "acpi_video0";
    msg = vt_xasprintf("site.yaml:4:16: backlight 'acpi_video0' not found (no "
                       "%s/class/backlight/acpi_video0/max_brightness); backlights on this "
                       "machine: ",
                       root);
    vt_brightness *disp = NULL;
    vt_error err = {0};
    VT_CHECK_INT(vt_brightness_open(&d, &disp, &err), VT_E_NOINPUT);
    /* The list's order is the directory's: check each name is there. */
    VT_CHECK(strncmp(err.message, msg, strlen(msg)) == 0);
    VT_CHECK(strstr(err.message + strlen(msg), "panel") && strstr(err.message, "tiny"));
    free(msg);

    fake_backlight("garbled", "many\n", "3\n");
    d.backlight = "garbled";
    msg = vt_xasprintf("site.yaml:4:16: cannot read %s/class/backlight/garbled/max_brightness: "
                       "not a positive whole number",
                       root);
    check_open_fails(&d, VT_E_NOINPUT, msg);
    free(msg);
    fake_backlight("zero", "0\n", "0\n");
    d.backlight = "zero";
    msg = vt_xasprintf("site.yaml:4:16: cannot read %s/class/backlight/zero/max_brightness: "
                       "not a positive whole number",
                       root);
    check_open_fails(&d, VT_E_NOINPUT, msg);
    free(msg);
    d.backlight = "..";
    check_open_fails(&d, VT_E_USAGE, "site.yaml:4:16: '..' is not a backlight name");
    d.where = NULL;
    d.backlight = NULL;
    check_open_fails(&d, VT_E_USAGE, "a backlight needs a name or a folder");
    d.backlight = "panel";
    d.min = 2;
    check_open_fails(&d, VT_E_USAGE,
                     "display: min (2) must be in 0..1, min_interval_s (0) in 0..3600 s, "
                     "ddcutil display (0) in 1..100");

    /* A write that fails: one warning, then writes back off (0.5 s, 1 s, ...). */
    vt_brightness_desc full = {.kind = VT_BRIGHTNESS_BACKLIGHT,
                            .backlight = "panel",
                            .sysfs_root = root,
                            .open_file = full_disk};
    disp = open_ok(&full);
    vt_brightness_set(disp, 0, 0.5);
    vt_brightness_info info;
    vt_brightness_info_get(disp, &info);
    VT_CHECK_INT(info.failures, 1);
    msg = vt_xasprintf("cannot write %s/class/backlight/panel/brightness: No space left on device",
                       root);
    VT_CHECK_STR(info.last_error, msg);
    VT_CHECK_INT(vt_brightness_poll(disp, 100 * MS), 500 * MS);
    VT_CHECK_INT(vt_brightness_poll(disp, 500 * MS), 1500 * MS); /* failed again: 1 s */
    vt_brightness_info_get(disp, &info);
    VT_CHECK_INT(info.failures, 2);
    VT_CHECK_INT(info.writes, 2);
    vt_brightness_close(disp); /* the restore fails too: a warning, no crash */
    free(msg);
}

/* A fake ddcutil: logs its arguments, answers getvcp, fails while a flag file exists. */
static void fake_ddcutil(char *prog, size_t cap) {
    snprintf(prog, cap, "%s/ddcutil", root);
    char *script = vt_xasprintf("#!/bin/sh\n"
                                "echo \"$*\" >> %s/ddc.log\n"
                                "[ -e %s/ddc.fail ] && exit 3\n"
                                "[ \"$1\" = getvcp ] && echo 'VCP 10 C 70 100'\n"
                                "[ -e %s/ddc.slow ] && sleep 3 && echo \"$*\" >> %s/ddc.slow\n"
                                "exit 0\n",
                                root, root, root, root);
    put(prog, script);
    free(script);
    chmod(prog, 0755);
}

/* Waits (for real) until the running ddcutil has finished and been collected. */
static void settle(vt_brightness *d, int64_t t) {
    vt_brightness_info info;
    for (int i = 0; i < 500; i++) {
        vt_brightness_poll(d, t);
        vt_brightness_info_get(d, &info);
        if (!info.busy) {
            return;
        }
        struct timespec pause = {0, 10 * MS};
        nanosleep(&pause, NULL);
    }
    VT_CHECK(!info.busy);
}

static void test_ddcutil(void) {
    char prog[128];
    fake_ddcutil(prog, sizeof prog);
    vt_brightness_desc d = {
        .kind = VT_BRIGHTNESS_DDCUTIL, .ddcutil = prog, .ddc_display = 2, .min_interval_s = 0.5};
    vt_brightness *disp = open_ok(&d);
    vt_brightness_info info;
    vt_brightness_info_get(disp, &info);
    VT_CHECK_INT(info.max, 100);
    VT_CHECK_INT(info.original, 70);
    int64_t t = 10000 * MS;
    vt_brightness_set(disp, t, 0.8); /* started, not waited for */
    vt_brightness_info_get(disp, &info);
    VT_CHECK_INT(info.writes, 1);
    settle(disp, t);
    vt_brightness_set(disp, t + 100 * MS, 0.6); /* rate limit: later */
    vt_brightness_info_get(disp, &info);
    VT_CHECK_INT(info.writes, 1);
    VT_CHECK_INT(vt_brightness_poll(disp, t + 100 * MS), t + 500 * MS);
    vt_brightness_poll(disp, t + 500 * MS);
    settle(disp, t + 500 * MS);
    /* The monitor stops answering: one warning, then a doubled interval. */
    put(at("ddc.fail"), "");
    vt_brightness_set(disp, t + 2000 * MS, 0.9);
    settle(disp, t + 2000 * MS);
    vt_brightness_info_get(disp, &info);
    VT_CHECK_INT(info.failures, 1);
    char *msg = vt_xasprintf("%s setvcp 10 failed with exit status 3", prog);
    VT_CHECK_STR(info.last_error, msg);
    free(msg);
    vt_brightness_set(disp, t + 2100 * MS, 0.9);
    vt_brightness_info_get(disp, &info);
    VT_CHECK_INT(info.writes, 3);
    unlink(at("ddc.fail"));
    VT_CHECK(vt_brightness_poll(disp, t + 2100 * MS) >= t + 2900 * MS);
    vt_brightness_close(disp); /* restores 70, waiting for it */
    VT_CHECK_STR(get(at("ddc.log")), "getvcp 10 --brief --display 2\n"
                                     "setvcp 10 56 --display 2\n"
                                     "setvcp 10 42 --display 2\n"
                                     "setvcp 10 63 --display 2\n"
                                     "setvcp 10 70 --display 2\n");

    d.ddcutil = "/nonexistent/ddcutil";
    d.where = "site.yaml:5:3";
    check_open_fails(&d, VT_E_NOINPUT,
                     "site.yaml:5:3: cannot run /nonexistent/ddcutil: No such file or directory "
                     "(Debian package ddcutil)");
    put(at("ddc.fail"), "");
    d.ddcutil = prog;
    check_open_fails(&d, VT_E_NOINPUT,
                     "site.yaml:5:3: ddcutil getvcp 10 failed (exit status 3): is DDC/CI on in "
                     "the monitor's menu, and may this user open /dev/i2c-* (the i2c group)?");
    unlink(at("ddc.fail"));

    /* A slow monitor at exit: 3 s to finish the write under way, 3 s more for the restore, each
     * within its own 5 s (one deadline for both once killed the restore). */
    disp = open_ok(&d);
    put(at("ddc.slow"), "");
    vt_brightness_set(disp, t, 0.5);
    vt_brightness_close(disp);
    VT_CHECK_STR(get(at("ddc.slow")), "setvcp 10 35 --display 2\nsetvcp 10 70 --display 2\n");
    unlink(at("ddc.slow"));
}

/* ---- the operator config's display block, and play's glue from it ---- */

#define PATH "config/t.yaml"
#define E(line, col, msg) PATH ":" #line ":" #col ": error: " msg "\n"

static void check_config(const char *yaml, const char *expected) {
    vt_diags d = {0};
    vt_config cfg;
    vt_status st = vt_config_load_string(yaml, strlen(yaml), PATH, &cfg, &d);
    char *got = diags_text(&d);
    VT_CHECK_INT(st, expected[0] ? VT_E_DATAERR : VT_OK);
    VT_CHECK_STR(got, expected);
    free(got);
    vt_diags_free(&d);
    vt_config_free(&cfg);
}

static void test_config(void) {
    check_config("display:\n  backlight: intel_backlight\n", "");
    check_config("display: {ddcutil: {display: 3}}\n", "");
    check_config("display:\n  ddcutil:\n", "");
    check_config("display:\n", "");
    check_config("display: intel_backlight\n",
                 E(1, 10,
                   "'display' must be a mapping, got 'intel_backlight'; write 'backlight: "
                   "NAME' or 'ddcutil: {display: 1}' on the next line, indented"));
    check_config("display:\n  backlite: x\n",
                 E(2, 3, "unknown key 'backlite' in 'display'; did you mean 'backlight'?"));
    check_config("display:\n  backlight: a b\n",
                 E(2, 14,
                   "'a b' is not a backlight name (letters, digits, '_', '-', '.', ':'); "
                   "`vitrine sensors` lists this machine's backlights"));
    check_config("display:\n  backlight: sys/class/backlight/x\n",
                 E(2, 14,
                   "a backlight folder must be an absolute path, like "
                   "/sys/class/backlight/intel_backlight, or a name, like "
                   "intel_backlight"));
    check_config("display:\n  backlight: [x]\n",
                 E(2, 14, "'backlight' must be a string, not a sequence"));
    check_config("display:\n  backlight: x\n  ddcutil: {}\n",
                 E(3, 3,
                   "'display' names both a backlight and ddcutil; keep the one that "
                   "controls this screen"));
    check_config("display:\n  ddcutil: {display: 0}\n",
                 E(2, 22, "'display' must be between 1 and 100, got 0"));
    check_config("display:\n  ddcutil: {display: 1.5}\n",
                 E(2, 22, "'display' must be an integer, got 1.5"));
    check_config("display:\n  ddcutil: {bus: 4}\n",
                 E(2, 13, "unknown key 'bus' in 'ddcutil'; valid keys: display"));
    check_config("display:\n  ddcutil: 1\n",
                 E(2, 12, "'ddcutil' must be a mapping, not a number; write it like {display: 1}"));

    /* play opens what the config names, and a missing backlight's message points at it. */
    const char *text = "format: vitrine-config/1\ndisplay:\n  backlight: nope\n";
    vt_diags d = {0};
    vt_config cfg;
    VT_CHECK_INT(vt_config_load_string(text, strlen(text), "site.yaml", &cfg, &d), VT_OK);
    VT_CHECK_STR(cfg.brightness.backlight, "nope");
    VT_CHECK_INT(cfg.brightness.line, 3);
    VT_CHECK_INT(cfg.brightness.col, 14);
    vt_brightness *disp = (vt_brightness *)&cfg;
    vt_error err = {0};
    VT_CHECK_INT(vt_config_brightness_open(&cfg, 0.6, root, &disp, &err), VT_E_NOINPUT);
    VT_CHECK(disp == NULL);
    char *prefix = vt_xasprintf("site.yaml:3:14: backlight 'nope' not found (no "
                                "%s/class/backlight/nope/max_brightness)",
                                root);
    VT_CHECK(strncmp(err.message, prefix, strlen(prefix)) == 0);
    free(prefix);
    vt_config_free(&cfg);
    text = "display:\n  backlight: panel\n";
    VT_CHECK_INT(vt_config_load_string(text, strlen(text), "site.yaml", &cfg, &d), VT_OK);
    VT_CHECK_INT(vt_config_brightness_open(&cfg, 0.6, root, &disp, &err), VT_OK);
    vt_brightness_set(disp, 0, 0.1); /* the scene's brightness.min holds */
    VT_CHECK_STR(get(at("class/backlight/panel/brightness")), "240\n");
    vt_brightness_close(disp);
    vt_config_free(&cfg);
    /* No display block: no control, no error. */
    vt_config none = {0};
    disp = (vt_brightness *)&none;
    VT_CHECK_INT(vt_config_brightness_open(&none, 0.6, root, &disp, &err), VT_OK);
    VT_CHECK(disp == NULL);
    vt_diags_free(&d);
}

/* Hostile configs: every byte of a few display blocks replaced in turn by a handful of
 * troublesome ones must load or be refused cleanly (ASan and LeakSanitizer watch). */
static void test_config_mutations(void) {
    static const char *const seeds[] = {
        "display:\n  backlight: intel_backlight\n",
        "display: {ddcutil: {display: 12}}\n",
        "display:\n  backlight: /sys/class/backlight/x\n  ddcutil: {}\n",
    };
    static const char bytes[] = {'\0', ':', '{', '}', '[', '\n', ' ', '/', '-', '9', '"', '\xff'};
    int loaded = 0, refused = 0;
    for (size_t i = 0; i < sizeof seeds / sizeof *seeds; i++) {
        size_t len = strlen(seeds[i]);
        char *text = vt_xmalloc(len + 1);
        for (size_t at_byte = 0; at_byte < len; at_byte++) {
            for (size_t b = 0; b < sizeof bytes; b++) {
                memcpy(text, seeds[i], len + 1);
                text[at_byte] = bytes[b];
                vt_diags d = {0};
                vt_config cfg;
                vt_status st = vt_config_load_string(text, len, "m.yaml", &cfg, &d);
                loaded += st == VT_OK;
                refused += st == VT_E_DATAERR && d.errors > 0;
                if (st == VT_OK && cfg.brightness.backlight) {
                    VT_CHECK(cfg.brightness.line > 0 && cfg.brightness.col > 0);
                }
                vt_config_free(&cfg);
                vt_diags_free(&d);
            }
        }
        free(text);
    }
    VT_CHECK(loaded > 0 && refused > 0);
    size_t total = 0;
    for (size_t i = 0; i < sizeof seeds / sizeof *seeds; i++) {
        total += strlen(seeds[i]) * sizeof bytes;
    }
    VT_CHECK_INT(loaded + refused, total); /* nothing else: no other status, no silent error */
}

static void test_report(void) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    vt_brightness_report(root, f);
    fclose(f);
    VT_CHECK(strstr(buf, "Display controls") != NULL);
    VT_CHECK(strstr(buf, "  backlight panel: max 1000, now 400 (40 %), writable\n") != NULL);
    VT_CHECK(strstr(buf, "  backlight garbled: unreadable") != NULL);
    VT_CHECK(strstr(buf, "  ddcutil: ") != NULL);
    free(buf);
}

int main(void) {
    snprintf(root, sizeof root, "/tmp/vt-test-display-XXXXXX");
    if (!mkdtemp(root)) {
        perror("mkdtemp");
        return 1;
    }
    mkdir(at("class"), 0755);
    mkdir(at("class/backlight"), 0755);
    test_backlight();
    test_backlight_errors();
    test_ddcutil();
    test_config();
    test_config_mutations();
    test_report();
    char *cmd = vt_xasprintf("rm -rf '%s'", root);
    if (system(cmd) != 0) {
        fprintf(stderr, "could not remove %s\n", root);
    }
    free(cmd);
    return vt_test_finish("test_display");
}
