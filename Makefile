# Two commands set everything up on a fresh machine with Python 3.11+:
#   make run   – the portal with demo data at http://127.0.0.1:8000 (SQLite unless DATABASE_URL is set)
#   make test  – the test suite (SQLite unless DATABASE_URL is set)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1:8000

.PHONY: install run demo test lint format ci clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --with-demo-users

run: demo
	@echo "Serving http://$(HOST)/  (the 1 November 2017 pack: http://$(HOST)/boards/improvement-and-innovation-board/2017-11-01/)"
	$(BIN)/python manage.py runserver $(HOST)

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

ci: lint test

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
