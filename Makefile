# The README's two commands: `make graph` and `make test`; `make mutants` (docs/testing.md) is not run by CI.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: graph test mutants

graph: $(VENV)/.installed
	$(BIN)/kg build seeds --out out

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

# Mutation testing (setup.cfg [mutmut]), one package at a time on one core: hours, not minutes.
# Results stay in mutants/; `$(BIN)/mutmut browse` shows the survivors. The stats file goes first
# so that mutmut links the tests as they are now to the functions they call.
MUTATED ?= kg.graph kg.corpus.articles kg.export kg.cli
mutants: $(VENV)/.installed-test
	rm -f mutants/mutmut-stats.json
	for package in $(MUTATED); do $(BIN)/mutmut run --max-children 1 "$$package.*" || exit 1; done
	$(BIN)/mutmut results

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@
