/*
 * charset.h - what an editor's text file was saved as, when it is not
 * UTF-8 (Windows-1251, KOI8-R, UTF-16), guessed from its bytes, and
 * lines where a save in such an encoding turned Kazakh letters into "?".
 * Says both in words an editor acts on.  No I/O.
 */
#ifndef HABAR_CHARSET_H
#define HABAR_CHARSET_H

#include <stddef.h>

#define CHARSET_MAX_ADVICE	512	/* bytes of one piece of advice */

/*
 * Look at the len bytes of a file meant to be UTF-8.  Returns 0 if they
 * are UTF-8 (an optional BOM, NUL bytes or not).  Otherwise returns -1
 * with advice in why (whysz bytes, always NUL-terminated): the likely
 * encoding and how to save the file as UTF-8; *line is the first line
 * that is not UTF-8 when the rest of the file is, else 0 (the file as
 * a whole).
 */
int	 charset_check(const char *data,	/* the file's bytes */
	    size_t len,
	    char *why,				/* OUT: the advice */
	    size_t whysz,
	    int *line)				/* OUT: its line, or 0 */
	    __attribute__((warn_unused_result));

/*
 * Letters lost as "?" in one line of UTF-8 (len bytes): a '?' followed
 * at once by a Cyrillic letter, as a save in Windows-1251 leaves of
 * "Төлқұжат" ("Т?л??жат").  Returns 0 if there is none; otherwise -1
 * with advice in why naming the word.
 */
int	 charset_lost(const char *line, size_t len, char *why, size_t whysz);

#endif
