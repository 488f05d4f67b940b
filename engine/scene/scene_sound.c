/* Sound in scene files (format vitrine/1): the `sounds` sequence, `listener` and `buses`, sound
 * targets of timeline tracks ("sea.gain") and sound ids in trigger actions. Decoding and playing
 * the files is the audio module's business; this only reads and checks what the scene says. */
#include "io/vt_io.h"
#include "scene/scene_internal.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ANY VT_VARIANT_ALL
#define EXTENSIONS ".wav, .flac, .ogg, .oga, .opus or .mp3"

static const char *show(const vt_ynode *v, char *buf, size_t cap) {
    return vt_yshow(v->text, v->len, buf, cap);
}

/* ---- positions ---- */

/* [x, y, z] in metres. */
static bool read_xyz(vt_vctx *c, const char *key, const vt_ynode *v, double out[3]) {
    if (v->kind != VT_YNODE_SEQ || v->count != 3) {
        if (v->kind != VT_YNODE_BAD) {
            vt_vctx_error(c, v,
                          "'%s' must be a sequence of 3 numbers [x, y, z] in metres, like "
                          "[-3, 0, -2]",
                          key);
        }
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < 3; i++) {
        ok = vt_read_number(c, key, v->items[i], -VT_SOUND_MAX_METRES, VT_SOUND_MAX_METRES, false,
                            &out[i]) &&
             ok;
    }
    return ok;
}

static bool field_xyz(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    double xyz[3];
    if (!read_xyz(c, f->key, v, xyz)) {
        return false;
    }
    memcpy((char *)obj + f->offset, xyz, sizeof xyz);
    return true;
}

static const vt_field listener_fields[] = {
    {"position", field_xyz, offsetof(vt_scene, listener), .allowed = ANY},
};
static const vt_table listener_table = {listener_fields, 1, NULL, "listener"};

bool vt_field_listener(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    if (vt_ynode_is_null(v)) {
        return true;
    }
    if (v->kind != VT_YNODE_MAP) {
        vt_type_error(c, f->key, v, "a mapping", "write it like {position: [0, 0, 0]}");
        return false;
    }
    snprintf(c->where, sizeof c->where, " in 'listener'");
    vt_table_apply(c, &listener_table, 1, v, obj, NULL);
    c->where[0] = '\0';
    return true;
}

/* ---- buses ---- */

static void parse_buses(vt_vctx *c) {
    const vt_ynode *v = vt_sread(c)->buses;
    vt_scene *s = vt_sread(c)->scene;
    if (!v || vt_ynode_is_null(v)) {
        return;
    }
    if (v->kind != VT_YNODE_MAP) {
        vt_type_error(c, "buses", v, "a mapping of bus names to gains",
                      "write it like {ambience: 0.7, narration: 1}");
        return;
    }
    s->buses = vt_xcalloc(v->count, sizeof *s->buses);
    for (size_t i = 0; i < v->count; i++) {
        const vt_ynode *key = v->pairs[i].key;
        vt_bus bus = {.gain = 1, .line = key->line, .col = key->col};
        if (key->len >= 2 && memcmp(key->text, "x-", 2) == 0) {
            continue;
        }
        /* A bus with a refused level is still known by name: sounds that name it are not
         * reported too (the scene is refused anyway). */
        bool named = vt_read_id(c, "buses", key, "bus name");
        vt_read_number(c, key->text, v->pairs[i].value, 0, 4, false, &bus.gain);
        if (named) {
            bus.name = vt_xstrdup(key->text);
            s->buses[s->bus_count++] = bus;
        }
    }
}

