#!/bin/sh
# Install the Debian packages habar builds and tests with, when missing.
# As root it runs apt-get (updating the lists first if a package cannot be
# found); otherwise it says exactly what to install.
PKGS="libgammu-dev gammu libconfig-dev libsqlite3-dev sqlite3 libsodium-dev
libmicrohttpd-dev libcmocka-dev pkg-config mandoc
clang libclang-rt-14-dev valgrind python3"
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
