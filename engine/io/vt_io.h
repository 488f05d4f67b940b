/* Files: whole-file reads with a size limit, asset path confinement to a scene's folder, and
 * atomic writes (temporary file, then rename) so nothing the engine writes is left half-done. */
#ifndef VT_IO_H
#define VT_IO_H

#include "core/vt_core.h"

#include <sys/types.h>

/* Opens an input file read-only without ever waiting: non-blocking and close-on-exec, then
 * refused unless it is a regular file (a FIFO, a device, a socket or a folder would block the
 * show or never end). *out_fd is the descriptor (blocking reads of a regular file never wait).
 * VT_E_NOINPUT, with a message naming the file and what it is, on failure. */
vt_status vt_file_open_input(const char *path, int *out_fd, vt_error *err);

/* Reads a whole file into a NUL-terminated buffer (free() it), opened by vt_file_open_input and
 * read no further than max_bytes + 1 even when it grows meanwhile. Fails with VT_E_NOINPUT when
 * the file is missing, unreadable or not a regular file, VT_E_DATAERR when it is larger than
 * max_bytes. */
vt_status vt_file_read(const char *path, size_t max_bytes, char **out_data, size_t *out_len,
                       vt_error *err);
/* vt_file_read for a file a person wrote (a scene, a config, an event script, captions):
 * problems become one diagnostic naming the file instead of a vt_error. A file over max_bytes
 * is reported at 1:1 as "larger than N bytes (M MiB), the most a <what> may be" when `what` is
 * given ("scene", "event script"), else with vt_file_read's message. */
vt_status vt_file_read_diags(const char *path, size_t max_bytes, const char *what, char **out_data,
                             size_t *out_len, vt_diags *diags);

/* Resolves `rel`, an asset path written in a scene, against the scene's folder `base_dir`.
 * Refuses: empty paths, absolute paths, paths whose `..` leave base_dir, paths that leave it
 * through a symbolic link (checked with realpath on what exists), and, when the file exists,
 * anything that is not a regular file. On success *out_path (free() it) is base_dir/rel.
 * Returns VT_OK; VT_E_NOINPUT when the file does not exist (*out_path is still set, so the
 * caller may decide that a missing asset is only a warning); VT_E_DATAERR for the refusals,
 * with a message saying why and how to fix it. */
vt_status vt_path_confine(const char *base_dir, const char *rel, char **out_path, vt_error *err);

/* The folder part of a path ("." when there is none); free() it. */
char *vt_path_dirname(const char *path);
/* The last component of a path, inside it ("scene.yaml" of "/srv/show/scene.yaml"). */
const char *vt_path_basename(const char *path);

enum { VT_WRITE_SYNC = 1 << 0 }; /* flush to the disk before the rename (logs, reports) */

/* Atomic write: refuses a target that exists and is not a regular file (vt_file_check_target),
 * writes to a new temporary file beside it (vt_file_tmp_create), then renames that over path,
 * so readers see the old file or the whole new one, never a part. VT_E_CANTCREAT when the target
 * is refused or the temporary file cannot be created, VT_E_IOERR when writing fails (disk
 * full...); the temporary file is removed on failure. */
vt_status vt_file_write_atomic(const char *path, const void *data, size_t len, unsigned flags,
                               vt_error *err);

/* What a file of this mode is, for messages: "a folder", "a symbolic link", "a named pipe
 * (FIFO)", "a character device"... */
const char *vt_file_kind(mode_t mode);

/* An output may only replace a regular file: VT_E_CANTCREAT, with a message saying what is
 * there, when `path` exists and is anything else (a folder, a FIFO, a device, a socket, or a
 * symbolic link, wherever it points). VT_OK when it is missing or a regular file. */
vt_status vt_file_check_target(const char *path, vt_error *err);

/* Temporary files of atomic writes are named "<target>" VT_TMP_MARK "<pid>-<random>" in the
 * target's folder: the owner's process id (so that a later run can tell a leftover of a killed
 * process) and 10 unpredictable characters. */
