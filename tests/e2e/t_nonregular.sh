#!/bin/sh
# Content and list files are read only when they are regular files: a
# FIFO named *.txt is refused at once (before, it hung "habard -n", the
# reload and the main loop), and a symbolic link is not followed (before,
# one to a root-only file was read and its field names logged).
. "$(dirname "$0")/lib.sh"

CONTENT=$T/content
mkdir -p "$CONTENT"
cp -R "$ROOT/content/topics" "$ROOT/content/lists" "$CONTENT/"
write_conf

# check_n: "habard -n" on the configuration, output in $T/n, within 20 s.
check_n() {
	timeout 20 "$HABARD" -n -f "$T/habar.conf" >"$T/n" 2>&1
}

check_n
rc=$?
check "habard -n accepts the copied content (exit $rc)" [ "$rc" -eq 0 ]

mkfifo "$CONTENT/lists/pipe.txt"
check_n
rc=$?
check "a FIFO among the lists: refused, not hung (exit $rc)" \
    [ "$rc" -ne 0 -a "$rc" -ne 124 ]
check "the error names the file" \
    grep -q "lists/pipe.txt: error: not a regular file" "$T/n"
rm -f "$CONTENT/lists/pipe.txt"

printf 'id: secret\nSECRETFIELD: x\n' >"$T/secret"
chmod 600 "$T/secret"
ln -s "$T/secret" "$CONTENT/topics/leak.txt"
check_n
rc=$?
check "a symbolic link among the topics: refused (exit $rc)" \
    [ "$rc" -ne 0 -a "$rc" -ne 124 ]
check "the error names the file" grep -q \
    "topics/leak.txt: error: not a regular file: a symbolic link" "$T/n"
check "nothing of the target is read" sh -c "! grep -q SECRETFIELD '$T/n'"
rm -f "$CONTENT/topics/leak.txt"

# The running daemon: a reload with a FIFO is refused and answers go on.
check "habard starts" start_daemon
mkfifo "$CONTENT/topics/pipe.txt"
kill -HUP "$PID"
refused() {
	grep -q "content not reloaded" "$LOG"
}
check "a reload with a FIFO is refused, not hung" poll 20 refused
inject +77016660401 "паспорт"
check "and messages are still answered" wait_sent 1
check "habard stops cleanly" stop_daemon
finish
