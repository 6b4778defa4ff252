/*
 * t_route.c - unit tests for route.c against a content set built by hand
 * (no content.c): exact, phrase, word, menu, fuzzy and no match, the
 * language rules and collision reports.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "content.h"
#include "route.h"

#define KK	0
#define RU	1
#define NKW(a)	(sizeof(a) / sizeof((a)[0]))

static struct keyword emergency_kk[] = { { "полиция", 5 } };
static struct keyword emergency_ru[] = { { "112", 9 }, { "полиция", 10 } };
static struct keyword fraud_kk[] = { { "алаяқтық", 5 } };
static struct keyword fraud_ru[] = { { "мошенничество", 9 },
	{ "не платят", 10 } };
static struct keyword hotline_kk[] = { { "жедел желі", 5 },
	{ "сенім телефоны", 6 } };
static struct keyword hotline_ru[] = { { "горячая линия", 9 },
	{ "телефон доверия", 10 } };
static struct keyword lang_kk[] = { { "қазақша", 5 }, { "kazakh", 6 } };
static struct keyword lang_ru[] = { { "русский", 9 }, { "орысша", 10 } };
static struct keyword menu_kk[] = { { "көмек", 5 }, { "мәзір", 6 } };
static struct keyword menu_ru[] = { { "помощь", 9 }, { "меню", 10 },
	{ "pomosh", 11 } };
static struct keyword more_kk[] = { { "тағы", 5 } };
static struct keyword more_ru[] = { { "ещё", 9 } };
static struct keyword passport_kk[] = { { "төлқұжат", 5 },
	{ "паспорт", 6 } };
static struct keyword passport_ru[] = { { "паспорт", 9 },
	{ "ПАСПОРТ", 10 } };
static struct keyword salary_kk[] = { { "жалақы", 5 } };
static struct keyword salary_ru[] = { { "зарплата", 9 },
	{ "не платят зарплату", 10 } };
static struct keyword stop_kk[] = { { "тоқта", 5 } };
static struct keyword stop_ru[] = { { "стоп", 9 } };
static struct keyword work_kk[] = { { "жұмыс", 5 } };
static struct keyword work_ru[] = { { "работа", 9 }, { "!!!", 10 } };

static struct topic topics[11];
static struct content content;
static char *langs[] = { "kk", "ru" };

static void
set_topic(struct topic *t, char *id, char *file, int menu,
    struct keyword *kk, size_t nkk, struct keyword *ru, size_t nru)
{
	memset(t, 0, sizeof(*t));
	t->id = id;
	t->file = file;
	t->menu = menu;
	t->text[KK].present = 1;
	t->text[KK].keywords = kk;
	t->text[KK].nkeywords = nkk;
	t->text[RU].present = 1;
	t->text[RU].keywords = ru;
	t->text[RU].nkeywords = nru;
}

#define TOPIC(i, id, menu, kw)						\
	set_topic(&topics[i], id, "content/topics/" id ".txt", menu,	\
	    kw##_kk, NKW(kw##_kk), kw##_ru, NKW(kw##_ru))

/* The test content, topics sorted by id as content.c leaves them. */
static const struct content *
build_content(void)
{
	TOPIC(0, "emergency", 5, emergency);
	TOPIC(1, "fraud", 4, fraud);
	TOPIC(2, "hotline", 1, hotline);
	TOPIC(3, "lang", 0, lang);
	TOPIC(4, "menu", 0, menu);
	TOPIC(5, "more", 0, more);
	TOPIC(6, "passport", 3, passport);
	TOPIC(7, "salary", 6, salary);
	TOPIC(8, "stop", 0, stop);
	set_topic(&topics[9], "unknown", "content/topics/unknown.txt", 0,
	    NULL, 0, NULL, 0);
	TOPIC(10, "work", 2, work);
	memset(&content, 0, sizeof(content));
	content.langs[0] = langs[0];
	content.langs[1] = langs[1];
	content.nlangs = 2;
	content.topics = topics;
	content.ntopics = NKW(topics);
	return &content;
}

struct diag_log {
	int	 errors;
	int	 warnings;
	char	 file[128];
	int	 line;
	char	 msg[1024];
};

static void
diag_cb(void *arg, enum editfile_severity sev, const char *file, int line,
    const char *msg)
{
	struct diag_log *d = arg;

	if (sev == EDITFILE_ERROR)
		d->errors++;
	else
		d->warnings++;
	snprintf(d->file, sizeof(d->file), "%s", file);
	d->line = line;
	snprintf(d->msg, sizeof(d->msg), "%s", msg);
}

static int
setup(void **state)
{
	struct route_opts opts = { RU, 0, 0, 0, 0, NULL, 0 };
	struct diag_log d;
	struct route *r;

	memset(&d, 0, sizeof(d));
	r = route_new(build_content(), &opts, diag_cb, &d);
	if (r == NULL || d.errors != 0)
		return -1;
	*state = r;
	return 0;
}

