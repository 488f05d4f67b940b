/* Must not build: engine/text sits below engine/render, so a text source cannot see the
 * renderer's header (tests/test_layering.sh builds this and expects the failure). */
#include "render/vt_render.h"

int vt_layering_probe(void);
int vt_layering_probe(void) {
    return 0;
}
