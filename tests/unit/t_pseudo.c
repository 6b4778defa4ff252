/*
 * t_pseudo.c - unit tests for pseudo.c: epoch names (ISO weeks across
 * year boundaries, UTC), pseudonym equality rules, key file modes,
 * destruction of old keys at rollover and at open, corrupt key files,
 * and two daemons racing to create the same key.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"
#include "pseudo.h"

#define NUMBER		"+77011234567"
#define T_W48		((time_t)1795694400)	/* 2026-11-26 12:00Z */
#define T_W49		((time_t)1795996800)	/* 2026-11-30 00:00Z */

struct fixture {
	char	 dir[64];
	char	 keys[96];
};

static int
setup(void **state)
{
	struct fixture	*f;

	f = calloc(1, sizeof(*f));
	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/t_pseudo.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->keys, sizeof(f->keys), "%s/keys", f->dir);
	*state = f;
	return 0;
}

/* Remove everything in dir (one level), then dir. */
static void
rm_dir(const char *dir)
{
	char		 path[1024];
	DIR		*d;
	struct dirent	*de;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (unlink(path) == -1)
			rm_dir(path);
	}
	closedir(d);
	rmdir(dir);
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	rm_dir(f->dir);
	free(f);
	return 0;
}

static void
key_path(const struct fixture *f, const char *name, char *buf, size_t sz)
{
	snprintf(buf, sz, "%s/%s", f->keys, name);
}

static int
exists(const struct fixture *f, const char *name)
{
	char	 path[160];

	key_path(f, name, path, sizeof(path));
	return access(path, F_OK) == 0;
}

static void
write_file(const struct fixture *f, const char *name, size_t len)
{
	char		 path[160];
	unsigned char	 buf[64];
	int		 fd;

	assert_true(len <= sizeof(buf));
	memset(buf, 0x5a, sizeof(buf));
	key_path(f, name, path, sizeof(path));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd != -1);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
}

