# The two commands of the README: `make workshop` and `make test`.
# Each creates .venv when it is missing and installs what it needs.

PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
ARGS ?=

.PHONY: workshop test test-fast lint bench bench-quick clean-venv check

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed (python3.11, python3.12 or python3.13 on PATH)."; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed-app

## make workshop: start the participant server and the facilitator dashboard
workshop: $(VENV)/.installed-app
	$(BIN)/workshop serve $(ARGS)

## make test: every test (unit, notebooks, real browser, real PostgreSQL)
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest $(ARGS)

## make check: what `workshop check` says about this machine
check: $(VENV)/.installed-app
	$(BIN)/workshop check $(ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check toolkit tests bench
	$(BIN)/ruff format --check toolkit tests bench

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench run --full $(ARGS)

bench-quick: $(VENV)/.installed-test
	$(BIN)/python -m bench run --quick $(ARGS)

clean-venv:
	rm -rf $(VENV)
