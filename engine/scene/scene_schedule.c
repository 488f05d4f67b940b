/* The `schedule:` block (opening hours) of a scene or operator config: time zone, weekly hours,
 * closed and late dates, what happens outside hours; read into a vt_schedule. */
#include "scene/schedule_internal.h"

#include "io/vt_io.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ZONE_DIR "/usr/share/zoneinfo"

static const vt_field schedule_fields[] = {
    VT_FIELD_LATER("timezone"),
    {"open", vt_field_later, 0, .allowed = VT_VARIANT_ALL, .required = VT_VARIANT_ALL},
    VT_FIELD_LATER("closed"),
    VT_FIELD_LATER("late"),
    VT_FIELD_LATER("outside_hours"),
    {"wake_on_input", vt_field_bool, offsetof(vt_schedule, wake_on_input),
     .allowed = VT_VARIANT_ALL},
};
static const vt_table schedule_table = {schedule_fields, 6, NULL, "schedule"};

static const char *const day_names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun", NULL};
static const char *const outside_names[] = {"blank", "display-off", "run", NULL};

/* ---- time zone ---- */

static bool zone_name_ok(const char *s, size_t len) {
    if (len == 0 || len >= sizeof((vt_schedule *)0)->timezone || s[0] == '/') {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '+' || ch == '/';
        if (!ok || (ch == '/' && (i + 1 == len || s[i + 1] == '/'))) {
            return false;
        }
    }
    return true;
}

/* A regular file of the zone database that starts like one ("TZif"). */
static bool zone_exists(const char *name) {
    char path[128];
    snprintf(path, sizeof path, ZONE_DIR "/%s", name);
    int fd = -1;
    char magic[4] = {0};
    bool ok = vt_file_open_input(path, &fd, NULL) == VT_OK && read(fd, magic, 4) == 4 &&
              memcmp(magic, "TZif", 4) == 0;
    if (fd >= 0) {
        close(fd);
    }
    return ok;
}

/* The nearest zone name in the same folder as `name` ("Europe/Pari" -> "Europe/Paris") into
 * out; false when none is near. */
static bool zone_suggest(const char *name, char *out, size_t cap) {
    const char *slash = strrchr(name, '/');
    char dir[128], area[64] = "";
    if (slash) {
        snprintf(area, sizeof area, "%.*s/", (int)(slash - name), name);
    }
    snprintf(dir, sizeof dir, ZONE_DIR "/%s", area);
    DIR *d = opendir(dir);
    if (!d) {
        return false;
    }
    char names[256][64];
    const char *ptrs[256];
    size_t count = 0;
    for (struct dirent *e = readdir(d); e && count < 256; e = readdir(d)) {
        if (e->d_name[0] != '.' && strlen(e->d_name) < 64 && !strchr(e->d_name, '.')) {
            memcpy(names[count], e->d_name, strlen(e->d_name) + 1);
            ptrs[count] = names[count];
            count++;
        }
    }
    closedir(d);
    const char *near = vt_did_you_mean(slash ? slash + 1 : name, ptrs, count);
    if (!near) {
        return false;
    }
    snprintf(out, cap, "%s%s", area, near);
    return zone_exists(out);
}

static void read_timezone(vt_vctx *c, const vt_ynode *v, vt_schedule *s) {
    char shown[64], near[160];
    if (!vt_read_string(c, "timezone", v)) {
        return;
    }
    vt_yshow(v->text, v->len, shown, sizeof shown);
    if (zone_name_ok(v->text, v->len) && zone_exists(v->text)) {
        snprintf(s->timezone, sizeof s->timezone, "%s", v->text);
        return;
    }
    struct stat st;
    if (stat(ZONE_DIR, &st) != 0) {
        vt_vctx_error(c, v,
                      "cannot check time zone '%s': " ZONE_DIR " is missing; install the "
                      "time zone database (Debian package tzdata)",
                      shown);
    } else if (zone_name_ok(v->text, v->len) && zone_suggest(v->text, near, sizeof near)) {
        vt_vctx_error(c, v, "unknown time zone '%s'; did you mean '%s'?", shown, near);
    } else {
        vt_vctx_error(c, v,
                      "unknown time zone '%s'; write a tz database name like Europe/Paris "
                      "(list them with 'timedatectl list-timezones')",
                      shown);
    }
}

/* ---- dates and hours ---- */

