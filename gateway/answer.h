/*
 * answer.h - one message in, one reply out: route the text, pick the
 * topic's text in the chosen language, expand the menu, cut it into SMS
 * parts.  Shared by the daemon, "habar try" and the HTTP channel.  No I/O.
 */
#ifndef HABAR_ANSWER_H
#define HABAR_ANSWER_H

#include "content.h"
#include "reply.h"
#include "route.h"
#include "session.h"

#define ANSWER_MAX_TEXT	(CONTENT_MAX_TEXT * 2)

struct answer_opts {
	size_t	 max_parts;		/* part budget */
	bool	 latin_for_latin;	/* Latin writers get GSM-7 Latin */
};

struct answer {
	struct route_result	 route;
	bool			 latin;	/* answered in Latin script */
	const char		*lang;	/* code, borrowed from the content */
	char			*text;	/* whole reply before cutting; owned */
	struct reply		 reply;	/* the parts to send */
};

/*
 * Answer msg (UTF-8, may be invalid) from content c through router r,
 * reading and updating the sender's session s (may be NULL): the
 * language chosen is remembered, STOP sets s->forget.  Fills *a, which
 * the caller releases with answer_release().  Returns 0, or -1 when
 * memory runs out.
 */
int	 answer_make(struct answer *a,		/* OUT */
	    const struct content *c,		/* the live content set */
	    const struct route *r,		/* its router */
	    const char *msg,			/* what the sender wrote */
	    struct session *s,			/* IN/OUT, or NULL */
	    const struct answer_opts *o)	/* budget, script rule */
	    __attribute__((warn_unused_result));

/*
 * The reply text of topic t in language lang with {menu} expanded, into
 * a new string the caller frees, or NULL when memory runs out.  With
 * latin, the topic's text.latin when it has one, else the text
 * transliterated: GSM-7 Latin either way.
 */
char	*answer_text(const struct content *c, const struct topic *t,
	    int lang, bool latin)
	    __attribute__((warn_unused_result));

void	 answer_release(struct answer *);

#endif
