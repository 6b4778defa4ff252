/*
 * lists.c - parse and search the NGO's lists for "check before you go":
 * files under DIR/lists/ (*.txt), a few list-wide "name: value" fields,
 * then one [entry] section an agency, number or name: its id, kind
 * (licensed or reported), name, aliases, phones, source and date.  Every
 * problem is reported with file and line, as for topics; an entry with
 * an error is left out, and the content loader refuses a set with any.
 *
 * A check is honest about what a list can say: numbers match exactly
 * once both sides are E.164, names match after the folding keywords
 * use (so Cyrillic and Latin spellings agree) with legal forms dropped;
 * a name within one typo from LISTS_TYPO_MIN letters or two from ten is
 * only "similar", never vouched for; a reported entry older than its
 * list's "expires:" is no longer asserted.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lists.h"
#include "phone.h"
#include "text.h"

#define LISTS_MAX_LINE		4096		/* bytes in one line */
#define LISTS_MAX_FILE		(4 * 1024 * 1024) /* bytes in one file */
#define LISTS_MAX_EXPIRES	3650		/* days */

#define FNV_PRIME		0x100000001b3ULL

/*
 * Legal forms and the like, dropped from names before comparing, so
 * "ТОО Пример" is "Пример" (folded when compared).
 */
static const char *const lists_stop[] = {
	"ТОО", "ЖШС", "ООО", "ОсОО", "ИП", "ЖК", "АО", "АҚ", "ОАО", "ЗАО",
	"LLP", "LLC", "Ltd", "Inc", "JSC", "GmbH", "TOO", "OOO"
};
#define NSTOP	(sizeof(lists_stop) / sizeof(lists_stop[0]))

/* What the loader as a whole knows. */
struct lists_loader {
	editfile_diag_fn	*diag;
	void		*arg;
	int		 oom;
	uint64_t	*hash;
	struct lists	*s;
	char		 stop[NSTOP][16];	/* lists_stop folded */
};

/* One entry being read, before it is checked and kept. */
struct lists_draft {
	struct lists_entry	 e;
	int			 open;		/* an [entry] is being read */
	int			 errors;	/* problems in this entry */
	int			 id_line, kind_line, name_line;
	int			 source_line, date_line;
	int			 kind_set;
};

static void	 lists_report(struct lists_loader *, enum editfile_severity,
		    const char *, int, const char *, ...)
		    __attribute__((format(printf, 5, 6)));

static void
lists_report(struct lists_loader *l, enum editfile_severity sev,
    const char *file, int line, const char *fmt, ...)
{
	char	 msg[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	l->diag(l->arg, sev, file, line, msg);
}

static void	 lists_say(editfile_diag_fn *, void *, enum editfile_severity,
		    const char *, int, const char *, ...)
		    __attribute__((format(printf, 6, 7)));

static void
lists_say(editfile_diag_fn *diag, void *arg, enum editfile_severity sev,
    const char *file, int line, const char *fmt, ...)
{
	char	 msg[512];
	va_list	 ap;

	if (diag == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag(arg, sev, file, line, msg);
}

static void
lists_hash(struct lists_loader *l, const void *p, size_t len)
{
	const unsigned char	*s = p;
	size_t			 i;

	for (i = 0; i < len; i++) {
		*l->hash ^= s[i];
		*l->hash *= FNV_PRIME;
	}
}

long
lists_days(const char *s)
{
	static const int	 mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31,
				    30, 31, 30, 31 };
	long			 y, m, d, era, yoe, doy, doe;
	int			 i;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 2000 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return -1;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 ||
	    y % 400 == 0)))
		return -1;
	/* H. Hinnant's days_from_civil */
	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
lists_is_blank(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/*
 * The folded matching key of a name: text_fold(), legal forms dropped
 * (unless nothing else is left), tokens joined without spaces so
 * "Алтын-Жол" and "АлтынЖол" agree.  Returns the key's length.
 */
static size_t
lists_key(char (*stop)[16], const char *name, char *key, size_t keysz)
{
	char	 f[TEXT_MAX_FOLD];
	size_t	 n = 0, i, tl, kept = 0;
	char	*t, *e;
	int	 pass;

	text_fold(f, sizeof(f), name);
	for (pass = 0; pass < 2 && kept == 0; pass++) {
		n = 0;
		for (t = f; *t != '\0'; t = *e != '\0' ? e + 1 : e) {
			if ((e = strchr(t, ' ')) == NULL)
				e = t + strlen(t);
			tl = (size_t)(e - t);
			for (i = 0; pass == 0 && stop != NULL && i < NSTOP;
			    i++)
				if (strlen(stop[i]) == tl &&
				    memcmp(stop[i], t, tl) == 0)
					break;
			if (pass == 0 && stop != NULL && i < NSTOP)
				continue;
			if (n + tl + 1 > keysz)
				break;
			memcpy(key + n, t, tl);
			n += tl;
			kept++;
		}
	}
	key[n] = '\0';
	return n;
}

/* ---- parsing */

static char *
lists_strdup(struct lists_loader *l, const char *s)
{
	char	*d;

	if ((d = strdup(s)) == NULL)
		l->oom = 1;
	return d;
}

/* Append a copy of s to *v (n items, at most LISTS_MAX_ITEMS). */
static int
lists_push(struct lists_loader *l, char ***v, size_t *n, const char *s)
{
	char	**nv;

	if ((nv = reallocarray(*v, *n + 1, sizeof(*nv))) == NULL) {
		l->oom = 1;
		return -1;
	}
	*v = nv;
	if ((nv[*n] = lists_strdup(l, s)) == NULL)
		return -1;
	(*n)++;
	return 0;
}

static void
lists_entry_clear(struct lists_entry *e)
{
	size_t	 i;

	free(e->id);
	free(e->name);
	for (i = 0; i < e->naliases; i++)
		free(e->aliases[i]);
	free(e->aliases);
	for (i = 0; i < e->nphones; i++)
		free(e->phones[i]);
	free(e->phones);
	free(e->source);
	free(e->date);
	for (i = 0; i < e->nkeys; i++)
		free(e->keys[i]);
	free(e->keys);
	memset(e, 0, sizeof(*e));
}

/* "a, b, c": each trimmed item to fn; empty items are skipped. */
static void
lists_items(struct lists_loader *l, struct lists_draft *d, const char *file,
    int line, const char *value, int phones)
{
	char		 item[LISTS_MAX_LINE + 1], e164[PHONE_MAX];
	char		 q[EDITFILE_QUOTE_MAX + 8];
	const char	*s = value, *c, *e;
	size_t		 n;

	while (*s != '\0') {
		if ((c = strchr(s, ',')) == NULL)
			c = s + strlen(s);
		while (s < c && lists_is_blank((unsigned char)*s))
			s++;
		for (e = c; e > s && lists_is_blank((unsigned char)e[-1]);
		    e--)
			;
		n = (size_t)(e - s);
		s = *c == ',' ? c + 1 : c;
		if (n == 0)
			continue;
		memcpy(item, e - n, n);
		item[n] = '\0';
		editfile_quote(q, sizeof(q), item);
		if ((phones ? d->e.nphones : d->e.naliases) >=
		    LISTS_MAX_ITEMS) {
			lists_report(l, EDITFILE_ERROR, file, line, "too many "
			    "%s in one entry: at most %d", phones ? "phones" :
			    "aliases", LISTS_MAX_ITEMS);
			d->errors++;
			return;
		}
		if (phones) {
			if (phone_e164(e164, sizeof(e164), item) == -1) {
				lists_report(l, EDITFILE_ERROR, file, line,
				    "\"%s\" is not a phone number: write it "
				    "with the country code, e.g. "
				    "+7 7XX XXX XX XX, or as dialled in "
				    "Kazakhstan, 8 7XX XXX XX XX", q);
				d->errors++;
				continue;
			}
			(void)lists_push(l, &d->e.phones, &d->e.nphones, e164);
		} else {
			if (n > LISTS_MAX_NAME) {
				lists_report(l, EDITFILE_ERROR, file, line,
				    "alias \"%s\" is too long: %zu bytes, at "
				    "most %d", q, n, LISTS_MAX_NAME);
				d->errors++;
				continue;
			}
			(void)lists_push(l, &d->e.aliases, &d->e.naliases,
			    item);
		}
	}
}

/* Check the entry read so far and keep it, or drop it with its errors. */
static void
lists_end_entry(struct lists_loader *l, struct lists_draft *d,
    const struct lists_file *f)
{
	struct lists_entry	*ne, *e = &d->e;
	char			 key[TEXT_MAX_FOLD];
	size_t			 i;

	if (!d->open)
		return;
	d->open = 0;
	if (e->id == NULL) {
		lists_report(l, EDITFILE_ERROR, f->path, e->line, "the entry "
		    "has no \"id:\" (a short name that never changes, e.g. "
		    "\"id: r-2026-001\")");
		d->errors++;
	}
	if (!d->kind_set) {
		lists_report(l, EDITFILE_ERROR, f->path, e->line, "the entry "
		    "has no \"kind:\" (licensed or reported)");
		d->errors++;
	}
	if (e->name == NULL && e->nphones == 0) {
		lists_report(l, EDITFILE_ERROR, f->path, e->line, "the entry "
		    "has neither \"name:\" nor \"phone:\"");
		d->errors++;
	}
	if (e->name == NULL && e->kind == LISTS_LICENSED && d->kind_set) {
		lists_report(l, EDITFILE_ERROR, f->path, e->line, "a licensed "
		    "agency needs \"name:\", its name as in the register");
		d->errors++;
	}
	if (e->date == NULL) {
		lists_report(l, EDITFILE_ERROR, f->path, e->line, "the entry "
		    "has no \"date:\" (the day it was added or last "
		    "confirmed, e.g. \"date: 2026-11-26\")");
		d->errors++;
	}
	if (e->source == NULL) {
		lists_report(l, EDITFILE_ERROR, f->path, e->line, "the entry "
		    "has no \"source:\" (who reported or confirmed it, and "
		    "how)");
		d->errors++;
	}
	if (d->errors > 0 || l->oom) {
		lists_entry_clear(e);
		return;
	}
	/* The keys a name check compares: the name and every alias. */
	for (i = 0; i < e->naliases + 1; i++) {
		const char *nm = i == 0 ? e->name : e->aliases[i - 1];

		if (nm == NULL)
			continue;
		if (lists_key(l->stop, nm, key, sizeof(key)) == 0) {
			lists_report(l, EDITFILE_WARNING, f->path, e->line,
			    "\"%s\" has no letters or digits and can never "
			    "match", nm);
			continue;
		}
		if (lists_push(l, &e->keys, &e->nkeys, key) == -1) {
			lists_entry_clear(e);
			return;
		}
	}
	if (e->name == NULL && (e->name = lists_strdup(l, e->phones[0])) ==
	    NULL) {
		lists_entry_clear(e);
		return;
	}
	e->file = f;
	ne = reallocarray(l->s->entries, l->s->nentries + 1, sizeof(*ne));
	if (ne == NULL) {
		l->oom = 1;
		lists_entry_clear(e);
		return;
	}
	l->s->entries = ne;
	ne[l->s->nentries++] = *e;
	memset(e, 0, sizeof(*e));
}

/*
 * The fields of a list file, one row each: a field is found by its
 * name here and handled by its kind, never by its place in the table.
 */
enum lists_file_kind {
	LF_VERIFIED,	/* the day the list was last checked */
	LF_SOURCE,	/* who keeps it */
	LF_EXPIRES	/* days a reported entry holds */
};

static const struct lists_file_field {
	const char		*name;
	enum lists_file_kind	 kind;
} lists_file_fields[] = {
	{ "verified", LF_VERIFIED },
	{ "source", LF_SOURCE },
	{ "expires", LF_EXPIRES }
};

enum lists_entry_kind {
	LE_ID,		/* once: the stable id */
	LE_KIND,	/* once: licensed or reported */
	LE_NAME,	/* once: the name as written */
	LE_ALIASES,	/* other names, comma-separated */
	LE_PHONES,	/* numbers, comma-separated */
	LE_SOURCE,	/* who reported or registered it */
	LE_DATE		/* added or last confirmed */
};

static const struct lists_entry_field {
	const char		*name;
	enum lists_entry_kind	 kind;
} lists_entry_fields[] = {
	{ "id", LE_ID },
	{ "kind", LE_KIND },
	{ "name", LE_NAME },
	{ "alias", LE_ALIASES },
	{ "aliases", LE_ALIASES },
	{ "phone", LE_PHONES },
	{ "phones", LE_PHONES },
	{ "source", LE_SOURCE },
	{ "date", LE_DATE }
};

#define LISTS_NFIELDS(v)	(sizeof(v) / sizeof((v)[0]))

#define lists_file_named(name, len)	editfile_field(lists_file_fields, \
	LISTS_NFIELDS(lists_file_fields), sizeof(lists_file_fields[0]), \
	name, len)