static bool digits(const char *s, int n, int *out) {
    int x = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        x = x * 10 + (s[i] - '0');
    }
    *out = x;
    return true;
}

/* "YYYY-MM-DD", a real date in [2000, 2199], into days since 1970-01-01. */
static bool read_date(vt_vctx *c, const vt_ynode *v, int32_t *out) {
    char shown[64];
    int y, m, d;
    if (v->kind != VT_YNODE_SCALAR || vt_ynode_is_null(v)) {
        vt_type_error(c, "date", v, "a date", "write it as YYYY-MM-DD, like 2026-12-25");
        return false;
    }
    vt_yshow(v->text, v->len, shown, sizeof shown);
    const char *s = v->text;
    if (v->len != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) || !digits(s + 5, 2, &m) ||
        !digits(s + 8, 2, &d)) {
        vt_vctx_error(c, v, "'%s' is not a date; write it as YYYY-MM-DD, like 2026-12-25", shown);
        return false;
    }
    int py, pm, pd;
    int32_t days = vt_schedule_days(y, m, d);
    vt_schedule_civil(days, &py, &pm, &pd);
    if (m < 1 || m > 12 || d < 1 || py != y || pm != m || pd != d) {
        vt_vctx_error(c, v, "'%s' is not a real date; check the month and the day", shown);
        return false;
    }
    if (y < VT_SCHEDULE_MIN_YEAR || y > VT_SCHEDULE_MAX_YEAR) {
        vt_vctx_error(c, v, "date '%s' is out of range; years go from 2000 to 2199", shown);
        return false;
    }
    *out = days;
    return true;
}

/* "HH:MM" at s (5 characters): minutes, 00:00..24:00. */
static bool clock_time(const char *s, int *out) {
    int h, m;
    if (s[2] != ':' || !digits(s, 2, &h) || !digits(s + 3, 2, &m) || m > 59 || h > 24 ||
        (h == 24 && m != 0)) {
        return false;
    }
    *out = h * 60 + m;
    return true;
}

#define HOURS_FIX "write hours like \"09:00-18:00\" or \"10:00-12:30, 14:00-19:00\""

/* One "HH:MM-HH:MM" range of text [s, s+len) into h (unsorted). */
static bool read_range(vt_vctx *c, const vt_ynode *v, const char *s, size_t len, vt_day_hours *h) {
    char shown[64];
    int a, b;
    vt_yshow(s, len, shown, sizeof shown);
    if (len != 11 || s[5] != '-' || !clock_time(s, &a) || !clock_time(s + 6, &b)) {
        vt_vctx_error(c, v, "'%s' is not a range of hours; " HOURS_FIX, shown);
        return false;
    }
    if (a >= b) {
        vt_vctx_error(c, v,
                      "range '%s' ends before it starts; ranges may not cross midnight: "
                      "end this day at 24:00 and start the next at 00:00",
                      shown);
        return false;
    }
    if (h->count == VT_SCHEDULE_RANGES) {
        vt_vctx_error(c, v, "more than 4 ranges of hours in '%s'; merge some", v->text);
        return false;
    }
    h->ranges[h->count].start = (uint16_t)a;
    h->ranges[h->count].end = (uint16_t)b;
    h->count++;
    return true;
}

/* Sorts the ranges, merges touching ones, refuses overlapping ones. */
static bool settle_ranges(vt_vctx *c, const vt_ynode *v, vt_day_hours *h) {
    for (size_t i = 1; i < h->count; i++) {
        for (size_t j = i; j > 0 && h->ranges[j - 1].start > h->ranges[j].start; j--) {
            uint16_t s = h->ranges[j].start, e = h->ranges[j].end;
            h->ranges[j] = h->ranges[j - 1];
            h->ranges[j - 1].start = s;
            h->ranges[j - 1].end = e;
        }
    }
    size_t out = 0;
    for (size_t i = 0; i < h->count; i++) {
        if (out > 0 && h->ranges[i].start < h->ranges[out - 1].end) {
            vt_vctx_error(c, v, "ranges of hours overlap in '%s'; give each time once", v->text);
            return false;
        }
        if (out > 0 && h->ranges[i].start == h->ranges[out - 1].end) {
            h->ranges[out - 1].end = h->ranges[i].end;
        } else {
            h->ranges[out++] = h->ranges[i];
        }
    }
    h->count = (uint8_t)out;
    return true;
}

