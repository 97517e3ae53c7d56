# The README's two commands are `make run` and `make test`; `make check` is lint and types.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test check format clean bench bench-api

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Seeds the 2021 plan into an empty ledger, then serves GraphQL on 127.0.0.1:8000
# (GraphiQL at the same URL in a browser), printing a token for each role. LEDGER_DATABASE_URL picks the database.
run: install
	$(BIN)/ledger seed changxing-2021 --if-empty
	@echo "Tokens for trying the service (valid 7 days; send one as the Authorization header):"
	@$(BIN)/ledger token demo
	LEDGER_ENV=development LEDGER_ALLOWED_ORIGINS=http://127.0.0.1:8000 $(BIN)/ledger serve --host 127.0.0.1 --port 8000

test: install
	$(BIN)/pytest -n auto -q -p no:cacheprovider

check: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy domain projections api

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .hypothesis build *.egg-info

# Rebuild rate beside the raw read rate, over 1,000,000 generated events (minutes, not seconds).
BENCH_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test?schema=ledger_bench
bench: install
	$(BIN)/python bench/rebuild.py --events 1000000 sqlite:///bench/ledger.sqlite $(BENCH_POSTGRES_URL)

# Mutations/s and query p50/p99 with 32 clients against `ledger serve` on SQLite, beside
# `{ __typename }` on the same server (about a minute).
bench-api: install
	$(BIN)/python bench/service.py --clients 32 --seconds 10
