/*
 * http.c - the HTTP channel, on a libmicrohttpd thread pool (epoll).
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
 * Both are answered by serve.c like SMS (channels "ussd" and
 * "sms-http", each with its own guard counters), under the same
 * pseudonyms, through a store handle and a pseudonym key of the HTTP
 * channel's own, shared by its answering threads through serve's lock;
 * their demand records share commits (serve's group window).
 *
 * A pool of threads (epoll on Linux) answers; one address may hold at
 * most http.max_per_address connections, and a request must arrive
 * whole within http.deadline seconds of its first byte (a janitor
 * thread shuts the socket of one that does not: a slow-loris trickling
 * headers is idle never long enough for the idle timeout).  A body over
 * http.max_request gets 413 at once and the connection is closed.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "http.h"
#include "log.h"
#include "phone.h"
#include "serve.h"
#include "store.h"

#define HTTP_MAX_FIELDS	16		/* form fields read from a body */
#define HTTP_TEXT_MAX	1024		/* bytes of "text" answered */

#define HTTP_GROUP_MS	5		/* records a commit may group */
#define HTTP_JANITOR_MS	250		/* deadline checks */
#define HTTP_ENDED	INT64_MAX	/* start_ms: shut down already */

/*
 * The settings a request reads, copied from the conf.  The token is
 * copied into the struct: no allocation can fail and leave it unset
 * (which would let every request through).
 */
struct http_params {
	char			 token[CONF_TOKEN_MAX + 1];
	int			 has_token;
	size_t			 max_request;
};

/* A connection the janitor watches: a dup of its socket. */
struct http_conn {
	int			 fd;		/* -1: slot free */
	int64_t			 start_ms;	/* its request began */
};

struct http {
	struct MHD_Daemon	*d;
	pthread_rwlock_t	 plock;	/* guards p */
	struct http_params	 p;
	struct serve		*serve;
	struct store		*store;	/* the channel's own */
	struct pseudo		*pseudo;
	pthread_mutex_t		 clock;	/* guards conns, stop */
	pthread_cond_t		 cwake;
	struct http_conn	*conns;
	size_t			 nconns;
	int64_t			 deadline_ms;
	int			 stop;
	int			 janitor;	/* started */
	pthread_t		 jthread;
};

/* One request: its body, read up to the limit. */
struct http_req {
	char	*body;
	size_t	 len;
	size_t	 max;		/* http.max_request when it began */
	int	 toobig;
	int	 started;	/* some of the body has come */
	struct {
		char	*name, *value;
	} f[HTTP_MAX_FIELDS];
	size_t	 nf;
};

static void
http_params_set(struct http_params *p, const struct conf *conf)
{
	memset(p, 0, sizeof(*p));
	if (conf->http.token != NULL) {
		/* conf.c refuses a longer one; cut, it would never match */
		snprintf(p->token, sizeof(p->token), "%s", conf->http.token);
		p->has_token = 1;
	}
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

/* POST /ussd. */
static enum MHD_Result
http_ussd(struct http *h, struct MHD_Connection *conn,
    const struct http_req *q)
{
	const char	*sid, *num, *path;
	struct serve_screen sc;
	char		 e164[PHONE_MAX], *body;
	size_t		 blen;
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
	if (serve_ussd(h->serve, e164, path, time(NULL), &sc) == -1)
		return http_error(conn, MHD_HTTP_SERVICE_UNAVAILABLE,
		    "cannot answer now: see the gateway's log");
	if (sc.verdict != GUARD_OK)
		return http_error(conn, MHD_HTTP_TOO_MANY_REQUESTS,
		    "too many requests: try again later");
	blen = strlen(sc.ussd.text) + 5;
	if ((body = malloc(blen)) == NULL) {
		serve_screen_release(&sc);
		return http_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "out of memory");
	}
	snprintf(body, blen, "%s %s", sc.ussd.end ? "END" : "CON",
	    sc.ussd.text);
	rv = http_send(conn, MHD_HTTP_OK, body, 0);
	free(body);
	serve_screen_release(&sc);
	return rv;
}

