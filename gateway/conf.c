/*
 * conf.c - read the configuration file with libconfig into struct conf.
 *
 * The file's settings are checked against one table (name, type, range,
 * where it lands in struct conf), so an unknown setting, a wrong type
 * or a value out of range is reported with its line, and every problem
 * is reported, not just the first.  Relative paths are taken against
 * the directory of the configuration file, so the tools find the same
 * files as the daemon wherever they are started from.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <regex.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libconfig.h>

#include "conf.h"
#include "log.h"
#include "modem.h"
#include "pseudo.h"

enum conf_type {
	CT_STR,
	CT_PATH,	/* a string, resolved against the file's directory */
	CT_INT,
	CT_BOOL,
	CT_LANGS,
	CT_DURATION,	/* seconds, or a string "30s", "15m", "6h", "1d" */
	CT_AMOUNT,	/* money: a number, kept in hundredths */
	CT_STAFF,	/* balance.notify: staff phone numbers */
	CT_NUMBERS,	/* a list of phone numbers */
	CT_PATHS,	/* a list of paths, resolved as CT_PATH */
	CT_GROUP
};

struct conf_field {
	const char	*group;		/* NULL: top level */
	const char	*name;
	enum conf_type	 type;
	size_t		 off;		/* in struct conf */
	int		 min, max;	/* for CT_INT */
	const char	*choices;	/* for CT_STR: "a|b|c", or NULL */
	long long	 def;		/* default of a number or switch */
	const char	*sdef;		/* default of a string, or NULL */
};

#define F(m)	offsetof(struct conf, m)

