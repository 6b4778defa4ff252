#!/bin/sh
# The pseudonym key of an epoch is made when habard starts, and at the
# epoch boundary the old key file is destroyed with no message coming
# in.  The clock is moved with libfaketime (the faketime command):
# habard starts thirty seconds before a UTC midnight, with day epochs
# (its start, content and training, must end before it, on a loaded
# machine and under ASan too).
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
    TZ=UTC LD_PRELOAD="$FTLIB" FAKETIME="@$DAY1 23:59:30" \
    "$HABARD" -d -f "$T/habar.conf" >>"$LOG" 2>&1 &
PID=$!
check "habard starts just before midnight" poll 20 started
check "the day's key is made at start, before any message" \
    [ -e "$T/keys/$DAY1.key" ]
inject +77016660300 "паспорт"
check "a message answered before midnight" wait_sent 1
check "with the day's key" [ -e "$T/keys/$DAY1.key" ]
check "at midnight the old key file is destroyed, with no message" \
    poll 60 key_gone
check "the log says so" grep -q "destroyed old pseudonym key" "$LOG"
check "no other message came in" [ "$(nsent)" -eq 1 ]
inject +77016660301 "паспорт"
check "the next message is answered with the new key" wait_sent 2
check "only the new key is on disk" \
    [ "$(ls "$T/keys")" = "$DAY2.key" ]
check "habard stops cleanly" stop_daemon

# The new day's key cannot be made (a folder stands in its place): past
# midnight a message is not answered, rather than answered with no
# limit to count it and recorded under no pseudonym; it waits.
rm -rf "$T/keys" "$PHONE" "$DB" "$DB-wal" "$DB-shm"
: >"$LOG"
EPOCH=day write_conf
mkdir -p "$T/keys/$DAY2.key"
old_gone() {
	[ ! -e "$T/keys/$DAY1.key" ]
}
refused() {
	grep -q "cannot make a pseudonym" "$LOG"
}
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
    TZ=UTC LD_PRELOAD="$FTLIB" FAKETIME="@$DAY1 23:59:30" \
    "$HABARD" -d -f "$T/habar.conf" >>"$LOG" 2>&1 &
PID=$!
check "habard starts again before midnight" poll 20 started
check "past midnight the old key goes all the same" poll 60 old_gone
inject +77016660302 "паспорт"
inbox2() {
	[ "$(sql "SELECT count(*) FROM inbox")" = 2 ]
}
check "a message that finds no key is refused" poll 30 refused
inject +77016660303 "виза"
check "a second one waits too" poll 30 inbox2
check "said once, not at every round" \
    [ "$(grep -c "cannot make a pseudonym" "$LOG")" = 1 ]
check "they get no reply" [ "$(nsent)" -eq 0 ]
check "no event under no pseudonym" \
    [ "$(sql "SELECT count(*) FROM events")" = 0 ]
check "habard stops cleanly" stop_daemon
finish
