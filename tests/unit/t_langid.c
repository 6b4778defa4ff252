/*
 * t_langid.c - unit tests for langid.c: the language of a message from
 * its letters and common words among Kazakh, Russian, Uzbek, Kyrgyz and
 * Tajik, with all five enabled and with only some.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "langid.h"
#include "text.h"

static const int all[LANGID_N] = { 1, 1, 1, 1, 1 };
static const int kkru[LANGID_N] = { 1, 1, 0, 0, 0 };
static const int kkruky[LANGID_N] = { 1, 1, 0, 1, 0 };

/* The evidence of text's words and letters into v. */
static void
vote(const struct langid *li, const char *text, const int *on,
    struct langid_vote *v)
{
	char	 f[TEXT_MAX_FOLD], *w, *save = NULL;

	memset(v, 0, sizeof(*v));
	text_fold(f, sizeof(f), text);
	for (w = strtok_r(f, " ", &save); w != NULL;
	    w = strtok_r(NULL, " ", &save))
		langid_count(v, langid_word(li, w, strlen(w)), on);
	langid_letters(v, text, on);
}

/* The language langid picks for text, as a code, or "-". */
static const char *
pick(const struct langid *li, const char *text, const int *on,
    int session, int *by_letters)
{
	struct langid_vote v;
	int	 l;

	vote(li, text, on, &v);
	l = langid_pick(&v, on, session, by_letters);
	return l >= 0 ? langid_code(l) : "-";
}

/* The languages langid_pick() left to the order for text. */
static unsigned
tied(const struct langid *li, const char *text, const int *on,
    int session)
{
	struct langid_vote v;

	vote(li, text, on, &v);
	return langid_tied(&v, on, session);
}

struct lcase {
	const char	*text;
	const char	*want;
	int		 letters;	/* decided by letters */
};

static void
check(const struct langid *li, const struct lcase *c, size_t n,
    const int *on)
{
	const char *got;
	size_t	 i;
	int	 bl;

	for (i = 0; i < n; i++) {
		got = pick(li, c[i].text, on, -1, &bl);
		bl = bl != 0;	/* a telling letter (2) or a weaker sign */
		if (strcmp(got, c[i].want) != 0 ||
		    (strcmp(got, "-") != 0 && bl != c[i].letters))
			print_error("\"%s\": %s by %s, want %s\n", c[i].text,
			    got, bl ? "letters" : "words", c[i].want);
		assert_string_equal(got, c[i].want);
		if (strcmp(got, "-") != 0)
			assert_int_equal(bl, c[i].letters);
	}
}

#define N(a)	(sizeof(a) / sizeof((a)[0]))

static int
setup(void **state)
{
	*state = langid_new();
	return *state == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	langid_free(*state);
	return 0;
}

static void
test_codes(void **state)
{
	(void)state;
	assert_string_equal(langid_code(LANGID_UZ), "uz");
	assert_null(langid_code(LANGID_N));
	assert_null(langid_code(-1));
	assert_int_equal(langid_index("tg"), LANGID_TG);
	assert_int_equal(langid_index("en"), -1);
	assert_int_equal(langid_index(NULL), -1);
	assert_string_equal(langid_name(LANGID_UZ), "O'zbekcha");
	assert_string_equal(langid_name(LANGID_KY), "Кыргызча");
	assert_string_equal(langid_name(LANGID_TG), "Тоҷикӣ");
	assert_null(langid_name(LANGID_N));
}

