#!/bin/sh
# Run every libFuzzer target for FUZZ_SECONDS (default 60), two at a
# time, each on a scratch copy of its seeds (tests/fuzz/corpus/<target>/
# is read, never written).  TAP lines: "ok N - fuzz_<target>: E
# executions" or "not ok" with the crash report and the input kept.
# A finding is fixed, then its input goes into the target's corpus as a
# regression seed.
cd "$(dirname "$0")/../.." || exit 2
S=${FUZZ_SECONDS:-60}
B=${FUZZ_BIN:-build/fuzz}
TARGETS=${FUZZ_TARGETS:-"text content conf http multipart lists"}
W=$(mktemp -d "${TMPDIR:-/tmp}/habar-fuzz.XXXXXX")
export HABAR_CONTENT="$(pwd)/content"
export TMPDIR="$W"	# the targets' scratch files go with it
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"
export LSAN_OPTIONS="suppressions=$(pwd)/tests/fuzz/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
n=0
fail=0

one() {	# one TARGET: run it, leave its result in $W/TARGET.result
	t=$1
	mkdir -p "$W/$t.corpus" "$W/$t.crash"
	"$B/fuzz_$t" -max_total_time="$S" -print_final_stats=1 \
	    -timeout=20 -rss_limit_mb=2048 -max_len=8192 -close_fd_mask=3 \
	    -artifact_prefix="$W/$t.crash/" "$W/$t.corpus" \
	    "tests/fuzz/corpus/$t" >"$W/$t.log" 2>&1
	echo $? >"$W/$t.rc"
}

report() {	# report TARGET
	t=$1
	n=$((n + 1))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$W/$t.log")
	if [ "$(cat "$W/$t.rc")" = 0 ]; then
		echo "ok $n - fuzz_$t: ${execs:-?} executions in $S s"
	else
		fail=1
		echo "not ok $n - fuzz_$t (log below; inputs in $W/$t.crash)"
		grep -v '^#\|^INFO\|^NEW\|^REDUCE\|^pulse' "$W/$t.log" |
		    tail -n 40 | sed 's/^/# /'
	fi
}

set -- $TARGETS
while [ $# -gt 0 ]; do
	a=$1
	shift
	if [ ! -x "$B/fuzz_$a" ]; then
		n=$((n + 1))
		echo "ok $n - fuzz_$a # SKIP not built (no clang/libFuzzer)"
		continue
	fi
	one "$a" &
	p1=$!
	b=
	if [ $# -gt 0 ] && [ -x "$B/fuzz_$1" ]; then
		b=$1
		shift
		one "$b" &
	fi
	wait
	report "$a"
	[ -n "$b" ] && report "$b"
done
echo "1..$n"
[ "$fail" -eq 0 ] && rm -rf "$W"
exit $fail
