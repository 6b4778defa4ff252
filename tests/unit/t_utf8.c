/*
 * t_utf8.c - unit tests for utf8.c, the one codec: every well-formed
 * length, every malformed case of the error rule (a byte that does not
 * begin a well-formed sequence is one error, decoding goes on at the
 * next byte), encoding, cleaning, counting, cutting and UTF-16BE both
 * ways.  The first four tests were t_text.c's when the codec was there.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "utf8.h"

static void
test_utf8_next(void **state)
{
	const char *s, *p;

	(void)state;
	s = p = "a\xd0\x96\xe2\x82\xac\xf0\x9f\x98\x80";
	assert_int_equal(utf8_next(&p, s + 10), 'a');
	assert_int_equal(utf8_next(&p, s + 10), 0x416);
	assert_int_equal(utf8_next(&p, s + 10), 0x20AC);
	assert_int_equal(utf8_next(&p, s + 10), 0x1F600);
	assert_ptr_equal(p, s + 10);
	assert_int_equal(utf8_next(&p, s + 10), -1);

	/* Each error advances one byte. */
	s = p = "\xc0\x80";
	assert_int_equal(utf8_next(&p, s + 2), -1);
	assert_ptr_equal(p, s + 1);
	s = p = "\xd0\x96";
	assert_int_equal(utf8_next(&p, s + 1), -1);	/* truncated */
	assert_ptr_equal(p, s + 1);
	s = p = "\xed\xbf\xbf";
	assert_int_equal(utf8_next(&p, s + 3), -1);	/* surrogate */
	s = p = "\xf5\x80\x80\x80";
	assert_int_equal(utf8_next(&p, s + 4), -1);
	s = p = "\xf0\x8f\xbf\xbf";
	assert_int_equal(utf8_next(&p, s + 4), -1);	/* overlong */
	s = p = "\xf4\x8f\xbf\xbf";
	assert_int_equal(utf8_next(&p, s + 4), 0x10FFFF);
}

static void
test_utf8_put(void **state)
{
	char buf[4];
	uint32_t cps[] = { 0x41, 0x7FF, 0x800, 0x4D9, 0xFFFF, 0x10000,
	    0x10FFFF };
	const char *p;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		n = utf8_put(buf, cps[i]);
		p = buf;
		assert_int_equal(utf8_next(&p, buf + n), cps[i]);
		assert_ptr_equal(p, buf + n);
	}
	assert_int_equal(utf8_put(buf, 0xD800), 3);	/* U+FFFD */
	assert_memory_equal(buf, "\xef\xbf\xbd", 3);
	assert_int_equal(utf8_put(buf, 0x110000), 3);
}

static void
test_utf8_valid(void **state)
{
	(void)state;
	assert_true(utf8_valid("", 0));
	assert_true(utf8_valid("көмек 😀", strlen("көмек 😀")));
	assert_false(utf8_valid("\xff", 1));
	assert_false(utf8_valid("\xd0", 1));
	assert_false(utf8_valid("a\xc0\x80", 3));
	assert_false(utf8_valid("\xed\xa0\x80", 3));
	assert_true(utf8_valid("a\0b", 3));
}

static void
test_utf8_clean(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(utf8_clean(buf, sizeof(buf), "a\xff" "b", 3),
	    5);
	assert_string_equal(buf, "a\xef\xbf\xbd" "b");
	utf8_clean(buf, sizeof(buf), "a\0b\x01\tc\nd\x1b", 9);
	assert_string_equal(buf, "ab\tc\nd");
	assert_int_equal(utf8_clean(buf, sizeof(buf), "", 0), 0);
	assert_string_equal(buf, "");
	/* Never splits a character: "жж" needs 5 bytes with the NUL. */
	assert_int_equal(utf8_clean(buf, 4, "жж", 4), 2);
	assert_string_equal(buf, "ж");
	assert_int_equal(utf8_clean(buf, 1, "ж", 2), 0);
	assert_string_equal(buf, "");
	assert_int_equal(utf8_clean(buf, 0, "ж", 2), 0);
	assert_true(utf8_valid(buf, utf8_clean(buf, sizeof(buf),
	    "\xed\xa0\x80\xf0\x9f", 5)));
}

/*
 * Decode all of in (len bytes) into out, -1 for each error, and return
 * the count: the error rule seen from outside.
 */
