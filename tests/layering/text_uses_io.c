/* Must build: engine/text may use engine/io (the control for text_uses_render.c, compiled with
 * the same view of engine/). */
#include "io/vt_io.h"
#include "text/vt_text.h"

int vt_layering_probe(void);
int vt_layering_probe(void) {
    return 0;
}
