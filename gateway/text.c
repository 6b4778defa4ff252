/*
 * text.c - the one folding pipeline that turns what people type into a
 * matching key.  Keywords are folded with it when the content is loaded
 * and queries when they arrive, so any spelling that folds like a
 * keyword matches it.  The plan is the one in LANGUAGE.md:
 *
 *  1. decode UTF-8 (utf8.c; errors are skipped); combining marks join the
 *     letter before them (a few compose, e.g. s + cedilla = s-cedilla),
 *     zero-width characters vanish, fullwidth forms become ASCII;
 *  2. letters, digits and apostrophe look-alikes build tokens; anything
 *     else (spaces, punctuation, symbols, emoji) separates tokens;
 *  3. apostrophe look-alikes are dropped, after marking the Kazakh 2017
 *     forms s' c' y' (= sh ch u);
 *  4. a token of digits only stays as it is (menu choices, 112);
 *  5. in a mostly-Cyrillic token Latin look-alikes become Cyrillic, in a
 *     mostly-Latin token Cyrillic look-alikes become Latin;
 *  6. every letter becomes a lowercase ASCII skeleton (tables below, the
 *     case folding is in the tables: I, dotted I and dotless i all give
 *     "i"); a lone 3 4 6 9 inside a word is a letter (з ч ш я);
 *  7. spelling variants collapse: shch sch -> sh, zh -> j, kh x -> h,
 *     ts -> c, yo after a consonant -> e (ё: "eshyo" = "ещё"), q -> k,
 *     y -> i, then j before a or u -> i (so ya ja ia, yu ju iu agree),
 *     then doubled letters collapse.
 *
 * Steps 6 and 7 run on the skeleton of Cyrillic and Latin alike, so a
 * Cyrillic word and its letter-by-letter transliteration fold the same:
 * "жұмыс" -> "jumis" -> "iumis" and "zhumys" -> "jumis" -> "iumis".
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "text.h"
#include "utf8.h"

#define FOLD_UNITS	TEXT_MAX_FOLD		/* code points kept a token */
#define FOLD_SKEL	(2 * FOLD_UNITS + 1)	/* skeleton: <= 2 a unit */

/* What a code point does to the token being built. */
enum fold_class {
	FC_SEP,		/* ends the token */
	FC_IGNORE,	/* zero-width: vanishes, token goes on */
	FC_MARK,	/* combining mark: joins the letter before */
	FC_APOS,	/* apostrophe look-alike: dropped */
	FC_DIGIT,
	FC_LATIN,
	FC_CYRILLIC
};

struct fold_token {
	uint32_t	 cp[FOLD_UNITS];
	uint8_t		 cls[FOLD_UNITS];
	size_t		 n;
	int		 ncyr;
	int		 nlat;
	int		 ndigit;
};

/*
 * Cyrillic letters to the Latin skeleton, U+0400..U+04FF, indexed by
 * code point - 0x400.  Each row gives capital, small, skeleton; the case
 * folding is the table (the Kazakh letters do not decompose, so nothing
 * generic would do).  A Cyrillic letter missing here is dropped.
 *
 *   Russian:  а a  б b  в v  г g  д d  е e  ё e  ж j  з z  и i  й i  к k
 *             л l  м m  н n  о o  п p  р r  с s  т t  у u  ф f  х h
 *             ц c  ч ch  ш sh  щ sh  ъ -  ы i  ь -  э e  ю iu  я ia
 *   Kazakh:   ә a  ғ g  қ k  ң n  ө o  ұ u  ү u  һ h  і i
 *   Others a migrant may use (Ukrainian, Uzbek, Tajik, Kyrgyz, Serbian):
 *             є e  ї i  ґ g  ў u  ҳ h  ӣ i  ӯ u  ҷ j  җ j  ј j  ѕ z ...
 *
 * щ goes to "sh" like ш, so помощь, pomoshch, pomosh and pomo6 agree; ь
 * and ъ vanish, which drops the trailing soft sign of помощь.
 */
