/*
 * reply.h - SMS segment arithmetic and splitting: GSM 03.38 septets with
 * the extension table, UCS-2 in UTF-16 units (surrogate pairs count two
 * and are never split), 160/153 and 70/67, parts cut at word boundaries
 * only.  No I/O.
 */
#ifndef HABAR_REPLY_H
#define HABAR_REPLY_H

#include <stdbool.h>
#include <stddef.h>

#define REPLY_MAX_PARTS	10	/* hard cap on parts of one reply */

enum reply_coding {
	REPLY_GSM7,
	REPLY_UCS2
};

struct reply {
	enum reply_coding	 coding;
	size_t			 nparts;
	char			*part[REPLY_MAX_PARTS];	/* UTF-8, one SMS each */
	bool			 cut;	/* text was shortened to fit */
};

/* True if every character of the UTF-8 text exists in GSM 03.38. */
bool	 reply_is_gsm7(const char *utf8);

/* GSM-7 septets the text needs (extension characters count two). */
size_t	 reply_septets(const char *utf8);

/* UTF-16 code units the text needs (astral characters count two). */
size_t	 reply_ucs2_units(const char *utf8);

/* Parts the text needs, as one concatenated SMS, in its cheapest coding. */
size_t	 reply_count_parts(const char *utf8, enum reply_coding *coding);

/*
 * Split text into at most max_parts SMS parts, breaking at spaces or
 * newlines only (a single word longer than a part is the one exception,
 * split between characters).  Text that does not fit is cut at a word
 * boundary and more_hint (may be NULL) appended to the last part, within
 * budget.  Fills *r, which the caller releases with reply_release().
 * Returns 0, or -1 when memory runs out.
 */
int	 reply_compose(struct reply *r, const char *text,
	    size_t max_parts, const char *more_hint)
	    __attribute__((warn_unused_result));

/* Join the parts back with nothing between them (caller frees), or NULL. */
char	*reply_join(const struct reply *);

void	 reply_release(struct reply *);

const char *reply_coding_name(enum reply_coding);	/* "GSM-7", "UCS-2" */

#endif