static const struct conf_field fields[] = {
	{ NULL, "content_dir", CT_PATH, F(content_dir), 0, 0, NULL, 0, NULL },
	{ NULL, "database", CT_PATH, F(database), 0, 0, NULL, 0, NULL },
	{ NULL, "languages", CT_LANGS, F(langs), 0, 0, NULL, 0, NULL },
	{ NULL, "default_language", CT_STR, F(default_lang), 0, 0, NULL, 0,
	    NULL },
	{ NULL, "log_level", CT_STR, F(log_level), 0, 0, "warning|info|debug",
	    0, "info" },
	{ NULL, "modem", CT_GROUP, F(has_modem), 0, 0, NULL, 0, NULL },
	{ NULL, "reply", CT_GROUP, 0, 0, 0, NULL, 0, NULL },
	{ NULL, "pseudonym", CT_GROUP, 0, 0, 0, NULL, 0, NULL },
	{ NULL, "outbox", CT_GROUP, 0, 0, 0, NULL, 0, NULL },
	{ NULL, "route", CT_GROUP, 0, 0, 0, NULL, 0, NULL },
	{ NULL, "session", CT_GROUP, 0, 0, 0, NULL, 0, NULL },
	{ NULL, "http", CT_GROUP, F(has_http), 0, 0, NULL, 0, NULL },
	{ NULL, "ussd", CT_GROUP, 0, 0, 0, NULL, 0, NULL },
	{ NULL, "content", CT_GROUP, 0, 0, 0, NULL, 0, NULL },
	{ NULL, "stats", CT_GROUP, 0, 0, 0, NULL, 0, NULL },
	{ "stats", "min_count", CT_INT, F(stats.min_count), 1, 1000, NULL, 5,
	    NULL },
	{ "stats", "min_senders", CT_INT, F(stats.min_senders), 1, 1000, NULL,
	    5, NULL },
	{ "stats", "keep_events", CT_INT, F(stats.keep_events), 1, 36500, NULL,
	    400, NULL },
	{ NULL, "balance", CT_GROUP, F(has_balance), 0, 0, NULL, 0, NULL },
	{ "modem", "id", CT_STR, F(modem.id), 0, 0, NULL, 0, NULL },
	{ "modem", "health_every", CT_DURATION, F(modem.health_every), 10,
	    86400, NULL, 300, NULL },
	{ "modem", "health_warn_after", CT_DURATION,
	    F(modem.health_warn_after), 0, 7 * 86400, NULL, 900, NULL },
	{ "balance", "code", CT_STR, F(balance.code), 0, 0, NULL, 0, NULL },
	{ "balance", "every", CT_DURATION, F(balance.every), 60, 30 * 86400,
	    NULL, 21600, NULL },
	{ "balance", "timeout", CT_DURATION, F(balance.timeout), 1, 180, NULL,
	    30, NULL },
	{ "balance", "pattern", CT_STR, F(balance.pattern), 0, 0, NULL, 0,
	    NULL },
	{ "balance", "warn_below", CT_AMOUNT, F(balance.warn_below), 0, 0,
	    NULL, -1, NULL },
	{ "balance", "notify", CT_STAFF, F(balance.notify), 0, 0, NULL, 0,
	    NULL },
	{ NULL, "guard", CT_GROUP, 0, 0, 0, NULL, 0, NULL },
	{ NULL, "user", CT_STR, F(user), 0, 0, NULL, 0, NULL },
	{ NULL, "group", CT_STR, F(group), 0, 0, NULL, 0, NULL },
	{ "modem", "gammurc", CT_PATH, F(modem.gammurc), 0, 0, NULL, 0, NULL },
	{ "modem", "section", CT_INT, F(modem.section), 0, 99, NULL, 0, NULL },
	{ "modem", "device", CT_PATH, F(modem.device), 0, 0, NULL, 0, NULL },
	{ "modem", "connection", CT_STR, F(modem.connection), 0, 0, NULL, 0,
	    "at" },
	{ "modem", "model", CT_STR, F(modem.model), 0, 0, NULL, 0, "" },
	{ "modem", "multipart_timeout", CT_INT, F(modem.multipart_timeout), 1,
	    86400, NULL, 600, NULL },
	{ "modem", "poll_ms", CT_INT, F(modem.poll_ms), 50, 600000, NULL, 1000,
	    NULL },
	{ "modem", "watchdog", CT_INT, F(modem.watchdog), 1, 3600, NULL, 120,
	    NULL },
	{ "modem", "pin", CT_STR, F(modem.pin), 0, 0, NULL, 0, NULL },
	{ "modem", "pin_file", CT_PATH, F(modem.pin_file), 0, 0, NULL, 0,
	    NULL },
	{ "reply", "max_parts", CT_INT, F(reply.max_parts), 1, 10, NULL, 3,
	    NULL },
	{ "reply", "latin_for_latin_senders", CT_BOOL,
	    F(reply.latin_for_latin_senders), 0, 0, NULL, 1, NULL },
	{ "pseudonym", "key_dir", CT_PATH, F(pseudonym.key_dir), 0, 0, NULL, 0,
	    NULL },
	{ "pseudonym", "epoch", CT_STR, F(pseudonym.epoch), 0, 0,
	    "day|week|month", 0, "week" },
	{ "outbox", "max_tries", CT_INT, F(outbox.max_tries), 1, 1000, NULL, 5,
	    NULL },
	{ "outbox", "retry_delay", CT_INT, F(outbox.retry_delay), 1, 86400,
	    NULL, 30, NULL },
	{ "route", "first_words", CT_INT, F(route.first_words), 1, 100, NULL,
	    8, NULL },
	{ "session", "ttl", CT_INT, F(session.ttl), 60, 30 * 86400, NULL,
	    86400, NULL },
	{ "http", "listen", CT_STR, F(http.listen), 0, 0, NULL, 0,
	    "127.0.0.1" },
	{ "http", "port", CT_INT, F(http.port), 1, 65535, NULL, 8025, NULL },
	{ "http", "token", CT_STR, F(http.token), 0, 0, NULL, 0, NULL },
	{ "http", "max_request", CT_INT, F(http.max_request), 256, 65536, NULL,
	    4096, NULL },
	{ "http", "timeout", CT_INT, F(http.timeout), 1, 300, NULL, 10, NULL },
	{ "http", "max_connections", CT_INT, F(http.max_connections), 1, 1024,
	    NULL, 64, NULL },
	{ "http", "threads", CT_INT, F(http.threads), 1, 64, NULL, 4, NULL },
	{ "http", "max_per_address", CT_INT, F(http.max_per_address), 1, 1024,
	    NULL, 16, NULL },
	{ "http", "deadline", CT_INT, F(http.deadline), 1, 300, NULL, 20,
	    NULL },
	{ "ussd", "page_chars", CT_INT, F(ussd.page_chars), 20, 182, NULL, 182,
	    NULL },
	{ "ussd", "ucs2_page_chars", CT_INT, F(ussd.ucs2_page_chars), 20, 182,
	    NULL, 80, NULL },
	{ "content", "max_age", CT_INT, F(content.max_age), 1, 3650, NULL, 180,
	    NULL },
	{ "content", "extra_lists", CT_PATHS, F(content.extra_lists), 0, 0,
	    NULL, 0, NULL },
	{ "guard", "replies", CT_INT, F(guard.replies), 0, 1000000, NULL, 5,
	    NULL },
	{ "guard", "window", CT_INT, F(guard.window), 1, 30 * 86400, NULL, 600,
	    NULL },
	{ "guard", "daily_budget", CT_INT, F(guard.daily_budget), 0, 100000000,
	    NULL, 2000, NULL },
	{ "guard", "http_daily_budget", CT_INT, F(guard.http_daily_budget), 0,
	    100000000, NULL, 2000, NULL },
	{ "guard", "ussd_requests", CT_INT, F(guard.ussd_requests), 0, 1000000,
	    NULL, 60, NULL },
	{ "guard", "ussd_daily", CT_INT, F(guard.ussd_daily), 0, 100000000,
	    NULL, 20000, NULL },
	{ "guard", "deny", CT_NUMBERS, F(guard.deny), 0, 0, NULL, 0, NULL },
};

#undef F

struct conf_parse {
	const char	*file;
	char		 dir[PATH_MAX];
	int		 errors;
};

static void conf_error(struct conf_parse *, const config_setting_t *,
    const char *, ...) __attribute__((format(printf, 3, 4)));

