/*
 * t_text.c - unit tests for text.c: the folding pipeline, one case per
 * table row and the LANGUAGE.md examples (the codec is t_utf8.c's).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "reply.h"
#include "text.h"
#include "utf8.h"

struct fold_case {
	const char	*in;
	const char	*want;
};

static void
check_cases(const struct fold_case *c, size_t n)
{
	char buf[TEXT_MAX_FOLD];
	size_t i, len;

	for (i = 0; i < n; i++) {
		len = text_fold(buf, sizeof(buf), c[i].in);
		if (strcmp(buf, c[i].want) != 0)
			print_error("fold(\"%s\") = \"%s\", want \"%s\"\n",
			    c[i].in, buf, c[i].want);
		assert_string_equal(buf, c[i].want);
		assert_int_equal(len, strlen(buf));
		/* Folding a key again changes nothing. */
		text_fold(buf, sizeof(buf), c[i].want);
		assert_string_equal(buf, c[i].want);
	}
}

#define CHECK(cases)	check_cases((cases), sizeof(cases) / sizeof((cases)[0]))

/* Every row of the Cyrillic table, capital and small. */
static void
test_cyrillic_table(void **state)
{
	static const struct fold_case c[] = {
		{ "А", "a" }, { "а", "a" }, { "Б", "b" }, { "б", "b" },
		{ "В", "v" }, { "в", "v" }, { "Г", "g" }, { "г", "g" },
		{ "Д", "d" }, { "д", "d" }, { "Е", "e" }, { "е", "e" },
		{ "Ё", "e" }, { "ё", "e" }, { "Ж", "j" }, { "ж", "j" },
		{ "З", "z" }, { "з", "z" }, { "И", "i" }, { "и", "i" },
		{ "Й", "i" }, { "й", "i" }, { "К", "k" }, { "к", "k" },
		{ "Л", "l" }, { "л", "l" }, { "М", "m" }, { "м", "m" },
		{ "Н", "n" }, { "н", "n" }, { "О", "o" }, { "о", "o" },
		{ "П", "p" }, { "п", "p" }, { "Р", "r" }, { "р", "r" },
		{ "С", "s" }, { "с", "s" }, { "Т", "t" }, { "т", "t" },
		{ "У", "u" }, { "у", "u" }, { "Ф", "f" }, { "ф", "f" },
		{ "Х", "h" }, { "х", "h" }, { "Ц", "c" }, { "ц", "c" },
		{ "Ч", "ch" }, { "ч", "ch" }, { "Ш", "sh" }, { "ш", "sh" },
		{ "Щ", "sh" }, { "щ", "sh" }, { "Ъ", "" }, { "ъ", "" },
		{ "Ы", "i" }, { "ы", "i" }, { "Ь", "" }, { "ь", "" },
		{ "Э", "e" }, { "э", "e" }, { "Ю", "iu" }, { "ю", "iu" },
		{ "Я", "ia" }, { "я", "ia" },
		/* The nine Kazakh letters. */
		{ "Ә", "a" }, { "ә", "a" }, { "Ғ", "g" }, { "ғ", "g" },
		{ "Қ", "k" }, { "қ", "k" }, { "Ң", "n" }, { "ң", "n" },
		{ "Ө", "o" }, { "ө", "o" }, { "Ұ", "u" }, { "ұ", "u" },
		{ "Ү", "u" }, { "ү", "u" }, { "Һ", "h" }, { "һ", "h" },
		{ "І", "i" }, { "і", "i" },
		/* Neighbours' letters. */
		{ "Ѐ", "e" }, { "ѐ", "e" }, { "Ђ", "d" }, { "ђ", "d" },
		{ "Ѓ", "g" }, { "ѓ", "g" }, { "Є", "e" }, { "є", "e" },
		{ "Ѕ", "z" }, { "ѕ", "z" }, { "Ї", "i" }, { "ї", "i" },
		{ "Ј", "j" }, { "ј", "j" }, { "Љ", "l" }, { "љ", "l" },
		{ "Њ", "n" }, { "њ", "n" }, { "Ћ", "c" }, { "ћ", "c" },
		{ "Ќ", "k" }, { "ќ", "k" }, { "Ѝ", "i" }, { "ѝ", "i" },
		{ "Ў", "u" }, { "ў", "u" }, { "Џ", "j" }, { "џ", "j" },
		{ "Ґ", "g" }, { "ґ", "g" }, { "Җ", "j" }, { "җ", "j" },
		{ "Ҳ", "h" }, { "ҳ", "h" }, { "Ҷ", "j" }, { "ҷ", "j" },
		{ "Ӣ", "i" }, { "ӣ", "i" }, { "Ӯ", "u" }, { "ӯ", "u" },
		/* A Cyrillic letter without a row vanishes inside the word. */
		{ "аѣб", "ab" },
	};

	(void)state;
	CHECK(c);
}

