/*
 * store.h - the SQLite database: durable inbox, outbox, demand events.
 * The only module that includes <sqlite3.h>.
 *
 * Privacy rule this module enforces: a plaintext phone number lives only
 * in inbox and outbox rows; when the queues drain, the WAL is truncated
 * and, with secure_delete on, no number is left in db, -wal or -shm.
 */
#ifndef HABAR_STORE_H
#define HABAR_STORE_H

#include <stddef.h>
#include <stdint.h>

#define STORE_PSEUDO_LEN	16
#define STORE_NUMBER_MAX	32	/* bytes of a number, NUL included */
#define STORE_PART_SEP		'\x1f'	/* between parts in an outbox body */

struct store;

/* An inbound message waiting to be answered. */
struct store_msg {
	int64_t	 id;			/* set by the store */
	char	 channel[16];		/* "sms", ... */
	int64_t	 received_at;		/* unix time */
	char	 sender[STORE_NUMBER_MAX];	/* E.164 or as received */
	char	*text;			/* UTF-8; owned, see store_msg_release */
};

/* A reply waiting to be sent. */
struct store_out {
	int64_t	 id;			/* set by the store */
	int64_t	 inbox_id;
	char	 recipient[STORE_NUMBER_MAX];
	char	*body;		/* parts joined by STORE_PART_SEP; owned */
	int	 parts;
	int	 ucs2;		/* 1: UCS-2, 0: GSM-7 */
	int	 tries;
	int64_t	 next_try_at;
};

/* One row of the demand log.  Strings are borrowed. */
struct store_event {
	int64_t		 at;		/* unix time; stored as its hour */
	const char	*channel;
	const char	*lang;
	const char	*topic;
	const char	*match;		/* exact/phrase/word/fuzzy/menu/none/... */
	const char	*country;	/* ISO 3166 alpha-2, or "ZZ" */
	int		 parts;
	unsigned char	 pseudonym[STORE_PSEUDO_LEN];
	const char	*content_version;
};

/*
 * A sender's conversation state, keyed by pseudonym, never by number:
 * the language they use, the menu they last saw, the page they read.
 */
struct store_session {
	unsigned char	 pseudonym[STORE_PSEUDO_LEN];
	char		 lang[8];	/* language code, "" when unknown */
	char		 menu[32];	/* menu last shown, "" for none */
	char		 topic[64];	/* topic being paged, "" for none */
	int		 page;		/* next page of that topic */
	int64_t		 expires_at;	/* 0 with store_process: forget */
};

/*
 * Open (creating and migrating as needed) the database at path: WAL,
 * secure_delete, busy timeout.  Returns NULL after logging why.
 */
struct store	*store_open(const char *path)
		    __attribute__((warn_unused_result));
void		 store_close(struct store *);

/*
 * Add n inbound messages in one transaction committed with fsync
 * (synchronous=FULL) before returning 0; ids are set in msgs[].
 * Only after this returns 0 may the messages leave the phone.
 */
int	 store_inbox_add(struct store *, struct store_msg *msgs, size_t n)
	    __attribute__((warn_unused_result));

/*
 * The oldest inbox row with id > after, into *out (text to release with
 * store_msg_release).  Returns 1 when found, 0 when none, -1 on error.
 */
int	 store_inbox_next(struct store *, int64_t after, struct store_msg *out)
	    __attribute__((warn_unused_result));

/*
 * In one transaction: queue reply (may be NULL: nothing to send), add the
 * event (may be NULL), save the session (may be NULL; expires_at 0
 * deletes it), delete inbox row inbox_id (0: a message that never was in
 * the inbox, as on the HTTP channel).  Returns 0 or -1.
 */
int	 store_process(struct store *, int64_t inbox_id,
	    const struct store_out *reply, const struct store_event *ev,
	    const struct store_session *sess)
	    __attribute__((warn_unused_result));

/*
 * The unexpired session of pseudonym at now into *out.  Returns 1 when
 * found, 0 when none, -1 on error.
 */
int	 store_session_get(struct store *,
	    const unsigned char pseudonym[STORE_PSEUDO_LEN], int64_t now,
	    struct store_session *out)
	    __attribute__((warn_unused_result));

/* Delete sessions that expired before now.  Returns 0 or -1. */
int	 store_session_expire(struct store *, int64_t now)
	    __attribute__((warn_unused_result));

/*
 * The oldest outbox row due at now (next_try_at <= now), into *out
 * (release with store_out_release).  Returns 1, 0 when none, -1.
 */
int	 store_outbox_next(struct store *, int64_t now, struct store_out *out)
	    __attribute__((warn_unused_result));

/* The reply was sent: delete its row (and with it the number). */
int	 store_outbox_sent(struct store *, int64_t id)
	    __attribute__((warn_unused_result));

/*
 * The send failed: count a try and schedule the next at next_try_at, or
 * when tries reach max_tries delete the row and log ev (may be NULL)
 * in the same transaction.  Returns 0 or -1.
 */
int	 store_outbox_failed(struct store *, int64_t id, int64_t next_try_at,
	    int max_tries, const struct store_event *ev)
	    __attribute__((warn_unused_result));

/* Rows waiting in inbox and outbox; -1 on error. */
int64_t	 store_pending(struct store *);

/*
 * When inbox and outbox are both empty, checkpoint the WAL with
 * TRUNCATE so no deleted number survives in it.  Returns 0 or -1.
 */
int	 store_idle_checkpoint(struct store *)
	    __attribute__((warn_unused_result));

void	 store_msg_release(struct store_msg *);
void	 store_out_release(struct store_out *);

#endif
