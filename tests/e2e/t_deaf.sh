#!/bin/sh
# Issue 20, what t_atastray.sh (the accept-everything AT modem) and
# t_stepover.sh (entries that are no SMS on the simulated phone) do not
# cover:
#  1. PDUs libGammu's AT driver cannot decode, listed on the SIM before a
#     message: stepped over, the message answered in the same poll.
#  2. A phone that cannot be read at all (the dummy driver told by its
#     gammurc that it cannot list messages): habard reconnects after 3
#     polls of nothing but errors and, while reading still fails, keeps
#     reconnecting on the backoff schedule, says why once, and "habar
#     status" shows the connection failing with the reason; as soon as
#     the phone can be read again the waiting message is answered and the
#     status says working.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "1..0 # skip no python3"; exit 0; }

# loglines REGEX: lines of the daemon's log matching REGEX.
loglines() {
	grep -c -- "$1" "$LOG"
}

status_has() {
	"$HABAR" -f "$T/habar.conf" status | grep 'connection' |
	    grep -q -- "$1"
}

# --- 1. Undecodable PDUs on the AT modem's SIM --------------------------
replied() {
	at_sent | cut -f1 | grep -qx -- "$1"
}
check "the AT modem starts on a pty" at_start
at_conf ""
# A PDU cut short after the sender's address, and one that is all 0xFF.
python3 "$ROOT/tests/tools/atmodem.py" put "$AT" "0791770100000000040B91"
python3 "$ROOT/tests/tools/atmodem.py" put "$AT" "00FFFFFFFFFFFFFFFFFFFF"
at_inject +77015550001 "Salem"
check "habard starts on a SIM with undecodable PDUs" start_daemon
check "the message after them answered" poll 60 replied +77015550001
check "without a reconnect" [ "$(loglines '^modem connected')" -eq 1 ]
check "the undecodable entries stepped over, with a location" \
    [ "$(loglines "stepped over the phone's entry at location [0-9]*: cannot be read")" -ge 1 ]
check "habard stops" stop_daemon
at_stop
rm -rf "$LOG" "$DB" "$DB-wal" "$DB-shm"

# --- 2. A phone that cannot be read at all ------------------------------
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
check "habar status: the connection failing, and why" \
    status_has "failing: cannot read messages"
check "nothing answered meanwhile" [ "$(nsent)" -eq 0 ]
# Readable again (another feature rather than none: libGammu keeps the
# features a gammurc set for the rest of the process).
gammurc NO_UCS2
check "the waiting message answered once the phone can be read" \
    wait_sent 1
check "habard said it reads again" \
    [ "$(loglines 'reading messages again')" -eq 1 ]
check "habar status: the connection working" poll 20 status_has working
check "habard stops" stop_daemon
finish
