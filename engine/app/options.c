/* The command line: one table describes every option (its argument, range, the commands that
 * take it and its help text); the same table drives parsing and --help. */
#include "app/vt_app.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
    CMD_PLAY = 1 << VT_CMD_PLAY,
    CMD_RENDER = 1 << VT_CMD_RENDER,
    CMD_CHECK = 1 << VT_CMD_CHECK,
    CMD_SENSORS = 1 << VT_CMD_SENSORS,
    CMD_REPORT = 1 << VT_CMD_REPORT,
    CMD_MERGE = 1 << VT_CMD_MERGE,
    CMD_SYNC_STATUS = 1 << VT_CMD_SYNC_STATUS
};
#define CMD_ALL                                                                                    \
    (CMD_PLAY | CMD_RENDER | CMD_CHECK | CMD_SENSORS | CMD_REPORT | CMD_MERGE | CMD_SYNC_STATUS)

/* OPT_WORD: a string that must be one of the words its metavar lists ("day|week|..."). */
typedef enum opt_kind { OPT_FLAG, OPT_STRING, OPT_LONG, OPT_DOUBLE, OPT_SIZE, OPT_WORD } opt_kind;

typedef struct opt_spec {
    const char *name; /* without the leading "--" */
    opt_kind kind;
    size_t offset; /* into vt_options */
    double min, max;
    unsigned commands;
    const char *metavar;
    const char *help;
} opt_spec;

#define OFF(field) offsetof(vt_options, field)

