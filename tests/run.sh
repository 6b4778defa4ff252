#!/bin/sh
# Run every suite for each "builddir:bindir" argument: the cmocka unit
# tests, then the end-to-end scripts against that build's binaries.
# The builds run side by side, one pass each (most of an end-to-end
# script's time is spent waiting on a daemon or a slow modem, so two
# passes on two cores take little longer than one); each pass's results
# are printed when it ends, then one line "N passed, N failed" for all.
# Exits non-zero when anything failed.
cd "$(dirname "$0")/.." || exit 2
passed=0
failed=0
log=$(mktemp -d "${TMPDIR:-/tmp}/habar-check.XXXXXX")
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

count() {	# count FILE: add a cmocka run's totals
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$1" | tail -n 1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$1" | tail -n 1)
	echo "${p:-0} ${f:-0}"
}

# run_pass BUILDDIR BINDIR: every suite on one build; its lines on
# standard output, its totals "passed failed" in $log/<pass>.sum.
run_pass() {
	o=$1
	bin=$2
	passed=0
	failed=0
	for t in "$o"/tests/t_*; do
		[ -x "$t" ] || continue
		name="$o/${t##*/}"
		out="$log/$(echo "$name" | tr / _).log"
		"$t" >"$out" 2>&1
		rc=$?
		set -- $(count "$out")
		p=$1 f=$2
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1	# crashed or a sanitizer stopped it
		fi
		passed=$((passed + p))
		failed=$((failed + f))
		if [ "$f" -ne 0 ]; then
			echo "FAIL $name: $p passed, $f failed (log below)"
			sed 's/^/    /' "$out" | tail -n 40
		else
			echo "ok   $name: $p passed"
		fi
	done
	for t in tests/e2e/t_*.sh; do
		[ -f "$t" ] || continue
		name="$o/e2e/${t##*/}"
		out="$log/$(echo "$name" | tr / _).log"
		HABARD="$bin/habard" HABAR="$bin/habar" \
		    SIMPHONE="$bin/simphone" sh "$t" >"$out" 2>&1
		rc=$?
		p=$(grep -c '^ok ' "$out")
		f=$(grep -c '^not ok ' "$out")
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1
		fi
		passed=$((passed + p))
		failed=$((failed + f))
		if [ "$f" -ne 0 ]; then
			echo "FAIL $name: $p passed, $f failed (log below)"
			sed 's/^/    /' "$out" | tail -n 60
		else
			echo "ok   $name: $p passed"
		fi
	done
	echo "$passed $failed" >"$log/$(echo "$o" | tr / _).sum"
}

# One pass per build, side by side; a fresh shell each, so their
# variables stay apart.
for pair in "$@"; do
	o=${pair%%:*}
	( run_pass "$o" "${pair#*:}" >"$log/$(echo "$o" | tr / _).out" ) &
done
wait
passed=0
failed=0
for pair in "$@"; do
	o=${pair%%:*}
	f=$log/$(echo "$o" | tr / _)
	cat "$f.out"
	if [ -f "$f.sum" ]; then
		set -- $(cat "$f.sum")
		passed=$((passed + $1))
		failed=$((failed + $2))
	else
		echo "FAIL $o: the pass did not finish"
		failed=$((failed + 1))
	fi
done
echo "logs: $log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
