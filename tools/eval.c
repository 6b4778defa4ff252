/*
 * eval.c - score the router on a query set (habar eval) and the
 * classifier on the content's own examples by cross-validation (habar
 * lint).  Only topic ids and counts are printed for a set's failures;
 * "habar route --tsv" and tests/corpus.awk show the queries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"
#include "eval.h"
#include "learn.h"
#include "route.h"
#include "text.h"

#define EVAL_WORST	10	/* confused pairs shown */
#define EVAL_MAX_LANGS	(CONTENT_MAX_LANGS + 1)	/* and "*" */

/* One row of counts. */
struct eval_row {
	char	 lang[8];
	int	 n, right, asked, wrong, missed, langn, langok;
};

/* A confused pair: wanted a, got b (or was asked between a and b). */
struct eval_pair {
	int	 a, b;
	int	 n;
};

struct eval_pairs {
	struct eval_pair *p;
	size_t	 n, cap;
};

static int
eval_pair_add(struct eval_pairs *ps, int a, int b)
{
	struct eval_pair *np;
	size_t	 i;

	for (i = 0; i < ps->n; i++)
		if (ps->p[i].a == a && ps->p[i].b == b) {
			ps->p[i].n++;
			return 0;
		}
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 64;
		if ((np = reallocarray(ps->p, ps->cap, sizeof(*np))) == NULL)
			return -1;
		ps->p = np;
	}
	ps->p[ps->n].a = a;
	ps->p[ps->n].b = b;
	ps->p[ps->n++].n = 1;
	return 0;
}

static int
eval_pair_cmp(const void *x, const void *y)
{
	const struct eval_pair *a = x, *b = y;

	if (a->n != b->n)
		return b->n - a->n;
	if (a->a != b->a)
		return a->a - b->a;
	return a->b - b->b;
}

/* The worst pairs of ps, most frequent first. */
static void
eval_pairs_print(const struct content *c, struct eval_pairs *ps,
    const char *title, FILE *out)
{
	size_t	 i;

	qsort(ps->p, ps->n, sizeof(*ps->p), eval_pair_cmp);
	fprintf(out, "%s\n", title);
	if (ps->n == 0)
		fprintf(out, "  none\n");
	for (i = 0; i < ps->n && i < EVAL_WORST; i++)
		fprintf(out, "  %4d  %-16s -> %s\n", ps->p[i].n,
		    c->topics[ps->p[i].a].id, ps->p[i].b < 0 ? "(asked)" :
		    c->topics[ps->p[i].b].id);
}

static int
eval_topic_index(const struct content *c, const char *id, size_t len)
{
	size_t	 i;

	for (i = 0; i < c->ntopics; i++)
		if (strlen(c->topics[i].id) == len &&
		    memcmp(c->topics[i].id, id, len) == 0)
			return (int)i;
	return -1;
}

static struct eval_row *
eval_row_for(struct eval_row *rows, int *nrows, const char *lang)
{
	int	 i;

	for (i = 0; i < *nrows; i++)
		if (strcmp(rows[i].lang, lang) == 0)
			return &rows[i];
	if (*nrows >= EVAL_MAX_LANGS)
		return &rows[*nrows - 1];
	snprintf(rows[*nrows].lang, sizeof(rows[*nrows].lang), "%s", lang);
	return &rows[(*nrows)++];
}

static void
eval_row_print(const struct eval_row *r, FILE *out)
{
	if (r->n == 0)
		return;
	fprintf(out, "%-6s %5d  %5.1f%% right  %4.1f%% asked back  "
	    "%4.1f%% wrong  %4.1f%% unknown", r->lang, r->n,
	    100.0 * r->right / r->n, 100.0 * r->asked / r->n,
	    100.0 * r->wrong / r->n, 100.0 * r->missed / r->n);
	if (r->langn > 0)
		fprintf(out, "  language %5.1f%%", 100.0 * r->langok /
		    r->langn);
	fprintf(out, "\n");
}

