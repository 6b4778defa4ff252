/*
 * store.c - the SQLite database behind the gateway: a durable inbox of
 * received messages, an outbox of replies waiting to be sent, and the
 * demand log (events).  The only module that includes <sqlite3.h>.
 *
 * Privacy: a plaintext number lives only in inbox and outbox rows.  With
 * secure_delete on, SQLite zeroes deleted cells and freed pages, but in
 * WAL mode the old page images stay in the -wal file until a checkpoint
 * copies the newest images into the database and TRUNCATE cuts the -wal
 * to zero bytes; store_idle_checkpoint() does that once the queues
 * drain.  Every statement is reset right after use, because a statement
 * left mid-step holds a read snapshot that would block that checkpoint.
 * temp_store is MEMORY so statement journals and sorts never spill rows
 * into temporary files.
 *
 * One struct store belongs to one thread; a second thread (the HTTP
 * channel) or a second process opens its own, and WAL with a busy
 * timeout lets them share the file.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "log.h"
#include "store.h"

#define STORE_BUSY_MS	5000		/* wait this long for a lock */
#define STORE_RETRY_MS	10		/* between tries without a handler */
#define STORE_CKPT_BUSY_MS 250		/* a checkpoint waits for readers */
#define STORE_LEN_MAX	(256 * 1024)	/* limit on a string or a row */
#define STORE_HOUR_LEN	16		/* "YYYY-MM-DDTHH" and NUL */
#define STORE_CLAIM_LEASE 600		/* seconds an outbox claim holds */

/*
 * Schema migrations: step i takes user_version i to i + 1.  Append new
 * steps; never edit one that has shipped.
 */
static const char *const store_migrations[] = {
	/* 1: the first schema */
	"CREATE TABLE inbox("
	"    id INTEGER PRIMARY KEY,"
	"    channel TEXT,"
	"    received_at INTEGER,"
	"    sender TEXT,"
	"    text TEXT);"
	"CREATE TABLE outbox("
	"    id INTEGER PRIMARY KEY,"
	"    inbox_id INTEGER,"
	"    recipient TEXT,"
	"    body TEXT,"
	"    parts INTEGER,"
	"    ucs2 INTEGER,"
	"    tries INTEGER DEFAULT 0,"
	"    next_try_at INTEGER);"
	"CREATE INDEX outbox_next_try_at ON outbox(next_try_at);"
	"CREATE TABLE events("
	"    id INTEGER PRIMARY KEY,"
	"    hour TEXT,"		/* YYYY-MM-DDTHH, UTC */
	"    channel TEXT,"
	"    lang TEXT,"
	"    topic TEXT,"
	"    \"match\" TEXT,"
	"    country TEXT,"
	"    parts INTEGER,"
	"    pseudonym BLOB,"
	"    content_version TEXT);"
	"CREATE INDEX events_hour ON events(hour);",
	/* 2: conversation state by pseudonym */
	"CREATE TABLE sessions("
	"    pseudonym BLOB PRIMARY KEY,"
	"    lang TEXT,"
	"    menu TEXT,"
	"    topic TEXT,"
	"    page INTEGER,"
	"    expires_at INTEGER);",
	/* guard: replies by pseudonym (kept one window), and by UTC day */
	"CREATE TABLE guard_replies("
	"    pseudonym BLOB,"
	"    at INTEGER);"
	"CREATE INDEX guard_replies_pseudonym ON guard_replies(pseudonym, at);"
	"CREATE INDEX guard_replies_at ON guard_replies(at);"
	"CREATE TABLE guard_days("
	"    day INTEGER PRIMARY KEY,"
	"    replies INTEGER);",
	/* unmatched: folded words of unanswered queries (unmatched.c) */
	"CREATE TABLE unmatched("
	"    id INTEGER PRIMARY KEY,"
	"    hour TEXT,"		/* YYYY-MM-DDTHH, UTC */
	"    lang TEXT,"
	"    token TEXT,"
	"    pseudonym BLOB);"
	"CREATE INDEX unmatched_hour ON unmatched(hour);",
	/* several modems, and the gateway's own health (issue 9) */
	"ALTER TABLE inbox ADD COLUMN modem TEXT;"
	"ALTER TABLE outbox ADD COLUMN modem TEXT;"
	"ALTER TABLE outbox ADD COLUMN claimed_by TEXT;"
	"ALTER TABLE outbox ADD COLUMN claimed_at INTEGER;"
	"ALTER TABLE events ADD COLUMN modem TEXT;"
	"CREATE TABLE status("
	"    modem TEXT NOT NULL DEFAULT '',"
	"    key TEXT NOT NULL,"
	"    value TEXT,"
	"    at INTEGER,"
	"    PRIMARY KEY(modem, key));"
	"CREATE TABLE health("
	"    id INTEGER PRIMARY KEY,"
	"    at INTEGER,"
	"    modem TEXT,"
	"    signal_dbm INTEGER,"
	"    signal_pct INTEGER,"
	"    ber INTEGER,"
	"    network TEXT,"		/* home/roaming/searching/none/... */
	"    network_code TEXT);"	/* MCC MNC */
	"CREATE INDEX health_at ON health(at);"
	"CREATE TABLE balances("
	"    id INTEGER PRIMARY KEY,"
	"    at INTEGER,"
	"    modem TEXT,"
	"    amount INTEGER);"		/* hundredths (tiyn) */
	"CREATE INDEX balances_at ON balances(at);",
	/* taken: phone entries already in the inbox (keyed hashes) */
	"CREATE TABLE taken("
	"    mark BLOB PRIMARY KEY,"
	"    at INTEGER);",
	/*
	 * checks: how often each listed entry (lists.h) was checked, by UTC
	 * day; never what was checked, never by whom (issue 7)
	 */
	"CREATE TABLE checks("
	"    day TEXT,"			/* YYYY-MM-DD, UTC */
	"    entry TEXT,"		/* the entry's id in the lists */
	"    n INTEGER,"
	"    PRIMARY KEY(day, entry));",
	/*
	 * sessions.latin: the script of the pages being read, which end
	 * at different places in the Cyrillic and the Latin text.
	 * Sessions saved before it read on in Cyrillic.
	 */
	"ALTER TABLE sessions ADD COLUMN latin INTEGER NOT NULL DEFAULT 0;",
	/*
	 * The guard's counts per channel (issue 14): the modem's SMS,
	 * /sms and /ussd each have their own, so spoofed HTTP senders
	 * cannot spend the modem's budget.  guard_hits keeps replies by
	 * pseudonym in buckets of the window's tenth, guard_spent the
	 * day's SMS parts (USSD: requests).  Times next to a pseudonym
	 * are coarsened to what a limit needs; sessions expire by index.
	 */
	"CREATE TABLE guard_hits("
	"    channel TEXT NOT NULL,"
	"    pseudonym BLOB NOT NULL,"
	"    at INTEGER NOT NULL,"	/* bucket: replies leave it late */
	"    n INTEGER NOT NULL,"
	"    PRIMARY KEY(channel, pseudonym, at));"
	"CREATE INDEX guard_hits_at ON guard_hits(channel, at);"
	"CREATE TABLE guard_spent("
	"    channel TEXT NOT NULL,"
	"    day INTEGER NOT NULL,"
	"    n INTEGER NOT NULL,"
	"    PRIMARY KEY(channel, day));"
	"INSERT INTO guard_hits(channel, pseudonym, at, n)"
	"    SELECT 'sms', pseudonym, (at + 59) / 60 * 60, count(*)"
	"    FROM guard_replies GROUP BY 2, 3;"
	"INSERT INTO guard_spent(channel, day, n)"
	"    SELECT 'sms', day, replies FROM guard_days;"
	"DROP TABLE guard_replies;"
	"DROP TABLE guard_days;"
	"UPDATE sessions SET expires_at = (expires_at + 59) / 60 * 60;"
	"UPDATE taken SET at = at - at % 3600;"
	"CREATE INDEX sessions_expires_at ON sessions(expires_at);"
};
#define STORE_SCHEMA_VERSION \
	((int)(sizeof(store_migrations) / sizeof(store_migrations[0])))
/*
 * The oldest schema that store_open_readonly() takes: it has every
 * table and column the readers (stats, reports, status) query, so they
 * work on a database the daemon has not migrated yet, as after an
 * upgrade.  Raise it with a migration that changes what they read.
 */
#define STORE_SCHEMA_READ	7

enum store_stmt {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_INBOX_ADD,
	ST_INBOX_NEXT,
	ST_INBOX_DEL,
	ST_OUT_ADD,
	ST_OUT_NEXT,
	ST_OUT_DEL,
	ST_OUT_TRIES,
	ST_OUT_RETRY,
	ST_EVENT_ADD,
	ST_EVENTS_ADD,		/* STORE_EVENT_ROWS rows at once */
	ST_UNMATCHED_ADD,
	ST_CHECK_COUNT,
	ST_PENDING,
	ST_SESS_GET,
	ST_SESS_PUT,
	ST_SESS_DEL,
	ST_SESS_EXPIRE,
	ST_STATUS_PUT,
	ST_STATUS_GET,
	ST_STATUS_EACH,
	ST_HEALTH_ADD,
	ST_BALANCE_ADD,
	ST_GUARD_PURGE,
	ST_GUARD_RECENT,
	ST_GUARD_SPENT,
	ST_GUARD_HIT,
	ST_GUARD_SPEND,
	ST_GUARD_OLD_DAYS,
	ST_COUNT
};

