#!/bin/sh
# The pseudonym key of an epoch is made when habard starts, and at the
# epoch boundary the old key file is destroyed with no message coming
# in.  The clock is moved with libfaketime (the faketime command):
# habard starts fifteen seconds before a UTC midnight, with day epochs.
. "$(dirname "$0")/lib.sh"

# The library itself, preloaded: habard is then $PID, not a wrapper.
FTLIB=$(ls /usr/lib/*/faketime/libfaketimeMT.so.1 2>/dev/null | head -n 1)
if [ -z "$FTLIB" ]; then
	ok "epoch boundary # SKIP no libfaketime (tools/deps.sh installs it)"
	finish
fi

DAY1=2030-01-01
DAY2=2030-01-02
EPOCH=day write_conf

key_gone() {
	[ ! -e "$T/keys/$DAY1.key" ] && [ -e "$T/keys/$DAY2.key" ]
}

: >>"$LOG"
# An ASan build must not insist on coming first before libfaketime.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
    TZ=UTC LD_PRELOAD="$FTLIB" FAKETIME="@$DAY1 23:59:45" \
    "$HABARD" -d -f "$T/habar.conf" >>"$LOG" 2>&1 &
PID=$!
check "habard starts just before midnight" poll 20 started
check "the day's key is made at start, before any message" \
    [ -e "$T/keys/$DAY1.key" ]
inject +77016660300 "паспорт"
check "a message answered before midnight" wait_sent 1
check "with the day's key" [ -e "$T/keys/$DAY1.key" ]
check "at midnight the old key file is destroyed, with no message" \
    poll 30 key_gone
check "the log says so" grep -q "destroyed old pseudonym key" "$LOG"
check "no other message came in" [ "$(nsent)" -eq 1 ]
inject +77016660301 "паспорт"
check "the next message is answered with the new key" wait_sent 2
check "only the new key is on disk" \
    [ "$(ls "$T/keys")" = "$DAY2.key" ]
check "habard stops cleanly" stop_daemon

# The new day's key cannot be made (a folder stands in its place): past
# midnight a message gets no reply, rather than one no limit counts.
rm -rf "$T/keys" "$PHONE" "$DB" "$DB-wal" "$DB-shm"
: >"$LOG"
EPOCH=day write_conf
mkdir -p "$T/keys/$DAY2.key"
guarded() {
	[ "$(sql "SELECT count(*) FROM events WHERE \"match\" = 'guarded'")" = 1 ]
}
old_gone() {
	[ ! -e "$T/keys/$DAY1.key" ]
}
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
    TZ=UTC LD_PRELOAD="$FTLIB" FAKETIME="@$DAY1 23:59:55" \
    "$HABARD" -d -f "$T/habar.conf" >>"$LOG" 2>&1 &
PID=$!
check "habard starts again before midnight" poll 20 started
check "past midnight the old key goes all the same" poll 30 old_gone
inject +77016660302 "паспорт"
check "a message with no key is logged as guarded" poll 30 guarded
check "and gets no reply" [ "$(nsent)" -eq 0 ]
check "the log says why" grep -q "no reply: no pseudonym key" "$LOG"
check "habard stops cleanly" stop_daemon
finish
