/*
 * langid.h - which of the five languages habar knows (Kazakh, Russian,
 * Uzbek, Kyrgyz, Tajik) a message is written in, from its letters and
 * its common words.  route.c asks it; the content set says which of the
 * five are enabled.  No I/O.
 */
#ifndef HABAR_LANGID_H
#define HABAR_LANGID_H

#include <stddef.h>

/* The languages, by index into the tables of langid.c. */
#define LANGID_KK	0
#define LANGID_RU	1
#define LANGID_UZ	2
#define LANGID_KY	3
#define LANGID_TG	4
#define LANGID_N	5

/* Evidence for each language; filled by langid_letters/langid_word. */
struct langid_vote {
	int	 letters[LANGID_N];	/* letters only a few languages use */
	int	 words[LANGID_N];	/* common words */
	int	 only[LANGID_N];	/* words of no other language */
};

struct langid;

/* "kk", "ru", "uz", "ky" or "tg"; NULL outside 0..LANGID_N-1. */
const char	*langid_code(int);

/* The language in its own name ("O'zbekcha"); NULL outside 0..N-1. */
const char	*langid_name(int);

/* The index of a language code, or -1 for one langid does not know. */
int		 langid_index(const char *code);

/*
 * The common word tables, folded (text_fold) once.  Returns NULL out of
 * memory.  Free with langid_free().
 */
struct langid	*langid_new(void) __attribute__((warn_unused_result));
void		 langid_free(struct langid *);

/*
 * The languages (bit 1 << LANGID_*) whose common words include the
 * folded word of len bytes at s; 0 for none.
 */
unsigned	 langid_word(const struct langid *, const char *s, size_t len);

/*
 * Add the word's languages (langid_word's mask) to v.  enabled[i]
 * nonzero for the languages in use (NULL: all): one not in use lends
 * its evidence to its nearest one in use (Kyrgyz to Kazakh and back),
 * counted once.
 */
void		 langid_count(struct langid_vote *v, unsigned mask,
		    const int *enabled);

/*
 * Add the evidence of the letters of utf8 (the message as sent) to v:
 * Kazakh-only letters (ә ұ һ і), Uzbek ў, Tajik ӣ ӯ ҷ, the letters two
 * or three of the languages share (ң ө ү, ғ қ, ҳ) and Uzbek Latin o'
 * and g'.  Invalid bytes are skipped.  enabled as for langid_count().
 */
void		 langid_letters(struct langid_vote *v, const char *utf8,
		    const int *enabled);

/*
 * The enabled languages (bit 1 << LANGID_*) tied for the most evidence
 * in v, letters and words together; 0 when there is none.
 */
unsigned	 langid_best(const struct langid_vote *v, const int *enabled);
/*
 * The language v points to among those enabled (enabled[i] nonzero),
 * or -1 when nothing does.  Letters weigh more than words.  A tie goes
 * to session (a LANGID_* index or -1) when it is among the tied, else
 * to -1 when Russian is among them (the session or the default then
 * decide), else to the one with the most words no other language has,
 * else to the first of those in the order kk, ky, uz, tg (of all tied
 * before the sixth session).  Russian, the
 * language most senders share, is never picked: a message in mostly
 * Russian words is left to its keyword, the session and the default,
 * and so is one with at least LANGID_MOSTLY_RU Russian words and twice
 * as many as of the language its letters point to.
 * *by_letters is set to 2 when a letter of the language decided (ә, ў,
 * ӣ...), 1 when a weaker sign of letters did (o', Latin q, a long
 * vowel), else 0.
 */
int		 langid_pick(const struct langid_vote *v, const int *enabled,
		    int session, int *by_letters);

/*
 * The languages (bit 1 << LANGID_*) among which langid_pick() fell back
 * on the order kk, ky, uz, tg: tied for the most evidence and for the
 * most words of their own, none of them Russian or the session's; 0
 * when the evidence decided.  "паспорт керек" (керек is Kazakh and
 * Kyrgyz) is such a tie; route.c lets the examples' model settle it.
 */
unsigned	 langid_tied(const struct langid_vote *v, const int *enabled,
		    int session);

#endif
