/*
 * session.c - the per-sender state's small helpers, and its copy to and
 * from the store's row.  What the state means is decided in answer.c;
 * where it lives, in store.c.
 */
#include <stddef.h>
#include <string.h>

#include "session.h"
#include "store.h"

void
session_clear(struct session *s)
{
	memset(s, 0, sizeof(*s));
}

void
session_set(char *field, size_t n, const char *src)
{
	size_t	 len;

	if (n == 0)
		return;
	len = src == NULL ? 0 : strlen(src);
	if (len >= n)
		len = n - 1;
	memcpy(field, src == NULL ? "" : src, len);
	field[len] = '\0';
}

void
session_load(struct session *s, const struct store_session *ss)
{
	session_clear(s);
	session_set(s->lang, sizeof(s->lang), ss->lang);
	session_set(s->menu, sizeof(s->menu), ss->menu);
	session_set(s->topic, sizeof(s->topic), ss->topic);
	s->page = ss->page;
	s->latin = ss->latin != 0;
}

void
session_save(const struct session *s, struct store_session *ss)
{
	session_set(ss->lang, sizeof(ss->lang), s->lang);
	session_set(ss->menu, sizeof(ss->menu), s->menu);
	session_set(ss->topic, sizeof(ss->topic), s->topic);
	ss->page = s->page;
	ss->latin = s->latin;
}
