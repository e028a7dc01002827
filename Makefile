# Duet's two everyday commands are `make demo` and `make test`; see README.md.
# Everything runs from .venv by path, no activation needed.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# The demo runs on the embedded defaults: SQLite in the project folder, Celery
# tasks executed eagerly, development settings. Drop anything that would
# switch it to PostgreSQL, Redis or production.
DEMO_ADDRESS ?= 127.0.0.1:8000
DEMO_ENV := env -u DATABASE_URL -u CELERY_BROKER_URL -u CELERY_TASK_ALWAYS_EAGER -u DJANGO_ENV

.DEFAULT_GOAL := help
.PHONY: help venv demo test lint format chromium

help:
	@echo "make demo    set up .venv, migrate SQLite, load the demo study, serve http://127.0.0.1:8000"
	@echo "make test    set up .venv, then ruff, the migrations check and pytest on PostgreSQL"
	@echo "make lint    ruff check and ruff format --check"
	@echo "make format  ruff format and ruff check --fix"

# Reinstalls when pyproject.toml changes; otherwise does nothing.
venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --disable-pip-version-check -e '.[test]'
	touch $@

demo: venv
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py seed_demo --url http://$(DEMO_ADDRESS)/
	$(DEMO_ENV) $(PY) manage.py runserver $(DEMO_ADDRESS)

# Tests run on PostgreSQL and Redis (pytest-django creates test_duet itself): first
# on both cores (pytest-xdist), then the browser and Celery-worker tests one at a
# time, since their waits are for other processes that need a core of their own.
# Override either from the environment; .ci/run starts both servers.
test: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/duet
test: export CELERY_BROKER_URL ?= redis://127.0.0.1:6379/0
test: venv chromium node_modules/.installed
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -n auto -m "not browser and not worker"
	$(VENV)/bin/pytest -m "browser or worker"

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The browser tests load axe-core (package.json) into each page they check.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# The browser tests drive Debian's chromium through Playwright.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "chromium is missing: installing Debian's chromium package"; \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
	    sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	  else \
	    echo "error: /usr/bin/chromium is missing and this user cannot install it." >&2; \
	    echo "       Install it as root (apt-get install chromium), then run make test again." >&2; \
	    exit 1; \
	  fi; \
	fi
