/* Tests of engine/platform's file watcher (hot reload) and of vt_platform_wait waking on its
 * descriptor, in a temporary folder. Timings use short quiet periods and generous bounds: the
 * machine may be busy. Set VT_TEST_DISPLAY=1 (with SDL_VIDEODRIVER=x11, e.g. under xvfb-run) to
 * run the wake-up test through a driver that waits in the kernel (the helper thread). */
#include "platform/vt_platform.h"
#include "platform/vt_watch.h"
#include "vt_test.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MS INT64_C(1000000)
#define QUIET (50 * MS)

static char tmp_dir[] = "/tmp/vt-watch-XXXXXX";

/* tmp_dir/rel, to free. */
static char *tmp_path(const char *rel) {
    return vt_xasprintf("%s/%s", tmp_dir, rel);
}

static void write_file(const char *rel, const char *text) {
    char *path = tmp_path(rel);
    FILE *f = fopen(path, "w");
    VT_CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    free(path);
}

static void rename_rel(const char *from, const char *to) {
    char *a = tmp_path(from), *b = tmp_path(to);
    VT_CHECK_INT(rename(a, b), 0);
    free(a);
    free(b);
}

static void mkdir_rel(const char *rel) {
    char *path = tmp_path(rel);
    VT_CHECK_INT(mkdir(path, 0755), 0);
    free(path);
}

static void remove_tree(const char *rel) {
    char *cmd = vt_xasprintf("rm -rf '%s/%s'", tmp_dir, rel);
    VT_CHECK_INT(system(cmd), 0);
    free(cmd);
}

static void sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

/* Polls every 5 ms for `ms` milliseconds; the number of changes reported. */
static int poll_for(vt_watch *w, int ms) {
    int reports = 0;
    int64_t end = vt_now_ns() + ms * MS;
    while (vt_now_ns() < end) {
        reports += vt_watch_poll(w, vt_now_ns());
        sleep_ms(5);
    }
    return reports;
}

/* Polls until a change is reported; how long that took after `since` (ns), or -1 after 3 s. */
static int64_t wait_report(vt_watch *w, int64_t since) {
    while (vt_now_ns() - since < 3000 * MS) {
        int64_t now = vt_now_ns();
        if (vt_watch_poll(w, now)) {
            return now - since;
        }
        sleep_ms(5);
    }
    return -1;
}

/* A watcher on tmp_dir/<rel>... with the tests' quiet period. */
static vt_watch *make_watch(const char *const *rels, size_t count) {
    vt_watch *w = NULL;
    vt_error err = {0};
    VT_CHECK_INT(vt_watch_create(&w, &err), VT_OK);
    vt_watch_set_quiet(w, QUIET);
    char *paths[8];
    for (size_t i = 0; i < count; i++) {
        paths[i] = tmp_path(rels[i]);
    }
    vt_watch_set_files(w, (const char *const *)paths, count);
    for (size_t i = 0; i < count; i++) {
        free(paths[i]);
    }
    return w;
}

static void test_write_in_place(void) {
    write_file("scene.yaml", "v1");
    const char *files[] = {"scene.yaml", "a.png"};
    vt_watch *w = make_watch(files, 2);
    VT_CHECK(vt_watch_fd(w) >= 0);
    VT_CHECK(!vt_watch_poll(w, vt_now_ns()));
    VT_CHECK(vt_watch_deadline(w) == INT64_MAX);
    int64_t start = vt_now_ns();
    write_file("scene.yaml", "v2");
    VT_CHECK(!vt_watch_poll(w, vt_now_ns()));
    int64_t deadline = vt_watch_deadline(w);
    VT_CHECK(deadline >= start + QUIET && deadline < vt_now_ns() + QUIET + MS);
    int64_t took = wait_report(w, start);
    printf("write in place: reported after %.1f ms\n", (double)took / 1e6);
    VT_CHECK(took >= QUIET && took < 2000 * MS);
    VT_CHECK_INT(poll_for(w, 150), 0); /* once */
    VT_CHECK(vt_watch_deadline(w) == INT64_MAX);
    vt_watch_destroy(w);
}

