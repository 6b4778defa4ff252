/*
 * t_serve.c - unit tests for serve.c without a modem or HTTP: a real
 * SQLite file in a temporary folder, the shipped content, real keys.
 * The record of an SMS in one transaction (outbox, event, inbox row
 * gone); the guard per channel (issue 14 item 3), counting SMS parts
 * (item 11) and failing closed when its counts cannot be read (item
 * 11); /ussd limits (item 6); expired sessions purged on demand (item
 * 6); no time finer than a minute next to a pseudonym; grouped commits
 * from two threads losing nothing.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf.h"
#include "content.h"
#include "log.h"
#include "pseudo.h"
#include "route.h"
#include "serve.h"
#include "store.h"

#define NOW	((int64_t)1764590400)	/* 2025-12-01T12:00:00Z */

static const char *const langs[] = { "kk", "ru" };

struct fixture {
	char		 dir[64];
	char		 db[128];
	char		 keys[128];
	struct conf	 conf;
	struct store	*st;
	struct pseudo	*ps;
	struct content	*c;
	struct route	*r;
	struct serve	*sv;
};

static void
conf_of(struct conf *conf)
{
	static char	 ru[] = "ru";

	conf_defaults(conf);
	conf->default_lang = ru;
	conf->session.ttl = 3600;
	conf->guard.replies = 1000;
	conf->guard.daily_budget = 0;
	conf->guard.http_daily_budget = 0;
	conf->guard.ussd_requests = 0;
	conf->guard.ussd_daily = 0;
}

static int
setup(void **state)
{
	struct fixture	*f;
	struct route_opts o;

	f = calloc(1, sizeof(*f));
	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/t_serve.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->db, sizeof(f->db), "%s/habar.db", f->dir);
	snprintf(f->keys, sizeof(f->keys), "%s/keys", f->dir);
	assert_non_null(f->st = store_open(f->db));
	assert_non_null(f->ps = pseudo_open(f->keys, PSEUDO_WEEK));
	assert_non_null(f->c = content_load("content", langs, 2, NULL, NULL));
	memset(&o, 0, sizeof(o));
	o.default_lang = content_lang(f->c, "ru");
	o.first_words = 8;
	assert_non_null(f->r = route_new(f->c, &o, NULL, NULL));
	conf_of(&f->conf);
	*state = f;
	return 0;
}

/* The server of the fixture's conf, grouping commits group_ms. */
static void
start(struct fixture *f, int group_ms)
{
	assert_non_null(f->sv = serve_new(&f->conf, f->st, f->ps, group_ms));
	serve_set_content(f->sv, f->c, f->r);
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	char		 cmd[256];

	serve_free(f->sv);
	store_close(f->st);
	pseudo_close(f->ps);
	route_free(f->r);
	content_free(f->c);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* One number the sqlite3 command line gives for sql on the database. */
static long
q(struct fixture *f, const char *sql)
{
	char	 cmd[1024];
	FILE	*fp;
	long	 n = -1;

	snprintf(cmd, sizeof(cmd), "sqlite3 -cmd '.timeout 5000' '%s' \"%s\"",
	    f->db, sql);
	assert_non_null(fp = popen(cmd, "r"));
	if (fscanf(fp, "%ld", &n) != 1)
		n = -1;
	pclose(fp);
	return n;
}

/* Answer text from sender on channel ch at NOW + dt; serve_sms()'s rv. */
static int
sms(struct fixture *f, enum serve_channel ch, const char *sender,
    const char *text, int64_t dt, struct serve_reply *out)
{
	struct serve_sms m;

	memset(&m, 0, sizeof(m));
	m.channel = ch;
	m.sender = sender;
	m.text = text;
	m.at = NOW + dt;
	return serve_sms(f->sv, &m, out);
}

/*
 * "паспорт" from +77011234567 at NOW + dt, put in the inbox as the
 * modem loop does, and answered from there; serve_sms()'s rv.
 */
static int
from_inbox(struct fixture *f, int64_t dt, struct serve_reply *out)
{
	static struct store_msg in;
	struct serve_sms m;

	memset(&in, 0, sizeof(in));
	snprintf(in.channel, sizeof(in.channel), "sms");
	snprintf(in.sender, sizeof(in.sender), "+77011234567");
	in.received_at = NOW + dt;
	in.text = "паспорт";
	assert_int_equal(store_inbox_add(f->st, &in, 1), 0);
	memset(&m, 0, sizeof(m));
	m.channel = SERVE_SMS;
	m.sender = in.sender;
	m.text = in.text;
	m.at = in.received_at;
	m.inbox_id = in.id;
	m.queue = true;
	return serve_sms(f->sv, &m, out);
}

/* An inbox row answered: reply queued, event logged, row gone. */
static void
test_sms_recorded(void **state)
{
	struct fixture	*f = *state;
	struct serve_reply out;

	start(f, 0);
	assert_int_equal(from_inbox(f, 7, &out), 0);
	assert_true(out.send);
	assert_int_equal(out.verdict, GUARD_OK);
	assert_string_equal(out.answer.route.topic->id, "passport");
	serve_reply_release(&out);
	assert_int_equal(q(f, "SELECT count(*) FROM inbox"), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM outbox WHERE recipient ="
	    " '+77011234567'"), 1);
	assert_int_equal(q(f, "SELECT count(*) FROM events WHERE channel ="
	    " 'sms' AND topic = 'passport' AND parts > 0"), 1);
	/* No second next to the pseudonym: minutes at most. */
	assert_int_equal(q(f, "SELECT count(*) FROM sessions"), 1);
	assert_int_equal(q(f, "SELECT count(*) FROM sessions"
	    " WHERE expires_at % 60 <> 0"), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM guard_hits"
	    " WHERE at % 60 <> 0"), 0);
	/* A name is never answered, but counted. */
	assert_int_equal(sms(f, SERVE_SMS, "BEELINE", "promo", 0, &out), 0);
	assert_false(out.send);
	assert_int_equal(out.verdict, GUARD_ALPHANUMERIC);
	serve_reply_release(&out);
	assert_int_equal(q(f, "SELECT count(*) FROM events WHERE"
	    " \"match\" = 'guarded'"), 1);
}

