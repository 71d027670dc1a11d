# Credwork: `make run` serves the demo on SQLite; `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi


.PHONY: run worker beat test test-fast test-postgres test-e2e lint format typecheck check assets install install-dev db seed bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

app/static/vendor/app.css: node_modules/.installed app/static/scss/app.scss scripts/build-assets.mjs
	npm run --silent build

assets: app/static/vendor/app.css

tests/interop/node_modules/.installed: tests/interop/package.json tests/interop/package-lock.json
	npm ci --prefix tests/interop --no-audit --no-fund
	touch $@

install: $(VENV)/.runtime assets
install-dev: $(VENV)/.dev assets $(if $(wildcard tests/interop/package.json),tests/interop/node_modules/.installed)

db: install
	$(BIN)/flask db upgrade

seed: db
	$(BIN)/flask seed demo

run: seed
	$(BIN)/flask run --host 127.0.0.1 --port 5000

# Background jobs on Celery: set REDIS_URL (or CELERY_BROKER_URL) for the web app and these alike.
# Without a broker (the `make run` default) jobs run in the web process and neither is needed.
worker: install
	$(BIN)/celery -A app.worker worker --loglevel=info

# The schedules (re-checking imported badges hourly, the recruitment and verification purges daily).
beat: install
	$(BIN)/celery -A app.worker beat --loglevel=info --schedule instance/celerybeat-schedule

# The whole suite: unit, integration and browser tests, on SQLite (TEST_DATABASE_URL selects
# PostgreSQL), in parallel on every core (pytest-xdist).
test: install-dev
	$(BIN)/python -m pytest -p no:cacheprovider -n auto $(PYTEST_ARGS)

# While you work: everything but the slow tests (browsers, Hypothesis, concurrency, migrations).
test-fast: install-dev
	$(BIN)/python -m pytest -p no:cacheprovider -n auto -m "not slow" $(PYTEST_ARGS)

# The suite on PostgreSQL; each parallel worker gets its own database (tests/support/databases.py).
test-postgres: install-dev
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test} \
	  $(BIN)/python -m pytest -p no:cacheprovider -n auto --ignore=tests/e2e $(PYTEST_ARGS)

# Only the browser journeys (Playwright + Debian's /usr/bin/chromium; screenshots in test-results/).
test-e2e: install-dev
	$(BIN)/python -m pytest -p no:cacheprovider tests/e2e $(PYTEST_ARGS)

# ruff's lint rules and formatting, and the import-linter layer contracts (pyproject.toml).
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# Rewrite files to the project's format and fix what ruff can fix by itself.
format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# mypy: strict on app/openbadges and app/domain, the defaults on the rest of app (pyproject.toml).
typecheck: install-dev
	$(BIN)/mypy

# What CI checks before the tests.
check: lint typecheck

bench: install-dev
	for script in bench/*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) node_modules app/static/vendor instance/credwork.db
