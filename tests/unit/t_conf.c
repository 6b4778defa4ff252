/*
 * t_conf.c - the configuration parser: defaults, relative paths, and
 * every kind of mistake reported as file:line, all of them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include "conf.h"
#include "log.h"
#include "modem.h"

static char	 dir[64];
static char	 path[128];
static char	 errpath[128];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/t_conf.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/habar.conf", dir);
	snprintf(errpath, sizeof(errpath), "%s/stderr", dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(path);
	unlink(errpath);
	rmdir(dir);
	return 0;
}

static void
write_file(const char *text)
{
	FILE	*f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Load path with stderr captured; returns the conf, errors into buf. */
static struct conf *
load(char *buf, size_t bufsz)
{
	struct conf	*c;
	FILE		*f;
	int		 saved = dup(2);
	size_t		 n;

	assert_non_null(freopen(errpath, "w", stderr));
	c = conf_load(path);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	f = fopen(errpath, "r");
	n = fread(buf, 1, bufsz - 1, f);
	buf[n] = '\0';
	fclose(f);
	return c;
}

static const char good[] =
    "content_dir = \"content\";\n"
    "database = \"/var/lib/habar/habar.db\";\n"
    "languages = [\"kk\", \"ru\"];\n"
    "default_language = \"ru\";\n"
    "modem = { device = \"phone\"; connection = \"none\"; model = \"dummy\"; };\n"
    "pseudonym = { key_dir = \"keys\"; epoch = \"day\"; };\n";

static void
t_good(void **state)
{
	struct conf	*c;
	char		 err[4096], want[256], real[128];

	(void)state;
	write_file(good);
	c = load(err, sizeof(err));
	assert_non_null(c);
	assert_string_equal(err, "");
	assert_non_null(realpath(dir, real));
	snprintf(want, sizeof(want), "%s/content", real);
	assert_string_equal(c->content_dir, want);
	assert_string_equal(c->database, "/var/lib/habar/habar.db");
	assert_int_equal(c->nlangs, 2);
	assert_int_equal(conf_lang(c, "ru"), 1);
	assert_int_equal(conf_lang(c, "ky"), -1);
	assert_true(c->has_modem);
	assert_string_equal(c->modem.connection, "none");
	assert_int_equal(c->modem.multipart_timeout, 600);
	assert_int_equal(c->reply.max_parts, 3);
	assert_true(c->reply.latin_for_latin_senders);
	assert_string_equal(c->pseudonym.epoch, "day");
	assert_int_equal(c->pseudonym.period, PSEUDO_DAY);	/* parsed */
	assert_string_equal(c->log_level, "info");
	assert_int_equal(c->level, LOG_LEVEL_INFO);	/* the default, parsed */
	assert_int_equal(c->content.nextra_lists, 0);	/* no example */
	conf_free(c);
}

/*
 * conf_defaults() gives what a file without settings gives, parsed
 * forms included (a conf built in memory, as the benchmark's).
 */
static void
t_defaults(void **state)
{
	struct conf	 d;

	(void)state;
	conf_defaults(&d);
	assert_int_equal(d.level, LOG_LEVEL_INFO);
	assert_int_equal(d.pseudonym.period, PSEUDO_WEEK);
	assert_int_equal(d.route.first_words, 8);
	assert_int_equal(d.ussd.ucs2_page_chars, 80);
	assert_int_equal(d.balance.warn_below, -1);
	assert_true(d.reply.latin_for_latin_senders);
	assert_null(d.log_level);	/* strings stay NULL */
}

/* content.extra_lists: paths resolved like content_dir; bad ones named. */
static void
t_extra_lists(void **state)
{
	struct conf	*c;
	char		 err[4096], want[256], real[128];
	char		 text[1024];

	(void)state;
	snprintf(text, sizeof(text), "%scontent = { extra_lists = "
	    "[\"examples/example-list.txt\", \"/srv/more.txt\"]; };\n", good);
	write_file(text);
	assert_non_null(c = load(err, sizeof(err)));
	assert_string_equal(err, "");
	assert_non_null(realpath(dir, real));
	assert_int_equal(c->content.nextra_lists, 2);
	snprintf(want, sizeof(want), "%s/examples/example-list.txt", real);
	assert_string_equal(c->content.extra_lists[0], want);
	assert_string_equal(c->content.extra_lists[1], "/srv/more.txt");
	conf_free(c);
	snprintf(text, sizeof(text), "%scontent = {\n extra_lists = "
	    "\"one.txt\";\n};\n", good);
	write_file(text);
	assert_null(c = load(err, sizeof(err)));
	snprintf(want, sizeof(want), "%s:8: 'extra_lists' must be a list",
	    path);
	assert_non_null(strstr(err, want));
}

static void
t_every_error_with_line(void **state)
{
	struct conf	*c;
	char		 err[4096], want[256];

	(void)state;
	write_file(
	    "content_dir = \"content\";\n"
	    "databse = \"x.db\";\n"			/* 2: unknown */
	    "languages = [\"kk\", \"ru\"];\n"
	    "default_language = \"ky\";\n"		/* 4: not listed */
	    "reply = { max_parts = 0; };\n"		/* 5: range */
	    "modem = { device = 7; };\n"		/* 6: type */
	    "pseudonym = { key_dir = \"k\"; epoch = \"year\"; };\n"); /* 7 */
	c = load(err, sizeof(err));
	assert_null(c);
	snprintf(want, sizeof(want), "%s:2: unknown setting 'databse'", path);
	assert_non_null(strstr(err, want));
	snprintf(want, sizeof(want), "%s:4: default_language 'ky' is not in "
	    "'languages'", path);
	assert_non_null(strstr(err, want));
	snprintf(want, sizeof(want), "%s:5: 'max_parts' must be between 1 "
	    "and 10", path);
	assert_non_null(strstr(err, want));
	snprintf(want, sizeof(want), "%s:6: 'device' must be a string", path);
	assert_non_null(strstr(err, want));
	snprintf(want, sizeof(want), "%s:7: 'epoch' must be one of "
	    "day|week|month", path);
	assert_non_null(strstr(err, want));
	assert_non_null(strstr(err, "missing setting 'database'"));
}

