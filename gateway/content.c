/*
 * content.c - parse the NGO-edited content set: one topic a file under
 * DIR/topics/ (*.txt), a few "name: value" header fields, then one
 * [language] section a language with title, keywords, examples and text.  Every
 * problem is reported with file and line in words an editor can act on,
 * all of them, not just the first; a set with any error is not loaded.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "content.h"
#include "lists.h"
#include "log.h"
#include "text.h"
#include "utf8.h"

#define MAX_LINE	4096		/* bytes in one line */
#define MAX_FILE	(1024 * 1024)	/* bytes in one topic file */
#define MAX_MENU	98		/* highest menu position: 99 is USSD's */
					/* "next page" (answer.c) */

#define FNV_OFFSET	0xcbf29ce484222325ULL
#define FNV_PRIME	0x100000001b3ULL

/* What the loader as a whole knows. */
struct loader {
	editfile_diag_fn	*diag;
	void		*arg;
	int		 nerrors;
	int		 oom;
	uint64_t	 hash;
	/* codes of ignored sections, each warned about once */
	char		 ignored[CONTENT_MAX_LANGS][16];
	size_t		 nignored;
};

/* A growable byte buffer; the limit is the file size cap above. */
struct buf {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

enum text_kind {
	IN_NONE,
	IN_TEXT,
	IN_LATIN,
	IN_DISCARD	/* a text already reported as misplaced */
};

/* Where the parser stands inside one file. */
struct parser {
	struct loader	*l;
	struct content	*c;
	struct topic	*t;
	const char	*file;
	int		 lineno;
	int		 sect;		/* language index, or one of: */
#define SECT_HEADER	-1		/* before the first [section] */
#define SECT_SKIP	-2		/* a language not configured */
	enum text_kind	 in;
	struct buf	 text;		/* lines of the open text block */
	int		 nlines;	/* lines in it, to join with '\n' */
	int		 title_line[CONTENT_MAX_LANGS];
	int		 kw_overflow[CONTENT_MAX_LANGS];
	int		 ex_overflow[CONTENT_MAX_LANGS];
};

static void	 report(struct loader *, enum editfile_severity, const char *,
		    int, const char *, ...)
		    __attribute__((format(printf, 5, 6)));

static void
report(struct loader *l, enum editfile_severity sev, const char *file,
    int line, const char *fmt, ...)
{
	char	 msg[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (sev == EDITFILE_ERROR)
		l->nerrors++;
	if (l->diag != NULL) {
		l->diag(l->arg, sev, file, line, msg);
		return;
	}
	if (line > 0)
		log_warnx("%s:%d: %s%s", file, line,
		    sev == EDITFILE_WARNING ? "warning: " : "", msg);
	else
		log_warnx("%s: %s%s", file,
		    sev == EDITFILE_WARNING ? "warning: " : "", msg);
}

static void
hash_bytes(struct loader *l, const void *p, size_t len)
{
	const unsigned char	*s = p;
	size_t			 i;

	for (i = 0; i < len; i++) {
		l->hash ^= s[i];
		l->hash *= FNV_PRIME;
	}
}

static char *
xstrndup(struct parser *p, const char *s, size_t len)
{
	char	*d;

	if ((d = malloc(len + 1)) == NULL) {
		p->l->oom = 1;
		return NULL;
	}
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

static int
buf_add(struct buf *b, const char *s, size_t len)
{
	size_t	 ncap;
	char	*np;

	if (b->len + len + 1 > b->cap) {
		ncap = b->cap ? b->cap : 256;
		while (ncap < b->len + len + 1)
			ncap *= 2;
		if ((np = realloc(b->p, ncap)) == NULL)
			return -1;
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->len, s, len);
	b->len += len;
	b->p[b->len] = '\0';
	return 0;
}

static int
is_blank(int ch)
{
	return ch == ' ' || ch == '\t';
}

static const char *
skip_blanks(const char *s)
{
	while (is_blank((unsigned char)*s))
		s++;
	return s;
}

/* Right-trim blanks and CR in place; returns the new length. */
static size_t
rtrim(char *s, size_t len)
{
	while (len > 0 && (is_blank((unsigned char)s[len - 1]) ||
	    s[len - 1] == '\r'))
		len--;
	s[len] = '\0';
	return len;
}

/*
 * The fields of a topic's header, one row each: what the value must be
 * (kind), where it and the line it was given on are kept in struct
 * topic, and the words of the error when it is not so.  A field is
 * found by its name here, never by its place in the table.
 */
enum header_kind {
	HK_ID,		/* an id (editfile_valid_id), kept even when bad */
	HK_POSITION,	/* a menu position 1 to MAX_MENU, dropped when bad */
	HK_DATE,	/* year-month-day, kept even when bad */
	HK_TEXT		/* any words, kept even when empty */
};

#define XSTR(x)	STR(x)
#define STR(x)	#x
#define T(m)	offsetof(struct topic, m)

static const struct header_field {
	const char	*name;
	enum header_kind kind;
	size_t		 value;		/* char * (HK_POSITION: int) */
	size_t		 line;		/* int: where it was given, or 0 */
	const char	*bad;		/* said before the quoted value */
	const char	*fix;		/* said after it */
} header_fields[] = {
	{ "id", HK_ID, T(id), T(id_line), "bad topic id",
	    ": use only small Latin letters a-z, digits, '-' and '_'" },
	{ "menu", HK_POSITION, T(menu), T(menu_line), "bad menu position",
	    ": write a whole number from 1 to " XSTR(MAX_MENU) },
	{ "verified", HK_DATE, T(verified), T(verified_line), "bad date",
	    " in \"verified:\": write year-month-day, e.g. 2026-11-26" },
	{ "source", HK_TEXT, T(source), T(source_line), NULL,
	    ": say who confirmed these facts, and how" },
	{ "parent", HK_ID, T(parent), T(parent_line), "bad parent",
	    ": write the id of the topic whose menu lists this one" }
};
#define NHEADER_FIELDS	(sizeof(header_fields) / sizeof(header_fields[0]))

#undef T

/* The fields of a [language] section, and what each one does. */
enum section_kind {
	SK_TITLE,	/* the menu line's title, once */
	SK_KEYWORDS,	/* comma-separated, any number of lines */
	SK_TEXT,	/* starts the text block, once */
	SK_LATIN,	/* starts the GSM-7 text block, once */
	SK_EXAMPLE,	/* one whole message, any number of lines */
	SK_REVIEW	/* pending or done, once */
};

static const struct section_field {
	const char	*name;
	enum section_kind kind;
} section_fields[] = {
	{ "title", SK_TITLE },
	{ "keywords", SK_KEYWORDS },
	{ "text", SK_TEXT },
	{ "text.latin", SK_LATIN },
	{ "example", SK_EXAMPLE },
	{ "review", SK_REVIEW }
};
#define NSECTION_FIELDS	(sizeof(section_fields) / sizeof(section_fields[0]))

#define header_field_named(name, len)	editfile_field(header_fields, \
	NHEADER_FIELDS, sizeof(header_fields[0]), name, len)
#define section_field_named(name, len)	editfile_field(section_fields, \
	NSECTION_FIELDS, sizeof(section_fields[0]), name, len)

/*
 * Split "name: value".  On success *name and *namelen hold the field name
 * and *value the trimmed value; returns -1 if the line has no colon or
 * what precedes it is not a plausible field name.
 */
static int
split_field(const char *line, const char **name, size_t *namelen,
    const char **value)
{
	const char	*s = skip_blanks(line), *e;

	for (e = s; (*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z') ||
	    *e == '.' || *e == '_' || *e == '-' ||
	    (*e >= '0' && *e <= '9'); e++)
		;
	if (e == s)
		return -1;
	*name = s;
	*namelen = e - s;
	e = skip_blanks(e);
	if (*e != ':')
		return -1;
	*value = skip_blanks(e + 1);
	return 0;
}

/* True if a line ends a text block: a [section] or a section field. */
static int
ends_text(const char *line)
{
	const char	*name, *value, *s = skip_blanks(line);
	size_t		 len;

	if (*s == '[' && (len = strlen(s)) > 1 && s[len - 1] == ']')
		return 1;
	if (split_field(line, &name, &len, &value) == -1)
		return 0;
	return section_field_named(name, len) != NULL;
}

static const char *
lang_name(struct parser *p)
{
	return p->sect >= 0 ? p->c->langs[p->sect] : "?";
}

/* Close the open text block, if any, storing it in the section. */
static void
end_text(struct parser *p)
{
	struct topic_text	*tt;
	char			*s, *e, **dst;
	int			 line;

	if (p->in == IN_NONE)
		return;
	if (p->in == IN_DISCARD)
		goto done;
	tt = &p->t->text[p->sect];
	if (p->in == IN_TEXT) {
		dst = &tt->text;
		line = tt->text_line;
	} else {
		dst = &tt->text_latin;
		line = tt->text_latin_line;
	}
	s = p->text.p ? p->text.p : "";
	while (*s == '\n')
		s++;
	e = s + strlen(s);
	while (e > s && e[-1] == '\n')
		e--;
	if (e == s)
		report(p->l, EDITFILE_ERROR, p->file, line,
		    "\"%s:\" in section [%s] is empty",
		    p->in == IN_TEXT ? "text" : "text.latin", lang_name(p));
	else if ((size_t)(e - s) > CONTENT_MAX_TEXT)
		report(p->l, EDITFILE_ERROR, p->file, line,
		    "text in section [%s] is too long: %zu bytes, at most %d",
		    lang_name(p), (size_t)(e - s), CONTENT_MAX_TEXT);
	*dst = xstrndup(p, s, e - s);
 done:
	p->text.len = 0;
	if (p->text.p != NULL)
		p->text.p[0] = '\0';
	p->nlines = 0;
	p->in = IN_NONE;
}

static void
add_text_line(struct parser *p, const char *line)
{
	if (p->in == IN_DISCARD)
		return;
	if ((p->nlines > 0 && buf_add(&p->text, "\n", 1) == -1) ||
	    buf_add(&p->text, line, strlen(line)) == -1) {
		p->l->oom = 1;
		return;
	}
	p->nlines++;
}

/*
 * Append a copy of s[0..len) at line lineno to *v, of *n entries (the
 * capacity is implicit: 8, then each power of 2).  Returns 0; -1 when
 * memory runs out (reported to the loader).
 */
static int
add_keyword(struct parser *p, struct keyword **v, size_t *n, const char *s,
    size_t len)
{
	struct keyword	*nk;
	size_t		 ncap = 0;

	if (*n == 0)
		ncap = 8;
	else if (*n >= 8 && (*n & (*n - 1)) == 0)
		ncap = *n * 2;
	if (ncap != 0) {
		if ((nk = reallocarray(*v, ncap, sizeof(*nk))) == NULL) {
			p->l->oom = 1;
			return -1;
		}
		*v = nk;
	}
	nk = &(*v)[*n];
	if ((nk->text = xstrndup(p, s, len)) == NULL)
		return -1;
	nk->line = p->lineno;
	(*n)++;
	return 0;
}

static void
add_keywords(struct parser *p, struct topic_text *tt, const char *value)
{
	const char	*s = value, *e, *comma;

	while (*s != '\0') {
		if ((comma = strchr(s, ',')) == NULL)
			comma = s + strlen(s);
		s = skip_blanks(s);
		for (e = comma; e > s && is_blank((unsigned char)e[-1]); e--)
			;
		if (e > s) {
			if (tt->nkeywords >= CONTENT_MAX_KEYWORDS) {
				if (!p->kw_overflow[p->sect]++)
					report(p->l, EDITFILE_ERROR, p->file,
					    p->lineno, "too many keywords in "
					    "section [%s]: at most %d",
					    lang_name(p),
					    CONTENT_MAX_KEYWORDS);
				return;
			}
			if (add_keyword(p, &tt->keywords, &tt->nkeywords, s,
			    e - s) == -1)
				return;
		}
		s = *comma == ',' ? comma + 1 : comma;
	}
}

/* One "example:" line: a whole message, as people write it. */
static void
add_example(struct parser *p, struct topic_text *tt, const char *value)
{
	size_t	 len = strlen(value);

	if (len == 0) {
		report(p->l, EDITFILE_ERROR, p->file, p->lineno,
		    "\"example:\" in section [%s] is empty: write one whole "
		    "message as people send it", lang_name(p));
		return;
	}
	if (len > CONTENT_MAX_EXAMPLE) {
		report(p->l, EDITFILE_ERROR, p->file, p->lineno,
		    "example in section [%s] is too long: %zu bytes, at most "
		    "%d", lang_name(p), len, CONTENT_MAX_EXAMPLE);
		return;
	}
	if (tt->nexamples >= CONTENT_MAX_EXAMPLES) {
		if (!p->ex_overflow[p->sect]++)
			report(p->l, EDITFILE_ERROR, p->file, p->lineno,
			    "too many examples in section [%s]: at most %d",
			    lang_name(p), CONTENT_MAX_EXAMPLES);
		return;
	}
	add_keyword(p, &tt->examples, &tt->nexamples, value, len);
}

/* A header field's value, checked as its row of header_fields says. */
static void
header_value(struct parser *p, const struct header_field *f,
    const char *value)
{
	char		*base = (char *)p->t;
	int		*line = (int *)(void *)(base + f->line);
	char		 q[EDITFILE_QUOTE_MAX + 8];
	const char	*s;
	int		 n = 0, ok = 1;

	if (*line != 0) {
		report(p->l, EDITFILE_ERROR, p->file, p->lineno,
		    "\"%s:\" given twice (first at line %d)", f->name, *line);
		return;
	}
	*line = p->lineno;
	editfile_quote(q, sizeof(q), value);
	switch (f->kind) {
	case HK_ID:
		ok = editfile_valid_id(value);
		break;
	case HK_POSITION:
		for (s = value; *s >= '0' && *s <= '9' && n <= 1000; s++)
			n = n * 10 + (*s - '0');
		ok = s != value && *s == '\0' && n >= 1 && n <= MAX_MENU;
		break;
	case HK_DATE:
		ok = lists_days(value) >= 0;
		break;
	case HK_TEXT:
		ok = *value != '\0';
		break;
	}
	if (!ok && f->kind == HK_TEXT)
		report(p->l, EDITFILE_ERROR, p->file, p->lineno,
		    "\"%s:\" is empty%s", f->name, f->fix);
	else if (!ok)
		report(p->l, EDITFILE_ERROR, p->file, p->lineno,
		    "%s \"%s\"%s", f->bad, q, f->fix);
	if (f->kind == HK_POSITION) {
		if (ok)
			*(int *)(void *)(base + f->value) = n;
		return;
	}
	*(char **)(void *)(base + f->value) = xstrndup(p, value,
	    strlen(value));
}

/*
 * "review: pending" (the section awaits a native speaker's review) or
 * "review: done", optionally followed by who and when.
 */
static void
review_field(struct parser *p, struct topic_text *tt, const char *value)
{
	char	 q[EDITFILE_QUOTE_MAX + 8];

	if (tt->review_line != 0) {
		report(p->l, EDITFILE_ERROR, p->file, p->lineno,
		    "\"review:\" given twice in section [%s] (first at "
		    "line %d)", lang_name(p), tt->review_line);
		return;
	}
	tt->review_line = p->lineno;
	if (strcmp(value, "pending") == 0)
		tt->review = CONTENT_REVIEW_PENDING;
	else if (strncmp(value, "done", 4) == 0 && (value[4] == '\0' ||
	    is_blank((unsigned char)value[4])))
		tt->review = CONTENT_REVIEW_DONE;
	else {
		editfile_quote(q, sizeof(q), value);
		report(p->l, EDITFILE_ERROR, p->file, p->lineno,
		    "bad review \"%s\": write \"review: pending\" until a "
		    "native speaker has checked the section, then \"review: "
		    "done\" (and who, when) or delete the line", q);
	}
}

static void
section_value(struct parser *p, const struct section_field *f,
    const char *value)
{
	struct topic_text	*tt = &p->t->text[p->sect];
	int			 latin = f->kind == SK_LATIN;

	switch (f->kind) {
	case SK_TITLE:
		if (p->title_line[p->sect] != 0) {
			report(p->l, EDITFILE_ERROR, p->file, p->lineno,
			    "\"title:\" given twice in section [%s] (first "
			    "at line %d)", lang_name(p),
			    p->title_line[p->sect]);
			return;
		}
		p->title_line[p->sect] = p->lineno;
		if (*value == '\0')
			report(p->l, EDITFILE_ERROR, p->file, p->lineno,
			    "\"title:\" in section [%s] is empty",
			    lang_name(p));
		else if (utf8_chars(value) > CONTENT_MAX_TITLE)
			report(p->l, EDITFILE_WARNING, p->file, p->lineno,
			    "\"title:\" in section [%s] has %zu characters, "
			    "more than %d: a menu line on a basic phone's "
			    "screen wraps or is cut; shorten it", lang_name(p),
			    utf8_chars(value), (int)CONTENT_MAX_TITLE);
		tt->title = xstrndup(p, value, strlen(value));
		break;
	case SK_KEYWORDS:
		add_keywords(p, tt, value);
		break;
	case SK_TEXT:
	case SK_LATIN:
		if ((latin ? tt->text_latin_line : tt->text_line) != 0) {
			report(p->l, EDITFILE_ERROR, p->file, p->lineno,
			    "\"%s:\" given twice in section [%s] (first at "
			    "line %d)", f->name, lang_name(p),
			    latin ? tt->text_latin_line : tt->text_line);
			p->in = IN_DISCARD;
			return;
		}
		if (latin)
			tt->text_latin_line = p->lineno;
		else
			tt->text_line = p->lineno;
		p->in = latin ? IN_LATIN : IN_TEXT;
		if (*value != '\0')
			add_text_line(p, value);
		break;
	case SK_EXAMPLE:
		add_example(p, tt, value);
		break;
	case SK_REVIEW:
		review_field(p, tt, value);
		break;
	}
}

static void
section_header(struct parser *p, const char *line)
{
	const char	*s = skip_blanks(line) + 1, *e;
	char		 code[16], q[EDITFILE_QUOTE_MAX + 8];
	size_t		 i, len;

	editfile_quote(q, sizeof(q), line);
	len = strlen(s);
	if (len == 0 || s[len - 1] != ']') {
		report(p->l, EDITFILE_ERROR, p->file, p->lineno,
		    "bad section line \"%s\": write a language code in "
		    "brackets, e.g. [ru]", q);
		p->sect = SECT_SKIP;
		return;
	}
	s = skip_blanks(s);
	for (e = s + strlen(s) - 1; e > s && is_blank((unsigned char)e[-1]);
	    e--)
		;
	len = e - s;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '-' ||
		    s[i] == '_'))
			break;
	if (len == 0 || len >= sizeof(code) || i < len) {
		report(p->l, EDITFILE_ERROR, p->file, p->lineno,
		    "bad section line \"%s\": write a language code in small "
		    "Latin letters, e.g. [ru]", q);
		p->sect = SECT_SKIP;
		return;
	}
	memcpy(code, s, len);
	code[len] = '\0';
	for (i = 0; i < p->c->nlangs; i++)
		if (strcmp(p->c->langs[i], code) == 0)
			break;
	if (i == p->c->nlangs) {
		/*
		 * A warning, not an error: a set may carry a language
		 * before the configuration turns it on (the shipped set
		 * carries five).  A misspelt code is still caught, as the
		 * configured section is missing.  Once a code per load.
		 */
		for (i = 0; i < p->l->nignored; i++)
			if (strcmp(p->l->ignored[i], code) == 0)
				break;
		if (i == p->l->nignored) {
			report(p->l, EDITFILE_WARNING, p->file, p->lineno,
			    "section [%s] is ignored: \"%s\" is not one of "
			    "the configured languages (said once, for the "
			    "first file)", code, code);
			if (p->l->nignored < CONTENT_MAX_LANGS)
				memcpy(p->l->ignored[p->l->nignored++], code,
				    len + 1);
		}
		p->sect = SECT_SKIP;
		return;
	}
	p->sect = (int)i;
	if (p->t->text[i].present) {
		report(p->l, EDITFILE_ERROR, p->file, p->lineno,
		    "section [%s] appears twice (first at line %d)", code,
		    p->t->text[i].line);
		p->sect = SECT_SKIP;
		return;
	}
	p->t->text[i].present = 1;
	p->t->text[i].line = p->lineno;
}

