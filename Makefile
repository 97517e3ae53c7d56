# The README's two commands are `make run` and `make test`; `make check` is lint and types.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

LOCK := requirements.lock

# Compiled modules are kept (__pycache__, ignored by git) even where the environment says
# not to: with PYTHONDONTWRITEBYTECODE set, every process of the suite (each worker, each
# `ledger` it starts) compiles every module again and pytest rewrites every test module's
# asserts again in each worker, a few seconds each time.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: install lock run test test-pages test-fast fuzz check format clean bench bench-api bench-live bench-screen bench-import

# Installs exactly what requirements.lock names (every version pinned, pip and setuptools
# included, each file checked against its hash), then the project itself, editable, with
# nothing more fetched: a new release on the registry cannot change what a run installs.
# `pip check` fails the install when pyproject.toml asks for what the lock lacks (`make lock`).
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation --editable .
	$(BIN)/python -m pip check
	touch $(STAMP)

# The pages (api/web): npm packages exactly as api/web/package-lock.json pins them (`npm ci`
# checks each against its integrity hash), built by esbuild into api/web/dist, which the
# service serves and the wheel carries. Needs node 20 and npm (on every machine here) at
# install time only: nothing is fetched when a page is served.
WEB := api/web
WEB_INSTALLED := $(WEB)/node_modules/.installed
WEB_BUILT := $(WEB)/dist/.built
WEB_SOURCES := $(WEB)/build.mjs $(shell find $(WEB)/src $(WEB)/pages -type f 2>/dev/null)

$(WEB_INSTALLED): $(WEB)/package.json $(WEB)/package-lock.json
	cd $(WEB) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(WEB_BUILT): $(WEB_INSTALLED) $(WEB_SOURCES)
	cd $(WEB) && npm run --silent build
	touch $@

install: $(STAMP) $(WEB_BUILT)

# Refreshes requirements.lock on purpose, the only way new releases come in: resolves
# pyproject.toml's ranges (with the dev extra), pip and the build requirements to their newest
# releases, with the hashes of every file of each. pip-tools runs from a venv of its own, outside
# the project (PIPTOOLS). `make lock LOCK_OPTIONS=` keeps the pins that still fit (after an edit
# to pyproject.toml). Then review the diff, `make test`, and commit the lock.
PIPTOOLS ?= /tmp/supervision-ledger-piptools
LOCK_OPTIONS ?= --upgrade
lock:
	$(PYTHON) -m venv $(PIPTOOLS)
	$(PIPTOOLS)/bin/python -m pip install --quiet pip-tools
	$(PYTHON) -c 'import tomllib; print("pip", *tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")' \
	| CUSTOM_COMPILE_COMMAND="make lock" $(PIPTOOLS)/bin/pip-compile $(LOCK_OPTIONS) --quiet --generate-hashes --allow-unsafe \
		--extra dev --strip-extras --no-emit-find-links --no-emit-index-url \
		--output-file $(LOCK) pyproject.toml -

# The offline installation (README "Offline installation"): `make dist` writes one archive,
# dist/supervision-ledger-<version>-cp311-manylinux_<glibc>_<arch>.tar.gz: the project's wheel
# (the built pages inside), the wheels of what it needs at run time (not the dev tools), pinned
# and hash-checked as requirements.lock pins them, and the scripts of offline/archive. Those
# wheels come from PyPI into build/offline once (again when the lock or pyproject.toml change);
# the archive is then made with no network, the same bytes from the same checkout.
# DIST_GLIBC: the oldest glibc the wheels must run on (2.28: RHEL 8, Kylin V10, UOS 20...).
.PHONY: dist
DIST_GLIBC ?= 2.28
DIST_WHEELS := build/offline/fetched-for-glibc-$(DIST_GLIBC)

$(DIST_WHEELS): $(STAMP)
	rm -f build/offline/fetched-for-glibc-*
	$(BIN)/python offline/dist.py fetch --glibc $(DIST_GLIBC)
	touch $@

dist: install $(DIST_WHEELS)
	$(BIN)/python offline/dist.py archive

# Into an empty ledger, seeds the 2021 plan and records the demo (`ledger demo`: 90 days of
# made-up activity up to today, marked as the demo's); `make run DEMO=0` seeds and records
# nothing. Then serves the pages and GraphQL on 127.0.0.1:8000 (GraphiQL in a browser),
# printing a token for each role and links to the pages. LEDGER_DATABASE_URL picks the database.
DEMO ?= 1
SERVE_URL := http://127.0.0.1:8000
run: install
ifneq ($(DEMO),0)
	$(BIN)/ledger demo --if-empty
endif
	@echo "Tokens for trying the service (valid 7 days; send one as the Authorization header):"
	@$(BIN)/ledger token demo --links $(SERVE_URL)
	LEDGER_ENV=development LEDGER_ALLOWED_ORIGINS=$(SERVE_URL) $(BIN)/ledger serve --host 127.0.0.1 --port 8000

