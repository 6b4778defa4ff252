/*
 * t_phone.c - unit tests for phone.c: what people and networks write
 * for a number, normalized to E.164 or refused, and the country of a
 * number's prefix.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "phone.h"

static void
t_e164(void **state)
{
	static const struct {
		const char	*raw;
		const char	*e164;	/* NULL: refused */
	} cases[] = {
		/* Kazakhstan and Russia, every national habit. */
		{ "8 701 123 45 67", "+77011234567" },
		{ "+7 (701) 123-45-67", "+77011234567" },
		{ "+7 701 123-45-67", "+77011234567" },
		{ "87011234567", "+77011234567" },
		{ "77011234567", "+77011234567" },
		{ "7011234567", "+77011234567" },
		{ "0077011234567", "+77011234567" },
		{ "+77011234567", "+77011234567" },
		{ "8(727)2-50-50-50", "+77272505050" },
		{ "8.701.123.45.67", "+77011234567" },
		{ "89161234567", "+79161234567" },
		{ "9161234567", "+79161234567" },
		{ "+7 916 123 45 67", "+79161234567" },
		{ "\t+7 701 1234567 ", "+77011234567" },
		/* Neighbours and origins. */
		{ "+996 555 123 456", "+996555123456" },
		{ "996555123456", "+996555123456" },
		{ "00996555123456", "+996555123456" },
		{ "998901234567", "+998901234567" },
		{ "+998 90 123 45 67", "+998901234567" },
		{ "992 93 123 4567", "+992931234567" },
		{ "+86 138 1234 5678", "+8613812345678" },
		{ "+1 (212) 555-1234", "+12125551234" },
		{ "8 10 996 555 123456", "+996555123456" },
		{ "+290 1234", "+2901234" },
		{ "+123456789012345", "+123456789012345" },
		/* Alphanumeric senders. */
		{ "KCELL", NULL },
		{ "Beeline", NULL },
		{ "Tele2", NULL },
		{ "7701x234567", NULL },
		{ "+7 701 123 45 67 ext", NULL },
		/* Short codes. */
		{ "1414", NULL },
		{ "112", NULL },
		{ "0500", NULL },
		{ "+1414", NULL },
		{ "123456789", NULL },
		{ "4951234567", NULL },	/* 10 digits, not 7 or 9 */
		{ "0701234567", NULL },
		/* Nothing, or too much. */
		{ "", NULL },
		{ "+", NULL },
		{ " - ", NULL },
		{ "00", NULL },
		{ "12345678901234567890", NULL },
		{ "+1234567890123456", NULL },
		{ "0012345678901234567", NULL },
		{ "+07011234567", NULL },
		{ "++77011234567", NULL },
		{ "7701+1234567", NULL },
		{ "*100#", NULL },
	};
	char	dst[PHONE_MAX];
	size_t	i;
	int	rv;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(dst, 'X', sizeof(dst));
		rv = phone_e164(dst, sizeof(dst), cases[i].raw);
		if (cases[i].e164 == NULL) {
			if (rv != -1)
				print_error("'%s' gave '%s'\n", cases[i].raw,
				    dst);
			assert_int_equal(rv, -1);
			assert_string_equal(dst, "");
		} else {
			if (rv != 0)
				print_error("'%s' refused\n", cases[i].raw);
			assert_int_equal(rv, 0);
			assert_string_equal(dst, cases[i].e164);
		}
	}
}

static void
t_e164_dst(void **state)
{
	char	dst[PHONE_MAX];

	(void)state;
	assert_int_equal(phone_e164(dst, sizeof(dst), NULL), -1);
	assert_int_equal(phone_e164(NULL, 0, "87011234567"), -1);
	assert_int_equal(phone_e164(dst, 0, "87011234567"), -1);
	/* "+77011234567" needs 13 bytes. */
	assert_int_equal(phone_e164(dst, 12, "87011234567"), -1);
	assert_string_equal(dst, "");
	assert_int_equal(phone_e164(dst, 13, "87011234567"), 0);
	assert_string_equal(dst, "+77011234567");
	/* Normalizing twice changes nothing. */
	assert_int_equal(phone_e164(dst, sizeof(dst), dst), 0);
	assert_string_equal(dst, "+77011234567");
}

