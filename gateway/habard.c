/*
 * habard.c - the gateway daemon: options, signals and the main loop.
 *
 * One loop with explicit timers: poll the modem, commit what arrived to
 * the inbox (durably) before deleting it from the phone, answer every
 * inbox row in one transaction each, send what the outbox holds, and
 * truncate the WAL whenever the queues drain so no number outlives its
 * reply; poll again at once while the phone holds more than one poll
 * takes.  Signal handlers only set flags.  SIGHUP reloads the content:
 * a new set is swapped in only when it loads without errors.
 */
#ifdef __linux__
#define _GNU_SOURCE		/* setresuid(), setresgid() */
#include <sys/inotify.h>
#endif

#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <malloc.h>
#include <poll.h>
#include <pwd.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "answer.h"
#include "conf.h"
#include "content.h"
#include "health.h"
#include "log.h"
#include "http.h"
#include "lists.h"
#include "modem.h"
#include "phone.h"
#include "pseudo.h"
#include "route.h"
#include "serve.h"
#include "store.h"

struct habard {
	struct conf	*conf;
	struct content	*content;
	struct route	*route;
	struct store	*store;
	struct pseudo	*pseudo;
	struct modem	*modem;		/* NULL without a modem group */
	int		 dirty;		/* rows changed since the checkpoint */
	int64_t		 checkpoint_at;	/* a busy one: try again then */
	struct watch	*watch;		/* topics and lists folders, or NULL */
	struct http	*http;		/* NULL without an http group */
	time_t		 purge_at;	/* next retention run */
	struct serve	*serve;		/* answers the modem's messages */
	struct health	*health;	/* signal, network and SIM credit */
	/*
	 * A reload whose classifier is being learned apart: its content,
	 * its router, and the settings of a SIGHUP that wait for it (or
	 * NULL).  Messages are answered from the live set meanwhile.
	 */
	struct content	*pend_c;
	struct route	*pend_r;
	struct conf	*pend_conf;
};

/*
 * A change under content_dir/topics or content_dir/lists reloads the
 * content once the files have been quiet for RELOAD_QUIET_MS (an editor
 * saving, a copy of many files), but never later than RELOAD_MAX_MS
 * after the first change.
 */
#define RELOAD_QUIET_MS		300
#define RELOAD_MAX_MS		1500
#define WATCH_RETRY_MS		1000	/* re-adding a watch on a lost dir */
#define WATCH_NDIRS		2	/* topics, lists: watch_folders[] */
#define CHECKPOINT_RETRY_MS	1000	/* a busy checkpoint, again */

/* One watched folder; what it is comes from watch_folders[]. */
struct watch_dir {
	int		 wd;		/* or -1 */
	int		 warned;	/* "cannot watch" logged once */
	int		 lost;		/* went unwatched: a change once back */
	int64_t		 retry_at;	/* when wd == -1: next try */
};

struct watch {
	int		 fd;		/* inotify, or -1 */
	struct watch_dir dirs[WATCH_NDIRS];
	int64_t		 first;		/* first change not yet loaded, 0 */
	int64_t		 due;		/* reload then, or 0 */
};

static volatile sig_atomic_t	 quit;
static volatile sig_atomic_t	 reload;
static volatile sig_atomic_t	 stuck;		/* the watchdog's SIGUSR2 */

/*
 * The modem watchdog.  The main thread stamps wd_busy (monotonic ms)
 * around each modem command; a thread of its own checks it every
 * second.  A command older than wd_limit gets SIGUSR2 sent to the main
 * thread, whose handler only sets `stuck': the signal is installed
 * without SA_RESTART, so a system call blocked in libGammu returns
 * EINTR, the command fails, and the main loop re-initializes the
 * connection.  A command still hung three limits later cannot be
 * interrupted: habard exits for the service manager to start it again,
 * which loses nothing (the inbox is committed before the phone is
 * touched).  No alarm(): the limit is per command, and only the main
 * thread may take the signal.
 */
static atomic_llong		 wd_busy;	/* 0: no command under way */
static int			 wd_limit_ms;
static pthread_t		 wd_main;
static struct modem		*wd_modem;	/* the one it watches */
static int			 log_verbose;	/* -v: debug, whatever the file says */

static void
sighdlr(int sig)
{
	switch (sig) {
	case SIGINT:
	case SIGTERM:
		quit = 1;
		break;
	case SIGHUP:
		reload = 1;
		break;
	case SIGUSR2:
		stuck = 1;
		break;
	}
}

/* The usage; with --help on standard output and exit 0, else exit 1. */
static void __attribute__((noreturn))
usage(int help)
{
	FILE	*fp = help ? stdout : stderr;

	fprintf(fp, "usage: habard [-dnv] -f file\n");
	if (help)
		fprintf(fp, "\n"
		    "  -f file  the configuration (habar.conf(5))\n"
		    "  -d       stay in the foreground and log to standard "
		    "error\n"
		    "  -n       check the configuration and the content, "
		    "print\n"
		    "           \"configuration OK\" or every problem, and "
		    "exit\n"
		    "  -v       log debug messages too\n"
		    "\nSIGHUP reloads the content; SIGTERM finishes the "
		    "current message and exits.\nSee habard(8).\n");
	exit(help ? 0 : 1);
}

/* Content problems as "file:line: error|warning: message". */
static void
print_diag(void *arg, enum editfile_severity sev, const char *file, int line,
    const char *msg)
{
	int	*errors = arg;

	if (sev == EDITFILE_ERROR && errors != NULL)
		(*errors)++;
	if (line > 0)
		log_warnx("%s:%d: %s: %s", file, line,
		    sev == EDITFILE_ERROR ? "error" : "warning", msg);
	else
		log_warnx("%s: %s: %s", file,
		    sev == EDITFILE_ERROR ? "error" : "warning", msg);
}