#define CY(up, low, s)	[(up) - 0x400] = (s), [(low) - 0x400] = (s)
static const char *const cyr_skel[0x100] = {
	CY(0x0410, 0x0430, "a"),	/* А а */
	CY(0x0411, 0x0431, "b"),	/* Б б */
	CY(0x0412, 0x0432, "v"),	/* В в */
	CY(0x0413, 0x0433, "g"),	/* Г г */
	CY(0x0414, 0x0434, "d"),	/* Д д */
	CY(0x0415, 0x0435, "e"),	/* Е е */
	CY(0x0416, 0x0436, "j"),	/* Ж ж */
	CY(0x0417, 0x0437, "z"),	/* З з */
	CY(0x0418, 0x0438, "i"),	/* И и */
	CY(0x0419, 0x0439, "i"),	/* Й й */
	CY(0x041A, 0x043A, "k"),	/* К к */
	CY(0x041B, 0x043B, "l"),	/* Л л */
	CY(0x041C, 0x043C, "m"),	/* М м */
	CY(0x041D, 0x043D, "n"),	/* Н н */
	CY(0x041E, 0x043E, "o"),	/* О о */
	CY(0x041F, 0x043F, "p"),	/* П п */
	CY(0x0420, 0x0440, "r"),	/* Р р */
	CY(0x0421, 0x0441, "s"),	/* С с */
	CY(0x0422, 0x0442, "t"),	/* Т т */
	CY(0x0423, 0x0443, "u"),	/* У у */
	CY(0x0424, 0x0444, "f"),	/* Ф ф */
	CY(0x0425, 0x0445, "h"),	/* Х х */
	CY(0x0426, 0x0446, "c"),	/* Ц ц */
	CY(0x0427, 0x0447, "ch"),	/* Ч ч */
	CY(0x0428, 0x0448, "sh"),	/* Ш ш */
	CY(0x0429, 0x0449, "sh"),	/* Щ щ */
	CY(0x042A, 0x044A, ""),		/* Ъ ъ */
	CY(0x042B, 0x044B, "i"),	/* Ы ы */
	CY(0x042C, 0x044C, ""),		/* Ь ь */
	CY(0x042D, 0x044D, "e"),	/* Э э */
	CY(0x042E, 0x044E, "iu"),	/* Ю ю */
	CY(0x042F, 0x044F, "ia"),	/* Я я */
	CY(0x0400, 0x0450, "e"),	/* Ѐ ѐ */
	CY(0x0401, 0x0451, "e"),	/* Ё ё */
	CY(0x0402, 0x0452, "d"),	/* Ђ ђ */
	CY(0x0403, 0x0453, "g"),	/* Ѓ ѓ */
	CY(0x0404, 0x0454, "e"),	/* Є є */
	CY(0x0405, 0x0455, "z"),	/* Ѕ ѕ */
	CY(0x0406, 0x0456, "i"),	/* І і  Kazakh, Ukrainian */
	CY(0x0407, 0x0457, "i"),	/* Ї ї */
	CY(0x0408, 0x0458, "j"),	/* Ј ј */
	CY(0x0409, 0x0459, "l"),	/* Љ љ */
	CY(0x040A, 0x045A, "n"),	/* Њ њ */
	CY(0x040B, 0x045B, "c"),	/* Ћ ћ */
	CY(0x040C, 0x045C, "k"),	/* Ќ ќ */
	CY(0x040D, 0x045D, "i"),	/* Ѝ ѝ */
	CY(0x040E, 0x045E, "u"),	/* Ў ў  Uzbek, Belarusian */
	CY(0x040F, 0x045F, "j"),	/* Џ џ */
	CY(0x0490, 0x0491, "g"),	/* Ґ ґ */
	CY(0x0492, 0x0493, "g"),	/* Ғ ғ  Kazakh */
	CY(0x0496, 0x0497, "j"),	/* Җ җ */
	CY(0x049A, 0x049B, "k"),	/* Қ қ  Kazakh */
	CY(0x04A2, 0x04A3, "n"),	/* Ң ң  Kazakh */
	CY(0x04AE, 0x04AF, "u"),	/* Ү ү  Kazakh */
	CY(0x04B0, 0x04B1, "u"),	/* Ұ ұ  Kazakh */
	CY(0x04B2, 0x04B3, "h"),	/* Ҳ ҳ  Uzbek, Tajik */
	CY(0x04B6, 0x04B7, "j"),	/* Ҷ ҷ  Tajik */
	CY(0x04BA, 0x04BB, "h"),	/* Һ һ  Kazakh */
	CY(0x04D8, 0x04D9, "a"),	/* Ә ә  Kazakh */
	CY(0x04E2, 0x04E3, "i"),	/* Ӣ ӣ  Tajik */
	CY(0x04E8, 0x04E9, "o"),	/* Ө ө  Kazakh */
	CY(0x04EE, 0x04EF, "u"),	/* Ӯ ӯ  Tajik */
};
#undef CY

/*
 * Latin letters beyond ASCII to the skeleton, U+00C0..U+024F, indexed by
 * code point - 0xC0; capital and small give the same.  Accents are
 * stripped except where a Turkic alphabet uses the letter for a sound
 * of its own:
 *
 *   Kazakh 2021:  ä a  ö o  ü u  ū u  ğ g  ş sh  ñ n  ı i  (İ i)
 *   Kazakh 2018:  á a  ǵ g  ń n  ó o  ú u  ý u (ý is у there, not ы)
 *   Turkish, Azeri, scientific: ç ch  č ch  š sh  ș sh  ž j  ə a
 *   Others:  æ ae  œ oe  ß ss  þ th  ĳ ij  ø o  ł l  đ d ...
 *
 * A missing entry is not a letter: it separates tokens.
 */
