# habar - SMS/USSD information and scam-warning gateway

include config.mk

# Build directory and binaries; "make O=build/asan SAN=1" is the
# sanitizer build that "make check" runs too.
O = build
BINDIR = bin
SAN =
MODE_FLAGS = $(OPT)

MODULES = log conf text utf8 charset editfile content route reply store pseudo phone modem \
	guard session answer serve http unmatched suppress balance health lists \
	learn langid multipart simphone
OBJS = $(MODULES:%=$(O)/gateway/%.o)
LIB = $(O)/libhabar.a
UNIT_SRCS = $(wildcard tests/unit/t_*.c)
UNITS = $(UNIT_SRCS:tests/unit/%.c=$(O)/tests/%)

ALL_CFLAGS = $(HABAR_CFLAGS) $(MODE_FLAGS) $(CPPFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(MODE_FLAGS) $(LDFLAGS)

all: deps programs

# The two programs alone, without the deps step (the Debian package
# build has its Build-Depends and must not install anything).
programs: $(BINDIR)/habard $(BINDIR)/habar

# The packages to build and run (make, make demo), to test (make check)
# and to measure (make bench): tools/deps.sh.
deps:
	@sh tools/deps.sh run

deps-test:
	@sh tools/deps.sh test

deps-bench:
	@sh tools/deps.sh bench

$(O)/gateway/%.o: gateway/%.c gateway/*.h config.mk
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(O)/tools/%.o: tools/%.c gateway/*.h $(wildcard tools/*.h) config.mk
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(OBJS)
	rm -f $@
	ar rcs $@ $(OBJS)

$(BINDIR)/habard: $(O)/gateway/habard.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $(O)/gateway/habard.o $(LIB) $(HABAR_LDLIBS)

# The habar command: tools/habar.c and its helpers (every tools/*.c but
# the test phone).
TOOL_SRCS = $(filter-out tools/simphone.c, $(wildcard tools/*.c))
TOOL_OBJS = $(TOOL_SRCS:tools/%.c=$(O)/tools/%.o)

$(BINDIR)/habar: $(TOOL_OBJS) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $(TOOL_OBJS) $(LIB) $(HABAR_LDLIBS)

$(BINDIR)/simphone: $(O)/tools/simphone.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $(O)/tools/simphone.o $(LIB) $(HABAR_LDLIBS)

$(O)/tests/t_%: tests/unit/t_%.c $(LIB) gateway/*.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB) \
	    `pkg-config --cflags --libs cmocka` $(HABAR_LDLIBS)

# Everything the suites need, in one build directory.
build-tests: $(BINDIR)/habard $(BINDIR)/habar $(BINDIR)/simphone $(UNITS)

# Unit and end-to-end suites, plain and under ASan+UBSan; the last line
# is "N passed, N failed".
check: deps-test
	@$(MAKE) --no-print-directory -j$(BUILD_JOBS) build-tests
	@$(MAKE) --no-print-directory -j$(BUILD_JOBS) O=build/asan \
	    BINDIR=build/asan/bin MODE_FLAGS="$(SAN_FLAGS)" build-tests
	@$(MAKE) --no-print-directory -j$(BUILD_JOBS) fuzz-build
	@sh tests/run.sh build:bin build/asan:build/asan/bin

demo: all
	@sh tools/demo.sh

# Benchmark drivers (tests/bench/*.c), never part of habar or the tests.
BENCH_BINS = $(O)/bench/pipeline

$(O)/bench/%: tests/bench/%.c $(LIB) gateway/*.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB) $(HABAR_LDLIBS)

bench: deps-bench build-tests $(BENCH_BINS)
	@sh tests/bench.sh
	@$(MAKE) --no-print-directory fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh

# libFuzzer targets (clang; libclang-rt-dev): each runs FUZZ_SECONDS on
# a copy of its seeds in tests/fuzz/corpus/<target>/, two at a time.
# make check runs them 10 s each (tests/e2e/t_fuzz.sh), make bench
# FUZZ_SECONDS each.
FUZZ_SECONDS = 60
FUZZ_TARGETS = text content conf http multipart lists
FUZZ_FLAGS = -O1 -g -fsanitize=fuzzer-no-link,address,undefined \
	-fno-omit-frame-pointer -fno-sanitize-recover=all -Wno-error

fuzz: deps-test fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh

fuzz-build:
	@if echo 'int LLVMFuzzerTestOneInput(const char *d, long n)' \
	    '{ return 0; }' | clang -x c -fsanitize=fuzzer -o /dev/null - \
	    2>/dev/null; then \
	    $(MAKE) --no-print-directory O=build/fuzz CC=clang \
	    MODE_FLAGS="$(FUZZ_FLAGS)" fuzz-bins; \
	else echo "fuzz: no clang with libFuzzer, targets not built"; fi

fuzz-bins: $(FUZZ_TARGETS:%=$(O)/fuzz_%)

$(O)/fuzz_%: tests/fuzz/fuzz_%.c $(LIB) gateway/*.h tests/fuzz/*.h
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< \
	    $(LIB) $(HABAR_LDLIBS)

lint:
	@! grep -nE '\b(sprintf|vsprintf|strcpy|strcat|strncpy|atoi|gets|strtok)\(' \
	    gateway/*.c tools/*.c || { echo "lint: banned function"; exit 1; }

# Installed layout; DESTDIR stages it, PREFIX and SYSCONFDIR place it.
SBINDIR_I = $(PREFIX)/sbin
BINDIR_I = $(PREFIX)/bin
SHAREDIR = $(PREFIX)/share/habar
UNITDIR = $(PREFIX)/lib/systemd/system
MANPAGES = man/habar.1 man/habar.conf.5 man/habard.8
# Paths the shipped files name, rewritten for this PREFIX/SYSCONFDIR.
INSTALL_SED = sed -e 's|/usr/local/share/habar|$(SHAREDIR)|g' \
	-e 's|/usr/local/sbin|$(SBINDIR_I)|g' \
	-e 's|/etc/habar|$(SYSCONFDIR)/habar|g' \
	-e 's|@SBINDIR@|$(SBINDIR_I)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g'

install: all
	@$(MAKE) --no-print-directory install-files
	@$(MAKE) --no-print-directory install-user

# The system user habard runs as (the units' User=, the configuration's
# user), in the modem's group, with the configuration readable by its
# group.  Not into a DESTDIR: a package makes the user in its own
# scripts.
install-user:
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ]; then \
	    getent passwd habar >/dev/null || useradd --system \
	        --user-group --home-dir /var/lib/habar --no-create-home \
	        --shell /usr/sbin/nologin habar; \
	    if getent group dialout >/dev/null; then \
	        usermod -a -G dialout habar; fi; \
	    chgrp habar $(SYSCONFDIR)/habar $(SYSCONFDIR)/habar/habar.conf \
	        $(SYSCONFDIR)/habar/gammurc; \
	    chmod 750 $(SYSCONFDIR)/habar; \
	fi

# Copy what "all" built in $(BINDIR); the configuration and gammurc in
# $(SYSCONFDIR)/habar are never overwritten (the new sample goes to
# $(SHAREDIR)/habar.conf.sample).  The shipped content in
# $(SHAREDIR)/content is replaced: edited content belongs elsewhere
# (README, "Operating habar").  Installs whichever systemd units exist.
install-files:
	mkdir -p $(DESTDIR)$(BINDIR_I) $(DESTDIR)$(SBINDIR_I) \
	    $(DESTDIR)$(SYSCONFDIR)/habar $(DESTDIR)$(SHAREDIR) \
	    $(DESTDIR)$(MANPREFIX)/man1 $(DESTDIR)$(MANPREFIX)/man5 \
	    $(DESTDIR)$(MANPREFIX)/man8 $(DESTDIR)$(UNITDIR)
	cp -f $(BINDIR)/habar $(DESTDIR)$(BINDIR_I)/habar
	cp -f $(BINDIR)/habard $(DESTDIR)$(SBINDIR_I)/habard
	chmod 755 $(DESTDIR)$(BINDIR_I)/habar $(DESTDIR)$(SBINDIR_I)/habard
	$(INSTALL_SED) conf/habar.conf >$(DESTDIR)$(SHAREDIR)/habar.conf.sample
	cp -f conf/gammurc $(DESTDIR)$(SHAREDIR)/gammurc.sample
	cp -f conf/99-habar-modemmanager.rules $(DESTDIR)$(SHAREDIR)/
	test -e $(DESTDIR)$(SYSCONFDIR)/habar/habar.conf || \
	    (umask 027 && cp $(DESTDIR)$(SHAREDIR)/habar.conf.sample \
	    $(DESTDIR)$(SYSCONFDIR)/habar/habar.conf)
	test -e $(DESTDIR)$(SYSCONFDIR)/habar/gammurc || \
	    (umask 027 && cp conf/gammurc $(DESTDIR)$(SYSCONFDIR)/habar/gammurc)
	rm -rf $(DESTDIR)$(SHAREDIR)/content
	cp -R content $(DESTDIR)$(SHAREDIR)/content
	cp -f README.md $(DESTDIR)$(SHAREDIR)/README.md
	cp -f man/habar.1 $(DESTDIR)$(MANPREFIX)/man1/habar.1
	cp -f man/habar.conf.5 $(DESTDIR)$(MANPREFIX)/man5/habar.conf.5
	cp -f man/habard.8 $(DESTDIR)$(MANPREFIX)/man8/habard.8
	for u in conf/*.service; do \
	    [ -f "$$u" ] || continue; \
	    $(INSTALL_SED) "$$u" >$(DESTDIR)$(UNITDIR)/$${u##*/}; \
	done

