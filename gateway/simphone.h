/*
 * simphone.h - the simulated phone (Gammu's dummy driver, a folder):
 * inbound SMS put into it, the daemon's replies read out of it.  Used by
 * bin/simphone, "habar sim" and the tests; the daemon never calls these.
 */
#ifndef HABAR_SIMPHONE_H
#define HABAR_SIMPHONE_H

#include <stdbool.h>
#include <stddef.h>

#include "modem.h"

/*
 * Put an inbound SMS from sender into the phone folder dir as one part
 * per element of parts (UTF-8); with nparts > 1 the parts carry a
 * concatenation header with reference ref.  Written under a temporary
 * name and renamed into place.  Returns 0 or -1.
 */
int		 simphone_inject(const char *dir, const char *sender,
		    char *const *parts, size_t nparts, int ref)
		    __attribute__((warn_unused_result));

/*
 * Put the hand-written smsbackup file path into the phone folder dir's
 * inbox as it is, for tests with hostile input: copied under a
 * temporary name, then moved to the next free number.  Refuses values
 * that would overflow libGammu's own file reader (no network can send
 * those).  Returns 0 or -1.
 */
int		 simphone_inject_file(const char *dir, const char *path)
		    __attribute__((warn_unused_result));

/* A reply the daemon sent, as filed in the phone's sent folder. */
struct simphone_sent {
	char	 recipient[MODEM_NUMBER_MAX];
	char	*text;		/* UTF-8, parts joined; owned */
	size_t	 nparts;
	bool	 ucs2;
	char	 file[64];	/* name under the sent folder */
};

/*
 * Every reply in the phone folder's sent folder (4), oldest first, into
 * a new array *out of *n, freed with simphone_sent_free().  Returns 0 or
 * -1.
 */
int		 simphone_sent(const char *dir, struct simphone_sent **out,
		    size_t *n)
		    __attribute__((warn_unused_result));
void		 simphone_sent_free(struct simphone_sent *, size_t n);

#endif