/* An event's columns; STORE_EVENT_COLS values a row follow. */
#define STORE_EVENT_INSERT "INSERT INTO events(hour, channel, lang, topic," \
	" \"match\", country, parts, pseudonym, content_version, modem)" \
	" VALUES "
#define STORE_EVENT_COLS	10
#define STORE_EVENT_ROWS	32	/* rows one ST_EVENTS_ADD inserts */

static const char *const store_sql[ST_COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_INBOX_ADD] = "INSERT INTO inbox(channel, received_at, sender, text,"
	    " modem) VALUES (?1, ?2, ?3, ?4, ?5)",
	/* A daemon answers what its modem received (and rows of old). */
	[ST_INBOX_NEXT] = "SELECT id, channel, received_at, sender, text"
	    " FROM inbox WHERE id > ?1"
	    " AND (?2 IS NULL OR modem IS NULL OR modem = ?2)"
	    " ORDER BY id LIMIT 1",
	[ST_INBOX_DEL] = "DELETE FROM inbox WHERE id = ?1",
	[ST_OUT_ADD] = "INSERT INTO outbox(inbox_id, recipient, body, parts,"
	    " ucs2, tries, next_try_at, modem)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	/*
	 * Claim the oldest due row of this modem in one statement: two
	 * daemons never get the same row.  A claim older than the lease
	 * (a daemon that died mid-send) may be taken over.
	 */
	[ST_OUT_NEXT] = "UPDATE outbox SET claimed_by = ?3, claimed_at = ?1"
	    " WHERE id = (SELECT id FROM outbox WHERE next_try_at <= ?1"
	    " AND (?2 IS NULL OR modem IS NULL OR modem = ?2)"
	    " AND (claimed_by IS NULL OR claimed_by = ?3 OR claimed_at < ?4)"
	    " ORDER BY id LIMIT 1)"
	    " RETURNING id, inbox_id, recipient, body, parts, ucs2, tries,"
	    " next_try_at",
	[ST_OUT_DEL] = "DELETE FROM outbox WHERE id = ?1",
	[ST_OUT_TRIES] = "SELECT tries FROM outbox WHERE id = ?1",
	[ST_OUT_RETRY] = "UPDATE outbox SET tries = tries + 1,"
	    " next_try_at = ?2, claimed_by = NULL WHERE id = ?1",
	[ST_EVENT_ADD] = STORE_EVENT_INSERT "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[ST_EVENTS_ADD] = NULL,	/* made by store_events_sql() */
	[ST_UNMATCHED_ADD] = "INSERT INTO unmatched(hour, lang, token,"
	    " pseudonym) VALUES (?1, ?2, ?3, ?4)",
	[ST_CHECK_COUNT] = "INSERT INTO checks(day, entry, n)"
	    " VALUES (?1, ?2, 1) ON CONFLICT(day, entry) DO UPDATE"
	    " SET n = n + 1",
	[ST_PENDING] = "SELECT (SELECT count(*) FROM inbox) +"
	    " (SELECT count(*) FROM outbox)",
	[ST_SESS_GET] = "SELECT lang, menu, topic, page, expires_at, latin"
	    " FROM sessions WHERE pseudonym = ?1 AND expires_at > ?2",
	[ST_SESS_PUT] = "INSERT OR REPLACE INTO sessions(pseudonym, lang,"
	    " menu, topic, page, expires_at, latin)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[ST_SESS_DEL] = "DELETE FROM sessions WHERE pseudonym = ?1",
	[ST_SESS_EXPIRE] = "DELETE FROM sessions WHERE expires_at <= ?1",
	[ST_STATUS_PUT] = "INSERT OR REPLACE INTO status(modem, key, value, at)"
	    " VALUES (coalesce(?1, ''), ?2, ?3, ?4)",
	[ST_STATUS_GET] = "SELECT value, at FROM status"
	    " WHERE modem = coalesce(?1, '') AND key = ?2",
	[ST_STATUS_EACH] = "SELECT modem, key, value, at FROM status"
	    " UNION ALL SELECT coalesce(modem, ''), 'queue.inbox', count(*),"
	    " min(received_at) FROM inbox GROUP BY 1"
	    " UNION ALL SELECT coalesce(modem, ''), 'queue.outbox', count(*),"
	    " min(next_try_at) FROM outbox GROUP BY 1"
	    " ORDER BY 1, 2",
	[ST_HEALTH_ADD] = "INSERT INTO health(at, modem, signal_dbm,"
	    " signal_pct, ber, network, network_code)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[ST_BALANCE_ADD] = "INSERT INTO balances(at, modem, amount)"
	    " VALUES (?1, ?2, ?3)",
	[ST_GUARD_PURGE] = "DELETE FROM guard_hits"
	    " WHERE channel = ?1 AND at <= ?2",
	[ST_GUARD_RECENT] = "SELECT coalesce(sum(n), 0) FROM guard_hits"
	    " WHERE channel = ?1 AND pseudonym = ?2 AND at > ?3",
	[ST_GUARD_SPENT] = "SELECT coalesce(sum(n), 0) FROM guard_spent"
	    " WHERE channel = ?1 AND day = ?2",
	[ST_GUARD_HIT] = "INSERT INTO guard_hits(channel, pseudonym, at, n)"
	    " VALUES (?1, ?2, ?3, 1) ON CONFLICT(channel, pseudonym, at)"
	    " DO UPDATE SET n = n + 1",
	[ST_GUARD_SPEND] = "INSERT INTO guard_spent(channel, day, n)"
	    " VALUES (?1, ?2, ?3) ON CONFLICT(channel, day)"
	    " DO UPDATE SET n = n + ?3",
	[ST_GUARD_OLD_DAYS] = "DELETE FROM guard_spent WHERE day < ?1"
};

struct store {
	sqlite3		*db;
	char		*path;
	char		*modem;		/* this daemon's modem.id or NULL */
	char		*claim;		/* its outbox claims: "id/pid" */
	sqlite3_stmt	*st[ST_COUNT];
	int64_t		 hour_at;	/* the first second of that hour */
	char		 hour[STORE_HOUR_LEN];	/* "": none yet */
};

/* Log why statement st failed doing what, reset it, return -1. */
static int
store_fail(struct store *s, sqlite3_stmt *st, const char *what)
{
	log_warnx("cannot %s in '%s': %s", what, s->path,
	    sqlite3_errmsg(s->db));
	if (st != NULL)
		sqlite3_reset(st);
	return -1;
}

/* Run SQL text that returns no rows (schema, pragmas). */
static int
store_exec(struct store *s, const char *sql, const char *what)
{
	char	*err = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		log_warnx("cannot %s in '%s': %s", what, s->path,
		    err != NULL ? err : sqlite3_errmsg(s->db));
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

/* Step a bound statement that returns no rows, then reset it. */
static int
store_done(struct store *s, sqlite3_stmt *st, const char *what)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, st, what);
	sqlite3_reset(st);
	return 0;
}

static int
store_begin(struct store *s)
{
	return store_done(s, s->st[ST_BEGIN], "begin a transaction");
}

int
store_tx_begin(struct store *s)
{
	return store_begin(s);
}

/* Roll back the open transaction, if any; the cause is already logged. */
static void
store_rollback(struct store *s)
{
	if (sqlite3_get_autocommit(s->db))
		return;
	(void)store_done(s, s->st[ST_ROLLBACK], "roll back a transaction");
}

static int
store_commit(struct store *s)
{
	if (store_done(s, s->st[ST_COMMIT], "commit a transaction") == -1) {
		store_rollback(s);
		return -1;
	}
	return 0;
}

int
store_tx_commit(struct store *s)
{
	return store_commit(s);
}

void
store_tx_rollback(struct store *s)
{
	store_rollback(s);
}

int
store_tx_open(struct store *s)
{
	return !sqlite3_get_autocommit(s->db);
}

/* Copy column col of st into dst; -1 (logged) when it does not fit. */
static int
store_col_copy(struct store *s, sqlite3_stmt *st, int col, char *dst,
    size_t dstsz, const char *what)
{
	const unsigned char	*src;
	size_t			 len;

	/* text before bytes: the SQLite documented order */
	src = sqlite3_column_text(st, col);
	len = src == NULL ? 0 : (size_t)sqlite3_column_bytes(st, col);
	if (len >= dstsz) {
		log_warnx("cannot read %s from '%s': %zu bytes, at most %zu",
		    what, s->path, len, dstsz - 1);
		return -1;
	}
	if (len > 0)
		memcpy(dst, src, len);
	dst[len] = '\0';
	return 0;
}

