# accessroute: `make run` serves the map, `make test` runs every check. Both set up everything first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test setup build lint typecheck pytest bench clean

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

pytest: $(STAMP)
	$(BIN)/pytest

bench: build
	$(BIN)/python scripts/bench/build.py

clean:
	rm -rf data/build test-artifacts
