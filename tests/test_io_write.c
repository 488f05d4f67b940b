/* The write side of files: an atomic write only ever replaces a regular file (never a FIFO, a
 * device, a folder or a symbolic link), its temporary file is created new (a link planted at a
 * guessable name is not followed), and the temporaries of killed processes are swept. */
#include "io/vt_io.h"
#include "vt_test.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
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
        {fifo, "a named pipe (FIFO)", S_IFIFO}, {link, "a symbolic link", S_IFLNK},
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

static void test_tmp_parse(void) {
    static const struct {
        const char *name;
        bool ok;
        size_t target_len;
        long pid;
    } cases[] = {
        {"frame_00001.png.tmp-123-aB3xY9zQ0k", true, 15, 123},
        {"frame_00001.png.tmp-4567", true, 15, 4567}, /* earlier versions' naming */
        {"a.tmp-b.wav.tmp-9-x", true, 11, 9},
        {"frame_00001.png", false, 0, 0},
        {".tmp-12-abc", false, 0, 0},
        {"x.tmp-", false, 0, 0},
        {"x.tmp-12-", false, 0, 0},
        {"x.tmp-12-ab.c", false, 0, 0},
        {"x.tmp-0-abc", false, 0, 0},
        {"x.tmp-99999999999-abc", false, 0, 0},
        {"x.tmp-12x", false, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = 0;
        long pid = 0;
        bool ok = vt_file_tmp_parse(cases[i].name, &len, &pid);
        if (ok != cases[i].ok) {
            VT_CHECK_STR(cases[i].name, ok ? "(parsed, should not)" : "(not parsed)");
        } else if (ok) {
            VT_CHECK_INT(len, cases[i].target_len);
            VT_CHECK_INT(pid, cases[i].pid);
        }
    }
}

static bool accept_png(const char *name, size_t len, void *ctx) {
    (void)ctx;
    return len > 4 && memcmp(name + len - 4, ".png", 4) == 0;
}

static bool exists(const char *dir, const char *name) {
    char *p = vt_xasprintf("%s/%s", dir, name);
    struct stat st;
    bool yes = lstat(p, &st) == 0;
    free(p);
    return yes;
}

/* Temporaries whose process is gone are removed; a live process's, this one's and other
 * targets' are kept. */
static void test_sweep(void) {
    char *dir = at("sweep");
    VT_CHECK_INT(vt_dir_create(dir, NULL), VT_OK);
    pid_t dead = fork();
    if (dead == 0) {
        _exit(0);
    }
    waitpid(dead, NULL, 0);
    pid_t alive = fork();
    if (alive == 0) {
        pause();
        _exit(0);
    }
    char names[6][96];
    snprintf(names[0], 96, "frame_00000.png.tmp-%ld-abcdefghij", (long)dead);
    snprintf(names[1], 96, "frame_00001.png.tmp-%ld", (long)dead);
    snprintf(names[2], 96, "frame_00002.png.tmp-%ld-abcdefghij", (long)alive);
    snprintf(names[3], 96, "frame_00003.png.tmp-%ld-abcdefghij", (long)getpid());
    snprintf(names[4], 96, "notes.txt.tmp-%ld-abcdefghij", (long)dead);
    snprintf(names[5], 96, "frame_00005.png.tmp-%ld-abcdefghij-not", (long)dead);
    for (int i = 0; i < 6; i++) {
        char *p = vt_xasprintf("%s/%s", dir, names[i]);
        put(p, "partial");
        free(p);
    }
    VT_CHECK_INT(vt_file_tmp_sweep(dir, accept_png, NULL), 2);
    VT_CHECK(!exists(dir, names[0]));
    VT_CHECK(!exists(dir, names[1]));
    for (int i = 2; i < 6; i++) {
        if (!exists(dir, names[i])) {
            VT_CHECK_STR(names[i], "(kept)");
        }
    }
    kill(alive, SIGKILL);
    waitpid(alive, NULL, 0);
    VT_CHECK_INT(vt_file_tmp_sweep(dir, accept_png, NULL), 1); /* now the live one's too */
    VT_CHECK(!exists(dir, names[2]));
    free(dir);
}

int main(void) {
    snprintf(root, sizeof root, "/tmp/vt-test-io-write-XXXXXX");
    if (!mkdtemp(root)) {
        return 2;
    }
    test_refuses_special_targets();
    test_planted_link();
    test_tmp_parse();
    test_sweep();
    char *cmd = vt_xasprintf("rm -rf '%s'", root);
    VT_CHECK_INT(system(cmd), 0);
    free(cmd);
    return vt_test_finish("test_io_write");
}
