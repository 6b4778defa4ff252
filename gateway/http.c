/*
 * http.c - the HTTP channel, on libmicrohttpd's own polling thread.
 *
 * POST /ussd follows the widely used aggregator convention: form fields
 * sessionId, serviceCode, phoneNumber and text, the '*'-separated path
 * of choices so far; the answer is text/plain "CON screen" (the session
 * goes on) or "END screen" (the last one).  The path is replayed from
 * the root on every request (answer_ussd), so no USSD state is kept
 * here: only the sender's language, in the sessions table, when a
 * session ends.
 *
 * GET or POST /sms?from=...&text=... follows Kannel's sms-service
 * get-url convention: the body of the answer is the reply, within the
 * part budget, with "Content-Type: text/plain; charset=utf-8" and, when
 * the reply needs UCS-2, "X-Kannel-Coding: 2" -- without both Kannel
 * turns Cyrillic into '?'.  A text/plain POST body is the message, the
 * sender in X-Kannel-From (Kannel's post-url).
 *
 * Both log demand events like SMS (channels "ussd" and "sms-http"),
 * under the same pseudonyms, through a store handle of this thread.
 * One thread answers every request: each takes milliseconds, and the
 * content it reads is swapped by the main thread only under the lock.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <microhttpd.h>

#include "answer.h"
#include "guard.h"
#include "http.h"
#include "log.h"
#include "phone.h"
#include "session.h"
#include "store.h"
#include "unmatched.h"

#define HTTP_MAX_FIELDS	16		/* form fields read from a body */
#define HTTP_TEXT_MAX	1024		/* bytes of "text" answered */

/* The settings a request reads, copied from the conf. */
struct http_params {
	struct answer_opts	 sms;
	struct answer_ussd_opts	 ussd;
	int			 ttl;
	char			 default_lang[8];
	char			*token;		/* or NULL */
	size_t			 max_request;
	struct guard		*guard;		/* /sms reply limits */
};

struct http {
	struct MHD_Daemon	*d;
	pthread_mutex_t		 lock;	/* guards c, r, p */
	const struct content	*c;
	const struct route	*r;
	struct http_params	 p;
	struct store		*store;	/* this thread's own */
	struct pseudo		*pseudo;
};

/* One request: its body, read up to the limit. */
struct http_req {
	char	*body;
	size_t	 len;
	int	 toobig;
	struct {
		char	*name, *value;
	} f[HTTP_MAX_FIELDS];
	size_t	 nf;
};

static void
http_params_set(struct http_params *p, const struct conf *conf)
{
	struct guard_limits gl;

	free(p->token);
	guard_free(p->guard);
	memset(p, 0, sizeof(*p));
	gl.replies = conf->guard.replies;
	gl.window = conf->guard.window;
	gl.daily_budget = conf->guard.daily_budget;
	/* NULL when out of memory: guard_sender() then lets all through. */
	p->guard = guard_new(&gl, conf->guard.deny, conf->guard.ndeny);
	p->sms.max_parts = (size_t)conf->reply.max_parts;
	p->sms.latin_for_latin = conf->reply.latin_for_latin_senders;
	p->ussd.page_chars = (size_t)conf->ussd.page_chars;
	p->ussd.ucs2_page_chars = (size_t)conf->ussd.ucs2_page_chars;
	p->ttl = conf->session.ttl;
	session_set(p->default_lang, sizeof(p->default_lang),
	    conf->default_lang);
	p->token = conf->http.token != NULL ? strdup(conf->http.token) : NULL;
	p->max_request = (size_t)conf->http.max_request;
}

