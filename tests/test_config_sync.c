/* The operator config's `sync:` block (engine/config/config_sync.c): a valid leader and
 * follower (multicast and peers), the secret from a file relative to the config, and one case
 * per rule with its exact "path:line:col: error: message"; the examples of docs/sync.md load. */
#include "config/vt_config.h"
#include "io/vt_io.h"
#include "vt_test.h"
#include "diag_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PATH "config/t.yaml"
#define E(line, col, msg) PATH ":" #line ":" #col ": error: " msg "\n"
#define SECRET "secret: 0123456789abcdef0123"
#define MC "group: \"239.255.74.0:7401\", interface: 10.0.0.1"

typedef struct bad_case {
    const char *name, *yaml, *expected;
} bad_case;

static const bad_case bad_cases[] = {
    {"not a mapping", "sync: leader\n",
     E(1, 7, "'sync' must be a mapping, got 'leader'; write 'role: leader' and 'group: ...' on "
             "the next lines, indented")},
    {"role", "sync: {role: boss, " MC ", " SECRET "}\n",
     E(1, 14, "'role' is 'leader' or 'follower', not 'boss'")},
    {"no role", "sync: {" MC ", " SECRET "}\n",
     E(1, 1, "'sync' needs 'role: leader' (one machine of the room) or 'role: follower' (the "
             "others)")},
    {"group not multicast", "sync: {role: leader, group: \"10.0.0.2:7401\", interface: 10.0.0.1, " SECRET "}\n",
     E(1, 29, "'group' is one multicast address (224.0.0.0 to 239.255.255.255; 239.255.x.y is "
              "for a site's own use) or a list of every machine: [\"10.0.0.1:7401\", "
              "\"10.0.0.2:7401\"]")},
    {"group without port", "sync: {role: leader, group: 239.255.74.0, interface: 10.0.0.1, " SECRET "}\n",
     E(1, 29, "'239.255.74.0' is not an IPv4 address with its port; write it like "
              "239.255.74.0:7401 (a multicast group) or 10.0.0.2:7401 (a machine)")},
    {"multicast in a list", "sync: {role: leader, group: [\"10.0.0.1:7401\", \"239.1.1.1:7401\"], interface: 10.0.0.1, " SECRET "}\n",
     E(1, 47, "a list in 'group' names machines; a multicast group is written alone: group: "
              "\"239.255.74.0:7401\"")},
    {"this machine not listed", "sync: {role: leader, group: [\"10.0.0.2:7401\"], interface: 10.0.0.1, " SECRET "}\n",
     E(1, 1, "'group' does not list this machine's 'interface' address; add it with its port, or "
             "give 'port:'")},
    {"no group", "sync: {role: leader, interface: 10.0.0.1, " SECRET "}\n",
     E(1, 1, "'sync' needs 'group': a multicast address (\"239.255.74.0:7401\") or the list of "
             "every machine ([\"10.0.0.1:7401\", \"10.0.0.2:7401\"])")},
    {"interface", "sync: {role: leader, group: \"239.255.74.0:7401\", interface: eth0, " SECRET "}\n",
     E(1, 61, "'interface' is this machine's IPv4 address on the room's network, like 10.0.0.1, "
              "not 'eth0'")},
    {"no secret", "sync: {role: leader, " MC "}\n",
     E(1, 1, "'sync' needs a shared secret: 'secret_file: room.key' (the same file on every "
             "machine; 'openssl rand -hex 32 > room.key' makes one)")},
    {"short secret", "sync: {role: leader, " MC ", secret: short}\n",
     E(1, 79, "the shared secret is 5 bytes; give 16 to 256 (make one with 'openssl rand -hex 32 > "
              "room.key' and copy it to every machine)")},
    {"both secrets", "sync: {role: leader, " MC ", " SECRET ", secret_file: k}\n",
     E(1, 101, "give 'secret_file' or 'secret', not both")},
    {"missing secret file", "sync: {role: leader, " MC ", secret_file: /nonexistent/room.key}\n",
     E(1, 84, "cannot read the secret file: /nonexistent/room.key: cannot open: No such "
              "file or directory")},
    {"delay", "sync: {role: leader, " MC ", " SECRET ", delay: 10}\n",
     E(1, 108, "'delay' must be between 0.005 and 5, got 10")},
    {"clock", "sync: {role: leader, " MC ", " SECRET ", clock: monotonic}\n",
     E(1, 108, "'clock' is 'realtime' (the system clock chrony or linuxptp keeps) or 'tai', not "
               "'monotonic'")},
    {"allow", "sync: {role: leader, " MC ", " SECRET ", allow: [\"::1/128\"]}\n",
     E(1, 109, "'::1/128' is not an IPv4 address range; write it like 10.0.0.0/24")},
    {"unknown key", "sync: {role: leader, " MC ", " SECRET ", secrets: x}\n",
     E(1, 101, "unknown key 'secrets' in 'sync'; did you mean 'secret'?")},
};

