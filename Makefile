# iislens - top-level build. Targets:
#   make              build/iislens and build/libiislens.a
#   make test         every test (unit, golden, fuzz regressions, Windows .exe under wine)
#   make SAN=1 ...    the same with AddressSanitizer + UndefinedBehaviorSanitizer (in build/san)
#   make WERROR=1     warnings are errors (CI)
#   make demo         the main job on the bundled sample
#   make windows      build/iislens.exe (mingw-w64)
#   make fuzz         libFuzzer targets (clang), run for FUZZ_SECONDS each
#   make bench        benchmarks in bench/
#   make install PREFIX=/usr/local
#   make golden-update  rewrite golden expectations from the current binary (review the diff!)

CC      ?= cc
HOSTCC  ?= $(CC)
WINCC   ?= x86_64-w64-mingw32-gcc
CLANG   ?= clang
PREFIX  ?= /usr/local
FUZZ_SECONDS ?= 60

WARN = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
       -Wold-style-definition -Wpointer-arith -Wwrite-strings -Wundef -Wvla \
       -Wformat=2 -Wcast-align -Wnull-dereference -Wdouble-promotion
ifeq ($(WERROR),1)
WARN += -Werror
endif

OPT    ?= -O2
CFLAGS ?= $(OPT) -g
ALL_CFLAGS = -std=c11 $(WARN) $(CFLAGS) -Iinclude -Isrc/lib -I$(BUILD)/gen -DIL_HAVE_ZLIB -DIL_HAVE_ZSTD
LDLIBS = -lz -lzstd -lpthread -lm

# `iislens sql` links the system SQLite (Debian: libsqlite3-dev); SQLITE=0
# builds without it (the Windows .exe always does).
SQLITE ?= 1
ifeq ($(SQLITE),1)
ALL_CFLAGS += -DIL_HAVE_SQLITE
LDLIBS += -lsqlite3
endif

BUILD = build
ifeq ($(SAN),1)
BUILD = build/san
ALL_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

LIB_SRC = src/lib/buf.c src/lib/code.c src/lib/kb.c src/lib/explain.c \
          src/lib/explain_render.c src/lib/platform.c src/lib/source.c \
          src/lib/logfmt.c src/lib/strtab.c src/lib/pairtab.c src/lib/agg.c src/lib/engine.c \
          src/lib/report.c src/lib/report_html.c src/lib/reader.c src/lib/sql.c
CLI_SRC = src/cli/main.c src/cli/cmd_explain.c src/cli/cmd_report.c src/cli/cmd_sql.c
KB_TSV  = data/kb/http_1xx_4xx.tsv data/kb/http_5xx.tsv data/kb/win32.tsv \
          data/kb/ftp.tsv data/kb/ftp_substatus.tsv data/kb/httperr.tsv \
          data/kb/combos.tsv data/kb/sources.tsv
KB_ARGS = http:data/kb/http_1xx_4xx.tsv http:data/kb/http_5xx.tsv \
          win32:data/kb/win32.tsv ftp:data/kb/ftp.tsv ftp_sub:data/kb/ftp_substatus.tsv \
          httperr:data/kb/httperr.tsv combo:data/kb/combos.tsv source:data/kb/sources.tsv
FUZZ_TARGETS = explain logline engine report filter
ifeq ($(SQLITE),1)
FUZZ_TARGETS += sql
endif
UNIT    = test_buf test_logfmt test_logfmt_portable test_code test_kb test_explain test_source test_real test_agg test_reader

LIB_OBJ = $(LIB_SRC:src/lib/%.c=$(BUILD)/obj/lib/%.o) $(BUILD)/obj/lib/kb_data.o \
          $(BUILD)/obj/gen/report_html.o
CLI_OBJ = $(CLI_SRC:src/cli/%.c=$(BUILD)/obj/cli/%.o)
HDRS    = include/iislens.h src/lib/internal.h src/lib/platform.h src/lib/source.h src/cli/cli.h \
          src/lib/logfmt.h src/lib/strtab.h src/lib/pairtab.h src/lib/agg.h src/lib/engine.h src/lib/report.h \
          src/lib/reader.h src/lib/sql.h

.PHONY: all test demo windows fuzz bench install clean golden-update unit-tests
all: $(BUILD)/iislens $(BUILD)/libiislens.a

build/tools/gen_kb: tools/gen_kb.c
	@mkdir -p $(@D)
	$(HOSTCC) -std=c11 -O1 -Wall -Wextra -o $@ $<

$(BUILD)/gen/kb_data.c: build/tools/gen_kb $(KB_TSV)
	@mkdir -p $(@D)
	build/tools/gen_kb $@ $(KB_ARGS)

$(BUILD)/obj/lib/kb_data.o: $(BUILD)/gen/kb_data.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

build/tools/gen_html: tools/gen_html.c
	@mkdir -p $(@D)
	$(HOSTCC) -std=c11 -O1 -Wall -Wextra -o $@ $<

$(BUILD)/gen/report_html.c: build/tools/gen_html data/html/report.html
	@mkdir -p $(@D)
	build/tools/gen_html $@ data/html/report.html

$(BUILD)/obj/gen/report_html.o: $(BUILD)/gen/report_html.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/obj/lib/%.o: src/lib/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/obj/cli/%.o: src/cli/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libiislens.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/iislens: $(CLI_OBJ) $(BUILD)/libiislens.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libiislens.a $(LDLIBS)