static const opt_spec option_table[] = {
    {"out", OPT_STRING, OFF(out_dir), 0, 0, CMD_RENDER | CMD_REPORT, "PATH",
     "render: folder for frame_00000.png... and render.json, or a film (.mp4, .mov, .mkv, "
     ".webm); report: the chart's PNG file"},
    {"start", OPT_DOUBLE, OFF(start), 0, 1e7, CMD_RENDER, "S", "scene time of the first frame"},
    {"duration", OPT_DOUBLE, OFF(duration), 0, 1e7, CMD_RENDER, "S", "seconds to render"},
    {"frames", OPT_LONG, OFF(frames), 1, 1e8, CMD_RENDER, "N", "number of frames to render"},
    {"fps", OPT_LONG, OFF(fps), 1, 240, CMD_RENDER, "N", "frame rate (default: the scene's)"},
    {"size", OPT_SIZE, 0, 1, 16384, CMD_RENDER | CMD_PLAY, "WxH",
     "output size in pixels (render: default the canvas size; play: the window size)"},
    {"events", OPT_STRING, OFF(events), 0, 0, CMD_RENDER | CMD_PLAY, "FILE",
     "replay an input script (SECONDS key NAME | click X Y | touch X Y)"},
    {"date", OPT_STRING, OFF(date), 0, 0, CMD_RENDER, "DATE",
     "the date shaders see (DATE, iDate) at scene time 0: YYYY-MM-DDTHH:MM:SS in UTC (default "
     "2026-01-01T00:00:00)"},
    {"audio", OPT_STRING, OFF(audio), 0, 0, CMD_RENDER | CMD_MERGE, "FILE",
     "also render the sound, to a WAV file (48 kHz stereo 16-bit; fps must divide 48000); "
     "merge: where the parts' sound goes (default: the file they name)"},
    {"part", OPT_STRING, OFF(part), 0, 0, CMD_RENDER, "K/N",
     "render only the K-th of N equal frame ranges, for a render farm (docs/render-farm.md)"},
    {"audio-device", OPT_STRING, OFF(audio_device), 0, 0, CMD_PLAY, "NAME",
     "OpenAL output device (default: the system's; ALSOFT_DRIVERS picks the backend)"},
    {"governed", OPT_FLAG, OFF(governed), 0, 0, CMD_RENDER, NULL,
     "render what a kiosk shows: the attract and active caps, the budget (docs/energy.md)"},
    {"png-level", OPT_LONG, OFF(png_level), 0, 9, CMD_RENDER, "0-9",
     "PNG compression level of the frames (default 1: fast)"},
    {"max-texture", OPT_LONG, OFF(max_texture), 64, 65536, CMD_RENDER | CMD_PLAY | CMD_CHECK, "N",
     "the GPU's texture limit in pixels a side: render and play draw as if the GPU took no "
     "more (images over it in tiles); check plans the images' tiles for it (default 16384)"},
    {"fullscreen", OPT_FLAG, OFF(fullscreen), 0, 0, CMD_PLAY, NULL,
     "fullscreen, cursor hidden, no screen saver"},
    {"calibrate", OPT_FLAG, OFF(calibrate), 0, 0, CMD_PLAY | CMD_RENDER, NULL,
     "calibrate the projection outputs: test pattern, keys shown on screen, s saves; render "
     "--output ID --calibrate draws that output's pattern (docs/projection.md)"},
    {"kiosk", OPT_FLAG, OFF(kiosk), 0, 0, CMD_PLAY, NULL,
     "--fullscreen, and errors go to the log and status only, never on screen"},
    {"osc-port", OPT_LONG, OFF(osc_port), 0, 65535, CMD_PLAY, "N",
     "listen for OSC remote control on UDP port N (0: off; docs/operations.md)"},
    {"osc-bind", OPT_STRING, OFF(osc_bind), 0, 0, CMD_PLAY, "ADDR",
     "the address OSC listens on (default 127.0.0.1: this machine only)"},
    {"display", OPT_LONG, OFF(monitor), 0, 63, CMD_PLAY, "N", "display to use, from 0"},
    {"quit-after", OPT_DOUBLE, OFF(quit_after), 0, 1e9, CMD_PLAY, "S", "stop after S seconds"},
    {"config", OPT_STRING, OFF(config), 0, 0,
     CMD_PLAY | CMD_RENDER | CMD_CHECK | CMD_SENSORS | CMD_SYNC_STATUS, "FILE",
     "operator config: sensors, budget, projection outputs (what a scene must not control)"},
    {"output", OPT_STRING, OFF(output), 0, 0, CMD_RENDER, "ID",
     "render one projection output at its size: warp, blend, black level, trim "
     "(docs/projection.md)"},
    {"power-sensor", OPT_STRING, OFF(power_sensor), 0, 0, CMD_PLAY | CMD_RENDER | CMD_SENSORS,
     "SPEC",
     "auto, rapl, nvml, hwmon[:CHIP], file:/path or model (render --governed: model, or "
     "ledger:FILE.csv to replay a recorded energy log)"},
    {"budget-watts", OPT_DOUBLE, OFF(budget_watts), 0.1, 100000, CMD_PLAY | CMD_RENDER, "W",
     "power budget in watts (wins over the config and the scene)"},
    {"energy-log", OPT_STRING, OFF(energy_log), 0, 0, CMD_PLAY, "FILE.csv",
     "write the energy ledger: one row a second, rotated daily (docs/energy.md)"},
    {"visitors", OPT_LONG, OFF(visitors), 1, 1e9, CMD_REPORT, "N",
     "visitors over the logged period: energy and CO2e per visitor"},
    {"carbon", OPT_DOUBLE, OFF(carbon), 0.1, 5000, CMD_REPORT, "G_PER_KWH",
     "carbon factor of the electricity (default 50 gCO2e/kWh)"},
    {"timezone", OPT_STRING, OFF(timezone), 0, 0, CMD_REPORT, "ZONE",
     "days of the report in this zone, like Europe/Paris (default UTC)"},
    {"day", OPT_STRING, OFF(day), 0, 0, CMD_REPORT, "YYYY-MM-DD",
     "the day the chart shows (default the last day logged)"},
    {"period", OPT_WORD, OFF(period), 0, 0, CMD_REPORT, "day|week|month|year|all",
     "the chart: day (default) one day's power by minute; else a bar per day over the last 7, 31 "
     "or 366 days logged, or all of them"},
    {"json", OPT_FLAG, OFF(json), 0, 0, CMD_REPORT, NULL, "print the report as JSON"},
    {"quiet", OPT_FLAG, OFF(quiet), 0, 0, CMD_ALL, NULL, "print errors only"},
    {"verbose", OPT_FLAG, OFF(verbose), 0, 0, CMD_ALL, NULL, "print debugging information"},
    {"help", OPT_FLAG, OFF(help), 0, 0, CMD_ALL, NULL, "show this help and exit"},
    {"version", OPT_FLAG, OFF(version), 0, 0, CMD_ALL, NULL, "print the version and exit"},
};
#define OPTION_COUNT (sizeof option_table / sizeof option_table[0])

