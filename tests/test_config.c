/* Tests of the operator config (--config): defaults field by field, every sensor form, and one
 * case per rule with the exact "path:line:col: error: message" lines. */
#include "io/vt_io.h"
#include "config/vt_config.h"
#include "vt_test.h"
#include "diag_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PATH "config/t.yaml"
#define E(line, col, msg) PATH ":" #line ":" #col ": error: " msg "\n"
#define W(line, col, msg) PATH ":" #line ":" #col ": warning: " msg "\n"
#define SENSORS "auto, rapl, nvml, hwmon, hwmon:CHIP, file:/absolute/path, model"
#define NEED_PATH "file: needs an absolute path, like file:/run/power"
#define CHIP_FIX "hwmon: needs a chip name of letters, digits, '_', '-' and '.', like hwmon:amdgpu"

typedef struct bad_case {
    const char *name;
    const char *yaml;
    const char *expected; /* every diagnostic, in order */
} bad_case;

static const bad_case bad_cases[] = {
    /* ---- the file ---- */
    {"other format stops there", "format: vitrine/1\nenergy: {sensor: foo}\n",
     E(1, 9, "unsupported format 'vitrine/1'; this version of Vitrine reads vitrine-config/1")},
    {"format not a string", "format: [1]\n", E(1, 9, "'format' must be a string, not a sequence")},
    {"format empty", "format:\nenergy: {}\n", E(1, 8, "'format' has no value; expected a string")},
    {"sequence document", "- a\n",
     E(1, 1, "a config must be a mapping of keys like 'energy:', not a sequence")},
    {"scalar document", "rapl\n",
     E(1, 1, "a config must be a mapping of keys like 'energy:', not a string")},
    {"unknown key, suggestion", "enrgy: {}\n",
     E(1, 1, "unknown key 'enrgy'; did you mean 'energy'?")},
    {"unknown key, list", "scene: a.yaml\n",
     E(1, 1, "unknown key 'scene'; valid keys: format, energy, schedule, audio, "
             "display_off_command, display_on_command, display, osc, metrics, fallback_image, "
             "proof_of_play, projectors, sync, video, outputs")},
    {"anchor", "energy: &e {}\n",
     E(1, 9, "anchors (&e) are not allowed; write the value out in full")},
    {"duplicate key", "energy:\n  sensor: rapl\n  sensor: nvml\n",
     E(3, 3, "duplicate key 'sensor' (first at line 2, column 3); remove one of them")},
    {"syntax error", "energy:\n  sensor: [rapl\n",
     E(3, 1, "did not find expected ',' or ']' while parsing a flow sequence (which started at "
             "line 2, column 11)")},
    {"too deep", "x-a: [[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]\n",
     E(1, 21, "values are nested more than 16 levels deep; flatten the structure")},

    /* ---- audio ---- */
    {"audio not a mapping", "audio: off\n",
     E(1, 8, "'audio' must be a mapping, got 'off'; write 'enabled: true' on the next line, "
             "indented")},
    {"audio keys", "audio:\n  enable: false\n  volume: 1\n",
     E(2, 3, "unknown key 'enable' in 'audio'; did you mean 'enabled'?")
     E(3, 3, "unknown key 'volume' in 'audio'; valid keys: enabled, device, buses")},
    {"enabled yes, device a number list", "audio: {enabled: no, device: [1]}\n",
     E(1, 18, "'enabled' must be a boolean, got 'no'; expected true or false")
     E(1, 30, "'device' must be a string, not a sequence")},
    {"device empty", "audio:\n  device:\n", E(2, 10, "'device' has no value; expected a string")},
    {"bus levels", "audio:\n  buses: {ambience: 1.5, narration: -0.1, music: loud, 2nd: 1}\n",
     E(2, 21, "'ambience' must be between 0 and 1, got 1.5")
     E(2, 37, "'narration' must be between 0 and 1, got -0.1")
     E(2, 50, "'music' must be a number, got 'loud'")
     E(2, 56, "invalid bus name '2nd'; a bus name starts with a letter or '_' and holds only "
              "letters, digits, '_' and '-'")},
    {"buses not a mapping", "audio: {buses: [ambience]}\n",
     E(1, 16, "'buses' must be a mapping of bus names to levels, not a sequence; write it like "
              "{ambience: 0.5}")},

    /* ---- energy ---- */
    {"energy not a mapping", "energy: rapl\n",
     E(1, 9, "'energy' must be a mapping, got 'rapl'; write 'sensor: auto' on the next line, "
             "indented")},
    {"unknown energy key", "energy:\n  sensr: rapl\n",
     E(2, 3, "unknown key 'sensr' in 'energy'; did you mean 'sensor'?")},
    {"scene keys are not config keys", "energy:\n  fps: {max: 30}\n",
     E(2, 3, "unknown key 'fps' in 'energy'; valid keys: sensor, budget_watts, stale_after, "
             "log, log_max_mb, covers")},
    {"covers empty string", "energy:\n  covers: \"\"\n",
     E(2, 11, "'covers' must say in 1 to 200 bytes what the sensor measures, like \"smart "
              "plug: PC and screen\"")},
    {"covers on two lines", "energy:\n  covers: \"plug\\nscreen\"\n",
     E(2, 11, "'covers' must be one line of text, without control characters")},
    {"covers a sequence", "energy:\n  covers: [pc, screen]\n",
     E(2, 11, "'covers' must be a string, not a sequence")},

    /* ---- sensor ---- */
    {"sensor misspelt", "energy:\n  sensor: rapel\n",
     E(2, 11, "unknown sensor 'rapel'; did you mean 'rapl'?")},
    {"sensor unknown", "energy:\n  sensor: ipmi\n",
     E(2, 11, "unknown sensor 'ipmi'; valid sensors: " SENSORS)},
    {"sensor misspelt, with argument", "energy:\n  sensor: fil:/run/power\n",
     E(2, 11, "unknown sensor 'fil:/run/power'; did you mean 'file'?")},
    {"sensor a number", "energy:\n  sensor: 5\n",
     E(2, 11, "unknown sensor '5'; valid sensors: " SENSORS)},
    {"sensor a sequence", "energy:\n  sensor: [rapl]\n",
     E(2, 11, "'sensor' must be a string, not a sequence")},
    {"sensor empty", "energy:\n  sensor:\n", E(2, 10, "'sensor' has no value; expected a string")},
    {"sensor upper case", "energy:\n  sensor: RAPL\n",
     E(2, 11, "unknown sensor 'RAPL'; valid sensors: " SENSORS)},
    {"file relative", "energy:\n  sensor: file:run/power\n", E(2, 11, NEED_PATH)},
    {"file without path", "energy:\n  sensor: file\n", E(2, 11, NEED_PATH)},
    {"file colon only", "energy:\n  sensor: \"file:\"\n", E(2, 11, NEED_PATH)},
    {"file NUL", "energy:\n  sensor: \"file:/a\\0b\"\n",
     E(2, 11, "'sensor' contains a NUL character (\\0); remove it")},
    {"hwmon empty chip", "energy:\n  sensor: \"hwmon:\"\n", E(2, 11, CHIP_FIX ", got ''")},
    {"hwmon bad chip", "energy:\n  sensor: hwmon:a/b\n", E(2, 11, CHIP_FIX ", got 'a/b'")},
    {"argument on rapl", "energy:\n  sensor: rapl:0\n",
     E(2, 11, "sensor 'rapl' takes nothing after ':'; write 'sensor: rapl'")},
    {"argument on auto", "energy:\n  sensor: auto:x\n",
     E(2, 11, "sensor 'auto' takes nothing after ':'; write 'sensor: auto'")},

    /* ---- budget_watts, stale_after ---- */
    {"budget zero", "energy:\n  budget_watts: 0\n",
     E(2, 17, "'budget_watts' must be more than 0 watts, got 0; leave it out for no budget")},
    {"budget too high", "energy:\n  budget_watts: 1e6\n",
     E(2, 17, "'budget_watts' must be at most 100000 watts, got 1e6")},
    {"budget a word", "energy:\n  budget_watts: 30W\n",
     E(2, 17, "'budget_watts' must be a number, got '30W'")},
    {"stale_after low", "energy:\n  stale_after: 0.5\n",
     E(2, 16, "'stale_after' must be between 1 and 3600, got 0.5")},
    {"stale_after high", "energy:\n  stale_after: 3601\n",
     E(2, 16, "'stale_after' must be between 1 and 3600, got 3601")},
    {"stale_after quoted", "energy:\n  stale_after: \"30\"\n",
     E(2, 16, "'stale_after' must be a number, not a string")},
    {"several errors, valid keys dropped", "energy:\n  sensor: rapl\n  budget_watts: -1\n",
     E(3, 17, "'budget_watts' must be more than 0 watts, got -1; leave it out for no budget")},

    /* ---- osc ---- */
    {"osc not a mapping", "osc: 7400\n",
     E(1, 6, "'osc' must be a mapping, not a number; write 'port: 7400' on the next line, "
             "indented")},
    {"osc keys", "osc: {prt: 1}\n", E(1, 7, "unknown key 'prt' in 'osc'; did you mean 'port'?")},
    {"osc port range", "osc: {port: 70000}\n",
     E(1, 13, "'port' must be between 0 and 65535, got 70000")},
    {"osc bind name", "osc: {bind: localhost}\n",
     E(1, 13, "'bind' must be a numeric address of this machine, like 127.0.0.1 (this machine "
              "only) or 0.0.0.0 (every interface), not 'localhost'")},
    {"osc bind range", "osc: {bind: 10.0.0.0/8}\n",
     E(1, 13, "'bind' must be a numeric address of this machine, like 127.0.0.1 (this machine "
              "only) or 0.0.0.0 (every interface), not '10.0.0.0/8'")},
    {"osc allow", "osc: {allow: [10.0.0.0/33, 127.0.0.1/32]}\n",
     E(1, 15, "'10.0.0.0/33' is not an address range; write an address with its prefix length, "
              "like 192.168.1.0/24 or 127.0.0.1/32")},
    {"osc allow scalar", "osc: {allow: 10.0.0.0/8}\n",
     E(1, 14, "'allow' must be a list of addresses, got '10.0.0.0/8'; write it like "
              "[127.0.0.1/32, 10.0.0.0/24]")},
    {"osc rate", "osc: {rate: 0}\n", E(1, 13, "'rate' must be between 1 and 100000, got 0")},

    /* ---- metrics ---- */
    {"metrics not a mapping", "metrics: /var/lib/m.prom\n",
     E(1, 10, "'metrics' must be a mapping, got '/var/lib/m.prom'; write it like metrics: "
              "{file: /var/lib/node_exporter/vitrine.prom}")},
    {"metrics without file", "metrics: {interval: 10}\n",
     E(1, 10, "'metrics' needs 'file', the .prom file to write, like "
              "/var/lib/node_exporter/vitrine.prom")},
    {"metrics not .prom", "metrics: {file: /var/lib/m.txt}\n",
     E(1, 17, "'file' must end in .prom: node_exporter's textfile collector reads only such "
              "files")},
    {"metrics interval", "metrics: {file: m.prom, interval: 0.5}\n",
     E(1, 35, "'interval' must be between 1 and 3600, got 0.5")},
    /* ---- fallback_image, proof_of_play, projectors ---- */
    {"fallback list", "fallback_image: [a]\n",
     E(1, 17, "'fallback_image' must be a string, not a sequence")},
    {"proof_of_play without log", "proof_of_play: {log_max_mb: 5}\n",
     E(1, 16, "'proof_of_play' needs 'log: FILE.csv', the file to write")},
    {"proof_of_play key", "proof_of_play: {lg: a.csv}\n",
     E(1, 16, "'proof_of_play' needs 'log: FILE.csv', the file to write")
         E(1, 17, "unknown key 'lg' in 'proof_of_play'; did you mean 'log'?")},
    {"projector name", "projectors: [{address: proj1.local}]\n",
     E(1, 24, "'address' must be a numeric address like 10.0.0.21, not 'proj1.local' (names are "
              "not looked up: the show must not wait on a DNS server)")},
    {"projector no address", "projectors: [{port: 4352}]\n",
     E(1, 14, "a projector needs 'address:', its numeric address like 10.0.0.21")},
    {"projector password", "projectors: [{address: 10.0.0.21, password: \"a b\"}]\n",
     E(1, 45, "a PJLink 'password' is 1 to 32 printable ASCII characters without spaces, as set "
              "in the projector's menu")},
    {"projector port", "projectors: [{address: 10.0.0.21, port: 0}]\n",
     E(1, 41, "'port' must be between 1 and 65535, got 0")},
    {"projectors scalar", "projectors: 10.0.0.21\n",
     E(1, 13, "'projectors' must be a list, got '10.0.0.21'; write it like [{address: "
              "10.0.0.21, password: secret}]")},
};