/* A heap copy of column col of st ("" for NULL), or NULL (logged). */
static char *
store_col_dup(struct store *s, sqlite3_stmt *st, int col)
{
	const unsigned char	*src;
	size_t			 len;
	char			*dst;

	src = sqlite3_column_text(st, col);
	len = src == NULL ? 0 : (size_t)sqlite3_column_bytes(st, col);
	if ((dst = malloc(len + 1)) == NULL) {
		log_warn("cannot read a row from '%s'", s->path);
		return NULL;
	}
	if (len > 0)
		memcpy(dst, src, len);
	dst[len] = '\0';
	return dst;
}

/* The UTC hour of at as "YYYY-MM-DDTHH" into buf. */
static int
store_hour(int64_t at, char buf[STORE_HOUR_LEN])
{
	struct tm	 tm;
	time_t		 t = (time_t)at;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, STORE_HOUR_LEN, "%Y-%m-%dT%H", &tm) == 0) {
		log_warnx("cannot store an event at time %lld: out of range",
		    (long long)at);
		return -1;
	}
	return 0;
}

static int
store_bind_str(sqlite3_stmt *st, int i, const char *str)
{
	if (str == NULL)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, str, -1, SQLITE_STATIC);
}

static int	 store_unmatched_insert(struct store *, const char *,
		    const struct store_event *);
static int	 store_check_count(struct store *, const struct store_event *,
		    const char *);

/*
 * The hour of at, "YYYY-MM-DDTHH" (UTC), into buf.  Events come in time
 * order, so each hour is named once.
 */
static int
store_event_hour(struct store *s, int64_t at, char buf[STORE_HOUR_LEN])
{
	if (s->hour[0] == '\0' || at < s->hour_at || at - s->hour_at >= 3600) {
		if (store_hour(at, s->hour) == -1) {
			s->hour[0] = '\0';
			return -1;
		}
		s->hour_at = at - ((at % 3600) + 3600) % 3600;
	}
	memcpy(buf, s->hour, STORE_HOUR_LEN);
	return 0;
}

/*
 * Bind ev to the STORE_EVENT_COLS parameters of st after the first
 * base; hour must stay until st is stepped.
 */
static int
store_event_bind(sqlite3_stmt *st, int base, const struct store_event *ev,
    const char *hour, const char *modem)
{
	/*
	 * A "check" event keeps no pseudonym: with the per-entry counter,
	 * a quiet day's one reported check would otherwise tell whoever
	 * holds the epoch's key which entry that person asked about.
	 */
	int	 anonymous = ev->topic != NULL && strcmp(ev->topic, "check") == 0;

	if (store_bind_str(st, base + 1, hour) != SQLITE_OK ||
	    store_bind_str(st, base + 2, ev->channel) != SQLITE_OK ||
	    store_bind_str(st, base + 3, ev->lang) != SQLITE_OK ||
	    store_bind_str(st, base + 4, ev->topic) != SQLITE_OK ||
	    store_bind_str(st, base + 5, ev->match) != SQLITE_OK ||
	    store_bind_str(st, base + 6, ev->country) != SQLITE_OK ||
	    sqlite3_bind_int(st, base + 7, ev->parts) != SQLITE_OK ||
	    (anonymous ? sqlite3_bind_null(st, base + 8) :
	    sqlite3_bind_blob(st, base + 8, ev->pseudonym, STORE_PSEUDO_LEN,
	    SQLITE_STATIC)) != SQLITE_OK ||
	    store_bind_str(st, base + 9, ev->content_version) != SQLITE_OK ||
	    store_bind_str(st, base + 10, modem) != SQLITE_OK)
		return -1;
	return 0;
}

/* What an event adds beside its row: unmatched words, a check count. */
static int
store_event_extras(struct store *s, const struct store_event *ev,
    const char *hour)
{
	if (store_unmatched_insert(s, hour, ev) == -1)
		return -1;
	return store_check_count(s, ev, hour);
}

/* Insert ev into events; inside the caller's transaction. */
static int
store_event_add(struct store *s, const struct store_event *ev)
{
	sqlite3_stmt	*st = s->st[ST_EVENT_ADD];
	char		 hour[STORE_HOUR_LEN];

	if (store_event_hour(s, ev->at, hour) == -1)
		return -1;
	if (store_event_bind(st, 0, ev, hour, s->modem) == -1)
		return store_fail(s, st, "bind an event");
	if (store_done(s, st, "insert an event") == -1)
		return -1;
	return store_event_extras(s, ev, hour);
}

/* STORE_EVENT_ROWS events with one statement; in a transaction. */
static int
store_events_rows(struct store *s, const struct store_event *evs)
{
	sqlite3_stmt	*st = s->st[ST_EVENTS_ADD];
	char		 hours[STORE_EVENT_ROWS][STORE_HOUR_LEN];
	int		 i;

	for (i = 0; i < STORE_EVENT_ROWS; i++) {
		if (store_event_hour(s, evs[i].at, hours[i]) == -1)
			return -1;
		if (store_event_bind(st, i * STORE_EVENT_COLS, &evs[i],
		    hours[i], s->modem) == -1)
			return store_fail(s, st, "bind an event");
	}
	if (store_done(s, st, "insert events") == -1)
		return -1;
	for (i = 0; i < STORE_EVENT_ROWS; i++)
		if (store_event_extras(s, &evs[i], hours[i]) == -1)
			return -1;
	return 0;
}

/* Read PRAGMA user_version. */
static int
store_user_version(struct store *s, int *version)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st,
	    NULL) != SQLITE_OK)
		return store_fail(s, NULL, "read the schema version");
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		store_fail(s, NULL, "read the schema version");
		sqlite3_finalize(st);
		return -1;
	}
	*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

/*
 * Bring the schema to STORE_SCHEMA_VERSION in one transaction; refuse a
 * database written by a newer habar.  The version is read inside the
 * write transaction, so two daemons starting at once migrate only once.
 */
static int
store_migrate(struct store *s)
{
	char	 sql[64];
	int	 version = 0, i;

	if (store_exec(s, "BEGIN IMMEDIATE", "begin the schema check") == -1)
		return -1;
	if (store_user_version(s, &version) == -1)
		goto fail;
	if (version > STORE_SCHEMA_VERSION) {
		log_warnx("cannot use '%s': its schema version %d is newer "
		    "than this habar's %d; upgrade habar", s->path, version,
		    STORE_SCHEMA_VERSION);
		goto fail;
	}
	if (version < 0) {
		log_warnx("cannot use '%s': bad schema version %d", s->path,
		    version);
		goto fail;
	}
	for (i = version; i < STORE_SCHEMA_VERSION; i++) {
		if (store_exec(s, store_migrations[i],
		    "migrate the schema") == -1)
			goto fail;
	}
	if (version < STORE_SCHEMA_VERSION) {
		(void)snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
		    STORE_SCHEMA_VERSION);
		if (store_exec(s, sql, "set the schema version") == -1)
			goto fail;
	}
	if (store_exec(s, "COMMIT", "commit the schema") == -1)
		goto fail;
	if (version < STORE_SCHEMA_VERSION)
		log_info("database '%s' migrated from schema %d to %d",
		    s->path, version, STORE_SCHEMA_VERSION);
	return 0;
fail:
	if (!sqlite3_get_autocommit(s->db))
		(void)sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/*
 * Run a pragma that answers with one row and check the answer: pragmas
 * fail silently (an unknown value is ignored), and privacy depends on
 * WAL and secure_delete really being on.
 *
 * Switching a new database to WAL needs an exclusive lock, and SQLite
 * returns SQLITE_BUSY for it without calling the busy handler when two
 * processes open a fresh file at once (its deadlock avoidance), so the
 * pragma is retried here for up to the busy timeout.
 */
static int
store_pragma(struct store *s, const char *sql, const char *want)
{
	struct timespec	 pause = { 0, STORE_RETRY_MS * 1000000L };
	sqlite3_stmt	*st;
	const char	*got;
	int		 ok, rc, waited;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, NULL, sql);
	for (waited = 0; ; waited += STORE_RETRY_MS) {
		rc = sqlite3_step(st);
		if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) ||
		    waited >= STORE_BUSY_MS)
			break;
		sqlite3_reset(st);
		nanosleep(&pause, NULL);
	}
	if (rc != SQLITE_ROW) {
		log_warnx("cannot %s in '%s': %s (%d)", sql, s->path,
		    sqlite3_errmsg(s->db), sqlite3_extended_errcode(s->db));
		sqlite3_finalize(st);
		return -1;
	}
	got = (const char *)sqlite3_column_text(st, 0);
	ok = got != NULL && strcmp(got, want) == 0;
	if (!ok)
		log_warnx("cannot use '%s': '%s' gave '%s', not '%s'",
		    s->path, sql, got != NULL ? got : "", want);
	sqlite3_finalize(st);
	return ok ? 0 : -1;
}

/*
 * Create a missing database file 0600 ourselves: SQLite would create it
 * 0644, and the -wal and -shm files inherit the database's mode.
 */
