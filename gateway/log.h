/*
 * log.h - syslog/stderr logging with levels, after OpenBSD ntpd's log.[ch].
 */
#ifndef HABAR_LOG_H
#define HABAR_LOG_H

#include <stdarg.h>

enum log_level {
	LOG_LEVEL_WARN,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG
};

/*
 * Start logging.  With to_stderr set, messages go to standard error,
 * otherwise to syslog under the given ident.  The ident is not copied.
 */
void	log_init(int to_stderr, enum log_level level, const char *ident);
void	log_setlevel(enum log_level level);

/*
 * "warning", "info" or "debug" into *out (the configuration's
 * log_level).  Returns 0, or -1 for any other name.
 */
int	log_level_parse(const char *name, enum log_level *out);
enum log_level log_getlevel(void);

/* log_warn appends strerror(errno); errno is preserved by all of them. */
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Phone numbers may appear at debug level only. */
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
/* For start-up in habard.c and tools only: log and exit(1). */
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
