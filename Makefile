# enrich - article enrichment: libenrich, the enrich CLI and the enrichd server.
#
#   make            build/libenrich.a, build/libenrich.so, build/enrich, build/enrichd
#   make run        install what is missing, build, serve on :8080
#   make test       install what is missing, build with ASan+UBSan, run every test
#   make eval       accuracy figures on ../shared/eval (skips when absent)
#   make bench      speed figures
#   make clusters   relearn data/clusters.tsv (word classes) from the unlabelled text in ../shared/eval
#   make model      retrain data/ner.model from ../shared/eval/conll2003/train.txt
#   make fuzz       libFuzzer on the library entry point (FUZZ_SECONDS=60; needs clang)
#   make install    PREFIX=/usr/local DESTDIR= (headers, libraries, binaries, pkg-config)
#   make clean

CC       ?= cc
PREFIX   ?= /usr/local
DESTDIR  ?=
BUILD    := build
EVAL_DIR ?= ../shared/eval
PYTHON   ?= /usr/bin/python3

PKG_CFLAGS := $(shell pkg-config --cflags jansson libmicrohttpd libutf8proc 2>/dev/null)
JANSSON_LIBS := $(shell pkg-config --libs jansson 2>/dev/null || echo -ljansson)
MHD_LIBS     := $(shell pkg-config --libs libmicrohttpd 2>/dev/null || echo -lmicrohttpd)
CURL_LIBS    := $(shell pkg-config --libs libcurl 2>/dev/null || echo -lcurl)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)
UTF8PROC_LIBS := $(shell pkg-config --libs libutf8proc 2>/dev/null || echo -lutf8proc)
LIB_DEPS     := $(JANSSON_LIBS) $(UTF8PROC_LIBS) -lm

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L
CFLAGS  ?= -O3 -g
ALL_CFLAGS := $(CSTD) $(WARN) $(CFLAGS) -Iinclude -Ilib -I$(BUILD)/gen $(PKG_CFLAGS)
SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
SAN_CFLAGS := $(CSTD) $(WARN) -O1 -g $(SAN) -Iinclude -Ilib -I$(BUILD)/gen $(PKG_CFLAGS)

