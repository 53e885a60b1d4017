# healthgap: `make run` serves the demo at http://127.0.0.1:8000, `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
AXE := node_modules/axe-core/axe.min.js

.PHONY: install run test test-postgres lint format bench vendor browser system-packages audit

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(INSTALLED)

install: $(INSTALLED)

# Demo mode: load-demo also creates the demo users listed in the README.
run: install system-packages
	HEALTHGAP_DEMO=1 $(BIN)/healthgap load-demo
	$(BIN)/healthgap serve

# Headless Chromium from the distribution and axe-core from npm, for the browser tests.
browser: $(AXE) system-packages
	scripts/install_chromium.sh

# pango (WeasyPrint writes the board report's PDF) and poppler-utils (pdftotext reads it back).
system-packages:
	scripts/install_system_packages.sh

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(AXE)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# Known vulnerabilities in the Python and npm packages (exceptions in audit-exceptions.toml).
audit: install $(AXE)
	$(BIN)/python scripts/audit_dependencies.py

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install browser lint audit
	$(BIN)/healthgap makemigrations --check --dry-run
	$(BIN)/python -m pytest

# The same suite against a real PostgreSQL server started on loopback for the run; the browser
# tests drive the same pages and run once, on SQLite (make test).
test-postgres: install browser
	scripts/with_postgres.sh $(BIN)/python -m pytest -m "not browser"

bench: install
	$(BIN)/python -m pytest bench --benchmark-only --benchmark-columns=min,median,max,rounds

# Refresh the vendored front-end libraries from the npm registry (output is committed).
vendor:
	npm ci --no-audit --no-fund --loglevel=error
	scripts/vendor_assets.sh
