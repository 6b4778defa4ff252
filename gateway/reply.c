/*
 * reply.c - what an SMS reply costs and how it is cut into parts.
 *
 * Text is decoded once into code points, and every code point gets a
 * cost in the chosen coding: GSM 03.38 septets (extension table
 * characters cost two, escape and character) or UTF-16 units (astral
 * characters cost two, a surrogate pair).  Parts are built from whole
 * code points, so neither an escape pair nor a surrogate pair can ever
 * straddle two parts.  Parts end right after a space or newline, which
 * stays in the earlier part, so joining the parts gives the text back.
 * Bytes that are not well-formed UTF-8 are dropped on decoding (the
 * rule of utf8.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "reply.h"
#include "utf8.h"

#define GSM7_SINGLE	160	/* septets in one SMS */
#define GSM7_MULTI	153	/* septets per part after the 6-byte UDH */
#define UCS2_SINGLE	70	/* UTF-16 units in one SMS */
#define UCS2_MULTI	67	/* UTF-16 units per part */

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

/* Decoded text: n code points, valid Unicode scalar values only. */
struct cps {
	uint32_t	*cp;
	size_t		 n;
};

/* The GSM 03.38 default alphabet outside ASCII. */
static const uint16_t gsm7_basic[] = {
	0x00a1, 0x00a3, 0x00a4, 0x00a5, 0x00a7, 0x00bf,	/* ¡ £ ¤ ¥ § ¿ */
	0x00c4, 0x00c5, 0x00c6, 0x00c7, 0x00c9, 0x00d1,	/* Ä Å Æ Ç É Ñ */
	0x00d6, 0x00d8, 0x00dc, 0x00df, 0x00e0, 0x00e4,	/* Ö Ø Ü ß à ä */
	0x00e5, 0x00e6, 0x00e8, 0x00e9, 0x00ec, 0x00f1,	/* å æ è é ì ñ */
	0x00f2, 0x00f6, 0x00f8, 0x00f9, 0x00fc,		/* ò ö ø ù ü */
	0x0393, 0x0394, 0x0398, 0x039b, 0x039e, 0x03a0,	/* Γ Δ Θ Λ Ξ Π */
	0x03a3, 0x03a6, 0x03a8, 0x03a9			/* Σ Φ Ψ Ω */
};

/*
 * The next code point of the NUL-terminated text at *sp (its end at
 * end) into *cp, moving *sp past it; errors (utf8.h) are dropped.
 * Returns 0, or -1 at the end.
 */
static int
next_cp(const char **sp, const char *end, uint32_t *cp)
{
	int32_t	 c;

	while (*sp < end)
		if ((c = utf8_next(sp, end)) >= 0) {
			*cp = (uint32_t)c;
			return 0;
		}
	return -1;
}

/* Septets for c: 1 in the default alphabet, 2 in the extension, else 0. */
static int
gsm7_cost(uint32_t c)
{
	size_t	i;

	if (c < 0x80) {
		switch (c) {
		case '\n':
		case '\r':
			return 1;
		case '\f':
		case '^':
		case '{':
		case '}':
		case '\\':
		case '[':
		case '~':
		case ']':
		case '|':
			return 2;
		case '`':
			return 0;
		}
		return c >= 0x20 && c < 0x7f;
	}
	if (c == 0x20ac)	/* € */
		return 2;
	if (c > 0x03a9)		/* past Ω: Cyrillic, most of all */
		return 0;
	for (i = 0; i < nitems(gsm7_basic); i++)
		if (gsm7_basic[i] == c)
			return 1;
	return 0;
}

/*
 * Cost of c in coding.  A character GSM-7 lacks would go out as one
 * replacement septet; compose never picks GSM-7 for such text.
 */
static size_t
cost(uint32_t c, enum reply_coding coding)
{
	int	s;

	switch (coding) {
	case REPLY_GSM7:
		s = gsm7_cost(c);
		return s == 0 ? 1 : (size_t)s;
	case REPLY_UCS2:
		return c >= 0x10000 ? 2 : 1;
	}
	return 1;
}

static void
limits(enum reply_coding coding, size_t *single, size_t *multi)
{
	*single = GSM7_SINGLE;
	*multi = GSM7_MULTI;
	switch (coding) {
	case REPLY_GSM7:
		break;
	case REPLY_UCS2:
		*single = UCS2_SINGLE;
		*multi = UCS2_MULTI;
		break;
	}
}

/* A part may end right after one of these. */
static int
is_break(uint32_t c)
{
	return c == ' ' || c == '\n';
}

