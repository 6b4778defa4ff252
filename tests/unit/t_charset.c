/*
 * t_charset.c - unit tests for charset.c: the encoding a file that is
 * not UTF-8 was saved in, and Kazakh letters lost as "?".
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "charset.h"

/* "Паспорт бермеңіз" less ң, in Windows-1251 and KOI8-R. */
static const char cp1251[] = "title: \xcf\xe0\xf1\xef\xee\xf0\xf2\n"
    "text: \xe1\xe5\xf0\xec\xe5?\xb3\xe7\n";
static const char koi8r[] = "title: \xf0\xc1\xd3\xd0\xcf\xd2\xd4\n"
    "text: \xc2\xc5\xd2\xcd\xc5?\xa6\xda\n";

/* check data: -1, with advice that contains want, about line. */
static void
says(const char *data, size_t len, const char *want, int want_line)
{
	char	 why[CHARSET_MAX_ADVICE];
	int	 line = -1;

	assert_int_equal(charset_check(data, len, why, sizeof(why), &line),
	    -1);
	if (strstr(why, want) == NULL)
		fail_msg("\"%s\" not in \"%s\"", want, why);
	assert_int_equal(line, want_line);
	assert_non_null(strstr(why, "Encoding: UTF-8"));
}

static void
t_utf8(void **state)
{
	char	 why[CHARSET_MAX_ADVICE];
	int	 line = -1;

	(void)state;
	assert_int_equal(charset_check("", 0, why, sizeof(why), &line), 0);
	assert_int_equal(charset_check("\xef\xbb\xbfтіл: қазақша\n",
	    strlen("\xef\xbb\xbfтіл: қазақша\n"), why, sizeof(why), &line), 0);
	assert_int_equal(line, 0);
	/* a stray NUL is the parser's to report, at its line */
	assert_int_equal(charset_check("ab\0cd\n", 6, why, sizeof(why),
	    &line), 0);
}

static void
t_single_byte(void **state)
{
	(void)state;
	says(cp1251, sizeof(cp1251) - 1, "saved as Windows-1251", 0);
	says(koi8r, sizeof(koi8r) - 1, "saved as KOI8-R", 0);
	says(cp1251, sizeof(cp1251) - 1, "ә ғ қ ң ө ұ ү һ", 0);
}

static void
t_utf16(void **state)
{
	static const char le_bom[] = "\xff\xfei\0d\0:\0 \0\x1f\x04";
	static const char be_bom[] = "\xfe\xff\0i\0d";
	static const char le[] = "i\0d\0:\0 \0\x1f\x04\x30\x04\n\0";
	static const char be[] = "\0i\0d\0:\0 \x04\x1f\x04\x30\0\n";

	(void)state;
	says(le_bom, sizeof(le_bom) - 1, "saved as UTF-16 LE with a BOM", 0);
	says(be_bom, sizeof(be_bom) - 1, "saved as UTF-16 BE with a BOM", 0);
	says(le, sizeof(le) - 1, "saved as UTF-16 LE without a BOM", 0);
	says(be, sizeof(be) - 1, "saved as UTF-16 BE without a BOM", 0);
}

/* UTF-8 but for one line: that line is named. */
static void
t_utf8_but(void **state)
{
	static const char s[] = "[ru]\nтекст: паспорт\ncaf\xe9\nещё\n";

	(void)state;
	says(s, sizeof(s) - 1, "this line has characters that are not "
	    "UTF-8", 3);
}

static void
t_lost(void **state)
{
	char	 why[CHARSET_MAX_ADVICE];
	const char *s;

	(void)state;
	s = "text: Т?л??жатты бермеңіз.";
	assert_int_equal(charset_lost(s, strlen(s), why, sizeof(why)), -1);
	assert_non_null(strstr(why, "\"Т?л??жатты\": letters lost as \"?\""));
	s = "keywords: ?аза?стан, виза";
	assert_int_equal(charset_lost(s, strlen(s), why, sizeof(why)), -1);
	assert_non_null(strstr(why, "\"?аза?стан\""));
	/* questions are not lost letters */
	s = "text: Где паспорт? Звоните 111. What? Почему?";
	assert_int_equal(charset_lost(s, strlen(s), why, sizeof(why)), 0);
	s = "??? ?";
	assert_int_equal(charset_lost(s, strlen(s), why, sizeof(why)), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_utf8),
		cmocka_unit_test(t_single_byte),
		cmocka_unit_test(t_utf16),
		cmocka_unit_test(t_utf8_but),
		cmocka_unit_test(t_lost),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
