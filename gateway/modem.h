/*
 * modem.h - the GSM modem through libGammu: connect, poll inbound SMS
 * (reassembled by multipart.c), delete them, send replies, reconnect
 * with backoff; the dummy driver's folders for the simulated phone
 * (simphone.c).  The only module that includes <gammu.h>; no SQL, no
 * content.
 */
#ifndef HABAR_MODEM_H
#define HABAR_MODEM_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "multipart.h"

#define MODEM_NUMBER_MAX	MULTIPART_NUMBER_MAX	/* bytes, with NUL */
#define MODEM_MAX_LOCS		MULTIPART_MAX_LOCS	/* parts of a message */

struct modem_conf {
	const char	*gammurc;	/* path to a gammurc, or NULL */
	int		 section;	/* its [gammuN] section */
	const char	*device;	/* inline instead of a gammurc */
	const char	*connection;
	const char	*model;
	int		 multipart_timeout;	/* seconds to wait for parts */
	const char	*pin;		/* the SIM's PIN, or NULL */
	bool		 pin_refused;	/* refused before: never enter it */
};

enum modem_err {
	MODEM_OK,
	MODEM_ENOTCONN,		/* not connected; reconnect pending */
	MODEM_ESEND,		/* the network refused the message */
	MODEM_EFULL,		/* phone memory full */
	MODEM_EOTHER
};

struct modem;

/*
 * The SIM as the modem last reported it.  A PIN is entered once, when
 * the SIM asks for it: after a refusal it is never entered again by
 * this struct modem (three wrong PINs lock the SIM to its PUK), and no
 * command is sent any more.  While the SIM asks for a PIN that is not
 * configured, needs its PUK or is missing, the modem is treated as not
 * connected (MODEM_ENOTCONN) and asked again on the backoff schedule.
 */
enum modem_sim {
	MODEM_SIM_UNKNOWN,	/* not asked yet, or the phone cannot say */
	MODEM_SIM_READY,
	MODEM_SIM_PIN,		/* asks for its PIN, none configured */
	MODEM_SIM_PIN_REFUSED,	/* refused the configured PIN */
	MODEM_SIM_PUK,		/* locked: needs its PUK */
	MODEM_SIM_ABSENT	/* no SIM, or not seated */
};

/*
 * Prepare a modem from conf (strings copied).  Does not connect yet:
 * modem_poll and modem_send connect on demand, with backoff after a
 * failure.  Returns NULL after logging why.  Free with modem_close().
 */
struct modem	*modem_open(const struct modem_conf *)
		    __attribute__((warn_unused_result));

/*
 * Read every complete message on the phone (and incomplete ones whose
 * first part is older than multipart_timeout) into a new array *msgs of
 * *n messages, which the caller frees with multipart_msgs_free().  Messages
 * stay on the phone until modem_delete().  An entry that is no SMS or
 * cannot be read is stepped over, reported once with its place (never
 * its content) and left on the phone.  A poll that reads nothing but
 * errors returns -1; after 3 in a row the connection is closed and
 * reopened on the backoff schedule (MODEM_ENOTCONN).  Returns 0 or -1.
 */
int		 modem_poll(struct modem *, struct multipart_msg **msgs,
		    size_t *n)
		    __attribute__((warn_unused_result));

/*
 * Whether the last modem_poll() stopped at its limit with messages to
 * show: more may be waiting, to be polled for without a pause.
 */
bool		 modem_more(const struct modem *);

/* Delete every part of msg from the phone.  Returns 0 or -1. */
int		 modem_delete(struct modem *, const struct multipart_msg *msg)
		    __attribute__((warn_unused_result));

/*
 * Send one reply of nparts parts (UTF-8 each) to recipient as one
 * concatenated SMS, UCS-2 when ucs2 is set, else GSM-7.  The parts are
 * sent as given (the caller already cut them).  Returns 0 or -1; the
 * cause is in modem_lasterr().
 */
int		 modem_send(struct modem *, const char *recipient, bool ucs2,
		    char *const *parts, size_t nparts)
		    __attribute__((warn_unused_result));

/* Network registration, as the modem reports it. */
enum modem_net {
	MODEM_NET_UNKNOWN,
	MODEM_NET_HOME,
	MODEM_NET_ROAMING,
	MODEM_NET_SEARCHING,	/* looking for or asking for a network */
	MODEM_NET_NONE,		/* no network */
	MODEM_NET_DENIED	/* registration denied: SIM blocked */
};

/* The modem's health: figures only, never a number. */
struct modem_health {
	int		 signal_dbm;	/* -1 when unknown */
	int		 signal_pct;	/* 0..100, -1 when unknown */
	int		 ber;		/* bit error rate, %, -1 unknown */
	enum modem_net	 net;
	char		 net_code[16];	/* "401 01": MCC MNC, or "" */
	char		 net_name[64];	/* UTF-8, or "" */
};

/*
 * Ask the modem for its signal quality and network registration into
 * *out.  Returns 0, or -1 when neither could be read (the cause in
 * modem_lasterr()).
 */
int		 modem_health(struct modem *, struct modem_health *out)
		    __attribute__((warn_unused_result));

/* "home", "roaming", "searching", "none", "denied" or "unknown". */
const char	*modem_net_name(enum modem_net);

