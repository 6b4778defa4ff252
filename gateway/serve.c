/*
 * serve.c - the one path from a message to its reply and its record:
 * pseudonym -> session -> answer -> guard -> event, unanswered words,
 * session and reply, in one store transaction.  Every channel goes
 * through here, so a rule fixed here holds for all of them (issue 15).
 *
 * Locks: `db' serializes the store and pseudonym handles (SQLite has one
 * writer anyway; answering, the costly part, runs outside it); `content'
 * is read-held while a message is answered, so serve_set_content() can
 * tell when the old set is free.
 *
 * Grouped commits: with group_ms > 0 (the HTTP channel) the records of
 * the messages answered within group_ms share one write transaction,
 * committed by the first message to find it group_ms old or, when none
 * comes, by a thread of serve's own at that age.  Under load one
 * commit carries many records and writes each page once, not once per
 * record: a commit writes some ten pages to the WAL however few records
 * it holds, which made one commit a request the HTTP channel's limit.
 * The price: an answer may go out up to group_ms before its record is
 * committed, so a crash loses that much of the demand log (never an
 * SMS: the modem's channel commits each message, group_ms 0).
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "phone.h"
#include "serve.h"
#include "session.h"
#include "unmatched.h"

/* The settings a message reads, copied from the conf. */
struct serve_params {
	struct answer_opts	 sms;
	struct answer_ussd_opts	 ussd;
	int			 ttl;
	char			 default_lang[8];
	struct guard		*guard[SERVE_NCHANNELS];
};

struct serve {
	pthread_mutex_t		 db;	/* guards st, ps, p, the group */
	pthread_rwlock_t	 content; /* read-held while answering */
	struct store		*st;
	struct pseudo		*ps;
	const struct content	*c;
	const struct route	*r;
	struct serve_params	 p;
	int			 group_ms;
	int64_t			 tx_ms;		/* the open group began */
	size_t			 tx_n;		/* records in it */
	pthread_cond_t		 opened;	/* for the flusher */
	pthread_t		 flusher;
	int			 flushing;	/* flusher started */
	int			 stop;		/* flusher: end */
	int			 nokey;		/* no pseudonym: said once */
};

static const char *const serve_channels[SERVE_NCHANNELS] = {
	[SERVE_SMS] = "sms",
	[SERVE_SMS_HTTP] = "sms-http",
	[SERVE_USSD] = "ussd"
};

const char *
serve_channel_name(enum serve_channel ch)
{
	return ch < SERVE_NCHANNELS ? serve_channels[ch] : "?";
}

static int64_t
serve_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
serve_params_clear(struct serve_params *p)
{
	int	 i;

	for (i = 0; i < SERVE_NCHANNELS; i++)
		guard_free(p->guard[i]);
	memset(p, 0, sizeof(*p));
}

/* p from conf; 0, or -1 when memory runs out (p cleared). */
static int
serve_params_set(struct serve_params *p, const struct conf *conf)
{
	struct guard_limits l[SERVE_NCHANNELS];
	int		 i;

	memset(p, 0, sizeof(*p));
	p->sms.max_parts = (size_t)conf->reply.max_parts;
	p->sms.latin_for_latin = conf->reply.latin_for_latin_senders;
	p->ussd.page_chars = (size_t)conf->ussd.page_chars;
	p->ussd.ucs2_page_chars = (size_t)conf->ussd.ucs2_page_chars;
	p->ttl = conf->session.ttl;
	session_set(p->default_lang, sizeof(p->default_lang),
	    conf->default_lang);
	for (i = 0; i < SERVE_NCHANNELS; i++) {
		l[i].replies = conf->guard.replies;
		l[i].window = conf->guard.window;
		l[i].daily_budget = conf->guard.daily_budget;
	}
	l[SERVE_SMS_HTTP].daily_budget = conf->guard.http_daily_budget;
	l[SERVE_USSD].replies = conf->guard.ussd_requests;
	l[SERVE_USSD].daily_budget = conf->guard.ussd_daily;
	for (i = 0; i < SERVE_NCHANNELS; i++)
		if ((p->guard[i] = guard_new(&l[i], conf->guard.deny,
		    conf->guard.ndeny)) == NULL) {
			log_warnx("cannot set up the reply guard: out of "
			    "memory");
			serve_params_clear(p);
			return -1;
		}
	return 0;
}

