/*
 * pipeline.c - benchmark driver for "make bench", never a test: the
 * gateway's work for one message without a modem, through serve.c as
 * habard and the HTTP channel run it (pseudonym, session, guard, answer,
 * event, one store transaction), over and over; and the content reload
 * (parse + index + learn) alone.  Links libhabar.a.
 *
 *	pipeline run CONTENT QUERIES N DB MODE
 *		answer N queries (QUERIES repeated, one a line) from 10,000
 *		senders into the database DB.  MODE "answer": normalize,
 *		route, compose only (no serve, no database); "serve": one
 *		transaction a message, as habard commits each SMS; "group":
 *		two threads sharing one serve with grouped commits, as the
 *		HTTP channel's answering threads.  Prints "N SECONDS".
 *	pipeline reload CONTENT RUNS
 *		load, index and learn CONTENT RUNS times; prints the
 *		fastest wall time and the least CPU time (with the
 *		second process that trains classes), in ms.
 *	pipeline reload-kept CONTENT RUNS
 *		the same, each reload as habard's after an edit of the
 *		replies alone: the classifier copied from the router before
 *		(route_opts' reuse), not learned again.
 *	pipeline reload-later CONTENT RUNS
 *		the same as habard reloads since the seventeenth session:
 *		load and index, the learning process started (route_opts'
 *		learn_later), then its models taken once its pipe is
 *		readable; prints the fastest time to the start (habard's
 *		pause in answering) and to the models (the new set live),
 *		wall, in ms.
 */
#include <sys/resource.h>

#include <poll.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "answer.h"
#include "conf.h"
#include "content.h"
#include "log.h"
#include "phone.h"
#include "pseudo.h"
#include "route.h"
#include "serve.h"
#include "session.h"
#include "store.h"

#define QUERIES_MAX	100000
#define LINE_MAX_B	1024

/* The languages the demo and the production sample enable. */
static const char *const langs[] = { "kk", "ru", "uz", "ky", "tg" };

static double
now_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Load and learn dir's content; jobs as route_opts' learn_jobs.  run
 * learns in one process (1), its load untimed: under callgrind the
 * classes the second process takes (as many as it gets to first while
 * this one crawls) would leave this one's count at the mercy of timing,
 * and the difference of two runs with it (57,900 and 81,900
 * instructions a query for one build, 2026-12-05).  reload learns as
 * habard does (0): in a process of its own, split in two.
 */
static int
load_with(const char *dir, int jobs, const struct route *reuse, int later,
    struct content **cp, struct route **rp)
{
	struct route_opts opts;

	if ((*cp = content_load(dir, langs, sizeof(langs) / sizeof(langs[0]), NULL, NULL)) == NULL)
		return -1;
	memset(&opts, 0, sizeof(opts));
	opts.default_lang = content_lang(*cp, "ru");
	opts.first_words = 8;
	opts.learn_jobs = jobs;
	opts.learn_apart = jobs == 0;
	opts.reuse = reuse;
	opts.learn_later = later;
	if ((*rp = route_new(*cp, &opts, NULL, NULL)) == NULL) {
		content_free(*cp);
		return -1;
	}
	return 0;
}

static int
load(const char *dir, int jobs, struct content **cp, struct route **rp)
{
	return load_with(dir, jobs, NULL, 0, cp, rp);
}

static char **
read_queries(const char *path, size_t *n)
{
	FILE	*fp;
	char	 line[LINE_MAX_B], **q;
	size_t	 len;

	*n = 0;
	if ((fp = fopen(path, "r")) == NULL ||
	    (q = calloc(QUERIES_MAX, sizeof(*q))) == NULL)
		return NULL;
	while (*n < QUERIES_MAX && fgets(line, sizeof(line), fp) != NULL) {
		len = strcspn(line, "\n");
		line[len] = '\0';
		if (len > 0 && (q[*n] = strdup(line)) != NULL)
			(*n)++;
	}
	fclose(fp);
	return q;
}

/* "+7701" and n as seven digits into buf (PHONE_MAX bytes). */
static void
bench_number(char *buf, long n)
{
	int	 i;

	memcpy(buf, "+7701", 5);
	for (i = 11; i >= 5; i--, n /= 10)
		buf[i] = (char)('0' + n % 10);
	buf[12] = '\0';
}

