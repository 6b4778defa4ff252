/*
 * lint.h - "habar lint [--format=json] [--today=YYYY-MM-DD] [DIR]":
 * checks a content set the way the gateway will read it, and more.
 */
#ifndef HABAR_LINT_H
#define HABAR_LINT_H

/*
 * Lint the content folder argv names, or the configuration's
 * content_dir; the configuration conf_file is read unless a folder is
 * named and it cannot be read (then conf.c's defaults hold), and
 * readable(conf_file) is called first (habar's says which file was
 * tried and how to name another, and exits).  argv[0] is "lint".
 * Returns the exit status: 0, 1 on errors in the content, 2 when the
 * configuration is bad or memory runs out; -1 on a usage error
 * (nothing printed: the caller prints the usage).
 */
int	 lint_main(const char *conf_file, void (*readable)(const char *),
	    int argc, char *argv[]);

#endif
