/* The operator config's energy log (`energy: {log, log_max_mb}`) and display power commands
 * (`display_off_command`, `display_on_command`): argument lists run without a shell, so no
 * quoting or expansion can surprise the operator, and only from the operator's config: a scene
 * file has no such keys and is refused if it tries. */
#include "config/config_internal.h"

#include "io/vt_io.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define COMMAND_MAX_ARGS 64
#define ARG_MAX_BYTES 4096

void vt_config_parse_log(vt_vctx *c, const vt_ynode *map, vt_config *cfg) {
    const vt_ypair *p = vt_ymap_find(map, "log");
    if (p && vt_read_string(c, "log", p->value)) {
        const char *path = p->value->text;
        if (p->value->len >= PATH_MAX) {
            vt_vctx_error(c, p->value, "'log' is longer than %d bytes", PATH_MAX - 1);
        } else if (path[0] == '/' || !c->path) {
            cfg->energy.log = vt_xstrdup(path);
        } else {
            /* Relative to the config file, not to wherever the service happens to start. */
            char *dir = vt_path_dirname(c->path);
            cfg->energy.log = vt_xasprintf("%s/%s", dir, path);
            free(dir);
        }
    }
    p = vt_ymap_find(map, "log_max_mb");
    if (p) {
        vt_read_number(c, "log_max_mb", p->value, 0.0625, 1e6, false, &cfg->energy.log_max_mb);
    }
}

static bool command_arg_ok(vt_vctx *c, const char *key, const vt_ynode *v, bool first) {
    if (!vt_read_string(c, key, v)) {
        return false;
    }
    if (v->len > ARG_MAX_BYTES) {
        vt_vctx_error(c, v, "an argument of '%s' is longer than %d bytes", key, ARG_MAX_BYTES);
        return false;
    }
    if (first && v->text[0] != '/' && strchr(v->text, '/')) {
        char shown[64];
        vt_vctx_error(c, v,
                      "'%s' starts with the relative path '%s'; give an absolute path or a "
                      "program name found on PATH",
                      key, vt_yshow(v->text, v->len, shown, sizeof shown));
        return false;
    }
    return true;
}

/* A list like [xset, dpms, force, off] into a NULL-terminated argv, or NULL after reporting. */
static char **read_command(vt_vctx *c, const char *key, const vt_ynode *v) {
    if (v->kind != VT_YNODE_SEQ) {
        vt_type_error(c, key, v, "a list of arguments",
                      "write it like [xset, dpms, force, off]; no shell is used");
        return NULL;
    }
    if (v->count == 0 || v->count > COMMAND_MAX_ARGS) {
        vt_vctx_error(c, v, "'%s' needs from 1 to %d arguments, got %zu", key, COMMAND_MAX_ARGS,
                      v->count);
        return NULL;
    }
    bool ok = true;
    for (size_t i = 0; i < v->count; i++) {
        ok &= command_arg_ok(c, key, v->items[i], i == 0);
    }
    if (!ok) {
        return NULL;
    }
    char **argv = vt_xcalloc(v->count + 1, sizeof *argv);
    for (size_t i = 0; i < v->count; i++) {
        argv[i] = vt_xstrndup(v->items[i]->text, v->items[i]->len);
    }
    return argv;
}

void vt_config_parse_commands(vt_vctx *c, const vt_ynode *root, vt_config *cfg) {
    const vt_ypair *p = vt_ymap_find(root, "display_off_command");
    if (p) {
        cfg->display_off_command = read_command(c, "display_off_command", p->value);
    }
    p = vt_ymap_find(root, "display_on_command");
    if (p) {
        cfg->display_on_command = read_command(c, "display_on_command", p->value);
    }
}

static void free_argv(char **argv) {
    for (size_t i = 0; argv && argv[i]; i++) {
        free(argv[i]);
    }
    free(argv);
}

static const vt_field metrics_fields[] = {VT_FIELD_LATER("file"), VT_FIELD_LATER("interval")};
static const vt_table metrics_table = {metrics_fields, 2, NULL, "metrics"};

void vt_config_parse_metrics(vt_vctx *c, const vt_ynode *map, vt_config *cfg) {
    if (map->kind != VT_YNODE_MAP) {
        vt_type_error(c, "metrics", map, "a mapping",
                      "write it like metrics: {file: /var/lib/node_exporter/vitrine.prom}");
        return;
    }
    vt_table_apply(c, &metrics_table, 1, map, NULL, NULL);
    const vt_ypair *p = vt_ymap_find(map, "interval");
    if (p) {
        vt_read_number(c, "interval", p->value, 1, 3600, false, &cfg->metrics.interval);
    }
    p = vt_ymap_find(map, "file");
    if (!p || !vt_read_string(c, "file", p->value)) {
        if (!p) {
            vt_vctx_error(c, map,
                          "'metrics' needs 'file', the .prom file to write, like "
                          "/var/lib/node_exporter/vitrine.prom");
        }
        return;
    }
    const char *path = p->value->text;
    size_t len = p->value->len;
    if (len >= PATH_MAX) {
        vt_vctx_error(c, p->value, "'file' is longer than %d bytes", PATH_MAX - 1);
    } else if (len < 6 || strcmp(path + len - 5, ".prom") != 0 || path[len - 6] == '/') {
        vt_vctx_error(c, p->value,
                      "'file' must end in .prom: node_exporter's textfile collector reads only "
                      "such files");
    } else if (path[0] == '/' || !c->path) {
        cfg->metrics.file = vt_xstrdup(path);
    } else {
        char *dir = vt_path_dirname(c->path); /* relative to the config file, as `log` */
        cfg->metrics.file = vt_xasprintf("%s/%s", dir, path);
        free(dir);
    }
}

void vt_config_free_extra(vt_config *cfg) {
    free(cfg->energy.log);
    free(cfg->metrics.file);
    free_argv(cfg->display_off_command);
    free_argv(cfg->display_on_command);
}
