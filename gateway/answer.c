/*
 * answer.c - turn a routed message into the reply text and its parts.
 *
 * Texts come from the content set; "{menu}" expands to one "N Title"
 * line per topic of a menu, in menu order: the root menu (topics with a
 * "menu:" position and no "parent:", then "0 Language/Тіл") in the menu
 * topic's text, a sub-menu in the text of the topic that is its parent.
 * A digit picks from the menu the sender last saw.  A reply longer than
 * the part budget is cut into pages at a line, sentence or word end;
 * each page but the last ends with the "more" topic's hint, and MORE
 * returns the next page, remembered in the session with the script the
 * pages are in (a Latin text's pages end elsewhere).  The USSD walk
 * (answer_ussd) replays a path of choices through the same tree.
 *
 * A check ("ПРОВЕРКА 8 701 ...", a number alone, or what a USSD user
 * types at the "check" prompt) is answered from the lists with one of
 * the topics check-reported, check-licensed, check-similar (a name only
 * a few typos from a listed one: never vouched for) or check-unknown,
 * its {name} and {date} filled from the entry found; the query itself
 * is not kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "answer.h"
#include "langid.h"
#include "lists.h"
#include "phone.h"
#include "text.h"
#include "utf8.h"

#define ANSWER_HOME	100	/* "00": back to the root menu */
#define ANSWER_NEXT	99	/* USSD: the next page */
#define ANSWER_MAX_PATH	64	/* USSD choices replayed, at most */
#define ANSWER_MAX_QUERY	128	/* bytes of a USSD check query */

/* The content memo's slots (+1 for the Latin form). */
#define ANSWER_MEMO_TEXT	0	/* a topic's rendered text */
#define ANSWER_MEMO_REPLY	2	/* its reply, when it fits whole */

/* A reply kept in the memo: one allocation, the parts inside it. */
struct answer_memo_reply {
	size_t			 max_parts;	/* the budget it fits */
	enum reply_coding	 coding;
	size_t			 nparts;
	size_t			 len[REPLY_MAX_PARTS];
	char			 buf[];		/* the parts, one after another */
};

/* What a check's answer fills in. */
struct answer_vars {
	const char	*name;		/* {name}: as listed */
	const char	*date;		/* {date}: YYYY-MM-DD, shown D.M.Y */
};

/* Does this page fit?  page is NUL-terminated; last: nothing follows. */
typedef int answer_fits_fn(void *arg, const char *page, int last);

/* Append len bytes of s to buf (size cap), keeping it NUL-terminated. */
static int
answer_append(char *buf, size_t *len, size_t cap, const char *s, size_t n)
{
	if (*len + n + 1 > cap)
		return -1;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
	return 0;
}

/* Is t listed in the menu of parent (NULL: the root)? */
static int
answer_in_menu(const struct topic *t, const struct topic *parent)
{
	if (t->menu <= 0)
		return 0;
	if (parent == NULL)
		return t->parent == NULL;
	return t->parent != NULL && strcmp(t->parent, parent->id) == 0;
}

/* The topic at position n of parent's menu (NULL: the root), or NULL. */
static const struct topic *
answer_child(const struct content *c, const struct topic *parent, int n)
{
	size_t	 i;

	for (i = 0; i < c->ntopics; i++)
		if (c->topics[i].menu == n &&
		    answer_in_menu(&c->topics[i], parent))
			return &c->topics[i];
	return NULL;
}

/* t when some topic names it as parent, else NULL. */
static const struct topic *
answer_submenu(const struct content *c, const struct topic *t)
{
	size_t	 i;

	if (t == NULL || t->parent != NULL)
		return NULL;
	for (i = 0; i < c->ntopics; i++)
		if (c->topics[i].parent != NULL &&
		    strcmp(c->topics[i].parent, t->id) == 0)
			return t;
	return NULL;
}

static const char *
answer_title(const struct topic *t, int lang)
{
	if (t == NULL)
		return "";
	return t->text[lang].title != NULL ? t->text[lang].title : t->id;
}

/*
 * "0 Язык/Тіл": the lang topic's title in this language first, then in
 * the others (the language code when it has none), so a sender who
 * cannot read this language still finds the way out.  With three
 * languages or more, only this language's title and the Russian one
 * ("0 Забон/Язык"), and that only when in the same coding: a GSM-7
 * title ("0 Til") never turns a Latin menu into UCS-2, and the line
 * stays short; "0" opens the list of languages, each in its own name.
 */
static int
answer_lang_line(const struct content *c, int lang, char *buf, size_t *len,
    size_t cap)
{
	const struct topic *lt = content_topic(c, CONTENT_LANG);
	const char	*seen[CONTENT_MAX_LANGS], *s;
	size_t		 i, j, k, nseen = 0;

	if (c->nlangs < 2 || lt == NULL)
		return 0;
	if (answer_append(buf, len, cap, "\n0 ", 3) == -1)
		return -1;
	for (k = 0; k < c->nlangs; k++) {
		i = k == 0 ? (size_t)lang : (k <= (size_t)lang ? k - 1 : k);
		s = lt->text[i].title != NULL ? lt->text[i].title :
		    c->langs[i];
		if (nseen > 0 && c->nlangs >= 3 &&
		    (strcmp(c->langs[i], "ru") != 0 ||
		    reply_is_gsm7(s) != reply_is_gsm7(seen[0])))
			continue;
		for (j = 0; j < nseen; j++)
			if (strcmp(seen[j], s) == 0)
				break;
		if (j < nseen)
			continue;
		seen[nseen++] = s;
		if ((nseen > 1 && answer_append(buf, len, cap, "/", 1) == -1) ||
		    answer_append(buf, len, cap, s, strlen(s)) == -1)
			return -1;
	}
	return 0;
}

/* Does 0 at the root open the language list (3 languages or more)? */
static bool
answer_lang_menu(const struct content *c)
{
	return c->nlangs >= 3 && content_topic(c, CONTENT_LANG) != NULL;
}

