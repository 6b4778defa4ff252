/*
 * modem.c - the libGammu adapter, the only file that includes <gammu.h>.
 * Connects lazily and reconnects with exponential backoff, reads every
 * inbound SMS the way gammu-smsd does (GSM_GetNextSMS over all folders)
 * and turns each part into a multipart.c part, which reassembles them
 * (as GSM_LinkSMS would) and holds incomplete ones back until
 * multipart_timeout; decodes UTF-16 with utf8.c (Gammu's own helpers
 * depend on the locale); sends replies part by part with a
 * concatenation header and waits for the send status; USSD, signal,
 * network, SIM and PIN.
 *
 * Gammu's dummy driver (model dummy, connection none, device a folder)
 * is the simulated phone of the tests and the demo (simphone.c writes
 * into it): DIR/sms/N/M are smsbackup files, folder 1 the SIM inbox and
 * 4 the phone's sent items.  Its GSM_SendSMS writes nothing, so after a
 * send on the dummy driver the parts are also filed into folder 4,
 * where modem_dummy_sent() finds them.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
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
#include "multipart.h"
#include "utf8.h"

#define BACKOFF_MIN_MS	1000
#define BACKOFF_MAX_MS	60000
#define SEND_WAIT_MS	30000	/* for the status of one part */
#define INIT_REPLIES	2	/* GSM_InitConnection attempts */
#define POLL_MAX	64	/* phone entries per poll */
#define SENT_MAX	256	/* entries modem_dummy_sent() reads */
#define SCAN_MAX	4096	/* GSM_GetNextSMS calls per pass */
#define STEP_MAX	32	/* stepped-over entries reported, once each */
#define READ_FAILS	3	/* polls in a row reading nothing but errors,
				   then the session is reopened */
#define WHY_MAX		160	/* why the modem fails, for "habar status" */
#define DROP_MAX	16	/* status reports deleted per poll */
#define MP_TIMEOUT	600	/* default multipart_timeout */
#define PART_UNITS	(GSM_MAX_SMS_LENGTH)	/* UTF-16 units in one part */

/* What modem.h says of libGammu, checked. */
_Static_assert(MODEM_UDH_MAX == GSM_MAX_UDH_LENGTH, "MODEM_UDH_MAX");
_Static_assert(MODEM_NUMBER_UNITS == GSM_MAX_NUMBER_LENGTH,
    "MODEM_NUMBER_UNITS");

/*
 * An entry the scan stepped over (unreadable, or not an SMS): where the
 * driver's cursor was, and why.  Reported once while it stays there.
 */
struct step {
	int		 folder;
	int		 location;
	bool		 not_sms;	/* read, but holds no message */
	GSM_Error	 err;		/* else why it could not be read */
	bool		 used;
	bool		 seen;		/* in the pass under way */
};

struct modem {
	char		*gammurc;
	int		 section;
	char		*device;
	char		*connection;
	char		*model;
	int		 mp_timeout;
	char		*pin;		/* wiped when freed */
	enum modem_sim	 sim;
	GSM_Error	 link_err;	/* why the last connection failed */
	dev_t		 rdev;		/* the device connected to, or 0 */
	pthread_mutex_t	 sm_lock;	/* sm's lifetime, for modem_abort() */
	atomic_bool	 aborted;	/* by modem_abort(), until reconnected */

	GSM_StateMachine *sm;		/* NULL while disconnected */
	bool		 dummy;
	enum modem_err	 lasterr;
	int		 backoff_ms;	/* 0 after a working command */
	int64_t		 retry_at;	/* monotonic ms */
	bool		 down_logged;
	int		 read_fails;	/* polls in a row that only failed */
	char		 why[WHY_MAX];	/* why it fails (modem_state()), or "" */
	struct step	 steps[STEP_MAX];	/* reported */
	size_t		 nsteps;	/* stepped over in the last full pass */

	bool		 smsc_ok;
	GSM_SMSC	 smsc;		/* the phone's, cached per connection */
	unsigned char	 ref;		/* concatenation reference */
	volatile bool	 send_done;	/* set by the status callback */
	volatile int	 send_status;

	GSM_MultiSMSMessage *entry;	/* read buffer, or NULL before one */
	bool		 more;		/* the last poll stopped at POLL_MAX */
	size_t		 held;		/* entries it held back, incomplete */
	struct multipart_timers timers;	/* of incomplete messages */
	int		 sent_next;	/* dummy: next free sent file */

	/* A USSD dialled and not answered yet; the callback's answer. */
	bool		 ussd_pending;
	char		 ussd_code[MODEM_USSD_CODE_MAX];
	volatile bool	 ussd_done;
	int		 ussd_status;
	char		 ussd_text[3 * GSM_MAX_USSD_LENGTH + 1];
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
	len = utf8_from_utf16be(num, n, buf);
	len = utf8_cut(buf, len, dstsz - 1);
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
	case ERR_ABORTED:	/* by modem_abort(): the line hung */
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
	GSM_StateMachine *sm = m->sm;

	pthread_mutex_lock(&m->sm_lock);
	m->sm = NULL;
	pthread_mutex_unlock(&m->sm_lock);
	sm_close(sm);
	m->smsc_ok = false;
	m->ussd_pending = false;	/* its answer went with the link */
}

/* A new SIM state: logged once, in words a person can act on. */
static void
sim_set(struct modem *m, enum modem_sim sim)
{
	if (sim == m->sim)
		return;
	m->sim = sim;
	switch (sim) {
	case MODEM_SIM_UNKNOWN:
	case MODEM_SIM_READY:
		break;
	case MODEM_SIM_PIN:
		log_warnx("the SIM asks for its PIN: set modem.pin or "
		    "modem.pin_file, then restart habard");
		break;
	case MODEM_SIM_PIN_REFUSED:
		log_warnx("the SIM refused the PIN: not trying again (three "
		    "wrong PINs lock it); correct modem.pin, then restart "
		    "habard");
		break;
	case MODEM_SIM_PUK:
		log_warnx("the SIM is locked and needs its PUK: unlock it in "
		    "a phone");
		break;
	case MODEM_SIM_ABSENT:
		log_warnx("the modem reports no SIM: check that it is in and "
		    "seated");
		break;
	}
}