static void test_editor_save(void) {
    const char *files[] = {"scene.yaml"};
    vt_watch *w = make_watch(files, 1);
    int64_t start = vt_now_ns();
    write_file(".scene.yaml.swp", "v3"); /* not watched: nothing yet */
    VT_CHECK_INT(poll_for(w, 20), 0);
    VT_CHECK(vt_watch_deadline(w) == INT64_MAX);
    rename_rel(".scene.yaml.swp", "scene.yaml");
    int64_t took = wait_report(w, start);
    VT_CHECK(took >= QUIET && took < 2000 * MS);
    VT_CHECK_INT(poll_for(w, 150), 0);
    vt_watch_destroy(w);
}

static void test_unwatched(void) {
    const char *files[] = {"scene.yaml"};
    vt_watch *w = make_watch(files, 1);
    write_file("notes.txt", "x");
    rename_rel("notes.txt", "notes2.txt");
    char *path = tmp_path("notes2.txt");
    VT_CHECK_INT(unlink(path), 0);
    free(path);
    VT_CHECK_INT(poll_for(w, 150), 0);
    VT_CHECK(vt_watch_deadline(w) == INT64_MAX);
    vt_watch_destroy(w);
}

/* A copy that pauses for less than the quiet period: reported once, after it ends. */
static void test_copy_in_progress(void) {
    const char *files[] = {"big.png"};
    vt_watch *w = make_watch(files, 1);
    char *path = tmp_path("big.png");
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    VT_CHECK(fd >= 0);
    VT_CHECK_INT(write(fd, "first half ", 11), 11);
    VT_CHECK_INT(poll_for(w, 30), 0);
    VT_CHECK_INT(write(fd, "second half", 11), 11);
    /* A slow copy goes on without an event (writes raise none we listen to): the sizes seen a
     * quiet period apart differ, so nothing is reported while it lasts. */
    for (int i = 0; i < 6; i++) {
        VT_CHECK_INT(poll_for(w, 30), 0);
        VT_CHECK_INT(write(fd, "more", 4), 4);
    }
    int64_t end = vt_now_ns();
    close(fd);
    int64_t took = wait_report(w, end);
    VT_CHECK(took >= QUIET && took < 2000 * MS);
    VT_CHECK_INT(poll_for(w, 150), 0);
    free(path);
    vt_watch_destroy(w);
}

/* New content deployed by renaming folders, then the folder deleted and made again. */
static void test_folder_swap(void) {
    mkdir_rel("show");
    write_file("show/scene.yaml", "old");
    const char *files[] = {"show/scene.yaml"};
    vt_watch *w = make_watch(files, 1);
    mkdir_rel("show.new");
    write_file("show.new/scene.yaml", "new");
    VT_CHECK_INT(poll_for(w, 20), 0);
    int64_t start = vt_now_ns();
    rename_rel("show", "show.old");
    rename_rel("show.new", "show");
    VT_CHECK(wait_report(w, start) >= 0);
    VT_CHECK_INT(poll_for(w, 150), 0);
    write_file("show.old/scene.yaml", "stale"); /* the watch must not follow the old folder */
    VT_CHECK_INT(poll_for(w, 150), 0);
    start = vt_now_ns();
    write_file("show/scene.yaml", "newer"); /* ...but watch the new one */
    VT_CHECK(wait_report(w, start) >= 0);
    /* Deleted: a change (the scene is gone), and a look at least every second for its return,
     * which is a change too. */
    start = vt_now_ns();
    remove_tree("show");
    VT_CHECK(wait_report(w, start) >= 0);
    int64_t now = vt_now_ns();
    VT_CHECK(!vt_watch_poll(w, now));
    VT_CHECK(vt_watch_deadline(w) <= now + VT_WATCH_RESCAN_NS);
    mkdir_rel("show");
    write_file("show/scene.yaml", "back");
    VT_CHECK(wait_report(w, vt_now_ns()) >= 0);
    VT_CHECK_INT(poll_for(w, 150), 0);
    VT_CHECK(vt_watch_deadline(w) == INT64_MAX);
    remove_tree("show.old");
    vt_watch_destroy(w);
}

