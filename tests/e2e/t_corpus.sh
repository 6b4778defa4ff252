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
# The labels of all three follow one rule for lost passports,
# deportation and landlords (their headers).  No line of a held-out set
# is printed, only totals: whoever reads the logs may tune.
. "$(dirname "$0")/lib.sh"

write_conf
# Every set routed in one "habar route --tsv" a configuration, not one a
# set: each run learns the content first (0.7 s, several under ASan),
# and the answers of a line do not depend on the lines before it.
# routed FILE: FILE's answers with the current $T/habar.conf into
# $T/answers, routing all the sets at the first call (ROUTED names the
# configuration: it changes below); 0, or 1 if that run failed.
ROUTED=kkru
SETS="$ROOT/tests/data/queries.tsv $(ls "$ROOT"/tests/data/blind*.tsv)
$ROOT/tests/data/dev37.tsv $ROOT/tests/data/dev37-langs.tsv
$ROOT/tests/data/dev41.tsv $ROOT/tests/data/dev41-langs.tsv
$ROOT/tests/data/dev42.tsv $ROOT/tests/data/dev42-langs.tsv
$ROOT/tests/data/dev43.tsv $ROOT/tests/data/dev43-langs.tsv
$ROOT/tests/data/dev44.tsv $ROOT/tests/data/dev44-langs.tsv"
routed() {
	d="$T/routed.$ROUTED"
	if [ ! -d "$d" ]; then
		mkdir -p "$d"
		: >"$d/all"
		for f in $SETS; do
			grep -v '^#' "$f" | cut -f 1 >"$d/q.${f##*/}"
			cat "$d/q.${f##*/}" >>"$d/all"
		done
		if "$HABAR" -f "$T/habar.conf" route --tsv <"$d/all" \
		    >"$d/out" 2>/dev/null; then
			: >"$d/ok"
		fi
		at=0
		for f in $SETS; do
			k=$(wc -l <"$d/q.${f##*/}")
			sed -n "$((at + 1)),$((at + k))p" "$d/out" >"$d/a.${f##*/}"
			at=$((at + k))
		done
	fi
	cp "$d/a.${1##*/}" "$T/answers" && [ -f "$d/ok" ]
}
# score NAME FILE MIN_RIGHT MAX_WRONG MAX_ASKED MIN_LANG (percent)
score() {
	grep -v '^#' "$2" >"$T/corpus"
	cut -f 1 "$T/corpus" >"$T/queries"
	check "$1: route --tsv answers the whole set" routed "$2"
	check "$1: one answer a query" \
	    test "$(wc -l <"$T/answers")" -eq "$(wc -l <"$T/queries")"
	paste "$T/corpus" "$T/answers" |
	    awk -v held=1 -f "$ROOT/tests/corpus.awk" >"$T/score"
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
# Kazakh and Russian only: the Uzbek and Tajik words moved out of [ru]
# into [uz] and [tg], which this configuration skips, so a few of the
# set's messages in those words are no longer understood (97% with the
# five languages, below).
# queries asks back 1.2% (10) since the third session's c 16, which
# took wrong topics from 13 to 11.  95% (771) until 9f04e0c, 94.9% (769)
# since: the content's job searches moved from unknown to work, which
# its judge (dev20) and the pools took (tests/data/RULES.md); summed over
# every set of this file, 2 more right, 1 fewer wrong, 4 more asked back,
# with some sets a message or two down, as this one, blind15-langs and
# blind17 (their floors too moved by one).
score queries "$ROOT/tests/data/queries.tsv" 94 2 2 99
check "queries: at least 500 queries ($N)" test "$N" -ge 500
# blind since the third session (its examples went to the sections of
# their languages): 88.0% right (314 of 357), 4.5% asked back, 4.5%
# wrong
score blind "$ROOT/tests/data/blind.tsv" 87 5 5 98
check "blind: at least 300 queries ($N)" test "$N" -ge 300

# The same with the five languages the shipped content carries (Uzbek,
# Kyrgyz and Tajik too), and tests/data/blind-langs.tsv: Uzbek, Kyrgyz
# and Tajik messages written before their sections (issue 18).  That
# set is scored with corpus.awk's held=1, so not one of its lines is
# printed; its floor is also on the right topic in the right language.
# Issue 18 asks for >= 90% right topic and language, <= 2% wrong; the
# floors are what is reached (README, "How well it understands").
# blind.tsv and blind-langs.tsv were relabelled on 2026-12-05 by the
# rule queries.tsv follows (their headers), by someone who saw no
# router output: with the old labels blind-langs gave 89.7% right topic
# and language and 4.4% wrong, with the new 92.1% and 2.0%.  blind-5's
# questions back are 3.4% (12): its floor is blind's, 4%.
sed 's/^languages = .*/languages = ["kk", "ru", "uz", "ky", "tg"];/' \
    "$T/habar.conf" >"$T/five.conf" && mv "$T/five.conf" "$T/habar.conf"
ROUTED=five
# queries-5: 96.9% right since the third session (97.0% before)
score queries-5 "$ROOT/tests/data/queries.tsv" 96 2 1 99
# blind-5 since the third session: 88.0% right, 5.0% asked back (18),
# 4.5% wrong
score blind-5 "$ROOT/tests/data/blind.tsv" 87 5 6 97
# held NAME FILE MIN_RIGHT MAX_WRONG MAX_ASKED MIN_LANG MIN_BOTH (percent)
held() {
	grep -v '^#' "$2" >"$T/corpus"
	cut -f 1 "$T/corpus" >"$T/queries"
	routed "$2" || true
	check "$1: one answer a query" \
	    test "$(wc -l <"$T/answers")" -eq "$(wc -l <"$T/queries")"
	paste "$T/corpus" "$T/answers" |
	    awk -v held=1 -f "$ROOT/tests/corpus.awk" >"$T/score"
	grep '^# by language' "$T/score"
	both=$(awk '/^# by language/ { b += $10 } END { print b + 0 }' \
	    "$T/score")
	set -- "$@" $(tail -n 1 "$T/score")
	n=$8 good=$9 wrong=${10} langn=${11} langok=${12} asked=${13}
	echo "# $1: $n messages: $good right, $asked asked back, $wrong" \
	    "wrong topic, $langok in the expected language, $both both"
	check "$1: at least 60 messages in each of uz, ky, tg" \
	    sh -c "! awk '/^# by language/ && \$4 ~ /^(uz|ky|tg)\$/ &&
	    \$5 < 60' '$T/score' | grep -q ."
	check "$1: right >= $3% ($good of $n)" \
	    test $((good * 100)) -ge $(($3 * n))
	check "$1: wrong topic <= $4% ($wrong of $n)" \
	    test $((wrong * 100)) -le $(($4 * n))
	check "$1: asked back <= $5% ($asked of $n)" \
	    test $((asked * 100)) -le $(($5 * n))
	check "$1: language >= $6% ($langok of $langn)" \
	    test $((langok * 100)) -ge $(($6 * langn))
	check "$1: right topic in the right language >= $7% ($both of $n)" \
	    test $((both * 100)) -ge $(($7 * n))
}
# Fifth session: its Uzbek, Kyrgyz and Tajik examples (on the dev sets
# 14 more right topics, outside the set their families came from) made
# one more wrong topic here, 6 of 252, and one on blind5-langs below.
# Since the fifteenth session's candidate E (examples written from the
# side of employers, landlords and relatives, tests/data/RULES.md): 8 of
# 252 wrong (7 before: a question back became a wrong topic).
held blind-langs "$ROOT/tests/data/blind-langs.tsv" 95 4 2 96 92

# tests/data/blind2.tsv (376 Kazakh and Russian messages) and
# blind2-langs.tsv (244 Uzbek, Kyrgyz, Tajik), written on 2026-12-05
# after all tuning by writers who read only the topics' ids, titles and
# texts, and scored once, blind (README, "How well it understands"):
# the floors are that first score, but for blind2-langs' wrong topics,
# 4.5% then (11 of 244), 5.3% (13) at the end of the third session.
score blind2-5 "$ROOT/tests/data/blind2.tsv" 95 3 3 96
held blind2-langs "$ROOT/tests/data/blind2-langs.tsv" 91 6 4 91 84

# tests/data/blind3.tsv (420 Kazakh and Russian messages) and
# blind3-langs.tsv (280 Uzbek, Kyrgyz, Tajik), written at the start of
# the third session of 2026-12-05, before its tuning, by writers who
# read only the topics' ids, titles and texts; scored once, blind, after
# it (README, "How well it understands"): the floors are that score
# (blind3's questions back were 4.0%, 17 of 420: 5 here).
score blind3-5 "$ROOT/tests/data/blind3.tsv" 91 4 5 98
held blind3-langs "$ROOT/tests/data/blind3-langs.tsv" 91 5 4 95 87

# tests/data/blind4.tsv (420 Kazakh and Russian messages) and
# blind4-langs.tsv (300 Uzbek, Kyrgyz, Tajik), written at the start of
# the fourth session of 2026-12-05, before its tuning, by writers who
# read only the topics' ids, titles and texts (tests/data/WRITERS.md);
# scored once, blind, after it, at 174a847 (README, "How well it
# understands"): the floors are that score.  The fifth session's
# Kazakh and Russian examples turned 5 of its right answers into
# questions back (397 right, 13 asked back); kept, as on the dev sets
# they left 7 fewer wrong topics: asked back within issue 13's 4%.
score blind4-5 "$ROOT/tests/data/blind4.tsv" 94 3 4 99
held blind4-langs "$ROOT/tests/data/blind4-langs.tsv" 92 4 5 94 86

# tests/data/blind5.tsv (400 Kazakh and Russian messages) and
# blind5-langs.tsv (300 Uzbek, Kyrgyz, Tajik), written in the fourth
# session after blind4's one scoring, before the tuning that followed
# it, the same way; scored once, blind, at 6a098dd: the floors are that
# score, but for blind5 since the sixth session's features weighed by
# rarity and margin 0.06: 375 right (93.8%), 17 asked back (4.2%), and
# its wrong topics from 8 to 7 (all spent sets: 12 more right, 5 fewer
# questions back, 18 fewer wrong topics of 6,259).
score blind5-5 "$ROOT/tests/data/blind5.tsv" 93 3 5 99
held blind5-langs "$ROOT/tests/data/blind5-langs.tsv" 92 4 5 95 88

# tests/data/blind6.tsv (400 Kazakh and Russian messages) and
# blind6-langs.tsv (300 Uzbek, Kyrgyz, Tajik), written at the start of
# the fifth session, before its tuning, the same way, told to make the
# hard cases real (a word of one topic where another helps); scored
# once, blind, at b6292f7: the floors are that score (93.5% right, 2.0%
# asked back), but for blind6's 3 right answers less and 2 questions
# back more after the examples that followed (emergency, hotline and
# health told apart: on the dev sets 9 more right, 8 fewer questions),
# and for its wrong topics, 17 (4.2%) since the sixth session's
# weighing by rarity (16 before; the spent sets' sum at blind5).
# blind6-langs asks back 9 (3.0%) since the seventh session's examples,
# which took its wrong topics from 10 to 8 (282 right before and after).
score blind6 "$ROOT/tests/data/blind6.tsv" 92 5 3 98
held blind6-langs "$ROOT/tests/data/blind6-langs.tsv" 92 5 4 96 89

# tests/data/blind7.tsv (400 Kazakh and Russian messages) and
# blind7-langs.tsv (300 Uzbek, Kyrgyz, Tajik), written in the fifth
# session after blind6's one scoring, before the tuning that followed
# it, the same way; scored once, blind, at f587d63: the floors are that
# score, but for blind7-langs' right topics and questions back since the
# sixth session's weighing by rarity: 272 right (90.7%), 14 asked back
# (4.7%), 12 wrong topics where there were 16.
score blind7 "$ROOT/tests/data/blind7.tsv" 93 4 3 98
held blind7-langs "$ROOT/tests/data/blind7-langs.tsv" 90 6 5 95 88

# tests/data/blind8.tsv (400 Kazakh and Russian messages) and
# blind8-langs.tsv (300 Uzbek, Kyrgyz, Tajik), written in the fifth
# session after blind7's one scoring, the same way; scored once, blind,
# at 0ea5bb2 (the routing of f587d63: a round of examples written
# meanwhile was not kept, by a rule set before on the dev sets): the
# floors are that score.
score blind8 "$ROOT/tests/data/blind8.tsv" 94 3 2 99
# blind8-langs' wrong topics are 7 (2.3%) since the eighth session's
# changes (lighter n-grams, 854 examples, no keyword boost for messages
# like the off-topic examples, the languages' model with c 16).
held blind8-langs "$ROOT/tests/data/blind8-langs.tsv" 95 3 3 94 90

# tests/data/blind9.tsv (400 Kazakh and Russian messages) and
# blind9-langs.tsv (300 Uzbek, Kyrgyz, Tajik), written at the start of
# the sixth session, before its tuning, the same way; scored once,
# blind, at b53a81c (features weighed by rarity, the tie of letters
# settled by the examples' model): the floors are that score, 94.8%
# right, 2.2% wrong, 2.0% asked back; 92.7%, 2.7%, 3.0% and 90.3% right
# topic and language.  blind9 asks back 10 (2.5%) since the seventh
# session's examples: two messages it did not understand (unknown).
score blind9 "$ROOT/tests/data/blind9.tsv" 94 3 3 99
held blind9-langs "$ROOT/tests/data/blind9-langs.tsv" 92 3 3 97 90

# tests/data/blind10.tsv (400 Kazakh and Russian messages) and
# blind10-langs.tsv (300 Uzbek, Kyrgyz, Tajik), written in the sixth
# session after blind9's one scoring, the same way, their writers asked
# for people and situations beyond the obvious (women, the old,
# students, drivers, towns other than Almaty); scored once, blind, with
# blind9's router: the floors are that score, 88.0% right, 6.5% wrong,
# 3.2% asked back; 92.0%, 5.3%, 1.7% and 90.0% right topic and language.
# blind10-langs asks back 7 (2.3%) since the seventh session's examples,
# which took it from 276 to 280 right, 16 to 13 wrong, 270 to 276 right
# topic and language.
score blind10 "$ROOT/tests/data/blind10.tsv" 88 7 4 99
held blind10-langs "$ROOT/tests/data/blind10-langs.tsv" 92 6 4 97 90

# tests/data/blind11.tsv (400 Kazakh and Russian messages) and
# blind11-langs.tsv (300 Uzbek, Kyrgyz, Tajik), written at the start of
# the seventh session, before its change, the same way as blind10;
# scored once, blind, at b2fdd2c (1,979 more examples, and the learning
# lightened to make room for them): the floors are that score, 93.8%
# right, 2.8% wrong, 2.0% asked back; 92.0%, 4.0%, 2.0% and 89.7% right
# topic and language.
score blind11 "$ROOT/tests/data/blind11.tsv" 93 3 2 99
# It asks back 7 (2.3%) since the eighth session's changes.
held blind11-langs "$ROOT/tests/data/blind11-langs.tsv" 92 4 3 97 89

# tests/data/blind12.tsv (400 Kazakh and Russian messages) and
# blind12-langs.tsv (300 Uzbek, Kyrgyz, Tajik), written in the seventh
# session after blind11's one scoring, the same way, before a second
# round of examples that was not kept (it took habard's peak over
# 24 MB); scored once, blind, with blind11's router: the floors are that
# score, 91.5% right, 4.5% wrong, 2.5% asked back; 92.7%, 3.7%, 1.3%
# and 90.0% right topic and language.
score blind12 "$ROOT/tests/data/blind12.tsv" 91 5 3 99
# The eighth session's changes took blind12-langs to 273 right (91.0%),
# 10 asked back (3.3%), 290 in the expected language (96.7%) and 264
# right topic and language (88.0%): its 854 examples gave the 3,476
# Uzbek, Kyrgyz and Tajik held-out messages 7 fewer right topics and 7
# more wrong ones, and the Kazakh and Russian 5,583 15 more right, 8
# fewer wrong.
held blind12-langs "$ROOT/tests/data/blind12-langs.tsv" 91 4 4 96 88

# tests/data/blind13.tsv (400 Kazakh and Russian messages) and
# blind13-langs.tsv (300 Uzbek, Kyrgyz, Tajik), written at the start of
# the eighth session, before its change, the same way as blind11;
# scored once, blind, at a3341dc (the lighter n-grams, 854 examples, no
# keyword boost for messages like the off-topic examples, the
# languages' model with c 16): the floors are that score, 94.2% right,
# 3.5% wrong, 2.0% asked back; 88.3%, 4.7%, 5.0% and 87.0% right topic
# and language (the router of the session's start: 94.5%, 4.0%, 1.2%;
# 88.3%, 4.3%, 5.3% and 87.3%).  The ninth session's examples (round 3,
# kept by the rule written before, on other sets) took blind13, by then
# spent, to 95.0% right, 2.5% wrong, 2.5% asked back: asked back <= 3%.
score blind13 "$ROOT/tests/data/blind13.tsv" 94 4 3 99
held blind13-langs "$ROOT/tests/data/blind13-langs.tsv" 88 5 5 98 87

# tests/data/blind14.tsv (400 Kazakh and Russian messages) and
# blind14-langs.tsv (300 Uzbek, Kyrgyz, Tajik), written at the start of
# the ninth session, before its change, the same way as blind13; scored
# once, blind, at 8809bc3 (the eighth session's third round of examples,
# 1,384, in the content): the floors are that score, 93.8% right, 2.5%
# wrong, 2.8% asked back; 92.0%, 3.7%, 1.7% and 89.0% right topic and
# language (the router of the session's start: 94.5%, 3.0%, 1.8%; 91.7%,
# 4.0%, 3.0% and 88.7%).
score blind14 "$ROOT/tests/data/blind14.tsv" 93 3 3 99
held blind14-langs "$ROOT/tests/data/blind14-langs.tsv" 92 4 2 97 89
# blind15.tsv (400 Kazakh and Russian) and blind15-langs.tsv (300 Uzbek,
# Kyrgyz, Tajik), written at the start of the tenth session, before its
# change, the same way as blind14; scored once, blind, at 02b0e17 (the
# script word, the service topics not guessed, unknown as the only other
# candidate not understood): the floors are that score, 93.8% right, 3.0%
# wrong, 1.8% asked back; 89.7%, 3.3%, 3.0% and 89.0% right topic and
# language (the router of the session's start: 93.2%, 3.2%, 2.0%; 89.7%,
# 4.0%, 2.7% and 88.3%).
score blind15 "$ROOT/tests/data/blind15.tsv" 93 3 4 98
held blind15-langs "$ROOT/tests/data/blind15-langs.tsv" 89 4 5 99 88
# blind16.tsv (400) and blind16-langs.tsv (300), the tenth session's
# second pair, written after blind15's one scoring while the menu-aside
# rule was tuned; scored once, blind, at 8b66d25: 93.8% right, 2.5% wrong
# (floor 3), 1.5% asked back, 99.7% language; 92.7%, 2.0%, 2.3%, 98.0%
# (floor 97: 288 of 294) and 91.3% right topic and language (the router of
# the session's start: 93.8%, 3.0%, 1.5%; 92.0%, 3.3%, 2.0%, 90.3%).
score blind16 "$ROOT/tests/data/blind16.tsv" 93 3 2 99
# blind16-langs since the eighteenth session's lower floor (candidate F):
# 10 asked back (3.3%), a Kyrgyz message to the hotline asked back with
# the emergency and hotline topics offered rather than not understood.
held blind16-langs "$ROOT/tests/data/blind16-langs.tsv" 92 2 5 97 91
# blind17.tsv (400) and blind17-langs.tsv (300), the tenth session's
# third pair, written after its last change and scored once, blind, at
# 89a3ceb: 92.8% right, 2.8% wrong, 1.8% asked back, 99.7% language;
# 96.0%, 1.7%, 0.3%, 96.6% and 93.0% right topic and language (the router
# of the session's start: 93.0%, 3.0%, 1.8%; 96.7%, 1.7%, 1.0%, 96.2%,
# 93.0%).  Since the twelfth session's dev examples (candidate M,
# tests/data/RULES.md) blind17-langs is 95.3% right, 2.7% asked back and
# 92.7% right topic and language (286, 8 and 278 of 300; floors 96, 1
# and 93 before): one of the few spent sets that lost by it, while the
# spent held-out sets summed went from 13,807 to 14,036 right topics
# and 355 to 277 wrong of 14,659; blind17 itself 370 to 384 right.
score blind17 "$ROOT/tests/data/blind17.tsv" 92 3 3 99
held blind17-langs "$ROOT/tests/data/blind17-langs.tsv" 95 2 3 96 92
# blind18.tsv (400) and blind18-langs.tsv (300), written at the eleventh
# session's first step, before its changes, and blind19.tsv (400) and
# blind19-langs.tsv (300), written after its last routing change; both
# pairs scored once, blind, at b168d5f: blind18 90.5% right, 4.0% wrong,
# 2.8% asked back, 99.7% language; blind18-langs 88.7%, 4.7%, 2.7%, 95.0%
# and 86.0% right topic and language; blind19 86.8%, 6.5%, 3.5%, 98.7%;
# blind19-langs 95.0%, 2.0%, 0.3%, 97.3% and 93.3% (the router of the
# session's start, 02f0926: 90.5%, 3.8%, 3.0%; 88.3%, 5.0%, 2.3%, 85.7%;
# 87.0%, 5.8%, 3.8%; 95.0%, 2.0%, 0.3%, 93.0%).  Harder sets than the
# tenth session's, for both routers.  blind18 since the twelfth
# session's dev examples (candidate M): 91.5% right, 4.25% wrong (17 of
# 400; 16 before, floor 4), 0.8% asked back.
score blind18 "$ROOT/tests/data/blind18.tsv" 90 5 4 99
held blind18-langs "$ROOT/tests/data/blind18-langs.tsv" 88 5 5 95 86
score blind19 "$ROOT/tests/data/blind19.tsv" 86 7 7 98
# blind19-langs since the fourteenth session's square-root counts
# (candidate S): 4 asked back; since the eighteenth session's lighter
# one-word keyword (candidate W), 7: two Uzbek and Kyrgyz messages
# answered with the emergency text before (a deportation, a burnt
# passport) are asked back with their own topic offered.
held blind19-langs "$ROOT/tests/data/blind19-langs.tsv" 95 2 3 97 93
# blind20.tsv (400) and blind20-langs.tsv (300), a panel set by eight
# writers with a voice each, written after the session's final check and
# meant for a later session; scored once by a slip at 27b0140 (the router
# of 55fa79a: a pool script's exclusion still named blind18 and blind19,
# and its totals took blind20 in; no change was chosen on it), then once
# with this harness: 96.8% right, 1.3% wrong, 1.5% asked back, 100%
# language; 97.3%, 1.3%, 0.7%, 100% and 97.3% right topic and language.
# An easier set than blind18 and blind19, written the same day.
score blind20 "$ROOT/tests/data/blind20.tsv" 96 2 3 100
held blind20-langs "$ROOT/tests/data/blind20-langs.tsv" 97 2 1 100 97
# blind21.tsv (400) and blind21-langs.tsv (300), a panel set by seven
# writers with a voice each, written at the twelfth session's start
# before any change and scored once, blind, at fea139e (the dev
# sets' examples, candidate M, and learning apart): 95.5% right, 2.25%
# wrong, 2.0% asked back, 100% language; 96.7%, 0.3%, 2.0%, 95.0% and
# 95.0% right topic and language (the router of the session's start,
# b4e261d: 94.75%, 2.75%, 1.75%; 93.3%, 2.3%, 2.0%, 95.0%, 92.0%).  Two
# pool totals with it inside were printed by a slip before any rule, of
# two contents not chosen (tests/data/RULES.md).
score blind21 "$ROOT/tests/data/blind21.tsv" 95 3 2 100
# Since the fourteenth session's candidate A (35 examples moved by an
# audit, tests/data/RULES.md): 7 asked back, 284 right topic and language.
# Since the fifteenth session's candidate U (off-topic messages in a
# topic's words, tests/data/RULES.md): 286 right (289 before), 10 asked
# back (5), 280 right topic and language (283); 2 wrong as before.
held blind21-langs "$ROOT/tests/data/blind21-langs.tsv" 95 1 4 95 93
# blind22.tsv (400) and blind22-langs.tsv (300), a panel set by seven
# writers with a voice each (one a language for the second), written at
# the thirteenth session's start before any change and scored once,
# blind, at 437ee29, whose router routes as the session's start (a59a42b)
# message for message (no change of that session moved routing; checked
# on 17,219 messages): 96.75% right, 1.75% wrong, 0.75% asked back, 99.0%
# language; 97.3%, 1.7%, 0%, 97.6% and 95.0% right topic and language.
# Since candidate A: 95.5% right, 2.0% wrong, 1.75% asked back (fewer
# passport examples: messages of a passport taken are more often a
# question back between passport and another topic).
# Since candidate U (fifteenth session): 9 asked back (7 before), 7 wrong
# (8), 381 right (382).
score blind22 "$ROOT/tests/data/blind22.tsv" 94 2 3 98
# Since candidate E (fifteenth session): 4 asked back (2 before), 2 wrong
# (3 before).
# Since candidate G (sixteenth session): 284 right topic and language
# (286 before), 291 right (293).
held blind22-langs "$ROOT/tests/data/blind22-langs.tsv" 96 2 3 97 94
# blind23.tsv (400) and blind23-langs.tsv (300), a panel set written at
# the thirteenth session's end for the fourteenth, committed unread and
# scored once, blind, at cc30afc (candidate A, the audit's 35 moved
# examples): 97.0% right, 1.5% wrong, 0.5% asked back, 99.5% language;
# 97.3%, 0.7%, 1.0%, 98.6% and 96.0% right topic and language.  The
# session's start router (1981696) scores the same, message for message.
# Since candidate S, judged after that score on the dev26 pair: 96.5%
# right, 1.75% wrong, 0.75% asked back; 97.7%, 0.7%, 1.3% and 96.3%
# right topic and language.
score blind23 "$ROOT/tests/data/blind23.tsv" 96 2 1 99
held blind23-langs "$ROOT/tests/data/blind23-langs.tsv" 97 1 2 98 96
# blind24.tsv (400) and blind24-langs.tsv (300), a panel set written in
# the fourteenth session after candidate A, before S, committed unread
# and scored once, blind, at 94447e8 (A and S): 93.5% right, 3.75% wrong,
# 1.75% asked back, 99.2% language; 97.3%, 1.0%, 0.7%, 97.6% and 95.0%
# right topic and language.  Of its four writers, the one writing as
# employers, landlords and neighbours of migrants had 8 of the wrong
# topics.  The session's start router: 374 right, 17 wrong, 6 asked back.
score blind24 "$ROOT/tests/data/blind24.tsv" 93 4 3 99
held blind24-langs "$ROOT/tests/data/blind24-langs.tsv" 96 1 3 97 94
# blind25.tsv (400) and blind25-langs.tsv (300), a panel set written at
# the fourteenth session's end for the fifteenth, committed unread and
# scored once, blind, at 3f67890 (the fifteenth's candidates E and U
# kept): 93.25% right, 1.75% wrong, 1.5% asked back, 100% language;
# 96.0%, 1.0%, 1.3%, 98.6% and 95.0% right topic and language.  The
# session's start router: 376 right, 7 wrong, 6 asked back; 291, 4, 2
# and 287 both.
score blind25 "$ROOT/tests/data/blind25.tsv" 93 2 2 99
# Since candidate D (sixteenth session, 14 examples under two topics
# taken out): 291 right (288 before), 4 wrong (3), 3 asked back (4).
held blind25-langs "$ROOT/tests/data/blind25-langs.tsv" 95 2 3 98 94
# blind26.tsv (400) and blind26-langs.tsv (300), a panel set written in
# the fifteenth session after its candidate U was kept, committed unread
# and scored once, blind, at 7b3ca09 (the sixteenth's candidate D kept),
# with the one message that is letter for letter an example the
# fifteenth added left out: 97.0% right (387 of 399), 1.0% wrong, 1.0%
# asked back, 97.9% language (381 of 389); 96.3%, 1.0%, 1.7%, 98.0%
# (288 of 294, under 98 by a hair) and 94.3% right topic and language.
# The session's start router (a8c9be0): 386 right, 4 wrong, 5 asked
# back; the -langs set the same.  Candidate G (248 examples from gig and
# platform workers), judged after that score on the dev34 pair and kept,
# moves the whole sets: blind26 386 right (388 with the router it was
# scored with), 5 wrong (4), 4 asked back; blind26-langs 291 right
# (289), 4 wrong (3), 3 asked back (5), 285 both (283).  The floors are
# the whole sets' with G.
score blind26 "$ROOT/tests/data/blind26.tsv" 96 2 3 97
held blind26-langs "$ROOT/tests/data/blind26-langs.tsv" 96 2 2 97 94
# blind27.tsv (400) and blind27-langs.tsv (300), a panel set written at
# the sixteenth session's start and committed unread.  Its first score
# was a slip of that session (a pool script took it in, totals only)
# with a8c9be0: 384 right, 5 asked back, 7 wrong; 287, 4, 6, 283 both.
# Its second, the seventeenth's, at cd3d4cf (the content of 43af5d4:
# D and G since a8c9be0, no example equal to one of its messages): 96.0%
# right (384), 2.0% wrong (8), 1.25% asked back, language 388 of 389;
# 95.7% (287), 2.0% wrong (6), 1.3% asked back, language 291 of 295
# (98.6%), 94.3% right topic and language (283).
score blind27 "$ROOT/tests/data/blind27.tsv" 95 2 3 99
held blind27-langs "$ROOT/tests/data/blind27-langs.tsv" 94 2 4 98 93
# blind28.tsv (400) and blind28-langs.tsv (300), a panel set written in
# the seventeenth session by three writers from the brief and the view
# alone (market traders, loaders and porters; nannies, cleaners and cooks
# and the families who employ them; first-time migrants in SMS shorthand
# and older men who hardly write), scored once, blind, by the eighteenth
# with its final router (W, a lighter one-word keyword; no example added
# since they were written): 95.5% right (382), 1.25% wrong (5), 1.0%
# asked back, language 384 of 390; 93.3% (280), 4.0% wrong (12), 1.0%
# asked back, language 287 of 296 (97.0%), 90.7% right topic and
# language (272).
# Since F (floor 0.20, judged after that score: not blind), 5 asked
# back: a daughter beaten by her employer, not understood before, is
# asked back with the emergency and hotline topics, both of its label.
score blind28 "$ROOT/tests/data/blind28.tsv" 94 2 3 98
held blind28-langs "$ROOT/tests/data/blind28-langs.tsv" 92 4 3 96 89
# blind29.tsv (400) and blind29-langs.tsv (300), a panel set written in
# the eighteenth session by three writers from the brief and the view
# alone (taxi, truck and delivery drivers, couriers, seasonal farm and
# warehouse workers and the relatives who write for them; young people on
# a first trip, working students, older women cleaners and canteen
# workers), and dev37.tsv (320) and dev37-langs.tsv (300), written at the
# same time as a judge (factory, meat-plant, bakery, hotel and restaurant
# workers; miners, oil-field shift workers, security guards): no candidate
# came to be judged, so the nineteenth session scored all four once,
# blind, with its router (635ed57's; no example added since they were
# written): blind29 98.25% right (393), 0.75% wrong (3), 0.5% asked back,
# language 387 of 389; blind29-langs 95.3% (286), 2.7% wrong (8), 1.3%
# asked back, language 292 of 296, 94.0% right topic and language (282);
# dev37 96.9% (310), 1.6% wrong (5), 1.25% asked back, language 314 of
# 314 (its floor 99, one message's room); dev37-langs 95.3% (286), 2.7%
# wrong (8), 1.0% asked back, language 287 of 297, 92.3% both (277).
score blind29 "$ROOT/tests/data/blind29.tsv" 98 1 1 99
held blind29-langs "$ROOT/tests/data/blind29-langs.tsv" 93 3 4 98 92
score dev37 "$ROOT/tests/data/dev37.tsv" 95 2 3 99
held dev37-langs "$ROOT/tests/data/dev37-langs.tsv" 93 3 4 96 90
# blind30.tsv (400) and blind30-langs.tsv (300), written at the
# nineteenth session's start by three writers from the brief and the view
# alone (market traders and bazaar porters, domestic workers and nannies
# living in the employer's house, social workers and neighbours writing
# for someone; builders in small towns, women in sewing workshops, men who
# came with a brigade from one village), scored once, blind, by the
# twentieth session with its router (a6c5b87's, routing as 635ed57's; no
# example added since they were written): blind30 95.0% right (380), 2.0%
# wrong (8), 0.5% asked back, language 384 of 387; blind30-langs 94.0%
# (282), 3.3% wrong (10), 2.0% asked back, language 284 of 287, 93.3%
# right topic and language (280).
score blind30 "$ROOT/tests/data/blind30.tsv" 93 2 4 99
held blind30-langs "$ROOT/tests/data/blind30-langs.tsv" 91 4 6 98 90
# dev41.tsv and dev41-langs.tsv (1,500 each, ten writers from the brief
# and the view alone), written in the twentieth session as the second
# judge of a candidate that was dropped (tests/data/RULES.md, P5), and
# scored once with the router unchanged, as held-out sets are: dev41
# 97.0% right (1,455), 1.07% wrong (16), 0.8% asked back, language 1,436
# of 1,445; dev41-langs 96.1% (1,442), 2.1% wrong (32), 1.0% asked back,
# language 1,416 of 1,448, 94.1% right topic and language (1,411).
# Those first scores are its blind ones; since then it is not held out:
# the keyword "olov" came from reading its misses ("yordam!! olov",
# answered with the menu then, emergency now), so its floors guard
# against regressions and measure nothing new.
score dev41 "$ROOT/tests/data/dev41.tsv" 96 2 2 99
held dev41-langs "$ROOT/tests/data/dev41-langs.tsv" 95 3 3 97 93
# Floors moved in the twentieth session when "olov" (fire, Uzbek) became
# a keyword of emergency: adding any one keyword moves about 60 of the
# 37,066 spent messages' answers, most between "not understood" and a
# question back, by the solver's order and the weighing's sample count
# (a nonsense keyword, "zzqxv", moved them alike: tests/data/RULES.md).
# blind28-langs asked back 1% -> 2% (3 -> 4), blind29-langs right 95% ->
# 94% (286 -> 284), asked back 2% -> 3% (4 -> 8), both 94% -> 93% (282
# -> 281), blind30-langs right 94% -> 93% (282 -> 281), dev41 right 97%
# -> 96% (1,455 -> 1,454), dev41-langs asked back 1% -> 2% (15 -> 18),
# both 94% -> 93% (1,411 -> 1,409).  Their first scores stand as scored.
# dev42.tsv and dev42-langs.tsv (1,500 each, ten more writers, the first
# with the label rule of the twentieth session: a life in danger now is
# emergency,health), the judge of a candidate that was dropped (M4),
# scored once with the router unchanged: dev42 96.5% right (1,447), 1.27%
# wrong (19), 1.1% asked back, language 1,440 of 1,449; dev42-langs 96.0%
# (1,440), 1.73% wrong (26), 0.7% asked back, language 1,411 of 1,450,
# 93.9% right topic and language (1,409).
score dev42 "$ROOT/tests/data/dev42.tsv" 95 2 2 99
held dev42-langs "$ROOT/tests/data/dev42-langs.tsv" 95 2 2 97 93
# blind31.tsv (400) and blind31-langs.tsv (300), written at the
# twentieth session's start by five writers from the brief and the view
# alone (hairdressers, salon workers and waitresses; people at border
# crossings and stations, imams, teachers and elders writing for someone;
# street cleaners, depot loaders, teenagers with older relatives), before
# the label rule for a life in danger, scored once, blind, by the
# twenty-first session with its start router (7a00fba; the content's only
# change since they were written is "olov"): blind31 96.5% right (386),
# 1.25% wrong (5), 1.5% asked back, language 382 of 383; blind31-langs
# 96.7% (290), 1.67% wrong (5), 1.0% asked back, language 280 of 290,
# 93.3% right topic and language (280).  One blind31-langs line labelled
# health alone was answered emergency (tests/data/RULES.md).
score blind31 "$ROOT/tests/data/blind31.tsv" 96 2 2 99
held blind31-langs "$ROOT/tests/data/blind31-langs.tsv" 95 2 3 96 91
# dev43.tsv and dev43-langs.tsv (1,500 each, ten writers of the
# twenty-first session), the judge of a candidate that was dropped (H,
# sure 0.50: tests/data/RULES.md), scored once with the router unchanged:
# dev43 97.5% right (1,462), 1.07% wrong (16), 0.3% asked back, language
# 1,436 of 1,448; dev43-langs 94.6% (1,419), 1.73% wrong (26), 1.8% asked
# back, language 1,410 of 1,446, 92.5% right topic and language (1,387).
score dev43 "$ROOT/tests/data/dev43.tsv" 96 2 2 99
held dev43-langs "$ROOT/tests/data/dev43-langs.tsv" 93 2 3 97 91
# dev44.tsv and dev44-langs.tsv (1,500 each, ten more writers of the
# twenty-first session), the judge of Q (a question back, not a guess,
# for a best topic under 0.50 when two topics can be offered:
# tests/data/RULES.md), which kept it.  First scores, with the router
# before Q: dev44 96.4% right (1,446), 1.87% wrong (28), 0.5% asked back,
# language 1,445 of 1,449; dev44-langs 96.5% (1,447), 1.4% wrong (21),
# 1.1% asked back, language 1,410 of 1,445, 94.3% right topic and
# language (1,414).  With Q (the floors): dev44 95.7% right, 1.53% wrong,
# 1.5% asked back; dev44-langs 95.7%, 1.0%, 2.3%, 93.5% both.
score dev44 "$ROOT/tests/data/dev44.tsv" 95 2 2 99
held dev44-langs "$ROOT/tests/data/dev44-langs.tsv" 95 2 3 97 93
# blind32.tsv and blind32-langs.tsv (1,500 each, ten writers of the
# twenty-first session, written after Q was kept), scored once, blind,
# with that session's final router (Q's): blind32 95.7% right (1,435),
# 1.0% wrong (15), 2.3% asked back, language 1,441 of 1,449;
# blind32-langs 92.1% (1,381), 1.9% wrong (29), 4.1% asked back,
# language 1,418 of 1,446, 90.5% right topic and language (1,358).
score blind32 "$ROOT/tests/data/blind32.tsv" 95 1 3 99
held blind32-langs "$ROOT/tests/data/blind32-langs.tsv" 92 3 5 98 90
# Floors moved in the twenty-second session when the service words and
# the dog bite that blind32-langs' messages lacked became keywords and
# examples of more, lang, stop and health in [uz], [ky] and [tg] (40
# lines; blind32-langs is tuned on by them: tests/data/RULES.md): each by
# a message or three, the solver's order as with "olov".  blind6-langs
# asked back 3% -> 4% (8 -> 10), blind10-langs 3% -> 4% (9 -> 10),
# blind16-langs 4% -> 5% (11 -> 13), blind27-langs right 95% -> 94% (285
# -> 283) and asked back 3% -> 4% (8 -> 10), blind28-langs asked back 2%
# -> 3% (6 -> 7), dev37 right 96% -> 95% (308 -> 307) and asked back 2%
# -> 3% (6 -> 7), blind30 right 94% -> 93% (376 -> 373) and asked back 3%
# -> 4% (10 -> 13), blind31-langs both 92% -> 91% (276 -> 275),
# dev44-langs wrong 1% -> 2% (15 -> 16), blind32-langs wrong 2% -> 3%
# (29 -> 31; its right 1,381 -> 1,387, not understood 28 -> 20).  Their
# first scores stand as scored.
# blind33.tsv (400) and blind33-langs.tsv (300), written at the
# twenty-first session's end by five writers from the brief and the view
# alone (jewellery, phone-repair and market-stall helpers; people who
# lost their job in winter and the volunteers who help them; loaders and
# drivers' mates at fruit and vegetable depots), scored once, blind, by
# the twenty-second session with its final router (20dcad2: Q, the
# content gaps read in blind32-langs' misses, and Q's question kept from
# service topics): blind33 98.75% right (395), 0.25% wrong (1), 0.75%
# asked back, language 381 of 382; blind33-langs 95.7% (287), 1.67%
# wrong (5), 1.3% asked back, language 281 of 289, 93.3% right topic and
# language (280).  One blind33 line labelled health alone was answered
# emergency; none labelled passport alone was answered passport-lost.
score blind33 "$ROOT/tests/data/blind33.tsv" 98 1 1 99
held blind33-langs "$ROOT/tests/data/blind33-langs.tsv" 95 2 2 97 93
# Floors moved in the twenty-first session with Q, by what its questions
# took from right answers (no set's wrong topics rose; summed over the
# score lines above, queries and blind counted in both configurations:
# right 31,831 -> 31,552, asked back 358 -> 739, wrong 529 -> 427 of
# 33,146; each set's first score stands as scored): blind15, blind15-
# langs, blind18, blind18-langs, blind19, blind20, blind22, blind22-
# langs, blind24, blind24-langs, blind25-langs, blind26, blind27,
# blind27-langs, blind28, blind28-langs, blind29-langs, dev37-langs,
# blind30, blind30-langs, dev41, dev41-langs, dev42, dev42-langs,
# blind31-langs, dev43 and dev43-langs.  blind19 (6.5%), blind30-langs
# (6.0%), blind18-langs (5.0%) and blind15-langs (4.3%) now ask back more
# often than issue 13's 4%.
# tests/data/SPENT names the sets tests/tools/pool.sh may route while
# tuning: each must exist, and a held-out one only after its one score,
# that is with its floor above (an unscored set read by a pool script
# loses its blind score, as blind27 did in the sixteenth session).
spent_ok() {
	# a last line without its newline is read too
	grep -v '^#' "$ROOT/tests/data/SPENT" | while IFS='	' read -r n k _ ||
	    [ -n "$n" ]; do
		[ -f "$ROOT/tests/data/$n.tsv" ] || { echo "# no $n.tsv"; exit 1; }
		[ "$k" = dev ] && continue
		[ "$k" = held ] || { echo "# $n: kind $k"; exit 1; }
		grep -Eq "^(score|held) [a-z0-9-]+ \"\\\$ROOT/tests/data/$n\.tsv\"" \
		    "$ROOT/tests/e2e/t_corpus.sh" || { echo "# $n: no floor"; exit 1; }
	done
}
check "SPENT: every set exists, every held-out one has its floor" spent_ok
# topics_of MESSAGE...: the topics "habar route --tsv" answers them with,
# each followed by a space, for the checks below (their messages written
# for them, not taken from any set).
topics_of() {
	printf '%s\n' "$@" >"$T/few"
	"$HABAR" -f "$T/habar.conf" route --tsv <"$T/few" 2>/dev/null |
	    cut -f 1 | tr '\n' ' '
}
# A job search in Kazakhstan is answered with work: until 9f04e0c the
# content taught it both ways (work.txt and unknown.txt each had job
# searches), and these two were not understood.
check "a job search is answered with work" test "$(topics_of \
    "ищу работу сварщиком в Караганде" "ищу работу грузчиком")" = "work work "
# "olov", fire in Uzbek, was no keyword of emergency's [uz] (yong'in, o't
# ketdi were) and was not understood alone until the twentieth session.
check "fire in Uzbek (olov) is answered with emergency" test "$(topics_of \
    "olov" "uyimizda olov, tez" "olov bor, yordam bering")" = \
    "emergency emergency emergency "
# Service words and a dog bite in Uzbek, Kyrgyz and Tajik that the
# content lacked until the twenty-second session (read in blind32-langs'
# misses after its score; tests/data/RULES.md): "more" ("улантуу",
# "бештар", the answer to its end), another language, STOP, a dog bite.
check "MORE in Kyrgyz, Tajik and Uzbek is answered with more" test \
    "$(topics_of "улантуу" "ulantuu" "бештар" "beshtar navised" \
    "javobni oxirigacha yozing" "калганын жибергиле")" = \
    "more more more more more more "
check "another language, in Uzbek and Tajik, is answered with lang" test \
    "$(topics_of "boshqa tilda yozing" "ба забони дигар нависед")" = \
    "lang lang "
check "STOP in Kyrgyz, Uzbek and Tajik is answered with stop" test \
    "$(topics_of "смс келбесин" "sms kelmasin" "дигар смс нафиристед")" = \
    "stop stop stop "
check "a dog bite in Tajik and Uzbek is answered with health" test \
    "$(topics_of "сагам газид" "it qopib oldi")" = "health health "
finish
