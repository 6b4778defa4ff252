/*
 * habar.c - the command line for people: the command table, --help,
 * and the dispatch to each command's file (lint.c, eval.c, stats.c,
 * checks.c, report.c, status.c, doctor.c); try a query without a modem,
 * route a batch of queries, text the demo gateway through its simulated
 * phone.  Links the gateway's own objects.
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
#include "checks.h"
#include "conf.h"
#include "content.h"
#include "eval.h"
#include "lint.h"
#include "log.h"
#include "simphone.h"
#include "reply.h"
#include "route.h"
#include "stats.h"
#include "doctor.h"
#include "status.h"

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
diag(void *arg, enum editfile_severity sev, const char *file, int line,
    const char *msg)
{
	struct habar	*hb = arg;
	const char	*kind = sev == EDITFILE_ERROR ? "error" : "warning";

	if (sev == EDITFILE_ERROR)
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

/*
 * The configuration read, or conf.c's defaults when there is none
 * (lint and try on a bare content folder): no default is written here.
 */
static const struct conf *
settings(const struct habar *hb)
{
	static struct conf	 defaults;
	static bool		 filled;

	if (hb->conf != NULL)
		return hb->conf;
	if (!filled) {
		conf_defaults(&defaults);
		filled = true;
	}
	return &defaults;
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
	opts.first_words = settings(hb)->route.first_words;
	if ((hb->route = route_new(hb->content, &opts, diag, hb)) == NULL)
		exit(1);
}

static size_t
max_parts(struct habar *hb)
{
	return (size_t)settings(hb)->reply.max_parts;
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
	if (strcmp(argv[0], "lint") == 0) {
		if ((rv = lint_main(hb.file, conf_readable, argc, argv)) == -1)
			usage();
	} else if (strcmp(argv[0], "try") == 0)
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
	else if (strcmp(argv[0], "stats") == 0 && argc > 1 &&
	    strcmp(argv[1], "checks") == 0)
		rv = checks_main(hb.file, argc - 1, argv + 1);
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
