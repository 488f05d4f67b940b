/* The operator config's `sync:` block: a show played in step by several machines
 * (docs/sync.md). `role`, `group` (a multicast address:port, or the list of every machine's
 * address:port), `interface` (this machine's address on the room's network), `port` (peers:
 * the one this machine listens on), `allow`, `secret_file` or `secret`, `delay`, `clock`. Every
 * value is checked here, with its position: a typo never turns sync off silently. */
#include "config/config_internal.h"
#include "io/vt_io.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const vt_field sync_fields[] = {
    VT_FIELD_LATER("role"),        VT_FIELD_LATER("group"), VT_FIELD_LATER("interface"),
    VT_FIELD_LATER("port"),        VT_FIELD_LATER("allow"), VT_FIELD_LATER("secret"),
    VT_FIELD_LATER("secret_file"), VT_FIELD_LATER("delay"), VT_FIELD_LATER("clock")};
static const vt_table sync_table = {sync_fields, 9, NULL, "sync"};

static bool read_addr(vt_vctx *c, const char *key, const vt_ynode *v, vt_sync_addr *out) {
    char shown[64];
    if (!vt_read_string(c, key, v)) {
        return false;
    }
    if (!vt_sync_addr_parse(v->text, out)) {
        vt_vctx_error(c, v,
                      "'%s' is not an IPv4 address with its port; write it like "
                      "239.255.74.0:7401 (a multicast group) or 10.0.0.2:7401 (a machine)",
                      vt_yshow(v->text, v->len, shown, sizeof shown));
        return false;
    }
    return true;
}

static void read_group(vt_vctx *c, const vt_ynode *v, vt_sync_desc *d) {
    if (v->kind == VT_YNODE_SEQ) {
        if (v->count == 0 || v->count > VT_SYNC_PEERS_MAX) {
            vt_vctx_error(c, v, "'group' lists %zu machines; from 1 to %d", v->count,
                          VT_SYNC_PEERS_MAX);
            return;
        }
        for (size_t i = 0; i < v->count; i++) {
            if (read_addr(c, "group", v->items[i], &d->peers[d->peer_count])) {
                if (vt_sync_addr_is_multicast(&d->peers[d->peer_count])) {
                    vt_vctx_error(c, v->items[i],
                                  "a list in 'group' names machines; a multicast group is "
                                  "written alone: group: \"239.255.74.0:7401\"");
                    continue;
                }
                d->peer_count++;
            }
        }
        return;
    }
    if (read_addr(c, "group", v, &d->group)) {
        if (!vt_sync_addr_is_multicast(&d->group)) {
            vt_vctx_error(c, v,
                          "'group' is one multicast address (224.0.0.0 to 239.255.255.255; "
                          "239.255.x.y is for a site's own use) or a list of every machine: "
                          "[\"10.0.0.1:7401\", \"10.0.0.2:7401\"]");
            return;
        }
        d->multicast = true;
    }
}

static void read_allow(vt_vctx *c, const vt_ynode *v, vt_sync_desc *d) {
    if (v->kind != VT_YNODE_SEQ || v->count > VT_SYNC_ALLOW_MAX) {
        vt_type_error(c, "allow", v, "a list of at most 16 address ranges",
                      "write it like [10.0.0.0/24]");
        return;
    }
    for (size_t i = 0; i < v->count; i++) {
        char shown[64];
        const vt_ynode *item = v->items[i];
        if (!vt_read_string(c, "allow", item)) {
            continue;
        }
        if (!vt_osc_cidr_parse(item->text, &d->allow[d->allow_count]) ||
            d->allow[d->allow_count].family != AF_INET) {
            vt_vctx_error(c, item, "'%s' is not an IPv4 address range; write it like 10.0.0.0/24",
                          vt_yshow(item->text, item->len, shown, sizeof shown));
            continue;
        }
        d->allow_count++;
    }
}

static void set_key(vt_vctx *c, const vt_ynode *v, vt_sync_desc *d, const char *bytes, size_t len) {
    while (len > 0 && (bytes[len - 1] == '\n' || bytes[len - 1] == '\r')) {
        len--; /* `echo SECRET > room.key` */
    }
    if (len < VT_SYNC_KEY_MIN || len > VT_SYNC_KEY_MAX) {
        vt_vctx_error(c, v,
                      "the shared secret is %zu bytes; give %d to %d (make one with "
                      "'openssl rand -hex 32 > room.key' and copy it to every machine)",
                      len, VT_SYNC_KEY_MIN, VT_SYNC_KEY_MAX);
        return;
    }
    memcpy(d->key, bytes, len);
    d->key_len = len;
}

static void read_secret_file(vt_vctx *c, const vt_ynode *v, vt_sync_desc *d) {
    if (!vt_read_string(c, "secret_file", v)) {
        return;
    }
    char *path = NULL;
    if (v->text[0] == '/' || !c->path) {
        path = vt_xstrdup(v->text);
    } else {
        char *dir = vt_path_dirname(c->path); /* relative to the config file */
        path = vt_xasprintf("%s/%s", dir, v->text);
        free(dir);
    }
    char *data = NULL;
    size_t len = 0;
    vt_error err = {0};
    if (vt_file_read(path, VT_SYNC_KEY_MAX + 2, &data, &len, &err) != VT_OK) {
        vt_vctx_error(c, v, "cannot read the secret file: %s", err.message);
    } else {
        set_key(c, v, d, data, len);
    }
    free(data);
    free(path);
}

