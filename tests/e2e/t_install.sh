#!/bin/sh
# "make install" into a temporary DESTDIR with another PREFIX and
# SYSCONFDIR: every file in its place with its paths rewritten, the
# installed habard checks the installed configuration and content, an
# existing configuration survives a reinstall, the man pages pass the
# linter, the systemd units name the installed binary and score 3.0 or
# less with systemd-analyze security.  Copies the
# binaries under test (the install-files half of "make install"), so no
# build runs here.
. "$(dirname "$0")/lib.sh"

D=$T/dest
P=/opt/habar
E=/etc/opt
I() { make -s -C "$ROOT" install-files DESTDIR="$D" PREFIX="$P" \
    SYSCONFDIR="$E" BINDIR="$(dirname "$HABARD")" "$@" >>"$LOG" 2>&1; }

check "make install-files into DESTDIR" I
for f in $P/sbin/habard $P/bin/habar $E/habar/habar.conf $E/habar/gammurc \
    $P/share/habar/habar.conf.sample $P/share/habar/content/topics/menu.txt \
    $P/share/man/man1/habar.1 $P/share/man/man5/habar.conf.5 \
    $P/share/man/man8/habard.8 $P/lib/systemd/system/habard@.service; do
	check "installed $f" [ -f "$D$f" ]
done
check "binaries executable" [ -x "$D$P/sbin/habard" -a -x "$D$P/bin/habar" ]
check "whichever other units exist are installed" sh -c '
	for u in "$1"/conf/*.service; do
		[ -f "$2/${u##*/}" ] || exit 1
	done' - "$ROOT" "$D$P/lib/systemd/system"
check "the configuration is not world-readable" \
    [ "$(stat -c %a "$D$E/habar/habar.conf" | cut -c3)" = 0 ]
check "content_dir follows PREFIX" \
    grep -q "^content_dir = \"$P/share/habar/content\";" "$D$E/habar/habar.conf"
check "gammurc follows SYSCONFDIR" \
    grep -q "gammurc = \"$E/habar/gammurc\";" "$D$E/habar/habar.conf"
check "template unit runs the installed habard" \
    grep -q "^ExecStart=$P/sbin/habard -d -f $E/habar/habard-%i.conf" \
    "$D$P/lib/systemd/system/habard@.service"
[ -f "$ROOT/conf/habard.service" ] &&
    check "habard.service runs the installed habard" \
    grep -q "^ExecStart=$P/sbin/habard -d -f $E/habar/habar.conf" \
    "$D$P/lib/systemd/system/habard.service"
check "no placeholder left in the units" \
    sh -c "! grep -q '@[A-Z]*@' '$D$P/lib/systemd/system/'*.service"

# Both units are sandboxed alike: systemd's own score, 3.0 or less
# (10 is fully exposed; habard@.service was 8.9 before).
score() {
	systemd-analyze security --offline=true "$1" 2>/dev/null |
	    sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p'
}
if systemd-analyze security --help 2>/dev/null | grep -q -- --offline; then
	for u in habard.service habard@.service; do
		s=$(score "$D$P/lib/systemd/system/$u")
		check "$u: systemd-analyze security scores ${s:-nothing} <= 3.0" \
		    awk -v s="$s" 'BEGIN { exit !(s != "" && s + 0 <= 3.0) }'
	done
else
	ok "unit security scores # SKIP no systemd-analyze security --offline"
fi

# The installed binary checks the installed files (paths into DESTDIR).
sed "s|\"/|\"$D/|" "$D$E/habar/habar.conf" >"$T/staged.conf"
out=$("$D$P/sbin/habard" -n -f "$T/staged.conf" 2>&1)
check "installed habard -n: configuration OK" [ "$out" = "configuration OK" ]
check "installed habar lints the installed content" \
    sh -c "'$D$P/bin/habar' -f '$T/staged.conf' lint >/dev/null"
check "installed habard -n rejects a broken file" \
    sh -c "printf 'bogus = 1;\n' >>'$T/staged.conf'; ! '$D$P/sbin/habard' -n -f '$T/staged.conf' >/dev/null 2>&1"

# A reinstall keeps an edited configuration, refreshes the sample.
echo "# edited by the operator" >>"$D$E/habar/habar.conf"
echo "# stale" >>"$D$P/share/habar/habar.conf.sample"
check "reinstall" I
check "edited configuration kept" grep -q "edited by the operator" "$D$E/habar/habar.conf"
check "sample refreshed" sh -c "! grep -q stale '$D$P/share/habar/habar.conf.sample'"

# Man pages: mandoc's linter (warnings and worse), else groff.
lint_man() {
	if command -v mandoc >/dev/null 2>&1; then
		out=$(mandoc -T lint -W warning "$1" 2>&1)
	elif command -v groff >/dev/null 2>&1; then
		out=$(groff -k -mdoc -z -ww "$1" 2>&1)
	else
		echo "# neither mandoc nor groff: install mandoc"
		return 1
	fi
	[ -z "$out" ] || { echo "# $out"; return 1; }
}
for m in man1/habar.1 man5/habar.conf.5 man8/habard.8; do
	check "man page $m lints clean" lint_man "$D$P/share/man/$m"
done

check "uninstall" make -s -C "$ROOT" uninstall DESTDIR="$D" PREFIX="$P" SYSCONFDIR="$E"
check "binaries gone" [ ! -e "$D$P/sbin/habard" -a ! -e "$D$P/bin/habar" ]
check "configuration kept by uninstall" [ -f "$D$E/habar/habar.conf" ]
finish