/* One right-trimmed, NUL-free line. */
static void
parse_line(struct parser *p, const char *line)
{
	const struct header_field *hf;
	const struct section_field *sf;
	const char	*s = skip_blanks(line), *name, *value;
	char		 q[EDITFILE_QUOTE_MAX + 8];
	size_t		 len;

	if (p->in != IN_NONE) {
		if (*s == '#')
			return;
		if (!ends_text(line)) {
			add_text_line(p, line);
			return;
		}
		end_text(p);
	}
	if (*s == '\0' || *s == '#')
		return;
	if (*s == '[') {
		section_header(p, line);
		return;
	}
	if (p->sect == SECT_SKIP)
		return;
	editfile_quote(q, sizeof(q), s);
	if (split_field(line, &name, &len, &value) == -1) {
		report(p->l, EDITFILE_ERROR, p->file, p->lineno,
		    "unexpected line \"%s\": a text must follow a \"text:\" "
		    "line, other lines are \"name: value\"", q);
		return;
	}
	hf = header_field_named(name, len);
	sf = section_field_named(name, len);
	if (p->sect == SECT_HEADER) {
		if (hf != NULL) {
			header_value(p, hf, value);
			return;
		}
		if (sf != NULL) {
			report(p->l, EDITFILE_ERROR, p->file, p->lineno,
			    "\"%.*s:\" must be inside a language section "
			    "such as [%s]", (int)len, name, p->c->langs[0]);
			if (sf->kind == SK_TEXT || sf->kind == SK_LATIN)
				p->in = IN_DISCARD;
			return;
		}
	} else {
		if (sf != NULL) {
			section_value(p, sf, value);
			return;
		}
		if (hf != NULL) {
			report(p->l, EDITFILE_ERROR, p->file, p->lineno,
			    "\"%.*s:\" belongs at the top of the file, before "
			    "the first [language] section", (int)len, name);
			return;
		}
	}
	report(p->l, EDITFILE_ERROR, p->file, p->lineno,
	    "unknown field \"%.*s\": known fields are id, menu, parent, "
	    "verified, source, then title, keywords, example, text, "
	    "text.latin, review",
	    (int)len, name);
}

