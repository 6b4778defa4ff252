/*
 * unmatched.c - the words of an unanswered query that may be stored.
 *
 * A query routed to "unknown" tells editors which keyword is missing,
 * but its text may carry what identifies a person: a phone number, a
 * document number, an address, a name.  Only folded words are kept
 * (the ASCII skeleton keywords are matched on), and before folding
 * every word with a digit, '@' or a web address is blanked out, since
 * folding reads '4' in "a4" as a letter.  A name marker ("меня зовут",
 * "я", "это", "мен", "атым", "my name is", ...) drops the three words
 * that follow it, an e-mail address spelt out ("собака", "точка") the
 * words around, and number words ("восемь", "жеті") are never kept.
 * The store keeps the words with the sender's pseudonym only so that a
 * report can count distinct senders: it shows a word only when at least
 * stats.min_senders people used it.
 */
#include <stdlib.h>
#include <string.h>

#include "content.h"
#include "text.h"
#include "unmatched.h"
#include "utf8.h"

#define UNMATCHED_RAW_MAX	1024	/* bytes of a query looked at */

/*
 * Markers as people write them, folded at each call; each drops the
 * "before" words ahead of it and the "after" words that follow.  A
 * marker of several words must match all.  A name may run to three
 * words (given name, patronymic, surname: "Айгуль Сапаровна Ахметова"),
 * so a name marker drops three; "я", "это", "мен", "бұл" drop them too,
 * whatever follows them: a few lost words of an unanswered message are
 * worth less than a name kept.  An e-mail address spelt out ("aigul
 * точка ahmetova собака mail") loses two words on each side of every
 * "собака", "точка", "at" or "dot".
 */
#define UNMATCHED_NAME_SKIP	3
#define UNMATCHED_MAIL_SKIP	2

static const struct {
	const char	*text;
	int		 before;
	int		 after;
} unmatched_markers[] = {
	/* ru */
	{ "меня зовут", 0, UNMATCHED_NAME_SKIP },
	{ "зовут", 0, UNMATCHED_NAME_SKIP },
	{ "звать", 0, UNMATCHED_NAME_SKIP },
	{ "моё имя", 0, UNMATCHED_NAME_SKIP },
	{ "имя", 0, UNMATCHED_NAME_SKIP },
	{ "фамилия", 0, UNMATCHED_NAME_SKIP },
	{ "отчество", 0, UNMATCHED_NAME_SKIP },
	{ "фио", 0, UNMATCHED_NAME_SKIP },
	{ "ф и о", 0, UNMATCHED_NAME_SKIP },
	{ "я", 0, UNMATCHED_NAME_SKIP },
	{ "это", 0, UNMATCHED_NAME_SKIP },
	{ "меня", 0, UNMATCHED_NAME_SKIP },
	/* kk */
	{ "атым", 0, UNMATCHED_NAME_SKIP },	/* "менің атым Асан" */
	{ "есімім", 0, UNMATCHED_NAME_SKIP },	/* "my name is" */
	{ "тегім", 0, UNMATCHED_NAME_SKIP },	/* "my surname is" */
	{ "аты жөнім", 0, UNMATCHED_NAME_SKIP },	/* "my full name" */
	{ "мен", 0, UNMATCHED_NAME_SKIP },	/* "мен Айгүлмін", "I am" */
	{ "бұл", 0, UNMATCHED_NAME_SKIP },	/* "бұл Асан", "this is" */
	/* en, and Latin-script writers */
	{ "my name is", 0, UNMATCHED_NAME_SKIP },
	{ "name is", 0, UNMATCHED_NAME_SKIP },
	{ "this is", 0, UNMATCHED_NAME_SKIP },
	{ "i am", 0, UNMATCHED_NAME_SKIP },
	{ "im", 0, UNMATCHED_NAME_SKIP },
	/* an e-mail address spelt out */
	{ "собака", UNMATCHED_MAIL_SKIP, UNMATCHED_MAIL_SKIP },
	{ "собачка", UNMATCHED_MAIL_SKIP, UNMATCHED_MAIL_SKIP },
	{ "точка", UNMATCHED_MAIL_SKIP, UNMATCHED_MAIL_SKIP },
	{ "at", UNMATCHED_MAIL_SKIP, UNMATCHED_MAIL_SKIP },
	{ "dot", UNMATCHED_MAIL_SKIP, UNMATCHED_MAIL_SKIP },
};
#define UNMATCHED_NMARKERS \
	(sizeof(unmatched_markers) / sizeof(unmatched_markers[0]))

/*
 * Number words, which spell out a phone or document number digit by
 * digit or in groups ("восемь семьсот один ..."): never kept.  Russian
 * cardinals, Kazakh cardinals, English digits.
 */