static int
store_create(const char *path)
{
	int	 fd;

	if (strcmp(path, ":memory:") == 0 || path[0] == '\0')
		return 0;
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1) {
		if (errno == EEXIST)
			return 0;
		log_warn("cannot create '%s'", path);
		return -1;
	}
	close(fd);
	return 0;
}

/* ST_EVENTS_ADD: STORE_EVENT_INSERT and STORE_EVENT_ROWS rows. */
static void
store_events_sql(char *buf, size_t size)
{
	size_t	 len;
	int	 i;

	len = (size_t)snprintf(buf, size, "%s", STORE_EVENT_INSERT);
	for (i = 0; i < STORE_EVENT_ROWS && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
		    i > 0 ? ", " : "", "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
}

static int
store_setup(struct store *s)
{
	char	 rows[sizeof(STORE_EVENT_INSERT) + STORE_EVENT_ROWS * 40];
	int	 i;

	sqlite3_busy_timeout(s->db, STORE_BUSY_MS);
	sqlite3_limit(s->db, SQLITE_LIMIT_LENGTH, STORE_LEN_MAX);
	if (store_pragma(s, "PRAGMA journal_mode = WAL", "wal") == -1 ||
	    store_pragma(s, "PRAGMA secure_delete = ON", "1") == -1)
		return -1;
	if (store_exec(s, "PRAGMA synchronous = NORMAL;"
	    "PRAGMA foreign_keys = OFF;"
	    "PRAGMA temp_store = MEMORY;", "set pragmas") == -1)
		return -1;
	if (store_migrate(s) == -1)
		return -1;
	store_events_sql(rows, sizeof(rows));
	for (i = 0; i < ST_COUNT; i++) {
		if (sqlite3_prepare_v3(s->db, store_sql[i] != NULL ?
		    store_sql[i] : rows, -1, SQLITE_PREPARE_PERSISTENT,
		    &s->st[i], NULL) != SQLITE_OK)
			return store_fail(s, NULL, "prepare a statement");
	}
	return 0;
}

static pthread_once_t store_once = PTHREAD_ONCE_INIT;

/*
 * Before SQLite's first use: no memory statistics, which would take a
 * global lock on every allocation of every handle.
 */
static void
store_init(void)
{
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

struct store *
store_open(const char *path)
{
	struct store	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->path = strdup(path)) == NULL) {
		log_warn("cannot open database '%s'", path);
		free(s);
		return NULL;
	}
	if (store_create(path) == -1)
		goto fail;
	(void)pthread_once(&store_once, store_init);
	/* A handle is only ever used by the thread that has it. */
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		log_warnx("cannot open database '%s': %s", path,
		    s->db != NULL ? sqlite3_errmsg(s->db) : "out of memory");
		goto fail;
	}
	if (store_setup(s) == -1)
		goto fail;
	return s;
fail:
	store_close(s);
	return NULL;
}

void
store_close(struct store *s)
{
	int	 i;

	if (s == NULL)
		return;
	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(s->st[i]);
	if (s->db != NULL && sqlite3_close(s->db) != SQLITE_OK)
		log_warnx("cannot close database '%s': %s", s->path,
		    sqlite3_errmsg(s->db));
	free(s->path);
	free(s->modem);
	free(s->claim);
	free(s);
}

/* Insert msgs[] inside the caller's transaction, setting their ids. */
static int
store_inbox_insert(struct store *s, struct store_msg *msgs, size_t n)
{
	sqlite3_stmt	*st = s->st[ST_INBOX_ADD];
	size_t		 i;

	for (i = 0; i < n; i++) {
		if (store_bind_str(st, 1, msgs[i].channel) != SQLITE_OK ||
		    sqlite3_bind_int64(st, 2, msgs[i].received_at) !=
		    SQLITE_OK ||
		    store_bind_str(st, 3, msgs[i].sender) != SQLITE_OK ||
		    store_bind_str(st, 4, msgs[i].text) != SQLITE_OK ||
		    store_bind_str(st, 5, s->modem) != SQLITE_OK)
			return store_fail(s, st, "bind an inbox row");
		if (store_done(s, st, "insert an inbox row") == -1)
			return -1;
		msgs[i].id = sqlite3_last_insert_rowid(s->db);
	}
	return 0;
}

static int store_taken_insert(struct store *,
    const unsigned char (*)[STORE_PSEUDO_LEN], size_t, int64_t);

int
store_inbox_add(struct store *s, struct store_msg *msgs, size_t n)
{
	return store_inbox_add_taken(s, msgs, n, NULL, 0, 0);
}

int
store_inbox_add_taken(struct store *s, struct store_msg *msgs, size_t n,
    const unsigned char (*marks)[STORE_PSEUDO_LEN], size_t nmarks,
    int64_t now)
{
	size_t	 i;
	int	 rc = -1;

	if (n == 0 && nmarks == 0)
		return 0;
	/*
	 * FULL makes this commit fsync the WAL: the caller deletes the
	 * messages from the SIM next, and that cannot be undone.  The
	 * setting applies per transaction, so set it before BEGIN.
	 */
	if (store_exec(s, "PRAGMA synchronous = FULL",
	    "set synchronous=FULL") == -1)
		return -1;
	if (store_begin(s) == 0) {
		if (store_inbox_insert(s, msgs, n) == 0 &&
		    store_taken_insert(s, marks, nmarks, now) == 0)
			rc = store_commit(s);
		else
			store_rollback(s);
	}
	if (rc == -1) {
		for (i = 0; i < n; i++)
			msgs[i].id = 0;
	}
	/* A failure here only costs speed; the inbox rows are safe. */
	(void)store_exec(s, "PRAGMA synchronous = NORMAL",
	    "restore synchronous=NORMAL");
	return rc;
}

int
store_inbox_next(struct store *s, int64_t after, struct store_msg *out)
{
	sqlite3_stmt	*st = s->st[ST_INBOX_NEXT];
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (sqlite3_bind_int64(st, 1, after) != SQLITE_OK ||
	    store_bind_str(st, 2, s->modem) != SQLITE_OK)
		return store_fail(s, st, "bind an inbox query");
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_ROW)
		return store_fail(s, st, "read the inbox");
	out->id = sqlite3_column_int64(st, 0);
	out->received_at = sqlite3_column_int64(st, 2);
	if (store_col_copy(s, st, 1, out->channel, sizeof(out->channel),
	    "an inbox channel") == -1 ||
	    store_col_copy(s, st, 3, out->sender, sizeof(out->sender),
	    "an inbox sender") == -1 ||
	    (out->text = store_col_dup(s, st, 4)) == NULL) {
		sqlite3_reset(st);
		memset(out, 0, sizeof(*out));
		return -1;
	}
	sqlite3_reset(st);
	return 1;
}

/* Save or (expires_at 0) delete a session, inside a transaction. */
static int
store_session_put(struct store *s, const struct store_session *sess)
{
	sqlite3_stmt	*st;

	if (sess->expires_at == 0) {
		st = s->st[ST_SESS_DEL];
		if (sqlite3_bind_blob(st, 1, sess->pseudonym,
		    STORE_PSEUDO_LEN, SQLITE_STATIC) != SQLITE_OK)
			return store_fail(s, st, "bind a session delete");
		return store_done(s, st, "delete a session");
	}
	st = s->st[ST_SESS_PUT];
	if (sqlite3_bind_blob(st, 1, sess->pseudonym, STORE_PSEUDO_LEN,
	    SQLITE_STATIC) != SQLITE_OK ||
	    store_bind_str(st, 2, sess->state.lang) != SQLITE_OK ||
	    store_bind_str(st, 3, sess->state.menu) != SQLITE_OK ||
	    store_bind_str(st, 4, sess->state.topic) != SQLITE_OK ||
	    sqlite3_bind_int(st, 5, sess->state.page) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 6, sess->expires_at) != SQLITE_OK ||
	    sqlite3_bind_int(st, 7, sess->state.latin) != SQLITE_OK)
		return store_fail(s, st, "bind a session");
	return store_done(s, st, "save a session");
}

/*
 * The outbox's storage format: parts joined by STORE_PART_SEP, into a
 * new string the caller frees, or NULL when memory runs out.
 */
