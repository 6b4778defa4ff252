/*
 * t_lists.c - the lists behind "check before you go": parsing with
 * file:line problems, numbers normalized to E.164 before lookup, names
 * folded (Cyrillic and Latin alike, legal forms dropped), typos forgiven
 * only in names of LISTS_TYPO_MIN letters or more, the honest outcomes.
 * The numbers here exist only in this test's memory; the shipped example
 * list uses the UK's range for fiction (+44 7700 900xxx).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "content.h"
#include "lists.h"
#include "phone.h"

#define TODAY	"2026-11-26"

struct fx {
	char		 dir[64];
	struct lists	*s;
	int		 errors;
	int		 warnings;
	char		 last[512];	/* "file:line: message" */
	char		 all[16384];
};

static void
collect(void *arg, enum editfile_severity sev, const char *file, int line,
    const char *msg)
{
	struct fx	*fx = arg;
	const char	*base = strrchr(file, '/');
	size_t		 n = strlen(fx->all);

	if (sev == EDITFILE_ERROR)
		fx->errors++;
	else
		fx->warnings++;
	snprintf(fx->last, sizeof(fx->last), "%s:%d: %s",
	    base != NULL ? base + 1 : file, line, msg);
	snprintf(fx->all + n, sizeof(fx->all) - n, "%s\n", fx->last);
}

static void
write_list(struct fx *fx, const char *name, const char *text)
{
	char	 path[128];
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/lists", fx->dir);
	(void)mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/lists/%s", fx->dir, name);
	assert_non_null(fp = fopen(path, "w"));
	fputs(text, fp);
	fclose(fp);
}

static const char good[] =
    "# a test list\n"
    "verified: 2026-11-20\n"
    "source: test\n"
    "expires: 365 days\n"
    "\n"
    "[entry]\n"
    "id: r1\n"
    "kind: reported\n"
    "name: ТОО «Алтын Жол Сервис»\n"
    "alias: Altyn Jol, AJS Travel\n"
    "phone: +7 700 000 00 01, 8 (700) 000-00-02\n"
    "source: three reports\n"
    "date: 2026-11-01\n"
    "\n"
    "[entry]\n"
    "id: r2\n"
    "kind: reported\n"
    "name: Бота\n"
    "source: a report\n"
    "date: 2026-11-02\n"
    "\n"
    "[entry]\n"
    "id: r-old\n"
    "kind: reported\n"
    "name: Старая Вакансия\n"
    "phone: +44 7700 900999\n"
    "source: an old report\n"
    "date: 2024-01-10\n"
    "\n"
    "[entry]\n"
    "id: l1\n"
    "kind: licensed\n"
    "name: Қазақ Кадр Агенттігі\n"
    "alias: Kazakh Kadr\n"
    "phone: +44 7700 900777\n"
    "source: the register\n"
    "date: 2026-11-20\n"
    "\n"
    "[entry]\n"
    "id: l2\n"
    "kind: licensed\n"
    "name: Трудовой Мост Международный\n"
    "phone: +7 700 000 00 01\n"
    "source: the register\n"
    "date: 2026-11-20\n";

static int
setup(void **state)
{
	struct fx	*fx;
	uint64_t	 hash = 0;

	if ((fx = calloc(1, sizeof(*fx))) == NULL)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/t_lists.XXXXXX");
	if (mkdtemp(fx->dir) == NULL)
		return -1;
	write_list(fx, "test.txt", good);
	fx->s = lists_load(fx->dir, NULL, 0, collect, fx, &hash);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*fx = *state;
	char		 cmd[128];

	lists_free(fx->s);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		return -1;
	free(fx);
	return 0;
}

/* The outcome of checking q today, and the id found ("" for none). */
static enum lists_outcome
check(const struct fx *fx, const char *q, const char **id)
{
	struct lists_match m;

	assert_int_equal(lists_find(fx->s, q, lists_days(TODAY), &m), 0);
	*id = m.entry != NULL ? m.entry->id : "";
	return m.outcome;
}

