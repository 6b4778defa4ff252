/*
 * t_learn.c - unit tests for the classifier (learn.c) and what routing
 * and answering make of it: training on a small set, prediction,
 * determinism, refusals; in route.c, one score from keyword and
 * classifier, a single keyword in a long message not deciding alone,
 * unknown for text never seen, asking back; in answer.c, the question
 * back and the digit that picks through the session.  A small content
 * set is written to a temporary folder and loaded with content.c.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "answer.h"
#include "content.h"
#include "learn.h"
#include "log.h"
#include "route.h"
#include "session.h"

/* ---- learn.c alone ---- */

static const char *const texts[] = {
	"pasport otobrali", "zabrali pasport na rabote",
	"poterial pasport", "pasport propal chto delat",
	"ne platiat zarplatu", "zarplatu zaderzhivaiut",
	"hoziain ne otdaet dengi za rabotu", "ne zaplatili za mesiac",
	"ishchu rabotu", "nuzhna rabota stroitelem",
	"est vakansii", "gde naiti rabotu v almaty",
};
static const int labels[] = { 0, 0, 0, 0, 1, 1, 1, 1, 3, 3, 3, 3 };
#define NTEXTS	(sizeof(texts) / sizeof(texts[0]))

static int
best(const float *p, int n)
{
	int	 i, b = 0;

	for (i = 1; i < n; i++)
		if (p[i] > p[b])
			b = i;
	return b;
}

static void
t_train_predict(void **state)
{
	struct learn	*m;
	char		 why[128];
	float		 p[4], sum = 0;
	int		 i;

	(void)state;
	m = learn_train(texts, labels, NTEXTS, 4, NULL, why, sizeof(why));
	assert_non_null(m);
	assert_int_equal(learn_labels(m), 4);
	assert_int_equal(learn_classes(m), 3);
	assert_true(learn_bytes(m) > 0);
	/* the training texts themselves, then new wordings */
	for (i = 0; i < (int)NTEXTS; i++) {
		(void)learn_predict(m, texts[i], p);
		assert_int_equal(best(p, 4), labels[i]);
	}
	assert_true(learn_predict(m, "pasportimdi alyp koidy", p) > 0);
	assert_int_equal(best(p, 4), 0);
	(void)learn_predict(m, "zarplatu ne dali", p);
	assert_int_equal(best(p, 4), 1);
	(void)learn_predict(m, "vakansiia rabota", p);
	assert_int_equal(best(p, 4), 3);
	/* a label without samples is never predicted; the rest sum to 1 */
	assert_true(p[2] == 0);
	for (i = 0; i < 4; i++)
		sum += p[i];
	assert_true(fabsf(sum - 1) < 1e-4);
	/* nothing known: the priors, and the share known says so */
	assert_true(learn_predict(m, "qwzx", p) == 0);
	assert_true(learn_predict(m, "", p) == 0);
	learn_free(m);
	learn_free(NULL);
}

/*
 * Features weighed by how rare they are among the samples (idf): a word
 * every sample has counts for less of a message, one none has for more.
 * By counts alone the shares known below were 0.57 and 0.18.
 */
static void
t_idf(void **state)
{
	static const char *const t[] = {
		"obshchee pasport otobrali", "obshchee pasport poterial",
		"obshchee zarplatu ne dali", "obshchee zarplata zaderzhka",
	};
	static const int l[] = { 0, 0, 1, 1 };
	struct learn	*m;
	char		 why[128];
	float		 p[2];

	(void)state;
	assert_non_null(m = learn_train(t, l, 4, 2, NULL, why, sizeof(why)));
	/*
	 * "obshchee" weighs little: known to the model, but it says nothing
	 * (a third of its features keep a weight over the pruning threshold,
	 * a small one: the labels within 0.1 of each other)
	 */
	assert_true(learn_predict(m, "obshchee", p) < 0.4f);
	assert_true(fabsf(p[0] - p[1]) < 0.1f);
	/* a word never seen outweighs one seen in half the samples */
	assert_true(learn_predict(m, "pasport qwzxv", p) < 0.45f);
	assert_int_equal(best(p, 2), 0);
	/* the rarer word is more of the message than twice the common one */
	assert_true(learn_predict(m, "obshchee obshchee pasport", p) > 0.25f);
	assert_int_equal(best(p, 2), 0);
	learn_free(m);
}

/* The same samples give the same model, to the bit. */
static void
t_deterministic(void **state)
{
	struct learn	*a, *b;
	char		 why[128];
	float		 pa[4], pb[4];
	size_t		 i;

	(void)state;
	assert_non_null(a = learn_train(texts, labels, NTEXTS, 4, NULL, why,
	    sizeof(why)));
	assert_non_null(b = learn_train(texts, labels, NTEXTS, 4, NULL, why,
	    sizeof(why)));
	assert_int_equal(learn_bytes(a), learn_bytes(b));
	for (i = 0; i < NTEXTS; i++) {
		(void)learn_predict(a, texts[i], pa);
		(void)learn_predict(b, texts[i], pb);
		assert_memory_equal(pa, pb, sizeof(pa));
	}
	learn_free(a);
	learn_free(b);
}

static void
t_refusals(void **state)
{
	static const int one[] = { 2, 2 }, bad[] = { 0, 7 };
	char	 why[128];

	(void)state;
	assert_null(learn_train(texts, one, 2, 4, NULL, why, sizeof(why)));
	assert_non_null(strstr(why, "1 classes"));
	assert_null(learn_train(texts, bad, 2, 4, NULL, why, sizeof(why)));
	assert_non_null(strstr(why, "label 7 out of range"));
}

/*
 * Two processes: a set of 8 classes (labels 0..8 but 4, interleaved),
 * made up from syllables by a fixed generator, so classes share words.
 */
#define MANY_N		400	/* samples */
#define MANY_PROBES	600	/* texts predicted: the samples, then new */
#define MANY_LABELS	9
#define MANY_TEXT	96

static char	 many_text[MANY_PROBES][MANY_TEXT];
static int	 many_label[MANY_N];

