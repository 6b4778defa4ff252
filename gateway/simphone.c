/*
 * simphone.c - the simulated phone of the tests and the demo: SMS
 * written into Gammu's dummy driver folder as smsbackup files, the way
 * a network would deliver them, and the replies the daemon filed into
 * its sent folder read back (through modem.c, the only reader of
 * libGammu's files) and joined by multipart.c.  The daemon never calls
 * these: bin/simphone, "habar sim" and the unit tests do.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "modem.h"
#include "multipart.h"
#include "simphone.h"
#include "utf8.h"

#define PART_UNITS	160	/* what Gammu reads back of one Text */

static int
mkdir_one(const char *path)
{
	if (mkdir(path, 0755) == -1 && errno != EEXIST) {
		log_warn("cannot create '%s'", path);
		return -1;
	}
	return 0;
}

/* Create dir, dir/sms and dir/sms/1 as needed; the inbox path in box. */
static int
inbox_dir(const char *dir, char *box, size_t boxsz)
{
	int	 len;

	len = snprintf(box, boxsz, "%s/sms", dir);
	if (len < 0 || (size_t)len >= boxsz - 3) {
		log_warnx("path too long: '%s'", dir);
		return -1;
	}
	if (mkdir_one(dir) == -1 || mkdir_one(box) == -1)
		return -1;
	snprintf(box + len, boxsz - len, "/%d", MODEM_DUMMY_INBOX);
	return mkdir_one(box);
}

/*
 * Move the finished file tmp into box under the next free number,
 * never replacing a file.  Returns 0 or -1; tmp is gone either way.
 */
static int
file_publish(const char *tmp, const char *box)
{
	char	 path[PATH_MAX];
	int	 i, num;

	for (i = 0; i < 100; i++) {
		if ((num = modem_dummy_next(box)) == -1) {
			log_warnx("cannot inject: '%s' is full", box);
			break;
		}
		snprintf(path, sizeof(path), "%s/%d", box, num);
		if (link(tmp, path) == 0) {
			unlink(tmp);
			return 0;
		}
		if (errno == EEXIST)
			continue;	/* a concurrent writer took it */
		if (errno == EPERM || errno == ENOTSUP || errno == EXDEV) {
			/* No hard links here: rename, racy but atomic. */
			if (rename(tmp, path) == 0)
				return 0;
		}
		log_warn("cannot inject into '%s'", path);
		break;
	}
	unlink(tmp);
	return -1;
}

static void
hex_put(FILE *fp, const unsigned char *b, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		fprintf(fp, "%02X", b[i]);
}