static void
t_load(void **state)
{
	struct fx	*fx = *state;

	if (fx->errors + fx->warnings > 0)
		print_message("%s", fx->all);
	assert_int_equal(fx->errors, 0);
	assert_non_null(fx->s);
	assert_int_equal(fx->s->nentries, 5);
	assert_int_equal(fx->s->nfiles, 1);
	assert_int_equal(fx->s->files[0].expires, 365);
	assert_string_equal(fx->s->entries[0].phones[0], "+77000000001");
	assert_string_equal(fx->s->entries[0].phones[1], "+77000000002");
	assert_string_equal(lists_entry(fx->s, "l1")->name,
	    "Қазақ Кадр Агенттігі");
	assert_null(lists_entry(fx->s, "nope"));
}

/* Every way people write a number finds the same entry. */
static void
t_numbers(void **state)
{
	struct fx	*fx = *state;
	static const char *const forms[] = { "+77000000002",
	    "8 700 000 00 02", "8 (700) 000-00-02", "87000000002",
	    "7 700 000 0002", "+7 700 000-00-02", "тел. 8-700-000-00-02",
	    "номер: 8 700 000 00 02, звонил вчера" };
	const char	*id;
	size_t		 i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		assert_int_equal(check(fx, forms[i], &id),
		    LISTS_FOUND_REPORTED);
		assert_string_equal(id, "r1");
	}
	/* UK fiction range, written three ways: licensed */
	assert_int_equal(check(fx, "+44 7700 900777", &id),
	    LISTS_FOUND_LICENSED);
	assert_int_equal(check(fx, "0044 7700 900777", &id),
	    LISTS_FOUND_LICENSED);
	assert_int_equal(check(fx, "8 10 44 7700 900777", &id),
	    LISTS_FOUND_LICENSED);
	assert_string_equal(id, "l1");
	/* one digit off: not found, no typo tolerance for numbers */
	assert_int_equal(check(fx, "8 700 000 00 03", &id), LISTS_UNKNOWN);
	assert_string_equal(id, "");
	/* listed as licensed and as reported: the warning wins */
	assert_int_equal(check(fx, "8 700 000 00 01", &id),
	    LISTS_FOUND_REPORTED);
	assert_string_equal(id, "r1");
}

/* A bare number is a check; short codes and menu digits are not. */
static void
t_is_number(void **state)
{
	char	 e[PHONE_MAX];

	(void)state;
	assert_true(lists_is_number("87011234567", e, sizeof(e)));
	assert_string_equal(e, "+77011234567");
	assert_true(lists_is_number(" +7 701 123-45-67 \n", e, sizeof(e)));
	assert_true(lists_is_number("8 (701) 123 45 67", e, sizeof(e)));
	assert_false(lists_is_number("112", e, sizeof(e)));
	assert_false(lists_is_number("102", e, sizeof(e)));
	assert_false(lists_is_number("1414", e, sizeof(e)));
	assert_false(lists_is_number("116 16", e, sizeof(e)));
	assert_false(lists_is_number("4", e, sizeof(e)));
	assert_false(lists_is_number("10", e, sizeof(e)));
	assert_false(lists_is_number("паспорт", e, sizeof(e)));
	assert_false(lists_is_number("", e, sizeof(e)));
}

static void
t_names(void **state)
{
	struct fx	*fx = *state;
	const char	*id;

	/* exact, legal form and quotes ignored, any case */
	assert_int_equal(check(fx, "Алтын Жол Сервис", &id),
	    LISTS_FOUND_REPORTED);
	assert_string_equal(id, "r1");
	assert_int_equal(check(fx, "too altyn jol servis", &id),
	    LISTS_FOUND_REPORTED);
	assert_int_equal(check(fx, "АЛТЫН-ЖОЛ СЕРВИС", &id),
	    LISTS_FOUND_REPORTED);
	/* an alias, in either script */
	assert_int_equal(check(fx, "Altyn Jol", &id), LISTS_FOUND_REPORTED);
	assert_int_equal(check(fx, "Алтын Жол", &id), LISTS_FOUND_REPORTED);
	assert_int_equal(check(fx, "ajs travel", &id), LISTS_FOUND_REPORTED);
	/* Kazakh letters or their Russian look-alikes, Latin */
	assert_int_equal(check(fx, "казак кадр агенттиги", &id),
	    LISTS_FOUND_LICENSED);
	assert_string_equal(id, "l1");
	assert_int_equal(check(fx, "Qazaq Kadr Agenttigi", &id),
	    LISTS_FOUND_LICENSED);
	/* a part of a name is not the name */
	assert_int_equal(check(fx, "Сервис", &id), LISTS_UNKNOWN);
	assert_int_equal(check(fx, "Жол", &id), LISTS_UNKNOWN);
}

