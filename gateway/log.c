/*
 * log.c - the one place messages leave the program: standard error under
 * -d and for the tools, syslog for the daemon.  Levels are checked before
 * anything is formatted.  Lines are capped at LOG_LINE_MAX bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "log.h"

#define LOG_LINE_MAX	1024

static int		 log_stderr = 1;
static enum log_level	 log_level = LOG_LEVEL_INFO;
static const char	*log_ident = NULL;

void
log_init(int to_stderr, enum log_level level, const char *ident)
{
	log_stderr = to_stderr;
	log_level = level;
	log_ident = ident;
	if (!to_stderr)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
log_setlevel(enum log_level level)
{
	log_level = level;
}

int
log_level_parse(const char *name, enum log_level *out)
{
	if (strcmp(name, "warning") == 0)
		*out = LOG_LEVEL_WARN;
	else if (strcmp(name, "info") == 0)
		*out = LOG_LEVEL_INFO;
	else if (strcmp(name, "debug") == 0)
		*out = LOG_LEVEL_DEBUG;
	else
		return -1;
	return 0;
}

enum log_level
log_getlevel(void)
{
	return log_level;
}

static void
vlog(int pri, const char *fmt, va_list ap, const char *suffix)
{
	char	 line[LOG_LINE_MAX];
	int	 saved = errno;

	vsnprintf(line, sizeof(line), fmt, ap);
	if (log_stderr) {
		if (log_ident != NULL)
			fprintf(stderr, "%s: ", log_ident);
		if (suffix != NULL)
			fprintf(stderr, "%s: %s\n", line, suffix);
		else
			fprintf(stderr, "%s\n", line);
		fflush(stderr);
	} else if (suffix != NULL)
		syslog(pri, "%s: %s", line, suffix);
	else
		syslog(pri, "%s", line);
	errno = saved;
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap, strerror(saved));
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap, NULL);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	if (log_level < LOG_LEVEL_INFO)
		return;
	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap, NULL);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	if (log_level < LOG_LEVEL_DEBUG)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap, NULL);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap, strerror(saved));
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap, NULL);
	va_end(ap);
	exit(1);
}
