#!/bin/sh
# The Debian package: "make deb" builds it from a copy of the tracked
# files (this tree is left as it was); dpkg -i installs the programs, man
# pages, units and the configuration as conffiles readable by the habar
# group, creates the habar system user in dialout and its state folder;
# the installed habard checks the installed configuration and, started
# as root on it with a simulated phone, drops to habar and answers from
# that folder; lintian reports no error; installing it again keeps an
# edited configuration; a remove keeps the user's data and a purge
# removes it with the user.  Needs root; it changes the machine only for
# its run (the trap purges the package on any exit).  Plain build only:
# the package builds its own binaries.
. "$(dirname "$0")/lib.sh"

skip() {
	ok "Debian package # SKIP $1"
	finish
}
case $HABARD in
*asan*) skip "runs once, with the plain build" ;;
esac
[ "$(id -u)" = 0 ] || skip "needs root (dpkg -i)"
command -v dpkg-buildpackage >/dev/null ||
    skip "no dpkg-buildpackage (tools/deps.sh installs dpkg-dev)"
if dpkg-query -W -f='${Status}' habar 2>/dev/null | grep -q installed; then
	skip "a habar package is installed here: not touching it"
fi
getent passwd habar >/dev/null &&
    skip "a habar user exists here: the purge would remove it"

V=$(sed -n 's/^VERSION = *//p' "$ROOT/config.mk")
DEB=$T/dist/habar_${V}_$(dpkg --print-architecture).deb
STATE=/var/lib/habar
BLOG=$T/build.log

# dpkg ARGS...: waits while another dpkg or apt holds the lock (5 min).
dpkg_do() {
	i=0
	while ! dpkg "$@" >"$T/dpkg.out" 2>&1; do
		cat "$T/dpkg.out" >>"$BLOG"
		grep -q 'locked by another process' "$T/dpkg.out" &&
		    [ $i -lt 600 ] || return 1
		sleep 0.5
		i=$((i + 1))
	done
	cat "$T/dpkg.out" >>"$BLOG"
}

installed() {
	dpkg-query -W -f='${Status}' habar 2>/dev/null | grep -q installed
}

