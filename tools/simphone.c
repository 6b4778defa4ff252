/*
 * simphone.c - the simulated phone of the tests, from the shell: put an
 * inbound SMS into a Gammu dummy-driver folder, or list the replies the
 * gateway filed into its sent folder, through gateway/simphone.c.
 *
 *	simphone inject DIR NUMBER TEXT [TEXT ...]
 *	simphone inject-raw DIR FILE
 *	simphone sent DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "simphone.h"

static void
usage(void)
{
	fprintf(stderr,
	    "usage: simphone inject DIR NUMBER TEXT [TEXT ...]\n"
	    "       simphone inject-raw DIR FILE\n"
	    "       simphone sent DIR\n");
	exit(1);
}

/* text on one line: backslash, newline, return and tab escaped. */
static void
put_escaped(const char *text)
{
	const char	*p;

	for (p = text; *p != '\0'; p++) {
		switch (*p) {
		case '\\':
			fputs("\\\\", stdout);
			break;
		case '\n':
			fputs("\\n", stdout);
			break;
		case '\r':
			fputs("\\r", stdout);
			break;
		case '\t':
			fputs("\\t", stdout);
			break;
		default:
			putchar(*p);
			break;
		}
	}
}

static int
cmd_sent(const char *dir)
{
	struct simphone_sent *v;
	size_t		 n, i;

	if (simphone_sent(dir, &v, &n) == -1)
		return 1;
	for (i = 0; i < n; i++) {
		printf("%s\t%zu\t%s\t", v[i].recipient, v[i].nparts,
		    v[i].ucs2 ? "ucs2" : "gsm7");
		put_escaped(v[i].text);
		putchar('\n');
	}
	simphone_sent_free(v, n);
	if (fflush(stdout) == EOF) {
		log_warn("cannot write the replies");
		return 1;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	int	 ref;

	log_init(1, LOG_LEVEL_INFO, "simphone");
	if (argc < 3)
		usage();
	if (strcmp(argv[1], "inject") == 0) {
		if (argc < 5)
			usage();
		/* One reference per message, enough for a test run. */
		ref = (int)((time(NULL) ^ getpid()) & 0xff);
		return simphone_inject(argv[2], argv[3], argv + 4,
		    (size_t)(argc - 4), ref) == -1;
	}
	if (strcmp(argv[1], "inject-raw") == 0) {
		if (argc != 4)
			usage();
		return simphone_inject_file(argv[2], argv[3]) == -1;
	}
	if (strcmp(argv[1], "sent") == 0) {
		if (argc != 3)
			usage();
		return cmd_sent(argv[2]);
	}
	usage();
}
