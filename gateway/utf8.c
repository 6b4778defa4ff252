/*
 * utf8.c - the one UTF-8 and UTF-16 codec: decoding with one error rule
 * (utf8.h), encoding, validating, cleaning, counting, cutting between
 * characters, and converting to and from libGammu's UTF-16BE.  Every
 * other module goes through these; none decodes bytes itself.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "utf8.h"

/*
 * Decode one code point.  The bytes must be well formed as they stand:
 * a lead C2..F4 with as many continuation bytes as it announces, then
 * no overlong form, surrogate or value above U+10FFFF; else *s advances
 * one byte.
 */
int32_t
utf8_next(const char **s, const char *end)
{
	const unsigned char *p = (const unsigned char *)*s;
	const unsigned char *e = (const unsigned char *)end;
	uint32_t cp, min;
	size_t need, i;

	if (p >= e)
		return -1;
	if (p[0] < 0x80) {
		*s += 1;
		return p[0];
	}
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		need = 1;
		cp = p[0] & 0x1F;
		min = 0x80;
	} else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		need = 2;
		cp = p[0] & 0x0F;
		min = 0x800;
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		need = 3;
		cp = p[0] & 0x07;
		min = 0x10000;
	} else
		goto bad;
	if ((size_t)(e - p) <= need)
		goto bad;
	for (i = 1; i <= need; i++) {
		if ((p[i] & 0xC0) != 0x80)
			goto bad;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		goto bad;
	*s += need + 1;
	return (int32_t)cp;
bad:
	*s += 1;
	return -1;
}

size_t
utf8_put(char *buf, uint32_t cp)
{
	unsigned char *b = (unsigned char *)buf;

	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = UTF8_REPLACEMENT;
	if (cp < 0x80) {
		b[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		b[0] = 0xC0 | (cp >> 6);
		b[1] = 0x80 | (cp & 0x3F);
		return 2;
	}
	if (cp < 0x10000) {
		b[0] = 0xE0 | (cp >> 12);
		b[1] = 0x80 | ((cp >> 6) & 0x3F);
		b[2] = 0x80 | (cp & 0x3F);
		return 3;
	}
	b[0] = 0xF0 | (cp >> 18);
	b[1] = 0x80 | ((cp >> 12) & 0x3F);
	b[2] = 0x80 | ((cp >> 6) & 0x3F);
	b[3] = 0x80 | (cp & 0x3F);
	return 4;
}

/* An empty string is valid. */
bool
utf8_valid(const char *s, size_t len)
{
	const char *end = s + len;

	while (s < end)
		if (utf8_next(&s, end) < 0)
			return false;
	return true;
}

size_t
utf8_clean(char *dst, size_t dstsz, const char *src, size_t len)
{
	const char *end = src + len;
	char buf[4];
	size_t o = 0, n;
	int32_t cp;

	if (dstsz == 0)
		return 0;
	while (src < end) {
		if ((cp = utf8_next(&src, end)) < 0)
			cp = UTF8_REPLACEMENT;
		if (cp < 0x20 && cp != '\n' && cp != '\t')
			continue;
		n = utf8_put(buf, (uint32_t)cp);
		if (o + n >= dstsz)
			break;
		memcpy(dst + o, buf, n);
		o += n;
	}
	dst[o] = '\0';
	return o;
}

size_t
utf8_chars(const char *s)
{
	const char	*end = s + strlen(s);
	size_t		 n = 0;

	while (s < end) {
		(void)utf8_next(&s, end);
		n++;
	}
	return n;
}

size_t
utf8_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

int
utf8_to_utf16be(const char *s, unsigned char *out, size_t max)
{
	const char	*end = s + strlen(s);
	size_t		 n = 0;
	int32_t		 c;
	uint32_t	 v;

	while (s < end) {
		if ((c = utf8_next(&s, end)) < 0)
			c = UTF8_REPLACEMENT;
		if (c >= 0x10000) {
			if (n + 2 > max)
				return -1;
			v = (uint32_t)c - 0x10000;
			out[2 * n] = 0xD8 | ((v >> 18) & 0x03);
			out[2 * n + 1] = (v >> 10) & 0xFF;
			out[2 * n + 2] = 0xDC | ((v >> 8) & 0x03);
			out[2 * n + 3] = v & 0xFF;
			n += 2;
		} else {
			if (n + 1 > max)
				return -1;
			out[2 * n] = (uint32_t)c >> 8;
			out[2 * n + 1] = (uint32_t)c & 0xFF;
			n++;
		}
	}
	out[2 * n] = out[2 * n + 1] = 0;
	return (int)n;
}

size_t
utf8_from_utf16be(const unsigned char *u, size_t n, char *out)
{
	size_t		 i, len = 0;
	uint32_t	 c, d;

	for (i = 0; i < n; i++) {
		c = (uint32_t)u[2 * i] << 8 | u[2 * i + 1];
		if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n) {
			d = (uint32_t)u[2 * i + 2] << 8 | u[2 * i + 3];
			if (d >= 0xDC00 && d <= 0xDFFF) {
				c = 0x10000 + ((c - 0xD800) << 10) +
				    (d - 0xDC00);
				i++;
			} else
				c = UTF8_REPLACEMENT;
		} else if ((c >= 0xD800 && c <= 0xDFFF) || c == 0)
			c = UTF8_REPLACEMENT;
		len += utf8_put(out + len, c);
	}
	out[len] = '\0';
	return len;
}
