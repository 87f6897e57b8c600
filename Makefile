# termwatch: `make run` sets up and runs the whole job; `make test` sets up and runs the tests.
# Both work on a fresh clone: they create .venv and install the project into it first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TERMWATCH := $(BIN)/termwatch
# Offline default: the recorded corpus beside the project (see README).
ARCHIVE ?= ../shared/corpus
DB ?= data/termwatch.db
PORT ?= 8001

.PHONY: install run test lint clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: install
	$(TERMWATCH) --db $(DB) import-archive $(ARCHIVE)
	-$(TERMWATCH) --db $(DB) crawl
	$(TERMWATCH) --db $(DB) serve --port $(PORT)

test: install
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) build *.egg-info
