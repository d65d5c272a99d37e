# Two commands for a fresh machine (see README):
#   make site   set everything up, run the analysis on the default corpus, build the website
#   make test   set everything up and run the whole test suite (unit, notebooks, browser)
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORPUS ?= ru-alliances-id
NAME ?=
PARAMS ?=
LANGUAGE ?=

.PHONY: setup site run build-site test test-fast browser bench clean help

help:
	@echo "make site    - set up, run the default corpus ($(CORPUS)) and build the site into _site/"
	@echo "make test    - set up and run all tests (unit, notebooks, headless browser)"
	@echo "make run CORPUS=path-or-id NAME=name [PARAMS=file.yaml] [LANGUAGE=id|en|auto]"
	@echo "make build-site - rebuild the site from the runs already in runs/"
	@echo "make bench   - run the benchmarks (see benchmarks/README.md)"

setup: $(STAMP)

# The virtual environment, from the pinned lock. Re-made only when the lock changes.
$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version.split()[0]' \
	  || { echo "error: Python 3.11 is required (set PYTHON=/path/to/python3.11)"; exit 1; }
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then apt-get update -qq && apt-get install -y -qq python3-venv; \
	  else echo "error: the Python venv module is missing: install python3-venv"; exit 1; fi; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip==26.3"
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	@# Quarto: its PyPI package downloads the binary from GitHub while it installs. Where that
	@# is not possible the site is built as an offline preview instead (analysis/site.py).
	@command -v quarto >/dev/null || test -x $(BIN)/quarto || timeout 600 $(BIN)/python -m pip install -q "quarto-cli==1.8.26" >/dev/null 2>&1 \
	  || echo "note: Quarto could not be installed here (no access to its download); the site will be built as an offline preview. Get Quarto with 'pip install quarto-cli', conda-forge 'quarto', or the installer at quarto.org."
	@touch $@

site: $(STAMP)
	$(BIN)/python -m analysis run --corpus $(CORPUS)
	$(BIN)/python -m analysis site
	@echo "Open _site/index.html in a browser (the offline preview works from file://; serve a Quarto build: python -m http.server -d _site)."

run: $(STAMP)
	$(BIN)/python -m analysis run --corpus $(CORPUS) $(if $(NAME),--name $(NAME)) $(if $(PARAMS),--params $(PARAMS)) $(if $(LANGUAGE),--language $(LANGUAGE))
	$(BIN)/python -m analysis site

build-site: $(STAMP)
	$(BIN)/python -m analysis site

# Debian packages the tests use: chromium for the browser tests (Playwright drives it; its own
# browser download fails offline) and LibreOffice Calc, which must open the XLSX coding sheets.
browser:
	@missing=""; test -x /usr/bin/chromium || missing="chromium"; command -v soffice >/dev/null || missing="$$missing libreoffice-calc"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "error: the tests need Debian's $$missing: sudo apt-get install --no-install-recommends $$missing"; exit 1; fi; fi

test: $(STAMP) browser
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf _site .quarto
