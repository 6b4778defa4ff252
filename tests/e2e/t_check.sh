#!/bin/sh
# "Check before you go" end to end: a copy of the shipped content with a
# test list dated from today (so nothing expires under the test), the
# real habard on the simulated phone and its HTTP channel.  The answers
# in both languages with their parts, a bare number, a look-alike name
# and a number one digit off never vouched for, numbers kept for fiction
# warned about, the example list loaded only when named, 112
# still an emergency, USSD "11*<number>", the demand log holding only
# the outcome, the database holding neither the number nor the name that
# was checked, the per-entry counter counting listed entries only,
# "habar stats checks", an editor adding an entry (picked up with no
# signal, within seconds), SIGHUP reloading the lists too, a list broken
# by a syntax error refused while the old lists keep answering, and the
# repaired list picked up again.
. "$(dirname "$0")/lib.sh"

CONTENT=$T/content
cp -R "$ROOT/content" "$CONTENT"
rm -f "$CONTENT"/lists/*.txt
mkdir -p "$CONTENT/lists"
TODAY=$(date -u +%Y-%m-%d)
SHOWN=$(date -u +%d.%m.%Y)
OLD=$(date -u -d '-400 days' +%Y-%m-%d 2>/dev/null || echo 2020-01-01)
# Numbers in the UK's range for fiction; names that belong to no one.
cat >"$CONTENT/lists/test.txt" <<LIST
verified: $TODAY
source: t_check.sh
expires: 365 days

[entry]
id: t-rep
kind: reported
name: Пример-Вакансия Заграница
alias: Example Jobs Abroad
phone: +44 7700 900123
source: test
date: $TODAY

[entry]
id: t-num
kind: reported
phone: +44 7700 900555
source: test
date: $TODAY

[entry]
id: t-lic
kind: licensed
name: Үлгі Кадр Агенттігі
alias: Ulgi Kadr
phone: +44 7700 900777
source: test
date: $TODAY

[entry]
id: t-old
kind: reported
name: Давний Пример
phone: +44 7700 900444
source: test
date: $OLD
LIST

HP=$(test_port 7)
write_conf "http = { listen = \"127.0.0.1\"; port = $HP; };"
check "habard -n accepts content with lists" \
    sh -c "'$HABARD' -n -f '$T/habar.conf' | grep -q 'configuration OK'"
"$HABAR" -f "$T/habar.conf" lint --today="$TODAY" >"$T/lint" 2>&1
check "habar lint: the lists and check topics are clean" \
    grep -q ' 0 error(s)' "$T/lint"
check "habar lint: the expired entry is named, file:line" \
    grep -q 'lists/test.txt:[0-9]*: warning: reported entry "t-old"' \
    "$T/lint"
check "habar lint: numbers kept for fiction are warned about" \
    grep -q 'lists/test.txt:[0-9]*: warning: entry "t-rep" has a number from a range kept for fiction' \
    "$T/lint"

# The shipped example list is loaded only when the configuration names
# it (content.extra_lists), and is then warned about as fiction.
check "the shipped content has no list of its own" \
    sh -c "! ls '$ROOT'/content/lists/*.txt 2>/dev/null"
sed '/^content_dir/d' "$T/habar.conf" >"$T/plain.conf"
printf 'content_dir = "%s";\n' "$ROOT/content" >>"$T/plain.conf"
"$HABAR" -f "$T/plain.conf" try "ПРОВЕРКА +44 7700 900123" >"$T/try" 2>&1
check "without extra_lists the example is not loaded: not found" \
    sh -c "grep -q '^reply:' '$T/try' && ! grep -q '«Пример-Вакансия' '$T/try'"
printf 'content = { extra_lists = ["%s"]; };\n' \
    "$ROOT/content/examples/example-list.txt" >>"$T/plain.conf"
"$HABAR" -f "$T/plain.conf" try "ПРОВЕРКА +44 7700 900123" >"$T/try" 2>&1
check "named in extra_lists, the example answers with its entry" \
    grep -q '«Пример-Вакансия' "$T/try"
check "habar try: the other script's form is the check's answer, not the how-to" \
    sh -c "grep -A1 '^=== not sent, the Latin form' '$T/try' | grep -q 'VNIMANIE'"
"$HABAR" -f "$T/plain.conf" lint --today="$TODAY" >"$T/lint2" 2>&1
check "habar lint warns that the example entries are fiction" \
    grep -q 'example-list.txt:[0-9]*: warning: entry "example-r1" has a number from a range kept for fiction' \
    "$T/lint2"
check "habard starts" start_daemon
check "habard's start warns about numbers kept for fiction" \
    grep -q 'warning: entry "t-lic" has a number from a range kept for fiction' "$LOG"

N=+77012340077
n=0
count() {	# count ENTRY: checks counted for it today
	c=$(sql "SELECT n FROM checks WHERE entry = '$1' AND day = '$TODAY'")
	echo "${c:-0}"
}

# Reported, by number, in Russian; by name, in Kazakh.
say "ПРОВЕРКА +44 7700 900123" &&
check "ru reported: warning with name and date, 2 parts ($EV)" \
    sh -c "[ '$EV' = 'check ru reported' ] && [ '$PARTS' = 2 ]" &&
check "ru reported: text" sh -c "printf '%s' \"\$1\" | grep -q 'ВНИМАНИЕ: «Пример-Вакансия Заграница».*$SHOWN.*102'" sh "$REPLY"
say "ТЕКСЕРУ Пример Вакансия Заграница" &&
check "kk reported by name: 2 parts ($EV)" \
    sh -c "[ '$EV' = 'check kk reported' ] && [ '$PARTS' = 2 ]" &&
check "kk reported: text" has "НАЗАР: «Пример-Вакансия Заграница» алаяқтыққа шағымдар"
# Licensed, in both languages.
say "проверка 0044 7700 900777" &&
check "ru licensed: 2 parts ($EV)" \
    sh -c "[ '$EV' = 'check ru licensed' ] && [ '$PARTS' = 2 ]" &&
check "ru licensed: still never pay, never give the passport" \
    sh -c "printf '%s' \"\$1\" | grep -q 'агентство с лицензией ($SHOWN). Но не платите.*паспорт не давайте: мошенники'" sh "$REPLY"
say "тексеру Үлгі Кадр" &&
check "kk licensed: 2 parts ($EV)" \
    sh -c "[ '$EV' = 'check kk licensed' ] && [ '$PARTS' = 2 ]" &&
check "kk licensed: text" has "лицензиясы бар агенттік"
# Not found, in both languages: proves nothing, the signs, the police.
say "ПРОВЕРКА 8 (10) 44 7700 900999" &&
check "ru unknown: 2 parts ($EV)" \
    sh -c "[ '$EV' = 'check ru unknown' ] && [ '$PARTS' = 2 ]" &&
check "ru unknown: no guarantee, signs, 102" \
    sh -c "printf '%s' \"\$1\" | grep -q 'это не гарантия.*паспорт.*102'" sh "$REPLY"
say "ТЕКСЕРУ Ромашка Трэвел" &&
check "kk unknown: 2 parts ($EV)" \
    sh -c "[ '$EV' = 'check kk unknown' ] && [ '$PARTS' = 2 ]" &&
check "kk unknown: text" has "бұл кепілдік емес"
# A number alone is a check; a Latin writer gets Latin; typos in names.
say "+44 7700 900555" &&
check "a bare number: reported ($EV)" [ "$EV" = "check kk reported" ]
say "PROVERKA Exampel Jobs Abroad" &&
check "Latin, one typo: only similar, GSM-7 ($EV, $CODING)" \
    sh -c "[ '$EV' = 'check ru similar' ] && [ '$CODING' = gsm7 ]" &&
check "Latin reply names the listed look-alike" has "Primer-Vakansiya Zagran"
# A check vouches only for an exact entry: a name one letter off a
# licensed agency, or its number one digit off, is never "licensed".
say "ТЕКСЕРУ Үлгі Кадр Агенттіг" &&
check "kk look-alike of a licensed name: similar, not licensed ($EV)" \
    [ "$EV" = "check kk similar" ] &&
check "kk look-alike: names the listed one, says check exactly" \
    sh -c "printf '%s' \"\$1\" | grep -q 'тізімімізде жоқ.*«Үлгі Кадр Агенттігі».*нөмірін'" sh "$REPLY" &&
check "kk look-alike: never says licensed" sh -c "! printf '%s' \"\$1\" | grep -q 'лицензиясы бар'" sh "$REPLY"
say "ПРОВЕРКА Ulgi Kard" &&
check "ru look-alike of an alias: similar ($EV)" [ "$EV" = "check ru similar" ]
say "ПРОВЕРКА +44 7700 900778" &&
check "the licensed number one digit off: unknown ($EV)" \
    [ "$EV" = "check ru unknown" ]
say "ПРОВЕРКА +44 7700 900444 " &&
check "an expired report is not asserted: unknown ($EV)" \
    [ "$EV" = "check ru unknown" ]
# Short codes are not numbers; the command alone explains.
say "112" && check "112 is still the emergency topic ($EV)" \
    sh -c "case '$EV' in emergency*) true;; *) false;; esac"
say "ПРОВЕРКА" && check "ПРОВЕРКА alone: how to check ($EV)" \
    sh -c "[ '$EV' = 'check ru exact' ] && printf '%s' \"\$1\" | grep -q 'ПРОВЕРКА 8 7XX'" sh "$REPLY"

# The demand log: topic check and the outcome, nothing else.
check "events: check rows hold an outcome only" \
    [ "$(sql "SELECT count(*) FROM events WHERE topic = 'check' AND match NOT IN ('reported', 'licensed', 'similar', 'unknown', 'exact')")" = 0 ]
check "events: check rows keep no pseudonym (the counter cannot be tied to a person)" \
    [ "$(sql "SELECT count(*) FROM events WHERE topic = 'check' AND pseudonym IS NOT NULL")" = 0 ]
check "events: no check query left words behind" \
    [ "$(sql "SELECT count(*) FROM events e WHERE topic = 'check' AND match = 'none'")" = 0 ]

# The counter: listed entries only (the expired one is listed).
check "counter: t-rep 2 (number, name; not the look-alike)" \
    [ "$(count t-rep)" = 2 ]
check "counter: t-lic 2" [ "$(count t-lic)" = 2 ]
check "counter: t-num 1 (the bare number)" [ "$(count t-num)" = 1 ]
check "counter: t-old 1 (expired, still listed)" [ "$(count t-old)" = 1 ]
check "counter: nothing for unlisted checks" \
    [ "$(sql "SELECT count(*) FROM checks WHERE entry NOT IN ('t-rep', 't-lic', 't-num', 't-old')")" = 0 ]
check "counter: no pseudonym, no query in its table" \
    [ "$(sql "SELECT group_concat(name) FROM pragma_table_info('checks')")" = "day,entry,n" ]

# USSD: the menu's "check" item asks for the number.
ussd() {	# ussd NUMBER PATH: the answer in $T/r
	curl -s -o "$T/r" -w '%{http_code}' \
	    --data-urlencode "sessionId=chk-$1" \
	    --data-urlencode 'serviceCode=*7010#' \
	    --data-urlencode "phoneNumber=$1" \
	    --data-urlencode "text=$2" "http://127.0.0.1:$HP/ussd" >"$T/code"
	[ "$(cat "$T/code")" = 200 ]
}
starts() {
	head -c ${#1} "$T/r" | grep -qF "$1"
}
U=+77012340078
ussd $U "99*99" && check "ussd: the menu lists 11 Проверь номер" \
    grep -q '^11 Проверь номер' "$T/r"
ussd $U "11" && check "ussd: 11 asks for the number (CON)" \
    starts "CON Проверка по нашим спискам"
before=$(count t-rep)
ussd $U "11*+447700900123" && check "ussd: 11*<number> warns" \
    starts "CON ВНИМАНИЕ: «Пример-Вакансия Заграница»"
check "ussd: logged as check/reported" \
    sql_is "SELECT topic || ' ' || match FROM events WHERE channel = 'ussd' ORDER BY id DESC LIMIT 1" "check reported"
ussd $U "11*+447700900123*99" && ussd $U "11*+447700900123*99*99" &&
check "ussd: the warning pages to its END" starts "END "
check "ussd: counted once, not per page" [ "$(count t-rep)" = $((before + 1)) ]
ussd $U "0*11*87001112233" && check "ussd kk: not found" \
    starts "CON Тізімімізде жоқ"
ussd $U "11*Ulgi Kadr" && check "ussd: a name typed works too" \
    starts "CON «Үлгі Кадр Агенттігі» — агентство с лицензией"
ussd $U "11*0" && check "ussd: 0 at the prompt goes back" \
    starts "CON Экстренно: 112"

# Three more checks of t-rep: its count shows, the others are "<5".
for i in 1 2; do
	say "CHECK +44 7700 900123" >/dev/null
done
"$HABAR" -f "$T/habar.conf" stats checks >"$T/stats" 2>&1
sed 's/^/# /' "$T/stats"
check "stats checks: t-rep shown with its count" \
    grep -qE '^t-rep +reported +[0-9]+ +Пример-Вакансия Заграница' "$T/stats"
check "stats checks: small counts as <5" \
    grep -qE '^t-lic +licensed +<5 ' "$T/stats"
check "stats checks: the expired entry marked" \
    grep -qE '^t-old +expired +<5 ' "$T/stats"
"$HABAR" -f "$T/habar.conf" stats checks --by-day --format csv \
    >"$T/stats.csv" 2>&1
check "stats checks --by-day --format csv" \
    grep -q "^\"t-rep\",reported,$TODAY," "$T/stats.csv"

# Content loads and refusals logged so far.
loads() {
	grep -cE 'content version [0-9a-f]+ (re)?loaded' "$LOG"
}
loaded_more() {	# loaded_more N: more than N loads logged
	[ "$(loads)" -gt "$1" ]
}
refusals() {
	grep -c 'content not reloaded' "$LOG"
}
refused_more() {
	[ "$(refusals)" -gt "$1" ]
}

# An editor adds an entry and lints: saving it is enough, no signal.
before=$(loads)
cat >>"$CONTENT/lists/test.txt" <<LIST

[entry]
id: t-new
kind: reported
name: Новый Пример Работа
source: test
date: $TODAY
LIST
check "lint after adding an entry: no errors" \
    sh -c "'$HABAR' -f '$T/habar.conf' lint | grep -q ' 0 error(s)'"
check "a saved list is loaded, no signal" \
    poll 30 loaded_more "$before"
say "ПРОВЕРКА Новый Пример Работа" &&
check "the new entry answers ($EV)" [ "$EV" = "check ru reported" ]
nhup=$(grep -c 'configuration reloaded' "$LOG")
before=$(loads)
kill -HUP "$PID"
reloaded() {
	[ "$(grep -c 'configuration reloaded' "$LOG")" -gt "$nhup" ] &&
	    loaded_more "$before"
}
check "SIGHUP still reloads the lists with the content" poll 20 reloaded

# A list broken by a syntax error (a field without its colon), saved as
# editors do (a new file renamed over the old): refused, logged with
# file and line, and the old lists keep answering.
cp "$CONTENT/lists/test.txt" "$T/test.good"
before=$(refusals)
{
	cat "$T/test.good"
	printf '\n[entry]\nid: t-fix\nkind reported\n'
	printf 'name: Исправленный Образец Найма\nsource: test\ndate: %s\n' \
	    "$TODAY"
} >"$CONTENT/lists/test.txt.tmp"
mv "$CONTENT/lists/test.txt.tmp" "$CONTENT/lists/test.txt"
check "a broken list is refused, no signal" \
    poll 30 refused_more "$before"
check "the log names the list's file, line and error" \
    grep -q 'lists/test.txt:[0-9]*: error: unexpected line "kind reported"' \
    "$LOG"
check "the log says which version still serves" \
    grep -q 'content not reloaded: still serving version' "$LOG"
check "the daemon is alive" kill -0 "$PID"
say "ПРОВЕРКА Новый Пример Работа" &&
check "the old lists keep answering ($EV)" [ "$EV" = "check ru reported" ]
say "ПРОВЕРКА Исправленный Образец Найма" &&
check "the broken entry is not served ($EV)" [ "$EV" = "check ru unknown" ]

# The editor repairs the line: picked up again, the entry answers.
before=$(loads)
sed 's/^kind reported$/kind: reported/' "$CONTENT/lists/test.txt" \
    >"$CONTENT/lists/test.txt.tmp" &&
    mv "$CONTENT/lists/test.txt.tmp" "$CONTENT/lists/test.txt"
check "the repaired list is loaded" poll 30 loaded_more "$before"
say "ПРОВЕРКА Исправленный Образец Найма" &&
check "the repaired entry answers ($EV)" [ "$EV" = "check ru reported" ]

# Nothing checked is kept: stop (the last checkpoint), then look.
check "habard stops cleanly" stop_daemon
clean() {
	for f in "$DB" "$DB-wal" "$LOG"; do
		[ -f "$f" ] || continue
		for s in 7700900 "7700 900" Ромашка Romashka romashka \
		    "Exampel" "Ulgi Kadr" "Пример Вакансия" \
		    "$(printf 'Ромашка' | iconv -f UTF-8 -t UTF-16LE)"; do
			if grep -aqF "$s" "$f"; then
				echo "# '$s' found in $f"
				return 1
			fi
		done
	done
	return 0
}
check "db, -wal and log hold no checked number or name" clean
finish
