/*
 * modem.c - the GSM modem through libGammu, the only file that includes
 * <gammu.h>.  Connects lazily and reconnects with exponential backoff,
 * reads every inbound SMS the way gammu-smsd does (GSM_GetNextSMS over
 * all folders, GSM_LinkSMS), reassembles multipart messages and holds
 * incomplete ones back until multipart_timeout, decodes UTF-16 to UTF-8
 * itself (Gammu's own helpers depend on the locale), sends replies part
 * by part with a concatenation header and waits for the send status.
 *
 * Gammu's dummy driver (model dummy, connection none, device a folder)
 * is the simulated phone of the tests: DIR/sms/N/M are smsbackup files,
 * folder 1 the SIM inbox and 4 the phone's sent items.  Its GSM_SendSMS
 * writes nothing, so after a send on the dummy driver the parts are also
 * filed into folder 4, where modem_sim_sent() finds them.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <gammu.h>

#include "log.h"
#include "modem.h"

#define BACKOFF_MIN_MS	1000
#define BACKOFF_MAX_MS	60000
#define SEND_WAIT_MS	30000	/* for the status of one part */
#define INIT_REPLIES	2	/* GSM_InitConnection attempts */
#define POLL_MAX	16	/* phone entries per poll: 260 KB each */
#define SENT_MAX	256	/* entries modem_sim_sent() reads */
#define SCAN_MAX	4096	/* GSM_GetNextSMS calls per pass */
#define SKIP_MAX	16	/* unreadable entries per pass */
#define PENDING_MAX	64	/* incomplete messages being timed */
#define KEY_MAX		(MODEM_NUMBER_MAX + 48)
#define MP_TIMEOUT	600	/* default multipart_timeout */
#define PART_UNITS	(GSM_MAX_SMS_LENGTH)	/* UTF-16 units in one part */

/* The dummy driver: location = folder * DUMMY_SLOTS + file number. */
#define DUMMY_SLOTS	10000
#define SIM_INBOX	1
#define SIM_SENT	4
#define SIM_PART_UNITS	160	/* what Gammu reads back of one Text */

/* An incomplete multipart message: when its parts were first seen. */
struct pending {
	char	 key[KEY_MAX];
	int64_t	 first_ms;
	bool	 seen;
};

struct modem {
	char		*gammurc;
	int		 section;
	char		*device;
	char		*connection;
	char		*model;
	int		 mp_timeout;

	GSM_StateMachine *sm;		/* NULL while disconnected */
	bool		 dummy;
	enum modem_err	 lasterr;
	int		 backoff_ms;	/* 0 after a working command */
	int64_t		 retry_at;	/* monotonic ms */
	bool		 down_logged;
	bool		 skip_logged;	/* unreadable entries reported */

	bool		 smsc_ok;
	GSM_SMSC	 smsc;		/* the phone's, cached per connection */
	unsigned char	 ref;		/* concatenation reference */
	volatile bool	 send_done;	/* set by the status callback */
	volatile int	 send_status;

	struct pending	 pending[PENDING_MAX];
	int		 sent_next;	/* dummy: next free sent file */

	/* Set by the USSD callback. */
	volatile bool	 ussd_done;
	int		 ussd_status;
	char		 ussd_text[3 * GSM_MAX_USSD_LENGTH + 1];
};

/* One part of a message, seen through its GSM_SMSMessage. */
struct part {
	GSM_SMSMessage	*sms;
	int		 seq;		/* 1.., or 0 when not concatenated */
	int		 total;		/* parts in its message */
	char		 key[KEY_MAX];	/* sender, reference, total */
};

/* A growing array of messages. */
struct msgvec {
	struct modem_msg *v;
	size_t		 n;
	size_t		 cap;
};

static int64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
dupstr(char **dst, const char *src)
{
	*dst = NULL;
	if (src == NULL)
		return 0;
	if ((*dst = strdup(src)) == NULL)
		return -1;
	return 0;
}

/*
 * Text conversion.  UTF-16 buffers are Gammu's: big-endian units, ended
 * by a zero unit.
 */

/* Decode one code point of s[0..len); U+FFFD for a bad sequence. */
static size_t
utf8_next(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t	 c, min;
	size_t		 n, i;

	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xe0) == 0xc0) {
		n = 2;
		c &= 0x1f;
		min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3;
		c &= 0x0f;
		min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		*cp = 0xfffd;
		return 1;
	}
	if (n > len) {
		*cp = 0xfffd;
		return 1;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*cp = 0xfffd;
			return 1;
		}
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		c = 0xfffd;
	*cp = c;
	return n;
}

/*
 * Convert NUL-terminated UTF-8 s into UTF-16BE units at out, which has
 * room for max units and a terminator.  Invalid bytes become U+FFFD.
 * Returns the number of units, or -1 when s needs more than max.
 */
static int
utf8_to_ucs2(const char *s, unsigned char *out, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t		 len = strlen(s), n = 0, k;
	uint32_t	 c;

	while (len > 0) {
		k = utf8_next(p, len, &c);
		p += k;
		len -= k;
		if (c >= 0x10000) {
			if (n + 2 > max)
				return -1;
			c -= 0x10000;
			out[2 * n] = 0xd8 | ((c >> 18) & 0x03);
			out[2 * n + 1] = (c >> 10) & 0xff;
			out[2 * n + 2] = 0xdc | ((c >> 8) & 0x03);
			out[2 * n + 3] = c & 0xff;
			n += 2;
		} else {
			if (n + 1 > max)
				return -1;
			out[2 * n] = c >> 8;
			out[2 * n + 1] = c & 0xff;
			n++;
		}
	}
	out[2 * n] = out[2 * n + 1] = 0;
	return (int)n;
}

/* Units before the terminator, looking at no more than max. */
static size_t
ucs2_len(const unsigned char *u, size_t max)
{
	size_t	 n;

	for (n = 0; n < max; n++)
		if (u[2 * n] == 0 && u[2 * n + 1] == 0)
			break;
	return n;
}

static size_t
utf8_put(char *out, uint32_t c)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/*
 * Convert n UTF-16BE units into UTF-8 at out, which has room for
 * 3 * n + 1 bytes; lone surrogates and NULs become U+FFFD.  Returns the
 * length written, NUL not counted.
 */
static size_t
ucs2_to_utf8(const unsigned char *u, size_t n, char *out)
{
	size_t		 i, len = 0;
	uint32_t	 c, d;

	for (i = 0; i < n; i++) {
		c = (uint32_t)u[2 * i] << 8 | u[2 * i + 1];
		if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
			d = (uint32_t)u[2 * i + 2] << 8 | u[2 * i + 3];
			if (d >= 0xdc00 && d <= 0xdfff) {
				c = 0x10000 + ((c - 0xd800) << 10) +
				    (d - 0xdc00);
				i++;
			} else
				c = 0xfffd;
		} else if ((c >= 0xd800 && c <= 0xdfff) || c == 0)
			c = 0xfffd;
		len += utf8_put(out + len, c);
	}
	out[len] = '\0';
	return len;
}

/* A Gammu number to UTF-8 in dst, cut at a character boundary. */
static void
number_to_utf8(const unsigned char *num, size_t numsz, char *dst,
    size_t dstsz)
{
	char	 buf[3 * (GSM_MAX_NUMBER_LENGTH + 1) + 1];
	size_t	 n, len;

	n = ucs2_len(num, numsz / 2);
	if (n > GSM_MAX_NUMBER_LENGTH)
		n = GSM_MAX_NUMBER_LENGTH;
	len = ucs2_to_utf8(num, n, buf);
	if (len >= dstsz) {
		len = dstsz - 1;
		while (len > 0 && ((unsigned char)buf[len] & 0xc0) == 0x80)
			len--;
	}
	memcpy(dst, buf, len);
	dst[len] = '\0';
}

