# habar - SMS/USSD information and scam-warning gateway

include config.mk

# Build directory and binaries; "make O=build/asan SAN=1" is the
# sanitizer build that "make check" runs too.
O = build
BINDIR = bin
SAN =
MODE_FLAGS = $(OPT)

MODULES = log conf text content route reply store pseudo phone modem \
	session answer http
OBJS = $(MODULES:%=$(O)/gateway/%.o)
LIB = $(O)/libhabar.a
UNIT_SRCS = $(wildcard tests/unit/t_*.c)
UNITS = $(UNIT_SRCS:tests/unit/%.c=$(O)/tests/%)

ALL_CFLAGS = $(HABAR_CFLAGS) $(MODE_FLAGS) $(CPPFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(MODE_FLAGS) $(LDFLAGS)

all: deps $(BINDIR)/habard $(BINDIR)/habar

deps:
	@sh tools/deps.sh

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
check: deps
	@$(MAKE) --no-print-directory build-tests
	@$(MAKE) --no-print-directory O=build/asan BINDIR=build/asan/bin \
	    MODE_FLAGS="$(SAN_FLAGS)" build-tests
	@sh tests/run.sh build:bin build/asan:build/asan/bin

demo: all
	@sh tools/demo.sh

bench: deps build-tests
	@sh tests/bench.sh

fuzz:
	@echo "fuzz: no fuzz targets yet (see issue 8)"

lint:
	@! grep -nE '\b(sprintf|vsprintf|strcpy|strcat|strncpy|atoi|gets|strtok)\(' \
	    gateway/*.c tools/*.c || { echo "lint: banned function"; exit 1; }

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/sbin
	cp -f $(BINDIR)/habar $(DESTDIR)$(PREFIX)/bin/habar
	cp -f $(BINDIR)/habard $(DESTDIR)$(PREFIX)/sbin/habard
	mkdir -p $(DESTDIR)$(SYSCONFDIR)/habar $(DESTDIR)$(PREFIX)/share/habar
	test -e $(DESTDIR)$(SYSCONFDIR)/habar/habar.conf || \
	    cp conf/habar.conf $(DESTDIR)$(SYSCONFDIR)/habar/habar.conf
	cp -R content $(DESTDIR)$(PREFIX)/share/habar/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/habar $(DESTDIR)$(PREFIX)/sbin/habard
	rm -rf $(DESTDIR)$(PREFIX)/share/habar

clean:
	rm -rf build bin

.PHONY: all deps check build-tests demo bench fuzz lint install uninstall clean