static void test_set_files(void) {
    const char *first[] = {"one.png"};
    vt_watch *w = make_watch(first, 1);
    char *two = tmp_path("sub/two.png");
    mkdir_rel("sub");
    vt_watch_set_files(w, (const char *const *)&two, 1);
    write_file("one.png", "1");
    VT_CHECK_INT(poll_for(w, 120), 0);
    int64_t start = vt_now_ns();
    write_file("sub/two.png", "2");
    VT_CHECK(wait_report(w, start) >= 0);
    /* A pending change survives a new set with the same file; an empty set watches nothing. */
    write_file("sub/two.png", "22");
    VT_CHECK(!vt_watch_poll(w, vt_now_ns()));
    vt_watch_set_files(w, (const char *const *)&two, 1);
    VT_CHECK(wait_report(w, vt_now_ns()) >= 0);
    vt_watch_set_files(w, NULL, 0);
    write_file("sub/two.png", "222");
    VT_CHECK_INT(poll_for(w, 120), 0);
    VT_CHECK(vt_watch_deadline(w) == INT64_MAX);
    free(two);
    vt_watch_destroy(w);
    vt_watch_destroy(NULL);
}

/* The deadline follows the clock the caller passes: exact values. */
static void test_deadline(void) {
    const char *files[] = {"clock.yaml", "gone/x.png"};
    vt_watch *w = make_watch(files, 2);
    /* A missing folder is looked for at once, then every VT_WATCH_RESCAN_NS. */
    VT_CHECK(vt_watch_deadline(w) <= vt_now_ns());
    int64_t t = vt_now_ns();
    VT_CHECK(!vt_watch_poll(w, t));
    VT_CHECK(vt_watch_deadline(w) == t + VT_WATCH_RESCAN_NS);
    const char *one[] = {"clock.yaml"};
    vt_watch_destroy(w);
    w = make_watch(one, 1);
    VT_CHECK(vt_watch_deadline(w) == INT64_MAX);
    write_file("clock.yaml", "tick");
    VT_CHECK(!vt_watch_poll(w, t));
    VT_CHECK(vt_watch_deadline(w) == t + QUIET);
    VT_CHECK(!vt_watch_poll(w, t + QUIET - 1));
    VT_CHECK(vt_watch_deadline(w) == t + QUIET);
    VT_CHECK(vt_watch_poll(w, t + QUIET));
    VT_CHECK(vt_watch_deadline(w) == INT64_MAX);
    VT_CHECK(!vt_watch_poll(w, t + 2 * QUIET));
    /* A file that changed between the two looks: one more quiet period. */
    write_file("clock.yaml", "tock");
    VT_CHECK(!vt_watch_poll(w, t));
    char *path = tmp_path("clock.yaml");
    VT_CHECK_INT(truncate(path, 100), 0); /* no event we listen to, but a new size */
    free(path);
    VT_CHECK(!vt_watch_poll(w, t + QUIET));
    VT_CHECK(vt_watch_deadline(w) == t + 2 * QUIET);
    VT_CHECK(vt_watch_poll(w, t + 2 * QUIET));
    vt_watch_set_quiet(w, 0); /* ignored */
    write_file("clock.yaml", "again");
    VT_CHECK(!vt_watch_poll(w, t));
    VT_CHECK(vt_watch_deadline(w) == t + QUIET);
    vt_watch_destroy(w);
}

/* inotify refused a folder (here: no read permission, which needs a user without root's
 * override; the child drops to `nobody`): a warning, then mtimes looked at every second. */
static void fallback_child(void) {
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) {
        _exit(2);
    }
    mkdir_rel("locked/inside");
    write_file("locked/inside/scene.yaml", "v1");
    char *dir = tmp_path("locked/inside");
    VT_CHECK_INT(chmod(dir, 0300), 0); /* search and write, not read: no inotify watch */
    free(dir);
    const char *files[] = {"locked/inside/scene.yaml"};
    vt_watch *w = make_watch(files, 1);
    VT_CHECK_INT(poll_for(w, 100), 0);
    VT_CHECK(vt_watch_deadline(w) < INT64_MAX);
    int64_t start = vt_now_ns();
    write_file("locked/inside/scene.yaml", "version 2");
    int64_t took = wait_report(w, start);
    printf("fallback: reported after %.1f ms\n", (double)took / 1e6);
    VT_CHECK(took >= QUIET && took < 2500 * MS);
    VT_CHECK_INT(poll_for(w, 150), 0);
    vt_watch_destroy(w);
    fflush(NULL);
    _exit(vt_test_failed ? 1 : 0);
}