/* What a bench thread answers: queries [from, n) in steps of step. */
struct bench_job {
	struct serve	*sv;
	char		**q;
	size_t		 nq;
	long		 from, n, step;
	int		 failed;
};

static void *
bench_serve(void *arg)
{
	struct bench_job *j = arg;
	struct serve_sms m;
	struct serve_reply out;
	char		 number[PHONE_MAX];
	long		 i;

	memset(&m, 0, sizeof(m));
	m.channel = SERVE_SMS_HTTP;
	m.sender = number;
	m.at = time(NULL);
	for (i = j->from; i < j->n; i += j->step) {
		/* 10,000 distinct senders */
		bench_number(number, i % 10000);
		m.text = j->q[i % (long)j->nq];
		if (serve_sms(j->sv, &m, &out) == -1) {
			j->failed = 1;
			return NULL;
		}
		serve_reply_release(&out);
	}
	return NULL;
}

/* Normalize, route and compose only: no serve, no database. */
static int
answer_only(struct content *c, struct route *r, char **q, size_t nq, long n)
{
	struct answer	 a;
	struct answer_opts o;
	struct session	 sess;
	long		 i;

	o.max_parts = 3;
	o.latin_for_latin = true;
	for (i = 0; i < n; i++) {
		session_clear(&sess);
		if (answer_make(&a, c, r, q[i % (long)nq], &sess, &o) == -1)
			return -1;
		answer_release(&a);
	}
	return 0;
}

/* The settings of a bench gateway: no guard limit, no budget. */
static void
bench_conf(struct conf *conf)
{
	static char	 ru[] = "ru";

	conf_defaults(conf);
	conf->default_lang = ru;
	conf->guard.replies = 0;
	conf->guard.daily_budget = 0;
	conf->guard.http_daily_budget = 0;
}

static int
run(const char *dir, const char *qpath, long n, const char *db,
    const char *mode)
{
	struct content	*c;
	struct route	*r;
	struct store	*s;
	struct pseudo	*ps;
	struct serve	*sv;
	struct conf	 conf;
	struct bench_job job[2];
	pthread_t	 t[2];
	char		**q, keys[4096];
	size_t		 nq, k;
	int		 i, nt = strcmp(mode, "group") == 0 ? 2 : 1;
	double		 t0, t1;

	snprintf(keys, sizeof(keys), "%s.keys", db);
	if (load(dir, 1, &c, &r) == -1 || (q = read_queries(qpath, &nq)) ==
	    NULL || nq == 0 || (s = store_open(db)) == NULL ||
	    (ps = pseudo_open(keys, PSEUDO_WEEK)) == NULL)
		return 1;
	bench_conf(&conf);
	if ((sv = serve_new(&conf, s, ps, nt > 1 ? 5 : 0)) == NULL)
		return 1;
	serve_set_content(sv, c, r);
	t0 = now_s();
	if (strcmp(mode, "answer") == 0) {
		if (answer_only(c, r, q, nq, n) == -1)
			return 1;
	} else {
		for (i = 0; i < nt; i++) {
			job[i].sv = sv;
			job[i].q = q;
			job[i].nq = nq;
			job[i].from = i;
			job[i].n = n;
			job[i].step = nt;
			job[i].failed = 0;
			if (pthread_create(&t[i], NULL, bench_serve,
			    &job[i]) != 0)
				return 1;
		}
		for (i = 0; i < nt; i++)
			if (pthread_join(t[i], NULL) != 0 || job[i].failed)
				return 1;
	}
	if (serve_flush(sv) == -1)
		return 1;
	t1 = now_s();
	printf("%ld %.6f\n", n, t1 - t0);
	serve_free(sv);
	store_close(s);
	pseudo_close(ps);
	route_free(r);
	content_free(c);
	for (k = 0; k < nq; k++)
		free(q[k]);
	free(q);
	return 0;
}

/*
 * This process's CPU time and its ended children's (learn.c trains half
 * of the classes in a second process), in seconds.
 */
