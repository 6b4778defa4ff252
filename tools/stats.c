/*
 * stats.c - "habar stats": demand figures from the database for the
 * people who plan content and report to donors, "habar keys" (epochs
 * and key ages, never key bytes) and "habar purge" (retention).
 *
 * The database is opened read-only (store_open_readonly), so stats can
 * run while habard writes.  The SQL is in store.c; every figure passes
 * through suppress.c before it is printed: a count from 1 to k-1 shows
 * as "<k" and complementary cells as "*", so that no shown total lets a
 * reader subtract their way to a small count.  Distinct senders are
 * distinct pseudonyms, and a pseudonym lives one epoch: over a period of
 * several epochs a person is counted once in each.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf.h"
#include "content.h"
#include "log.h"
#include "pseudo.h"
#include "stats.h"
#include "store.h"
#include "suppress.h"
#include "utf8.h"

#define STATS_WIDTH	80	/* columns of a terminal table */
#define STATS_WORDS	50	/* unanswered words listed at most */
#define STATS_MAX_KEYS	64	/* key files "habar keys" lists */

enum stats_format {
	STATS_TABLE,
	STATS_CSV,
	STATS_JSON
};

/* What one "habar stats" subcommand gets. */
struct stats_run {
	struct conf		*conf;
	struct store		*store;
	struct stats_opts	 o;
	enum stats_format	 format;
	struct content		*content;	/* for titles, or NULL */
};

static const char *const stats_col_names[SC_NCOL] = {
	[SC_MSG] = "messages",
	[SC_SND] = "senders",
	[SC_ANS] = "answered",
	[SC_UNA] = "unanswered",
	[SC_REP] = "replies",
	[SC_PRT] = "parts",
	[SC_DRP] = "dropped",
};

/* The same columns as a table's head says them to a person. */
static const char *const stats_col_heads[SC_NCOL] = {
	[SC_MSG] = "messages",
	[SC_SND] = "senders",
	[SC_ANS] = "answered",
	[SC_UNA] = "unanswered",
	[SC_REP] = "SMS replies",
	[SC_PRT] = "SMS parts",
	[SC_DRP] = "dropped",
};

/* Content problems are lint's business: stats stay quiet about them. */
void
stats_quiet(void *arg, enum editfile_severity sev, const char *file,
    int line, const char *msg)
{
	(void)arg;
	(void)sev;
	(void)file;
	(void)line;
	(void)msg;
}

void
stats_pad(const char *s, size_t w)
{
	const char	*p = s, *end;
	size_t		 n = 0;

	if (w == 0) {
		printf("%s", s);
		return;
	}
	end = s + strlen(s);
	while (p < end && n < w) {
		(void)utf8_next(&p, end);
		n++;
	}
	printf("%.*s%*s", (int)(p - s), s, (int)(w - n), "");
}

const struct suppress_cell *
stats_cell(const struct stats_table *t, size_t r, enum stats_col c)
{
	return &t->cells[r * SC_NCOL + c];
}

static struct suppress_cell *
stats_cellw(struct stats_table *t, size_t r, enum stats_col c)
{
	return &t->cells[r * SC_NCOL + c];
}

static void
stats_row_fill(struct stats_table *t, size_t r, const struct store_count *c)
{
	int64_t	 v[SC_NCOL];
	int	 i;

	v[SC_MSG] = c->messages;
	v[SC_SND] = c->senders;
	v[SC_ANS] = c->messages - c->unanswered;
	v[SC_UNA] = c->unanswered;
	v[SC_REP] = c->replies;
	v[SC_PRT] = c->parts;
	v[SC_DRP] = c->dropped;
	for (i = 0; i < SC_NCOL; i++)
		suppress_cell_init(stats_cellw(t, r, i), v[i]);
	stats_cellw(t, r, SC_PRT)->measure = true;
	stats_cellw(t, r, SC_PRT)->link = (long)(r * SC_NCOL + SC_REP);
}

