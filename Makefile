# Every target sets itself up: a fresh clone needs only Python 3.11+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST   ?= 127.0.0.1:8000

.PHONY: setup serve build test test-fast browser-deps import-examples bench clean
.DEFAULT_GOAL := setup
AXE    := tests/node_modules/axe-core/axe.min.js

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "bulletin needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-* && touch $@

## setup: the tools in .venv and, in a git clone, the pre-commit hook (bulletin check on every commit)
setup: $(STAMP)
	@if git rev-parse --git-dir >/dev/null 2>&1; then $(BIN)/pre-commit install; fi
	@echo "安装完成：bulletin 命令在 $(BIN)/ 里（source $(BIN)/activate 后可直接输入 bulletin）"

## serve: build the example archive and serve it at http://$(HOST)/
##        (a large archive: `make serve DIRTY=1` rebuilds only what an edit changes)
serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr $(HOST) $(if $(DIRTY),--dirty)

## build: the public site in site/, failing on any warning
build: $(STAMP)
	$(BIN)/mkdocs build --strict

## browser-deps: Debian's Chromium and CJK fonts for the browser tests (as root)
browser-deps:
	@if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "noto.*cjk"; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	elif sudo -n true 2>/dev/null; then \
	  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	else echo "browser tests need: sudo apt-get install chromium fonts-noto-cjk (they are skipped without it)"; fi

## axe: axe-core (tests/package-lock.json) that the browser tests inject into every page type
$(AXE): tests/package.json tests/package-lock.json
	@command -v npm >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq npm >/dev/null; } || \
	  { echo "the accessibility tests need npm (apt-get install npm)"; exit 1; }
	npm ci --prefix tests --no-audit --no-fund --silent
	touch $@

## test: the whole suite (unit, golden, CLI, site build, browser)
test: $(STAMP) browser-deps $(AXE)
	$(BIN)/pytest

test-fast: $(STAMP)
	$(BIN)/pytest -m "not browser"

## import-examples: re-import the example raw pages into content/
import-examples: $(STAMP)
	@grep -v '^#' raw/issues.tsv | while IFS="$$(printf '\t')" read -r page day; do \
	  $(BIN)/bulletin import "raw/$$page" --issue-date "$$day" || exit 1; done

clean:
	rm -rf site test-artifacts .pytest_cache
