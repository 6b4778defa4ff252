/*
 * multipart.h - multipart SMS reassembly, pure: parts as the phone holds
 * them (sender, concatenation header, UTF-16BE text, place) grouped by
 * sender, reference and count, joined into UTF-8 messages, oldest first;
 * incomplete messages held back until they time out.  No library, no
 * I/O, no clock of its own: modem.c reads the parts through libGammu and
 * gives the time.
 */
#ifndef HABAR_MULTIPART_H
#define HABAR_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define MULTIPART_NUMBER_MAX	32	/* bytes of a sender, NUL included */
#define MULTIPART_MAX_LOCS	255	/* parts of one reassembled message */
#define MULTIPART_KEY_MAX	(MULTIPART_NUMBER_MAX + 48)

/* Where one part of a message sits on the phone. */
struct multipart_loc {
	int	 folder;
	int	 location;
};

/* One inbound message, reassembled. */
struct multipart_msg {
	char		 sender[MULTIPART_NUMBER_MAX];	/* as the network
							   gave it */
	time_t		 sent_at;	/* SMSC timestamp, or 0 */
	char		*text;		/* UTF-8, owned */
	bool		 incomplete;	/* parts missing after the timeout */
	size_t		 nlocs;
	struct multipart_loc *locs;	/* owned */
};

/* One part of a message as the phone holds it. */
struct multipart_part {
	char		 sender[MULTIPART_NUMBER_MAX];
	char		 key[MULTIPART_KEY_MAX];	/* sender, reference,
							   total */
	int		 seq;		/* 1.., or 0 when not concatenated */
	int		 total;		/* parts in its message */
	size_t		 entry;		/* its phone entry, in read order */
	int		 folder;
	int		 location;
	time_t		 sent_at;	/* SMSC time stamp, or 0 */
	bool		 ucs2;		/* coded as UCS-2 */
	size_t		 units;		/* UTF-16 units at text */
	unsigned char	*text;		/* UTF-16BE, owned; NULL when none */
};

/* The parts one pass over the phone found, entry by entry. */
struct multipart_vec {
	struct multipart_part *v;
	size_t		 n;
	size_t		 cap;
	size_t		 entries;	/* phone entries they came in */
};

/*
 * Incomplete messages being timed, by key: it grows rather than evict,
 * as an evicted one's clock would start over and never run out.  Zero
 * it to start; free with multipart_timers_free().
 */
struct multipart_timer;
struct multipart_timers {
	struct multipart_timer *v;
	size_t		 n;
	size_t		 cap;
};

/*
 * The concatenation element of the len bytes of a user data header at
 * udh (its first byte the header's length), read within the header's
 * stated length: 0 with *ref (16-bit references above 0xffff), *seq and
 * *total, or -1 when there is none or its numbers make no sense.
 */
int	 multipart_udh_concat(const unsigned char *udh, size_t len, int *ref,
	    int *seq, int *total);

/*
 * Set up *p, zeroed first, as a part from sender (cut to fit, between
 * characters) with the user data header udh of udhlen bytes (0 for
 * none): its sequence number, count and grouping key.  The caller fills
 * in the place, time, coding and text.
 */
void	 multipart_part_init(struct multipart_part *p, const char *sender,
	    const unsigned char *udh, size_t udhlen);

/*
 * Append the nparts parts at parts, one phone entry, to pv (their entry
 * numbers set).  pv owns their texts from then on, even on failure.
 * Returns 0 or -1 (out of memory).
 */
int	 multipart_add(struct multipart_vec *pv, struct multipart_part *parts,
	    size_t nparts)
	    __attribute__((warn_unused_result));

/* Free the parts in pv and their texts, and zero it. */
void	 multipart_vec_free(struct multipart_vec *pv);

/* What becomes of the parts of one message.  Returns 0 or -1. */
typedef int	multipart_fn(void *, const struct multipart_part *, size_t,
		    bool complete);

/*
 * Hand the parts in pv to fn message by message: an entry whose first
 * part is not concatenated, as the phone gave it; an entry that holds
 * every part of its message, sorted; and the loose parts left over,
 * grouped across entries by sender, reference and count, each group
 * sorted, complete or not.  Reorders pv.  Returns 0, or -1 (out of
 * memory, or from fn).
 */
int	 multipart_group(struct multipart_vec *pv, multipart_fn *fn,
	    void *arg)
	    __attribute__((warn_unused_result));

/*
 * The text of parts[0..n) (sorted; a repeated sequence number counts
 * once) as new UTF-8, "" when none has text.  Caller frees.  NULL if out
 * of memory.
 */
char	*multipart_text(const struct multipart_part *parts, size_t n);

/*
 * The messages in pv into a new array *msgs of *n, oldest first (SMSC
 * time, then place): complete ones, and incomplete ones whose clock in
 * timers, started when first seen, has reached timeout seconds at
 * now_ms (any clock, the same every call); the rest are held back, and
 * their entries counted in *held.  Clocks of messages no longer in pv
 * are dropped.  Free *msgs with multipart_msgs_free().  Returns 0 or -1
 * (out of memory).
 */
int	 multipart_collect(struct multipart_vec *pv,
	    struct multipart_timers *timers,	/* kept between calls */
	    int timeout,		/* seconds; 0: all are due */
	    int64_t now_ms,
	    struct multipart_msg **msgs,	/* OUT */
	    size_t *n,			/* OUT */
	    size_t *held)		/* OUT: parts held back */
	    __attribute__((warn_unused_result));

/* Free the clocks in the table and zero it. */
void	 multipart_timers_free(struct multipart_timers *);

/* Free the n messages of msgs (from multipart_collect()), and msgs. */
void	 multipart_msgs_free(struct multipart_msg *msgs, size_t n);

#endif