static void check_bad_case(const bad_case *bc) {
    vt_diags d = {0};
    vt_config cfg = {.path = (char *)"garbage"};
    vt_status st = vt_config_load_string(bc->yaml, strlen(bc->yaml), PATH, &cfg, &d);
    char *got = diags_text(&d);
    if (st != VT_E_DATAERR || strcmp(got, bc->expected) != 0) {
        fprintf(stderr, "case '%s':\n", bc->name);
    }
    VT_CHECK_INT(st, VT_E_DATAERR);
    /* A refused config is empty, whatever it held before or read before the error. */
    VT_CHECK(cfg.path == NULL && cfg.energy.sensor == NULL && !cfg.energy.has_budget);
    VT_CHECK(cfg.audio.device == NULL && cfg.audio.buses == NULL && !cfg.audio.disabled);
    VT_CHECK_STR(got, bc->expected);
    free(got);
    vt_diags_free(&d);
}

/* Loads text that must be valid, with exactly `expect_diags` (warnings). */
static vt_status load_ok(const char *text, vt_config *cfg, const char *expect_diags) {
    vt_diags d = {0};
    vt_status st = vt_config_load_string(text, strlen(text), PATH, cfg, &d);
    char *got = diags_text(&d);
    VT_CHECK_INT(st, VT_OK);
    VT_CHECK_STR(got, expect_diags);
    free(got);
    vt_diags_free(&d);
    return st;
}