static const char *const unmatched_numbers[] = {
	"ноль", "нуль", "один", "одна", "одно", "два", "две", "три",
	"четыре", "пять", "шесть", "семь", "восемь", "девять", "десять",
	"одиннадцать", "двенадцать", "тринадцать", "четырнадцать",
	"пятнадцать", "шестнадцать", "семнадцать", "восемнадцать",
	"девятнадцать", "двадцать", "тридцать", "сорок", "пятьдесят",
	"шестьдесят", "семьдесят", "восемьдесят", "девяносто", "сто",
	"двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот",
	"восемьсот", "девятьсот", "тысяча", "тысячи", "тысяч",
	"нөл", "бір", "екі", "үш", "төрт", "бес", "алты", "жеті", "сегіз",
	"тоғыз", "он", "жиырма", "отыз", "қырық", "елу", "алпыс", "жетпіс",
	"сексен", "тоқсан", "жүз", "мың",
	"zero", "one", "two", "three", "four", "five", "six", "seven",
	"eight", "nine", "ten", "hundred", "thousand",
};
#define UNMATCHED_NNUMBERS \
	(sizeof(unmatched_numbers) / sizeof(unmatched_numbers[0]))

/* Folded markers, split into their words. */
#define UNMATCHED_MARKER_WORDS	3

struct unmatched_marker {
	char	 w[UNMATCHED_MARKER_WORDS][UNMATCHED_WORD_MAX];
	int	 nw;
	int	 before;
	int	 after;
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
	const char *p = s;
	size_t	 i;
	int32_t	 c;

	while (p < s + n) {
		c = utf8_next(&p, s + n);
		/* Fullwidth digits fold to ASCII ones. */
		if ((c >= '0' && c <= '9') || c == '@' ||
		    (c >= 0xFF10 && c <= 0xFF19))
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
		m[i].before = unmatched_markers[i].before;
		m[i].after = unmatched_markers[i].after;
	}
}

/* The marker at words[i], or NULL. */
static const struct unmatched_marker *
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
			return &m[k];
	}
	return NULL;
}

/* Whether the folded word w is a number word. */
static int
unmatched_is_number(const char *w)
{
	char	 folded[UNMATCHED_WORD_MAX * 2];
	size_t	 i;

	for (i = 0; i < UNMATCHED_NNUMBERS; i++) {
		text_fold(folded, sizeof(folded), unmatched_numbers[i]);
		if (strcmp(folded, w) == 0)
			return 1;
	}
	return 0;
}

static int
unmatched_keep(const char *w)
{
	size_t	 len = strlen(w);

	if (len < UNMATCHED_MIN_LEN)
		return 0;
	return strpbrk(w, "0123456789") == NULL && !unmatched_is_number(w);
}

/* Mark words [from, to) of n as dropped, within bounds. */
static void
unmatched_drop(char *drop, size_t n, size_t from, size_t to)
{
	for (; from < to && from < n; from++)
		drop[from] = 1;
}

size_t
unmatched_words(struct unmatched *out, const char *msg)
{
	char		 words[TEXT_MAX_FOLD / 2][UNMATCHED_WORD_MAX];
	char		 drop[TEXT_MAX_FOLD / 2];
	struct unmatched_marker m[UNMATCHED_NMARKERS];
	const struct unmatched_marker *mk;
	char		 raw[UNMATCHED_RAW_MAX], folded[TEXT_MAX_FOLD];
	size_t		 n, i, j, from;

	memset(out, 0, sizeof(*out));
	if (msg == NULL)
		return 0;
	unmatched_fold_markers(m);
	unmatched_blank(raw, sizeof(raw), msg);
	text_fold(folded, sizeof(folded), raw);
	n = unmatched_split(folded, words, TEXT_MAX_FOLD / 2);
	/* First what every marker covers, ahead of it and after it. */
	memset(drop, 0, sizeof(drop));
	for (i = 0; i < n; i++) {
		if ((mk = unmatched_marker_at(m, words, n, i)) == NULL)
			continue;
		from = i > (size_t)mk->before ? i - (size_t)mk->before : 0;
		unmatched_drop(drop, n, from,
		    i + (size_t)mk->nw + (size_t)mk->after);
	}
	for (i = 0; i < n && out->n < UNMATCHED_MAX; i++) {
		if (drop[i] || !unmatched_keep(words[i]))
			continue;
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
	return out->n;
}

/* The content's words while they are gathered. */
struct unmatched_words {
	char		**word;
	size_t		  n, cap;
};

/*
 * The content's words, folded, sorted and each once, in one allocation
 * (word[] points into the bytes after it), kept in the set's memo.
 */
struct unmatched_vocab {
	size_t		 n;
	const char	*word[];
};

static int
unmatched_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Add w (a folded word) to v: 0, or -1 out of memory. */
static int
unmatched_vocab_add(struct unmatched_words *v, const char *w)
{
	char	**nw;
	size_t	  len = strlen(w);

	if (len == 0 || len >= UNMATCHED_WORD_MAX)
		return 0;	/* never a word unmatched_words() keeps */
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 1024;
		if ((nw = realloc(v->word, v->cap * sizeof(*nw))) == NULL)
			return -1;
		v->word = nw;
	}
	if ((v->word[v->n] = strdup(w)) == NULL)
		return -1;
	v->n++;
	return 0;
}

