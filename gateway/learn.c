/*
 * learn.c - the classifier learned from the content's keywords and
 * examples.
 *
 * Features of a folded text (ASCII words of [a-z0-9], single spaces):
 * every word (counted twice) and the character n-grams of each word
 * framed as "<word>": every 5-gram, and the 4-grams at its two ends
 * ("<pas", "ort>"), digits read as '0' inside n-grams (a phone number's
 * shape, not its digits).  These choices, C
 * and the tolerance were picked by 5-fold cross-validation on the
 * shipped examples (tests/data and the held-out sets never took part);
 * later, on the dev sets, n-grams of 6 were dropped (the same accuracy
 * at a sixth less CPU and memory a reload), and so were pairs of
 * neighbouring words (4,883 examples: 2,263 of 2,359 dev messages right
 * against 2,262 with them, 45 wrong against 44, at 7% less CPU a
 * reload).  In the seventh session, to make room for a third more
 * examples within a reload's time and memory (issue 13: 300 ms, 24 MB),
 * so was a longer word's first 4 letters, which the word's first 5-gram
 * "<abcd" already says (a tenth fewer features a text; on 4,139 dev and
 * 7,659 spent held-out messages, right topics 3,982 and 7,221 against
 * 3,975 and 7,223, wrong 75 and 218 against 72 and 213), and the
 * buckets went from 2^18 to 2^17 (each model's bucket offsets and the
 * solver's weight vectors half as large; with the others, right 3,972
 * and 7,228, wrong 81 and 218).  In the eighth session the 4-grams
 * inside a word went too, its two ends' kept (a word's beginning and
 * ending say most of its stem and its grammar): the samples' features
 * from 617,931 to 439,994 on the content shipped then (2.8 MB less at a
 * reload's peak, liblinear's 16 bytes a feature); on 4,759 dev and
 * 9,059 spent held-out messages right topics 4,563 and 8,600 against
 * 4,561 and 8,594, wrong 103 and 226 against 114 and 225.  5-grams
 * alone had 320,228 features but 4,548 and 8,543 right; 4-grams alone
 * 381,007, 4,543 and 8,591 right, 112 and 235 wrong; every other n-gram
 * of a word 349,861, 4,557 and 8,588 right, 109 and 234 wrong.
 * Each is hashed (FNV-1a, a seed a kind) into 2^LEARN_BITS buckets;
 * the square root of each bucket's count is weighed by how rare the
 * bucket is among the samples (struct learn_idf), then the vector is
 * scaled to length 1.  The square root came in the fourteenth session,
 * so that what a long message repeats weighs less against the rest
 * (tests/data/RULES.md, candidate S: on 19,159 spent messages right
 * topics 18,361 -> 18,405, wrong 352 -> 342; on its judge, the dev26
 * pair, right 600 -> 601 of 620, wrong 10 -> 8; 1 + log and counts
 * capped at 2 were tried beside it on the spent messages).
 * The weighing came in the sixth session: on 4,139 dev messages and the
 * 6,259 of the spent held-out sets it took wrong topics from 85 to 73
 * and 177 to 149 for more questions back (route.c then asked back less).
 * It keeps more weights over the pruning threshold (learn_opts'
 * prune), which route.c raised for the topics (route_tune's prune).
 *
 * Training is one binary L2-regularised logistic regression a class
 * (the class against all others: what liblinear does for many classes,
 * done here one class at a time so that only one weight vector is ever
 * held in doubles), on the buckets the samples use, renumbered 1..F.
 * The solver is liblinear's L2R_LR_DUAL (dual coordinate descent): the
 * same model as its primal L2R_LR, trained in half the time on the
 * shipped content at the same cross-validated accuracy.  The weights
 * are then kept as floats, by bucket (CSR: each bucket's run of class
 * and weight), those under the pruning threshold dropped (learn_opts'
 * prune; LEARN_PRUNE by default).  A class's probability
 * is liblinear's: the logistic of its decision value, all of them
 * scaled to sum to 1.
 *
 * learn_train_all() trains several labellings of one set of samples
 * (route's topics and languages) at once.  With LEARN_FORK_MIN classes
 * or more in all and more than one CPU online, it forks once: the
 * second process trains classes from the last of the last labelling,
 * this one from the first of the first, each taking the next off a
 * counter the two share (an atomic in a shared page), so they end
 * within a class of each other whatever a class costs (on the shipped
 * content a language's took 14 ms and 10 solver iterations, a topic's
 * 11 ms and 6); the second then sends its biases and kept weights back
 * down a pipe (learn_child(), learn_collect()).  Not threads: the dual
 * solver draws its order with rand(), one state a process; each class
 * starts from srand(1), so it gives the same weights in either process
 * and the models are byte for byte one process's (t_learn checks it;
 * "habar route --tsv" routes the 4,655 dev and corpus queries as the
 * old code did).  If the second process fails in any way, this
 * one trains its classes itself, unless it let go of the samples
 * (learn_opts' spend, as route.c trains: then the caller trains
 * again in one process).  Once a reload, not once a labelling:
 * fork() is dear on the 2-core VM, where a page fault costs 11 us; the
 * second process faults in 700 to 850 pages (250 on its first class,
 * liblinear's arrays on pages copied on write, then 35 a class, the
 * class's kept weights; malloc told to keep its memory changed none of
 * it), and this one 400 more while the second lives.  A reload of the
 * shipped content (build/bench/pipeline reload content 5, 12 runs
 * alternated with the old code's, 2026-12-05): one fork a labelling
 * 269 ms wall (median 283) and 436 ms CPU (median 448); one fork in
 * all, the features in huge pages (learn_big()), 220 ms (median 234)
 * and 373 ms CPU (median 395); in one process, 340 to 380 ms.
 *
 * learn_train_apart() does all of that in a process forked for it (the
 * samples made there too, by the caller's function), which sends the
 * idf and each model down a pipe as they lie in memory; the caller
 * checks every count, label, offset, class and weight as it reads them,
 * gives up after learn_opts' wait (the process then killed), and reaps
 * it with wait4() for its peak.  habard learns so (route_opts'
 * learn_apart): with the twelfth session's 14,018 examples its peak is
 * 17 MB at start and 22 MB over five reloads, the learning process's 25
 * and 32 MB; a reload takes about 7% longer than learning in habard.
 * Since the seventeenth session habard does not wait for it: it starts
 * the process (learn_apart_start()) and answers from the live set until
 * the pipe turns readable, then reads the models (learn_apart_finish());
 * learn_train_apart() is the two steps at once.
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <poll.h>
#include <time.h>

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linear.h>

#include "learn.h"

#define LEARN_DIM	(1u << LEARN_BITS)
#define LEARN_MASK	(LEARN_DIM - 1)
#define LEARN_NGRAM_END	4	/* n-grams of 4 characters at a word's ends */
#define LEARN_NGRAM_MAX	5	/* ... and of 5 everywhere */
#define LEARN_MAX_FEAT	2048	/* features of one text, at most */
#define LEARN_TABLE	4096	/* its counting table, a power of 2 */
#define LEARN_WORD_MAX	64	/* letters of a word framed for n-grams */
#define LEARN_STACK_CLS	256	/* decision values kept on the stack */
#define LEARN_C		32.0	/* default inverse regularisation */
#define LEARN_EPS	0.1	/* default stopping tolerance */
#define LEARN_PRUNE	0.05f	/* default: smaller weights dropped */
#define LEARN_BIAS	1.0	/* the constant feature's value */
#define LEARN_FORK_MIN	4	/* classes worth a second process */