static void test_defaults(void) {
    const char *texts[] = {"", "# nothing to say\n", "format: vitrine-config/1\n",
                           "x-site: {room: 2}\n", "---\n"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        vt_config cfg;
        load_ok(texts[i], &cfg, "");
        VT_CHECK_STR(cfg.path, PATH);
        VT_CHECK(cfg.energy.sensor == NULL);
        VT_CHECK(!cfg.energy.has_budget);
        VT_CHECK_NEAR(cfg.energy.budget_watts, 0, 0);
        VT_CHECK_NEAR(cfg.energy.stale_after, 0, 0);
        VT_CHECK_INT(cfg.energy.line, 0);
        VT_CHECK_INT(cfg.energy.col, 0);
        VT_CHECK(!cfg.audio.disabled && cfg.audio.device == NULL && cfg.audio.bus_count == 0);
        VT_CHECK_INT(cfg.audio.line, 0);
        VT_CHECK_NEAR(vt_config_bus_level(&cfg, "ambience"), 1, 0);
        vt_config_free(&cfg);
    }
    /* An energy block without values: defaults, but its place is known. */
    vt_config cfg;
    load_ok("format: vitrine-config/1\nenergy:\n  x-note: later\n", &cfg, "");
    VT_CHECK(cfg.energy.sensor == NULL && !cfg.energy.has_budget);
    VT_CHECK_NEAR(cfg.energy.stale_after, 0, 0);
    VT_CHECK_INT(cfg.energy.line, 2);
    VT_CHECK_INT(cfg.energy.col, 1);
    vt_config_free(&cfg);
    load_ok("energy:\n", &cfg, "");
    VT_CHECK_INT(cfg.energy.line, 1);
    vt_config_free(&cfg);
    /* Freeing twice, or a zeroed config, does nothing. */
    vt_config_free(&cfg);
    vt_config_free(NULL);
}