static char *
store_join(char *const *part, size_t n)
{
	size_t	 i, len = 0, cap = 1;
	char	*body;

	for (i = 0; i < n; i++)
		cap += strlen(part[i]) + 1;
	if ((body = malloc(cap)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		size_t pl = strlen(part[i]);

		if (i > 0)
			body[len++] = STORE_PART_SEP;
		memcpy(body + len, part[i], pl);
		len += pl;
	}
	body[len] = '\0';
	return body;
}

/* The body of store_process(), inside its transaction. */
static int
store_process_tx(struct store *s, int64_t inbox_id,
    const struct store_out *reply, const struct store_event *ev,
    const struct store_session *sess)
{
	sqlite3_stmt	*st;

	char		*body = NULL;
	int		 rc;

	if (reply != NULL) {
		if (reply->body == NULL && (body = store_join(reply->part,
		    reply->nparts)) == NULL) {
			log_warn("cannot queue a reply in '%s'", s->path);
			return -1;
		}
		st = s->st[ST_OUT_ADD];
		rc = sqlite3_bind_int64(st, 1, inbox_id) != SQLITE_OK ||
		    store_bind_str(st, 2, reply->recipient) != SQLITE_OK ||
		    store_bind_str(st, 3, body != NULL ? body : reply->body) !=
		    SQLITE_OK;
		if (rc != 0 ||
		    sqlite3_bind_int(st, 4, reply->parts) != SQLITE_OK ||
		    sqlite3_bind_int(st, 5, reply->ucs2) != SQLITE_OK ||
		    sqlite3_bind_int(st, 6, reply->tries) != SQLITE_OK ||
		    sqlite3_bind_int64(st, 7, reply->next_try_at) !=
		    SQLITE_OK || store_bind_str(st, 8, s->modem) != SQLITE_OK) {
			free(body);
			return store_fail(s, st, "bind an outbox row");
		}
		rc = store_done(s, st, "insert an outbox row");
		free(body);	/* SQLITE_TRANSIENT: copied at the bind */
		if (rc == -1)
			return -1;
	}
	if (ev != NULL && store_event_add(s, ev) == -1)
		return -1;
	if (sess != NULL && store_session_put(s, sess) == -1)
		return -1;
	if (inbox_id == 0)
		return 0;
	st = s->st[ST_INBOX_DEL];
	if (sqlite3_bind_int64(st, 1, inbox_id) != SQLITE_OK)
		return store_fail(s, st, "bind an inbox delete");
	if (store_done(s, st, "delete an inbox row") == -1)
		return -1;
	if (sqlite3_changes(s->db) == 0) {
		/* Someone else answered it; do not answer twice. */
		log_warnx("cannot process inbox row %lld in '%s': it is gone",
		    (long long)inbox_id, s->path);
		return -1;
	}
	return 0;
}

int
store_record(struct store *s, int64_t inbox_id,
    const struct store_out *reply, const struct store_event *ev,
    const struct store_session *sess)
{
	return store_process_tx(s, inbox_id, reply, ev, sess);
}

int
store_process(struct store *s, int64_t inbox_id,
    const struct store_out *reply, const struct store_event *ev,
    const struct store_session *sess)
{
	if (store_begin(s) == -1)
		return -1;
	if (store_process_tx(s, inbox_id, reply, ev, sess) == -1) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s);
}

int
store_session_get(struct store *s,
    const unsigned char pseudonym[STORE_PSEUDO_LEN], int64_t now,
    struct store_session *out)
{
	sqlite3_stmt	*st = s->st[ST_SESS_GET];
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (sqlite3_bind_blob(st, 1, pseudonym, STORE_PSEUDO_LEN,
	    SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, now) != SQLITE_OK)
		return store_fail(s, st, "bind a session query");
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_ROW)
		return store_fail(s, st, "read a session");
	memcpy(out->pseudonym, pseudonym, STORE_PSEUDO_LEN);
	out->state.page = sqlite3_column_int(st, 3);
	out->expires_at = sqlite3_column_int64(st, 4);
	out->state.latin = sqlite3_column_int(st, 5) != 0;
	if (store_col_copy(s, st, 0, out->state.lang,
	    sizeof(out->state.lang), "a session language") == -1 ||
	    store_col_copy(s, st, 1, out->state.menu,
	    sizeof(out->state.menu), "a session menu") == -1 ||
	    store_col_copy(s, st, 2, out->state.topic,
	    sizeof(out->state.topic), "a session topic") == -1) {
		sqlite3_reset(st);
		memset(out, 0, sizeof(*out));
		return -1;
	}
	sqlite3_reset(st);
	return 1;
}

int
store_session_expire(struct store *s, int64_t now)
{
	sqlite3_stmt	*st = s->st[ST_SESS_EXPIRE];

	if (sqlite3_bind_int64(st, 1, now) != SQLITE_OK)
		return store_fail(s, st, "bind a session expiry");
	return store_done(s, st, "expire sessions");
}

int
store_outbox_next(struct store *s, int64_t now, struct store_out *out)
{
	sqlite3_stmt	*st = s->st[ST_OUT_NEXT];
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (sqlite3_bind_int64(st, 1, now) != SQLITE_OK ||
	    store_bind_str(st, 2, s->modem) != SQLITE_OK ||
	    store_bind_str(st, 3, s->claim) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 4, now - STORE_CLAIM_LEASE) != SQLITE_OK)
		return store_fail(s, st, "bind an outbox query");
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_ROW)
		return store_fail(s, st, "claim an outbox row");
	out->id = sqlite3_column_int64(st, 0);
	out->inbox_id = sqlite3_column_int64(st, 1);
	out->parts = sqlite3_column_int(st, 4);
	out->ucs2 = sqlite3_column_int(st, 5);
	out->tries = sqlite3_column_int(st, 6);
	out->next_try_at = sqlite3_column_int64(st, 7);
	if (store_col_copy(s, st, 2, out->recipient, sizeof(out->recipient),
	    "an outbox recipient") == -1 ||
	    (out->body = store_col_dup(s, st, 3)) == NULL) {
		sqlite3_reset(st);
		store_out_release(out);
		memset(out, 0, sizeof(*out));
		return -1;
	}
	/* The claim is written when the statement runs to its end. */
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_out_release(out);
		memset(out, 0, sizeof(*out));
		return store_fail(s, st, "claim an outbox row");
	}
	sqlite3_reset(st);
	return 1;
}

int
store_outbox_sent(struct store *s, int64_t id)
{
	sqlite3_stmt	*st = s->st[ST_OUT_DEL];

	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
		return store_fail(s, st, "bind an outbox delete");
	if (store_done(s, st, "delete a sent outbox row") == -1)
		return -1;
	if (sqlite3_changes(s->db) == 0)
		log_debug("outbox row %lld was already gone", (long long)id);
	return 0;
}

/* The body of store_outbox_failed(), inside its transaction. */
static int
store_outbox_failed_tx(struct store *s, int64_t id, int64_t next_try_at,
    int max_tries, const struct store_event *ev)
{
	sqlite3_stmt	*st = s->st[ST_OUT_TRIES];
	int		 rc, tries;

	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
		return store_fail(s, st, "bind an outbox query");
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		log_warnx("cannot retry outbox row %lld in '%s': it is gone",
		    (long long)id, s->path);
		return -1;
	}
	if (rc != SQLITE_ROW)
		return store_fail(s, st, "read an outbox row");
	tries = sqlite3_column_int(st, 0);
	sqlite3_reset(st);

	if (tries + 1 < max_tries) {
		st = s->st[ST_OUT_RETRY];
		if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
		    sqlite3_bind_int64(st, 2, next_try_at) != SQLITE_OK)
			return store_fail(s, st, "bind an outbox update");
		return store_done(s, st, "reschedule an outbox row");
	}
	st = s->st[ST_OUT_DEL];
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
		return store_fail(s, st, "bind an outbox delete");
	if (store_done(s, st, "drop an outbox row") == -1)
		return -1;
	if (ev != NULL && store_event_add(s, ev) == -1)
		return -1;
	log_info("dropped reply %lld after %d tries", (long long)id,
	    tries + 1);
	return 0;
}

int
store_outbox_failed(struct store *s, int64_t id, int64_t next_try_at,
    int max_tries, const struct store_event *ev)
{
	if (store_begin(s) == -1)
		return -1;
	if (store_outbox_failed_tx(s, id, next_try_at, max_tries, ev) == -1) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s);
}

int64_t
store_pending(struct store *s)
{
	sqlite3_stmt	*st = s->st[ST_PENDING];
	int64_t		 n;

	if (sqlite3_step(st) != SQLITE_ROW)
		return store_fail(s, st, "count pending rows");
	n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

/*
 * A busy checkpoint is not an error: another connection is in the
 * middle of a read (habar stats, a backup) and holds a snapshot.  The
 * -wal then keeps its old page images (numbers included), and the
 * caller must try again soon: it is told so (1), and each try waits
 * for readers only STORE_CKPT_BUSY_MS, so that retrying does not stall
 * the one who retries.
 */
int
store_idle_checkpoint(struct store *s)
{
	int64_t	 n;
	int	 rc, nlog = 0, nckpt = 0;

	if ((n = store_pending(s)) == -1)
		return -1;
	if (n > 0)
		return 1;
	sqlite3_busy_timeout(s->db, STORE_CKPT_BUSY_MS);
	rc = sqlite3_wal_checkpoint_v2(s->db, NULL,
	    SQLITE_CHECKPOINT_TRUNCATE, &nlog, &nckpt);
	sqlite3_busy_timeout(s->db, STORE_BUSY_MS);
	if (rc == SQLITE_BUSY) {
		log_debug("wal checkpoint of '%s' busy (%d of %d frames); "
		    "trying again", s->path, nckpt, nlog);
		return 1;
	}
	if (rc != SQLITE_OK)
		return store_fail(s, NULL, "checkpoint the wal");
	return 0;
}

/* Prepare sql, bind int64 values v[0..n), step to its one row or done. */
static int
store_guard_step(struct store *s, const char *sql, const int64_t *v, int n,
    const unsigned char *ps, int64_t *out)
{
	sqlite3_stmt	*st;
	int		 i, rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, NULL, "prepare a guard query");
	for (i = 0; i < n; i++)
		if (sqlite3_bind_int64(st, i + 1, v[i]) != SQLITE_OK)
			goto fail;
	if (ps != NULL && sqlite3_bind_blob(st, n + 1, ps, STORE_PSEUDO_LEN,
	    SQLITE_STATIC) != SQLITE_OK)
		goto fail;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && out != NULL)
		*out = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		goto fail;
	sqlite3_finalize(st);
	return 0;
