/*
 * doctor.h - "habar doctor": connect to the configured modem and say,
 * step by step, what works and what to do about what does not.
 */
#ifndef HABAR_TOOLS_DOCTOR_H
#define HABAR_TOOLS_DOCTOR_H

/*
 * Run "habar doctor [--send NUMBER]" with the configuration file
 * conf_file; argv[0] is "doctor".  Returns the exit code: 0 when every
 * step is OK, 1 when one is not, 2 on a usage or configuration error.
 */
int	 cmd_doctor(const char *conf_file, int argc, char *argv[]);

#endif