static void
conf_error(struct conf_parse *p, const config_setting_t *s,
    const char *fmt, ...)
{
	char	 msg[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_warnx("%s:%d: %s", p->file,
	    s != NULL ? config_setting_source_line(s) : 0, msg);
	p->errors++;
}

static char *
conf_path(struct conf_parse *p, const char *v)
{
	char	 buf[PATH_MAX], real[PATH_MAX];
	int	 n;

	if (v[0] == '/' || p->dir[0] == '\0')
		return strdup(v);
	n = snprintf(buf, sizeof(buf), "%s/%s", p->dir, v);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return NULL;
	/* "conf/../content" reads better as "content" in messages. */
	if (realpath(buf, real) != NULL)
		return strdup(real);
	return strdup(buf);
}

static bool
conf_choice(const char *choices, const char *v)
{
	size_t	 len = strlen(v);
	const char *c = choices;

	while (*c != '\0') {
		size_t n = strcspn(c, "|");
		if (n == len && strncmp(c, v, n) == 0)
			return true;
		c += n;
		if (*c == '|')
			c++;
	}
	return false;
}

static void
conf_langs(struct conf_parse *p, struct conf *conf, config_setting_t *s)
{
	int	 i, n;

	if (!config_setting_is_array(s) && !config_setting_is_list(s)) {
		conf_error(p, s, "'%s' must be a list like [\"kk\", \"ru\"]",
		    "languages");
		return;
	}
	n = config_setting_length(s);
	if (n == 0 || n > CONF_MAX_LANGS) {
		conf_error(p, s, "'%s' needs 1 to 8 language codes",
		    "languages");
		return;
	}
	for (i = 0; i < n; i++) {
		const char *v = config_setting_get_string_elem(s, i);
		size_t j;

		if (v == NULL || strlen(v) < 2 || strlen(v) > 3 ||
		    strspn(v, "abcdefghijklmnopqrstuvwxyz") != strlen(v)) {
			conf_error(p, s, "bad language code in '%s': use "
			    "two or three lowercase letters", "languages");
			continue;
		}
		for (j = 0; j < conf->nlangs; j++)
			if (strcmp(conf->langs[j], v) == 0)
				break;
		if (j < conf->nlangs) {
			conf_error(p, s, "language '%s' listed twice", v);
			continue;
		}
		conf->langs[conf->nlangs++] = strdup(v);
	}
}

/* Append a copy of v to the string array *vp of *np.  Returns 0 or -1. */
static int
conf_push(char ***vp, size_t *np, const char *v)
{
	char	**nv;

	if ((nv = reallocarray(*vp, *np + 1, sizeof(*nv))) == NULL)
		return -1;
	*vp = nv;
	if (v == NULL || (nv[*np] = strdup(v)) == NULL)
		return -1;
	(*np)++;
	return 0;
}

/* A list of phone numbers: digits, '+' and the usual fillers. */
static void
conf_numbers(struct conf_parse *p, struct conf *conf, config_setting_t *s)
{
	const char	*v;
	int		 i, n;

	if (!config_setting_is_array(s) && !config_setting_is_list(s)) {
		conf_error(p, s, "'%s' must be a list like [\"+77010000000\"]",
		    config_setting_name(s));
		return;
	}
	n = config_setting_length(s);
	for (i = 0; i < n; i++) {
		v = config_setting_get_string_elem(s, i);
		if (v == NULL || *v == '\0' || strlen(v) > 32 ||
		    strspn(v, "0123456789+ -().") != strlen(v)) {
			conf_error(p, s, "bad number in '%s': use digits "
			    "like \"+77010000000\"", config_setting_name(s));
			continue;
		}
		if (conf_push(&conf->guard.deny, &conf->guard.ndeny, v) ==
		    -1) {
			conf_error(p, s, "out of memory");
			return;
		}
	}
}

/* "6h" and the like, or whole seconds, into *out.  Returns 0 or -1. */
static int
conf_duration(config_setting_t *s, int *out)
{
	const char	*v;
	char		*end;
	long		 n, unit;

	if (config_setting_type(s) == CONFIG_TYPE_INT) {
		*out = config_setting_get_int(s);
		return 0;
	}
	if ((v = config_setting_get_string(s)) == NULL)
		return -1;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || end == v || n < 0 || n > 366L * 86400)
		return -1;
	if (strcmp(end, "s") == 0 || *end == '\0')
		unit = 1;
	else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
		unit = 60;
	else if (strcmp(end, "h") == 0)
		unit = 3600;
	else if (strcmp(end, "d") == 0)
		unit = 86400;
	else
		return -1;
	if (n * unit > INT_MAX)
		return -1;
	*out = (int)(n * unit);
	return 0;
}

