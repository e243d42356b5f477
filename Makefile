# Trellis: `make run` to try it, `make test` to check it. `make help` lists the rest.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/trellis
SYSTEM_PACKAGES := chromium poppler-utils fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fontconfig postgresql-client

.PHONY: help install system-packages run test test-sqlite test-postgres bench fuzz audit-deps lint fmt clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The large directory import's busiest modules, compiled with Cython (src/trellis/compiled.py)
# unless their build is current; an edited module runs from its source until then. Without a C
# compiler or Python's headers they run from source, as fast as before.
install: $(STAMP) ## Create .venv, install Trellis with its dev extras, compile the import's modules
	@$(PY) -c "from trellis.compiled import ensure; ensure()" \
	  || echo "NOTICE: the import's modules could not be compiled; they run from source"

system-packages: ## Install the system packages the tests need (Chromium, PDF tools, pg_dump), if missing
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

run: install ## Install, migrate, load demo data into an empty database, serve on http://127.0.0.1:8000
	$(VENV)/bin/trellis run

test: install system-packages test-sqlite test-postgres ## Install and run every test (SQLite, then PostgreSQL)

# TRELLIS_COMPILED=1: the tests also check that the compiled modules are the ones running.
test-sqlite: install
	TRELLIS_COMPILED=1 $(PY) -m pytest -q

# In CI (CI=true) an unreachable PostgreSQL is a failure; elsewhere it is skipped with a notice.
test-postgres: install
	@if $(PY) bin/postgres-ready "$(PG_URL)"; then \
	  DATABASE_URL="$(PG_URL)" TRELLIS_COMPILED=1 $(PY) -m pytest -q -m "not browser" tests/web \
	    tests/contract tests/faults/test_redis_outage.py tests/faults/test_unavailable_answers.py \
	  && DATABASE_URL="$(PG_URL)" TRELLIS_COMPILED=0 $(PY) -m pytest -q tests/web/directory; \
	elif [ "$$CI" = "true" ]; then echo "PostgreSQL at 127.0.0.1:5432 is unreachable: failing, as CI requires it"; exit 1; \
	else echo "NOTICE: PostgreSQL at 127.0.0.1:5432 is unreachable; the PostgreSQL run was skipped"; fi

bench: install ## The performance suite (trellis bench), then the long API fuzzing run
	$(VENV)/bin/trellis bench
	$(MAKE) --no-print-directory fuzz

# `make test` runs the same module with a few examples; this one runs many (set FUZZ_EXAMPLES).
FUZZ_EXAMPLES ?= 40
fuzz: install ## Fuzz every API operation as every role with schemathesis, many examples (long)
	TRELLIS_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest -q --durations=0 tests/contract/test_api_fuzz.py

# Needs a vulnerability service (PyPI's JSON API or OSV) over the network, so it is not part of
# `make test`; --strict fails when any dependency could not be checked, never a false "clean".
audit-deps: install ## Known vulnerabilities in the installed dependencies (pip-audit; needs network)
	$(VENV)/bin/pip-audit --local --skip-editable --strict --progress-spinner off

lint: install ## ruff check and format check
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

fmt: install ## Format the code
	$(VENV)/bin/ruff format src tests bench
	$(VENV)/bin/ruff check --fix src tests bench

clean: ## Remove the venv and local state
	rm -rf $(VENV) build .pytest_cache .ruff_cache
