/* Entry point (placeholder until the command line lands). */
#include "core/vt_core.h"

int main(void) {
    printf("vitrine %s\n", VT_VERSION);
    return 0;
}
