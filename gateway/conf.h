/*
 * conf.h - the daemon's configuration file (libconfig syntax), parsed
 * into a read-only struct conf.  The only module that includes
 * <libconfig.h>.  Every problem is reported as "file:line: message".
 */
#ifndef HABAR_CONF_H
#define HABAR_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "log.h"
#include "pseudo.h"

#define CONF_MAX_LANGS	8
#define CONF_TOKEN_MAX	128	/* bytes of http.token */

struct conf {
	char	*path;			/* the file read, absolute */
	char	*content_dir;		/* relative paths are resolved */
	char	*database;		/* against the file's directory */
	char	*langs[CONF_MAX_LANGS];	/* "kk", "ru", ... */
	size_t	 nlangs;
	char	*default_lang;
	char	*log_level;		/* "warning", "info", "debug" */
	enum log_level level;		/* log_level, parsed */

	bool	 has_modem;		/* the modem group is present */
	struct {
		char	*gammurc;	/* or NULL: device/connection/model */
		int	 section;
		char	*device;
		char	*connection;
		char	*model;
		int	 multipart_timeout;	/* seconds */
		int	 poll_ms;		/* between polls */
		int	 watchdog;	/* seconds a command may hang */
		char	*id;		/* names this modem in the database */
		int	 health_every;	/* seconds between health readings */
		int	 health_warn_after;	/* seconds of lost network */
		char	*pin;		/* SIM PIN, or NULL; never logged */
		char	*pin_file;	/* or a root-only file holding it */
	} modem;

	bool	 has_balance;		/* the balance group is present */
	struct {
		char	*code;		/* USSD code, e.g. "*100#" */
		int	 every;		/* seconds between checks */
		int	 timeout;	/* seconds to wait for the answer */
		char	*pattern;	/* POSIX ERE, or NULL: built-in */
		long long warn_below;	/* hundredths; -1: never warn */
		char	**notify;	/* staff numbers to text */
		size_t	 nnotify;
	} balance;

	struct {
		int	 max_parts;
		bool	 latin_for_latin_senders;
	} reply;

	struct {
		char	*key_dir;
		char	*epoch;		/* "day", "week", "month" */
		enum pseudo_epoch period;	/* epoch, parsed */
	} pseudonym;

	struct {
		int	 max_tries;
		int	 retry_delay;	/* seconds before the first retry */
	} outbox;

	struct {
		int	 first_words;
	} route;

	struct {
		int	 ttl;		/* seconds a sender's state is kept */
	} session;

	bool	 has_http;		/* the http group is present */
	struct {
		char	*listen;	/* address, default "127.0.0.1" */
		int	 port;		/* default 8025 */
		char	*token;		/* shared secret, or NULL */
		int	 max_request;	/* bytes of a request body */
		int	 timeout;	/* seconds a connection may idle */
		int	 max_connections;
		int	 threads;	/* answering threads, default 4 */
		int	 max_per_address; /* connections from one address */
		int	 deadline;	/* seconds a whole request may take */
	} http;

	struct {
		int	 page_chars;	/* GSM-7 screen, septets */
		int	 ucs2_page_chars; /* UCS-2 screen, UTF-16 units */
	} ussd;

	struct {
		int	 max_age;	/* days before "verified:" is stale */
		char	**extra_lists;	/* list files besides content_dir's
					 * lists/, e.g. the shipped example */
		size_t	 nextra_lists;
	} content;

	struct {
		int	 min_count;	/* counts below show as "<N" */
		int	 min_senders;	/* unanswered words need N people */
		int	 keep_events;	/* days events and words are kept */
	} stats;

	struct {
		int	 replies;	/* per sender per window, 0: no limit */
		int	 window;	/* seconds */
		int	 daily_budget;	/* SMS parts a UTC day over the
					 * modem, 0: no limit */
		int	 http_daily_budget; /* the same over /sms */
		int	 ussd_requests;	/* per number per window, 0: none */
		int	 ussd_daily;	/* /ussd requests a UTC day, 0: none */
		char	**deny;		/* numbers never answered */
		size_t	 ndeny;
	} guard;

	char	*user;			/* drop to this user, or NULL */
	char	*group;			/* and group; NULL: the user's */
};

/*
 * Read and check the file at path.  Each problem is logged with
 * log_warnx as "file:line: message", all of them.  Returns NULL if any,
 * else a conf the caller frees with conf_free().
 */
struct conf	*conf_load(const char *path)
		    __attribute__((warn_unused_result));

/*
 * Ready next, a configuration just read for a running daemon, to replace
 * cur: settings that take effect only at start (database, modem,
 * pseudonym key folder and epoch) keep cur's values -- the strings move
 * from cur into next, so pointers taken from cur stay valid as long as
 * next lives -- and each changed one is logged as needing a restart.
 * Returns how many were changed.
 */
int		 conf_keep_restart(struct conf *next, struct conf *cur);

/*
 * The defaults of every number and switch into *conf (cleared first;
 * strings stay NULL), as conf_load() starts from: for a conf built in
 * memory, as by the benchmark, tests and habar without a file.  Every
 * default, strings' too, is written once, in conf.c's table of
 * settings; habar.conf(5) states them (t_man.sh compares).
 */
void		 conf_defaults(struct conf *conf);

/* 1 when http.listen is a loopback address (127.0.0.0/8, ::1). */
int		 conf_http_loopback(const struct conf *);

struct modem_conf;

/*
 * Fill mc for modem_open() from conf's modem group; the SIM PIN (from
 * modem.pin, or read from modem.pin_file, which must be a regular file
 * only its owner, root or the caller, can read) goes into pin, pinsz
 * bytes, which the caller wipes after modem_open().  mc points into
 * conf and pin.  Returns 0, or -1 after logging why.
 */
int		 conf_modem(const struct conf *, struct modem_conf *mc,
		    char *pin, size_t pinsz)
		    __attribute__((warn_unused_result));

/* Index of code in conf->langs, or -1. */
int		 conf_lang(const struct conf *, const char *code);

void		 conf_free(struct conf *);

#endif
