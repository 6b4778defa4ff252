/*
 * suppress.c - small-count suppression (statistical disclosure control)
 * for "habar stats" and the HTML report.
 *
 * Primary suppression: a count of people or messages from 1 to k-1 is
 * shown as "<k".  Zero is shown: nobody is in it.
 *
 * Complementary suppression: a reader who sees a total and all but one
 * cell of a breakdown gets the last one by subtraction.  For every sum
 * the reader knows (total = members), each suppressed cell's range is
 * worked out the way a reader would -- the total's bounds minus the
 * other members' bounds, where "<k" is 1..k-1, "*" is k or more, a
 * shown cell is itself -- and the sum is safe only when every "<k"
 * cell can still be anything from 1 to k-1 and no "*" cell is pinned
 * to one value.  While a sum is unsafe its smallest shown non-zero
 * member is hidden as "*" (the cheapest loss of information), or its
 * total when every member is hidden already.  A headline total is never
 * hidden: a breakdown that cannot be made safe under it is withheld
 * whole, so a reader does not even learn which categories it had.
 *
 * Hidden cells are chosen only among shown ones, which are 0 or at
 * least k, and zeros are never hidden: that is why a reader may assume
 * "*" >= k, and the check above assumes the reader does.
 */
#include <stdio.h>
#include <string.h>

#include "suppress.h"

#define SUPPRESS_INF	((int64_t)1 << 52)	/* "no upper bound" */

void
suppress_cell_init(struct suppress_cell *c, int64_t v)
{
	memset(c, 0, sizeof(*c));
	c->value = v;
	c->state = SUPPRESS_SHOWN;
	c->link = -1;
}

static int64_t
suppress_add(int64_t a, int64_t b)
{
	if (a >= SUPPRESS_INF || b >= SUPPRESS_INF)
		return SUPPRESS_INF;
	if (a <= -SUPPRESS_INF || b <= -SUPPRESS_INF)
		return -SUPPRESS_INF;
	return a + b;
}

/* What a reader knows of one cell on its own. */
static void
suppress_bounds(const struct suppress_cell *c, int k, int64_t *lo,
    int64_t *hi)
{
	switch (c->state) {
	case SUPPRESS_SHOWN:
		*lo = *hi = c->value;
		return;
	case SUPPRESS_SMALL:
		*lo = 1;
		*hi = k - 1;
		return;
	case SUPPRESS_HIDDEN:
		*lo = c->measure ? 1 : k;
		*hi = SUPPRESS_INF;
		return;
	}
	*lo = 0;
	*hi = SUPPRESS_INF;
}

/*
 * The range a reader derives for cell x of sum s from the others:
 * x = total - (other members), or x = sum of members when x is the
 * total, intersected with x's own bounds.
 */
static void
suppress_derive(const struct suppress_cell *cells,
    const struct suppress_sum *s, size_t x, int k, int64_t *lo, int64_t *hi)
{
	int64_t	 slo = 0, shi = 0, clo, chi, olo, ohi;
	size_t	 i;

	suppress_bounds(&cells[x], k, &olo, &ohi);
	if (x == s->total) {
		for (i = 0; i < s->n; i++) {
			suppress_bounds(&cells[s->members[i]], k, &clo, &chi);
			slo = suppress_add(slo, clo);
			shi = suppress_add(shi, chi);
		}
		*lo = slo;
		*hi = shi;
	} else {
		for (i = 0; i < s->n; i++) {
			if (s->members[i] == x)
				continue;
			suppress_bounds(&cells[s->members[i]], k, &clo, &chi);
			slo = suppress_add(slo, clo);
			shi = suppress_add(shi, chi);
		}
		suppress_bounds(&cells[s->total], k, &clo, &chi);
		*lo = shi >= SUPPRESS_INF ? -SUPPRESS_INF : clo - shi;
		*hi = chi >= SUPPRESS_INF ? SUPPRESS_INF : chi - slo;
	}
	if (*lo < olo)
		*lo = olo;
	if (*hi > ohi)
		*hi = ohi;
}

