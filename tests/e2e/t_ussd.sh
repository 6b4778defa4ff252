#!/bin/sh
# The HTTP channel end to end, habard alone (no modem group): whole USSD
# sessions through POST /ussd with curl in both languages (menu, choice,
# page, back, home, end), no screen over its limit, every menu topic
# reached in at most 3 choices; GET /sms; bad requests and the token.
. "$(dirname "$0")/lib.sh"

HP=$(test_port 0)
URL=http://127.0.0.1:$HP
TOKEN=s3cret-token
cat >"$T/habar.conf" <<CONF
content_dir = "${CONTENT:-$ROOT/content}";
database = "$DB";
languages = ["kk", "ru"];
default_language = "ru";
pseudonym = { key_dir = "$T/keys"; };
http = { listen = "127.0.0.1"; port = $HP; token = "$TOKEN"; };
CONF
check "habard -n accepts an http group and no modem" \
    sh -c "'$HABARD' -n -f '$T/habar.conf' | grep -q 'configuration OK'"
check "habard starts alone, serving http" start_daemon
check "the log says http is on" grep -q 'listening on 127.0.0.1 port' "$LOG"

# ussd NUMBER PATH: the answer to one USSD request, in $T/r.
ussd() {
	curl -s -o "$T/r" -w '%{http_code}' -H "X-Habar-Token: $TOKEN" \
	    --data-urlencode "sessionId=e2e-$1" \
	    --data-urlencode 'serviceCode=*7010#' \
	    --data-urlencode "phoneNumber=$1" \
	    --data-urlencode "text=$2" "$URL/ussd" >"$T/code"
	[ "$(cat "$T/code")" = 200 ]
}