#define lists_entry_named(name, len)	editfile_field(lists_entry_fields, \
	LISTS_NFIELDS(lists_entry_fields), sizeof(lists_entry_fields[0]), \
	name, len)

/* A list-wide field, before the first [entry]. */
static void
lists_file_field(struct lists_loader *l, struct lists_file *f,
    const struct lists_file_field *fld, int line, const char *value)
{
	char		 q[EDITFILE_QUOTE_MAX + 8];
	const char	*s;
	int		 n = 0;

	editfile_quote(q, sizeof(q), value);
	switch (fld->kind) {
	case LF_VERIFIED:
		if (f->verified != NULL) {
			lists_report(l, EDITFILE_ERROR, f->path, line,
			    "\"verified:\" given twice (first at line %d)",
			    f->verified_line);
			return;
		}
		f->verified_line = line;
		if (lists_days(value) < 0)
			lists_report(l, EDITFILE_ERROR, f->path, line, "bad date "
			    "\"%s\" in \"verified:\": write year-month-day, "
			    "e.g. 2026-11-26", q);
		f->verified = lists_strdup(l, value);
		break;
	case LF_SOURCE:
		if (f->source != NULL) {
			lists_report(l, EDITFILE_ERROR, f->path, line,
			    "\"source:\" given twice");
			return;
		}
		if (*value == '\0')
			lists_report(l, EDITFILE_ERROR, f->path, line,
			    "\"source:\" is empty: say who keeps this list");
		f->source = lists_strdup(l, value);
		break;
	case LF_EXPIRES:
		if (f->expires_line != 0) {
			lists_report(l, EDITFILE_ERROR, f->path, line,
			    "\"expires:\" given twice (first at line %d)",
			    f->expires_line);
			return;
		}
		f->expires_line = line;
		for (s = value; *s >= '0' && *s <= '9' && n <= 100000; s++)
			n = n * 10 + (*s - '0');
		while (*s == ' ')
			s++;
		if (strcmp(s, "days") == 0 || strcmp(s, "day") == 0)
			s += strlen(s);
		if (s == value || *s != '\0' || n < 1 ||
		    n > LISTS_MAX_EXPIRES) {
			lists_report(l, EDITFILE_ERROR, f->path, line, "bad "
			    "\"expires:\" \"%s\": write the days a reported "
			    "entry stays true without being confirmed again, "
			    "from 1 to %d, e.g. \"expires: 365 days\"", q,
			    LISTS_MAX_EXPIRES);
			return;
		}
		f->expires = n;
		break;
	}
}

