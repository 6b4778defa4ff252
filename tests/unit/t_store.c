/*
 * t_store.c - unit tests for store.c: migrations, the inbox -> outbox ->
 * events flow, retries, concurrency between two handles, and the
 * privacy promise that no number survives in the db, -wal or -shm once
 * the queues drain and the idle checkpoint runs.  Files are inspected
 * as raw bytes, so the test needs no <sqlite3.h>.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"
#include "store.h"

#define NUMBER		"+77011234567"
#define DIGITS		"7011234567"

struct fixture {
	char	 dir[64];
	char	 db[128];
	char	 wal[136];
	char	 shm[136];
};

static int
setup(void **state)
{
	struct fixture	*f;

	f = calloc(1, sizeof(*f));
	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/t_store.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->db, sizeof(f->db), "%s/habar.db", f->dir);
	snprintf(f->wal, sizeof(f->wal), "%s-wal", f->db);
	snprintf(f->shm, sizeof(f->shm), "%s-shm", f->db);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	unlink(f->db);
	unlink(f->wal);
	unlink(f->shm);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* The whole file in a heap buffer (NULL, 0 when missing). */
static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE		*fp;
	unsigned char	*buf;
	long		 n;

	*len = 0;
	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n >= 0);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

/* Whether needle occurs in buf (memmem is not POSIX). */
static int
bytes_has(const unsigned char *buf, size_t len, const char *needle)
{
	size_t	 n = strlen(needle), i;

	for (i = 0; i + n <= len; i++)
		if (buf[i] == (unsigned char)needle[0] &&
		    memcmp(buf + i, needle, n) == 0)
			return 1;
	return 0;
}

/*
 * Whether needle occurs in the bytes of the file at path.  The file is
 * read in a child process: closing any descriptor of a file drops every
 * POSIX lock this process holds on it, SQLite's included, and then
 * another process could delete a -wal that an open handle still uses.
 */
static int
file_has_any(const char *path, const char *const *needles, int n)
{
	unsigned char	*buf;
	size_t		 len;
	pid_t		 pid;
	int		 i, status;

	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		if ((buf = slurp(path, &len)) == NULL)
			_exit(0);
		for (i = 0; i < n; i++)
			if (bytes_has(buf, len, needles[i]))
				_exit(1);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static int
file_has(const char *path, const char *needle)
{
	return file_has_any(path, &needle, 1);
}

static int
any_file_has(const struct fixture *f, const char *needle)
{
	return file_has(f->db, needle) || file_has(f->wal, needle) ||
	    file_has(f->shm, needle);
}

static off_t
file_size(const char *path)
{
	struct stat	 sb;

	if (stat(path, &sb) == -1)
		return -1;
	return sb.st_size;
}

/* user_version from the database header (closed database only). */
static uint32_t
header_user_version(const char *path)
{
	unsigned char	*buf;
	size_t		 len;
	uint32_t	 v;

	buf = slurp(path, &len);
	assert_non_null(buf);
	assert_true(len >= 100);
	v = (uint32_t)buf[60] << 24 | (uint32_t)buf[61] << 16 |
	    (uint32_t)buf[62] << 8 | buf[63];
	free(buf);
	return v;
}

static void
set_header_user_version(const char *path, uint32_t v)
{
	unsigned char	 b[4];
	FILE		*fp;

	b[0] = v >> 24;
	b[1] = v >> 16;
	b[2] = v >> 8;
	b[3] = v;
	fp = fopen(path, "r+b");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 60, SEEK_SET), 0);
	assert_int_equal(fwrite(b, 1, 4, fp), 4);
	fclose(fp);
}

static void
msg_init(struct store_msg *m, const char *sender, const char *text,
    int64_t at)
{
	memset(m, 0, sizeof(*m));
	snprintf(m->channel, sizeof(m->channel), "sms");
	snprintf(m->sender, sizeof(m->sender), "%s", sender);
	m->received_at = at;
	m->text = (char *)text;
}

static void
out_init(struct store_out *o, const char *recipient, const char *body,
    int64_t at)
{
	memset(o, 0, sizeof(*o));
	snprintf(o->recipient, sizeof(o->recipient), "%s", recipient);
	o->body = (char *)body;
	o->parts = 1;
	o->next_try_at = at;
}

static void
event_init(struct store_event *ev, const char *topic, int64_t at)
{
	memset(ev, 0, sizeof(*ev));
	ev->at = at;
	ev->channel = "sms";
	ev->lang = "ru";
	ev->topic = topic;
	ev->match = "exact";
	ev->country = "KZ";
	ev->parts = 1;
	memset(ev->pseudonym, 0xa5, sizeof(ev->pseudonym));
	ev->content_version = "cv1";
}

