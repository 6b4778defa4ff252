# Shared by the end-to-end scripts: a fresh simulated phone and database
# in a temp folder, the real habard started on them, TAP-style results.
# Nothing here sleeps a fixed time: every wait polls with a deadline.

ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
HABARD=${HABARD:-$ROOT/bin/habard}
HABAR=${HABAR:-$ROOT/bin/habar}
SIMPHONE=${SIMPHONE:-$ROOT/bin/simphone}
# SIMPHONE_READ: the simphone the waits below read the sent folder with,
# many times a test (tests/run.sh: the plain build's, also in the ASan
# pass, where $SIMPHONE's reads cost a third of a second of CPU each; the
# ASan simphone still files every message, and the suites that call
# "$SIMPHONE sent" themselves read with it).
SIMPHONE_READ=${SIMPHONE_READ:-$SIMPHONE}
case $HABARD in /*) ;; *) HABARD=$ROOT/$HABARD ;; esac
case $HABAR in /*) ;; *) HABAR=$ROOT/$HABAR ;; esac
case $SIMPHONE in /*) ;; *) SIMPHONE=$ROOT/$SIMPHONE ;; esac
case $SIMPHONE_READ in /*) ;; *) SIMPHONE_READ=$ROOT/$SIMPHONE_READ ;; esac
T=$(mktemp -d "${TMPDIR:-/tmp}/habar-e2e.XXXXXX")
# python3 the interpreter itself, first in PATH: where it is a version
# manager's shim (pyenv's runs a dozen shell scripts a call), every poll
# of the AT modem's state paid for them, a third of a CPU while a test
# waited.  A link, not a shell function: "python3 ... &" must leave the
# interpreter's own pid in $!, for at_stop to kill.
PYTHON3=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
if [ -n "$PYTHON3" ] && [ -x "$PYTHON3" ] && mkdir "$T/py" &&
    ln -s "$PYTHON3" "$T/py/python3"; then
	PATH=$T/py:$PATH
fi
PHONE=$T/phone
DB=$T/habar.db
LOG=$T/habard.log
PID=
NTEST=0
NFAIL=0

ok() {
	NTEST=$((NTEST + 1))
	echo "ok $NTEST - $1"
}

not_ok() {
	NTEST=$((NTEST + 1))
	NFAIL=$((NFAIL + 1))
	echo "not ok $NTEST - $1"
}

# check DESCRIPTION COMMAND...: ok when the command succeeds.
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# poll SECONDS COMMAND...: run the command every 50 ms until it succeeds;
# fails at once, after a last run, when the daemon started has died.
poll() {
	limit=$(($1 * 20))
	shift
	i=0
	while [ $i -lt $limit ]; do
		"$@" && return 0
		# A daemon that died changes nothing more: one last look.
		if daemon_gone; then
			"$@"
			return
		fi
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

# daemon_gone: the daemon this test started ($PID) has exited (a
# zombie not yet waited for counts as exited).
daemon_gone() {
	[ -n "$PID" ] || return 1
	if [ -r "/proc/$PID/stat" ]; then
		read -r _ _ state _ 2>/dev/null <"/proc/$PID/stat" || return 0
		[ "$state" = Z ]
		return
	fi
	! kill -0 "$PID" 2>/dev/null
}

# write_conf [EXTRA]: the daemon's configuration, with extra lines;
# LANGS, if set, its languages (default "kk", "ru").
# Tests talk to the gateway more than a person would: the reply guard
# is opened wide unless EXTRA has a guard group of its own.
write_conf() {
	mkdir -p "$PHONE/sms/1" "$PHONE/sms/3" "$PHONE/sms/4"
	case $1 in
	*guard*) guard= ;;
	*) guard='guard = { replies = 1000; daily_budget = 0;
	    http_daily_budget = 0; ussd_requests = 0; ussd_daily = 0; };' ;;
	esac
	# not ${LANGS:-"kk", "ru"}: dash drops those quotes
	langs=${LANGS:-}
	[ -n "$langs" ] || langs='"kk", "ru"'
	cat >"$T/habar.conf" <<CONF
content_dir = "${CONTENT:-$ROOT/content}";
database = "$DB";
languages = [$langs];
default_language = "ru";
log_level = "info";
modem = {
	device = "$PHONE";
	connection = "none";
	model = "dummy";
	poll_ms = 100;
	multipart_timeout = ${MULTIPART_TIMEOUT:-600};
};
pseudonym = { key_dir = "$T/keys"; epoch = "${EPOCH:-week}"; };
$guard
$1
CONF
}

started() {
	grep -q 'started:' "$LOG"
}

start_daemon() {
	: >>"$LOG"	# before the first poll reads it
	"$HABARD" -d -f "$T/habar.conf" >>"$LOG" 2>&1 &
	PID=$!
	poll 20 started
}

# stop_daemon: SIGTERM; succeeds when habard exits 0 (ASan included).
stop_daemon() {
	[ -n "$PID" ] || return 0
	kill -TERM "$PID" 2>/dev/null
	wait "$PID"
	rc=$?
	PID=
	return $rc
}

inject() {
	"$SIMPHONE" inject "$PHONE" "$@"
}

nsent() {
	"$SIMPHONE_READ" sent "$PHONE" | wc -l
}

has_sent() {
	[ "$(nsent)" -ge "$1" ]
}

# The polls for replies read the simulated phone's sent folder (DIR/sms/4,
# gateway/modem.c, a file a reply's part) with "simphone sent", which
# parses every reply the test has had so far: a tenth of a second of CPU
# and more under ASan, every 50 ms of a poll, and a third of make
# check's CPU.  So a poll reads it again only once the folder's bytes
# (sent_bytes: a cat, cheap) differ from those of the look before that
# found nothing.  Bytes, not files: a part's file appears before its
# last byte is written.
sent_bytes() {
	cat "$PHONE"/sms/4/* 2>/dev/null | wc -c
}
# look_again SIG KEY CHECK...: CHECK, unless SIG (what was sent, cheaply
# told: sent_bytes, or at_sent_files for the AT modem) is as at the last
# look for KEY, which found nothing: then false at once.  looked_none SIG
# KEY records such a look (only the last is remembered).
look_again() {
	la_sig=$1 la_key=$2
	shift 2
	if [ "$la_sig" = "${none_sig:-}" ] && [ "$la_key" = "${none_key:-}" ]; then
		return 1
	fi
	"$@" || looked_none "$la_sig" "$la_key"
}
looked_none() {
	none_sig=$1 none_key=$2
	return 1
}
# has_sent_new N, sent_beyond_new NUMBER COUNT: has_sent and sent_beyond,
# read again only when something was sent since.
has_sent_new() {
	look_again "$(sent_bytes)" "n$1" has_sent "$1"
}
sent_beyond_new() {
	look_again "$(sent_bytes)" "b$1 $2" sent_beyond "$1" "$2"
}

# wait_sent N: until N replies have been filed as sent (30 s).
wait_sent() {
	poll 30 has_sent_new "$1"
}

# The newest sent reply as "recipient<TAB>parts<TAB>coding<TAB>text".
last_sent() {
	"$SIMPHONE_READ" sent "$PHONE" | tail -n 1
}

# The replies the phone has sent to NUMBER, one a line, oldest first.
sent_to() {	# compared as strings: awk takes "+7701..." for a number
	"$SIMPHONE_READ" sent "$PHONE" | awk -F '\t' -v r="$1" '$1 "" == r ""'
}

# sent_beyond NUMBER COUNT: more than COUNT replies sent to NUMBER (all
# of them in sent_rows).
sent_beyond() {
	sent_rows=$(sent_to "$1")
	[ "$(printf '%s' "$sent_rows" | grep -c '^')" -gt "$2" ]
}

# say TEXT: send TEXT from $N and wait for its reply: one more reply to
# $N than before (counting every reply the phone sent, as this did, let
# a sender after the first read the reply before its own); sets REPLY,
# PARTS, CODING and EV (the event's topic, language and match), and
# counts the message in n.  Callers set N and n=0 first.
say() {
	# the folder as now: the first look waits until something is sent
	say_sig=$(sent_bytes)
	say_had=$(sent_to "$N" | wc -l)
	looked_none "$say_sig" "b$N $say_had"
	inject "$N" "$1" || { not_ok "inject '$1'"; return 1; }
	n=$((n + 1))
	poll 30 sent_beyond_new "$N" "$say_had" ||
	    { not_ok "'$1' answered"; return 1; }
	row=$(printf '%s\n' "$sent_rows" | tail -n 1)
	PARTS=$(printf '%s' "$row" | cut -f2)
	CODING=$(printf '%s' "$row" | cut -f3)
	REPLY=$(printf '%s' "$row" | cut -f4-)
	EV=$(sql "SELECT topic || ' ' || lang || ' ' || match FROM events ORDER BY id DESC LIMIT 1")
	echo "# '$1' -> [$EV] $PARTS part(s) $CODING: $REPLY"
	return 0
}

# has TEXT: the last reply holds TEXT.
has() {
	printf '%s' "$REPLY" | grep -qF "$1"
}

# test_port K: a TCP port for this run (K tells a test's ports apart),
# below the kernel's ephemeral range (from 32768), where an outgoing
# connection of anything else on the machine could hold it, and not
# one something already listens on.
test_port() {
	p=$((20000 + ($$ + $1) % 12000))
	while command -v ss >/dev/null 2>&1 &&
	    ss -ltn 2>/dev/null | grep -q "[:.]$p "; do
		p=$((p + 4))
	done
	echo "$p"
}

# sql SQL: run it on the test's database; waits while the daemon holds
# the write lock, as a second writer must (without, an insert beside a
# busy daemon fails with "database is locked").
sql() {
	sqlite3 -batch -noheader -cmd '.timeout 10000' "$DB" "$1"
}

# sql_is SQL VALUE, sql_ge SQL N: the query gives VALUE (at least N)
# within 10 s.  For what an HTTP answer logs: it may go out a few ms
# before its record is committed (grouped commits, gateway/serve.c).
sql_is() {
	poll 10 sql_eq_ "$1" "$2"
}
sql_ge() {
	poll 10 sql_ge_ "$1" "$2"
}
sql_eq_() {
	[ "$(sql "$1")" = "$2" ]
}
sql_ge_() {
	[ "$(sql "$1")" -ge "$2" ] 2>/dev/null
}

# children_of PID [PROC]: the pids of PID's children, read from PROC's
# (/proc's) stat files.  cat, not awk, opens them: a process that ends
# between the glob and the read leaves a file that cannot be opened, and
# mawk, Debian's awk, stops at the first such file, so that the children
# listed after it were missed (t_reload failed so once in a busy make
# check).  The command name, between the first "(" and the last ")",
# may hold spaces; the ppid is the second field after it.
children_of() {
	cat "${2:-/proc}"/[0-9]*/stat 2>/dev/null |
	    sed 's/ (.*) / /' | awk -v pp="$1" '$3 == pp { print $1 }'
}
# left_running: the pids of the processes still running with this test's
# folder in their command line (a daemon, a modem, a Kannel the test
# started), read in /proc; the pattern's "[h]" keeps grep's own out.
left_running() {
	lr_b=${T##*/}
	grep -l -- "${T%/*}/[${lr_b%"${lr_b#?}"}]${lr_b#?}/" \
	    /proc/[0-9]*/cmdline 2>/dev/null |
	    sed -n 's|^/proc/\([0-9]*\)/cmdline$|\1|p'
}
none_left() {
	[ -z "$(left_running)" ]
}

finish() {
	[ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null
	PID=	# gone: poll must not stop at it (daemon_gone)
	[ -n "$ATPID" ] && kill "$ATPID" 2>/dev/null
	# what a test leaves running eats the CPU of every suite after it:
	# a modem started through a shell function once lived on, one a run
	if ! poll 5 none_left; then
		for p in $(left_running); do
			echo "# left running: $p $(tr '\0' ' ' <"/proc/$p/cmdline")"
			kill -KILL "$p" 2>/dev/null
		done
		not_ok "nothing this test started is left running"
	else
		ok "nothing this test started is left running"
	fi
	echo "1..$NTEST"
	if [ "$NFAIL" -eq 0 ]; then
		rm -rf "$T"
		exit 0
	fi
	echo "# kept $T; daemon log:"
	sed 's/^/# /' "$LOG" | tail -n 30
	exit 1
}

# chromium_ready: headless Chromium is there, installed first (as root,
# and only when missing: make check installs it, see tools/deps.sh).
chromium_ready() {
	if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		    apt-get install -y -qq chromium) >/dev/null 2>&1
	fi
	command -v chromium >/dev/null 2>&1
}

# shot HTML PNG [HEIGHT]: a screenshot of the page, 1000 pixels wide, as
# root too (--no-sandbox).  Succeeds when a PNG was written.
shot() {
	rm -f "$2"
	timeout 120 chromium --headless --no-sandbox --disable-gpu \
	    --disable-dev-shm-usage --hide-scrollbars \
	    --user-data-dir="$T/chromium" --window-size=1000,${3:-1800} \
	    --screenshot="$2" "file://$1" >/dev/null 2>&1
	rm -rf "$T/chromium"
	[ -s "$2" ] && head -c 8 "$2" | grep -q PNG
}

# The AT modem on a pseudo-terminal (tests/tools/atmodem.py): its folder
# $AT (the SIM, what it sent, its command log), its device $AT/dev.
AT=$T/at
ATPID=

# at_start [DIR]: start the modem (on DIR instead of $AT: a second one,
# whose process is then $ATPID2); succeeds once its device is there.
at_start() {
	mkdir -p "${1:-$AT}"
	python3 "$ROOT/tests/tools/atmodem.py" run "${1:-$AT}" \
	    2>>"$T/atmodem.err" &
	if [ -n "${1:-}" ]; then ATPID2=$!; else ATPID=$!; fi
	poll 10 test -L "${1:-$AT}/dev"
}

at_stop() {
	[ -n "$ATPID" ] || return 0
	kill "$ATPID" 2>/dev/null
	wait "$ATPID" 2>/dev/null
	ATPID=
	rm -f "$AT/dev"
}

# at_mode KEY=VALUE...: the modem's behaviours from now on.
at_mode() {
	printf '%s\n' "$@" >"$AT/mode.tmp" && mv "$AT/mode.tmp" "$AT/mode"
}

# at_conf [EXTRA]: write_conf on the AT modem instead of the dummy.
at_conf() {
	write_conf "$1"
	sed -i -e "s|^	device = \"$PHONE\";|	device = \"$AT/dev\";|" \
	    -e 's|^	connection = "none";|	connection = "at115200";|' \
	    -e '/^	model = "dummy";/d' "$T/habar.conf"
}

# at_inject ARGS...: store an SMS on the modem's SIM (atmodem.py inject).
at_inject() {
	python3 "$ROOT/tests/tools/atmodem.py" inject "$AT" "$@"
}

# at_sent: the replies the modem sent, decoded by atmodem.py (not by
# habar or libGammu): "number<TAB>coding<TAB>parts<TAB>text", newlines
# in the text as \n.
at_sent() {
	python3 "$ROOT/tests/tools/atmodem.py" sent "$AT"
}

at_nsent() {
	at_sent | wc -l
}

# at_sent_files: the PDUs the modem sent (files DIR/sent/N, written
# whole: atmodem.py renames each into place), counted by an ls: the polls
# below start python3 (a tenth of a second of CPU, every 50 ms of a poll)
# only when it has changed since a look that found nothing (look_again).
at_sent_files() {
	ls "$AT/sent" 2>/dev/null | wc -l
}

at_has_sent() {
	look_again "$(at_sent_files)" "at n$1" at_nsent_ge "$1"
}
at_nsent_ge() {
	[ "$(at_nsent)" -ge "$1" ]
}

# at_sent_to NUMBER: the decoded reply the modem sent to NUMBER, as
# "coding<TAB>parts<TAB>text".
at_sent_to() {
	at_sent | awk -F '\t' -v n="$1" '$1 == n { sub(/^[^\t]*\t/, ""); print }'
}

# has_at_sent_to NUMBER: a reply to NUMBER was sent.
has_at_sent_to() {
	look_again "$(at_sent_files)" "at to$1" at_sent_to_any "$1"
}
at_sent_to_any() {
	[ -n "$(at_sent_to "$1")" ]
}

# at_count REGEX: lines of the modem's command log matching REGEX.
at_count() {
	grep -c -- "$1" "$AT/log" 2>/dev/null
}

# at_nsim: messages stored on the SIM.
at_nsim() {
	ls "$AT/sim" | grep -c '^[0-9]'
}
