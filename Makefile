# accessroute: `make run` serves the map, `make test` runs every check. Both set up everything first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test setup sysdeps build lint typecheck pytest bench benchdeps translations vendor clean

run: build
	$(BIN)/accessroute serve --host $(HOST) --port $(PORT)

test: build lint typecheck pytest

setup: $(STAMP)

# The virtual environment and the package (editable, with the dev tools), pinned by constraints.txt.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# Build every area under data/areas (areas whose graph is newer than its inputs are skipped).
build: $(STAMP)
	$(BIN)/accessroute build --all

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

# Two workers (this machine's cores); a module's tests stay on one worker, sharing its fixtures.
pytest: $(STAMP) sysdeps
	$(BIN)/pytest -n 2 --dist loadscope

# System packages the browser tests drive: Debian's Chromium (never a downloaded browser build);
# route sheets: weasyprint's Pango and fonts with Cyrillic, pdftotext/pdftoppm for their tests;
# the reports database tests: Debian's PostgreSQL server (a throwaway cluster per test run).
sysdeps:
	ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || (apt-get update && apt-get install -y postgresql)
	command -v chromium >/dev/null 2>&1 || (apt-get update && apt-get install -y chromium)
	command -v pdftoppm >/dev/null 2>&1 && ldconfig -p | grep -q libpangoft2-1.0 && fc-list | grep -q DejaVuSans || (apt-get update && apt-get install -y poppler-utils libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)

# After changing a page string: extract, merge into the Russian catalogue, compile (commit all).
translations: $(STAMP)
	$(BIN)/pybabel extract -F web/babel.cfg -o web/translations/messages.pot --no-location web
	$(BIN)/pybabel update -i web/translations/messages.pot -d web/translations --no-fuzzy-matching
	$(BIN)/pybabel compile -d web/translations --statistics

# Re-copy the browser assets pinned in package.json (Leaflet, axe-core for the tests); needs npm.
vendor:
	bash scripts/vendor_assets.sh

# Figures, not checks: build, route (in-process and over HTTP under load), memory, growth, with
# networkx, scipy and pgRouting as peers (docs/performance.md). BENCH_ARGS=--quick: a short run.
# scripts/bench/build.py then splits the build into steps against osmnx reading the whole file.
bench: build benchdeps
	$(BIN)/python scripts/bench/all.py $(BENCH_ARGS)
	$(BIN)/python scripts/bench/build.py --runs 1

# What the benchmark needs: Debian's PostgreSQL server and its pgRouting (a throwaway cluster);
# Debian's wrk, the load generator of the throughput run.
benchdeps:
	ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || (apt-get update && apt-get install -y postgresql)
	ls /usr/share/postgresql/*/extension/pgrouting.control >/dev/null 2>&1 || (apt-get update && apt-get install -y postgresql-$$(ls /usr/lib/postgresql | sort -n | tail -1)-pgrouting)
	command -v wrk >/dev/null 2>&1 || (apt-get update && apt-get install -y wrk)

clean:
	rm -rf data/build test-artifacts