/*
 * The sums a reader knows: each additive column shown adds up to the
 * total (known from the summary even where not printed), and where
 * answered is shown, messages = answered + unanswered in each row.
 */
static int
stats_suppress(struct stats_table *t, int k)
{
	static const enum stats_col add[] = { SC_MSG, SC_ANS, SC_UNA,
	    SC_REP, SC_PRT, SC_DRP };
	struct suppress_sum	*sums;
	size_t			*mem, nsums = 0, nmem = 0, i, r, rows;
	bool			*withhold;
	int			 rv = -1;

	rows = t->nrows + 1;
	sums = calloc(6 + rows, sizeof(*sums));
	mem = calloc(6 * t->nrows + 2 * rows + 1, sizeof(*mem));
	withhold = calloc(6 + rows, sizeof(*withhold));
	if (sums == NULL || mem == NULL || withhold == NULL) {
		log_warn("cannot suppress statistics");
		goto done;
	}
	for (i = 0; i < sizeof(add) / sizeof(add[0]); i++) {
		if (!(t->mask & SC_BIT(add[i])) || t->nrows == 0)
			continue;
		sums[nsums].total = add[i];
		sums[nsums].members = &mem[nmem];
		sums[nsums].n = t->nrows;
		for (r = 1; r < rows; r++)
			mem[nmem++] = r * SC_NCOL + add[i];
		nsums++;
	}
	for (r = 0; r < rows && (t->mask & SC_BIT(SC_ANS)); r++) {
		sums[nsums].total = r * SC_NCOL + SC_MSG;
		sums[nsums].members = &mem[nmem];
		sums[nsums].n = 2;
		mem[nmem++] = r * SC_NCOL + SC_ANS;
		mem[nmem++] = r * SC_NCOL + SC_UNA;
		nsums++;
	}
	if (suppress_apply(t->cells, rows * SC_NCOL, sums, nsums, k,
	    withhold) > 0)
		t->withheld = true;
	rv = 0;
done:
	free(sums);
	free(mem);
	free(withhold);
	return rv;
}

int
stats_table_load(struct store *s, const struct stats_opts *o,
    enum store_by by, unsigned mask, struct stats_table *t)
{
	struct store_count	*total = NULL, *rows = NULL;
	size_t			 ntotal = 0, n = 0, r;
	int			 c;

	memset(t, 0, sizeof(*t));
	t->by = by;
	t->mask = mask;
	if (store_stats(s, &o->period, STORE_BY_ALL, &total, &ntotal) == -1)
		return -1;
	if (by != STORE_BY_ALL &&
	    store_stats(s, &o->period, by, &rows, &n) == -1) {
		free(total);
		return -1;
	}
	t->nrows = n;
	t->keys = calloc(n + 1, sizeof(*t->keys));
	t->cells = calloc((n + 1) * SC_NCOL, sizeof(*t->cells));
	if (t->keys == NULL || t->cells == NULL) {
		log_warn("cannot read statistics");
		goto fail;
	}
	if (ntotal == 1)
		stats_row_fill(t, 0, &total[0]);
	else {
		struct store_count zero;

		memset(&zero, 0, sizeof(zero));
		stats_row_fill(t, 0, &zero);
	}
	/* Headline figures are printed by the summary: never "*". */
	for (c = 0; c < SC_NCOL; c++)
		if (c != SC_ANS)
			stats_cellw(t, 0, c)->fixed = true;
	for (r = 0; r < n; r++) {
		memcpy(t->keys[r + 1], rows[r].key, sizeof(t->keys[r + 1]));
		stats_row_fill(t, r + 1, &rows[r]);
		/* It is the summary's "unanswered" under another name. */
		if (by == STORE_BY_TOPIC && strcmp(rows[r].key, "unknown") == 0)
			stats_cellw(t, r + 1, SC_MSG)->fixed = true;
	}
	free(total);
	free(rows);
	return stats_suppress(t, o->k);
fail:
	free(total);
	free(rows);
	stats_table_free(t);
	return -1;
}