/*
 * The language list: "1 Қазақша", "2 Русский" ..., every language of
 * the set in its own name (langid_name(); else the lang topic's title
 * in it, else its code), numbered by its place in the configuration.
 */
static int
answer_lang_list(const struct content *c, const struct topic *lt, char *buf,
    size_t *len, size_t cap)
{
	const char	*name;
	char		 num[16];
	size_t		 i;
	int		 k;

	for (i = 0; i < c->nlangs; i++) {
		if ((name = langid_name(langid_index(c->langs[i]))) == NULL)
			name = lt->text[i].title != NULL ? lt->text[i].title :
			    c->langs[i];
		k = snprintf(num, sizeof(num), "%s%zu ", i > 0 ? "\n" : "",
		    i + 1);
		if (answer_append(buf, len, cap, num, (size_t)k) == -1 ||
		    answer_append(buf, len, cap, name, strlen(name)) == -1)
			return -1;
	}
	return 0;
}

/* The numbered lines of parent's menu (NULL: the root) into buf. */
static int
answer_menu(const struct content *c, const struct topic *parent, int lang,
    char *buf, size_t *len, size_t cap)
{
	const struct topic **order;
	size_t	 i, j, n = 0;
	char	 num[16];
	int	 first = 1, rv = 0;

	if (parent != NULL && strcmp(parent->id, CONTENT_LANG) == 0)
		return answer_lang_list(c, parent, buf, len, cap);
	if ((order = calloc(c->ntopics + 1, sizeof(*order))) == NULL)
		return -1;
	for (i = 0; i < c->ntopics; i++)
		if (answer_in_menu(&c->topics[i], parent))
			order[n++] = &c->topics[i];
	/* Insertion sort: a menu has a handful of entries. */
	for (i = 1; i < n; i++) {
		const struct topic *t = order[i];
		for (j = i; j > 0 && order[j - 1]->menu > t->menu; j--)
			order[j] = order[j - 1];
		order[j] = t;
	}
	for (i = 0; i < n; i++) {
		const char *title = answer_title(order[i], lang);
		int k;

		k = snprintf(num, sizeof(num), "%s%d ", first ? "" : "\n",
		    order[i]->menu);
		first = 0;
		if (answer_append(buf, len, cap, num, (size_t)k) == -1 ||
		    answer_append(buf, len, cap, title, strlen(title)) == -1) {
			rv = -1;
			break;
		}
	}
	if (rv == 0 && parent == NULL)
		rv = answer_lang_line(c, lang, buf, len, cap);
	free(order);
	return rv;
}

/* Expand {menu} in src into buf (ANSWER_MAX_TEXT bytes). */
static void
answer_expand(const struct content *c, const struct topic *parent, int lang,
    const char *src, char *buf)
{
	const char	*p, *hit;
	size_t		 len = 0, plen = strlen(CONTENT_MENU_PLACEHOLDER);

	buf[0] = '\0';
	for (p = src; (hit = strstr(p, CONTENT_MENU_PLACEHOLDER)) != NULL;
	    p = hit + plen) {
		if (answer_append(buf, &len, ANSWER_MAX_TEXT, p,
		    (size_t)(hit - p)) == -1 ||
		    answer_menu(c, parent, lang, buf, &len,
		    ANSWER_MAX_TEXT) == -1)
			return;		/* truncated: paging shows what fits */
	}
	(void)answer_append(buf, &len, ANSWER_MAX_TEXT, p, strlen(p));
}

/*
 * Replace {name} and {date} in buf (ANSWER_MAX_TEXT bytes) with v's,
 * using tmp (as large); a value too long for the buffer is cut.
 */
static void
answer_vars_expand(char *buf, char *tmp, const struct answer_vars *v)
{
	const char	*p, *val;
	char		 date[16];
	size_t		 len = 0, n;

	if (v->date != NULL && strlen(v->date) == 10)
		snprintf(date, sizeof(date), "%.2s.%.2s.%.4s", v->date + 8,
		    v->date + 5, v->date);
	else
		snprintf(date, sizeof(date), "%s", v->date ? v->date : "");
	tmp[0] = '\0';
	for (p = buf; *p != '\0'; p += n) {
		val = NULL;
		n = 1;
		if (strncmp(p, "{name}", 6) == 0 && v->name != NULL) {
			val = v->name;
			n = 6;
		} else if (strncmp(p, "{date}", 6) == 0 && v->date != NULL) {
			val = date;
			n = 6;
		}
		if (answer_append(tmp, &len, ANSWER_MAX_TEXT, val != NULL ?
		    val : p, val != NULL ? strlen(val) : 1) == -1)
			break;
	}
	memcpy(buf, tmp, len + 1);
}

/*
 * For measuring an answer to a check: the longest listed name of the
 * kind t answers with, and its date.  Returns v, or NULL for other
 * topics and when no entry is of that kind.
 */
static const struct answer_vars *
answer_worst(const struct content *c, const struct topic *t,
    struct answer_vars *v)
{
	const struct lists_entry *e;
	enum lists_kind	 kind;
	size_t		 i, best = 0;
	bool		 any = false;	/* a look-alike is of either kind */

	if (strcmp(t->id, CONTENT_CHECK_REPORTED) == 0)
		kind = LISTS_REPORTED;
	else if (strcmp(t->id, CONTENT_CHECK_LICENSED) == 0)
		kind = LISTS_LICENSED;
	else if (strcmp(t->id, CONTENT_CHECK_SIMILAR) == 0)
		any = true;
	else
		return NULL;
	v->name = v->date = NULL;
	for (i = 0; c->lists != NULL && i < c->lists->nentries; i++) {
		e = &c->lists->entries[i];
		if ((any || e->kind == kind) &&
		    utf8_chars(e->name) >= best) {
			best = utf8_chars(e->name);
			v->name = e->name;
			v->date = e->date;
		}
	}
	return v->name != NULL ? v : NULL;
}

