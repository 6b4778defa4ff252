/*
 * t_suppress.c - unit tests for suppress.c: small counts shown as "<k",
 * complementary cells hidden so no total lets a reader subtract their
 * way to a small count, breakdowns withheld when nothing else helps,
 * and an exhaustive check that no reader's subtraction narrows a "<k".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "suppress.h"

#define K	5

/* cells[0] the total (fixed), cells[1..n] the members; one sum. */
struct table {
	struct suppress_cell	 c[8];
	size_t			 mem[8];
	struct suppress_sum	 sum;
	bool			 withhold[1];
	size_t			 n;
};

static size_t
table_apply(struct table *t, const int64_t *v, size_t n, int k)
{
	size_t	 i;
	int64_t	 total = 0;

	for (i = 0; i < n; i++) {
		suppress_cell_init(&t->c[i + 1], v[i]);
		t->mem[i] = i + 1;
		total += v[i];
	}
	suppress_cell_init(&t->c[0], total);
	t->c[0].fixed = true;
	t->sum.total = 0;
	t->sum.members = t->mem;
	t->sum.n = n;
	t->n = n;
	return suppress_apply(t->c, n + 1, &t->sum, 1, k, t->withhold);
}

static void
test_primary(void **state)
{
	struct suppress_cell	 c[5];
	static const int64_t	 v[5] = { 0, 1, 4, 5, 100 };
	bool			 w[1];
	char			 buf[16];
	size_t			 i;

	(void)state;
	for (i = 0; i < 5; i++)
		suppress_cell_init(&c[i], v[i]);
	assert_int_equal(suppress_apply(c, 5, NULL, 0, K, w), 0);
	assert_int_equal(c[0].state, SUPPRESS_SHOWN);	/* nobody: shown */
	assert_int_equal(c[1].state, SUPPRESS_SMALL);
	assert_int_equal(c[2].state, SUPPRESS_SMALL);
	assert_int_equal(c[3].state, SUPPRESS_SHOWN);
	assert_int_equal(c[4].state, SUPPRESS_SHOWN);
	suppress_format(&c[1], K, buf, sizeof(buf));
	assert_string_equal(buf, "<5");
	suppress_format(&c[4], K, buf, sizeof(buf));
	assert_string_equal(buf, "100");
	c[4].state = SUPPRESS_HIDDEN;
	suppress_format(&c[4], K, buf, sizeof(buf));
	assert_string_equal(buf, "*");
}

/* One small cell under a total: the smallest other cell goes too. */
static void
test_complement(void **state)
{
	struct table		 t;
	static const int64_t	 v[3] = { 100, 7, 3 };

	(void)state;
	assert_int_equal(table_apply(&t, v, 3, K), 0);
	assert_int_equal(t.c[1].state, SUPPRESS_SHOWN);
	assert_int_equal(t.c[2].state, SUPPRESS_HIDDEN);
	assert_int_equal(t.c[3].state, SUPPRESS_SMALL);
	assert_int_equal(t.c[0].state, SUPPRESS_SHOWN);
	assert_true(suppress_sum_safe(t.c, &t.sum, K));
	/* Without the "*", 110 - 100 - 7 gives the 3 away. */
	t.c[2].state = SUPPRESS_SHOWN;
	assert_false(suppress_sum_safe(t.c, &t.sum, K));
}

/*
 * 106 = 100 + 5 + "<5": with only the 5 hidden, the "<5" is at most
 * 106 - 100 - 5 = 1, so the 100 must go too.
 */
static void
test_complement_big_enough(void **state)
{
	struct table		 t;
	static const int64_t	 v[3] = { 100, 5, 1 };

	(void)state;
	assert_int_equal(table_apply(&t, v, 3, K), 0);
	assert_int_equal(t.c[1].state, SUPPRESS_HIDDEN);
	assert_int_equal(t.c[2].state, SUPPRESS_HIDDEN);
	assert_int_equal(t.c[3].state, SUPPRESS_SMALL);
}

/* Two small cells of sum 5 can be 1+4 .. 4+1: nothing more to hide. */
static void
test_two_small_safe(void **state)
{
	struct table		 t;
	static const int64_t	 v[3] = { 100, 3, 2 };

	(void)state;
	assert_int_equal(table_apply(&t, v, 3, K), 0);
	assert_int_equal(t.c[1].state, SUPPRESS_SHOWN);
	assert_int_equal(t.c[2].state, SUPPRESS_SMALL);
	assert_int_equal(t.c[3].state, SUPPRESS_SMALL);
}

/* Two small cells of sum 2 are both 1: the 100 is hidden. */
static void
test_two_small_pinned(void **state)
{
	struct table		 t;
	static const int64_t	 v[3] = { 100, 1, 1 };

	(void)state;
	assert_int_equal(table_apply(&t, v, 3, K), 0);
	assert_int_equal(t.c[1].state, SUPPRESS_HIDDEN);
}