static void
t_syntax_error(void **state)
{
	struct conf	*c;
	char		 err[4096], want[256];

	(void)state;
	write_file("content_dir = \"content\";\nlanguages = [\"kk\",;\n");
	c = load(err, sizeof(err));
	assert_null(c);
	snprintf(want, sizeof(want), "%s:2: ", path);
	assert_non_null(strstr(err, want));
}

/*
 * @include is refused with its line, whatever it names: a folder made
 * libconfig exit the process (found by fuzz_conf), a file elsewhere
 * would be read as settings.
 */
static void
t_include_refused(void **state)
{
	static const char *const targets[] = { "/", "/etc/passwd",
	    "other.conf" };
	struct conf	*c;
	char		 err[4096], want[256], text[1024];
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		snprintf(text, sizeof(text), "%s  \t@include \"%s\"\n",
		    good, targets[i]);
		write_file(text);
		c = load(err, sizeof(err));
		assert_null(c);
		snprintf(want, sizeof(want), "%s:7: @include is not "
		    "supported", path);
		assert_non_null(strstr(err, want));
	}
	/* inside a line, as in a comment, it is only text */
	snprintf(text, sizeof(text), "%s# no @include \"/\"\n", good);
	write_file(text);
	c = load(err, sizeof(err));
	assert_non_null(c);
	conf_free(c);
}

static void
t_missing_file(void **state)
{
	struct conf	*c;
	char		 err[4096];

	(void)state;
	unlink(path);
	c = load(err, sizeof(err));
	assert_null(c);
	assert_non_null(strstr(err, "cannot read"));
}

static void
t_modem_needs_device(void **state)
{
	struct conf	*c;
	char		 err[4096];

	(void)state;
	write_file(
	    "content_dir = \"c\"; database = \"d\"; languages = [\"ru\"];\n"
	    "default_language = \"ru\"; pseudonym = { key_dir = \"k\"; };\n"
	    "modem = { poll_ms = 100; };\n");
	c = load(err, sizeof(err));
	assert_null(c);
	assert_non_null(strstr(err, "needs 'gammurc' or 'device'"));
}

/* A configuration whose modem group has the line extra. */
static void
write_modem(const char *extra)
{
	char	 text[1024];

	snprintf(text, sizeof(text),
	    "content_dir = \"c\"; database = \"d\"; languages = [\"ru\"];\n"
	    "default_language = \"ru\"; pseudonym = { key_dir = \"k\"; };\n"
	    "modem = { device = \"/dev/ttyUSB0\";\n%s\n};\n", extra);
	write_file(text);
}

/* modem.pin: 4 to 8 digits, never both pin and pin_file. */
static void
t_pin_checked(void **state)
{
	struct conf	*c;
	struct modem_conf mc;
	char		 err[4096], pin[16];

	(void)state;
	write_modem("pin = \"12a4\";");
	assert_null(load(err, sizeof(err)));
	assert_non_null(strstr(err, "'pin' must be 4 to 8 digits"));
	assert_null(strstr(err, "12a4"));
	write_modem("pin = \"1234\"; pin_file = \"p\";");
	assert_null(load(err, sizeof(err)));
	assert_non_null(strstr(err, "either 'pin' or 'pin_file'"));
	write_modem("pin = \"1234\";");
	c = load(err, sizeof(err));
	assert_non_null(c);
	assert_int_equal(conf_modem(c, &mc, pin, sizeof(pin)), 0);
	assert_string_equal(mc.pin, "1234");
	assert_string_equal(mc.device, "/dev/ttyUSB0");
	conf_free(c);
}

/* modem.pin_file: only its owner may read it; read by conf_modem(). */
static void
t_pin_file(void **state)
{
	struct conf	*c;
	struct modem_conf mc;
	char		 err[4096], pin[16], pf[160], line[200];
	FILE		*f;

	(void)state;
	snprintf(pf, sizeof(pf), "%s/pin", dir);
	f = fopen(pf, "w");
	assert_non_null(f);
	fputs("4321\n", f);
	fclose(f);
	chmod(pf, 0644);
	snprintf(line, sizeof(line), "pin_file = \"%s\";", pf);
	write_modem(line);
	assert_null(load(err, sizeof(err)));
	assert_non_null(strstr(err, "readable by its owner only"));
	chmod(pf, 0600);
	c = load(err, sizeof(err));
	assert_non_null(c);
	assert_int_equal(conf_modem(c, &mc, pin, sizeof(pin)), 0);
	assert_string_equal(mc.pin, "4321");
	/* Made readable after the start: refused when read. */
	chmod(pf, 0640);
	assert_int_equal(conf_modem(c, &mc, pin, sizeof(pin)), -1);
	conf_free(c);
	unlink(pf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(t_good, setup, teardown),
		cmocka_unit_test(t_defaults),
		cmocka_unit_test_setup_teardown(t_extra_lists, setup, teardown),
		cmocka_unit_test_setup_teardown(t_every_error_with_line, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(t_syntax_error, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(t_include_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(t_missing_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(t_pin_checked, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(t_pin_file, setup, teardown),
		cmocka_unit_test_setup_teardown(t_modem_needs_device, setup,
		    teardown),
	};

	log_init(1, LOG_LEVEL_WARN, NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
