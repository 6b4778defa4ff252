/*
 * lint.c - "habar lint": everything the gateway depends on in a content
 * set, in words editors act on: the loader's errors and warnings, stale
 * "verified:" dates, replies longer than reply.max_parts, phone numbers
 * to check, the review state, the SMS cost table and the classifier's
 * cross-validation (eval.c); as text or JSON.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "answer.h"
#include "conf.h"
#include "content.h"
#include "editfile.h"
#include "eval.h"
#include "lint.h"
#include "lists.h"
#include "reply.h"
#include "route.h"
#include "stats.h"
#include "utf8.h"

#define LINT_WIDTH	80	/* columns of the cost table */
#define LINT_MAX_NUMS	32	/* phone numbers listed per topic */
#define LINT_NUM_LEN	32	/* bytes of one as written */

struct lint_diag {
	char			*file;
	int			 line;
	enum editfile_severity	 sev;
	char			*msg;
	size_t			 seq;	/* keeps the sort stable */
};

struct lint_cost {
	size_t			 parts;		/* 0: no text */
	enum reply_coding	 coding;
	size_t			 units;		/* septets or UTF-16 units */
	size_t			 latin_parts;
	size_t			 latin_units;
};

struct lint_topic {
	const struct topic	*t;
	long			 age;		/* days since verified, or -1 */
	struct lint_cost	 cost[CONTENT_MAX_LANGS];
	char			 num[LINT_MAX_NUMS][LINT_NUM_LEN];
	size_t			 nnum;
};

struct lint {
	struct lint_diag	*d;
	size_t			 nd;
	int			 errors;
	int			 warnings;
	int			 oom;
	size_t			 max_parts;
	int			 max_age;
	bool			 latin;
	long			 today;		/* days since 1970-01-01 */
	struct lint_topic	*topics;
	size_t			 ntopics;
};

static void
lint_collect(void *arg, enum editfile_severity sev, const char *file,
    int line, const char *msg)
{
	struct lint		*li = arg;
	struct lint_diag	*nd;

	if (sev == EDITFILE_ERROR)
		li->errors++;
	else
		li->warnings++;
	if ((nd = reallocarray(li->d, li->nd + 1, sizeof(*nd))) == NULL) {
		li->oom = 1;
		return;
	}
	li->d = nd;
	nd = &li->d[li->nd];
	nd->file = strdup(file);
	nd->msg = strdup(msg);
	nd->line = line;
	nd->sev = sev;
	nd->seq = li->nd;
	if (nd->file == NULL || nd->msg == NULL) {
		free(nd->file);
		free(nd->msg);
		li->oom = 1;
		return;
	}
	li->nd++;
}

static void	 lint_report(struct lint *, enum editfile_severity,
		    const char *, int, const char *, ...)
		    __attribute__((format(printf, 5, 6)));

