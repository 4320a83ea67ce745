# qpan - see README.md.  Plain make; dependencies found with pkg-config.

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
CC      ?= cc
PKGS     = libutf8proc libpcre2-8 libcjson

OPT     ?= -O2 -g
SAN     ?=
WARN     = -Wall -Wextra -Werror
PKG_CONFIG ?= pkg-config

# Goals that compile nothing in this make (the ones that install the
# dependencies first, then compile in a make of their own).  Any other
# goal stops at once, in one line naming the Debian package, when
# pkg-config or one of the libraries is missing: not with a compiler or
# linker error.
NOCOMPILE_GOALS = clean deps deps-build deps-test uninstall samples test bench fuzz fuzz-build
deb_libutf8proc = libutf8proc-dev
deb_libpcre2-8  = libpcre2-dev
deb_libcjson    = libcjson-dev
ifneq ($(if $(MAKECMDGOALS),$(filter-out $(NOCOMPILE_GOALS),$(MAKECMDGOALS)),all),)
ifeq ($(if $(strip $(PKG_CONFIG)),$(shell command -v $(PKG_CONFIG) >/dev/null 2>&1 && echo y)),)
$(error no pkg-config ($(or $(strip $(PKG_CONFIG)),PKG_CONFIG is empty)): install pkg-config (apt-get install pkg-config))
endif
PKG_MISSING := $(firstword $(foreach p,$(PKGS),$(if $(shell $(PKG_CONFIG) --exists $(p) 2>/dev/null && echo y),,$(p))))
ifneq ($(PKG_MISSING),)
$(error pkg-config cannot find $(PKG_MISSING): install $(deb_$(PKG_MISSING)) (apt-get install $(deb_$(PKG_MISSING))))
endif
endif
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CPPFLAGS += -Iinclude -D_GNU_SOURCE
CFLAGS   += -std=c11 $(WARN) $(OPT) $(SAN) $(PKG_CFLAGS)
LDFLAGS  += $(SAN)
LDLIBS   += $(PKG_LIBS) -lpthread

