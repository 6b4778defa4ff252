#!/bin/sh
# Run every suite for each "builddir:bindir" argument: the cmocka unit
# tests, then the end-to-end scripts against that build's binaries.
# The suites of all the builds share CHECK_JOBS workers (3 unless set; most
# of an end-to-end script's time is spent waiting on a daemon or a slow
# modem, so three at a time on two cores take little longer each than
# one), the slowest first.  Each pass's results are printed, in suite
# order, when all have ended, then one line "N passed, N failed" for
# all.  Exits non-zero when anything failed.
cd "$(dirname "$0")/.." || exit 2
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

# The suites that take longest (a minute or more on two cores): started
# first, so that none is left running alone at the end.
SLOW="e2e/t_at.sh e2e/t_deb.sh e2e/t_langs.sh e2e/t_check.sh e2e/t_atpin.sh
e2e/t_chaos.sh e2e/t_stats.sh e2e/t_reload.sh e2e/t_faults.sh
e2e/t_hostile.sh e2e/t_menu.sh e2e/t_valgrind.sh e2e/t_atastray.sh
e2e/t_doctor.sh e2e/t_epoch.sh e2e/t_fuzz.sh t_modem"

count() {	# count FILE: a cmocka run's totals
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$1" | tail -n 1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$1" | tail -n 1)
	echo "${p:-0} ${f:-0}"
}

# one LOG BUILDDIR BINDIR SUITE: run one suite (tests/t_x of the build,
# or e2e/t_x.sh on its binaries); its output in LOG, its totals
# "passed failed seconds" in LOG.res.
one() {
	out=$1 o=$2 bin=$3 suite=$4
	start=$(date +%s)
	case $suite in
	e2e/*)
		HABARD="$bin/habard" HABAR="$bin/habar" \
		    SIMPHONE="$bin/simphone" sh "tests/$suite" >"$out" 2>&1
		rc=$?
		p=$(grep -c '^ok ' "$out")
		f=$(grep -c '^not ok ' "$out")
		;;
	*)
		"$o/tests/$suite" >"$out" 2>&1
		rc=$?
		set -- $(count "$out")
		p=$1 f=$2
		;;
	esac
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1	# crashed, or a sanitizer stopped it
	fi
	echo "$p $f $(($(date +%s) - start))" >"$out.res"
}

if [ "${1:-}" = --one ]; then
	shift
	one "$@"
	exit 0
fi

log=$(mktemp -d "${TMPDIR:-/tmp}/habar-check.XXXXXX")

# suites BUILDDIR: the suites of one build, in the order printed.
suites() {
	for t in "$1"/tests/t_*; do
		[ -x "$t" ] && echo "${t##*/}"
	done
	for t in tests/e2e/t_*.sh; do
		[ -f "$t" ] && echo "e2e/${t##*/}"
	done
}

logname() {	# logname BUILDDIR SUITE
	echo "$log/$(echo "$1/$2" | tr / _).log"
}

# rank SUITE: its place in $SLOW, or one past the end.
rank() {
	i=1
	for x in $SLOW; do
		[ "$x" = "$1" ] && break
		i=$((i + 1))
	done
	echo "$i"
}

# The first build's simphone reads the simulated phone's sent folder for
# the waits of every pass (tests/e2e/lib.sh, SIMPHONE_READ).
export SIMPHONE_READ="${1#*:}/simphone"
echo "running the suites, ${CHECK_JOBS:-3} at a time; their logs in $log"
# Every (build, suite) to the workers, the slow ones first (sort -s keeps
# the builds' order within a rank).
for pair in "$@"; do
	suites "${pair%%:*}" | while read -r s; do
		echo "$(rank "$s") ${pair%%:*} ${pair#*:} $s"
	done
done | sort -s -n -k 1,1 | while read -r _ o bin s; do
	printf '%s\n%s\n%s\n%s\n' "$(logname "$o" "$s")" "$o" "$bin" "$s"
done | tr '\n' '\0' | xargs -0 -n 4 -P "${CHECK_JOBS:-3}" sh "$0" --one

passed=0
failed=0
for pair in "$@"; do
	o=${pair%%:*}
	for s in $(suites "$o"); do
		out=$(logname "$o" "$s")
		name="$o/$s"
		if [ -f "$out.res" ]; then
			read -r p f secs <"$out.res"
		else
			p=0 f=1 secs=?
		fi
		passed=$((passed + p))
		failed=$((failed + f))
		if [ "$f" -ne 0 ]; then
			echo "FAIL $name: $p passed, $f failed, $secs s (log below)"
			sed 's/^/    /' "$out" | tail -n 60
		else
			echo "ok   $name: $p passed, $secs s"
		fi
	done
done
echo "logs: $log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
