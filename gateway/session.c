/*
 * session.c - the per-sender state's small helpers.  What the state
 * means is decided in answer.c; where it lives, in store.c (the row
 * holds a struct session).
 */
#include <stddef.h>
#include <string.h>

#include "session.h"

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
