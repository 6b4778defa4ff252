/*
 * pseudo.c - keyed pseudonyms for phone numbers: BLAKE2b-128 of the
 * E.164 number under a random 32-byte key per epoch (day, ISO week or
 * month, in UTC).  The only module that includes <sodium.h>.
 *
 * Each epoch's key lives in key_dir/EPOCH.key (0600, key_dir 0700).
 * When the epoch changes, and when the module opens, every other key
 * file is overwritten with zeros, synced and unlinked, so a seized
 * machine cannot link past pseudonyms to numbers.  A clock that jumps
 * back only makes a new key for the older epoch: unlinkability is never
 * weakened, only the counting of distinct senders is split.
 *
 * Every context a process opens is on one list: at an epoch boundary
 * the thread that calls pseudo_ready() (habard's main loop, which wakes
 * for it with no message) also wipes the old key other threads hold in
 * their contexts (the HTTP channel's), each under its own lock.
 *
 * A new key is written to a temporary file and published with link(),
 * which fails if the name exists: two daemons creating the same epoch's
 * key at once both end up reading the one that won, and nobody ever
 * reads a half-written file.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "log.h"
#include "pseudo.h"

#define PSEUDO_KEY_LEN		crypto_generichash_KEYBYTES /* 32 */
#define PSEUDO_EPOCH_MAX	16		/* "2026-W48", "2026-11-26" */
#define PSEUDO_SUFFIX		".key"
#define PSEUDO_RETRY		60	/* seconds between failed loads */

struct pseudo {
	char			*dir;
	enum pseudo_epoch	 epoch;
	char			 name[PSEUDO_EPOCH_MAX]; /* "": none */
	long long		 day;	/* UTC day name was last checked on */
	unsigned char		 key[PSEUDO_KEY_LEN];
	int			 locked;	/* key is mlocked */
	time_t			 retry_at;	/* after a failed load */
	pthread_mutex_t		 mu;	/* name, day, key, retry_at */
	struct pseudo		*next;	/* on pseudo_all */
};

/* Every open context of the process, for pseudo_ready(). */
static pthread_mutex_t	 pseudo_all_mu = PTHREAD_MUTEX_INITIALIZER;
static struct pseudo	*pseudo_all;

/* Days since the epoch, rounded down: the UTC day of t. */
static long long
pseudo_day(time_t t)
{
	long long	 d = (long long)t / 86400;

	return (long long)t % 86400 < 0 ? d - 1 : d;
}

void
pseudo_wipe(void *buf, size_t len)
{
	sodium_memzero(buf, len);
}

int
pseudo_epoch_name(enum pseudo_epoch epoch, time_t now, char *buf,
    size_t bufsz)
{
	struct tm	 tm;
	size_t		 n = 0;
	int		 known = 0;

	if (gmtime_r(&now, &tm) == NULL) {
		log_warnx("cannot name epoch: time %lld out of range",
		    (long long)now);
		return -1;
	}
	if (bufsz == 0)
		goto small;
	switch (epoch) {
	case PSEUDO_DAY:
		n = strftime(buf, bufsz, "%Y-%m-%d", &tm);
		known = 1;
		break;
	case PSEUDO_WEEK:
		/* C99: ISO 8601 week-based year and week number. */
		n = strftime(buf, bufsz, "%G-W%V", &tm);
		known = 1;
		break;
	case PSEUDO_MONTH:
		n = strftime(buf, bufsz, "%Y-%m", &tm);
		known = 1;
		break;
	}
	if (!known) {
		log_warnx("cannot name epoch: unknown kind %d", (int)epoch);
		return -1;
	}
	if (n == 0)
		goto small;
	return 0;
small:
	log_warnx("cannot name epoch: buffer of %zu bytes too small", bufsz);
	return -1;
}

/* dir/name into buf; -1 (logged) when it does not fit. */
static int
pseudo_path(const struct pseudo *p, const char *name, char *buf,
    size_t bufsz)
{
	int	 n;

	n = snprintf(buf, bufsz, "%s/%s", p->dir, name);
	if (n < 0 || (size_t)n >= bufsz) {
		log_warnx("cannot use key file in '%s': path too long", p->dir);
		return -1;
	}
	return 0;
}

