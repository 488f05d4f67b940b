/* Operator settings (engine/config/settings.c): each from the flag, else the operator config,
 * else the scene, else the default, from one table. */
#include "config/vt_config.h"
#include "vt_test.h"

#include <string.h>

static const char config_text[] = "format: vitrine-config/1\n"
                                  "energy:\n"
                                  "  sensor: \"file:/run/meter\"\n"
                                  "  covers: \"smart plug: PC, screen\"\n"
                                  "  budget_watts: 42\n"
                                  "  stale_after: 7\n"
                                  "  log: energy.csv\n"
                                  "  log_max_mb: 3\n"
                                  "audio:\n"
                                  "  device: \"Speakers\"\n"
                                  "schedule:\n"
                                  "  timezone: UTC\n"
                                  "  open: {mon-sun: \"10:00-18:00\"}\n";

static void load_config(vt_config *cfg, const char *text) {
    vt_diags d = {0};
    vt_status st = vt_config_load_string(text, strlen(text), "/site/op.yaml", cfg, &d);
    VT_CHECK_INT(st, VT_OK);
    if (d.count) {
        vt_diags_print(&d, stderr);
    }
    vt_diags_free(&d);
}

static void test_config_wins_over_scene(void) {
    vt_config cfg;
    load_config(&cfg, config_text);
    vt_scene scene = {0};
    scene.energy.budget_watts = 99;
    scene.schedule.present = true;
    vt_settings s = {0};
    vt_settings_resolve(&s, &cfg, &scene);
    VT_CHECK_STR(s.power_sensor, "file:/run/meter");
    VT_CHECK_STR(s.sensor_covers, "smart plug: PC, screen");
    VT_CHECK_NEAR(s.budget_watts, 42, 0);
    VT_CHECK_NEAR(s.stale_after, 7, 0);
    VT_CHECK(s.energy_log && strstr(s.energy_log, "energy.csv"));
    VT_CHECK_NEAR(s.energy_log_max_mb, 3, 0);
    VT_CHECK_STR(s.audio_device, "Speakers");
    VT_CHECK(s.schedule == &cfg.schedule);

    /* The flags win over both. */
    s = (vt_settings){.power_sensor = "rapl",
                      .budget_watts = 12,
                      .energy_log = "/tmp/e.csv",
                      .audio_device = "Headphones"};
    vt_settings_resolve(&s, &cfg, &scene);
    VT_CHECK_STR(s.power_sensor, "rapl");
    VT_CHECK(s.sensor_covers == NULL); /* the config's words are for its own sensor */
    VT_CHECK_NEAR(s.budget_watts, 12, 0);
    VT_CHECK_STR(s.energy_log, "/tmp/e.csv");
    VT_CHECK_STR(s.audio_device, "Headphones");
    VT_CHECK_NEAR(s.stale_after, 7, 0); /* no flag for it: the config's */
    s = (vt_settings){.power_sensor = "file:/run/meter"}; /* the same sensor: its words */
    vt_settings_resolve(&s, &cfg, &scene);
    VT_CHECK_STR(s.sensor_covers, "smart plug: PC, screen");
    vt_config_free(&cfg);
}

static void test_scene_and_defaults(void) {
    /* A config without those keys: the scene's budget and schedule, else zero. */
    vt_config cfg;
    load_config(&cfg, "format: vitrine-config/1\n");
    vt_scene scene = {0};
    scene.energy.budget_watts = 99;
    vt_settings s = {0};
    vt_settings_resolve(&s, &cfg, &scene);
    VT_CHECK(s.power_sensor == NULL);
    VT_CHECK_NEAR(s.budget_watts, 99, 0);
    VT_CHECK(s.energy_log == NULL);
    VT_CHECK(s.audio_device == NULL);
    VT_CHECK(s.schedule == &scene.schedule);
    vt_config_free(&cfg);

    /* No config at all (play without --config), and no scene. */
    s = (vt_settings){0};
    vt_settings_resolve(&s, NULL, &scene);
    VT_CHECK_NEAR(s.budget_watts, 99, 0);
    VT_CHECK(s.schedule == &scene.schedule);
    s = (vt_settings){0};
    vt_settings_resolve(&s, NULL, NULL);
    VT_CHECK_NEAR(s.budget_watts, 0, 0);
    VT_CHECK(s.schedule == NULL);
}

/* `budget_watts` in the config wins even when the scene names another: has_budget says so. */
static void test_budget_flag_of_config(void) {
    vt_config cfg = {0};
    cfg.energy.has_budget = true;
    cfg.energy.budget_watts = 5;
    vt_scene scene = {0};
    scene.energy.budget_watts = 80;
    vt_settings s = {0};
    vt_settings_resolve(&s, &cfg, &scene);
    VT_CHECK_NEAR(s.budget_watts, 5, 0);
    cfg.energy.has_budget = false;
    s = (vt_settings){0};
    vt_settings_resolve(&s, &cfg, &scene);
    VT_CHECK_NEAR(s.budget_watts, 80, 0);
}

/* The energy session's descriptor: the scene's control law, the settings' budget and sensor,
 * the config's brightness control allowed as dim as the attract cap. */
static void test_energy_desc(void) {
    vt_config cfg;
    load_config(&cfg, "format: vitrine-config/1\ndisplay:\n  backlight: panel\n");
    vt_scene scene = {0};
    scene.fps = 50;
    scene.energy.brightness_min = 0.5;
    scene.energy.attract_brightness = 0.3;
    scene.energy.attract_fps = 12;
    vt_settings set = {.power_sensor = "file:/run/meter",
                       .sensor_covers = "the kiosk's socket",
                       .budget_watts = 30,
                       .stale_after = 9};
    vt_energy_desc d;
    vt_settings_energy_room room;
    vt_settings_energy_desc(&set, &cfg, &scene, &d, &room);
    VT_CHECK_STR(d.sensor.spec, "file:/run/meter");
    VT_CHECK_STR(d.sensor.covers, "the kiosk's socket");
    VT_CHECK_NEAR(d.sensor.stale_after, 9, 0);
    VT_CHECK_NEAR(d.governor.budget_watts, 30, 0);
    VT_CHECK_INT(d.fps, 50);
    VT_CHECK_INT(d.governor.fps_max, 50);
    VT_CHECK_INT(d.governor.attract_fps, 12);
    VT_CHECK(d.brightness == &room.brightness);
    VT_CHECK_NEAR(d.brightness->min, 0.3, 0); /* the attract cap, lower than brightness.min */
    VT_CHECK_STR(d.brightness->backlight, "panel");
    VT_CHECK(strstr(room.where, "op.yaml:3:") != NULL);
    scene.energy.attract_full = true; /* no attract cap: brightness.min holds */
    vt_settings_energy_desc(&set, &cfg, &scene, &d, &room);
    VT_CHECK_NEAR(d.brightness->min, 0.5, 0);
    vt_config_free(&cfg);
    vt_settings_energy_desc(&set, NULL, &scene, &d, &room); /* no config: no control */
    VT_CHECK(d.brightness == NULL);
}

int main(void) {
    test_config_wins_over_scene();
    test_scene_and_defaults();
    test_budget_flag_of_config();
    test_energy_desc();
    return vt_test_finish("test_settings");
}
