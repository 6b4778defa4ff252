/*
 * habar.c - the command line for people: check content, try a query
 * without a modem, route a batch of queries, text the demo gateway
 * through its simulated phone.  Links the gateway's own objects.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "answer.h"
#include "conf.h"
#include "content.h"
#include "eval.h"
#include "lists.h"
#include "log.h"
#include "simphone.h"
#include "reply.h"
#include "route.h"
#include "stats.h"
#include "doctor.h"
#include "status.h"
#include "utf8.h"

#define HABAR_CONF_DEFAULT	"/etc/habar/habar.conf"
#define SIM_SENDER		"+77010000001"	/* the demo's test number */
#define SIM_WAIT_MS		10000

struct habar {
	const char	*file;		/* -f */
	struct conf	*conf;		/* NULL until needed */
	struct content	*content;
	struct route	*route;
	int		 errors;
	int		 warnings;
};

/* One subcommand: its usage after "habar [-f file] ", and what it does. */
struct habar_cmd {
	const char	*name;
	const char	*usage;
	const char	*brief;		/* for the list of commands */
	const char	*what;
};

static const struct habar_cmd habar_cmds[] = {
	{ "lint", "lint [--format=json] [--today=YYYY-MM-DD] [dir]",
	    "check the content",
	    "Check the content in dir (default: content_dir of the\n"
	    "configuration): every problem as file:line, the SMS parts each "
	    "reply\ncosts and the phone numbers to call; for a set with "
	    "examples, how well\neach topic's examples are understood "
	    "(cross-validated).  Exits 1 on errors." },
	{ "try", "try [--lang code] text",
	    "answer a text without a modem",
	    "Answer text without a modem: the topic, why it matched (the "
	    "keyword, the\nthree likeliest topics and their scores), the "
	    "reply and its SMS parts." },
	{ "route", "route --tsv",
	    "route queries from standard input",
	    "Route one query a line of standard input; print topic, language "
	    "and\nmatch kind separated by tabs, and for a question back "
	    "(choose) the\ntopics offered." },
	{ "eval", "eval file",
	    "score the router on a query set",
	    "Route each line \"query<TAB>right topics<TAB>language\" of "
	    "file; print the\nshare right, asked back, wrong and unknown "
	    "by language, and the pairs\nmost often confused." },
	{ "sim", "sim text",
	    "text a gateway on a simulated phone",
	    "Text a habard running on a simulated phone (modem.device is its "
	    "folder)\nand print the reply; exits 1 when none comes within "
	    "10 s." },
	{ "status", "status",
	    "what each habard knows: modem, queues, credit",
	    "What each habard on the database knows: start, content version, "
	    "last\nmessage in and reply out, signal, network, SIM credit, "
	    "queue sizes." },
	{ "doctor", "doctor [--pin] [--send number]",
	    "check the modem step by step, for the technician",
	    "Connect to the configured modem and say, step by step, what works "
	    "and\nwhat to do about what does not: the device and its "
	    "permissions, what\nelse holds it, the modem's answer, SIM and "
	    "PIN, network and signal, SMSC,\nSIM storage, credit.  --pin "
	    "enters the configured PIN when the SIM asks\n(a wrong one costs "
	    "one of three tries); --send texts a test SMS.\nExits 1 when a "
	    "step fails." },
	{ "stats", "stats [summary|topics|languages|countries|hours|days|"
	    "\n           unanswered|unsure] [--since YYYY-MM-DD] [--until "
	    "YYYY-MM-DD]\n           [--last 7d] [--format table|csv|json]\n"
	    "       habar [-f file] stats checks [--by-day] [--since D] "
	    "[--until D]\n           [--last 30d] [--format table|csv]",
	    "demand statistics",
	    "Demand statistics from the database (read-only), small counts "
	    "suppressed;\nsummary by default.  checks: how often each "
	    "entry of the lists was checked." },
	{ "report", "report --html file [--lang ru|en] [--since D] "
	    "[--until D]\n           [--last 7d]",
	    "the statistics as an HTML page",
	    "Write the statistics as one self-contained HTML page with SVG "
	    "charts." },
	{ "keys", "keys",
	    "the pseudonym keys' epochs and ages",
	    "List the pseudonym key epochs and their ages (never key bytes); "
	    "exits 1\nif a past epoch's key is still on disk." },
	{ "purge", "purge",
	    "delete what is past its time now",
	    "Delete events past stats.keep_events days and expired sessions, "
	    "and\ndestroy past epochs' keys, now rather than at habard's "
	    "next daily run." },
};

#define HABAR_NCMDS	(sizeof(habar_cmds) / sizeof(habar_cmds[0]))

/* Every usage line to fp. */
static void
usage_lines(FILE *fp)
{
	size_t	 i;

	for (i = 0; i < HABAR_NCMDS; i++)
		fprintf(fp, "%s habar [-f file] %s\n", i == 0 ? "usage:" :
		    "      ", habar_cmds[i].usage);
}

static void __attribute__((noreturn))
usage(void)
{
	usage_lines(stderr);
	fprintf(stderr, "Try \"habar --help\" or \"habar COMMAND "
	    "--help\".\n");
	exit(2);
}

/* --help: cmd's usage and what it does, or all of them; exits 0. */
static void __attribute__((noreturn))
help(const struct habar_cmd *cmd)
{
	size_t	 i;

	if (cmd != NULL) {
		printf("usage: habar [-f file] %s\n\n%s\n", cmd->usage,
		    cmd->what);
		exit(0);
	}
	usage_lines(stdout);
	printf("\n-f file  the configuration; by default $HABAR_CONF, else "
	    "%s\n\n", HABAR_CONF_DEFAULT);
	printf("Commands:\n");
	for (i = 0; i < HABAR_NCMDS; i++)
		printf("  %-8s %s\n", habar_cmds[i].name, habar_cmds[i].brief);
	printf("\n\"habar COMMAND --help\" says what one command does; "
	    "habar(1) says it all.\n");
	exit(0);
}

/*
 * The configuration must be readable: if not, say which one was tried,
 * why it was that one, and how to name another.  Exits 2.
 */
