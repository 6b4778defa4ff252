#!/bin/sh
# Asking back when unsure, end to end: a content set whose examples make
# "вакансии и визу как оплатить" as much fraud as work (the eighth
# session's n-grams answer "вакансии и визу" fraud); over SMS on the
# simulated phone the reply is one SMS with the question and both topics
# numbered, the reply digit picks one through the session, and the
# demand log says what was asked and chosen (topic ids, never the
# text); the same over GET /sms; habar route --tsv prints the choice.
. "$(dirname "$0")/lib.sh"

C=$T/content
mkdir -p "$C/topics"
head() {	# head ID: a topic file's header
	printf 'id: %s\nverified: 2026-11-26\nsource: test\n' "$1"
}
{ head menu; printf '[kk]\nkeywords: мәзір\ntext:\n{menu}\n'
  printf '[ru]\nkeywords: меню\ntext:\n{menu}\n'; } >"$C/topics/menu.txt"
{ head unknown; printf '[kk]\ntext: Түсінбедім.\nexample: сәлем қалайсың\n'
  printf '[ru]\ntext: Не понял.\nexample: привет как дела\n'
  printf 'example: какая погода завтра\nexample: продам диван\n'; } \
    >"$C/topics/unknown.txt"
{ head lang; printf '[kk]\nkeywords: қазақша\ntext: Жарайды.\n'
  printf '[ru]\nkeywords: русский\ntext: Хорошо.\n'; } >"$C/topics/lang.txt"
{ head stop; printf '[kk]\nkeywords: тоқта\ntext: Ұмыттық.\n'
  printf '[ru]\nkeywords: стоп\ntext: Забыли.\n'; } >"$C/topics/stop.txt"
{ head more; printf '[kk]\nkeywords: тағы\ntext: ТАҒЫ\n'
  printf '[ru]\nkeywords: ещё\ntext: ЕЩЁ\n'; } >"$C/topics/more.txt"
{ head choose; printf '[kk]\ntext: Не туралы? Санмен:\n'
  printf '[ru]\ntext: О чём вы? Ответьте цифрой:\n'; } >"$C/topics/choose.txt"
{ head fraud; printf 'menu: 1\n[kk]\ntitle: Алаяқтар\nkeywords: алаяқтық\n'
  printf 'text: Алаяқтар туралы.\nexample: ақша аударыңыз деді, алдап кетті\n'
  printf '[ru]\ntitle: Мошенники\nkeywords: мошенники, обман\n'
  printf 'text: Про мошенников.\n'
  printf 'example: просят перевести деньги за визу заранее\n'
  printf 'example: взяли предоплату и пропали\n'
  printf 'example: агентство просит деньги вперёд за оформление\n'
  printf 'example: обещали визу в корею, надо перевести 100 тысяч\n'
  printf 'example: перевёл деньги посреднику, он не отвечает\n'
  printf 'example: требуют оплату за билет и визу до выезда\n'; } \
    >"$C/topics/fraud.txt"
{ head work; printf 'menu: 2\n[kk]\ntitle: Жұмыс\nkeywords: жұмыс\n'
  printf 'text: Жұмыс туралы.\nexample: жұмыс іздеп жүрмін құрылыста\n'
  printf '[ru]\ntitle: Работа\nkeywords: работа, работу\n'
  printf 'text: Про работу.\nexample: ищу работу на стройке\n'
  printf 'example: есть вакансии разнорабочим\n'
  printf 'example: где найти работу в алматы\n'
  printf 'example: нужна работа сварщиком срочно\n'
  printf 'example: можно ли работать без разрешения\n'
  printf 'example: как устроиться официально на завод\n'; } \
    >"$C/topics/work.txt"

# A topic nobody can reach: a warning, which must not end up among the
# answers of route --tsv.
{ head orphan; printf '[kk]\ntext: -\n[ru]\ntext: -\n'; } >"$C/topics/orphan.txt"

