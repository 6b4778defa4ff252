/*
 * guard.c - decide whether a reply may go out: never to a name or a
 * short code (they cannot read it, and an operator's promo answered by
 * an auto-reply is the classic loop that burns a SIM's credit), never
 * to a number on the deny list, at most `replies` per sender per
 * `window` seconds, and at most `daily_budget` SMS parts in a UTC day
 * (a USSD guard counts requests instead).  One guard per channel: the
 * counts of each channel are its own (store.c keys them by channel).
 *
 * This module only decides; the counts live in the database (store.c,
 * store_guard_take), keyed by pseudonym, because one database may serve
 * several daemons (one per modem) and the HTTP thread: a limit kept in
 * one process's memory would multiply with the processes, and would be
 * forgotten by a restart, which is exactly what a flood can cause.
 */
#include <stdlib.h>
#include <string.h>

#include "guard.h"
#include "phone.h"

struct guard {
	struct guard_limits	 l;
	char			**deny;		/* E.164, or as written */
	size_t			 ndeny;
};

struct guard *
guard_new(const struct guard_limits *l, char *const *deny, size_t ndeny)
{
	struct guard	*g;
	char		 e164[PHONE_MAX];
	size_t		 i;

	if ((g = calloc(1, sizeof(*g))) == NULL)
		return NULL;
	g->l = *l;
	if (ndeny > 0 && (g->deny = calloc(ndeny, sizeof(*g->deny))) ==
	    NULL) {
		free(g);
		return NULL;
	}
	for (i = 0; i < ndeny; i++) {
		if (phone_e164(e164, sizeof(e164), deny[i]) == 0)
			g->deny[i] = strdup(e164);
		else
			g->deny[i] = strdup(deny[i]);
		if (g->deny[i] == NULL) {
			g->ndeny = i;
			guard_free(g);
			return NULL;
		}
	}
	g->ndeny = ndeny;
	return g;
}

void
guard_free(struct guard *g)
{
	size_t	 i;

	if (g == NULL)
		return;
	for (i = 0; i < g->ndeny; i++)
		free(g->deny[i]);
	free(g->deny);
	free(g);
}

enum guard_verdict
guard_sender(const struct guard *g, const char *sender)
{
	char		 e164[PHONE_MAX];
	const char	*p;
	size_t		 i, digits = 0;

	if (sender == NULL || *sender == '\0')
		return GUARD_ALPHANUMERIC;
	if (phone_e164(e164, sizeof(e164), sender) == -1) {
		/* A letter anywhere makes a name (BEELINE, Kcell, 1414info). */
		for (p = sender; *p != '\0'; p++)
			if ((*p >= '0' && *p <= '9'))
				digits++;
			else if (*p != '+' && *p != ' ' && *p != '-' &&
			    *p != '(' && *p != ')' && *p != '.')
				return GUARD_ALPHANUMERIC;
		return digits == 0 ? GUARD_ALPHANUMERIC : GUARD_SHORT_CODE;
	}
	for (i = 0; g != NULL && i < g->ndeny; i++)
		if (strcmp(g->deny[i], e164) == 0)
			return GUARD_DENIED;
	return GUARD_OK;
}

enum guard_verdict
guard_count(const struct guard *g, int64_t sender_recent, int64_t day_spent,
    int64_t cost)
{
	if (g->l.daily_budget > 0 && day_spent + cost > g->l.daily_budget)
		return GUARD_BUDGET;
	if (g->l.replies > 0 && sender_recent >= g->l.replies)
		return GUARD_RATE;
	return GUARD_OK;
}

int64_t
guard_since(const struct guard *g, int64_t now)
{
	return now - g->l.window;
}

int64_t
guard_at(const struct guard *g, int64_t now)
{
	int64_t	 b = g->l.window / 10;

	if (b < 1)
		b = 1;
	if (b > 3600)
		b = 3600;
	return (now + b - 1) / b * b;
}

int
guard_counts(const struct guard *g)
{
	return g->l.replies > 0 || g->l.daily_budget > 0;
}

int64_t
guard_day(int64_t now)
{
	return now - ((now % 86400) + 86400) % 86400;
}

int
guard_allow(void *arg, int64_t sender_recent, int64_t day_spent,
    int64_t cost)
{
	return (int)guard_count(arg, sender_recent, day_spent, cost);
}

const char *
guard_strerror(enum guard_verdict v)
{
	switch (v) {
	case GUARD_OK:
		return "allowed";
	case GUARD_ALPHANUMERIC:
		return "alphanumeric sender";
	case GUARD_SHORT_CODE:
		return "short code";
	case GUARD_DENIED:
		return "sender on the deny list";
	case GUARD_RATE:
		return "sender over its reply rate";
	case GUARD_BUDGET:
		return "daily reply budget spent";
	case GUARD_FAILED:
		return "the guard's counts cannot be read";
	}
	return "unknown guard verdict";
}
