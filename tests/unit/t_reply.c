/*
 * t_reply.c - unit tests for reply.c: GSM 03.38 and UTF-16 arithmetic,
 * the 160/153 and 70/67 boundaries, escape and surrogate pairs at part
 * edges, word-boundary splitting, cutting with a hint, and a checker run
 * over many generated texts that recounts every part.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "reply.h"

/* A string of n copies of the UTF-8 character ch; caller frees. */
static char *
rep(const char *ch, size_t n)
{
	size_t	 len = strlen(ch), i;
	char	*s;

	s = malloc(len * n + 1);
	assert_non_null(s);
	for (i = 0; i < n; i++)
		memcpy(s + i * len, ch, len);
	s[len * n] = '\0';
	return s;
}

/* Append src to the heap string *dst. */
static void
cat(char **dst, const char *src)
{
	size_t	 a = *dst == NULL ? 0 : strlen(*dst), b = strlen(src);
	char	*s;

	s = realloc(*dst, a + b + 1);
	assert_non_null(s);
	memcpy(s + a, src, b + 1);
	*dst = s;
}

static size_t
cost_of(const char *s, enum reply_coding coding)
{
	return coding == REPLY_GSM7 ? reply_septets(s) : reply_ucs2_units(s);
}

/* Cost of the bytes s[a..b) in coding. */
static size_t
cost_range(const char *s, size_t a, size_t b, enum reply_coding coding)
{
	char	*t;
	size_t	 c;

	t = malloc(b - a + 1);
	assert_non_null(t);
	memcpy(t, s + a, b - a);
	t[b - a] = '\0';
	c = cost_of(t, coding);
	free(t);
	return c;
}

