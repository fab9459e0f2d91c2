# tillbench — two commands: `make demo` and `make test`. Everything else sets itself up.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= runs

.PHONY: help setup pg tryton demo test test-all lint bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

setup: $(STAMP)  ## create .venv and install tillbench with its dev tools (quick when nothing changed)

demo: $(STAMP)  ## run the bundled demo scenario end to end on embedded defaults
	$(BIN)/tillbench demo --out $(OUT)

test: $(STAMP)  ## run the default test suite (slow tests excluded)
	$(BIN)/python -m pytest -q

test-all: $(STAMP) pg  ## run every test, slow ones included (starts the local PostgreSQL)
	$(BIN)/python -m pytest -q -m ''

pg:  ## start the local PostgreSQL and create the test role and database (idempotent)
	@bash scripts/pg-test-db

# Tryton's own virtualenv lives beside the database cache, outside the checkout (erps/tryton/paths.py).
TRYTON_VENV = $(or $(TILLBENCH_TRYTON_VENV),$(or $(TILLBENCH_CACHE_DIR),$(HOME)/.cache/tillbench)/venv-tryton)

tryton: $(STAMP)  ## create Tryton's environment (~/.cache/tillbench/venv-tryton; quick when it exists)
	$(BIN)/python -c "from erps.tryton import ensure_env; print(ensure_env(progress=print).root)"

lint: $(STAMP)  ## ruff and mypy (strict on domain and scenarios)
	$(BIN)/ruff check --no-cache .
	$(BIN)/ruff format --no-cache --check .
	$(BIN)/mypy tillbench domain scenarios simulator mocks connectors reports erps benchmarks

bench: $(STAMP) pg  ## run the benchmarks (PostgreSQL and wrk set up first); JSON in bench/
	@bash scripts/wrk
	$(BIN)/python -m benchmarks --out bench

clean:  ## remove the virtual environments (Tryton's too) and caches (runs/ and Tryton's databases are kept)
	rm -rf $(VENV) .venv-tryton .pytest_cache .mypy_cache .ruff_cache .hypothesis *.egg-info
	rm -rf $(TRYTON_VENV)
