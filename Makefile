# Every target sets up what it needs: a fresh clone only needs python3.11, make and the package index.
VENV   := .venv
PYTHON := $(VENV)/bin/python
SOPHIA := $(VENV)/bin/sophia
STACK  ?= dev
FORMAT ?= text
STAMP  := $(VENV)/.installed

.PHONY: install plan test lint-workflows policy-check clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

## install: .venv with the pinned dependencies and the `sophia` command
install: $(STAMP)

# GNU make exits 2 whenever a recipe fails, whatever the recipe's own code; its "Error N" line shows
# sophia's code (1 policy violation or destructive change, 2 bad input). CI calls $(SOPHIA) directly.

## plan: the offline plan of STACK (default dev): tree, credit ceilings, build/<stack>/stack.json
plan: $(STAMP)
	$(SOPHIA) plan $(STACK) --format $(FORMAT)

## test: lint, the workflows' schema and security checks, then every test
test: $(STAMP) lint-workflows
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m pytest

## lint-workflows: GitHub's workflow and action schemas (check-jsonschema) and zizmor, both offline
lint-workflows: $(STAMP)
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-actions .github/actions/*/action.yml
	$(VENV)/bin/zizmor --offline --no-progress --config .github/zizmor.yml .github

## policy-check: the offline `pulumi policy analyze --file` for any stack export
policy-check: $(STAMP)
	@test -n "$(FILE)" || { echo "usage: make policy-check FILE=<stack-export.json> [POLICY_CONFIG=dev|path] [FORMAT=text|json|github|sarif|markdown]" >&2; exit 2; }
	$(SOPHIA) policy-check "$(FILE)" $(if $(POLICY_CONFIG),--policy-config "$(POLICY_CONFIG)") --format $(FORMAT)

clean:
	rm -rf build .pytest_cache