/* Make an unlink or link in the key directory durable. */
static void
pseudo_sync_dir(const struct pseudo *p)
{
	int	 fd;

	if ((fd = open(p->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		log_warn("cannot sync key directory '%s'", p->dir);
		return;
	}
	if (fsync(fd) == -1)
		log_warn("cannot sync key directory '%s'", p->dir);
	close(fd);
}

/*
 * Overwrite the file at path with zeros, sync and unlink it.  Returns 0,
 * or -1 after logging.  The file name is not a secret; its bytes are.
 */
static int
pseudo_destroy(const char *path)
{
	static const unsigned char	 zero[4096];
	struct stat			 sb;
	off_t				 left;
	ssize_t				 w;
	size_t				 chunk;
	int				 fd, rc = 0;

	fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1) {
		if (errno == ENOENT)	/* another daemon was quicker */
			return 0;
		log_warn("cannot destroy old key '%s'", path);
		/* A symlink or unwritable file: at least drop the name. */
		if (unlink(path) == -1 && errno != ENOENT)
			log_warn("cannot unlink old key '%s'", path);
		return -1;
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		log_warnx("cannot destroy old key '%s': not a regular file",
		    path);
		close(fd);
		return -1;
	}
	for (left = sb.st_size; left > 0; left -= w) {
		chunk = left < (off_t)sizeof(zero) ? (size_t)left :
		    sizeof(zero);
		if ((w = write(fd, zero, chunk)) <= 0) {
			log_warn("cannot overwrite old key '%s'", path);
			rc = -1;
			break;
		}
	}
	if (rc == 0 && fsync(fd) == -1) {
		log_warn("cannot sync old key '%s'", path);
		rc = -1;
	}
	close(fd);
	if (unlink(path) == -1 && errno != ENOENT) {
		log_warn("cannot unlink old key '%s'", path);
		rc = -1;
	}
	return rc;
}

/*
 * Whether name is a key file (EPOCH.key) or a key being created
 * (EPOCH.key.XXXXXX) that is not the current epoch's.
 */
static int
pseudo_is_old_key(const char *name, const char *current)
{
	const char	*suffix;
	size_t		 clen = strlen(current);

	if ((suffix = strstr(name, PSEUDO_SUFFIX)) == NULL || suffix == name)
		return 0;
	if (suffix[strlen(PSEUDO_SUFFIX)] != '\0' &&
	    suffix[strlen(PSEUDO_SUFFIX)] != '.')
		return 0;
	/* Ours, or another daemon's temporary file for the same epoch. */
	if (clen > 0 && (size_t)(suffix - name) == clen &&
	    strncmp(name, current, clen) == 0)
		return 0;
	return 1;
}

/*
 * Destroy every key file in the directory except current's ("" spares
 * none).  Failures are logged; the pseudonyms themselves still work.
 */
static void
pseudo_sweep(const struct pseudo *p, const char *current)
{
	char		 path[PATH_MAX];
	DIR		*d;
	struct dirent	*de;
	int		 n = 0;

	if ((d = opendir(p->dir)) == NULL) {
		log_warn("cannot read key directory '%s'", p->dir);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (!pseudo_is_old_key(de->d_name, current))
			continue;
		if (pseudo_path(p, de->d_name, path, sizeof(path)) == -1)
			continue;
		if (pseudo_destroy(path) == 0)
			log_info("destroyed old pseudonym key '%s'", path);
		n++;
	}
	closedir(d);
	if (n > 0)
		pseudo_sync_dir(p);
}

/* Read exactly PSEUDO_KEY_LEN bytes of key file path into key. */
static int
pseudo_read_key(const char *path, unsigned char *key)
{
	struct stat	 sb;
	ssize_t		 r;
	size_t		 got = 0;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		log_warn("cannot open key file '%s'", path);
		return -1;
	}
	if (fstat(fd, &sb) == -1) {
		log_warn("cannot stat key file '%s'", path);
		goto fail;
	}
	if (!S_ISREG(sb.st_mode) || sb.st_size != PSEUDO_KEY_LEN) {
		log_warnx("corrupt key file '%s': %lld bytes, expected %d; "
		    "remove it to start a new key", path,
		    (long long)sb.st_size, PSEUDO_KEY_LEN);
		goto fail;
	}
	if (sb.st_mode & 077)
		log_warnx("key file '%s' is readable by others", path);
	while (got < PSEUDO_KEY_LEN) {
		r = read(fd, key + got, PSEUDO_KEY_LEN - got);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				log_warnx("corrupt key file '%s': short read",
				    path);
			else
				log_warn("cannot read key file '%s'", path);
			goto fail;
		}
		got += (size_t)r;
	}
	close(fd);
	return 0;
fail:
	sodium_memzero(key, PSEUDO_KEY_LEN);
	close(fd);
	return -1;
}

/* Write key to a new temporary file tmp (0600) and sync it. */
static int
pseudo_write_tmp(char *tmp, const unsigned char *key)
{
	ssize_t		 w;
	size_t		 done = 0;
	int		 fd;

	/* mkstemp: O_CREAT | O_EXCL, mode 0600. */
	if ((fd = mkstemp(tmp)) == -1) {
		log_warn("cannot create key file '%s'", tmp);
		return -1;
	}
	while (done < PSEUDO_KEY_LEN) {
		w = write(fd, key + done, PSEUDO_KEY_LEN - done);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0) {
			log_warn("cannot write key file '%s'", tmp);
			goto fail;
		}
		done += (size_t)w;
	}
	if (fsync(fd) == -1) {
		log_warn("cannot sync key file '%s'", tmp);
		goto fail;
	}
	close(fd);
	return 0;
fail:
	close(fd);
	(void)pseudo_destroy(tmp);
	return -1;
}

/*
 * Load the key of epoch name into p->key, creating it if it does not
 * exist yet.  Returns 0, or -1 after logging.
 */
static int
pseudo_load(struct pseudo *p, const char *name)
{
	char	 path[PATH_MAX], tmp[PATH_MAX], file[PSEUDO_EPOCH_MAX + 16];
	int	 saved;

	(void)snprintf(file, sizeof(file), "%s%s", name, PSEUDO_SUFFIX);
	if (pseudo_path(p, file, path, sizeof(path)) == -1)
		return -1;
	if (access(path, F_OK) == 0)
		return pseudo_read_key(path, p->key);

	(void)snprintf(file, sizeof(file), "%s%s.XXXXXX", name,
	    PSEUDO_SUFFIX);
	if (pseudo_path(p, file, tmp, sizeof(tmp)) == -1)
		return -1;
	randombytes_buf(p->key, sizeof(p->key));
	if (pseudo_write_tmp(tmp, p->key) == -1) {
		sodium_memzero(p->key, sizeof(p->key));
		return -1;
	}
	if (link(tmp, path) == -1) {
		saved = errno;
		sodium_memzero(p->key, sizeof(p->key));
		/* This key was never used: zero it, not just unlink it. */
		(void)pseudo_destroy(tmp);
		if (saved != EEXIST) {
			errno = saved;
			log_warn("cannot create key file '%s'", path);
			return -1;
		}
		/* Another daemon won the race: use its key. */
		return pseudo_read_key(path, p->key);
	}
	/* The same inode as path now: drop the name, keep the bytes. */
	if (unlink(tmp) == -1)
		log_warn("cannot unlink '%s'", tmp);
	pseudo_sync_dir(p);
	log_info("created pseudonym key '%s'", path);
	return 0;
}