/* Letters only one language has decide; shared ones leave it to words. */
static void
test_letters(void **state)
{
	static const struct lcase c[] = {
		{ "төлқұжатым жоқ", "kk", 1 },		/* ұ */
		{ "ІЗДЕЙМІН", "kk", 1 },		/* capital І */
		{ "пасспортимни олиб қўйишди", "uz", 1 },	/* ў */
		{ "ЎЗБЕКЧА", "uz", 1 },
		{ "шиносномаамро гирифтанд чӣ кор кунам", "tg", 1 },
		{ "куҷо равам", "tg", 1 },			/* ҷ */
		{ "суд қарори депортатсия", "tg", 1 },	/* -тсия, қ */
		/* ө ү: Kazakh and Kyrgyz; Kyrgyz words decide */
		{ "айлыгымды бербей жатат, үч ай иштедим", "ky", 1 },
		{ "күйөөм урат", "ky", 1 },	/* long vowel өө */
		{ "тоодо иштейм", "ky", 1 },	/* long vowel оо */
		/* not the Russian со-о-, во-о-, ко-о-, зо-о- */
		{ "больше сообщений не надо", "-", 0 },
		{ "вообще не платят", "-", 0 },
		{ "кооператив соответствует", "-", 0 },
		/* nor a firm's legal form in capitals, even at the end */
		{ "ТОО Бизнес Кадры есть такое", "-", 0 },
		{ "проверьте ООО", "-", 0 },
		{ "ТООДО ИШТЕЙМ", "ky", 1 },	/* a word, not ТОО */
		{ "иштейм тоо", "ky", 1 },	/* small: the word тоо */
		/* Kyrgyz э where Kazakh writes е: эмес, эмне, эртең, эки */
		{ "аба ырайы эртең кандай", "ky", 1 },
		{ "эки ай иштедик", "ky", 1 },
		{ "экипаж экзамен", "-", 0 },		/* Russian э- */
		{ "скинь эмейл", "-", 0 },	/* эме-: not all of эмес */
		/* Latin q: Uzbek or Kazakh Latin, not Kyrgyz */
		{ "dollar kursi qancha bugun", "uz", 1 },
		/* ө ү again and again, none of ә ұ һ і қ ғ: Kyrgyz */
		{ "үй-бүлөдөгү зомбулук жөнүндө", "ky", 1 },
		{ "көмек керек", "kk", 1 },		/* once: Kazakh */
		{ "өзүм көрдүм, бірақ", "kk", 1 },	/* і: Kazakh */
		/* ҳ ғ: Uzbek and Tajik; words decide */
		{ "ойлик бермаяпти ака нима қиламан", "uz", 1 },
		{ "музди маро намедиҳад", "tg", 1 },
		/* Uzbek Latin o' and g' */
		{ "pasportimni olib qo'yishdi", "uz", 1 },
		{ "Qozog'istonga keldim", "uz", 1 },
		/* a word of another language in a Russian message */
		{ "Меня задержали, сказали выдворение и запрет въезда на 5 "
		    "лет, что делать, помогите, раҳмат", "-", 0 },
		{ "Мне звонили, сказали агентство Жұмыс Плюс, у меня "
		    "просят предоплату, это правда?", "-", 0 },
		{ "у меня паспорт забрали, чӣ кунам", "tg", 1 },	/* too few */
	};

	check(*state, c, N(c), all);
}

/* Common words and grammar, in either script, with no telling letter. */
static void
test_words(void **state)
{
	static const struct lcase c[] = {
		{ "паспорт керек", "kk", 0 },
		{ "pasport qaida", "kk", 1 },		/* and Latin q */
		{ "aka yordam bering", "uz", 0 },
		{ "ish qidiryapman", "uz", 1 },		/* -yap-, q */
		{ "ishlamoqchiman", "uz", 1 },		/* -moqchi, q */
		{ "эмне кылам", "ky", 1 },		/* and э- */
		{ "алдап кетишти", "ky", 0 },		/* -ышты */
		{ "жардам бергиле", "ky", 0 },		/* -гыла */
		{ "jumush kerek almatyda", "ky", 0 },	/* not жұмыс */
		{ "ман кор мекобам", "tg", 0 },
		{ "namedihand", "tg", 0 },		/* name- */
		{ "shumo kujo", "tg", 0 },
		/* courtesy: thanks, please, how are you, yes, all right */
		{ "ташаккур", "tg", 0 },
		{ "lutfan", "tg", 0 },
		{ "qalaysiz", "uz", 1 },		/* and Latin q */
		{ "mayli rahmat", "uz", 0 },
		{ "ооба", "ky", 1 },			/* a long vowel too */
		{ "кандайсыз", "ky", 0 },		/* Kazakh қалайсыз */
		/* Russian is left to the keyword, session and default */
		{ "у меня забрали паспорт", "-", 0 },
		{ "паспорт", "-", 0 },
		{ "", "-", 0 },
	};

	check(*state, c, N(c), all);
}

