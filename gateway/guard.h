/*
 * guard.h - abuse and cost guards: who is never answered (alphanumeric
 * senders, short codes, a deny list: operator promos and other
 * auto-responders, so no reply loop can start), and how many replies a
 * sender and the whole gateway may cost (a per-sender rate over a
 * sliding window, a daily budget).  No I/O: the counts come from the
 * store, which keeps them by pseudonym so several daemons sharing one
 * database share the limits.
 */
#ifndef HABAR_GUARD_H
#define HABAR_GUARD_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum guard_verdict {
	GUARD_OK,
	GUARD_ALPHANUMERIC,	/* a name, not a number */
	GUARD_SHORT_CODE,	/* too short to be a subscriber */
	GUARD_DENIED,		/* on the deny list */
	GUARD_RATE,		/* the sender had its replies this window */
	GUARD_BUDGET,		/* the day's budget is spent */
	GUARD_FAILED		/* the counts could not be read: no
				 * reply (the guard fails closed) */
};

struct guard_limits {
	int	 replies;	/* per sender per window; 0: no limit */
	int	 window;	/* seconds */
	int	 daily_budget;	/* SMS parts (USSD: requests) a UTC day,
				 * all senders; 0: none */
};

struct guard;

/*
 * A guard with limits l and the deny list deny[0..ndeny) (numbers as
 * people write them; copied, normalized to E.164 when they are
 * numbers).  Returns NULL when memory runs out.  Free with guard_free().
 */
struct guard	*guard_new(const struct guard_limits *l, char *const *deny,
		    size_t ndeny)
		    __attribute__((warn_unused_result));
void		 guard_free(struct guard *);

/* Whether sender (as the network gave it) may be answered at all. */
enum guard_verdict guard_sender(const struct guard *, const char *sender);

/*
 * Whether one more reply of cost SMS parts may go out, given the
 * replies the sender had since guard_since() and the parts everyone
 * had since guard_day().
 */
enum guard_verdict guard_count(const struct guard *, int64_t sender_recent,
		    int64_t day_spent, int64_t cost);

/* Start of the sender's window at now. */
int64_t		 guard_since(const struct guard *, int64_t now);

/*
 * The time a reply at now is kept as: rounded up to a tenth of the
 * window (at least a second, at most an hour).  Next to a pseudonym no
 * finer time is kept than the limit needs; rounding up makes a reply
 * leave the window up to a bucket late, never early, so no sender ever
 * gets more than `replies` in any window.
 */
int64_t		 guard_at(const struct guard *, int64_t now);

/*
 * Whether the guard has any count to keep (a per-sender or a daily
 * limit); without, nothing needs counting.
 */
int		 guard_counts(const struct guard *);

/* Start of the UTC day of now: the budget's key. */
int64_t		 guard_day(int64_t now);

/*
 * Adapter for store_guard_take(): arg is a struct guard; returns 0 to
 * allow, else the enum guard_verdict that refuses.
 */
int		 guard_allow(void *arg, int64_t sender_recent,
		    int64_t day_spent, int64_t cost);

const char	*guard_strerror(enum guard_verdict);

#endif