static void
lint_report(struct lint *li, enum editfile_severity sev, const char *file,
    int line, const char *fmt, ...)
{
	char	 msg[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	lint_collect(li, sev, file, line, msg);
}

/* By file, then line; in the order found within one line. */
static int
lint_cmp(const void *a, const void *b)
{
	const struct lint_diag	*x = a, *y = b;
	int			 r;

	if ((r = strcmp(x->file, y->file)) != 0)
		return r;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
lint_fresh(struct lint *li, struct lint_topic *lt)
{
	const struct topic	*t = lt->t;
	long			 verified;

	lt->age = -1;
	if (t->verified == NULL || (verified = lists_days(t->verified)) < 0)
		return;		/* content_lint() reported it */
	lt->age = li->today - verified;
	if (lt->age < 0)
		lint_report(li, EDITFILE_WARNING, t->file, t->verified_line,
		    "\"verified: %s\" is in the future: write the day the "
		    "facts were last checked", t->verified);
	else if (lt->age > li->max_age)
		lint_report(li, EDITFILE_WARNING, t->file, t->verified_line,
		    "facts last checked %ld days ago (verified: %s), more "
		    "than content.max_age (%d days): check them and every "
		    "phone number again, then update the date", lt->age,
		    t->verified, li->max_age);
}

static size_t
lint_units(const struct reply *r)
{
	size_t	 i, n = 0;

	for (i = 0; i < r->nparts; i++)
		n += r->coding == REPLY_UCS2 ? reply_ucs2_units(r->part[i]) :
		    reply_septets(r->part[i]);
	return n;
}

/*
 * Parts text takes when sent whole, cut at words as the gateway cuts;
 * REPLY_MAX_PARTS + 1 when even the hard cap does not hold it.
 */
static int
lint_parts(const char *text, size_t *parts, enum reply_coding *coding,
    size_t *units)
{
	struct reply	 r;

	if (reply_compose(&r, text, REPLY_MAX_PARTS, NULL) == -1)
		return -1;
	*parts = r.cut ? REPLY_MAX_PARTS + 1 : r.nparts;
	*coding = r.coding;
	*units = lint_units(&r);
	reply_release(&r);
	return 0;
}

static void
lint_cost(struct lint *li, const struct content *c, struct lint_topic *lt,
    int l)
{
	const struct topic	*t = lt->t;
	const struct topic_text	*tt = &t->text[l];
	struct lint_cost	*k = &lt->cost[l];
	enum reply_coding	 lc;
	char			*s;
	int			 line;

	if (!tt->present || tt->text == NULL)
		return;
	if ((s = answer_text(c, t, l, false)) == NULL ||
	    lint_parts(s, &k->parts, &k->coding, &k->units) == -1) {
		free(s);
		li->oom = 1;
		return;
	}
	free(s);
	if ((s = answer_text(c, t, l, true)) == NULL ||
	    lint_parts(s, &k->latin_parts, &lc, &k->latin_units) == -1) {
		free(s);
		li->oom = 1;
		return;
	}
	free(s);
	if (strcmp(t->id, CONTENT_MORE) == 0)
		return;		/* a hint inside other replies */
	if (k->parts > li->max_parts)
		lint_report(li, EDITFILE_WARNING, t->file, tt->text_line,
		    "the [%s] reply needs %s%zu SMS parts (%s, %zu %s), more "
		    "than reply.max_parts (%zu): it goes out in pages, and "
		    "senders pay for a MORE to read on; shorten the text",
		    c->langs[l],
		    k->parts > REPLY_MAX_PARTS ? "more than " : "",
		    k->parts > REPLY_MAX_PARTS ? (size_t)REPLY_MAX_PARTS :
		    k->parts, reply_coding_name(k->coding), k->units,
		    k->coding == REPLY_UCS2 ? "characters" : "septets",
		    li->max_parts);
	line = tt->text_latin != NULL ? tt->text_latin_line : tt->text_line;
	if (tt->text_latin != NULL && !reply_is_gsm7(tt->text_latin))
		lint_report(li, EDITFILE_WARNING, t->file, line,
		    "\"text.latin:\" in [%s] has characters an SMS in Latin "
		    "cannot carry, which the gateway replaces when it sends: "
		    "write plain Latin letters", c->langs[l]);
	if (li->latin && k->latin_parts > li->max_parts)
		lint_report(li, EDITFILE_WARNING, t->file, line,
		    "the Latin form of the [%s] reply needs %s%zu SMS parts "
		    "(%zu septets), more than reply.max_parts (%zu): Latin "
		    "writers get it in pages%s", c->langs[l],
		    k->latin_parts > REPLY_MAX_PARTS ? "more than " : "",
		    k->latin_parts > REPLY_MAX_PARTS ?
		    (size_t)REPLY_MAX_PARTS : k->latin_parts, k->latin_units,
		    li->max_parts, tt->text_latin != NULL ? "" : "; add a "
		    "shorter \"text.latin:\"");
}

static int
lint_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

/*
 * The phone-number-like run at s, if any: an optional '+', then digit
 * groups joined by at most two of " -()" (as in "+7 (727) 123-45-67").
 * Copies it as written into out and returns its length in s, or 0 when
 * s does not start one.  Runs of fewer than 3 digits (30 days) and lone
 * years (2026) are not numbers.
 */
static size_t
lint_number(const char *s, char *out, size_t outsz)
{
	const char	*p = s, *q;
	size_t		 digits = 0, n;

	if (*p == '+')
		p++;
	if (!lint_digit((unsigned char)*p))
		return 0;
	for (;;) {
		while (lint_digit((unsigned char)*p)) {
			p++;
			digits++;
		}
		for (q = p; q - p < 2 && *q != '\0' && strchr(" -()", *q) !=
		    NULL; q++)
			;
		if (q == p || !lint_digit((unsigned char)*q))
			break;
		p = q;
	}
	n = p - s;
	out[0] = '\0';
	if (digits < 3 || (digits == 4 && n == 4 &&
	    (strncmp(s, "19", 2) == 0 || strncmp(s, "20", 2) == 0)))
		return n;	/* skipped whole: no number */
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, s, n);
	out[n] = '\0';
	return p - s;
}

/* Digits (and a leading '+') of a number, for comparing. */
static void
lint_digits(char *dst, size_t dstsz, const char *num)
{
	size_t	 n = 0;

	for (; *num != '\0' && n + 1 < dstsz; num++)
		if (lint_digit((unsigned char)*num) || (*num == '+' && n == 0))
			dst[n++] = *num;
	dst[n] = '\0';
}

/* Every number in text, as digits, into nums; returns how many. */
static size_t
lint_scan(const char *text, char nums[][LINT_NUM_LEN], size_t max,
    char shown[][LINT_NUM_LEN])
{
	const char	*s = text;
	char		 num[LINT_NUM_LEN], d[LINT_NUM_LEN];
	size_t		 n = 0, len, i;

	while (*s != '\0') {
		if (s > text && (lint_digit((unsigned char)s[-1]) ||
		    (s[-1] >= 'a' && s[-1] <= 'z') ||
		    (s[-1] >= 'A' && s[-1] <= 'Z'))) {
			s++;
			continue;
		}
		num[0] = '\0';
		if ((len = lint_number(s, num, sizeof(num))) == 0) {
			s++;
			continue;
		}
		s += len;
		if (num[0] == '\0')
			continue;
		lint_digits(d, sizeof(d), num);
		for (i = 0; i < n; i++)
			if (strcmp(nums[i], d) == 0)
				break;
		if (i < n || n == max)
			continue;
		memcpy(nums[n], d, sizeof(d));
		if (shown != NULL)
			memcpy(shown[n], num, sizeof(num));
		n++;
	}
	return n;
}

/* True if the number (digits) is among the n of set. */
static int
lint_has(char set[][LINT_NUM_LEN], size_t n, const char *num)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(set[i], num) == 0)
			return 1;
	return 0;
}

