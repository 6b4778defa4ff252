/*
 * t_modem.c - modem.c against the real libGammu dummy driver in a
 * temporary folder: inject, poll, reassemble, delete, send, read back
 * the sent folder, hostile input, and reconnecting.  No mocks, no fixed
 * sleeps: whatever takes time is polled for with a deadline.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
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
#include "modem.h"
#include "simphone.h"

#define DEADLINE_MS	8000

struct fix {
	char		 dir[256];
	struct modem	*m;
};

static int64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
nap(void)
{
	struct timespec	 ts = { 0, 50 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

/* rm -r path; fine for the small trees the tests make. */
static void
rm_tree(const char *path)
{
	DIR		*d;
	struct dirent	*de;
	char		 sub[PATH_MAX];

	if ((d = opendir(path)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
			rm_tree(sub);
		}
		closedir(d);
		rmdir(path);
	} else
		unlink(path);
}

static struct modem *
open_dir(const char *dir, int timeout)
{
	struct modem_conf conf;

	memset(&conf, 0, sizeof(conf));
	conf.device = dir;
	conf.connection = "none";
	conf.model = "dummy";
	conf.multipart_timeout = timeout;
	return modem_open(&conf);
}

static int
setup(void **state)
{
	struct fix	*f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/t_modem.XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	if ((f->m = open_dir(f->dir, 1)) == NULL) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fix	*f = *state;

	modem_close(f->m);
	rm_tree(f->dir);
	free(f);
	return 0;
}

/* Poll until at least want messages come back or the deadline passes. */
static size_t
poll_for(struct modem *m, struct multipart_msg **msgs, size_t want)
{
	int64_t		 end = now_ms() + DEADLINE_MS;
	size_t		 n;

	for (;;) {
		assert_int_equal(modem_poll(m, msgs, &n), 0);
		if (n >= want || now_ms() > end)
			return n;
		multipart_msgs_free(*msgs, n);
		nap();
	}
}

static size_t
count_files(const char *dir, int folder)
{
	char		 path[PATH_MAX];
	struct stat	 sb;
	size_t		 n = 0;
	int		 i;

	for (i = 1; i < 200; i++) {
		snprintf(path, sizeof(path), "%s/sms/%d/%d", dir, folder, i);
		if (stat(path, &sb) == 0)
			n++;
	}
	return n;
}

