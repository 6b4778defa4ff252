#!/bin/sh
# The query corpus (tests/data/queries.tsv): every query through
# "habar route --tsv" on the shipped content; floors on topic accuracy,
# confident wrong answers and reply language.  Failures are printed.
. "$(dirname "$0")/lib.sh"

CORPUS=$ROOT/tests/data/queries.tsv
MIN_ACCURACY=95		# percent of queries answered with a right topic
MAX_WRONG=1		# percent answered with a wrong topic (not unknown)
MIN_LANG=95		# percent answered in the expected language

write_conf
grep -v '^#' "$CORPUS" >"$T/corpus"
cut -f 1 "$T/corpus" >"$T/queries"
check "route --tsv answers the whole corpus" \
    sh -c '"$1" -f "$2" route --tsv <"$3" >"$4"' sh "$HABAR" \
    "$T/habar.conf" "$T/queries" "$T/answers"
check "one answer a query" \
    test "$(wc -l <"$T/answers")" -eq "$(wc -l <"$T/queries")"
paste "$T/corpus" "$T/answers" | awk -f "$ROOT/tests/corpus.awk" \
    >"$T/score"
grep '^#' "$T/score"
set -- $(tail -n 1 "$T/score")
n=$1 good=$2 wrong=$3 langn=$4 langok=$5
echo "# $n queries: $good right, $wrong wrong topic, $langok of $langn" \
    "in the expected language"
check "at least 500 queries ($n)" test "$n" -ge 500
check "accuracy >= $MIN_ACCURACY% ($good of $n)" \
    test $((good * 100)) -ge $((MIN_ACCURACY * n))
check "wrong topic < $MAX_WRONG% ($wrong of $n)" \
    test $((wrong * 100)) -lt $((MAX_WRONG * n))
check "language >= $MIN_LANG% ($langok of $langn)" \
    test $((langok * 100)) -ge $((MIN_LANG * langn))
finish
