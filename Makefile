# Remission: `make run` serves the app with the bundled trials; `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test install lint typecheck contracts pytest clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/remission db upgrade
	$(BIN)/remission trials import --bundled
	$(BIN)/remission serve

lint: install
	$(BIN)/ruff check src tests benchmarks

typecheck: install
	$(BIN)/mypy src

contracts: install
	$(BIN)/lint-imports

pytest: install
	$(BIN)/pytest -q

test: lint typecheck contracts pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