cleanup() {
	[ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null
	[ -n "$LINTPID" ] && kill "$LINTPID" 2>/dev/null
	if installed; then
		echo "# purging the habar package left installed" >&2
		mkdir -p "$T"
		dpkg_do --purge habar ||
		    echo "# purge failed: $(cat "$T/dpkg.out")" >&2
	fi
}
LINTPID=
trap cleanup EXIT
trap 'exit 1' INT TERM

# tail_of FILE: the end of a log, as TAP comments.
tail_of() {
	tail -n 30 "$1" | sed 's/^/# /'
}

build() {
	make -s -C "$ROOT" deb DEBTMP="$T/deb" DIST="$T/dist" \
	    >>"$BLOG" 2>&1 </dev/null
}
before=$(git -C "$ROOT" status --porcelain 2>&1)
if ! check "make deb builds $(basename "$DEB")" build; then
	tail_of "$BLOG"
	finish
fi
check "the build leaves the work tree as it was" \
    [ "$(git -C "$ROOT" status --porcelain 2>&1)" = "$before" ]
check "the .deb is there" [ -f "$DEB" ]
# Lintian takes half a minute: it runs while the package is tried out
# (TMPDIR: it leaves files there).
if command -v lintian >/dev/null; then
	TMPDIR=$T lintian \
	    "$T/deb/habar_${V}_$(dpkg --print-architecture).changes" \
	    >"$T/lintian.out" 2>&1 &
	LINTPID=$!
else
	not_ok "lintian is installed (tools/deps.sh)"
fi

check "dpkg -i installs it" dpkg_do -i "$DEB" || tail_of "$BLOG"
for f in /usr/sbin/habard /usr/bin/habar /usr/share/man/man8/habard.8.gz \
    /usr/share/man/man1/habar.1.gz /usr/share/man/man5/habar.conf.5.gz \
    /usr/share/habar/content/topics/menu.txt /usr/share/habar/README.md \
    /etc/habar/habar.conf /etc/habar/gammurc /usr/share/doc/habar/copyright; do
	check "installed $f" [ -f "$f" ]
done
for u in "$ROOT"/conf/*.service; do
	[ -f "$u" ] || continue
	check "unit ${u##*/} installed" [ -f "/lib/systemd/system/${u##*/}" ]
done
r=99-habar-modemmanager.rules
[ -f "$ROOT/conf/$r" ] &&
    check "udev rule $r installed" [ -f "/lib/udev/rules.d/$r" ]
check "the configuration is a conffile" sh -c \
    "dpkg-query -W -f='\${Conffiles}' habar | grep -q '/etc/habar/habar.conf '"
check "the configuration is root:habar 0640" \
    [ "$(stat -c '%U:%G %a' /etc/habar/habar.conf)" = "root:habar 640" ]
check "the configuration runs habard as habar" \
    grep -q '^user = "habar";' /etc/habar/habar.conf
check "content_dir is the installed content" \
    grep -q '^content_dir = "/usr/share/habar/content";' /etc/habar/habar.conf
check "habar is a system user without a shell" sh -c \
    'u=$(id -u habar) && [ "$u" -lt 1000 ] &&
    getent passwd habar | grep -q ":/usr/sbin/nologin$"'
check "habar is in dialout" \
    sh -c 'id -Gn habar | tr " " "\n" | grep -qx dialout'
check "$STATE is habar's, 0700" \
    [ "$(stat -c '%U:%G %a' "$STATE")" = "habar:habar 700" ]
check "its key folder is habar's" \
    [ "$(stat -c '%U %a' "$STATE/keys")" = "habar 700" ]
out=$(/usr/sbin/habard -n -f /etc/habar/habar.conf 2>&1)
echo "# habard -n: $out"
check "habard -n on the installed configuration: OK" \
    [ "$out" = "configuration OK" ]
check "habar lint on the installed content" \
    sh -c '/usr/bin/habar -f /etc/habar/habar.conf lint >/dev/null'

# The installed configuration with a simulated phone for the modem:
# habard starts as root, drops to habar and works in its state folder.
# The phone is there too, where habar can reach it whatever TMPDIR is.
PHONE=$STATE/phone
mkdir -p "$PHONE/sms/1" "$PHONE/sms/3" "$PHONE/sms/4"
chown -R habar:habar "$PHONE"
dummy="device = \"$PHONE\"; connection = \"none\"; model = \"dummy\";"
sed -e "s|^	gammurc = \"/etc/habar/gammurc\";|	$dummy|" \
    -e '/^	section = 0;/d' /etc/habar/habar.conf >"$T/run.conf"
check "the modem is replaced by the simulated phone" \
    grep -q "device = \"$PHONE\"" "$T/run.conf"
: >"$LOG"
/usr/sbin/habard -d -f "$T/run.conf" >>"$LOG" 2>&1 &
PID=$!
check "the installed habard starts as root" poll 20 started
check "and runs as habar" sh -c \
    "[ \"\$(awk '/^Uid:/ { print \$2 }' /proc/$PID/status)\" = $(id -u habar) ]"
inject +77016660101 "паспорт"
chown -R habar:habar "$PHONE"	# the phone's files are the daemon's
check "answers" wait_sent 1
check "its pseudonym key is habar's" \
    sh -c "find $STATE/keys -name '*.key' -user habar | grep -q ."
check "its database is habar's" [ "$(stat -c %U "$STATE/habar.db")" = habar ]
check "stops cleanly" stop_daemon

if [ -n "$LINTPID" ]; then
	wait "$LINTPID"
	LINTPID=
	sed 's/^/# lintian: /' "$T/lintian.out"
	check "lintian: no error" sh -c "! grep -q '^E:' '$T/lintian.out'"
fi

# Installing over itself takes the upgrade path of the scripts.
echo "# edited by the operator" >>/etc/habar/habar.conf
check "dpkg -i again (the upgrade path)" dpkg_do -i "$DEB"
check "keeps the edited configuration" \
    grep -q "edited by the operator" /etc/habar/habar.conf
check "and its owner and mode" \
    [ "$(stat -c '%U:%G %a' /etc/habar/habar.conf)" = "root:habar 640" ]
check "and the database" [ -s "$STATE/habar.db" ]

check "dpkg --remove" dpkg_do --remove habar
check "programs gone" [ ! -e /usr/sbin/habard -a ! -e /usr/bin/habar ]
check "remove keeps the user's data and configuration" \
    [ -f "$STATE/habar.db" -a -f /etc/habar/habar.conf ]
check "dpkg --purge" dpkg_do --purge habar
check "purge removes the state folder" [ ! -e "$STATE" ]
check "and the configuration" [ ! -e /etc/habar ]
check "and the habar user and group" \
    sh -c '! getent passwd habar && ! getent group habar'
check "and the statoverrides" \
    sh -c '! dpkg-statoverride --list "/etc/habar/*" | grep -q .'
finish