/* Checks that need the whole file. */
static void
check_topic(struct parser *p)
{
	struct topic		*t = p->t;
	struct topic_text	*tt;
	size_t			 i;
	int			 special;

	if (t->id == NULL)
		report(p->l, EDITFILE_ERROR, p->file, 0,
		    "missing \"id:\" (the topic's name, e.g. \"id: hotline\")");
	if (t->verified == NULL)
		report(p->l, EDITFILE_ERROR, p->file, 0,
		    "missing \"verified:\" (the day someone last checked "
		    "these facts, e.g. \"verified: 2026-11-26\")");
	if (t->source == NULL)
		report(p->l, EDITFILE_WARNING, p->file, 0,
		    "missing \"source:\" (who confirmed these facts, and how)");
	special = t->id != NULL && (strcmp(t->id, CONTENT_MENU) == 0 ||
	    strcmp(t->id, CONTENT_UNKNOWN) == 0 ||
	    strcmp(t->id, CONTENT_LANG) == 0 ||
	    strcmp(t->id, CONTENT_STOP) == 0 ||
	    strcmp(t->id, CONTENT_MORE) == 0 ||
	    strcmp(t->id, CONTENT_CHOOSE) == 0 ||
	    strcmp(t->id, CONTENT_CHECK_REPORTED) == 0 ||
	    strcmp(t->id, CONTENT_CHECK_LICENSED) == 0 ||
	    strcmp(t->id, CONTENT_CHECK_SIMILAR) == 0 ||
	    strcmp(t->id, CONTENT_CHECK_UNKNOWN) == 0);
	for (i = 0; i < p->c->nlangs; i++) {
		tt = &t->text[i];
		if (!tt->present) {
			report(p->l, EDITFILE_ERROR, p->file, 0,
			    "missing section [%s]: every topic needs one for "
			    "each configured language", p->c->langs[i]);
			continue;
		}
		if (tt->title == NULL && tt->nkeywords == 0 &&
		    tt->nexamples == 0 && tt->text_line == 0 && tt->text_latin_line == 0) {
			report(p->l, EDITFILE_ERROR, p->file, tt->line,
			    "section [%s] is empty", p->c->langs[i]);
			continue;
		}
		if (tt->text_line == 0)
			report(p->l, EDITFILE_ERROR, p->file, tt->line,
			    "missing \"text:\" in section [%s]",
			    p->c->langs[i]);
		if (tt->title == NULL && t->menu != 0)
			report(p->l, EDITFILE_ERROR, p->file, tt->line,
			    "missing \"title:\" in section [%s] (topics in "
			    "the menu need one)", p->c->langs[i]);
	}
	if (t->id != NULL && !special && t->menu == 0) {
		for (i = 0; i < p->c->nlangs; i++)
			if (t->text[i].nkeywords > 0)
				break;
		if (i == p->c->nlangs)
			report(p->l, EDITFILE_WARNING, p->file, 0,
			    "nobody can reach topic \"%s\": it has neither a "
			    "menu position nor keywords", t->id);
	}
	if (t->id != NULL && strcmp(t->id, CONTENT_MENU) == 0)
		for (i = 0; i < p->c->nlangs; i++)
			if (t->text[i].text != NULL &&
			    strstr(t->text[i].text,
			    CONTENT_MENU_PLACEHOLDER) == NULL)
				report(p->l, EDITFILE_WARNING, p->file,
				    t->text[i].text_line, "the menu text in "
				    "section [%s] has no %s line, so it lists "
				    "no topics", p->c->langs[i],
				    CONTENT_MENU_PLACEHOLDER);
}

