/* `vitrine play`, hot reload: the files watched, the scene loaded again when one changes (a
 * broken edit keeps the running scene and says why on screen and in the log), and the operator
 * config read again on SIGHUP or /vitrine/reload with what it changes applied at once. */
#include "app/play_loop_internal.h"
#include "io/vt_io.h"

#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

/* How many times a reload refused for an image is tried again without a new change. */
#define RELOAD_RETRIES 3

/* The files whose change reloads the scene: the scene file and every image, sound and shader
 * (with its input and IMPORTED images) it uses. */
void vt_play_watch_scene_files(play_loop *p) {
    if (!p->watch) {
        return;
    }
    /* The scene and every file it names: images, font files, captions and sounds. */
    const vt_scene *sc = p->show.scene;
    size_t cap = 2 + sc->sound_count;
    for (size_t i = 0; i < sc->layer_count; i++) {
        const vt_shader *sh = sc->layers[i].shader;
        cap += 2 + sc->layers[i].variant_count + sc->layers[i].text.lang_font_count;
        cap += sh ? 2 + sh->input_count + (sh->isf ? sh->isf->n_imported : 0) : 0;
    }
    const char **paths = vt_xcalloc(cap, sizeof *paths);
    size_t n = 0;
    paths[n++] = sc->path;
    if (strcmp(sc->path, p->opts->inputs[0]) != 0) {
        paths[n++] = p->opts->inputs[0]; /* the fallback image is shown: its scene is awaited */
    }
    for (size_t i = 0; i < sc->layer_count; i++) {
        const vt_layer *l = &sc->layers[i];
        if (l->src_path) {
            paths[n++] = l->src_path;
        }
        if (l->text.font_path) {
            paths[n++] = l->text.font_path;
        }
        for (size_t k = 0; k < l->text.lang_font_count; k++) {
            if (l->text.lang_fonts[k].font_path) {
                paths[n++] = l->text.lang_fonts[k].font_path;
            }
        }
        for (size_t v = 0; v < l->variant_count; v++) {
            if (l->variants[v].src_path) {
                paths[n++] = l->variants[v].src_path;
            }
        }
        const vt_shader *sh = l->shader;
        if (sh && sh->src_path) {
            paths[n++] = sh->src_path;
        }
        if (sh && sh->vertex_path) {
            paths[n++] = sh->vertex_path;
        }
        for (size_t k = 0; sh && k < sh->input_count; k++) {
            if (sh->inputs[k].file) {
                paths[n++] = sh->inputs[k].file;
            }
        }
        for (size_t k = 0; sh && sh->isf && sh->imported_files && k < sh->isf->n_imported; k++) {
            if (sh->imported_files[k]) {
                paths[n++] = sh->imported_files[k];
            }
        }
    }
    for (size_t i = 0; i < sc->sound_count; i++) {
        if (sc->sounds[i].src_path) {
            paths[n++] = sc->sounds[i].src_path;
        }
    }
    vt_watch_set_files(p->watch, paths, n);
    free(paths);
}

/* The file's base name: the banner has one line, read from across the room. */
/* The banner's line: the first error as "scene.yaml:12:7: what is wrong" (diags sorted), and
 * how many more there are; `fallback` when no error has a position (a failed swap). */
static void banner_message(const vt_diags *d, const char *path, const char *fallback, char *out,
                           size_t size) {
    const vt_diag *g = NULL;
    for (size_t i = 0; i < d->count && !g; i++) {
        g = d->items[i].level == VT_DIAG_ERROR ? &d->items[i] : NULL;
    }
    if (!g) {
        snprintf(out, size, "%s: %s", vt_path_basename(path), fallback);
        return;
    }
    char at[32] = ""; /* ":line:col", ":line" or nothing, as vt_diags_print writes them */
    if (g->line > 0 && g->col > 0) {
        snprintf(at, sizeof at, ":%d:%d", g->line, g->col);
    } else if (g->line > 0) {
        snprintf(at, sizeof at, ":%d", g->line);
    }
    int n = snprintf(out, size, "%s%s: %s", vt_path_basename(g->path), at, g->message);
    if (d->errors > 1 && n >= 0 && (size_t)n < size) {
        snprintf(out + n, size - (size_t)n, " (and %zu more problem%s: see the log)", d->errors - 1,
                 d->errors > 2 ? "s" : "");
    }
}

/* A red strip across the top of the window says what is wrong until a good version is saved. */
static void show_failure(play_loop *p, const vt_diags *d, const char *fallback) {
    char msg[1024];
    banner_message(d, p->opts->inputs[0], fallback, msg, sizeof msg);
    snprintf(p->last_error, sizeof p->last_error, "%s", msg);
    if (p->opts->kiosk) {
        return; /* a kiosk shows no error: the log and /vitrine/status have it */
    }
    vt_log(VT_LOG_DEBUG, "play", "the window shows: %s", msg);
    vt_renderer_set_banner(p->show.renderer, (vt_color){200, 40, 40, 255}, msg);
    p->dirty = true;
}