fail:
	(void)store_fail(s, NULL, "run a guard query");
	sqlite3_finalize(st);
	return -1;
}

/*
 * Taken marks.  A crash between the inbox commit and the deletes from
 * the phone used to answer the whole batch again (up to a poll's worth
 * of messages); with a mark per phone entry, written in that commit
 * and cleared once the entry is deleted, a re-read entry is only
 * deleted.  A mark is a keyed hash, never a number.
 */
/* Insert taken marks inside the caller's transaction. */
static int
store_taken_insert(struct store *s,
    const unsigned char (*marks)[STORE_PSEUDO_LEN], size_t n, int64_t now)
{
	int64_t	 v[1];
	size_t	 i;

	if (n == 0)
		return 0;
	/*
	 * Kept to the hour, like events: the mark only has to outlive a
	 * crash, and expires after a week; the second it was taken at
	 * would tell more than that needs.
	 */
	v[0] = now - now % 3600;
	for (i = 0; i < n; i++)
		if (store_guard_step(s, "INSERT OR REPLACE INTO taken(at, mark)"
		    " VALUES (?1, ?2)", v, 1, marks[i], NULL) == -1)
			return -1;
	/* A mark is needed only until its entry is deleted: a week is ample. */
	v[0] = now - 7 * 86400;
	return store_guard_step(s, "DELETE FROM taken WHERE at < ?1", v, 1,
	    NULL, NULL);
}

int
store_taken_has(struct store *s, const unsigned char mark[STORE_PSEUDO_LEN])
{
	int64_t	 n = 0;

	if (store_guard_step(s, "SELECT count(*) FROM taken WHERE mark = ?1",
	    NULL, 0, mark, &n) == -1)
		return -1;
	return n > 0;
}

int
store_taken_del(struct store *s, const unsigned char (*marks)[STORE_PSEUDO_LEN],
    size_t n)
{
	size_t	 i;

	if (n == 0)
		return 0;
	if (store_begin(s) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (store_guard_step(s, "DELETE FROM taken WHERE mark = ?1",
		    NULL, 0, marks[i], NULL) == -1) {
			store_rollback(s);
			return -1;
		}
	return store_commit(s);
}

/* Bind the guard's channel ?1 and run st to its one count or done. */
static int
store_guard_run(struct store *s, enum store_stmt which, const char *channel,
    const unsigned char *ps, int64_t a, int64_t b, int64_t *out)
{
	sqlite3_stmt	*st = s->st[which];
	int		 rc, n = 1;

	if (which == ST_GUARD_OLD_DAYS)
		n = 0;		/* every channel */
	if ((n == 1 && store_bind_str(st, n, channel) != SQLITE_OK) ||
	    (ps != NULL && sqlite3_bind_blob(st, ++n, ps, STORE_PSEUDO_LEN,
	    SQLITE_STATIC) != SQLITE_OK) ||
	    sqlite3_bind_int64(st, ++n, a) != SQLITE_OK ||
	    (sqlite3_bind_parameter_count(st) > n &&
	    sqlite3_bind_int64(st, ++n, b) != SQLITE_OK))
		return store_fail(s, st, "bind a guard query");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && out != NULL)
		*out = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_fail(s, st, "run a guard query");
	sqlite3_reset(st);
	return 0;
}

/* The body of store_guard_take(), inside a transaction. */
static int
store_guard_tx(struct store *s, const unsigned char *ps,
    const struct store_guard *g, int *verdict)
{
	int64_t	 recent = 0, spent = 0;

	if (store_guard_run(s, ST_GUARD_PURGE, g->channel, NULL, g->since, 0,
	    NULL) == -1 ||
	    store_guard_run(s, ST_GUARD_RECENT, g->channel, ps, g->since, 0,
	    &recent) == -1 ||
	    store_guard_run(s, ST_GUARD_SPENT, g->channel, NULL, g->day, 0,
	    &spent) == -1)
		return -1;
	if ((*verdict = g->allow(g->arg, recent, spent, g->cost)) != 0)
		return 0;
	if (store_guard_run(s, ST_GUARD_HIT, g->channel, ps, g->at, 0,
	    NULL) == -1 ||
	    store_guard_run(s, ST_GUARD_SPEND, g->channel, NULL, g->day,
	    g->cost, NULL) == -1 ||
	    store_guard_run(s, ST_GUARD_OLD_DAYS, NULL, NULL,
	    g->day - 7 * 86400, 0, NULL) == -1)
		return -1;
	return 0;
}

int
store_guard_take(struct store *s, const unsigned char ps[STORE_PSEUDO_LEN],
    const struct store_guard *g)
{
	int	 verdict = 0, own = sqlite3_get_autocommit(s->db);

	if (own && store_begin(s) == -1)
		return -1;
	if (store_guard_tx(s, ps, g, &verdict) == -1) {
		if (own)
			store_rollback(s);
		return -1;
	}
	if (own && store_commit(s) == -1)
		return -1;
	return verdict;
}

/* Prepare and run sql once with text ?1, no rows back. */
static int
store_simple(struct store *s, const char *sql, const char *a,
    const char *what)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, NULL, what);
	if (store_bind_str(st, 1, a) != SQLITE_OK) {
		(void)store_fail(s, NULL, what);
		sqlite3_finalize(st);
		return -1;
	}
	if ((rc = sqlite3_step(st)) != SQLITE_DONE)
		(void)store_fail(s, NULL, what);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
store_set_modem(struct store *s, const char *id)
{
	char	 claim[128];
	char	*m = NULL, *c = NULL;

	/* Without an id the claims still tell processes apart. */
	(void)snprintf(claim, sizeof(claim), "%s/%ld", id != NULL ? id : "",
	    (long)getpid());
	if ((id != NULL && (m = strdup(id)) == NULL) ||
	    (c = strdup(claim)) == NULL) {
		free(m);
		log_warn("cannot set the modem of '%s'", s->path);
		return -1;
	}
	free(s->modem);
	free(s->claim);
	s->modem = m;
	s->claim = c;
	/*
	 * Claims of an earlier run of this modem's daemon (or, without a
	 * modem.id, of the one daemon there is): it is gone, so its unsent
	 * rows are ours again without waiting out the lease.  A daemon
	 * killed between claim and send would otherwise delay its replies
	 * by the whole lease.
	 */
	return store_simple(s, "UPDATE outbox SET claimed_by = NULL"
	    " WHERE modem IS ?1 AND claimed_by IS NOT NULL", id,
	    "release old outbox claims");
}

int
store_status_put(struct store *s, const char *key, const char *value,
    int64_t at)
{
	sqlite3_stmt	*st = s->st[ST_STATUS_PUT];

	if (store_bind_str(st, 1, s->modem) != SQLITE_OK ||
	    store_bind_str(st, 2, key) != SQLITE_OK ||
	    store_bind_str(st, 3, value) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 4, at) != SQLITE_OK)
		return store_fail(s, st, "bind a status row");
	return store_done(s, st, "save a status row");
}

int
store_status_get(struct store *s, const char *key, char *value,
    size_t valuesz, int64_t *at)
{
	sqlite3_stmt	*st = s->st[ST_STATUS_GET];
	int		 rc;

	if (store_bind_str(st, 1, s->modem) != SQLITE_OK ||
	    store_bind_str(st, 2, key) != SQLITE_OK)
		return store_fail(s, st, "bind a status query");
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_ROW)
		return store_fail(s, st, "read a status row");
	if (at != NULL)
		*at = sqlite3_column_int64(st, 1);
	if (store_col_copy(s, st, 0, value, valuesz, "a status value") ==
	    -1) {
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return 1;
}

int
store_status_each(struct store *s, int (*fn)(void *, const char *,
    const char *, const char *, int64_t), void *arg)
{
	sqlite3_stmt	*st = s->st[ST_STATUS_EACH];
	const char	*modem, *key, *value;
	int		 rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		modem = (const char *)sqlite3_column_text(st, 0);
		key = (const char *)sqlite3_column_text(st, 1);
		value = (const char *)sqlite3_column_text(st, 2);
		if (fn(arg, modem != NULL ? modem : "", key != NULL ? key : "",
		    value != NULL ? value : "",
		    sqlite3_column_int64(st, 3)) == -1) {
			sqlite3_reset(st);
			return -1;
		}
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, st, "read the status");
	sqlite3_reset(st);
	return 0;
}

