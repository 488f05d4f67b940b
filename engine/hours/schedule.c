/* Opening hours evaluated at a UTC instant: which wall-clock ranges apply on a local date, and
 * how they map to instants in the schedule's zone (DST gaps and repeats included). */
#include "hours/vt_hours.h"

#include "core/vt_core.h"
#include "io/vt_io.h"

#include <stdlib.h>
#include <string.h>

#define DAY_SECONDS 86400
/* Instants outside [1970, 2400) are not evaluated: the C library's tm_year and our day counts
 * stay far from overflow, and no exhibit runs that long. */
#define T_MAX ((time_t)13569465600) /* 2400-01-01T00:00:00Z */

int32_t vt_schedule_days(int year, int month, int day) {
    int y = year - (month <= 2);
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void vt_schedule_civil(int32_t days, int *year, int *month, int *day) {
    int32_t z = days + 719468;
    int32_t era = (z >= 0 ? z : z - 146096) / 146097;
    int32_t doe = z - era * 146097;
    int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int32_t mp = (5 * doy + 2) / 153;
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = (int)(yoe + era * 400 + (*month <= 2));
}

static bool has_day(const int32_t *days, size_t count, int32_t day) {
    for (size_t i = 0; i < count; i++) {
        if (days[i] == day) {
            return true;
        }
    }
    return false;
}

static const vt_day_hours no_hours = {0};

const vt_day_hours *vt_schedule_hours_on(const vt_schedule *s, int32_t day) {
    size_t late = s->late_count < VT_SCHEDULE_MAX_LATE ? s->late_count : VT_SCHEDULE_MAX_LATE;
    for (size_t i = 0; i < late; i++) {
        if (s->late[i].day == day) {
            return &s->late[i].hours;
        }
    }
    size_t closed =
        s->closed_count < VT_SCHEDULE_MAX_CLOSED ? s->closed_count : VT_SCHEDULE_MAX_CLOSED;
    if (has_day(s->closed, closed, day)) {
        return &no_hours;
    }
    int32_t weekday = ((day % 7) + 7 + 3) % 7; /* 1970-01-01 was a Thursday (3, Monday = 0) */
    return &s->week[weekday];
}

static long offset_at(time_t u) {
    struct tm tm;
    return localtime_r(&u, &tm) ? tm.tm_gmtoff : 0;
}

/* The first instant at which the zone's clock shows wall time `w` (seconds since 1970-01-01
 * 00:00 of the local calendar) or later. Assumes at most one offset change within a day of w,
 * true of every zone in the database since 1970. */
static time_t first_instant(time_t w) {
    long a = offset_at(w - DAY_SECONDS), b = offset_at(w + DAY_SECONDS);
    time_t ua = w - a, ub = w - b;
    if (a == b) {
        return ua;
    }
    bool va = offset_at(ua) == a, vb = offset_at(ub) == b;
    if (va && vb) {
        return ua < ub ? ua : ub; /* a repeated hour: its first occurrence */
    }
    if (va || vb) {
        return va ? ua : ub;
    }
    /* A gap: the clock jumps over w; the answer is the jump, the first instant with offset b. */
    time_t lo = ua < ub ? ua : ub, hi = ua < ub ? ub : ua;
    while (hi - lo > 1) {
        time_t mid = lo + (hi - lo) / 2;
        if (offset_at(mid) == b) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    return hi;
}

/* ---- walking the ranges ---- */

/* A run of opening ranges merged in wall time, then as instants. */
typedef struct walk {
    const vt_schedule *s;
    int32_t day, last; /* the day being read, and the last one worth reading */
    size_t range;      /* next range of `day` */
} walk;

/* The next merged wall-time interval [*ws, *we); false past w->last. */
static bool walk_next(walk *w, time_t *ws, time_t *we) {
    bool have = false;
    for (; w->day <= w->last; w->day++, w->range = 0) {
        const vt_day_hours *h = vt_schedule_hours_on(w->s, w->day);
        size_t count = h->count < VT_SCHEDULE_RANGES ? h->count : VT_SCHEDULE_RANGES;
        for (; w->range < count; w->range++) {
            time_t base = (time_t)w->day * DAY_SECONDS;
            time_t rs = base + (time_t)h->ranges[w->range].start * 60;
            time_t re = base + (time_t)h->ranges[w->range].end * 60;
            if (rs >= re) {
                continue;
            }
            if (have && rs > *we) {
                return true;
            }
            if (!have) {
                *ws = rs;
                *we = re;
                have = true;
            } else if (re > *we) {
                *we = re;
            }
        }
    }
    return have;
}

/* The last day worth reading from `today`: a week past today and past the last special date;
 * after that the weekly pattern only repeats. */
static int32_t horizon(const vt_schedule *s, int32_t today) {
    int32_t last = today + 8;
    for (size_t i = 0; i < s->closed_count && i < VT_SCHEDULE_MAX_CLOSED; i++) {
        last = s->closed[i] + 8 > last ? s->closed[i] + 8 : last;
    }
    for (size_t i = 0; i < s->late_count && i < VT_SCHEDULE_MAX_LATE; i++) {
        last = s->late[i].day + 8 > last ? s->late[i].day + 8 : last;
    }
    return last;
}

/* In the zone already: the state at t and its next change. */
static bool evaluate(const vt_schedule *s, time_t t, time_t *next_change) {
    struct tm tm;
    if (!localtime_r(&t, &tm)) {
        return false;
    }
    int32_t today = vt_schedule_days(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    walk w = {s, today - 1, horizon(s, today), 0};
    bool open = false;
    time_t run_end = 0, ws = 0, we = 0;
    while (walk_next(&w, &ws, &we)) {
        time_t st = first_instant(ws), en = first_instant(we);
        if (st >= en || (!open && en <= t)) {
            continue; /* swallowed by a DST gap, or over before t */
        }
        if (open && st <= run_end) {
            run_end = en > run_end ? en : run_end;
            continue;
        }
        if (open) {
            *next_change = run_end;
            return true;
        }
        if (st > t) {
            *next_change = st;
            return false;
        }
        open = true;
        run_end = en;
    }
    /* Past the horizon the weekly pattern repeats: a run that lasts to it never ends, and
     * nothing opening by then never opens. */
    bool endless = open && we >= ((time_t)w.last + 1) * DAY_SECONDS;
    *next_change = open && !endless ? run_end : VT_SCHEDULE_NEVER;
    return open;
}

int32_t vt_schedule_local_day(const vt_schedule *s, time_t t) {
    struct tm tm;
    if (!s || !s->present) {
        return gmtime_r(&t, &tm) ? vt_schedule_days(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday)
                                 : 0;
    }
    vt_tz_scope z;
    vt_tz_enter(&z, s->timezone);
    bool ok = localtime_r(&t, &tm) != NULL;
    vt_tz_leave(&z);
    return ok ? vt_schedule_days(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) : 0;
}

bool vt_schedule_open_at(const vt_schedule *s, time_t t, time_t *next_change) {
    time_t ignored;
    time_t *next = next_change ? next_change : &ignored;
    *next = VT_SCHEDULE_NEVER;
    if (!s || !s->present) {
        return true;
    }
    if (t < 0 || t >= T_MAX) {
        return false;
    }
    vt_tz_scope z;
    vt_tz_enter(&z, s->timezone);
    bool open = evaluate(s, t, next);
    vt_tz_leave(&z);
    return open;
}