/* Index of the first code point GSM-7 lacks, n if there is none. */
static size_t
first_non_gsm7(const uint32_t *cp, size_t n)
{
	size_t	i;

	for (i = 0; i < n && gsm7_cost(cp[i]) != 0; i++)
		;
	return i;
}

/*
 * Decode utf8 into t.  Caller frees t->cp with free().  Returns 0, or -1
 * when memory runs out.
 */
static int
cps_decode(struct cps *t, const char *utf8)
{
	const char	*end;
	uint32_t	 c;

	if (utf8 == NULL)
		utf8 = "";
	end = utf8 + strlen(utf8);
	t->n = 0;
	if ((t->cp = calloc((size_t)(end - utf8) + 1, sizeof(*t->cp))) == NULL) {
		log_warn("cannot decode reply text");
		return -1;
	}
	while (next_cp(&utf8, end, &c) == 0)
		t->cp[t->n++] = c;
	return 0;
}

/*
 * True if the word starting at b, its closing space or newline
 * included, costs more than limit: it has to be split inside.
 */
static int
long_word(const uint32_t *cp, size_t n, size_t b, enum reply_coding coding,
    size_t limit)
{
	size_t	sum = 0;

	for (; b < n; b++) {
		sum += cost(cp[b], coding);
		if (sum > limit)
			return 1;
		if (is_break(cp[b]))
			return 0;
	}
	return 0;
}

/*
 * Cut cp[0..n) into parts in coding: one part if it fits a single SMS,
 * else greedy parts of at most the concatenated limit, each ending right
 * after a space or newline (a newline when one lies in the part's
 * second half), unless the word that would be broken is
 * longer than a part itself: then the part is filled to the limit.
 * Stores the end of each part in end[] (may be NULL) while there are at
 * most maxends.  Returns the number of parts, or maxends + 1 when there
 * are more.
 */
static size_t
split(const uint32_t *cp,	/* text */
    size_t n,			/* its length in code points */
    enum reply_coding coding,	/* costs and limits */
    size_t *end,		/* OUT: end of each part, or NULL */
    size_t maxends)		/* room in end[] */
{
	size_t	single, multi, sum, s, e, b, k, nparts;

	if (n == 0)
		return 0;
	limits(coding, &single, &multi);
	for (e = 0, sum = 0; e < n && sum <= single; e++)
		sum += cost(cp[e], coding);
	if (sum <= single) {
		if (end != NULL && maxends > 0)
			end[0] = n;
		return 1;
	}
	nparts = 0;
	for (s = 0; s < n; s = e) {
		for (e = s, sum = 0; e < n; e++) {
			k = cost(cp[e], coding);
			if (sum + k > multi)
				break;
			sum += k;
		}
		if (e < n) {
			for (b = e; b > s && !is_break(cp[b - 1]); b--)
				;
			if (b > s && !long_word(cp, n, b, coding, multi))
				e = b;
			/*
			 * Prefer a line end in the part's second half, so a
			 * menu line ("5 Title") is never torn in two.
			 */
			for (b = e; b > s + (e - s) / 2 && cp[b - 1] != '\n';
			    b--)
				;
			if (b > s + (e - s) / 2)
				e = b;
		}
		if (nparts == maxends)
			return maxends + 1;
		if (end != NULL)
			end[nparts] = e;
		nparts++;
	}
	return nparts;
}

/*
 * The parts of cp[] ending at end[0..nparts) into r as UTF-8 strings.
 * Returns 0, or -1 when memory runs out (r keeps what was made).
 */
static int
emit(struct reply *r, const uint32_t *cp, const size_t *end, size_t nparts)
{
	size_t	 i, j, s, len;
	char	*p;

	for (i = 0, s = 0; i < nparts; s = end[i++]) {
		if ((p = malloc(4 * (end[i] - s) + 1)) == NULL) {
			log_warn("cannot compose reply");
			return -1;
		}
		for (j = s, len = 0; j < end[i]; j++)
			len += utf8_put(p + len, cp[j]);
		p[len] = '\0';
		r->part[r->nparts++] = p;
	}
	return 0;
}

/* A text being shortened to fit, and the hint that goes after it. */
struct cut {
	const struct cps	*text;
	const struct cps	*hint;		/* n == 0: no hint */
	size_t			 maxparts;
	uint32_t		*work;		/* prefix, separator, hint */
	size_t			*pre;		/* pre[i]: cost of text[0..i) */
	unsigned char		*ok;		/* ok[i]: may cut before i */
};