/* Item 3: spoofed HTTP senders spend the HTTP budget, not the modem's. */
static void
test_channels(void **state)
{
	struct fixture	*f = *state;
	struct serve_reply out;
	char		 num[32];
	int		 i, refused = -1;

	f->conf.guard.daily_budget = 4;
	f->conf.guard.http_daily_budget = 4;
	start(f, 0);
	for (i = 0; i < 10 && refused == -1; i++) {
		snprintf(num, sizeof(num), "+7701555%04d", i);
		assert_int_equal(sms(f, SERVE_SMS_HTTP, num, "паспорт", i,
		    &out), 0);
		if (!out.send)
			refused = i;
		serve_reply_release(&out);
	}
	assert_true(refused > 0);
	assert_int_equal(sms(f, SERVE_SMS_HTTP, "+77015559999", "паспорт",
	    20, &out), 0);
	assert_int_equal(out.verdict, GUARD_BUDGET);
	serve_reply_release(&out);
	/* The modem's channel has its own budget. */
	assert_int_equal(sms(f, SERVE_SMS, "+77015559999", "паспорт", 21,
	    &out), 0);
	assert_true(out.send);
	serve_reply_release(&out);
}

/* Item 11: the daily budget counts SMS parts. */
static void
test_parts(void **state)
{
	struct fixture	*f = *state;
	struct serve_reply out;
	size_t		 parts;

	f->conf.guard.daily_budget = 4;
	start(f, 0);
	assert_int_equal(sms(f, SERVE_SMS, "+77011110001", "112", 0, &out),
	    0);
	assert_true(out.send);
	parts = out.answer.reply.nparts;
	serve_reply_release(&out);
	assert_int_equal(parts, 2);	/* the emergency text: two parts */
	assert_int_equal(sms(f, SERVE_SMS, "+77011110002", "112", 1, &out),
	    0);
	assert_true(out.send);
	serve_reply_release(&out);
	/* 4 parts spent: a third reply (counted as one) would be a 5th. */
	assert_int_equal(sms(f, SERVE_SMS, "+77011110003", "112", 2, &out),
	    0);
	assert_false(out.send);
	assert_int_equal(out.verdict, GUARD_BUDGET);
	serve_reply_release(&out);
	assert_int_equal(q(f, "SELECT sum(parts) FROM events"), 4);
}

