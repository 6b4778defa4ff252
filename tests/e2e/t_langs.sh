#!/bin/sh
# Five languages end to end (Kazakh, Russian, Uzbek, Kyrgyz, Tajik): over
# SMS on the simulated phone, the menu in each (one part each page, so
# it is paged with that language's MORE word), a digit picks a topic in
# it, 0 opens the list of languages in their own names and a digit
# picks one, STOP in each language forgets; the same over GET /sms (the
# menu, its next page, STOP and the language list in all five); and
# over POST /ussd the language list, a pick, and screens within limits.
. "$(dirname "$0")/lib.sh"

HP=$(test_port 2)
URL=http://127.0.0.1:$HP
write_conf "reply = { max_parts = 1; };
stats = { min_count = 5; min_senders = 5; };
http = { listen = \"127.0.0.1\"; port = $HP; };"
sed -i 's/^languages = .*/languages = ["kk", "ru", "uz", "ky", "tg"];/' \
    "$T/habar.conf"
check "habard starts with five languages" start_daemon

gone() {
	[ "$(sql 'SELECT count(*) FROM sessions')" = 0 ]
}

# lang CODE HELP HEAD HINT MORE STOP: the menu asked for in CODE, paged
# to its end, 4 picks the passport topic in CODE, STOP forgets.
lang() {
	code=$1 help=$2 head=$3 hint=$4 more=$5 stop=$6
	N=+7701234010$k
	n=0
	say "$help" || return
	check "$code: '$help' is the menu in $code ($EV)" \
	    [ "$EV" = "menu $code exact" -o "$EV" = "menu $code word" ]
	check "$code: the menu begins with 112" has "$head"
	check "$code: one part" [ "$PARTS" = 1 ]
	if [ "$code" = uz ]; then
		check "uz: Latin letters, GSM-7" [ "$CODING" = gsm7 ]
	fi
	check "$code: paged with the hint '$hint'" has "$hint"
	pages=1
	while has "$hint" && [ $pages -lt 6 ]; do
		say "$more" || break
		pages=$((pages + 1))
		check "$code: '$more' is the next page ($EV)" \
		    [ "$EV" = "more $code exact" ]
	done
	check "$code: the last page lists 0 for the languages" has "
0 "
	say 4 && check "$code: 4 is the passport topic in $code ($EV)" \
	    [ "$EV" = "passport $code menu" ]
	say "$stop" && check "$code: '$stop' forgets ($EV)" \
	    [ "$EV" = "stop $code exact" ]
	check "$code: the session is gone" gone
	k=$((k + 1))
}
k=0
lang kk "көмек" "Шұғыл: 112" "тағы: ТАҒЫ" "тағы" "ТОҚТА"
lang ru "меню" "Экстренно: 112" "ещё: ЕЩЁ" "ЕЩЁ" "СТОП"
lang uz "yordam" "Shoshilinch: 112" "... YANA" "yana" "to'xta"
lang ky "жардам" "Шашылыш: 112" "дагы: ДАГЫ" "дагы" "токто"
lang tg "кумак" "Фаврӣ: 112" "боз: БОЗ" "боз" "бас"


# 0 at the main menu: the languages, each in its own name; a digit
# picks one and the menu comes in it; 0 in the list goes back.
N=+77012340200
n=0
say "меню" && say 0 && check "0 at the menu: the language list ($EV)" \
    [ "$EV" = "lang ru menu" ]
for l in "1 Қазақша" "2 Русский" "3 O'zbekcha" "4 Кыргызча" "5 Тоҷикӣ"; do
	check "the list names '$l'" has "$l"
done
say 3 && check "3 picks Uzbek ($EV)" [ "$EV" = "lang uz menu" ]
check "the menu in Uzbek" has "Shoshilinch: 112"
say "pasport" && check "the session keeps Uzbek for a shared word ($EV)" \
    [ "$EV" = "passport uz exact" ]
say 00 && say 0 && say 0 &&
    check "0 in the list goes back to the menu ($EV)" [ "${EV%% *}" = menu ]
say 0 && say 5 && check "5 picks Tajik ($EV)" [ "$EV" = "lang tg menu" ]
check "the menu in Tajik" has "Фаврӣ: 112"
say "o'zbekcha" && check "a language name switches too ($EV)" \
    [ "$EV" = "lang uz exact" ]

# GET /sms: the same replies for an aggregator.
sms() {
	curl -s -G -o "$T/r" --data-urlencode "from=$1" \
	    --data-urlencode "text=$2" "$URL/sms"
}
rhas() {
	grep -qF "$1" "$T/r"
}
sms +77012340300 "aka pasportimni olib qo'yishdi" &&
    check "sms: Uzbek in, Uzbek out" rhas "Pasportni ish beruvchi"
sms +77012340300 "yordam" &&
    check "sms: the Uzbek menu" rhas "Shoshilinch: 112"
sms +77012340300 "yana" && check "sms: yana pages it" rhas "0 Til"
sms +77012340301 "паспортумду кожоюн алып алды" &&
    check "sms: Kyrgyz in, Kyrgyz out" rhas "Паспортту иш берүүчүгө"
# Kyrgyz without its letters, beside a word the common-word tables give
# Kazakh (керек): the examples' language model names it ("уулума", to my
# son; Kazakh says "ұлыма").  Until the seventh session this was
# "доктор керек кызыма", which is as Kazakh as Kyrgyz ("қызыма" typed
# without its letter) and now goes to Kazakh.
sms +77012340303 "доктор керек уулума" &&
    check "sms: 'доктор керек уулума' is answered in Kyrgyz" \
    rhas "Тез жардам: 103"
# Uzbek in Cyrillic with қ, which Kazakh has too, and no ў: the letters
# tie Kazakh and Uzbek, and the examples' model settles the tie, not the
# order kk, ky, uz, tg; one word both share ("өрт") keeps the order.
# Which passport text answers is not this test's: since the script word
# (route_learn_text()) passport and passport-lost tie at 0.47 here, and
# the sub-topic answers; both Uzbek texts begin "Pasportni".
sms +77012340304 "Пасспорт қандай олинади" &&
    check "sms: 'Пасспорт қандай олинади' is answered in Uzbek" \
    rhas "Pasportni"
sms +77012340305 "өрт" &&
    check "sms: 'өрт' alone is answered in Kazakh" rhas "Шұғыл: 112"
sms +77012340305 "Өрт, 112" &&
    check "sms: 'Өрт, 112', a number no second word, in Kazakh" \
    rhas "Шұғыл: 112"
sms +77012340302 "шиносномаамро гирифтанд" &&
    check "sms: Tajik in, Tajik out" rhas "Шиносномаро ба корфармо"
sms +77012340302 "бас" && check "sms: STOP in Tajik" rhas "Тайёр"

# GET /sms in each of the five: the menu, its next page with the
# language's MORE word, STOP confirmed in the language; then the
# language list and a pick, as over the modem.  The Uzbek, Kyrgyz and
# Tajik senders are those above: the statistics below count Tajik
# senders under 5.
# smslang CODE N HELP HEAD MORE STOP DONE
smslang() {
	sms "$2" "$3" && check "sms $1: '$3' is the menu" rhas "$4"
	cp "$T/r" "$T/first"
	sms "$2" "$5" && check "sms $1: '$5' is the menu's next page" \
	    sh -c "[ -s '$T/r' ] && ! cmp -s '$T/r' '$T/first' &&
	    ! grep -qF '$4' '$T/r'"
	sms "$2" "$6" && check "sms $1: '$6' forgets, in $1" rhas "$7"
}
smslang kk +77012340310 "көмек" "Шұғыл: 112" "тағы" "ТОҚТА" "Дайын:"
smslang ru +77012340311 "меню" "Экстренно: 112" "ЕЩЁ" "СТОП" "Готово:"
smslang uz +77012340300 "yordam" "Shoshilinch: 112" "yana" "to'xta" "Tayyor:"
smslang ky +77012340301 "жардам" "Шашылыш: 112" "дагы" "токто" "Даяр:"
smslang tg +77012340302 "кумак" "Фаврӣ: 112" "боз" "бас" "Тайёр:"
sms +77012340315 "меню" && sms +77012340315 "0" &&
    check "sms: 0 lists the languages" rhas "4 Кыргызча"
sms +77012340315 "4" && check "sms: 4 picks Kyrgyz, its menu" \
    rhas "Шашылыш: 112"
sms +77012340315 "паспорт" &&
    check "sms: the session keeps Kyrgyz for a shared word" \
    rhas "Паспортту иш берүүчүгө"

# POST /ussd: 0 at the root opens the language list, a digit picks.
ussd() {
	curl -s -o "$T/r" --data-urlencode "sessionId=langs-$1" \
	    --data-urlencode 'serviceCode=*7010#' \
	    --data-urlencode "phoneNumber=$1" \
	    --data-urlencode "text=$2" "$URL/ussd"
}
units() {	# UTF-16 units after "CON "
	echo $(( $(tail -c +5 "$T/r" | iconv -f UTF-8 -t UTF-16BE |
	    wc -c) / 2 ))
}
U=+77012340400
ussd $U "" && check "ussd: the root menu" rhas "CON Экстренно: 112"
ussd $U "0" && check "ussd: 0 lists the languages (CON)" rhas "CON "
check "ussd: the list has O'zbekcha" rhas "3 O'zbekcha"
check "ussd: the list has Тоҷикӣ" rhas "5 Тоҷикӣ"
check "ussd: the list fits a screen ($(units) units)" [ "$(units)" -le 80 ]
ussd $U "0*3" && check "ussd: 3 picks Uzbek, its menu" \
    rhas "CON Shoshilinch: 112"
ussd $U "0*3*4" && check "ussd: 4 is the passport text in Uzbek" \
    rhas "Pasportni ish beruvchi"
ussd $U "0*4*1" && check "ussd: Kyrgyz emergency" rhas "Шашылыш: 112,"
ussd $U "0*5*1" && check "ussd: Tajik emergency" rhas "Фаврӣ: 112,"
# paging a Tajik (UCS-2) menu with 99: the next screen, within limits
ussd $U "0*5" && check "ussd: the Tajik menu is paged (99)" rhas "
99 "
ussd $U "0*5*99" && check "ussd: 99 is the Tajik menu's next screen" \
    sh -c "grep -q '^CON ' '$T/r' && ! grep -qF 'Фаврӣ: 112' '$T/r'"
check "ussd: that screen fits ($(units) units)" [ "$(units)" -le 80 ]
ussd $U "0*0" && check "ussd: 0 in the list goes back to the menu" \
    rhas "CON Экстренно: 112"
ussd +77012340401 "0*4*1*99" && ussd +77012340401 "" &&
    check "ussd: after a session ended in Kyrgyz, the next starts in it" \
    rhas "CON Шашылыш: 112"

# habar stats languages and the HTML report: the new languages shown
# like the others, a count under min_count (5) suppressed.
for i in 1 2 3 4 5 6; do
	N=+7701234050$i
	n=0
	say "aka pasportimni olib qo'yishdi" || break
done
"$HABAR" -f "$T/habar.conf" stats languages >"$T/stats" 2>&1
sed 's/^/# /' "$T/stats"
row() {		# row LANG: its line of the table, words squeezed
	awk -v l="$1" '$1 == l' "$T/stats"
}
check "stats: Uzbek has a row with its senders counted (>= 5)" \
    sh -c "[ \"\$(awk '\$1 == \"uz\" { print \$3 }' '$T/stats')\" -ge 5 ]"
check "stats: Tajik, from fewer than 5 senders, shows '<5' ($(row tg))" \
    sh -c "awk '\$1 == \"tg\"' '$T/stats' | grep -qF '<5'"
check "stats: Kyrgyz has a row ($(row ky))" sh -c "[ -n \"\$(awk '\$1 == \"ky\"' '$T/stats')\" ]"
"$HABAR" -f "$T/habar.conf" report --html "$T/report.html" >/dev/null 2>&1
check "report: the HTML names uz, ky and tg" sh -c \
    "grep -q '>uz<' '$T/report.html' && grep -q '>ky<' '$T/report.html' &&
    grep -q '>tg<' '$T/report.html'"
# "Not understood" ends with 112 in each language, in one part: whoever
# is in danger and not understood still gets the number.
nu() {
	N=+7701234030$k
	n=0
	say "$2" && check "$1: '$2' is not understood in $1 ($EV)" \
	    [ "$EV" = "unknown $1 none" ]
	check "$1: not understood, then 112" has "112"
	check "$1: not understood in one part" [ "$PARTS" = 1 ]
	k=$((k + 1))
}
k=0
nu ru "вчера футбол кто выиграл"
nu kk "кеше футболда кім жеңді"
nu uz "kecha futbolda kim yutdi"
nu ky "кечээ футболдо ким утту"
nu tg "дирӯз дар футбол кӣ бурд"

finish
