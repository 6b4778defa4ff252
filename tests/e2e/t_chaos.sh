#!/bin/sh
# Crash safety, measured: CHAOS_N inbound SMS (default 1,000: Kazakh,
# Russian and Latin, every tenth in two or three parts) arrive on the
# simulated phone while habard is killed with SIGKILL at random moments,
# CHAOS_KILLS times (default 20), and restarted each time; meanwhile
# curl asks the HTTP channel (/sms) the whole time.  Afterwards every
# message has been answered at least once, nothing is left on the phone
# or in the queues, the database passes integrity_check, and duplicate
# replies are counted: at most one per kill (target: under 1%).  The figures are printed as "# chaos: ...".
#
# Plain build only: under ASan it would repeat the same run at a third
# of the speed (make check runs both builds).
. "$(dirname "$0")/lib.sh"

case $HABARD in
*asan*)
	echo "ok 1 - chaos test # SKIP runs in the plain build only"
	NTEST=1
	finish
	;;
esac

N=${CHAOS_N:-1000}
KILLS=${CHAOS_KILLS:-20}
HP=$(test_port 7)
URL=http://127.0.0.1:$HP
MULTIPART_TIMEOUT=3
write_conf "http = { listen = \"127.0.0.1\"; port = $HP; };
guard = { daily_budget = 0; };"

# A random whole number in [0, $1).
rnd() {
	echo $(( $(od -An -N2 -tu2 /dev/urandom) % $1 ))
}

# The messages: sender +7702NNNNNNN is message N, so every sender is unique.
words="көмек паспорт зарплата жұмыс тіркеу алаяқтық 112 меню помощь работа
pasport zarplata rabota pomosh komek жалақы полиция больница деньги qwzx"
feed() {
	i=0
	set -- $words
	nw=$#
	while [ $i -lt "$N" ]; do
		shift $((i % nw)) 2>/dev/null
		w=$1
		set -- $words
		num=+7702$(printf '%07d' $i)
		case $((i % 10)) in
		3)	inject "$num" "Сәлеметсіз бе, маған жала" "қы төлемеді, $w" ;;
		7)	inject "$num" "Здравствуйте, у меня " "забрали паспорт и " \
			    "не платят, $w" ;;
		*)	inject "$num" "$w" ;;
		esac || echo "inject $i failed" >&2
		i=$((i + 1))
		# about 200 a second: the phone keeps filling up while
		# the daemon dies and comes back
		[ $((i % 20)) -eq 0 ] && sleep 0.1
	done
	: >"$T/fed"
}

# HTTP under load: one request after another until told to stop; each
# outcome goes to $T/http as "CODE BYTES".
asker() {
	j=0
	while [ ! -f "$T/stop-http" ]; do
		curl -s -m 5 -o "$T/body" -w '%{http_code}' \
		    "$URL/sms?from=%2B7703$(printf '%07d' $j)&text=pasport" \
		    >"$T/code" 2>/dev/null
		b=0
		[ -f "$T/body" ] && b=$(wc -c <"$T/body")
		echo "$(cat "$T/code") $b" >>"$T/http"
		rm -f "$T/body"
		j=$((j + 1))
	done
}

start=$(date +%s)
feed &
FEED=$!
asker &
ASKER=$!
kills=0
while [ $kills -lt "$KILLS" ]; do
	"$HABARD" -d -f "$T/habar.conf" >>"$LOG" 2>&1 &
	PID=$!
	# Anywhere from start-up to deep in the work.
	sleep "0.$(printf '%03d' $(($(rnd 900) + 100)))"
	kill -KILL "$PID" 2>/dev/null && kills=$((kills + 1))
	wait "$PID" 2>/dev/null
	PID=
done
wait $FEED
check "all $N messages put on the phone" test -f "$T/fed"
check "habard starts after $kills kills" start_daemon

# Senders answered, and replies in all, from the phone's sent folder:
# one reply per file without a concatenation header or with part 1.
tally() {
	for f in "$PHONE"/sms/4/*; do
		[ -f "$f" ] && cat "$f"
	done | awk '
	{ sub(/\r$/, "") }	# Gammu writes CRLF
	/^\[SMSBackup/ { if (num != "") out(); num = ""; udh = "" }
	/^Number = / { num = $3; gsub(/"/, "", num) }
	/^UDH = / { udh = $3 }
	function out() {
		if (udh == "" || substr(udh, length(udh) - 1) == "01")
			if (num ~ /^\+7702/) { r++; s[num]++ }
	}
	END { if (num != "") out(); for (k in s) n++; print n + 0, r + 0 }'
}
all_answered() {
	set -- $(tally)
	[ "$1" -ge "$N" ]
}
drained() {
	[ -z "$(ls "$PHONE/sms/1")" ] &&
	    [ "$(sql 'SELECT (SELECT count(*) FROM inbox) + (SELECT count(*) FROM outbox)')" = 0 ]
}
poll 180 all_answered
poll 30 drained
: >"$T/stop-http"
wait $ASKER
end=$(date +%s)
set -- $(tally)
senders=$1 replies=$2
lost=$((N - senders))
dups=$((replies - senders))
echo "# chaos: $kills kills, $N messages, $senders answered, $lost lost," \
    "$dups duplicate replies ($(awk -v d=$dups -v n=$N \
    'BEGIN { printf "%.2f", 100 * d / n }')%), $((end - start)) s"
check "$kills SIGKILLs at random moments (>= 20 asked: $KILLS)" \
    [ "$kills" -ge "$KILLS" ]
check "every message answered at least once ($lost lost)" [ "$lost" -eq 0 ]
# At-least-once: a kill can repeat at most the one reply being sent when
# it lands (a re-read phone entry is only deleted, thanks to its taken
# mark), so duplicates never exceed the kills; the target is under 1%.
check "duplicates at most one per kill ($dups <= $kills)" [ "$dups" -le "$kills" ]
if [ $((dups * 100)) -lt "$N" ]; then
	echo "# duplicates under the 1% target"
else
	echo "# duplicates over the 1% target"
fi
check "nothing left on the phone or in the queues" drained
check "one event per message at least" \
    [ "$(sql "SELECT count(*) FROM events WHERE channel = 'sms'")" -ge "$N" ]

# HTTP: a request is answered in full or not at all (the connection
# dies with the daemon).
h200=$(grep -c '^200 ' "$T/http")
hbad=$(grep -v '^200 ' "$T/http" | grep -vc '^000 ')
hempty=$(grep -c '^200 0$' "$T/http")
hev=$(sql "SELECT count(*) FROM events WHERE channel = 'sms-http'")
echo "# http: $(wc -l <"$T/http") requests, $h200 answered, $hev logged"
check "http answered under load ($h200 answers)" [ "$h200" -gt 0 ]
check "http: no error status, no empty answer" \
    [ "$hbad" -eq 0 -a "$hempty" -eq 0 ]
# The HTTP channel groups its demand records in commits of at most
# 5 ms (serve.c): a kill may lose the record of the one answer curl got
# in the last 5 ms, never more.
check "http: every answer logged, but one per kill at most ($hev >= $h200 - $kills)" \
    [ "$hev" -ge $((h200 - kills)) ]
check "habard stops cleanly on SIGTERM" stop_daemon
check "database passes integrity_check" \
    [ "$(sql 'PRAGMA integrity_check')" = ok ]
finish
