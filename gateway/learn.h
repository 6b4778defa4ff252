/*
 * learn.h - a text classifier learned from the content: features of the
 * folded text (text_fold: character n-grams inside words and words,
 * hashed, each weighed by how rare it is among the samples),
 * L2-regularised logistic regression trained by liblinear, one class a
 * label.  The model lives in memory only, kept compactly (the weights of
 * the features seen in training, small ones dropped); prediction reads
 * it only, so threads may share it.
 * The only module that includes <linear.h>.
 */
#ifndef HABAR_LEARN_H
#define HABAR_LEARN_H

#include <stddef.h>

#define LEARN_BITS	17		/* hashed feature space: 2^17 */

/*
 * jobs: 0 trains the classes in two processes when there are
 * LEARN_FORK_MIN (4) or more, of all the labellings trained together
 * (learn_train_all()), and more than one CPU online; 1 in this one; 2
 * in two whenever there are two classes.  The model is the same byte
 * for byte whichever trains it: a second process forked once takes
 * classes from the last while this one takes them from the first, and
 * sends their weights back down a pipe; if it fails in any way this one
 * trains them itself.  fault is for tests only: it makes the second
 * process fail (LEARN_FAULT_*; 0 never).
 */
struct learn_opts {
	double	 c;		/* inverse regularisation; 0: the default */
	double	 eps;		/* solver's stopping tolerance; 0: default */
	double	 prune;		/* smaller weights not kept; 0: 0.05 */
	int	 jobs;		/* processes that train; 0: as above */
	int	 spend;		/* 1: learn_train_all() spends the samples */
	int	 fault;		/* tests: LEARN_FAULT_*, or 0 */
	int	 wait;		/* learn_train_apart(): seconds at most;
				   0: LEARN_APART_WAIT */
};

/* How long learn_train_apart() waits for its process: far beyond any
   real content (the shipped one learns in under a second). */
#define LEARN_APART_WAIT	300

#define LEARN_FAULT_EXIT	1	/* exits 1 before training */
#define LEARN_FAULT_SHORT	2	/* sends half of its weights, exits 0 */
#define LEARN_FAULT_BAD		3	/* sends a bucket out of range */
#define LEARN_FAULT_KILL	4	/* is killed once it has sent all */
#define LEARN_FAULT_SKEW	5	/* sends a bias off by 1: a model that
					   differs shows its weights were used */
/* ... and, for learn_train_apart(), the process that learns apart: */
#define LEARN_FAULT_APART_EXIT	6	/* exits 1 before it makes samples */
#define LEARN_FAULT_APART_SHORT	7	/* sends half of its models, exits 0 */
#define LEARN_FAULT_APART_BAD	8	/* sends a class out of range */
#define LEARN_FAULT_APART_KILL	9	/* is killed once it has sent all */
#define LEARN_FAULT_APART_HANG	10	/* never sends, never ends */
#define LEARN_FAULT_APART_NOFORK 11	/* is never forked (EAGAIN) */

struct learn;

/*
 * Train on n samples: texts[i] (already folded, text_fold) of class
 * labels[i], 0 <= labels[i] < nlabels.  Labels without samples are
 * never predicted.  Returns the model, or NULL with why (memory, fewer
 * than two classes, the solver refusing).  Deterministic: the same
 * samples give the same model.  It may fork() once (jobs, above) and
 * waits for that child before it returns; the child calls nothing but
 * the solver, write() and _exit().
 */
struct learn	*learn_train(const char *const *texts, const int *labels,
		    size_t n, int nlabels, const struct learn_opts *,
		    char *why, size_t whysz)
		    __attribute__((warn_unused_result));

/*
 * The same in two steps, so that one set of samples can be learned
 * under several labellings (topics, languages) and turned into
 * features once: learn_samples() of n folded texts (NULL out of
 * memory), then learn_train_on() with labels[0..n-1] as learn_train()
 * (it overwrites the samples' liblinear targets, nothing else), or
 * learn_train_all().  Free with learn_samples_free() (NULL is fine).
 */
struct learn_samples;
struct learn_samples *learn_samples(const char *const *texts, size_t n)
		    __attribute__((warn_unused_result));
struct learn	*learn_train_on(struct learn_samples *, const int *labels,
		    int nlabels, const struct learn_opts *, char *why,
		    size_t whysz) __attribute__((warn_unused_result));

/* One labelling of the samples: labels[0..n-1], as learn_train()'s. */
struct learn_job {
	const int	*labels;
	int		 nlabels;
	const struct learn_opts *opts;	/* NULL: the defaults */
};

