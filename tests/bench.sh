#!/bin/sh
# make bench: end-to-end throughput of habard on the simulated phone.
# N inbound SMS (default 1000, Cyrillic) are placed on the phone before the
# daemon starts; the figure is the time until every reply has been sent.
cd "$(dirname "$0")/.." || exit 2
N=${N:-1000}
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
start=$(date +%s.%N)
start_daemon || { echo "bench: habard did not start"; cat "$LOG"; exit 1; }
poll 600 has_sent "$N"
end=$(date +%s.%N)
stop_daemon
awk -v n="$N" -v s="$start" -v e="$end" 'BEGIN {
	printf "| benchmark | messages | seconds | messages/s |\n"
	printf "|---|---|---|---|\n"
	printf "| habard end-to-end, simulated phone | %d | %.2f | %.1f |\n",
	    n, e - s, n / (e - s) }'
rm -rf "$T"