static int
is_brk(char c)
{
	return c == ' ' || c == '\n';
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t	a = strlen(s), b = strlen(suffix);

	return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

/*
 * Recount every part of r, composed from text (valid UTF-8) with
 * max_parts and hint: limits, coding, part count, word boundaries, and
 * that joining gives the text back, or a prefix of it and the hint.
 */
static void
check_reply(const struct reply *r, const char *text, size_t max_parts,
    const char *hint)
{
	enum reply_coding	 tc;
	size_t			 mp, single, multi, i, off, a, b, len, hl;
	char			*joined;

	mp = max_parts == 0 ? 1 : max_parts;
	if (mp > REPLY_MAX_PARTS)
		mp = REPLY_MAX_PARTS;
	single = r->coding == REPLY_GSM7 ? 160 : 70;
	multi = r->coding == REPLY_GSM7 ? 153 : 67;
	assert_true(r->nparts <= mp);

	for (i = 0; i < r->nparts; i++) {
		assert_non_null(r->part[i]);
		assert_true(r->part[i][0] != '\0');
		assert_true(cost_of(r->part[i], r->coding) <=
		    (r->nparts == 1 ? single : multi));
		if (r->coding == REPLY_GSM7)
			assert_true(reply_is_gsm7(r->part[i]));
	}

	joined = reply_join(r);
	assert_non_null(joined);

	/* Each part ends after a break, or inside a word too long. */
	for (i = 0, off = 0; i + 1 < r->nparts; i++) {
		off += strlen(r->part[i]);
		if (is_brk(joined[off - 1]))
			continue;
		for (a = off; a > 0 && !is_brk(joined[a - 1]); a--)
			;
		for (b = off; joined[b] != '\0' && !is_brk(joined[b]); b++)
			;
		if (joined[b] != '\0')
			b++;
		assert_true(cost_range(joined, a, b, r->coding) > multi);
	}

	if (!r->cut) {
		assert_string_equal(joined, text);
		assert_int_equal(reply_count_parts(text, &tc), r->nparts);
		if (r->nparts > 0)
			assert_int_equal(tc, r->coding);
		assert_int_equal(r->coding == REPLY_GSM7,
		    reply_is_gsm7(text));
		if (cost_of(text, r->coding) <= single)
			assert_int_equal(r->nparts, text[0] != '\0');
	} else {
		assert_true(reply_count_parts(text, NULL) > mp);
		assert_true(r->nparts >= 1);
		len = strlen(joined);
		hl = hint == NULL ? 0 : strlen(hint);
		if (hl > 0) {
			assert_true(ends_with(r->part[r->nparts - 1], hint));
			len -= hl;
		}
		/*
		 * What is kept of the text ends at a break; or inside a
		 * long word, and then a space goes before the hint.
		 */
		assert_true(len > 0);
		if (hl > 0 && memcmp(joined, text, len) != 0) {
			assert_true(joined[len - 1] == ' ');
			len--;
			assert_false(is_brk(joined[len - 1]));
		}
		assert_memory_equal(joined, text, len);
		assert_true(len < strlen(text));
	}
	free(joined);
}

static void
compose_check(const char *text, size_t max_parts, const char *hint,
    struct reply *r)
{
	assert_int_equal(reply_compose(r, text, max_parts, hint), 0);
	check_reply(r, text, max_parts, hint);
}

/* Every character of the default alphabet is 1 septet, as 03.38 has it. */
static void
t_gsm7_table(void **state)
{
	static const char *basic[] = {
		"@", "£", "$", "¥", "è", "é", "ù", "ì", "ò", "Ç", "\n", "Ø",
		"ø", "\r", "Å", "å", "Δ", "_", "Φ", "Γ", "Λ", "Ω", "Π", "Ψ",
		"Σ", "Θ", "Ξ", "Æ", "æ", "ß", "É", " ", "!", "\"", "#", "¤",
		"%", "&", "'", "(", ")", "*", "+", ",", "-", ".", "/", "0",
		"9", ":", ";", "<", "=", ">", "?", "¡", "A", "Z", "Ä", "Ö",
		"Ñ", "Ü", "§", "¿", "a", "z", "ä", "ö", "ñ", "ü", "à"
	};
	static const char *ext[] = {
		"^", "{", "}", "\\", "[", "~", "]", "|", "€", "\f"
	};
	static const char *none[] = {
		"`", "\t", "ç", "Б", "ж", "ğ", "ş", "ı", "ū", "İ", "😀",
		"\xc2\xa0", "\x01", "\x1b", "ê", "Ё", "α", "‘", "’", "«"
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(basic) / sizeof(basic[0]); i++) {
		assert_true(reply_is_gsm7(basic[i]));
		assert_int_equal(reply_septets(basic[i]), 1);
	}
	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		assert_true(reply_is_gsm7(ext[i]));
		assert_int_equal(reply_septets(ext[i]), 2);
	}
	for (i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		assert_false(reply_is_gsm7(none[i]));
}

/* Over all of Unicode: 127 one-septet characters and 10 two-septet. */
static void
t_gsm7_census(void **state)
{
	char		 buf[8];
	uint32_t	 c;
	size_t		 one = 0, two = 0;
	unsigned char	*d = (unsigned char *)buf;

	(void)state;
	for (c = 1; c <= 0x10ffff; c++) {
		if (c >= 0xd800 && c <= 0xdfff)
			continue;
		if (c < 0x80) {
			d[0] = c;
			d[1] = 0;
		} else if (c < 0x800) {
			d[0] = 0xc0 | c >> 6;
			d[1] = 0x80 | (c & 0x3f);
			d[2] = 0;
		} else if (c < 0x10000) {
			d[0] = 0xe0 | c >> 12;
			d[1] = 0x80 | (c >> 6 & 0x3f);
			d[2] = 0x80 | (c & 0x3f);
			d[3] = 0;
		} else {
			d[0] = 0xf0 | c >> 18;
			d[1] = 0x80 | (c >> 12 & 0x3f);
			d[2] = 0x80 | (c >> 6 & 0x3f);
			d[3] = 0x80 | (c & 0x3f);
			d[4] = 0;
		}
		if (!reply_is_gsm7(buf))
			continue;
		if (reply_septets(buf) == 1)
			one++;
		else if (reply_septets(buf) == 2)
			two++;
		else
			fail();
		assert_int_equal(reply_ucs2_units(buf), c >= 0x10000 ? 2 : 1);
	}
	assert_int_equal(one, 127);	/* 128 codes, one is the escape */
	assert_int_equal(two, 10);
}

static void
t_counts(void **state)
{
	(void)state;
	assert_int_equal(reply_septets(""), 0);
	assert_int_equal(reply_septets(NULL), 0);
	assert_int_equal(reply_septets("Hello"), 5);
	assert_int_equal(reply_septets("a€b"), 4);
	assert_int_equal(reply_septets("[x]{y}"), 10);
	assert_int_equal(reply_septets("^\\|~"), 8);
	assert_int_equal(reply_septets("tel: +7 (701) 123-45-67"), 23);
	assert_int_equal(reply_septets("ÄÖÑÜ äöñü"), 9);
	assert_int_equal(reply_ucs2_units(""), 0);
	assert_int_equal(reply_ucs2_units("Қазақ"), 5);
	assert_int_equal(reply_ucs2_units("€"), 1);
	assert_int_equal(reply_ucs2_units("😀"), 2);
	assert_int_equal(reply_ucs2_units("a😀b𝄞"), 6);
	assert_int_equal(reply_ucs2_units("\xef\xbf\xbf"), 1);	/* U+FFFF */
	assert_true(reply_is_gsm7(""));
	assert_true(reply_is_gsm7(NULL));
	assert_true(reply_is_gsm7("Call 1414, {free} €0"));
	assert_false(reply_is_gsm7("Call 1414 `now`"));
}

/* Kazakh Cyrillic forces UCS-2; Kazakh Latin 2021 only in part. */
static void
t_kazakh(void **state)
{
	static const char *cyr[] = {
		"ә", "Ә", "ғ", "Ғ", "қ", "Қ", "ң", "Ң", "ө", "Ө", "ұ", "Ұ",
		"ү", "Ү", "һ", "Һ", "і", "І"
	};
	static const char *lat_gsm[] = {
		"ä", "ö", "ü", "ñ", "Ä", "Ö", "Ü", "Ñ", "kömek"
	};
	static const char *lat_ucs[] = { "ğ", "ş", "ı", "ū", "İ", "Ğ", "Ş" };
	struct reply	 r;
	size_t		 i;
	enum reply_coding c;

	(void)state;
	for (i = 0; i < sizeof(cyr) / sizeof(cyr[0]); i++)
		assert_false(reply_is_gsm7(cyr[i]));
	for (i = 0; i < sizeof(lat_gsm) / sizeof(lat_gsm[0]); i++)
		assert_true(reply_is_gsm7(lat_gsm[i]));
	assert_false(reply_is_gsm7("jūmys"));
	for (i = 0; i < sizeof(lat_ucs) / sizeof(lat_ucs[0]); i++)
		assert_false(reply_is_gsm7(lat_ucs[i]));

	compose_check("Kömek kerek pe? Jedel jelı: 1414", 3, NULL, &r);
	assert_int_equal(r.coding, REPLY_UCS2);	/* ı */
	reply_release(&r);
	compose_check("Kömek kerek pe? Ñ Ü Ä Ö: 1414", 3, NULL, &r);
	assert_int_equal(r.coding, REPLY_GSM7);
	reply_release(&r);
	compose_check("Көмек керек пе? 1414", 3, NULL, &r);
	assert_int_equal(r.coding, REPLY_UCS2);
	reply_release(&r);
	assert_int_equal(reply_count_parts("Помощь: 1414", &c), 1);
	assert_int_equal(c, REPLY_UCS2);
	assert_int_equal(reply_count_parts("Pomoshch: 1414", &c), 1);
	assert_int_equal(c, REPLY_GSM7);
	assert_int_equal(reply_count_parts("", &c), 0);
	assert_int_equal(c, REPLY_GSM7);
}

/* 160/161, 306/307 septets; 70/71, 134/135 units. */
static void
t_boundaries(void **state)
{
	static const struct {
		const char	*ch;
		size_t		 n;
		size_t		 parts;
		enum reply_coding coding;
	} cases[] = {
		{ "a", 1, 1, REPLY_GSM7 },
		{ "a", 160, 1, REPLY_GSM7 },
		{ "a", 161, 2, REPLY_GSM7 },
		{ "a", 306, 2, REPLY_GSM7 },
		{ "a", 307, 3, REPLY_GSM7 },
		{ "a", 1530, 10, REPLY_GSM7 },
		{ "a", 1531, 11, REPLY_GSM7 },
		{ "€", 80, 1, REPLY_GSM7 },
		{ "€", 81, 2, REPLY_GSM7 },
		{ "ж", 70, 1, REPLY_UCS2 },
		{ "ж", 71, 2, REPLY_UCS2 },
		{ "ж", 134, 2, REPLY_UCS2 },
		{ "ж", 135, 3, REPLY_UCS2 },
		{ "😀", 35, 1, REPLY_UCS2 },
		{ "😀", 36, 2, REPLY_UCS2 },
		{ "😀", 66, 2, REPLY_UCS2 },	/* 33 pairs a part */
		{ "😀", 67, 3, REPLY_UCS2 },
	};
	struct reply		 r;
	enum reply_coding	 c;
	size_t			 i;
	char			*s;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		s = rep(cases[i].ch, cases[i].n);
		assert_int_equal(reply_count_parts(s, &c), cases[i].parts);
		assert_int_equal(c, cases[i].coding);
		if (cases[i].parts <= REPLY_MAX_PARTS) {
			compose_check(s, REPLY_MAX_PARTS, NULL, &r);
			assert_int_equal(r.nparts, cases[i].parts);
			assert_int_equal(r.coding, cases[i].coding);
			assert_false(r.cut);
			reply_release(&r);
		}
		free(s);
	}

	/* 159 septets and one extension character: 161, two parts. */
	s = rep("a", 158);
	cat(&s, "€");
	assert_int_equal(reply_count_parts(s, NULL), 1);
	cat(&s, "b");
	assert_int_equal(reply_count_parts(s, NULL), 2);
	free(s);
}