/*
 * Load the content set and its router for conf; a reload passes the live
 * router as reuse, whose classifier is kept when no keyword or example
 * changed (route_opts), and later: the router may come back still
 * learning (route_pending()).  Returns 0 with both set, or -1 after
 * every problem has been logged.
 */
static int
load_content(const struct conf *conf, const struct route *reuse, int later,
    struct content **cp, struct route **rp)
{
	struct route_opts opts;
	struct content	*c;
	struct route	*r;

	c = content_load_with(conf->content_dir,
	    (const char *const *)conf->langs, conf->nlangs,
	    (const char *const *)conf->content.extra_lists,
	    conf->content.nextra_lists, print_diag, NULL);
	if (c == NULL)
		return -1;
	memset(&opts, 0, sizeof(opts));
	opts.default_lang = content_lang(c, conf->default_lang);
	opts.first_words = conf->route.first_words;
	/* habard's peak and heap are the models', not the learning's */
	opts.learn_apart = 1;
	opts.learn_later = later;
	opts.reuse = reuse;
	if ((r = route_new(c, &opts, print_diag, NULL)) == NULL) {
		content_free(c);
		return -1;
	}
	*cp = c;
	*rp = r;
	return 0;
}

/*
 * What the process that learned r took (make bench reads it), or that
 * nothing was learned: an edit of replies alone takes effect at once.
 */
static void
log_learned(const struct route *r)
{
	if (route_learn_kept(r))
		log_info("classifier kept: no keyword or example changed");
	else if (route_learn_peak(r) > 0)
		log_info("learned apart: that process's peak %.1f MB",
		    route_learn_peak(r) / 1024.0);
}

/*
 * Give the memory a load let go of back to the system.  Learning frees
 * megabytes in the middle of the heap, under the set that stays, which
 * malloc keeps for itself: without this, habard's RSS between messages
 * rose from 17.7 MB to 25.6 MB over five reloads of the shipped content
 * (make bench measures it), and the next reload started from there.
 */
static void
give_back(void)
{
	(void)malloc_trim(0);
}

/*
 * The one place a new content set and router replace the live ones,
 * between two messages: every answer comes from one whole set.
 */
static void
swap_content(struct habard *h, struct content *c, struct route *r)
{
	/* Returns once no message is answered from the old set. */
	http_set_content(h->http, c, r);
	serve_set_content(h->serve, c, r);
	route_free(h->route);
	content_free(h->content);
	h->content = c;
	h->route = r;
	give_back();
}

static void watch_start(struct habard *);

/*
 * The settings of a SIGHUP, once the content loaded with them is live:
 * those that can change live take effect; the rest were kept
 * (conf_keep_restart()).
 */
static void
conf_apply(struct habard *h, struct conf *nc)
{
	struct conf	*old;
	int		 moved;

	if (serve_set_conf(h->serve, nc) == -1 ||
	    http_set_conf(h->http, nc) == -1) {
		log_warnx("configuration not reloaded: out of memory");
		conf_free(nc);
		return;
	}
	moved = strcmp(nc->content_dir, h->conf->content_dir) != 0;
	old = h->conf;
	h->conf = nc;
	conf_free(old);
	if (h->health != NULL && health_reconf(h->health, h->conf) == -1)
		log_warnx("balance settings not reloaded");
	if (!log_verbose)
		log_setlevel(h->conf->level);
	if (moved)
		watch_start(h);
	log_info("configuration reloaded");
}

/*
 * What the last reload came to, for "habar status" (key "reload"): an
 * editor who cannot read the log sees there whether an edit took.
 */
