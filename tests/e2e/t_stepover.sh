#!/bin/sh
# Issue 20: no entry blocks the ones after it.  In the simulated phone's
# inbox, a file that is not an SMS (Gammu's own GPRS-point backup, from
# its test suite) and a corrupt one are filed before valid messages:
# every valid message is answered once, in the first polls, and the
# entries are reported once as stepped over, with a location, never
# their content.
. "$(dirname "$0")/lib.sh"

write_conf
cp "$ROOT/tests/data/at/backups-gprs-points.backup" "$PHONE/sms/1/1"
printf 'garbage\n\001\002' >"$PHONE/sms/1/2"
check "a message filed after them" inject +77011140001 "komek"
check "habard starts" start_daemon
check "the message after the two entries answered" wait_sent 1
check "the backup reported as stepped over, with its place" \
    grep -q "stepped over the phone's entry at file sms/1/1: not an SMS" \
    "$LOG"
check "the corrupt file too" \
    grep -q "stepped over the phone's entry at file sms/1/2: cannot be read" \
    "$LOG"
inject +77011140002 "паспорт"
inject +77011140003 "зарплата"
check "two more after them answered" wait_sent 3
check "each reported once" [ "$(grep -c 'stepped over' "$LOG")" = 2 ]
status_says() {
	"$HABAR" -f "$T/habar.conf" status | grep -q "$1"
}
check "habar status counts them" \
    poll 30 status_says "connection  *working; 2 entries stepped over"
check "each answered once" \
    [ "$("$SIMPHONE" sent "$PHONE" | cut -f1 | sort | uniq -d)" = "" ]
check "the entries are left where they were" \
    [ -f "$PHONE/sms/1/1" ] && [ -f "$PHONE/sms/1/2" ]
check "nothing of them in the log" sh -c "! grep -qi 'gprs\|garbage' '$LOG'"
check "habard stops" stop_daemon
finish
