# contractkit — every target bootstraps its own environment (.venv, pinned by uv.lock).
# Needs only Python 3.11+ and make; uv is installed into .cache/uv when it is not on PATH.

PYTHON ?= python3
UV_VERSION := 0.13.8
VENV := .venv
BIN := $(VENV)/bin
UV := $(shell command -v uv 2>/dev/null || echo .cache/uv/bin/uv)
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON ?= $(shell command -v $(PYTHON))

.DEFAULT_GOAL := help
.PHONY: help check test test-native native lint types pytest eval bench serve serve-workers codegen fmt audit clean replay fuzz fuzz-long

# Colour only on a terminal, and never with NO_COLOR set: `make help | less` gets plain text.
help: ## List the targets
	@if [ -t 1 ] && [ -z "$${NO_COLOR:-}" ]; then on='\033[36m'; off='\033[0m'; else on=''; off=''; fi; \
	awk -v on="$$on" -v off="$$off" 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %s%-10s%s %s\n", on, $$1, off, $$2}' $(MAKEFILE_LIST)

.cache/uv/bin/uv:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "contractkit needs Python 3.11+ (found $$($(PYTHON) --version))" >&2; exit 2; }
	$(PYTHON) -m venv .cache/uv
	.cache/uv/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --all-extras --quiet
	@touch $@

check: $(VENV)/.synced ## The main job: the contract report for schemas/ and the CI gate (compat, policy, drift, replay)
	$(BIN)/contractkit report
	$(BIN)/contractkit check

test: lint types pytest ## Lint, type-check and run the test suite

lint: $(VENV)/.synced ## ruff (lint + format check)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(VENV)/.synced ## mypy --strict on contractkit/
	$(BIN)/mypy

pytest: $(VENV)/.synced ## The test suite
	$(BIN)/pytest -q

replay: $(VENV)/.synced ## Replay compat_fixtures against every version (schema, model, live service, conversions)
	$(BIN)/contractkit replay

fuzz: $(VENV)/.synced ## A short Schemathesis run per version plus shape-drift fuzzing (about two minutes)
	$(BIN)/contractkit fuzz --max-examples 10 --seed 1 --time-budget 90
	$(BIN)/contractkit fuzz --drift --max-examples 100 --seed 1

fuzz-long: $(VENV)/.synced ## A long fuzz (30 minutes, random seed; the seed is printed for reproduction)
	$(BIN)/contractkit fuzz --max-examples 500 --time-budget 1800
	$(BIN)/contractkit fuzz --drift --max-examples 2000

eval: $(VENV)/.synced ## Grade the engine on the public compatibility suites in ../shared/corpora
	$(BIN)/python bench/eval_corpora.py

# The compiled build: the wheel `HATCH_BUILD_HOOKS_ENABLE=1 uv build --wheel` makes (mypyc, pyproject.toml),
# built from a copy of the sources (the build leaves its C extensions beside the sources it compiles) and
# installed with the locked dependencies into its own environment, $(NATIVE)/venv. Needs a C compiler.
NATIVE := .cache/native
$(NATIVE)/.built: $(VENV)/.synced pyproject.toml uv.lock $(shell find contractkit -name '*.py' 2>/dev/null)
	rm -rf $(NATIVE) && mkdir -p $(NATIVE)/src
	cp -r contractkit pyproject.toml README.md uv.lock $(NATIVE)/src/
	@echo "compiling the engine with mypyc (about two and a half minutes)"
	HATCH_BUILD_HOOKS_ENABLE=1 $(UV) build --wheel --quiet --out-dir $(NATIVE)/dist $(NATIVE)/src
	$(UV) venv --quiet --python $(UV_PYTHON) $(NATIVE)/venv
	$(UV) export --frozen --all-extras --no-emit-project --format requirements-txt --quiet > $(NATIVE)/requirements.txt
	$(UV) pip install --quiet --python $(NATIVE)/venv/bin/python -r $(NATIVE)/requirements.txt
	$(UV) pip install --quiet --python $(NATIVE)/venv/bin/python --no-deps $(NATIVE)/dist/*.whl
	@touch $@

native: $(NATIVE)/.built ## Build the mypyc-compiled wheel and install it in .cache/native/venv

# The engine's tests against the compiled build: --import-mode=append makes the installed (compiled) package
# win over the source tree; CONTRACTKIT_EXPECT_COMPILED makes tests/compat/test_native.py check it did.
test-native: $(NATIVE)/.built ## The tests of the engine, the dialects, the configuration and contractkit.compare against the compiled build
	CONTRACTKIT_EXPECT_COMPILED=1 $(NATIVE)/venv/bin/pytest -q -p no:cacheprovider --import-mode=append tests/compat tests/dialects tests/test_config.py tests/test_public_api.py

bench: $(VENV)/.synced ## Benchmarks, side by side with the peers, reported as ratios (a few minutes)
	@$(MAKE) --no-print-directory native || echo "no compiled build (it needs a C compiler): the engine benchmark times the pure-Python install only"
	$(BIN)/python bench/bench_engine.py
	$(BIN)/python bench/bench_service.py
	$(BIN)/python bench/bench_load.py
	$(BIN)/python bench/bench_openapi.py
	$(BIN)/python bench/bench_scale.py

serve: $(VENV)/.synced ## Run the cart service on 127.0.0.1:8000 (one JSON log line per request; key dev-key-1 unless CART_API_KEYS is set)
	CART_API_KEYS="$${CART_API_KEYS:-acme:dev-key-1}" $(BIN)/uvicorn service.app:app --host 127.0.0.1 --port 8000 --no-access-log

WORKERS ?= 2
serve-workers: $(VENV)/.synced ## The same with WORKERS processes (default 2); /metrics adds them up
	rm -rf .cache/prometheus && mkdir -p .cache/prometheus
	PROMETHEUS_MULTIPROC_DIR=$(CURDIR)/.cache/prometheus $(BIN)/uvicorn service.app:app --host 127.0.0.1 --port 8000 --workers $(WORKERS)

codegen: $(VENV)/.synced ## Regenerate the Pydantic models from schemas/
	$(BIN)/contractkit codegen

fmt: $(VENV)/.synced ## Format and auto-fix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

audit: $(VENV)/.synced ## pip-audit over the locked dependencies
	$(UV) export --frozen --all-extras --no-emit-project --format requirements-txt > .cache/requirements.txt
	$(BIN)/pip-audit --disable-pip --no-deps -r .cache/requirements.txt

clean: ## Remove the environment and caches
	rm -rf $(VENV) .cache .pytest_cache .mypy_cache .ruff_cache