static void	 reload_status(struct habard *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
reload_status(struct habard *h, const char *fmt, ...)
{
	char	 buf[160];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (store_status_put(h->store, "reload", buf, time(NULL)) == -1)
		log_debug("reload not in the status");
}

/*
 * A reloaded set, learned: swapped in, with the settings nc of a SIGHUP
 * that waited for it (or NULL).
 */
static void
reload_done(struct habard *h, struct content *c, struct route *r,
    struct conf *nc)
{
	log_learned(r);
	if (strcmp(c->version, h->content->version) == 0) {
		log_info("content version %s reloaded: unchanged, %zu topics",
		    c->version, c->ntopics);
		reload_status(h, "version %s reloaded, unchanged",
		    c->version);
	} else {
		log_info("content version %s loaded: %zu topics (was %s)",
		    c->version, c->ntopics, h->content->version);
		reload_status(h, "version %s loaded", c->version);
	}
	swap_content(h, c, r);
	if (store_status_put(h->store, "content", c->version, time(NULL)) ==
	    -1)
		log_debug("content version not in the status");
	if (nc != NULL)
		conf_apply(h, nc);
}

/*
 * A reloaded set refused (its errors logged; why, in a few words, for
 * the status): say which version still answers, and let go of the
 * settings nc of a SIGHUP that waited for it (or NULL) and of the
 * memory the set took.
 */
static void
reload_refused(struct habard *h, struct conf *nc, const char *why)
{
	log_warnx("content not reloaded: still serving version %s",
	    h->content->version);
	reload_status(h, "refused (%s): version %s answers; see the log",
	    why, h->content->version);
	if (nc != NULL) {
		log_warnx("configuration not reloaded either: the new "
		    "settings need content that loads");
		conf_free(nc);
	}
	give_back();
}

/*
 * Let go of the reload under way, if any (a newer one replaces it, or
 * habard stops): its learning process is killed.
 */
static void
pending_drop(struct habard *h)
{
	if (h->pend_r == NULL)
		return;
	route_free(h->pend_r);
	content_free(h->pend_c);
	conf_free(h->pend_conf);
	h->pend_r = NULL;
	h->pend_c = NULL;
	h->pend_conf = NULL;
	give_back();
}

/*
 * Parse the whole content set aside with conf; swap it in only when it
 * has no errors, else log every error and keep serving the old one.  A
 * classifier to learn is learned in a process of its own while the live
 * set goes on answering: the set is swapped in when it is done
 * (pending_poll()).  nc: the settings of a SIGHUP, applied with the set
 * (owned from here on, whatever happens: freed with a set refused), or
 * NULL.  A reload still under way is given up for this one, which reads
 * the files as they are now; the settings of a SIGHUP it was learning
 * for come along when this one brings none (a file saved meanwhile).
 * Returns 0 when swapped in or under way, -1 when refused.
 */
static int
reload_content(struct habard *h, const struct conf *conf, struct conf *nc)
{
	struct content	*c;
	struct route	*r;

	if (h->pend_r != NULL) {
		log_info("a newer reload replaces the one still learning");
		if (nc == NULL && h->pend_conf != NULL) {
			conf = nc = h->pend_conf;
			h->pend_conf = NULL;
		}
		pending_drop(h);
	}
	log_info("reloading content from '%s'", conf->content_dir);
	if (load_content(conf, h->route, 1, &c, &r) == -1) {
		reload_refused(h, nc, "errors in the content");
		return -1;
	}
	if (route_pending(r) == -1) {
		reload_done(h, c, r, nc);
		return 0;
	}
	log_info("content version %s learning apart; version %s answers "
	    "meanwhile", c->version, h->content->version);
	reload_status(h, "learning version %s; version %s answers meanwhile",
	    c->version, h->content->version);
	h->pend_c = c;
	h->pend_r = r;
	h->pend_conf = nc;
	return 0;
}

/*
 * The reload under way, when its learning process is done (its pipe
 * readable: the models, or its end) or has had its time: its models
 * taken and the set swapped in, or the reload given up, the live set
 * still answering.
 */
static void
pending_poll(struct habard *h)
{
	struct pollfd	 pfd;
	struct content	*c = h->pend_c;
	struct route	*r = h->pend_r;
	struct conf	*nc = h->pend_conf;

	if (r == NULL)
		return;
	pfd.fd = route_pending(r);
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (poll(&pfd, 1, 0) <= 0 && !route_pending_due(r))
		return;
	h->pend_r = NULL;
	h->pend_c = NULL;
	h->pend_conf = NULL;
	if (route_finish(r, print_diag, NULL) == -1) {
		route_free(r);
		content_free(c);
		reload_refused(h, nc, "its learning failed");
		return;
	}
	reload_done(h, c, r, nc);
}

/*
 * SIGHUP: read the configuration file aside, then the content with it.
 * Both are swapped in together or not at all, since the content depends
 * on the settings (languages, content_dir); settings that only take
 * effect at start keep their values and are logged as needing a restart.
 * A configuration with errors keeps the old one, and the content is
 * still reloaded with it.
 */
static void
do_reload(struct habard *h)
{
	struct conf	*nc;

	log_info("reloading configuration from '%s'", h->conf->path);
	if ((nc = conf_load(h->conf->path)) == NULL) {
		log_warnx("configuration not reloaded: '%s' has errors, "
		    "keeping the old settings", h->conf->path);
		(void)reload_content(h, h->conf, NULL);
		return;
	}
	(void)conf_keep_restart(nc, h->conf);
	(void)reload_content(h, nc, nc);
}

static int64_t now_ms(void);

/* A modem command starts: the watchdog times it. */
static void
wd_enter(void)
{
	atomic_store(&wd_busy, (long long)now_ms());
}

/*
 * The command returned.  If the watchdog had to interrupt it, the line
 * is presumed wedged: drop the connection so the next poll opens it
 * afresh.
 */
static void
wd_leave(struct habard *h)
{
	atomic_store(&wd_busy, 0);
	if (!stuck)
		return;
	stuck = 0;
	log_warnx("modem command hung for more than %d s: re-initializing "
	    "the connection", wd_limit_ms / 1000);
	modem_reset(h->modem);
}

static void *
wd_thread(void *arg)
{
	struct timespec	 ts = { 0, 200 * 1000 * 1000 };
	long long	 busy;
	int64_t		 kicked = 0;
	int64_t		 now;

	(void)arg;
	for (;;) {
		nanosleep(&ts, NULL);
		busy = atomic_load(&wd_busy);
		now = now_ms();
		if (busy == 0 || now - busy < wd_limit_ms) {
			kicked = 0;
			continue;
		}
		if (now - busy >= 3LL * wd_limit_ms) {
			log_warnx("modem command hung for %lld s and cannot be "
			    "interrupted: exiting to be restarted (the inbox "
			    "is safe)", (long long)(now - busy) / 1000);
			_exit(3);
		}
		/*
		 * Once per limit: a signal may land just before the call.
		 * libGammu waits out its time-outs through EINTR: abort.
		 */
		if (kicked == 0 || now - kicked >= wd_limit_ms) {
			kicked = now;
			modem_abort(wd_modem);
			pthread_kill(wd_main, SIGUSR2);
		}
	}
	return NULL;
}

/* Start the watchdog for modem commands of limit seconds. */
static void
wd_start(int limit)
{
	pthread_t	 t;
	sigset_t	 all, old;

	wd_limit_ms = limit * 1000;
	wd_main = pthread_self();
	/* The watchdog takes no signal: they are the main thread's. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	if (pthread_create(&t, NULL, wd_thread, NULL) != 0)
		log_warnx("cannot start the modem watchdog");
	else
		pthread_detach(t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/*
 * The taken mark of phone entry msg: a keyed hash of its sender, time
 * stamp and places on the phone, made with the pseudonym key.  Returns
 * 0, or -1 (logged) when it cannot be made.
 */
static int
taken_mark(struct habard *h, const struct multipart_msg *msg, time_t now,
    unsigned char out[STORE_PSEUDO_LEN])
{
	char	 buf[512];
	size_t	 i, len;
	int	 w;

	w = snprintf(buf, sizeof(buf), "taken\x1f%s\x1f%lld", msg->sender,
	    (long long)msg->sent_at);
	for (i = 0; i < msg->nlocs && w > 0 && (size_t)w < sizeof(buf); i++) {
		len = (size_t)w;
		w += snprintf(buf + len, sizeof(buf) - len, "\x1f%d:%d",
		    msg->locs[i].folder, msg->locs[i].location);
	}
	if (w < 0 || (size_t)w >= sizeof(buf))
		return -1;
	return pseudo_get(h->pseudo, buf, now, out);
}

/*
 * Take everything the phone holds into the inbox, one durable
 * transaction, then delete it from the phone.  Each entry gets a taken
 * mark in that same commit, cleared once it is deleted: an entry read
 * again after a crash in between is deleted without a second answer.
 * Returns how many entries left the phone.
 */
static size_t
poll_modem(struct habard *h)
{
	struct multipart_msg *msgs = NULL;
	struct store_msg *sm;
	unsigned char	(*mark)[STORE_PSEUDO_LEN];
	size_t		 n = 0, i, k, nm, gone = 0;
	time_t		 now = time(NULL);
	int		*old, rv;

	wd_enter();
	rv = modem_poll(h->modem, &msgs, &n);
	wd_leave(h);
	if (rv == -1 || n == 0) {
		multipart_msgs_free(msgs, n);
		return 0;
	}
	sm = calloc(n, sizeof(*sm));
	mark = calloc(n, sizeof(*mark));
	old = calloc(n, sizeof(*old));
	if (sm == NULL || mark == NULL || old == NULL) {
		log_warn("poll");
		free(sm);
		free(mark);
		free(old);
		multipart_msgs_free(msgs, n);
		return 0;
	}
	/* Entries read again after a crash: delete them, answer no more. */
	for (i = 0; i < n; i++) {
		if (taken_mark(h, &msgs[i], now, mark[i]) == -1)
			old[i] = -1;	/* unmarked: may be answered twice */
		else if (store_taken_has(h->store, mark[i]) == 1)
			old[i] = 1;
	}
	for (i = 0, k = 0; i < n; i++) {
		if (old[i] == 1)
			continue;
		snprintf(sm[k].channel, sizeof(sm[k].channel), "sms");
		sm[k].received_at = now;
		if (phone_e164(sm[k].sender, sizeof(sm[k].sender),
		    msgs[i].sender) == -1)
			snprintf(sm[k].sender, sizeof(sm[k].sender), "%s",
			    msgs[i].sender);
		sm[k].text = msgs[i].text;
		if (msgs[i].incomplete)
			log_info("multipart message incomplete after %d s: "
			    "answering what arrived",
			    h->conf->modem.multipart_timeout);
		k++;
	}
	/* The new ones' marks go in with them, before anything leaves. */
	for (i = 0, nm = 0; i < n; i++)
		if (old[i] == 0)
			memcpy(mark[nm++], mark[i], sizeof(mark[i]));
	if (store_inbox_add_taken(h->store, sm, k, mark, nm, now) == 0) {
		for (i = 0, nm = 0; i < n; i++) {
			wd_enter();
			rv = modem_delete(h->modem, &msgs[i]);
			wd_leave(h);
			if (rv == -1) {
				log_warnx("message stays on the phone");
				continue;
			}
			gone++;
			if (old[i] != -1 && taken_mark(h, &msgs[i], now,
			    mark[nm]) == 0)
				nm++;
		}
		if (store_taken_del(h->store, mark, nm) == -1)
			log_debug("taken marks kept until they expire");
		h->dirty = 1;
		log_debug("%zu message(s) taken from the phone", k);
		if (store_status_put(h->store, "last_received", "", now) == -1)
			log_debug("last message time not in the status");
	}
	free(sm);
	free(mark);
	free(old);
	multipart_msgs_free(msgs, n);
	return gone;
}

/*
 * Answer one inbox row through serve: its reply queued, its event
 * logged and the row deleted in one transaction.  Returns 0, or -1
 * when it stays in the inbox for the next pass.
 */
static int
answer_one(struct habard *h, struct store_msg *m)
{
	struct serve_sms in;
	struct serve_reply out;

	memset(&in, 0, sizeof(in));
	in.channel = SERVE_SMS;
	in.sender = m->sender;
	in.text = m->text;
	in.at = m->received_at;
	in.inbox_id = m->id;
	in.queue = true;
	if (serve_sms(h->serve, &in, &out) == -1)
		return -1;
	serve_reply_release(&out);
	return 0;
}

static void
process_inbox(struct habard *h)
{
	struct store_msg m;
	int64_t		 after = 0;

	while (!quit && store_inbox_next(h->store, after, &m) == 1) {
		after = m.id;
		if (answer_one(h, &m) == 0)
			h->dirty = 1;
		store_msg_release(&m);
	}
}

/* Split an outbox body into parts, in place. */
static size_t
split_parts(char *body, char **parts, size_t max)
{
	size_t	 n = 0;
	char	*p = body, *sep;

	while (n < max) {
		parts[n++] = p;
		if ((sep = strchr(p, STORE_PART_SEP)) == NULL)
			break;
		*sep = '\0';
		p = sep + 1;
	}
	return n;
}

static void
send_outbox(struct habard *h)
{
	struct store_out o;
	struct store_event ev;
	char		*parts[REPLY_MAX_PARTS];
	size_t		 n, sent = 0;
	int64_t		 now = time(NULL), delay;
	int		 rv;

	while (!quit && store_outbox_next(h->store, now, &o) == 1) {
		n = split_parts(o.body, parts, REPLY_MAX_PARTS);
		wd_enter();
		rv = modem_send(h->modem, o.recipient, o.ucs2, parts, n);
		wd_leave(h);
		if (rv == 0) {
			if (store_outbox_sent(h->store, o.id) == 0)
				h->dirty = 1;
			sent++;
			log_info("reply sent: %zu part(s)", n);
			store_out_release(&o);
			continue;
		}
		if (modem_lasterr(h->modem) == MODEM_ENOTCONN) {
			store_out_release(&o);
			break;	/* not a try: the modem is away */
		}
		delay = (int64_t)h->conf->outbox.retry_delay << (o.tries < 10 ?
		    o.tries : 10);
		memset(&ev, 0, sizeof(ev));
		ev.at = now;
		ev.channel = "sms";
		ev.lang = "";
		ev.topic = "";
		ev.match = "dropped";
		ev.country = phone_country(o.recipient);
		ev.parts = 0;
		ev.content_version = h->content->version;
		if (pseudo_get(h->pseudo, o.recipient, now, ev.pseudonym) == -1)
			memset(ev.pseudonym, 0, sizeof(ev.pseudonym));
		if (o.tries + 1 >= h->conf->outbox.max_tries)
			log_warnx("reply dropped after %d tries: %s", o.tries + 1,
			    modem_strerror(modem_lasterr(h->modem)));
		else
			log_warnx("reply not sent (%s): retry in %lld s",
			    modem_strerror(modem_lasterr(h->modem)),
			    (long long)delay);
		if (store_outbox_failed(h->store, o.id, now + delay,
		    h->conf->outbox.max_tries, &ev) == 0)
			h->dirty = 1;
		store_out_release(&o);
	}
	if (sent > 0 && store_status_put(h->store, "last_sent", "",
	    time(NULL)) == -1)
		log_debug("last send time not in the status");
}

/*
 * Cut the WAL once the queues drain.  A reader holding a snapshot (habar
 * stats, a backup) makes the checkpoint busy: it stays due and is tried
 * again every CHECKPOINT_RETRY_MS until it succeeds, so no number
 * outlives the reader by more than that.
 */
static void
checkpoint(struct habard *h)
{
	int64_t	 now;

	if (!h->dirty || store_pending(h->store) != 0)
		return;
	now = now_ms();
	if (now < h->checkpoint_at)
		return;
	if (store_idle_checkpoint(h->store) == 0) {
		h->dirty = 0;
		h->checkpoint_at = 0;
	} else
		h->checkpoint_at = now + CHECKPOINT_RETRY_MS;
}

/* Sleep up to ms, or less when a signal arrives. */
static void
wait_ms(int ms)
{
	struct timespec	 ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	(void)nanosleep(&ts, NULL);
}

static int64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A content file changed: reload once things are quiet. */
static void
watch_changed(struct watch *w)
{
	int64_t	 now = now_ms();

	if (w->first == 0)
		w->first = now;
	w->due = now + RELOAD_QUIET_MS;
	if (w->due > w->first + RELOAD_MAX_MS)
		w->due = w->first + RELOAD_MAX_MS;
}

#ifdef __linux__
#define WATCH_EVENTS	(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | \
			    IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF)

/*
 * The folders under content_dir whose changes reload the content, and
 * the file names that count in each.  The lists folder is optional:
 * while it is missing it is looked for each second without a warning,
 * and its appearing is a change.
 */
static const struct watch_folder {
	const char	*name;
	int		(*is_file)(const char *);
	int		 optional;
} watch_folders[WATCH_NDIRS] = {
	{ "topics", content_is_topic_file, 0 },
	{ "lists", lists_is_list_file, 1 }
};

/* Watch content_dir's folder i, or note when to try again. */
static void
watch_add(struct habard *h, size_t i)
{
	struct watch		*w = h->watch;
	struct watch_dir	*d = &w->dirs[i];
	const struct watch_folder *f = &watch_folders[i];
	char			 path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", h->conf->content_dir, f->name);
	if ((d->wd = inotify_add_watch(w->fd, path, WATCH_EVENTS)) == -1) {
		if (!(f->optional && errno == ENOENT) && !d->warned++)
			log_warn("cannot watch '%s' for changes (trying "
			    "again each second; SIGHUP reloads)", path);
		d->lost = 1;
		d->retry_at = now_ms() + WATCH_RETRY_MS;
		return;
	}
	if (d->warned) {
		log_info("watching '%s' again", path);
		d->warned = 0;
	}
	if (d->lost) {
		d->lost = 0;
		watch_changed(w);	/* it may have changed meanwhile */
	}
}

/* Watch again, when due, the folders that could not be watched. */
static void
watch_retry(struct habard *h, int64_t now)
{
	size_t	 i;

	for (i = 0; i < WATCH_NDIRS; i++)
		if (h->watch->dirs[i].wd == -1 &&
		    now >= h->watch->dirs[i].retry_at)
			watch_add(h, i);
}

/*
 * One event.  Every folder is matched, not just the first: two names
 * for one folder (a symlink) share a watch descriptor.
 */
static void
watch_event(struct watch *w, const struct inotify_event *ev)
{
	struct watch_dir	*d;
	size_t			 i;

	if (ev->mask & IN_Q_OVERFLOW) {
		watch_changed(w);
		return;
	}
	/* No match: an old watch's last words. */
	for (i = 0; i < WATCH_NDIRS; i++) {
		d = &w->dirs[i];
		if (d->wd == -1 || ev->wd != d->wd)
			continue;
		if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) {
			/* replaced wholesale, e.g. mv topics.new, or gone */
			inotify_rm_watch(w->fd, d->wd);
			d->wd = -1;
			d->lost = 1;
			d->retry_at = now_ms();
			watch_changed(w);
		} else if (ev->len > 0 && watch_folders[i].is_file(ev->name))
			watch_changed(w);
	}
}

