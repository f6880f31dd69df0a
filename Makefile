# Every target sets up what it needs: a fresh clone only needs python3.11, make and the package index.
VENV   := .venv
PYTHON := $(VENV)/bin/python
STACK  ?= dev
STAMP  := $(VENV)/.installed

.PHONY: plan test policy-check clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

## plan: the offline plan of STACK (default dev): tree, credit ceilings, build/<stack>/stack.json
plan: $(STAMP)
	$(PYTHON) -m offline plan $(STACK)

## test: lint, then every test
test: $(STAMP)
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m pytest

clean:
	rm -rf build .pytest_cache

## policy-check: the offline `pulumi policy analyze --file` for any stack export (JSON=1 for a JSON report)
policy-check: $(STAMP)
	@test -n "$(FILE)" || { echo "usage: make policy-check FILE=<stack-export.json> [POLICY_CONFIG=dev|path] [JSON=1]" >&2; exit 2; }
	$(PYTHON) -m offline policy-check "$(FILE)" $(if $(POLICY_CONFIG),--policy-config "$(POLICY_CONFIG)") $(if $(JSON),--json)
