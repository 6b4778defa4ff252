#!/bin/sh
# The linter's golden tests.  Each folder under tests/data/lint/ is a
# content set (topics/, and a habar.conf when it needs other settings)
# with "expected": what "habar lint" prints for it, then "exit: N".
# The date is fixed so "verified:" ages do not drift.  The sets are
# linted from a copy whose files all date from one moment, but for those
# a set's "newer" file names, changed a day later (a collision is said
# on the file changed last).  After a deliberate
# change to the linter's words, regenerate with
#	HABAR_LINT_UPDATE=1 sh tests/e2e/t_lint.sh
# and read the diff before committing it.
. "$(dirname "$0")/lib.sh"

SRC=$ROOT/tests/data/lint
DATA=$T/lint
TODAY=2026-11-26
cp -R "$SRC" "$DATA"
find "$DATA" -type f -exec touch -d '2026-11-20 12:00' {} +
for d in "$DATA"/*/; do
	[ -f "$d/newer" ] || continue
	while read -r f; do
		touch -d '2026-11-21 12:00' "$d/$f"
	done <"$d/newer"
done

# lint NAME [OPTION...]: run from DATA, so paths read NAME/topics/...
lint() {
	name=$1
	shift
	if [ -f "$DATA/$name/habar.conf" ]; then
		set -- -f "$name/habar.conf" lint --today=$TODAY "$@" "$name"
	else
		set -- lint --today=$TODAY "$@" "$name"
	fi
	(cd "$DATA" && HABAR_CONF=/nonexistent "$HABAR" "$@")
}

if command -v jq >/dev/null 2>&1; then
	json_errors() { jq -e '.errors' "$1"; }
else
	json_errors() {
		python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["errors"])' "$1"
	}
fi

for d in "$DATA"/*/; do
	name=$(basename "$d")
	out=$T/$name.out
	{ lint "$name"; echo "exit: $?"; } >"$out" 2>&1
	if [ -n "$HABAR_LINT_UPDATE" ]; then
		cp "$out" "$SRC/$name/expected"
	fi
	if diff -u "$d/expected" "$out" >"$T/$name.diff" 2>&1; then
		ok "lint $name: output as expected"
	else
		not_ok "lint $name: output as expected"
		sed 's/^/# /' "$T/$name.diff"
	fi

	# --format=json: valid, and the same count of errors
	lint "$name" --format=json >"$T/$name.json" 2>/dev/null
	want=$(grep -c ': error: ' "$out")
	got=$(json_errors "$T/$name.json" 2>/dev/null)
	check "lint $name --format=json: parses, $want error(s) (got $got)" \
	    [ "$got" = "$want" ]
done