#define VT_TMP_MARK ".tmp-"

/* Creates a new temporary file for `path` with O_EXCL (what is already at that name, a planted
 * symbolic link included, is never opened). Returns its write-only descriptor and sets *out_tmp
 * (free() it), or returns -1 with errno set. */
int vt_file_tmp_create(const char *path, char **out_tmp);

/* Renames a finished temporary file over `path`, checking first, again, that path is not
 * something other than a regular file. Removes tmp on failure (VT_E_CANTCREAT refused,
 * VT_E_IOERR rename failed). */
vt_status vt_file_tmp_commit(const char *tmp, const char *path, vt_error *err);

/* Is the file name `name` a temporary file of an atomic write (or "<target>.tmp-<pid>", as
 * earlier versions named them)? Sets the length of its target's name and the owner's pid. */
bool vt_file_tmp_parse(const char *name, size_t *target_len, long *pid);

/* Removes the temporary files in `dir` that processes killed before renaming them left behind:
 * those whose target `accept` takes (it gets the file name and the length of the target's name
 * in it) and whose process no longer exists. A live process's are kept, this one's too.
 * Returns how many were removed (each is logged). */
int vt_file_tmp_sweep(const char *dir, bool (*accept)(const char *target, size_t len, void *ctx),
                      void *ctx);

/* Creates a folder and its parents when missing (mkdir -p). VT_E_CANTCREAT on failure. */
vt_status vt_dir_create(const char *path, vt_error *err);

/* ---- Child processes (spawn.c) ---- */

enum { VT_SPAWN_NULL = -1, VT_SPAWN_INHERIT = -2 };

typedef struct vt_spawn_desc {
    char *const *argv; /* argv[0] is looked up on PATH; NULL-terminated; no shell */
    int stdout_fd;     /* a descriptor (moved to 1 in the child), VT_SPAWN_NULL or INHERIT */
    bool quiet_stderr; /* stderr on /dev/null (else inherited) */
    bool own_group;    /* the child leads its own process group */
} vt_spawn_desc;

/* Starts a program with stdin on /dev/null; never waits for it (the caller reaps it with
 * waitpid). Returns 0 with *pid set, or an errno value. */
int vt_spawn(const vt_spawn_desc *desc, pid_t *pid);

/* ---- Time zones of the tz database (tz.c) ---- */

#define VT_TZ_NAME_MAX 64 /* bytes of a zone name, with its NUL */

/* The database's folder: $TZDIR when set (the C library reads zones there too), else
 * /usr/share/zoneinfo. */
const char *vt_tz_dir(void);
/* Is the folder there at all (Debian package tzdata)? */
bool vt_tz_database_present(void);
/* Is s[0..len) a zone name's syntax: letters, digits, '_', '-', '+' and single inner '/', not
 * absolute, no '.' (so never ".."), shorter than VT_TZ_NAME_MAX? */
bool vt_tz_name_ok(const char *s, size_t len);
/* Is `name` a zone of the database: a valid name whose file is a regular "TZif" file? */
bool vt_tz_exists(const char *name);
/* The zone nearest to `name` in the same area ("Europe/Pari" -> "Europe/Paris") into out;
 * false when none is near. */
bool vt_tz_suggest(const char *name, char *out, size_t cap);

/* localtime_r and mktime follow zone `name` between vt_tz_enter and vt_tz_leave (NULL or "":
 * the process's own zone). The C library has no per-call zone, so this sets TZ and restores
 * it: not thread-safe, and the only place in Vitrine that touches TZ. */
typedef struct vt_tz_scope {
    char *old; /* the previous TZ, or NULL when it was unset */
    bool changed;
} vt_tz_scope;
void vt_tz_enter(vt_tz_scope *z, const char *name);
void vt_tz_leave(vt_tz_scope *z);

#endif
