/* `vitrine play`, remote control: the OSC messages of the room's show controller (what changes
 * the show is ordered by the sync leader when in step), the /vitrine/status reply, and the PJLink
 * projectors started with the show. */
#include "app/play_loop_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* energy_wh_today: the energy since this day began in the schedule's time zone (else UTC),
 * counted from when play saw it begin (or started). */
static double energy_today(play_loop *p) {
    int64_t day = vt_schedule_local_day(vt_play_schedule(p), time(NULL));
    if (day != p->day) {
        p->day = day;
        p->day_joules0 = p->energy.joules;
    }
    return (p->energy.joules - p->day_joules0) / 3600.0;
}

vt_remote_status vt_play_status_now(play_loop *p, int64_t now_ns, bool *has_power) {
    double fps = p->fps;
    if (now_ns - p->fps_t0_ns >= 2000000000) { /* still: no frame has updated the figure */
        fps = (double)(p->frames_drawn - p->fps_frames0) * 1e9 / (double)(now_ns - p->fps_t0_ns);
    }
    vt_governor_status gs = {0};
    if (p->energy.governor) {
        vt_governor_status_get(p->energy.governor, &gs);
    }
    vt_remote_status st = {
        .scene = p->opts->inputs[0],
        .state = vt_play_state_name(p),
        .target_fps = p->energy.setting.fps > 0 ? p->energy.setting.fps : p->show.scene->fps,
        .fps = fps,
        .scale = p->energy.setting.scale > 0 ? p->energy.setting.scale : 1.0,
        .power_w = gs.last_watts,
        .energy_j = p->energy.joules,
        .energy_wh_today = energy_today(p),
        .uptime_s = (double)(now_ns - p->start_ns) / 1e9,
        .last_error = p->last_error[0] ? p->last_error : NULL,
        .osc = vt_osc_get_stats(p->osc),
    };
    *has_power = gs.observations > 0;
    return st;
}

size_t vt_play_status_outputs(const play_loop *p, vt_remote_output *out) {
    const vt_play_outputs *po = &p->outputs;
    size_t n = 0;
    for (size_t i = 0; po->list && i < po->list->count && i < VT_OUTPUT_MAX; i++, n++) {
        const vt_output *o = &po->list->items[i];
        vt_remote_output *ro = &out[n];
        *ro = (vt_remote_output){
            .id = o->id, .display_name = o->display_name, .open = vt_play_outputs_is_open(po, i)};
        ro->present = vt_play_outputs_display(po, i, &ro->display);
        if (ro->open) {
            vt_window_drawable_size(po->wins[i], &ro->width, &ro->height);
        } else {
            vt_output_size(o, &ro->width, &ro->height);
        }
    }
    return n;
}

static void reply_status(play_loop *p, const vt_osc_peer *to) {
    bool has_power;
    vt_remote_status st = vt_play_status_now(p, vt_now_ns(), &has_power);
    vt_pjlink_status projectors[VT_PJLINK_MAX];
    while (vt_projectors_status(p->display_power.projectors, st.projector_count,
                                &projectors[st.projector_count])) {
        st.projector_count++;
    }
    st.projectors = projectors;
    vt_remote_output outputs[VT_OUTPUT_MAX];
    st.output_count = vt_play_status_outputs(p, outputs);
    st.outputs = outputs;
    char *json = vt_remote_status_json(&st);
    uint8_t msg[VT_OSC_MAX_PACKET];
    size_t n = json ? vt_remote_status_reply(json, msg, sizeof msg) : 0;
    if (n == 0 || !vt_osc_send(p->osc, to, msg, n)) {
        char who[96];
        vt_osc_peer_text(to, who, sizeof who);
        vt_log(VT_LOG_WARN, "osc", "could not send the status to %s", who);
    }
    free(json);
}

/* The budget asked over OSC (0: back to the flag's, the config's or the scene's). */
static void remote_budget(play_loop *p, double watts) {
    p->remote_budget = watts;
    vt_play_resolve_settings(p);
    vt_energy_desc ed;
    vt_settings_energy_room room;
    vt_settings_energy_desc(&p->settings, &p->config, p->show.scene, &ed, &room);
    vt_error err = {0};
    if (vt_energy_session_reload(&p->energy, &ed, &err) != VT_OK) {
        vt_log(VT_LOG_WARN, "energy", "%s; keeping the previous energy settings", err.message);
    }
    vt_log(VT_LOG_INFO, "osc", "power budget %s", watts > 0 ? "set remotely" : "as configured");
}

/* One message: a command for the show, or a refusal logged (and kept for status). */
static void remote_message(play_loop *p, const vt_osc_msg *m, const vt_osc_peer *from) {
    vt_remote_cmd cmd;
    vt_remote_kind kind = vt_remote_decode(p->show.scene, m, &cmd);
    if (kind != VT_REMOTE_REFUSED && vt_log_get_level() <= VT_LOG_DEBUG) {
        char who[96];
        vt_osc_peer_text(from, who, sizeof who);
        vt_log(VT_LOG_DEBUG, "osc", "%s from %s", m->address, who);
    }
    if (p->sync &&
        (kind == VT_REMOTE_ACTION || kind == VT_REMOTE_INPUT || kind == VT_REMOTE_FOREIGN)) {
        /* what changes the show is ordered by the leader and applied everywhere at once */
        uint8_t msg[VT_SYNC_MSG_MAX];
        size_t n = vt_osc_encode(msg, sizeof msg, m->address, m->args, m->argc);
        if (n == 0) {
            vt_log(VT_LOG_WARN, "sync", "%s is longer than %d bytes: not forwarded", m->address,
                   VT_SYNC_MSG_MAX);
        }
        vt_play_sync_submit(p->sync, msg, n);
        return;
    }
    switch (kind) {
    case VT_REMOTE_ACTION: {
        uint32_t before = vt_player_state(p->show.player);
        vt_player_action(p->show.player, &cmd.action, vt_play_scene_now(p));
        uint32_t after = vt_player_state(p->show.player);
        if (cmd.action.kind == VT_DO_STATE && after != before) {
            p->remote_state = after; /* not a visitor: marked in the ledger */
        }
        p->next_frame_ns = vt_now_ns(); /* the show looks at the change at once */
        break;
    }
    case VT_REMOTE_BUDGET:
        remote_budget(p, cmd.watts);
        break;
    case VT_REMOTE_RELOAD:
        vt_play_reload_all(p, "/vitrine/reload");
        break;
    case VT_REMOTE_INPUT:
        p->input = true;
        vt_play_wake_for_visitor(p);
        vt_player_visitor(p->show.player, vt_play_scene_now(p));
        p->next_frame_ns = vt_now_ns();
        break;
    case VT_REMOTE_STATUS:
        reply_status(p, from);
        break;
    case VT_REMOTE_FOREIGN:
        vt_player_osc(p->show.player, m->address,
                      vt_play_scene_now(p)); /* the scene's osc triggers */
        p->next_frame_ns = vt_now_ns();
        break;
    case VT_REMOTE_REFUSED: {
        char who[96];
        vt_osc_peer_text(from, who, sizeof who);
        vt_log(VT_LOG_WARN, "osc", "from %s: %s", who, cmd.error);
        snprintf(p->last_error, sizeof p->last_error, "%s", cmd.error);
        break;
    }
    }
}

/* The messages due now, a bounded number per wake-up: a flood cannot starve the frames. */
#define REMOTE_PER_WAKE 64

void vt_play_remote_poll(play_loop *p) {
    vt_osc_msg m;
    vt_osc_peer from;
    for (int i = 0; p->osc && i < REMOTE_PER_WAKE && vt_osc_poll(p->osc, vt_now_ns(), &m, &from);
         i++) {
        remote_message(p, &m, &from);
    }
}

/* Remote control on the settings' port and address, from the config's allow list; not being
 * able to listen is a warning: the show goes on without it. */
/* The config's PJLink projectors, on their own thread; one that cannot be started is a warning
 * (the show goes on without them). */
void vt_play_start_projectors(play_loop *p) {
    const vt_config *c = &p->config;
    if (c->projector_count == 0) {
        return;
    }
    vt_pjlink_desc d[VT_PJLINK_MAX];
    size_t n = c->projector_count < VT_PJLINK_MAX ? c->projector_count : VT_PJLINK_MAX;
    for (size_t i = 0; i < n; i++) {
        d[i] = (vt_pjlink_desc){.address = c->projectors[i].address,
                                .port = c->projectors[i].port,
                                .password = c->projectors[i].password};
    }
    vt_projectors_desc pd = {.projectors = d, .count = n};
    const char *t = getenv("VITRINE_TEST_PJLINK_S"); /* tests: "timeout poll retry" seconds */
    double to = 0, po = 0, re = 0;
    if (t && sscanf(t, "%lf %lf %lf", &to, &po, &re) == 3) {
        pd.timeout_ns = (int64_t)(to * 1e9);
        pd.poll_ns = (int64_t)(po * 1e9);
        pd.retry_ns = (int64_t)(re * 1e9);
    }
    vt_error err = {0};
    if (vt_projectors_start(&pd, &p->display_power.projectors, &err) != VT_OK) {
        vt_log(VT_LOG_WARN, "pjlink", "%s; the projectors are not controlled", err.message);
        return;
    }
    vt_log(VT_LOG_INFO, "pjlink", "%zu projector%s powered over PJLink", n, n > 1 ? "s" : "");
}

void vt_play_start_remote(play_loop *p) {
    if (p->settings.osc_port <= 0) {
        return;
    }
    vt_osc_desc d = {.port = (int)p->settings.osc_port,
                     .bind = p->settings.osc_bind,
                     .allow = p->config.osc.allow,
                     .allow_count = p->config.osc.allow_count,
                     .rate = p->settings.osc_rate};
    vt_error err = {0};
    if (vt_osc_open(&d, &p->osc, &err) != VT_OK) {
        vt_log(VT_LOG_WARN, "osc", "%s; remote control is off", err.message);
        snprintf(p->last_error, sizeof p->last_error, "%s", err.message);
        return;
    }
    vt_log(VT_LOG_INFO, "osc", "listening for OSC on %s port %d", d.bind ? d.bind : "127.0.0.1",
           vt_osc_port(p->osc));
}

static bool same_projectors(const vt_config *a, const vt_config *b) {
    if (a->projector_count != b->projector_count) {
        return false;
    }
    for (size_t i = 0; i < a->projector_count; i++) {
        const vt_config_projector *x = &a->projectors[i], *y = &b->projectors[i];
        if (strcmp(x->address, y->address) != 0 || x->port != y->port ||
            !x->password != !y->password || (x->password && strcmp(x->password, y->password))) {
            return false;
        }
    }
    return true;
}

void vt_play_reload_projectors(play_loop *p, const vt_config *old) {
    if (same_projectors(old, &p->config)) {
        return;
    }
    vt_log(VT_LOG_INFO, "pjlink", "the projectors changed in the config: talking to the new list");
    vt_projectors_stop(p->display_power.projectors);
    p->display_power.projectors = NULL;
    vt_play_start_projectors(p);
    /* as at a start: on during opening hours (asking first), off when closed with display-off */
    if (!p->closed) {
        vt_projectors_power(p->display_power.projectors, true, true);
    } else if (p->display_power.off) {
        vt_projectors_power(p->display_power.projectors, false, false);
    }
}