/* A field inside an [entry]. */
static void
lists_entry_field(struct lists_loader *l, struct lists_draft *d,
    const struct lists_file *f, const struct lists_entry_field *fld,
    int line, const char *value)
{
	struct lists_entry	*e = &d->e;
	char			 q[EDITFILE_QUOTE_MAX + 8];
	int			*seen;

	editfile_quote(q, sizeof(q), value);
	/* id, kind and name once: a second name is an alias */
	seen = fld->kind == LE_ID ? &d->id_line : fld->kind == LE_KIND ?
	    &d->kind_line : fld->kind == LE_NAME ? &d->name_line : NULL;
	if (seen != NULL) {
		if (*seen != 0) {
			lists_report(l, EDITFILE_ERROR, f->path, line, "\"%s:\" "
			    "given twice in one entry (first at line %d): "
			    "put other names in \"alias:\"", fld->name,
			    *seen);
			d->errors++;
			return;
		}
		*seen = line;
	}
	if (*value == '\0') {
		lists_report(l, EDITFILE_ERROR, f->path, line, "\"%s:\" is "
		    "empty", fld->name);
		d->errors++;
		return;
	}
	switch (fld->kind) {
	case LE_ID:
		if (!editfile_valid_id(value)) {
			lists_report(l, EDITFILE_ERROR, f->path, line, "bad id "
			    "\"%s\": use only small Latin letters a-z, digits, "
			    "'-' and '_'", q);
			d->errors++;
			return;
		}
		e->id = lists_strdup(l, value);
		break;
	case LE_KIND:
		if (strcmp(value, "licensed") == 0)
			e->kind = LISTS_LICENSED;
		else if (strcmp(value, "reported") == 0)
			e->kind = LISTS_REPORTED;
		else {
			lists_report(l, EDITFILE_ERROR, f->path, line, "bad kind "
			    "\"%s\": write \"licensed\" (an agency in the "
			    "official register) or \"reported\" (reported "
			    "in a scam)", q);
			d->errors++;
			return;
		}
		d->kind_set = 1;
		break;
	case LE_NAME:
		if (strlen(value) > LISTS_MAX_NAME) {
			lists_report(l, EDITFILE_ERROR, f->path, line, "the name "
			    "is too long: %zu bytes, at most %d; put the "
			    "short form here and others in \"alias:\"",
			    strlen(value), LISTS_MAX_NAME);
			d->errors++;
			return;
		}
		e->name = lists_strdup(l, value);
		break;
	case LE_ALIASES:
		lists_items(l, d, f->path, line, value, 0);
		break;
	case LE_PHONES:
		lists_items(l, d, f->path, line, value, 1);
		break;
	case LE_SOURCE:
		if (e->source != NULL) {
			lists_report(l, EDITFILE_ERROR, f->path, line,
			    "\"source:\" given twice in one entry");
			d->errors++;
			return;
		}
		d->source_line = line;
		e->source = lists_strdup(l, value);
		break;
	case LE_DATE:
		if (e->date != NULL) {
			lists_report(l, EDITFILE_ERROR, f->path, line,
			    "\"date:\" given twice in one entry (first at "
			    "line %d)", d->date_line);
			d->errors++;
			return;
		}
		d->date_line = line;
		if ((e->day = lists_days(value)) < 0) {
			lists_report(l, EDITFILE_ERROR, f->path, line, "bad date "
			    "\"%s\": write year-month-day, e.g. 2026-11-26",
			    q);
			d->errors++;
			return;
		}
		e->date = lists_strdup(l, value);
		break;
	}
}