/* Every row of the Latin table, and ASCII case folding. */
static void
test_latin_table(void **state)
{
	static const struct fold_case c[] = {
		{ "ABCDEFGHIJKLMNOPRSTUVZ", "abcdefghijklmnoprstuvz" },
		{ "À", "a" }, { "à", "a" }, { "Á", "a" }, { "á", "a" },
		{ "Â", "a" }, { "â", "a" }, { "Ã", "a" }, { "ã", "a" },
		{ "Ä", "a" }, { "ä", "a" }, { "Å", "a" }, { "å", "a" },
		{ "Æ", "ae" }, { "æ", "ae" }, { "Ç", "ch" }, { "ç", "ch" },
		{ "È", "e" }, { "è", "e" }, { "É", "e" }, { "é", "e" },
		{ "Ê", "e" }, { "ê", "e" }, { "Ë", "e" }, { "ë", "e" },
		{ "Ì", "i" }, { "ì", "i" }, { "Í", "i" }, { "í", "i" },
		{ "Î", "i" }, { "î", "i" }, { "Ï", "i" }, { "ï", "i" },
		{ "Ð", "d" }, { "ð", "d" }, { "Ñ", "n" }, { "ñ", "n" },
		{ "Ò", "o" }, { "ò", "o" }, { "Ó", "o" }, { "ó", "o" },
		{ "Ô", "o" }, { "ô", "o" }, { "Õ", "o" }, { "õ", "o" },
		{ "Ö", "o" }, { "ö", "o" }, { "Ø", "o" }, { "ø", "o" },
		{ "Ù", "u" }, { "ù", "u" }, { "Ú", "u" }, { "ú", "u" },
		{ "Û", "u" }, { "û", "u" }, { "Ü", "u" }, { "ü", "u" },
		{ "Ý", "u" }, { "ý", "u" }, { "Þ", "th" }, { "þ", "th" },
		{ "ß", "s" }, { "ÿ", "i" },
		{ "Ā", "a" }, { "ă", "a" }, { "ą", "a" }, { "ć", "c" },
		{ "ĉ", "c" }, { "ċ", "c" }, { "Č", "ch" }, { "č", "ch" },
		{ "ď", "d" }, { "đ", "d" }, { "ē", "e" }, { "ĕ", "e" },
		{ "ė", "e" }, { "ę", "e" }, { "ě", "e" }, { "ĝ", "g" },
		{ "Ğ", "g" }, { "ğ", "g" }, { "ġ", "g" }, { "ģ", "g" },
		{ "ĥ", "h" }, { "ħ", "h" }, { "ĩ", "i" }, { "ī", "i" },
		{ "ĭ", "i" }, { "į", "i" }, { "İ", "i" }, { "ı", "i" },
		{ "ĳ", "ij" }, { "ĵ", "j" }, { "ķ", "k" }, { "ĸ", "k" },
		{ "ĺ", "l" }, { "ļ", "l" }, { "ľ", "l" }, { "ŀ", "l" },
		{ "Ł", "l" }, { "ł", "l" }, { "ń", "n" }, { "ņ", "n" },
		{ "ň", "n" }, { "ŉ", "n" }, { "Ŋ", "n" }, { "ŋ", "n" },
		{ "ō", "o" }, { "ŏ", "o" }, { "ő", "o" }, { "œ", "oe" },
		{ "ŕ", "r" }, { "ŗ", "r" }, { "ř", "r" }, { "ś", "s" },
		{ "ŝ", "s" }, { "Ş", "sh" }, { "ş", "sh" }, { "Š", "sh" },
		{ "š", "sh" }, { "ţ", "t" }, { "ť", "t" }, { "ŧ", "t" },
		{ "ũ", "u" }, { "Ū", "u" }, { "ū", "u" }, { "ŭ", "u" },
		{ "ů", "u" }, { "ű", "u" }, { "ų", "u" }, { "ŵ", "sh" },
		{ "ŷ", "i" }, { "Ÿ", "i" }, { "ź", "z" }, { "ż", "z" },
		{ "Ž", "j" }, { "ž", "j" }, { "ſ", "s" }, { "ƀ", "b" },
		{ "Ə", "a" }, { "ə", "a" }, { "Ɨ", "i" }, { "ơ", "o" },
		{ "ư", "u" }, { "ƶ", "z" }, { "ǎ", "a" }, { "ǐ", "i" },
		{ "ǒ", "o" }, { "ǔ", "u" }, { "ǖ", "u" }, { "ǘ", "u" },
		{ "ǚ", "u" }, { "ǜ", "u" }, { "ǣ", "ae" }, { "ǧ", "g" },
		{ "ǩ", "k" }, { "ǰ", "j" }, { "Ǵ", "g" }, { "ǵ", "g" },
		{ "Ș", "sh" }, { "ș", "sh" }, { "Ț", "t" }, { "ț", "t" },
		/* Not letters: multiplication and division signs separate. */
		{ "a×b÷c", "a b c" },
		/* Fullwidth forms are ASCII. */
		{ "ＫＯＭＥＫ１２", "komek12" },
	};

	(void)state;
	CHECK(c);
}