void
stats_table_free(struct stats_table *t)
{
	free(t->keys);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

/* ---- options */

/* "2026-11-20" or "2026-11-20T14" (UTC) into *out. */
static int
stats_parse_time(const char *s, int64_t *out)
{
	struct tm	 tm;
	int		 y, mo, d, h = 0, n = 0;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3)
		return -1;
	if (s[n] == 'T' || s[n] == ' ') {
		int m = 0;

		if (sscanf(s + n + 1, "%2d%n", &h, &m) != 1)
			return -1;
		n += 1 + m;
	}
	if (s[n] != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 ||
	    h > 23)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	*out = (int64_t)timegm(&tm);
	return 0;
}

/* "7d", "12h", "2w" into seconds. */
static int
stats_parse_span(const char *s, int64_t *out)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || n <= 0 || n > 100000)
		return -1;
	if (strcmp(end, "h") == 0)
		*out = (int64_t)n * 3600;
	else if (strcmp(end, "d") == 0 || *end == '\0')
		*out = (int64_t)n * 86400;
	else if (strcmp(end, "w") == 0)
		*out = (int64_t)n * 7 * 86400;
	else
		return -1;
	return 0;
}

int
stats_period_opt(struct stats_opts *o, int argc, char *argv[], int *i)
{
	const char	*opt = argv[*i], *val;
	int64_t		 t;

	if (strcmp(opt, "--since") != 0 && strcmp(opt, "--until") != 0 &&
	    strcmp(opt, "--last") != 0)
		return 0;
	if (*i + 1 >= argc) {
		fprintf(stderr, "habar: %s needs a value\n", opt);
		return -1;
	}
	val = argv[++*i];
	(*i)++;
	if (strcmp(opt, "--last") == 0) {
		if (stats_parse_span(val, &t) == -1) {
			fprintf(stderr, "habar: bad --last '%s': use 7d, 12h "
			    "or 2w\n", val);
			return -1;
		}
		o->period.since = (int64_t)time(NULL) - t;
		return 1;
	}
	if (stats_parse_time(val, &t) == -1) {
		fprintf(stderr, "habar: bad %s '%s': use YYYY-MM-DD (UTC)\n",
		    opt, val);
		return -1;
	}
	if (strcmp(opt, "--since") == 0)
		o->period.since = t;
	else	/* the whole day (or hour) named is included */
		o->period.until = t + (strchr(val, 'T') != NULL ||
		    strchr(val, ' ') != NULL ? 3600 : 86400);
	return 1;
}

struct conf *
stats_conf(const char *file, struct stats_opts *o)
{
	struct conf	*conf;

	if ((conf = conf_load(file)) == NULL)
		return NULL;
	o->k = conf->stats.min_count;
	o->min_senders = conf->stats.min_senders;
	o->epoch = conf->pseudonym.epoch;
	return conf;
}

/* ---- output */

static void
stats_json_str(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", (unsigned char)*s);
		else
			putchar(*s);
	}
	putchar('"');
}

