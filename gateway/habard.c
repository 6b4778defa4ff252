/*
 * habard.c - the gateway daemon: options, signals and the main loop.
 *
 * One loop with explicit timers: poll the modem, commit what arrived to
 * the inbox (durably) before deleting it from the phone, answer every
 * inbox row in one transaction each, send what the outbox holds, and
 * truncate the WAL whenever the queues drain so no number outlives its
 * reply.  Signal handlers only set flags.  SIGHUP reloads the content:
 * a new set is swapped in only when it loads without errors.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "answer.h"
#include "conf.h"
#include "content.h"
#include "log.h"
#include "modem.h"
#include "phone.h"
#include "pseudo.h"
#include "route.h"
#include "session.h"
#include "store.h"

struct habard {
	struct conf	*conf;
	struct content	*content;
	struct route	*route;
	struct store	*store;
	struct pseudo	*pseudo;
	struct modem	*modem;		/* NULL without a modem group */
	int		 dirty;		/* rows changed since the checkpoint */
};

static volatile sig_atomic_t	 quit;
static volatile sig_atomic_t	 reload;

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
	}
}

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: habard [-dn] [-v] -f file\n");
	exit(1);
}

/* Content problems as "file:line: error|warning: message". */
static void
print_diag(void *arg, enum content_severity sev, const char *file, int line,
    const char *msg)
{
	int	*errors = arg;

	if (sev == CONTENT_ERROR && errors != NULL)
		(*errors)++;
	if (line > 0)
		log_warnx("%s:%d: %s: %s", file, line,
		    sev == CONTENT_ERROR ? "error" : "warning", msg);
	else
		log_warnx("%s: %s: %s", file,
		    sev == CONTENT_ERROR ? "error" : "warning", msg);
}

/*
 * Load the content set and its router for conf.  Returns 0 with both set,
 * or -1 after every problem has been logged.
 */
static int
load_content(const struct conf *conf, struct content **cp, struct route **rp)
{
	struct route_opts opts;
	struct content	*c;
	struct route	*r;

	c = content_load(conf->content_dir, (const char *const *)conf->langs,
	    conf->nlangs, print_diag, NULL);
	if (c == NULL)
		return -1;
	memset(&opts, 0, sizeof(opts));
	opts.default_lang = content_lang(c, conf->default_lang);
	opts.first_words = conf->route.first_words;
	if ((r = route_new(c, &opts, print_diag, NULL)) == NULL) {
		content_free(c);
		return -1;
	}
	*cp = c;
	*rp = r;
	return 0;
}

static void
do_reload(struct habard *h)
{
	struct content	*c;
	struct route	*r;

	log_info("reloading content from '%s'", h->conf->content_dir);
	if (load_content(h->conf, &c, &r) == -1) {
		log_warnx("content not reloaded: still serving version %s",
		    h->content->version);
		return;
	}
	route_free(h->route);
	content_free(h->content);
	h->content = c;
	h->route = r;
	log_info("content version %s loaded: %zu topics", c->version,
	    c->ntopics);
}

static enum pseudo_epoch
epoch_of(const char *name)
{
	if (strcmp(name, "day") == 0)
		return PSEUDO_DAY;
	if (strcmp(name, "month") == 0)
		return PSEUDO_MONTH;
	return PSEUDO_WEEK;
}

/*
 * Take everything the phone holds into the inbox, one durable
 * transaction, then delete it from the phone.
 */
static void
poll_modem(struct habard *h)
{
	struct modem_msg *msgs = NULL;
	struct store_msg *sm;
	size_t		 n = 0, i;
	time_t		 now = time(NULL);

	if (modem_poll(h->modem, &msgs, &n) == -1 || n == 0) {
		modem_msgs_free(msgs, n);
		return;
	}
	if ((sm = calloc(n, sizeof(*sm))) == NULL) {
		log_warn("poll");
		modem_msgs_free(msgs, n);
		return;
	}
	for (i = 0; i < n; i++) {
		snprintf(sm[i].channel, sizeof(sm[i].channel), "sms");
		sm[i].received_at = now;
		if (phone_e164(sm[i].sender, sizeof(sm[i].sender),
		    msgs[i].sender) == -1)
			snprintf(sm[i].sender, sizeof(sm[i].sender), "%s",
			    msgs[i].sender);
		sm[i].text = msgs[i].text;
		if (msgs[i].incomplete)
			log_info("multipart message incomplete after %d s: "
			    "answering what arrived",
			    h->conf->modem.multipart_timeout);
	}
	if (store_inbox_add(h->store, sm, n) == 0) {
		for (i = 0; i < n; i++)
			if (modem_delete(h->modem, &msgs[i]) == -1)
				log_warnx("message stays on the phone and "
				    "may be answered twice");
		h->dirty = 1;
		log_debug("%zu message(s) taken from the phone", n);
	}
	free(sm);
	modem_msgs_free(msgs, n);
}