static int
teardown(void **state)
{
	route_free(*state);
	return 0;
}

static struct route_result res;

static void
query(void **state, const char *text, int session)
{
	assert_int_equal(route_query(*state, text, session, &res), 0);
	assert_non_null(res.topic);
}

static void
expect(void **state, const char *text, int session, const char *topic,
    enum route_match match, int lang, enum route_why why)
{
	query(state, text, session);
	if (strcmp(res.topic->id, topic) != 0 || res.match != match ||
	    res.lang != lang || res.why != why)
		print_error("\"%s\" (%s): %s %s lang %d by %s\n", text,
		    res.folded, res.topic->id, route_match_name(res.match),
		    res.lang, route_why_name(res.why));
	assert_string_equal(res.topic->id, topic);
	assert_int_equal(res.match, match);
	assert_int_equal(res.lang, lang);
	assert_int_equal(res.why, why);
}

static void
test_exact(void **state)
{
	expect(state, "Жұмыс", -1, "work", ROUTE_EXACT, KK, ROUTE_BY_KEYWORD);
	expect(state, "jumys", -1, "work", ROUTE_EXACT, KK, ROUTE_BY_KEYWORD);
	expect(state, "zhumys!", RU, "work", ROUTE_EXACT, KK,
	    ROUTE_BY_KEYWORD);
	expect(state, "РАБОТА!!!", KK, "work", ROUTE_EXACT, RU,
	    ROUTE_BY_KEYWORD);
	expect(state, "ЗАРПЛАТА!!!", -1, "salary", ROUTE_EXACT, RU,
	    ROUTE_BY_KEYWORD);
	assert_string_equal(res.folded, "zarplata");
	assert_non_null(res.keyword);
	assert_string_equal(res.keyword->text, "зарплата");
	expect(state, "kömek", -1, "menu", ROUTE_EXACT, KK, ROUTE_BY_KEYWORD);
	expect(state, "pomo6", -1, "menu", ROUTE_EXACT, RU, ROUTE_BY_KEYWORD);
	expect(state, "помощь", -1, "menu", ROUTE_EXACT, RU,
	    ROUTE_BY_KEYWORD);
	/* A whole multi-word keyword is exact, not a phrase. */
	expect(state, "Жедел желі", -1, "hotline", ROUTE_EXACT, KK,
	    ROUTE_BY_KEYWORD);
	expect(state, "goryachaya liniya", -1, "hotline", ROUTE_EXACT, RU,
	    ROUTE_BY_KEYWORD);
	/* A number that is a keyword beats the menu. */
	expect(state, "112", -1, "emergency", ROUTE_EXACT, RU,
	    ROUTE_BY_KEYWORD);
}

static void
test_phrase(void **state)
{
	expect(state, "где горячая линия?", -1, "hotline", ROUTE_PHRASE,
	    RU, ROUTE_BY_KEYWORD);
	expect(state, "Сенім телефоны керек", -1, "hotline", ROUTE_PHRASE,
	    KK, ROUTE_BY_KEYWORD);
	/* Phrases anywhere, even past the first words. */
	expect(state, "а б в г д е ж з и к л м телефон доверия", -1,
	    "hotline", ROUTE_PHRASE, RU, ROUTE_BY_KEYWORD);
	/* The longest phrase wins over a shorter one and over words. */
	expect(state, "мне не платят зарплату", -1, "salary", ROUTE_PHRASE,
	    RU, ROUTE_BY_KEYWORD);
	expect(state, "мне не платят", -1, "fraud", ROUTE_PHRASE, RU,
	    ROUTE_BY_KEYWORD);
	/* A phrase beats an earlier single word. */
	expect(state, "работа горячая линия", -1, "hotline", ROUTE_PHRASE,
	    RU, ROUTE_BY_KEYWORD);
}

static void
test_word(void **state)
{
	expect(state, "нужна работа срочно", -1, "work", ROUTE_WORD, RU,
	    ROUTE_BY_KEYWORD);
	/* The earliest word wins. */
	expect(state, "паспорт и работа", -1, "passport", ROUTE_WORD, RU,
	    ROUTE_BY_DEFAULT);
	expect(state, "работа и паспорт", -1, "work", ROUTE_WORD, RU,
	    ROUTE_BY_KEYWORD);
	/* Default first_words is 8: the 8th word counts, the 9th not. */
	expect(state, "1 2 3 4 5 6 7 работа", -1, "work", ROUTE_WORD, RU,
	    ROUTE_BY_KEYWORD);
	expect(state, "1 2 3 4 5 6 7 8 работа", -1, "unknown", ROUTE_NONE,
	    RU, ROUTE_BY_DEFAULT);
	/* Homoglyphs and translit inside a sentence. */
	expect(state, "Mne nuzhna rabota", -1, "work", ROUTE_WORD, RU,
	    ROUTE_BY_KEYWORD);
	expect(state, "где мой пaспoрт", KK, "passport", ROUTE_WORD, KK,
	    ROUTE_BY_SESSION);
}

static void
test_menu(void **state)
{
	expect(state, "2", -1, "work", ROUTE_MENU, RU, ROUTE_BY_DEFAULT);
	assert_null(res.keyword);
	expect(state, " 1. ", KK, "hotline", ROUTE_MENU, KK,
	    ROUTE_BY_SESSION);
	expect(state, "03", -1, "passport", ROUTE_MENU, RU, ROUTE_BY_DEFAULT);
	/* Not a menu choice: no such topic, not alone, out of range. */
	expect(state, "7", -1, "unknown", ROUTE_NONE, RU, ROUTE_BY_DEFAULT);
	expect(state, "0", -1, "unknown", ROUTE_NONE, RU, ROUTE_BY_DEFAULT);
	expect(state, "1 2", -1, "unknown", ROUTE_NONE, RU,
	    ROUTE_BY_DEFAULT);
	expect(state, "102", -1, "unknown", ROUTE_NONE, RU,
	    ROUTE_BY_DEFAULT);
	expect(state, "2a", -1, "unknown", ROUTE_NONE, RU, ROUTE_BY_DEFAULT);
}

static void
test_fuzzy(void **state)
{
	expect(state, "rabot", -1, "work", ROUTE_FUZZY, RU,
	    ROUTE_BY_KEYWORD);
	expect(state, "рабоат", -1, "work", ROUTE_FUZZY, RU,
	    ROUTE_BY_KEYWORD);			/* transposition */
	expect(state, "pasprot", -1, "passport", ROUTE_FUZZY, RU,
	    ROUTE_BY_DEFAULT);
	expect(state, "мошеничиства", -1, "fraud", ROUTE_FUZZY, RU,
	    ROUTE_BY_KEYWORD);			/* 12 letters, 2 edits */
	expect(state, "зарплатаа!!", -1, "salary", ROUTE_EXACT, RU,
	    ROUTE_BY_KEYWORD);			/* doubled: still exact */
	/* Too far: 2 edits on a 5-letter word, 3 on a long one. */
	expect(state, "rabt", -1, "unknown", ROUTE_NONE, RU,
	    ROUTE_BY_DEFAULT);
	expect(state, "мшенчиства", -1, "unknown", ROUTE_NONE, RU,
	    ROUTE_BY_DEFAULT);
	/* Short words never: "stop" vs "stob" is fine, "ещ" is not. */
	expect(state, "stob", -1, "stop", ROUTE_FUZZY, RU, ROUTE_BY_KEYWORD);
	expect(state, "ещ", -1, "unknown", ROUTE_NONE, RU, ROUTE_BY_DEFAULT);
	/* Never on digits. */
	expect(state, "113", -1, "unknown", ROUTE_NONE, RU, ROUTE_BY_DEFAULT);
	expect(state, "rabota1", -1, "unknown", ROUTE_NONE, RU,
	    ROUTE_BY_DEFAULT);
	/* Earlier word wins at equal distance. */
	expect(state, "rabot pasprt", -1, "work", ROUTE_FUZZY, RU,
	    ROUTE_BY_KEYWORD);
	/* Lower distance wins over an earlier word. */
	expect(state, "moshenichstva rabot", -1, "work", ROUTE_FUZZY, RU,
	    ROUTE_BY_KEYWORD);
}

static void
test_fuzzy_never_beats_exact(void **state)
{
	/* An earlier typo loses to a later exact word. */
	expect(state, "rabot pasport", RU, "passport", ROUTE_WORD, RU,
	    ROUTE_BY_SESSION);
	/* "pomosh" is exact; "pomoshch" would be one edit from others. */
	expect(state, "pomosh", -1, "menu", ROUTE_EXACT, RU,
	    ROUTE_BY_KEYWORD);
	/* "stop" is a key at distance 1 from "stob"; "stob" is not a key. */
	expect(state, "stop", -1, "stop", ROUTE_EXACT, RU, ROUTE_BY_KEYWORD);
}

static void
test_none(void **state)
{
	expect(state, "привет", -1, "unknown", ROUTE_NONE, RU,
	    ROUTE_BY_DEFAULT);
	assert_null(res.keyword);
	assert_string_equal(res.folded, "privet");
	expect(state, "привет", KK, "unknown", ROUTE_NONE, KK,
	    ROUTE_BY_SESSION);
	expect(state, "сәлем", -1, "unknown", ROUTE_NONE, KK,
	    ROUTE_BY_SCRIPT);
	expect(state, "сәлем", RU, "unknown", ROUTE_NONE, KK,
	    ROUTE_BY_SCRIPT);
	expect(state, "", -1, "unknown", ROUTE_NONE, RU, ROUTE_BY_DEFAULT);
	assert_string_equal(res.folded, "");
	expect(state, "👍🙏", -1, "unknown", ROUTE_NONE, RU,
	    ROUTE_BY_DEFAULT);
	expect(state, "\xff\xfe\xd0", -1, "unknown", ROUTE_NONE, RU,
	    ROUTE_BY_DEFAULT);
	/* A session index out of range is ignored. */
	expect(state, "привет", 7, "unknown", ROUTE_NONE, RU,
	    ROUTE_BY_DEFAULT);
	/* A keyword that folds to nothing ("!!!") never matches. */
	expect(state, "!!!", -1, "unknown", ROUTE_NONE, RU,
	    ROUTE_BY_DEFAULT);
}

