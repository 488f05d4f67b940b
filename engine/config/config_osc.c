/* The operator config's remote control (`osc: {port, bind, allow, rate}`): where the OSC
 * server listens and who may talk to it. Only the operator's file says so: a scene has no such
 * key. The addresses are checked here, so a typo is a positioned error, not a silent default. */
#include "config/config_internal.h"

#include <stdlib.h>
#include <string.h>

#define OSC_DEFAULT_PORT 7400

static const vt_field osc_fields[] = {VT_FIELD_LATER("port"), VT_FIELD_LATER("bind"),
                                      VT_FIELD_LATER("allow"), VT_FIELD_LATER("rate")};
static const vt_table osc_table = {osc_fields, 4, NULL, "osc"};

static void read_bind(vt_vctx *c, const vt_ynode *v, vt_config *cfg) {
    vt_osc_cidr probe;
    char shown[64];
    if (!vt_read_string(c, "bind", v)) {
        return;
    }
    if (strchr(v->text, '/') || !vt_osc_cidr_parse(v->text, &probe)) {
        vt_vctx_error(c, v,
                      "'bind' must be a numeric address of this machine, like 127.0.0.1 (this "
                      "machine only) or 0.0.0.0 (every interface), not '%s'",
                      vt_yshow(v->text, v->len, shown, sizeof shown));
        return;
    }
    cfg->osc.bind = vt_xstrdup(v->text);
}

static void read_allow(vt_vctx *c, const vt_ynode *v, vt_config *cfg) {
    if (v->kind != VT_YNODE_SEQ) {
        vt_type_error(c, "allow", v, "a list of addresses",
                      "write it like [127.0.0.1/32, 10.0.0.0/24]");
        return;
    }
    if (v->count > VT_CONFIG_OSC_ALLOW_MAX) {
        vt_vctx_error(c, v, "'allow' lists %zu ranges; at most %d, so group them (10.0.0.0/24)",
                      v->count, VT_CONFIG_OSC_ALLOW_MAX);
        return;
    }
    cfg->osc.allow = vt_xcalloc(v->count + 1, sizeof *cfg->osc.allow);
    for (size_t i = 0; i < v->count; i++) {
        const vt_ynode *item = v->items[i];
        char shown[64];
        if (!vt_read_string(c, "allow", item)) {
            continue;
        }
        if (!vt_osc_cidr_parse(item->text, &cfg->osc.allow[cfg->osc.allow_count])) {
            vt_vctx_error(c, item,
                          "'%s' is not an address range; write an address with its prefix "
                          "length, like 192.168.1.0/24 or 127.0.0.1/32",
                          vt_yshow(item->text, item->len, shown, sizeof shown));
            continue;
        }
        cfg->osc.allow_count++;
    }
}

void vt_config_parse_osc(vt_vctx *c, const vt_ypair *pair, vt_config *cfg) {
    cfg->osc.line = pair->key->line;
    cfg->osc.col = pair->key->col;
    cfg->osc.port = OSC_DEFAULT_PORT; /* an `osc:` block turns remote control on */
    const vt_ynode *map = pair->value;
    if (vt_ynode_is_null(map)) {
        return;
    }
    if (map->kind != VT_YNODE_MAP) {
        vt_type_error(c, "osc", map, "a mapping", "write 'port: 7400' on the next line, indented");
        return;
    }
    snprintf(c->where, sizeof c->where, " in 'osc'");
    vt_table_apply(c, &osc_table, 1, map, NULL, NULL);
    const vt_ypair *p = vt_ymap_find(map, "port");
    double port = 0;
    if (p && vt_read_number(c, "port", p->value, 0, 65535, true, &port)) {
        cfg->osc.port = port == 0 ? -1 : port; /* 0: off, as with --osc-port 0 */
    }
    p = vt_ymap_find(map, "bind");
    if (p) {
        read_bind(c, p->value, cfg);
    }
    p = vt_ymap_find(map, "allow");
    if (p) {
        read_allow(c, p->value, cfg);
    }
    p = vt_ymap_find(map, "rate");
    if (p) {
        vt_read_number(c, "rate", p->value, 1, 100000, false, &cfg->osc.rate);
    }
    c->where[0] = '\0';
}

void vt_config_free_osc(vt_config *cfg) {
    free(cfg->osc.bind);
    free(cfg->osc.allow);
}