/* A sum of money, whole or with up to two decimals, in hundredths. */
static int
conf_amount(config_setting_t *s, long long *out)
{
	double	 d;

	if (config_setting_type(s) == CONFIG_TYPE_INT ||
	    config_setting_type(s) == CONFIG_TYPE_INT64) {
		*out = config_setting_get_int64(s) * 100;
		return 0;
	}
	if (config_setting_type(s) != CONFIG_TYPE_FLOAT)
		return -1;
	d = config_setting_get_float(s);
	if (d < -1e12 || d > 1e12)
		return -1;
	*out = (long long)(d * 100 + (d < 0 ? -0.5 : 0.5));
	return 0;
}

/* balance.notify: staff numbers, "+7..." each. */
static void
conf_staff(struct conf_parse *p, struct conf *conf, config_setting_t *s)
{
	const char	*v;
	int		 i, n;

	if (!config_setting_is_array(s) && !config_setting_is_list(s)) {
		conf_error(p, s, "'%s' must be a list like [\"+77010000000\"]",
		    "notify");
		return;
	}
	n = config_setting_length(s);
	for (i = 0; i < n; i++) {
		v = config_setting_get_string_elem(s, i);
		if (v == NULL || *v == '\0' || strlen(v) > 32 ||
		    strspn(v, "0123456789+ -()") != strlen(v)) {
			conf_error(p, s, "bad number in '%s': use digits "
			    "like \"+77010000000\"", "notify");
			continue;
		}
		if (conf_push(&conf->balance.notify, &conf->balance.nnotify,
		    v) == -1) {
			conf_error(p, s, "out of memory");
			return;
		}
	}
}

/* content.extra_lists: list files, resolved like the other paths. */
static void
conf_paths(struct conf_parse *p, struct conf *conf, config_setting_t *s)
{
	const char	*v;
	char		*path;
	int		 i, n, rv;

	if (!config_setting_is_array(s) && !config_setting_is_list(s)) {
		conf_error(p, s, "'%s' must be a list of file names like "
		    "[\"../content/examples/example-list.txt\"]",
		    config_setting_name(s));
		return;
	}
	n = config_setting_length(s);
	for (i = 0; i < n; i++) {
		if ((v = config_setting_get_string_elem(s, i)) == NULL ||
		    *v == '\0') {
			conf_error(p, s, "'%s' must hold file names in quotes",
			    config_setting_name(s));
			continue;
		}
		if ((path = conf_path(p, v)) == NULL) {
			conf_error(p, s, "'%s': a file name is too long",
			    config_setting_name(s));
			continue;
		}
		rv = conf_push(&conf->content.extra_lists,
		    &conf->content.nextra_lists, path);
		free(path);
		if (rv == -1) {
			conf_error(p, s, "out of memory");
			return;
		}
	}
}

static void
conf_field(struct conf_parse *p, struct conf *conf,
    const struct conf_field *f, config_setting_t *s)
{
	char		*base = (char *)conf + f->off;
	const char	*v;
	int		 iv;

	switch (f->type) {
	case CT_STR:
	case CT_PATH:
		if ((v = config_setting_get_string(s)) == NULL) {
			conf_error(p, s, "'%s' must be a string in quotes",
			    f->name);
			return;
		}
		if (f->choices != NULL && !conf_choice(f->choices, v)) {
			conf_error(p, s, "'%s' must be one of %s", f->name,
			    f->choices);
			return;
		}
		free(*(char **)base);
		*(char **)base = f->type == CT_PATH ? conf_path(p, v) :
		    strdup(v);
		if (*(char **)base == NULL)
			conf_error(p, s, "'%s' is too long", f->name);
		break;
	case CT_INT:
		if (config_setting_type(s) != CONFIG_TYPE_INT) {
			conf_error(p, s, "'%s' must be a whole number",
			    f->name);
			return;
		}
		iv = config_setting_get_int(s);
		if (iv < f->min || iv > f->max) {
			conf_error(p, s, "'%s' must be between %d and %d",
			    f->name, f->min, f->max);
			return;
		}
		*(int *)base = iv;
		break;
	case CT_BOOL:
		if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
			conf_error(p, s, "'%s' must be true or false",
			    f->name);
			return;
		}
		*(bool *)base = config_setting_get_bool(s);
		break;
	case CT_LANGS:
		conf_langs(p, conf, s);
		break;
	case CT_DURATION:
		if (conf_duration(s, &iv) == -1) {
			conf_error(p, s, "'%s' must be a duration like "
			    "\"30s\", \"15m\", \"6h\" or \"1d\"", f->name);
			return;
		}
		if (iv < f->min || iv > f->max) {
			conf_error(p, s, "'%s' must be between %d and %d "
			    "seconds", f->name, f->min, f->max);
			return;
		}
		*(int *)base = iv;
		break;
	case CT_AMOUNT:
		if (conf_amount(s, (long long *)(void *)base) == -1)
			conf_error(p, s, "'%s' must be an amount like 500 "
			    "or 99.50", f->name);
		break;
	case CT_STAFF:
		conf_staff(p, conf, s);
		break;
	case CT_NUMBERS:
		conf_numbers(p, conf, s);
		break;
	case CT_PATHS:
		conf_paths(p, conf, s);
		break;
	case CT_GROUP:
		if (!config_setting_is_group(s)) {
			conf_error(p, s, "'%s' must be a group { ... }",
			    f->name);
			return;
		}
		if (f->off != 0)
			*(bool *)base = true;
		break;
	}
}