/* Step 7: each spelling-variant rule, and doubled letters. */
static void
test_variants(void **state)
{
	static const struct fold_case c[] = {
		{ "shch", "sh" }, { "sch", "sh" }, { "w", "sh" },
		{ "zh", "j" }, { "kh", "h" }, { "x", "h" }, { "ts", "c" },
		{ "q", "k" }, { "ya", "ia" }, { "ja", "ia" }, { "yu", "iu" },
		{ "ju", "iu" }, { "y", "i" }, { "je", "je" },
		{ "kassa", "kasa" }, { "касса", "kasa" },
		{ "zkh", "j" }, { "зкх", "j" },		/* rules meet again */
		/* ё as yo after a consonant; not after a vowel or alone. */
		{ "eshyo", "eshe" }, { "eshchyo", "eshe" }, { "ещё", "eshe" },
		{ "shyot", "shet" }, { "tyomnyi", "temni" },
		{ "rayon", "raion" }, { "yolka", "iolka" }, { "yo", "io" },
		{ "жоқ", "jok" }, { "joq", "jok" },	/* jo stays */
		{ "Аллаһ", "alah" }, { "shh", "sh" },
		/* Digits never collapse. */
		{ "100", "100" }, { "a100", "a100" },
	};

	(void)state;
	CHECK(c);
}