/* SMSC time stamp to time_t, 0 if absent or nonsense. */
static time_t
datetime_to_time(const GSM_DateTime *dt)
{
	struct tm	 tm;
	time_t		 t;

	if (dt->Year < 1970 || dt->Year > 9999 || dt->Month < 1 ||
	    dt->Month > 12 || dt->Day < 1 || dt->Day > 31 ||
	    dt->Hour < 0 || dt->Hour > 23 || dt->Minute < 0 ||
	    dt->Minute > 59 || dt->Second < 0 || dt->Second > 60)
		return 0;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = dt->Year - 1900;
	tm.tm_mon = dt->Month - 1;
	tm.tm_mday = dt->Day;
	tm.tm_hour = dt->Hour;
	tm.tm_min = dt->Minute;
	tm.tm_sec = dt->Second;
	if ((t = timegm(&tm)) == (time_t)-1)
		return 0;
	/* The fields are local to the SMSC, Timezone seconds east. */
	return t - dt->Timezone;
}

/*
 * The state machine.
 */

/* Errors after which the line to the phone is presumed gone. */
static bool
gammu_connerr(GSM_Error err)
{
	switch (err) {
	case ERR_DEVICEOPENERROR:
	case ERR_DEVICELOCKED:
	case ERR_DEVICENOTEXIST:
	case ERR_DEVICEBUSY:
	case ERR_DEVICENOPERMISSION:
	case ERR_DEVICENODRIVER:
	case ERR_DEVICENOTWORK:
	case ERR_DEVICEDTRRTSERROR:
	case ERR_DEVICECHANGESPEEDERROR:
	case ERR_DEVICEWRITEERROR:
	case ERR_DEVICEREADERROR:
	case ERR_DEVICEPARITYERROR:
	case ERR_TIMEOUT:
	case ERR_NOTCONNECTED:
	case ERR_PHONEOFF:
	case ERR_COULDNT_CONNECT:
		return true;
	default:
		return false;
	}
}

static GSM_Error
sm_config(GSM_StateMachine *sm, const char *gammurc, int section,
    const char *device, const char *connection, const char *model)
{
	GSM_Config	*cfg = GSM_GetConfig(sm, 0);
	INI_Section	*ini = NULL;
	GSM_Error	 err;
	char		*s;

	if (gammurc != NULL) {
		if ((err = GSM_FindGammuRC(&ini, gammurc)) != ERR_NONE)
			return err;
		err = GSM_ReadConfig(ini, cfg, section);
		INI_Free(ini);
		if (err != ERR_NONE)
			return err;
	} else {
		/* Only fills in the defaults, saying so. */
		err = GSM_ReadConfig(NULL, cfg, 0);
		if (err != ERR_NONE && err != ERR_USING_DEFAULTS)
			return err;
	}
	if (device != NULL) {
		if ((s = strdup(device)) == NULL)
			return ERR_MOREMEMORY;
		free(cfg->Device);
		cfg->Device = s;
	}
	if (connection != NULL) {
		if ((s = strdup(connection)) == NULL)
			return ERR_MOREMEMORY;
		free(cfg->Connection);
		cfg->Connection = s;
	}
	if (model != NULL) {
		if (strlen(model) >= sizeof(cfg->Model))
			return ERR_UNKNOWNMODELSTRING;
		memcpy(cfg->Model, model, strlen(model) + 1);
	}
	GSM_SetConfigNum(sm, 1);
	return ERR_NONE;
}

/* Allocate, configure and connect a state machine into *out. */
static GSM_Error
sm_open(GSM_StateMachine **out, const char *gammurc, int section,
    const char *device, const char *connection, const char *model,
    bool *dummy)
{
	GSM_StateMachine *sm;
	GSM_Config	*cfg;
	GSM_Error	 err;

	*out = NULL;
	if ((sm = GSM_AllocStateMachine()) == NULL)
		return ERR_MOREMEMORY;
	err = sm_config(sm, gammurc, section, device, connection, model);
	if (err != ERR_NONE) {
		GSM_FreeStateMachine(sm);
		return err;
	}
	cfg = GSM_GetConfig(sm, 0);
	*dummy = strcasecmp(cfg->Model, "dummy") == 0 ||
	    (cfg->Connection != NULL &&
	    strcasecmp(cfg->Connection, "none") == 0);
	if ((err = GSM_InitConnection(sm, INIT_REPLIES)) != ERR_NONE) {
		GSM_FreeStateMachine(sm);
		return err;
	}
	*out = sm;
	return ERR_NONE;
}

static void
sm_close(GSM_StateMachine *sm)
{
	if (sm == NULL)
		return;
	GSM_TerminateConnection(sm);
	GSM_FreeStateMachine(sm);
}

static void
send_status_cb(GSM_StateMachine *sm, int status, int mr, void *arg)
{
	struct modem	*m = arg;

	(void)sm;
	(void)mr;
	m->send_status = status;
	m->send_done = true;
}

static void
modem_backoff(struct modem *m)
{
	if (m->backoff_ms == 0)
		m->backoff_ms = BACKOFF_MIN_MS;
	else if (m->backoff_ms < BACKOFF_MAX_MS / 2)
		m->backoff_ms *= 2;
	else
		m->backoff_ms = BACKOFF_MAX_MS;
	m->retry_at = now_ms() + m->backoff_ms;
}

static void
modem_disconnect(struct modem *m)
{
	sm_close(m->sm);
	m->sm = NULL;
	m->smsc_ok = false;
}

/* Connect unless connected or backing off.  Returns 0 or -1. */
static int
modem_connect(struct modem *m)
{
	GSM_Error	 err;

	if (m->sm != NULL)
		return 0;
	if (m->retry_at != 0 && now_ms() < m->retry_at) {
		m->lasterr = MODEM_ENOTCONN;
		return -1;
	}
	err = sm_open(&m->sm, m->gammurc, m->section, m->device,
	    m->connection, m->model, &m->dummy);
	if (err != ERR_NONE) {
		if (!m->down_logged)
			log_warnx("cannot connect to the modem: %s",
			    GSM_ErrorString(err));
		else
			log_debug("cannot connect to the modem: %s",
			    GSM_ErrorString(err));
		m->down_logged = true;
		modem_backoff(m);
		m->lasterr = MODEM_ENOTCONN;
		return -1;
	}
	/* Before GSM_InitConnection, GSM_SendSMS would crash. */
	GSM_SetSendSMSStatusCallback(m->sm, send_status_cb, m);
	log_info("modem connected%s", m->dummy ? " (simulated phone)" : "");
	m->down_logged = false;
	m->retry_at = 0;
	return 0;
}

/* A command worked: the line is good, forget the backoff. */
static void
modem_ok(struct modem *m)
{
	m->backoff_ms = 0;
	m->lasterr = MODEM_OK;
}

/*
 * A command failed with err: log what once, drop the connection if the
 * line is gone (MODEM_ENOTCONN), else set lasterr to other.
 */
static void
modem_fail(struct modem *m, const char *what, GSM_Error err,
    enum modem_err other)
{
	if (gammu_connerr(err)) {
		log_warnx("%s: %s; reconnecting", what, GSM_ErrorString(err));
		modem_disconnect(m);
		m->down_logged = true;
		modem_backoff(m);
		m->lasterr = MODEM_ENOTCONN;
		return;
	}
	log_warnx("%s: %s", what, GSM_ErrorString(err));
	m->lasterr = err == ERR_FULL ? MODEM_EFULL : other;
}

/*
 * Reading and linking.
 */

static void
entries_free(GSM_MultiSMSMessage **v)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

static bool
keep_inbound(const GSM_MultiSMSMessage *sms)
{
	return sms->Number > 0 && sms->SMS[0].PDU == SMS_Deliver &&
	    (sms->SMS[0].State == SMS_Read || sms->SMS[0].State == SMS_UnRead);
}

static bool
keep_sent(const GSM_MultiSMSMessage *sms)
{
	return sms->Number > 0 && sms->SMS[0].Folder == SIM_SENT &&
	    sms->SMS[0].PDU == SMS_Submit;
}

/*
 * Read the phone's entries for which keep() holds, at most max, into a
 * new NULL-terminated array *out of heap messages, freed with
 * entries_free(); with stop > 0, end at folder stop (the dummy driver
 * reads folders in order, and its sent items need not be parsed on
 * every poll).  Entries the driver cannot read (a corrupt file on the
 * dummy driver) are skipped and counted in *skipped.  Returns ERR_NONE,
 * or the error that stopped the scan (then *out is NULL).
 */
static GSM_Error
entries_read(GSM_StateMachine *sm, bool (*keep)(const GSM_MultiSMSMessage *),
    int stop, size_t max, GSM_MultiSMSMessage ***out, size_t *skipped)
{
	GSM_MultiSMSMessage **v, *cur;
	GSM_Error	 err = ERR_NONE;
	size_t		 n = 0, calls;
	gboolean	 start = TRUE;
	bool		 failed = false;

	*out = NULL;
	*skipped = 0;
	if ((v = calloc(max + 1, sizeof(*v))) == NULL)
		return ERR_MOREMEMORY;
	if ((cur = calloc(1, sizeof(*cur))) == NULL) {
		free(v);
		return ERR_MOREMEMORY;
	}
	for (calls = 0; calls < SCAN_MAX && n < max; calls++) {
		/*
		 * As gammu-smsd: flat locations, folder 0.  After a
		 * failure, the driver's own cursor instead, to step over
		 * the entry it could not read.
		 */
		if (!failed)
			cur->SMS[0].Folder = 0;
		err = GSM_GetNextSMS(sm, cur, start);
		start = FALSE;
		if (err == ERR_EMPTY) {
			err = ERR_NONE;
			break;
		}
		if (err == ERR_MOREMEMORY || gammu_connerr(err))
			break;
		if ((failed = err != ERR_NONE)) {
			if (++*skipped >= SKIP_MAX) {
				err = ERR_NONE;
				break;
			}
			continue;
		}
		if (stop > 0 && cur->SMS[0].Folder >= stop)
			break;
		if (cur->Number < 0 || cur->Number > GSM_MAX_MULTI_SMS ||
		    !keep(cur))
			continue;
		if ((v[n] = malloc(sizeof(*cur))) == NULL) {
			err = ERR_MOREMEMORY;
			break;
		}
		memcpy(v[n++], cur, sizeof(*cur));
	}
	free(cur);
	if (n == max)
		log_debug("read the first %zu messages only", max);
	if (err != ERR_NONE) {
		entries_free(v);
		return err;
	}
	*out = v;
	return ERR_NONE;
}

/*
 * The concatenation element of a UDH, read within the header's stated
 * length (libGammu's own parser reads past it): 0 and *ref (16-bit
 * references above 0xffff), *seq and *total, or -1 when there is none
 * or its numbers make no sense.
 */
static int
udh_concat(const GSM_UDHHeader *u, int *ref, int *seq, int *total)
{
	const unsigned char *t = u->Text;
	int		 len, i, ielen;

	if (u->Type == UDH_NoUDH || u->Length < 1)
		return -1;
	len = u->Length < (int)sizeof(u->Text) ? u->Length :
	    (int)sizeof(u->Text);
	if (t[0] + 1 < len)
		len = t[0] + 1;
	for (i = 1; i + 1 < len; i += 2 + ielen) {
		ielen = t[i + 1];
		if (i + 2 + ielen > len)
			break;
		if (t[i] == 0x00 && ielen == 3) {
			*ref = t[i + 2];
			*total = t[i + 3];
			*seq = t[i + 4];
		} else if (t[i] == 0x08 && ielen == 4) {
			*ref = 0x10000 | t[i + 2] << 8 | t[i + 3];
			*total = t[i + 4];
			*seq = t[i + 5];
		} else
			continue;
		if (*total < 1 || *seq < 1 || *seq > *total)
			return -1;
		return 0;
	}
	return -1;
}

/*
 * Whether GSM_LinkSMS may see entry e.  It loops forever on a part
 * numbered 0 (UDH 050003xx0000), overflows a stack buffer on a crafted
 * 8-bit "//SEO" message, reads past user UDHs, and compares numbers
 * through a static 500-byte buffer; so it gets plain concatenated
 * single parts with sane numbers only, and the rest is handled here.
 */
static bool
linkable(const GSM_MultiSMSMessage *e)
{
	const GSM_SMSMessage *sms = &e->SMS[0];
	int		 ref, seq, total;

	if (e->Number != 1 || (sms->UDH.Type != UDH_ConcatenatedMessages &&
	    sms->UDH.Type != UDH_ConcatenatedMessages16bit))
		return false;
	if (udh_concat(&sms->UDH, &ref, &seq, &total) == -1 ||
	    sms->UDH.PartNumber != seq || sms->UDH.AllParts != total)
		return false;
	return sms->OtherNumbersNum == 0 &&
	    ucs2_len(sms->Number, MODEM_NUMBER_MAX + 1) <= MODEM_NUMBER_MAX &&
	    ucs2_len(sms->SMSC.Number, MODEM_NUMBER_MAX + 1) <=
	    MODEM_NUMBER_MAX;
}

/*
 * Link the entries in, like gammu-smsd, into a new NULL-terminated
 * array *out as for entries_read(); entries GSM_LinkSMS must not see
 * are moved over as they are.  Takes in, which is freed either way.
 */
static GSM_Error
entries_link(GSM_Debug_Info *di, GSM_MultiSMSMessage **in,
    GSM_MultiSMSMessage ***out)
{
	GSM_MultiSMSMessage **v, **sub;
	GSM_Error	 err = ERR_NONE;
	bool		*lk;
	size_t		 n, i, k, ns = 0;

	*out = NULL;
	for (n = 0; in[n] != NULL; n++)
		;
	v = calloc(n + 2, sizeof(*v));
	sub = calloc(n + 1, sizeof(*sub));
	lk = calloc(n + 1, sizeof(*lk));
	if (v == NULL || sub == NULL || lk == NULL) {
		err = ERR_MOREMEMORY;
		goto done;
	}
	for (i = 0; i < n; i++)
		if ((lk[i] = linkable(in[i])))
			sub[ns++] = in[i];
	if (ns > 0 &&
	    (err = GSM_LinkSMS(di, sub, v, TRUE)) != ERR_NONE)
		goto done;
	for (k = 0; v[k] != NULL; k++)
		;
	for (i = 0; i < n; i++) {
		if (lk[i])
			free(in[i]);
		else
			v[k++] = in[i];
		in[i] = NULL;
	}
	*out = v;
	v = NULL;
done:
	entries_free(v);
	entries_free(in);
	free(sub);
	free(lk);
	return err;
}

static void
part_init(struct part *p, GSM_SMSMessage *sms)
{
	char	 num[MODEM_NUMBER_MAX];
	int	 ref = -1;

	p->sms = sms;
	if (udh_concat(&sms->UDH, &ref, &p->seq, &p->total) == -1) {
		ref = -1;
		p->seq = p->total = 0;
	}
	number_to_utf8(sms->Number, sizeof(sms->Number), num, sizeof(num));
	snprintf(p->key, sizeof(p->key), "%s|%d|%d", num, ref, p->total);
}

static int
part_cmp(const void *a, const void *b)
{
	const struct part *pa = a, *pb = b;

	if (pa->seq != pb->seq)
		return pa->seq < pb->seq ? -1 : 1;
	if (pa->sms->Location != pb->sms->Location)
		return pa->sms->Location < pb->sms->Location ? -1 : 1;
	return 0;
}

/* Whether parts[0..n), sorted, are all of one concatenated message. */
static bool
parts_complete(const struct part *parts, size_t n)
{
	size_t	 i;
	int	 total, want = 1;

	if (n == 0 || parts[0].seq == 0)
		return false;
	total = parts[0].total;
	for (i = 0; i < n; i++) {
		if (strcmp(parts[i].key, parts[0].key) != 0)
			return false;
		if (parts[i].seq == want)
			want++;
	}
	return want == total + 1;
}

/*
 * The text of parts[0..n) (sorted; a repeated sequence number counts
 * once) as new UTF-8, "" for 8-bit data.  Caller frees.  NULL if out of
 * memory.
 */
