/* The operator config's `display:` block: `backlight: NAME-or-/folder` or `ddcutil: {display:
 * N}`. Only the syntax is checked here; whether the backlight exists is seen when play opens it
 * (the message then names this block's line:col). */
#include "config/config_brightness_internal.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static const vt_field display_fields[] = {VT_FIELD_LATER("backlight"), VT_FIELD_LATER("ddcutil")};
static const vt_field ddcutil_fields[] = {VT_FIELD_LATER("display")};
static const vt_table display_table = {display_fields, 2, NULL, "display"};
static const vt_table ddcutil_table = {ddcutil_fields, 1, NULL, "ddcutil"};

/* A name the kernel gives a backlight (intel_backlight, acpi_video0, amdgpu_bl1...). */
static bool backlight_name_ok(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '.' || ch == ':';
        if (!ok) {
            return false;
        }
    }
    return len > 0 && strcmp(s, ".") != 0 && strcmp(s, "..") != 0;
}

static bool read_backlight(vt_vctx *c, const vt_ynode *v) {
    char shown[64];
    if (!vt_read_string(c, "backlight", v)) {
        return false;
    }
    if (memchr(v->text, '/', v->len)) {
        if (v->text[0] != '/') {
            vt_vctx_error(c, v,
                          "a backlight folder must be an absolute path, like "
                          "/sys/class/backlight/intel_backlight, or a name, like "
                          "intel_backlight");
            return false;
        }
        if (v->len >= PATH_MAX / 8) {
            vt_vctx_error(c, v, "the backlight folder is longer than %d bytes", PATH_MAX / 8 - 1);
            return false;
        }
        return true;
    }
    if (!backlight_name_ok(v->text, v->len) || v->len > 255) {
        vt_vctx_error(c, v,
                      "'%s' is not a backlight name (letters, digits, '_', '-', '.', ':'); "
                      "`vitrine sensors` lists this machine's backlights",
                      vt_yshow(v->text, v->len, shown, sizeof shown));
        return false;
    }
    return true;
}

/* `ddcutil: {display: N}`; `ddcutil:` alone or `{}` means display 1. */
static bool read_ddcutil(vt_vctx *c, const vt_ynode *v, int *display) {
    *display = 1;
    if (vt_ynode_is_null(v)) {
        return true;
    }
    if (v->kind != VT_YNODE_MAP) {
        vt_type_error(c, "ddcutil", v, "a mapping", "write it like {display: 1}");
        return false;
    }
    snprintf(c->where, sizeof c->where, " in 'ddcutil'");
    vt_table_apply(c, &ddcutil_table, 1, v, NULL, NULL);
    const vt_ypair *p = vt_ymap_find(v, "display");
    double n = 1;
    bool ok = !p || vt_read_number(c, "display", p->value, 1, 100, true, &n);
    snprintf(c->where, sizeof c->where, " in 'display'");
    if (!ok) {
        return false;
    }
    *display = (int)n;
    return true;
}

void vt_config_parse_brightness(vt_vctx *c, const vt_ypair *pair, vt_config *cfg) {
    const vt_ynode *map = pair->value;
    if (vt_ynode_is_null(map)) {
        return;
    }
    if (map->kind != VT_YNODE_MAP) {
        vt_type_error(c, "display", map, "a mapping",
                      "write 'backlight: NAME' or 'ddcutil: {display: 1}' on the next line, "
                      "indented");
        return;
    }
    snprintf(c->where, sizeof c->where, " in 'display'");
    vt_table_apply(c, &display_table, 1, map, NULL, NULL);
    const vt_ypair *bl = vt_ymap_find(map, "backlight"), *ddc = vt_ymap_find(map, "ddcutil");
    if (bl && ddc) {
        const vt_ypair *second =
            bl->key->line > ddc->key->line ||
                    (bl->key->line == ddc->key->line && bl->key->col > ddc->key->col)
                ? bl
                : ddc;
        vt_vctx_error(c, second->key,
                      "'display' names both a backlight and ddcutil; keep the one that "
                      "controls this screen");
        c->where[0] = '\0';
        return;
    }
    if (bl && read_backlight(c, bl->value)) {
        cfg->brightness.backlight = vt_xstrdup(bl->value->text);
        cfg->brightness.line = bl->value->line;
        cfg->brightness.col = bl->value->col;
    } else if (ddc && read_ddcutil(c, ddc->value, &cfg->brightness.ddcutil_display)) {
        cfg->brightness.line = ddc->key->line;
        cfg->brightness.col = ddc->key->col;
    }
    c->where[0] = '\0';
}
