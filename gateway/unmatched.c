/*
 * unmatched.c - the words of an unanswered query that may be stored.
 *
 * A query routed to "unknown" tells editors which keyword is missing,
 * but its text may carry what identifies a person: a phone number, a
 * document number, an address, a name.  Only folded words are kept
 * (the ASCII skeleton keywords are matched on), and before folding
 * every word with a digit, '@' or a web address is blanked out, since
 * folding reads '4' in "a4" as a letter.  A name marker ("меня зовут",
 * "мен", "атым", "my name is", ...) drops the words that follow it.
 * The store keeps the words with the sender's pseudonym only so that a
 * report can count distinct senders: it shows a word only when at least
 * stats.min_senders people used it.
 */
#include <string.h>

#include "text.h"
#include "unmatched.h"

#define UNMATCHED_RAW_MAX	1024	/* bytes of a query looked at */

/*
 * Name markers as people write them, folded at first use; each drops
 * the next "skip" words.  A marker of several words must match all.
 */
static const struct {
	const char	*text;
	int		 skip;
} unmatched_markers[] = {
	{ "меня зовут", 2 },
	{ "зовут", 2 },
	{ "моё имя", 2 },
	{ "имя", 2 },
	{ "фамилия", 2 },
	{ "отчество", 1 },
	{ "атым", 2 },		/* kk: "менің атым Асан" */
	{ "есімім", 2 },	/* kk: "my name is" */
	{ "тегім", 2 },		/* kk: "my surname is" */
	{ "мен", 1 },		/* kk: "мен Айгүлмін", "I am Aigul" */
	{ "my name is", 2 },
	{ "name is", 2 },
	{ "i am", 1 },
	{ "im", 1 },
};
#define UNMATCHED_NMARKERS \
	(sizeof(unmatched_markers) / sizeof(unmatched_markers[0]))

/* Folded markers, split into their words. */
#define UNMATCHED_MARKER_WORDS	3

struct unmatched_marker {
	char	 w[UNMATCHED_MARKER_WORDS][UNMATCHED_WORD_MAX];
	int	 nw;
	int	 skip;
};

static int
unmatched_is_space(unsigned char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* Does the raw word s[0..n) look like a number, an address or a mail? */
static int
unmatched_risky(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if ((s[i] >= '0' && s[i] <= '9') || s[i] == '@')
			return 1;
		/* Fullwidth and Arabic-Indic digits fold to nothing useful. */
		if ((unsigned char)s[i] == 0xef && i + 2 < n &&
		    (unsigned char)s[i + 1] == 0xbc &&
		    (unsigned char)s[i + 2] >= 0x90 &&
		    (unsigned char)s[i + 2] <= 0x99)
			return 1;
	}
	for (i = 0; i + 3 <= n; i++)
		if ((i + 4 <= n && memcmp(s + i, "www.", 4) == 0) ||
		    memcmp(s + i, "://", 3) == 0)
			return 1;
	return 0;
}

/* Copy msg into buf with risky words replaced by spaces. */
static void
unmatched_blank(char *buf, size_t bufsz, const char *msg)
{
	size_t	 len, i, start;

	len = strlen(msg);
	if (len >= bufsz)
		len = bufsz - 1;
	memcpy(buf, msg, len);
	buf[len] = '\0';
	for (i = 0; i < len;) {
		while (i < len && unmatched_is_space((unsigned char)buf[i]))
			i++;
		start = i;
		while (i < len && !unmatched_is_space((unsigned char)buf[i]))
			i++;
		if (i > start && unmatched_risky(buf + start, i - start))
			memset(buf + start, ' ', i - start);
	}
}

/*
 * Split folded text (single spaces) into at most max words of
 * UNMATCHED_WORD_MAX bytes; longer words are kept as "" (dropped later
 * but still counted, so markers skip the right words).
 */
static size_t
unmatched_split(char *folded, char words[][UNMATCHED_WORD_MAX], size_t max)
{
	size_t	 n = 0, len;
	char	*p = folded, *sp;

	while (*p != '\0' && n < max) {
		if ((sp = strchr(p, ' ')) != NULL)
			*sp = '\0';
		len = strlen(p);
		if (len < UNMATCHED_WORD_MAX)
			memcpy(words[n], p, len + 1);
		else
			words[n][0] = '\0';
		n++;
		if (sp == NULL)
			break;
		p = sp + 1;
	}
	return n;
}

static void
unmatched_fold_markers(struct unmatched_marker *m)
{
	char	 folded[128], w[4][UNMATCHED_WORD_MAX];
	size_t	 i, n;

	for (i = 0; i < UNMATCHED_NMARKERS; i++) {
		text_fold(folded, sizeof(folded), unmatched_markers[i].text);
		n = unmatched_split(folded, w, 4);
		m[i].nw = n > UNMATCHED_MARKER_WORDS ? UNMATCHED_MARKER_WORDS :
		    (int)n;
		memcpy(m[i].w, w, sizeof(m[i].w));
		m[i].skip = unmatched_markers[i].skip;
	}
}

/* Words a marker at words[i] covers, itself included; 0: no marker. */
static size_t
unmatched_marker_at(const struct unmatched_marker *m,
    char words[][UNMATCHED_WORD_MAX], size_t n, size_t i)
{
	size_t	 k;
	int	 j;

	for (k = 0; k < UNMATCHED_NMARKERS; k++) {
		if (m[k].nw == 0 || i + (size_t)m[k].nw > n)
			continue;
		for (j = 0; j < m[k].nw; j++)
			if (strcmp(words[i + (size_t)j], m[k].w[j]) != 0)
				break;
		if (j == m[k].nw)
			return (size_t)m[k].nw + (size_t)m[k].skip;
	}
	return 0;
}

static int
unmatched_keep(const char *w)
{
	size_t	 len = strlen(w);

	if (len < UNMATCHED_MIN_LEN)
		return 0;
	return strpbrk(w, "0123456789") == NULL;
}

size_t
unmatched_words(struct unmatched *out, const char *msg)
{
	char		 words[TEXT_MAX_FOLD / 2][UNMATCHED_WORD_MAX];
	struct unmatched_marker m[UNMATCHED_NMARKERS];
	char		 raw[UNMATCHED_RAW_MAX], folded[TEXT_MAX_FOLD];
	size_t		 n, i, j, cover;

	memset(out, 0, sizeof(*out));
	if (msg == NULL)
		return 0;
	unmatched_fold_markers(m);
	unmatched_blank(raw, sizeof(raw), msg);
	text_fold(folded, sizeof(folded), raw);
	n = unmatched_split(folded, words, TEXT_MAX_FOLD / 2);
	for (i = 0; i < n && out->n < UNMATCHED_MAX;) {
		if ((cover = unmatched_marker_at(m, words, n, i)) > 0) {
			i += cover;
			continue;
		}
		if (unmatched_keep(words[i])) {
			for (j = 0; j < out->n; j++)
				if (strcmp(out->word[j], words[i]) == 0)
					break;
			if (j == out->n) {
				memcpy(out->word[out->n], words[i],
				    strlen(words[i]) + 1);
				out->list[out->n] = out->word[out->n];
				out->n++;
			}
		}
		i++;
	}
	return out->n;
}
