/* Private to the scene module: reading a `schedule:` block (scene or operator config) into the
 * governor's plain vt_schedule. */
#ifndef VT_SCHEDULE_INTERNAL_H
#define VT_SCHEDULE_INTERNAL_H

#include "governor/vt_schedule.h"
#include "scene/scene_internal.h"

/* Fills *out from the `schedule` pair (out->present set); every mistake goes to c's diags. */
void vt_schedule_parse(vt_vctx *c, const vt_ypair *pair, vt_schedule *out);

#endif
