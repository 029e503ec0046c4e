# Self-documenting: `make` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PERIOD ?= 2020-06

.PHONY: help setup bytecode bulletin sample lab lint test test-fast test-slow bench clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-12s %s\n", $$1, $$2}'

setup: $(VENV)/.installed ## Create .venv, install the package, its dependencies and system packages

$(VENV)/.installed: pyproject.toml scripts/setup.sh
	bash scripts/setup.sh
	touch $@

# The package's bytecode, written once: every process a run starts (the runner, the notebook kernel,
# the PDF worker, the tests' runs) then loads it instead of compiling 24k lines again, even where
# PYTHONDONTWRITEBYTECODE keeps Python from writing it itself (a no-op when nothing changed); and the
# stages' import scans beside it, which a cold run would otherwise make (runner/cache.py built_scans)
bytecode: setup
	@$(PY) -m compileall -q src
	@$(PY) -c "from bulletin.runner.cache import write_built_scans; write_built_scans()"

sample: setup ## Write the demo city's sample ledgers into data/raw/
	$(PY) pipeline.py sample

bulletin: setup bytecode ## Build the demo bulletin for PERIOD (default 2020-06)
	@test -d data/raw/$(PERIOD) || $(PY) pipeline.py sample
	$(PY) pipeline.py run --period $(PERIOD)

lab: setup ## Open JupyterLab on work/ (git-ignored copies of notebooks/), project's kernel (LAB_ARGS="--no-browser --port 8899" …)
	$(PY) -m bulletin.runner.lab $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

lint: setup ## Lint and format check (ruff, configured in pyproject.toml)
	$(PY) -m ruff check src tests bench scripts pipeline.py
	$(PY) -m ruff format --check src tests bench scripts pipeline.py

# The suite on parallel workers (pytest-xdist): one worker per core (WORKERS=2, WORKERS=0 for one
# process); a module's tests stay on one worker (its module fixtures are built once), the modules with
# the most end-to-end tests start first (tests/conftest.py)
WORKERS ?= auto
PYTEST_PARALLEL := -n $(WORKERS) --dist loadscope --no-loadscope-reorder

test: setup bytecode lint ## Lint, then run the whole test suite (parallel: WORKERS=auto)
	$(PY) -m pytest $(PYTEST_PARALLEL)

test-fast: setup bytecode ## Run the tests without the slow end-to-end ones (parallel: WORKERS=auto)
	$(PY) -m pytest $(PYTEST_PARALLEL) -m "not slow"

test-slow: setup bytecode ## Run only the slow end-to-end tests (parallel: WORKERS=auto)
	$(PY) -m pytest $(PYTEST_PARALLEL) -m slow

bench: setup bytecode ## Benchmark (medians of 3 runs), compared with bench/RESULTS.md (fails on a >30% slowdown in the ratios)
	$(PY) bench/run.py --check --repeat 3

clean: ## Remove generated outputs (never the raw data)
	rm -rf data/processed/20* reports/20* reports/check-* reports/.failed
