/*
 * checks.c - "habar stats checks": how often each entry of the NGO's
 * lists (lists.h) was checked, from the checks table, which holds entry
 * ids, UTC days and counts only: never what an unlisted check asked,
 * never who asked.  Names and kinds come from the lists in the content.
 * Counts pass through suppress.c like every published figure: an
 * entry's total is the sum of its days, so neither a shown total nor a
 * shown day lets a reader work a "<k" out by subtraction.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checks.h"
#include "conf.h"
#include "content.h"
#include "lists.h"
#include "stats.h"
#include "store.h"
#include "suppress.h"

#define CHECKS_ID_MAX	64	/* bytes of an entry id kept */
#define CHECKS_DAY_LEN	11	/* "YYYY-MM-DD" and NUL */

/* One entry's counts: cells[0] the total, cells[1..ndays] the days. */
struct checks_row {
	char			 entry[CHECKS_ID_MAX];
	char			(*days)[CHECKS_DAY_LEN];
	struct suppress_cell	*cells;
	size_t			 ndays;
	bool			 withheld;	/* days may not be shown */
};

struct checks {
	struct checks_row	*rows;
	size_t			 nrows;
	int			 oom;
};

/* store_checks() callback: rows arrive by entry, then day. */
static void
checks_add(void *arg, const char *entry, const char *day, int64_t n)
{
	struct checks		*k = arg;
	struct checks_row	*r, *nr;
	struct suppress_cell	*nc;
	char			(*nd)[CHECKS_DAY_LEN];

	if (k->oom || entry == NULL || day == NULL)
		return;
	r = k->nrows > 0 ? &k->rows[k->nrows - 1] : NULL;
	if (r == NULL || strcmp(r->entry, entry) != 0) {
		nr = reallocarray(k->rows, k->nrows + 1, sizeof(*nr));
		if (nr == NULL) {
			k->oom = 1;
			return;
		}
		k->rows = nr;
		r = &k->rows[k->nrows++];
		memset(r, 0, sizeof(*r));
		snprintf(r->entry, sizeof(r->entry), "%s", entry);
		if ((r->cells = calloc(1, sizeof(*r->cells))) == NULL) {
			k->oom = 1;
			return;
		}
		suppress_cell_init(&r->cells[0], 0);
	}
	nc = reallocarray(r->cells, r->ndays + 2, sizeof(*nc));
	if (nc == NULL) {
		k->oom = 1;
		return;
	}
	r->cells = nc;
	nd = reallocarray(r->days, r->ndays + 1, sizeof(*nd));
	if (nd == NULL) {
		k->oom = 1;
		return;
	}
	r->days = nd;
	snprintf(r->days[r->ndays], CHECKS_DAY_LEN, "%s", day);
	suppress_cell_init(&r->cells[r->ndays + 1], n);
	r->cells[0].value += n;
	r->ndays++;
}

/* Suppress each entry's days under its total.  Returns 0 or -1. */
static int
checks_suppress(struct checks *k, int min)
{
	struct checks_row	*r;
	struct suppress_sum	 sum;
	size_t			*members, i, j;

	for (i = 0; i < k->nrows; i++) {
		r = &k->rows[i];
		if ((members = calloc(r->ndays, sizeof(*members))) == NULL)
			return -1;
		for (j = 0; j < r->ndays; j++)
			members[j] = j + 1;
		sum.total = 0;
		sum.members = members;
		sum.n = r->ndays;
		if (suppress_apply(r->cells, r->ndays + 1, &sum, 1, min,
		    &r->withheld) > 0)
			r->withheld = true;
		free(members);
	}
	return 0;
}

/*
 * Busiest first by what is shown: shown totals by value, then the
 * suppressed ones, by id, so the order says no more than the figures.
 */
static int
checks_cmp(const void *a, const void *b)
{
	const struct checks_row	*x = a, *y = b;
	bool			 xs = x->cells[0].state == SUPPRESS_SHOWN;
	bool			 ys = y->cells[0].state == SUPPRESS_SHOWN;

	if (xs != ys)
		return xs ? -1 : 1;
	if (xs && x->cells[0].value != y->cells[0].value)
		return x->cells[0].value > y->cells[0].value ? -1 : 1;
	return strcmp(x->entry, y->entry);
}

/* "reported", "licensed", "expired" (reported, no longer asserted). */
static const char *
checks_kind(const struct lists_entry *e, long today)
{
	if (e == NULL)
		return "unlisted";
	if (e->kind == LISTS_REPORTED && today - e->day > e->file->expires)
		return "expired";
	return lists_kind_name(e->kind);
}