/* An extension character whose escape would be septet 153 moves on. */
static void
t_escape_at_153(void **state)
{
	struct reply	 r;
	char		*s;

	(void)state;
	s = rep("a", 152);
	cat(&s, "€");
	cat(&s, "bbbbbbbbbb");
	compose_check(s, 5, NULL, &r);
	assert_int_equal(r.nparts, 2);
	assert_int_equal(reply_septets(r.part[0]), 152);
	assert_int_equal(strlen(r.part[0]), 152);
	assert_string_equal(r.part[1], "€bbbbbbbbbb");
	reply_release(&r);

	/* 151 + 2 = 153 exactly: the pair stays in part one. */
	free(s);
	s = rep("a", 151);
	cat(&s, "[");
	cat(&s, "bbbbbbbbbb");
	compose_check(s, 5, NULL, &r);
	assert_int_equal(reply_septets(r.part[0]), 153);
	assert_true(ends_with(r.part[0], "["));
	reply_release(&r);
	free(s);

	/* All extension: 76 per part (152 septets), never 76.5. */
	s = rep("|", 200);
	compose_check(s, 10, NULL, &r);
	assert_int_equal(r.nparts, 3);
	assert_int_equal(strlen(r.part[0]), 76);
	reply_release(&r);
	free(s);
}