/* LANGUAGE.md: the keyword vocabulary and the spellings in the brief. */
static void
test_vocabulary(void **state)
{
	static const struct fold_case c[] = {
		{ "комек", "komek" }, { "көмек", "komek" },
		{ "kömek", "komek" }, { "KÖMEK", "komek" },
		{ "komek", "komek" }, { "КӨМЕК", "komek" },
		{ "паспорт", "pasport" }, { "pasport", "pasport" },
		{ "ПАСПОРТ", "pasport" },
		{ "зарплата", "zarplata" }, { "zarplata", "zarplata" },
		{ "ЗАРПЛАТА!!!", "zarplata" },
		{ "помощь", "pomosh" }, { "pomoshch", "pomosh" },
		{ "pomosh", "pomosh" }, { "pomo6", "pomosh" },
		{ "pomoshh", "pomosh" }, { "pomow", "pomosh" },
		{ "pomosch", "pomosh" }, { "pomosh'", "pomosh" },
		{ "жұмыс", "iumis" }, { "жумыс", "iumis" },
		{ "jūmys", "iumis" }, { "jumys", "iumis" },
		{ "zhumys", "iumis" }, { "ЖҰМЫС", "iumis" },
		{ "жедел желі", "jedel jeli" }, { "jedel jelı", "jedel jeli" },
		{ "сенім телефоны", "senim telefoni" },
		{ "горячая линия", "goriachaia linia" },
		{ "goryachaya liniya", "goriachaia linia" },
		{ "телефон доверия", "telefon doveria" },
		{ "работа", "rabota" }, { "rabota", "rabota" },
		{ "төлқұжат", "tolkuiat" }, { "толкужат", "tolkuiat" },
		{ "tölqūjat", "tolkuiat" },
		{ "алаяқтық", "alaiaktik" }, { "алаяктык", "alaiaktik" },
		{ "alaiaqtyq", "alaiaktik" },
		{ "мошенничество", "moshenichestvo" },
		{ "moshennichestvo", "moshenichestvo" },
		{ "құқық", "kukik" }, { "кукык", "kukik" },
		{ "qūqyq", "kukik" }, { "права", "prava" },
		{ "тіркеу", "tirkeu" }, { "тиркеу", "tirkeu" },
		{ "tırkeu", "tirkeu" },
		{ "регистрация", "registracia" },
		{ "registratsiya", "registracia" },
		{ "registraciya", "registracia" },
		{ "рұқсат", "ruksat" }, { "руксат", "ruksat" },
		{ "rūqsat", "ruksat" },
		{ "разрешение", "razreshenie" },
		{ "razreshenie", "razreshenie" },
		{ "патент", "patent" }, { "patent", "patent" },
		{ "жалақы", "ialaki" }, { "жалакы", "ialaki" },
		{ "jalaqy", "ialaki" }, { "zhalaqy", "ialaki" },
		{ "адам саудасы", "adam saudasi" },
		{ "adam saudasy", "adam saudasi" },
		{ "торговля людьми", "torgovlia liudmi" },
		{ "torgovlya lyudmi", "torgovlia liudmi" },
		{ "torgovlja ljudmi", "torgovlia liudmi" },
		{ "тіл", "til" }, { "тил", "til" }, { "tıl", "til" },
		{ "язык", "iazik" }, { "yazyk", "iazik" }, { "jazyk", "iazik" },
		{ "хлеб", "hleb" }, { "khleb", "hleb" }, { "xleb", "hleb" },
		{ "что", "chto" }, { "4to", "chto" }, { "chto", "chto" },
		{ "шкаф", "shkaf" }, { "6kaf", "shkaf" }, { "wkaf", "shkaf" },
		{ "горячий", "goriachi" }, { "goryachiy", "goriachi" },
	};

	(void)state;
	CHECK(c);
}

/* LANGUAGE.md pitfalls: distinct Kazakh words that must collide. */
static void
test_known_collisions(void **state)
{
	static const struct fold_case c[] = {
		{ "қол", "kol" }, { "көл", "kol" },
		{ "тұр", "tur" }, { "түр", "tur" }, { "тур", "tur" },
		{ "сән", "san" }, { "сан", "san" },
		{ "ат", "at" }, { "әт", "at" },
		{ "құл", "kul" }, { "күл", "kul" },
		{ "сен", "sen" }, { "сең", "sen" },
		{ "мой", "moi" }, { "мои", "moi" },
	};

	(void)state;
	CHECK(c);
}

