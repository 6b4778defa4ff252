/*
 * balance.h - read the SIM's credit out of an operator's USSD answer
 * ("Баланс: 1 234,50 тг", "Balans 1234.5 tg", "Теңгерім: 870 ₸") with
 * POSIX extended regular expressions.  No I/O.
 */
#ifndef HABAR_BALANCE_H
#define HABAR_BALANCE_H

#include <stddef.h>
#include <stdint.h>

#define BALANCE_FMT_MAX	32	/* "-123456789012345.67" and NUL */

struct balance;

/*
 * Compile pattern (POSIX extended, matched against the UTF-8 bytes of
 * the answer), or the built-in patterns for Kazakh operators' answers
 * in Russian, Kazakh and Latin when pattern is NULL.  The amount is the
 * first parenthesized subexpression whose match starts with a digit or
 * a minus sign, else the whole match.  Returns NULL with the reason in
 * err (errsz bytes).  Free with balance_free().
 */
struct balance	*balance_new(const char *pattern, char *err, size_t errsz)
		    __attribute__((warn_unused_result));

/*
 * The amount in text, in hundredths of the currency unit (tiyn), into
 * *minor.  Spaces and no-break spaces between thousands, a decimal
 * comma or point and a leading minus are understood.  Returns 0, or -1
 * when no pattern matches.
 */
int		 balance_parse(const struct balance *, const char *text,
		    int64_t *minor)
		    __attribute__((warn_unused_result));

/*
 * Read a number as written in an answer or a setting ("1 234,50",
 * "-15.2", "500") from s[0..len) into *minor.  Returns 0 or -1.
 */
int		 balance_amount(const char *s, size_t len, int64_t *minor)
		    __attribute__((warn_unused_result));

/* minor as "1234.50" into buf; returns buf. */
char		*balance_format(int64_t minor, char *buf, size_t bufsz);

void		 balance_free(struct balance *);

#endif
