/* Opening hours (the `schedule:` block of a scene or of the operator config): the plain data the
 * scene module fills, and the evaluation "is the exhibit open at time t, and until when?". */
#ifndef VT_HOURS_H
#define VT_HOURS_H

#include "doc/vt_doc.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define VT_SCHEDULE_RANGES 4       /* opening ranges per day */
#define VT_SCHEDULE_MAX_CLOSED 128 /* closed dates */
#define VT_SCHEDULE_MAX_LATE 64    /* exceptional dates with their own hours */
#define VT_SCHEDULE_MIN_YEAR 2000  /* dates are accepted in [2000, 2199] */
#define VT_SCHEDULE_MAX_YEAR 2199
/* *next_change when the state never changes again (no opening hours ahead, or no schedule). */
#define VT_SCHEDULE_NEVER ((time_t)INT64_MAX)

/* What the exhibit does outside opening hours. */
typedef enum vt_outside_hours {
    VT_OUTSIDE_BLANK,       /* draw nothing (black) and sleep until opening time (default) */
    VT_OUTSIDE_DISPLAY_OFF, /* also ask the display to switch off (DPMS) */
    VT_OUTSIDE_RUN,         /* keep playing: the schedule is informative only */
} vt_outside_hours;

/* One day's opening: ranges in minutes from local midnight, start < end <= 1440 (24:00), sorted
 * and not overlapping (touching ranges are merged). No range crosses midnight in v1. */
typedef struct vt_day_hours {
    struct {
        uint16_t start, end;
    } ranges[VT_SCHEDULE_RANGES];
    uint8_t count; /* 0: closed all day */
} vt_day_hours;

/* A date as days since 1970-01-01 (proleptic Gregorian), local to the schedule's zone. */
typedef struct vt_schedule_late {
    int32_t day;
    vt_day_hours hours;
} vt_schedule_late;

typedef struct vt_schedule {
    bool present;         /* the block was given; otherwise always open */
    char timezone[64];    /* an IANA name ("Europe/Paris"); "": the machine's local zone */
    vt_day_hours week[7]; /* index 0 = Monday ... 6 = Sunday */
    int32_t closed[VT_SCHEDULE_MAX_CLOSED]; /* days since 1970-01-01, sorted, no duplicates */
    size_t closed_count;
    vt_schedule_late late[VT_SCHEDULE_MAX_LATE]; /* sorted by day; a late date is never closed */
    size_t late_count;
    int outside_hours;  /* vt_outside_hours */
    bool wake_on_input; /* outside hours, a touch or key wakes the exhibit (default false) */
    int line, col;      /* the `schedule` key; 0 when absent */
} vt_schedule;

/* Days since 1970-01-01 of a proleptic Gregorian date (no checks), and back. */
int32_t vt_schedule_days(int year, int month, int day);
void vt_schedule_civil(int32_t days, int *year, int *month, int *day);

/* The hours that apply on local date `day` (days since 1970-01-01): a late date's own hours,
 * nothing on a closed date, else the weekday's. */
const vt_day_hours *vt_schedule_hours_on(const vt_schedule *s, int32_t day);

/* Is the exhibit open at UTC time t? *next_change (may be NULL) receives the first instant after
 * t at which that answer changes, or VT_SCHEDULE_NEVER. Without a schedule (!s->present):
 * always open. Wall-clock times map to instants as "the first moment the zone's clock shows that
 * time or later": an opening at 02:30 on a spring-forward night (02:00 -> 03:00) happens at
 * 03:00; a boundary at 02:30 on a fall-back night (03:00 -> 02:00) happens at the first 02:30
 * and is not repeated. Evaluates in the schedule's zone by setting TZ around localtime_r and
 * restoring it: NOT thread-safe; call from the main thread only. */
bool vt_schedule_open_at(const vt_schedule *s, time_t t, time_t *next_change);

/* The date at UTC time t (days since 1970-01-01) on the schedule's clock: in its zone (the
 * machine's with an empty `timezone`), in UTC without a schedule. Main thread only (as above). */
int32_t vt_schedule_local_day(const vt_schedule *s, time_t t);

/* Reads the `schedule:` pair of a scene or operator config into *out (hours_read.c); problems
 * go to the context's diagnostics at their line:col. */
void vt_schedule_parse(vt_vctx *c, const vt_ypair *pair, vt_schedule *out);

#endif