static void test_sensors(void) {
    const char *ok[] = {"auto", "rapl", "nvml", "hwmon", "hwmon:amdgpu", "hwmon:nct6775.656",
                        "file:/run/power", "model",
                        "\"file:/srv/a b/watts\""};
    const char *stored[] = {"auto", "rapl", "nvml", "hwmon", "hwmon:amdgpu", "hwmon:nct6775.656",
                            "file:/run/power", "model",
                            "file:/srv/a b/watts"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        char *text = vt_xasprintf("energy:\n  sensor: %s\n", ok[i]);
        vt_config cfg;
        load_ok(text, &cfg, "");
        VT_CHECK_STR(cfg.energy.sensor, stored[i]);
        vt_config_free(&cfg);
        free(text);
    }
}

static void test_values(void) {
    vt_config cfg;
    load_ok("energy:\n  sensor: file:/run/p\n  covers: \"smart plug: PC, screen \\\"left\\\"\"\n",
            &cfg, "");
    VT_CHECK_STR(cfg.energy.covers, "smart plug: PC, screen \"left\"");
    vt_config_free(&cfg);
    load_ok("energy:\n  budget_watts: 100000\n  stale_after: 3600\n", &cfg, "");
    VT_CHECK(cfg.energy.has_budget);
    VT_CHECK_NEAR(cfg.energy.budget_watts, 100000, 0);
    VT_CHECK_NEAR(cfg.energy.stale_after, 3600, 0);
    vt_config_free(&cfg);
    load_ok("energy: {budget_watts: 0.25, stale_after: 1, sensor: file:/p}\n", &cfg, "");
    VT_CHECK_NEAR(cfg.energy.budget_watts, 0.25, 0);
    VT_CHECK_NEAR(cfg.energy.stale_after, 1, 0);
    vt_config_free(&cfg);
    /* stale_after with another sensor: kept, but said to be useless. */
    load_ok("energy:\n  sensor: rapl\n  stale_after: 10\n", &cfg,
            W(3, 3, "'stale_after' applies to a file: sensor only; it is ignored with sensor "
                    "'rapl'"));
    VT_CHECK_NEAR(cfg.energy.stale_after, 10, 0);
    vt_config_free(&cfg);
    load_ok("energy:\n  sensor: auto\n  stale_after: 10\n", &cfg, "");
    VT_CHECK_NEAR(cfg.energy.stale_after, 10, 0);
    vt_config_free(&cfg);
}

