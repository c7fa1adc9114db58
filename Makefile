# WorkSafe: `make run` serves the app with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test setup setup-test messages lint demo bench bench-scaling loadtest fuzz clean

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

# axe-core for the browser suite's accessibility checks, pinned in package-lock.json; the
# tests inject it into the page themselves (no CDN).
node_modules/axe-core/axe.min.js: package.json package-lock.json
	@command -v npm >/dev/null || scripts/apt-install nodejs npm
	npm ci --no-audit --no-fund --silent

setup-test: $(VENV)/.test-deps messages node_modules/axe-core/axe.min.js

# Like a deployment: DEBUG off (the app's own error pages, static files collected and served by
# WhiteNoise), the pages and the task worker together; Ctrl-C stops both. `DEBUG=1 make run`
# turns debugging on.
run: export DEBUG ?= 0
run: setup
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) manage.py load_demo
	$(PY) manage.py serve --host $(HOST) --port $(PORT)

# lint-imports: the import directions of design.md (contracts in pyproject.toml); a broken one
# fails the run and names the offending import chain.
test: setup-test
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports --no-cache --no-logo
	@if [ -x "$${CHROMIUM:-/usr/bin/chromium}" ]; then echo "Browser tests: using $${CHROMIUM:-/usr/bin/chromium}"; \
	else echo "!!! Chromium not found: the browser tests (e2e/) will be SKIPPED. Install Debian's chromium to run them. !!!"; fi
	$(PY) -m pytest $(PYTEST_ARGS)

$(VENV)/.bench-deps: bench/requirements.txt $(VENV)/.run-deps
	$(PY) -m pip install -qq --disable-pip-version-check -r bench/requirements.txt
	@touch $@

# Benchmarks on PostgreSQL (DATABASE_URL, default the worksafe_bench database): generates
# BENCH_HAZARDS hazards (default 2,000,000) when needed, then writes bench/results/latest.*.
BENCH_URL = $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/worksafe_bench)

bench: $(VENV)/.bench-deps
	DATABASE_URL=$(BENCH_URL) $(PY) -m bench.bench

# The same at 10k, 100k, 1M and 2M hazards (BENCH_SIZES): bench/results/scaling.{md,json,png}.
bench-scaling: $(VENV)/.bench-deps
	DATABASE_URL=$(BENCH_URL) $(PY) -m bench.scaling

lint: setup-test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports --no-cache --no-logo

# Load test, NOT part of `make test`: gunicorn on loopback, PostgreSQL from DATABASE_URL (default
# the worksafe_load database, created when missing), demo data; LOAD_USERS concurrent users
# (default 40) for LOAD_SECONDS (default 120). Fails on any error or lost write.
LOAD_URL = $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/worksafe_load)
loadtest: setup
	DATABASE_URL=$(LOAD_URL) $(PY) -m loadtest.run

# API fuzzing at length, NOT part of `make test` (which runs a small fixed sample of the same
# tests): FUZZ_EXAMPLES examples per operation and stateful scenarios per role (default 200),
# randomly seeded, on DATABASE_URL or SQLite. Ends with the calls, 5xx and failed checks per role.
FUZZ_EXAMPLES ?= 200
fuzz: setup-test
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest tests/test_api_fuzz.py -q $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles
