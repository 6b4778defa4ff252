#!/bin/sh
# Menus, paging and STOP over SMS, end to end on the simulated phone:
# a one-part budget so long replies are paged, MORE (ЕЩЁ/ТАҒЫ/more)
# returns the next page from the session, in the script the text began
# in, a digit picks from the menu last seen, 0 switches the language,
# STOP forgets at once.
. "$(dirname "$0")/lib.sh"

write_conf 'reply = { max_parts = 1; };'
check "habard starts on the simulated phone" start_daemon

N=+77012340001
n=0
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
    check "the next page goes on with the passport text" has "торговля людьми"
while has "ещё: ЕЩЁ" && [ $n -lt 20 ]; do say "дальше" || break; done
check "the last page has no hint, and the sub-menu" has "1 Пропал паспорт"
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
# A text is read on in the script it began in, whatever MORE is written
# in: Latin and Cyrillic pages end at different places, and a page of
# the other script would skip or repeat text.
LHINT="...eschyo: ESCHYO"
# read_all FIRST MORE...: FIRST, then the MOREs in turn until a page
# has no hint.  PAGES: the replies, one a line; CODINGS: their codings;
# SESS: the stored session after the first page, "topic page latin".
read_all() {
	say "$1" || return 1
	shift
	PAGES=$REPLY
	CODINGS=$CODING
	SESS=$(sql "SELECT topic || ' ' || page || ' ' || latin FROM sessions")
	k=0
	while { has "ещё: ЕЩЁ" || has "$LHINT"; } && [ $k -lt 8 ]; do
		say "$1" || return 1
		m=$1
		shift
		set -- "$@" "$m"
		k=$((k + 1))
		PAGES="$PAGES
$REPLY"
		CODINGS="$CODINGS
$CODING"
	done
	return 0
}
# only CODING: every page in that coding, and more than one page.
only() {
	[ "$(printf '%s\n' "$CODINGS" | sort -u)" = "$1" ] &&
	    [ "$(printf '%s\n' "$CODINGS" | wc -l)" -ge 2 ]
}
if read_all "menu" "more" "eshe"; then
	latin=$PAGES
	check "menu (Latin): GSM-7 pages ($(echo $CODINGS))" only gsm7
	check "menu (Latin): the session keeps the script ($SESS)" \
	    [ "$SESS" = "menu 1 1" ]
fi
if read_all "menu" "ЕЩЁ" "дальше"; then
	check "menu (Latin) read on with ЕЩЁ: GSM-7 ($(echo $CODINGS))" \
	    only gsm7
	check "menu (Latin) read on with ЕЩЁ: the same pages" \
	    [ "$PAGES" = "$latin" ]
fi
cyrillic_menu() {
	[ "$CODING" = ucs2 ] && has "Экстренно: 112"
}
say "ЕЩЁ" && check "ЕЩЁ with no page left: the Cyrillic menu, as before" \
    cyrillic_menu
if read_all "меню" "more" "eshe"; then
	check "menu (Cyrillic) read on with more: UCS-2 ($(echo $CODINGS))" \
	    only ucs2
	check "menu (Cyrillic): the session keeps the script ($SESS)" \
	    [ "$SESS" = "menu 1 0" ]
	check "menu (Cyrillic) read on with more: the same pages" \
	    [ "$PAGES" = "$menu" ]
fi
check "every reply was one part" \
    [ "$(sql 'SELECT count(*) FROM events WHERE parts <> 1')" = 0 ]
check "habard stops cleanly on SIGTERM" stop_daemon

# A MORE whose reply the cost guard withholds moves no page: the next
# MORE the sender may send brings the page they have not had yet.
write_conf 'reply = { max_parts = 1; };
guard = { replies = 2; window = 600; daily_budget = 0; };'
check "habard restarts with a guard of 2 replies" start_daemon
N=+77012340002
session_page() {
	sql "SELECT page FROM sessions WHERE topic = 'menu'"
}
say "меню" && say "ЕЩЁ" && page=$(session_page)
events=$(sql 'SELECT count(*) FROM events')
inject "$N" "ЕЩЁ"
guarded() {
	[ "$(sql 'SELECT count(*) FROM events')" -gt "$events" ]
}
check "the third reply is withheld" poll 30 guarded
check "... logged as guarded" [ "$(sql 'SELECT "match" FROM events
    ORDER BY id DESC LIMIT 1')" = guarded ]
check "... and the session still waits at page $page ($(session_page))" \
    [ "${page:-none}" = "$(session_page)" ]
check "habard stops cleanly again" stop_daemon
finish