static int
http_hex(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Decode a form-encoded value in place: '+' is a space, %XX a byte. */
static void
http_unform(char *s)
{
	char	*w = s;
	int	 hi, lo;

	for (; *s != '\0'; s++) {
		if (*s == '+')
			*w++ = ' ';
		else if (*s == '%' && (hi = http_hex(s[1])) >= 0 &&
		    (lo = http_hex(s[2])) >= 0) {
			*w++ = (char)(hi * 16 + lo);
			s += 2;
		} else
			*w++ = *s;
	}
	*w = '\0';
}

/* Split an application/x-www-form-urlencoded body into fields. */
static void
http_parse_form(struct http_req *q)
{
	char	*p = q->body, *amp, *eq;

	while (p != NULL && *p != '\0' && q->nf < HTTP_MAX_FIELDS) {
		if ((amp = strchr(p, '&')) != NULL)
			*amp = '\0';
		if ((eq = strchr(p, '=')) != NULL) {
			*eq = '\0';
			http_unform(p);
			http_unform(eq + 1);
			q->f[q->nf].name = p;
			q->f[q->nf].value = eq + 1;
			q->nf++;
		}
		p = amp != NULL ? amp + 1 : NULL;
	}
}

/* A field from the form body, else from the URL, or NULL. */
static const char *
http_field(struct MHD_Connection *conn, const struct http_req *q,
    const char *name)
{
	size_t	 i;

	for (i = 0; i < q->nf; i++)
		if (strcmp(q->f[i].name, name) == 0)
			return q->f[i].value;
	return MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, name);
}

/* Compare without leaking where the first difference is. */
static int
http_token_ok(const char *want, const char *got)
{
	size_t		 i, lw, lg;
	unsigned char	 d;

	if (got == NULL)
		return 0;
	lw = strlen(want);
	lg = strlen(got);
	d = lw != lg;
	for (i = 0; i < lw; i++)
		d |= (unsigned char)want[i] ^ (unsigned char)got[i % (lg + 1)];
	return d == 0;
}

static enum MHD_Result
http_send(struct MHD_Connection *conn, unsigned int status, const char *body,
    int ucs2)
{
	struct MHD_Response	*resp;
	enum MHD_Result		 rv;

	resp = MHD_create_response_from_buffer(strlen(body), (void *)body,
	    MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/plain; charset=utf-8");
	if (ucs2)
		MHD_add_response_header(resp, "X-Kannel-Coding", "2");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW,
		    "GET, POST");
	rv = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return rv;
}

static enum MHD_Result
http_error(struct MHD_Connection *conn, unsigned int status, const char *msg)
{
	char	 buf[256];

	snprintf(buf, sizeof(buf), "%s\n", msg);
	log_info("http: %u %s", status, msg);
	return http_send(conn, status, buf, 0);
}

/* The sender's pseudonym and stored session; 0, or -1 on error. */
static int
http_session(struct http *h, const char *e164, time_t now,
    struct store_event *ev, struct store_session *ss, int *found)
{
	if (pseudo_get(h->pseudo, e164, now, ev->pseudonym) == -1)
		return -1;
	memset(ss, 0, sizeof(*ss));
	*found = store_session_get(h->store, ev->pseudonym, now, ss) == 1;
	memcpy(ss->pseudonym, ev->pseudonym, sizeof(ss->pseudonym));
	return 0;
}

/* POST /ussd; called with h->lock held. */
static enum MHD_Result
http_ussd(struct http *h, struct MHD_Connection *conn,
    const struct http_req *q)
{
	const char	*sid, *num, *path;
	struct answer_ussd u;
	struct store_event ev;
	struct store_session ss;
	char		 e164[PHONE_MAX], *body;
	size_t		 blen;
	time_t		 now = time(NULL);
	int		 found, start, save;
	enum MHD_Result	 rv;

	sid = http_field(conn, q, "sessionId");
	num = http_field(conn, q, "phoneNumber");
	path = http_field(conn, q, "text");
	if (sid == NULL || *sid == '\0' || num == NULL)
		return http_error(conn, MHD_HTTP_BAD_REQUEST,
		    "missing field: sessionId and phoneNumber are required");
	if (path == NULL)
		path = "";
	if (strlen(path) > HTTP_TEXT_MAX)
		return http_error(conn, MHD_HTTP_BAD_REQUEST,
		    "field 'text' is too long");
	if (phone_e164(e164, sizeof(e164), num) == -1)
		return http_error(conn, MHD_HTTP_BAD_REQUEST,
		    "field 'phoneNumber' is not a phone number");
	memset(&ev, 0, sizeof(ev));
	if (http_session(h, e164, now, &ev, &ss, &found) == -1)
		return http_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "cannot make a pseudonym");
	start = found && ss.lang[0] != '\0' ? content_lang(h->c, ss.lang) :
	    -1;
	if (start < 0)
		start = content_lang(h->c, h->p.default_lang);
	if (start < 0)
		start = 0;
	if (answer_ussd(&u, h->c, path, start, &h->p.ussd) == -1)
		return http_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "out of memory");
	ev.at = now;
	ev.channel = "ussd";
	ev.lang = h->c->langs[u.lang];
	ev.topic = u.topic->id;
	ev.match = u.match;
	ev.country = phone_country(e164);
	ev.parts = 0;
	ev.content_version = h->c->version;
	ev.checked = u.checked;
	/* The language is remembered when a session ends in another one. */
	save = u.end && u.lang != start;
	if (save) {
		session_set(ss.lang, sizeof(ss.lang), ev.lang);
		ss.expires_at = now + h->p.ttl;
	}
	if (store_process(h->store, 0, NULL, &ev, save ? &ss : NULL) == -1)
		log_warnx("http: ussd event not logged");
	log_info("answered ussd: topic %s, %s, match %s, %s", ev.topic,
	    ev.lang, ev.match, u.end ? "end" : "continues");
	blen = strlen(u.text) + 5;
	if ((body = malloc(blen)) == NULL) {
		answer_ussd_release(&u);
		return http_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "out of memory");
	}
	snprintf(body, blen, "%s %s", u.end ? "END" : "CON", u.text);
	rv = http_send(conn, MHD_HTTP_OK, body, 0);
	free(body);
	answer_ussd_release(&u);
	return rv;
}