# The suite's files (SQLite ledgers, copies, keys) go to memory where the machine has it:
# fsyncs to a disk were a third of the fast tier's time. TEST_TMPDIR=/tmp to keep them on disk.
TEST_TMPDIR ?= $(shell [ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm || echo /tmp)

# Hypothesis runs derandomized here (the profile in tests/conftest.py): the same examples every
# run, no example database, no deadline, so the outcome depends on the code alone.
# The whole suite runs one worker more than the machine has cores: its slow tests spend much
# of their time waiting (on PostgreSQL, on `ledger` processes, on servers shutting down),
# and a third worker on two cores took the whole suite from 109 s to 99 s; the fast tier,
# busy computing, runs one worker per core.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
test: install
	TMPDIR=$(TEST_TMPDIR) HYPOTHESIS_PROFILE=derandomized $(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal -q -p no:cacheprovider -m "not browser"
	$(MAKE) --no-print-directory test-pages

# The pages in a real browser (tests/pages): Debian's Chromium (`chromium` on the PATH; .ci/run
# installs it and fonts-noto-cjk) driven by Playwright, against a real uvicorn. Screenshots of
# each page go to build/screenshots/.
test-pages: install $(DIST_WHEELS)
	TMPDIR=$(TEST_TMPDIR) HYPOTHESIS_PROFILE=derandomized $(BIN)/pytest -n 2 --dist loadfile -q -p no:cacheprovider -m browser tests/pages

# The fast tier: everything not marked slow (no PostgreSQL, no uvicorn, no subprocess).
test-fast: install
	TMPDIR=$(TEST_TMPDIR) HYPOTHESIS_PROFILE=derandomized $(BIN)/pytest -n auto --dist worksteal -q -p no:cacheprovider -m "not slow"

# Exploratory, not part of `make test`: the property-based tests (those Hypothesis marks
# `hypothesis`) with the "fuzz" profile of tests/conftest.py: random examples, ten times as many,
# failures kept under .hypothesis/ and tried first on the next run; PostgreSQL from
# LEDGER_TEST_POSTGRES_URL as for `make test`; FUZZ_ARGS picks tests (e.g. FUZZ_ARGS=tests/domain).
# What it finds becomes a plain test: the minimal failing input, by hand, in the suite, fixed.
fuzz: install
	TMPDIR=$(TEST_TMPDIR) HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -n auto -q -p no:cacheprovider -m hypothesis $(FUZZ_ARGS)

check: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy domain projections api
	$(BIN)/mypy --strict offline
	$(BIN)/mypy bench/service.py bench/live.py bench/live_clients.py bench/screen_latency.py

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .hypothesis build dist *.egg-info $(WEB)/node_modules $(WEB)/dist

# Rebuild rate beside the raw read rate, over 1,000,000 generated events (minutes, not seconds).
BENCH_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test?schema=ledger_bench
bench: install
	$(BIN)/python bench/rebuild.py --events 1000000 sqlite:///bench/ledger.sqlite $(BENCH_POSTGRES_URL)

# `ledger import legacy-issues` of a 10,000-row sheet into a seeded SQLite ledger, beside reading
# the file with python-calamine and openpyxl; `ledger import work-orders` of a batch of 10,000
# 12345 work orders (about a minute in all).
bench-import: install
	$(BIN)/python bench/import_legacy.py --rows 10000 --dir /tmp/ledger-bench-import
	$(BIN)/python bench/import_work_orders.py --rows 10000 --dir /tmp/ledger-bench-work-orders

# The service benchmarks serve BENCH_DATABASE_URL (a ledger holding events and read models, as
# made in README "Measuring"; its keys in BENCH_KEY_DIR: ledger.key, signing.key), else a fresh
# SQLite ledger with the 2021 plan; BENCH_BASELINE_REF=GITREF serves the same ledger from that
# commit too (a worktree, `make install`ed), each server on its own copy, side by side.
BENCH_DATABASE_URL ?=
BENCH_KEY_DIR ?=
BENCH_BASELINE_REF ?=
BENCH_SERVING = $(if $(BENCH_DATABASE_URL),--database-url '$(BENCH_DATABASE_URL)') \
	$(if $(BENCH_KEY_DIR),--key-dir '$(BENCH_KEY_DIR)') \
	$(if $(BENCH_BASELINE_REF),--baseline-ref '$(BENCH_BASELINE_REF)')

# Query p50/p99 of each view the pages read (the overview and legacy totals as the big screen
# asks, this year's scorecards, 50 tasks) with one client, then mutations/s and query p50/p99
# with 32 clients, each phase beside `{ __typename }` on the same server (about two minutes on
# a fresh ledger; twice that with a baseline, plus its install and the servers' rebuilds).
bench-api: install
	$(BIN)/python bench/service.py --clients 32 --view-clients 1 --seconds 10 $(BENCH_SERVING)

# BENCH_SUBSCRIBERS WebSocket subscribers of BENCH_VIEW (supervisionOverview, legacyIssueTotals
# or ledgerEvents) beside one: time to the first snapshot, then, over BENCH_WRITES writes, the
# delay until each receives the write; the server's memory; its /metrics.
BENCH_VIEW ?= supervisionOverview
BENCH_SUBSCRIBERS ?= 1000
BENCH_WRITES ?= 5
bench-live: install
	$(BIN)/python bench/live.py --view $(BENCH_VIEW) --subscribers $(BENCH_SUBSCRIBERS) \
		--writes $(BENCH_WRITES) --timeout 30 $(BENCH_SERVING)

# How long a mutation made over HTTP takes to appear on an open /screen (Chromium), beside
# the mutation's own round trip (about half a minute).
bench-screen: install
	$(BIN)/python bench/screen_latency.py --mutations 20