/*
 * Ask the SIM whether it wants its PIN, and enter the configured one,
 * once ever (see enum modem_sim).  Returns 0 when the SIM can be used
 * (or the phone cannot say), -1 when it cannot.
 */
static int
sim_unlock(struct modem *m)
{
	GSM_SecurityCodeType st;
	GSM_SecurityCode code;
	GSM_Error	 err;

	if (m->dummy)
		return 0;
	err = GSM_GetSecurityStatus(m->sm, &st);
	if (err == ERR_NOSIM) {
		sim_set(m, MODEM_SIM_ABSENT);
		return -1;
	}
	if (err != ERR_NONE) {
		log_debug("cannot ask the SIM for its PIN state: %s",
		    GSM_ErrorString(err));
		return gammu_connerr(err) ? -1 : 0;
	}
	switch (st) {
	case SEC_None:
		sim_set(m, MODEM_SIM_READY);
		return 0;
	case SEC_Pin:
		break;
	case SEC_Puk:
	case SEC_Puk2:
		sim_set(m, MODEM_SIM_PUK);
		return -1;
	case SEC_SecurityCode:
	case SEC_Pin2:
	case SEC_Phone:
	case SEC_Network:
		log_debug("the phone asks for security code %d", (int)st);
		return 0;
	}
	if (m->pin == NULL) {
		sim_set(m, MODEM_SIM_PIN);
		return -1;
	}
	memset(&code, 0, sizeof(code));
	code.Type = SEC_Pin;
	snprintf(code.Code, sizeof(code.Code), "%s", m->pin);
	err = GSM_EnterSecurityCode(m->sm, &code);
	explicit_bzero(&code, sizeof(code));
	/*
	 * Any failure counts as a refusal: after a time-out nobody knows
	 * whether the SIM counted a try.
	 */
	if (err != ERR_NONE) {
		log_debug("entering the PIN: %s", GSM_ErrorString(err));
		sim_set(m, MODEM_SIM_PIN_REFUSED);
		return -1;
	}
	log_info("SIM PIN entered");
	sim_set(m, MODEM_SIM_READY);
	return 0;
}

static void	 modem_fail(struct modem *, const char *, GSM_Error,
		    enum modem_err);

/*
 * Whether the device connected to is gone or replaced (a USB modem
 * unplugged, a pty closed): libGammu would wait out every command's
 * time-out on the dead line first, a minute or more per poll.
 */
static bool
link_gone(struct modem *m)
{
	GSM_Config	*cfg;
	struct stat	 sb;

	if (m->rdev == 0 || (cfg = GSM_GetConfig(m->sm, 0)) == NULL ||
	    cfg->Device == NULL)
		return false;
	return stat(cfg->Device, &sb) == -1 || sb.st_rdev != m->rdev;
}

/* Connect unless connected or backing off.  Returns 0 or -1. */
static int
modem_connect(struct modem *m)
{
	GSM_StateMachine *sm;
	GSM_Config	*cfg;
	struct stat	 sb;
	GSM_Error	 err;

	if (m->sm != NULL && link_gone(m))
		modem_fail(m, "the modem's device went away",
		    ERR_DEVICENOTEXIST, MODEM_EOTHER);
	if (m->sm != NULL)
		return 0;
	if (m->retry_at != 0 && now_ms() < m->retry_at) {
		m->lasterr = MODEM_ENOTCONN;
		return -1;
	}
	/* A refused PIN waits for a person: nothing more is sent. */
	if (m->sim == MODEM_SIM_PIN_REFUSED) {
		snprintf(m->why, sizeof(m->why), "the SIM cannot be used: %s",
		    modem_sim_name(m->sim));
		m->lasterr = MODEM_ENOTCONN;
		return -1;
	}
	err = sm_open(&sm, m->gammurc, m->section, m->device,
	    m->connection, m->model, &m->dummy);
	pthread_mutex_lock(&m->sm_lock);
	m->sm = sm;
	atomic_store(&m->aborted, false);
	pthread_mutex_unlock(&m->sm_lock);
	m->link_err = err;
	if (err != ERR_NONE) {
		snprintf(m->why, sizeof(m->why), "cannot connect: %s",
		    GSM_ErrorString(err));
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
	if (sim_unlock(m) == -1) {
		snprintf(m->why, sizeof(m->why), "the SIM cannot be used: %s",
		    modem_sim_name(m->sim));
		modem_disconnect(m);
		modem_backoff(m);
		m->lasterr = MODEM_ENOTCONN;
		return -1;
	}
	m->rdev = 0;
	if (!m->dummy && (cfg = GSM_GetConfig(m->sm, 0)) != NULL &&
	    cfg->Device != NULL && stat(cfg->Device, &sb) == 0)
		m->rdev = sb.st_rdev;
	log_info("modem connected%s", m->dummy ? " (simulated phone)" : "");
	m->down_logged = false;
	m->retry_at = 0;
	return 0;
}

/*
 * A command worked: the line is good, forget the backoff, unless reading
 * messages still fails (see reads_failed()).
 */
static void
modem_ok(struct modem *m)
{
	if (m->read_fails == 0)
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
		snprintf(m->why, sizeof(m->why), "%s: %s; reconnecting", what,
		    GSM_ErrorString(err));
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
 * Reading and grouping.  Each phone entry is read into one reused
 * GSM_MultiSMSMessage (260 KB: room for 50 parts) and copied out at once
 * as compact parts, so a poll holds one such buffer however many entries
 * it reads.  Parts are grouped here rather than by GSM_LinkSMS, which
 * needs a GSM_MultiSMSMessage per entry and per message, loops forever
 * on a part numbered 0, overflows a stack buffer on a crafted 8-bit
 * "//SEO" message and reads past user UDHs.
 */

/* One pass over the phone's entries. */
struct scan {
	bool		(*keep)(const GSM_MultiSMSMessage *);
	int		 stop;		/* dummy: end at this folder, or 0 */
	size_t		 max;		/* entries kept at most */
	size_t		 avail;		/* dummy: entries there, or SIZE_MAX */
	size_t		 read;		/* OUT: entries read */
	size_t		 stepped;	/* OUT: entries stepped over */
	struct step	 steps[STEP_MAX];	/* OUT: the first of them */
	bool		 stuck;		/* OUT: stopped by a failure that
					   left the cursor where it was */
	bool		 full;		/* OUT: stopped at max */
	bool		 reports;	/* collect status reports into drop */
	int		 drop[DROP_MAX];	/* OUT: their locations */
	size_t		 ndrop;		/* OUT */
};

static bool
keep_inbound(const GSM_MultiSMSMessage *sms)
{
	return sms->Number > 0 && sms->SMS[0].PDU == SMS_Deliver &&
	    (sms->SMS[0].State == SMS_Read || sms->SMS[0].State == SMS_UnRead);
}

static bool
keep_sent(const GSM_MultiSMSMessage *sms)
{
	return sms->Number > 0 && sms->SMS[0].Folder == MODEM_DUMMY_SENT &&
	    sms->SMS[0].PDU == SMS_Submit;
}

/*
 * Copy what matters of sms into p: the sender, the concatenation element
 * of its UDH, read within the header's stated length (libGammu's own
 * parser reads past it), and the text of 7-bit and UCS-2 parts only.
 * Returns 0 or -1 (out of memory).
 */
static int
part_init(struct multipart_part *p, const GSM_SMSMessage *sms)
{
	char	 sender[MODEM_NUMBER_MAX];
	size_t	 k, udhlen = 0;

	number_to_utf8(sms->Number, sizeof(sms->Number), sender,
	    sizeof(sender));
	if (sms->UDH.Type != UDH_NoUDH && sms->UDH.Length > 0)
		udhlen = (size_t)sms->UDH.Length < sizeof(sms->UDH.Text) ?
		    (size_t)sms->UDH.Length : sizeof(sms->UDH.Text);
	multipart_part_init(p, sender, sms->UDH.Text, udhlen);
	p->folder = sms->Folder;
	p->location = sms->Location;
	p->sent_at = datetime_to_time(&sms->DateTime);
	p->ucs2 = sms->Coding == SMS_Coding_Unicode_No_Compression;
	if (sms->Coding != SMS_Coding_Unicode_No_Compression &&
	    sms->Coding != SMS_Coding_Default_No_Compression)
		return 0;
	k = ucs2_len(sms->Text, PART_UNITS);
	if (sms->Length >= 0 && (size_t)sms->Length < k)
		k = sms->Length;
	if (k == 0)
		return 0;
	if ((p->text = malloc(2 * k)) == NULL)
		return -1;
	memcpy(p->text, sms->Text, 2 * k);
	p->units = k;
	return 0;
}

/* Append the parts of entry e to pv.  Returns 0 or -1 (out of memory). */
static int
partvec_add(struct multipart_vec *pv, const GSM_MultiSMSMessage *e)
{
	struct multipart_part parts[GSM_MAX_MULTI_SMS];
	size_t		 k, cnt = (size_t)e->Number;

	for (k = 0; k < cnt; k++)
		if (part_init(&parts[k], &e->SMS[k]) == -1) {
			while (k-- > 0)
				free(parts[k].text);
			return -1;
		}
	return multipart_add(pv, parts, cnt);
}

/* Note an entry the scan steps over, where cur's cursor is. */
static void
step_add(struct scan *sc, const GSM_MultiSMSMessage *cur, GSM_Error err)
{
	struct step	*st;

	if (sc->stepped++ >= STEP_MAX)
		return;
	st = &sc->steps[sc->stepped - 1];
	memset(st, 0, sizeof(*st));
	st->folder = cur->SMS[0].Folder;
	st->location = cur->SMS[0].Location;
	st->not_sms = err == ERR_NONE;
	st->err = err;
}

/*
 * Read the phone's entries for which sc->keep holds, at most sc->max,
 * through the buffer cur into pv; with sc->stop > 0, end at folder stop
 * (the dummy driver reads folders in order, and its sent items need not
 * be parsed on every poll).  No entry stops the scan: one the driver
 * cannot read (a corrupt file, a PDU it cannot parse) or that holds no
 * message (a calendar or GPRS-point backup filed among the dummy
 * driver's messages) is stepped over and noted in sc->steps, and a
 * location emptied since the driver listed it (+CMS ERROR: 321) is
 * passed by unnoted.  A failure that leaves the driver's cursor where
 * it was has nothing to step over: that is the session failing, and
 * the scan stops there with sc->stuck set.  Returns ERR_NONE, or the
 * error that stopped the scan; pv holds what was read either way.
 */
static GSM_Error
entries_read(GSM_StateMachine *sm, GSM_MultiSMSMessage *cur,
    struct scan *sc, struct multipart_vec *pv)
{
	GSM_Error	 err = ERR_NONE;
	size_t		 calls;
	gboolean	 start = TRUE;
	bool		 own = false;
	int		 folder, location;

	sc->read = 0;
	sc->stepped = 0;
	sc->stuck = false;
	sc->full = false;
	sc->ndrop = 0;
	/* Not all of it: the drivers fill the parts they return. */
	cur->Number = 0;
	memset(&cur->SMS[0], 0, sizeof(cur->SMS[0]));
	for (calls = 0; calls < SCAN_MAX && calls < sc->avail; calls++) {
		if (pv->entries >= sc->max) {
			sc->full = true;
			log_debug("read the first %zu messages only", sc->max);
			break;
		}
		/*
		 * As gammu-smsd: flat locations, folder 0.  After an entry
		 * that held no message, the driver's own cursor instead:
		 * only a message read gives a flat location.
		 */
		if (!own)
			cur->SMS[0].Folder = 0;
		folder = cur->SMS[0].Folder;
		location = cur->SMS[0].Location;
		err = GSM_GetNextSMS(sm, cur, start);
		start = FALSE;
		if (err == ERR_EMPTY) {
			err = ERR_NONE;
			break;
		}
		if (err == ERR_MOREMEMORY || gammu_connerr(err))
			break;
		if (err != ERR_NONE && cur->SMS[0].Folder == folder &&
		    cur->SMS[0].Location == location) {
			log_debug("reading the phone's entries: %s",
			    GSM_ErrorString(err));
			sc->stuck = true;
			break;
		}
		if (sc->stop > 0 && cur->SMS[0].Folder >= sc->stop) {
			err = ERR_NONE;
			break;
		}
		own = err != ERR_NONE || cur->Number < 1;
		if (err == ERR_INVALIDLOCATION) {
			err = ERR_NONE;
			continue;
		}
		if (err != ERR_NONE || cur->Number < 1 ||
		    cur->Number > GSM_MAX_MULTI_SMS) {
			step_add(sc, cur, err);
			err = ERR_NONE;
			continue;
		}
		sc->read++;
		/* Nobody reads them: on a SIM they would fill it. */
		if (sc->reports && cur->SMS[0].PDU == SMS_Status_Report &&
		    sc->ndrop < DROP_MAX)
			sc->drop[sc->ndrop++] = cur->SMS[0].Location;
		if (!sc->keep(cur))
			continue;
		if (partvec_add(pv, cur) == -1) {
			err = ERR_MOREMEMORY;
			break;
		}
	}
	return err;
}

static size_t	 dummy_count(const char *, int);

/*
 * The dummy driver, before a poll.  A vanished folder reads as an empty
 * phone there, where a real line reports an error: make it report one.
 * And the scan stops after the entries its inbound folders hold, rather
 * than have the driver open every number up to 10,000 in each folder.
 * Returns 0 or -1.
 */
static int
sim_poll_prepare(struct modem *m, struct scan *sc)
{
	GSM_Config	*cfg = GSM_GetConfig(m->sm, 0);
	struct stat	 sb;

	sc->stop = MODEM_DUMMY_SENT;
	if (cfg == NULL || cfg->Device == NULL)
		return 0;
	if (stat(cfg->Device, &sb) == -1 || !S_ISDIR(sb.st_mode)) {
		modem_fail(m, "cannot read messages", ERR_DEVICENOTEXIST,
		    MODEM_EOTHER);
		return -1;
	}
	sc->avail = dummy_count(cfg->Device, MODEM_DUMMY_SENT - 1);
	return 0;
}

/*
 * Delete the status reports a poll found: nothing answers them, and on
 * a SIM they take the slots new messages need.  A failure is logged at
 * debug level only; the next poll tries again.
 */
static void
reports_delete(struct modem *m, const struct scan *sc)
{
	GSM_SMSMessage	*sms;
	GSM_Error	 err;
	size_t		 i;

	if (sc->ndrop == 0 || (sms = calloc(1, sizeof(*sms))) == NULL)
		return;
	for (i = 0; i < sc->ndrop && m->sm != NULL; i++) {
		memset(sms, 0, sizeof(*sms));
		sms->Folder = 0;
		sms->Location = sc->drop[i];
		err = GSM_DeleteSMS(m->sm, sms);
		if (err != ERR_NONE && err != ERR_EMPTY)
			log_debug("cannot delete a status report: %s",
			    GSM_ErrorString(err));
	}
	log_debug("deleted %zu status report(s)", sc->ndrop);
	free(sms);
}

/* Where a stepped-over entry is, in words an operator can look up. */
static void
step_where(const struct step *st, char *buf, size_t bufsz)
{
	if (st->folder > 0)	/* the simulated phone: DIR/sms/F/N */
		snprintf(buf, bufsz, "file sms/%d/%d", st->folder,
		    st->location % MODEM_DUMMY_SLOTS);
	else
		snprintf(buf, bufsz, "location %d", st->location);
}

/*
 * Report the entries a pass stepped over, each once while it stays on
 * the phone: its place and why, never its content.  After a complete
 * pass, entries no longer there are forgotten and the count is kept
 * for modem_state().
 */
static void
steps_report(struct modem *m, const struct scan *sc, bool complete)
{
	const struct step *st;
	struct step	*slot;
	char		 where[64];
	size_t		 i, j, n;

	n = sc->stepped < STEP_MAX ? sc->stepped : STEP_MAX;
	for (j = 0; j < STEP_MAX; j++)
		m->steps[j].seen = false;
	for (i = 0; i < n; i++) {
		st = &sc->steps[i];
		slot = NULL;
		for (j = 0; j < STEP_MAX; j++) {
			if (!m->steps[j].used) {
				if (slot == NULL)
					slot = &m->steps[j];
			} else if (m->steps[j].folder == st->folder &&
			    m->steps[j].location == st->location)
				break;
		}
		if (j < STEP_MAX) {
			m->steps[j].seen = true;
			continue;
		}
		step_where(st, where, sizeof(where));
		if (slot == NULL)	/* too many to remember: no flood */
			log_debug("stepped over the entry at %s", where);
		else if (st->not_sms)
			log_warnx("stepped over the phone's entry at %s: not "
			    "an SMS; it stays on the phone", where);
		else
			log_warnx("stepped over the phone's entry at %s: "
			    "cannot be read (%s); it stays on the phone",
			    where, GSM_ErrorString(st->err));
		if (slot != NULL) {
			*slot = *st;
			slot->used = slot->seen = true;
		}
	}
	if (sc->stepped > n)
		log_debug("stepped over %zu entries", sc->stepped);
	if (!complete)
		return;
	for (j = 0; j < STEP_MAX; j++)
		if (!m->steps[j].seen)
			m->steps[j].used = false;
	m->nsteps = sc->stepped;
}

/*
 * A poll read nothing but errors, err the last.  READ_FAILS such polls
 * in a row mean the session has gone astray (a modem that answers OK to
 * commands the driver should not have sent leaves libGammu's AT driver
 * unable to list the SIM, say): close it and reopen it on the backoff
 * schedule, as after a lost line.  While reading keeps failing after
 * that, every failing poll reopens it, and the backoff grows.
 */
static void
reads_failed(struct modem *m, GSM_Error err)
{
	if (m->read_fails < INT_MAX)
		m->read_fails++;
	m->lasterr = MODEM_EOTHER;
	snprintf(m->why, sizeof(m->why), "cannot read messages (%s)",
	    GSM_ErrorString(err));
	if (m->read_fails < READ_FAILS)
		return;
	if (m->read_fails == READ_FAILS)
		log_warnx("cannot read messages %d polls in a row (%s): "
		    "reconnecting", READ_FAILS, GSM_ErrorString(err));
	else
		log_debug("still cannot read messages after reconnecting "
		    "(%s)", GSM_ErrorString(err));
	snprintf(m->why, sizeof(m->why), "cannot read messages %d polls in "
	    "a row (%s); reconnecting", m->read_fails, GSM_ErrorString(err));
	modem_disconnect(m);
	m->down_logged = true;
	modem_backoff(m);
	m->lasterr = MODEM_ENOTCONN;
}

/* A pass over the phone completed: reading works. */
static void
reads_work(struct modem *m)
{
	if (m->read_fails >= READ_FAILS)
		log_info("reading messages again after %d failed polls",
		    m->read_fails);
	m->read_fails = 0;
	m->why[0] = '\0';
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
	pthread_mutex_init(&m->sm_lock, NULL);
	if (dupstr(&m->gammurc, conf->gammurc) == -1 ||
	    dupstr(&m->device, conf->device) == -1 ||
	    dupstr(&m->connection, conf->connection) == -1 ||
	    dupstr(&m->model, conf->model) == -1) {
		log_warn("modem");
		modem_close(m);
		return NULL;
	}
	if (conf->pin != NULL && (m->pin = strdup(conf->pin)) == NULL) {
		log_warn("modem");
		modem_close(m);
		return NULL;
	}
	if (conf->pin != NULL && conf->pin_refused) {
		log_warnx("the SIM refused this PIN before and it has not been "
		    "changed since: not trying it again; correct modem.pin, "
		    "then restart habard");
		m->sim = MODEM_SIM_PIN_REFUSED;
	}
	m->section = conf->section;
	m->mp_timeout = conf->multipart_timeout > 0 ?
	    conf->multipart_timeout : MP_TIMEOUT;
	m->ref = (unsigned char)(time(NULL) ^ getpid());
	m->lasterr = MODEM_OK;
	return m;
}

int
modem_poll(struct modem *m, struct multipart_msg **msgs, size_t *n)
{
	struct multipart_vec pv;
	struct multipart_msg *v;
	struct scan	 sc;
	GSM_Error	 err;
	size_t		 i, nv, held;
	int		 rc;

	*msgs = NULL;
	*n = 0;
	m->more = false;
	if (modem_connect(m) == -1)
		return -1;
	memset(&sc, 0, sizeof(sc));
	sc.keep = keep_inbound;
	sc.reports = !m->dummy;
	/*
	 * Parts held back for their missing ones do not count: else a
	 * phone whose first entries are all such parts would show nothing
	 * else until they time out.
	 */
	sc.max = POLL_MAX + (m->held < SCAN_MAX ? m->held : SCAN_MAX);
	sc.avail = SIZE_MAX;
	if (m->dummy && sim_poll_prepare(m, &sc) == -1)
		return -1;
	if (m->entry == NULL && (m->entry = malloc(sizeof(*m->entry))) ==
	    NULL) {
		log_warn("cannot read messages");
		m->lasterr = MODEM_EOTHER;
		return -1;
	}
	memset(&pv, 0, sizeof(pv));
	err = entries_read(m->sm, m->entry, &sc, &pv);
	if (sc.stuck && sc.read == 0) {
		multipart_vec_free(&pv);
		reads_failed(m, err);
		return -1;
	}
	if (err != ERR_NONE && !sc.stuck) {
		multipart_vec_free(&pv);
		modem_fail(m, "cannot read messages", err, MODEM_EOTHER);
		return -1;
	}
	/* Stuck after some entries: answer them, read the rest later. */
	if (!sc.stuck)
		reads_work(m);
	steps_report(m, &sc, !sc.stuck && !sc.full);
	reports_delete(m, &sc);
	rc = multipart_collect(&pv, &m->timers, m->mp_timeout, now_ms(), &v,
	    &nv, &held);
	multipart_vec_free(&pv);
	if (rc == -1) {
		log_warnx("cannot reassemble messages: out of memory");
		m->lasterr = MODEM_EOTHER;
		return -1;
	}
	for (i = 0; i < nv; i++)
		log_debug("message from %s, %zu parts%s", v[i].sender,
		    v[i].nlocs, v[i].incomplete ? ", incomplete" : "");
	modem_ok(m);
	m->more = sc.full && nv > 0;
	m->held = held;
	*msgs = v;
	*n = nv;
	return 0;
}

bool
modem_more(const struct modem *m)
{
	return m->more;
}

int
modem_delete(struct modem *m, const struct multipart_msg *msg)
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
	if (utf8_to_utf16be(number, sms->Number, MODEM_NUMBER_MAX) < 1) {
		log_warnx("cannot send: bad recipient");
		return -1;
	}
	if (ucs2)
		max = total > 1 ? 67 : 70;
	else
		max = total > 1 ? 153 : 160;
	if ((len = utf8_to_utf16be(text, sms->Text, max)) == -1) {
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
	while (!m->send_done && now_ms() < deadline) {
		/* A line gone or hung: no status will ever come. */
		if (atomic_load(&m->aborted) || link_gone(m)) {
			modem_fail(m, "cannot send: the line to the modem went "
			    "away", atomic_load(&m->aborted) ? ERR_ABORTED :
			    ERR_DEVICENOTEXIST, MODEM_ESEND);
			return -1;
		}
		if (GSM_ReadDevice(m->sm, TRUE) <= 0)
			nanosleep(&ts, NULL);
	}
	m->lasterr = MODEM_ESEND;
	if (!m->send_done) {
		log_warnx("cannot send: no status from the modem");
		return -1;
	}
	if (m->send_status != 0) {
		log_warnx("cannot send: the network refused the message "
		    "(status %d)", m->send_status);
		return -1;
	}
	m->lasterr = MODEM_OK;
	return 0;
}

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
	snprintf(box, sizeof(box), "%s/sms/%d", cfg->Device, MODEM_DUMMY_SENT);
	for (tries = 0; tries < 2; tries++) {
		if (m->sent_next <= 0 || m->sent_next >= MODEM_DUMMY_SLOTS)
			m->sent_next = modem_dummy_next(box);
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
 * The dummy driver: file the reply of parts v[0..nparts) into the sent
 * folder, like a handset, all in one smsbackup file (one entry, as the
 * driver reads it back).  Not GSM_AddSMS: it looks for a free number by
 * opening sent/1, sent/2, ... for every part, most of the gateway's time
 * once thousands were sent; the next number is kept in sent_slot()
 * instead.
 */
static void
sent_file(struct modem *m, GSM_SMSMessage *v, size_t nparts)
{
	GSM_SMS_Backup	*bk;
	GSM_Config	*cfg = GSM_GetConfig(m->sm, 0);
	GSM_Error	 err;
	char		 path[PATH_MAX];
	size_t		 i;
	int		 slot;

	if (nparts > GSM_BACKUP_MAX_SMS || cfg == NULL || cfg->Device == NULL)
		return;
	if ((slot = sent_slot(m)) == -1) {
		log_warnx("cannot file the sent message: no free slot");
		return;
	}
	/*
	 * Not calloc: libGammu reads the 800 KB of pointers up to the
	 * first NULL only, and clearing them all would make them resident.
	 */
	if ((bk = malloc(sizeof(*bk))) == NULL) {
		log_warn("cannot file the sent message");
		return;
	}
	for (i = 0; i < nparts; i++) {
		v[i].State = SMS_Sent;
		v[i].Folder = MODEM_DUMMY_SENT;
		v[i].Location = slot;
		bk->SMS[i] = &v[i];
	}
	bk->SMS[nparts] = NULL;
	snprintf(path, sizeof(path), "%s/sms/%d/%d", cfg->Device,
	    MODEM_DUMMY_SENT, slot);
	if ((err = GSM_AddSMSBackupFile(path, bk)) != ERR_NONE) {
		m->sent_next = 0;
		log_warnx("cannot file the sent message: %s",
		    GSM_ErrorString(err));
	} else
		m->sent_next = slot + 1;
	free(bk);
}

/*
 * The phone's SMSC, asked once per connection, into *smsc; NULL there
 * for the modem's own when the phone has none to give.  Returns 0, or
 * -1 when the line is gone.
 */
static int
smsc_get(struct modem *m, const GSM_SMSC **smsc)
{
	GSM_Error	 err;

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
	*smsc = m->smsc_ok ? &m->smsc : NULL;
	return 0;
}

/* Send one part and wait for its status.  Returns 0 or -1. */
static int
send_part(struct modem *m, GSM_SMSMessage *sms)
{
	GSM_Error	 err;

	m->send_done = false;
	m->send_status = -1;
	if ((err = GSM_SendSMS(m->sm, sms)) != ERR_NONE) {
		modem_fail(m, "cannot send", err, MODEM_ESEND);
		return -1;
	}
	if (send_wait(m) == -1)
		return -1;	/* lasterr set */
	return 0;
}

int
modem_send(struct modem *m, const char *recipient, bool ucs2,
    char *const *parts, size_t nparts)
{
	GSM_SMSMessage	*v;
	const GSM_SMSC	*smsc;
	unsigned char	 ref;
	size_t		 i;

	if (nparts == 0 || nparts > MODEM_MAX_LOCS) {
		log_warnx("cannot send: %zu parts", nparts);
		m->lasterr = MODEM_EOTHER;
		return -1;
	}
	if (modem_connect(m) == -1 || smsc_get(m, &smsc) == -1)
		return -1;
	if ((v = calloc(nparts, sizeof(*v))) == NULL) {
		log_warn("cannot send");
		m->lasterr = MODEM_EOTHER;
		return -1;
	}
	/* All parts built before the first goes out: none is too long. */
	ref = m->ref++;
	for (i = 0; i < nparts; i++)
		if (part_build(&v[i], smsc, recipient, ucs2, parts[i],
		    (int)i + 1, (int)nparts, ref) == -1) {
			m->lasterr = MODEM_EOTHER;
			goto fail;
		}
	for (i = 0; i < nparts; i++)
		if (send_part(m, &v[i]) == -1)
			goto fail;
	log_debug("sent %zu parts to %s", nparts, recipient);
	if (m->dummy)
		sent_file(m, v, nparts);
	free(v);
	modem_ok(m);
	return 0;
fail:
	free(v);
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
	utf8_from_utf16be(ussd->Text, n, m->ussd_text);
	m->ussd_status = ussd->Status;
	m->ussd_done = true;
}

int
modem_ussd_start(struct modem *m, const char *code)
{
	GSM_Error	 err;
	char		*num;

	if (m->ussd_pending)
		modem_ussd_cancel(m);
	if (modem_connect(m) == -1)
		return -1;
	if (strlen(code) >= sizeof(m->ussd_code) ||
	    (num = strdup(code)) == NULL) {
		log_warnx("cannot dial '%s': too long, or out of memory",
		    code);
		m->lasterr = MODEM_EOTHER;
		return -1;
	}
	snprintf(m->ussd_code, sizeof(m->ussd_code), "%s", code);
	m->ussd_done = false;
	m->ussd_text[0] = '\0';
	GSM_SetIncomingUSSDCallback(m->sm, ussd_cb, m);
	if ((err = GSM_SetIncomingUSSD(m->sm, TRUE)) != ERR_NONE) {
		free(num);
		modem_fail(m, "cannot enable USSD answers", err, MODEM_EOTHER);
		return -1;
	}
	/* The answer comes later, through the callback. */
	m->ussd_pending = true;
	err = GSM_DialService(m->sm, num);
	free(num);
	if (err != ERR_NONE) {
		modem_ussd_cancel(m);
		modem_fail(m, "cannot dial the USSD code", err, MODEM_EOTHER);
		return -1;
	}
	return 0;
}

void
modem_ussd_cancel(struct modem *m)
{
	if (!m->ussd_pending)
		return;
	m->ussd_pending = false;
	if (m->sm != NULL)
		(void)GSM_SetIncomingUSSD(m->sm, FALSE);
}

int
modem_ussd_poll(struct modem *m, char *reply, size_t replysz)
{
	size_t	 len;

	if (replysz > 0)
		reply[0] = '\0';
	if (!m->ussd_pending) {
		log_warnx("no USSD answer to wait for: the modem went away");
		return -1;
	}
	/* Answers also come in while other commands run; else read now. */
	if (!m->ussd_done)
		(void)GSM_ReadDevice(m->sm, FALSE);
	if (!m->ussd_done)
		return 0;
	modem_ussd_cancel(m);
	if (m->ussd_status == USSD_NotSupported ||
	    m->ussd_status == USSD_Timeout) {
		log_warnx("USSD '%s' %s", m->ussd_code, m->ussd_status ==
		    USSD_Timeout ? "timed out" : "not supported by the "
		    "network");
		m->lasterr = MODEM_EOTHER;
		return -1;
	}
	len = strlen(m->ussd_text);
	if (replysz > 0) {
		len = utf8_cut(m->ussd_text, len, replysz - 1);
		memcpy(reply, m->ussd_text, len);
		reply[len] = '\0';
	}
	modem_ok(m);
	return 1;
}

void
modem_abort(struct modem *m)
{
	pthread_mutex_lock(&m->sm_lock);
	if (m->sm != NULL) {
		atomic_store(&m->aborted, true);
		(void)GSM_AbortOperation(m->sm);
	}
	pthread_mutex_unlock(&m->sm_lock);
}

void
modem_reset(struct modem *m)
{
	modem_disconnect(m);
	m->backoff_ms = 0;
	m->retry_at = 0;
	m->lasterr = MODEM_ENOTCONN;
}

enum modem_sim
modem_sim(const struct modem *m)
{
	return m->sim;
}

const char *
modem_sim_name(enum modem_sim sim)
{
	switch (sim) {
	case MODEM_SIM_UNKNOWN:
		return "unknown";
	case MODEM_SIM_READY:
		return "ready";
	case MODEM_SIM_PIN:
		return "asks for its PIN, none configured";
	case MODEM_SIM_PIN_REFUSED:
		return "refused the PIN, waiting for a person";
	case MODEM_SIM_PUK:
		return "locked, needs its PUK";
	case MODEM_SIM_ABSENT:
		return "missing";
	}
	return "unknown";
}

enum modem_link
modem_probe(struct modem *m, char *why, size_t whysz)
{
	if (whysz > 0)
		why[0] = '\0';
	m->retry_at = 0;
	m->link_err = ERR_NONE;
	if (modem_connect(m) == 0)
		return MODEM_LINK_OK;
	if (m->link_err == ERR_NONE) {
		snprintf(why, whysz, "the SIM %s", modem_sim_name(m->sim));
		return MODEM_LINK_SIM;
	}
	snprintf(why, whysz, "%s", GSM_ErrorString(m->link_err));
	switch (m->link_err) {
	case ERR_DEVICENOTEXIST:
		return MODEM_LINK_NODEV;
	case ERR_DEVICENOPERMISSION:
		return MODEM_LINK_PERM;
	case ERR_DEVICEOPENERROR:
	case ERR_DEVICELOCKED:
	case ERR_DEVICEBUSY:
		return MODEM_LINK_BUSY;
	case ERR_TIMEOUT:
	case ERR_UNKNOWNRESPONSE:
	case ERR_UNKNOWN:
	case ERR_NOTCONNECTED:
		return MODEM_LINK_SILENT;
	case ERR_UNKNOWNCONNECTIONTYPESTRING:
	case ERR_UNKNOWNMODELSTRING:
	case ERR_NONE_SECTION:
	case ERR_FILENOTEXIST:
	case ERR_USING_DEFAULTS:
		return MODEM_LINK_CONFIG;
	default:
		return MODEM_LINK_OTHER;
	}
}

int
modem_device(const struct modem_conf *conf, char *path, size_t pathsz)
{
	GSM_StateMachine *sm;
	GSM_Config	*cfg;
	GSM_Error	 err;

	if ((sm = GSM_AllocStateMachine()) == NULL) {
		log_warnx("modem: out of memory");
		return -1;
	}
	err = sm_config(sm, conf->gammurc, conf->section, conf->device,
	    conf->connection, conf->model);
	cfg = GSM_GetConfig(sm, 0);
	if (err != ERR_NONE || cfg == NULL || cfg->Device == NULL ||
	    cfg->Device[0] == '\0') {
		log_warnx("the modem configuration names no device%s%s",
		    err != ERR_NONE ? ": " : "",
		    err != ERR_NONE ? GSM_ErrorString(err) : "");
		GSM_FreeStateMachine(sm);
		return -1;
	}
	snprintf(path, pathsz, "%s", cfg->Device);
	GSM_FreeStateMachine(sm);
	return 0;
}

/* Copy a NUL-ended answer of the library into dst, printable only. */
static void
text_copy(char *dst, size_t dstsz, const char *src)
{
	size_t	 i, j;

	for (i = j = 0; src[i] != '\0' && j + 1 < dstsz; i++)
		if ((unsigned char)src[i] >= 0x20 && src[i] != 0x7f)
			dst[j++] = src[i];
	dst[j] = '\0';
}

int
modem_ident(struct modem *m, struct modem_ident *out)
{
	char		 v[GSM_MAX_VERSION_LENGTH + GSM_MAX_MODEL_LENGTH +
			    GSM_MAX_MANUFACTURER_LENGTH + GSM_MAX_IMEI_LENGTH +
			    4];
	char		 date[GSM_MAX_VERSION_DATE_LENGTH + 1];
	double		 num;
	size_t		 n;

	memset(out, 0, sizeof(*out));
	if (modem_connect(m) == -1)
		return -1;
	memset(v, 0, sizeof(v));
	if (GSM_GetManufacturer(m->sm, v) == ERR_NONE)
		text_copy(out->manufacturer, sizeof(out->manufacturer), v);
	memset(v, 0, sizeof(v));
	if (GSM_GetModel(m->sm, v) == ERR_NONE)
		text_copy(out->model, sizeof(out->model), v);
	memset(v, 0, sizeof(v));
	if (GSM_GetFirmware(m->sm, v, date, &num) == ERR_NONE)
		text_copy(out->firmware, sizeof(out->firmware), v);
	memset(v, 0, sizeof(v));
	if (GSM_GetIMEI(m->sm, v) == ERR_NONE && (n = strlen(v)) > 0)
		text_copy(out->imei_tail, sizeof(out->imei_tail),
		    v + (n > 4 ? n - 4 : 0));
	explicit_bzero(v, sizeof(v));
	modem_ok(m);
	return 0;
}

int
modem_smsc(struct modem *m, char *number, size_t numbersz)
{
	GSM_SMSC	 smsc;
	GSM_Error	 err;

	if (numbersz > 0)
		number[0] = '\0';
	if (modem_connect(m) == -1)
		return -1;
	memset(&smsc, 0, sizeof(smsc));
	smsc.Location = 1;
	if ((err = GSM_GetSMSC(m->sm, &smsc)) != ERR_NONE) {
		log_debug("no SMSC from the modem: %s", GSM_ErrorString(err));
		return -1;
	}
	number_to_utf8(smsc.Number, sizeof(smsc.Number), number, numbersz);
	return number[0] != '\0' ? 0 : -1;
}

int
modem_storage(struct modem *m, int *used, int *total)
{
	GSM_SMSMemoryStatus st;
	GSM_Error	 err;

	*used = *total = 0;
	if (modem_connect(m) == -1)
		return -1;
	memset(&st, 0, sizeof(st));
	if ((err = GSM_GetSMSStatus(m->sm, &st)) != ERR_NONE) {
		log_debug("no SMS storage figures: %s", GSM_ErrorString(err));
		return -1;
	}
	*used = st.SIMUsed;
	*total = st.SIMSize;
	return 0;
}

void
modem_state(const struct modem *m, char *buf, size_t bufsz)
{
	if (m->why[0] != '\0')
		snprintf(buf, bufsz, "failing: %s", m->why);
	else if (m->nsteps > 0)
		snprintf(buf, bufsz, "working; %zu entr%s stepped over (not "
		    "SMS or unreadable, left on the phone)", m->nsteps,
		    m->nsteps == 1 ? "y" : "ies");
	else
		snprintf(buf, bufsz, "working");
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
modem_close(struct modem *m)
{
	if (m == NULL)
		return;
	modem_disconnect(m);
	free(m->entry);
	multipart_timers_free(&m->timers);
	free(m->gammurc);
	free(m->device);
	free(m->connection);
	free(m->model);
	if (m->pin != NULL) {
		explicit_bzero(m->pin, strlen(m->pin));
		free(m->pin);
	}
	pthread_mutex_destroy(&m->sm_lock);
	free(m);
}

/*
 * The dummy driver's folders (the simulated phone): DIR/sms/F/N.
 */

/*
 * The numbered files in the dummy driver's folder box: how many into *n,
 * the highest below MODEM_DUMMY_SLOTS into *max.  Returns 0, or -1 when
 * box cannot be read.
 */
static int
dummy_files(const char *box, size_t *n, long *max)
{
	DIR		*d;
	struct dirent	*de;
	char		*end;
	long		 v;

	*n = 0;
	*max = 0;
	if ((d = opendir(box)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		errno = 0;
		v = strtol(de->d_name, &end, 10);
		/* The driver reads numbers 1 to MODEM_DUMMY_SLOTS. */
		if (errno != 0 || *end != '\0' || v < 1 ||
		    v > MODEM_DUMMY_SLOTS)
			continue;
		(*n)++;
		if (v < MODEM_DUMMY_SLOTS && v > *max)
			*max = v;
	}
	closedir(d);
	return 0;
}

/*
 * How many entries the dummy driver's folders 1 to last hold, or
 * SIZE_MAX when that cannot be told.  It finds them by opening every
 * number in each folder in turn, 50,000 failed opens on an empty phone:
 * a scan that knows how many there are stops after the last.  A count
 * too high, as with a file added meanwhile, costs only those opens.
 */
static size_t
dummy_count(const char *dev, int last)
{
	char	 box[PATH_MAX];
	size_t	 n, total = 0;
	long	 max;
	int	 f;

	for (f = 1; f <= last; f++) {
		snprintf(box, sizeof(box), "%s/sms/%d", dev, f);
		if (dummy_files(box, &n, &max) == -1)
			return SIZE_MAX;
		total += n;
	}
	return total;
}

int
modem_dummy_next(const char *box)
{
	char	 path[PATH_MAX + 16];
	size_t	 n;
	long	 max;
	int	 i;

	if (dummy_files(box, &n, &max) == -1)
		return 1;
	if (max + 1 < MODEM_DUMMY_SLOTS)
		return (int)max + 1;
	/* Later numbers are never read: fill a gap. */
	for (i = 1; i < MODEM_DUMMY_SLOTS; i++) {
		snprintf(path, sizeof(path), "%s/%d", box, i);
		if (access(path, F_OK) == -1)
			return i;
	}
	return -1;
}

int
modem_dummy_sent(const char *dir, struct multipart_vec *pv)
{
	GSM_StateMachine *sm;
	GSM_MultiSMSMessage *cur;
	struct scan	 sc;
	GSM_Error	 err;
	struct stat	 sb;
	bool		 dummy;

	memset(pv, 0, sizeof(*pv));
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
	if ((cur = malloc(sizeof(*cur))) == NULL)
		err = ERR_MOREMEMORY;
	else {
		memset(&sc, 0, sizeof(sc));
		sc.keep = keep_sent;
		sc.max = SENT_MAX;
		sc.avail = dummy_count(dir, MODEM_DUMMY_SENT);
		err = entries_read(sm, cur, &sc, pv);
		free(cur);
	}
	sm_close(sm);
	if (err != ERR_NONE) {
		log_warnx("cannot read the sent folder of '%s': %s", dir,
		    GSM_ErrorString(err));
		multipart_vec_free(pv);
		return -1;
	}
	return 0;
}
