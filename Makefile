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

# The demo vault's notes are checked; the seed note's bugs are deliberate, so exit
# status 1 ("some notes failed") is expected here and only 2+ (usage, crash) stops make.
site: $(STAMP)
	$(BIN)/notebook-runner parse vault
	$(BIN)/notebook-runner check vault; status=$$?; test $$status -le 1

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest
