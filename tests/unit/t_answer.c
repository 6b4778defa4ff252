/*
 * t_answer.c - from a message to the reply parts, on the shipped
 * content: menu expansion in both languages, the part budget and the
 * "more" hint, and the answer for messages that match nothing; menu
 * digits, sub-menus, paging with MORE (in the script the pages began
 * in, whatever MORE is written in), and the USSD walk (every topic
 * within 3 choices, no screen over its limit).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

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
	struct route_opts opts = { 1, 8, 0, 0, 0, NULL, 0 };

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

/*
 * A phone number inside a message about checking is checked like
 * "ПРОВЕРКА 8 701 ...", and what was checked is kept nowhere (issue
 * 13); a number in a message about something else is not a check.
 */
static void
t_number_in_sentence(void **state)
{
	struct fixture	*f = *state;
	struct answer	 a;
	size_t		 i;

	assert_int_equal(answer_make(&a, f->c, f->r, "этот номер +7 701 555 "
	    "12 12 настоящий? проверьте", NULL, opts(3)), 0);
	assert_string_equal(a.route.topic->id, "check");
	assert_string_equal(answer_match(&a), "unknown");
	assert_string_equal(a.route.folded, "");
	answer_release(&a);
	assert_int_equal(answer_make(&a, f->c, f->r, "проверь номер 8 (701) "
	    "555-12-12 работодатель", NULL, opts(3)), 0);
	assert_non_null(a.check);
	for (i = 0; i < sizeof(a.route.folded); i++)
		assert_int_equal(a.route.folded[i], 0);
	answer_release(&a);
	/* written with dots, as phone_e164() reads it too */
	assert_int_equal(answer_make(&a, f->c, f->r, "этот номер 8.701.555.12.12 "
	    "настоящий? проверьте", NULL, opts(3)), 0);
	assert_string_equal(a.route.topic->id, "check");
	assert_non_null(a.check);
	assert_string_equal(answer_match(&a), "unknown");
	answer_release(&a);
	/* and with slashes, which the route's number check already read */
	assert_int_equal(answer_make(&a, f->c, f->r, "этот номер "
	    "8/701/555/12/12 настоящий? проверьте", NULL, opts(3)), 0);
	assert_string_equal(a.route.topic->id, "check");
	assert_non_null(a.check);
	answer_release(&a);
	assert_int_equal(answer_make(&a, f->c, f->r, "скорая 103 не едет",
	    NULL, opts(3)), 0);
	assert_null(a.check);
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


/* The text of every page, hints dropped, joined: the whole text. */
static void
t_paging(void **state)
{
	struct fixture	*f = *state;
	const struct topic *more = content_topic(f->c, CONTENT_MORE);
	const struct topic *pass = content_topic(f->c, "salary");
	struct answer	 a;
	struct session	 s;
	char		 got[4096], want[4096], *h;
	size_t		 i, len = 0;
	int		 pages = 0, last;

	session_clear(&s);
	got[0] = '\0';
	assert_int_equal(answer_make(&a, f->c, f->r, "зарплата", &s,
	    opts(1)), 0);
	for (;;) {
		pages++;
		assert_int_equal(a.reply.nparts, 1);
		assert_true(reply_ucs2_units(a.reply.part[0]) <= 70);
		assert_int_equal(a.page, pages - 1);
		last = !a.more;
		h = strstr(a.text, more->text[1].text);
		if (!last) {
			/* The hint ends every page but the last. */
			assert_non_null(h);
			assert_string_equal(h, more->text[1].text);
			assert_string_equal(s.topic, "salary");
			assert_int_equal(s.page, pages);
			h[-1] = '\0';
		} else {
			assert_null(h);
			assert_string_equal(s.topic, "");
			assert_int_equal(s.page, 0);
		}
		len += (size_t)snprintf(got + len, sizeof(got) - len, "%s%s",
		    len > 0 ? " " : "", a.text);
		answer_release(&a);
		if (last)
			break;
		assert_true(pages < 10);
		/* Every folded form of MORE, in both languages. */
		assert_int_equal(answer_make(&a, f->c, f->r,
		    pages % 3 == 1 ? "ЕЩЁ" : pages % 3 == 2 ? "еще" : "MORE",
		    &s, opts(1)), 0);
		assert_string_equal(a.route.topic->id, "more");
		assert_string_equal(a.lang, "ru");
	}
	assert_true(pages >= 2);
	snprintf(want, sizeof(want), "%s", pass->text[1].text);
	for (i = 0; want[i] != '\0'; i++)
		if (want[i] == '\n')
			want[i] = ' ';
	assert_string_equal(got, want);

	/* Pages end at a sentence when one is near. */
	session_clear(&s);
	assert_int_equal(answer_make(&a, f->c, f->r, "мошенники", &s,
	    opts(1)), 0);
	assert_non_null(strstr(a.text, ". " "\xe2\x80\xa6"));
	answer_release(&a);
	/* Kazakh: ТАҒЫ and its folded forms. */
	session_clear(&s);
	assert_int_equal(answer_make(&a, f->c, f->r, "жалақы", &s,
	    opts(1)), 0);
	assert_true(a.more);
	answer_release(&a);
	assert_int_equal(answer_make(&a, f->c, f->r, "тагы", &s, opts(1)), 0);
	assert_string_equal(a.lang, "kk");
	assert_int_equal(a.page, 1);
	answer_release(&a);
	/* MORE with nothing to continue: the menu. */
	session_clear(&s);
	assert_int_equal(answer_make(&a, f->c, f->r, "ещё", &s, opts(3)), 0);
	assert_string_equal(a.route.topic->id, "more");
	assert_non_null(strstr(a.text, "112"));
	assert_non_null(strstr(a.text, "\n1 "));
	answer_release(&a);
}

/* White space runs as one space and none at the ends, in place. */
static void
squeeze(char *s)
{
	char	*w = s, *r;
	int	 gap = 0;

	for (r = s; *r != '\0'; r++) {
		if (*r == ' ' || *r == '\n' || *r == '\t' || *r == '\r') {
			gap = 1;
			continue;
		}
		if (gap && w > s)
			*w++ = ' ';
		gap = 0;
		*w++ = *r;
	}
	*w = '\0';
}

/*
 * Read what first answers a page at a time (one part each), asking for
 * each next page with more[0], more[1], ... in turn: every page is in
 * the script of the first (latin), the session says so while pages
 * follow, and the pages, hints dropped, joined give back the whole
 * text, nothing skipped, nothing twice.  Returns the number of pages.
 */
static int
read_mixed(const struct fixture *f, const char *first,
    const char *const *more, bool latin)
{
	const struct topic *mt = content_topic(f->c, CONTENT_MORE), *t;
	struct answer	 a;
	struct session	 s;
	char		*whole, *hint, *got;
	size_t		 len = 0, hl, tl, i;
	int		 pages = 0, lang;

	assert_non_null(got = malloc(ANSWER_MAX_TEXT));
	got[0] = '\0';
	session_clear(&s);
	assert_int_equal(answer_make(&a, f->c, f->r, first, &s, opts(1)), 0);
	t = a.route.topic;
	lang = a.route.lang;
	assert_non_null(whole = answer_text(f->c, t, lang, latin));
	assert_non_null(hint = answer_text(f->c, mt, lang, latin));
	hl = strlen(hint);
	for (i = 0;; i++) {
		pages++;
		assert_true(a.latin == latin);
		assert_int_equal(a.page, pages - 1);
		assert_int_equal(a.reply.nparts, 1);
		assert_int_equal(a.reply.coding, latin ? REPLY_GSM7 :
		    REPLY_UCS2);
		tl = strlen(a.text);
		if (a.more) {
			/* Cut the hint off: " " and the hint end the page. */
			assert_true(tl > hl);
			assert_string_equal(a.text + tl - hl, hint);
			a.text[tl - hl - 1] = '\0';
			assert_string_equal(s.topic, t->id);
			assert_int_equal(s.page, pages);
			assert_true(s.latin == latin);
		} else {
			assert_null(strstr(a.text, hint));
			assert_string_equal(s.topic, "");
			assert_false(s.latin);
		}
		len += (size_t)snprintf(got + len, ANSWER_MAX_TEXT - len,
		    "%s%s", len > 0 ? " " : "", a.text);
		assert_true(len < ANSWER_MAX_TEXT);
		if (!a.more)
			break;
		answer_release(&a);
		assert_true(pages < 30);
		assert_int_equal(answer_make(&a, f->c, f->r,
		    more[i % 2], &s, opts(1)), 0);
		assert_string_equal(a.route.topic->id, CONTENT_MORE);
		assert_string_equal(a.lang, f->c->langs[lang]);
	}
	answer_release(&a);
	squeeze(got);
	squeeze(whole);
	assert_string_equal(got, whole);
	free(got);
	free(whole);
	free(hint);
	return pages;
}

/*
 * A text paged in one script goes on in it when MORE comes in the
 * other: Latin and Cyrillic pages end at different places.
 */
static void
t_paging_scripts(void **state)
{
	static const char *const cyr_ru[] = { "ЕЩЁ", "дальше" };
	static const char *const lat_ru[] = { "more", "eshe" };
	static const char *const cyr_kk[] = { "ТАҒЫ", "тагы" };
	static const char *const lat_kk[] = { "tagy", "taghy" };
	struct fixture	*f = *state;
	struct answer	 a;
	struct session	 s;

	/* The menu needs several pages in either script. */
	assert_true(read_mixed(f, "menu", cyr_ru, true) >= 2);
	assert_true(read_mixed(f, "меню", lat_ru, false) >= 3);
	assert_true(read_mixed(f, "komek", cyr_kk, true) >= 2);
	assert_true(read_mixed(f, "көмек", lat_kk, false) >= 3);
	/* Each script alone, as before. */
	assert_true(read_mixed(f, "menu", lat_ru, true) >= 2);
	assert_true(read_mixed(f, "меню", cyr_ru, false) >= 3);

	/* A new question mid-way starts over in its own script. */
	session_clear(&s);
	assert_int_equal(answer_make(&a, f->c, f->r, "menu", &s, opts(1)), 0);
	assert_true(a.more && s.latin);
	answer_release(&a);
	assert_int_equal(answer_make(&a, f->c, f->r, "паспорт", &s,
	    opts(1)), 0);
	assert_string_equal(a.route.topic->id, "passport");
	assert_false(a.latin);
	assert_true(a.more);
	assert_false(s.latin);
	answer_release(&a);
	assert_int_equal(answer_make(&a, f->c, f->r, "more", &s, opts(1)), 0);
	assert_false(a.latin);
	assert_int_equal(a.page, 1);
	answer_release(&a);

	/* MORE with no page pending: the menu, in MORE's own script. */
	session_clear(&s);
	s.latin = true;		/* stale: no topic, so it does not count */
	assert_int_equal(answer_make(&a, f->c, f->r, "ЕЩЁ", &s, opts(3)), 0);
	assert_false(a.latin);
	assert_non_null(strstr(a.text, "Экстренно: 112"));
	answer_release(&a);
	session_clear(&s);
	assert_int_equal(answer_make(&a, f->c, f->r, "more", &s, opts(3)), 0);
	assert_true(a.latin);
	assert_int_equal(a.reply.coding, REPLY_GSM7);
	assert_non_null(strstr(a.text, "112"));
	answer_release(&a);
}

/* Digits pick from the menu last seen; 0 switches language, 00 home. */
static void
t_menu_digits(void **state)
{
	struct fixture	*f = *state;
	struct answer	 a;
	struct session	 s;

	/* No session: the root. */
	assert_int_equal(answer_make(&a, f->c, f->r, "4", NULL, opts(3)), 0);
	assert_string_equal(a.route.topic->id, "passport");
	assert_int_equal(a.route.match, ROUTE_MENU);
	answer_release(&a);
	/* the root's 1, not a sub-menu's 1 (deportation, landlord...) */
	assert_int_equal(answer_make(&a, f->c, f->r, "1", NULL, opts(3)), 0);
	assert_string_equal(a.route.topic->id, "emergency");
	answer_release(&a);
	assert_int_equal(answer_make(&a, f->c, f->r, " 10 ", NULL, opts(3)),
	    0);
	assert_string_equal(a.route.topic->id, "return");
	answer_release(&a);
	assert_int_equal(answer_make(&a, f->c, f->r, "77", NULL, opts(3)), 0);
	assert_string_equal(a.route.topic->id, "unknown");
	answer_release(&a);
	/* 112 stays the emergency keyword. */
	assert_int_equal(answer_make(&a, f->c, f->r, "112", NULL, opts(3)),
	    0);
	assert_string_equal(a.route.topic->id, "emergency");
	answer_release(&a);

	/* The root menu ends with "0 Язык/Тіл"; 0 switches to Kazakh. */
	session_clear(&s);
	assert_int_equal(answer_make(&a, f->c, f->r, "меню", &s, opts(3)), 0);
	assert_non_null(strstr(a.text, "\n0 Язык/Тіл"));
	answer_release(&a);
	assert_int_equal(answer_make(&a, f->c, f->r, "0", &s, opts(3)), 0);
	assert_string_equal(a.route.topic->id, "lang");
	assert_string_equal(a.lang, "kk");
	assert_string_equal(s.lang, "kk");
	assert_string_equal(s.menu, "menu");
	assert_non_null(strstr(a.text, "\n0 Тіл/Язык"));
	assert_non_null(strstr(a.text, "Төлқұжат"));
	answer_release(&a);
	assert_int_equal(answer_make(&a, f->c, f->r, "4", &s, opts(3)), 0);
	assert_string_equal(a.route.topic->id, "passport");
	assert_string_equal(a.lang, "kk");
	answer_release(&a);
	assert_int_equal(answer_make(&a, f->c, f->r, "00", &s, opts(3)), 0);
	assert_string_equal(a.route.topic->id, "menu");
	answer_release(&a);
	/* STOP forgets menu and page too. */
	assert_int_equal(answer_make(&a, f->c, f->r, "ТОҚТА", &s, opts(1)),
	    0);
	assert_string_equal(a.route.topic->id, "stop");
	assert_true(s.forget);
	assert_string_equal(s.menu, "");
	assert_string_equal(s.topic, "");
	answer_release(&a);
}

/*
 * A check vouches only for an exact entry, on the shipped content with
 * the shipped example list named as an extra list: the licensed name or
 * number answers "licensed"; a name a letter off, "similar", naming the
 * listed one and counted for no entry; the number a digit off, unknown.
 */
static void
t_check_vouch(void **state)
{
	static const char *const extra[] = {
	    "content/examples/example-list.txt" };
	struct route_opts ro = { 1, 8, 0, 0, 0, NULL, 0 };
	struct content	*c;
	struct route	*r;
	struct answer	 a;

	(void)state;
	assert_non_null(c = content_load_with("content", langs, 2, extra, 1,
	    NULL, NULL));
	assert_non_null(r = route_new(c, &ro, NULL, NULL));
	assert_int_equal(answer_make(&a, c, r, "ПРОВЕРКА Үлгі Кадр Агенттігі",
	    NULL, opts(3)), 0);
	assert_string_equal(a.check, "licensed");
	assert_string_equal(a.checked, "example-l1");
	answer_release(&a);
	assert_int_equal(answer_make(&a, c, r, "ПРОВЕРКА +44 7700 900777",
	    NULL, opts(3)), 0);
	assert_string_equal(a.check, "licensed");
	answer_release(&a);
	/* one letter off the name, and «Образец Кадров» two off an alias */
	assert_int_equal(answer_make(&a, c, r, "тексеру Үлгі Кадр Агенттіг",
	    NULL, opts(3)), 0);
	assert_string_equal(a.route.topic->id, CONTENT_CHECK);
	assert_string_equal(a.check, "similar");
	assert_null(a.checked);
	assert_string_equal(a.lang, "kk");
	assert_non_null(strstr(a.text, "«Үлгі Кадр Агенттігі»"));
	assert_null(strstr(a.text, "лицензиясы бар"));
	assert_true(a.reply.nparts <= 2);
	answer_release(&a);
	assert_int_equal(answer_make(&a, c, r, "ПРОВЕРКА Образец Кадров",
	    NULL, opts(3)), 0);
	assert_string_equal(a.check, "similar");
	assert_null(strstr(a.text, "лиценз"));
	answer_release(&a);
	/* the licensed number one digit off */
	assert_int_equal(answer_make(&a, c, r, "ПРОВЕРКА +44 7700 900778",
	    NULL, opts(3)), 0);
	assert_string_equal(a.check, "unknown");
	assert_null(a.checked);
	answer_release(&a);
	route_free(r);
	content_free(c);
}

/* A small content set with one sub-menu, written to a temp folder. */
static void
put(const char *dir, const char *name, const char *text)
{
	char	 path[512];
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/topics/%s", dir, name);
	assert_non_null(fp = fopen(path, "w"));
	fputs(text, fp);
	fclose(fp);
}

#define HEAD(id) "id: " id "\nverified: 2026-11-26\nsource: test\n"

static void
sub_content(char *dir, struct content **c, struct route **r)
{
	struct route_opts ro = { 1, 8, 0, 0, 0, NULL, 0 };
	char	 path[512];

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/topics", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	put(dir, "menu.txt", HEAD("menu") "[kk]\ntitle: Мәзір\nkeywords: "
	    "мәзір\ntext:\nШұғыл: 112\n{menu}\n[ru]\ntitle: Меню\nkeywords: "
	    "меню\ntext:\nЭкстренно: 112\n{menu}\n");
	put(dir, "unknown.txt", HEAD("unknown") "[kk]\ntext:\n?\n[ru]\n"
	    "text:\n?\n");
	put(dir, "lang.txt", HEAD("lang") "[kk]\ntitle: Тіл\nkeywords: "
	    "қазақша\ntext:\nҚазақша.\n[ru]\ntitle: Язык\nkeywords: русский\n"
	    "text:\nРусский.\n");
	put(dir, "stop.txt", HEAD("stop") "[kk]\nkeywords: тоқта\ntext:\n"
	    "Дайын.\n[ru]\nkeywords: стоп\ntext:\nГотово.\n");
	put(dir, "more.txt", HEAD("more") "[kk]\ntitle: Тағы\nkeywords: "
	    "тағы\ntext:\n…ТАҒЫ\n[ru]\ntitle: Ещё\nkeywords: ещё\ntext:\n"
	    "…ЕЩЁ\n");
	put(dir, "docs.txt", HEAD("docs") "menu: 1\n[kk]\ntitle: Құжаттар\n"
	    "keywords: құжаттар\ntext:\n{menu}\n[ru]\ntitle: Документы\n"
	    "keywords: документы\ntext:\nДокументы:\n{menu}\n");
	put(dir, "passport.txt", HEAD("passport") "menu: 1\nparent: docs\n"
	    "[kk]\ntitle: Төлқұжат\ntext:\nТөлқұжатты бермеңіз.\n[ru]\n"
	    "title: Паспорт\ntext:\nНе отдавайте паспорт работодателю.\n");
	put(dir, "reg.txt", HEAD("reg") "menu: 2\nparent: docs\n[kk]\n"
	    "title: Тіркеу\ntext:\nТіркеу 3 күн.\n[ru]\ntitle: Регистрация\n"
	    "text:\nРегистрация 3 дня.\n");
	put(dir, "work.txt", HEAD("work") "menu: 2\n[kk]\ntitle: Жұмыс\n"
	    "text:\nЖұмыс.\n[ru]\ntitle: Работа\ntext:\nРабота.\n");
	assert_non_null(*c = content_load(dir, langs, 2, NULL, NULL));
	assert_non_null(*r = route_new(*c, &ro, NULL, NULL));
}