/*
 * answer_text() with {name} and {date} from v (NULL: left as they
 * are), worked out anew.  The caller frees the result.
 */
static char *
answer_render(const struct content *c, const struct topic *t, int lang,
    bool latin, const struct answer_vars *v)
{
	const struct topic_text *tt = &t->text[lang];
	const char	*src = tt->text;
	char		*buf, *lat;

	if ((buf = malloc(ANSWER_MAX_TEXT)) == NULL)
		return NULL;
	if (latin && tt->text_latin != NULL)
		src = tt->text_latin;
	/*
	 * {menu} in a parent's text lists its children, elsewhere the root;
	 * the lang topic's text is followed by the language list when
	 * there are three languages or more.
	 */
	if (strcmp(t->id, CONTENT_LANG) == 0 && answer_lang_menu(c)) {
		if ((lat = malloc(ANSWER_MAX_TEXT)) == NULL) {
			free(buf);
			return NULL;
		}
		snprintf(lat, ANSWER_MAX_TEXT, "%s\n%s", src != NULL ? src : "",
		    CONTENT_MENU_PLACEHOLDER);
		answer_expand(c, t, lang, lat, buf);
		free(lat);
	} else
		answer_expand(c, answer_submenu(c, t), lang, src != NULL ?
		    src : "", buf);
	if (v != NULL) {
		/* after {menu}: a listed name cannot smuggle one in */
		if ((lat = malloc(ANSWER_MAX_TEXT)) == NULL) {
			free(buf);
			return NULL;
		}
		answer_vars_expand(buf, lat, v);
		free(lat);
	}
	if (!latin)
		return buf;
	/* Menu titles, or a text without a Latin form of its own. */
	if ((lat = malloc(ANSWER_MAX_TEXT)) == NULL) {
		free(buf);
		return NULL;
	}
	text_latin(lat, ANSWER_MAX_TEXT, buf);
	free(buf);
	return lat;
}

/*
 * answer_render(), from the set's memo when there are no {name} and
 * {date} to fill: a text depends on the set alone, so it is rendered
 * once per set, topic, language and script.  The caller frees the
 * result.
 */
static char *
answer_fill(const struct content *c, const struct topic *t, int lang,
    bool latin, const struct answer_vars *v)
{
	const char	*m;
	char		*s;
	int		 slot = ANSWER_MEMO_TEXT + latin;

	if (v != NULL || c->memo == NULL)
		return answer_render(c, t, lang, latin, v);
	if ((m = content_memo_get(c, t, lang, slot)) == NULL) {
		if ((s = answer_render(c, t, lang, latin, NULL)) == NULL)
			return NULL;
		if ((m = content_memo_put(c, t, lang, slot, s)) == NULL)
			return answer_render(c, t, lang, latin, NULL);
	}
	return strdup(m);
}

char *
answer_text(const struct content *c, const struct topic *t, int lang,
    bool latin)
{
	struct answer_vars v;

	return answer_fill(c, t, lang, latin, answer_worst(c, t, &v));
}

static int
answer_space(char ch)
{
	return ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r';
}

/* Length of s[0..n) without trailing white space. */
static size_t
answer_trim(const char *s, size_t n)
{
	while (n > 0 && answer_space(s[n - 1]))
		n--;
	return n;
}

/* Does the trimmed prefix s[0..n) end a line or a sentence? */
static int
answer_sentence_end(const char *s, size_t n)
{
	size_t	 t = answer_trim(s, n);

	if (t == 0)
		return 0;
	if (memchr(s + t, '\n', n - t) != NULL)
		return 1;
	if (strchr(".!?", s[t - 1]) != NULL)
		return 1;
	/* "…" (U+2026) */
	return t >= 3 && memcmp(s + t - 3, "\xe2\x80\xa6", 3) == 0;
}

/* Does the trimmed prefix s[0..n) fit as a page that is not the last? */
static int
answer_try(const char *s, size_t n, char *tmp, answer_fits_fn *fits,
    void *arg)
{
	n = answer_trim(s, n);
	if (n == 0)
		return 0;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	return fits(arg, tmp, 0);
}

/*
 * Bytes of s that make its first page: all of s when it fits as the
 * last page, else the longest prefix ending at a space or line end that
 * fits with the hint, moved back to a line or sentence end when one
 * keeps at least 60% of it, else a prefix cut between characters when
 * a single word is too long.  Always at least one character.  tmp holds
 * strlen(s) + 1 bytes.
 */
static size_t
answer_cut(const char *s, char *tmp, answer_fits_fn *fits, void *arg)
{
	size_t	 n = strlen(s), lo, hi, mid, best = 0, i, *bd, nb = 0, first;
	const char *p;

	memcpy(tmp, s, n + 1);
	if (fits(arg, tmp, 1))
		return n;
	if ((bd = calloc(n + 1, sizeof(*bd))) == NULL)
		return n;
	for (i = 1; i < n; i++)
		if (answer_space(s[i - 1]) && !answer_space(s[i]))
			bd[nb++] = i;
	/* Longer prefixes need more room: search the word ends. */
	lo = 0;
	hi = nb;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (answer_try(s, bd[mid], tmp, fits, arg)) {
			best = bd[mid];
			lo = mid + 1;
		} else
			hi = mid;
	}
	if (best > 0) {
		for (i = nb; i-- > 0;) {
			if (bd[i] > best)
				continue;
			if (bd[i] * 10 < best * 6)
				break;
			if (answer_sentence_end(s, bd[i])) {
				best = bd[i];
				break;
			}
		}
		free(bd);
		return best;
	}
	free(bd);
	/* One word longer than a page: cut between characters. */
	p = s;
	(void)utf8_next(&p, s + n);
	first = (size_t)(p - s);
	while (p < s + n && answer_try(s, (size_t)(p - s), tmp, fits, arg)) {
		best = (size_t)(p - s);
		(void)utf8_next(&p, s + n);
	}
	return best > 0 ? best : first;
}