static uint32_t
many_next(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* Word i of label l's own words (8 of them), or of the shared ones (l < 0). */
static void
many_word(char *buf, size_t sz, int l, uint32_t i)
{
	static const char *const syl[] = { "ka", "ro", "mi", "tu", "se",
	    "la", "po", "ne", "zi", "da", "gu", "be", "sh", "ot" };
	uint32_t	 a = (uint32_t)(l + 1) * 7 + i;
	uint32_t	 b = (uint32_t)(l + 3) * 5 + i * 3;

	snprintf(buf, sz, "%s%s%s", syl[a % 14], syl[b % 14],
	    syl[(a + b + i) % 14]);
}

static void
many_setup(void)
{
	char		 w[16];
	size_t		 i, len;
	uint32_t	 s = 7, nw, j;
	int		 l;

	if (many_text[0][0] != '\0')
		return;
	for (i = 0; i < MANY_PROBES; i++) {
		l = (int)(i % 8);
		if (l >= 4)
			l++;
		if (i < MANY_N)
			many_label[i] = l;
		nw = 3 + many_next(&s) % 6;
		for (len = 0, j = 0; j < nw; j++) {
			many_word(w, sizeof(w), many_next(&s) % 10 < 6 ? l :
			    -1 - (int)(many_next(&s) % 3), many_next(&s) % 8);
			len += (size_t)snprintf(many_text[i] + len,
			    MANY_TEXT - len, "%s%s", j > 0 ? " " : "", w);
		}
	}
}

static struct learn *
many_train(int jobs, int fault)
{
	struct learn_opts o;
	struct learn	*m;
	const char	*t[MANY_N];
	char		 why[128];
	size_t		 i;

	many_setup();
	for (i = 0; i < MANY_N; i++)
		t[i] = many_text[i];
	memset(&o, 0, sizeof(o));
	o.jobs = jobs;
	o.fault = fault;
	m = learn_train(t, many_label, MANY_N, MANY_LABELS, &o, why,
	    sizeof(why));
	assert_non_null(m);
	assert_int_equal(learn_classes(m), 8);
	return m;
}

/* Whether a and b predict the very same bits for every probe. */
static int
many_same(const struct learn *a, const struct learn *b)
{
	float	 pa[MANY_LABELS], pb[MANY_LABELS], ka, kb;
	size_t	 i;

	if (learn_bytes(a) != learn_bytes(b) ||
	    learn_labels(a) != learn_labels(b) ||
	    learn_labels(a) > MANY_LABELS)
		return 0;
	for (i = 0; i < MANY_PROBES; i++) {
		ka = learn_predict(a, many_text[i], pa);
		kb = learn_predict(b, many_text[i], pb);
		if (memcmp(&ka, &kb, sizeof(ka)) != 0 ||
		    memcmp(pa, pb, learn_labels(a) * sizeof(*pa)) != 0)
			return 0;
	}
	return 1;
}

/* Trained with jobs and fault: the same model as ref, or not (same). */
static void
many_check(const struct learn *ref, int jobs, int fault, int same)
{
	struct learn	*m;

	m = many_train(jobs, fault);
	if (many_same(ref, m) != same)
		fail_msg("jobs %d fault %d: the model %s", jobs, fault,
		    same ? "differs" : "is the same");
	learn_free(m);
}

/*
 * Half of the classes trained in a second process give the model of one
 * process, byte for byte; so do all the ways the second can fail (the
 * first trains its classes again).  A second process sending a skewed
 * bias gives another model: its weights are really taken.
 */
static void
t_two_processes(void **state)
{
	struct learn	*ref;
	float		 p[MANY_LABELS];
	size_t		 i, right = 0;

	(void)state;
	ref = many_train(1, 0);
	/* a model that tells the classes apart, not a trivial one */
	for (i = 0; i < MANY_N; i++) {
		(void)learn_predict(ref, many_text[i], p);
		right += best(p, MANY_LABELS) == many_label[i];
	}
	assert_true(right > MANY_N * 3 / 4);
	assert_true(p[4] == 0);
	many_check(ref, 2, 0, 1);
	many_check(ref, 0, 0, 1);
	many_check(ref, 2, LEARN_FAULT_EXIT, 1);
	many_check(ref, 2, LEARN_FAULT_SHORT, 1);
	many_check(ref, 2, LEARN_FAULT_BAD, 1);
	many_check(ref, 2, LEARN_FAULT_KILL, 1);
	many_check(ref, 2, LEARN_FAULT_SKEW, 0);
	/* one process: the fault is never reached */
	many_check(ref, 1, LEARN_FAULT_SKEW, 1);
	learn_free(ref);
}

/*
 * SIGCHLD ignored (inherited so from a shell): the second process
 * cannot be waited for.  All its weights received are taken all the
 * same; a failure before sending is still one.
 */
static void
t_sigchld_ignored(void **state)
{
	struct learn	*ref;

	(void)state;
	ref = many_train(1, 0);
	assert_true(signal(SIGCHLD, SIG_IGN) != SIG_ERR);
	many_check(ref, 2, 0, 1);
	many_check(ref, 2, LEARN_FAULT_SKEW, 0);
	many_check(ref, 2, LEARN_FAULT_EXIT, 1);
	many_check(ref, 2, LEARN_FAULT_SHORT, 1);
	assert_true(signal(SIGCHLD, SIG_DFL) != SIG_ERR);
	learn_free(ref);
}

/*
 * A second labelling of the same samples, 3 classes of the first's 8
 * (label % 3): together with the first one (learn_train_all()) its
 * classes are the units the second process takes first.
 */
#define GROUP_LABELS	3

static struct learn_samples *
many_samples(int *group)
{
	struct learn_samples *smp;
	const char	*t[MANY_N];
	size_t		 i;

	many_setup();
	for (i = 0; i < MANY_N; i++) {
		t[i] = many_text[i];
		group[i] = many_label[i] % GROUP_LABELS;
	}
	assert_non_null(smp = learn_samples(t, MANY_N));
	return smp;
}

/*
 * The two labellings of the many samples (group: the second's labels),
 * each with its options o[0] and o[1], the second with route.c's c for
 * the languages.
 */
static void
both_jobs(struct learn_job *job, struct learn_opts *o, int *group)
{
	memset(o, 0, 2 * sizeof(*o));
	o[1].c = 8;		/* its own, as route.c's languages */
	job[0].labels = many_label;
	job[0].nlabels = MANY_LABELS;
	job[0].opts = &o[0];
	job[1].labels = group;
	job[1].nlabels = GROUP_LABELS;
	job[1].opts = &o[1];
}

/* Each labelling of the many samples trained alone, in one process. */
static void
both_refs(struct learn **ref)
{
	struct learn_samples *smp;
	struct learn_opts o1;
	char		 why[128];
	int		 group[MANY_N];

	smp = many_samples(group);
	memset(&o1, 0, sizeof(o1));
	o1.jobs = 1;
	assert_non_null(ref[0] = learn_train_on(smp, many_label,
	    MANY_LABELS, &o1, why, sizeof(why)));
	o1.c = 8;
	assert_non_null(ref[1] = learn_train_on(smp, group, GROUP_LABELS,
	    &o1, why, sizeof(why)));
	learn_samples_free(smp);
}

/*
 * Both labellings trained together with jobs and fault: each the same
 * model as trained alone (ref), or not (same, by labelling).
 */
static void
both_check(struct learn *const *ref, int jobs, int fault, int same0,
    int same1)
{
	struct learn_samples *smp;
	struct learn_opts o[2];
	struct learn_job job[2];
	struct learn	*m[2];
	char		 why[128];
	int		 group[MANY_N];

	smp = many_samples(group);
	both_jobs(job, o, group);
	o[0].jobs = jobs;
	o[0].fault = fault;
	if (learn_train_all(smp, job, 2, m, why, sizeof(why)) != 2)
		fail_msg("jobs %d fault %d: %s", jobs, fault, why);
	learn_samples_free(smp);
	assert_int_equal(learn_classes(m[1]), GROUP_LABELS);
	if (many_same(ref[0], m[0]) != same0 ||
	    many_same(ref[1], m[1]) != same1)
		fail_msg("jobs %d fault %d: the models %s", jobs, fault,
		    same0 && same1 ? "differ" : "are the same");
	learn_free(m[0]);
	learn_free(m[1]);
}

/*
 * Two labellings trained at once, in one or two processes, give each
 * the model trained alone in one, byte for byte; so do all the ways
 * the second process can fail.  It trains from the last class of the
 * last labelling: its skewed bias shows there, and only there.
 * SIGCHLD ignored changes none of it.
 */
static void
t_two_labellings(void **state)
{
	struct learn	*ref[2];
	int		 fault, ign;

	(void)state;
	both_refs(ref);
	assert_false(many_same(ref[0], ref[1]));
	for (ign = 0; ign < 2; ign++) {
		assert_true(signal(SIGCHLD, ign ? SIG_IGN : SIG_DFL) !=
		    SIG_ERR);
		both_check(ref, 1, 0, 1, 1);
		both_check(ref, 2, 0, 1, 1);
		both_check(ref, 0, 0, 1, 1);
		for (fault = LEARN_FAULT_EXIT; fault <= LEARN_FAULT_KILL;
		    fault++)
			both_check(ref, 2, fault, 1, 1);
		both_check(ref, 2, LEARN_FAULT_SKEW, 1, 0);
		both_check(ref, 1, LEARN_FAULT_SKEW, 1, 1);
	}
	assert_true(signal(SIGCHLD, SIG_DFL) != SIG_ERR);
	learn_free(ref[0]);
	learn_free(ref[1]);
}

/*
 * What learn_train_apart()'s process makes its samples of: the many
 * texts; the labels of both labellings are filled there, in its own
 * copy of them (here they stay as they were: -1), as route.c's are.
 */
struct apart_arg {
	int	*label;
	int	*group;
	int	 fail;		/* make no samples */
};

static struct learn_samples *
apart_make(void *arg)
{
	struct apart_arg *a = arg;
	const char	*t[MANY_N];
	size_t		 i;

	if (a->fail)
		return NULL;
	many_setup();
	for (i = 0; i < MANY_N; i++) {
		t[i] = many_text[i];
		a->label[i] = many_label[i];
		a->group[i] = many_label[i] % GROUP_LABELS;
	}
	return learn_samples(t, MANY_N);
}

/*
 * Both labellings learned apart with jobs and fault: 2 and the models
 * of ref (same) or others, with a peak; or, when that process fails
 * (ok 0), 0, no model, and why.
 */
static void
apart_check(struct learn *const *ref, int jobs, int fault, int ok,
    int same, int fail)
{
	struct apart_arg a;
	struct learn_opts o[2];
	struct learn_job job[2];
	struct learn	*m[2] = { NULL, NULL };
	char		 why[128] = "";
	int		 label[MANY_N], group[MANY_N];
	long		 peak = -1;
	size_t		 got;

	memset(label, 0xff, sizeof(label));
	memset(group, 0xff, sizeof(group));
	a.label = label;
	a.group = group;
	a.fail = fail;
	both_jobs(job, o, group);
	job[0].labels = label;
	o[0].jobs = jobs;
	o[0].fault = fault;
	o[0].spend = 1;		/* as route.c trains */
	o[0].wait = 2;		/* a hung process: killed after that */
	got = learn_train_apart(apart_make, &a, job, 2, m, &peak, why,
	    sizeof(why));
	/* this process's labels untouched: that one filled its own */
	assert_int_equal(label[0], -1);
	if (!ok) {
		if (got != 0 || m[0] != NULL || m[1] != NULL || why[0] == '\0' ||
		    (fault == LEARN_FAULT_APART_HANG) != (strstr(why, "killed") !=
		    NULL))
			fail_msg("jobs %d fault %d: %zu models, why \"%s\"",
			    jobs, fault, got, why);
		return;
	}
	if (got != 2)
		fail_msg("jobs %d fault %d: %s", jobs, fault, why);
	assert_true(peak > 0);
	if ((many_same(ref[0], m[0]) && many_same(ref[1], m[1])) != same)
		fail_msg("jobs %d fault %d: the models %s", jobs, fault,
		    same ? "differ" : "are the same");
	learn_free(m[0]);
	learn_free(m[1]);
}

/*
 * Learned apart, in one process or split in two there, the models are
 * those learned here, byte for byte, and this process never saw the
 * samples.  That process failing in any way (before its samples, with
 * half of its models, a class out of range, killed after all, hung and
 * killed once its time is up) gives nothing and says why: the caller
 * learns here.  Faults of the split
 * are passed on: its skewed bias shows, its failures are mended there.
 * SIGCHLD ignored: all received is taken, no peak is known.
 */
static void
t_apart(void **state)
{
	struct learn	*ref[2];
	int		 fault;

	(void)state;
	both_refs(ref);
	assert_true(signal(SIGCHLD, SIG_DFL) != SIG_ERR);
	apart_check(ref, 1, 0, 1, 1, 0);
	apart_check(ref, 2, 0, 1, 1, 0);
	apart_check(ref, 0, 0, 1, 1, 0);
	for (fault = LEARN_FAULT_APART_EXIT; fault <= LEARN_FAULT_APART_HANG;
	    fault++)
		apart_check(ref, 2, fault, 0, 0, 0);
	apart_check(ref, 2, 0, 0, 0, 1);
	apart_check(ref, 2, LEARN_FAULT_SKEW, 1, 0, 0);
	/* spent before the split failed: that process gives up */
	apart_check(ref, 2, LEARN_FAULT_EXIT, 0, 0, 0);
	apart_check(ref, 1, LEARN_FAULT_EXIT, 1, 1, 0);
	assert_true(signal(SIGCHLD, SIG_IGN) != SIG_ERR);
	apart_check(ref, 2, LEARN_FAULT_APART_EXIT, 0, 0, 0);
	assert_true(signal(SIGCHLD, SIG_DFL) != SIG_ERR);
	learn_free(ref[0]);
	learn_free(ref[1]);
}

/*
 * Samples spent by their training (learn_opts' spend, as route.c trains)
 * give the very models they give unspent, in one process or two;
 * trained again, they are refused with why, and can still be freed.
 * With two processes they are let go before the second's weights come
 * in, so its failure fails the call, the samples spent (t_spend_fail).
 */
static void
t_spend(void **state)
{
	struct learn_samples *smp;
	struct learn_opts o[2];
	struct learn_job job[2];
	struct learn	*ref[2], *m[2];
	char		 why[128];
	int		 group[MANY_N], jobs;

	(void)state;
	both_jobs(job, o, group);
	smp = many_samples(group);
	o[0].jobs = 1;
	assert_int_equal(learn_train_all(smp, job, 2, ref, why, sizeof(why)),
	    2);
	learn_samples_free(smp);
	for (jobs = 1; jobs <= 2; jobs++) {
		smp = many_samples(group);
		o[0].jobs = jobs;
		o[0].spend = 1;
		if (learn_train_all(smp, job, 2, m, why, sizeof(why)) != 2)
			fail_msg("jobs %d: %s", jobs, why);
		if (!many_same(ref[0], m[0]) || !many_same(ref[1], m[1]))
			fail_msg("jobs %d: spent, the models differ", jobs);
		learn_free(m[0]);
		learn_free(m[1]);
		o[0].spend = 0;
		assert_null(learn_train_on(smp, many_label, MANY_LABELS,
		    &o[0], why, sizeof(why)));
		assert_string_equal(why,
		    "the samples were spent by an earlier training");
		learn_samples_free(smp);
	}
	learn_free(ref[0]);
	learn_free(ref[1]);
}

/*
 * The second process failing once this one has let go of the samples
 * (learn_opts' spend): the call fails with why and no model, the
 * samples spent; route.c then builds them again and trains alone
 * (t_route_jobs).
 */
static void
t_spend_fail(void **state)
{
	struct learn_samples *smp;
	struct learn_opts o[2];
	struct learn_job job[2];
	struct learn	*m[2];
	char		 why[128];
	int		 group[MANY_N], fault;

	(void)state;
	both_jobs(job, o, group);
	assert_true(signal(SIGCHLD, SIG_DFL) != SIG_ERR);
	for (fault = LEARN_FAULT_EXIT; fault <= LEARN_FAULT_KILL; fault++) {
		smp = many_samples(group);
		o[0].jobs = 2;
		o[0].fault = fault;
		o[0].spend = 1;
		assert_true(learn_train_all(smp, job, 2, m, why,
		    sizeof(why)) < 2);
		assert_null(m[0]);
		assert_null(m[1]);
		assert_string_equal(why, "the second process failed after "
		    "the samples were let go");
		assert_true(learn_samples_spent(smp));
		learn_samples_free(smp);
	}
}

/*
 * A labelling that cannot be trained is named by its index, with why,
 * and no model is handed out, whichever it is.
 */
static void
t_all_refusals(void **state)
{
	struct learn_samples *smp;
	struct learn_opts o;
	struct learn_job job[2];
	struct learn	*m[2];
	char		 why[128];
	int		 group[MANY_N], one[MANY_N], bad[MANY_N];

	(void)state;
	smp = many_samples(group);
	memset(one, 0, sizeof(one));
	memcpy(bad, group, sizeof(bad));
	bad[MANY_N - 1] = GROUP_LABELS;
	memset(&o, 0, sizeof(o));
	o.jobs = 2;
	job[0].labels = many_label;
	job[0].nlabels = MANY_LABELS;
	job[0].opts = &o;
	job[1].labels = bad;
	job[1].nlabels = GROUP_LABELS;
	job[1].opts = NULL;
	assert_int_equal(learn_train_all(smp, job, 2, m, why, sizeof(why)),
	    1);
	assert_string_equal(why, "label 3 out of range");
	assert_null(m[0]);
	assert_null(m[1]);
	job[1].labels = group;
	job[0].labels = one;
	assert_int_equal(learn_train_all(smp, job, 2, m, why, sizeof(why)),
	    0);
	assert_non_null(strstr(why, "1 classes"));
	assert_null(m[0]);
	assert_null(m[1]);
	learn_samples_free(smp);
}

/* ---- routing and answering with a small content set ---- */

struct fx {
	char		 dir[64];
	struct content	*c;
	struct route	*r;
};

static const char *const kkru[] = { "kk", "ru" };

static void
put(const struct fx *fx, const char *name, const char *body)
{
	char	 path[256];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/topics/%s", fx->dir, name);
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fputs(body, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

#define HEAD(id)	"id: " id "\nverified: 2026-11-26\nsource: test\n"

/* fraud.txt of the small set, its replies "text" in both languages. */
static void
put_fraud(const struct fx *fx, const char *text)
{
	char	 body[1024];

	snprintf(body, sizeof(body), HEAD("fraud") "menu: 1\n"
	    "[kk]\ntitle: Алаяқтар\nkeywords: алаяқтық\ntext: %s\n"
	    "example: ақша аударыңыз деді визаға, алдап кетті\n"
	    "[ru]\ntitle: Мошенники\nkeywords: мошенники, обман\ntext: %s\n"
	    "example: просят перевести деньги за визу заранее\n"
	    "example: взяли предоплату и пропали\n"
	    "example: агентство просит деньги вперёд за оформление\n"
	    "example: обещали визу в корею, надо перевести 100 тысяч\n"
	    "example: перевёл деньги посреднику, он не отвечает\n"
	    "example: требуют оплату за билет и визу до выезда\n", text,
	    text);
	put(fx, "fraud.txt", body);
}

/* work.txt of the small set, more (lines) at the end of its [ru]. */
static void
put_work(const struct fx *fx, const char *more)
{
	char	 body[1024];

	snprintf(body, sizeof(body), HEAD("work") "menu: 2\n"
	    "[kk]\ntitle: Жұмыс\nkeywords: жұмыс\ntext: W\n"
	    "example: жұмыс іздеп жүрмін құрылыста\n"
	    "[ru]\ntitle: Работа\nkeywords: работа, работу\ntext: W\n"
	    "example: ищу работу на стройке\n"
	    "example: есть вакансии разнорабочим\n"
	    "example: где найти работу в алматы\n"
	    "example: нужна работа сварщиком срочно\n"
	    "example: можно ли работать без разрешения\n"
	    "example: как устроиться официально на завод\n%s", more);
	put(fx, "work.txt", body);
}

static void
write_set(const struct fx *fx, int with_choose)
{
	put(fx, "menu.txt", HEAD("menu") "[kk]\nkeywords: мәзір\n"
	    "text: {menu}\n[ru]\nkeywords: меню\ntext: {menu}\n");
	put(fx, "unknown.txt", HEAD("unknown")
	    "[kk]\ntext: ?\nexample: сәлем қалайсың\n"
	    "example: ауа райы қандай\n"
	    "[ru]\ntext: ?\nexample: привет как дела\n"
	    "example: какая погода завтра\nexample: продам диван недорого\n"
	    "example: кто выиграл матч вчера\n");
	put(fx, "lang.txt", HEAD("lang") "[kk]\nkeywords: қазақша\ntext: ok\n"
	    "[ru]\nkeywords: русский\ntext: ok\n");
	put(fx, "stop.txt", HEAD("stop") "[kk]\nkeywords: тоқта\ntext: ok\n"
	    "[ru]\nkeywords: стоп\ntext: ok\n");
	put(fx, "more.txt", HEAD("more") "[kk]\nkeywords: тағы\ntext: ...\n"
	    "[ru]\nkeywords: ещё\ntext: ...\n");
	put_fraud(fx, "F");
	put_work(fx, "");
	if (with_choose)
		put(fx, "choose.txt", HEAD("choose")
		    "[kk]\ntext: Не туралы? Санмен:\n"
		    "[ru]\ntext: О чём вы? Цифрой:\n");
}

/* Load the set as its files are now, and learn. */
static void
load_written(struct fx *fx)
{
	struct route_opts o = { 1, 8, 0, 0, 0, NULL, 0 };

	assert_non_null(fx->c = content_load(fx->dir, kkru, 2, NULL, NULL));
	assert_non_null(fx->r = route_new(fx->c, &o, NULL, NULL));
	assert_non_null(route_learner(fx->r));
}

static void
load_set(struct fx *fx, int with_choose)
{
	write_set(fx, with_choose);
	load_written(fx);
}

static int
setup(void **state)
{
	struct fx	*fx;
	char		 path[128];

	assert_non_null(fx = calloc(1, sizeof(*fx)));
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/t_learn.XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(path, sizeof(path), "%s/topics", fx->dir);
	assert_int_equal(mkdir(path, 0700), 0);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*fx = *state;
	struct dirent	*de;
	DIR		*d;
	char		 path[512];

	route_free(fx->r);
	content_free(fx->c);
	snprintf(path, sizeof(path), "%s/topics", fx->dir);
	if ((d = opendir(path)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/topics/%s", fx->dir,
			    de->d_name);
			unlink(path);
		}
		closedir(d);
		snprintf(path, sizeof(path), "%s/topics", fx->dir);
		rmdir(path);
	}
	rmdir(fx->dir);
	free(fx);
	return 0;
}

static void
show(const struct route_result *res)
{
	int	 i;

	print_message("-> %s %s [", res->topic->id,
	    route_match_name(res->match));
	for (i = 0; i < res->ntop; i++)
		print_message(" %s %.3f", res->top[i].topic->id,
		    res->top[i].score);
	print_message(" ]\n");
}

static void
routes(const struct fx *fx, const char *msg, const char *id,
    enum route_match m)
{
	struct route_result res;

	assert_int_equal(route_query(fx->r, msg, -1, &res), 0);
	if (strcmp(res.topic->id, id) != 0 || res.match != m) {
		print_message("\"%s\": ", msg);
		show(&res);
	}
	assert_string_equal(res.topic->id, id);
	assert_int_equal(res.match, m);
}

/*
 * Whole-message keywords still decide; a keyword inside a long message
 * is evidence, and the rest of the message can outweigh it; text never
 * seen is unknown; menu numbers keep their rule.
 */
static void
t_one_score(void **state)
{
	struct fx		*fx = *state;
	struct route_result	 res;

	load_set(fx, 1);
	routes(fx, "работа", "work", ROUTE_EXACT);
	routes(fx, "мошенники", "fraud", ROUTE_EXACT);
	routes(fx, "1", "fraud", ROUTE_MENU);
	routes(fx, "стоп", "stop", ROUTE_EXACT);
	routes(fx, "ищу работу сварщиком", "work", ROUTE_WORD);
	/* "работу" is work's keyword, but the message is about fraud */
	routes(fx, "обещали работу в корее, просят перевести деньги за "
	    "визу заранее", "fraud", ROUTE_LEARNED);
	assert_int_equal(route_query(fx->r, "обещали работу в корее, "
	    "просят перевести деньги за визу заранее", -1, &res), 0);
	assert_non_null(res.hit);
	assert_string_equal(res.hit_topic->id, "work");
	assert_null(res.keyword);
	assert_int_equal(res.ntop, 3);
	assert_string_equal(res.top[0].topic->id, "fraud");
	assert_true(res.top[0].score > res.top[1].score);
	/* no keyword, and nothing like any example */
	routes(fx, "qwzx vbnm plkj", "unknown", ROUTE_NONE);
	/* off-topic, like the unknown topic's examples */
	routes(fx, "привет, какая погода", "unknown", ROUTE_NONE);
	/*
	 * One word, no keyword, the model unsure (0.46 for work): no
	 * guess and no question back on a place name alone.
	 */
	routes(fx, "алматыда", "unknown", ROUTE_NONE);
	/* one letter again and again: noise, even where the model guesses */
	routes(fx, "ииии", "unknown", ROUTE_NONE);
	routes(fx, "ввввв", "unknown", ROUTE_NONE);
}

/*
 * A message like the unknown topic's examples (weather, football, a sale)
 * is not pulled onto a topic by its keyword alone: "работу" is work's
 * keyword, but the question is about the weather (work at 0.59 with the
 * keyword's boost, unknown 0.37, before the rule).  A message like work's
 * examples keeps the boost.
 */
static void
t_offtopic(void **state)
{
	struct fx	*fx = *state;

	load_set(fx, 1);
	routes(fx, "какая погода завтра на работу идти", "unknown",
	    ROUTE_NONE);
	routes(fx, "ищу работу сварщиком", "work", ROUTE_WORD);
}

/* Two topics close: ask back, offering both, best first. */
static void
t_unsure(void **state)
{
	struct fx		*fx = *state;
	struct route_result	 res;
	const char		*msg = "вакансии визу";

	load_set(fx, 1);
	assert_int_equal(route_query(fx->r, msg, -1, &res), 0);
	if (res.match != ROUTE_UNSURE)
		show(&res);
	assert_int_equal(res.match, ROUTE_UNSURE);
	assert_string_equal(res.topic->id, "choose");
	assert_int_equal(res.nchoice, 2);
	assert_true(strcmp(res.choice[0]->id, "work") == 0 ||
	    strcmp(res.choice[0]->id, "fraud") == 0);
	assert_true(strcmp(res.choice[1]->id, "work") == 0 ||
	    strcmp(res.choice[1]->id, "fraud") == 0);
	assert_ptr_not_equal(res.choice[0], res.choice[1]);
	assert_string_equal(route_match_name(res.match), "unsure");
}

/*
 * Less likely than not (under ask, 0.50), but not unsure: asked when two
 * topics can be offered ("вакансии заранее": work 0.47, fraud 0.37; work
 * was answered until the twenty-first session), answered when the only
 * other candidate near it is the unknown topic ("диван на завод": work
 * 0.46, unknown 0.38, fraud 0.16 under the offer), not made "not
 * understood" as a sure of 0.50 would have; over ask, answered.
 */
static void
t_doubt(void **state)
{
	struct fx		*fx = *state;
	struct route_result	 res;

	load_set(fx, 1);
	assert_int_equal(route_query(fx->r, "вакансии заранее", -1, &res), 0);
	if (res.match != ROUTE_UNSURE)
		show(&res);
	assert_true(res.top[0].score >= 0.35 && res.top[0].score < 0.50);
	assert_true(res.top[0].score - res.top[1].score >= 0.06);
	assert_string_equal(res.topic->id, "choose");
	assert_int_equal(res.match, ROUTE_UNSURE);
	assert_int_equal(res.nchoice, 2);
	assert_string_equal(res.choice[0]->id, "work");
	assert_string_equal(res.choice[1]->id, "fraud");
	assert_int_equal(route_query(fx->r, "диван на завод", -1, &res), 0);
	if (res.match != ROUTE_LEARNED)
		show(&res);
	assert_true(res.top[0].score >= 0.35 && res.top[0].score < 0.50);
	assert_string_equal(res.top[1].topic->id, "unknown");
	routes(fx, "диван на завод", "work", ROUTE_LEARNED);
	routes(fx, "визу на стройке", "work", ROUTE_LEARNED);
}

/* The small set, STOP with examples too, loaded. */
static void
load_stop_set(struct fx *fx)
{
	write_set(fx, 1);
	put(fx, "stop.txt", HEAD("stop") "[kk]\nkeywords: тоқта\ntext: ok\n"
	    "example: енді жазбаңыз\n"
	    "[ru]\nkeywords: стоп\ntext: ok\n"
	    "example: больше не пишите мне\n"
	    "example: больше не присылайте ничего\n"
	    "example: не надо больше смс\n");
	load_written(fx);
}

/*
 * A service topic best on its keyword but less likely than not is not
 * a doubt to ask about: the question would offer two other topics to
 * someone who wrote STOP.  It stops, as before the question (ask).
 */
static void
t_doubt_service(void **state)
{
	struct fx		*fx = *state;
	struct route_result	 res;

	load_stop_set(fx);
	assert_int_equal(route_query(fx->r, "стоп визу вакансии", -1, &res),
	    0);
	if (res.nchoice != 0)
		show(&res);
	assert_int_equal(res.ntop, 3);
	assert_string_equal(res.top[0].topic->id, "stop");
	assert_true(res.top[0].score >= 0.35 && res.top[0].score < 0.50);
	assert_true(res.top[0].score - res.top[1].score >= 0.06);
	/* two topics that a question could offer */
	assert_true(res.top[2].score >= 0.40 * res.top[0].score);
	assert_string_equal(res.topic->id, "stop");
	assert_int_equal(res.match, ROUTE_WORD);
	assert_int_equal(res.nchoice, 0);
}

/* Without a "choose" topic the set never asks: the best one answers. */
static void
t_no_choose(void **state)
{
	struct fx		*fx = *state;
	struct route_result	 res;

	load_set(fx, 0);
	assert_int_equal(route_query(fx->r, "вакансии визу", -1,
	    &res), 0);
	assert_int_not_equal(res.match, ROUTE_UNSURE);
	assert_int_equal(res.nchoice, 0);
}

/*
 * The question back is one SMS in the sender's language, the topics
 * numbered by title; the digit that follows picks through the session
 * and is logged as chosen between them; the choice is answered once.
 */
static void
t_ask_and_pick(void **state)
{
	struct fx		*fx = *state;
	struct answer		 a;
	struct answer_opts	 o = { 3, true };
	struct session		 s;
	char			 want[256], first[64], second[64];

	load_set(fx, 1);
	session_clear(&s);
	assert_int_equal(answer_make(&a, fx->c, fx->r, "вакансии визу",
	    &s, &o), 0);
	assert_int_equal(a.route.match, ROUTE_UNSURE);
	snprintf(first, sizeof(first), "%s", a.route.choice[0]->id);
	snprintf(second, sizeof(second), "%s", a.route.choice[1]->id);
	snprintf(want, sizeof(want), "О чём вы? Цифрой:\n1 %s\n2 %s",
	    a.route.choice[0]->text[1].title, a.route.choice[1]->text[1].title);
	assert_string_equal(a.text, want);
	assert_int_equal(a.reply.nparts, 1);
	assert_string_equal(a.lang, "ru");
	snprintf(want, sizeof(want), "unsure:%s,%s", first, second);
	assert_string_equal(answer_match(&a), want);
	snprintf(want, sizeof(want), "?%s,%s", first, second);
	assert_string_equal(s.menu, want);
	answer_release(&a);

	/* "2" picks the second topic offered, not the menu's second */
	assert_int_equal(answer_make(&a, fx->c, fx->r, " 2 ", &s, &o), 0);
	assert_string_equal(a.route.topic->id, second);
	assert_int_equal(a.route.match, ROUTE_MENU);
	snprintf(want, sizeof(want), "chosen:%s,%s", first, second);
	assert_string_equal(answer_match(&a), want);
	assert_string_equal(s.menu, "");
	answer_release(&a);

	/* answered once: now "1" is the root menu's first topic */
	assert_int_equal(answer_make(&a, fx->c, fx->r, "1", &s, &o), 0);
	assert_string_equal(a.route.topic->id, "fraud");
	assert_string_equal(answer_match(&a), "menu");
	answer_release(&a);

	/* a question, then something else: the offer is forgotten */
	assert_int_equal(answer_make(&a, fx->c, fx->r, "вакансии визу",
	    &s, &o), 0);
	answer_release(&a);
	assert_int_equal(s.menu[0], '?');
	assert_int_equal(answer_make(&a, fx->c, fx->r, "мошенники", &s, &o),
	    0);
	answer_release(&a);
	assert_string_equal(s.menu, "");

	/* a digit beyond the offer is not a pick */
	assert_int_equal(answer_make(&a, fx->c, fx->r, "вакансии визу",
	    &s, &o), 0);
	answer_release(&a);
	assert_int_equal(answer_make(&a, fx->c, fx->r, "7", &s, &o), 0);
	assert_string_equal(a.route.topic->id, "unknown");
	assert_string_equal(answer_match(&a), "none");
	answer_release(&a);
}

/* A Latin writer is asked in Latin letters; Kazakh in Kazakh. */
static void
t_ask_scripts(void **state)
{
	struct fx		*fx = *state;
	struct answer		 a;
	struct answer_opts	 o = { 3, true };
	struct session		 s;

	load_set(fx, 1);
	session_clear(&s);
	assert_int_equal(answer_make(&a, fx->c, fx->r, "vakansii vizu",
	    &s, &o), 0);
	assert_int_equal(a.route.match, ROUTE_UNSURE);
	assert_true(a.latin);
	if (strstr(a.text, "O chyom vy? Tsifroy:\n1 ") == NULL)
		print_message("%s\n", a.text);
	assert_non_null(strstr(a.text, "O chyom vy? Tsifroy:\n1 "));
	answer_release(&a);
	session_clear(&s);
	assert_int_equal(answer_make(&a, fx->c, fx->r, "вакансии визу қайда "
	    "бар", &s, &o), 0);
	if (a.route.match != ROUTE_UNSURE)
		show(&a.route);
	assert_int_equal(a.route.match, ROUTE_UNSURE);
	assert_string_equal(a.lang, "kk");
	assert_non_null(strstr(a.text, "Не туралы? Санмен:\n1 "));
	answer_release(&a);
}

/*
 * A short message with a keyword of a special topic the classifier
 * does not know (MORE has no examples) is that topic; in a longer
 * message the word is only evidence.
 */
static void
t_special_short(void **state)
{
	struct fx		*fx = *state;

	load_set(fx, 1);
	routes(fx, "а ещё", "more", ROUTE_WORD);
	routes(fx, "ещё ищу работу на стройке сварщиком", "work",
	    ROUTE_WORD);
}

/*
 * A service topic is not guessed: a STOP forgets the sender's language
 * and menu.  "где больше платят" shares "больше" with STOP's examples
 * and little with any topic's; the model leans to STOP (0.40: an answer
 * before), not surely (route_tune's service, 0.6), so it is not
 * understood.  What STOP's examples say, and its keyword, still stop.
 */
static void
t_service_guess(void **state)
{
	struct fx		*fx = *state;
	struct route_result	 res;

	load_stop_set(fx);
	assert_int_equal(route_query(fx->r, "где больше платят", -1, &res),
	    0);
	show(&res);
	assert_true(res.ntop > 0);
	assert_string_equal(res.top[0].topic->id, "stop");
	assert_true(res.top[0].score > 0.35 && res.top[0].score < 0.6);
	assert_string_equal(res.topic->id, "unknown");
	assert_int_equal(route_query(fx->r, "больше не", -1, &res), 0);
	assert_string_equal(res.topic->id, "stop");
	assert_int_equal(res.match, ROUTE_LEARNED);
	routes(fx, "стоп", "stop", ROUTE_EXACT);
}

/*
 * Unsure, and nothing else to offer but the unknown topic: "как дела на
 * стройке" is small talk that carries work's word; work leads unknown by
 * less than the margin and no other topic comes near.  Not understood,
 * where work answered before; "кто на стройке", well ahead, is work.
 */
static void
t_unknown_close(void **state)
{
	struct fx		*fx = *state;
	struct route_result	 res;

	load_set(fx, 1);
	assert_int_equal(route_query(fx->r, "как дела на стройке", -1, &res),
	    0);
	show(&res);
	assert_int_equal(res.ntop, 3);
	assert_string_equal(res.top[0].topic->id, "work");
	assert_string_equal(res.top[1].topic->id, "unknown");
	assert_true(res.top[0].score - res.top[1].score < 0.06);
	assert_string_equal(res.topic->id, "unknown");
	assert_int_equal(res.nchoice, 0);
	routes(fx, "кто на стройке", "work", ROUTE_LEARNED);
}

/*
 * Help's word is the menu's: "помогите, друг не дышит" is not the menu
 * but the emergency its other words are about (route_menu_aside()):
 * with four words or more and an ordinary topic at a quarter of the
 * menu's score, the menu steps aside.  "помогите пожалуйста" is still
 * the menu.
 */
static void
t_menu_aside(void **state)
{
	struct fx		*fx = *state;
	struct route_result	 res;

	write_set(fx, 1);
	put(fx, "menu.txt", HEAD("menu") "[kk]\nkeywords: мәзір\n"
	    "text: {menu}\nexample: көмек керек\n"
	    "[ru]\nkeywords: меню, помогите\ntext: {menu}\n"
	    "example: помогите пожалуйста\nexample: нужна помощь\n"
	    "example: помогите мне\nexample: что вы можете\n");
	put(fx, "emergency.txt", HEAD("emergency") "menu: 3\n"
	    "[kk]\ntitle: Шұғыл\ntext: 112\nexample: өрт шықты\n"
	    "[ru]\ntitle: Срочно\ntext: 112\n"
	    "example: человек не дышит\nexample: друг упал и не дышит\n"
	    "example: пожар в доме\nexample: его избили, кровь\n");
	load_written(fx);
	/* before: the menu, 0.52 against 0.41 */
	assert_int_equal(route_query(fx->r, "помогите друг не дышит", -1,
	    &res), 0);
	show(&res);
	assert_string_equal(res.topic->id, "emergency");
	assert_int_equal(res.match, ROUTE_LEARNED);
	routes(fx, "помогите пожалуйста", "menu", ROUTE_WORD);
	/* an ordinary topic under a quarter of the menu's: the menu */
	routes(fx, "помогите мне брат упал", "menu", ROUTE_WORD);
}

/*
 * Unsure between fraud and check, with a phone number in the message:
 * the number is what to check, so check answers, no question back.
 * Without a number, or with digits only apart, the question stays.
 */
static void
t_number_check(void **state)
{
	struct fx		*fx = *state;
	struct route_result	 res;

	write_set(fx, 1);
	put(fx, "check.txt", HEAD("check") "menu: 3\n"
	    "[kk]\ntitle: Тексеру\nkeywords: тексеру\ntext: C\n"
	    "example: мына агенттік рас па\n"
	    "[ru]\ntitle: Проверка\nkeywords: проверка\ntext: C\n"
	    "example: это агентство настоящее или нет\n"
	    "example: можно доверять этой фирме\n"
	    "example: чей это номер звонят с него\n"
	    "example: правда ли что это агентство с лицензией\n");
	put(fx, "check-reported.txt", HEAD("check-reported")
	    "[kk]\ntext: R\n[ru]\ntext: R\n");
	put(fx, "check-licensed.txt", HEAD("check-licensed")
	    "[kk]\ntext: L\n[ru]\ntext: L\n");
	put(fx, "check-similar.txt", HEAD("check-similar")
	    "[kk]\ntext: S\n[ru]\ntext: S\n");
	put(fx, "check-unknown.txt", HEAD("check-unknown")
	    "[kk]\ntext: U\n[ru]\ntext: U\n");
	load_written(fx);
	assert_int_equal(route_query(fx->r, "просят деньги за визу это "
	    "агентство настоящее", -1, &res), 0);
	show(&res);
	assert_string_equal(res.topic->id, "choose");
	assert_int_equal(res.match, ROUTE_UNSURE);
	assert_int_equal(route_query(fx->r, "просят с 8 702 555 33 44 деньги "
	    "за визу это агентство настоящее", -1, &res), 0);
	show(&res);
	assert_string_equal(res.topic->id, "check");
	assert_int_equal(res.match, ROUTE_LEARNED);
	/* a digit or two are no phone number */
	assert_int_equal(route_query(fx->r, "2 раза просят деньги за визу "
	    "это агентство настоящее", -1, &res), 0);
	assert_string_equal(res.topic->id, "choose");
	/*
	 * nor are eleven digits apart: years, a sum ("за 2 визы" before the
	 * square-root counts, which made that message check's outright)
	 */
	assert_int_equal(route_query(fx->r, "просят деньги за визу 2026 2025 "
	    "это агентство 500 настоящее", -1, &res), 0);
	show(&res);
	assert_string_equal(res.topic->id, "choose");
}

/*
 * A topic's keyword is evidence for its sub-topics too: "паспорт" of
 * the passport topic does not pull a lost passport away from
 * passport-lost, whose examples the message resembles.
 */
static void
t_family(void **state)
{
	struct fx		*fx = *state;
	struct route_result	 res;

	write_set(fx, 1);
	put(fx, "passport.txt", HEAD("passport") "menu: 3\n"
	    "[kk]\ntitle: Т\nkeywords: төлқұжат\ntext: P\n{menu}\n"
	    "example: төлқұжатымды бастық алып қойды\n"
	    "[ru]\ntitle: Паспорт\nkeywords: паспорт\ntext: P\n{menu}\n"
	    "example: хозяин забрал паспорт и не отдаёт\n"
	    "example: паспорт у бригадира уже месяц\n"
	    "example: работодатель держит паспорт в сейфе\n"
	    "example: паспорт отобрали на работе\n");
	put(fx, "passport-lost.txt", HEAD("passport-lost") "parent: passport\n"
	    "menu: 1\n"
	    "[kk]\ntitle: Ж\ntext: L\n"
	    "example: төлқұжатым жоғалды\n"
	    "[ru]\ntitle: Потерян\ntext: L\n"
	    "example: потерял паспорт\n"
	    "example: потерял документы в автобусе\n"
	    "example: потерял сумку с паспортом\n"
	    "example: где то потерял паспорт вчера\n"
	    "example: потерял все документы\n");
	load_written(fx);
	routes(fx, "потерял сумку с документами в автобусе", "passport-lost",
	    ROUTE_LEARNED);
	routes(fx, "паспорт забрал бригадир", "passport", ROUTE_WORD);
	/*
	 * Close between a topic and its sub-topic, the sub-topic the
	 * likelier: the parent answers, no question back (its reply lists
	 * the sub-topic; the sub-topic's, if wrong, would not fit).
	 */
	assert_int_equal(route_query(fx->r, "мой паспорт потерян", -1,
	    &res), 0);
	show(&res);
	assert_true(res.ntop >= 2);
	assert_true(res.top[0].score - res.top[1].score < 0.06);
	assert_string_equal(res.top[0].topic->id, "passport-lost");
	assert_string_equal(res.top[1].topic->id, "passport");
	assert_string_equal(res.topic->id, "passport");
	assert_int_equal(res.match, ROUTE_WORD);	/* its keyword */
}

/*
 * A health topic (keywords дәрі, врач) with the [kk] examples kk and,
 * after three Russian ones, the [ru] examples ru ("example: ...\n"
 * lines).
 */
static void
put_health(const struct fx *fx, const char *kk, const char *ru)
{
	char	 body[2048];

	snprintf(body, sizeof(body), HEAD("health") "menu: 3\n"
	    "[kk]\ntitle: Д\nkeywords: дәрі\ntext: H\n%s"
	    "[ru]\ntitle: Здоровье\nkeywords: врач\ntext: H\n"
	    "example: заболел нужен врач\n"
	    "example: болит живот где больница\n"
	    "example: температура высокая что делать\n%s", kk, ru);
	put(fx, "health.txt", body);
}

/*
 * A keyword matched only within the typo bound ("дали", one letter from
 * the Kazakh "дәрі") that the message outweighed says nothing of the
 * language: a Russian message is answered in Russian.
 */
static void
t_fuzzy_lang(void **state)
{
	struct fx		*fx = *state;
	struct route_result	 res;

	write_set(fx, 1);
	put_health(fx, "example: ауырып жатырмын дәрігер керек\n", "");
	load_written(fx);
	assert_int_equal(route_query(fx->r, "есть вакансии на стройке "
	    "мне не дали", -1, &res), 0);
	show(&res);
	assert_non_null(res.hit);
	assert_int_equal(res.hit_match, ROUTE_FUZZY);
	assert_string_equal(res.hit_topic->id, "health");
	assert_string_equal(res.topic->id, "work");
	assert_int_equal(res.lang, 1);		/* ru, not kk by дәрі */
}

/*
 * Kazakh typed in Latin letters, no Kazakh letter, no common word, no
 * keyword: the examples' language model answers in Kazakh (the letters
 * and word tables left it to the default, Russian), and so it does when
 * it leans to Kazakh without being sure.  A Russian message keeps a
 * Kazakh session, as before the model.
 */
static void
t_speech(void **state)
{
	struct fx		*fx = *state;
	struct route_result	 res;

	write_set(fx, 1);
	put_health(fx, "example: basym auyryp tur dariger kerek\n"
	    "example: ishim qatty auyrady emhana qaida\n"
	    "example: balam auyryp qaldy qyzuy kop\n"
	    "example: tisim auyryp tur tungi uaqytta\n",
	    "example: голова болит сильно\n");
	load_written(fx);
	assert_int_equal(route_query(fx->r, "basym qatty auyryp tur", -1,
	    &res), 0);
	show(&res);
	assert_string_equal(res.topic->id, "health");
	assert_int_equal(res.lang, 0);		/* kk */
	assert_int_equal(res.why, ROUTE_BY_EXAMPLES);
	assert_int_equal(route_query(fx->r, "голова болит сильно", -1,
	    &res), 0);
	assert_int_equal(res.lang, 1);		/* ru */
	assert_int_equal(route_query(fx->r, "голова болит сильно", 0,
	    &res), 0);
	assert_int_equal(res.lang, 0);		/* the kk session kept */
	/*
	 * Below speaks, but nothing else names a language: the model's
	 * leaning answers, not the default (Russian before).
	 */
	assert_int_equal(route_query(fx->r, "kop auyrady", -1, &res), 0);
	assert_int_equal(res.lang, 0);		/* kk */
	assert_int_equal(res.why, ROUTE_BY_EXAMPLES);
}

/* Topic id, its menu number, four [kk] examples and nothing else. */
static void
put_kk_examples(const struct fx *fx, const char *id, int menu,
    const char *const ex[4])
{
	char	 body[2048], name[64];

	snprintf(body, sizeof(body), "id: %s\nverified: 2026-11-26\n"
	    "source: test\nmenu: %d\n[kk]\ntitle: %c\ntext: %c\n"
	    "example: %s\nexample: %s\nexample: %s\nexample: %s\n"
	    "[ru]\ntitle: %c\ntext: %c\n", id, menu, id[0], id[0], ex[0],
	    ex[1], ex[2], ex[3], id[0], id[0]);
	snprintf(name, sizeof(name), "%s.txt", id);
	put(fx, name, body);
}

/*
 * Folding makes one text of Latin and Cyrillic ("basym auyryp tur",
 * "басым ауырып тур"); the script the sender typed in still speaks
 * (route_learn_text()): two topics whose examples differ in nothing
 * else are told apart.  Before the script's word, both messages got the
 * same scores.
 */
static void
t_script(void **state)
{
	static const char *const lat[] = {
		"basym auyryp tur", "bala auyryp tur dariger kerek",
		"kop auyrady bugin", "emdeu kerek tez",
	};
	static const char *const cyr[] = {
		"басым ауырып тур", "бала ауырып тур даригер керек",
		"коп ауырады бугин", "емдеу керек тез",
	};
	struct fx		*fx = *state;
	struct route_result	 a, b;
	char			 fa[ROUTE_LEARN_TEXT], fb[ROUTE_LEARN_TEXT];
	size_t			 i;

	for (i = 0; i < sizeof(lat) / sizeof(lat[0]); i++) {
		text_fold(fa, sizeof(fa), lat[i]);
		text_fold(fb, sizeof(fb), cyr[i]);
		assert_string_equal(fa, fb);
		route_learn_text(fa, sizeof(fa), lat[i]);
		route_learn_text(fb, sizeof(fb), cyr[i]);
		assert_string_not_equal(fa, fb);
	}
	write_set(fx, 1);
	put_kk_examples(fx, "health", 3, lat);
	put_kk_examples(fx, "salary", 4, cyr);
	load_written(fx);
	assert_int_equal(route_query(fx->r, "auyryp tur bugin", -1, &a), 0);
	show(&a);
	assert_int_equal(route_query(fx->r, "ауырып тур бугин", -1, &b), 0);
	show(&b);
	assert_string_equal(a.folded, b.folded);
	assert_string_equal(a.top[0].topic->id, "health");
	assert_string_equal(b.top[0].topic->id, "salary");
}

/*
 * The small set's classifier and language model trained in one process
 * and in two route every message the same, to the last bit of every
 * score and of the classifier's every probability.
 */
#define NTOPICS		8	/* of write_set(fx, 1) */
static void
t_route_jobs(void **state)
{
	static const char *const msgs[] = {
		"ищу работу на стройке", "просят деньги за визу",
		"жұмыс іздеп жүрмін", "ақша аударыңыз деді",
		"привет как дела", "сәлем", "продам диван",
		"агентство не отвечает, работа где", "виза корея работа",
		"kop auyrady", "rabota", "мошенники", "1", "2",
		"нужна работа сварщиком, перевёл деньги посреднику",
		"ауа райы қандай ертең", "кто выиграл матч",
	};
	static const int faults[] = { 0, LEARN_FAULT_EXIT, LEARN_FAULT_SHORT,
		LEARN_FAULT_BAD, LEARN_FAULT_KILL, 0, 0, LEARN_FAULT_EXIT,
		LEARN_FAULT_KILL, LEARN_FAULT_APART_EXIT,
		LEARN_FAULT_APART_SHORT, LEARN_FAULT_APART_BAD,
		LEARN_FAULT_APART_KILL,
	};
	struct fx	*fx = *state;
	struct route_opts o = { 1, 8, 1, 0, 0, NULL, 0 };
	struct route	*two;
	struct route_result a, b;
	float		 pa[NTOPICS], pb[NTOPICS], ka, kb;
	size_t		 i, f;
	int		 j, fault;

	write_set(fx, 1);
	assert_non_null(fx->c = content_load(fx->dir, kkru, 2, NULL, NULL));
	assert_non_null(fx->r = route_new(fx->c, &o, NULL, NULL));
	o.learn_jobs = 2;
	assert_true(signal(SIGCHLD, SIG_DFL) != SIG_ERR);
	/*
	 * and when the second process fails: route.c learns again alone;
	 * then learned apart (habard's way), split or not, and when that
	 * process fails, or its split does: route.c learns here
	 */
	for (f = 0; f < sizeof(faults) / sizeof(faults[0]); f++) {
		fault = faults[f];
		o.learn_apart = f >= 5;
		o.learn_jobs = f == 5 ? 1 : 2;
		o.learn_fault = fault;
		assert_non_null(two = route_new(fx->c, &o, NULL, NULL));
		assert_true((route_learn_peak(two) > 0) ==
		    (o.learn_apart && fault < LEARN_FAULT_EXIT));
		assert_int_equal(learn_labels(route_learner(two)), NTOPICS);
		for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
			assert_int_equal(route_query(fx->r, msgs[i], -1, &a),
			    0);
			assert_int_equal(route_query(two, msgs[i], -1, &b), 0);
			ka = learn_predict(route_learner(fx->r), a.folded, pa);
			kb = learn_predict(route_learner(two), b.folded, pb);
			assert_memory_equal(&ka, &kb, sizeof(ka));
			assert_memory_equal(pa, pb, sizeof(pa));
			assert_ptr_equal(a.topic, b.topic);
			assert_int_equal(a.lang, b.lang);
			assert_int_equal(a.match, b.match);
			assert_int_equal(a.why, b.why);
			assert_int_equal(a.ntop, b.ntop);
			assert_int_equal(a.nchoice, b.nchoice);
			for (j = 0; j < a.ntop; j++) {
				assert_ptr_equal(a.top[j].topic,
				    b.top[j].topic);
				assert_memory_equal(&a.top[j].score,
				    &b.top[j].score, sizeof(a.top[j].score));
			}
		}
		route_free(two);
	}
}

/* Whether no child of this process is left, running or unreaped. */
static int
no_child(void)
{
	return waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD;
}

/* learn_apart_start() of both labellings, with fault and wait. */
static struct learn_apart *
later_start(struct apart_arg *a, int *label, int *group, int fault,
    int wait)
{
	struct learn_opts o[2];
	struct learn_job job[2];
	struct learn_apart *ap;
	char		 why[128];

	memset(label, 0xff, MANY_N * sizeof(*label));
	memset(group, 0xff, MANY_N * sizeof(*group));
	a->label = label;
	a->group = group;
	a->fail = 0;
	both_jobs(job, o, group);
	job[0].labels = label;
	o[0].jobs = 2;
	o[0].fault = fault;
	o[0].spend = 1;
	o[0].wait = wait;
	if ((ap = learn_apart_start(apart_make, a, job, 2, why,
	    sizeof(why))) == NULL)
		fail_msg("learn_apart_start: %s", why);
	return ap;
}

/*
 * Learning apart in two steps (habard's reload, serving meanwhile):
 * learn_apart_start() returns at once; the pipe turns readable when that
 * process is done, and learn_apart_finish() gives the very models
 * learn_train_apart() gives.  One that hangs: its pipe stays quiet and
 * it is not due, then due once its wait has run out, and finishing kills
 * it and says so.  One let go of is killed and reaped at once.
 */
static void
t_apart_later(void **state)
{
	struct learn	*ref[2], *m[2];
	struct apart_arg a;
	struct learn_apart *ap;
	struct pollfd	 pfd;
	char		 why[128];
	int		 label[MANY_N], group[MANY_N], i;
	long		 peak;

	(void)state;
	both_refs(ref);
	assert_true(signal(SIGCHLD, SIG_DFL) != SIG_ERR);
	ap = later_start(&a, label, group, 0, 0);
	pfd.fd = learn_apart_fd(ap);
	pfd.events = POLLIN;
	assert_int_equal(poll(&pfd, 1, 60000), 1);
	assert_false(learn_apart_due(ap));
	assert_int_equal(learn_apart_finish(ap, m, &peak, why, sizeof(why)),
	    2);
	assert_true(peak > 0);
	assert_true(many_same(ref[0], m[0]) && many_same(ref[1], m[1]));
	learn_free(m[0]);
	learn_free(m[1]);
	assert_true(no_child());
	/* hung: given 1 s */
	ap = later_start(&a, label, group, LEARN_FAULT_APART_HANG, 1);
	pfd.fd = learn_apart_fd(ap);
	assert_int_equal(poll(&pfd, 1, 0), 0);
	assert_false(learn_apart_due(ap));
	for (i = 0; i < 50 && !learn_apart_due(ap); i++)
		(void)poll(NULL, 0, 100);
	assert_true(learn_apart_due(ap));
	assert_int_equal(poll(&pfd, 1, 0), 0);
	assert_int_equal(learn_apart_finish(ap, m, &peak, why, sizeof(why)),
	    0);
	assert_null(m[0]);
	assert_null(m[1]);
	assert_non_null(strstr(why, "killed"));
	assert_true(no_child());
	/* let go of while it learns, or hangs */
	ap = later_start(&a, label, group, 0, 0);
	learn_apart_cancel(ap);
	assert_true(no_child());
	ap = later_start(&a, label, group, LEARN_FAULT_APART_HANG, 0);
	learn_apart_cancel(ap);
	assert_true(no_child());
	learn_apart_cancel(NULL);
	learn_free(ref[0]);
	learn_free(ref[1]);
}

/* route_query() of a and b give the same topic and the same scores. */
static void
same_routing(const struct route *a, const struct route *b)
{
	static const char *const msgs[] = {
		"обещали визу, перевёл деньги и пропали",
		"ищу работу на складе", "ауа райы қандай",
		"жұмыс бар ма", "привет", "что-то совсем другое",
	};
	struct route_result x, y;
	size_t		 i;
	int		 j;

	for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		assert_int_equal(route_query(a, msgs[i], -1, &x), 0);
		assert_int_equal(route_query(b, msgs[i], -1, &y), 0);
		assert_string_equal(x.topic->id, y.topic->id);
		assert_int_equal(x.lang, y.lang);
		assert_int_equal(x.ntop, y.ntop);
		for (j = 0; j < x.ntop; j++) {
			assert_string_equal(x.top[j].topic->id,
			    y.top[j].topic->id);
			assert_memory_equal(&x.top[j].score, &y.top[j].score,
			    sizeof(x.top[j].score));
		}
	}
}

/*
 * A reload whose keywords and examples are those the live router
 * learned from keeps its classifier (route_opts' reuse): the copy routes
 * as the original, outlives it, and serves the new replies; one example
 * more, or one topic more, is learned again, as without reuse.
 */
static void
t_kept(void **state)
{
	struct fx		*fx = *state;
	struct route_opts	 o = { 1, 8, 0, 0, 0, NULL, 0 };
	struct content		*c2, *c3, *c4;
	struct route		*r2, *r3, *r4, *fresh;
	struct route_result	 res;

	load_set(fx, 1);
	assert_int_equal(route_learn_kept(fx->r), 0);
	/* the same files */
	assert_non_null(c2 = content_load(fx->dir, kkru, 2, NULL, NULL));
	o.reuse = fx->r;
	assert_non_null(r2 = route_new(c2, &o, NULL, NULL));
	assert_int_equal(route_learn_kept(r2), 1);
	same_routing(fx->r, r2);
	/* a reply edited: kept, and the router kept from may go */
	put_fraud(fx, "F2");
	assert_non_null(c3 = content_load(fx->dir, kkru, 2, NULL, NULL));
	o.reuse = r2;
	assert_non_null(r3 = route_new(c3, &o, NULL, NULL));
	assert_int_equal(route_learn_kept(r3), 1);
	route_free(r2);
	content_free(c2);
	same_routing(fx->r, r3);
	assert_int_equal(route_query(r3, "мошенники", -1, &res), 0);
	assert_string_equal(res.topic->id, "fraud");
	assert_string_equal(res.topic->text[1].text, "F2");
	/* one example more: learned again, as a load without reuse */
	put_work(fx, "example: ищу подработку грузчиком на складе\n");
	assert_non_null(c4 = content_load(fx->dir, kkru, 2, NULL, NULL));
	o.reuse = r3;
	assert_non_null(r4 = route_new(c4, &o, NULL, NULL));
	assert_int_equal(route_learn_kept(r4), 0);
	o.reuse = NULL;
	assert_non_null(fresh = route_new(c4, &o, NULL, NULL));
	same_routing(r4, fresh);
	route_free(fresh);
	route_free(r4);
	route_free(r3);
	content_free(c3);
	content_free(c4);
	/* a topic more, without examples: the classes differ */
	put(fx, "health.txt", HEAD("health") "menu: 3\n"
	    "[kk]\ntitle: Денсаулық\nkeywords: дәрігер\ntext: H\n"
	    "[ru]\ntitle: Здоровье\nkeywords: врач\ntext: H\n");
	assert_non_null(c3 = content_load(fx->dir, kkru, 2, NULL, NULL));
	o.reuse = fx->r;
	assert_non_null(r3 = route_new(c3, &o, NULL, NULL));
	assert_int_equal(route_learn_kept(r3), 0);
	route_free(r3);
	content_free(c3);
}