/* Seeds of the kinds of feature, so "ab" the word is not "ab" the n-gram. */
#define SEED_WORD	0x811c9dc5u
#define SEED_GRAM	0x2f8e1a6bu

/*
 * How rare each bucket was among the samples a model learned from: its
 * inverse document frequency, idf = ln((n + 1) / (df + 1)) + 1 of n
 * samples, df of them with the bucket; ln(n + 1) + 1 for a bucket none
 * had.  A feature is counted times its bucket's idf before the vector
 * is scaled to length 1, so the n-grams most texts share ("<chto",
 * "<kak>") weigh less than those that tell texts apart.  Kept as a byte a
 * bucket, idf = 1 + step * q[bucket] (128 kB, not 512 kB of floats), and
 * shared by the models learned from the same samples (refs).
 */
struct learn_idf {
	unsigned	 refs;
	float		 step;
	uint8_t		 q[LEARN_DIM];
};

/* The idf of bucket b: what its count is multiplied by. */
static double
learn_idf_at(const struct learn_idf *idf, uint32_t b)
{
	return 1.0 + idf->step * idf->q[b];
}

struct learn {
	int		 nlabels;
	int		 nclasses;
	struct learn_idf *idf;		/* shared; NULL: none */
	int		*label;		/* class -> label */
	float		*bias;		/* class -> bias weight */
	uint32_t	*off;		/* bucket -> first entry; LEARN_DIM+1 */
	uint16_t	*cls;		/* entry -> class */
	float		*w;		/* entry -> weight */
	size_t		 nentries;
};

/*
 * The features of one text: buckets and how often each occurs.  The
 * counting table is cleared once (learn_vec_init()); each text then
 * clears only the slots it used, not the whole table.
 */
struct learn_vec {
	uint32_t	 key[LEARN_MAX_FEAT];	/* bucket */
	float		 val[LEARN_MAX_FEAT];	/* count, then scaled */
	uint16_t	 at[LEARN_MAX_FEAT];	/* its slot */
	size_t		 n;
	uint32_t	 slot[LEARN_TABLE];	/* index + 1 into key; 0: free */
};

static void
learn_vec_init(struct learn_vec *v)
{
	memset(v->slot, 0, sizeof(v->slot));
	v->n = 0;
}

