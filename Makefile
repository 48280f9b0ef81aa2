# Threshold: the two commands are `make demo` and `make test`. See README.md.
SHELL := /bin/bash
# Debian's own Python 3.11 where there is one (ADR 0044): Debian's optimised build, linked statically, ran
# tests/lado and tests/concerns on a fifth less CPU than the python3 first on these machines' PATH (pyenv's, built
# without optimisation). Elsewhere python3; `make PYTHON=...` chooses another (a PYTHON in the environment, which
# some set for other tools, does not: it would make the virtualenv again whenever it came and went).
DEBIAN_PYTHON := /usr/bin/python3.11
ifneq ($(origin PYTHON),command line)
PYTHON := $(if $(wildcard $(DEBIAN_PYTHON)),$(DEBIAN_PYTHON),python3)
endif
VENV := .venv
PY := $(VENV)/bin/python
# The interpreter the virtualenv was made from ("broken" when its python no longer runs) and the one it should be:
# a virtualenv made from another (before ADR 0044, or with another PYTHON) is made again.
VENV_BASE := $(shell if [ -e $(PY) ] || [ -L $(PY) ]; then $(PY) -I -c 'import os, sys; print(os.path.realpath(sys._base_executable))' 2>/dev/null || echo broken; fi)
WANTED_BASE := $(shell $(PYTHON) -I -c 'import os, sys; print(os.path.realpath(sys.executable))' 2>/dev/null)
VENV_REMADE := $(if $(filter-out $(WANTED_BASE),$(VENV_BASE)),FORCE)
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
export PORT
# Python's bytecode cache, kept in each package's __pycache__ (git-ignored) even where the machine turns it off (some
# set PYTHONDONTWRITEBYTECODE): without it every process of a run, each test worker, gunicorn and manage.py, compiles
# every module again and pytest rewrites every test module's asserts again (collecting the tests took 17 s, not 7).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: install demo serve dev test test-fast lint bench clean FORCE
FORCE:

## install: Debian's libraries for PDFs (WeasyPrint), Python and npm dependencies (pinned), and the compiled
## front-end assets. Quick when nothing changed.
DEBIAN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
	$(if $(filter $(DEBIAN_PYTHON),$(WANTED_BASE)),python3.11-venv)
install: debian-packages $(VENV)/.installed node_modules/.installed threshold/static/build/.built

.PHONY: debian-packages
debian-packages:
	@./scripts/debian_packages.sh $(DEBIAN_PACKAGES)

# After the Debian packages (python3.11-venv), and only once the interpreter can make a virtualenv is the old one removed.
$(VENV)/.installed: requirements.lock $(VENV_REMADE) | debian-packages
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Threshold needs Python 3.11 or newer.")'
	@$(PYTHON) -c 'import ensurepip, venv' || { echo "$(PYTHON) cannot make a virtualenv (on Debian: the python3.X-venv package)."; exit 1; }
	@if [ -n "$(VENV_REMADE)" ] && [ -d $(VENV) ]; then echo "Making $(VENV) again, on $(PYTHON)"; rm -rf $(VENV); fi
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-virtualenv -r requirements.lock
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "Threshold needs Node 20 and npm."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

threshold/static/build/.built: node_modules/.installed assets/build.mjs $(shell find assets -type f)
	npm run --silent build
	@touch $@

## demo: set up, load the demo world into SQLite under data/, and serve through gunicorn with the task worker.
demo: install
	./scripts/demo.sh

## serve: the same, without loading the demo world.
serve: install
	LOAD_DEMO=0 ./scripts/demo.sh

## dev: the demo on Django's development server, which reloads when the code changes.
dev: install
	SERVER=runserver ./scripts/demo.sh

## test: every test, browser journeys included (on PostgreSQL when DATABASE_URL is set), with branch coverage
## of threshold/ (SlipCover, ADR 0047) that fails under COVERAGE_FLOOR. PYTEST_ARGS adds to pytest's arguments
## (.ci/run uses it); COVERAGE=no runs without coverage (CI's PostgreSQL pass).
COVERAGE_FLOOR ?= 90
COVERAGE ?= yes
COVERAGE_DATA := .coverage.json
PYTEST_ARGS ?=
# Three workers on two cores: a worker waiting on a journey's browser or server leaves a core to the others.
# Work stealing: the long tests (migrations, PDFs, journeys) do not leave one worker finishing alone.
WORKERS ?= -n 3 --dist worksteal
# SlipCover reads [tool.slipcover] in pyproject.toml (branches, threshold/) and measures each xdist worker.
# It warns, before pytest starts, that it cannot measure branches in test files, which it is not asked to measure.
TEST_RUNNER := $(if $(filter no,$(COVERAGE)),$(PY) -m pytest,PYTHONWARNINGS="ignore:Unable to activate pytest branch coverage" \
	$(PY) -m slipcover --json --out $(COVERAGE_DATA) -m pytest)
test: install
	@test -x "$(CHROMIUM)" || ./scripts/debian_packages.sh chromium
	@test -x "$(CHROMIUM)" || { echo "The browser tests need Debian's chromium at $(CHROMIUM) (or set CHROMIUM=/path/to/chromium)."; exit 1; }
	@rm -f $(COVERAGE_DATA)
	CHROMIUM=$(CHROMIUM) $(TEST_RUNNER) $(WORKERS) -q $(PYTEST_ARGS)
	$(if $(filter no,$(COVERAGE)),,$(PY) scripts/coverage_floor.py $(COVERAGE_DATA) --floor $(COVERAGE_FLOOR))

## test-fast: every test except the browser journeys, without coverage.
test-fast: install
	$(PY) -m pytest $(WORKERS) -q -m "not browser" $(PYTEST_ARGS)

## lint: ruff (lint and format), mypy, the access lint (scripts/lint_access.py) and the import layers (import-linter).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy threshold tests bench
	$(PY) scripts/lint_access.py
	$(VENV)/bin/lint-imports --no-cache  # the contracts in pyproject.toml; no cache, so a result is never stale

## bench: the pages people use most, served by gunicorn over a large authority's ten years (bench/generate.py),
## with queries, p50, p95, requests a second and ratios to a trivial page and a plain ListView (bench/pages.py).
## BENCH_ARGS adds to its arguments: --database postgres --authorities 6, --scale 0.1, --keep/--reuse PATH.
bench: install
	$(PY) bench/pages.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules threshold/static/build staticfiles