/*
 * The numbers of every language's text, listed once for review; a
 * number one language gives and another lacks is a likely slip in a
 * translation.
 */
static void
lint_numbers(struct lint *li, const struct content *c, struct lint_topic *lt)
{
	const struct topic	*t = lt->t;
	char			 all[LINT_MAX_NUMS][LINT_NUM_LEN];
	char			 in[CONTENT_MAX_LANGS][LINT_MAX_NUMS]
				    [LINT_NUM_LEN];
	char			 shown[LINT_MAX_NUMS][LINT_NUM_LEN];
	size_t			 nin[CONTENT_MAX_LANGS], from[LINT_MAX_NUMS];
	size_t			 l, i;

	for (l = 0; l < c->nlangs; l++) {
		nin[l] = 0;
		if (t->text[l].text == NULL)
			continue;
		nin[l] = lint_scan(t->text[l].text, in[l], LINT_MAX_NUMS,
		    shown);
		for (i = 0; i < nin[l]; i++) {
			if (lint_has(all, lt->nnum, in[l][i]) ||
			    lt->nnum == LINT_MAX_NUMS)
				continue;
			memcpy(all[lt->nnum], in[l][i], LINT_NUM_LEN);
			memcpy(lt->num[lt->nnum], shown[i], LINT_NUM_LEN);
			from[lt->nnum++] = l;
		}
	}
	for (l = 0; l < c->nlangs; l++) {
		if (t->text[l].text == NULL)
			continue;
		for (i = 0; i < lt->nnum; i++)
			if (!lint_has(in[l], nin[l], all[i]))
				lint_report(li, EDITFILE_WARNING, t->file,
				    t->text[l].text_line, "the [%s] text "
				    "lacks the number %s that the [%s] text "
				    "gives: check the translation",
				    c->langs[l], lt->num[i],
				    c->langs[from[i]]);
	}
}