/* The comma-separated item of text[0, len) that starts at `start`: [*from, *to) without the spaces
 * around it; *next is the index of the comma after it, or len. */
static void next_item(const char *text, size_t len, size_t start, size_t *from, size_t *to,
                      size_t *next) {
    size_t a = start;
    while (a < len && text[a] == ' ') {
        a++;
    }
    size_t b = a;
    while (b < len && text[b] != ',') {
        b++;
    }
    *next = b;
    while (b > a && text[b - 1] == ' ') {
        b--;
    }
    *from = a;
    *to = b;
}

/* A value of `open` or `late`: "closed" or ranges separated by commas. */
static bool read_hours(vt_vctx *c, const vt_ynode *v, vt_day_hours *h) {
    *h = (vt_day_hours){0};
    if (v->kind != VT_YNODE_SCALAR || vt_ynode_is_null(v) || memchr(v->text, '\0', v->len)) {
        vt_type_error(c, "hours", v, "a string", HOURS_FIX);
        return false;
    }
    if (vt_ynode_is(v, "closed")) {
        return true;
    }
    const char *text = v->text;
    for (size_t i = 0;;) {
        size_t from, to, next;
        next_item(text, v->len, i, &from, &to, &next);
        if (!read_range(c, v, text + from, to - from, h)) {
            return false;
        }
        if (next == v->len) {
            break;
        }
        i = next + 1;
    }
    return settle_ranges(c, v, h);
}

/* ---- open: day keys ---- */

static int day_index(const char *s, size_t len) {
    for (int i = 0; i < 7; i++) {
        if (len == 3 && memcmp(s, day_names[i], 3) == 0) {
            return i;
        }
    }
    return -1;
}

/* "mon-fri", "sat", "mon,wed" or "fri-mon" (a range may wrap past Sunday) into a bit set. */
static bool read_days(vt_vctx *c, const vt_ynode *k, unsigned *days) {
    char shown[64];
    *days = 0;
    for (size_t i = 0;;) {
        size_t from, to, next;
        next_item(k->text, k->len, i, &from, &to, &next);
        const char *p = k->text + from, *stop = k->text + to;
        const char *dash = memchr(p, '-', to - from);
        int a = day_index(p, (size_t)((dash ? dash : stop) - p));
        int b = dash ? day_index(dash + 1, (size_t)(stop - dash - 1)) : a;
        if (a < 0 || b < 0) {
            vt_yshow(k->text, k->len, shown, sizeof shown);
            vt_vctx_error(c, k,
                          "'%s' is not a day or days; write mon tue wed thu fri sat sun, a "
                          "range like mon-fri or a list like mon,wed",
                          shown);
            return false;
        }
        for (int day = a;; day = (day + 1) % 7) {
            *days |= 1u << day;
            if (day == b) {
                break;
            }
        }
        if (next == k->len) {
            return true;
        }
        i = next + 1;
    }
}

static void read_open(vt_vctx *c, const vt_ynode *v, vt_schedule *s) {
    if (v->kind != VT_YNODE_MAP) {
        vt_type_error(c, "open", v, "a mapping",
                      "write it like {mon-fri: \"09:00-18:00\", sat-sun: \"10:00-19:00\"}");
        return;
    }
    unsigned given = 0;
    for (size_t i = 0; i < v->count; i++) {
        const vt_ypair *p = &v->pairs[i];
        unsigned days;
        vt_day_hours h;
        if (!read_days(c, p->key, &days) || !read_hours(c, p->value, &h)) {
            continue;
        }
        if (days & given) {
            int first = 0;
            while (!((days & given) >> first & 1u)) {
                first++;
            }
            vt_vctx_error(c, p->key,
                          "'%s' is given hours twice in 'schedule.open'; give each "
                          "day once",
                          day_names[first]);
            continue;
        }
        given |= days;
        for (int d = 0; d < 7; d++) {
            if (days >> d & 1u) {
                s->week[d] = h;
            }
        }
    }
}

/* ---- closed and late dates ---- */

