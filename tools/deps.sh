#!/bin/sh
# Install the Debian packages habar needs, when missing:
#	sh tools/deps.sh run	to build and run it (make, make demo)
#	sh tools/deps.sh test	and to test it (make check)
#	sh tools/deps.sh bench	and to measure it (make bench)
# As root it runs apt-get (updating the lists first if a package cannot be
# found); otherwise it says exactly what to install.  README.md, "Building",
# lists the same packages.
RUN="libgammu-dev gammu libconfig-dev libsqlite3-dev sqlite3 libsodium-dev
libmicrohttpd-dev liblinear-dev pkg-config"
# The unit tests (cmocka), the man page checks (mandoc), the fuzzers
# (clang, libFuzzer's runtime), valgrind, the report's rendering
# (chromium), the Kannel test (kannel, kannel-extras: fakesmsc), and
# what the test scripts call (curl, python3), the clock moved past an
# epoch boundary in tests/e2e/t_epoch.sh (faketime), the units' security
# score in tests/e2e/t_install.sh (systemd-analyze), and the Debian
# package build of tests/e2e/t_deb.sh (debhelper, dpkg-dev, fakeroot,
# lintian, adduser).
TEST="libcmocka-dev mandoc clang libclang-rt-14-dev valgrind chromium
kannel kannel-extras curl python3 faketime systemd
debhelper dpkg-dev fakeroot lintian adduser"
BENCH="wrk gammu-smsd"

case ${1:-run} in
run)	PKGS=$RUN ;;
test)	PKGS="$RUN $TEST" ;;
bench)	PKGS="$RUN $TEST $BENCH" ;;
*)	echo "usage: sh tools/deps.sh [run|test|bench]" >&2; exit 2 ;;
esac
[ -n "$HABAR_DEPS_EXTRA" ] && PKGS="$PKGS $HABAR_DEPS_EXTRA"

missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
	    grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing" >&2
	echo "deps: run as root: apt-get install -y$missing" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q $missing; then
	apt-get update -q && apt-get install -y -q $missing || {
		echo "deps: cannot install$missing" >&2
		exit 1
	}
fi
