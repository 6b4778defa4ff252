/*
 * phone.c - turn what a network or a person writes for a phone number
 * into E.164, and tell which country a number belongs to.
 *
 * Kazakhstan and Russia share +7 and the same national habits: a trunk
 * "8" (8 701 ...), the country code written without "+" (7 701 ...), or
 * ten digits with nothing in front (701 ...).  Anything with a letter is
 * an alphanumeric sender and anything shorter than a subscriber number
 * is a short code; neither can be answered, so both are refused.
 */
#include <stddef.h>
#include <string.h>

#include "phone.h"

#define E164_MIN_INTL	7	/* digits after "+" or "00" (+290 XXXX) */
#define E164_MAX	15	/* digits, ITU-T E.164 */
#define DIGITS_MAX	(E164_MAX + 3)	/* "810" or "00" in front */

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

/* Country codes, and the two +7 zones Kazakhstan holds. */
static const struct {
	const char	*prefix;	/* digits after "+" */
	const char	*iso;
} countries[] = {
	{ "1", "US" },	{ "7", "RU" },	{ "76", "KZ" },	{ "77", "KZ" },
	{ "20", "EG" },	{ "27", "ZA" },	{ "30", "GR" },	{ "31", "NL" },
	{ "32", "BE" },	{ "33", "FR" },	{ "34", "ES" },	{ "36", "HU" },
	{ "39", "IT" },	{ "40", "RO" },	{ "41", "CH" },	{ "43", "AT" },
	{ "44", "GB" },	{ "45", "DK" },	{ "46", "SE" },	{ "47", "NO" },
	{ "48", "PL" },	{ "49", "DE" },	{ "52", "MX" },	{ "55", "BR" },
	{ "60", "MY" },	{ "61", "AU" },	{ "62", "ID" },	{ "63", "PH" },
	{ "64", "NZ" },	{ "65", "SG" },	{ "66", "TH" },	{ "81", "JP" },
	{ "82", "KR" },	{ "84", "VN" },	{ "86", "CN" },	{ "90", "TR" },
	{ "91", "IN" },	{ "92", "PK" },	{ "93", "AF" },	{ "94", "LK" },
	{ "95", "MM" },	{ "98", "IR" },
	{ "212", "MA" }, { "234", "NG" }, { "251", "ET" }, { "254", "KE" },
	{ "351", "PT" }, { "353", "IE" }, { "358", "FI" }, { "359", "BG" },
	{ "370", "LT" }, { "371", "LV" }, { "372", "EE" }, { "373", "MD" },
	{ "374", "AM" }, { "375", "BY" }, { "380", "UA" }, { "381", "RS" },
	{ "420", "CZ" }, { "421", "SK" }, { "852", "HK" }, { "880", "BD" },
	{ "886", "TW" }, { "961", "LB" }, { "962", "JO" }, { "963", "SY" },
	{ "964", "IQ" }, { "965", "KW" }, { "966", "SA" }, { "968", "OM" },
	{ "971", "AE" }, { "972", "IL" }, { "973", "BH" }, { "974", "QA" },
	{ "976", "MN" }, { "977", "NP" }, { "992", "TJ" }, { "993", "TM" },
	{ "994", "AZ" }, { "995", "GE" }, { "996", "KG" }, { "998", "UZ" }
};

/* Characters people put between digits. */
static int
is_filler(char c)
{
	return c == ' ' || c == '\t' || c == '-' || c == '.' || c == '/' ||
	    c == '(' || c == ')';
}

/*
 * Write "+", cc (may be empty) and digits[0..n) to dst.  Returns 0, or
 * -1 when the result is no E.164 number or does not fit dst.
 */
static int
put(char *dst, size_t dstsz, const char *cc, const char *digits, size_t n)
{
	size_t	ccn = strlen(cc);

	if (ccn + n > E164_MAX || ccn + n < E164_MIN_INTL)
		return -1;
	if ((ccn > 0 ? cc[0] : digits[0]) == '0')
		return -1;	/* no country code starts with 0 */
	if (1 + ccn + n + 1 > dstsz)
		return -1;
	dst[0] = '+';
	memcpy(dst + 1, cc, ccn);
	memcpy(dst + 1 + ccn, digits, n);
	dst[1 + ccn + n] = '\0';
	return 0;
}