void
stats_csv_quoted(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

static void
stats_csv_str(const char *s)
{
	if (strpbrk(s, ",\"\n") == NULL)
		printf("%s", s);
	else
		stats_csv_quoted(s);
}

/* A cell for JSON: a number, or the string shown ("<5", "*"). */
static void
stats_json_cell(const struct suppress_cell *c, int k)
{
	char	 buf[32];

	suppress_format(c, k, buf, sizeof(buf));
	if (c->state == SUPPRESS_SHOWN)
		printf("%s", buf);
	else
		stats_json_str(buf);
}

/* Title of topic id in the first language that has one, or "". */
static const char *
stats_title(const struct stats_run *run, const char *id)
{
	const struct topic	*t;
	size_t			 l;
	int			 want = -1;

	if (run->content == NULL ||
	    (t = content_topic(run->content, id)) == NULL)
		return "";
	if (run->conf->default_lang != NULL)
		want = content_lang(run->content, run->conf->default_lang);
	if (want >= 0 && t->text[want].title != NULL)
		return t->text[want].title;
	for (l = 0; l < run->content->nlangs; l++)
		if (t->text[l].title != NULL)
			return t->text[l].title;
	return "";
}

static void
stats_key_shown(const struct stats_run *run, const struct stats_table *t,
    size_t r, char *buf, size_t bufsz)
{
	const char	*title;

	if (r == 0) {
		(void)snprintf(buf, bufsz, "total");
		return;
	}
	title = t->by == STORE_BY_TOPIC ? stats_title(run, t->keys[r]) : "";
	if (title[0] != '\0')
		(void)snprintf(buf, bufsz, "%s %s", t->keys[r], title);
	else
		(void)snprintf(buf, bufsz, "%s", t->keys[r]);
}

/*
 * "1 topic", "3 topics", "2 countries": n rows of keyname, in buf.  A
 * keyname of several words names what a row holds, not a row ("topics
 * offered": a row is a question back between them, or what was then
 * picked): "1 row", "5 rows".
 */
static const char *
stats_rows(size_t n, const char *keyname, char *buf, size_t bufsz)
{
	size_t	 len = strlen(keyname);

	if (strchr(keyname, ' ') != NULL)
		(void)snprintf(buf, bufsz, "%zu row%s", n, n == 1 ? "" : "s");
	else if (n == 1)
		(void)snprintf(buf, bufsz, "1 %s", keyname);
	else if (len > 1 && keyname[len - 1] == 'y')
		(void)snprintf(buf, bufsz, "%zu %.*sies", n, (int)len - 1,
		    keyname);
	else
		(void)snprintf(buf, bufsz, "%zu %ss", n, keyname);
	return buf;
}

static void
stats_print_table(const struct stats_run *run, const struct stats_table *t,
    const char *keyname)
{
	char	 key[160], buf[32], plural[64];
	size_t	 r, kw = utf8_chars(keyname), used = 0, w;
	int	 c;

	for (c = 0; c < SC_NCOL; c++)
		if (t->mask & SC_BIT(c))
			used += 1 + (strlen(stats_col_heads[c]) < 6 ? 6 :
			    strlen(stats_col_heads[c]));
	for (r = 0; r <= t->nrows; r++) {
		if (r > 0 && t->withheld)
			break;
		stats_key_shown(run, t, r, key, sizeof(key));
		if ((w = utf8_chars(key)) > kw)
			kw = w;
	}
	if (kw + used > STATS_WIDTH)
		kw = STATS_WIDTH > used + 8 ? STATS_WIDTH - used : 8;
	stats_pad(keyname, kw);
	for (c = 0; c < SC_NCOL; c++)
		if (t->mask & SC_BIT(c))
			printf(" %6s", stats_col_heads[c]);
	putchar('\n');
	for (r = 0; r <= t->nrows; r++) {
		if (r == 1 && t->withheld) {
			printf("(%s withheld: too few messages to show "
			    "safely)\n", stats_rows(t->nrows, keyname, plural,
			    sizeof(plural)));
			break;
		}
		stats_key_shown(run, t, r, key, sizeof(key));
		stats_pad(key, kw);
		for (c = 0; c < SC_NCOL; c++) {
			if (!(t->mask & SC_BIT(c)))
				continue;
			suppress_format(stats_cell(t, r, c), run->o.k, buf,
			    sizeof(buf));
			printf(" %*s", (int)(strlen(stats_col_heads[c]) < 6 ?
			    6 : strlen(stats_col_heads[c])), buf);
		}
		putchar('\n');
	}
}

static void
stats_print_csv(const struct stats_run *run, const struct stats_table *t,
    const char *keyname)
{
	char	 buf[32], plural[64], line[128];
	size_t	 r;
	int	 c;

	printf("%s", keyname);
	if (t->by == STORE_BY_TOPIC)
		printf(",title");
	for (c = 0; c < SC_NCOL; c++)
		if (t->mask & SC_BIT(c))
			printf(",%s", stats_col_names[c]);
	putchar('\n');
	for (r = 0; r <= t->nrows && !(r > 0 && t->withheld); r++) {
		stats_csv_str(r == 0 ? "total" : t->keys[r]);
		if (t->by == STORE_BY_TOPIC) {
			putchar(',');
			stats_csv_str(r == 0 ? "" : stats_title(run,
			    t->keys[r]));
		}
		for (c = 0; c < SC_NCOL; c++) {
			if (!(t->mask & SC_BIT(c)))
				continue;
			suppress_format(stats_cell(t, r, c), run->o.k, buf,
			    sizeof(buf));
			printf(",%s", buf);
		}
		putchar('\n');
	}
	/* as JSON's "withheld": true, a row that says so, no figures */
	if (t->withheld && t->nrows > 0) {
		(void)snprintf(line, sizeof(line), "withheld: %s, too few "
		    "messages to show safely", stats_rows(t->nrows, keyname,
		    plural, sizeof(plural)));
		stats_csv_str(line);
		if (t->by == STORE_BY_TOPIC)
			putchar(',');
		for (c = 0; c < SC_NCOL; c++)
			if (t->mask & SC_BIT(c))
				putchar(',');
		putchar('\n');
	}
}

static void
stats_json_row(const struct stats_run *run, const struct stats_table *t,
    size_t r)
{
	int	 c, first = 1;

	putchar('{');
	if (r > 0) {
		printf("\"key\": ");
		stats_json_str(t->keys[r]);
		if (t->by == STORE_BY_TOPIC) {
			printf(", \"title\": ");
			stats_json_str(stats_title(run, t->keys[r]));
		}
		first = 0;
	}
	for (c = 0; c < SC_NCOL; c++) {
		if (!(t->mask & SC_BIT(c)))
			continue;
		printf("%s\"%s\": ", first ? "" : ", ", stats_col_names[c]);
		stats_json_cell(stats_cell(t, r, c), run->o.k);
		first = 0;
	}
	putchar('}');
}

static void
stats_json_period(const struct stats_run *run)
{
	char		 buf[32];
	struct tm	 tm;
	time_t		 t;

	printf("\"since\": ");
	if (run->o.period.since > 0) {
		t = (time_t)run->o.period.since;
		gmtime_r(&t, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:00Z", &tm);
		stats_json_str(buf);
	} else
		printf("null");
	printf(", \"until\": ");
	if (run->o.period.until > 0) {
		t = (time_t)run->o.period.until;
		gmtime_r(&t, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:00Z", &tm);
		stats_json_str(buf);
	} else
		printf("null");
	printf(", \"min_count\": %d, \"epoch\": ", run->o.k);
	stats_json_str(run->o.epoch);
}

static void
stats_print_json(const struct stats_run *run, const struct stats_table *t,
    const char *name)
{
	size_t	 r;

	printf("{\"breakdown\": ");
	stats_json_str(name);
	printf(", ");
	stats_json_period(run);
	printf(", \"withheld\": %s, \"total\": ", t->withheld ? "true" :
	    "false");
	stats_json_row(run, t, 0);
	printf(", \"rows\": [");
	for (r = 1; r <= t->nrows && !t->withheld; r++) {
		printf("%s\n  ", r > 1 ? "," : "");
		stats_json_row(run, t, r);
	}
	printf("]}\n");
}

/* The period in words, for the header of a table. */
static void
stats_period_text(const struct stats_run *run, char *buf, size_t bufsz)
{
	char		 first[STORE_HOUR_MAX], last[STORE_HOUR_MAX];

	if (store_stats_span(run->store, &run->o.period, first, last) == -1 ||
	    first[0] == '\0')
		(void)snprintf(buf, bufsz, "no messages in this period");
	else
		(void)snprintf(buf, bufsz, "%s:00 to %s:59 UTC", first, last);
}

static void
stats_legend(const struct stats_run *run)
{
	printf("\n<%d: between 1 and %d.  *: hidden so that a <%d cannot be "
	    "worked out\nfrom the totals.  Senders are counted per "
	    "pseudonym epoch (%s): a person\nwho wrote in two epochs "
	    "counts twice.\n", run->o.k, run->o.k - 1, run->o.k,
	    run->o.epoch);
}

static int
stats_show(struct stats_run *run, enum store_by by, unsigned mask,
    const char *keyname, const char *title)
{
	struct stats_table	 t;
	char			 period[96];

	if (stats_table_load(run->store, &run->o, by, mask, &t) == -1)
		return 1;
	switch (run->format) {
	case STATS_TABLE:
		stats_period_text(run, period, sizeof(period));
		printf("%s\n%s\n\n", title, period);
		stats_print_table(run, &t, keyname);
		if (by == STORE_BY_CHANNEL)
			printf("\nanswered: messages a topic answered, on any "
			    "channel.  SMS replies: replies\nsent as SMS "
			    "(channels sms, sms-http) and SMS parts, what they "
			    "cost.  A USSD\nanswer is a screen in the session, "
			    "not an SMS: answered, but no SMS reply.\n");
		stats_legend(run);
		break;
	case STATS_CSV:
		stats_print_csv(run, &t, keyname);
		break;
	case STATS_JSON:
		stats_print_json(run, &t, keyname);
		break;
	}
	stats_table_free(&t);
	return 0;
}

#define MASK_ALL	(SC_BIT(SC_MSG) | SC_BIT(SC_SND) | SC_BIT(SC_ANS) | \
			    SC_BIT(SC_UNA) | SC_BIT(SC_REP) | SC_BIT(SC_PRT) | \
			    SC_BIT(SC_DRP))
#define MASK_BREAK	(SC_BIT(SC_MSG) | SC_BIT(SC_SND) | SC_BIT(SC_UNA) | \
			    SC_BIT(SC_REP) | SC_BIT(SC_PRT))
#define MASK_TIME	(SC_BIT(SC_MSG) | SC_BIT(SC_SND) | SC_BIT(SC_UNA))

static int
stats_summary(struct stats_run *run)
{
	return stats_show(run, STORE_BY_CHANNEL, MASK_ALL, "channel",
	    "Messages by channel");
}

static int
stats_topics(struct stats_run *run)
{
	return stats_show(run, STORE_BY_TOPIC, SC_BIT(SC_MSG) |
	    SC_BIT(SC_SND) | SC_BIT(SC_REP) | SC_BIT(SC_PRT), "topic",
	    "Messages by topic");
}

static int
stats_languages(struct stats_run *run)
{
	return stats_show(run, STORE_BY_LANG, MASK_BREAK, "language",
	    "Messages by reply language");
}

static int
stats_countries(struct stats_run *run)
{
	return stats_show(run, STORE_BY_COUNTRY, MASK_BREAK, "country",
	    "Messages by country of the number");
}

static int
stats_hours(struct stats_run *run)
{
	return stats_show(run, STORE_BY_HOUR, MASK_TIME, "hour",
	    "Messages by hour of the day (UTC)");
}

static int
stats_days(struct stats_run *run)
{
	return stats_show(run, STORE_BY_DAY, MASK_TIME, "day",
	    "Messages by day (UTC)");
}

/*
 * Where the router asked back: the topics offered ("fraud,work asked")
 * and then which one the sender picked ("fraud,work > work"); a pair
 * asked often is where examples are missing.
 */
static int
stats_unsure(struct stats_run *run)
{
	return stats_show(run, STORE_BY_UNSURE, SC_BIT(SC_MSG) |
	    SC_BIT(SC_SND), "topics offered",
	    "Questions back when unsure, and the topic then picked");
}

static int
stats_unanswered(struct stats_run *run)
{
	struct store_word	*w = NULL;
	char			 period[96];
	size_t			 n = 0, i, kw = 4;

	if (store_stats_words(run->store, &run->o.period, run->o.min_senders,
	    STATS_WORDS, &w, &n) == -1)
		return 1;
	switch (run->format) {
	case STATS_TABLE:
		stats_period_text(run, period, sizeof(period));
		printf("Words of unanswered messages\n%s\n\n", period);
		for (i = 0; i < n; i++)
			if (utf8_chars(w[i].word) > kw)
				kw = utf8_chars(w[i].word);
		stats_pad("word", kw);
		printf(" %7s %7s\n", "senders", "uses");
		for (i = 0; i < n; i++) {
			stats_pad(w[i].word, kw);
			printf(" %7lld %7lld\n", (long long)w[i].senders,
			    (long long)w[i].uses);
		}
		if (n == 0)
			printf("(none used by %d or more senders)\n",
			    run->o.min_senders);
		printf("\nOnly words that %d or more distinct senders used "
		    "are shown, folded as\nkeywords are matched; numbers and "
		    "names are never stored.\n", run->o.min_senders);
		break;
	case STATS_CSV:
		printf("word,senders,uses\n");
		for (i = 0; i < n; i++) {
			stats_csv_str(w[i].word);
			printf(",%lld,%lld\n", (long long)w[i].senders,
			    (long long)w[i].uses);
		}
		break;
	case STATS_JSON:
		printf("{\"breakdown\": \"unanswered\", ");
		stats_json_period(run);
		printf(", \"min_senders\": %d, \"rows\": [",
		    run->o.min_senders);
		for (i = 0; i < n; i++) {
			printf("%s\n  {\"word\": ", i > 0 ? "," : "");
			stats_json_str(w[i].word);
			printf(", \"senders\": %lld, \"uses\": %lld}",
			    (long long)w[i].senders, (long long)w[i].uses);
		}
		printf("]}\n");
		break;
	}
	free(w);
	return 0;
}

/*
 * The subcommands of "habar stats".  Another breakdown is one line here
 * and one function taking the opened database and options ("stats
 * checks" is checks.c's, dispatched by habar.c).
 */
static const struct {
	const char	*name;
	int		(*fn)(struct stats_run *);
	bool		 titles;	/* needs the content for titles */
} stats_subs[] = {
	{ "summary", stats_summary, false },
	{ "topics", stats_topics, true },
	{ "languages", stats_languages, false },
	{ "countries", stats_countries, false },
	{ "hours", stats_hours, false },
	{ "days", stats_days, false },
	{ "unanswered", stats_unanswered, false },
	{ "unsure", stats_unsure, false },
};

static int
stats_usage(void)
{
	fprintf(stderr, "usage: habar stats [summary|topics|languages|"
	    "countries|hours|days|unanswered|unsure|checks]\n"
	    "           [--since YYYY-MM-DD] [--until YYYY-MM-DD] "
	    "[--last 7d]\n"
	    "           [--format table|csv|json]\n");
	return 2;
}

int
stats_main(const char *conf_file, int argc, char *argv[])
{
	struct stats_run	 run;
	const char		*sub = "summary";
	size_t			 s;
	int			 i = 1, rv, r;

	memset(&run, 0, sizeof(run));
	while (i < argc) {
		if ((r = stats_period_opt(&run.o, argc, argv, &i)) == -1)
			return 2;
		if (r == 1)
			continue;
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			if (strcmp(argv[i + 1], "table") == 0)
				run.format = STATS_TABLE;
			else if (strcmp(argv[i + 1], "csv") == 0)
				run.format = STATS_CSV;
			else if (strcmp(argv[i + 1], "json") == 0)
				run.format = STATS_JSON;
			else
				return stats_usage();
			i += 2;
		} else if (argv[i][0] != '-' && i == 1)
			sub = argv[i++];
		else
			return stats_usage();
	}
	for (s = 0; s < sizeof(stats_subs) / sizeof(stats_subs[0]); s++)
		if (strcmp(stats_subs[s].name, sub) == 0)
			break;
	if (s == sizeof(stats_subs) / sizeof(stats_subs[0]))
		return stats_usage();
	if ((run.conf = stats_conf(conf_file, &run.o)) == NULL)
		return 2;
	if ((run.store = store_open_readonly(run.conf->database)) == NULL) {
		conf_free(run.conf);
		return 1;
	}
	if (stats_subs[s].titles)
		run.content = content_load(run.conf->content_dir,
		    (const char *const *)run.conf->langs, run.conf->nlangs,
		    stats_quiet, NULL);
	rv = stats_subs[s].fn(&run);
	content_free(run.content);
	store_close(run.store);
	conf_free(run.conf);
	return rv;
}