static const struct {
    const char *name;
    vt_command command;
    const char *usage;
    const char *help;
} command_table[] = {
    {"play", VT_CMD_PLAY, "play SCENE", "play a scene in a window, in real time"},
    {"render", VT_CMD_RENDER, "render SCENE --out DIR", "render frames to PNG files, headless"},
    {"check", VT_CMD_CHECK, "check SCENE...", "validate scene files and print every problem"},
    {"sensors", VT_CMD_SENSORS, "sensors", "list the power sensors found and what each covers"},
    {"report", VT_CMD_REPORT, "report LOG.csv...",
     "energy, CO2e and savings from energy logs; --out draws a chart"},
    {"merge", VT_CMD_MERGE, "merge DIR",
     "check and join the parts of a render farm's render (render --part K/N)"},
    {"sync-status", VT_CMD_SYNC_STATUS, "sync-status --config FILE",
     "the clock offset and round trip to each machine of the room (docs/sync.md)"},
};
#define COMMAND_COUNT (sizeof command_table / sizeof command_table[0])

static vt_status usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static vt_status usage_error(const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "vitrine: %s\nTry 'vitrine --help' for more information.\n", msg);
    return VT_E_USAGE;
}

static const opt_spec *find_option(const char *name, size_t len) {
    for (size_t i = 0; i < OPTION_COUNT; i++) {
        if (strlen(option_table[i].name) == len && strncmp(option_table[i].name, name, len) == 0) {
            return &option_table[i];
        }
    }
    return NULL;
}

static vt_status unknown_option(const char *arg) {
    const char *names[OPTION_COUNT];
    for (size_t i = 0; i < OPTION_COUNT; i++) {
        names[i] = option_table[i].name;
    }
    const char *eq = strchr(arg, '=');
    char *word = vt_xstrndup(arg + 2, eq ? (size_t)(eq - arg - 2) : strlen(arg + 2));
    const char *near = vt_did_you_mean(word, names, OPTION_COUNT);
    free(word);
    if (near) {
        return usage_error("unknown option '%s'; did you mean '--%s'?", arg, near);
    }
    return usage_error("unknown option '%s'", arg);
}

static vt_status parse_number(const opt_spec *o, const char *text, vt_options *opts) {
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    bool ok = end != text && *end == '\0' && errno == 0 && isfinite(v);
    if (o->kind == OPT_LONG && ok) {
        ok = v == floor(v);
    }
    if (!ok || v < o->min || v > o->max) {
        return usage_error("--%s expects a%s number from %g to %g, got '%s'", o->name,
                           o->kind == OPT_LONG ? " whole" : "", o->min, o->max, text);
    }
    char *field = (char *)opts + o->offset;
    if (o->kind == OPT_LONG) {
        *(long *)(void *)field = (long)v;
    } else {
        *(double *)(void *)field = v;
    }
    return VT_OK;
}

static vt_status parse_size(const opt_spec *o, const char *text, vt_options *opts) {
    int w = 0, h = 0, n = 0;
    if (sscanf(text, "%dx%d%n", &w, &h, &n) != 2 || text[n] != '\0' || w < o->min || h < o->min ||
        w > o->max || h > o->max) {
        return usage_error("--%s expects WIDTHxHEIGHT in pixels, like 1920x1080, got '%s'", o->name,
                           text);
    }
    opts->width = w;
    opts->height = h;
    return VT_OK;
}

/* One of the words the option's metavar lists; a near miss is named. */
static vt_status parse_word(const opt_spec *o, const char *text, vt_options *opts) {
    enum { MAX_WORDS = 8 };
    char words[MAX_WORDS][24];
    const char *list[MAX_WORDS];
    size_t count = 0;
    for (const char *p = o->metavar; *p && count < MAX_WORDS; count++) {
        size_t len = strcspn(p, "|");
        snprintf(words[count], sizeof words[count], "%.*s", (int)len, p);
        list[count] = words[count];
        if (strcmp(text, words[count]) == 0) {
            *(const char **)(void *)((char *)opts + o->offset) = text;
            return VT_OK;
        }
        p += len + (p[len] == '|');
    }
    const char *near = vt_did_you_mean(text, list, count);
    if (near) {
        return usage_error("--%s expects one of %s, got '%s'; did you mean '%s'?", o->name,
                           o->metavar, text, near);
    }
    return usage_error("--%s expects one of %s, got '%s'", o->name, o->metavar, text);
}

