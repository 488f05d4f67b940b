/* Time zones (engine/io/tz.c): names checked against the database named by TZDIR, never outside
 * it, suggestions, and TZ set and restored around conversions. */
#include "io/vt_io.h"
#include "vt_test.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static char root[64];

static void put(const char *rel, const char *text) {
    char *p = vt_xasprintf("%s/%s", root, rel);
    FILE *f = fopen(p, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    free(p);
}

static void test_names(void) {
    static const struct {
        const char *name;
        bool ok;
    } cases[] = {
        {"Europe/Paris", true},
        {"UTC", true},
        {"Etc/GMT+5", true},
        {"America/Port-au-Prince", true},
        {"", false},
        {"/etc/passwd", false},
        {"../etc/passwd", false},
        {"Europe/../UTC", false},
        {"Europe//Paris", false},
        {"Europe/", false},
        {"Europe/Paris ", false},
        {"Europe\\Paris", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        VT_CHECK_INT(vt_tz_name_ok(cases[i].name, strlen(cases[i].name)), cases[i].ok);
    }
    char longname[VT_TZ_NAME_MAX + 1];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    VT_CHECK(!vt_tz_name_ok(longname, strlen(longname)));
    VT_CHECK(vt_tz_name_ok(longname, VT_TZ_NAME_MAX - 1));
}

/* A database of our own through TZDIR: only regular files that start with "TZif" are zones. */
static void test_database(void) {
    char *area = vt_xasprintf("%s/Europe", root);
    VT_CHECK_INT(mkdir(area, 0755), 0);
    put("Europe/Paris", "TZif2 and the rest of a zone file");
    put("Europe/Berlin", "TZif2");
    put("Europe/Fake", "not a zone");
    put("outside", "TZif2");
    setenv("TZDIR", root, 1);
    VT_CHECK_STR(vt_tz_dir(), root);
    VT_CHECK(vt_tz_database_present());
    VT_CHECK(vt_tz_exists("Europe/Paris"));
    VT_CHECK(!vt_tz_exists("Europe/Fake"));       /* no TZif magic */
    VT_CHECK(!vt_tz_exists("Europe"));            /* a folder */
    VT_CHECK(!vt_tz_exists("Europe/Rome"));       /* missing */
    VT_CHECK(!vt_tz_exists("Europe/../outside")); /* a TZif file, but by a path that leaves */
    VT_CHECK(vt_tz_exists("outside"));
    char near[VT_TZ_NAME_MAX] = "";
    VT_CHECK(vt_tz_suggest("Europe/Pariss", near, sizeof near));
    VT_CHECK_STR(near, "Europe/Paris");
    VT_CHECK(!vt_tz_suggest("Asia/Tokyo", near, sizeof near)); /* no such area here */
    free(area);
    unsetenv("TZDIR");
    VT_CHECK_STR(vt_tz_dir(), "/usr/share/zoneinfo");
}

/* The system database: conversions follow the zone inside the scope only. */
static void test_scope(void) {
    if (!vt_tz_exists("Asia/Tokyo")) {
        printf("test_tz: skipping the scope checks: no Asia/Tokyo in %s\n", vt_tz_dir());
        return;
    }
    setenv("TZ", "UTC", 1);
    time_t t = 0;
    struct tm tm;
    vt_tz_scope z;
    vt_tz_enter(&z, "Asia/Tokyo");
    VT_CHECK(localtime_r(&t, &tm) != NULL);
    VT_CHECK_INT(tm.tm_hour, 9); /* 1970-01-01 09:00 JST */
    VT_CHECK_STR(getenv("TZ"), ":Asia/Tokyo");
    vt_tz_leave(&z);
    VT_CHECK_STR(getenv("TZ"), "UTC");
    VT_CHECK(localtime_r(&t, &tm) != NULL);
    VT_CHECK_INT(tm.tm_hour, 0);
    unsetenv("TZ");
    vt_tz_enter(&z, "America/New_York");
    vt_tz_leave(&z);
    VT_CHECK(getenv("TZ") == NULL); /* unset before: unset after */
    vt_tz_enter(&z, "");            /* the process's own zone: TZ left alone */
    VT_CHECK(getenv("TZ") == NULL);
    vt_tz_leave(&z);
}

int main(void) {
    snprintf(root, sizeof root, "/tmp/vt-test-tz-XXXXXX");
    if (!mkdtemp(root)) {
        return 2;
    }
    test_names();
    test_database();
    test_scope();
    char *cmd = vt_xasprintf("rm -rf '%s'", root);
    VT_CHECK_INT(system(cmd), 0);
    free(cmd);
    return vt_test_finish("test_tz");
}