/* What a router reported: its errors, and the last one's message. */
struct said {
	int	 errors;
	char	 msg[512];
};

static void
say(void *arg, enum editfile_severity sev, const char *file, int line,
    const char *msg)
{
	struct said *s = arg;

	(void)file;
	(void)line;
	if (sev == EDITFILE_ERROR) {
		s->errors++;
		snprintf(s->msg, sizeof(s->msg), "%s", msg);
	}
}

/* A router made with o learns at once: nothing pending, as fx's routes. */
static void
learns_at_once(struct fx *fx, const struct route_opts *o)
{
	struct route	*r;

	assert_non_null(r = route_new(fx->c, o, NULL, NULL));
	assert_int_equal(route_pending(r), -1);
	same_routing(fx->r, r);
	route_free(r);
}

/*
 * A router made with learn_later (habard's reload) comes back while its
 * classifier is learned apart: it has a descriptor to wait on, and once
 * route_finish() has taken the models it routes as one learned at once.
 * Nothing is ever learned here: when that process fails, route_finish()
 * says why and fails (habard keeps its live set; before the eighteenth
 * session it learned in habard's process, which stopped it answering);
 * when it cannot start, route_new() fails.  A router freed while it
 * learns kills that process.  Without learning apart nothing is ever
 * pending.
 */
