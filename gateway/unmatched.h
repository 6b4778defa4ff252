/*
 * unmatched.h - what may be kept of a query nobody answered: its folded
 * words, minus anything that could identify the sender (numbers, words
 * with digits, number words, e-mail and web addresses, spelt out too,
 * a name after "меня зовут", "я", "это", "мен", "атым", "my name is"
 * and the like).  Editors see the words
 * people use that no keyword covers; reports show a word only once
 * enough distinct senders used it.  No I/O.
 */
#ifndef HABAR_UNMATCHED_H
#define HABAR_UNMATCHED_H

#include <stddef.h>

#define UNMATCHED_MAX		8	/* words kept of one query */
#define UNMATCHED_WORD_MAX	32	/* bytes of one, NUL included */
#define UNMATCHED_MIN_LEN	2	/* shorter words say nothing */

/* Holds pointers into itself: fill it in place, never copy it. */
struct unmatched {
	char		 word[UNMATCHED_MAX][UNMATCHED_WORD_MAX];
	const char	*list[UNMATCHED_MAX];	/* word[i], for the store */
	size_t		 n;
};

/*
 * The words worth keeping of msg (UTF-8, may be invalid) into *out:
 * folded as keywords are (text_fold), each once, in order, at most
 * UNMATCHED_MAX.  Dropped: every word of msg holding a digit, '@', or
 * "www."/"://" before folding (folding turns some digits into letters),
 * every folded word with a digit, every number word (ru, kk, en), the
 * three words after a name marker, the two on each side of "собака",
 * "точка", "at" or "dot", and words shorter than UNMATCHED_MIN_LEN or
 * too long to be a keyword.  out->list[i] points at out->word[i].  Returns the number
 * kept.
 */
size_t	 unmatched_words(struct unmatched *out, const char *msg);

struct content;

/*
 * Keep, of the words unmatched_words() left in *u, only those the
 * content itself uses somewhere (a title, a keyword, an example, a
 * text, in any language), in order: what no NGO text ever says, a name,
 * a surname or a number spelt in a way no list foresaw, is dropped with
 * the rest.  Editors still learn which words of their own texts people
 * use that no keyword covers.  The content's words are folded once per
 * set, kept in its memo (content_memo_set_get()); when they cannot be
 * (memory, or a set with no memo) nothing is kept.  Returns the number
 * kept.
 */
size_t	 unmatched_known(struct unmatched *u, const struct content *c);

#endif
