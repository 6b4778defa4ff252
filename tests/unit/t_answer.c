/*
 * t_answer.c - from a message to the reply parts, on the shipped
 * content: menu expansion in both languages, the part budget and the
 * "more" hint, and the answer for messages that match nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "log.h"

static const char *const langs[] = { "kk", "ru" };

struct fixture {
	struct content	*c;
	struct route	*r;
};

/* Options with a part budget, Latin replies for Latin writers on. */
static const struct answer_opts *
opts(size_t max_parts)
{
	static struct answer_opts o;

	o.max_parts = max_parts;
	o.latin_for_latin = true;
	return &o;
}

static int
setup(void **state)
{
	static struct fixture f;
	struct route_opts opts = { 1, 8 };

	if ((f.c = content_load("content", langs, 2, NULL, NULL)) == NULL)
		return -1;
	if ((f.r = route_new(f.c, &opts, NULL, NULL)) == NULL)
		return -1;
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	route_free(f->r);
	content_free(f->c);
	return 0;
}

static void
t_menu_expands(void **state)
{
	struct fixture	*f = *state;
	struct answer	 a;
	char		*joined;

	assert_int_equal(answer_make(&a, f->c, f->r, "көмек", NULL,
	    opts(3)), 0);
	assert_string_equal(a.route.topic->id, "menu");
	assert_string_equal(a.lang, "kk");
	assert_null(strstr(a.text, CONTENT_MENU_PLACEHOLDER));
	/* 112 comes first, then the numbered topics in order. */
	assert_true(strstr(a.text, "112") < strstr(a.text, "\n1 "));
	assert_true(strstr(a.text, "\n1 ") < strstr(a.text, "\n2 "));
	assert_non_null(strstr(a.text, "\n10 "));
	assert_int_equal(a.reply.coding, REPLY_UCS2);
	assert_in_range(a.reply.nparts, 1, 3);
	joined = reply_join(&a.reply);
	assert_string_equal(joined, a.text);
	free(joined);
	answer_release(&a);

	assert_int_equal(answer_make(&a, f->c, f->r, "МЕНЮ", NULL,
	    opts(3)), 0);
	assert_string_equal(a.lang, "ru");
	assert_non_null(strstr(a.text, "1 "));
	answer_release(&a);
}

static void
t_budget_and_hint(void **state)
{
	struct fixture	*f = *state;
	const struct topic *more = content_topic(f->c, CONTENT_MORE);
	struct answer	 a;
	size_t		 i;

	/* The menu does not fit one part: cut, with the Russian hint. */
	assert_int_equal(answer_make(&a, f->c, f->r, "меню", NULL,
	    opts(1)), 0);
	assert_int_equal(a.reply.nparts, 1);
	assert_true(a.reply.cut);
	assert_non_null(strstr(a.reply.part[0],
	    more->text[1].text));
	assert_true(reply_ucs2_units(a.reply.part[0]) <= 70);
	answer_release(&a);

	for (i = 1; i <= 3; i++) {
		assert_int_equal(answer_make(&a, f->c, f->r, "паспорт", NULL,
		    opts(i)), 0);
		assert_true(a.reply.nparts <= i);
		answer_release(&a);
	}
}

static void
t_unknown(void **state)
{
	struct fixture	*f = *state;
	struct answer	 a;
	struct session	 kk;

	assert_int_equal(answer_make(&a, f->c, f->r, "qwzx vbnm", NULL,
	    opts(3)), 0);
	assert_string_equal(a.route.topic->id, "unknown");
	assert_int_equal(a.route.match, ROUTE_NONE);
	assert_string_equal(a.lang, "ru");
	assert_true(a.reply.nparts >= 1);
	answer_release(&a);

	/* Invalid bytes never reach a reply; the session's language holds. */
	session_clear(&kk);
	session_set(kk.lang, sizeof(kk.lang), "kk");
	assert_int_equal(answer_make(&a, f->c, f->r, "\xff\xfe\x80", &kk,
	    opts(3)),
	    0);
	assert_string_equal(a.lang, "kk");
	assert_true(a.reply.nparts >= 1);
	answer_release(&a);
}

/* The language is remembered; STOP forgets everything. */
static void
t_session(void **state)
{
	struct fixture	*f = *state;
	struct answer	 a;
	struct session	 s;

	session_clear(&s);
	assert_int_equal(answer_make(&a, f->c, f->r, "қазақша", &s,
	    opts(3)), 0);
	assert_string_equal(a.route.topic->id, "lang");
	assert_string_equal(s.lang, "kk");
	answer_release(&a);
	/* A word both languages share now answers in Kazakh. */
	assert_int_equal(answer_make(&a, f->c, f->r, "qwzx", &s,
	    opts(3)), 0);
	assert_string_equal(a.lang, "kk");
	assert_int_equal(a.route.why, ROUTE_BY_SESSION);
	answer_release(&a);
	assert_int_equal(answer_make(&a, f->c, f->r, "меню", &s,
	    opts(3)), 0);
	assert_string_equal(s.menu, "menu");
	answer_release(&a);
	assert_int_equal(answer_make(&a, f->c, f->r, "СТОП", &s,
	    opts(3)), 0);
	assert_string_equal(a.route.topic->id, "stop");
	assert_true(s.forget);
	assert_string_equal(s.lang, "");
	assert_string_equal(s.menu, "");
	answer_release(&a);
}

/* Latin writers get GSM-7 Latin, menus and hints included. */
static void
t_latin(void **state)
{
	struct fixture	*f = *state;
	struct answer	 a;
	size_t		 i;

	assert_int_equal(answer_make(&a, f->c, f->r, "pasport", NULL,
	    opts(3)), 0);
	assert_string_equal(a.route.topic->id, "passport");
	assert_true(a.latin);
	assert_int_equal(a.reply.coding, REPLY_GSM7);
	for (i = 0; i < a.reply.nparts; i++)
		assert_true(reply_is_gsm7(a.reply.part[i]));
	answer_release(&a);
	assert_int_equal(answer_make(&a, f->c, f->r, "komek", NULL, opts(1)),
	    0);
	assert_string_equal(a.route.topic->id, "menu");
	assert_int_equal(a.reply.coding, REPLY_GSM7);
	assert_non_null(strstr(a.reply.part[0], "112"));
	answer_release(&a);
	/* Cyrillic writers still get Cyrillic. */
	assert_int_equal(answer_make(&a, f->c, f->r, "паспорт", NULL,
	    opts(3)), 0);
	assert_false(a.latin);
	assert_int_equal(a.reply.coding, REPLY_UCS2);
	answer_release(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_menu_expands),
		cmocka_unit_test(t_budget_and_hint),
		cmocka_unit_test(t_unknown),
		cmocka_unit_test(t_session),
		cmocka_unit_test(t_latin),
	};

	log_init(1, LOG_LEVEL_WARN, NULL);
	return cmocka_run_group_tests(tests, setup, teardown);
}
