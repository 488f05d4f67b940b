/* Private to the scene module: the operator config's energy log settings and display commands
 * (config_extra.c), kept apart from config.c's sensor and budget keys. */
#ifndef VT_CONFIG_INTERNAL_H
#define VT_CONFIG_INTERNAL_H

#include "doc/vt_doc.h"
#include "config/vt_config.h"

/* `log` and `log_max_mb` of the `energy` mapping `map`. */
void vt_config_parse_log(vt_vctx *c, const vt_ynode *map, vt_config *cfg);
/* `display_off_command` and `display_on_command` of the root mapping. */
void vt_config_parse_commands(vt_vctx *c, const vt_ynode *root, vt_config *cfg);
/* The `metrics` mapping `map`: `file`, a .prom file for node_exporter's textfile collector. */
void vt_config_parse_metrics(vt_vctx *c, const vt_ynode *map, vt_config *cfg);
/* Frees what the three above allocated. */
void vt_config_free_extra(vt_config *cfg);
/* The `osc` block (config_osc.c), and freeing what it allocated. */
void vt_config_parse_osc(vt_vctx *c, const vt_ypair *pair, vt_config *cfg);
void vt_config_free_osc(vt_config *cfg);
/* `fallback_image`, `proof_of_play` and `projectors` of the root mapping (config_ops.c), and
 * freeing what they allocated. */
void vt_config_parse_ops(vt_vctx *c, const vt_ynode *root, vt_config *cfg);
void vt_config_free_ops(vt_config *cfg);
/* The `sync` block (config_sync.c), and freeing it. */
void vt_config_parse_sync(vt_vctx *c, const vt_ypair *pair, vt_config *cfg);
void vt_config_free_sync(vt_config *cfg);

#endif