/*
 * Find page *page (0 first; clamped to the last) of text: *off and *len
 * give its bytes, trailing space trimmed; *last is set on the last
 * page.  Returns 0, or -1 when memory runs out.
 */
static int
answer_paginate(const char *text, int *page, answer_fits_fn *fits,
    void *arg, size_t *off, size_t *len, int *last)
{
	size_t	 start = 0, n;
	char	*tmp;
	int	 p;

	if ((tmp = malloc(strlen(text) + 1)) == NULL)
		return -1;
	for (p = 0;; p++) {
		n = answer_cut(text + start, tmp, fits, arg);
		*off = start;
		*len = answer_trim(text + start, n);
		*last = text[start + n] == '\0';
		if (!*last) {
			size_t next = start + n;

			while (answer_space(text[next]))
				next++;
			*last = text[next] == '\0';
			if (p < *page && !*last) {
				start = next;
				continue;
			}
		}
		break;
	}
	*page = p;
	free(tmp);
	return 0;
}

/* SMS paging: a page with the hint fits the part budget. */
struct answer_sms_fit {
	size_t		 max_parts;
	const char	*hint;		/* may be NULL */
	char		*buf;		/* ANSWER_MAX_TEXT bytes */
};

static int
answer_sms_page(const struct answer_sms_fit *f, const char *page, int last,
    struct reply *r)
{
	size_t	 len = 0;

	f->buf[0] = '\0';
	if (answer_append(f->buf, &len, ANSWER_MAX_TEXT, page,
	    strlen(page)) == -1)
		return -1;
	if (!last && f->hint != NULL && f->hint[0] != '\0' &&
	    (answer_append(f->buf, &len, ANSWER_MAX_TEXT, " ", 1) == -1 ||
	    answer_append(f->buf, &len, ANSWER_MAX_TEXT, f->hint,
	    strlen(f->hint)) == -1))
		return -1;
	return reply_compose(r, f->buf, f->max_parts, NULL);
}

/* Does the composed page r keep all of its text within the budget? */
static int
answer_sms_ok(const struct answer_sms_fit *f, const struct reply *r)
{
	return !r->cut && r->nparts <= f->max_parts;
}

static int
answer_sms_fits(void *arg, const char *page, int last)
{
	const struct answer_sms_fit *f = arg;
	struct reply	 r;
	int		 ok;

	if (answer_sms_page(f, page, last, &r) == -1)
		return 0;
	ok = answer_sms_ok(f, &r);
	reply_release(&r);
	return ok;
}

/* r, which fits max_parts, as one allocation for the memo; or NULL. */
static struct answer_memo_reply *
answer_memo_pack(const struct reply *r, size_t max_parts)
{
	struct answer_memo_reply *m;
	size_t		 i, total = 0, off = 0;

	for (i = 0; i < r->nparts; i++)
		total += strlen(r->part[i]);
	if ((m = malloc(sizeof(*m) + total)) == NULL)
		return NULL;
	m->max_parts = max_parts;
	m->coding = r->coding;
	m->nparts = r->nparts;
	for (i = 0; i < r->nparts; i++) {
		m->len[i] = strlen(r->part[i]);
		memcpy(m->buf + off, r->part[i], m->len[i]);
		off += m->len[i];
	}
	return m;
}

/* A copy of the memo's reply into r.  Returns 0, or -1 (r released). */
static int
answer_memo_unpack(const struct answer_memo_reply *m, struct reply *r)
{
	size_t	 i, off = 0;

	memset(r, 0, sizeof(*r));
	r->coding = m->coding;
	for (i = 0; i < m->nparts; i++) {
		if ((r->part[i] = malloc(m->len[i] + 1)) == NULL) {
			reply_release(r);
			return -1;
		}
		memcpy(r->part[i], m->buf + off, m->len[i]);
		r->part[i][m->len[i]] = '\0';
		off += m->len[i];
		r->nparts++;
	}
	return 0;
}

/*
 * The reply to all of text (t's rendered text when t is not NULL) into
 * a->reply if it fits the budget: 1; 0 when it needs pages; -1 when
 * memory runs out.  A topic's reply depends on the set alone, so it is
 * composed once per set, language and script, and kept in the memo.
 */
static int
answer_whole(struct answer *a, const struct content *c,
    const struct topic *t, const struct answer_sms_fit *fit,
    const char *text)
{
	const struct answer_memo_reply *m = NULL;
	struct answer_memo_reply *p;
	int		 slot = ANSWER_MEMO_REPLY + a->latin;

	if (t != NULL && (m = content_memo_get(c, t, a->route.lang,
	    slot)) != NULL && m->max_parts == fit->max_parts)
		return answer_memo_unpack(m, &a->reply) == -1 ? -1 : 1;
	if (answer_sms_page(fit, text, 1, &a->reply) == -1)
		return -1;
	if (!answer_sms_ok(fit, &a->reply)) {
		reply_release(&a->reply);
		return 0;
	}
	/* the first budget seen is kept; another is composed each time */
	if (t != NULL && m == NULL &&
	    (p = answer_memo_pack(&a->reply, fit->max_parts)) != NULL)
		(void)content_memo_put(c, t, a->route.lang, slot, p);
	return 1;
}

/* Remember what this answer says about the sender: language, menu. */
static void
answer_session(const struct content *c, struct session *s,
    const struct topic *t, const char *lang)
{
	if (strcmp(t->id, CONTENT_STOP) == 0) {
		session_clear(s);
		s->forget = true;
		return;
	}
	session_set(s->lang, sizeof(s->lang), lang);
	if (s->menu[0] == '?')
		s->menu[0] = '\0';	/* a question back is answered once */
	if (strcmp(t->id, CONTENT_MENU) == 0)
		session_set(s->menu, sizeof(s->menu), CONTENT_MENU);
	else if (strcmp(t->id, CONTENT_LANG) == 0 && answer_lang_menu(c))
		session_set(s->menu, sizeof(s->menu), CONTENT_LANG);
	else if (answer_submenu(c, t) != NULL)
		session_set(s->menu, sizeof(s->menu), t->id);
}

