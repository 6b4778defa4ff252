/*
 * balance.c - the SIM credit in an operator's USSD answer.
 *
 * Patterns are POSIX extended regular expressions over the answer's
 * UTF-8 bytes.  habard runs in the C locale, where a bracket expression
 * is a set of bytes, so the built-in patterns spell Cyrillic letters as
 * alternations ("(Б|б)аланс"), never inside brackets.  POSIX matching
 * is leftmost-longest and has no lazy repetition, so instead of one
 * alternation the built-ins are tried in order, most specific first:
 * a balance word followed by an amount with its currency, then any
 * amount with a currency (a date or time before it is skipped), then a
 * balance word followed by a bare number.
 */
#include <sys/types.h>

#include <regex.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "balance.h"

#define BALANCE_PATTERNS	3
#define BALANCE_DIGITS		15	/* whole digits; beyond: refused */

/* What stands between thousands: space, no-break, narrow and thin. */
#define B_SEP	"( |\xc2\xa0|\xe2\x80\xaf|\xe2\x80\x89)"
#define B_NUM	"(-?[0-9]+(" B_SEP "[0-9]{3})*([.,][0-9]+)?)"
#define B_WORD	"((Б|б)аланс|БАЛАНС|(B|b)alan(s|ce)|BALAN(S|CE)" \
		"|(Т|т)еңгерім|ТЕҢГЕРІМ|(Қ|қ)алдық|ҚАЛДЫҚ|(О|о)статок|ОСТАТОК" \
		"|(С|с)чет|(С|с)чёт|(Ш|ш)от|(Д|д)оступно|(Q|q)aldyq|(O|o)statok)"
#define B_CUR	"(тг|Тг|ТГ|тенге|Тенге|ТЕНГЕ|теңге|Теңге|ТЕҢГЕ|₸|KZT|kzt" \
		"|tg|Tg|TG|tenge|Tenge|руб|RUB|сом|сўм)"
#define B_GAP	"[^0-9-]{0,80}"
#define B_SP	"( |\xc2\xa0)?"

static const char *const balance_builtin[BALANCE_PATTERNS] = {
	B_WORD B_GAP B_NUM B_SP B_CUR,
	B_NUM B_SP B_CUR,
	B_WORD B_GAP B_NUM
};

struct balance {
	regex_t	 re[BALANCE_PATTERNS];
	size_t	 nre;
};

struct balance *
balance_new(const char *pattern, char *err, size_t errsz)
{
	struct balance	*b;
	size_t		 i, n;
	int		 rc;

	if (errsz > 0)
		err[0] = '\0';
	if ((b = calloc(1, sizeof(*b))) == NULL) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	n = pattern != NULL ? 1 : BALANCE_PATTERNS;
	for (i = 0; i < n; i++) {
		rc = regcomp(&b->re[i], pattern != NULL ? pattern :
		    balance_builtin[i], REG_EXTENDED);
		if (rc != 0) {
			regerror(rc, &b->re[i], err, errsz);
			balance_free(b);
			return NULL;
		}
		b->nre++;
	}
	return b;
}

void
balance_free(struct balance *b)
{
	size_t	 i;

	if (b == NULL)
		return;
	for (i = 0; i < b->nre; i++)
		regfree(&b->re[i]);
	free(b);
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Length of the thousands separator at s[0..len), or 0. */
static size_t
sep_len(const char *s, size_t len)
{
	static const char *const seps[] = {
		" ", "\xc2\xa0", "\xe2\x80\xaf", "\xe2\x80\x89"
	};
	size_t	 i, n;

	for (i = 0; i < sizeof(seps) / sizeof(seps[0]); i++) {
		n = strlen(seps[i]);
		if (n <= len && memcmp(s, seps[i], n) == 0)
			return n;
	}
	return 0;
}

/* Whether s[0..len) starts with exactly three digits. */
static bool
three_digits(const char *s, size_t len)
{
	return len >= 3 && is_digit(s[0]) && is_digit(s[1]) &&
	    is_digit(s[2]) && (len == 3 || !is_digit(s[3]));
}

int
balance_amount(const char *s, size_t len, int64_t *minor)
{
	const char	*end = s + len;
	int64_t		 whole = 0, frac = 0;
	size_t		 k, ndig = 0;
	bool		 neg = false;

	while (s < end && !is_digit(*s) &&
	    !(*s == '-' && s + 1 < end && is_digit(s[1])))
		s++;
	if (s < end && *s == '-') {
		neg = true;
		s++;
	}
	if (s >= end || !is_digit(*s))
		return -1;
	for (;;) {
		while (s < end && is_digit(*s)) {
			if (++ndig > BALANCE_DIGITS)
				return -1;
			whole = whole * 10 + (*s++ - '0');
		}
		/* "1 234", "1 234 567"; "1.234" and "1,234" too. */
		if ((k = sep_len(s, end - s)) > 0 &&
		    three_digits(s + k, end - s - k)) {
			s += k;
			continue;
		}
		if (s < end && (*s == '.' || *s == ',') &&
		    three_digits(s + 1, end - s - 1)) {
			s++;
			continue;
		}
		break;
	}
	/* At most two decimals count: tiyn. */
	if (s + 1 < end && (*s == '.' || *s == ',') && is_digit(s[1])) {
		s++;
		frac = (*s++ - '0') * 10;
		if (s < end && is_digit(*s))
			frac += *s - '0';
	}
	*minor = whole * 100 + frac;
	if (neg)
		*minor = -*minor;
	return 0;
}

/* The amount matched by re in text, or -1. */
static int
balance_match(const regex_t *re, const char *text, int64_t *minor)
{
	regmatch_t	 m[32];
	size_t		 i, n = sizeof(m) / sizeof(m[0]);
	const char	*p;

	if (regexec(re, text, n, m, 0) != 0)
		return -1;
	if (n > re->re_nsub + 1)
		n = re->re_nsub + 1;
	for (i = 1; i < n; i++) {
		if (m[i].rm_so < 0 || m[i].rm_eo <= m[i].rm_so)
			continue;
		p = text + m[i].rm_so;
		if (is_digit(p[0]) || (p[0] == '-' &&
		    m[i].rm_eo - m[i].rm_so > 1 && is_digit(p[1])))
			return balance_amount(p, m[i].rm_eo - m[i].rm_so,
			    minor);
	}
	return balance_amount(text + m[0].rm_so, m[0].rm_eo - m[0].rm_so,
	    minor);
}

int
balance_parse(const struct balance *b, const char *text, int64_t *minor)
{
	size_t	 i;

	for (i = 0; i < b->nre; i++)
		if (balance_match(&b->re[i], text, minor) == 0)
			return 0;
	return -1;
}

char *
balance_format(int64_t minor, char *buf, size_t bufsz)
{
	uint64_t	 u = minor < 0 ? -(uint64_t)minor : (uint64_t)minor;

	snprintf(buf, bufsz, "%s%llu.%02llu", minor < 0 ? "-" : "",
	    (unsigned long long)(u / 100), (unsigned long long)(u % 100));
	return buf;
}
