# kgraph: `make run` builds the graph and its HTML, `make test` runs the lint and the tests,
# `make check` the lint and the quick tier of them for day-to-day work.
# Each target creates .venv (Python 3.11+) on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# pytest-xdist processes for check and test; the tests are CPU-bound, so one per core.
WORKERS ?= 2

.PHONY: run lint check test stress bench browser virtuoso clean

$(VENV)/.runtime: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.test: $(VENV)/.runtime
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

run: $(VENV)/.runtime
	$(BIN)/kgraph build
	$(BIN)/kgraph validate

# Browser tests drive Debian's chromium through playwright; install it when missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing chromium for the browser tests"; \
	  apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }

# The remote-store tests start Debian's Virtuoso on loopback; install it when missing.
virtuoso:
	@command -v virtuoso-t >/dev/null 2>&1 || { \
	  echo "installing virtuoso-opensource for the remote-store tests"; \
	  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q virtuoso-opensource >/dev/null; }

# The package layers (pyproject's [tool.importlinter]) and the code style (ruff), before any test runs.
lint: $(VENV)/.test
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports

# The quick tier, under a minute on two cores: no browser, server, slow or stress tests.
check: lint
	$(BIN)/python -m pytest -n $(WORKERS) -m "not browser and not server and not slow and not stress"

# Everything; the server tests time answers under load, so they run on their own after the rest.
test: lint browser virtuoso
	$(BIN)/python -m pytest -n $(WORKERS) -m "not server and not stress"
	$(BIN)/python -m pytest -m "server and not stress"

stress: $(VENV)/.test browser virtuoso
	KGRAPH_STRESS=1 $(BIN)/python -m pytest -m "stress or not stress"

bench: $(VENV)/.test
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache
