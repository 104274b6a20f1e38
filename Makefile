# The two commands of the README. Each sets itself up on a fresh clone: a virtual
# environment with the package, its dependencies and the dev tools, installed through
# constraints.txt (which pins the one torch build these machines can fetch).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: site test lint

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,torch]'
	touch $(STAMP)

# Builds site/ from vault/, running the notes' code first (--execute). The seed note's
# bugs are deliberate: build shows them on the page and still exits 0.
site: $(STAMP)
	$(BIN)/notebook-runner build vault --execute -o site

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest
