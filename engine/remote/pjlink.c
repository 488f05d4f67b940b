/* The projectors' thread: one short PJLink exchange at a time per projector (connect, the
 * greeting, a few commands, close), all of them driven by one poll(2) loop over non-blocking
 * sockets, so that the frame loop only sets what it wants and reads the latest status under a
 * mutex. An exchange is:
 *
 *   [POWR 0|1]  when a power change is asked without query_first
 *   POWR ?      then POWR 0|1 when query_first and the projector is not there yet
 *   ERST ?      errors: fan, lamp, temperature, cover, filter, other
 *   LAMP ?      lamp hours
 *
 * Anything unexpected (no answer in the exchange's time, a refused connection, a reply that is
 * not PJLink or too long, a wrong password) ends the exchange as a failure: said once in the log,
 * kept in the status, and tried again after 5 s, 10 s, 20 s... up to 5 minutes. */
#include "remote/vt_pjlink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define NS INT64_C(1000000000)
#define BACKOFF_MAX_NS (300 * NS)
#define MAX_COMMANDS 6

typedef enum phase { IDLE, CONNECTING, GREETING, WAITING } phase;

typedef struct projector {
    /* set at the start */
    char *address, *password;
    int port;
    /* shared: under the mutex */
    vt_pjlink_status st;
    int want;         /* -1 none, 0 off, 1 on */
    bool query_first; /* with want */
    bool asked;       /* a new want: start an exchange now */
    /* the thread's own */
    int fd;
    phase phase;
    int64_t deadline_ns; /* the exchange's end */
    int64_t next_ns;     /* the next exchange */
    char in[2 * VT_PJLINK_LINE_MAX];
    size_t in_len;
    char auth[33]; /* "" without authentication */
    char commands[MAX_COMMANDS][16];
    int command_count, command_at;
    int session_want; /* the want this exchange serves (-1 none) */
    bool session_query;
    bool set_sent;
    bool warned; /* the current run of failures has been said */
} projector;

struct vt_projectors {
    pthread_t thread;
    pthread_mutex_t mu;
    int wake[2];
    bool quit; /* under mu */
    int64_t timeout_ns, poll_ns, retry_ns;
    size_t count;
    projector pj[VT_PJLINK_MAX];
};