# ---- tests -------------------------------------------------------------------
$(BUILD)/tests/%: tests/unit/%.c tests/unit/tap.h $(BUILD)/libiislens.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libiislens.a $(LDLIBS)

# the line splitter and scanner as a machine without SSE2 or AVX runs them
# (ARM, other CPUs): the portable 64-bit-word code, checked on this one
$(BUILD)/tests/test_logfmt_portable: tests/unit/test_logfmt.c src/lib/logfmt.c tests/unit/tap.h $(BUILD)/libiislens.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -U__SSE2__ -DIL_NO_AVX2 $(LDFLAGS) -o $@ tests/unit/test_logfmt.c src/lib/logfmt.c $(BUILD)/libiislens.a $(LDLIBS)

$(BUILD)/tests/test_sql: tests/sql/test_sql.c tests/unit/tap.h $(BUILD)/libiislens.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(BUILD)/libiislens.a $(LDLIBS)

$(BUILD)/tests/fuzz_replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(BUILD)/libiislens.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< tests/fuzz/replay.c $(BUILD)/libiislens.a $(LDLIBS)

unit-tests: $(UNIT:%=$(BUILD)/tests/%) $(FUZZ_TARGETS:%=$(BUILD)/tests/fuzz_replay_%)
ifeq ($(SQLITE),1)
unit-tests: $(BUILD)/tests/test_sql
endif

test: all unit-tests
	@if command -v $(WINCC) >/dev/null 2>&1; then $(MAKE) --no-print-directory windows >/dev/null; fi
	@sh tests/run.sh $(BUILD)

golden-update: all
	@sh tests/golden_update.sh $(BUILD)

demo: all
	@sh tools/demo.sh $(BUILD)/iislens

# ---- Windows -----------------------------------------------------------------
WIN_OBJ = $(LIB_SRC:src/lib/%.c=build/win/obj/%.o) build/win/obj/kb_data.o build/win/obj/gen_report_html.o \
          $(CLI_SRC:src/cli/%.c=build/win/obj/cli_%.o)
windows: build/iislens.exe

build/win/gen/kb_data.c: build/tools/gen_kb $(KB_TSV)
	@mkdir -p $(@D)
	build/tools/gen_kb $@ $(KB_ARGS)
build/win/obj/kb_data.o: build/win/gen/kb_data.c $(HDRS)
	@mkdir -p $(@D)
	$(WINCC) -std=c11 $(WARN) -O2 -D__USE_MINGW_ANSI_STDIO=1 -DIL_HAVE_ZLIB -Iinclude -Isrc/lib -c -o $@ $<
build/win/gen/report_html.c: build/tools/gen_html data/html/report.html
	@mkdir -p $(@D)
	build/tools/gen_html $@ data/html/report.html
build/win/obj/gen_report_html.o: build/win/gen/report_html.c
	@mkdir -p $(@D)
	$(WINCC) -std=c11 $(WARN) -O2 -c -o $@ $<
build/win/obj/%.o: src/lib/%.c $(HDRS)
	@mkdir -p $(@D)
	$(WINCC) -std=c11 $(WARN) -O2 -D__USE_MINGW_ANSI_STDIO=1 -DIL_HAVE_ZLIB -Iinclude -Isrc/lib -c -o $@ $<
build/win/obj/cli_%.o: src/cli/%.c $(HDRS)
	@mkdir -p $(@D)
	$(WINCC) -std=c11 $(WARN) -O2 -D__USE_MINGW_ANSI_STDIO=1 -DIL_HAVE_ZLIB -Iinclude -Isrc/lib -c -o $@ $<
build/iislens.exe: $(WIN_OBJ)
	$(WINCC) -static -o $@ $(WIN_OBJ) -lz

# ---- fuzzing -------------------------------------------------------------------
fuzz: $(BUILD)/gen/kb_data.c $(BUILD)/gen/report_html.c
	@mkdir -p build/fuzz
	@for t in $(FUZZ_TARGETS); do \
	  $(CLANG) -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -Iinclude -Isrc/lib -DIL_HAVE_ZLIB -DIL_HAVE_ZSTD \
	    $(if $(filter 1,$(SQLITE)),-DIL_HAVE_SQLITE) \
	    -o build/fuzz/fuzz_$$t tests/fuzz/fuzz_$$t.c $(LIB_SRC) $(BUILD)/gen/kb_data.c $(BUILD)/gen/report_html.c -lz -lzstd -lpthread \
	    $(if $(filter 1,$(SQLITE)),-lsqlite3) -lm || exit 1; \
	  mkdir -p build/fuzz/corpus_$$t; \
	  build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
	    -artifact_prefix=build/fuzz/crash_$$t- \
	    build/fuzz/corpus_$$t tests/fuzz/corpus/$$t || exit 1; \
	done

# ---- bench, install, clean --------------------------------------------------------
bench: $(BUILD)/iislens
	@sh bench/run.sh $(BUILD)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include
	install -m 755 $(BUILD)/iislens $(DESTDIR)$(PREFIX)/bin/iislens
	install -m 644 $(BUILD)/libiislens.a $(DESTDIR)$(PREFIX)/lib/libiislens.a
	install -m 644 include/iislens.h $(DESTDIR)$(PREFIX)/include/iislens.h

clean:
	rm -rf build
