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
#define STORE_LEN_MAX	(256 * 1024)	/* limit on a string or a row */
#define STORE_HOUR_LEN	16		/* "YYYY-MM-DDTHH" and NUL */

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
	"    expires_at INTEGER);"
};
#define STORE_SCHEMA_VERSION \
	((int)(sizeof(store_migrations) / sizeof(store_migrations[0])))

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
	ST_PENDING,
	ST_SESS_GET,
	ST_SESS_PUT,
	ST_SESS_DEL,
	ST_SESS_EXPIRE,
	ST_COUNT
};

static const char *const store_sql[ST_COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_INBOX_ADD] = "INSERT INTO inbox(channel, received_at, sender, text)"
	    " VALUES (?1, ?2, ?3, ?4)",
	[ST_INBOX_NEXT] = "SELECT id, channel, received_at, sender, text"
	    " FROM inbox WHERE id > ?1 ORDER BY id LIMIT 1",
	[ST_INBOX_DEL] = "DELETE FROM inbox WHERE id = ?1",
	[ST_OUT_ADD] = "INSERT INTO outbox(inbox_id, recipient, body, parts,"
	    " ucs2, tries, next_try_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[ST_OUT_NEXT] = "SELECT id, inbox_id, recipient, body, parts, ucs2,"
	    " tries, next_try_at FROM outbox WHERE next_try_at <= ?1"
	    " ORDER BY id LIMIT 1",
	[ST_OUT_DEL] = "DELETE FROM outbox WHERE id = ?1",
	[ST_OUT_TRIES] = "SELECT tries FROM outbox WHERE id = ?1",
	[ST_OUT_RETRY] = "UPDATE outbox SET tries = tries + 1,"
	    " next_try_at = ?2 WHERE id = ?1",
	[ST_EVENT_ADD] = "INSERT INTO events(hour, channel, lang, topic,"
	    " \"match\", country, parts, pseudonym, content_version)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[ST_PENDING] = "SELECT (SELECT count(*) FROM inbox) +"
	    " (SELECT count(*) FROM outbox)",
	[ST_SESS_GET] = "SELECT lang, menu, topic, page, expires_at"
	    " FROM sessions WHERE pseudonym = ?1 AND expires_at > ?2",
	[ST_SESS_PUT] = "INSERT OR REPLACE INTO sessions(pseudonym, lang,"
	    " menu, topic, page, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_SESS_DEL] = "DELETE FROM sessions WHERE pseudonym = ?1",
	[ST_SESS_EXPIRE] = "DELETE FROM sessions WHERE expires_at <= ?1"
};

