/*
 * t_multipart.c - unit tests for multipart.c, the pure reassembly: no
 * phone, no libGammu.  Concatenation headers (8- and 16-bit references,
 * numbers that make no sense, elements past the stated length), parts
 * out of order and across entries, repeated parts, incomplete messages
 * held back and then answered on their timeout, their clocks dropped,
 * the order of messages, shared locations, a surrogate pair cut
 * between two parts.  The phone's side is t_modem.c's.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "log.h"
#include "multipart.h"
#include "utf8.h"

/* A part of sender's message ref (seq of total; total 0: not concatenated). */
static struct multipart_part
mk(const char *sender, int ref, int seq, int total, int loc, time_t at,
    const char *utf8)
{
	struct multipart_part p;
	unsigned char udh[6] = { 5, 0, 3, 0, 0, 0 };
	unsigned char u[2 * 201];
	int n;

	udh[3] = (unsigned char)ref;
	udh[4] = (unsigned char)total;
	udh[5] = (unsigned char)seq;
	multipart_part_init(&p, sender, udh, total > 0 ? sizeof(udh) : 0);
	p.folder = 1;
	p.location = loc;
	p.sent_at = at;
	p.ucs2 = true;
	n = utf8 == NULL ? 0 : utf8_to_utf16be(utf8, u, 200);
	assert_true(n >= 0);
	if (n > 0) {
		assert_non_null(p.text = malloc(2 * (size_t)n));
		memcpy(p.text, u, 2 * (size_t)n);
		p.units = (size_t)n;
	}
	return p;
}

/* Add p to pv as an entry of its own. */
static void
add1(struct multipart_vec *pv, struct multipart_part p)
{
	assert_int_equal(multipart_add(pv, &p, 1), 0);
}

/* Collect pv at now (ms) with a timeout of 600 s, then free pv. */
static size_t
collect(struct multipart_vec *pv, struct multipart_timers *t, int64_t now,
    struct multipart_msg **msgs, size_t *held)
{
	size_t n;

	assert_int_equal(multipart_collect(pv, t, 600, now, msgs, &n, held),
	    0);
	multipart_vec_free(pv);
	return n;
}

static void
t_udh(void **state)
{
	int ref, seq, total;

	(void)state;
	/* 8-bit reference. */
	assert_int_equal(multipart_udh_concat((const unsigned char *)
	    "\x05\x00\x03\x2a\x03\x02", 6, &ref, &seq, &total), 0);
	assert_int_equal(ref, 0x2a);
	assert_int_equal(seq, 2);
	assert_int_equal(total, 3);
	/* 16-bit reference, kept apart from the 8-bit ones. */
	assert_int_equal(multipart_udh_concat((const unsigned char *)
	    "\x06\x08\x04\x12\x34\x02\x01", 7, &ref, &seq, &total), 0);
	assert_int_equal(ref, 0x11234);
	assert_int_equal(seq, 1);
	assert_int_equal(total, 2);
	/* Another element first (a port), then the concatenation. */
	assert_int_equal(multipart_udh_concat((const unsigned char *)
	    "\x0b\x05\x04\x0b\x84\x23\xf0\x00\x03\x07\x02\x01", 12, &ref,
	    &seq, &total), 0);
	assert_int_equal(ref, 7);
	/* Numbers that make no sense. */
	assert_int_equal(multipart_udh_concat((const unsigned char *)
	    "\x05\x00\x03\x01\x02\x03", 6, &ref, &seq, &total), -1);
	assert_int_equal(multipart_udh_concat((const unsigned char *)
	    "\x05\x00\x03\x01\x02\x00", 6, &ref, &seq, &total), -1);
	assert_int_equal(multipart_udh_concat((const unsigned char *)
	    "\x05\x00\x03\x01\x00\x00", 6, &ref, &seq, &total), -1);
	/* The element runs past the header's stated length. */
	assert_int_equal(multipart_udh_concat((const unsigned char *)
	    "\x03\x00\x03\x01\x02\x01", 6, &ref, &seq, &total), -1);
	/* ... or past the bytes there are. */
	assert_int_equal(multipart_udh_concat((const unsigned char *)
	    "\x05\x00\x03\x01\x02", 5, &ref, &seq, &total), -1);
	/* None. */
	assert_int_equal(multipart_udh_concat(NULL, 0, &ref, &seq, &total),
	    -1);
	assert_int_equal(multipart_udh_concat((const unsigned char *)
	    "\x00", 1, &ref, &seq, &total), -1);
}

