/*
 * health.h - the gateway looking after itself: the modem's signal and
 * network registration read every few minutes, the SIM's credit checked
 * over USSD, figures kept in the database for "habar status", warnings
 * logged, and staff texted once when the credit runs low.
 */
#ifndef HABAR_HEALTH_H
#define HABAR_HEALTH_H

#include <stdbool.h>

#include <time.h>

struct conf;
struct modem;
struct store;
struct health;

/*
 * Timers and the balance parser for conf; the last balance check and
 * the low-credit episode are read back from store, so a restart neither
 * dials again early nor texts the staff again.  Returns NULL after
 * logging why.  Free with health_free().
 */
struct health	*health_new(const struct conf *, struct store *)
		    __attribute__((warn_unused_result));

/*
 * Take the settings of a reloaded conf (balance pattern and amounts,
 * intervals).  Returns 0, or -1 (logged) keeping the old ones.
 */
int		 health_reconf(struct health *, const struct conf *)
		    __attribute__((warn_unused_result));

/*
 * Do what is due at now: a health reading, a balance check (dialled
 * once, its answer looked for on later calls, for at most
 * balance.timeout).  Staff notifications are queued in the outbox, sent
 * with the replies.
 */
void		 health_run(struct health *, struct modem *, struct store *,
		    time_t now);

/*
 * Whether the SIM refused the configured PIN before this start and
 * nobody has touched the configuration (or modem.pin_file) since: then
 * the PIN must not be entered again, restart or reboot alike.
 */
bool		 health_pin_refused(struct store *, const struct conf *);

void		 health_free(struct health *);

#endif
