# habar build settings; user CPPFLAGS/CFLAGS/LDFLAGS are appended.
VERSION = 0.1


PREFIX = /usr/local
MANPREFIX = $(PREFIX)/share/man
SYSCONFDIR = /etc

PKGS = gammu libconfig sqlite3 libsodium libmicrohttpd
PKG_CFLAGS = `pkg-config --cflags $(PKGS)`
PKG_LIBS = `pkg-config --libs $(PKGS)`

WARN = -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wmissing-prototypes \
	-Wstrict-prototypes -Wmissing-declarations -Wformat=2
HABAR_CPPFLAGS = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-DVERSION=\"$(VERSION)\"
OPT = -O2 -g
# Compilers make check runs side by side.
BUILD_JOBS = 2
SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all

HABAR_CFLAGS = -std=c11 $(WARN) $(HABAR_CPPFLAGS) $(PKG_CFLAGS) -Igateway
# liblinear (gateway/learn.c) has no .pc file
HABAR_LDLIBS = $(PKG_LIBS) -llinear -lpthread -lm