int
eval_file(const struct content *c, const struct route *r, FILE *in,
    FILE *out)
{
	struct eval_row	 rows[EVAL_MAX_LANGS + 1], all;
	struct eval_pairs wrong = { NULL, 0, 0 }, asked = { NULL, 0, 0 };
	struct route_result res;
	struct eval_row	*row;
	char		*line = NULL, *q, *acc, *lang, *p, *e;
	size_t		 cap = 0, lineno = 0;
	ssize_t		 len;
	int		 nrows = 0, ok, want, got, i, rv = 0, nbad = 0;

	memset(rows, 0, sizeof(rows));
	memset(&all, 0, sizeof(all));
	snprintf(all.lang, sizeof(all.lang), "all");
	while ((len = getline(&line, &cap, in)) != -1) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		q = line;
		if ((acc = strchr(q, '\t')) == NULL ||
		    (lang = strchr(acc + 1, '\t')) == NULL) {
			fprintf(stderr, "habar: line %zu: expected \"query"
			    "<TAB>topics<TAB>language\"\n", lineno);
			rv = 1;
			continue;
		}
		*acc++ = '\0';
		*lang++ = '\0';
		if ((p = strchr(lang, '\t')) != NULL)
			*p = '\0';
		route_query(r, q, -1, &res);
		got = (int)(res.topic - c->topics);
		ok = 0;
		want = -1;
		for (p = acc; *p != '\0'; p = *e == ',' ? e + 1 : e) {
			e = p + strcspn(p, ",");
			i = eval_topic_index(c, p, (size_t)(e - p));
			if (i < 0) {
				if (nbad++ == 0)
					fprintf(stderr, "habar: line %zu: no "
					    "topic \"%.*s\" in the content\n",
					    lineno, (int)(e - p), p);
				continue;
			}
			if (want < 0)
				want = i;
			if (i == got)
				ok = 1;
		}
		row = eval_row_for(rows, &nrows, lang);
		for (i = 0; i < 2; i++, row = &all) {
			row->n++;
			if (ok)
				row->right++;
			else if (res.match == ROUTE_UNSURE)
				row->asked++;
			else if (strcmp(res.topic->id, CONTENT_UNKNOWN) == 0)
				row->missed++;
			else
				row->wrong++;
			if (strcmp(lang, "*") != 0) {
				row->langn++;
				row->langok += strcmp(c->langs[res.lang],
				    lang) == 0;
			}
		}
		if (ok || want < 0)
			continue;
		if (res.match == ROUTE_UNSURE) {
			if (eval_pair_add(&asked, want, res.choice[0] ==
			    &c->topics[want] && res.nchoice > 1 ?
			    (int)(res.choice[1] - c->topics) :
			    (int)(res.choice[0] - c->topics)) == -1)
				rv = -1;
		} else if (strcmp(res.topic->id, CONTENT_UNKNOWN) != 0 &&
		    eval_pair_add(&wrong, want, got) == -1)
			rv = -1;
	}
	free(line);
	if (nbad > 0)
		fprintf(stderr, "habar: %d topic id(s) of the set are not in "
		    "the content (the first one named above)\n", nbad);
	for (i = 0; i < nrows; i++)
		eval_row_print(&rows[i], out);
	eval_row_print(&all, out);
	eval_pairs_print(c, &wrong, "wrong topic (wanted -> answered):", out);
	eval_pairs_print(c, &asked, "asked back (wanted -> also offered):",
	    out);
	free(wrong.p);
	free(asked.p);
	return rv;
}

/* A training sample of the cross-validation. */
struct eval_sample {
	char	*text;		/* folded */
	int	 label;
	int	 fold;		/* -1: always trains (a keyword) */
};

/* eval_crossval()'s samples as route_each_sample() gives them. */
struct eval_cv {
	struct eval_sample *s;
	size_t		 n, cap;
	size_t		 nt;		/* examples so far */
	int		 folds;
};