/* Take every pending event; content files and the folders count. */
static void
watch_read(struct habard *h)
{
	char			 buf[4096]
				    __attribute__((aligned(8)));
	const struct inotify_event *ev;
	ssize_t			 n;
	char			*p;

	while ((n = read(h->watch->fd, buf, sizeof(buf))) > 0) {
		for (p = buf; p < buf + n; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)(void *)p;
			watch_event(h->watch, ev);
		}
	}
}
#endif

/*
 * (Re)start watching the content folders, topics and lists; without
 * inotify, SIGHUP only.
 */
static void
watch_start(struct habard *h)
{
#ifdef __linux__
	struct watch		*w = h->watch;
	struct watch_dir	*d;
	size_t			 i;

	if (w == NULL) {
		if ((w = calloc(1, sizeof(*w))) == NULL) {
			log_warn("watch");
			return;
		}
		for (i = 0; i < WATCH_NDIRS; i++)
			w->dirs[i].wd = -1;
		if ((w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1) {
			log_warn("inotify: content changes need a SIGHUP");
			free(w);
			return;
		}
		h->watch = w;
	}
	for (i = 0; i < WATCH_NDIRS; i++) {
		d = &w->dirs[i];
		if (d->wd != -1) {
			inotify_rm_watch(w->fd, d->wd);
			d->wd = -1;
		}
		/* just loaded from these folders: nothing lost yet */
		d->warned = d->lost = 0;
		watch_add(h, i);
	}
#else
	(void)h;
#endif
}

static void
watch_stop(struct habard *h)
{
	if (h->watch == NULL)
		return;
	close(h->watch->fd);
	free(h->watch);
	h->watch = NULL;
}

/* True once a content change has been quiet long enough. */
static int
watch_due(const struct habard *h)
{
	return h->watch != NULL && h->watch->due != 0 &&
	    now_ms() >= h->watch->due;
}

/*
 * Take the content changes reported so far, without waiting: the loop
 * calls this instead of wait_events() while the phone has more for it.
 */
static void
watch_poll(struct habard *h)
{
#ifdef __linux__
	if (h->watch != NULL)
		watch_read(h);
#else
	(void)h;
#endif
}

/*
 * Wait up to ms for the next round of the loop, returning early for a
 * signal, a content reload falling due or the end of a reload's
 * learning; content changes are taken from the inotify descriptor
 * meanwhile.
 */
static void
wait_events(struct habard *h, int ms)
{
	struct watch	*w = h->watch;
	struct pollfd	 pfd[2];
	int64_t		 now, until = now_ms() + ms, t;
	nfds_t		 n;

	for (;;) {
		now = now_ms();
		if (quit || reload || now >= until || watch_due(h))
			return;
		t = until;
		if (w != NULL && w->due != 0 && w->due < t)
			t = w->due;
		n = 0;
		if (h->pend_r != NULL) {
			pfd[n].fd = route_pending(h->pend_r);
			pfd[n].events = POLLIN;
			pfd[n++].revents = 0;
		}
#ifdef __linux__
		if (w != NULL) {
			watch_retry(h, now);
			pfd[n].fd = w->fd;
			pfd[n].events = POLLIN;
			pfd[n++].revents = 0;
		}
#endif
		if (n == 0) {
			wait_ms((int)(t - now));
			continue;
		}
		if (poll(pfd, n, (int)(t - now)) <= 0)
			continue;
		if (h->pend_r != NULL && pfd[0].revents != 0)
			return;		/* the main loop takes its models */
#ifdef __linux__
		if (w != NULL && pfd[n - 1].revents != 0)
			watch_read(h);
#endif
	}
}

#define PURGE_EVERY	86400	/* seconds between retention runs */

/*
 * Retention, at start and then daily: events and unanswered words older
 * than stats.keep_events days are deleted, with expired sessions.
 */
static void
purge_daily(struct habard *h)
{
	struct store_purged p;
	time_t		 now = time(NULL);

	if (now < h->purge_at)
		return;
	h->purge_at = now + PURGE_EVERY;
	if (store_purge(h->store, (int64_t)now -
	    (int64_t)h->conf->stats.keep_events * 86400, now, &p) == -1)
		return;
	if (p.events + p.unmatched + p.sessions == 0)
		return;
	h->dirty = 1;
	log_info("purged %lld event(s) and %lld word(s) older than %d days, "
	    "%lld expired session(s)", (long long)p.events,
	    (long long)p.unmatched, h->conf->stats.keep_events,
	    (long long)p.sessions);
}

static void
main_loop(struct habard *h)
{
	bool	 more;

	watch_start(h);
	while (!quit) {
		pending_poll(h);
		if (reload) {
			reload = 0;
			if (h->watch != NULL)
				h->watch->first = h->watch->due = 0;
			do_reload(h);
		} else if (watch_due(h)) {
			h->watch->first = h->watch->due = 0;
			(void)reload_content(h, h->conf, NULL);
		}
		/*
		 * A poll that stopped at its limit and took messages off
		 * the phone leaves more there: no pause before the next.
		 */
		more = h->modem != NULL && poll_modem(h) > 0 &&
		    modem_more(h->modem);
		process_inbox(h);
		if (h->modem != NULL)
			send_outbox(h);
		if (h->modem != NULL && h->health != NULL)
			health_run(h->health, h->modem, h->store, time(NULL));
		/*
		 * At an epoch boundary the old key goes now, message or
		 * not, with the HTTP thread's copy; logged once a minute
		 * while no key can be had.
		 */
		(void)pseudo_ready(h->pseudo, time(NULL));
		purge_daily(h);
		/* Every pass: a flood of spoofed senders leaves no sessions. */
		(void)serve_expire(h->serve, time(NULL));
		checkpoint(h);
		if (more)
			watch_poll(h);
		else if (!quit && !reload)
			wait_events(h, h->modem != NULL ?
			    h->conf->modem.poll_ms : 1000);
	}
	watch_stop(h);
}

static void
setup_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = sighdlr;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);	/* no SA_RESTART: see wd_thread */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