static size_t
decode_all(const char *in, size_t len, int32_t *out, size_t max)
{
	const char *p = in, *end = in + len;
	size_t n = 0;

	while (p < end && n < max)
		out[n++] = utf8_next(&p, end);
	assert_ptr_equal(p, end);
	return n;
}

struct bad_case {
	const char	*what;
	const char	*in;
	size_t		 len;
	int32_t		 want[6];
	size_t		 n;
};

static void
test_utf8_malformed(void **state)
{
	static const struct bad_case c[] = {
		{ "stray continuation", "\x80" "a", 2, { -1, 'a' }, 2 },
		{ "two stray", "\xbf\x80", 2, { -1, -1 }, 2 },
		{ "C0 lead (overlong)", "\xc0\xaf", 2, { -1, -1 }, 2 },
		{ "C1 lead (overlong)", "\xc1\xbf", 2, { -1, -1 }, 2 },
		{ "E0 overlong", "\xe0\x80\xaf", 3, { -1, -1, -1 }, 3 },
		{ "E0 overlong max", "\xe0\x9f\xbf", 3, { -1, -1, -1 }, 3 },
		{ "F0 overlong", "\xf0\x8f\xbf\xbf", 4, { -1, -1, -1, -1 },
		    4 },
		{ "surrogate D800", "\xed\xa0\x80", 3, { -1, -1, -1 }, 3 },
		{ "surrogate DFFF", "\xed\xbf\xbf", 3, { -1, -1, -1 }, 3 },
		{ "above U+10FFFF", "\xf4\x90\x80\x80", 4,
		    { -1, -1, -1, -1 }, 4 },
		{ "F5 lead", "\xf5\x80\x80\x80", 4, { -1, -1, -1, -1 }, 4 },
		{ "FE FF", "\xfe\xff", 2, { -1, -1 }, 2 },
		{ "2-byte cut by ASCII", "\xd0" "a", 2, { -1, 'a' }, 2 },
		{ "3-byte cut by ASCII", "\xe2\x82" "A", 3, { -1, -1, 'A' },
		    3 },
		{ "4-byte cut by a lead", "\xf0\x9f\x98\xd0\x96", 5,
		    { -1, -1, -1, 0x416 }, 4 },
		{ "2-byte cut by the end", "a\xd0", 2, { 'a', -1 }, 2 },
		{ "3-byte cut by the end", "\xe2\x82", 2, { -1, -1 }, 2 },
		{ "4-byte cut by the end", "\xf0\x9f\x98", 3, { -1, -1, -1 },
		    3 },
		{ "NUL is a character", "a\0b", 3, { 'a', 0, 'b' }, 3 },
		{ "edges", "\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf"
		    "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf", 18,
		    { 0x80, 0x7FF, 0x800, 0xFFFF, 0x10000, 0x10FFFF }, 6 },
	};
	int32_t got[8];
	size_t i, j, n;
	bool valid;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		n = decode_all(c[i].in, c[i].len, got, 8);
		if (n != c[i].n)
			print_error("%s: %zu code points, want %zu\n",
			    c[i].what, n, c[i].n);
		assert_int_equal(n, c[i].n);
		valid = true;
		for (j = 0; j < n; j++) {
			assert_int_equal(got[j], c[i].want[j]);
			valid = valid && got[j] >= 0;
		}
		assert_int_equal(utf8_valid(c[i].in, c[i].len), valid);
	}
}

static void
test_utf8_end(void **state)
{
	const char *s = "a", *p = s;

	(void)state;
	/* At the end: -1, and *s stays. */
	assert_int_equal(utf8_next(&p, s), -1);
	assert_ptr_equal(p, s);
}

