/*
 * session.h - what the gateway remembers of one sender between messages,
 * keyed by pseudonym: the language they use, the menu they last saw, the
 * long text they are paging through.  No I/O: serve.c loads and saves
 * it through the store, whose row (struct store_session) holds this
 * struct itself beside the pseudonym and the expiry, so there is one
 * representation for every channel (SMS, Kannel's /sms, USSD).
 */
#ifndef HABAR_SESSION_H
#define HABAR_SESSION_H

#include <stdbool.h>
#include <stddef.h>

struct session {
	char	 lang[8];	/* language code, "" when not known */
	char	 menu[128];	/* menu last shown, "" for none; or the
				 * topics offered when asking back, as
				 * "?fraud,work" (answer.c) */
	char	 topic[64];	/* topic being paged, "" for none */
	int	 page;		/* next page of that topic */
	bool	 latin;		/* those pages are GSM-7 Latin: MORE
				 * keeps the script their cuts are in */
	bool	 forget;	/* the sender asked to be forgotten (STOP) */
};

/* Reset s to "nothing known". */
void	 session_clear(struct session *s);

/* Copy src into a field of n bytes, always terminated, cut if longer. */
void	 session_set(char *field, size_t n, const char *src);

#endif
