/* The operator config (`vitrine play --config FILE`): what a scene file must never control,
 * such as sensors, commands and addresses. YAML read by the scene module's parser, under the same
 * restricted profile and with the same positioned errors. */
#ifndef VT_CONFIG_H
#define VT_CONFIG_H

#include "core/vt_core.h"
#include "governor/vt_energy.h"
#include "hours/vt_hours.h"
#include "remote/vt_osc.h"
#include "scene/vt_output.h"
#include "scene/vt_scene.h"
#include "sync/vt_sync.h"

/* An operator's level for one of the scene's buses (`audio: {buses: {ambience: 0.5}}`). */
typedef struct vt_config_bus {
    char *name;   /* a bus name, as scenes write them in `buses:` */
    double level; /* 0..1: multiplies the scene's level for that bus */
    int line, col;
} vt_config_bus;

/* The most ranges in `osc.allow`. */
#define VT_CONFIG_OSC_ALLOW_MAX 32

/* A projector powered over PJLink (`projectors: [{address: 10.0.0.21, password: ...}]`). */
typedef struct vt_config_projector {
    char *address;  /* numeric IPv4 or IPv6 address */
    int port;       /* 4352 unless given */
    char *password; /* PJLink password (authentication); NULL: none */
    int line, col;
} vt_config_projector;
/* The most projectors one show powers. */
#define VT_CONFIG_PROJECTORS_MAX 16

/* The longest `energy.covers` text, in bytes (the ledger's text column keeps it whole). */
#define VT_CONFIG_COVERS_MAX 200

typedef struct vt_config {
    char *path; /* the file as named by the user; NULL for the empty config */
    struct {
        char *sensor;        /* power sensor spec ("auto", "rapl", "file:/path"...); NULL: auto */
        char *covers;        /* what that sensor measures, in the operator's words; NULL: its own */
        double budget_watts; /* has_budget: wins over the scene's */
        bool has_budget;
        double stale_after; /* seconds, file sensor; 0: default */
        char *log;          /* energy ledger file (`log:`, relative to the config's folder) */
        double log_max_mb;  /* size bound of the ledger's files; 0: default */
        int line, col;      /* the `energy` key; 0 when absent */
    } energy;
    /* Run at closing and opening with `outside_hours: display-off`: argument lists (argv[0] a
     * program on PATH or an absolute path; no shell), NULL-terminated; NULL when not given. */
    char **display_off_command;
    char **display_on_command;
    vt_schedule schedule; /* opening hours; when present, wins over the scene's */
    struct {
        bool disabled; /* `enabled: false`: the show runs silent, no device is opened (zero, the
                          default: sound on) */
        char *device;  /* an OpenAL device name to open; NULL: the system's default device */
        vt_config_bus *buses; /* operator levels by bus name; names no scene uses are ignored */
        size_t bus_count;
        int line, col; /* the `audio` key; 0 when absent */
    } audio;
    struct {
        char *backlight;     /* a name in /sys/class/backlight or an absolute folder; NULL: none */
        int ddcutil_display; /* >= 1: DDC/CI through ddcutil, on this display; 0: none */
        int line, col;       /* the backlight's value or the ddcutil key; 0 when absent */
    } brightness;            /* the brightness control the governor may use */
    struct {
        double port;        /* 1..65535; -1: off (`port: 0`); 0: no `osc` block (off) */
        char *bind;         /* numeric address; NULL: 127.0.0.1 */
        vt_osc_cidr *allow; /* senders allowed; none: the loopback only */
        size_t allow_count;
        double rate;   /* messages a second per sender; 0: the default (200) */
        int line, col; /* the `osc` key; 0 when absent */
    } osc;             /* remote control over OSC (`play`) */
    struct {
        char *file; /* Prometheus text file (.prom), relative to the config's folder; NULL: none */
        double interval; /* seconds between writes, 1..3600; 0: the default (10) */
    } metrics;           /* fleet metrics for node_exporter's textfile collector (`play`) */
    /* config_ops.c: what keeps a room running unattended */
    char *fallback_image; /* shown when the scene cannot be loaded at start; NULL: none */
    struct {
        char *log;         /* proof-of-play log file (relative to the config's folder); NULL */
        double log_max_mb; /* size bound of its files; 0: the ledger's default */
    } proof_of_play;
    vt_config_projector *projectors; /* PJLink projectors powered with the opening hours */
    size_t projector_count;

    /* A show in step with other machines (`sync:`, docs/sync.md); NULL: alone. */
    vt_sync_desc *sync;
    struct {
        bool hwaccel_off; /* `video: {hwaccel: off}`: films never decode on the GPU */
    } video;

    vt_outputs outputs; /* projectors (`outputs:`); count 0 when absent */
} vt_config;