/* An example, folded, and where it is: for lint_examples(). */
struct lint_example {
	char			*fold;
	size_t			 t, l;		/* topic and language */
	const struct keyword	*kw;
};

/* By folded text, then as the content lists them. */
static int
lint_example_cmp(const void *a, const void *b)
{
	const struct lint_example *x = a, *y = b;
	int			 r;

	if ((r = strcmp(x->fold, y->fold)) != 0)
		return r;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->l != y->l)
		return x->l < y->l ? -1 : 1;
	return x->kw->line < y->kw->line ? -1 : x->kw->line > y->kw->line;
}

/* Is one of topics a and b the other's sub-topic? */
static int
lint_kin(const struct topic *a, const struct topic *b)
{
	return (a->parent != NULL && strcmp(a->parent, b->id) == 0) ||
	    (b->parent != NULL && strcmp(b->parent, a->id) == 0);
}

/*
 * One example under two topics, as the classifier reads it
 * (route_learn_text(): case, punctuation and Kazakh letters or their
 * look-alikes aside, not Cyrillic against Latin): it teaches both, so a
 * message like it cannot tell them apart.  Not between a topic and its
 * sub-topic, whose replies overlap by design, nor twice in one topic (it
 * weighs double there; the shipped content repeats what people write
 * most).  Said at the later one, naming the first.
 */
static void
lint_examples(struct lint *li, const struct content *c)
{
	const struct topic_text	*tt;
	const struct lint_example *a, *b;
	struct lint_example	*ex;
	char			 fold[ROUTE_LEARN_TEXT];
	char			 qa[EDITFILE_QUOTE_MAX + 8];
	char			 qb[EDITFILE_QUOTE_MAX + 8];
	size_t			 n = 0, t, l, k, i, run;

	for (t = 0; t < c->ntopics; t++)
		for (l = 0; l < c->nlangs; l++)
			n += c->topics[t].text[l].nexamples;
	if (n < 2)
		return;
	if ((ex = calloc(n, sizeof(*ex))) == NULL) {
		li->oom = 1;
		return;
	}
	n = 0;
	for (t = 0; t < c->ntopics; t++)
		for (l = 0; l < c->nlangs; l++) {
			tt = &c->topics[t].text[l];
			for (k = 0; k < tt->nexamples; k++) {
				route_learn_text(fold, sizeof(fold),
				    tt->examples[k].text);
				if ((ex[n].fold = strdup(fold)) == NULL) {
					li->oom = 1;
					goto done;
				}
				ex[n].t = t;
				ex[n].l = l;
				ex[n].kw = &tt->examples[k];
				n++;
			}
		}
	qsort(ex, n, sizeof(*ex), lint_example_cmp);
	for (run = 0, i = 1; i < n; i++) {
		b = &ex[i];
		if (strcmp(ex[run].fold, b->fold) != 0) {
			run = i;	/* another text begins */
			continue;
		}
		/* the first before b of another topic, not its kin */
		for (a = &ex[run]; a < b && (a->t == b->t ||
		    lint_kin(&c->topics[a->t], &c->topics[b->t])); a++)
			;
		if (a == b)
			continue;
		/* quoted short: two long examples would crowd out the line */
		editfile_quote(qa, sizeof(qa), a->kw->text);
		editfile_quote(qb, sizeof(qb), b->kw->text);
		lint_report(li, EDITFILE_WARNING, c->topics[b->t].file,
		    b->kw->line, "example \"%s\" is the same message as "
		    "\"%s\", an example of %s at %s:%d: the classifier "
		    "learns it for both topics, so a message like it cannot "
		    "tell them apart; keep it only under the topic whose "
		    "reply helps", qb, qa, c->topics[a->t].id,
		    c->topics[a->t].file, a->kw->line);
	}
 done:
	for (i = 0; i < n; i++)
		free(ex[i].fold);
	free(ex);
}