static int
eval_cv_add(void *arg, const char *learnt, int topic, int lang, int keyword)
{
	struct eval_cv	*cv = arg;

	(void)lang;
	if (cv->n == cv->cap || (cv->s[cv->n].text = strdup(learnt)) == NULL)
		return -1;
	cv->s[cv->n].label = topic;
	/* examples dealt round the folds in turn */
	cv->s[cv->n++].fold = keyword ? -1 :
	    (int)(cv->nt++ % (size_t)cv->folds);
	return 0;
}

int
eval_crossval(const struct content *c, int folds, FILE *out)
{
	struct eval_sample *s = NULL;
	struct eval_pairs conf = { NULL, 0, 0 };
	struct eval_cv	 cv = { NULL, 0, 0, 0, folds };
	struct learn	*m;
	const char	**texts = NULL;
	float		*p = NULL;
	int		*labels = NULL, *n = NULL, *ok = NULL, f, best;
	size_t		 total = 0, ns = 0, t, l, i, j, nt = 0;
	char		 why[256];
	int		 rv = -1, made, totaln = 0, totalok = 0;

	for (t = 0; t < c->ntopics; t++)
		for (l = 0; l < c->nlangs; l++)
			total += c->topics[t].text[l].nkeywords +
			    c->topics[t].text[l].nexamples;
	if ((s = calloc(total + 1, sizeof(*s))) == NULL ||
	    (texts = calloc(total + 1, sizeof(*texts))) == NULL ||
	    (labels = calloc(total + 1, sizeof(*labels))) == NULL ||
	    (p = calloc(c->ntopics, sizeof(*p))) == NULL ||
	    (n = calloc(c->ntopics, sizeof(*n))) == NULL ||
	    (ok = calloc(c->ntopics, sizeof(*ok))) == NULL)
		goto done;
	cv.s = s;
	cv.cap = total;
	made = route_each_sample(c, eval_cv_add, &cv);
	ns = cv.n;	/* what was made is freed either way */
	nt = cv.nt;
	if (made == -1)
		goto done;
	for (f = 0; f < folds && nt > 0; f++) {
		for (i = j = 0; i < ns; i++)
			if (s[i].fold != f) {
				texts[j] = s[i].text;
				labels[j++] = s[i].label;
			}
		if ((m = learn_train(texts, labels, j, (int)c->ntopics, NULL,
		    why, sizeof(why))) == NULL) {
			fprintf(out, "cross-validation: cannot learn: %s\n",
			    why);
			goto done;
		}
		for (i = 0; i < ns; i++) {
			if (s[i].fold != f)
				continue;
			learn_predict(m, s[i].text, p);
			for (best = 0, t = 1; t < c->ntopics; t++)
				if (p[t] > p[best])
					best = (int)t;
			n[s[i].label]++;
			if (best == s[i].label)
				ok[s[i].label]++;
			else if (eval_pair_add(&conf, s[i].label, best) == -1) {
				learn_free(m);
				goto done;
			}
		}
		learn_free(m);
	}
	fprintf(out, "\nExamples understood by a model that never saw them "
	    "(%d-fold cross-validation):\n", folds);
	for (t = 0; t < c->ntopics; t++) {
		if (n[t] == 0)
			continue;
		fprintf(out, "  %-16s %5.1f%% of %d\n", c->topics[t].id,
		    100.0 * ok[t] / n[t], n[t]);
		totaln += n[t];
		totalok += ok[t];
	}
	if (totaln > 0)
		fprintf(out, "  %-16s %5.1f%% of %d\n", "all",
		    100.0 * totalok / totaln, totaln);
	else
		fprintf(out, "  no examples: add \"example:\" lines\n");
	eval_pairs_print(c, &conf, "Topics most often confused (examples of "
	    "-> taken for): add examples that tell them apart", out);
	rv = 0;
 done:
	for (i = 0; i < ns; i++)
		free(s[i].text);
	free(s);
	free(texts);
	free(labels);
	free(p);
	free(n);
	free(ok);
	free(conf.p);
	return rv;
}
