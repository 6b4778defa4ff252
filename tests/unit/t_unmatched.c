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

#include "content.h"
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
	/* Three words go after a name marker: a name may have three. */
	assert_string_equal(kept("Здравствуйте меня зовут Айгерим Сапарова "
	    "нужна помощь"), "zdravstvuite pomosh");
	assert_string_equal(kept("менің атым Асан көмек керек жұмыс"),
	    "menin iumis");
	assert_string_equal(kept("Мен Айгүлмін жұмыс"), "");
	assert_string_equal(kept("my name is John Smith help"), "");
	assert_string_equal(kept("моя фамилия Иванов"), "moia");
	/* No word of the name survives anywhere in the kept words. */
	assert_null(strstr(kept("зовут Айгерим"), "aiger"));
}

/*
 * What an outside review found kept (issue 14): none of these words may
 * be stored, whatever else is.
 */
static void
test_review(void **state)
{
	static const struct {
		const char	*msg;
		const char	*never[4];
	} cases[] = {
		{ "Меня зовут Айгуль Сапаровна Ахметова",
		    { "aigul", "saparovna", "ahmetova" } },
		{ "Я Асанбек Жумабаев", { "asanbek", "jumabaev" } },
		{ "это Гульнара Касымова", { "gulnara", "kasimova" } },
		{ "Здравствуйте, я Асанбек Жумабаев, что делать",
		    { "asanbek", "jumabaev" } },
		{ "Менің атым Айгүл Сапарқызы Ахметова",
		    { "aigul", "saparkizi", "ahmetova" } },
		{ "Бұл Асан Жұмабаев", { "asan", "jumabaev" } },
		{ "мен Асан Жұмабаев", { "asan", "jumabaev" } },
		{ "ФИО Ахметова Айгуль Сапаровна",
		    { "ahmetova", "aigul", "saparovna" } },
		{ "восемь семьсот один два три четыре пять шесть семь",
		    { "vosem", "semsot", "odin", "piat" } },
		{ "мой номер восемь семь ноль один", { "vosem", "sem", "nol",
		    "odin" } },
		{ "сегіз жеті жүз бір екі үш", { "segiz", "jeti", "bir",
		    "ush" } },
		{ "eight seven zero one", { "eight", "seven", "zero" } },
		{ "aigul точка ahmetova собака mail", { "aigul", "ahmetova",
		    "mail", "tochka" } },
		{ "пишите aigul точка ahmetova собака gmail точка com",
		    { "aigul", "ahmetova", "gmail", "com" } },
		{ "aigul dot ahmetova at gmail dot com", { "aigul",
		    "ahmetova", "gmail", "com" } },
	};
	size_t		 i, j;
	const char	*k;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		k = kept(cases[i].msg);
		for (j = 0; j < 4 && cases[i].never[j] != NULL; j++)
			if (strstr(k, cases[i].never[j]) != NULL) {
				print_message("'%s' kept '%s' in [%s]\n",
				    cases[i].msg, cases[i].never[j], k);
				fail();
			}
	}
	/* A question with no name or number keeps its words. */
	assert_string_equal(kept("где купить патент на работу"),
	    "gde kupit patent na rabotu");
}

static void
test_limits(void **state)
{
	struct unmatched	 u;

	(void)state;
	assert_int_equal(unmatched_words(&u, "виза паспорт патент работа "
	    "регистрация штраф депортация долг зарплата"), UNMATCHED_MAX);
	assert_int_equal(unmatched_words(&u, NULL), 0);
	/* A word too long to be a keyword is dropped, not cut. */
	assert_string_equal(kept("непереводимостьювзаимоотношениями"
	    "переговорщиков ок"), "ok");
}

/*
 * Against the shipped content's own words: a name with no marker, a
 * surname, a spelt-out address go; the words of the content stay.
 */
static void
test_known(void **state)
{
	static const char *const langs[] = { "kk", "ru" };
	struct content		*c, bare;
	struct unmatched	 u;
	char			 buf[512];
	size_t			 i, len = 0;

	(void)state;
	assert_non_null(c = content_load("content", langs, 2, NULL, NULL));
	unmatched_words(&u, "Асанбек Жумабаев паспорт работодатель забрал "
	    "помогите");
	assert_true(u.n >= 4);
	unmatched_known(&u, c);
	buf[0] = '\0';
	for (i = 0; i < u.n; i++) {
		assert_ptr_equal(u.list[i], u.word[i]);
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
		    i > 0 ? " " : "", u.word[i]);
	}
	print_message("kept: [%s]\n", buf);
	assert_null(strstr(buf, "asanbek"));
	assert_null(strstr(buf, "jumabaev"));
	assert_non_null(strstr(buf, "pasport"));
	/* The vocabulary is the set's: made once, then looked up. */
	assert_non_null(content_memo_set_get(c));
	unmatched_words(&u, "паспорт работодатель");
	assert_int_equal(unmatched_known(&u, c), 2);
	/* No vocabulary (a set with no memo): nothing kept. */
	bare = *c;
	bare.memo = NULL;
	unmatched_words(&u, "паспорт работодатель");
	assert_int_equal(unmatched_known(&u, &bare), 0);
	content_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_review),
		cmocka_unit_test(test_known),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
