# WorkSafe: `make run` serves the app with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test setup setup-test messages lint demo bench loadtest clean

$(VENV)/bin/python:
	@python=$$(scripts/find-python) && echo "Creating $(VENV) with $$python" && "$$python" -m venv $(VENV)

$(VENV)/.run-deps: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install -qq --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.test-deps: requirements-test.txt $(VENV)/.run-deps
	$(PY) -m pip install -qq --disable-pip-version-check -r requirements-test.txt
	@touch $@

# Compiled catalogues are built, not committed; msgfmt comes from GNU gettext.
messages: $(VENV)/.run-deps
	@command -v msgfmt >/dev/null || scripts/apt-install gettext
	@$(PY) manage.py compilemessages --ignore=.venv -v 0

setup: $(VENV)/.run-deps messages

setup-test: $(VENV)/.test-deps messages

run: setup
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py load_demo
	@echo "WorkSafe is serving on http://$(HOST):$(PORT)/  (API docs: http://$(HOST):$(PORT)/api/v1/docs)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup-test
	$(PY) -m ruff check .
	@if [ -x "$${CHROMIUM:-/usr/bin/chromium}" ]; then echo "Browser tests: using $${CHROMIUM:-/usr/bin/chromium}"; \
	else echo "!!! Chromium not found: the browser tests (e2e/) will be SKIPPED. Install Debian's chromium to run them. !!!"; fi
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup-test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

clean:
	rm -rf $(VENV) staticfiles