static int
check_only(const char *file)
{
	struct conf	*conf;
	struct content	*c;
	struct route	*r;

	if ((conf = conf_load(file)) == NULL)
		return 1;
	if (load_content(conf, NULL, 0, &c, &r) == -1) {
		conf_free(conf);
		return 1;
	}
	printf("configuration OK\n");
	route_free(r);
	content_free(c);
	conf_free(conf);
	return 0;
}

/*
 * The user and group habard is to become: 0 with *pw and *gid set, 1
 * when there is nothing to drop (no user set, or not started as root).
 * As root with a user or group that does not exist, refuse to run
 * rather than stay root.
 */
static int
user_of(const struct conf *conf, struct passwd **pw, gid_t *gid)
{
	struct group	*gr;

	if (conf->user == NULL || geteuid() != 0)
		return 1;
	if ((*pw = getpwnam(conf->user)) == NULL)
		fatalx("user '%s' does not exist: refusing to run as root",
		    conf->user);
	*gid = (*pw)->pw_gid;
	if (conf->group != NULL) {
		if ((gr = getgrnam(conf->group)) == NULL)
			fatalx("group '%s' does not exist: refusing to run "
			    "as root", conf->group);
		*gid = gr->gr_gid;
	}
	return 0;
}

/*
 * Give name (relative to folder dfd, or a path with AT_FDCWD) to uid
 * and gid without following a symbolic link.  Returns 0, or -1 logged.
 */