HP=$(test_port 0)
TOKEN=choose-token
CONTENT=$C write_conf "http = { listen = \"127.0.0.1\"; port = $HP; token = \"$TOKEN\"; };"
check "the set lints clean" sh -c "'$HABAR' lint '$C' >'$T/lint' 2>&1"
check "habar route --tsv: one line out a line in, warnings on stderr" \
    sh -c "printf 'меню\\nвакансии и визу как оплатить\\n' | '$HABAR' -f '$T/habar.conf' route --tsv 2>/dev/null | wc -l | grep -qx 2"
check "habar route --tsv: choose, the language, unsure, the offer" \
    sh -c "echo 'вакансии и визу как оплатить' | '$HABAR' -f '$T/habar.conf' route --tsv | grep -qx 'choose	ru	unsure	fraud,work'"
check "habard starts on the simulated phone" start_daemon

N=+77012340077
n=0
if say "вакансии и визу как оплатить"; then
	check "asked back: one SMS ($PARTS)" [ "$PARTS" = 1 ]
	check "the question" has "О чём вы? Ответьте цифрой:"
	# (simphone shows a newline as \n)
	check "the topics numbered, best first" \
	    has 'цифрой:\n1 Мошенники\n2 Работа'
	check "logged as asked between fraud and work ($EV)" \
	    [ "$EV" = "choose ru unsure:fraud,work" ]
	check "the offer is kept in the session" \
	    [ "$(sql 'SELECT menu FROM sessions')" = "?fraud,work" ]
fi
say "2" && check "2 picks work ($EV)" [ "$EV" = "work ru chosen:fraud,work" ] &&
    check "work's text" [ "$REPLY" = "Про работу." ]
say "2" && check "answered once: 2 is now the menu's ($EV)" \
    [ "$EV" = "work ru menu" ]
# (the seventh session's learning answers "вакансии визу қайда" work)
say "вакансии визу қайда бар" && check "in Kazakh when the sender is ($EV)" \
    [ "$EV" = "choose kk unsure:work,fraud" ] &&
    check "the Kazakh question" has 'Не туралы? Санмен:\n1 Жұмыс\n2 Алаяқтар'
say "1" && check "1 picks work ($EV)" [ "$EV" = "work kk chosen:work,fraud" ]
check "no message text in the log" \
    [ "$(sql "SELECT count(*) FROM events WHERE match LIKE '%вакансии%' OR topic LIKE '%вакансии%'")" = 0 ]

# The same over GET /sms (Kannel's sms-service), session by sender.
sms() {	# sms FROM TEXT: the reply body in $T/r
	curl -s -o "$T/r" -H "X-Habar-Token: $TOKEN" -G \
	    --data-urlencode "from=$1" --data-urlencode "text=$2" "$URL/sms"
}
URL=http://127.0.0.1:$HP
sms +77012340078 "вакансии и визу как оплатить"
check "/sms: the question" grep -qx "2 Работа" "$T/r"
sms +77012340078 "1"
check "/sms: 1 picks fraud" grep -qx "Про мошенников." "$T/r"
check "/sms: logged as asked and chosen" \
    sql_is "SELECT group_concat(topic || ' ' || match, '; ') FROM events WHERE channel = 'sms-http'" "choose unsure:fraud,work; fraud chosen:fraud,work"
# a pair asked fewer than three times is withheld from the statistics,
# and the table says how many of its rows ("offereds" before, then "5
# topics offered" for five rows of two topics each)
check "habar stats unsure: 5 rows withheld" \
    sh -c "'$HABAR' -f '$T/habar.conf' stats unsure |
    grep -q '^(5 rows withheld: '"
# a third question between the two, from another sender, once its
# record is committed (up to 5 ms after the answer)
sms +77012340079 "вакансии и визу как оплатить"
check "its question back logged" \
    sql_is "SELECT count(*) FROM events WHERE match = 'unsure:fraud,work'" 3
check "habar stats unsure counts the pair" \
    sh -c "'$HABAR' -f '$T/habar.conf' stats unsure | grep -q 'fraud,work asked'"
check "habard stops cleanly" stop_daemon
finish