DATA  := $(shell cd data && find rules lexicon -type f \( -name '*.rules' -o -name '*.txt' -o -name '*.tsv' \) | LC_ALL=C sort)
# The layers, lowest first (README, "Source tree"): each folder of src/
# may include the public headers in include/ of its own layer and the
# ones below it, and the internal headers beside its own sources.
LAYERS := lib text rules doc extract output app
SRCS  := $(filter-out src/app/main.c,$(foreach l,$(LAYERS),$(wildcard src/$(l)/*.c)))
OBJS  := $(SRCS:src/%.c=$(BUILD)/%.o) $(BUILD)/embedded.o
# Tests reach internal headers too (the prefilter, the command line).
TEST_CPPFLAGS = $(addprefix -Isrc/,$(LAYERS))

ASAN_BUILD = build/asan
ASAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

.PHONY: all deps deps-build deps-test samples test eval bench install uninstall clean fuzz fuzz-build completions

all: $(BUILD)/qpan

# What building needs (compiler, make, pkg-config, the libraries), and
# that plus the test tools; deps is deps-test.  Installed with apt-get
# as root, else the apt-get line is printed and make fails.
deps-build:
	@sh .ci/deps build
deps-test deps:
	@sh .ci/deps test

# The built-in rules are compiled when first used; compiling them all
# once here (--rules makes qpan do it at start) stops the build on a
# broken one, as qpan itself would with --rules.
$(BUILD)/qpan: $(BUILD)/app/main.o $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
	@"$(abspath $@)" --rules data - </dev/null >/dev/null || { rm -f $@; \
		echo "$@: the built-in rules in data/ do not compile" >&2; exit 1; }

# -MMD: every object depends on the headers it really includes.
$(BUILD)/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

$(BUILD)/embed: src/gen/embed.c | $(BUILD)
	$(CC) -std=c11 $(WARN) -O1 -o $@ $<

$(BUILD)/embedded.c: $(BUILD)/embed $(addprefix data/,$(DATA))
	$(BUILD)/embed $@ data $(DATA)

$(BUILD)/embedded.o: $(BUILD)/embedded.c src/rules/embedded.h
	$(CC) $(CPPFLAGS) -Isrc/rules $(CFLAGS) -c -o $@ $<

# The unit tests: every tests/unit/*.c (tests/unit/suites.h lists the
# suites), compiled one object each so that -MMD writes a .d for each.
UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_OBJS := $(UNIT_SRCS:tests/%.c=$(BUILD)/tests/%.o)
$(BUILD)/unit: $(UNIT_OBJS) $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $(UNIT_OBJS) $(OBJS) $(LDLIBS)
	@rm -f $(BUILD)/unit.d
$(BUILD)/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(TEST_CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<
# A build from before the split has a $(BUILD)/unit.d that names
# tests/unit.c; the link above removes it.
tests/unit.c: ;

$(BUILD):
	mkdir -p $@

# Build and run qpan on the bundled sample documents.
samples: deps-build
	@$(MAKE) -s all
	$(BUILD)/qpan data/samples

# Every test, in a normal and in a sanitized build; the last line is
# "N passed, N failed".
test: deps-test
	@$(MAKE) -s all $(BUILD)/unit $(BUILD)/failalloc.so
	@$(MAKE) -s BUILD=$(ASAN_BUILD) SAN="$(ASAN_FLAGS)" OPT="-O1 -g" $(ASAN_BUILD)/qpan $(ASAN_BUILD)/unit
	@rm -f $(FUZZ_BUILD)/qpan-fuzz; if command -v clang >/dev/null 2>&1; then $(MAKE) -s fuzz-build || true; fi
	@QPAN_FUZZ=$(FUZZ_BUILD)/qpan-fuzz sh tests/run.sh $(BUILD) $(ASAN_BUILD)

# The allocation-failure shim of tests/failalloc.sh (LD_PRELOAD; a test
# tool, never linked into qpan).
$(BUILD)/failalloc.so: tests/failalloc.c | $(BUILD)
	$(CC) -std=c11 $(WARN) -O2 -shared -fPIC -o $@ tests/failalloc.c

# libFuzzer over the whole pipeline (tests/fuzz.c), built with clang and
# ASan+UBSan in $(FUZZ_BUILD), seeded with the fixtures, the extraction
# cases and the samples; runs FUZZ_TIME seconds.  New inputs collect in
# $(FUZZ_BUILD)/corpus, crashes in $(FUZZ_BUILD)/crashes/: minimize one
# with "$(FUZZ_BUILD)/qpan-fuzz -minimize_crash=1 -runs=10000 CRASH" and
# keep it in tests/fuzz/regressions/, which make test replays.  The
# build checks the literal prefilter against a plain PCRE2 scan
# (QP_PF_VERIFY, src/rules/match.c): a disagreement is a crash too.
FUZZ_BUILD ?= build/fuzz
FUZZ_DEFS ?= -DQP_PF_VERIFY
FUZZ_TIME ?= 600
FUZZ_FLAGS ?= -max_len=32768 -timeout=60 -rss_limit_mb=4096 -dict=tests/fuzz/qpan.dict
fuzz-build:
	@$(MAKE) -s BUILD=$(FUZZ_BUILD) CC=clang WARN="-Wall -Wextra" OPT="-O1 -g $(FUZZ_DEFS)" \
		SAN="$(ASAN_FLAGS) -fsanitize=fuzzer-no-link" $(FUZZ_BUILD)/qpan-fuzz
$(BUILD)/qpan-fuzz: tests/fuzz.c $(OBJS)
	$(CC) $(CPPFLAGS) $(TEST_CPPFLAGS) $(CFLAGS) -MMD -MP -fsanitize=fuzzer -o $@ tests/fuzz.c $(OBJS) $(LDLIBS)
fuzz: fuzz-build
	@mkdir -p $(FUZZ_BUILD)/corpus $(FUZZ_BUILD)/crashes tests/fuzz/regressions
	$(FUZZ_BUILD)/qpan-fuzz $(FUZZ_FLAGS) -max_total_time=$(FUZZ_TIME) \
		-artifact_prefix=$(FUZZ_BUILD)/crashes/ -print_final_stats=1 \
		$(FUZZ_BUILD)/corpus tests/fuzz/seeds tests/fuzz/regressions \
		tests/fixtures tests/cases data/samples

# Score against the shared development corpus, when it is there.
SHARED ?= ../shared
eval: all
	@if [ -d $(SHARED)/corpus/dev ]; then \
		$(BUILD)/qpan $(SHARED)/corpus/dev > $(BUILD)/eval.ndjson; \
		python3 $(SHARED)/tools/score.py $(SHARED)/corpus/dev $(BUILD)/eval.ndjson --per-doc --spans; \
	else echo "make eval: $(SHARED)/corpus/dev not found, skipped"; fi

# Benchmark: an optimized build and a corpus generated from data/samples.
BENCH_BUILD = build/bench
BENCH_DOCS ?= 20000
bench: deps-build
	@$(MAKE) -s BUILD=$(BENCH_BUILD) OPT="-O2 -flto" LDFLAGS="-flto -O2" $(BENCH_BUILD)/qpan
	$(CC) -std=c11 $(WARN) -O2 -o $(BENCH_BUILD)/benchgen src/gen/benchgen.c
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -O2 -o $(BENCH_BUILD)/runstat src/gen/runstat.c
	@if [ ! -f $(BENCH_BUILD)/corpus/100mb.txt ]; then \
		echo "generating $(BENCH_DOCS) documents from data/samples ..."; \
		$(BENCH_BUILD)/benchgen $(BENCH_BUILD)/corpus $(BENCH_DOCS) data/samples/*.txt; fi
	@sh tests/bench.sh $(BENCH_BUILD)/qpan $(BENCH_BUILD)/corpus $(BENCH_BUILD)/runstat

# Shell completions, printed by qpan from its option list (optlist.h).
COMPLETIONS = $(BUILD)/completions/qpan.bash $(BUILD)/completions/_qpan $(BUILD)/completions/qpan.fish
completions: $(COMPLETIONS)
$(BUILD)/completions/qpan.bash: $(BUILD)/qpan
	@mkdir -p $(dir $@)
	$(BUILD)/qpan --generate complete-bash > $@
$(BUILD)/completions/_qpan: $(BUILD)/qpan
	@mkdir -p $(dir $@)
	$(BUILD)/qpan --generate complete-zsh > $@
$(BUILD)/completions/qpan.fish: $(BUILD)/qpan
	@mkdir -p $(dir $@)
	$(BUILD)/qpan --generate complete-fish > $@

install: all $(COMPLETIONS)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/qpan
	install -m 755 $(BUILD)/qpan $(DESTDIR)$(PREFIX)/bin/qpan
	install -D -m 644 $(BUILD)/completions/qpan.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/qpan
	install -D -m 644 $(BUILD)/completions/_qpan $(DESTDIR)$(PREFIX)/share/zsh/vendor-completions/_qpan
	install -D -m 644 $(BUILD)/completions/qpan.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/qpan.fish
	install -m 644 man/qpan.1 $(DESTDIR)$(PREFIX)/share/man/man1/qpan.1
	install -m 644 data/schema.json $(DESTDIR)$(PREFIX)/share/qpan/schema.json
	cd data && for f in $(DATA); do install -D -m 644 $$f $(DESTDIR)$(PREFIX)/share/qpan/$$f; done

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/qpan $(DESTDIR)$(PREFIX)/share/man/man1/qpan.1
	rm -f $(DESTDIR)$(PREFIX)/share/bash-completion/completions/qpan \
		$(DESTDIR)$(PREFIX)/share/zsh/vendor-completions/_qpan \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/qpan.fish
	rm -rf $(DESTDIR)$(PREFIX)/share/qpan

clean:
	rm -rf build