/* Kazakh in Latin script: 2017 apostrophes, 2018 acutes, 2021. */
static void
test_kazakh_latin(void **state)
{
	static const struct fold_case c[] = {
		/* 2017: a'=ә g'=ғ n'=ң o'=ө u'=ү y'=у s'=ш c'=ч i'=и */
		{ "ko'mek", "komek" }, { "a'ke", "ake" },
		{ "ag'a", "aga" }, { "ta'n'ir", "tanir" },
		{ "tu'r", "tur" }, { "tirkey'", "tirkeu" },
		{ "s'ai", "shai" }, { "c'ai", "chai" },
		{ "ki'no", "kino" }, { "jumys", "iumis" },
		/* 2018: á ǵ ń ó ú ý, sh ch */
		{ "kómek", "komek" }, { "tirkeý", "tirkeu" },
		{ "aǵa", "aga" }, { "táńir", "tanir" }, { "shai", "shai" },
		/* 2021: ä ö ü ū ğ ş ñ ŋ, ı = і */
		{ "äke", "ake" }, { "ağa", "aga" }, { "şai", "shai" },
		{ "täñir", "tanir" }, { "täŋir", "tanir" }, { "tür", "tur" },
		{ "qūqyq", "kukik" },
		/* Each apostrophe look-alike: ' ’ ‘ ʼ ʻ ` ´ ʹ */
		{ "ko'mek", "komek" }, { "ko’mek", "komek" },
		{ "ko‘mek", "komek" }, { "koʼmek", "komek" },
		{ "koʻmek", "komek" }, { "ko`mek", "komek" },
		{ "ko´mek", "komek" }, { "podʹezd", "podezd" },
		/* Uzbek oʻ gʻ. */
		{ "oʻzbek", "ozbek" }, { "gʻalla", "gala" },
		/* Apostrophes alone leave nothing. */
		{ "'", "" }, { "a ' b", "a b" },
	};

	(void)state;
	CHECK(c);
}

/* Dotted and dotless i, before and after case folding. */
static void
test_turkic_i(void **state)
{
	static const struct fold_case c[] = {
		{ "I", "i" }, { "İ", "i" }, { "ı", "i" }, { "i", "i" },
		{ "I\xcc\x87", "i" },		/* I + U+0307 */
		{ "TIRKEU", "tirkeu" }, { "TİRKEU", "tirkeu" },
		{ "tırkeu", "tirkeu" }, { "İSTANBUL", "istanbul" },
		{ "Іздеу", "izdeu" },
	};

	(void)state;
	CHECK(c);
}

/* Combining marks, composed where it matters, else dropped. */
static void
test_combining(void **state)
{
	static const struct fold_case c[] = {
		{ "ko\xcc\x88mek", "komek" },		/* o + diaeresis */
		{ "s\xcc\xa7" "ai", "shai" },		/* s + cedilla */
		{ "c\xcc\xa7" "ai", "chai" },		/* c + cedilla */
		{ "s\xcc\x8c" "a", "sha" },		/* s + caron */
		{ "c\xcc\x8c" "a", "cha" },		/* c + caron */
		{ "z\xcc\x8c" "a", "ia" },		/* ž = zh, ja */
		{ "tirkey\xcc\x81", "tirkeu" },		/* y + acute */
		{ "и\xcc\x86", "i" },			/* и + breve = й */
		{ "е\xcc\x88ж", "ej" },		/* е + diaeresis = ё */
		{ "\xcc\x88" "a", "a" },		/* mark first */
	};

	(void)state;
	CHECK(c);
}

/* Latin look-alikes in Cyrillic words and the reverse. */
static void
test_homoglyphs(void **state)
{
	static const struct fold_case c[] = {
		{ "пaспoрт", "pasport" },	/* Latin a o */
		{ "зaрплaтa", "zarplata" },	/* Latin a */
		{ "pабота", "rabota" },		/* Latin p */
		{ "сyд", "sud" },		/* Latin y */
		{ "cуд", "sud" },		/* Latin c */
		{ "xлеб", "hleb" },		/* Latin x */
		{ "HOMEP", "homep" },		/* all Latin */
		{ "НOMEР", "homep" },		/* Latin OME: mostly Latin */
		{ "НОMЕР", "nomer" },		/* Latin M: mostly Cyrillic */
		{ "BОДА", "voda" },		/* Latin B */
		{ "ТOKTA", "tokta" },
		{ "pаsport", "pasport" },	/* Cyrillic а */
		{ "раsроrt", "rasrort" },	/* Cyrillic р а р о: 4 to 3 */
		{ "jumуs", "iumis" },		/* Cyrillic у */
		{ "сhоrt", "chort" },		/* Cyrillic с, о */
		{ "kоmеk", "komek" },		/* Cyrillic о, е */
	};

	(void)state;
	CHECK(c);
}

