/*
 * t_guard.c - unit tests for guard.c and its counts in the store: who is
 * never answered (names, short codes, the deny list), the per-sender
 * sliding window, the daily budget, two store handles sharing the
 * limits as two daemons on one database would, and a flood of 1,000
 * messages from one number costing at most the configured replies;
 * the budget in SMS parts, counters per channel, times kept coarse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "guard.h"
#include "log.h"
#include "store.h"

#define DAY0	((int64_t)1764547200)	/* 2025-12-01T00:00:00Z */

struct fixture {
	char		 dir[64];
	char		 db[128];
	struct store	*s;
	struct guard	*g;
};

static struct guard *
guard_with(int replies, int window, int budget)
{
	struct guard_limits l;
	char		*deny[] = { "8 701 000 00 00", "+996555000000" };

	l.replies = replies;
	l.window = window;
	l.daily_budget = budget;
	return guard_new(&l, deny, 2);
}

static int
setup(void **state)
{
	struct fixture	*f;

	f = calloc(1, sizeof(*f));
	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/t_guard.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->db, sizeof(f->db), "%s/habar.db", f->dir);
	f->s = store_open(f->db);
	assert_non_null(f->s);
	f->g = guard_with(5, 600, 20);
	assert_non_null(f->g);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	char		 path[160];

	store_close(f->s);
	guard_free(f->g);
	unlink(f->db);
	snprintf(path, sizeof(path), "%s-wal", f->db);
	unlink(path);
	snprintf(path, sizeof(path), "%s-shm", f->db);
	unlink(path);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void
pseudonym(unsigned char ps[STORE_PSEUDO_LEN], int who)
{
	memset(ps, 0, STORE_PSEUDO_LEN);
	ps[0] = (unsigned char)(who & 0xff);
	ps[1] = (unsigned char)(who >> 8);
}

/* Take a reply of cost parts on channel ch. */
static int
take_on(struct fixture *f, struct store *s, const char *ch, int who,
    int64_t now, int64_t cost)
{
	unsigned char	 ps[STORE_PSEUDO_LEN];
	struct store_guard q;

	pseudonym(ps, who);
	q.channel = ch;
	q.at = guard_at(f->g, now);
	q.since = guard_since(f->g, now);
	q.day = guard_day(now);
	q.cost = cost;
	q.allow = guard_allow;
	q.arg = f->g;
	return store_guard_take(s, ps, &q);
}

static int
take(struct fixture *f, struct store *s, int who, int64_t now)
{
	return take_on(f, s, "sms", who, now, 1);
}

static void
test_senders(void **state)
{
	struct guard	*g = guard_with(5, 600, 0);

	(void)state;
	assert_non_null(g);
	assert_int_equal(guard_sender(g, "+77011234567"), GUARD_OK);
	assert_int_equal(guard_sender(g, "87011234567"), GUARD_OK);
	assert_int_equal(guard_sender(g, "BEELINE"), GUARD_ALPHANUMERIC);
	assert_int_equal(guard_sender(g, "Kcell"), GUARD_ALPHANUMERIC);
	assert_int_equal(guard_sender(g, "1414info"), GUARD_ALPHANUMERIC);
	assert_int_equal(guard_sender(g, "Тест"), GUARD_ALPHANUMERIC);
	assert_int_equal(guard_sender(g, ""), GUARD_ALPHANUMERIC);
	assert_int_equal(guard_sender(g, NULL), GUARD_ALPHANUMERIC);
	assert_int_equal(guard_sender(g, "1414"), GUARD_SHORT_CODE);
	assert_int_equal(guard_sender(g, "+7 505"), GUARD_SHORT_CODE);
	assert_int_equal(guard_sender(g, "000"), GUARD_SHORT_CODE);
	/* The deny list matches however the number is written. */
	assert_int_equal(guard_sender(g, "+77010000000"), GUARD_DENIED);
	assert_int_equal(guard_sender(g, "8-701-000-00-00"), GUARD_DENIED);
	assert_int_equal(guard_sender(g, "996555000000"), GUARD_DENIED);
	assert_int_equal(guard_sender(g, "+77010000001"), GUARD_OK);
	assert_int_equal(guard_sender(NULL, "+77010000000"), GUARD_OK);
	assert_string_equal(guard_strerror(GUARD_RATE),
	    "sender over its reply rate");
	guard_free(g);
}

static void
test_counts(void **state)
{
	struct guard	*g = guard_with(5, 600, 100);
	struct guard	*none = guard_with(0, 600, 0);

	(void)state;
	assert_int_equal(guard_count(g, 0, 0, 1), GUARD_OK);
	assert_int_equal(guard_count(g, 4, 99, 1), GUARD_OK);
	assert_int_equal(guard_count(g, 5, 0, 1), GUARD_RATE);
	assert_int_equal(guard_count(g, 0, 100, 1), GUARD_BUDGET);
	assert_int_equal(guard_count(g, 9, 100, 1), GUARD_BUDGET);
	/* The budget counts SMS parts: 3 more do not fit in 2 left. */
	assert_int_equal(guard_count(g, 0, 97, 3), GUARD_OK);
	assert_int_equal(guard_count(g, 0, 98, 3), GUARD_BUDGET);
	assert_int_equal(guard_count(none, 1000000, 1000000, 3), GUARD_OK);
	/* Kept to a tenth of the window, rounded up. */
	assert_int_equal(guard_at(g, DAY0), DAY0);
	assert_int_equal(guard_at(g, DAY0 + 1), DAY0 + 60);
	assert_int_equal(guard_at(g, DAY0 + 60), DAY0 + 60);
	assert_int_equal(guard_day(DAY0), DAY0);
	assert_int_equal(guard_day(DAY0 + 86399), DAY0);
	assert_int_equal(guard_day(DAY0 + 86400), DAY0 + 86400);
	assert_int_equal(guard_since(g, DAY0), DAY0 - 600);
	guard_free(g);
	guard_free(none);
}