static void
write_file(const char *path, const char *text)
{
	FILE	*fp;

	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

/* Put a hand-written smsbackup file into the inbox. */
static void
inject_raw(const char *dir, const char *text)
{
	char	 path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/raw.txt", dir);
	write_file(path, text);
	assert_int_equal(simphone_inject_file(dir, path), 0);
	unlink(path);
}

static void
move(const char *dir, int from, int to)
{
	char	 a[PATH_MAX], b[PATH_MAX];

	snprintf(a, sizeof(a), "%s/sms/1/%d", dir, from);
	snprintf(b, sizeof(b), "%s/sms/1/%d", dir, to);
	assert_int_equal(rename(a, b), 0);
}

static void
t_single(void **state)
{
	struct fix	*f = *state;
	struct multipart_msg *msgs;
	char		*parts[] = {
		"Сәлем! Қалайсыз? Жедел желі — ӘҒҚҢӨҰҮҺІ. Привет, как дела?"
	};
	time_t		 now = time(NULL);
	size_t		 n;

	assert_int_equal(simphone_inject(f->dir, "+77011234567", parts, 1,
	    0), 0);
	n = poll_for(f->m, &msgs, 1);
	assert_int_equal(n, 1);
	assert_string_equal(msgs[0].text, parts[0]);
	assert_string_equal(msgs[0].sender, "+77011234567");
	assert_false(msgs[0].incomplete);
	assert_int_equal(msgs[0].nlocs, 1);
	assert_true(msgs[0].sent_at >= now - 5 && msgs[0].sent_at <= now + 5);
	assert_int_equal(count_files(f->dir, 1), 1);

	assert_int_equal(modem_delete(f->m, &msgs[0]), 0);
	assert_int_equal(count_files(f->dir, 1), 0);
	multipart_msgs_free(msgs, n);
	assert_int_equal(modem_poll(f->m, &msgs, &n), 0);
	assert_int_equal(n, 0);
	multipart_msgs_free(msgs, n);
}

static void
t_multipart_order(void **state)
{
	struct fix	*f = *state;
	struct multipart_msg *msgs;
	char		*parts[] = { "Бірінші бөлім, ", "второй кусок, ",
			    "and the third." };
	char		*other[] = { "Другое сообщение" };
	size_t		 n;

	assert_int_equal(simphone_inject(f->dir, "+77015550000", parts, 3,
	    42), 0);
	/* Files 1 2 3 hold parts 1 2 3: make it 3 1 2. */
	move(f->dir, 3, 9);
	move(f->dir, 2, 3);
	move(f->dir, 1, 2);
	move(f->dir, 9, 1);
	assert_int_equal(simphone_inject(f->dir, "+77015550001", other, 1,
	    0), 0);
	n = poll_for(f->m, &msgs, 2);
	assert_int_equal(n, 2);
	/* Same second: oldest file first, and the multipart starts at 1. */
	assert_string_equal(msgs[0].text,
	    "Бірінші бөлім, второй кусок, and the third.");
	assert_string_equal(msgs[0].sender, "+77015550000");
	assert_false(msgs[0].incomplete);
	assert_int_equal(msgs[0].nlocs, 3);
	assert_string_equal(msgs[1].text, "Другое сообщение");

	assert_int_equal(modem_delete(f->m, &msgs[0]), 0);
	assert_int_equal(count_files(f->dir, 1), 1);
	assert_int_equal(modem_delete(f->m, &msgs[1]), 0);
	assert_int_equal(count_files(f->dir, 1), 0);
	multipart_msgs_free(msgs, n);
}

/* Several parts in one file, as a phone driver may return them. */
static void
t_multipart_one_file(void **state)
{
	struct fix	*f = *state;
	struct multipart_msg *msgs;
	size_t		 n;

	inject_raw(f->dir,
	    "[SMSBackup000]\nPDU = Deliver\nState = Read\n"
	    "Number = \"+77010000002\"\nUDH = 050003070202\n"
	    "Text00 = 0432043E0440043B0434\n"
	    "Coding = Unicode_No_Compression\n\n"
	    "[SMSBackup001]\nPDU = Deliver\nState = Read\n"
	    "Number = \"+77010000002\"\nUDH = 050003070201\n"
	    "Text00 = 043F04400438043204350442002C0020\n"
	    "Coding = Unicode_No_Compression\n");
	n = poll_for(f->m, &msgs, 1);
	assert_int_equal(n, 1);
	assert_string_equal(msgs[0].text, "привет, ворлд");
	assert_false(msgs[0].incomplete);
	assert_int_equal(msgs[0].nlocs, 1);
	assert_int_equal(modem_delete(f->m, &msgs[0]), 0);
	assert_int_equal(count_files(f->dir, 1), 0);
	multipart_msgs_free(msgs, n);
}

static void
t_incomplete(void **state)
{
	struct fix	*f = *state;
	struct multipart_msg *msgs;
	char		*parts[] = { "one ", "two ", "three" };
	char		 path[PATH_MAX];
	int64_t		 start;
	size_t		 n;

	assert_int_equal(simphone_inject(f->dir, "+77017770000", parts, 3,
	    200), 0);
	snprintf(path, sizeof(path), "%s/sms/1/2", f->dir);
	assert_int_equal(unlink(path), 0);

	start = now_ms();
	assert_int_equal(modem_poll(f->m, &msgs, &n), 0);
	assert_int_equal(n, 0);		/* held back */
	multipart_msgs_free(msgs, n);

	n = poll_for(f->m, &msgs, 1);
	assert_int_equal(n, 1);
	assert_true(now_ms() - start >= 900);
	assert_true(msgs[0].incomplete);
	assert_string_equal(msgs[0].text, "one three");
	assert_string_equal(msgs[0].sender, "+77017770000");
	assert_int_equal(msgs[0].nlocs, 2);
	assert_int_equal(modem_delete(f->m, &msgs[0]), 0);
	assert_int_equal(count_files(f->dir, 1), 0);
	multipart_msgs_free(msgs, n);
}

/* The missing part arrives before the timeout: one whole message. */
static void
t_late_part(void **state)
{
	struct fix	*f = *state;
	struct multipart_msg *msgs;
	char		*parts[] = { "left ", "right" };
	char		 a[PATH_MAX], b[PATH_MAX];
	size_t		 n;

	modem_close(f->m);
	assert_non_null(f->m = open_dir(f->dir, 600));
	assert_int_equal(simphone_inject(f->dir, "+77017770001", parts, 2,
	    9), 0);
	snprintf(a, sizeof(a), "%s/sms/1/2", f->dir);
	snprintf(b, sizeof(b), "%s/held", f->dir);
	assert_int_equal(rename(a, b), 0);
	assert_int_equal(modem_poll(f->m, &msgs, &n), 0);
	assert_int_equal(n, 0);
	multipart_msgs_free(msgs, n);
	assert_int_equal(rename(b, a), 0);
	assert_int_equal(modem_poll(f->m, &msgs, &n), 0);
	assert_int_equal(n, 1);
	assert_false(msgs[0].incomplete);
	assert_string_equal(msgs[0].text, "left right");
	multipart_msgs_free(msgs, n);
}

/* Delete every message of msgs[0..n) from the phone. */
static void
delete_all(struct modem *m, struct multipart_msg *msgs, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		assert_int_equal(modem_delete(m, &msgs[i]), 0);
}

/*
 * More entries than one poll takes (64): the first poll says more are
 * waiting, and a two-part message cut by the limit is held back, then
 * read whole by the next poll.
 */
static void
t_batch(void **state)
{
	struct fix	*f = *state;
	struct multipart_msg *msgs;
	char		 num[32], text[32];
	char		*one[] = { text };
	char		*two[] = { "first half, ", "second half" };
	size_t		 n, i;

	for (i = 0; i < 63; i++) {
		snprintf(num, sizeof(num), "+7701%07zu", i);
		snprintf(text, sizeof(text), "message %zu", i);
		assert_int_equal(simphone_inject(f->dir, num, one, 1, 0), 0);
	}
	assert_int_equal(simphone_inject(f->dir, "+77019999999", two, 2, 77),
	    0);
	for (i = 0; i < 3; i++) {
		snprintf(num, sizeof(num), "+7702%07zu", i);
		snprintf(text, sizeof(text), "late %zu", i);
		assert_int_equal(simphone_inject(f->dir, num, one, 1, 0), 0);
	}
	assert_false(modem_more(f->m));
	assert_int_equal(modem_poll(f->m, &msgs, &n), 0);
	assert_int_equal(n, 63);
	assert_true(modem_more(f->m));
	for (i = 0; i < n; i++)
		assert_null(strstr(msgs[i].text, "half"));
	delete_all(f->m, msgs, n);
	multipart_msgs_free(msgs, n);

	assert_int_equal(modem_poll(f->m, &msgs, &n), 0);
	assert_int_equal(n, 4);
	assert_false(modem_more(f->m));
	for (i = 0; i < n; i++)
		if (strcmp(msgs[i].sender, "+77019999999") == 0)
			break;
	assert_true(i < n);
	assert_string_equal(msgs[i].text, "first half, second half");
	assert_false(msgs[i].incomplete);
	assert_int_equal(msgs[i].nlocs, 2);
	delete_all(f->m, msgs, n);
	multipart_msgs_free(msgs, n);
	assert_int_equal(count_files(f->dir, 1), 0);
}

/*
 * A phone whose first entries are all parts held back for missing ones
 * (a full poll's worth) still shows what comes after them, from the next
 * poll on, rather than after multipart_timeout.
 */
static void
t_held_front(void **state)
{
	struct fix	*f = *state;
	struct modem	*m;
	struct multipart_msg *msgs;
	char		 num[32], path[PATH_MAX];
	char		*two[] = { "first half, ", "second half" };
	char		*one[] = { "whole" };
	size_t		 n, i;

	for (i = 0; i < 64; i++) {
		snprintf(num, sizeof(num), "+7701%07zu", i);
		assert_int_equal(simphone_inject(f->dir, num, two, 2,
		    (int)i + 1), 0);
	}
	for (i = 0; i < 3; i++) {
		snprintf(num, sizeof(num), "+7702%07zu", i);
		assert_int_equal(simphone_inject(f->dir, num, one, 1, 0), 0);
	}
	/* the second halves never come: entries 1, 3, ... 127 wait */
	for (i = 2; i <= 128; i += 2) {
		snprintf(path, sizeof(path), "%s/sms/1/%zu", f->dir, i);
		assert_int_equal(unlink(path), 0);
	}
	assert_non_null(m = open_dir(f->dir, 600));
	assert_int_equal(modem_poll(m, &msgs, &n), 0);
	assert_int_equal(n, 0);		/* 64 parts read, all held back */
	multipart_msgs_free(msgs, n);
	assert_int_equal(modem_poll(m, &msgs, &n), 0);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++)
		assert_string_equal(msgs[i].text, "whole");
	delete_all(m, msgs, n);
	multipart_msgs_free(msgs, n);
	assert_int_equal(count_files(f->dir, 1), 64);
	modem_close(m);
}

