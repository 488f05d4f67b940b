/* What render and merge share about a render farm's parts (render --part K/N): which frames a
 * part renders, the names of part manifests, and how render.json and its parts are written. */
#include "app/app_internal.h"
#include "io/vt_io.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int64_t vt_render_part_first(int64_t frames, int64_t part, int64_t parts) {
    return frames * part / parts; /* frames <= 2.4e9 and parts <= 1e6: no overflow */
}

long vt_render_part_of_name(const char *name) {
    static const char prefix[] = "render.part";
    if (strncmp(name, prefix, sizeof prefix - 1) != 0) {
        return 0;
    }
    const char *digits = name + sizeof prefix - 1;
    if (*digits < '1' || *digits > '9') {
        return 0;
    }
    char *end = NULL;
    errno = 0;
    long k = strtol(digits, &end, 10);
    return errno == 0 && k <= 1000000 && strcmp(end, ".json") == 0 ? k : 0;
}

vt_status vt_render_json_write(const char *path, struct json_t *root, vt_error *err) {
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
    if (!text) {
        return VT_FAIL(err, VT_E_SOFTWARE, "%s: cannot format the JSON", path);
    }
    size_t len = strlen(text);
    text[len] = '\n'; /* json_dumps leaves room: replace the NUL, write len + 1 bytes */
    vt_status st = vt_file_write_atomic(path, text, len + 1, VT_WRITE_SYNC, err);
    free(text);
    return st;
}