#define LA(up, low, s)	[(up) - 0xC0] = (s), [(low) - 0xC0] = (s)
static const char *const lat_skel[0x25A - 0xC0] = {
	LA(0x00C0, 0x00E0, "a"), LA(0x00C1, 0x00E1, "a"),	/* À Á */
	LA(0x00C2, 0x00E2, "a"), LA(0x00C3, 0x00E3, "a"),	/* Â Ã */
	LA(0x00C4, 0x00E4, "a"), LA(0x00C5, 0x00E5, "a"),	/* Ä Å */
	LA(0x00C6, 0x00E6, "ae"), LA(0x00C7, 0x00E7, "ch"),	/* Æ Ç */
	LA(0x00C8, 0x00E8, "e"), LA(0x00C9, 0x00E9, "e"),	/* È É */
	LA(0x00CA, 0x00EA, "e"), LA(0x00CB, 0x00EB, "e"),	/* Ê Ë */
	LA(0x00CC, 0x00EC, "i"), LA(0x00CD, 0x00ED, "i"),	/* Ì Í */
	LA(0x00CE, 0x00EE, "i"), LA(0x00CF, 0x00EF, "i"),	/* Î Ï */
	LA(0x00D0, 0x00F0, "d"), LA(0x00D1, 0x00F1, "n"),	/* Ð Ñ */
	LA(0x00D2, 0x00F2, "o"), LA(0x00D3, 0x00F3, "o"),	/* Ò Ó */
	LA(0x00D4, 0x00F4, "o"), LA(0x00D5, 0x00F5, "o"),	/* Ô Õ */
	LA(0x00D6, 0x00F6, "o"), LA(0x00D8, 0x00F8, "o"),	/* Ö Ø */
	LA(0x00D9, 0x00F9, "u"), LA(0x00DA, 0x00FA, "u"),	/* Ù Ú */
	LA(0x00DB, 0x00FB, "u"), LA(0x00DC, 0x00FC, "u"),	/* Û Ü */
	LA(0x00DD, 0x00FD, "u"), LA(0x00DE, 0x00FE, "th"),	/* Ý Þ */
	[0x00DF - 0xC0] = "ss", [0x00FF - 0xC0] = "y",		/* ß ÿ */
	LA(0x0100, 0x0101, "a"), LA(0x0102, 0x0103, "a"),	/* Ā Ă */
	LA(0x0104, 0x0105, "a"), LA(0x0106, 0x0107, "c"),	/* Ą Ć */
	LA(0x0108, 0x0109, "c"), LA(0x010A, 0x010B, "c"),	/* Ĉ Ċ */
	LA(0x010C, 0x010D, "ch"), LA(0x010E, 0x010F, "d"),	/* Č Ď */
	LA(0x0110, 0x0111, "d"), LA(0x0112, 0x0113, "e"),	/* Đ Ē */
	LA(0x0114, 0x0115, "e"), LA(0x0116, 0x0117, "e"),	/* Ĕ Ė */
	LA(0x0118, 0x0119, "e"), LA(0x011A, 0x011B, "e"),	/* Ę Ě */
	LA(0x011C, 0x011D, "g"), LA(0x011E, 0x011F, "g"),	/* Ĝ Ğ */
	LA(0x0120, 0x0121, "g"), LA(0x0122, 0x0123, "g"),	/* Ġ Ģ */
	LA(0x0124, 0x0125, "h"), LA(0x0126, 0x0127, "h"),	/* Ĥ Ħ */
	LA(0x0128, 0x0129, "i"), LA(0x012A, 0x012B, "i"),	/* Ĩ Ī */
	LA(0x012C, 0x012D, "i"), LA(0x012E, 0x012F, "i"),	/* Ĭ Į */
	LA(0x0130, 0x0131, "i"), LA(0x0132, 0x0133, "ij"),	/* İ ı Ĳ */
	LA(0x0134, 0x0135, "j"), LA(0x0136, 0x0137, "k"),	/* Ĵ Ķ */
	[0x0138 - 0xC0] = "k",					/* ĸ */
	LA(0x0139, 0x013A, "l"), LA(0x013B, 0x013C, "l"),	/* Ĺ Ļ */
	LA(0x013D, 0x013E, "l"), LA(0x013F, 0x0140, "l"),	/* Ľ Ŀ */
	LA(0x0141, 0x0142, "l"), LA(0x0143, 0x0144, "n"),	/* Ł Ń */
	LA(0x0145, 0x0146, "n"), LA(0x0147, 0x0148, "n"),	/* Ņ Ň */
	[0x0149 - 0xC0] = "n",					/* ŉ */
	LA(0x014A, 0x014B, "n"), LA(0x014C, 0x014D, "o"),	/* Ŋ Ō */
	LA(0x014E, 0x014F, "o"), LA(0x0150, 0x0151, "o"),	/* Ŏ Ő */
	LA(0x0152, 0x0153, "oe"), LA(0x0154, 0x0155, "r"),	/* Œ Ŕ */
	LA(0x0156, 0x0157, "r"), LA(0x0158, 0x0159, "r"),	/* Ŗ Ř */
	LA(0x015A, 0x015B, "s"), LA(0x015C, 0x015D, "s"),	/* Ś Ŝ */
	LA(0x015E, 0x015F, "sh"), LA(0x0160, 0x0161, "sh"),	/* Ş Š */
	LA(0x0162, 0x0163, "t"), LA(0x0164, 0x0165, "t"),	/* Ţ Ť */
	LA(0x0166, 0x0167, "t"), LA(0x0168, 0x0169, "u"),	/* Ŧ Ũ */
	LA(0x016A, 0x016B, "u"), LA(0x016C, 0x016D, "u"),	/* Ū Ŭ */
	LA(0x016E, 0x016F, "u"), LA(0x0170, 0x0171, "u"),	/* Ů Ű */
	LA(0x0172, 0x0173, "u"), LA(0x0174, 0x0175, "sh"),	/* Ų Ŵ */
	LA(0x0176, 0x0177, "y"), [0x0178 - 0xC0] = "y",		/* Ŷ Ÿ */
	LA(0x0179, 0x017A, "z"), LA(0x017B, 0x017C, "z"),	/* Ź Ż */
	LA(0x017D, 0x017E, "j"), [0x017F - 0xC0] = "s",		/* Ž ſ */
	[0x0180 - 0xC0] = "b", [0x0197 - 0xC0] = "i",		/* ƀ Ɨ */
	[0x018F - 0xC0] = "a",					/* Ə */
	LA(0x01A0, 0x01A1, "o"), LA(0x01AF, 0x01B0, "u"),	/* Ơ Ư */
	LA(0x01B5, 0x01B6, "z"),				/* Ƶ */
	LA(0x01CD, 0x01CE, "a"), LA(0x01CF, 0x01D0, "i"),	/* Ǎ Ǐ */
	LA(0x01D1, 0x01D2, "o"), LA(0x01D3, 0x01D4, "u"),	/* Ǒ Ǔ */
	LA(0x01D5, 0x01D6, "u"), LA(0x01D7, 0x01D8, "u"),	/* Ǖ Ǘ */
	LA(0x01D9, 0x01DA, "u"), LA(0x01DB, 0x01DC, "u"),	/* Ǚ Ǜ */
	LA(0x01E2, 0x01E3, "ae"), LA(0x01E6, 0x01E7, "g"),	/* Ǣ Ǧ */
	LA(0x01E8, 0x01E9, "k"), [0x01F0 - 0xC0] = "j",		/* Ǩ ǰ */
	LA(0x01F4, 0x01F5, "g"),				/* Ǵ ǵ */
	LA(0x0218, 0x0219, "sh"), LA(0x021A, 0x021B, "t"),	/* Ș Ț */
	[0x0259 - 0xC0] = "a",					/* ə */
};
#undef LA

/*
 * ASCII letters that look like Cyrillic ones, for step 5: in a mostly
 * Cyrillic token "пaсп0рт" the Latin a is taken for а.  Small: a c e
 * h(һ) i(і) k m o p t x y; capital: A B C E H I K M O P T X Y.
 */