static void
test_language(void **state)
{
	/* "паспорт" is in both languages of one topic: neutral. */
	expect(state, "паспорт", -1, "passport", ROUTE_EXACT, RU,
	    ROUTE_BY_DEFAULT);
	expect(state, "паспорт", KK, "passport", ROUTE_EXACT, KK,
	    ROUTE_BY_SESSION);
	expect(state, "паспорт қайда", RU, "passport", ROUTE_WORD, KK,
	    ROUTE_BY_SCRIPT);
	assert_string_equal(res.keyword->text, "паспорт");
	assert_int_equal(res.keyword->line, 6);	/* the first one */
	/* "полиция" too. */
	expect(state, "полиция", -1, "emergency", ROUTE_EXACT, RU,
	    ROUTE_BY_DEFAULT);
	/* The keyword's language beats script and session. */
	expect(state, "төлқұжат", RU, "passport", ROUTE_EXACT, KK,
	    ROUTE_BY_KEYWORD);
	expect(state, "где зарплата", KK, "salary", ROUTE_WORD, RU,
	    ROUTE_BY_KEYWORD);
	/* A Russian keyword in a Kazakh message is a borrowed word. */
	expect(state, "қайда зарплата", RU, "salary", ROUTE_WORD, KK,
	    ROUTE_BY_SCRIPT);
	expect(state, "zarplata kerek", RU, "salary", ROUTE_WORD, KK,
	    ROUTE_BY_WORDS);
	/* Switching language: the keyword's own language. */
	expect(state, "русский", KK, "lang", ROUTE_EXACT, RU,
	    ROUTE_BY_KEYWORD);
	expect(state, "Қазақша", RU, "lang", ROUTE_EXACT, KK,
	    ROUTE_BY_KEYWORD);
	expect(state, "kazakh", RU, "lang", ROUTE_EXACT, KK,
	    ROUTE_BY_KEYWORD);
	expect(state, "на рускей", KK, "lang", ROUTE_FUZZY, RU,
	    ROUTE_BY_KEYWORD);
	/* A language name means that language, whatever the words. */
	expect(state, "орысша жазыңыз", KK, "lang", ROUTE_WORD, RU,
	    ROUTE_BY_KEYWORD);
	/*
	 * Two languages named: the one the sender cannot read is not the
	 * one wanted, nor the one left ("с"); with every name refused, a
	 * language not refused, even against the session.
	 */
	expect(state, "русский не понимаю, пишите қазақша", RU, "lang",
	    ROUTE_WORD, KK, ROUTE_BY_KEYWORD);
	assert_string_equal(res.keyword->text, "қазақша");
	expect(state, "переключите с kazakh на русский", KK, "lang",
	    ROUTE_WORD, RU, ROUTE_BY_KEYWORD);
	expect(state, "орысша жазыңыз, қазақшаны нашар білемін", KK, "lang",
	    ROUTE_WORD, RU, ROUTE_BY_KEYWORD);
	expect(state, "kazakh не понимаю", KK, "lang", ROUTE_WORD, RU,
	    ROUTE_BY_KEYWORD);
	assert_null(res.keyword);
	/* Learning a language is not asking to be answered in it. */
	expect(state, "хочу выучить русский", KK, "unknown", ROUTE_NONE, KK,
	    ROUTE_BY_SESSION);
	/* A refusal far from the name is about something else. */
	expect(state, "орысша жазыңыз, мен заңды түсінбеймін", KK, "lang",
	    ROUTE_WORD, RU, ROUTE_BY_KEYWORD);
	/* Special topics route like any other. */
	expect(state, "СТОП", KK, "stop", ROUTE_EXACT, RU, ROUTE_BY_KEYWORD);
	expect(state, "тағы", RU, "more", ROUTE_EXACT, KK, ROUTE_BY_KEYWORD);
	expect(state, "еще", KK, "more", ROUTE_EXACT, RU, ROUTE_BY_KEYWORD);
}

/*
 * Common words: Kazakh ones (керек, қайда/кайда, жоқ/жок, маған ...) make
 * a message with a shared keyword Kazakh, even in Russian letters or
 * Latin; Russian ones outweigh them; neither is ever typo-matched.
 */