/* Parse the bytes of one file into topic t. */
static void
parse_file(struct parser *p, const char *data, size_t len)
{
	const char	*s = data, *end = data + len, *nl, *ls;
	char		 line[MAX_LINE + 1], why[CHARSET_MAX_ADVICE];
	size_t		 n;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	for (p->lineno = 1; s < end; p->lineno++) {
		if ((nl = memchr(s, '\n', end - s)) == NULL)
			nl = end;
		ls = s;
		n = nl - ls;
		s = nl < end ? nl + 1 : end;
		if (memchr(ls, '\0', n) != NULL) {
			report(p->l, EDITFILE_ERROR, p->file, p->lineno,
			    "the line contains a NUL byte");
			continue;
		}
		if (n > MAX_LINE) {
			report(p->l, EDITFILE_ERROR, p->file, p->lineno,
			    "line too long: %zu bytes, at most %d", n,
			    MAX_LINE);
			continue;
		}
		if (charset_lost(ls, n, why, sizeof(why)) == -1)
			report(p->l, EDITFILE_WARNING, p->file, p->lineno,
			    "%s", why);
		memcpy(line, ls, n);
		rtrim(line, n);
		parse_line(p, line);
	}
	end_text(p);
	check_topic(p);
}

/* A topic file into f; 0, or -1 (reported, or l->oom set). */
static int
read_file(struct loader *l, const char *path, struct editfile *f)
{
	switch (editfile_read(path, MAX_FILE, f)) {
	case 0:
		return 0;
	case -2:
		l->oom = 1;
		return -1;
	default:
		report(l, EDITFILE_ERROR, path, f->line, "%s", f->why);
		return -1;
	}
}

