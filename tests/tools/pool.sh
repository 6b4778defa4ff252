#!/bin/sh
# pool.sh - the spent pool through "habar route --tsv", for tuning.
#
#	sh tests/tools/pool.sh [-o PREFIX] [REPO]
#
# Routes every set tests/data/SPENT names, and no other, with REPO's
# bin/habar on REPO's conf/demo.conf and content (REPO: this checkout by
# default; another worktree to compare its content or code), and prints
# one line of totals for each of three groups: "dev" (the dev sets spent
# as judges), "held" (the spent held-out sets in Kazakh and Russian) and
# "held-langs" (those in Uzbek, Kyrgyz and Tajik):
#	messages, right, asked back, wrong, not understood, wrong reply
#	language, right topic in the right language.
# With -o, each group's messages and answers are also written to
# PREFIX.GROUP, one a line: set, message, labels, language, then the
# answer's columns.  The list of sets is always this checkout's SPENT,
# whatever REPO is: a set written for a later judge or blind score is
# not in it until its one use (tests/data/RULES.md), so no run of this
# script can score it by mistake, as one written ad hoc did in the
# sixteenth session.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
out=
if [ "$1" = "-o" ]; then
	out=$2
	shift 2
fi
REPO=${1:-$ROOT}
DATA=$ROOT/tests/data
[ -x "$REPO/bin/habar" ] || { echo "pool.sh: no $REPO/bin/habar (make first)" >&2; exit 2; }
T=$(mktemp -d) || exit 2
trap 'rm -rf "$T"' EXIT

# group NAME SET...: one line of totals (and PREFIX.NAME with -o)
group() {
	name=$1
	shift
	for s in "$@"; do
		grep -v '^#' "$DATA/$s.tsv" | grep . | sed "s|^|$s	|"
	done >"$T/in"
	cut -f 2 "$T/in" | (cd "$REPO" && bin/habar -f conf/demo.conf \
	    route --tsv 2>/dev/null) >"$T/out" || {
		echo "pool.sh: habar route failed in $REPO" >&2
		exit 1
	}
	paste "$T/in" "$T/out" >"$T/all"
	[ -n "$out" ] && cp "$T/all" "$out.$name"
	# scored as t_corpus scores: tests/corpus.awk's totals, no line
	cut -f 2- "$T/all" | awk -v held=1 -f "$ROOT/tests/corpus.awk" |
	    awk -v g="$name" '
	/^# by language:/ { both += $10 }
	!/^#/ {	# n ok wrong langn langok asked
		printf "%-10s %5d messages %5d right %4d asked %4d wrong %4d not understood %4d language wrong %5d both\n",
		    g, $1, $2, $6, $3, $1 - $2 - $3 - $6, $4 - $5, both
	}'
}

sets() {	# sets KIND [langs|kkru]: SPENT's names of that kind
	grep -v '^#' "$DATA/SPENT" | awk -F'\t' -v k="$1" -v l="$2" '
	    $2 == k && (l == "" || (l == "langs") == ($1 ~ /-langs$/)) {
		print $1 }'
}
group dev $(sets dev)
group held $(sets held kkru)
group held-langs $(sets held langs)