/*
 * A message that is only a menu choice: 0 to 99, or ANSWER_HOME for
 * "00".  Returns -1 for anything else.
 */
static int
answer_number(const char *msg, size_t *ndigits)
{
	const char	*p = msg, *q;
	int		 n = 0;

	while (answer_space(*p))
		p++;
	/* Only two digits count; more must not overflow (fuzz finding). */
	for (q = p; *q >= '0' && *q <= '9'; q++)
		if (n < 1000)
			n = n * 10 + (*q - '0');
	*ndigits = (size_t)(q - p);
	while (answer_space(*q))
		q++;
	if (*q != '\0' || *ndigits == 0 || *ndigits > 2)
		return -1;
	if (*ndigits == 2 && n == 0)
		return ANSWER_HOME;
	return n;
}

/* "prefix" and the ids of the n topics, comma-separated, into buf. */
static void
answer_ids(char *buf, size_t sz, const char *prefix,
    const struct topic *const *t, int n)
{
	size_t	 len;
	int	 i;

	snprintf(buf, sz, "%s", prefix);
	for (i = 0; i < n; i++) {
		len = strlen(buf);
		snprintf(buf + len, sz - len, "%s%s", i > 0 ? "," : "",
		    t[i]->id);
	}
}

/*
 * The question back: the "choose" topic's text (full, rendered) and
 * the offered topics numbered, into a new string; the third topic is
 * left out when three do not fit one SMS.  NULL when memory runs out.
 */
static char *
answer_ask(struct answer *a, const char *full, bool latin)
{
	struct route_result *rr = &a->route;
	char	*buf, line[256], lat[256];
	size_t	 len;
	int	 n, i, one;

	if ((buf = malloc(ANSWER_MAX_TEXT)) == NULL)
		return NULL;
	for (n = rr->nchoice; n >= 2; n--) {
		len = 0;
		buf[0] = '\0';
		(void)answer_append(buf, &len, ANSWER_MAX_TEXT, full,
		    answer_trim(full, strlen(full)));
		for (i = 0; i < n; i++) {
			snprintf(line, sizeof(line), "\n%d %s", i + 1,
			    answer_title(rr->choice[i], rr->lang));
			if (latin) {
				text_latin(lat, sizeof(lat), line);
				memcpy(line, lat, strlen(lat) + 1);
			}
			(void)answer_append(buf, &len, ANSWER_MAX_TEXT, line,
			    strlen(line));
		}
		one = reply_is_gsm7(buf) ? reply_septets(buf) <= 160 :
		    reply_ucs2_units(buf) <= 70;
		if (one || n == 2)
			break;
	}
	rr->nchoice = n;
	return buf;
}

/*
 * A digit answering a question back: the topic at position n of the
 * ids kept in the session ("?fraud,work"), or NULL.
 */
static const struct topic *
answer_picked(const struct content *c, const struct session *s, int n,
    char *asked, size_t sz)
{
	const char	*p, *e;
	char		 id[128];
	int		 i = 1;

	if (s == NULL || s->menu[0] != '?' || n < 1)
		return NULL;
	for (p = s->menu + 1; *p != '\0'; p = *e == ',' ? e + 1 : e, i++) {
		e = p + strcspn(p, ",");
		if (i != n)
			continue;
		if ((size_t)(e - p) >= sizeof(id))
			return NULL;
		memcpy(id, p, (size_t)(e - p));
		id[e - p] = '\0';
		snprintf(asked, sz, "chosen:%s", s->menu + 1);
		return content_topic(c, id);
	}
	return NULL;
}

/*
 * Resolve a menu digit against the menu the sender last saw (the root
 * when none), overriding the router's root-only guess.  Sets *show to
 * the topic whose text answers (may differ from the logged topic: a
 * language switch answers with the menu in the new language).
 */
static void
answer_choice(struct answer *a, const struct content *c,
    const struct session *s, int n, const struct topic **show)
{
	const struct topic *ctx = NULL, *t, *menu;

	if ((t = answer_picked(c, s, n, a->asked, sizeof(a->asked))) !=
	    NULL) {
		a->route.topic = *show = t;
		a->route.match = ROUTE_MENU;
		return;
	}
	a->asked[0] = '\0';
	if (s != NULL && s->menu[0] != '\0' && s->menu[0] != '?')
		ctx = answer_submenu(c, content_topic(c, s->menu));
	menu = content_topic(c, CONTENT_MENU);
	if (s != NULL && strcmp(s->menu, CONTENT_LANG) == 0 && n > 0 &&
	    (size_t)n <= c->nlangs && (t = content_topic(c, CONTENT_LANG)) !=
	    NULL) {
		/* a pick from the language list: the menu in that one */
		a->route.topic = t;
		a->route.lang = n - 1;
		a->route.match = ROUTE_MENU;
		*show = menu;
		return;
	}
	if (s != NULL && strcmp(s->menu, CONTENT_LANG) == 0 && n == 0) {
		a->route.topic = *show = menu;	/* back from the list */
		a->route.match = ROUTE_MENU;
		return;
	}
	if (n == ANSWER_HOME || (n == 0 && ctx != NULL)) {
		a->route.topic = *show = menu;
		a->route.match = ROUTE_MENU;
		return;
	}
	if (n == 0) {
		/*
		 * "0 Язык/Тіл": the next language, and the menu in it; with
		 * three languages or more, the list to pick one from.
		 */
		if ((t = content_topic(c, CONTENT_LANG)) == NULL ||
		    c->nlangs < 2)
			return;
		if (answer_lang_menu(c)) {
			a->route.topic = *show = t;
			a->route.match = ROUTE_MENU;
			return;
		}
		a->route.topic = t;
		a->route.lang = (a->route.lang + 1) % (int)c->nlangs;
		a->route.match = ROUTE_MENU;
		*show = menu;
		return;
	}
	if ((ctx != NULL && (t = answer_child(c, ctx, n)) != NULL) ||
	    (t = answer_child(c, NULL, n)) != NULL) {
		a->route.topic = *show = t;
		a->route.match = ROUTE_MENU;
		return;
	}
	/* Not a number on any menu: nothing matched. */
	if ((t = content_topic(c, CONTENT_UNKNOWN)) != NULL) {
		a->route.topic = *show = t;
		a->route.match = ROUTE_NONE;
	}
}