/* ---- habar keys */

int
stats_keys(const char *conf_file, int argc, char *argv[])
{
	struct pseudo_key	 keys[STATS_MAX_KEYS];
	struct stats_opts	 o;
	struct conf		*conf;
	enum pseudo_epoch	 epoch;
	char			 cur[32], when[32];
	struct tm		 tm;
	time_t			 now = time(NULL);
	size_t			 n, i, stale = 0;
	int			 have = 0;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: habar keys\n");
		return 2;
	}
	memset(&o, 0, sizeof(o));
	if ((conf = stats_conf(conf_file, &o)) == NULL)
		return 2;
	epoch = conf->pseudonym.period;
	if (pseudo_epoch_name(epoch, now, cur, sizeof(cur)) == -1 ||
	    pseudo_keys(conf->pseudonym.key_dir, epoch, now, keys,
	    STATS_MAX_KEYS, &n) == -1) {
		conf_free(conf);
		return 1;
	}
	printf("key folder  %s\nepoch       %s (a new key each %s; the old "
	    "one is destroyed)\ncurrent     %s\n\n", conf->pseudonym.key_dir,
	    conf->pseudonym.epoch, conf->pseudonym.epoch, cur);
	printf("%-12s %-20s %8s  %s\n", "epoch", "created (UTC)", "age",
	    "mode");
	for (i = 0; i < n && i < STATS_MAX_KEYS; i++) {
		gmtime_r(&keys[i].created, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
		printf("%-12s %-20s %6.1fd  %04o%s\n", keys[i].epoch, when,
		    (double)(now - keys[i].created) / 86400.0, keys[i].mode,
		    keys[i].current ? "  current" :
		    "  PAST: destroyed at habard's next start or message");
		if (keys[i].current)
			have = 1;
		else
			stale++;
		if (keys[i].mode & 077)
			printf("             warning: readable by others; "
			    "chmod 600 it\n");
	}
	if (n == 0)
		printf("(no key yet: habard creates one with the epoch's "
		    "first message)\n");
	else if (!have)
		printf("(no key for the current epoch yet)\n");
	conf_free(conf);
	return stale > 0 ? 1 : 0;
}

