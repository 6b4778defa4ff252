#!/bin/sh
# make bench: never a test, nothing measured is committed.  Prints tables:
#  1. end-to-end on the simulated phone (Gammu's dummy driver): N inbound
#     SMS (default 1000, Cyrillic, every fourth one in two parts) placed
#     on the phone before the gateway starts, time until every reply has
#     been sent, for habard and, side by side on the same messages, for
#     gammu-smsd (files service, RunOnReceive script answering through
#     gammu-smsd-inject, the setup people build by hand);
#  2. the pipeline without a modem (tests/bench/pipeline.c): normalize ->
#     route -> compose alone, and through serve.c as the daemon runs it
#     (pseudonym, session, guard, event, one transaction a message as
#     for SMS; grouped commits from two threads as for HTTP): queries/s,
#     and instructions per query under valgrind's callgrind;
#  2b. the HTTP channel through habard under wrk: /sms and /ussd, 64
#     connections on the loopback, a configuration with no limit and no
#     budget so every request is answered: requests/s, p50 and p99;
#  3. footprint: habard's peak RSS with the shipped content and with 1000
#     generated topics (keywords only: routed by keywords, not classes
#     of the classifier); with the shipped content also its peak over
#     five SIGHUP reloads and its RSS before and after them; the peak
#     of the process it learns in (learn_train_apart()); and the
#     reload time (parse, index and learn) of the shipped content and of
#     those 1000 topics, and how long habard stops answering for one
#     (it learns apart and answers meanwhile);
#  4. the router alone (issue 3).
cd "$(dirname "$0")/.." || exit 2
N=${N:-1000}
P=${P:-1000000}		# pipeline queries
CG=${CG:-20000}		# pipeline queries under callgrind
ROOT=$(pwd)
PIPELINE=${PIPELINE:-build/bench/pipeline}
# Every figure with the five languages the demo and the production sample
# enable (tests/bench/pipeline.c loads the same five).
LANGS='"kk", "ru", "uz", "ky", "tg"'
. tests/e2e/lib.sh

elapsed() {	# elapsed START: seconds since START (date +%s.%N)
	awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }'
}

# The messages: ten keywords, Kazakh and Russian; every fourth message in
# two parts with the keyword cut in half across them.
words="көмек паспорт зарплата жұмыс тіркеу алаяқтық 112 меню помощь работа"
message() {	# message I: the parts of message I, one a line
	m=$1
	set -- $words
	shift $((m % 10))
	w=$1
	if [ $((m % 4)) -eq 3 ]; then
		printf 'Сәлеметсіз бе, маған %s\n' "$(printf '%s' "$w" | cut -c1-2)"
		printf '%s керек, көмектесіңізші\n' "$(printf '%s' "$w" | cut -c3-)"
	else
		printf '%s\n' "$w"
	fi
}
inject_all() {	# inject_all PHONE COUNT: the messages into a phone folder
	i=0
	while [ $i -lt "$2" ]; do
		if [ $((i % 4)) -ne 3 ]; then
			"$SIMPHONE" inject "$1" "+7701$(printf '%07d' $i)" \
			    "$(message $i)" || return 1
		else
			"$SIMPHONE" inject "$1" "+7701$(printf '%07d' $i)" \
			    "$(message $i | sed -n 1p)" \
			    "$(message $i | sed -n 2p)" || return 1
		fi
		i=$((i + 1))
	done
}

# 1a. habard.
write_conf
inject_all "$PHONE" "$N" || { echo "bench: cannot inject"; exit 1; }
# Done when every message has its event and the outbox is empty: read
# from the database, since listing a phone folder of thousands of sent
# parts through libGammu costs more than the gateway itself.
all_sent() {
	[ "$(sql "SELECT (SELECT count(*) FROM events) = $N AND
	    (SELECT count(*) FROM outbox) = 0" 2>/dev/null)" = 1 ]
}
start=$(date +%s.%N)
start_daemon || { echo "bench: habard did not start"; cat "$LOG"; exit 1; }
poll 900 all_sent
habard_s=$(elapsed "$start")
stop_daemon
habard_parts=$(sql "SELECT sum(parts) FROM events")