static void
sub_free(char *dir, struct content *c, struct route *r)
{
	char	 cmd[600];

	route_free(r);
	content_free(c);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void
t_submenu(void **state)
{
	char		 dir[] = "/tmp/t_answer.XXXXXX";
	struct content	*c;
	struct route	*r;
	struct answer	 a;
	struct session	 s;

	(void)state;
	sub_content(dir, &c, &r);
	session_clear(&s);
	assert_int_equal(answer_make(&a, c, r, "меню", &s, opts(3)), 0);
	assert_string_equal(a.text, "Экстренно: 112\n1 Документы\n2 Работа\n"
	    "0 Язык/Тіл");
	answer_release(&a);
	/* 1 opens the sub-menu; its digits pick its children. */
	assert_int_equal(answer_make(&a, c, r, "1", &s, opts(3)), 0);
	assert_string_equal(a.route.topic->id, "docs");
	assert_string_equal(a.text, "Документы:\n1 Паспорт\n2 Регистрация");
	assert_string_equal(s.menu, "docs");
	answer_release(&a);
	assert_int_equal(answer_make(&a, c, r, "2", &s, opts(3)), 0);
	assert_string_equal(a.route.topic->id, "reg");
	answer_release(&a);
	/* The sub-menu stays the one last seen. */
	assert_int_equal(answer_make(&a, c, r, "1", &s, opts(3)), 0);
	assert_string_equal(a.route.topic->id, "passport");
	answer_release(&a);
	/* 0 in a sub-menu is back to the root. */
	assert_int_equal(answer_make(&a, c, r, "0", &s, opts(3)), 0);
	assert_string_equal(a.route.topic->id, "menu");
	assert_string_equal(s.menu, "menu");
	answer_release(&a);
	assert_int_equal(answer_make(&a, c, r, "2", &s, opts(3)), 0);
	assert_string_equal(a.route.topic->id, "work");
	answer_release(&a);
	/* A keyword of the parent opens its menu too. */
	session_clear(&s);
	assert_int_equal(answer_make(&a, c, r, "құжаттар", &s, opts(3)), 0);
	assert_string_equal(a.text, "1 Төлқұжат\n2 Тіркеу");
	assert_string_equal(s.menu, "docs");
	answer_release(&a);

	/* USSD: 1 opens it, 0 goes back, 00 home. */
	{
		struct answer_ussd_opts uo = { 182, 80 };
		struct answer_ussd u;

		assert_int_equal(answer_ussd(&u, c, "1", 1, &uo), 0);
		assert_string_equal(u.text, "Документы:\n1 Паспорт\n"
		    "2 Регистрация\n0 Меню");
		assert_false(u.end);
		answer_ussd_release(&u);
		assert_int_equal(answer_ussd(&u, c, "1*2", 1, &uo), 0);
		assert_string_equal(u.text, "Регистрация 3 дня.");
		assert_true(u.end);
		assert_string_equal(u.topic->id, "reg");
		answer_ussd_release(&u);
		assert_int_equal(answer_ussd(&u, c, "1*9*0", 1, &uo), 0);
		assert_string_equal(u.topic->id, "menu");
		answer_ussd_release(&u);
		assert_int_equal(answer_ussd(&u, c, "1*00*2", 0, &uo), 0);
		assert_string_equal(u.text, "Жұмыс.");
		answer_ussd_release(&u);
	}
	/* A text long enough to page shows the way back to its sub-menu. */
	{
		struct answer_ussd_opts uo = { 182, 30 };
		struct answer_ussd u;

		assert_int_equal(answer_ussd(&u, c, "1*1", 1, &uo), 0);
		assert_false(u.end);
		assert_non_null(strstr(u.text, "\n99 Ещё\n0 Документы\n"
		    "00 Меню"));
		answer_ussd_release(&u);
	}
	sub_free(dir, c, r);
}

/* USSD screens of a session, in order. */
static void
t_ussd_session(void **state)
{
	struct fixture	*f = *state;
	struct answer_ussd_opts uo = { 182, 80 };
	struct answer_ussd u;

	assert_int_equal(answer_ussd(&u, f->c, "", 1, &uo), 0);
	assert_false(u.end);
	assert_string_equal(u.topic->id, "menu");
	assert_true(strncmp(u.text, "Экстренно: 112\n1 ", 17) == 0);
	assert_non_null(strstr(u.text, "\n99 Ещё"));
	answer_ussd_release(&u);
	assert_int_equal(answer_ussd(&u, f->c, "7", 1, &uo), 0);
	assert_string_equal(u.topic->id, "salary");
	assert_false(u.end);
	assert_non_null(strstr(u.text, "\n99 Ещё\n0 Меню"));
	answer_ussd_release(&u);
	assert_int_equal(answer_ussd(&u, f->c, "7*99", 1, &uo), 0);
	assert_string_equal(u.topic->id, "more");
	assert_true(u.end);
	assert_null(strstr(u.text, "\n99 "));
	answer_ussd_release(&u);
	/* Back, home, a bad choice, and 0 at the root for the language. */
	assert_int_equal(answer_ussd(&u, f->c, "7*0", 1, &uo), 0);
	assert_string_equal(u.topic->id, "menu");
	answer_ussd_release(&u);
	assert_int_equal(answer_ussd(&u, f->c, "99*00", 1, &uo), 0);
	assert_true(strncmp(u.text, "Экстренно: 112", 14) == 0);
	answer_ussd_release(&u);
	assert_int_equal(answer_ussd(&u, f->c, "abc", 1, &uo), 0);
	assert_string_equal(u.topic->id, "unknown");
	assert_string_equal(u.match, "none");
	assert_true(strncmp(u.text, "Экстренно: 112", 14) == 0);
	answer_ussd_release(&u);
	assert_int_equal(answer_ussd(&u, f->c, "0", 1, &uo), 0);
	assert_string_equal(u.topic->id, "lang");
	assert_int_equal(u.lang, 0);
	assert_true(strncmp(u.text, "Шұғыл: 112", 14) == 0);
	answer_ussd_release(&u);
	assert_int_equal(answer_ussd(&u, f->c, "0*0*6", 1, &uo), 0);
	assert_int_equal(u.lang, 1);
	assert_string_equal(u.topic->id, "work");
	answer_ussd_release(&u);
}

/*
 * Every path of up to 3 choices, in both languages, at the default and
 * at small limits: no screen over its limit, every topic in a menu
 * reached.
 */
static void
t_ussd_reach(void **state)
{
	struct fixture	*f = *state;
	static const char *const tok[] = { "1", "2", "3", "4", "5", "6", "7",
	    "8", "9", "10", "11", "99", "0", "00" };
	const size_t	 ntok = sizeof(tok) / sizeof(tok[0]);
	struct answer_ussd_opts uo[] = { { 182, 80 }, { 160, 70 } };
	struct answer_ussd u;
	char		 path[64];
	size_t		 i, j, k, d, o, t, n, total;
	int		 lang;

	for (o = 0; o < sizeof(uo) / sizeof(uo[0]); o++)
	for (lang = 0; lang < 2; lang++) {
		char reached[64] = { 0 };

		assert_true(f->c->ntopics < sizeof(reached));
		for (d = 0; d <= 3; d++) {
			total = 1;
			for (k = 0; k < d; k++)
				total *= ntok;
			for (n = 0; n < total; n++) {
				size_t len = 0, m = n;

				path[0] = '\0';
				for (k = 0; k < d; k++, m /= ntok)
					len += (size_t)snprintf(path + len,
					    sizeof(path) - len, "%s%s",
					    k ? "*" : "", tok[m % ntok]);
				assert_int_equal(answer_ussd(&u, f->c, path,
				    lang, &uo[o]), 0);
				if (!answer_ussd_fits(u.text, &uo[o]))
					fail_msg("'%s': screen over the "
					    "limit:\n%s", path, u.text);
				if (reply_is_gsm7(u.text))
					assert_true(reply_septets(u.text) <=
					    uo[o].page_chars);
				else
					assert_true(reply_ucs2_units(u.text) <=
					    uo[o].ucs2_page_chars);
				t = (size_t)(u.topic - f->c->topics);
				reached[t] = 1;
				answer_ussd_release(&u);
			}
		}
		for (j = 0; j < f->c->ntopics; j++)
			if (f->c->topics[j].menu > 0 && !reached[j])
				fail_msg("topic %s not reached in 3 choices "
				    "(lang %d, limit %zu)",
				    f->c->topics[j].id, lang,
				    uo[o].ucs2_page_chars);
		(void)i;
	}
}

/* a and b say the same, part by part. */
static void
same_answer(const struct answer *a, const struct answer *b)
{
	size_t	 i;

	assert_string_equal(a->text, b->text);
	assert_int_equal(a->reply.coding, b->reply.coding);
	assert_int_equal(a->reply.nparts, b->reply.nparts);
	assert_int_equal(a->reply.cut, b->reply.cut);
	assert_int_equal(a->more, b->more);
	for (i = 0; i < a->reply.nparts; i++)
		assert_string_equal(a->reply.part[i], b->reply.part[i]);
}

/*
 * Texts and replies kept in the content's memo are those worked out
 * anew: first and second time, under several part budgets (the memo
 * keeps the first budget's reply only), Cyrillic and Latin, for every
 * topic by its title and a few that page or fill in a check.
 */
static void
t_memo(void **state)
{
	static const size_t budgets[] = { 3, 1, 3, 2, 10 };
	static const char *const extra[] = { "көмек", "menu", "pasport",
	    "zarplata", "ПРОВЕРКА +44 7700 900123", "check Пример", "5",
	    "ЕЩЁ", "qwerty" };
	struct fixture	*f = *state;
	struct content_memo *memo = f->c->memo;
	struct answer	 fresh, kept;
	struct session	 s1, s2;
	const char	*q;
	size_t		 i, k, l, nq = f->c->ntopics * f->c->nlangs;
	int		 round;

	assert_non_null(memo);
	for (round = 0; round < 2; round++)
	for (k = 0; k < sizeof(budgets) / sizeof(budgets[0]); k++)
	for (i = 0; i < nq + sizeof(extra) / sizeof(extra[0]); i++) {
		if (i < nq) {
			l = i % f->c->nlangs;
			q = f->c->topics[i / f->c->nlangs].text[l].title;
			if (q == NULL)
				continue;
		} else
			q = extra[i - nq];
		session_clear(&s1);
		session_clear(&s2);
		f->c->memo = NULL;
		assert_int_equal(answer_make(&fresh, f->c, f->r, q, &s1,
		    opts(budgets[k])), 0);
		f->c->memo = memo;
		assert_int_equal(answer_make(&kept, f->c, f->r, q, &s2,
		    opts(budgets[k])), 0);
		same_answer(&fresh, &kept);
		answer_release(&fresh);
		answer_release(&kept);
	}
	/*
	 * MORE in either script goes on with the menu's second page in
	 * the script of the first: the memo's text of that script.
	 */
	for (round = 0; round < 4; round++) {
		session_clear(&s1);
		session_set(s1.lang, sizeof(s1.lang), "ru");
		session_set(s1.topic, sizeof(s1.topic), CONTENT_MENU);
		s1.page = 1;
		s1.latin = round & 1;
		s2 = s1;
		q = round & 2 ? "more" : "ЕЩЁ";
		f->c->memo = NULL;
		assert_int_equal(answer_make(&fresh, f->c, f->r, q, &s1,
		    opts(1)), 0);
		f->c->memo = memo;
		assert_int_equal(answer_make(&kept, f->c, f->r, q, &s2,
		    opts(1)), 0);
		assert_true(fresh.latin == (round & 1));
		assert_int_equal(fresh.page, 1);
		same_answer(&fresh, &kept);
		answer_release(&fresh);
		answer_release(&kept);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_menu_expands),
		cmocka_unit_test(t_budget_and_hint),
		cmocka_unit_test(t_unknown),
		cmocka_unit_test(t_number_in_sentence),
		cmocka_unit_test(t_session),
		cmocka_unit_test(t_latin),
		cmocka_unit_test(t_paging),
		cmocka_unit_test(t_paging_scripts),
		cmocka_unit_test(t_menu_digits),
		cmocka_unit_test(t_submenu),
		cmocka_unit_test(t_check_vouch),
		cmocka_unit_test(t_ussd_session),
		cmocka_unit_test(t_ussd_reach),
		cmocka_unit_test(t_memo),
	};

	log_init(1, LOG_LEVEL_WARN, NULL);
	return cmocka_run_group_tests(tests, setup, teardown);
}