/*
 * Put text[0..i), a space if that does not already end in a space or
 * newline and there is a hint, and the hint into c->work and split it.
 * The hint is kept whole in the last part: where the split would break
 * inside it, the part before ends where the hint starts.  Returns the
 * number of parts, c->maxparts + 1 when they are too many or the hint
 * cannot be kept whole.
 */
static size_t
cut_build(struct cut *c,
    enum reply_coding coding,	/* costs and limits */
    size_t i,			/* code points of the text to keep */
    size_t *end)		/* OUT: ends of the parts in c->work */
{
	size_t	single, multi, hcost, w = i, hintat, np, j;

	memcpy(c->work, c->text->cp, i * sizeof(*c->work));
	if (c->hint->n > 0 && i > 0 && !is_break(c->text->cp[i - 1]))
		c->work[w++] = ' ';
	hintat = w;
	memcpy(c->work + w, c->hint->cp, c->hint->n * sizeof(*c->work));
	w += c->hint->n;
	np = split(c->work, w, coding, end, c->maxparts);
	if (np < 2 || np > c->maxparts || end[np - 2] <= hintat)
		return np;

	/* The hint straddles parts: give it the last one to itself. */
	limits(coding, &single, &multi);
	for (hcost = 0, j = 0; j < c->hint->n; j++)
		hcost += cost(c->hint->cp[j], coding);
	if (hcost > multi || (np > 2 && end[np - 3] >= hintat))
		return c->maxparts + 1;
	end[np - 2] = hintat;
	return np;
}

/*
 * Longest prefix of the text that, with the hint whole in the last part,
 * fits c->maxparts parts in coding.  The prefix ends right after a space
 * or newline, or inside a word too long for one part, and keeps at most
 * upto code points.  Returns its length, 0 when nothing fits.
 */
static size_t
cut_find(struct cut *c, enum reply_coding coding, size_t upto)
{
	const uint32_t	*cp = c->text->cp;
	size_t		 n = c->text->n;
	size_t		 single, multi, budget, hcost, sep, a, i, j, np;
	size_t		 end[REPLY_MAX_PARTS];
	int		 lw;

	limits(coding, &single, &multi);
	budget = c->maxparts == 1 ? single : c->maxparts * multi;
	for (hcost = 0, j = 0; j < c->hint->n; j++)
		hcost += cost(c->hint->cp[j], coding);

	c->pre[0] = 0;
	for (i = 0; i < n; i++)
		c->pre[i + 1] = c->pre[i] + cost(cp[i], coding);
	for (a = 0, i = 1; i <= n; i++) {
		if (i < n && !is_break(cp[i - 1]))
			continue;
		/* The word cp[a..i), closing space included. */
		lw = c->pre[i] - c->pre[a] > multi;
		for (j = a + 1; j < i; j++)
			c->ok[j] = lw;
		c->ok[i] = 1;
		a = i;
	}

	if (upto > n - 1)
		upto = n - 1;	/* keeping all of it is no cut */
	for (i = upto; i > 0; i--) {
		sep = c->hint->n > 0 && !is_break(cp[i - 1]);
		if (!c->ok[i] || c->pre[i] + sep + hcost > budget)
			continue;
		np = cut_build(c, coding, i, end);
		if (np <= c->maxparts)
			return i;
	}
	return 0;
}

/*
 * Shorten text to fit maxparts with hint (may be empty) appended, trying
 * GSM-7 if the hint allows it: the prefix kept may end before any
 * character GSM-7 lacks.  When not even a bit of text fits beside the
 * hint, the hint is dropped.  Returns 0, or -1 when memory runs out.
 */
static int
compose_cut(struct reply *r, const struct cps *text, struct cps *hint,
    size_t maxparts)
{
	struct cut		 c;
	enum reply_coding	 coding;
	size_t			 end[REPLY_MAX_PARTS];
	size_t			 ig, iu, i, np;
	int			 rv = -1;

	memset(&c, 0, sizeof(c));
	c.text = text;
	c.hint = hint;
	c.maxparts = maxparts;
	c.work = calloc(text->n + 1 + hint->n, sizeof(*c.work));
	c.pre = calloc(text->n + 1, sizeof(*c.pre));
	c.ok = calloc(text->n + 1, sizeof(*c.ok));
	if (c.work == NULL || c.pre == NULL || c.ok == NULL) {
		log_warn("cannot compose reply");
		goto out;
	}
	for (;;) {
		ig = 0;
		if (first_non_gsm7(hint->cp, hint->n) == hint->n)
			ig = cut_find(&c, REPLY_GSM7,
			    first_non_gsm7(text->cp, text->n));
		iu = cut_find(&c, REPLY_UCS2, text->n);
		if (ig > 0 || iu > 0 || hint->n == 0)
			break;
		hint->n = 0;
	}
	if (ig > 0 && ig >= iu) {
		coding = REPLY_GSM7;
		i = ig;
	} else {
		coding = REPLY_UCS2;
		i = iu;
	}
	np = cut_build(&c, coding, i, end);
	r->coding = coding;
	r->cut = true;
	if (np <= maxparts)	/* always, once i was found */
		rv = emit(r, c.work, end, np);
out:
	free(c.work);
	free(c.pre);
	free(c.ok);
	return rv;
}

