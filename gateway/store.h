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

#include "session.h"

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
	char	*const *part;	/* to queue: the parts, when body is NULL */
	size_t	 nparts;	/* (borrowed; the store joins them) */
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
	const char *const *words;	/* unanswered: words to keep, or NULL */
	size_t		 nwords;	/* (unmatched.c), one row each */
	const char	*checked;	/* a check found this listed entry:
					 * counted by day (checks), or NULL */
};

/*
 * A sender's conversation state, keyed by pseudonym, never by number:
 * the language they use, the menu they last saw, the page they read
 * and its script.
 */
struct store_session {
	unsigned char	 pseudonym[STORE_PSEUDO_LEN];
	struct session	 state;		/* as answer.c left it; its forget
					 * is not stored (expires_at 0) */
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
 * A transaction of the caller's, for a channel that groups several
 * messages' records in one commit (serve.c): store_tx_begin() takes the
 * write lock, store_tx_commit() commits (rolling back when it cannot),
 * store_tx_rollback() drops it all; store_tx_open() is 1 inside one.
 * Return 0 or -1 (logged).
 */
int	 store_tx_begin(struct store *)
	    __attribute__((warn_unused_result));
int	 store_tx_commit(struct store *)
	    __attribute__((warn_unused_result));
void	 store_tx_rollback(struct store *);
int	 store_tx_open(struct store *);

/*
 * store_process() inside the caller's transaction.  A reply with a
 * NULL body is queued from its parts.  Returns 0 or -1; on -1 the
 * caller rolls back.
 */
int	 store_record(struct store *, int64_t inbox_id,
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
 * TRUNCATE so no deleted number survives in it.  Returns 0 once the WAL
 * is cut to nothing; 1 when it could not be yet (rows still queued, or
 * a reader holds a snapshot): call again soon; -1 on error.
 */
int	 store_idle_checkpoint(struct store *)
	    __attribute__((warn_unused_result));

/*
 * One question to the guard's counts (guard.c decides, the counts live
 * here so several daemons on one database share them), per channel.
 */
struct store_guard {
	const char	*channel;	/* "sms", "sms-http", "ussd" */
	int64_t		 at;		/* the reply's time as kept: a bucket */
	int64_t		 since;		/* start of the sender's window */
	int64_t		 day;		/* start of the UTC day */
	int64_t		 cost;		/* what it adds to the day: parts */
	/* 0 to allow, else the refusal; arg is the one below */
	int		(*allow)(void *arg, int64_t recent, int64_t spent,
			    int64_t cost);
	void		*arg;
};

/*
 * In the caller's transaction if one is open, else in one of its own:
 * count the channel's replies to pseudonym after g->since and the
 * day's spending, ask g->allow(), and when it returns 0 record one
 * reply at g->at and g->cost spent.  Counts older than the window are
 * deleted on the way.  Returns allow()'s answer (0: take the reply),
 * or -1 on error: the caller must then not reply (fail closed).
 */
int	 store_guard_take(struct store *,
	    const unsigned char pseudonym[STORE_PSEUDO_LEN],
	    const struct store_guard *g)
	    __attribute__((warn_unused_result));

/*
 * This connection works for the daemon of modem id (copied; NULL, the
 * default: none, as for the tools and the HTTP channel).  Inbox rows it
 * adds, outbox rows it queues and events it logs carry the id; it
 * answers only its modem's inbox rows and sends only its modem's
 * outbox rows (rows without an id count for every modem), each claimed
 * atomically, so two daemons on one database never send one reply
 * twice.  Claims left by an earlier run of the same modem are released.
 * Returns 0 or -1.
 */
int	 store_set_modem(struct store *, const char *id)
	    __attribute__((warn_unused_result));

/*
 * The status table: a few facts each daemon keeps up to date for
 * "habar status" (content version, last message, signal, balance),
 * one row per modem and key.  Values are figures and names, never a
 * phone number.  Returns 0 or -1.
 */
int	 store_status_put(struct store *, const char *key, const char *value,
	    int64_t at)				/* unix time */
	    __attribute__((warn_unused_result));

/*
 * This modem's status value of key into value (valuesz bytes) and its
 * time into *at (may be NULL).  Returns 1, 0 when none, -1 on error.
 */
int	 store_status_get(struct store *, const char *key, char *value,
	    size_t valuesz,
	    int64_t *at)			/* OUT: unix time */
	    __attribute__((warn_unused_result));

/*
 * Call fn(arg, modem, key, value, at) for every status row of every
 * modem, sorted by modem and key, and for the queues: key
 * "queue.inbox" and "queue.outbox" with the count as value and the
 * oldest row's time (modems with empty queues have no such rows).  fn
 * returning -1 stops.  Returns 0 or -1.
 */
int	 store_status_each(struct store *,
	    int (*fn)(void *, const char *, const char *, const char *,
	    int64_t),
	    void *arg)				/* for fn */
	    __attribute__((warn_unused_result));

/*
 * Log n events in one transaction, for channels that batch their demand
 * log (and the pipeline benchmark).  Returns 0 or -1 (none logged).
 */
int	 store_events_add(struct store *, const struct store_event *evs,
	    size_t n)
	    __attribute__((warn_unused_result));

/* One reading of the modem's health: figures only.  Strings borrowed. */
struct store_health {
	int64_t		 at;		/* unix time */
	int		 signal_dbm;	/* -1: unknown */
	int		 signal_pct;
	int		 ber;
	const char	*network;	/* "home", "roaming", "none", ... */
	const char	*network_code;	/* "401 01" */
};

/* Log a health reading of this connection's modem.  Returns 0 or -1. */
int	 store_health_add(struct store *, const struct store_health *)
	    __attribute__((warn_unused_result));

/* Log the SIM's credit, in hundredths, at time at.  Returns 0 or -1. */
int	 store_balance_add(struct store *, int64_t at, int64_t amount)
	    __attribute__((warn_unused_result));

/*
 * Like store_inbox_add(), and in the same durable transaction record
 * marks[0..nmarks) (keyed hashes of the phone entries just taken), so
 * that an entry read again after a crash before its delete is deleted,
 * not answered twice.  Delete the marks once the entries are gone from
 * the phone.  Returns 0 or -1; store_taken_has() 1 when marked, 0 when
 * not, -1 on error.
 */
int	 store_inbox_add_taken(struct store *, struct store_msg *msgs,
	    size_t n,
	    const unsigned char (*marks)[STORE_PSEUDO_LEN],
	    size_t nmarks,
	    int64_t now)			/* unix time, for expiry */
	    __attribute__((warn_unused_result));
int	 store_taken_has(struct store *,
	    const unsigned char mark[STORE_PSEUDO_LEN])
	    __attribute__((warn_unused_result));
int	 store_taken_del(struct store *,
	    const unsigned char (*marks)[STORE_PSEUDO_LEN], size_t n)
	    __attribute__((warn_unused_result));

void	 store_msg_release(struct store_msg *);
void	 store_out_release(struct store_out *);

/* ---- demand statistics, unanswered words and retention */

#define STORE_HOUR_MAX	16		/* "YYYY-MM-DDTHH" and NUL */
#define STORE_WORD_MAX	32		/* bytes of an unmatched word */

/* The schema version this habar reads and writes. */
int	 store_schema_version(void);

/*
 * Open an existing database for reports only (query_only, no
 * migration), safe while habard runs.  A database of another schema
 * version is refused.  Returns NULL after logging why; store_close().
 */
struct store	*store_open_readonly(const char *path)
		    __attribute__((warn_unused_result));

/*
 * Keep the words of one unanswered query (see unmatched.h) in their own
 * transaction; habard and the HTTP channel pass them with the event
 * instead (store_event.words).  Returns 0 or -1.
 */
int	 store_unmatched_add(struct store *,
	    int64_t at,				/* unix time; kept as its hour */
	    const char *lang,			/* reply language */
	    const unsigned char pseudonym[STORE_PSEUDO_LEN],
	    const char *const *words,		/* folded, no digits */
	    size_t n)				/* how many */
	    __attribute__((warn_unused_result));

/* Hours [since, until) of unix times; 0 leaves that end open. */
struct store_period {
	int64_t	 since;
	int64_t	 until;
};

enum store_by {
	STORE_BY_ALL,		/* one row, key "" */
	STORE_BY_CHANNEL,
	STORE_BY_TOPIC,
	STORE_BY_LANG,
	STORE_BY_COUNTRY,
	STORE_BY_HOUR,		/* "00".."23", UTC */
	STORE_BY_DAY,		/* "YYYY-MM-DD", UTC */
	STORE_BY_UNSURE		/* questions back: "a,b asked", and the
				 * picks after them, "a,b > b" */
};

/*
 * Exact figures for one key: the caller suppresses small ones before
 * anybody sees them.  senders counts distinct pseudonyms, and a person
 * has a new one each epoch.
 */
struct store_count {
	char	 key[64];
	int64_t	 messages;	/* events but "dropped" */
	int64_t	 senders;	/* distinct pseudonyms among them */
	int64_t	 unanswered;	/* match "none": the "unknown" topic */
	int64_t	 replies;	/* messages answered with SMS parts */
	int64_t	 parts;		/* SMS parts of those replies */
	int64_t	 dropped;	/* replies given up after the last try */
};

/*
 * Counts of events in period p (NULL: all) grouped by by, into a new
 * array *out of *n rows (biggest first; hours and days in order) the
 * caller frees with free().  Breakdowns other than channel leave out
 * the "dropped" records.  Returns 0 or -1.
 */
int	 store_stats(struct store *, const struct store_period *p,
	    enum store_by by,
	    struct store_count **out,		/* OUT: free() it */
	    size_t *n)				/* OUT */
	    __attribute__((warn_unused_result));

struct store_word {
	char	 word[STORE_WORD_MAX];
	int64_t	 senders;	/* distinct pseudonyms that used it */
	int64_t	 uses;
};

/*
 * The unanswered words that at least min_senders distinct pseudonyms
 * used in period p, most used first, at most max, into a new array
 * *out the caller frees with free().  Words below the threshold are
 * never read out of the database.  Returns 0 or -1.
 */
int	 store_stats_words(struct store *, const struct store_period *p,
	    int min_senders,			/* k: fewer are not shown */
	    size_t max,				/* rows at most */
	    struct store_word **out,		/* OUT: free() it */
	    size_t *n)				/* OUT */
	    __attribute__((warn_unused_result));

/* First and last event hour in p ("" when none).  Returns 0 or -1. */
int	 store_stats_span(struct store *, const struct store_period *p,
	    char first[STORE_HOUR_MAX], char last[STORE_HOUR_MAX])
	    __attribute__((warn_unused_result));

struct store_purged {
	int64_t	 events;
	int64_t	 unmatched;
	int64_t	 sessions;
};

/*
 * Retention, in one transaction: delete events and unmatched words of
 * hours before before, and sessions expired at now.  *out counts the
 * rows deleted.  Returns 0 or -1.
 */
int	 store_purge(struct store *, int64_t before, int64_t now,
	    struct store_purged *out)
	    __attribute__((warn_unused_result));

/* One row of the check counts: entry id, UTC day, checks that day. */
typedef void store_checks_fn(void *arg, const char *entry, const char *day,
    int64_t n);

/*
 * Every count of checks of a listed entry from day from to day to
 * (YYYY-MM-DD, inclusive), by entry then day, to fn.  Returns 0 or -1.
 */
int	 store_checks(struct store *, const char *from, const char *to,
	    store_checks_fn *fn, void *arg)
	    __attribute__((warn_unused_result));

#endif