static void
test_language_words(void **state)
{
	expect(state, "паспорт керек", RU, "passport", ROUTE_WORD, KK,
	    ROUTE_BY_WORDS);
	expect(state, "паспорт кайда", -1, "passport", ROUTE_WORD, KK,
	    ROUTE_BY_WORDS);
	expect(state, "pasport joq", -1, "passport", ROUTE_WORD, KK,
	    ROUTE_BY_WORDS);
	expect(state, "маган паспорт", -1, "passport", ROUTE_WORD, KK,
	    ROUTE_BY_WORDS);
	expect(state, "ПАСПОРТ ЖОК", -1, "passport", ROUTE_WORD, KK,
	    ROUTE_BY_WORDS);
	expect(state, "полиция калай", RU, "emergency", ROUTE_WORD, KK,
	    ROUTE_BY_WORDS);
	/* More Russian common words than Kazakh: the session decides. */
	expect(state, "у меня паспорт жок", KK, "passport", ROUTE_WORD, KK,
	    ROUTE_BY_SESSION);
	expect(state, "у меня паспорт жок", -1, "passport", ROUTE_WORD, RU,
	    ROUTE_BY_DEFAULT);
	expect(state, "где мой паспорт", KK, "passport", ROUTE_WORD, KK,
	    ROUTE_BY_SESSION);
	/* Nothing matched: the words still choose the language. */
	expect(state, "рахмет", RU, "unknown", ROUTE_NONE, KK,
	    ROUTE_BY_WORDS);
	expect(state, "rahmet", -1, "unknown", ROUTE_NONE, KK,
	    ROUTE_BY_WORDS);
	expect(state, "спасибо", KK, "unknown", ROUTE_NONE, KK,
	    ROUTE_BY_SESSION);
	/* "меня" is one edit from "меню", but a common word. */
	expect(state, "меня", -1, "unknown", ROUTE_NONE, RU,
	    ROUTE_BY_DEFAULT);
	expect(state, "меня избили", -1, "unknown", ROUTE_NONE, RU,
	    ROUTE_BY_DEFAULT);
	expect(state, "мену", -1, "menu", ROUTE_FUZZY, RU, ROUTE_BY_KEYWORD);
}

/* Grammatical endings: the keyword inside an inflected word. */
static void
test_stem(void **state)
{
	expect(state, "төлқұжатымды алды", -1, "passport", ROUTE_WORD, KK,
	    ROUTE_BY_KEYWORD);			/* -ым -ды */
	expect(state, "паспортымды алып қойды", RU, "passport", ROUTE_WORD,
	    KK, ROUTE_BY_SCRIPT);
	expect(state, "pasportymdy aldy", -1, "passport", ROUTE_WORD, KK,
	    ROUTE_BY_WORDS);
	expect(state, "жұмысқа", -1, "work", ROUTE_WORD, KK,
	    ROUTE_BY_KEYWORD);			/* -қа */
	expect(state, "жалақымды бермеді", -1, "salary", ROUTE_WORD, KK,
	    ROUTE_BY_KEYWORD);
	expect(state, "полицияға", -1, "emergency", ROUTE_WORD, KK,
	    ROUTE_BY_SCRIPT);			/* -ға */
	expect(state, "паспорта нет", -1, "passport", ROUTE_WORD, RU,
	    ROUTE_BY_DEFAULT);			/* Russian -а */
	/* Voicing: жалақы has no final к; алаяқ -> алаяғы is tried. */
	expect(state, "алаяғы", -1, "unknown", ROUTE_NONE, KK,
	    ROUTE_BY_SCRIPT);
	/* At most three endings, and four letters must remain. */
	expect(state, "жұмыстарымыздың", -1, "work", ROUTE_WORD, KK,
	    ROUTE_BY_KEYWORD);			/* -тар -ымыз -дың */
	expect(state, "жұмыстартартартар", -1, "unknown", ROUTE_NONE, KK,
	    ROUTE_BY_SCRIPT);
	expect(state, "стопы", -1, "stop", ROUTE_WORD, RU,
	    ROUTE_BY_KEYWORD);			/* 4 letters: enough */
	/* Never a number: "112ге" is not the keyword 112. */
	expect(state, "112ге", -1, "unknown", ROUTE_NONE, RU,
	    ROUTE_BY_DEFAULT);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(route_match_name(ROUTE_NONE), "none");
	assert_string_equal(route_match_name(ROUTE_EXACT), "exact");
	assert_string_equal(route_match_name(ROUTE_PHRASE), "phrase");
	assert_string_equal(route_match_name(ROUTE_WORD), "word");
	assert_string_equal(route_match_name(ROUTE_FUZZY), "fuzzy");
	assert_string_equal(route_match_name(ROUTE_MENU), "menu");
	assert_string_equal(route_why_name(ROUTE_BY_KEYWORD), "keyword");
	assert_string_equal(route_why_name(ROUTE_BY_SCRIPT), "script");
	assert_string_equal(route_why_name(ROUTE_BY_WORDS), "words");
	assert_string_equal(route_why_name(ROUTE_BY_SESSION), "session");
	assert_string_equal(route_why_name(ROUTE_BY_DEFAULT), "default");
}

/*
 * A word an editor put in the section of a language the language rules
 * do not know (langid.h) and in [ru] of the same topic is answered by
 * those rules, never in that language: a warning names both places.
 * Kazakh and Russian sharing a word (паспорт) is no warning, nor would
 * Kyrgyz and Russian be.
 */