/*
 * Dial the USSD code (e.g. "*100#", shorter than MODEM_USSD_CODE_MAX)
 * without waiting: the network's answer, which may take half a minute,
 * is taken by modem_ussd_poll() while messages keep flowing.  Dialling
 * again drops the answer still awaited.  Returns 0, or -1 after logging
 * why.
 */
#define MODEM_USSD_CODE_MAX	40
int		 modem_ussd_start(struct modem *, const char *code)
		    __attribute__((warn_unused_result));

/*
 * The answer to the USSD dialled last: 1 with it in reply (UTF-8, cut to
 * replysz bytes at a character boundary); 0 while it has not come; -1
 * when the network refused or gave up, or nothing is awaited any more
 * (the modem was reopened), logged.  Only 0 keeps the wait going.
 */
int		 modem_ussd_poll(struct modem *, char *reply, size_t replysz)
		    __attribute__((warn_unused_result));

/* Stop waiting for the answer to the USSD dialled last. */
void		 modem_ussd_cancel(struct modem *);

/*
 * Drop the connection at once, without a backoff: a watchdog found a
 * command hung.  The next call reconnects.
 */
void		 modem_reset(struct modem *);

/*
 * Make the command under way fail at once (libGammu's abort flag): for
 * a watchdog thread, while the main thread is inside libGammu waiting
 * out time-outs on a dead line.  The connection is then reopened.
 */
void		 modem_abort(struct modem *);

enum modem_sim	 modem_sim(const struct modem *);

/* The SIM state in plain words, for "habar status" and the doctor. */
const char	*modem_sim_name(enum modem_sim);

/*
 * For "habar doctor".  Why a connection could not be made.
 */
enum modem_link {
	MODEM_LINK_OK,
	MODEM_LINK_NODEV,	/* no such device */
	MODEM_LINK_PERM,	/* permission denied */
	MODEM_LINK_BUSY,	/* locked or held by another program */
	MODEM_LINK_SILENT,	/* opened, but no answer to AT commands */
	MODEM_LINK_CONFIG,	/* the configuration names no usable modem */
	MODEM_LINK_SIM,		/* connected; the SIM stops it (modem_sim) */
	MODEM_LINK_OTHER
};

/*
 * Connect now, whatever the backoff says, and say why not: the
 * library's own words go into why (whysz bytes).
 */
enum modem_link	 modem_probe(struct modem *, char *why, size_t whysz);

/*
 * The device the configuration conf names (the gammurc's, when it has
 * one), into path of pathsz bytes.  Returns 0, or -1 after logging.
 */
int		 modem_device(const struct modem_conf *conf, char *path,
		    size_t pathsz)
		    __attribute__((warn_unused_result));

/* Who the modem says it is.  Never the full IMEI: its last 4 digits. */
struct modem_ident {
	char	 manufacturer[64];
	char	 model[64];
	char	 firmware[64];
	char	 imei_tail[8];
};

/* Ask the connected modem who it is into *out.  Returns 0 or -1. */
int		 modem_ident(struct modem *, struct modem_ident *out)
		    __attribute__((warn_unused_result));

/*
 * The SMS centre number the SIM holds into number (numbersz bytes).
 * Returns 0, or -1 when the modem has none or cannot say (logged at
 * debug level).
 */
int		 modem_smsc(struct modem *, char *number, size_t numbersz)
		    __attribute__((warn_unused_result));

/*
 * SMS storage of the SIM: *used of *total slots.  Returns 0 or -1.
 */
int		 modem_storage(struct modem *, int *used, int *total)
		    __attribute__((warn_unused_result));

/*
 * How the modem works, in words for "habar status", into buf: "working",
 * "working; N entries stepped over (...)" when the phone holds entries
 * that are no SMS or cannot be read, or "failing: " and why (cannot
 * connect, the line gone, reading failing: see modem_poll()), until a
 * poll reads the phone again.
 */
void		 modem_state(const struct modem *, char *buf, size_t bufsz);

enum modem_err	 modem_lasterr(const struct modem *);
const char	*modem_strerror(enum modem_err);
void		 modem_close(struct modem *);

/*
 * Gammu's dummy driver, the simulated phone of the tests and the demo
 * (simphone.c writes into it): DIR/sms/F/N are smsbackup files, folder
 * F at location F * MODEM_DUMMY_SLOTS + N.  The daemon files what it
 * sends on the dummy driver into the sent folder.
 */
#define MODEM_DUMMY_SLOTS	10000	/* file numbers 1..this a folder */
#define MODEM_DUMMY_INBOX	1	/* the SIM inbox */
#define MODEM_DUMMY_SENT	4	/* the phone's sent items */
/* libGammu's limits, as its smsbackup reader copies without checking. */
#define MODEM_UDH_MAX		140	/* bytes of a UDH */
#define MODEM_NUMBER_UNITS	200	/* characters of a number */

/*
 * The number after the highest in the dummy driver's folder box, or the
 * lowest free one; -1 when none is free.
 */
int		 modem_dummy_next(const char *box);

/*
 * The parts in the sent folder of the dummy phone in the folder dir,
 * read through libGammu, into *pv (zeroed first; free with
 * multipart_vec_free()).  Returns 0, or -1 after logging.
 */
int		 modem_dummy_sent(const char *dir, struct multipart_vec *pv)
		    __attribute__((warn_unused_result));

#endif
