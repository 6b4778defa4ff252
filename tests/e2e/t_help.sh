#!/bin/sh
# --help everywhere, and a missing configuration named with the way to
# give one.  --help prints the usage on standard output and exits 0; a
# wrong option prints it on standard error and fails.
. "$(dirname "$0")/lib.sh"

# help_ok NAME COMMAND...: exits 0, "usage:" on stdout, nothing on stderr.
help_ok() {
	name=$1
	shift
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	check "$name: exits 0 (got $rc)" [ "$rc" = 0 ]
	check "$name: usage on standard output" grep -q '^usage: ' "$T/out"
	check "$name: nothing on standard error" [ ! -s "$T/err" ]
}

help_ok "habar --help" "$HABAR" --help
help_ok "habar -h" "$HABAR" -h
check "habar --help lists every command" sh -c "
    for c in lint try route sim status stats report keys purge; do
	grep -q \"^  \$c \" '$T/out' || exit 1
    done"
for c in lint try route sim status stats report keys purge; do
	help_ok "habar $c --help" env HABAR_CONF=/nonexistent "$HABAR" $c --help
	check "habar $c --help: its own usage" \
	    grep -q "^usage: habar \[-f file\] $c" "$T/out"
done
help_ok "habar stats topics --help" "$HABAR" stats topics --help
help_ok "habar -f x.conf lint --help" "$HABAR" -f x.conf lint --help
help_ok "habard --help" "$HABARD" --help
check "habard --help: every option" sh -c "
    for o in -f -d -n -v; do grep -q \"^  \$o \" '$T/out' || exit 1; done"
help_ok "habard -h" "$HABARD" -h

# Wrong use: the usage on standard error, a failing exit.
"$HABAR" --frobnicate >"$T/out" 2>"$T/err"
rc=$?
check "habar --frobnicate: exits 2 (got $rc)" [ "$rc" = 2 ]
check "habar --frobnicate: usage on standard error" \
    grep -q '^usage: ' "$T/err"
"$HABAR" frobnicate >"$T/out" 2>"$T/err"
rc=$?
check "habar frobnicate: exits 2, names the command (got $rc)" \
    sh -c "[ $rc = 2 ] && grep -q 'no command \"frobnicate\"' '$T/err'"
"$HABARD" -x >"$T/out" 2>"$T/err"
rc=$?
check "habard -x: exits 1 (got $rc)" [ "$rc" = 1 ]
check "habard -x: usage on standard error" grep -q '^usage: ' "$T/err"

# No configuration: which one was tried, why that one, how to name one.
if [ -e /etc/habar/habar.conf ]; then
	ok "# skip habar lint without -f: /etc/habar/habar.conf exists here"
else
	(unset HABAR_CONF; cd "$T" && "$HABAR" lint) >"$T/out" 2>"$T/err"
	rc=$?
	check "habar lint without a configuration: exits 2 (got $rc)" \
	    [ "$rc" = 2 ]
	check "... names the default it tried" grep -q \
	    'cannot read the configuration /etc/habar/habar.conf' "$T/err"
	check "... says how to give one (-f FILE, HABAR_CONF)" sh -c \
	    "grep -q -- '-f FILE' '$T/err' && grep -q HABAR_CONF=FILE '$T/err'"
	check "... and not \"cannot resolve its directory\"" \
	    sh -c "! grep -q resolve '$T/err'"
fi
HABAR_CONF=$T/none.conf "$HABAR" stats >"$T/out" 2>"$T/err"
rc=$?
check "habar stats, HABAR_CONF missing: exits 2, names it and HABAR_CONF" \
    sh -c "[ $rc = 2 ] && grep -q '$T/none.conf' '$T/err' &&
    grep -q 'HABAR_CONF names it' '$T/err'"
"$HABAR" -f "$T/none.conf" status >"$T/out" 2>"$T/err"
rc=$?
check "habar -f missing status: exits 2, says -f names it" \
    sh -c "[ $rc = 2 ] && grep -q '\-f names it' '$T/err'"
"$HABARD" -n -f "$T/none.conf" >"$T/out" 2>"$T/err"
rc=$?
check "habard -n -f missing: fails, cannot read the configuration" \
    sh -c "[ $rc != 0 ] && grep -q 'none.conf: cannot read the configuration' '$T/err'"
finish
