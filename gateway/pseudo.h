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
 * way.  After a failure, the key is tried again 60 seconds later,
 * failing quietly until then.  Safe to call while another thread uses
 * another context.  Returns 0 or -1.
 */
int		 pseudo_get(struct pseudo *, const char *number, time_t now,
		    unsigned char out[PSEUDO_LEN])
		    __attribute__((warn_unused_result));

/*
 * Make p hold the key of the epoch containing now, loading or creating
 * it, before any message needs it (habard calls this at start, before
 * dropping privileges, and then on every round of its loop).  When the
 * epoch changed, every other context of this process (another thread's)
 * drops its copy of the old key, and the old key files are destroyed:
 * at the boundary, with no message.  Cheap within an epoch.  Returns 0,
 * or -1 (logged, at most once a minute) when no key can be had.
 */
int		 pseudo_ready(struct pseudo *, time_t now);

/*
 * The name of the epoch whose key p holds in memory ("" for none) into
 * buf.  Returns 0, or -1 when buf is too small.
 */
int		 pseudo_loaded(struct pseudo *, char *buf, size_t bufsz);

/* Name of the epoch containing now, e.g. "2026-W48", into buf. */
int		 pseudo_epoch_name(enum pseudo_epoch, time_t now, char *buf,
		    size_t bufsz);

/* Overwrite a buffer in a way the compiler cannot drop. */
void		 pseudo_wipe(void *buf, size_t len);

void		 pseudo_close(struct pseudo *);

/* What "habar keys" shows of one key file: never its bytes. */
struct pseudo_key {
	char	 epoch[16];	/* "2026-W48", from the file name */
	time_t	 created;	/* the file's modification time */
	int	 mode;		/* permission bits */
	int	 current;	/* the epoch containing now */
};

/*
 * The key files in key_dir (EPOCH.key; files being created are left
 * out), sorted by epoch, at most max, into out; *n says how many there
 * are, which may exceed max.  Nothing is read of a key.  Returns 0, or
 * -1 after logging (a missing folder is 0 with *n 0).
 */
int		 pseudo_keys(const char *key_dir, enum pseudo_epoch,
		    time_t now,
		    struct pseudo_key *out,	/* OUT */
		    size_t max,
		    size_t *n)			/* OUT */
		    __attribute__((warn_unused_result));

/* "day", "week" or "month" into *out.  Returns 0, or -1 for others. */
int		 pseudo_epoch_parse(const char *name, enum pseudo_epoch *out)
		    __attribute__((warn_unused_result));

#endif