static bool ref_bus(vt_vctx *c, const vt_ynode *v, uint32_t *out) {
    const vt_scene *s = vt_sread(c)->scene;
    char shown[64], list[256];
    if (!vt_read_string(c, "bus", v)) {
        return false;
    }
    const char **names = vt_xcalloc(s->bus_count + 1, sizeof *names);
    for (size_t i = 0; i < s->bus_count; i++) {
        if (strcmp(s->buses[i].name, v->text) == 0) {
            free(names);
            *out = (uint32_t)i;
            return true;
        }
        names[i] = s->buses[i].name;
    }
    show(v, shown, sizeof shown);
    const char *near = vt_did_you_mean(v->text, names, s->bus_count);
    if (near) {
        vt_vctx_error(c, v, "unknown bus '%s'; did you mean '%s'?", shown, near);
    } else if (s->bus_count == 0) {
        vt_vctx_error(c, v,
                      "unknown bus '%s'; the scene has no buses: add them at the top level, "
                      "like 'buses: {%s: 1}'",
                      shown, shown);
    } else {
        vt_join_names(names, s->bus_count, list, sizeof list);
        vt_vctx_error(c, v, "unknown bus '%s'; buses: %s", shown, list);
    }
    free(names);
    return false;
}

/* ---- one sound ---- */

