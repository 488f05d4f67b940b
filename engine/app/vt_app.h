/* The program's commands (play, render, check, sensors, report, merge) and the one option table
 * that drives argument parsing and --help. */
#ifndef VT_APP_H
#define VT_APP_H

#include "core/vt_core.h"

typedef enum vt_command {
    VT_CMD_NONE,
    VT_CMD_PLAY,
    VT_CMD_RENDER,
    VT_CMD_CHECK,
    VT_CMD_SENSORS,
    VT_CMD_REPORT,
    VT_CMD_MERGE,
    VT_CMD_SYNC_STATUS
} vt_command;

typedef struct vt_options {
    vt_command command;
    const char **inputs; /* scene files (check takes several) */
    size_t input_count;
    const char *out_dir;
    double start;             /* seconds */
    double duration;          /* seconds; < 0 when not given */
    long frames;              /* < 0 when not given */
    long fps;                 /* 0: the scene's */
    int width, height;        /* --size; 0 when not given */
    const char *events;       /* --events FILE */
    const char *audio;        /* --audio FILE: render's WAV */
    const char *part;         /* --part K/N (render): a render farm's part */
    long part_index;          /* K, from 1; 0 without --part */
    long part_count;          /* N */
    const char *date;         /* --date YYYY-MM-DDTHH:MM:SS (render): the shaders' DATE at 0 */
    int64_t date_epoch;       /*   as Unix seconds (UTC), when date is given */
    const char *audio_device; /* --audio-device NAME (play); NULL: the default device */
    long png_level;           /* 0-9 */
    long max_texture;         /* --max-texture N: the GPU's texture limit assumed; 0: not given */
    bool fullscreen;
    bool calibrate;           /* --calibrate: projection outputs' test pattern and keys */
    bool kiosk;               /* --kiosk: fullscreen, no error strip on screen */
    long osc_port;            /* --osc-port N; 0: off; < 0 when not given */
    const char *osc_bind;     /* --osc-bind ADDR */
    long monitor;             /* --display N: the screen, from 0; -1: not given */
    double quit_after;        /* seconds; < 0 when not given */
    const char *power_sensor; /* --power-sensor SPEC */
    double budget_watts;      /* --budget-watts W; 0 when not given */
    const char *config;       /* --config FILE: the operator config */
    const char *output;       /* --output ID: render one projection output */
    const char *energy_log;   /* --energy-log FILE.csv (play) */
    long visitors;            /* --visitors N (report); < 0 when not given */
    double carbon;            /* --carbon G_PER_KWH (report); < 0 when not given */
    bool json;                /* --json (report) */
    const char *timezone;     /* --timezone ZONE (report): local days */
    const char *day;          /* --day YYYY-MM-DD (report): the chart's day */
    bool governed;            /* --governed (render): what a kiosk shows, caps applied */
    const char *period;       /* --period day|week|month|year|all (report): the chart's span */
    bool quiet, verbose;
    bool help, version;
    int64_t start_ns; /* monotonic clock when the program started (for timings) */
} vt_options;

/* Parses argv into opts. On a usage error prints "vitrine: <problem>" and a hint to stderr and
 * returns VT_E_USAGE. */
vt_status vt_options_parse(int argc, char **argv, vt_options *opts);
void vt_options_free(vt_options *opts);
void vt_options_print_help(FILE *out);

int vt_cmd_check(const vt_options *opts);
int vt_cmd_render(const vt_options *opts);
int vt_cmd_play(const vt_options *opts);
int vt_cmd_sensors(const vt_options *opts);
int vt_cmd_report(const vt_options *opts);
int vt_cmd_merge(const vt_options *opts);
int vt_cmd_sync_status(const vt_options *opts);

#endif