static void
conf_readable(const char *file)
{
	const char	*env = getenv("HABAR_CONF");

	if (access(file, R_OK) == 0)
		return;
	fprintf(stderr, "habar: cannot read the configuration %s: %s\n",
	    file, strerror(errno));
	if (env != NULL && strcmp(env, file) == 0)
		fprintf(stderr, "habar: HABAR_CONF names it;\n");
	else if (strcmp(file, HABAR_CONF_DEFAULT) == 0)
		fprintf(stderr, "habar: that is the default, as neither -f "
		    "nor HABAR_CONF names one;\n");
	else
		fprintf(stderr, "habar: -f names it;\n");
	fprintf(stderr, "habar: name yours with -f FILE before the command "
	    "(habar -f conf/demo.conf lint)\nhabar: or with "
	    "HABAR_CONF=FILE\n");
	exit(2);
}

static void
diag(void *arg, enum content_severity sev, const char *file, int line,
    const char *msg)
{
	struct habar	*hb = arg;
	const char	*kind = sev == CONTENT_ERROR ? "error" : "warning";

	if (sev == CONTENT_ERROR)
		hb->errors++;
	else
		hb->warnings++;
	/* stderr: route --tsv and eval print results on stdout */
	if (line > 0)
		fprintf(stderr, "%s:%d: %s: %s\n", file, line, kind, msg);
	else
		fprintf(stderr, "%s: %s: %s\n", file, kind, msg);
}

static void
need_conf(struct habar *hb)
{
	if (hb->conf != NULL)
		return;
	conf_readable(hb->file);
	if ((hb->conf = conf_load(hb->file)) == NULL)
		exit(2);
}

/* Load content and router; print problems and exit 1 on errors. */
static void
need_content(struct habar *hb, const char *dir)
{
	static const char *const default_langs[] = { "kk", "ru" };
	const char *const *langs = default_langs, *const *lists = NULL;
	size_t		 nlangs = 2, nlists = 0;
	struct route_opts opts;

	if (dir == NULL || access(hb->file, R_OK) == 0) {
		need_conf(hb);
		langs = (const char *const *)hb->conf->langs;
		nlangs = hb->conf->nlangs;
		lists = (const char *const *)hb->conf->content.extra_lists;
		nlists = hb->conf->content.nextra_lists;
		if (dir == NULL)
			dir = hb->conf->content_dir;
	}
	hb->content = content_load_with(dir, langs, nlangs, lists, nlists,
	    diag, hb);
	if (hb->content == NULL)
		exit(1);
	memset(&opts, 0, sizeof(opts));
	opts.default_lang = hb->conf != NULL ?
	    content_lang(hb->content, hb->conf->default_lang) : 0;
	opts.first_words = hb->conf != NULL ? hb->conf->route.first_words : 8;
	if ((hb->route = route_new(hb->content, &opts, diag, hb)) == NULL)
		exit(1);
}

static size_t
max_parts(struct habar *hb)
{
	return hb->conf != NULL ? (size_t)hb->conf->reply.max_parts : 3;
}

/* ---- lint: everything the gateway depends on, in words editors act on */

#define LINT_WIDTH	80	/* columns of the cost table */
#define LINT_MAX_NUMS	32	/* phone numbers listed per topic */
#define LINT_NUM_LEN	32	/* bytes of one as written */

struct lint_diag {
	char			*file;
	int			 line;
	enum content_severity	 sev;
	char			*msg;
	size_t			 seq;	/* keeps the sort stable */
};

struct lint_cost {
	size_t			 parts;		/* 0: no text */
	enum reply_coding	 coding;
	size_t			 units;		/* septets or UTF-16 units */
	size_t			 latin_parts;
	size_t			 latin_units;
};

struct lint_topic {
	const struct topic	*t;
	long			 age;		/* days since verified, or -1 */
	struct lint_cost	 cost[CONTENT_MAX_LANGS];
	char			 num[LINT_MAX_NUMS][LINT_NUM_LEN];
	size_t			 nnum;
};

struct lint {
	struct lint_diag	*d;
	size_t			 nd;
	int			 errors;
	int			 warnings;
	int			 oom;
	size_t			 max_parts;
	int			 max_age;
	bool			 latin;
	long			 today;		/* days since 1970-01-01 */
	struct lint_topic	*topics;
	size_t			 ntopics;
};

static void
lint_collect(void *arg, enum content_severity sev, const char *file,
    int line, const char *msg)
{
	struct lint		*li = arg;
	struct lint_diag	*nd;

	if (sev == CONTENT_ERROR)
		li->errors++;
	else
		li->warnings++;
	if ((nd = reallocarray(li->d, li->nd + 1, sizeof(*nd))) == NULL) {
		li->oom = 1;
		return;
	}
	li->d = nd;
	nd = &li->d[li->nd];
	nd->file = strdup(file);
	nd->msg = strdup(msg);
	nd->line = line;
	nd->sev = sev;
	nd->seq = li->nd;
	if (nd->file == NULL || nd->msg == NULL) {
		free(nd->file);
		free(nd->msg);
		li->oom = 1;
		return;
	}
	li->nd++;
}

static void	 lint_report(struct lint *, enum content_severity,
		    const char *, int, const char *, ...)
		    __attribute__((format(printf, 5, 6)));