/* One inbound part as an smsbackup section. */
static void
part_write(FILE *fp, const unsigned char *num, size_t numunits,
    const char *sender, const unsigned char *text, size_t units,
    int seq, int total, int ref)
{
	struct tm	 tm;
	time_t		 t = time(NULL);
	unsigned char	 udh[6];
	const char	*p;
	size_t		 i, chunk;

	gmtime_r(&t, &tm);
	fprintf(fp, "; written by habar's simulated phone\n"
	    "[SMSBackup000]\n"
	    "PDU = Deliver\n"
	    "DateTime = %04d%02d%02dT%02d%02d%02dZ\n"
	    "State = UnRead\n", tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	/* Gammu needs Number to see the section; NumberUnicode wins. */
	fprintf(fp, "Number = \"");
	for (p = sender; *p != '\0'; p++)
		fputc((*p >= '0' && *p <= '9') || *p == '+' ||
		    (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ?
		    *p : '?', fp);
	fprintf(fp, "\"\nNumberUnicode = ");
	hex_put(fp, num, 2 * numunits);
	fputc('\n', fp);
	if (total > 1) {
		udh[0] = 0x05;
		udh[1] = 0x00;
		udh[2] = 0x03;
		udh[3] = (unsigned char)ref;
		udh[4] = (unsigned char)total;
		udh[5] = (unsigned char)seq;
		fprintf(fp, "UDH = ");
		hex_put(fp, udh, sizeof(udh));
		fputc('\n', fp);
	}
	/* As Gammu writes it: 200 hex digits a line. */
	for (i = 0; i * 50 < units; i++) {
		chunk = units - i * 50 < 50 ? units - i * 50 : 50;
		fprintf(fp, "Text%02zu = ", i);
		hex_put(fp, text + i * 100, 2 * chunk);
		fputc('\n', fp);
	}
	fprintf(fp, "Coding = Unicode_No_Compression\n"
	    "Folder = %d\n"
	    "Length = %zu\n"
	    "Class = -1\n\n", MODEM_DUMMY_INBOX, units);
}

/*
 * Create a temporary file in box for writing; its path goes to tmp.
 * Returns the stream or NULL after logging.
 */
static FILE *
file_tmp(const char *box, char *tmp, size_t tmpsz)
{
	FILE	*fp;
	int	 fd;

	snprintf(tmp, tmpsz, "%s/.inject-XXXXXX", box);
	if ((fd = mkstemp(tmp)) == -1) {
		log_warn("cannot create a file in '%s'", box);
		return NULL;
	}
	if ((fp = fdopen(fd, "w")) == NULL) {
		log_warn("cannot create a file in '%s'", box);
		close(fd);
		unlink(tmp);
	}
	return fp;
}

/* Close fp (the file tmp) and publish it.  Returns 0 or -1. */
static int
file_finish(FILE *fp, const char *tmp, const char *box)
{
	if (ferror(fp) | fclose(fp)) {
		log_warn("cannot write '%s'", tmp);
		unlink(tmp);
		return -1;
	}
	return file_publish(tmp, box);
}

int
simphone_inject(const char *dir, const char *sender, char *const *parts,
    size_t nparts, int ref)
{
	unsigned char	 num[2 * (MODEM_NUMBER_MAX + 1)];
	unsigned char	 text[2 * (PART_UNITS + 1)];
	char		 box[PATH_MAX], tmp[PATH_MAX];
	FILE		*fp;
	size_t		 i;
	int		 numunits, units;

	if (nparts == 0 || nparts > MODEM_MAX_LOCS) {
		log_warnx("cannot inject %zu parts", nparts);
		return -1;
	}
	if (strlen(sender) >= MODEM_NUMBER_MAX ||
	    (numunits = utf8_to_utf16be(sender, num, MODEM_NUMBER_MAX)) < 1) {
		log_warnx("cannot inject: bad sender");
		return -1;
	}
	for (i = 0; i < nparts; i++)
		if (utf8_to_utf16be(parts[i], text, PART_UNITS) == -1) {
			log_warnx("cannot inject: part %zu is longer than %d "
			    "UTF-16 units", i + 1, PART_UNITS);
			return -1;
		}
	if (inbox_dir(dir, box, sizeof(box)) == -1)
		return -1;
	for (i = 0; i < nparts; i++) {
		units = utf8_to_utf16be(parts[i], text, PART_UNITS);
		if ((fp = file_tmp(box, tmp, sizeof(tmp))) == NULL)
			return -1;
		part_write(fp, num, (size_t)numunits, sender, text,
		    (size_t)units, (int)i + 1, (int)nparts, ref & 0xff);
		if (file_finish(fp, tmp, box) == -1)
			return -1;
	}
	return 0;
}

/*
 * Whether a value of an smsbackup file fits what Gammu's reader copies
 * into fixed buffers without checking (backtext.c, ReadSMSBackupEntry:
 * UDH, and the numbers).  Past that, libGammu itself overflows, which
 * no network can make it do: the PDU decoder has its own bounds.
 */
static bool
value_ok(const char *line)
{
	const char	*eq, *v;
	size_t		 klen, vlen;

	if ((eq = strchr(line, '=')) == NULL)
		return true;
	for (klen = eq - line; klen > 0 && line[klen - 1] == ' '; klen--)
		;
	for (v = eq + 1; *v == ' '; v++)
		;
	vlen = strcspn(v, "\r\n");
	if (klen == 3 && strncasecmp(line, "UDH", 3) == 0)
		return vlen <= 2 * MODEM_UDH_MAX;
	if (klen > 7 && strncasecmp(line + klen - 7, "Unicode", 7) == 0)
		return vlen <= 4 * MODEM_NUMBER_UNITS;
	if ((klen == 6 && strncasecmp(line, "Number", 6) == 0) ||
	    (klen == 4 && strncasecmp(line, "SMSC", 4) == 0) ||
	    (klen == 4 && strncasecmp(line, "Name", 4) == 0))
		return vlen <= MODEM_NUMBER_UNITS;
	return true;
}

int
simphone_inject_file(const char *dir, const char *path)
{
	char	 box[PATH_MAX], tmp[PATH_MAX], line[8192];
	FILE	*in, *fp;
	int	 rc = 0;

	if ((in = fopen(path, "r")) == NULL) {
		log_warn("cannot open '%s'", path);
		return -1;
	}
	while (fgets(line, sizeof(line), in) != NULL)
		if (strchr(line, '\n') == NULL && !feof(in)) {
			log_warnx("cannot inject '%s': a line is longer than "
			    "%zu bytes", path, sizeof(line) - 2);
			rc = -1;
			break;
		} else if (!value_ok(line)) {
			log_warnx("cannot inject '%s': a value overflows "
			    "libGammu's reader", path);
			rc = -1;
			break;
		}
	if (rc == 0 && ferror(in)) {
		log_warn("cannot read '%s'", path);
		rc = -1;
	}
	if (rc == -1 || inbox_dir(dir, box, sizeof(box)) == -1 ||
	    (fp = file_tmp(box, tmp, sizeof(tmp))) == NULL) {
		fclose(in);
		return -1;
	}
	rewind(in);
	while (fgets(line, sizeof(line), in) != NULL)
		fputs(line, fp);
	fclose(in);
	return file_finish(fp, tmp, box);
}

/* The replies simphone_sent() found. */
struct sentvec {
	struct simphone_sent *v;
	size_t		 n;
	size_t		 cap;
};

/* Append the reply of parts[0..n) (sorted) to sv.  Returns 0 or -1. */
static int
sent_add(struct sentvec *sv, const struct multipart_part *parts, size_t n)
{
	struct simphone_sent *s, *nn;
	size_t		 i, c;
	int		 min = INT32_MAX;

	if (sv->n == sv->cap) {
		c = sv->cap ? sv->cap * 2 : 8;
		if ((nn = reallocarray(sv->v, c, sizeof(*nn))) == NULL)
			return -1;
		sv->v = nn;
		sv->cap = c;
	}
	s = &sv->v[sv->n];
	memset(s, 0, sizeof(*s));
	memcpy(s->recipient, parts[0].sender, sizeof(s->recipient));
	if ((s->text = multipart_text(parts, n)) == NULL)
		return -1;
	s->nparts = n;
	s->ucs2 = parts[0].ucs2;
	for (i = 0; i < n; i++)
		if (parts[i].location < min)
			min = parts[i].location;
	snprintf(s->file, sizeof(s->file), "%d", min % MODEM_DUMMY_SLOTS);
	sv->n++;
	return 0;
}

/*
 * A multipart_fn for the sent folder: whole replies only, since the
 * parts of a reply are filed one after the other.
 */
static int
sent_group(void *arg, const struct multipart_part *parts, size_t n,
    bool complete)
{
	return complete ? sent_add(arg, parts, n) : 0;
}

static int
sent_cmp(const void *a, const void *b)
{
	const struct simphone_sent *sa = a, *sb = b;
	long	 la, lb;

	la = strtol(sa->file, NULL, 10);
	lb = strtol(sb->file, NULL, 10);
	return la < lb ? -1 : la > lb;
}

int
simphone_sent(const char *dir, struct simphone_sent **out, size_t *n)
{
	struct multipart_vec pv;
	struct sentvec	 sv;
	int		 rc;

	*out = NULL;
	*n = 0;
	if (modem_dummy_sent(dir, &pv) == -1)
		return -1;
	memset(&sv, 0, sizeof(sv));
	rc = multipart_group(&pv, sent_group, &sv);
	multipart_vec_free(&pv);
	if (rc == -1) {
		log_warnx("cannot read the sent folder: out of memory");
		simphone_sent_free(sv.v, sv.n);
		return -1;
	}
	if (sv.n > 1)
		qsort(sv.v, sv.n, sizeof(*sv.v), sent_cmp);
	*out = sv.v;
	*n = sv.n;
	return 0;
}

void
simphone_sent_free(struct simphone_sent *v, size_t n)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i].text);
	free(v);
}
