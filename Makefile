# Two commands on a fresh machine: `make run` (install + serve the dashboard) and `make test` (install + whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test browser screenshots bench boundaries

run: $(VENV)/.installed boundaries
	$(BIN)/python app.py

# Kabupaten boundaries for the map (BOUNDARIES_PATH): downloaded from geoBoundaries when online; in a development
# checkout beside ../shared the reference copy is used; otherwise the map shows points at the capitals.
BOUNDARIES := data/boundaries/ntt_regencies.geojson
boundaries: $(VENV)/.installed
	@test -f $(BOUNDARIES) \
	 || $(BIN)/python app.py boundaries fetch --out $(BOUNDARIES) \
	 || { test -f ../shared/data/ntt_regencies.geojson && mkdir -p data/boundaries \
	      && cp ../shared/data/ntt_regencies.geojson $(BOUNDARIES) && echo "boundaries: development copy from ../shared/data"; } \
	 || echo "boundaries: none; the map shows points at the kabupaten capitals"

test: $(VENV)/.installed-dev browser
	$(BIN)/lint-imports
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