static void
lint_report(struct lint *li, enum content_severity sev, const char *file,
    int line, const char *fmt, ...)
{
	char	 msg[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	lint_collect(li, sev, file, line, msg);
}

/* By file, then line; in the order found within one line. */
static int
lint_cmp(const void *a, const void *b)
{
	const struct lint_diag	*x = a, *y = b;
	int			 r;

	if ((r = strcmp(x->file, y->file)) != 0)
		return r;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
lint_fresh(struct lint *li, struct lint_topic *lt)
{
	const struct topic	*t = lt->t;
	long			 verified;

	lt->age = -1;
	if (t->verified == NULL || (verified = lists_days(t->verified)) < 0)
		return;		/* content_lint() reported it */
	lt->age = li->today - verified;
	if (lt->age < 0)
		lint_report(li, CONTENT_WARNING, t->file, t->verified_line,
		    "\"verified: %s\" is in the future: write the day the "
		    "facts were last checked", t->verified);
	else if (lt->age > li->max_age)
		lint_report(li, CONTENT_WARNING, t->file, t->verified_line,
		    "facts last checked %ld days ago (verified: %s), more "
		    "than content.max_age (%d days): check them and every "
		    "phone number again, then update the date", lt->age,
		    t->verified, li->max_age);
}

static size_t
lint_units(const struct reply *r)
{
	size_t	 i, n = 0;

	for (i = 0; i < r->nparts; i++)
		n += r->coding == REPLY_UCS2 ? reply_ucs2_units(r->part[i]) :
		    reply_septets(r->part[i]);
	return n;
}

/*
 * Parts text takes when sent whole, cut at words as the gateway cuts;
 * REPLY_MAX_PARTS + 1 when even the hard cap does not hold it.
 */
static int
lint_parts(const char *text, size_t *parts, enum reply_coding *coding,
    size_t *units)
{
	struct reply	 r;

	if (reply_compose(&r, text, REPLY_MAX_PARTS, NULL) == -1)
		return -1;
	*parts = r.cut ? REPLY_MAX_PARTS + 1 : r.nparts;
	*coding = r.coding;
	*units = lint_units(&r);
	reply_release(&r);
	return 0;
}

static void
lint_cost(struct lint *li, const struct content *c, struct lint_topic *lt,
    int l)
{
	const struct topic	*t = lt->t;
	const struct topic_text	*tt = &t->text[l];
	struct lint_cost	*k = &lt->cost[l];
	enum reply_coding	 lc;
	char			*s;
	int			 line;

	if (!tt->present || tt->text == NULL)
		return;
	if ((s = answer_text(c, t, l, false)) == NULL ||
	    lint_parts(s, &k->parts, &k->coding, &k->units) == -1) {
		free(s);
		li->oom = 1;
		return;
	}
	free(s);
	if ((s = answer_text(c, t, l, true)) == NULL ||
	    lint_parts(s, &k->latin_parts, &lc, &k->latin_units) == -1) {
		free(s);
		li->oom = 1;
		return;
	}
	free(s);
	if (strcmp(t->id, CONTENT_MORE) == 0)
		return;		/* a hint inside other replies */
	if (k->parts > li->max_parts)
		lint_report(li, CONTENT_WARNING, t->file, tt->text_line,
		    "the [%s] reply needs %s%zu SMS parts (%s, %zu %s), more "
		    "than reply.max_parts (%zu): it goes out in pages, and "
		    "senders pay for a MORE to read on; shorten the text",
		    c->langs[l],
		    k->parts > REPLY_MAX_PARTS ? "more than " : "",
		    k->parts > REPLY_MAX_PARTS ? (size_t)REPLY_MAX_PARTS :
		    k->parts, reply_coding_name(k->coding), k->units,
		    k->coding == REPLY_UCS2 ? "characters" : "septets",
		    li->max_parts);
	line = tt->text_latin != NULL ? tt->text_latin_line : tt->text_line;
	if (tt->text_latin != NULL && !reply_is_gsm7(tt->text_latin))
		lint_report(li, CONTENT_WARNING, t->file, line,
		    "\"text.latin:\" in [%s] has characters an SMS in Latin "
		    "cannot carry, which the gateway replaces when it sends: "
		    "write plain Latin letters", c->langs[l]);
	if (li->latin && k->latin_parts > li->max_parts)
		lint_report(li, CONTENT_WARNING, t->file, line,
		    "the Latin form of the [%s] reply needs %s%zu SMS parts "
		    "(%zu septets), more than reply.max_parts (%zu): Latin "
		    "writers get it in pages%s", c->langs[l],
		    k->latin_parts > REPLY_MAX_PARTS ? "more than " : "",
		    k->latin_parts > REPLY_MAX_PARTS ?
		    (size_t)REPLY_MAX_PARTS : k->latin_parts, k->latin_units,
		    li->max_parts, tt->text_latin != NULL ? "" : "; add a "
		    "shorter \"text.latin:\"");
}

static int
lint_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

/*
 * The phone-number-like run at s, if any: an optional '+', then digit
 * groups joined by at most two of " -()" (as in "+7 (727) 123-45-67").
 * Copies it as written into out and returns its length in s, or 0 when
 * s does not start one.  Runs of fewer than 3 digits (30 days) and lone
 * years (2026) are not numbers.
 */
static size_t
lint_number(const char *s, char *out, size_t outsz)
{
	const char	*p = s, *q;
	size_t		 digits = 0, n;

	if (*p == '+')
		p++;
	if (!lint_digit((unsigned char)*p))
		return 0;
	for (;;) {
		while (lint_digit((unsigned char)*p)) {
			p++;
			digits++;
		}
		for (q = p; q - p < 2 && *q != '\0' && strchr(" -()", *q) !=
		    NULL; q++)
			;
		if (q == p || !lint_digit((unsigned char)*q))
			break;
		p = q;
	}
	n = p - s;
	out[0] = '\0';
	if (digits < 3 || (digits == 4 && n == 4 &&
	    (strncmp(s, "19", 2) == 0 || strncmp(s, "20", 2) == 0)))
		return n;	/* skipped whole: no number */
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, s, n);
	out[n] = '\0';
	return p - s;
}

/* Digits (and a leading '+') of a number, for comparing. */
static void
lint_digits(char *dst, size_t dstsz, const char *num)
{
	size_t	 n = 0;

	for (; *num != '\0' && n + 1 < dstsz; num++)
		if (lint_digit((unsigned char)*num) || (*num == '+' && n == 0))
			dst[n++] = *num;
	dst[n] = '\0';
}

/* Every number in text, as digits, into nums; returns how many. */
static size_t
lint_scan(const char *text, char nums[][LINT_NUM_LEN], size_t max,
    char shown[][LINT_NUM_LEN])
{
	const char	*s = text;
	char		 num[LINT_NUM_LEN], d[LINT_NUM_LEN];
	size_t		 n = 0, len, i;

	while (*s != '\0') {
		if (s > text && (lint_digit((unsigned char)s[-1]) ||
		    (s[-1] >= 'a' && s[-1] <= 'z') ||
		    (s[-1] >= 'A' && s[-1] <= 'Z'))) {
			s++;
			continue;
		}
		num[0] = '\0';
		if ((len = lint_number(s, num, sizeof(num))) == 0) {
			s++;
			continue;
		}
		s += len;
		if (num[0] == '\0')
			continue;
		lint_digits(d, sizeof(d), num);
		for (i = 0; i < n; i++)
			if (strcmp(nums[i], d) == 0)
				break;
		if (i < n || n == max)
			continue;
		memcpy(nums[n], d, sizeof(d));
		if (shown != NULL)
			memcpy(shown[n], num, sizeof(num));
		n++;
	}
	return n;
}

/* True if the number (digits) is among the n of set. */
static int
lint_has(char set[][LINT_NUM_LEN], size_t n, const char *num)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(set[i], num) == 0)
			return 1;
	return 0;
}

