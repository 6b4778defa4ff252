#!/bin/sh
# The spine once more with habard under valgrind memcheck: Kazakh,
# Russian, Latin, multipart, hostile messages and the HTTP channel, a
# reload that learns (an example added, then SIGHUP: the learning
# started apart, replaced by the file's own reload, finished while
# habard answers); zero memcheck errors and no definite leaks, in habard
# and in the processes it learns in.  Plain build only (valgrind and
# ASan do not mix).
. "$(dirname "$0")/lib.sh"

case $HABARD in
*asan*)
	ok "valgrind # SKIP runs with the plain build only"
	finish
	;;
esac
if ! command -v valgrind >/dev/null; then
	ok "valgrind # SKIP valgrind not installed"
	finish
fi
HP=$(test_port 29)
mkdir -p "$T/content"
cp -R "$ROOT/content/topics" "$T/content/"
CONTENT=$T/content write_conf "http = { listen = \"127.0.0.1\"; port = $HP; };"
VG=$T/valgrind.log
valgrind -q --tool=memcheck --error-exitcode=99 --leak-check=full \
    --show-leak-kinds=definite --errors-for-leak-kinds=definite \
    --log-file="$VG" "$HABARD" -d -f "$T/habar.conf" >>"$LOG" 2>&1 &
PID=$!
check "habard starts under valgrind" poll 60 started

n=0
ask() {
	inject "$@" && n=$((n + 1))
}
ask +77017770001 "көмек"
ask +77017770002 "паспорт"
ask +77017770003 "zarplata ne platyat"
ask +77017770004 "Сәлеметсіз бе, маған жала" "қы төлемеді" " болды"
ask +77017770005 ""
ask +77017770006 "$(printf '\342\200\217\330\263\331\204\330\247\331\205 \001\002\033 menu')"
ask BEELINE "Promo"
cat >"$T/bad" <<'SMS'
[SMSBackup000]
SMSC = "+77010000000"
State = UnRead
Number = "+77017770009"
Coding = Unicode_No_Compression
Folder = 1
Length = 3
Class = 0
PDU = Deliver
Text00 = D800DC00DFFF
SMS
"$SIMPHONE" inject-raw "$PHONE" "$T/bad" && n=$((n + 1))
check "every message answered under valgrind" poll 90 sh -c \
    "[ \"\$(sqlite3 '$DB' 'SELECT count(*) FROM events')\" -ge $n ]"
check "http answered under valgrind" \
    sh -c "curl -s -m 20 '127.0.0.1:$HP/sms?from=%2B77017770010&text=pasport' | grep -q ."
f=$T/content/topics/passport.txt
sed 's/^\[ru\]$/[ru]\nexample: паспорт забрали на складе/' "$f" >"$f.new" &&
    mv "$f.new" "$f"
kill -HUP "$PID"
check "reload under valgrind" poll 300 grep -q 'configuration reloaded' "$LOG"
check "  it learned apart" grep -q 'learning apart' "$LOG"
check "answered after it" sh -c "curl -s -m 20 '127.0.0.1:$HP/sms?from=%2B77017770011&text=pasport' | grep -q ."
kill -TERM "$PID"
wait "$PID"
rc=$?
PID=
sed 's/^/# /' "$VG" | head -n 60
check "valgrind: exit 0, zero errors, no definite leaks (rc $rc)" [ "$rc" -eq 0 ]
check "valgrind: nothing reported" [ ! -s "$VG" ]
finish