int
content_is_topic_file(const char *name)
{
	return editfile_is_text(name);
}

static int
cmp_topic(const void *a, const void *b)
{
	const struct topic	*x = a, *y = b;

	return strcmp(x->id ? x->id : "", y->id ? y->id : "");
}

/* The topic files of dirpath, sorted; NULL (reported) on failure. */
static char **
list_topics(struct loader *l, const char *dirpath, size_t *count)
{
	char	**names;

	switch (editfile_list_dir(dirpath, editfile_is_text, &names, count)) {
	case 0:
		/* not NULL when there are none: that is no failure */
		if (names == NULL && (names = calloc(1, sizeof(*names))) ==
		    NULL)
			l->oom = 1;
		return names;
	case -2:
		l->oom = 1;
		return NULL;
	default:
		report(l, EDITFILE_ERROR, dirpath, 0,
		    "cannot open the topics folder: %s", strerror(errno));
		return NULL;
	}
}

/*
 * Menu numbers should run 1, 2, 3... without holes: a sender who sees
 * "1 2 5" wonders what 3 was.  One warning a gap, at the topic after it.
 */
static void
check_menu_gaps(struct loader *l, struct content *c)
{
	const struct topic	*at[MAX_MENU + 1];
	size_t			 i;
	int			 k, prev = 0;

	memset(at, 0, sizeof(at));
	for (i = 0; i < c->ntopics; i++)
		if (c->topics[i].menu > 0 && c->topics[i].parent == NULL &&
		    at[c->topics[i].menu] == NULL)
			at[c->topics[i].menu] = &c->topics[i];
	for (k = 1; k <= MAX_MENU; k++) {
		if (at[k] == NULL)
			continue;
		if (prev == 0 && k > 1)
			report(l, EDITFILE_WARNING, at[k]->file,
			    at[k]->menu_line, "the menu starts at %d, not 1: "
			    "number the topics 1, 2, 3... without gaps", k);
		else if (k == prev + 2)
			report(l, EDITFILE_WARNING, at[k]->file,
			    at[k]->menu_line, "menu number %d is not used, "
			    "so the menu jumps from %d to %d: number the "
			    "topics 1, 2, 3... without gaps", prev + 1, prev,
			    k);
		else if (k > prev + 2)
			report(l, EDITFILE_WARNING, at[k]->file,
			    at[k]->menu_line, "menu numbers %d to %d are not "
			    "used, so the menu jumps from %d to %d: number "
			    "the topics 1, 2, 3... without gaps", prev + 1,
			    k - 1, prev, k);
		prev = k;
	}
}