# 1b. gammu-smsd on its own copy of the phone, same messages, the same
# replies (looked up by the RunOnReceive script in a table that habar
# made for these very messages), tuned for speed: no pause between loops.
if ! command -v gammu-smsd >/dev/null 2>&1 ||
    ! command -v gammu-smsd-inject >/dev/null 2>&1; then
	echo "bench: installing gammu-smsd" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q gammu-smsd \
	    >/dev/null 2>&1 || echo "bench: cannot install gammu-smsd" >&2
fi
G=$T/smsd
mkdir -p "$G/phone/sms/1" "$G/phone/sms/3" "$G/phone/sms/4" "$G/inbox" \
    "$G/outbox" "$G/sent" "$G/error"
k=0
while [ $k -lt 20 ]; do	# the replies, by the message's joined text
	text=$(message $k | tr -d '\n')
		reply=$("$HABAR" -f "$T/habar.conf" try "$text" | awk '
		    /^--- SMS/ { on = 1; next }
		    /^scripts:/ { on = 0 }
		    on { printf "%s", $0 }')
	printf '%s\t%s\n' "$text" "$reply"
	k=$((k + 1))
done | sort -u >"$G/replies.tsv"
cat >"$G/smsdrc" <<CONF
[gammu]
device = $G/phone
connection = none
model = dummy

[smsd]
service = files
inboxpath = $G/inbox/
outboxpath = $G/outbox/
sentsmspath = $G/sent/
errorsmspath = $G/error/
inboxformat = unicode
transmitformat = unicode
runonreceive = $G/answer.sh
logfile = $G/smsd.log
debuglevel = 0
loopsleep = 0
receivefrequency = 0
commtimeout = 0
statusfrequency = 0
checksecurity = 0
checkbattery = 0
checksignal = 0
checknetwork = 0
resetfrequency = 0
hardresetfrequency = 0
multiparttimeout = 600
CONF
cat >"$G/answer.sh" <<'SCRIPT'
#!/bin/sh
# RunOnReceive: join the parts, look the answer up, queue it.
G=$(dirname "$0")
text=
i=1
while [ $i -le "$SMS_MESSAGES" ]; do
	eval "part=\$SMS_${i}_TEXT"
	text=$text$part
	i=$((i + 1))
done
reply=$(grep -F -m 1 "$text	" "$G/replies.tsv" | cut -f 2)
[ -n "$reply" ] || reply="Меню: 1 Экстренно 2 Горячая линия"
exec gammu-smsd-inject -c "$G/smsdrc" TEXT "$SMS_1_NUMBER" -unicode \
    -len 400 -text "$reply" >/dev/null 2>&1
SCRIPT
chmod +x "$G/answer.sh"
PHONE_SAVED=$PHONE
PHONE=$G/phone
inject_all "$G/phone" "$N" || { echo "bench: cannot inject"; exit 1; }
PHONE=$PHONE_SAVED
smsd_done() {
	[ "$(ls "$G/sent" | wc -l)" -ge "$N" ]
}
smsd_s=
if command -v gammu-smsd >/dev/null 2>&1; then
	start=$(date +%s.%N)
	gammu-smsd -c "$G/smsdrc" >/dev/null 2>&1 &
	GPID=$!
	poll "${SMSD_LIMIT:-3600}" smsd_done && smsd_s=$(elapsed "$start")
	kill -TERM "$GPID" 2>/dev/null
	wait "$GPID" 2>/dev/null
	smsd_sent=$(ls "$G/sent" | wc -l)
fi
awk -v n="$N" -v h="$habard_s" -v g="${smsd_s:-0}" -v gs="${smsd_sent:-0}" \
    -v hp="$habard_parts" 'BEGIN {
	printf "| end-to-end, simulated phone, %d messages (1 in 4 multipart) | seconds | messages/s |\n", n
	printf "|---|---|---|\n"
	printf "| habard (%d reply parts) | %.2f | %.1f |\n", hp, h, n / h
	if (g > 0) {
		printf "| gammu-smsd, files + RunOnReceive + gammu-smsd-inject | %.2f | %.1f |\n", g, n / g
		printf "| habard / gammu-smsd | | %.1fx |\n", g / h
	} else
		printf "| gammu-smsd: did not finish (%d of %d sent) | | |\n", gs, n
}'