static void set_problem(vt_projectors *ps, projector *pj, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void close_exchange(projector *pj) {
    if (pj->fd >= 0) {
        close(pj->fd);
    }
    pj->fd = -1;
    pj->phase = IDLE;
    pj->in_len = 0;
}

/* The exchange failed: the status says why; tried again with backoff. */
static void set_problem(vt_projectors *ps, projector *pj, const char *fmt, ...) {
    char why[sizeof pj->st.problem];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    close_exchange(pj);
    pthread_mutex_lock(&ps->mu);
    snprintf(pj->st.problem, sizeof pj->st.problem, "%s", why);
    pj->st.answered = false;
    unsigned f = ++pj->st.failures;
    pthread_mutex_unlock(&ps->mu);
    int64_t wait = ps->retry_ns;
    for (unsigned i = 1; i < f && wait < BACKOFF_MAX_NS; i++) {
        wait *= 2;
    }
    wait = wait > BACKOFF_MAX_NS ? BACKOFF_MAX_NS : wait;
    pj->next_ns = vt_now_ns() + wait;
    if (!pj->warned) {
        vt_log(VT_LOG_WARN, "pjlink", "projector %s port %d: %s; trying again in %.0f s",
               pj->address, pj->port, why, (double)wait / 1e9);
        pj->warned = true;
    }
}

static void succeed(vt_projectors *ps, projector *pj) {
    close_exchange(pj);
    pthread_mutex_lock(&ps->mu);
    pj->st.answered = true;
    pj->st.problem[0] = '\0';
    pj->st.failures = 0;
    pj->st.exchanges++;
    bool pending = pj->want >= 0;
    pthread_mutex_unlock(&ps->mu);
    if (pj->warned) {
        vt_log(VT_LOG_INFO, "pjlink", "projector %s port %d answers again", pj->address, pj->port);
        pj->warned = false;
    }
    pj->next_ns = vt_now_ns() + (pending ? ps->retry_ns : ps->poll_ns);
}

static void start_exchange(vt_projectors *ps, projector *pj, int64_t now) {
    pthread_mutex_lock(&ps->mu);
    pj->session_want = pj->want;
    pj->session_query = pj->query_first;
    pj->asked = false;
    pthread_mutex_unlock(&ps->mu);
    pj->command_count = pj->command_at = 0;
    pj->set_sent = false;
    if (pj->session_want >= 0 && !pj->session_query) {
        snprintf(pj->commands[pj->command_count++], 16, "POWR %d", pj->session_want);
        pj->set_sent = true;
    }
    snprintf(pj->commands[pj->command_count++], 16, "POWR ?");
    snprintf(pj->commands[pj->command_count++], 16, "ERST ?");
    snprintf(pj->commands[pj->command_count++], 16, "LAMP ?");
    pj->auth[0] = '\0';
    pj->deadline_ns = now + ps->timeout_ns;
    pj->in_len = 0;

    struct sockaddr_storage sa = {0};
    socklen_t sl = 0;
    struct sockaddr_in *v4 = (struct sockaddr_in *)&sa;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&sa;
    if (inet_pton(AF_INET, pj->address, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)pj->port);
        sl = sizeof *v4;
    } else if (inet_pton(AF_INET6, pj->address, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)pj->port);
        sl = sizeof *v6;
    } else {
        set_problem(ps, pj, "'%s' is not a numeric address", pj->address);
        return;
    }
    pj->fd = socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (pj->fd < 0) {
        set_problem(ps, pj, "cannot make a socket: %s", strerror(errno));
        return;
    }
    if (connect(pj->fd, (struct sockaddr *)&sa, sl) == 0) {
        pj->phase = GREETING;
    } else if (errno == EINPROGRESS) {
        pj->phase = CONNECTING;
    } else {
        set_problem(ps, pj, "cannot connect: %s", strerror(errno));
    }
}

static void send_command(vt_projectors *ps, projector *pj) {
    char line[64];
    int n = snprintf(line, sizeof line, "%s%%1%s\r", pj->auth, pj->commands[pj->command_at]);
    pj->auth[0] = '\0'; /* the digest goes with the first command only */
    ssize_t w = send(pj->fd, line, (size_t)n, MSG_NOSIGNAL);
    if (w != n) {
        set_problem(ps, pj, "cannot send: %s", w < 0 ? strerror(errno) : "short write");
        return;
    }
    pj->phase = WAITING;
}

static const char *error_text(int e) {
    static const char *const texts[] = {"",
                                        "undefined command",
                                        "out of parameter",
                                        "unavailable time (warming up or cooling down?)",
                                        "projector failure",
                                        "wrong password"};
    return e >= 0 && e <= 5 ? texts[e] : "error";
}