static void	*serve_flusher(void *);

struct serve *
serve_new(const struct conf *conf, struct store *st, struct pseudo *ps,
    int group_ms)
{
	struct serve	*sv;

	if ((sv = calloc(1, sizeof(*sv))) == NULL) {
		log_warn("serve");
		return NULL;
	}
	if (serve_params_set(&sv->p, conf) == -1) {
		free(sv);
		return NULL;
	}
	pthread_condattr_t ca;
	sigset_t	 all, old;

	pthread_mutex_init(&sv->db, NULL);
	pthread_rwlock_init(&sv->content, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&sv->opened, &ca);
	pthread_condattr_destroy(&ca);
	sv->st = st;
	sv->ps = ps;
	sv->group_ms = group_ms;
	if (group_ms > 0) {
		/* Signals are the main thread's. */
		sigfillset(&all);
		pthread_sigmask(SIG_BLOCK, &all, &old);
		if (pthread_create(&sv->flusher, NULL, serve_flusher, sv) == 0)
			sv->flushing = 1;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (!sv->flushing) {
			log_warnx("cannot start the demand log's flusher");
			serve_free(sv);
			return NULL;
		}
	}
	return sv;
}

int
serve_set_conf(struct serve *sv, const struct conf *conf)
{
	struct serve_params np, old;

	if (serve_params_set(&np, conf) == -1)
		return -1;
	/* Messages read p while answering: wait for them. */
	pthread_rwlock_wrlock(&sv->content);
	pthread_mutex_lock(&sv->db);
	old = sv->p;
	sv->p = np;
	pthread_mutex_unlock(&sv->db);
	pthread_rwlock_unlock(&sv->content);
	serve_params_clear(&old);
	return 0;
}

void
serve_set_content(struct serve *sv, const struct content *c,
    const struct route *r)
{
	pthread_rwlock_wrlock(&sv->content);
	sv->c = c;
	sv->r = r;
	pthread_rwlock_unlock(&sv->content);
}

/* Commit the open group, with db held.  0 or -1 (rolled back). */
static int
serve_commit(struct serve *sv)
{
	size_t	 n = sv->tx_n;

	sv->tx_n = 0;
	if (!store_tx_open(sv->st))
		return 0;
	if (store_tx_commit(sv->st) == -1) {
		log_warnx("demand log: %zu record(s) lost", n);
		return -1;
	}
	return 0;
}

/* Roll the open group back, with db held: every record in it is lost. */
static void
serve_abort(struct serve *sv)
{
	if (sv->tx_n > 0)
		log_warnx("demand log: %zu record(s) lost", sv->tx_n);
	sv->tx_n = 0;
	store_tx_rollback(sv->st);
}

/* Open the transaction a record goes in, with db held.  0 or -1. */
static int
serve_begin(struct serve *sv)
{
	if (store_tx_open(sv->st))
		return 0;
	if (store_tx_begin(sv->st) == -1)
		return -1;
	sv->tx_ms = serve_ms();
	return 0;
}

/*
 * A message is done, with db held: commit when grouping is off or the
 * group is old enough, else leave it to the next message or the
 * flusher.
 */
static int
serve_leave(struct serve *sv)
{
	if (sv->group_ms == 0 || serve_ms() - sv->tx_ms >= sv->group_ms)
		return serve_commit(sv);
	pthread_cond_signal(&sv->opened);
	return 0;
}

/* The flusher: commits a group that group_ms left unclosed. */
static void *
serve_flusher(void *arg)
{
	struct serve	*sv = arg;
	struct timespec	 ts;
	int64_t		 due;

	pthread_mutex_lock(&sv->db);
	while (!sv->stop) {
		if (!store_tx_open(sv->st)) {
			pthread_cond_wait(&sv->opened, &sv->db);
			continue;
		}
		due = sv->tx_ms + sv->group_ms;
		if (serve_ms() >= due) {
			(void)serve_commit(sv);
			continue;
		}
		ts.tv_sec = (time_t)(due / 1000);
		ts.tv_nsec = (long)(due % 1000) * 1000000L;
		(void)pthread_cond_timedwait(&sv->opened, &sv->db, &ts);
	}
	pthread_mutex_unlock(&sv->db);
	return NULL;
}