/* Check every setting of one group (NULL: the top level) against fields. */
static void
conf_walk(struct conf_parse *p, struct conf *conf, config_setting_t *grp,
    const char *gname)
{
	int	 i, n = config_setting_length(grp);
	size_t	 j;

	for (i = 0; i < n; i++) {
		config_setting_t *s = config_setting_get_elem(grp, i);
		const char *name = config_setting_name(s);
		const struct conf_field *f = NULL;

		for (j = 0; j < sizeof(fields) / sizeof(fields[0]); j++) {
			if ((fields[j].group == NULL) != (gname == NULL))
				continue;
			if (gname != NULL && strcmp(fields[j].group, gname))
				continue;
			if (strcmp(fields[j].name, name) == 0) {
				f = &fields[j];
				break;
			}
		}
		if (f == NULL) {
			conf_error(p, s, "unknown setting '%s%s%s'",
			    gname ? gname : "", gname ? "." : "", name);
			continue;
		}
		conf_field(p, conf, f, s);
		if (f->type == CT_GROUP && config_setting_is_group(s))
			conf_walk(p, conf, s, name);
	}
}

void
conf_defaults(struct conf *conf)
{
	const struct conf_field	*f;
	char			*base;

	memset(conf, 0, sizeof(*conf));
	for (f = fields; f < fields + sizeof(fields) / sizeof(fields[0]);
	    f++) {
		base = (char *)conf + f->off;
		switch (f->type) {
		case CT_INT:
		case CT_DURATION:
			*(int *)base = (int)f->def;
			break;
		case CT_BOOL:
			*(bool *)base = f->def != 0;
			break;
		case CT_AMOUNT:
			*(long long *)base = f->def;
			break;
		case CT_STR:
		case CT_PATH:
		case CT_LANGS:
		case CT_STAFF:
		case CT_NUMBERS:
		case CT_PATHS:
		case CT_GROUP:
			break;
		}
		/* The parsed forms of the strings' defaults. */
		if (f->sdef != NULL && f->off == offsetof(struct conf,
		    log_level))
			(void)log_level_parse(f->sdef, &conf->level);
		if (f->sdef != NULL && f->off == offsetof(struct conf,
		    pseudonym.epoch) && pseudo_epoch_parse(f->sdef,
		    &conf->pseudonym.period) == -1)
			log_warnx("conf: bad default epoch '%s'", f->sdef);
	}
}

/*
 * The strings' defaults, for those the file left out, after it was
 * read: the modem's only with "device" (with "gammurc", Gammu's file
 * says the connection and model).  Returns 0, or -1 out of memory.
 */
static int
conf_default_strings(struct conf *conf)
{
	const struct conf_field	*f;
	char			**sp;

	for (f = fields; f < fields + sizeof(fields) / sizeof(fields[0]);
	    f++) {
		sp = (char **)(void *)((char *)conf + f->off);
		if (f->sdef == NULL || *sp != NULL)
			continue;
		if (f->group != NULL && strcmp(f->group, "modem") == 0 &&
		    (!conf->has_modem || conf->modem.device == NULL))
			continue;
		if ((*sp = strdup(f->sdef)) == NULL)
			return -1;
	}
	return 0;
}

/* Whether s is a SIM PIN: 4 to 8 digits. */
static bool
conf_pin_ok(const char *s)
{
	size_t	 n = strlen(s);

	return n >= 4 && n <= 8 && strspn(s, "0123456789") == n;
}

/*
 * Whether the PIN file at path is safe: a regular file only its owner
 * (root, or the user running this) can read.  NULL, or what is wrong.
 */
static const char *
conf_pin_file_bad(const char *path, const struct stat *sb)
{
	(void)path;
	if (!S_ISREG(sb->st_mode))
		return "is not a regular file";
	if (sb->st_uid != 0 && sb->st_uid != geteuid())
		return "must belong to root";
	if ((sb->st_mode & 077) != 0)
		return "must be readable by its owner only (chmod 600)";
	return NULL;
}

/* modem.pin and modem.pin_file. */
static void
conf_check_pin(struct conf_parse *p, struct conf *conf,
    config_setting_t *root)
{
	config_setting_t *m = config_setting_get_member(root, "modem");
	struct stat	 sb;
	const char	*bad;

	if (conf->modem.pin != NULL && conf->modem.pin_file != NULL)
		conf_error(p, m, "give the modem either '%s' or '%s', not "
		    "both", "pin", "pin_file");
	if (conf->modem.pin != NULL && !conf_pin_ok(conf->modem.pin))
		conf_error(p, m, "'%s' must be 4 to 8 digits", "pin");
	if (conf->modem.pin_file == NULL)
		return;
	if (stat(conf->modem.pin_file, &sb) == -1)
		conf_error(p, m, "cannot use '%s' '%s': %s", "pin_file",
		    conf->modem.pin_file, strerror(errno));
	else if ((bad = conf_pin_file_bad(conf->modem.pin_file, &sb)) !=
	    NULL)
		conf_error(p, m, "'%s' '%s' %s", "pin_file",
		    conf->modem.pin_file, bad);
}