/*
 * The numbers of every language's text, listed once for review; a
 * number one language gives and another lacks is a likely slip in a
 * translation.
 */
static void
lint_numbers(struct lint *li, const struct content *c, struct lint_topic *lt)
{
	const struct topic	*t = lt->t;
	char			 all[LINT_MAX_NUMS][LINT_NUM_LEN];
	char			 in[CONTENT_MAX_LANGS][LINT_MAX_NUMS]
				    [LINT_NUM_LEN];
	char			 shown[LINT_MAX_NUMS][LINT_NUM_LEN];
	size_t			 nin[CONTENT_MAX_LANGS], from[LINT_MAX_NUMS];
	size_t			 l, i;

	for (l = 0; l < c->nlangs; l++) {
		nin[l] = 0;
		if (t->text[l].text == NULL)
			continue;
		nin[l] = lint_scan(t->text[l].text, in[l], LINT_MAX_NUMS,
		    shown);
		for (i = 0; i < nin[l]; i++) {
			if (lint_has(all, lt->nnum, in[l][i]) ||
			    lt->nnum == LINT_MAX_NUMS)
				continue;
			memcpy(all[lt->nnum], in[l][i], LINT_NUM_LEN);
			memcpy(lt->num[lt->nnum], shown[i], LINT_NUM_LEN);
			from[lt->nnum++] = l;
		}
	}
	for (l = 0; l < c->nlangs; l++) {
		if (t->text[l].text == NULL)
			continue;
		for (i = 0; i < lt->nnum; i++)
			if (!lint_has(in[l], nin[l], all[i]))
				lint_report(li, CONTENT_WARNING, t->file,
				    t->text[l].text_line, "the [%s] text "
				    "lacks the number %s that the [%s] text "
				    "gives: check the translation",
				    c->langs[l], lt->num[i],
				    c->langs[from[i]]);
	}
}

static const char *
lint_title(const struct content *c, const struct topic *t, int lang)
{
	size_t	 l;

	if (lang >= 0 && t->text[lang].title != NULL)
		return t->text[lang].title;
	for (l = 0; l < c->nlangs; l++)
		if (t->text[l].title != NULL)
			return t->text[l].title;
	return "";
}

/* Parts as shown: "3", or ">10" past the hard cap. */
static void
lint_nparts(char *buf, size_t sz, size_t n)
{
	if (n > REPLY_MAX_PARTS)
		snprintf(buf, sz, ">%d", REPLY_MAX_PARTS);
	else
		snprintf(buf, sz, "%zu", n);
}

/* "2/1": parts of the text / of its Latin form; '*' over budget. */
static void
lint_cost_cell(char *buf, size_t sz, const struct lint *li,
    const struct lint_cost *k)
{
	char	 a[8], b[8];

	if (k->parts == 0) {
		snprintf(buf, sz, "-");
		return;
	}
	lint_nparts(a, sizeof(a), k->parts);
	lint_nparts(b, sizeof(b), k->latin_parts);
	snprintf(buf, sz, "%s/%s%s", a, b, k->parts > li->max_parts ||
	    (li->latin && k->latin_parts > li->max_parts) ? "*" : "");
}

/*
 * The cost table: one row a topic, one column a language, within
 * LINT_WIDTH columns; titles are padded by characters, not bytes, so
 * Cyrillic lines up.
 */
static void
lint_table(const struct lint *li, const struct content *c, int title_lang)
{
	const struct lint_topic	*lt;
	char			 cell[32];
	size_t			 i, l, idw = 5, titlew = 5, cellw = 6, w;
	int			 avail;

	for (i = 0; i < li->ntopics; i++) {
		lt = &li->topics[i];
		if ((w = strlen(lt->t->id)) > idw)
			idw = w;
		if ((w = utf8_chars(lint_title(c, lt->t, title_lang))) >
		    titlew)
			titlew = w;
	}
	if (idw > 16)
		idw = 16;
	avail = LINT_WIDTH - 1 - (int)(idw + 2) - (int)(c->nlangs *
	    (cellw + 1));
	if ((int)titlew > avail)
		titlew = avail >= 8 ? (size_t)avail : 0;
	printf("\nSMS parts per reply, text/Latin form (reply.max_parts = "
	    "%zu; * over it):\n", li->max_parts);
	stats_pad("topic", idw + 2);
	if (titlew > 0)
		stats_pad("title", titlew + 2);
	for (l = 0; l < c->nlangs; l++) {
		printf("%s", l > 0 ? " " : "");
		stats_pad(c->langs[l], l + 1 < c->nlangs ? cellw : 0);
	}
	printf("\n");
	for (i = 0; i < li->ntopics; i++) {
		lt = &li->topics[i];
		stats_pad(lt->t->id, idw + 2);
		if (titlew > 0)
			stats_pad(lint_title(c, lt->t, title_lang),
			    titlew + 2);
		for (l = 0; l < c->nlangs; l++) {
			lint_cost_cell(cell, sizeof(cell), li, &lt->cost[l]);
			printf("%s", l > 0 ? " " : "");
			stats_pad(cell, l + 1 < c->nlangs ? cellw : 0);
		}
		printf("\n");
	}
}

