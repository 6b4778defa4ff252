/*
 * checks.h - "habar stats checks": how often each entry of the NGO's
 * lists was checked, by day, with small counts suppressed.
 */
#ifndef HABAR_TOOLS_CHECKS_H
#define HABAR_TOOLS_CHECKS_H

/*
 * Run "habar stats checks" with the configuration file conf_file;
 * argv[0] is "checks".  Returns the exit code: 0, 1 when the database
 * cannot be read, 2 on a usage or configuration error.
 */
int	 checks_main(const char *conf_file, int argc, char *argv[]);

#endif