/*
 * Is msg a check: a word that routes to the "check" topic followed by
 * what to check, or a phone number alone (short codes such as 112 are
 * not phone numbers)?  Returns where the query starts in msg, or NULL.
 * The command word's routing (language, keyword) goes into a->route.
 */
static const char *
answer_check_query(struct answer *a, const struct content *c,
    const struct route *r, const char *msg, int session_lang)
{
	const struct topic *ct;
	struct route_result rr;
	char		 word[64], e164[PHONE_MAX];
	const char	*p = msg, *e, *q;

	if ((ct = content_topic(c, CONTENT_CHECK)) == NULL)
		return NULL;
	while (answer_space(*p))
		p++;
	if (lists_is_number(p, e164, sizeof(e164)))
		return p;
	for (e = p; *e != '\0' && !answer_space(*e) && *e != ':' &&
	    *e != ','; e++)
		;
	if (e == p || (size_t)(e - p) >= sizeof(word))
		return NULL;
	for (q = e; answer_space(*q) || *q == ':' || *q == ',' || *q == '-';
	    q++)
		;
	if (*q == '\0')
		return NULL;	/* the command alone: how to check */
	memcpy(word, p, (size_t)(e - p));
	word[e - p] = '\0';
	route_query(r, word, session_lang, &rr);
	if (rr.topic != ct || rr.match == ROUTE_NONE ||
	    rr.match == ROUTE_MENU)
		return NULL;
	a->route.lang = rr.lang;
	a->route.why = rr.why;
	a->route.keyword = rr.keyword;
	return q;
}

/*
 * The first phone number inside msg ("этот номер +7 701 555 12 12
 * настоящий?"), as phone_number_in() finds it, copied into buf as it
 * was written; or NULL.
 */
static const char *
answer_number_in(const char *msg, char *buf, size_t sz)
{
	char		 e164[PHONE_MAX];
	size_t		 at, len;

	if (phone_number_in(msg, e164, sizeof(e164), &at, &len) == -1 ||
	    len >= sz)
		return NULL;
	memcpy(buf, msg + at, len);
	buf[len] = '\0';
	return buf;
}

/*
 * Check query against the lists: sets a->check and a->checked, fills
 * *v for the answer, returns the topic that answers (NULL only for a
 * content set without the check topics, which the loader refuses).
 */
static const struct topic *
answer_check(struct answer *a, const struct content *c, const char *query,
    struct answer_vars *v)
{
	struct lists_match m;
	const char	*id = CONTENT_CHECK_UNKNOWN;

	(void)lists_find(c->lists, query, (long)(time(NULL) / 86400), &m);
	a->check = lists_outcome_name(m.outcome);
	/* a look-alike is no check of the entry: not counted for it */
	a->checked = m.entry != NULL && m.outcome != LISTS_SIMILAR ?
	    m.entry->id : NULL;
	v->name = v->date = NULL;
	switch (m.outcome) {
	case LISTS_FOUND_REPORTED:
		id = CONTENT_CHECK_REPORTED;
		break;
	case LISTS_FOUND_LICENSED:
		id = CONTENT_CHECK_LICENSED;
		break;
	case LISTS_SIMILAR:
		id = CONTENT_CHECK_SIMILAR;
		break;
	case LISTS_UNKNOWN:
		break;
	}
	if (m.outcome != LISTS_UNKNOWN) {
		v->name = m.entry->name;
		v->date = m.entry->date;
	}
	return content_topic(c, id);
}

const char *
answer_match(const struct answer *a)
{
	if (a->check != NULL)
		return a->check;
	if (a->asked[0] != '\0')
		return a->asked;
	return route_match_name(a->route.match);
}

