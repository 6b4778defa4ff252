/*
 * status.c - "habar status": for each modem sharing the database, what
 * its habard last recorded (content version, last message in and reply
 * out, signal, network, SIM credit and the operator's answer) and the
 * queues.  Reads the status table through store.c; writes nothing but
 * what opening the database does (a schema migration when habar is
 * newer than the database).
 */
#include <sys/stat.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf.h"
#include "log.h"
#include "status.h"
#include "store.h"

#define STATUS_ROWS_MAX	256

/* The keys habard records, in the order and words they are shown. */
static const struct {
	const char	*key;
	const char	*label;
	bool		 show_value;
} status_keys[] = {
	{ "started", "daemon started", true },
	{ "content", "content version", true },
	{ "reload", "last reload", true },
	{ "last_received", "last message in", false },
	{ "last_sent", "last reply out", false },
	{ "queue.inbox", "inbox", true },
	{ "queue.outbox", "outbox", true },
	{ "modem", "connection", true },
	{ "sim", "SIM", true },
	{ "signal", "signal", true },
	{ "network", "network", true },
	{ "balance", "SIM credit", true },
	{ "balance.low", "low credit", true },
	{ "balance.answer", "operator's answer", true },
};
#define STATUS_NKEYS	(sizeof(status_keys) / sizeof(status_keys[0]))

struct status_row {
	char	*modem;
	char	*key;
	char	*value;
	int64_t	 at;
};

struct status_rows {
	struct status_row v[STATUS_ROWS_MAX];
	size_t		 n;
};

static int
status_collect(void *arg, const char *modem, const char *key,
    const char *value, int64_t at)
{
	struct status_rows *r = arg;
	struct status_row *row;

	if (r->n == STATUS_ROWS_MAX)
		return 0;
	row = &r->v[r->n];
	if ((row->modem = strdup(modem)) == NULL ||
	    (row->key = strdup(key)) == NULL ||
	    (row->value = strdup(value)) == NULL) {
		free(row->modem);
		free(row->key);
		log_warn("status");
		return -1;
	}
	row->at = at;
	r->n++;
	return 0;
}

/* " (2025-05-01 10:00, 5 min ago)" for at, into buf. */
static void
status_when(char *buf, size_t sz, int64_t at, time_t now)
{
	struct tm	 tm;
	time_t		 t = (time_t)at;
	char		 day[32];
	long long	 ago = (long long)(now - t);

	if (at <= 0 || localtime_r(&t, &tm) == NULL ||
	    strftime(day, sizeof(day), "%Y-%m-%d %H:%M", &tm) == 0) {
		buf[0] = '\0';
		return;
	}
	if (ago < 0)
		snprintf(buf, sz, "%s", day);
	else if (ago < 120)
		snprintf(buf, sz, "%s, %lld s ago", day, ago);
	else if (ago < 2 * 3600)
		snprintf(buf, sz, "%s, %lld min ago", day, ago / 60);
	else if (ago < 2 * 86400)
		snprintf(buf, sz, "%s, %lld h ago", day, ago / 3600);
	else
		snprintf(buf, sz, "%s, %lld days ago", day, ago / 86400);
}

static const struct status_row *
status_find(const struct status_rows *r, const char *modem, const char *key)
{
	size_t	 i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->v[i].modem, modem) == 0 &&
		    strcmp(r->v[i].key, key) == 0)
			return &r->v[i];
	return NULL;
}

static void
status_print_modem(const struct status_rows *r, const char *modem,
    time_t now)
{
	const struct status_row *row;
	char		 when[64];
	size_t		 k;
	bool		 queue;

	printf("modem %s\n", modem[0] != '\0' ? modem : "(no modem.id)");
	for (k = 0; k < STATUS_NKEYS; k++) {
		row = status_find(r, modem, status_keys[k].key);
		queue = strncmp(status_keys[k].key, "queue.", 6) == 0;
		if (row == NULL && !queue)
			continue;
		if (row == NULL) {
			printf("  %-18s 0\n", status_keys[k].label);
			continue;
		}
		status_when(when, sizeof(when), row->at, now);
		if (queue)
			printf("  %-18s %s%s%s%s\n", status_keys[k].label,
			    row->value, when[0] ? " (oldest " : "", when,
			    when[0] ? ")" : "");
		else if (status_keys[k].show_value)
			printf("  %-18s %s%s%s%s\n", status_keys[k].label,
			    row->value, when[0] ? " (" : "", when,
			    when[0] ? ")" : "");
		else
			printf("  %-18s %s\n", status_keys[k].label,
			    when[0] ? when : "never");
	}
}

int
cmd_status(const char *conf_file, int argc, char *argv[])
{
	struct status_rows *r;
	struct conf	*conf;
	struct store	*s;
	struct stat	 sb;
	time_t		 now = time(NULL);
	size_t		 i, j;
	int		 rv = 0;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: habar [-f file] status\n");
		return 2;
	}
	if ((conf = conf_load(conf_file)) == NULL)
		return 2;
	if (stat(conf->database, &sb) == -1) {
		fprintf(stderr, "habar: no database at '%s': has habard "
		    "run yet?\n", conf->database);
		conf_free(conf);
		return 1;
	}
	if ((s = store_open(conf->database)) == NULL) {
		conf_free(conf);
		return 2;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		log_warn("status");
		store_close(s);
		conf_free(conf);
		return 2;
	}
	if (store_status_each(s, status_collect, r) == -1)
		rv = 2;
	else if (r->n == 0) {
		printf("no status recorded yet: start habard\n");
		rv = 1;
	}
	/* One block per modem, in the order the store sorted them. */
	for (i = 0; rv == 0 && i < r->n; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(r->v[j].modem, r->v[i].modem) == 0)
				break;
		if (j < i)
			continue;
		if (i > 0)
			printf("\n");
		status_print_modem(r, r->v[i].modem, now);
	}
	for (i = 0; i < r->n; i++) {
		free(r->v[i].modem);
		free(r->v[i].key);
		free(r->v[i].value);
	}
	free(r);
	store_close(s);
	conf_free(conf);
	return rv;
}