static void read_closed(vt_vctx *c, const vt_ynode *v, vt_schedule *s) {
    if (vt_ynode_is_null(v)) {
        return;
    }
    if (v->kind != VT_YNODE_SEQ) {
        vt_type_error(c, "closed", v, "a sequence of dates", "write it like [2026-12-25]");
        return;
    }
    for (size_t i = 0; i < v->count; i++) {
        int32_t day;
        if (!read_date(c, v->items[i], &day)) {
            continue;
        }
        size_t at = 0;
        while (at < s->closed_count && s->closed[at] < day) {
            at++;
        }
        if (at < s->closed_count && s->closed[at] == day) {
            vt_vctx_error(c, v->items[i], "date %s is listed twice in 'closed'; remove one",
                          v->items[i]->text);
            continue;
        }
        if (s->closed_count == VT_SCHEDULE_MAX_CLOSED) {
            vt_vctx_error(c, v->items[i], "more than 128 closed dates; remove past ones");
            return;
        }
        memmove(&s->closed[at + 1], &s->closed[at], (s->closed_count - at) * sizeof *s->closed);
        s->closed[at] = day;
        s->closed_count++;
    }
}

static bool is_closed(const vt_schedule *s, int32_t day) {
    for (size_t i = 0; i < s->closed_count; i++) {
        if (s->closed[i] == day) {
            return true;
        }
    }
    return false;
}

static void read_late(vt_vctx *c, const vt_ynode *v, vt_schedule *s) {
    if (vt_ynode_is_null(v)) {
        return;
    }
    if (v->kind != VT_YNODE_MAP) {
        vt_type_error(c, "late", v, "a mapping of dates to hours",
                      "write it like {2026-12-18: \"09:00-22:00\"}");
        return;
    }
    for (size_t i = 0; i < v->count; i++) {
        const vt_ypair *p = &v->pairs[i];
        vt_schedule_late e;
        if (!read_date(c, p->key, &e.day) || !read_hours(c, p->value, &e.hours)) {
            continue;
        }
        if (is_closed(s, e.day)) {
            vt_vctx_error(c, p->key, "date %s is both closed and late; remove it from one",
                          p->key->text);
            continue;
        }
        if (s->late_count == VT_SCHEDULE_MAX_LATE) {
            vt_vctx_error(c, p->key, "more than 64 late dates; remove past ones");
            return;
        }
        size_t at = 0; /* keys are unique (the tree drops duplicates), dates too */
        while (at < s->late_count && s->late[at].day < e.day) {
            at++;
        }
        memmove(&s->late[at + 1], &s->late[at], (s->late_count - at) * sizeof *s->late);
        s->late[at] = e;
        s->late_count++;
    }
}

static void read_outside(vt_vctx *c, const vt_ynode *v, vt_schedule *s) {
    char shown[64];
    if (!vt_read_string(c, "outside_hours", v)) {
        return;
    }
    for (int i = 0; outside_names[i]; i++) {
        if (vt_ynode_is(v, outside_names[i])) {
            s->outside_hours = i;
            return;
        }
    }
    const char *near = vt_did_you_mean(v->text, outside_names, 3);
    vt_yshow(v->text, v->len, shown, sizeof shown);
    if (near) {
        vt_vctx_error(c, v, "unknown 'outside_hours' value '%s'; did you mean '%s'?", shown, near);
    } else {
        vt_vctx_error(c, v, "unknown 'outside_hours' value '%s'; write blank, display-off or run",
                      shown);
    }
}

void vt_schedule_parse(vt_vctx *c, const vt_ypair *pair, vt_schedule *out) {
    *out = (vt_schedule){.present = true, .line = pair->key->line, .col = pair->key->col};
    const vt_ynode *map = pair->value;
    if (map->kind != VT_YNODE_MAP) {
        vt_type_error(c, "schedule", map, "a mapping",
                      "write 'open: {mon-sun: \"10:00-18:00\"}' on the next line, indented");
        return;
    }
    snprintf(c->where, sizeof c->where, " in 'schedule'");
    vt_table_apply(c, &schedule_table, 1, map, out, NULL);
    const vt_ypair *p = vt_ymap_find(map, "timezone");
    if (p) {
        read_timezone(c, p->value, out);
    }
    if ((p = vt_ymap_find(map, "open"))) {
        read_open(c, p->value, out);
    }
    if ((p = vt_ymap_find(map, "closed"))) {
        read_closed(c, p->value, out);
    }
    if ((p = vt_ymap_find(map, "late"))) {
        read_late(c, p->value, out);
    }
    if ((p = vt_ymap_find(map, "outside_hours"))) {
        read_outside(c, p->value, out);
    }
    c->where[0] = '\0';
}