/* Item 11: when the guard's counts cannot be read, no reply. */
static void
test_fail_closed(void **state)
{
	struct fixture	*f = *state;
	struct serve_reply out;

	start(f, 0);
	assert_int_equal(q(f, "DROP TABLE guard_hits; SELECT 0"), 0);
	assert_int_equal(from_inbox(f, 0, &out), -1);
	assert_false(out.send);
	assert_int_equal(q(f, "SELECT count(*) FROM outbox"), 0);
	/* The message waits in the inbox: nothing is lost. */
	assert_int_equal(q(f, "SELECT count(*) FROM inbox"), 1);
	/* Over HTTP the same: -1, so no answer goes out. */
	assert_int_equal(sms(f, SERVE_SMS_HTTP, "+77011234568", "паспорт", 0,
	    &out), -1);
	assert_false(out.send);
}

/* Item 6: /ussd per-number and daily limits; refused: nothing kept. */
static void
test_ussd_limits(void **state)
{
	struct fixture	*f = *state;
	struct serve_screen s;

	f->conf.guard.ussd_requests = 2;
	f->conf.guard.ussd_daily = 3;
	start(f, 0);
	assert_int_equal(serve_ussd(f->sv, "+77012220001", "", NOW, &s), 0);
	assert_int_equal(s.verdict, GUARD_OK);
	assert_non_null(s.ussd.text);
	serve_screen_release(&s);
	assert_int_equal(serve_ussd(f->sv, "+77012220001", "4", NOW + 1, &s),
	    0);
	assert_int_equal(s.verdict, GUARD_OK);
	serve_screen_release(&s);
	assert_int_equal(serve_ussd(f->sv, "+77012220001", "4*99", NOW + 2,
	    &s), 0);
	assert_int_equal(s.verdict, GUARD_RATE);
	assert_null(s.ussd.text);
	serve_screen_release(&s);
	assert_int_equal(serve_ussd(f->sv, "+77012220002", "", NOW + 3, &s),
	    0);
	assert_int_equal(s.verdict, GUARD_OK);
	serve_screen_release(&s);
	assert_int_equal(serve_ussd(f->sv, "+77012220003", "", NOW + 4, &s),
	    0);
	assert_int_equal(s.verdict, GUARD_BUDGET);
	serve_screen_release(&s);
	assert_int_equal(q(f, "SELECT count(*) FROM events"
	    " WHERE channel = 'ussd'"), 3);
}

/* Item 6: serve_expire() deletes what expired, keeps the rest. */
static void
test_expire(void **state)
{
	struct fixture	*f = *state;
	struct serve_reply out;

	f->conf.session.ttl = 60;
	start(f, 0);
	assert_int_equal(sms(f, SERVE_SMS, "+77013330001", "меню", 0, &out),
	    0);
	serve_reply_release(&out);
	assert_int_equal(sms(f, SERVE_SMS, "+77013330002", "меню", 200, &out),
	    0);
	serve_reply_release(&out);
	assert_int_equal(q(f, "SELECT count(*) FROM sessions"), 2);
	assert_int_equal(serve_expire(f->sv, NOW + 200), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM sessions"), 1);
}

struct job {
	struct fixture	*f;
	int		 base;
};

static void *
flood(void *arg)
{
	struct job	*j = arg;
	struct serve_reply out;
	char		 num[32];
	int		 i;

	for (i = 0; i < 200; i++) {
		snprintf(num, sizeof(num), "+770144%05d", j->base + i);
		if (sms(j->f, SERVE_SMS_HTTP, num, i % 2 ? "паспорт" : "zzz",
		    0, &out) == -1)
			return (void *)1;
		serve_reply_release(&out);
	}
	return NULL;
}

/* Grouped commits from two threads: every record is there at the end. */
static void
test_group(void **state)
{
	struct fixture	*f = *state;
	struct job	 j[2];
	pthread_t	 t[2];
	void		*rv;
	int		 i;

	start(f, 50);
	for (i = 0; i < 2; i++) {
		j[i].f = f;
		j[i].base = i * 1000;
		assert_int_equal(pthread_create(&t[i], NULL, flood, &j[i]), 0);
	}
	for (i = 0; i < 2; i++) {
		assert_int_equal(pthread_join(t[i], &rv), 0);
		assert_null(rv);
	}
	assert_int_equal(serve_flush(f->sv), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM events"), 400);
	assert_int_equal(q(f, "SELECT count(*) FROM sessions"), 400);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sms_recorded, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_channels, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_parts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fail_closed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ussd_limits, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_expire, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group, setup, teardown),
	};

	log_init(1, LOG_LEVEL_WARN, NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