static int
own_one(int dfd, const char *name, const char *shown, uid_t uid, gid_t gid)
{
	if (fchownat(dfd, name, uid, gid, AT_SYMLINK_NOFOLLOW) == 0 ||
	    errno == ENOENT)
		return 0;
	log_warn("cannot give '%s' to uid %lu", shown, (unsigned long)uid);
	return -1;
}

/* The key folder and every file in it become uid's; 0 or -1 logged. */
static int
own_key_dir(const char *dir, uid_t uid, gid_t gid)
{
	struct dirent	*de;
	DIR		*d;
	int		 rv = 0;

	if (own_one(AT_FDCWD, dir, dir, uid, gid) == -1)
		return -1;
	if ((d = opendir(dir)) == NULL) {
		log_warn("cannot read key directory '%s'", dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (own_one(dirfd(d), de->d_name, de->d_name, uid, gid) == -1)
			rv = -1;
	}
	closedir(d);
	return rv;
}

/*
 * Whether the folder dir holds nothing but the database (base, and its
 * -wal, -shm, -journal) and the key folder (keys, or NULL when it lives
 * elsewhere): a folder of habard's own, safe to give to its user.
 */
static int
only_state(const char *dir, const char *base, const char *keys)
{
	struct dirent	*de;
	DIR		*d;
	size_t		 blen = strlen(base);
	int		 ours = 1;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while (ours && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    (keys != NULL && strcmp(de->d_name, keys) == 0))
			continue;
		if (strncmp(de->d_name, base, blen) != 0 ||
		    (de->d_name[blen] != '\0' &&
		    strcmp(de->d_name + blen, "-wal") != 0 &&
		    strcmp(de->d_name + blen, "-shm") != 0 &&
		    strcmp(de->d_name + blen, "-journal") != 0))
			ours = 0;
	}
	closedir(d);
	return ours;
}

