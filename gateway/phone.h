/*
 * phone.h - phone numbers: normalize to E.164, tell sender kinds apart,
 * map a number to the country of its prefix.  No I/O.
 */
#ifndef HABAR_PHONE_H
#define HABAR_PHONE_H

#include <stdbool.h>
#include <stddef.h>

#define PHONE_MAX	32	/* "+" and up to 15 digits, with room */

/*
 * Normalize what a network or a person gives (+7 701 123-45-67,
 * 87011234567, 0079..., 996...) to E.164 in dst.  Returns 0, or -1 when
 * raw is not a dialable number (alphanumeric sender, short code).
 */
int		 phone_e164(char *dst, size_t dstsz, const char *raw)
		    __attribute__((warn_unused_result));

/*
 * The first phone number written inside s ("этот номер 8.701.555-12-12
 * настоящий?"): a run of digits, an optional leading '+', and what
 * people type between digit groups (space, tab, '-', '.', '/', brackets), of
 * at least 7 digits, that phone_e164() takes: its E.164 into e164, and,
 * when at is not NULL, where the run starts in s and how long it is into
 * *at and *len.  Returns 0, or -1 when there is none.
 */
int		 phone_number_in(const char *s, char *e164, size_t e164sz,
		    size_t *at, size_t *len);

/* ISO 3166 alpha-2 of an E.164 number's prefix (KZ vs RU inside +7), "ZZ". */
const char	*phone_country(const char *e164);

#endif