static void
t_later(void **state)
{
	struct fx		*fx = *state;
	struct route_opts	 o = { 1, 8, 0, 0, 0, NULL, 0 };
	struct route		*r;
	struct pollfd		 pfd;
	struct said		 said;
	int			 f;

	load_set(fx, 1);
	assert_int_equal(route_pending(fx->r), -1);
	assert_true(signal(SIGCHLD, SIG_DFL) != SIG_ERR);
	o.learn_apart = 1;
	o.learn_later = 1;
	for (f = 0; f < 2; f++) {
		o.learn_fault = f == 0 ? 0 : LEARN_FAULT_APART_EXIT;
		memset(&said, 0, sizeof(said));
		assert_non_null(r = route_new(fx->c, &o, say, &said));
		assert_null(route_learner(r));
		assert_true((pfd.fd = route_pending(r)) >= 0);
		pfd.events = POLLIN;
		assert_int_equal(poll(&pfd, 1, 60000), 1);
		assert_false(route_pending_due(r));
		assert_int_equal(route_finish(r, say, &said), f == 0 ? 0 : -1);
		assert_int_equal(route_pending(r), -1);
		assert_true((route_learn_peak(r) > 0) == (f == 0));
		if (f == 0) {
			assert_int_equal(said.errors, 0);
			same_routing(fx->r, r);
			assert_int_equal(route_finish(r, say, &said), 0);
		} else {
			/* nothing learned here: it says why, once */
			assert_int_equal(said.errors, 1);
			assert_non_null(strstr(said.msg, "learning apart "
			    "failed"));
			assert_non_null(strstr(said.msg, "nothing learned"));
			assert_null(route_learner(r));
		}
		route_free(r);
		assert_true(no_child());
	}
	/* no process to learn in: no router, and why */
	o.learn_fault = LEARN_FAULT_APART_NOFORK;
	memset(&said, 0, sizeof(said));
	assert_null(route_new(fx->c, &o, say, &said));
	assert_int_equal(said.errors, 1);
	assert_non_null(strstr(said.msg, "cannot fork to learn apart"));
	assert_true(no_child());
	/* learning at once, a process that cannot start: learned here */
	o.learn_later = 0;
	learns_at_once(fx, &o);
	o.learn_later = 1;
	o.learn_fault = 0;
	assert_non_null(r = route_new(fx->c, &o, NULL, NULL));
	assert_true(route_pending(r) >= 0);
	route_free(r);
	assert_true(no_child());
	o.learn_apart = 0;
	learns_at_once(fx, &o);
}