/* Both topics are listed in the same menu (the root, or one parent's). */
static int
same_parent(const struct topic *t, const struct topic *u)
{
	if (t->parent == NULL || u->parent == NULL)
		return t->parent == u->parent;
	return strcmp(t->parent, u->parent) == 0;
}

/*
 * One level of sub-menus: a parent is a topic in the root menu whose
 * text holds {menu}, which lists its children; a child has a position.
 */
static void
check_parents(struct loader *l, struct content *c)
{
	const struct topic	*t, *u;
	size_t			 i, j, k;

	for (i = 0; i < c->ntopics; i++) {
		t = &c->topics[i];
		if (t->parent == NULL)
			continue;
		if (t->menu == 0)
			report(l, EDITFILE_ERROR, t->file, t->parent_line,
			    "\"parent:\" needs \"menu:\" too: the topic's "
			    "number in its parent's menu");
		for (u = NULL, j = 0; j < c->ntopics; j++)
			if (c->topics[j].id != NULL &&
			    strcmp(c->topics[j].id, t->parent) == 0)
				u = &c->topics[j];
		if (u == NULL) {
			report(l, EDITFILE_ERROR, t->file, t->parent_line,
			    "parent \"%s\" is not a topic id", t->parent);
			continue;
		}
		if (u == t || u->parent != NULL || u->menu == 0) {
			report(l, EDITFILE_ERROR, t->file, t->parent_line,
			    "parent \"%s\" must be in the main menu (a "
			    "\"menu:\" line and no \"parent:\"): sub-menus "
			    "are one level deep", t->parent);
			continue;
		}
		for (j = 0; j < i; j++)	/* warn once, at the first child */
			if (c->topics[j].parent != NULL &&
			    strcmp(c->topics[j].parent, t->parent) == 0)
				break;
		for (k = 0; j == i && k < c->nlangs; k++)
			if (u->text[k].text != NULL &&
			    strstr(u->text[k].text,
			    CONTENT_MENU_PLACEHOLDER) == NULL)
				report(l, EDITFILE_WARNING, u->file,
				    u->text[k].text_line, "\"%s\" is a parent "
				    "but its text in section [%s] has no %s "
				    "line, so its menu is not shown", u->id,
				    c->langs[k], CONTENT_MENU_PLACEHOLDER);
	}
}

/* Checks across files: unique ids and menu positions, special topics. */
static void
check_set(struct loader *l, struct content *c, const char *topicdir)
{
	static const char *const special[] = { CONTENT_MENU, CONTENT_UNKNOWN,
	    CONTENT_LANG, CONTENT_STOP, CONTENT_MORE };
	struct topic	*t, *u;
	size_t		 i, j;

	for (i = 0; i < c->ntopics; i++) {
		t = &c->topics[i];
		for (j = 0; j < i; j++) {
			u = &c->topics[j];
			if (t->id != NULL && u->id != NULL &&
			    strcmp(t->id, u->id) == 0) {
				report(l, EDITFILE_ERROR, t->file, 0,
				    "topic id \"%s\" is already used by %s",
				    t->id, u->file);
				break;
			}
		}
		for (j = 0; j < i && t->menu != 0; j++) {
			u = &c->topics[j];
			if (u->menu == t->menu && same_parent(t, u)) {
				report(l, EDITFILE_ERROR, t->file, t->menu_line,
				    "menu position %d is already used by %s",
				    t->menu, u->file);
				break;
			}
		}
	}
	check_parents(l, c);
	check_menu_gaps(l, c);
	for (i = 0; i < sizeof(special) / sizeof(special[0]); i++) {
		for (j = 0; j < c->ntopics; j++)
			if (c->topics[j].id != NULL &&
			    strcmp(c->topics[j].id, special[i]) == 0)
				break;
		if (j == c->ntopics)
			report(l, EDITFILE_ERROR, topicdir, 0,
			    "missing the special topic \"%s\": add a file "
			    "with \"id: %s\"", special[i], special[i]);
	}
}

static int
set_langs(struct loader *l, struct content *c, const char *dir,
    const char *const *langs, size_t nlangs)
{
	size_t	 i, j;

	if (nlangs == 0 || nlangs > CONTENT_MAX_LANGS) {
		report(l, EDITFILE_ERROR, dir, 0, "%zu languages configured: "
		    "there must be 1 to %d", nlangs, CONTENT_MAX_LANGS);
		return -1;
	}
	for (i = 0; i < nlangs; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(langs[i], langs[j]) == 0) {
				report(l, EDITFILE_ERROR, dir, 0, "language "
				    "\"%s\" is configured twice", langs[i]);
				return -1;
			}
		if ((c->langs[i] = strdup(langs[i])) == NULL) {
			l->oom = 1;
			return -1;
		}
		c->nlangs++;
	}
	return 0;
}

