/*
 * fuzz_conf.c - libFuzzer target: the configuration parser (libconfig
 * syntax, the settings table, cross-field rules) on any file.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "log.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	 path[512];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int	 fd;

	(void)argc;
	(void)argv;
	log_init(1, LOG_LEVEL_WARN, NULL);
	/* Under TMPDIR: run.sh points it at a folder it removes. */
	snprintf(path, sizeof(path), "%s/fuzz_conf.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if ((fd = mkstemp(path)) == -1)
		abort();
	close(fd);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf	*conf, *old;
	FILE		*fp;

	if (size > 16384 || (fp = fopen(path, "w")) == NULL)
		return 0;
	fwrite(data, 1, size, fp);
	fclose(fp);
	if ((conf = conf_load(path)) != NULL) {
		/* What a reload does with a good one. */
		if ((old = conf_load(path)) != NULL) {
			(void)conf_keep_restart(conf, old);
			(void)conf_lang(conf, "kk");
			conf_free(old);
		}
		conf_free(conf);
	}
	return 0;
}
