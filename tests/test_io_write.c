/* The write side of files: an atomic write only ever replaces a regular file (never a FIFO, a
 * device, a folder or a symbolic link), its temporary file is created new (a link planted at a
 * guessable name is not followed). */
#include "io/vt_io.h"
#include "vt_test.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static char root[64];

static char *at(const char *rel) {
    return vt_xasprintf("%s/%s", root, rel);
}

static void put(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static char *slurp(const char *path) {
    char *data = NULL;
    size_t len = 0;
    return vt_file_read(path, 4096, &data, &len, NULL) == VT_OK ? data : vt_xstrdup("<unread>");
}

/* How many names in `dir` contain `part`. */
static int count_names(const char *dir, const char *part) {
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
        n += strstr(e->d_name, part) != NULL;
    }
    if (d) {
        closedir(d);
    }
    return n;
}

/* Each kind of non-regular target is refused with VT_E_CANTCREAT and left as it was. */
static void test_refuses_special_targets(void) {
    char *dir = at("t");
    VT_CHECK_INT(vt_dir_create(dir, NULL), VT_OK);
    char *outside = at("outside.txt");
    put(outside, "keep me");
    char *fifo = at("t/fifo.png"), *link = at("t/link.png"), *folder = at("t/folder.png");
    char *dev_link = at("t/null-link.png"), *dev = at("t/null.png");
    VT_CHECK_INT(mkfifo(fifo, 0644), 0);
    VT_CHECK_INT(symlink(outside, link), 0);
    VT_CHECK_INT(mkdir(folder, 0755), 0);
    VT_CHECK_INT(symlink("/dev/null", dev_link), 0);
    bool have_dev = mknod(dev, S_IFCHR | 0666, makedev(1, 3)) == 0; /* root only */
    if (!have_dev) {
        printf("SKIP: character device target (mknod needs root): %s\n", strerror(errno));
    }
    const struct {
        const char *path;
        const char *kind;
        mode_t type;
    } cases[] = {
        {fifo, "a FIFO (named pipe)", S_IFIFO}, {link, "a symbolic link", S_IFLNK},
        {folder, "a folder", S_IFDIR},          {dev_link, "a symbolic link", S_IFLNK},
        {dev, "a character device", S_IFCHR},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (cases[i].type == S_IFCHR && !have_dev) {
            continue;
        }
        vt_error err = {0};
        VT_CHECK_INT(vt_file_write_atomic(cases[i].path, "PNG", 3, VT_WRITE_SYNC, &err),
                     VT_E_CANTCREAT);
        VT_CHECK(strstr(err.message, "not a regular file") != NULL);
        VT_CHECK(strstr(err.message, cases[i].kind) != NULL);
        struct stat st;
        VT_CHECK(lstat(cases[i].path, &st) == 0 && (st.st_mode & S_IFMT) == cases[i].type);
        VT_CHECK_INT(vt_file_check_target(cases[i].path, NULL), VT_E_CANTCREAT);
    }
    char *text = slurp(outside);
    VT_CHECK_STR(text, "keep me");
    free(text);
    char target[PATH_MAX] = "";
    VT_CHECK(readlink(dev_link, target, sizeof target - 1) > 0);
    VT_CHECK_STR(target, "/dev/null");
    VT_CHECK_INT(count_names(dir, VT_TMP_MARK), 0);
    /* A regular file is replaced; a missing one created. */
    char *plain = at("t/plain.png");
    put(plain, "old");
    VT_CHECK_INT(vt_file_check_target(plain, NULL), VT_OK);
    VT_CHECK_INT(vt_file_write_atomic(plain, "new", 3, 0, NULL), VT_OK);
    text = slurp(plain);
    VT_CHECK_STR(text, "new");
    free(text);
    VT_CHECK_INT(count_names(dir, VT_TMP_MARK), 0);
    free(dir);
    free(outside);
    free(fifo);
    free(link);
    free(folder);
    free(dev_link);
    free(dev);
    free(plain);
}

/* A symbolic link planted at the temporary name earlier versions used ("<path>.tmp-<pid>") or
 * at any name is never opened: the file it points to stays as it was. */
static void test_planted_link(void) {
    char *outside = at("victim.txt"), *path = at("t/out.png");
    put(outside, "victim");
    char *planted = vt_xasprintf("%s.tmp-%ld", path, (long)getpid());
    VT_CHECK_INT(symlink(outside, planted), 0);
    VT_CHECK_INT(vt_file_write_atomic(path, "frame", 5, 0, NULL), VT_OK);
    char *text = slurp(outside);
    VT_CHECK_STR(text, "victim");
    free(text);
    text = slurp(path);
    VT_CHECK_STR(text, "frame");
    free(text);
    struct stat st;
    VT_CHECK(lstat(planted, &st) == 0 && S_ISLNK(st.st_mode));
    /* The temporary's name: the target, the pid, 10 unpredictable characters, a new file. */
    char *tmp1 = NULL, *tmp2 = NULL;
    int fd1 = vt_file_tmp_create(path, &tmp1), fd2 = vt_file_tmp_create(path, &tmp2);
    VT_CHECK(fd1 >= 0 && fd2 >= 0);
    char *prefix = vt_xasprintf("%s.tmp-%ld-", path, (long)getpid());
    VT_CHECK(strncmp(tmp1, prefix, strlen(prefix)) == 0 && strlen(tmp1) == strlen(prefix) + 10);
    VT_CHECK(strcmp(tmp1, tmp2) != 0);
    close(fd1);
    close(fd2);
    unlink(tmp1);
    unlink(tmp2);
    unlink(planted);
    free(tmp1);
    free(tmp2);
    free(prefix);
    free(planted);
    free(outside);
    free(path);
}

int main(void) {
    snprintf(root, sizeof root, "/tmp/vt-test-io-write-XXXXXX");
    if (!mkdtemp(root)) {
        return 2;
    }
    test_refuses_special_targets();
    test_planted_link();
    char *cmd = vt_xasprintf("rm -rf '%s'", root);
    VT_CHECK_INT(system(cmd), 0);
    free(cmd);
    return vt_test_finish("test_io_write");
}