/* Zeros tell nothing and stay; a breakdown nothing saves is withheld. */
static void
test_zero_and_withhold(void **state)
{
	struct table		 t;
	static const int64_t	 z[3] = { 100, 0, 3 };
	static const int64_t	 w[2] = { 5, 1 };

	(void)state;
	assert_int_equal(table_apply(&t, z, 3, K), 0);
	assert_int_equal(t.c[1].state, SUPPRESS_HIDDEN);
	assert_int_equal(t.c[2].state, SUPPRESS_SHOWN);
	/* 6 = 5 + 1: hiding the 5 still leaves "<5" at most 1. */
	assert_int_equal(table_apply(&t, w, 2, K), 1);
	assert_true(t.withhold[0]);
	assert_int_equal(t.c[0].state, SUPPRESS_SHOWN);	/* fixed */
}

/* A single small total: its one member is as unknown as it is. */
static void
test_small_total(void **state)
{
	struct table		 t;
	static const int64_t	 v[2] = { 3, 0 };

	(void)state;
	assert_int_equal(table_apply(&t, v, 2, K), 0);
	assert_int_equal(t.c[0].state, SUPPRESS_SMALL);
	assert_int_equal(t.c[1].state, SUPPRESS_SMALL);
}

static void
test_off_and_links(void **state)
{
	struct table		 t;
	struct suppress_cell	 c[2];
	static const int64_t	 v[2] = { 100, 1 };
	bool			 w[1];

	(void)state;
	assert_int_equal(table_apply(&t, v, 2, 1), 0);	/* k 1: off */
	assert_int_equal(t.c[2].state, SUPPRESS_SHOWN);
	/* SMS parts follow the count of replies they belong to. */
	suppress_cell_init(&c[0], 2);
	suppress_cell_init(&c[1], 6);
	c[1].measure = true;
	c[1].link = 0;
	assert_int_equal(suppress_apply(c, 2, NULL, 0, K, w), 0);
	assert_int_equal(c[0].state, SUPPRESS_SMALL);
	assert_int_equal(c[1].state, SUPPRESS_HIDDEN);
}

/* What a reader knows of a cell: its value, 1..k-1, or k or more. */
static void
bounds(const struct suppress_cell *c, int k, int64_t *lo, int64_t *hi)
{
	*lo = *hi = c->value;
	if (c->state == SUPPRESS_SMALL) {
		*lo = 1;
		*hi = k - 1;
	} else if (c->state == SUPPRESS_HIDDEN) {
		*lo = k;
		*hi = INT64_MAX / 4;
	}
}

/*
 * Can member i be x, given what every cell shows?  The others must add
 * up to some value the total may have minus x; integers in ranges add
 * up to every value between the sums of their ends.
 */
static int
possible(const struct table *t, size_t i, int64_t x, int k)
{
	int64_t	 lo = 0, hi = 0, l, h, tlo, thi, tot;
	size_t	 m;

	for (m = 0; m < t->n; m++) {
		if (m == i)
			continue;
		bounds(&t->c[m + 1], k, &l, &h);
		lo += l;
		hi += h;
	}
	bounds(&t->c[0], k, &tlo, &thi);
	for (tot = tlo; tot <= thi && tot <= 4 * 13; tot++)
		if (tot - x >= lo && tot - x <= hi)
			return 1;
	return 0;
}

/*
 * For every table of up to 4 members with values 0..12 (k 5): after
 * suppression, each "<5" member can still be every value 1..4 for all
 * a reader can tell from the shown cells and the total.
 */
static void
test_exhaustive(void **state)
{
	struct table	 t;
	int64_t		 v[4], x;
	int		 n, idx, combos, i, j;
	long		 tables = 0;

	(void)state;
	for (n = 2; n <= 4; n++) {
		combos = 1;
		for (i = 0; i < n; i++)
			combos *= 13;
		for (idx = 0; idx < combos; idx++) {
			for (i = 0, j = idx; i < n; i++, j /= 13)
				v[i] = j % 13;
			if (table_apply(&t, v, (size_t)n, K) > 0)
				continue;	/* withheld: nothing shown */
			tables++;
			for (i = 0; i < n; i++) {
				if (t.c[i + 1].state != SUPPRESS_SMALL)
					continue;
				for (x = 1; x < K; x++)
					assert_true(possible(&t, (size_t)i, x,
					    K));
			}
		}
	}
	assert_true(tables > 1000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_primary),
		cmocka_unit_test(test_complement),
		cmocka_unit_test(test_complement_big_enough),
		cmocka_unit_test(test_two_small_safe),
		cmocka_unit_test(test_two_small_pinned),
		cmocka_unit_test(test_zero_and_withhold),
		cmocka_unit_test(test_small_total),
		cmocka_unit_test(test_off_and_links),
		cmocka_unit_test(test_exhaustive),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