/* One right-trimmed line. */
static void
lists_line(struct lists_loader *l, struct lists_file *f,
    struct lists_draft *d, int lineno, char *line)
{
	const struct lists_file_field *ff;
	const struct lists_entry_field *ef;
	char		 q[EDITFILE_QUOTE_MAX + 8];
	const char	*s = line, *name, *value;
	size_t		 len;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0' || *s == '#')
		return;
	editfile_quote(q, sizeof(q), s);
	if (*s == '[') {
		lists_end_entry(l, d, f);
		if (strcmp(s, "[entry]") != 0) {
			lists_report(l, EDITFILE_ERROR, f->path, lineno, "bad "
			    "section line \"%s\": each entry starts with a "
			    "line \"[entry]\"", q);
			return;
		}
		memset(d, 0, sizeof(*d));
		d->open = 1;
		d->e.line = lineno;
		return;
	}
	name = s;
	for (len = 0; (name[len] >= 'a' && name[len] <= 'z') ||
	    name[len] == '_'; len++)
		;
	value = name + len;
	while (*value == ' ' || *value == '\t')
		value++;
	if (len == 0 || *value != ':') {
		lists_report(l, EDITFILE_ERROR, f->path, lineno, "unexpected "
		    "line \"%s\": write \"name: value\", or \"[entry]\" to "
		    "start an entry", q);
		if (d->open)
			d->errors++;
		return;
	}
	value++;
	while (*value == ' ' || *value == '\t')
		value++;
	ef = lists_entry_named(name, len);
	if (!d->open) {
		if ((ff = lists_file_named(name, len)) != NULL)
			lists_file_field(l, f, ff, lineno, value);
		else if (ef != NULL)
			lists_report(l, EDITFILE_ERROR, f->path, lineno,
			    "\"%.*s:\" must be inside an entry: start it "
			    "with a line \"[entry]\"", (int)len, name);
		else
			lists_report(l, EDITFILE_ERROR, f->path, lineno,
			    "unknown field \"%.*s\": known fields are "
			    "verified, source, expires, then in each [entry] "
			    "id, kind, name, alias, phone, source, date",
			    (int)len, name);
		return;
	}
	if (ef != NULL) {
		lists_entry_field(l, d, f, ef, lineno, value);
		return;
	}
	lists_report(l, EDITFILE_ERROR, f->path, lineno, "unknown field "
	    "\"%.*s\" in an entry: known fields are id, kind, name, alias, "
	    "phone, source, date", (int)len, name);
	d->errors++;
}

static void
lists_parse(struct lists_loader *l, struct lists_file *f, const char *data,
    size_t len)
{
	struct lists_draft	 d;
	const char		*s = data, *end = data + len, *nl;
	char			 line[LISTS_MAX_LINE + 1];
	char			 why[CHARSET_MAX_ADVICE];
	size_t			 n;
	int			 lineno;

	memset(&d, 0, sizeof(d));
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	for (lineno = 1; s < end && !l->oom; lineno++) {
		if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
			nl = end;
		n = (size_t)(nl - s);
		if (n > LISTS_MAX_LINE) {
			lists_report(l, EDITFILE_ERROR, f->path, lineno,
			    "line too long: %zu bytes, at most %d", n,
			    LISTS_MAX_LINE);
			d.errors++;
		} else if (memchr(s, '\0', n) != NULL) {
			lists_report(l, EDITFILE_ERROR, f->path, lineno,
			    "the line contains a NUL byte");
			d.errors++;
		} else {
			if (charset_lost(s, n, why, sizeof(why)) == -1)
				lists_report(l, EDITFILE_WARNING, f->path,
				    lineno, "%s", why);
			memcpy(line, s, n);
			while (n > 0 && lists_is_blank((unsigned char)
			    line[n - 1]))
				n--;
			line[n] = '\0';
			lists_line(l, f, &d, lineno, line);
		}
		s = nl < end ? nl + 1 : end;
	}
	lists_end_entry(l, &d, f);
	lists_entry_clear(&d.e);
	if (f->verified == NULL)
		lists_report(l, EDITFILE_ERROR, f->path, 0, "missing "
		    "\"verified:\" (the day someone last went through the "
		    "whole list, e.g. \"verified: 2026-11-26\")");
	if (f->source == NULL)
		lists_report(l, EDITFILE_ERROR, f->path, 0, "missing "
		    "\"source:\" (who keeps this list, and from what)");
	if (f->expires == 0)
		f->expires = LISTS_EXPIRES_DEFAULT;
}

/* Read a whole file (at most LISTS_MAX_FILE bytes); 0 or -1 (reported). */
static int
lists_read(struct lists_loader *l, const char *path, struct editfile *cf)
{
	switch (editfile_read(path, LISTS_MAX_FILE, cf)) {
	case 0:
		return 0;
	case -2:
		l->oom = 1;
		return -1;
	default:
		lists_report(l, EDITFILE_ERROR, path, cf->line, "%s", cf->why);
		return -1;
	}
}

static int
lists_cmp_num(const void *a, const void *b)
{
	const struct lists_num	*x = a, *y = b;
	int			 r;

	if ((r = strcmp(x->e164, y->e164)) != 0)
		return r;
	return x->entry < y->entry ? -1 : x->entry > y->entry;
}