/*
 * Train njobs labellings of the same samples at once, jobs[j]'s model
 * into out[j]: each the very model learn_train_on() gives, in one
 * fork() for all (the processes, spend and fault are jobs[0].opts', the
 * other jobs' c, eps and prune their own).  Returns njobs; or the index
 * of the first labelling that could not be trained, with why, and every
 * out[j] NULL.  With spend, the samples' features are let go as soon as
 * this process needs them no more: alone, once every class is trained,
 * before the models are built from the kept weights; with a second
 * process, once this one's classes are trained, before it takes the
 * second's weights (the peak of a reload is then the lower by them).
 * Should the second process then fail, the classes it had are trained
 * by nobody: the call fails, the samples spent, and the caller builds
 * them again and trains in one process (learn_samples_spent()).  After
 * such a call the caller only frees the samples: training on spent
 * samples fails with why.
 */
size_t		 learn_train_all(struct learn_samples *,
		    const struct learn_job *jobs, size_t njobs,
		    struct learn **out, char *why, size_t whysz)
		    __attribute__((warn_unused_result));

/*
 * Make the samples and train njobs labellings of them as
 * learn_train_all() does, in a process of its own, forked here: there
 * make(arg) makes the samples (filling the jobs' labels as it goes: they
 * are that process's copies), and the models come back down a pipe.
 * This process never holds the samples' features nor the solver's
 * arrays, only the models: a long-lived caller's peak and heap are the
 * models', whatever it learns from, and a learning that dies (out of
 * memory, a signal) leaves the caller as it was.  Returns njobs, with
 * out[] the very models learn_train_all() gives (byte for byte, tested)
 * and *peak_kb that process's peak resident size (its ru_maxrss, pages
 * shared with this one included; 0 if unknown); or 0 with why and every
 * out[j] NULL when the process could not start, failed, or sent
 * anything amiss (checked as it comes in), or had not sent all after
 * jobs[0].opts' wait seconds (then it is killed): the caller learns here
 * (learn_train_all()), which says why if the samples are at fault.
 * jobs[0].opts' fault LEARN_FAULT_APART_* is that process's; any other
 * is passed on to its learn_train_all().  make runs after fork() in a
 * process that may have had threads: it must call nothing but
 * computation and malloc() (glibc's fork() leaves malloc usable).
 */
typedef struct learn_samples *learn_make_fn(void *arg);
size_t		 learn_train_apart(learn_make_fn *make, void *arg,
		    const struct learn_job *jobs, size_t njobs,
		    struct learn **out, long *peak_kb, char *why,
		    size_t whysz) __attribute__((warn_unused_result));

/*
 * learn_train_apart() in two steps, for a caller that goes on with its
 * own work while the other process learns (habard, serving messages).
 * learn_apart_start() forks it and returns at once: NULL with why when
 * it could not start.  learn_apart_fd() is the pipe its models come down
 * (poll it for POLLIN: readable once that process is done or dead);
 * learn_apart_due(), whether its wait has run out.  Then
 * learn_apart_finish() reads them, as learn_train_apart() does (waiting
 * no later than the deadline, then killing it), reaps it and frees a;
 * learn_apart_cancel() kills and reaps it and frees a (NULL is fine).
 * jobs need not outlive learn_apart_start().
 */
struct learn_apart;
struct learn_apart *learn_apart_start(learn_make_fn *make, void *arg,
		    const struct learn_job *jobs, size_t njobs, char *why,
		    size_t whysz) __attribute__((warn_unused_result));
int		 learn_apart_fd(const struct learn_apart *);
int		 learn_apart_due(const struct learn_apart *);
size_t		 learn_apart_finish(struct learn_apart *, struct learn **out,
		    long *peak_kb, char *why, size_t whysz)
		    __attribute__((warn_unused_result));
void		 learn_apart_cancel(struct learn_apart *);

/* Whether a training with spend let go of the samples' features. */
int		 learn_samples_spent(const struct learn_samples *);
void		 learn_samples_free(struct learn_samples *);

/*
 * The probability of each label for a folded text into p[0..nlabels-1]
 * (0 for labels the model has no class for; the rest sum to 1).
 * Returns how much of the text the model knows, 0 to 1: the share of
 * the feature vector's squared length on features seen in training.  A
 * text with none (0) gets the classes' priors, which say nothing.
 */
float		 learn_predict(const struct learn *, const char *folded,
		    float *p);

/* How many labels the model was trained for (nlabels). */
int		 learn_labels(const struct learn *);

/* How many classes had samples, and bytes the model holds. */
int		 learn_classes(const struct learn *);
size_t		 learn_bytes(const struct learn *);

/*
 * A copy of m that owns its own weights (the idf is shared, counted):
 * what a reload keeps when the keywords and examples it would learn
 * from are those m learned from.  NULL out of memory.
 */
struct learn	*learn_dup(const struct learn *m)
		    __attribute__((warn_unused_result));

void		 learn_free(struct learn *);

#endif
