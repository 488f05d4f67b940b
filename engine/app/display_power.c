/* `outside_hours: display-off`: the operator's display_off_command at closing and
 * display_on_command at opening, started with posix_spawn and never waited on in the frame loop
 * (reaped with WNOHANG, killed past COMMAND_TIMEOUT_NS), and the screen saver let act while
 * closed so SDL does not switch the display back on. The config's PJLink projectors are
 * another backend of the same moments (remote/vt_pjlink.h: never waited on either). */
#include "app/energy_log_internal.h"
#include "io/vt_io.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#define COMMAND_TIMEOUT_NS INT64_C(10000000000)
#define POLL_NS INT64_C(100000000)

static void report_end(const vt_display_power *dp, int status, const char *why) {
    if (why) {
        vt_log(VT_LOG_WARN, "play", "%s was stopped: %s", dp->what, why);
    } else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
        vt_log(VT_LOG_WARN, "play", "%s failed (exit status %d)", dp->what, WEXITSTATUS(status));
    } else if (WIFSIGNALED(status)) {
        vt_log(VT_LOG_WARN, "play", "%s was killed by signal %d", dp->what, WTERMSIG(status));
    } else {
        vt_log(VT_LOG_DEBUG, "play", "%s done", dp->what);
    }
}

#define DYING_MAX (sizeof((vt_display_power *)0)->dying / sizeof(pid_t))

/* Reaps the killed commands that have died, without waiting. */
static void reap_dying(vt_display_power *dp) {
    for (size_t i = 0; i < DYING_MAX; i++) {
        pid_t r = dp->dying[i] > 0 ? waitpid(dp->dying[i], NULL, WNOHANG) : 0;
        if (r != 0 && !(r < 0 && errno == EINTR)) {
            dp->dying[i] = 0; /* reaped, or not ours to reap any more */
        }
    }
}

/* Ends the command: reaped as it is if it has ended, else killed (with its process group, so a
 * script's children go too) for the reason given, and reaped by later polls: a process stuck in
 * the kernel (an i2c call) dies only when that call returns, and the frame loop must not wait. */
static void finish(vt_display_power *dp, const char *why) {
    int status = 0;
    pid_t r = waitpid(dp->pid, &status, WNOHANG);
    if (r == 0) {
        kill(-dp->pid, SIGKILL);
        size_t i = 0;
        while (i + 1 < DYING_MAX && dp->dying[i] > 0) {
            i++; /* all taken: the last one is left to the end of the process */
        }
        dp->dying[i] = dp->pid;
    }
    report_end(dp, status, r == 0 ? why : NULL);
    dp->pid = 0;
}

void vt_display_power_stop(vt_display_power *dp) {
    if (dp->pid > 0) {
        finish(dp, "the show ended while it was running");
    }
    reap_dying(dp); /* what is still dying is reaped when the process ends */
}

static void spawn(vt_display_power *dp, char **argv, const char *what, int64_t now_ns) {
    /* Its output goes to Vitrine's own (the journal under systemd). */
    vt_spawn_desc sd = {.argv = argv, .stdout_fd = VT_SPAWN_INHERIT, .own_group = true};
    pid_t pid = 0;
    int rc = vt_spawn(&sd, &pid);
    if (rc != 0) {
        vt_log(VT_LOG_WARN, "play", "cannot run %s '%s': %s", what, argv[0], strerror(rc));
        return;
    }
    vt_log(VT_LOG_DEBUG, "play", "started %s '%s' (pid %d)", what, argv[0], (int)pid);
    dp->pid = pid;
    dp->started_ns = now_ns;
    dp->what = what;
}

void vt_display_power_set(vt_display_power *dp, bool off, int64_t now_ns) {
    if (dp->pid > 0) {
        finish(dp, "the display had to change again");
    }
    dp->off = off;
    vt_platform_screensaver_allow(off);
    vt_projectors_power(dp->projectors, !off, false);
    char **argv = off ? dp->cfg->display_off_command : dp->cfg->display_on_command;
    if (argv && argv[0]) {
        spawn(dp, argv, off ? "display_off_command" : "display_on_command", now_ns);
    } else if (off && !dp->projectors) {
        vt_log(VT_LOG_WARN, "play",
               "outside_hours is display-off but the operator config has no "
               "display_off_command: the screen is only blanked");
    }
}

void vt_display_power_poll(vt_display_power *dp, int64_t now_ns) {
    reap_dying(dp);
    if (dp->pid <= 0) {
        return;
    }
    int status = 0;
    pid_t r = waitpid(dp->pid, &status, WNOHANG);
    if (r == dp->pid) {
        report_end(dp, status, NULL);
        dp->pid = 0;
    } else if (r < 0 && errno != EINTR) {
        dp->pid = 0; /* reaped elsewhere: nothing left to watch */
    } else if (now_ns - dp->started_ns > COMMAND_TIMEOUT_NS) {
        finish(dp, "it took more than 10 s");
    }
}

int64_t vt_display_power_deadline(const vt_display_power *dp) {
    bool dying = false;
    for (size_t i = 0; i < DYING_MAX; i++) {
        dying |= dp->dying[i] > 0;
    }
    return dp->pid > 0 || dying ? vt_now_ns() + POLL_NS : INT64_MAX;
}
