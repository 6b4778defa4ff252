#!/bin/sh
# Modem faults on the simulated phone: the phone disappearing (folder
# moved away, then replaced by a plain file: unreadable), unreadable
# entries, a full SIM (more messages than one poll reads), and a command
# that hangs (a FIFO in the inbox blocks the driver's open()).  habard
# warns once, retries with capped exponential backoff (1, 2, 4 ... 60 s),
# reconnects by itself and answers what arrived meanwhile; the watchdog
# interrupts the hung command and re-initializes the connection.
. "$(dirname "$0")/lib.sh"

write_conf
sed -i 's/poll_ms = 100;/poll_ms = 100; watchdog = 2;/; s/log_level = "info"/log_level = "debug"/' \
    "$T/habar.conf"
check "habard starts" start_daemon
n=0
inject +77014440001 "паспорт" && n=$((n + 1))
check "answers before the faults" wait_sent $n

# 1. The phone goes away for a while; a message arrives meanwhile.
mv "$PHONE" "$PHONE.away"
lost() {
	grep -q 'cannot read messages\|cannot connect to the modem' "$LOG"
}
check "the lost phone is noticed" poll 10 lost
"$SIMPHONE" inject "$PHONE.away" +77014440002 "зарплата" && n=$((n + 1))
sleep 7
# One warning; the tries after it are logged at debug level only.
warned=$(grep -c 'cannot read messages' "$LOG")
tries=$(grep -c 'cannot connect to the modem' "$LOG")
check "warned once while away ($warned)" [ "$warned" -eq 1 ]
# Without backoff a 100 ms poll would try about 70 times in 7 s; with
# 1, 2, 4 s it tries 4 or 5 times.
check "backoff: $tries tries in 7 s" [ "$tries" -ge 2 -a "$tries" -le 6 ]
mv "$PHONE.away" "$PHONE"
check "reconnects by itself and answers what arrived meanwhile" \
    poll 70 has_sent_new $n
check "the reconnection is logged" grep -q 'modem connected' "$LOG"

# 2. Unreadable: the folder replaced by a plain file, then back.
mv "$PHONE" "$PHONE.away"
echo garbage >"$PHONE"
: >"$T/mark"
"$SIMPHONE" inject "$PHONE.away" +77014440003 "жұмыс" && n=$((n + 1))
sleep 3
rm -f "$PHONE"
mv "$PHONE.away" "$PHONE"
check "unreadable phone: back and answered" poll 70 has_sent_new $n
check "daemon alive" kill -0 "$PID"

# 3. Unreadable entries on the phone: skipped with one warning, the
# good messages around them answered.
printf '\377\376garbage\n[SMSBackup000\nText00 = ZZ\n' >"$PHONE/sms/1/9001"
printf '' >"$PHONE/sms/1/9002"
inject +77014440004 "меню" && n=$((n + 1))
check "a message next to unreadable entries is answered" wait_sent $n
check "unreadable entries reported" \
    poll 30 grep -q 'stepped over the phone.s entry at file sms/1/9001' "$LOG"
rm -f "$PHONE/sms/1/9001" "$PHONE/sms/1/9002"

# 4. A full SIM: 150 messages waiting, more than one poll reads (64).
stop_daemon
i=0
while [ $i -lt 150 ]; do
	inject "+7701555$(printf '%04d' $i)" "көмек" || break
	i=$((i + 1))
done
n=$((n + 150))
check "habard starts on a full phone" start_daemon
drained() {
	[ -z "$(ls "$PHONE/sms/1")" ] &&
	    [ "$(sql "SELECT count(*) FROM events")" -ge $n ]
}
check "a full SIM is emptied and every message answered" poll 60 drained

# 5. A hung command: the driver blocks opening a FIFO in the inbox.
mkfifo "$PHONE/sms/1/7"
inject +77014440005 "паспорт" && n=$((n + 1))
check "the watchdog interrupts the hung poll" \
    poll 15 grep -q 'modem command hung for more than 2 s' "$LOG"
rm -f "$PHONE/sms/1/7"
answered() {
	[ "$(sql "SELECT count(*) FROM events")" -ge $n ]
}
check "after the watchdog, the message is answered" poll 30 answered
check "the connection was re-initialized" \
    sh -c "grep -A3 'hung for more' '$LOG' | grep -q 'modem connected'"
check "daemon alive after the faults" kill -0 "$PID"
check "habard stops cleanly on SIGTERM" stop_daemon
check "database passes integrity_check" \
    [ "$(sql 'PRAGMA integrity_check')" = ok ]
finish