/* Numbers to call, a topic a line, wrapped within LINT_WIDTH. */
static void
lint_number_list(const struct lint *li)
{
	const struct lint_topic	*lt;
	size_t			 i, j, col;
	int			 any = 0;

	for (i = 0; i < li->ntopics; i++) {
		lt = &li->topics[i];
		if (lt->nnum == 0)
			continue;
		if (!any++)
			printf("\nPhone numbers in the texts: call each one "
			    "before you publish, then\nupdate \"verified:\" "
			    "and \"source:\".\n");
		col = (size_t)printf("%s (verified %s):", lt->t->id,
		    lt->t->verified != NULL ? lt->t->verified : "never");
		for (j = 0; j < lt->nnum; j++) {
			if (col + strlen(lt->num[j]) + 2 > LINT_WIDTH) {
				printf("\n   ");
				col = 3;
			}
			col += (size_t)printf(" %s%s", lt->num[j],
			    j + 1 < lt->nnum ? "," : "");
		}
		printf("\n");
	}
}

/*
 * The sections awaiting a native speaker's review ("review: pending"),
 * a language a line: information for the editor, neither an error nor
 * a warning.  content/README.md says how to get them reviewed.
 */
static void
lint_review(const struct content *c)
{
	size_t	 l, i, col, n;
	int	 any = 0;

	for (l = 0; l < c->nlangs; l++) {
		for (i = n = 0; i < c->ntopics; i++)
			n += c->topics[i].text[l].review ==
			    CONTENT_REVIEW_PENDING;
		if (n == 0)
			continue;
		if (!any++)
			printf("\n\"review: pending\": awaiting a native "
			    "speaker's review (content/README.md):\n");
		col = (size_t)printf("[%s] %zu:", c->langs[l], n);
		for (i = 0; i < c->ntopics; i++) {
			if (c->topics[i].text[l].review !=
			    CONTENT_REVIEW_PENDING)
				continue;
			if (col + strlen(c->topics[i].id) + 2 > LINT_WIDTH) {
				printf("\n   ");
				col = 3;
			}
			col += (size_t)printf(" %s%s", c->topics[i].id,
			    --n > 0 ? "," : "");
		}
		printf("\n");
	}
}

static void
json_str(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			printf("\\%c", ch);
		else if (ch == '\n')
			printf("\\n");
		else if (ch < 0x20)
			printf("\\u%04x", ch);
		else
			putchar(ch);
	}
	putchar('"');
}

static void
lint_json(const struct lint *li, const struct content *c, const char *dir)
{
	const struct lint_topic	*lt;
	const struct lint_cost	*k;
	size_t			 i, l, np;

	printf("{\"dir\": ");
	json_str(dir);
	printf(", \"version\": ");
	if (c != NULL)
		json_str(c->version);
	else
		printf("null");
	printf(", \"languages\": [");
	for (l = 0; c != NULL && l < c->nlangs; l++) {
		printf("%s", l > 0 ? ", " : "");
		json_str(c->langs[l]);
	}
	printf("], \"max_parts\": %zu, \"max_age\": %d, \"errors\": %d, "
	    "\"warnings\": %d,\n \"diagnostics\": [", li->max_parts,
	    li->max_age, li->errors, li->warnings);
	for (i = 0; i < li->nd; i++) {
		printf("%s\n  {\"file\": ", i > 0 ? "," : "");
		json_str(li->d[i].file);
		printf(", \"line\": %d, \"severity\": \"%s\", \"message\": ",
		    li->d[i].line, li->d[i].sev == CONTENT_ERROR ? "error" :
		    "warning");
		json_str(li->d[i].msg);
		printf("}");
	}
	printf("],\n \"topics\": [");
	for (i = 0; i < li->ntopics; i++) {
		lt = &li->topics[i];
		printf("%s\n  {\"id\": ", i > 0 ? "," : "");
		json_str(lt->t->id);
		printf(", \"file\": ");
		json_str(lt->t->file);
		printf(", \"menu\": %d, \"verified\": ", lt->t->menu);
		if (lt->t->verified != NULL)
			json_str(lt->t->verified);
		else
			printf("null");
		if (lt->age >= 0)
			printf(", \"age_days\": %ld", lt->age);
		else
			printf(", \"age_days\": null");
		printf(", \"cost\": {");
		for (l = 0; l < c->nlangs; l++) {
			k = &lt->cost[l];
			printf("%s", l > 0 ? ", " : "");
			json_str(c->langs[l]);
			if (k->parts == 0) {
				printf(": null");
				continue;
			}
			printf(": {\"parts\": %zu, \"coding\": \"%s\", "
			    "\"units\": %zu, \"latin_parts\": %zu, "
			    "\"latin_units\": %zu}", k->parts,
			    reply_coding_name(k->coding), k->units,
			    k->latin_parts, k->latin_units);
		}
		printf("}, \"review_pending\": [");
		for (l = 0, np = 0; l < c->nlangs; l++) {
			if (lt->t->text[l].review != CONTENT_REVIEW_PENDING)
				continue;
			printf("%s", np++ > 0 ? ", " : "");
			json_str(c->langs[l]);
		}
		printf("], \"numbers\": [");
		for (l = 0; l < lt->nnum; l++) {
			printf("%s", l > 0 ? ", " : "");
			json_str(lt->num[l]);
		}
		printf("]}");
	}
	printf("]}\n");
}

