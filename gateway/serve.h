/*
 * serve.h - one message in, a reply and a record out, for every
 * channel: the sender's pseudonym, the session, the guard with the
 * channel's own counters, the answer (SMS parts or a USSD screen), the
 * demand event with the words of an unanswered message, all in one
 * store transaction.  habard's modem loop, the HTTP channel and the
 * benchmark are transports around it.  Thread-safe: the HTTP channel's
 * answering threads share one.
 */
#ifndef HABAR_SERVE_H
#define HABAR_SERVE_H

#include <stdbool.h>
#include <stdint.h>

#include "answer.h"
#include "conf.h"
#include "guard.h"
#include "pseudo.h"
#include "store.h"

/* The channels, each with its own guard counters and budget. */
enum serve_channel {
	SERVE_SMS,		/* the modem: "sms" */
	SERVE_SMS_HTTP,		/* Kannel over /sms: "sms-http" */
	SERVE_USSD,		/* /ussd: "ussd" */
	SERVE_NCHANNELS
};

struct serve;

/*
 * A server on store st and pseudonym keys ps (both borrowed: the caller
 * closes them after serve_free(), and uses them only through this
 * server meanwhile when it is shared by threads), with the settings of
 * conf (copied) and no content yet.  group_ms 0 commits every message
 * in its own transaction before serve_sms() returns, as the modem's
 * SMS need; more lets the records of messages answered close together
 * share one commit, held open at most group_ms while others are being
 * answered: a crash may lose that much of the demand log, never a
 * queued reply, and nothing in the inbox.  Returns NULL after logging.
 */
struct serve	*serve_new(const struct conf *conf, struct store *st,
		    struct pseudo *ps, int group_ms)
		    __attribute__((warn_unused_result));

/*
 * Take the reloadable settings of conf (copied).  Returns 0, or -1
 * (logged) keeping the old ones.
 */
int		 serve_set_conf(struct serve *, const struct conf *conf)
		    __attribute__((warn_unused_result));

/*
 * Answer from content c and router r (borrowed) from now on.  Waits for
 * the messages being answered from the old set: once it returns, the
 * caller may free the old set.
 */
void		 serve_set_content(struct serve *, const struct content *c,
		    const struct route *r);

/* Commit the records left grouped (before a stop).  Returns 0 or -1. */
int		 serve_flush(struct serve *)
		    __attribute__((warn_unused_result));

/*
 * Delete the sessions expired at now, as every pass of the main loop
 * does (a flood of spoofed senders leaves none for long).  Returns 0
 * or -1 (logged).
 */
int		 serve_expire(struct serve *, int64_t now);

void		 serve_free(struct serve *);

/* An SMS to answer (strings borrowed). */
struct serve_sms {
	enum serve_channel channel;	/* SERVE_SMS or SERVE_SMS_HTTP */
	const char	*sender;	/* as the network gave it */
	const char	*text;		/* UTF-8, may be invalid */
	int64_t		 at;		/* received, unix time */
	int64_t		 inbox_id;	/* its inbox row, deleted with the
					 * record; 0 for none */
	bool		 queue;		/* the reply goes to the outbox */
};

/* What serve_sms() decided. */
struct serve_reply {
	struct answer	 answer;	/* the parts: answer.reply */
	bool		 send;		/* a reply to send (or queued) */
	enum guard_verdict verdict;	/* GUARD_OK, or why not */
};

/*
 * Answer m: pseudonym, session, answer, guard (the reply's SMS parts
 * count against the channel's daily budget), and in one transaction
 * the event (with the words of an unanswered message), the session and,
 * with m->queue, the reply in the outbox; m->inbox_id's row is deleted
 * in it.  A reply not sent leaves the session as it was; STOP forgets
 * all the same.  Fills *out (release with serve_reply_release();
 * pointers into the content in it are valid until the next
 * serve_set_content()).  Returns 0, or -1 after logging: no pseudonym,
 * the guard's counts or the database failing, memory; then nothing is
 * recorded and no reply may go out (fail closed).
 */
int		 serve_sms(struct serve *, const struct serve_sms *m,
		    struct serve_reply *out)
		    __attribute__((warn_unused_result));
void		 serve_reply_release(struct serve_reply *);

/* What serve_ussd() decided. */
struct serve_screen {
	struct answer_ussd ussd;	/* the screen, when verdict is OK */
	enum guard_verdict verdict;	/* GUARD_OK, or why not */
};

/*
 * Answer a USSD request of number (E.164) at the end of path (the
 * choices so far, "1*99"), at now: the per-number and daily request
 * limits of the USSD channel first (a request over them records
 * nothing), then the screen, its event and, when a session ends in
 * another language, that language.  Fills *out (release with
 * serve_screen_release()).  Returns 0, or -1 after logging.
 */
int		 serve_ussd(struct serve *, const char *number,
		    const char *path, int64_t now, struct serve_screen *out)
		    __attribute__((warn_unused_result));
void		 serve_screen_release(struct serve_screen *);

/* "sms", "sms-http", "ussd": the events' and the guard's channel. */
const char	*serve_channel_name(enum serve_channel);

#endif