static void
t_typos(void **state)
{
	struct fx	*fx = *state;
	const char	*id;

	/*
	 * 6+ letters: one typo (a letter, a swap, one missing) finds the
	 * look-alike, but only as similar: a scammer names his firm one
	 * letter off a real one, so nothing near is vouched for.
	 */
	assert_int_equal(check(fx, "Altyn Jil", &id), LISTS_SIMILAR);
	assert_string_equal(id, "r1");
	assert_int_equal(check(fx, "Altny Jol", &id), LISTS_SIMILAR);
	assert_int_equal(check(fx, "Altyn Jo", &id), LISTS_SIMILAR);
	/* but not two, below 10 letters */
	assert_int_equal(check(fx, "Alton Jil", &id), LISTS_UNKNOWN);
	/* 10+ letters: two */
	assert_int_equal(check(fx, "Трудавой Мост Междунородный", &id),
	    LISTS_SIMILAR);
	assert_string_equal(id, "l2");
	/* short names: exact only */
	assert_int_equal(check(fx, "Бота", &id), LISTS_FOUND_REPORTED);
	assert_string_equal(id, "r2");
	assert_int_equal(check(fx, "Бота", &id), LISTS_FOUND_REPORTED);
	assert_int_equal(check(fx, "Бола", &id), LISTS_UNKNOWN);
	assert_int_equal(check(fx, "Ботай", &id), LISTS_UNKNOWN);
	/* an exact match beats a near one */
	assert_int_equal(check(fx, "bota", &id), LISTS_FOUND_REPORTED);
}

/*
 * Only an exact entry is vouched for: a licensed agency's name one or
 * two letters off, or its number one digit off, is never "licensed".
 */
static void
t_lookalike(void **state)
{
	struct fx	*fx = *state;
	const char	*id;

	/* the licensed name, and its alias, exactly: licensed */
	assert_int_equal(check(fx, "Қазақ Кадр Агенттігі", &id),
	    LISTS_FOUND_LICENSED);
	assert_int_equal(check(fx, "Kazakh Kadr", &id), LISTS_FOUND_LICENSED);
	/* a letter changed, added, dropped, two swapped: similar */
	assert_int_equal(check(fx, "Қазақ Кадр Агенттіг", &id),
	    LISTS_SIMILAR);
	assert_string_equal(id, "l1");
	assert_int_equal(check(fx, "Қазақ Кадры Агенттігі", &id),
	    LISTS_SIMILAR);
	assert_int_equal(check(fx, "Казах Кадр Агенттиги", &id),
	    LISTS_SIMILAR);
	assert_int_equal(check(fx, "Kazakh Kard", &id), LISTS_SIMILAR);
	assert_string_equal(id, "l1");
	assert_int_equal(check(fx, "Трудовой Мост Междунаодный", &id),
	    LISTS_SIMILAR);
	assert_string_equal(id, "l2");
	/* the licensed number exactly, and one digit off */
	assert_int_equal(check(fx, "+44 7700 900777", &id),
	    LISTS_FOUND_LICENSED);
	assert_int_equal(check(fx, "+44 7700 900778", &id), LISTS_UNKNOWN);
	assert_string_equal(id, "");
	assert_int_equal(check(fx, "+44 7700 900677", &id), LISTS_UNKNOWN);
	assert_int_equal(check(fx, "+44 7700 90077", &id), LISTS_UNKNOWN);
	/* a reported name one letter off is only similar too */
	assert_int_equal(check(fx, "Алтын Жол Сервиз", &id), LISTS_SIMILAR);
	assert_string_equal(id, "r1");
}

/* Reported entries older than the list's expiry are not asserted. */
static void
t_expired(void **state)
{
	struct fx	*fx = *state;
	struct lists_match m;

	assert_int_equal(lists_find(fx->s, "+44 7700 900999",
	    lists_days(TODAY), &m), 0);
	assert_int_equal(m.outcome, LISTS_UNKNOWN);
	assert_true(m.expired);
	assert_non_null(m.entry);		/* still counted */
	assert_string_equal(m.entry->id, "r-old");
	/* on a day it was still fresh, it is */
	assert_int_equal(lists_find(fx->s, "Старая Вакансия",
	    lists_days("2024-06-01"), &m), 0);
	assert_int_equal(m.outcome, LISTS_FOUND_REPORTED);
	assert_false(m.expired);
	/* and the linter says so */
	fx->warnings = 0;
	fx->all[0] = '\0';
	lists_lint(fx->s, lists_days(TODAY), collect, fx);
	assert_int_equal(fx->warnings, 1);
	assert_non_null(strstr(fx->all, "test.txt:22: reported entry "
	    "\"r-old\""));
	assert_string_equal(lists_outcome_name(LISTS_FOUND_REPORTED),
	    "reported");
	assert_string_equal(lists_outcome_name(LISTS_UNKNOWN), "unknown");
	assert_string_equal(lists_outcome_name(LISTS_SIMILAR), "similar");
}

/*
 * A number from a range kept for fiction (the shipped example's) is
 * warned about, entry by entry; real-looking numbers are not.
 */
static void
t_fiction(void **state)
{
	struct fx	*fx = *state;
	struct lists	*s;
	uint64_t	 hash = 0;

	fx->errors = fx->warnings = 0;
	fx->all[0] = '\0';
	lists_check(fx->s, collect, fx);
	print_message("%s", fx->all);
	/* r-old (+44 7700 900999) and l1 (+44 7700 900777); not r1, l2 */
	assert_non_null(strstr(fx->all, "test.txt:22: entry \"r-old\" has a "
	    "number from a range kept for fiction (UK mobile"));
	assert_non_null(strstr(fx->all, "entry \"l1\" has a number from"));
	assert_null(strstr(fx->all, "\"r1\" has a number from"));
	assert_null(strstr(fx->all, "\"l2\" has a number from"));
	write_list(fx, "edge.txt",
	    "verified: 2026-11-20\nsource: test\n"
	    "[entry]\nid: e1\nkind: reported\nphone: +44 20 7946 0123\n"
	    "source: t\ndate: 2026-11-20\n"
	    "[entry]\nid: e2\nkind: reported\nphone: +44 7700 901000\n"
	    "source: t\ndate: 2026-11-20\n"
	    "[entry]\nid: e3\nkind: reported\nphone: +44 20 7946 1000\n"
	    "source: t\ndate: 2026-11-20\n");
	fx->all[0] = '\0';
	assert_non_null(s = lists_load(fx->dir, NULL, 0, collect, fx, &hash));
	lists_check(s, collect, fx);
	assert_non_null(strstr(fx->all, "entry \"e1\" has a number from a "
	    "range kept for fiction (London"));
	assert_null(strstr(fx->all, "\"e2\" has a number"));
	assert_null(strstr(fx->all, "\"e3\" has a number"));
	lists_free(s);
}

/*
 * Files named by the configuration (content.extra_lists) are read after
 * those under lists/, and only then; one that cannot be read is an
 * error with its name.
 */
static void
t_extra(void **state)
{
	struct fx	*fx = *state;
	struct lists	*s;
	char		 path[PATH_MAX], missing[PATH_MAX];
	const char	*extra[2];
	FILE		*fp;
	uint64_t	 hash = 0;

	snprintf(path, sizeof(path), "%s/example.txt", fx->dir);
	assert_non_null(fp = fopen(path, "w"));
	fputs("verified: 2026-11-20\nsource: test\n[entry]\nid: x1\n"
	    "kind: licensed\nname: Пример Агентство\nphone: +44 7700 900100\n"
	    "source: invented\ndate: 2026-11-20\n", fp);
	fclose(fp);
	assert_non_null(s = lists_load(fx->dir, NULL, 0, collect, fx, &hash));
	assert_null(lists_entry(s, "x1"));		/* not named: not read */
	assert_non_null(lists_entry(s, "r1"));
	lists_free(s);
	extra[0] = path;
	fx->errors = 0;
	assert_non_null(s = lists_load(fx->dir, extra, 1, collect, fx, &hash));
	assert_int_equal(fx->errors, 0);
	assert_non_null(lists_entry(s, "x1"));
	assert_non_null(lists_entry(s, "r1"));
	assert_int_equal(s->nfiles, 2);
	lists_free(s);
	snprintf(missing, sizeof(missing), "%s/nowhere.txt", fx->dir);
	extra[1] = missing;
	fx->all[0] = '\0';
	assert_non_null(s = lists_load(fx->dir, extra, 2, collect, fx, &hash));
	assert_int_equal(fx->errors, 1);
	assert_non_null(strstr(fx->all, "nowhere.txt"));
	lists_free(s);
}