static void
lint_text(const struct lint *li, const struct content *c, int title_lang)
{
	size_t	 i;

	for (i = 0; i < li->nd; i++)
		if (li->d[i].line > 0)
			printf("%s:%d: %s: %s\n", li->d[i].file,
			    li->d[i].line, li->d[i].sev == CONTENT_ERROR ?
			    "error" : "warning", li->d[i].msg);
		else
			printf("%s: %s: %s\n", li->d[i].file,
			    li->d[i].sev == CONTENT_ERROR ? "error" :
			    "warning", li->d[i].msg);
	if (c != NULL && li->ntopics > 0) {
		lint_table(li, c, title_lang);
		lint_number_list(li);
		lint_review(c);
		printf("\n");
	}
	if (c == NULL)
		printf("no content checked: %d error(s)\n", li->errors);
	else
		printf("%zu topics in %zu languages, version %s: %d "
		    "error(s), %d warning(s)%s\n", c->ntopics, c->nlangs,
		    c->version, li->errors, li->warnings, li->errors > 0 ?
		    "; the gateway will not load this content" : "");
}

static void
lint_free(struct lint *li)
{
	size_t	 i;

	for (i = 0; i < li->nd; i++) {
		free(li->d[i].file);
		free(li->d[i].msg);
	}
	free(li->d);
	free(li->topics);
}

/* Today, or --today=YYYY-MM-DD for reproducible output, in days. */
static int
lint_today(struct lint *li, const char *arg)
{
	time_t		 now;
	struct tm	 tm;
	char		 buf[16];

	if (arg == NULL) {
		now = time(NULL);
		if (gmtime_r(&now, &tm) == NULL)
			return -1;
		strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
		arg = buf;
	}
	if ((li->today = lists_days(arg)) < 0)
		return -1;
	return 0;
}

#define LINT_FOLDS	5	/* cross-validation of the examples */

static int
cmd_lint(struct habar *hb, int argc, char *argv[])
{
	static const char *const default_langs[] = { "kk", "ru" };
	const char *const *langs = default_langs, *const *lists = NULL;
	struct lint	 li;
	struct content	*c;
	struct route	*r = NULL;
	struct route_opts opts;
	const char	*dir = NULL, *today = NULL;
	size_t		 nlangs = 2, nlists = 0, i, l;
	int		 json = 0, nerr = 0, title_lang, rv;

	for (i = 1; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "--format=json") == 0)
			json = 1;
		else if (strcmp(argv[i], "--format=text") == 0)
			json = 0;
		else if (strncmp(argv[i], "--today=", 8) == 0)
			today = argv[i] + 8;
		else if (argv[i][0] == '-' || dir != NULL)
			usage();
		else
			dir = argv[i];
	}
	memset(&li, 0, sizeof(li));
	if (lint_today(&li, today) == -1) {
		fprintf(stderr, "habar: bad --today date: write "
		    "YYYY-MM-DD\n");
		return 2;
	}
	li.max_parts = 3;
	li.max_age = 180;
	li.latin = true;
	if (dir == NULL || access(hb->file, R_OK) == 0) {
		need_conf(hb);
		langs = (const char *const *)hb->conf->langs;
		nlangs = hb->conf->nlangs;
		if (dir == NULL)
			dir = hb->conf->content_dir;
		li.max_parts = (size_t)hb->conf->reply.max_parts;
		li.max_age = hb->conf->content.max_age;
		li.latin = hb->conf->reply.latin_for_latin_senders;
		lists = (const char *const *)hb->conf->content.extra_lists;
		nlists = hb->conf->content.nextra_lists;
	}
	c = content_lint(dir, langs, nlangs, lists, nlists, lint_collect, &li,
	    &nerr);
	title_lang = -1;
	if (c != NULL) {
		lists_lint(c->lists, li.today, lint_collect, &li);
		title_lang = hb->conf != NULL ?
		    content_lang(c, hb->conf->default_lang) : 0;
		memset(&opts, 0, sizeof(opts));
		opts.default_lang = title_lang >= 0 ? title_lang : 0;
		opts.first_words = hb->conf != NULL ?
		    hb->conf->route.first_words : 8;
		/* Its "unknown" missing is reported already. */
		if (content_topic(c, CONTENT_UNKNOWN) != NULL)
			r = route_new(c, &opts, lint_collect, &li);
		if ((li.topics = calloc(c->ntopics + 1,
		    sizeof(*li.topics))) == NULL)
			li.oom = 1;
		for (i = 0; li.topics != NULL && i < c->ntopics; i++) {
			li.topics[i].t = &c->topics[i];
			lint_fresh(&li, &li.topics[i]);
			for (l = 0; l < c->nlangs; l++)
				lint_cost(&li, c, &li.topics[i], (int)l);
			lint_numbers(&li, c, &li.topics[i]);
			li.ntopics++;
		}
	}
	if (li.oom) {
		fprintf(stderr, "habar: out of memory\n");
		content_free(c);
		lint_free(&li);
		return 2;
	}
	if (li.nd > 0)
		qsort(li.d, li.nd, sizeof(*li.d), lint_cmp);
	if (json)
		lint_json(&li, c, dir);
	else
		lint_text(&li, c, title_lang);
	/* How well the examples teach: only for a set that learns. */
	if (!json && r != NULL && route_learner(r) != NULL &&
	    eval_crossval(c, LINT_FOLDS, stdout) == -1)
		li.errors++;
	rv = li.errors > 0 || c == NULL ? 1 : 0;
	route_free(r);
	content_free(c);
	lint_free(&li);
	return rv;
}

static const struct keyword *
find_keyword_lang(const struct topic *t, const struct keyword *k, int *lang)
{
	int	 l;

	for (l = 0; l < CONTENT_MAX_LANGS; l++) {
		const struct topic_text *tt = &t->text[l];
		if (tt->present && k >= tt->keywords &&
		    k < tt->keywords + tt->nkeywords) {
			*lang = l;
			return k;
		}
	}
	return NULL;
}

static void
print_parts(const struct reply *r)
{
	size_t	 i;

	for (i = 0; i < r->nparts; i++) {
		size_t units = r->coding == REPLY_UCS2 ?
		    reply_ucs2_units(r->part[i]) : reply_septets(r->part[i]);
		/* one SMS holds 70 or 160; a part of several, 67 or 153 */
		size_t cap = r->coding == REPLY_UCS2 ?
		    (r->nparts > 1 ? 67 : 70) : (r->nparts > 1 ? 153 : 160);

		printf("--- SMS %zu of %zu: %zu of %zu %s\n%s\n", i + 1,
		    r->nparts, units, cap, r->coding == REPLY_UCS2 ?
		    "UTF-16 units" : "septets", r->part[i]);
	}
}

