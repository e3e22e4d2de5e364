# Schutznetz: `make demo` runs the demo, `make test` runs every test. See README.md.
# `make lint`: ruff, the layer contracts (import-linter), mypy, and the OpenAPI schema without warnings.
PYTHON ?= python3
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
# uv from PATH, else as a module of $(PYTHON), else in a private virtual environment under var/
# that `make` creates (never into the system's Python: Debian refuses that, rightly).
UV_VENV := $(CURDIR)/var/tools
UV := $(shell command -v uv 2>/dev/null || { $(PYTHON) -m uv --version >/dev/null 2>&1 && echo "$(PYTHON) -m uv"; } || echo "$(UV_VENV)/bin/uv")

BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/schutznetz_bench
BENCH_NATIONAL_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/schutznetz_bench_national

.PHONY: demo test test-postgres test-sqlite lint sync uv bench bench-small bench-national

uv:
	@$(UV) --version >/dev/null 2>&1 || { \
	  echo "uv is missing: installing it into $(UV_VENV)"; \
	  { $(PYTHON) -m venv $(UV_VENV) 2>/dev/null || { rm -rf $(UV_VENV) && $(PYTHON) -m venv --without-pip $(UV_VENV); }; } \
	  && { [ -x $(UV_VENV)/bin/pip ] && $(UV_VENV)/bin/pip install --quiet --disable-pip-version-check uv \
	       || $(PYTHON) -m pip --python $(UV_VENV)/bin/python install --quiet --disable-pip-version-check uv; }; }

sync: uv
	@$(UV) sync --locked --quiet

demo: sync
	$(UV) run --locked schutznetz demo --port $(PORT)

lint: sync
	$(UV) run --locked ruff check src tests bench
	$(UV) run --locked ruff format --check src tests bench
	$(UV) run --locked lint-imports --no-cache
	$(UV) run --locked mypy
	@mkdir -p var/lint
	SCHUTZNETZ_DEMO=1 SCHUTZNETZ_VAR_DIR=$(CURDIR)/var/lint DATABASE_URL=sqlite:///$(CURDIR)/var/lint/schema.sqlite3 \
	  $(UV) run --locked schutznetz spectacular --validate --fail-on-warn --file var/lint/openapi.yaml
	SCHUTZNETZ_DEMO=1 SCHUTZNETZ_VAR_DIR=$(CURDIR)/var/lint DATABASE_URL=sqlite:///$(CURDIR)/var/lint/schema.sqlite3 \
	  $(UV) run --locked schutznetz makemigrations --check --dry-run

test: lint test-postgres test-sqlite

# Tests run in $(TEST_WORKERS) processes (pytest-xdist), each on a test database of its own.
TEST_WORKERS ?= 2

test-postgres: sync
	DATABASE_URL=$(TEST_DATABASE_URL) $(UV) run --locked pytest -n $(TEST_WORKERS)

# The browser tests and the crawl of every route (a third of the run) go through the same views on
# either database; they run on PostgreSQL, which production uses, as does the crisis worker killed
# mid-delivery (its row locks are PostgreSQL's). Everything else runs on both.
test-sqlite: sync
	DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(UV) run --locked pytest -n $(TEST_WORKERS) -m "not browser" --ignore=tests/crawl \
	  --ignore=tests/crisis/test_kill.py

bench: sync
	DATABASE_URL=$(BENCH_DATABASE_URL) $(UV) run --locked python -m bench --scales 10000,100000,1000000

# 14 million children (about 2 million cases): child search and the daily pages at national scale.
# Loads for about 40 minutes on two cores and needs about 25 GB of disk; not run in CI.
bench-national: sync
	DATABASE_URL=$(BENCH_NATIONAL_DATABASE_URL) $(UV) run --locked python -m bench --scales 14000000 --scenarios pages,child_search,http

bench-small: sync
	DATABASE_URL=$(BENCH_DATABASE_URL) $(UV) run --locked python -m bench --scales 1000,4000 --repeat 15 --http-seconds 2 --check --out var/bench
	DATABASE_URL=$(BENCH_DATABASE_URL) $(UV) run --locked python -m bench.instructions --scale 4000 --requests 10 --check
