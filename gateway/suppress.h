/*
 * suppress.h - small-count suppression for published statistics, so
 * that no figure singles out a person: a count below k is shown as
 * "<k", and cells are hidden ("*") wherever a shown total would let a
 * reader work a "<k" cell out by subtraction.  No I/O.
 */
#ifndef HABAR_SUPPRESS_H
#define HABAR_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum suppress_state {
	SUPPRESS_SHOWN,		/* the exact value */
	SUPPRESS_SMALL,		/* 0 < value < k: shown "<k" */
	SUPPRESS_HIDDEN		/* hidden to protect a "<k" cell: "*" */
};

struct suppress_cell {
	int64_t			 value;
	enum suppress_state	 state;	/* set by suppress_apply() */
	bool			 fixed;	/* a headline: never hidden as "*" */
	bool			 measure; /* not a count of people (SMS
					   * parts): never "<k" by itself */
	long			 link;	/* hidden with cell link, or -1 */
};

/*
 * What a reader knows besides the cells: cells[total] is the sum of
 * cells[members[0..n)].
 */
struct suppress_sum {
	size_t		 total;
	const size_t	*members;	/* borrowed */
	size_t		 n;
};

/* A cell of value v with no link, not fixed, a count. */
void	 suppress_cell_init(struct suppress_cell *, int64_t v);

/*
 * Suppress cells[0..ncells) for threshold k (k <= 1: nothing), given
 * the sums a reader knows.  First every count 0 < v < k becomes SMALL
 * and every linked cell follows its link; then, while some sum would
 * let a reader narrow a SMALL cell below its whole range 1..k-1 or pin
 * a hidden cell to one value, the smallest shown non-zero member of
 * that sum is hidden (else its total, unless fixed).  A sum that no
 * hiding can protect gets withhold[i] set: the caller must not show
 * its members at all.  Returns how many sums
 * were withheld.
 */
size_t	 suppress_apply(struct suppress_cell *cells, size_t ncells,
	    const struct suppress_sum *sums, size_t nsums,
	    int k,				/* stats.min_count */
	    bool *withhold)			/* OUT: nsums flags */
	    __attribute__((warn_unused_result));

/*
 * Whether sum s lets a reader learn more of a suppressed cell than its
 * label says ("<k": 1 to k-1; "*": not one single value).
 */
bool	 suppress_sum_safe(const struct suppress_cell *cells,
	    const struct suppress_sum *s, int k);

/* The cell as shown: "123", "<5" or "*", into buf. */
void	 suppress_format(const struct suppress_cell *, int k, char *buf,
	    size_t bufsz);

#endif
