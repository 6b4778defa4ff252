#!/bin/sh
# The gateway's spine end to end: the real habard on Gammu's dummy phone,
# Kazakh, Russian, multipart and malformed messages in, replies out in
# the sent folder, rows in the database, no number left behind.
. "$(dirname "$0")/lib.sh"

write_conf
check "habard -n accepts the test configuration" \
    sh -c "'$HABARD' -n -f '$T/habar.conf' | grep -q 'configuration OK'"
check "habard starts on the simulated phone" start_daemon

n=0
# ask NUMBER TEXT TOPIC LANG RECIPIENT: one message, one reply, one event.
ask() {
	inject "$1" "$2" || { not_ok "inject '$2'"; return; }
	n=$((n + 1))
	if ! wait_sent $n; then
		not_ok "'$2' answered"
		return
	fi
	row=$(last_sent)
	to=$(printf '%s' "$row" | cut -f1)
	check "'$2' answered to $5" [ "$to" = "$5" ]
	ev=$(sql "SELECT topic || ' ' || lang FROM events ORDER BY id DESC LIMIT 1")
	check "'$2' -> topic $3, language $4 (got $ev)" [ "$ev" = "$3 $4" ]
}

ask +77011234567 "көмек" menu kk +77011234567
ask 87051234567 "паспорт" passport ru +77051234567
ask "+7 777 123 45 67" "ЗАРПЛАТА" salary ru +77771234567
ask +996555123456 "112" emergency ru +996555123456
ask 8-701-123-45-67 "жұмыс" work kk +77011234567
ask +998901234567 "Здравствуйте, у меня забрали паспорт, что делать?" \
    passport ru +998901234567

# The language is remembered by pseudonym; STOP forgets it at once.
ask +77012223344 "ҚАЗАҚША" lang kk +77012223344
ask +77012223344 "qwzx" unknown kk +77012223344
check "one session row for the sender" [ "$(sql 'SELECT count(*) FROM sessions WHERE lang = "kk"')" -ge 1 ]
ask +77012223344 "СТОП" stop ru +77012223344
ask +77012223344 "qwzx" unknown ru +77012223344

# The menu reply lists 112 first and is UCS-2.
inject +77019876543 "меню"
n=$((n + 1))
if wait_sent $n; then
	row=$(last_sent)
	check "menu reply is UCS-2" [ "$(printf '%s' "$row" | cut -f3)" = ucs2 ]
	check "menu reply names 112" sh -c "printf '%s' '$row' | grep -q 112"
	parts=$(printf '%s' "$row" | cut -f2)
	check "menu reply within 3 parts ($parts)" [ "$parts" -ge 1 -a "$parts" -le 3 ]
else
	not_ok "menu answered"
fi

# Multipart: three parts with one reference, reassembled before routing;
# the keyword жалақы is split across two parts.
inject +77015550000 "Сәлеметсіз бе, маған жала" "қы төлемеді, үш ай" " болды"
n=$((n + 1))
if wait_sent $n; then
	ev=$(sql "SELECT topic || ' ' || lang FROM events ORDER BY id DESC LIMIT 1")
	check "multipart reassembled and routed (got $ev)" [ "$ev" = "salary kk" ]
else
	not_ok "multipart answered"
fi

# Malformed: a lone surrogate in UTF-16 and an 8-bit message.
cat >"$T/bad1" <<'SMS'
[SMSBackup000]
SMSC = "+77010000000"
State = UnRead
Number = "+77016660001"
Coding = Unicode_No_Compression
Folder = 1
Length = 3
Class = -1
PDU = Deliver
Text00 = 0434D8000434
SMS
cat >"$T/bad2" <<'SMS'
[SMSBackup000]
SMSC = "+77010000000"
State = UnRead
Number = "+77016660002"
Coding = 8bit
Folder = 1
Length = 4
Class = -1
PDU = Deliver
Text00 = 00FF7F80
SMS
"$SIMPHONE" inject-raw "$PHONE" "$T/bad1"
"$SIMPHONE" inject-raw "$PHONE" "$T/bad2"
n=$((n + 2))
check "malformed messages answered, daemon alive" wait_sent $n
check "daemon still running" kill -0 "$PID"

# Nothing waits on the phone or in the queues; every message has an event.
inbox_empty() {
	[ -z "$(ls "$PHONE/sms/1")" ] && [ -z "$(ls "$PHONE/sms/3")" ]
}
check "phone inbox emptied" poll 10 inbox_empty
queues_empty() {
	[ "$(sql 'SELECT (SELECT count(*) FROM inbox) + (SELECT count(*) FROM outbox)')" = 0 ]
}
check "inbox and outbox tables drained" poll 10 queues_empty
check "one event per message ($n)" [ "$(sql 'SELECT count(*) FROM events')" = $n ]
check "events carry 16-byte pseudonyms" \
    [ "$(sql 'SELECT count(*) FROM events WHERE length(pseudonym) = 16')" = $n ]
check "8 701.. and +7 701.. are one pseudonym" [ "$(sql "SELECT count(DISTINCT hex(pseudonym)) FROM events WHERE id = 1 OR topic = 'work'")" = 1 ]
check "countries from prefixes" \
    [ "$(sql "SELECT group_concat(DISTINCT country) FROM (SELECT country FROM events WHERE country IN ('KZ','KG','UZ') ORDER BY country)")" = "KG,KZ,UZ" ]

# No test number in any file habard wrote, once the replies are out.
numbers="7011234567 7051234567 7771234567 996555123456 998901234567
7019876543 7015550000 7016660001 7016660002"
no_numbers() {
	for f in "$DB" "$DB-wal" "$DB-shm" "$LOG"; do
		[ -f "$f" ] || continue
		for num in $numbers; do
			grep -aq "$num" "$f" && return 1
		done
	done
	return 0
}
check "no test number in db, -wal, -shm or log" poll 10 no_numbers
check "habard stops cleanly on SIGTERM" stop_daemon
check "database passes integrity_check" [ "$(sql 'PRAGMA integrity_check')" = ok ]
finish