/*
 * The folder of the database file into dir; returns the file's name in
 * it.
 */
static const char *
db_dir(const char *database, char *dir, size_t dirsz)
{
	const char	*slash;

	if ((slash = strrchr(database, '/')) == NULL) {
		snprintf(dir, dirsz, ".");
		return database;
	}
	if (slash == database)
		snprintf(dir, dirsz, "/");
	else
		snprintf(dir, dirsz, "%.*s", (int)(slash - database),
		    database);
	return slash + 1;
}

/*
 * The database's folder, when missing, is made (0750; one level) for a
 * fresh install's empty state; own_state() gives it to the user.
 */
static void
make_db_dir(const struct conf *conf)
{
	char	 dir[PATH_MAX];

	(void)db_dir(conf->database, dir, sizeof(dir));
	if (mkdir(dir, 0750) == 0)
		log_info("created the database folder '%s'", dir);
	else if (errno != EEXIST)
		log_warn("cannot create the database folder '%s'", dir);
}

/*
 * Before the drop, what habard writes becomes its user's: the key
 * folder and its keys (else the user cannot make the next epoch's key,
 * nor read the one root made), the database with its -wal and -shm,
 * and the database's folder when it holds nothing else (else the user
 * cannot create or remove the WAL).  A shared folder (/var/lib, say) is
 * never given away: a warning says what to do.
 */
static void
own_state(const struct conf *conf)
{
	struct passwd	*pw;
	struct stat	 sb;
	char		 dir[PATH_MAX], path[PATH_MAX + 16];
	const char	*base, *keys = NULL;
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
	size_t		 i, dlen;
	gid_t		 gid;

	if (user_of(conf, &pw, &gid) != 0)
		return;
	if (own_key_dir(conf->pseudonym.key_dir, pw->pw_uid, gid) == -1)
		fatalx("the key folder must belong to user '%s'", conf->user);
	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", conf->database, sfx[i]);
		if (own_one(AT_FDCWD, path, path, pw->pw_uid, gid) == -1)
			fatalx("the database must belong to user '%s'",
			    conf->user);
	}
	base = db_dir(conf->database, dir, sizeof(dir));
	dlen = strlen(dir);
	if (strncmp(conf->pseudonym.key_dir, dir, dlen) == 0 &&
	    conf->pseudonym.key_dir[dlen] == '/' &&
	    strchr(conf->pseudonym.key_dir + dlen + 1, '/') == NULL)
		keys = conf->pseudonym.key_dir + dlen + 1;
	if (stat(dir, &sb) == -1 || sb.st_uid == pw->pw_uid)
		return;
	if (only_state(dir, base, keys)) {
		if (own_one(AT_FDCWD, dir, dir, pw->pw_uid, gid) == -1)
			fatalx("the database folder must belong to user '%s'",
			    conf->user);
		return;
	}
	log_warnx("the database folder '%s' holds other files and does not "
	    "belong to user '%s': habard cannot remove the WAL at stop; "
	    "give habard a folder of its own", dir, conf->user);
}

