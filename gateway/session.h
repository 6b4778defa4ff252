/*
 * session.h - what the gateway remembers of one sender between messages,
 * keyed by pseudonym: the language they use, the menu they last saw, the
 * long text they are paging through.  No I/O: habard loads and saves it
 * through the store, the HTTP channel through its own store handle.
 */
#ifndef HABAR_SESSION_H
#define HABAR_SESSION_H

#include <stdbool.h>

struct session {
	char	 lang[8];	/* language code, "" when not known */
	char	 menu[32];	/* menu last shown, "" for none */
	char	 topic[64];	/* topic being paged, "" for none */
	int	 page;		/* next page of that topic */
	bool	 forget;	/* the sender asked to be forgotten (STOP) */
};

/* Reset s to "nothing known". */
void	 session_clear(struct session *s);

/* Copy src into a field of n bytes, always terminated, cut if longer. */
void	 session_set(char *field, size_t n, const char *src);

#endif