/* Read, hash and parse one file; appends a topic to c. */
static int
load_file(struct loader *l, struct content *c, const char *topicdir,
    const char *name)
{
	struct editfile f;
	struct parser	 p;
	struct topic	*nt;
	char		*path;
	size_t		 plen;

	plen = strlen(topicdir) + strlen(name) + 2;
	if ((path = malloc(plen)) == NULL) {
		l->oom = 1;
		return -1;
	}
	snprintf(path, plen, "%s/%s", topicdir, name);
	if (read_file(l, path, &f) == -1) {
		free(path);
		return l->oom ? -1 : 0;
	}
	hash_bytes(l, name, strlen(name) + 1);
	hash_bytes(l, f.data, f.len);
	hash_bytes(l, "", 1);

	if ((nt = reallocarray(c->topics, c->ntopics + 1, sizeof(*nt))) ==
	    NULL) {
		l->oom = 1;
		free(f.data);
		free(path);
		return -1;
	}
	c->topics = nt;
	nt = &c->topics[c->ntopics++];
	memset(nt, 0, sizeof(*nt));
	nt->file = path;
	nt->mtime = f.mtime;

	memset(&p, 0, sizeof(p));
	p.l = l;
	p.c = c;
	p.t = nt;
	p.file = path;
	p.sect = SECT_HEADER;
	parse_file(&p, f.data, f.len);
	free(p.text.p);
	free(f.data);
	return l->oom ? -1 : 0;
}

static void	 topic_clear(struct topic *);

/* For the linter: drop the topics that have no id (already reported). */
static void
drop_nameless(struct content *c)
{
	size_t	 i, n = 0;

	for (i = 0; i < c->ntopics; i++) {
		if (c->topics[i].id == NULL)
			topic_clear(&c->topics[i]);
		else
			c->topics[n++] = c->topics[i];
	}
	c->ntopics = n;
}

static const char *const check_topics[] = {
	CONTENT_CHECK, CONTENT_CHECK_REPORTED, CONTENT_CHECK_LICENSED,
	CONTENT_CHECK_SIMILAR, CONTENT_CHECK_UNKNOWN
};
#define NCHECK	(sizeof(check_topics) / sizeof(check_topics[0]))

/* The topic with this id; the set may not be sorted yet. */
static const struct topic *
unsorted_topic(const struct content *c, const char *id)
{
	size_t	 i;

	for (i = 0; i < c->ntopics; i++)
		if (c->topics[i].id != NULL && strcmp(c->topics[i].id, id) == 0)
			return &c->topics[i];
	return NULL;
}

void
content_check_lists(const struct content *c, editfile_diag_fn *diag,
    void *arg)
{
	const struct lists	*s = c->lists;
	const struct topic	*t;
	char			 msg[512];
	size_t			 i, k, have = 0;
	int			 on;

	if (diag == NULL)
		return;
	for (i = 0; i < NCHECK; i++)
		if (unsorted_topic(c, check_topics[i]) != NULL)
			have++;
	on = have > 0 || (s != NULL && s->nentries > 0);
	for (i = 0; on && have < NCHECK && i < NCHECK; i++) {
		if (unsorted_topic(c, check_topics[i]) != NULL)
			continue;
		snprintf(msg, sizeof(msg), "missing the special topic \"%s\": "
		    "checking numbers and names against the lists needs the "
		    "topics check, check-reported, check-licensed, "
		    "check-similar and check-unknown", check_topics[i]);
		diag(arg, EDITFILE_ERROR, s != NULL && s->nfiles > 0 ?
		    s->files[0].path : "topics", 0, msg);
	}
	for (i = 1; i < NCHECK; i++) {
		if ((t = unsorted_topic(c, check_topics[i])) == NULL)
			continue;
		if (t->menu != 0) {
			snprintf(msg, sizeof(msg), "topic \"%s\" is an answer "
			    "to a check and cannot be in the menu: put "
			    "\"check\" there instead", t->id);
			diag(arg, EDITFILE_ERROR, t->file, t->menu_line, msg);
		}
		for (k = 0; k < c->nlangs; k++) {
			if (t->text[k].nkeywords == 0)
				continue;
			snprintf(msg, sizeof(msg), "the keywords of \"%s\" are "
			    "not used: a check answers with it; put them in "
			    "\"check\"", t->id);
			diag(arg, EDITFILE_WARNING, t->file,
			    t->text[k].keywords[0].line, msg);
		}
	}
}

/* Problems in the lists, counted and reported as the topics' are. */
static void
content_lists_diag(void *arg, enum editfile_severity sev, const char *file,
    int line, const char *msg)
{
	report(arg, sev, file, line, "%s", msg);
}

/* content_load(), or with partial the set despite its errors. */
/*
 * What is worked out from the set: see content_memo_get().  slot[n] is
 * the set's own (content_memo_set_get()).
 */
struct content_memo {
	size_t		 n;
	_Atomic(void *)	 slot[];
};

static struct content_memo *
memo_new(size_t n)
{
	struct content_memo *m;
	size_t		 i;

	if ((m = malloc(sizeof(*m) + (n + 1) * sizeof(m->slot[0]))) == NULL)
		return NULL;
	m->n = n;
	for (i = 0; i <= n; i++)
		atomic_init(&m->slot[i], NULL);
	return m;
}

static void
memo_free(struct content_memo *m)
{
	size_t	 i;

	if (m == NULL)
		return;
	for (i = 0; i <= m->n; i++)
		free(atomic_load(&m->slot[i]));
	free(m);
}

/* The slot of (t, lang, slot), or NULL when there is none. */
static _Atomic(void *) *
memo_slot(const struct content *c, const struct topic *t, int lang, int slot)
{
	/* as integers: t may be no topic of this set */
	uintptr_t	 at = (uintptr_t)t, first = (uintptr_t)c->topics;
	size_t		 i;

	if (c->memo == NULL || at < first ||
	    at - first >= c->ntopics * sizeof(*t) || lang < 0 ||
	    (size_t)lang >= c->nlangs || slot < 0 ||
	    slot >= CONTENT_MEMO_SLOTS)
		return NULL;
	i = (((at - first) / sizeof(*t)) * c->nlangs + (size_t)lang) *
	    CONTENT_MEMO_SLOTS + (size_t)slot;
	return &c->memo->slot[i];
}