/* A reply to the command sent: the status, and what comes next. */
static void on_reply(vt_projectors *ps, projector *pj, const vt_pjlink_line *l) {
    const char *cmd = pj->commands[pj->command_at];
    if (strncmp(cmd, l->command, 4) != 0) {
        set_problem(ps, pj, "answered %s to %s", l->command, cmd);
        return;
    }
    bool query = cmd[5] == '?';
    if (l->error && (!query || l->error == 5 || strcmp(l->command, "POWR") == 0)) {
        set_problem(ps, pj, "%s: %s", cmd, error_text(l->error));
        return;
    }
    pthread_mutex_lock(&ps->mu);
    vt_pjlink_status *st = &pj->st;
    if (!query) { /* POWR 0|1 accepted */
        if (strcmp(l->value, "OK") == 0 && pj->want == pj->session_want) {
            pj->want = -1;
            st->want = -1;
        }
    } else if (strcmp(l->command, "POWR") == 0) {
        int v = l->value[0] >= '0' && l->value[0] <= '3' && !l->value[1] ? l->value[0] - '0' : -1;
        st->power = v;
        int w = pj->session_want;
        bool there = w >= 0 && (v == w || (w == 1 && v == VT_PJLINK_POWER_WARMING) ||
                                (w == 0 && v == VT_PJLINK_POWER_COOLING));
        if (there && pj->want == w) {
            pj->want = -1;
            st->want = -1;
        } else if (w >= 0 && !pj->set_sent && v >= 0 && pj->command_count < MAX_COMMANDS) {
            /* query_first: not there yet; the command goes next */
            for (int i = pj->command_count; i > pj->command_at + 1; i--) {
                memcpy(pj->commands[i], pj->commands[i - 1], sizeof pj->commands[i]);
            }
            snprintf(pj->commands[pj->command_at + 1], 16, "POWR %d", w);
            pj->command_count++;
            pj->set_sent = true;
        }
    } else if (l->error) {
        /* a query this projector does not answer (a laser has no lamp): unknown, go on */
    } else if (strcmp(l->command, "ERST") == 0) {
        bool ok = strlen(l->value) == 6 && strspn(l->value, "012") == 6;
        memcpy(st->errors, ok ? l->value : "", ok ? 7 : 1);
    } else if (strcmp(l->command, "LAMP") == 0) {
        if (!vt_pjlink_parse_lamps(l->value, st->lamp_hours, st->lamp_on, &st->lamp_count)) {
            st->lamp_count = 0;
        }
    }
    pthread_mutex_unlock(&ps->mu);
    if (++pj->command_at == pj->command_count) {
        succeed(ps, pj);
    } else {
        send_command(ps, pj);
    }
}

static void on_line(vt_projectors *ps, projector *pj, const char *s, size_t len) {
    vt_pjlink_line l;
    if (!vt_pjlink_parse_line(s, len, &l)) {
        set_problem(ps, pj, "an answer that is not PJLink (%zu bytes)", len);
        return;
    }
    if (l.kind == VT_PJLINK_AUTH_ERROR) {
        set_problem(ps, pj, "the password is refused: check 'password' in the config");
        return;
    }
    if (pj->phase == GREETING) {
        if (l.kind == VT_PJLINK_GREET_AUTH) {
            if (!pj->password) {
                set_problem(ps, pj, "the projector asks for a password: give 'password'");
                return;
            }
            vt_pjlink_auth_digest(l.random, pj->password, pj->auth);
        } else if (l.kind != VT_PJLINK_GREET_OPEN) {
            set_problem(ps, pj, "no PJLink greeting");
            return;
        }
        send_command(ps, pj);
    } else if (pj->phase == WAITING && l.kind == VT_PJLINK_REPLY) {
        on_reply(ps, pj, &l);
    } else {
        set_problem(ps, pj, "an answer out of turn");
    }
}

/* Reads what came, line by line (CR ends a line; LF is accepted too). */
static void on_readable(vt_projectors *ps, projector *pj) {
    ssize_t n = recv(pj->fd, pj->in + pj->in_len, sizeof pj->in - pj->in_len, 0);
    if (n == 0) {
        set_problem(ps, pj, "the projector closed the connection");
        return;
    }
    if (n < 0) {
        if (errno != EAGAIN && errno != EINTR) {
            set_problem(ps, pj, "%s", strerror(errno));
        }
        return;
    }
    pj->in_len += (size_t)n;
    for (;;) {
        size_t i = 0;
        while (i < pj->in_len && pj->in[i] != '\r' && pj->in[i] != '\n') {
            i++;
        }
        if (i == pj->in_len) {
            if (pj->in_len >= VT_PJLINK_LINE_MAX) {
                set_problem(ps, pj, "an answer longer than PJLink allows");
            }
            return;
        }
        char line[VT_PJLINK_LINE_MAX];
        size_t len = i < sizeof line ? i : sizeof line - 1;
        memcpy(line, pj->in, len);
        memmove(pj->in, pj->in + i + 1, pj->in_len - i - 1);
        pj->in_len -= i + 1;
        if (i == 0) {
            continue; /* the LF of a CR LF */
        }
        if (i >= VT_PJLINK_LINE_MAX) {
            set_problem(ps, pj, "an answer longer than PJLink allows");
            return;
        }
        phase before = pj->phase;
        on_line(ps, pj, line, len);
        if (pj->phase == IDLE || before == IDLE) {
            return; /* ended (what is left is dropped) */
        }
    }
}