int
reply_compose(struct reply *r, const char *text, size_t max_parts,
    const char *more_hint)
{
	struct cps	 t, h;
	size_t		 end[REPLY_MAX_PARTS];
	size_t		 np;
	int		 rv;

	memset(r, 0, sizeof(*r));
	r->coding = REPLY_GSM7;
	if (max_parts == 0)
		max_parts = 1;
	if (max_parts > REPLY_MAX_PARTS)
		max_parts = REPLY_MAX_PARTS;
	if (cps_decode(&t, text) == -1)
		return -1;
	if (first_non_gsm7(t.cp, t.n) < t.n)
		r->coding = REPLY_UCS2;
	np = split(t.cp, t.n, r->coding, end, max_parts);
	if (np <= max_parts)
		rv = emit(r, t.cp, end, np);
	else if ((rv = cps_decode(&h, more_hint)) == 0) {
		rv = compose_cut(r, &t, &h, max_parts);
		free(h.cp);
	}
	free(t.cp);
	if (rv == -1)
		reply_release(r);
	return rv;
}

bool
reply_is_gsm7(const char *utf8)
{
	const char		*end;
	uint32_t		 c;

	if (utf8 == NULL)
		return true;
	end = utf8 + strlen(utf8);
	while (next_cp(&utf8, end, &c) == 0)
		if (gsm7_cost(c) == 0)
			return false;
	return true;
}

/* What utf8 costs in coding co: septets or UTF-16 units. */
static size_t
reply_units(const char *utf8, enum reply_coding co)
{
	const char		*end;
	uint32_t		 c;
	size_t			 n = 0;

	if (utf8 == NULL)
		return 0;
	end = utf8 + strlen(utf8);
	while (next_cp(&utf8, end, &c) == 0)
		n += cost(c, co);
	return n;
}

/*
 * A character GSM-7 lacks counts one septet, the replacement it would be
 * sent as.
 */
size_t
reply_septets(const char *utf8)
{
	return reply_units(utf8, REPLY_GSM7);
}

size_t
reply_ucs2_units(const char *utf8)
{
	return reply_units(utf8, REPLY_UCS2);
}

/*
 * Counts parts the way reply_compose() splits them, with no cap.  Should
 * memory run out, falls back to plain arithmetic, which ignores word
 * boundaries and may count one part too few.
 */
size_t
reply_count_parts(const char *utf8, enum reply_coding *coding)
{
	struct cps		 t;
	enum reply_coding	 cd;
	size_t			 n, single, multi;

	cd = reply_is_gsm7(utf8) ? REPLY_GSM7 : REPLY_UCS2;
	if (coding != NULL)
		*coding = cd;
	if (cps_decode(&t, utf8) == -1) {
		limits(cd, &single, &multi);
		n = cd == REPLY_GSM7 ? reply_septets(utf8) :
		    reply_ucs2_units(utf8);
		return n <= single ? (n > 0) : (n + multi - 1) / multi;
	}
	n = split(t.cp, t.n, cd, NULL, SIZE_MAX - 1);
	free(t.cp);
	return n;
}

char *
reply_join(const struct reply *r)
{
	size_t	 i, len, total = 0;
	char	*s;

	for (i = 0; i < r->nparts; i++)
		total += strlen(r->part[i]);
	if ((s = malloc(total + 1)) == NULL) {
		log_warn("cannot join reply");
		return NULL;
	}
	for (i = 0, total = 0; i < r->nparts; i++) {
		len = strlen(r->part[i]);
		memcpy(s + total, r->part[i], len);
		total += len;
	}
	s[total] = '\0';
	return s;
}

void
reply_release(struct reply *r)
{
	size_t	i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nparts && i < REPLY_MAX_PARTS; i++)
		free(r->part[i]);
	memset(r, 0, sizeof(*r));
}

const char *
reply_coding_name(enum reply_coding coding)
{
	switch (coding) {
	case REPLY_GSM7:
		return "GSM-7";
	case REPLY_UCS2:
		return "UCS-2";
	}
	return "unknown";
}