static const uint16_t lat_to_cyr[128] = {
	['a'] = 0x0430, ['c'] = 0x0441, ['e'] = 0x0435, ['h'] = 0x04BB,
	['i'] = 0x0456, ['k'] = 0x043A, ['m'] = 0x043C, ['o'] = 0x043E,
	['p'] = 0x0440, ['t'] = 0x0442, ['x'] = 0x0445, ['y'] = 0x0443,
	['A'] = 0x0410, ['B'] = 0x0412, ['C'] = 0x0421, ['E'] = 0x0415,
	['H'] = 0x041D, ['I'] = 0x0406, ['K'] = 0x041A, ['M'] = 0x041C,
	['O'] = 0x041E, ['P'] = 0x0420, ['T'] = 0x0422, ['X'] = 0x0425,
	['Y'] = 0x0423,
};

/* The reverse, Cyrillic look-alikes in a mostly Latin token; 0: none. */
static char
cyr_to_lat(uint32_t cp)
{
	switch (cp) {
	case 0x0410: case 0x0430: return 'a';	/* А а */
	case 0x0412: return 'b';		/* В */
	case 0x0415: case 0x0435: return 'e';	/* Е е */
	case 0x041D: case 0x04BB: return 'h';	/* Н һ */
	case 0x0406: case 0x0456: return 'i';	/* І і */
	case 0x0408: case 0x0458: return 'j';	/* Ј ј */
	case 0x041A: case 0x043A: return 'k';	/* К к */
	case 0x041C: return 'm';		/* М */
	case 0x041E: case 0x043E: return 'o';	/* О о */
	case 0x0420: case 0x0440: return 'p';	/* Р р */
	case 0x0421: case 0x0441: return 'c';	/* С с */
	case 0x0405: case 0x0455: return 's';	/* Ѕ ѕ */
	case 0x0422: return 't';		/* Т */
	case 0x0425: case 0x0445: return 'x';	/* Х х */
	case 0x0423: case 0x0443: return 'y';	/* У у */
	}
	return 0;
}

/*
 * A combining mark after a Latin letter: the few pairs whose composed
 * letter folds differently from the bare one (NFC for what matters).
 * Returns the composed code point or 0.
 */
static uint32_t
fold_compose(uint32_t base, uint32_t mark)
{
	switch (mark) {
	case 0x0327:			/* cedilla */
		if (base == 's' || base == 'S')
			return 0x015F;	/* ş */
		if (base == 'c' || base == 'C')
			return 0x00E7;	/* ç */
		break;
	case 0x030C:			/* caron */
		if (base == 's' || base == 'S')
			return 0x0161;	/* š */
		if (base == 'c' || base == 'C')
			return 0x010D;	/* č */
		if (base == 'z' || base == 'Z')
			return 0x017E;	/* ž */
		break;
	case 0x0301:			/* acute */
		if (base == 'y' || base == 'Y')
			return 0x00FD;	/* ý */
		break;
	}
	return 0;
}

static bool
is_cyrillic_letter(uint32_t cp)
{
	return (cp >= 0x0400 && cp <= 0x0481) ||
	    (cp >= 0x048A && cp <= 0x052F);
}

static bool
is_latin_letter(uint32_t cp)
{
	if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
		return true;
	return cp >= 0xC0 && cp < 0xC0 + sizeof(lat_skel) /
	    sizeof(lat_skel[0]) && lat_skel[cp - 0xC0] != NULL;
}

/* Classify cp for the tokenizer; fullwidth forms are mapped to ASCII. */
static enum fold_class
fold_classify(uint32_t *cp)
{
	uint32_t c = *cp;

	if (c >= 0xFF10 && c <= 0xFF19)
		c = *cp = c - 0xFF10 + '0';
	else if ((c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A))
		c = *cp = c - 0xFF21 + 'A';
	if (c >= '0' && c <= '9')
		return FC_DIGIT;
	if (is_latin_letter(c))
		return FC_LATIN;
	if (is_cyrillic_letter(c))
		return FC_CYRILLIC;
	switch (c) {
	case '\'': case '`': case 0x00B4:	/* ' ` ´ */
	case 0x2018: case 0x2019: case 0x201B:	/* ‘ ’ ‛ */
	case 0x02B9: case 0x02BA: case 0x02BB:	/* ʹ ʺ ʻ */
	case 0x02BC: case 0x02BD: case 0x2032:	/* ʼ ʽ ′ */
		return FC_APOS;
	case 0x00AD: case 0x034F: case 0x180E:	/* soft hyphen, CGJ */
	case 0x2060: case 0xFEFF:		/* word joiner, BOM */
		return FC_IGNORE;
	}
	if ((c >= 0x200B && c <= 0x200F) || (c >= 0xFE00 && c <= 0xFE0F))
		return FC_IGNORE;	/* zero widths, variation selectors */
	if ((c >= 0x0300 && c <= 0x036F) || (c >= 0x0483 && c <= 0x0489))
		return FC_MARK;
	return FC_SEP;
}

/* Add cp to the token, dropping code points past FOLD_UNITS. */
static void
fold_add(struct fold_token *t, uint32_t cp, enum fold_class cls)
{
	if (t->n >= FOLD_UNITS)
		return;
	t->cp[t->n] = cp;
	t->cls[t->n] = cls;
	t->n++;
	if (cls == FC_CYRILLIC)
		t->ncyr++;
	else if (cls == FC_LATIN)
		t->nlat++;
	else if (cls == FC_DIGIT)
		t->ndigit++;
}

/* Step 5: look-alike letters take the script of the token's majority. */
static void
fold_homoglyphs(struct fold_token *t)
{
	size_t i;
	char c;

	for (i = 0; i < t->n; i++) {
		if (t->ncyr > t->nlat && t->cls[i] == FC_LATIN &&
		    t->cp[i] < 128 && lat_to_cyr[t->cp[i]] != 0) {
			t->cp[i] = lat_to_cyr[t->cp[i]];
			t->cls[i] = FC_CYRILLIC;
		} else if (t->nlat > t->ncyr && t->cls[i] == FC_CYRILLIC &&
		    (c = cyr_to_lat(t->cp[i])) != 0) {
			t->cp[i] = (unsigned char)c;
			t->cls[i] = FC_LATIN;
		}
	}
}