static const char *
lint_title(const struct content *c, const struct topic *t, int lang)
{
	size_t	 l;

	if (lang >= 0 && t->text[lang].title != NULL)
		return t->text[lang].title;
	for (l = 0; l < c->nlangs; l++)
		if (t->text[l].title != NULL)
			return t->text[l].title;
	return "";
}

/* Parts as shown: "3", or ">10" past the hard cap. */
static void
lint_nparts(char *buf, size_t sz, size_t n)
{
	if (n > REPLY_MAX_PARTS)
		snprintf(buf, sz, ">%d", REPLY_MAX_PARTS);
	else
		snprintf(buf, sz, "%zu", n);
}

/* "2/1": parts of the text / of its Latin form; '*' over budget. */
static void
lint_cost_cell(char *buf, size_t sz, const struct lint *li,
    const struct lint_cost *k)
{
	char	 a[8], b[8];

	if (k->parts == 0) {
		snprintf(buf, sz, "-");
		return;
	}
	lint_nparts(a, sizeof(a), k->parts);
	lint_nparts(b, sizeof(b), k->latin_parts);
	snprintf(buf, sz, "%s/%s%s", a, b, k->parts > li->max_parts ||
	    (li->latin && k->latin_parts > li->max_parts) ? "*" : "");
}

/*
 * The cost table: one row a topic, one column a language, within
 * LINT_WIDTH columns; titles are padded by characters, not bytes, so
 * Cyrillic lines up.
 */
static void
lint_table(const struct lint *li, const struct content *c, int title_lang)
{
	const struct lint_topic	*lt;
	char			 cell[32];
	size_t			 i, l, idw = 5, titlew = 5, cellw = 6, w;
	int			 avail;

	for (i = 0; i < li->ntopics; i++) {
		lt = &li->topics[i];
		if ((w = strlen(lt->t->id)) > idw)
			idw = w;
		if ((w = utf8_chars(lint_title(c, lt->t, title_lang))) >
		    titlew)
			titlew = w;
	}
	if (idw > 16)
		idw = 16;
	avail = LINT_WIDTH - 1 - (int)(idw + 2) - (int)(c->nlangs *
	    (cellw + 1));
	if ((int)titlew > avail)
		titlew = avail >= 8 ? (size_t)avail : 0;
	printf("\nSMS parts per reply, text/Latin form (reply.max_parts = "
	    "%zu; * over it):\n", li->max_parts);
	stats_pad("topic", idw + 2);
	if (titlew > 0)
		stats_pad("title", titlew + 2);
	for (l = 0; l < c->nlangs; l++) {
		printf("%s", l > 0 ? " " : "");
		stats_pad(c->langs[l], l + 1 < c->nlangs ? cellw : 0);
	}
	printf("\n");
	for (i = 0; i < li->ntopics; i++) {
		lt = &li->topics[i];
		stats_pad(lt->t->id, idw + 2);
		if (titlew > 0)
			stats_pad(lint_title(c, lt->t, title_lang),
			    titlew + 2);
		for (l = 0; l < c->nlangs; l++) {
			lint_cost_cell(cell, sizeof(cell), li, &lt->cost[l]);
			printf("%s", l > 0 ? " " : "");
			stats_pad(cell, l + 1 < c->nlangs ? cellw : 0);
		}
		printf("\n");
	}
}

