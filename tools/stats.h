/*
 * stats.h - "habar stats", "habar report", "habar keys" and "habar
 * purge": demand statistics read from the database, with small counts
 * suppressed (suppress.c) before anything is shown.
 */
#ifndef HABAR_STATS_H
#define HABAR_STATS_H

#include <stdbool.h>
#include <stddef.h>

#include "conf.h"
#include "content.h"
#include "store.h"
#include "suppress.h"

/* Columns of a statistics table. */
enum stats_col {
	SC_MSG,			/* messages */
	SC_SND,			/* distinct senders (per epoch) */
	SC_ANS,			/* answered: a topic matched */
	SC_UNA,			/* unanswered: the "unknown" topic */
	SC_REP,			/* replies with SMS parts */
	SC_PRT,			/* SMS parts of those: the cost */
	SC_DRP,			/* replies dropped after the last try */
	SC_NCOL
};
#define SC_BIT(c)	(1u << (c))

/*
 * A breakdown of the period's messages by one key, suppressed: row 0 is
 * the total (the same figures whatever the breakdown), rows 1..nrows the
 * categories.  When withheld, no category may be shown: suppression
 * could not protect them under the total.
 */
struct stats_table {
	enum store_by		 by;
	unsigned		 mask;		/* SC_BIT()s shown */
	size_t			 nrows;		/* categories */
	char			(*keys)[64];	/* nrows + 1; keys[0] "" */
	struct suppress_cell	*cells;		/* (nrows + 1) * SC_NCOL */
	bool			 withheld;
};

/* What every statistics command reads. */
struct stats_opts {
	struct store_period	 period;
	int			 k;		/* stats.min_count */
	int			 min_senders;	/* stats.min_senders */
	const char		*epoch;		/* pseudonym.epoch, never NULL */
};

/*
 * Read and suppress the breakdown by by of columns mask into *t
 * (release with stats_table_free).  Returns 0 or -1 (logged).
 */
int	 stats_table_load(struct store *, const struct stats_opts *,
	    enum store_by by, unsigned mask, struct stats_table *t)
	    __attribute__((warn_unused_result));
void	 stats_table_free(struct stats_table *);

/* The cell of row r (0: total), column c. */
const struct suppress_cell *stats_cell(const struct stats_table *, size_t r,
	    enum stats_col c);

/*
 * Parse the period options at argv[*i] (--since, --until, --last) into
 * o->period, advancing *i past them.  Returns 1 when argv[*i] was one,
 * 0 when not, -1 on a bad value (printed).
 */
int	 stats_period_opt(struct stats_opts *o, int argc, char *argv[],
	    int *i);

/* Read the conf file and fill *o's thresholds; NULL (printed) on error. */
struct conf	*stats_conf(const char *file, struct stats_opts *o);

/* Print s as a quoted CSV field, its quotes doubled. */
void	 stats_csv_quoted(const char *s);

/* Print s cut or padded to exactly w characters; w 0: as it is. */
void	 stats_pad(const char *s, size_t w);

/*
 * A editfile_diag_fn that says nothing: stats, the report and checks
 * load the content for its titles and lists, and its problems are
 * lint's business (sections of a language not configured, for one).
 */
void	 stats_quiet(void *arg, enum editfile_severity sev, const char *file,
	    int line, const char *msg);

/* The commands; each returns the exit status. */
int	 stats_main(const char *conf_file, int argc, char *argv[]);
int	 stats_keys(const char *conf_file, int argc, char *argv[]);
int	 stats_purge(const char *conf_file, int argc, char *argv[]);
int	 report_main(const char *conf_file, int argc, char *argv[]);

#endif
