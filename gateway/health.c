/*
 * health.c - the gateway looking after itself, for NGO gateways that die
 * quietly: a prepaid SIM out of credit, a modem off the network.
 *
 * Every modem.health_every seconds the modem's signal and registration
 * are read and logged to the health table as figures; a network lost for
 * modem.health_warn_after seconds is warned about once, and its return
 * is logged.  Every balance.every seconds the balance USSD is dialled,
 * the amount read with balance.c, logged to the balances table and to
 * the status table; below balance.warn_below a warning is logged at each
 * check and the staff numbers are texted once per low-credit episode:
 * the episode is a status row, so restarts do not text again, and it
 * ends only when a check reads the credit back at or above the line.
 * Staff numbers are taken from the configuration and live in the outbox
 * only until sent, like any reply; they are logged at debug level only.
 */
#include <sys/stat.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "balance.h"
#include "conf.h"
#include "health.h"
#include "log.h"
#include "modem.h"
#include "phone.h"
#include "store.h"
#include "utf8.h"

#define HEALTH_RETRY	900	/* seconds: balance check after a failure */
#define HEALTH_REPLY	512	/* bytes of a USSD answer kept */
#define HEALTH_KEPT	182	/* of which shown by "habar status" */
#define HEALTH_NOTIFY_MAX 16	/* staff numbers */

struct health {
	/* settings, copied from the conf */
	char		 modem_id[40];
	int		 health_every;
	int		 warn_after;
	bool		 has_balance;
	char		 code[MODEM_USSD_CODE_MAX];
	int		 every;
	int		 timeout;
	long long	 warn_below;	/* hundredths, -1: never */
	struct balance	*parser;
	char		 notify[HEALTH_NOTIFY_MAX][PHONE_MAX];
	size_t		 nnotify;

	/* state */
	time_t		 health_at;	/* next reading */
	time_t		 lost_since;	/* 0: on the network */
	bool		 lost_warned;
	time_t		 balance_at;	/* next check */
	bool		 ussd_waiting;	/* the code is dialled, no answer yet */
	time_t		 ussd_until;	/* when to give up waiting */
	bool		 low_notified;	/* this episode's texts queued */
	int		 sim_shown;	/* enum modem_sim in the status, -1 */
	char		 modem_shown[256];	/* modem_state() in the status */
};

/* Copy conf's settings into h (parser already made). */
static void
health_settings(struct health *h, const struct conf *conf)
{
	size_t	 i;

	snprintf(h->modem_id, sizeof(h->modem_id), "%s",
	    conf->modem.id != NULL ? conf->modem.id : "");
	h->health_every = conf->modem.health_every;
	h->warn_after = conf->modem.health_warn_after;
	h->has_balance = conf->has_balance && conf->balance.code != NULL;
	snprintf(h->code, sizeof(h->code), "%s",
	    conf->balance.code != NULL ? conf->balance.code : "");
	h->every = conf->balance.every;
	h->timeout = conf->balance.timeout;
	h->warn_below = conf->balance.warn_below;
	h->nnotify = 0;
	for (i = 0; i < conf->balance.nnotify; i++) {
		if (h->nnotify == HEALTH_NOTIFY_MAX) {
			log_warnx("balance: only the first %d notify numbers "
			    "are texted", HEALTH_NOTIFY_MAX);
			break;
		}
		if (phone_e164(h->notify[h->nnotify], PHONE_MAX,
		    conf->balance.notify[i]) == -1) {
			log_warnx("balance: notify number %zu is not a phone "
			    "number, skipped", i + 1);
			continue;
		}
		h->nnotify++;
	}
}

/* A parser for conf's pattern, or NULL after logging. */
static struct balance *
health_parser(const struct conf *conf)
{
	struct balance	*b;
	char		 err[128];

	if ((b = balance_new(conf->balance.pattern, err, sizeof(err))) ==
	    NULL)
		log_warnx("%s: bad balance.pattern: %s", conf->path, err);
	return b;
}

