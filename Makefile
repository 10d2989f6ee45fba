# Two commands set everything up on a fresh machine with Python 3.11+:
#   make run   – the portal with demo data at http://127.0.0.1:8000 and its background worker
#                (SQLite unless DATABASE_URL is set)
#   make test  – the test suite and the browser journeys (SQLite unless DATABASE_URL is set)
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

# The server, and beside it the worker that publishes packs (and runs the other background tasks)
# from the same database; stopping one (Ctrl-C) stops both.
run: demo
	@echo "Serving http://$(HOST)/  (the 1 November 2017 pack: http://$(HOST)/boards/improvement-and-innovation-board/2017-11-01/)"
	@trap 'trap - INT TERM EXIT; kill 0' INT TERM EXIT; \
	$(BIN)/python manage.py db_worker & \
	$(BIN)/python manage.py runserver $(HOST)

# axe-core for the accessibility checks comes from npm (assets/package-lock.json); without npm the
# browser tests say they are skipped, and why.
AXE := assets/node_modules/axe-core/axe.min.js
$(AXE): assets/package-lock.json
	@if command -v npm >/dev/null 2>&1; then cd assets && npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the browser tests will be skipped (they need axe-core from assets/)"; fi

# Two sessions: the suite, spread over a worker per core (pytest-xdist; each worker has its own test
# database with the demo loaded once: `make test WORKERS=0` runs it in one process), then the
# real-browser journeys, one at a time (they change the demo data as people would, so they have a
# test database of their own). The journeys need Debian's chromium.
WORKERS ?= auto
test: install $(AXE)
	$(BIN)/pytest -n $(WORKERS) --dist loadfile
	$(BIN)/pytest tests/browser

# lint-imports: the apps depend on each other one way only ([tool.importlinter] in pyproject.toml).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

ci: lint test

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
