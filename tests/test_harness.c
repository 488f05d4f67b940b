/* The test harness itself (vt_test.h): what vt_test_finish returns for a program that passed,
 * failed, skipped a part or checked nothing, each run in a child process with its own counts. */
#include "vt_test.h"

#include <sys/wait.h>
#include <unistd.h>

/* The exit status of a child that runs `passes` and `failures` checks and `skips` skips, then
 * vt_test_finish. */
static int finish_status(int passes, int failures, int skips) {
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        /* The child's closing line and messages are not this test's. */
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr)) {
            _exit(99);
        }
        vt_test_passed = vt_test_failed = 0;
        for (int i = 0; i < passes; i++) {
            VT_CHECK(1);
        }
        for (int i = 0; i < failures; i++) {
            VT_CHECK(0);
        }
        for (int i = 0; i < skips; i++) {
            VT_SKIP("part %d needs what this machine lacks", i);
        }
        int status = vt_test_finish("child");
        fflush(NULL);
        _exit(status);
    }
    int status = -1;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
        return -1;
    }
    return WEXITSTATUS(status);
}

int main(void) {
    VT_CHECK_INT(finish_status(3, 0, 0), 0);
    VT_CHECK_INT(finish_status(3, 1, 0), 1);
    VT_CHECK_INT(finish_status(0, 1, 0), 1);
    VT_CHECK_INT(finish_status(0, 0, 0), 1); /* nothing checked: a failure, never a pass */
    /* A skip is reported as one (77, ctest's SKIP_RETURN_CODE), never as a pass; a failure
     * beside it is still a failure. */
    VT_CHECK_INT(finish_status(3, 0, 1), VT_TEST_SKIP_STATUS);
    VT_CHECK_INT(finish_status(0, 0, 2), VT_TEST_SKIP_STATUS);
    VT_CHECK_INT(finish_status(3, 1, 1), 1);
    return vt_test_finish("test_harness");
}