/* A surrogate pair that would be units 67 and 68 moves on whole. */
static void
t_surrogate_at_67(void **state)
{
	struct reply	 r;
	char		*s;

	(void)state;
	s = rep("ж", 66);
	cat(&s, "😀");
	cat(&s, "жжжжжжжжжж");
	compose_check(s, 5, NULL, &r);
	assert_int_equal(r.nparts, 2);
	assert_int_equal(reply_ucs2_units(r.part[0]), 66);
	assert_true(strncmp(r.part[1], "😀", strlen("😀")) == 0);
	reply_release(&r);
	free(s);

	/* 65 + 2 = 67 exactly. */
	s = rep("ж", 65);
	cat(&s, "👍");
	cat(&s, "жжжжжжжжжж");
	compose_check(s, 5, NULL, &r);
	assert_int_equal(reply_ucs2_units(r.part[0]), 67);
	assert_true(ends_with(r.part[0], "👍"));
	reply_release(&r);
	free(s);

	/* An emoji in Latin text makes it UCS-2. */
	compose_check("Hello 👋", 1, NULL, &r);
	assert_int_equal(r.coding, REPLY_UCS2);
	assert_int_equal(r.nparts, 1);
	reply_release(&r);
}

/* Parts end right after a space or newline, which they keep. */
static void
t_words(void **state)
{
	struct reply	 r;
	char		*s = NULL;
	size_t		 i;

	(void)state;
	for (i = 0; i < 40; i++)
		cat(&s, "word1234 ");	/* 9 septets each, 360 in all */
	compose_check(s, 10, NULL, &r);
	assert_int_equal(r.nparts, 3);
	/* 17 words are 153 septets: exactly full. */
	assert_int_equal(strlen(r.part[0]), 153);
	assert_true(ends_with(r.part[0], " "));
	assert_true(ends_with(r.part[1], " "));
	reply_release(&r);
	free(s);

	/*
	 * Newlines break too, and are preferred in a part's second half;
	 * the break stays with the earlier part.
	 */
	s = NULL;
	for (i = 0; i < 30; i++)
		cat(&s, "Жұмыс\nкерек ");
	compose_check(s, 10, NULL, &r);
	assert_int_equal(r.coding, REPLY_UCS2);
	for (i = 0; i + 1 < r.nparts; i++) {
		assert_true(ends_with(r.part[i], "\n"));
		assert_true(reply_ucs2_units(r.part[i]) > 67 / 2);
	}
	reply_release(&r);
	free(s);

	/* A word that would cross 153 moves whole to the next part. */
	s = rep("a", 150);
	cat(&s, " bbbbbbbb cc");
	compose_check(s, 10, NULL, &r);
	assert_int_equal(r.nparts, 2);
	assert_int_equal(strlen(r.part[0]), 151);
	assert_string_equal(r.part[1], "bbbbbbbb cc");
	reply_release(&r);
	free(s);
}

