#!/bin/sh
# Several modems: two habard, each on its own simulated phone (modem.id
# "a" and "b"), sharing one database.  Each answers what its own phone
# received, from that phone; rows queued without a modem id (as from an
# older habar) are claimed atomically, so no reply goes out twice.
. "$(dirname "$0")/lib.sh"

PHONE_A=$T/phone-a
PHONE_B=$T/phone-b
LOG_A=$T/habard-a.log
LOG_B=$T/habard-b.log
PID_A=
PID_B=
N=${MULTI_N:-25}

# conf_for ID PHONE: a configuration for one of the two daemons.
conf_for() {
	PHONE=$2
	write_conf
	sed -i "s/^modem = {\$/modem = {\\n\\tid = \"$1\";/" "$T/habar.conf"
	mv "$T/habar.conf" "$T/habar-$1.conf"
}
conf_for a "$PHONE_A"
conf_for b "$PHONE_B"
PHONE=

start_both() {
	: >>"$LOG_A"
	: >>"$LOG_B"
	"$HABARD" -d -f "$T/habar-a.conf" >>"$LOG_A" 2>&1 &
	PID_A=$!
	"$HABARD" -d -f "$T/habar-b.conf" >>"$LOG_B" 2>&1 &
	PID_B=$!
	started_a() { grep -q 'started:' "$LOG_A"; }
	started_b() { grep -q 'started:' "$LOG_B"; }
	poll 20 started_a && poll 20 started_b
}
stop_both() {
	rc=0
	kill -TERM "$PID_A" "$PID_B" 2>/dev/null
	wait "$PID_A" || rc=1
	wait "$PID_B" || rc=1
	PID_A= PID_B=
	return $rc
}
sent_on() {
	"$SIMPHONE" sent "$1" | wc -l
}
both_sent() {
	[ "$(sent_on "$PHONE_A")" -ge "$1" ] && [ "$(sent_on "$PHONE_B")" -ge "$2" ]
}
drained() {
	[ "$(sql 'SELECT (SELECT count(*) FROM inbox) + (SELECT count(*) FROM outbox)')" = 0 ]
}

check "two daemons start on one database" start_both
check "one schema migration between them" \
    [ "$(grep -c 'migrated from schema' "$LOG_A" "$LOG_B" | awk -F: '{ s += $2 } END { print s }')" = 1 ]

# Messages arrive on both phones at once, from distinct senders.
i=0
while [ $i -lt "$N" ]; do
	"$SIMPHONE" inject "$PHONE_A" "+7701100$(printf '%04d' $i)" "паспорт" &
	p1=$!
	"$SIMPHONE" inject "$PHONE_B" "+7702200$(printf '%04d' $i)" "көмек" &
	p2=$!
	wait $p1 $p2
	i=$((i + 1))
done
check "every message answered on its own phone" poll 60 both_sent "$N" "$N"
check "phone a sent exactly $N" [ "$(sent_on "$PHONE_A")" = "$N" ]
check "phone b sent exactly $N" [ "$(sent_on "$PHONE_B")" = "$N" ]
check "phone a replied only to phone a's senders" \
    [ "$("$SIMPHONE" sent "$PHONE_A" | cut -f1 | grep -vc '^+7701100')" = 0 ]
check "phone b replied only to phone b's senders" \
    [ "$("$SIMPHONE" sent "$PHONE_B" | cut -f1 | grep -vc '^+7702200')" = 0 ]
dups=$( ("$SIMPHONE" sent "$PHONE_A"; "$SIMPHONE" sent "$PHONE_B") | cut -f1 | sort | uniq -d | wc -l)
check "no recipient twice across both phones ($dups)" [ "$dups" = 0 ]
check "events per modem: $N and $N" \
    [ "$(sql "SELECT group_concat(n) FROM (SELECT modem, count(*) AS n FROM events GROUP BY modem ORDER BY modem)")" = "$N,$N" ]
check "events by topic follow the phone" \
    [ "$(sql "SELECT count(*) FROM events WHERE (modem = 'a' AND topic = 'passport') OR (modem = 'b' AND topic = 'menu')")" = $((N * 2)) ]
check "queues drained" poll 10 drained

# Rows without a modem id: either daemon may send each, only one does.
check "both stop" stop_both
sql "BEGIN; $(i=0; while [ $i -lt 40 ]; do
	printf "INSERT INTO outbox(inbox_id, recipient, body, parts, ucs2, tries, next_try_at) VALUES (0, '+7703300%04d', 'legacy %d', 1, 0, 0, 0);" $i $i
	i=$((i + 1)); done) COMMIT;"
before=$(($(sent_on "$PHONE_A") + $(sent_on "$PHONE_B")))
check "both restart" start_both
check "the 40 old rows are sent" poll 60 drained
after=$(($(sent_on "$PHONE_A") + $(sent_on "$PHONE_B")))
check "40 sends between both phones, none twice ($((after - before)))" \
    [ $((after - before)) = 40 ]
legacy=$( ("$SIMPHONE" sent "$PHONE_A"; "$SIMPHONE" sent "$PHONE_B") | grep -c '	legacy ')
check "each old row sent once ($legacy)" [ "$legacy" = 40 ]
check "both stop cleanly" stop_both
check "status has both modems" \
    [ "$(sql "SELECT group_concat(modem) FROM (SELECT DISTINCT modem FROM status ORDER BY modem)")" = "a,b" ]
st=$("$HABAR" -f "$T/habar-a.conf" status)
check "habar status lists both modems" \
    sh -c "printf '%s\n' \"\$1\" | grep -q '^modem a' && printf '%s\n' \"\$1\" | grep -q '^modem b'" - "$st"
LOG=$LOG_A
[ "$NFAIL" -eq 0 ] || { echo "# daemon b log:"; sed 's/^/# /' "$LOG_B" | tail -n 20; }
finish