/* Separators: punctuation, symbols, emoji, zero-width characters. */
static void
test_separators(void **state)
{
	static const struct fold_case c[] = {
		{ "", "" }, { "   ", "" }, { "!!!", "" },
		{ "  ЗАРПЛАТА  !!!  ", "zarplata" },
		{ "кто-то, где-то.", "kto to gde to" },
		{ "a\tb\nc\r\nd", "a b c d" },
		{ "😀помощь😀", "pomosh" },
		{ "help👍me", "help me" },
		{ "👨\xe2\x80\x8d👩\xe2\x80\x8d👧", "" },	/* ZWJ family */
		{ "❤\xef\xb8\x8f", "" },		/* heart + VS16 */
		{ "ко\xc2\xad" "мек", "komek" },	/* soft hyphen */
		{ "ко\xe2\x80\x8bмек", "komek" },	/* zero width space */
		{ "\xef\xbb\xbf" "komek", "komek" },	/* BOM */
		{ "ко\xef\xb8\x8fмек", "komek" },	/* VS16 in a word */
		{ "«паспорт»", "pasport" },
		{ "$100 №5 ₸200", "100 5 200" },
		{ "αβγ паспорт 中文", "pasport" },
		{ "a_b+c=d@e.f", "a b c d e f" },
	};

	(void)state;
	CHECK(c);
}

/* Digits: whole numbers stay, 4 and 6 inside words are letters. */
static void
test_digits(void **state)
{
	static const struct fold_case c[] = {
		{ "112", "112" }, { "1", "1" }, { " 1. ", "1" },
		{ "01", "01" }, { "44", "44" }, { "66", "66" },
		{ "4to", "chto" }, { "pomo6", "pomosh" },
		{ "24ch", "24ch" }, { "ch24", "ch24" },
		{ "a4b6c", "achbshc" }, { "covid19", "covid19" },
		/* 9 = я and Volapuk 3 = з inside a word, not in numbers. */
		{ "mo9", "moia" }, { "9blako", "iablako" },
		{ "3арплата", "zarplata" }, { "3drav", "zdrav" },
		{ "a3b9c", "azbiac" }, { "r39", "r39" }, { "9", "9" },
		{ "33", "33" }, { "3", "3" },
		{ "+7 701 123-45-67", "7 701 123 45 67" },
		{ "'112'", "112" }, { "1'000", "1000" },
	};

	(void)state;
	CHECK(c);
}

/* Invalid UTF-8 never crashes and never reaches the output. */
static void
test_fold_invalid(void **state)
{
	static const struct fold_case c[] = {
		{ "\xff\xfe" "komek", "komek" },
		{ "komek\xc0\x80", "komek" },		/* overlong NUL */
		{ "ко\xd0мек", "komek" },		/* lone lead byte */
		{ "ко\xbc\xbcмек", "komek" },		/* lone continuation */
		{ "komek\xd0", "komek" },		/* truncated at end */
		{ "\xed\xa0\x80" "a", "a" },		/* surrogate */
		{ "\xf4\x90\x80\x80" "a", "a" },	/* above U+10FFFF */
		{ "\xe0\x80\xaf" "a", "a" },		/* overlong / */
		{ "\x80\x81\x82", "" },
	};
	char buf[TEXT_MAX_FOLD];

	(void)state;
	CHECK(c);
	assert_int_equal(text_fold(buf, sizeof(buf), NULL), 0);
	assert_string_equal(buf, "");
}

