#!/bin/sh
# Real Kannel as a client of habar's sms-service endpoint: bearerbox and
# smsbox with a fake SMSC, all on 127.0.0.1 (ports of our own, so a
# Debian bearerbox on 13000 does not matter), an sms-service whose
# get-url is habard's /sms, Kazakh, Russian and Latin messages injected
# with fakesmsc, and the replies that come back out of Kannel decoded
# and checked.  Facts this relies on: ../shared/KANNEL.md (in the repo's
# parent); the settings are documented in README.md.
. "$(dirname "$0")/lib.sh"

FAKESMSC=/usr/lib/kannel/test/fakesmsc
have_kannel() {
	command -v bearerbox >/dev/null 2>&1 &&
	    command -v smsbox >/dev/null 2>&1 && [ -x "$FAKESMSC" ]
}
if ! have_kannel && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	echo "# installing kannel and kannel-extras"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q kannel \
	    kannel-extras >"$T/apt.log" 2>&1 ||
	    { DEBIAN_FRONTEND=noninteractive apt-get update -q &&
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q kannel \
	    kannel-extras; } >>"$T/apt.log" 2>&1
fi
if ! have_kannel; then
	echo "ok 1 - Kannel end to end # SKIP packages kannel and kannel-extras cannot be installed here"
	echo "1..1"
	rm -rf "$T"
	exit 0
fi

BASE=$((21000 + $$ % 20000))
ADMIN=$BASE
BOXP=$((BASE + 1))
SMSC=$((BASE + 2))
HP=$((BASE + 3))
BB=
SB=

cat >"$T/habar.conf" <<CONF
content_dir = "${CONTENT:-$ROOT/content}";
database = "$DB";
languages = ["kk", "ru"];
default_language = "ru";
pseudonym = { key_dir = "$T/keys"; };
reply = { max_parts = 1; };
http = { port = $HP; };
guard = { replies = 1000; };
CONF
check "habard starts with the http channel" start_daemon

cat >"$T/kannel.conf" <<CONF
group = core
admin-port = $ADMIN
admin-interface = 127.0.0.1
admin-password = ADMIN
status-password = STATUS
admin-allow-ip = "127.0.0.1"
smsbox-port = $BOXP
smsbox-interface = 127.0.0.1
box-allow-ip = "127.0.0.1"
log-file = "$T/bearerbox.log"
log-level = 0
access-log = "$T/access.log"
store-type = file
store-location = "$T/kannel.store"
dlr-storage = internal

group = smsc
smsc = fake
smsc-id = fake1
port = $SMSC
our-host = 127.0.0.1
connect-allow-ip = "127.0.0.1"

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = $BOXP
log-file = "$T/smsbox.log"
log-level = 0
access-log = "$T/smsbox-access.log"
mo-recode = true

group = sms-service
keyword = default
catch-all = true
max-messages = 1
accept-x-kannel-headers = true
get-url = "http://127.0.0.1:$HP/sms?from=%p&text=%a"
CONF

kannel_stop() {
	curl -s -o /dev/null "http://127.0.0.1:$ADMIN/shutdown?password=ADMIN"
	for p in $SB $BB; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 100 ]; do
			sleep 0.05
			i=$((i + 1))
		done
		kill -TERM "$p" 2>/dev/null
	done
	BB= SB=
}
trap 'kannel_stop' EXIT

rm -f "$T"/kannel.store*
bearerbox "$T/kannel.conf" >"$T/bearerbox.out" 2>&1 &
BB=$!
status() {
	curl -s "http://127.0.0.1:$ADMIN/status.txt?password=STATUS"
}
bearerbox_ready() {
	status | grep -q '^Kannel bearerbox'
}
kannel_ready() {
	status | grep -q '^ *smsbox:'
}
# smsbox gives up at once when bearerbox is not listening yet.
poll 20 bearerbox_ready
smsbox "$T/kannel.conf" >"$T/smsbox.out" 2>&1 &
SB=$!
if ! poll 20 kannel_ready; then
	not_ok "bearerbox and smsbox are up (logs in $T)"
	kannel_stop
	finish
fi
ok "bearerbox and smsbox are up"

# kannel_ask TEXT: one message from +77011234567 through fakesmsc; the
# reply Kannel sends back, decoded to UTF-8, in $REPLY.
FROM=+77011234567
k=0
got_reply() {
	grep -qs 'Got message' "$T/fake.$k"
}
kannel_ask() {
	q=$1
	k=$((k + 1))
	"$FAKESMSC" -H 127.0.0.1 -r "$SMSC" -i 0.1 -m 1 \
	    "$FROM 1414 text $1" >/dev/null 2>"$T/fake.$k" &
	fp=$!
	poll 20 got_reply
	kill -INT "$fp" 2>/dev/null
	wait "$fp" 2>/dev/null
	line=$(grep 'Got message' "$T/fake.$k" | head -n 1)
	# <1414 +77011234567 ucs-2 %04%13...> or <... text Hello+world>
	body=${line#*<}
	body=${body%>*}
	set -- $body
	TYPE=$3
	REPLY=${body#* * * }	# text: as is, spaces and all
	if [ "$TYPE" = ucs-2 ]; then
		REPLY=$(printf '%s' "$4" | perl -pe \
		    's/\+/%20/g; s/%([0-9A-Fa-f]{2})/chr(hex($1))/ge' |
		    iconv -f UTF-16BE -t UTF-8)
	fi
	echo "# $q -> [$TYPE] $REPLY" | sed '2,$s/^/#   /'
}
has() {
	printf '%s' "$REPLY" | grep -qF "$1"
}

kannel_ask "Сәлем"
check "kk: a reply came back as UCS-2 ($TYPE)" [ "$TYPE" = ucs-2 ]
check "kk: Kazakh letters intact (Шұғыл: 112)" has "Шұғыл: 112"
check "kk: paged with the ТАҒЫ hint" has "тағы: ТАҒЫ"
kannel_ask "ТАҒЫ"
check "kk: ТАҒЫ through Kannel returns the next page" has "Төлқұжат"
kannel_ask "паспорта"
check "ru: Cyrillic intact" has "Не отдавайте паспорт"
check "ru: no '?' for Cyrillic" sh -c "! printf '%s' '$REPLY' | grep -q '?'"
kannel_ask "торговля людьми"
check "ru: a two-word query (%a joins with +) routes" has "Забрали паспорт"
kannel_ask "pasport"
check "Latin: a GSM-7 reply ($TYPE)" [ "$TYPE" = text ]
check "Latin: transliterated" has "Ne otdava"
check "every query logged once on sms-http" \
    [ "$(sql "SELECT count(*) FROM events WHERE channel = 'sms-http'")" = $k ]
check "events by pseudonym, country KZ" \
    [ "$(sql "SELECT count(DISTINCT hex(pseudonym)) || country FROM events")" = 1KZ ]
kannel_stop
check "habard stops cleanly on SIGTERM" stop_daemon
finish