static vt_status parse_value(const opt_spec *o, const char *text, vt_options *opts) {
    switch (o->kind) {
    case OPT_STRING:
        if (text[0] == '\0') {
            return usage_error("--%s expects %s, got an empty string", o->name, o->metavar);
        }
        *(const char **)(void *)((char *)opts + o->offset) = text;
        return VT_OK;
    case OPT_LONG:
    case OPT_DOUBLE:
        return parse_number(o, text, opts);
    case OPT_SIZE:
        return parse_size(o, text, opts);
    case OPT_WORD:
        return parse_word(o, text, opts);
    case OPT_FLAG:
        break;
    }
    return VT_OK;
}

/* One "--name", "--name=value" or "--name value" argument; *i advances past what it used. */
static vt_status parse_option(int argc, char **argv, int *i, vt_options *opts,
                              unsigned *seen_cmds) {
    const char *arg = argv[*i];
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
    const opt_spec *o = find_option(arg + 2, len);
    if (!o) {
        return unknown_option(arg);
    }
    *seen_cmds |= o->commands;
    if (o->kind == OPT_FLAG) {
        if (eq) {
            return usage_error("--%s takes no value", o->name);
        }
        *(bool *)((char *)opts + o->offset) = true;
        return VT_OK;
    }
    const char *value = eq ? eq + 1 : NULL;
    if (!value) {
        if (*i + 1 >= argc) {
            return usage_error("--%s needs a value (%s)", o->name, o->metavar);
        }
        value = argv[++*i];
    }
    return parse_value(o, value, opts);
}

static vt_status check_applicable(const vt_options *opts, int argc, char **argv) {
    unsigned bit = 1u << opts->command;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            break;
        }
        if (strncmp(argv[i], "--", 2) != 0) {
            continue;
        }
        const char *eq = strchr(argv[i], '=');
        const opt_spec *o =
            find_option(argv[i] + 2, eq ? (size_t)(eq - argv[i] - 2) : strlen(argv[i] + 2));
        if (o && !(o->commands & bit)) {
            return usage_error("--%s does not apply to 'vitrine %s'", o->name,
                               command_table[opts->command - 1].name);
        }
        if (o && o->kind != OPT_FLAG && !eq) {
            i++;
        }
    }
    return VT_OK;
}

static vt_status set_command(vt_options *opts, const char *word) {
    const char *names[COMMAND_COUNT];
    for (size_t c = 0; c < COMMAND_COUNT; c++) {
        names[c] = command_table[c].name;
        if (strcmp(word, command_table[c].name) == 0) {
            opts->command = command_table[c].command;
            return VT_OK;
        }
    }
    const char *near = vt_did_you_mean(word, names, COMMAND_COUNT);
    if (near) {
        return usage_error("unknown command '%s'; did you mean '%s'?", word, near);
    }
    return usage_error(
        "unknown command '%s'; commands are play, render, check, sensors, report, merge and "
        "sync-status",
        word);
}

/* --part K/N: two whole numbers, 1 <= K <= N (N is checked against the frame count later). */
static vt_status parse_part(vt_options *opts) {
    const char *p = opts->part;
    char *end = NULL;
    long k = 0, n = 0;
    bool ok = *p >= '0' && *p <= '9';
    if (ok) {
        errno = 0;
        k = strtol(p, &end, 10);
        ok = errno == 0 && *end == '/' && end[1] >= '0' && end[1] <= '9';
    }
    if (ok) {
        n = strtol(end + 1, &end, 10);
        ok = errno == 0 && *end == '\0' && n <= 1000000;
    }
    if (!ok) {
        return usage_error("--part expects K/N, two whole numbers like 3/8 (the 3rd of 8 parts), "
                           "got '%s'",
                           opts->part);
    }
    if (n < 1 || k < 1) {
        return usage_error("--part %s: parts are numbered from 1 to N, and N is at least 1",
                           opts->part);
    }
    if (k > n) {
        return usage_error("--part %s: there is no part %ld of %ld; K goes from 1 to N", opts->part,
                           k, n);
    }
    opts->part_index = k;
    opts->part_count = n;
    return VT_OK;
}