/* Only a word longer than a part is split between characters. */
static void
t_long_word(void **state)
{
	struct reply	 r;
	char		*s, *w;

	(void)state;
	w = rep("x", 400);
	s = NULL;
	cat(&s, "Link: ");
	cat(&s, w);
	cat(&s, " end");
	compose_check(s, 10, NULL, &r);
	/* The long word fills the part it starts in. */
	assert_int_equal(strlen(r.part[0]), 153);
	assert_int_equal(r.nparts, 3);
	reply_release(&r);
	free(s);
	free(w);

	/* A 67-unit word plus its space is too long for one part. */
	w = rep("ш", 67);
	s = NULL;
	cat(&s, "а ");
	cat(&s, w);
	cat(&s, " б");
	compose_check(s, 10, NULL, &r);
	assert_int_equal(r.nparts, 2);
	reply_release(&r);
	free(s);
	free(w);

	/* A 66-unit word and its space fit a part: no split inside. */
	w = rep("ш", 66);
	s = NULL;
	cat(&s, "а ");
	cat(&s, w);
	cat(&s, " ббб");
	compose_check(s, 10, NULL, &r);
	assert_int_equal(r.nparts, 3);
	assert_string_equal(r.part[0], "а ");
	assert_int_equal(reply_ucs2_units(r.part[1]), 67);
	assert_string_equal(r.part[2], "ббб");
	reply_release(&r);
	free(s);
	free(w);
}

