/*
 * fuzz_text.c - libFuzzer target: text folding, transliteration and
 * cleaning, then the whole answer path (route, compose, cut into SMS
 * parts, USSD menus) on the shipped content, for any bytes an SMS or an
 * HTTP request can carry.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "content.h"
#include "log.h"
#include "route.h"
#include "session.h"
#include "text.h"
#include "utf8.h"

#define MAX_IN	4096

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct content	*c;
static struct route	*r;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const langs[] = { "kk", "ru" };
	struct route_opts opts;
	const char	*dir = getenv("HABAR_CONTENT");

	(void)argc;
	(void)argv;
	log_init(1, LOG_LEVEL_WARN, NULL);
	c = content_load(dir != NULL ? dir : "content", langs, 2, NULL, NULL);
	if (c == NULL)
		abort();
	memset(&opts, 0, sizeof(opts));
	opts.default_lang = content_lang(c, "ru");
	opts.first_words = 8;
	if ((r = route_new(c, &opts, NULL, NULL)) == NULL)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char	 out[4 * MAX_IN + 16];
	struct answer	 a;
	struct answer_opts o;
	struct answer_ussd u;
	struct answer_ussd_opts uo;
	struct session	 s;
	char		*msg;
	const char	*p, *end;

	if (size > MAX_IN)
		return 0;
	if ((msg = malloc(size + 1)) == NULL)
		return 0;
	memcpy(msg, data, size);
	msg[size] = '\0';

	(void)utf8_valid((const char *)data, size);
	(void)utf8_clean(out, sizeof(out), (const char *)data, size);
	(void)text_fold(out, sizeof(out), msg);
	(void)text_fold(out, 7, msg);		/* a short buffer cuts */
	(void)text_latin(out, sizeof(out), msg);
	(void)text_latin(out, 5, msg);
	(void)text_script(msg);
	for (p = msg, end = msg + size; p < end; )
		(void)utf8_next(&p, end);

	memset(&o, 0, sizeof(o));
	o.max_parts = 1 + size % 4;
	o.latin_for_latin = size & 1;
	session_clear(&s);
	if (size > 0 && data[0] == '1')
		session_set(s.menu, sizeof(s.menu), "menu");
	if (answer_make(&a, c, r, msg, &s, &o) == 0)
		answer_release(&a);
	uo.page_chars = 182;
	uo.ucs2_page_chars = 80;
	if (answer_ussd(&u, c, msg, (int)(size % 2), &uo) == 0)
		answer_ussd_release(&u);
	free(msg);
	return 0;
}
