/* The proof-of-play log: what the show played when, for curators and lenders ("the film was
 * shown 212 times in March"). One CSV line per change, written as it happens:
 *
 *   time,event,id,detail
 *   2026-12-07T09:00:00.012Z,scene,scene.yaml,start
 *   2026-12-07T09:00:00.012Z,state,attract,
 *   2026-12-07T09:03:12.480Z,timeline,story,start
 *   2026-12-07T09:03:12.480Z,sound,narration,start
 *   2026-12-07T09:05:42.480Z,timeline,story,end
 *
 * Events: `scene` (start, reload, fallback), `state` (each state entered, `closed` outside
 * opening hours), `language`, `timeline` (start; end when it reached its end, stop
 * otherwise), `sound` (start, again at a restart; stop when stopped: a sound ending by itself is
 * not seen by the player), and `show,,end` when play stops. Lines go through the ledger's writer:
 * one write(2) each, dated files at UTC midnight, a bound on their total size, synced at once. */
#include "app/proof_of_play_internal.h"
#include "io/vt_io.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t realtime_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t (*wall_clock)(void) = realtime_ns;

void vt_proof_of_play_set_wall_clock(int64_t (*wall_ns)(void)) {
    wall_clock = wall_ns ? wall_ns : realtime_ns;
}

/* A CSV field: quoted when it holds a comma, a quote or a line break (which becomes a space). */
static size_t put_field(char *buf, size_t cap, size_t len, const char *s) {
    s = s ? s : "";
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote && len + 1 < cap) {
        buf[len++] = '"';
    }
    for (; *s && len + 3 < cap; s++) {
        if (*s == '"') {
            buf[len++] = '"';
        }
        buf[len++] = *s == '\r' || *s == '\n' ? ' ' : *s;
    }
    if (quote && len + 1 < cap) {
        buf[len++] = '"';
    }
    return len;
}

static void line(vt_proof_of_play *pp, const char *event, const char *id, const char *detail) {
    if (!pp->ledger) {
        return;
    }
    int64_t now = wall_clock();
    time_t t = (time_t)(now / 1000000000);
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        tm = (struct tm){.tm_year = 70, .tm_mday = 1};
    }
    char buf[VT_LEDGER_ROW_MAX + 1];
    size_t cap = VT_LEDGER_ROW_MAX - 1; /* room for the newline */
    size_t len = (size_t)snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ,%s,",
                                  tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                                  tm.tm_min, tm.tm_sec, (int)(now % 1000000000 / 1000000), event);
    len = put_field(buf, cap - 1, len, id);
    buf[len++] = ',';
    len = put_field(buf, cap, len, detail);
    buf[len++] = '\n';
    vt_error err = {0};
    if (vt_ledger_write_line(pp->ledger, (int64_t)t, buf, len, &err) != VT_OK) {
        if (!pp->failing) {
            vt_log(VT_LOG_WARN, "play", "%s; the show goes on, the log will try again",
                   err.message);
        }
        pp->failing = true;
    } else if (pp->failing) {
        vt_log(VT_LOG_INFO, "play", "the proof-of-play log is written again");
        pp->failing = false;
    }
}

vt_status vt_proof_of_play_start(vt_proof_of_play *pp, const vt_config *cfg, vt_error *err) {
    *pp = (vt_proof_of_play){0};
    if (!cfg->proof_of_play.log) {
        return VT_OK;
    }
    vt_ledger_desc d = {.path = cfg->proof_of_play.log,
                        .max_bytes = (uint64_t)(cfg->proof_of_play.log_max_mb * 1024 * 1024),
                        .sync_every = 1,
                        .header = VT_PROOF_OF_PLAY_HEADER,
                        .what = "proof-of-play log"};
    vt_status st = vt_ledger_open(&d, &pp->ledger, err);
    if (st == VT_OK) {
        vt_log(VT_LOG_INFO, "play", "proof-of-play log: %s", cfg->proof_of_play.log);
    }
    return st;
}

void vt_proof_of_play_scene(vt_proof_of_play *pp, const vt_show *show, const char *why) {
    if (!pp->ledger) {
        return;
    }
    const vt_scene *sc = show->scene;
    free(pp->playing);
    free(pp->heard);
    free(pp->sounds);
    free(pp->epochs);
    pp->scene = sc;
    pp->epochs = vt_xcalloc(sc->sound_count + 1, sizeof *pp->epochs);
    pp->playing = vt_xcalloc(sc->timeline_count + 1, sizeof *pp->playing);
    pp->heard = vt_xcalloc(sc->sound_count + 1, sizeof *pp->heard);
    pp->sounds = vt_xcalloc(sc->sound_count + 1, sizeof *pp->sounds);
    pp->state = UINT32_MAX; /* said at the next look */
    pp->language = UINT32_MAX;
    line(pp, "scene", vt_path_basename(sc->path), why);
}

/* A sound is heard when active and, for a sound with a file per language, in the current one. */
static bool heard(const vt_scene *sc, const vt_sound_state *s, uint32_t i, uint32_t lang) {
    return s->active && !s->paused && (!sc->sounds[i].spoken || sc->sounds[i].lang == lang);
}

void vt_proof_of_play_look(vt_proof_of_play *pp, const vt_show *show, bool closed) {
    if (!pp->ledger || pp->scene != show->scene) {
        return;
    }
    const vt_scene *sc = show->scene;
    const vt_player *pl = show->player;
    if (closed != pp->closed && closed) {
        line(pp, "state", "closed", "");
    }
    pp->closed = closed;
    if (closed) {
        pp->state = UINT32_MAX; /* the state is said again at opening */
        return;
    }
    uint32_t st = vt_player_state(pl);
    if (st != pp->state) {
        line(pp, "state", st < sc->states.count ? sc->states.names[st] : "active", "");
        pp->state = st;
    }
    uint32_t lang = vt_player_language(pl);
    if (lang != pp->language && lang < sc->language_count) {
        if (pp->language != UINT32_MAX) {
            line(pp, "language", sc->languages[lang], "");
        }
        pp->language = lang;
    }
    for (uint32_t i = 0; i < sc->timeline_count; i++) {
        bool playing = false;
        vt_ticks t = vt_player_timeline_time(pl, i, &playing);
        if (playing != pp->playing[i]) {
            line(pp, "timeline", sc->timelines[i].id,
                 playing                          ? "start"
                 : t >= sc->timelines[i].duration ? "end"
                                                  : "stop");
            pp->playing[i] = playing;
        }
    }
    vt_player_sounds(pl, pp->sounds);
    for (uint32_t i = 0; i < sc->sound_count; i++) {
        bool h = heard(sc, &pp->sounds[i], i, lang);
        if (h != pp->heard[i]) {
            line(pp, "sound", sc->sounds[i].id, h ? "start" : "stop");
            pp->heard[i] = h;
        } else if (h && pp->sounds[i].epoch != pp->epochs[i]) {
            line(pp, "sound", sc->sounds[i].id, "start"); /* started again from its start */
        }
        pp->epochs[i] = pp->sounds[i].epoch;
    }
}

void vt_proof_of_play_stop(vt_proof_of_play *pp) {
    line(pp, "show", "", "end");
    vt_ledger_close(pp->ledger);
    free(pp->playing);
    free(pp->heard);
    free(pp->sounds);
    free(pp->epochs);
    *pp = (vt_proof_of_play){0};
}