/* Five replies in the window, then silence until the first one ages. */
static void
test_window(void **state)
{
	struct fixture	*f = *state;
	int		 i;

	for (i = 0; i < 5; i++)
		assert_int_equal(take(f, f->s, 1, DAY0 + 10 * i), 0);
	assert_int_equal(take(f, f->s, 1, DAY0 + 100), GUARD_RATE);
	assert_int_equal(take(f, f->s, 1, DAY0 + 599), GUARD_RATE);
	/* Someone else is not affected. */
	assert_int_equal(take(f, f->s, 2, DAY0 + 599), 0);
	/*
	 * The first reply (at DAY0) leaves the window at DAY0 + 600; the
	 * others, kept as DAY0 + 60 (a tenth of the window, rounded up),
	 * at DAY0 + 660: late, never early.
	 */
	assert_int_equal(take(f, f->s, 1, DAY0 + 600), 0);
	assert_int_equal(take(f, f->s, 1, DAY0 + 601), GUARD_RATE);
	assert_int_equal(take(f, f->s, 1, DAY0 + 659), GUARD_RATE);
	assert_int_equal(take(f, f->s, 1, DAY0 + 660), 0);
}

/* No time finer than a minute is kept next to a pseudonym. */
static void
test_coarse(void **state)
{
	struct fixture	*f = *state;
	char		 cmd[512];
	FILE		*fp;
	long		 odd = -1;

	assert_int_equal(take(f, f->s, 1, DAY0 + 7), 0);
	assert_int_equal(take(f, f->s, 2, DAY0 + 61), 0);
	snprintf(cmd, sizeof(cmd), "sqlite3 '%s' 'SELECT count(*) FROM "
	    "guard_hits WHERE at %% 60 <> 0'", f->db);
	fp = popen(cmd, "r");
	assert_non_null(fp);
	assert_int_equal(fscanf(fp, "%ld", &odd), 1);
	pclose(fp);
	assert_int_equal(odd, 0);
}

/* The budget counts everyone's replies and starts over each UTC day. */
static void
test_budget(void **state)
{
	struct fixture	*f = *state;
	int		 i;

	for (i = 0; i < 20; i++)
		assert_int_equal(take(f, f->s, 100 + i, DAY0 + 3600 + i), 0);
	assert_int_equal(take(f, f->s, 500, DAY0 + 7200), GUARD_BUDGET);
	assert_int_equal(take(f, f->s, 501, DAY0 + 86399), GUARD_BUDGET);
	assert_int_equal(take(f, f->s, 502, DAY0 + 86400), 0);
}

/* Issue 14: the budget counts SMS parts, not replies. */
static void
test_parts(void **state)
{
	struct fixture	*f = *state;
	int		 i;

	/* six replies of three parts spend 18 of the 20 */
	for (i = 0; i < 6; i++)
		assert_int_equal(take_on(f, f->s, "sms", 100 + i, DAY0 + i,
		    3), 0);
	assert_int_equal(take_on(f, f->s, "sms", 200, DAY0 + 10, 3),
	    GUARD_BUDGET);
	assert_int_equal(take_on(f, f->s, "sms", 201, DAY0 + 10, 2), 0);
	assert_int_equal(take_on(f, f->s, "sms", 202, DAY0 + 10, 1),
	    GUARD_BUDGET);
}

/* Issue 14: each channel has its own counters and budget. */
static void
test_channels(void **state)
{
	struct fixture	*f = *state;
	int		 i;

	/* spoofed HTTP senders spend the HTTP channel's budget... */
	for (i = 0; i < 20; i++)
		assert_int_equal(take_on(f, f->s, "sms-http", 300 + i,
		    DAY0 + i, 1), 0);
	assert_int_equal(take_on(f, f->s, "sms-http", 400, DAY0 + 30, 1),
	    GUARD_BUDGET);
	/* ...and the modem's is untouched */
	assert_int_equal(take_on(f, f->s, "sms", 400, DAY0 + 30, 1), 0);
	/* one number's replies over HTTP do not silence it by SMS */
	for (i = 0; i < 5; i++)
		assert_int_equal(take_on(f, f->s, "ussd", 7, DAY0 + 40 + i,
		    1), 0);
	assert_int_equal(take_on(f, f->s, "ussd", 7, DAY0 + 50, 1),
	    GUARD_RATE);
	assert_int_equal(take_on(f, f->s, "sms", 7, DAY0 + 50, 1), 0);
}

/* A flood of 1,000 from one number costs the configured five. */
static void
test_flood(void **state)
{
	struct fixture	*f = *state;
	int		 i, allowed = 0, rv;

	for (i = 0; i < 1000; i++) {
		rv = take(f, f->s, 7, DAY0 + i / 10);
		assert_true(rv == 0 || rv == GUARD_RATE);
		allowed += rv == 0;
	}
	assert_int_equal(allowed, 5);
}

/* Two handles on one database (two daemons) share the limits. */
static void
test_shared(void **state)
{
	struct fixture	*f = *state;
	struct store	*s2;
	int		 i, allowed = 0;

	s2 = store_open(f->db);
	assert_non_null(s2);
	for (i = 0; i < 10; i++)
		allowed += take(f, i % 2 ? s2 : f->s, 9, DAY0 + i) == 0;
	assert_int_equal(allowed, 5);
	store_close(s2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_senders),
		cmocka_unit_test(test_counts),
		cmocka_unit_test_setup_teardown(test_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_budget, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_channels, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_coarse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flood, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shared, setup, teardown),
	};

	log_init(1, LOG_LEVEL_WARN, NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