/*
 * Rules, on the digits once fillers are gone: "+" or "00" start an
 * international number; so does the old Soviet "8 10" when what follows
 * is not an 11-digit national number.  Eleven digits starting 8 or 7,
 * and ten starting 7 or 9, are +7.  Any other 11 to 15 digits are taken
 * to start with their country code.
 */
int
phone_e164(char *dst, size_t dstsz, const char *raw)
{
	char	 d[DIGITS_MAX + 1];
	size_t	 n = 0;
	int	 plus = 0;
	int	 rv = -1;

	if (dst == NULL || dstsz == 0)
		return -1;
	if (raw == NULL)
		goto out;
	/* raw may be dst itself: read all of it before writing. */
	for (; *raw != '\0'; raw++) {
		if (*raw >= '0' && *raw <= '9') {
			if (n == DIGITS_MAX)
				goto out;	/* too long to be a number */
			d[n++] = *raw;
		} else if (*raw == '+' && n == 0 && !plus)
			plus = 1;
		else if (!is_filler(*raw))
			goto out;	/* letters: alphanumeric sender */
	}
	d[n] = '\0';

	if (plus)
		rv = put(dst, dstsz, "", d, n);
	else if (n >= 2 && d[0] == '0' && d[1] == '0')
		rv = put(dst, dstsz, "", d + 2, n - 2);
	else if (n == 11 && d[0] == '8')
		rv = put(dst, dstsz, "7", d + 1, n - 1);
	else if (n == 11 && d[0] == '7')
		rv = put(dst, dstsz, "", d, n);
	else if (n == 10 && (d[0] == '7' || d[0] == '9'))
		rv = put(dst, dstsz, "7", d, n);
	else if (n > 11 && strncmp(d, "810", 3) == 0)
		rv = put(dst, dstsz, "", d + 3, n - 3);
	else if (n >= 11 && n <= E164_MAX)
		rv = put(dst, dstsz, "", d, n);
out:
	if (rv == -1)
		dst[0] = '\0';
	return rv;
}

int
phone_number_in(const char *s, char *e164, size_t e164sz, size_t *at,
    size_t *len)
{
	char		 run[64];
	const char	*p = s, *q;
	size_t		 n, digits;

	for (; *p != '\0'; p++) {
		if (!(*p == '+' || (*p >= '0' && *p <= '9')))
			continue;
		/* inside a run already tried */
		if (p > s && ((p[-1] >= '0' && p[-1] <= '9') || p[-1] == '+'))
			continue;
		digits = 0;
		for (q = p + (*p == '+'); *q != '\0' &&
		    ((*q >= '0' && *q <= '9') || is_filler(*q)); q++)
			if (*q >= '0' && *q <= '9')
				digits++;
		while (q > p && is_filler(q[-1]))
			q--;
		n = (size_t)(q - p);
		if (digits < 7 || n >= sizeof(run))
			continue;
		memcpy(run, p, n);
		run[n] = '\0';
		if (phone_e164(e164, e164sz, run) == 0) {
			if (at != NULL) {
				*at = (size_t)(p - s);
				*len = n;
			}
			return 0;
		}
	}
	return -1;
}

const char *
phone_country(const char *e164)
{
	const char	*iso = "ZZ", *p, *q;
	size_t		 i, best = 0;

	if (e164 == NULL || e164[0] != '+')
		return iso;
	e164++;
	/* Most prefixes differ in their first digit: no strlen() each. */
	for (i = 0; i < nitems(countries); i++) {
		if (countries[i].prefix[0] != e164[0])
			continue;
		for (p = countries[i].prefix, q = e164; *p != '\0' &&
		    *p == *q; p++, q++)
			;
		if (*p == '\0' && (size_t)(p - countries[i].prefix) > best) {
			best = p - countries[i].prefix;
			iso = countries[i].iso;
		}
	}
	return iso;
}
