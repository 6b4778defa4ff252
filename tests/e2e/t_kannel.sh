#!/bin/sh
# Real Kannel as a client of habar's sms-service endpoint: bearerbox and
# smsbox with a fake SMSC, all on 127.0.0.1 (ports of our own, so a
# Debian bearerbox on 13000 does not matter), an sms-service whose
# get-url is habard's /sms, Kazakh, Russian and Latin messages injected
# with fakesmsc, and the replies that come back out of Kannel decoded
# and checked: first one part a reply (max-messages = 1, replies paged
# with MORE through Kannel), then README.md's settings (max-messages =
# 3, concatenation) with a two-part reply.  Facts this relies on:
# ../shared/KANNEL.md (in the repo's parent).
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

BASE=$(test_port 0)
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

kannel_conf() {	# kannel_conf MAX_MESSAGES: the config, concatenating parts
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
max-messages = $1
concatenation = true
omit-empty = true
accept-x-kannel-headers = true
get-url = "http://127.0.0.1:$HP/sms?from=%p&text=%a"
CONF
}
kannel_conf 1

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

status() {
	curl -s "http://127.0.0.1:$ADMIN/status.txt?password=STATUS"
}
bearerbox_ready() {
	status | grep -q '^Kannel bearerbox'
}
kannel_ready() {
	status | grep -q '^ *smsbox:'
}
kannel_start() {	# kannel_start WHAT: bearerbox and smsbox, or finish
	rm -f "$T"/kannel.store*
	bearerbox "$T/kannel.conf" >"$T/bearerbox.out" 2>&1 &
	BB=$!
	# smsbox gives up at once when bearerbox is not listening yet.
	poll 20 bearerbox_ready
	smsbox "$T/kannel.conf" >"$T/smsbox.out" 2>&1 &
	SB=$!
	if ! poll 20 kannel_ready; then
		not_ok "$1 (logs in $T)"
		kannel_stop
		finish
	fi
	ok "$1"
}
kannel_start "bearerbox and smsbox are up"

# kannel_ask TEXT: one message from +77011234567 through fakesmsc; the
# reply Kannel sends back, decoded to UTF-8, in $REPLY.
FROM=+77011234567
k=0
unescape() {	# Kannel's %XX and + (a space byte) to bytes
	perl -pe 's/\+/%20/g; s/%([0-9A-Fa-f]{2})/chr(hex($1))/ge'
}
kannel_ask() {	# kannel_ask TEXT [PARTS]: wait for PARTS (1) messages
	q=$1
	want=${2:-1}
	k=$((k + 1))
	"$FAKESMSC" -H 127.0.0.1 -r "$SMSC" -i 0.1 -m 1 \
	    "$FROM 1414 text $1" >/dev/null 2>"$T/fake.$k" &
	fp=$!
	got_all() {
		[ "$(grep -c 'Got message' "$T/fake.$k")" -ge "$want" ]
	}
	poll 20 got_all
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
		REPLY=$(printf '%s' "$4" | unescape | iconv -f UTF-16BE -t UTF-8)
	fi
	echo "# $q -> [$TYPE] $REPLY" | sed '2,$s/^/#   /'
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
check "ru: a two-word query (%a joins with +) routes" has "Держат силой"
kannel_ask "pasport"
check "Latin: a GSM-7 reply ($TYPE)" [ "$TYPE" = text ]
check "Latin: transliterated" has "Ne otdava"
check "every query logged once on sms-http" \
    sql_is "SELECT count(*) FROM events WHERE channel = 'sms-http'" $k
check "events by pseudonym, country KZ" \
    [ "$(sql "SELECT count(DISTINCT hex(pseudonym)) || country FROM events")" = 1KZ ]
kannel_stop
check "habard stops cleanly on SIGTERM" stop_daemon

# The settings README.md recommends: habar's budget of 3 parts and
# Kannel's max-messages = 3 with concatenation.  A two-part reply leaves
# Kannel as two messages with one concatenation header, which join to
# the reply habar composed.
sed 's/max_parts = 1;/max_parts = 3;/' "$T/habar.conf" >"$T/habar3.conf"
mv "$T/habar3.conf" "$T/habar.conf"
check "habard starts with reply.max_parts = 3" start_daemon
kannel_conf 3
kannel_start "Kannel is up with max-messages = 3"
text=$("$HABAR" -f "$T/habar.conf" try "зарплата" | awk '
    /^--- SMS/ { on = 1; next } /^scripts:/ { on = 0 } on { printf "%s", $0 }')
nparts=$("$HABAR" -f "$T/habar.conf" try "зарплата" | grep -c '^--- SMS')
kannel_ask "зарплата" "$nparts"
# <1414 +77011234567 udh %05%00%03%RR%02%01 data %04%1D...>
grep 'Got message' "$T/fake.$k" | sed 's/.*<//; s/>.*//' >"$T/parts"
check "ru: a reply of more than one part ($nparts)" [ "$nparts" -ge 2 ]
check "ru: $nparts parts came back" [ "$(wc -l <"$T/parts")" -eq "$nparts" ]
udhs=$(awk '{ printf "%s", $4 }' "$T/parts" | unescape | od -An -tx1 -v |
    tr -d ' \n')
ref=$(printf '%s' "$udhs" | cut -c7-8)
expect=
i=1
while [ $i -le "$nparts" ]; do
	expect=$expect$(printf '050003%s%02x%02x' "$ref" "$nparts" "$i")
	i=$((i + 1))
done
check "ru: one concatenation header, parts 1..$nparts of $nparts" \
    [ "$udhs" = "$expect" ]
joined=$(awk '{ print $6 }' "$T/parts" | while read -r d; do
	printf '%s' "$d" | unescape | iconv -f UTF-16BE -t UTF-8
done)
echo "# joined: $joined"
check "ru: the parts join to habar's reply, Cyrillic intact" \
    [ "$joined" = "$text" ]
kannel_stop
check "habard stops cleanly again" stop_daemon
finish