/* Output is bounded by dstsz and holds whole tokens only. */
static void
test_fold_bounds(void **state)
{
	char big[8000], out[TEXT_MAX_FOLD], small[16];
	size_t i, len;

	(void)state;
	memset(small, 'X', sizeof(small));
	assert_int_equal(text_fold(small, 0, "komek"), 0);
	assert_int_equal(small[0], 'X');

	assert_int_equal(text_fold(small, 1, "komek"), 0);
	assert_string_equal(small, "");
	assert_int_equal(text_fold(small, 5, "komek"), 0);
	assert_string_equal(small, "");
	assert_int_equal(text_fold(small, 6, "komek"), 5);
	assert_string_equal(small, "komek");
	assert_int_equal(text_fold(small, 12, "komek komek"), 11);
	assert_int_equal(text_fold(small, 11, "komek komek"), 5);
	assert_string_equal(small, "komek");
	/* Expanding letters (я -> ia) stay in bounds. */
	assert_int_equal(text_fold(small, 8, "яяяяяяяя юююю"), 0);
	assert_string_equal(small, "");
	assert_int_equal(text_fold(small, 8, "яя юю"), 4);
	assert_string_equal(small, "iaia");
	assert_int_equal(text_fold(small, sizeof(small), "щщщщ шшшш"), 8);
	assert_string_equal(small, "shshshsh");

	/* Many words: cut at a word, within TEXT_MAX_FOLD. */
	big[0] = '\0';
	for (i = 0; i < 200; i++)
		strncat(big, "КӨМЕК ", sizeof(big) - strlen(big) - 1);
	len = text_fold(out, sizeof(out), big);
	assert_true(len < TEXT_MAX_FOLD);
	assert_int_equal(len, strlen(out));
	assert_int_equal(len, 85 * 6 - 1);
	assert_int_equal(out[len - 1], 'k');

	/* One word that just fits, and one a letter too long. */
	for (i = 0; i < TEXT_MAX_FOLD - 1; i++)
		big[i] = (i % 2) ? 'b' : 'a';
	big[i] = '\0';
	assert_int_equal(text_fold(out, sizeof(out), big), TEXT_MAX_FOLD - 1);
	assert_memory_equal(out, big, TEXT_MAX_FOLD);
	big[i] = (i % 2) ? 'b' : 'a';
	i++;
	big[i] = '\0';
	assert_int_equal(text_fold(out, sizeof(out), big), 0);
	assert_string_equal(out, "");

	/* Huge words: units are capped, nothing overflows. */
	for (i = 0; i + 2 < sizeof(big); i += 2)
		memcpy(big + i, "\xd1\x8f", 2);		/* я */
	big[i] = '\0';
	memcpy(big + 4000, " 1", 2);
	len = text_fold(out, sizeof(out), big);
	assert_int_equal(len, 0);
	memcpy(big, "komek ", 6);
	len = text_fold(out, sizeof(out), big);
	assert_string_equal(out, "komek");
}

/* Every byte text_latin writes is GSM 03.38. */
static void
assert_gsm7(const char *in, const char *out)
{
	if (!reply_is_gsm7(out))
		print_error("text_latin(\"%s\") = \"%s\": not GSM-7\n", in,
		    out);
	assert_true(reply_is_gsm7(out));
}

struct latin_case {
	const char	*in;
	const char	*want;
};

static void
check_latin(const struct latin_case *c, size_t n)
{
	char buf[256];
	size_t i;

	for (i = 0; i < n; i++) {
		assert_int_equal(text_latin(buf, sizeof(buf), c[i].in),
		    strlen(c[i].want));
		if (strcmp(buf, c[i].want) != 0)
			print_error("text_latin(\"%s\") = \"%s\", want "
			    "\"%s\"\n", c[i].in, buf, c[i].want);
		assert_string_equal(buf, c[i].want);
		assert_gsm7(c[i].in, buf);
	}
}