struct pseudo *
pseudo_open(const char *key_dir, enum pseudo_epoch epoch)
{
	struct pseudo	*p;
	struct stat	 sb;
	char		 now[PSEUDO_EPOCH_MAX];

	if (sodium_init() < 0) {
		log_warnx("cannot initialise libsodium");
		return NULL;
	}
	if (pseudo_epoch_name(epoch, time(NULL), now, sizeof(now)) == -1)
		return NULL;
	if (mkdir(key_dir, 0700) == -1 && errno != EEXIST) {
		log_warn("cannot create key directory '%s'", key_dir);
		return NULL;
	}
	if (stat(key_dir, &sb) == -1) {
		log_warn("cannot use key directory '%s'", key_dir);
		return NULL;
	}
	if (!S_ISDIR(sb.st_mode)) {
		log_warnx("cannot use key directory '%s': not a directory",
		    key_dir);
		return NULL;
	}
	if (sb.st_mode & 077)
		log_warnx("key directory '%s' is open to others; "
		    "chmod 700 it", key_dir);
	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->dir = strdup(key_dir)) == NULL) {
		log_warn("cannot open key directory '%s'", key_dir);
		free(p);
		return NULL;
	}
	p->epoch = epoch;
	pthread_mutex_init(&p->mu, NULL);
	/* Keep the key out of swap where the limit allows. */
	p->locked = sodium_mlock(p->key, sizeof(p->key)) == 0;
	if (!p->locked)
		log_debug("cannot lock pseudonym key in memory");
	/*
	 * Keys of past epochs must not wait for the first message to be
	 * destroyed: sweep now by the clock.
	 */
	pseudo_sweep(p, now);
	pthread_mutex_lock(&pseudo_all_mu);
	p->next = pseudo_all;
	pseudo_all = p;
	pthread_mutex_unlock(&pseudo_all_mu);
	return p;
}

/*
 * Have p hold the key of epoch name (the one containing now), loading
 * or creating it; the old one is wiped first.  A failure makes the next
 * try wait PSEUDO_RETRY seconds, so a key folder gone wrong is logged
 * once a minute, not at every message or round of the loop.  Returns 1
 * for a key just loaded, 0 when it was there, or -1 with p holding no
 * key.  Called with p->mu held.
 */
static int
pseudo_switch(struct pseudo *p, const char *name, time_t now)
{
	if (strcmp(name, p->name) == 0)
		return 0;
	sodium_memzero(p->key, sizeof(p->key));
	p->name[0] = '\0';
	/* (a clock set back does not hold it off for longer) */
	if (now < p->retry_at && p->retry_at - now <= PSEUDO_RETRY)
		return -1;
	if (pseudo_load(p, name) == -1) {
		p->retry_at = now + PSEUDO_RETRY;
		return -1;
	}
	p->retry_at = 0;
	memcpy(p->name, name, sizeof(p->name));
	return 1;
}

int
pseudo_get(struct pseudo *p, const char *number, time_t now,
    unsigned char out[PSEUDO_LEN])
{
	char	 name[PSEUDO_EPOCH_MAX];
	int	 rv = -1, sw;

	if (number == NULL || number[0] == '\0') {
		log_warnx("cannot make a pseudonym of an empty number");
		return -1;
	}
	pthread_mutex_lock(&p->mu);
	/* Every kind of epoch starts at a UTC midnight. */
	if (p->name[0] == '\0' || pseudo_day(now) != p->day) {
		if (pseudo_epoch_name(p->epoch, now, name, sizeof(name)) == -1)
			goto out;
		if ((sw = pseudo_switch(p, name, now)) == -1)
			goto out;
		if (sw == 1)
			pseudo_sweep(p, p->name);
		p->day = pseudo_day(now);
	}
	if (crypto_generichash(out, PSEUDO_LEN, (const unsigned char *)number,
	    strlen(number), p->key, sizeof(p->key)) != 0) {
		log_warnx("cannot hash a number");
		goto out;
	}
	rv = 0;
out:
	pthread_mutex_unlock(&p->mu);
	return rv;
}