/*
 * More incomplete messages than the first table held (64): each keeps
 * the time it was first seen, so all 80 time out, come back incomplete
 * and leave the phone; before, evicting one restarted its clock and
 * none ever timed out.
 */
static void
t_many_incomplete(void **state)
{
	struct fix	*f = *state;
	struct multipart_msg *msgs;
	char		 num[32], path[PATH_MAX];
	char		*two[] = { "first half, ", "second half" };
	size_t		 n, i;

	for (i = 0; i < 80; i++) {
		snprintf(num, sizeof(num), "+7701%07zu", i);
		assert_int_equal(simphone_inject(f->dir, num, two, 2,
		    (int)i + 1), 0);
	}
	for (i = 2; i <= 160; i += 2) {
		snprintf(path, sizeof(path), "%s/sms/1/%zu", f->dir, i);
		assert_int_equal(unlink(path), 0);
	}
	n = poll_for(f->m, &msgs, 80);
	assert_int_equal(n, 80);
	for (i = 0; i < n; i++) {
		assert_true(msgs[i].incomplete);
		assert_string_equal(msgs[i].text, "first half, ");
	}
	delete_all(f->m, msgs, n);
	multipart_msgs_free(msgs, n);
	assert_int_equal(count_files(f->dir, 1), 0);
}

