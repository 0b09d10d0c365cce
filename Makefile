# The two commands of the README: `make demo` and `make test`. Each creates the virtual
# environment on first use and installs what its job needs, again whenever pyproject.toml
# changes: `demo` the runtime alone (pydantic, PyYAML, networkx), `test` the `dev` extra
# (test, lint, docs, notebooks and dask tools; see pyproject.toml).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.installed-runtime
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
BROWSER_STAMP := $(VENV)/.installed-browser
# Installing the system's Chromium needs root; anyone else goes through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test lint typecheck imports pytest docs test-browser bench snapshot clean

$(RUNTIME_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUNTIME_STAMP)

$(STAMP): $(RUNTIME_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

$(BROWSER_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,browser]'
	touch $(BROWSER_STAMP)

demo: $(RUNTIME_STAMP)
	$(BIN)/acupoints suggest examples/c6-right.yaml

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

# The layers of docs/architecture.md, as contracts in pyproject.toml.
imports: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP)
	$(BIN)/python -m pytest -q

docs: $(STAMP)
	$(BIN)/python docs/gen_pages.py
	$(BIN)/mkdocs build --strict

# The suite reads the site that `docs` has just built (see tests/data/docsite.py) rather
# than building it, and running its notebooks, a second time.
test: lint typecheck imports docs
	ACUPOINTS_SITE=site $(BIN)/python -m pytest -q

# The built site in headless Chromium: every page of the navigation opened from disk,
# clicked through, photographed (into site-screenshots/) and checked for console errors.
# Not part of `make test`, which checks the site's links without a browser.
test-browser: $(BROWSER_STAMP) docs
	command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium; }
	# A font with Chinese characters, so that the points' names read in the screenshots.
	fc-list :lang=zh | grep -q . || $(SUDO) apt-get install -y fonts-wqy-microhei
	ACUPOINTS_BROWSER=1 ACUPOINTS_SITE=site ACUPOINTS_SCREENSHOTS=site-screenshots \
		$(BIN)/python -m pytest -q tests/integration/test_browser.py

# After editing a shipped YAML file (catalogue or rules): refresh the parsed snapshot.
snapshot: $(STAMP)
	$(BIN)/python -m acupoints.cli.snapshot

bench: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) dist build site site-screenshots .mypy_cache .ruff_cache .pytest_cache .hypothesis