/*
 * Become conf's user and group once everything privileged is open (the
 * log, database, key folder, content, http socket), as ntpd does: the
 * user's own supplementary groups are kept (initgroups), since the
 * modem is reopened on every reconnect and its device belongs to a
 * group such as dialout.  As root with a user that does not exist,
 * refuse to run rather than stay root; not as root, there is nothing to
 * drop.
 */
static void
drop_privileges(const struct conf *conf)
{
	struct passwd	*pw;
	gid_t		 gid;

	if (conf->user == NULL) {
		if (geteuid() == 0)
			log_warnx("running as root: set 'user' to drop "
			    "privileges");
		return;
	}
	if (user_of(conf, &pw, &gid) != 0) {
		log_info("not started as root: running as uid %lu, not '%s'",
		    (unsigned long)geteuid(), conf->user);
		return;
	}
	if (initgroups(pw->pw_name, gid) == -1)
		fatal("cannot set the groups of '%s'", conf->user);
	if (setresgid(gid, gid, gid) == -1)
		fatal("cannot change to group %lu", (unsigned long)gid);
	if (setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1)
		fatal("cannot change to user '%s'", conf->user);
	if (pw->pw_uid != 0 && setresuid(0, 0, 0) != -1)
		fatalx("privileges not dropped: root can be regained");
	log_info("running as user '%s'", conf->user);
}

int
main(int argc, char *argv[])
{
	struct habard	 h;
	struct modem_conf mc;
	struct passwd	*pw;
	gid_t		 gid;
	char		 pin[16];
	const char	*file = NULL;
	int		 ch, debug = 0, noaction = 0, verbose = 0;

	log_init(1, LOG_LEVEL_INFO, NULL);
	if (argc == 2 && strcmp(argv[1], "--help") == 0)
		usage(1);
	while ((ch = getopt(argc, argv, "df:hnv")) != -1) {
		switch (ch) {
		case 'd':
			debug = 1;
			break;
		case 'f':
			file = optarg;
			break;
		case 'n':
			noaction = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'h':
			usage(1);
		default:
			usage(0);
		}
	}
	if (optind != argc || file == NULL)
		usage(0);
	if (noaction)
		return check_only(file);

	memset(&h, 0, sizeof(h));
	if ((h.conf = conf_load(file)) == NULL)
		fatalx("%s: configuration has errors", file);
	log_verbose = verbose;
	log_init(debug, verbose ? LOG_LEVEL_DEBUG :
	    h.conf->level, debug ? NULL : "habard");
	/* A user that does not exist: refuse before making anything. */
	(void)user_of(h.conf, &pw, &gid);
	if (load_content(h.conf, NULL, 0, &h.content, &h.route) == -1)
		fatalx("content in '%s' has errors", h.conf->content_dir);
	log_learned(h.route);
	give_back();
	make_db_dir(h.conf);
	if ((h.store = store_open(h.conf->database)) == NULL)
		fatalx("cannot use the database");
	/*
	 * A crash, the watchdog's exit or a power cut may have left
	 * numbers in the WAL: cut it at the first idle moment.
	 */
	h.dirty = 1;
	if (store_set_modem(h.store, h.conf->modem.id) == -1)
		fatalx("cannot use the database");
	if (h.conf->has_modem && (h.health = health_new(h.conf,
	    h.store)) == NULL)
		fatalx("cannot watch the modem");
	if (store_status_put(h.store, "content", h.content->version,
	    time(NULL)) == -1 || store_status_put(h.store, "started",
	    VERSION, time(NULL)) == -1)
		fatalx("cannot use the database");
	if ((h.pseudo = pseudo_open(h.conf->pseudonym.key_dir,
	    h.conf->pseudonym.period)) == NULL)
		fatalx("cannot use the key directory");
	/* Made now, while habard may still write anywhere. */
	if (pseudo_ready(h.pseudo, time(NULL)) == -1)
		fatalx("cannot make the pseudonym key: refusing to answer "
		    "without pseudonyms");
	if ((h.serve = serve_new(h.conf, h.store, h.pseudo, 0)) == NULL)
		fatalx("out of memory");
	serve_set_content(h.serve, h.content, h.route);
	if (h.conf->has_modem) {
		/* The PIN file is root's: read before dropping privileges. */
		if (conf_modem(h.conf, &mc, pin, sizeof(pin)) == -1)
			fatalx("cannot set up the modem");
		mc.pin_refused = health_pin_refused(h.store, h.conf);
		h.modem = modem_open(&mc);
		explicit_bzero(pin, sizeof(pin));
		if (h.modem == NULL)
			fatalx("cannot set up the modem");
	}
	if (!debug && daemon(0, 0) == -1)
		fatal("daemon");
	setup_signals();
	if (h.modem != NULL) {
		wd_modem = h.modem;
		wd_start(h.conf->modem.watchdog);
	}
	if (h.conf->has_http && (h.http = http_start(h.conf,
	    h.conf->pseudonym.period, h.content, h.route)) == NULL)
		fatalx("cannot start the http channel");
	own_state(h.conf);
	drop_privileges(h.conf);
	log_info("started: content version %s, %zu topics, %s%s",
	    h.content->version, h.content->ntopics,
	    h.modem != NULL ? "modem" : "no modem",
	    h.http != NULL ? ", http" : "");

	main_loop(&h);

	log_info("stopping");
	http_stop(h.http);
	if (h.modem != NULL)
		modem_close(h.modem);
	h.checkpoint_at = 0;	/* a last try, even right after a busy one */
	serve_free(h.serve);
	checkpoint(&h);
	store_close(h.store);
	pseudo_close(h.pseudo);
	pending_drop(&h);
	route_free(h.route);
	content_free(h.content);
	health_free(h.health);
	conf_free(h.conf);
	return 0;
}