/* Numbers to call, a topic a line, wrapped within LINT_WIDTH. */
static void
lint_number_list(const struct lint *li)
{
	const struct lint_topic	*lt;
	size_t			 i, j, col;
	int			 any = 0;

	for (i = 0; i < li->ntopics; i++) {
		lt = &li->topics[i];
		if (lt->nnum == 0)
			continue;
		if (!any++)
			printf("\nPhone numbers in the texts: call each one "
			    "before you publish, then\nupdate \"verified:\" "
			    "and \"source:\".\n");
		col = (size_t)printf("%s (verified %s):", lt->t->id,
		    lt->t->verified != NULL ? lt->t->verified : "never");
		for (j = 0; j < lt->nnum; j++) {
			if (col + strlen(lt->num[j]) + 2 > LINT_WIDTH) {
				printf("\n   ");
				col = 3;
			}
			col += (size_t)printf(" %s%s", lt->num[j],
			    j + 1 < lt->nnum ? "," : "");
		}
		printf("\n");
	}
}

/*
 * The sections awaiting a native speaker's review ("review: pending"),
 * a language a line: information for the editor, neither an error nor
 * a warning.  content/README.md says how to get them reviewed.
 */
static void
lint_review(const struct content *c)
{
	size_t	 l, i, col, n;
	int	 any = 0;

	for (l = 0; l < c->nlangs; l++) {
		for (i = n = 0; i < c->ntopics; i++)
			n += c->topics[i].text[l].review ==
			    CONTENT_REVIEW_PENDING;
		if (n == 0)
			continue;
		if (!any++)
			printf("\n\"review: pending\": awaiting a native "
			    "speaker's review (content/README.md):\n");
		col = (size_t)printf("[%s] %zu:", c->langs[l], n);
		for (i = 0; i < c->ntopics; i++) {
			if (c->topics[i].text[l].review !=
			    CONTENT_REVIEW_PENDING)
				continue;
			if (col + strlen(c->topics[i].id) + 2 > LINT_WIDTH) {
				printf("\n   ");
				col = 3;
			}
			col += (size_t)printf(" %s%s", c->topics[i].id,
			    --n > 0 ? "," : "");
		}
		printf("\n");
	}
}

static void
json_str(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			printf("\\%c", ch);
		else if (ch == '\n')
			printf("\\n");
		else if (ch < 0x20)
			printf("\\u%04x", ch);
		else
			putchar(ch);
	}
	putchar('"');
}