static void test_audio(void) {
    vt_config cfg;
    load_ok("audio:\n  enabled: false\n  device: \"OpenAL Soft on HDA Intel PCH\"\n"
            "  buses: {ambience: 0.5, narration: 1, silent: 0, x-note: later}\n",
            &cfg, "");
    VT_CHECK(cfg.audio.disabled);
    VT_CHECK_STR(cfg.audio.device, "OpenAL Soft on HDA Intel PCH");
    VT_CHECK_INT(cfg.audio.bus_count, 3);
    VT_CHECK_STR(cfg.audio.buses[0].name, "ambience");
    VT_CHECK_INT(cfg.audio.buses[0].line, 4);
    VT_CHECK_INT(cfg.audio.buses[0].col, 11);
    VT_CHECK_NEAR(vt_config_bus_level(&cfg, "ambience"), 0.5, 0);
    VT_CHECK_NEAR(vt_config_bus_level(&cfg, "narration"), 1, 0);
    VT_CHECK_NEAR(vt_config_bus_level(&cfg, "silent"), 0, 0);
    VT_CHECK_NEAR(vt_config_bus_level(&cfg, "music"), 1, 0); /* not named: untouched */
    VT_CHECK_NEAR(vt_config_bus_level(NULL, "ambience"), 1, 0);
    VT_CHECK_INT(cfg.audio.line, 1);
    VT_CHECK_INT(cfg.audio.col, 1);
    vt_config_free(&cfg);
    load_ok("audio:\n  enabled: true\n", &cfg, "");
    VT_CHECK(!cfg.audio.disabled && cfg.audio.device == NULL);
    vt_config_free(&cfg);
    load_ok("audio:\n", &cfg, "");
    VT_CHECK(!cfg.audio.disabled);
    VT_CHECK_INT(cfg.audio.line, 1);
    vt_config_free(&cfg);
    /* A device name too long to be one. */
    char *text = vt_xasprintf("audio: {device: %01001d}\n", 0);
    for (char *q = strchr(text, '0'); q && *q == '0'; q++) {
        *q = 'a';
    }
    vt_diags d = {0};
    VT_CHECK_INT(vt_config_load_string(text, strlen(text), PATH, &cfg, &d), VT_E_DATAERR);
    char *got = diags_text(&d);
    VT_CHECK_STR(got, E(1, 17, "'device' is longer than 1000 bytes; give an OpenAL device name, "
                               "or leave 'device' out for the default device"));
    free(got);
    free(text);
    vt_diags_free(&d);
}