/* A set without examples has no classifier: keywords alone route. */
static void
t_keywords_alone(void **state)
{
	struct fx		*fx = *state;
	struct route_opts	 o = { 1, 8, 0, 0, 0, NULL, 0 };
	struct route_result	 res;

	put(fx, "menu.txt", HEAD("menu") "[kk]\ntext: {menu}\n"
	    "[ru]\ntext: {menu}\n");
	put(fx, "unknown.txt", HEAD("unknown") "[kk]\ntext: ?\n"
	    "[ru]\ntext: ?\n");
	put(fx, "lang.txt", HEAD("lang") "[kk]\nkeywords: қазақша\ntext: ok\n"
	    "[ru]\nkeywords: русский\ntext: ok\n");
	put(fx, "stop.txt", HEAD("stop") "[kk]\ntext: ok\n[ru]\nkeywords: "
	    "стоп\ntext: ok\n");
	put(fx, "more.txt", HEAD("more") "[kk]\ntext: ...\n[ru]\ntext: ...\n");
	put(fx, "work.txt", HEAD("work") "menu: 1\n[kk]\ntitle: Ж\n"
	    "keywords: жұмыс\ntext: W\n[ru]\ntitle: Р\nkeywords: работа\n"
	    "text: W\n");
	assert_non_null(fx->c = content_load(fx->dir, kkru, 2, NULL, NULL));
	assert_non_null(fx->r = route_new(fx->c, &o, NULL, NULL));
	assert_null(route_learner(fx->r));
	assert_int_equal(route_query(fx->r, "нужна работа", -1, &res), 0);
	assert_string_equal(res.topic->id, "work");
	assert_int_equal(res.match, ROUTE_WORD);
	assert_int_equal(res.ntop, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_train_predict),
		cmocka_unit_test(t_deterministic),
		cmocka_unit_test(t_idf),
		cmocka_unit_test(t_refusals),
		cmocka_unit_test(t_two_processes),
		cmocka_unit_test(t_sigchld_ignored),
		cmocka_unit_test(t_two_labellings),
		cmocka_unit_test(t_apart),
		cmocka_unit_test(t_all_refusals),
		cmocka_unit_test(t_spend),
		cmocka_unit_test(t_spend_fail),
		cmocka_unit_test_setup_teardown(t_one_score, setup, teardown),
		cmocka_unit_test_setup_teardown(t_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(t_offtopic, setup, teardown),
		cmocka_unit_test_setup_teardown(t_unsure, setup, teardown),
		cmocka_unit_test_setup_teardown(t_doubt, setup, teardown),
		cmocka_unit_test_setup_teardown(t_doubt_service, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(t_no_choose, setup, teardown),
		cmocka_unit_test_setup_teardown(t_ask_and_pick, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(t_ask_scripts, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(t_keywords_alone, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(t_special_short, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(t_service_guess, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(t_menu_aside, setup, teardown),
		cmocka_unit_test_setup_teardown(t_unknown_close, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(t_family, setup, teardown),
		cmocka_unit_test_setup_teardown(t_number_check, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(t_speech, setup, teardown),
		cmocka_unit_test_setup_teardown(t_fuzzy_lang, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(t_script, setup, teardown),
		cmocka_unit_test(t_apart_later),
		cmocka_unit_test_setup_teardown(t_later, setup, teardown),
		cmocka_unit_test_setup_teardown(t_route_jobs, setup,
		    teardown),
	};

	log_init(1, LOG_LEVEL_WARN, NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