/*
 * Both forms of the answer's whole text, Cyrillic and Latin (GSM-7),
 * with their codings and SMS parts before any budget, then the text of
 * the form that was not sent.  For a check: the answer's topic
 * (check-reported...) with the longest listed name, as "habar lint"
 * measures it.  Returns 0, or -1 out of memory.
 */
static int
print_scripts(struct habar *hb, const struct answer *a)
{
	const struct topic *t = a->route.topic, *ct;
	enum reply_coding c[2];
	char		*text[2], id[32];
	size_t		 parts[2];
	int		 i;

	/* A check is answered by check-<outcome>, not by "check" itself. */
	if (a->check != NULL) {
		snprintf(id, sizeof(id), "check-%s", a->check);
		if ((ct = content_topic(hb->content, id)) != NULL)
			t = ct;
	}
	for (i = 0; i < 2; i++) {
		text[i] = answer_text(hb->content, t, a->route.lang, i == 1);
		if (text[i] == NULL) {
			free(text[0]);
			return -1;
		}
		parts[i] = reply_count_parts(text[i], &c[i]);
	}
	printf("scripts:  Cyrillic %s %zu part(s), Latin %s %zu part(s)%s%s\n",
	    reply_coding_name(c[0]), parts[0], reply_coding_name(c[1]),
	    parts[1], reply_is_gsm7(text[1]) ? "" : " (NOT GSM-7)",
	    t != a->route.topic ? " (with the longest listed name)" : "");
	printf("=== not sent, the %s form%s:\n%s\n", a->latin ? "Cyrillic" :
	    "Latin", t != a->route.topic ? " (with the longest listed name)" :
	    "", text[a->latin ? 0 : 1]);
	free(text[0]);
	free(text[1]);
	return 0;
}

/*
 * The three likeliest topics and why: the classifier's share of the
 * evidence, boosted for the topic whose keyword is in the message;
 * and the topics offered when asking back.
 */
static void
print_scores(const struct route_result *r)
{
	int	 i;

	if (r->ntop == 0 && r->match == ROUTE_NONE) {
		printf("scores:   none (no keyword, and too little of the "
		    "message is like any example)\n");
		return;
	}
	if (r->ntop == 0) {
		printf("scores:   none (the keyword decides%s)\n",
		    r->match == ROUTE_MENU ? ", or a menu number" :
		    r->match == ROUTE_EXACT ? ": the whole message is one" :
		    "");
		return;
	}
	printf("scores:  ");
	for (i = 0; i < r->ntop; i++)
		printf(" %s %.2f%s%s", r->top[i].topic->id, r->top[i].score,
		    r->top[i].topic == r->hit_topic ? " (keyword)" : "",
		    i + 1 < r->ntop ? "," : "");
	printf("\n");
	if (r->match == ROUTE_UNSURE) {
		printf("asked:    not sure, so the sender chooses among");
		for (i = 0; i < r->nchoice; i++)
			printf(" %d %s", i + 1, r->choice[i]->id);
		printf("\n");
	}
}

static int
cmd_try(struct habar *hb, int argc, char *argv[])
{
	struct answer	 a;
	struct answer_opts opts;
	struct session	 sess;
	const char	*lang = NULL;
	int		 klang = -1;

	if (argc >= 3 && strcmp(argv[1], "--lang") == 0) {
		lang = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc != 2)
		usage();
	need_content(hb, NULL);
	session_clear(&sess);
	if (lang != NULL) {
		if (content_lang(hb->content, lang) < 0) {
			fprintf(stderr, "habar: language '%s' is not "
			    "configured\n", lang);
			return 2;
		}
		session_set(sess.lang, sizeof(sess.lang), lang);
	}
	opts.max_parts = max_parts(hb);
	opts.latin_for_latin = hb->conf != NULL ?
	    hb->conf->reply.latin_for_latin_senders : true;
	if (answer_make(&a, hb->content, hb->route, argv[1], &sess,
	    &opts) == -1) {
		fprintf(stderr, "habar: out of memory\n");
		return 1;
	}
	printf("query:    %s\nfolded:   %s\n", argv[1], a.route.folded);
	printf("topic:    %s (%s)\n", a.route.topic->id, a.route.topic->file);
	if (a.route.keyword != NULL &&
	    find_keyword_lang(a.route.topic, a.route.keyword, &klang) != NULL)
		printf("keyword:  \"%s\" [%s] at %s:%d\n", a.route.keyword->text,
		    hb->content->langs[klang], a.route.topic->file,
		    a.route.keyword->line);
	else
		printf("keyword:  none%s\n", a.route.match == ROUTE_MENU ?
		    " (a menu number)" : a.route.match == ROUTE_NONE ?
		    " matched: the \"unknown\" topic answers" : "");
	if (a.route.hit != NULL && a.route.hit != a.route.keyword &&
	    find_keyword_lang(a.route.hit_topic, a.route.hit, &klang) != NULL)
		printf("keyword:  \"%s\" of %s at %s:%d, outweighed by the "
		    "rest of the message\n", a.route.hit->text,
		    a.route.hit_topic->id, a.route.hit_topic->file,
		    a.route.hit->line);
	print_scores(&a.route);
	printf("match:    %s\n", route_match_name(a.route.match));
	printf("language: %s (by %s)\n", a.lang, route_why_name(a.route.why));
	printf("reply:    %s%s, %zu part(s)%s\n",
	    reply_coding_name(a.reply.coding), a.latin ? " (Latin for a Latin "
	    "writer)" : "", a.reply.nparts, a.reply.cut ? ", cut to the part "
	    "budget" : "");
	print_parts(&a.reply);
	if (print_scripts(hb, &a) == -1) {
		answer_release(&a);
		fprintf(stderr, "habar: out of memory\n");
		return 1;
	}
	answer_release(&a);
	return 0;
}