# The Debian package (debian/): dpkg-buildpackage in a copy, under
# DEBTMP, of the files git tracks and the new ones it does not ignore,
# so the build never touches this tree (its clean step would remove
# build/ and bin/); the .deb goes to DIST, the source package and the
# .changes (for lintian) stay in DEBTMP.
DEBTMP = build/deb
DEB_JOBS = auto
DIST = dist
DEBSRC = $(DEBTMP)/habar-$(VERSION)

deb:
	@v=`dpkg-parsechangelog -S Version`; [ "$$v" = "$(VERSION)" ] || { \
	    echo "deb: debian/changelog is at $$v, config.mk at $(VERSION):" \
	    "add a changelog entry for $(VERSION)" >&2; exit 1; }
	@git rev-parse --git-dir >/dev/null 2>&1 || { \
	    echo "deb: packages the files git tracks: run it in a checkout" \
	    >&2; exit 1; }
	rm -rf $(DEBTMP)
	mkdir -p $(DEBSRC) $(DIST)
	git ls-files -z --cached --others --exclude-standard | \
	    tar --null --ignore-failed-read -T - -cf - | tar -xf - -C $(DEBSRC)
	cd $(DEBSRC) && dpkg-buildpackage -us -uc -J$(DEB_JOBS)
	cp -f $(DEBTMP)/habar_$(VERSION)_*.deb $(DIST)/
	@ls $(DIST)/habar_$(VERSION)_*.deb

# Keeps the configuration, the database and the keys.
uninstall:
	rm -f $(DESTDIR)$(BINDIR_I)/habar $(DESTDIR)$(SBINDIR_I)/habard
	rm -f $(DESTDIR)$(MANPREFIX)/man1/habar.1 \
	    $(DESTDIR)$(MANPREFIX)/man5/habar.conf.5 \
	    $(DESTDIR)$(MANPREFIX)/man8/habard.8
	rm -f $(DESTDIR)$(UNITDIR)/habard.service \
	    $(DESTDIR)$(UNITDIR)/habard@.service
	rm -rf $(DESTDIR)$(SHAREDIR)

clean:
	rm -rf build bin dist

.PHONY: all deps deps-test deps-bench check build-tests demo bench fuzz fuzz-build fuzz-bins lint \
	install install-files install-user uninstall clean programs deb
