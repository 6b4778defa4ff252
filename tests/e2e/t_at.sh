#!/bin/sh
# habard on libGammu's AT driver ("connection = at115200") against the
# AT modem of tests/tools/atmodem.py on a pseudo-terminal: Kazakh and
# Russian multipart SMS in, reply PDUs out decoded by atmodem.py's own
# decoder and compared with "habar try"; PDUs recorded by Gammu's tests
# (tests/data/at/); deletion only after the commit; +CMS ERROR on send
# retried with the outbox's backoff; the modem vanishing and coming
# back; a slow modem beside HTTP; the credit over +CUSD in UCS-2 hex; a
# full SIM.  The SIM PIN: t_atpin.sh.
. "$(dirname "$0")/lib.sh"
DATA=$ROOT/tests/data/at
command -v python3 >/dev/null || { echo "1..0 # skip no python3"; exit 0; }
command -v curl >/dev/null || { echo "1..0 # skip no curl"; exit 0; }

HTTP_PORT=$(test_port 7)
# The answer the USSD dump of a Huawei E3276 has the form of (Gammu's
# tests/at-ussd/issue109-E3276.dump), with an amount in it.
BALANCE_ANSWER="Баланс: 1 234,50 тг. Бонус 0 тг"

conf_main() {
	at_conf "outbox = { retry_delay = 2; max_tries = 6; };
http = { port = $HTTP_PORT; };
balance = { code = \"*100#\"; every = \"6h\"; timeout = \"20s\"; };"
	sed -i -e 's/^	multipart_timeout = .*/	multipart_timeout = 4;/' \
	    -e 's/^modem = {$/modem = {\n\tid = "at1";\n\twatchdog = 5;/' \
	    "$T/habar.conf"
}

# try_text TEXT: what "habar try" would send, parts joined, newlines as
# \n, after a line "coding<TAB>parts".
try_text() {
	"$HABAR" -f "$T/habar.conf" try "$1" | awk '
	/^reply: / { coding = ($2 == "UCS-2,") ? "ucs2" : "gsm7";
		parts = $3 + 0 }
	/^--- SMS [0-9]+ of [0-9]+:/ { inpart = 1; first = 1; next }
	/^scripts: / || /^=== / { inpart = 0 }
	inpart { text = text (first ? "" : "\\n") $0; first = 0 }
	END { printf "%s\t%d\t%s\n", coding, parts, text }'
}

# same_as_try NUMBER QUERY: the reply to NUMBER is what try says.
same_as_try() {
	got=$(at_sent_to "$1")
	want=$(try_text "$2")
	if [ "$got" = "$want" ]; then
		return 0
	fi
	echo "# sent: $got"
	echo "# try:  $want"
	return 1
}

# log_ms REGEX: the time (epoch ms) of the first modem log line matching.
log_ms() {
	grep -m 1 -- "$1" "$AT/log" | cut -d ' ' -f 1
}

now_ms() {
	python3 -c 'import time; print(int(time.time() * 1000))'
}

sim_empty() {
	[ "$(at_nsim)" -eq 0 ]
}

queues_empty() {
	[ "$(sql 'SELECT (SELECT count(*) FROM inbox) + (SELECT count(*) FROM outbox)')" = 0 ]
}

check "the AT modem starts on a pty" at_start
at_mode "ussd=$BALANCE_ANSWER"
conf_main
check "habard -n accepts connection = at115200" \
    sh -c "'$HABARD' -n -f '$T/habar.conf' | grep -q 'configuration OK'"

# Before habard starts: a Kazakh question in two UCS-2 parts, as
# Kazakh operators deliver them (8-bit reference UDH), and a Russian one
# in three parts stored out of order.
KK=+77011110001
RU=+77011110002
KK_Q="Менің паспортымды жұмыс берушім алып қойды. Не істеу керек? Көмектесіңізші, өтінемін, маған"
KK_Q2=" көмек керек."
check "a Kazakh 2-part UCS-2 message on the SIM" \
    at_inject --ucs2 --ref 42 "$KK" "$KK_Q" "$KK_Q2"
RU_1="Здравствуйте. Работодатель не платит зарплату уже три месяца, "
RU_2="говорит подождите. Что мне делать, куда обращаться? Я работаю на "
RU_3="стройке в Алматы."
at_inject --ucs2 --ref 7 "$RU" "$RU_1" "$RU_2" "$RU_3"
# Store part 3 first: move the files so the SIM lists 3, 1, 2.
check "a Russian 3-part message on the SIM, parts out of order" \
    sh -c "cd '$AT/sim' && mv 3 9 && mv 4 10 && mv 5 8"
# Recorded by Gammu from real phones: a GSM-7 message, one part of a
# concatenated GSM-7 message whose other part never comes, a status
# report and a WAP push (8-bit, not text).
for f in at-sms-03 at-sms-22 at-sms-30 at-sms-40; do
	python3 "$ROOT/tests/tools/atmodem.py" put "$AT" \
	    "$(sed -n 3p "$DATA/$f.dump")"
done
check "habard starts on the AT modem" start_daemon
check "the Kazakh message answered" poll 60 has_at_sent_to "$KK"
check "its reply PDUs, decoded, are what 'habar try' sends" \
    same_as_try "$KK" "$KK_Q$KK_Q2"
check "the Russian message answered" poll 30 has_at_sent_to "$RU"
check "its reply PDUs, decoded, are what 'habar try' sends" \
    same_as_try "$RU" "$RU_1$RU_2$RU_3"
check "Gammu's GSM-7 PDU (tests/at-sms/03.dump) answered" \
    poll 30 has_at_sent_to +919884280026
check "Gammu's part 1 of 2 answered after multipart_timeout" \
    poll 30 has_at_sent_to +420724797276
nevents() { [ "$(sql 'SELECT count(*) FROM events')" -ge 4 ]; }
check "four messages answered, one as incomplete" nevents
check "every message and the status report deleted from the SIM" \
    poll 30 sim_empty
check "the status report was never answered" \
    [ -z "$(at_sent_to +666666666666)" ]
check "nothing answered twice" \
    [ "$(at_sent | cut -f1 | sort | uniq -d)" = "" ]

# The credit over +CUSD: a UCS-2 hex answer (DCS 72), read as 1234.50.
has_balance() {
	[ "$(sql "SELECT amount FROM balances WHERE modem = 'at1'")" = 123450 ]
}
check "the credit read from a UCS-2 hex +CUSD answer" poll 40 has_balance
check "the USSD code was dialled with +CUSD" [ "$(at_count 'AT+CUSD=1,')" -ge 1 ]

# Deleted only after the commit: with the database write-locked, the
# message is read (listed at least twice while the lock holds) and
# stays on the SIM; its +CMGD comes after the lock is released.
mkfifo "$T/lockctl"
python3 -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
c.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()
c.execute("ROLLBACK")
' "$DB" <"$T/lockctl" >"$T/lock.out" &
LOCKPID=$!
exec 7>"$T/lockctl"
locked() { grep -q locked "$T/lock.out"; }
check "database write-locked" poll 20 locked
LOCKED_MS=$(now_ms)
at_inject +77011110003 "паспорт"
listed_after_lock() {
	awk -v t="$LOCKED_MS" '$1 > t + 1500 && /AT\+CMGL/ { n++ } END { exit n < 2 }' "$AT/log"
}
check "the message is read while the database is locked" poll 30 listed_after_lock
check "and not deleted from the SIM meanwhile" \
    [ "$(awk -v t="$LOCKED_MS" '$1 > t && /AT\+CMGD/' "$AT/log")" = "" ]
RELEASED_MS=$(now_ms)
exec 7>&-
wait $LOCKPID
check "answered once the lock is gone" poll 40 has_at_sent_to +77011110003
first_cmgd=$(awk -v t="$LOCKED_MS" '$1 > t && /AT\+CMGD/ { print $1; exit }' "$AT/log")
check "its +CMGD came after the commit could happen" \
    [ -n "$first_cmgd" ] && [ "$first_cmgd" -ge "$RELEASED_MS" ]

# +CMS ERROR on send: tried again with the outbox's doubling delay
# (retry_delay 2 s: 2 s, then 4 s, counted in whole seconds), then sent
# once.
pdus() { at_count "PDU "; }
P0=$(pdus)
S0=$(at_nsent)
at_mode "send_fail=2"
at_inject +77011110004 "komek"
check "a reply refused twice by +CMS ERROR is sent in the end" \
    poll 40 has_at_sent_to +77011110004
check "three tries of its first part" [ "$(pdus)" -ge $((P0 + 3)) ]
gaps=$(awk -v skip="$P0" '/ PDU / { n++; if (n > skip && n <= skip + 3) print $1 }' \
    "$AT/log" | awk 'NR > 1 { print $1 - last } { last = $1 }' | tr '\n' ' ')
echo "# gaps between tries (ms): $gaps"
check "the tries were about 2 s and then 4 s apart" \
    sh -c "set -- $gaps; [ \"\$1\" -ge 1000 ] && [ \"\$2\" -ge 3000 ]"
check "the outbox row counted its tries and is gone" poll 20 queues_empty
check "one reply, not three" [ "$(at_sent_to +77011110004 | wc -l)" = 1 ]

# The modem vanishing (the pty closed, the device gone) and coming back:
# messages that arrived meanwhile are answered, nothing is lost.
at_mode "vanish=1"
gone() { ! test -e "$AT/dev"; }
check "the modem vanishes" poll 10 gone
at_inject +77011110005 "зарплата"
at_inject +77011110006 "паспорт"
noticed() { grep -q 'reconnecting\|cannot connect to the modem' "$LOG"; }
check "habard notices" poll 30 noticed
status_says() {
	"$HABAR" -f "$T/habar.conf" status | grep -q "$1"
}
check "habar status shows the modem failing, with the reason" \
    poll 30 status_says "connection  *failing: \(cannot connect\|the modem's device went away\)"
at_mode ""
check "the modem comes back" poll 10 test -e "$AT/dev"
check "the messages of the gap answered" poll 60 has_at_sent_to +77011110005
check "  both" poll 30 has_at_sent_to +77011110006
check "habar status shows it working again" \
    poll 30 status_says "connection  *working"
# Gone in the middle of a send: the PDU is lost; sent again once back.
at_mode "vanish_at_send=3"
at_inject +77011110007 "komek"
check "a reply lost as the modem vanished is sent when it is back" \
    poll 60 has_at_sent_to +77011110007
check "the SIM is empty and the queues too" poll 30 sh -c \
    "[ \$(ls '$AT/sim' | grep -c '^[0-9]') -eq 0 ]"
check "  inbox and outbox empty" poll 20 queues_empty

# A slow modem (1 s an answer; a poll is six commands) does not stall
# HTTP: /sms answers in half a modem answer or less (in make check's
# logs it never took more than 0.06 s; with 3 s an answer, as until the
# thirteenth session, the modem's message took 43 s of this suite).  A
# watchdog of 5 s would abort every poll of it: restarted with one of 60.
check "habard stops" stop_daemon
sed -i 's/^	watchdog = 5;/	watchdog = 60;/' "$T/habar.conf"
connected() { grep -q 'modem connected' "$LOG"; }
: >"$LOG"
check "restarted with a 60 s watchdog" start_daemon
check "  connected" poll 30 connected
at_mode "delay=1"
at_inject +77011110008 "паспорт"
slow_http() {
	secs=$(curl -s --max-time 5 -o "$T/http.out" -w '%{time_total}' \
	    "http://127.0.0.1:$HTTP_PORT/sms?from=%2B77011110099&text=komek") ||
	    return 1
	echo "# /sms answered in $secs s while the modem is slow"
	awk -v s="$secs" 'BEGIN { exit !(s < 0.5) }' && grep -q 112 "$T/http.out"
}
busy() { [ "$(awk -v t="$(now_ms)" '$1 > t - 4000' "$AT/log" | wc -l)" -ge 1 ]; }
check "the slow modem is being talked to" poll 20 busy
check "/sms answers at once while the modem is slow" slow_http
check "  and again" slow_http
check "the slow modem's message answered all the same" \
    poll 120 has_at_sent_to +77011110008
at_mode ""

# A full SIM (4 slots): two status reports and two messages; habard
# reads and deletes all of them.
at_mode "capacity=4"
python3 "$ROOT/tests/tools/atmodem.py" report "$AT" +77011110009 1
python3 "$ROOT/tests/tools/atmodem.py" report "$AT" +77011110009 2
at_inject +77011110010 "паспорт"
at_inject +77011110011 "зарплата"
check "a full SIM's messages answered" poll 60 has_at_sent_to +77011110011
check "  both" has_at_sent_to +77011110010
check "and the full SIM emptied, status reports too" poll 30 sim_empty
at_mode ""
check "habard stops" stop_daemon
check "no phone number in habard's log" \
    sh -c "! grep -q '+7701111' '$LOG'"
at_stop

finish