/* osc: off without the block; the block turns it on at 7400; port 0 turns it off again. */
static void test_osc(void) {
    vt_config cfg;
    load_ok("energy: {}\n", &cfg, "");
    VT_CHECK_NEAR(cfg.osc.port, 0, 0);
    vt_config_free(&cfg);
    load_ok("osc:\n", &cfg, "");
    VT_CHECK_NEAR(cfg.osc.port, 7400, 0);
    VT_CHECK(cfg.osc.bind == NULL && cfg.osc.allow_count == 0);
    vt_config_free(&cfg);
    load_ok("osc: {port: 0}\n", &cfg, "");
    VT_CHECK_NEAR(cfg.osc.port, -1, 0);
    vt_config_free(&cfg);
    load_ok("osc:\n  port: 9000\n  bind: 0.0.0.0\n  allow: [192.168.1.0/24, \"::1\"]\n  rate: 50\n",
            &cfg, "");
    VT_CHECK_NEAR(cfg.osc.port, 9000, 0);
    VT_CHECK_STR(cfg.osc.bind, "0.0.0.0");
    VT_CHECK_INT(cfg.osc.allow_count, 2);
    VT_CHECK_INT(cfg.osc.allow[0].bits, 24);
    VT_CHECK_INT(cfg.osc.allow[1].bits, 128);
    VT_CHECK_NEAR(cfg.osc.rate, 50, 0);
    VT_CHECK_INT(cfg.osc.line, 1);
    /* The settings: the flag, else the config. */
    vt_settings set = {0};
    vt_settings_resolve(&set, &cfg, NULL);
    VT_CHECK_NEAR(set.osc_port, 9000, 0);
    VT_CHECK_STR(set.osc_bind, "0.0.0.0");
    VT_CHECK_NEAR(set.osc_rate, 50, 0);
    set = (vt_settings){.osc_port = -1, .osc_bind = "127.0.0.1"}; /* --osc-port 0 --osc-bind */
    vt_settings_resolve(&set, &cfg, NULL);
    VT_CHECK_NEAR(set.osc_port, -1, 0);
    VT_CHECK_STR(set.osc_bind, "127.0.0.1");
    vt_config_free(&cfg);
}

