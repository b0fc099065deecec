# The two commands of the README: `make workshop` and `make test`.
# Each creates .venv when it is missing and installs what it needs: `make workshop` the lean
# facilitator's install (`pip install -e .`), `make test` the `test` and `lab` extras and,
# through tools/prerequisites, Chromium, PostgreSQL, nginx and axe-core.

PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
ARGS ?=

.PHONY: workshop test lab lint bench bench-quick clean-venv check prerequisites

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed (python3.11, python3.12 or python3.13 on PATH)."; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,lab]'
	@touch $@ $(VENV)/.installed-lab $(VENV)/.installed-app

$(VENV)/.installed-lab: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[lab]'
	@touch $@ $(VENV)/.installed-app

## make workshop: start the participant server and the facilitator dashboard
workshop: $(VENV)/.installed-app
	$(BIN)/workshop serve $(ARGS)

## make test: every test (unit, notebooks, real browser, real PostgreSQL, nginx)
test: prerequisites
	$(BIN)/python -m pytest $(ARGS)

## make prerequisites: install Chromium, PostgreSQL, nginx and axe-core when missing
prerequisites: $(VENV)/.installed-test
	PYTHON=$(BIN)/python bash tools/prerequisites

## make lab: JupyterLab on the researcher notebooks
lab: $(VENV)/.installed-lab
	$(BIN)/jupyter lab $(ARGS)

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
