# lpgp: `make` lists the targets. Every target installs what it needs first.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8866

help: ## Show this list of targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# Every package lpgp and its tests use, pinned with hashes (`make lock` writes it).
LOCK := requirements.lock
PIP := pip==26.3
PIP_TOOLS := pip-tools==7.7.0
LOCK_VENV := build/pip-tools
# The lock is resolved on the oldest Python 3.11 at hand (Debian 12's is 3.11.2), so that no pin
# needs a newer 3.11 than a user may have: pins made on 3.11.7 included packages for >=3.11.5.
LOCK_PYTHON ?= $(or $(wildcard /usr/bin/python3.11),$(PYTHON))
# `make lock LOCK_ARGS=--upgrade` takes the newest of everything; `--upgrade-package NAME` one.
LOCK_ARGS ?=

$(STAMP): $(LOCK) pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q "$(PIP)"
	$(BIN)/pip install -q --require-hashes -r $(LOCK)
	$(BIN)/pip install -q --no-deps -e .
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install lpgp with everything its tests need, from requirements.lock

lock: ## Pin every package with its hashes in requirements.lock, from pyproject.toml's dependencies
	rm -rf $(LOCK_VENV)
	$(LOCK_PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install -q "$(PIP)" "$(PIP_TOOLS)"
	$(LOCK_VENV)/bin/pip-compile --quiet --extra test --generate-hashes --allow-unsafe \
	    --strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_ARGS) \
	    --output-file $(LOCK) pyproject.toml

system-deps: ## Install PostgreSQL, Chromium, poppler-utils and fonts from Debian (as root; skipped if present)
	@bash scripts/system-deps.sh

demo: install ## Load the fictional demo place into the default store (data/lpgp.sqlite)
	$(BIN)/lpgp demo

run: install demo ## Set up, load the demo place and start the app on http://$(HOST):$(PORT)/
	@echo "A fresh sign-in code for the demo chair (earlier ones stop working):"
	@$(BIN)/lpgp board codes --member "Dr Amara Okafor"
	$(BIN)/lpgp serve --host $(HOST) --port $(PORT)

lab: install demo ## Open the notebooks in JupyterLab on the same store, for analysts
	$(BIN)/lpgp lab

lint: install ## ruff, the import contracts, mypy, and the README's generated blocks are current
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy --no-pretty
	$(BIN)/cog --check README.md

readme: install ## Regenerate the command output shown in README.md
	$(BIN)/cog -r README.md

# The test runs keep their compiled test modules (with PYTHONDONTWRITEBYTECODE set every worker
# rewrites every test's asserts again, ~4 s each) and leave out nbval's plugin (~1.3 s a
# process to import; the notebook test runs nbval in a pytest of its own). The whole suite runs
# two test files at a time: a file's tests stay in one worker (--dist loadfile), so each
# screen module's server and Chromium start once, and two of them fit a 2-core machine.
test: system-deps install lint ## Install everything and run the whole test suite (SQLite, PostgreSQL, Chromium), two files at a time
	@source scripts/test-postgres.sh && PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q \
	    -p no:cacheprovider -p no:nbval -n 2 --dist loadfile

test-fast: install ## Unit, property and SQLite store tests in parallel: no server, browser or PostgreSQL (under 2 min on 2 cores)
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q -p no:cacheprovider -p no:nbval \
	    -m "not slow and not browser and not postgres" -n auto

format: install ## Reformat the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

EXPORTS := artifacts/exports
# The demo store the exports are made from lives beside the folder, not in it (the folder is
# what a user zips and sends).
EXPORTS_DB := sqlite:///$(CURDIR)/artifacts/exports-demo.sqlite
# The README's picture is drawn on a fixed date so it only changes when the exports do.
PICTURE_NOW := 2026-11-23T09:00:00

exports: install ## Every export of the demo place into artifacts/exports/ (summaries, action log, agendas, invites)
	rm -rf $(EXPORTS) artifacts/exports-demo.sqlite* && mkdir -p $(EXPORTS)
	LPGP_DATABASE_URL=$(EXPORTS_DB) $(BIN)/lpgp demo >/dev/null
	LPGP_DATABASE_URL=$(EXPORTS_DB) $(BIN)/lpgp export all --out $(EXPORTS)

summary-picture: install ## Draw the PDF summary's first page as docs/img/priority-summary.png (needs pdftoppm)
	@command -v pdftoppm >/dev/null || { echo "pdftoppm is missing: make system-deps" >&2; exit 1; }
	$(MAKE) --no-print-directory exports LPGP_NOW=$(PICTURE_NOW)
	mkdir -p docs/img
	pdftoppm -png -r 60 -f 1 -l 1 -singlefile $(EXPORTS)/priority-summary-practices.pdf docs/img/priority-summary

clean: ## Remove the virtualenv and caches (keeps data/)
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis artifacts build *.egg-info

.PHONY: help install lock system-deps demo run lab lint readme test test-fast format clean exports summary-picture
