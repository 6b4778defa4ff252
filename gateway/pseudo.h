/*
 * pseudo.h - keyed pseudonyms for phone numbers: BLAKE2b-128 under a
 * random key per epoch.  At rollover the old key file is overwritten and
 * unlinked, so old pseudonyms can no longer be linked to numbers.
 * The only module that includes <sodium.h>.
 */
#ifndef HABAR_PSEUDO_H
#define HABAR_PSEUDO_H

#include <stddef.h>
#include <time.h>

#define PSEUDO_LEN	16

enum pseudo_epoch {
	PSEUDO_DAY,
	PSEUDO_WEEK,		/* ISO week, the default */
	PSEUDO_MONTH
};

struct pseudo;

/*
 * Use key files under key_dir (created 0700 if missing).  Returns NULL
 * after logging why.  Free with pseudo_close(), which wipes the key.
 */
struct pseudo	*pseudo_open(const char *key_dir, enum pseudo_epoch)
		    __attribute__((warn_unused_result));

/*
 * The pseudonym of number (E.164) at time now into out.  Loads or
 * creates the epoch's key file (0600) and destroys older ones on the
 * way.  Returns 0 or -1.
 */
int		 pseudo_get(struct pseudo *, const char *number, time_t now,
		    unsigned char out[PSEUDO_LEN])
		    __attribute__((warn_unused_result));

/* Name of the epoch containing now, e.g. "2026-W48", into buf. */
int		 pseudo_epoch_name(enum pseudo_epoch, time_t now, char *buf,
		    size_t bufsz);

/* Overwrite a buffer in a way the compiler cannot drop. */
void		 pseudo_wipe(void *buf, size_t len);

void		 pseudo_close(struct pseudo *);

#endif