/* What is missing (a key given but wrong has its own error already). */
static void check_whole(vt_vctx *c, const vt_ypair *pair, vt_sync_desc *d, bool has_iface) {
    const vt_ynode *k = pair->key, *map = pair->value;
    if (!vt_ymap_find(map, "role")) {
        vt_vctx_error(c, k,
                      "'sync' needs 'role: leader' (one machine of the room) or "
                      "'role: follower' (the others)");
    }
    if (!vt_ymap_find(map, "group")) {
        vt_vctx_error(c, k,
                      "'sync' needs 'group': a multicast address (\"239.255.74.0:7401\") or "
                      "the list of every machine ([\"10.0.0.1:7401\", \"10.0.0.2:7401\"])");
    }
    if (!vt_ymap_find(map, "interface")) {
        vt_vctx_error(c, k,
                      "'sync' needs 'interface': this machine's address on the room's network, "
                      "like 10.0.0.1 (group traffic goes there only)");
    }
    if (!vt_ymap_find(map, "secret") && !vt_ymap_find(map, "secret_file")) {
        vt_vctx_error(c, k,
                      "'sync' needs a shared secret: 'secret_file: room.key' (the same file on "
                      "every machine; 'openssl rand -hex 32 > room.key' makes one)");
    }
    if (!d->multicast && d->peer_count > 0 && d->port == 0) {
        /* this machine's port: its own entry in the list */
        for (size_t i = 0; i < d->peer_count && d->port == 0; i++) {
            if (memcmp(d->peers[i].ip, d->iface, 4) == 0) {
                d->port = d->peers[i].port;
            }
        }
        if (d->port == 0 && has_iface) {
            vt_vctx_error(c, k,
                          "'group' does not list this machine's 'interface' address; add it "
                          "with its port, or give 'port:'");
        }
    }
}

void vt_config_parse_sync(vt_vctx *c, const vt_ypair *pair, vt_config *cfg) {
    vt_sync_desc *d = vt_xcalloc(1, sizeof *d);
    d->line = pair->key->line;
    d->col = pair->key->col;
    d->delay = 0.08;
    d->clock = CLOCK_REALTIME;
    const vt_ynode *map = pair->value;
    if (map->kind != VT_YNODE_MAP) {
        vt_type_error(c, "sync", map, "a mapping",
                      "write 'role: leader' and 'group: ...' on the next lines, indented");
        free(d);
        return;
    }
    snprintf(c->where, sizeof c->where, " in 'sync'");
    vt_table_apply(c, &sync_table, 1, map, NULL, NULL);
    const vt_ypair *p = vt_ymap_find(map, "role");
    if (p && vt_read_string(c, "role", p->value)) {
        if (strcmp(p->value->text, "leader") == 0) {
            d->role = VT_SYNC_LEADER;
        } else if (strcmp(p->value->text, "follower") == 0) {
            d->role = VT_SYNC_FOLLOWER;
        } else {
            char shown[64];
            vt_vctx_error(c, p->value, "'role' is 'leader' or 'follower', not '%s'",
                          vt_yshow(p->value->text, p->value->len, shown, sizeof shown));
        }
    }
    if ((p = vt_ymap_find(map, "group"))) {
        read_group(c, p->value, d);
    }
    bool has_iface = false;
    if ((p = vt_ymap_find(map, "interface")) && vt_read_string(c, "interface", p->value)) {
        vt_osc_cidr probe;
        char shown[64];
        if (strchr(p->value->text, '/') || !vt_osc_cidr_parse(p->value->text, &probe) ||
            probe.family != AF_INET) {
            vt_vctx_error(c, p->value,
                          "'interface' is this machine's IPv4 address on the room's network, "
                          "like 10.0.0.1, not '%s'",
                          vt_yshow(p->value->text, p->value->len, shown, sizeof shown));
        } else {
            memcpy(d->iface, probe.addr, 4);
            has_iface = true;
        }
    }
    double num = 0;
    if ((p = vt_ymap_find(map, "port")) &&
        vt_read_number(c, "port", p->value, 1, 65535, true, &num)) {
        d->port = (int)num;
    }
    if ((p = vt_ymap_find(map, "allow"))) {
        read_allow(c, p->value, d);
    }
    const vt_ypair *secret = vt_ymap_find(map, "secret");
    const vt_ypair *file = vt_ymap_find(map, "secret_file");
    if (secret && file) {
        vt_vctx_error(c, file->key, "give 'secret_file' or 'secret', not both");
    } else if (file) {
        read_secret_file(c, file->value, d);
    } else if (secret && vt_read_string(c, "secret", secret->value)) {
        set_key(c, secret->value, d, secret->value->text, secret->value->len);
    }
    if ((p = vt_ymap_find(map, "delay"))) {
        vt_read_number(c, "delay", p->value, 0.005, 5, false, &d->delay);
    }
    if ((p = vt_ymap_find(map, "clock")) && vt_read_string(c, "clock", p->value)) {
        if (strcmp(p->value->text, "tai") == 0) {
            d->clock = CLOCK_TAI;
        } else if (strcmp(p->value->text, "realtime") != 0) {
            char shown[64];
            vt_vctx_error(c, p->value,
                          "'clock' is 'realtime' (the system clock chrony or linuxptp keeps) "
                          "or 'tai', not '%s'",
                          vt_yshow(p->value->text, p->value->len, shown, sizeof shown));
        }
    }
    check_whole(c, pair, d, has_iface);
    c->where[0] = '\0';
    cfg->sync = d;
}

void vt_config_free_sync(vt_config *cfg) {
    if (cfg->sync) {
        memset(cfg->sync->key, 0, sizeof cfg->sync->key);
    }
    free(cfg->sync);
    cfg->sync = NULL;
}