/* GET or POST /sms. */
static enum MHD_Result
http_sms(struct http *h, struct MHD_Connection *conn,
    const struct http_req *q, const char *text)
{
	struct serve_sms in;
	struct serve_reply out;
	const char	*from;
	char		*body;
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
	memset(&in, 0, sizeof(in));
	in.channel = SERVE_SMS_HTTP;
	in.sender = from;
	in.text = text;
	in.at = time(NULL);
	if (serve_sms(h->serve, &in, &out) == -1)
		return http_error(conn, MHD_HTTP_SERVICE_UNAVAILABLE,
		    "cannot answer now: see the gateway's log");
	/*
	 * Nothing to send (a name, a short code, a guard): an empty body,
	 * which Kannel sends as nothing with omit-empty = true; an error
	 * status would make it reply "Could not fetch content".
	 */
	if (!out.send) {
		serve_reply_release(&out);
		return http_send(conn, MHD_HTTP_OK, "", 0);
	}
	if ((body = reply_join(&out.answer.reply)) == NULL) {
		serve_reply_release(&out);
		return http_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "out of memory");
	}
	rv = http_send(conn, MHD_HTTP_OK, body,
	    out.answer.reply.coding == REPLY_UCS2);
	free(body);
	serve_reply_release(&out);
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
	int		 ok;

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
	tok = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    "X-Habar-Token");
	if (tok == NULL)
		tok = http_field(conn, q, "token");
	pthread_rwlock_rdlock(&h->plock);
	ok = !h->p.has_token || http_token_ok(h->p.token, tok);
	pthread_rwlock_unlock(&h->plock);
	if (!ok)
		return http_error(conn, MHD_HTTP_FORBIDDEN,
		    "forbidden: missing or wrong token");
	return ussd ? http_ussd(h, conn, q) : http_sms(h, conn, q, text);
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
		pthread_rwlock_rdlock(&h->plock);
		q->max = h->p.max_request;
		pthread_rwlock_unlock(&h->plock);
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl != NULL && strtoull(cl, NULL, 10) > q->max)
			q->toobig = 1;
		else
			return MHD_YES;
	}
	if (*upload_size > 0 && !q->toobig) {
		q->started = 1;
		if (q->len + *upload_size <= q->max) {
			if ((nb = realloc(q->body, q->len + *upload_size +
			    1)) == NULL)
				return MHD_NO;
			q->body = nb;
			memcpy(q->body + q->len, upload, *upload_size);
			q->len += *upload_size;
			q->body[q->len] = '\0';
			*upload_size = 0;
			return MHD_YES;
		}
		q->toobig = 1;
	}
	/*
	 * Too large: never read the rest.  A declared length gets 413
	 * before the body; a chunked body found too large on the way is
	 * cut off at once (libmicrohttpd takes no response in mid-body).
	 */
	if (q->toobig && *upload_size == 0 && !q->started)
		return http_error(conn, MHD_HTTP_CONTENT_TOO_LARGE,
		    "request body too large");
	if (q->toobig) {
		log_info("http: 413 request body too large: connection "
		    "closed");
		return MHD_NO;
	}
	return http_answer(h, conn, url, method, q);
}

/* The janitor's slot of a connection, or NULL. */
static struct http_conn *
http_conn_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci != NULL ? ci->socket_context : NULL;
}

static int64_t
http_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
http_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct http	*h = cls;
	struct http_req	*q = *con_cls;
	struct http_conn *hc;

	(void)toe;
	/* The next request on this connection has a deadline of its own. */
	if ((hc = http_conn_of(conn)) != NULL) {
		pthread_mutex_lock(&h->clock);
		if (hc->fd != -1 && hc->start_ms != HTTP_ENDED)
			hc->start_ms = http_ms();
		pthread_mutex_unlock(&h->clock);
	}
	if (q == NULL)
		return;
	free(q->body);
	free(q);
	*con_cls = NULL;
}

/*
 * A connection starts or ends.  The janitor keeps a duplicate of its
 * socket: shutting that down ends the connection, and since the
 * duplicate is closed only here, at the end, it can never name another
 * connection's socket.
 */
static void
http_conn_notify(void *cls, struct MHD_Connection *conn,
    void **socket_context, enum MHD_ConnectionNotificationCode code)
{
	struct http	*h = cls;
	struct http_conn *hc = *socket_context;
	const union MHD_ConnectionInfo *ci;
	size_t		 i;
	int		 fd;

	if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		if (hc == NULL)
			return;
		pthread_mutex_lock(&h->clock);
		close(hc->fd);
		hc->fd = -1;
		pthread_mutex_unlock(&h->clock);
		*socket_context = NULL;
		return;
	}
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (ci == NULL || (fd = fcntl(ci->connect_fd, F_DUPFD_CLOEXEC, 0)) ==
	    -1)
		return;		/* unwatched: the idle timeout still holds */
	pthread_mutex_lock(&h->clock);
	for (i = 0; i < h->nconns && h->conns[i].fd != -1; i++)
		;
	if (i < h->nconns) {
		h->conns[i].fd = fd;
		h->conns[i].start_ms = http_ms();
		*socket_context = &h->conns[i];
	} else
		close(fd);
	pthread_mutex_unlock(&h->clock);
}

/* Every HTTP_JANITOR_MS: end the requests past their deadline. */
static void *
http_janitor(void *arg)
{
	struct http	*h = arg;
	struct timespec	 ts;
	int64_t		 now;
	size_t		 i, n;

	pthread_mutex_lock(&h->clock);
	while (!h->stop) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += HTTP_JANITOR_MS * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		(void)pthread_cond_timedwait(&h->cwake, &h->clock, &ts);
		now = http_ms();
		for (i = 0, n = 0; i < h->nconns; i++) {
			if (h->conns[i].fd == -1 ||
			    h->conns[i].start_ms == HTTP_ENDED ||
			    now - h->conns[i].start_ms < h->deadline_ms)
				continue;
			(void)shutdown(h->conns[i].fd, SHUT_RDWR);
			/* once: from now on it is the library's to close */
			h->conns[i].start_ms = HTTP_ENDED;
			n++;
		}
		if (n > 0)
			log_info("http: %zu connection(s) closed: request not "
			    "whole within %lld s", n,
			    (long long)(h->deadline_ms / 1000));
	}
	pthread_mutex_unlock(&h->clock);
	return NULL;
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
	unsigned int		 flags = MHD_USE_ERROR_LOG;
	size_t			 i;
	sigset_t		 all, old;