static void test_metrics(void) {
    vt_config cfg;
    load_ok("metrics: {file: m/vitrine.prom, interval: 2}\n", &cfg, "");
    VT_CHECK_STR(cfg.metrics.file, "config/m/vitrine.prom"); /* beside the config */
    VT_CHECK_NEAR(cfg.metrics.interval, 2, 0);
    vt_settings set = {0};
    vt_settings_resolve(&set, &cfg, NULL);
    VT_CHECK_STR(set.metrics_file, "config/m/vitrine.prom");
    VT_CHECK_NEAR(set.metrics_interval, 2, 0);
    vt_config_free(&cfg);
    load_ok("metrics: {file: /var/lib/node_exporter/vitrine.prom}\n", &cfg, "");
    VT_CHECK_STR(cfg.metrics.file, "/var/lib/node_exporter/vitrine.prom");
    VT_CHECK_NEAR(cfg.metrics.interval, 0, 0);
    vt_config_free(&cfg);
}

static void test_ops(void) {
    vt_config cfg;
    load_ok("fallback_image: closed.png\nproof_of_play: {log: plays.csv, log_max_mb: 2}\n"
            "projectors:\n  - {address: 10.0.0.21, password: secret}\n"
            "  - {address: \"::1\", port: 14352}\n",
            &cfg, "");
    VT_CHECK_STR(cfg.fallback_image, "config/closed.png"); /* beside the config */
    VT_CHECK_STR(cfg.proof_of_play.log, "config/plays.csv");
    VT_CHECK_NEAR(cfg.proof_of_play.log_max_mb, 2, 0);
    VT_CHECK_INT(cfg.projector_count, 2);
    VT_CHECK_STR(cfg.projectors[0].address, "10.0.0.21");
    VT_CHECK_INT(cfg.projectors[0].port, 4352);
    VT_CHECK_STR(cfg.projectors[0].password, "secret");
    VT_CHECK_INT(cfg.projectors[0].line, 4);
    VT_CHECK_STR(cfg.projectors[1].address, "::1");
    VT_CHECK_INT(cfg.projectors[1].port, 14352);
    VT_CHECK(cfg.projectors[1].password == NULL);
    vt_config_free(&cfg);
    load_ok("fallback_image: /srv/closed.png\n", &cfg, "");
    VT_CHECK_STR(cfg.fallback_image, "/srv/closed.png");
    VT_CHECK(cfg.proof_of_play.log == NULL && cfg.projector_count == 0);
    vt_config_free(&cfg);
}

static void test_files(void) {
    vt_diags d = {0};
    vt_config cfg;
    VT_CHECK_INT(vt_config_load("config/full.yaml", &cfg, &d), VT_OK);
    VT_CHECK_INT(d.count, 0);
    VT_CHECK_STR(cfg.path, "config/full.yaml");
    VT_CHECK_STR(cfg.energy.sensor, "file:/run/vitrine/power");
    VT_CHECK(cfg.energy.has_budget);
    VT_CHECK_NEAR(cfg.energy.budget_watts, 30, 0);
    VT_CHECK_NEAR(cfg.energy.stale_after, 12.5, 0);
    VT_CHECK_INT(cfg.energy.line, 3);
    VT_CHECK_INT(cfg.energy.col, 1);
    VT_CHECK(!cfg.audio.disabled);
    VT_CHECK_STR(cfg.audio.device, "OpenAL Soft on HDA Intel PCH");
    VT_CHECK_NEAR(vt_config_bus_level(&cfg, "ambience"), 0.5, 0);
    VT_CHECK_INT(cfg.audio.line, 8);
    vt_config_free(&cfg);

    VT_CHECK_INT(vt_config_load("config/empty.yaml", &cfg, &d), VT_OK);
    VT_CHECK_INT(d.count, 0);
    VT_CHECK_STR(cfg.path, "config/empty.yaml");
    VT_CHECK(cfg.energy.sensor == NULL && !cfg.energy.has_budget);
    vt_config_free(&cfg);

#define B(line, col, msg) "config/broken.yaml:" #line ":" #col ": error: " msg "\n"
    static const char expected[] =
        B(4, 11, NEED_PATH)
        B(5, 17, "'budget_watts' must be more than 0 watts, got -3; leave it out for no budget")
        B(6, 16, "'stale_after' must be between 1 and 3600, got 7200")
        B(7, 3, "unknown key 'schedule' in 'energy'; valid keys: sensor, budget_watts, "
                "stale_after, log, log_max_mb, covers");
#undef B
    VT_CHECK_INT(vt_config_load("config/broken.yaml", &cfg, &d), VT_E_DATAERR);
    char *got = diags_text(&d);
    VT_CHECK_STR(got, expected);
    VT_CHECK_INT(d.errors, 4);
    VT_CHECK(cfg.path == NULL);
    free(got);
    vt_diags_free(&d);

    VT_CHECK_INT(vt_config_load("config/nope.yaml", &cfg, &d), VT_E_NOINPUT);
    got = diags_text(&d);
    VT_CHECK_STR(got, "config/nope.yaml: error: cannot open: No such file or directory\n");
    free(got);
    vt_diags_free(&d);
}