/* Too long for max_parts: cut at a word, hint appended in budget. */
static void
t_cut(void **state)
{
	struct reply	 r;
	char		*s = NULL, *j;
	size_t		 i;

	(void)state;
	for (i = 0; i < 100; i++)
		cat(&s, "Call the hotline. ");	/* 18 septets, 1800 */
	compose_check(s, 2, "Reply MORE", &r);
	assert_true(r.cut);
	assert_int_equal(r.nparts, 2);
	assert_int_equal(r.coding, REPLY_GSM7);
	assert_true(ends_with(r.part[1], " Reply MORE"));
	j = reply_join(&r);
	assert_non_null(j);
	assert_true(strlen(j) > 280);
	free(j);
	reply_release(&r);

	/* One part: the single-SMS limit of 160 applies. */
	compose_check(s, 1, "MORE", &r);
	assert_true(r.cut);
	assert_int_equal(r.nparts, 1);
	assert_int_equal(reply_septets(r.part[0]), 8 * 18 + 9 + 4);
	reply_release(&r);

	/* max_parts 0 is 1; beyond REPLY_MAX_PARTS is REPLY_MAX_PARTS. */
	compose_check(s, 0, "MORE", &r);
	assert_int_equal(r.nparts, 1);
	assert_true(r.cut);
	reply_release(&r);
	compose_check(s, 1000, "MORE", &r);
	assert_int_equal(r.nparts, REPLY_MAX_PARTS);
	assert_true(r.cut);
	reply_release(&r);

	/* No hint. */
	compose_check(s, 3, NULL, &r);
	assert_true(r.cut);
	assert_true(ends_with(r.part[2], " "));
	reply_release(&r);
	compose_check(s, 3, "", &r);
	assert_true(r.cut);
	reply_release(&r);
	free(s);

	/* Ending on a newline, the hint starts the next line. */
	s = NULL;
	for (i = 0; i < 100; i++)
		cat(&s, "Line of text\n");
	compose_check(s, 1, "MORE", &r);
	assert_true(ends_with(r.part[0], "text\nMORE"));
	reply_release(&r);
	free(s);

	/* One endless word: cut inside it, a space, the hint. */
	s = rep("z", 2000);
	compose_check(s, 2, "MORE", &r);
	assert_true(r.cut);
	assert_true(ends_with(r.part[1], "z MORE"));
	assert_int_equal(reply_septets(r.part[0]), 153);
	assert_int_equal(reply_septets(r.part[1]), 153);
	reply_release(&r);
	free(s);
}

/* A hint the split would break gets the last part to itself. */
static void
t_cut_hint_whole(void **state)
{
	struct reply	 r;
	char		*s = NULL, *w;

	(void)state;
	w = rep("a", 150);
	cat(&s, w);
	free(w);
	w = rep("b", 145);
	cat(&s, " ");
	cat(&s, w);
	free(w);
	w = rep("c", 150);
	cat(&s, " ");
	cat(&s, w);
	cat(&s, " d ");
	free(w);
	w = rep("e", 100);
	cat(&s, w);
	free(w);
	compose_check(s, 3, "Reply MORE", &r);
	assert_true(r.cut);
	assert_int_equal(r.nparts, 3);
	assert_int_equal(strlen(r.part[0]), 151);
	assert_int_equal(strlen(r.part[1]), 146);
	assert_string_equal(r.part[2], "Reply MORE");
	reply_release(&r);
	free(s);
}

/* The hint counts toward the coding. */
static void
t_cut_hint_coding(void **state)
{
	struct reply	 r;
	char		*s = NULL;
	size_t		 i;

	(void)state;
	for (i = 0; i < 100; i++)
		cat(&s, "Jumys kerek pe? ");
	compose_check(s, 2, "ЕЩЁ: 1", &r);
	assert_true(r.cut);
	assert_int_equal(r.coding, REPLY_UCS2);
	assert_true(ends_with(r.part[1], " ЕЩЁ: 1"));
	assert_true(reply_ucs2_units(r.part[1]) <= 67);
	reply_release(&r);

	compose_check(s, 2, "Emoji 👉", &r);
	assert_int_equal(r.coding, REPLY_UCS2);
	reply_release(&r);

	compose_check(s, 2, "MORE", &r);
	assert_int_equal(r.coding, REPLY_GSM7);
	reply_release(&r);

	/*
	 * Cyrillic only in the part that is cut away: what is sent is
	 * all GSM-7, so it goes as GSM-7 and carries more text.
	 */
	cat(&s, "Көмек");
	compose_check(s, 2, "MORE", &r);
	assert_int_equal(r.coding, REPLY_GSM7);
	assert_true(reply_septets(r.part[0]) > 140);
	reply_release(&r);
	free(s);

	/* Cyrillic early: UCS-2 keeps far more than GSM-7 could. */
	s = NULL;
	cat(&s, "Hi ");
	for (i = 0; i < 100; i++)
		cat(&s, "Жұмыс керек пе? ");
	compose_check(s, 2, "MORE", &r);
	assert_int_equal(r.coding, REPLY_UCS2);
	assert_true(reply_ucs2_units(r.part[0]) > 60);
	reply_release(&r);
	free(s);
}