/* modem.id and the balance group. */
static void
conf_check_modem(struct conf_parse *p, struct conf *conf,
    config_setting_t *root)
{
	config_setting_t *b = config_setting_get_member(root, "balance");
	regex_t		 re;
	char		 msg[128];
	const char	*id = conf->modem.id;
	int		 rc;

	if (id != NULL && (*id == '\0' || strlen(id) > 32 ||
	    strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_.-") != strlen(id)))
		conf_error(p, config_setting_get_member(root, "modem"),
		    "'%s' must be 1 to 32 letters, digits, '_', '.' or '-'",
		    "id");
	conf_check_pin(p, conf, root);
	if (!conf->has_balance)
		return;
	if (!conf->has_modem)
		conf_error(p, b, "the balance group needs a modem group");
	if (conf->balance.code == NULL)
		conf_error(p, b, "the balance group needs '%s', the USSD "
		    "code like \"*100#\"", "code");
	else if (*conf->balance.code == '\0' || strlen(conf->balance.code) >
	    32 || strspn(conf->balance.code, "0123456789*#+") !=
	    strlen(conf->balance.code))
		conf_error(p, b, "'%s' must be a USSD code like \"*100#\"",
		    "code");
	if (conf->balance.pattern != NULL) {
		if ((rc = regcomp(&re, conf->balance.pattern,
		    REG_EXTENDED)) != 0) {
			regerror(rc, &re, msg, sizeof(msg));
			conf_error(p, b, "bad '%s': %s", "pattern", msg);
		} else
			regfree(&re);
	}
	if (conf->balance.nnotify > 0 && conf->balance.warn_below < 0)
		conf_error(p, b, "'%s' needs '%s'", "notify", "warn_below");
}

/* Cross-field rules, after every field has been read. */
static void
conf_check(struct conf_parse *p, struct conf *conf, config_t *cfg)
{
	config_setting_t *root = config_root_setting(cfg);
	static const char *required[] = {
		"content_dir", "database", "languages", "default_language"
	};
	size_t	 i;

	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (config_setting_get_member(root, required[i]) == NULL)
			conf_error(p, NULL, "missing setting '%s'",
			    required[i]);
	if (conf->default_lang != NULL && conf->nlangs > 0 &&
	    conf_lang(conf, conf->default_lang) < 0)
		conf_error(p, config_setting_get_member(root,
		    "default_language"), "default_language '%s' is not in "
		    "'languages'", conf->default_lang);
	if (conf->has_modem && conf->modem.gammurc == NULL &&
	    conf->modem.device == NULL)
		conf_error(p, config_setting_get_member(root, "modem"),
		    "the modem group needs '%s' or 'device'", "gammurc");
	if (conf->has_modem && conf->modem.gammurc != NULL &&
	    conf->modem.device != NULL)
		conf_error(p, config_setting_get_member(root, "modem"),
		    "give the modem either '%s' or 'device', not both",
		    "gammurc");
	if (conf->pseudonym.key_dir == NULL)
		conf_error(p, NULL, "missing setting '%s'",
		    "pseudonym.key_dir");
	if (conf_default_strings(conf) == -1) {
		conf_error(p, NULL, "out of memory");
		return;
	}
	/* Both were checked against their choices: this cannot fail. */
	if (log_level_parse(conf->log_level, &conf->level) == -1 ||
	    pseudo_epoch_parse(conf->pseudonym.epoch,
	    &conf->pseudonym.period) == -1)
		conf_error(p, NULL, "bad '%s' or '%s'", "log_level", "epoch");
	if (conf->http.token != NULL && strlen(conf->http.token) < 8)
		conf_error(p, config_setting_get_member(root, "http"),
		    "'%s' is too short: use 8 characters or more", "token");
	if (conf->http.token != NULL &&
	    strlen(conf->http.token) > CONF_TOKEN_MAX)
		conf_error(p, config_setting_get_member(root, "http"),
		    "'%s' is too long: use %d characters or fewer", "token",
		    CONF_TOKEN_MAX);
	/*
	 * Anyone who can reach the port can make habar answer any number
	 * and spend the HTTP channel's budget: beyond this machine, only
	 * with the token.
	 */
	if (conf->has_http && conf->http.token == NULL &&
	    !conf_http_loopback(conf))
		conf_error(p, config_setting_get_member(root, "http"),
		    "http listens on '%s', beyond this machine: set "
		    "http.token (or listen on 127.0.0.1)", conf->http.listen);
	conf_check_modem(p, conf, root);
}

/*
 * libconfig's "@include" (a line starting with it) takes any path: a
 * folder makes its scanner call exit(), and a file elsewhere would be
 * read as settings.  Every setting lives in this one file, so refuse
 * the lines before libconfig sees them.  Returns 0, or -1 (logged).
 */
static int
conf_no_include(const char *path)
{
	FILE	*fp;
	char	*line = NULL, *s;
	size_t	 cap = 0;
	int	 lineno = 0, rv = 0;

	if ((fp = fopen(path, "r")) == NULL)
		return 0;	/* config_read_file() says why */
	while (rv == 0 && getline(&line, &cap, fp) != -1) {
		lineno++;
		for (s = line; *s == ' ' || *s == '\t'; s++)
			;
		if (strncmp(s, "@include", 8) == 0) {
			log_warnx("%s:%d: @include is not supported: put "
			    "every setting in this file", path, lineno);
			rv = -1;
		}
	}
	free(line);
	fclose(fp);
	return rv;
}

struct conf *
conf_load(const char *path)
{
	struct conf_parse p;
	struct conf	*conf;
	config_t	 cfg;
	char		 tmp[PATH_MAX];
	size_t		 len;
	int		 n;

	memset(&p, 0, sizeof(p));
	p.file = path;
	n = snprintf(tmp, sizeof(tmp), "%s", path);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		log_warnx("%s: path too long", path);
		return NULL;
	}
	if (access(path, R_OK) == -1) {
		log_warn("%s: cannot read the configuration", path);
		return NULL;
	}
	/* Absolute, so paths stay right after the daemon's chdir("/"). */
	if (realpath(dirname(tmp), p.dir) == NULL) {
		log_warn("%s: cannot resolve its directory", path);
		return NULL;
	}

	if ((conf = calloc(1, sizeof(*conf))) == NULL) {
		log_warn("conf_load");
		return NULL;
	}
	conf_defaults(conf);
	/* Absolute, so a reload finds the file after chdir("/"). */
	(void)snprintf(tmp, sizeof(tmp), "%s", path);
	len = strlen(p.dir) + strlen(basename(tmp)) + 2;
	if ((conf->path = malloc(len)) != NULL)
		snprintf(conf->path, len, "%s/%s", p.dir, basename(tmp));

	if (conf_no_include(path) == -1) {
		conf_free(conf);
		return NULL;
	}
	config_init(&cfg);
	if (config_read_file(&cfg, path) != CONFIG_TRUE) {
		if (config_error_type(&cfg) == CONFIG_ERR_FILE_IO)
			log_warnx("%s: cannot read '%s': %s", path, path,
			    strerror(errno));
		else
			log_warnx("%s:%d: %s", config_error_file(&cfg) ?
			    config_error_file(&cfg) : path,
			    config_error_line(&cfg), config_error_text(&cfg));
		config_destroy(&cfg);
		conf_free(conf);
		return NULL;
	}
	conf_walk(&p, conf, config_root_setting(&cfg), NULL);
	conf_check(&p, conf, &cfg);
	config_destroy(&cfg);
	if (p.errors > 0 || conf->path == NULL) {
		conf_free(conf);
		return NULL;
	}
	return conf;
}

/*
 * Keep cur's string *cs in next (*ns) for a setting that needs a
 * restart, logging a change (never a secret's values); 1 if the two
 * differed.
 */
static int
conf_keep(const char *name, char **ns, char **cs, bool secret)
{
	char	*t;
	int	 changed;

	changed = (*ns == NULL) != (*cs == NULL) ||
	    (*ns != NULL && strcmp(*ns, *cs) != 0);
	if (changed && secret)
		log_warnx("setting '%s' changed: needs a restart", name);
	else if (changed)
		log_warnx("setting '%s' changed to '%s': needs a restart, "
		    "still using '%s'", name, *ns ? *ns : "", *cs ? *cs : "");
	t = *ns;
	*ns = *cs;
	*cs = t;
	return changed;
}

static int
conf_keep_str(const char *name, char **ns, char **cs)
{
	return conf_keep(name, ns, cs, false);
}

/* As conf_keep_str, for a PIN: the values are never logged. */
static int
conf_keep_secret(const char *name, char **ns, char **cs)
{
	return conf_keep(name, ns, cs, true);
}

static int
conf_keep_int(const char *name, int *ni, const int *ci)
{
	int	 changed = *ni != *ci;

	if (changed)
		log_warnx("setting '%s' changed to %d: needs a restart, "
		    "still using %d", name, *ni, *ci);
	*ni = *ci;
	return changed;
}

int
conf_keep_restart(struct conf *next, struct conf *cur)
{
	int	 n = 0;

	n += conf_keep_str("database", &next->database, &cur->database);
	n += conf_keep_str("user", &next->user, &cur->user);
	n += conf_keep_str("group", &next->group, &cur->group);
	n += conf_keep_str("pseudonym.key_dir", &next->pseudonym.key_dir,
	    &cur->pseudonym.key_dir);
	n += conf_keep_str("pseudonym.epoch", &next->pseudonym.epoch,
	    &cur->pseudonym.epoch);
	if (next->has_modem != cur->has_modem) {
		log_warnx("the modem group was %s: needs a restart",
		    next->has_modem ? "added" : "removed");
		next->has_modem = cur->has_modem;
		n++;
	}
	n += conf_keep_str("modem.gammurc", &next->modem.gammurc,
	    &cur->modem.gammurc);
	n += conf_keep_int("modem.section", &next->modem.section,
	    &cur->modem.section);
	n += conf_keep_str("modem.device", &next->modem.device,
	    &cur->modem.device);
	n += conf_keep_str("modem.connection", &next->modem.connection,
	    &cur->modem.connection);
	n += conf_keep_str("modem.model", &next->modem.model,
	    &cur->modem.model);
	n += conf_keep_str("modem.id", &next->modem.id, &cur->modem.id);
	n += conf_keep_secret("modem.pin", &next->modem.pin, &cur->modem.pin);
	n += conf_keep_str("modem.pin_file", &next->modem.pin_file,
	    &cur->modem.pin_file);
	n += conf_keep_int("modem.watchdog", &next->modem.watchdog,
	    &cur->modem.watchdog);
	n += conf_keep_int("modem.multipart_timeout",
	    &next->modem.multipart_timeout, &cur->modem.multipart_timeout);
	return n;
}

/* Read the PIN out of the file at path into pin.  Returns 0 or -1. */
static int
conf_pin_read(const char *path, char *pin, size_t pinsz)
{
	struct stat	 sb;
	const char	*bad;
	char		 buf[32];
	ssize_t		 n;
	size_t		 len;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		log_warn("cannot read the PIN file '%s'", path);
		return -1;
	}
	if (fstat(fd, &sb) == -1) {
		log_warn("cannot check the PIN file '%s'", path);
		close(fd);
		return -1;
	}
	if ((bad = conf_pin_file_bad(path, &sb)) != NULL) {
		log_warnx("PIN file '%s' %s", path, bad);
		close(fd);
		return -1;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0) {
		log_warn("cannot read the PIN file '%s'", path);
		return -1;
	}
	buf[n] = '\0';
	len = strcspn(buf, " \t\r\n");
	buf[len] = '\0';
	if (!conf_pin_ok(buf) || len >= pinsz) {
		explicit_bzero(buf, sizeof(buf));
		log_warnx("PIN file '%s' must hold 4 to 8 digits", path);
		return -1;
	}
	memcpy(pin, buf, len + 1);
	explicit_bzero(buf, sizeof(buf));
	return 0;
}

