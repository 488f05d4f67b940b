/* The operator config's keys for a room left to run by itself: `fallback_image` (shown when the
 * scene cannot be loaded at start), `proof_of_play: {log, log_max_mb}` (what played when, for
 * curators) and `projectors` (PJLink projectors powered with the opening hours). Paths are
 * relative to the config's folder, as the energy log's. */
#include "config/config_internal.h"

#include "io/vt_io.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define PJLINK_PORT 4352
#define PJLINK_PASSWORD_MAX 32 /* the PJLink specification's limit */

static const vt_field pop_fields[] = {VT_FIELD_LATER("log"), VT_FIELD_LATER("log_max_mb")};
static const vt_table pop_table = {pop_fields, 2, NULL, "proof_of_play"};
static const vt_field projector_fields[] = {VT_FIELD_LATER("address"), VT_FIELD_LATER("port"),
                                            VT_FIELD_LATER("password")};
static const vt_table projector_table = {projector_fields, 3, NULL, "projector"};

/* A file named in the config: relative to the config's folder. NULL after reporting. */
static char *config_path(vt_vctx *c, const char *key, const vt_ynode *v) {
    if (!vt_read_string(c, key, v)) {
        return NULL;
    }
    if (v->len >= PATH_MAX) {
        vt_vctx_error(c, v, "'%s' is longer than %d bytes", key, PATH_MAX - 1);
        return NULL;
    }
    for (size_t i = 0; i < v->len; i++) {
        if ((unsigned char)v->text[i] < 0x20) {
            vt_vctx_error(c, v, "'%s' must be a file name without control characters", key);
            return NULL;
        }
    }
    if (v->text[0] == '/' || !c->path) {
        return vt_xstrdup(v->text);
    }
    char *dir = vt_path_dirname(c->path);
    char *path = vt_xasprintf("%s/%s", dir, v->text);
    free(dir);
    return path;
}

static void parse_proof_of_play(vt_vctx *c, const vt_ynode *v, vt_config *cfg) {
    if (v->kind != VT_YNODE_MAP) {
        vt_type_error(c, "proof_of_play", v, "a mapping",
                      "write it like {log: /var/log/vitrine/plays.csv}");
        return;
    }
    snprintf(c->where, sizeof c->where, " in 'proof_of_play'");
    vt_table_apply(c, &pop_table, 1, v, NULL, NULL);
    const vt_ypair *p = vt_ymap_find(v, "log");
    if (p) {
        cfg->proof_of_play.log = config_path(c, "log", p->value);
    } else {
        vt_vctx_error(c, v, "'proof_of_play' needs 'log: FILE.csv', the file to write");
    }
    p = vt_ymap_find(v, "log_max_mb");
    if (p) {
        vt_read_number(c, "log_max_mb", p->value, 0.0625, 1e6, false,
                       &cfg->proof_of_play.log_max_mb);
    }
    c->where[0] = '\0';
}

static bool read_password(vt_vctx *c, const vt_ynode *v, char **out) {
    if (!vt_read_string(c, "password", v)) {
        return false;
    }
    bool ok = v->len <= PJLINK_PASSWORD_MAX;
    for (size_t i = 0; ok && i < v->len; i++) {
        ok = v->text[i] > 0x20 && v->text[i] < 0x7F;
    }
    if (!ok) {
        vt_vctx_error(c, v,
                      "a PJLink 'password' is 1 to %d printable ASCII characters without spaces, "
                      "as set in the projector's menu",
                      PJLINK_PASSWORD_MAX);
        return false;
    }
    *out = vt_xstrdup(v->text);
    return true;
}

static void parse_projector(vt_vctx *c, const vt_ynode *v, vt_config_projector *pr) {
    pr->line = v->line;
    pr->col = v->col;
    pr->port = PJLINK_PORT;
    if (v->kind != VT_YNODE_MAP) {
        vt_type_error(c, "projectors", v, "a mapping",
                      "write each projector like {address: 10.0.0.21, password: secret}");
        return;
    }
    vt_table_apply(c, &projector_table, 1, v, NULL, NULL);
    const vt_ypair *p = vt_ymap_find(v, "address");
    vt_osc_cidr probe;
    char shown[64];
    if (!p) {
        vt_vctx_error(c, v, "a projector needs 'address:', its numeric address like 10.0.0.21");
    } else if (vt_read_string(c, "address", p->value)) {
        if (strchr(p->value->text, '/') || !vt_osc_cidr_parse(p->value->text, &probe)) {
            vt_vctx_error(c, p->value,
                          "'address' must be a numeric address like 10.0.0.21, not '%s' (names "
                          "are not looked up: the show must not wait on a DNS server)",
                          vt_yshow(p->value->text, p->value->len, shown, sizeof shown));
        } else {
            pr->address = vt_xstrdup(p->value->text);
        }
    }
    p = vt_ymap_find(v, "port");
    double port = 0;
    if (p && vt_read_number(c, "port", p->value, 1, 65535, true, &port)) {
        pr->port = (int)port;
    }
    p = vt_ymap_find(v, "password");
    if (p) {
        read_password(c, p->value, &pr->password);
    }
}

static void parse_projectors(vt_vctx *c, const vt_ynode *v, vt_config *cfg) {
    if (v->kind != VT_YNODE_SEQ) {
        vt_type_error(c, "projectors", v, "a list",
                      "write it like [{address: 10.0.0.21, password: secret}]");
        return;
    }
    if (v->count > VT_CONFIG_PROJECTORS_MAX) {
        vt_vctx_error(c, v, "'projectors' lists %zu projectors; at most %d", v->count,
                      VT_CONFIG_PROJECTORS_MAX);
        return;
    }
    cfg->projectors = vt_xcalloc(v->count + 1, sizeof *cfg->projectors);
    snprintf(c->where, sizeof c->where, " in 'projectors'");
    for (size_t i = 0; i < v->count; i++) {
        vt_config_projector pr = {0};
        parse_projector(c, v->items[i], &pr);
        if (pr.address) {
            cfg->projectors[cfg->projector_count++] = pr;
        } else {
            free(pr.password);
        }
    }
    c->where[0] = '\0';
}

void vt_config_parse_ops(vt_vctx *c, const vt_ynode *root, vt_config *cfg) {
    const vt_ypair *p = vt_ymap_find(root, "fallback_image");
    if (p) {
        cfg->fallback_image = config_path(c, "fallback_image", p->value);
    }
    p = vt_ymap_find(root, "proof_of_play");
    if (p) {
        parse_proof_of_play(c, p->value, cfg);
    }
    p = vt_ymap_find(root, "projectors");
    if (p) {
        parse_projectors(c, p->value, cfg);
    }
}

void vt_config_free_ops(vt_config *cfg) {
    free(cfg->fallback_image);
    free(cfg->proof_of_play.log);
    for (size_t i = 0; i < cfg->projector_count; i++) {
        free(cfg->projectors[i].address);
        free(cfg->projectors[i].password);
    }
    free(cfg->projectors);
}