int
serve_flush(struct serve *sv)
{
	int	 rv;

	pthread_mutex_lock(&sv->db);
	rv = serve_commit(sv);
	pthread_mutex_unlock(&sv->db);
	return rv;
}

int
serve_expire(struct serve *sv, int64_t now)
{
	int	 rv;

	pthread_mutex_lock(&sv->db);
	rv = store_session_expire(sv->st, now);
	pthread_mutex_unlock(&sv->db);
	return rv;
}

void
serve_free(struct serve *sv)
{
	if (sv == NULL)
		return;
	if (sv->flushing) {
		pthread_mutex_lock(&sv->db);
		sv->stop = 1;
		pthread_cond_signal(&sv->opened);
		pthread_mutex_unlock(&sv->db);
		pthread_join(sv->flusher, NULL);
	}
	if (serve_flush(sv) == -1)
		log_warnx("demand log not flushed at stop");
	serve_params_clear(&sv->p);
	pthread_cond_destroy(&sv->opened);
	pthread_rwlock_destroy(&sv->content);
	pthread_mutex_destroy(&sv->db);
	free(sv);
}

/*
 * A session kept until now + ttl, rounded up to the minute: the
 * second a message came would be in its expiry otherwise, next to the
 * pseudonym; a minute more of memory costs nothing.
 */
static int64_t
serve_expiry(int64_t now, int ttl)
{
	return (now + ttl + 59) / 60 * 60;
}

/*
 * Enter: count the message in, take its pseudonym and stored session.
 * Returns 0 with db held, or -1 (db released, logged).
 */
static int
serve_enter(struct serve *sv, const char *number, int64_t now,
    unsigned char ps[STORE_PSEUDO_LEN], struct store_session *ss,
    int *found)
{
	pthread_mutex_lock(&sv->db);
	/*
	 * No pseudonym, no answer: no limit could count it and its event
	 * would name nobody.  An SMS waits in the inbox for a key; said
	 * once, not for every message of every round.
	 */
	if (pseudo_get(sv->ps, number, (time_t)now, ps) == -1) {
		if (!sv->nokey++)
			log_warnx("cannot make a pseudonym: messages are not "
			    "answered until a key can be made");
		pthread_mutex_unlock(&sv->db);
		return -1;
	}
	if (sv->nokey) {
		log_info("pseudonyms again: answering");
		sv->nokey = 0;
	}
	memset(ss, 0, sizeof(*ss));
	*found = store_session_get(sv->st, ps, now, ss) == 1;
	memcpy(ss->pseudonym, ps, STORE_PSEUDO_LEN);
	return 0;
}

/*
 * Take a reply of cost from the guard of channel ch for pseudonym ps at
 * now, with db held and the transaction open.  A failure to read the
 * counts refuses (GUARD_FAILED): no reply without them.
 */
static enum guard_verdict
serve_guard(struct serve *sv, enum serve_channel ch,
    const unsigned char *ps, int64_t now, int64_t cost)
{
	struct guard	*g = sv->p.guard[ch];
	struct store_guard q;
	int		 rv;

	if (!guard_counts(g))
		return GUARD_OK;	/* no limit: nothing to count */
	q.channel = serve_channels[ch];
	q.at = guard_at(g, now);
	q.since = guard_since(g, now);
	q.day = guard_day(now);
	q.cost = cost;
	q.allow = guard_allow;
	q.arg = g;
	if ((rv = store_guard_take(sv->st, ps, &q)) == -1) {
		log_warnx("%s: no reply: %s", q.channel,
		    guard_strerror(GUARD_FAILED));
		return GUARD_FAILED;
	}
	return (enum guard_verdict)rv;
}

/* The demand event of an answered SMS; strings borrowed from a and c. */
static void
serve_event(struct store_event *ev, const struct serve_sms *m,
    const struct answer *a, const char *country, enum guard_verdict v,
    bool send, const char *version)
{
	ev->at = m->at;
	ev->channel = serve_channels[m->channel];
	ev->lang = a->lang;
	ev->topic = a->route.topic->id;
	ev->match = v != GUARD_OK ? "guarded" : answer_match(a);
	ev->country = country;
	ev->parts = send ? (int)a->reply.nparts : 0;
	ev->content_version = version;
	ev->checked = v == GUARD_OK ? a->checked : NULL;
}