/* A part stored twice: one message, its text once, every copy deleted. */
static void
t_duplicate_part(void **state)
{
	struct fix	*f = *state;
	struct multipart_msg *msgs;
	size_t		 n;

	inject_raw(f->dir,
	    "[SMSBackup000]\nPDU = Deliver\nState = UnRead\n"
	    "Number = \"+77010000011\"\nUDH = 050003050201\n"
	    "Text00 = 00610062\nCoding = Unicode_No_Compression\n");
	inject_raw(f->dir,
	    "[SMSBackup000]\nPDU = Deliver\nState = UnRead\n"
	    "Number = \"+77010000011\"\nUDH = 050003050202\n"
	    "Text00 = 00630064\nCoding = Unicode_No_Compression\n");
	inject_raw(f->dir,
	    "[SMSBackup000]\nPDU = Deliver\nState = UnRead\n"
	    "Number = \"+77010000011\"\nUDH = 050003050201\n"
	    "Text00 = 00610062\nCoding = Unicode_No_Compression\n");
	n = poll_for(f->m, &msgs, 1);
	assert_int_equal(n, 1);
	assert_string_equal(msgs[0].text, "abcd");
	assert_false(msgs[0].incomplete);
	assert_int_equal(msgs[0].nlocs, 3);
	delete_all(f->m, msgs, n);
	multipart_msgs_free(msgs, n);
	assert_int_equal(count_files(f->dir, 1), 0);
}

