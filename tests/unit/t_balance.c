/*
 * t_balance.c - unit tests for balance.c: the SIM credit read out of the
 * answers Kazakh operators give to a balance USSD, in Russian, Kazakh
 * and Latin, with the built-in patterns and with configured ones.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "balance.h"

#define NONE	INT64_MIN	/* no amount expected */

struct answer_case {
	const char	*text;
	int64_t		 minor;
};

static void
check_cases(const struct balance *b, const struct answer_case *c, size_t n)
{
	size_t	 i;
	int64_t	 got;
	int	 rc;

	for (i = 0; i < n; i++) {
		got = NONE;
		rc = balance_parse(b, c[i].text, &got);
		if (c[i].minor == NONE) {
			if (rc != -1)
				fail_msg("'%s': expected no amount, got %lld",
				    c[i].text, (long long)got);
			continue;
		}
		if (rc != 0 || got != c[i].minor)
			fail_msg("'%s': expected %lld, got %lld (rc %d)",
			    c[i].text, (long long)c[i].minor,
			    (long long)got, rc);
	}
}

static void
t_builtin(void **state)
{
	static const struct answer_case cases[] = {
		/* Russian, as the operators word it. */
		{ "Баланс: 1 234,50 тг", 123450 },
		{ "Ваш баланс 1234.56 тг. Пополнить: *111#", 123456 },
		{ "Баланс 530,00 тенге. Бонус: 100 тг", 53000 },
		{ "Ваш баланс: 15 тг.\nПодключите услугу «Доверительный "
		    "платеж» *135#", 1500 },
		{ "Баланс: -45,30 тг. Пополните счет.", -4530 },
		{ "Остаток на счете 2 500 тг", 250000 },
		{ "На Вашем счете 0.00 KZT", 0 },
		{ "БАЛАНС 12 345 678,90 ТГ", 1234567890 },
		{ "Баланс:\xc2\xa0" "3\xc2\xa0" "400,5\xc2\xa0тг", 340050 },
		/* Kazakh. */
		{ "Теңгерім: 870 ₸", 87000 },
		{ "Сіздің балансыңыз: 1 500 теңге", 150000 },
		{ "Қалдық 99,99 тг", 9999 },
		{ "Шотыңызда 250 теңге бар", 25000 },
		/* Latin, on phones and modems without Cyrillic. */
		{ "Balans 1234.5 tg", 123450 },
		{ "Balance: 120.00 KZT. Top up *707#", 12000 },
		{ "Vash balans 77 tenge", 7700 },
		/* A tariff, a date or a time before the balance. */
		{ "Тариф «Ұнау» 1 990 тг/мес. Баланс: 450 тг", 45000 },
		{ "Баланс на 01.02.2025 12:30: 300 тг", 30000 },
		{ "Бонус 200 тг, баланс 900 тг", 90000 },
		/* No currency: a number after a balance word. */
		{ "Balans 42", 4200 },
		/* Nothing to read. */
		{ "Reply for *100#", NONE },
		{ "Сервис временно недоступен", NONE },
		{ "Запрос принят. Ожидайте SMS", NONE },
		{ "", NONE },
	};
	struct balance	*b;
	char		 err[128];

	(void)state;
	b = balance_new(NULL, err, sizeof(err));
	assert_non_null(b);
	check_cases(b, cases, sizeof(cases) / sizeof(cases[0]));
	balance_free(b);
}

static void
t_configured(void **state)
{
	static const struct answer_case plumbing[] = {
		/* What Gammu's dummy phone answers, for the e2e test. */
		{ "Reply for *100#", 10000 },
		{ "Reply for *102#", 10200 },
		{ "Баланс: 1 234,50 тг", NONE },
	};
	static const struct answer_case prefix[] = {
		/* An operator-specific pattern with one group. */
		{ "Sizdin esepshotynyzda: 1 234,50 KZT", 123450 },
		{ "esepshot 7", 700 },
		{ "Balans 1234.5 tg", NONE },
	};
	struct balance	*b;
	char		 err[128];

	(void)state;
	b = balance_new("for \\*([0-9]+)#", err, sizeof(err));
	assert_non_null(b);
	check_cases(b, plumbing, sizeof(plumbing) / sizeof(plumbing[0]));
	balance_free(b);

	b = balance_new("esepshot[^0-9]*([0-9][0-9 ]*(,[0-9]+)?)", err,
	    sizeof(err));
	assert_non_null(b);
	check_cases(b, prefix, sizeof(prefix) / sizeof(prefix[0]));
	balance_free(b);

	/* No group: the whole match is read. */
	b = balance_new("[0-9]+ tg", err, sizeof(err));
	assert_non_null(b);
	check_cases(b, (const struct answer_case[]){ { "x 5 tg", 500 } }, 1);
	balance_free(b);
}

static void
t_bad_pattern(void **state)
{
	char	 err[128];

	(void)state;
	assert_null(balance_new("(unclosed", err, sizeof(err)));
	assert_true(strlen(err) > 0);
	assert_null(balance_new("a{2,1}", err, sizeof(err)));
}

static void
t_amount(void **state)
{
	static const struct answer_case cases[] = {
		{ "500", 50000 },
		{ "0,5", 50 },
		{ "12.345", 1234500 },		/* three digits: thousands */
		{ "1,234.56", 123456 },
		{ "1 234 567", 123456700 },
		{ "1 23", 100 },		/* not a thousands group */
		{ "-0.01", -1 },
		{ "7.999", 799900 },
		{ "3.14159", 314 },		/* tiyn: two decimals */
		{ "abc", NONE },
		{ "-", NONE },
		{ "9999999999999999", NONE },	/* 16 digits */
	};
	size_t	 i;
	int64_t	 got;
	int	 rc;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rc = balance_amount(cases[i].text, strlen(cases[i].text),
		    &got);
		if (cases[i].minor == NONE)
			assert_int_equal(rc, -1);
		else {
			assert_int_equal(rc, 0);
			if (got != cases[i].minor)
				fail_msg("'%s': expected %lld, got %lld",
				    cases[i].text, (long long)cases[i].minor,
				    (long long)got);
		}
	}
}

static void
t_format(void **state)
{
	char	 buf[BALANCE_FMT_MAX];

	(void)state;
	assert_string_equal(balance_format(123450, buf, sizeof(buf)),
	    "1234.50");
	assert_string_equal(balance_format(-4530, buf, sizeof(buf)),
	    "-45.30");
	assert_string_equal(balance_format(5, buf, sizeof(buf)), "0.05");
	assert_string_equal(balance_format(INT64_MIN, buf, sizeof(buf)),
	    "-92233720368547758.08");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_builtin),
		cmocka_unit_test(t_configured),
		cmocka_unit_test(t_bad_pattern),
		cmocka_unit_test(t_amount),
		cmocka_unit_test(t_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