/* Both transliteration tables, row by row, and capitals. */
static void
test_latin(void **state)
{
	static const struct latin_case c[] = {
		/* The Russian table. */
		{ "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
		    "abvgdeyozhziyklmnoprstufhtschshschyeyuya" },
		{ "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ",
		    "ABVGDEYOZHZIYKLMNOPRSTUFHTSCHSHSCHYEYUYA" },
		{ "Щука Юрта Ёлка", "Schuka Yurta Yolka" },
		{ "ЕЩЁ", "ESCHYO" }, { "Ещё", "Eschyo" },
		{ "Полиция: 102", "Politsiya: 102" },
		{ "семья, подъезд", "semya, podezd" },
		/* The Kazakh table: a word with a Kazakh letter ... */
		{ "ә ғ қ ң ө ұ ү һ і", "\xc3\xa4 g q \xc3\xb1 \xc3\xb6 u "
		    "\xc3\xbc h i" },
		{ "Ә Ғ Қ Ң Ө Ұ Ү Һ І", "\xc3\x84 G Q \xc3\x91 \xc3\x96 U "
		    "\xc3\x9c H I" },
		{ "жұмыс", "jumys" }, { "ЖҰМЫС", "JUMYS" },
		{ "Шұғыл", "Shugyl" },
		/* ... and the others in a text that is mostly Kazakh. */
		{ "Жедел жәрдем", "Jedel järdem" },
		{ "Тіл: қазақша, ия", "Til: qazaqsha, iia" },
		/* A Russian text with one Kazakh word stays Russian. */
		{ "1 Работа 2 Жильё 3 Язык 4 Помощь 5 Тіл",
		    "1 Rabota 2 Zhilyo 3 Yazyk 4 Pomosch 5 Til" },
		/* Punctuation GSM-7 lacks; GSM-7 Latin-1 passes through. */
		{ "«а» — б… №5 ₸ `x´", "\"a\" - b... N5 KZT 'x'" },
		{ "é ü Ñ ß", "\xc3\xa9 \xc3\xbc \xc3\x91 \xc3\x9f" },
		/* No readable form: dropped. */
		{ "a😀b ğ 中", "ab  " },
		{ "line\nnext", "line\nnext" },
	};
	char buf[64], all[8];
	uint32_t cp;

	(void)state;
	check_latin(c, sizeof(c) / sizeof(c[0]));
	/* Every Cyrillic code point gives GSM-7, alone and in capitals. */
	for (cp = 0x400; cp < 0x500; cp++) {
		memset(all, 0, sizeof(all));
		all[utf8_put(all, cp)] = '\0';
		text_latin(buf, sizeof(buf), all);
		assert_gsm7(all, buf);
	}
	/* Bounded, never a split character: "ä" needs 2 bytes. */
	assert_int_equal(text_latin(buf, 3, "аә"), 1);
	assert_string_equal(buf, "a");
	assert_int_equal(text_latin(buf, 4, "аә"), 3);
	assert_int_equal(text_latin(buf, 0, "а"), 0);
}

static void
test_script(void **state)
{
	(void)state;
	assert_int_equal(text_script("көмек"), TEXT_KAZAKH | TEXT_CYRILLIC);
	assert_int_equal(text_script("комек"), TEXT_CYRILLIC);
	assert_int_equal(text_script("komek"), TEXT_LATIN);
	assert_int_equal(text_script("kömek"), TEXT_LATIN);
	assert_int_equal(text_script("ІЗДЕУ"), TEXT_KAZAKH | TEXT_CYRILLIC);
	assert_int_equal(text_script("һ komek"), TEXT_KAZAKH | TEXT_LATIN);
	assert_int_equal(text_script("ab вг"), 0);
	assert_int_equal(text_script(""), 0);
	assert_int_equal(text_script("112 !!"), 0);
	assert_int_equal(text_script(NULL), 0);
	assert_int_equal(text_script("\xff\xfeпомощь\xd0"), TEXT_CYRILLIC);
	assert_int_equal(text_script("помощь help me please"), TEXT_LATIN);
	assert_int_equal(text_script("Ә ә Ғ ғ Қ қ Ң ң Ө ө Ұ ұ Ү ү Һ һ І і") &
	    TEXT_KAZAKH, TEXT_KAZAKH);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cyrillic_table),
		cmocka_unit_test(test_latin_table),
		cmocka_unit_test(test_variants),
		cmocka_unit_test(test_vocabulary),
		cmocka_unit_test(test_known_collisions),
		cmocka_unit_test(test_kazakh_latin),
		cmocka_unit_test(test_turkic_i),
		cmocka_unit_test(test_combining),
		cmocka_unit_test(test_homoglyphs),
		cmocka_unit_test(test_separators),
		cmocka_unit_test(test_digits),
		cmocka_unit_test(test_fold_invalid),
		cmocka_unit_test(test_fold_bounds),
		cmocka_unit_test(test_script),
		cmocka_unit_test(test_latin),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