/* serve_sms() once answered: guard and record, db held.  0 or -1. */
static int
serve_sms_record(struct serve *sv, const struct serve_sms *m,
    struct serve_reply *out, struct store_event *ev,
    const struct session *sess, struct store_session *ss)
{
	struct answer	*a = &out->answer;
	struct store_out o;
	struct unmatched um;
	char		 e164[PHONE_MAX];
	bool		 number;

	number = phone_e164(e164, sizeof(e164), m->sender) == 0;
	if (serve_begin(sv) == -1)
		return -1;
	if (out->verdict == GUARD_OK)
		out->verdict = serve_guard(sv, m->channel, ev->pseudonym,
		    m->at, (int64_t)a->reply.nparts);
	if (out->verdict == GUARD_FAILED)
		return -1;
	out->send = number && a->reply.nparts > 0 && out->verdict == GUARD_OK;
	serve_event(ev, m, a, number ? phone_country(e164) : "ZZ",
	    out->verdict, out->send, sv->c->version);
	if (strcmp(ev->match, route_match_name(ROUTE_NONE)) == 0) {
		/* What editors may learn of it: words, nothing personal. */
		(void)unmatched_words(&um, m->text);
		ev->nwords = unmatched_known(&um, sv->c);
		ev->words = um.list;
	}
	ss->state = *sess;
	ss->expires_at = sess->forget ? 0 : serve_expiry(m->at, sv->p.ttl);
	memset(&o, 0, sizeof(o));
	if (out->send && m->queue) {
		o.inbox_id = m->inbox_id;
		snprintf(o.recipient, sizeof(o.recipient), "%s", e164);
		o.part = a->reply.part;
		o.nparts = a->reply.nparts;
		o.parts = (int)a->reply.nparts;
		o.ucs2 = a->reply.coding == REPLY_UCS2;
	}
	/*
	 * A reply not sent leaves the session as it was, else the next
	 * MORE would skip a page never received; STOP forgets all the same.
	 */
	if (store_record(sv->st, m->inbox_id, out->send && m->queue ? &o :
	    NULL, ev, out->send || sess->forget ? ss : NULL) == -1)
		return -1;
	sv->tx_n++;
	return 0;
}

static void
serve_sms_log(const struct serve_sms *m, const struct serve_reply *out)
{
	const struct answer *a = &out->answer;

	log_info("answered %s: topic %s, %s, match %s (%s), %zu part(s)%s%s",
	    serve_channels[m->channel], a->route.topic->id, a->lang,
	    out->verdict != GUARD_OK ? "guarded" : answer_match(a),
	    route_why_name(a->route.why), a->reply.nparts,
	    out->verdict != GUARD_OK ? ", no reply: " : out->send ? "" :
	    ", no reply to this sender", out->verdict != GUARD_OK ?
	    guard_strerror(out->verdict) : "");
	log_debug("answered %s", m->sender);
}

int
serve_sms(struct serve *sv, const struct serve_sms *m,
    struct serve_reply *out)
{
	struct store_event ev;
	struct store_session ss;
	struct session	 sess;
	char		 e164[PHONE_MAX];
	int		 found, rv;

	memset(out, 0, sizeof(*out));
	memset(&ev, 0, sizeof(ev));
	/* A name or a short code is pseudonymized as it was given. */
	if (phone_e164(e164, sizeof(e164), m->sender) == -1)
		snprintf(e164, sizeof(e164), "%s", m->sender);
	if (serve_enter(sv, e164, m->at, ev.pseudonym, &ss, &found) == -1)
		return -1;
	pthread_mutex_unlock(&sv->db);

