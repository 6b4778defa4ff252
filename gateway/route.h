/*
 * route.h - from a query to a topic and a language: keyword index of
 * folded keys, phrase match, words anywhere in the first few words
 * (grammatical endings stripped), menu digits, typo tolerance, language
 * choice.  No I/O.
 */
#ifndef HABAR_ROUTE_H
#define HABAR_ROUTE_H

#include "content.h"
#include "text.h"

enum route_match {
	ROUTE_NONE,		/* nothing matched: the "unknown" topic */
	ROUTE_EXACT,		/* the whole message is a keyword */
	ROUTE_PHRASE,		/* a keyword phrase inside the message */
	ROUTE_WORD,		/* a one-word keyword among the first words */
	ROUTE_FUZZY,		/* within the typo bound of a keyword */
	ROUTE_MENU,		/* a menu digit */
	ROUTE_LEARNED,		/* the classifier, no keyword of the topic */
	ROUTE_UNSURE		/* two or three close: ask back (choose) */
};

/* Which rule chose the reply language. */
enum route_why {
	ROUTE_BY_KEYWORD,	/* the matched keyword's language */
	ROUTE_BY_SCRIPT,	/* Kazakh-only letters in the message */
	ROUTE_BY_WORDS,		/* more common Kazakh words than Russian */
	ROUTE_BY_EXAMPLES,	/* the language model of the examples */
	ROUTE_BY_SESSION,	/* the sender's last language */
	ROUTE_BY_DEFAULT	/* the configured default */
};

struct route_opts {
	int	 default_lang;	/* language index */
	int	 first_words;	/* keywords count among this many words */
	int	 learn_jobs;	/* learn_opts' jobs: 0 (as learn.h says) */
	int	 learn_fault;	/* tests: learn_opts' fault, or 0 */
	int	 learn_apart;	/* 1: learn in a process of its own */
	/*
	 * The live router a reload replaces, or NULL: when the new
	 * content's keywords and examples are letter for letter those
	 * its classifier learned from (the same topics and languages, in
	 * the same order), its classifier is copied, not learned again.
	 * Read only, during route_new(); it may be freed after.
	 */
	const struct route *reuse;
	/*
	 * With learn_apart, 1: route_new() returns once that process is
	 * started, and the router routes nothing until route_finish()
	 * has taken its models (route_pending()).  Nothing is then ever
	 * learned in this process: if that process cannot start,
	 * route_new() fails, saying why.
	 */
	int	 learn_later;
};

#define ROUTE_TOP	3	/* candidates kept for "habar try" and asking */

/* A candidate topic and its share of the evidence, 0 to 1. */
struct route_cand {
	const struct topic	*topic;
	float			 score;
};

struct route_result {
	const struct topic	*topic;		/* never NULL */
	int			 lang;		/* language index */
	enum route_match	 match;
	enum route_why		 why;
	const struct keyword	*keyword;	/* what matched, or NULL */
	/*
	 * The keyword found anywhere in the message (it may not be the
	 * topic's: then it was outweighed), how, and its topic.
	 */
	const struct keyword	*hit;
	unsigned		 hit_langs;	/* its languages, bit per index */
	enum route_match	 hit_match;
	const struct topic	*hit_topic;
	struct route_cand	 top[ROUTE_TOP];	/* best first */
	int			 ntop;		/* 0: no classifier ran */
	/* ROUTE_UNSURE: the topics to offer, best first (2 or 3) */
	const struct topic	*choice[ROUTE_TOP];
	int			 nchoice;
	char			 folded[TEXT_MAX_FOLD]; /* the folded query */
};

struct route;

/*
 * Build the keyword index for a content set, which must outlive it (not
 * copied), and train the classifier (learn.h) on every topic's keywords
 * and examples when at least two topics have some.  Keys that collide
 * across topics after folding are errors, reported through diag naming
 * both places, as is a failure to train; returns NULL if any.  Caller
 * frees with route_free().
 */
struct route	*route_new(const struct content *, const struct route_opts *,
		    editfile_diag_fn *diag, void *arg)
		    __attribute__((warn_unused_result));

/*
 * Route one message (UTF-8, may be invalid).  session_lang is the
 * sender's remembered language index or -1.  Fills *res; returns 0.
 */
int		 route_query(const struct route *, const char *text,
		    int session_lang, struct route_result *res);

/*
 * The text the classifier learns from and reads, of a UTF-8 text: its
 * folding (text_fold()) and then a word for the script it was typed in,
 * which folding loses: "zc" for Cyrillic, "zl" for Latin (text_script();
 * none on a tie or without letters).  A Kazakh "qanday" typed in Latin
 * and "қандай" fold alike; whether a sender types Latin or Cyrillic
 * says much of who writes (Uzbek Latin, Kyrgyz and Tajik Cyrillic).
 * Always NUL-terminates dst; returns the length.
 */
#define ROUTE_LEARN_TEXT	(TEXT_MAX_FOLD + 4)
size_t		 route_learn_text(char *dst, size_t size, const char *utf8);

/*
 * What the classifier of content c learns from, in the order it takes
 * them: every keyword (keyword 1) and example (0) of each present
 * section of each topic that has examples, as route_learn_text() gives
 * it, with its topic's and its section's language's index.  Stops at
 * the first -1 fn returns and returns -1; else 0.  habar lint's
 * cross-validation reads the same samples through it.
 */
typedef int	 route_sample_fn(void *arg, const char *learnt, int topic,
		    int lang, int keyword);
int		 route_each_sample(const struct content *c,
		    route_sample_fn *fn, void *arg);

const char	*route_match_name(enum route_match);	/* "exact", ... */

/* The classifier of the set, or NULL (too few topics to learn). */
const struct learn *route_learner(const struct route *);
/*
 * With route_opts' learn_apart, the peak resident size in kB of the
 * process that learned (learn_train_apart()), or 0: learned here, or
 * not known.
 */
long		 route_learn_peak(const struct route *);
/* 1: its classifier was copied from route_opts' reuse, not learned. */
int		 route_learn_kept(const struct route *);

/*
 * A router made with route_opts' learn_later whose classifier is still
 * being learned apart: route_pending() is the descriptor to poll for
 * POLLIN (its process is done or dead), or -1 when nothing is pending;
 * route_pending_due(), whether that process has had its time
 * (LEARN_APART_WAIT).  route_finish() takes its models, waiting for
 * them no later than that; returns 0 (the router may route), or -1
 * after reporting why through diag when that process failed, died or
 * had its time (free the router: nothing is learned in this process,
 * which would stop a daemon answering and take its memory).  Nothing
 * pending: returns 0.
 * route_free() of a router still learning kills that process.
 */
int		 route_pending(const struct route *);
int		 route_pending_due(const struct route *);
int		 route_finish(struct route *, editfile_diag_fn *diag, void *arg)
		    __attribute__((warn_unused_result));
const char	*route_why_name(enum route_why);	/* "keyword", ... */
void		 route_free(struct route *);

#endif