static void on_connected(vt_projectors *ps, projector *pj) {
    int e = 0;
    socklen_t el = sizeof e;
    if (getsockopt(pj->fd, SOL_SOCKET, SO_ERROR, &e, &el) != 0 || e != 0) {
        set_problem(ps, pj, "cannot connect: %s", strerror(e ? e : errno));
        return;
    }
    pj->phase = GREETING;
}

static void *run(void *arg) {
    vt_projectors *ps = arg;
    struct pollfd fds[VT_PJLINK_MAX + 1];
    size_t which[VT_PJLINK_MAX + 1];
    for (;;) {
        int64_t now = vt_now_ns(), next = now + ps->poll_ns;
        pthread_mutex_lock(&ps->mu);
        bool quit = ps->quit;
        for (size_t i = 0; i < ps->count; i++) {
            if (ps->pj[i].asked && ps->pj[i].fd < 0) {
                ps->pj[i].next_ns = now;
            }
        }
        pthread_mutex_unlock(&ps->mu);
        if (quit) {
            break;
        }
        size_t n = 0;
        fds[n++] = (struct pollfd){.fd = ps->wake[0], .events = POLLIN};
        for (size_t i = 0; i < ps->count; i++) {
            projector *pj = &ps->pj[i];
            if (pj->fd < 0 && now >= pj->next_ns) {
                start_exchange(ps, pj, now);
            }
            if (pj->fd >= 0 && now >= pj->deadline_ns) {
                set_problem(ps, pj, "no answer in %.0f s", (double)ps->timeout_ns / 1e9);
            }
            if (pj->fd >= 0) {
                which[n] = i;
                fds[n++] = (struct pollfd){.fd = pj->fd,
                                           .events = pj->phase == CONNECTING ? POLLOUT : POLLIN};
                next = pj->deadline_ns < next ? pj->deadline_ns : next;
            } else {
                next = pj->next_ns < next ? pj->next_ns : next;
            }
        }
        int64_t wait = next - vt_now_ns();
        int ms = wait <= 0 ? 0 : wait / 1000000 + 1;
        if (poll(fds, n, ms) <= 0) {
            continue;
        }
        if (fds[0].revents) {
            char drain[64];
            while (read(ps->wake[0], drain, sizeof drain) > 0) {
            }
        }
        for (size_t k = 1; k < n; k++) {
            projector *pj = &ps->pj[which[k]];
            if (!fds[k].revents || pj->fd != fds[k].fd) {
                continue;
            }
            if (pj->phase == CONNECTING) {
                on_connected(ps, pj);
            } else {
                on_readable(ps, pj);
            }
        }
    }
    for (size_t i = 0; i < ps->count; i++) {
        close_exchange(&ps->pj[i]);
    }
    return NULL;
}

static void poke(vt_projectors *ps) {
    if (write(ps->wake[1], "", 1) < 0) {
        /* full: a wake-up is pending already */
    }
}