/* GET or POST /sms; called with h->lock held. */
static enum MHD_Result
http_sms(struct http *h, struct MHD_Connection *conn,
    const struct http_req *q, const char *text)
{
	const char	*from;
	struct answer	 a;
	struct store_event ev;
	struct store_session ss;
	struct session	 sess;
	struct unmatched um;
	char		 e164[PHONE_MAX], *body;
	time_t		 now = time(NULL);
	int		 found, rc;
	enum guard_verdict verdict;
	enum MHD_Result	 rv;

	from = http_field(conn, q, "from");
	if (from == NULL)
		from = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		    "X-Kannel-From");
	if (text == NULL)
		text = http_field(conn, q, "text");
	if (from == NULL || text == NULL)
		return http_error(conn, MHD_HTTP_BAD_REQUEST,
		    "missing field: from and text are required");
	if (strlen(text) > HTTP_TEXT_MAX)
		return http_error(conn, MHD_HTTP_BAD_REQUEST,
		    "field 'text' is too long");
	/*
	 * A name or a short code is logged under a pseudonym of what was
	 * given and answered with nothing: an error status would make
	 * Kannel reply "Could not fetch content" to an auto-responder.
	 */
	if (phone_e164(e164, sizeof(e164), from) == -1)
		snprintf(e164, sizeof(e164), "%s", from);
	verdict = guard_sender(h->p.guard, from);
	memset(&ev, 0, sizeof(ev));
	if (http_session(h, e164, now, &ev, &ss, &found) == -1)
		return http_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "cannot make a pseudonym");
	if (verdict == GUARD_OK && h->p.guard != NULL &&
	    (rc = store_guard_take(h->store, ev.pseudonym, now,
	    guard_since(h->p.guard, now), guard_day(now), guard_allow,
	    h->p.guard)) > 0)
		verdict = (enum guard_verdict)rc;
	if (found)
		session_load(&sess, &ss);
	else
		session_clear(&sess);
	if (answer_make(&a, h->c, h->r, text, &sess, &h->p.sms) == -1)
		return http_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "out of memory");
	session_save(&sess, &ss);
	ss.expires_at = sess.forget ? 0 : now + h->p.ttl;
	ev.at = now;
	ev.channel = "sms-http";
	ev.lang = a.lang;
	ev.topic = a.route.topic->id;
	ev.match = verdict != GUARD_OK ? "guarded" : answer_match(&a);
	ev.country = phone_country(e164);
	ev.parts = verdict != GUARD_OK ? 0 : (int)a.reply.nparts;
	ev.content_version = h->c->version;
	ev.checked = verdict == GUARD_OK ? a.checked : NULL;
	if (strcmp(ev.match, route_match_name(ROUTE_NONE)) == 0) {
		ev.nwords = unmatched_words(&um, text);
		ev.words = um.list;
	}
	/* As habard: a withheld reply moves no page; STOP still forgets. */
	if (store_process(h->store, 0, NULL, &ev, verdict == GUARD_OK ||
	    sess.forget ? &ss : NULL) == -1)
		log_warnx("http: sms event not logged");
	if (verdict != GUARD_OK) {
		log_info("answered sms-http: topic %s, %s, no reply: %s",
		    ev.topic, ev.lang, guard_strerror(verdict));
		answer_release(&a);
		/* Empty: Kannel sends nothing with omit-empty = true. */
		return http_send(conn, MHD_HTTP_OK, "", 0);
	}
	log_info("answered sms-http: topic %s, %s, match %s (%s), %zu "
	    "part(s)", ev.topic, ev.lang, ev.match,
	    route_why_name(a.route.why), a.reply.nparts);
	if ((body = reply_join(&a.reply)) == NULL) {
		answer_release(&a);
		return http_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "out of memory");
	}
	rv = http_send(conn, MHD_HTTP_OK, body,
	    a.reply.coding == REPLY_UCS2);
	free(body);
	answer_release(&a);
	return rv;
}

