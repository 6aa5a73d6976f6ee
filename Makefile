# Two commands on a fresh machine: `make run` (install + serve the dashboard) and `make test` (install + whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test browser screenshots bench

run: $(VENV)/.installed
	$(BIN)/python app.py

test: $(VENV)/.installed-dev browser
	$(BIN)/python -m pytest

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# Debian's Chromium and ChromeDriver for the page tests, only when missing (never a downloaded browser).
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium chromium-driver; \
	fi

# Screenshots of every page (docs/screenshots/) and the page benchmark, on the warehouse `make run` built.
screenshots: $(VENV)/.installed-dev browser
	$(BIN)/python bench/screenshots.py

bench: $(VENV)/.installed-dev browser
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/indicators.py
	$(BIN)/python bench/pages.py