	pthread_rwlock_rdlock(&sv->content);
	if (found)
		sess = ss.state;
	else
		session_clear(&sess);
	out->verdict = guard_sender(sv->p.guard[m->channel], m->sender);
	rv = answer_make(&out->answer, sv->c, sv->r, m->text, &sess,
	    &sv->p.sms);
	pthread_mutex_lock(&sv->db);
	if (rv == -1)
		log_warnx("out of memory answering a message");
	else if ((rv = serve_sms_record(sv, m, out, &ev, &sess, &ss)) == -1)
		serve_abort(sv);
	if (serve_leave(sv) == -1)
		rv = -1;	/* the record is lost: the message stays */
	pthread_mutex_unlock(&sv->db);
	if (rv == 0)
		serve_sms_log(m, out);
	pthread_rwlock_unlock(&sv->content);
	if (rv == -1) {
		serve_reply_release(out);
		out->verdict = GUARD_FAILED;
	}
	return rv;
}

void
serve_reply_release(struct serve_reply *r)
{
	answer_release(&r->answer);
	memset(r, 0, sizeof(*r));
}

/* serve_ussd() once answered: guard and record, db held.  0 or -1. */
static int
serve_ussd_record(struct serve *sv, const char *number, int64_t now,
    int start, struct serve_screen *out, struct store_event *ev,
    struct store_session *ss)
{
	struct answer_ussd *u = &out->ussd;
	bool		 save;

	if (serve_begin(sv) == -1)
		return -1;
	if (out->verdict == GUARD_OK)
		out->verdict = serve_guard(sv, SERVE_USSD, ev->pseudonym, now,
		    1);
	if (out->verdict == GUARD_FAILED)
		return -1;
	if (out->verdict != GUARD_OK)
		return 0;	/* over the limits: nothing recorded */
	ev->at = now;
	ev->channel = serve_channels[SERVE_USSD];
	ev->lang = sv->c->langs[u->lang];
	ev->topic = u->topic->id;
	ev->match = u->match;
	ev->country = phone_country(number);
	ev->parts = 0;
	ev->content_version = sv->c->version;
	ev->checked = u->checked;
	/* The language is remembered when a session ends in another one. */
	save = u->end && u->lang != start;
	if (save) {
		session_set(ss->state.lang, sizeof(ss->state.lang),
		    ev->lang);
		ss->expires_at = serve_expiry(now, sv->p.ttl);
	}
	if (store_record(sv->st, 0, NULL, ev, save ? ss : NULL) == -1)
		return -1;
	sv->tx_n++;
	return 0;
}

int
serve_ussd(struct serve *sv, const char *number, const char *path,
    int64_t now, struct serve_screen *out)
{
	struct store_event ev;
	struct store_session ss;
	int		 found, start, rv;

	memset(out, 0, sizeof(*out));
	memset(&ev, 0, sizeof(ev));
	if (serve_enter(sv, number, now, ev.pseudonym, &ss, &found) == -1)
		return -1;
	pthread_mutex_unlock(&sv->db);

	pthread_rwlock_rdlock(&sv->content);
	start = found && ss.state.lang[0] != '\0' ?
	    content_lang(sv->c, ss.state.lang) : -1;
	if (start < 0)
		start = content_lang(sv->c, sv->p.default_lang);
	if (start < 0)
		start = 0;
	out->verdict = guard_sender(sv->p.guard[SERVE_USSD], number);
	rv = answer_ussd(&out->ussd, sv->c, path, start, &sv->p.ussd);
	pthread_mutex_lock(&sv->db);
	if (rv == -1)
		log_warnx("out of memory answering a ussd request");
	else if ((rv = serve_ussd_record(sv, number, now, start, out, &ev,
	    &ss)) == -1)
		serve_abort(sv);
	if (serve_leave(sv) == -1)
		rv = -1;
	pthread_mutex_unlock(&sv->db);
	if (rv == 0 && out->verdict == GUARD_OK)
		log_info("answered ussd: topic %s, %s, match %s, %s",
		    ev.topic, ev.lang, ev.match, out->ussd.end ? "end" :
		    "continues");
	else if (rv == 0)
		log_info("ussd request not answered: %s",
		    guard_strerror(out->verdict));
	pthread_rwlock_unlock(&sv->content);
	if (rv == -1 || out->verdict != GUARD_OK) {
		answer_ussd_release(&out->ussd);
		memset(&out->ussd, 0, sizeof(out->ussd));
		if (rv == -1)
			out->verdict = GUARD_FAILED;
	}
	return rv;
}

void
serve_screen_release(struct serve_screen *s)
{
	answer_ussd_release(&s->ussd);
	memset(s, 0, sizeof(*s));
}
