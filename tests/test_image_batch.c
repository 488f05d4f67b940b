/* Image batches: decoding on a background thread gives the same results as decoding in place,
 * keeps failures per file, and frees what nobody took; vt_image_first_users finds each file's
 * first layer. */
#include "io/vt_image.h"
#include "vt_test.h"

int main(void) {
    const char *suite = getenv("VT_PNGSUITE");
    char *ok_path = vt_xasprintf("%s/basn2c08.png", suite ? suite : ".");
    char *bad_path = vt_xasprintf("%s/xcrn0g04.png", suite ? suite : ".");
    const char *paths[] = {ok_path, NULL, "no/such/file.png", bad_path, ok_path};
    vt_image_batch *b = vt_image_batch_start(paths, 5);
    vt_image_result *r = vt_image_batch_wait(b);
    VT_CHECK(r == vt_image_batch_wait(b)); /* waiting twice is harmless */

    vt_image direct = {0};
    VT_CHECK_INT(vt_image_load(ok_path, NULL, &direct, NULL), VT_OK);
    VT_CHECK_INT(r[0].status, VT_OK);
    VT_CHECK_INT(r[0].image.width, 32);
    VT_CHECK_INT(r[0].image.height, 32);
    VT_CHECK(r[0].image.pixels && memcmp(r[0].image.pixels, direct.pixels, 32 * 32 * 4) == 0);
    VT_CHECK_INT(r[1].status, VT_OK); /* NULL path: skipped */
    VT_CHECK(r[1].image.pixels == NULL);
    VT_CHECK_INT(r[2].status, VT_E_NOINPUT);
    VT_CHECK(strstr(r[2].error.message, "no/such/file.png") != NULL);
    VT_CHECK_INT(r[3].status, VT_E_DATAERR);
    VT_CHECK(strstr(r[3].error.message, "xcrn0g04.png") != NULL);

    /* Take one image; the batch frees the other (ASan checks both ways). */
    vt_image taken = r[0].image;
    r[0].image = (vt_image){0};
    vt_image_batch_free(b);
    VT_CHECK_INT(taken.width, 32);
    vt_image_free(&taken);
    vt_image_free(&direct);
    vt_image_batch_free(NULL);
    free(ok_path);
    free(bad_path);

    /* Each file once: every path points at its first occurrence. */
    const char *files[] = {"b.png", NULL, "a.png", "b.png", NULL, "a.png", "c.png", "b.png"};
    size_t first[8], want[8] = {0, 1, 2, 0, 4, 2, 6, 0};
    vt_image_first_users(files, 8, first);
    for (size_t i = 0; i < 8; i++) {
        VT_CHECK_INT(first[i], want[i]);
    }
    return vt_test_finish("test_image_batch");
}