int
conf_modem(const struct conf *conf, struct modem_conf *mc, char *pin,
    size_t pinsz)
{
	memset(mc, 0, sizeof(*mc));
	mc->gammurc = conf->modem.gammurc;
	mc->section = conf->modem.section;
	mc->device = conf->modem.device;
	mc->connection = conf->modem.connection;
	mc->model = conf->modem.model;
	mc->multipart_timeout = conf->modem.multipart_timeout;
	if (pinsz > 0)
		pin[0] = '\0';
	if (conf->modem.pin != NULL) {
		if (strlen(conf->modem.pin) >= pinsz)
			return -1;
		memcpy(pin, conf->modem.pin, strlen(conf->modem.pin) + 1);
		mc->pin = pin;
	} else if (conf->modem.pin_file != NULL) {
		if (conf_pin_read(conf->modem.pin_file, pin, pinsz) == -1)
			return -1;
		mc->pin = pin;
	}
	return 0;
}

int
conf_http_loopback(const struct conf *conf)
{
	struct in_addr	 a4;
	struct in6_addr	 a6;

	if (inet_pton(AF_INET, conf->http.listen, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, conf->http.listen, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return 0;
}

int
conf_lang(const struct conf *conf, const char *code)
{
	size_t	 i;

	for (i = 0; i < conf->nlangs; i++)
		if (strcmp(conf->langs[i], code) == 0)
			return (int)i;
	return -1;
}

void
conf_free(struct conf *conf)
{
	size_t	 i;

	if (conf == NULL)
		return;
	free(conf->path);
	free(conf->content_dir);
	free(conf->database);
	for (i = 0; i < conf->nlangs; i++)
		free(conf->langs[i]);
	free(conf->default_lang);
	free(conf->log_level);
	free(conf->modem.gammurc);
	free(conf->modem.device);
	free(conf->modem.connection);
	free(conf->modem.model);
	if (conf->modem.pin != NULL)
		explicit_bzero(conf->modem.pin, strlen(conf->modem.pin));
	free(conf->modem.pin);
	free(conf->modem.pin_file);
	free(conf->pseudonym.key_dir);
	free(conf->pseudonym.epoch);
	free(conf->http.listen);
	free(conf->http.token);
	free(conf->modem.id);
	free(conf->balance.code);
	free(conf->balance.pattern);
	for (i = 0; i < conf->balance.nnotify; i++)
		free(conf->balance.notify[i]);
	free(conf->balance.notify);
	for (i = 0; i < conf->guard.ndeny; i++)
		free(conf->guard.deny[i]);
	free(conf->guard.deny);
	for (i = 0; i < conf->content.nextra_lists; i++)
		free(conf->content.extra_lists[i]);
	free(conf->content.extra_lists);
	free(conf->user);
	free(conf->group);
	free(conf);
}