static void
test_shared_third_language(void **state)
{
	static struct keyword menu_ky[] = { { "help me", 3 },
	    { "Помощь", 4 } };
	static char *ky = "en";
	struct route_opts opts = { RU, 0, 0, 0, 0, NULL, 0 };
	struct content	*c;
	struct diag_log	 d;
	struct route	*r;

	(void)state;
	c = (struct content *)build_content();
	c->langs[2] = ky;
	c->nlangs = 3;
	topics[4].text[2].present = 1;
	topics[4].text[2].keywords = menu_ky;
	topics[4].text[2].nkeywords = NKW(menu_ky);
	memset(&d, 0, sizeof(d));
	/* menu comes before work, whose "!!!" warns last: record both */
	work_ru[1].text = "работай";
	r = route_new(c, &opts, diag_cb, &d);
	work_ru[1].text = "!!!";
	assert_non_null(r);
	assert_int_equal(d.errors, 0);
	assert_int_equal(d.warnings, 1);
	assert_string_equal(d.file, "content/topics/menu.txt");
	assert_int_equal(d.line, 4);
	assert_string_equal(d.msg, "keyword \"Помощь\" is in [en] and, as "
	    "\"помощь\", in [ru] (line 9): a word in two languages is "
	    "answered by the sender's letters and session, never in [en]; "
	    "keep it in one");
	route_free(r);
}

/*
 * Five languages (langid.h): the message's letters and words choose
 * Uzbek, Kyrgyz or Tajik as they do Kazakh; a word Kazakh and Kyrgyz
 * share, with nothing else to go by, is Kazakh (the first of its
 * languages), not the default; the session breaks ties, and a keyword
 * breaks one among Uzbek, Kyrgyz and Tajik but not against Kazakh.
 */
static void
test_five_languages(void **state)
{
	static struct keyword work_kk5[] = { { "жұмыс", 5 }, { "кесип", 6 } };
	static struct keyword work_ky[] = { { "кесип", 20 } };
	static struct keyword passport_uz[] = { { "pasportimni", 20 },
		{ "hujjat", 21 } };
	static struct keyword passport_ky[] = { { "паспортту", 25 } };
	static struct keyword passport_tg[] = { { "шиноснома", 30 } };
	static char *five[] = { "kk", "ru", "uz", "ky", "tg" };
	struct route_opts opts = { RU, 0, 0, 0, 0, NULL, 0 };
	struct content	*c;
	struct diag_log	 d;
	struct route	*r;
	void		*st;
	int		 i;

	(void)state;
	c = (struct content *)build_content();
	for (i = 0; i < 5; i++)
		c->langs[i] = five[i];
	c->nlangs = 5;
	topics[10].text[0].keywords = work_kk5;
	topics[10].text[0].nkeywords = NKW(work_kk5);
	topics[10].text[3].present = 1;
	topics[10].text[3].keywords = work_ky;
	topics[10].text[3].nkeywords = NKW(work_ky);
	topics[6].text[2].present = 1;
	topics[6].text[2].keywords = passport_uz;
	topics[6].text[2].nkeywords = NKW(passport_uz);
	topics[6].text[3].present = 1;
	topics[6].text[3].keywords = passport_ky;
	topics[6].text[3].nkeywords = NKW(passport_ky);
	topics[6].text[4].present = 1;
	topics[6].text[4].keywords = passport_tg;
	topics[6].text[4].nkeywords = NKW(passport_tg);
	memset(&d, 0, sizeof(d));
	r = route_new(c, &opts, diag_cb, &d);
	assert_non_null(r);
	assert_int_equal(d.errors, 0);
	st = r;
	expect(&st, "кесип", -1, "work", ROUTE_EXACT, KK, ROUTE_BY_KEYWORD);
	expect(&st, "кесип", 3, "work", ROUTE_EXACT, 3, ROUTE_BY_SESSION);
	expect(&st, "эмне кылам кесип керек", -1, "work", ROUTE_WORD, 3,
	    ROUTE_BY_SCRIPT);		/* э- of эмне, then the words */
	expect(&st, "aka pasportimni olib qo'yishdi", -1, "passport",
	    ROUTE_WORD, 2, ROUTE_BY_KEYWORD);
	expect(&st, "pasportimni", -1, "passport", ROUTE_EXACT, 2,
	    ROUTE_BY_KEYWORD);
	expect(&st, "шиноснома чӣ кунам", -1, "passport", ROUTE_WORD, 4,
	    ROUTE_BY_KEYWORD);
	/* a Russian keyword in a Tajik message: Tajik by its letters */
	expect(&st, "паспорт куҷо", RU, "passport", ROUTE_WORD, 4,
	    ROUTE_BY_SCRIPT);
	/* Kazakh and Kyrgyz tie on керек: Kazakh, or the session's */
	expect(&st, "паспорт керек", -1, "passport", ROUTE_WORD, KK,
	    ROUTE_BY_WORDS);
	expect(&st, "паспорт керек", 3, "passport", ROUTE_WORD, 3,
	    ROUTE_BY_WORDS);
	/* Uzbek and Kyrgyz tie on uchun: the Uzbek keyword settles it */
	expect(&st, "hujjat uchun", -1, "passport", ROUTE_WORD, 2,
	    ROUTE_BY_KEYWORD);
	/* Kazakh and Kyrgyz tie on керек: a Kyrgyz keyword does not */
	expect(&st, "паспортту керек", -1, "passport", ROUTE_WORD, KK,
	    ROUTE_BY_WORDS);
	route_free(r);
}