static void
lint_json(const struct lint *li, const struct content *c, const char *dir)
{
	const struct lint_topic	*lt;
	const struct lint_cost	*k;
	size_t			 i, l, np;

	printf("{\"dir\": ");
	json_str(dir);
	printf(", \"version\": ");
	if (c != NULL)
		json_str(c->version);
	else
		printf("null");
	printf(", \"languages\": [");
	for (l = 0; c != NULL && l < c->nlangs; l++) {
		printf("%s", l > 0 ? ", " : "");
		json_str(c->langs[l]);
	}
	printf("], \"max_parts\": %zu, \"max_age\": %d, \"errors\": %d, "
	    "\"warnings\": %d,\n \"diagnostics\": [", li->max_parts,
	    li->max_age, li->errors, li->warnings);
	for (i = 0; i < li->nd; i++) {
		printf("%s\n  {\"file\": ", i > 0 ? "," : "");
		json_str(li->d[i].file);
		printf(", \"line\": %d, \"severity\": \"%s\", \"message\": ",
		    li->d[i].line, li->d[i].sev == EDITFILE_ERROR ? "error" :
		    "warning");
		json_str(li->d[i].msg);
		printf("}");
	}
	printf("],\n \"topics\": [");
	for (i = 0; i < li->ntopics; i++) {
		lt = &li->topics[i];
		printf("%s\n  {\"id\": ", i > 0 ? "," : "");
		json_str(lt->t->id);
		printf(", \"file\": ");
		json_str(lt->t->file);
		printf(", \"menu\": %d, \"verified\": ", lt->t->menu);
		if (lt->t->verified != NULL)
			json_str(lt->t->verified);
		else
			printf("null");
		if (lt->age >= 0)
			printf(", \"age_days\": %ld", lt->age);
		else
			printf(", \"age_days\": null");
		printf(", \"cost\": {");
		for (l = 0; l < c->nlangs; l++) {
			k = &lt->cost[l];
			printf("%s", l > 0 ? ", " : "");
			json_str(c->langs[l]);
			if (k->parts == 0) {
				printf(": null");
				continue;
			}
			printf(": {\"parts\": %zu, \"coding\": \"%s\", "
			    "\"units\": %zu, \"latin_parts\": %zu, "
			    "\"latin_units\": %zu}", k->parts,
			    reply_coding_name(k->coding), k->units,
			    k->latin_parts, k->latin_units);
		}
		printf("}, \"review_pending\": [");
		for (l = 0, np = 0; l < c->nlangs; l++) {
			if (lt->t->text[l].review != CONTENT_REVIEW_PENDING)
				continue;
			printf("%s", np++ > 0 ? ", " : "");
			json_str(c->langs[l]);
		}
		printf("], \"numbers\": [");
		for (l = 0; l < lt->nnum; l++) {
			printf("%s", l > 0 ? ", " : "");
			json_str(lt->num[l]);
		}
		printf("]}");
	}
	printf("]}\n");
}

static void
lint_text(const struct lint *li, const struct content *c, int title_lang)
{
	size_t	 i;

	for (i = 0; i < li->nd; i++)
		if (li->d[i].line > 0)
			printf("%s:%d: %s: %s\n", li->d[i].file,
			    li->d[i].line, li->d[i].sev == EDITFILE_ERROR ?
			    "error" : "warning", li->d[i].msg);
		else
			printf("%s: %s: %s\n", li->d[i].file,
			    li->d[i].sev == EDITFILE_ERROR ? "error" :
			    "warning", li->d[i].msg);
	if (c != NULL && li->ntopics > 0) {
		lint_table(li, c, title_lang);
		lint_number_list(li);
		lint_review(c);
		printf("\n");
	}
	if (c == NULL)
		printf("no content checked: %d error(s)\n", li->errors);
	else
		printf("%zu topics in %zu languages, version %s: %d "
		    "error(s), %d warning(s)%s\n", c->ntopics, c->nlangs,
		    c->version, li->errors, li->warnings, li->errors > 0 ?
		    "; the gateway will not load this content" : "");
}

static void
lint_free(struct lint *li)
{
	size_t	 i;

	for (i = 0; i < li->nd; i++) {
		free(li->d[i].file);
		free(li->d[i].msg);
	}
	free(li->d);
	free(li->topics);
}

/* Today, or --today=YYYY-MM-DD for reproducible output, in days. */
static int
lint_today(struct lint *li, const char *arg)
{
	time_t		 now;
	struct tm	 tm;
	char		 buf[16];

	if (arg == NULL) {
		now = time(NULL);
		if (gmtime_r(&now, &tm) == NULL)
			return -1;
		strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
		arg = buf;
	}
	if ((li->today = lists_days(arg)) < 0)
		return -1;
	return 0;
}

#define LINT_FOLDS	5	/* cross-validation of the examples */