static uint32_t
learn_hash(uint32_t h, const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

/* Count one occurrence of bucket b. */
static void
learn_add(struct learn_vec *v, uint32_t h)
{
	uint32_t	 b = h & LEARN_MASK, i;

	for (i = (b * 2654435761u) & (LEARN_TABLE - 1); v->slot[i] != 0;
	    i = (i + 1) & (LEARN_TABLE - 1))
		if (v->key[v->slot[i] - 1] == b) {
			v->val[v->slot[i] - 1] += 1.0f;
			return;
		}
	if (v->n >= LEARN_MAX_FEAT)
		return;
	v->key[v->n] = b;
	v->val[v->n] = 1.0f;
	v->at[v->n] = (uint16_t)i;
	v->slot[i] = (uint32_t)++v->n;
}

/*
 * The n-grams of "<word>", digits as '0': of LEARN_NGRAM_MAX characters
 * everywhere, of LEARN_NGRAM_END at its two ends.
 */
static void
learn_grams(struct learn_vec *v, const char *w, size_t len)
{
	char	 buf[LEARN_WORD_MAX + 2];
	size_t	 i, n, blen;
	uint32_t h;

	if (len + 2 > sizeof(buf))
		len = sizeof(buf) - 2;
	buf[0] = '<';
	for (i = 0; i < len; i++)
		buf[i + 1] = w[i] >= '0' && w[i] <= '9' ? '0' : w[i];
	buf[len + 1] = '>';
	blen = len + 2;
	for (i = 0; i + LEARN_NGRAM_END <= blen; i++) {
		h = learn_hash(SEED_GRAM, buf + i, 1);
		for (n = 2; n <= LEARN_NGRAM_MAX && i + n <= blen; n++) {
			h = learn_hash(h, buf + i + n - 1, 1);
			if (n == LEARN_NGRAM_MAX || (n == LEARN_NGRAM_END &&
			    (i == 0 || i + n == blen)))
				learn_add(v, h * 0x9e3779b1u ^ (uint32_t)n);
		}
	}
}

/*
 * The features of folded text s into v, each count's square root times
 * its bucket's idf (none when idf is NULL), scaled to length 1.
 */
static void
learn_vectorize(const char *s, struct learn_vec *v,
    const struct learn_idf *idf)
{
	const char	*w;
	size_t		 len, i;
	uint32_t	 h;
	double		 norm = 0;

	for (i = 0; i < v->n; i++)
		v->slot[v->at[i]] = 0;
	v->n = 0;
	while (*s != '\0') {
		w = s;
		while (*s != '\0' && *s != ' ')
			s++;
		len = (size_t)(s - w);
		if (*s == ' ')
			s++;
		if (len == 0)
			continue;
		/*
		 * a word counts twice: it says more than one n-gram (after
		 * the square root below, 1.41 times one n-gram's weight)
		 */
		h = learn_hash(SEED_WORD, w, len);
		learn_add(v, h);
		learn_add(v, h);
		learn_grams(v, w, len);
	}
	/*
	 * Each count's square root (what a long message repeats weighs
	 * less) times its bucket's idf, in one pass with the length.
	 */
	for (i = 0; i < v->n; i++) {
		v->val[i] = sqrtf(v->val[i]);
		if (idf != NULL)
			v->val[i] *= (float)learn_idf_at(idf, v->key[i]);
		norm += (double)v->val[i] * v->val[i];
	}
	if (norm > 0) {
		norm = 1.0 / sqrt(norm);
		for (i = 0; i < v->n; i++)
			v->val[i] = (float)(v->val[i] * norm);
	}
}

static void
learn_quiet(const char *s)
{
	(void)s;
}

/*
 * Sort a text's n nodes by feature, as liblinear reads them: by
 * insertion, a text having a few dozen features, no two the same (qsort()
 * and its calls to compare took a tenth of a reload's instructions).
 */
static void
learn_sort_nodes(struct feature_node *x, size_t n)
{
	struct feature_node t;
	size_t	 i, j;

	for (i = 1; i < n; i++) {
		t = x[i];
		for (j = i; j > 0 && x[j - 1].index > t.index; j--)
			x[j] = x[j - 1];
		x[j] = t;
	}
}

/* size rounded up to whole pages */
static size_t
learn_pages(size_t size)
{
	size_t	 pg = (size_t)sysconf(_SC_PAGESIZE);

	return size == 0 ? pg : (size + pg - 1) / pg * pg;
}

/*
 * Zeroed memory for an array written once and read often (the samples'
 * features: 7 MB of the shipped content), from a 2 MB boundary in huge
 * pages where the kernel gives them (transparent huge pages, "madvise"
 * or "always"): on the 2-core VM a fault costs 11 us, and 4 KB pages
 * took 1,300 to 1,800 of them a reload.  NULL out of memory.  Free with
 * learn_big_free() and the same size.
 */
static void *
learn_big(size_t size)
{
	const size_t	 huge = (size_t)2 << 20;
	size_t		 len = learn_pages(size), head;
	char		*p;

	if ((p = mmap(NULL, len + huge, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)) == MAP_FAILED)
		return NULL;
	head = (huge - (uintptr_t)p % huge) % huge;
	if (head > 0)
		(void)munmap(p, head);
	if (huge - head > 0)
		(void)munmap(p + head + len, huge - head);
	/* only advice: without huge pages, 4 KB ones */
	(void)madvise(p + head, len, MADV_HUGEPAGE);
	return p + head;
}

static void
learn_big_free(void *p, size_t size)
{
	if (p != NULL)
		(void)munmap(p, learn_pages(size));
}

/*
 * The samples as liblinear's problem, whatever their labels: y is
 * filled a class at a time by learn_run_unit().
 */
struct learn_samples {
	struct problem	 prob;
	struct feature_node *nodes;	/* learn_big() */
	size_t		 nodes_size;
	int32_t		*fid;		/* bucket -> feature 1..F, or 0 */
	uint32_t	*bucket;	/* feature -> bucket */
	struct learn_idf *idf;		/* shared with the models */
	int		 spent;		/* features let go (learn_opts' spend) */
};

/* Let go of one holder of idf (NULL is fine). */
static void
learn_idf_drop(struct learn_idf *idf)
{
	if (idf != NULL && --idf->refs == 0)
		free(idf);
}

/*
 * The idf of s, its nodes' counts (scaled) weighed by it and scaled to
 * length 1 again; nf features.  How many samples have each feature is
 * counted in s->fid, no longer needed by then.  Returns 0, or -1 out
 * of memory.
 */
static int
learn_weigh(struct learn_samples *s, size_t nf)
{
	struct learn_idf *idf;
	struct feature_node *x;
	uint32_t	*df = (uint32_t *)s->fid;
	size_t		 n = (size_t)s->prob.l, i, f;
	double		 top = log((double)n + 1), norm;

	if ((idf = s->idf = malloc(sizeof(*idf))) == NULL)
		return -1;
	idf->refs = 1;
	idf->step = (float)(top / UINT8_MAX);
	memset(idf->q, UINT8_MAX, sizeof(idf->q));	/* in no sample */
	memset(df, 0, nf * sizeof(*df));
	for (i = 0; i < n; i++)
		for (x = s->prob.x[i]; (size_t)x->index <= nf; x++)
			df[x->index - 1]++;
	for (f = 0; f < nf && top > 0; f++)
		idf->q[s->bucket[f]] = (uint8_t)lround(log(((double)n + 1) /
		    ((double)df[f] + 1)) / top * UINT8_MAX);
	for (i = 0; i < n; i++) {
		norm = 0;
		for (x = s->prob.x[i]; (size_t)x->index <= nf; x++) {
			x->value *= learn_idf_at(idf, s->bucket[x->index - 1]);
			norm += x->value * x->value;
		}
		norm = sqrt(norm);	/* once a sample, not once a feature */
		for (x = s->prob.x[i]; norm > 0 && (size_t)x->index <= nf;
		    x++)
			x->value /= norm;
	}
	return 0;
}

void
learn_samples_free(struct learn_samples *s)
{
	if (s == NULL)
		return;
	free(s->prob.x);
	free(s->prob.y);
	learn_big_free(s->nodes, s->nodes_size);
	free(s->fid);
	free(s->bucket);
	learn_idf_drop(s->idf);
	free(s);
}

int
learn_samples_spent(const struct learn_samples *s)
{
	return s->spent;
}

/* Let go of s's features, all training needs of them: s is spent. */
static void
learn_samples_spend(struct learn_samples *s)
{
	learn_big_free(s->nodes, s->nodes_size);
	s->nodes = NULL;
	free(s->prob.x);
	s->prob.x = NULL;
	s->spent = 1;
}

struct learn_samples *
learn_samples(const char *const *texts, size_t n)
{
	struct learn_samples *s;
	struct learn_vec *v;
	uint32_t	*ob;
	size_t		 i, j, total = 0, nf = 0, at = 0;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if ((v = malloc(sizeof(*v))) == NULL ||
	    (s->fid = calloc(LEARN_DIM, sizeof(*s->fid))) == NULL ||
	    (s->prob.x = calloc(n, sizeof(*s->prob.x))) == NULL ||
	    (s->prob.y = calloc(n, sizeof(*s->prob.y))) == NULL ||
	    (s->bucket = calloc(LEARN_DIM, sizeof(*s->bucket))) == NULL)
		goto fail;
	learn_vec_init(v);
	/* first pass: features, room */
	for (i = 0; i < n; i++) {
		learn_vectorize(texts[i], v, NULL);
		for (j = 0; j < v->n; j++)
			if (s->fid[v->key[j]] == 0) {
				s->bucket[nf] = v->key[j];
				s->fid[v->key[j]] = (int32_t)++nf;
			}
		total += v->n + 2;	/* the bias, the end */
	}
	s->nodes_size = total * sizeof(*s->nodes);
	if ((s->nodes = learn_big(s->nodes_size)) == NULL)
		goto fail;
	/* second pass: the counts, weighed once all are in (learn_weigh) */
	for (i = 0; i < n; i++) {
		learn_vectorize(texts[i], v, NULL);
		s->prob.x[i] = &s->nodes[at];
		for (j = 0; j < v->n; j++) {
			s->nodes[at].index = s->fid[v->key[j]];
			s->nodes[at++].value = v->val[j];
		}
		learn_sort_nodes(s->prob.x[i], v->n);
		s->nodes[at].index = (int)nf + 1;
		s->nodes[at++].value = LEARN_BIAS;
		s->nodes[at++].index = -1;
	}
	s->prob.l = (int)n;
	s->prob.n = (int)nf + 1;
	s->prob.bias = LEARN_BIAS;
	if (learn_weigh(s, nf) == -1)
		goto fail;
	/* training needs feature -> bucket only: 2 MB less at its peak */
	free(s->fid);
	s->fid = NULL;
	if (nf > 0 && (ob = reallocarray(s->bucket, nf,
	    sizeof(*s->bucket))) != NULL)
		s->bucket = ob;
	free(v);
	return s;
 fail:
	free(v);
	learn_samples_free(s);
	return NULL;
}

/* A weight kept while training, before it finds its bucket. */
struct learn_entry {
	uint32_t	 bucket;
	float		 w;		/* its class: the span it lies in */
};

/* Where one class's kept weights lie in its labelling's entries. */
struct learn_span {
	size_t		 from, to;
};

/*
 * One labelling's training under way: its samples' classes, the
 * solver's parameters, and what the classes trained so far gave.
 */
struct learn_run {
	int		*cls;		/* sample -> class */
	struct parameter param;
	struct learn	*m;		/* the model: its bias by class */
	struct learn_span *span;	/* class -> its entries in e */
	struct learn_entry *e;		/* the kept weights, class by class */
	float		 prune;		/* smaller weights are not kept */
	size_t		 ne;
	size_t		 keep;		/* ne before the second process's */
};

/*
 * All the labellings of one learn_train_all(): its units of work, a
 * class of a labelling each, numbered labelling by labelling, class by
 * class.  This process trains them from the first, a second one from
 * the last; a counter the two share hands each unit to one of them
 * (learn_claim()).
 */
struct learn_work {
	struct learn_samples *smp;
	struct learn_run *run;
	size_t		 nrun;
	int		 nunits;
	float		*wk;		/* one class's weights, by feature */
	const char	*err;		/* liblinear's refusal, or NULL */
	size_t		 errrun;	/* the labelling that failed */
	atomic_uint	*taken;		/* units handed out; NULL: alone */
	int		 fault;		/* learn_opts' */
};

struct learn *
learn_train(const char *const *texts, const int *labels, size_t n,
    int nlabels, const struct learn_opts *o, char *why, size_t whysz)
{
	struct learn_samples *s;
	struct learn	*m;

	if ((s = learn_samples(texts, n)) == NULL) {
		snprintf(why, whysz, "out of memory");
		return NULL;
	}
	m = learn_train_on(s, labels, nlabels, o, why, whysz);
	learn_samples_free(s);
	return m;
}

struct learn *
learn_train_on(struct learn_samples *smp, const int *labels, int nlabels,
    const struct learn_opts *o, char *why, size_t whysz)
{
	struct learn_job job;
	struct learn	*m;

	job.labels = labels;
	job.nlabels = nlabels;
	job.opts = o;
	if (learn_train_all(smp, &job, 1, &m, why, whysz) != 1)
		return NULL;
	return m;
}

/* Unit u of w: its class, and its labelling in *j. */
static int
learn_unit(const struct learn_work *w, int u, size_t *j)
{
	for (*j = 0; u >= w->run[*j].m->nclasses; (*j)++)
		u -= w->run[*j].m->nclasses;
	return u;
}

/*
 * Train unit u of w, a class against all the others: its bias into its
 * model, its kept weights appended to its labelling's entries.
 * Returns 0, or -1 out of memory or with w->err set (liblinear
 * refusing); w->errrun names the labelling either way.
 */
static int
learn_run_unit(struct learn_work *w, int u)
{
	struct learn_samples *smp = w->smp;
	struct learn_run *r;
	struct model	*lm;
	struct learn_entry *ne;
	size_t		 i, j, kept, nf = (size_t)smp->prob.n - 1;
	double		 c;
	int		 k;

	k = learn_unit(w, u, &j);
	r = &w->run[j];
	w->errrun = j;
	for (i = 0; i < (size_t)smp->prob.l; i++)
		smp->prob.y[i] = r->cls[i] == k ? 1 : -1;
	/* the first sample's label is liblinear's class 0 */
	if ((w->err = check_parameter(&smp->prob, &r->param)) != NULL)
		return -1;
	/*
	 * The dual solver visits the samples in an order drawn with
	 * rand(): seeded, the same files give the same model (nothing
	 * else in habar uses rand()), and a class gives the same weights
	 * in either process.
	 */
	srand(1);
	if ((lm = train(&smp->prob, &r->param)) == NULL)
		return -1;
	c = lm->nr_class == 2 && lm->label[0] == -1 ? -1 : 1;
	/*
	 * This class's weights read once into wk; then room for exactly
	 * those kept: doubling the array left up to half of it unused at
	 * the peak of a reload (6 MB of the shipped content's 13).
	 */
	for (kept = 0, i = 1; i <= nf; i++) {
		w->wk[i - 1] = (float)(c * get_decfun_coef(lm, (int)i, 0));
		if (fabsf(w->wk[i - 1]) >= r->prune)
			kept++;
	}
	r->m->bias[k] = (float)(c * get_decfun_bias(lm, 0));
	free_and_destroy_model(&lm);
	if (kept > 0 && (ne = reallocarray(r->e, r->ne + kept,
	    sizeof(*ne))) == NULL)
		return -1;
	if (kept > 0)
		r->e = ne;
	r->span[k].from = r->ne;
	for (i = 0; i < nf; i++)
		if (fabsf(w->wk[i]) >= r->prune) {
			r->e[r->ne].bucket = smp->bucket[i];
			r->e[r->ne++].w = w->wk[i];
		}
	r->span[k].to = r->ne;
	return 0;
}

/*
 * Whether this process may train one more unit: always alone; with a
 * second process, while the two have not taken all.
 */
static int
learn_claim(struct learn_work *w)
{
	return w->taken == NULL ||
	    atomic_fetch_add(w->taken, 1) < (unsigned)w->nunits;
}

/*
 * Whether nunits units are trained in two processes (learn_opts'
 * jobs).
 */
static int
learn_forks(int nunits, const struct learn_opts *o)
{
	int	 jobs = o != NULL ? o->jobs : 0;

	if (nunits < 2 || jobs == 1)
		return 0;
	return jobs == 2 || (nunits >= LEARN_FORK_MIN &&
	    sysconf(_SC_NPROCESSORS_ONLN) >= 2);
}

/* Write all of buf to fd, through short writes and EINTR: 0 or -1. */
static int
learn_write(int fd, const void *buf, size_t len)
{
	const char	*p = buf;
	ssize_t		 w;

	while (len > 0) {
		if ((w = write(fd, p, len)) == -1 && errno == EINTR)
			continue;
		if (w == -1)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* The monotonic clock, in seconds. */
static double
learn_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Read len bytes of fd into buf, through short reads and EINTR, until
 * the monotonic clock reaches by (seconds; HUGE_VAL: no end): 0, or -1
 * at an error, at the end before len, or then (*late set).
 */
static int
learn_read_by(int fd, void *buf, size_t len, double by, int *late)
{
	struct pollfd	 pfd;
	char		*p = buf;
	ssize_t		 got;
	double		 left = 1;
	int		 n;

	while (len > 0) {
		if (by != HUGE_VAL)
			left = by - learn_now();
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (left <= 0 || (n = poll(&pfd, 1, by == HUGE_VAL ? -1 :
		    (int)(left * 1000) + 1)) == 0) {
			*late = 1;
			return -1;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if ((got = read(fd, p, len)) == -1 && errno == EINTR)
			continue;
		if (got <= 0)
			return -1;
		p += got;
		len -= (size_t)got;
	}
	return 0;
}

/* The same with no end: 0, or -1 at an error or at the end before len. */
static int
learn_read(int fd, void *buf, size_t len)
{
	int	 late;

	return learn_read_by(fd, buf, len, HUGE_VAL, &late);
}

/*
 * The second process, forked before either trains: the last unit of w,
 * then the one before it and so on while learn_claim() hands it more;
 * then down fd how many it trained, each one's bias and count of
 * entries (the last unit first), and their entries in the same order.
 * It keeps everything until the end, so the pipe's 64 KB never holds it
 * up while it trains.  It does nothing but train, write() and _exit(),
 * never exit(): it shares habard's stdio buffers, database and threads'
 * state, and must touch none of them.  Any failure is its exit status.
 */
static void __attribute__((noreturn))
learn_child(struct learn_work *w, int fd)
{
	struct learn_run *r;
	size_t		 j, cnt, len, left = 0;
	int		 i, k, n;

	if (w->fault == LEARN_FAULT_EXIT)
		_exit(1);
	/* the last unit is this process's from the start */
	for (n = 0; n == 0 || learn_claim(w); n++)
		if (learn_run_unit(w, w->nunits - 1 - n) == -1)
			_exit(1);
	k = learn_unit(w, w->nunits - 1, &j);
	r = &w->run[j];
	if (w->fault == LEARN_FAULT_SKEW)
		r->m->bias[k] += 1.0f;
	if (w->fault == LEARN_FAULT_BAD && r->span[k].to > r->span[k].from)
		r->e[r->span[k].to - 1].bucket = LEARN_DIM;
	if (learn_write(fd, &n, sizeof(n)) == -1)
		_exit(1);
	for (i = 0; i < n; i++) {
		k = learn_unit(w, w->nunits - 1 - i, &j);
		r = &w->run[j];
		cnt = r->span[k].to - r->span[k].from;
		left += cnt * sizeof(*r->e);
		if (learn_write(fd, &r->m->bias[k], sizeof(*r->m->bias)) ==
		    -1 || learn_write(fd, &cnt, sizeof(cnt)) == -1)
			_exit(1);
	}
	if (w->fault == LEARN_FAULT_SHORT)
		left /= 2;
	for (i = 0; i < n; i++) {
		k = learn_unit(w, w->nunits - 1 - i, &j);
		r = &w->run[j];
		len = (r->span[k].to - r->span[k].from) * sizeof(*r->e);
		if (len > left)
			len = left;
		if (learn_write(fd, r->e + r->span[k].from, len) == -1)
			_exit(1);
		left -= len;
	}
	if (w->fault == LEARN_FAULT_KILL)
		raise(SIGKILL);
	_exit(0);
}

/*
 * Start the second process on w, with the counter of units handed out
 * shared (the last unit already its).  Returns its pid and the pipe's
 * end to read in *fd; or -1 (no pipe, no process, w->taken NULL), and
 * this process trains all.
 */
static pid_t
learn_spawn(struct learn_work *w, int *fd)
{
	void	*sh;
	int	 p[2];
	pid_t	 pid;

	if ((sh = mmap(NULL, sizeof(*w->taken), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0)) == MAP_FAILED)
		return -1;
	w->taken = sh;
	atomic_init(w->taken, 1);
	if (pipe(p) == -1)
		goto fail;
	if ((pid = fork()) == -1) {
		close(p[0]);
		close(p[1]);
		goto fail;
	}
	if (pid == 0) {
		close(p[0]);
		learn_child(w, p[1]);
	}
	close(p[1]);
	*fd = p[0];
	return pid;
 fail:
	munmap(sh, sizeof(*w->taken));
	w->taken = NULL;
	return -1;
}

/*
 * Wait for the second process, pid, to end.  Returns 0 if it exited 0
 * and sent all (complete); also if it sent all and cannot be waited for
 * (ECHILD: SIGCHLD ignored, so children vanish as they end); -1
 * otherwise.
 */
static int
learn_reap(pid_t pid, int complete)
{
	pid_t	 w;
	int	 status;

	while ((w = waitpid(pid, &status, 0)) == -1 && errno == EINTR)
		;
	if (w == -1)
		return complete && errno == ECHILD ? 0 : -1;
	return complete && WIFEXITED(status) && WEXITSTATUS(status) == 0 ?
	    0 : -1;
}

/*
 * Take the units from mine on of w from the second process, pid,
 * through fd (closed here), once this one has trained units 0 to
 * mine - 1, and wait for it.  Returns 0; or -1, with none of them
 * taken, at anything amiss (the pipe broken or short, a count or a
 * bucket out of range, the process failing or killed): then the caller
 * trains them itself, to the same weights.  Closing fd ends a process
 * still writing.
 */
static int
learn_collect(struct learn_work *w, int mine, pid_t pid, int fd)
{
	struct learn_run *r;
	struct learn_entry *ne;
	size_t		 i, j, cnt, nf = (size_t)w->smp->prob.n - 1;
	int		 u, k, n, complete = 0;

	for (j = 0; j < w->nrun; j++)
		w->run[j].keep = w->run[j].ne;
	if (learn_read(fd, &n, sizeof(n)) == -1 || n != w->nunits - mine)
		goto done;
	for (u = w->nunits - 1; u >= mine; u--) {
		k = learn_unit(w, u, &j);
		r = &w->run[j];
		if (learn_read(fd, &r->m->bias[k], sizeof(*r->m->bias)) ==
		    -1 || learn_read(fd, &cnt, sizeof(cnt)) == -1 || cnt > nf)
			goto done;
		r->span[k].from = 0;
		r->span[k].to = cnt;
	}
	for (u = w->nunits - 1; u >= mine; u--) {
		k = learn_unit(w, u, &j);
		r = &w->run[j];
		cnt = r->span[k].to;
		if (cnt > 0) {
			if ((ne = reallocarray(r->e, r->ne + cnt,
			    sizeof(*ne))) == NULL)
				goto done;
			r->e = ne;
			if (learn_read(fd, r->e + r->ne, cnt * sizeof(*ne)) ==
			    -1)
				goto done;
		}
		for (i = r->ne; i < r->ne + cnt; i++)
			if (r->e[i].bucket >= LEARN_DIM)
				goto done;
		r->span[k].from = r->ne;
		r->ne += cnt;
		r->span[k].to = r->ne;
	}
	complete = 1;
 done:
	close(fd);
	if (learn_reap(pid, complete) == 0)
		return 0;
	for (j = 0; j < w->nrun; j++)
		w->run[j].ne = w->run[j].keep;
	return -1;
}

/*
 * Set up r for job over the n samples: its classes, numbered by first
 * appearance, and its model's labels.  Returns 0, or -1 with why.
 */
static int
learn_run_init(struct learn_run *r, const struct learn_job *job,
    size_t n, char *why, size_t whysz)
{
	const struct learn_opts *o = job->opts;
	struct learn	*m;
	size_t		 i;
	int		*cls_of = NULL;
	int		 k;

	snprintf(why, whysz, "out of memory");
	if ((r->m = m = calloc(1, sizeof(*m))) == NULL)
		return -1;
	m->nlabels = job->nlabels;
	for (i = 0; i < n; i++)
		if (job->labels[i] < 0 || job->labels[i] >= job->nlabels) {
			snprintf(why, whysz, "label %d out of range",
			    job->labels[i]);
			return -1;
		}
	if ((r->cls = calloc(n, sizeof(*r->cls))) == NULL ||
	    (cls_of = malloc(job->nlabels * sizeof(*cls_of))) == NULL ||
	    (m->label = calloc(job->nlabels, sizeof(*m->label))) == NULL)
		goto fail;
	for (k = 0; k < job->nlabels; k++)
		cls_of[k] = -1;
	for (i = 0; i < n; i++) {
		if (cls_of[job->labels[i]] == -1) {
			cls_of[job->labels[i]] = m->nclasses;
			m->label[m->nclasses++] = job->labels[i];
		}
		r->cls[i] = cls_of[job->labels[i]];
	}
	/*
	 * Freed before the fork: valgrind checks the second process for
	 * leaks too, and what it cannot reach from the work would be lost.
	 */
	free(cls_of);
	cls_of = NULL;
	if (m->nclasses < 2 || m->nclasses > UINT16_MAX) {
		snprintf(why, whysz, "%d classes: learning needs 2 to %d",
		    m->nclasses, UINT16_MAX);
		return -1;
	}
	r->param.solver_type = L2R_LR_DUAL;
	r->param.C = o != NULL && o->c > 0 ? o->c : LEARN_C;
	r->param.eps = o != NULL && o->eps > 0 ? o->eps : LEARN_EPS;
	r->prune = o != NULL && o->prune > 0 ? (float)o->prune : LEARN_PRUNE;
	if ((m->bias = calloc(m->nclasses, sizeof(*m->bias))) == NULL ||
	    (r->span = calloc(m->nclasses, sizeof(*r->span))) == NULL)
		goto fail;
	return 0;
 fail:
	free(cls_of);
	return -1;
}

/*
 * The kept weights of r by bucket into its model: count, offsets, then
 * each entry at its bucket's next place (classes in order), which leaves
 * each offset at the next bucket's start: shifted back by one; then
 * frees the entries.  Returns 0, or -1 out of memory.
 */
static int
learn_run_finish(struct learn_run *r)
{
	struct learn	*m = r->m;
	struct learn_entry *e = r->e;
	size_t		 i;
	int		 k;

	if ((m->off = calloc(LEARN_DIM + 1, sizeof(*m->off))) == NULL ||
	    (r->ne > 0 && ((m->cls = malloc(r->ne * sizeof(*m->cls))) ==
	    NULL || (m->w = malloc(r->ne * sizeof(*m->w))) == NULL)))
		return -1;
	for (i = 0; i < r->ne; i++)
		m->off[e[i].bucket + 1]++;
	for (i = 0; i < LEARN_DIM; i++)
		m->off[i + 1] += m->off[i];
	for (k = 0; k < m->nclasses; k++)
		for (i = r->span[k].from; i < r->span[k].to; i++) {
			uint32_t at = m->off[e[i].bucket]++;

			m->cls[at] = (uint16_t)k;
			m->w[at] = e[i].w;
		}
	for (i = LEARN_DIM; i > 0; i--)
		m->off[i] = m->off[i - 1];
	m->off[0] = 0;
	m->nentries = r->ne;
	/* the next labelling's model is built without these */
	free(r->e);
	r->e = NULL;
	return 0;
}

/* Free w's runs and what they hold but the models handed out. */
static void
learn_work_free(struct learn_work *w)
{
	size_t	 j;

	for (j = 0; j < w->nrun; j++) {
		learn_free(w->run[j].m);
		free(w->run[j].cls);
		free(w->run[j].span);
		free(w->run[j].e);
	}
	free(w->run);
	free(w->wk);
	if (w->taken != NULL)
		munmap(w->taken, sizeof(*w->taken));
}

size_t
learn_train_all(struct learn_samples *smp, const struct learn_job *jobs,
    size_t njobs, struct learn **out, char *why, size_t whysz)
{
	const struct learn_opts *o = njobs > 0 ? jobs[0].opts : NULL;
	struct learn_work w;
	size_t		 j, nf = (size_t)smp->prob.n - 1, failed = 0;
	int		 u, mine, fd = -1;
	pid_t		 pid = -1;

	memset(&w, 0, sizeof(w));
	for (j = 0; j < njobs; j++)
		out[j] = NULL;
	if (njobs == 0)
		return 0;
	if (smp->spent) {
		snprintf(why, whysz, "the samples were spent by an earlier "
		    "training");
		return 0;
	}
	snprintf(why, whysz, "out of memory");
	if ((w.run = calloc(njobs, sizeof(*w.run))) == NULL)
		goto fail;
	w.smp = smp;
	for (w.nrun = 0; w.nrun < njobs; w.nrun++) {
		failed = w.nrun;
		if (learn_run_init(&w.run[w.nrun], &jobs[w.nrun],
		    (size_t)smp->prob.l, why, whysz) == -1) {
			w.nrun++;
			goto fail;
		}
		if (w.nunits > INT_MAX - UINT16_MAX) {
			snprintf(why, whysz, "too many labellings");
			w.nrun++;
			goto fail;
		}
		w.nunits += w.run[w.nrun].m->nclasses;
	}
	failed = 0;
	snprintf(why, whysz, "out of memory");
	if ((w.wk = malloc((nf > 0 ? nf : 1) * sizeof(*w.wk))) == NULL)
		goto fail;
	w.fault = o != NULL ? o->fault : 0;
	set_print_string_function(learn_quiet);
	/* the first units here, the last ones at once in a second process */
	if (learn_forks(w.nunits, o))
		pid = learn_spawn(&w, &fd);
	for (mine = 0; mine < w.nunits && learn_claim(&w); mine++)
		if (learn_run_unit(&w, mine) == -1) {
			failed = w.errrun;
			if (pid != -1) {
				/* the second takes no more: it ends sooner */
				atomic_store(w.taken, (unsigned)w.nunits);
				close(fd);
				(void)learn_reap(pid, 0);
			}
			goto fail;
		}
	/*
	 * Spent before the second process's weights come in, not after:
	 * the samples' features and all the kept weights are never held
	 * at once (0.8 MB less at the peak of a reload of the shipped
	 * content).  Its failure then fails the call (learn.h).
	 */
	if (o != NULL && o->spend) {
		free(w.wk);
		w.wk = NULL;
		learn_samples_spend(smp);
	}
	if (pid != -1 && learn_collect(&w, mine, pid, fd) == -1) {
		if (smp->spent) {
			snprintf(why, whysz, "the second process failed "
			    "after the samples were let go");
			(void)learn_unit(&w, mine, &failed);
			goto fail;
		}
		for (u = mine; u < w.nunits; u++)
			if (learn_run_unit(&w, u) == -1) {
				failed = w.errrun;
				goto fail;
			}
	}
	/* the models are built from the kept weights alone */
	free(w.wk);
	w.wk = NULL;
	for (j = 0; j < njobs; j++)
		if (learn_run_finish(&w.run[j]) == -1) {
			failed = j;
			goto fail;
		}
	for (j = 0; j < njobs; j++) {
		out[j] = w.run[j].m;
		w.run[j].m = NULL;
		out[j]->idf = smp->idf;
		smp->idf->refs++;
	}
	learn_work_free(&w);
	return njobs;
 fail:
	if (w.err != NULL)
		snprintf(why, whysz, "liblinear: %s", w.err);
	learn_work_free(&w);
	return failed;
}

/*
 * A model down fd for learn_recv(), as it lies in memory (the same
 * program reads it): its counts, labels, biases, offsets, classes and
 * weights; with half, only its counts and half its offsets (the fault
 * LEARN_FAULT_APART_SHORT).  Returns 0 or -1.
 */
static int
learn_send(int fd, const struct learn *m, int half)
{
	int	 hdr[2] = { m->nlabels, m->nclasses };
	size_t	 noff = (size_t)LEARN_DIM + 1;

	if (learn_write(fd, hdr, sizeof(hdr)) == -1 ||
	    learn_write(fd, &m->nentries, sizeof(m->nentries)) == -1 ||
	    learn_write(fd, m->label, m->nclasses * sizeof(*m->label)) ==
	    -1 || learn_write(fd, m->bias, m->nclasses * sizeof(*m->bias)) ==
	    -1)
		return -1;
	if (half)
		return learn_write(fd, m->off, noff / 2 * sizeof(*m->off));
	if (learn_write(fd, m->off, noff * sizeof(*m->off)) == -1 ||
	    learn_write(fd, m->cls, m->nentries * sizeof(*m->cls)) == -1 ||
	    learn_write(fd, m->w, m->nentries * sizeof(*m->w)) == -1)
		return -1;
	return 0;
}

/*
 * A model of nlabels labels from fd (learn_send()), sharing idf; NULL at
 * the end of the pipe, out of memory, at anything out of place (a count
 * out of range, a label, an offset or a class that could not be, a
 * weight that is not a number), or once the clock reaches by (*late).
 */
static struct learn *
learn_recv(int fd, int nlabels, struct learn_idf *idf, double by,
    int *late)
{
	struct learn	*m;
	int		 hdr[2], k;
	size_t		 ne, i;

	if (learn_read_by(fd, hdr, sizeof(hdr), by, late) == -1 ||
	    learn_read_by(fd, &ne, sizeof(ne), by, late) == -1 ||
	    hdr[0] != nlabels || hdr[1] < 2 || hdr[1] > nlabels ||
	    hdr[1] > UINT16_MAX || ne > (size_t)LEARN_DIM * (size_t)hdr[1])
		return NULL;
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	m->nlabels = hdr[0];
	m->nclasses = hdr[1];
	m->nentries = ne;
	if ((m->label = calloc(m->nclasses, sizeof(*m->label))) == NULL ||
	    (m->bias = calloc(m->nclasses, sizeof(*m->bias))) == NULL ||
	    (m->off = calloc(LEARN_DIM + 1, sizeof(*m->off))) == NULL ||
	    (ne > 0 && ((m->cls = malloc(ne * sizeof(*m->cls))) == NULL ||
	    (m->w = malloc(ne * sizeof(*m->w))) == NULL)))
		goto bad;
	if (learn_read_by(fd, m->label, m->nclasses * sizeof(*m->label), by,
	    late) == -1 || learn_read_by(fd, m->bias, m->nclasses *
	    sizeof(*m->bias), by, late) == -1 || learn_read_by(fd, m->off,
	    (LEARN_DIM + 1) * sizeof(*m->off), by, late) == -1 || (ne > 0 &&
	    (learn_read_by(fd, m->cls, ne * sizeof(*m->cls), by, late) == -1 ||
	    learn_read_by(fd, m->w, ne * sizeof(*m->w), by, late) == -1)))
		goto bad;
	for (k = 0; k < m->nclasses; k++)
		if (m->label[k] < 0 || m->label[k] >= nlabels ||
		    !isfinite(m->bias[k]))
			goto bad;
	if (m->off[0] != 0 || m->off[LEARN_DIM] != ne)
		goto bad;
	for (i = 0; i < LEARN_DIM; i++)
		if (m->off[i] > m->off[i + 1])
			goto bad;
	for (i = 0; i < ne; i++)
		if (m->cls[i] >= m->nclasses || !isfinite(m->w[i]))
			goto bad;
	m->idf = idf;
	idf->refs++;
	return m;
 bad:
	learn_free(m);
	return NULL;
}

/*
 * The process that learns apart (learn_train_apart()): the samples of
 * make(arg), the jobs trained on them by learn_train_all() (which may
 * fork a second process of its own), then down fd the idf and each
 * model.  Like learn_child(), it ends with _exit(), never exit(), and
 * touches nothing of its parent's but memory; it frees what it made
 * before it ends (valgrind follows it).  Any failure is its exit status:
 * the parent then learns itself, and says why.
 */
static void __attribute__((noreturn))
learn_apart(learn_make_fn *make, void *arg, const struct learn_job *jobs,
    size_t njobs, int fault, int fd)
{
	struct learn_job *job = NULL;
	struct learn_opts o;
	struct learn_samples *smp;
	struct learn	**m = NULL;
	char		 why[128];
	size_t		 j, got = 0;
	int		 rc = 1;

	while (fault == LEARN_FAULT_APART_HANG)
		pause();
	if (fault == LEARN_FAULT_APART_EXIT || (smp = make(arg)) == NULL)
		_exit(1);
	if ((job = calloc(njobs, sizeof(*job))) == NULL ||
	    (m = calloc(njobs, sizeof(*m))) == NULL)
		goto done;
	memcpy(job, jobs, njobs * sizeof(*job));
	/* its own faults are not its second process's */
	if (job[0].opts != NULL && fault >= LEARN_FAULT_APART_EXIT) {
		o = *job[0].opts;
		o.fault = 0;
		job[0].opts = &o;
	}
	if ((got = learn_train_all(smp, job, njobs, m, why, sizeof(why))) !=
	    njobs)
		goto done;
	if (fault == LEARN_FAULT_APART_BAD && m[0]->nentries > 0)
		m[0]->cls[0] = UINT16_MAX;
	if (learn_write(fd, &smp->idf->step, sizeof(smp->idf->step)) == -1 ||
	    learn_write(fd, smp->idf->q, sizeof(smp->idf->q)) == -1)
		goto done;
	for (j = 0; j < njobs; j++)
		if (learn_send(fd, m[j], fault == LEARN_FAULT_APART_SHORT &&
		    j == njobs - 1) == -1)
			goto done;
	rc = 0;
 done:
	for (j = 0; m != NULL && j < got; j++)
		learn_free(m[j]);
	free(m);
	free(job);
	learn_samples_free(smp);
	if (rc == 0 && fault == LEARN_FAULT_APART_KILL)
		raise(SIGKILL);
	_exit(rc);
}

/*
 * A learning under way in a process of its own: its pipe, its deadline
 * and what it will send (learn_apart_start()).
 */
struct learn_apart {
	pid_t		 pid;
	int		 fd;		/* the models come down it */
	int		 wait;		/* seconds it was given */
	double		 by;		/* learn_now() it must have sent by */
	size_t		 njobs;
	int		 nlabels[];	/* by job */
};

struct learn_apart *
learn_apart_start(learn_make_fn *make, void *arg,
    const struct learn_job *jobs, size_t njobs, char *why, size_t whysz)
{
	const struct learn_opts *o = njobs > 0 ? jobs[0].opts : NULL;
	struct learn_apart *a;
	size_t		 j;
	int		 p[2];

	if (njobs == 0) {
		snprintf(why, whysz, "nothing to learn");
		return NULL;
	}
	if ((a = malloc(sizeof(*a) + njobs * sizeof(a->nlabels[0]))) ==
	    NULL) {
		snprintf(why, whysz, "out of memory");
		return NULL;
	}
	a->njobs = njobs;
	for (j = 0; j < njobs; j++)
		a->nlabels[j] = jobs[j].nlabels;
	a->wait = o != NULL && o->wait > 0 ? o->wait : LEARN_APART_WAIT;
	if (pipe(p) == -1) {
		snprintf(why, whysz, "no pipe to learn apart: %s",
		    strerror(errno));
		free(a);
		return NULL;
	}
	if (o != NULL && o->fault == LEARN_FAULT_APART_NOFORK) {
		errno = EAGAIN;
		a->pid = -1;
	} else
		a->pid = fork();
	if (a->pid == -1) {
		snprintf(why, whysz, "cannot fork to learn apart: %s",
		    strerror(errno));
		close(p[0]);
		close(p[1]);
		free(a);
		return NULL;
	}
	if (a->pid == 0) {
		/* valgrind checks that process for leaks too */
		free(a);
		close(p[0]);
		learn_apart(make, arg, jobs, njobs, o != NULL ? o->fault : 0,
		    p[1]);
	}
	close(p[1]);
	a->fd = p[0];
	a->by = learn_now() + a->wait;
	return a;
}

int
learn_apart_fd(const struct learn_apart *a)
{
	return a->fd;
}

int
learn_apart_due(const struct learn_apart *a)
{
	return learn_now() >= a->by;
}

/* Reap a's process, killed first when kill is set: its peak, or 0. */
static long
learn_apart_reap(struct learn_apart *a, int kill_it, int *ok)
{
	struct rusage	 ru;
	pid_t		 w;
	int		 status;

	if (kill_it)
		(void)kill(a->pid, SIGKILL);
	close(a->fd);
	while ((w = wait4(a->pid, &status, 0, &ru)) == -1 && errno == EINTR)
		;
	*ok = w == -1 ? errno == ECHILD : WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0;
	return w == a->pid ? ru.ru_maxrss : 0;
}

size_t
learn_apart_finish(struct learn_apart *a, struct learn **out, long *peak_kb,
    char *why, size_t whysz)
{
	struct learn_idf *idf;
	size_t		 j, got = 0, njobs = a->njobs;
	int		 ok, complete = 0, late = 0;

	for (j = 0; j < njobs; j++)
		out[j] = NULL;
	if ((idf = malloc(sizeof(*idf))) != NULL) {
		idf->refs = 1;
		if (learn_read_by(a->fd, &idf->step, sizeof(idf->step), a->by,
		    &late) == 0 && isfinite(idf->step) && idf->step >= 0 &&
		    learn_read_by(a->fd, idf->q, sizeof(idf->q), a->by,
		    &late) == 0)
			while (got < njobs && (out[got] = learn_recv(a->fd,
			    a->nlabels[got], idf, a->by, &late)) != NULL)
				got++;
		complete = got == njobs;
	}
	/* stuck: it is not waited for longer; one still writing ends at
	   the closed pipe */
	*peak_kb = learn_apart_reap(a, late, &ok);
	if (!ok)
		complete = 0;
	learn_idf_drop(idf);
	if (complete) {
		free(a);
		return njobs;
	}
	for (j = 0; j < got; j++) {
		learn_free(out[j]);
		out[j] = NULL;
	}
	if (late)
		snprintf(why, whysz, "the process learning apart had not "
		    "sent its models after %d s: killed", a->wait);
	else
		snprintf(why, whysz, "the process learning apart failed");
	free(a);
	return 0;
}

void
learn_apart_cancel(struct learn_apart *a)
{
	int	 ok;

	if (a == NULL)
		return;
	(void)learn_apart_reap(a, 1, &ok);
	free(a);
}

size_t
learn_train_apart(learn_make_fn *make, void *arg,
    const struct learn_job *jobs, size_t njobs, struct learn **out,
    long *peak_kb, char *why, size_t whysz)
{
	struct learn_apart *a;
	size_t		 j;

	*peak_kb = 0;
	for (j = 0; j < njobs; j++)
		out[j] = NULL;
	/* no jobs: it says "nothing to learn" */
	if ((a = learn_apart_start(make, arg, jobs, njobs, why, whysz)) ==
	    NULL)
		return 0;
	return learn_apart_finish(a, out, peak_kb, why, whysz);
}

float
learn_predict(const struct learn *m, const char *folded, float *p)
{
	struct learn_vec v;
	float		 dec[LEARN_STACK_CLS];
	float		*d = dec;
	double		 sum = 0, known = 0;
	size_t		 i;
	uint32_t	 k, b;
	int		 c;

	for (c = 0; c < m->nlabels; c++)
		p[c] = 0;
	if (m->nclasses > LEARN_STACK_CLS &&
	    (d = malloc(m->nclasses * sizeof(*d))) == NULL)
		return 0;
	for (c = 0; c < m->nclasses; c++)
		d[c] = m->bias[c] * (float)LEARN_BIAS;
	learn_vec_init(&v);
	learn_vectorize(folded, &v, m->idf);
	for (i = 0; i < v.n; i++) {
		b = v.key[i];
		if (m->off[b] < m->off[b + 1])
			known += (double)v.val[i] * v.val[i];
		for (k = m->off[b]; k < m->off[b + 1]; k++)
			d[m->cls[k]] += m->w[k] * v.val[i];
	}
	for (c = 0; c < m->nclasses; c++) {
		d[c] = 1.0f / (1.0f + expf(-d[c]));
		sum += d[c];
	}
	for (c = 0; c < m->nclasses; c++)
		p[m->label[c]] = (float)(d[c] / sum);
	if (d != dec)
		free(d);
	return (float)known;
}

int
learn_labels(const struct learn *m)
{
	return m->nlabels;
}

int
learn_classes(const struct learn *m)
{
	return m->nclasses;
}

size_t
learn_bytes(const struct learn *m)
{
	return sizeof(*m) + m->nclasses * (sizeof(*m->label) +
	    sizeof(*m->bias)) + (LEARN_DIM + 1) * sizeof(*m->off) +
	    m->nentries * (sizeof(*m->cls) + sizeof(*m->w)) +
	    (m->idf != NULL ? sizeof(*m->idf) : 0);	/* shared: whole */
}

/* A copy of n elements of size bytes each, or NULL (for none: NULL). */
static void *
learn_copy(const void *src, size_t n, size_t size)
{
	void	*dst;

	if (n == 0 || (dst = reallocarray(NULL, n, size)) == NULL)
		return NULL;
	return memcpy(dst, src, n * size);
}

struct learn *
learn_dup(const struct learn *m)
{
	struct learn	*d;
	size_t		 nc = (size_t)m->nclasses;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	*d = *m;
	d->label = learn_copy(m->label, nc, sizeof(*m->label));
	d->bias = learn_copy(m->bias, nc, sizeof(*m->bias));
	d->off = learn_copy(m->off, LEARN_DIM + 1, sizeof(*m->off));
	d->cls = learn_copy(m->cls, m->nentries, sizeof(*m->cls));
	d->w = learn_copy(m->w, m->nentries, sizeof(*m->w));
	if (d->idf != NULL)
		d->idf->refs++;
	if ((nc > 0 && (d->label == NULL || d->bias == NULL)) ||
	    d->off == NULL || (m->nentries > 0 && (d->cls == NULL ||
	    d->w == NULL))) {
		learn_free(d);
		return NULL;
	}
	return d;
}

void
learn_free(struct learn *m)
{
	if (m == NULL)
		return;
	free(m->label);
	free(m->bias);
	free(m->off);
	free(m->cls);
	free(m->w);
	learn_idf_drop(m->idf);
	free(m);
}