static int
cmd_route(struct habar *hb, int argc, char *argv[])
{
	struct route_result res;
	char		*line = NULL;
	size_t		 cap = 0;
	ssize_t		 len;
	int		 i;

	if (argc != 2 || strcmp(argv[1], "--tsv") != 0)
		usage();
	need_content(hb, NULL);
	while ((len = getline(&line, &cap, stdin)) != -1) {
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		route_query(hb->route, line, -1, &res);
		printf("%s\t%s\t%s", res.topic->id,
		    hb->content->langs[res.lang], route_match_name(res.match));
		for (i = 0; i < res.nchoice; i++)
			printf("%c%s", i == 0 ? '\t' : ',',
			    res.choice[i]->id);
		putchar('\n');
	}
	free(line);
	return 0;
}

/* Score the router on a query set: right, asked back, wrong. */
static int
cmd_eval(struct habar *hb, int argc, char *argv[])
{
	FILE	*in;
	int	 rv;

	if (argc != 2)
		usage();
	need_content(hb, NULL);
	if (strcmp(argv[1], "-") == 0)
		in = stdin;
	else if ((in = fopen(argv[1], "r")) == NULL) {
		fprintf(stderr, "habar: cannot open %s: %s\n", argv[1],
		    strerror(errno));
		return 2;
	}
	rv = eval_file(hb->content, hb->route, in, stdout);
	if (in != stdin)
		fclose(in);
	if (rv == -1) {
		fprintf(stderr, "habar: out of memory\n");
		return 1;
	}
	return rv;
}

/* Replies filed for recipient in the simulated phone's sent folder. */
static int
sim_count(const char *dir, const char *recipient, struct simphone_sent **last)
{
	struct simphone_sent *s;
	size_t		 n, i;
	int		 count = 0;

	if (simphone_sent(dir, &s, &n) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (strcmp(s[i].recipient, recipient) == 0) {
			count++;
			if (last != NULL) {
				free((*last)->text);
				**last = s[i];
				s[i].text = NULL;
			}
		}
	simphone_sent_free(s, n);
	return count;
}

static int
cmd_sim(struct habar *hb, int argc, char *argv[])
{
	struct simphone_sent got, *gp = &got;
	struct timespec	 ts = { 0, 100 * 1000000L };
	int		 before, now, waited;

	if (argc != 2)
		usage();
	need_conf(hb);
	if (!hb->conf->has_modem || hb->conf->modem.device == NULL) {
		fprintf(stderr, "habar: sim needs modem.device (the simulated "
		    "phone's folder) in %s\n", hb->file);
		return 2;
	}
	memset(&got, 0, sizeof(got));
	if ((before = sim_count(hb->conf->modem.device, SIM_SENDER,
	    NULL)) == -1)
		return 1;
	if (simphone_inject(hb->conf->modem.device, SIM_SENDER, &argv[1], 1,
	    0) == -1)
		return 1;
	printf("sent from %s: %s\n", SIM_SENDER, argv[1]);
	for (waited = 0; waited < SIM_WAIT_MS; waited += 100) {
		nanosleep(&ts, NULL);
		if ((now = sim_count(hb->conf->modem.device, SIM_SENDER,
		    &gp)) == -1)
			return 1;
		if (now > before) {
			printf("reply (%zu part(s), %s):\n%s\n", got.nparts,
			    got.ucs2 ? "UCS-2" : "GSM-7", got.text);
			free(got.text);
			return 0;
		}
	}
	free(got.text);
	fprintf(stderr, "habar: no reply within %d s: is habard running "
	    "with %s?\n", SIM_WAIT_MS / 1000, hb->file);
	return 1;
}

int
main(int argc, char *argv[])
{
	struct habar	 hb;
	size_t		 i;
	int		 ch, a, rv;

	log_init(1, LOG_LEVEL_WARN, NULL);
	memset(&hb, 0, sizeof(hb));
	hb.file = getenv("HABAR_CONF") != NULL ? getenv("HABAR_CONF") :
	    HABAR_CONF_DEFAULT;
	if (argc == 2 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0))
		help(NULL);
	while ((ch = getopt(argc, argv, "+f:h")) != -1) {
		switch (ch) {
		case 'f':
			hb.file = optarg;
			break;
		case 'h':
			help(NULL);
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	for (i = 0; i < HABAR_NCMDS; i++)
		if (strcmp(argv[0], habar_cmds[i].name) == 0)
			break;
	if (i == HABAR_NCMDS) {
		fprintf(stderr, "habar: no command \"%s\"\n", argv[0]);
		usage();
	}
	for (a = 1; a < argc; a++)
		if (strcmp(argv[a], "--help") == 0 ||
		    strcmp(argv[a], "-h") == 0)
			help(&habar_cmds[i]);
	if (strcmp(argv[0], "lint") != 0)
		conf_readable(hb.file);
	if (strcmp(argv[0], "lint") == 0)
		rv = cmd_lint(&hb, argc, argv);
	else if (strcmp(argv[0], "try") == 0)
		rv = cmd_try(&hb, argc, argv);
	else if (strcmp(argv[0], "route") == 0)
		rv = cmd_route(&hb, argc, argv);
	else if (strcmp(argv[0], "sim") == 0)
		rv = cmd_sim(&hb, argc, argv);
	else if (strcmp(argv[0], "eval") == 0)
		rv = cmd_eval(&hb, argc, argv);
	else if (strcmp(argv[0], "status") == 0)
		rv = cmd_status(hb.file, argc, argv);
	else if (strcmp(argv[0], "doctor") == 0)
		rv = cmd_doctor(hb.file, argc, argv);
	else if (strcmp(argv[0], "stats") == 0)
		rv = stats_main(hb.file, argc, argv);
	else if (strcmp(argv[0], "report") == 0)
		rv = report_main(hb.file, argc, argv);
	else if (strcmp(argv[0], "keys") == 0)
		rv = stats_keys(hb.file, argc, argv);
	else if (strcmp(argv[0], "purge") == 0)
		rv = stats_purge(hb.file, argc, argv);
	else
		usage();
	route_free(hb.route);
	content_free(hb.content);
	conf_free(hb.conf);
	return rv;
}