static void
t_country(void **state)
{
	static const struct {
		const char	*e164;
		const char	*iso;
	} cases[] = {
		{ "+77011234567", "KZ" },
		{ "+77272505050", "KZ" },
		{ "+76001234567", "KZ" },
		{ "+79161234567", "RU" },
		{ "+74951234567", "RU" },
		{ "+73432123456", "RU" },
		{ "+7", "RU" },
		{ "+996555123456", "KG" },
		{ "+998901234567", "UZ" },
		{ "+992931234567", "TJ" },
		{ "+993651234567", "TM" },
		{ "+994501234567", "AZ" },
		{ "+995551234567", "GE" },
		{ "+37491123456", "AM" },
		{ "+375291234567", "BY" },
		{ "+37369123456", "MD" },
		{ "+380501234567", "UA" },
		{ "+8613812345678", "CN" },
		{ "+905321234567", "TR" },
		{ "+12125551234", "US" },
		{ "+447911123456", "GB" },
		{ "+4915123456789", "DE" },
		{ "+919812345678", "IN" },
		{ "+93701234567", "AF" },
		{ "+97699123456", "MN" },
		{ "+2901234", "ZZ" },
		{ "+999123456789", "ZZ" },
		{ "+", "ZZ" },
		{ "", "ZZ" },
		{ "77011234567", "ZZ" },
		{ "KCELL", "ZZ" },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (strcmp(phone_country(cases[i].e164), cases[i].iso) != 0)
			print_error("'%s'\n", cases[i].e164);
		assert_string_equal(phone_country(cases[i].e164),
		    cases[i].iso);
	}
	assert_string_equal(phone_country(NULL), "ZZ");
}

/* What phone_e164() makes, phone_country() places. */
static void
t_together(void **state)
{
	char	dst[PHONE_MAX];

	(void)state;
	assert_int_equal(phone_e164(dst, sizeof(dst), "8 701 123 45 67"), 0);
	assert_string_equal(phone_country(dst), "KZ");
	assert_int_equal(phone_e164(dst, sizeof(dst), "8 916 123 45 67"), 0);
	assert_string_equal(phone_country(dst), "RU");
	assert_int_equal(phone_e164(dst, sizeof(dst), "00996555123456"), 0);
	assert_string_equal(phone_country(dst), "KG");
}

/*
 * A number inside a sentence, written the ways phone_e164() reads: where
 * it starts and how long it is, the fillers around it left out; a sum,
 * a short code or a number glued to letters is none.
 */
static void
t_number_in(void **state)
{
	static const struct {
		const char	*s, *e164, *run;
	} cases[] = {
		{ "этот номер 8.701.555.12.12 настоящий?", "+77015551212",
		    "8.701.555.12.12" },
		{ "звонили с +7 (701) 555-12-12, это они?", "+77015551212",
		    "+7 (701) 555-12-12" },
		{ "номер 8/701/555/12/12 это агентство?", "+77015551212",
		    "8/701/555/12/12" },
		{ "в 2026 просят 500 и 25 тысяч", NULL, NULL },
		{ "приехал 12/05/2026, а 05.06.2026 уже выгнали", NULL, NULL },
		{ "скорая 103 не едет", NULL, NULL },
		{ "код 12345 и 8 777 000 11 22", "+77770001122",
		    "8 777 000 11 22" },
	};
	char	 e164[PHONE_MAX];
	size_t	 i, at, len;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].e164 == NULL) {
			assert_int_equal(phone_number_in(cases[i].s, e164,
			    sizeof(e164), &at, &len), -1);
			continue;
		}
		assert_int_equal(phone_number_in(cases[i].s, e164,
		    sizeof(e164), &at, &len), 0);
		assert_string_equal(e164, cases[i].e164);
		assert_int_equal(len, strlen(cases[i].run));
		assert_memory_equal(cases[i].s + at, cases[i].run, len);
	}
	assert_int_equal(phone_number_in("8 701 555 12 12", e164,
	    sizeof(e164), NULL, NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_e164),
		cmocka_unit_test(t_e164_dst),
		cmocka_unit_test(t_country),
		cmocka_unit_test(t_together),
		cmocka_unit_test(t_number_in),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