int
answer_make(struct answer *a, const struct content *c, const struct route *r,
    const char *msg, struct session *s, const struct answer_opts *o)
{
	const struct topic *t, *more, *show;
	struct answer_sms_fit fit;
	struct answer_vars vars;
	size_t		 off, len, nd;
	const char	*q;
	char		*hint = NULL, *full = NULL, num[64];
	int		 session_lang = -1, page = 0, last, n, whole = 0;

	memset(a, 0, sizeof(*a));
	if (s != NULL && s->lang[0] != '\0')
		session_lang = content_lang(c, s->lang);
	route_query(r, msg, session_lang, &a->route);
	show = a->route.topic;
	if ((a->route.match == ROUTE_MENU || a->route.match == ROUTE_NONE) &&
	    (n = answer_number(msg, &nd)) >= 0)
		answer_choice(a, c, s, n, &show);
	else if ((((q = answer_check_query(a, c, r, msg, session_lang)) !=
	    NULL) || (a->route.topic == content_topic(c, CONTENT_CHECK) &&
	    (q = answer_number_in(msg, num, sizeof(num))) != NULL)) &&
	    (t = answer_check(a, c, q, &vars)) != NULL) {
		/*
		 * A check command, a number alone, or a message about
		 * checking with a number in it.
		 */
		show = t;
		a->route.topic = content_topic(c, CONTENT_CHECK);
		a->route.match = ROUTE_EXACT;
		/* what was checked stays nowhere, not even folded */
		memset(a->route.folded, 0, sizeof(a->route.folded));
	}
	a->latin = o->latin_for_latin &&
	    (text_script(msg) & (TEXT_LATIN | TEXT_CYRILLIC)) == TEXT_LATIN;
	t = a->route.topic;
	if (strcmp(t->id, CONTENT_MORE) == 0) {
		/* MORE: the next page of what the sender is reading. */
		const struct topic *pt = NULL;

		if (s != NULL && s->topic[0] != '\0' && s->page > 0)
			pt = content_topic(c, s->topic);
		if (pt != NULL) {
			show = pt;
			page = s->page;
			if (session_lang >= 0)
				a->route.lang = session_lang;
			/*
			 * In the script of the pages before, whatever
			 * this MORE is written in: the other script's
			 * pages end elsewhere, and text would be skipped
			 * or sent twice.
			 */
			a->latin = s->latin;
		} else
			show = content_topic(c, CONTENT_MENU);
		if (show == NULL)
			show = t;
	}
	a->lang = c->langs[a->route.lang];
	if (s != NULL)
		answer_session(c, s, show, a->lang);
	if ((full = answer_fill(c, show, a->route.lang, a->latin,
	    a->check != NULL ? &vars : NULL)) == NULL)
		return -1;
	if (a->route.match == ROUTE_UNSURE) {
		char *ask = answer_ask(a, full, a->latin);

		free(full);
		if ((full = ask) == NULL)
			return -1;
		answer_ids(a->asked, sizeof(a->asked), "unsure:",
		    a->route.choice, a->route.nchoice);
		if (s != NULL)
			answer_ids(s->menu, sizeof(s->menu), "?",
			    a->route.choice, a->route.nchoice);
		show = NULL;	/* not the topic's own text: no memo */
	}
	fit.max_parts = o->max_parts > 0 ? o->max_parts : 1;
	if (fit.max_parts > REPLY_MAX_PARTS)
		fit.max_parts = REPLY_MAX_PARTS;
	fit.hint = NULL;
	if ((fit.buf = malloc(ANSWER_MAX_TEXT)) == NULL)
		goto fail;
	/*
	 * The first page is most often the whole text.  A check's answer
	 * is one page whatever it costs: MORE could not fill the entry in
	 * again.
	 */
	full[answer_trim(full, strlen(full))] = '\0';
	last = 1;
	if (a->check != NULL)
		whole = answer_sms_page(&fit, full, 1, &a->reply) == -1 ?
		    -1 : 1;
	else if (page == 0)
		whole = answer_whole(a, c, show, &fit, full);
	if (whole == -1)
		goto fail;
	if (whole == 0) {
		if ((more = content_topic(c, CONTENT_MORE)) != NULL &&
		    (hint = answer_text(c, more, a->route.lang, a->latin)) ==
		    NULL)
			goto fail;
		fit.hint = hint;
		if (answer_paginate(full, &page, answer_sms_fits, &fit, &off,
		    &len, &last) == -1)
			goto fail;
		full[off + len] = '\0';
		if (answer_sms_page(&fit, full + off, last, &a->reply) == -1)
			goto fail;
	}
	if ((a->text = strdup(whole == 1 ? full : fit.buf)) == NULL)
		goto fail;
	a->page = page;
	a->more = !last;
	a->reply.cut = !last;
	if (s != NULL && !s->forget) {
		session_set(s->topic, sizeof(s->topic), last || show == NULL ?
		    "" : show->id);
		s->page = last ? 0 : page + 1;
		s->latin = !last && a->latin;
	}
	free(fit.buf);
	free(full);
	free(hint);
	return 0;
fail:
	free(fit.buf);
	free(full);
	free(hint);
	answer_release(a);
	return -1;
}

bool
answer_ussd_fits(const char *screen, const struct answer_ussd_opts *o)
{
	if (reply_is_gsm7(screen))
		return reply_septets(screen) <= o->page_chars;
	return reply_ucs2_units(screen) <= o->ucs2_page_chars;
}

/* What a USSD screen shows: a menu (text NULL) or a text's page. */
struct answer_view {
	const struct topic	*menu;	/* its menu: NULL for the root */
	const struct topic	*text;	/* NULL: the menu itself */
	int			 page;
	const struct topic	*prompt; /* the "check" topic, or NULL */
	struct answer_vars	 vars;	/* a check's answer fills these */
	const char		*check;	/* a check's outcome, or NULL */
};

struct answer_ussd_fit {
	const struct answer_ussd_opts *o;
	char		 more[96];	/* "99 Ещё" */
	char		 back[192];	/* "0 Меню", or "" at the root */
	int		 end_on_last;	/* a text: its last page ends */
	char		*buf;		/* ANSWER_MAX_TEXT bytes */
};

/* The screen: page, then "99 more" unless last, then the way back. */
static int
answer_ussd_screen(struct answer_ussd_fit *f, const char *page, int last)
{
	size_t	 len = 0;

	f->buf[0] = '\0';
	if (answer_append(f->buf, &len, ANSWER_MAX_TEXT, page,
	    strlen(page)) == -1)
		return -1;
	if (!last && (answer_append(f->buf, &len, ANSWER_MAX_TEXT, "\n",
	    1) == -1 || answer_append(f->buf, &len, ANSWER_MAX_TEXT, f->more,
	    strlen(f->more)) == -1))
		return -1;
	if (f->back[0] != '\0' && (!last || !f->end_on_last) &&
	    (answer_append(f->buf, &len, ANSWER_MAX_TEXT, "\n", 1) == -1 ||
	    answer_append(f->buf, &len, ANSWER_MAX_TEXT, f->back,
	    strlen(f->back)) == -1))
		return -1;
	return 0;
}

static int
answer_ussd_fitsfn(void *arg, const char *page, int last)
{
	struct answer_ussd_fit *f = arg;

	return answer_ussd_screen(f, page, last) == 0 &&
	    answer_ussd_fits(f->buf, f->o);
}

/* Render view v in language lang into u.  Returns 0 or -1. */
static int
answer_ussd_render(struct answer_ussd *u, const struct content *c,
    struct answer_view *v, int lang, const struct answer_ussd_opts *o)
{
	const struct topic *root = content_topic(c, CONTENT_MENU);
	const struct topic *more = content_topic(c, CONTENT_MORE);
	const struct topic *src;
	struct answer_ussd_fit f;
	size_t		 off, len;
	char		*body;
	int		 last, rv = -1;

