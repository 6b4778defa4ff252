/*
 * text.h - the folding pipeline that turns what people type (Cyrillic
 * or Latin, Kazakh letters or their Russian look-alikes, any case,
 * punctuation) into one ASCII skeleton, the same for keywords at load
 * and for queries at receipt.  UTF-8 itself is utf8.h's.  No I/O.
 */
#ifndef HABAR_TEXT_H
#define HABAR_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TEXT_MAX_FOLD	512	/* bytes of folded output kept */

/* FNV-1a hash of the len bytes at s, for the tables of folded keys. */
uint32_t text_hash(const char *s, size_t len);

/*
 * Fold UTF-8 text (invalid bytes ignored) to its matching key: ASCII
 * tokens of [a-z0-9] separated by single spaces, no leading or trailing
 * space.  Always NUL-terminates dst.  Returns the output length.
 */
size_t	 text_fold(char *dst, size_t dstsz, const char *src);

/*
 * Transliterate UTF-8 text (Kazakh and Russian Cyrillic) into Latin that
 * GSM 03.38 can carry, for replies to people who write in Latin script.
 * Characters with no readable Latin form are dropped.  Always
 * NUL-terminates dst; stops at a whole character.  Returns the length.
 */
size_t	 text_latin(char *dst, size_t dstsz, const char *src);

/*
 * Damerau-Levenshtein distance (optimal string alignment) of the la bytes
 * at a and the lb bytes at b, or max + 1 as soon as it must exceed max.
 */
int	 text_distance(const char *a, size_t la, const char *b, size_t lb,
	    int max);

/* What a message's letters say about its language and script. */
#define TEXT_KAZAKH	0x01	/* a letter only Kazakh uses (ә ғ қ ң ө ұ ү һ і) */
#define TEXT_CYRILLIC	0x02	/* mostly Cyrillic letters */
#define TEXT_LATIN	0x04	/* mostly Latin letters */
int	 text_script(const char *utf8);

#endif