static char *
parts_text(const struct part *parts, size_t n)
{
	unsigned char	*u;
	char		*s;
	size_t		 i, k, units = 0;
	const GSM_SMSMessage *sms;

	if ((u = calloc(n * PART_UNITS + 1, 2)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (i > 0 && parts[i].seq != 0 && parts[i].seq ==
		    parts[i - 1].seq)
			continue;
		sms = parts[i].sms;
		if (sms->Coding != SMS_Coding_Unicode_No_Compression &&
		    sms->Coding != SMS_Coding_Default_No_Compression)
			continue;
		k = ucs2_len(sms->Text, PART_UNITS);
		if (sms->Length >= 0 && (size_t)sms->Length < k)
			k = sms->Length;
		memcpy(u + 2 * units, sms->Text, 2 * k);
		units += k;
	}
	if ((s = malloc(3 * units + 1)) != NULL)
		ucs2_to_utf8(u, units, s);
	free(u);
	return s;
}

/* Append the message of parts[0..n) (sorted) to vec.  Returns 0 or -1. */
static int
msg_add(struct msgvec *vec, const struct part *parts, size_t n,
    bool incomplete)
{
	struct modem_msg *msg, *nv;
	size_t		 i, j, cap;
	const GSM_SMSMessage *sms;

	if (n > MODEM_MAX_LOCS)
		n = MODEM_MAX_LOCS;
	if (vec->n == vec->cap) {
		cap = vec->cap ? vec->cap * 2 : 8;
		if ((nv = reallocarray(vec->v, cap, sizeof(*nv))) == NULL)
			return -1;
		vec->v = nv;
		vec->cap = cap;
	}
	msg = &vec->v[vec->n];
	memset(msg, 0, sizeof(*msg));
	number_to_utf8(parts[0].sms->Number, sizeof(parts[0].sms->Number),
	    msg->sender, sizeof(msg->sender));
	msg->sent_at = datetime_to_time(&parts[0].sms->DateTime);
	msg->incomplete = incomplete;
	if ((msg->text = parts_text(parts, n)) == NULL)
		return -1;
	if ((msg->locs = calloc(n, sizeof(*msg->locs))) == NULL) {
		free(msg->text);
		return -1;
	}
	/* Several parts may share one location (one file, one entry). */
	for (i = 0; i < n; i++) {
		sms = parts[i].sms;
		for (j = 0; j < msg->nlocs; j++)
			if (msg->locs[j].location == sms->Location &&
			    msg->locs[j].folder == sms->Folder)
				break;
		if (j < msg->nlocs)
			continue;
		msg->locs[msg->nlocs].folder = sms->Folder;
		msg->locs[msg->nlocs].location = sms->Location;
		msg->nlocs++;
	}
	vec->n++;
	return 0;
}

static void
msgs_clear(struct msgvec *vec)
{
	modem_msgs_free(vec->v, vec->n);
	vec->v = NULL;
	vec->n = vec->cap = 0;
}

static int
loc_min(const struct modem_msg *msg)
{
	size_t	 i;
	int	 min = INT32_MAX;

	for (i = 0; i < msg->nlocs; i++)
		if (msg->locs[i].location < min)
			min = msg->locs[i].location;
	return min;
}

/* Oldest first: SMSC time, then where the phone keeps it. */
static int
msg_cmp(const void *a, const void *b)
{
	const struct modem_msg *ma = a, *mb = b;
	int	 la, lb;

	if (ma->sent_at != mb->sent_at)
		return ma->sent_at < mb->sent_at ? -1 : 1;
	la = loc_min(ma);
	lb = loc_min(mb);
	return la < lb ? -1 : la > lb;
}

/*
 * Whether the incomplete message key has waited long enough; starts its
 * clock when first seen.
 */
static bool
pending_due(struct modem *m, const char *key, int64_t now)
{
	struct pending	*p, *slot = NULL;
	size_t		 i;

	for (i = 0; i < PENDING_MAX; i++) {
		p = &m->pending[i];
		if (p->key[0] != '\0' && strcmp(p->key, key) == 0) {
			p->seen = true;
			return now - p->first_ms >=
			    (int64_t)m->mp_timeout * 1000;
		}
		if (slot == NULL || (slot->key[0] != '\0' &&
		    (p->key[0] == '\0' || p->first_ms < slot->first_ms)))
			slot = p;
	}
	/* A new one; when full, the oldest starts over. */
	snprintf(slot->key, sizeof(slot->key), "%s", key);
	slot->first_ms = now;
	slot->seen = true;
	return m->mp_timeout <= 0;
}

/*
 * Group the loose concatenated parts frag[0..n) by sender, reference
 * and count; complete groups and overdue incomplete ones go to vec.
 */
static int
frags_collect(struct modem *m, struct msgvec *vec, struct part *frag,
    size_t n, int64_t now)
{
	struct part	*grp;
	bool		*used;
	size_t		 i, j, g;
	int		 rc = 0;

	if (n == 0)
		return 0;
	grp = calloc(n, sizeof(*grp));
	used = calloc(n, sizeof(*used));
	if (grp == NULL || used == NULL) {
		free(grp);
		free(used);
		return -1;
	}
	for (i = 0; i < n && rc == 0; i++) {
		if (used[i])
			continue;
		for (g = 0, j = i; j < n; j++)
			if (!used[j] && strcmp(frag[j].key, frag[i].key) == 0) {
				grp[g++] = frag[j];
				used[j] = true;
			}
		qsort(grp, g, sizeof(*grp), part_cmp);
		if (grp[0].seq == 0 || parts_complete(grp, g))
			rc = msg_add(vec, grp, g, false);
		else if (pending_due(m, grp[0].key, now))
			rc = msg_add(vec, grp, g, true);
		else
			log_debug("holding back %zu of %d parts", g,
			    grp[0].total);
	}
	free(grp);
	free(used);
	return rc;
}

/*
 * Turn linked entries into messages in vec: whole ones directly, the
 * rest through frags_collect().  Returns 0 or -1 (out of memory).
 */
static int
linked_collect(struct modem *m, struct msgvec *vec, GSM_MultiSMSMessage **l,
    int64_t now)
{
	struct part	*frag = NULL, *one = NULL, *np;
	size_t		 nfrag = 0, capfrag = 0, i, k, cnt;
	int		 rc = 0;

	if ((one = calloc(GSM_MAX_MULTI_SMS, sizeof(*one))) == NULL)
		return -1;
	for (i = 0; l[i] != NULL && rc == 0; i++) {
		cnt = l[i]->Number;
		if (cnt == 0 || cnt > GSM_MAX_MULTI_SMS)
			continue;
		for (k = 0; k < cnt; k++)
			part_init(&one[k], &l[i]->SMS[k]);
		if (one[0].seq == 0) {
			/* Not concatenated: as the driver gave it. */
			rc = msg_add(vec, one, cnt, false);
			continue;
		}
		qsort(one, cnt, sizeof(*one), part_cmp);
		if (parts_complete(one, cnt)) {
			rc = msg_add(vec, one, cnt, false);
			continue;
		}
		if (nfrag + cnt > capfrag) {
			capfrag = (nfrag + cnt) * 2;
			np = reallocarray(frag, capfrag, sizeof(*frag));
			if (np == NULL) {
				rc = -1;
				break;
			}
			frag = np;
		}
		memcpy(frag + nfrag, one, cnt * sizeof(*one));
		nfrag += cnt;
	}
	if (rc == 0)
		rc = frags_collect(m, vec, frag, nfrag, now);
	free(frag);
	free(one);
	return rc;
}

/*
 * Public interface.
 */

struct modem *
modem_open(const struct modem_conf *conf)
{
	struct modem	*m;

	if (conf->gammurc == NULL && conf->device == NULL) {
		log_warnx("modem: neither a gammurc nor a device given");
		return NULL;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL) {
		log_warn("modem");
		return NULL;
	}
	if (dupstr(&m->gammurc, conf->gammurc) == -1 ||
	    dupstr(&m->device, conf->device) == -1 ||
	    dupstr(&m->connection, conf->connection) == -1 ||
	    dupstr(&m->model, conf->model) == -1) {
		log_warn("modem");
		modem_close(m);
		return NULL;
	}
	m->section = conf->section;
	m->mp_timeout = conf->multipart_timeout > 0 ?
	    conf->multipart_timeout : MP_TIMEOUT;
	m->ref = (unsigned char)(time(NULL) ^ getpid());
	m->lasterr = MODEM_OK;
	return m;
}

int
modem_poll(struct modem *m, struct modem_msg **msgs, size_t *n)
{
	GSM_MultiSMSMessage **in = NULL, **linked = NULL;
	struct msgvec	 vec = { NULL, 0, 0 };
	GSM_Error	 err;
	struct stat	 sb;
	int64_t		 now;
	size_t		 i, skipped;

	*msgs = NULL;
	*n = 0;
	if (modem_connect(m) == -1)
		return -1;
	/*
	 * The dummy driver reads a vanished folder as an empty phone,
	 * where a real line reports an error: make it report one.
	 */
	if (m->dummy && m->device != NULL && (stat(m->device, &sb) == -1 ||
	    !S_ISDIR(sb.st_mode))) {
		modem_fail(m, "cannot read messages", ERR_DEVICENOTEXIST,
		    MODEM_EOTHER);
		return -1;
	}
	err = entries_read(m->sm, keep_inbound, m->dummy ? SIM_SENT : 0,
	    POLL_MAX, &in, &skipped);
	if (err != ERR_NONE) {
		modem_fail(m, "cannot read messages", err, MODEM_EOTHER);
		return -1;
	}
	if (skipped > 0 && !m->skip_logged)
		log_warnx("skipping %zu unreadable messages on the phone",
		    skipped);
	m->skip_logged = skipped > 0;
	err = entries_link(GSM_GetDebug(m->sm), in, &linked);
	if (err != ERR_NONE) {
		modem_fail(m, "cannot link message parts", err, MODEM_EOTHER);
		return -1;
	}
	now = now_ms();
	for (i = 0; i < PENDING_MAX; i++)
		m->pending[i].seen = false;
	if (linked_collect(m, &vec, linked, now) == -1) {
		entries_free(linked);
		msgs_clear(&vec);
		log_warnx("cannot reassemble messages: out of memory");
		m->lasterr = MODEM_EOTHER;
		return -1;
	}
	entries_free(linked);
	/* Forget incomplete messages that were completed or deleted. */
	for (i = 0; i < PENDING_MAX; i++)
		if (!m->pending[i].seen)
			m->pending[i].key[0] = '\0';
	if (vec.n > 1)
		qsort(vec.v, vec.n, sizeof(*vec.v), msg_cmp);
	for (i = 0; i < vec.n; i++)
		log_debug("message from %s, %zu parts%s", vec.v[i].sender,
		    vec.v[i].nlocs, vec.v[i].incomplete ? ", incomplete" : "");
	modem_ok(m);
	*msgs = vec.v;
	*n = vec.n;
	return 0;
}

int
modem_delete(struct modem *m, const struct modem_msg *msg)
{
	GSM_SMSMessage	*sms;
	GSM_Error	 err, bad = ERR_NONE;
	size_t		 i;

	if (modem_connect(m) == -1)
		return -1;
	if ((sms = calloc(1, sizeof(*sms))) == NULL) {
		log_warn("cannot delete message");
		m->lasterr = MODEM_EOTHER;
		return -1;
	}
	for (i = 0; i < msg->nlocs; i++) {
		memset(sms, 0, sizeof(*sms));
		sms->Folder = 0;	/* flat locations, as read */
		sms->Location = msg->locs[i].location;
		err = GSM_DeleteSMS(m->sm, sms);
		/* Empty: gone already, as with a part deleted twice. */
		if (err == ERR_NONE || err == ERR_EMPTY)
			continue;
		bad = err;
		if (gammu_connerr(err))
			break;
	}
	free(sms);
	if (bad != ERR_NONE) {
		modem_fail(m, "cannot delete message", bad, MODEM_EOTHER);
		return -1;
	}
	modem_ok(m);
	return 0;
}

/*
 * Fill sms as part seq of total of a reply to number.  Returns 0, or -1
 * after logging when text does not fit one part.
 */
static int
part_build(GSM_SMSMessage *sms, const GSM_SMSC *smsc, const char *number,
    bool ucs2, const char *text, int seq, int total, unsigned char ref)
{
	size_t	 max;
	int	 len;

	GSM_SetDefaultSMSData(sms);
	sms->PDU = SMS_Submit;
	sms->Class = -1;	/* the default 0 would be a flash SMS */
	sms->Coding = ucs2 ? SMS_Coding_Unicode_No_Compression :
	    SMS_Coding_Default_No_Compression;
	if (smsc != NULL) {
		sms->SMSC = *smsc;
		sms->SMSC.Location = 0;
	} else {
		/* Empty, not looked up: the modem's own SMSC. */
		memset(&sms->SMSC, 0, sizeof(sms->SMSC));
		sms->SMSC.Validity.Format = SMS_Validity_NotAvailable;
	}
	if (utf8_to_ucs2(number, sms->Number, MODEM_NUMBER_MAX) < 1) {
		log_warnx("cannot send: bad recipient");
		return -1;
	}
	if (ucs2)
		max = total > 1 ? 67 : 70;
	else
		max = total > 1 ? 153 : 160;
	if ((len = utf8_to_ucs2(text, sms->Text, max)) == -1) {
		log_warnx("cannot send: part %d of %d is longer than %zu "
		    "characters", seq, total, max);
		return -1;
	}
	sms->Length = len;
	if (total > 1) {
		sms->UDH.Type = UDH_ConcatenatedMessages;
		sms->UDH.Length = 6;
		sms->UDH.Text[0] = 0x05;	/* header length */
		sms->UDH.Text[1] = 0x00;	/* IEI: concatenated, 8 bit */
		sms->UDH.Text[2] = 0x03;	/* its length */
		sms->UDH.Text[3] = ref;
		sms->UDH.Text[4] = (unsigned char)total;
		sms->UDH.Text[5] = (unsigned char)seq;
		sms->UDH.ID8bit = ref;
		sms->UDH.ID16bit = -1;
		sms->UDH.PartNumber = seq;
		sms->UDH.AllParts = total;
	} else {
		sms->UDH.Type = UDH_NoUDH;
		sms->UDH.Length = 0;
	}
	return 0;
}

/* Wait for the status callback of the part just sent.  Returns 0 or -1. */
static int
send_wait(struct modem *m)
{
	int64_t	 deadline = now_ms() + SEND_WAIT_MS;
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	/* The dummy driver calls back inside GSM_SendSMS, if at all. */
	if (m->dummy && !m->send_done)
		return 0;
	while (!m->send_done && now_ms() < deadline)
		if (GSM_ReadDevice(m->sm, TRUE) <= 0)
			nanosleep(&ts, NULL);
	if (!m->send_done) {
		log_warnx("cannot send: no status from the modem");
		return -1;
	}
	if (m->send_status != 0) {
		log_warnx("cannot send: the network refused the message "
		    "(status %d)", m->send_status);
		return -1;
	}
	return 0;
}

static int sim_next(const char *);

/*
 * The dummy driver's next free number in its sent folder: the one after
 * the last filed, found again from the folder when unknown or taken.
 */
static int
sent_slot(struct modem *m)
{
	GSM_Config	*cfg = GSM_GetConfig(m->sm, 0);
	char		 box[PATH_MAX], path[PATH_MAX + 16];
	int		 tries;

	if (cfg == NULL || cfg->Device == NULL)
		return -1;
	snprintf(box, sizeof(box), "%s/sms/%d", cfg->Device, SIM_SENT);
	for (tries = 0; tries < 2; tries++) {
		if (m->sent_next <= 0 || m->sent_next >= DUMMY_SLOTS)
			m->sent_next = sim_next(box);
		if (m->sent_next <= 0)
			return -1;
		snprintf(path, sizeof(path), "%s/%d", box, m->sent_next);
		if (access(path, F_OK) == -1)
			return m->sent_next;
		m->sent_next = 0;	/* someone else wrote there */
	}
	return -1;
}

/*
 * The dummy driver: file the reply into the sent folder, like a handset,
 * all its parts in one smsbackup file (one entry, as the driver reads
 * it back).  Not GSM_AddSMS: it looks for a free number by opening
 * sent/1, sent/2, ... for every part, most of the gateway's time once
 * thousands were sent; the next number is kept in sent_slot() instead.
 */
static void
sent_file(struct modem *m, GSM_SMSMessage *sms, const GSM_SMSC *smsc,
    const char *recipient, bool ucs2, char *const *parts, size_t nparts,
    unsigned char ref)
{
	GSM_SMS_Backup	*bk;
	GSM_SMSMessage	*v;
	GSM_Config	*cfg = GSM_GetConfig(m->sm, 0);
	GSM_Error	 err;
	char		 path[PATH_MAX];
	size_t		 i;
	int		 slot;

	(void)sms;
	if (nparts > GSM_BACKUP_MAX_SMS || cfg == NULL || cfg->Device == NULL)
		return;
	if ((slot = sent_slot(m)) == -1) {
		log_warnx("cannot file the sent message: no free slot");
		return;
	}
	bk = calloc(1, sizeof(*bk));
	v = calloc(nparts, sizeof(*v));
	if (bk == NULL || v == NULL) {
		log_warn("cannot file the sent message");
		goto done;
	}
	for (i = 0; i < nparts; i++) {
		if (part_build(&v[i], smsc, recipient, ucs2, parts[i],
		    (int)i + 1, (int)nparts, ref) == -1)
			goto done;
		v[i].State = SMS_Sent;
		v[i].Folder = SIM_SENT;
		v[i].Location = slot;
		bk->SMS[i] = &v[i];
	}
	bk->SMS[nparts] = NULL;
	snprintf(path, sizeof(path), "%s/sms/%d/%d", cfg->Device, SIM_SENT,
	    slot);
	if ((err = GSM_AddSMSBackupFile(path, bk)) != ERR_NONE) {
		m->sent_next = 0;
		log_warnx("cannot file the sent message: %s",
		    GSM_ErrorString(err));
		goto done;
	}
	m->sent_next = slot + 1;
done:
	free(v);
	free(bk);
}

int
modem_send(struct modem *m, const char *recipient, bool ucs2,
    char *const *parts, size_t nparts)
{
	GSM_SMSMessage	*sms;
	GSM_Error	 err;
	const GSM_SMSC	*smsc;
	unsigned char	 ref;
	size_t		 i;

	if (nparts == 0 || nparts > MODEM_MAX_LOCS) {
		log_warnx("cannot send: %zu parts", nparts);
		m->lasterr = MODEM_EOTHER;
		return -1;
	}
	if (modem_connect(m) == -1)
		return -1;
	if (!m->smsc_ok) {
		memset(&m->smsc, 0, sizeof(m->smsc));
		m->smsc.Location = 1;
		err = GSM_GetSMSC(m->sm, &m->smsc);
		if (err == ERR_NONE)
			m->smsc_ok = true;
		else if (gammu_connerr(err)) {
			modem_fail(m, "cannot read the SMSC", err,
			    MODEM_EOTHER);
			return -1;
		} else
			log_debug("no SMSC from the phone (%s), using the "
			    "modem's default", GSM_ErrorString(err));
	}
	smsc = m->smsc_ok ? &m->smsc : NULL;
	if ((sms = calloc(1, sizeof(*sms))) == NULL) {
		log_warn("cannot send");
		m->lasterr = MODEM_EOTHER;
		return -1;
	}
	ref = m->ref++;
	for (i = 0; i < nparts; i++) {
		if (part_build(sms, smsc, recipient, ucs2, parts[i],
		    (int)i + 1, (int)nparts, ref) == -1) {
			m->lasterr = MODEM_EOTHER;
			goto fail;
		}
		m->send_done = false;
		m->send_status = -1;
		if ((err = GSM_SendSMS(m->sm, sms)) != ERR_NONE) {
			modem_fail(m, "cannot send", err, MODEM_ESEND);
			goto fail;
		}
		if (send_wait(m) == -1) {
			m->lasterr = MODEM_ESEND;
			goto fail;
		}
	}
	log_debug("sent %zu parts to %s", nparts, recipient);
	if (m->dummy)
		sent_file(m, sms, smsc, recipient, ucs2, parts, nparts, ref);
	free(sms);
	modem_ok(m);
	return 0;
fail:
	free(sms);
	return -1;
}

/* Whether err says the phone has no such command. */
static bool
gammu_unsupported(GSM_Error err)
{
	return err == ERR_NOTSUPPORTED || err == ERR_NOTIMPLEMENTED;
}

static enum modem_net
net_of(GSM_NetworkInfo_State st)
{
	switch (st) {
	case GSM_HomeNetwork:
		return MODEM_NET_HOME;
	case GSM_RoamingNetwork:
		return MODEM_NET_ROAMING;
	case GSM_RequestingNetwork:
		return MODEM_NET_SEARCHING;
	case GSM_NoNetwork:
		return MODEM_NET_NONE;
	case GSM_RegistrationDenied:
		return MODEM_NET_DENIED;
	case GSM_NetworkStatusUnknown:
		return MODEM_NET_UNKNOWN;
	}
	return MODEM_NET_UNKNOWN;
}

int
modem_health(struct modem *m, struct modem_health *out)
{
	GSM_SignalQuality sq;
	GSM_NetworkInfo	 ni;
	GSM_Error	 err;
	bool		 any = false;
	size_t		 n;

	memset(out, 0, sizeof(*out));
	out->signal_dbm = out->signal_pct = out->ber = -1;
	out->net = MODEM_NET_UNKNOWN;
	if (modem_connect(m) == -1)
		return -1;
	memset(&sq, 0, sizeof(sq));
	err = GSM_GetSignalQuality(m->sm, &sq);
	if (err == ERR_NONE) {
		out->signal_dbm = sq.SignalStrength;
		out->signal_pct = sq.SignalPercent;
		out->ber = sq.BitErrorRate;
		any = true;
	} else if (!gammu_unsupported(err)) {
		modem_fail(m, "cannot read the signal quality", err,
		    MODEM_EOTHER);
		if (m->sm == NULL)
			return -1;
	}
	memset(&ni, 0, sizeof(ni));
	err = GSM_GetNetworkInfo(m->sm, &ni);
	if (err == ERR_NONE) {
		out->net = net_of(ni.State);
		n = strnlen(ni.NetworkCode, sizeof(ni.NetworkCode));
		if (n >= sizeof(out->net_code))
			n = sizeof(out->net_code) - 1;
		memcpy(out->net_code, ni.NetworkCode, n);
		out->net_code[n] = '\0';
		number_to_utf8(ni.NetworkName, sizeof(ni.NetworkName),
		    out->net_name, sizeof(out->net_name));
		any = true;
	} else if (!gammu_unsupported(err)) {
		modem_fail(m, "cannot read the network registration", err,
		    MODEM_EOTHER);
		if (m->sm == NULL)
			return -1;
	}
	if (!any) {
		m->lasterr = MODEM_EOTHER;
		return -1;
	}
	modem_ok(m);
	return 0;
}

const char *
modem_net_name(enum modem_net net)
{
	switch (net) {
	case MODEM_NET_UNKNOWN:
		return "unknown";
	case MODEM_NET_HOME:
		return "home";
	case MODEM_NET_ROAMING:
		return "roaming";
	case MODEM_NET_SEARCHING:
		return "searching";
	case MODEM_NET_NONE:
		return "none";
	case MODEM_NET_DENIED:
		return "denied";
	}
	return "unknown";
}

/*
 * libGammu calls this from GSM_ReadDevice (from GSM_DialService itself
 * on the dummy driver, with the fixed text "Reply for CODE").  The first
 * answer counts; a network may send more (menus), they are ignored.
 */
static void
ussd_cb(GSM_StateMachine *sm, GSM_USSDMessage *ussd, void *arg)
{
	struct modem	*m = arg;
	size_t		 n;

	(void)sm;
	if (m->ussd_done)
		return;
	n = ucs2_len(ussd->Text, GSM_MAX_USSD_LENGTH);
	ucs2_to_utf8(ussd->Text, n, m->ussd_text);
	m->ussd_status = ussd->Status;
	m->ussd_done = true;
}

int
modem_ussd(struct modem *m, const char *code, char *reply, size_t replysz,
    int timeout_ms)
{
	struct timespec	 ts = { 0, 10 * 1000 * 1000 };
	GSM_Error	 err;
	int64_t		 deadline;
	char		*num;
	size_t		 len;

	if (replysz > 0)
		reply[0] = '\0';
	if (modem_connect(m) == -1)
		return -1;
	if ((num = strdup(code)) == NULL) {
		log_warn("cannot dial '%s'", code);
		m->lasterr = MODEM_EOTHER;
		return -1;
	}
	m->ussd_done = false;
	m->ussd_text[0] = '\0';
	GSM_SetIncomingUSSDCallback(m->sm, ussd_cb, m);
	if ((err = GSM_SetIncomingUSSD(m->sm, TRUE)) != ERR_NONE) {
		free(num);
		modem_fail(m, "cannot enable USSD answers", err, MODEM_EOTHER);
		return -1;
	}
	err = GSM_DialService(m->sm, num);
	free(num);
	if (err != ERR_NONE) {
		(void)GSM_SetIncomingUSSD(m->sm, FALSE);
		modem_fail(m, "cannot dial the USSD code", err, MODEM_EOTHER);
		return -1;
	}
	deadline = now_ms() + timeout_ms;
	while (!m->ussd_done && now_ms() < deadline)
		if (GSM_ReadDevice(m->sm, TRUE) <= 0)
			nanosleep(&ts, NULL);
	(void)GSM_SetIncomingUSSD(m->sm, FALSE);
	if (!m->ussd_done) {
		log_warnx("no answer to USSD '%s' within %d s", code,
		    timeout_ms / 1000);
		m->lasterr = MODEM_EOTHER;
		return -1;
	}
	if (m->ussd_status == USSD_NotSupported ||
	    m->ussd_status == USSD_Timeout) {
		log_warnx("USSD '%s' %s", code, m->ussd_status ==
		    USSD_Timeout ? "timed out" : "not supported by the "
		    "network");
		m->lasterr = MODEM_EOTHER;
		return -1;
	}
	len = strlen(m->ussd_text);
	if (replysz > 0) {
		if (len >= replysz) {
			len = replysz - 1;
			while (len > 0 && ((unsigned char)m->ussd_text[len] &
			    0xc0) == 0x80)
				len--;
		}
		memcpy(reply, m->ussd_text, len);
		reply[len] = '\0';
	}
	modem_ok(m);
	return 0;
}

/* Take the next byte of a fuzzer's input, 0 when it ran out. */
static unsigned char
fz_byte(const unsigned char **p, const unsigned char *end)
{
	return *p < end ? *(*p)++ : 0;
}

int
modem_reassemble(const unsigned char *data, size_t len,
    struct modem_msg **msgs, size_t *n)
{
	static const char *const senders[] = {
		"+77011234567", "+77019876543", "BEELINE", "1414"
	};
	GSM_MultiSMSMessage **in, **linked = NULL;
	GSM_SMSMessage	*sms;
	struct modem	 m;
	struct msgvec	 vec = { NULL, 0, 0 };
	const unsigned char *p = data, *end = data + len;
	unsigned char	 flags, k;
	size_t		 ne = 0, i, j, units;
	int		 rc;

	*msgs = NULL;
	*n = 0;
	if ((in = calloc(POLL_MAX + 1, sizeof(*in))) == NULL)
		return -1;
	while (p < end && ne < POLL_MAX) {
		if ((in[ne] = calloc(1, sizeof(**in))) == NULL)
			goto fail;
		flags = fz_byte(&p, end);
		/* Mostly one part an entry, as phones store them. */
		in[ne]->Number = (flags & 0xc0) == 0xc0 ? 1 + (flags & 3) : 1;
		for (j = 0; j < (size_t)in[ne]->Number; j++) {
			sms = &in[ne]->SMS[j];
			GSM_SetDefaultSMSData(sms);
			sms->PDU = SMS_Deliver;
			sms->State = SMS_UnRead;
			sms->Folder = 1;
			sms->Location = (int)(1 + ne * 4 + j);
			(void)utf8_to_ucs2(senders[(flags >> 2) & 3],
			    sms->Number, MODEM_NUMBER_MAX);
			sms->DateTime.Year = 2026;
			sms->DateTime.Month = 1;
			sms->DateTime.Day = 1 + fz_byte(&p, end) % 28;
			k = fz_byte(&p, end) % (GSM_MAX_UDH_LENGTH + 1);
			sms->UDH.Length = k;
			for (i = 0; i < k; i++)
				sms->UDH.Text[i] = fz_byte(&p, end);
			if (k > 0)
				GSM_DecodeUDHHeader(GSM_GetGlobalDebug(),
				    &sms->UDH);
			else
				sms->UDH.Type = UDH_NoUDH;
			k = fz_byte(&p, end);
			sms->Coding = k & 1 ? SMS_Coding_8bit : k & 2 ?
			    SMS_Coding_Default_No_Compression :
			    SMS_Coding_Unicode_No_Compression;
			sms->Class = (k >> 2) % 5 - 1;
			units = fz_byte(&p, end) % (PART_UNITS + 1);
			sms->Length = (int)units;
			for (i = 0; i < 2 * units && p < end; i++)
				sms->Text[i] = fz_byte(&p, end);
		}
		ne++;
	}
	if (entries_link(GSM_GetGlobalDebug(), in, &linked) != ERR_NONE)
		return -1;	/* in is freed */
	memset(&m, 0, sizeof(m));
	m.mp_timeout = 0;	/* every incomplete message is due */
	rc = linked_collect(&m, &vec, linked, now_ms());
	entries_free(linked);
	if (rc == -1) {
		msgs_clear(&vec);
		return -1;
	}
	if (vec.n > 1)
		qsort(vec.v, vec.n, sizeof(*vec.v), msg_cmp);
	*msgs = vec.v;
	*n = vec.n;
	return 0;
fail:
	entries_free(in);
	return -1;
}

void
modem_reset(struct modem *m)
{
	modem_disconnect(m);
	m->backoff_ms = 0;
	m->retry_at = 0;
	m->lasterr = MODEM_ENOTCONN;
}

enum modem_err
modem_lasterr(const struct modem *m)
{
	return m->lasterr;
}

const char *
modem_strerror(enum modem_err err)
{
	switch (err) {
	case MODEM_OK:
		return "no error";
	case MODEM_ENOTCONN:
		return "modem not connected";
	case MODEM_ESEND:
		return "message refused";
	case MODEM_EFULL:
		return "phone memory full";
	case MODEM_EOTHER:
		return "modem error";
	}
	return "unknown modem error";
}

void
modem_msgs_free(struct modem_msg *msgs, size_t n)
{
	size_t	 i;

	if (msgs == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(msgs[i].text);
		free(msgs[i].locs);
	}
	free(msgs);
}

void
modem_close(struct modem *m)
{
	if (m == NULL)
		return;
	modem_disconnect(m);
	free(m->gammurc);
	free(m->device);
	free(m->connection);
	free(m->model);
	free(m);
}

/*
 * The simulated phone.
 */

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
sim_inbox(const char *dir, char *box, size_t boxsz)
{
	int	 len;

	len = snprintf(box, boxsz, "%s/sms", dir);
	if (len < 0 || (size_t)len >= boxsz - 3) {
		log_warnx("path too long: '%s'", dir);
		return -1;
	}
	if (mkdir_one(dir) == -1 || mkdir_one(box) == -1)
		return -1;
	snprintf(box + len, boxsz - len, "/%d", SIM_INBOX);
	return mkdir_one(box);
}

/* The number after the highest in box, or the lowest free one. */
static int
sim_next(const char *box)
{
	DIR		*d;
	struct dirent	*de;
	char		 path[PATH_MAX];
	char		*end;
	long		 v, max = 0;
	int		 i;

	if ((d = opendir(box)) == NULL)
		return 1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		errno = 0;
		v = strtol(de->d_name, &end, 10);
		if (errno == 0 && *end == '\0' && v > max &&
		    v < DUMMY_SLOTS)
			max = v;
	}
	closedir(d);
	if (max + 1 < DUMMY_SLOTS)
		return (int)max + 1;
	/* Later numbers are never read: fill a gap. */
	for (i = 1; i < DUMMY_SLOTS; i++) {
		snprintf(path, sizeof(path), "%s/%d", box, i);
		if (access(path, F_OK) == -1)
			return i;
	}
	return -1;
}