	if (root == NULL)
		return -1;
	src = v->text != NULL ? v->text : v->menu != NULL ? v->menu : root;
	memset(&f, 0, sizeof(f));
	f.o = o;
	snprintf(f.more, sizeof(f.more), "%d %s", ANSWER_NEXT,
	    more != NULL && more->text[lang].title != NULL ?
	    more->text[lang].title : ">>");
	if (v->text != NULL && v->menu != NULL)
		snprintf(f.back, sizeof(f.back), "0 %s\n00 %s",
		    answer_title(v->menu, lang), answer_title(root, lang));
	else if (v->text != NULL || v->menu != NULL)
		snprintf(f.back, sizeof(f.back), "0 %s",
		    answer_title(root, lang));
	/* The check prompt and the language list wait: they never end. */
	f.end_on_last = v->text != NULL && v->text != v->prompt &&
	    strcmp(v->text->id, CONTENT_LANG) != 0;
	if ((body = answer_fill(c, src, lang, false, v->check != NULL ?
	    &v->vars : NULL)) == NULL)
		return -1;
	if ((f.buf = malloc(ANSWER_MAX_TEXT)) == NULL)
		goto out;
	if (answer_paginate(body, &v->page, answer_ussd_fitsfn, &f, &off,
	    &len, &last) == -1)
		goto out;
	body[off + len] = '\0';
	if (answer_ussd_screen(&f, body + off, last) == -1 ||
	    (u->text = strdup(f.buf)) == NULL)
		goto out;
	u->end = last && f.end_on_last;
	u->topic = v->text != NULL && v->page > 0 && more != NULL ? more :
	    src;
	rv = 0;
out:
	free(f.buf);
	free(body);
	return rv;
}

int
answer_ussd(struct answer_ussd *u, const struct content *c, const char *path,
    int lang, const struct answer_ussd_opts *o)
{
	struct answer_view v;
	struct answer	 ck;
	const struct topic *t, *prompt = content_topic(c, CONTENT_CHECK);
	const struct topic *langt = content_topic(c, CONTENT_LANG);
	const char	*p = path, *e;
	char		 tok[8], query[ANSWER_MAX_QUERY];
	size_t		 nd, tl, steps = 0;
	int		 n, switched = 0, bad = 0;

	memset(u, 0, sizeof(*u));
	memset(&v, 0, sizeof(v));
	if (lang < 0 || (size_t)lang >= c->nlangs)
		lang = 0;
	while (p != NULL && *p != '\0' && steps++ < ANSWER_MAX_PATH) {
		e = strchr(p, '*');
		tl = nd = e != NULL ? (size_t)(e - p) : strlen(p);
		switched = bad = 0;
		if (nd == 0 || nd >= sizeof(tok))
			n = -1;
		else {
			memcpy(tok, p, nd);
			tok[nd] = '\0';
			n = answer_number(tok, &nd);
		}
		if (prompt != NULL && v.text == prompt && tl > 0 &&
		    n != ANSWER_HOME && n != 0 && n != ANSWER_NEXT) {
			/* Typed at the check prompt: what to check. */
			if (tl >= sizeof(query))
				tl = sizeof(query) - 1;
			memcpy(query, p, tl);
			query[tl] = '\0';
			memset(&ck, 0, sizeof(ck));
			if ((t = answer_check(&ck, c, query, &v.vars)) !=
			    NULL) {
				v.text = t;
				v.page = 0;
				v.check = ck.check;
				u->checked = e == NULL ? ck.checked : NULL;
			}
			memset(query, 0, sizeof(query));
			p = e != NULL ? e + 1 : NULL;
			continue;
		}
		p = e != NULL ? e + 1 : NULL;
		if (n == ANSWER_HOME) {
			memset(&v, 0, sizeof(v));
		} else if (n == 0 && v.text != NULL) {
			v.text = NULL;		/* back to its menu */
			v.page = 0;
		} else if (n == 0 && v.menu != NULL) {
			memset(&v, 0, sizeof(v));
		} else if (n == 0 && answer_lang_menu(c)) {
			v.text = langt;		/* the language list */
			v.page = 0;
		} else if (n == 0) {
			lang = (lang + 1) % (int)c->nlangs;
			switched = c->nlangs > 1;
			v.page = 0;
		} else if (n > 0 && v.text != NULL && v.text == langt &&
		    (size_t)n <= c->nlangs) {
			lang = n - 1;		/* picked: the menu in it */
			switched = 1;
			v.text = NULL;
			v.page = 0;
		} else if (n == ANSWER_NEXT) {
			v.page++;		/* clamped when shown */
		} else if (n > 0 && v.text == NULL &&
		    (t = answer_child(c, v.menu, n)) != NULL) {
			if (v.menu == NULL && answer_submenu(c, t) != NULL)
				v.menu = t;
			else
				v.text = t;
			v.page = 0;
		} else
			bad = 1;		/* the same screen again */
		if (v.text == NULL)
			v.check = NULL;		/* left the check's answer */
	}
	v.prompt = prompt;
	if (answer_ussd_render(u, c, &v, lang, o) == -1) {
		answer_ussd_release(u);
		return -1;
	}
	u->lang = lang;
	u->match = bad ? "none" : "menu";
	if (v.check != NULL && v.page == 0 && prompt != NULL) {
		/* the answer to a check: logged as the check and its outcome */
		u->topic = prompt;
		u->match = v.check;
	}
	if (switched && (t = content_topic(c, CONTENT_LANG)) != NULL)
		u->topic = t;
	if (bad && (t = content_topic(c, CONTENT_UNKNOWN)) != NULL)
		u->topic = t;
	return 0;
}

void
answer_ussd_release(struct answer_ussd *u)
{
	free(u->text);
	u->text = NULL;
}

void
answer_release(struct answer *a)
{
	free(a->text);
	a->text = NULL;
	reply_release(&a->reply);
}