static void load_doc_example(const char *text, int line) {
    vt_diags d = {0};
    vt_config cfg;
    if (vt_config_load_string(text, strlen(text), "docs/operations.md", &cfg, &d) != VT_OK ||
        d.count != 0) {
        fprintf(stderr, "docs/operations.md: the example at line %d does not load cleanly:\n",
                line);
        vt_diags_print(&d, stderr);
    }
    VT_CHECK_INT(d.count, 0);
    VT_CHECK(cfg.path != NULL);
    vt_config_free(&cfg);
    vt_diags_free(&d);
}

static void test_doc_examples(void) {
    VT_CHECK(doc_examples("../docs/operations.md", "format: vitrine-config/1", "",
                          load_doc_example) >= 1);
}

static void test_size_limit(const char *dir) {
    size_t n = 1024 * 1024;
    char *t = vt_xmalloc(n + 2);
    memset(t, ' ', n + 1);
    memcpy(t, "energy: {}\n#", 12);
    t[n - 1] = '\n';
    t[n] = '\0';
    vt_config cfg;
    load_ok(t, &cfg, ""); /* exactly at the limit */
    vt_config_free(&cfg);
    t[n] = '\n';
    const char *msg = ":1:1: error: the file is larger than 1048576 bytes (1 MiB), the most a "
                      "config may be; make it smaller\n";
    vt_diags d = {0};
    VT_CHECK_INT(vt_config_load_string(t, n + 1, PATH, &cfg, &d), VT_E_DATAERR);
    char *got = diags_text(&d);
    char *expected = vt_xasprintf("%s%s", PATH, msg);
    VT_CHECK_STR(got, expected);
    free(got);
    free(expected);
    vt_diags_free(&d);
    /* The same from disk, refused before parsing. */
    char *path = vt_xasprintf("%s/big.yaml", dir);
    VT_CHECK_INT(vt_file_write_atomic(path, t, n + 1, 0, NULL), VT_OK);
    VT_CHECK_INT(vt_config_load(path, &cfg, &d), VT_E_DATAERR);
    got = diags_text(&d);
    expected = vt_xasprintf("%s%s", path, msg);
    VT_CHECK_STR(got, expected);
    free(got);
    free(expected);
    vt_diags_free(&d);
    unlink(path);
    free(path);
    free(t);
}

int main(void) {
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        check_bad_case(&bad_cases[i]);
    }
    test_defaults();
    test_sensors();
    test_values();
    test_audio();
    test_osc();
    test_metrics();
    test_ops();
    test_files();
    char dir[] = "/tmp/vt-test-config-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_size_limit(dir);
    rmdir(dir);
    test_doc_examples();
    return vt_test_finish("test_config");
}