int
lint_main(const char *conf_file, void (*readable)(const char *), int argc,
    char *argv[])
{
	static const char *const default_langs[] = { "kk", "ru" };
	const char *const *langs = default_langs, *const *lists = NULL;
	struct lint	 li;
	struct conf	*conf = NULL, defaults;
	const struct conf *set = &defaults;
	struct content	*c;
	struct route	*r = NULL;
	struct route_opts opts;
	const char	*dir = NULL, *today = NULL;
	size_t		 nlangs = 2, nlists = 0, i, l;
	int		 json = 0, nerr = 0, title_lang, rv;

	for (i = 1; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "--format=json") == 0)
			json = 1;
		else if (strcmp(argv[i], "--format=text") == 0)
			json = 0;
		else if (strncmp(argv[i], "--today=", 8) == 0)
			today = argv[i] + 8;
		else if (argv[i][0] == '-' || dir != NULL)
			return -1;
		else
			dir = argv[i];
	}
	memset(&li, 0, sizeof(li));
	if (lint_today(&li, today) == -1) {
		fprintf(stderr, "habar: bad --today date: write "
		    "YYYY-MM-DD\n");
		return 2;
	}
	/* The settings read, or conf.c's defaults for a bare folder. */
	conf_defaults(&defaults);
	if (dir == NULL || access(conf_file, R_OK) == 0) {
		readable(conf_file);
		if ((conf = conf_load(conf_file)) == NULL)
			return 2;
		set = conf;
		langs = (const char *const *)conf->langs;
		nlangs = conf->nlangs;
		if (dir == NULL)
			dir = conf->content_dir;
		lists = (const char *const *)conf->content.extra_lists;
		nlists = conf->content.nextra_lists;
	}
	li.max_parts = (size_t)set->reply.max_parts;
	li.max_age = set->content.max_age;
	li.latin = set->reply.latin_for_latin_senders;
	c = content_lint(dir, langs, nlangs, lists, nlists, lint_collect, &li,
	    &nerr);
	title_lang = -1;
	if (c != NULL) {
		lists_lint(c->lists, li.today, lint_collect, &li);
		title_lang = conf != NULL ?
		    content_lang(c, conf->default_lang) : 0;
		memset(&opts, 0, sizeof(opts));
		opts.default_lang = title_lang >= 0 ? title_lang : 0;
		opts.first_words = set->route.first_words;
		/* Its "unknown" missing is reported already. */
		if (content_topic(c, CONTENT_UNKNOWN) != NULL)
			r = route_new(c, &opts, lint_collect, &li);
		if ((li.topics = calloc(c->ntopics + 1,
		    sizeof(*li.topics))) == NULL)
			li.oom = 1;
		for (i = 0; li.topics != NULL && i < c->ntopics; i++) {
			li.topics[i].t = &c->topics[i];
			lint_fresh(&li, &li.topics[i]);
			for (l = 0; l < c->nlangs; l++)
				lint_cost(&li, c, &li.topics[i], (int)l);
			lint_numbers(&li, c, &li.topics[i]);
			li.ntopics++;
		}
		lint_examples(&li, c);
	}
	if (li.oom) {
		fprintf(stderr, "habar: out of memory\n");
		route_free(r);
		content_free(c);
		lint_free(&li);
		conf_free(conf);
		return 2;
	}
	if (li.nd > 0)
		qsort(li.d, li.nd, sizeof(*li.d), lint_cmp);
	if (json)
		lint_json(&li, c, dir);
	else
		lint_text(&li, c, title_lang);
	/* How well the examples teach: only for a set that learns. */
	if (!json && r != NULL && route_learner(r) != NULL &&
	    eval_crossval(c, LINT_FOLDS, stdout) == -1)
		li.errors++;
	rv = li.errors > 0 || c == NULL ? 1 : 0;
	route_free(r);
	content_free(c);
	lint_free(&li);
	conf_free(conf);
	return rv;
}

