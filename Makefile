# Set-up in two commands: `make run` and `make test`. Everything lives in .venv.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8080
PYTEST_ARGS ?=
BENCH_ARGS ?=

.PHONY: install install-test run test conformance bench bench-scale lint validate screenshots clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found: install Python 3.11 or run 'make PYTHON=python3 ...'"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml setup.py | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml setup.py | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: install
	$(BIN)/simulator serve --host $(HOST) --port $(PORT) --scenario scenarios/default.yaml

test: install-test
	$(BIN)/simulator validate scenarios/*.yaml
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

conformance: install-test
	$(BIN)/python -m pytest tests/conformance $(PYTEST_ARGS)

# Benchmarks (never part of `make test`): BENCH_ARGS="--json bench/results/bench.json" also writes JSON.
bench: install-test
	$(BIN)/python bench/run.py $(BENCH_ARGS)

bench-scale: install-test
	$(BIN)/python bench/scale.py $(BENCH_ARGS)

lint: install-test
	$(BIN)/ruff check simulator tests bench

validate: install
	$(BIN)/simulator validate scenarios/*.yaml

# docs/dashboard.png, from the browser set-up of tests/browser (needs Debian's chromium).
screenshots: install-test
	$(BIN)/python -m tests.browser.screenshot docs/dashboard.png

# Everything the targets and the tests create (the same list as .gitignore; tests/packaging checks it).
clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis .schemathesis* schemathesis-report \
	       build dist *.egg-info bench/results .coverage
	find . -name __pycache__ -type d -prune -exec rm -rf {} + ; find . -name '*.pyc' -delete