static void
test_utf8_clean_rule(void **state)
{
	char buf[64];

	(void)state;
	/* Each error is one U+FFFD, whatever the sequence it broke. */
	assert_int_equal(utf8_clean(buf, sizeof(buf), "\xe2\x82" "A", 3), 7);
	assert_string_equal(buf, "\xef\xbf\xbd\xef\xbf\xbd" "A");
	utf8_clean(buf, sizeof(buf), "\xc0\x80", 2);
	assert_string_equal(buf, "\xef\xbf\xbd\xef\xbf\xbd");
	utf8_clean(buf, sizeof(buf), "\xed\xa0\x80", 3);
	assert_string_equal(buf, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	/* A U+FFFD that does not fit is not cut. */
	assert_int_equal(utf8_clean(buf, 3, "\xff", 1), 0);
	assert_string_equal(buf, "");
}

static void
test_utf8_chars(void **state)
{
	(void)state;
	assert_int_equal(utf8_chars(""), 0);
	assert_int_equal(utf8_chars("abc"), 3);
	assert_int_equal(utf8_chars("көмек"), 5);
	assert_int_equal(utf8_chars("a😀"), 2);
	/* As it prints: each error is one U+FFFD. */
	assert_int_equal(utf8_chars("\xe2\x82" "A"), 3);
	assert_int_equal(utf8_chars("\x80"), 1);
}

static void
test_utf8_cut(void **state)
{
	const char *s = "aж€😀";	/* 1 + 2 + 3 + 4 bytes */

	(void)state;
	assert_int_equal(utf8_cut(s, 10, 10), 10);
	assert_int_equal(utf8_cut(s, 10, 20), 10);
	assert_int_equal(utf8_cut(s, 10, 9), 6);
	assert_int_equal(utf8_cut(s, 10, 6), 6);
	assert_int_equal(utf8_cut(s, 10, 5), 3);
	assert_int_equal(utf8_cut(s, 10, 2), 1);
	assert_int_equal(utf8_cut(s, 10, 1), 1);
	assert_int_equal(utf8_cut(s, 10, 0), 0);
	assert_int_equal(utf8_cut("жж", 4, 1), 0);
}

static void
test_utf16(void **state)
{
	unsigned char u[2 * 8];
	char out[3 * 8 + 1];
	static const unsigned char want[] = {
		0x00, 0x61, 0x04, 0x36, 0x20, 0xac, 0xd8, 0x3d, 0xde, 0x00,
		0x00, 0x00
	};

	(void)state;
	assert_int_equal(utf8_to_utf16be("aж€😀", u, 5), 5);
	assert_memory_equal(u, want, sizeof(want));
	assert_int_equal(utf8_from_utf16be(u, 5, out), 10);
	assert_string_equal(out, "aж€😀");
	/* Too long: a pair does not fit in one unit. */
	assert_int_equal(utf8_to_utf16be("aж€😀", u, 4), -1);
	assert_int_equal(utf8_to_utf16be("abc", u, 2), -1);
	assert_int_equal(utf8_to_utf16be("", u, 0), 0);
	assert_memory_equal(u, "\0\0", 2);
	/* Each UTF-8 error is one U+FFFD. */
	assert_int_equal(utf8_to_utf16be("\xe2\x82" "A", u, 8), 3);
	assert_memory_equal(u, "\xff\xfd\xff\xfd\x00\x41\x00\x00", 8);
}

static void
test_utf16_malformed(void **state)
{
	char out[3 * 8 + 1];

	(void)state;
	/* A lone high surrogate, then a character: U+FFFD, the character. */
	assert_int_equal(utf8_from_utf16be((const unsigned char *)
	    "\xd8\x3d\x00\x61", 2, out), 4);
	assert_string_equal(out, "\xef\xbf\xbd" "a");
	/* A high surrogate last. */
	utf8_from_utf16be((const unsigned char *)"\x00\x61\xd8\x3d", 2, out);
	assert_string_equal(out, "a\xef\xbf\xbd");
	/* A lone low surrogate, two high ones, a low before a high. */
	utf8_from_utf16be((const unsigned char *)"\xde\x00", 1, out);
	assert_string_equal(out, "\xef\xbf\xbd");
	utf8_from_utf16be((const unsigned char *)"\xd8\x3d\xd8\x3d\xde\x00",
	    3, out);
	assert_string_equal(out, "\xef\xbf\xbd\xf0\x9f\x98\x80");
	utf8_from_utf16be((const unsigned char *)"\xde\x00\xd8\x3d", 2, out);
	assert_string_equal(out, "\xef\xbf\xbd\xef\xbf\xbd");
	/* A zero unit is no terminator here: U+FFFD. */
	utf8_from_utf16be((const unsigned char *)"\x00\x00\x00\x62", 2, out);
	assert_string_equal(out, "\xef\xbf\xbd" "b");
	assert_int_equal(utf8_from_utf16be((const unsigned char *)"", 0, out),
	    0);
	assert_string_equal(out, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_next),
		cmocka_unit_test(test_utf8_put),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_clean),
		cmocka_unit_test(test_utf8_malformed),
		cmocka_unit_test(test_utf8_end),
		cmocka_unit_test(test_utf8_clean_rule),
		cmocka_unit_test(test_utf8_chars),
		cmocka_unit_test(test_utf8_cut),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_utf16_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
