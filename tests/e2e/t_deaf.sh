#!/bin/sh
# Never go deaf (issue 20): a confused modem session or one unusable
# entry must not stop habard from reading.
#  1. The pty AT modem of tests/tools/atmodem.py answering OK to every
#     command, AT+MODE=2 included: after each health check libGammu's AT
#     driver can no longer list the SIM, every read fails; habard
#     reconnects after 3 such polls, and messages arriving after the
#     first and the second health check are answered.
#  2. The simulated phone with Gammu backups of a calendar entry and a
#     GPRS point, a corrupt file and an empty one before and between
#     messages: every message answered once in the first poll, each
#     other entry reported once with its place, never its content.
#  3. A phone that cannot be read at all (the dummy driver told by its
#     gammurc that it cannot list messages): habar status shows reading
#     failing and why, habard keeps reconnecting on the backoff schedule
#     and says so once, and reads again as soon as the phone can be read.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "1..0 # skip no python3"; exit 0; }

# replied NUMBER: the pty modem sent a reply to NUMBER.
replied() {
	at_sent | cut -f1 | grep -qx -- "$1"
}

# health_checks N: the modem has been asked for its signal N times.
health_checks() {
	[ "$(at_count 'AT+CSQ')" -ge "$1" ]
}

# loglines REGEX: lines of the daemon's log matching REGEX.
loglines() {
	grep -c -- "$1" "$LOG"
}

status_has() {
	"$HABAR" -f "$T/habar.conf" status | grep 'reading SMS' |
	    grep -q -- "$1"
}

# --- 1. A modem that accepts every command -----------------------------
check "the AT modem starts on a pty" at_start
at_mode "accept_all=1"
at_conf ""
sed -i -e 's/^	poll_ms = .*/	poll_ms = 200;\n	health_every = 10;/' \
    -e 's/^modem = {$/modem = {\n\tid = "at1";/' "$T/habar.conf"
A=+77012220001
B=+77012220002
C=+77012220003
at_inject "$A" "Salem"
check "habard starts on the modem that accepts everything" start_daemon
check "the first message answered" poll 60 replied "$A"
# A message after the first health check (at start) and the second.
check "a second health check" poll 30 health_checks 2
at_inject "$B" "Privet"
check "a message after the second health check answered" \
    poll 40 replied "$B"
check "a third health check" poll 30 health_checks 3
at_inject "$C" "Salem"
check "a message after the third health check answered" \
    poll 40 replied "$C"
check "each answered once" [ -z "$(at_sent | cut -f1 | sort | uniq -d)" ]
check "habard said why it reconnected" \
    [ "$(loglines 'cannot read messages 3 polls in a row')" -ge 1 ]
check "empty locations never reported as unreadable" \
    [ "$(loglines 'stepped over\|unreadable')" -eq 0 ]
check "habar status: reading SMS working again" poll 20 status_has working
check "habard stops" stop_daemon
at_stop

# --- 2. Entries that are no SMS, before and between messages ------------
rm -f "$LOG" "$DB" "$DB-wal" "$DB-shm"
write_conf ""
sed -i 's/^log_level = .*/log_level = "debug";/' "$T/habar.conf"
BOX=$PHONE/sms/1
# Gammu's own backup formats (gammu-backup(5)) for a calendar entry and
# a GPRS access point, as a careless copy would file them.
cat >"$BOX/1" <<'EOF'
[Calendar001]
Type = MEETING
Text = "Planning meeting"
StartTime = 20250101T100000Z
EOF
inject +77013330001 "salem"
printf '\001\002\377 garbage\n\000\000\377' >"$BOX/3"
cat >"$BOX/4" <<'EOF'
[GPRSPoint001]
Name = "internet"
URL = "internet.example"
EOF
inject +77013330002 "privet"
: >"$BOX/6"
inject +77013330003 "zhumys"
check "habard starts on the cluttered phone" start_daemon
check "every message answered" wait_sent 3
check "in the first poll" \
    [ "$(loglines '^3 message(s) taken from the phone')" -eq 1 ]
inject +77013330004 "salem"
check "a message filed later answered too" wait_sent 4
check "each answered once" \
    [ -z "$("$SIMPHONE" sent "$PHONE" | cut -f1 | sort | uniq -d)" ]
check "four entries stepped over, each reported once" \
    [ "$(loglines 'stepped over')" -eq 4 ]
check "reported with their place" \
    [ "$(loglines 'stepped over the phone.s entry at file sms/1/[1346]:')" \
    -eq 4 ]
check "and never their content" \
    [ "$(grep 'stepped over' "$LOG" | grep -c 'meeting\|internet')" -eq 0 ]
check "left on the phone" [ "$(ls "$BOX" | wc -l)" -eq 4 ]
check "habar status counts them" status_has "4 entries stepped over"
check "habard stops" stop_daemon

# --- 3. A phone that cannot be read at all ------------------------------
rm -rf "$LOG" "$DB" "$DB-wal" "$DB-shm" "$PHONE"
# gammurc PHONE-FEATURE: the simulated phone described by $T/gammurc.
gammurc() {
	printf '[gammu]\ndevice = %s\nconnection = none\nmodel = dummy\n%s\n' \
	    "$PHONE" "features = $1" >"$T/gammurc"
}
gammurc DISABLE_GETNEXTSMS
write_conf ""
sed -i -e "s|^	device = .*|	gammurc = \"$T/gammurc\";|" \
    -e '/^	connection = /d' -e '/^	model = /d' "$T/habar.conf"
inject +77014440001 "salem"
check "habard starts on a phone it cannot read" start_daemon
reconnects() {
	[ "$(loglines 'modem connected')" -ge 4 ]
}
check "habard keeps reconnecting" poll 40 reconnects
check "and said why once" \
    [ "$(loglines 'cannot read messages 3 polls in a row')" -eq 1 ]
check "habar status: reading SMS failing, and why" \
    status_has "failing: cannot read messages"
check "nothing answered meanwhile" [ "$(nsent)" -eq 0 ]
# Readable again (another feature rather than none: libGammu keeps the
# features a gammurc set for the rest of the process).
gammurc NO_UCS2
check "the waiting message answered once the phone can be read" \
    wait_sent 1
check "habard said it reads again" \
    [ "$(loglines 'reading messages again')" -eq 1 ]
check "habar status: reading SMS working" poll 20 status_has working
check "habard stops" stop_daemon
finish