static void
t_part_init(void **state)
{
	struct multipart_part p;

	(void)state;
	p = mk("+77011234567", 9, 2, 3, 1, 0, NULL);
	assert_string_equal(p.sender, "+77011234567");
	assert_int_equal(p.seq, 2);
	assert_int_equal(p.total, 3);
	assert_string_equal(p.key, "+77011234567|9|3");
	p = mk("+77011234567", 0, 0, 0, 1, 0, NULL);
	assert_int_equal(p.seq, 0);
	assert_string_equal(p.key, "+77011234567|-1|0");
	/* A sender too long is cut between characters. */
	multipart_part_init(&p, "жжжжжжжжжжжжжжжжжжжж", NULL, 0);
	assert_int_equal(strlen(p.sender), 30);
}

static void
t_order(void **state)
{
	struct multipart_vec pv;
	struct multipart_timers t;
	struct multipart_msg *m;
	size_t n, held;

	(void)state;
	memset(&pv, 0, sizeof(pv));
	memset(&t, 0, sizeof(t));
	/* Parts 3, 1, 2 in three entries; a single SMS between. */
	add1(&pv, mk("+77011111111", 5, 3, 3, 30, 100, "ц"));
	add1(&pv, mk("+77011111111", 5, 1, 3, 10, 100, "а"));
	add1(&pv, mk("+77022222222", 0, 0, 0, 15, 50, "single"));
	add1(&pv, mk("+77011111111", 5, 2, 3, 20, 100, "б"));
	n = collect(&pv, &t, 0, &m, &held);
	assert_int_equal(n, 2);
	assert_int_equal(held, 0);
	/* Oldest first. */
	assert_string_equal(m[0].text, "single");
	assert_string_equal(m[1].text, "абц");
	assert_false(m[1].incomplete);
	assert_int_equal(m[1].nlocs, 3);
	assert_int_equal(m[1].locs[0].location, 10);
	assert_int_equal(m[1].locs[2].location, 30);
	multipart_msgs_free(m, n);
	assert_int_equal(t.n, 0);
	multipart_timers_free(&t);
}

static void
t_same_entry(void **state)
{
	struct multipart_vec pv;
	struct multipart_timers t;
	struct multipart_part two[2];
	struct multipart_msg *m;
	size_t n, held;

	(void)state;
	memset(&pv, 0, sizeof(pv));
	memset(&t, 0, sizeof(t));
	/* Both parts in one entry, one location, second first. */
	two[0] = mk("+77011111111", 1, 2, 2, 7, 0, "world");
	two[1] = mk("+77011111111", 1, 1, 2, 7, 0, "hello ");
	assert_int_equal(multipart_add(&pv, two, 2), 0);
	assert_int_equal(pv.entries, 1);
	n = collect(&pv, &t, 0, &m, &held);
	assert_int_equal(n, 1);
	assert_string_equal(m[0].text, "hello world");
	assert_int_equal(m[0].nlocs, 1);
	multipart_msgs_free(m, n);
	multipart_timers_free(&t);
}

static void
t_incomplete(void **state)
{
	struct multipart_vec pv;
	struct multipart_timers t;
	struct multipart_msg *m;
	size_t n, held;

	(void)state;
	memset(&t, 0, sizeof(t));
	/* Part 2 of 3 missing: held back, its clock started. */
	memset(&pv, 0, sizeof(pv));
	add1(&pv, mk("+77011111111", 8, 1, 3, 1, 0, "a"));
	add1(&pv, mk("+77011111111", 8, 3, 3, 3, 0, "c"));
	n = collect(&pv, &t, 1000, &m, &held);
	assert_int_equal(n, 0);
	assert_int_equal(held, 2);
	assert_int_equal(t.n, 1);
	multipart_msgs_free(m, n);
	/* A second short of the timeout: still held. */
	memset(&pv, 0, sizeof(pv));
	add1(&pv, mk("+77011111111", 8, 1, 3, 1, 0, "a"));
	add1(&pv, mk("+77011111111", 8, 3, 3, 3, 0, "c"));
	n = collect(&pv, &t, 1000 + 599 * 1000, &m, &held);
	assert_int_equal(n, 0);
	multipart_msgs_free(m, n);
	/* On the timeout: answered with what arrived, marked. */
	memset(&pv, 0, sizeof(pv));
	add1(&pv, mk("+77011111111", 8, 1, 3, 1, 0, "a"));
	add1(&pv, mk("+77011111111", 8, 3, 3, 3, 0, "c"));
	n = collect(&pv, &t, 1000 + 600 * 1000, &m, &held);
	assert_int_equal(n, 1);
	assert_int_equal(held, 0);
	assert_true(m[0].incomplete);
	assert_string_equal(m[0].text, "ac");
	multipart_msgs_free(m, n);
	/* Deleted from the phone: its clock goes. */
	memset(&pv, 0, sizeof(pv));
	n = collect(&pv, &t, 1000 + 601 * 1000, &m, &held);
	assert_int_equal(n, 0);
	assert_int_equal(t.n, 0);
	multipart_timers_free(&t);
}

