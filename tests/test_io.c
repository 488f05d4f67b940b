/* Files: asset path confinement (including through symbolic links), bounded reads, atomic
 * writes and folder creation. */
#include "io/vt_io.h"
#include "vt_test.h"

#include <sys/stat.h>
#include <unistd.h>

static char root[64];

static void put(const char *rel, const char *text) {
    char *p = vt_xasprintf("%s/%s", root, rel);
    FILE *f = fopen(p, "w");
    fputs(text, f);
    fclose(f);
    free(p);
}

static void test_confine(void) {
    char *scene = vt_xasprintf("%s/scene", root);
    char *out = vt_xasprintf("%s/outside.png", root);
    put("outside.png", "x");
    vt_dir_create(scene, NULL);
    char *img = vt_xasprintf("%s/img", scene);
    vt_dir_create(img, NULL);
    put("scene/img/a.png", "x");
    char *link_out = vt_xasprintf("%s/img/escape.png", scene);
    char *link_in = vt_xasprintf("%s/img/alias.png", scene);
    VT_CHECK_INT(symlink(out, link_out), 0);
    VT_CHECK_INT(symlink("a.png", link_in), 0);

    static const struct {
        const char *rel;
        vt_status want;
        const char *message;
    } cases[] = {
        {"img/a.png", VT_OK, NULL},
        {"./img/../img/a.png", VT_OK, NULL},
        {"img/alias.png", VT_OK, NULL},
        {"img/missing.png", VT_E_NOINPUT, "'img/missing.png' not found (looked in "},
        {"../outside.png", VT_E_DATAERR, "'../outside.png' leaves the scene's folder; assets "
                                         "must stay inside it (copy the file next to the scene)"},
        {"img/../../outside.png", VT_E_DATAERR, "'img/../../outside.png' leaves the scene's"},
        {"/etc/passwd", VT_E_DATAERR, "'/etc/passwd' is an absolute path;"},
        {"img/escape.png", VT_E_DATAERR, "'img/escape.png' leads out of the scene's folder "
                                         "through a symbolic link"},
        {"img", VT_E_DATAERR, "'img' is not a regular file (it is a folder)"},
        {"", VT_E_DATAERR, "the path is empty"},
        {"img\\a.png", VT_E_DATAERR, "'img\\a.png' contains a backslash; use"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *path = NULL;
        vt_error err = {0};
        vt_status st = vt_path_confine(scene, cases[i].rel, &path, &err);
        VT_CHECK_INT(st, cases[i].want);
        if (cases[i].message) {
            if (strncmp(err.message, cases[i].message, strlen(cases[i].message)) != 0) {
                VT_CHECK_STR(err.message, cases[i].message);
            }
        } else {
            VT_CHECK(path != NULL && access(path, R_OK) == 0);
        }
        free(path);
    }
    free(scene);
    free(out);
    free(img);
    free(link_out);
    free(link_in);
}

static void test_read_write(void) {
    char *p = vt_xasprintf("%s/deep/er/file.txt", root);
    char *dir = vt_xasprintf("%s/deep/er", root);
    VT_CHECK_INT(vt_dir_create(dir, NULL), VT_OK);
    VT_CHECK_INT(vt_dir_create(dir, NULL), VT_OK); /* exists: fine */
    VT_CHECK_INT(vt_file_write_atomic(p, "hello", 5, VT_WRITE_SYNC, NULL), VT_OK);
    char *data = NULL;
    size_t len = 0;
    VT_CHECK_INT(vt_file_read(p, 100, &data, &len, NULL), VT_OK);
    VT_CHECK_INT(len, 5);
    VT_CHECK_STR(data, "hello");
    free(data);
    vt_error err = {0};
    VT_CHECK_INT(vt_file_read(p, 4, &data, &len, &err), VT_E_DATAERR);
    VT_CHECK(strstr(err.message, "file too large") != NULL);
    VT_CHECK_INT(vt_file_read(dir, 4, &data, &len, &err), VT_E_NOINPUT);
    char *missing = vt_xasprintf("%s/none", root);
    VT_CHECK_INT(vt_file_read(missing, 4, &data, &len, &err), VT_E_NOINPUT);
    VT_CHECK(strstr(err.message, "No such file") != NULL);
    /* A FIFO without a writer and a device are refused at once, never waited on or read. */
    char *fifo = vt_xasprintf("%s/pipe", root);
    VT_CHECK_INT(mkfifo(fifo, 0600), 0);
    alarm(10); /* a regression ends the test instead of hanging it */
    VT_CHECK_INT(vt_file_read(fifo, 4, &data, &len, &err), VT_E_NOINPUT);
    char *want = vt_xasprintf("%s: cannot read: it is a named pipe (FIFO), not a regular file; "
                              "give the path of a file",
                              fifo);
    VT_CHECK_STR(err.message, want);
    VT_CHECK_INT(vt_file_read("/dev/zero", 1u << 20, &data, &len, &err), VT_E_NOINPUT);
    VT_CHECK_STR(err.message, "/dev/zero: cannot read: it is a character device, not a regular "
                              "file; give the path of a file");
    alarm(0);
    free(want);
    free(fifo);
    /* A file where a folder should be. */
    VT_CHECK_INT(vt_dir_create(p, &err), VT_E_CANTCREAT);
    char *under = vt_xasprintf("%s/sub", p);
    VT_CHECK_INT(vt_file_write_atomic(under, "x", 1, 0, &err), VT_E_CANTCREAT);
    static const char *const dirs[][2] = {{"a/b/c.yaml", "a/b"}, {"c.yaml", "."}, {"/c", "/"}};
    for (size_t i = 0; i < 3; i++) {
        char *d = vt_path_dirname(dirs[i][0]);
        VT_CHECK_STR(d, dirs[i][1]);
        free(d);
    }
    free(p);
    free(dir);
    free(missing);
    free(under);
}

int main(void) {
    snprintf(root, sizeof root, "/tmp/vt-test-io-XXXXXX");
    if (!mkdtemp(root)) {
        return 2;
    }
    test_confine();
    test_read_write();
    char *cmd = vt_xasprintf("rm -rf '%s'", root);
    VT_CHECK_INT(system(cmd), 0);
    free(cmd);
    return vt_test_finish("test_io");
}
