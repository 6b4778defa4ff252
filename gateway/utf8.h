/*
 * utf8.h - the one UTF-8 and UTF-16 codec of habar.  No I/O.
 *
 * The error rule, the same for every caller: a byte that does not begin
 * a well-formed UTF-8 sequence (Unicode 15, table 3-7) is one error, and
 * decoding goes on at the next byte.  That covers a stray continuation
 * byte, the bytes C0, C1 and F5 to FF, an overlong form (E0 80..9F,
 * F0 80..8F), an encoded surrogate (ED A0..BF), a value above U+10FFFF
 * (F4 90..BF) and a sequence cut short by a byte that does not continue
 * it or by the end of the input.  Since continuation bytes never begin
 * a sequence, the bytes of a broken sequence are each an error of their
 * own: "E2 82 41" is two errors and "A".  What an error becomes is the
 * caller's choice, in one of two ways: dropped (utf8_next() returns -1
 * and the caller skips it) or U+FFFD (utf8_clean(), utf8_to_utf16be()).
 * NUL is a character like any other (U+0000) to the decoder.
 *
 * UTF-16 is big-endian units (libGammu's buffers): a pair of surrogates
 * is one character; a lone surrogate and a zero unit become U+FFFD.
 */
#ifndef HABAR_UTF8_H
#define HABAR_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT	0xFFFD	/* what an error becomes, if kept */

/*
 * Decode one code point from *s (not past end), advancing *s.  Returns
 * the code point, or -1 for an error (the rule above), in which case *s
 * advances by one byte; at end, returns -1 and leaves *s.
 */
int32_t	 utf8_next(const char **s, const char *end);

/*
 * Encode cp as UTF-8 into buf (at least 4 bytes); a surrogate or a value
 * above U+10FFFF is written as U+FFFD.  Returns the length.
 */
size_t	 utf8_put(char *buf, uint32_t cp);

/* True if the len bytes at s are valid UTF-8 (no error at all). */
bool	 utf8_valid(const char *s, size_t len);

/*
 * Copy src (len bytes) into dst as valid UTF-8, each error becoming
 * U+FFFD, dropping NUL and C0 controls other than '\n' and '\t'; never
 * splits a character and always NUL-terminates (if dstsz > 0).  Returns
 * the output length.
 */
size_t	 utf8_clean(char *dst, size_t dstsz, const char *src, size_t len);

/*
 * Characters in the NUL-terminated UTF-8 string s as it would print:
 * code points, each error counting one (its U+FFFD).
 */
size_t	 utf8_chars(const char *s);

/*
 * How many of the len bytes at s to keep to stay within max bytes
 * without cutting a character in two: len when it fits, else max or
 * less, backed up to the start of a character.
 */
size_t	 utf8_cut(const char *s, size_t len, size_t max);

/*
 * Convert NUL-terminated UTF-8 s into UTF-16BE units at out, which has
 * room for max units and a zero unit after them; each error becomes
 * U+FFFD.  Returns the number of units, or -1 when s needs more than
 * max (out is then undefined).
 */
int	 utf8_to_utf16be(const char *s, unsigned char *out, size_t max);

/*
 * Convert the n UTF-16BE units at u into UTF-8 at out, which has room
 * for 3 * n + 1 bytes; a lone surrogate and a zero unit become U+FFFD.
 * NUL-terminates out.  Returns the length written, NUL not counted.
 */
size_t	 utf8_from_utf16be(const unsigned char *u, size_t n, char *out);

#endif