static double
cpu_s(void)
{
	struct timespec	 ts;
	struct rusage	 ru;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	if (getrusage(RUSAGE_CHILDREN, &ru) == -1)
		memset(&ru, 0, sizeof(ru));
	return ts.tv_sec + ts.tv_nsec / 1e9 + ru.ru_utime.tv_sec +
	    ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec +
	    ru.ru_stime.tv_usec) / 1e6;
}

/*
 * The best of runs reloads: wall time, then CPU time (ms), which says
 * more on a machine shared with other work.  With kept, each reload as
 * habard's after an edit of replies alone: the live router passed as
 * route_opts' reuse, its classifier copied (the load before is not
 * timed).
 */
static int
reload(const char *dir, long runs, int kept)
{
	struct content	*c, *oc = NULL;
	struct route	*r, *or = NULL;
	double		 t0, c0, t, ct, best = 1e9, cbest = 1e9;
	long		 i;

	if (kept && load(dir, 0, &oc, &or) == -1)
		return 1;
	for (i = 0; i < runs; i++) {
		t0 = now_s();
		c0 = cpu_s();
		if (load_with(dir, 0, or, 0, &c, &r) == -1)
			return 1;
		t = now_s() - t0;
		ct = cpu_s() - c0;
		if (t < best)
			best = t;
		if (ct < cbest)
			cbest = ct;
		if (kept && !route_learn_kept(r)) {
			fprintf(stderr, "pipeline: the classifier was "
			    "learned again\n");
			return 1;
		}
		if (kept) {	/* the new set is the live one now */
			route_free(or);
			content_free(oc);
			or = r;
			oc = c;
		} else {
			route_free(r);
			content_free(c);
		}
	}
	route_free(or);
	content_free(oc);
	printf("%.2f %.2f\n", best * 1000, cbest * 1000);
	return 0;
}

/*
 * The best of runs reloads as habard's: the time to route_new()'s
 * return, the learning process started (habard's pause, when no message
 * is answered), and to route_finish()'s, the models taken once its pipe
 * is readable (the new set could be swapped in then); ms, wall.
 */
static int
reload_later(const char *dir, long runs)
{
	struct content	*c;
	struct route	*r;
	struct pollfd	 pfd;
	double		 t0, pause, live, bp = 1e9, bl = 1e9;
	long		 i;

	for (i = 0; i < runs; i++) {
		t0 = now_s();
		if (load_with(dir, 0, NULL, 1, &c, &r) == -1)
			return 1;
		pause = now_s() - t0;
		if ((pfd.fd = route_pending(r)) >= 0) {
			pfd.events = POLLIN;
			(void)poll(&pfd, 1, -1);
		}
		if (route_finish(r, NULL, NULL) == -1) {
			fprintf(stderr, "pipeline: the learning failed\n");
			return 1;
		}
		live = now_s() - t0;
		if (pause < bp)
			bp = pause;
		if (live < bl)
			bl = live;
		route_free(r);
		content_free(c);
	}
	printf("%.2f %.2f\n", bp * 1000, bl * 1000);
	return 0;
}

int
main(int argc, char *argv[])
{
	log_init(1, LOG_LEVEL_WARN, NULL);
	if (argc == 7 && strcmp(argv[1], "run") == 0)
		return run(argv[2], argv[3], strtol(argv[4], NULL, 10),
		    argv[5], argv[6]);
	if (argc == 4 && strcmp(argv[1], "reload") == 0)
		return reload(argv[2], strtol(argv[3], NULL, 10), 0);
	if (argc == 4 && strcmp(argv[1], "reload-kept") == 0)
		return reload(argv[2], strtol(argv[3], NULL, 10), 1);
	if (argc == 4 && strcmp(argv[1], "reload-later") == 0)
		return reload_later(argv[2], strtol(argv[3], NULL, 10));
	fprintf(stderr, "usage: pipeline run CONTENT QUERIES N DB "
	    "answer|serve|group\n"
	    "       pipeline reload CONTENT RUNS\n"
	    "       pipeline reload-kept CONTENT RUNS\n"
	    "       pipeline reload-later CONTENT RUNS\n");
	return 2;
}