int
lists_is_list_file(const char *name)
{
	return editfile_is_text(name);
}

/* The sorted list file names in path; NULL with *n 0 when none. */
static char **
lists_names(struct lists_loader *l, const char *path, size_t *n)
{
	char	**v;

	switch (editfile_list_dir(path, lists_is_list_file, &v, n)) {
	case 0:
		return v;
	case -2:
		l->oom = 1;
		return NULL;
	default:
		if (errno != ENOENT)
			lists_report(l, EDITFILE_ERROR, path, 0, "cannot open "
			    "the lists folder: %s", strerror(errno));
		return NULL;
	}
}

/* The number index; entries point at their files (stable now). */
static int
lists_index(struct lists *s)
{
	size_t	 i, j, k = 0;

	for (i = 0; i < s->nentries; i++)
		s->nnums += s->entries[i].nphones;
	if (s->nnums == 0)
		return 0;
	if ((s->nums = calloc(s->nnums, sizeof(*s->nums))) == NULL)
		return -1;
	for (i = 0; i < s->nentries; i++)
		for (j = 0; j < s->entries[i].nphones; j++) {
			s->nums[k].e164 = s->entries[i].phones[j];
			s->nums[k++].entry = i;
		}
	qsort(s->nums, s->nnums, sizeof(*s->nums), lists_cmp_num);
	return 0;
}

/* Read and parse one list file at fp (taken over) named name. */
static void
lists_add_file(struct lists_loader *l, char *fp, const char *name)
{
	struct lists_file	*f;
	struct editfile	 cf;

	f = &l->s->files[l->s->nfiles++];
	f->path = fp;
	if (lists_read(l, fp, &cf) == -1)
		return;
	lists_hash(l, "lists/", 6);
	lists_hash(l, name, strlen(name) + 1);
	lists_hash(l, cf.data, cf.len);
	lists_parse(l, f, cf.data, cf.len);
	free(cf.data);
}

struct lists *
lists_load(const char *dir, const char *const *extra, size_t nextra,
    editfile_diag_fn *diag, void *arg, uint64_t *hash)
{
	struct lists_loader	 l;
	char			*path = NULL, *fp, **names = NULL;
	size_t			 i, n = 0, len, plen;

	memset(&l, 0, sizeof(l));
	l.diag = diag;
	l.arg = arg;
	l.hash = hash;
	for (i = 0; i < NSTOP; i++)
		text_fold(l.stop[i], sizeof(l.stop[i]), lists_stop[i]);
	if ((l.s = calloc(1, sizeof(*l.s))) == NULL)
		return NULL;
	plen = strlen(dir) + sizeof("/lists");
	if ((path = malloc(plen)) == NULL)
		goto oom;
	snprintf(path, plen, "%s/lists", dir);
	names = lists_names(&l, path, &n);
	if (l.oom)
		goto oom;
	if (n + nextra > 0 && (l.s->files = calloc(n + nextra,
	    sizeof(*l.s->files))) == NULL)
		goto oom;
	for (i = 0; i < n + nextra; i++) {
		if (i < n) {
			len = strlen(path) + strlen(names[i]) + 2;
			if ((fp = malloc(len)) == NULL)
				goto oom;
			snprintf(fp, len, "%s/%s", path, names[i]);
			lists_add_file(&l, fp, names[i]);
		} else {
			if ((fp = strdup(extra[i - n])) == NULL)
				goto oom;
			lists_add_file(&l, fp, fp);
		}
		if (l.oom)
			goto oom;
	}
	if (lists_index(l.s) == -1)
		goto oom;
	editfile_names_free(names, n);
	free(path);
	return l.s;
oom:
	editfile_names_free(names, n);
	free(path);
	lists_free(l.s);
	return NULL;
}

/* ---- checks across the set */

/*
 * Numbers reserved for fiction, which no real list holds: Ofcom keeps
 * them for films and examples, so they belong to no one: +44 7700
 * 900000 to 900999 and +44 20 7946 0000 to 0999.  The shipped example
 * list (content/examples/example-list.txt) and the tests use the first;
 * a list with one is the example or a copy of it.  Each is an E.164
 * prefix and the length of the whole number.  The warning names the
 * entry, not the number: the daemon's log keeps no listed number.
 */
static const struct {
	const char	*prefix;
	size_t		 len;
	const char	*what;
} lists_fiction[] = {
	{ "+447700900", 13, "UK mobile numbers Ofcom keeps for drama" },
	{ "+442079460", 13, "London numbers Ofcom keeps for drama" },
};
#define NFICTION	(sizeof(lists_fiction) / sizeof(lists_fiction[0]))

