/* Projectors powered over PJLink class 1 (TCP 4352, with its MD5 password authentication):
 * the reply codec (pjlink_codec.c, fuzzed) and a thread that talks to every projector of the
 * room (pjlink.c), so that the frame loop never waits on the network: it asks for a power
 * state and reads the latest status. An exchange is bounded (10 s); a projector that does not
 * answer is reported and tried again with backoff; its status (power, lamp hours, errors) is
 * queried every minute. */
#ifndef VT_PJLINK_H
#define VT_PJLINK_H

#include "core/vt_core.h"

#include <stdbool.h>
#include <stdint.h>

#define VT_PJLINK_PORT 4352
#define VT_PJLINK_MAX 16       /* projectors a show powers */
#define VT_PJLINK_LINE_MAX 136 /* the longest line PJLink allows, CR included */
#define VT_PJLINK_LAMPS 8      /* lamps a projector reports at most */

/* ---- the codec ---- */

typedef enum vt_pjlink_line_kind {
    VT_PJLINK_BAD,        /* not PJLink */
    VT_PJLINK_GREET_OPEN, /* "PJLINK 0": no authentication */
    VT_PJLINK_GREET_AUTH, /* "PJLINK 1 xxxxxxxx": a password is asked, with this random */
    VT_PJLINK_AUTH_ERROR, /* "PJLINK ERRA": wrong password */
    VT_PJLINK_REPLY,      /* "%1CMND=..." */
} vt_pjlink_line_kind;

typedef struct vt_pjlink_line {
    vt_pjlink_line_kind kind;
    char random[9];  /* GREET_AUTH: the projector's random, 8 characters */
    char command[5]; /* REPLY: POWR, ERST, LAMP... */
    char value[129]; /* REPLY: what follows '=' */
    int error;       /* REPLY: 1..4 for ERR1..ERR4 (undefined command, parameter, unavailable
                        time, projector failure), 5 for ERRA; 0: none */
} vt_pjlink_line;

/* One line without its CR (len bytes, any content): false (kind BAD) when it is not PJLink:
 * too long, a control character, an unknown shape. */
bool vt_pjlink_parse_line(const char *s, size_t len, vt_pjlink_line *out);
/* LAMP's value: "hours on/off" pairs; false when malformed. *count <= VT_PJLINK_LAMPS. */
bool vt_pjlink_parse_lamps(const char *value, long hours[VT_PJLINK_LAMPS], bool on[VT_PJLINK_LAMPS],
                           int *count);
/* The authentication prefix: MD5 of the random then the password, 32 lowercase hex digits. */
void vt_pjlink_auth_digest(const char *random, const char *password, char out[33]);

/* ---- the projectors ---- */

typedef struct vt_pjlink_desc {
    const char *address;  /* numeric IPv4 or IPv6 */
    int port;             /* 0: 4352 */
    const char *password; /* NULL: none */
} vt_pjlink_desc;

/* Times shared by every projector; zero means the default. */
typedef struct vt_projectors_desc {
    const vt_pjlink_desc *projectors;
    size_t count;       /* 1..VT_PJLINK_MAX */
    int64_t timeout_ns; /* one exchange, connection included: 10 s */
    int64_t poll_ns;    /* status queries: every 60 s */
    int64_t retry_ns;   /* the first retry after a failure: 5 s, doubling up to 5 min */
} vt_projectors_desc;

typedef enum vt_pjlink_power {
    VT_PJLINK_POWER_UNKNOWN = -1,
    VT_PJLINK_POWER_OFF = 0,
    VT_PJLINK_POWER_ON = 1,
    VT_PJLINK_POWER_COOLING = 2,
    VT_PJLINK_POWER_WARMING = 3,
} vt_pjlink_power;

typedef struct vt_pjlink_status {
    char address[64];
    int port;
    bool answered;  /* the latest exchange went through */
    int power;      /* vt_pjlink_power */
    int want;       /* the power asked and not yet confirmed: 0 off, 1 on, -1 none */
    int lamp_count; /* 0: unknown */
    long lamp_hours[VT_PJLINK_LAMPS];
    bool lamp_on[VT_PJLINK_LAMPS];
    char errors[7];    /* ERST: fan, lamp, temperature, cover, filter, other: '0' fine, '1'
                          warning, '2' error; "": unknown */
    char problem[200]; /* the latest failure, "" after a success */
    unsigned failures; /* in a row */
    int64_t exchanges; /* completed since the start */
} vt_pjlink_status;

typedef struct vt_projectors vt_projectors;

/* Starts the thread; nothing is sent before the first vt_projectors_power or the first poll
 * period. */
vt_status vt_projectors_start(const vt_projectors_desc *desc, vt_projectors **out, vt_error *err);
/* Asks every projector for power on or off, at once and then until it is confirmed (retried
 * with backoff). query_first: ask `POWR ?` first and send the command only when the projector
 * is not already there (a start during opening hours). Never waits. */
void vt_projectors_power(vt_projectors *p, bool on, bool query_first);
/* The latest status of projector i (< count); false when out of range or p is NULL. */
bool vt_projectors_status(vt_projectors *p, size_t i, vt_pjlink_status *out);
size_t vt_projectors_count(const vt_projectors *p);
/* Stops the thread (an exchange in flight is dropped) and frees; NULL does nothing. */
void vt_projectors_stop(vt_projectors *p);

#endif