struct health *
health_new(const struct conf *conf, struct store *store)
{
	struct health	*h;
	char		 v[32];
	int64_t		 at;
	time_t		 now = time(NULL);

	if ((h = calloc(1, sizeof(*h))) == NULL) {
		log_warn("health");
		return NULL;
	}
	if ((h->parser = health_parser(conf)) == NULL) {
		free(h);
		return NULL;
	}
	health_settings(h, conf);
	h->sim_shown = -1;
	h->health_at = now;
	h->balance_at = now;
	/* The last check's time and episode survive a restart. */
	if (store_status_get(store, "balance", v, sizeof(v), &at) == 1 &&
	    at + h->every > now)
		h->balance_at = (time_t)(at + h->every);
	if (store_status_get(store, "balance.low", v, sizeof(v), NULL) == 1)
		h->low_notified = strcmp(v, "notified") == 0;
	return h;
}

int
health_reconf(struct health *h, const struct conf *conf)
{
	struct balance	*b;

	if ((b = health_parser(conf)) == NULL)
		return -1;
	balance_free(h->parser);
	h->parser = b;
	health_settings(h, conf);
	return 0;
}

bool
health_pin_refused(struct store *store, const struct conf *conf)
{
	const char	*files[2] = { conf->path, conf->modem.pin_file };
	struct stat	 sb;
	char		 v[96];
	int64_t		 at;
	size_t		 i;

	if (store_status_get(store, "sim", v, sizeof(v), &at) != 1 ||
	    strcmp(v, modem_sim_name(MODEM_SIM_PIN_REFUSED)) != 0)
		return false;
	for (i = 0; i < 2; i++)
		if (files[i] != NULL && stat(files[i], &sb) == 0 &&
		    (int64_t)sb.st_mtime > at)
			return false;	/* edited since: try the new PIN */
	return true;
}

void
health_free(struct health *h)
{
	if (h == NULL)
		return;
	balance_free(h->parser);
	explicit_bzero(h->notify, sizeof(h->notify));
	free(h);
}

static void
status_put(struct store *store, const char *key, const char *value,
    time_t now)
{
	/* Logged by the store; status is a convenience, never fatal. */
	if (store_status_put(store, key, value, (int64_t)now) == -1)
		return;
}

/* Whether a reading means the gateway cannot receive or send. */
static bool
health_lost(int ok, const struct modem_health *mh)
{
	if (!ok)
		return true;
	if (mh->net != MODEM_NET_HOME && mh->net != MODEM_NET_ROAMING &&
	    mh->net != MODEM_NET_UNKNOWN)
		return true;
	return mh->signal_pct == 0;
}

/*
 * The signal as the modem gives it: "42%", then "(-71 dBm)" only when
 * the modem knows it (a strength in dBm is negative; Gammu's dummy
 * driver and some modems give none, or the percentage again).
 */
static void
health_signal_text(char *buf, size_t sz, int pct, int dbm)
{
	if (pct < 0)
		snprintf(buf, sz, "unknown");
	else if (dbm < 0 && dbm != -1)
		snprintf(buf, sz, "%d%% (%d dBm)", pct, dbm);
	else
		snprintf(buf, sz, "%d%%", pct);
}