/* What slot m holds (may be NULL: no slot). */
static const void *
memo_get(_Atomic(void *) *m)
{
	return m != NULL ? atomic_load(m) : NULL;
}

/* Fill slot m (may be NULL) with p unless filled: see content_memo_put(). */
static const void *
memo_put(_Atomic(void *) *m, void *p)
{
	void	*old = NULL;

	if (m == NULL) {
		free(p);
		return NULL;
	}
	if (atomic_compare_exchange_strong(m, &old, p))
		return p;
	free(p);
	return old;	/* another thread's, as good */
}

const void *
content_memo_get(const struct content *c, const struct topic *t, int lang,
    int slot)
{
	return memo_get(memo_slot(c, t, lang, slot));
}

const void *
content_memo_put(const struct content *c, const struct topic *t, int lang,
    int slot, void *p)
{
	return memo_put(memo_slot(c, t, lang, slot), p);
}

const void *
content_memo_set_get(const struct content *c)
{
	return memo_get(c->memo != NULL ? &c->memo->slot[c->memo->n] : NULL);
}

const void *
content_memo_set_put(const struct content *c, void *p)
{
	return memo_put(c->memo != NULL ? &c->memo->slot[c->memo->n] : NULL,
	    p);
}

static struct content *
load_set(const char *dir, const char *const *langs, size_t nlangs,
    const char *const *lists, size_t nlists, editfile_diag_fn *diag,
    void *arg, int partial, int *nerrors)
{
	struct loader	 l;
	struct content	*c;
	char		*topicdir = NULL, **names = NULL;
	size_t		 i, n = 0, len;

	memset(&l, 0, sizeof(l));
	l.diag = diag;
	l.arg = arg;
	l.hash = FNV_OFFSET;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		l.oom = 1;
		goto fail;
	}
	if (set_langs(&l, c, dir, langs, nlangs) == -1)
		goto fail;
	len = strlen(dir) + sizeof("/topics");
	if ((topicdir = malloc(len)) == NULL) {
		l.oom = 1;
		goto fail;
	}
	snprintf(topicdir, len, "%s/topics", dir);
	if ((names = list_topics(&l, topicdir, &n)) == NULL)
		goto fail;
	for (i = 0; i < n; i++)
		if (load_file(&l, c, topicdir, names[i]) == -1)
			goto fail;
	check_set(&l, c, topicdir);
	c->lists = lists_load(dir, lists, nlists, content_lists_diag, &l,
	    &l.hash);
	if (c->lists == NULL) {
		l.oom = 1;
		goto fail;
	}
	content_check_lists(c, content_lists_diag, &l);
	lists_check(c->lists, content_lists_diag, &l);
	if (nerrors != NULL)
		*nerrors = l.nerrors;
	if (l.nerrors > 0 && !partial)
		goto fail;
	if (partial)
		drop_nameless(c);
	if (c->ntopics > 0)	/* none when no file could be read */
		qsort(c->topics, c->ntopics, sizeof(*c->topics), cmp_topic);
	if ((c->memo = memo_new(c->ntopics * c->nlangs *
	    CONTENT_MEMO_SLOTS)) == NULL) {
		l.oom = 1;
		goto fail;
	}
	snprintf(c->version, sizeof(c->version), "%016llx",
	    (unsigned long long)l.hash);
	editfile_names_free(names, n);
	free(topicdir);
	return c;

 fail:
	if (names != NULL)
		editfile_names_free(names, n);
	free(topicdir);
	content_free(c);
	if (l.oom)
		report(&l, EDITFILE_ERROR, dir, 0, "out of memory");
	if (nerrors != NULL)
		*nerrors = l.nerrors;
	return NULL;
}

struct content *
content_load(const char *dir, const char *const *langs, size_t nlangs,
    editfile_diag_fn *diag, void *arg)
{
	return load_set(dir, langs, nlangs, NULL, 0, diag, arg, 0, NULL);
}

struct content *
content_load_with(const char *dir, const char *const *langs, size_t nlangs,
    const char *const *lists, size_t nlists, editfile_diag_fn *diag,
    void *arg)
{
	return load_set(dir, langs, nlangs, lists, nlists, diag, arg, 0,
	    NULL);
}

struct content *
content_lint(const char *dir, const char *const *langs, size_t nlangs,
    const char *const *lists, size_t nlists, editfile_diag_fn *diag,
    void *arg, int *nerrors)
{
	return load_set(dir, langs, nlangs, lists, nlists, diag, arg, 1,
	    nerrors);
}

int
content_lang(const struct content *c, const char *code)
{
	size_t	 i;

	for (i = 0; i < c->nlangs; i++)
		if (strcmp(c->langs[i], code) == 0)
			return (int)i;
	return -1;
}

const struct topic *
content_topic(const struct content *c, const char *id)
{
	size_t	 lo = 0, hi = c->ntopics, mid;
	int	 r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((r = strcmp(id, c->topics[mid].id)) == 0)
			return &c->topics[mid];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static void
topic_clear(struct topic *t)
{
	struct topic_text	*tt;
	size_t			 i, k;

	for (i = 0; i < CONTENT_MAX_LANGS; i++) {
		tt = &t->text[i];
		free(tt->title);
		for (k = 0; k < tt->nkeywords; k++)
			free(tt->keywords[k].text);
		free(tt->keywords);
		for (k = 0; k < tt->nexamples; k++)
			free(tt->examples[k].text);
		free(tt->examples);
		free(tt->text);
		free(tt->text_latin);
	}
	free(t->id);
	free(t->file);
	free(t->verified);
	free(t->source);
	free(t->parent);
}

void
content_free(struct content *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	for (i = 0; i < c->ntopics; i++)
		topic_clear(&c->topics[i]);
	free(c->topics);
	lists_free(c->lists);
	for (i = 0; i < c->nlangs; i++)
		free(c->langs[i]);
	memo_free(c->memo);
	free(c);
}