static bool
suppress_cell_safe(const struct suppress_cell *cells,
    const struct suppress_sum *s, size_t x, int k)
{
	int64_t	 lo, hi;

	if (cells[x].state == SUPPRESS_SHOWN)
		return true;
	suppress_derive(cells, s, x, k, &lo, &hi);
	if (cells[x].state == SUPPRESS_SMALL)
		return lo <= 1 && hi >= k - 1;
	return lo < hi;
}

bool
suppress_sum_safe(const struct suppress_cell *cells,
    const struct suppress_sum *s, int k)
{
	size_t	 i;

	if (k <= 1)
		return true;
	if (!suppress_cell_safe(cells, s, s->total, k))
		return false;
	for (i = 0; i < s->n; i++)
		if (!suppress_cell_safe(cells, s, s->members[i], k))
			return false;
	return true;
}

/* Hide one more cell of unsafe sum s; false when none can be. */
static bool
suppress_widen(struct suppress_cell *cells, const struct suppress_sum *s)
{
	struct suppress_cell	*c, *best = NULL;
	size_t			 i;

	for (i = 0; i < s->n; i++) {
		c = &cells[s->members[i]];
		if (c->state != SUPPRESS_SHOWN || c->fixed || c->value <= 0)
			continue;
		if (best == NULL || c->value < best->value)
			best = c;
	}
	if (best == NULL) {
		c = &cells[s->total];
		if (c->state != SUPPRESS_SHOWN || c->fixed || c->value <= 0)
			return false;
		best = c;
	}
	best->state = SUPPRESS_HIDDEN;
	return true;
}

/* Linked cells follow their link; true when one changed. */
static bool
suppress_links(struct suppress_cell *cells, size_t ncells)
{
	size_t	 i;
	bool	 changed = false;

	for (i = 0; i < ncells; i++) {
		if (cells[i].link < 0 || (size_t)cells[i].link >= ncells ||
		    cells[i].state != SUPPRESS_SHOWN)
			continue;
		if (cells[cells[i].link].state != SUPPRESS_SHOWN) {
			cells[i].state = SUPPRESS_HIDDEN;
			changed = true;
		}
	}
	return changed;
}

size_t
suppress_apply(struct suppress_cell *cells, size_t ncells,
    const struct suppress_sum *sums, size_t nsums, int k, bool *withhold)
{
	size_t	 i, nwithheld = 0;
	bool	 changed;

	for (i = 0; i < nsums; i++)
		withhold[i] = false;
	for (i = 0; i < ncells; i++)
		cells[i].state = SUPPRESS_SHOWN;
	if (k <= 1)
		return 0;
	for (i = 0; i < ncells; i++)
		if (!cells[i].measure && cells[i].value > 0 &&
		    cells[i].value < k)
			cells[i].state = SUPPRESS_SMALL;
	do {
		changed = suppress_links(cells, ncells);
		for (i = 0; i < nsums; i++) {
			if (withhold[i] ||
			    suppress_sum_safe(cells, &sums[i], k))
				continue;
			if (suppress_widen(cells, &sums[i]))
				changed = true;
			else {
				withhold[i] = true;
				nwithheld++;
			}
		}
	} while (changed);
	return nwithheld;
}

void
suppress_format(const struct suppress_cell *c, int k, char *buf,
    size_t bufsz)
{
	switch (c->state) {
	case SUPPRESS_SHOWN:
		(void)snprintf(buf, bufsz, "%lld", (long long)c->value);
		return;
	case SUPPRESS_SMALL:
		(void)snprintf(buf, bufsz, "<%d", k);
		return;
	case SUPPRESS_HIDDEN:
		(void)snprintf(buf, bufsz, "*");
		return;
	}
	(void)snprintf(buf, bufsz, "?");
}