/*
 * Add the words of text (UTF-8, may be NULL) to v, each folded as
 * keywords are: 0, or -1 out of memory.
 */
static int
unmatched_vocab_text(struct unmatched_words *v, const char *text)
{
	char		 tok[UNMATCHED_WORD_MAX * 4];
	char		 folded[UNMATCHED_WORD_MAX * 8], *w, *sp;
	const char	*p = text, *start;
	size_t		 len;

	if (p == NULL)
		return 0;
	while (*p != '\0') {
		while (*p != '\0' && unmatched_is_space((unsigned char)*p))
			p++;
		start = p;
		while (*p != '\0' && !unmatched_is_space((unsigned char)*p))
			p++;
		if ((len = (size_t)(p - start)) == 0 || len >= sizeof(tok))
			continue;
		memcpy(tok, start, len);
		tok[len] = '\0';
		text_fold(folded, sizeof(folded), tok);
		for (w = folded; w != NULL && *w != '\0';
		    w = sp != NULL ? sp + 1 : NULL) {
			if ((sp = strchr(w, ' ')) != NULL)
				*sp = '\0';
			if (unmatched_vocab_add(v, w) == -1)
				return -1;
		}
	}
	return 0;
}

/* Every title, keyword, example and text of c, folded: see above. */
static struct unmatched_vocab *
unmatched_vocab_new(const struct content *c)
{
	const struct topic_text *tt;
	struct unmatched_words w = { NULL, 0, 0 };
	struct unmatched_vocab *v = NULL;
	char		*at;
	size_t		 i, k, l, n, bytes = 0;
	int		 rv = 0;

	for (i = 0; i < c->ntopics && rv == 0; i++) {
		for (l = 0; l < c->nlangs && rv == 0; l++) {
			tt = &c->topics[i].text[l];
			if (!tt->present)
				continue;
			rv |= unmatched_vocab_text(&w, tt->title);
			for (k = 0; k < tt->nkeywords; k++)
				rv |= unmatched_vocab_text(&w,
				    tt->keywords[k].text);
			for (k = 0; k < tt->nexamples; k++)
				rv |= unmatched_vocab_text(&w,
				    tt->examples[k].text);
			rv |= unmatched_vocab_text(&w, tt->text);
			rv |= unmatched_vocab_text(&w, tt->text_latin);
		}
	}
	if (rv == 0 && w.n > 0)
		qsort(w.word, w.n, sizeof(*w.word), unmatched_cmp);
	for (i = 0, n = 0; rv == 0 && i < w.n; i++) {
		if (n > 0 && strcmp(w.word[n - 1], w.word[i]) == 0) {
			free(w.word[i]);
			continue;
		}
		w.word[n++] = w.word[i];
		bytes += strlen(w.word[i]) + 1;
	}
	if (rv == 0)
		w.n = n;
	if (rv == 0 && (v = malloc(sizeof(*v) + w.n * sizeof(v->word[0]) +
	    bytes)) != NULL) {
		at = (char *)&v->word[w.n];
		for (i = 0; i < w.n; i++) {
			v->word[i] = at;
			at = stpcpy(at, w.word[i]) + 1;
		}
		v->n = w.n;
	}
	for (i = 0; i < w.n; i++)
		free(w.word[i]);
	free(w.word);
	return v;
}

size_t
unmatched_known(struct unmatched *u, const struct content *c)
{
	const struct unmatched_vocab *v;
	struct unmatched_vocab *made;
	const char	*w;
	size_t		 i, n;

	/* made once per set, by the first unanswered message's thread */
	if ((v = content_memo_set_get(c)) == NULL &&
	    (made = unmatched_vocab_new(c)) != NULL)
		v = content_memo_set_put(c, made);
	for (i = 0, n = 0; i < u->n; i++) {
		w = u->word[i];
		if (v == NULL || v->n == 0 || bsearch(&w, v->word, v->n,
		    sizeof(v->word[0]), unmatched_cmp) == NULL)
			continue;
		if (n != i)
			memcpy(u->word[n], u->word[i], sizeof(u->word[n]));
		u->list[n] = u->word[n];
		n++;
	}
	u->n = n;
	return n;
}
