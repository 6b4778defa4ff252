/*
 * fuzz_content.c - libFuzzer target: the content parser and the router
 * built on it.  The input is a set of topic files separated by a NUL
 * byte, written to a fresh content/topics folder; the set is loaded as
 * the daemon does (errors refused) and as the linter does (errors
 * kept), and every topic is answered once.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "content.h"
#include "fuzz_dir.h"
#include "log.h"
#include "route.h"

#define MAX_FILES	8

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	 dir[512], topics[544];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_init(1, LOG_LEVEL_WARN, NULL);
	fuzz_dir_make(dir, sizeof(dir), topics, sizeof(topics), "fuzz_content",
	    "topics");
	return 0;
}

static void
exercise(struct content *c)
{
	struct route_opts opts;
	struct route	*r;
	struct answer	 a;
	struct answer_opts o;
	struct session	 s;
	size_t		 i;
	int		 l;
	char		*t;

	for (i = 0; i < c->ntopics; i++)
		for (l = 0; l < 2; l++)
			if ((t = answer_text(c, &c->topics[i], l, l)) != NULL)
				free(t);
	memset(&opts, 0, sizeof(opts));
	opts.first_words = 8;
	if ((r = route_new(c, &opts, NULL, NULL)) == NULL)
		return;
	memset(&o, 0, sizeof(o));
	o.max_parts = 3;
	session_clear(&s);
	if (answer_make(&a, c, r, "menu 1 паспорт zarplata", &s, &o) == 0)
		answer_release(&a);
	route_free(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const langs[] = { "kk", "ru" };
	struct content	*c;
	const uint8_t	*p = data, *end = data + size, *z;
	char		 path[600];
	FILE		*fp;
	int		 n = 0, nerr;

	if (size > 65536)
		return 0;
	fuzz_dir_clear(topics);
	while (p <= end && n < MAX_FILES) {
		if ((z = memchr(p, '\0', end - p)) == NULL)
			z = end;
		snprintf(path, sizeof(path), "%s/t%d.txt", topics, n++);
		if ((fp = fopen(path, "w")) != NULL) {
			fwrite(p, 1, z - p, fp);
			fclose(fp);
		}
		p = z + 1;
	}
	if ((c = content_load(dir, langs, 2, NULL, NULL)) != NULL) {
		exercise(c);
		content_free(c);
	}
	if ((c = content_lint(dir, langs, 2, NULL, 0, NULL, NULL, &nerr)) != NULL)
		content_free(c);
	return 0;
}