# Every line of a problem reads file:line: severity: message, or
# file: severity: message for the file as a whole.
bad=$(cat "$T"/*.out | grep -E ': (error|warning): ' |
    grep -cvE '^[^: ]+(:[0-9]+)?: (error|warning): [^ ]')
check "every problem line is file[:line]: error|warning: message" \
    [ "$bad" = 0 ]

# Errors exit 1, warnings alone exit 0.
check "errors exit 1" grep -q '^exit: 1$' "$DATA/syntax/expected"
check "warnings alone exit 0" grep -q '^exit: 0$' "$DATA/cost/expected"

# The cost tables fit 80 columns and their last column starts at one
# place in every row, counting characters, not bytes (Cyrillic titles).
table_check() {
	cat "$T"/*.out | LC_ALL=C awk '
	    /^SMS parts per reply/ { t = 1; want = -1; next }
	    /^$/ { t = 0 }
	    !t { next }
	    {
		n = split($0, f, " ")
		pre = substr($0, 1, length($0) - length(f[n]))
		line = $0
		gsub(/[\200-\277]/, "", pre)
		gsub(/[\200-\277]/, "", line)
		if (length(line) > 80)
			bad++
		if (want < 0)
			want = length(pre)
		else if (length(pre) != want)
			bad++
		rows++
	    }
	    END { exit !(rows > 0 && bad == 0) }'
}
check "cost tables fit 80 columns and line up by characters" table_check

# The shipped content has no errors.
(cd "$ROOT" && HABAR_CONF=/nonexistent "$HABAR" lint content) \
    >"$T/shipped.out" 2>&1
rc=$?
check "shipped content lints without errors (exit $rc)" [ "$rc" = 0 ]
check "shipped content: a cost table and numbers to call" \
    sh -c "grep -q '^SMS parts per reply' '$T/shipped.out' &&
    grep -q '^emergency (verified ' '$T/shipped.out'"
check "shipped content: examples cross-validated, per topic and in all" \
    sh -c "grep -q '^Examples understood by a model that never saw them' '$T/shipped.out' && grep -Eq '^  all +[0-9.]+% of [0-9]+$' '$T/shipped.out'"
check "shipped content: the pairs most often confused" \
    grep -q '^Topics most often confused' "$T/shipped.out"
# No example of the shipped content teaches two topics (lint_examples():
# the sixteenth session took 14 such lines out, tests/data/RULES.md, D).
check "shipped content: no example under two topics" \
    sh -c "! grep -q ': warning: example .* is the same message as ' '$T/shipped.out'"

# A file saved in another encoding: one message, first and alone for
# that file, naming the encoding and how to save it as UTF-8.
enc=$T/encoding.out
for f in ansi koi8 unicode utf16be; do
	check "encoding/$f.txt: one message, and nothing else about it" \
	    [ "$(grep -c "^encoding/topics/$f.txt" "$enc")" = 1 ]
done
check "Windows-1251, KOI8-R, UTF-16 LE/BE named" sh -c "
    grep -q '^encoding/topics/ansi.txt: error: saved as Windows-1251' '$enc' &&
    grep -q '^encoding/topics/koi8.txt: error: saved as KOI8-R' '$enc' &&
    grep -q '^encoding/topics/unicode.txt: error: saved as UTF-16 LE with a BOM' '$enc' &&
    grep -q '^encoding/topics/utf16be.txt: error: saved as UTF-16 BE without' '$enc' &&
    grep -q '^encoding/lists/reported.txt: error: saved as Windows-1251' '$enc'"
check "how to save as UTF-8, for an editor" \
    grep -q 'Notepad, "Save as…" → Encoding: UTF-8' "$enc"
check "no byte offsets" sh -c "! grep -q 'at byte' '$enc'"
check "Kazakh letters lost as ? pointed out at their line" \
    grep -q '^encoding/topics/lost.txt:12: warning: "Т?л??жат": letters lost' \
    "$enc"
check "a collision is said on the file changed last, with what to do" \
    sh -c "grep -q '^collision/topics/documents.txt:8: error: keyword \"Документы\" collides with \"документы\" in collision/topics/passport.txt:8 .*keep it in the topic where it belongs and remove it from the other' '$T/collision.out' &&
    ! grep -q '^collision/topics/passport.txt' '$T/collision.out'"
check "a collision of files changed at once is said on both" sh -c "
    grep -q '^collision-tie/topics/documents.txt:8: error: ' '$T/collision-tie.out' &&
    grep -q '^collision-tie/topics/passport.txt:8: error: ' '$T/collision-tie.out'"

# habard, at start (and so at reload: the same loader), says the same.
cat >"$T/habard.conf" <<EOF
content_dir = "$DATA/encoding";
database = "$T/unused.db";
languages = ["kk", "ru"];
default_language = "ru";
pseudonym = { key_dir = "$T/unused-keys"; };
EOF
"$HABARD" -n -f "$T/habard.conf" >"$T/habard.out" 2>&1
rc=$?
check "habard -n refuses a set with a Windows-1251 file (exit $rc)" \
    [ "$rc" != 0 ]
check "habard -n says what the linter says" sh -c "
    grep -q '/encoding/topics/ansi.txt: error: saved as Windows-1251 (\"ANSI\" in Notepad), not UTF-8' '$T/habard.out' &&
    [ \$(grep -c 'ansi.txt' '$T/habard.out') = 1 ]"

# Issue 18: with the five shipped languages on (the demo's configuration)
# every Uzbek, Kyrgyz and Tajik reply costs no more SMS parts than the
# Russian one, and an Uzbek one is GSM-7 - but for the check answers,
# counted as if {name} were Cyrillic, and the language list, which
# names each language in its own letters.
(cd "$ROOT" && "$HABAR" -f conf/demo.conf lint --today=$TODAY \
    --format=json content) >"$T/five.json" 2>/dev/null
awk '
function cost(s, l, what,	i) {
	i = index(s, "\"" l "\": {\"parts\": ")
	if (i == 0)
		return ""
	s = substr(s, i + length(l) + 14)
	if (what == "parts")
		return s + 0
	sub(/^[0-9]+, "coding": "/, "", s)
	sub(/".*/, "", s)
	return s
}
/"cost":/ {
	id = $0
	sub(/.*"id": "/, "", id)
	sub(/".*/, "", id)
	ru = cost($0, "ru", "parts")
	n++
	for (k = 1; k <= 3; k++) {
		l = k == 1 ? "uz" : k == 2 ? "ky" : "tg"
		if (cost($0, l, "parts") > ru)
			print "# " id " [" l "]: " cost($0, l, "parts") \
			    " parts, Russian " ru
	}
	if (id !~ /^(check-|lang$)/ && cost($0, "uz", "coding") != "GSM-7")
		print "# " id " [uz]: " cost($0, "uz", "coding")
}
END { print "# " n + 0 " topics" }' "$T/five.json" >"$T/five.out"
cat "$T/five.out"
check "five languages: every topic's cost read" \
    sh -c "grep -Eq '^# [1-9][0-9]* topics' '$T/five.out'"
check "five languages: no uz/ky/tg reply costs more than the Russian" \
    sh -c "! grep -v ' topics\$' '$T/five.out' | grep -q ."

# Bad options are refused.
"$HABAR" lint --today=26.11.2026 "$DATA/ok" >/dev/null 2>&1
check "a bad --today is refused" [ $? = 2 ]
finish
