/*
 * answer.c - turn a routed message into the reply text and its parts.
 *
 * Texts come from the content set; "{menu}" expands to one "N Title"
 * line per topic with a menu position, in menu order.  A reply longer
 * than the part budget is cut at a word and ends with the "more" topic's
 * hint in the reply's language.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "text.h"

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

static int
answer_menu(const struct content *c, int lang, char *buf, size_t *len,
    size_t cap)
{
	const struct topic **order;
	size_t	 i, j, n = 0;
	char	 num[16];
	int	 first = 1, rv = 0;

	if ((order = calloc(c->ntopics + 1, sizeof(*order))) == NULL)
		return -1;
	for (i = 0; i < c->ntopics; i++)
		if (c->topics[i].menu > 0)
			order[n++] = &c->topics[i];
	/* Insertion sort: a menu has a handful of entries. */
	for (i = 1; i < n; i++) {
		const struct topic *t = order[i];
		for (j = i; j > 0 && order[j - 1]->menu > t->menu; j--)
			order[j] = order[j - 1];
		order[j] = t;
	}
	for (i = 0; i < n; i++) {
		const char *title = order[i]->text[lang].title;
		int k;

		if (title == NULL)
			title = order[i]->id;
		k = snprintf(num, sizeof(num), "%s%d ", first ? "" : "\n",
		    order[i]->menu);
		first = 0;
		if (answer_append(buf, len, cap, num, (size_t)k) == -1 ||
		    answer_append(buf, len, cap, title, strlen(title)) == -1) {
			rv = -1;
			break;
		}
	}
	free(order);
	return rv;
}

/* Expand {menu} in src into buf (ANSWER_MAX_TEXT bytes). */
static void
answer_expand(const struct content *c, int lang, const char *src, char *buf)
{
	const char	*p, *hit;
	size_t		 len = 0, plen = strlen(CONTENT_MENU_PLACEHOLDER);

	buf[0] = '\0';
	for (p = src; (hit = strstr(p, CONTENT_MENU_PLACEHOLDER)) != NULL;
	    p = hit + plen) {
		if (answer_append(buf, &len, ANSWER_MAX_TEXT, p,
		    (size_t)(hit - p)) == -1 ||
		    answer_menu(c, lang, buf, &len, ANSWER_MAX_TEXT) == -1)
			return;		/* truncated: the cut adds the hint */
	}
	(void)answer_append(buf, &len, ANSWER_MAX_TEXT, p, strlen(p));
}

char *
answer_text(const struct content *c, const struct topic *t, int lang,
    bool latin)
{
	const struct topic_text *tt = &t->text[lang];
	const char	*src = tt->text;
	char		*buf, *lat;

	if ((buf = malloc(ANSWER_MAX_TEXT)) == NULL)
		return NULL;
	if (latin && tt->text_latin != NULL)
		src = tt->text_latin;
	answer_expand(c, lang, src != NULL ? src : "", buf);
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

/* Remember what this answer says about the sender: language, menu. */
static void
answer_session(struct session *s, const struct topic *t, const char *lang)
{
	if (strcmp(t->id, CONTENT_STOP) == 0) {
		session_clear(s);
		s->forget = true;
		return;
	}
	session_set(s->lang, sizeof(s->lang), lang);
	if (strcmp(t->id, CONTENT_MENU) == 0)
		session_set(s->menu, sizeof(s->menu), CONTENT_MENU);
}

int
answer_make(struct answer *a, const struct content *c, const struct route *r,
    const char *msg, struct session *s, const struct answer_opts *o)
{
	const struct topic *t, *more;
	char		*hint = NULL;
	int		 session_lang = -1, rv = 0;

	memset(a, 0, sizeof(*a));
	if (s != NULL && s->lang[0] != '\0')
		session_lang = content_lang(c, s->lang);
	route_query(r, msg, session_lang, &a->route);
	t = a->route.topic;
	a->lang = c->langs[a->route.lang];
	if (s != NULL)
		answer_session(s, t, a->lang);
	a->latin = o->latin_for_latin &&
	    (text_script(msg) & (TEXT_LATIN | TEXT_CYRILLIC)) == TEXT_LATIN;
	if ((a->text = answer_text(c, t, a->route.lang, a->latin)) == NULL)
		return -1;
	if ((more = content_topic(c, CONTENT_MORE)) != NULL &&
	    (hint = answer_text(c, more, a->route.lang, a->latin)) == NULL) {
		answer_release(a);
		return -1;
	}
	if (reply_compose(&a->reply, a->text, o->max_parts, hint) == -1) {
		answer_release(a);
		rv = -1;
	}
	free(hint);
	return rv;
}

void
answer_release(struct answer *a)
{
	free(a->text);
	a->text = NULL;
	reply_release(&a->reply);
}
