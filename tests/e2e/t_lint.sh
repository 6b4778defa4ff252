#!/bin/sh
# The linter's golden tests.  Each folder under tests/data/lint/ is a
# content set (topics/, and a habar.conf when it needs other settings)
# with "expected": what "habar lint" prints for it, then "exit: N".
# The date is fixed so "verified:" ages do not drift.  After a deliberate
# change to the linter's words, regenerate with
#	HABAR_LINT_UPDATE=1 sh tests/e2e/t_lint.sh
# and read the diff before committing it.
. "$(dirname "$0")/lib.sh"

DATA=$ROOT/tests/data/lint
TODAY=2026-11-26

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
		cp "$out" "$d/expected"
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

# Bad options are refused.
"$HABAR" lint --today=26.11.2026 "$DATA/ok" >/dev/null 2>&1
check "a bad --today is refused" [ $? = 2 ]
finish