/* The whole request has arrived: check it and answer. */
static enum MHD_Result
http_answer(struct http *h, struct MHD_Connection *conn, const char *url,
    const char *method, struct http_req *q)
{
	const char	*ctype, *tok, *text = NULL;
	int		 post = strcmp(method, MHD_HTTP_METHOD_POST) == 0;
	int		 get = strcmp(method, MHD_HTTP_METHOD_GET) == 0;
	int		 ussd = strcmp(url, "/ussd") == 0;
	enum MHD_Result	 rv;

	if (!ussd && strcmp(url, "/sms") != 0)
		return http_error(conn, MHD_HTTP_NOT_FOUND,
		    "not found: the endpoints are POST /ussd and GET or "
		    "POST /sms");
	if (!post && !get)
		return http_error(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
		    "method not allowed: use GET or POST");
	if (q->toobig)
		return http_error(conn, MHD_HTTP_CONTENT_TOO_LARGE,
		    "request body too large");
	ctype = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_TYPE);
	if (post && q->body != NULL) {
		if (ctype == NULL || strncmp(ctype,
		    "application/x-www-form-urlencoded", 33) == 0)
			http_parse_form(q);
		else if (!ussd && strncmp(ctype, "text/plain", 10) == 0)
			text = q->body;
		else
			return http_error(conn,
			    MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported "
			    "Content-Type: send a form "
			    "(application/x-www-form-urlencoded)");
	}
	pthread_mutex_lock(&h->lock);
	if (h->p.token != NULL) {
		tok = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		    "X-Habar-Token");
		if (tok == NULL)
			tok = http_field(conn, q, "token");
		if (!http_token_ok(h->p.token, tok)) {
			pthread_mutex_unlock(&h->lock);
			return http_error(conn, MHD_HTTP_FORBIDDEN,
			    "forbidden: missing or wrong token");
		}
	}
	rv = ussd ? http_ussd(h, conn, q) : http_sms(h, conn, q, text);
	pthread_mutex_unlock(&h->lock);
	return rv;
}

static enum MHD_Result
http_handler(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct http	*h = cls;
	struct http_req	*q = *con_cls;
	const char	*cl;
	char		*nb;

	(void)version;
	if (q == NULL) {
		if ((q = calloc(1, sizeof(*q))) == NULL)
			return MHD_NO;
		*con_cls = q;
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl != NULL && strtoull(cl, NULL, 10) > h->p.max_request)
			q->toobig = 1;
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (!q->toobig && q->len + *upload_size <= h->p.max_request) {
			if ((nb = realloc(q->body, q->len + *upload_size +
			    1)) == NULL)
				return MHD_NO;
			q->body = nb;
			memcpy(q->body + q->len, upload, *upload_size);
			q->len += *upload_size;
			q->body[q->len] = '\0';
		} else
			q->toobig = 1;
		*upload_size = 0;
		return MHD_YES;
	}
	return http_answer(h, conn, url, method, q);
}

static void
http_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct http_req	*q = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (q == NULL)
		return;
	free(q->body);
	free(q);
	*con_cls = NULL;
}

static void
http_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char	 buf[512];
	size_t	 n;

	(void)cls;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	log_warnx("http: %s", buf);
}