# UTF-16 units of the screen (after "CON "/"END "), or septets if ASCII.
units() {
	if ascii; then
		tail -c +5 "$T/r" | wc -c
	else
		echo $(( $(tail -c +5 "$T/r" | iconv -f UTF-8 -t UTF-16BE |
		    wc -c) / 2 ))
	fi
}
ascii() {
	! LC_ALL=C grep -q "$(printf '[\200-\377]')" "$T/r"
}
within() {	# the screen fits: 80 UTF-16 units, or 182 GSM-7
	u=$(units)
	if ascii; then [ "$u" -le 182 ]; else [ "$u" -le 80 ]; fi
}
starts() {
	head -c ${#1} "$T/r" | grep -qF "$1"
}
has() {
	grep -qF "$1" "$T/r"
}

# One Russian session: menu, choice, page, back, home, end.
N=+77011230001
ussd $N "" && check "ru: first screen is the menu (CON)" starts "CON Экстренно: 112"
check "ru: menu page offers 99 Ещё" has "99 Ещё"
ussd $N "99" && check "ru: 99 pages the menu" starts "CON 5 "
ussd $N "99*99" && check "ru: last menu page has 0 Язык/Тіл" has "0 Язык/Тіл"
ussd $N "4" && check "ru: 4 is the passport text, paged" starts "CON Не отдавайте паспорт"
check "ru: the page offers next and back" has "0 Меню"
ussd $N "4*99" &&
    check "ru: the passport text's last page lists its sub-topic" has "1 Пропал паспорт"
ussd $N "4*1" && check "ru: 4*1 is the lost passport, paged" starts "CON Украли паспорт"
ussd $N "4*1*99*99" && check "ru: 99 ends the text (END)" starts "END "
# Sub-menu topics are two choices away: the parent's number, then theirs.
ussd $N "5*1" && check "ru: 5*1 is the landlord who refuses" starts "CON Хозяин не подтверждает"
ussd $N "10*1" && check "ru: 10*1 is deportation" starts "CON Депортация, запрет въезда"
ussd $N "4*0" && check "ru: 0 goes back to the menu" starts "CON Экстренно: 112"
ussd $N "99*00" && check "ru: 00 goes home" starts "CON Экстренно: 112"
ussd $N "xyz" && check "ru: a bad choice shows the menu again" starts "CON Экстренно: 112"

# One Kazakh session: 0 at the root switches the language.
K=+77011230002
ussd $K "0" && check "kk: 0 switches to Kazakh" starts "CON Шұғыл: 112"
check "kk: the menu offers 99 Тағы" has "99 Тағы"
ussd $K "0*4" && check "kk: 4 is the passport text" starts "CON Төлқұжатты"
ussd $K "0*4*0" && check "kk: back in Kazakh" starts "CON Шұғыл: 112"
ussd $K "0*4*1*99*99" && check "kk: the last page ends (END)" starts "END "
# The language chosen is remembered for the next session.
ussd $K "" && check "kk: the next session starts in Kazakh" starts "CON Шұғыл: 112"

# Walk every screen up to 3 choices deep, following what each screen
# offers (not 0/00): every screen within its limit, every topic with a
# menu position reached, per language.
over=0
walk() {	# walk NUMBER PATH DEPTH
	ussd "$1" "$2" || { over=$((over + 1)); return; }
	within || { over=$((over + 1)); echo "# over the limit: '$2' ($(units))"; }
	[ "$3" -ge 3 ] && return
	starts "CON " || return
	for d in $(sed -n 's/^\(CON \)\{0,1\}\([0-9][0-9]*\) .*/\2/p' "$T/r"); do
		[ "$d" = 0 ] && continue
		case $2 in "") p=$d ;; *) p="$2*$d" ;; esac
		walk "$1" "$p" $(($3 + 1))
	done
}
# Root menu topics; a sub-menu's (parent:) are one choice further, and a
# long parent text pages first: checked by path below.
menu_topics=$(grep -l '^menu:' "${CONTENT:-$ROOT/content}"/topics/*.txt |
    xargs grep -L '^parent:' | xargs sed -n 's/^id: *//p' | sort)
reached() {	# reached LANG: every menu topic logged in LANG; else $missing
	got=$(sql "SELECT DISTINCT topic FROM events WHERE channel = 'ussd' AND lang = '$1' ORDER BY topic")
	missing=
	for t in $menu_topics; do
		printf '%s\n' "$got" | grep -qx "$t" || missing="$missing $t"
	done
	[ -z "$missing" ]
}
for lang in ru kk; do
	W=+7701123100$([ $lang = ru ] && echo 1 || echo 2)
	if [ $lang = kk ]; then
		# The SMS channel sets the language the USSD walk starts in.
		curl -s -o /dev/null -H "X-Habar-Token: $TOKEN" \
		    --data-urlencode "from=$W" --data-urlencode "text=қазақша" \
		    "$URL/sms"
	fi
	over=0
	walk $W "" 0
	check "$lang: no USSD screen over its limit" [ $over = 0 ]
	# (the last screens' records may be committed a few ms after them)
	poll 5 reached "$lang"
	check "$lang: every menu topic reached in <= 3 choices${missing:+ (missing:$missing)}" [ -z "$missing" ]
done

# GET /sms: the reply body with Kannel's headers.
curl -s -D "$T/h" -o "$T/r" -H "X-Habar-Token: $TOKEN" \
    "$URL/sms?from=%2B77011230003&text=%D0%BF%D0%B0%D1%81%D0%BF%D0%BE%D1%80%D1%82"
check "sms: Russian reply body" starts "Не отдавайте паспорт"
check "sms: charset utf-8" grep -qi '^Content-Type: text/plain; charset=utf-8' "$T/h"
check "sms: X-Kannel-Coding: 2 for Cyrillic" grep -qi '^X-Kannel-Coding: 2' "$T/h"
curl -s -D "$T/h" -o "$T/r" "$URL/sms?from=%2B77011230003&text=pasport&token=$TOKEN"
check "sms: Latin reply for a Latin writer, no coding header" \
    sh -c "grep -q '^Ne otdava' '$T/r' && ! grep -qi '^X-Kannel-Coding' '$T/h'"

# Bad input: clear 4xx answers.
code() {
	curl -s -o "$T/r" -w '%{http_code}' "$@"
}
check "no token: 403" [ "$(code "$URL/sms?from=%2B77011230003&text=x")" = 403 ]
check "wrong token: 403" [ "$(code -H 'X-Habar-Token: nope' "$URL/sms?from=%2B77011230003&text=x")" = 403 ]
check "missing from: 400" [ "$(code "$URL/sms?text=x&token=$TOKEN")" = 400 ]
check "bad phoneNumber: 400" [ "$(code -d "sessionId=1&phoneNumber=abc&text=&token=$TOKEN" "$URL/ussd")" = 400 ]
check "missing sessionId: 400" [ "$(code -d "phoneNumber=%2B77011230003&token=$TOKEN" "$URL/ussd")" = 400 ]
check "unknown path: 404" [ "$(code "$URL/nope")" = 404 ]
check "DELETE: 405" [ "$(code -X DELETE "$URL/ussd")" = 405 ]
head -c 9000 /dev/zero | tr '\0' a >"$T/big"
check "oversized body: 413" [ "$(code --data-binary @"$T/big" "$URL/ussd?token=$TOKEN")" = 413 ]
check "unsupported content type: 415" [ "$(code -H 'Content-Type: application/json' -d '{}' "$URL/ussd?token=$TOKEN")" = 415 ]

# Events: pseudonymized like SMS, no number stored.
check "ussd events carry 16-byte pseudonyms" \
    [ "$(sql "SELECT count(*) FROM events WHERE channel = 'ussd' AND length(pseudonym) <> 16")" = 0 ]
check "sms-http events logged" \
    sql_ge "SELECT count(*) FROM events WHERE channel = 'sms-http'" 3
no_numbers() {
	for f in "$DB" "$DB-wal" "$LOG"; do
		[ -f "$f" ] || continue
		grep -aq "7011230" "$f" && return 1
	done
	return 0
}
check "no test number in db, -wal or log" no_numbers
check "habard stops cleanly on SIGTERM" stop_daemon
finish