/* Number of entries in the key directory, "." and ".." excluded. */
static int
count_files(const struct fixture *f)
{
	DIR		*d;
	struct dirent	*de;
	int		 n = 0;

	d = opendir(f->keys);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void
current_name(char *buf, size_t sz, const char *suffix)
{
	char	 epoch[32];

	assert_int_equal(pseudo_epoch_name(PSEUDO_WEEK, time(NULL), epoch,
	    sizeof(epoch)), 0);
	snprintf(buf, sz, "%s%s", epoch, suffix);
}

static void
assert_name(enum pseudo_epoch e, time_t t, const char *want)
{
	char	 buf[32];

	assert_int_equal(pseudo_epoch_name(e, t, buf, sizeof(buf)), 0);
	assert_string_equal(buf, want);
}

static void
test_epoch_names(void **state)
{
	(void)state;
	assert_name(PSEUDO_WEEK, T_W48, "2026-W48");
	assert_name(PSEUDO_WEEK, T_W49, "2026-W49");
	/* ISO years: the week belongs to the year of its Thursday. */
	assert_name(PSEUDO_WEEK, 1798761599, "2026-W53");  /* 2026-12-31 */
	assert_name(PSEUDO_WEEK, 1798761600, "2026-W53");  /* 2027-01-01 */
	assert_name(PSEUDO_WEEK, 1735516799, "2024-W52");  /* 2024-12-29 */
	assert_name(PSEUDO_WEEK, 1735516800, "2025-W01");  /* 2024-12-30 */
	assert_name(PSEUDO_WEEK, 1609675200, "2020-W53");  /* 2021-01-03 */
	assert_name(PSEUDO_DAY, T_W48, "2026-11-26");
	assert_name(PSEUDO_DAY, 1798761599, "2026-12-31");
	assert_name(PSEUDO_MONTH, T_W48, "2026-11");
	assert_name(PSEUDO_MONTH, 1798761600, "2027-01");
}

static void
test_epoch_names_utc(void **state)
{
	char	*old = getenv("TZ");
	char	 saved[64] = "";

	(void)state;
	if (old != NULL)
		snprintf(saved, sizeof(saved), "%s", old);
	/* 23:30 UTC Sunday is already Monday morning in Almaty. */
	setenv("TZ", "Asia/Almaty", 1);
	tzset();
	assert_name(PSEUDO_WEEK, T_W49 - 1800, "2026-W48");
	assert_name(PSEUDO_DAY, T_W49 - 1800, "2026-11-29");
	if (old != NULL)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
}

static void
test_epoch_name_small_buffer(void **state)
{
	char	 buf[9];

	(void)state;
	/* "2026-W48" and its NUL: 9 bytes. */
	assert_int_equal(pseudo_epoch_name(PSEUDO_WEEK, T_W48, buf, 8), -1);
	assert_int_equal(pseudo_epoch_name(PSEUDO_WEEK, T_W48, buf, 0), -1);
	assert_int_equal(pseudo_epoch_name(PSEUDO_WEEK, T_W48, buf, 9), 0);
	assert_string_equal(buf, "2026-W48");
}

static void
test_pseudonyms(void **state)
{
	struct fixture	*f = *state;
	struct pseudo	*p;
	unsigned char	 a[PSEUDO_LEN], b[PSEUDO_LEN], c[PSEUDO_LEN];
	unsigned char	 d[PSEUDO_LEN], zero[PSEUDO_LEN] = { 0 };

	p = pseudo_open(f->keys, PSEUDO_WEEK);
	assert_non_null(p);
	assert_int_equal(pseudo_get(p, NUMBER, T_W48, a), 0);
	assert_int_equal(pseudo_get(p, NUMBER, T_W48 + 3600, b), 0);
	assert_memory_equal(a, b, PSEUDO_LEN);
	assert_memory_not_equal(a, zero, PSEUDO_LEN);
	assert_int_equal(pseudo_get(p, "+77011234568", T_W48, c), 0);
	assert_memory_not_equal(a, c, PSEUDO_LEN);
	assert_int_equal(pseudo_get(p, NUMBER, T_W49, d), 0);
	assert_memory_not_equal(a, d, PSEUDO_LEN);
	/* Back in W48 a new key is made: the old link is gone for good. */
	assert_int_equal(pseudo_get(p, NUMBER, T_W48, b), 0);
	assert_memory_not_equal(a, b, PSEUDO_LEN);
	pseudo_close(p);
}

static void
test_bad_numbers(void **state)
{
	struct fixture	*f = *state;
	struct pseudo	*p;
	unsigned char	 a[PSEUDO_LEN];

	p = pseudo_open(f->keys, PSEUDO_WEEK);
	assert_non_null(p);
	assert_int_equal(pseudo_get(p, "", T_W48, a), -1);
	assert_int_equal(pseudo_get(p, NULL, T_W48, a), -1);
	pseudo_close(p);
}

static void
test_rollover_destroys_old_key(void **state)
{
	struct fixture	*f = *state;
	struct pseudo	*p;
	unsigned char	 a[PSEUDO_LEN], buf[64];
	char		 path[160], link_path[160];
	size_t		 i;
	ssize_t		 n;
	int		 fd;

	p = pseudo_open(f->keys, PSEUDO_WEEK);
	assert_non_null(p);
	assert_int_equal(pseudo_get(p, NUMBER, T_W48, a), 0);
	assert_true(exists(f, "2026-W48.key"));
	/* A second name for the inode shows what is left of the bytes. */
	key_path(f, "2026-W48.key", path, sizeof(path));
	snprintf(link_path, sizeof(link_path), "%s/evidence", f->dir);
	assert_int_equal(link(path, link_path), 0);

	assert_int_equal(pseudo_get(p, NUMBER, T_W49, a), 0);
	assert_false(exists(f, "2026-W48.key"));
	assert_true(exists(f, "2026-W49.key"));
	assert_int_equal(count_files(f), 1);

	fd = open(link_path, O_RDONLY);
	assert_true(fd != -1);
	n = read(fd, buf, sizeof(buf));
	close(fd);
	assert_int_equal(n, 32);
	for (i = 0; i < (size_t)n; i++)
		assert_int_equal(buf[i], 0);
	pseudo_close(p);
}

static void
test_day_and_month_rollover(void **state)
{
	struct fixture	*f = *state;
	struct pseudo	*p;
	unsigned char	 a[PSEUDO_LEN];

	p = pseudo_open(f->keys, PSEUDO_DAY);
	assert_non_null(p);
	assert_int_equal(pseudo_get(p, NUMBER, T_W48, a), 0);
	assert_true(exists(f, "2026-11-26.key"));
	assert_int_equal(pseudo_get(p, NUMBER, T_W48 + 86400, a), 0);
	assert_false(exists(f, "2026-11-26.key"));
	assert_true(exists(f, "2026-11-27.key"));
	pseudo_close(p);

	p = pseudo_open(f->keys, PSEUDO_MONTH);
	assert_non_null(p);
	assert_int_equal(pseudo_get(p, NUMBER, T_W48, a), 0);
	assert_true(exists(f, "2026-11.key"));
	assert_false(exists(f, "2026-11-27.key"));
	assert_int_equal(count_files(f), 1);
	pseudo_close(p);
}

static void
test_modes(void **state)
{
	struct fixture	*f = *state;
	struct pseudo	*p;
	struct stat	 sb;
	unsigned char	 a[PSEUDO_LEN];
	char		 path[160];
	mode_t		 old;

	/* With no umask to help, the modes come from the code. */
	old = umask(0);
	p = pseudo_open(f->keys, PSEUDO_WEEK);
	assert_non_null(p);
	assert_int_equal(pseudo_get(p, NUMBER, T_W48, a), 0);
	umask(old);

	assert_int_equal(stat(f->keys, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));
	assert_int_equal(sb.st_mode & 07777, 0700);
	key_path(f, "2026-W48.key", path, sizeof(path));
	assert_int_equal(stat(path, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_int_equal(sb.st_mode & 07777, 0600);
	assert_int_equal(sb.st_size, 32);
	pseudo_close(p);
}

static void
test_key_persists(void **state)
{
	struct fixture	*f = *state;
	struct pseudo	*p;
	unsigned char	 a[PSEUDO_LEN], b[PSEUDO_LEN];
	time_t		 now = time(NULL);

	/* The current epoch's key survives a restart (and open's sweep). */
	p = pseudo_open(f->keys, PSEUDO_WEEK);
	assert_non_null(p);
	assert_int_equal(pseudo_get(p, NUMBER, now, a), 0);
	pseudo_close(p);
	p = pseudo_open(f->keys, PSEUDO_WEEK);
	assert_non_null(p);
	assert_int_equal(pseudo_get(p, NUMBER, now, b), 0);
	assert_memory_equal(a, b, PSEUDO_LEN);
	pseudo_close(p);
}

static void
test_open_sweeps_old_keys(void **state)
{
	struct fixture	*f = *state;
	struct pseudo	*p;
	char		 cur[64], curtmp[64];

	assert_int_equal(mkdir(f->keys, 0700), 0);
	current_name(cur, sizeof(cur), ".key");
	current_name(curtmp, sizeof(curtmp), ".key.Ab12Cd");
	write_file(f, "2000-W01.key", 32);
	write_file(f, "2000-W02.key.x1Y2z3", 32);	/* crashed create */
	write_file(f, cur, 32);
	write_file(f, curtmp, 32);	/* another daemon creating it */
	write_file(f, "README", 5);
	write_file(f, "keyring", 5);
	p = pseudo_open(f->keys, PSEUDO_WEEK);
	assert_non_null(p);
	assert_false(exists(f, "2000-W01.key"));
	assert_false(exists(f, "2000-W02.key.x1Y2z3"));
	assert_true(exists(f, cur));
	assert_true(exists(f, curtmp));
	assert_true(exists(f, "README"));
	assert_true(exists(f, "keyring"));
	pseudo_close(p);
}

static void
test_corrupt_key(void **state)
{
	struct fixture	*f = *state;
	struct pseudo	*p;
	unsigned char	 a[PSEUDO_LEN];
	char		 cur[64];
	time_t		 now = time(NULL);

	assert_int_equal(mkdir(f->keys, 0700), 0);
	current_name(cur, sizeof(cur), ".key");
	write_file(f, cur, 10);
	p = pseudo_open(f->keys, PSEUDO_WEEK);
	assert_non_null(p);
	assert_int_equal(pseudo_get(p, NUMBER, now, a), -1);
	/* Left for the operator to look at, and still refused. */
	assert_true(exists(f, cur));
	assert_int_equal(pseudo_get(p, NUMBER, now + 60, a), -1);
	write_file(f, cur, 33);
	assert_int_equal(pseudo_get(p, NUMBER, now + 120, a), -1);
	write_file(f, cur, 0);
	assert_int_equal(pseudo_get(p, NUMBER, now + 180, a), -1);
	/* Once it is whole, all is well again: a minute after a failure. */
	write_file(f, cur, 32);
	assert_int_equal(pseudo_get(p, NUMBER, now + 200, a), -1);
	assert_int_equal(pseudo_get(p, NUMBER, now + 240, a), 0);
	pseudo_close(p);
}

static void
test_bad_dir(void **state)
{
	struct fixture	*f = *state;
	char		 path[160];
	int		 fd;

	snprintf(path, sizeof(path), "%s/file", f->dir);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	assert_true(fd != -1);
	close(fd);
	assert_null(pseudo_open(path, PSEUDO_WEEK));
	snprintf(path, sizeof(path), "%s/no/such/dir", f->dir);
	assert_null(pseudo_open(path, PSEUDO_WEEK));
}

#define RACERS	8

static void
test_create_race(void **state)
{
	struct fixture	*f = *state;
	struct pseudo	*p;
	unsigned char	 got[RACERS][PSEUDO_LEN];
	pid_t		 pid[RACERS];
	time_t		 now = time(NULL);
	int		 fds[RACERS][2], i, status;

	/* Daemons share one clock, so they race on the real epoch. */
	for (i = 0; i < RACERS; i++) {
		assert_int_equal(pipe(fds[i]), 0);
		pid[i] = fork();
		assert_true(pid[i] != -1);
		if (pid[i] == 0) {
			unsigned char	 out[PSEUDO_LEN];

			close(fds[i][0]);
			if ((p = pseudo_open(f->keys, PSEUDO_WEEK)) == NULL ||
			    pseudo_get(p, NUMBER, now, out) == -1)
				_exit(1);
			if (write(fds[i][1], out, sizeof(out)) !=
			    (ssize_t)sizeof(out))
				_exit(2);
			pseudo_close(p);
			_exit(0);
		}
		close(fds[i][1]);
	}
	for (i = 0; i < RACERS; i++) {
		assert_int_equal(read(fds[i][0], got[i], PSEUDO_LEN),
		    PSEUDO_LEN);
		close(fds[i][0]);
		assert_int_equal(waitpid(pid[i], &status, 0), pid[i]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
		assert_memory_equal(got[0], got[i], PSEUDO_LEN);
	}
	/* One key, no temporary files left behind. */
	assert_int_equal(count_files(f), 1);
}

static void
test_wipe(void **state)
{
	unsigned char	 buf[40], zero[40] = { 0 };

	(void)state;
	memset(buf, 0xff, sizeof(buf));
	pseudo_wipe(buf, sizeof(buf));
	assert_memory_equal(buf, zero, sizeof(buf));
	pseudo_close(NULL);
}

/*
 * "habar keys": epochs and ages, the current one marked, nothing of the
 * bytes; a day later the old key is gone from the listing and the disk,
 * and the same number has another pseudonym.
 */
static void
test_keys_listing(void **state)
{
	struct fixture		*f = *state;
	struct pseudo		*p;
	struct pseudo_key	 k[4];
	unsigned char		 a[PSEUDO_LEN], b[PSEUDO_LEN];
	enum pseudo_epoch	 e;
	size_t			 n;

	assert_int_equal(pseudo_keys(f->keys, PSEUDO_DAY, T_W48, k, 4, &n),
	    0);
	assert_int_equal(n, 0);		/* no folder yet: no keys */
	p = pseudo_open(f->keys, PSEUDO_DAY);
	assert_non_null(p);
	assert_int_equal(pseudo_get(p, NUMBER, T_W48, a), 0);
	assert_int_equal(pseudo_keys(f->keys, PSEUDO_DAY, T_W48, k, 4, &n),
	    0);
	assert_int_equal(n, 1);
	assert_string_equal(k[0].epoch, "2026-11-26");
	assert_true(k[0].current);
	assert_int_equal(k[0].mode, 0600);
	assert_true(k[0].created > 0);

	assert_int_equal(pseudo_get(p, NUMBER, T_W48 + 86400, b), 0);
	assert_memory_not_equal(a, b, PSEUDO_LEN);
	assert_false(exists(f, "2026-11-26.key"));
	assert_int_equal(pseudo_keys(f->keys, PSEUDO_DAY, T_W48 + 86400, k,
	    4, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(k[0].epoch, "2026-11-27");
	assert_true(k[0].current);
	/* Seen from the day after, it is a past key. */
	assert_int_equal(pseudo_keys(f->keys, PSEUDO_DAY, T_W48 + 2 * 86400,
	    k, 4, &n), 0);
	assert_false(k[0].current);
	pseudo_close(p);

	assert_int_equal(pseudo_epoch_parse("day", &e), 0);
	assert_int_equal(e, PSEUDO_DAY);
	assert_int_equal(pseudo_epoch_parse("month", &e), 0);
	assert_int_equal(e, PSEUDO_MONTH);
	assert_int_equal(pseudo_epoch_parse("week", &e), 0);
	assert_int_equal(e, PSEUDO_WEEK);
	assert_int_equal(pseudo_epoch_parse("year", &e), -1);
}

/*
 * At the epoch boundary, with no message: the thread that ticks (the
 * main loop) destroys the old key file and wipes the copy another
 * thread's context (the HTTP channel's) holds, which then loads the new
 * key at its next request.
 */
static void
test_ready_at_boundary(void **state)
{
	struct fixture	*f = *state;
	struct pseudo	*main_p, *http_p;
	unsigned char	 a[PSEUDO_LEN], b[PSEUDO_LEN], c[PSEUDO_LEN];
	char		 name[32];

	assert_non_null(main_p = pseudo_open(f->keys, PSEUDO_WEEK));
	assert_non_null(http_p = pseudo_open(f->keys, PSEUDO_WEEK));
	/* Made before any message. */
	assert_int_equal(pseudo_ready(main_p, T_W48), 0);
	assert_true(exists(f, "2026-W48.key"));
	assert_int_equal(pseudo_loaded(main_p, name, sizeof(name)), 0);
	assert_string_equal(name, "2026-W48");
	assert_int_equal(pseudo_get(http_p, NUMBER, T_W48, a), 0);
	assert_int_equal(pseudo_loaded(http_p, name, sizeof(name)), 0);
	assert_string_equal(name, "2026-W48");
	/* Still the same week: nothing changes. */
	assert_int_equal(pseudo_ready(main_p, T_W48 + 3600), 0);
	assert_true(exists(f, "2026-W48.key"));

	assert_int_equal(pseudo_ready(main_p, T_W49), 0);
	assert_false(exists(f, "2026-W48.key"));
	assert_true(exists(f, "2026-W49.key"));
	assert_int_equal(pseudo_loaded(http_p, name, sizeof(name)), 0);
	assert_string_equal(name, "");	/* the old key wiped */
	assert_int_equal(pseudo_loaded(main_p, name, sizeof(name)), 0);
	assert_string_equal(name, "2026-W49");
	assert_int_equal(pseudo_get(http_p, NUMBER, T_W49, b), 0);
	assert_int_equal(pseudo_get(main_p, NUMBER, T_W49, c), 0);
	assert_memory_equal(b, c, PSEUDO_LEN);
	assert_memory_not_equal(a, b, PSEUDO_LEN);
	pseudo_close(http_p);
	pseudo_close(main_p);
}

/* No key can be made: pseudo_ready says so. */
static void
test_ready_no_key(void **state)
{
	struct fixture	*f = *state;
	struct pseudo	*p;
	char		 path[160];

	assert_non_null(p = pseudo_open(f->keys, PSEUDO_WEEK));
	/* A folder in the key's place: it cannot be read or made. */
	key_path(f, "2026-W48.key", path, sizeof(path));
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(pseudo_ready(p, T_W48), -1);
	assert_int_equal(pseudo_ready(p, T_W48), -1);
	pseudo_close(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_epoch_names),
		cmocka_unit_test_setup_teardown(test_ready_at_boundary, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ready_no_key, setup,
		    teardown),
		cmocka_unit_test(test_epoch_names_utc),
		cmocka_unit_test(test_epoch_name_small_buffer),
		cmocka_unit_test_setup_teardown(test_pseudonyms,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_numbers,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollover_destroys_old_key,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_day_and_month_rollover,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_modes,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_persists,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_sweeps_old_keys,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_key,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_dir,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_race,
		    setup, teardown),
		cmocka_unit_test(test_wipe),
		cmocka_unit_test_setup_teardown(test_keys_listing, setup,
		    teardown),
	};

	log_init(1, LOG_LEVEL_WARN, "t_pseudo");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