static void
t_send_ucs2(void **state)
{
	struct fix	*f = *state;
	struct simphone_sent *sent;
	struct multipart_msg *msgs;
	char		*parts[] = {
		"Сенім телефоны: 150. Бұл бірінші бөлім, ",
		"а это вторая часть 😀."
	};
	size_t		 n;

	assert_int_equal(modem_send(f->m, "+77011234567", true, parts, 2), 0);
	assert_int_equal(modem_lasterr(f->m), MODEM_OK);
	assert_int_equal(simphone_sent(f->dir, &sent, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(sent[0].recipient, "+77011234567");
	assert_string_equal(sent[0].text,
	    "Сенім телефоны: 150. Бұл бірінші бөлім, а это вторая часть 😀.");
	assert_int_equal(sent[0].nparts, 2);
	assert_true(sent[0].ucs2);
	assert_string_equal(sent[0].file, "1");
	/* Both parts in one smsbackup file: one create per reply. */
	assert_int_equal(count_files(f->dir, 4), 1);
	simphone_sent_free(sent, n);

	/* Sent items are not inbound messages. */
	assert_int_equal(modem_poll(f->m, &msgs, &n), 0);
	assert_int_equal(n, 0);
	multipart_msgs_free(msgs, n);
}

static void
t_send_gsm7(void **state)
{
	struct fix	*f = *state;
	struct simphone_sent *sent;
	char		*one[] = { "Hotline: 150 (free). Call 112!" };
	char		*two[] = { "First part, ", "second part." };
	char		*many[3] = { "a", "b", "c" };
	size_t		 n;

	assert_int_equal(modem_send(f->m, "+77012223344", false, one, 1), 0);
	assert_int_equal(modem_send(f->m, "+79161234567", false, two, 2), 0);
	assert_int_equal(modem_send(f->m, "+77012223344", true, many, 3), 0);
	assert_int_equal(simphone_sent(f->dir, &sent, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(sent[0].recipient, "+77012223344");
	assert_string_equal(sent[0].text, one[0]);
	assert_int_equal(sent[0].nparts, 1);
	assert_false(sent[0].ucs2);
	assert_string_equal(sent[1].recipient, "+79161234567");
	assert_string_equal(sent[1].text, "First part, second part.");
	assert_int_equal(sent[1].nparts, 2);
	assert_false(sent[1].ucs2);
	assert_string_equal(sent[2].text, "abc");
	assert_int_equal(sent[2].nparts, 3);
	assert_true(sent[2].ucs2);
	simphone_sent_free(sent, n);
}

/*
 * USSD without blocking: dial, then look for the answer (the dummy
 * phone answers "Reply for CODE" at once); nothing awaited after it,
 * after a cancel, or before any dial.
 */
static void
t_ussd(void **state)
{
	struct fix	*f = *state;
	char		 reply[64], small[8];
	int		 rv, i;

	assert_int_equal(modem_ussd_poll(f->m, reply, sizeof(reply)), -1);
	assert_int_equal(modem_ussd_start(f->m, "*100#"), 0);
	for (i = 0; (rv = modem_ussd_poll(f->m, reply, sizeof(reply))) == 0 &&
	    i < 100; i++)
		;
	assert_int_equal(rv, 1);
	assert_non_null(strstr(reply, "*100#"));
	assert_int_equal(modem_ussd_poll(f->m, reply, sizeof(reply)), -1);
	/* cut short at a character boundary */
	assert_int_equal(modem_ussd_start(f->m, "*102#"), 0);
	while ((rv = modem_ussd_poll(f->m, small, sizeof(small))) == 0)
		;
	assert_int_equal(rv, 1);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	/* a cancelled wait, and a second dial replacing the first */
	assert_int_equal(modem_ussd_start(f->m, "*100#"), 0);
	modem_ussd_cancel(f->m);
	assert_int_equal(modem_ussd_poll(f->m, reply, sizeof(reply)), -1);
	assert_int_equal(modem_ussd_start(f->m, "*100#"), 0);
	assert_int_equal(modem_ussd_start(f->m, "*101#"), 0);
	while ((rv = modem_ussd_poll(f->m, reply, sizeof(reply))) == 0)
		;
	assert_int_equal(rv, 1);
	assert_non_null(strstr(reply, "*101#"));
	/* a code too long for the modem's record */
	assert_int_equal(modem_ussd_start(f->m,
	    "*1234567890123456789012345678901234567890#"), -1);
}

static void
t_send_too_long(void **state)
{
	struct fix	*f = *state;
	char		 buf[200];
	char		*parts[] = { buf };
	char		*two[] = { "ok", buf };

	memset(buf, 'x', 161);
	buf[161] = '\0';
	assert_int_equal(modem_send(f->m, "+77011234567", false, parts, 1),
	    -1);
	assert_int_equal(modem_lasterr(f->m), MODEM_EOTHER);
	buf[71] = '\0';
	assert_int_equal(modem_send(f->m, "+77011234567", true, parts, 1),
	    -1);
	/* A reply whose last part is too long: no part goes out. */
	buf[68] = '\0';
	assert_int_equal(modem_send(f->m, "+77011234567", true, two, 2), -1);
	assert_int_equal(modem_lasterr(f->m), MODEM_EOTHER);
	assert_int_equal(count_files(f->dir, 4), 0);
}

static void
t_binary(void **state)
{
	struct fix	*f = *state;
	struct multipart_msg *msgs;
	size_t		 n;

	inject_raw(f->dir,
	    "[SMSBackup000]\nPDU = Deliver\nState = UnRead\n"
	    "Number = \"+77010000001\"\n"
	    "Text00 = 00FF01FEC0AFEDA0800A0D1B7F\n"
	    "Coding = 8bit\nLength = 13\n");
	n = poll_for(f->m, &msgs, 1);
	assert_int_equal(n, 1);
	assert_string_equal(msgs[0].text, "");
	assert_string_equal(msgs[0].sender, "+77010000001");
	assert_int_equal(modem_delete(f->m, &msgs[0]), 0);
	multipart_msgs_free(msgs, n);
}

static void
t_surrogates(void **state)
{
	struct fix	*f = *state;
	struct multipart_msg *msgs;
	size_t		 n;

	/* A, lone high, B, lone low, a good pair, lone high at the end. */
	inject_raw(f->dir,
	    "[SMSBackup000]\nPDU = Deliver\nState = UnRead\n"
	    "Number = \"+77010000003\"\n"
	    "Text00 = 0041D8000042DC00D83DDE00D800\n"
	    "Coding = Unicode_No_Compression\n");
	n = poll_for(f->m, &msgs, 1);
	assert_int_equal(n, 1);
	assert_string_equal(msgs[0].text,
	    "A\xef\xbf\xbd" "B\xef\xbf\xbd" "\xf0\x9f\x98\x80\xef\xbf\xbd");
	multipart_msgs_free(msgs, n);
}

/* Garbage, odd headers, absurd part numbers: no crash, valid UTF-8. */
static void
t_hostile(void **state)
{
	struct fix	*f = *state;
	struct multipart_msg *msgs;
	size_t		 n, i;

	inject_raw(f->dir, "\x01\x02 this is not an ini file ]]][[\n=\n");
	inject_raw(f->dir,
	    "[SMSBackup000]\nPDU = Deliver\nState = UnRead\n"
	    "Number = \"+77010000004\"\nUDH = 050003FF0009\n"
	    "Text00 = 0041\nCoding = Unicode_No_Compression\n");
	inject_raw(f->dir,
	    "[SMSBackup000]\nPDU = Deliver\nState = UnRead\n"
	    "Number = \"+77010000005\"\nUDH = 0B0003\n"
	    "Text00 = 00420043\nCoding = Default_No_Compression\n");
	inject_raw(f->dir,
	    "[SMSBackup000]\nPDU = Status_Report\nState = UnRead\n"
	    "Number = \"+77010000006\"\nText00 = 0044\n");
	inject_raw(f->dir,
	    "[SMSBackup000]\nPDU = Deliver\nState = UnRead\n"
	    "Number = \"+770100000070000000000000000000000000000000000\"\n"
	    "Text00 = 0045\nCoding = Unicode_Compression\n");
	/* Part 0 of 0: GSM_LinkSMS would loop forever. */
	inject_raw(f->dir,
	    "[SMSBackup000]\nPDU = Deliver\nState = UnRead\n"
	    "Number = \"+77010000008\"\nUDH = 050003FF0000\n"
	    "Text00 = 005A\nCoding = Unicode_No_Compression\n");
	/* A Siemens OTA header claiming 65535 bytes: a stack overflow. */
	inject_raw(f->dir,
	    "[SMSBackup000]\nPDU = Deliver\nState = UnRead\n"
	    "Number = \"+77010000009\"\nClass = 1\nCoding = 8bit\n"
	    "Text00 = 2F2F53454F01FFFF0102030401000100FFFF000000000000\n");
	n = poll_for(f->m, &msgs, 5);
	assert_int_equal(n, 5);
	for (i = 0; i < n; i++) {
		assert_non_null(msgs[i].text);
		assert_true(strlen(msgs[i].sender) < MODEM_NUMBER_MAX);
		assert_true(msgs[i].nlocs >= 1);
		assert_int_equal(modem_delete(f->m, &msgs[i]), 0);
	}
	assert_string_equal(msgs[0].text, "A");
	assert_string_equal(msgs[1].text, "BC");
	assert_string_equal(msgs[2].text, "");
	assert_string_equal(msgs[2].sender, "+770100000070000000000000000000");
	assert_string_equal(msgs[3].text, "Z");
	assert_string_equal(msgs[4].text, "");
	multipart_msgs_free(msgs, n);
	/* Left on the phone: the garbage and the status report. */
	assert_int_equal(count_files(f->dir, 1), 2);
}

/* Concatenation inside a user UDH, next to a port element. */
static void
t_user_udh(void **state)
{
	struct fix	*f = *state;
	struct multipart_msg *msgs;
	size_t		 n;

	inject_raw(f->dir,
	    "[SMSBackup000]\nPDU = Deliver\nState = UnRead\n"
	    "Number = \"+77010000010\"\nUDH = 0B05040B8423F00003110202\n"
	    "Text00 = 00630064\nCoding = Unicode_No_Compression\n");
	inject_raw(f->dir,
	    "[SMSBackup000]\nPDU = Deliver\nState = UnRead\n"
	    "Number = \"+77010000010\"\nUDH = 0B05040B8423F00003110201\n"
	    "Text00 = 00610062\nCoding = Unicode_No_Compression\n");
	n = poll_for(f->m, &msgs, 1);
	assert_int_equal(n, 1);
	assert_string_equal(msgs[0].text, "abcd");
	assert_false(msgs[0].incomplete);
	assert_int_equal(msgs[0].nlocs, 2);
	multipart_msgs_free(msgs, n);
}

static void
t_reconnect(void **state)
{
	struct fix	*f = *state;
	struct modem	*m;
	struct multipart_msg *msgs;
	char		 dev[PATH_MAX];
	char		*parts[] = { "hi" };
	int64_t		 end;
	size_t		 n;
	int		 rc;

	snprintf(dev, sizeof(dev), "%s/phone", f->dir);
	assert_non_null(m = open_dir(dev, 1));
	assert_int_equal(modem_poll(m, &msgs, &n), -1);
	assert_int_equal(modem_lasterr(m), MODEM_ENOTCONN);
	assert_null(msgs);
	assert_int_equal(n, 0);
	/* Backing off: no new attempt yet. */
	assert_int_equal(modem_poll(m, &msgs, &n), -1);
	assert_int_equal(modem_lasterr(m), MODEM_ENOTCONN);
	assert_int_equal(modem_send(m, "+77011234567", false, parts, 1), -1);
	assert_int_equal(modem_lasterr(m), MODEM_ENOTCONN);

	assert_int_equal(mkdir(dev, 0755), 0);
	assert_int_equal(simphone_inject(dev, "+77011234567", parts, 1, 0),
	    0);
	end = now_ms() + DEADLINE_MS;
	while ((rc = modem_poll(m, &msgs, &n)) == -1 && now_ms() < end) {
		assert_int_equal(modem_lasterr(m), MODEM_ENOTCONN);
		nap();
	}
	assert_int_equal(rc, 0);
	assert_int_equal(modem_lasterr(m), MODEM_OK);
	assert_int_equal(n, 1);
	assert_string_equal(msgs[0].text, "hi");
	multipart_msgs_free(msgs, n);
	modem_close(m);
}

/* A modem on section of the gammurc text, written as dir/gammurc. */
static struct modem *
open_rc(const char *dir, int section, const char *text)
{
	struct modem_conf conf;
	char		 rc[PATH_MAX];

	snprintf(rc, sizeof(rc), "%s/gammurc", dir);
	write_file(rc, text);
	memset(&conf, 0, sizeof(conf));
	conf.gammurc = rc;
	conf.section = section;
	return modem_open(&conf);
}

/* The phone described by a gammurc section instead. */
static void
t_gammurc(void **state)
{
	struct fix	*f = *state;
	struct multipart_msg *msgs;
	struct modem	*m;
	char		 text[PATH_MAX + 128];
	char		*parts[] = { "через gammurc" };
	size_t		 n;

	snprintf(text, sizeof(text), "[gammu]\ndevice = /nonexistent\n\n"
	    "[gammu2]\nconnection = none\nmodel = dummy\ndevice = %s\n",
	    f->dir);
	assert_non_null(m = open_rc(f->dir, 2, text));
	assert_int_equal(simphone_inject(f->dir, "+77011234567", parts, 1, 0),
	    0);
	n = poll_for(m, &msgs, 1);
	assert_int_equal(n, 1);
	assert_string_equal(msgs[0].text, parts[0]);
	multipart_msgs_free(msgs, n);
	modem_close(m);

	/* A section that is not there: not connected, no exit. */
	assert_non_null(m = open_rc(f->dir, 7, text));
	assert_int_equal(modem_poll(m, &msgs, &n), -1);
	assert_int_equal(modem_lasterr(m), MODEM_ENOTCONN);
	modem_close(m);
}

static void
t_bad_input(void **state)
{
	struct fix	*f = *state;
	char		 big[300];
	char		*parts[] = { big };
	struct simphone_sent *sent;
	char		 path[PATH_MAX];
	FILE		*fp;
	size_t		 n;
	int		 i;

	memset(big, 'y', 200);
	big[200] = '\0';
	assert_int_equal(simphone_inject(f->dir, "+7701", parts, 1, 0), -1);
	assert_int_equal(simphone_inject(f->dir,
	    "+770100000000000000000000000000000000", parts, 0, 0), -1);
	assert_int_equal(simphone_inject(f->dir, "", parts, 1, 0), -1);
	/* What would overflow libGammu's own reader is refused. */
	snprintf(path, sizeof(path), "%s/raw.txt", f->dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("[SMSBackup000]\nNumber = \"+7701\"\nUDH = ", fp);
	for (i = 0; i < 300; i++)
		fputs("05", fp);
	fputs("\nText00 = 0041\n", fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(simphone_inject_file(f->dir, path), -1);
	assert_int_equal(count_files(f->dir, 1), 0);
	assert_int_equal(simphone_sent(f->dir, &sent, &n), 0);
	assert_int_equal(n, 0);
	simphone_sent_free(sent, n);
}

/* Put text into the simulated phone's inbox as file number n. */
static void
inbox_file(const char *dir, int n, const char *text, size_t len)
{
	char	 path[PATH_MAX];
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/sms/1/%d", dir, n);
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

#define CALENDAR "[Calendar001]\nType = MEETING\nText = \"Meeting\"\n" \
	"StartTime = 20090101T100000Z\n"
#define GPRS	"[GPRSPoint001]\nName = \"internet\"\n" \
	"URL = \"internet.example\"\n"
#define GARBAGE	"\001\002\377 not an ini file\n\000\000"

/*
 * Entries that are no SMS (Gammu backups of a calendar entry and a GPRS
 * point), a corrupt file and an empty one, before and between messages:
 * every message comes back in the first poll, the others are stepped
 * over, counted, and left on the phone.
 */
static void
t_stepped(void **state)
{
	struct fix	*f = *state;
	struct multipart_msg *msgs;
	char		*a[] = { "first" }, *b[] = { "second" };
	char		 st[256], path[PATH_MAX];
	size_t		 n, i;

	modem_state(f->m, st, sizeof(st));
	assert_string_equal(st, "working");
	snprintf(path, sizeof(path), "%s/sms", f->dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/sms/1", f->dir);
	assert_int_equal(mkdir(path, 0700), 0);
	inbox_file(f->dir, 1, CALENDAR, strlen(CALENDAR));
	inbox_file(f->dir, 2, GARBAGE, sizeof(GARBAGE) - 1);
	inbox_file(f->dir, 3, GPRS, strlen(GPRS));
	assert_int_equal(simphone_inject(f->dir, "+77011234501", a, 1, 0),
	    0);
	inbox_file(f->dir, 5, "", 0);
	assert_int_equal(simphone_inject(f->dir, "+77011234502", b, 1, 0),
	    0);
	assert_int_equal(modem_poll(f->m, &msgs, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(msgs[0].text, "first");
	assert_string_equal(msgs[1].text, "second");
	for (i = 0; i < n; i++)
		assert_int_equal(modem_delete(f->m, &msgs[i]), 0);
	multipart_msgs_free(msgs, n);
	modem_state(f->m, st, sizeof(st));
	assert_non_null(strstr(st, "working; 4 entries stepped over"));
	assert_int_equal(count_files(f->dir, 1), 4);

	/* Still there, still stepped over; gone, forgotten. */
	assert_int_equal(modem_poll(f->m, &msgs, &n), 0);
	assert_int_equal(n, 0);
	multipart_msgs_free(msgs, n);
	rm_tree(f->dir);
	assert_int_equal(mkdir(f->dir, 0700), 0);
	assert_int_equal(modem_poll(f->m, &msgs, &n), 0);
	multipart_msgs_free(msgs, n);
	modem_state(f->m, st, sizeof(st));
	assert_string_equal(st, "working");
}

/*
 * A session that reads nothing but errors (the dummy driver told by its
 * gammurc that it cannot list messages): two polls fail, the third
 * closes the connection to reopen it after the backoff; once the phone
 * can be read again, the message waiting is read.
 */
static void
t_read_fails(void **state)
{
	struct fix	*f = *state;
	struct multipart_msg *msgs;
	struct modem	*m;
	char		 rc[PATH_MAX], text[PATH_MAX + 128], st[256];
	char		*parts[] = { "hello" };
	int64_t		 end;
	size_t		 n;
	int		 i, r;

	snprintf(text, sizeof(text), "[gammu]\nconnection = none\n"
	    "model = dummy\ndevice = %s\nfeatures = DISABLE_GETNEXTSMS\n",
	    f->dir);
	assert_non_null(m = open_rc(f->dir, 0, text));
	assert_int_equal(simphone_inject(f->dir, "+77011234567", parts, 1, 0),
	    0);
	for (i = 1; i < 3; i++) {
		assert_int_equal(modem_poll(m, &msgs, &n), -1);
		assert_int_equal(modem_lasterr(m), MODEM_EOTHER);
		modem_state(m, st, sizeof(st));
		assert_non_null(strstr(st, "failing: cannot read messages"));
	}
	assert_int_equal(modem_poll(m, &msgs, &n), -1);
	assert_int_equal(modem_lasterr(m), MODEM_ENOTCONN);
	modem_state(m, st, sizeof(st));
	assert_non_null(strstr(st, "reconnecting"));
	/* Backing off: no attempt yet. */
	assert_int_equal(modem_poll(m, &msgs, &n), -1);
	assert_int_equal(modem_lasterr(m), MODEM_ENOTCONN);

	/* Still failing after the reconnect: reopened again at once. */
	end = now_ms() + DEADLINE_MS;
	while ((r = modem_poll(m, &msgs, &n)) == -1 &&
	    modem_lasterr(m) == MODEM_ENOTCONN && now_ms() < end)
		nap();
	assert_int_equal(r, -1);
	assert_int_equal(modem_lasterr(m), MODEM_ENOTCONN);

	/*
	 * The phone readable again: read at the next reconnect.  (Another
	 * feature, not none: libGammu keeps a model's features for the
	 * process once a gammurc set them.)
	 */
	snprintf(text, sizeof(text), "[gammu]\nconnection = none\n"
	    "model = dummy\ndevice = %s\nfeatures = NO_UCS2\n", f->dir);
	snprintf(rc, sizeof(rc), "%s/gammurc", f->dir);
	write_file(rc, text);
	end = now_ms() + 3 * DEADLINE_MS;
	while ((r = modem_poll(m, &msgs, &n)) == -1 && now_ms() < end)
		nap();
	assert_int_equal(r, 0);
	assert_int_equal(n, 1);
	assert_string_equal(msgs[0].text, "hello");
	multipart_msgs_free(msgs, n);
	modem_state(m, st, sizeof(st));
	assert_string_equal(st, "working");
	modem_close(m);
}

static void
t_strerror(void **state)
{
	(void)state;
	assert_string_equal(modem_strerror(MODEM_OK), "no error");
	assert_non_null(modem_strerror(MODEM_ENOTCONN));
	assert_non_null(modem_strerror(MODEM_ESEND));
	assert_non_null(modem_strerror(MODEM_EFULL));
	assert_non_null(modem_strerror(MODEM_EOTHER));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(t_single, setup, teardown),
		cmocka_unit_test_setup_teardown(t_multipart_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(t_multipart_one_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(t_incomplete, setup, teardown),
		cmocka_unit_test_setup_teardown(t_many_incomplete, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(t_late_part, setup, teardown),
		cmocka_unit_test_setup_teardown(t_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(t_held_front, setup, teardown),
		cmocka_unit_test_setup_teardown(t_duplicate_part, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(t_send_ucs2, setup, teardown),
		cmocka_unit_test_setup_teardown(t_send_gsm7, setup, teardown),
		cmocka_unit_test_setup_teardown(t_send_too_long, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(t_binary, setup, teardown),
		cmocka_unit_test_setup_teardown(t_surrogates, setup, teardown),
		cmocka_unit_test_setup_teardown(t_hostile, setup, teardown),
		cmocka_unit_test_setup_teardown(t_user_udh, setup, teardown),
		cmocka_unit_test_setup_teardown(t_reconnect, setup, teardown),
		cmocka_unit_test_setup_teardown(t_gammurc, setup, teardown),
		cmocka_unit_test_setup_teardown(t_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(t_ussd, setup, teardown),
		cmocka_unit_test_setup_teardown(t_stepped, setup, teardown),
		cmocka_unit_test_setup_teardown(t_read_fails, setup,
		    teardown),
		cmocka_unit_test(t_strerror),
	};

	log_init(1, LOG_LEVEL_WARN, "t_modem");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
