#!/bin/sh
# Menus, paging and STOP over SMS, end to end on the simulated phone:
# a one-part budget so long replies are paged, MORE (ЕЩЁ/ТАҒЫ/more)
# returns the next page from the session, a digit picks from the menu
# last seen, 0 switches the language, STOP forgets at once.
. "$(dirname "$0")/lib.sh"

write_conf 'reply = { max_parts = 1; };'
check "habard starts on the simulated phone" start_daemon

N=+77012340001
n=0
# say TEXT: send from $N, wait for the reply; REPLY, PARTS, EV are set.
say() {
	inject "$N" "$1" || { not_ok "inject '$1'"; return 1; }
	n=$((n + 1))
	wait_sent $n || { not_ok "'$1' answered"; return 1; }
	row=$(last_sent)
	PARTS=$(printf '%s' "$row" | cut -f2)
	REPLY=$(printf '%s' "$row" | cut -f4-)
	EV=$(sql "SELECT topic || ' ' || lang || ' ' || match FROM events ORDER BY id DESC LIMIT 1")
	return 0
}
has() {
	printf '%s' "$REPLY" | grep -qF "$1"
}

# The menu is paged: each page one SMS, ending with the hint.
if say "меню"; then
	check "menu: one part ($PARTS)" [ "$PARTS" = 1 ]
	check "menu: 112 first" has "Экстренно: 112"
	check "menu: ends with the MORE hint" has "ещё: ЕЩЁ"
	menu="$REPLY"
	pages=1
	while has "ещё: ЕЩЁ" && [ $pages -lt 6 ]; do
		say "ЕЩЁ" || break
		pages=$((pages + 1))
		check "menu page $pages: one part, logged as more ($EV)" \
		    [ "$PARTS" = 1 -a "${EV%% *}" = more ]
		menu="$menu
$REPLY"
	done
	check "menu: paged ($pages pages) down to 10 and 0 Язык/Тіл" \
	    sh -c "printf '%s' '$menu' | grep -qF '10 Возвращение' && printf '%s' '$menu' | grep -qF '0 Язык/Тіл'"
fi

# A digit picks from the menu last seen.
say "4" && check "4 picks passport from the menu ($EV)" [ "$EV" = "passport ru menu" ]
check "passport is paged too" has "ещё: ЕЩЁ"
say "еще" && check "еще returns the next page ($EV)" [ "${EV%% *}" = more ] &&
    check "the next page goes on with the passport text" has "торговли людьми"
while has "ещё: ЕЩЁ" && [ $n -lt 20 ]; do say "дальше" || break; done
check "the last page has no hint" has "112."
say "ещё" && check "ещё at the end: the menu again" has "Экстренно: 112"

# 0 at the root switches the language; the menu comes in Kazakh.
say "0" && check "0 switches to Kazakh ($EV)" [ "$EV" = "lang kk menu" ]
check "the menu in Kazakh" has "Шұғыл: 112"
say "ТАҒЫ" && check "ТАҒЫ pages the Kazakh menu" [ "$EV" = "more kk exact" ]
say "7" && check "7 is salary in Kazakh ($EV)" [ "$EV" = "salary kk menu" ]
say "тагы" && check "тагы (folded) pages the Kazakh text" [ "${EV%% *}" = more ]
check "a session is kept for the sender" \
    [ "$(sql 'SELECT count(*) FROM sessions')" = 1 ]

# STOP forgets at once, confirms, and is logged as a topic.
say "СТОП" && check "СТОП confirms ($EV)" [ "${EV%% *}" = stop ]
check "the confirmation says so" has "забыли"
check "the session is gone" [ "$(sql 'SELECT count(*) FROM sessions')" = 0 ]
say "ЕЩЁ" && check "MORE after STOP: nothing to continue, the menu" has "Экстренно: 112"
say "ТОҚТА" && check "ТОҚТА forgets too ($EV)" [ "$EV" = "stop kk exact" ]
check "the session is gone again" [ "$(sql 'SELECT count(*) FROM sessions')" = 0 ]
say "STOP" && check "STOP (Latin) forgets too" [ "${EV%% *}" = stop ]
check "every reply was one part" \
    [ "$(sql 'SELECT count(*) FROM events WHERE parts <> 1')" = 0 ]
check "habard stops cleanly on SIGTERM" stop_daemon
finish