/* Reads and validates an operator config: every problem goes to diags as path:line:col.
 * VT_OK; VT_E_NOINPUT when unreadable; VT_E_DATAERR when invalid (*out is then empty). */
vt_status vt_config_load(const char *path, vt_config *out, vt_diags *diags);
vt_status vt_config_load_string(const char *text, size_t len, const char *path, vt_config *out,
                                vt_diags *diags);
void vt_config_free(vt_config *c);

/* The operator's level for bus `name`: its `audio.buses` value, else 1. `c` may be NULL. */
double vt_config_bus_level(const vt_config *c, const char *name);

/* ---- Settings: each operator setting resolved once (settings.c) ----
 * What the engine runs with: the command line's flag, else the operator config, else the scene,
 * else the default (zero). One table in settings.c says where each comes from; adding a setting
 * touches that table, this struct and the code that uses it. */
typedef struct vt_settings {
    const char *power_sensor;    /* --power-sensor, energy.sensor; NULL: auto */
    const char *sensor_covers;   /* energy.covers, only while the sensor is the config's; NULL */
    double budget_watts;         /* --budget-watts, energy.budget_watts, the scene's; 0: none */
    double stale_after;          /* energy.stale_after (file sensors); 0: the sensor's default */
    const char *energy_log;      /* --energy-log, energy.log; NULL: no ledger */
    double energy_log_max_mb;    /* energy.log_max_mb; 0: the ledger's default */
    const char *audio_device;    /* --audio-device, audio.device; NULL: the system's default */
    const vt_schedule *schedule; /* the config's schedule when present, else the scene's */
    double osc_port;             /* --osc-port, osc.port: 1..65535; -1 (port 0): off; 0: off */
    const char *osc_bind;        /* --osc-bind, osc.bind; NULL: 127.0.0.1 */
    double osc_rate;             /* osc.rate; 0: the server's default */
    const char *metrics_file;    /* metrics.file; NULL: no metrics file */
    double metrics_interval;     /* metrics.interval; 0: the default (10 s) */
    const vt_outputs *outputs;   /* the config's outputs when it has some, else the scene's */
    const char *outputs_path;    /* the file they come from (calibration is saved there) */
} vt_settings;

/* Fills what `s` does not hold yet (the flags the command line gave, NULL or 0 when not given)
 * from the config, then from the scene. cfg and scene may be NULL. The strings and the
 * schedule point into the flags, cfg and scene: resolve again after a hot reload. */
void vt_settings_resolve(vt_settings *s, const vt_config *cfg, const vt_scene *scene);

/* What the energy session's descriptor points to: keep it as long as the descriptor. */
typedef struct vt_settings_energy_room {
    vt_brightness_desc brightness;
    char where[600]; /* "config.yaml:12:5": where the brightness control is named */
} vt_settings_energy_room;

/* The energy session's descriptor: the scene's energy block as the control law, with the
 * settings' budget and sensor and the config's brightness control (cfg may be NULL), never
 * dimmer than the scene's brightness.min or, when lower, its attract brightness. */
void vt_settings_energy_desc(const vt_settings *set, const vt_config *cfg, const vt_scene *scene,
                             vt_energy_desc *out, vt_settings_energy_room *room);

/* The brightness control cfg->brightness names, as a descriptor: false when it names none.
 * `where` (the config's path:line:col, for messages) is written into the caller's buffer. */
bool vt_config_brightness_desc(const vt_config *cfg, double min, const char *sysfs_root,
                               vt_brightness_desc *out, char *where, size_t where_cap);
/* Opens it (*out NULL when the config names none), never letting the brightness below `min`;
 * errors name the config's line:col. sysfs_root: NULL for "/sys". */
vt_status vt_config_brightness_open(const vt_config *cfg, double min, const char *sysfs_root,
                                    vt_brightness **out, vt_error *err);

#endif