/* The fiction range e164 is in, or -1. */
static int
lists_fiction_range(const char *e164)
{
	size_t	 i, n;

	for (i = 0; i < NFICTION; i++) {
		n = strlen(lists_fiction[i].prefix);
		if (strlen(e164) == lists_fiction[i].len &&
		    strncmp(e164, lists_fiction[i].prefix, n) == 0)
			return (int)i;
	}
	return -1;
}

/* Warn about each entry with a number reserved for fiction. */
static void
lists_check_fiction(const struct lists *s, editfile_diag_fn *diag, void *arg)
{
	const struct lists_entry *e;
	size_t			 i, j;
	int			 r;

	for (i = 0; i < s->nentries; i++) {
		e = &s->entries[i];
		for (j = 0; j < e->nphones; j++)
			if ((r = lists_fiction_range(e->phones[j])) >= 0)
				break;
		if (j == e->nphones)
			continue;
		lists_say(diag, arg, EDITFILE_WARNING, e->file->path, e->line,
		    "entry \"%s\" has a number from a range kept for "
		    "fiction (%s): this is the shipped example list or a "
		    "copy of it, not real data; remove it before you go "
		    "live", e->id, lists_fiction[r].what);
	}
}

void
lists_check(const struct lists *s, editfile_diag_fn *diag, void *arg)
{
	const struct lists_entry *e, *o;
	size_t			 i, j, k, m;

	if (s == NULL)
		return;
	lists_check_fiction(s, diag, arg);
	for (i = 0; i < s->nentries; i++) {
		e = &s->entries[i];
		for (j = 0; j < i; j++) {
			o = &s->entries[j];
			if (strcmp(e->id, o->id) == 0) {
				lists_say(diag, arg, EDITFILE_ERROR,
				    e->file->path, e->line, "entry id \"%s\" is "
				    "already used at %s:%d", e->id,
				    o->file->path, o->line);
				break;
			}
			for (k = 0; k < e->nkeys; k++)
				for (m = 0; m < o->nkeys; m++)
					if (strcmp(e->keys[k], o->keys[m]) ==
					    0)
						goto samename;
			continue;
samename:
			lists_say(diag, arg, EDITFILE_WARNING, e->file->path,
			    e->line, "entry \"%s\" has a name or alias that "
			    "reads the same as one of \"%s\" (%s:%d)%s", e->id,
			    o->id, o->file->path, o->line, e->kind != o->kind ?
			    ": a check finds the reported one" : "");
		}
	}
	for (i = 1; i < s->nnums; i++) {
		if (strcmp(s->nums[i].e164, s->nums[i - 1].e164) != 0 ||
		    s->nums[i].entry == s->nums[i - 1].entry)
			continue;
		e = &s->entries[s->nums[i].entry];
		o = &s->entries[s->nums[i - 1].entry];
		lists_say(diag, arg, EDITFILE_WARNING, e->file->path, e->line,
		    "entry \"%s\" has the number %s of \"%s\" too (%s:%d)%s",
		    e->id, s->nums[i].e164, o->id, o->file->path, o->line,
		    e->kind != o->kind ? ": a check finds the reported one" :
		    "");
	}
}

void
lists_lint(const struct lists *s, long today, editfile_diag_fn *diag,
    void *arg)
{
	const struct lists_entry *e;
	const struct lists_file	*f;
	long			 age;
	size_t			 i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nfiles; i++) {
		f = &s->files[i];
		if (f->verified == NULL || lists_days(f->verified) < 0)
			continue;
		age = today - lists_days(f->verified);
		if (age < 0)
			lists_say(diag, arg, EDITFILE_WARNING, f->path,
			    f->verified_line, "\"verified: %s\" is in the "
			    "future: write the day the list was last gone "
			    "through", f->verified);
		else if (age > f->expires)
			lists_say(diag, arg, EDITFILE_WARNING, f->path,
			    f->verified_line, "the list was last gone "
			    "through %ld days ago (verified: %s), more than "
			    "its expiry (%d days): go through it again, then "
			    "update the date", age, f->verified, f->expires);
	}
	for (i = 0; i < s->nentries; i++) {
		e = &s->entries[i];
		age = today - e->day;
		if (age < 0)
			lists_say(diag, arg, EDITFILE_WARNING, e->file->path,
			    e->line, "entry \"%s\": \"date: %s\" is in the "
			    "future", e->id, e->date);
		else if (age > e->file->expires && e->kind == LISTS_REPORTED)
			lists_say(diag, arg, EDITFILE_WARNING, e->file->path,
			    e->line, "reported entry \"%s\" was last "
			    "confirmed %ld days ago (date: %s), more than the "
			    "list's expiry (%d days): the gateway no longer "
			    "warns about it; confirm it and update \"date:\", "
			    "or remove it", e->id, age, e->date,
			    e->file->expires);
		else if (age > e->file->expires)
			lists_say(diag, arg, EDITFILE_WARNING, e->file->path,
			    e->line, "licensed entry \"%s\" was last "
			    "confirmed %ld days ago (date: %s): check the "
			    "register again and update \"date:\"; answers "
			    "say \"licensed as of %s\"", e->id, age, e->date,
			    e->date);
	}
}