static void
health_read(struct health *h, struct modem *modem, struct store *store,
    time_t now)
{
	struct modem_health mh;
	struct store_health sh;
	char		 v[96], sig[32];
	int		 ok;

	ok = modem_health(modem, &mh) == 0;
	memset(&sh, 0, sizeof(sh));
	sh.at = now;
	sh.signal_dbm = ok ? mh.signal_dbm : -1;
	sh.signal_pct = ok ? mh.signal_pct : -1;
	sh.ber = ok ? mh.ber : -1;
	sh.network = ok ? modem_net_name(mh.net) : "unreachable";
	sh.network_code = ok ? mh.net_code : "";
	if (store_health_add(store, &sh) == -1)
		log_debug("health reading kept in the status only");
	health_signal_text(sig, sizeof(sig), sh.signal_pct, sh.signal_dbm);
	status_put(store, "signal", sig, now);
	snprintf(v, sizeof(v), "%s%s%s%s%s", sh.network,
	    ok && mh.net_code[0] ? " " : "", ok ? mh.net_code : "",
	    ok && mh.net_name[0] ? " " : "", ok ? mh.net_name : "");
	status_put(store, "network", v, now);

	if (!health_lost(ok, &mh)) {
		if (h->lost_warned)
			log_info("modem%s%s back on the network (%s, signal "
			    "%s) after %lld min", h->modem_id[0] ? " " : "",
			    h->modem_id, sh.network, sig,
			    (long long)(now - h->lost_since) / 60);
		h->lost_since = 0;
		h->lost_warned = false;
		return;
	}
	if (h->lost_since == 0)
		h->lost_since = now;
	if (!h->lost_warned && now - h->lost_since >= h->warn_after) {
		log_warnx("modem%s%s off the network for %lld min (%s, signal "
		    "%s): messages are neither received nor sent",
		    h->modem_id[0] ? " " : "", h->modem_id,
		    (long long)(now - h->lost_since) / 60, sh.network, sig);
		h->lost_warned = true;
	}
}

/*
 * The answer as kept for "habar status": at most HEALTH_KEPT bytes, runs
 * of seven digits or more (the SIM's own number, say) masked.
 */
static void
health_mask(char *dst, size_t dstsz, const char *src)
{
	size_t	 i, j, run;

	for (i = j = 0; src[i] != '\0' && j + 1 < dstsz && j < HEALTH_KEPT;
	    i++) {
		if (src[i] >= '0' && src[i] <= '9') {
			for (run = 0; src[i + run] >= '0' &&
			    src[i + run] <= '9'; run++)
				;
			if (run >= 7) {
				for (; run > 0 && j + 1 < dstsz; run--, i++)
					dst[j++] = '#';
				i--;
				continue;
			}
		}
		if (src[i] == '\n' || src[i] == '\r' || src[i] == '\t')
			dst[j++] = ' ';
		else
			dst[j++] = src[i];
	}
	/* Never end in the middle of a character (dst[k] is src[k]'s). */
	j = utf8_cut(src, strlen(src), j);
	dst[j] = '\0';
}

/* Queue the low-credit text to every staff number. */
static void
health_notify(struct health *h, struct store *store, int64_t amount,
    time_t now)
{
	struct store_out out;
	char		 body[160], a[BALANCE_FMT_MAX], w[BALANCE_FMT_MAX];
	size_t		 i, queued = 0;

	snprintf(body, sizeof(body), "habar: SIM credit %s is below %s%s%s. "
	    "Top up the SIM or replies will stop.",
	    balance_format(amount, a, sizeof(a)),
	    balance_format(h->warn_below, w, sizeof(w)),
	    h->modem_id[0] ? " on modem " : "", h->modem_id);
	for (i = 0; i < h->nnotify; i++) {
		memset(&out, 0, sizeof(out));
		snprintf(out.recipient, sizeof(out.recipient), "%s",
		    h->notify[i]);
		out.body = body;
		out.parts = 1;
		out.ucs2 = 0;
		out.next_try_at = now;
		if (store_process(store, 0, &out, NULL, NULL) == 0) {
			queued++;
			log_debug("low credit text queued for %s",
			    h->notify[i]);
		}
	}
	log_info("low credit: %zu of %zu staff text(s) queued", queued,
	    h->nnotify);
}