/* Problems come back as file:line, all of them; bad entries are out. */
static void
t_errors(void **state)
{
	struct fx	*fx = *state;
	struct lists	*s;
	struct content	 c;
	uint64_t	 hash = 0;

	write_list(fx, "bad.txt",
	    "verified: 2026-13-01\n"
	    "expires: forever\n"
	    "colour: red\n"
	    "[entry]\n"
	    "id: Bad Id\n"
	    "kind: scam\n"
	    "name: X\n"
	    "phone: not a number\n"
	    "date: 2026-11-26\n"
	    "[entry]\n"
	    "id: r1\n"
	    "kind: reported\n"
	    "name: Второй Ромашка\n"
	    "source: test\n"
	    "date: yesterday\n"
	    "[entry]\n"
	    "id: r1\n"
	    "kind: reported\n"
	    "name: Третий Ромашка\n"
	    "source: test\n"
	    "date: 2026-11-25\n"
	    "[section]\n");
	fx->errors = fx->warnings = 0;
	fx->all[0] = '\0';
	assert_non_null(s = lists_load(fx->dir, NULL, 0, collect, fx, &hash));
	memset(&c, 0, sizeof(c));
	c.lists = s;
	content_check_lists(&c, collect, fx);
	lists_check(s, collect, fx);
	print_message("%s", fx->all);
	assert_non_null(strstr(fx->all, "bad.txt:1: bad date"));
	assert_non_null(strstr(fx->all, "bad.txt:2: bad \"expires:\""));
	assert_non_null(strstr(fx->all, "bad.txt:3: unknown field \"colour\""));
	assert_non_null(strstr(fx->all, "bad.txt:5: bad id"));
	assert_non_null(strstr(fx->all, "bad.txt:6: bad kind \"scam\""));
	assert_non_null(strstr(fx->all, "bad.txt:8: \"not a number\" is "
	    "not a phone number"));
	assert_non_null(strstr(fx->all, "bad.txt:4: the entry has no "
	    "\"source:\""));
	assert_non_null(strstr(fx->all, "bad.txt:15: bad date"));
	assert_non_null(strstr(fx->all, "bad.txt:22: bad section line"));
	/* r1 of test.txt clashes with r1 of bad.txt (line 16), read first */
	assert_non_null(strstr(fx->all, "test.txt:6: entry id \"r1\" is "
	    "already used at"));
	assert_non_null(strstr(fx->all, "bad.txt:16"));
	/* no check topics while lists have entries */
	assert_non_null(strstr(fx->all, "missing the special topic "
	    "\"check\""));
	/* the bad entries are left out, the good ones stay */
	assert_null(lists_entry(s, "Bad Id"));
	assert_non_null(lists_entry(s, "l1"));
	lists_free(s);
}

/* No lists folder: an empty set, no problem. */
static void
t_none(void **state)
{
	struct fx	*fx = *state;
	struct lists	*s;
	struct lists_match m;
	uint64_t	 hash = 0;

	fx->errors = 0;
	assert_non_null(s = lists_load("/nonexistent", NULL, 0, collect, fx, &hash));
	assert_int_equal(fx->errors, 0);
	assert_int_equal(s->nentries, 0);
	assert_int_equal(lists_find(s, "8 700 000 00 01", 0, &m), 0);
	assert_int_equal(m.outcome, LISTS_UNKNOWN);
	assert_null(m.entry);
	assert_int_equal(lists_find(NULL, "x", 0, &m), 0);
	lists_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(t_load, setup, teardown),
		cmocka_unit_test_setup_teardown(t_numbers, setup, teardown),
		cmocka_unit_test(t_is_number),
		cmocka_unit_test_setup_teardown(t_names, setup, teardown),
		cmocka_unit_test_setup_teardown(t_typos, setup, teardown),
		cmocka_unit_test_setup_teardown(t_lookalike, setup, teardown),
		cmocka_unit_test_setup_teardown(t_fiction, setup, teardown),
		cmocka_unit_test_setup_teardown(t_extra, setup, teardown),
		cmocka_unit_test_setup_teardown(t_expired, setup, teardown),
		cmocka_unit_test_setup_teardown(t_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(t_none, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