static void check_bad_case(const bad_case *bc) {
    vt_diags d = {0};
    vt_config cfg;
    vt_status st = vt_config_load_string(bc->yaml, strlen(bc->yaml), PATH, &cfg, &d);
    char *got = diags_text(&d);
    if (st != VT_E_DATAERR || strcmp(got, bc->expected) != 0) {
        fprintf(stderr, "case '%s':\n", bc->name);
    }
    VT_CHECK_INT(st, VT_E_DATAERR);
    VT_CHECK(cfg.sync == NULL);
    if (st == VT_OK) {
        vt_config_free(&cfg);
    }
    VT_CHECK_STR(got, bc->expected);
    free(got);
    vt_diags_free(&d);
}

static vt_config load_ok(const char *text, const char *path) {
    vt_diags d = {0};
    vt_config cfg;
    VT_CHECK_INT(vt_config_load_string(text, strlen(text), path, &cfg, &d), VT_OK);
    if (d.count) {
        vt_diags_print(&d, stderr);
    }
    VT_CHECK_INT(d.count, 0);
    vt_diags_free(&d);
    return cfg;
}

static void test_good(void) {
    vt_config c = load_ok("format: vitrine-config/1\nsync: {role: follower, " MC ", " SECRET
                          ", delay: 0.1, clock: tai, allow: [10.0.0.0/24]}\n",
                          PATH);
    VT_CHECK(c.sync != NULL);
    if (c.sync) {
        VT_CHECK_INT(c.sync->role, VT_SYNC_FOLLOWER);
        VT_CHECK(c.sync->multicast);
        VT_CHECK_INT(c.sync->group.port, 7401);
        VT_CHECK_INT(c.sync->iface[3], 1);
        VT_CHECK_INT(c.sync->key_len, 20);
        VT_CHECK_NEAR(c.sync->delay, 0.1, 1e-12);
        VT_CHECK_INT(c.sync->clock, CLOCK_TAI);
        VT_CHECK_INT(c.sync->allow_count, 1);
    }
    vt_config_free(&c);
    /* Peers: this machine's port is its own entry's; defaults: 80 ms, the realtime clock. */
    c = load_ok("sync: {role: leader, group: [\"10.0.0.1:7402\", \"10.0.0.2:7401\"], interface: "
                "10.0.0.1, " SECRET "}\n",
                PATH);
    VT_CHECK(c.sync && !c.sync->multicast && c.sync->peer_count == 2 && c.sync->port == 7402);
    VT_CHECK(c.sync && c.sync->delay == 0.08 && c.sync->clock == CLOCK_REALTIME);
    vt_config_free(&c);
}

static char tmpdir[64];

static void load_doc_example(const char *text, int line) {
    char *path = vt_xasprintf("%s/config.yaml", tmpdir);
    vt_diags d = {0};
    vt_config cfg;
    if (vt_config_load_string(text, strlen(text), path, &cfg, &d) != VT_OK || d.count != 0) {
        fprintf(stderr, "docs/sync.md: the example at line %d does not load cleanly:\n", line);
        vt_diags_print(&d, stderr);
    }
    VT_CHECK_INT(d.count, 0);
    VT_CHECK(cfg.sync != NULL);
    vt_config_free(&cfg);
    vt_diags_free(&d);
    free(path);
}

static void test_secret_file_and_docs(void) {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/vt_config_sync_XXXXXX");
    VT_CHECK(mkdtemp(tmpdir) != NULL);
    char *key = vt_xasprintf("%s/room.key", tmpdir);
    FILE *f = fopen(key, "w");
    VT_CHECK(f != NULL);
    if (f) {
        fputs("4f0e8c1d2b3a49586776a5b4c3d2e1f0\n", f); /* the newline is not part of it */
        fclose(f);
    }
    char *cfgpath = vt_xasprintf("%s/config.yaml", tmpdir);
    vt_config c = load_ok("sync: {role: leader, " MC ", secret_file: room.key}\n", cfgpath);
    VT_CHECK(c.sync && c.sync->key_len == 32 && memcmp(c.sync->key, "4f0e8c1d", 8) == 0);
    vt_config_free(&c);
    VT_CHECK(doc_examples("../docs/sync.md", "format: vitrine-config/1", "sync:",
                          load_doc_example) >= 3);
    unlink(key);
    rmdir(tmpdir);
    free(key);
    free(cfgpath);
}

int main(void) {
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        check_bad_case(&bad_cases[i]);
    }
    test_good();
    test_secret_file_and_docs();
    return vt_test_finish("test_config_sync");
}