LIB_SRC  := $(wildcard lib/*.c)
RULES    := $(wildcard data/rules/*.txt)
LIB_HDR  := $(wildcard lib/*.h) include/enrich.h $(BUILD)/gen/rules.h
DATA     := data/places.tsv data/ner.model data/layout.model data/cities.tsv data/first_names.txt data/female_names.txt data/male_names.txt $(wildcard data/curated/*)
SRV_SRC  := $(wildcard server/*.c)
SRV_HDR  := $(wildcard server/*.h)
UNIT_SRC := $(wildcard tests/unit/*.c)
INT_SRC  := $(wildcard tests/integration/*.c)

LIB_OBJ  := $(LIB_SRC:lib/%.c=$(BUILD)/obj/lib/%.o) $(BUILD)/obj/lib/resources.o $(BUILD)/obj/gen/rules.o
SAN_LIB_OBJ := $(LIB_SRC:lib/%.c=$(BUILD)/asan/lib/%.o) $(BUILD)/asan/lib/resources.o $(BUILD)/asan/gen/rules.o
SRV_OBJ  := $(SRV_SRC:server/%.c=$(BUILD)/obj/server/%.o) $(BUILD)/obj/server/openapi.o
SAN_SRV_OBJ := $(SRV_SRC:server/%.c=$(BUILD)/asan/server/%.o) $(BUILD)/asan/server/openapi.o

SONAME := libenrich.so.0

.PHONY: soak valgrind image-test browser-test test-docs layout-labels layout-cv layout-model clusters
.PHONY: all run test test-unit test-golden test-integration test-openapi test-exports test-fuzz-corpus fuzz model \
        eval bench install uninstall clean setup sanitized
.DELETE_ON_ERROR:

all: $(BUILD)/libenrich.a $(BUILD)/libenrich.so $(BUILD)/enrich $(BUILD)/enrichd

# ---- the stages' word lists: data/rules/*.txt compiled to constant arrays ---

# the US states' abbreviations come from the table the datelines read
$(BUILD)/gen/regions.txt: data/curated/region_abbreviations.tsv data/gen/regions.awk
	@mkdir -p $(@D)
	awk -f data/gen/regions.awk $< > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/rules.h: $(RULES) $(BUILD)/gen/regions.txt data/gen/rules.awk
	@mkdir -p $(@D)
	awk -v out=h -f data/gen/rules.awk $(RULES) $(BUILD)/gen/regions.txt > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/rules.c: $(RULES) $(BUILD)/gen/regions.txt data/gen/rules.awk $(BUILD)/gen/rules.h
	@mkdir -p $(@D)
	awk -v out=c -f data/gen/rules.awk $(RULES) $(BUILD)/gen/regions.txt > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/rules.o: $(BUILD)/gen/rules.c $(BUILD)/gen/rules.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fPIC -fvisibility=hidden -c $< -o $@

$(BUILD)/asan/gen/rules.o: $(BUILD)/gen/rules.c $(BUILD)/gen/rules.h
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -c $< -o $@

# ---- release build ---------------------------------------------------------

$(BUILD)/obj/lib/%.o: lib/%.c $(LIB_HDR)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fPIC -fvisibility=hidden -c $< -o $@

$(BUILD)/obj/lib/resources.o: lib/resources.S $(DATA)
	@mkdir -p $(@D)
	$(CC) -c $< -o $@

# One object, prelinked, with every symbol but the API's made local: the
# static library, like the shared one, offers only enrich_ names, and its
# internals cannot clash with a program's own.
$(BUILD)/libenrich.a: $(LIB_OBJ)
	rm -f $@
	$(LD) -r -o $(BUILD)/obj/libenrich.o $^
	objcopy --localize-hidden $(BUILD)/obj/libenrich.o
	ar rcs $@ $(BUILD)/obj/libenrich.o

$(BUILD)/libenrich.so: $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,$(SONAME) -o $(BUILD)/$(SONAME) $^ $(LIB_DEPS)
	ln -sf $(SONAME) $@

CLI_SRC := cli/enrich.c cli/client.c cli/train_layout.c cli/train_clusters.c cli/jsonl_threads.c

$(BUILD)/enrich: $(CLI_SRC) cli/cli.h $(BUILD)/libenrich.a include/enrich.h
	$(CC) $(ALL_CFLAGS) -Icli $(CLI_SRC) $(BUILD)/libenrich.a $(LIB_DEPS) $(CURL_LIBS) -lpthread -o $@

$(BUILD)/obj/server/%.o: server/%.c $(SRV_HDR) include/enrich.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Iserver -c $< -o $@

$(BUILD)/obj/server/openapi.o: server/openapi.S openapi.yaml server/page.html
	@mkdir -p $(@D)
	$(CC) -c $< -o $@

$(BUILD)/enrichd: $(SRV_OBJ) $(BUILD)/libenrich.a
	$(CC) $(ALL_CFLAGS) $^ $(MHD_LIBS) $(LIB_DEPS) -lpthread -o $@

# ---- sanitized build (tests) -----------------------------------------------

$(BUILD)/asan/lib/%.o: lib/%.c $(LIB_HDR)
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -c $< -o $@

$(BUILD)/asan/lib/resources.o: lib/resources.S $(DATA)
	@mkdir -p $(@D)
	$(CC) -c $< -o $@

$(BUILD)/asan/libenrich.a: $(SAN_LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/asan/enrich: $(CLI_SRC) cli/cli.h $(BUILD)/asan/libenrich.a include/enrich.h
	$(CC) $(SAN_CFLAGS) -Icli $(CLI_SRC) $(BUILD)/asan/libenrich.a $(LIB_DEPS) $(CURL_LIBS) -o $@

$(BUILD)/asan/server/%.o: server/%.c $(SRV_HDR) include/enrich.h
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -Iserver -c $< -o $@

$(BUILD)/asan/server/openapi.o: server/openapi.S openapi.yaml server/page.html
	@mkdir -p $(@D)
	$(CC) -c $< -o $@

$(BUILD)/asan/enrichd: $(SAN_SRV_OBJ) $(BUILD)/asan/libenrich.a
	$(CC) $(SAN_CFLAGS) $^ $(MHD_LIBS) $(LIB_DEPS) -lpthread -o $@

$(BUILD)/asan/unit_tests: $(UNIT_SRC) tests/unit/unit.h $(BUILD)/asan/libenrich.a $(LIB_HDR)
	$(CC) $(SAN_CFLAGS) -Itests/unit $(UNIT_SRC) $(BUILD)/asan/libenrich.a $(CHECK_LIBS) $(LIB_DEPS) -o $@

$(BUILD)/asan/integration_tests: $(INT_SRC) include/enrich.h
	$(CC) $(SAN_CFLAGS) $(INT_SRC) $(CHECK_LIBS) $(CURL_LIBS) $(LIB_DEPS) -o $@

$(BUILD)/asan/fuzz_replay: tests/fuzz/fuzz_annotate.c tests/fuzz/fuzz_replay.c $(BUILD)/asan/libenrich.a
	$(CC) $(SAN_CFLAGS) $^ $(LIB_DEPS) -o $@

# the request-handling target: enrichd's handler without its main()
SAN_HANDLER_OBJ := $(filter-out $(BUILD)/asan/server/enrichd.o,$(SAN_SRV_OBJ))
$(BUILD)/asan/fuzz_http_replay: tests/fuzz/fuzz_http.c tests/fuzz/fuzz_replay.c $(SAN_HANDLER_OBJ) $(BUILD)/asan/libenrich.a
	$(CC) $(SAN_CFLAGS) -Iserver $^ $(MHD_LIBS) $(LIB_DEPS) -lpthread -o $@

sanitized: $(BUILD)/asan/enrich $(BUILD)/asan/enrichd $(BUILD)/asan/unit_tests $(BUILD)/asan/integration_tests \
           $(BUILD)/asan/fuzz_replay $(BUILD)/asan/fuzz_http_replay

# ---- fuzzing (libFuzzer; clang) ---------------------------------------------

FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_CFLAGS := $(CSTD) -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -Iinclude -Ilib -I$(BUILD)/gen $(PKG_CFLAGS)

$(BUILD)/fuzz/fuzz_annotate: tests/fuzz/fuzz_annotate.c $(LIB_SRC) $(LIB_HDR) $(BUILD)/gen/rules.c lib/resources.S $(DATA)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) tests/fuzz/fuzz_annotate.c $(LIB_SRC) $(BUILD)/gen/rules.c lib/resources.S $(LIB_DEPS) -o $@

$(BUILD)/fuzz/fuzz_http: tests/fuzz/fuzz_http.c $(filter-out server/enrichd.c,$(SRV_SRC)) server/openapi.S $(SRV_HDR) $(BUILD)/gen/rules.c \
                         $(LIB_SRC) $(LIB_HDR) lib/resources.S $(DATA) openapi.yaml
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Iserver tests/fuzz/fuzz_http.c $(filter-out server/enrichd.c,$(SRV_SRC)) \
	  server/openapi.S $(LIB_SRC) $(BUILD)/gen/rules.c lib/resources.S $(MHD_LIBS) $(LIB_DEPS) -lpthread -o $@

# Each target runs FUZZ_SECONDS: the library entry point, then the request
# handling; each grows a working corpus from the committed seeds.
fuzz:
	@.ci/setup clang libclang-rt-14-dev
	@$(MAKE) --no-print-directory $(BUILD)/fuzz/fuzz_annotate $(BUILD)/fuzz/fuzz_http
	@mkdir -p $(BUILD)/fuzz/corpus $(BUILD)/fuzz/http_corpus
	./$(BUILD)/fuzz/fuzz_annotate -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	  $(BUILD)/fuzz/corpus tests/fuzz/corpus
	./$(BUILD)/fuzz/fuzz_http -max_total_time=$(FUZZ_SECONDS) -max_len=16384 -timeout=20 \
	  $(BUILD)/fuzz/http_corpus tests/fuzz/http_corpus

# ---- the two commands ------------------------------------------------------

setup:
	@.ci/setup

run: setup
	@$(MAKE) --no-print-directory all
	./$(BUILD)/enrichd

test: setup
	@$(MAKE) --no-print-directory all sanitized
	@$(MAKE) --no-print-directory test-exports test-cycles test-docs test-unit test-tsan test-alloc test-golden test-fuzz-corpus \
	  test-integration test-openapi test-contract test-properties
	@echo "make test: all suites passed"

ASAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

test-unit: $(BUILD)/asan/unit_tests
	$(ASAN_ENV) ./$(BUILD)/asan/unit_tests

test-golden: $(BUILD)/asan/enrich
	$(ASAN_ENV) tests/golden/run.sh ./$(BUILD)/asan/enrich

test-fuzz-corpus: $(BUILD)/asan/fuzz_replay $(BUILD)/asan/fuzz_http_replay
	$(ASAN_ENV) ./$(BUILD)/asan/fuzz_replay tests/fuzz/corpus
	$(ASAN_ENV) ./$(BUILD)/asan/fuzz_http_replay tests/fuzz/http_corpus

test-integration: $(BUILD)/asan/integration_tests $(BUILD)/asan/enrichd $(BUILD)/asan/enrich
	$(ASAN_ENV) ENRICHD=./$(BUILD)/asan/enrichd ENRICH_CLI=./$(BUILD)/asan/enrich \
	  ./$(BUILD)/asan/integration_tests

test-openapi: $(BUILD)/asan/enrichd
	$(ASAN_ENV) $(PYTHON) tests/openapi_check.py ./$(BUILD)/asan/enrichd openapi.yaml

# openapi.yaml through Redocly's CLI (npm, pinned in tests/contract) with its
# recommended rules: no error and no warning.
test-contract:
	@command -v npm >/dev/null 2>&1 || .ci/setup nodejs npm
	@cd tests/contract && npm ci --no-audit --no-fund --loglevel=error
	@tests/contract/node_modules/.bin/redocly lint openapi.yaml --format=stylish > $(BUILD)/redocly.txt 2>&1; \
	  rc=$$?; sed -n '/^validating/,$$p' $(BUILD)/redocly.txt; \
	  if [ $$rc -ne 0 ] || grep -q ' warning ' $(BUILD)/redocly.txt; then echo "contract: redocly lint is not clean"; exit 1; fi; \
	  echo "contract: redocly lint: 0 errors, 0 warnings"

# requests generated from openapi.yaml (python3-hypothesis): statuses
# documented, bodies valid, no 5xx, spans equal to the input's slices
PROPERTY_EXAMPLES ?= 300
test-properties: $(BUILD)/asan/enrichd
	$(ASAN_ENV) PROPERTY_EXAMPLES=$(PROPERTY_EXAMPLES) /usr/bin/python3 tests/properties.py ./$(BUILD)/asan/enrichd openapi.yaml

# the long run: new examples each time, many more of them
test-properties-long: $(BUILD)/asan/enrichd
	@.ci/setup
	$(ASAN_ENV) PROPERTY_RANDOM=1 PROPERTY_EXAMPLES=$${PROPERTY_EXAMPLES:-5000} /usr/bin/python3 tests/properties.py \
	  ./$(BUILD)/asan/enrichd openapi.yaml

test-docs: $(BUILD)/enrich $(BUILD)/enrichd
	tests/docs_check.sh $(BUILD)/enrich $(BUILD)/enrichd

# One engine, many threads, swapped under them: the library and the
# server's engine references under ThreadSanitizer.
TSAN_CFLAGS := $(CSTD) $(WARN) -O1 -g -fsanitize=thread -Iinclude -Ilib -I$(BUILD)/gen $(PKG_CFLAGS)
TSAN_LIB_OBJ := $(LIB_SRC:lib/%.c=$(BUILD)/tsan/lib/%.o) $(BUILD)/obj/lib/resources.o $(BUILD)/tsan/gen/rules.o
$(BUILD)/tsan/gen/rules.o: $(BUILD)/gen/rules.c $(BUILD)/gen/rules.h
	@mkdir -p $(@D)
	$(CC) $(TSAN_CFLAGS) -c $< -o $@
$(BUILD)/tsan/lib/%.o: lib/%.c $(LIB_HDR)
	@mkdir -p $(@D)
	$(CC) $(TSAN_CFLAGS) -c $< -o $@
$(BUILD)/tsan/engine_swap: tests/tsan/engine_swap.c server/engines.c $(SRV_HDR) $(TSAN_LIB_OBJ)
	$(CC) $(TSAN_CFLAGS) -Iserver tests/tsan/engine_swap.c server/engines.c $(TSAN_LIB_OBJ) $(LIB_DEPS) -lpthread -o $@
$(BUILD)/tsan/enrich: $(CLI_SRC) cli/cli.h $(TSAN_LIB_OBJ)
	$(CC) $(TSAN_CFLAGS) -Icli $(CLI_SRC) $(TSAN_LIB_OBJ) $(LIB_DEPS) $(CURL_LIBS) -lpthread -o $@
test-tsan: $(BUILD)/tsan/engine_swap $(BUILD)/tsan/enrich $(BUILD)/enrich
	TSAN_OPTIONS=halt_on_error=1:exitcode=66 ./$(BUILD)/tsan/engine_swap \
	  $$(if [ -f $(EVAL_DIR)/seed/article.txt ]; then echo $(EVAL_DIR)/seed/article.txt; else echo tests/browser/article.txt; fi)
	@# enrich --jsonl --threads 4 over 2,000 records (two batches), against one thread
	@/usr/bin/python3 -c 'import json,sys; [print(json.dumps({"id": i, "text": open(f).read()})) for i in range(400) for f in sys.argv[1:]]' \
	  tests/golden/*/input.txt > $(BUILD)/tsan/records.jsonl
	TSAN_OPTIONS=halt_on_error=1:exitcode=66 ./$(BUILD)/tsan/enrich --jsonl --threads 4 < $(BUILD)/tsan/records.jsonl > $(BUILD)/tsan/t4.jsonl
	./$(BUILD)/enrich --jsonl --threads 1 < $(BUILD)/tsan/records.jsonl | cmp - $(BUILD)/tsan/t4.jsonl
	@echo "tsan: enrich --jsonl --threads 4: $$(wc -l < $(BUILD)/tsan/records.jsonl) records, no race, --threads 1's bytes"

# Every allocation failure in the library, one at a time: ENRICH_ERR_NOMEM
# and no leak (a failing allocator hook through the linker's --wrap).
WRAP_ALLOC := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free
$(BUILD)/asan/alloc_fail: tests/alloc/alloc_fail.c $(BUILD)/asan/libenrich.a
	$(CC) $(SAN_CFLAGS) $(WRAP_ALLOC) $< $(BUILD)/asan/libenrich.a $(LIB_DEPS) -o $@
test-alloc: $(BUILD)/asan/alloc_fail
	$(ASAN_ENV) ./$(BUILD)/asan/alloc_fail \
	  $$(if [ -f $(EVAL_DIR)/seed/article.txt ]; then echo $(EVAL_DIR)/seed/article.txt; else echo tests/browser/article.txt; fi)

# no cycle among lib/'s modules, nor server/'s: by #include and by symbol
test-cycles: all
	/usr/bin/python3 tests/check_cycles.py lib:$(BUILD)/obj/lib server:$(BUILD)/obj/server

test-exports: $(BUILD)/libenrich.so $(BUILD)/libenrich.a
	tests/check_exports.sh $(BUILD)/libenrich.so $(BUILD)/libenrich.a

# ---- measuring -------------------------------------------------------------

eval: all
	@bench/eval.sh $(EVAL_DIR) ./$(BUILD)/enrich

$(BUILD)/bench: bench/bench.c $(BUILD)/libenrich.a
	$(CC) $(ALL_CFLAGS) $< $(BUILD)/libenrich.a $(LIB_DEPS) -o $@

BENCH_SECONDS ?= 5

bench: all $(BUILD)/bench
	./.ci/setup wrk nginx-light bc
	./$(BUILD)/bench $(EVAL_DIR)/reuters21578/stories-dev.jsonl
	bench/threads.sh ./$(BUILD)/enrich $(EVAL_DIR)/reuters21578/stories-dev.jsonl
	bench/chrono.sh ./$(BUILD)/enrich $(EVAL_DIR)/reuters21578/stories-dev.jsonl
	bench/http.sh $(BUILD) $(EVAL_DIR)/seed/article.txt $(BENCH_SECONDS)

# The full JSON of 1,000 stories (seed, pages, Reuters), saved outside the
# repository before a refactoring and compared after it.
SNAPSHOT ?= ../enrich-snapshot/answers.jsonl
snapshot: all
	bench/snapshot.sh save $(EVAL_DIR) ./$(BUILD)/enrich $(SNAPSHOT)
snapshot-compare: all
	bench/snapshot.sh compare $(EVAL_DIR) ./$(BUILD)/enrich $(SNAPSHOT)

# ---- long runs ----------------------------------------------------------------

SOAK_REQUESTS ?= 200000

soak: all
	bench/soak.sh $(BUILD) $(EVAL_DIR)/seed/article.txt $(SOAK_REQUESTS)

# The integration suite against enrichd and enrich under valgrind (memcheck):
# any error or leak fails the server's exit, which the suite checks.
VALGRIND := valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
valgrind: all $(BUILD)/asan/integration_tests
	@.ci/setup valgrind
	ENRICHD="$(VALGRIND) $(BUILD)/enrichd" ENRICH_CLI="$(VALGRIND) $(BUILD)/enrich" VALGRIND_RUN=1 \
	  ./$(BUILD)/asan/integration_tests

# The annotation page in Debian's chromium through playwright-core: the seed
# article when ../shared/eval is there, else the test's own; a screenshot
# in build/browser/page.png. .ci/run runs it after make test.
browser-test: all
	@.ci/setup chromium
	@command -v npm >/dev/null 2>&1 || .ci/setup nodejs npm
	cd tests/browser && npm ci --no-audit --no-fund --loglevel=error
	@mkdir -p $(BUILD)/browser
	node tests/browser/page.test.js $(BUILD)/enrichd \
	  $$(if [ -f $(EVAL_DIR)/seed/article.txt ]; then echo $(EVAL_DIR)/seed/article.txt; else echo tests/browser/article.txt; fi) \
	  $(BUILD)/browser/page.png

# The container image, built and run with buildah, nginx in front; .ci/run
# runs it after make test.
image-test:
	docker/image-test.sh

# ---- the entity model ------------------------------------------------------
# Trained on CoNLL-2003 train only (Reuters text, research use); dev figures
# come from this same model. Deterministic: same data, same bytes.

MODEL_EPOCHS ?= 20
MODEL_SEED   ?= 1
MODEL_RUNS   ?= 16
MODEL_MIN_WEIGHT ?= 512

model: all
	@test -f $(EVAL_DIR)/conll2003/train.txt || { echo "model: $(EVAL_DIR)/conll2003/train.txt is absent"; exit 1; }
	./$(BUILD)/enrich train --epochs $(MODEL_EPOCHS) --seed $(MODEL_SEED) --runs $(MODEL_RUNS) \
	  --clusters data/clusters.tsv --min-weight $(MODEL_MIN_WEIGHT) \
	  --dev $(EVAL_DIR)/conll2003/dev.txt --output data/ner.model $(EVAL_DIR)/conll2003/train.txt
	@$(MAKE) --no-print-directory all

# ---- the word classes ------------------------------------------------------
# Learned by 'enrich train-clusters' from unlabelled news text: CoNLL-2003
# train's words, the Reuters-21578 dev stories and the development pages
# (data/gen/cluster_corpus.py). About a minute. 'make model' reads them.

CLUSTER_CLASSES ?= 64,512

clusters: all
	@test -d $(EVAL_DIR)/conll2003 || { echo "clusters: $(EVAL_DIR) is absent"; exit 1; }
	$(PYTHON) data/gen/cluster_corpus.py $(EVAL_DIR) | \
	  ./$(BUILD)/enrich train-clusters --classes $(CLUSTER_CLASSES) --min-count 3 --output data/clusters.tsv

# ---- the layout model ------------------------------------------------------
# Line roles learned from tests/pages/labels.txt (derived from the pages'
# gold and reference bodies by tests/pages/derive_labels.py, plus every 40th
# Reuters dev story and every 10th CoNLL-2003 train document) over the texts
# in EVAL_DIR. 'make layout-labels' derives the labels anew; 'make layout-cv'
# prints 5-fold cross-validated figures per role, then the pages' anatomy
# and body scores with every page annotated by the model that did not see
# it; 'make layout-model' writes data/layout.model.

LAYOUT_EPOCHS ?= 12

layout-labels:
	@test -d $(EVAL_DIR)/pages || { echo "layout-labels: $(EVAL_DIR)/pages is absent"; exit 1; }
	$(PYTHON) tests/pages/derive_labels.py $(EVAL_DIR)/pages $(EVAL_DIR)/reuters21578/stories-dev.jsonl \
	  $(EVAL_DIR)/conll2003/train.txt > tests/pages/labels.txt

layout-cv: all
	@test -d $(EVAL_DIR)/pages || { echo "layout-cv: $(EVAL_DIR)/pages is absent"; exit 1; }
	$(PYTHON) tests/pages/layout_samples.py $(EVAL_DIR) | ./$(BUILD)/enrich train-layout --epochs $(LAYOUT_EPOCHS) --folds 5
	$(PYTHON) tests/pages/crossval.py $(EVAL_DIR) ./$(BUILD)/enrich 5 --epochs $(LAYOUT_EPOCHS)

layout-model: all
	@test -d $(EVAL_DIR)/pages || { echo "layout-model: $(EVAL_DIR)/pages is absent"; exit 1; }
	$(PYTHON) tests/pages/layout_samples.py $(EVAL_DIR) | \
	  ./$(BUILD)/enrich train-layout --epochs $(LAYOUT_EPOCHS) --output data/layout.model
	@$(MAKE) --no-print-directory all

# ---- installing ------------------------------------------------------------

install: all
	install -d $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/bin
	install -m 644 include/enrich.h $(DESTDIR)$(PREFIX)/include/enrich.h
	install -m 644 $(BUILD)/libenrich.a $(DESTDIR)$(PREFIX)/lib/libenrich.a
	install -m 755 $(BUILD)/$(SONAME) $(DESTDIR)$(PREFIX)/lib/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(PREFIX)/lib/libenrich.so
	install -m 755 $(BUILD)/enrich $(BUILD)/enrichd $(DESTDIR)$(PREFIX)/bin/
	install -d $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man8
	install -m 644 man/enrich.1 $(DESTDIR)$(PREFIX)/share/man/man1/enrich.1
	install -m 644 man/enrichd.8 $(DESTDIR)$(PREFIX)/share/man/man8/enrichd.8
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(shell sed -n 's/^#define ENRICH_VERSION "\(.*\)"/\1/p' include/enrich.h)|g' \
	  lib/enrich.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/enrich.pc

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/include/enrich.h $(DESTDIR)$(PREFIX)/lib/libenrich.a \
	  $(DESTDIR)$(PREFIX)/lib/$(SONAME) $(DESTDIR)$(PREFIX)/lib/libenrich.so \
	  $(DESTDIR)$(PREFIX)/share/man/man1/enrich.1 $(DESTDIR)$(PREFIX)/share/man/man8/enrichd.8 \
	  $(DESTDIR)$(PREFIX)/bin/enrich $(DESTDIR)$(PREFIX)/bin/enrichd \
	  $(DESTDIR)$(PREFIX)/lib/pkgconfig/enrich.pc

clean:
	rm -rf $(BUILD)