static bool
fold_is_digit_at(const struct fold_token *t, size_t i)
{
	return i < t->n && t->cls[i] == FC_DIGIT;
}

/*
 * Digits that chat and "Volapuk" writers use for letters, when the digit
 * stands alone inside a word ("4to", "pomo6", "mo9", "3арплата"):
 *
 *   4 ch (ч)   6 sh (ш)   9 ia (я)   3 z (з, Volapuk)
 *
 * Volapuk also writes 6 for б; chat's ш is far more common in requests
 * for help, so 6 stays ш.  0 and 1 are left alone: "o"/"l" look-alikes
 * are too rare in these messages to be worth the risk in codes.
 */
static const char *
fold_digit_letter(uint32_t cp)
{
	switch (cp) {
	case '3':
		return "z";
	case '4':
		return "ch";
	case '6':
		return "sh";
	case '9':
		return "ia";
	}
	return NULL;
}

/*
 * Step 6: the token's skeleton into sk (FOLD_SKEL bytes): lowercase
 * ASCII letters and digits, at most two bytes a unit.  Returns the
 * length.
 */
static size_t
fold_skeleton(const struct fold_token *t, char *sk)
{
	const char *s;
	char one[2];
	size_t i, o = 0;
	uint32_t cp;
	bool apos;

	for (i = 0; i < t->n; i++) {
		cp = t->cp[i];
		s = NULL;
		apos = i + 1 < t->n && t->cls[i + 1] == FC_APOS;
		switch ((enum fold_class)t->cls[i]) {
		case FC_CYRILLIC:
			if (cp >= 0x400 && cp < 0x500)
				s = cyr_skel[cp - 0x400];
			break;
		case FC_LATIN:
			if (cp < 128) {
				one[0] = (char)(cp | 0x20);
				one[1] = '\0';
				s = one;
				/* Kazakh Latin 2017: s' c' y' are ш ч у. */
				if (apos && one[0] == 's')
					s = "sh";
				else if (apos && one[0] == 'c')
					s = "ch";
				else if (apos && one[0] == 'y')
					s = "u";
				else if (one[0] == 'w')
					s = "sh";
			} else
				s = lat_skel[cp - 0xC0];
			break;
		case FC_DIGIT:
			one[0] = (char)cp;
			one[1] = '\0';
			s = one;
			/*
			 * A lone digit inside a word is a letter (table
			 * above fold_digit_letter); in a number it stays.
			 */
			if (t->nlat + t->ncyr > 0 &&
			    !fold_is_digit_at(t, i + 1) &&
			    (i == 0 || !fold_is_digit_at(t, i - 1)) &&
			    fold_digit_letter(cp) != NULL)
				s = fold_digit_letter(cp);
			break;
		case FC_APOS:
		case FC_SEP:
		case FC_IGNORE:
		case FC_MARK:
			break;
		}
		for (; s != NULL && *s != '\0'; s++)
			sk[o++] = *s;
	}
	sk[o] = '\0';
	return o;
}

/* A Latin consonant of the skeleton (y counts as a vowel). */
static bool
fold_consonant(char c)
{
	return c >= 'a' && c <= 'z' && strchr("aeiouy", c) == NULL;
}

/*
 * Step 7, first half: spelling variants, longest first.  Never makes
 * the string longer.  Returns the new length.
 */
static size_t
fold_variants(char *out, const char *in, size_t n)
{
	size_t i = 0, o = 0;

	while (i < n) {
		if (n - i >= 4 && memcmp(in + i, "shch", 4) == 0) {
			out[o++] = 's';
			out[o++] = 'h';
			i += 4;
		} else if (n - i >= 3 && memcmp(in + i, "sch", 3) == 0) {
			out[o++] = 's';
			out[o++] = 'h';
			i += 3;
		} else if (n - i >= 2 && memcmp(in + i, "zh", 2) == 0) {
			out[o++] = 'j';
			i += 2;
		} else if (n - i >= 2 && memcmp(in + i, "kh", 2) == 0) {
			out[o++] = 'h';
			i += 2;
		} else if (n - i >= 2 && memcmp(in + i, "ts", 2) == 0) {
			out[o++] = 'c';
			i += 2;
		} else if (n - i >= 2 && memcmp(in + i, "yo", 2) == 0 &&
		    o > 0 && fold_consonant(out[o - 1])) {
			/* Translit ё after a consonant: "eshyo" = ещё. */
			out[o++] = 'e';
			i += 2;
		} else {
			switch (in[i]) {
			case 'x':
				out[o++] = 'h';
				break;
			case 'q':
				out[o++] = 'k';
				break;
			case 'y':
				out[o++] = 'i';
				break;
			default:
				out[o++] = in[i];
				break;
			}
			i++;
		}
	}
	return o;
}

/*
 * Step 7, second half: j before a or u is the Russian й (ja = я), and
 * doubled letters collapse (digits stay).  Returns the new length.
 */
static size_t
fold_collapse(char *out, const char *in, size_t n)
{
	size_t i, o = 0;
	char c;

	for (i = 0; i < n; i++) {
		c = in[i];
		if (c == 'j' && i + 1 < n && (in[i + 1] == 'a' ||
		    in[i + 1] == 'u'))
			c = 'i';
		if (c >= 'a' && c <= 'z' && o > 0 && out[o - 1] == c)
			continue;
		out[o++] = c;
	}
	return o;
}

/*
 * Fold the token and append it to dst after a space if it is not the
 * first.  Returns -1 when it does not fit (dst is left as it was).
 */
