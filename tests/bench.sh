#!/bin/sh
# make bench: end-to-end throughput of habard on the simulated phone.
# N inbound SMS (default 1000, Cyrillic) are placed on the phone before the
# daemon starts; the figure is the time until every reply has been sent.
cd "$(dirname "$0")/.." || exit 2
N=${N:-1000}
ROOT=$(pwd)
. tests/e2e/lib.sh
write_conf
words="көмек паспорт зарплата жұмыс тіркеу алаяқтық 112 меню помощь работа"
i=0
while [ $i -lt "$N" ]; do
	set -- $words
	shift $((i % 10))
	inject "+7701$(printf '%07d' $i)" "$1" || exit 1
	i=$((i + 1))
done
# Done when every message has its event and the outbox is empty: read
# from the database, since listing a phone folder of thousands of sent
# parts through libGammu costs more than the gateway itself.
all_sent() {
	[ "$(sql "SELECT (SELECT count(*) FROM events) = $N AND
	    (SELECT count(*) FROM outbox) = 0" 2>/dev/null)" = 1 ]
}
start=$(date +%s.%N)
start_daemon || { echo "bench: habard did not start"; cat "$LOG"; exit 1; }
poll 600 all_sent
end=$(date +%s.%N)
stop_daemon
awk -v n="$N" -v s="$start" -v e="$end" 'BEGIN {
	printf "| benchmark | messages | seconds | messages/s |\n"
	printf "|---|---|---|---|\n"
	printf "| habard end-to-end, simulated phone | %d | %.2f | %.1f |\n",
	    n, e - s, n / (e - s) }'
rm -rf "$T"

# The router alone (issue 3): accuracy and wrong-topic rate of "habar route
# --tsv" on the query corpus, then its queries/second on the corpus repeated
# to at least Q lines (default 1,000,000): one process, so one core.
Q=${Q:-1000000}
B=$(mktemp -d "${TMPDIR:-/tmp}/habar-bench.XXXXXX")
cat >"$B/habar.conf" <<CONF
content_dir = "$ROOT/content";
database = "$B/habar.db";
languages = ["kk", "ru"];
default_language = "ru";
pseudonym = { key_dir = "$B/keys"; };
CONF
grep -v '^#' tests/data/queries.tsv >"$B/corpus"
cut -f 1 "$B/corpus" >"$B/queries"
bin/habar -f "$B/habar.conf" route --tsv <"$B/queries" >"$B/answers" || exit 1
set -- $(paste "$B/corpus" "$B/answers" | awk -f tests/corpus.awk | tail -n 1)
awk -v q="$Q" '{ line[NR] = $0 } END {
	for (i = 0; i < q; i++) print line[i % NR + 1] }' "$B/queries" >"$B/big"
start=$(date +%s.%N)
bin/habar -f "$B/habar.conf" route --tsv <"$B/big" >/dev/null || exit 1
end=$(date +%s.%N)
awk -v n="$1" -v ok="$2" -v wrong="$3" -v ln="$4" -v lok="$5" -v q="$Q" \
    -v s="$start" -v e="$end" 'BEGIN {
	printf "\n| router (habar route --tsv) | value |\n|---|---|\n"
	printf "| corpus queries | %d |\n", n
	printf "| accuracy | %.1f%% (%d) |\n", 100 * ok / n, ok
	printf "| wrong topic | %.2f%% (%d) |\n", 100 * wrong / n, wrong
	printf "| language | %.1f%% (%d of %d) |\n", 100 * lok / ln, lok, ln
	printf "| queries routed | %d in %.2f s |\n", q, e - s
	printf "| queries/second, one core | %.0f |\n", q / (e - s) }'
rm -rf "$B"