/*
 * Endings the three languages do not share: Uzbek -tdi, -imni, -larni
 * (Kazakh and Kyrgyz -ти, -ымды), Kyrgyz -бойт and -бы on the verb,
 * Tajik -ро, -данд; Russian words with look-alike endings stay Russian.
 */
static void
test_endings(void **state)
{
	static const struct lcase c[] = {
		{ "hozyain pasportimni bermadi", "uz", 0 },
		{ "hujjatlarni olib ketdi", "uz", 0 },
		{ "kojoyun toloboit", "ky", 0 },
		{ "акчамды бер", "ky", 0 },		/* акча-, not ақша- */
		{ "жумушка алабы", "ky", 0 },
		/* the rounded past of the first persons, the mutual past */
		{ "паспорт жогодум, консульство кайда", "ky", 0 },
		{ "биз эки ай иштеп болдук", "ky", 1 },	/* and эки */
		{ "виза жасап берем деп алдашты", "ky", 0 },
		/* the second person plural, Kazakh -сыңдар */
		{ "кайсы тилде жазасыңар", "ky", 1 },	/* and ң */
		{ "кайсы тилде жазасынар", "ky", 0 },
		{ "жардам берип коесунарбы", "ky", 0 },
		{ "тұрдым, болдым", "kk", 1 },		/* ұ */
		{ "маошамро гирифтанд", "tg", 0 },
		{ "pulamro nadodand", "tg", 0 },
		/* -aman, -ni after k */
		{ "qanday tekshiraman agentlikni", "uz", 1 },
		{ "xabar yubormang", "uz", 0 },		/* -mang */
		{ "ishga kirdim", "uz", 0 },		/* -ga after sh */
		{ "пулама барнамегардонад", "tg", 0 },	/* bar-name- */
		{ "ба аввал баргаштан", "tg", 0 },	/* -штан */
		{ "быстро помогите", "-", 0 },		/* not -ро */
		{ "скоро продам", "-", 0 },
		{ "он не пишет, на почту", "-", 0 },	/* not -ишет, -чтү */
		{ "кадровое бюро", "-", 0 },		/* not -ро */
		{ "заполни анкету", "-", 0 },		/* not -ni */
		{ "прораб не платит", "-", 0 },		/* not -ab */
		{ "штаб стройки", "-", 0 },
	};

	check(*state, c, N(c), all);
}

/*
 * With only Kazakh and Russian (the old behaviour): Kazakh letters or
 * more Kazakh than Russian words make Kazakh; a Kyrgyz word lends to
 * Kazakh; Uzbek and Tajik evidence counts for nothing.
 */
static void
test_enabled(void **state)
{
	static const struct lcase c[] = {
		{ "төлқұжатым жоқ", "kk", 1 },
		{ "паспорт керек", "kk", 0 },
		{ "эмне кылам", "kk", 1 },
		{ "күйөөм урат", "kk", 1 },
		{ "aka yordam bering", "-", 0 },
		{ "pasportimni olib qo'yishdi", "-", 0 },
		{ "у меня паспорт жок", "-", 0 },
	};
	static const struct lcase d[] = {
		{ "эмне кылам", "ky", 1 },
		{ "паспорт керек", "kk", 0 },	/* shared: first in order */
	};

	check(*state, c, N(c), kkru);
	check(*state, d, N(d), kkruky);
}