static int
fold_emit(struct fold_token *t, char *dst, size_t dstsz, size_t *len)
{
	char sk[FOLD_SKEL], v[FOLD_SKEL], w[FOLD_SKEL];
	size_t n, m, i, need;
	int pass;

	if (t->nlat + t->ncyr == 0) {
		/* Step 4: digits only; apostrophes alone vanish. */
		for (i = n = 0; i < t->n; i++)
			if (t->cls[i] == FC_DIGIT)
				sk[n++] = (char)t->cp[i];
	} else {
		fold_homoglyphs(t);
		n = fold_skeleton(t, sk);
		/*
		 * Rules can meet again after a first round ("zkh" -> "zh"):
		 * repeat until nothing changes, so folding is idempotent.
		 */
		for (pass = 0; pass < 8; pass++) {
			m = fold_variants(v, sk, n);
			m = fold_collapse(w, v, m);
			if (m == n && memcmp(w, sk, n) == 0)
				break;
			memcpy(sk, w, m);
			n = m;
		}
	}
	if (n == 0)
		return 0;
	need = n + (*len > 0);
	if (*len + need >= dstsz)
		return -1;
	if (*len > 0)
		dst[(*len)++] = ' ';
	memcpy(dst + *len, sk, n);
	*len += n;
	dst[*len] = '\0';
	return 0;
}

static void
fold_reset(struct fold_token *t)
{
	t->n = 0;
	t->ncyr = t->nlat = t->ndigit = 0;
}

/*
 * Fold src to its matching key in dst (see the top of this file).  Only
 * whole tokens are written: the first one that does not fit ends the
 * output.  Always NUL-terminates dst when dstsz > 0; returns the length.
 */
size_t
text_fold(char *dst, size_t dstsz, const char *src)
{
	struct fold_token t;
	const char *end;
	enum fold_class cls;
	uint32_t cp, comp;
	size_t len = 0;
	int32_t c;

	if (dstsz == 0)
		return 0;
	dst[0] = '\0';
	if (src == NULL)
		return 0;
	end = src + strlen(src);
	fold_reset(&t);
	while (src < end) {
		if ((c = utf8_next(&src, end)) < 0)
			continue;	/* invalid bytes vanish */
		cp = (uint32_t)c;
		cls = fold_classify(&cp);
		switch (cls) {
		case FC_IGNORE:
			break;
		case FC_MARK:
			if (t.n > 0 && t.cls[t.n - 1] == FC_LATIN &&
			    (comp = fold_compose(t.cp[t.n - 1], cp)) != 0)
				t.cp[t.n - 1] = comp;
			break;
		case FC_SEP:
			if (t.n > 0 && fold_emit(&t, dst, dstsz, &len) == -1)
				return len;
			fold_reset(&t);
			break;
		case FC_APOS:
		case FC_DIGIT:
		case FC_LATIN:
		case FC_CYRILLIC:
			fold_add(&t, cp, cls);
			break;
		}
	}
	if (t.n > 0)
		(void)fold_emit(&t, dst, dstsz, &len);
	return len;
}

static bool
is_kazakh_letter(uint32_t cp)
{
	switch (cp) {
	case 0x04D8: case 0x04D9:	/* Ә ә */
	case 0x0492: case 0x0493:	/* Ғ ғ */
	case 0x049A: case 0x049B:	/* Қ қ */
	case 0x04A2: case 0x04A3:	/* Ң ң */
	case 0x04E8: case 0x04E9:	/* Ө ө */
	case 0x04B0: case 0x04B1:	/* Ұ ұ */
	case 0x04AE: case 0x04AF:	/* Ү ү */
	case 0x04BA: case 0x04BB:	/* Һ һ */
	case 0x0406: case 0x0456:	/* І і */
		return true;
	}
	return false;
}

uint32_t
text_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

/*
 * The TEXT_* flags for a message: TEXT_KAZAKH if any of the nine Kazakh
 * letters occurs, and TEXT_CYRILLIC or TEXT_LATIN for the script with
 * more letters (neither on a tie or with no letters).  Invalid bytes
 * are skipped.
 */
int
text_script(const char *utf8)
{
	const char *end;
	int flags = 0, ncyr = 0, nlat = 0;
	int32_t c;

	if (utf8 == NULL)
		return 0;
	end = utf8 + strlen(utf8);
	while (utf8 < end) {
		if ((c = utf8_next(&utf8, end)) < 0)
			continue;
		if (is_cyrillic_letter((uint32_t)c)) {
			ncyr++;
			if (is_kazakh_letter((uint32_t)c))
				flags |= TEXT_KAZAKH;
		} else if (is_latin_letter((uint32_t)c))
			nlat++;
	}
	if (ncyr > nlat)
		flags |= TEXT_CYRILLIC;
	else if (nlat > ncyr)
		flags |= TEXT_LATIN;
	return flags;
}

/*
 * Cyrillic to readable GSM-7 Latin, for replies to people who write in
 * Latin script.  Two tables, indexed by small letter - 0x400; a text
 * with any of the nine Kazakh letters is read as Kazakh, else Russian:
 *
 *   Russian (the everyday SMS translit, not ICAO's "kh iu ia shch"):
 *     а a  б b  в v  г g  д d  е e  ё yo  ж zh  з z  и i  й y  к k
 *     л l  м m  н n  о o  п p  р r  с s  т t  у u  ф f  х h  ц ts
 *     ч ch  ш sh  щ sch  ъ -  ы y  ь -  э e  ю yu  я ya
 *   Kazakh (the 2021 alphabet; its letters GSM-7 lacks - ğ ş ı ū - as
 *   plain ASCII g sh i u; ä ö ü ñ are in GSM-7):
 *     ә ä  ғ g  ж j  и i  й i  қ q  ң ñ  ө ö  ұ u  ү ü  х h  һ h  і i
 *     ы y  ю iu  я ia, the rest as in Russian.
 *   Both: Tajik ӣ i  ӯ u  ҷ j  ҳ h, Uzbek ў u (Kyrgyz ң ө ү as Kazakh).
 *
 * Capitals: "Шұғыл" -> "Shugyl", and in a word of capitals the whole
 * digraph is capital: "ЕЩЁ" -> "ESCHYO".
 */