/* A hint too big to go with any text is dropped; the text is cut. */
static void
t_cut_big_hint(void **state)
{
	struct reply	 r;
	char		*s = NULL, *h;
	size_t		 i;

	(void)state;
	for (i = 0; i < 20; i++)
		cat(&s, "alpha beta ");
	h = rep("h", 158);
	assert_int_equal(reply_compose(&r, s, 1, h), 0);
	assert_true(r.cut);
	assert_int_equal(r.nparts, 1);
	check_reply(&r, s, 1, NULL);
	reply_release(&r);
	free(h);
	free(s);
}

static void
t_empty_invalid(void **state)
{
	struct reply	 r;
	char		*j;

	(void)state;
	assert_int_equal(reply_compose(&r, "", 3, "MORE"), 0);
	assert_int_equal(r.nparts, 0);
	assert_false(r.cut);
	j = reply_join(&r);
	assert_string_equal(j, "");
	free(j);
	reply_release(&r);
	reply_release(&r);

	assert_int_equal(reply_compose(&r, NULL, 3, NULL), 0);
	assert_int_equal(r.nparts, 0);
	reply_release(&r);

	/* Only bad bytes: nothing to send. */
	assert_int_equal(reply_compose(&r, "\xff\xfe\x80\xc0", 3, NULL), 0);
	assert_int_equal(r.nparts, 0);
	reply_release(&r);

	/* Stray, overlong, surrogate, too big, truncated: all skipped. */
	assert_int_equal(reply_septets("a\xff" "b"), 2);
	assert_int_equal(reply_septets("a\xc0\x80" "b"), 2);
	assert_int_equal(reply_septets("a\xe0\x80\x80" "b"), 2);
	assert_int_equal(reply_ucs2_units("a\xed\xa0\x80" "b"), 2);
	assert_int_equal(reply_ucs2_units("a\xf4\x90\x80\x80" "b"), 2);
	assert_int_equal(reply_ucs2_units("a\xf0\x9f\x98"), 1);
	assert_int_equal(reply_ucs2_units("\xe2\x82"), 0);
	assert_true(reply_is_gsm7("ok\xff"));

	assert_int_equal(reply_compose(&r, "Жұ\xd2мыс\xff ok\xe2\x82", 3,
	    NULL), 0);
	assert_int_equal(r.nparts, 1);
	assert_string_equal(r.part[0], "Жұмыс ok");
	reply_release(&r);

	assert_string_equal(reply_coding_name(REPLY_GSM7), "GSM-7");
	assert_string_equal(reply_coding_name(REPLY_UCS2), "UCS-2");
}