/* A tie goes to the session when it is among the tied. */
static void
test_tie(void **state)
{
	int bl;

	/* "керек" is Kazakh and Kyrgyz */
	assert_string_equal(pick(*state, "паспорт керек", all, -1, &bl),
	    "kk");
	assert_string_equal(pick(*state, "паспорт керек", all, LANGID_KY,
	    &bl), "ky");
	assert_string_equal(pick(*state, "паспорт керек", all, LANGID_UZ,
	    &bl), "kk");
	/* Russian and Kazakh tied: the session, else nobody */
	assert_string_equal(pick(*state, "мне жок", all, LANGID_KK, &bl),
	    "kk");
	assert_string_equal(pick(*state, "мне жок", all, -1, &bl), "-");
	/* tied, but only Tajik has a word of its own: Tajik */
	assert_string_equal(pick(*state, "бар шудам", all, -1, &bl), "tg");
}

/*
 * langid_tied: the languages a pick fell to the order among, which
 * route.c lets the examples' model choose from; none when the letters,
 * a word of one language alone, the session or Russian decided.
 */
static void
test_tied(void **state)
{
	const unsigned kkky = (1u << LANGID_KK) | (1u << LANGID_KY);
	int bl;

	assert_int_equal(tied(*state, "паспорт керек", all, -1), kkky);
	assert_string_equal(pick(*state, "паспорт керек", all, -1, &bl),
	    "kk");		/* the order's pick, as before */
	assert_int_equal(tied(*state, "паспорт керек", all, LANGID_KY), 0);
	assert_int_equal(tied(*state, "паспорт керек", kkru, -1), 0);
	/* қ: Kazakh and Uzbek letters alike, and no word of either */
	assert_int_equal(tied(*state, "Пасспорт қандай", all, -1),
	    (1u << LANGID_KK) | (1u << LANGID_UZ));
	assert_int_equal(tied(*state, "сәлем керек", all, -1), 0);
	assert_int_equal(tied(*state, "мне жок", all, -1), 0);
	assert_int_equal(tied(*state, "бар шудам", all, -1), 0);
	assert_int_equal(tied(*state, "hello", all, -1), 0);
}

/*
 * Three tied, two of them with a word of their own: the first of those
 * two in the order, not Kazakh, which has none (Kazakh before: the
 * first of all three), and the model may choose between the two only.
 */
static void
test_tie_own_words(void **state)
{
	struct langid_vote v;
	int bl;

	(void)state;
	memset(&v, 0, sizeof(v));
	v.words[LANGID_KK] = v.words[LANGID_KY] = v.words[LANGID_UZ] = 2;
	v.only[LANGID_KY] = v.only[LANGID_UZ] = 1;
	assert_int_equal(langid_pick(&v, all, -1, &bl), LANGID_KY);
	assert_int_equal(langid_tied(&v, all, -1),
	    (1u << LANGID_KY) | (1u << LANGID_UZ));
	v.only[LANGID_UZ] = 2;
	assert_int_equal(langid_pick(&v, all, -1, &bl), LANGID_UZ);
	assert_int_equal(langid_tied(&v, all, -1), 0);
}

/* langid_best: every language tied for the most evidence. */
static void
test_best(void **state)
{
	struct langid_vote v;
	char	 f[TEXT_MAX_FOLD];
	size_t	 n;

	memset(&v, 0, sizeof(v));
	assert_int_equal(langid_best(&v, all), 0);
	n = text_fold(f, sizeof(f), "керек");
	langid_count(&v, langid_word(*state, f, n), all);
	assert_int_equal(langid_best(&v, all),
	    (1u << LANGID_KK) | (1u << LANGID_KY));
	assert_int_equal(langid_best(&v, kkru), 1u << LANGID_KK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codes),
		cmocka_unit_test_setup_teardown(test_letters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_words, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enabled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tie, setup, teardown),
		cmocka_unit_test_setup_teardown(test_endings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_best, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tied, setup, teardown),
		cmocka_unit_test(test_tie_own_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