/* http_start(), listening unless unbound (the fuzzer's). */
static struct http *
http_start_mode(const struct conf *conf, enum pseudo_epoch epoch,
    const struct content *c, const struct route *r, int unbound)
{
	struct http		*h;
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;
	struct sockaddr		*sa;
	unsigned int		 flags = MHD_USE_INTERNAL_POLLING_THREAD |
				    MHD_USE_ERROR_LOG;
	sigset_t		 all, old;

	if ((h = calloc(1, sizeof(*h))) == NULL) {
		log_warn("http");
		return NULL;
	}
	if (unbound)
		flags |= MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC;
	memset(&sin, 0, sizeof(sin));
	memset(&sin6, 0, sizeof(sin6));
	if (inet_pton(AF_INET, conf->http.listen, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)conf->http.port);
		sa = (struct sockaddr *)&sin;
	} else if (inet_pton(AF_INET6, conf->http.listen,
	    &sin6.sin6_addr) == 1) {
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons((uint16_t)conf->http.port);
		sa = (struct sockaddr *)&sin6;
		flags |= MHD_USE_IPv6;
	} else {
		log_warnx("http: listen address '%s' is not an IPv4 or IPv6 "
		    "address", conf->http.listen);
		free(h);
		return NULL;
	}
	pthread_mutex_init(&h->lock, NULL);
	http_params_set(&h->p, conf);
	h->c = c;
	h->r = r;
	if ((h->store = store_open(conf->database)) == NULL ||
	    (h->pseudo = pseudo_open(conf->pseudonym.key_dir, epoch)) ==
	    NULL) {
		http_stop(h);
		return NULL;
	}
	/* Signals are the main thread's: its wait returns on them. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	h->d = MHD_start_daemon(flags, (uint16_t)conf->http.port, NULL, NULL,
	    http_handler, h,
	    MHD_OPTION_EXTERNAL_LOGGER, http_mhd_log, h,
	    MHD_OPTION_SOCK_ADDR, sa,
	    MHD_OPTION_NOTIFY_COMPLETED, http_completed, h,
	    MHD_OPTION_CONNECTION_LIMIT,
	    (unsigned int)conf->http.max_connections,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)conf->http.timeout,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT,
	    (size_t)conf->http.max_request + 8192,
	    MHD_OPTION_END);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (h->d == NULL) {
		log_warnx("http: cannot listen on %s port %d",
		    conf->http.listen, conf->http.port);
		http_stop(h);
		return NULL;
	}
	if (!unbound)
		log_info("http: listening on %s port %d (/ussd, /sms)%s",
		    conf->http.listen, conf->http.port, h->p.token != NULL ?
		    ", token required" : "");
	return h;
}

struct http *
http_start(const struct conf *conf, enum pseudo_epoch epoch,
    const struct content *c, const struct route *r)
{
	return http_start_mode(conf, epoch, c, r, 0);
}

struct http *
http_start_unbound(const struct conf *conf, enum pseudo_epoch epoch,
    const struct content *c, const struct route *r)
{
	return http_start_mode(conf, epoch, c, r, 1);
}

int
http_add_connection(struct http *h, int fd)
{
	struct sockaddr_in	 sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (MHD_add_connection(h->d, fd, (struct sockaddr *)&sin,
	    sizeof(sin)) != MHD_YES) {
		log_warnx("http: cannot add a connection");
		return -1;
	}
	return 0;
}

void
http_set_content(struct http *h, const struct content *c,
    const struct route *r)
{
	if (h == NULL)
		return;
	pthread_mutex_lock(&h->lock);
	h->c = c;
	h->r = r;
	pthread_mutex_unlock(&h->lock);
}

void
http_set_conf(struct http *h, const struct conf *conf)
{
	if (h == NULL)
		return;
	pthread_mutex_lock(&h->lock);
	http_params_set(&h->p, conf);
	pthread_mutex_unlock(&h->lock);
}

void
http_stop(struct http *h)
{
	if (h == NULL)
		return;
	if (h->d != NULL)
		MHD_stop_daemon(h->d);
	if (h->store != NULL)
		store_close(h->store);
	if (h->pseudo != NULL)
		pseudo_close(h->pseudo);
	free(h->p.token);
	guard_free(h->p.guard);
	pthread_mutex_destroy(&h->lock);
	free(h);
}
