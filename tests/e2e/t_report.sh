#!/bin/sh
# Statistics that read true: the summary tells answered messages from SMS
# replies (a USSD answer is a screen), withheld breakdowns say how many
# rows in plural and are marked in CSV as in JSON, and the HTML report
# draws "<5" and "*" as labelled hatched bars of one length, with
# upright hour and day labels, checked in headless Chromium.  The
# database is habard's own, the events written with its columns.
. "$(dirname "$0")/lib.sh"

HP=$(test_port 5)
cat >"$T/habar.conf" <<CONF
content_dir = "$ROOT/content";
database = "$DB";
languages = ["kk", "ru"];
default_language = "ru";
pseudonym = { key_dir = "$T/keys"; };
http = { listen = "127.0.0.1"; port = $HP; };
CONF
HB() { "$HABAR" -f "$T/habar.conf" "$@"; }
check "habard makes its database" start_daemon
check "habard stops" stop_daemon

# events DAY N CHANNEL TOPIC PARTS: N events that day, one an hour in turn.
events() {
	sql "WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM c WHERE x < $2 - 1)
	    INSERT INTO events(hour, channel, lang, topic, \"match\", country, parts, pseudonym, content_version)
	    SELECT '$1T' || printf('%02d', x % 24), '$3', 'ru', '$4', 'exact', 'KZ', $5, randomblob(16), 'v' FROM c;"
}
events 2026-11-20 40 sms passport 1
events 2026-11-20 30 sms salary 2
events 2026-11-20 3 sms hotline 1
events 2026-11-20 12 sms work 1
events 2026-11-20 6 sms unknown 1
events 2026-11-20 10 ussd passport 0
events 2026-11-19 20 sms passport 1
# A quiet day: three topics, too few to show at all.
events 2026-11-10 5 sms passport 1
events 2026-11-10 6 ussd passport 0
events 2026-11-10 3 sms salary 1
events 2026-11-10 1 sms unknown 1
DAY="--since 2026-11-20 --until 2026-11-20"
QUIET="--since 2026-11-10 --until 2026-11-10"

# The summary: answered counts the USSD screens, SMS replies do not.
HB stats summary $DAY >"$T/summary.txt"
sed 's/^/# /' "$T/summary.txt"
check "summary heads its columns answered and SMS replies" \
    grep -q '^channel .* answered .* SMS replies  *SMS parts ' "$T/summary.txt"
check "summary: 101 messages, 10 of them USSD, 91 SMS replies" sh -c "
    grep -q '^total  *101 ' '$T/summary.txt' &&
    grep -q '^ussd  *10  *10  *10  *0  *0  *0  *0\$' '$T/summary.txt' &&
    grep -Eq '^total( +[0-9*<]+){4} +91 ' '$T/summary.txt'"
check "summary says a USSD answer is a screen, not an SMS reply" \
    grep -q 'USSD' "$T/summary.txt"

# Withheld: "3 topics", and CSV marks it as JSON does.
HB stats topics $QUIET >"$T/quiet.txt"
HB stats topics $QUIET --format csv >"$T/quiet.csv"
HB stats topics $QUIET --format json >"$T/quiet.json"
sed 's/^/# /' "$T/quiet.txt" "$T/quiet.csv"
check "JSON withholds the quiet day's topics" \
    grep -q '"withheld": true' "$T/quiet.json"
check "table: \"3 topics withheld\", plural right" \
    grep -q '^(3 topics withheld: ' "$T/quiet.txt"
check "CSV: a row marks them withheld, as JSON does" \
    grep -q '^"withheld: 3 topics, too few messages to show safely",' \
    "$T/quiet.csv"
check "CSV: the withheld row has as many fields as the others" sh -c "
    [ \$(awk -F, 'NR == 1 { print NF }' '$T/quiet.csv') = \
    \$(tail -n 1 '$T/quiet.csv' | sed 's/\"[^\"]*\"/x/' | awk -F, '{ print NF }') ]"
HB stats countries $QUIET --format csv >"$T/quiet-c.csv"
check "CSV: a breakdown not withheld has no such row" \
    sh -c "! grep -q withheld '$T/quiet-c.csv'"

# The report: suppressed cells drawn as hatched bars of one width, each
# with its label; nothing rotated; hour labels upright and legible.
HB report --html "$T/report.html" --lang en $DAY
HB report --html "$T/report-ru.html" --lang ru $DAY
check "the day's topics suppress hotline (<5) and hide another (*)" sh -c "
    HABAR_CONF='$T/habar.conf' '$HABAR' stats topics $DAY --format csv |
    grep -q '^hotline,.*,<5,' &&
    HABAR_CONF='$T/habar.conf' '$HABAR' stats topics $DAY --format csv |
    grep -q ',\\*,'"
check "report: hatched bars for suppressed cells" \
    grep -q '<rect class="hidden" fill="url(#hatch)"' "$T/report.html"
widths=$(grep -o '<rect class="hidden" fill="url(#hatch)" x="[0-9]*" y="[0-9]*" width="[0-9]*" height="16"' \
    "$T/report.html" | sed 's/.*width="\([0-9]*\)".*/\1/' | sort -u)
check "report: every suppressed bar one width, whatever it hides ($widths)" \
    sh -c "[ -n '$widths' ] && [ \$(echo '$widths' | wc -l) = 1 ]"
check "report: a <5 bar labelled \"<5: 1 to 4\"" \
    grep -q '<text class="hl"[^>]*>&lt;5: 1 to 4</text>' "$T/report.html"
check "report: a * bar labelled \"*: hidden, 5 or more\"" \
    grep -q '<text class="hl"[^>]*>\*: hidden, 5 or more</text>' \
    "$T/report.html"
check "report (ru): the labels in Russian" sh -c "
    grep -q '&lt;5: от 1 до 4' '$T/report-ru.html' &&
    grep -q 'скрыто, 5 или больше' '$T/report-ru.html'"
check "report: no rotated labels" sh -c "! grep -q 'rotate(-' '$T/report.html'"
check "report: labels at 12 px or more" sh -c "
    ! grep -Eo 'font(-size)?:[^;}]*[0-9]+px' '$T/report.html' |
    grep -Eq '(^|[^0-9])([0-9]|1[01])px'"
check "report: every hour 00-23 labelled, upright" sh -c "
    for h in 00 06 12 18 23; do
	grep -q \"<text class=\\\"v\\\" x=\\\"[0-9]*\\\" y=\\\"[0-9]*\\\" text-anchor=\\\"middle\\\">\$h</text>\" '$T/report.html' || exit 1
    done"
check "report: the summary explains SMS replies" \
    grep -q 'A USSD answer is a screen' "$T/report.html"

# In Chromium: the labels and the hatching are what the screenshot shows:
# hiding either changes the picture.
if chromium_ready; then
	sed 's|</style>|svg text.hl{visibility:hidden}</style>|' \
	    "$T/report.html" >"$T/nolabels.html"
	sed 's|</style>|.hidden{visibility:hidden}</style>|' \
	    "$T/report.html" >"$T/nohatch.html"
	check "chromium renders the report (as root: --no-sandbox)" \
	    shot "$T/report.html" "$T/report.png"
	shot "$T/nolabels.html" "$T/nolabels.png"
	shot "$T/nohatch.html" "$T/nohatch.png"
	check "the screenshot shows the suppressed cells' labels" \
	    sh -c "[ -s '$T/nolabels.png' ] && ! cmp -s '$T/report.png' '$T/nolabels.png'"
	check "the screenshot shows the hatched bars" \
	    sh -c "[ -s '$T/nohatch.png' ] && ! cmp -s '$T/report.png' '$T/nohatch.png'"
	# The README's command, as people will copy it (as root here).
	readme=$(sed -n '/^    chromium --headless/,/report.html"$/p' \
	    "$ROOT/README.md" | sed 's/\\$//' | tr '\n' ' ')
	(cd "$T" && rm -f report.png && HOME=$T timeout 120 sh -c "$readme" \
	    >/dev/null 2>&1)
	check "the README's screenshot command works${readme:+ ($(id -un))}" \
	    sh -c "[ -n '$readme' ] && head -c 8 '$T/report.png' | grep -q PNG"
	timeout 120 chromium --headless --no-sandbox --disable-gpu \
	    --disable-dev-shm-usage --user-data-dir="$T/chromium" \
	    --dump-dom "file://$T/report.html" >"$T/dom.html" 2>/dev/null
	rm -rf "$T/chromium"
	check "chromium's page holds the labels" sh -c "
	    grep -q '&lt;5: 1 to 4' '$T/dom.html' &&
	    grep -q 'hidden, 5 or more' '$T/dom.html'"
	SHOTS=$(mktemp -d "${TMPDIR:-/tmp}/habar-report.XXXXXX")
	cp "$T/report.png" "$SHOTS/" && echo "# screenshot: $SHOTS/report.png"
else
	NTEST=$((NTEST + 1))
	echo "ok $NTEST - chromium renders the report # SKIP chromium cannot be installed"
fi
finish