/* A set of two topics plus "unknown", for the error cases. */
static struct keyword col_a_kk[] = { { "қол", 12 }, { "ат", 13 } };
static struct keyword col_b_kk[] = { { "көл", 7 }, { "әт", 8 },
	{ "тұр", 9 } };
static struct keyword col_c_kk[] = { { "түр", 3 } };
static struct topic col_topics[4];

static const struct content *
build_collisions(struct content *c)
{
	set_topic(&col_topics[0], "a", "content/topics/x.txt", 1, col_a_kk,
	    NKW(col_a_kk), NULL, 0);
	set_topic(&col_topics[1], "b", "content/topics/b.txt", 2, col_b_kk,
	    NKW(col_b_kk), NULL, 0);
	set_topic(&col_topics[2], "c", "content/topics/c.txt", 3, col_c_kk,
	    NKW(col_c_kk), NULL, 0);
	set_topic(&col_topics[3], "unknown", "content/topics/unknown.txt",
	    0, NULL, 0, NULL, 0);
	/* each file changed after the one before */
	col_topics[1].mtime = 1;
	col_topics[2].mtime = 2;
	memset(c, 0, sizeof(*c));
	c->langs[0] = langs[0];
	c->langs[1] = langs[1];
	c->nlangs = 2;
	c->topics = col_topics;
	c->ntopics = 4;
	return c;
}

static void
test_collisions(void **state)
{
	struct route_opts opts = { KK, 3, 0, 0, 0, NULL, 0 };
	struct content c;
	struct diag_log d;

	(void)state;
	memset(&d, 0, sizeof(d));
	assert_null(route_new(build_collisions(&c), &opts, diag_cb, &d));
	/* қол/көл, ат/әт, тұр/түр: all three are reported. */
	assert_int_equal(d.errors, 3);
	assert_int_equal(d.warnings, 0);
	/* The last report: "түр" in c.txt:3 against "тұр" in b.txt:9. */
	assert_string_equal(d.file, "content/topics/c.txt");
	assert_int_equal(d.line, 3);
	assert_string_equal(d.msg, "keyword \"түр\" collides with \"тұр\" "
	    "in content/topics/b.txt:9 (both fold to \"tur\"), so a message "
	    "with it cannot tell the topics apart: keep it in the topic "
	    "where it belongs and remove it from the other");

	/* Without the colliding keywords it loads. */
	col_b_kk[0].text = "көлік";
	col_b_kk[1].text = "әке";
	col_c_kk[0].text = "!?";
	memset(&d, 0, sizeof(d));
	{
		struct route *r;

		r = route_new(build_collisions(&c), &opts, diag_cb, &d);
		assert_non_null(r);
		assert_int_equal(d.errors, 0);
		assert_int_equal(d.warnings, 1);	/* "!?" is empty */
		assert_string_equal(d.file, "content/topics/c.txt");
		route_free(r);
	}
	col_b_kk[0].text = "көл";
	col_b_kk[1].text = "әт";
	col_c_kk[0].text = "түр";
}

static void
test_collision_message(void **state)
{
	struct route_opts opts = { KK, 0, 0, 0, 0, NULL, 0 };
	struct content c;
	struct diag_log d;

	(void)state;
	col_b_kk[1].text = "әке";
	col_b_kk[2].text = "тұрақ";
	memset(&d, 0, sizeof(d));
	assert_null(route_new(build_collisions(&c), &opts, diag_cb, &d));
	assert_int_equal(d.errors, 1);
	assert_string_equal(d.file, "content/topics/b.txt");
	assert_int_equal(d.line, 7);
	assert_string_equal(d.msg, "keyword \"көл\" collides with \"қол\" "
	    "in content/topics/x.txt:12 (both fold to \"kol\"), so a message "
	    "with it cannot tell the topics apart: keep it in the topic "
	    "where it belongs and remove it from the other");
	col_b_kk[1].text = "әт";
	col_b_kk[2].text = "тұр";
}

/*
 * A collision is said on the file changed last, whichever was read
 * first; on both when they were changed at once.
 */