static void test_fallback(void) {
    VT_CHECK_INT(chmod(tmp_dir, 0711), 0); /* the child must reach its folder */
    mkdir_rel("locked");
    char *dir = tmp_path("locked");
    VT_CHECK_INT(chmod(dir, 0777), 0);
    free(dir);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        fallback_child();
    }
    int status = 0;
    VT_CHECK_INT(waitpid(pid, &status, 0), pid);
    VT_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    remove_tree("locked");
}

static void *write_later(void *arg) {
    (void)arg;
    sleep_ms(100);
    write_file("wake.yaml", "changed");
    return NULL;
}

static void *terminate_later(void *arg) {
    (void)arg;
    sleep_ms(150);
    kill(getpid(), SIGTERM);
    return NULL;
}

/* The next input event. Twice under drivers with a kernel wait: there SDL 2.26's SDL_PollEvent
 * stops at the sentinel a wait queued ahead of what woke it, and the second call takes it. */
static bool next_input(vt_window *win, vt_event *ev) {
    return vt_platform_poll(win, ev) || vt_platform_poll(win, ev);
}

static void drain_input(vt_window *win) {
    vt_event ev;
    while (vt_platform_poll(win, &ev)) {
        /* what window creation queued */
    }
}

/* vt_platform_wait returns as soon as the watcher has something, long before its deadline. */
static void test_platform_wake(vt_window *win) {
    write_file("wake.yaml", "v1");
    const char *files[] = {"wake.yaml"};
    vt_watch *w = make_watch(files, 1);
    vt_platform_wait_fd(vt_watch_fd(w));
    drain_input(win);
    pthread_t th;
    int64_t start = vt_now_ns();
    pthread_create(&th, NULL, write_later, NULL);
    VT_CHECK(vt_platform_wait(win, start + 5000 * MS));
    int64_t took = vt_now_ns() - start;
    pthread_join(th, NULL);
    printf("watched fd woke the wait after %.1f ms\n", (double)took / 1e6);
    VT_CHECK(took >= 90 * MS && took < 2500 * MS);
    vt_event ev;
    VT_CHECK(!next_input(win, &ev)); /* the helper's wake-up event (x11, wayland) is not input */
    /* Still readable until the watcher reads it: the wait returns at once. */
    start = vt_now_ns();
    VT_CHECK(vt_platform_wait(win, start + 5000 * MS));
    VT_CHECK(vt_now_ns() - start < 1000 * MS);
    /* Read: the next waits run to their deadline (the watcher's own, then a short one). */
    VT_CHECK(!vt_watch_poll(w, vt_now_ns()));
    VT_CHECK(!vt_platform_wait(win, vt_watch_deadline(w)));
    VT_CHECK(vt_watch_poll(w, vt_now_ns()));
    drain_input(win);
    start = vt_now_ns();
    VT_CHECK(!vt_platform_wait(win, start + 100 * MS));
    VT_CHECK(vt_now_ns() - start >= 100 * MS);
    /* SIGTERM (SDL turns it into SDL_QUIT) still ends a wait with a descriptor registered. */
    pthread_t th2;
    start = vt_now_ns();
    pthread_create(&th2, NULL, terminate_later, NULL);
    VT_CHECK(vt_platform_wait(win, start + 5000 * MS));
    took = vt_now_ns() - start;
    pthread_join(th2, NULL);
    printf("SIGTERM ended the wait after %.1f ms\n", (double)took / 1e6);
    VT_CHECK(took >= 140 * MS && took < 2500 * MS);
    VT_CHECK(next_input(win, &ev) && ev.type == VT_EVENT_QUIT);
    /* Unregistered: a change no longer wakes the wait. */
    vt_platform_wait_fd(-1);
    write_file("wake.yaml", "v3");
    start = vt_now_ns();
    VT_CHECK(!vt_platform_wait(win, start + 100 * MS));
    VT_CHECK(vt_now_ns() - start >= 100 * MS);
    vt_watch_destroy(w);
}