struct store {
	sqlite3		*db;
	char		*path;
	sqlite3_stmt	*st[ST_COUNT];
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

/* Insert ev into events; inside the caller's transaction. */
static int
store_event_add(struct store *s, const struct store_event *ev)
{
	sqlite3_stmt	*st = s->st[ST_EVENT_ADD];
	char		 hour[STORE_HOUR_LEN];

	if (store_hour(ev->at, hour) == -1)
		return -1;
	if (sqlite3_bind_text(st, 1, hour, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
	    store_bind_str(st, 2, ev->channel) != SQLITE_OK ||
	    store_bind_str(st, 3, ev->lang) != SQLITE_OK ||
	    store_bind_str(st, 4, ev->topic) != SQLITE_OK ||
	    store_bind_str(st, 5, ev->match) != SQLITE_OK ||
	    store_bind_str(st, 6, ev->country) != SQLITE_OK ||
	    sqlite3_bind_int(st, 7, ev->parts) != SQLITE_OK ||
	    sqlite3_bind_blob(st, 8, ev->pseudonym, STORE_PSEUDO_LEN,
	    SQLITE_STATIC) != SQLITE_OK ||
	    store_bind_str(st, 9, ev->content_version) != SQLITE_OK)
		return store_fail(s, st, "bind an event");
	return store_done(s, st, "insert an event");
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

static int
store_setup(struct store *s)
{
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
	for (i = 0; i < ST_COUNT; i++) {
		if (sqlite3_prepare_v3(s->db, store_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &s->st[i], NULL) != SQLITE_OK)
			return store_fail(s, NULL, "prepare a statement");
	}
	return 0;
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
	if (sqlite3_open_v2(path, &s->db,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
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
		    store_bind_str(st, 4, msgs[i].text) != SQLITE_OK)
			return store_fail(s, st, "bind an inbox row");
		if (store_done(s, st, "insert an inbox row") == -1)
			return -1;
		msgs[i].id = sqlite3_last_insert_rowid(s->db);
	}
	return 0;
}

int
store_inbox_add(struct store *s, struct store_msg *msgs, size_t n)
{
	size_t	 i;
	int	 rc = -1;

	if (n == 0)
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
		if (store_inbox_insert(s, msgs, n) == 0)
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
	if (sqlite3_bind_int64(st, 1, after) != SQLITE_OK)
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
	    store_bind_str(st, 2, sess->lang) != SQLITE_OK ||
	    store_bind_str(st, 3, sess->menu) != SQLITE_OK ||
	    store_bind_str(st, 4, sess->topic) != SQLITE_OK ||
	    sqlite3_bind_int(st, 5, sess->page) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 6, sess->expires_at) != SQLITE_OK)
		return store_fail(s, st, "bind a session");
	return store_done(s, st, "save a session");
}

/* The body of store_process(), inside its transaction. */
static int
store_process_tx(struct store *s, int64_t inbox_id,
    const struct store_out *reply, const struct store_event *ev,
    const struct store_session *sess)
{
	sqlite3_stmt	*st;

	if (reply != NULL) {
		st = s->st[ST_OUT_ADD];
		if (sqlite3_bind_int64(st, 1, inbox_id) != SQLITE_OK ||
		    store_bind_str(st, 2, reply->recipient) != SQLITE_OK ||
		    store_bind_str(st, 3, reply->body) != SQLITE_OK ||
		    sqlite3_bind_int(st, 4, reply->parts) != SQLITE_OK ||
		    sqlite3_bind_int(st, 5, reply->ucs2) != SQLITE_OK ||
		    sqlite3_bind_int(st, 6, reply->tries) != SQLITE_OK ||
		    sqlite3_bind_int64(st, 7, reply->next_try_at) != SQLITE_OK)
			return store_fail(s, st, "bind an outbox row");
		if (store_done(s, st, "insert an outbox row") == -1)
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
	out->page = sqlite3_column_int(st, 3);
	out->expires_at = sqlite3_column_int64(st, 4);
	if (store_col_copy(s, st, 0, out->lang, sizeof(out->lang),
	    "a session language") == -1 ||
	    store_col_copy(s, st, 1, out->menu, sizeof(out->menu),
	    "a session menu") == -1 ||
	    store_col_copy(s, st, 2, out->topic, sizeof(out->topic),
	    "a session topic") == -1) {
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
	if (sqlite3_bind_int64(st, 1, now) != SQLITE_OK)
		return store_fail(s, st, "bind an outbox query");
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_ROW)
		return store_fail(s, st, "read the outbox");
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
		memset(out, 0, sizeof(*out));
		return -1;
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
 * middle of a read after the busy timeout ran out.  The -wal then keeps
 * its old page images (numbers included) until the next idle moment,
 * when the daemon calls this again.
 */
int
store_idle_checkpoint(struct store *s)
{
	int64_t	 n;
	int	 rc, nlog = 0, nckpt = 0;

	if ((n = store_pending(s)) == -1)
		return -1;
	if (n > 0)
		return 0;
	rc = sqlite3_wal_checkpoint_v2(s->db, NULL,
	    SQLITE_CHECKPOINT_TRUNCATE, &nlog, &nckpt);
	if (rc == SQLITE_BUSY) {
		log_debug("wal checkpoint of '%s' busy (%d of %d frames); "
		    "retrying when next idle", s->path, nckpt, nlog);
		return 0;
	}
	if (rc != SQLITE_OK)
		return store_fail(s, NULL, "checkpoint the wal");
	return 0;
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
