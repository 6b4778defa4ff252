#!/bin/sh
# No phone number outlives its reply in habar.db-wal: not while a reader
# (habar stats, a backup) holds a snapshot and then lets go, and not
# after habard was killed with numbers in the WAL and started again.
# The raw files are searched for the numbers.
. "$(dirname "$0")/lib.sh"

N1=+77016660201
N2=+77016660202
N3=+77016660203
RD=$T/reader

# no_number NUMBER: neither the database nor its WAL holds it.
no_number() {
	for f in "$DB" "$DB-wal"; do
		[ -f "$f" ] && grep -qaF "$1" "$f" && return 1
	done
	return 0
}

in_wal() {
	[ -f "$DB-wal" ] && grep -qaF "$1" "$DB-wal"
}

reader_holds() {
	[ -s "$RD.out" ]
}

# reader_start: a sqlite3 that opens a read transaction and keeps it,
# and that does not checkpoint when it closes (as a killed backup).
reader_start() {
	rm -f "$RD" "$RD.out"
	mkfifo "$RD"
	sqlite3 -batch -cmd '.dbconfig no_ckpt_on_close on' "$DB" \
	    <"$RD" >"$RD.out" 2>&1 &
	RPID=$!
	exec 3>"$RD"
	echo "BEGIN; SELECT count(*) FROM events;" >&3
	poll 10 reader_holds
}

reader_stop() {
	echo "COMMIT;" >&3
	exec 3>&-
	wait "$RPID"
}

ckpt_busy() {
	grep -q "wal checkpoint of .* busy" "$LOG"
}

write_conf
# debug: the log says when a checkpoint found the reader in its way
sed 's/^log_level = "info";/log_level = "debug";/' "$T/habar.conf" >"$T/c" &&
    mv "$T/c" "$T/habar.conf"
check "habard starts" start_daemon
inject "$N1" "паспорт"
check "first message answered" wait_sent 1
check "its number leaves the WAL" poll 10 no_number "$N1"

# (a) A reader holds a snapshot while a message comes and goes.
check "a reader holds a snapshot" reader_start
inject "$N2" "паспорт"
check "second message answered" wait_sent 2
check "its number is in the WAL while the reader reads" in_wal "$N2"
check "a checkpoint found the reader in its way" poll 20 ckpt_busy
check "the number is still in the WAL" in_wal "$N2"
reader_stop
check "the reader gone, the number leaves the WAL within 15 s" \
    poll 15 no_number "$N2"

# (b) Killed with a number in the WAL: gone once started again.
check "a reader holds a snapshot again" reader_start
inject "$N3" "паспорт"
check "third message answered" wait_sent 3
kill -KILL "$PID"
wait "$PID" 2>/dev/null
PID=
reader_stop
check "killed with the number in the WAL" in_wal "$N3"
: >"$LOG"
check "habard starts again" start_daemon
check "the number leaves the WAL within 15 s of the start" \
    poll 15 no_number "$N3"
check "habard stops cleanly" stop_daemon
check "no number anywhere after the stop" no_number "$N3"
finish
