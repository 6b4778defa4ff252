/*
 * charset.c - which encoding a content or list file that is not UTF-8
 * was saved in, from byte statistics, so that the editor gets one
 * message naming it and saying how to save the file again, instead of
 * an error on every line with a Cyrillic letter; and lines where such a
 * save turned Kazakh letters (ә ғ қ ң ө ұ ү һ, which Windows-1251 and
 * KOI8-R lack) into "?".
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "charset.h"
#include "utf8.h"

/* The encodings told apart. */
enum charset_kind {
	CHARSET_UTF8,		/* nothing to say */
	CHARSET_UTF8_BUT,	/* UTF-8 but for some lines */
	CHARSET_CP1251,
	CHARSET_KOI8R,
	CHARSET_UTF16LE,
	CHARSET_UTF16BE,
	CHARSET_UNKNOWN
};

/* What the bytes of a file look like. */
struct charset_stats {
	size_t	 multi;		/* valid UTF-8 sequences of 2-4 bytes */
	size_t	 bad;		/* bytes that start no valid sequence */
	size_t	 nul;
	size_t	 c0df;		/* bytes 0xc0-0xdf: in KOI8-R, а-я */
	size_t	 e0ff;		/* bytes 0xe0-0xff: in Windows-1251, а-я */
	size_t	 high;		/* bytes 0x80-0xff */
	size_t	 utf16[2];	/* 0x00 or 0x04 (Cyrillic) at even, odd */
	int	 first_bad;	/* the line of the first bad byte */
};

static void
charset_count(const char *data, size_t len, struct charset_stats *st)
{
	const unsigned char	*u = (const unsigned char *)data;
	const char		*s = data, *end = data + len, *at;
	size_t			 i;
	int			 line = 1;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < len; i++) {
		if (u[i] == 0x00 || u[i] == 0x04)
			st->utf16[i % 2]++;
		if (u[i] == 0)
			st->nul++;
		if (u[i] >= 0x80)
			st->high++;
		if (u[i] >= 0xc0 && u[i] <= 0xdf)
			st->c0df++;
		else if (u[i] >= 0xe0)
			st->e0ff++;
	}
	while (s < end) {
		at = s;
		if (*s == '\n')
			line++;
		if (utf8_next(&s, end) < 0) {
			if (st->bad++ == 0)
				st->first_bad = line;
		} else if (s - at > 1)
			st->multi++;
	}
}

/*
 * UTF-16 without a BOM: nearly every other byte is the high byte of a
 * Latin (0x00) or Cyrillic (0x04) character, and the bytes between are
 * not.  Returns the kind, or CHARSET_UTF8 when it does not look so.
 */
static enum charset_kind
charset_utf16(const struct charset_stats *st, size_t len)
{
	size_t	 half = len / 2;

	if (len < 4 || len % 2 != 0 || st->nul == 0)
		return CHARSET_UTF8;
	if (st->utf16[1] * 10 >= half * 8 && st->utf16[0] * 10 < half * 3)
		return CHARSET_UTF16LE;
	if (st->utf16[0] * 10 >= half * 8 && st->utf16[1] * 10 < half * 3)
		return CHARSET_UTF16BE;
	return CHARSET_UTF8;
}

/* The likely encoding of data; *bom is set when it starts with one. */
static enum charset_kind
charset_guess(const char *data, size_t len, struct charset_stats *st,
    int *bom)
{
	enum charset_kind	 k;

	*bom = 0;
	if (len >= 2 && memcmp(data, "\xff\xfe", 2) == 0) {
		*bom = 1;
		return CHARSET_UTF16LE;
	}
	if (len >= 2 && memcmp(data, "\xfe\xff", 2) == 0) {
		*bom = 1;
		return CHARSET_UTF16BE;
	}
	charset_count(data, len, st);
	if ((k = charset_utf16(st, len)) != CHARSET_UTF8)
		return k;
	if (st->bad == 0)
		return CHARSET_UTF8;	/* a stray NUL: the parser says */
	if (st->multi > st->bad)
		return CHARSET_UTF8_BUT;
	/*
	 * One byte a letter.  Text is mostly small letters: а-я are
	 * 0xe0-0xff in Windows-1251 and 0xc0-0xdf in KOI8-R.
	 */
	if ((st->c0df + st->e0ff) * 2 < st->high)
		return CHARSET_UNKNOWN;
	return st->e0ff >= st->c0df ? CHARSET_CP1251 : CHARSET_KOI8R;
}

#define CHARSET_RESAVE	"in Notepad, \"Save as…\" → Encoding: UTF-8, " \
	"same name"
#define CHARSET_LOST	"; then retype the Kazakh letters it lacks " \
	"(ә ғ қ ң ө ұ ү һ), now \"?\""

int
charset_check(const char *data, size_t len, char *why, size_t whysz,
    int *line)
{
	struct charset_stats	 st;
	const char		*name = NULL;
	int			 bom;

	*line = 0;
	switch (charset_guess(data, len, &st, &bom)) {
	case CHARSET_UTF8:
		return 0;
	case CHARSET_UTF8_BUT:
		*line = st.first_bad;
		snprintf(why, whysz, "this line has characters that are not "
		    "UTF-8, though the rest of the file is, so none of the "
		    "file was read: retype them (pasted from another "
		    "program?), or %s", CHARSET_RESAVE);
		return -1;
	case CHARSET_CP1251:
		name = "Windows-1251 (\"ANSI\" in Notepad)";
		break;
	case CHARSET_KOI8R:
		name = "KOI8-R";
		break;
	case CHARSET_UTF16LE:
		name = bom ? "UTF-16 LE with a BOM (\"Unicode\" or \"UTF-16 "
		    "LE\" in Notepad)" : "UTF-16 LE without a BOM";
		break;
	case CHARSET_UTF16BE:
		name = bom ? "UTF-16 BE with a BOM (\"Unicode big endian\" "
		    "or \"UTF-16 BE\" in Notepad)" : "UTF-16 BE without a BOM";
		break;
	case CHARSET_UNKNOWN:
		snprintf(why, whysz, "saved in an encoding that is not "
		    "UTF-8 (nor Windows-1251, KOI8-R or UTF-16), so none of "
		    "it was read: %s", CHARSET_RESAVE);
		return -1;
	}
	snprintf(why, whysz, "saved as %s, not UTF-8, so none of it was "
	    "read: %s%s", name, CHARSET_RESAVE,
	    name[0] == 'U' ? "" : CHARSET_LOST);
	return -1;
}

/* True for a Cyrillic letter (U+0400-U+04FF). */
static int
charset_cyrillic(int32_t cp)
{
	return cp >= 0x400 && cp <= 0x4ff;
}

static int
charset_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == ',' || ch == ':' ||
	    ch == ';' || ch == '(' || ch == ')' || ch == '"';
}

int
charset_lost(const char *line, size_t len, char *why, size_t whysz)
{
	const char	*s = line, *end = line + len, *q, *w, *we;

	while ((q = memchr(s, '?', (size_t)(end - s))) != NULL) {
		for (s = q; s < end && *s == '?'; s++)
			;
		w = s;
		if (s == end || !charset_cyrillic(utf8_next(&w, end)))
			continue;
		for (w = q; w > line && !charset_blank(w[-1]); w--)
			;
		for (we = s; we < end && !charset_blank(*we); we++)
			;
		snprintf(why, whysz, "\"%.*s\": letters lost as \"?\", as a "
		    "save in Windows-1251 (\"ANSI\") does to Kazakh ones: "
		    "retype them", (int)(we - w), w);
		return -1;
	}
	return 0;
}