#define C(cp)	((cp) - 0x400)
static const char *const cyr_latin_ru[0x100] = {
	[C(0x430)] = "a", [C(0x431)] = "b", [C(0x432)] = "v", [C(0x433)] = "g",
	[C(0x434)] = "d", [C(0x435)] = "e", [C(0x436)] = "zh", [C(0x437)] = "z",
	[C(0x438)] = "i", [C(0x439)] = "y", [C(0x43A)] = "k", [C(0x43B)] = "l",
	[C(0x43C)] = "m", [C(0x43D)] = "n", [C(0x43E)] = "o", [C(0x43F)] = "p",
	[C(0x440)] = "r", [C(0x441)] = "s", [C(0x442)] = "t", [C(0x443)] = "u",
	[C(0x444)] = "f", [C(0x445)] = "h",
	[C(0x446)] = "ts", [C(0x447)] = "ch",
	[C(0x448)] = "sh", [C(0x449)] = "sch",
	[C(0x44A)] = "", [C(0x44B)] = "y",
	[C(0x44C)] = "", [C(0x44D)] = "e", [C(0x44E)] = "yu", [C(0x44F)] = "ya",
	[C(0x450)] = "e", [C(0x451)] = "yo",
	[C(0x454)] = "ye", [C(0x456)] = "i",
	[C(0x457)] = "yi", [C(0x45E)] = "u",
	[C(0x4D9)] = "\xc3\xa4", [C(0x493)] = "g", [C(0x49B)] = "q",
	[C(0x4A3)] = "\xc3\xb1", [C(0x4E9)] = "\xc3\xb6", [C(0x4B1)] = "u",
	[C(0x4AF)] = "\xc3\xbc", [C(0x4BB)] = "h",
	[C(0x4E3)] = "i", [C(0x4EF)] = "u", [C(0x4B7)] = "j", [C(0x4B3)] = "h",
};
static const char *const cyr_latin_kk[0x100] = {
	[C(0x430)] = "a", [C(0x431)] = "b", [C(0x432)] = "v", [C(0x433)] = "g",
	[C(0x434)] = "d", [C(0x435)] = "e", [C(0x436)] = "j", [C(0x437)] = "z",
	[C(0x438)] = "i", [C(0x439)] = "i", [C(0x43A)] = "k", [C(0x43B)] = "l",
	[C(0x43C)] = "m", [C(0x43D)] = "n", [C(0x43E)] = "o", [C(0x43F)] = "p",
	[C(0x440)] = "r", [C(0x441)] = "s", [C(0x442)] = "t", [C(0x443)] = "u",
	[C(0x444)] = "f", [C(0x445)] = "h",
	[C(0x446)] = "ts", [C(0x447)] = "ch",
	[C(0x448)] = "sh", [C(0x449)] = "sch",
	[C(0x44A)] = "", [C(0x44B)] = "y",
	[C(0x44C)] = "", [C(0x44D)] = "e", [C(0x44E)] = "iu", [C(0x44F)] = "ia",
	[C(0x450)] = "e", [C(0x451)] = "io",
	[C(0x454)] = "ie", [C(0x456)] = "i",
	[C(0x457)] = "i", [C(0x45E)] = "u",
	[C(0x4D9)] = "\xc3\xa4", [C(0x493)] = "g", [C(0x49B)] = "q",
	[C(0x4A3)] = "\xc3\xb1", [C(0x4E9)] = "\xc3\xb6", [C(0x4B1)] = "u",
	[C(0x4AF)] = "\xc3\xbc", [C(0x4BB)] = "h",
	[C(0x4E3)] = "i", [C(0x4EF)] = "u", [C(0x4B7)] = "j", [C(0x4B3)] = "h",
};
#undef C

/* Punctuation GSM-7 lacks, as the nearest characters it has. */
static const char *
latin_punct(uint32_t cp)
{
	switch (cp) {
	case 0x2010: case 0x2011: case 0x2012:
	case 0x2013: case 0x2014: case 0x2015: case 0x2212:
		return "-";
	case 0x2018: case 0x2019: case 0x201A: case 0x02BC: case 0x60:
	case 0xB4:
		return "'";
	case 0xAB: case 0xBB: case 0x201C: case 0x201D: case 0x201E:
		return "\"";
	case 0x2026:
		return "...";
	case 0x2116:
		return "N";
	case 0x20B8:
		return "KZT";
	case 0x2022: case 0xB7:
		return "*";
	case 0xA0: case 0x2007: case 0x2009: case 0x202F:
		return " ";
	}
	return NULL;
}

/*
 * The Latin-1 letters and signs GSM 03.38's default alphabet has, which
 * pass through as they are: £ ¥ è é ù ì ò Ç Ø ø Å å Ä Ö Ñ Ü § ¿ ä ö ñ ü
 * à Æ æ ß É ¡ ¤.
 */
static bool
latin_gsm_latin1(uint32_t cp)
{
	switch (cp) {
	case 0xA3: case 0xA5: case 0xE8: case 0xE9: case 0xF9: case 0xEC:
	case 0xF2: case 0xC7: case 0xD8: case 0xF8: case 0xC5: case 0xE5:
	case 0xC4: case 0xD6: case 0xD1: case 0xDC: case 0xA7: case 0xBF:
	case 0xE4: case 0xF6: case 0xF1: case 0xFC: case 0xE0: case 0xC6:
	case 0xE6: case 0xDF: case 0xC9: case 0xA1: case 0xA4:
		return true;
	}
	return false;
}

/*
 * The small letter of a Cyrillic capital in table tab, or 0 when cp is
 * not one.
 */
static uint32_t
latin_lower(const char *const *tab, uint32_t cp)
{
	if (cp >= 0x410 && cp <= 0x42F)
		return cp + 0x20;
	if (cp >= 0x400 && cp <= 0x40F)
		return cp + 0x50;
	if (cp >= 0x460 && cp < 0x4FF && (cp & 1) == 0 &&
	    tab[cp + 1 - 0x400] != NULL)
		return cp + 1;
	return 0;
}