/* Compare amount with the line; warn, text once, or end the episode. */
static void
health_judge(struct health *h, struct store *store, int64_t amount,
    time_t now)
{
	char	 a[BALANCE_FMT_MAX], w[BALANCE_FMT_MAX];

	if (h->warn_below < 0)
		return;
	balance_format(amount, a, sizeof(a));
	balance_format(h->warn_below, w, sizeof(w));
	if (amount >= h->warn_below) {
		if (h->low_notified) {
			log_info("SIM credit %s is back above %s", a, w);
			h->low_notified = false;
		}
		status_put(store, "balance.low", "no", now);
		return;
	}
	log_warnx("SIM credit %s is below %s%s%s: top up the SIM", a, w,
	    h->modem_id[0] ? " on modem " : "", h->modem_id);
	if (h->low_notified)
		return;
	/* The episode is marked before the texts: never twice. */
	status_put(store, "balance.low", "notified", now);
	h->low_notified = true;
	if (h->nnotify > 0)
		health_notify(h, store, amount, now);
}

/* The network's answer to the balance code: record, judge, warn. */
static void
health_balance_answer(struct health *h, struct store *store,
    const char *reply, time_t now)
{
	char		 kept[HEALTH_KEPT + 1];
	char		 a[BALANCE_FMT_MAX];
	int64_t		 amount;

	log_debug("balance answer: %s", reply);
	health_mask(kept, sizeof(kept), reply);
	status_put(store, "balance.answer", kept, now);
	if (balance_parse(h->parser, reply, &amount) == -1) {
		log_warnx("cannot read the SIM credit in the answer to '%s': "
		    "check balance.pattern against 'habar status'", h->code);
		return;
	}
	h->balance_at = now + h->every;
	balance_format(amount, a, sizeof(a));
	log_info("SIM credit: %s", a);
	if (store_balance_add(store, now, amount) == -1)
		log_debug("balance kept in the status only");
	status_put(store, "balance", a, now);
	health_judge(h, store, amount, now);
}

/*
 * Dial the balance code when due, then look for the answer on each
 * round of the loop: the network may take up to balance.timeout, and
 * messages keep flowing meanwhile.
 */
static void
health_balance(struct health *h, struct modem *modem, struct store *store,
    time_t now)
{
	char	 reply[HEALTH_REPLY];
	int	 rv;

	if (!h->ussd_waiting) {
		/* tried again this soon unless an answer is read */
		h->balance_at = now + (h->every < HEALTH_RETRY ? h->every :
		    HEALTH_RETRY);
		if (modem_ussd_start(modem, h->code) == -1)
			return;		/* logged */
		h->ussd_waiting = true;
		h->ussd_until = now + h->timeout;
	}
	rv = modem_ussd_poll(modem, reply, sizeof(reply));
	if (rv == 0 && now < h->ussd_until)
		return;
	h->ussd_waiting = false;
	if (rv == 0) {
		modem_ussd_cancel(modem);
		log_warnx("no answer to USSD '%s' within %d s", h->code,
		    h->timeout);
		return;
	}
	if (rv == 1)
		health_balance_answer(h, store, reply, now);
}

void
health_run(struct health *h, struct modem *modem, struct store *store,
    time_t now)
{
	char	 v[256];

	if (modem == NULL)
		return;
	/* The SIM's state as soon as it changes: a PIN waits for a person. */
	if ((int)modem_sim(modem) != h->sim_shown) {
		h->sim_shown = (int)modem_sim(modem);
		status_put(store, "sim", modem_sim_name(modem_sim(modem)), now);
	}
	/* How the modem works, when it changes: its time says since when. */
	modem_state(modem, v, sizeof(v));
	if (strcmp(v, h->modem_shown) != 0) {
		snprintf(h->modem_shown, sizeof(h->modem_shown), "%s", v);
		status_put(store, "modem", v, now);
	}
	if (now >= h->health_at) {
		h->health_at = now + h->health_every;
		health_read(h, modem, store, now);
	}
	if (h->has_balance && (h->ussd_waiting || now >= h->balance_at))
		health_balance(h, modem, store, now);
}
