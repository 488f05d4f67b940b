/* Child processes for the operator's commands (ddcutil, display on/off): started without a
 * shell, stdin on /dev/null, never waited for here. */
#include "io/vt_io.h"

#include <fcntl.h>
#include <spawn.h>

extern char **environ;

int vt_spawn(const vt_spawn_desc *desc, pid_t *pid) {
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    if (desc->stdout_fd >= 0) {
        posix_spawn_file_actions_adddup2(&fa, desc->stdout_fd, 1);
        posix_spawn_file_actions_addclose(&fa, desc->stdout_fd);
    } else if (desc->stdout_fd == VT_SPAWN_NULL) {
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    }
    if (desc->quiet_stderr) {
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    }
    if (desc->own_group) {
        /* Its own process group: killing -pid ends a script's children too. */
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
        posix_spawnattr_setpgroup(&attr, 0);
    }
    int rc = posix_spawnp(pid, desc->argv[0], &fa, &attr, desc->argv, environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    return rc;
}