/*
 * Move the finished file tmp into box under the next free number,
 * never replacing a file.  Returns 0 or -1; tmp is gone either way.
 */
static int
sim_publish(const char *tmp, const char *box)
{
	char	 path[PATH_MAX];
	int	 i, num;

	for (i = 0; i < 100; i++) {
		if ((num = sim_next(box)) == -1) {
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
sim_write_part(FILE *fp, const unsigned char *num, size_t numunits,
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
	    "Class = -1\n\n", SIM_INBOX, units);
}

/*
 * Create a temporary file in box for writing; its path goes to tmp.
 * Returns the stream or NULL after logging.
 */
static FILE *
sim_tmp(const char *box, char *tmp, size_t tmpsz)
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
sim_finish(FILE *fp, const char *tmp, const char *box)
{
	if (ferror(fp) | fclose(fp)) {
		log_warn("cannot write '%s'", tmp);
		unlink(tmp);
		return -1;
	}
	return sim_publish(tmp, box);
}

int
modem_sim_inject(const char *dir, const char *sender, char *const *parts,
    size_t nparts, int ref)
{
	unsigned char	 num[2 * (MODEM_NUMBER_MAX + 1)];
	unsigned char	 text[2 * (SIM_PART_UNITS + 1)];
	char		 box[PATH_MAX], tmp[PATH_MAX];
	FILE		*fp;
	size_t		 i;
	int		 numunits, units;

	if (nparts == 0 || nparts > MODEM_MAX_LOCS) {
		log_warnx("cannot inject %zu parts", nparts);
		return -1;
	}
	if (strlen(sender) >= MODEM_NUMBER_MAX ||
	    (numunits = utf8_to_ucs2(sender, num, MODEM_NUMBER_MAX)) < 1) {
		log_warnx("cannot inject: bad sender");
		return -1;
	}
	for (i = 0; i < nparts; i++)
		if (utf8_to_ucs2(parts[i], text, SIM_PART_UNITS) == -1) {
			log_warnx("cannot inject: part %zu is longer than %d "
			    "UTF-16 units", i + 1, SIM_PART_UNITS);
			return -1;
		}
	if (sim_inbox(dir, box, sizeof(box)) == -1)
		return -1;
	for (i = 0; i < nparts; i++) {
		units = utf8_to_ucs2(parts[i], text, SIM_PART_UNITS);
		if ((fp = sim_tmp(box, tmp, sizeof(tmp))) == NULL)
			return -1;
		sim_write_part(fp, num, (size_t)numunits, sender, text,
		    (size_t)units, (int)i + 1, (int)nparts, ref & 0xff);
		if (sim_finish(fp, tmp, box) == -1)
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
sim_value_ok(const char *line)
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
		return vlen <= 2 * GSM_MAX_UDH_LENGTH;
	if (klen > 7 && strncasecmp(line + klen - 7, "Unicode", 7) == 0)
		return vlen <= 4 * GSM_MAX_NUMBER_LENGTH;
	if ((klen == 6 && strncasecmp(line, "Number", 6) == 0) ||
	    (klen == 4 && strncasecmp(line, "SMSC", 4) == 0) ||
	    (klen == 4 && strncasecmp(line, "Name", 4) == 0))
		return vlen <= GSM_MAX_NUMBER_LENGTH;
	return true;
}

int
modem_sim_inject_file(const char *dir, const char *path)
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
		} else if (!sim_value_ok(line)) {
			log_warnx("cannot inject '%s': a value overflows "
			    "libGammu's reader", path);
			rc = -1;
			break;
		}
	if (rc == 0 && ferror(in)) {
		log_warn("cannot read '%s'", path);
		rc = -1;
	}
	if (rc == -1 || sim_inbox(dir, box, sizeof(box)) == -1 ||
	    (fp = sim_tmp(box, tmp, sizeof(tmp))) == NULL) {
		fclose(in);
		return -1;
	}
	rewind(in);
	while (fgets(line, sizeof(line), in) != NULL)
		fputs(line, fp);
	fclose(in);
	return sim_finish(fp, tmp, box);
}

/* Append the reply of parts[0..n) (sorted) to the array. */
static int
sent_add(struct modem_sent **v, size_t *nv, size_t *cap,
    const struct part *parts, size_t n)
{
	struct modem_sent *s, *nn;
	size_t		 i, c;
	int		 min = INT32_MAX;

	if (*nv == *cap) {
		c = *cap ? *cap * 2 : 8;
		if ((nn = reallocarray(*v, c, sizeof(*nn))) == NULL)
			return -1;
		*v = nn;
		*cap = c;
	}
	s = &(*v)[*nv];
	memset(s, 0, sizeof(*s));
	number_to_utf8(parts[0].sms->Number, sizeof(parts[0].sms->Number),
	    s->recipient, sizeof(s->recipient));
	if ((s->text = parts_text(parts, n)) == NULL)
		return -1;
	s->nparts = n;
	s->ucs2 = parts[0].sms->Coding == SMS_Coding_Unicode_No_Compression;
	for (i = 0; i < n; i++)
		if (parts[i].sms->Location < min)
			min = parts[i].sms->Location;
	snprintf(s->file, sizeof(s->file), "%d", min % DUMMY_SLOTS);
	(*nv)++;
	return 0;
}

static int
sent_cmp(const void *a, const void *b)
{
	const struct modem_sent *sa = a, *sb = b;
	long	 la, lb;

	la = strtol(sa->file, NULL, 10);
	lb = strtol(sb->file, NULL, 10);
	return la < lb ? -1 : la > lb;
}

/*
 * Replies in linked entries l: whole ones only, since the parts of a
 * reply are filed one after the other.
 */
static int
sent_collect(GSM_MultiSMSMessage **l, struct modem_sent **v, size_t *nv)
{
	struct part	*one;
	size_t		 i, k, cnt, cap = 0;
	int		 rc = 0;

	if ((one = calloc(GSM_MAX_MULTI_SMS, sizeof(*one))) == NULL)
		return -1;
	for (i = 0; l[i] != NULL && rc == 0; i++) {
		cnt = l[i]->Number;
		if (cnt == 0 || cnt > GSM_MAX_MULTI_SMS)
			continue;
		for (k = 0; k < cnt; k++)
			part_init(&one[k], &l[i]->SMS[k]);
		if (one[0].seq != 0) {
			qsort(one, cnt, sizeof(*one), part_cmp);
			if (!parts_complete(one, cnt))
				continue;
		}
		rc = sent_add(v, nv, &cap, one, cnt);
	}
	free(one);
	return rc;
}

int
modem_sim_sent(const char *dir, struct modem_sent **out, size_t *n)
{
	GSM_StateMachine *sm;
	GSM_MultiSMSMessage **in = NULL, **linked = NULL;
	struct modem_sent *v = NULL;
	GSM_Error	 err;
	struct stat	 sb;
	size_t		 nv = 0, skipped;
	bool		 dummy;

	*out = NULL;
	*n = 0;
	/* Gammu would call a missing folder a permission problem. */
	if (stat(dir, &sb) == -1) {
		log_warn("cannot open the simulated phone '%s'", dir);
		return -1;
	}
	err = sm_open(&sm, NULL, 0, dir, "none", "dummy", &dummy);
	if (err != ERR_NONE) {
		log_warnx("cannot open the simulated phone '%s': %s", dir,
		    GSM_ErrorString(err));
		return -1;
	}
	err = entries_read(sm, keep_sent, 0, SENT_MAX, &in, &skipped);
	if (err == ERR_NONE)
		err = entries_link(GSM_GetDebug(sm), in, &linked);
	if (err != ERR_NONE) {
		log_warnx("cannot read the sent folder of '%s': %s", dir,
		    GSM_ErrorString(err));
		sm_close(sm);
		return -1;
	}
	if (sent_collect(linked, &v, &nv) == -1) {
		log_warnx("cannot read the sent folder: out of memory");
		entries_free(linked);
		modem_sent_free(v, nv);
		sm_close(sm);
		return -1;
	}
	entries_free(linked);
	sm_close(sm);
	if (nv > 1)
		qsort(v, nv, sizeof(*v), sent_cmp);
	*out = v;
	*n = nv;
	return 0;
}

void
modem_sent_free(struct modem_sent *v, size_t n)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i].text);
	free(v);
}