# 2. The pipeline without a modem.
B=$(mktemp -d "${TMPDIR:-/tmp}/habar-bench.XXXXXX")
grep -v '^#' tests/data/queries.tsv | cut -f 1 >"$B/queries"
pipe() {	# pipe N MODE: "N SECONDS"
	rm -rf "$B/p.db" "$B/p.db-wal" "$B/p.db-shm" "$B/p.db.keys"
	"$PIPELINE" run content "$B/queries" "$1" "$B/p.db" "$2"
}
set -- $(pipe "$P" answer)
nolog="$1 $2"
set -- $(pipe $((P / 10)) group)
batched="$1 $2"
set -- $(pipe $((P / 50)) serve)
single="$1 $2"
instr() {	# instr N MODE: total instructions under callgrind
	rm -rf "$B/p.db" "$B/p.db-wal" "$B/p.db-shm" "$B/p.db.keys" "$B/cg"
	valgrind --tool=callgrind --callgrind-out-file="$B/cg" \
	    "$PIPELINE" run content "$B/queries" "$1" "$B/p.db" "$2" \
	    >/dev/null 2>&1 || return 1
	sed -n 's/^summary: //p; s/^totals: //p' "$B/cg" | head -n 1
}
ipq_nolog=
ipq_log=
if command -v valgrind >/dev/null 2>&1; then
	# The difference between two runs leaves the start-up out.
	a=$(instr $((CG / 10)) answer) && b=$(instr "$CG" answer) &&
	    ipq_nolog=$(awk -v a="$a" -v b="$b" -v n=$((CG - CG / 10)) \
	    'BEGIN { printf "%.0f", (b - a) / n }')
	a=$(instr $((CG / 10)) serve) && b=$(instr "$CG" serve) &&
	    ipq_log=$(awk -v a="$a" -v b="$b" -v n=$((CG - CG / 10)) \
	    'BEGIN { printf "%.0f", (b - a) / n }')
fi
awk -v nl="$nolog" -v ba="$batched" -v si="$single" -v i0="$ipq_nolog" \
    -v i1="$ipq_log" 'function row(name, v, ipq,   f) {
	split(v, f, " ")
	printf "| %s | %d | %.2f | %.0f | %s |\n", name, f[1], f[2],
	    f[1] / f[2], ipq == "" ? "-" : ipq
} BEGIN {
	printf "\n| pipeline, one core, no modem | queries | seconds | queries/s | instructions/query (callgrind) |\n"
	printf "|---|---|---|---|---|\n"
	row("normalize -> route -> compose", nl, i0)
	row("serve: + pseudonym, session, guard, event; one transaction a message (as SMS)", si, i1)
	row("serve from 2 threads, grouped commits (as HTTP)", ba, "")
}'

# 2b. The HTTP channel through habard, under wrk: 64 connections on
# the loopback for WRK_S seconds each, 10,000 senders, no limit and no
# budget (every request answered; checked in the database afterwards).
# One wrk thread drives the 64 connections: on two cores a second one
# takes its core from habard, and the figure measured wrk as much as
# habard (2026-12-05, /sms: 20,000/s and p99 25 ms with two, 22,000 to
# 28,000/s and p99 12 to 18 ms with one, the machine otherwise busy).
WRK_S=${WRK_S:-10}
if command -v wrk >/dev/null 2>&1; then
	H=$B/http
	mkdir -p "$H"
	HPORT=$(test_port 9)
	cat >"$H/habar.conf" <<CONF
content_dir = "$ROOT/content";
database = "$H/habar.db";
languages = [$LANGS];
default_language = "ru";
log_level = "warning";
pseudonym = { key_dir = "$H/keys"; };
guard = { replies = 0; daily_budget = 0; http_daily_budget = 0;
    ussd_requests = 0; ussd_daily = 0; };
http = { listen = "127.0.0.1"; port = $HPORT; token = "bench-token";
    max_connections = 256; max_per_address = 256; };
CONF
	cat >"$H/sms.lua" <<'LUA'
local texts = { "%D0%BF%D0%B0%D1%81%D0%BF%D0%BE%D1%80%D1%82", "112",
    "pasport", "%D0%BC%D0%B5%D0%BD%D1%8E", "zarplata",
    "%D0%BA%D3%A9%D0%BC%D0%B5%D0%BA" }
