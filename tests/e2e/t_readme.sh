#!/bin/sh
# The README shows what you will see: its sim, try and USSD examples are
# what the shipped content answers today; its package lists are the ones
# tools/deps.sh installs, split into running and testing, and make demo
# installs only the first; it says how long make check takes.
. "$(dirname "$0")/lib.sh"

README=$ROOT/README.md

# block CMD: the lines the README shows after "    $ CMD", unindented.
block() {
	CMD="    \$ $1" awk '
	    $0 == ENVIRON["CMD"] { on = 1; next }
	    on && (/^    \$ / || !/^    /) { exit }
	    on { print substr($0, 5) }' "$README"
}

# same NAME CMD ACTUAL: the README's block for CMD is ACTUAL (a file).
same() {
	: >"$T/diff"
	block "$2" >"$T/want"
	if [ -s "$T/want" ] && diff -u "$T/want" "$3" >"$T/diff"; then
		ok "README: $1 as it prints"
	else
		not_ok "README: $1 as it prints"
		sed 's/^/# /' "$T/diff"
	fi
}

# sim and try, on the shipped content through the real daemon.
HP=$(test_port 7)
write_conf "http = { listen = \"127.0.0.1\"; port = $HP; };"
check "habard starts on the shipped content" start_daemon
for q in "көмек" "паспорт" "ЗАРПЛАТА"; do
	"$HABAR" -f "$T/habar.conf" sim "$q" >"$T/sim" 2>&1
	same "sim \"$q\"" "bin/habar -f conf/demo.conf sim \"$q\"" "$T/sim"
done
# try needs no daemon: the demo's own configuration, as the README runs
# it (its five languages train the classifier the README's scores show).
"$HABAR" -f "$ROOT/conf/demo.conf" try "у меня забрали паспорт" 2>/dev/null |
    sed "s|$ROOT/||g" >"$T/try"
same "try" 'bin/habar -f conf/demo.conf try "у меня забрали паспорт"' "$T/try"
grep '^    \$ curl -w ' "$README" | sed 's/^    \$ //' >"$T/curls"
nussd=0
while read -r cmd; do
	c=$(printf '%s' "$cmd" | sed "s|127.0.0.1:8025|127.0.0.1:$HP|; s|^curl |curl -s |")
	sh -c "$c" >"$T/ussd" 2>&1
	same "USSD $(printf '%s' "$cmd" | sed 's/.*text=\([^ ]*\). .*/text=\1/')" \
	    "$cmd" "$T/ussd"
	nussd=$((nussd + 1))
done <"$T/curls"
check "README: 3 USSD examples, each asking curl for the newline ($nussd)" \
    [ "$nussd" = 3 ]
check "habard stops" stop_daemon
check "README: the language rule" \
    grep -q '^\*\*Which language answers.\*\* A reply is in the language' "$README"
check "README: how long make check takes on 2 cores" \
    grep -q 'minutes on 2 cores' "$README"

# The package lists: README's "to run" and "to test" are deps.sh's.
# words FILE START: the packages in the backquotes of README's bullet.
words() {
	awk -v start="$1" '
	    index($0, start) == 1 { on = 1 }
	    on { text = text " " $0 }
	    on && /;$/ { exit }
	    END { print text }' "$README" |
	    sed 's/^[^:]*: *//' | tr -d '`;' | tr ' ' '\n' | grep -v '^$' | sort
}
deps_list() {	# deps_list VAR: the packages tools/deps.sh lists in VAR
	sed -n "/^$1=\"/,/\"\$/p" "$ROOT/tools/deps.sh" |
	    sed "s/^$1=//" | tr -d '"' | tr ' ' '\n' | grep -v '^$' | sort
}
words '- **to run**' >"$T/run.readme"
deps_list RUN >"$T/run.deps"
check "README's packages to run are deps.sh's" \
    sh -c "[ -s '$T/run.deps' ] && cmp -s '$T/run.readme' '$T/run.deps'"
words '- **to test**' >"$T/test.readme"
deps_list TEST >"$T/test.deps"
check "README's packages to test are deps.sh's" \
    sh -c "[ -s '$T/test.deps' ] && cmp -s '$T/test.readme' '$T/test.deps'"

# deps.sh on a machine with nothing installed, not as root: it names
# what it would install, per list.
mkdir -p "$T/stub"
printf '#!/bin/sh\nexit 1\n' >"$T/stub/dpkg-query"
printf '#!/bin/sh\necho 1000\n' >"$T/stub/id"
chmod +x "$T/stub/dpkg-query" "$T/stub/id"
for l in run test bench; do
	PATH=$T/stub:$PATH sh "$ROOT/tools/deps.sh" $l 2>&1 |
	    sed -n 's/^deps: missing packages://p' | tr ' ' '\n' |
	    grep -v '^$' >"$T/deps.$l"
done
check "deps.sh run: the runtime, no test tools" sh -c "
    grep -qx libgammu-dev '$T/deps.run' &&
    ! grep -Eqx 'clang|libclang-rt-14-dev|valgrind|mandoc|libcmocka-dev|chromium|kannel|wrk' '$T/deps.run'"
check "deps.sh test: clang, libclang-rt, valgrind, mandoc, cmocka, chromium, kannel" sh -c "
    for p in libgammu-dev clang libclang-rt-14-dev valgrind mandoc \
	libcmocka-dev chromium kannel kannel-extras; do
	grep -qx \$p '$T/deps.test' || exit 1
    done"
check "deps.sh bench: and wrk" grep -qx wrk "$T/deps.bench"
check "make demo and make all install the run list, make check the test list" sh -c "
    cd '$ROOT' && make -n demo | grep -q 'tools/deps.sh run' &&
    ! make -n demo | grep -q 'tools/deps.sh test' &&
    make -n all | grep -q 'tools/deps.sh run' &&
    sed -n '/^check:/p' Makefile | grep -q deps-test &&
    sed -n '/^bench:/p' Makefile | grep -q deps-bench"
# The map: README's layout table names every module of gateway/ and
# tools/, and our includes form no cycle (ARCHITECTURE.md's check).
missing=
for f in "$ROOT"/gateway/*.c "$ROOT"/tools/*.c; do
	p=${f#"$ROOT"/}
	grep -q "^| \`$p\` |" "$README" || missing="$missing $p"
done
check "README's layout lists every module${missing:+ (missing:$missing)}" \
    [ -z "$missing" ]
(cd "$ROOT" && for f in gateway/*.[ch] tools/*.[ch]; do
	grep -o '^#include "[^"]*"' "$f" | sed "s|^|$f |"; done) |
    sed 's|^\([a-z]*/[a-z]*\)\.[ch] #include "\([a-z]*\)\.h"|\1 \2|' |
    awk '{ m = $1; sub(/.*\//, "", m); if (m != $2) print m, $2 }' |
    sort -u >"$T/includes"
check "no cycle among our modules' includes" sh -c "
    [ -s '$T/includes' ] && tsort '$T/includes' >/dev/null 2>'$T/tsort' &&
    ! [ -s '$T/tsort' ]"
finish