/* Answer one inbox row: outbox row and event in one transaction. */
static int
answer_one(struct habard *h, struct store_msg *m)
{
	struct answer	 a;
	struct answer_opts opts;
	struct store_out out;
	struct store_event ev;
	struct store_session ss;
	struct session	 sess;
	char		 e164[PHONE_MAX], *body = NULL;
	int		 reply_ok, rv, have_ps;
	time_t		 now = time(NULL);

	memset(&ev, 0, sizeof(ev));
	have_ps = pseudo_get(h->pseudo, m->sender, now, ev.pseudonym) == 0;
	session_clear(&sess);
	if (have_ps && store_session_get(h->store, ev.pseudonym, now,
	    &ss) == 1) {
		session_set(sess.lang, sizeof(sess.lang), ss.lang);
		session_set(sess.menu, sizeof(sess.menu), ss.menu);
		session_set(sess.topic, sizeof(sess.topic), ss.topic);
		sess.page = ss.page;
	}
	opts.max_parts = (size_t)h->conf->reply.max_parts;
	opts.latin_for_latin = h->conf->reply.latin_for_latin_senders;
	if (answer_make(&a, h->content, h->route, m->text, &sess,
	    &opts) == -1) {
		log_warnx("out of memory answering a message");
		return -1;
	}
	reply_ok = phone_e164(e164, sizeof(e164), m->sender) == 0 &&
	    a.reply.nparts > 0;
	memset(&ss, 0, sizeof(ss));
	memcpy(ss.pseudonym, ev.pseudonym, sizeof(ss.pseudonym));
	session_set(ss.lang, sizeof(ss.lang), sess.lang);
	session_set(ss.menu, sizeof(ss.menu), sess.menu);
	session_set(ss.topic, sizeof(ss.topic), sess.topic);
	ss.page = sess.page;
	ss.expires_at = sess.forget ? 0 : now + h->conf->session.ttl;

	ev.at = m->received_at;
	ev.channel = m->channel;
	ev.lang = a.lang;
	ev.topic = a.route.topic->id;
	ev.match = route_match_name(a.route.match);
	ev.country = reply_ok ? phone_country(e164) : "ZZ";
	ev.parts = reply_ok ? (int)a.reply.nparts : 0;
	ev.content_version = h->content->version;

	memset(&out, 0, sizeof(out));
	if (reply_ok) {
		size_t i, len = 0, cap = 0;

		for (i = 0; i < a.reply.nparts; i++)
			cap += strlen(a.reply.part[i]) + 1;
		if ((body = malloc(cap + 1)) == NULL) {
			answer_release(&a);
			return -1;
		}
		for (i = 0; i < a.reply.nparts; i++) {
			size_t pl = strlen(a.reply.part[i]);
			if (i > 0)
				body[len++] = STORE_PART_SEP;
			memcpy(body + len, a.reply.part[i], pl);
			len += pl;
		}
		body[len] = '\0';
		out.inbox_id = m->id;
		snprintf(out.recipient, sizeof(out.recipient), "%s", e164);
		out.body = body;
		out.parts = (int)a.reply.nparts;
		out.ucs2 = a.reply.coding == REPLY_UCS2;
		out.next_try_at = 0;
	}
	rv = store_process(h->store, m->id, reply_ok ? &out : NULL, &ev,
	    have_ps ? &ss : NULL);
	if (rv == 0) {
		log_info("answered %s: topic %s, %s, match %s (%s), %zu "
		    "part(s)%s", m->channel, ev.topic, ev.lang, ev.match,
		    route_why_name(a.route.why), a.reply.nparts,
		    reply_ok ? "" : ", no reply to this sender");
		log_debug("answered %s", m->sender);
	}
	free(body);
	answer_release(&a);
	return rv;
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
	size_t		 n;
	int64_t		 now = time(NULL), delay;

	while (!quit && store_outbox_next(h->store, now, &o) == 1) {
		n = split_parts(o.body, parts, REPLY_MAX_PARTS);
		if (modem_send(h->modem, o.recipient, o.ucs2, parts, n) == 0) {
			if (store_outbox_sent(h->store, o.id) == 0)
				h->dirty = 1;
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
}

static void
checkpoint(struct habard *h)
{
	if (!h->dirty || store_pending(h->store) != 0)
		return;
	if (store_idle_checkpoint(h->store) == 0)
		h->dirty = 0;
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

static void
main_loop(struct habard *h)
{
	while (!quit) {
		if (reload) {
			reload = 0;
			do_reload(h);
		}
		if (h->modem != NULL)
			poll_modem(h);
		process_inbox(h);
		if (h->modem != NULL)
			send_outbox(h);
		checkpoint(h);
		if (!quit && !reload)
			wait_ms(h->modem != NULL ? h->conf->modem.poll_ms :
			    1000);
	}
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
	if (load_content(conf, &c, &r) == -1) {
		conf_free(conf);
		return 1;
	}
	printf("configuration OK\n");
	route_free(r);
	content_free(c);
	conf_free(conf);
	return 0;
}

static enum log_level
level_of(const char *name)
{
	if (strcmp(name, "debug") == 0)
		return LOG_LEVEL_DEBUG;
	if (strcmp(name, "warning") == 0)
		return LOG_LEVEL_WARN;
	return LOG_LEVEL_INFO;
}

int
main(int argc, char *argv[])
{
	struct habard	 h;
	struct modem_conf mc;
	const char	*file = NULL;
	int		 ch, debug = 0, noaction = 0, verbose = 0;

	log_init(1, LOG_LEVEL_INFO, NULL);
	while ((ch = getopt(argc, argv, "df:nv")) != -1) {
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
		default:
			usage();
		}
	}
	if (optind != argc || file == NULL)
		usage();
	if (noaction)
		return check_only(file);

	memset(&h, 0, sizeof(h));
	if ((h.conf = conf_load(file)) == NULL)
		fatalx("%s: configuration has errors", file);
	log_init(debug, verbose ? LOG_LEVEL_DEBUG :
	    level_of(h.conf->log_level), debug ? NULL : "habard");
	if (load_content(h.conf, &h.content, &h.route) == -1)
		fatalx("content in '%s' has errors", h.conf->content_dir);
	if ((h.store = store_open(h.conf->database)) == NULL)
		fatalx("cannot use the database");
	if ((h.pseudo = pseudo_open(h.conf->pseudonym.key_dir,
	    epoch_of(h.conf->pseudonym.epoch))) == NULL)
		fatalx("cannot use the key directory");
	if (h.conf->has_modem) {
		memset(&mc, 0, sizeof(mc));
		mc.gammurc = h.conf->modem.gammurc;
		mc.section = h.conf->modem.section;
		mc.device = h.conf->modem.device;
		mc.connection = h.conf->modem.connection;
		mc.model = h.conf->modem.model;
		mc.multipart_timeout = h.conf->modem.multipart_timeout;
		if ((h.modem = modem_open(&mc)) == NULL)
			fatalx("cannot set up the modem");
	}
	if (!debug && daemon(0, 0) == -1)
		fatal("daemon");
	setup_signals();
	log_info("started: content version %s, %zu topics, %s",
	    h.content->version, h.content->ntopics,
	    h.modem != NULL ? "modem" : "no modem");

	main_loop(&h);

	log_info("stopping");
	if (h.modem != NULL)
		modem_close(h.modem);
	checkpoint(&h);
	store_close(h.store);
	pseudo_close(h.pseudo);
	route_free(h.route);
	content_free(h.content);
	conf_free(h.conf);
	return 0;
}
