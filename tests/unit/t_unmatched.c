/*
 * t_unmatched.c - unit tests for unmatched.c: what is kept of an
 * unanswered query is folded words, never a number, a word with a
 * digit, an address, or a name after a name marker.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "unmatched.h"

/* The words kept of msg, joined by spaces. */
static const char *
kept(const char *msg)
{
	static char		 buf[512];
	struct unmatched	 u;
	size_t			 i, len = 0;

	buf[0] = '\0';
	unmatched_words(&u, msg);
	for (i = 0; i < u.n; i++) {
		assert_ptr_equal(u.list[i], u.word[i]);
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
		    i > 0 ? " " : "", u.word[i]);
	}
	return buf;
}

static void
test_plain(void **state)
{
	(void)state;
	assert_string_equal(kept("визаран"), "vizaran");
	assert_string_equal(kept("Визаран, ВИЗАРАН!! визаран"), "vizaran");
	assert_string_equal(kept(""), "");
	assert_string_equal(kept("и"), "");	/* one letter says nothing */
}

static void
test_numbers(void **state)
{
	(void)state;
	assert_string_equal(kept("позвоните 87011234567 визаран"),
	    "pozvonite vizaran");
	assert_string_equal(kept("+7 701 123 45 67"), "");
	assert_string_equal(kept("8-701-123-45-67 помогите"), "pomogite");
	/* Folding reads 4 and 3 as letters: the raw word goes first. */
	assert_string_equal(kept("a4b3 tel87011234567 N12345 ИИН850101300123"),
	    "");
	assert_string_equal(kept("пишите aigerim@mail.kz www.site.kz "
	    "http://x.kz работа"), "pishite rabota");
	assert_string_equal(kept("１２３ помощь"), "pomosh");
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(kept("меня зовут Айгерим, визаран"), "");
	assert_string_equal(kept("Здравствуйте меня зовут Айгерим Сапарова "
	    "нужна помощь"), "zdravstvuite nujna pomosh");
	/* Two words go after a name marker: a surname may follow. */
	assert_string_equal(kept("менің атым Асан көмек"), "menin");
	assert_string_equal(kept("Мен Айгүлмін жұмыс"), "iumis");
	assert_string_equal(kept("my name is John Smith help"), "help");
	assert_string_equal(kept("моя фамилия Иванов"), "moia");
	/* No word of the name survives anywhere in the kept words. */
	assert_null(strstr(kept("зовут Айгерим"), "aiger"));
}

static void
test_limits(void **state)
{
	struct unmatched	 u;

	(void)state;
	assert_int_equal(unmatched_words(&u, "один два три четыре пять шесть "
	    "семь восемь девять десять"), UNMATCHED_MAX);
	assert_int_equal(unmatched_words(&u, NULL), 0);
	/* A word too long to be a keyword is dropped, not cut. */
	assert_string_equal(kept("непереводимостьювзаимоотношениями"
	    "переговорщиков ок"), "ok");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
