#!/bin/sh
# The held-out query sets through "habar route --tsv" on the shipped
# content: tests/data/queries.tsv and tests/data/blind.tsv (written
# before the classifier and its examples, by someone who saw neither;
# never read while building, never trained on).  Floors on right
# topics, wrong topics, questions back (topic "choose") and reply
# language, each set on its own.  Issue 13 asks for >= 95% right,
# <= 1% wrong, <= 4% asked back and language >= 98% on both; the floors
# below are what is honestly reached (README, "How well it
# understands"), a guard against regressions, not the goal.
# Failures are printed.
. "$(dirname "$0")/lib.sh"

write_conf
# score NAME FILE MIN_RIGHT MAX_WRONG MAX_ASKED MIN_LANG (percent)
score() {
	grep -v '^#' "$2" >"$T/corpus"
	cut -f 1 "$T/corpus" >"$T/queries"
	check "$1: route --tsv answers the whole set" \
	    sh -c '"$1" -f "$2" route --tsv <"$3" >"$4"' sh "$HABAR" \
	    "$T/habar.conf" "$T/queries" "$T/answers"
	check "$1: one answer a query" \
	    test "$(wc -l <"$T/answers")" -eq "$(wc -l <"$T/queries")"
	paste "$T/corpus" "$T/answers" | awk -f "$ROOT/tests/corpus.awk" \
	    >"$T/score"
	grep '^#' "$T/score"
	set -- "$@" $(tail -n 1 "$T/score")
	n=$7 good=$8 wrong=$9 langn=${10} langok=${11} asked=${12}
	echo "# $1: $n queries: $good right, $asked asked back, $wrong" \
	    "wrong topic, $langok of $langn in the expected language"
	check "$1: right >= $3% ($good of $n)" \
	    test $((good * 100)) -ge $(($3 * n))
	check "$1: wrong topic <= $4% ($wrong of $n)" \
	    test $((wrong * 1000)) -le $(($4 * 10 * n))
	check "$1: asked back <= $5% ($asked of $n)" \
	    test $((asked * 100)) -le $(($5 * n))
	check "$1: language >= $6% ($langok of $langn)" \
	    test $((langok * 100)) -ge $(($6 * langn))
	N=$n
}
score queries "$ROOT/tests/data/queries.tsv" 96 2 2 98
check "queries: at least 500 queries ($N)" test "$N" -ge 500
score blind "$ROOT/tests/data/blind.tsv" 64 22 11 98
check "blind: at least 300 queries ($N)" test "$N" -ge 300
finish