/* ---- habar purge */

int
stats_purge(const char *conf_file, int argc, char *argv[])
{
	struct stats_opts	 o;
	struct store_purged	 p;
	struct conf		*conf;
	struct store		*s;
	struct pseudo		*ps;
	time_t			 now = time(NULL);
	int			 rv = 0;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: habar purge\n");
		return 2;
	}
	memset(&o, 0, sizeof(o));
	if ((conf = stats_conf(conf_file, &o)) == NULL)
		return 2;
	if ((s = store_open(conf->database)) == NULL) {
		conf_free(conf);
		return 1;
	}
	if (store_purge(s, (int64_t)now - (int64_t)conf->stats.keep_events *
	    86400, now, &p) == -1)
		rv = 1;
	else
		printf("deleted %lld event(s) and %lld unanswered word(s) "
		    "older than %d days,\n%lld expired session(s)\n",
		    (long long)p.events, (long long)p.unmatched,
		    conf->stats.keep_events, (long long)p.sessions);
	if (store_idle_checkpoint(s) == -1)
		rv = 1;
	store_close(s);
	/* Opening the key folder destroys keys of past epochs. */
	if ((ps = pseudo_open(conf->pseudonym.key_dir,
	    conf->pseudonym.period)) != NULL)
		pseudo_close(ps);
	conf_free(conf);
	return rv;
}
