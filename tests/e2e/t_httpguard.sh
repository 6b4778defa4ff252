#!/bin/sh
# The HTTP channel under attack (issue 14, items 3, 5, 6 and 10), the
# real daemon with a modem and an http group on the loopback:
#  - no token beyond the loopback is a configuration error; on the
#    loopback without one, a loud warning;
#  - spoofed /sms senders spend the HTTP channel's own budget: an SMS
#    over the modem is still answered;
#  - /ussd has per-number limits (a request over them: 429, no event);
#  - an expired session is purged on the next pass, not the next day;
#  - a chunked body without end gets 413 at once, not after reading it;
#  - 70 connections trickling from one address hold at most
#    http.max_per_address, each is closed at http.deadline, and a real
#    request from elsewhere is answered meanwhile.
. "$(dirname "$0")/lib.sh"

HP=$(test_port 7)
URL=http://127.0.0.1:$HP

# The token is required beyond the loopback.
write_conf "http = { listen = \"0.0.0.0\"; port = $HP; };"
"$HABARD" -n -f "$T/habar.conf" >"$T/n.out" 2>&1
check "0.0.0.0 without a token is refused" \
    grep -q "set http.token" "$T/n.out"
write_conf "http = { listen = \"0.0.0.0\"; port = $HP; token = \"t0ken-t0ken\"; };"
check "0.0.0.0 with a token is accepted" \
    sh -c "'$HABARD' -n -f '$T/habar.conf' | grep -q 'configuration OK'"

write_conf "guard = { replies = 1000; daily_budget = 6; http_daily_budget = 6;
    ussd_requests = 3; ussd_daily = 0; };
http = { listen = \"127.0.0.1\"; port = $HP; deadline = 3;
    max_per_address = 16; max_connections = 64; };"
check "habard starts" start_daemon
check "no token on the loopback: a loud warning" \
    grep -q 'WARNING: no http.token' "$LOG"

# Spoofed /sms senders until the HTTP budget (6 parts) is spent.
i=0
spent=0
while [ $i -lt 40 ] && [ $spent = 0 ]; do
	curl -s -o "$T/r" "$URL/sms?from=%2B7701555$(printf %04d $i)&text=112"
	[ -s "$T/r" ] || spent=1
	i=$((i + 1))
done
check "the HTTP channel's budget runs out ($i requests)" [ $spent = 1 ]
N=+77015550999
n=0
check "an SMS over the modem is still answered" say "паспорт"
check "...from the modem's own budget" has "паспорт"

# /ussd: 3 requests per number per window, the 4th refused unlogged.
ussd_code() {
	curl -s -o "$T/r" -w '%{http_code}' --data-urlencode "sessionId=g1" \
	    --data-urlencode "phoneNumber=+77015550123" \
	    --data-urlencode "text=$1" "$URL/ussd"
}
before=$(sql "SELECT count(*) FROM events WHERE channel = 'ussd'")
codes="$(ussd_code '') $(ussd_code 1) $(ussd_code 2) $(ussd_code 3)"
check "ussd: 3 answered, the 4th refused ($codes)" \
    [ "$codes" = "200 200 200 429" ]
# (records are committed within 5 ms of their answer: wait for them)
three() {
	[ "$(sql "SELECT count(*) FROM events WHERE channel = 'ussd'")" = \
	    $((before + 3)) ]
}
poll 10 three
check "ussd: the refused request left no event" three

# An expired session goes on the next pass.
sql "INSERT INTO sessions(pseudonym, lang, menu, topic, page, expires_at,
    latin) VALUES (zeroblob(16), 'ru', '', '', 0, 60, 0)"
purged() {
	[ "$(sql 'SELECT count(*) FROM sessions WHERE expires_at = 60')" = 0 ]
}
check "an expired session is purged within seconds" poll 5 purged

# A chunked body without end: cut off at once (libmicrohttpd cannot
# answer in mid-body), where it used to be read for as long as it came.
t0=$(date +%s)
yes | curl -s -m 20 -o /dev/null -X POST -T - -H 'Expect:' \
    -H 'Content-Type: application/x-www-form-urlencoded' "$URL/ussd"
t1=$(date +%s)
check "endless chunked body: closed after $((t1 - t0)) s" \
    [ $((t1 - t0)) -le 5 ]
check "...and logged as too large" \
    grep -q '413 request body too large: connection closed' "$LOG"
head -c 9000 /dev/zero | tr '\0' a >"$T/big"
t0=$(date +%s)
code=$(curl -s -m 20 -o /dev/null -w '%{http_code}' -H 'Expect:' \
    --data-binary @"$T/big" "$URL/ussd")
check "a declared length too large: 413 before the body ($code)" \
    [ "$code" = 413 ]

# Slow loris: 70 connections from 127.0.0.2 send a request head a line
# every second, never ending it.
head -c 4000 /dev/zero | tr '\0' a >"$T/slow"
pids=
i=0
while [ $i -lt 70 ]; do
	curl -s -m 60 --interface 127.0.0.2 --limit-rate 1 -o /dev/null \
	    -H 'Content-Type: application/x-www-form-urlencoded' \
	    --data-binary @"$T/slow" "$URL/ussd" &
	pids="$pids $!"
	i=$((i + 1))
done
t0=$(date +%s)
held() {	# connections from 127.0.0.2 to the port, established
	awk -v p="0100007F:$(printf '%04X' "$HP")" '$2 ~ /^0200007F:/ &&
	    $3 == p && $4 == "01"' /proc/net/tcp | wc -l
}
attacking() { [ "$(held)" -ge 10 ]; }
check "the attack is under way" poll 5 attacking
answered() {
	[ "$(curl -s -m 1 -o /dev/null -w '%{http_code}' \
	    "$URL/sms?from=%2B77015550777&text=112")" = 200 ]
}
check "a real request is answered during the attack" poll 1 answered
h=$(held)
check "one address holds at most max_per_address ($h)" [ "$h" -le 16 ]
alive() {
	for p in $pids; do
		kill -0 "$p" 2>/dev/null && return 0
	done
	return 1
}
gone() { ! alive; }
check "every trickling connection closed at the deadline" poll 10 gone
t1=$(date +%s)
echo "# trickling connections gone after $((t1 - t0)) s"
for p in $pids; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
check "habard stops cleanly on SIGTERM" stop_daemon
finish