static void
checks_print(const struct checks *k, const struct lists *ls, int min,
    bool by_day, bool csv, const char *from, const char *to)
{
	const struct checks_row	*r;
	const struct lists_entry *e;
	char			 cell[32];
	long			 today = (long)(time(NULL) / 86400);
	size_t			 i, j;

	if (csv)
		printf("entry,kind,day,checks,name\n");
	else {
		printf("Checks of listed entries, %s to %s (UTC days); a "
		    "count under %d shows as \"<%d\",\n\"*\" hides one that "
		    "would give a smaller one away.\n\n", from, to, min, min);
		printf("%-20s %-9s %*s%7s  %s\n", "entry", "kind",
		    by_day ? -11 : 0, by_day ? "day" : "", "checks", "name");
	}
	for (i = 0; i < k->nrows; i++) {
		r = &k->rows[i];
		e = lists_entry(ls, r->entry);
		suppress_format(&r->cells[0], min, cell, sizeof(cell));
		if (csv) {
			stats_csv_quoted(r->entry);
			printf(",%s,,%s,", checks_kind(e, today), cell);
			stats_csv_quoted(e != NULL ? e->name : "");
			printf("\n");
		} else
			printf("%-20s %-9s %*s%7s  %s\n", r->entry,
			    checks_kind(e, today), by_day ? -11 : 0,
			    by_day ? "total" : "", cell, e != NULL ? e->name :
			    "(no longer listed)");
		for (j = 0; by_day && !r->withheld && j < r->ndays; j++) {
			suppress_format(&r->cells[j + 1], min, cell,
			    sizeof(cell));
			if (csv) {
				stats_csv_quoted(r->entry);
				printf(",%s,%s,%s,\n", checks_kind(e, today),
				    r->days[j], cell);
			} else
				printf("%-20s %-9s %-11s%7s\n", "", "",
				    r->days[j], cell);
		}
	}
	if (!csv && k->nrows == 0)
		printf("(no listed entry was checked)\n");
}

static void
checks_free(struct checks *k)
{
	size_t	 i;

	for (i = 0; i < k->nrows; i++) {
		free(k->rows[i].cells);
		free(k->rows[i].days);
	}
	free(k->rows);
}

/* The UTC day of t into buf, or def when t is 0 (no bound). */
static void
checks_day(int64_t t, const char *def, char buf[CHECKS_DAY_LEN])
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	if (t == 0 || gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, CHECKS_DAY_LEN, "%Y-%m-%d", &tm) == 0)
		snprintf(buf, CHECKS_DAY_LEN, "%s", def);
}

static int
checks_usage(void)
{
	fprintf(stderr, "usage: habar stats checks [--by-day] "
	    "[--since YYYY-MM-DD] [--until YYYY-MM-DD]\n"
	    "           [--last 30d] [--format table|csv]\n");
	return 2;
}

int
checks_main(const char *conf_file, int argc, char *argv[])
{
	struct stats_opts	 o;
	struct conf		*conf;
	struct store		*st;
	struct content		*c;
	struct checks		 k;
	char			 from[CHECKS_DAY_LEN], to[CHECKS_DAY_LEN];
	bool			 by_day = false, csv = false;
	int			 i = 1, r, rv = 0;

	memset(&o, 0, sizeof(o));
	while (i < argc) {
		if ((r = stats_period_opt(&o, argc, argv, &i)) == -1)
			return 2;
		if (r == 1)
			continue;
		if (strcmp(argv[i], "--by-day") == 0) {
			by_day = true;
			i++;
		} else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc &&
		    (strcmp(argv[i + 1], "csv") == 0 ||
		    strcmp(argv[i + 1], "table") == 0)) {
			csv = strcmp(argv[i + 1], "csv") == 0;
			i += 2;
		} else
			return checks_usage();
	}
	if ((conf = stats_conf(conf_file, &o)) == NULL)
		return 2;
	checks_day(o.period.since, "2000-01-01", from);
	checks_day(o.period.until != 0 ? o.period.until - 1 : 0,
	    "9999-12-31", to);
	if ((st = store_open_readonly(conf->database)) == NULL) {
		conf_free(conf);
		return 1;
	}
	c = content_lint(conf->content_dir, (const char *const *)conf->langs,
	    conf->nlangs, (const char *const *)conf->content.extra_lists,
	    conf->content.nextra_lists, stats_quiet, NULL, &r);
	memset(&k, 0, sizeof(k));
	if (store_checks(st, from, to, checks_add, &k) == -1)
		rv = 1;
	else if (k.oom || checks_suppress(&k, o.k) == -1) {
		fprintf(stderr, "habar: out of memory\n");
		rv = 1;
	} else {
		if (k.nrows > 0)
			qsort(k.rows, k.nrows, sizeof(*k.rows), checks_cmp);
		checks_print(&k, c != NULL ? c->lists : NULL, o.k, by_day,
		    csv, from, to);
	}
	checks_free(&k);
	content_free(c);
	store_close(st);
	conf_free(conf);
	return rv;
}