#ifdef __linux__
	flags |= MHD_USE_EPOLL_INTERNAL_THREAD;
#else
	flags |= MHD_USE_POLL_INTERNAL_THREAD;
#endif
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
	pthread_rwlock_init(&h->plock, NULL);
	pthread_mutex_init(&h->clock, NULL);
	pthread_cond_init(&h->cwake, NULL);
	http_params_set(&h->p, conf);
	h->deadline_ms = (int64_t)conf->http.deadline * 1000;
	/* The library's limit, and a few closing while others open. */
	h->nconns = (size_t)conf->http.max_connections + 8;
	if ((h->conns = calloc(h->nconns, sizeof(*h->conns))) == NULL) {
		log_warn("http");
		http_stop(h);
		return NULL;
	}
	for (i = 0; i < h->nconns; i++)
		h->conns[i].fd = -1;
	if ((h->store = store_open(conf->database)) == NULL ||
	    (h->pseudo = pseudo_open(conf->pseudonym.key_dir, epoch)) ==
	    NULL || (h->serve = serve_new(conf, h->store, h->pseudo,
	    HTTP_GROUP_MS)) == NULL) {
		http_stop(h);
		return NULL;
	}
	serve_set_content(h->serve, c, r);
	/* Signals are the main thread's: its wait returns on them. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	if (pthread_create(&h->jthread, NULL, http_janitor, h) == 0)
		h->janitor = 1;
	else
		log_warnx("http: cannot start the deadline thread");
	h->d = MHD_start_daemon(flags, (uint16_t)conf->http.port, NULL, NULL,
	    http_handler, h,
	    MHD_OPTION_EXTERNAL_LOGGER, http_mhd_log, h,
	    MHD_OPTION_SOCK_ADDR, sa,
	    MHD_OPTION_NOTIFY_COMPLETED, http_completed, h,
	    MHD_OPTION_NOTIFY_CONNECTION, http_conn_notify, h,
	    MHD_OPTION_CONNECTION_LIMIT,
	    (unsigned int)conf->http.max_connections,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT,
	    (unsigned int)conf->http.max_per_address,
	    MHD_OPTION_THREAD_POOL_SIZE,
	    (unsigned int)(unbound ? 1 : conf->http.threads),
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)conf->http.timeout,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT,
	    (size_t)conf->http.max_request + 8192,
	    MHD_OPTION_END);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (h->d == NULL || !h->janitor) {
		log_warnx("http: cannot listen on %s port %d",
		    conf->http.listen, conf->http.port);
		http_stop(h);
		return NULL;
	}
	if (unbound)
		return h;
	log_info("http: listening on %s port %d (/ussd, /sms), %d "
	    "threads%s", conf->http.listen, conf->http.port,
	    conf->http.threads, h->p.has_token ? ", token required" : "");
	if (!h->p.has_token)
		log_warnx("http: WARNING: no http.token: any program on this "
		    "machine can make habar answer any number and spend the "
		    "HTTP channel's daily budget; set http.token");
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
	serve_set_content(h->serve, c, r);
}

int
http_set_conf(struct http *h, const struct conf *conf)
{
	if (h == NULL)
		return 0;
	if (serve_set_conf(h->serve, conf) == -1)
		return -1;
	pthread_rwlock_wrlock(&h->plock);
	http_params_set(&h->p, conf);
	pthread_rwlock_unlock(&h->plock);
	return 0;
}

void
http_stop(struct http *h)
{
	size_t	 i;

	if (h == NULL)
		return;
	if (h->d != NULL)
		MHD_stop_daemon(h->d);
	if (h->janitor) {
		pthread_mutex_lock(&h->clock);
		h->stop = 1;
		pthread_cond_signal(&h->cwake);
		pthread_mutex_unlock(&h->clock);
		pthread_join(h->jthread, NULL);
	}
	serve_free(h->serve);
	if (h->store != NULL)
		store_close(h->store);
	if (h->pseudo != NULL)
		pseudo_close(h->pseudo);
	for (i = 0; h->conns != NULL && i < h->nconns; i++)
		if (h->conns[i].fd != -1)
			close(h->conns[i].fd);
	free(h->conns);
	pseudo_wipe(h->p.token, sizeof(h->p.token));
	pthread_cond_destroy(&h->cwake);
	pthread_mutex_destroy(&h->clock);
	pthread_rwlock_destroy(&h->plock);
	free(h);
}
