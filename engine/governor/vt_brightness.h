/* The energy governor's third actuator: the display's brightness, through a backlight's sysfs
 * files or DDC/CI (the external `ddcutil` program), rate-limited and restored at exit.
 * Brightness 1 is the brightness found at open (what the room was set to): the governor only
 * ever dims from there, never makes the screen brighter than it was. */
#ifndef VT_BRIGHTNESS_H
#define VT_BRIGHTNESS_H

#include "core/vt_core.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef enum vt_brightness_kind {
    VT_BRIGHTNESS_BACKLIGHT, /* a folder with `brightness` and `max_brightness` files */
    VT_BRIGHTNESS_DDCUTIL,   /* `ddcutil setvcp 10 PERCENT --display N` (VCP 0x10: luminance) */
} vt_brightness_kind;

/* How to open a display control; zero means "default" for every field but kind. */
typedef struct vt_brightness_desc {
    vt_brightness_kind kind;
    /* Backlight: a NAME in /sys/class/backlight, or a folder path (anything with a '/'). */
    const char *backlight;
    const char *sysfs_root; /* NULL or "": "/sys" (tests point it at a fake tree) */
    int ddc_display;        /* ddcutil's --display number; 0: 1 */
    const char *ddcutil;    /* the program; NULL or "": "ddcutil", searched in PATH */
    double min;             /* brightness never set below this fraction of the maximum; 0: 0.05 */
    double min_interval_s;  /* between two writes; 0: 0.25 s (backlight), 2 s (DDC/CI, slow) */
    /* Where the control was named, prefixed to errors ("config.yaml:4:14"); NULL: nothing. */
    const char *where;
    /* Opens a file with open(2)'s flags and returns its descriptor, or -1 with errno set. NULL:
     * open(2). Tests use it to simulate what root cannot (a file that is not writable). */
    int (*open_file)(const char *path, int flags);
} vt_brightness_desc;

typedef struct vt_brightness_info {
    vt_brightness_kind kind;
    int max;         /* the raw maximum (max_brightness; 100 for DDC/CI) */
    int original;    /* the raw value found at open, restored at close */
    int full;        /* the raw value of brightness 1: the original (the maximum if that is 0) */
    int current;     /* the raw value last written (the original before any write) */
    uint64_t writes; /* values written (backlight) or commands started (DDC/CI) */
    uint64_t failures;
    bool busy;            /* a ddcutil command is running */
    char last_error[512]; /* the latest failure, for people; "" when none */
} vt_brightness_info;

typedef struct vt_brightness vt_brightness;

/* Opens the control and reads the brightness to restore at close. Errors (message prefixed
 * with desc->where): VT_E_USAGE for a bad desc; VT_E_NOINPUT when the backlight is missing,
 * unreadable or not writable (the message says how to fix it), or ddcutil cannot be run or
 * read. Opening DDC/CI runs `ddcutil getvcp 10` and waits for it (up to 5 s): call it at start,
 * never in the frame loop. */
vt_status vt_brightness_open(const vt_brightness_desc *desc, vt_brightness **out, vt_error *err);

/* Asks for `brightness` (clamped to [min, 1]; NaN ignored) at now_ns
 * (monotonic). Written at once when it changed and the rate limit allows, else remembered and
 * written by a later call or vt_brightness_poll. Never blocks: a DDC/CI command runs in its own
 * process, which is not waited for. After a failure one warning is logged and writes back off
 * (doubling the interval, up to a minute). */
void vt_brightness_set(vt_brightness *d, int64_t now_ns, double brightness);

/* Writes a remembered value when due and collects a finished ddcutil command. Returns when
 * it next needs to be called (monotonic ns), INT64_MAX when nothing is pending. */
int64_t vt_brightness_poll(vt_brightness *d, int64_t now_ns);

void vt_brightness_info_get(const vt_brightness *d, vt_brightness_info *out);
/* "backlight intel_backlight (max 19393)", "DDC/CI display 1 (ddcutil)". Owned by d. */
const char *vt_brightness_describe(const vt_brightness *d);

/* Restores the brightness found at open (waiting up to 5 s for ddcutil) and frees; NULL does
 * nothing. */
void vt_brightness_close(vt_brightness *d);

/* For `vitrine sensors`: the backlights under sysfs_root (NULL: "/sys") with their maximum,
 * current value and whether this user may write them, and whether ddcutil is installed. */
void vt_brightness_report(const char *sysfs_root, FILE *out);

#endif