local i = 0
request = function()
	i = i + 1
	return wrk.format("GET", string.format(
	    "/sms?from=%%2B7701%07d&text=%s", i % 10000, texts[i % #texts + 1]),
	    { ["X-Habar-Token"] = "bench-token" })
end
LUA
	cat >"$H/ussd.lua" <<'LUA'
local paths = { "", "4", "4*99", "99", "1", "0" }
local i = 0
request = function()
	i = i + 1
	return wrk.format("POST", "/ussd", {
	    ["Content-Type"] = "application/x-www-form-urlencoded",
	    ["X-Habar-Token"] = "bench-token" }, string.format(
	    "sessionId=b%d&serviceCode=*7010%%23&phoneNumber=%%2B7702%07d&text=%s",
	    i, i % 10000, paths[i % #paths + 1]))
end
LUA
	"$HABARD" -d -f "$H/habar.conf" >"$H/log" 2>&1 &
	HPID=$!
	up() { curl -s -o /dev/null -H 'X-Habar-Token: bench-token' \
	    "http://127.0.0.1:$HPORT/sms?from=%2B77010000000&text=112"; }
	poll 20 up
	load=$(uptime | sed 's/.*load average: //')
	wrk -t1 -c64 -d"${WRK_S}s" --latency -s "$H/sms.lua" \
	    "http://127.0.0.1:$HPORT" >"$H/sms.out" 2>&1
	wrk -t1 -c64 -d"${WRK_S}s" --latency -s "$H/ussd.lua" \
	    "http://127.0.0.1:$HPORT" >"$H/ussd.out" 2>&1
	kill -TERM "$HPID"
	wait "$HPID"
	# answered: 200 with a reply, an event each, none guarded
	guarded=$(sqlite3 "$H/habar.db" "SELECT count(*) FROM events
	    WHERE \"match\" = 'guarded'")
	events=$(sqlite3 "$H/habar.db" "SELECT count(*) FROM events")
	wrkrow() {	# wrkrow NAME FILE
		awk -v name="$1" '
		/Requests\/sec/ { rps = $2 }
		/^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
		/requests in/ { n = $1 }
		/Non-2xx/ { bad = $5 }
		END { printf "| %s | %d | %.0f | %s | %s | %d |\n", name, n,
		    rps, p50, p99, bad }' "$2"
	}
	printf '\n| HTTP through habard, wrk -t1 -c64, %s s each (load %s) | requests | requests/s | p50 | p99 | non-2xx |\n' \
	    "$WRK_S" "$load"
	printf '|---|---|---|---|---|---|\n'
	wrkrow "GET /sms (Kannel), 10,000 senders" "$H/sms.out"
	wrkrow "POST /ussd, 10,000 numbers" "$H/ussd.out"
	echo "| events logged: $events, of them guarded: $guarded (target /sms: >= 15,000/s, p99 <= 20 ms) | | | | | |"
else
	echo "bench: wrk not installed: no HTTP figures (make bench installs it as root)"
fi

# 3. Footprint: peak RSS with the shipped content and with 1000 more
# topics, and the reload time of those.
GEN=$B/content
mkdir -p "$GEN/topics"
cp content/topics/*.txt "$GEN/topics/"
[ -d content/lists ] && cp -R content/lists "$GEN/"
awk -v dir="$GEN/topics" 'BEGIN {
	split("ба ве ги до жу за ле ми но пу", s, " ")
	split("бе во гу да жи зо ла му ни по", t, " ")
	for (i = 0; i < 1000; i++) {
		a = s[int(i / 100) + 1]; b = s[int(i / 10) % 10 + 1]
		c = s[i % 10 + 1]
		ka = t[int(i / 100) + 1]; kb = t[int(i / 10) % 10 + 1]
		kc = t[i % 10 + 1]
		f = sprintf("%s/gen%04d.txt", dir, i)
		printf "id: gen%04d\nverified: 2026-01-01\nsource: make bench\n\n", i > f
		printf "[ru]\ntitle: Тема %d\nkeywords: %s%s%sка, %s%s%sки\n", i, a, b, c, a, b, c > f
		printf "text:\nТема %d: куда обращаться, какие документы нужны и что делать, если работодатель не платит. Горячая линия: 111.\n\n", i > f
		printf "[kk]\ntitle: Тақырып %d\nkeywords: %s%s%sқа, %s%s%sқы\n", i, ka, kb, kc, ka, kb, kc > f
		printf "text:\nТақырып %d: қайда жүгіну керек, қандай құжаттар керек. Жедел желі: 111.\n\n", i > f
		# the other three languages the demo enables, keywords of their own
		printf "[uz]\ntitle: Mavzu %d\nkeywords: %s%s%sлар\ntext:\nMavzu %d: 111.\n\n", i, a, b, c, i > f
		printf "[ky]\ntitle: Тема %d\nkeywords: %s%s%sдар\ntext:\nТема %d: 111.\n\n", i, a, b, c, i > f
		printf "[tg]\ntitle: Мавзӯъ %d\nkeywords: %s%s%sҳо\ntext:\nМавзӯъ %d: 111.\n", i, a, b, c, i > f
		close(f)
	}
}'
# rss_run CONTENT_DIR [N]: habard's VmHWM and VmRSS in kB after 100
# messages; with N, again after N SIGHUP reloads of a copy of the content,
# each after an example was added to passport.txt's [ru] (a reload
# holds the old set while it learns the new one; with no keyword or
# example changed it would copy the classifier and learn nothing).
rss_run() {
	rm -rf "$T"
	mkdir -p "$T"
	PHONE=$T/phone
	DB=$T/habar.db
	LOG=$T/habard.log
	cp -R "$1" "$T/content"
	CONTENT=$T/content write_conf
	inject_all "$PHONE" 100 >/dev/null || return 1
	start_daemon || { cat "$LOG" >&2; return 1; }
	n100() { [ "$(sql 'SELECT count(*) FROM events')" = 100 ]; }
	poll 120 n100
	awk '/^VmHWM|^VmRSS/ { print $2 }' "/proc/$PID/status"
	k=1
	while [ $k -le "${2:-0}" ]; do
		f=$T/content/topics/passport.txt
		sed "s/^\\[ru\\]\$/[ru]\\nexample: bench reload $k/" "$f" >"$f.new" &&
		    mv "$f.new" "$f"
		kill -HUP "$PID"
		hup_k() {
			[ "$(grep -c 'configuration reloaded' "$LOG")" -ge $k ]
		}
		poll 60 hup_k
		k=$((k + 1))
	done
	[ "${2:-0}" -eq 0 ] ||
	    awk '/^VmHWM|^VmRSS/ { print $2 }' "/proc/$PID/status"
	# the process that learned apart: its peak at start, the most of
	# the reloads' (kB; habard logs them)
	awk '/learned apart: that process.s peak/ { v = $(NF - 1) * 1024
		if (n++ == 0) first = v; else if (v > most) most = v }
	    END { printf "%d %d\n", first, most }' "$LOG"
	stop_daemon
}
set -- $(rss_run "$ROOT/content" 5)
rss_shipped=$1 rss_before=$2 rss_reload_peak=$3 rss_after=$4
apart_start=$5 apart_reload=$6
set -- $(rss_run "$GEN")
rss_gen=$1 apart_gen=$3
ntopics=$(ls "$GEN/topics" | wc -l)
set -- $("$PIPELINE" reload "$GEN" 5) $("$PIPELINE" reload "$ROOT/content" 5) \
    $("$PIPELINE" reload-kept "$ROOT/content" 5) \
    $("$PIPELINE" reload-later "$ROOT/content" 5)
awk -v a="$rss_shipped" -v b="$rss_gen" -v n="$ntopics" -v r="$1" -v rc="$2" \
    -v rp="$rss_reload_peak" -v r0="$rss_before" -v r5="$rss_after" \
    -v as="$apart_start" -v ar="$apart_reload" -v ag="$apart_gen" \
    -v rs="$3" -v rsc="$4" -v rk="$5" -v rkc="$6" -v lp="$7" -v ll="$8" \
    -v ns="$(ls content/topics | wc -l)" \
    -v ne="$(cat content/topics/*.txt | grep -c '^ *example:')" 'BEGIN {
	printf "\n| footprint | value |\n|---|---|\n"
	printf "| habard peak RSS (VmHWM), shipped content (%d topics) | %.1f MB |\n", ns, a / 1024
	printf "| habard peak RSS (VmHWM), %d topics | %.1f MB |\n", n, b / 1024
	printf "| habard peak RSS (VmHWM) over five reloads, shipped content | %.1f MB |\n", rp / 1024
	printf "| habard RSS between messages, shipped content: before the reloads, after | %.1f MB, %.1f MB |\n", r0 / 1024, r5 / 1024
	printf "| the process habard learns in (its peak RSS, pages shared with habard counted): start, most over five reloads; %d topics | %.1f MB, %.1f MB; %.1f MB |\n", n, as / 1024, ar / 1024, ag / 1024
	printf "| content reload (parse + index + learn), shipped (%d topics, %d examples), best of 5 | %.1f ms (CPU %.1f ms) |\n", ns, ne, rs, rsc
	printf "| content reload (parse + index + learn), %d topics, best of 5 | %.1f ms (CPU %.1f ms) |\n", n, r, rc
	printf "| content reload, shipped, no keyword or example changed (parse + index, classifier copied), best of 5 | %.1f ms (CPU %.1f ms) |\n", rk, rkc
	printf "| content reload as habard does it, shipped: its pause in answering (parse + index + the learning process started), then the new set live (its models taken), best of 5 | %.1f ms, then %.1f ms |\n", lp, ll }'
rm -rf "$T" "$B"

# The router alone (issue 3): accuracy and wrong-topic rate of "habar route
# --tsv" on the query corpus, then its queries/second on the corpus repeated
# to at least Q lines (default 1,000,000): one process, so one core.
Q=${Q:-1000000}
B=$(mktemp -d "${TMPDIR:-/tmp}/habar-bench.XXXXXX")
cat >"$B/habar.conf" <<CONF
content_dir = "$ROOT/content";
database = "$B/habar.db";
languages = [$LANGS];
default_language = "ru";
pseudonym = { key_dir = "$B/keys"; };
CONF
grep -v '^#' tests/data/queries.tsv >"$B/corpus"
cut -f 1 "$B/corpus" >"$B/queries"
bin/habar -f "$B/habar.conf" route --tsv <"$B/queries" >"$B/answers" || exit 1
set -- $(paste "$B/corpus" "$B/answers" | awk -f tests/corpus.awk | tail -n 1)
awk -v q="$Q" '{ line[NR] = $0 } END {
	for (i = 0; i < q; i++) print line[i % NR + 1] }' "$B/queries" >"$B/big"
# CPU time as well as wall time: on a machine shared with other work
# the wall time says more about the others than about the router.  The
# children's user time, from the shell's times (in this shell, not a
# subshell), before and after.
cpu_children() {	# cpu_children FILE: seconds from times' 2nd line
	awk 'NR == 2 { split($1, a, /[ms]/); print a[1] * 60 + a[2] }' "$1"
}
times >"$B/cpu0"
start=$(date +%s.%N)
bin/habar -f "$B/habar.conf" route --tsv <"$B/big" >/dev/null || exit 1
end=$(date +%s.%N)
times >"$B/cpu1"
cpu0=$(cpu_children "$B/cpu0")
cpu1=$(cpu_children "$B/cpu1")
# Those include loading the content, which learns (near a second, on two
# cores, with 15,000 examples): a run routing one query, right after,
# measures that part, taken out in the last row (the rows above include
# it, so they fall as examples are added even when routing is no slower;
# sixteenth session).
head -n 1 "$B/queries" >"$B/one"
lstart=$(date +%s.%N)
bin/habar -f "$B/habar.conf" route --tsv <"$B/one" >/dev/null || exit 1
lend=$(date +%s.%N)
awk -v n="$1" -v ok="$2" -v wrong="$3" -v ln="$4" -v lok="$5" -v q="$Q" \
    -v s="$start" -v e="$end" -v c0="$cpu0" -v c1="$cpu1" \
    -v ls="$lstart" -v le="$lend" 'BEGIN {
	printf "\n| router (habar route --tsv) | value |\n|---|---|\n"
	printf "| corpus queries | %d |\n", n
	printf "| accuracy | %.1f%% (%d) |\n", 100 * ok / n, ok
	printf "| wrong topic | %.2f%% (%d) |\n", 100 * wrong / n, wrong
	printf "| language | %.1f%% (%d of %d) |\n", 100 * lok / ln, lok, ln
	printf "| queries routed | %d in %.2f s |\n", q, e - s
	printf "| queries/second, one core | %.0f |\n", q / (e - s)
	if (c1 > c0)
		printf "| queries/second, one core, by CPU time (user) | %.0f |\n", q / (c1 - c0)
	if (e - s > le - ls)
		printf "| queries/second, one core, the load (%.0f ms: parse and learn) taken out | %.0f |\n", 1000 * (le - ls), q / ((e - s) - (le - ls)) }'
rm -rf "$B"