static bool has_sound_extension(const char *path) {
    static const char *const exts[] = {".wav", ".flac", ".ogg", ".oga", ".opus", ".mp3"};
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/')) {
        return false;
    }
    for (size_t i = 0; i < sizeof exts / sizeof *exts; i++) {
        if (strcasecmp(dot, exts[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* One sound file: confined to the scene's folder like an image; a missing file is an error only
 * in strict mode, because play and render go on with that sound silent. */
static bool sound_file(vt_vctx *c, const char *key, const vt_ynode *v, char **src, char **path) {
    char shown[64];
    if (!vt_read_string(c, key, v)) {
        return false;
    }
    *src = vt_xstrdup(v->text);
    show(v, shown, sizeof shown);
    if (!has_sound_extension(*src)) {
        vt_vctx_error(
            c, v, "'%s' is not a sound file name Vitrine reads; 'src' takes a " EXTENSIONS " file",
            shown);
        return false;
    }
    vt_error err = {0};
    vt_status st = vt_path_confine(c->dir, v->text, path, &err);
    if (st != VT_OK && st != VT_E_NOINPUT) {
        vt_vctx_error(c, v, "%s", err.message);
        return false;
    }
    if (st == VT_E_NOINPUT) {
        vt_diag_level level = c->flags & VT_SCENE_STRICT_ASSETS ? VT_DIAG_ERROR : VT_DIAG_WARNING;
        if (*path) {
            vt_diags_add(c->diags, level, c->path, v->line, v->col,
                         "sound file '%s' not found (looked in %s)", shown, c->dir);
        } else {
            vt_diags_add(c->diags, level, c->path, v->line, v->col, "%s", err.message);
        }
        return level != VT_DIAG_ERROR;
    }
    return true;
}

/* `src: FILE`, or one file per spoken language: `src: {fr: fr.ogg, en: en.ogg}` (the other
 * languages' files become sounds of their own once every sound is read: sounds_by_language). */
static bool field_sound_src(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    vt_sound *snd = obj;
    if (v->kind != VT_YNODE_MAP) {
        return sound_file(c, f->key, v, &snd->src, &snd->src_path);
    }
    if (v->count == 0) {
        vt_type_error(
            c, f->key, v, "a file name or a mapping of languages",
            "write one file, or one per language like {fr: voix-fr.ogg, en: voice-en.ogg}");
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < v->count; i++) {
        uint32_t lang = vt_lang_read(c, "language", v->pairs[i].key);
        if (lang == UINT32_MAX) {
            ok = false;
            continue;
        }
        vt_sread(c)->spoken =
            vt_xrealloc(vt_sread(c)->spoken, (vt_sread(c)->spoken_count + 1) * sizeof(vt_spoken));
        vt_spoken *sp = &vt_sread(c)->spoken[vt_sread(c)->spoken_count];
        *sp = (vt_spoken){.sound = (uint32_t)(snd - vt_sread(c)->scene->sounds),
                          .lang = lang,
                          .at = v->pairs[i].key,
                          .map = v};
        for (size_t j = 0; j < vt_sread(c)->spoken_count; j++) {
            const vt_spoken *o = &vt_sread(c)->spoken[j];
            if (o->sound == sp->sound && o->lang == lang) {
                char shown[64];
                vt_vctx_error(c, v->pairs[i].key,
                              "language '%s' is given twice in 'src'; keep one of them",
                              show(v->pairs[i].key, shown, sizeof shown));
                lang = UINT32_MAX;
                break;
            }
        }
        if (lang == UINT32_MAX) {
            ok = false;
            continue;
        }
        ok = sound_file(c, f->key, v->pairs[i].value, &sp->src, &sp->src_path) && ok;
        vt_sread(c)->spoken_count++;
    }
    return ok;
}

static const char *const rolloff_models[] = {"inverse", "linear", "exponential", "none", NULL};

static const vt_field rolloff_fields[] = {
    {"model", vt_field_enum, offsetof(vt_sound, rolloff), .names = rolloff_models,
     .noun = "rolloff model", .allowed = ANY},
    {"ref", vt_field_number, offsetof(vt_sound, ref_distance), 0, 1e6, .allowed = ANY},
    {"max", vt_field_number, offsetof(vt_sound, max_distance), 0, 1e6, .allowed = ANY},
    {"factor", vt_field_number, offsetof(vt_sound, rolloff_factor), 0, 100, .allowed = ANY},
};
static const vt_table rolloff_table = {rolloff_fields, 4, NULL, "rolloff"};

_Static_assert(sizeof(vt_rolloff) == sizeof(int), "enum fields are stored as int");

static bool field_rolloff(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    vt_sound *snd = obj;
    if (v->kind != VT_YNODE_MAP) {
        vt_type_error(c, f->key, v, "a mapping", "write it like {model: inverse, ref: 1, max: 20}");
        return false;
    }
    /* Messages name the sound ("in sound 'sea'"): the key names the block. */
    vt_table_apply(c, &rolloff_table, 1, v, obj, NULL);
    if (snd->max_distance < snd->ref_distance) {
        vt_vctx_error(c, v,
                      "rolloff 'max' (%g) is less than 'ref' (%g); the distance where the sound "
                      "stops fading must be at least the one where it starts",
                      snd->max_distance, snd->ref_distance);
        return false;
    }
    return true;
}

static bool field_seconds(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    return vt_read_seconds(c, f->key, v, 0, VT_SCENE_MAX_SECONDS,
                           (vt_ticks *)((char *)obj + f->offset));
}

static bool field_bus(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    (void)f;
    return ref_bus(c, v, &((vt_sound *)obj)->bus);
}

static bool field_timeline(vt_vctx *c, const vt_field *f, const vt_ynode *v, void *obj) {
    return vt_read_string(c, f->key, v) &&
           vt_ref_timeline(c, v, v->text, &((vt_sound *)obj)->timeline);
}

static const char *const switch_names[] = {"crossfade", "restart", NULL};

static const vt_field sound_fields[] = {
    {"id", vt_field_later, 0, .allowed = ANY, .required = ANY}, /* claimed in file order */
    {"src", field_sound_src, 0, .allowed = ANY, .required = ANY},
    {"gain", vt_field_number, offsetof(vt_sound, gain), 0, 4, .allowed = ANY},
    {"pitch", vt_field_number, offsetof(vt_sound, pitch), 0.25, 4, .allowed = ANY},
    {"loop", vt_field_bool, offsetof(vt_sound, loop), .allowed = ANY},
    {"autoplay", vt_field_bool, offsetof(vt_sound, autoplay), .allowed = ANY},
    {"position", field_xyz, offsetof(vt_sound, position), .allowed = ANY},
    {"rolloff", field_rolloff, 0, .allowed = ANY},
    {"fade_in", field_seconds, offsetof(vt_sound, fade_in), .allowed = ANY},
    {"fade_out", field_seconds, offsetof(vt_sound, fade_out), .allowed = ANY},
    {"bus", field_bus, 0, .allowed = ANY},
    {"timeline", field_timeline, 0, .allowed = ANY},
    {"at", vt_field_later, 0, .allowed = ANY}, /* read once the timeline is known */
    {"language_switch", vt_field_enum, offsetof(vt_sound, on_switch), .names = switch_names,
     .noun = "language switch", .allowed = ANY},
};
enum { SOUND_POSITION = 6, SOUND_ROLLOFF = 7, SOUND_AUTOPLAY = 5, SOUND_TIMELINE = 11 };
static const vt_table sound_table = {sound_fields, sizeof sound_fields / sizeof *sound_fields, NULL,
                                     "sound"};

static void sound_where(vt_vctx *c, const vt_ynode *map, size_t index) {
    const vt_ypair *id = vt_ymap_find(map, "id");
    char shown[64];
    if (id && id->value->kind == VT_YNODE_SCALAR && !vt_ynode_is_null(id->value)) {
        snprintf(c->where, sizeof c->where, " in sound '%s'", show(id->value, shown, sizeof shown));
    } else {
        snprintf(c->where, sizeof c->where, " in sound #%zu", index + 1);
    }
}

/* `at` (with a timeline, within its duration) and the keys that cannot go with a timeline. */
static void sound_timing(vt_vctx *c, const vt_ynode *map, uint64_t given, vt_sound *snd) {
    const vt_ypair *at = vt_ymap_find(map, "at");
    const vt_ypair *timeline = vt_ymap_find(map, "timeline");
    if (at && !timeline) {
        vt_vctx_error(c, at->key,
                      "'at' goes with 'timeline': it is where in the timeline the sound "
                      "starts; add 'timeline: ID' or remove 'at'");
    } else if (at && snd->timeline != UINT32_MAX) {
        vt_read_time_in(c, "at", at->value, &vt_sread(c)->scene->timelines[snd->timeline],
                        &snd->at);
    }
    if (timeline && (given >> SOUND_AUTOPLAY & 1) && snd->autoplay) {
        const vt_ypair *autoplay = vt_ymap_find(map, "autoplay");
        vt_vctx_error(c, autoplay->key,
                      "a sound with a 'timeline' starts when its timeline reaches 'at'; remove "
                      "'autoplay' (make the timeline autoplay instead)");
    }
    if ((given >> SOUND_ROLLOFF & 1) && !(given >> SOUND_POSITION & 1)) {
        vt_vctx_warning(c, vt_ymap_find(map, "rolloff")->key,
                        "'rolloff' has no effect on a sound without 'position'%s; add "
                        "'position: [x, y, z]' to place it",
                        c->where);
    }
}

static void parse_sound(vt_vctx *c, const vt_ynode *map, size_t index, vt_sound *snd) {
    sound_where(c, map, index);
    uint64_t given = vt_table_apply(c, &sound_table, 1, map, snd, NULL);
    snd->spatial = (given >> SOUND_POSITION) & 1;
    sound_timing(c, map, given, snd);
    c->where[0] = '\0';
}

static void sound_defaults(vt_sound *snd, const vt_ynode *map) {
    *snd = (vt_sound){
        .gain = 1,
        .pitch = 1,
        .rolloff = VT_ROLLOFF_INVERSE,
        .ref_distance = 1,
        .max_distance = 20,
        .rolloff_factor = 1,
        .bus = UINT32_MAX,
        .timeline = UINT32_MAX,
        .line = map->line,
        .col = map->col,
    };
}

/* ---- the `sounds` sequence ---- */

void vt_sounds_claim(vt_vctx *c, const vt_ynode *v) {
    vt_scene *s = vt_sread(c)->scene;
    if (vt_ynode_is_null(v)) {
        return; /* `sounds:` with every entry commented out */
    }
    if (v->kind != VT_YNODE_SEQ) {
        vt_type_error(c, "sounds", v, "a sequence",
                      "start each sound with '- id: NAME' on a line of its own, then its 'src'");
        return;
    }
    vt_sread(c)->sounds = v;
    s->sounds = vt_xcalloc(v->count, sizeof *s->sounds);
    s->sound_count = v->count;
    for (size_t i = 0; i < v->count; i++) {
        const vt_ynode *item = v->items[i];
        vt_sound *snd = &s->sounds[i];
        const vt_ypair *id = item->kind == VT_YNODE_MAP ? vt_ymap_find(item, "id") : NULL;
        sound_defaults(snd, item);
        if (!id) {
            continue;
        }
        sound_where(c, item, i);
        if (vt_read_id(c, "id", id->value, "id")) {
            snd->id = vt_xstrdup(id->value->text);
            vt_vctx_claim_id(c, snd->id, id->value, VT_ID_SOUND, (uint32_t)i);
        }
        c->where[0] = '\0';
    }
}

/* A sound whose position a track animates is placed in 3-D, even without its own position. */
static void spatial_by_tracks(vt_scene *s) {
    for (size_t i = 0; i < s->timeline_count; i++) {
        const vt_timeline *tl = &s->timelines[i];
        for (size_t j = 0; j < tl->track_count; j++) {
            const vt_track *tr = &tl->tracks[j];
            if (tr->sound && tr->prop == VT_PROP_POSITION3 && tr->layer < s->sound_count) {
                s->sounds[tr->layer].spatial = true;
            }
        }
    }
}

/* The file of sound `i` in language `lang`, or NULL. */
static vt_spoken *spoken_find(vt_scene_read *rd, uint32_t sound, uint32_t lang) {
    for (size_t k = 0; k < rd->spoken_count; k++) {
        if (rd->spoken[k].sound == sound && rd->spoken[k].lang == lang) {
            return &rd->spoken[k];
        }
    }
    return NULL;
}

/* Spoken languages: sound i keeps the file of the default language (else the first written)
 * and the other files become copies of it appended to the sounds, which the player voices by
 * the current language. Languages the text has and a sound lacks (or the reverse) are warned
 * about: visitors would hear another language than the one they chose. */
static void sounds_by_language(vt_vctx *c, size_t text_languages) {
    vt_scene_read *rd = vt_sread(c);
    vt_scene *s = rd->scene;
    size_t own = s->sound_count;
    for (size_t i = 0; i < own; i++) {
        vt_spoken *first = NULL, *main = spoken_find(rd, (uint32_t)i, 0);
        for (size_t k = 0; k < rd->spoken_count && !first; k++) {
            first = rd->spoken[k].sound == i ? &rd->spoken[k] : NULL;
        }
        if (!first) {
            continue;
        }
        main = main ? main : first;
        vt_sound *snd = &s->sounds[i];
        snd->spoken = true;
        snd->variant_of = (uint32_t)i;
        snd->lang = main->lang;
        snd->src = main->src;
        snd->src_path = main->src_path;
        main->src = main->src_path = NULL;
        char shown[64], list[160] = "";
        for (size_t k = 0; k < rd->spoken_count; k++) {
            vt_spoken *sp = &rd->spoken[k];
            if (sp->sound != i || sp == main) {
                continue;
            }
            s->sounds = vt_xrealloc(s->sounds, (s->sound_count + 1) * sizeof *s->sounds);
            snd = &s->sounds[i];
            vt_sound *v = &s->sounds[s->sound_count++];
            *v = *snd;
            size_t n = strlen(snd->id ? snd->id : "") + strlen(s->languages[sp->lang]) + 3;
            v->id = vt_xmalloc(n);
            snprintf(v->id, n, "%s[%s]", snd->id ? snd->id : "", s->languages[sp->lang]);
            v->src = sp->src;
            v->src_path = sp->src_path;
            v->lang = sp->lang;
            sp->src = sp->src_path = NULL;
        }
        for (size_t l = 0; l < s->language_count; l++) {
            bool has = spoken_find(rd, (uint32_t)i, (uint32_t)l) != NULL;
            if (!has && l < text_languages) {
                size_t len = strlen(list);
                snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "", s->languages[l]);
            } else if (has && l >= text_languages && text_languages > 0) {
                vt_spoken *sp = spoken_find(rd, (uint32_t)i, (uint32_t)l);
                vt_vctx_warning(c, sp->at,
                                "sound '%s' speaks '%s', which no text or captions of the scene "
                                "are in; translate them, or the language buttons will not "
                                "offer it",
                                snd->id ? snd->id : "", show(sp->at, shown, sizeof shown));
            }
        }
        if (list[0]) {
            vt_vctx_warning(c, first->map,
                            "sound '%s' has no file for %s, which the scene's text has; "
                            "visitors who choose it hear '%s'; add one like %s: FILE to 'src'",
                            snd->id ? snd->id : "", list, s->languages[snd->lang],
                            strchr(list, ',') ? "LANG" : list);
        }
    }
}

void vt_sounds_parse(vt_vctx *c) {
    size_t text_languages = vt_sread(c)->scene->language_count;
    parse_buses(c);
    const vt_ynode *v = vt_sread(c)->sounds;
    for (size_t i = 0; v && i < v->count; i++) {
        const vt_ynode *item = v->items[i];
        if (item->kind == VT_YNODE_MAP) {
            parse_sound(c, item, i, &vt_sread(c)->scene->sounds[i]);
        } else if (item->kind != VT_YNODE_BAD) {
            vt_vctx_error(c, item, "each sound must be a mapping with an id and a src, not %s",
                          vt_ynode_describe(item));
        }
    }
    spatial_by_tracks(vt_sread(c)->scene);
    sounds_by_language(c, text_languages);
}

void vt_sound_free(vt_scene *scene) {
    for (size_t i = 0; i < scene->sound_count; i++) {
        free(scene->sounds[i].id);
        free(scene->sounds[i].src);
        free(scene->sounds[i].src_path);
    }
    free(scene->sounds);
    for (size_t i = 0; i < scene->bus_count; i++) {
        free(scene->buses[i].name);
    }
    free(scene->buses);
}

/* ---- a video layer's own sound ---- */

static const vt_field film_sound_fields[] = {
    {"gain", vt_field_number, offsetof(vt_sound, gain), 0, 4, .allowed = ANY},
    {"bus", field_bus, 0, .allowed = ANY},
    {"position", field_xyz, offsetof(vt_sound, position), .allowed = ANY},
    {"rolloff", field_rolloff, 0, .allowed = ANY},
    {"fade_in", field_seconds, offsetof(vt_sound, fade_in), .allowed = ANY},
    {"fade_out", field_seconds, offsetof(vt_sound, fade_out), .allowed = ANY},
};
enum { FILM_SOUND_POSITION = 2 };
static const vt_table film_sound_table = {
    film_sound_fields, sizeof film_sound_fields / sizeof *film_sound_fields, NULL, "sound"};

/* One sound of the film's: its file and language (a film per language: spoken). */
static void film_sound_push(vt_scene *s, const vt_sound *proto, const char *src, const char *path,
                            const char *lang) {
    s->sounds = vt_xrealloc(s->sounds, (s->sound_count + 1) * sizeof *s->sounds);
    vt_sound *snd = &s->sounds[s->sound_count++];
    *snd = *proto;
    size_t n = strlen(proto->id) + (lang ? strlen(lang) + 2 : 0) + 1;
    snd->id = vt_xmalloc(n);
    snprintf(snd->id, n, lang ? "%s[%s]" : "%s", proto->id, lang);
    snd->src = vt_xstrdup(src);
    snd->src_path = vt_xstrdup(path);
}

void vt_film_sound_add(vt_vctx *c, const vt_ynode *v, uint32_t layer_index) {
    vt_scene *s = vt_sread(c)->scene;
    const vt_layer *layer = &s->layers[layer_index];
    vt_sound proto;
    sound_defaults(&proto, v);
    bool on = true;
    if (v->kind == VT_YNODE_MAP) {
        uint64_t given = vt_table_apply(c, &film_sound_table, 1, v, &proto, NULL);
        proto.spatial = (given >> FILM_SOUND_POSITION) & 1;
    } else if (v->kind == VT_YNODE_SCALAR && v->plain &&
               (vt_ynode_is(v, "true") || vt_ynode_is(v, "false"))) {
        on = vt_ynode_is(v, "true");
    } else {
        vt_type_error(c, "sound", v, "true, false or a mapping",
                      "write 'sound: true' to hear the film, or 'sound: {bus: NAME, gain: 0.9}'");
        return;
    }
    if (!on) {
        return;
    }
    char id[160];
    snprintf(id, sizeof id, "%s[film]", layer->id ? layer->id : "?");
    proto.id = id;
    proto.film = true;
    proto.layer = layer_index;
    proto.loop = layer->loop;
    proto.timeline = layer->timeline;
    proto.at = layer->at;
    proto.autoplay = layer->timeline == UINT32_MAX; /* from the scene's start, like its pictures */
    if (layer->variant_count == 0) {
        if (layer->src_path) {
            film_sound_push(s, &proto, layer->src, layer->src_path, NULL);
        }
        return;
    }
    /* A film per language: the first one leads (the one the layer shows for a language without
     * a film), the others follow it in the current language, as a spoken sound's files do. */
    uint32_t lead = (uint32_t)s->sound_count;
    for (size_t k = 0; k < layer->variant_count; k++) {
        const vt_text_variant *var = &layer->variants[k];
        if (!var->src_path) {
            continue;
        }
        proto.spoken = true;
        proto.lang = var->lang;
        proto.variant_of = lead;
        film_sound_push(s, &proto, var->src, var->src_path,
                        s->sound_count == lead ? NULL : s->languages[var->lang]);
    }
}

/* ---- sound targets of tracks ---- */

static const char *const sound_prop_names[] = {"gain", "pitch", "position", NULL};
static const vt_prop sound_props[] = {VT_PROP_GAIN, VT_PROP_PITCH, VT_PROP_POSITION3};

static bool sound_prop_parse(vt_vctx *c, const vt_ynode *v, const char *name, vt_prop *prop) {
    char shown[64], target[64], list[64];
    for (size_t i = 0; i < 3; i++) {
        if (strcmp(sound_prop_names[i], name) == 0) {
            *prop = sound_props[i];
            return true;
        }
    }
    vt_yshow(name, strlen(name), shown, sizeof shown);
    show(v, target, sizeof target);
    const char *near = vt_did_you_mean(name, sound_prop_names, 3);
    if (near) {
        vt_vctx_error(c, v, "unknown sound property '%s' in target '%s'; did you mean '%s'?", shown,
                      target, near);
    } else {
        vt_join_names(sound_prop_names, 3, list, sizeof list);
        vt_vctx_error(c, v, "unknown sound property '%s' in target '%s'; sound properties: %s",
                      shown, target, list);
    }
    return false;
}

bool vt_track_target_parse(vt_vctx *c, const vt_ynode *v, uint32_t *index, vt_prop *prop,
                           bool *sound) {
    *sound = false;
    const char *dot = v->kind == VT_YNODE_SCALAR ? memchr(v->text, '.', v->len) : NULL;
    if (dot && !memchr(v->text, '\0', v->len)) {
        char *id = vt_xstrndup(v->text, (size_t)(dot - v->text));
        const vt_id_entry *e = vt_vctx_find_id(c, id);
        free(id);
        if (e && e->kind == VT_ID_SOUND && dot[1] && !strchr(dot + 1, '.')) {
            *sound = true;
            *index = e->index;
            return sound_prop_parse(c, v, dot + 1, prop);
        }
    }
    return vt_target_parse(c, v, index, prop);
}

bool vt_sound_prop_value(vt_vctx *c, const vt_ynode *v, vt_prop prop, const char *label,
                         double out[4]) {
    memset(out, 0, 4 * sizeof *out);
    switch (prop) {
    case VT_PROP_GAIN:
        return vt_read_number(c, label, v, 0, 4, false, &out[0]);
    case VT_PROP_PITCH:
        return vt_read_number(c, label, v, 0.25, 4, false, &out[0]);
    case VT_PROP_POSITION3:
        return read_xyz(c, label, v, out);
    default:
        return false;
    }
}

/* ---- sound ids in actions ---- */

bool vt_ref_playable(vt_vctx *c, const vt_ynode *v, const char *id, uint32_t *out, bool *is_sound) {
    vt_id_kind kind;
    uint32_t index;
    *is_sound = false;
    if (!vt_ref_timeline_or_sound(c, v, id, &index, &kind)) {
        return false;
    }
    if (kind == VT_ID_TIMELINE) {
        *out = index;
        return true;
    }
    const vt_sound *snd = &vt_sread(c)->scene->sounds[index];
    if (snd->timeline != UINT32_MAX) {
        char shown[64], tl[64];
        const char *tl_id = vt_sread(c)->scene->timelines[snd->timeline].id;
        vt_yshow(tl_id, strlen(tl_id), tl, sizeof tl);
        vt_vctx_error(c, v,
                      "sound '%s' follows timeline '%s'; play, pause, seek and stop the "
                      "timeline instead, like {play: %s}",
                      vt_yshow(id, strlen(id), shown, sizeof shown), tl, tl);
        return false;
    }
    *is_sound = true;
    *out = index;
    return true;
}
