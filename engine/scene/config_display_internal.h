/* Private to the scene module: the operator config's `display:` block, which names the control
 * of the display's brightness (a backlight or DDC/CI) the energy governor may use. */
#ifndef VT_CONFIG_DISPLAY_INTERNAL_H
#define VT_CONFIG_DISPLAY_INTERNAL_H

#include "scene/scene_internal.h"
#include "scene/vt_config.h"

/* Fills cfg->display from the `display` pair; every mistake goes to c's diags. */
void vt_config_parse_display(vt_vctx *c, const vt_ypair *pair, vt_config *cfg);

#endif