vt_status vt_projectors_start(const vt_projectors_desc *desc, vt_projectors **out, vt_error *err) {
    *out = NULL;
    if (!desc || desc->count == 0 || desc->count > VT_PJLINK_MAX) {
        return VT_FAIL(err, VT_E_USAGE, "PJLink: from 1 to %d projectors", VT_PJLINK_MAX);
    }
    vt_projectors *ps = vt_xcalloc(1, sizeof *ps);
    ps->timeout_ns = desc->timeout_ns > 0 ? desc->timeout_ns : 10 * NS;
    ps->poll_ns = desc->poll_ns > 0 ? desc->poll_ns : 60 * NS;
    ps->retry_ns = desc->retry_ns > 0 ? desc->retry_ns : 5 * NS;
    ps->count = desc->count;
    int64_t now = vt_now_ns();
    for (size_t i = 0; i < ps->count; i++) {
        const vt_pjlink_desc *d = &desc->projectors[i];
        projector *pj = &ps->pj[i];
        pj->address = vt_xstrdup(d->address);
        pj->password = d->password ? vt_xstrdup(d->password) : NULL;
        pj->port = d->port > 0 ? d->port : VT_PJLINK_PORT;
        pj->fd = -1;
        pj->want = -1;
        pj->next_ns = now + ps->poll_ns; /* the first exchange: a power asked, or the status */
        pj->st = (vt_pjlink_status){.port = pj->port, .power = VT_PJLINK_POWER_UNKNOWN, .want = -1};
        snprintf(pj->st.address, sizeof pj->st.address, "%s", d->address);
    }
    pthread_mutex_init(&ps->mu, NULL);
    bool ok = pipe(ps->wake) == 0;
    for (int i = 0; ok && i < 2; i++) {
        fcntl(ps->wake[i], F_SETFL, O_NONBLOCK);
        fcntl(ps->wake[i], F_SETFD, FD_CLOEXEC);
    }
    if (!ok || pthread_create(&ps->thread, NULL, run, ps) != 0) {
        if (ok) {
            close(ps->wake[0]);
            close(ps->wake[1]);
        }
        ps->wake[0] = ps->wake[1] = -1;
        ps->count = 0;
        for (size_t i = 0; i < desc->count; i++) {
            free(ps->pj[i].address);
            free(ps->pj[i].password);
        }
        pthread_mutex_destroy(&ps->mu);
        free(ps);
        return VT_FAIL(err, VT_E_SOFTWARE, "PJLink: cannot start its thread");
    }
    *out = ps;
    return VT_OK;
}

void vt_projectors_power(vt_projectors *ps, bool on, bool query_first) {
    if (!ps) {
        return;
    }
    pthread_mutex_lock(&ps->mu);
    for (size_t i = 0; i < ps->count; i++) {
        projector *pj = &ps->pj[i];
        pj->want = on ? 1 : 0;
        pj->query_first = query_first;
        pj->asked = true;
        pj->st.want = pj->want;
        pj->st.failures = 0; /* a new request: the backoff starts over */
    }
    pthread_mutex_unlock(&ps->mu);
    poke(ps);
}

bool vt_projectors_status(vt_projectors *ps, size_t i, vt_pjlink_status *out) {
    if (!ps || i >= ps->count) {
        return false;
    }
    pthread_mutex_lock(&ps->mu);
    *out = ps->pj[i].st;
    pthread_mutex_unlock(&ps->mu);
    return true;
}

size_t vt_projectors_count(const vt_projectors *ps) {
    return ps ? ps->count : 0;
}

void vt_projectors_stop(vt_projectors *ps) {
    if (!ps) {
        return;
    }
    pthread_mutex_lock(&ps->mu);
    ps->quit = true;
    pthread_mutex_unlock(&ps->mu);
    poke(ps);
    pthread_join(ps->thread, NULL);
    close(ps->wake[0]);
    close(ps->wake[1]);
    for (size_t i = 0; i < ps->count; i++) {
        free(ps->pj[i].address);
        free(ps->pj[i].password);
    }
    pthread_mutex_destroy(&ps->mu);
    free(ps);
}
