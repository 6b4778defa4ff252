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
#define ANSWER_MAX_MATCH	(8 + ROUTE_TOP * 64)	/* "unsure:a,b,c" */

struct answer_opts {
	size_t	 max_parts;		/* part budget */
	bool	 latin_for_latin;	/* Latin writers get GSM-7 Latin */
};

struct answer {
	struct route_result	 route;
	bool			 latin;	/* answered in Latin script */
	const char		*lang;	/* code, borrowed from the content */
	char			*text;	/* page sent, hint included; owned */
	struct reply		 reply;	/* the parts to send */
	int			 page;	/* which page of the text, 0 first */
	bool			 more;	/* pages follow: MORE sends the next */
	/*
	 * A check against the lists (route.topic is "check"): the outcome
	 * "reported", "licensed", "similar" or "unknown", else NULL; and
	 * the id of the listed entry it found (also an expired one, not a
	 * look-alike), else NULL, for the per-entry counter.  What was checked is kept nowhere, and
	 * route.folded is emptied.  Both borrowed from the content.
	 */
	const char		*check;
	const char		*checked;
	/*
	 * Asking back, for the demand log (never the text): "unsure:" and
	 * the topic ids offered ("unsure:fraud,work"), or, when a digit
	 * then picked one (route.topic), "chosen:" and the ids offered;
	 * else "".
	 */
	char			 asked[ANSWER_MAX_MATCH];
};

/* USSD screen limits: GSM-7 septets, else UTF-16 units (UCS-2). */
struct answer_ussd_opts {
	size_t	 page_chars;		/* default 182 */
	size_t	 ucs2_page_chars;	/* default 80 */
};

/* One USSD screen. */
struct answer_ussd {
	char			*text;	/* without "CON "/"END "; owned */
	bool			 end;	/* the last screen: END, else CON */
	const struct topic	*topic;	/* for the demand log; borrowed */
	int			 lang;	/* language index shown */
	const char		*match;	/* "menu", or "none": a bad choice;
					 * a check's outcome */
	const char		*checked; /* as in struct answer; only on
					 * the request that made the check */
};

/*
 * Answer msg (UTF-8, may be invalid) from content c through router r,
 * reading and updating the sender's session s (may be NULL): the
 * language chosen is remembered, a digit picks from s->menu (the root
 * without one; the topics offered when the router was unsure, which
 * answers with the "choose" topic's question and the 2 or 3 topics
 * numbered, in one SMS, and keeps them in s->menu as "?id,id"), MORE sends page s->page of s->topic in the language
 * s->lang and the script s->latin of the pages before it, whatever
 * script MORE is written in, STOP sets s->forget.  A text longer than
 * the budget is sent a page at a time.
 * Fills *a, which the caller releases with answer_release().  Returns 0,
 * or -1 when memory runs out.
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
 * transliterated: GSM-7 Latin either way.  In the answers to a check,
 * {name} and {date} are those of the longest listed name of the kind,
 * so measuring this text measures the dearest reply.
 */
char	*answer_text(const struct content *c, const struct topic *t,
	    int lang, bool latin)
	    __attribute__((warn_unused_result));

/*
 * The demand log's match: a check's outcome, a question back or the
 * pick that answered it (asked), else how it was routed.
 */
const char *answer_match(const struct answer *);

void	 answer_release(struct answer *);

/*
 * The USSD screen at the end of path, the choices so far separated by
 * '*' ("" at first), replayed from the root menu in language lang:
 * N picks from the menu shown, 0 goes back (at the root: the next
 * language), 00 home, 99 the next page; anything else shows the same
 * screen again, except at the "check" prompt, where it is the number
 * or name to check.  A text's last page ends the session.  Fills *u, which
 * the caller releases with answer_ussd_release().  Returns 0, or -1
 * when memory runs out.
 */
int	 answer_ussd(struct answer_ussd *u,		/* OUT */
	    const struct content *c,			/* the live content */
	    const char *path,				/* "1*99*0" */
	    int lang,					/* language index */
	    const struct answer_ussd_opts *o)		/* screen limits */
	    __attribute__((warn_unused_result));

/* Does a screen fit the USSD limits? */
bool	 answer_ussd_fits(const char *screen, const struct answer_ussd_opts *);

void	 answer_ussd_release(struct answer_ussd *);

#endif
