/*
 * http.h - the HTTP channel: USSD callbacks from an operator's or an
 * aggregator's gateway (POST /ussd) and Kannel's sms-service get-url
 * (GET or POST /sms), answered synchronously from the live content in a
 * thread of its own.  The only module that includes <microhttpd.h>.
 */
#ifndef HABAR_HTTP_H
#define HABAR_HTTP_H

#include "conf.h"
#include "content.h"
#include "pseudo.h"
#include "route.h"

struct http;

/*
 * Listen on conf->http.listen:port and serve from content c and router
 * r (borrowed until http_set_content() hands over new ones), logging to
 * the database with a store handle and a pseudonym key of its own (the
 * pseudonyms equal the SMS ones).  The settings it uses are copied.
 * Returns NULL after logging why.  Stop with http_stop().
 */
struct http	*http_start(const struct conf *conf,	/* http, reply, ... */
		    enum pseudo_epoch epoch,		/* pseudonym epoch */
		    const struct content *c,		/* live content */
		    const struct route *r)		/* its router */
		    __attribute__((warn_unused_result));

/*
 * Serve from c and r from now on.  Waits for a request being answered
 * from the old set to finish: once this returns, the caller may free
 * the old set.  Call it before freeing the old content on a reload.
 */
void		 http_set_content(struct http *, const struct content *c,
		    const struct route *r);

/*
 * Take over the reloadable settings of a new conf (copied).  Returns 0,
 * or -1 (logged) keeping the old ones.
 */
int		 http_set_conf(struct http *, const struct conf *conf)
		    __attribute__((warn_unused_result));

/*
 * For the fuzzer and tests: like http_start(), but on no socket: the
 * connections come from http_add_connection(), which serves the
 * connected socket fd (taken over) as a client on the loopback.
 */
struct http	*http_start_unbound(const struct conf *conf,
		    enum pseudo_epoch epoch, const struct content *c,
		    const struct route *r)
		    __attribute__((warn_unused_result));
int		 http_add_connection(struct http *, int fd)
		    __attribute__((warn_unused_result));

/* Stop listening, finish the requests under way, free everything. */
void		 http_stop(struct http *);

#endif