static int later_fd = -1;

static void *write_fd_later(void *arg) {
    (void)arg;
    sleep_ms(100);
    ssize_t n = write(later_fd, "x", 1);
    (void)n;
    return NULL;
}

/* Several descriptors at once (the watcher's, OSC's, sync's): any one readable ends the wait;
 * a set registered again is kept; one closed while registered is forgotten, never spun on. */
static void test_platform_fds(vt_window *win) {
    int a[2], b[2];
    VT_CHECK_INT(pipe(a), 0);
    VT_CHECK_INT(pipe(b), 0);
    int set[2] = {a[0], b[0]};
    vt_platform_wait_fds(set, 2);
    vt_platform_wait_fds(set, 2); /* the same set again: nothing changes */
    drain_input(win);
    drain_input(win); /* past the sentinel of kernel-wait drivers (next_input) */
    int64_t start = vt_now_ns();
    VT_CHECK(!vt_platform_wait(win, start + 100 * MS)); /* nothing readable: the deadline */
    VT_CHECK(vt_now_ns() - start >= 100 * MS);
    later_fd = b[1]; /* the second of the set */
    pthread_t th;
    start = vt_now_ns();
    pthread_create(&th, NULL, write_fd_later, NULL);
    VT_CHECK(vt_platform_wait(win, start + 5000 * MS));
    int64_t took = vt_now_ns() - start;
    pthread_join(th, NULL);
    printf("the second of two descriptors woke the wait after %.1f ms\n", (double)took / 1e6);
    VT_CHECK(took >= 90 * MS && took < 2500 * MS);
    char c;
    VT_CHECK_INT((int)read(b[0], &c, 1), 1);
    drain_input(win);
    drain_input(win); /* past the sentinel of kernel-wait drivers (next_input) */
    /* Only the first now: writing to the second no longer wakes it. */
    vt_platform_wait_fds(set, 1);
    VT_CHECK_INT((int)write(b[1], "y", 1), 1);
    start = vt_now_ns();
    VT_CHECK(!vt_platform_wait(win, start + 100 * MS));
    VT_CHECK(vt_now_ns() - start >= 100 * MS);
    /* The registered one closed behind the loop's back: forgotten, the wait sleeps to its
     * deadline instead of returning at once forever. */
    close(a[0]);
    drain_input(win);
    drain_input(win); /* past the sentinel of kernel-wait drivers (next_input) */
    vt_platform_wait(win, vt_now_ns() + 50 * MS);
    start = vt_now_ns();
    VT_CHECK(!vt_platform_wait(win, start + 100 * MS));
    VT_CHECK(vt_now_ns() - start >= 100 * MS);
    vt_platform_wait_fds(NULL, 0);
    close(a[1]);
    close(b[0]);
    close(b[1]);
}

/* Headless unless VT_TEST_DISPLAY is set: then the driver SDL_VIDEODRIVER names. */
static void test_platform(void) {
    vt_error err = {0};
    bool headless = getenv("VT_TEST_DISPLAY") == NULL;
    if (vt_platform_init(headless, &err) != VT_OK) {
        fprintf(stderr, "vt_platform_init: %s\n", err.message);
        vt_test_failed++;
        return;
    }
    vt_window *win = NULL;
    vt_window_desc wd = {.title = "test_watch", .width = 64, .height = 64, .hidden = true};
    if (vt_window_create(&wd, &win, &err) != VT_OK) {
        fprintf(stderr, "vt_window_create: %s\n", err.message);
        vt_test_failed++;
        vt_platform_quit();
        return;
    }
    test_platform_wake(win);
    test_platform_fds(win);
    vt_window_destroy(win);
    vt_platform_quit();
}

int main(void) {
    if (!mkdtemp(tmp_dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_write_in_place();
    test_editor_save();
    test_unwatched();
    test_copy_in_progress();
    test_folder_swap();
    test_set_files();
    test_deadline();
    test_fallback();
    test_platform();
    char *cmd = vt_xasprintf("rm -rf '%s'", tmp_dir);
    VT_CHECK_INT(system(cmd), 0);
    free(cmd);
    return vt_test_finish("test_watch");
}
