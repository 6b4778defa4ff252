#!/bin/sh
# SIM credit watch, modem health and "habar status" end to end on Gammu's
# dummy phone.  The dummy answers every USSD code with "Reply for CODE",
# so a configured pattern reads 100 out of "Reply for *100#": below the
# line of 500, the staff are texted once per low-credit episode, never
# again on a restart or a second check, and again only after the credit
# was read back above the line.  (The parser itself is tested with real
# operators' answers in tests/unit/t_balance.c.)
. "$(dirname "$0")/lib.sh"

STAFF1=+77010000091
STAFF2=+77010000092
# credit_conf WARN_BELOW: the configuration with a balance group.
credit_conf() {
	write_conf "balance = {
	code = \"*100#\";
	every = \"6h\";
	pattern = \"for \\\\*([0-9]+)#\";
	warn_below = $1;
	notify = [\"$STAFF1\", \"8 701 000 00 92\"];
};"
	sed -i 's/^modem = {$/modem = {\n\tid = "sim1";/' "$T/habar.conf"
}
# staff_texts: how many low-credit texts the phone sent.
staff_texts() {
	"$SIMPHONE" sent "$PHONE" | grep -c 'SIM credit 100.00 is below'
}
has_staff_texts() {
	[ "$(staff_texts)" -ge "$1" ]
}
# age_check: make the last balance check 7 hours old (due at start).
age_check() {
	sql "UPDATE status SET at = at - 7 * 3600 WHERE key = 'balance'"
}
nwarn() {
	grep -c 'SIM credit 100.00 is below 500.00 on modem sim1' "$LOG"
}

credit_conf 500
check "habard -n accepts the balance group" \
    sh -c "'$HABARD' -n -f '$T/habar.conf' | grep -q 'configuration OK'"
check "habard starts with a credit watch" start_daemon
check "both staff numbers texted" poll 20 has_staff_texts 2
row=$("$SIMPHONE" sent "$PHONE" | grep "^$STAFF2	")
check "8 701 .. normalized to $STAFF2, one GSM-7 part" \
    sh -c "printf '%s' '$row' | cut -f2,3 | grep -q '^1	gsm7$'"
check "balance recorded in hundredths, with the modem id" \
    [ "$(sql "SELECT modem || ' ' || amount FROM balances")" = "sim1 10000" ]
check "warning logged below the line" [ "$(nwarn)" = 1 ]
check "health reading logged as figures" \
    [ "$(sql "SELECT count(*) FROM health WHERE modem = 'sim1' AND network = 'home' AND signal_pct >= 0")" -ge 1 ]
check "episode marked in the status" \
    [ "$(sql "SELECT value FROM status WHERE modem = 'sim1' AND key = 'balance.low'")" = notified ]

# habar status shows what habard knows.
inject +77011230001 "паспорт"
check "a message answered meanwhile" wait_sent 3
st=$("$HABAR" -f "$T/habar.conf" status)
for want in "modem sim1" "SIM credit         100.00" "low credit         notified" \
    "operator's answer  Reply for \*100#" "signal             42%" \
    "network            home" "content version" "last message in    2" \
    "last reply out     2" "outbox             0"; do
	check "habar status shows '$want'" \
	    sh -c "printf '%s\n' \"\$1\" | grep -q \"\$2\"" - "$st" "$want"
done
check "habar status prints the signal as the modem gives it (no made-up dBm)" \
    sh -c "printf '%s\n' \"\$1\" | grep -q '^  signal  *42% (' &&
    ! printf '%s\n' \"\$1\" | grep -q dBm" - "$st"
check "events carry the modem id" \
    [ "$(sql "SELECT count(*) FROM events WHERE modem = 'sim1'")" = 1 ]

# Restart: the check is not due yet, and nobody is texted again.
check "habard stops" stop_daemon
check "restarted" start_daemon
inject +77011230002 "зарплата"
check "restarted daemon answers" wait_sent 4
check "no second check within 'every' after a restart" \
    [ "$(sql 'SELECT count(*) FROM balances')" = 1 ]

# A second check still low: warned again, not texted again.
check "habard stops" stop_daemon
age_check
check "restarted with the check due" start_daemon
two_checks() { [ "$(sql 'SELECT count(*) FROM balances')" = 2 ]; }
check "second check done" poll 20 two_checks
inject +77011230003 "меню"
check "later message answered" wait_sent 5
check "second low check warns again" [ "$(nwarn)" = 2 ]
check "but texts nobody again" [ "$(staff_texts)" = 2 ]

# Credit read above a lower line ends the episode; the next low one texts.
check "habard stops" stop_daemon
credit_conf 50
age_check
check "restarted with the line at 50" start_daemon
three_checks() { [ "$(sql 'SELECT count(*) FROM balances')" = 3 ]; }
check "third check done" poll 20 three_checks
ended() { [ "$(sql "SELECT value FROM status WHERE key = 'balance.low'")" = no ]; }
check "episode ended at 100 >= 50" poll 10 ended
check "credit back logged" grep -q 'SIM credit 100.00 is back above 50.00' "$LOG"
check "habard stops" stop_daemon
credit_conf 500
age_check
check "restarted with the line at 500" start_daemon
check "a new episode texts the staff again" poll 20 has_staff_texts 4

# Staff numbers stay out of the log and, once sent, out of the database.
check "habard stops cleanly" stop_daemon
no_staff() {
	for f in "$DB" "$DB-wal" "$DB-shm" "$LOG"; do
		[ -f "$f" ] || continue
		grep -aq 7010000091 "$f" && return 1
		grep -aq 7010000092 "$f" && return 1
	done
	return 0
}
check "no staff number in db, -wal, -shm or log" no_staff

# A modem that cannot be reached counts as off the network: warned once
# health_warn_after has passed (0 here), and logged as a figure.
write_conf
sed -i "s|device = \"$PHONE\";|device = \"$T/gone/phone\"; health_warn_after = 0;|" \
    "$T/habar.conf"
check "habard starts without its modem" start_daemon
lost() { grep -q 'modem off the network for 0 min (unreachable' "$LOG"; }
check "lost network warned" poll 20 lost
check "unreachable reading logged" \
    [ "$(sql "SELECT count(*) FROM health WHERE network = 'unreachable' AND signal_pct = -1")" -ge 1 ]
check "habard stops" stop_daemon

# Configuration errors are reported with their line.
write_conf 'balance = { code = "*100#"; pattern = "(unclosed"; notify = ["staff"]; };'
out=$("$HABARD" -n -f "$T/habar.conf" 2>&1)
check "bad pattern reported with its line" \
    sh -c "printf '%s' \"\$1\" | grep -q 'habar.conf:[0-9]*: bad .pattern.'" - "$out"
check "bad notify number reported" \
    sh -c "printf '%s' \"\$1\" | grep -q 'bad number in .notify.'" - "$out"
write_conf 'balance = { every = "6 weeks"; };'
out=$("$HABARD" -n -f "$T/habar.conf" 2>&1)
check "missing code reported" \
    sh -c "printf '%s' \"\$1\" | grep -q \"needs 'code'\"" - "$out"
check "bad duration reported" \
    sh -c "printf '%s' \"\$1\" | grep -q \"'every' must be a duration\"" - "$out"
finish