/* xorshift32: the same texts on every run. */
static uint32_t
rnd(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/*
 * A text of n characters from alpha: words of 1 to 12 characters, now
 * and then one of 100 to 250, between spaces and newlines.
 */
static char *
gen(const char *const *alpha, size_t nalpha, size_t n, uint32_t *seed)
{
	char	*s;
	size_t	 i, len = 0, word = 0;

	s = malloc(4 * n + 1);
	assert_non_null(s);
	for (i = 0; i < n; i++) {
		const char *ch;

		if (word == 0) {
			word = rnd(seed) % 20 == 0 ? 100 + rnd(seed) % 150 :
			    1 + rnd(seed) % 12;
			ch = rnd(seed) % 5 == 0 ? "\n" : " ";
			if (i == 0)
				ch = alpha[0];
		} else {
			ch = alpha[rnd(seed) % nalpha];
			word--;
		}
		memcpy(s + len, ch, strlen(ch));
		len += strlen(ch);
	}
	s[len] = '\0';
	return s;
}

/* Lengths 1..700 in five scripts, three budgets, with and without hint. */
static void
t_generated(void **state)
{
	static const char *latin[] = {
		"a", "b", "c", "e", "k", "o", "s", "t", "M", "1", ".", ",",
		"é", "ü", "ñ"
	};
	static const char *cyr[] = {
		"а", "б", "ж", "қ", "ә", "ң", "ө", "ү", "ұ", "і", "һ", "ғ",
		"Ж", "о", "к"
	};
	static const char *mixed[] = {
		"a", "b", "ж", "қ", "€", "[", "7", "s", "к", "ü"
	};
	static const char *emoji[] = {
		"😀", "👍", "а", "b", "𝄞", "ж", "🇰", "🇿"
	};
	static const char *ext[] = {
		"€", "{", "}", "|", "a", "^", "~", "\\", "[", "]", "b"
	};
	static const struct {
		const char *const	*alpha;
		size_t			 n;
	} scripts[] = {
		{ latin, sizeof(latin) / sizeof(latin[0]) },
		{ cyr, sizeof(cyr) / sizeof(cyr[0]) },
		{ mixed, sizeof(mixed) / sizeof(mixed[0]) },
		{ emoji, sizeof(emoji) / sizeof(emoji[0]) },
		{ ext, sizeof(ext) / sizeof(ext[0]) }
	};
	static const char *hints[] = { NULL, "MORE", "Ещё: 2", "👉 2" };
	static const size_t budgets[] = { 1, 3, 10 };
	struct reply	 r;
	uint32_t	 seed = 2463534242U;
	size_t		 len, sc, b, h, ncut = 0, nmulti = 0;
	char		*s;

	(void)state;
	for (len = 1; len <= 700; len++) {
		for (sc = 0; sc < sizeof(scripts) / sizeof(scripts[0]); sc++) {
			s = gen(scripts[sc].alpha, scripts[sc].n, len, &seed);
			for (b = 0; b < 3; b++) {
				for (h = 0; h < 4; h++) {
					compose_check(s, budgets[b], hints[h],
					    &r);
					ncut += r.cut;
					nmulti += r.nparts > 1;
					reply_release(&r);
				}
			}
			free(s);
		}
	}
	/* The run did reach both branches, many times. */
	assert_true(ncut > 5000);
	assert_true(nmulti > 5000);
}

/* Random bytes, most of them not UTF-8: never a crash, never too long. */
static void
t_random_bytes(void **state)
{
	struct reply	 r, r2;
	uint32_t	 seed = 88172645U;
	char		 text[700], hint[12], *j;
	size_t		 i, k, len, mp, lim;

	(void)state;
	for (i = 0; i < 3000; i++) {
		len = rnd(&seed) % sizeof(text);
		for (k = 0; k < len; k++) {
			text[k] = (char)(rnd(&seed) % 255 + 1);
			if (rnd(&seed) % 3 == 0)
				text[k] = 'a' + rnd(&seed) % 3;
			if (rnd(&seed) % 9 == 0)
				text[k] = ' ';
		}
		text[len] = '\0';
		for (k = 0; k < sizeof(hint) - 1; k++)
			hint[k] = (char)(rnd(&seed) % 255 + 1);
		hint[rnd(&seed) % sizeof(hint)] = '\0';
		mp = rnd(&seed) % 13;
		assert_int_equal(reply_compose(&r, text, mp, hint), 0);
		assert_true(r.nparts <= (mp == 0 ? 1 : mp > 10 ? 10 : mp));
		for (k = 0; k < r.nparts; k++) {
			lim = r.coding == REPLY_GSM7 ?
			    (r.nparts == 1 ? 160 : 153) :
			    (r.nparts == 1 ? 70 : 67);
			assert_true(cost_of(r.part[k], r.coding) <= lim);
		}
		if (!r.cut) {
			/* What was sent is clean: composing it again agrees. */
			j = reply_join(&r);
			assert_non_null(j);
			compose_check(j, mp, hint, &r2);
			assert_int_equal(r2.nparts, r.nparts);
			for (k = 0; k < r.nparts; k++)
				assert_string_equal(r2.part[k], r.part[k]);
			reply_release(&r2);
			free(j);
		}
		reply_release(&r);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_gsm7_table),
		cmocka_unit_test(t_gsm7_census),
		cmocka_unit_test(t_counts),
		cmocka_unit_test(t_kazakh),
		cmocka_unit_test(t_boundaries),
		cmocka_unit_test(t_escape_at_153),
		cmocka_unit_test(t_surrogate_at_67),
		cmocka_unit_test(t_words),
		cmocka_unit_test(t_long_word),
		cmocka_unit_test(t_cut),
		cmocka_unit_test(t_cut_hint_whole),
		cmocka_unit_test(t_cut_hint_coding),
		cmocka_unit_test(t_cut_big_hint),
		cmocka_unit_test(t_empty_invalid),
		cmocka_unit_test(t_generated),
		cmocka_unit_test(t_random_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
