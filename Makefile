# Kontaktpunkt: `make run` serves the app; `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000

.PHONY: run test lint install install-test fast-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## Serve the app with an embedded Redis, SQLite and a Celery worker on http://127.0.0.1:$(PORT)/
run: install
	$(BIN)/contactpoint run --port $(PORT)

## Lint, type-check and run every test (the slow fault tests included)
test: install-test lint
	$(BIN)/pytest

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## Skip the slow tests while developing
fast-test: install-test
	$(BIN)/pytest -m "not slow"

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache
