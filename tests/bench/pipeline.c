/*
 * pipeline.c - benchmark driver for "make bench", never a test: the
 * gateway's work for one query without a modem, normalize -> route ->
 * compose -> log, as habard does it, over and over; and the content
 * reload (parse + index) alone.  Links libhabar.a.
 *
 *	pipeline run CONTENT QUERIES N DB BATCH
 *		answer N queries (QUERIES repeated, one a line), each with
 *		its pseudonym and demand event; events go to the database DB
 *		BATCH to a transaction (1: one transaction per query, as
 *		habard commits each SMS; 0: no log at all).  Prints
 *		"N SECONDS".
 *	pipeline reload CONTENT RUNS
 *		load and index CONTENT RUNS times; prints the fastest in ms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "answer.h"
#include "content.h"
#include "log.h"
#include "phone.h"
#include "pseudo.h"
#include "route.h"
#include "session.h"
#include "store.h"

#define QUERIES_MAX	100000
#define LINE_MAX_B	1024

static const char *const langs[] = { "kk", "ru" };

static double
now_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
load(const char *dir, struct content **cp, struct route **rp)
{
	struct route_opts opts;

	if ((*cp = content_load(dir, langs, 2, NULL, NULL)) == NULL)
		return -1;
	memset(&opts, 0, sizeof(opts));
	opts.default_lang = content_lang(*cp, "ru");
	opts.first_words = 8;
	if ((*rp = route_new(*cp, &opts, NULL, NULL)) == NULL) {
		content_free(*cp);
		return -1;
	}
	return 0;
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

static int
run(const char *dir, const char *qpath, long n, const char *db, long batch)
{
	struct content	*c;
	struct route	*r;
	struct store	*s;
	struct pseudo	*ps;
	struct answer	 a;
	struct answer_opts o;
	struct session	 sess;
	struct store_event *ev;
	char		**q, number[PHONE_MAX], keys[4096];
	size_t		 nq, k = 0;
	long		 i;
	double		 t0, t1;
	time_t		 now = time(NULL);

	snprintf(keys, sizeof(keys), "%s.keys", db);
	if (load(dir, &c, &r) == -1 || (q = read_queries(qpath, &nq)) ==
	    NULL || nq == 0 || (s = store_open(db)) == NULL ||
	    (ps = pseudo_open(keys, PSEUDO_WEEK)) == NULL ||
	    (ev = calloc(batch > 0 ? batch : 1, sizeof(*ev))) == NULL)
		return 1;
	o.max_parts = 3;
	o.latin_for_latin = true;
	t0 = now_s();
	for (i = 0; i < n; i++) {
		/* 10,000 distinct senders (as the modem gives them: no
		 * printf in the measured loop) */
		bench_number(number, i % 10000);
		session_clear(&sess);
		if (answer_make(&a, c, r, q[i % nq], &sess, &o) == -1)
			return 1;
		memset(&ev[k], 0, sizeof(ev[k]));
		if (pseudo_get(ps, number, now, ev[k].pseudonym) == -1)
			return 1;
		ev[k].at = now;
		ev[k].channel = "sms";
		ev[k].lang = a.lang;
		ev[k].topic = a.route.topic->id;
		ev[k].match = route_match_name(a.route.match);
		ev[k].country = phone_country(number);
		ev[k].parts = (int)a.reply.nparts;
		ev[k].content_version = c->version;
		k++;
		if (batch == 0) {
			k = 0;	/* no log: normalize, route, compose only */
		} else if (batch == 1) {
			if (store_process(s, 0, NULL, &ev[0], NULL) == -1)
				return 1;
			k = 0;
		} else if ((long)k == batch || i + 1 == n) {
			if (store_events_add(s, ev, k) == -1)
				return 1;
			k = 0;
		}
		answer_release(&a);
	}
	t1 = now_s();
	printf("%ld %.6f\n", n, t1 - t0);
	store_close(s);
	pseudo_close(ps);
	route_free(r);
	content_free(c);
	for (k = 0; k < nq; k++)
		free(q[k]);
	free(q);
	free(ev);
	return 0;
}

static int
reload(const char *dir, long runs)
{
	struct content	*c;
	struct route	*r;
	double		 t0, t, best = 1e9;
	long		 i;

	for (i = 0; i < runs; i++) {
		t0 = now_s();
		if (load(dir, &c, &r) == -1)
			return 1;
		t = now_s() - t0;
		if (t < best)
			best = t;
		route_free(r);
		content_free(c);
	}
	printf("%.2f\n", best * 1000);
	return 0;
}

int
main(int argc, char *argv[])
{
	log_init(1, LOG_LEVEL_WARN, NULL);
	if (argc == 7 && strcmp(argv[1], "run") == 0)
		return run(argv[2], argv[3], strtol(argv[4], NULL, 10),
		    argv[5], strtol(argv[6], NULL, 10));
	if (argc == 4 && strcmp(argv[1], "reload") == 0)
		return reload(argv[2], strtol(argv[3], NULL, 10));
	fprintf(stderr, "usage: pipeline run CONTENT QUERIES N DB BATCH\n"
	    "       pipeline reload CONTENT RUNS\n");
	return 2;
}