/* "YYYY-MM-DD[THH:MM:SS[Z]]" (UTC), a real date of the years 1970 to 9999, to Unix seconds. */
static bool parse_date(const char *s, int64_t *out) {
    int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10) {
        return false;
    }
    if (s[n] == 'T' || s[n] == ' ') {
        int m = 0;
        if (sscanf(s + n + 1, "%2d:%2d:%2d%n", &h, &mi, &sec, &m) != 3 || m != 8) {
            return false;
        }
        n += 1 + m;
        n += s[n] == 'Z';
    }
    if (s[n] || y < 1970 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59 || h < 0 ||
        mi < 0 || sec < 0) {
        return false;
    }
    struct tm tm = {.tm_year = y - 1900,
                    .tm_mon = mo - 1,
                    .tm_mday = d,
                    .tm_hour = h,
                    .tm_min = mi,
                    .tm_sec = sec};
    time_t t = timegm(&tm);
    if (tm.tm_mday != d || tm.tm_mon != mo - 1) { /* 2026-02-30 rolled into March */
        return false;
    }
    *out = (int64_t)t;
    return true;
}

static vt_status check_inputs(vt_options *opts) {
    const char *name = command_table[opts->command - 1].name;
    if (opts->command == VT_CMD_SENSORS) {
        return opts->input_count == 0
                   ? VT_OK
                   : usage_error("'vitrine sensors' takes no file, got '%s'", opts->inputs[0]);
    }
    if (opts->command == VT_CMD_SYNC_STATUS) {
        return opts->input_count > 0
                   ? usage_error("'vitrine sync-status' takes no file, got '%s'", opts->inputs[0])
               : opts->config ? VT_OK
                              : usage_error("'vitrine sync-status' needs --config FILE, "
                                            "the operator config with the 'sync:' block");
    }
    if (opts->command == VT_CMD_REPORT) {
        bool period = opts->period && strcmp(opts->period, "day") != 0;
        if (period && opts->day) {
            return usage_error("--day picks the one-day chart's day; it does not go with "
                               "--period %s",
                               opts->period);
        }
        if (period && !opts->out_dir) {
            return usage_error("--period chooses what the chart shows; give --out chart.png too");
        }
        return opts->input_count > 0
                   ? VT_OK
                   : usage_error("'vitrine report' needs energy log files (FILE.csv...)");
    }
    if (opts->command == VT_CMD_MERGE) {
        return opts->input_count == 1 ? VT_OK
               : opts->input_count == 0
                   ? usage_error("'vitrine merge' needs the render's folder (DIR)")
                   : usage_error("'vitrine merge' takes one folder, got '%s' too", opts->inputs[1]);
    }
    if (opts->input_count == 0) {
        return usage_error("'vitrine %s' needs a scene file", name);
    }
    if (opts->command != VT_CMD_CHECK && opts->input_count > 1) {
        return usage_error("'vitrine %s' takes one scene file, got '%s' too", name,
                           opts->inputs[1]);
    }
    if (opts->command == VT_CMD_RENDER && !opts->out_dir) {
        return usage_error("'vitrine render' needs --out DIR, the folder for the frames");
    }
    bool energy = opts->power_sensor || opts->budget_watts > 0;
    if (opts->command == VT_CMD_RENDER && energy && !opts->governed) {
        return usage_error("--power-sensor and --budget-watts apply to 'vitrine render' only "
                           "with --governed (an ungoverned render draws every frame at full "
                           "quality)");
    }
    if (opts->command == VT_CMD_RENDER && opts->calibrate && !opts->output) {
        return usage_error("render --calibrate draws one output's calibration pattern: name it "
                           "with --output ID");
    }
    if (opts->command == VT_CMD_RENDER && opts->output && opts->width > 0) {
        return usage_error("--size does not go with --output: an output is rendered at its own "
                           "'size' (set it in the outputs of the config or scene)");
    }
    if (opts->command == VT_CMD_RENDER && opts->power_sensor &&
        strcmp(opts->power_sensor, "model") != 0 &&
        !(strncmp(opts->power_sensor, "ledger:", 7) == 0 && opts->power_sensor[7])) {
        return usage_error("render --governed drives the governor in simulated time: the power "
                           "sensors it takes are 'model' and 'ledger:FILE' (a recorded energy "
                           "log replayed), got '%s'",
                           opts->power_sensor);
    }
    if (opts->duration >= 0 && opts->frames >= 0) {
        return usage_error("give --duration or --frames, not both");
    }
    if (opts->part && parse_part(opts) != VT_OK) {
        return VT_E_USAGE;
    }
    if (opts->date && !parse_date(opts->date, &opts->date_epoch)) {
        return usage_error("--date takes a date and time in UTC like 2026-06-21T21:30:00 (or a "
                           "day like 2026-06-21), got '%s'",
                           opts->date);
    }
    unsigned char addr[sizeof(struct in6_addr)];
    if (opts->osc_bind && inet_pton(AF_INET, opts->osc_bind, addr) != 1 &&
        inet_pton(AF_INET6, opts->osc_bind, addr) != 1) {
        return usage_error("--osc-bind takes a numeric IPv4 or IPv6 address, like 127.0.0.1, "
                           "0.0.0.0 (every interface) or ::1; got '%s'",
                           opts->osc_bind);
    }
    return VT_OK;
}