int
store_events_add(struct store *s, const struct store_event *evs, size_t n)
{
	size_t	 i;

	if (n == 0)
		return 0;
	if (store_begin(s) == -1)
		return -1;
	for (i = 0; i + STORE_EVENT_ROWS <= n; i += STORE_EVENT_ROWS)
		if (store_events_rows(s, evs + i) == -1)
			goto fail;
	for (; i < n; i++)
		if (store_event_add(s, &evs[i]) == -1)
			goto fail;
	return store_commit(s);
fail:
	store_rollback(s);
	return -1;
}

int
store_health_add(struct store *s, const struct store_health *h)
{
	sqlite3_stmt	*st = s->st[ST_HEALTH_ADD];

	if (sqlite3_bind_int64(st, 1, h->at) != SQLITE_OK ||
	    store_bind_str(st, 2, s->modem) != SQLITE_OK ||
	    sqlite3_bind_int(st, 3, h->signal_dbm) != SQLITE_OK ||
	    sqlite3_bind_int(st, 4, h->signal_pct) != SQLITE_OK ||
	    sqlite3_bind_int(st, 5, h->ber) != SQLITE_OK ||
	    store_bind_str(st, 6, h->network) != SQLITE_OK ||
	    store_bind_str(st, 7, h->network_code) != SQLITE_OK)
		return store_fail(s, st, "bind a health row");
	return store_done(s, st, "save a health row");
}

int
store_balance_add(struct store *s, int64_t at, int64_t amount)
{
	sqlite3_stmt	*st = s->st[ST_BALANCE_ADD];

	if (sqlite3_bind_int64(st, 1, at) != SQLITE_OK ||
	    store_bind_str(st, 2, s->modem) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, amount) != SQLITE_OK)
		return store_fail(s, st, "bind a balance row");
	return store_done(s, st, "save a balance row");
}

void
store_msg_release(struct store_msg *m)
{
	free(m->text);
	m->text = NULL;
}

void
store_out_release(struct store_out *o)
{
	free(o->body);
	o->body = NULL;
}

/* ---- demand statistics, unanswered words and retention (issue 6) */

/*
 * Insert ev's words into unmatched under the event's hour and
 * pseudonym; inside the caller's transaction.  Rare (unanswered
 * queries only), so the statement is prepared each time.
 */
static int
store_unmatched_insert(struct store *s, const char *hour,
    const struct store_event *ev)
{
	sqlite3_stmt	*st = s->st[ST_UNMATCHED_ADD];
	size_t		 i;

	if (ev->words == NULL || ev->nwords == 0)
		return 0;
	for (i = 0; i < ev->nwords; i++) {
		if (store_bind_str(st, 1, hour) != SQLITE_OK ||
		    store_bind_str(st, 2, ev->lang) != SQLITE_OK ||
		    store_bind_str(st, 3, ev->words[i]) != SQLITE_OK ||
		    sqlite3_bind_blob(st, 4, ev->pseudonym, STORE_PSEUDO_LEN,
		    SQLITE_STATIC) != SQLITE_OK)
			return store_fail(s, st, "bind an unmatched word");
		if (store_done(s, st, "insert an unmatched word") == -1)
			return -1;
	}
	return 0;
}

int
store_schema_version(void)
{
	return STORE_SCHEMA_VERSION;
}

int
store_unmatched_add(struct store *s, int64_t at, const char *lang,
    const unsigned char pseudonym[STORE_PSEUDO_LEN],
    const char *const *words, size_t n)
{
	struct store_event	 ev;
	char			 hour[STORE_HOUR_LEN];

	if (n == 0)
		return 0;
	memset(&ev, 0, sizeof(ev));
	ev.lang = lang;
	memcpy(ev.pseudonym, pseudonym, STORE_PSEUDO_LEN);
	ev.words = words;
	ev.nwords = n;
	if (store_hour(at, hour) == -1 || store_begin(s) == -1)
		return -1;
	if (store_unmatched_insert(s, hour, &ev) == -1) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s);
}

/*
 * Open an existing database for reading only: no migration, no write,
 * query_only on.  A reader of a WAL database never blocks the daemon's
 * writes; it only delays a checkpoint while a query runs.
 */
