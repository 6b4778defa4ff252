/*
 * habar.c - the command line for people: check content, try a query
 * without a modem, route a batch of queries, text the demo gateway
 * through its simulated phone.  Links the gateway's own objects.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "answer.h"
#include "conf.h"
#include "content.h"
#include "log.h"
#include "modem.h"
#include "reply.h"
#include "route.h"
#include "text.h"

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

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "usage: habar [-f file] lint [dir]\n"
	    "       habar [-f file] try [--lang code] text\n"
	    "       habar [-f file] route --tsv\n"
	    "       habar [-f file] sim text\n");
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
	if (line > 0)
		printf("%s:%d: %s: %s\n", file, line, kind, msg);
	else
		printf("%s: %s: %s\n", file, kind, msg);
}

static void
need_conf(struct habar *hb)
{
	if (hb->conf != NULL)
		return;
	if ((hb->conf = conf_load(hb->file)) == NULL)
		exit(2);
}

/* Load content and router; print problems and exit 1 on errors. */
static void
need_content(struct habar *hb, const char *dir)
{
	static const char *const default_langs[] = { "kk", "ru" };
	const char *const *langs = default_langs;
	size_t		 nlangs = 2;
	struct route_opts opts;

	if (dir == NULL || access(hb->file, R_OK) == 0) {
		need_conf(hb);
		langs = (const char *const *)hb->conf->langs;
		nlangs = hb->conf->nlangs;
		if (dir == NULL)
			dir = hb->conf->content_dir;
	}
	hb->content = content_load(dir, langs, nlangs, diag, hb);
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

static int
cmd_lint(struct habar *hb, int argc, char *argv[])
{
	if (argc > 2)
		usage();
	need_content(hb, argc == 2 ? argv[1] : NULL);
	printf("%zu topics in %zu languages, version %s: %d warning(s)\n",
	    hb->content->ntopics, hb->content->nlangs, hb->content->version,
	    hb->warnings);
	return 0;
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
		printf("--- part %zu of %zu (%zu %s)\n%s\n", i + 1, r->nparts,
		    units, r->coding == REPLY_UCS2 ? "UTF-16 units" :
		    "septets", r->part[i]);
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
	printf("match:    %s\n", route_match_name(a.route.match));
	printf("language: %s (by %s)\n", a.lang, route_why_name(a.route.why));
	printf("reply:    %s%s, %zu part(s)%s\n",
	    reply_coding_name(a.reply.coding), a.latin ? " (Latin for a Latin "
	    "writer)" : "", a.reply.nparts, a.reply.cut ? ", cut to the part "
	    "budget" : "");
	print_parts(&a.reply);
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

	if (argc != 2 || strcmp(argv[1], "--tsv") != 0)
		usage();
	need_content(hb, NULL);
	while ((len = getline(&line, &cap, stdin)) != -1) {
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		route_query(hb->route, line, -1, &res);
		printf("%s\t%s\t%s\n", res.topic->id,
		    hb->content->langs[res.lang], route_match_name(res.match));
	}
	free(line);
	return 0;
}

/* Replies filed for recipient in the simulated phone's sent folder. */
static int
sim_count(const char *dir, const char *recipient, struct modem_sent **last)
{
	struct modem_sent *s;
	size_t		 n, i;
	int		 count = 0;

	if (modem_sim_sent(dir, &s, &n) == -1)
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
	modem_sent_free(s, n);
	return count;
}

static int
cmd_sim(struct habar *hb, int argc, char *argv[])
{
	struct modem_sent got, *gp = &got;
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
	if (modem_sim_inject(hb->conf->modem.device, SIM_SENDER, &argv[1], 1,
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
	int		 ch, rv;

	log_init(1, LOG_LEVEL_WARN, NULL);
	memset(&hb, 0, sizeof(hb));
	hb.file = getenv("HABAR_CONF") != NULL ? getenv("HABAR_CONF") :
	    HABAR_CONF_DEFAULT;
	while ((ch = getopt(argc, argv, "+f:")) != -1) {
		switch (ch) {
		case 'f':
			hb.file = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	if (strcmp(argv[0], "lint") == 0)
		rv = cmd_lint(&hb, argc, argv);
	else if (strcmp(argv[0], "try") == 0)
		rv = cmd_try(&hb, argc, argv);
	else if (strcmp(argv[0], "route") == 0)
		rv = cmd_route(&hb, argc, argv);
	else if (strcmp(argv[0], "sim") == 0)
		rv = cmd_sim(&hb, argc, argv);
	else
		usage();
	route_free(hb.route);
	content_free(hb.content);
	conf_free(hb.conf);
	return rv;
}