/* Is cp a capital letter, Cyrillic or ASCII? */
static bool
latin_is_upper(const char *const *tab, int32_t cp)
{
	return cp >= 0 && ((cp >= 'A' && cp <= 'Z') ||
	    latin_lower(tab, (uint32_t)cp) != 0);
}

/*
 * Does the Cyrillic word at s (up to the first code point that is not a
 * Cyrillic letter) have one of the nine Kazakh letters?  With count,
 * also the number of Cyrillic words in the text from s, and of those
 * with a Kazakh letter, are added to count[0] and count[1].
 */
static bool
latin_kazakh_word(const char *s, const char *end, int count[2])
{
	int32_t cp;
	bool in = false, kk = false, first = true, first_kk = false;

	while (s < end) {
		cp = utf8_next(&s, end);
		if (cp >= 0 && is_cyrillic_letter((uint32_t)cp)) {
			if (!in && count != NULL)
				count[0]++;
			in = true;
			if (is_kazakh_letter((uint32_t)cp) && !kk) {
				kk = true;
				if (count != NULL)
					count[1]++;
			}
			continue;
		}
		if (first)
			first_kk = kk;
		if (count == NULL)
			return kk;
		first = false;
		in = kk = false;
	}
	return first ? kk : first_kk;
}

/*
 * Transliterate src into dst (see the tables above): every byte written
 * is GSM 03.38; what has no readable form there is dropped.  Stops at a
 * whole character; always NUL-terminates when dstsz > 0.  Returns the
 * length written.
 */
size_t
text_latin(char *dst, size_t dstsz, const char *src)
{
	const char	*s = src, *end = src + strlen(src), *rep, *peek;
	const char *const *tab, *const *base;
	char		 buf[8];
	size_t		 len = 0, n, i;
	int32_t		 cp;
	uint32_t	 lower;
	bool		 upper, caps, prev_upper = false, in_word = false;
	int		 count[2] = { 0, 0 };

	if (dstsz == 0)
		return 0;
	/*
	 * A word with a Kazakh letter is Kazakh; the others are Kazakh when
	 * a third of the words are, so a Russian menu's "Тіл" does not make
	 * "Язык" Kazakh.
	 */
	(void)latin_kazakh_word(src, end, count);
	base = count[1] * 3 >= count[0] && count[1] > 0 ? cyr_latin_kk :
	    cyr_latin_ru;
	tab = base;
	while (s < end) {
		peek = s;
		if ((cp = utf8_next(&s, end)) < 0)
			continue;
		if (!is_cyrillic_letter((uint32_t)cp))
			in_word = false;
		else if (!in_word) {
			in_word = true;
			tab = latin_kazakh_word(peek, end, NULL) ?
			    cyr_latin_kk : base;
		}
		rep = NULL;
		upper = false;
		if (cp >= 0x400 && cp < 0x500) {
			lower = (uint32_t)cp;
			if (latin_lower(tab, (uint32_t)cp) != 0) {
				lower = latin_lower(tab, (uint32_t)cp);
				upper = true;
			}
			rep = tab[lower - 0x400];
		} else if (cp == '\n' || (cp >= 0x20 && cp < 0x7F &&
		    cp != 0x60)) {
			buf[0] = (char)cp;
			buf[1] = '\0';
			rep = buf;
		} else if (latin_gsm_latin1((uint32_t)cp)) {
			buf[utf8_put(buf, (uint32_t)cp)] = '\0';
			rep = buf;
		} else
			rep = latin_punct((uint32_t)cp);
		if (rep == NULL) {
			prev_upper = false;
			continue;	/* nothing readable in GSM-7 */
		}
		n = strlen(rep);
		if (len + n + 1 > dstsz)
			break;
		memcpy(dst + len, rep, n);
		/* A capital stays one; in a word of capitals, all of it. */
		peek = s;
		caps = upper && (prev_upper ||
		    latin_is_upper(tab, utf8_next(&peek, end)));
		for (i = 0; upper && i < n; i++) {
			if (dst[len + i] >= 'a' && dst[len + i] <= 'z')
				dst[len + i] = (char)(dst[len + i] - 'a' + 'A');
			else if ((unsigned char)dst[len + i] == 0xc3 &&
			    i + 1 < n) {
				dst[len + i + 1] = (char)(dst[len + i + 1] -
				    0x20);
				i++;
			}
			if (!caps)
				break;
		}
		len += n;
		prev_upper = upper || (cp >= 'A' && cp <= 'Z');
	}
	dst[len] = '\0';
	return len;
}

/*
 * Damerau-Levenshtein distance (optimal string alignment) of a and b,
 * or max + 1 as soon as it must exceed max (or when a length is over
 * TEXT_MAX_FOLD).  Used on folded keys by route.c and lists.c.
 */
int
text_distance(const char *a, size_t la, const char *b, size_t lb, int max)
{
	int rows[3][TEXT_MAX_FOLD + 1];
	int *pp, *p, *cur, *tmp, v, best;
	size_t i, j;

	if ((la > lb ? la - lb : lb - la) > (size_t)max ||
	    la > TEXT_MAX_FOLD || lb > TEXT_MAX_FOLD)
		return max + 1;
	for (j = 0; j <= lb; j++)
		rows[1][j] = (int)j;
	pp = rows[0];
	p = rows[1];
	cur = rows[2];
	for (i = 1; i <= la; i++) {
		cur[0] = (int)i;
		best = cur[0];
		for (j = 1; j <= lb; j++) {
			v = p[j - 1] + (a[i - 1] != b[j - 1]);
			if (p[j] + 1 < v)
				v = p[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			cur[j] = v;
			if (v < best)
				best = v;
		}
		if (best > max)
			return max + 1;
		/* Rotate: the oldest row becomes the next current one. */
		tmp = pp;
		pp = p;
		p = cur;
		cur = tmp;
	}
	return p[lb] > max ? max + 1 : p[lb];
}
