/* Private to the scene module: the operator config's `display:` block, which names the control
 * of the display's brightness (a backlight or DDC/CI) the energy governor may use. */
#ifndef VT_CONFIG_BRIGHTNESS_INTERNAL_H
#define VT_CONFIG_BRIGHTNESS_INTERNAL_H

#include "doc/vt_doc.h"
#include "config/vt_config.h"

/* Fills cfg->brightness from the `display` pair; every mistake goes to c's diags. */
void vt_config_parse_brightness(vt_vctx *c, const vt_ypair *pair, vt_config *cfg);

#endif