static void
test_migrate_empty(void **state)
{
	struct fixture		*f = *state;
	struct store		*s;
	struct store_msg	 m;
	struct stat		 sb;

	s = store_open(f->db);
	assert_non_null(s);
	assert_int_equal(store_pending(s), 0);
	assert_int_equal(store_inbox_next(s, 0, &m), 0);
	store_close(s);
	assert_int_equal(header_user_version(f->db),
	    (uint32_t)store_schema_version());
	/* Numbers pass through it: nobody else may read the file. */
	assert_int_equal(stat(f->db, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
}

static void
test_reopen_keeps_data(void **state)
{
	struct fixture		*f = *state;
	struct store		*s;
	struct store_msg	 m, got;

	s = store_open(f->db);
	assert_non_null(s);
	msg_init(&m, NUMBER, "привет", 1000);
	assert_int_equal(store_inbox_add(s, &m, 1), 0);
	assert_true(m.id > 0);
	store_close(s);
	assert_int_equal(header_user_version(f->db),
	    (uint32_t)store_schema_version());

	s = store_open(f->db);
	assert_non_null(s);
	assert_int_equal(store_inbox_next(s, 0, &got), 1);
	assert_int_equal(got.id, m.id);
	assert_string_equal(got.channel, "sms");
	assert_string_equal(got.sender, NUMBER);
	assert_string_equal(got.text, "привет");
	assert_int_equal(got.received_at, 1000);
	store_msg_release(&got);
	assert_null(got.text);
	store_close(s);
	assert_int_equal(header_user_version(f->db),
	    (uint32_t)store_schema_version());
}

static void
test_newer_schema_refused(void **state)
{
	struct fixture	*f = *state;
	struct store	*s;

	s = store_open(f->db);
	assert_non_null(s);
	store_close(s);
	set_header_user_version(f->db, 99);
	assert_null(store_open(f->db));
	/* Refusing must not touch it. */
	assert_int_equal(header_user_version(f->db), 99);
}

static void
test_inbox_order(void **state)
{
	struct fixture		*f = *state;
	struct store		*s;
	struct store_msg	 m[3], got;
	int64_t			 after = 0;
	int			 i;

	s = store_open(f->db);
	assert_non_null(s);
	msg_init(&m[0], "+77010000001", "one", 10);
	msg_init(&m[1], "+77010000002", "two", 11);
	msg_init(&m[2], "+77010000003", NULL, 12);
	assert_int_equal(store_inbox_add(s, m, 3), 0);
	assert_true(m[0].id < m[1].id && m[1].id < m[2].id);
	assert_int_equal(store_inbox_add(s, m, 0), 0);
	assert_int_equal(store_pending(s), 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(store_inbox_next(s, after, &got), 1);
		assert_int_equal(got.id, m[i].id);
		assert_string_equal(got.sender, m[i].sender);
		assert_string_equal(got.text, m[i].text ? m[i].text : "");
		after = got.id;
		store_msg_release(&got);
	}
	assert_int_equal(store_inbox_next(s, after, &got), 0);
	store_close(s);
}

static void
test_process(void **state)
{
	struct fixture		*f = *state;
	struct store		*s;
	struct store_msg	 m[2], got;
	struct store_out	 o, out;
	struct store_event	 ev;

	s = store_open(f->db);
	assert_non_null(s);
	msg_init(&m[0], NUMBER, "help", 100);
	msg_init(&m[1], NUMBER, "spam", 101);
	assert_int_equal(store_inbox_add(s, m, 2), 0);

	out_init(&o, NUMBER, "part one\x1fpart two", 100);
	o.parts = 2;
	o.ucs2 = 1;
	event_init(&ev, "hotline", 100);
	assert_int_equal(store_process(s, m[0].id, &o, &ev, NULL), 0);
	assert_int_equal(store_pending(s), 2);
	assert_int_equal(store_inbox_next(s, 0, &got), 1);
	assert_int_equal(got.id, m[1].id);
	store_msg_release(&got);

	assert_int_equal(store_outbox_next(s, 100, &out), 1);
	assert_int_equal(out.inbox_id, m[0].id);
	assert_string_equal(out.recipient, NUMBER);
	assert_string_equal(out.body, "part one\x1fpart two");
	assert_int_equal(out.parts, 2);
	assert_int_equal(out.ucs2, 1);
	assert_int_equal(out.tries, 0);
	assert_int_equal(out.next_try_at, 100);
	store_out_release(&out);
	assert_null(out.body);

	/* Nothing to send and nothing to log: the row just goes. */
	assert_int_equal(store_process(s, m[1].id, NULL, NULL, NULL), 0);
	assert_int_equal(store_pending(s), 1);

	/* A row that is gone: all or nothing, no second reply queued. */
	assert_int_equal(store_process(s, m[1].id, &o, &ev, NULL), -1);
	assert_int_equal(store_pending(s), 1);
	store_close(s);
}

static void
test_outbox_due(void **state)
{
	struct fixture		*f = *state;
	struct store		*s;
	struct store_msg	 m[2];
	struct store_out	 o, out;

	s = store_open(f->db);
	assert_non_null(s);
	msg_init(&m[0], "+77010000001", "a", 1);
	msg_init(&m[1], "+77010000002", "b", 2);
	assert_int_equal(store_inbox_add(s, m, 2), 0);
	out_init(&o, "+77010000001", "late", 200);
	assert_int_equal(store_process(s, m[0].id, &o, NULL, NULL), 0);
	out_init(&o, "+77010000002", "early", 100);
	assert_int_equal(store_process(s, m[1].id, &o, NULL, NULL), 0);

	assert_int_equal(store_outbox_next(s, 99, &out), 0);
	assert_int_equal(store_outbox_next(s, 150, &out), 1);
	assert_string_equal(out.body, "early");
	store_out_release(&out);
	/* Both due: the oldest row first. */
	assert_int_equal(store_outbox_next(s, 300, &out), 1);
	assert_string_equal(out.body, "late");
	assert_int_equal(store_outbox_sent(s, out.id), 0);
	/* Sent twice (two daemons): harmless. */
	assert_int_equal(store_outbox_sent(s, out.id), 0);
	store_out_release(&out);
	assert_int_equal(store_pending(s), 1);
	store_close(s);
}

/*
 * A daemon killed between claiming a reply and sending it: the next run
 * (no modem.id, the usual single-modem setup) takes the reply at once
 * instead of waiting out the claim's lease.
 */
static void
test_claim_released_on_restart(void **state)
{
	struct fixture		*f = *state;
	struct store		*s;
	struct store_msg	 m;
	struct store_out	 o, out;
	pid_t			 pid;
	int			 status;

	s = store_open(f->db);
	assert_non_null(s);
	msg_init(&m, "+77010000001", "a", 1);
	assert_int_equal(store_inbox_add(s, &m, 1), 0);
	out_init(&o, "+77010000001", "reply", 0);
	assert_int_equal(store_process(s, m.id, &o, NULL, NULL), 0);
	store_close(s);

	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		/* Claim it, then die without sending or closing. */
		if ((s = store_open(f->db)) == NULL ||
		    store_set_modem(s, NULL) == -1 ||
		    store_outbox_next(s, 10, &out) != 1)
			_exit(1);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	s = store_open(f->db);
	assert_non_null(s);
	assert_int_equal(store_set_modem(s, NULL), 0);
	assert_int_equal(store_outbox_next(s, 11, &out), 1);
	assert_string_equal(out.body, "reply");
	store_out_release(&out);
	store_close(s);
}

static void
test_failed_retry_drop(void **state)
{
	struct fixture		*f = *state;
	struct store		*s;
	struct store_msg	 m;
	struct store_out	 o, out;
	struct store_event	 ev;
	int64_t			 id;

	s = store_open(f->db);
	assert_non_null(s);
	msg_init(&m, NUMBER, "help", 1000);
	assert_int_equal(store_inbox_add(s, &m, 1), 0);
	out_init(&o, NUMBER, "reply", 1000);
	assert_int_equal(store_process(s, m.id, &o, NULL, NULL), 0);
	assert_int_equal(store_outbox_next(s, 1000, &out), 1);
	id = out.id;
	store_out_release(&out);

	event_init(&ev, "dropped-marker", 1000);
	ev.match = "undelivered";
	assert_int_equal(store_outbox_failed(s, id, 1060, 3, &ev), 0);
	assert_int_equal(store_outbox_next(s, 1059, &out), 0);
	assert_int_equal(store_outbox_next(s, 1060, &out), 1);
	assert_int_equal(out.tries, 1);
	assert_int_equal(out.next_try_at, 1060);
	store_out_release(&out);

	assert_int_equal(store_outbox_failed(s, id, 1200, 3, &ev), 0);
	assert_int_equal(store_outbox_next(s, 1200, &out), 1);
	assert_int_equal(out.tries, 2);
	store_out_release(&out);
	assert_int_equal(store_pending(s), 1);

	/* Third failure of three: dropped, with its event. */
	assert_int_equal(store_outbox_failed(s, id, 1500, 3, &ev), 0);
	assert_int_equal(store_pending(s), 0);
	assert_int_equal(store_outbox_next(s, 99999, &out), 0);
	assert_int_equal(store_outbox_failed(s, id, 1500, 3, &ev), -1);
	store_close(s);

	assert_true(file_has(f->db, "dropped-marker"));
	assert_true(file_has(f->db, "undelivered"));
	/* Event hour: 1000 s after the epoch, UTC. */
	assert_true(file_has(f->db, "1970-01-01T00"));
	assert_false(file_has(f->db, DIGITS));
}

static void
test_event_hour_utc(void **state)
{
	struct fixture		*f = *state;
	struct store		*s;
	struct store_msg	 m;
	struct store_event	 ev;

	s = store_open(f->db);
	assert_non_null(s);
	msg_init(&m, NUMBER, "x", 0);
	assert_int_equal(store_inbox_add(s, &m, 1), 0);
	/* 2026-11-26 07:59:59 UTC */
	event_init(&ev, "hour-marker", 1795679999);
	assert_int_equal(store_process(s, m.id, NULL, &ev, NULL), 0);
	store_close(s);
	assert_true(file_has(f->db, "2026-11-26T07"));
}

/*
 * Run a realistic burst through one handle: many senders, one long
 * message that spills into overflow pages, replies sent, one reply
 * dropped after failures.  Returns with everything drained.
 */
static void
privacy_burst(struct store *s, int nmsg)
{
	struct store_msg	*m;
	struct store_out	 o, out;
	struct store_event	 ev;
	char			*longtext, body[64];
	int			 i, r;

	m = calloc((size_t)nmsg, sizeof(*m));
	assert_non_null(m);
	longtext = malloc(20000);
	assert_non_null(longtext);
	for (i = 0; i + 13 < 20000; i += 13)
		memcpy(longtext + i, NUMBER " ", 13);
	longtext[i] = '\0';

	for (i = 0; i < nmsg; i++) {
		char	 num[STORE_NUMBER_MAX];

		if (i % 3 == 0)
			snprintf(num, sizeof(num), "%s", NUMBER);
		else
			snprintf(num, sizeof(num), "+7705%07d", i);
		msg_init(&m[i], num, i == 1 ? longtext : "call " NUMBER,
		    5000 + i);
	}
	/* Several polls, some overlapping with processing. */
	for (i = 0; i < nmsg; i += 50) {
		r = nmsg - i < 50 ? nmsg - i : 50;
		assert_int_equal(store_inbox_add(s, m + i, (size_t)r), 0);
	}
	event_init(&ev, "privacy", 5000);
	for (i = 0; i < nmsg; i++) {
		snprintf(body, sizeof(body), "reply to %s", m[i].sender);
		out_init(&o, m[i].sender, body, 5000);
		assert_int_equal(store_process(s, m[i].id, &o, &ev, NULL), 0);
		if (i % 7 == 0) {
			/* Interleave sends with processing. */
			assert_int_equal(store_outbox_next(s, 5000, &out), 1);
			assert_int_equal(store_outbox_sent(s, out.id), 0);
			store_out_release(&out);
		}
	}
	/* One reply fails until dropped. */
	assert_int_equal(store_outbox_next(s, 5000, &out), 1);
	for (i = 0; i < 3; i++)
		assert_int_equal(store_outbox_failed(s, out.id, 5000, 3,
		    &ev), 0);
	store_out_release(&out);
	while ((r = store_outbox_next(s, 5000, &out)) == 1) {
		assert_int_equal(store_outbox_sent(s, out.id), 0);
		store_out_release(&out);
	}
	assert_int_equal(r, 0);
	assert_int_equal(store_pending(s), 0);
	free(longtext);
	free(m);
}

static void
assert_no_numbers(const struct fixture *f, int nmsg)
{
	const char	*files[3] = { f->db, f->wal, f->shm };
	char		**needles;
	int		 i, n = 0;

	needles = calloc((size_t)nmsg + 2, sizeof(*needles));
	assert_non_null(needles);
	needles[n++] = strdup(NUMBER);
	needles[n++] = strdup(DIGITS);
	for (i = 0; i < nmsg; i++) {
		if (i % 3 == 0)
			continue;
		needles[n] = malloc(16);
		assert_non_null(needles[n]);
		snprintf(needles[n++], 16, "705%07d", i);
	}
	for (i = 0; i < 3; i++)
		assert_false(file_has_any(files[i],
		    (const char *const *)needles, n));
	for (i = 0; i < n; i++)
		free(needles[i]);
	free(needles);
}

static void
test_privacy_scan(void **state)
{
	struct fixture		*f = *state;
	struct store		*s, *other;
	struct store_msg	 m;
	const int		 nmsg = 600;

	s = store_open(f->db);
	assert_non_null(s);
	/* A second, idle handle must not stop the checkpoint. */
	other = store_open(f->db);
	assert_non_null(other);
	privacy_burst(s, nmsg);
	assert_int_equal(store_pending(other), 0);

	/* Drained but not yet checkpointed: the -wal still has them. */
	assert_true(file_has(f->wal, DIGITS));
	assert_true(file_size(f->wal) > 0);

	assert_int_equal(store_idle_checkpoint(s), 0);
	assert_int_equal(file_size(f->wal), 0);
	assert_no_numbers(f, nmsg);

	/* Still clean after more events and the last close. */
	msg_init(&m, NUMBER, "again", 9000);
	assert_int_equal(store_inbox_add(other, &m, 1), 0);
	assert_true(any_file_has(f, DIGITS));
	assert_int_equal(store_process(other, m.id, NULL, NULL, NULL), 0);
	assert_int_equal(store_idle_checkpoint(other), 0);
	assert_no_numbers(f, nmsg);
	store_close(other);
	store_close(s);
	assert_no_numbers(f, nmsg);
}

static void
test_checkpoint_waits_for_queues(void **state)
{
	struct fixture		*f = *state;
	struct store		*s;
	struct store_msg	 m;
	struct store_out	 o, out;

	s = store_open(f->db);
	assert_non_null(s);
	msg_init(&m, NUMBER, "help", 1);
	assert_int_equal(store_inbox_add(s, &m, 1), 0);
	out_init(&o, NUMBER, "reply", 1);
	assert_int_equal(store_process(s, m.id, &o, NULL, NULL), 0);
	/* Reply pending: the number must stay, nothing is truncated. */
	assert_int_equal(store_idle_checkpoint(s), 1);
	assert_true(file_size(f->wal) > 0);
	assert_true(any_file_has(f, DIGITS));
	assert_int_equal(store_outbox_next(s, 1, &out), 1);
	assert_int_equal(store_outbox_sent(s, out.id), 0);
	store_out_release(&out);
	assert_int_equal(store_idle_checkpoint(s), 0);
	assert_int_equal(file_size(f->wal), 0);
	assert_false(any_file_has(f, DIGITS));
	store_close(s);
}

#define SQLITE_CLI	"/usr/bin/sqlite3"

/*
 * A reader in another process (the sqlite3 shell, so this file needs no
 * <sqlite3.h>) holds a snapshot: the checkpoint waits out the busy
 * timeout, returns 0 and leaves the -wal; the next idle call, after the
 * reader is gone, cleans up.  Takes the busy timeout (5 s) to run.
 */
static void
test_checkpoint_busy_reader(void **state)
{
	struct fixture		*f = *state;
	struct store		*s;
	struct store_msg	 m;
	char			 line[64];
	const char		*sql;
	int			 in[2], out[2], status;
	pid_t			 pid;

	if (access(SQLITE_CLI, X_OK) == -1)
		skip();
	sql = "BEGIN; SELECT count(*) FROM events;\n";
	s = store_open(f->db);
	assert_non_null(s);
	msg_init(&m, NUMBER, "help", 1);
	assert_int_equal(store_inbox_add(s, &m, 1), 0);
	assert_int_equal(store_process(s, m.id, NULL, NULL, NULL), 0);

	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(out), 0);
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execl(SQLITE_CLI, "sqlite3", f->db, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	assert_int_equal(write(in[1], sql, strlen(sql)), (ssize_t)strlen(sql));
	/* The count comes back once the snapshot is held. */
	assert_true(read(out[0], line, sizeof(line)) > 0);

	/* Busy: not done, and the caller is told to try again. */
	assert_int_equal(store_idle_checkpoint(s), 1);
	assert_true(file_size(f->wal) > 0);
	assert_true(any_file_has(f, DIGITS));

	close(in[1]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	close(out[0]);
	assert_int_equal(store_idle_checkpoint(s), 0);
	assert_int_equal(file_size(f->wal), 0);
	assert_false(any_file_has(f, DIGITS));
	store_close(s);
}

#define CONC_ROUNDS	150

/* One writer process: add, process and send its own messages. */
static void
concurrent_child(const char *path, int who)
{
	struct store		*s;
	struct store_msg	 m[2];
	struct store_out	 o;
	struct store_event	 ev;
	char			 num[STORE_NUMBER_MAX];
	int			 i, j;

	if ((s = store_open(path)) == NULL)
		_exit(2);
	event_init(&ev, "conc", 1);
	for (i = 0; i < CONC_ROUNDS; i++) {
		for (j = 0; j < 2; j++) {
			snprintf(num, sizeof(num), "+7706%d%06d", who, i);
			msg_init(&m[j], num, "x", i);
		}
		if (store_inbox_add(s, m, 2) == -1)
			_exit(3);
		for (j = 0; j < 2; j++) {
			out_init(&o, m[j].sender, "y", i);
			if (store_process(s, m[j].id, &o, &ev, NULL) == -1)
				_exit(4);
		}
		if (store_pending(s) < 0 || store_idle_checkpoint(s) == -1)
			_exit(5);
	}
	store_close(s);
	_exit(0);
}

static void
test_concurrent_handles(void **state)
{
	struct fixture		*f = *state;
	struct store		*s;
	struct store_msg	 m;
	struct store_out	 out;
	pid_t			 pid[2];
	int			 i, live, status, sent = 0, r;

	/* Create the schema first, then race two writers on it. */
	s = store_open(f->db);
	assert_non_null(s);
	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		assert_true(pid[i] != -1);
		if (pid[i] == 0)
			concurrent_child(f->db, i);
	}
	/* The parent sends replies meanwhile: a third writer. */
	for (live = 2; live > 0;) {
		r = store_outbox_next(s, CONC_ROUNDS, &out);
		assert_true(r >= 0);
		if (r == 1) {
			assert_int_equal(store_outbox_sent(s, out.id), 0);
			store_out_release(&out);
			sent++;
		}
		for (i = 0; i < 2; i++) {
			if (pid[i] == 0 || waitpid(pid[i], &status, WNOHANG) !=
			    pid[i])
				continue;
			assert_true(WIFEXITED(status));
			assert_int_equal(WEXITSTATUS(status), 0);
			pid[i] = 0;
			live--;
		}
	}
	assert_int_equal(store_inbox_next(s, 0, &m), 0);
	assert_int_equal(store_pending(s), 2 * 2 * CONC_ROUNDS - sent);
	while ((r = store_outbox_next(s, CONC_ROUNDS, &out)) == 1) {
		assert_int_equal(store_outbox_sent(s, out.id), 0);
		store_out_release(&out);
		sent++;
	}
	assert_int_equal(r, 0);
	assert_int_equal(sent, 2 * 2 * CONC_ROUNDS);
	assert_int_equal(store_idle_checkpoint(s), 0);
	assert_false(any_file_has(f, "+7706"));
	store_close(s);
}

static void
test_concurrent_open(void **state)
{
	struct fixture		*f = *state;
	struct store		*s;
	pid_t			 pid[3];
	int			 i, status, failed = 0;

	/* Three daemons starting at once on a fresh file: one migrates. */
	for (i = 0; i < 3; i++) {
		pid[i] = fork();
		assert_true(pid[i] != -1);
		if (pid[i] == 0) {
			if ((s = store_open(f->db)) == NULL)
				_exit(1);
			store_close(s);
			_exit(0);
		}
	}
	/* Reap all before asserting: teardown must not pull files away. */
	for (i = 0; i < 3; i++) {
		if (waitpid(pid[i], &status, 0) != pid[i] ||
		    !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed++;
	}
	assert_int_equal(failed, 0);
	/*
	 * The last to close may not have checkpointed (another was still
	 * closing): the version can be in the -wal.  A sole open and close
	 * moves it into the file.
	 */
	s = store_open(f->db);
	assert_non_null(s);
	store_close(s);
	assert_int_equal(header_user_version(f->db),
	    (uint32_t)store_schema_version());
}

static void
test_bad_path(void **state)
{
	struct fixture	*f = *state;
	char		 path[160];

	(void)f;
	snprintf(path, sizeof(path), "%s/missing/habar.db", f->dir);
	assert_null(store_open(path));
}

/* Sessions: saved with a message, read back until they expire, forgotten. */
static void
test_sessions(void **state)
{
	struct fixture		*f = *state;
	struct store		*s;
	struct store_session	 sess, got;

	s = store_open(f->db);
	assert_non_null(s);
	memset(&sess, 0, sizeof(sess));
	memset(sess.pseudonym, 0xab, sizeof(sess.pseudonym));
	snprintf(sess.state.lang, sizeof(sess.state.lang), "kk");
	snprintf(sess.state.menu, sizeof(sess.state.menu), "root");
	snprintf(sess.state.topic, sizeof(sess.state.topic), "passport");
	sess.state.page = 2;
	sess.state.latin = 1;
	sess.expires_at = 2000;
	/* No inbox row: the HTTP channel's way. */
	assert_int_equal(store_process(s, 0, NULL, NULL, &sess), 0);
	assert_int_equal(store_session_get(s, sess.pseudonym, 1999, &got), 1);
	assert_string_equal(got.state.lang, "kk");
	assert_string_equal(got.state.menu, "root");
	assert_string_equal(got.state.topic, "passport");
	assert_int_equal(got.state.page, 2);
	assert_int_equal(got.state.latin, 1);
	assert_int_equal(got.expires_at, 2000);
	assert_int_equal(store_session_get(s, sess.pseudonym, 2000, &got), 0);

	/* Replaced, then forgotten (STOP). */
	sess.state.page = 3;
	sess.state.latin = 0;
	sess.expires_at = 3000;
	assert_int_equal(store_process(s, 0, NULL, NULL, &sess), 0);
	assert_int_equal(store_session_get(s, sess.pseudonym, 2500, &got), 1);
	assert_int_equal(got.state.page, 3);
	assert_int_equal(got.state.latin, 0);
	sess.expires_at = 0;
	assert_int_equal(store_process(s, 0, NULL, NULL, &sess), 0);
	assert_int_equal(store_session_get(s, sess.pseudonym, 2500, &got), 0);

	/* Expiry deletes only what is old. */
	sess.expires_at = 5000;
	assert_int_equal(store_process(s, 0, NULL, NULL, &sess), 0);
	memset(sess.pseudonym, 0xcd, sizeof(sess.pseudonym));
	sess.expires_at = 4000;
	assert_int_equal(store_process(s, 0, NULL, NULL, &sess), 0);
	assert_int_equal(store_session_expire(s, 4500), 0);
	assert_int_equal(store_session_get(s, sess.pseudonym, 0, &got), 0);
	memset(sess.pseudonym, 0xab, sizeof(sess.pseudonym));
	assert_int_equal(store_session_get(s, sess.pseudonym, 0, &got), 1);
	store_close(s);
}

#define SCHEMA_BEFORE_LATIN	7	/* sessions without their script */

/*
 * A database of schema 7, before sessions kept the script of their
 * pages, with a session written the way habar wrote it then (by the
 * sqlite3 shell, so this file needs no <sqlite3.h>): opening migrates
 * it, the session lives on and reads on in Cyrillic (latin 0), and
 * the new field is kept from then on.  Read-only tools (stats) read it
 * before that, unmigrated.
 */
static void
test_sessions_migrate(void **state)
{
	struct fixture		*f = *state;
	struct store		*s;
	struct store_session	 sess, got;
	struct store_count	*c;
	char			 sql[1024];
	size_t			 n;
	int			 status;
	pid_t			 pid;

	if (access(SQLITE_CLI, X_OK) == -1)
		skip();
	/* The guard's tables as they were then (later schemas remake them). */
	snprintf(sql, sizeof(sql), "DROP TABLE sessions;"
	    "CREATE TABLE sessions(pseudonym BLOB PRIMARY KEY, lang TEXT,"
	    " menu TEXT, topic TEXT, page INTEGER, expires_at INTEGER);"
	    "INSERT INTO sessions VALUES(zeroblob(%d), 'kk', 'root',"
	    " 'passport', 2, 1980);"
	    "DROP TABLE guard_hits; DROP TABLE guard_spent;"
	    "CREATE TABLE guard_replies(pseudonym BLOB, at INTEGER);"
	    "CREATE TABLE guard_days(day INTEGER PRIMARY KEY,"
	    " replies INTEGER);"
	    "PRAGMA user_version = %d;", STORE_PSEUDO_LEN,
	    SCHEMA_BEFORE_LATIN);
	assert_true(store_schema_version() > SCHEMA_BEFORE_LATIN);
	s = store_open(f->db);
	assert_non_null(s);
	store_close(s);
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		execl(SQLITE_CLI, "sqlite3", f->db, sql, (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(header_user_version(f->db), SCHEMA_BEFORE_LATIN);
	/* Readers take it as it is, before the daemon migrates it. */
	s = store_open_readonly(f->db);
	assert_non_null(s);
	assert_int_equal(store_stats(s, NULL, STORE_BY_ALL, &c, &n), 0);
	free(c);
	store_close(s);
	assert_int_equal(header_user_version(f->db), SCHEMA_BEFORE_LATIN);

	s = store_open(f->db);
	assert_non_null(s);
	memset(&sess, 0, sizeof(sess));	/* the zeroblob */
	assert_int_equal(store_session_get(s, sess.pseudonym, 1000, &got), 1);
	assert_string_equal(got.state.lang, "kk");
	assert_string_equal(got.state.menu, "root");
	assert_string_equal(got.state.topic, "passport");
	assert_int_equal(got.state.page, 2);
	assert_int_equal(got.state.latin, 0);
	assert_int_equal(got.expires_at, 1980);
	got.state.latin = 1;
	assert_int_equal(store_process(s, 0, NULL, NULL, &got), 0);
	assert_int_equal(store_session_get(s, sess.pseudonym, 1000, &got), 1);
	assert_int_equal(got.state.latin, 1);
	assert_int_equal(got.state.page, 2);
	store_close(s);
	assert_int_equal(header_user_version(f->db),
	    (uint32_t)store_schema_version());
}

/*
 * Statistics, unanswered words and retention: counts by key, words
 * below the sender threshold never read out, a read-only handle that
 * sees the writer's rows, and a purge that deletes old hours only.
 */
static void
test_stats_and_purge(void **state)
{
	struct fixture		*f = *state;
	struct store		*s, *ro;
	struct store_event	 ev;
	struct store_count	*c;
	struct store_word	*w;
	struct store_period	 p;
	struct store_purged	 pg;
	const char		*words[2] = { "vizaran", "rabota" };
	unsigned char		 ps[STORE_PSEUDO_LEN];
	size_t			 n;
	int			 i;

	s = store_open(f->db);
	assert_non_null(s);
	for (i = 0; i < 8; i++) {
		event_init(&ev, i < 6 ? "passport" : "unknown", 1795694400);
		ev.pseudonym[0] = (unsigned char)i;
		if (i >= 6) {
			ev.match = "none";
			ev.words = words;
			ev.nwords = 2;
		}
		assert_int_equal(store_process(s, 0, NULL, &ev, NULL), 0);
	}
	event_init(&ev, "", 1795694400);
	ev.match = "dropped";
	ev.parts = 0;
	assert_int_equal(store_process(s, 0, NULL, &ev, NULL), 0);
	/* An old event, 500 days before. */
	event_init(&ev, "passport", 1795694400 - 500 * 86400);
	assert_int_equal(store_process(s, 0, NULL, &ev, NULL), 0);
	for (i = 0; i < 5; i++) {
		memset(ps, 0x40 + i, sizeof(ps));
		assert_int_equal(store_unmatched_add(s, 1795694400, "ru", ps,
		    words, 1), 0);
	}

	ro = store_open_readonly(f->db);
	assert_non_null(ro);
	memset(&p, 0, sizeof(p));
	p.since = 1795694400 - 86400;
	assert_int_equal(store_stats(ro, &p, STORE_BY_ALL, &c, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(c[0].messages, 8);
	assert_int_equal(c[0].senders, 8);
	assert_int_equal(c[0].unanswered, 2);
	assert_int_equal(c[0].replies, 8);
	assert_int_equal(c[0].parts, 8);
	assert_int_equal(c[0].dropped, 1);
	free(c);
	assert_int_equal(store_stats(ro, &p, STORE_BY_TOPIC, &c, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(c[0].key, "passport");
	assert_int_equal(c[0].messages, 6);
	assert_string_equal(c[1].key, "unknown");
	free(c);
	assert_int_equal(store_stats(ro, NULL, STORE_BY_DAY, &c, &n), 0);
	assert_int_equal(n, 2);		/* the old day and this one */
	free(c);
	/* vizaran: 2 + 5 senders; rabota: 2, below the threshold. */
	assert_int_equal(store_stats_words(ro, &p, 5, 10, &w, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(w[0].word, "vizaran");
	assert_int_equal(w[0].senders, 7);
	free(w);
	store_close(ro);

	assert_int_equal(store_purge(s, 1795694400 - 400 * 86400, 1795694400,
	    &pg), 0);
	assert_int_equal(pg.events, 1);
	assert_int_equal(pg.unmatched, 0);
	assert_int_equal(store_stats(s, NULL, STORE_BY_ALL, &c, &n), 0);
	assert_int_equal(c[0].messages, 8);
	free(c);
	store_close(s);
	/* A read-only handle never creates a database. */
	unlink(f->db);
	assert_null(store_open_readonly(f->db));
}

static void
count_checks(void *arg, const char *entry, const char *day, int64_t n)
{
	int64_t	*total = arg;

	assert_string_equal(entry, "entry-1");
	assert_string_equal(day, "2026-11-26");
	*total += n;
}

/*
 * A batch of events, more than one multi-row statement's worth and a
 * rest, crossing hours inside a statement: every row in its own hour,
 * the unanswered words and the check counter kept, check rows without
 * pseudonym (so not counted as senders).
 */
static void
test_events_batch(void **state)
{
	struct fixture		*f = *state;
	struct store		*s;
	struct store_event	 ev[75];
	struct store_count	*c;
	struct store_word	*w;
	const char		*words[1] = { "vizaran" };
	int64_t			 at = 1795694400 - 1800, checks = 0;
	size_t			 n, i, total = 0;

	s = store_open(f->db);
	assert_non_null(s);
	for (i = 0; i < 75; i++) {
		/* 2026-11-26T11:30 on, a minute apart: hours 11 and 12 */
		event_init(&ev[i], "passport", at + 60 * (int64_t)i);
		ev[i].pseudonym[0] = (unsigned char)i;
		if (i % 10 == 3) {
			ev[i].topic = "unknown";
			ev[i].match = "none";
			ev[i].words = words;
			ev[i].nwords = 1;
		} else if (i % 10 == 7) {
			ev[i].topic = "check";
			ev[i].checked = "entry-1";
		}
	}
	assert_int_equal(store_events_add(s, ev, 75), 0);
	assert_int_equal(store_stats(s, NULL, STORE_BY_ALL, &c, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(c[0].messages, 75);
	assert_int_equal(c[0].senders, 75 - 7);	/* 7 checks: anonymous */
	assert_int_equal(c[0].unanswered, 8);
	free(c);
	assert_int_equal(store_stats(s, NULL, STORE_BY_HOUR, &c, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(c[0].key, "11");
	assert_int_equal(c[0].messages, 30);
	assert_string_equal(c[1].key, "12");
	assert_int_equal(c[1].messages, 45);
	free(c);
	assert_int_equal(store_stats_words(s, NULL, 5, 10, &w, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(w[0].senders, 8);
	free(w);
	assert_int_equal(store_checks(s, "2026-11-01", "2026-11-30",
	    count_checks, &checks), 0);
	assert_int_equal(checks, 7);
	/* A batch that fails leaves nothing of itself. */
	total = 75;
	ev[40].at = INT64_MAX;
	assert_int_equal(store_events_add(s, ev, 75), -1);
	assert_int_equal(store_stats(s, NULL, STORE_BY_ALL, &c, &n), 0);
	assert_int_equal(c[0].messages, (int64_t)total);
	free(c);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_events_batch, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sessions, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sessions_migrate, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_claim_released_on_restart,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_empty,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_keeps_data,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_inbox_order,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_process,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_outbox_due,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_retry_drop,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_event_hour_utc,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_privacy_scan,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_checkpoint_waits_for_queues, setup, teardown),
		cmocka_unit_test_setup_teardown(test_checkpoint_busy_reader,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_handles,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_open,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_path,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats_and_purge,
		    setup, teardown),
	};

	log_init(1, LOG_LEVEL_WARN, "t_store");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