void vt_play_reload(play_loop *p) {
    vt_diags diags = {0};
    vt_scene *next = NULL;
    vt_status st = vt_scene_load(p->opts->inputs[0], 0, &next, &diags);
    vt_diags_sort(&diags);
    vt_diags_print(&diags, stderr);
    if (st != VT_OK) {
        vt_log(VT_LOG_WARN, "play", "%s was not reloaded: %s; %s", p->opts->inputs[0],
               st == VT_E_NOINPUT ? "it cannot be read" : "fix the errors above and save again",
               p->fallback ? "the fallback image stays on" : "the previous version keeps playing");
        show_failure(p, &diags, st == VT_E_NOINPUT ? "it cannot be read" : "see the log");
        vt_diags_free(&diags);
        return;
    }
    vt_diags_free(&diags);
    vt_error err = {0};
    if (vt_show_swap(&p->show, next, vt_play_scene_now(p), &diags, &err) != VT_OK) {
        vt_diags_print(&diags, stderr);
        /* An image caught half-written is tried again once the quiet period has passed,
         * a few times, even if no further change of the file is seen. */
        bool retry = diags.errors > 0 && p->retries < RELOAD_RETRIES;
        vt_log(VT_LOG_WARN, "play", "%s was not reloaded: %s; the previous version keeps playing%s",
               p->opts->inputs[0], err.message, retry ? " (trying again shortly)" : "");
        show_failure(p, &diags, err.message);
        vt_diags_free(&diags);
        if (retry) {
            p->retries++;
            p->retry_ns = vt_now_ns() + VT_WATCH_QUIET_NS;
        }
        return;
    }
    vt_diags_print(&diags, stderr); /* warnings about the new version's images */
    vt_diags_free(&diags);
    p->retries = 0;
    p->last_error[0] = '\0';
    p->fallback = false;
    vt_play_resolve_settings(
        p);           /* the schedule and budget may be the new scene's (and the old is gone) */
    p->reopen_ns = 0; /* new hours are looked at now, not at the old ones' next change */
    vt_renderer_set_banner(p->show.renderer, (vt_color){0, 0, 0, 0}, NULL);
    /* The new version's energy block takes effect too (the governor learns again). */
    vt_energy_desc ed;
    vt_settings_energy_room room;
    vt_settings_energy_desc(&p->settings, &p->config, p->show.scene, &ed, &room);
    if (vt_energy_session_reload(&p->energy, &ed, &err) != VT_OK) {
        vt_log(VT_LOG_WARN, "energy", "%s; keeping the previous energy settings", err.message);
    }
    p->reloads++;
    p->dirty = true;
#ifdef __GLIBC__
    malloc_trim(0); /* hand the old scene's memory back: a show reloads for months */
#endif
    vt_play_watch_scene_files(p);
    vt_proof_of_play_scene(&p->record, &p->show, "reload");
    vt_log(VT_LOG_INFO, "play", "reloaded %s", p->opts->inputs[0]);
}

/* SIGHUP and /vitrine/reload: the operator config read again (a broken one keeps the running
 * config, with every problem printed), then the scene. The OSC listener keeps its address and
 * port until a restart. Runs in the loop: WatchdogSec must exceed the longest reload. */
/* After a reload of the config: another proof_of_play.log (or bound) is written from now on,
 * the old file ended as at a stop; one that cannot be opened is a warning and the old file
 * goes on (the show never stops for its log at a reload). */
static void reload_proof_of_play(play_loop *p, const vt_config *old) {
    const char *was = old->proof_of_play.log, *now = p->config.proof_of_play.log;
    if (strcmp(was ? was : "", now ? now : "") == 0 &&
        old->proof_of_play.log_max_mb == p->config.proof_of_play.log_max_mb) {
        return;
    }
    vt_proof_of_play fresh = {0};
    vt_error err = {0};
    if (vt_proof_of_play_start(&fresh, &p->config, &err) != VT_OK) {
        vt_log(VT_LOG_WARN, "play", "%s; the proof-of-play log goes on where it was", err.message);
        return;
    }
    vt_proof_of_play_stop(&p->record);
    p->record = fresh; /* its first line comes with the scene's reload */
}

void vt_play_reload_all(play_loop *p, const char *why) {
    vt_log(VT_LOG_INFO, "play", "%s: reloading the operator config and the scene", why);
    vt_notify_reloading(&p->notify, false);
    if (p->opts->config) {
        vt_config old = p->config;
        if (vt_play_load_config(p) == VT_OK) {
            vt_play_reload_projectors(p, &old);
            reload_proof_of_play(p, &old);
            vt_video_set_hwaccel(!p->config.video.hwaccel_off); /* films opened from now on */
            vt_config_free(&old);
        } else {
            p->config = old;
            vt_log(VT_LOG_WARN, "play",
                   "%s was not reloaded: fix the errors above; the previous "
                   "config stays in force",
                   p->opts->config);
        }
        vt_play_resolve_settings(p);
        p->reopen_ns = 0;
    }
    p->retries = 0;
    p->retry_ns = INT64_MAX;
    vt_play_reload(p);
    if (p->record.ledger && !p->record.scene) {
        /* a new proof-of-play log and a scene that did not reload: the running one is said */
        vt_proof_of_play_scene(&p->record, &p->show, "reload");
    }
    vt_notify_reloading(&p->notify, true);
}

void vt_play_start_watching(play_loop *p) {
    vt_error err = {0};
    if (vt_watch_create(&p->watch, &err) != VT_OK) {
        vt_log(VT_LOG_WARN, "play", "hot reload is off: %s", err.message);
        p->watch = NULL;
        return;
    }
    vt_play_watch_scene_files(p);
}

vt_status vt_play_load_config(play_loop *p) {
    if (!p->opts->config) {
        return VT_OK;
    }
    vt_diags diags = {0};
    vt_status st = vt_config_load(p->opts->config, &p->config, &diags);
    vt_diags_sort(&diags);
    vt_diags_print(&diags, stderr);
    if (st == VT_E_NOINPUT && diags.errors == 0) {
        fprintf(stderr, "vitrine: cannot read '%s'\n", p->opts->config);
    }
    vt_diags_free(&diags);
    return st;
}
