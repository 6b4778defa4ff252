/*
 * fuzz_lists.c - libFuzzer target: the list parser behind "check before
 * you go" and the checks built on it.  The input is a set of list files
 * separated by a NUL byte, written to a fresh content/lists folder and
 * loaded as the daemon loads them; the set is checked against the
 * shipped topics and against none, linted, and searched for every
 * entry's number, name and aliases, a typo of each name, and the first
 * line of the input.  Beyond the sanitizers, it aborts when a loaded
 * set breaks what answers rely on: every kept entry complete, the
 * number index sorted and whole, every entry found by its own number
 * and name, every problem reported as valid UTF-8.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"
#include "lists.h"
#include "fuzz_dir.h"
#include "log.h"
#include "phone.h"
#include "text.h"
#include "utf8.h"

#define MAX_FILES	4
#define MAX_QUERY	512

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char		 dir[512], lists[544];
static struct content	*shipped;	/* the check topics, for check_set */
static long		 today;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const langs[] = { "kk", "ru" };
	const char	*cdir = getenv("HABAR_CONTENT");

	(void)argc;
	(void)argv;
	log_init(1, LOG_LEVEL_WARN, NULL);
	shipped = content_load(cdir != NULL ? cdir : "content", langs, 2,
	    NULL, NULL);
	if (shipped == NULL)
		abort();
	if ((today = lists_days("2026-11-26")) < 0)
		abort();
	fuzz_dir_make(dir, sizeof(dir), lists, sizeof(lists), "fuzz_lists",
	    "lists");
	return 0;
}

/* Problems go to editors and the journal: whole words, valid UTF-8. */
static void
diag(void *arg, enum editfile_severity sev, const char *file, int line,
    const char *msg)
{
	(void)arg;
	(void)sev;
	if (file == NULL || line < 0 || msg == NULL || *msg == '\0' ||
	    !utf8_valid(msg, strlen(msg)))
		abort();
}

/* True if folding leaves anything a name key can be made of. */
static int
has_key(const char *name)
{
	char		 f[TEXT_MAX_FOLD];
	const char	*p;

	text_fold(f, sizeof(f), name);
	for (p = f; *p != '\0'; p++)
		if (*p != ' ')
			return 1;
	return 0;
}

/* The entry is found by its number, by its own name, and by an alias. */
static void
find_entry(const struct lists *s, const struct lists_entry *e)
{
	struct lists_match m;
	char		 typo[LISTS_MAX_NAME + 1];
	size_t		 i, j, n;

	for (i = 0; i < e->nphones; i++) {
		(void)lists_find(s, e->phones[i], today, &m);
		if (!m.by_number || m.entry == NULL)
			abort();
		for (j = 0; j < m.entry->nphones; j++)
			if (strcmp(m.entry->phones[j], e->phones[i]) == 0)
				break;
		if (j == m.entry->nphones)
			abort();	/* another number's entry */
	}
	(void)lists_find(s, e->name, today, &m);
	if (!m.by_number && has_key(e->name) &&
	    (m.entry == NULL || m.distance != 0))
		abort();
	for (i = 0; i < e->naliases; i++)
		(void)lists_find(s, e->aliases[i], today, &m);
	/* One byte less: a typo, or a cut character. */
	if ((n = strlen(e->name)) > 1 && n <= LISTS_MAX_NAME) {
		memcpy(typo, e->name, n / 2);
		memcpy(typo + n / 2, e->name + n / 2 + 1, n - n / 2);
		(void)lists_find(s, typo, today, &m);
	}
	if (lists_entry(s, e->id) == NULL)
		abort();
}

/* What answers take for granted of a loaded set. */
static void
check_set(const struct lists *s)
{
	const struct lists_entry *e;
	size_t		 i, n = 0;

	for (i = 0; i < s->nentries; i++) {
		e = &s->entries[i];
		if (e->id == NULL || e->name == NULL || e->date == NULL ||
		    e->source == NULL || lists_days(e->date) != e->day ||
		    e->file < s->files || e->file >= s->files + s->nfiles)
			abort();
		if (e->file->expires < 1)
			abort();
		n += e->nphones;
	}
	if (n != s->nnums)
		abort();
	for (i = 1; i < s->nnums; i++)
		if (strcmp(s->nums[i - 1].e164, s->nums[i].e164) > 0)
			abort();
	for (i = 0; i < s->nnums; i++)
		if (s->nums[i].entry >= s->nentries)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const queries[] = {
		"", " ", "ТОО", "LLP LLC", "+44 7700 900123", "87001112233",
		"8 (701) 234-56-78 ТОО Пример", "Пример-Вакансия Заграница",
		"Exampel Jobs Abroad", "+", "1234567", "+7 (7"
	};
	struct content	 none, with;
	struct lists	*s;
	struct lists_match m;
	const uint8_t	*p = data, *end = data + size, *z;
	char		 path[640], q[MAX_QUERY + 1], e164[PHONE_MAX];
	uint64_t	 hash = 0;
	size_t		 i, n;
	FILE		*fp;
	int		 nf = 0;

	if (size > 65536)
		return 0;
	fuzz_dir_clear(lists);
	while (p <= end && nf < MAX_FILES) {
		if ((z = memchr(p, '\0', end - p)) == NULL)
			z = end;
		snprintf(path, sizeof(path), "%s/l%d.txt", lists, nf++);
		if ((fp = fopen(path, "w")) != NULL) {
			fwrite(p, 1, z - p, fp);
			fclose(fp);
		}
		p = z + 1;
	}
	if ((s = lists_load(dir, NULL, 0, diag, NULL, &hash)) == NULL)
		return 0;
	check_set(s);
	with = *shipped;
	with.lists = s;
	content_check_lists(&with, diag, NULL);
	memset(&none, 0, sizeof(none));
	none.lists = s;
	content_check_lists(&none, diag, NULL);
	lists_check(s, diag, NULL);
	lists_lint(s, today, diag, NULL);
	for (i = 0; i < s->nentries; i++) {
		find_entry(s, &s->entries[i]);
		(void)lists_is_number(s->entries[i].name, e164, sizeof(e164));
		(void)lists_kind_name(s->entries[i].kind);
	}
	for (i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		(void)lists_find(s, queries[i], today, &m);
		(void)lists_outcome_name(m.outcome);
	}
	/* What a sender might write: the input's first line, as bytes. */
	for (n = 0; n < size && n < MAX_QUERY && data[n] != '\0' &&
	    data[n] != '\n'; n++)
		q[n] = (char)data[n];
	q[n] = '\0';
	(void)lists_find(s, q, today, &m);
	(void)lists_is_number(q, e164, sizeof(e164));
	(void)lists_days(q);
	lists_free(s);
	return 0;
}