static void
t_timeout_zero(void **state)
{
	struct multipart_vec pv;
	struct multipart_timers t;
	struct multipart_msg *m;
	size_t n;
	size_t held;

	(void)state;
	memset(&pv, 0, sizeof(pv));
	memset(&t, 0, sizeof(t));
	add1(&pv, mk("+77011111111", 8, 2, 2, 1, 0, "b"));
	assert_int_equal(multipart_collect(&pv, &t, 0, 0, &m, &n, &held), 0);
	multipart_vec_free(&pv);
	assert_int_equal(n, 1);
	assert_true(m[0].incomplete);
	multipart_msgs_free(m, n);
	multipart_timers_free(&t);
}

static void
t_apart(void **state)
{
	struct multipart_vec pv;
	struct multipart_timers t;
	struct multipart_msg *m;
	size_t n, held;

	(void)state;
	memset(&pv, 0, sizeof(pv));
	memset(&t, 0, sizeof(t));
	/*
	 * Same reference, other sender; same sender, other count: four
	 * messages, none complete.
	 */
	add1(&pv, mk("+77011111111", 4, 1, 2, 1, 0, "a"));
	add1(&pv, mk("+77022222222", 4, 2, 2, 2, 0, "b"));
	add1(&pv, mk("+77011111111", 4, 2, 3, 3, 0, "c"));
	add1(&pv, mk("+77011111111", 5, 2, 2, 4, 0, "d"));
	n = collect(&pv, &t, 0, &m, &held);
	assert_int_equal(n, 0);
	assert_int_equal(held, 4);
	assert_int_equal(t.n, 4);
	multipart_msgs_free(m, n);
	multipart_timers_free(&t);
}

static void
t_repeated(void **state)
{
	struct multipart_vec pv;
	struct multipart_timers t;
	struct multipart_msg *m;
	size_t n, held;

	(void)state;
	memset(&pv, 0, sizeof(pv));
	memset(&t, 0, sizeof(t));
	/* Part 1 delivered twice: its text counts once, both deleted. */
	add1(&pv, mk("+77011111111", 3, 1, 2, 1, 0, "one "));
	add1(&pv, mk("+77011111111", 3, 1, 2, 2, 0, "one "));
	add1(&pv, mk("+77011111111", 3, 2, 2, 3, 0, "two"));
	n = collect(&pv, &t, 0, &m, &held);
	assert_int_equal(n, 1);
	assert_string_equal(m[0].text, "one two");
	assert_int_equal(m[0].nlocs, 3);
	multipart_msgs_free(m, n);
	multipart_timers_free(&t);
}

static void
t_text(void **state)
{
	struct multipart_part p[2];
	char *s;

	(void)state;
	/* A surrogate pair cut between two parts is one character. */
	p[0] = mk("+7701", 1, 1, 2, 1, 0, "a");
	p[1] = mk("+7701", 1, 2, 2, 2, 0, "b");
	assert_non_null(p[0].text = realloc(p[0].text, 4));
	memcpy(p[0].text, "\x00\x61\xd8\x3d", 4);
	p[0].units = 2;
	assert_non_null(p[1].text = realloc(p[1].text, 4));
	memcpy(p[1].text, "\xde\x00\x00\x62", 4);
	p[1].units = 2;
	assert_non_null(s = multipart_text(p, 2));
	assert_string_equal(s, "a😀b");
	free(s);
	/* No text at all (8-bit data): "". */
	free(p[0].text);
	free(p[1].text);
	p[0].text = p[1].text = NULL;
	p[0].units = p[1].units = 0;
	assert_non_null(s = multipart_text(p, 2));
	assert_string_equal(s, "");
	free(s);
}

static void
t_many(void **state)
{
	struct multipart_vec pv;
	struct multipart_timers t;
	struct multipart_msg *m;
	size_t n, held, i;

	(void)state;
	memset(&pv, 0, sizeof(pv));
	memset(&t, 0, sizeof(t));
	/* More incomplete messages than the timer table's first size. */
	for (i = 0; i < 200; i++)
		add1(&pv, mk("+77011111111", (int)i, 1, 2, (int)i + 1, 0,
		    "x"));
	n = collect(&pv, &t, 0, &m, &held);
	assert_int_equal(n, 0);
	assert_int_equal(held, 200);
	assert_int_equal(t.n, 200);
	multipart_msgs_free(m, n);
	multipart_timers_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_udh),
		cmocka_unit_test(t_part_init),
		cmocka_unit_test(t_order),
		cmocka_unit_test(t_same_entry),
		cmocka_unit_test(t_incomplete),
		cmocka_unit_test(t_timeout_zero),
		cmocka_unit_test(t_apart),
		cmocka_unit_test(t_repeated),
		cmocka_unit_test(t_text),
		cmocka_unit_test(t_many),
	};

	log_init(1, LOG_LEVEL_WARN, NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