int
pseudo_ready(struct pseudo *p, time_t now)
{
	struct pseudo	*q;
	char		 name[PSEUDO_EPOCH_MAX], qname[PSEUDO_EPOCH_MAX];
	int		 sw;

	if (pseudo_epoch_name(p->epoch, now, name, sizeof(name)) == -1)
		return -1;
	pthread_mutex_lock(&p->mu);
	if ((sw = pseudo_switch(p, name, now)) != -1)
		p->day = pseudo_day(now);
	pthread_mutex_unlock(&p->mu);
	if (sw == 0)
		return 0;	/* the same epoch: nothing to do */
	/* A new epoch, or none: no other thread keeps an old key. */
	pthread_mutex_lock(&pseudo_all_mu);
	for (q = pseudo_all; q != NULL; q = q->next) {
		if (q == p || pseudo_epoch_name(q->epoch, now, qname,
		    sizeof(qname)) == -1)
			continue;
		pthread_mutex_lock(&q->mu);
		if (q->name[0] != '\0' && strcmp(q->name, qname) != 0) {
			sodium_memzero(q->key, sizeof(q->key));
			q->name[0] = '\0';
		}
		pthread_mutex_unlock(&q->mu);
	}
	pthread_mutex_unlock(&pseudo_all_mu);
	pseudo_sweep(p, name);
	return sw == -1 ? -1 : 0;
}

int
pseudo_loaded(struct pseudo *p, char *buf, size_t bufsz)
{
	int	 n;

	pthread_mutex_lock(&p->mu);
	n = snprintf(buf, bufsz, "%s", p->name);
	pthread_mutex_unlock(&p->mu);
	return n >= 0 && (size_t)n < bufsz ? 0 : -1;
}

void
pseudo_close(struct pseudo *p)
{
	struct pseudo	**pp;

	if (p == NULL)
		return;
	pthread_mutex_lock(&pseudo_all_mu);
	for (pp = &pseudo_all; *pp != NULL; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	pthread_mutex_unlock(&pseudo_all_mu);
	if (p->locked)
		sodium_munlock(p->key, sizeof(p->key));	/* also zeroes */
	sodium_memzero(p->key, sizeof(p->key));
	pthread_mutex_destroy(&p->mu);
	free(p->dir);
	free(p);
}

int
pseudo_epoch_parse(const char *name, enum pseudo_epoch *out)
{
	if (strcmp(name, "day") == 0)
		*out = PSEUDO_DAY;
	else if (strcmp(name, "week") == 0)
		*out = PSEUDO_WEEK;
	else if (strcmp(name, "month") == 0)
		*out = PSEUDO_MONTH;
	else
		return -1;
	return 0;
}

static int
pseudo_key_cmp(const void *a, const void *b)
{
	const struct pseudo_key *ka = a, *kb = b;

	return strcmp(ka->epoch, kb->epoch);
}

int
pseudo_keys(const char *key_dir, enum pseudo_epoch epoch, time_t now,
    struct pseudo_key *out, size_t max, size_t *n)
{
	char		 cur[PSEUDO_EPOCH_MAX], path[PATH_MAX];
	const char	*suffix;
	struct stat	 sb;
	struct dirent	*de;
	DIR		*d;
	size_t		 len, got = 0;
	int		 w;

	*n = 0;
	if (pseudo_epoch_name(epoch, now, cur, sizeof(cur)) == -1)
		return -1;
	if ((d = opendir(key_dir)) == NULL) {
		if (errno == ENOENT)
			return 0;
		log_warn("cannot read key directory '%s'", key_dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if ((suffix = strstr(de->d_name, PSEUDO_SUFFIX)) == NULL ||
		    suffix == de->d_name ||
		    (size_t)(suffix - de->d_name) + strlen(PSEUDO_SUFFIX) !=
		    len || (size_t)(suffix - de->d_name) >= PSEUDO_EPOCH_MAX)
			continue;
		if (got < max) {
			memset(&out[got], 0, sizeof(out[got]));
			memcpy(out[got].epoch, de->d_name,
			    (size_t)(suffix - de->d_name));
			w = snprintf(path, sizeof(path), "%s/%s", key_dir,
			    de->d_name);
			if (w > 0 && (size_t)w < sizeof(path) &&
			    lstat(path, &sb) == 0) {
				out[got].created = sb.st_mtime;
				out[got].mode = (int)(sb.st_mode & 07777);
			}
			out[got].current = strcmp(out[got].epoch, cur) == 0;
		}
		got++;
	}
	closedir(d);
	qsort(out, got < max ? got : max, sizeof(*out), pseudo_key_cmp);
	*n = got;
	return 0;
}