/* ---- checking */

/* Typos forgiven in a name of len letters. */
static int
lists_bound(size_t len)
{
	if (len >= 10)
		return 2;
	if (len >= LISTS_TYPO_MIN)
		return 1;
	return 0;
}

bool
lists_is_number(const char *msg, char *e164, size_t e164sz)
{
	char		 buf[64];
	const char	*s = msg, *e;
	size_t		 n;

	while (lists_is_blank((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && lists_is_blank((unsigned char)e[-1]))
		e--;
	n = (size_t)(e - s);
	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return phone_e164(e164, e164sz, buf) == 0;
}

/*
 * Is candidate e at distance d better than the best so far?  Closer
 * first; then an entry that is asserted (a reported one not expired,
 * or a licensed one), reported before licensed; expired last.
 */
static int
lists_rank(const struct lists_entry *e, long today)
{
	if (e->kind == LISTS_LICENSED)
		return 1;
	return today - e->day > e->file->expires ? 2 : 0;
}

static void
lists_consider(struct lists_match *m, const struct lists_entry *e, int d,
    long today, int *best_rank)
{
	int	 r = lists_rank(e, today);

	if (m->entry != NULL && (d > m->distance ||
	    (d == m->distance && r >= *best_rank)))
		return;
	m->entry = e;
	m->distance = d;
	*best_rank = r;
}

int
lists_find(const struct lists *s, const char *query, long today,
    struct lists_match *m)
{
	char		 e164[PHONE_MAX], key[TEXT_MAX_FOLD];
	char		 stop[NSTOP][16];
	const struct lists_entry *e;
	size_t		 i, k, lo, hi, mid, klen, len;
	int		 rank = 0, bound, d;

	memset(m, 0, sizeof(*m));
	m->outcome = LISTS_UNKNOWN;
	if (s == NULL || query == NULL)
		return 0;
	if (phone_number_in(query, e164, sizeof(e164), NULL, NULL) == 0) {
		m->by_number = true;
		lo = 0;
		hi = s->nnums;
		while (lo < hi) {	/* the first entry with the number */
			mid = lo + (hi - lo) / 2;
			if (strcmp(s->nums[mid].e164, e164) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < s->nnums && strcmp(s->nums[lo].e164, e164) == 0;
		    lo++)
			lists_consider(m, &s->entries[s->nums[lo].entry], 0,
			    today, &rank);
	} else {
		for (i = 0; i < NSTOP; i++)
			text_fold(stop[i], sizeof(stop[i]), lists_stop[i]);
		if ((len = lists_key(stop, query, key, sizeof(key))) == 0)
			return 0;
		for (i = 0; i < s->nentries; i++) {
			e = &s->entries[i];
			for (k = 0; k < e->nkeys; k++) {
				klen = strlen(e->keys[k]);
				bound = lists_bound(klen < len ? klen : len);
				d = text_distance(key, len, e->keys[k], klen,
				    bound);
				if (d <= bound)
					lists_consider(m, e, d, today, &rank);
			}
		}
	}
	if ((e = m->entry) == NULL)
		return 0;
	if (today - e->day > e->file->expires && e->kind == LISTS_REPORTED)
		m->expired = true;
	else if (m->distance > 0)
		m->outcome = LISTS_SIMILAR;	/* never vouch for a look-alike */
	else if (e->kind == LISTS_LICENSED)
		m->outcome = LISTS_FOUND_LICENSED;
	else
		m->outcome = LISTS_FOUND_REPORTED;
	return 0;
}

const char *
lists_outcome_name(enum lists_outcome o)
{
	switch (o) {
	case LISTS_UNKNOWN:
		return "unknown";
	case LISTS_FOUND_LICENSED:
		return "licensed";
	case LISTS_FOUND_REPORTED:
		return "reported";
	case LISTS_SIMILAR:
		return "similar";
	}
	return "?";
}

const char *
lists_kind_name(enum lists_kind k)
{
	switch (k) {
	case LISTS_LICENSED:
		return "licensed";
	case LISTS_REPORTED:
		return "reported";
	}
	return "?";
}

const struct lists_entry *
lists_entry(const struct lists *s, const char *id)
{
	size_t	 i;

	if (s == NULL || id == NULL)
		return NULL;
	for (i = 0; i < s->nentries; i++)
		if (strcmp(s->entries[i].id, id) == 0)
			return &s->entries[i];
	return NULL;
}

void
lists_free(struct lists *s)
{
	size_t	 i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nentries; i++)
		lists_entry_clear(&s->entries[i]);
	free(s->entries);
	for (i = 0; i < s->nfiles; i++) {
		free(s->files[i].path);
		free(s->files[i].verified);
		free(s->files[i].source);
	}
	free(s->files);
	free(s->nums);
	free(s);
}
