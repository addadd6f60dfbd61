# Every target sets itself up: a fresh clone needs only Python 3.11+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# The whole dependency tree, every package pinned with its hashes (`make lock`).
LOCK   := requirements.lock
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) 2>/dev/null | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1:8000
# Material for MkDocs prints an English box about MkDocs 2.0 on every serve and build: not for editors.
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup lock serve build test test-fast browser-deps import-examples bench lighthouse clean model segmenter-data layout-data
.DEFAULT_GOAL := setup
AXE    := tests/node_modules/axe-core/axe.min.js

# Only what the lock lists, each file checked against its hash; then the project
# itself, built from the locked setuptools (no build isolation: nothing unlocked
# is fetched).
$(STAMP): pyproject.toml $(LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "bulletin needs Python 3.11 or newer")'
	@$(PYTHON) scripts/check_lock.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-* && touch $@

## lock: recompile requirements.lock from pyproject.toml (run after changing a
##       dependency, then commit both; `make lock UPGRADE=1` moves every
##       unpinned package to its newest release)
UV := $(BIN)/uv
lock:
	@test -x $(UV) || { $(PYTHON) -m venv $(VENV) && \
	  awk '/^uv==/{p=1; print; next} p && /^ /{print; next} {p=0}' $(LOCK) > $(VENV)/uv-only.lock && \
	  $(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(VENV)/uv-only.lock; }
	$(UV) pip compile pyproject.toml --extra test --group build --universal --python-version 3.11 \
	  --generate-hashes --custom-compile-command "make lock" --quiet $(if $(UPGRADE),--upgrade) -o $(LOCK)
	@$(PYTHON) scripts/check_lock.py

## setup: the tools in .venv and, in a git clone, the pre-commit hook (bulletin check on every commit)
setup: $(STAMP)
	@if git rev-parse --git-dir >/dev/null 2>&1; then $(BIN)/pre-commit install; fi
	@echo "安装完成：bulletin 命令在 $(BIN)/ 里（source $(BIN)/activate 后可直接输入 bulletin）"

## serve: build the example archive and serve it at http://$(HOST)/
##        (after a save of articles the plugin re-renders only what the save changed)
serve: $(STAMP)
	$(BIN)/python -m bulletin.siteconfig mkdocs.yml
	$(BIN)/mkdocs serve --dev-addr $(HOST)

## build: the public site in site/, failing on any warning. mkdocs.yml is checked
##        first (bulletin.siteconfig): MkDocs runs a hook's code while loading it.
build: $(STAMP)
	$(BIN)/python -m bulletin.siteconfig mkdocs.yml
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
	npm ci --prefix tests --omit=dev --no-audit --no-fund --silent
	touch $@

## test: the whole suite (unit, golden, CLI, site build, browser)
test: $(STAMP) browser-deps $(AXE)
	$(BIN)/pytest

test-fast: $(STAMP)
	$(BIN)/pytest -m "not browser"

## model: retrain the import's segmentation model from data/segmenter/ (byte-identical for the same data)
model: $(STAMP)
	$(BIN)/python -m bulletin.importer.train

## segmenter-data: relabel the model's training pages from ../shared (generator + samples; not in CI)
segmenter-data: $(STAMP)
	$(BIN)/python scripts/make_segmenter_data.py

## layout-data: the model's PDF-read training pages with their layout evidence (generator; not in CI)
layout-data: $(STAMP)
	$(BIN)/python scripts/make_layout_data.py

## lighthouse: Lighthouse (mobile) on the home page, the longest article and a search page
##             of the example archive, served with gzip (a benchmark: BENCHMARKS.md)
lighthouse: $(STAMP) browser-deps
	npm ci --prefix tests --no-audit --no-fund --silent
	$(BIN)/python scripts/bench_lighthouse.py

## import-examples: re-import the example raw pages into content/
import-examples: $(STAMP)
	@grep -v '^#' raw/issues.tsv | while IFS="$$(printf '\t')" read -r page day; do \
	  $(BIN)/bulletin import "raw/$$page" --issue-date "$$day" || exit 1; done

clean:
	rm -rf site test-artifacts .pytest_cache