vt_status vt_options_parse(int argc, char **argv, vt_options *opts) {
    *opts = (vt_options){.duration = -1,
                         .frames = -1,
                         .png_level = 1,
                         .quit_after = -1,
                         .osc_port = -1,
                         .monitor = -1,
                         .visitors = -1,
                         .carbon = -1};
    opts->inputs = vt_xcalloc((size_t)argc, sizeof *opts->inputs);
    unsigned seen = 0;
    bool only_files = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        vt_status st = VT_OK;
        if (!only_files && strcmp(arg, "--") == 0) {
            only_files = true;
        } else if (!only_files && strncmp(arg, "--", 2) == 0) {
            st = parse_option(argc, argv, &i, opts, &seen);
        } else if (!only_files && arg[0] == '-' && arg[1] != '\0') {
            st = strcmp(arg, "-h") == 0   ? (opts->help = true, VT_OK)
                 : strcmp(arg, "-V") == 0 ? (opts->version = true, VT_OK)
                                          : usage_error("unknown option '%s'", arg);
        } else if (opts->command == VT_CMD_NONE) {
            st = set_command(opts, arg);
        } else {
            opts->inputs[opts->input_count++] = arg;
        }
        if (st != VT_OK) {
            return st;
        }
    }
    if (opts->help || opts->version) {
        return VT_OK;
    }
    if (opts->command == VT_CMD_NONE) {
        return usage_error(
            "no command given; commands are play, render, check, sensors, report, merge and "
            "sync-status");
    }
    vt_status st = check_applicable(opts, argc, argv);
    return st != VT_OK ? st : check_inputs(opts);
}

void vt_options_free(vt_options *opts) {
    free(opts->inputs);
    opts->inputs = NULL;
}

void vt_options_print_help(FILE *out) {
    fprintf(out, "Usage: vitrine COMMAND SCENE [OPTIONS]\n"
                 "Plays immersive exhibition scenes, renders them offline, checks them.\n\n"
                 "Commands:\n");
    for (size_t c = 0; c < COMMAND_COUNT; c++) {
        fprintf(out, "  %-24s %s\n", command_table[c].usage, command_table[c].help);
    }
    fprintf(out, "\nOptions:\n");
    for (size_t i = 0; i < OPTION_COUNT; i++) {
        const opt_spec *o = &option_table[i];
        char left[64];
        snprintf(left, sizeof left, "--%s%s%s", o->name, o->metavar ? " " : "",
                 o->metavar ? o->metavar : "");
        char cmds[64] = "";
        if (o->commands != CMD_ALL) {
            size_t n = 0;
            for (size_t c = 0; c < COMMAND_COUNT; c++) {
                if (o->commands & (1u << command_table[c].command)) {
                    n += (size_t)snprintf(cmds + n, sizeof cmds - n, "%s%s", n ? ", " : " [",
                                          command_table[c].name);
                }
            }
            snprintf(cmds + n, sizeof cmds - n, "]");
        }
        fprintf(out, "  %-24s %s%s\n", left, o->help, cmds);
    }
    fprintf(out, "\nExit status: 0 ok, 64 usage error, 65 invalid scene, 66 missing input,\n"
                 "70 internal error, 73 cannot create output, 74 I/O error.\n"
                 "Scene format reference: docs/scene-format.md\n");
}
