/*
 * status.h - "habar status": what each habard last recorded about its
 * modem, SIM credit, queues and content, read from the database.
 */
#ifndef HABAR_TOOLS_STATUS_H
#define HABAR_TOOLS_STATUS_H

/*
 * Run "habar status" with the configuration file conf_file; argv[0] is
 * "status".  Returns the exit code: 0, 1 when the database has no
 * status yet, 2 on a usage or configuration error.
 */
int	 cmd_status(const char *conf_file, int argc, char *argv[]);

#endif