static void
test_collision_newer(void **state)
{
	struct route_opts opts = { KK, 0, 0, 0, 0, NULL, 0 };
	struct content c;
	struct diag_log d;

	(void)state;
	col_b_kk[1].text = "әке";
	col_b_kk[2].text = "тұрақ";
	build_collisions(&c);
	col_topics[0].mtime = 5;	/* x.txt, read first, changed last */
	memset(&d, 0, sizeof(d));
	assert_null(route_new(&c, &opts, diag_cb, &d));
	assert_int_equal(d.errors, 1);
	assert_string_equal(d.file, "content/topics/x.txt");
	assert_int_equal(d.line, 12);
	assert_true(strncmp(d.msg, "keyword \"қол\" collides with \"көл\" "
	    "in content/topics/b.txt:7 ", 60) == 0);

	col_topics[0].mtime = col_topics[1].mtime;
	memset(&d, 0, sizeof(d));
	assert_null(route_new(&c, &opts, diag_cb, &d));
	assert_int_equal(d.errors, 2);
	col_b_kk[1].text = "әт";
	col_b_kk[2].text = "тұр";
}

static void
test_missing_unknown(void **state)
{
	struct route_opts opts = { KK, 0, 0, 0, 0, NULL, 0 };
	struct content c;
	struct diag_log d;

	(void)state;
	build_collisions(&c);
	c.ntopics = 1;			/* topic "a" only */
	memset(&d, 0, sizeof(d));
	assert_null(route_new(&c, &opts, diag_cb, &d));
	assert_int_equal(d.errors, 1);

	/* A default language that is not configured. */
	build_collisions(&c);
	col_b_kk[0].text = "көлік";
	col_b_kk[1].text = "әке";
	col_c_kk[0].text = "тас";
	opts.default_lang = 2;
	memset(&d, 0, sizeof(d));
	assert_null(route_new(&c, &opts, diag_cb, &d));
	assert_int_equal(d.errors, 1);
	col_b_kk[0].text = "көл";
	col_b_kk[1].text = "әт";
	col_c_kk[0].text = "түр";
}

/* first_words from the options, and a content set without "kk". */
static void
test_options(void **state)
{
	struct route_opts opts = { 0, 2, 0, 0, 0, NULL, 0 };
	struct route *r;
	struct content c;
	struct diag_log d;
	char *ru_only[] = { "ru" };

	(void)state;
	build_content();
	memset(&d, 0, sizeof(d));
	r = route_new(&content, &opts, diag_cb, &d);
	assert_non_null(r);
	assert_int_equal(d.warnings, 1);		/* "!!!" */
	assert_int_equal(route_query(r, "мне работа", -1, &res), 0);
	assert_int_equal(res.match, ROUTE_WORD);
	assert_int_equal(route_query(r, "мне нужна работа", -1, &res), 0);
	assert_int_equal(res.match, ROUTE_NONE);
	assert_int_equal(res.lang, 0);
	route_free(r);

	/* Without a "kk" language, Kazakh letters choose nothing. */
	memset(&c, 0, sizeof(c));
	c.langs[0] = ru_only[0];
	c.nlangs = 1;
	c.topics = &topics[9];		/* "unknown" */
	c.ntopics = 1;
	r = route_new(&c, NULL, NULL, NULL);
	assert_non_null(r);
	assert_int_equal(route_query(r, "сәлем", -1, &res), 0);
	assert_string_equal(res.topic->id, "unknown");
	assert_int_equal(res.lang, 0);
	assert_int_equal(res.why, ROUTE_BY_DEFAULT);
	route_free(r);
	route_free(NULL);
}

/* Not a benchmark, a guard: typical queries stay well under 10 us. */
/*
 * Keywords of special topics (here the menu's "помощь", "көмек") give way
 * to an ordinary topic's keyword in the same message, wherever it is, but
 * still answer when alone or with nothing more specific.
 */
static void
test_weak_special(void **state)
{
	expect(state, "помощь", -1, "menu", ROUTE_EXACT, RU, ROUTE_BY_KEYWORD);
	expect(state, "помощь нужна зарплата", -1, "salary", ROUTE_WORD, RU,
	    ROUTE_BY_KEYWORD);
	expect(state, "көмек керек жалақы", -1, "salary", ROUTE_WORD, KK,
	    ROUTE_BY_KEYWORD);
	expect(state, "помощь нужна срочно", -1, "menu", ROUTE_WORD, RU,
	    ROUTE_BY_KEYWORD);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_phrase, setup, teardown),
		cmocka_unit_test_setup_teardown(test_word, setup, teardown),
		cmocka_unit_test_setup_teardown(test_menu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fuzzy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fuzzy_never_beats_exact,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_none, setup, teardown),
		cmocka_unit_test_setup_teardown(test_language, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_language_words, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_stem, setup, teardown),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_collisions),
		cmocka_unit_test(test_shared_third_language),
		cmocka_unit_test(test_five_languages),
		cmocka_unit_test(test_collision_message),
		cmocka_unit_test(test_collision_newer),
		cmocka_unit_test(test_missing_unknown),
		cmocka_unit_test(test_options),
		cmocka_unit_test_setup_teardown(test_weak_special, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