struct store *
store_open_readonly(const char *path)
{
	struct store	*s;
	int		 version = 0;

	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->path = strdup(path)) == NULL) {
		log_warn("cannot open database '%s'", path);
		free(s);
		return NULL;
	}
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		log_warnx("cannot open database '%s': %s", path,
		    s->db != NULL ? sqlite3_errmsg(s->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(s->db, STORE_BUSY_MS);
	sqlite3_limit(s->db, SQLITE_LIMIT_LENGTH, STORE_LEN_MAX);
	if (store_exec(s, "PRAGMA query_only = ON;"
	    "PRAGMA temp_store = MEMORY;", "set pragmas") == -1 ||
	    store_user_version(s, &version) == -1)
		goto fail;
	if (version > STORE_SCHEMA_VERSION) {
		log_warnx("cannot use '%s': its schema version %d is newer "
		    "than this habar's %d; upgrade habar", path, version,
		    STORE_SCHEMA_VERSION);
		goto fail;
	}
	if (version < STORE_SCHEMA_READ) {
		log_warnx("cannot read '%s': schema version %d, this habar "
		    "needs %d; start habard once to migrate it", path,
		    version, STORE_SCHEMA_READ);
		goto fail;
	}
	return s;
fail:
	store_close(s);
	return NULL;
}

/* The hour bounds of p: [since, until) as "YYYY-MM-DDTHH" strings. */
static int
store_period_hours(const struct store_period *p, char since[STORE_HOUR_LEN],
    char until[STORE_HOUR_LEN])
{
	int64_t	 u;

	if (p == NULL || p->since <= 0)
		(void)snprintf(since, STORE_HOUR_LEN, "0000");
	else if (store_hour(p->since, since) == -1)
		return -1;
	if (p == NULL || p->until <= 0) {
		(void)snprintf(until, STORE_HOUR_LEN, "9999");
		return 0;
	}
	/* An hour that has begun before until counts. */
	u = p->until + (p->until % 3600 != 0 ? 3600 - p->until % 3600 : 0);
	return store_hour(u, until);
}

/* Prepare sql and bind the period's hours as ?1 and ?2. */
static sqlite3_stmt *
store_stats_prepare(struct store *s, const char *sql,
    const struct store_period *p)
{
	sqlite3_stmt	*st;
	char		 since[STORE_HOUR_LEN], until[STORE_HOUR_LEN];

	if (store_period_hours(p, since, until) == -1)
		return NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		(void)store_fail(s, NULL, "prepare a statistics query");
		return NULL;
	}
	if (sqlite3_bind_text(st, 1, since, -1, SQLITE_TRANSIENT) !=
	    SQLITE_OK ||
	    sqlite3_bind_text(st, 2, until, -1, SQLITE_TRANSIENT) !=
	    SQLITE_OK) {
		(void)store_fail(s, NULL, "bind a statistics query");
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

/*
 * Step st to the end, growing *rows (elements of size sz) with fill()
 * for each row.  Returns 0 with *rows (caller frees) and *n set, or -1.
 */
static int
store_stats_collect(struct store *s, sqlite3_stmt *st, size_t sz,
    void **rows, size_t *n, int (*fill)(struct store *, sqlite3_stmt *,
    void *))
{
	void	*r = NULL, *nr;
	size_t	 cap = 0, len = 0;
	int	 rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (len == cap) {
			cap = cap == 0 ? 32 : cap * 2;
			if ((nr = reallocarray(r, cap, sz)) == NULL) {
				log_warn("cannot read statistics");
				goto fail;
			}
			r = nr;
		}
		memset((char *)r + len * sz, 0, sz);
		if (fill(s, st, (char *)r + len * sz) == -1)
			goto fail;
		len++;
	}
	if (rc != SQLITE_DONE) {
		(void)store_fail(s, NULL, "read statistics");
		goto fail;
	}
	sqlite3_finalize(st);
	*rows = r;
	*n = len;
	return 0;
fail:
	sqlite3_finalize(st);
	free(r);
	return -1;
}

static int
store_count_fill(struct store *s, sqlite3_stmt *st, void *row)
{
	struct store_count	*c = row;

	if (store_col_copy(s, st, 0, c->key, sizeof(c->key),
	    "a statistics key") == -1)
		return -1;
	c->messages = sqlite3_column_int64(st, 1);
	c->senders = sqlite3_column_int64(st, 2);
	c->unanswered = sqlite3_column_int64(st, 3);
	c->replies = sqlite3_column_int64(st, 4);
	c->parts = sqlite3_column_int64(st, 5);
	c->dropped = sqlite3_column_int64(st, 6);
	return 0;
}

/*
 * An event is a message unless it records a reply dropped after its
 * last try ("dropped"); "none" is a message nobody could answer.  A
 * pseudonym is per epoch, so count(DISTINCT) over a period spanning
 * several epochs counts a person once in each.
 */
#define STORE_STATS_COLS \
	" sum(\"match\" IS NOT 'dropped')," \
	" count(DISTINCT CASE WHEN \"match\" IS NOT 'dropped'" \
	"     THEN pseudonym END)," \
	" sum(\"match\" IS 'none')," \
	" sum(\"match\" IS NOT 'dropped' AND parts > 0)," \
	" coalesce(sum(CASE WHEN \"match\" IS NOT 'dropped'" \
	"     THEN parts END), 0)," \
	" sum(\"match\" IS 'dropped')" \
	" FROM events WHERE hour >= ?1 AND hour < ?2"

int
store_stats(struct store *s, const struct store_period *p, enum store_by by,
    struct store_count **out, size_t *n)
{
	static const char *const sql[] = {
		[STORE_BY_ALL] = "SELECT ''," STORE_STATS_COLS,
		[STORE_BY_CHANNEL] = "SELECT coalesce(channel, '?'),"
		    STORE_STATS_COLS " GROUP BY 1 ORDER BY 2 DESC, 1",
		[STORE_BY_TOPIC] = "SELECT coalesce(topic, '?'),"
		    STORE_STATS_COLS " AND \"match\" IS NOT 'dropped'"
		    " GROUP BY 1 ORDER BY 2 DESC, 1",
		[STORE_BY_LANG] = "SELECT coalesce(lang, '?'),"
		    STORE_STATS_COLS " AND \"match\" IS NOT 'dropped'"
		    " GROUP BY 1 ORDER BY 2 DESC, 1",
		[STORE_BY_COUNTRY] = "SELECT coalesce(country, '?'),"
		    STORE_STATS_COLS " AND \"match\" IS NOT 'dropped'"
		    " GROUP BY 1 ORDER BY 2 DESC, 1",
		[STORE_BY_HOUR] = "SELECT substr(hour, 12, 2),"
		    STORE_STATS_COLS " AND \"match\" IS NOT 'dropped'"
		    " GROUP BY 1 ORDER BY 1",
		[STORE_BY_DAY] = "SELECT substr(hour, 1, 10),"
		    STORE_STATS_COLS " AND \"match\" IS NOT 'dropped'"
		    " GROUP BY 1 ORDER BY 1",
		/* answer.c's "unsure:a,b" and "chosen:a,b" (topic b) */
		[STORE_BY_UNSURE] = "SELECT substr(CASE WHEN \"match\""
		    " LIKE 'unsure:%' THEN substr(\"match\", 8) || ' asked'"
		    " ELSE substr(\"match\", 8) || ' > ' || topic END, 1, 63),"
		    STORE_STATS_COLS " AND (\"match\" LIKE 'unsure:%'"
		    " OR \"match\" LIKE 'chosen:%') GROUP BY 1 ORDER BY 1",
	};
	sqlite3_stmt	*st;

	*out = NULL;
	*n = 0;
	if ((size_t)by >= sizeof(sql) / sizeof(sql[0])) {
		log_warnx("cannot read statistics: unknown breakdown %d",
		    (int)by);
		return -1;
	}
	if ((st = store_stats_prepare(s, sql[by], p)) == NULL)
		return -1;
	return store_stats_collect(s, st, sizeof(**out), (void **)out, n,
	    store_count_fill);
}

static int
store_word_fill(struct store *s, sqlite3_stmt *st, void *row)
{
	struct store_word	*w = row;

	if (store_col_copy(s, st, 0, w->word, sizeof(w->word),
	    "an unmatched word") == -1)
		return -1;
	w->senders = sqlite3_column_int64(st, 1);
	w->uses = sqlite3_column_int64(st, 2);
	return 0;
}

int
store_stats_words(struct store *s, const struct store_period *p,
    int min_senders, size_t max, struct store_word **out, size_t *n)
{
	sqlite3_stmt	*st;

	*out = NULL;
	*n = 0;
	/* Words below the threshold never leave the database. */
	if ((st = store_stats_prepare(s, "SELECT token,"
	    " count(DISTINCT pseudonym), count(*) FROM unmatched"
	    " WHERE hour >= ?1 AND hour < ?2 GROUP BY token"
	    " HAVING count(DISTINCT pseudonym) >= ?3"
	    " ORDER BY 2 DESC, 3 DESC, 1 LIMIT ?4", p)) == NULL)
		return -1;
	if (sqlite3_bind_int(st, 3, min_senders < 1 ? 1 : min_senders) !=
	    SQLITE_OK ||
	    sqlite3_bind_int64(st, 4, (sqlite3_int64)max) != SQLITE_OK) {
		(void)store_fail(s, NULL, "bind a statistics query");
		sqlite3_finalize(st);
		return -1;
	}
	return store_stats_collect(s, st, sizeof(**out), (void **)out, n,
	    store_word_fill);
}

int
store_stats_span(struct store *s, const struct store_period *p,
    char first[STORE_HOUR_LEN], char last[STORE_HOUR_LEN])
{
	sqlite3_stmt	*st;
	int		 rc;

	first[0] = last[0] = '\0';
	if ((st = store_stats_prepare(s, "SELECT min(hour), max(hour)"
	    " FROM events WHERE hour >= ?1 AND hour < ?2", p)) == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW ||
	    store_col_copy(s, st, 0, first, STORE_HOUR_LEN, "an hour") ==
	    -1 ||
	    store_col_copy(s, st, 1, last, STORE_HOUR_LEN, "an hour") == -1) {
		if (rc != SQLITE_ROW)
			(void)store_fail(s, NULL, "read statistics");
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

/* Run one bound DELETE of the purge; adds the rows deleted to *count. */
static int
store_purge_step(struct store *s, const char *sql, const char *hour,
    int64_t now, int64_t *count)
{
	sqlite3_stmt	*st;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, NULL, "prepare a purge");
	if ((hour != NULL && sqlite3_bind_text(st, 1, hour, -1,
	    SQLITE_STATIC) != SQLITE_OK) ||
	    (hour == NULL && sqlite3_bind_int64(st, 1, now) != SQLITE_OK) ||
	    sqlite3_step(st) != SQLITE_DONE) {
		(void)store_fail(s, NULL, "purge old rows");
		sqlite3_finalize(st);
		return -1;
	}
	*count += sqlite3_changes(s->db);
	sqlite3_finalize(st);
	return 0;
}

int
store_purge(struct store *s, int64_t before, int64_t now,
    struct store_purged *out)
{
	char	 hour[STORE_HOUR_LEN];

	memset(out, 0, sizeof(*out));
	if (store_hour(before, hour) == -1 || store_begin(s) == -1)
		return -1;
	if (store_purge_step(s, "DELETE FROM events WHERE hour < ?1", hour,
	    0, &out->events) == -1 ||
	    store_purge_step(s, "DELETE FROM unmatched WHERE hour < ?1", hour,
	    0, &out->unmatched) == -1 ||
	    store_purge_step(s, "DELETE FROM sessions WHERE expires_at <= ?1",
	    NULL, now, &out->sessions) == -1) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s);
}

/*
 * A check found listed entry ev->checked: count it for the event's UTC
 * day (of hour, the event's "YYYY-MM-DDTHH"), inside the caller's
 * transaction.
 */
static int
store_check_count(struct store *s, const struct store_event *ev,
    const char *hour)
{
	sqlite3_stmt	*st = s->st[ST_CHECK_COUNT];
	char		 day[STORE_HOUR_LEN];

	if (ev->checked == NULL)
		return 0;
	/* the day of "YYYY-MM-DDTHH" */
	snprintf(day, sizeof(day), "%.10s", hour);
	if (store_bind_str(st, 1, day) != SQLITE_OK ||
	    store_bind_str(st, 2, ev->checked) != SQLITE_OK)
		return store_fail(s, st, "bind a check count");
	return store_done(s, st, "count a check");
}

int
store_checks(struct store *s, const char *from, const char *to,
    store_checks_fn *fn, void *arg)
{
	sqlite3_stmt	*st;
	int		 rc, rv = 0;

	if (sqlite3_prepare_v2(s->db, "SELECT entry, day, n FROM checks"
	    " WHERE day >= ?1 AND day <= ?2 ORDER BY entry, day", -1, &st,
	    NULL) != SQLITE_OK)
		return store_fail(s, NULL, "read the check counts");
	if (store_bind_str(st, 1, from) != SQLITE_OK ||
	    store_bind_str(st, 2, to) != SQLITE_OK) {
		rv = store_fail(s, st, "bind a check count query");
		sqlite3_finalize(st);
		return rv;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fn(arg, (const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1),
		    sqlite3_column_int64(st, 2));
	if (rc != SQLITE_DONE)
		rv = store_fail(s, st, "read the check counts");
	sqlite3_finalize(st);
	return rv;
}
